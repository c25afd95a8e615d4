"""Placing a document's slots: ``plan_marks``.

The nodes are joined into the text a reader sees (``joins``: what stands between node i and
i + 1; "" inside a word or sentence, a line break between paragraphs, None for content that a
leak may or may not show, such as a link's URL). Every word whose window of ``CONTEXT`` words
lies in one stretch without an unknown join and occurs once in the document is an *anchor*:
it may carry one wording slot, one zero-width slot and one look-alike slot, all found again
by that window's hash. Edits stay inside one node and never overlap. Finally every slot is
written with both bits and read back; the few that do not read back (two rules interacting
near a node edge) are dropped.
"""

from __future__ import annotations

import bisect
import hashlib
import secrets
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from leaktrace.core.errors import UsageError
from leaktrace.trace import invisible, wording
from leaktrace.trace.glyphs import HOMOGLYPHS, ZERO_WIDTH
from leaktrace.trace.plan import LAYERS, FormatMark, MarkPlan, Slot, join_nodes
from leaktrace.trace.positions import tree
from leaktrace.trace.read import read_marks
from leaktrace.trace.render import render_marks
from leaktrace.trace.tokens import (
    CONTEXT,
    Hashes,
    Rules,
    Words,
    text_hash,
    window_hashes,
    word_ids,
    words,
)
from leaktrace.trace.variant import STYLES, Variant

KEY_BYTES = 16
_MIN_FORMAT_WORDS = 3  # shorter runs ("the", "Page 2") repeat too often to be located


@dataclass(frozen=True, eq=False)
class _Document:
    """The joined text, where each node starts in it, and where unknown joins are."""

    text: str
    starts: list[int]
    lengths: list[int]
    breaks: list[int]

    @classmethod
    def of(cls, nodes: Sequence[str], joins: Sequence[str | None] | None) -> _Document:
        if joins is not None and len(joins) < len(nodes) - 1:
            raise UsageError(f"{len(joins)} joins for {len(nodes)} nodes")
        starts, breaks, position = [], [], 0
        for index, node in enumerate(nodes):
            if index:
                join = joins[index - 1] if joins is not None else None
                if join is None:
                    breaks.append(position)
                position += 1 if join is None else len(join)
            starts.append(position)
            position += len(node)
        return cls(join_nodes(nodes, joins), starts, [len(node) for node in nodes], breaks)

    def node_of(self, start: int, end: int) -> int | None:
        """The node that holds ``[start, end)`` whole (an insertion: ``end == start + 1``)."""
        node = bisect.bisect_right(self.starts, start) - 1
        if node < 0 or end > self.starts[node] + self.lengths[node]:
            return None
        return node


def plan_marks(
    nodes: Sequence[str],
    *,
    veto: Collection[str] = (),
    joins: Sequence[str | None] | None = None,
    layers: Collection[str] = LAYERS,
    format_mark: FormatMark | None = None,
    key: bytes | None = None,
    style: str = "safe",
) -> MarkPlan:
    """Place the slots of a document given as text nodes in reading order.

    ``veto``: variant ids or their groups ("spelling", "contraction.not", "invisible",
    "invisible.lookalike", "wording") that must not be used. ``layers``: the layers the format
    can hold (a cp1252 text file cannot hold invisible marks). ``key``: the hash key (random
    when None; give one only for reproducible tests). ``style``: "safe", or "bold" for the
    variants that change a copy's style visibly as well (``variant.STYLES``).
    """
    if style not in STYLES:
        raise UsageError(f"unknown style {style!r}; choose one of {', '.join(STYLES)}")
    key = secrets.token_bytes(KEY_BYTES) if key is None else key
    document = _Document.of(nodes, joins)
    rules = wording.canonical_rules()
    text_words = words(document.text, rules)
    hashes = window_hashes(word_ids(text_words.tokens, key))
    anchors = _anchors(text_words, hashes, document.breaks)
    vetoed = set(veto)
    slots: list[Slot] = []
    if "wording" in layers and "wording" not in vetoed:
        shown = wording.registers(text_words.folded, text_words.tokens)
        variants = wording.active(vetoed, shown, style)
        slots += _wording_slots(document, text_words, hashes, anchors, variants, key)
    if "invisible" in layers and "invisible" not in vetoed:
        slots += _invisible_slots(document, text_words, hashes, anchors, slots, vetoed)
    used = set(text_words.fired) | _slot_rules(slots, rules)
    if (
        format_mark is not None
        and "format" in layers
        and not vetoed & {"format", format_mark.variant}
    ):
        format_slots, fired = _format_slots(nodes, format_mark, key)
        slots += format_slots
        used |= fired
    plan = MarkPlan(tuple(slots), key, tuple(sorted((rule, rules[rule]) for rule in used)))
    return _self_checked(plan, nodes, joins)


