"""Runs a scan over many sources on every core, yielding reports in source order.

Each worker process builds its own :class:`Scanner`. A worker that dies (a native library
crashing on a hostile file) takes only its own source down: the sources that were in flight are
retried one at a time, and the one that kills a worker again is reported as an ``error``.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from leaktrace.core.finding import Finding, Severity
from leaktrace.core.pipeline import FileReport, Scanner
from leaktrace.core.policy import Policy
from leaktrace.core.registry import Registry
from leaktrace.core.sources import Source

_scanner: Scanner | None = None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class ScanPlan:
    registry: Registry
    policy: Policy
    jobs: int = 1


def run(plan: ScanPlan, sources: Iterable[Source]) -> Iterator[FileReport]:
    """Inspect every source; reports come back in the order the sources were given."""
    sources = list(sources)
    stdin_sources = [s for s in sources if s.is_stdin]
    if plan.jobs <= 1 or len(sources) - len(stdin_sources) <= 1:
        scanner = Scanner(plan.registry, plan.policy)
        for source in sources:
            yield scanner.scan_source(source)
        return
    yield from _run_parallel(plan, sources)


def _run_parallel(plan: ScanPlan, sources: list[Source]) -> Iterator[FileReport]:
    local = Scanner(plan.registry, plan.policy)  # stdin and unreadable paths stay here
    window = plan.jobs * 4
    pending: deque[tuple[Source, Future[FileReport] | None]] = deque()
    queue = iter(sources)
    executor = _pool(plan)
    try:
        while True:
            while len(pending) < window:
                source = next(queue, None)
                if source is None:
                    break
                needs_worker = not source.is_stdin and source.problem is None
                pending.append((source, executor.submit(_scan, source) if needs_worker else None))
            if not pending:
                return
            source, future = pending.popleft()
            if future is None:
                yield local.scan_source(source)
                continue
            try:
                yield future.result()
            except BrokenProcessPool:
                executor.shutdown(cancel_futures=True)
                in_flight = [source] + [s for s, _ in pending]
                pending.clear()
                for retried in in_flight:
                    yield _retry_alone(plan, retried, local)
                executor = _pool(plan)
    finally:
        executor.shutdown(cancel_futures=True)


def _retry_alone(plan: ScanPlan, source: Source, local: Scanner) -> FileReport:
    if source.is_stdin or source.problem is not None:
        return local.scan_source(source)
    with _pool(ScanPlan(plan.registry, plan.policy, 1)) as lone:
        try:
            return lone.submit(_scan, source).result()
        except BrokenProcessPool:
            report = FileReport(path=source.display)
            finding = Finding(
                source.display,
                "error",
                "crash",
                Severity.MEDIUM,
                "the inspecting process crashed on this file; not inspected",
                key="crash",
            )
            kept = plan.policy.apply(finding)
            report.findings.extend([kept] if kept else [])
            return report


def _pool(plan: ScanPlan) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=plan.jobs, initializer=_init_worker, initargs=(plan.registry, plan.policy)
    )


def _init_worker(registry: Registry, policy: Policy) -> None:
    global _scanner  # noqa: PLW0603 - one scanner per worker process, built once
    _scanner = Scanner(registry, policy)


def _scan(source: Source) -> FileReport:
    assert _scanner is not None, "worker was not initialised"
    return _scanner.scan_source(source)
