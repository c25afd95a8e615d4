"""E-mail addresses and phone numbers.

An e-mail address needs a well-formed domain ending in an alphabetic top-level domain that is
not a file extension (``icon@2x.png`` is an image). The domains reserved for documentation and
testing (RFC 2606 and RFC 6761: ``example.com``, ``*.example``, ``*.test``, ``*.invalid``,
``*.localhost``) are never reported; role and service mailboxes (``noreply@``, ``git@``,
``postmaster@``) get a low confidence.

A phone number candidate must look like one before any parsing: an international number
(``+44 20 7946 0018``), a national one with its area code in parentheses (``(415) 555-2671``),
a North American number with separators (``415-555-2671``, which also needs a context word),
or any of these shapes right after a label ("Tel:", "Mobile", "Téléphone"). Google's
libphonenumber (the ``phonenumbers`` package) then parses it and keeps it only when it is a
valid number for its region; national numbers are read in the detector's ``default_region``.
"""

from __future__ import annotations

import re

import phonenumbers

from leaktrace.core.finding import Severity
from leaktrace.detect.pii._rule import Assessment, Labelled, PiiRule, pii_rule

# RFC 2606 / RFC 6761 names for documentation and testing.
_RESERVED_DOMAINS = frozenset({"example.com", "example.net", "example.org"})
_RESERVED_TLDS = frozenset({"example", "test", "invalid", "localhost"})
# Top-level domains that are really file extensions in text (``logo@2x.png``).
_FILE_EXTENSIONS = frozenset(
    {
        "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "tif", "tiff", "css", "js",
        "mjs", "ts", "tsx", "jsx", "json", "html", "htm", "txt", "xml", "yml", "yaml", "lock",
        "map", "min", "pdf", "zip", "gz", "tar", "exe", "dll", "so", "whl", "egg", "toml", "ini",
        "cfg", "log", "csv", "py", "rb", "sh", "bat", "woff", "woff2", "ttf", "eot", "mp3",
        "mp4", "wav", "avi", "mov", "jar", "class", "java", "go", "rs", "kt", "swift", "lib",
    }
)  # fmt: skip
# Mailboxes of a service or a role, not of a person.
_SERVICE_MAILBOX = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]?daemon|postmaster|hostmaster|"
    r"webmaster|abuse|bounces?|notifications?|git|root|admin|support|info|security|privacy|"
    r"help|sales|contact|hello|team|dev|devnull|null|nobody)(?:[+._-].*)?$",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$")


def assess_email(value: str) -> Assessment | None:
    local, _, domain = value.rpartition("@")
    domain = domain.lower()
    labels = domain.split(".")
    tld = labels[-1]
    if (
        not local
        or local.startswith(".")
        or len(value) > 254
        or len(local) > 64
        or ".." in local
        or local.endswith(".")
        or not tld.isalpha()
        or tld in _FILE_EXTENSIONS
        or not all(_LABEL.match(label) and len(label) <= 63 for label in labels)
    ):
        return None
    if tld in _RESERVED_TLDS or ".".join(labels[-2:]) in _RESERVED_DOMAINS:
        return None
    normalized = f"{local}@{domain}"
    if _SERVICE_MAILBOX.match(local):
        return Assessment(0.2, normalized, {"domain": domain, "note": "service mailbox"})
    return Assessment(0.7, normalized, {"domain": domain})


# Ranges regulators reserve for fiction and documentation (E.164 prefixes): North America's
# 555-0100 to 555-0199, Ofcom's drama numbers, ACMA's.
_FICTIONAL = re.compile(
    r"^\+1\d{3}55501\d\d$"
    r"|^\+44(?:207946[0]|1134960|1144960|1154960|1164960|1174960|1184960|1214960|1314960|"
    r"1414960|1514960|1614960|2890180|2920180|7700900|8081570|9098790|3069990)"
    r"|^\+61(?:491570|[2378]5550|[2378]7010)"
)


