"""The index of protected documents' fingerprints: built once, memory-mapped by every worker.

On disk (one folder, replaced atomically by pointing ``CURRENT`` at a new version):

    meta.json       parameters, the documents (id, name, label, sha256, counts), statistics
    hashes.npy      every indexed fingerprint once, sorted (uint64)
    offsets.npy     where each fingerprint's documents start in postings (uint32, len + 1)
    postings.npy    document numbers (uint32, positions in meta's document list)
    bloom.npy       a Bloom filter of the hashes (uint64 words): nearly every lookup of a
                    fingerprint that is not indexed ends there, in constant time

Fingerprints found in more than ``max_document_frequency`` documents (templates, boilerplate)
and every fingerprint of registered public text are left out: they can never raise a finding.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from leaktrace.core.errors import StoreError, error_reason
from leaktrace.protect.fingerprint import Hashes, Params

FORMAT = "leaktrace-index/1"
CURRENT = "CURRENT"
_BLOOM_BITS_PER_HASH = 16  # two bits set per hash: a few per cent of absent queries pass


@dataclass(frozen=True)
class IndexedDocument:
    """One registered document as the index needs it (no text, only its fingerprints)."""

    id: int
    name: str
    label: str | None
    sha256: str
    word_count: int
    hashes: Hashes
    """Sorted unique fingerprints."""


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    name: str
    label: str | None
    sha256: str
    word_count: int
    fingerprints: int
    """Fingerprints of this document that are indexed (shared boilerplate removed)."""


_INFO_FIELDS = [f for f in fields(IndexedDocument) if f.name != "hashes"]


def build_index(
    folder: Path,
    documents: Iterable[IndexedDocument],
    public: Iterable[Hashes],
    params: Params,
    max_document_frequency: int = 10,
) -> None:
    """Write a new index version into ``folder`` and make it current."""
    infos: list[dict[str, Any]] = []
    hash_parts: list[Hashes] = []
    number_parts: list[npt.NDArray[np.uint32]] = []
    for number, document in enumerate(documents):
        # Not asdict(): it would deep-copy the hashes only to drop them.
        infos.append({f.name: getattr(document, f.name) for f in _INFO_FIELDS})
        hash_parts.append(document.hashes.astype(np.uint64, copy=False))
        number_parts.append(np.full(document.hashes.size, number, dtype=np.uint32))
    all_hashes = np.concatenate(hash_parts) if hash_parts else np.empty(0, np.uint64)
    numbers = np.concatenate(number_parts) if number_parts else np.empty(0, np.uint32)
    order = np.argsort(all_hashes, kind="stable")
    all_hashes, numbers = all_hashes[order], numbers[order]
    unique, counts = _runs(all_hashes)
    stop = counts > max_document_frequency
    public_hashes = _union(public)
    stop |= np.isin(unique, public_hashes, assume_unique=True)
    keep_rows = np.repeat(~stop, counts)
    kept_numbers = numbers[keep_rows]
    for info, count in zip(infos, np.bincount(kept_numbers, minlength=len(infos)), strict=True):
        info["fingerprints"] = int(count)
    hashes = unique[~stop]
    offsets = np.concatenate(([0], np.cumsum(counts[~stop])))
    # Four bytes an offset while the postings fit (they do below four billion fingerprints).
    offsets = offsets.astype(np.uint32 if offsets[-1] < 2**32 else np.int64)
    meta = {
        "format": FORMAT,
        "params": asdict(params),
        "max_document_frequency": max_document_frequency,
        "documents": infos,
        "suppressed_fingerprints": int(stop.sum()),
    }
    _write_version(folder, meta, hashes, offsets, kept_numbers, _bloom(hashes))


def _runs(ordered: Hashes) -> tuple[Hashes, npt.NDArray[np.int64]]:
    """Each distinct value of a sorted array and how often it occurs (``np.unique`` would sort
    the whole array a second time)."""
    if ordered.size == 0:
        return ordered, np.empty(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    return ordered[starts], np.diff(np.append(starts, ordered.size))


def _union(parts: Iterable[Hashes]) -> Hashes:
    arrays = [part.astype(np.uint64, copy=False) for part in parts]
    return np.unique(np.concatenate(arrays)) if arrays else np.empty(0, np.uint64)


def _bloom_probe(hashes: Hashes, words: int) -> tuple[npt.NDArray[np.int64], Hashes]:
    """A blocked Bloom filter's probe: one 64-bit word (from the high bits) and a mask of two
    bits in it (from the low bits), so a test costs a single memory read."""
    word = ((hashes >> np.uint64(32)) & np.uint64(words - 1)).astype(np.int64)
    one = np.uint64(1)
    mask = (one << (hashes & np.uint64(63))) | (one << ((hashes >> np.uint64(6)) & np.uint64(63)))
    return word, mask


def _bloom(hashes: Hashes) -> npt.NDArray[np.uint64]:
    """A blocked Bloom filter of ``hashes`` with at least 16 bits per hash (a power of two)."""
    size_bits = 1 << max(6, int(np.ceil(np.log2(max(hashes.size, 1) * _BLOOM_BITS_PER_HASH))))
    words = np.zeros(size_bits // 64, dtype=np.uint64)
    word, mask = _bloom_probe(hashes, words.size)
    np.bitwise_or.at(words, word, mask)
    return words


def _bloom_test(words: npt.NDArray[np.uint64], queries: Hashes) -> npt.NDArray[np.bool_]:
    word, mask = _bloom_probe(queries, words.size)
    passed: npt.NDArray[np.bool_] = (words[word] & mask) == mask
    return passed


def _write_version(folder: Path, meta: dict[str, Any], *arrays: npt.NDArray[Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    version = Path(tempfile.mkdtemp(prefix="v-", dir=folder))
    for name, array in zip(("hashes", "offsets", "postings", "bloom"), arrays, strict=True):
        np.save(version / f"{name}.npy", array)
    (version / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    pointer = folder / f".{CURRENT}.tmp"
    pointer.write_text(version.name, encoding="utf-8")
    previous = _current_version(folder)
    os.replace(pointer, folder / CURRENT)  # readers see the old version or the new, never half
    if previous is not None and previous != version:
        shutil.rmtree(previous, ignore_errors=True)


def _current_version(folder: Path) -> Path | None:
    try:
        name = (folder / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return folder / name


class DocumentIndex:
    """A loaded (memory-mapped) index: fingerprint lookups and the documents they point to."""

    def __init__(self, folder: Path) -> None:
        version = _current_version(folder)
        if version is None:
            raise StoreError(f"no document index in {folder}")
        try:
            meta = json.loads((version / "meta.json").read_text(encoding="utf-8"))
            if meta.get("format") != FORMAT:
                raise StoreError(f"{version} is not a LeakTrace index ({FORMAT})")
            # Plain array views of the memory maps: no copy, and no per-access memmap overhead.
            self.hashes: Hashes = np.asarray(np.load(version / "hashes.npy", mmap_mode="r"))
            self.offsets = np.asarray(np.load(version / "offsets.npy", mmap_mode="r"))
            self.postings = np.asarray(np.load(version / "postings.npy", mmap_mode="r"))
            self.bloom = np.asarray(np.load(version / "bloom.npy", mmap_mode="r"))
        except (OSError, ValueError, KeyError) as error:
            raise StoreError(
                f"cannot read document index {version} ({error_reason(error)}); "
                "`leaktrace protect reindex` rebuilds it"
            ) from None
        self.params = Params(**meta["params"])
        self.documents = [DocumentInfo(**info) for info in meta["documents"]]
        self.by_sha256 = {info.sha256: number for number, info in enumerate(self.documents)}

    @classmethod
    def open(cls, folder: Path) -> DocumentIndex | None:
        """The index in ``folder``, or ``None`` when nothing was ever registered there."""
        return cls(folder) if (folder / CURRENT).exists() else None

    def __len__(self) -> int:
        return len(self.documents)

    def find(self, queries: Hashes) -> npt.NDArray[np.int64]:
        """For each query, the index of its fingerprint in ``hashes``, or -1.

        A blocked Bloom filter (16 bits per fingerprint) turns away about 99% of the queries
        that are not indexed, in constant time however large the index; only those that pass
        are searched for (``searchsorted``, in C).
        """
        size = int(self.hashes.size)
        slots = np.full(queries.size, -1, dtype=np.int64)
        if size == 0 or queries.size == 0:
            return slots
        candidates = np.flatnonzero(_bloom_test(self.bloom, queries))
        if candidates.size:
            wanted = queries[candidates]
            found = np.searchsorted(self.hashes, wanted)
            hit = self.hashes[np.minimum(found, size - 1)] == wanted
            slots[candidates[hit]] = found[hit]
        return slots

    def lookup(self, queries: Hashes) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint32]]:
        """Every (query index, document number) pair where the query is a document's print."""
        slots = self.find(queries)
        hits = np.flatnonzero(slots >= 0)
        if hits.size == 0:
            return hits.astype(np.int64), np.empty(0, np.uint32)
        starts = np.asarray(self.offsets[slots[hits]], dtype=np.int64)
        counts = np.asarray(self.offsets[slots[hits] + 1], dtype=np.int64) - starts
        query_index = np.repeat(hits, counts)
        # Expand every [start, start + count) range into one flat array of posting positions.
        steps = np.ones(int(counts.sum()), dtype=np.int64)
        firsts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        steps[firsts] = starts - np.concatenate(([0], starts[:-1] + counts[:-1] - 1))
        return query_index.astype(np.int64), np.asarray(self.postings[np.cumsum(steps)])
