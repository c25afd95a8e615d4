"""Cases: an investigation with a status workflow and a timeline of notes and evidence."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaktrace.server.repo import ServerError, audit, not_found, utcnow
from leaktrace.store.models import (
    CaseEventRow,
    CaseRow,
    FindingRow,
    IncidentRow,
    StaffReportRow,
)

STATUSES = ("open", "investigating", "closed")
MAX_NOTE = 20_000


def create_case(
    session: Session,
    title: str,
    actor: str,
    incident_id: int | None = None,
    finding_ids: Sequence[int] = (),
    report_id: int | None = None,
) -> CaseRow:
    title = " ".join(title.split())
    if not title or len(title) > 300:
        raise ServerError(422, "a case title needs 1-300 characters")
    if incident_id is not None and session.get(IncidentRow, incident_id) is None:
        raise not_found(f"incident {incident_id}")
    now = utcnow()
    row = CaseRow(
        title=title,
        status="open",
        incident_id=incident_id,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    _event(session, row, actor, "created", f"case opened: {title}")
    audit.record(session, actor, "case.create", f"case:{row.id}", title=title)
    for finding_id in finding_ids:
        link_evidence(session, row.id, actor, finding_id=finding_id)
    if report_id is not None:
        link_evidence(session, row.id, actor, report_id=report_id)
    return row


def list_cases(session: Session, status: str | None = None) -> list[CaseRow]:
    stmt = select(CaseRow).order_by(CaseRow.id.desc())
    if status:
        stmt = stmt.where(CaseRow.status == check_status(status))
    return list(session.scalars(stmt))


def get_case(session: Session, case_id: int) -> CaseRow:
    row = session.get(CaseRow, case_id)
    if row is None:
        raise not_found(f"case {case_id}")
    return row


def timeline(session: Session, case_id: int) -> list[CaseEventRow]:
    stmt = select(CaseEventRow).where(CaseEventRow.case_id == case_id).order_by(CaseEventRow.id)
    return list(session.scalars(stmt))


def check_status(status: str) -> str:
    if status not in STATUSES:
        raise ServerError(422, f"case status must be one of {', '.join(STATUSES)}, not {status!r}")
    return status


def set_status(session: Session, case_id: int, status: str, actor: str) -> CaseRow:
    row = get_case(session, case_id)
    old, row.status = row.status, check_status(status)
    if old != status:
        _event(session, row, actor, "status", f"status {old} → {status}")
        audit.record(session, actor, "case.status", f"case:{case_id}", old=old, new=status)
    return row


def add_note(session: Session, case_id: int, text: str, actor: str) -> CaseEventRow:
    text = text.strip()
    if not text or len(text) > MAX_NOTE:
        raise ServerError(422, f"a note needs 1-{MAX_NOTE} characters")
    row = get_case(session, case_id)
    event = _event(session, row, actor, "note", text)
    audit.record(session, actor, "case.note", f"case:{case_id}")
    return event


def link_evidence(
    session: Session,
    case_id: int,
    actor: str,
    finding_id: int | None = None,
    report_id: int | None = None,
) -> CaseEventRow:
    """Link a finding or a staff report to the case, as a line of its timeline."""
    row = get_case(session, case_id)
    if (finding_id is None) == (report_id is None):
        raise ServerError(422, "link exactly one of finding_id or report_id")
    if finding_id is not None:
        finding = session.get(FindingRow, finding_id)
        if finding is None:
            raise not_found(f"finding {finding_id}")
        text = f"finding #{finding_id}: {finding.detector}/{finding.rule} in {finding.path}"
    else:
        if session.get(StaffReportRow, report_id) is None:
            raise not_found(f"report {report_id}")
        text = f"staff report #{report_id}"
    event = _event(session, row, actor, "evidence", text, finding_id, report_id)
    audit.record(
        session, actor, "case.evidence", f"case:{case_id}", finding=finding_id, report=report_id
    )
    return event


def _event(
    session: Session,
    case: CaseRow,
    actor: str,
    kind: str,
    text: str,
    finding_id: int | None = None,
    report_id: int | None = None,
) -> CaseEventRow:
    now = utcnow()
    case.updated_at = now
    event = CaseEventRow(
        case_id=case.id,
        at=now,
        actor=actor,
        kind=kind,
        text=text,
        finding_id=finding_id,
        report_id=report_id,
    )
    session.add(event)
    return event
