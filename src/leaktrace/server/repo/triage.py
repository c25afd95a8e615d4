"""Findings as the security team works them: status, assignee, incident; and incidents."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from leaktrace.server.repo import ServerError, audit, not_found, utcnow
from leaktrace.store.models import FindingRow, IncidentRow, Scan, TriageRow, UserRow

STATUSES = ("new", "acknowledged", "false_alarm")
MAX_PAGE = 500


@dataclass(frozen=True)
class FindingFilter:
    scan_id: int | None = None
    detector: str | None = None
    min_severity: int | None = None
    status: str | None = None
    incident_id: int | None = None
    limit: int = 100
    offset: int = 0


@dataclass(frozen=True)
class TriagedFinding:
    """A finding's listing fields (no evidence) with its triage state."""

    id: int
    scan_id: int
    path: str
    detector: str
    rule: str
    severity: int
    message: str
    status: str
    assignee: str | None
    incident_id: int | None

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def list_findings(session: Session, where: FindingFilter) -> list[TriagedFinding]:
    """Findings, newest scan first, without evidence (viewing evidence is audited)."""
    stmt = (
        select(FindingRow, TriageRow, UserRow.username)
        .outerjoin(TriageRow, TriageRow.finding_id == FindingRow.id)
        .outerjoin(UserRow, UserRow.id == TriageRow.assignee_id)
        .where(*_conditions(where))
        .order_by(FindingRow.scan_id.desc(), FindingRow.severity.desc(), FindingRow.id)
        .limit(max(1, min(where.limit, MAX_PAGE)))
        .offset(max(0, where.offset))
    )
    return [_triaged(f, t, name) for f, t, name in session.execute(stmt)]


def _conditions(where: FindingFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if where.scan_id is not None:
        conditions.append(FindingRow.scan_id == where.scan_id)
    if where.detector:
        conditions.append(FindingRow.detector == where.detector)
    if where.min_severity is not None:
        conditions.append(FindingRow.severity >= where.min_severity)
    if where.status == "new":
        conditions.append(func.coalesce(TriageRow.status, "new") == "new")
    elif where.status:
        check_status(where.status)
        conditions.append(TriageRow.status == where.status)
    if where.incident_id is not None:
        conditions.append(TriageRow.incident_id == where.incident_id)
    return conditions


def _triaged(row: FindingRow, triage: TriageRow | None, assignee: str | None) -> TriagedFinding:
    return TriagedFinding(
        id=row.id,
        scan_id=row.scan_id,
        path=row.path,
        detector=row.detector,
        rule=row.rule,
        severity=row.severity,
        message=row.message,
        status=triage.status if triage else "new",
        assignee=assignee,
        incident_id=triage.incident_id if triage else None,
    )


def triage_of(session: Session, finding_id: int) -> TriagedFinding:
    found = session.execute(
        select(FindingRow, TriageRow, UserRow.username)
        .outerjoin(TriageRow, TriageRow.finding_id == FindingRow.id)
        .outerjoin(UserRow, UserRow.id == TriageRow.assignee_id)
        .where(FindingRow.id == finding_id)
    ).first()
    if found is None:
        raise not_found(f"finding {finding_id}")
    return _triaged(*found)


def check_status(status: str) -> str:
    if status not in STATUSES:
        raise ServerError(422, f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    return status


def _triage_row(session: Session, finding_id: int) -> TriageRow:
    finding = session.get(FindingRow, finding_id)
    if finding is None:
        raise not_found(f"finding {finding_id}")
    row = session.get(TriageRow, finding_id)
    if row is None:
        row = TriageRow(
            finding_id=finding_id,
            fingerprint=finding.fingerprint,
            status="new",
            assignee_id=None,
            incident_id=None,
            updated_at=utcnow(),
        )
        session.add(row)
    return row


def set_status(session: Session, finding_id: int, status: str, actor: str) -> None:
    """Acknowledge, mark as false alarm (the scans' baseline then hides it), or reopen."""
    row = _triage_row(session, finding_id)
    row.status = check_status(status)
    row.updated_at = utcnow()
    audit.record(session, actor, "finding.status", f"finding:{finding_id}", status=status)


def assign(session: Session, finding_id: int, username: str | None, actor: str) -> None:
    """Give the finding to an account (``None``: to nobody)."""
    assignee_id = None
    if username:
        assignee_id = session.scalar(select(UserRow.id).where(UserRow.username == username))
        if assignee_id is None:
            raise ServerError(422, f"no user {username!r} to assign to")
    row = _triage_row(session, finding_id)
    row.assignee_id = assignee_id
    row.updated_at = utcnow()
    audit.record(session, actor, "finding.assign", f"finding:{finding_id}", assignee=username)


def false_alarm_fingerprints(session: Session) -> frozenset[str]:
    """The baseline the team built by marking false alarms: later scans do not report them."""
    stmt = select(TriageRow.fingerprint).where(TriageRow.status == "false_alarm")
    return frozenset(session.scalars(stmt))


# -- incidents --------------------------------------------------------------------------------


def create_incident(
    session: Session, title: str, finding_ids: Sequence[int], actor: str
) -> IncidentRow:
    title = _title(title)
    row = IncidentRow(title=title, created_by=actor, created_at=utcnow())
    session.add(row)
    session.flush()
    audit.record(session, actor, "incident.create", f"incident:{row.id}", title=title)
    add_to_incident(session, row.id, finding_ids, actor)
    return row


def add_to_incident(
    session: Session, incident_id: int, finding_ids: Sequence[int], actor: str
) -> None:
    if session.get(IncidentRow, incident_id) is None:
        raise not_found(f"incident {incident_id}")
    for finding_id in dict.fromkeys(finding_ids):
        _triage_row(session, finding_id).incident_id = incident_id
    if finding_ids:
        audit.record(
            session, actor, "incident.add", f"incident:{incident_id}", findings=list(finding_ids)
        )


def incidents(session: Session) -> list[tuple[IncidentRow, int]]:
    """Every incident with how many findings it groups, newest first."""
    count = (
        select(func.count())
        .where(TriageRow.incident_id == IncidentRow.id)
        .correlate(IncidentRow)
        .scalar_subquery()
    )
    stmt = select(IncidentRow, count).order_by(IncidentRow.id.desc())
    return [(row, int(n)) for row, n in session.execute(stmt)]


def incident(session: Session, incident_id: int) -> IncidentRow:
    row = session.get(IncidentRow, incident_id)
    if row is None:
        raise not_found(f"incident {incident_id}")
    return row


def _title(title: str) -> str:
    title = " ".join(title.split())
    if not title or len(title) > 300:
        raise ServerError(422, "a title needs 1-300 characters")
    return title


def scan_exists(session: Session, scan_id: int) -> bool:
    return session.get(Scan, scan_id) is not None
