"""A labelled corpus of credentials, personal data and look-alikes, for ``secrets_quality.py``.

    python bench/secretcorpus.py OUT [--mb 15] [--seed 1]   # writes OUT/tree/... + OUT/labels.jsonl

Seeded: the same seed and size write the same bytes. The folder looks like a company's
repositories and exports: ``.env``, ``.ini``, YAML (Kubernetes, Compose, CI), JSON and
``.properties`` configuration; Python, JavaScript, Go and Java sources and their tests; shell
scripts and Dockerfiles; Markdown documentation with documented example keys; lock files
(``package-lock.json``, ``yarn.lock``, ``poetry.lock``, ``go.sum``) full of integrity hashes;
CSV exports of customer records; support-ticket transcripts; application logs; minified JS.

The files go under ``OUT/tree`` (the folder the tools scan); every planted value is labelled in
``OUT/labels.jsonl`` (outside it): ``{"file", "line", "end_line", "kind",
"category": "secret"|"pii", "positive": true|false}``. A line carries at most one label, so a
tool's finding on a line is scored against that line's label alone. Positives are credentials
and personal data built from their formats' public descriptions (prefixes, lengths, alphabets,
GitHub's and npm's CRC32 of the random part, Luhn, ISO 13616 mod 97, the SSA's SSN ranges,
HMRC's NINO prefixes, real HS256 signatures). Decoys are what such material is full of: git
SHAs, UUIDs, lock-file hashes, documented example keys, placeholders, tokens of the right shape
with a wrong checksum, numbers failing their checksums, test fixtures, dates without a birth,
digit runs in code. Unlabelled lines are filler written to be free of either.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import random
import string
import struct
import sys
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import phonenumbers
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

ALNUM = string.ascii_letters + string.digits
BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
B64 = string.ascii_letters + string.digits + "+/"
B64URL = string.ascii_letters + string.digits + "-_"
HEX = "0123456789abcdef"
UPPER_DIGITS = string.ascii_uppercase + string.digits

# --- Labelled documents ---------------------------------------------------------------------


@dataclass(frozen=True)
class Label:
    file: str
    line: int
    end_line: int
    kind: str
    category: str
    positive: bool


@dataclass
class Doc:
    path: str
    lines: list[str] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)

    def add(self, text: str, label: tuple[str, str, bool] | None = None) -> None:
        """Append ``text`` (one line or several) and, when given, its (kind, category, positive)."""
        parts = text.split("\n")
        start = len(self.lines) + 1
        self.lines.extend(parts)
        if label is not None:
            kind, category, positive = label
            self.labels.append(
                Label(self.path, start, start + len(parts) - 1, kind, category, positive)
            )

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def S(kind: str) -> tuple[str, str, bool]:  # a secret
    return (kind, "secret", True)


def P(kind: str) -> tuple[str, str, bool]:  # personal data
    return (kind, "pii", True)


def SD(kind: str) -> tuple[str, str, bool]:  # a decoy of a secret
    return (kind, "secret", False)


def PD(kind: str) -> tuple[str, str, bool]:  # a decoy of personal data
    return (kind, "pii", False)


# --- Filler vocabulary ------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


WORDS = _words(
    "account order invoice customer user session cache queue worker report export import "
    "batch payment refund shipment inventory product price discount cart checkout review "
    "rating message notification email template render parse validate normalize serialize "
    "encode decode fetch load store save update delete create list search filter sort merge "
    "split config settings option feature flag metric event trace span log level handler "
    "request response client server route path token retry timeout limit page offset cursor "
    "region zone cluster node pod service deploy release build stage job task schedule cron "
    "window record field column table index schema migration backup restore snapshot archive "
    "bucket"
)
SENTENCES = (
    "This module keeps the {a} and the {b} in step.",
    "Retry the {a} when the {b} times out.",
    "The {a} is rebuilt from the {b} on every start.",
    "See the runbook before changing the {a} {b}.",
    "Only the {a} service may write to the {b}.",
    "We moved the {a} behind the {b} in the last release.",
    "The {a} endpoint returns the {b} sorted by date.",
    "Keep this in sync with the {a} {b} defaults.",
    "Large {a} batches are split before the {b} step.",
    "Ask the platform team before raising the {a} {b}.",
)
FIRST = _words(
    "james mary robert patricia john jennifer michael linda david elizabeth william barbara "
    "richard susan joseph jessica thomas sarah charles karen daniel lisa matthew nancy "
    "anthony sandra mark ashley oliver amelia harry isla jack ava lukas mia leon emma felix "
    "hannah louis chloe hugo lea lucas ines sofia mateo noah julia"
)
LAST = _words(
    "smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez "
    "lopez wilson anderson taylor thomas moore jackson martin lee thompson white harris clark "
    "lewis walker hall young allen king wright scott green baker adams nelson hill campbell "
    "mitchell mueller schmidt schneider fischer weber meyer wagner becker dubois moreau "
    "laurent bernard jansen devries bakker visser garcia fernandez"
)
MAIL_DOMAINS = _words(
    "gmail.com outlook.com yahoo.co.uk hotmail.de web.de gmx.net orange.fr icloud.com "
    "protonmail.com kpnmail.nl btinternet.com comcast.net aol.com"
)
CITIES = _words("Leeds Bristol Lyon Hamburg Utrecht Madrid Austin Denver Porto Gent Cork Bremen")
SERVICES = _words("billing orders ledger notify search gateway catalog identity reports shipping")


class Words:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def w(self) -> str:
        return self.rng.choice(WORDS)

    def ident(self) -> str:
        return f"{self.w()}_{self.w()}"

    def camel(self) -> str:
        a, b = self.w(), self.w()
        return a + b.capitalize()

    def sentence(self) -> str:
        return self.rng.choice(SENTENCES).format(a=self.w(), b=self.w())

    def name(self) -> tuple[str, str]:
        return self.rng.choice(FIRST).capitalize(), self.rng.choice(LAST).capitalize()


# --- Values from the formats' public descriptions ------------------------------------------------


def _b62(value: int, width: int = 6) -> str:
    digits = ""
    while value:
        value, rest = divmod(value, 62)
        digits = BASE62[rest] + digits
    return digits.rjust(width, "0")


def luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def iban_check(country: str, bban: str) -> str:
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{98 - int(digits) % 97:02d}"


def crc24(data: bytes) -> int:
    """RFC 4880's CRC-24 (OpenPGP armour checksum)."""
    crc = 0xB704CE
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


US_AREA_CODES = _words(
    "201 202 206 212 213 214 215 303 305 310 312 313 404 407 412 415 503 512 602 617 646 702 "
    "713 718 720 732 773 801 808 818 904 917 919 925 949 972"
)


