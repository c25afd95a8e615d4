"""Marked copies met in a scan: content of a document issued with `leaktrace mark`.

For every item with text, each issued document's marks are read from it; when enough of one
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
from leaktrace.store.issued import IssuedDocument
from leaktrace.trace.code import DEFAULT_FALSE_ACCUSATION
from leaktrace.trace.tracer import TraceResult, trace


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
        self.issued: list[IssuedDocument] = list(self.options.get("issued", ()))
        self.min_marks = int(self.options.get("min_marks", 8))
        self.false_accusation = float(
            self.options.get("false_accusation", DEFAULT_FALSE_ACCUSATION)
        )

    def detect(self, item: Item) -> Iterator[Finding]:
        if not self.issued or not item.text:
            return
        result = trace(self.issued, item.data, item.text, false_accusation=self.false_accusation)
        if result.document is None:
            return
        if result.copy_of is None and result.marks_read < self.min_marks:
            return
        yield self._finding(item, result)

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
