"""Payment card numbers: issuer ranges (IIN) and lengths, the Luhn check, consistent grouping.

A candidate is 13 to 19 digits, contiguous or grouped the way cards are printed (4-4-4-4,
4-4-4-4-3, Amex's 4-6-5, Diners' 4-6-4) with one kind of separator. It counts when its prefix
and length belong to a card scheme and it passes Luhn. The card numbers that payment
processors publish for testing (and numbers made mostly of one repeated digit) are kept with a
low confidence that stays under the default threshold even next to a context word. UnionPay
numbers that do not use Luhn and 12-digit Maestro numbers are not detected.
"""

from __future__ import annotations

import re

from leaktrace.core.finding import Severity
from leaktrace.detect.pii._rule import Assessment, PiiRule, digits, luhn, pii_rule

# (scheme, IIN ranges as (low, high) over the first 2 to 6 digits, allowed lengths)
_SCHEMES: tuple[tuple[str, tuple[tuple[int, int], ...], frozenset[int]], ...] = (
    ("amex", ((34, 34), (37, 37)), frozenset({15})),
    ("visa", ((4, 4),), frozenset({13, 16, 19})),
    ("mastercard", ((51, 55), (2221, 2720)), frozenset({16})),
    (
        "maestro",
        (
            (5018, 5018),
            (5020, 5020),
            (5038, 5038),
            (5893, 5893),
            (6304, 6304),
            (6759, 6759),
            (6761, 6763),
        ),
        frozenset(range(13, 20)),
    ),
    ("discover", ((6011, 6011), (644, 649), (65, 65), (622126, 622925)), frozenset(range(16, 20))),
    ("unionpay", ((62, 62), (81, 81)), frozenset(range(16, 20))),
    ("jcb", ((3528, 3589),), frozenset(range(16, 20))),
    ("diners", ((300, 305), (3095, 3095), (36, 36), (38, 39)), frozenset(range(14, 20))),
)

# Numbers card processors publish for testing integrations.
_TEST_NUMBERS = frozenset(
    {
        "4111111111111111",
        "4242424242424242",
        "4012888888881881",
        "4000056655665556",
        "4005519200000004",
        "4009348888881881",
        "4012000033330026",
        "4012000077777777",
        "4217651111111119",
        "4500600000000061",
        "4444333322221111",
        "4917610000000000",
        "4462030000000000",
        "5555555555554444",
        "5105105105105100",
        "5200828282828210",
        "5454545454545454",
        "5431111111111111",
        "2223003122003222",
        "2223000048400011",
        "378282246310005",
        "371449635398431",
        "378734493671000",
        "6011111111111117",
        "6011000990139424",
        "6011000400000000",
        "3056930009020004",
        "36227206271667",
        "30569309025904",
        "38520000023237",
        "3566002020360505",
        "3530111333300000",
        "3566111111111113",
        "6200000000000005",
        "6759649826438453",
        "6331101999990016",
    }
)
# Not inside a word or a longer number: checked after the first character (see _rule.py). A
# comma before it is a table's delimiter, unless a digit precedes the comma (1,234,567...).
START = r"(?<![\w.-].)(?<!\d,.)"
_RUN = re.compile(r"(\d)\1{6}")
_GROUPED = {
    (4, 4, 4, 4),
    (4, 4, 4, 4, 3),
    (4, 4, 4, 4, 2),
    (4, 4, 4, 4, 1),
    (4, 4, 4, 1),
    (4, 4, 4, 2),
    (4, 4, 4, 3),
    (4, 6, 5),
    (4, 6, 4),
}


def scheme(number: str) -> str | None:
    """The card scheme whose IIN range and length ``number`` (digits only) belongs to."""
    for name, ranges, lengths in _SCHEMES:
        if len(number) not in lengths:
            continue
        for low, high in ranges:
            width = len(str(low))
            if low <= int(number[:width]) <= high:
                return name
    return None


def well_grouped(value: str) -> bool:
    """Contiguous, or printed in a card's groups with one kind of separator."""
    separators = {c for c in value if not c.isdigit()}
    if not separators:
        return True
    if len(separators) > 1:
        return False
    groups = tuple(len(g) for g in value.split(separators.pop()))
    return groups in _GROUPED


def assess_card(value: str) -> Assessment | None:
    number = digits(value)
    if not well_grouped(value) or not luhn(number):
        return None
    name = scheme(number)
    if name is None:
        return None
    test_number = number in _TEST_NUMBERS or _RUN.search(number) is not None
    details = {"issuer": name}
    if test_number:
        details["note"] = "published test number or repeated digits"
    if test_number:
        return Assessment(0.2, number, details)
    # Most cards have 15 or 16 digits; other lengths, run together, are as often other numbers
    # (EAN-13 barcodes, 19-digit identifiers) and need a context word.
    usual = len(number) in (15, 16) or value != number
    return Assessment(0.75 if usual else 0.45, number, details)


CARD_RULES: tuple[PiiRule, ...] = (
    pii_rule(
        "card-number",
        "Payment card number",
        # 13 digits or more; unbounded (one digit per step, so no backtracking blow-up) because
        # bounded repeats of groups make the native prefilter slow. well_grouped() decides.
        rf"(?P<value>[2-6]{START}(?<!\d .)(?:\d{{3}}[ -]?\d{{4}}[ -]?\d{{4}}[ -]?\d(?:[ -]?\d)*"
        r"|\d{3}[ -]?\d{6}[ -]?\d{4,5}))(?:[^\w ,.-]|[ ,.](?!\d)|$)",
        kind="card",
        assess=assess_card,
        severity=Severity.HIGH,
        raising=(
            "card",
            "credit",
            "debit",
            "visa",
            "mastercard",
            "master card",
            "amex",
            "american express",
            "discover",
            "jcb",
            "diners",
            "maestro",
            "unionpay",
            "cc",
            "ccn",
            "pan",
            "cardholder",
            "expiry",
            "exp",
            "cvv",
            "cvc",
            "payment",
            "carte",
            "karte",
            "kreditkarte",
            "tarjeta",
        ),
        must_match=(
            "Visa: 4556 7375 8689 9855",
            "card 5425-4500-1752-8749",
            "4556488805510176",
            "amex 3714 939721 45278",
            "2720 9355 3324 7229",
            "JCB 3530 1813 9542 2984",
            "Diners 36703563182481",
            "6011-0567-9107-5530",
            "6250466398310810",
            "Maestro 6759 2893 8229 6768 86",
        ),
        must_not_match=(
            "4556 7375 8689 9856",
            "4556-7375 8689 9855",
            "1234 5678 9012 3452",
            "9556488805510176",
            "v 4556488805510176.2",
            "id=4556488805510176abc",
            "3 4556488805510176",
        ),
    ),
)
