"""Every declarative rule's own examples, checked: rules are data and their data is tested."""

import pytest

from leaktrace.core.item import Item
from leaktrace.core.lineage import Lineage
from leaktrace.detect.marking import MARKING_RULES, MarkingDetector
from leaktrace.detect.patterns import PatternRule
from leaktrace.detect.secret import SECRET_RULES, SecretDetector

RULES = [*MARKING_RULES, *SECRET_RULES]
POSITIVE = [(rule, example) for rule in RULES for example in rule.must_match]
NEGATIVE = [(rule, example) for rule in RULES for example in rule.must_not_match]


def ids(case: tuple[PatternRule, str]) -> str:
    return f"{case[0].id}:{case[1][:24]}"


@pytest.mark.parametrize("case", POSITIVE, ids=ids)
def test_rule_matches_its_examples(case: tuple[PatternRule, str]) -> None:
    rule, example = case
    assert list(rule.matches(example)), f"{rule.id} should match {example!r}"


@pytest.mark.parametrize("case", NEGATIVE, ids=ids)
def test_rule_ignores_its_counter_examples(case: tuple[PatternRule, str]) -> None:
    rule, example = case
    assert not list(rule.matches(example)), f"{rule.id} should not match {example!r}"


def test_every_rule_has_examples_both_ways() -> None:
    for rule in RULES:
        assert rule.must_match and rule.must_not_match, rule.id


def item(text: str) -> Item:
    return Item(Lineage.root("doc.txt"), text.encode(), "text/plain", text)


def test_secret_evidence_is_redacted() -> None:
    text = "aws_access_key_id = AKIA2OGYBAH6STMMNXNN\n"
    [finding] = SecretDetector().detect(item(text))
    assert finding.rule == "aws-access-key-id"
    assert "AKIA2OGYBAH6STMMNXNN" not in (finding.evidence or "")
    assert finding.evidence == "AKIA… (20 chars)"
    assert "AKIA2OGYBAH6STMMNXNN" not in repr(finding.to_dict())
    assert (finding.line, finding.column) == (1, 21)


def test_markings_are_reported_once_per_item() -> None:
    text = "SECRET\nbody\nSECRET\nInternal Use Only\n"
    findings = list(MarkingDetector().detect(item(text)))
    assert [(f.rule, f.evidence, f.line) for f in findings] == [
        ("classification", "SECRET", 1),
        ("handling", "INTERNAL USE ONLY", 4),
    ]


def test_policy_labels_extend_the_markings() -> None:
    detector = MarkingDetector({"labels": ["Harbor Lane Restricted"]})
    [finding] = detector.detect(item("Classification: harbor lane restricted\n"))
    assert (finding.rule, finding.line, finding.column) == ("label", 1, 17)
