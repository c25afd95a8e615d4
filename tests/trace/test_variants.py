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
        if variant.id != "date.day_month" or set(family) & _DATES
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


# -- Sentence joins and splits (bold), participle contractions, "over the next" ----------------

_FIRST = "The review of the budget for next year is now complete"
_MEMO_HEAD = (
    "To: all clinic managers\nFrom: the programme office\n\n"  # a greeting needs words before it
)
_LOWER = "the review of the budget for next year is now complete"


def _ids(text: str, style: str = "bold", veto: tuple[str, ...] = ()) -> list[str]:
    plan = plan_marks([text], key=KEY, layers=("wording",), style=style, veto=veto)
    return [slot.variant for slot in plan.slots]


def _written(text: str, variant: str, leaf: int) -> str:
    """The text with the first position of ``variant`` written as form ``leaf``."""
    plan = plan_marks([text], key=KEY, layers=("wording",), style="bold")
    bits = np.maximum(plan.original_bits(), 0).astype(np.uint8)
    indices = next(ix for ix in plan.positions().values() if plan.slots[ix[0]].variant == variant)
    sides = plan.slots[indices[0]].tree.path(leaf)
    for index in indices:
        bits[index] = sides.get(plan.slots[index].part, 0) ^ plan.slots[index].zero
    copy = render_marks([text], plan, bits)[0]
    assert np.array_equal(read_marks(copy, plan), plan.readings_of(bits))
    return copy


