"""JSON Lines: one finding per line, the shape of ``Finding.to_dict``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from leaktrace.core.finding import Finding


def finding_line(finding: Finding, extra: Mapping[str, Any] | None = None) -> str:
    record = finding.to_dict()
    if extra:
        record.update(extra)
    return json.dumps(record, ensure_ascii=False, sort_keys=False, default=str)


def write_jsonl(findings: Iterable[Finding], stream: TextIO) -> int:
    count = 0
    for finding in findings:
        stream.write(finding_line(finding) + "\n")
        count += 1
    stream.flush()
    return count
