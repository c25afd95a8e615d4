"""One native pass decides which pattern rules can match an item at all.

All rules' expressions are compiled into a single Hyperscan database in prefilter mode, which
accepts every construct Python's ``re`` does by over-approximating (a prefilter match is a
superset of the real ones). Scanning an item's UTF-8 bytes once tells which rules are worth
running; Python then runs only those, and only their validators decide. Clean text, the common
case, costs one pass at native speed however many rules there are.

When Hyperscan is not available on a platform (or refuses one expression), the affected rules
are simply always run: slower, never wrong.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from types import ModuleType

from leaktrace.detect.patterns import PatternRule

hyperscan: ModuleType | None
try:
    import hyperscan
except ImportError:  # pragma: no cover - wheels exist for the platforms we test on
    hyperscan = None

_NAMED_GROUP = re.compile(r"\(\?P<\w+>")
_FLAGS = ("HS_FLAG_PREFILTER", "HS_FLAG_SINGLEMATCH", "HS_FLAG_UTF8", "HS_FLAG_ALLOWEMPTY")


def _hyperscan_expression(rule: PatternRule) -> bytes:
    expression = _NAMED_GROUP.sub("(", rule.pattern)
    if rule.flags & re.IGNORECASE and not expression.startswith("(?i)"):
        expression = "(?i)" + expression
    return expression.encode("utf-8")


class RuleSet:
    """Pattern rules with a native prefilter in front of them."""

    def __init__(self, rules: Sequence[PatternRule]) -> None:
        self.rules = tuple(rules)
        self._database, self._always = _compile(self.rules)

    def candidates(self, text: str) -> list[PatternRule]:
        """The rules that may match ``text``, in declaration order."""
        if self._database is None:
            return list(self.rules)
        hits: set[int] = set(self._always)

        def on_match(rule_id: int, _start: int, _end: int, _flags: int, _context: object) -> None:
            hits.add(rule_id)

        self._database.scan(  # type: ignore[attr-defined]
            text.encode("utf-8", "replace"), match_event_handler=on_match
        )
        return [rule for index, rule in enumerate(self.rules) if index in hits]


@functools.lru_cache(maxsize=32)
def _compile(rules: tuple[PatternRule, ...]) -> tuple[object | None, frozenset[int]]:
    """The database for ``rules`` and the indexes it could not take. Cached: compiling is the
    slow part (tenths of a second) and every scanner in a process uses the same rules."""
    if hyperscan is None or not rules:
        return None, frozenset(range(len(rules)))
    flags = 0
    for name in _FLAGS:
        flags |= getattr(hyperscan, name)
    indexes = list(range(len(rules)))
    database = _database([_hyperscan_expression(rules[i]) for i in indexes], indexes, flags)
    if database is not None:
        return database, frozenset()
    # Some expression was refused: find which, and let the others keep the fast path.
    accepted = [i for i in indexes if _database([_hyperscan_expression(rules[i])], [i], flags)]
    refused = frozenset(indexes) - set(accepted)
    expressions = [_hyperscan_expression(rules[i]) for i in accepted]
    return (_database(expressions, accepted, flags) if accepted else None), refused


def _database(expressions: list[bytes], ids: list[int], flags: int) -> object | None:
    assert hyperscan is not None
    database: object = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    try:
        database.compile(  # type: ignore[attr-defined]
            expressions=expressions, ids=ids, elements=len(ids), flags=[flags] * len(ids)
        )
    except hyperscan.error:
        return None
    return database