class Values:
    """Seeded generators of credentials, personal data and their look-alikes."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def chars(self, alphabet: str, n: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def digits(self, n: int) -> str:
        return self.chars(string.digits, n)

    # credentials
    def aws_key_id(self) -> str:
        return self.rng.choice(("AKIA", "AKIA", "AKIA", "ASIA")) + self.chars(
            string.ascii_uppercase + "234567", 16
        )

    def aws_secret(self) -> str:
        return self.chars(B64, 40)

    def github_classic(self, valid: bool = True) -> str:
        prefix = self.rng.choice(("ghp", "ghp", "ghp", "gho", "ghu", "ghs", "ghr"))
        entropy = self.chars(BASE62, 30)
        check = _b62(zlib.crc32(entropy.encode()))
        if not valid:
            check = check[:-1] + self.rng.choice(BASE62.replace(check[-1], ""))
        return f"{prefix}_{entropy}{check}"

    def npm_token(self, valid: bool = True) -> str:
        entropy = self.chars(BASE62, 30)
        check = _b62(zlib.crc32(entropy.encode()))
        if not valid:
            check = check[:-1] + self.rng.choice(BASE62.replace(check[-1], ""))
        return f"npm_{entropy}{check}"

    def github_fine(self) -> str:
        return f"github_pat_{self.chars(BASE62, 22)}_{self.chars(BASE62, 59)}"

    def gitlab(self) -> str:
        return "glpat-" + self.chars(ALNUM + "-_", 20)

    def slack_bot(self) -> str:
        if self.rng.random() < 0.5:
            return f"xoxb-{self.digits(12)}-{self.digits(13)}-{self.chars(ALNUM, 24)}"
        return f"xoxp-{self.digits(12)}-{self.digits(12)}-{self.digits(13)}-{self.chars(HEX, 32)}"

    def slack_webhook(self) -> str:
        return (
            f"https://hooks.slack.com/services/T{self.chars(UPPER_DIGITS, 8)}/"
            f"B{self.chars(UPPER_DIGITS, self.rng.choice((8, 10)))}/{self.chars(ALNUM, 24)}"
        )

    def stripe_live(self) -> str:
        kind = self.rng.choice(("sk", "sk", "rk"))
        if self.rng.random() < 0.5:
            return f"{kind}_live_{self.chars(ALNUM, 24)}"
        return f"{kind}_live_51{self.chars(ALNUM, 97)}"

    def stripe_test(self) -> str:
        return f"sk_test_51{self.chars(ALNUM, 97)}"

    def stripe_publishable(self) -> str:
        return f"pk_live_51{self.chars(ALNUM, 97)}"

    def sendgrid(self) -> str:
        return f"SG.{self.chars(B64URL, 22)}.{self.chars(B64URL, 43)}"

    def google_api(self) -> str:
        return "AIzaSy" + self.chars(ALNUM + "-_", 33)

    def azure_account_key(self) -> str:
        return base64.b64encode(self.rng.randbytes(64)).decode()

    def mailgun(self) -> str:
        return "key-" + self.chars(HEX, 32)

    def openai(self) -> str:
        if self.rng.random() < 0.5:
            return f"sk-{self.chars(ALNUM, 20)}T3BlbkFJ{self.chars(ALNUM, 20)}"
        return f"sk-proj-{self.chars(B64URL, 74)}T3BlbkFJ{self.chars(B64URL, 74)}"

    def jwt(self) -> str:
        def seg(data: bytes) -> str:
            return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

        now = self.rng.randint(1_650_000_000, 1_760_000_000)
        first, last = Words(self.rng).name()
        payload = {
            "sub": str(self.rng.randint(10_000, 9_999_999)),
            "name": f"{first} {last}",
            "role": self.rng.choice(("admin", "editor", "service", "reader")),
            "iat": now,
            "exp": now + self.rng.choice((900, 3600, 86400)),
        }
        if self.rng.random() < 0.7:
            header = seg(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
            body = seg(json.dumps(payload, separators=(",", ":")).encode())
            key = self.rng.randbytes(32)
            sig = hmac.new(key, f"{header}.{body}".encode(), hashlib.sha256).digest()
            return f"{header}.{body}.{seg(sig)}"
        header = seg(
            json.dumps({"alg": "RS256", "kid": self.chars(HEX, 16), "typ": "JWT"}).encode()
        )
        body = seg(json.dumps(payload).encode())
        return f"{header}.{body}.{seg(self.rng.randbytes(256))}"

    def password(self) -> str:
        style = self.rng.random()
        if style < 0.5:
            return self.chars(ALNUM + "!#%^&*()-_=+", self.rng.randint(12, 24))
        if style < 0.8:
            word = self.rng.choice(WORDS).capitalize()
            return f"{word}{self.rng.randint(10, 9999)}{self.rng.choice('!#%&*')}{self.chars(ALNUM, 4)}"  # noqa: E501
        return self.chars(ALNUM, self.rng.randint(16, 32))

    def url_password(self) -> str:
        return self.chars(ALNUM + "-_.~", self.rng.randint(12, 24))

    def private_key(self) -> str:
        kind = self.rng.choice(("rsa", "pkcs8", "ec", "openssh", "pgp"))
        if kind == "ec":
            key = ec.derive_private_key(self.rng.randrange(1, 2**255), ec.SECP256R1())
            fmt = self.rng.choice(
                (serialization.PrivateFormat.TraditionalOpenSSL, serialization.PrivateFormat.PKCS8)
            )
            return (
                key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption())
                .decode()
                .strip()
            )
        if kind == "openssh":
            return self._openssh_ed25519()
        if kind == "pgp":
            body = self.rng.randbytes(self.rng.randint(900, 1400))
            b64 = base64.b64encode(body).decode()
            lines = [b64[i : i + 64] for i in range(0, len(b64), 64)]
            crc = base64.b64encode(crc24(body).to_bytes(3, "big")).decode()
            return "\n".join(
                [
                    "-----BEGIN PGP PRIVATE KEY BLOCK-----",
                    "",
                    *lines,
                    f"={crc}",
                    "-----END PGP PRIVATE KEY BLOCK-----",
                ]
            )
        # RSA 2048: the DER header of a PKCS#1 or PKCS#8 key, then key material.
        head = (
            b"\x30\x82\x04\xa4\x02\x01\x00\x02\x82\x01\x01\x00"
            if kind == "rsa"
            else (
                b"\x30\x82\x04\xbe\x02\x01\x00\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01"
                b"\x05\x00\x04\x82\x04\xa8"
            )
        )
        b64 = base64.b64encode(head + self.rng.randbytes(1190)).decode()
        lines = [b64[i : i + 64] for i in range(0, len(b64), 64)]
        label = "RSA PRIVATE KEY" if kind == "rsa" else "PRIVATE KEY"
        return "\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----"])

    def _openssh_ed25519(self) -> str:
        """An OpenSSH ``openssh-key-v1`` unencrypted Ed25519 key (PROTOCOL.key)."""

        def sstr(data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + data

        seed = self.rng.randbytes(32)
        public = (
            ed25519.Ed25519PrivateKey.from_private_bytes(seed)
            .public_key()
            .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        )
        pub_blob = sstr(b"ssh-ed25519") + sstr(public)
        check = self.rng.randbytes(4)
        private = check + check + pub_blob + sstr(seed + public) + sstr(b"deploy@build")
        private += bytes(range(1, 1 + (-len(private) % 8)))
        blob = (
            b"openssh-key-v1\x00"
            + sstr(b"none")
            + sstr(b"none")
            + sstr(b"")
            + struct.pack(">I", 1)
            + sstr(pub_blob)
            + sstr(private)
        )
        b64 = base64.b64encode(blob).decode()
        lines = [b64[i : i + 70] for i in range(0, len(b64), 70)]
        return "\n".join(
            ["-----BEGIN OPENSSH PRIVATE KEY-----", *lines, "-----END OPENSSH PRIVATE KEY-----"]
        )

    # decoys of credentials
    def git_sha(self) -> str:
        return self.chars(HEX, 40)

    def uuid(self) -> str:
        h = self.chars(HEX, 32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{self.rng.choice('89ab')}{h[17:20]}-{h[20:]}"

    def sha256(self) -> str:
        return self.chars(HEX, 64)

    def integrity(self) -> str:
        return "sha512-" + base64.b64encode(self.rng.randbytes(64)).decode()

    def public_ssh_key(self) -> str:
        blob = b"\x00\x00\x00\x07ssh-rsa\x00\x00\x00\x03\x01\x00\x01\x00\x00\x01\x01\x00"
        b64 = base64.b64encode(blob + self.rng.randbytes(256)).decode()
        return f"ssh-rsa {b64} ci@runner"

    # personal data
    def card(self, valid: bool = True) -> str:
        brand = self.rng.choice(("visa", "visa", "mc", "mc2", "amex", "discover"))
        prefix, length = {
            "visa": ("4", 16),
            "mc": (str(self.rng.randint(51, 55)), 16),
            "mc2": (str(self.rng.randint(2221, 2720)), 16),
            "amex": (self.rng.choice(("34", "37")), 15),
            "discover": ("6011", 16),
        }[brand]
        body = prefix + self.digits(length - len(prefix) - 1)
        check = luhn_digit(body)
        if not valid:
            check = str((int(check) + self.rng.randint(1, 9)) % 10)
        number = body + check
        style = self.rng.random()
        if style < 0.4:
            return number
        sep = " " if style < 0.8 else "-"
        if length == 15:
            return sep.join((number[:4], number[4:10], number[10:]))
        return sep.join(number[i : i + 4] for i in range(0, 16, 4))

    def iban(self, valid: bool = True) -> str:
        country = self.rng.choice(("DE", "GB", "FR", "NL", "ES", "BE"))
        if country == "DE":
            bban = self.digits(8) + self.digits(10)
        elif country == "GB":
            bban = self.rng.choice(("NWBK", "BARC", "LOYD", "HBUK", "MIDL")) + self.digits(14)
        elif country == "FR":
            bank, branch, account = self.digits(5), self.digits(5), self.digits(11)
            key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
            bban = f"{bank}{branch}{account}{key:02d}"
        elif country == "NL":
            bban = self.rng.choice(("ABNA", "INGB", "RABO", "TRIO", "SNSB")) + self.digits(10)
        elif country == "ES":
            bank, branch, account = self.digits(4), self.digits(4), self.digits(10)
            weights = (1, 2, 4, 8, 5, 10, 9, 7, 3, 6)

            def dc(digits: str) -> str:
                value = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
                return {10: "1", 11: "0"}.get(value, str(value))

            bban = bank + branch + dc("00" + bank + branch) + dc(account) + account
        else:  # BE
            head = self.digits(10)
            bban = f"{head}{int(head) % 97 or 97:02d}"
        check = iban_check(country, bban)
        if not valid:
            check = f"{(int(check) + self.rng.randint(1, 90)) % 97 + 2:02d}"
            if check == iban_check(country, bban):
                check = f"{(int(check) + 1) % 97 + 2:02d}"
        value = country + check + bban
        if self.rng.random() < 0.5:
            return " ".join(value[i : i + 4] for i in range(0, len(value), 4))
        return value

    def ssn(self, valid: bool = True) -> str:
        if valid:
            area = self.rng.choice([a for a in range(1, 900) if a != 666])
            group, serial = self.rng.randint(1, 99), self.rng.randint(1, 9999)
        else:
            area = self.rng.choice((0, 666, self.rng.randint(900, 999)))
            group, serial = self.rng.randint(0, 99), self.rng.randint(0, 9999)
            if self.rng.random() < 0.3:
                area, group = self.rng.randint(1, 665), 0
        return f"{area:03d}-{group:02d}-{serial:04d}"

    def nino(self, valid: bool = True) -> str:
        first_ok = [c for c in string.ascii_uppercase if c not in "DFIQUV"]
        second_ok = [c for c in string.ascii_uppercase if c not in "DFIOQUV"]
        if valid:
            while True:
                prefix = self.rng.choice(first_ok) + self.rng.choice(second_ok)
                if prefix not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
                    break
            suffix = self.rng.choice("ABCD")
        else:
            prefix = self.rng.choice(("QQ", "GB", "BG", "NK", "TN", "ZZ", "DA", "FI", "UV"))
            suffix = self.rng.choice("ABCD")
        digits = self.digits(6)
        if self.rng.random() < 0.5:
            return f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:]} {suffix}"
        return f"{prefix}{digits}{suffix}"

    def email(self) -> str:
        first, last = (x.lower() for x in Words(self.rng).name())
        local = self.rng.choice(
            (
                f"{first}.{last}",
                f"{first[0]}{last}",
                f"{first}{last}{self.rng.randint(1, 99)}",
                f"{first}_{last}",
            )
        )
        return f"{local}@{self.rng.choice(MAIL_DOMAINS)}"

    def phone(self) -> str:
        """A mobile or landline number by its country's plan, kept only when libphonenumber's
        metadata (the public numbering plans) says it is a valid number: not every block of a
        plan is assigned (+31 66 is pagers, +44 70 personal numbers)."""
        while True:
            number = self._phone_candidate()
            if phonenumbers.is_valid_number(phonenumbers.parse(number)):
                return number

    def _phone_candidate(self) -> str:
        country = self.rng.choice(("US", "US", "GB", "DE", "FR", "NL"))
        if country == "US":
            nxx = self.rng.choice([n for n in range(200, 1000) if n != 555 and n % 100 != 11])
            area, line = self.rng.choice(US_AREA_CODES), self.digits(4)
            return self.rng.choice(
                (f"+1 {area} {nxx} {line}", f"+1{area}{nxx}{line}", f"+1-{area}-{nxx}-{line}")
            )
        if country == "GB":
            block = self.rng.choice(("74", "75", "77", "78", "79"))
            rest = self.digits(8)
            if block == "77" and rest.startswith("00900"):
                rest = "1" + rest[1:]
            return self.rng.choice((f"+44 {block}{rest[:2]} {rest[2:]}", f"+44{block}{rest}"))
        if country == "DE":
            prefix = self.rng.choice(("151", "152", "160", "162", "170", "171", "172", "176"))
            rest = self.digits(8 if prefix[:2] in {"15", "17"} else 7)
            return self.rng.choice((f"+49 {prefix} {rest}", f"+49{prefix}{rest}"))
        if country == "FR":
            rest = self.digits(8)
            first = self.rng.choice("67")
            return self.rng.choice(
                (
                    f"+33 {first} {' '.join(rest[i : i + 2] for i in range(0, 8, 2))}",
                    f"+33{first}{rest}",
                )
            )
        rest = self.digits(8)
        return self.rng.choice((f"+31 6 {rest}", f"+316{rest}"))

    def birth_date(self) -> str:
        y, m, d = self.rng.randint(1940, 2005), self.rng.randint(1, 12), self.rng.randint(1, 28)
        return self.rng.choice(
            (
                f"{y}-{m:02d}-{d:02d}",
                f"{d:02d}/{m:02d}/{y}",
                f"{m:02d}/{d:02d}/{y}",
                f"{d} {['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][m - 1]} {y}",  # noqa: E501
            )
        )

    def date(self) -> str:
        y, m, d = self.rng.randint(2015, 2026), self.rng.randint(1, 12), self.rng.randint(1, 28)
        return f"{y}-{m:02d}-{d:02d}"

    def timestamp(self) -> str:
        return f"{self.date()}T{self.rng.randint(0, 23):02d}:{self.rng.randint(0, 59):02d}:{self.rng.randint(0, 59):02d}Z"  # noqa: E501


# --- Planted lines ----------------------------------------------------------------------------

Planted = tuple[str, tuple[str, str, bool] | None]


class Gen:
    """Everything a file builder needs: the random source, values, words, and planters."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.v = Values(rng)
        self.w = Words(rng)

    def host(self) -> str:
        return self.rng.choice(
            (
                "db.internal",
                "10.0.3.12",
                "pg-prod.cluster-c7x.eu-west-1.rds.amazonaws.com",
                "mysql.billing.svc.cluster.local",
                "cache.internal",
                "mongo-0.mongo",
                "localhost",
            )
        )

    def db_url(self) -> str:
        user = self.rng.choice(("app", "billing", "svc_orders", "admin", "readonly"))
        pw = self.v.url_password()
        scheme, port = self.rng.choice(
            (
                ("postgres", 5432),
                ("postgresql", 5432),
                ("mysql", 3306),
                ("mongodb+srv", 0),
                ("redis", 6379),
                ("amqp", 5672),
                ("postgresql+psycopg2", 5432),
            )
        )
        host = self.host() + (f":{port}" if port else "")
        if scheme == "redis" and self.rng.random() < 0.6:
            return f"redis://:{pw}@{host}/0"
        return f"{scheme}://{user}:{pw}@{host}/{self.rng.choice(SERVICES)}"

    def placeholder(self) -> str:
        return self.rng.choice(
            (
                "changeme",
                "${DB_PASSWORD}",
                "<your-password>",
                "xxxxxxxx",
                "********",
                "{{ .Values.db.password }}",
                "$SECRET",
                "<REPLACE_ME>",
                "TODO",
                "%(password)s",
                "your_api_key_here",
                "${{ secrets.API_TOKEN }}",
                "dummy",
                "example",
            )
        )

    def pick(self, planters: list[Callable[[], Planted]]) -> Planted:
        return self.rng.choice(planters)()