@pytest.mark.parametrize(
    ("text", "variant", "leaf", "written"),
    [
        (f"{_FIRST}. This means costs will fall in May.", "punct.join", 1, "complete; this means"),
        (f"{_FIRST}; this means costs will fall in May.", "punct.join", 1, "complete. This means"),
        (f"{_FIRST}.\nThey agreed to cut costs in May.", "punct.join", 1, "complete;\nthey agreed"),
        (f"{_FIRST}. This means costs will fall in May.", "punct.join", 2, "complete \u2014 this"),
        (f"{_FIRST}; I think costs will fall in May.", "punct.join", 1, "complete. I think"),
        (f"{_FIRST}. However, we expect costs to rise.", "punct.join_adverb", 1, "; however, we"),
        (f"{_FIRST}. We will cut costs in May.", "punct.join_contracted", 4, "complete; we'll cut"),
        (f"{_FIRST}. It is a good result for us.", "punct.join_contracted", 3, "complete. It's a"),
        (
            f"{_FIRST}. They are ready to cut costs.",
            "punct.join_contracted",
            2,
            "complete \u2014 they are ready",
        ),
        (
            f"{_FIRST}. We have moved the date to May.",
            "punct.join_have",
            4,
            "complete; we've moved",
        ),
        (f"{_FIRST}, but we will wait for the board.", "punct.but", 1, "complete. But we will"),
        (f"{_FIRST}, but we will wait for the board.", "punct.but", 2, "complete but we will"),
        (f"{_FIRST}, but we will wait for the board.", "punct.but", 3, "complete \u2014 but we"),
        (f"{_FIRST}. But they said it can wait.", "punct.but", 1, "complete, but they said"),
        (
            "The board confirmed that we have moved the date to May.",
            "contraction.have",
            1,
            "that we've moved",
        ),
        (
            "We don't expect it. We think we would agree to it.",
            "contraction.pronoun",
            1,
            "we'd agree",
        ),
        (
            "The board will meet often over the next two months.",
            "phrase.next",
            1,
            "often in the next two",
        ),
        ("Sales rose again in the third quarter, as expected.", "date.quarter", 1, "in Q3,"),
        ("Sales rose again in Q3, as we expected.", "date.quarter", 1, "in the third quarter,"),
        ("Please send your comments by Friday at noon.", "phrase.by", 1, "no later than Friday"),
        ("The board thanked the team. Each copy is marked.", "synonym.every", 1, "Every copy"),
        ("The board will send it to anyone who asks.", "synonym.anyone", 1, "to anybody who"),
        ("The board said that nobody asked for it.", "synonym.nobody", 1, "that no one asked"),
        (
            "The board asked us to reply no later than 12 January.",
            "phrase.by",
            1,
            "reply by 12 January",
        ),
        (f"{_FIRST}. I have moved the date to May.", "punct.join_have", 4, "complete; I've"),
        # fourth round: synonyms and relative clauses (bold)
        ("If you have questions, please contact the office.", "synonym.contact", 1, "get in touch"),
        (
            "The board said the upgrade that has not been planned is late.",
            "phrase.which_subject",
            1,
            "which has",
        ),
        ("The board fixed a fault which was found in May.", "phrase.which_subject", 1, "that was"),
        (
            "Costs rose more slowly than expected this year.",
            "phrase.expected",
            1,
            "than anticipated",
        ),
        (
            "The board read the figures which we sent in May.",
            "phrase.relative_which",
            2,
            "figures we",
        ),
        (
            "The board read the figures that we sent in May.",
            "phrase.relative_which",
            1,
            "figures which we",
        ),
        ("The board will ask whether the plan works.", "phrase.whether_if", 1, "ask if the plan"),
        ("We said the team should review the plan.", "synonym.should", 1, "team ought to review"),
        ("We said the team ought to review the plan.", "synonym.should", 1, "team should review"),
        (
            "The team will use the new tool for the budget.",
            "synonym.use",
            1,
            "will utilize the new",
        ),
        ("The board said that we want to thank the team.", "synonym.want", 1, "we wish to thank"),
        ("The board said that we tried to cut costs.", "synonym.try", 1, "we attempted to cut"),
        (
            "The board asked us to check that the figures are right.",
            "synonym.check",
            1,
            "verify that the",
        ),
        ("The team needs time to finish the review.", "synonym.finish", 1, "to complete the"),
        (
            "Costs rose again last year. Similarly, the board cut travel.",
            "phrase.opening",
            1,
            "Likewise, the",
        ),
        (
            "Costs rose again last year. For now, the board will wait.",
            "phrase.opening",
            2,
            "For the time being,",
        ),
        (
            "Costs rose again last year. Unfortunately, the board will wait.",
            "phrase.opening_bold",
            1,
            "Regrettably",
        ),
        # fifth round: clauses joined by ", and" or ", so", split, or joined without a comma
        (f"{_FIRST}, and the board was pleased with it.", "punct.and_clause", 2, "complete. The"),
        (f"{_FIRST}, and the board was pleased with it.", "punct.and_clause", 3, "complete; the"),
        (
            f"{_FIRST}, and the board was pleased with it.",
            "punct.and_clause",
            1,
            "complete and the",
        ),
        (f"{_FIRST}, and it may be late.", "punct.and_clause", 2, "complete. It may"),
        (f"{_FIRST}, and our new office will open.", "punct.and_clause", 2, "complete. Our new"),
        (
            f"{_FIRST},\nand we expect the board to agree.",
            "punct.and_clause",
            2,
            "complete. We expect",
        ),
        (
            f"{_FIRST}, and the majority of the staff have agreed.",
            "punct.and_clause",
            2,
            "complete. The majority",
        ),
        (
            "We met in May. We cut the budget of the region this year, and the board was pleased.",
            "punct.and_clause_stop",
            2,
            "this year. The board",
        ),
        (
            f"{_FIRST}, and the board was pleased. This means costs fall.",
            "punct.and_clause_stop",
            2,
            "complete. The board",
        ),
        (f"{_FIRST}, so we decided to wait.", "punct.so_clause", 1, "complete. So we decided"),
        (f"{_FIRST}, so we decided to wait.", "punct.so_clause", 2, "complete; so we decided"),
        (f"{_FIRST}, so we decided to wait.", "punct.so_clause", 3, "complete \u2014 so we"),
        (f"{_FIRST}. So the board has agreed to it.", "punct.so_clause", 1, "complete, so the"),
        (f"{_FIRST}; both have agreed to it.", "punct.semicolon_split", 1, "complete. Both have"),
        (f"{_FIRST}; the board was pleased.", "punct.semicolon_split", 1, "complete. The board"),
        (
            "Costs rose. If the lease talks for the new site slip by more than a month or two"
            " again, we will tell the board.",
            "punct.clause_comma_long",
            1,
            "again we will",
        ),
        (
            "Costs rose. If the lease talks for the new northern site slip by more than six"
            " weeks, the savings will fall.",
            "punct.clause_comma_time",
            1,
            "weeks the savings",
        ),
        (
            "Costs rose. Please do not forward it, quote from\nit, or discuss it with anyone.",
            "punct.serial_comma",
            1,
            "from\nit or discuss",
        ),
        # fifth round: words and phrases
        ("The board said the record may be lost if nobody saves it.", "phrase.may", 1, "might be"),
        ("We said costs may be higher this year than last.", "phrase.may", 1, "might be higher"),
        (
            "The board said the new site may not be available until June.",
            "phrase.may_not",
            1,
            "site might not be available",
        ),
        (
            "The board said some records may have been lost in the move.",
            "phrase.may_have",
            1,
            "might have been lost",
        ),
        (
            "Please nominate two members of staff to act as champions.",
            "phrase.staff",
            1,
            "two staff members to",
        ),
        (
            "The board asked each staff member to review it.",
            "phrase.staff",
            1,
            "each member of staff",
        ),
        (
            "Some customers will push back. In most cases, the answer is to wait.",
            "phrase.cases",
            1,
            "In most instances,",
        ),
        (
            "The board said the plan works in some instances. It will go ahead.",
            "phrase.cases",
            1,
            "in some cases.",
        ),
        (
            "The board has made a number of changes to the plan.",
            "phrase.number_of",
            1,
            "made several",
        ),
        (
            "We will hold a short call on Thursday to go through it.",
            "phrase.on_day",
            1,
            "short call Thursday to",
        ),
        (
            "The board said the main reason is cost this year.",
            "synonym.main",
            2,
            "the primary reason",
        ),
        ("The board said the primary concern is cost this year.", "synonym.main", 2, "principal"),
        (
            "The board said our largest customers will see no change.",
            "synonym.largest",
            1,
            "our biggest customers",
        ),
        ("The new site is for the larger clinics in the region.", "synonym.largest", 1, "bigger"),
        (
            "If you see a fault, please contact the office immediately. It is open.",
            "synonym.immediately",
            1,
            "office without delay.",
        ),
        (
            "If you see a fault, please contact the office immediately. It is open.",
            "synonym.immediately",
            2,
            "office right away.",
        ),
        (
            "The costs rose and we therefore cut travel this year.",
            "synonym.therefore",
            1,
            "we thus",
        ),
        (
            "Please send your comments by noon on Friday so we can read them.",
            "synonym.noon",
            1,
            "by midday on Friday",
        ),
        (
            "The board will meet at 8.30 a.m. on Monday to review it.",
            "number.clock",
            1,
            "at 8:30 a.m.",
        ),
        ("The board will meet at 8:30 pm on Monday to review it.", "number.clock", 1, "at 8.30 pm"),
        (
            "The desk will be staffed until 10\np.m. on weekdays this month.",
            "number.clock_hour",
            1,
            "until 10:00\np.m.",
        ),
        (
            "The call starts at 4:00 pm on Friday for the whole team.",
            "number.clock_hour",
            1,
            "4 pm",
        ),
        (
            "If the lease slips by more than six weeks, the savings fall.",
            "number.over",
            1,
            "by over six weeks",
        ),
        ("The team cut costs by less than 5% this year.", "number.over", 1, "by under 5%"),
        (
            "The tool has not changed in over 16 years of use.",
            "number.over_back",
            1,
            "in more than 16 years",
        ),
        (
            "In the third quarter, revenue rose 8% to $41 million.",
            "number.change",
            1,
            "increased 8%",
        ),
        (
            "As a result, gross margin fell from 38% to 33% this year.",
            "number.change",
            2,
            "margin declined from 38%",
        ),
        ("In the third quarter, revenue grew 8% to $41 million.", "number.grew", 1, "rose 8%"),
        (
            "The board said approval is required from finance for it.",
            "synonym.required",
            1,
            "is needed from",
        ),
        (
            "The board said the tool did not close properly on the first day.",
            "synonym.properly",
            1,
            "close correctly on",
        ),
        ("The board said prices will rise by 6% in May.", "number.change_now", 1, "will increase"),
        (
            "The new system is essential for the larger clinics in May.",
            "synonym.essential",
            1,
            "is vital for",
        ),
        # business prose
        ("The board expects an increase in costs next year.", "number.change_noun", 1, "a rise in"),
        ("The board expects a rise in costs next year.", "number.change_noun", 1, "an increase in"),
        (
            "The board saw a decrease of 5% in costs this year.",
            "number.change_noun",
            2,
            "a drop of",
        ),
        (
            "The board saw a decline in sales in the region.",
            "number.change_noun",
            3,
            "a decrease in",
        ),
        (
            "The committee recommends an average increase of 6% on the core range.",
            "number.change_noun_det",
            1,
            "an average rise of 6%",
        ),
        ("The board noted the rise in costs this year.", "number.change_noun_det", 1, "increase"),
        (
            "The board noted the decline in sales this year.",
            "number.change_noun_det",
            1,
            "the fall",
        ),
        (
            "Costs rose again. In addition to the review, the board will read the plan.",
            "phrase.in_addition_to",
            1,
            "As well as the review",
        ),
        (
            "The board said costs were slightly higher than planned.",
            "phrase.slightly",
            1,
            "were a little higher than",
        ),
        (
            "The board said the call will start a little later today.",
            "phrase.slightly",
            1,
            "start slightly later today",
        ),
        (
            "Please send us your comments on the plan.\n\nKind regards,\nThe programme office",
            "phrase.sign_off",
            2,
            "\n\nRegards,\nThe",
        ),
        (
            _MEMO_HEAD + "Dear all,\n\nThe board has approved the plan.",
            "phrase.greeting",
            1,
            "Hello all,",
        ),
        (
            _MEMO_HEAD + "Hi everyone,\n\nThe board has approved the plan.",
            "phrase.greeting",
            4,
            "Dear all,",
        ),
    ],
)
def test_joins_and_new_variants_swap(text: str, variant: str, leaf: int, written: str) -> None:
    assert variant in _ids(text)
    assert written in _written(text, variant, leaf)


