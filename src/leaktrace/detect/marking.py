"""Classification and handling markings: "TOP SECRET//NOFORN", "Internal use only", ...

Banner classifications are matched in capitals only ("the secret of good soup" is not a
marking); handling phrases in any case. Headers, footers and document properties reach this
detector as part of the item's text. Sensitivity labels that live only in metadata (Microsoft
Purview's ``MSIP_Label_<id>_Name`` custom property, a ``Classification`` property of an office
file or a PDF) are read from the item's metadata, whatever their wording. A policy adds its
organization's own labels and rules:

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
from leaktrace.detect.custom import policy_rules
from leaktrace.detect.engine import RuleSet
from leaktrace.detect.patterns import PatternRule

# CAPCO-style control markings after the level: //NOFORN, //REL TO USA, GBR, //SI/TK
_CONTROL = r"(?:REL TO [A-Z]{3,4}(?:, ?[A-Z]{3,4})*|[A-Z0-9][A-Z0-9-]*)"
_CAPCO_CONTROLS = rf"(?://{_CONTROL}(?:/{_CONTROL})*)*"

# A level word that names something in code or prose is no banner: an identifier (CLIENT_SECRET,
# cfg.SECRET, $SECRET), an assignment or call, a quoted mention ('marked "SECRET"'), or a
# capitalized word naming a flag, key or field ("set CONFIDENTIAL flag"), or a word of an
# all-caps name ("SECRET LABS AB"; "SECRET UK EYES ONLY" is matched whole).
_QUOTES_OPEN, _QUOTES_CLOSE = "'\"\u2018\u201c", "'\"\u2019\u201d"  # real characters: Hyperscan
_NOT_IN_CODE_BEFORE = r"(?<![A-Za-z0-9_.$@" + _QUOTES_OPEN + r"-])(?<![A-Z][A-Z] )"
_NOT_IN_CODE_AFTER = (
    r"(?![A-Za-z0-9_" + _QUOTES_CLOSE + r"]|-[A-Za-z]|\.[A-Za-z_]|\s*[=(\[]|[ \t]+[A-Z]{2,}"
    r"|\s+(?i:flags?|keys?|tokens?|fields?|variables?|constants?|bits?|attributes?"
    r"|parameters?|options?|values?|env)\b)"
)

# "Do not copy" is a marking as a banner or before its scope ("Do not distribute outside the
# team."), opening a line or a sentence; an instruction before an object ("do not copy the
# return address") or a clause's verb ("commands which do not copy.") is not.
_OPENING = (
    r"(?:(?<![^\n])|(?<=[.!?:;|*(\[" + "\u2022\u2013\u2014" + r"-] )|(?<=[.!?]  )|(?<=\n )"
    r"|(?<=\n\t)|(?<=  ))"
)
_BANNER_END = (
    r"(?=\s*(?:$|[.,;:!)\]]|[-" + "\u2013\u2014" + r"]|\s(?:outside|beyond|without|externally"
    r"|further|electronically|in any|to (?:anyone|third|external|other|non)|any part|this"
    r"|these)\b))"
)

MARKING_RULES: tuple[PatternRule, ...] = (
    PatternRule(
        id="classification",
        description="Government or defence classification banner",
        pattern=(
            _NOT_IN_CODE_BEFORE
            + r"(?P<value>(?:COSMIC |NATO |EU )?(?:TOP SECRET|SECRET|CONFIDENTIAL|"
            r"RESTRICTED)(?:\s+UK EYES ONLY)?" + _CAPCO_CONTROLS + r"|OFFICIAL[- ]SENSITIVE|"
            r"VS[- ]NUR F[ÜU]R DEN DIENSTGEBRAUCH|DIFFUSION RESTREINTE|"
            r"TRÈS SECRET|SECRET D[ÉE]FENSE)" + _NOT_IN_CODE_AFTER
        ),
        severity=Severity.HIGH,
        must_match=(
            "TOP SECRET//NOFORN",
            "SECRET",
            "OFFICIAL-SENSITIVE",
            "NATO CONFIDENTIAL",
            "CONFIDENTIAL//REL TO USA, GBR",
            "SECRET UK EYES ONLY",
            "Classification: SECRET",
        ),
        must_not_match=(
            "the secret of good soup",
            "Confidentiality agreement",
            "SECRETARY",
            "keep it confidential",
            "CLIENT_SECRET",
            "os.environ['SECRET']",
            "SECRET = load_key()",
            "make sure to set CONFIDENTIAL flag in Assuan",
            'documents marked "SECRET" go to the registry',
            "NON-CONFIDENTIAL",
            "SECRET LABS AB AND THE AUTHOR DISCLAIM",
        ),
    ),
    PatternRule(
        id="handling",
        description="Corporate handling or distribution marking",
        pattern=(
            r"(?<![A-Za-z" + _QUOTES_OPEN + r"-])(?P<value>(?:for )?internal use only|"
            r"for official use only|company[- ]confidential|strictly confidential|"
            r"proprietary (?:and|&) confidential|confidential (?:and|&) proprietary|"
            + _OPENING
            + r"do not (?:distribute|forward|copy)"
            + _BANNER_END
            + r"|not for (?:public )?(?:release|distribution)|need-to-know(?: only)?|"
            r"need to know(?= only| basis)|(?-i:NEED TO KNOW)|"
            r"commercial in confidence|personal data - handle with care)"
            r"(?![A-Za-z" + _QUOTES_CLOSE + r"]|-[A-Za-z])"
        ),
        flags=re.IGNORECASE,
        severity=Severity.MEDIUM,
        must_match=(
            "Internal use only",
            "STRICTLY CONFIDENTIAL",
            "Do not distribute",
            "Proprietary and Confidential",
            "DO NOT COPY",
            "Do not forward outside the leadership team.",
            "Shared on a need to know basis",
            "NEED TO KNOW",
        ),
        must_not_match=(
            "for internal users",
            "we distribute the report",
            "hooks need to know how the word was quoted",
            "Do not copy return address.",
            "doc: do not distribute generated man files",
            "copy-pipe commands which do not copy.",
            "everything-you-need-to-know-about-type-stripping",
            'state "for internal use only" in the description',
        ),
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


# Document properties that carry a sensitivity label, by name (case-insensitive).
_LABEL_PROPERTY = re.compile(
    r"(?i)^(?:MSIP_Label_[0-9a-f-]+_Name|(?:security[ _-]?)?classification(?:[ _-]?level)?|"
    r"sensitivity(?:[ _-]?label)?|protective[ _-]?marking|confidentiality(?:[ _-]?level)?|"
    r"data[ _-]?classification|information[ _-]?classification)$"
)
# Label values that say the content is not sensitive.
_UNRESTRICTED = re.compile(
    r"(?i)^(?:public|general|unclassified|unrestricted|non[- ]?business|personal|none|"
    r"official|tlp:\s?(?:clear|white|green)|open)$"
)


def _label_rules(options: Mapping[str, Any]) -> tuple[PatternRule, ...]:
    """The policy's own labels, as one case-insensitive rule."""
    labels = [str(label) for label in options.get("labels", []) if str(label).strip()]
    if not labels:
        return ()
    alternatives = "|".join(re.escape(label) for label in labels)
    return (
        PatternRule(
            id="label",
            description="A marking label the policy defines",
            pattern=rf"(?<!\w)(?P<value>{alternatives})(?!\w)",
            flags=re.IGNORECASE,
            severity=Severity.HIGH,
        ),
    )


