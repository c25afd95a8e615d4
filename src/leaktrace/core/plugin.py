"""The three kinds of plugin: extractors open containers, carvers find what is hidden in any
item (data after a file's end, a file inside another, encoded blobs in text), detectors report
findings.

All are pure: they look at the item they are given and nothing else (no files, no database, no
network, no global settings), which is what lets the pipeline run them in parallel processes.
A new format or a new check is one module with one subclass, registered in ``pyproject.toml``
under the ``leaktrace.extractors``, ``leaktrace.carvers`` or ``leaktrace.detectors``
entry-point group.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from leaktrace.core.finding import Finding, Rule, Severity
from leaktrace.core.item import Item
from leaktrace.core.limits import Budget
from leaktrace.core.mediatypes import OCTET_STREAM


@dataclass(frozen=True, slots=True)
class Child:
    """A member an extractor found: its name inside the container and its bytes."""

    name: str
    data: bytes
    metadata: Mapping[str, str] = field(default_factory=dict)
    media_type: str | None = None
    """Set only when the container states it reliably (otherwise decided from the bytes)."""


@dataclass(frozen=True, slots=True)
class Notice:
    """Something an extractor wants reported about the item it is opening."""

    detector: str
    rule: str
    message: str
    severity: Severity = Severity.LOW
    member: str | None = None


@dataclass
class Extraction:
    """An extractor's answer: the item's own text, and its members, produced lazily."""

    text: str | None = None
    children: Iterable[Child] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)


def _unidentified(data: bytes) -> str:
    return OCTET_STREAM


class ExtractContext:
    """What an extractor or a carver may use: the budget (for every read), a place to leave
    notices, and ``identify`` (the registry's identification of bytes, for naming what a carver
    found)."""

    def __init__(self, budget: Budget, identify: Callable[[bytes], str] | None = None) -> None:
        self.budget = budget
        self.identify: Callable[[bytes], str] = identify or _unidentified
        self.notices: list[Notice] = []

    def notice(
        self,
        detector: str,
        rule: str,
        message: str,
        severity: Severity = Severity.LOW,
        member: str | None = None,
    ) -> None:
        self.notices.append(Notice(detector, rule, message, severity, member))

    def drain(self) -> list[Notice]:
        notices, self.notices = self.notices, []
        return notices


class Extractor(ABC):
    """Opens one family of containers."""

    name: ClassVar[str]
    media_types: ClassVar[frozenset[str]]
    sniff_priority: ClassVar[int] = 50
    """Higher runs first; specific formats (docx) must beat the generic ones (zip) they use."""

    def sniff(self, head: bytes, data: bytes) -> str | None:
        """Name the media type if these bytes are one this extractor opens, else ``None``.

        ``head`` is the first few KiB; ``data`` is everything (for formats that must look at the
        end, like zip's central directory). Must be cheap and must never raise.
        """
        return None

    @abstractmethod
    def extract(self, item: Item, context: ExtractContext) -> Extraction:
        """Return the item's text and its members. Raise ``ItemError`` for a corrupt item."""


class Carver(ABC):
    """Finds content hidden in an item of any type, after its extractor has run.

    ``carve`` sees the item with its media type and extracted text, yields what it found as
    children (which the pipeline inspects like any member: identified from their bytes,
    extracted, detected, carved again, under the same budget) and may leave notices saying what
    the hiding was. It must be cheap on ordinary items and must never raise for odd content.
    """

    name: ClassVar[str]

    @abstractmethod
    def carve(self, item: Item, context: ExtractContext) -> Iterable[Child]:
        """Yield the hidden content found in ``item``, leaving notices through ``context``."""


class Detector(ABC):
    """Looks at one item and yields findings."""

    name: ClassVar[str]
    rules: ClassVar[tuple[Rule, ...]] = ()

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        self.options: Mapping[str, Any] = options or {}
        # Rules this instance adds to the class's own (a policy's custom rules, for instance).
        self.extra_rules: tuple[Rule, ...] = ()

    @abstractmethod
    def detect(self, item: Item) -> Iterator[Finding]:
        """Yield findings for this item; never raise for odd content."""

    def rule(self, rule_id: str) -> Rule:
        for rule in (*self.rules, *self.extra_rules):
            if rule.id == rule_id:
                return rule
        raise KeyError(f"{self.name} has no rule {rule_id!r}")

    def finding(
        self,
        item: Item,
        rule_id: str,
        message: str,
        *,
        offset: int | None = None,
        evidence: str | None = None,
        key: str = "",
        details: Mapping[str, Any] | None = None,
    ) -> Finding:
        """Build a finding for ``item``, locating ``offset`` (a character in its text)."""
        line = column = None
        if offset is not None and item.text is not None:
            line, column = item.position(offset)
        return Finding(
            path=item.path,
            detector=self.name,
            rule=rule_id,
            severity=self.rule(rule_id).severity,
            message=message,
            line=line,
            column=column,
            evidence=evidence,
            key=key,
            details=details or {},
        )
