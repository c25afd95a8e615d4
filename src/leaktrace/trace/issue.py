"""Issue a document as recipient-marked copies, and record what tracing will need.

One plan per document (where the slots are), one code per document (a fresh secret key), one
code word per recipient. Every copy reads like the original; the store keeps the key, the plan
(hashes, never text) and the code words, never the copies.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from leaktrace.core.errors import UsageError, os_error_reason
from leaktrace.protect.fingerprint import fingerprint
from leaktrace.store import Store
from leaktrace.store.issued import NewRecipient
from leaktrace.trace.code import FingerprintCode
from leaktrace.trace.formats import MarkableDocument, parse_markable, plan_document, text_of
from leaktrace.trace.plan import Bits, ExplainedSlot, MarkPlan
from leaktrace.trace.recipients import RecipientRow
from leaktrace.trace.render import explain, render_marks


@dataclass(frozen=True)
class Prepared:
    """A document ready to issue: its content, its plan, and the slots explained."""

    path: Path
    data: bytes
    document: MarkableDocument
    plan: MarkPlan

    def explained(self) -> list[ExplainedSlot]:
        return explain(self.document.nodes, self.plan)


@dataclass(frozen=True)
class IssuedCopy:
    recipient: str
    path: Path
    sha256: str


@dataclass(frozen=True)
class Issued:
    document_id: int
    prepared: Prepared
    collusion: int
    copies: tuple[IssuedCopy, ...]


def prepare(path: Path, veto: Collection[str] = (), *, style: str = "safe") -> Prepared:
    """Read a document and place its marks; refuse one with no place for a mark.

    ``style``: "safe" (the default) or "bold", which adds wording variants that change a
    copy's style visibly (see ``variant.STYLES``)."""
    try:
        data = path.read_bytes()  # once: parsed here, hashed when issued
    except OSError as error:
        raise UsageError(f"cannot read {path}: {os_error_reason(error)}") from None
    document = parse_markable(data, path.suffix)
    plan = plan_document(document, veto=veto, style=style)
    if not plan.slots:
        raise UsageError(f"{path}: no place for a mark (too little text once vetoes apply)")
    return Prepared(path, data, document, plan)


def issue(
    store: Store,
    prepared: Prepared,
    recipients: Sequence[RecipientRow],
    out: Path,
    *,
    collusion: int,
    name: str | None = None,
    label: str | None = None,
) -> Issued:
    """Write one marked copy per recipient to ``out/<id>/<file name>`` and record the issue.

    Nothing is overwritten: an existing copy is an error before anything is written. If the
    store cannot record the issue, the copies written are removed again.
    """
    if collusion < 1:
        raise UsageError(f"--collusion must be at least 1, not {collusion}")
    targets = [out / r.id / prepared.path.name for r in recipients]
    existing = [t for t in targets if t.exists()]
    if existing:
        raise UsageError(f"{existing[0]} already exists; choose an empty --out folder")
    code = FingerprintCode.generate(len(prepared.plan.slots), collusion)
    written: list[IssuedCopy] = []
    new: list[NewRecipient] = []
    try:
        for number, (recipient, target) in enumerate(zip(recipients, targets, strict=True)):
            bits = code.codeword(number)
            sha256 = _write_copy(prepared, bits, target)
            written.append(IssuedCopy(recipient.id, target, sha256))
            new.append(NewRecipient(recipient.id, recipient.details, bits, sha256))
        document_id = store.add_issued(
            name=name or prepared.path.name,
            label=label,
            media_type=prepared.document.media_type,
            sha256=hashlib.sha256(prepared.data).hexdigest(),
            collusion=collusion,
            key=code.key,
            plan=prepared.plan.to_json(),
            slot_count=len(prepared.plan.slots),
            recipients=new,
            fingerprints=fingerprint(text_of(prepared.document)).unique_hashes(),
        )
    except BaseException:
        for done in written:
            done.path.unlink(missing_ok=True)
        raise
    return Issued(document_id, prepared, collusion, tuple(written))


def _write_copy(prepared: Prepared, bits: Bits, target: Path) -> str:
    """Render and save one recipient's copy; the SHA-256 of what was written."""
    plan, document = prepared.plan, prepared.document
    nodes = render_marks(document.nodes, plan, bits)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        document.save(nodes, plan.format_bits(bits), target)
        return hashlib.sha256(target.read_bytes()).hexdigest()
    except OSError as error:
        raise UsageError(f"cannot write {target}: {os_error_reason(error)}") from None
