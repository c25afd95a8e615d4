"""`leaktrace findings`: look at what earlier scans recorded in the store.

The store (and so SQLAlchemy) is imported only when a subcommand runs, so that registering this
group costs nothing for the other commands.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

import click

from leaktrace.cli.common import CommandError, format_option, open_store
from leaktrace.core.finding import Severity

if TYPE_CHECKING:
    from leaktrace.store import ScanSummary, Store, StoredFinding

SEVERITY_NAMES = [severity.label for severity in Severity]


@click.group()
def findings() -> None:
    """Look at what earlier scans found.

    Every `leaktrace scan` is recorded in the store (SQLite in the data folder, or the
    database given with --db). These commands read it back.

    \b
    Examples:
      leaktrace findings list                          the latest scan's findings
      leaktrace findings list --all-scans --min-severity high
      leaktrace findings list --scan 12 --format jsonl > scan-12.jsonl
      leaktrace findings show 4711                     every field of one finding
      leaktrace findings scans --limit 5               the five most recent scans
    """


# -- list ---------------------------------------------------------------------------------------


@findings.command("list")
@click.option(
    "--scan",
    "scan_id",
    type=click.IntRange(min=1),
    metavar="ID",
    help="Findings of this scan (see `leaktrace findings scans`). Default: the latest.",
)
@click.option("--all-scans", is_flag=True, help="Findings of every recorded scan, newest first.")
@click.option("--detector", metavar="NAME", help="Only this detector's findings, e.g. secret.")
@click.option(
    "--min-severity",
    type=click.Choice(SEVERITY_NAMES, case_sensitive=False),
    help="Only findings at this severity or above.",
)
@format_option("table", "jsonl", extra_help=", with id and scan_id")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="At most N findings.")
@click.pass_context
def list_findings(
    ctx: click.Context,
    *,
    scan_id: int | None,
    all_scans: bool,
    detector: str | None,
    min_severity: str | None,
    output_format: str,
    limit: int | None,
) -> None:
    """List recorded findings: by default those of the latest scan.

    \b
    Examples:
      leaktrace findings list
      leaktrace findings list --scan 3 --detector secret
      leaktrace findings list --all-scans --min-severity medium --limit 50
      leaktrace findings list --format jsonl | jq .path
    """
    if scan_id is not None and all_scans:
        raise click.UsageError("use either --scan ID or --all-scans, not both")
    with open_store(ctx) as store:
        if not all_scans:
            scan_id = _chosen_scan(store, scan_id)
            if scan_id is None:
                click.echo(
                    f"No scans recorded yet in {store.display_url}; "
                    "run `leaktrace scan PATH` first.",
                    err=True,
                )
                return
        stored = store.findings(
            scan_id=None if all_scans else scan_id,
            detector=detector,
            min_severity=Severity.parse(min_severity) if min_severity else None,
            limit=limit,
        )
    stream = sys.stdout
    if output_format == "jsonl":
        _write_stored_jsonl(stored, stream)
    else:
        from leaktrace.report.table import write_table  # here: rich loads only when needed

        write_table([item.finding for item in stored], stream)


def _chosen_scan(store: Store, scan_id: int | None) -> int | None:
    """The scan asked for (which must exist), or the latest one (None when there is none)."""
    if scan_id is None:
        return store.latest_scan_id()
    if store.scan(scan_id) is None:
        raise CommandError(f"no scan with id {scan_id} in {store.display_url}")
    return scan_id


def _write_stored_jsonl(stored: Sequence[StoredFinding], stream: TextIO) -> None:
    from leaktrace.report.jsonl import finding_line

    for item in stored:
        extra = {"id": item.id, "scan_id": item.scan_id, "first_seen": _iso(item.first_seen)}
        stream.write(finding_line(item.finding, extra) + "\n")
    stream.flush()


# -- show ---------------------------------------------------------------------------------------


@findings.command("show")
@click.argument("finding_id", metavar="ID", type=click.IntRange(min=1))
@format_option("text", "json")
@click.pass_context
def show_finding(ctx: click.Context, finding_id: int, output_format: str) -> None:
    """Show every field of one finding, its details included.

    ID is the number in the `id` field of `leaktrace findings list --format jsonl`.

    \b
    Examples:
      leaktrace findings show 17
      leaktrace findings show 17 --format json
    """
    with open_store(ctx) as store:
        stored = store.finding(finding_id)
        if stored is None:
            raise CommandError(f"no finding with id {finding_id} in {store.display_url}")
    if output_format == "json":
        click.echo(json.dumps(stored.to_dict(), indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(_finding_text(stored))


def _finding_text(stored: StoredFinding) -> str:
    finding = stored.finding
    fields: list[tuple[str, object]] = [
        ("severity", finding.severity.label),
        ("detector", finding.detector),
        ("rule", finding.rule),
        ("path", finding.path),
        ("line", finding.line),
        ("column", finding.column),
        ("message", finding.message),
        ("evidence", finding.evidence),
        ("action", finding.action.value),
        ("fingerprint", finding.fingerprint),
        ("first seen", _iso(stored.first_seen)),
    ]
    lines = [f"Finding {stored.id} (scan {stored.scan_id})"]
    lines += [f"  {name:<12} {'-' if value is None else value}" for name, value in fields]
    if finding.details:
        details = json.dumps(
            dict(finding.details), indent=2, sort_keys=True, ensure_ascii=False, default=str
        )
        lines.append("  details")
        lines += [f"    {line}" for line in details.splitlines()]
    return "\n".join(lines)


# -- scans --------------------------------------------------------------------------------------


@findings.command("scans")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    metavar="N",
    help="At most N scans, newest first.",
)
@format_option("table", "jsonl")
@click.pass_context
def list_scans(ctx: click.Context, limit: int, output_format: str) -> None:
    """List recorded scans, newest first, with their findings per severity.

    \b
    Examples:
      leaktrace findings scans
      leaktrace findings scans --limit 5 --format jsonl
    """
    with open_store(ctx) as store:
        summaries = store.scans(limit=limit)
    stream = sys.stdout
    if output_format == "jsonl":
        for summary in summaries:
            stream.write(json.dumps(summary.to_dict(), ensure_ascii=False) + "\n")
        stream.flush()
    elif not summaries:
        click.echo("No scans recorded yet.")
    else:
        _write_scans_table(summaries, stream)


def _write_scans_table(summaries: Sequence[ScanSummary], stream: TextIO) -> None:
    from rich.console import Console, JustifyMethod  # here: rich loads only when needed
    from rich.table import Table

    table = Table(header_style="bold")
    for name in ("ID", "Started (UTC)", "Took", "Status", "Files", "Items", "Findings", "Roots"):
        justify: JustifyMethod = "right" if name in ("ID", "Took", "Files", "Items") else "left"
        table.add_column(name, justify=justify, overflow="fold")
    for summary in summaries:
        took = (summary.finished_at - summary.started_at).total_seconds()
        table.add_row(
            str(summary.id),
            summary.started_at.strftime("%Y-%m-%d %H:%M:%S"),
            f"{took:.1f}s",
            summary.status,
            str(summary.files),
            str(summary.items),
            _counts_text(summary),
            " ".join(summary.roots),
        )
    console = Console(file=stream, width=None if stream.isatty() else 160, highlight=False)
    console.print(table)


def _counts_text(summary: ScanSummary) -> str:
    parts = [f"{summary.counts[s]} {s.label}" for s in reversed(Severity) if summary.counts.get(s)]
    return f"{summary.total}: " + ", ".join(parts) if parts else "0"


def _iso(moment: datetime) -> str:
    return moment.isoformat()
