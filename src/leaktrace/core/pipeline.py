"""The inspection pipeline: identify, extract, detect, carve, apply the policy; recursively.

    source bytes ─► Item ─► identify (from bytes) ─► extractor ─► text + children
                              │                         │            │
                              ├────────► detectors ◄────┘            │ (each child: same path)
                              └────────► carvers ──► hidden children ┘

Every problem with one item (a corrupt member, a limit, a crashing plugin) becomes a finding for
that item and the walk goes on with its siblings. Nothing is skipped silently.
"""

from __future__ import annotations

import hashlib
import signal
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import FrameType
from typing import IO

from leaktrace.core.errors import ItemError, LimitReached, first_line, os_error_reason
from leaktrace.core.finding import Finding, Severity
from leaktrace.core.item import WHOLE_SHA256, Item
from leaktrace.core.limits import Budget
from leaktrace.core.lineage import Lineage
from leaktrace.core.plugin import Carver, Child, Detector, ExtractContext, Extraction, Notice
from leaktrace.core.policy import Policy
from leaktrace.core.registry import Registry
from leaktrace.core.sources import Source

LIMIT_SEVERITY = Severity.MEDIUM
_WALK_LIMITS = frozenset({"depth", "time", "total"})
"""Limits that stop every further child of an item, not just one container's members."""
ERROR_SEVERITY = Severity.LOW


