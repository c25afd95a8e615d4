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
    values = check_bits(plan, bits).tolist()
    apostrophe = wording.apostrophe_of("".join(nodes))
    edits: defaultdict[int, list[Edit]] = defaultdict(list)
    for slot, bit in zip(plan.slots, values, strict=True):
        if slot.node >= len(nodes) and slot.layer != "format":
            raise PlanMismatch(f"the plan has a slot in node {slot.node} of {len(nodes)}")
        if slot.layer == "invisible":
            edits[slot.node].append(_invisible_edit(nodes[slot.node], slot, bit))
    for indices in plan.positions().values():
        slot = plan.slots[indices[0]]
        sides = {plan.slots[i].part: values[i] ^ plan.slots[i].zero for i in indices}
        edit = _wording_edit(nodes[slot.node], slot, slot.tree.leaf(sides), apostrophe)
        if edit is not None:
            edits[slot.node].append(edit)
    copy = list(nodes)
    for node, node_edits in edits.items():
        copy[node] = _applied(nodes[node], node_edits)
    return copy


def _invisible_edit(node: str, slot: Slot, bit: int) -> Edit:
    if slot.variant == ZERO_WIDTH_ID:
        if slot.start > len(node):
            raise PlanMismatch(f"a mark falls past the end of node {slot.node}")
        return slot.start, slot.start, slot.forms[bit]
    if node[slot.start : slot.end] != LOOKALIKE_LATIN[slot.forms[0]]:
        raise PlanMismatch(f"node {slot.node} changed where the plan has a look-alike")
    return slot.start, slot.end, slot.forms[bit]


def _wording_edit(node: str, slot: Slot, form: int, apostrophe: str) -> Edit | None:
    """Write form number ``form`` of a wording position (0, the original's, writes nothing)."""
    span = node[slot.start : slot.end]
    if not wording.matches(span, slot.forms[0]):
        raise PlanMismatch(
            f"node {slot.node} no longer has {slot.forms[0]!r} where the plan has it"
        )
    if form == 0:
        return None
    return slot.start, slot.end, wording.rewrite(span, slot.forms[form], apostrophe)


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
    """The original's text and what bit 0 and bit 1 write; for a node of a larger family, the
    forms each side leads to, joined with " / "."""
    span = node[slot.start : slot.end]
    if slot.layer == "wording":
        written = [span] + [wording.rewrite(span, form, apostrophe) for form in slot.forms[1:]]
        sides = [
            " / ".join(written[leaf] for leaf in slot.tree.subtree(slot.part, side))
            for side in (slot.zero, 1 - slot.zero)
        ]
        return span, (sides[0], sides[1])
    if slot.variant == ZERO_WIDTH_ID:
        return "", (_named(slot.forms[0]), _named(slot.forms[1]))
    if slot.variant == LOOKALIKE_ID:
        return span, (_named(slot.forms[0]), _named(slot.forms[1]))
    return "", (slot.forms[0], slot.forms[1])


def _named(char: str) -> str:
    return f"U+{ord(char):04X}"


def _snippet(node: str, slot: Slot) -> str:
    before = node[max(0, slot.start - _AROUND) : slot.start]
    after = node[slot.end : slot.end + _AROUND]
    inner = node[slot.start : slot.end] if slot.layer != "format" else node[:_AROUND]
    if slot.layer == "format":
        return " ".join(inner.split())
    return " ".join(before.split()) + " [" + inner + "] " + " ".join(after.split())
