"""Items: one piece of content on its way through the pipeline."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from leaktrace.core.lineage import Lineage

T = TypeVar("T")

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
    def sha256(self) -> str:
        """Hex SHA-256 of ``data`` (computed once, whichever detector asks first)."""
        return hashlib.sha256(self.data).hexdigest()

    def derived(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, once per item and ``key``: work that several detectors need (the
        text's fingerprints) is done by the first that asks, and shared."""
        memo: dict[Hashable, Any] = self.__dict__.setdefault("_derived", {})
        if key not in memo:
            memo[key] = compute()
        value: T = memo[key]
        return value

    @cached_property
    def _line_starts(self) -> npt.NDArray[np.intp]:
        # One code unit per character (ASCII bytes, else UTF-32), so numpy finds every newline
        # in one pass; ASCII, the common case, costs one byte per character, not four.
        text = self.text or ""
        if text.isascii():
            units = np.frombuffer(text.encode("ascii"), np.uint8)
        else:
            units = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
        return np.concatenate(([0], np.flatnonzero(units == 10) + 1))

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset in ``text``."""
        starts = self._line_starts
        index = int(np.searchsorted(starts, offset, side="right")) - 1
        return index + 1, offset - int(starts[index]) + 1
