"""Running a scan for a command: policy, sources, workers, progress bar, and the store."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)

from leaktrace.core.baseline import load_baseline
from leaktrace.core.finding import Finding
from leaktrace.core.pipeline import FileReport
from leaktrace.core.policy import Policy
from leaktrace.core.registry import Registry
from leaktrace.core.runner import ScanPlan, default_jobs, run
from leaktrace.core.sources import PathFilter, find_sources

if TYPE_CHECKING:
    from leaktrace.store import Store
from leaktrace.media import media_index_folder


def index_folder(home: Path) -> Path:
    """Where the data folder keeps the index of protected documents."""
    return home / "index"


@dataclass
class ScanOutcome:
    """Everything a finished scan produced, in a stable order."""

    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    items: int = 0
    bytes_read: int = 0
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None
    interrupted: bool = False


def load_policy(
    policy_file: str | None, baseline_file: str | None, home: Path | None = None
) -> Policy:
    """The policy to scan with; ``home`` (the data folder) supplies the document and media
    indexes."""
    policy = Policy.load(Path(policy_file)) if policy_file else Policy()
    if home is not None:
        policy = policy.with_detector_defaults("document", {"index": str(index_folder(home))})
        media_index = str(media_index_folder(home))
        policy = policy.with_detector_defaults("media", {"index": media_index})
    if baseline_file:
        path = Path(baseline_file)
        policy = policy.with_baseline(load_baseline(path), path)
    return policy


def with_stored_material(ctx: click.Context, policy: Policy) -> Policy:
    """The policy with what the command's store holds for detectors (see ``stored_material``)."""
    from leaktrace.cli.common import open_store  # here: the store loads only when needed

    with open_store(ctx) as store:
        return stored_material(store, policy)


def stored_material(store: Store, policy: Policy) -> Policy:
    """The policy with what ``store`` holds for detectors: issued documents for ``mark``,
    record tables for ``records``."""
    issued = list(store.iter_issued())
    tables = store.record_tables()
    if issued:
        policy = policy.with_detector_defaults("mark", {"issued": issued})
    if tables:
        policy = policy.with_detector_defaults("records", {"tables": tables})
    return policy


def execute_scan(
    paths: Sequence[str],
    policy: Policy,
    jobs: int | None = None,
    on_report: Callable[[FileReport], None] | None = None,
    show_progress: bool | None = None,
    registry: Registry | None = None,
) -> ScanOutcome:
    """Scan ``paths`` under ``policy``; ``on_report`` sees each file's report as soon as it is
    ready (in source order), for streaming output. ``registry``: one the caller already loaded."""
    registry = registry or Registry.from_entry_points()
    sources = list(find_sources(paths, PathFilter(policy.include, policy.exclude)))
    plan = ScanPlan(registry, policy, jobs or default_jobs())
    outcome = ScanOutcome()
    progress = progress_bar(show_progress, MofNCompleteColumn(), worth_showing=len(sources) >= 2)
    try:
        with progress:
            task = progress.add_task("scanning", total=len(sources))
            for report in run(plan, sources):
                outcome.files += 1
                outcome.items += report.items
                outcome.bytes_read += report.bytes_read
                outcome.findings.extend(report.findings)
                if on_report is not None:
                    on_report(report)
                progress.update(task, advance=1, description=_short(report.path))
    except KeyboardInterrupt:
        outcome.interrupted = True
    outcome.finished_at = datetime.now(UTC)
    return outcome


def progress_bar(
    show: bool | None, counter: ProgressColumn, worth_showing: bool = True
) -> Progress:
    """The commands' progress bar on stderr: shown on a terminal (or as ``show`` says) when
    there is enough work for it to be ``worth_showing``; ``counter`` says how work is counted."""
    visible = sys.stderr.isatty() if show is None else show
    return Progress(
        TextColumn("[progress.description]{task.description:<30.30}"),
        BarColumn(),
        counter,
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
        disable=not visible or not worth_showing,
    )


def _short(path: str) -> str:
    return path if len(path) <= 30 else "…" + path[-29:]
