"""Personal data: card numbers, IBANs, national identifiers, e-mail addresses, phone numbers,
dates of birth. See docs/pii.md.

Every rule's patterns go into one native prefilter (:class:`~leaktrace.detect.engine.RuleSet`);
Python only validates what it lets through (checksums, ranges, calendars, libphonenumber) and
scores it: each rule gives a validated value a base confidence, context words around it raise
or lower it (:mod:`.context`), and values under the ``min_confidence`` option are dropped.

    [detectors.pii]
    min_confidence = 0.5      # 0..1; lower it to see weaker matches
    default_region = "US"     # how phone numbers written without +country code are read
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

import phonenumbers

from leaktrace.core.errors import PolicyError
from leaktrace.core.finding import Finding, digest, redact
from leaktrace.core.item import Item
from leaktrace.core.plugin import Detector
from leaktrace.detect.engine import RuleSet
from leaktrace.detect.patterns import PatternRule
from leaktrace.detect.pii._rule import Assessment, PiiRule
from leaktrace.detect.pii.cards import CARD_RULES
from leaktrace.detect.pii.contact import CONTACT_RULES, assess_phone
from leaktrace.detect.pii.dates import DATE_RULES
from leaktrace.detect.pii.iban import IBAN_RULES
from leaktrace.detect.pii.national import NATIONAL_RULES

__all__ = ["PII_PATTERNS", "PII_RULES", "PiiDetector", "PiiRule"]

# In priority order: where two rules' matches overlap, the earlier rule's is kept.
PII_RULES: tuple[PiiRule, ...] = (
    *CARD_RULES,
    *IBAN_RULES,
    *NATIONAL_RULES,
    *DATE_RULES,
    *CONTACT_RULES,
)
PII_PATTERNS: tuple[PatternRule, ...] = tuple(p for rule in PII_RULES for p in rule.patterns)
DEFAULT_MIN_CONFIDENCE = 0.5
DEFAULT_REGION = "US"


@functools.lru_cache(maxsize=8)
def rules_for_region(region: str) -> tuple[PiiRule, ...]:
    """The rules with national phone numbers read as ``region``'s. Cached, so that detectors
    with the same region share pattern objects and therefore one compiled database."""
    if region == DEFAULT_REGION:
        return PII_RULES
    assess = functools.partial(assess_phone, region=region)

    def valid(value: str) -> bool:
        return assess(value) is not None

    return tuple(
        replace(
            rule,
            assess=assess,
            patterns=tuple(replace(p, validator=valid) for p in rule.patterns),
        )
        if rule.kind == "phone"
        else rule
        for rule in PII_RULES
    )


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    priority: int
    rule: PiiRule
    value: str
    assessment: Assessment
    confidence: float
    signals: tuple[str, ...]


class PiiDetector(Detector):
    """Reports each distinct validated value once per item, with its confidence and why."""

    name = "pii"
    rules = tuple(rule.as_rule("pii") for rule in PII_RULES)

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        self.min_confidence = _min_confidence(
            self.options.get("min_confidence", DEFAULT_MIN_CONFIDENCE)
        )
        pii = rules_for_region(_region(self.options.get("default_region", DEFAULT_REGION)))
        self._owner = {id(p): (index, rule) for index, rule in enumerate(pii)
                       for p in rule.patterns}  # fmt: skip
        self._rules = RuleSet(tuple(p for rule in pii for p in rule.patterns))

    def detect(self, item: Item) -> Iterator[Finding]:
        text = item.text
        if not text:
            return
        claimed: list[tuple[int, int]] = []
        seen: set[tuple[str, str]] = set()
        kept: list[_Candidate] = []
        for candidate in sorted(self._candidates(text), key=lambda c: (c.priority, c.start)):
            identity = (candidate.rule.id, candidate.assessment.normalized)
            if identity in seen or _overlaps(claimed, candidate.start, candidate.end):
                continue
            seen.add(identity)
            bisect.insort(claimed, (candidate.start, candidate.end))
            kept.append(candidate)
        for candidate in sorted(kept, key=lambda c: c.start):
            yield self._finding(item, candidate)

    def _candidates(self, text: str) -> Iterator[_Candidate]:
        for pattern, start, value in self._rules.find(text):
            priority, rule = self._owner[id(pattern)]
            assessment = rule.assess(value)
            if assessment is None:  # pragma: no cover - the pattern's validator said yes
                continue
            end = start + len(value)
            confidence, signals = rule.context.adjust(text, start, end, assessment.confidence)
            if confidence >= self.min_confidence:
                yield _Candidate(
                    start, end, priority, rule, value, assessment, confidence, tuple(signals)
                )

    def _finding(self, item: Item, candidate: _Candidate) -> Finding:
        rule = candidate.rule
        details: dict[str, Any] = {
            "kind": rule.kind,
            "confidence": round(candidate.confidence, 2),
            **candidate.assessment.details,
        }
        if candidate.signals:
            details["context"] = list(candidate.signals)
        return self.finding(
            item,
            rule.id,
            f"{rule.description} (confidence {candidate.confidence:.2f})",
            offset=candidate.start,
            evidence=redact(candidate.value),
            key=digest(candidate.assessment.normalized),
            details=details,
        )


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of ``spans`` (sorted, not overlapping each other)."""
    index = bisect.bisect_left(spans, (start, end))
    return (index > 0 and spans[index - 1][1] > start) or (
        index < len(spans) and spans[index][0] < end
    )


def _min_confidence(raw: Any) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 <= raw <= 1:
        raise PolicyError(
            f"[detectors.pii] min_confidence must be a number from 0 to 1, not {raw!r}"
        )
    return float(raw)


def _region(raw: Any) -> str:
    region = str(raw).upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise PolicyError(
            f"[detectors.pii] default_region must be a two-letter region phone numbers know "
            f"(such as US, GB, DE), not {raw!r}"
        )
    return region