def _env_planters(g: Gen) -> list[Callable[[], Planted]]:
    v, r = g.v, g.rng
    svc = lambda: r.choice(SERVICES).upper()  # noqa: E731
    return [
        lambda: (f"DATABASE_URL={g.db_url()}", S("url-password")),
        lambda: (f"{svc()}_DB_PASSWORD={v.password()}", S("generic-password")),
        lambda: (f"AWS_ACCESS_KEY_ID={v.aws_key_id()}", S("aws-access-key-id")),
        lambda: (f"AWS_SECRET_ACCESS_KEY={v.aws_secret()}", S("aws-secret-access-key")),
        lambda: (f"GITHUB_TOKEN={v.github_classic()}", S("github-token")),
        lambda: (f"GH_PAT={v.github_fine()}", S("github-fine-grained-token")),
        lambda: (f"GITLAB_TOKEN={v.gitlab()}", S("gitlab-token")),
        lambda: (f"STRIPE_SECRET_KEY={v.stripe_live()}", S("stripe-live-key")),
        lambda: (f"SENDGRID_API_KEY={v.sendgrid()}", S("sendgrid-api-key")),
        lambda: (f"SLACK_BOT_TOKEN={v.slack_bot()}", S("slack-token")),
        lambda: (f"SLACK_WEBHOOK_URL={v.slack_webhook()}", S("slack-webhook")),
        lambda: (f"TWILIO_AUTH_TOKEN={v.chars(HEX, 32)}", S("twilio-auth-token")),
        lambda: (f"OPENAI_API_KEY={v.openai()}", S("openai-api-key")),
        lambda: (f"GOOGLE_MAPS_API_KEY={v.google_api()}", S("google-api-key")),
        lambda: (f"MAILGUN_API_KEY={v.mailgun()}", S("mailgun-api-key")),
        lambda: (f"JWT_SECRET={v.password()}", S("generic-password")),
        lambda: (f"DB_PASSWORD={g.placeholder()}", SD("placeholder")),
        lambda: (f"API_TOKEN={g.placeholder()}", SD("placeholder")),
        lambda: (f"STRIPE_SECRET_KEY={v.stripe_test()}", SD("test-key")),
        lambda: (f"STRIPE_PUBLISHABLE_KEY={v.stripe_publishable()}", SD("publishable-key")),
        lambda: (f"GIT_COMMIT={v.git_sha()}", SD("git-sha")),
        lambda: (f"AZURE_TENANT_ID={v.uuid()}", SD("uuid")),
        lambda: (f"OAUTH_CLIENT_ID={v.uuid()}", SD("uuid")),
        lambda: ("AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", SD("aws-example-key")),
        lambda: (f"GITHUB_TOKEN={v.github_classic(valid=False)}", SD("bad-checksum-token")),
        lambda: (f"NPM_TOKEN={v.npm_token(valid=False)}", SD("bad-checksum-token")),
        lambda: (f"BUILD_SHA256={v.sha256()}", SD("lockfile-hash")),
        lambda: (f"SUPPORT_PHONE_EXT={v.digits(10)}", PD("digit-run")),
        lambda: (f"RELEASE_DATE={v.date()}", PD("date-no-birth")),
    ]


