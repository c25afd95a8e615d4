"""Briefings: an internal document issued as traced copies, with personal links to download
and acknowledge it. A link's token is shown once, when issued; only its SHA-256 is kept."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from leaktrace.server.repo import ServerError, audit, not_found, utcnow
from leaktrace.store.models import BriefingRecipientRow, BriefingRow
from leaktrace.trace.recipients import RecipientRow


@dataclass(frozen=True)
class IssuedLink:
    recipient: str
    name: str
    token: str


def link_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(session: Session, title: str, file_name: str, actor: str) -> BriefingRow:
    title = " ".join(title.split())
    if not title or len(title) > 300:
        raise ServerError(422, "a briefing title needs 1-300 characters")
    row = BriefingRow(
        title=title,
        file_name=file_name,
        issued_document_id=None,
        created_by=actor,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def record_issue(
    session: Session,
    briefing_id: int,
    issued_document_id: int,
    recipients: Sequence[RecipientRow],
    actor: str,
) -> list[IssuedLink]:
    """Attach the issued document and give every recipient a personal link."""
    briefing = get_briefing(session, briefing_id)
    briefing.issued_document_id = issued_document_id
    links = []
    for recipient in recipients:
        token = secrets.token_urlsafe(24)
        name = recipient.details.get("name") or recipient.id
        session.add(
            BriefingRecipientRow(
                briefing_id=briefing_id,
                recipient=recipient.id,
                name=name,
                link_sha256=link_hash(token),
                downloaded_at=None,
                acknowledged_at=None,
            )
        )
        links.append(IssuedLink(recipient.id, name, token))
    audit.record(
        session,
        actor,
        "briefing.issue",
        f"briefing:{briefing_id}",
        issued_document=issued_document_id,
        recipients=len(links),
    )
    return links


def get_briefing(session: Session, briefing_id: int) -> BriefingRow:
    row = session.get(BriefingRow, briefing_id)
    if row is None:
        raise not_found(f"briefing {briefing_id}")
    return row


def list_briefings(session: Session) -> list[tuple[BriefingRow, int, int]]:
    """Every issued briefing with its recipients and acknowledgements counted."""
    result = []
    for row in session.scalars(select(BriefingRow).order_by(BriefingRow.id.desc())):
        people = recipients(session, row.id)
        acknowledged = sum(1 for p in people if p.acknowledged_at is not None)
        result.append((row, len(people), acknowledged))
    return result


def recipients(session: Session, briefing_id: int) -> list[BriefingRecipientRow]:
    stmt = (
        select(BriefingRecipientRow)
        .where(BriefingRecipientRow.briefing_id == briefing_id)
        .order_by(BriefingRecipientRow.id)
    )
    return list(session.scalars(stmt))


def by_issued_document(session: Session, issued_document_id: int) -> BriefingRow | None:
    stmt = select(BriefingRow).where(BriefingRow.issued_document_id == issued_document_id)
    return session.scalar(stmt)


def by_link(session: Session, token: str) -> tuple[BriefingRecipientRow, BriefingRow]:
    recipient = session.scalar(
        select(BriefingRecipientRow).where(BriefingRecipientRow.link_sha256 == link_hash(token))
    )
    if recipient is None:
        raise ServerError(404, "this link is not valid (or the briefing was withdrawn)")
    return recipient, get_briefing(session, recipient.briefing_id)


def mark_downloaded(session: Session, recipient: BriefingRecipientRow) -> None:
    recipient.downloaded_at = recipient.downloaded_at or utcnow()
    audit.record(
        session,
        f"recipient:{recipient.recipient}",
        "briefing.download",
        f"briefing:{recipient.briefing_id}",
    )


def acknowledge(session: Session, recipient: BriefingRecipientRow) -> None:
    if recipient.acknowledged_at is None:
        recipient.acknowledged_at = utcnow()
        audit.record(
            session,
            f"recipient:{recipient.recipient}",
            "briefing.acknowledge",
            f"briefing:{recipient.briefing_id}",
        )