class MarkingDetector(Detector):
    """Reports every distinct marking in an item's text, once per marking and item."""

    name = "marking"
    rules = (
        *(rule.as_rule("marking") for rule in MARKING_RULES),
        Rule("marking", "label", "A marking label the policy defines", Severity.HIGH),
        Rule(
            "marking",
            "sensitivity-label",
            "A sensitivity label in the document's properties",
            Severity.HIGH,
        ),
    )

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        custom = policy_rules(self.options.get("rules"), self.name)
        self.extra_rules = tuple(rule.as_rule(self.name) for rule in custom)
        self._rules = RuleSet((*MARKING_RULES, *_label_rules(self.options), *custom))

    def detect(self, item: Item) -> Iterator[Finding]:
        yield from self._metadata_labels(item)
        text = item.text
        if not text:
            return
        seen: set[tuple[str, str]] = set()
        for rule, offset, value in self._rules.find(text):
            marking = " ".join(value.split())
            if rule.id != "label":
                marking = marking.upper()
            if (rule.id, marking.upper()) in seen:
                continue
            seen.add((rule.id, marking.upper()))
            yield self._finding(item, rule.id, marking, offset)

    def _metadata_labels(self, item: Item) -> Iterator[Finding]:
        """Sensitivity labels kept in document properties rather than printed on the page."""
        seen: set[str] = set()
        for key, value in item.metadata.items():
            name = key.removeprefix("property:")
            label = " ".join(value.split())
            if (
                key == name
                or not label
                or not _LABEL_PROPERTY.match(name)
                or _UNRESTRICTED.match(label)
                or label.upper() in seen
            ):
                continue
            seen.add(label.upper())
            yield self.finding(
                item,
                "sensitivity-label",
                f"labelled {label!r} in its {name} property",
                evidence=label,
                key=digest(label.upper()),
                details={"marking": label, "property": name},
            )

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