def _env_filler(g: Gen) -> str:
    r = g.rng
    return r.choice(
        (
            f"{g.w.ident().upper()}={r.choice(('true', 'false', '1', '0', 'info', 'debug'))}",
            f"{g.w.ident().upper()}_PORT={r.randint(1024, 9999)}",
            f"{g.w.ident().upper()}_URL=http://{r.choice(SERVICES)}:{r.randint(3000, 9000)}",
            f"# {g.w.sentence()}",
            "",
            f"{g.w.ident().upper()}_TIMEOUT={r.randint(1, 120)}s",
        )
    )


def build_env(g: Gen, path: str, lines: int) -> Doc:
    doc, planters = Doc(path), _env_planters(g)
    doc.add(f"# {path.split('/')[1] if '/' in path else 'app'} environment")
    for _ in range(lines):
        if g.rng.random() < 0.3:
            doc.add(*g.pick(planters))
        else:
            doc.add(_env_filler(g))
    return doc


def build_ini(g: Gen, path: str, lines: int) -> Doc:
    doc, v, r = Doc(path), g.v, g.rng
    sections = {
        "database": [
            lambda: (f"password = {v.password()}", S("generic-password")),
            lambda: (f"password = {g.placeholder()}", SD("placeholder")),
            lambda: (f"url = {g.db_url()}", S("url-password")),
            lambda: (f"host = {g.host()}", None),
            lambda: (f"pool_size = {r.randint(2, 50)}", None),
        ],
        "default": [
            lambda: (f"aws_access_key_id = {v.aws_key_id()}", S("aws-access-key-id")),
            lambda: (f"aws_secret_access_key = {v.aws_secret()}", S("aws-secret-access-key")),
            lambda: ("aws_access_key_id = AKIAIOSFODNN7EXAMPLE", SD("aws-example-key")),
            lambda: (
                "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                SD("aws-example-key"),
            ),
            lambda: (f"region = {r.choice(('eu-west-1', 'us-east-1', 'eu-central-1'))}", None),
        ],
        "service": [
            lambda: (f"api_key = {v.password()}", S("generic-password")),
            lambda: (f"instance_id = {v.uuid()}", SD("uuid")),
            lambda: (f"build = {v.git_sha()}", SD("git-sha")),
            lambda: (
                f"version = {r.randint(1, 9)}.{r.randint(0, 30)}.{r.randint(0, 99)}",
                PD("version"),
            ),
            lambda: (f"{g.w.ident()} = {r.choice(('yes', 'no', '30', 'auto'))}", None),
            lambda: (f"contact = {v.email()}", P("email")),
        ],
    }
    while len(doc.lines) < lines:
        name = r.choice(list(sections))
        doc.add(f"[{name}]" if name != "default" else r.choice(("[default]", "[profile prod]")))
        for _ in range(r.randint(2, 6)):
            doc.add(*r.choice(sections[name])())
        doc.add(f"; {g.w.sentence()}")
        doc.add("")
    return doc


def build_properties(g: Gen, path: str, lines: int) -> Doc:
    doc, v, r = Doc(path), g.v, g.rng
    planters: list[Callable[[], Planted]] = [
        lambda: (f"spring.datasource.password={v.password()}", S("generic-password")),
        lambda: (
            f"spring.datasource.url=jdbc:mysql://{g.host()}:3306/app?user=app&password={v.password()}",
            S("url-password"),
        ),
        lambda: ("spring.datasource.password=${DB_PASSWORD}", SD("placeholder")),
        lambda: (f"mail.smtp.password={g.placeholder()}", SD("placeholder")),
        lambda: (f"app.build.commit={v.git_sha()}", SD("git-sha")),
        lambda: (
            f"app.version={r.randint(1, 5)}.{r.randint(0, 20)}.{r.randint(0, 9)}",
            PD("version"),
        ),
        lambda: (f"app.support.email={v.email()}", P("email")),
        lambda: (f"app.cache.ttl-ms={r.choice((3600000, 86400000, 604800000))}", PD("digit-run")),
    ]
    while len(doc.lines) < lines:
        if r.random() < 0.35:
            doc.add(*g.pick(planters))
        else:
            doc.add(
                r.choice(
                    (
                        f"app.{g.w.w()}.{g.w.camel()}={r.randint(1, 500)}",
                        f"# {g.w.sentence()}",
                        f"logging.level.com.acme.{g.w.w()}={r.choice(('INFO', 'DEBUG'))}",
                    )
                )
            )
    return doc


def build_json_config(g: Gen, path: str, lines: int) -> Doc:
    """appsettings.json / firebase / service-account style JSON, one key a line."""
    doc, v, r = Doc(path), g.v, g.rng
    account = r.choice(("acmeprod", "billingstore", "logsarchive"))
    planters: list[Callable[[], Planted]] = [
        lambda: (
            f'    "Storage": "DefaultEndpointsProtocol=https;AccountName={account};'
            f'AccountKey={v.azure_account_key()};EndpointSuffix=core.windows.net",',
            S("azure-storage-key"),
        ),
        lambda: (
            f'    "Default": "Server=tcp:{account}.database.windows.net,1433;Initial Catalog=app;'
            f'User ID=app;Password={v.password().replace(";", "")};Encrypt=True;",',
            S("connection-string-password"),
        ),
        lambda: (f'    "apiKey": "{v.google_api()}",', S("google-api-key")),
        lambda: (f'    "password": "{v.password()}",', S("generic-password")),
        lambda: (f'    "client_secret": "{v.password()}",', S("generic-password")),
        lambda: (
            '    "private_key": "' + v.private_key().replace("\n", "\\n") + '\\n",',
            S("private-key"),
        ),
        lambda: (f'    "InstrumentationKey": "{v.uuid()}",', SD("uuid")),
        lambda: (f'    "client_id": "{v.uuid()}",', SD("uuid")),
        lambda: (f'    "password": "{g.placeholder()}",', SD("placeholder")),
        lambda: (f'    "commit": "{v.git_sha()}",', SD("git-sha")),
        lambda: (f'    "checksum": "sha256:{v.sha256()}",', SD("lockfile-hash")),
        lambda: (f'    "themeColor": "#{v.chars(HEX, 6)}",', PD("hex-colour")),
        lambda: (f'    "createdAt": "{v.timestamp()}",', PD("date-no-birth")),
        lambda: (f'    "owner": "{v.email()}",', P("email")),
    ]
    doc.add("{")
    while len(doc.lines) < lines:
        doc.add(f'  "{g.w.camel()}": {{')
        for _ in range(r.randint(2, 7)):
            if r.random() < 0.45:
                doc.add(*g.pick(planters))
            else:
                doc.add(
                    f'    "{g.w.camel()}": {r.choice((str(r.randint(1, 999)), "true", json.dumps(g.w.ident())))},'  # noqa: E501
                )
        doc.add(f'    "enabled": {r.choice(("true", "false"))}')
        doc.add("  },")
    doc.add('  "version": 1')
    doc.add("}")
    return doc


def build_yaml(g: Gen, path: str, lines: int) -> Doc:
    """CI workflows, Compose files and Kubernetes manifests."""
    doc, v, r = Doc(path), g.v, g.rng
    planters: list[Callable[[], Planted]] = [
        lambda: (f"      POSTGRES_PASSWORD: {v.password()}", S("generic-password")),
        lambda: (f"      DATABASE_URL: {g.db_url()}", S("url-password")),
        lambda: (f"      SLACK_WEBHOOK: {v.slack_webhook()}", S("slack-webhook")),
        lambda: (f"      NPM_TOKEN: {v.npm_token()}", S("npm-token")),
        lambda: (f"      AWS_SECRET_ACCESS_KEY: {v.aws_secret()}", S("aws-secret-access-key")),
        lambda: (f"      GITLAB_TOKEN: {v.gitlab()}", S("gitlab-token")),
        lambda: (
            f"  password: {base64.b64encode(v.password().encode()).decode()}",
            S("k8s-secret-data"),
        ),
        lambda: ("      AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}", SD("placeholder")),
        lambda: ("      MYSQL_ROOT_PASSWORD: example", SD("placeholder")),
        lambda: (f"      API_TOKEN: {g.placeholder()}", SD("placeholder")),
        lambda: (f"      - uses: actions/checkout@{v.git_sha()}", SD("git-sha")),
        lambda: (
            f"    image: ghcr.io/acme/{r.choice(SERVICES)}@sha256:{v.sha256()}",
            SD("docker-digest"),
        ),
        lambda: (f"    uid: {v.uuid()}", SD("uuid")),
        lambda: (f"  ca.crt: {base64.b64encode(v.rng.randbytes(60)).decode()}", SD("public-key")),
        lambda: (
            f'      TZ_OFFSET_MS: "{r.choice((3600000, 7200000, 19800000))}"',
            PD("digit-run"),
        ),
    ]
    doc.add(r.choice(("name: ci", 'version: "3.9"', "apiVersion: v1")))
    while len(doc.lines) < lines:
        doc.add(f"{g.w.w()}:")
        doc.add(f"  {g.w.ident()}:")
        for _ in range(r.randint(2, 6)):
            if r.random() < 0.35:
                doc.add(*g.pick(planters))
            else:
                doc.add(
                    r.choice(
                        (
                            f'      {g.w.ident().upper()}: "{r.randint(1, 100)}"',
                            f"    - run: make {g.w.w()}",
                            f"    # {g.w.sentence()}",
                            f"    replicas: {r.randint(1, 6)}",
                        )
                    )
                )
    return doc


