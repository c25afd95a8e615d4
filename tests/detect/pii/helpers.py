"""Running the `pii` detector on a text, as the pipeline would on one item."""

from __future__ import annotations

from typing import Any

from leaktrace.core.finding import Finding
from leaktrace.core.item import Item
from leaktrace.core.lineage import Lineage
from leaktrace.detect.pii import PiiDetector


def item(text: str) -> Item:
    return Item(Lineage.root("doc.txt"), text.encode(), "text/plain", text)


def findings(text: str, **options: Any) -> list[Finding]:
    return list(PiiDetector(options).detect(item(text)))


def rules(text: str, **options: Any) -> list[str]:
    return [finding.rule for finding in findings(text, **options)]
