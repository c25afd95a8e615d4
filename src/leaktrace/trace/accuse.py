"""Accusation: name the recipients a leaked copy came from, with a proven bound on mistakes.

Each read slot i shows a symbol y_i; a recipient's bit x_i agrees with it with probability
q_i = P(x_i = y_i) (p_i when y_i = 1, else 1 - p_i) if that recipient has nothing to do with
the leak. Three tests score every recipient over the read slots:

* the number of agreements M. For a single leaker whose copy is misread with any rate
  e < 1/2, the likelihood ratio of "j leaked" to "j is innocent" is ((1 - e)/e)**M times a
  factor shared by all recipients, so counting agreements is the most powerful single-leaker
  test whatever e is: no misread rate has to be assumed;
* the symmetric Tardos score (Skoric et al. 2008): +sqrt((1 - q_i)/q_i) where x_i = y_i and
  -sqrt(q_i/(1 - q_i)) where not; the classic collusion-resistant score (``Candidate.score``);
* the interleaving log-likelihood ratio for C colluders (Oosterwijk, Skoric and Doumen 2013):
  log(1 + (1 - q_i)/(C q_i)) where x_i = y_i, log(1 - 1/C) where not. It weighs agreement on
  rare symbols more, and names coalitions from 10-35% fewer marks than the Tardos score
  alone under random, majority and all-ones mixing (``bench/trace_capacity.py``).

Null hypothesis for recipient j, "j is innocent": j's codeword was drawn independently of the
leaked copy, so given the biases every slot adds one of two known values, the first with
probability q_i, independently of the other slots. Which slots are read may depend on the
leak in any way (a wording position with four forms shows two of its three slots, which two
depending on the leakers' bits: ``positions.py``); the law is conditional on it. The null law
is the same for every recipient, and each test's tail P(S >= s) is bounded rigorously:

* Chernoff: P(S >= s) <= exp(K(lam) - lam * s) for every lam >= 0, with K the exact cumulant
  generating function sum_i log(q_i e^(lam a_i) + (1 - q_i) e^(lam d_i)), minimised over a fine
  grid of lam (every lam gives a valid bound; the grid only costs tightness);
* for the count of agreements with at most ``_EXACT_MISMATCHES`` disagreements, the exact
  Poisson-binomial tail (see ``_log_few_mismatches``), which is what a short excerpt needs;

each with a margin far above float64 rounding. A recipient's p-value is the smallest bound
times the number of tests (Bonferroni; when every read bias is 1/2 all three scores are
functions of M, so there is one test), and recipient j is accused when it is at most
``false_accusation / n`` (a union bound over the n recipients). So, whatever the leakers did,
the probability that any innocent recipient is accused is at most ``false_accusation``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from leaktrace.trace.capacity import marks_needed
from leaktrace.trace.code import DEFAULT_FALSE_ACCUSATION, FingerprintCode

UNREAD = -1
"""An observed slot whose mark could not be read."""

_EXACT_MISMATCHES = 64  # the agreement tail is exact up to this many disagreements
_EXACT_MARGIN = 1e-6  # on its log: its rounding error is below 1e-9 relative
_LAMBDA_RATIO = 1.1  # grid step: costs at most ~0.25% of the Chernoff exponent
_LAMBDA_SPAN = 1e6  # grid from 1e-3 to 1e3 over the largest per-slot score step
_BLOCK = 1 << 21  # array elements per chunk, to keep memory flat on long codes
_ROUNDING = 1e-9  # relative margin on the exponent: float64 sums are far more accurate


@dataclass(frozen=True)
class Candidate:
    """One recipient's evidence."""

    recipient: int
    score: float
    """Symmetric Tardos score; about 0 for innocents, large for leakers."""
    p_value: float
    """Bound on the chance that an innocent recipient's copy looks at least this guilty."""


@dataclass(frozen=True)
class Accusation:
    """Who is accused, everybody's evidence, and why."""

    accused: tuple[int, ...]
    """Recipient indices, empty when the evidence is not strong enough."""
    candidates: tuple[Candidate, ...]
    """Every recipient, most suspicious first."""
    marks_read: int
    marks_total: int
    threshold: float
    """The per-recipient p-value threshold used: false_accusation / recipients."""
    reason: str
    """One sentence: why these recipients were accused, or why nobody was."""