def _code_filler(g: Gen, lang: str) -> list[str]:
    """A few lines of plausible code in ``lang``, free of anything worth finding."""
    w, r = g.w, g.rng
    a, b, c = w.ident(), w.ident(), w.w()
    if lang == "py":
        return r.choice(
            (
                [
                    f"def {a}(self, {c}, limit={r.randint(1, 500)}):",
                    f'    """{w.sentence()}"""',
                    f"    result = self.{b}.get({c})",
                    "    if result is None:",
                    f"        raise KeyError({c})",
                    "    return result[:limit]",
                    "",
                ],
                [f"# {w.sentence()}", f"{a.upper()} = {r.randint(1, 300)}"],
                [
                    f"    for {c} in self.{a}:",
                    f'        logger.info("{w.sentence()}", {c})',
                    f"        self.{b}.append({c})",
                ],
                [
                    f"from .{w.w()} import {w.camel()}",
                    f"import {r.choice(('os', 'json', 'logging', 'time'))}",
                ],
            )
        )
    if lang == "js":
        return r.choice(
            (
                [
                    f"export async function {w.camel()}({c}) {{",
                    f"  const {w.camel()} = await {c}.{w.camel()}();",
                    f"  if (!{c}) throw new Error('{w.sentence()}');",
                    f"  return {c}.map((x) => x.{w.w()});",
                    "}",
                    "",
                ],
                [f"// {w.sentence()}", f"const {a.upper()} = {r.randint(1, 300)};"],
                [f"import {{ {w.camel()} }} from './{w.w()}';"],
            )
        )
    if lang == "go":
        return r.choice(
            (
                [
                    f"func (s *Server) {w.camel().capitalize()}(ctx context.Context, {c} string) error {{",  # noqa: E501
                    f"\tif err := s.{w.camel()}(ctx, {c}); err != nil {{",
                    f'\t\treturn fmt.Errorf("{w.w()}: %w", err)',
                    "\t}",
                    "\treturn nil",
                    "}",
                    "",
                ],
                [f"// {w.sentence()}", f"const {w.camel()} = {r.randint(1, 300)}"],
            )
        )
    return r.choice(
        (  # java
            [
                f"    public {w.camel().capitalize()} {w.camel()}(String {c}) {{",
                f'        LOG.info("{w.sentence()}");',
                f"        return repository.findBy{w.w().capitalize()}({c});",
                "    }",
                "",
            ],
            [
                f"    // {w.sentence()}",
                f"    private static final int {a.upper()} = {r.randint(1, 300)};",
            ],
        )
    )


def _code_planters(g: Gen, lang: str) -> list[Callable[[], list[Planted]]]:
    v, r = g.v, g.rng
    q = "'" if lang == "js" and r.random() < 0.5 else '"'
    if lang == "py":
        return [
            lambda: [
                ("s3 = boto3.client(", None),
                ('    "s3",', None),
                (f'    aws_access_key_id="{v.aws_key_id()}",', S("aws-access-key-id")),
                (f'    aws_secret_access_key="{v.aws_secret()}",', S("aws-secret-access-key")),
                (")", None),
            ],
            lambda: [
                (
                    f'conn = psycopg2.connect(host="{g.host()}", user="app", password="{v.password()}")',  # noqa: E501
                    S("generic-password"),
                )
            ],
            lambda: [(f'STRIPE_API_KEY = "{v.stripe_live()}"', S("stripe-live-key"))],
            lambda: [
                (f'HEADERS = {{"Authorization": "token {v.github_classic()}"}}', S("github-token"))
            ],
            lambda: [
                (f'account_sid = "AC{v.chars(HEX, 32)}"', SD("account-sid")),
                (f'auth_token = "{v.chars(HEX, 32)}"', S("twilio-auth-token")),
                ("client = Client(account_sid, auth_token)", None),
            ],
            lambda: [
                (f'SECRET_KEY = "{v.chars(ALNUM + "!@#%^&*(-_=+)", 50)}"', S("generic-password"))
            ],
            lambda: [(f'openai.api_key = "{v.openai()}"', S("openai-api-key"))],
            lambda: [('password = os.environ["DB_PASSWORD"]', SD("code-reference"))],
            lambda: [("api_key = settings.PAYMENTS_API_KEY", SD("code-reference"))],
            lambda: [('SECRET_KEY = os.getenv("SECRET_KEY", "dev")', SD("code-reference"))],
            lambda: [(f'COMMIT = "{v.git_sha()}"', SD("git-sha"))],
            lambda: [(f'REQUEST_ID = "{v.uuid()}"', SD("uuid"))],
            lambda: [(f'BRAND_COLOUR = "#{v.chars(HEX, 6)}"', PD("hex-colour"))],
            lambda: [
                (
                    f"MAX_UPLOAD_BYTES = {r.choice((2147483647, 4294967295, 1073741824))}",
                    PD("digit-run"),
                )
            ],
            lambda: [
                (
                    f'__version__ = "{r.randint(0, 9)}.{r.randint(0, 40)}.{r.randint(0, 20)}"',
                    PD("version"),
                )
            ],
        ]
    if lang == "js":
        return [
            lambda: [
                ("const firebaseConfig = {", None),
                (f"  apiKey: {q}{v.google_api()}{q},", S("google-api-key")),
                (f"  projectId: {q}acme-{r.choice(SERVICES)}{q},", None),
                ("};", None),
            ],
            lambda: [
                ("const s3 = new S3Client({ credentials: {", None),
                (f"  accessKeyId: {q}{v.aws_key_id()}{q},", S("aws-access-key-id")),
                (f"  secretAccessKey: {q}{v.aws_secret()}{q},", S("aws-secret-access-key")),
                ("} });", None),
            ],
            lambda: [(f"const token = {q}{v.jwt()}{q};", S("jwt"))],
            lambda: [(f"sgMail.setApiKey({q}{v.sendgrid()}{q});", S("sendgrid-api-key"))],
            lambda: [(f"const slack = new WebClient({q}{v.slack_bot()}{q});", S("slack-token"))],
            lambda: [(f"const mongoUrl = {q}{g.db_url()}{q};", S("url-password"))],
            lambda: [("const password = process.env.DB_PASSWORD;", SD("code-reference"))],
            lambda: [
                (f"const stripe = Stripe({q}{v.stripe_publishable()}{q});", SD("publishable-key"))
            ],
            lambda: [(f"const traceId = {q}{v.chars(HEX, 32)}{q};", SD("trace-id"))],
            lambda: [(f"const primary = {q}#{v.chars(HEX, 6)}{q};", PD("hex-colour"))],
            lambda: [(f"const ONE_WEEK_MS = {604800000};", PD("digit-run"))],
        ]
    if lang == "go":
        return [
            lambda: [
                (
                    f'\tdb, err := sql.Open("postgres", "{g.db_url()}?sslmode=disable")',
                    S("url-password"),
                )
            ],
            lambda: [(f'const githubToken = "{v.github_classic()}"', S("github-token"))],
            lambda: [(f'\tclient := stripe.NewClient("{v.stripe_live()}")', S("stripe-live-key"))],
            lambda: [('\tpassword := os.Getenv("DB_PASSWORD")', SD("code-reference"))],
            lambda: [(f'\tconst buildCommit = "{v.git_sha()}"', SD("git-sha"))],
            lambda: [(f'\tid := uuid.MustParse("{v.uuid()}")', SD("uuid"))],
            lambda: [(f"\tconst maxInt32 = {2147483647}", PD("digit-run"))],
        ]
    return [  # java
        lambda: [(f'        dataSource.setPassword("{v.password()}");', S("password-in-call"))],
        lambda: [
            (
                f'    private static final String DB_URL = "jdbc:postgresql://{g.host()}:5432/app?user=app&password={v.password().replace("&", "")}";',  # noqa: E501
                S("url-password"),
            )
        ],
        lambda: [(f'        props.put("password", "{v.password()}");', S("password-in-call"))],
        lambda: [
            (
                f'    private static final String API_KEY = "{v.chars(ALNUM, 32)}";',
                S("generic-password"),
            )
        ],
        lambda: [
            ('    @Value("${db.password}")', SD("placeholder")),
            ("    private String password;", None),
        ],
        lambda: [(f'    private static final String SERIAL = "{v.uuid()}";', SD("uuid"))],
        lambda: [
            (
                f"    private static final long TIMEOUT_MS = {r.choice((86400000, 3600000))}L;",
                PD("digit-run"),
            )
        ],
    ]


def _test_planters(g: Gen) -> list[Callable[[], list[Planted]]]:
    v = g.v
    return [
        lambda: [(f'    stripe.api_key = "{v.stripe_test()}"', SD("test-key"))],
        lambda: [
            (
                f'    card = "{g.rng.choice(("4242424242424242", "4111111111111111", "5555555555554444", "378282246310005"))}"',  # noqa: E501
                PD("test-card"),
            )
        ],
        lambda: [(f'    assert not luhn_valid("{v.card(valid=False)}")', PD("luhn-fail-number"))],
        lambda: [(f'    assert not iban_valid("{v.iban(valid=False)}")', PD("iban-bad-check"))],
        lambda: [(f'    assert not is_ssn("{v.ssn(valid=False)}")', PD("ssn-invalid"))],
        lambda: [(f'    user = User(email="{g.rng.choice(FIRST)}@example.com")', PD("doc-email"))],
        lambda: [
            (
                f'    token = "{v.github_classic(valid=False)}"  # wrong checksum on purpose',
                SD("bad-checksum-token"),
            )
        ],
        lambda: [('    password = "test-password"', SD("placeholder"))],
        lambda: [(f'    fixture_id = "{v.uuid()}"', SD("uuid"))],
    ]


