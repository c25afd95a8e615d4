r"""A personal-data rule: pattern rules (data, with examples) plus how a match is assessed.

One rule may have two patterns under the same id: the value's own printed shape (a dashed SSN,
a spaced IBAN) and a *labelled* form, the bare value right after a label that names it
("SSN: 123456789", "BSN 123456782"). Bare digit runs are everywhere, so identifiers without a
shape of their own are only looked for after their label.

Patterns are written for both engines that run them: no bounded repeats of groups (they make
the native prefilter slow), and a value's "not inside a longer word" lookbehind comes after its
first character (``\d(?<![\w-].)...``), so that Python's engine can skip ahead to the characters
a value may start with instead of testing the lookbehind at every position of the text; and a
value's end is a consumed character (``(?:[^\w-]|$)``) rather than a look-ahead, which the
prefilter drops, so that a long run of digits is one prefilter match, not one per digit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from leaktrace.core.finding import Rule, Severity
from leaktrace.detect.patterns import PatternRule
from leaktrace.detect.pii.context import LOWERING_WORDS, Context


@dataclass(frozen=True)
class Assessment:
    """What a validated match is: its confidence before context, the normalized value (for the
    finding's key, so "4111 1111 …" and "41111111…" are one card) and details to report."""

    confidence: float
    normalized: str
    details: Mapping[str, str] = field(default_factory=dict)


Assess = Callable[[str], Assessment | None]
"""``None`` when the value fails its validation (checksum, ranges, lengths, dates)."""


# Between a label and its value: "(SSN)", "number", "no.", "#", ":", "=", a quote.
LABEL_GAP = (
    r"\.?(?:\s*\([A-Za-z]+\))?(?:\s*(?:(?:number|num|no|nr)(?![A-Za-z])|n°|#)\.?)?"
    r"[\"']?\s*(?:is\s+)?[:=#]?\s*[\"']?"
)


LABELLED_SPAN = 160
"""The longest labelled match: a label, the space after it and the value."""


def labelled(labels: Sequence[str], value: str) -> str:
    """A pattern for ``value`` right after one of ``labels`` (regex fragments, any case)."""
    words = "|".join(labels)
    return rf"(?i:\b(?:{words}){LABEL_GAP})(?P<value>{value})(?:[^\w-]|$)"


@dataclass(frozen=True)
class Labelled:
    """The labelled form of a rule, with its own examples."""

    labels: tuple[str, ...]
    value: str
    must_match: tuple[str, ...]
    must_not_match: tuple[str, ...]


@dataclass(frozen=True)
class PiiRule:
    id: str
    description: str
    severity: Severity
    kind: str
    assess: Assess
    context: Context
    patterns: tuple[PatternRule, ...]

    def as_rule(self, detector: str) -> Rule:
        return Rule(detector, self.id, self.description, self.severity)


def pii_rule(
    id: str,
    description: str,
    pattern: str | None,
    *,
    kind: str,
    assess: Assess,
    severity: Severity,
    raising: Sequence[str] = (),
    lowering: Sequence[str] = LOWERING_WORDS,
    flags: int = 0,
    must_match: tuple[str, ...] = (),
    must_not_match: tuple[str, ...] = (),
    label: Labelled | None = None,
    max_span: int = 64,
) -> PiiRule:
    """A rule whose validator is ``assess`` (a match counts when it assesses to something).

    ``pattern`` is the value's own shape (``None`` when it has none), matching at most
    ``max_span`` characters; ``label`` adds the labelled form, whose labels also raise the
    confidence.
    """

    # The pattern's validator assesses a match, and the detector needs that assessment right
    # after: remembering the last one spares a second checksum or phone-number parse.
    last: tuple[str, Assessment | None] = ("", None)

    def assess_once(value: str) -> Assessment | None:
        nonlocal last
        seen = last  # one read: another thread may replace it meanwhile
        if seen[0] == value and value:
            return seen[1]
        result = assess(value)
        last = (value, result)
        return result

    def valid(value: str) -> bool:
        return assess_once(value) is not None

    patterns: list[PatternRule] = []
    if pattern is not None:
        patterns.append(
            PatternRule(
                id=id,
                description=description,
                pattern=pattern,
                severity=severity,
                flags=flags,
                validator=valid,
                must_match=must_match,
                must_not_match=must_not_match,
                max_span=max_span,
            )
        )
    if label is not None:
        patterns.append(
            PatternRule(
                id=id,
                description=description,
                pattern=labelled(label.labels, label.value),
                severity=severity,
                validator=valid,
                must_match=label.must_match,
                must_not_match=label.must_not_match,
                max_span=LABELLED_SPAN,
            )
        )
    return PiiRule(
        id, description, severity, kind, assess_once, Context(tuple(raising), tuple(lowering)),
        tuple(patterns),
    )  # fmt: skip


def digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


def luhn(number: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = ord(char) - 48
        if index % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0
