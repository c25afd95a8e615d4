"""Dates of birth: a date right after a label that says it is one.

Dates are everywhere (changelogs, logs, copyright lines), so a date counts only after a label:
"DOB", "date of birth", "born (on)", "birthday", "né(e) le", "Geburtsdatum", "geb.", "fecha de
nacimiento", "data di nascita", field names such as ``date_of_birth`` or ``birthDate``. The
date must be a real calendar date (day-month-year, month-day-year or year-month-day, numeric or
with a month name in English, French, German, Spanish or Italian) with a plausible birth year:
not in the future and at most 120 years ago.
"""

from __future__ import annotations

import datetime
import re

from leaktrace.core.finding import Severity
from leaktrace.detect.pii._rule import Assessment, Labelled, PiiRule, pii_rule

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "jan january janvier januar jänner enero gennaio",
        "feb february février fevrier februar febrero febbraio",
        "mar march mars märz maerz marzo",
        "apr april avril abril aprile",
        "may mai mayo maggio",
        "jun june juin juni junio giugno",
        "jul july juillet juli julio luglio",
        "aug august août aout agosto",
        "sep sept september septembre septiembre settembre",
        "oct october octobre oktober octubre ottobre",
        "nov november novembre noviembre",
        "dec december décembre decembre dezember diciembre dicembre",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_NUMERIC = re.compile(r"^(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th|er)?\.? (?:of |de )?(\w+)\.?,? (\d{4})$")
_MONTH_DAY = re.compile(r"^(\w+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$")
MAX_AGE = 120


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _full_year(year: str, today: datetime.date) -> int:
    if len(year) == 4:
        return int(year)
    if len(year) != 2:
        return -1
    century = 2000 if 2000 + int(year) <= today.year else 1900
    return century + int(year)


def _candidates(value: str, today: datetime.date) -> list[datetime.date | None]:
    numeric = _NUMERIC.match(value)
    if numeric:
        first, second, third = numeric.groups()
        if len(first) == 4:  # year-month-day
            return [_date(int(first), int(second), int(third))]
        year = _full_year(third, today)
        if year < 0 or len(first) > 2:
            return []
        return [_date(year, int(second), int(first)), _date(year, int(first), int(second))]
    named = _DAY_MONTH.match(value)
    if named:
        month = _MONTHS.get(named.group(2).lower())
        return [_date(int(named.group(3)), month, int(named.group(1)))] if month else []
    named = _MONTH_DAY.match(value)
    if named:
        month = _MONTHS.get(named.group(1).lower())
        return [_date(int(named.group(3)), month, int(named.group(2)))] if month else []
    return []


def birth_date(value: str, today: datetime.date | None = None) -> datetime.date | None:
    """The date ``value`` denotes, if it is a plausible date of birth (day first when both
    readings are valid)."""
    today = today or datetime.date.today()
    for date in _candidates(value, today):
        if date is not None and today.year - MAX_AGE <= date.year and date <= today:
            return date
    return None


def assess_birth_date(value: str) -> Assessment | None:
    date = birth_date(value)
    if date is None:
        return None
    return Assessment(0.6, date.isoformat())


def assess_table_date(value: str) -> Assessment | None:
    """A plausible birth date in a table cell: weak alone, a birth date under its header."""
    date = birth_date(value)
    return Assessment(0.35, date.isoformat()) if date is not None else None


_MONTH = r"[A-Za-zÀ-ÿ]{3,10}"
_DATE = (
    r"\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th|er)?\.? (?:of |de )?{_MONTH}\.?,? \d{{4}}"
    rf"|{_MONTH}\.? \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}"
)

# Words near a date (or a column header above it) that say it is a birth date.
_BIRTH_WORDS = (
    "date of birth",
    "dob",
    "birth",
    "birthdate",
    "birthday",
    "naissance",
    "geburtsdatum",
    "nacimiento",
    "nascita",
    "födelsedatum",
    "geboortedatum",
)

DATE_RULES: tuple[PiiRule, ...] = (
    pii_rule(
        "date-of-birth",
        "Date of birth",
        None,
        kind="date-of-birth",
        assess=assess_birth_date,
        severity=Severity.MEDIUM,
        raising=("d.o.b", *_BIRTH_WORDS),
        label=Labelled(
            (
                r"date[ _]?of[ _]?birth",
                r"birth[ _]?date",
                r"d\.?o\.?b",
                r"born(?: on)?",
                r"birthday",
                r"n[ée]e? le",
                r"date de naissance",
                r"geburtsdatum",
                r"geb",
                r"geboren(?: am)?",
                r"fecha de nacimiento",
                r"data di nascita",
                r"f[öo]delsedatum",
                r"geboortedatum",
            ),
            _DATE,
            must_match=(
                "DOB: 03/12/1985",
                "Date of birth: 12 March 1985",
                "born on March 12, 1985",
                "born on November 5, 1985",
                "née le 3 février 1985",
                "Geburtsdatum: 03.12.1985",
                '"date_of_birth": "1985-03-12"',
                "D.O.B. 12-03-85",
            ),
            must_not_match=(
                "DOB: 31/02/1985",
                "DOB: 03/12/1850",
                "DOB: 03/12/2999",
                "released 03/12/1985",
                "born on Marchtember 12, 1985",
            ),
        ),
    ),
    # A date alone in a cell of a delimited table counts only under a column header that
    # says it is a birth date (``date_of_birth``, ``DOB``): the header's raise is needed to
    # reach the default threshold, and an ``order_date`` column never gets it.
    pii_rule(
        "date-of-birth-column",
        "Date of birth in a table column",
        rf"(?:^|[,;\t|])(?P<value>{_DATE})(?=[,;\t|\r\n]|$)",
        kind="date-of-birth",
        assess=assess_table_date,
        severity=Severity.MEDIUM,
        flags=re.MULTILINE,
        raising=_BIRTH_WORDS,
        must_match=("P1,Jessica Jansen,1992-07-25,Hamburg", "7;03.12.1985"),
        must_not_match=("P1,Jessica Jansen,2999-07-25,Hamburg", "released 1992-07-25"),
    ),
)