@pytest.mark.parametrize(
    ("text", "variant"),
    [
        # not after an abbreviation, across paragraphs, after a question or a colon
        ("We ordered all of the parts from Acme Widgets Inc. They will arrive soon.", "punct.join"),
        (f"{_FIRST}.\n\nThis means costs will fall in May.", "punct.join"),
        # a dash is never taken from an original: it may open an aside
        (f"{_FIRST} \u2014 this means costs will fall in May.", "punct.join"),
        (f"{_FIRST} - this means costs will fall in May.", "punct.join"),
        (f"{_FIRST} \u2014 but we will wait for the board.", "punct.but"),
        # nor when a sentence holds a dash
        (f"{_FIRST}. This means \u2014 in short \u2014 costs will fall.", "punct.join"),
        ("Is the review of the budget for next year done? This means costs fall.", "punct.join"),
        ("Note: the review of the budget is complete. This means costs will fall.", "punct.join"),
        ("The board met; the review of the budget is done. This means costs fall.", "punct.join"),
        # not when either sentence is too short or too long, or the second one is a question
        ("It is done. This means costs will fall in May.", "punct.join"),
        (f"{_FIRST}. This means " + "costs will fall " * 16 + "in May.", "punct.join"),
        (f"{_FIRST}. Is this the plan we wanted?", "punct.join"),
        (f"{_FIRST}. That said, costs will fall in May.", "punct.join"),
        # not in a list item (its first sentence)
        (f"- {_FIRST}. This means costs will fall in May.", "punct.join"),
        # 'have' as a main verb or before an adjective
        (f"{_FIRST}. We have two options for the board.", "punct.join_have"),
        (f"{_FIRST}. We have limited funds for the year.", "punct.join_have"),
        ("We don't know yet. The board said we have limited funds this year.", "contraction.have"),
        ("We don't know yet. The board said that we have two options.", "contraction.have"),
        # "it's been" is "it has been", "we'd seen" is "we had seen"
        ("We don't mind. The board says it's been a good year.", "contraction.pronoun"),
        ("We don't mind. The board says we'd seen it before.", "contraction.pronoun"),
        (f"{_FIRST}. It's been a good year for the team.", "punct.join_contracted"),
        # a sentence in brackets stays one
        (f"The plan is late ({_FIRST}, but we will wait for it).", "punct.but"),
        (f"The plan is late. ({_FIRST}. This means costs will fall.)", "punct.join"),
        # 'but' before something other than a clause
        (f"{_FIRST}, but not the budget for the following year.", "punct.but"),
        (f"{_FIRST}, but it the board will not accept.", "punct.but"),
        # 'next' before something other than a span of time that starts now
        ("The board will meet in the next room on Friday.", "phrase.next"),
        ("The board will meet in the next week of March.", "phrase.next"),
        # a quarter opening a sentence, before a year, in a range or after 'the'
        ("Q3 was a strong quarter for the team.", "date.quarter"),
        ("Sales rose again in Q3 2026 and the board was pleased.", "date.quarter"),
        ("Sales rose again in Q3-Q4 and the board was pleased.", "date.quarter"),
        ("The board was pleased with the Q3 results this year.", "date.quarter"),
        ("The patch adds another command to Q4 input for the team.", "date.quarter"),
        ("The patch adds another command to q4, as the team asked.", "date.quarter"),
        # 'each' as a pronoun, after its noun, before 'of' or 'other', or 'every' in an original
        ("Each has its own budget for the year.", "synonym.every"),
        ("The two teams each have a budget for the year.", "synonym.every"),
        ("The board asked for reports from each of the sites.", "synonym.every"),
        ("The parts cost the board $5 each this year.", "synonym.every"),
        ("The teams will support each other this year.", "synonym.every"),
        ("The board meets every two weeks to review the plan.", "synonym.every"),
        # 'no one' as a determiner, 'somebody' as a noun
        ("The board said no one solution fits every site.", "synonym.nobody"),
        ("The board said that she is a somebody in the trade.", "synonym.anyone"),
        ("The tool grants access to Everyone on the machine.", "synonym.anyone"),
        ("The daemon runs as user nobody for group nogroup.", "synonym.nobody"),
        # 'by' that is no deadline
        ("By Friday the costs had doubled again.", "phrase.by"),
        ("The plan was hit by Monday's outage at the site.", "phrase.by"),
        ("The talk was given by Monday Club members.", "phrase.by"),
        ("Sales are shown by region and by month.", "phrase.by"),
        # 'which' after a comma (not restrictive), a person, a time or 'way'; 'that' as a
        # content clause after a person
        ("The board read the figures, which we sent in May.", "phrase.relative_which"),
        ("The board noted the risk that we lose the contract.", "phrase.relative_which"),
        ("The board reminded the office that we close in May.", "phrase.relative_which"),
        ("The board read the figures we sent in May.", "phrase.relative_which"),
        ("The board told the team that we will cut costs.", "phrase.relative_which"),
        ("The board recalled the day that we met in May.", "phrase.relative_which"),
        ("The board liked the way that we work on it.", "phrase.relative_which"),
        ("The board read the plan we agreed in May.", "phrase.relative_which"),
        # a subject relative after a comma, a person, a verb; 'may' (written as the month)
        ("The board fixed the fault, which was found in May.", "phrase.which_subject"),
        ("The board thanked the user that has found the fault.", "phrase.which_subject"),
        ("The board thanked the people that have found the fault.", "phrase.which_subject"),
        ("The board said this means that is the end of it.", "phrase.which_subject"),
        ("The board fixed the fault that may cause the delay.", "phrase.which_subject"),
        # 'contact' as a noun
        ("The board said that your contact the office named will call.", "synonym.contact"),
        ("The board said the point of contact the team chose is away.", "synonym.contact"),
        # 'as expected by' a tool
        ("The file is in the format as expected by the tool.", "phrase.expected"),
        # 'whether' before 'to', with 'or not', opening a clause; 'if' as a condition
        ("The board will decide whether to go ahead.", "phrase.whether_if"),
        ("The board will ask whether the plan works or not.", "phrase.whether_if"),
        ("Whether we like it or not, the plan goes ahead.", "phrase.whether_if"),
        ("The board will ask if the plan works well.", "phrase.whether_if"),
        # 'should' opening a sentence, as a condition, in a question, before 'not' or 'like'
        ("Should you need help, please call the office.", "synonym.should"),
        ("If costs should rise, the board will act.", "synonym.should"),
        ("The board asked what should we do next year.", "synonym.should"),
        ("The board said the team should not wait.", "synonym.should"),
        ("The board said that I should like to see it.", "synonym.should"),
        ("The board said that we should be grateful for it.", "synonym.should"),
        # 'use' as a noun or in 'used to'
        ("The tool is for internal use the board said.", "synonym.use"),
        ("The board said we used to meet every week.", "synonym.use"),
        ("The board found many uses the team had missed.", "synonym.use"),
        # 'wish' and 'try' as nouns, 'to' as a preposition
        ("The board sent best wishes to all the staff.", "synonym.want"),
        ("The board noted the wish to expand the site.", "synonym.want"),
        ("The board said that we want to the end of May.", "synonym.want"),
        ("The board said it was a try to cut costs.", "synonym.try"),
        ("The board said two attempts to cut costs failed.", "synonym.try"),
        # 'check' as a noun or before a demonstrative; 'finish' as a noun; 'complete' originals
        ("The board ran a check that the team designed.", "synonym.check"),
        ("The board asked us to check that box on the form.", "synonym.check"),
        ("The board liked the matte finish the team chose.", "synonym.finish"),
        ("The staff will complete the form by Friday.", "synonym.finish"),
        # ", and" before no clause (a noun phrase, a verb of the first clause), in a list, after
        # "both", "between", a condition or a verb of saying, after an earlier ", and", before a
        # clause that goes on with ", and", or with a dash or a question
        (f"{_FIRST}, and the figures for the board.", "punct.and_clause"),
        (f"{_FIRST}, and the staff affected by the move.", "punct.and_clause"),
        (f"{_FIRST}, and approved by the board in May.", "punct.and_clause"),
        (f"{_FIRST}, and the board members agree.", "punct.and_clause"),
        (f"{_FIRST}, and the staff who were told are pleased.", "punct.and_clause"),
        ("Our finance team, our sales team, and the board have agreed to it.", "punct.and_clause"),
        (
            "Our finance team, our sales team, and the board have agreed to it.",
            "punct.and_clause_stop",
        ),
        (
            "We have both read the review of the budget for May, and the board was pleased.",
            "punct.and_clause",
        ),
        (
            "We chose between the review of the budget and the plan, and the board was told.",
            "punct.and_clause",
        ),
        (f"If {_LOWER}, and the board is pleased, we will act.", "punct.and_clause"),
        (f"We will act if {_LOWER}, and the board is pleased.", "punct.and_clause"),
        (
            "Since the policy of the board asks for it, and we can do it, it is better to act.",
            "punct.and_clause",
        ),
        (
            "Since the policy of the board asks for it, and we can do it, it is better to act.",
            "punct.and_clause_stop",
        ),
        (f"The board said {_LOWER}, and the staff were told.", "punct.and_clause"),
        (f"The board said that {_LOWER}, and we agreed.", "punct.and_clause_stop"),
        (f"We expect that {_LOWER}, and the board will agree.", "punct.and_clause"),
        (f"{_FIRST}, and we agreed, and the board was pleased.", "punct.and_clause"),
        (f"{_FIRST}, and the board was pleased, and so were we.", "punct.and_clause"),
        (f"{_FIRST}, and the board \u2014 as usual \u2014 was pleased.", "punct.and_clause"),
        (f"{_FIRST}, and was the board pleased?", "punct.and_clause"),
        (f"{_FIRST} and the board was pleased with it.", "punct.and_clause"),
        (f"{_FIRST}. The board was pleased with it.", "punct.and_clause"),
        (f"{_FIRST}; the board was pleased with it.", "punct.and_clause"),
        # a semicolon only where the next sentence does not open a join
        (f"{_FIRST}, and the board was pleased. This means costs fall.", "punct.and_clause"),
        (
            "We met in May. We cut the budget of the region this year, and the board was pleased.",
            "punct.and_clause",
        ),
        # "so" as "so that" (a purpose), "so far", "so many", or before no clause
        (f"{_FIRST}, so we can start in May.", "punct.so_clause"),
        (f"{_FIRST}, so that the board can read it.", "punct.so_clause"),
        (f"{_FIRST}, so far as we know.", "punct.so_clause"),
        (f"{_FIRST}, so many of the staff are pleased.", "punct.so_clause"),
        (f"{_FIRST}, so the board could read it in May.", "punct.so_clause"),
        (f"If {_LOWER}, so we will wait.", "punct.so_clause"),
        # an opening phrase whose scope holds both clauses
        (f"In May, {_LOWER}, and the board was pleased.", "punct.and_clause"),
        (f"In May, {_LOWER}, and the board was pleased.", "punct.and_clause_stop"),
        (f"In this case, {_LOWER}, so we decided to wait.", "punct.so_clause"),
        (f"In this case, {_LOWER}; the board was pleased.", "punct.semicolon_split"),
        # a semicolon before a list item or no clause; a full stop is never made a semicolon
        (f"{_FIRST}; the new site in Leeds.", "punct.semicolon_split"),
        (f"{_FIRST}. The board was pleased with it.", "punct.semicolon_split"),
        (f"If {_LOWER}; the board will act.", "punct.semicolon_split"),
        # a long opening clause before a subject it could run on into, or a short one
        (
            "Costs rose. When the board meets the staff of the new northern site in Leeds"
            " again, the team will report.",
            "punct.clause_comma_long",
        ),
        (
            "Costs rose. If the lease talks for the new northern site in Leeds go badly for"
            " us, it will cost us more.",
            "punct.clause_comma_long",
        ),
        (
            "Costs rose. If the talks slip by six weeks, we will tell the board.",
            "punct.clause_comma_long",
        ),
        # fifth round. 'may' of permission, opening a question, 'might' as an original
        ("The logo may be used on the company website.", "phrase.may"),
        ("Staff may be accompanied by a colleague at the meeting.", "phrase.may"),
        ("You may leave the meeting early if you need to.", "phrase.may"),
        ("May I be excused from the meeting on Friday?", "phrase.may"),
        ("If we had moved, the costs might be lower this year.", "phrase.may"),
        ("The document may not be copied without approval.", "phrase.may_not"),
        ("Staff may not be required to work on Sundays.", "phrase.may_not"),
        ("Each team may have two members on the board.", "phrase.may_have"),
        ("If the site had closed, we might have lost the contract.", "phrase.may_have"),
        # 'staff members' after a noun, or as a possessive; 'cases' that are no instances
        ("The IT staff members will review the plan.", "phrase.staff"),
        ("The board raised all staff members' pay this year.", "phrase.staff"),
        ("The board found fraud in some cases of expense claims.", "phrase.cases"),
        ("The goods were packed in some cases that we sent.", "phrase.cases"),
        # 'a number of' that is no 'several', and 'several' as an original
        ("There are quite a number of changes to the plan.", "phrase.number_of"),
        ("The board said a number of the sites will close.", "phrase.number_of"),
        ("The tool waits for a number of seconds before it retries.", "phrase.number_of"),
        ("The board has several reports to read this year.", "phrase.number_of"),
        # 'on' that a verb takes, or before a possessive
        ("The board will insist on Monday as the start date.", "phrase.on_day"),
        ("The team must decide on Friday or Monday for the launch.", "phrase.on_day"),
        ("The board will meet on Monday's train to the city.", "phrase.on_day"),
        # 'primary' that names a kind; 'big' and quantities
        ("The board said the primary school will close this year.", "synonym.main"),
        ("The board said the primary source is the city archive.", "synonym.main"),
        ("The board said a larger number of staff will move.", "synonym.largest"),
        ("The board said the big risk is timing this year.", "synonym.largest"),
        ("The board said the change is larger than planned.", "synonym.largest"),
        # 'immediately' before 'after', of place, 'effective immediately'; 'at once' originals
        ("The board will act immediately after the vote in May.", "synonym.immediately"),
        ("The change is effective immediately. It was agreed in May.", "synonym.immediately"),
        ("The list of sites follows immediately. It is short.", "synonym.immediately"),
        ("Please do not all speak at once. The board will wait.", "synonym.immediately"),
        ("The board will thus cut travel this year.", "synonym.therefore"),
        ("The afternoon meeting of the board ran late.", "synonym.noon"),
        # clock times: no 'a.m.', not an hour, the end of a range, a price
        ("Sales rose at 8.30 per cent a year in the region.", "number.clock"),
        ("The train to the city leaves at 14.30 pm on Fridays.", "number.clock"),
        ("The desk is staffed from 9 to 5 p.m. on weekdays.", "number.clock_hour"),
        ("The desk is staffed 4-5 p.m. on weekdays in May.", "number.clock_hour"),
        # 'more than' as no quantity; 'over' after a verb
        ("The board will spend no more than 40 dollars on it.", "number.over"),
        ("The firm took over 3 companies last year.", "number.over_back"),
        ("The payments are spread over 3 years by the board.", "number.over_back"),
        ("Lines of the code must not go over 80 columns.", "number.over_back"),
        # a change that is a noun, a participle or an object
        ("The board expects a rise of 5% in costs next year.", "number.change_now"),
        ("The board said costs have fallen 5% since May.", "number.change"),
        ("Costs were dropped by 5% in the review this year.", "number.change"),
        ("The tool will drop 10% of the samples at random.", "number.change_now"),
        ("We increased 5 prices in the review this year.", "number.change"),
        ("Drop 10% of the samples before the next run.", "number.change_now"),
        ("The board said the essential oils are in stock.", "synonym.essential"),
        ("The board said all staff are required to attend in May.", "synonym.required"),
        ("The board said it is required by law in the region.", "synonym.required"),
        ("The board said the required fields are on the form.", "synonym.required"),
        ("The board asked the team for an additional review of it.", "synonym.further"),
        # after an imperative, 'so' states a purpose and 'and' a consequence
        (
            "Add support for using the new store for the count data, so we don't run out of"
            " memory.",
            "punct.so_clause",
        ),
        (
            "Just re-compile them against the latest release of the library, and it should work"
            " fine.",
            "punct.and_clause",
        ),
        # 'may or may not be' is a pair
        ("The board said the result may or may not be relevant to the plan.", "phrase.may_not"),
        # a year, a hedge after 'of', zero, four digits
        ("The tool did not work since at least 2008 on the old system.", "number.over"),
        ("The field must have a value of at least 40 for the check to pass.", "number.over"),
        ("The function returns an error if the value is less than 0 in the test.", "number.over"),
        ("The limit is 1,000, and the team has more than 2000 items in the list.", "number.over"),
        ("Each request packet is at least 4 bytes long and holds the fields.", "number.over"),
        # 'at a minimum of' would become 'at at least'
        ("The tool will sleep at a minimum of 5 seconds between the retries.", "number.over_back"),
        # a count given as a value is no 'several'
        (
            "The variable specifies a number of directory components to be removed from the path.",
            "phrase.number_of",
        ),
        # the main clause started already ('then'), or an adverbial of time follows the comma
        (
            "If this feature is enabled then after all the rules of the file have been parsed"
            " again, this time the list is read.",
            "punct.clause_comma_time",
        ),
        (
            "When the talks for the new northern site in the region have gone on for weeks, this"
            " time the board will act.",
            "punct.clause_comma_time",
        ),
        # business prose
        # a noun of change that is no change, or no noun; 'a fall' and 'a drop' as originals
        ("The board expects an increase in order to meet demand.", "number.change_noun"),
        ("The board has seen an increase of the limit on spending.", "number.change_noun"),
        ("The guest had a fall in the garden of the hotel.", "number.change_noun"),
        ("The savings are a drop in the ocean for the board.", "number.change_noun"),
        ("The board expects prices to rise in the spring.", "number.change_noun_det"),
        ("The board will fall in line with the plan.", "number.change_noun_det"),
        ("We noted the drop in the ocean of paperwork.", "number.change_noun_det"),
        ("Use of the old system is on the decline in favour of the new.", "number.change_noun_det"),
        # 'as well as' as the original ('as good as')
        ("The new tool works as well as the old one.", "phrase.in_addition_to"),
        # 'slightly' inside a noun phrase, before a noun or an adjective that is no comparative
        ("The board booked a slightly larger room for the meeting.", "phrase.slightly"),
        ("The board expects slightly higher costs next year.", "phrase.slightly"),
        ("The board said the plan was slightly different this year.", "phrase.slightly"),
        ("The board waited a little while for the plan.", "phrase.slightly"),
        # a sign-off or greeting inside a sentence
        ("The board sends its kind regards to the whole team today.", "phrase.sign_off"),
        ("He said hello all the way down the corridor to the office.", "phrase.greeting"),
        (_MEMO_HEAD + "Dear all clinic managers, the plan is approved.", "phrase.greeting"),
        # 'along with' that a verb takes
        ("The team went along with the budget for the year.", "phrase.along"),
        ("The two teams get along with each other very well.", "phrase.along"),
    ],
)
def test_joins_and_new_variants_do_not_swap(text: str, variant: str) -> None:
    assert variant not in _ids(text)


