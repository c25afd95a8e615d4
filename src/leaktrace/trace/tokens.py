"""Words as the marking layers see them: folded, canonical, and hashed in short windows.

Every slot is found again by a keyed hash of the ``CONTEXT`` canonical words that end at its
anchor word. *Canonical* means that both alternatives of every wording variant read as the
same words ("towards" as "toward", "don't" as "do not", "10 percent" as "10"), so the hash is
the same in every recipient's copy, in the original, and in a retyped excerpt of either.

Folding keeps the length of the text (one character for one), so an offset in the folded text
is an offset in the text: readers match alternatives on the folded text and look for marks in
the text itself at the same place.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from leaktrace.trace.glyphs import LOOKALIKE_LATIN

CONTEXT = 4
"""Words hashed per slot: three before the anchor word and the anchor word itself."""

Rules = Mapping[tuple[str, ...], tuple[str, ...]]
"""Canonical rewriting: a run of folded words -> the words it reads as."""
Hashes = npt.NDArray[np.uint64]
Offsets = npt.NDArray[np.int64]

_SPACES = (
    "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)
_FOLD = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u02bc\u2032", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        **dict.fromkeys(_SPACES, " "),
        **LOOKALIKE_LATIN,
    }
)
_MIX = (np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))
_STEP = np.uint64(0x9E3779B97F4A7C15)


@functools.cache
def _fold_table() -> npt.NDArray[np.uint32]:
    """The folding of every BMP code point, built on first use."""
    table = np.arange(0x10000, dtype=np.uint32)
    for code in range(0x10000):
        char = chr(code).translate(_FOLD)
        lowered = char.lower()
        # A few letters lower to two characters ("İ"); those keep their case.
        table[code] = ord(lowered if len(lowered) == 1 else char)
    return table


def fold(text: str) -> str:
    """Lower case, with quote, dash, space and look-alike variants folded; same length as text.

    One table lookup per character over the whole text (a ``str.translate`` with a dict is ten
    times slower on a megabyte).
    """
    if text.isascii():
        return text.lower()  # nothing else to fold in ASCII
    codes = _codes(text)
    bmp = codes < 0x10000
    folded = np.where(bmp, _fold_table()[np.where(bmp, codes, 0)], codes)
    return folded.astype("<u4").tobytes().decode("utf-32-le", "surrogatepass")


def _codes(text: str) -> npt.NDArray[np.uint32]:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


@dataclass(frozen=True, eq=False)
class Words:
    """The canonical words of a text and where each one stands in it."""

    text: str
    folded: str
    tokens: tuple[str, ...]
    starts: Offsets
    """Offset in ``text`` where each canonical word begins (a rewritten run: where it begins)."""
    ends: Offsets
    fired: frozenset[tuple[str, ...]]
    """The rules that rewrote something in this text."""
    vocabulary: frozenset[str]
    """Every folded word of the text, before rewriting."""


@functools.cache
def _word_chars() -> npt.NDArray[np.bool_]:
    """Which BMP code points are word characters (letters and digits), built on first use."""
    return np.array([chr(code).isalnum() for code in range(0x10000)], dtype=np.bool_)


def _spans(folded: str) -> tuple[list[int], list[int]]:
    """Start and end of every word (letters and digits, with inner apostrophes and soft
    hyphens: "don't", "infor\u00admation"), found on the whole text at once."""
    codes = _codes(folded)
    table = _word_chars()
    inside = np.zeros(len(codes) + 2, dtype=np.bool_)
    inside[1:-1] = table[np.minimum(codes, 0xFFFF)] & (codes < 0x10000)
    joiner = (codes == ord("'")) | (codes == 0xAD)
    inside[1:-1] |= joiner & inside[:-2] & inside[2:]  # "don't", "infor\u00admation"
    edges = np.flatnonzero(inside[1:] != inside[:-1])
    return edges[0::2].tolist(), edges[1::2].tolist()


def words(text: str, rules: Rules) -> Words:
    """Split ``text`` into canonical words, rewriting runs of words by ``rules`` (longest first)."""
    folded = fold(text)
    starts, ends = _spans(folded)
    tokens = [folded[start:end] for start, end in zip(starts, ends, strict=True)]
    if "\u00ad" in folded:
        tokens = [token.replace("\u00ad", "") for token in tokens]
    vocabulary = frozenset(tokens)
    sizes: dict[str, list[int]] = {}
    for key in rules:
        sizes.setdefault(key[0], []).append(len(key))
    out_tokens: list[str] = []
    out_starts: list[int] = []
    out_ends: list[int] = []
    fired: set[tuple[str, ...]] = set()
    done = 0
    for index in [index for index, token in enumerate(tokens) if token in sizes]:
        if index < done:
            continue
        for size in sorted(set(sizes[tokens[index]]), reverse=True):
            if index + size > len(tokens):
                continue
            key = tuple(tokens[index : index + size])
            output = rules.get(key)
            if output is None:
                continue
            out_tokens += tokens[done:index] + list(output)
            out_starts += starts[done:index] + [starts[index]] * len(output)
            out_ends += ends[done:index] + [ends[index + size - 1]] * len(output)
            fired.add(key)
            done = index + size
            break
    return Words(
        text=text,
        folded=folded,
        tokens=tuple(out_tokens + tokens[done:]),
        starts=np.array(out_starts + starts[done:], dtype=np.int64),
        ends=np.array(out_ends + ends[done:], dtype=np.int64),
        fired=frozenset(fired),
        vocabulary=vocabulary,
    )


def word_ids(tokens: Sequence[str], key: bytes) -> Hashes:
    """A keyed 64-bit hash of every word (each distinct word is hashed once)."""
    ids = {
        token: int.from_bytes(
            hashlib.blake2b(token.encode(), key=key, digest_size=8).digest(), "little"
        )
        for token in set(tokens)
    }
    return np.fromiter((ids[token] for token in tokens), dtype=np.uint64, count=len(tokens))


def window_hashes(ids: Hashes) -> Hashes:
    """For each word, the hash of the ``CONTEXT`` words ending with it (0 before there are any).

    Wrapping uint64 arithmetic on whole arrays; a final avalanche step makes every bit of the
    result depend on every word.
    """
    out = np.zeros(len(ids), dtype=np.uint64)
    count = len(ids) - CONTEXT + 1
    if count <= 0:
        return out
    combined = np.zeros(count, dtype=np.uint64)
    for offset in range(CONTEXT):
        combined = combined * _STEP + ids[offset : offset + count]
    combined ^= combined >> np.uint64(33)
    combined *= _MIX[0]
    combined ^= combined >> np.uint64(33)
    combined *= _MIX[1]
    combined ^= combined >> np.uint64(33)
    out[CONTEXT - 1 :] = combined
    return out


def text_hash(tokens: Sequence[str], key: bytes) -> int:
    """A keyed 64-bit hash of a whole run of words (a format slot's node)."""
    digest = hashlib.blake2b("\x1f".join(tokens).encode(), key=key, digest_size=8).digest()
    return int.from_bytes(digest, "little")
