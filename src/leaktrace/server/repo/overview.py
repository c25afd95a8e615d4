"""The numbers on the overview page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leaktrace.core.finding import Severity
from leaktrace.server.repo import utcnow
from leaktrace.store.models import CaseRow, FindingRow, Scan, StaffReportRow, TriageRow

DAYS = 30


@dataclass(frozen=True)
class Overview:
    per_day: list[tuple[str, int]]
    by_detector: list[tuple[str, int]]
    by_severity: list[tuple[str, int]]
    cases_by_status: list[tuple[str, int]]
    untriaged: int
    new_reports: int


def overview(session: Session) -> Overview:
    return Overview(
        per_day=findings_per_day(session),
        by_detector=findings_by_detector(session),
        by_severity=findings_by_severity(session),
        cases_by_status=cases_by_status(session),
        untriaged=untriaged(session),
        new_reports=int(
            session.scalar(
                select(func.count())
                .select_from(StaffReportRow)
                .where(StaffReportRow.status == "new")
            )
            or 0
        ),
    )


def findings_per_day(session: Session, days: int = DAYS) -> list[tuple[str, int]]:
    """Findings recorded per day over the last ``days`` days (days without any count 0)."""
    today = utcnow().date()
    since = utcnow() - timedelta(days=days)
    counts: Counter[str] = Counter()
    columns = [
        Scan.count_info,
        Scan.count_low,
        Scan.count_medium,
        Scan.count_high,
        Scan.count_critical,
    ]
    for started, *severities in session.execute(
        select(Scan.started_at, *columns).where(Scan.started_at >= since)
    ):
        counts[started.date().isoformat()] += sum(severities)
    return [
        ((day := today - timedelta(days=back)).strftime("%m-%d"), counts[day.isoformat()])
        for back in range(days - 1, -1, -1)
    ]


def findings_by_detector(session: Session) -> list[tuple[str, int]]:
    stmt = (
        select(FindingRow.detector, func.count())
        .group_by(FindingRow.detector)
        .order_by(func.count().desc(), FindingRow.detector)
    )
    return [(name, int(n)) for name, n in session.execute(stmt)]


def findings_by_severity(session: Session) -> list[tuple[str, int]]:
    stmt = select(FindingRow.severity, func.count()).group_by(FindingRow.severity)
    counts = {int(level): int(n) for level, n in session.execute(stmt)}
    return [(s.label, counts.get(int(s), 0)) for s in reversed(Severity)]


def cases_by_status(session: Session) -> list[tuple[str, int]]:
    stmt = select(CaseRow.status, func.count()).group_by(CaseRow.status)
    counts = {status: int(n) for status, n in session.execute(stmt)}
    return [(status, counts.get(status, 0)) for status in ("open", "investigating", "closed")]


def untriaged(session: Session) -> int:
    stmt = (
        select(func.count())
        .select_from(FindingRow)
        .outerjoin(TriageRow, TriageRow.finding_id == FindingRow.id)
        .where(TriageRow.finding_id.is_(None))
    )
    return int(session.scalar(stmt) or 0)
