"""Classification and handling markings: "TOP SECRET//NOFORN", "Internal use only", ...

Banner classifications are matched in capitals only ("the secret of good soup" is not a
marking); handling phrases in any case. A policy adds its organization's own labels:

    [detectors.marking]
    labels = ["ACME RESTRICTED", "Project Falcon - need to know"]
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from leaktrace.core.finding import Finding, Rule, Severity, digest
from leaktrace.core.item import Item
from leaktrace.core.plugin import Detector
from leaktrace.detect.engine import RuleSet
from leaktrace.detect.patterns import PatternRule

# CAPCO-style control markings after the level: //NOFORN, //REL TO USA, GBR, //SI/TK
_CONTROL = r"(?:REL TO [A-Z]{3,4}(?:, ?[A-Z]{3,4})*|[A-Z0-9][A-Z0-9-]*)"
_CAPCO_CONTROLS = rf"(?://{_CONTROL}(?:/{_CONTROL})*)*"

MARKING_RULES: tuple[PatternRule, ...] = (
    PatternRule(
        id="classification",
        description="Government or defence classification banner",
        pattern=(
            r"(?<![A-Za-z])(?P<value>(?:COSMIC |NATO |EU )?(?:TOP SECRET|SECRET|CONFIDENTIAL|"
            r"RESTRICTED)(?:\s+UK EYES ONLY)?" + _CAPCO_CONTROLS + r"|OFFICIAL[- ]SENSITIVE|"
            r"VS[- ]NUR F[ÜU]R DEN DIENSTGEBRAUCH|DIFFUSION RESTREINTE|"
            r"TRÈS SECRET|SECRET D[ÉE]FENSE)(?![A-Za-z])"
        ),
        severity=Severity.HIGH,
        must_match=(
            "TOP SECRET//NOFORN",
            "SECRET",
            "OFFICIAL-SENSITIVE",
            "NATO CONFIDENTIAL",
            "CONFIDENTIAL//REL TO USA, GBR",
        ),
        must_not_match=(
            "the secret of good soup",
            "Confidentiality agreement",
            "SECRETARY",
            "keep it confidential",
        ),
    ),
    PatternRule(
        id="handling",
        description="Corporate handling or distribution marking",
        pattern=(
            r"(?<![A-Za-z])(?P<value>(?:for )?internal use only|for official use only|"
            r"company[- ]confidential|strictly confidential|proprietary (?:and|&) confidential|"
            r"confidential (?:and|&) proprietary|do not (?:distribute|forward|copy)|"
            r"not for (?:public )?(?:release|distribution)|need[- ]to[- ]know(?: only)?|"
            r"commercial in confidence|personal data - handle with care)(?![A-Za-z])"
        ),
        flags=re.IGNORECASE,
        severity=Severity.MEDIUM,
        must_match=(
            "Internal use only",
            "STRICTLY CONFIDENTIAL",
            "Do not distribute",
            "Proprietary and Confidential",
        ),
        must_not_match=("for internal users", "we distribute the report"),
    ),
    PatternRule(
        id="tlp",
        description="Traffic Light Protocol restriction (TLP:RED or TLP:AMBER)",
        pattern=r"(?<![A-Za-z])(?P<value>TLP:\s?(?:RED|AMBER(?:\+STRICT)?))(?![A-Za-z])",
        flags=re.IGNORECASE,
        severity=Severity.MEDIUM,
        must_match=("TLP:RED", "tlp:amber+strict"),
        must_not_match=("TLP:CLEAR", "TLP:GREEN"),
    ),
)


class MarkingDetector(Detector):
    """Reports every distinct marking in an item's text, once per marking and item."""

    name = "marking"
    rules = (
        *(rule.as_rule("marking") for rule in MARKING_RULES),
        Rule("marking", "label", "A marking label the policy defines", Severity.HIGH),
    )

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        self._rules = RuleSet(MARKING_RULES)
        labels = [str(label) for label in self.options.get("labels", []) if str(label).strip()]
        self._labels = (
            re.compile(
                r"(?<!\w)(?P<value>" + "|".join(re.escape(label) for label in labels) + r")(?!\w)",
                re.IGNORECASE,
            )
            if labels
            else None
        )

    def detect(self, item: Item) -> Iterator[Finding]:
        text = item.text
        if not text:
            return
        seen: set[tuple[str, str]] = set()
        for rule in self._rules.candidates(text):
            for offset, value in rule.matches(text):
                marking = " ".join(value.split()).upper()
                if (rule.id, marking) in seen:
                    continue
                seen.add((rule.id, marking))
                yield self._finding(item, rule.id, marking, offset)
        if self._labels is not None:
            for match in self._labels.finditer(text):
                marking = " ".join(match.group("value").split())
                if ("label", marking.upper()) not in seen:
                    seen.add(("label", marking.upper()))
                    yield self._finding(item, "label", marking, match.start())

    def _finding(self, item: Item, rule_id: str, marking: str, offset: int) -> Finding:
        return self.finding(
            item,
            rule_id,
            f"marked {marking!r}",
            offset=offset,
            evidence=marking,
            key=digest(marking.upper()),
            details={"marking": marking},
        )
