# ruff: noqa: E501 - the tables of generators below read best one per line.
"""Precision and recall of the `pii` detector on generated lines: personal data and decoys.

    python bench/pii_quality.py [LINES_PER_KIND] [SEED]

Positives are valid values (cards passing Luhn in their issuer's range, IBANs with right check
digits, SSNs, BSNs, DNIs, NINOs, e-mail addresses, phone numbers libphonenumber accepts, dates
of birth), written the ways people write them, half with a context word and half without.
Decoys are what fills repositories and documents: git SHAs, UUIDs, lock-file hashes, versions,
timestamps, ISBNs and EANs, IP addresses, order, invoice and tracking numbers (some passing
Luhn), numbers failing their checksums, documentation addresses, package@version, dates that
are not labelled as birth dates. Each line is one item; a finding on a decoy line, or of the
wrong rule on a positive line, is a false positive.
"""

from __future__ import annotations

import datetime
import random
import string
import sys
import uuid
from collections import Counter
from collections.abc import Callable

import phonenumbers

from leaktrace.core.item import Item
from leaktrace.core.lineage import Lineage
from leaktrace.detect.pii import PiiDetector
from leaktrace.detect.pii._rule import luhn
from leaktrace.detect.pii.contact import _FICTIONAL as FICTIONAL
from leaktrace.detect.pii.iban import mod97

Maker = Callable[[random.Random], str]


def digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(count))


def luhn_complete(body: str) -> str:
    return next(body + d for d in string.digits if luhn(body + d))


def card(rng: random.Random) -> str:
    prefix, length = rng.choice([("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("37", 15),
                                 ("6011", 16), ("3528", 16), ("62", 16)])  # fmt: skip
    number = luhn_complete(prefix + digits(rng, length - len(prefix) - 1))
    if rng.random() < 0.5:
        number = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    return number


def iban(rng: random.Random) -> str:
    country, length = rng.choice([("DE", 22), ("FR", 27), ("NL", 18), ("ES", 24), ("IT", 27)])
    bban = digits(rng, length - 4)
    value = next(
        f"{country}{k:02d}{bban}" for k in range(2, 99) if mod97(f"{country}{k:02d}{bban}")
    )
    return (
        " ".join(value[i : i + 4] for i in range(0, len(value), 4)) if rng.random() < 0.5 else value
    )


def ssn(rng: random.Random) -> str:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def bsn(rng: random.Random) -> str:
    while True:
        number = digits(rng, 9)
        weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
        if (
            number[0] != "0"
            and sum(int(d) * w for d, w in zip(number, weights, strict=True)) % 11 == 0
        ):
            return number


def dni(rng: random.Random) -> str:
    number = rng.randint(10_000_000, 99_999_999)
    return f"{number}{'TRWAGMYFPDXBNJZSQVHLCKE'[number % 23]}"


def nino(rng: random.Random) -> str:
    first, second = rng.choice("ABCEHJKLMPRSTWXY"), rng.choice("ABCEHJLMPRSTWXY")
    return (
        f"{first}{second} {digits(rng, 2)} {digits(rng, 2)} {digits(rng, 2)} {rng.choice('ABCD')}"
    )


FIRST = ["kim", "jane", "omar", "li", "sven", "ana", "piotr", "fatima", "noah", "yuki"]
LAST = ["lee", "doe", "haddad", "wang", "berg", "silva", "nowak", "khan", "smith", "sato"]
DOMAINS = ["harborlane.co.uk", "acme-corp.com", "gmail.com", "outlook.de", "uni-bonn.de", "web.fr"]


def email(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)}.{rng.choice(LAST)}{rng.randint(1, 99)}@{rng.choice(DOMAINS)}"


def phone(rng: random.Random) -> str:
    region = rng.choice(["US", "GB", "DE", "FR", "NL", "ES"])
    kind = rng.choice(
        [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]
    )
    example = phonenumbers.example_number_for_type(region, kind)
    assert example is not None
    national = str(example.national_number)
    while True:
        candidate = national[:-4] + digits(rng, 4)
        number = phonenumbers.parse(f"+{example.country_code}{candidate}")
        formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if phonenumbers.is_valid_number(number) and not FICTIONAL.match(e164):
            return formatted


def birth(rng: random.Random) -> str:
    date = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randint(0, 65 * 365))
    return rng.choice([date.strftime("%d/%m/%Y"), date.isoformat(), date.strftime("%d %B %Y"),
                       date.strftime("%B %d, %Y"), date.strftime("%d.%m.%Y")])  # fmt: skip


# rule, value maker, with-context templates, plain templates
POSITIVES: list[tuple[str, Maker, list[str], list[str]]] = [
    ("card-number", card, ["Visa card {}", "card number: {}", "Paid with credit card {}"],
     ["{}", "Please use {} for the booking", "num={}"]),
    ("iban", iban, ["IBAN: {}", "Bank account {}"], ["{}", "Zahlung an {} bis Freitag"]),
    ("us-ssn", ssn, ["SSN: {}", "Social Security number {}"], ["{}", "Employee record {}"]),
    ("nl-bsn", bsn, ["BSN: {}", "burgerservicenummer {}"], ["BSN {}", "Uw BSN is {}"]),
    ("es-dni", dni, ["DNI: {}", "NIF {}"], ["{}", "Titular {}"]),
    ("gb-nino", nino, ["National Insurance number {}", "NINO: {}"], ["{}", "Employee {}"]),
    ("email", email, ["Contact: {}", "Email {}"], ["{}", "Send the draft to {} today"]),
    ("phone", phone, ["Tel: {}", "Mobile {}"], ["{}", "Reach me at {} after six"]),
    ("date-of-birth", birth, ["DOB: {}", "Date of birth: {}"], ["born on {}", "Geburtsdatum {}"]),
]  # fmt: skip


