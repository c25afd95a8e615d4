"""A table for people: severity, where, what, and a summary line."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from leaktrace.core.finding import Finding, Severity

SEVERITY_STYLES = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}


def _where(finding: Finding) -> Text:
    where = Text(finding.path)
    if finding.line is not None:
        where.append(f":{finding.line}", style="dim")
        if finding.column is not None:
            where.append(f":{finding.column}", style="dim")
    return where


def summary_line(findings: Sequence[Finding]) -> str:
    if not findings:
        return "No findings."
    counts = Counter(f.severity for f in findings)
    parts = [f"{counts[s]} {s.label}" for s in sorted(counts, reverse=True)]
    noun = "finding" if len(findings) == 1 else "findings"
    return f"{len(findings)} {noun}: " + ", ".join(parts)


def write_table(findings: Sequence[Finding], stream: TextIO, width: int | None = None) -> None:
    """Render findings as a table on ``stream`` (colours only when it is a terminal)."""
    console = Console(
        file=stream,
        width=width or (None if stream.isatty() else 160),
        highlight=False,
        soft_wrap=False,
    )
    if findings:
        table = Table(show_lines=False, header_style="bold", expand=False)
        table.add_column("Severity", no_wrap=True)
        table.add_column("Rule", no_wrap=True)
        table.add_column("Where", overflow="fold", ratio=3)
        table.add_column("What", overflow="fold", ratio=4)
        for finding in findings:
            what = Text(finding.message)
            if finding.evidence:
                what.append(f"  [{finding.evidence}]", style="dim")
            table.add_row(
                Text(finding.severity.label, style=SEVERITY_STYLES[finding.severity]),
                f"{finding.detector}/{finding.rule}",
                _where(finding),
                what,
            )
        console.print(table)
    console.print(summary_line(findings))
