"""IBANs: per-country length, mod-97, printed groups, documented examples."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import stdnum

from leaktrace.detect.pii.iban import IBAN_LENGTHS, assess_iban, mod97
from tests.detect.pii.helpers import findings, rules


@pytest.mark.parametrize(
    "iban",
    [
        "DE50 5260 1815 9083 0166 13",
        "DE50526018159083016613",
        "FR53 1860 9139 0996 0308 2462 819",
        "ES78 4821 9935 1819 0937 8657",
        "IT69 9754 3231 9487 5749 1186 252",
        "CH42 0342 3667 1276 8426 8",
    ],
)
def test_valid_ibans_are_found(iban: str) -> None:
    [finding] = findings(f"Please transfer to {iban}.")
    assert finding.rule == "iban"
    assert finding.details["country"] == iban[:2]
    assert finding.severity.label == "medium"


@pytest.mark.parametrize(
    "text",
    [
        "DE51 5260 1815 9083 0166 13",  # wrong check digits
        "DE50 5260 1815 9083 0166 1",  # too short for Germany
        "DE50 5260 1815 9083 0166 133",  # too long for Germany
        "QQ50 5260 1815 9083 0166 13",  # no such country
        "DE50 52601815 9083 0166 13",  # groups of four, or none
    ],
)
def test_invalid_ibans_are_ignored(text: str) -> None:
    assert rules(f"IBAN {text}") == []


def test_mod97() -> None:
    assert mod97("GB82WEST12345698765432")
    assert not mod97("GB82WEST12345698765433")


def test_documented_examples_stay_under_the_default_threshold() -> None:
    assessment = assess_iban("DE89 3704 0044 0532 0130 00")
    assert assessment is not None and assessment.confidence < 0.5
    assert rules("e.g. DE89 3704 0044 0532 0130 00") == []


def test_the_length_table_agrees_with_the_iban_registry() -> None:
    """python-stdnum ships the SWIFT registry; every country in our table must agree with it."""
    registry = (Path(stdnum.__file__).parent / "iban.dat").read_text(encoding="utf-8")
    lengths = {
        country: 4 + sum(int(n) for n in re.findall(r"(\d+)!", bban))
        for country, bban in re.findall(r'^([A-Z]{2}) .*bban="([^"]*)"', registry, re.M)
    }
    for country, length in IBAN_LENGTHS.items():
        assert lengths[country] == length, country
    for country in ("DE", "FR", "NL", "BE", "IT", "ES", "AT", "PT", "IE", "FI", "SE", "DK", "PL"):
        assert country in IBAN_LENGTHS
