"""Issued documents as the store hands them out, and how recipients' code words are packed.

An issued document is an original handed out as recipient-marked copies (``leaktrace mark``).
The store keeps what tracing needs and nothing more: the code's secret key, the marking plan
(where marks sit, by hashes of their surroundings), each recipient's code word and the SHA-256
of their copy. Never the copies, never the original's text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

Code = npt.NDArray[np.uint8]
"""One recipient's code word: one bit (0 or 1) per mark slot."""


@dataclass(frozen=True)
class NewRecipient:
    """A recipient to record with a newly issued document."""

    recipient: str
    details: Mapping[str, str]
    code: Code
    copy_sha256: str


@dataclass(frozen=True, eq=False)
class Recipient:
    """One recipient of an issued document, as stored."""

    number: int
    """Row of the recipient's code word in the code (0, 1, ...)."""
    recipient: str
    details: Mapping[str, str]
    code: Code
    copy_sha256: str


@dataclass(frozen=True)
class IssuedSummary:
    """An issued document's metadata, without its key, plan or code words."""

    id: int
    name: str
    label: str | None
    media_type: str
    sha256: str
    collusion: int
    slot_count: int
    recipients: int
    issued_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "label": self.label,
            "media_type": self.media_type,
            "sha256": self.sha256,
            "collusion": self.collusion,
            "slot_count": self.slot_count,
            "recipients": self.recipients,
            "issued_at": self.issued_at.isoformat(),
        }


@dataclass(frozen=True, eq=False)
class IssuedDocument:
    """Everything tracing needs about one issued document."""

    summary: IssuedSummary
    key: bytes
    plan: str
    """The marking plan as JSON (``leaktrace.trace`` reads it)."""
    recipients: tuple[Recipient, ...]
    fingerprints: npt.NDArray[np.uint64]
    """The original's sorted unique winnowing fingerprints (hashes, never text)."""

    def codewords(self) -> Code:
        """Every recipient's code word, one row per recipient number."""
        if not self.recipients:
            return np.zeros((0, self.summary.slot_count), dtype=np.uint8)
        return np.stack([r.code for r in self.recipients])


def pack_code(code: npt.ArrayLike, length: int) -> bytes:
    """A 0/1 code word of ``length`` bits → the stored blob (8 bits a byte)."""
    bits = np.asarray(code, dtype=np.uint8).ravel()
    if bits.size != length or (bits.size and int(bits.max()) > 1):
        raise ValueError(f"a code word must be {length} bits of 0 or 1")
    return np.packbits(bits).tobytes()


def unpack_code(blob: bytes, length: int) -> Code:
    """The stored blob → the code word's ``length`` bits."""
    bits = np.unpackbits(np.frombuffer(blob, dtype=np.uint8), count=length)
    if bits.size != length:
        raise ValueError(f"stored code word is shorter than {length} bits")
    return bits
