"""The invisible layer: zero-width marks and look-alike letters, both bits written marks."""

from __future__ import annotations

import numpy as np
import pytest

from leaktrace.protect.normalize import normalize
from leaktrace.trace.glyphs import HOMOGLYPHS, LOOKALIKE_LATIN, ZERO_WIDTH
from leaktrace.trace.invisible import LOOKALIKE_ID, ZERO_WIDTH_ID
from leaktrace.trace.place import plan_marks
from leaktrace.trace.plan import MarkPlan
from leaktrace.trace.read import read_marks
from leaktrace.trace.render import render_marks
from tests.trace.marking import BRIEFING, KEY, random_bits, sentence_spans, strip_invisible


@pytest.fixture(scope="module")
def plan() -> MarkPlan:
    return plan_marks([BRIEFING], key=KEY, veto=("wording",))


def test_about_one_mark_per_word(plan: MarkPlan) -> None:
    counts = {variant: 0 for variant in (ZERO_WIDTH_ID, LOOKALIKE_ID)}
    for slot in plan.slots:
        counts[slot.variant] += 1
    words = len(BRIEFING.split())
    assert counts[ZERO_WIDTH_ID] > 0.8 * words
    assert counts[LOOKALIKE_ID] > 0.2 * words


@pytest.mark.parametrize("bit", [0, 1])
def test_both_bits_are_written_marks(plan: MarkPlan, bit: int) -> None:
    bits = np.full(len(plan), bit, dtype=np.uint8)
    copy = render_marks([BRIEFING], plan, bits)[0]
    zero_width = sum(1 for slot in plan.slots if slot.variant == ZERO_WIDTH_ID)
    assert copy.count(ZERO_WIDTH[bit]) == zero_width
    assert copy.count(ZERO_WIDTH[1 - bit]) == 0
    written = [char for char in copy if char in LOOKALIKE_LATIN]
    assert written and all(HOMOGLYPHS[LOOKALIKE_LATIN[char]][bit] == char for char in written)
    assert np.array_equal(read_marks(copy, plan), plan.readings_of(bits))


def test_the_original_and_a_stripped_copy_read_unread(plan: MarkPlan) -> None:
    copy = render_marks([BRIEFING], plan, random_bits(len(plan), 4))[0]
    assert (read_marks(BRIEFING, plan) == -1).all()
    assert strip_invisible(copy) == BRIEFING
    assert (read_marks(strip_invisible(copy), plan) == -1).all()


def test_a_pasted_sentence_names_its_bits(plan: MarkPlan) -> None:
    bits = random_bits(len(plan), 5)
    copy = render_marks([BRIEFING], plan, bits)[0]
    sentence = next(
        copy[start:end]
        for start, end in sentence_spans(copy)
        if strip_invisible(copy[start:end]).startswith("The proposal affects")
    )
    read = read_marks(sentence, plan)
    got = read >= 0
    assert got.sum() >= 5
    assert np.array_equal(read[got], plan.readings_of(bits)[got])


def test_half_stripped_marks_still_read(plan: MarkPlan) -> None:
    """Zero-width marks gone (a sanitizer), look-alikes kept: those still read."""
    bits = random_bits(len(plan), 6)
    copy = render_marks([BRIEFING], plan, bits)[0]
    sanitized = copy.replace(ZERO_WIDTH[0], "").replace(ZERO_WIDTH[1], "")
    read = read_marks(sanitized, plan)
    lookalike = np.array([slot.variant == LOOKALIKE_ID for slot in plan.slots])
    assert np.array_equal(read[lookalike], plan.readings_of(bits)[lookalike])
    assert (read[~lookalike] == -1).all()


def test_fingerprinting_does_not_see_invisible_marks(plan: MarkPlan) -> None:
    copy = render_marks([BRIEFING], plan, random_bits(len(plan), 7))[0]
    assert np.array_equal(normalize(copy).codes, normalize(BRIEFING).codes)


def test_marks_stay_out_of_wording_slots() -> None:
    full = plan_marks([BRIEFING], key=KEY)
    spans = [(slot.start, slot.end) for slot in full.slots if slot.layer == "wording"]
    for slot in full.slots:
        if slot.variant == LOOKALIKE_ID:
            assert not any(start <= slot.start < end for start, end in spans)
        if slot.variant == ZERO_WIDTH_ID:
            assert not any(start < slot.start < end for start, end in spans)
