"""The curated variant list: every pair is distinct, unambiguous, swaps and reads back."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from leaktrace.trace.place import plan_marks
from leaktrace.trace.read import read_marks
from leaktrace.trace.render import render_marks
from leaktrace.trace.tokens import fold
from leaktrace.trace.variant import Variant
from leaktrace.trace.variants import VARIANTS
from leaktrace.trace.wording import canonical_rules, form_words, pair_rule, rewritten

KEY = bytes(range(16))
# A sentence that puts a document in the register a variant requires.
REGISTER = {
    "": "",
    "american": "",
    "british": "The colour of the programme is fine. ",
    "contracted": "We don't mind, and it's fine. ",
}


def _cases() -> list[tuple[Variant, str, str]]:
    return [
        (variant, form, other)
        for variant in VARIANTS
        for form, (_, other) in variant.forms().items()
    ]


CASES = _cases()


def test_ids_are_unique_and_grouped() -> None:
    ids = [variant.id for variant in VARIANTS]
    assert len(ids) == len(set(ids))
    kinds = {"spelling", "hyphen", "punct", "number", "phrase", "synonym", "contraction"}
    assert {ident.split(".")[0] for ident in ids} <= kinds


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda variant: variant.id)
def test_pairs_are_distinct_and_unambiguous(variant: Variant) -> None:
    for first, second in variant.pairs:
        assert fold(first) != fold(second)
    originals = Counter(form for form in variant.forms())
    assert max(originals.values()) == 1
    assert variant.example.count("{}") == 1


def test_canonical_rules_agree_and_do_not_chain() -> None:
    rules: dict[tuple[str, ...], tuple[str, ...]] = {}
    for variant in VARIANTS:
        for first, second in variant.pairs:
            rule = pair_rule(first, second)
            if rule is None:
                continue
            key, value = rule
            assert rules.setdefault(key, value) == value, (variant.id, key)
    canonical = canonical_rules()
    assert rules.keys() <= canonical.keys()
    forms = {form_words(form) for variant in VARIANTS for pair in variant.pairs for form in pair}
    assert canonical.keys() - rules.keys() <= forms  # runs of forms such as "that said"
    for key, value in rules.items():
        # What a rule writes reads canonically ("one day" -> "a day" -> "per day").
        assert canonical[key] == rewritten(value, canonical), key
    for value in canonical.values():
        assert value not in canonical, value  # a rewritten run is never rewritten again
        assert rewritten(value, canonical) == value


def test_both_forms_of_a_pair_read_as_the_same_words() -> None:
    rules = canonical_rules()
    for variant in VARIANTS:
        for first, second in variant.pairs:
            one, two = form_words(first), form_words(second)
            assert rules.get(one, one) == rules.get(two, two), (variant.id, first, second)


@pytest.mark.parametrize(
    ("variant", "form", "other"),
    CASES,
    ids=[f"{variant.id}:{form}" for variant, form, _ in CASES],
)
def test_each_form_swaps_and_reads_back(variant: Variant, form: str, other: str) -> None:
    prefix = REGISTER[variant.requires]
    text = prefix + variant.example.format(form)
    plan = plan_marks([text], key=KEY, layers=("wording",))
    found = [
        index
        for index, slot in enumerate(plan.slots)
        if slot.variant == variant.id and slot.start >= len(prefix)
    ]
    assert found, f"no {variant.id} slot in {text!r}"
    index = found[0]
    assert plan.slots[index].forms == (fold(form), fold(other))
    copies = []
    for bit in (0, 1):
        bits = plan.original_bits().astype(np.uint8)  # every other slot as in the original
        bits[index] = bit
        copy = render_marks([text], plan, bits)[0]
        assert read_marks(copy, plan)[index] == bit
        copies.append(copy)
    swapped = copies[1 - plan.slots[index].zero]
    assert swapped != text
    start = plan.slots[index].start
    assert fold(swapped[start:]).startswith(fold(other))
