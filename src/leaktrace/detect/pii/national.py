"""National identifiers, validated with python-stdnum (dates, check digits, ranges).

Identifiers with a printed shape of their own (a dashed US SSN, a Spanish DNI's check letter,
an Italian codice fiscale, a Finnish HETU, a UK NINO's letters) are looked for anywhere.
Identifiers that are bare digit runs (Canadian SIN, German Steuer-ID, Dutch BSN, Indian
Aadhaar, an undashed SSN or NIR) are looked for only right after a label naming them ("BSN:",
"Steuer-ID", "Aadhaar No."), since a nine-digit number passes an 11-check one time in eleven.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from stdnum.ca import sin
from stdnum.de import idnr
from stdnum.es import dni, nie
from stdnum.fi import hetu
from stdnum.fr import nir
from stdnum.in_ import aadhaar
from stdnum.it import codicefiscale
from stdnum.nl import bsn
from stdnum.se import personnummer
from stdnum.us import ssn

from leaktrace.core.finding import Severity
from leaktrace.detect.pii._rule import Assessment, Labelled, PiiRule, pii_rule

_SEPARATORS = re.compile(r"[\s.\-]")
# SSNs that were published or used as examples (Woolworth's wallet card, advertising).
_EXAMPLE_SSNS = frozenset({"078051120", "219099999", "123456789", "457555462"})
# UK NINO prefixes never issued.
_NINO_PREFIXES = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})
_NINO = re.compile(r"^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$")


def _checked(
    country: str, is_valid: Callable[[str], bool], confidence: float, compacted: bool = True
) -> Callable[[str], Assessment | None]:
    """An assessment from a python-stdnum ``is_valid`` applied to the value (without its
    spaces, dots and dashes when ``compacted``)."""

    def assess(value: str) -> Assessment | None:
        compact = _SEPARATORS.sub("", value).upper() if compacted else value.upper()
        if not is_valid(compact):
            return None
        return Assessment(confidence, compact, {"country": country})

    return assess


def assess_ssn(value: str) -> Assessment | None:
    compact = _SEPARATORS.sub("", value)
    if len(compact) != 9 or not ssn.is_valid(compact):
        return None
    if compact in _EXAMPLE_SSNS:
        return Assessment(0.2, compact, {"country": "US", "note": "published example"})
    return Assessment(0.6 if "-" in value else 0.7, compact, {"country": "US"})


def assess_nino(value: str) -> Assessment | None:
    compact = value.replace(" ", "").upper()
    if not _NINO.match(compact) or compact[:2] in _NINO_PREFIXES:
        return None
    return Assessment(0.55, compact, {"country": "GB"})


def assess_spanish(value: str) -> Assessment | None:
    compact = _SEPARATORS.sub("", value).upper()
    if compact[0] in "XYZ":
        kind, valid, confidence = "NIE", nie.is_valid(compact), 0.6
    else:
        kind, valid, confidence = "DNI", dni.is_valid(compact), 0.55
    return Assessment(confidence, compact, {"country": "ES", "type": kind}) if valid else None


# Not inside a word or a longer number: checked after the first character (see _rule.py).
_W = r"(?<![\w-].)(?<!\d\..)"  # not inside a word, a dashed code or a decimal ("1.38435736E+12")
_E = r"(?:[^\w-]|$)"

NATIONAL_RULES: tuple[PiiRule, ...] = (
    pii_rule(
        "us-ssn",
        "US Social Security number",
        rf"(?P<value>\d{_W}\d\d-\d\d-\d{{4}}){_E}",
        kind="national-id",
        assess=assess_ssn,
        severity=Severity.HIGH,
        raising=("ssn", "social security", "ss#", "taxpayer", "tin", "itin"),
        must_match=("SSN 536-22-1234", "536-22-1234", "employee: 701-44-8012"),
        must_not_match=("000-12-1234", "666-12-1234", "912-34-5678", "536-00-1234", "1536-22-1234"),
        label=Labelled(
            (r"ssn", r"ss#", r"social[ -]security"),
            r"\d{3}[- ]?\d{2}[- ]?\d{4}",
            must_match=("SSN: 536221234", "Social Security Number 536 22 1234", "ssn='701448012'"),
            must_not_match=("SSN: 666221234", "ssn 536221234567", "assn 536221234"),
        ),
    ),
    pii_rule(
        "ca-sin",
        "Canadian Social Insurance Number",
        None,
        kind="national-id",
        assess=_checked("CA", sin.is_valid, 0.7),
        severity=Severity.HIGH,
        raising=("sin", "social insurance", "nas", "assurance sociale"),
        label=Labelled(
            (r"sin", r"social insurance", r"nas", r"num[ée]ro d'assurance sociale"),
            r"\d{3}[- ]?\d{3}[- ]?\d{3}",
            must_match=("SIN: 130 692 544", "Social Insurance Number 193-456-787"),
            must_not_match=("SIN: 130 692 545", "130 692 544", "basin 130692544"),
        ),
    ),
    pii_rule(
        "fr-nir",
        "French social security number (NIR)",
        rf"(?P<value>[12378]{_W} \d\d (?:0[1-9]|1[0-2]|[2-9]\d) (?:\d\d|2[AB])"
        rf" \d{{3}} \d{{3}} \d\d){_E}",
        kind="national-id",
        assess=_checked("FR", nir.is_valid, 0.7),
        severity=Severity.HIGH,
        raising=("nir", "insee", "sécurité sociale", "securite sociale", "sécu", "secu", "vitale"),
        must_match=("2 95 10 99 126 111 93", "n° sécu : 2 95 10 99 126 111 93"),
        must_not_match=("2 95 10 99 126 111 94", "295109912611193"),
        label=Labelled(
            (r"nir", r"insee", r"s[ée]curit[ée] sociale", r"s[ée]cu"),
            r"[12378]\d{4}(?:\d\d|2[AB])\d{8}",
            must_match=("NIR: 295109912611193", "numéro de sécurité sociale 295109912611193"),
            must_not_match=("NIR: 295109912611194", "295109912611193"),
        ),
    ),
    pii_rule(
        "de-idnr",
        "German tax identification number (Steuer-ID)",
        None,
        kind="national-id",
        assess=_checked("DE", idnr.is_valid, 0.7),
        severity=Severity.HIGH,
        raising=("steuer-id", "steuerid", "idnr", "identifikationsnummer", "steuer"),
        label=Labelled(
            (
                r"steuer-?id",
                r"steuer-?identifikationsnummer",
                r"steuerliche identifikationsnummer",
                r"identifikationsnummer",
                r"idnr",
            ),
            r"\d{2} ?\d{3} ?\d{3} ?\d{3}",
            must_match=("Steuer-ID: 36 574 261 809", "IdNr 36574261809"),
            must_not_match=("Steuer-ID: 36574261890", "36 574 261 809"),
        ),
    ),
    pii_rule(
        "nl-bsn",
        "Dutch citizen service number (BSN)",
        None,
        kind="national-id",
        assess=_checked("NL", bsn.is_valid, 0.7),
        severity=Severity.HIGH,
        raising=("bsn", "burgerservicenummer", "sofinummer"),
        label=Labelled(
            (r"bsn", r"burgerservicenummer", r"sofi-?nummer"),
            r"\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3} \d{3} \d{3}",
            must_match=("BSN: 111222333", "burgerservicenummer 1112.22.333"),
            must_not_match=("BSN: 111222334", "111222333"),
        ),
    ),
    pii_rule(
        "es-dni",
        "Spanish identity number (DNI or NIE)",
        rf"(?P<value>[\dXYZ]{_W}(?:(?<=\d)\d{{7}}-?[A-Z]|(?<=[XYZ])-?\d{{7}}-?[A-Z])){_E}",
        kind="national-id",
        assess=assess_spanish,
        severity=Severity.HIGH,
        raising=("dni", "nie", "nif", "documento", "identidad", "extranjero"),
        must_match=("DNI 54362315K", "54362315-K", "NIE: X2482300W"),
        must_not_match=("54362315Z", "X2482300A", "A54362315K", "54362315k", "1.38435736E+12"),
    ),
    pii_rule(
        "it-codice-fiscale",
        "Italian tax code (codice fiscale)",
        r"(?P<value>[A-Z](?<![A-Za-z0-9].)[A-Z]{5}[0-9LMNP-V]{2}[A-EHLMPR-T][0-9LMNP-V]{2}[A-Z]"
        r"[0-9LMNP-V]{3}[A-Z])(?:[^A-Za-z0-9]|$)",
        kind="national-id",
        assess=_checked("IT", codicefiscale.is_valid, 0.8),
        severity=Severity.HIGH,
        raising=("codice fiscale", "cf", "c.f.", "fiscale"),
        must_match=("C.F. RCCMNL83S18D969H", "RCCMNL83S18D969H"),
        must_not_match=("RCCMNL83S18D969J", "XRCCMNL83S18D969H"),
    ),
    pii_rule(
        "se-personnummer",
        "Swedish personal identity number (personnummer)",
        rf"(?P<value>\d{_W}(?:\d{{5}}|\d{{7}})[-+]\d{{4}}){_E}",
        kind="national-id",
        assess=_checked("SE", personnummer.is_valid, 0.55),
        severity=Severity.HIGH,
        raising=("personnummer", "personnr", "pnr"),
        must_match=("personnummer 880320-0016", "19880320-0016"),
        must_not_match=("880320-0018", "881320-0016", "8803200016"),
    ),
    pii_rule(
        "in-aadhaar",
        "Indian Aadhaar number",
        None,
        kind="national-id",
        assess=_checked("IN", aadhaar.is_valid, 0.7),
        severity=Severity.HIGH,
        raising=("aadhaar", "aadhar", "uidai"),
        label=Labelled(
            (r"aadhaa?r", r"uidai"),
            r"\d{4} ?\d{4} ?\d{4}",
            must_match=("Aadhaar No: 2341 2341 2346", "aadhar 234123412346"),
            must_not_match=("Aadhaar: 2341 2341 2347", "2341 2341 2346"),
        ),
    ),
    pii_rule(
        "fi-hetu",
        "Finnish personal identity code (HETU)",
        rf"(?P<value>\d{_W}\d{{5}}[-+A-FU-Y]\d{{3}}[0-9A-FHJ-NPR-Y]){_E}",
        kind="national-id",
        assess=_checked("FI", hetu.is_valid, 0.75, compacted=False),
        severity=Severity.HIGH,
        raising=("hetu", "henkilötunnus", "henkilotunnus", "sotu"),
        must_match=("HETU 131052-308T", "131052A308T"),
        must_not_match=("131052-308U", "321052-308T"),
    ),
    pii_rule(
        "gb-nino",
        "UK National Insurance number",
        r"(?P<value>[A-CEGHJ-PR-TW-Z](?<![A-Za-z0-9].)[A-CEGHJ-NPR-TW-Z] ?\d\d ?\d\d ?\d\d ?[A-D])"
        r"(?:[^A-Za-z0-9]|$)",
        kind="national-id",
        assess=assess_nino,
        severity=Severity.HIGH,
        raising=("nino", "national insurance", "ni number", "ni no"),
        must_match=("NI number: AB 12 34 56 C", "JG103759A"),
        must_not_match=("QQ123456C", "GB123456A", "AB123456E", "XAB123456C"),
    ),
)
