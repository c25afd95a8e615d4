"""Record sets (exact data match) as the store hands them out, and how their hashes are packed.

A table's hashes, record numbers, column numbers and first-word hashes are numpy arrays kept
in one column as a compressed ``.npz`` (never pickled): a few bytes per value.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

_ARRAYS = {"hashes": "<u8", "records": "<u4", "column_ids": "u1", "starts": "<u8"}


@dataclass(frozen=True)
class HashedRecords:
    """A table as the store keeps it: for every kept value, its hash, record and column.

    ``hashes`` is sorted; ``records`` and ``columns`` are in the same order. ``starts`` are the
    sorted unique hashes of every value's first word, the cheap first test during a scan.
    """

    name: str
    columns: tuple[str, ...]
    salt: bytes
    hashes: npt.NDArray[np.uint64]
    records: npt.NDArray[np.uint32]
    column_ids: npt.NDArray[np.uint8]
    starts: npt.NDArray[np.uint64]
    max_words: int
    record_count: int
    min_columns: int

    @property
    def value_count(self) -> int:
        return int(self.hashes.size)


@dataclass(frozen=True)
class RecordSetSummary:
    """A registered table's description: no hashes, no salt."""

    id: int
    name: str
    source: str
    columns: tuple[str, ...]
    record_count: int
    value_count: int
    min_columns: int
    added_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "source": self.source,
            "columns": list(self.columns),
            "record_count": self.record_count,
            "value_count": self.value_count,
            "min_columns": self.min_columns,
            "added_at": self.added_at.isoformat(),
        }


def pack_records(table: HashedRecords) -> bytes:
    buffer = io.BytesIO()
    arrays = {name: getattr(table, name).astype(wire) for name, wire in _ARRAYS.items()}
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def unpack_records(blob: bytes) -> dict[str, npt.NDArray[Any]]:
    """The arrays of a packed table, in the machine's byte order."""
    with np.load(io.BytesIO(blob), allow_pickle=False) as arrays:
        return {
            name: arrays[name].astype(np.dtype(wire).newbyteorder("="))
            for name, wire in _ARRAYS.items()
        }
