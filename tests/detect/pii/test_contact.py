"""E-mail addresses and phone numbers."""

from __future__ import annotations

import pytest

from leaktrace.core.errors import PolicyError
from leaktrace.detect.pii.contact import assess_email, assess_phone
from tests.detect.pii.helpers import findings, rules


def test_an_address_is_found_with_its_domain() -> None:
    [finding] = findings("Contact: jane.doe@harborlane.co.uk.")
    assert finding.rule == "email"
    assert finding.details["domain"] == "harborlane.co.uk"
    assert finding.severity.label == "low"


@pytest.mark.parametrize(
    "address",
    [
        "jane@example.com",
        "jane@mail.example.org",
        "ops@host.test",
        "a@b.invalid",
        "me@localhost.localhost",
    ],
)
def test_documentation_domains_are_never_reported(address: str) -> None:
    assert assess_email(address) is None
    assert rules(f"mail {address}") == []


@pytest.mark.parametrize(
    "text",
    ["logo@2x.png", "npm i lodash@4.17.21", "@dataclass(frozen=True)", "https://u:pw@host.com/"],
)
def test_things_that_only_look_like_addresses(text: str) -> None:
    assert rules(text) == []


def test_service_mailboxes_have_a_low_confidence() -> None:
    assert rules("From: noreply@harborlane.com") == []
    assert rules("git clone git@github.com:org/repo.git") == []
    [finding] = findings("noreply@harborlane.com", min_confidence=0.1)
    assert finding.details["note"] == "service mailbox"


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("+44 20 7183 8750", "GB"),
        ("+1 (415) 555-2671", "US"),
        ("+33 1 23 45 67 89", "FR"),
        ("+49 30 901820", "DE"),
        ("Tel: (415) 555-2671", "US"),
        ("Mobile: 415.555.2671", "US"),
    ],
)
def test_phone_numbers_are_found(text: str, country: str) -> None:
    [finding] = findings(text)
    assert finding.rule == "phone"
    assert finding.details["country"] == country


@pytest.mark.parametrize(
    "text",
    [
        "+1 23",  # too short
        "+44 99 1234 5678",  # no such British area code
        "1e+308",
        "version 2.10.3-1234",
        "2023-11-29T06:17:56+01:00",
        "415-555-2671",  # a North American shape alone needs a context word
    ],
)
def test_things_that_are_not_phone_numbers(text: str) -> None:
    assert rules(text) == []


def test_a_north_american_shape_with_a_context_word_is_a_phone() -> None:
    assert rules("call me on 415-555-2671") == ["phone"]


def test_national_numbers_are_read_in_the_default_region() -> None:
    text = "Tel: (020) 7183 8750"
    assert rules(text) == []
    [finding] = findings(text, default_region="GB")
    assert finding.details["country"] == "GB"
    assessment = assess_phone("(020) 7183 8750", region="GB")
    assert assessment is not None and assessment.normalized == "+442071838750"


def test_an_unknown_default_region_is_a_policy_error() -> None:
    with pytest.raises(PolicyError, match="default_region"):
        findings("x", default_region="Atlantis")


@pytest.mark.parametrize("number", ["+44 20 7946 0018", "+1 (415) 555-0142", "+61 491 570 156"])
def test_numbers_reserved_for_fiction_are_not_reported(number: str) -> None:
    assert rules(f"Tel: {number}") == []
    [finding] = findings(f"Tel: {number}", min_confidence=0.1)
    assert finding.details["note"] == "range reserved for fiction"
