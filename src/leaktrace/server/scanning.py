"""Scanning uploaded content in the server, with the same pipeline and policy as the CLI.

The scan's policy knows the data folder's document index, the store's issued documents (so
traced copies are recognized) and record tables, and, as its baseline, every finding the team
marked as a false alarm. A scanner is built per request: plugins keep per-instance state
(pattern scratch space) that must not be shared between threads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from leaktrace.cli.scanning import load_policy, stored_material
from leaktrace.core.finding import Finding
from leaktrace.core.pipeline import Scanner
from leaktrace.core.policy import Policy
from leaktrace.server.repo import audit, triage
from leaktrace.server.services import Services
from leaktrace.store import ScanRecord

MAX_NAME = 255


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@dataclass(frozen=True)
class ScanResult:
    scan_id: int
    findings: int
    files: int


def safe_name(name: str | None) -> str:
    """The file's own name, for display and lineage only (never used as a path here)."""
    base = (name or "upload").replace("\\", "/").rsplit("/", 1)[-1].strip()
    cleaned = "".join(ch for ch in base if ch.isprintable())[:MAX_NAME]
    return cleaned or "upload"


def server_policy(svc: Services) -> Policy:
    policy = stored_material(svc.store, load_policy(None, None, svc.config.home))
    with svc.session() as session:
        accepted = triage.false_alarm_fingerprints(session)
    return policy.with_baseline(accepted) if accepted else policy


def scan_uploads(
    svc: Services, uploads: Sequence[Upload], root_label: str, actor: str
) -> ScanResult:
    """Scan the uploads as top-level files and record them as one scan (audited)."""
    started = datetime.now(UTC)
    scanner = Scanner(svc.registry, server_policy(svc))
    findings: list[Finding] = []
    items = bytes_read = 0
    for upload in uploads:
        report = scanner.scan_bytes(upload.name, upload.data)
        findings.extend(report.findings)
        items += report.items
        bytes_read += report.bytes_read
    record = ScanRecord(
        started_at=started,
        finished_at=datetime.now(UTC),
        roots=[f"{root_label}:{u.name}" for u in uploads],
        policy=None,
        files=len(uploads),
        items=items,
        bytes_read=bytes_read,
        status="complete",
    )
    scan_id = svc.store.record_scan(record, findings)
    with svc.session() as session:
        names = [u.name for u in uploads]
        audit.record(session, actor, "scan.upload", f"scan:{scan_id}", files=names)
    return ScanResult(scan_id, len(findings), len(uploads))
