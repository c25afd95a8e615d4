"""Context words: what is written near a match raises or lowers its confidence.

A 16-digit number that passes Luhn is a card number more often after "Visa" or "card ending"
than after "Order ID" or "tracking no."; a date is a birth date after "DOB". Each rule names the
words that raise its confidence; the words that lower it (identifiers of things, not people:
order and invoice numbers, hashes, versions, ISBNs) are shared by every rule.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

RAISE = 0.2
"""Added to a match's confidence when a raising word is near it."""
LOWER = 0.4
"""Taken from a match's confidence when a lowering word is near it."""
BEFORE = 48
AFTER = 24
"""Characters looked at before and after a match."""

LOWERING_WORDS: tuple[str, ...] = (
    "order",
    "order id",
    "order no",
    "order number",
    "invoice",
    "invoice no",
    "receipt no",
    "tracking",
    "shipment",
    "isbn",
    "issn",
    "ean",
    "upc",
    "gtin",
    "barcode",
    "doi",
    "sha",
    "sha1",
    "sha256",
    "sha512",
    "md5",
    "hash",
    "digest",
    "checksum",
    "integrity",
    "commit",
    "uuid",
    "guid",
    "version",
    "build",
    "serial",
    "sku",
    "part no",
    "ticket",
    "transaction id",
    "timestamp",
    "example",
    "sample",
    "dummy",
    "fake",
)


def _words(words: Sequence[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    # Longest first so that "order number" wins over "order"; word edges on both sides.
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")


@dataclass(frozen=True)
class Context:
    """The words that raise a rule's confidence, and those that lower it."""

    raising: tuple[str, ...] = ()
    lowering: tuple[str, ...] = LOWERING_WORDS
    _raise: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _lower: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_raise", _words(self.raising))
        object.__setattr__(self, "_lower", _words(self.lowering))

    def adjust(self, text: str, start: int, end: int, base: float) -> tuple[float, list[str]]:
        """``base`` moved by the context words around ``text[start:end]``, and those words.

        Only the match's own line counts (a word on the line before describes something else),
        plus, in a delimited table, the header of the match's column."""
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end == -1 else line_end
        before = text[max(line_start, start - BEFORE) : start]
        after = text[end : min(line_end, end + AFTER)]
        header = column_header(text, line_start, line_end, text[start:end])
        window = f"{header} \x00 {before} \x00 {after}".lower()
        signals: list[str] = []
        confidence = base
        if self._raise is not None:
            found = sorted({m.group(0) for m in self._raise.finditer(window)})
            if found:
                confidence += RAISE
                signals += [f"+{word}" for word in found]
        lowered = []
        if self._lower is not None:
            lowered = sorted({m.group(0) for m in self._lower.finditer(window)})
        if _in_url(text, line_start, start):
            lowered.append("url")
        if lowered:
            confidence -= LOWER
            signals += [f"-{word}" for word in lowered]
        return min(1.0, max(0.0, confidence)), signals


def _in_url(text: str, line_start: int, start: int) -> bool:
    """Whether the match sits in a URL's path or query ("https://host/case/5390364397928448"):
    there a number is a page's or a record's identifier far more often than a person's."""
    token = text.rfind(" ", line_start, start) + 1 or line_start
    head = text[max(token, line_start, start - 200) : start]
    return "://" in head or head.lower().startswith("www.")


_DELIMITERS = ",;\t|"


def column_header(text: str, line_start: int, line_end: int, value: str) -> str:
    """The header of the column holding ``value`` when its line is a row of a delimited table
    whose first line names the columns (``card_number``, ``Date of birth``); else ``""``."""
    first_end = text.find("\n")
    if line_start == 0 or first_end <= 0:
        return ""
    row = text[line_start:line_end]
    columns = _header_fields(text[:first_end].rstrip("\r"))
    if columns is None:
        return ""
    delimiter, names = columns
    fields = next(csv.reader([row.rstrip("\r")], delimiter=delimiter), [])
    if len(fields) != len(names):
        return ""
    for name, field_text in zip(names, fields, strict=True):
        if value in field_text:
            return name.replace("_", " ").replace("-", " ")
    return ""


@functools.lru_cache(maxsize=64)
def _header_fields(line: str) -> tuple[str, tuple[str, ...]] | None:
    counts = {d: line.count(d) for d in _DELIMITERS}
    delimiter = max(counts, key=lambda d: counts[d])
    if not counts[delimiter] or len(line) > 4096:
        return None
    names = tuple(next(csv.reader([line], delimiter=delimiter), []))
    # A header names columns: no field of it is a number, a date or an address.
    if any(not name.strip() or any(ch.isdigit() for ch in name) or "@" in name for name in names):
        return None
    return delimiter, names
