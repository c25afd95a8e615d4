"""A wording position with k forms carries a binary tree of k - 1 slots.

A position is a place where the original uses one form of a family of k interchangeable forms
("about", "around", "approximately", "roughly" before a number). Its forms are the leaves of a
fixed binary tree, the original's form leaf 0; every inner node of the tree is one slot, one
code bit. A copy walks from the root: at each node its bit (XOR the node's keyed coin, see
``Slot.zero``) picks the left (0) or the right (1) subtree, and the leaf it reaches is the form
it writes. A reader who sees form f knows the side taken at every node on f's path, so it reads
those slots, and only those: the others read -1 (unread).

A pair (k = 2) is one node, as before. k = 4 is a balanced tree of three nodes: every copy's
form reads two of them, two bits from one position. k = 3 reads one or two (1.5 on average).

Why the accusation stays exact: every slot is still one code bit, drawn independently for every
recipient with its bias, whatever the tree. An innocent recipient's bits are independent of
the leak, and so of which slots of a position the leak lets us read, and of what they read; so
given the read slots, each read slot agrees with an innocent's bit with probability q_i,
independently, which is all ``accuse`` assumes. That a slot is read only when the leakers'
bit at its parent took its side changes nothing for an innocent; it costs nothing either (an
unread slot adds no evidence). The bits read at one position are read or lost together, and a
misread form may corrupt all of them: that affects only the chance of naming a leaker.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

MAX_FORMS = 8
"""Families are small; this bounds a tree's depth (3) and so the self-check's renderings."""


@dataclass(frozen=True)
class Tree:
    """The tree over k leaves: per leaf, its path as (node, side) pairs from the root."""

    forms: int
    paths: tuple[tuple[tuple[int, int], ...], ...]

    @property
    def nodes(self) -> int:
        return self.forms - 1

    @property
    def depth(self) -> int:
        return max(len(path) for path in self.paths)

    def leaf(self, sides: dict[int, int]) -> int:
        """The leaf a copy reaches when node n takes side ``sides[n]`` (a missing node: 0)."""
        for index, path in enumerate(self.paths):
            if all(sides.get(node, 0) == side for node, side in path):
                return index
        raise AssertionError("every walk reaches a leaf")

    def path(self, leaf: int) -> dict[int, int]:
        """Node -> side on the way to ``leaf``."""
        return dict(self.paths[leaf])

    def subtree(self, node: int, side: int) -> tuple[int, ...]:
        """The leaves reached through ``side`` of ``node``."""
        return tuple(index for index, path in enumerate(self.paths) if (node, side) in path)


@functools.cache
def tree(forms: int) -> Tree:
    """The balanced tree over ``forms`` leaves, its nodes numbered in preorder.

    A range of leaves is split with the larger half on the left: 2 -> one node; 3 -> the root
    splits {0, 1} from {2}; 4 -> {0, 1} from {2, 3}.
    """
    if not 2 <= forms <= MAX_FORMS:
        raise ValueError(f"a position has 2 to {MAX_FORMS} forms, not {forms}")
    paths: list[tuple[tuple[int, int], ...]] = []
    counter = [0]

    def split(low: int, high: int, above: tuple[tuple[int, int], ...]) -> None:
        if high - low == 1:
            paths.append(above)
            return
        node = counter[0]
        counter[0] += 1
        middle = low + (high - low + 1) // 2
        split(low, middle, (*above, (node, 0)))
        split(middle, high, (*above, (node, 1)))

    split(0, forms, ())
    return Tree(forms, tuple(paths))
