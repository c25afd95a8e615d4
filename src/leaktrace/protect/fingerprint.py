"""Winnowing fingerprints of normalized words, computed with numpy.

A text becomes words (runs of folded letters and digits), each word a 64-bit hash, each run of
``shingle`` consecutive words a shingle hash, and of every ``window`` consecutive shingles the
smallest hash is kept (winnowing, Schleimer, Wilkerson and Aiken, SIGMOD 2003). The guarantee
that follows: two texts sharing a run of at least ``shingle + window - 1`` normalized words share
at least one fingerprint, while only about ``2 / (window + 1)`` of the shingles are stored.

Word hashes come from one prefix sum over the whole text, shingle hashes combine word hashes
polynomially modulo 2**64, and both pass through the splitmix64 finalizer so that "smallest" is
a fair draw. They are stable across processes, machines and releases: the index depends on it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from leaktrace.core.item import Item
from leaktrace.protect.normalize import SEPARATOR, Normalized, normalize

Hashes = npt.NDArray[np.uint64]
Positions = npt.NDArray[np.int64]

_CHAR_WEIGHT = np.uint32(0x9E3779B1)
_PREVIOUS_WEIGHT = np.uint32(0x85EBCA77)
_SHINGLE_BASE = np.uint64(0xC2B2AE3D27D4EB4F)


@dataclass(frozen=True)
class Params:
    """Fingerprinting parameters; the index records them and refuses a mismatch."""

    shingle: int = 7
    """Words per shingle: longer shingles make chance matches of common phrases rarer."""
    window: int = 3
    """Shingles per winnowing window (the guarantee stays at 9 words)."""

    def __post_init__(self) -> None:
        if self.shingle < 1 or self.window < 1:
            raise ValueError("shingle and window must be at least 1")

    @property
    def guarantee(self) -> int:
        """Any shared run of at least this many normalized words shares a fingerprint."""
        return self.shingle + self.window - 1


@dataclass(frozen=True, eq=False)
class Fingerprints:
    """The fingerprints of one text, and where they are."""

    hashes: Hashes
    """Selected shingle hashes, in text order."""
    positions: Positions
    """Word index of each selected shingle's first word."""
    word_starts: Positions
    """Index in the normalized text of each word's first character."""
    normalized: Normalized
    word_count: int

    def word_lines(self, words: Positions) -> npt.NDArray[np.int64]:
        """1-based line, in the original text, of each of the words numbered ``words``.

        Computed on demand: only a finding needs line numbers, and most texts have none."""
        return self.normalized.lines_of(self.word_starts[words])

    def unique_hashes(self) -> Hashes:
        return np.unique(self.hashes)


def mix(values: Hashes) -> Hashes:
    """splitmix64's finalizer: every input bit affects every output bit.

    Array arithmetic wraps modulo 2**64 silently (only scalar arithmetic warns), which is the
    arithmetic wanted here.
    """
    values = values ^ (values >> np.uint64(30))
    values *= np.uint64(0xBF58476D1CE4E5B9)
    values ^= values >> np.uint64(27)
    values *= np.uint64(0x94D049BB133111EB)
    values ^= values >> np.uint64(31)
    return values


def word_hashes(codes: npt.NDArray[np.uint32]) -> tuple[Hashes, Positions]:
    """A 64-bit hash for every word of folded code points, and each word's first code index.

    A word's hash sums, over its characters, a 32-bit mix of the character and the one before
    it (so order matters), via one prefix sum for the whole text; then its length is added and
    the result spread over 64 bits.
    """
    starts, ends = _word_bounds(codes != SEPARATOR)
    if starts.size == 0:
        return np.empty(0, np.uint64), starts.astype(np.int64)
    pairs = codes * _CHAR_WEIGHT
    pairs[1:] ^= codes[:-1] * _PREVIOUS_WEIGHT
    prefix = np.empty(codes.size + 1, np.uint32)
    prefix[0] = 0
    np.cumsum(pairs, out=prefix[1:])
    sums = (prefix[ends] - prefix[starts]).astype(np.uint64)
    lengths = (ends - starts).astype(np.uint64)
    return mix(sums | (lengths << np.uint64(32))), starts.astype(np.int64)


def _word_bounds(in_word: npt.NDArray[np.bool_]) -> tuple[Positions, Positions]:
    """Where each run of ``True`` starts, and where it ends (exclusive)."""
    changes = np.flatnonzero(in_word[1:] != in_word[:-1]) + 1
    if in_word.size and in_word[0]:
        changes = np.concatenate(([0], changes))
    if in_word.size and in_word[-1]:
        changes = np.concatenate((changes, [in_word.size]))
    return changes[0::2], changes[1::2]


def shingle_hashes(words: Hashes, size: int) -> Hashes:
    """One hash for each run of ``size`` consecutive word hashes."""
    count = words.size - size + 1
    if count <= 0:
        return np.empty(0, np.uint64)
    combined = words[:count].copy()
    for offset in range(1, size):
        combined *= _SHINGLE_BASE
        combined += words[offset : offset + count]
    return mix(combined)


def winnow(shingles: Hashes, window: int) -> Positions:
    """Positions of the smallest hash in every window of ``window`` shingles (no repeats).

    A position is kept when its hash equals the minimum of some window that contains it:
    ``window`` running minimums and ``window`` comparisons, all vectorized.
    """
    if shingles.size == 0:
        return np.empty(0, np.int64)
    if shingles.size <= window:
        return np.array([int(np.argmin(shingles))], dtype=np.int64)
    count = shingles.size - window + 1
    minimums = shingles[:count].copy()
    for offset in range(1, window):
        np.minimum(minimums, shingles[offset : offset + count], out=minimums)
    chosen = np.zeros(shingles.size, dtype=bool)
    for offset in range(window):
        chosen[offset : offset + count] |= shingles[offset : offset + count] == minimums
    return np.flatnonzero(chosen).astype(np.int64)


def item_fingerprints(item: Item, params: Params | None = None) -> Fingerprints:
    """The fingerprints of an item's text, computed once for all the detectors that ask."""
    chosen = params or Params()
    return item.derived(("fingerprints", chosen), lambda: fingerprint(item.text or "", chosen))


def fingerprint(text: str, params: Params | None = None) -> Fingerprints:
    """The winnowing fingerprints of ``text``."""
    params = params or Params()
    normalized = normalize(text)
    words, word_starts = word_hashes(normalized.codes)
    shingles = shingle_hashes(words, params.shingle)
    chosen = winnow(shingles, params.window)
    return Fingerprints(
        hashes=shingles[chosen],
        positions=chosen,
        word_starts=word_starts,
        normalized=normalized,
        word_count=int(words.size),
    )
