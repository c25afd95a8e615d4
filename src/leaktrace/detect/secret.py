"""Credentials: cloud keys, tokens, private keys and passwords in configuration.

The rules live in :mod:`leaktrace.detect.secrets`, one module per family of services, written
from the formats' public descriptions (fixed prefixes, lengths, alphabets and embedded
checksums). Documented example values and obvious placeholders are suppressed so that
documentation does not raise alarms. A policy adds its own rules (:mod:`leaktrace.detect.custom`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from leaktrace.core.finding import Finding, digest, redact
from leaktrace.core.item import Item
from leaktrace.core.plugin import Detector
from leaktrace.detect.custom import policy_rules
from leaktrace.detect.engine import RuleSet
from leaktrace.detect.secrets import SECRET_RULES
from leaktrace.detect.secrets._common import shannon_entropy

__all__ = ["SECRET_RULES", "SecretDetector", "shannon_entropy"]


class SecretDetector(Detector):
    """Finds credentials in an item's text; evidence is a redacted prefix, never the secret."""

    name = "secret"
    rules = tuple(rule.as_rule("secret") for rule in SECRET_RULES)

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        super().__init__(options)
        custom = policy_rules(self.options.get("rules"), self.name)
        self.extra_rules = tuple(rule.as_rule(self.name) for rule in custom)
        self._rules = RuleSet((*SECRET_RULES, *custom))

    def detect(self, item: Item) -> Iterator[Finding]:
        text = item.text
        if not text:
            return
        for rule, offset, value in self._rules.find(text):
            yield self.finding(
                item,
                rule.id,
                f"{rule.description} found",
                offset=offset,
                evidence=redact(value),
                key=digest(value),
            )
