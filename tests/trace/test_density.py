"""Wording density on three business briefings, retyped leaks, and the newer variants' contexts.

The briefings are ``tests/trace/data/*.txt``: the measured density (``bench/mark_density.py``)
is not tuned to one text. Every wording slot a retyped copy or excerpt still has must read
back exactly, and a plan must read (almost) nothing in a document it was not made for.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from leaktrace.trace.place import plan_marks
from leaktrace.trace.plan import MarkPlan
from leaktrace.trace.read import read_marks
from leaktrace.trace.render import render_marks
from leaktrace.trace.tokens import words
from leaktrace.trace.wording import canonical_rules
from tests.trace.marking import KEY, random_bits, retype

DATA = Path(__file__).parent / "data"
TEXTS = {path.stem: path.read_text(encoding="utf-8") for path in sorted(DATA.glob("*.txt"))}
# Wording slots per 100 words, a little under what each briefing has (a regression floor).
FLOORS = {"briefing": 12.0, "memo_pricing": 9.0, "memo_systems": 7.8}
_WORD = re.compile(r"[^\W_]+")


def _plan(name: str) -> MarkPlan:
    return plan_marks([TEXTS[name]], key=KEY, layers=("wording",))


def test_every_briefing_has_a_floor() -> None:
    assert set(TEXTS) == set(FLOORS)


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_density_floor(name: str) -> None:
    count = len(_WORD.findall(TEXTS[name]))
    assert 100 * len(_plan(name)) / count >= FLOORS[name]


@pytest.mark.parametrize("name", sorted(FLOORS))
@pytest.mark.parametrize("seed", range(3))
def test_a_retyped_copy_reads_every_wording_slot(name: str, seed: int) -> None:
    plan = _plan(name)
    bits = random_bits(len(plan), seed)
    leak = retype(render_marks([TEXTS[name]], plan, bits)[0], width=43 + 7 * seed)
    assert np.array_equal(read_marks(leak, plan), plan.readings_of(bits))
    assert np.array_equal(read_marks(leak.upper(), plan), plan.readings_of(bits))


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_a_retyped_half_reads_its_slots_and_never_misreads(name: str) -> None:
    plan = _plan(name)
    bits = random_bits(len(plan), 7)
    copy = render_marks([TEXTS[name]], plan, bits)[0]
    spans = [match.span() for match in _WORD.finditer(copy)]
    quarter = len(spans) // 4
    start, end = spans[quarter][0], spans[3 * quarter][1]
    read = read_marks(retype(copy[start:end]), plan)
    got = read >= 0
    assert np.array_equal(read[got], plan.readings_of(bits)[got])
    # The slots well inside the excerpt (not its first or last few words) all read, but for
    # the nodes of a family off the path of the form the copy wrote.
    written = plan.readings_of(bits) >= 0
    inside = [
        index
        for index, slot in enumerate(plan.slots)
        if spans[quarter + 6][0] <= slot.start < spans[3 * quarter - 3][0] and written[index]
    ]
    assert got[inside].all()


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_unrelated_briefings_read_nothing(name: str) -> None:
    plan = _plan(name)
    for other, text in TEXTS.items():
        if other != name:
            assert (read_marks(retype(text), plan) == -1).all()


def _variants(text: str) -> set[str]:
    return {slot.variant for slot in plan_marks([text], key=KEY, layers=("wording",)).slots}


_LEAD = "Costs rose again last year. "
CONTEXTS = [
    ("number.small", "The board has asked for 12 new reports this year.", True),
    ("number.small", "The board has asked for fifty new reports this year.", True),
    ("number.small", "All the users of Windows 10 will see the change.", False),
    ("number.small", "All the users of Python 3 should upgrade soon.", False),
    ("number.per", "The project will cost 2 million dollars per year in total.", True),
    ("number.one", "The board will review the plan within a week after the launch.", True),
    ("number.one", "The board will review the plan within a week or two of it.", False),
    ("number.one", "The team meets twice a week in the main office.", False),
    ("phrase.relative_that", "The board has read the plan that we agreed last week.", True),
    ("phrase.relative_that", "The board accepts the fact that we agreed last week.", False),
    ("phrase.relative_that", "The board has read the report that it is based on.", True),
    ("phrase.relative_that", "The board has read the report that the team wrote.", True),
    ("phrase.relative_that", "The main risk is the chance that the lease slips.", False),
    ("phrase.relative_that", "The tool warns about an app that no longer exists.", False),
    ("phrase.relative_that", "It is built in such a way that it can be reused.", False),
    ("phrase.relative_that", "The tool will add a comment that this is not portable.", False),
    ("phrase.relative_that", "The tool will print a message that the build failed.", False),
    ("phrase.decide", "The whole board made a decision on the plan in May.", True),
    ("hyphen.closed", "The board has asked for a walk-through of the plan.", True),
    ("hyphen.closed", "The board has asked for a walkthrough of the plan.", False),
    ("hyphen.closed", "See the file debian/patches/time-out-fix for details.", False),
    ("number.small", "We will bump the debhelper compatibility to 12 and move on.", False),
    ("spelling.upward", "The format is forwards and backwards compatible with it.", False),
    ("phrase.relative_that", "The board knows that the lease slips every year.", False),
    ("phrase.relative_that", "The plan said so that the board could act today.", False),
    ("phrase.relative_that", "The board has said the plan is that we wait a week.", False),
    ("phrase.that", "The whole board is confident that the plan will work.", True),
    ("phrase.that", "The whole board has noted that the plan will work.", False),
    ("phrase.instead", "We will offer a longer contract rather than a lower price.", True),
    ("phrase.instead", "Some staff may leave rather than relocate to the site.", False),
    ("phrase.decide", "The board will make a decision on the plan in May.", True),
    ("phrase.decide", "The board will make a decision that affects all of us.", False),
    ("phrase.to_date", "The board has spent 40% of the budget to date this year.", True),
    ("phrase.to_date", "The whole team keeps the files up to date every week.", False),
    ("phrase.fraction", "Copper accounts for a third of the cost in total.", True),
    ("phrase.fraction", "The board sees a third risk in the plan this year.", False),
    ("number.nearly", "The new plan will affect nearly twelve people in total.", True),
    ("number.nearly", "The new plan will affect almost a third of the staff.", True),
    ("phrase.ahead", "Please read the whole report in advance of the meeting.", True),
    ("spelling.upward", "The figures were revised upwards again this year.", True),
    ("spelling.upward", "The board sees an upward trend again this year.", False),
    ("spelling.adviser", "The board has asked an adviser to review the plan.", True),
    ("hyphen.business", "The board will not send a company-wide e-mail about it.", True),
    ("punct.opener_comma", _LEAD + "Last year, revenue grew by 8% in the region.", True),
    ("punct.opener_comma", _LEAD + "As expected, revenue grew by 8% in the region.", True),
    ("punct.clause_comma", _LEAD + "Where a role cannot move, we will offer another.", True),
    ("punct.intro_comma", _LEAD + "Despite the delay, the board approved the plan.", True),
    ("punct.intro_comma", _LEAD + "Due to the delay, the board approved the plan.", True),
    # The second round: families and added words and commas.
    ("number.about", "Copper accounts for about half of the cost in total.", True),
    ("number.about", "The board talked about half the night on the plan.", True),
    ("phrase.past", _LEAD + "Over the past twelve months, costs rose again.", True),
    ("phrase.past", "Costs rose sharply in the last week of March this year.", False),
    ("phrase.past", "The board said that in the past it often met in May.", False),
    ("phrase.so_that", "Please send it early so that the board can read it.", True),
    ("phrase.so_that", "The plan was late, and so that is why we waited.", False),
    ("phrase.that_clause", _LEAD + "We think it is unlikely to happen again.", True),
    ("phrase.that_clause", "The board said the word twice in the meeting today.", False),
    ("phrase.relative_that_add", "The board read the plan we agreed with them last week.", True),
    ("phrase.relative_that_add", "Every day we meet to review the plan with the board.", False),
    ("punct.intro_comma_add", _LEAD + "In March the board agreed to the plan.", True),
    ("punct.intro_comma_add", _LEAD + "During the third quarter we cut costs again.", True),
    ("punct.intro_comma_add", _LEAD + "In the report the board published, costs rose.", False),
    ("punct.opener_comma_add", _LEAD + "Currently the board reviews the plan each year.", True),
    ("punct.opener_comma_add", _LEAD + "Now that we know, the board will act on it.", False),
    (
        "punct.conjunction_comma_add",
        "The review of the plan took all of last year and we have now agreed to it.",
        True,
    ),
    ("punct.conjunction_comma_add", "Our partners and we have agreed on the plan today.", False),
]


@pytest.mark.parametrize(
    ("variant", "text", "expected"),
    CONTEXTS,
    ids=[f"{variant}:{index}" for index, (variant, _, _) in enumerate(CONTEXTS)],
)
def test_where_the_newer_variants_apply(variant: str, text: str, expected: bool) -> None:
    assert (variant in _variants(text)) == expected
    if expected:  # and the slot round-trips through a retyped copy
        plan = plan_marks([text], key=KEY, layers=("wording",))
        original = plan.original_bits().clip(0).astype(np.uint8)
        assert render_marks([text], plan, original)[0] == text
        flipped = original.copy()
        flipped[[slot.variant == variant for slot in plan.slots]] ^= 1
        assert render_marks([text], plan, flipped)[0] != text
        for bit in (0, 1):
            bits = np.full(len(plan), bit, dtype=np.uint8)
            leak = retype(render_marks([text], plan, bits)[0] + " The end of it.")
            assert np.array_equal(read_marks(leak, plan), plan.readings_of(bits))


def test_a_chain_of_pairs_reads_as_one_form() -> None:
    rules = canonical_rules()
    readings = {words(f"for {form} only", rules).tokens for form in ("one day", "a day", "per day")}
    assert len(readings) == 1


@pytest.mark.parametrize(
    ("text", "swapped"),
    [
        (
            "The board will make a decision on the plan in May.",
            "The board will decide on the plan in May.",
        ),
        (
            "The board read the plan that we agreed last week.",
            "The board read the plan we agreed last week.",
        ),
        (
            "The board will review it within a week after the launch.",
            "The board will review it within one week after the launch.",
        ),
        (
            "Copper accounts for a third of the cost in total.",
            "Copper accounts for one third of the cost in total.",
        ),
        (
            "We will offer a longer contract rather than a lower price.",
            "We will offer a longer contract instead of a lower price.",
        ),
    ],
)
def test_what_a_swap_writes(text: str, swapped: str) -> None:
    plan = plan_marks([text], key=KEY, layers=("wording",))
    copies = {render_marks([text], plan, np.full(len(plan), bit, np.uint8))[0] for bit in (0, 1)}
    assert copies == {text, swapped}
