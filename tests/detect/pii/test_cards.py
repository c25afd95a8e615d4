"""Card numbers: issuer ranges, lengths, Luhn, grouping, published test numbers, context."""

from __future__ import annotations

import pytest

from leaktrace.detect.pii._rule import luhn
from leaktrace.detect.pii.cards import assess_card, scheme, well_grouped
from tests.detect.pii.helpers import findings, rules


@pytest.mark.parametrize(
    ("number", "issuer"),
    [
        ("4556488805510176", "visa"),
        ("5425450017528749", "mastercard"),
        ("2720935533247229", "mastercard"),
        ("371493972145278", "amex"),
        ("3530181395422984", "jcb"),
        ("36703563182481", "diners"),
        ("6011056791075530", "discover"),
        ("6250466398310810", "unionpay"),
        ("675928938229676886", "maestro"),
    ],
)
def test_each_scheme_is_recognized(number: str, issuer: str) -> None:
    assert luhn(number)
    assert scheme(number) == issuer
    [finding] = findings(f"card number {number}")
    assert finding.rule == "card-number"
    assert finding.details["issuer"] == issuer
    assert finding.details["kind"] == "card"


@pytest.mark.parametrize(
    "number",
    [
        "4556488805510177",  # fails Luhn
        "5425450017528740",  # fails Luhn
        "455648880551017",  # a Visa prefix, but 15 digits
        "2721000000000005",  # past Mastercard's 2221-2720 range
        "7992739871300000",  # no scheme starts with 7
    ],
)
def test_numbers_failing_their_checks_are_ignored(number: str) -> None:
    assert rules(f"card number {number}") == []


def test_grouping_must_be_consistent() -> None:
    assert well_grouped("4556 4888 0551 0176")
    assert well_grouped("4556-4888-0551-0176")
    assert well_grouped("3714 939721 45278")
    assert not well_grouped("4556-4888 0551-0176")
    assert not well_grouped("45 5648 8805 5101 76")
    assert rules("card 4556 4888 0551 0176") == ["card-number"]
    assert rules("card 4556-4888 0551 0176") == []


def test_published_test_numbers_stay_under_the_default_threshold() -> None:
    assessment = assess_card("4111 1111 1111 1111")
    assert assessment is not None and assessment.confidence < 0.5
    assert rules("Use 4242 4242 4242 4242 in the sandbox") == []
    [finding] = findings("Use 4242 4242 4242 4242 in the sandbox", min_confidence=0.1)
    assert "test number" in finding.details["note"]


def test_context_words_raise_and_lower_the_confidence() -> None:
    [plain] = findings("ref 4556488805510176")
    [card] = findings("Visa card: 4556488805510176")
    assert card.details["confidence"] > plain.details["confidence"]
    assert "+visa" in card.details["context"]
    assert rules("Order ID 4556488805510176") == []
    [low] = findings("Order ID 4556488805510176", min_confidence=0.1)
    assert "-order id" in low.details["context"]


def test_one_card_written_two_ways_is_one_finding() -> None:
    text = "card 4556 4888 0551 0176\nagain: 4556488805510176\n"
    [finding] = findings(text)
    assert finding.line == 1


def test_digits_inside_longer_numbers_and_words_are_not_cards() -> None:
    text = (
        "x = 0.4556488805510176\n"
        "id=A4556488805510176\n"
        "45564888055101761234\n"
        "2 4556488805510176\n"
        "sha 1a4556488805510176\n"
    )
    assert rules(text) == []