def _anchors(text_words: Words, hashes: Hashes, breaks: list[int]) -> npt.NDArray[np.bool_]:
    """Words whose window is whole (no unknown join inside) and unique in the document."""
    count = len(text_words.tokens)
    usable = np.zeros(count, dtype=np.bool_)
    if count < CONTEXT:
        return usable
    segment = np.searchsorted(np.array(breaks, dtype=np.int64), text_words.starts, side="right")
    usable[CONTEXT - 1 :] = segment[CONTEXT - 1 :] == segment[: count - CONTEXT + 1]
    values, counts = np.unique(hashes[usable], return_counts=True)
    usable &= np.isin(hashes, values[counts == 1])
    return usable


def _wording_slots(
    document: _Document,
    text_words: Words,
    hashes: Hashes,
    anchors: npt.NDArray[np.bool_],
    variants: Sequence[Variant],
    key: bytes,
) -> Iterator[Slot]:
    at_start: dict[int, int] = {}
    at_end: dict[int, int] = {}
    for index, (start, end) in enumerate(
        zip(text_words.starts.tolist(), text_words.ends.tolist(), strict=True)
    ):
        at_start.setdefault(start, index)
        at_end[end] = index
    found = wording.find(text_words, variants)
    taken: set[tuple[int, str]] = set()  # one slot per anchor and reading point
    reached = -1
    for item in sorted(found, key=lambda item: (item.start, -item.end)):
        if item.start < reached:
            continue  # overlaps a slot already placed
        anchor = _anchor(item, at_start, at_end, text_words)
        node = document.node_of(item.start, item.end)
        if anchor is None or node is None or not anchors[anchor]:
            continue
        if (anchor, item.variant.mode) in taken:
            continue
        taken.add((anchor, item.variant.mode))
        reached = item.end
        offset = document.starts[node]
        for part in range(tree(len(item.forms)).nodes):
            yield Slot(
                "wording", item.variant.id, int(hashes[anchor]), node, item.start - offset,
                item.end - offset, item.forms, _coin(key, node, item.start, part),
                item.variant.mode, part,
            )  # fmt: skip


def _anchor(
    item: wording.Found, at_start: dict[int, int], at_end: dict[int, int], text_words: Words
) -> int | None:
    """The word a reader locates a form by (see ``variant.Mode``)."""
    if item.variant.mode == "at":
        return at_start.get(item.start)
    before = at_end.get(item.start)
    if before is None:
        return None
    if item.variant.mode == "after":
        return before
    following = before + 1
    if following >= len(text_words.tokens) or text_words.starts[following] < item.end:
        return None
    return following


def _coin(key: bytes, node: int, start: int, part: int) -> int:
    """Which side of a wording slot's node means 0: a keyed coin per place and node (the
    root's label is the one a pair has always had)."""
    label = f"zero:{node}:{start}" + (f":{part}" if part else "")
    digest = hashlib.blake2b(label.encode(), key=key, digest_size=1).digest()
    return digest[0] & 1


def _invisible_slots(
    document: _Document,
    text_words: Words,
    hashes: Hashes,
    anchors: npt.NDArray[np.bool_],
    placed: Sequence[Slot],
    vetoed: set[str],
) -> Iterator[Slot]:
    spans = sorted(
        (document.starts[slot.node] + slot.start, document.starts[slot.node] + slot.end)
        for slot in placed
    )
    zero_width = invisible.ZERO_WIDTH_ID not in vetoed
    lookalike = invisible.LOOKALIKE_ID not in vetoed
    for anchor in np.flatnonzero(anchors).tolist():
        context = int(hashes[anchor])
        point = invisible.zero_width_point(text_words, anchor) if zero_width else None
        if point is not None and not _inside(spans, point, strict=True):
            yield from _slot_at(document, point, invisible.ZERO_WIDTH_ID, ZERO_WIDTH, context)
        point = invisible.lookalike_point(text_words, anchor) if lookalike else None
        if point is not None and not _inside(spans, point, strict=False):
            forms = HOMOGLYPHS[document.text[point]]
            yield from _slot_at(document, point, invisible.LOOKALIKE_ID, forms, context, 1)