def test_two_boundaries_in_a_row_are_never_both_joined() -> None:
    text = f"{_FIRST}. This means costs will fall. It is good news for the whole team."
    plan = plan_marks([text], key=KEY, layers=("wording",), style="bold")
    joins = [
        ix for ix in plan.positions().values() if plan.slots[ix[0]].variant != "contraction.pronoun"
    ]
    assert len(joins) == 1


def test_a_paragraph_may_open_with_a_word_that_joins() -> None:
    text = "This is the plan for the whole of next year. We will cut costs in May."
    assert "punct.join_contracted" in _ids("Intro\n\n" + text)
    assert "punct.join_contracted" not in _ids("The plan is late. " + text)
    split = "This is the plan. We think it works well for the team, but we will wait for it."
    assert "punct.but" in _ids(split)


def test_joins_are_bold_and_vetoable() -> None:
    text = (
        f"{_FIRST}. We will cut costs in May. The board agreed to the plan in full. This"
        " means costs will fall."
    )
    assert {"punct.join", "punct.join_contracted"} <= set(_ids(text))
    assert not {"punct.join", "punct.join_contracted"} & set(_ids(text, style="safe"))
    assert "punct.join_contracted" not in _ids(text, veto=("contraction",))
    assert "punct.join" in _ids(text, veto=("contraction",))
    assert not any(ident.startswith("punct.join") for ident in _ids(text, veto=("punct",)))