@dataclass(frozen=True)
class _Test:
    """One score's per-slot values: ``agree`` where x = y, ``differ`` where not."""

    agree: npt.NDArray[np.float64]
    differ: npt.NDArray[np.float64]


def accuse(
    code: FingerprintCode,
    codewords: npt.NDArray[np.uint8],
    observed: npt.NDArray[np.int8],
    *,
    false_accusation: float = DEFAULT_FALSE_ACCUSATION,
    names: Sequence[str] | None = None,
) -> Accusation:
    """Score every recipient (a row of ``codewords``) against ``observed``; accuse the guilty.

    ``observed`` holds 0, 1 or ``UNREAD`` per slot. ``names``: what the reason calls each
    recipient ("recipient 7" without). Raises ValueError when shapes or values do not fit the
    code or ``false_accusation`` is not in (0, 1), and TypeError for arrays that are not
    integer arrays.
    """
    bits, symbols = _checked(code, codewords, observed, false_accusation)
    recipients = bits.shape[0]
    if names is not None and len(names) != recipients:
        raise ValueError(f"{len(names)} names for {recipients} recipients")
    read = np.flatnonzero(symbols != UNREAD)
    threshold = false_accusation / max(recipients, 1)
    if recipients == 0 or read.size == 0:
        why = "there are no recipients to accuse" if recipients == 0 else "no marks could be read"
        nobody = tuple(Candidate(j, 0.0, 1.0) for j in range(recipients))
        return Accusation((), nobody, int(read.size), code.length, threshold, why)

    seen = symbols[read].astype(np.float64)
    agree_chance = np.where(seen == 1.0, code.biases[read], 1.0 - code.biases[read])
    tests = (_tardos(agree_chance), _interleaving(agree_chance, max(code.collusion, 2)))
    scores, matches = _scores(bits, read, seen, tests)
    log_p = _log_p_values(tests, agree_chance, scores, matches)
    order = np.lexsort((np.arange(recipients), -scores[0], log_p[:-1]))
    p_values = np.exp(log_p)
    candidates = tuple(Candidate(int(j), float(scores[0, j]), float(p_values[j])) for j in order)
    accused = tuple(c.recipient for c in candidates if c.p_value <= threshold)
    called = list(names) if names is not None else [f"recipient {j}" for j in range(recipients)]
    k = marks_needed(recipients, code.collusion, false_accusation)
    needed = f" (a perfect match needs {'' if code.collusion <= 2 else 'about '}{k})"
    reason = _reason(
        order,
        called,
        len(accused),
        matches,
        int(read.size),
        log_p,
        threshold,
        f"{false_accusation:g}",
        needed,
    )
    return Accusation(accused, candidates, int(read.size), code.length, threshold, reason)


def _checked(
    code: FingerprintCode, codewords: object, observed: object, false_accusation: float
) -> tuple[npt.NDArray[np.integer], npt.NDArray[np.integer]]:
    """The two arrays, once their types, shapes and values are known to fit ``code``."""
    if not 0.0 < false_accusation < 1.0:
        raise ValueError(f"false_accusation must be in (0, 1), not {false_accusation}")
    bits, symbols = np.asarray(codewords), np.asarray(observed)
    for name, array in (("codewords", bits), ("observed", symbols)):
        if not (np.issubdtype(array.dtype, np.integer) or array.dtype == np.bool_):
            raise TypeError(f"{name} must be an integer array, not {array.dtype}")
    if symbols.ndim != 1 or symbols.size != code.length:
        raise ValueError(
            f"observed has {symbols.size} slots but the code has {code.length}"
            if symbols.ndim == 1
            else f"observed must be one-dimensional, not of shape {symbols.shape}"
        )
    if bits.ndim != 2 or bits.shape[1] != code.length:
        raise ValueError(f"codewords must have shape (recipients, {code.length}), not {bits.shape}")
    if not np.isin(symbols, (UNREAD, 0, 1)).all():
        raise ValueError(f"observed symbols must be 0, 1 or UNREAD ({UNREAD})")
    if bits.size and (bits.min() < 0 or bits.max() > 1):
        raise ValueError("codewords must hold only 0 and 1")
    return bits, symbols


