"""Declarative pattern rules: a rule is data (id, pattern, validator, examples), not code."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from leaktrace.core.finding import Rule, Severity

Validator = Callable[[str], bool]


@dataclass(frozen=True)
class PatternRule:
    """One rule: a regular expression, an optional validator and examples checked by the tests.

    The match's group ``value`` (or the whole match) is what the validator sees and what gets
    redacted into evidence.
    """

    id: str
    description: str
    pattern: str
    severity: Severity = Severity.MEDIUM
    flags: int = 0
    validator: Validator | None = None
    must_match: Sequence[str] = ()
    must_not_match: Sequence[str] = ()
    compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", re.compile(self.pattern, self.flags))

    def as_rule(self, detector: str) -> Rule:
        return Rule(detector, self.id, self.description, self.severity)

    def matches(self, text: str) -> Iterator[tuple[int, str]]:
        """(offset, value) of every validated match in ``text``."""
        for match in self.compiled.finditer(text):
            value = match.group("value") if "value" in self.compiled.groupindex else match.group(0)
            if self.validator is None or self.validator(value):
                start = (
                    match.start("value") if "value" in self.compiled.groupindex else match.start()
                )
                yield start, value
