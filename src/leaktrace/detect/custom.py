"""An organization's own pattern rules, written in the policy file as data.

    [[detectors.secret.rules]]
    id = "acme-deploy-key"
    description = "ACME deployment key"
    pattern = 'acme_dk_[0-9a-f]{32}'
    severity = "high"                  # default: medium
    ignore_case = false
    min_entropy = 3.0                  # optional: the value must look random
    must_match = ["acme_dk_5f0c2a9e61b84d7f9a3e0c1b2d4f6a8e"]
    must_not_match = ["acme_dk_example"]

A rule is checked when the policy is loaded: a pattern that does not compile, an example that
does not match (or a counter-example that does) is a policy error naming the rule, before any
file is scanned. Custom rules join the detector's built-in ones in the same native prefilter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from leaktrace.core.errors import PolicyError
from leaktrace.core.policy import severity_setting, string_list
from leaktrace.detect.patterns import PatternRule, Validator
from leaktrace.detect.secrets._common import shannon_entropy

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_KEYS = {
    "id",
    "description",
    "pattern",
    "severity",
    "ignore_case",
    "min_entropy",
    "must_match",
    "must_not_match",
}


def policy_rules(raw: Any, detector: str) -> tuple[PatternRule, ...]:
    """The rules listed under ``[[detectors.<detector>.rules]]``, each checked."""
    if raw is None:
        return ()
    where = f"policy [[detectors.{detector}.rules]]"
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise PolicyError(f"{where} must be an array of tables")
    rules = tuple(_rule(entry, detector, where) for entry in raw)
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise PolicyError(f"{where}: rule id {rule.id!r} is defined twice")
        seen.add(rule.id)
    return rules


def _rule(entry: Any, detector: str, where: str) -> PatternRule:
    if not isinstance(entry, Mapping):
        raise PolicyError(f"{where}: every rule must be a table")
    rule_id = entry.get("id")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise PolicyError(f"{where}: a rule needs an `id` of lower-case letters, digits, . _ -")
    name = f"rule {detector}/{rule_id}"
    unknown = set(entry) - _KEYS
    if unknown:
        raise PolicyError(f"{name}: unknown key(s) {', '.join(sorted(unknown))}")
    pattern = entry.get("pattern")
    if not isinstance(pattern, str) or not pattern:
        raise PolicyError(f"{name}: `pattern` must be a non-empty string")
    flags = re.IGNORECASE if _boolean(entry.get("ignore_case", False), name) else 0
    try:
        compiled = re.compile(pattern, flags)
    except re.error as error:
        raise PolicyError(f"{name}: invalid pattern: {error}") from None
    if compiled.match(""):
        raise PolicyError(f"{name}: the pattern matches empty text, so it would match everywhere")
    rule = PatternRule(
        id=rule_id,
        description=str(entry.get("description") or f"Policy rule {rule_id}"),
        pattern=pattern,
        severity=severity_setting(entry.get("severity", "medium"), name),
        flags=flags,
        validator=_entropy_validator(entry.get("min_entropy"), name),
        must_match=string_list(entry.get("must_match", []), f"{name}: must_match"),
        must_not_match=string_list(entry.get("must_not_match", []), f"{name}: must_not_match"),
    )
    _check_examples(rule, name)
    return rule


def _boolean(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise PolicyError(f"{name}: `ignore_case` must be true or false")
    return value


def _entropy_validator(value: Any, name: str) -> Validator | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 8:
        raise PolicyError(f"{name}: `min_entropy` must be a number of bits from 0 to 8")
    threshold = float(value)
    return lambda text: shannon_entropy(text) >= threshold


def _check_examples(rule: PatternRule, name: str) -> None:
    for example in rule.must_match:
        if not any(rule.matches(example)):
            raise PolicyError(f"{name}: its example {example!r} does not match the pattern")
    for example in rule.must_not_match:
        if any(rule.matches(example)):
            raise PolicyError(f"{name}: its counter-example {example!r} matches the pattern")
