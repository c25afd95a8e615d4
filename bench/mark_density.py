"""Traced copies: how many slots each marking layer finds per 100 words of real prose, and how
many wording slots a retyped half of a 500-word document still carries.

    python bench/mark_density.py [--documents 60] [--seed 1] [--style bold]

Texts: the business briefings of the tests (``tests/trace/data/*.txt``), three licences
from ``/usr/share/common-licenses``, and ``--documents`` documents of real prose from
``textsource.py`` (per source: READMEs and changelogs, Python docs, manual pages, ...). Words
are counted as runs of letters and digits. "Retyped half" renders a random copy of a document
of 400 words or more, cuts out the middle half of its first 500 words, retypes it (invisible
marks gone, quotes straightened, re-wrapped) and counts the wording slots still read: what the
accusation has to work with when a leaker retypes an excerpt. "False reads" reads each document
(unmarked) with the wording plan of the next one in its row: wording slots read per 1,000 words
of unrelated text (they come from phrases two documents share word for word, such as "For more
information, see"; such a read is a coin flip, not a mark). Reading time is for a 1 MB text
made of all the documents (the median of three reads). Tables are Markdown. "Wording" counts
the marks a random copy carries: one per pair, and for a family of k forms the slots on the
path of the form the copy writes (``trace.positions``).
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
import time
import unicodedata
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from leaktrace.trace.glyphs import LOOKALIKE_LATIN
from leaktrace.trace.place import plan_marks
from leaktrace.trace.plan import MarkPlan
from leaktrace.trace.read import read_marks
from leaktrace.trace.render import render_marks
from leaktrace.trace.variant import STYLES

ROOT = Path(__file__).resolve().parent.parent
LICENCES = ("GPL-3", "Apache-2.0", "MPL-2.0")
_WORD = re.compile(r"[^\W_]+")
STYLE = ["safe"]  # set once from --style; every plan of a run uses it


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _retyped(text: str) -> str:
    plain = "".join(
        LOOKALIKE_LATIN.get(char, char) for char in text if unicodedata.category(char) != "Cf"
    )
    plain = plain.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return textwrap.fill(" ".join(plain.split()), 61)


def _half_excerpt(text: str, rng: np.random.Generator) -> tuple[int, int]:
    """Wording slots read from a retyped middle half of the first 500 words, and its words."""
    spans = [match.span() for match in _WORD.finditer(text)]
    window = spans[:500]
    text = text[: window[-1][1]]
    plan = plan_marks([text], veto=("invisible",), style=STYLE[0])
    bits = rng.integers(0, 2, len(plan)).astype(np.uint8)
    copy = render_marks([text], plan, bits)[0]
    # The copy has the same words, give or take a few; cut it by word count.
    copy_spans = [match.span() for match in _WORD.finditer(copy)]
    quarter = len(copy_spans) // 4
    excerpt = copy[copy_spans[quarter][0] : copy_spans[3 * quarter][1]]
    read = read_marks(_retyped(excerpt), plan)
    got = read >= 0
    assert np.array_equal(read[got], plan.readings_of(bits)[got]), "a slot misread"
    return int(got.sum()), _words(excerpt)


def _false_reads(texts: list[str]) -> str:
    """Wording slots read per 1,000 words when each text is read with the next one's plan."""
    if len(texts) < 2:
        return "-"
    reads = 0
    for index, text in enumerate(texts):
        plan = plan_marks([texts[(index + 1) % len(texts)]], layers=("wording",), style=STYLE[0])
        reads += int((read_marks(text, plan) >= 0).sum())
    return f"{1000 * reads / sum(_words(text) for text in texts):.2f}"


def _wording_marks(plan: MarkPlan, rng: np.random.Generator) -> int:
    """The wording marks a random copy carries: a position with k forms carries the slots on
    the path of the form it writes (one for a pair, two of three for four forms)."""
    bits = rng.integers(0, 2, len(plan)).astype(np.uint8)
    wording = np.array([slot.layer == "wording" for slot in plan.slots], dtype=np.bool_)
    return int(((plan.readings_of(bits) >= 0) & wording).sum())


def _row(name: str, texts: list[str], rng: np.random.Generator) -> str:
    words = sum(_words(text) for text in texts)
    counts = {"wording": 0, "invisible": 0}
    for text in texts:
        plan = plan_marks([text], style=STYLE[0])
        counts["invisible"] += plan.layer_counts()["invisible"]
        counts["wording"] += _wording_marks(plan, rng)
    halves = [_half_excerpt(text, rng) for text in texts if _words(text) >= 400]
    half = (
        f"{np.mean([read for read, _ in halves]):.1f} of {np.mean([n for _, n in halves]):.0f}"
        if halves
        else "-"
    )
    per = {layer: 100 * count / words for layer, count in counts.items()}
    cells = f"{per['wording']:.1f} | {per['invisible']:.1f} | {half} | {_false_reads(texts)}"
    return f"| {name} | {len(texts)} | {words} | {cells} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=60, help="documents per source")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--style", choices=STYLES, default="safe", help="the marking style")
    args = parser.parse_args()
    STYLE[0] = args.style
    rng = np.random.default_rng(args.seed)
    print("| text | documents | words | wording / 100 words | invisible / 100 words |"
          " wording slots read in a retyped half (words) | false reads / 1000 words |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|")
    briefings = [
        path.read_text(encoding="utf-8")
        for path in sorted((ROOT / "tests/trace/data").glob("*.txt"))
    ]
    for path, text in zip(
        sorted((ROOT / "tests/trace/data").glob("*.txt")), briefings, strict=True
    ):
        print(_row(f"briefing: {path.stem} (tests)", [text], rng))
    print(_row("briefings (tests), all", briefings, rng))
    for name in LICENCES:
        path = Path("/usr/share/common-licenses") / name
        if path.exists():
            print(_row(f"licence {name}", [path.read_text(encoding="utf-8")], rng))
    everything = list(briefings)
    try:
        import textsource
    except ImportError:  # pragma: no cover - the bench folder is on the path
        return
    by_source: dict[str, list[str]] = {}
    for document in textsource.documents(args.seed):
        by_source.setdefault(document.source, []).append(document.text)
    for source, texts in sorted(by_source.items()):
        chosen = texts[:: max(1, len(texts) // args.documents)][: args.documents]
        everything += chosen
        print(_row(f"textsource: {source}", chosen, rng))
    _reading_time("\n\n".join(everything))


def _reading_time(text: str) -> None:
    text = (text * (1 + 1_000_000 // max(1, len(text))))[:1_000_000]
    plan = plan_marks([text])
    bits = np.random.default_rng(0).integers(0, 2, len(plan)).astype(np.uint8)
    copy = render_marks([text], plan, bits)[0]
    times = []
    for _ in range(3):
        start = time.perf_counter()
        read = read_marks(copy, plan)
        times.append(time.perf_counter() - start)
    assert np.array_equal(read, plan.readings_of(bits))
    print(f"\nReading a 1 MB copy ({len(plan)} slots): {sorted(times)[1]:.2f} s")


if __name__ == "__main__":
    main()
