"""Reading the slots of a plan in a leaked text: ``read_marks``.

The leak may be any part of any mix of copies: every window of ``CONTEXT`` canonical words is
hashed and looked up among the plan's slot contexts, all at once with numpy; invisible marks
are read for all hits at once too, and only the few wording hits one by one. A slot read twice
with different values (overlapping excerpts of two copies) reads -1.
"""

from __future__ import annotations

import bisect
import re

import numpy as np
import numpy.typing as npt

from leaktrace.trace import invisible, wording
from leaktrace.trace.glyphs import LOOKALIKE_BITS, ZERO_WIDTH
from leaktrace.trace.plan import MarkPlan, Readings
from leaktrace.trace.tokens import CONTEXT, Hashes, Words, window_hashes, word_ids, words

_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb06": "st",
    }
)
_LIGATURE_CHARS = "\ufb00\ufb01\ufb02\ufb03\ufb04\ufb06"
# A word hyphenated at a line break by a PDF or an e-mail client: "infor-\nmation".
_BROKEN_WORD = re.compile(r"(?<=[a-z])-[ \t]*\r?\n[ \t]*(?=[a-z])")
_LOOKALIKES = [
    np.array([ord(char) for char, bit in LOOKALIKE_BITS.items() if bit == value], dtype=np.uint32)
    for value in (0, 1)
]
Found = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]
"""(anchor word, slot index) of every hit."""


def read_marks(text: str, plan: MarkPlan) -> Readings:
    """One value per slot of ``plan``: 0, 1, or -1 (not found, unreadable or conflicting).

    Format slots always read -1 here (see ``read_format_marks``).
    """
    slots, values = [], []
    prepared, joins = _prepared(text)
    leak = words(prepared, plan.rule_map)
    hashes = window_hashes(word_ids(leak.tokens, plan.key))
    hashes[: CONTEXT - 1] = 0  # no whole window yet
    codes = np.frombuffer(leak.text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    anchors, found = _hits(hashes, plan, invisible.ZERO_WIDTH_ID)
    slots.append(found)
    values.append(_zero_width(codes, leak.starts[anchors]))
    anchors, found = _hits(hashes, plan, invisible.LOOKALIKE_ID)
    slots.append(found)
    values.append(_lookalike(codes, leak.starts[anchors], leak.ends[anchors]))
    found_slots, found_values = _wording(leak, hashes, plan, joins)
    slots.append(found_slots)
    values.append(found_values)
    return _combined(len(plan.slots), np.concatenate(slots), np.concatenate(values))


def _prepared(text: str) -> tuple[str, list[int]]:
    """Undo what PDF text extraction does to words: ligatures, hyphenation at line ends.

    Also where words were joined: a hyphen at a line end may have been a real one
    ("start-\nup"), so a wording slot whose form spans a join reads -1, not a guess.
    """
    if any(ligature in text for ligature in _LIGATURE_CHARS):
        text = text.translate(_LIGATURES)
    if "-" not in text:
        return text, []
    pieces: list[str] = []
    joins: list[int] = []
    done = 0
    for match in _BROKEN_WORD.finditer(text):
        pieces.append(text[done : match.start()])
        joins.append(sum(map(len, pieces)))
        done = match.end()
    pieces.append(text[done:])
    return "".join(pieces), joins


def _hits(hashes: Hashes, plan: MarkPlan, variant: str) -> Found:
    contexts, indices = plan.contexts_of(variant)
    if not len(contexts):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    position = np.minimum(np.searchsorted(contexts, hashes), len(contexts) - 1)
    anchors = np.flatnonzero(contexts[position] == hashes)
    return anchors, indices[position[anchors]]


def _zero_width(
    codes: npt.NDArray[np.uint32], starts: npt.NDArray[np.int64]
) -> npt.NDArray[np.int8]:
    before = codes[np.maximum(starts - 1, 0)]
    bits = np.full(len(starts), -1, dtype=np.int8)
    for bit, mark in enumerate(ZERO_WIDTH):
        bits[(before == ord(mark)) & (starts > 0)] = bit
    return bits


def _lookalike(
    codes: npt.NDArray[np.uint32], starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]
) -> npt.NDArray[np.int8]:
    """The bit of the look-alikes in each word: -1 for none, or for both kinds."""
    counts = []
    for glyphs in _LOOKALIKES:
        where = np.flatnonzero(np.isin(codes, glyphs))  # few: look-alikes are rare in a text
        counts.append(np.searchsorted(where, ends) - np.searchsorted(where, starts))
    bits = np.full(len(starts), -1, dtype=np.int8)
    bits[(counts[0] > 0) & (counts[1] == 0)] = 0
    bits[(counts[1] > 0) & (counts[0] == 0)] = 1
    return bits


def _wording(
    leak: Words, hashes: Hashes, plan: MarkPlan, joins: list[int]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int8]]:
    by_context = plan.wording_by_context
    slots: list[int] = []
    values: list[int] = []
    keys = np.array(sorted(by_context), dtype=np.uint64)
    for anchor in np.flatnonzero(np.isin(hashes, keys)).tolist():
        seen: dict[tuple[str, tuple[str, ...]], int] = {}  # the slots of one position: read once
        for index in by_context[int(hashes[anchor])]:
            slot = plan.slots[index]
            place = (slot.mode, slot.forms)
            if place not in seen:
                seen[place] = _form(leak, anchor, slot.mode, slot.forms, joins)
            form = seen[place]
            if form < 0:
                continue
            side = slot.tree.path(form).get(slot.part)
            if side is not None:  # else the form is not under this slot's node: unread
                slots.append(index)
                values.append(side ^ slot.zero)
    return np.array(slots, dtype=np.int64), np.array(values, dtype=np.int8)


def _form(leak: Words, anchor: int, mode: str, forms: tuple[str, ...], joins: list[int]) -> int:
    """Which of ``forms`` the leak has at a position, or -1 (none, or not surely whole)."""
    form, end = wording.read(leak, anchor, mode, forms)
    start = wording.reading_point(leak, anchor, mode)
    return form if form >= 0 and _complete(leak, start, end, joins) else -1


def _complete(leak: Words, start: int, end: int, joins: list[int]) -> bool:
    """Whether a form read between ``start`` and ``end`` is surely the whole form.

    Not when a word was joined inside it (a hyphen at a line end may have been a real one), nor
    when fewer than two words follow it: a leak cut short after "outside" may have said
    "outside of", and a last word may itself be cut ("outside o").
    """
    if bisect.bisect_left(joins, end) != bisect.bisect_right(joins, start):
        return False
    following = int(np.searchsorted(leak.starts, end))
    return following + 1 < len(leak.tokens)


def _combined(size: int, slots: npt.NDArray[np.int64], values: npt.NDArray[np.int8]) -> Readings:
    """One value per slot: what every reading of it agrees on, or -1."""
    read = values >= 0
    slots, values = slots[read], values[read]
    highest = np.full(size, -1, dtype=np.int8)
    lowest = np.full(size, 2, dtype=np.int8)
    np.maximum.at(highest, slots, values)
    np.minimum.at(lowest, slots, values)
    return np.where(highest == lowest, highest, -1).astype(np.int8)