def build_code(g: Gen, path: str, lines: int, lang: str, test: bool = False) -> Doc:
    doc, r = Doc(path), g.rng
    planters = _test_planters(g) if test else _code_planters(g, lang)
    rate = 0.12 if test else 0.06
    header = {
        "py": "import logging",
        "js": "'use strict';",
        "go": "package main",
        "java": "package com.acme;",
    }
    doc.add(header[lang])
    doc.add("")
    if lang == "java":
        doc.add(f"public class {g.w.camel().capitalize()}Service {{")
    while len(doc.lines) < lines:
        if r.random() < rate:
            for text, label in r.choice(planters)():
                doc.add(text, label)
        else:
            for text in _code_filler(g, lang):
                doc.add(text)
    if lang == "java":
        doc.add("}")
    return doc


def build_shell(g: Gen, path: str, lines: int) -> Doc:
    doc, v, r = Doc(path), g.v, g.rng
    planters: list[Callable[[], Planted]] = [
        lambda: (f'export AWS_SECRET_ACCESS_KEY="{v.aws_secret()}"', S("aws-secret-access-key")),
        lambda: (f"export AWS_ACCESS_KEY_ID={v.aws_key_id()}", S("aws-access-key-id")),
        lambda: (
            f'curl -s -H "Authorization: token {v.github_classic()}" https://api.github.com/user',
            S("github-token"),
        ),
        lambda: (
            f'curl -s -H "Authorization: Bearer {v.jwt()}" https://api.internal/v1/{g.w.w()}',
            S("jwt"),
        ),
        lambda: (
            f"curl -u 'admin:{v.password().replace(chr(39), '')}' https://jenkins.internal/api/json",
            S("password-in-call"),
        ),
        lambda: (
            f"mysql -h {g.host()} -u root -p'{v.password().replace(chr(39), '')}' app < dump.sql",
            S("password-in-call"),
        ),
        lambda: (
            f"PGPASSWORD={v.url_password()} psql -h {g.host()} -U app -c 'select 1'",
            S("generic-password"),
        ),
        lambda: (
            f"echo '//registry.npmjs.org/:_authToken={v.npm_token()}' > ~/.npmrc",
            S("npm-token"),
        ),
        lambda: (
            f'curl -X POST -d "{{\\"text\\": \\"deployed\\"}}" {v.slack_webhook()}',
            S("slack-webhook"),
        ),
        lambda: (
            'curl -H "Authorization: Bearer $API_TOKEN" https://api.internal/v1/health',
            SD("placeholder"),
        ),
        lambda: ('export DB_PASSWORD="${DB_PASSWORD:?missing}"', SD("placeholder")),
        lambda: (f"git checkout {v.git_sha()}", SD("git-sha")),
        lambda: (
            f'echo "{v.sha256()}  terraform_1.6.2_linux_amd64.zip" | sha256sum -c -',
            SD("lockfile-hash"),
        ),
        lambda: (f"echo '{v.public_ssh_key()}' >> ~/.ssh/authorized_keys", SD("public-key")),
        lambda: (
            f"TS=$(date +%s)  # e.g. {r.randint(1_600_000_000, 1_760_000_000)}",
            PD("digit-run"),
        ),
    ]
    doc.add("#!/usr/bin/env bash")
    doc.add("set -euo pipefail")
    while len(doc.lines) < lines:
        if r.random() < 0.25:
            doc.add(*g.pick(planters))
        else:
            doc.add(
                r.choice(
                    (
                        f"# {g.w.sentence()}",
                        f'echo "{g.w.sentence()}"',
                        f'{g.w.w()}_dir="$(mktemp -d)"',
                        f"make {g.w.w()} -j{r.randint(2, 8)}",
                        f"kubectl rollout status deploy/{r.choice(SERVICES)} --timeout={r.randint(60, 600)}s",  # noqa: E501
                        "fi",
                        f'if [ -z "${{{g.w.ident().upper()}:-}}" ]; then',
                    )
                )
            )
    return doc


def build_dockerfile(g: Gen, path: str, lines: int) -> Doc:
    doc, v, r = Doc(path), g.v, g.rng
    doc.add(f"FROM python:3.11-slim@sha256:{v.sha256()}", SD("docker-digest"))
    planters: list[Callable[[], Planted]] = [
        lambda: (f"ENV DATABASE_PASSWORD={v.password()}", S("generic-password")),
        lambda: (f"ENV AWS_ACCESS_KEY_ID={v.aws_key_id()}", S("aws-access-key-id")),
        lambda: (f"ARG NPM_TOKEN={v.npm_token()}", S("npm-token")),
        lambda: (f"ENV SENTRY_RELEASE={v.git_sha()}", SD("git-sha")),
        lambda: ("ARG DB_PASSWORD", None),
        lambda: (f'RUN echo "{v.sha256()}  /tmp/tool.tgz" | sha256sum -c -', SD("lockfile-hash")),
        lambda: ("ENV API_KEY=changeme", SD("placeholder")),
    ]
    while len(doc.lines) < lines:
        if r.random() < 0.3:
            doc.add(*g.pick(planters))
        else:
            doc.add(
                r.choice(
                    (
                        "WORKDIR /app",
                        "COPY . .",
                        f"RUN pip install --no-cache-dir {g.w.w()}-client",
                        f"EXPOSE {r.randint(3000, 9000)}",
                        f"# {g.w.sentence()}",
                        'CMD ["python", "-m", "app"]',
                    )
                )
            )
    return doc


def build_markdown(g: Gen, path: str, lines: int) -> Doc:
    doc, v, r = Doc(path), g.v, g.rng
    planters: list[Callable[[], Planted]] = [
        lambda: ("export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", SD("aws-example-key")),
        lambda: (
            "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            SD("aws-example-key"),
        ),
        lambda: (
            'curl -H "Authorization: token <your-token>" https://api.github.com/user',
            SD("placeholder"),
        ),
        lambda: ("GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", SD("placeholder")),
        lambda: ("    password: changeme   # set a real one in the vault", SD("placeholder")),
        lambda: (f"- Fix retry of the {g.w.w()} queue ({v.git_sha()})", SD("git-sha")),
        lambda: (
            f"Released version {r.randint(1, 4)}.{r.randint(0, 30)}.{r.randint(0, 9)} on {v.date()}.",  # noqa: E501
            PD("version"),
        ),
        lambda: (f"Write to `{r.choice(FIRST)}@example.com` in the examples.", PD("doc-email")),
        lambda: ("Example IBAN for the form: `DE89 3704 0044 0532 0130 00`", PD("iban-example")),
        lambda: (
            "Use the test card `4242 4242 4242 4242` with any future expiry.",
            PD("test-card"),
        ),
        lambda: (
            "The HMRC sample number `QQ 12 34 56 C` is rejected by the form.",
            PD("nino-invalid"),
        ),
        lambda: (
            f"Call the demo line +1 {r.choice(US_AREA_CODES)} 555 01{r.randint(0, 99):02d} (fictional).",  # noqa: E501
            PD("fictional-phone"),
        ),
        lambda: (
            f"Clone with `git clone git@github.com:acme/{r.choice(SERVICES)}.git`.",
            PD("git-remote"),
        ),
        lambda: (f"Staging bot token (rotate after the demo): {v.slack_bot()}", S("slack-token")),
        lambda: (f"    export STRIPE_SECRET_KEY={v.stripe_live()}", S("stripe-live-key")),
        lambda: (f"Contact the on-call owner at {v.email()}.", P("email")),
    ]
    doc.add(f"# {g.w.w().capitalize()} {g.w.w()}")
    while len(doc.lines) < lines:
        roll = r.random()
        if roll < 0.1:
            doc.add(*g.pick(planters))
        elif roll < 0.15:
            doc.add("")
            doc.add(f"## {g.w.w().capitalize()} {g.w.w()}")
            doc.add("")
        else:
            doc.add(" ".join(g.w.sentence() for _ in range(r.randint(1, 3))))
    return doc


def _pkg(g: Gen) -> tuple[str, str]:
    name = g.rng.choice(("@babel/", "@types/", "", "", "")) + f"{g.w.w()}-{g.w.w()}"
    return name, f"{g.rng.randint(0, 9)}.{g.rng.randint(0, 30)}.{g.rng.randint(0, 20)}"


