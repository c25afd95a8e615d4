"""Protected documents: registered files found again, whole or in part, in any scanned item.

Two checks per item. Its bytes' SHA-256 against every registered file (an exact copy of any
file, a CAD drawing or a video as much as a report). Its text's winnowing fingerprints against
the index of registered documents: shared prints of one document are grouped into passages
(prints no more than ``max_gap`` words apart), and a finding needs one passage with at least
``min_fingerprints`` distinct shared prints, and passages covering ``min_words`` words in all.

Asking for that much evidence in *one* place is what keeps common phrases out: unrelated texts
share a stock phrase or an author line here and there, each a print or two, scattered; a real
excerpt shares prints densely. With the default parameters one shared run of 6 + 3 * 4 = 18
normalized words always makes a finding (every 3 consecutive shingles hold a print).

Options (policy ``[detectors.document]``): ``index`` (the index folder; the CLI sets it to the
data folder's), ``min_fingerprints`` (4), ``min_words`` (the winnowing guarantee), ``max_gap``
(words between prints of one passage; 4 times the guarantee).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from leaktrace.core.finding import Finding, Rule, Severity
from leaktrace.core.item import WHOLE_SHA256, Item
from leaktrace.core.plugin import Detector
from leaktrace.protect.fingerprint import Fingerprints, Hashes, item_fingerprints
from leaktrace.protect.index import DocumentIndex, DocumentInfo


@dataclass(frozen=True)
class Passage:
    """One run of shared fingerprints in the scanned text."""

    first_word: int
    last_word: int
    fingerprints: int


@dataclass(frozen=True)
class DocumentMatch:
    """How much of one registered document an item contains, and where."""

    document: int
    matched_fingerprints: int
    matched_words: int
    passages: tuple[Passage, ...]


class DocumentDetector(Detector):
    name = "document"
    rules = (
        Rule("document", "exact-copy", "An exact copy of a registered file", Severity.HIGH),
        Rule("document", "excerpt", "Text of a registered document", Severity.HIGH),
    )

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        folder = self.options.get("index")
        self.index = DocumentIndex.open(Path(folder)) if folder else None
        guarantee = self.index.params.guarantee if self.index else 9
        self.min_fingerprints = int(self.options.get("min_fingerprints", 4))
        self.min_words = int(self.options.get("min_words", guarantee))
        self.max_gap = int(self.options.get("max_gap", 4 * guarantee))

    def detect(self, item: Item) -> Iterator[Finding]:
        if self.index is None or len(self.index) == 0:
            return
        whole = item.metadata.get(WHOLE_SHA256) or item.sha256
        exact = self.index.by_sha256.get(whole)
        if exact is not None:
            yield self._exact(item, self.index.documents[exact])
        if item.text:
            prints = item_fingerprints(item, self.index.params)
            for match in self.matches(prints):
                if match.document != exact:
                    yield self._excerpt(item, prints, match)

    def matches(self, prints: Fingerprints) -> list[DocumentMatch]:
        """Every registered document this text shares enough of, most covered first."""
        assert self.index is not None
        query_index, numbers = self.index.lookup(prints.hashes)
        if query_index.size < self.min_fingerprints:
            return []
        positions = prints.positions[query_index]
        hashes = prints.hashes[query_index]
        order = np.lexsort((positions, numbers))
        numbers, positions, hashes = numbers[order], positions[order], hashes[order]
        edges = [0, *(np.flatnonzero(np.diff(numbers)) + 1).tolist(), int(numbers.size)]
        found = []
        for start, end in itertools.pairwise(edges):
            if end - start < self.min_fingerprints:
                continue
            match = self._match(int(numbers[start]), positions[start:end], hashes[start:end])
            if match is not None:
                found.append(match)
        return sorted(found, key=lambda m: (-m.matched_fingerprints, m.document))

    def _match(
        self, document: int, positions: npt.NDArray[np.int64], hashes: Hashes
    ) -> DocumentMatch | None:
        """Passages of one document's prints in the scanned text. Prints are counted once each,
        so a phrase the scanned text repeats cannot add up to a finding on its own."""
        assert self.index is not None
        shingle = self.index.params.shingle
        breaks = np.flatnonzero(np.diff(positions) > self.max_gap) + 1
        passages: list[Passage] = []
        kept: list[Hashes] = []
        words = 0
        for start, end in itertools.pairwise([0, *breaks.tolist(), int(positions.size)]):
            distinct = np.unique(hashes[start:end])
            if distinct.size < 2:  # a lone shared print is a coincidence, not a passage
                continue
            kept.append(distinct)
            words += _covered_words(np.unique(positions[start:end]), shingle)
            last_word = int(positions[end - 1]) + shingle - 1
            passages.append(Passage(int(positions[start]), last_word, int(distinct.size)))
        densest = max((p.fingerprints for p in passages), default=0)
        if densest < self.min_fingerprints or words < self.min_words:
            return None
        matched = int(np.unique(np.concatenate(kept)).size)
        return DocumentMatch(document, matched, words, tuple(passages))

    def _exact(self, item: Item, document: DocumentInfo) -> Finding:
        return self.finding(
            item,
            "exact-copy",
            f"exact copy of protected document {document.name!r}",
            evidence=f"sha256 {document.sha256[:12]}…",
            key=f"exact:{document.id}",
            details={
                "document": document.name,
                "document_id": document.id,
                "label": document.label,
                "coverage": 1.0,
                "matched_words": document.word_count,
            },
        )

    def _excerpt(self, item: Item, prints: Fingerprints, match: DocumentMatch) -> Finding:
        assert self.index is not None
        document = self.index.documents[match.document]
        coverage = min(1.0, match.matched_fingerprints / max(document.fingerprints, 1))
        last = prints.word_count - 1
        ends = [(p.first_word, min(p.last_word, last)) for p in match.passages]
        numbers = prints.word_lines(np.array(ends, dtype=np.int64).reshape(-1)).tolist()
        lines = [numbers[i : i + 2] for i in range(0, len(numbers), 2)]
        finding = self.finding(
            item,
            "excerpt",
            f"{coverage:.0%} of protected document {document.name!r} "
            f"({match.matched_words} words, lines {_ranges(lines)})",
            key=f"excerpt:{document.id}",
            details={
                "document": document.name,
                "document_id": document.id,
                "label": document.label,
                "coverage": round(coverage, 4),
                "matched_words": match.matched_words,
                "matched_fingerprints": match.matched_fingerprints,
                "lines": lines,
            },
        )
        return replace(finding, line=lines[0][0] if lines else None)


def _covered_words(positions: npt.NDArray[np.int64], shingle: int) -> int:
    """Words covered by the union of the shingles starting at ``positions`` (sorted)."""
    if positions.size == 0:
        return 0
    gaps = np.diff(positions)
    return int(np.minimum(gaps, shingle).sum()) + shingle


def _ranges(lines: list[list[int]]) -> str:
    shown = [f"{a}" if a == b else f"{a}-{b}" for a, b in lines[:5]]
    return ", ".join(shown) + (", …" if len(lines) > 5 else "")
