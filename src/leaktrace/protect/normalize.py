"""Text to canonical code points, so that reformatting does not change what a text "says".

One table, built once per process, folds every Basic Multilingual Plane character to what a
reader would type for it: letters and digits lose case and diacritics, look-alikes become their
Latin letter (a Cyrillic "a" becomes a Latin one), punctuation, quotes, dashes and symbols
separate words, invisible characters (zero-width, soft hyphen, joiners) disappear. Words broken
across lines by hyphenation are joined first. Everything after that is vectorized over a numpy
array of code points, so a megabyte of text costs milliseconds, not a loop over its characters.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

SEPARATOR = 0  # what every non-word character (space, newline, punctuation) folds to
NEWLINE = 0x0A
DELETE = 0xFFFFFFFF
_JOINED_LINE = "\ue000"  # a private-use mark: "a line ended here inside a hyphenated word"
_HYPHENS = ("-", "\u00ad", "\u2010", "\u2011")
_HYPHEN_AT_LINE_END = re.compile(r"[-\u00ad\u2010\u2011][ \t]*\r?\n[ \t]*")
# The same for text with no other hyphen than "-": a literal first character lets the regex
# engine skip ahead with a fast search instead of testing a class at every position (6x faster).
_MINUS_AT_LINE_END = re.compile(r"-[ \t]*\r?\n[ \t]*")
_INVISIBLE = {0x00AD, 0x034F, 0x061C, 0x180E, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF}
_INVISIBLE.update(range(0x200B, 0x2010))  # zero-width space, joiners, direction marks
_INVISIBLE.update(range(0x202A, 0x202F))  # bidirectional embeddings and overrides
_INVISIBLE.update(range(0xFE00, 0xFE10))  # variation selectors

CodePoints = npt.NDArray[np.uint32]
Offsets = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Normalized:
    """Folded code points (letters and digits; 0 between words) and where lines end in them."""

    codes: CodePoints
    line_ends: Offsets
    """Index in ``codes`` of every line end of the original text, in order."""

    def lines_of(self, offsets: Offsets) -> npt.NDArray[np.int64]:
        """1-based line numbers (in the original text) of code offsets."""
        return np.searchsorted(self.line_ends, offsets) + 1


def _confusable_targets() -> dict[str, str]:
    """Look-alike characters that a reader takes for an ASCII letter or digit."""
    from confusable_homoglyphs import confusables  # only when the table is built

    targets: dict[str, str] = {}
    for char, alternatives in confusables.confusables_data.items():
        if len(char) != 1 or char.isascii():
            continue
        for alternative in alternatives:
            latin = alternative["c"]
            if len(latin) == 1 and latin.isascii() and latin.isalnum():
                targets[char] = latin.lower()
                break
    return targets


def _fold(char: str, confusable: dict[str, str]) -> int:
    code = ord(char)
    if code in _INVISIBLE:
        return DELETE
    category = unicodedata.category(char)
    if category in ("Mn", "Me"):  # combining accents, on their own after decomposition
        return DELETE
    if category[0] not in ("L", "N"):
        return SEPARATOR
    if char in confusable:
        return ord(confusable[char])
    base = unicodedata.normalize("NFKD", char)[:1] or char
    lowered = base.lower()[:1] or base
    return ord(lowered)


@functools.cache
def _ascii_fold() -> bytes:
    """``fold_table`` for ASCII as a ``bytes.translate`` table (ASCII folds to ASCII)."""
    return bytes(fold_table()[:128].astype(np.uint8).tolist()) + bytes(128)


@functools.cache
def fold_table() -> CodePoints:
    """The folding of every BMP code point (built on first use, about 0.2 s)."""
    confusable = _confusable_targets()
    table = np.fromiter(
        (_fold(chr(code), confusable) for code in range(0x10000)), dtype=np.uint32, count=0x10000
    )
    table[0xD800:0xE000] = SEPARATOR  # lone surrogates carry no text
    table[ord(_JOINED_LINE)] = DELETE
    return table


def _join_hyphenated(text: str) -> str:
    """Join words hyphenated across a line break ("infor-\\nmation"); the same object when none.

    The break is replaced by a mark that folds to nothing but still counts as a line end, so
    line numbers of everything after it stay right.
    """
    if "\n" not in text or not any(hyphen in text for hyphen in _HYPHENS):
        return text  # the common case, decided by fast substring searches
    only_minus = text.isascii() or not any(hyphen in text for hyphen in _HYPHENS[1:])
    pattern = _MINUS_AT_LINE_END if only_minus else _HYPHEN_AT_LINE_END
    pieces: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        start, end = match.span()
        if start and end < len(text) and text[start - 1].isalnum() and text[end].isalnum():
            pieces += (text[last:start], _JOINED_LINE)
            last = end
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def normalize(text: str) -> Normalized:
    """Fold ``text`` for fingerprinting; line numbers still refer to ``text`` itself."""
    plain = text.isascii()
    if not plain and not unicodedata.is_normalized("NFKC", text):  # the check costs half
        text = unicodedata.normalize("NFKC", text)  # ligatures, full-width, compatibility forms
    joined = _join_hyphenated(text)
    if joined is not text:
        text, plain = joined, False
    if plain:  # one byte per character: a C-speed translate, no deletions to account for
        ascii = text.encode("ascii")
        folded = np.frombuffer(ascii.translate(_ascii_fold()), dtype=np.uint8)
        line_ends = np.flatnonzero(np.frombuffer(ascii, dtype=np.uint8) == NEWLINE)
        return Normalized(folded.astype(np.uint32), line_ends)
    raw = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    table = fold_table()
    if int(raw.max(initial=0)) < 0x10000:
        codes = table[raw]
    else:
        in_bmp = raw < 0x10000
        codes = np.where(in_bmp, table[np.where(in_bmp, raw, 0)], raw)  # astral: kept as is
    keep = codes != DELETE
    if keep.all():  # curly quotes, accents, other scripts: nothing to delete, offsets stay
        return Normalized(codes, np.flatnonzero(raw == NEWLINE))
    kept_before = np.cumsum(keep) - keep  # where each raw character lands after deletions
    line_ends = np.flatnonzero((raw == NEWLINE) | (raw == ord(_JOINED_LINE)))
    return Normalized(codes[keep], kept_before[line_ends].astype(np.int64))
