"""The organization's devices, the scans of their contents, and what a lost one exposes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leaktrace.server.repo import ServerError, audit, not_found, utcnow
from leaktrace.store.models import DeviceRow, DeviceScanRow, FindingRow, Scan

KINDS = ("laptop", "phone", "other")
# Credential families whose findings are personal data rather than keys to rotate.
PERSONAL_RULE_WORDS = ("card", "iban", "ssn", "passport", "phone", "email", "person")


@dataclass(frozen=True)
class DeviceView:
    row: DeviceRow
    last_scan: Scan | None


@dataclass
class Exposure:
    """What was on a device at its last scan, sorted by what the team must do about it."""

    device: DeviceRow
    scan: Scan | None
    documents: list[dict[str, Any]] = field(default_factory=list)
    credentials: list[dict[str, Any]] = field(default_factory=list)
    personal_data: list[dict[str, Any]] = field(default_factory=list)
    other: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "device": device_dict(self.device),
            "scan_id": self.scan.id if self.scan else None,
            "scanned_at": self.scan.started_at.isoformat() if self.scan else None,
            "protected_documents": self.documents,
            "credentials_to_rotate": self.credentials,
            "personal_data_to_notify": self.personal_data,
            "other_findings": self.other,
        }


def device_dict(row: DeviceRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "kind": row.kind,
        "owner": row.owner,
        "serial": row.serial,
        "created_at": row.created_at.isoformat(),
        "lost_at": row.lost_at.isoformat() if row.lost_at else None,
    }


def _field(value: str, what: str, longest: int = 200) -> str:
    value = " ".join(value.split())
    if not value or len(value) > longest:
        raise ServerError(422, f"{what} needs 1-{longest} characters")
    return value


def register(
    session: Session, name: str, kind: str, owner: str, serial: str, actor: str
) -> DeviceRow:
    if kind not in KINDS:
        raise ServerError(422, f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    serial = _field(serial, "a serial number", 128)
    if session.scalar(select(DeviceRow.id).where(DeviceRow.serial == serial)) is not None:
        raise ServerError(409, f"a device with serial {serial!r} is already registered")
    row = DeviceRow(
        name=_field(name, "a name"),
        kind=kind,
        owner=_field(owner, "an owner"),
        serial=serial,
        created_at=utcnow(),
        lost_at=None,
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # registered concurrently with the same serial
        raise ServerError(409, f"a device with serial {serial!r} is already registered") from None
    audit.record(session, actor, "device.register", f"device:{row.id}", serial=serial)
    return row


def get_device(session: Session, device_id: int) -> DeviceRow:
    row = session.get(DeviceRow, device_id)
    if row is None:
        raise not_found(f"device {device_id}")
    return row


def last_scan(session: Session, device_id: int) -> Scan | None:
    stmt = (
        select(Scan)
        .join(DeviceScanRow, DeviceScanRow.scan_id == Scan.id)
        .where(DeviceScanRow.device_id == device_id)
        .order_by(Scan.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def list_devices(session: Session) -> list[DeviceView]:
    latest = (
        select(DeviceScanRow.device_id, func.max(DeviceScanRow.scan_id).label("scan_id"))
        .group_by(DeviceScanRow.device_id)
        .subquery()
    )
    stmt = (
        select(DeviceRow, Scan)
        .outerjoin(latest, latest.c.device_id == DeviceRow.id)
        .outerjoin(Scan, Scan.id == latest.c.scan_id)
        .order_by(DeviceRow.name, DeviceRow.id)
    )
    return [DeviceView(device, scan) for device, scan in session.execute(stmt)]


def add_scan(session: Session, device_id: int, scan_id: int, actor: str) -> None:
    get_device(session, device_id)
    session.add(DeviceScanRow(device_id=device_id, scan_id=scan_id))
    audit.record(session, actor, "device.scan", f"device:{device_id}", scan=scan_id)


def report_lost(session: Session, device_id: int, actor: str) -> DeviceRow:
    row = get_device(session, device_id)
    if row.lost_at is None:
        row.lost_at = utcnow()
    audit.record(session, actor, "device.lost", f"device:{device_id}")
    return row


def exposure(session: Session, device_id: int) -> Exposure:
    """Protected documents, credentials and personal data found at the device's last scan."""
    device = get_device(session, device_id)
    scan = last_scan(session, device_id)
    result = Exposure(device, scan)
    if scan is None:
        return result
    stmt = select(FindingRow).where(FindingRow.scan_id == scan.id).order_by(FindingRow.id)
    for finding in session.scalars(stmt):
        _sort_into(result, finding)
    return result


def _sort_into(result: Exposure, finding: FindingRow) -> None:
    entry = {
        "finding_id": finding.id,
        "path": finding.path,
        "rule": f"{finding.detector}/{finding.rule}",
        "severity": finding.severity,
        "message": finding.message,
    }
    details = finding.details or {}
    if finding.detector in ("document", "mark"):
        entry["document"] = details.get("document")
        result.documents.append(entry)
    elif finding.detector in ("pii", "records") or (
        finding.detector == "secret" and any(w in finding.rule for w in PERSONAL_RULE_WORDS)
    ):
        result.personal_data.append(entry)
    elif finding.detector == "secret":
        result.credentials.append(entry)
    elif finding.detector not in ("error", "limit"):
        result.other.append(entry)


def scanned_at(scan: Scan | None) -> datetime | None:
    return scan.started_at if scan else None
