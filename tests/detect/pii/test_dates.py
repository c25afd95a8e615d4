"""Dates of birth: a real date with a plausible year, after a label."""

from __future__ import annotations

import datetime

import pytest

from leaktrace.detect.pii.dates import birth_date
from tests.detect.pii.helpers import findings, rules

TODAY = datetime.date(2026, 6, 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("03/12/1985", datetime.date(1985, 12, 3)),  # day first when both readings work
        ("12/31/1985", datetime.date(1985, 12, 31)),  # month first when only it works
        ("1985-03-12", datetime.date(1985, 3, 12)),
        ("03.12.85", datetime.date(1985, 12, 3)),
        ("12 March 1985", datetime.date(1985, 3, 12)),
        ("March 12, 1985", datetime.date(1985, 3, 12)),
        ("3 février 1985", datetime.date(1985, 2, 3)),
        ("3. März 1985", datetime.date(1985, 3, 3)),
        ("01/02/20", datetime.date(2020, 2, 1)),
    ],
)
def test_dates_are_read(value: str, expected: datetime.date) -> None:
    assert birth_date(value, TODAY) == expected


@pytest.mark.parametrize(
    "value", ["31/02/1985", "03/12/1850", "03/12/2027", "12 Marchtember 1985", "1985-13-01"]
)
def test_impossible_birth_dates(value: str) -> None:
    assert birth_date(value, TODAY) is None


@pytest.mark.parametrize(
    "text",
    [
        "DOB: 03/12/1985",
        "Date of birth: 12 March 1985",
        "née le 3 février 1985",
        "Geburtsdatum: 03.12.1985",
        '{"date_of_birth": "1985-03-12"}',
        "birthDate=1985-03-12",
    ],
)
def test_labelled_dates_are_birth_dates(text: str) -> None:
    [finding] = findings(text)
    assert finding.rule == "date-of-birth"
    assert finding.severity.label == "medium"


def test_unlabelled_dates_are_not() -> None:
    assert rules("Released 03/12/1985. Updated 1985-03-12.") == []


def test_one_birth_date_written_two_ways_is_one_finding() -> None:
    assert rules("DOB: 1985-03-12\nDate of birth: 12 March 1985\n") == ["date-of-birth"]
