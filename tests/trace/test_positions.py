"""Positions with more than two forms: a tree of slots, read and written, stored and old plans."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from leaktrace.core.errors import UsageError
from leaktrace.trace.accuse import accuse
from leaktrace.trace.code import FingerprintCode
from leaktrace.trace.place import plan_marks
from leaktrace.trace.plan import MarkPlan
from leaktrace.trace.positions import MAX_FORMS, tree
from leaktrace.trace.read import read_marks
from leaktrace.trace.render import explain, render_marks
from tests.trace.marking import KEY, retype

DATA = Path(__file__).parent / "data"
ABOUT = "The new plan will affect about 40 people in total, the board said today."
FORMS = ("about", "around", "approximately", "roughly")


@pytest.mark.parametrize("forms", range(2, MAX_FORMS + 1))
def test_every_leaf_has_its_own_path_and_every_walk_ends_at_one(forms: int) -> None:
    shape = tree(forms)
    assert shape.nodes == forms - 1
    assert len(set(shape.paths)) == forms
    for leaf in range(forms):
        assert shape.leaf(shape.path(leaf)) == leaf
    for sides in itertools.product((0, 1), repeat=shape.nodes):
        leaf = shape.leaf(dict(enumerate(sides)))
        assert all(sides[node] == side for node, side in shape.paths[leaf])
    assert shape.depth == max(1, (forms - 1).bit_length())


def test_four_forms_are_two_bits_from_one_position() -> None:
    shape = tree(4)
    assert [len(path) for path in shape.paths] == [2, 2, 2, 2]
    assert tree(3).paths == (((0, 0), (1, 0)), ((0, 0), (1, 1)), ((0, 1),))
    with pytest.raises(ValueError, match="forms"):
        tree(MAX_FORMS + 1)


def _about_plan() -> tuple[MarkPlan, list[int]]:
    plan = plan_marks([ABOUT], key=KEY, layers=("wording",))
    position = [index for index, slot in enumerate(plan.slots) if slot.variant == "number.about"]
    return plan, position


def test_a_family_of_four_is_three_slots_and_every_form_reads_two() -> None:
    plan, position = _about_plan()
    assert len(position) == 3
    assert {plan.slots[index].forms for index in position} == {FORMS}
    written = set()
    for bits in itertools.product((0, 1), repeat=3):
        full = plan.original_bits().clip(0).astype(np.uint8)
        full[position] = bits
        copy = render_marks([ABOUT], plan, full)[0]
        written.add(copy.split(" 40 ")[0].rsplit(" ", 1)[1])
        read = read_marks(retype(copy), plan)
        assert np.array_equal(read, plan.readings_of(full))
        assert (read[position] >= 0).sum() == 2  # two bits from one position
    assert written == set(FORMS)


def test_the_original_reads_as_the_coins_on_its_own_path() -> None:
    plan, position = _about_plan()
    original = plan.original_bits()
    assert np.array_equal(read_marks(ABOUT, plan), original)
    assert sorted(original[position] >= 0) == [False, True, True]


def test_a_plan_with_families_round_trips_through_json() -> None:
    plan, _ = _about_plan()
    stored = json.loads(plan.to_json())
    assert stored["version"] == 2 and max(stored["part"]) == 2
    assert MarkPlan.from_json(plan.to_json()) == plan


def test_explain_shows_what_each_side_of_a_node_leads_to() -> None:
    plan, position = _about_plan()
    explained = explain([ABOUT], plan)
    root = explained[position[0]]
    assert sorted(" / ".join(root.alternatives).split(" / ")) == sorted(FORMS)
    assert all(len(explained[index].alternatives) == 2 for index in position)


def test_a_plan_stored_by_the_first_version_still_reads_its_copies() -> None:
    stored = json.loads((DATA / "plan_v1.json").read_text(encoding="utf-8"))
    assert json.loads(stored["plan"])["version"] == 1
    plan = MarkPlan.from_json(stored["plan"])
    bits = np.array([int(bit) for bit in stored["bits"]], dtype=np.uint8)
    assert np.array_equal(plan.readings_of(bits), bits.astype(np.int8))  # pairs only
    # The copy the first version wrote reads back, whole and retyped ...
    assert np.array_equal(read_marks(stored["copy"], plan), bits.astype(np.int8))
    wording = np.array([slot.layer == "wording" for slot in plan.slots])
    retyped = read_marks(retype(stored["copy"]), plan)
    assert np.array_equal(retyped[wording], bits[wording].astype(np.int8))
    # ... and this version writes the same copy from the old plan.
    original = (DATA / "memo_systems.txt").read_text(encoding="utf-8")
    assert render_marks([original], plan, bits)[0] == stored["copy"]


def test_a_plan_of_an_unknown_version_or_a_bad_part_is_refused() -> None:
    plan, _ = _about_plan()
    stored = json.loads(plan.to_json())
    with pytest.raises(UsageError, match="version"):
        MarkPlan.from_json(json.dumps({**stored, "version": 3}))
    stored["part"] = [5] * len(stored["part"])
    with pytest.raises(UsageError, match="part"):
        MarkPlan.from_json(json.dumps(stored))


def test_a_retyped_copy_names_its_recipient_and_no_innocent() -> None:
    text = (DATA / "briefing.txt").read_text(encoding="utf-8")
    plan = plan_marks([text], key=KEY, layers=("wording",))
    assert max(slot.part for slot in plan.slots) >= 1  # the briefing has families
    code = FingerprintCode.generate(len(plan), collusion=2, key=bytes(32))
    codewords = code.codewords(40)
    named = 0
    for leaker in range(40):
        leak = retype(render_marks([text], plan, codewords[leaker])[0], width=50 + leaker)
        observed = read_marks(leak, plan)
        expected = plan.readings_of(codewords[leaker])
        read = observed >= 0
        assert np.array_equal(observed[read], expected[read])  # never a misread
        # All but a slot whose form a line break hyphenated ("company-\nwide") read.
        assert read.sum() >= (expected >= 0).sum() - 1
        verdict = accuse(code, codewords, observed)
        assert set(verdict.accused) <= {leaker}
        named += verdict.accused == (leaker,)
        # Families read two bits from one position: more marks than positions.
        assert verdict.marks_read > len(plan.positions())
    assert named == 40


def test_the_bold_style_adds_dates_and_contractions_and_safe_does_not() -> None:
    text = "The price rises on 1 February. It will not be uniform, and we will explain it."
    safe = {slot.variant for slot in plan_marks([text], key=KEY, layers=("wording",)).slots}
    bold = plan_marks([text], key=KEY, layers=("wording",), style="bold")
    assert not {"date.day_month", "contraction.not"} & safe
    assert {"date.day_month", "contraction.not"} <= {slot.variant for slot in bold.slots}
    copies = set()
    for bits in itertools.product((0, 1), repeat=len(bold)):
        copies.add(render_marks([text], bold, np.array(bits, dtype=np.uint8))[0])
    assert any("February 1st" in copy for copy in copies)
    assert any("1st February" in copy and "won't" in copy for copy in copies)
    vetoed = plan_marks([text], key=KEY, layers=("wording",), style="bold", veto=("date",))
    assert "date.day_month" not in {slot.variant for slot in vetoed.slots}
    with pytest.raises(UsageError, match="style"):
        plan_marks([text], style="loud")
