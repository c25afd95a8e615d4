"""The recipients of a marked document, read from a CSV file with a header.

Column ``id`` is required and names each recipient (and the folder of their copy); every other
column is kept as the recipient's details (name, unit, e-mail, ...). A file without ``id``, an
empty or unsafe id, a duplicate id or a row with no values is refused with one line that says
where.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from leaktrace.core.errors import UsageError, os_error_reason

MAX_RECIPIENTS = 100_000


@dataclass(frozen=True)
class RecipientRow:
    id: str
    details: Mapping[str, str]


def read_recipients(path: Path) -> list[RecipientRow]:
    """The recipients listed in the CSV file at ``path``, in file order."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read recipients {path}: {os_error_reason(error)}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"recipients {path}: not UTF-8 text") from None
    return parse_recipients(text, str(path))


def parse_recipients(text: str, name: str = "recipients") -> list[RecipientRow]:
    """The recipients of CSV ``text`` (``name`` says which file in messages)."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # one column, or too little to tell: plain commas
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [column.strip() for column in reader.fieldnames or []]
    if "id" not in header:
        raise UsageError(f"{name}: the header has no 'id' column (found: {', '.join(header)})")
    reader.fieldnames = header
    rows: list[RecipientRow] = []
    seen: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            values = {k: (v or "").strip() for k, v in row.items() if k is not None}
            if not any(values.values()):
                raise UsageError(f"{name}, line {line}: empty row")
            ident = values.pop("id")
            _check_id(ident, name, line)
            if ident in seen:
                raise UsageError(f"{name}, line {line}: id {ident!r} repeats line {seen[ident]}")
            seen[ident] = line
            rows.append(RecipientRow(ident, values))
            if len(rows) > MAX_RECIPIENTS:
                raise UsageError(f"{name}: more than {MAX_RECIPIENTS} recipients")
    except csv.Error as error:
        raise UsageError(f"{name}, line {reader.line_num}: {error}") from None
    if not rows:
        raise UsageError(f"{name}: no recipients")
    return rows


def _check_id(ident: str, name: str, line: int) -> None:
    """An id names a folder of the output: no path tricks, no control characters."""
    if not ident:
        raise UsageError(f"{name}, line {line}: empty id")
    if ident in (".", "..") or any(c in ident for c in "/\\") or not ident.isprintable():
        raise UsageError(f"{name}, line {line}: id {ident!r} cannot name a folder")
