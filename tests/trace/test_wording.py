"""The wording layer on a realistic briefing: round trips, retyping, excerpts, stitching."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaktrace.trace.place import plan_marks
from leaktrace.trace.plan import MarkPlan
from leaktrace.trace.read import read_marks
from leaktrace.trace.render import explain, render_marks
from leaktrace.trace.tokens import words
from leaktrace.trace.wording import registers, rewrite
from tests.trace.marking import BRIEFING, KEY, random_bits, retype, sentence_spans


@pytest.fixture(scope="module")
def plan() -> MarkPlan:
    return plan_marks([BRIEFING], key=KEY)


def _wording(plan: MarkPlan) -> np.ndarray:
    return np.array([slot.layer == "wording" for slot in plan.slots])


def test_the_briefing_has_wording_slots_of_many_kinds(plan: MarkPlan) -> None:
    kinds = {slot.variant.split(".")[0] for slot in plan.slots if slot.layer == "wording"}
    assert {"punct", "number", "phrase"} <= kinds
    assert _wording(plan).sum() >= 30


@pytest.mark.parametrize("seed", range(5))
def test_every_copy_reads_back_exactly(plan: MarkPlan, seed: int) -> None:
    bits = random_bits(len(plan), seed)
    copy = render_marks([BRIEFING], plan, bits)[0]
    assert np.array_equal(read_marks(copy, plan), plan.readings_of(bits))


@pytest.mark.parametrize("seed", range(3))
def test_a_retyped_copy_keeps_every_wording_slot(plan: MarkPlan, seed: int) -> None:
    bits = random_bits(len(plan), seed)
    leak = retype(render_marks([BRIEFING], plan, bits)[0])
    read = read_marks(leak, plan)
    wording = _wording(plan)
    assert np.array_equal(read[wording], plan.readings_of(bits)[wording])
    assert (read[~wording] == -1).all()


def test_case_and_quotes_do_not_matter(plan: MarkPlan) -> None:
    bits = random_bits(len(plan), 9)
    copy = render_marks([BRIEFING], plan, bits)[0]
    shouted = retype(copy).upper().replace("'", "\u2019")
    wording = _wording(plan)
    assert np.array_equal(read_marks(shouted, plan)[wording], plan.readings_of(bits)[wording])


def test_an_excerpt_reads_only_its_own_slots(plan: MarkPlan) -> None:
    bits = random_bits(len(plan), 3)
    copy = render_marks([BRIEFING], plan, bits)[0]
    ours, theirs = sentence_spans(BRIEFING), sentence_spans(copy)
    first, last = len(ours) // 4, 3 * len(ours) // 4  # the middle half, by sentences
    read = read_marks(retype(copy[theirs[first][0] : theirs[last][1]]), plan)
    inside = np.array([ours[first][0] <= slot.start < ours[last][1] for slot in plan.slots])
    wording = _wording(plan)
    got = read >= 0
    assert (read[~inside] == -1).all()
    assert np.array_equal(read[got], plan.readings_of(bits)[got])
    written = plan.readings_of(bits) >= 0  # not the family nodes off the written form's path
    assert (got & wording).sum() >= 0.9 * (inside & wording & written).sum() >= 12


def test_sentences_stitched_from_two_copies_read_from_their_source(plan: MarkPlan) -> None:
    first, second = random_bits(len(plan), 1), random_bits(len(plan), 2)
    copies = [render_marks([BRIEFING], plan, bits)[0] for bits in (first, second)]
    pieces = [sentence_spans(copy) for copy in copies]
    assert len(pieces[0]) == len(pieces[1]) == len(sentence_spans(BRIEFING))
    stitched = "".join(
        copies[index % 2][slice(*pieces[index % 2][index])] for index in range(len(pieces[0]))
    )
    # Sentence i of the stitched text comes from copy i % 2; sentence edges are the same in
    # the original and the copies up to the edits inside them.
    spans = sentence_spans(BRIEFING)
    source = np.array(
        [
            next(i for i, (s, e) in enumerate(spans) if s <= slot.start < e) % 2
            for slot in plan.slots
        ]
    )
    expected = np.where(source == 0, first, second).astype(np.int8)
    read = read_marks(stitched, plan)
    got = read >= 0
    assert np.array_equal(read[got], expected[got])
    assert got.mean() > 0.95


def test_the_unmarked_original_reads_as_key_noise(plan: MarkPlan) -> None:
    read = read_marks(BRIEFING, plan)
    assert np.array_equal(read, plan.original_bits())
    wording = _wording(plan)
    assert (read[~wording] == -1).all()
    # Which form means 0 is a coin per slot: the original is not a run of zeros (or ones).
    assert 0.25 < read[wording].mean() < 0.75


def test_copies_differ_from_the_original_only_at_slots(plan: MarkPlan) -> None:
    zero = render_marks([BRIEFING], plan, np.zeros(len(plan), dtype=np.uint8))[0]
    one = render_marks([BRIEFING], plan, np.ones(len(plan), dtype=np.uint8))[0]
    assert retype(zero) != retype(one)
    assert len(words(retype(zero), {}).tokens) == pytest.approx(
        len(words(BRIEFING, {}).tokens), rel=0.05
    )


@pytest.mark.parametrize(
    ("veto", "gone"),
    [
        (("number",), "number."),
        (("phrase.that",), "phrase.that"),
        (("wording",), "wording"),
        (("invisible",), "invisible"),
        (("invisible.lookalike",), "invisible.lookalike"),
    ],
)
def test_veto_removes_slots(veto: tuple[str, ...], gone: str) -> None:
    full = plan_marks([BRIEFING], key=KEY)
    vetoed = plan_marks([BRIEFING], key=KEY, veto=veto)

    def hit(slot_layer: str, variant: str) -> bool:
        return slot_layer == gone or variant.startswith(gone)

    assert any(hit(slot.layer, slot.variant) for slot in full.slots)
    assert not any(hit(slot.layer, slot.variant) for slot in vetoed.slots)
    assert len(vetoed) < len(full)


def test_contractions_need_a_contracting_register() -> None:
    formal = "The board said that the team does not agree with the plan as it stands today."
    casual = "We don't mind. It's fine. " + formal
    assert "contracted" not in registers(formal.lower(), words(formal, {}).tokens)
    ids = [slot.variant for slot in plan_marks([casual], key=KEY).slots]
    assert "contraction.not" in ids
    assert "contraction.not" not in [slot.variant for slot in plan_marks([formal], key=KEY).slots]


def test_british_spelling_variants_need_a_british_text() -> None:
    american = "The finance team will organize the new process for the whole group this year."
    british = "The colour scheme is fine. " + american
    assert "spelling.ize" not in [slot.variant for slot in plan_marks([american], key=KEY).slots]
    assert "spelling.ize" in [slot.variant for slot in plan_marks([british], key=KEY).slots]


@pytest.mark.parametrize(
    ("span", "form", "written"),
    [
        ("Towards", "toward", "Toward"),
        ("DO NOT", "don't", "DON'T"),
        ("Do not", "don't", "Don\u2019t"),
        ("The majority of", "most of", "Most of"),
        ("US", "u.s.", "U.S."),
        ("%", " percent", " percent"),
    ],
)
def test_rewriting_keeps_case_and_apostrophes(span: str, form: str, written: str) -> None:
    apostrophe = "\u2019" if "\u2019" in written else "'"
    assert rewrite(span, form, apostrophe) == written


@pytest.mark.parametrize(
    ("span", "form", "written"),
    [
        (". This", "; this", "; this"),
        ("; this", ". this", ". This"),
        (".\nThey", "; they", ";\nthey"),
        (",\n  but", ". but", ".\n  But"),
        (". But", " but", " but"),
        (".  This", "; this", "; this"),
        (". I have", "; i've", "; I've"),
        ("; I\u2019m", ". i am", ". I am"),
        (";  this", ". this", ".  This"),
        (".\nThis", " - this", " \u2014 this"),
        (". WE", "; we'll", "; WE'LL"),
        ("; it is", ". it's", ". It\u2019s"),
    ],
)
def test_rewriting_a_sentence_boundary_cases_the_next_word(
    span: str, form: str, written: str
) -> None:
    apostrophe = "\u2019" if "\u2019" in written else "'"
    assert rewrite(span, form, apostrophe) == written


def test_explain_shows_where_and_what(plan: MarkPlan) -> None:
    explained = explain([BRIEFING], plan)
    assert len(explained) == len(plan)
    for item in explained:
        if item.layer == "wording":
            assert f"[{item.original}]" in item.context
            forms = [form for side in item.alternatives for form in side.split(" / ")]
            slot = plan.slots[item.index]
            below = slot.tree.subtree(slot.part, 0) + slot.tree.subtree(slot.part, 1)
            assert len(forms) == len(below)
            assert item.original in forms or slot.part not in slot.tree.path(0)
            assert item.alternatives[0] != item.alternatives[1]
            assert BRIEFING.splitlines()[item.line - 1][item.column - 1 :].startswith(item.original)


_VOCABULARY = st.sampled_from(
    str.split(
        "the board team plan toward towards among about 40 10% in order to said that do not"
        " two five e-mail email for example, and sales costs, finance In March that we it is"
        " rather than a third of twelve 12 within a week one day per day Last year, Despite"
    )
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_VOCABULARY, min_size=0, max_size=80), st.integers(0, 2**32 - 1))
def test_any_text_reads_back_what_was_written(parts: list[str], seed: int) -> None:
    text = " ".join(parts)
    plan = plan_marks([text], key=KEY)
    bits = random_bits(len(plan), seed)
    copy = render_marks([text], plan, bits)[0]
    assert np.array_equal(read_marks(copy, plan), plan.readings_of(bits))
