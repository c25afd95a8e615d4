"""Exact data match: values of one registered record appearing together in an item.

The tables come from the store (``leaktrace records add``), as salted hashes only; the scan
commands hand them to this detector. One finding per table and item says how many records
appear and which columns gave them away; evidence names columns, never values.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from leaktrace.core.errors import PolicyError
from leaktrace.core.finding import Finding, Rule, Severity, digest
from leaktrace.core.item import Item
from leaktrace.core.plugin import Detector
from leaktrace.protect.records import RecordMatch, find_records
from leaktrace.store.records import HashedRecords

_LISTED_RECORDS = 1000  # in a finding's details; the count is always whole


class RecordsDetector(Detector):
    """Finds registered records (``records``) in an item's text."""

    name = "records"
    rules = (
        Rule(
            "records",
            "record-match",
            "Values of a registered sensitive record appear together",
            Severity.HIGH,
        ),
    )

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        self._tables: Sequence[HashedRecords] = tuple(self.options.get("tables", ()))
        window = self.options.get("window", 64)
        if isinstance(window, bool) or not isinstance(window, int) or window < 1:
            raise PolicyError("policy [detectors.records] window must be a positive number")
        self._window = window

    def detect(self, item: Item) -> Iterator[Finding]:
        if not self._tables or not item.text:
            return
        for table in self._tables:
            matches = find_records(table, item.text, self._window)
            if matches:
                yield self._finding(item, table, matches)

    def _finding(self, item: Item, table: HashedRecords, matches: list[RecordMatch]) -> Finding:
        columns = sorted({column for match in matches for column in match.columns})
        count = len(matches)
        records = "1 record" if count == 1 else f"{count} records"
        return self.finding(
            item,
            "record-match",
            f"{records} of {table.name!r} found (columns: {', '.join(columns)})",
            offset=matches[0].offset,
            evidence=f"{records}; columns {', '.join(columns)}",
            key=digest(f"{table.name}:{','.join(str(m.record) for m in matches)}"),
            details={
                "table": table.name,
                "record_count": count,
                "records": [m.record for m in matches[:_LISTED_RECORDS]],
                "columns": columns,
            },
        )