def _tardos(agree_chance: npt.NDArray[np.float64]) -> _Test:
    """The symmetric Tardos score's values: mean 0 and variance 1 per slot for an innocent."""
    odds = (1.0 - agree_chance) / agree_chance
    return _Test(agree=np.sqrt(odds), differ=-1.0 / np.sqrt(odds))


def _interleaving(agree_chance: npt.NDArray[np.float64], colluders: int) -> _Test:
    """Log-likelihood ratio of "j is one of ``colluders`` who copied a random one's bit per
    slot" (Oosterwijk, Skoric and Doumen 2013): agreeing on a rare symbol weighs most."""
    return _Test(
        agree=np.log1p((1.0 - agree_chance) / (colluders * agree_chance)),
        differ=np.full_like(agree_chance, math.log1p(-1.0 / colluders)),
    )


def _scores(
    bits: npt.NDArray[np.integer],
    read: npt.NDArray[np.intp],
    seen: npt.NDArray[np.float64],
    tests: tuple[_Test, ...],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Every recipient's score under each test (shape (tests, n)) and count of agreements.

    Agreement is x * (2y - 1) + (1 - y), so each score is the bits times a weight vector plus
    a constant: one matrix product per block of recipients, only the read columns copied.
    """
    sign, flip = 2.0 * seen - 1.0, 1.0 - seen
    steps = [test.agree - test.differ for test in tests] + [np.ones_like(seen)]
    weights = np.column_stack([step * sign for step in steps])
    offsets = np.array([step @ flip for step in steps])
    offsets[:-1] += [test.differ.sum() for test in tests]
    totals = np.empty((bits.shape[0], len(steps)))
    columns = slice(None) if read.size == bits.shape[1] else read  # a slice copies nothing
    rows = max(1, _BLOCK // read.size)
    for start in range(0, bits.shape[0], rows):
        block = bits[start : start + rows, columns].astype(np.float64)  # BLAS, not a cast loop
        totals[start : start + rows] = block @ weights
    totals += offsets
    return totals[:, :-1].T.copy(), np.rint(totals[:, -1]).astype(np.int64)


def _log_tail_bound(
    test: _Test, agree_chance: npt.NDArray[np.float64], scores: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """log of a bound on P(S >= s) for an innocent's score S, for every s in ``scores``.

    K(lam) = sum_i log(q_i e^(lam a_i) + (1 - q_i) e^(lam d_i)) is computed exactly on a
    geometric grid of lam; the bound is min over the grid of K(lam) - lam * s (Chernoff), plus
    a margin far above float64 rounding of K and of the scores, capped at 0.
    """
    spread = float(np.max(test.agree - test.differ))
    count = math.ceil(math.log(_LAMBDA_SPAN) / math.log(_LAMBDA_RATIO)) + 1
    lambdas = 1e-3 / spread * _LAMBDA_RATIO ** np.arange(count)
    log_agree, log_differ = np.log(agree_chance), np.log1p(-agree_chance)
    cgf = np.empty(count)
    step = max(1, _BLOCK // agree_chance.size)
    for start in range(0, count, step):
        grid = lambdas[start : start + step, None]
        cgf[start : start + step] = np.logaddexp(
            grid * test.agree + log_agree, grid * test.differ + log_differ
        ).sum(axis=1)
    size = np.maximum(np.abs(test.agree), np.abs(test.differ)).sum()
    logs = np.abs(log_agree).sum() + np.abs(log_differ).sum()
    margin = _ROUNDING * (1.0 + logs + 2.0 * lambdas * size)
    exponents = (cgf + margin)[None, :] - scores[:, None] * lambdas[None, :]
    bounds: npt.NDArray[np.float64] = np.minimum(exponents.min(axis=1), 0.0)
    return bounds


def _log_p_values(
    tests: tuple[_Test, ...],
    agree_chance: npt.NDArray[np.float64],
    scores: npt.NDArray[np.float64],
    matches: npt.NDArray[np.int64],
) -> npt.NDArray[np.float64]:
    """log p-value of every recipient, and last of a copy agreeing on every read slot (the
    strongest evidence this read allows): the smallest test bound times the number of tests.

    When every read bias is 1/2, each score is a function of the number of agreements alone
    (the Tardos score is 2M - L), so there is one test and nothing to correct for.
    """
    single = _log_agreement_tail(agree_chance, np.append(matches, agree_chance.size))
    if np.all(agree_chance == 0.5):
        return single
    bounds = [single] + [
        _log_tail_bound(test, agree_chance, np.append(row, test.agree.sum()))
        for test, row in zip(tests, scores, strict=True)
    ]
    combined: npt.NDArray[np.float64] = np.minimum(
        math.log(len(bounds)) + np.min(bounds, axis=0), 0.0
    )
    return combined


def _log_agreement_tail(
    agree_chance: npt.NDArray[np.float64], matches: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """log of a bound on P(M >= m) for an innocent's number of agreements M, for each m."""
    counting = _Test(agree=np.ones_like(agree_chance), differ=np.zeros_like(agree_chance))
    bound = _log_tail_bound(counting, agree_chance, matches.astype(np.float64))
    mismatches = agree_chance.size - matches
    near = mismatches <= _EXACT_MISMATCHES
    exact = _log_few_mismatches(agree_chance, int(mismatches[near].max(initial=0)))
    near &= mismatches < exact.size
    bound[near] = np.minimum(bound[near], exact[mismatches[near]])
    return bound


def _log_few_mismatches(
    agree_chance: npt.NDArray[np.float64], most: int
) -> npt.NDArray[np.float64]:
    """log P(an innocent disagrees on at most k read slots) for k = 0, 1, ... up to ``most``.

    P(exactly k) = prod(q) * e_k(o), with e_k the k-th elementary symmetric polynomial of the
    odds o_i = (1 - q_i)/q_i, and e_k(o) = sum(o)**k * e_k(o / sum(o)). Scaled, e_k follows
    from e_(k-1) of each prefix by one running sum of positive terms, so rounding stays
    relative; it stops early should a value come near underflow.
    """
    odds = (1.0 - agree_chance) / agree_chance
    total = float(odds.sum())
    scaled = odds / total
    logs = [float(np.log(agree_chance).sum())]
    before = np.ones_like(scaled)  # e_(k-1) of the slots before each slot
    for k in range(1, most + 1):
        running = np.cumsum(scaled * before)
        if running[-1] < 1e-250:
            break
        logs.append(logs[0] + k * math.log(total) + math.log(running[-1]))
        before = np.concatenate(([0.0], running[:-1]))
    tails: npt.NDArray[np.float64] = np.logaddexp.accumulate(np.array(logs)) + _EXACT_MARGIN
    return tails


def _reason(
    order: npt.NDArray[np.intp],
    names: Sequence[str],
    accused: int,
    matches: npt.NDArray[np.int64],
    read: int,
    log_p: npt.NDArray[np.float64],
    threshold: float,
    level: str,
    needed: str,
) -> str:
    """One sentence: the evidence against the accused, or why nobody is accused (and, when too
    few marks were read, how many a perfect match would need: ``needed``)."""
    marks = f"{read} mark" if read == 1 else f"{read} marks"

    def evidence(j: np.intp) -> str:
        return f"{names[int(j)]}'s copy matches {matches[j]} of {marks} (p <= {_upper(log_p[j])})"

    if accused == 1:
        return evidence(order[0])
    if accused:
        named = "; ".join(evidence(j) for j in order[: min(accused, 3)])
        more = f"; and {accused - 3} more" if accused > 3 else ""
        return f"{accused} recipients accused at {level}: {named}{more}"
    if math.exp(log_p[-1]) > threshold:
        return f"{marks} read: too few to accuse anyone at {level}{needed}"
    return f"too weak to accuse anyone at {level}; the closest: {evidence(order[0])}"


def _upper(log_p: float) -> str:
    """A probability from its log, rounded up to one significant digit: 3e-12, 0.04, 1."""
    decimal = log_p / math.log(10)
    power = math.floor(decimal)
    digit = math.ceil(10 ** (decimal - power) - 1e-9)
    if digit >= 10:
        digit, power = 1, power + 1
    return f"{digit * 10.0**power:g}" if power >= -3 else f"{digit}e{power:03d}"
