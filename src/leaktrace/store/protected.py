"""Protected documents as the store hands them out, and how their fingerprints are packed.

A document's fingerprints are its sorted unique 64-bit shingle hashes, kept in one column as
little-endian bytes, zlib-compressed: a few KiB per document, read back as one numpy array.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

KINDS = ("document", "public")
"""``document``: confidential, to be found. ``public``: common text whose matches are ignored."""

_WIRE = np.dtype("<u8")  # stored byte order, whatever the machine's


@dataclass(frozen=True)
class ProtectedSummary:
    """One registered document's metadata (never its text, and not its fingerprints)."""

    id: int
    name: str
    label: str | None
    kind: str
    size: int
    word_count: int
    sha256: str
    fingerprint_count: int
    source: str
    added_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "label": self.label,
            "kind": self.kind,
            "size": self.size,
            "word_count": self.word_count,
            "sha256": self.sha256,
            "fingerprint_count": self.fingerprint_count,
            "source": self.source,
            "added_at": self.added_at.isoformat(),
        }


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"protected document kind must be one of {KINDS}, not {kind!r}")


def unique_hashes(hashes: npt.ArrayLike) -> npt.NDArray[np.uint64]:
    """The hashes as a sorted unique uint64 array (what is stored, whatever was given)."""
    array = np.asarray(hashes)
    if array.size and array.dtype != np.uint64:
        raise ValueError(f"fingerprints must be uint64 hashes, not {array.dtype}")
    return np.unique(array.astype(np.uint64, copy=False).ravel())


def pack_hashes(hashes: npt.NDArray[np.uint64]) -> bytes:
    """Sorted unique hashes → the stored blob."""
    return zlib.compress(hashes.astype(_WIRE, copy=False).tobytes())


def unpack_hashes(blob: bytes) -> npt.NDArray[np.uint64]:
    """The stored blob → a writable sorted uint64 array in the machine's byte order."""
    return np.frombuffer(zlib.decompress(blob), dtype=_WIRE).astype(np.uint64)
