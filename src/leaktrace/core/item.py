"""Items: one piece of content on its way through the pipeline."""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

from leaktrace.core.lineage import Lineage

WHOLE_SHA256 = "whole-sha256"
"""Metadata key: the SHA-256 of the item's whole content, set when ``data`` holds only its first
bytes (a top-level file larger than the size limit), so exact copies are still recognized."""


@dataclass(frozen=True)
class Item:
    """Content with its lineage, its real media type (from the bytes) and its extracted text.

    ``text`` is filled by the extractor that understands the media type (``None`` when the item
    has no text, such as a zip or an image without metadata). Detectors read ``text`` for
    words and ``data`` for bytes.
    """

    lineage: Lineage
    data: bytes
    media_type: str = "application/octet-stream"
    text: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return str(self.lineage)

    @property
    def depth(self) -> int:
        return self.lineage.depth

    def with_text(self, text: str | None, metadata: Mapping[str, str] | None = None) -> Item:
        merged = {**self.metadata, **(metadata or {})}
        return replace(self, text=text, metadata=merged)

    @cached_property
    def _line_starts(self) -> list[int]:
        text = self.text or ""
        starts = [0]
        find = text.find
        position = find("\n")
        while position != -1:
            starts.append(position + 1)
            position = find("\n", position + 1)
        return starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset in ``text``."""
        starts = self._line_starts
        index = bisect.bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1
