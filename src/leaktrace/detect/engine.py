"""One native pass finds where pattern rules can match; Python looks only there.

All rules' expressions are compiled into a single Hyperscan database in prefilter mode, which
accepts every construct Python's ``re`` does by over-approximating: every real match of a rule
ends where the prefilter reports a match of it. Scanning an item's UTF-8 bytes once gives those
end offsets; Python then runs each reported rule's own expression only in a window that ends
just after each offset (``PatternRule.max_span`` characters back), and the validators decide.
Clean text costs one pass at native speed however many rules there are, and a 50 MB minified
line with a few hits costs a few small windows, not 50 MB per rule.

When Hyperscan is not available on a platform (or refuses one expression), the affected rules
are simply run over the whole text: slower, never wrong.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from types import ModuleType

from leaktrace.detect.patterns import PatternRule

hyperscan: ModuleType | None
try:
    import hyperscan
except ImportError:  # pragma: no cover - wheels exist for the platforms we test on
    hyperscan = None

_NAMED_GROUP = re.compile(r"\(\?P<\w+>")
_FLAGS = ("HS_FLAG_PREFILTER", "HS_FLAG_UTF8", "HS_FLAG_ALLOWEMPTY")


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
        hits = set(self._always) | set(self._ends(_utf8(text)))
        return [rule for index, rule in enumerate(self.rules) if index in hits]

    def find(self, text: str) -> Iterator[tuple[PatternRule, int, str]]:
        """(rule, offset, value) of every validated match of every rule, rule by rule."""
        ends: dict[int, list[int]] = {}
        if self._database is not None:
            data = _utf8(text)
            ends = _as_characters(self._ends(data), data, text)
        for index, rule in enumerate(self.rules):
            if self._database is None or index in self._always:
                for offset, value in rule.matches(text):
                    yield rule, offset, value
            elif index in ends:
                yield from _in_windows(rule, text, ends[index])

    def _ends(self, data: bytes) -> dict[int, list[int]]:
        """Byte offsets where each rule's prefilter matched, per rule index."""
        ends: dict[int, list[int]] = {}

        def on_match(rule_id: int, _start: int, end: int, _flags: int, _context: object) -> None:
            ends.setdefault(rule_id, []).append(end)

        assert self._database is not None
        self._database.scan(data, match_event_handler=on_match)  # type: ignore[attr-defined]
        return ends


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "replace")


_LOOK_AHEAD = 256  # characters after a reported end that a window keeps for look-ahead


def _in_windows(
    rule: PatternRule, text: str, ends: list[int]
) -> Iterator[tuple[PatternRule, int, str]]:
    """The rule's matches in merged windows ``[end - max_span, end + _LOOK_AHEAD)``."""
    seen: set[tuple[int, str]] = set()
    for pos, endpos in _merged(sorted(ends), rule.max_span, len(text)):
        for offset, value in rule.matches(text, pos, endpos):
            if (offset, value) not in seen:
                seen.add((offset, value))
                yield rule, offset, value


def _merged(ends: list[int], span: int, length: int) -> Iterator[tuple[int, int]]:
    window: tuple[int, int] | None = None
    for end in ends:
        pos, endpos = max(0, end - span), min(length, end + _LOOK_AHEAD)
        if window is not None and pos <= window[1]:
            window = (window[0], endpos)
            continue
        if window is not None:
            yield window
        window = (pos, endpos)
    if window is not None:
        yield window


def _as_characters(ends: dict[int, list[int]], data: bytes, text: str) -> dict[int, list[int]]:
    """The same offsets counted in characters of ``text`` rather than bytes of ``data``."""
    if len(data) == len(text) or not ends:  # ASCII: bytes are characters
        return ends
    wanted = sorted({end for found in ends.values() for end in found})
    table: dict[int, int] = {}
    position = characters = 0
    for end in wanted:  # decoding in C, segment by segment: no per-byte Python
        characters += len(data[position:end].decode("utf-8", "replace"))
        table[end], position = characters, end
    return {rule: [table[end] for end in found] for rule, found in ends.items()}


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
