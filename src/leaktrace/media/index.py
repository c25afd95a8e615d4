"""The index of registered media: memory-mapped numpy arrays in one folder.

    media.json        one entry per registered photo or video (id, name, label, kind, ...)
    pdq.npy           (frames, 4) uint64 PDQ words; frame_media.npy, frame_time.npy,
                      frame_quality.npy, frame_size.npy, frame_start.npy (first feature)
    peak.npy          (frames, 4) PDQ words of the peak channel; peak_quality.npy (both
                      absent from indexes built before them: read as quality 0)
    points.npy        (features, 2) float32; descriptors.npy (features, 32) uint8, by frame
    lsh.npy           (tables, features) uint64, each row sorted: a 24-bit key made of
                      chosen descriptor bits, shifted left 32, or'ed with the frame number

PDQ hashes are compared with all frames at once (native popcount: 32 bytes a frame, a few
milliseconds for 100,000 photos). Descriptors cannot be: 100,000 photos hold tens of millions.
Locality-sensitive hashing finds them: descriptors within a few dozen bits of each other very
likely agree on all 24 bits of at least one table's key, unrelated ones almost never; each
key is a binary search in a sorted table, and only frames that collect several votes are
verified geometrically (``features.align``).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from leaktrace.core.errors import StoreError
from leaktrace.media.features import Features
from leaktrace.media.pdq import word_major
from leaktrace.media.prints import MediaPrint

FORMAT = 1
TABLES = 6
KEY_BITS = 24
MAX_BUCKET = 256
"""Entries of one key beyond which it is skipped: a very common pattern says nothing."""
_SEED = 0x5EED_1A6E
_CHUNK = 1 << 18  # descriptors whose bits are unpacked at once while building
_ARRAYS = (
    "pdq",
    "peak",
    "peak_quality",
    "frame_media",
    "frame_time",
    "frame_quality",
    "frame_size",
    "frame_start",
    "points",
    "descriptors",
    "lsh",
)

_LATER = ("peak", "peak_quality")
"""Arrays an index built by an earlier version may lack."""


@dataclass(frozen=True)
class IndexedMedia:
    """What the index says about one registered photo or video."""

    id: int
    name: str
    label: str | None
    kind: str
    sha256: str
    camera_serial: str | None = None


def key_bits(tables: int = TABLES, bits: int = KEY_BITS) -> npt.NDArray[np.intp]:
    """The descriptor bit positions each table's key is made of (fixed: part of the format)."""
    generator = np.random.default_rng(_SEED)
    return np.stack([generator.choice(256, size=bits, replace=False) for _ in range(tables)])


def lsh_keys(
    descriptors: npt.NDArray[np.uint8], positions: npt.NDArray[np.intp]
) -> npt.NDArray[np.uint64]:
    """``(tables, n)`` keys: the chosen bits of every descriptor, as integers."""
    bits = np.unpackbits(descriptors, axis=1)  # (n, 256)
    chosen = bits[:, positions]  # (n, tables, bits)
    weights = (1 << np.arange(positions.shape[1], dtype=np.uint64)).astype(np.uint64)
    keys: npt.NDArray[np.uint64] = (chosen.astype(np.uint64) * weights).sum(axis=2, dtype=np.uint64)
    return keys.T


def build_index(folder: Path, entries: Iterable[tuple[IndexedMedia, MediaPrint]]) -> None:
    """Write a new index into ``folder``, replacing the old one only once it is complete."""
    media: list[IndexedMedia] = []
    parts: dict[str, list[npt.NDArray[Any]]] = {name: [] for name in _ARRAYS[:-1]}
    frames = features = 0
    for number, (entry, printed) in enumerate(entries):
        media.append(entry)
        count = printed.frame_count
        order = np.argsort(printed.feature_frames, kind="stable")
        per_frame = np.bincount(printed.feature_frames, minlength=count)
        parts["pdq"].append(printed.pdq)
        parts["peak"].append(printed.peak)
        parts["peak_quality"].append(printed.peak_quality)
        parts["frame_media"].append(np.full(count, number, np.int32))
        parts["frame_time"].append(printed.times_ms)
        parts["frame_quality"].append(printed.quality)
        parts["frame_size"].append(printed.sizes)
        parts["frame_start"].append(features + np.concatenate([[0], np.cumsum(per_frame)[:-1]]))
        parts["points"].append(printed.points[order])
        parts["descriptors"].append(printed.descriptors[order])
        frames += count
        features += printed.feature_count
    arrays = _joined(parts, frames, features)
    arrays["lsh"] = _lsh_tables(arrays["descriptors"], arrays["frame_start"], frames)
    _write(folder, media, arrays)


def _joined(
    parts: dict[str, list[npt.NDArray[Any]]], frames: int, features: int
) -> dict[str, npt.NDArray[Any]]:
    empty: dict[str, npt.NDArray[Any]] = {
        "pdq": np.zeros((0, 4), np.uint64),
        "peak": np.zeros((0, 4), np.uint64),
        "peak_quality": np.zeros(0, np.uint8),
        "frame_media": np.zeros(0, np.int32),
        "frame_time": np.zeros(0, np.int64),
        "frame_quality": np.zeros(0, np.uint8),
        "frame_size": np.zeros((0, 2), np.int32),
        "frame_start": np.zeros(0, np.int64),
        "points": np.zeros((0, 2), np.float32),
        "descriptors": np.zeros((0, 32), np.uint8),
    }
    joined: dict[str, npt.NDArray[Any]] = {
        name: np.concatenate(values).astype(empty[name].dtype) if values else empty[name]
        for name, values in parts.items()
    }
    joined["frame_start"] = np.append(joined["frame_start"], features).astype(np.int64)
    return joined


