"""The audit log: every change, and every view of a finding's evidence."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaktrace.server.repo import utcnow
from leaktrace.store.models import AuditRow


def record(session: Session, actor: str, action: str, target: str, **detail: Any) -> None:
    """Add one audit row to the session's transaction (committed with the change itself)."""
    session.add(AuditRow(at=utcnow(), actor=actor, action=action, target=target, detail=detail))


def entries(session: Session, limit: int = 200, actor: str | None = None) -> list[AuditRow]:
    """The newest audit rows first."""
    stmt = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
    if actor is not None:
        stmt = stmt.where(AuditRow.actor == actor)
    return list(session.scalars(stmt))
