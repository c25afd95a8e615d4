"""`leaktrace baseline`: accept today's findings so that later scans report only what is new."""

from __future__ import annotations

from pathlib import Path

import click

from leaktrace.cli.context import AppContext
from leaktrace.cli.scan import check_paths
from leaktrace.cli.scanning import execute_scan, load_policy
from leaktrace.core.baseline import read_entries, write_baseline
from leaktrace.core.errors import UsageError
from leaktrace.core.finding import Finding


@click.group()
def baseline() -> None:
    """Accept current findings so that rescans show only new ones.

    \b
    Typical use:
      leaktrace baseline create share/ -o leaktrace-baseline.json
      leaktrace scan --baseline leaktrace-baseline.json share/     # only new findings
      leaktrace baseline update share/ -o leaktrace-baseline.json  # accept the new ones too

    A policy can name its baseline in [scan] baseline = "FILE". Findings are matched by their
    fingerprint (path, detector, rule and a digest of what matched), not by line number, so
    edits elsewhere in a file do not bring accepted findings back.
    """


def _scan_for_baseline(
    app: AppContext, paths: tuple[str, ...], policy_file: str | None, jobs: int | None
) -> list[Finding]:
    check_paths(paths)
    policy = load_policy(policy_file, None, app.home)
    outcome = execute_scan(list(paths), policy, jobs)
    if outcome.interrupted:
        raise click.Abort
    return outcome.findings


@baseline.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "-o", "--output", "output", required=True, metavar="FILE", help="Baseline file to write (JSON)."
)
@click.option("--policy", "policy_file", metavar="FILE", help="Policy to scan with.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes.")
@click.option("--force", is_flag=True, help="Overwrite an existing baseline.")
@click.pass_obj
def create(
    app: AppContext,
    paths: tuple[str, ...],
    output: str,
    policy_file: str | None,
    jobs: int | None,
    force: bool,
) -> None:
    """Scan PATH... and write every finding into a new baseline FILE."""
    target = Path(output)
    if target.exists() and not force:
        raise UsageError(f"{target} exists; use `baseline update` or --force")
    count = write_baseline(target, _scan_for_baseline(app, paths, policy_file, jobs))
    click.echo(f"baseline {target}: {count} accepted findings", err=True)


@baseline.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    metavar="FILE",
    help="Existing baseline file to update.",
)
@click.option("--policy", "policy_file", metavar="FILE", help="Policy to scan with.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes.")
@click.option("--prune", is_flag=True, help="Also drop accepted findings no longer present.")
@click.pass_obj
def update(
    app: AppContext,
    paths: tuple[str, ...],
    output: str,
    policy_file: str | None,
    jobs: int | None,
    prune: bool,
) -> None:
    """Scan PATH... again and add its new findings to the baseline FILE."""
    target = Path(output)
    old = read_entries(target)
    findings = _scan_for_baseline(app, paths, policy_file, jobs)
    if prune:
        present = {f.fingerprint for f in findings}
        old = [entry for entry in old if entry["fingerprint"] in present]
    before = len(old)
    count = write_baseline(target, findings, keep=old)
    click.echo(f"baseline {target}: {count} accepted findings ({count - before} new)", err=True)