def hexs(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(count))


def luhn_valid_16(rng: random.Random) -> str:
    return luhn_complete(rng.choice("3456") + digits(rng, 14))


def bad_luhn_card(rng: random.Random) -> str:
    number = card(rng).replace(" ", "")
    last = str((int(number[-1]) + rng.randint(1, 9)) % 10)
    return number[:-1] + last


DECOYS: list[Maker] = [
    lambda r: f"commit {hexs(r, 40)}",
    lambda r: f"Merge: {hexs(r, 7)} {hexs(r, 7)}",
    lambda r: f'"id": "{uuid.UUID(int=r.getrandbits(128))}"',
    lambda r: f'"integrity": "sha512-{"".join(r.choice(string.ascii_letters + string.digits) for _ in range(86))}=="',
    lambda r: f"sha256:{hexs(r, 64)}",
    lambda r: f'resolved "https://registry.npmjs.org/pkg/-/pkg-{r.randint(1, 20)}.{r.randint(0, 30)}.{r.randint(0, 9)}.tgz#{hexs(r, 40)}"',
    lambda r: f"version = \"{r.randint(0, 30)}.{r.randint(0, 99)}.{r.randint(0, 999)}\"",
    lambda r: f"build {r.randint(2015, 2026)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}.{r.randint(1, 999)}",
    lambda r: f"timestamp {r.randint(1_500_000_000_000, 1_800_000_000_000)}",
    lambda r: f"at {r.randint(1_500_000_000, 1_800_000_000)} epoch",
    lambda r: f"{r.randint(2015, 2026)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:00+01:00",
    lambda r: f"ISBN 978-{r.randint(0, 9)}-{digits(r, 3)}-{digits(r, 5)}-{r.randint(0, 9)}",
    lambda r: f"EAN {r.choice('4')}{digits(r, 12)}",
    lambda r: f"IP {r.randint(1, 254)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
    lambda r: f"Order ID {luhn_valid_16(r)}",
    lambda r: f"Invoice no. {luhn_valid_16(r)}",
    lambda r: f"Tracking number {luhn_valid_16(r)}",
    lambda r: f"card {bad_luhn_card(r)}",
    lambda r: f"IBAN {iban(r).replace(' ', '')[:2]}{(int(iban(r).replace(' ', '')[2:4]) + 1) % 100:02d}{digits(r, 18)}",
    lambda r: f"SSN {r.choice(['000', '666', '9' + digits(r, 2)])}-{digits(r, 2)}-{digits(r, 4)}",
    lambda r: f"Released {birth(r)}",
    lambda r: f"price {r.randint(1, 99999)}.{r.randint(0, 99):02d} EUR",
    lambda r: f"coordinates {r.uniform(-90, 90):.6f}, {r.uniform(-180, 180):.6f}",
    lambda r: f"mail {r.choice(FIRST)}@example.com or {r.choice(FIRST)}@test.invalid",
    lambda r: f"npm install {r.choice(LAST)}@{r.randint(1, 9)}.{r.randint(0, 9)}.{r.randint(0, 9)}",
    lambda r: f"From: noreply@{r.choice(DOMAINS)}",
    lambda r: f"data:image/png;base64,{''.join(r.choice(string.ascii_letters + string.digits + '+/') for _ in range(60))}",
    lambda r: f"0x{hexs(r, 16)} 0x{hexs(r, 16)}",
    lambda r: f"call 555-0{r.randint(100, 199)} or +1 {r.randint(200, 999)} 555 01{r.randint(0, 99):02d}",
    lambda r: f"assert value == {digits(r, 19)}",
]  # fmt: skip


def main() -> None:
    per_kind = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 2026)
    lines: list[tuple[str, str | None]] = []
    for rule, make, with_context, plain in POSITIVES:
        for index in range(per_kind):
            templates = with_context if index % 2 else plain
            lines.append((rng.choice(templates).format(make(rng)), rule))
    for _ in range(per_kind * len(POSITIVES) * 3):
        lines.append((rng.choice(DECOYS)(rng), None))
    detector = PiiDetector()
    true_positives = false_positives = found = 0
    misses: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    for text, expected in lines:
        rules = {f.rule for f in detector.detect(Item(Lineage.root("x"), b"", "text/plain", text))}
        if expected is not None and expected in rules:
            found += 1
            true_positives += 1
        elif expected is not None:
            misses[f"{expected} in {text[:40]!r}"] += 1
        for rule in rules - {expected}:
            false_positives += 1
            wrong[f"{rule} on {text[:40]!r}"] += 1
    positives = sum(1 for _, expected in lines if expected is not None)
    precision = true_positives / max(1, true_positives + false_positives)
    print(f"{positives} positive lines, {len(lines) - positives} decoy lines")
    print(f"precision {precision:.3f}  recall {found / positives:.3f}")
    for what, count in misses.most_common(15):
        print(f"  missed {what}: {count}")
    for what, count in wrong.most_common(15):
        print(f"  false positive {what}: {count}")


if __name__ == "__main__":
    main()
