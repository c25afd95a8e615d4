"""Where a character offset sits in an item's text: line and column, for every kind of text."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from leaktrace.core.item import Item
from leaktrace.core.lineage import Lineage
from leaktrace.protect.fingerprint import Params, item_fingerprints


def item(text: str) -> Item:
    return Item(Lineage.root("x.txt"), b"", "text/plain", text)


def slow_position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def test_positions_count_characters_not_bytes() -> None:
    text = "ab\ncé😀\n\nxyz"
    assert item(text).position(text.index("😀")) == (2, 3)
    assert item(text).position(text.index("x")) == (4, 1)


@given(st.text(alphabet=st.sampled_from("a\né😀\r\u2028\x00\ud800"), max_size=60), st.data())
def test_positions_agree_with_counting(text: str, data: st.DataObject) -> None:
    offset = data.draw(st.integers(min_value=0, max_value=len(text)))
    assert item(text).position(offset) == slow_position(text, offset)


def test_derived_values_are_computed_once_per_item() -> None:
    piece = Item(Lineage.root("a.txt"), b"some text", text="some text")
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert piece.derived("k", compute) == 1
    assert piece.derived("k", compute) == 1
    assert piece.derived("other", compute) == 2
    changed = piece.with_text("other text")  # a new item: nothing carried over
    assert changed.derived("k", compute) == 3
    assert piece.sha256 == hashlib.sha256(b"some text").hexdigest()


def test_detectors_share_one_fingerprinting_of_a_text() -> None:
    piece = Item(
        Lineage.root("a.txt"), b"x", text="the quick brown fox jumps over the lazy dog " * 9
    )
    first = item_fingerprints(piece)
    assert item_fingerprints(piece) is first
    assert item_fingerprints(piece, Params(shingle=5)) is not first
