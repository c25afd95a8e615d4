"""Exact data match: a table of sensitive records, kept only as salted hashes of its values.

A customer table, a payroll export, a patient list: each chosen column's value is normalized
(case-folded and cut into words, so ``John.Smith@Corp.example`` and ``john smith corp example``
agree; a value with digits is joined without spaces, so ``FR14 2004 1010`` and ``fr1420041010``, or
``+44 20 7946-0000`` and ``44 2079460000``, agree) and hashed with BLAKE2b keyed by a random
salt of the table. The store keeps the hashes, which record and column each came from,
and the salt; never a value.

A scan cuts an item's text into words the same way, hashes every run of up to ``max_words``
words that starts where some value could start (the hash of its first word, or of the first
2 to 8 characters of a value with digits, is kept for that test), and looks the hashes up in
sorted numpy arrays. A finding needs values from ``min_columns`` columns of one record
within ``window`` words of each other, one of them found in that record only: a common first
name and a common city of the same person are not enough on their own.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from leaktrace.core.errors import UsageError
from leaktrace.extract.textcodec import decode_text
from leaktrace.store.records import HashedRecords

_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
MAX_VALUE_WORDS = 8
"""Longer values (free text) are not matched exactly; their first words would be noise."""
MAX_VALUE_GROUPS = 12
"""A number printed in groups (an IBAN in fours, a phone number) may have more parts."""
_PREFIXES = range(2, 9)  # lengths of a digit value's first group as it may be printed
MIN_VALUE_CHARS = 4
"""Shorter values ("M", "yes", "12") appear everywhere and identify nobody."""
_MAX_COLUMNS = 255
_MAX_HITS_PER_RECORD = 1000  # a value repeated all over a text says no more than once


def words(text: str) -> list[str]:
    """The words of ``text``, case-folded, as both registration and scanning see them."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return _WORD.findall(text.casefold())


def normalized(value: str) -> str | None:
    """The form of a cell value that is hashed, or ``None`` when it is too short or too long.

    Words are joined by a space; a value with digits is joined without one, since numbers are
    printed with spaces, dashes or dots wherever their writer likes."""
    parts = words(value)
    if not parts or sum(map(len, parts)) < MIN_VALUE_CHARS:
        return None
    if _DIGIT.search(value):
        return "".join(parts) if len(parts) <= MAX_VALUE_GROUPS else None
    return " ".join(parts) if len(parts) <= MAX_VALUE_WORDS else None


def _joined_number(value: str) -> bool:
    """Whether a normalized value is a number joined from its printed groups (see above)."""
    return " " not in value and _DIGIT.search(value) is not None


def value_starts(value: str) -> list[str]:
    """What a printed ``value`` may start with: its first word, or (with digits) its first few
    characters, up to the whole value."""
    if not _joined_number(value):
        return [value.partition(" ")[0]]
    return [value[:length] for length in _PREFIXES if length < len(value)] + [value]


