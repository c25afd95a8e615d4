"""National identifiers: each country's validity rules, and labels for bare digit runs."""

from __future__ import annotations

import pytest

from tests.detect.pii.helpers import findings, rules


@pytest.mark.parametrize(
    ("text", "rule", "country"),
    [
        ("SSN 536-22-1234", "us-ssn", "US"),
        ("social security number: 536221234", "us-ssn", "US"),
        ("SIN: 130 692 544", "ca-sin", "CA"),
        ("NIR 2 95 10 99 126 111 93", "fr-nir", "FR"),
        ("Steuer-ID: 36 574 261 809", "de-idnr", "DE"),
        ("BSN: 111222333", "nl-bsn", "NL"),
        ("DNI 54362315K", "es-dni", "ES"),
        ("NIE X2482300W", "es-dni", "ES"),
        ("codice fiscale RCCMNL83S18D969H", "it-codice-fiscale", "IT"),
        ("personnummer 880320-0016", "se-personnummer", "SE"),
        ("Aadhaar: 2341 2341 2346", "in-aadhaar", "IN"),
        ("HETU 131052-308T", "fi-hetu", "FI"),
        ("NINO AB 12 34 56 C", "gb-nino", "GB"),
    ],
)
def test_valid_identifiers_are_found(text: str, rule: str, country: str) -> None:
    [finding] = findings(text)
    assert (finding.rule, finding.details["country"]) == (rule, country)
    assert finding.details["kind"] == "national-id"
    assert finding.severity.label == "high"


@pytest.mark.parametrize(
    "text",
    [
        "SSN 000-12-1234",  # area 000 is never issued
        "SSN 666-12-1234",  # nor 666
        "SSN 912-34-5678",  # nor 9xx
        "SSN 536-00-1234",  # nor group 00
        "SSN 536-22-0000",  # nor serial 0000
        "SIN: 130 692 545",
        "Steuer-ID: 36 574 261 890",
        "BSN: 111222334",
        "DNI 54362315Z",
        "codice fiscale RCCMNL83S18D969J",
        "personnummer 881320-0016",  # month 13
        "HETU 131052-308U",
        "NINO QQ 12 34 56 C",  # prefix never issued
        "Aadhaar: 2341 2341 2347",  # Verhoeff fails
    ],
)
def test_identifiers_failing_their_rules_are_ignored(text: str) -> None:
    assert rules(text) == []


@pytest.mark.parametrize(
    "number", ["130 692 544", "36574261809", "111222333", "2341 2341 2346", "536221234"]
)
def test_bare_digit_runs_need_their_label(number: str) -> None:
    assert rules(f"reference {number}") == []


def test_published_example_ssns_are_not_reported() -> None:
    assert rules("SSN 078-05-1120") == []


def test_a_dashed_ssn_near_an_order_number_word_is_dropped() -> None:
    assert rules("order no. 536-22-1234") == []
    assert rules("536-22-1234") == ["us-ssn"]
