"""Scan limits, enforced here and nowhere else.

Extractors never read a member with a bare ``read()``: they call :meth:`Budget.read`, which stops
at the per-item size, the bytes left for the whole top-level file and the compression ratio, and
:meth:`Budget.check_time` between members. Going over any of them raises :class:`LimitReached`,
which the pipeline reports as a ``limit`` finding before going on with the rest of the scan.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import IO, Any

from leaktrace.core.errors import LimitReached, PolicyError

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB
_CHUNK = 1 * MIB


@dataclass(frozen=True, slots=True)
class Limits:
    """Hard bounds on the work one top-level file may cause."""

    max_depth: int = 12
    """Containers nested deeper than this are not opened."""
    max_file_bytes: int = 256 * MIB
    """Bytes read from one file on disk (or standard input); the rest is not inspected."""
    max_item_bytes: int = 256 * MIB
    """Bytes one extracted member may expand to."""
    max_total_bytes: int = 1 * GIB
    """Bytes all members of one top-level file may expand to, together."""
    max_members: int = 10_000
    """Members opened per container."""
    max_ratio: float = 250.0
    """Expanded size over compressed size, per member (decompression bombs)."""
    ratio_floor_bytes: int = 1 * MIB
    """Below this expanded size the ratio is not checked (tiny files compress very well)."""
    max_seconds: float = 60.0
    """Wall-clock seconds spent on one top-level file and everything inside it."""
    max_text_chars: int = 64 * MIB
    """Characters of extracted text kept per item."""

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Limits:
        known = {f.name: f for f in fields(cls)}
        changes: dict[str, Any] = {}
        for name, value in values.items():
            if name not in known:
                raise PolicyError(f"unknown limit {name!r} (known: {', '.join(sorted(known))})")
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise PolicyError(f"limit {name!r} must be a positive number, not {value!r}")
            changes[name] = float(value) if name in ("max_ratio", "max_seconds") else int(value)
        return replace(cls(), **changes)


class Budget:
    """What is left of the limits while one top-level file is being inspected."""

    def __init__(self, limits: Limits, clock: Any = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._deadline = clock() + limits.max_seconds
        self.bytes_expanded = 0

    def check_time(self) -> None:
        if self._clock() > self._deadline:
            raise LimitReached(
                "time",
                f"inspection took longer than {self.limits.max_seconds:g} s; rest not inspected",
            )

    def check_depth(self, depth: int) -> None:
        if depth > self.limits.max_depth:
            raise LimitReached(
                "depth", f"nested deeper than {self.limits.max_depth} containers; not opened"
            )

    def check_members(self, count: int) -> None:
        if count > self.limits.max_members:
            raise LimitReached(
                "members",
                f"more than {self.limits.max_members} members; the rest were not opened",
            )

    def charge(self, size: int, compressed_size: int | None = None) -> None:
        """Account for ``size`` expanded bytes, checking size, total and ratio limits."""
        limits = self.limits
        if size > limits.max_item_bytes:
            raise LimitReached(
                "size", f"member expands past {_human(limits.max_item_bytes)}; not inspected"
            )
        if compressed_size is not None and size > limits.ratio_floor_bytes:
            ratio = size / max(compressed_size, 1)
            if ratio > limits.max_ratio:
                raise LimitReached(
                    "ratio",
                    f"compression ratio above {limits.max_ratio:g}:1 (decompression bomb?); "
                    "not inspected",
                )
        if self.bytes_expanded + size > limits.max_total_bytes:
            raise LimitReached(
                "total",
                f"contents expand past {_human(limits.max_total_bytes)} in all; rest not inspected",
            )

    def read(self, stream: IO[bytes], compressed_size: int | None = None) -> bytes:
        """Read a member stream to the end under every size limit, chunk by chunk."""
        chunks: list[bytes] = []
        size = 0
        while True:
            self.check_time()
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            self.charge(size, compressed_size)
            chunks.append(chunk)
        self.bytes_expanded += size
        return b"".join(chunks)

    def accept(self, data: bytes, compressed_size: int | None = None) -> bytes:
        """Account for bytes an extractor already holds (small parts of a parsed document)."""
        self.charge(len(data), compressed_size)
        self.bytes_expanded += len(data)
        return data


def _human(size: int) -> str:
    for unit, scale in (("GiB", GIB), ("MiB", MIB), ("KiB", KIB)):
        if size >= scale:
            return f"{size / scale:g} {unit}"
    return f"{size} bytes"
