"""Credentials: cloud keys, tokens, private keys and passwords in configuration.

The rules below are a first set written from the formats' public descriptions (fixed prefixes,
lengths, alphabets and embedded checksums). Documented example values and obvious placeholders
are suppressed so that documentation does not raise alarms.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from leaktrace.core.finding import Finding, Severity, digest, redact
from leaktrace.core.item import Item
from leaktrace.core.plugin import Detector
from leaktrace.detect.engine import RuleSet
from leaktrace.detect.patterns import PatternRule

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_PLACEHOLDER = re.compile(
    r"(?i)^(?:x+|\*+|\.+|-+|<[^>]*>|\$\{[^}]*\}|\$\w+|%\w+%|\{\{[^}]*\}\}|%\([^)]*\)s|changeme|change_me|"
    r"password|passw0rd|secret|example|sample|dummy|test|testing|todo|none|null|redacted|"
    r"your[_-]?\w*|my[_-]?\w*|\w*example\w*)$"
)
_DOCUMENTED_EXAMPLES = frozenset(
    {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
)


def shannon_entropy(value: str) -> float:
    counts = Counter(value)
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def _not_placeholder(value: str) -> bool:
    return value not in _DOCUMENTED_EXAMPLES and not _PLACEHOLDER.match(value)


def _github_checksum(token: str) -> bool:
    """GitHub's new tokens end with 6 base62 digits of the CRC32 of the rest."""
    body, check = token[4:-6], token[-6:]
    value = zlib.crc32(token[:4].encode() + body.encode())
    digits = ""
    while value:
        value, remainder = divmod(value, 62)
        digits = _BASE62[remainder] + digits
    return digits.rjust(6, "0") == check


# A dotted name or a call (``secret = app.config:Secret``, ``password = get_password()``) is code
# referring to a secret, not the secret.
_CODE_REFERENCE = re.compile(r"^[A-Za-z_]\w*(?:[.:][A-Za-z_]\w*)+(?:\(.*)?$|^[A-Za-z_]\w*\(")


def _password_like(value: str) -> bool:
    return (
        _not_placeholder(value)
        and len(value) >= 8
        and shannon_entropy(value) >= 2.5
        and not _CODE_REFERENCE.match(value)
    )


SECRET_RULES: tuple[PatternRule, ...] = (
    PatternRule(
        id="aws-access-key-id",
        description="AWS access key ID",
        pattern=r"(?<![A-Z0-9])(?P<value>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Z0-9])",
        severity=Severity.HIGH,
        validator=_not_placeholder,
        must_match=("key = AKIA2OGYBAH6STMMNXNN",),
        must_not_match=("AKIAIOSFODNN7EXAMPLE", "AKIA1234"),
    ),
    PatternRule(
        id="github-token",
        description="GitHub personal access, OAuth, app or refresh token",
        pattern=r"(?<![A-Za-z0-9_])(?P<value>gh[pousr]_[A-Za-z0-9]{36})(?![A-Za-z0-9_])",
        severity=Severity.HIGH,
        validator=_github_checksum,
        must_match=("token: ghp_Ky9Pf34qY6Nb3wWD25RQ4F5ZR3qa7y2hc4Hu",),
        must_not_match=("ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",),
    ),
    PatternRule(
        id="slack-token",
        description="Slack bot, user or app token",
        pattern=r"(?<![A-Za-z0-9])(?P<value>xox[baprs]-[0-9]{8,13}-[0-9]{8,13}-[A-Za-z0-9-]{20,34})",
        severity=Severity.HIGH,
        validator=_not_placeholder,
        must_match=("xoxb-123456789012-1234567890123-4F0sAB2XZlW8b0ra0kdxPq9q",),
        must_not_match=("xoxb-123-456-abc",),
    ),
    PatternRule(
        id="private-key",
        description="Private key in PEM, OpenSSH or PGP armour",
        pattern=(
            r"-----BEGIN (?P<value>(?:RSA |DSA |EC |ENCRYPTED |OPENSSH |PGP )?PRIVATE KEY"
            r"(?: BLOCK)?)-----\s+[A-Za-z0-9+/=:\-\s]{64,}"
        ),
        severity=Severity.CRITICAL,
        must_match=("-----BEGIN RSA PRIVATE KEY-----\n" + "MIIEowIBAAKCAQEA" * 6 + "\n",),
        must_not_match=("-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOC\n",),
    ),
    PatternRule(
        id="url-password",
        description="Password embedded in a connection URL",
        pattern=(
            r"(?i)\b[a-z][a-z0-9+.-]{1,20}://[^\s:/@'\"]{1,64}:(?P<value>[^\s@/'\"]{3,128})@"
            r"[a-z0-9.-]+"
        ),
        severity=Severity.HIGH,
        validator=lambda v: _not_placeholder(v) and len(v) >= 6,
        must_match=("postgresql://app:N7q!rT2vLx9@db.internal:5432/prod",),
        must_not_match=(
            "postgresql://app:password@localhost/db",
            "https://user:${PASS}@host",
            "postgresql://$ROLE:$PASSWORD@127.0.0.1/$DB",
        ),
    ),
    PatternRule(
        id="password-assignment",
        description="Password or secret assigned in configuration or code",
        pattern=(
            r"(?i)(?:password|passwd|pwd|secret|api[_-]?key|"
            r"access[_-]?token|auth[_-]?token|client[_-]?secret)(?![a-z0-9])[\"']?\s*[:=]\s*[\"']?(?P<value>[^\s\"',;]{8,128})"
        ),
        severity=Severity.MEDIUM,
        validator=_password_like,
        must_match=('db_password = "Tr0ub4dor&3xQ"', "API_KEY: 9f8e7d6c5b4a3f2e1d0c"),
        must_not_match=(
            "password = changeme",
            "password: ${DB_PASSWORD}",
            "secret = xxxxxxxxxx",
            "secret = leaktrace.detect.secret:SecretDetector",
            "password = get_password(user)",
        ),
    ),
)


class SecretDetector(Detector):
    """Finds credentials in an item's text; evidence is a redacted prefix, never the secret."""

    name = "secret"
    rules = tuple(rule.as_rule("secret") for rule in SECRET_RULES)

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        self._rules = RuleSet(SECRET_RULES)

    def detect(self, item: Item) -> Iterator[Finding]:
        text = item.text
        if not text:
            return
        for rule in self._rules.candidates(text):
            for offset, value in rule.matches(text):
                yield self.finding(
                    item,
                    rule.id,
                    f"{rule.description} found",
                    offset=offset,
                    evidence=redact(value),
                    key=digest(value),
                )
