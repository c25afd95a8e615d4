"""How short a retyped excerpt may be: the estimate against the real accusation."""

from __future__ import annotations

import numpy as np
import pytest

from leaktrace.trace.accuse import UNREAD, accuse
from leaktrace.trace.capacity import marks_needed, retyped_capacity
from leaktrace.trace.code import FingerprintCode
from leaktrace.trace.place import plan_marks
from tests.trace.marking import BRIEFING

KEY = bytes(range(32))


def _fewest_marks_accused(code: FingerprintCode, recipients: int, guilty: int) -> int:
    """The fewest leading marks of ``guilty``'s copy, read intact, that the accusation names
    them from."""
    bits = code.codewords(recipients)
    for k in range(1, code.length + 1):
        observed = np.full(code.length, UNREAD, dtype=np.int8)
        observed[:k] = bits[guilty, :k]
        if accuse(code, bits, observed).accused:
            assert accuse(code, bits, observed).accused == (guilty,)
            return k
    raise AssertionError("never named")


@pytest.mark.parametrize("recipients", [2, 10, 40, 200])
def test_a_code_for_two_names_the_leaker_from_exactly_the_marks_needed(recipients: int) -> None:
    code = FingerprintCode.generate(80, collusion=2, key=KEY)
    needed = marks_needed(recipients, 2, 1e-6)
    assert _fewest_marks_accused(code, recipients, guilty=1) == needed
    assert marks_needed(40, 2, 1e-6) == 26  # 2^-26 <= 1e-6 / 40 < 2^-25


def test_a_code_for_three_needs_about_the_estimate() -> None:
    found = [
        _fewest_marks_accused(FingerprintCode.generate(200, 3, key=bytes([n]) * 32), 40, 0)
        for n in range(15)
    ]
    estimate = marks_needed(40, 3, 1e-6)
    assert estimate > marks_needed(40, 2, 1e-6)
    assert 0.75 * estimate <= float(np.median(found)) <= 1.25 * estimate


def test_more_recipients_or_a_stricter_bound_need_more_marks() -> None:
    assert marks_needed(10, 2, 1e-6) < marks_needed(200, 2, 1e-6) < marks_needed(200, 2, 1e-9)


def test_capacity_counts_the_wording_marks_a_copy_carries() -> None:
    plan = plan_marks([BRIEFING], key=KEY)
    capacity = retyped_capacity(plan, [BRIEFING], 40, collusion=2)
    wording = plan.layer_counts()["wording"]
    assert 440 < capacity.words < 520  # 459 words between spaces; "$41.2" counts two
    assert 10 < capacity.marks <= wording
    assert capacity.marks_needed == 26
    needed = capacity.words_needed
    assert needed is not None and needed % 10 == 0
    assert 0 <= needed - 26 * capacity.words / capacity.marks < 10


def test_a_short_text_cannot_be_traced_once_retyped() -> None:
    text = "The board met on Monday and agreed to the plan for the next two years in full."
    plan = plan_marks([text], key=KEY)
    capacity = retyped_capacity(plan, [text], 40, collusion=2)
    assert capacity.words_needed is None and capacity.marks < 26
    empty = retyped_capacity(plan_marks([""], key=KEY), [""], 40, collusion=2)
    assert empty.words == 0 and empty.per_100_words == 0.0 and empty.words_needed is None