def keyed_hash(salt: bytes, text: str) -> int:
    """64 bits of BLAKE2b keyed by the table's salt."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), key=salt, digest_size=8)
    return int.from_bytes(digest.digest(), "little")


@dataclass(frozen=True)
class TableRead:
    """What reading a CSV gave: the hashed table and what had to be skipped."""

    table: HashedRecords
    rows: int
    short_rows: int
    skipped_values: int


def read_csv(
    data: bytes,
    columns: Sequence[str],
    *,
    name: str,
    min_columns: int | None = None,
    salt: bytes | None = None,
) -> TableRead:
    """Hash the chosen ``columns`` of a CSV with a header row (any encoding, any delimiter)."""
    text, _encoding = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    header = [cell.strip() for cell in next(reader, [])]
    if not header:
        raise UsageError(f"{name}: the CSV is empty (a header row naming the columns is needed)")
    wanted = _column_indexes(header, columns, name)
    needed = _min_columns(min_columns, len(wanted))
    salt = salt or secrets.token_bytes(16)
    values: list[tuple[int, int, int]] = []
    starts: set[int] = set()
    rows = short_rows = skipped = longest = 0
    for record, row in enumerate(reader, start=1):
        if not any(cell.strip() for cell in row):
            continue
        rows += 1
        if len(row) < len(header):
            short_rows += 1
        for column, index in enumerate(wanted):
            value = normalized(row[index]) if index < len(row) else None
            if value is None:
                skipped += 1
                continue
            values.append((keyed_hash(salt, value), record, column))
            starts.update(keyed_hash(salt, start) for start in value_starts(value))
            longest = max(longest, _printed_words(value))
    if not values:
        raise UsageError(f"{name}: no usable values in columns {', '.join(columns)}")
    table = _hashed(name, tuple(header[i] for i in wanted), salt, values, starts, longest, needed)
    return TableRead(table, rows, short_rows, skipped)


def _printed_words(value: str) -> int:
    """How many words ``value`` may take in text: a number may be printed in groups of 3."""
    if not _joined_number(value):
        return value.count(" ") + 1
    return min(MAX_VALUE_GROUPS, len(value) // 3 + 1)


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def _column_indexes(header: list[str], columns: Sequence[str], name: str) -> list[int]:
    if not columns:
        raise UsageError("name the columns to register with --columns")
    if len(columns) > _MAX_COLUMNS:
        raise UsageError(f"at most {_MAX_COLUMNS} columns can be registered")
    folded = [column.casefold() for column in header]
    indexes = []
    for column in columns:
        if column.casefold() not in folded:
            known = ", ".join(header)
            raise UsageError(f"{name}: no column {column!r} (the header has: {known})")
        indexes.append(folded.index(column.casefold()))
    if len(set(indexes)) != len(indexes):
        raise UsageError("a column is named twice in --columns")
    return indexes


def _min_columns(requested: int | None, available: int) -> int:
    default = min(2, available)
    if requested is None:
        return default
    if not 1 <= requested <= available:
        raise UsageError(f"--min-columns must be between 1 and {available}")
    return requested


def _hashed(
    name: str,
    columns: tuple[str, ...],
    salt: bytes,
    values: list[tuple[int, int, int]],
    starts: Iterable[int],
    max_words: int,
    min_columns: int,
) -> HashedRecords:
    array = np.array(values, dtype=np.uint64)
    order = np.argsort(array[:, 0], kind="stable")
    return HashedRecords(
        name=name,
        columns=columns,
        salt=salt,
        hashes=array[order, 0].copy(),
        records=array[order, 1].astype(np.uint32),
        column_ids=array[order, 2].astype(np.uint8),
        starts=np.unique(np.fromiter(starts, dtype=np.uint64)),
        max_words=max_words,
        record_count=int(np.unique(array[:, 1]).size),
        min_columns=min_columns,
    )


@dataclass(frozen=True)
class RecordMatch:
    """One record whose values appear together in a text."""

    record: int
    columns: tuple[str, ...]
    offset: int


def find_records(table: HashedRecords, text: str, window: int = 64) -> list[RecordMatch]:
    """Records of ``table`` with values from ``min_columns`` of its columns within ``window``
    words of each other in ``text``, at least one of them unique to that record."""
    tokens = words(text)
    if not tokens:
        return []
    hits = _value_hits(table, tokens)
    return _records_together(table, hits, text, window) if hits else []


def _value_hits(table: HashedRecords, tokens: list[str]) -> list[tuple[int, int, int, bool]]:
    """(word position, record, column, unique) for every value found at a word position."""
    salt = table.salt
    token_hash = {token: keyed_hash(salt, token) for token in set(tokens)}
    distinct = list(token_hash)
    hashes = np.fromiter(token_hash.values(), np.uint64, len(distinct))
    openers = {distinct[i] for i in np.flatnonzero(np.isin(hashes, table.starts)).tolist()}
    if not openers:
        return []
    candidates: list[int] = []
    positions: list[int] = []
    for start in [i for i, token in enumerate(tokens) if token in openers]:
        candidates.append(token_hash[tokens[start]])
        positions.append(start)
        numeric = bool(_DIGIT.search(tokens[start]))
        for length in range(2, min(table.max_words, len(tokens) - start) + 1):
            run = tokens[start : start + length]
            candidates.append(keyed_hash(salt, " ".join(run)))
            positions.append(start)
            numeric = numeric or bool(_DIGIT.search(run[-1]))
            if numeric:
                candidates.append(keyed_hash(salt, "".join(run)))
                positions.append(start)
    wanted = np.array(candidates, dtype=np.uint64)
    left = np.searchsorted(table.hashes, wanted, side="left")
    right = np.searchsorted(table.hashes, wanted, side="right")
    hits = []
    for index in np.flatnonzero(right > left).tolist():
        rows = range(int(left[index]), int(right[index]))
        unique = len({int(table.records[row]) for row in rows}) == 1
        position = positions[index]
        hits += [(position, int(table.records[r]), int(table.column_ids[r]), unique) for r in rows]
    return hits


def _records_together(
    table: HashedRecords, hits: list[tuple[int, int, int, bool]], text: str, window: int
) -> list[RecordMatch]:
    by_record: dict[int, list[tuple[int, int, bool]]] = {}
    for position, record, column, unique in hits:
        by_record.setdefault(record, []).append((position, column, unique))
    together: list[tuple[int, tuple[str, ...], int]] = []
    for record, found in sorted(by_record.items()):
        best = _best_window(sorted(found)[:_MAX_HITS_PER_RECORD], window)
        if best is None or len({column for _, column, _ in best}) < table.min_columns:
            continue
        if not any(unique for _, _, unique in best):
            continue
        columns = tuple(table.columns[c] for c in sorted({column for _, column, _ in best}))
        together.append((record, columns, best[0][0]))
    if not together:
        return []
    offsets = _word_offsets(text)
    return [
        RecordMatch(record, columns, offsets[min(word, len(offsets) - 1)])
        for record, columns, word in together
    ]


def _word_offsets(text: str) -> list[int]:
    """Where each word starts in the original text (for line numbers; computed only when a
    record was found)."""
    return [match.start() for match in _WORD.finditer(text)] or [0]


def _best_window(
    found: list[tuple[int, int, bool]], window: int
) -> list[tuple[int, int, bool]] | None:
    """The run of hits within ``window`` words of its first one that covers most columns."""
    best: list[tuple[int, int, bool]] | None = None
    best_columns = 0
    for index, (position, _, _) in enumerate(found):
        run = [hit for hit in found[index:] if hit[0] - position <= window]
        columns = len({column for _, column, _ in run})
        if columns > best_columns:
            best, best_columns = run, columns
    return best
