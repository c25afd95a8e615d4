"""`leaktrace scan`: inspect files, folders, archives, mail and documents for protected material."""

from __future__ import annotations

import os
import sys
from typing import TextIO

import click

from leaktrace.cli.common import fail_on_option, recording_options
from leaktrace.cli.context import AppContext
from leaktrace.cli.scanning import (
    ScanOutcome,
    execute_scan,
    load_policy,
    with_stored_material,
)
from leaktrace.core.errors import UsageError
from leaktrace.core.finding import Finding, Rule, Severity
from leaktrace.core.pipeline import FileReport
from leaktrace.core.registry import Registry
from leaktrace.report.jsonl import write_jsonl
from leaktrace.report.sarif import write_sarif
from leaktrace.report.table import write_table

FORMATS = ("table", "jsonl", "sarif")


@click.command(short_help="Scan files, folders or standard input for protected material.")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table for people; jsonl (one finding a line) or sarif for machines.",
)
@click.option(
    "-o",
    "--output",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="Write the report here instead of standard output.",
)
@fail_on_option
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes. Default: all cores.",
)
@click.option(
    "--policy",
    "policy_file",
    metavar="FILE",
    help="Policy TOML: rules on/off, severities, actions, limits, include/exclude, baseline.",
)
@click.option(
    "--baseline",
    "baseline_file",
    metavar="FILE",
    help="Hide findings recorded in this baseline (see `leaktrace baseline`).",
)
@recording_options("scan")
@click.pass_obj
def scan(
    app: AppContext,
    paths: tuple[str, ...],
    output_format: str,
    output: TextIO,
    fail_on: str,
    jobs: int | None,
    policy_file: str | None,
    baseline_file: str | None,
    no_store: bool,
    progress: bool | None,
) -> None:
    """Scan PATH... (files, folders, or - for standard input) and report what is found.

    Containers are opened by content, whatever their names: zip, tar, 7z, gzip/bzip2/xz,
    Word/Excel/PowerPoint, OpenDocument, PDF, RTF, HTML, e-mail (.eml, mbox, Outlook .msg) and
    image metadata, nested to any depth within the policy's limits. A finding inside a container
    names its lineage: outbox/msg1.eml!lecture.docx.

    \b
    Examples:
      leaktrace scan ~/outbox
      leaktrace scan --format jsonl --fail-on high share/ > findings.jsonl
      leaktrace scan --format sarif -o leaktrace.sarif repo/
      cat message.eml | leaktrace scan -

    Exit status: 0 nothing at or above --fail-on, 1 found something, 2 usage or operational error.
    """
    check_paths(paths)
    policy = load_policy(policy_file, baseline_file, app.home)
    if not no_store:
        policy = with_stored_material(click.get_current_context(), policy)
    stream_jsonl = output_format == "jsonl"

    def stream(report: FileReport) -> None:
        if stream_jsonl:
            write_jsonl(report.findings, output)

    registry = Registry.from_entry_points()
    outcome = execute_scan(
        list(paths), policy, jobs, on_report=stream, show_progress=progress, registry=registry
    )
    if output_format == "table":
        write_table(outcome.findings, output)
    elif output_format == "sarif":
        write_sarif(outcome.findings, output, known_rules(registry))
    if not no_store:
        record(app, outcome, paths, policy_file)
    if outcome.interrupted:
        raise click.Abort
    sys.exit(exit_code(outcome.findings, fail_on))


def check_paths(paths: tuple[str, ...]) -> None:
    """Refuse bad arguments up front; problems found while walking become findings instead."""
    if paths.count("-") > 1:
        raise UsageError("standard input (-) can be scanned only once per run")
    for path in paths:
        if path != "-" and not os.path.lexists(path):
            raise UsageError(f"no such file or directory: {path}")


def exit_code(findings: list[Finding], fail_on: str) -> int:
    if fail_on == "never":
        return 0
    threshold = Severity.parse(fail_on)
    return 1 if any(f.severity >= threshold for f in findings) else 0


def known_rules(registry: Registry) -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for detector in registry.detector_classes.values():
        for rule in detector.rules:
            rules[rule.qualified_id] = rule
    return rules


def record(
    app: AppContext, outcome: ScanOutcome, paths: tuple[str, ...], policy_file: str | None
) -> int:
    """Record the scan in the store; returns its id."""
    from leaktrace.store import ScanRecord, Store

    assert outcome.finished_at is not None
    scan_record = ScanRecord(
        started_at=outcome.started_at,
        finished_at=outcome.finished_at,
        roots=list(paths),
        policy=policy_file,
        files=outcome.files,
        items=outcome.items,
        bytes_read=outcome.bytes_read,
        status="interrupted" if outcome.interrupted else "complete",
    )
    with Store.open(app.database_url) as store:
        return store.record_scan(scan_record, outcome.findings)
