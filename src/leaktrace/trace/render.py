"""Writing a recipient's bits into the nodes (``render_marks``) and showing slots (``explain``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy.typing as npt

from leaktrace.trace import wording
from leaktrace.trace.glyphs import LOOKALIKE_LATIN
from leaktrace.trace.invisible import LOOKALIKE_ID, ZERO_WIDTH_ID
from leaktrace.trace.plan import ExplainedSlot, MarkPlan, PlanMismatch, Slot, check_bits

Edit = tuple[int, int, str]
_AROUND = 30  # characters of context either side in an explanation


def render_marks(nodes: Sequence[str], plan: MarkPlan, bits: npt.ArrayLike) -> list[str]:
    """The nodes of one recipient's copy: ``bits`` has one 0/1 per slot of the plan.

    Format slots' bits are ignored here (they go to the document's ``save``). Raises
    ``PlanMismatch`` when the nodes are not those the plan was made for.
    """
    values = check_bits(plan, bits)
    apostrophe = wording.apostrophe_of("".join(nodes))
    edits: defaultdict[int, list[Edit]] = defaultdict(list)
    for slot, bit in zip(plan.slots, values.tolist(), strict=True):
        if slot.layer == "format":
            continue
        if slot.node >= len(nodes):
            raise PlanMismatch(f"the plan has a slot in node {slot.node} of {len(nodes)}")
        edit = _edit(nodes[slot.node], slot, bit, apostrophe)
        if edit is not None:
            edits[slot.node].append(edit)
    copy = list(nodes)
    for node, node_edits in edits.items():
        copy[node] = _applied(nodes[node], node_edits)
    return copy


def _edit(node: str, slot: Slot, bit: int, apostrophe: str) -> Edit | None:
    span = node[slot.start : slot.end]
    if slot.variant == ZERO_WIDTH_ID:
        if slot.start > len(node):
            raise PlanMismatch(f"a mark falls past the end of node {slot.node}")
        return slot.start, slot.start, slot.forms[bit]
    if slot.variant == LOOKALIKE_ID:
        if span != LOOKALIKE_LATIN[slot.forms[0]]:
            raise PlanMismatch(f"node {slot.node} changed where the plan has a look-alike")
        return slot.start, slot.end, slot.forms[bit]
    if not wording.matches(span, slot.forms[0]):
        raise PlanMismatch(
            f"node {slot.node} no longer has {slot.forms[0]!r} where the plan has it"
        )
    form = slot.zero if bit == 0 else 1 - slot.zero
    if form == 0:
        return None
    return slot.start, slot.end, wording.rewrite(span, slot.forms[1], apostrophe)


def _applied(node: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits (an insertion sorts before a replacement at its offset)."""
    pieces: list[str] = []
    done = 0
    for start, end, text in sorted(edits):
        if start < done:
            raise PlanMismatch("the plan has overlapping slots")
        pieces += (node[done:start], text)
        done = end
    pieces.append(node[done:])
    return "".join(pieces)


def explain(nodes: Sequence[str], plan: MarkPlan) -> list[ExplainedSlot]:
    """Where every slot is, what the original has there and what bit 0 and bit 1 write."""
    apostrophe = wording.apostrophe_of("".join(nodes))
    explained = []
    for index, slot in enumerate(plan.slots):
        node = nodes[slot.node] if slot.node < len(nodes) else ""
        line_start = node.rfind("\n", 0, slot.start) + 1
        original, alternatives = _alternatives(node, slot, apostrophe)
        explained.append(
            ExplainedSlot(
                index=index,
                layer=slot.layer,
                variant=slot.variant,
                node=slot.node,
                line=node.count("\n", 0, slot.start) + 1,
                column=slot.start - line_start + 1,
                context=_snippet(node, slot),
                original=original,
                alternatives=alternatives,
            )
        )
    return explained


def _alternatives(node: str, slot: Slot, apostrophe: str) -> tuple[str, tuple[str, str]]:
    span = node[slot.start : slot.end]
    if slot.layer == "wording":
        other = wording.rewrite(span, slot.forms[1], apostrophe)
        return span, (span, other) if slot.zero == 0 else (other, span)
    if slot.variant == ZERO_WIDTH_ID:
        return "", (_named(slot.forms[0]), _named(slot.forms[1]))
    if slot.variant == LOOKALIKE_ID:
        return span, (_named(slot.forms[0]), _named(slot.forms[1]))
    return "", slot.forms


def _named(char: str) -> str:
    return f"U+{ord(char):04X}"


def _snippet(node: str, slot: Slot) -> str:
    before = node[max(0, slot.start - _AROUND) : slot.start]
    after = node[slot.end : slot.end + _AROUND]
    inner = node[slot.start : slot.end] if slot.layer != "format" else node[:_AROUND]
    if slot.layer == "format":
        return " ".join(inner.split())
    return " ".join(before.split()) + " [" + inner + "] " + " ".join(after.split())
