import hashlib
import itertools
import math
import re
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pytest

from leaktrace.trace.accuse import (
    UNREAD,
    _interleaving,
    _log_agreement_tail,
    _log_tail_bound,
    _tardos,
    _upper,
    accuse,
)
from leaktrace.trace.code import FingerprintCode

Bits = npt.NDArray[np.uint8]


def code_for(seed: int, length: int, collusion: int) -> FingerprintCode:
    return FingerprintCode.generate(length, collusion, hashlib.sha256(b"%d" % seed).digest())


def excerpt(leaked: Bits, count: int, rng: np.random.Generator) -> npt.NDArray[np.int8]:
    """The leaked symbols on ``count`` random slots; the rest unread."""
    observed = np.full(leaked.size, UNREAD, dtype=np.int8)
    chosen = rng.choice(leaked.size, size=count, replace=False)
    observed[chosen] = leaked[chosen]
    return observed


def mix_random(bits: Bits, rng: np.random.Generator) -> Bits:
    mixed: Bits = bits[rng.integers(0, bits.shape[0], bits.shape[1]), np.arange(bits.shape[1])]
    return mixed


def mix_majority(bits: Bits, rng: np.random.Generator) -> Bits:
    twice = 2 * bits.sum(axis=0, dtype=np.int64)
    tie = rng.integers(0, 2, bits.shape[1], dtype=np.uint8)
    return np.where(twice == bits.shape[0], tie, twice > bits.shape[0]).astype(np.uint8)


def mix_minority(bits: Bits, rng: np.random.Generator) -> Bits:
    majority = mix_majority(bits, rng)
    agreed = bits.min(axis=0) == bits.max(axis=0)
    return np.where(agreed, bits[0], 1 - majority).astype(np.uint8)  # marking assumption


# A single leaker.


@pytest.mark.parametrize("seed", range(40))
def test_single_leaker_named_from_30_of_256_marks(seed: int) -> None:
    code = code_for(seed, 256, collusion=2)
    bits = code.codewords(40)
    rng = np.random.default_rng(seed)
    leaker = int(rng.integers(40))
    result = accuse(code, bits, excerpt(bits[leaker], 30, rng))
    assert result.accused == (leaker,)
    assert result.marks_read == 30
    assert result.marks_total == 256
    assert result.candidates[0].recipient == leaker


def test_26_read_marks_are_the_least_that_name_one_of_40_at_1e_6() -> None:
    """With every bias 1/2 all scores count agreements, so a perfect match on k marks has
    p = 2**-k exactly: k = 26 is the first at most 1e-6 / 40."""
    code = code_for(1, 64, collusion=2)
    bits = code.codewords(40)
    observed = np.full(64, UNREAD, dtype=np.int8)
    observed[:26] = bits[5, :26]
    named = accuse(code, bits, observed)
    assert named.accused == (5,)
    assert named.candidates[0].p_value == pytest.approx(2.0**-26, rel=1e-5)
    assert named.reason == "recipient 5's copy matches 26 of 26 marks (p <= 2e-08)"
    names = [f"staff-{j:02d}" for j in range(40)]
    called = accuse(code, bits, observed, names=names)
    assert called.reason == "staff-05's copy matches 26 of 26 marks (p <= 2e-08)"
    with pytest.raises(ValueError, match="39 names for 40 recipients"):
        accuse(code, bits, observed, names=names[1:])
    observed[25] = UNREAD
    short = accuse(code, bits, observed)
    assert short.accused == ()
    assert short.reason == (
        "25 marks read: too few to accuse anyone at 1e-06 (a perfect match needs 26)"
    )


@pytest.mark.parametrize("seed", range(20))
def test_single_leaker_on_an_arcsine_code_needs_more_marks(seed: int) -> None:
    code = code_for(seed, 512, collusion=3)
    bits = code.codewords(40)
    rng = np.random.default_rng(seed)
    assert accuse(code, bits, excerpt(bits[3], 100, rng)).accused == (3,)


