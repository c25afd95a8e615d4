"""Helpers shared by the credential rule tables: placeholders, entropy, checksums, a factory."""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import zlib
from collections import Counter

from leaktrace.core.finding import Severity
from leaktrace.detect.patterns import PatternRule, Validator

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
PLACEHOLDER = re.compile(
    r"(?i)^(?:x+|\*+|\.+|-+|<[^>]*>|\$\{[^}]*\}|\$\w+|%\w+%|\{\{[^}]*\}\}|%\([^)]*\)s|changeme|change_me|"
    r"password|passw0rd|secret|example|sample|dummy|test|testing|todo|none|null|redacted|"
    # `your_token`, `MY_SECRET`, `YourApiKey`: one case or whole words after the prefix, so a
    # random value that happens to start with "my" (`MyMeRIlrwIKTmRcw`, `MYCKQA7IRUD7`) is not
    # taken for one.
    r"(?:your|my)(?-i:[_-]?[a-z_\-]*|[_-]?[A-Z_\-]*|(?:[A-Z][a-z]+)+)\d{0,4}|\w*example\w*|"
    # Only words that name or stand in for a secret: `test-password`, `dummy_token`, `fake-key`.
    r"(?:(?:test|fake|dummy|sample|placeholder|changeme|password|passwd|secret|token|key|"
    r"pass|foo|bar)[-_.]?){2,})$"
)
DOCUMENTED_EXAMPLES = frozenset(
    {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
)
# Inside a token: words that documentation uses for fake values, and long runs of one character.
_FAKE_WORD = re.compile(r"(?i)example|sample|dummy|placeholder|your|xxxx|0123456789|abcdefgh")
_RUN = re.compile(r"(.)\1{5,}")
# Characters a token may touch without being part of a longer word.
EDGE = r"A-Za-z0-9_\-"
# The rest of a name, then `=`, `:` or `=>`, optionally quoted: `_API_KEY = "`, `_token: `.
# Unbounded on purpose: bounded repeats make the Hyperscan database slow to compile.
_ASSIGN = r"[\w.\-]*[\"']?[ \t]*(?:[:=]|=>)[ \t]*[\"']?"


def shannon_entropy(value: str) -> float:
    counts = Counter(value)
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def not_placeholder(value: str) -> bool:
    return value not in DOCUMENTED_EXAMPLES and not PLACEHOLDER.match(value)


def token_like(value: str) -> bool:
    """Not a placeholder, no fake-value word, no long run of one character, some randomness."""
    return (
        not_placeholder(value)
        and not _FAKE_WORD.search(value)
        and not _RUN.search(value)
        and shannon_entropy(value) >= 3.0
    )


def github_checksum(token: str) -> bool:
    """GitHub's (and npm's) tokens end with 6 base62 digits of the CRC32 of their random part:
    ``ghp_`` + 30 random characters + checksum, the prefix left out of the CRC."""
    body, check = token[token.index("_") + 1 : -6], token[-6:]
    value = zlib.crc32(body.encode())
    digits = ""
    while value:
        value, remainder = divmod(value, 62)
        digits = _BASE62[remainder] + digits
    return digits.rjust(6, "0") == check


def b64url_json(part: str) -> dict[str, object] | None:
    """The JSON object a base64url segment decodes to, or None."""
    try:
        decoded = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (binascii.Error, ValueError):
        return None
    return decoded if isinstance(decoded, dict) else None


# A dotted name or a call (``secret = app.config:Secret``, ``password = get_password()``) is code
# referring to a secret, not the secret; a subscript (``os.environ["DB_PASSWORD"]``) too. Each
# part must be shaped like an identifier (snake_case, camelCase, CamelCase, UPPER_CASE, digits
# only at the end), so a random value with a dot or a "(" in it (``Og8rZxA.SbY.Y3oM``,
# ``Fe(y8tzc5+Xq``, ``hm5va4P4XsE(``) is still a password.
_IDENTIFIER = (
    r"(?:_?[a-z][a-z0-9_]*|_?[a-z]+(?:[A-Z][a-z]+)+[0-9]*|_?[A-Z][A-Z0-9_]*|(?:[A-Z][a-z]+)+[0-9]*)"
)
CODE_REFERENCE = re.compile(
    rf"^{_IDENTIFIER}(?:[.:]{_IDENTIFIER})+(?:[(\[].*)?$|"
    rf"^{_IDENTIFIER}[(\[](?:[\w.\"' ]*[)\]])?$"
)
# Keys that are not secret by design (Stripe's publishable keys) or only reach test mode.
_NOT_SECRET_BY_DESIGN = re.compile(r"^(?:pk_(?:live|test)_|[sr]k_test_)")


def password_like(value: str) -> bool:
    return (
        not_placeholder(value)
        and not _NOT_SECRET_BY_DESIGN.match(value)
        and len(value) >= 8
        and shannon_entropy(value) >= 2.5
        and not CODE_REFERENCE.match(value)
    )


def token(
    id: str,
    description: str,
    value: str,
    *,
    must_match: tuple[str, ...],
    must_not_match: tuple[str, ...],
    severity: Severity = Severity.HIGH,
    validator: Validator = token_like,
    flags: int = 0,
) -> PatternRule:
    """A rule for a self-describing token: ``value`` (a regex) standing alone, not inside a word."""
    return PatternRule(
        id=id,
        description=description,
        pattern=rf"(?<![{EDGE}])(?P<value>{value})(?![{EDGE}])",
        severity=severity,
        flags=flags,
        validator=validator,
        must_match=must_match,
        must_not_match=must_not_match,
    )


def keyed(
    id: str,
    description: str,
    context: str,
    value: str,
    *,
    must_match: tuple[str, ...],
    must_not_match: tuple[str, ...],
    severity: Severity = Severity.HIGH,
    validator: Validator = token_like,
) -> PatternRule:
    """A rule for a value with no prefix of its own: it counts only when assigned to a name
    containing ``context`` (case-insensitive), e.g. ``TWILIO_AUTH_TOKEN = "<32 hex>"``."""
    return PatternRule(
        id=id,
        description=description,
        pattern=rf"(?i)(?:{context}){_ASSIGN}(?P<value>{value})(?![{EDGE}])",
        severity=severity,
        validator=validator,
        must_match=must_match,
        must_not_match=must_not_match,
    )