@dataclass
class FileReport:
    """What inspecting one top-level source produced."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    items: int = 0
    bytes_read: int = 0
    media_types: dict[str, int] = field(default_factory=dict)


class Scanner:
    """Inspects sources with one registry and one policy. Cheap to build, one per process."""

    def __init__(
        self,
        registry: Registry,
        policy: Policy | None = None,
        detectors: list[Detector] | None = None,
    ) -> None:
        """``detectors`` replaces the registry's (registration uses one that collects text)."""
        self.registry = registry
        self.policy = policy or Policy()
        self.detectors: list[Detector] = (
            detectors
            if detectors is not None
            else registry.create_detectors(self.policy.detectors, self.policy.detector_options)
        )

    # -- entry points -------------------------------------------------------------------------

    def scan_source(self, source: Source, stdin: IO[bytes] | None = None) -> FileReport:
        """Inspect one top-level source (a file, standard input, or an unreadable path)."""
        report = FileReport(path=source.display)
        if source.problem is not None:
            self._report(
                report,
                _pipeline_finding(
                    source.display, "error", "unreadable", f"cannot read: {source.problem}"
                ),
            )
            return report
        limit = self.policy.limits.max_file_bytes
        try:
            if source.path is None:
                data, whole = _read_head(stdin if stdin is not None else sys.stdin.buffer, limit)
            else:
                with open(source.path, "rb") as handle:
                    data, whole = _read_head(handle, limit)
        except OSError as error:
            reason = f"cannot read: {os_error_reason(error)}"
            self._report(report, _pipeline_finding(source.display, "error", "unreadable", reason))
            return report
        if whole is not None:
            self._report(
                report,
                _pipeline_finding(
                    source.display,
                    "limit",
                    "file-size",
                    f"larger than {limit} bytes; only the first {limit} bytes were inspected "
                    "(exact copies are still recognized by the whole file's SHA-256)",
                ),
            )
        metadata = {WHOLE_SHA256: whole} if whole is not None else None
        return self.scan_bytes(source.display, data, report, metadata)

    def scan_bytes(
        self,
        name: str,
        data: bytes,
        report: FileReport | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> FileReport:
        """Inspect in-memory content as if it were a top-level file called ``name``."""
        report = report or FileReport(path=name)
        report.bytes_read += len(data)
        budget = Budget(self.policy.limits)
        with _alarm(self.policy.limits.max_seconds * 1.5 + 1):
            try:
                self._inspect(
                    Item(Lineage.root(name), data, metadata=metadata or {}), budget, report
                )
            except LimitReached as error:  # the hard time limit, raised from the alarm
                self._report(report, _pipeline_finding(name, "limit", error.rule, str(error)))
        report.findings.sort(key=Finding.sort_key)
        return report

    # -- the walk -----------------------------------------------------------------------------

    def _inspect(
        self, item: Item, budget: Budget, report: FileReport, media_type: str | None = None
    ) -> None:
        report.items += 1
        try:
            budget.check_time()
            media_type = media_type or self.registry.identify(item.data)
        except LimitReached as error:
            self._report(report, _limit(item, error))
            return
        item = Item(item.lineage, item.data, media_type, None, item.metadata)
        report.media_types[media_type] = report.media_types.get(media_type, 0) + 1
        extractor = self.registry.extractor_for(media_type)
        context = ExtractContext(budget, self.registry.identify)
        extraction = Extraction()
        if extractor is not None:
            try:
                extraction = extractor.extract(item, context)
            except ItemError as error:
                self._report(report, _item_error(item, error))
            except RecursionError:
                self._report(
                    report,
                    _pipeline_finding(
                        item.path, "limit", "depth", "structure nested too deeply to parse"
                    ),
                )
            except Exception as error:
                self._report(report, _crash(item, extractor.name, error))
        text = extraction.text
        max_chars = self.policy.limits.max_text_chars
        if text is not None and len(text) > max_chars:
            text = text[:max_chars]
            message = f"text longer than {max_chars} characters; the rest was not read"
            self._report(report, _pipeline_finding(item.path, "limit", "text-size", message))
        item = item.with_text(text, extraction.metadata)
        self._detect(item, report)
        self._notices(item, context.drain(), report)
        # The extractor's members first, then what each carver finds hidden in the item; a limit
        # of the whole walk (depth, time, total bytes) ends the carving too.
        sources = [("extractor", extraction.children)]
        sources += [(f"carver {c.name}", _carved(c, item, context)) for c in self.registry.carvers]
        for where, children in sources:
            if not self._inspect_children(item, children, where, context, budget, report):
                break

    def _inspect_children(
        self,
        item: Item,
        members: Iterable[Child],
        where: str,
        context: ExtractContext,
        budget: Budget,
        report: FileReport,
    ) -> bool:
        """Inspect each child in turn; ``False`` when a limit of the whole walk stopped it."""
        children = iter(members)
        count = 0
        while True:
            try:
                child = next(children, None)
                if child is None:
                    break
                count += 1
                budget.check_members(count)
                budget.check_depth(item.depth + 1)
            except LimitReached as error:
                self._report(report, _limit(item, error))
                return error.rule not in _WALK_LIMITS
            except ItemError as error:
                self._report(report, _item_error(item, error))
                break
            except Exception as error:
                self._report(report, _crash(item, where, error))
                break
            finally:
                self._notices(item, context.drain(), report)
            self._inspect(_child_item(item, child), budget, report, child.media_type)
        return True

    def _detect(self, item: Item, report: FileReport) -> None:
        for detector in self.detectors:
            try:
                for finding in detector.detect(item):
                    self._report(report, finding)
            except Exception as error:
                self._report(report, _crash(item, f"detector {detector.name}", error))

    def _notices(self, item: Item, notices: list[Notice], report: FileReport) -> None:
        for notice in notices:
            path = str(item.lineage.child(notice.member)) if notice.member else item.path
            self._report(
                report,
                Finding(
                    path,
                    notice.detector,
                    notice.rule,
                    notice.severity,
                    notice.message,
                    key=notice.message,
                ),
            )

    def _report(self, report: FileReport, finding: Finding) -> None:
        kept = self.policy.apply(finding)
        if kept is not None:
            report.findings.append(kept)


def _carved(carver: Carver, item: Item, context: ExtractContext) -> Iterator[Child]:
    """A carver's children, produced lazily so that its failure is caught like a member's."""
    yield from carver.carve(item, context)


def _child_item(parent: Item, child: Child) -> Item:
    return Item(parent.lineage.child(child.name), child.data, metadata=dict(child.metadata))


def _pipeline_finding(path: str, detector: str, rule: str, message: str) -> Finding:
    severity = LIMIT_SEVERITY if detector == "limit" else ERROR_SEVERITY
    return Finding(path, detector, rule, severity, message, key=rule)


def _limit(item: Item, error: LimitReached) -> Finding:
    return _pipeline_finding(item.path, "limit", error.rule, str(error))


def _item_error(item: Item, error: ItemError) -> Finding:
    if isinstance(error, LimitReached):
        return _limit(item, error)
    return _pipeline_finding(item.path, "error", error.rule, str(error))


def _crash(item: Item, where: str, error: Exception) -> Finding:
    detail = first_line(error)
    message = f"{where} failed on {item.media_type}: {type(error).__name__}"
    return _pipeline_finding(
        item.path, "error", "corrupt", f"{message}: {detail}" if detail else message
    )


class _alarm:
    """A hard stop for one top-level file, for code that never returns to a budget check.

    Only in a main thread (where signals are delivered); elsewhere the budget's cooperative
    time checks are the limit.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.active = (
            hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        )

    def __enter__(self) -> None:
        if self.active:
            self.previous = signal.signal(signal.SIGALRM, self._expire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *_: object) -> None:
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)

    def _expire(self, _signum: int, _frame: FrameType | None) -> None:
        raise LimitReached("time", f"inspection stopped after {self.seconds:g} s")


def _read_head(stream: IO[bytes], limit: int) -> tuple[bytes, str | None]:
    """The first ``limit`` bytes of a stream, and the SHA-256 of all of it when it is longer
    (read on in 1 MiB blocks: memory stays bounded however large the file)."""
    data = stream.read(limit + 1)
    if len(data) <= limit:
        return data, None
    digest = hashlib.sha256(data)
    while block := stream.read(1 << 20):
        digest.update(block)
    return data[:limit], digest.hexdigest()
