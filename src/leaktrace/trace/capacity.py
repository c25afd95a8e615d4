"""How short a retyped excerpt of an issued document may be and still name its leaker.

Retyping keeps only the wording marks. A single leaker's excerpt names them once the marks read
from it make a perfect match unlikely enough for an innocent: with every bias 1/2 (a code for
one or two colluders) a match on k marks has p = 2^-k exactly, so k = ceil(log2(n / alpha))
marks are needed among n recipients at a false-accusation bound alpha (26 for 40 recipients
at 1e-6). A code for three colluders or more spreads its biases (arcsine), and a read mark then
tells an innocent from the leaker by its mean binary entropy, about 0.6 bit, and the p-value
pays the factor 3 of its three tests (``accuse``): an estimate, not an exact count, there.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from leaktrace.trace.code import DEFAULT_FALSE_ACCUSATION, cutoff
from leaktrace.trace.plan import MarkPlan

_WORD = re.compile(r"[^\W_]+")
_TESTS = 3  # the accusation's Bonferroni factor when biases are not all 1/2


@dataclass(frozen=True)
class RetypedCapacity:
    """What a retyped leak of a document carries, and how much of it names the leaker."""

    words: int
    marks: float
    """Wording marks a copy carries, on average over copies (a family of k forms reads 1 to 3)."""
    marks_needed: int
    """Marks read intact (a perfect match) that name one leaker at the bound."""
    recipients: int

    @property
    def per_100_words(self) -> float:
        return 100 * self.marks / self.words if self.words else 0.0

    @property
    def words_needed(self) -> int | None:
        """About how many retyped words name the leaker (rounded up to ten), or None when even
        the whole document, retyped, carries too few marks."""
        if self.marks < self.marks_needed:
            return None
        return min(self.words, 10 * math.ceil(self.marks_needed * self.words / self.marks / 10))

    def advice(self, style: str, bold: str = "the bold style") -> str:
        """One line for the author before issuing: what a retyped leak would still tell, and
        whether the bold style (named ``bold``: "--style bold" on the command line) would
        carry more."""
        words = self.words_needed
        among = f"one of {self.recipients} recipient{'s' if self.recipients != 1 else ''}"
        if words is None:
            message = (
                f"retyped leaks: a retyped copy of the whole text carries {self.marks:.0f} "
                f"wording marks, fewer than the {self.marks_needed} that name {among}; only "
                "pasted, converted or forwarded copies can be traced"
            )
        else:
            message = (
                f"retyped leaks: {self.per_100_words:.1f} wording marks per 100 words; a "
                f"retyped excerpt of about {words} words names {among} "
                f"({self.marks_needed} marks read intact)"
            )
        if style == "safe" and (words is None or words > self.words / 2):
            message += f"; {bold} carries more"
        return message

    def as_json(self) -> dict[str, float | int | None]:
        return {
            "wording_marks_per_100_words": round(self.per_100_words, 1),
            "marks_needed": self.marks_needed,
            "words_needed": self.words_needed,
        }


def marks_needed(recipients: int, collusion: int, false_accusation: float) -> int:
    """Marks a single leaker's excerpt must match to be named among ``recipients``."""
    evidence = math.log2(max(recipients, 1) / false_accusation)
    if cutoff(collusion) == 0.5:
        return math.ceil(evidence - 1e-9)
    return math.ceil((evidence + math.log2(_TESTS)) / _mean_entropy(cutoff(collusion)))


def _mean_entropy(t: float) -> float:
    """The mean binary entropy of arcsine biases on [t, 1 - t]: p = sin^2(theta) with theta
    uniform between asin(sqrt(t)) and pi/2 - asin(sqrt(t))."""
    low = math.asin(math.sqrt(t))
    p = np.sin(np.linspace(low, math.pi / 2 - low, 10_001)) ** 2
    entropy = -(p * np.log2(p) + (1 - p) * np.log2(1 - p))
    return float(entropy.mean())


def retyped_capacity(
    plan: MarkPlan,
    nodes: Sequence[str],
    recipients: int,
    collusion: int,
    false_accusation: float = DEFAULT_FALSE_ACCUSATION,
) -> RetypedCapacity:
    """The wording marks a copy of ``nodes`` carries under ``plan``, and the marks needed."""
    words = sum(len(_WORD.findall(node)) for node in nodes)
    needed = marks_needed(recipients, collusion, false_accusation)
    return RetypedCapacity(words, _wording_marks(plan), needed, recipients)


def _wording_marks(plan: MarkPlan) -> float:
    """The wording marks a copy carries on average: at each position, the slots on the path to
    the form it writes, a form at depth d being written with probability 2^-d (each slot's
    side is its code bit XOR a keyed coin: a fair coin)."""
    marks = 0.0
    for indices in plan.positions().values():
        tree = plan.slots[indices[0]].tree
        parts = {plan.slots[index].part for index in indices}
        for leaf in range(tree.forms):
            path = tree.path(leaf)
            marks += len(parts & path.keys()) / 2 ** len(path)
    return marks