@pytest.mark.parametrize("seed", range(20))
def test_misreads_do_not_hide_a_single_leaker(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for collusion, count, flips in [(2, 40, 2), (2, 60, 5), (3, 120, 4)]:
        code = code_for(seed, 400, collusion)
        bits = code.codewords(40)
        observed = excerpt(bits[11], count, rng)
        wrong = rng.choice(np.flatnonzero(observed != UNREAD), size=flips, replace=False)
        observed[wrong] ^= 1
        result = accuse(code, bits, observed)
        assert result.accused == (11,), (collusion, count, flips, result.reason)


# Coalitions.


MIXES: dict[str, Callable[[Bits, np.random.Generator], Bits]] = {
    "random": mix_random,
    "majority": mix_majority,
}


@pytest.mark.parametrize("mix", MIXES)
@pytest.mark.parametrize("size", [2, 3, 4])
def test_coalitions_are_traced_and_innocents_spared(size: int, mix: str) -> None:
    for seed in range(12):
        code = code_for(100 * size + seed, 3000, collusion=size)
        bits = code.codewords(40)
        rng = np.random.default_rng([size, seed])
        colluders = set(rng.choice(40, size=size, replace=False).tolist())
        leaked = MIXES[mix](bits[sorted(colluders)], rng)
        result = accuse(code, bits, excerpt(leaked, 2400, rng))
        assert result.accused, (seed, result.reason)
        assert set(result.accused) <= colluders, seed


@pytest.mark.parametrize("seed", range(8))
def test_minority_vote_of_three_against_a_code_for_three(seed: int) -> None:
    code = code_for(900 + seed, 4000, collusion=3)
    bits = code.codewords(40)
    rng = np.random.default_rng(seed)
    colluders = {1, 17, 30}
    result = accuse(code, bits, mix_minority(bits[sorted(colluders)], rng).astype(np.int8))
    assert result.accused
    assert set(result.accused) <= colluders


def test_several_accused_are_named_in_one_sentence() -> None:
    code = code_for(7, 3000, collusion=2)
    bits = code.codewords(40)
    leaked = mix_random(bits[[4, 9]], np.random.default_rng(0)).astype(np.int8)
    result = accuse(code, bits, leaked)
    assert sorted(result.accused) == [4, 9]
    assert re.fullmatch(
        r"2 recipients accused at 1e-06: recipient (4|9)'s copy matches \d+ of 3000 marks "
        r"\(p <= \de-\d+\); recipient (4|9)'s copy matches \d+ of 3000 marks \(p <= \de-\d+\)",
        result.reason,
    ), result.reason


# Innocents.


@pytest.mark.parametrize("collusion", [2, 4])
def test_innocents_are_never_accused_in_thousands_of_trials(collusion: int) -> None:
    """The leak comes from recipients missing from the list, or is noise: all are innocent."""
    rng = np.random.default_rng(2026)
    code = code_for(collusion, 160, collusion)
    everyone = code.codewords(45)
    listed, outsiders = everyone[:40], everyone[40:]
    accused = 0
    for trial in range(1500):
        if trial % 3 == 0:
            leaked = rng.integers(0, 2, 160).astype(np.uint8)
        else:
            leaked = mix_random(outsiders[: 1 + trial % 4], rng)
        observed = excerpt(leaked, int(rng.integers(1, 161)), rng)
        accused += len(accuse(code, listed, observed).accused)
    assert accused == 0


def test_innocent_p_values_are_conservative() -> None:
    """P(p <= x) <= x for an innocent: the bound holds at loose levels too, not only at 1e-6."""
    rng = np.random.default_rng(7)
    p_values = []
    for trial in range(150):
        code = code_for(5000 + trial, 120, collusion=3 + trial % 2)
        bits = code.codewords(21)
        observed = excerpt(bits[20], int(rng.integers(5, 121)), rng)  # recipient 20 leaked
        candidates = accuse(code, bits[:20], observed).candidates
        p_values += [c.p_value for c in candidates]
    share = np.asarray(p_values)
    for level in (0.01, 0.05, 0.2, 0.5):
        assert np.mean(share <= level) <= level


@pytest.mark.parametrize("seed", range(4))
def test_the_bounds_dominate_the_exact_null_tail(seed: int) -> None:
    """Every bound is at least the exact tail, found by enumerating all 2**12 innocents."""
    rng = np.random.default_rng(seed)
    chance = rng.choice([0.5, rng.uniform(0.02, 0.98)], size=12)
    agree = np.array(list(itertools.product([0.0, 1.0], repeat=12)))
    weight = np.prod(np.where(agree == 1, chance, 1 - chance), axis=1)
    for test in (_tardos(chance), _interleaving(chance, 3)):
        score = agree @ test.agree + (1 - agree) @ test.differ
        levels = np.unique(score)
        exact = np.array([weight[score >= s - 1e-9].sum() for s in levels])
        bound = np.exp(_log_tail_bound(test, chance, levels - 1e-9))
        assert np.all(bound >= exact * (1 - 1e-12))  # exact sums round too
        assert np.all(bound <= 40 * exact)  # and Chernoff stays close
    count = agree.sum(axis=1)
    exact_count = np.array([weight[count >= m].sum() for m in range(13)])
    bound_count = np.exp(_log_agreement_tail(chance, np.arange(13)))
    assert np.all(bound_count >= exact_count * (1 - 1e-12))
    assert np.allclose(bound_count, exact_count, rtol=1e-5)  # exact for few disagreements


# The verdict's shape and words.


def test_candidates_cover_everyone_most_suspicious_first() -> None:
    code = code_for(3, 300, collusion=3)
    bits = code.codewords(25)
    result = accuse(code, bits, bits[8].astype(np.int8))
    assert sorted(c.recipient for c in result.candidates) == list(range(25))
    p_values = [c.p_value for c in result.candidates]
    assert p_values == sorted(p_values)
    assert all(0.0 <= p <= 1.0 for p in p_values)
    assert result.candidates[0].recipient == 8
    assert result.candidates[0].score > 2 * max(c.score for c in result.candidates[1:])
    assert result.threshold == pytest.approx(1e-6 / 25)
    assert result == accuse(code, bits, bits[8].astype(np.int8))  # deterministic


def test_a_weak_match_is_explained() -> None:
    code = code_for(4, 200, collusion=2)
    bits = code.codewords(10)
    observed = bits[2].astype(np.int8)
    observed[::2] = bits[6, ::2]  # half of one copy, half of another: 150 of 200 each
    observed[:160:8] ^= 1
    result = accuse(code, bits, observed, false_accusation=1e-12)
    assert result.accused == ()
    assert result.reason.startswith("too weak to accuse anyone at 1e-12; the closest: recipient ")
    assert "of 200 marks (p <= " in result.reason


def test_false_accusation_level_sets_the_threshold() -> None:
    code = code_for(5, 64, collusion=2)
    bits = code.codewords(40)
    observed = np.full(64, UNREAD, dtype=np.int8)
    observed[:23] = bits[0, :23]  # p = 2**-23 = 1.2e-7
    assert accuse(code, bits, observed).accused == ()
    assert accuse(code, bits, observed, false_accusation=1e-4).accused == (0,)


def test_long_codes_stay_vectorized() -> None:
    code = code_for(6, 100_000, collusion=4)
    bits = code.codewords(30)
    rng = np.random.default_rng(6)
    leaked = mix_majority(bits[[3, 12, 21]], rng)
    result = accuse(code, bits, excerpt(leaked, 20_000, rng))
    assert result.accused
    assert set(result.accused) <= {3, 12, 21}
    assert result.marks_read == 20_000


@pytest.mark.parametrize(
    ("log_p", "text"),
    [
        (math.log(2.9e-12), "3e-12"),
        (math.log(3e-12), "3e-12"),
        (math.log(0.04), "0.04"),
        (math.log(0.0123), "0.02"),
        (math.log(0.0009), "9e-04"),
        (0.0, "1"),
        (-6000.0, "2e-2606"),
    ],
)
def test_p_values_are_shown_rounded_up(log_p: float, text: str) -> None:
    assert _upper(log_p) == text


# Edge cases and misuse.


def test_no_recipients() -> None:
    code = code_for(8, 32, collusion=2)
    result = accuse(code, np.zeros((0, 32), dtype=np.uint8), np.zeros(32, dtype=np.int8))
    assert result.accused == ()
    assert result.candidates == ()
    assert result.reason == "there are no recipients to accuse"


def test_nothing_read() -> None:
    code = code_for(8, 32, collusion=2)
    result = accuse(code, code.codewords(3), np.full(32, UNREAD, dtype=np.int8))
    assert result.accused == ()
    assert [(c.recipient, c.p_value) for c in result.candidates] == [(0, 1.0), (1, 1.0), (2, 1.0)]
    assert (result.marks_read, result.marks_total) == (0, 32)
    assert result.reason == "no marks could be read"


def test_one_mark_read() -> None:
    code = code_for(8, 32, collusion=2)
    observed = np.full(32, UNREAD, dtype=np.int8)
    observed[4] = 1
    assert accuse(code, code.codewords(3), observed).reason == (
        "1 mark read: too few to accuse anyone at 1e-06 (a perfect match needs 22)"
    )
    coalition = code_for(8, 64, collusion=3)
    observed = np.full(64, UNREAD, dtype=np.int8)
    observed[4] = 1
    assert accuse(coalition, coalition.codewords(40), observed).reason == (
        "1 mark read: too few to accuse anyone at 1e-06 (a perfect match needs about 43)"
    )


U8, I8 = np.uint8, np.int8


@pytest.mark.parametrize(
    ("codewords", "observed", "error", "message"),
    [
        (np.zeros((3, 32), U8), np.zeros(31, I8), ValueError, "observed has 31 slots but the code"),
        (np.zeros((3, 31), U8), np.zeros(32, I8), ValueError, r"shape \(recipients, 32\)"),
        (np.zeros(32, U8), np.zeros(32, I8), ValueError, r"shape \(recipients, 32\)"),
        (np.zeros((3, 32), U8), np.zeros((2, 16), I8), ValueError, "one-dimensional"),
        (np.zeros((3, 32), U8), np.full(32, 2, I8), ValueError, "0, 1 or UNREAD"),
        (np.full((3, 32), 2, U8), np.zeros(32, I8), ValueError, "only 0 and 1"),
        (np.zeros((3, 32), U8), np.zeros(32), TypeError, "observed must be an integer"),
        (np.zeros((3, 32)), np.zeros(32, I8), TypeError, "codewords must be an integer"),
    ],
)
def test_misfit_arrays_are_refused(
    codewords: np.ndarray, observed: np.ndarray, error: type[Exception], message: str
) -> None:
    code = code_for(9, 32, collusion=2)
    with pytest.raises(error, match=message):
        accuse(code, codewords, observed)


@pytest.mark.parametrize("level", [0.0, 1.0, -1e-6, float("nan")])
def test_false_accusation_must_be_a_probability(level: float) -> None:
    code = code_for(9, 32, collusion=2)
    with pytest.raises(ValueError, match="false_accusation"):
        accuse(code, code.codewords(2), np.zeros(32, dtype=np.int8), false_accusation=level)
