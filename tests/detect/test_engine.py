from hypothesis import given, settings
from hypothesis import strategies as st

from leaktrace.detect.engine import RuleSet
from leaktrace.detect.marking import MARKING_RULES
from leaktrace.detect.patterns import PatternRule
from leaktrace.detect.secret import SECRET_RULES

RULES = (*MARKING_RULES, *SECRET_RULES)
EXAMPLES = [example for rule in RULES for example in (*rule.must_match, *rule.must_not_match)]
RULESET = RuleSet(RULES)


def test_clean_text_needs_no_rule_at_all() -> None:
    assert RULESET.candidates("The open day welcomed three hundred visitors.\n" * 50) == []


def test_every_example_makes_its_rule_a_candidate() -> None:
    for rule in RULES:
        for example in rule.must_match:
            assert rule in RULESET.candidates(f"prefix text\n{example}\nsuffix"), rule.id


@settings(max_examples=200)
@given(st.lists(st.one_of(st.sampled_from(EXAMPLES), st.text(max_size=40)), max_size=6))
def test_prefilter_never_hides_a_real_match(pieces: list[str]) -> None:
    text = " ".join(pieces)
    candidates = RULESET.candidates(text)
    for rule in RULES:
        if list(rule.compiled.finditer(text)):
            assert rule in candidates, (rule.id, text)


def test_an_expression_hyperscan_refuses_is_always_run() -> None:
    backreference = PatternRule(
        id="repeat",
        description="a doubled word",
        pattern=r"\b(\w+) \1\b",
        must_match=("the the",),
        must_not_match=("the cat",),
    )
    ruleset = RuleSet((backreference, *SECRET_RULES))
    assert backreference in ruleset.candidates("nothing doubled here")
    assert ruleset.candidates("nothing doubled here") == [backreference]
