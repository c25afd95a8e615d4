"""A mark plan: the slots of one document, as the store keeps them.

A plan never holds the document's text. Per slot it keeps the layer, the variant id, a keyed
64-bit hash of the few canonical words that end at the slot (a format slot: of its node's
words), where the slot is in the document's nodes (node index and offsets), and the two forms
it may take: generic vocabulary ("toward"/"towards", two zero-width characters), never a run
of the document. Plus the hash key and the canonical rewriting rules the document needed.

Bits: ``render_marks`` takes one bit per slot of the plan, all layers; format slots' bits go to
the document's ``save`` (``MarkPlan.format_bits``). ``read_marks`` and ``read_format_marks``
return one value per slot too: 0, 1, or -1 (unread).

The unmarked original: invisible and format slots read -1 in it (both bits are written
marks). A wording slot cannot be empty (the original *is* one of its forms), so which form
means 0 is drawn per slot from the key (``Slot.zero``): the original reads as key noise that
matches no recipient better than chance, and ``original_bits`` says what it reads as, so a
trace can also tell "this is the unmarked original".
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from leaktrace.core.errors import UsageError
from leaktrace.trace.positions import Tree, tree

LAYERS = ("wording", "invisible", "format")
TEXT_LAYERS = ("wording", "invisible")
_VERSION = 2
_READABLE = (1, 2)
"""Version 1 plans (before positions with more than two forms) have no ``part`` column."""

Bits = npt.NDArray[np.uint8]
Readings = npt.NDArray[np.int8]


class PlanMismatch(UsageError):
    """A plan does not fit the document it is applied to (the document changed)."""


@dataclass(frozen=True)
class Slot:
    """One place that carries one bit."""

    layer: str
    """"wording", "invisible" or "format"."""
    variant: str
    """The variant id ("spelling.toward", "invisible.zero_width", "format.docx.run")."""
    context: int
    """Keyed hash of the canonical words ending at the anchor word (format: of the node)."""
    node: int
    start: int
    """Offset in the node where the slot's edit begins (insertions: where they go)."""
    end: int
    forms: tuple[str, ...]
    """Wording: the original's form, then the other forms of its family, folded (two or more;
    see ``positions``). Invisible: the marks for bit 0 and bit 1. Format: descriptions of the
    marks for bit 0 and bit 1."""
    zero: int = 0
    """Wording: the keyed coin XORed with the side this slot's node takes (so which form
    means 0 is drawn from the key). Others: 0."""
    mode: str = "at"
    """Wording: where a reader finds the forms relative to the anchor word."""
    part: int = 0
    """Wording: which node of its position's tree this slot is (0, the root, for a pair)."""

    @property
    def tree(self) -> Tree:
        """The tree of this slot's position (wording only)."""
        return tree(len(self.forms))


@dataclass(frozen=True)
class FormatMark:
    """A document format's own mark (one per node at most), offered to ``plan_marks``."""

    variant: str
    forms: tuple[str, str]
    nodes: frozenset[int] = field(default_factory=frozenset)
    """Nodes that may carry it."""


@dataclass(frozen=True)
class ExplainedSlot:
    """A slot as an author sees it, for ``leaktrace mark --explain``."""

    index: int
    layer: str
    variant: str
    node: int
    line: int
    """1-based line in the node."""
    column: int
    context: str
    """A few words of the document around the slot, the slot in brackets."""
    original: str
    """What the original has there ("" where a mark is written into nothing)."""
    alternatives: tuple[str, str]
    """What a copy has there for bit 0 and for bit 1."""