def build_package_lock(g: Gen, path: str, lines: int) -> Doc:
    doc, v = Doc(path), g.v
    doc.add("{")
    doc.add(f'  "name": "{g.w.w()}-web",')
    doc.add('  "lockfileVersion": 3,')
    doc.add('  "packages": {')
    while len(doc.lines) < lines:
        name, version = _pkg(g)
        doc.add(f'    "node_modules/{name}": {{')
        doc.add(f'      "version": "{version}",')
        doc.add(
            f'      "resolved": "https://registry.npmjs.org/{name}/-/{name.split("/")[-1]}-{version}.tgz",'
        )
        doc.add(f'      "integrity": "{v.integrity()}",', SD("integrity-hash"))
        doc.add(f'      "license": "{g.rng.choice(("MIT", "ISC", "Apache-2.0", "BSD-3-Clause"))}"')
        doc.add("    },")
    doc.add("  }")
    doc.add("}")
    return doc


def build_yarn_lock(g: Gen, path: str, lines: int) -> Doc:
    doc, v = Doc(path), g.v
    doc.add("# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.")
    doc.add("# yarn lockfile v1")
    while len(doc.lines) < lines:
        name, version = _pkg(g)
        doc.add("")
        doc.add(f'"{name}@^{version}":')
        doc.add(f'  version "{version}"')
        doc.add(
            f'  resolved "https://registry.yarnpkg.com/{name}/-/{name.split("/")[-1]}-{version}.tgz#{v.chars(HEX, 40)}"',  # noqa: E501
            SD("lockfile-hash"),
        )
        doc.add(f"  integrity {v.integrity()}", SD("integrity-hash"))
    return doc


def build_poetry_lock(g: Gen, path: str, lines: int) -> Doc:
    doc, v, r = Doc(path), g.v, g.rng
    while len(doc.lines) < lines:
        name, version = _pkg(g)
        name = name.split("/")[-1]
        doc.add("[[package]]")
        doc.add(f'name = "{name}"')
        doc.add(f'version = "{version}"')
        doc.add(f'description = "{g.w.sentence()}"')
        doc.add("files = [")
        for tag in r.sample(
            ("py3-none-any.whl", "cp311-cp311-manylinux_2_17_x86_64.whl", "tar.gz"), 2
        ):
            doc.add(
                f'    {{file = "{name}-{version}-{tag}", hash = "sha256:{v.sha256()}"}},',
                SD("lockfile-hash"),
            )
        doc.add("]")
        doc.add("")
    return doc


def build_go_sum(g: Gen, path: str, lines: int) -> Doc:
    doc, r = Doc(path), g.rng
    while len(doc.lines) < lines:
        module = f"github.com/{g.w.w()}/{g.w.w()}"
        version = f"v{r.randint(0, 3)}.{r.randint(0, 30)}.{r.randint(0, 9)}"
        h1 = base64.b64encode(r.randbytes(32)).decode()
        doc.add(f"{module} {version} h1:{h1}", SD("lockfile-hash"))
        h2 = base64.b64encode(r.randbytes(32)).decode()
        doc.add(f"{module} {version}/go.mod h1:{h2}", SD("lockfile-hash"))
    return doc


def build_csv(g: Gen, path: str, lines: int, table: str) -> Doc:
    """One personal value per row at most, so a row's label is unambiguous."""
    doc, v, r = Doc(path), g.v, g.rng
    n = 0

    def name() -> str:
        first, last = g.w.name()
        return f"{first} {last}"

    header, row = {
        "subscribers": (
            "id,email,signup_date,plan",
            lambda: (f"{n},{v.email()},{v.date()},{r.choice(('free', 'pro', 'team'))}", P("email")),
        ),
        "payments": (
            "payment_id,amount,currency,card_number,status",
            lambda: (
                (
                    f"pay_{n},{r.randint(5, 900)}.{r.randint(0, 99):02d},EUR,{v.card()},captured",
                    P("card-number"),
                )
                if r.random() < 0.7
                else (
                    f"pay_{n},{r.randint(5, 900)}.00,EUR,**** **** **** {v.digits(4)},captured",
                    PD("masked-card"),
                )
            ),
        ),
        "orders": (
            "order_id,order_number,amount,created_at,status",
            lambda: (
                (
                    f"{n},{v.card(valid=False).replace(' ', '').replace('-', '')},{r.randint(5, 900)}.00,{v.timestamp()},shipped",  # noqa: E501
                    PD("luhn-fail-number"),
                )
                if r.random() < 0.5
                else (
                    f"{n},INV-{r.randint(2019, 2026)}-{v.digits(6)},{r.randint(5, 900)}.00,{v.date()},open",  # noqa: E501
                    PD("order-number"),
                )
            ),
        ),
        "employees": (
            "employee_id,full_name,ssn,department",
            lambda: (
                f"E{v.digits(5)},{name()},{v.ssn()},{r.choice(('Finance', 'Ops', 'Sales'))}",
                P("ssn"),
            ),
        ),
        "staff_uk": (
            "staff_id,name,ni_number,team",
            lambda: (
                f"S{v.digits(4)},{name()},{v.nino()},{r.choice(('Leeds', 'Support', 'Payroll'))}",
                P("nino"),
            ),
        ),
        "payouts": (
            "payout_id,beneficiary,iban,amount",
            lambda: (f"po_{n},{name()},{v.iban()},{r.randint(100, 9000)}.00", P("iban")),
        ),
        "contacts": (
            "id,name,phone,company,city",
            lambda: (
                f"{n},{name()},{v.phone()},{g.w.w().capitalize()} GmbH,{r.choice(CITIES)}",
                P("phone"),
            ),
        ),
        "patients": (
            "patient_id,name,date_of_birth,city",
            lambda: (
                f"P{v.digits(6)},{name()},{v.birth_date().replace(',', '')},{r.choice(CITIES)}",
                P("date-of-birth"),
            ),
        ),
        "releases": (
            "version,released,commit,notes",
            lambda: (
                f"{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 9)},{v.date()},{v.git_sha()},{g.w.w()} fixes",  # noqa: E501
                SD("git-sha"),
            ),
        ),
    }[table]
    doc.add(header)
    while len(doc.lines) < lines:
        n += 1
        doc.add(*row())
    return doc


def build_ticket(g: Gen, path: str, lines: int) -> Doc:
    doc, v, r = Doc(path), g.v, g.rng
    planters: list[Callable[[], Planted]] = [
        lambda: (
            f"Customer: the card ending wrong was {v.card()}, please refund it",
            P("card-number"),
        ),
        lambda: (f"Customer: my date of birth is {v.birth_date()}", P("date-of-birth")),
        lambda: (f"Customer: you can reach me on {v.phone()}", P("phone")),
        lambda: (f"Customer: please send the refund to IBAN {v.iban()}", P("iban")),
        lambda: (f"Customer: my email is {v.email()}", P("email")),
        lambda: (f"Customer: SSN {v.ssn()} as requested", P("ssn")),
        lambda: (f"Customer: my National Insurance number is {v.nino()}", P("nino")),
        lambda: (
            f"Agent: your order number is {v.card(valid=False).replace(' ', '').replace('-', '')}",
            PD("luhn-fail-number"),
        ),
        lambda: (
            f"Agent: the IBAN {v.iban(valid=False)} you gave fails its check, can you re-check it?",
            PD("iban-bad-check"),
        ),
        lambda: (
            f"Agent: ticket opened {v.timestamp()}, reference INV-{r.randint(2019, 2026)}-{v.digits(6)}",  # noqa: E501
            PD("order-number"),
        ),
        lambda: (f"Agent: the number {v.ssn(valid=False)} is not a valid SSN", PD("ssn-invalid")),
        lambda: (
            f"Agent: app version {r.randint(1, 9)}.{r.randint(0, 40)}.{r.randint(0, 9)}, build {v.digits(10)}",  # noqa: E501
            PD("version"),
        ),
    ]
    doc.add(f"Ticket #{v.digits(6)} - {g.w.w()} {g.w.w()}")
    doc.add(f"Opened: {v.date()}  Queue: {r.choice(('Billing', 'Accounts', 'Payroll'))}")
    while len(doc.lines) < lines:
        if r.random() < 0.3:
            doc.add(*g.pick(planters))
        else:
            doc.add(
                r.choice(
                    (
                        f"Agent: {g.w.sentence()}",
                        f"Customer: {g.w.sentence()}",
                        "Agent: thanks, give me a minute to check.",
                        "",
                    )
                )
            )
    return doc


def build_log(g: Gen, path: str, lines: int) -> Doc:
    doc, v, r = Doc(path), g.v, g.rng
    planters: list[Callable[[], Planted]] = [
        lambda: (
            f"{v.timestamp()} DEBUG http outgoing headers={{'Authorization': 'Bearer {v.jwt()}'}}",
            S("jwt"),
        ),
        lambda: (f"{v.timestamp()} ERROR db connect failed url={g.db_url()}", S("url-password")),
        lambda: (f"{v.timestamp()} INFO login ok email={v.email()}", P("email")),
        lambda: (
            f"{v.timestamp()} INFO request_id={v.uuid()} path=/api/{g.w.w()} status=200",
            SD("uuid"),
        ),
        lambda: (
            f"{v.timestamp()} INFO trace_id={v.chars(HEX, 32)} span_id={v.chars(HEX, 16)}",
            SD("trace-id"),
        ),
        lambda: (
            f"{v.timestamp()} INFO deployed {r.choice(SERVICES)} at {v.git_sha()}",
            SD("git-sha"),
        ),
    ]
    while len(doc.lines) < lines:
        if r.random() < 0.2:
            doc.add(*g.pick(planters))
        else:
            doc.add(
                f"{v.timestamp()} {r.choice(('INFO', 'INFO', 'WARN', 'DEBUG'))} {r.choice(SERVICES)}: "  # noqa: E501
                f"{g.w.sentence()} duration_ms={r.randint(1, 900)}"
            )
    return doc