def _lsh_tables(
    descriptors: npt.NDArray[Any], starts: npt.NDArray[Any], frames: int
) -> npt.NDArray[np.uint64]:
    per_frame = np.diff(starts.astype(np.int64)).astype(np.int64)
    owner = np.repeat(np.arange(frames, dtype=np.uint64), per_frame)
    positions = key_bits()
    tables = np.empty((positions.shape[0], owner.size), dtype=np.uint64)
    for start in range(0, owner.size, _CHUNK):  # bits are unpacked a chunk at a time
        end = min(start + _CHUNK, owner.size)
        keys = lsh_keys(descriptors[start:end].astype(np.uint8), positions)
        tables[:, start:end] = (keys << np.uint64(32)) | owner[None, start:end]
    tables.sort(axis=1)
    return tables


def _write(folder: Path, media: list[IndexedMedia], arrays: dict[str, npt.NDArray[Any]]) -> None:
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=".media-index-", dir=folder.parent))
        for name, array in arrays.items():
            np.save(building / f"{name}.npy", array, allow_pickle=False)
        meta = {"format": FORMAT, "media": [asdict(m) for m in media]}
        (building / "media.json").write_text(json.dumps(meta), encoding="utf-8")
        old = folder.with_name(folder.name + ".old")
        if folder.exists():
            shutil.rmtree(old, ignore_errors=True)
            os.replace(folder, old)
        os.replace(building, folder)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as error:
        raise StoreError(f"cannot write media index {folder}: {error.strerror}") from None


class MediaIndex:
    """An opened index (arrays memory-mapped: opening costs nothing, lookups touch little)."""

    def __init__(self, media: list[IndexedMedia], arrays: dict[str, npt.NDArray[Any]]):
        self.media = media
        self.pdq = arrays["pdq"].astype(np.uint64, copy=False)
        self.peak = arrays["peak"].astype(np.uint64, copy=False)
        self.peak_quality = arrays["peak_quality"]
        self.frame_media = arrays["frame_media"]
        self.frame_time = arrays["frame_time"]
        self.frame_quality = arrays["frame_quality"]
        self.frame_size = arrays["frame_size"]
        self.frame_start = arrays["frame_start"]
        self.points = arrays["points"]
        self.descriptors = arrays["descriptors"]
        self.lsh = arrays["lsh"]
        self.positions = key_bits()
        self.pdq_table = word_major(self.pdq)  # 32 bytes a frame, in memory
        self.peak_table = word_major(self.peak)

    def __len__(self) -> int:
        return len(self.media)

    @classmethod
    def open(cls, folder: Path) -> MediaIndex | None:
        """The index in ``folder``; ``None`` when none was built there yet."""
        meta_path = folder / "media.json"
        if not meta_path.exists():
            return None
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta.get("format") != FORMAT:
                raise StoreError(f"media index {folder} has another format; run protect reindex")
            arrays = {
                name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
                for name in _ARRAYS
                if name not in _LATER or (folder / f"{name}.npy").exists()
            }
        except (OSError, ValueError) as error:
            raise StoreError(f"cannot read media index {folder}: {error}") from None
        frames = arrays["pdq"].shape[0]
        arrays.setdefault("peak", np.zeros((frames, 4), np.uint64))
        arrays.setdefault("peak_quality", np.zeros(frames, np.uint8))
        return cls([IndexedMedia(**m) for m in meta["media"]], arrays)

    @classmethod
    def from_prints(cls, entries: Iterable[tuple[IndexedMedia, MediaPrint]]) -> MediaIndex:
        """An index in memory (tests and benchmarks), the same as one written and reopened."""
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "index"
            build_index(path, entries)
            opened = cls.open(path)
            assert opened is not None
            arrays = {name: np.array(getattr(opened, name)) for name in _ARRAYS}
            return cls(opened.media, arrays)

    def frame_features(self, frame: int) -> Features:
        start, end = int(self.frame_start[frame]), int(self.frame_start[frame + 1])
        width, height = (int(v) for v in self.frame_size[frame])
        return Features(
            np.asarray(self.points[start:end]),
            np.asarray(self.descriptors[start:end]),
            width,
            height,
        )

    def vote(self, descriptors: npt.NDArray[np.uint8]) -> npt.NDArray[np.float64]:
        """Votes per frame from every (descriptor, table) key it shares, each worth one over
        the key's bucket size: a pattern found everywhere (flat sky, noise) says little."""
        votes = np.zeros(self.pdq.shape[0], dtype=np.float64)
        if descriptors.shape[0] == 0 or self.lsh.shape[1] == 0:
            return votes
        keys = lsh_keys(descriptors, self.positions)
        shift = np.uint64(32)
        for table, unsorted in zip(self.lsh, keys, strict=True):
            table_keys = np.sort(unsorted)  # sorted needles walk the table in order: cache-friendly
            low = np.searchsorted(table, table_keys << shift)
            high = np.searchsorted(table, (table_keys + np.uint64(1)) << shift)
            counts = high - low
            keep = (counts > 0) & (counts <= MAX_BUCKET)
            low, counts = low[keep], counts[keep]
            if counts.size == 0:
                continue
            total = int(counts.sum())
            offsets = np.repeat(low - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
            hits = np.asarray(table[offsets + np.arange(total)]) & np.uint64(0xFFFFFFFF)
            weights = np.repeat(1.0 / counts, counts)
            votes += np.bincount(hits.astype(np.int64), weights, minlength=votes.size)
        return votes
