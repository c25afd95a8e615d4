"""Writing a recipient's bits into the nodes (``render_marks``) and showing slots (``explain``)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Sequence

import numpy.typing as npt

from leaktrace.trace import wording
from leaktrace.trace.glyphs import LOOKALIKE_LATIN
from leaktrace.trace.invisible import LOOKALIKE_ID, ZERO_WIDTH_ID
from leaktrace.trace.plan import ExplainedSlot, MarkPlan, PlanMismatch, Slot, check_bits

Edit = tuple[int, int, str]
_AROUND = 30  # characters of context either side in an explanation
_NEXT_LETTER = re.compile("[\\s\u200b\u200c\"'\u201c\u2018(\\[]*[^\\W\\d_]")


def render_marks(nodes: Sequence[str], plan: MarkPlan, bits: npt.ArrayLike) -> list[str]:
    """The nodes of one recipient's copy: ``bits`` has one 0/1 per slot of the plan.

    Format slots' bits are ignored here (they go to the document's ``save``). Raises
    ``PlanMismatch`` when the nodes are not those the plan was made for.
    """
    values = check_bits(plan, bits).tolist()
    apostrophe = wording.apostrophe_of("".join(nodes))
    edits: defaultdict[int, list[Edit]] = defaultdict(list)
    openings: defaultdict[int, set[Edit]] = defaultdict(set)
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
            if _opens_sentence(nodes[slot.node][edit[0] : edit[1]], edit[2]):
                openings[slot.node].add(edit)
    copy = list(nodes)
    for node, node_edits in edits.items():
        copy[node] = _applied(nodes[node], node_edits, openings[node])
    return copy


def _opens_sentence(span: str, written: str) -> bool:
    """Whether a wording edit ends a sentence where the original went on ("X, and the" ->
    "X. The"): the word after it then takes a capital (see ``_capitalized``)."""
    return written.rstrip()[-1:] in (".", "!", "?") and span.rstrip()[-1:] not in (".", "!", "?")


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


def _applied(node: str, edits: list[Edit], openings: Collection[Edit] = ()) -> str:
    """Apply non-overlapping edits (an insertion sorts before a replacement at its offset);
    the first letter after an edit in ``openings`` takes a capital, whatever edit wrote it."""
    pieces: list[str] = []
    capitals: list[int] = []
    done = length = 0
    for edit in sorted(edits):
        start, end, text = edit
        if start < done:
            raise PlanMismatch("the plan has overlapping slots")
        pieces += (node[done:start], text)
        length += start - done + len(text)
        if edit in openings:
            capitals.append(length)
        done = end
    pieces.append(node[done:])
    return _capitalized("".join(pieces), capitals)


def _capitalized(text: str, points: Sequence[int]) -> str:
    """``text`` with the first letter after each point (past spaces, zero-width marks,
    quotes and brackets) in upper case."""
    if not points:
        return text
    chars = list(text)
    for point in points:
        match = _NEXT_LETTER.match(text, point)
        if match is not None:
            chars[match.end() - 1] = chars[match.end() - 1].upper()
    return "".join(chars)


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