def build_minified(g: Gen, path: str, lines: int) -> Doc:
    """A bundle: a few very long lines, each holding at most one planted value."""
    doc, v, r = Doc(path), g.v, g.rng
    planters: list[Callable[[], Planted]] = [
        lambda: (
            f'apiKey:"{v.google_api()}",authDomain:"acme.firebaseapp.com"',
            S("google-api-key"),
        ),
        lambda: (f'Stripe("{v.stripe_publishable()}")', SD("publishable-key")),
        lambda: (
            f'src:"data:image/png;base64,{base64.b64encode(r.randbytes(600)).decode()}"',
            SD("data-uri"),
        ),
        lambda: (f'__webpack_require__.h=()=>"{v.chars(HEX, 20)}"', SD("lockfile-hash")),
        lambda: (f'release:"{v.git_sha()}"', SD("git-sha")),
        lambda: (f'color:"#{v.chars(HEX, 6)}"', PD("hex-colour")),
        lambda: (f"maxAge:{r.choice((31536000000, 2592000000))}", PD("digit-run")),
    ]
    for _ in range(max(1, lines)):
        parts = []
        for _ in range(r.randint(300, 1200)):
            a, b = r.choice(string.ascii_lowercase), r.choice(string.ascii_lowercase)
            parts.append(
                r.choice(
                    (
                        f"function({a},{b}){{return {a}.{g.w.camel()}({b})}}",
                        f"var {a}={b}.{g.w.w()}||{{}};",
                        f'{a}.exports={{name:"{g.w.w()}",value:{r.randint(0, 999)}}};',
                        f'"{g.w.sentence()}"',
                        f'if(!{a})throw new Error("{g.w.w()}");',
                    )
                )
            )
        label = None
        if r.random() < 0.8:
            planted, label = g.pick(planters)
            parts.insert(r.randrange(len(parts)), f"var cfg={{{planted}}};")
        doc.add("".join(parts), label)
    return doc


# --- The folder -------------------------------------------------------------------------------

Builder = Callable[[Gen, str, int], Doc]
KINDS_OF_FILE: tuple[
    tuple[str, float, tuple[int, int], Callable[[Gen, int], str], Builder], ...
] = (
    # name, weight, lines (low, high), path(gen, n), builder
    ("env", 6, (20, 60), lambda g, n: f"services/{g.rng.choice(SERVICES)}-{n}/.env", build_env),
    (
        "ini",
        3,
        (30, 80),
        lambda g, n: f"services/{g.rng.choice(SERVICES)}-{n}/config/settings.ini",
        build_ini,
    ),
    (
        "properties",
        3,
        (30, 80),
        lambda g, n: f"java/{g.rng.choice(SERVICES)}-{n}/src/main/resources/application.properties",
        build_properties,
    ),
    (
        "json",
        4,
        (40, 150),
        lambda g, n: f"services/{g.rng.choice(SERVICES)}-{n}/appsettings.json",
        build_json_config,
    ),
    (
        "yaml",
        5,
        (40, 150),
        lambda g, n: g.rng.choice(
            (
                f".github/workflows/{g.w.w()}-{n}.yml",
                f"deploy/k8s/{g.rng.choice(SERVICES)}-{n}.yaml",
                f"services/{g.rng.choice(SERVICES)}-{n}/docker-compose.yml",
            )
        ),
        build_yaml,
    ),
    (
        "py",
        5,
        (150, 800),
        lambda g, n: f"src/{g.rng.choice(SERVICES)}/{g.w.w()}_{n}.py",
        lambda g, p, k: build_code(g, p, k, "py"),
    ),
    (
        "js",
        4,
        (150, 800),
        lambda g, n: f"web/src/{g.w.w()}/{g.w.camel()}{n}.{g.rng.choice(('js', 'ts'))}",
        lambda g, p, k: build_code(g, p, k, "js"),
    ),
    (
        "go",
        3,
        (150, 800),
        lambda g, n: f"cmd/{g.rng.choice(SERVICES)}/{g.w.w()}_{n}.go",
        lambda g, p, k: build_code(g, p, k, "go"),
    ),
    (
        "java",
        3,
        (150, 800),
        lambda g, n: f"java/src/main/java/com/acme/{g.w.camel().capitalize()}{n}.java",
        lambda g, p, k: build_code(g, p, k, "java"),
    ),
    (
        "tests",
        3,
        (100, 300),
        lambda g, n: f"tests/test_{g.w.w()}_{n}.py",
        lambda g, p, k: build_code(g, p, k, "py", test=True),
    ),
    ("shell", 3, (40, 150), lambda g, n: f"scripts/{g.w.w()}-{n}.sh", build_shell),
    (
        "docker",
        2,
        (15, 40),
        lambda g, n: f"docker/{g.rng.choice(SERVICES)}-{n}/Dockerfile",
        build_dockerfile,
    ),
    (
        "markdown",
        5,
        (80, 400),
        lambda g, n: g.rng.choice(
            (
                f"docs/{g.w.w()}-{n}.md",
                f"services/{g.rng.choice(SERVICES)}-{n}/README.md",
                f"docs/changelog/{n}.md",
            )
        ),
        build_markdown,
    ),
    (
        "package-lock",
        1.5,
        (500, 3000),
        lambda g, n: f"web/app-{n}/package-lock.json",
        build_package_lock,
    ),
    ("yarn-lock", 1, (300, 2000), lambda g, n: f"web/pkg-{n}/yarn.lock", build_yarn_lock),
    (
        "poetry-lock",
        1,
        (200, 1000),
        lambda g, n: f"py/{g.w.w()}-{n}/poetry.lock",
        build_poetry_lock,
    ),
    ("go-sum", 1, (100, 600), lambda g, n: f"cmd/mod-{n}/go.sum", build_go_sum),
    ("csv", 4, (100, 800), lambda g, n: "", lambda g, p, k: Doc(p)),  # chosen below, per table
    ("ticket", 3, (40, 150), lambda g, n: f"support/tickets/{n:05d}.txt", build_ticket),
    ("log", 2, (300, 2000), lambda g, n: f"logs/{g.rng.choice(SERVICES)}-{n}.log", build_log),
    (
        "minified",
        1,
        (3, 10),
        lambda g, n: g.rng.choice(
            (f"web/dist/app.{g.v.chars(HEX, 8)}.js", f"web/dist/vendor-{n}.min.js")
        ),
        build_minified,
    ),
)
TREE = "tree"
CSV_TABLES = (
    "subscribers",
    "payments",
    "orders",
    "employees",
    "staff_uk",
    "payouts",
    "contacts",
    "patients",
    "releases",
)


def generate(out: Path, megabytes: float, seed: int) -> dict[str, object]:
    """Write the corpus: files under ``out/tree``, ``out/labels.jsonl``; return a summary."""
    rng = random.Random(seed)
    g = Gen(rng)
    target = int(megabytes * 1_000_000)
    total, n = 0, 0
    names = [k[0] for k in KINDS_OF_FILE]
    weights = [k[1] for k in KINDS_OF_FILE]
    by_name = {k[0]: k for k in KINDS_OF_FILE}
    labels: list[Label] = []
    files: Counter[str] = Counter()
    bytes_by: Counter[str] = Counter()
    while total < target:
        n += 1
        name = rng.choices(names, weights)[0]
        _, _, (low, high), path_of, builder = by_name[name]
        lines = rng.randint(low, high)
        if name == "csv":
            table = rng.choice(CSV_TABLES)
            path = f"exports/{table}-{n}.csv"
            doc = build_csv(g, path, lines, table)
        else:
            path = path_of(g, n)
            doc = builder(g, path, lines)
        data = doc.text().encode("utf-8")
        target_path = out / TREE / path
        target_path.parent.mkdir(parents=True, exist_ok=True)
        target_path.write_bytes(data)
        total += len(data)
        files[name] += 1
        bytes_by[name] += len(data)
        labels.extend(doc.labels)
    with (out / "labels.jsonl").open("w", encoding="utf-8") as handle:
        for label in labels:
            handle.write(json.dumps(asdict(label)) + "\n")
    return {
        "files": sum(files.values()),
        "bytes": total,
        "files_by_type": dict(sorted(files.items())),
        "bytes_by_type": dict(sorted(bytes_by.items())),
        "labels": len(labels),
        "positives": Counter(f"{x.category}/{x.kind}" for x in labels if x.positive),
        "decoys": Counter(f"{x.category}/{x.kind}" for x in labels if not x.positive),
    }


def load_labels(out: Path) -> list[Label]:
    with (out / "labels.jsonl").open(encoding="utf-8") as handle:
        return [Label(**json.loads(line)) for line in handle]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--mb", type=float, default=15.0, help="approximate size (default 15)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    summary = generate(args.out, args.mb, args.seed)
    json.dump(summary, sys.stdout, indent=1, default=dict)
    print()


if __name__ == "__main__":
    main()
