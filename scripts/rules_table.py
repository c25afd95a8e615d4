"""Write docs/secrets.md from the secret detector's rule tables.

python3 scripts/rules_table.py > docs/secrets.md
"""

from __future__ import annotations

import sys

from leaktrace.detect.secrets import FAMILIES

INTRO = """\
# Credentials (`secret` detector)

The `secret` detector finds credentials in every item's text: cloud keys, service tokens,
private keys and passwords in connection strings and configuration. Its rules are data, one
module per family of services under `src/leaktrace/detect/secrets/`; each rule is a regular
expression whose `value` group is the secret, an optional validator, a severity and examples
that must and must not match (the tests check them all). Findings never carry the secret: the
evidence is a redacted prefix and the finding's key is a digest of the value.

Rules are written from the formats' public descriptions. Where a format has structure the rule
checks it: a fixed prefix, an exact length and alphabet, GitHub's CRC32 checksum, the PyPI
macaroon's encoded `pypi.org` location, a JWT header that decodes to JSON naming its `alg`, a
Discord bot token whose first part decodes to a numeric id, a Docker `auth` that decodes to
`user:password`. Values without a prefix of their own (an AWS secret key, a Twilio auth token,
a Datadog key) are reported only when assigned to a name that says what they are, such as
`aws_secret_access_key = ...` or `twilio_token: ...`.

Severities: **critical** for private keys and cloud or vault root credentials, **high** for
live service credentials, **medium** for generic and entropy-based findings (passwords in
configuration, JWTs, DSNs).

## Placeholders and documented examples

Documentation is full of values shaped like credentials. A match is dropped when its value

- is a documented example value (the access key and secret key of AWS's documentation);
- is a placeholder as a whole: runs of `x`, `*`, `.` or `-`; `<...>`, `${...}`, `$NAME`,
  `%NAME%`, `{{...}}`, `%(name)s`; words such as `changeme`, `password`, `secret`, `example`,
  `dummy`, `test`, `redacted`, `your_...`, `my_...`;
- for token rules, contains a word documentation uses for fake values (`example`, `sample`,
  `dummy`, `placeholder`, `your`, `xxxx`, `0123456789`, `abcdefgh`), a run of six or more of
  one character, or has too little randomness (Shannon entropy under 3 bits per character);
- for password rules, is shorter than 8 characters, has entropy under 2.5 bits per character,
  or is code referring to a secret (`settings.DB_PASSWORD`, `get_password()`).

## Adjusting the rules in a policy

A policy can turn any rule off, change its severity or action, and accept findings by path and
rule (see [policy.md](policy.md)), and it can add the organization's own rules. A policy rule
is data like a built-in one: a regular expression (Python syntax; a `value` group, when there
is one, is what gets redacted into evidence), a severity, an optional minimum entropy, and
examples that must and must not match. The policy is refused before anything is scanned,
with one line naming the rule, when a pattern does not compile, matches empty text, or
disagrees with its own examples. Policy rules join the built-in ones in the same Hyperscan
database, so they cost no extra pass over the text. The `marking` detector takes rules the
same way (`[[detectors.marking.rules]]`).

```toml
[[detectors.secret.rules]]
id = "acme-deploy-key"
description = "ACME deployment key"
pattern = 'acme_dk_(?P<value>[0-9a-f]{32})'
severity = "critical"
min_entropy = 3.0
must_match = ["acme_dk_5f0c2a9e61b84d7f9a3e0c1b2d4f6a8e"]
must_not_match = ["acme_dk_00000000000000000000000000000000"]

[rules."secret/jwt"]
enabled = false

[rules."secret/password-assignment"]
severity = "low"

[[allow]]
path = "tests/fixtures/*"
rule = "secret/*"
```

## How matching runs

Every rule's expression is compiled into one Hyperscan database in prefilter mode. One pass
over an item's UTF-8 bytes reports where each rule could match; Python then runs that rule's
own expression only in a small window ending just after each reported position (a rule's
`max_span`, 1,024 characters by default, back), and the validator decides. Clean text costs
the native pass alone, and a 50 MB minified line with a few hits costs a few small windows.

## Rules
"""


def main() -> None:
    out = [INTRO]
    total = sum(len(rules) for rules in FAMILIES.values())
    out.append(f"{total} rules in {len(FAMILIES)} families.\n")
    for family, rules in FAMILIES.items():
        out.append(f"\n### {family} ({len(rules)})\n\n| rule | severity | description |\n")
        out.append("|---|---|---|\n")
        for rule in rules:
            severity = rule.severity.name.lower()
            out.append(f"| `secret/{rule.id}` | {severity} | {rule.description} |\n")
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
