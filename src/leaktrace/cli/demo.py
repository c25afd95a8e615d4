"""`leaktrace demo`: build a small realistic case in a temporary folder and scan it."""

from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import click

from leaktrace.cli.context import AppContext
from leaktrace.cli.scan import record
from leaktrace.cli.scanning import execute_scan
from leaktrace.core.policy import Policy
from leaktrace.demo.case import build_case
from leaktrace.report.table import write_table


@click.command(short_help="Build a sample case with leaks in it and scan it.")
@click.option(
    "--keep",
    "keep_dir",
    metavar="DIR",
    help="Build the case in DIR and keep it (default: a temporary folder, removed).",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes.")
@click.pass_obj
def demo(app: AppContext, keep_dir: str | None, jobs: int | None) -> None:
    """Build a sample case (internal documents and an outbox with leaks) and scan it.

    The case is invented: a company's programme briefing, an HR note, deployment notes with
    credentials, mail, archives, a PDF, a photo and a file whose name lies. The scan is recorded
    in a store inside the case folder, so `leaktrace --home DIR findings list` works with --keep.
    """
    if keep_dir:
        run_demo(Path(keep_dir), jobs)
        return
    with tempfile.TemporaryDirectory(prefix="leaktrace-demo-") as folder:
        run_demo(Path(folder), jobs)


def run_demo(root: Path, jobs: int | None) -> None:
    out = sys.stdout
    folders = build_case(root)
    outbox = folders["outbox"]
    click.echo(f"Demo case in {root}:", err=True)
    for path in sorted(outbox.iterdir()):
        click.echo(f"  outbox/{path.name}", err=True)
    click.echo(f"Scanning {outbox} ...\n", err=True)
    outcome = execute_scan([str(outbox)], Policy(), jobs)
    # Show paths relative to the case, as a user who ran `leaktrace scan outbox` would see them.
    prefix = str(root) + "/"
    outcome.findings = [
        replace(finding, path=finding.path.removeprefix(prefix)) for finding in outcome.findings
    ]
    write_table(outcome.findings, out)
    record(AppContext(home=root / "data"), outcome, (str(outbox),), None)
    click.echo(
        f"\nRecorded in {root / 'data'}. Try: leaktrace scan --format jsonl {outbox}",
        err=True,
    )
    sys.stdout.flush()
