"""International bank account numbers: country, per-country length, ISO 7064 mod-97 check.

Accepted in the electronic form (``DE89370400440532013000``) and the printed one, in groups of
four separated by single spaces (``DE89 3704 0044 0532 0130 00``), in capitals. A random string
with a right country and length passes mod-97 once in 97 times, so a valid IBAN is reported
with a high confidence that context words move.
"""

from __future__ import annotations

from leaktrace.core.finding import Severity
from leaktrace.detect.pii._rule import Assessment, PiiRule, pii_rule

# IBAN length per country (the SWIFT IBAN registry): all SEPA countries and the other common ones.
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "BI": 27, "DJ": 27, "FK": 18, "HN": 28,
    "LY": 25, "MN": 20, "NI": 28, "OM": 23, "RU": 33, "SD": 18, "SO": 23, "YE": 30,
}  # fmt: skip
# The examples standards and banks publish: documentation, not someone's account.
DOCUMENTED_EXAMPLES = frozenset(
    {
        "DE89370400440532013000",
        "GB82WEST12345698765432",
        "GB29NWBK60161331926819",
        "FR1420041010050500013M02606",
        "NL91ABNA0417164300",
        "BE68539007547034",
        "NO9386011117947",
        "CH9300762011623852957",
        "ES9121000418450200051332",
        "IT60X0542811101000000123456",
        "AT611904300234573201",
    }
)


def mod97(iban: str) -> bool:
    """ISO 13616: move the first four characters to the end, letters to 10..35, mod 97 is 1."""
    rearranged = iban[4:] + iban[:4]
    try:
        return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1
    except ValueError:
        return False


def assess_iban(value: str) -> Assessment | None:
    iban = value.replace(" ", "")
    country = iban[:2]
    if IBAN_LENGTHS.get(country) != len(iban) or not iban[2:4].isdigit():
        return None
    if " " in value and any(len(g) != 4 for g in value.split(" ")[:-1]):
        return None
    if not mod97(iban):
        return None
    if iban in DOCUMENTED_EXAMPLES:
        return Assessment(0.2, iban, {"country": country, "note": "documented example"})
    return Assessment(0.8, iban, {"country": country})


IBAN_RULES: tuple[PiiRule, ...] = (
    pii_rule(
        "iban",
        "International bank account number (IBAN)",
        # Any two capitals: a native prefilter is faster on that than on 90 two-letter words.
        r"(?P<value>[A-Z](?<![A-Za-z0-9].)[A-Z]\d\d ?[A-Z0-9]{4} ?[A-Z0-9]{4}(?: ?[A-Z0-9]{4})*"
        r"(?: ?[A-Z0-9]{1,3})?)(?:[^A-Za-z0-9]|$)",
        kind="iban",
        assess=assess_iban,
        max_span=48,
        severity=Severity.MEDIUM,
        raising=(
            "iban",
            "bank",
            "account",
            "acct",
            "bic",
            "swift",
            "sepa",
            "transfer",
            "wire",
            "payee",
            "beneficiary",
            "konto",
            "kontonummer",
            "bankverbindung",
            "rib",
            "compte",
            "cuenta",
            "conto",
        ),
        must_match=(
            "IBAN: DE50 5260 1815 9083 0166 13",
            "FR53 1860 9139 0996 0308 2462 819",
            "ES7848219935181909378657",
            "pay to NL3376018955597971 today",
            "CH42 0342 3667 1276 8426 8",
            "GB82WEST12345698765432",
        ),
        must_not_match=(
            "DE51 5260 1815 9083 0166 13",
            "ES784821993518190937865",
            "XX50526018159083016613",
            "DE50 52601815 9083 0166 13",
            "de50526018159083016613",
        ),
    ),
)
