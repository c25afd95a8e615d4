"""Marked copies met in a scan: content of a document issued with `leaktrace mark`.

For every item with text that shares some of an issued document's text (its fingerprints) or is
a byte-for-byte copy, that document's marks are read from it; when enough of one
document's marks are present the fingerprinting code scores its recipients and the finding
names the accused, if the evidence is strong enough (the same test as `leaktrace trace`).

Options (the CLI fills ``issued`` from the store): ``issued`` (the issued documents, with keys
and code words), ``min_marks`` (marks of one document needed for a finding, 8),
``false_accusation`` (1e-6).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from leaktrace.core.finding import Finding, Rule, Severity
from leaktrace.core.item import Item
from leaktrace.core.plugin import Detector
from leaktrace.protect.fingerprint import item_fingerprints
from leaktrace.trace.code import DEFAULT_FALSE_ACCUSATION
from leaktrace.trace.tracer import Tracer, TraceResult

_SHARED_PRINTS = 2
"""Fingerprints an item must share with an issued document before its marks are read: two
prints are a shared run of a dozen words or so, far less than marks need."""


class MarkDetector(Detector):
    name = "mark"
    rules = (
        Rule(
            "mark", "traced-copy", "Marked copy of an issued document: source named", Severity.HIGH
        ),
        Rule(
            "mark",
            "marked-content",
            "Content of an issued document; too few marks to name its source",
            Severity.MEDIUM,
        ),
    )

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        self.tracer = Tracer(self.options.get("issued", ()))
        self.min_marks = int(self.options.get("min_marks", 8))
        self.false_accusation = float(
            self.options.get("false_accusation", DEFAULT_FALSE_ACCUSATION)
        )

    def detect(self, item: Item) -> Iterator[Finding]:
        if not self.tracer.documents or not item.text:
            return
        among = self.candidates(item)
        if not among:
            return
        result = self.tracer.trace(
            item.data,
            item.text,
            false_accusation=self.false_accusation,
            among=among,
            sha256=item.sha256,
        )
        if result.document is None:
            return
        if result.copy_of is None and result.marks_read < self.min_marks:
            return
        yield self._finding(item, result)

    def candidates(self, item: Item) -> list[int]:
        """The issued documents worth reading marks of: those whose text this item shares
        (a few winnowing fingerprints), or whose copy it is byte for byte. Reading marks costs
        far more than fingerprinting once, so unrelated items stop here."""
        copy = self.tracer.copy_of(item.sha256)
        prints = item_fingerprints(item).unique_hashes()
        return [
            number
            for number, document in enumerate(self.tracer.documents)
            if (copy is not None and number == copy[0])
            or np.intersect1d(prints, document.fingerprints, assume_unique=True).size
            >= _SHARED_PRINTS
        ]

    def _finding(self, item: Item, result: TraceResult) -> Finding:
        assert result.document is not None
        name = result.document.name
        if result.accused:
            rule = "traced-copy"
            message = f"marked copy of {name!r} issued to {', '.join(result.accused)}"
        else:
            rule = "marked-content"
            message = f"{result.marks_read} marks of issued document {name!r}; nobody named"
        top = [c for c in result.candidates[:3]]
        return self.finding(
            item,
            rule,
            message,
            key=f"{result.document.id}:{','.join(result.accused)}",
            details={
                "document": name,
                "document_id": result.document.id,
                "accused": list(result.accused),
                "candidates": [
                    {"recipient": c.recipient, "p_value": float(np.float64(c.p_value))} for c in top
                ],
                "marks_read": result.marks_read,
                "marks_total": result.marks_total,
                "reason": result.reason,
            },
        )
