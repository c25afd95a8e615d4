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
                # The head of the queue is always running, so this bounds its real run time.
                report = future.result(timeout=hard_limit(plan.policy))
            except (BrokenProcessPool, TimeoutError):
                _stop(executor)
                in_flight = [source] + [s for s, _ in pending]
                pending.clear()
                for retried in in_flight:
                    yield _retry_alone(plan, retried, local)
                executor = _pool(plan)
                continue
            yield report
    finally:
        _stop(executor)


def hard_limit(policy: Policy) -> float:
    """Seconds after which a worker stuck inside native code is stopped from outside."""
    return policy.limits.max_seconds * 2 + 5


def _retry_alone(plan: ScanPlan, source: Source, local: Scanner) -> FileReport:
    if source.is_stdin or source.problem is not None:
        return local.scan_source(source)
    lone = _pool(ScanPlan(plan.registry, plan.policy, 1))
    try:
        return lone.submit(_scan, source).result(timeout=hard_limit(plan.policy))
    except BrokenProcessPool:
        return _lost(
            plan,
            source,
            "error",
            "crash",
            "the inspecting process crashed on this file; not inspected",
        )
    except TimeoutError:
        return _lost(
            plan,
            source,
            "limit",
            "time",
            f"inspection did not finish within {hard_limit(plan.policy):g} s and was "
            "stopped; not inspected",
        )
    finally:
        _stop(lone)


def _lost(plan: ScanPlan, source: Source, detector: str, rule: str, message: str) -> FileReport:
    report = FileReport(path=source.display)
    kept = plan.policy.apply(
        Finding(source.display, detector, rule, Severity.MEDIUM, message, key=rule)
    )
    report.findings.extend([kept] if kept else [])
    return report


def _stop(executor: ProcessPoolExecutor) -> None:
    """Shut a pool down without waiting for a worker that may never return."""
    workers = list(getattr(executor, "_processes", {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        if process.is_alive():
            process.terminate()
    for process in workers:
        process.join(timeout=5)


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
