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


def whole_text_matches(text: str) -> set[tuple[str, int, str]]:
    return {(rule.id, offset, value) for rule in RULES for offset, value in rule.matches(text)}


@settings(max_examples=200)
@given(
    st.lists(
        st.one_of(st.sampled_from(EXAMPLES), st.text(max_size=40), st.just("é€😀\n")),
        max_size=8,
    )
)
def test_windowed_matching_finds_exactly_what_whole_text_matching_finds(pieces: list[str]) -> None:
    text = " ".join(pieces)
    found = {(rule.id, offset, value) for rule, offset, value in RULESET.find(text)}
    assert found == whole_text_matches(text)


def test_matches_far_apart_in_one_long_line_are_all_found() -> None:
    key = "AKIA2OGYBAH6STMMNXNN"
    text = "x = 1; " * 20_000 + f"k='{key}'; " + "é" * 30_000 + f"k2='{key}'"
    found = [
        (rule.id, offset) for rule, offset, _ in RULESET.find(text) if rule.id.startswith("aws")
    ]
    assert [offset for _, offset in found] == [text.index(key), text.rindex(key)]
    assert found == [(rule, offset) for rule, offset in found if text[offset:].startswith(key)]


def test_a_pathological_line_is_scanned_in_small_windows() -> None:
    # 8 MB of one minified line: every rule's whole-text regex would crawl through it; the
    # windows only look near the prefilter's hits.
    line = ("var a=function(b){return b.c+d[e]};" * 240_000)[:8_000_000]
    text = line + " aws_access_key_id=AKIA2OGYBAH6STMMNXNN"
    found = [(rule.id, offset) for rule, offset, _ in RULESET.find(text)]
    assert found == [("aws-access-key-id", len(line) + 19)]
