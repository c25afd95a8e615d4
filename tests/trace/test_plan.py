"""Mark plans: what they store, how they are checked, where slots may go."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from leaktrace.core.errors import UsageError
from leaktrace.trace.place import plan_marks
from leaktrace.trace.plan import FormatMark, MarkPlan, PlanMismatch
from leaktrace.trace.read import read_marks
from leaktrace.trace.render import render_marks
from leaktrace.trace.variants import VARIANTS
from tests.trace.marking import BRIEFING, KEY, random_bits


@pytest.fixture(scope="module")
def plan() -> MarkPlan:
    return plan_marks([BRIEFING], key=KEY)


def test_the_public_api_in_one_module() -> None:
    from leaktrace.trace import slots

    plan = slots.plan_marks([BRIEFING], key=KEY)
    bits = random_bits(len(plan), 8)
    copy = slots.render_marks([BRIEFING], plan, bits)[0]
    assert np.array_equal(slots.read_marks(copy, plan), plan.readings_of(bits))
    assert len(slots.explain([BRIEFING], plan)) == len(plan)


def test_json_round_trip(plan: MarkPlan) -> None:
    again = MarkPlan.from_json(plan.to_json())
    assert again == plan
    bits = random_bits(len(plan), 1)
    copy = render_marks([BRIEFING], again, bits)[0]
    assert np.array_equal(read_marks(copy, again), again.readings_of(bits))


def test_the_plan_holds_no_document_text(plan: MarkPlan) -> None:
    stored = json.loads(plan.to_json())
    strings = " ".join(
        str(value)
        for value in [
            *stored["variants"],
            *(form for pair in stored["forms"] for form in pair),
            stored["rules"],
        ]
    ).lower()
    assert "harbor" not in strings and "warehouse" not in strings
    # Three words in a row of the briefing appear only if the variant list has them all.
    vocabulary = {
        word
        for variant in VARIANTS
        for pair in variant.pairs
        for word in re.findall(r"[a-z]+", " ".join(pair).lower())
    }
    words = re.findall(r"[a-z]+", BRIEFING.lower())
    runs = {tuple(words[index : index + 3]) for index in range(len(words) - 2)}
    leaked = [run for run in runs if " ".join(run) in strings and not set(run) <= vocabulary]
    assert not leaked


def test_a_random_key_per_plan() -> None:
    one, two = plan_marks([BRIEFING]), plan_marks([BRIEFING])
    assert one.key != two.key
    assert [slot.context for slot in one.slots] != [slot.context for slot in two.slots]


@pytest.mark.parametrize("text", ["", "{", '{"version": 1}', '{"version": 9}', "[]"])
def test_bad_plans_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError):
        MarkPlan.from_json(text)


@pytest.mark.parametrize("bits", [[0, 1], [[0]], None])
def test_bits_must_fit_the_plan(plan: MarkPlan, bits: object) -> None:
    with pytest.raises(UsageError):
        render_marks([BRIEFING], plan, bits)  # type: ignore[arg-type]


def test_bits_must_be_binary(plan: MarkPlan) -> None:
    bits = np.full(len(plan), 2, dtype=np.uint8)
    with pytest.raises(UsageError):
        render_marks([BRIEFING], plan, bits)


def test_a_changed_document_does_not_take_its_old_plan(plan: MarkPlan) -> None:
    with pytest.raises(PlanMismatch):
        render_marks([BRIEFING.replace("toward", "to").upper()], plan, random_bits(len(plan), 0))


def test_repeated_passages_carry_slots_only_where_they_differ() -> None:
    paragraph = "The board agreed that the plan should move toward a leaner structure soon."
    plan = plan_marks([paragraph + "\n\n" + paragraph], key=KEY)
    # Only the first words of the repeat have a window of their own ("soon the board agreed").
    second = len(paragraph) + 2
    assert len(plan) > 0
    assert all(second <= slot.start < second + len("The board agreed") for slot in plan.slots)


def test_marks_stay_inside_nodes_and_unknown_joins_break_contexts() -> None:
    nodes = ["The board agreed that the plan should", " move toward a leaner", " structure now."]
    glued = plan_marks(nodes, joins=["", ""], key=KEY)
    broken = plan_marks(nodes, joins=[None, None], key=KEY)
    assert len(broken) < len(glued)
    for plan in (glued, broken):
        for slot in plan.slots:
            assert 0 <= slot.start <= slot.end <= len(nodes[slot.node])
        bits = random_bits(len(plan), 2)
        copy = "".join(render_marks(nodes, plan, bits))
        assert np.array_equal(read_marks(copy, plan), plan.readings_of(bits))


def test_a_word_split_across_nodes_is_not_a_context() -> None:
    nodes = ["The board agreed that the plan should mo", "ve toward a leaner structure now."]
    plan = plan_marks(nodes, joins=[""], key=KEY)
    assert any(slot.variant == "spelling.toward" for slot in plan.slots)
    bits = random_bits(len(plan), 3)
    copy = "".join(render_marks(nodes, plan, bits))
    assert np.array_equal(read_marks(copy, plan), plan.readings_of(bits))


def test_format_slots_and_their_bits() -> None:
    nodes = ["First paragraph of the briefing.", "Second paragraph of it.", "a b"]
    mark = FormatMark("format.test", ("zero", "one"), frozenset({0, 1, 2}))
    plan = plan_marks(nodes, key=KEY, format_mark=mark, layers=("format",))
    assert [slot.node for slot in plan.slots] == [0, 1]  # "a b" is too short to find again
    assert plan.format_bits([1, 0]) == {0: 1, 1: 0}
    assert (read_marks(" ".join(nodes), plan) == -1).all()
