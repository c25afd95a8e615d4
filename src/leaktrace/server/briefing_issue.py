"""Issuing a briefing: the uploaded document becomes one traced copy per recipient (the same
`leaktrace mark` machinery), kept in the data folder for each recipient to download."""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from leaktrace.core.errors import LeakTraceError, UsageError
from leaktrace.server.repo import ServerError, briefings
from leaktrace.server.repo.briefings import IssuedLink
from leaktrace.server.scanning import Upload
from leaktrace.server.services import Services
from leaktrace.trace.capacity import RetypedCapacity, retyped_capacity
from leaktrace.trace.issue import issue, prepare
from leaktrace.trace.recipients import RecipientRow, parse_recipients
from leaktrace.trace.variant import STYLES

COLLUSION = 2


@dataclass(frozen=True)
class IssuedBriefing:
    briefing_id: int
    links: list[IssuedLink]
    retyped: RetypedCapacity
    """What a retyped leak of a copy would still tell (shown to whoever issued it)."""


def read_recipient_list(text: str) -> list[RecipientRow]:
    """CSV with an ``id`` column, or simply one ``id,name`` per line."""
    text = text.strip()
    first = text.splitlines()[0] if text else ""
    if "id" not in [c.strip().lower() for c in first.replace(";", ",").split(",")]:
        text = "id,name\n" + text
    try:
        return parse_recipients(text, "recipients")
    except UsageError as error:
        raise ServerError(422, str(error)) from None


def copy_path(svc: Services, briefing_id: int, recipient: str, file_name: str) -> Path:
    return svc.config.briefings_folder / str(briefing_id) / recipient / file_name


def issue_briefing(
    svc: Services,
    title: str,
    upload: Upload,
    recipients_text: str,
    actor: str,
    style: str = "safe",
) -> IssuedBriefing:
    if style not in STYLES:
        raise ServerError(422, f"style must be one of {', '.join(STYLES)}, not {style!r}")
    recipients = read_recipient_list(recipients_text)
    with svc.session() as session:
        briefing_id = briefings.create(session, title, upload.name, actor).id
    folder = svc.config.briefings_folder / str(briefing_id)
    try:
        document_id, retyped = _issue_copies(svc, folder, title, upload, recipients, style)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        with svc.session() as session:
            session.delete(briefings.get_briefing(session, briefing_id))
        raise
    with svc.session() as session:
        links = briefings.record_issue(session, briefing_id, document_id, recipients, actor)
    return IssuedBriefing(briefing_id, links, retyped)


def _issue_copies(
    svc: Services,
    folder: Path,
    title: str,
    upload: Upload,
    recipients: list[RecipientRow],
    style: str,
) -> tuple[int, RetypedCapacity]:
    # Outside ``folder``: a recipient's id may be any folder name.
    original = svc.config.briefings_folder / ".incoming" / uuid.uuid4().hex / upload.name
    original.parent.mkdir(parents=True, exist_ok=True)
    original.write_bytes(upload.data)
    try:
        prepared = prepare(original, style=style)
        issued = issue(svc.store, prepared, recipients, folder, collusion=COLLUSION, label=title)
        nodes = prepared.document.nodes
        retyped = retyped_capacity(prepared.plan, nodes, len(recipients), COLLUSION)
    except LeakTraceError as error:
        raise ServerError(422, str(error)) from None
    finally:
        shutil.rmtree(original.parent, ignore_errors=True)  # only the recipients' copies stay
    return issued.document_id, retyped
