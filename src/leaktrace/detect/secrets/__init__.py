"""The credential rule tables of the ``secret`` detector, one module per family of services.

Every rule is data (:class:`~leaktrace.detect.patterns.PatternRule`) and carries examples that
must and must not match; ``tests/detect/test_rules.py`` checks them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from leaktrace.detect.patterns import PatternRule
from leaktrace.detect.secrets.chat import CHAT_RULES
from leaktrace.detect.secrets.cloud import CLOUD_RULES
from leaktrace.detect.secrets.keys import KEY_RULES
from leaktrace.detect.secrets.payment import PAYMENT_RULES
from leaktrace.detect.secrets.saas import SAAS_RULES
from leaktrace.detect.secrets.vcs import VCS_RULES

FAMILIES: Mapping[str, tuple[PatternRule, ...]] = MappingProxyType(
    {
        "cloud": CLOUD_RULES,
        "vcs": VCS_RULES,
        "chat": CHAT_RULES,
        "payment": PAYMENT_RULES,
        "saas": SAAS_RULES,
        "keys": KEY_RULES,
    }
)

SECRET_RULES: tuple[PatternRule, ...] = tuple(rule for rules in FAMILIES.values() for rule in rules)

__all__ = ["FAMILIES", "SECRET_RULES"]