def _inside(spans: list[tuple[int, int]], point: int, *, strict: bool) -> bool:
    """Whether ``point`` falls in a wording span (``strict``: an insertion at its start is fine)."""
    index = bisect.bisect_right(spans, (point, float("inf"))) - 1
    if index < 0:
        return False
    start, end = spans[index]
    return start < point < end if strict else start <= point < end


def _slot_at(
    document: _Document, point: int, variant: str, forms: tuple[str, str], context: int,
    width: int = 0,
) -> Iterator[Slot]:  # fmt: skip
    """An invisible slot at ``point`` of the joined text, if a node holds it."""
    node = document.node_of(point, point + 1)
    if node is not None:
        offset = point - document.starts[node]
        yield Slot("invisible", variant, context, node, offset, offset + width, forms)


def _format_slots(
    nodes: Sequence[str], mark: FormatMark, key: bytes
) -> tuple[list[Slot], set[tuple[str, ...]]]:
    """One slot per eligible node whose words are unique among all nodes."""
    rules = wording.canonical_rules()
    hashes: list[int | None] = []
    fired: set[tuple[str, ...]] = set()
    for node in nodes:
        node_words = words(node, rules)
        fired |= node_words.fired
        enough = len(node_words.tokens) >= _MIN_FORMAT_WORDS
        hashes.append(text_hash(node_words.tokens, key) if enough else None)
    counts = Counter(value for value in hashes if value is not None)
    slots = [
        Slot("format", mark.variant, value, index, 0, 0, mark.forms)
        for index in sorted(mark.nodes)
        if index < len(nodes) and (value := hashes[index]) is not None and counts[value] == 1
    ]
    return slots, fired


def _slot_rules(slots: Sequence[Slot], rules: Rules) -> set[tuple[str, ...]]:
    """The rules a copy needs at its wording slots (where it writes the other form)."""
    used: set[tuple[str, ...]] = set()
    for slot in slots:
        if slot.layer == "wording":
            used.update(key for key in map(wording.form_words, slot.forms) if key in rules)
    return used


def _self_checked(
    plan: MarkPlan, nodes: Sequence[str], joins: Sequence[str | None] | None
) -> MarkPlan:
    """Write every text slot with both bits and every position with each of its forms, read
    them back, and drop the slots (whole positions) that misread."""
    text_slots = np.array([slot.layer != "format" for slot in plan.slots], dtype=np.bool_)
    if not text_slots.any():
        return plan
    bad = np.zeros(len(plan.slots), dtype=np.bool_)
    for bits in _check_patterns(plan):
        copy = join_nodes(render_marks(nodes, plan, bits), joins)
        bad |= text_slots & (read_marks(copy, plan) != plan.readings_of(bits))
    if not bad.any():
        return plan
    dropped = set(np.flatnonzero(bad).tolist())
    for indices in plan.positions().values():
        if dropped.intersection(indices):
            dropped.update(indices)
    return plan.without(dropped)


def _check_patterns(plan: MarkPlan) -> Iterator[npt.NDArray[np.uint8]]:
    """Bit patterns that, together, give every slot both bits and every position every form.

    A node at depth d of its tree gets bit d of the pattern's number (XOR the slot index's
    parity, so that neighbouring slots differ): over 2**depth patterns every combination of
    sides by depth occurs, so every leaf is reached.
    """
    depth = np.zeros(len(plan.slots), dtype=np.int64)
    for index, slot in enumerate(plan.slots):
        if slot.layer == "wording":
            depth[index] = _node_depth(slot)
    parity = np.arange(len(plan.slots)) % 2
    for number in range(2 ** max(1, int(depth.max(initial=0)) + 1)):
        yield (((number >> depth) & 1) ^ parity).astype(np.uint8)


def _node_depth(slot: Slot) -> int:
    """How many nodes lie above a wording slot's node in its tree."""
    for path in slot.tree.paths:
        nodes = [node for node, _ in path]
        if slot.part in nodes:
            return nodes.index(slot.part)
    raise AssertionError("every node lies on a path")