def test_no_form_spans_a_paragraph_break() -> None:
    assert "phrase.in_order" in _ids("The team worked late in order to finish the report.")
    assert "phrase.in_order" not in _ids("The team worked late in order\n\nto finish the report.")


def test_a_new_sentence_takes_a_capital_whoever_writes_its_first_word() -> None:
    text = f"{_FIRST}, and the majority of the staff have agreed to it."
    plan = plan_marks([text], key=KEY, layers=("wording",), style="bold")
    bits = np.maximum(plan.original_bits(), 0).astype(np.uint8)
    for indices in plan.positions().values():
        tree = plan.slots[indices[0]].tree
        variant = plan.slots[indices[0]].variant
        sides = tree.path(2 if variant == "punct.and_clause" else tree.forms - 1)
        for index in indices:
            bits[index] = sides.get(plan.slots[index].part, 0) ^ plan.slots[index].zero
    copy = render_marks([text], plan, bits)[0]
    assert "complete. Most of the staff" in copy
    assert np.array_equal(read_marks(copy, plan), plan.readings_of(bits))


def test_business_variants_are_safe_or_bold() -> None:
    text = "The board expects an increase in costs, in addition to rents slightly higher than now."
    assert {"number.change_noun", "phrase.in_addition_to", "phrase.slightly"} <= set(
        _ids(text, style="safe")
    )
    head = (
        _MEMO_HEAD
        + "Dear all,\n\nThe board has approved the plan.\n\n"
        + "Kind regards,\nAnn Lee, programme office"
    )
    assert not {"phrase.greeting", "phrase.sign_off"} & set(_ids(head, style="safe"))
    assert {"phrase.greeting", "phrase.sign_off"} <= set(_ids(head))
