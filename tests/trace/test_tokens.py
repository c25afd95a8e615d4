"""Folding, canonical words and window hashes."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from leaktrace.trace.tokens import CONTEXT, fold, window_hashes, word_ids, words


@given(st.text())
def test_folding_keeps_the_length(text: str) -> None:
    assert len(fold(text)) == len(text)


def test_folding_undoes_quotes_dashes_case_and_lookalikes() -> None:
    assert fold("Don\u2019t \u2014 \u041cARCH \u03bfk") == "don't - march ok"


@given(st.text())
def test_words_point_into_the_text(text: str) -> None:
    found = words(text, {})
    assert len(found.tokens) == len(found.starts) == len(found.ends)
    for token, start, end in zip(found.tokens, found.starts, found.ends, strict=True):
        assert found.folded[start:end].replace("\u00ad", "") == token


def test_rules_rewrite_runs_of_words_longest_first() -> None:
    rules = {("in", "order", "to"): ("to",), ("towards",): ("toward",), ("percent",): ()}
    found = words("Go towards it in order to win 10 percent", rules)
    assert found.tokens == ("go", "toward", "it", "to", "win", "10")
    assert found.fired == frozenset({("towards",), ("in", "order", "to"), ("percent",)})
    assert found.text[found.starts[3] : found.ends[3]] == "in order to"


def test_apostrophes_and_soft_hyphens_stay_inside_words() -> None:
    assert words("don't infor\u00admation", {}).tokens == ("don't", "information")


def test_window_hashes_depend_on_the_key_and_every_word() -> None:
    tokens = tuple(["a", "b", "c", "d", "e", "f"])
    one = window_hashes(word_ids(tokens, b"1" * 16))
    assert (one[: CONTEXT - 1] == 0).all() and (one[CONTEXT - 1 :] != 0).all()
    assert not np.array_equal(one, window_hashes(word_ids(tokens, b"2" * 16)))
    changed = window_hashes(word_ids(("x", *tokens[1:]), b"1" * 16))
    assert changed[CONTEXT - 1] != one[CONTEXT - 1] and changed[CONTEXT] == one[CONTEXT]
