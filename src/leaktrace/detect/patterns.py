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
    max_span: int = 1024
    """The longest text a match can cover, in characters; a longer match may be missed."""
    compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", re.compile(self.pattern, self.flags))

    def as_rule(self, detector: str) -> Rule:
        return Rule(detector, self.id, self.description, self.severity)

    def matches(
        self, text: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[tuple[int, str]]:
        """(offset, value) of every validated match in ``text[pos:endpos]``.

        Look-behind still sees the text before ``pos``. A match that reaches a cut ``endpos``
        is left out: in the whole text it might go on (or its look-ahead fail), and a window
        reaching further reports it instead.
        """
        group = "value" if "value" in self.compiled.groupindex else 0
        end = len(text) if endpos is None else min(endpos, len(text))
        cut = end < len(text)
        for match in self.compiled.finditer(text, pos, end):
            if cut and match.end() >= end:
                continue
            value = match.group(group)
            if self.validator is None or self.validator(value):
                yield match.start(group), value
