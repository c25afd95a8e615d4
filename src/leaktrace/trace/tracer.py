"""Trace a leak: which issued document it comes from, which marks survive, who is accused.

The document is found by the marks themselves: every issued document's plan is read against
the leak, and the one whose slots are found most is the source (a byte-identical copy is
recognized by its hash first). Then the fingerprinting code scores every recipient and
accuses only beyond the stated false-accusation bound; ``accused`` is empty otherwise, and
``reason`` says why.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from leaktrace.store.issued import IssuedDocument, IssuedSummary
from leaktrace.trace.accuse import Accusation, accuse
from leaktrace.trace.code import DEFAULT_FALSE_ACCUSATION, FingerprintCode
from leaktrace.trace.formats import merge_readings, read_format_marks
from leaktrace.trace.plan import MarkPlan, Readings
from leaktrace.trace.read import read_marks

MIN_MARKS_TO_NAME_A_DOCUMENT = 3
"""Fewer slots found than this, and the leak is not said to come from any issued document."""


@dataclass(frozen=True)
class Suspect:
    recipient: str
    score: float
    p_value: float
    details: dict[str, str]


@dataclass(frozen=True)
class TraceResult:
    """What a trace found; ``accused`` is empty unless the evidence is overwhelming."""

    document: IssuedSummary | None
    accused: tuple[str, ...]
    candidates: tuple[Suspect, ...]
    marks_read: int
    marks_total: int
    reason: str
    copy_of: str | None = None
    """The recipient whose issued copy is byte-for-byte this file, if any."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document.name if self.document else None,
            "document_id": self.document.id if self.document else None,
            "accused": list(self.accused),
            "candidates": [
                {"recipient": c.recipient, "score": round(c.score, 3), "p_value": c.p_value}
                for c in self.candidates
            ],
            "marks_read": self.marks_read,
            "marks_total": self.marks_total,
            "reason": self.reason,
            "copy_of": self.copy_of,
        }


class Tracer:
    """Issued documents made ready to trace against, once: their plans parsed and their copies'
    hashes indexed (a scan traces many items against the same documents)."""

    def __init__(self, issued: Iterable[IssuedDocument]) -> None:
        self.documents = list(issued)
        self.plans = [MarkPlan.from_json(document.plan) for document in self.documents]
        self._copies = {
            recipient.copy_sha256: (number, recipient.number)
            for number, document in enumerate(self.documents)
            for recipient in document.recipients
        }

    def copy_of(self, sha256: str) -> tuple[int, int] | None:
        """(document, recipient) numbers of the issued copy with exactly this content."""
        return self._copies.get(sha256)

    def trace(
        self,
        data: bytes,
        text: str,
        *,
        false_accusation: float = DEFAULT_FALSE_ACCUSATION,
        among: Collection[int] | None = None,
        sha256: str | None = None,
    ) -> TraceResult:
        """Trace a leaked file: its bytes (for format marks and copy hashes) and its text.

        ``among``: the numbers of the documents worth reading (all when None); a byte-for-byte
        copy is recognized whatever it says. ``sha256``: the bytes' hash, when known."""
        if not self.documents:
            return _nothing("no document has been issued as marked copies yet")
        copy = self.copy_of(sha256 or hashlib.sha256(data).hexdigest())
        if copy is not None:
            among = (copy[0],)
        best = self._best_reading(
            data, text, range(len(self.documents)) if among is None else among
        )
        if best is None:
            why = "no marks of any issued document were found" + (
                " (the text is empty)" if not text.strip() else ""
            )
            return _nothing(why)
        number, readings = best
        document, plan = self.documents[number], self.plans[number]
        read = int(np.count_nonzero(readings >= 0))
        if copy is None and read < MIN_MARKS_TO_NAME_A_DOCUMENT:
            return _nothing(f"only {read} mark(s) of {document.summary.name!r} found: too few")
        code = FingerprintCode.generate(len(plan.slots), document.summary.collusion, document.key)
        codewords = document.codewords()
        names = [recipient.recipient for recipient in document.recipients]
        accusation = accuse(
            code, codewords, readings, false_accusation=false_accusation, names=names
        )
        return _result(document, plan, readings, accusation, copy)

    def _best_reading(
        self, data: bytes, text: str, among: Iterable[int]
    ) -> tuple[int, Readings] | None:
        """The issued document whose slots the leak holds most of, and what they read."""
        best: tuple[int, int, Readings] | None = None
        for number in sorted(among):
            plan = self.plans[number]
            readings = merge_readings(read_marks(text, plan), read_format_marks(data, plan))
            read = int(np.count_nonzero(readings >= 0))
            if read and (best is None or read >= best[0]):  # ties: the latest issued
                best = (read, number, readings)
        return None if best is None else best[1:]


def _result(
    document: IssuedDocument,
    plan: MarkPlan,
    readings: Readings,
    accusation: Accusation,
    copy: tuple[int, int] | None,
) -> TraceResult:
    recipients = document.recipients
    candidates = tuple(
        Suspect(
            recipients[c.recipient].recipient,
            c.score,
            c.p_value,
            dict(recipients[c.recipient].details),
        )
        for c in accusation.candidates
    )
    accused = tuple(recipients[j].recipient for j in accusation.accused)
    reason = accusation.reason
    copy_of = recipients[copy[1]].recipient if copy is not None else None
    if copy_of is not None:
        reason = f"byte-for-byte the copy issued to {copy_of}; {reason}"
    elif not accused and _is_original(plan, readings):
        reason = f"reads as the unmarked original, not as any recipient's copy; {reason}"
    return TraceResult(
        document.summary,
        accused,
        candidates,
        accusation.marks_read,
        accusation.marks_total,
        reason,
        copy_of,
    )


def _is_original(plan: MarkPlan, readings: Readings) -> bool:
    """Only wording slots read, each as the original has it: the original itself."""
    read = readings >= 0
    return bool(read.any()) and bool(np.all(readings[read] == plan.original_bits()[read]))


def _nothing(reason: str) -> TraceResult:
    return TraceResult(None, (), (), 0, 0, reason)
