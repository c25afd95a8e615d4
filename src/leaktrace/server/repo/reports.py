"""Reports from staff: a suspected leak or a lost device, anonymous if they wish.

The reporter gets a receipt code to come back with (to read replies and add information);
only the code's SHA-256 is stored, so the database cannot tell who holds which report.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaktrace.server.repo import ServerError, audit, not_found, utcnow
from leaktrace.store.models import ReportMessageRow, StaffReportRow

KINDS = ("leak", "lost_device")
STATUSES = ("new", "triaged", "closed")
MAX_TEXT = 10_000
# Crockford-like alphabet without look-alikes (0/O, 1/I/L): easy to read out and type.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_GROUPS, _GROUP = 4, 4  # 16 symbols ≈ 79 bits: not guessable, even unthrottled
REPORTER = "reporter"


def new_receipt() -> str:
    symbols = "".join(secrets.choice(_ALPHABET) for _ in range(_GROUPS * _GROUP))
    return "-".join(symbols[i : i + _GROUP] for i in range(0, len(symbols), _GROUP))


def receipt_hash(code: str) -> str:
    """The stored form of a receipt code, however it was typed (case, spaces, dashes)."""
    normalized = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalized.encode()).hexdigest()


def _text(text: str) -> str:
    text = text.strip()
    if not text or len(text) > MAX_TEXT:
        raise ServerError(422, f"please write 1-{MAX_TEXT} characters")
    return text


def submit(
    session: Session, kind: str, text: str, reporter: str | None
) -> tuple[StaffReportRow, str]:
    """File a report; returns it and the receipt code (shown to the reporter once)."""
    if kind not in KINDS:
        raise ServerError(422, f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    text = _text(text)
    reporter = (reporter or "").strip()[:200] or None
    code = new_receipt()
    row = StaffReportRow(
        receipt_sha256=receipt_hash(code),
        kind=kind,
        status="new",
        reporter=reporter,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    session.add(ReportMessageRow(report_id=row.id, at=row.created_at, author=REPORTER, text=text))
    audit.record(session, reporter or "anonymous", "report.submit", f"report:{row.id}", kind=kind)
    return row, code


def by_receipt(session: Session, code: str) -> StaffReportRow:
    row = session.scalar(
        select(StaffReportRow).where(StaffReportRow.receipt_sha256 == receipt_hash(code))
    )
    if row is None:
        raise ServerError(404, "no report has this receipt code; check it and try again")
    return row


def get_report(session: Session, report_id: int) -> StaffReportRow:
    row = session.get(StaffReportRow, report_id)
    if row is None:
        raise not_found(f"report {report_id}")
    return row


def messages(session: Session, report_id: int) -> list[ReportMessageRow]:
    stmt = (
        select(ReportMessageRow)
        .where(ReportMessageRow.report_id == report_id)
        .order_by(ReportMessageRow.id)
    )
    return list(session.scalars(stmt))


def add_message(session: Session, report: StaffReportRow, author: str, text: str) -> None:
    """The reporter adds information (``author`` "reporter") or the team replies."""
    session.add(ReportMessageRow(report_id=report.id, at=utcnow(), author=author, text=_text(text)))
    audit.record(session, author, "report.message", f"report:{report.id}")


def list_reports(session: Session, status: str | None = None) -> list[StaffReportRow]:
    stmt = select(StaffReportRow).order_by(StaffReportRow.id.desc())
    if status:
        stmt = stmt.where(StaffReportRow.status == check_status(status))
    return list(session.scalars(stmt))


def check_status(status: str) -> str:
    if status not in STATUSES:
        raise ServerError(422, f"report status must be one of {', '.join(STATUSES)}")
    return status


def set_status(session: Session, report_id: int, status: str, actor: str) -> StaffReportRow:
    row = get_report(session, report_id)
    row.status = check_status(status)
    audit.record(session, actor, "report.status", f"report:{report_id}", status=status)
    return row
