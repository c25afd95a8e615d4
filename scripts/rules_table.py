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

A policy cannot add rules: there is no custom-rule table today, so a new credential format is
a new `PatternRule` in the family module (with its examples) and a regenerated table below
(`python3 scripts/rules_table.py > docs/secrets.md`). A policy can turn any rule off, change its
severity or action, and accept findings by path and rule (see [policy.md](policy.md)):

```toml
[rules."secret/jwt"]
enabled = false

[rules."secret/password-assignment"]
severity = "low"

[[allow]]
path = "tests/fixtures/*"
rule = "secret/*"
```

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
