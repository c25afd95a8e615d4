"""`leaktrace demo`: build a small realistic case in a temporary folder and scan it."""

from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import click

from leaktrace.cli.context import AppContext
from leaktrace.cli.scan import record
from leaktrace.cli.scanning import execute_scan, index_folder, load_policy
from leaktrace.core.registry import Registry
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
        run_demo(Path(keep_dir), jobs, kept=True)
        return
    with tempfile.TemporaryDirectory(prefix="leaktrace-demo-") as folder:
        run_demo(Path(folder), jobs, kept=False)


def protect_documents(app: AppContext, documents: Path, registry: Registry) -> None:
    """Register the case's confidential documents, and its newsletter as public text."""
    from leaktrace.protect.registry import register
    from leaktrace.store import Store

    folder = index_folder(app.home)
    with Store.open(app.database_url) as store:
        confidential = [str(p) for p in sorted(documents.iterdir()) if p.name != "newsletter.txt"]
        done = register(
            store, confidential, label="confidential", index_folder=folder, registry=registry
        )
        done += register(
            store,
            [str(documents / "newsletter.txt")],
            public=True,
            index_folder=folder,
            registry=registry,
        )
    for registration in done:
        click.echo(f"  protected: {Path(registration.path).name} ({registration.status})", err=True)


def run_demo(root: Path, jobs: int | None, kept: bool) -> None:
    out = sys.stdout
    folders = build_case(root)
    outbox = folders["outbox"]
    app = AppContext(home=root / "data")
    click.echo(f"Demo case in {root}:", err=True)
    registry = Registry.from_entry_points()
    protect_documents(app, folders["documents"], registry)
    for path in sorted(outbox.iterdir()):
        click.echo(f"  outbox/{path.name}", err=True)
    click.echo(f"Scanning {outbox} ...\n", err=True)
    policy = load_policy(None, None, app.home)
    outcome = execute_scan([str(outbox)], policy, jobs, registry=registry)
    # Show paths relative to the case, as a user who ran `leaktrace scan outbox` would see them.
    prefix = str(root) + "/"
    outcome.findings = [
        replace(finding, path=finding.path.removeprefix(prefix)) for finding in outcome.findings
    ]
    write_table(outcome.findings, out)
    record(app, outcome, (str(outbox),), None)
    if kept:
        click.echo(
            f"\nThe case stays in {root}. Try:\n"
            f"  leaktrace --home {root / 'data'} findings list\n"
            f"  leaktrace --home {root / 'data'} scan --format jsonl {outbox}",
            err=True,
        )
    else:
        click.echo("\nThe case was temporary; `leaktrace demo --keep DIR` keeps it.", err=True)
    sys.stdout.flush()