def assess_phone(value: str, region: str = "US") -> Assessment | None:
    """A valid number for its region (from its ``+`` code, or ``region`` for national ones)."""
    digit_count = sum(c.isdigit() for c in value)
    if not 7 <= digit_count <= 15:
        return None
    try:
        number = phonenumbers.parse(value, None if value.startswith("+") else region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    country = phonenumbers.region_code_for_number(number) or region
    if _FICTIONAL.match(e164):
        return Assessment(0.2, e164, {"country": country, "note": "range reserved for fiction"})
    if value.startswith("+"):
        confidence = 0.65
    elif value.startswith("("):
        confidence = 0.55
    else:
        confidence = 0.4
    return Assessment(confidence, e164, {"country": country})


_PHONE_LABELS = (
    r"phone",
    r"telephone",
    r"tel",
    r"mobile",
    r"mob",
    r"cell(?:phone)?",
    r"fax",
    r"t[ée]l[ée]phone",
    r"t[ée]l",
    r"telefon",
    r"tel[ée]fono",
    r"handy",
    r"portable",
    r"gsm",
    r"whatsapp",
)

CONTACT_RULES: tuple[PiiRule, ...] = (
    pii_rule(
        "email",
        "E-mail address",
        r"(?<![\w.%+/:-])(?P<value>[A-Za-z0-9._%+-]+@[A-Za-z0-9][A-Za-z0-9.-]*"
        r"\.[A-Za-z]{2,})(?:[^\w.-]|\.(?![A-Za-z0-9])|$)",
        kind="email",
        assess=assess_email,
        max_span=320,
        severity=Severity.LOW,
        raising=("email", "e-mail", "mail", "contact", "from", "to", "cc", "reply-to"),
        lowering=("example", "sample", "dummy", "fake"),
        must_match=(
            "write to jane.doe@harborlane.co.uk",
            "From: Kim Lee <kim.lee+news@mail.acme-corp.com>",
            "a.b_c@sub.domain.io",
        ),
        must_not_match=(
            "jane@example.com",
            "user@mail.example.org",
            "logo@2x.png",
            "lodash@4.17.21",
            "@decorator.call",
            "https://user:pw@host.com/path",
            "a@b",
            "bob@host.test",
        ),
    ),
    pii_rule(
        "phone",
        "Phone number",
        r"(?P<value>\+(?<![\w+.-].)[1-9]\d{0,2}(?:[ .-]?\(0?\d{1,4}\))?(?:[ .-]?\d{1,5}){1,5}"
        r"[ .-]?\d{2,5}"
        r"|\((?<![\w)].)\d{2,5}\)[ .-]?\d{2,4}(?:[ .-]?\d{2,4}){1,3}"
        r"|\d(?<![\w.-].)\d\d(?:-\d{3}-\d{4}|\.\d{3}\.\d{4}))(?:[^\w+.,-]|[.,](?!\d)|$)",
        kind="phone",
        assess=assess_phone,
        severity=Severity.LOW,
        raising=(
            "phone",
            "telephone",
            "tel",
            "mobile",
            "cell",
            "fax",
            "call",
            "sms",
            "téléphone",
            "tél",
            "telefon",
            "teléfono",
            "handy",
            "portable",
            "whatsapp",
            "contact",
        ),
        must_match=("+44 20 7183 8750", "call +1 (415) 555-2671", "(415) 555-2671"),
        must_not_match=(
            "+1 23",
            "1e+308",
            "+00 12 34 56 78",
            "(555) 000-0000",
            "Decimal('+35236450.6')",  # a number's last group is one digit: a decimal
        ),
        label=Labelled(
            _PHONE_LABELS,
            r"\+?(?:\(\d{1,5}\)|\d{1,5})(?:[ .-]?(?:\(\d{1,5}\)|\d{1,5})){1,6}",
            must_match=("Tel: 415 555 2671", "Mobile: +49 151 23456789"),
            must_not_match=("Tel: 12", "hotel 415 555 2671"),
        ),
    ),
)
