"""Traced copies end to end: real documents marked, leaked, read back and accused.

    python bench/tracing.py [--trials 200] [--target-trials 10000] [--seed 1] [--plot PNG]
                            [--style safe|bold] [--target-only]

Documents: real English prose from this machine (``textsource``), cut at paragraph ends into
briefings of 500 and 2,000 words, 12 of each. For each document one plan and one code are made
exactly as ``leaktrace mark`` makes them (collusion 2 by default, as the CLI), and every trial
renders the guilty recipients' copies with ``render_marks`` and leaks them:

- **whole**: a copy as issued (its text; invisible marks kept);
- **retyped**: the copy retyped: invisible characters gone, look-alike letters typed as Latin,
  straight quotes, new line breaks, and one word in 200 with a typo;
- **excerpt f**: a contiguous run of a fraction f of the sentences (10% to 100%), pasted as
  text (invisible marks kept) or retyped;
- **colluders c**: c recipients' copies mixed sentence by sentence (each sentence from a random
  one of them) or by majority (each sentence as most of them have it), then retyped or not.

The leak is read with ``read_marks`` and judged by ``accuse`` at 1e-6: a trial "names a guilty"
when at least one accused is a leaker; any innocent accused is counted. The headline target is
run separately with ``--target-trials`` trials: one leaker, a retyped half of a 500-word
briefing, 40 recipients; on the three business memos of the marking tests, on held-out
organizational prose (Debian's manifesto, social contract and constitution from the
``doc-debian`` package, cut into 500-word briefings: text nobody tuned the variants on; skipped
when the package is not installed) and on the 500-word real-prose briefings.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import random
import re
import sys
import textwrap
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
from textsource import documents

from leaktrace.trace.accuse import accuse
from leaktrace.trace.code import FingerprintCode
from leaktrace.trace.formats import MarkableDocument, parse_markable, plan_document, text_of
from leaktrace.trace.glyphs import LOOKALIKE_LATIN
from leaktrace.trace.plan import MarkPlan
from leaktrace.trace.read import read_marks
from leaktrace.trace.render import render_marks

ALPHA = 1e-6
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=\S)|\n\s*\n")


@dataclass
class Issued:
    """One briefing issued to ``recipients``: its plan, code and code words."""

    words: int
    document: MarkableDocument
    plan: MarkPlan
    code: FingerprintCode
    codewords: npt.NDArray[np.uint8]
    copies: dict[int, str] = field(default_factory=dict)

    def copy(self, recipient: int) -> str:
        if recipient not in self.copies:
            nodes = render_marks(self.document.nodes, self.plan, self.codewords[recipient])
            self.copies[recipient] = text_of(self.document, nodes)
        return self.copies[recipient]


def briefings(words: int, count: int, seed: int) -> list[str]:
    """``count`` texts of about ``words`` words: whole paragraphs of real documents."""
    rng = random.Random(seed)
    long = [d for d in documents(seed) if d.words >= words * 1.2 and d.source != "licenses"]
    rng.shuffle(long)
    texts = []
    for document in long[:count]:
        kept, total = [], 0
        for paragraph in document.text.split("\n\n"):
            kept.append(" ".join(paragraph.split()))
            total += len(paragraph.split())
            if total >= words:
                break
        texts.append("\n\n".join(kept))
    return texts


def issue(text: str, recipients: int, collusion: int, style: str = "safe") -> Issued:
    document = parse_markable(text.encode(), ".txt")
    plan = plan_document(document, style=style)
    code = FingerprintCode.generate(len(plan.slots), collusion)
    return Issued(len(text.split()), document, plan, code, code.codewords(recipients))


# --- Leaks --------------------------------------------------------------------------------


def retype(text: str, rng: random.Random, typo_rate: float = 0.005) -> str:
    plain = "".join(c for c in text if unicodedata.category(c) != "Cf")
    plain = "".join(LOOKALIKE_LATIN.get(c, c) for c in plain).translate(_QUOTES)
    words = plain.split(" ")
    for i in range(len(words)):
        if words[i].isalpha() and len(words[i]) > 3 and rng.random() < typo_rate:
            at = rng.randrange(len(words[i]))
            words[i] = words[i][:at] + rng.choice("etaoinshr") + words[i][at + 1 :]
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", " ".join(words))]
    return "\n\n".join(textwrap.fill(p, rng.randint(50, 90)) for p in paragraphs if p)


def sentences(text: str) -> list[str]:
    cuts = [0] + [m.end() for m in _SENTENCE.finditer(text)] + [len(text)]
    return [text[a:b] for a, b in itertools.pairwise(cuts)]


def excerpt(parts: list[str], fraction: float, rng: random.Random) -> tuple[int, int]:
    size = max(1, round(len(parts) * fraction))
    start = rng.randrange(len(parts) - size + 1)
    return start, start + size


def mixed(copies: Sequence[str], how: str, rng: random.Random) -> list[str]:
    """Sentence by sentence: from a random colluder, or as most of them have it."""
    split = [sentences(c) for c in copies]
    if len({len(s) for s in split}) != 1:  # marks moved a sentence break: use the first
        return split[0]
    out = []
    for versions in zip(*split, strict=True):
        if how == "majority":
            ranked = Counter(versions).most_common()
            best = [v for v, n in ranked if n == ranked[0][1]]
            out.append(rng.choice(best))
        else:
            out.append(rng.choice(versions))
    return out


Leak = Callable[[Issued, list[int], random.Random], str]


def leak(fraction: float, retyped: bool, mixing: str = "sentence") -> Leak:
    def make(issued: Issued, guilty: list[int], rng: random.Random) -> str:
        parts = mixed([issued.copy(g) for g in guilty], mixing, rng)
        start, end = excerpt(parts, fraction, rng)
        text = "".join(parts[start:end])
        return retype(text, rng) if retyped else text

    return make


# --- Trials -------------------------------------------------------------------------------


@dataclass
class Tally:
    trials: int = 0
    named: int = 0
    innocents: int = 0
    marks: list[int] = field(default_factory=list)

    def cell(self) -> str:
        if not self.trials:
            return "-"
        marks = int(np.median(self.marks)) if self.marks else 0
        return f"{self.named / self.trials:.2f} / {self.innocents} ({marks})"


def run(
    pool: list[Issued], recipients: int, colluders: int, make: Leak, trials: int, seed: int
) -> Tally:
    rng = random.Random(seed)
    tally = Tally()
    for _ in range(trials):
        issued = rng.choice(pool)
        guilty = rng.sample(range(recipients), colluders)
        text = make(issued, guilty, rng)
        observed = read_marks(text, issued.plan)
        accusation = accuse(issued.code, issued.codewords, observed, false_accusation=ALPHA)
        accused = set(accusation.accused)
        tally.trials += 1
        tally.named += bool(accused & set(guilty))
        tally.innocents += len(accused - set(guilty))
        tally.marks.append(accusation.marks_read)
    return tally


SCENARIOS: list[tuple[str, int, Leak]] = [
    ("whole copy", 1, leak(1.0, False)),
    ("retyped copy", 1, leak(1.0, True)),
    *[(f"pasted {int(f * 100)}%", 1, leak(f, False)) for f in (0.1, 0.25, 0.5)],
    *[(f"retyped {int(f * 100)}%", 1, leak(f, True)) for f in (0.1, 0.25, 0.5, 0.75)],
    *[(f"{c} colluders, by sentence", c, leak(1.0, False)) for c in (2, 3, 4)],
    *[(f"{c} colluders, by sentence, retyped", c, leak(1.0, True)) for c in (2, 3, 4)],
    *[(f"{c} colluders, by majority", c, leak(1.0, False, "majority")) for c in (3, 4)],
    *[(f"{c} colluders, retyped half", c, leak(0.5, True)) for c in (2,)],
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--target-trials", type=int, default=10_000)
    parser.add_argument("--documents", type=int, default=12)
    parser.add_argument("--collusion", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--plot", type=Path, default=Path("docs/images/tracing.png"))
    parser.add_argument("--style", choices=("safe", "bold"), default="safe")
    parser.add_argument(
        "--target-only", action="store_true", help="run only the headline target (no table)"
    )
    args = parser.parse_args()
    sizes = {
        500: briefings(500, args.documents, args.seed),
        2000: briefings(2000, args.documents, args.seed + 1),
    }
    if not args.target_only:
        scenarios(sizes, args)
    targets(sizes[500], args)


def scenarios(sizes: dict[int, list[str]], args: argparse.Namespace) -> None:
    """Every scenario on the real-prose briefings: the tables and the plot."""
    results: dict[tuple[int, int, str], Tally] = {}
    for words, texts in sizes.items():
        for recipients in (10, 40, 200):
            pool = [issue(t, recipients, args.collusion, args.style) for t in texts]
            slots = np.mean([len(i.plan.slots) for i in pool])
            wording = np.mean([i.plan.layer_counts()["wording"] for i in pool])
            what = f"{words} words, {recipients} recipients"
            print(f"{what}: {slots:.0f} slots ({wording:.0f} wording)", file=sys.stderr)
            for n, (name, colluders, make) in enumerate(SCENARIOS):
                start = time.perf_counter()
                results[(words, recipients, name)] = run(
                    pool, recipients, colluders, make, args.trials, args.seed + n
                )
                seconds = time.perf_counter() - start
                cell = results[(words, recipients, name)].cell()
                print(f"  {name}: {cell} {seconds:.0f}s", file=sys.stderr)
    print(table(results))
    plot(results, args.plot)


def targets(prose: list[str], args: argparse.Namespace) -> None:
    """The headline target: one leaker, a retyped half, 40 recipients, per business briefing
    and on the 500-word real-prose briefings."""
    pools = {
        **{f"business briefing {name}": [text] for name, text in business_briefings()},
        "held-out organizational prose, 500 words": held_out_briefings(500),
        "real prose, 500 words": prose,
    }
    for what, texts in pools.items():
        if not texts:
            continue
        pool = [issue(t, 40, args.collusion, args.style) for t in texts]
        target = run(pool, 40, 1, leak(0.5, True), args.target_trials, args.seed + 99)
        marks = np.percentile(target.marks, [10, 50, 90]).astype(int).tolist()
        print(
            f"Target ({what}, style {args.style}): one leaker, retyped half, 40 recipients, "
            f"{target.trials} trials: named {target.named} "
            f"({target.named / target.trials:.4f}), innocents accused {target.innocents}, "
            f"marks read (10th/50th/90th percentile) {marks}",
            flush=True,
        )


def business_briefings() -> list[tuple[str, str]]:
    """The three ~500-word internal memos written for the marking tests."""
    folder = Path(__file__).resolve().parent.parent / "tests" / "trace" / "data"
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]


HELD_OUT = ("debian-manifesto.gz", "social-contract.txt.gz", "constitution.txt.gz")


def held_out_briefings(words: int) -> list[str]:
    """Debian's founding documents (``doc-debian``) cut at paragraph ends into briefings of
    about ``words`` words: organizational prose written by others, unseen while the variants
    were chosen. Rules of asterisks or equals signs and one-line headings stay out."""
    texts = []
    for name in HELD_OUT:
        path = Path("/usr/share/doc/debian") / name
        if not path.exists():
            continue
        paragraphs = [
            " ".join(p.split())
            for p in re.split(r"\n\s*\n", gzip.decompress(path.read_bytes()).decode("utf-8"))
        ]
        kept, total = [], 0
        for paragraph in paragraphs:
            if len(paragraph.split()) < 12 or not re.search(r"[a-z]", paragraph):
                continue  # a heading, a rule or a signature line
            kept.append(paragraph)
            total += len(paragraph.split())
            if total >= words:
                texts.append("\n\n".join(kept))
                kept, total = [], 0
    return texts


def table(results: dict[tuple[int, int, str], Tally]) -> str:
    rows = []
    for words in (500, 2000):
        title = f"**{words}-word briefings**"
        rows.append(f"\n{title}: named a guilty / innocents accused (median marks read)\n")
        rows.append("| leak | 10 recipients | 40 recipients | 200 recipients |")
        rows.append("|---|---:|---:|---:|")
        for name, _, _ in SCENARIOS:
            cells = [results[(words, n, name)].cell() for n in (10, 40, 200)]
            rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def plot(results: dict[tuple[int, int, str], Tally], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fractions = [10, 25, 50, 75]
    figure, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
    for axis, words in zip(axes, (500, 2000), strict=True):
        for recipients in (10, 40, 200):
            rates = [results[(words, recipients, f"retyped {f}%")] for f in fractions]
            axis.plot(
                fractions,
                [r.named / r.trials for r in rates],
                marker="o",
                label=f"{recipients} recipients",
            )
        axis.set_title(f"{words}-word briefing, one leaker, retyped excerpt")
        axis.set_xlabel("share of the document leaked (%)")
        axis.grid(alpha=0.3)
    axes[0].set_ylabel("chance the leaker is named (no innocent accused)")
    axes[0].legend()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)


if __name__ == "__main__":
    main()