@dataclass(frozen=True)
class MarkPlan:
    """Where a document's slots are and how they read."""

    slots: tuple[Slot, ...]
    key: bytes
    rules: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    """The canonical rewriting rules the document needed (see ``tokens``)."""

    def __len__(self) -> int:
        return len(self.slots)

    def layer_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(LAYERS, 0)
        for slot in self.slots:
            counts[slot.layer] += 1
        return counts

    def without(self, indices: Collection[int]) -> MarkPlan:
        """The plan without some of its slots."""
        kept = tuple(slot for index, slot in enumerate(self.slots) if index not in indices)
        return MarkPlan(kept, self.key, self.rules)

    def format_bits(self, bits: npt.ArrayLike) -> dict[int, int]:
        """Node index -> bit for the format slots, from one bit per slot of the plan."""
        values = np.asarray(bits)
        return {
            slot.node: int(values[index])
            for index, slot in enumerate(self.slots)
            if slot.layer == "format"
        }

    def original_bits(self) -> Readings:
        """What the unmarked original reads as: the wording slots on the path of each
        position's original form (leaf 0, side 0 at every node) read their coin; the others,
        and every invisible and format slot, read -1."""
        return np.array(
            [
                slot.zero if slot.layer == "wording" and slot.part in slot.tree.path(0) else -1
                for slot in self.slots
            ],
            dtype=np.int8,
        )

    def readings_of(self, bits: npt.ArrayLike) -> Readings:
        """What a whole copy with ``bits`` reads as: every slot's bit, except the wording
        slots off the path of the form their position writes (-1)."""
        values = check_bits(self, bits)
        readings = values.astype(np.int8)
        for indices in self.positions().values():
            first = self.slots[indices[0]]
            sides = {self.slots[i].part: int(values[i]) ^ self.slots[i].zero for i in indices}
            path = first.tree.path(first.tree.leaf(sides))
            for index in indices:
                if self.slots[index].part not in path:
                    readings[index] = -1
        return readings

    def positions(self) -> dict[tuple[int, int, int], tuple[int, ...]]:
        """(node, start, end) -> indices of the wording slots of one position, by part."""
        cached: dict[tuple[int, int, int], tuple[int, ...]] | None
        cached = self.__dict__.get("_positions")
        if cached is None:
            found: defaultdict[tuple[int, int, int], list[int]] = defaultdict(list)
            for index, slot in enumerate(self.slots):
                if slot.layer == "wording":
                    found[(slot.node, slot.start, slot.end)].append(index)
            cached = {
                place: tuple(sorted(indices, key=lambda i: self.slots[i].part))
                for place, indices in found.items()
            }
            self.__dict__["_positions"] = cached
        return cached

    @cached_property
    def rule_map(self) -> dict[tuple[str, ...], tuple[str, ...]]:
        return dict(self.rules)

    @cached_property
    def wording_by_context(self) -> dict[int, tuple[int, ...]]:
        """Context hash -> indices of the wording slots anchored there."""
        found: defaultdict[int, list[int]] = defaultdict(list)
        for index, slot in enumerate(self.slots):
            if slot.layer == "wording":
                found[slot.context].append(index)
        return {context: tuple(indices) for context, indices in found.items()}

    def contexts_of(self, variant: str) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
        """The sorted contexts of one variant's slots, and the slot index of each."""
        cached: dict[str, tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]]
        cached = self.__dict__.setdefault("_contexts_of", {})
        if variant not in cached:
            indices = np.array(
                [index for index, slot in enumerate(self.slots) if slot.variant == variant],
                dtype=np.int64,
            )
            contexts = np.array([self.slots[index].context for index in indices], dtype=np.uint64)
            order = np.argsort(contexts, kind="stable")
            cached[variant] = (contexts[order], indices[order])
        return cached[variant]

    def to_json(self) -> str:
        """Columns of plain values: variant and form tables, then one entry per slot."""
        variants = sorted({slot.variant for slot in self.slots})
        forms = sorted({slot.forms for slot in self.slots})
        variant_index = {name: index for index, name in enumerate(variants)}
        form_index = {pair: index for index, pair in enumerate(forms)}
        data: dict[str, Any] = {
            "version": _VERSION,
            "key": self.key.hex(),
            "rules": [[list(key), list(value)] for key, value in self.rules],
            "variants": variants,
            "forms": [list(pair) for pair in forms],
            "layer": [LAYERS.index(slot.layer) for slot in self.slots],
            "variant": [variant_index[slot.variant] for slot in self.slots],
            "context": [f"{slot.context:016x}" for slot in self.slots],
            "node": [slot.node for slot in self.slots],
            "start": [slot.start for slot in self.slots],
            "end": [slot.end for slot in self.slots],
            "form": [form_index[slot.forms] for slot in self.slots],
            "zero": [slot.zero for slot in self.slots],
            "mode": [slot.mode for slot in self.slots],
            "part": [slot.part for slot in self.slots],
        }
        return json.dumps(data, separators=(",", ":"), ensure_ascii=True)

    @classmethod
    def from_json(cls, text: str) -> MarkPlan:
        try:
            data = json.loads(text)
            if data.get("version") not in _READABLE:
                raise UsageError(f"unsupported mark plan version {data.get('version')!r}")
            forms = [tuple(str(form) for form in family) for family in data["forms"]]
            if data["version"] == 1:  # every slot a pair, the root of its tree
                data["part"] = [0] * len(data["layer"])
            rows = zip(*(data[column] for column in _COLUMNS), strict=True)
            slots = tuple(_slot(row, data["variants"], forms) for row in rows)
            rules = tuple((tuple(key), tuple(value)) for key, value in data["rules"])
            return cls(slots, bytes.fromhex(data["key"]), rules)
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as error:
            raise UsageError(f"not a mark plan: {error}") from error


_COLUMNS = (
    "layer", "variant", "context", "node", "start", "end", "form", "zero", "mode", "part"
)  # fmt: skip


def _slot(row: tuple[Any, ...], variants: list[str], forms: list[tuple[str, ...]]) -> Slot:
    layer, variant, context, node, start, end, form, zero, mode, part = row
    family = forms[form]
    if len(family) < 2 or not 0 <= int(part) < len(family) - 1:
        raise ValueError(f"slot part {part} does not fit {len(family)} forms")
    return Slot(
        layer=LAYERS[layer],
        variant=str(variants[variant]),
        context=int(context, 16),
        node=int(node),
        start=int(start),
        end=int(end),
        forms=forms[form],
        zero=int(zero),
        mode=str(mode),
        part=int(part),
    )


def check_bits(plan: MarkPlan, bits: npt.ArrayLike) -> Bits:
    """``bits`` as one 0/1 per slot of ``plan``, or a ``UsageError``."""
    values = np.asarray(bits)
    if values.shape != (len(plan.slots),):
        raise UsageError(f"{values.size} bits for a plan of {len(plan.slots)} slots")
    if values.size and not np.isin(values, (0, 1)).all():
        raise UsageError("bits must be 0 or 1")
    return values.astype(np.uint8)


def join_nodes(nodes: Sequence[str], joins: Sequence[str | None] | None) -> str:
    """The nodes as a reader sees them in one text (an unknown join reads as a line break)."""
    pieces: list[str] = []
    for index, node in enumerate(nodes):
        if index:
            join = joins[index - 1] if joins is not None else None
            pieces.append("\n" if join is None else join)
        pieces.append(node)
    return "".join(pieces)
