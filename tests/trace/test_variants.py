"""The curated variant list: every family is distinct, unambiguous, swaps and reads back."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from leaktrace.trace.place import plan_marks
from leaktrace.trace.positions import MAX_FORMS
from leaktrace.trace.read import read_marks
from leaktrace.trace.render import render_marks
from leaktrace.trace.tokens import fold
from leaktrace.trace.variant import Variant
from leaktrace.trace.variants import VARIANTS
from leaktrace.trace.wording import (
    canonical_rules,
    family_rules,
    form_words,
    pair_rule,
    rewritten,
)

KEY = bytes(range(16))
# A sentence that puts a document in the register a variant requires.
REGISTER = {
    "": "",
    "american": "",
    "british": "The colour of the programme is fine. ",
    "contracted": "We don't mind, and it's fine. ",
}


# Of the 372 families of dates, the days whose ordinals differ, in two months.
_DATES = {f"{day} {month}" for day in (1, 2, 3, 11, 12, 22, 23, 31) for month in ("may", "june")}


def _cases() -> list[tuple[Variant, str, str]]:
    """Every form a variant may find in an original, with every form a copy may write."""
    return [
        (variant, form, other)
        for variant in VARIANTS
        for form, family in variant.forms().items()
        for other in family[1:]
        if not variant.id.startswith("date.") or set(family) & _DATES
    ]


CASES = _cases()


def test_ids_are_unique_and_grouped() -> None:
    ids = [variant.id for variant in VARIANTS]
    assert len(ids) == len(set(ids))
    kinds = {"spelling", "hyphen", "punct", "number", "phrase", "synonym", "contraction", "date"}
    assert {ident.split(".")[0] for ident in ids} <= kinds


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda variant: variant.id)
def test_families_are_distinct_and_unambiguous(variant: Variant) -> None:
    for family in variant.pairs:
        assert 2 <= len(family) <= MAX_FORMS
        assert len({fold(form) for form in family}) == len(family)
        assert len(family) == 2 or variant.sources == "ab"
    # A form that may stand in an original belongs to one family only.
    originals = Counter(
        form
        for family in variant.pairs
        for index, form in enumerate(family)
        if len(family) > 2 or "ab"[index] in variant.sources
    )
    assert max(originals.values(), default=1) == 1
    assert variant.example.count("{}") == 1


def test_canonical_rules_agree_and_do_not_chain() -> None:
    rules: dict[tuple[str, ...], tuple[str, ...]] = {}
    for variant in VARIANTS:
        for family in variant.pairs:
            for key, value in family_rules(family):
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


def test_every_form_of_a_family_reads_as_the_same_words() -> None:
    rules = canonical_rules()
    for variant in VARIANTS:
        for family in variant.pairs:
            read = {rules.get(run, run) for run in map(form_words, family)}
            assert len(read) == 1, (variant.id, family)


def test_a_pair_rule_makes_the_longer_form_read_as_the_shorter() -> None:
    assert pair_rule("in order to", "to") == (("in", "order", "to"), ("to",))
    assert pair_rule("toward", "towards") == (("towards",), ("toward",))
    assert pair_rule(",", "") is None
    assert family_rules(("over the past", "in the past", "over the past")) == [
        (("in", "the", "past"), ("over", "the", "past"))
    ]


@pytest.mark.parametrize(
    ("variant", "form", "other"),
    CASES,
    ids=[f"{variant.id}:{form}" for variant, form, _ in CASES],
)
def test_each_form_swaps_and_reads_back(variant: Variant, form: str, other: str) -> None:
    prefix = REGISTER[variant.requires]
    text = prefix + variant.example.format(form)
    plan = plan_marks([text], key=KEY, layers=("wording",), style=variant.style)
    found = [
        index
        for index, slot in enumerate(plan.slots)
        if slot.variant == variant.id and slot.start >= len(prefix)
    ]
    assert found, f"no {variant.id} slot in {text!r}"
    slot = plan.slots[found[0]]
    family = variant.forms()[form]
    assert slot.forms == tuple(fold(each) for each in family)
    position = plan.positions()[(slot.node, slot.start, slot.end)]
    assert len(position) == len(family) - 1  # a tree of k - 1 slots
    leaf = family.index(other)
    bits = np.maximum(plan.original_bits(), 0).astype(np.uint8)  # others as the original
    sides = slot.tree.path(leaf)
    for index in position:
        part = plan.slots[index].part
        bits[index] = sides.get(part, 0) ^ plan.slots[index].zero
    copy = render_marks([text], plan, bits)[0]
    assert copy != text
    assert fold(copy[slot.start :]).startswith(fold(other))
    readings = read_marks(copy, plan)
    for index in position:
        on_path = plan.slots[index].part in sides
        assert readings[index] == (bits[index] if on_path else -1)
