"""Traced copies: how many read marks the accusation needs to name a leaker, at 1e-6.

    python bench/trace_capacity.py [--recipients 10 40 200] [--trials 40] [--seed 1]
    python bench/trace_capacity.py --sweep-cutoff [--trials 20]

For every row and number of recipients n, each trial draws a fresh code (a key from the seed),
n codewords, the leaker(s) among them and a leaked copy: a single leaker's own codeword (also
with 5% of its symbols misread), or a coalition of c recipients mixing their copies under the
marking assumption (where all of them agree they copy the bit; elsewhere the attack decides:
``random`` takes a random colluder's bit per slot, ``majority`` the majority bit, ``minority``
the minority bit, ``ones`` always 1; ties are broken at random). The marks are read in a random
order, as from an excerpt; a binary search finds the fewest read marks with which ``accuse``
names at least one leaker. Cells show the median and, in brackets, the 90th percentile over the
trials; "-" means a trial still failed with the whole code read. Every accusation along the way
is checked for innocents accused (the count is printed; it should be 0).

``--sweep-cutoff`` measures the same for codes with arcsine cutoffs t = 1/(k C), n = 200, to
choose the cutoff of ``leaktrace.trace.code.cutoff``.
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from leaktrace.trace.accuse import UNREAD, accuse
from leaktrace.trace.code import FingerprintCode, _arcsine_biases

Bits = npt.NDArray[np.uint8]
Attack = Callable[[Bits, np.random.Generator], Bits]
ALPHA = 1e-6


def _vote(bits: Bits, rng: np.random.Generator, minority: bool) -> Bits:
    ones = bits.sum(axis=0, dtype=np.int64) * 2
    size = bits.shape[0]
    coin = rng.integers(0, 2, bits.shape[1], dtype=np.uint8)
    majority = np.where(ones == size, coin, (ones > size).astype(np.uint8))
    return (1 - majority).astype(np.uint8) if minority else majority.astype(np.uint8)


ATTACKS: dict[str, Attack] = {
    "random": lambda bits, rng: bits[
        rng.integers(0, bits.shape[0], bits.shape[1]), np.arange(bits.shape[1])
    ],
    "majority": lambda bits, rng: _vote(bits, rng, minority=False),
    "minority": lambda bits, rng: _vote(bits, rng, minority=True),
    "ones": lambda bits, rng: np.ones(bits.shape[1], dtype=np.uint8),
}


def forge(bits: Bits, attack: str, rng: np.random.Generator) -> Bits:
    """The coalition's copy: forced where all colluders agree, the attack's choice elsewhere."""
    mixed = ATTACKS[attack](bits, rng)
    agreed = bits.min(axis=0) == bits.max(axis=0)
    return np.where(agreed, bits[0], mixed).astype(np.uint8)


@dataclass
class Trial:
    needed: int | None  # fewest read marks naming a leaker; None: the whole code was not enough
    innocents: int  # accusations of innocents seen along the search (must stay 0)


def search(
    code: FingerprintCode, bits: Bits, guilty: set[int], leaked: Bits, order: npt.NDArray[np.intp]
) -> Trial:
    """Binary search for the fewest marks (read in ``order``) that name one of ``guilty``."""
    innocents = 0

    def names(count: int) -> bool:
        nonlocal innocents
        observed = np.full(code.length, UNREAD, dtype=np.int8)
        observed[order[:count]] = leaked[order[:count]]
        accused = set(accuse(code, bits, observed, false_accusation=ALPHA).accused)
        innocents += len(accused - guilty)
        return bool(accused & guilty)

    low, high = 0, min(16, code.length)  # invariant: names(low) fails (0 marks name nobody)
    while not names(high):
        if high == code.length:
            return Trial(None, innocents)
        low, high = high, min(2 * high, code.length)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if names(middle) else (middle, high)
    return Trial(high, innocents)


def trial(
    code: FingerprintCode,
    recipients: int,
    leakers: int,
    attack: str,
    misread: float,
    rng: np.random.Generator,
) -> Trial:
    bits = code.codewords(recipients)
    guilty = rng.choice(recipients, size=leakers, replace=False)
    leaked = forge(bits[guilty], attack, rng) if leakers > 1 else bits[guilty[0]].copy()
    flips = rng.random(code.length) < misread
    leaked[flips] ^= 1
    return search(code, bits, set(guilty.tolist()), leaked, rng.permutation(code.length))


def make_code(seed: str, length: int, collusion: int, cut: float | None) -> FingerprintCode:
    key = hashlib.sha256(seed.encode()).digest()
    if cut is None:
        return FingerprintCode.generate(length, collusion, key)
    return FingerprintCode(key, collusion, _arcsine_biases(key, length, cut))


def cell(results: list[Trial]) -> str:
    needed = [r.needed if r.needed is not None else np.inf for r in results]
    median, p90 = np.percentile(needed, [50, 90], method="higher")
    show = ["-" if not np.isfinite(v) else str(int(v)) for v in (median, p90)]
    return f"{show[0]} ({show[1]})"


@dataclass(frozen=True)
class Row:
    label: str
    collusion: int  # the code's design C
    leakers: int
    attack: str = "random"
    misread: float = 0.0
    length: int = 4096


ROWS = [
    Row("1 leaker, code C=1 or 2", 1, 1),
    Row("1 leaker, 5% misread, C=2", 2, 1, misread=0.05),
    Row("1 leaker, code C=3", 3, 1),
    Row("1 leaker, code C=4", 4, 1),
    *(Row(f"2 colluders, {a}, C=2", 2, 2, a) for a in ("random", "majority", "minority")),
    *(Row(f"3 colluders, {a}, C=3", 3, 3, a, length=16384) for a in ATTACKS),
    *(Row(f"4 colluders, {a}, C=4", 4, 4, a, length=32768) for a in ATTACKS),
]


def capacity(recipients: list[int], trials: int, seed: int) -> None:
    print(f"| leak | {' | '.join(f'n = {n}' for n in recipients)} |")
    print(f"|---|{'---:|' * len(recipients)}")
    innocents = 0
    for row in ROWS:
        cells = []
        for n in recipients:
            results = []
            for t in range(trials):
                rng = np.random.default_rng([seed, n, t, row.leakers, row.collusion])
                code = make_code(f"{seed}/{row.label}/{n}/{t}", row.length, row.collusion, None)
                results.append(trial(code, n, row.leakers, row.attack, row.misread, rng))
            innocents += sum(r.innocents for r in results)
            cells.append(cell(results))
        print(f"| {row.label} | {' | '.join(cells)} |", flush=True)
    print(f"\ninnocents accused in all searches: {innocents}")


def sweep(trials: int, seed: int) -> None:
    factors = [300, 100, 30, 10, 5, 3]
    print(f"| coalition, attack | {' | '.join(f't = 1/({k} C)' for k in factors)} |")
    print(f"|---|{'---:|' * len(factors)}")
    for collusion in (3, 4, 6):
        for leakers, attack in [(1, "random"), *((collusion, a) for a in ATTACKS)]:
            cells = []
            for factor in factors:
                results = []
                for t in range(trials):
                    rng = np.random.default_rng([seed, collusion, leakers, t])
                    name = f"{seed}/sweep/{collusion}/{t}"
                    code = make_code(name, 65536, collusion, 1.0 / (factor * collusion))
                    results.append(trial(code, 200, leakers, attack, 0.0, rng))
                cells.append(cell(results))
            label = f"C={collusion}: {leakers} x {attack}" if leakers > 1 else f"C={collusion}: 1"
            print(f"| {label} | {' | '.join(cells)} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int, nargs="+", default=[10, 40, 200])
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sweep-cutoff", action="store_true")
    args = parser.parse_args()
    if args.sweep_cutoff:
        sweep(args.trials, args.seed)
    else:
        capacity(args.recipients, args.trials, args.seed)


if __name__ == "__main__":
    main()
