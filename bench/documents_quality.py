"""Protected documents, quality: recall and precision of the ``document`` detector beside ssdeep
and TLSH, on excerpts of real text, and false findings on unrelated text.

    python bench/documents_quality.py [--registered 1000] [--unrelated-mb 100] [--seed 1]
        [--shingle 5 --window 5] [--min-fingerprints 3 --min-words W --max-gap G]
        [--tools leaktrace ssdeep tlsh]

Documents come from ``textsource.py`` (real prose from this machine). ``--registered`` of them
are fingerprinted into an index; the others are "unrelated" (never registered). From every
registered document, excerpts of 20 to 2,000 words (when it is long enough) are cut at a random
place and turned into seven kinds: verbatim, reformatted, 5%/10%/20% of words edited,
sentence-shuffled, and embedded in 1-5k words of unrelated text; an eighth kind, "unrelated",
is an excerpt of an unregistered document and can only produce false matches.

Each tool sees the same excerpts. LeakTrace detects an excerpt when ``DocumentDetector.matches``
names its source; every other document it names is a false match. ssdeep (match: score > 0)
and TLSH (match: distance <= 100, and <= 200 shown too; no hash is a miss) compare the excerpt's
hash with every registered document's hash. Then unrelated text (at least ``--unrelated-mb``,
recombined from shuffled paragraphs when the distinct text runs out) is scanned by LeakTrace in
chunks of 2,000 words, and every finding is counted. Everything is seeded; tables are Markdown.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from textsource import Document, documents, split

from leaktrace.detect.document import DocumentDetector
from leaktrace.protect.fingerprint import (
    Params,
    fingerprint,
    shingle_hashes,
    word_hashes,
)
from leaktrace.protect.index import IndexedDocument, build_index
from leaktrace.protect.normalize import normalize

LENGTHS = (20, 50, 100, 200, 500, 2000)
KINDS = (
    "verbatim",
    "reformatted",
    "edited 5%",
    "edited 10%",
    "edited 20%",
    "sentence-shuffled",
    "embedded",
    "unrelated",
)
TLSH_THRESHOLDS = (100, 200)
CHUNK_WORDS = 2000
_TOKEN = re.compile(r"\S+\s*")
_SENTENCE = re.compile(r".*?(?:[.!?](?=\s)|$)\s*", re.DOTALL)
_CYRILLIC = "\u0430\u0435\u043e\u0441\u0440\u0445\u0456"  # look like a, e, o, c, p, x, i
_HOMOGLYPHS = dict(zip("aeocpxi", _CYRILLIC, strict=True))
_QUOTES = {"'": "\u2019", '"': "\u201c", "--": "\u2014", "...": "\u2026"}


@dataclass
class Excerpt:
    kind: str
    length: int
    source: int | None
    """Number of the registered document it was cut from (None for "unrelated")."""
    text: str


# --- Excerpts -----------------------------------------------------------------------------


def cut(text: str, words: int, rng: random.Random) -> str | None:
    """``words`` consecutive whitespace-separated words of ``text``, formatting kept."""
    tokens = _TOKEN.findall(text)
    if len(tokens) < words:
        return None
    start = rng.randrange(len(tokens) - words + 1)
    return "".join(tokens[start : start + words]).strip()


def wrap(words: list[str], rng: random.Random, hyphenate: bool = False) -> str:
    """Words into lines of a random width, hyphenating some long words at the line end."""
    width = rng.randint(30, 100)
    lines, line = [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            room = width - len(line) - 2
            if hyphenate and word.isalpha() and len(word) >= 6 and room >= 3:
                split = rng.randint(3, min(room, len(word) - 3))
                lines.append(f"{line} {word[:split]}-")
                line = word[split:]
                continue
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


def _recase(words: list[str], rng: random.Random) -> list[str]:
    mode = rng.choice(("lower", "upper", "title", "some"))
    if mode == "some":
        return [w.upper() if rng.random() < 0.2 else w for w in words]
    return [getattr(w, mode)() for w in words]


def _repunctuate(word: str, rng: random.Random) -> str:
    for plain, fancy in _QUOTES.items():
        word = word.replace(plain, fancy)
    if word[-1:] in ",;:" and rng.random() < 0.5:
        word = word[:-1] + rng.choice(",;: ")
    if rng.random() < 0.02:
        word = "".join(_HOMOGLYPHS.get(c, c) if rng.random() < 0.5 else c for c in word)
    return word.strip()


def _respace(text: str, rng: random.Random) -> str:
    spaced = [rng.choice(("  ", " \t", "\u00a0", " ")) if c == " " else c for c in text]
    return "".join(spaced).replace("\n", "\n\n" if rng.random() < 0.5 else " \n")


def reformat(text: str, rng: random.Random) -> str:
    """Case, quotes, punctuation, look-alike letters, re-wrapping, hyphenation, whitespace."""
    words = [_repunctuate(w, rng) for w in _recase(text.split(), rng)]
    return _respace(wrap([w for w in words if w], rng, hyphenate=True), rng)


def edit(text: str, share: float, vocabulary: list[str], rng: random.Random) -> str:
    """Replace, insert or delete ``share`` of the words at random positions, layout kept."""
    tokens = _TOKEN.findall(text)
    for _ in range(round(share * len(tokens))):
        operation, position = rng.randrange(3), rng.randrange(len(tokens))
        spacing = tokens[position][len(tokens[position].rstrip()) :] or " "
        if operation == 0:
            tokens[position] = rng.choice(vocabulary) + spacing
        elif operation == 1:
            tokens.insert(position, rng.choice(vocabulary) + " ")
        elif len(tokens) > 1:
            del tokens[position]
    return "".join(tokens).strip()


def shuffle_sentences(text: str, rng: random.Random) -> str:
    """The sentences in a random order, each keeping its own line breaks."""
    sentences = [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
    rng.shuffle(sentences)
    return " ".join(sentences)


def embed(text: str, unrelated: list[Document], rng: random.Random) -> str:
    """``text`` placed between paragraphs of 1,000-5,000 words of unrelated documents."""
    paragraphs: list[str] = []
    want = rng.randint(1000, 5000)
    while sum(len(p.split()) for p in paragraphs) < want:
        paragraphs += rng.choice(unrelated).text.split("\n\n")[:20]
    paragraphs.insert(rng.randint(0, len(paragraphs)), text)
    return "\n\n".join(paragraphs)


def make_excerpts(
    registered: list[Document], unrelated: list[Document], seed: int
) -> list[Excerpt]:
    rng = random.Random(seed)
    vocabulary = sorted({w for d in unrelated[:200] for w in d.text.split() if w.isalpha()})
    excerpts: list[Excerpt] = []
    for number, document in enumerate(registered):
        for length in LENGTHS:
            text = cut(document.text, length, rng)
            other = cut(rng.choice(unrelated).text, length, rng)
            if text is None:
                continue
            variants = {
                "verbatim": text,
                "reformatted": reformat(text, rng),
                "edited 5%": edit(text, 0.05, vocabulary, rng),
                "edited 10%": edit(text, 0.10, vocabulary, rng),
                "edited 20%": edit(text, 0.20, vocabulary, rng),
                "sentence-shuffled": shuffle_sentences(text, rng),
                "embedded": embed(text, unrelated, rng),
            }
            excerpts += [Excerpt(k, length, number, v) for k, v in variants.items()]
            if other is not None:
                excerpts.append(Excerpt("unrelated", length, None, other))
    return excerpts


# --- Tools --------------------------------------------------------------------------------

Matcher = Callable[[str], set[int]]
"""The registered documents (numbers) a tool says a text matches."""


def leaktrace_matcher(
    registered: list[Document],
    folder: Path,
    params: Params,
    options: dict[str, Any],
) -> Matcher:
    build_index(folder, indexed(registered, params), [], params)
    detector = DocumentDetector({"index": str(folder), **options})

    def match(text: str) -> set[int]:
        return {m.document for m in detector.matches(fingerprint(text, params))}

    return match


def indexed(docs: list[Document], params: Params) -> Iterator[IndexedDocument]:
    for number, document in enumerate(docs):
        prints = fingerprint(document.text, params)
        sha = hashlib.sha256(document.text.encode()).hexdigest()
        yield IndexedDocument(
            number, f"doc-{number}", None, sha, prints.word_count, prints.unique_hashes()
        )


def ssdeep_matcher(registered: list[Document]) -> Matcher:
    import ssdeep

    by_block: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for number, document in enumerate(registered):
        digest = ssdeep.hash(document.text.encode())
        by_block[int(digest.split(":")[0])].append((number, digest))

    def match(text: str) -> set[int]:
        digest = ssdeep.hash(text.encode())
        block = int(digest.split(":")[0])
        candidates = by_block[block // 2] + by_block[block] + by_block[block * 2]
        return {n for n, other in candidates if ssdeep.compare(digest, other) > 0}

    return match


def tlsh_matcher(registered: list[Document], threshold: int) -> Matcher:
    import tlsh

    def load(text: str) -> Any:
        digest = tlsh.hash(text.encode())
        if not digest or digest == "TNULL":
            return None
        value = tlsh.Tlsh()
        value.fromTlshStr(digest)
        return value

    hashes = [(n, h) for n, d in enumerate(registered) if (h := load(d.text)) is not None]

    def match(text: str) -> set[int]:
        value = load(text)
        if value is None:
            return set()
        return {n for n, other in hashes if value.diff(other) <= threshold}

    return match


# --- Scoring ------------------------------------------------------------------------------


@dataclass
class Score:
    excerpts: int = 0
    found: int = 0
    false: int = 0
    """False matches: (excerpt, other document) pairs."""

    def recall(self) -> float:
        return self.found / self.excerpts if self.excerpts else float("nan")

    def precision(self) -> float:
        total = self.found + self.false
        return self.found / total if total else float("nan")


@dataclass
class Scores:
    cells: dict[tuple[str, int], Score] = field(default_factory=lambda: defaultdict(Score))
    seconds: float = 0.0

    def add(self, excerpt: Excerpt, matched: set[int]) -> None:
        for key in ((excerpt.kind, excerpt.length), (excerpt.kind, 0)):
            score = self.cells[key]
            score.excerpts += 1
            score.found += excerpt.source in matched
            score.false += len(matched - {excerpt.source})


def score(matcher: Matcher, excerpts: list[Excerpt]) -> Scores:
    scores = Scores()
    start = time.perf_counter()
    for excerpt in excerpts:
        scores.add(excerpt, matcher(excerpt.text))
    scores.seconds = time.perf_counter() - start
    return scores


def table(name: str, scores: Scores) -> str:
    head = " | ".join(f"{n} words" for n in LENGTHS)
    rows = [
        f"**{name}** — recall (precision), {scores.seconds:.0f} s for all excerpts",
        "",
        f"| kind | {head} | all lengths |",
        "|---|" + "---:|" * (len(LENGTHS) + 1),
    ]
    for kind in KINDS:
        cells = [_cell(kind, scores.cells.get((kind, n))) for n in (*LENGTHS, 0)]
        rows.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _cell(kind: str, score: Score | None) -> str:
    if score is None or score.excerpts == 0:
        return ""
    if kind == "unrelated":
        return f"{score.false} false / {score.excerpts}"
    precision = score.precision()
    shown = "-" if precision != precision else f"{precision:.3f}"
    return f"{score.recall():.3f} ({shown})"


def counts(excerpts: list[Excerpt]) -> str:
    rows = ["| length | excerpts per kind |", "|---:|---:|"]
    for length in LENGTHS:
        count = sum(e.length == length for e in excerpts if e.kind == KINDS[0])
        rows.append(f"| {length} | {count} |")
    return "\n".join(rows)


# --- False findings on unrelated text -----------------------------------------------------


def unrelated_chunks(unrelated: list[Document], megabytes: float, seed: int) -> Iterator[str]:
    """2,000-word chunks of every unrelated document, then of shuffled paragraphs, to size."""
    rng = random.Random(seed)
    words = [w for d in unrelated for w in _TOKEN.findall(d.text)]
    produced = 0
    for start in range(0, len(words), CHUNK_WORDS):
        chunk = "".join(words[start : start + CHUNK_WORDS])
        produced += len(chunk.encode())
        yield chunk
    paragraphs = [p for d in unrelated for p in d.text.split("\n\n")]
    while produced < megabytes * 1e6:
        rng.shuffle(paragraphs)
        chunk, count = [], 0
        for paragraph in paragraphs:
            chunk.append(paragraph)
            count += len(paragraph.split())
            if count >= CHUNK_WORDS:
                text = "\n\n".join(chunk)
                produced += len(text.encode())
                yield text
                chunk, count = [], 0
                if produced >= megabytes * 1e6:
                    return


def shares_run(a: str, b: str, words: int) -> bool:
    """Whether two texts share a run of ``words`` normalized words."""
    runs = [shingle_hashes(word_hashes(normalize(t).codes)[0], words) for t in (a, b)]
    return bool(np.intersect1d(runs[0], runs[1]).size)


def false_findings(
    match: Matcher, registered: list[Document], unrelated: list[Document], args: Any
) -> str:
    distinct = sum(len(d.text.encode()) for d in unrelated) / 1e6
    size = chunks = findings = chunks_hit = genuine = 0
    start = time.perf_counter()
    for chunk in unrelated_chunks(unrelated, args.unrelated_mb, args.seed):
        size += len(chunk.encode())
        chunks += 1
        matched = match(chunk)
        findings += len(matched)
        chunks_hit += bool(matched)
        genuine += sum(shares_run(chunk, registered[n].text, 9) for n in matched)
    seconds = time.perf_counter() - start
    return (
        f"| unrelated text scanned | chunks of {CHUNK_WORDS} words | chunks with a finding | "
        "findings | of which share ≥ 9 consecutive words with the document | seconds |\n"
        "|---|---:|---:|---:|---:|---:|\n"
        f"| {size / 1e6:.1f} MB ({distinct:.1f} MB distinct, the rest shuffled paragraphs "
        f"of it) | {chunks} | {chunks_hit} | {findings} | {genuine} | {seconds:.0f} |"
    )


# --- Main ---------------------------------------------------------------------------------


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registered", type=int, default=1000)
    parser.add_argument("--unrelated-mb", type=float, default=100.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shingle", type=int, default=Params().shingle)
    parser.add_argument("--window", type=int, default=Params().window)
    parser.add_argument("--min-fingerprints", type=int)
    parser.add_argument("--min-words", type=int)
    parser.add_argument("--max-gap", type=int)
    parser.add_argument("--tools", nargs="+", default=["leaktrace", "ssdeep", "tlsh"])
    return parser.parse_args()


def main() -> None:
    args = parse()
    registered, unrelated = split(documents(args.seed), args.registered, args.seed)
    excerpts = make_excerpts(registered, unrelated, args.seed)
    params = Params(args.shingle, args.window)
    options = {
        k: v
        for k in ("min_fingerprints", "min_words", "max_gap")
        if (v := getattr(args, k)) is not None
    }
    print(
        f"{len(registered)} registered documents, {len(unrelated)} unrelated, "
        f"{len(excerpts)} excerpts; {params}, detector options {options or 'default'}\n"
    )
    print(counts(excerpts) + "\n")
    with tempfile.TemporaryDirectory() as folder:
        tools: dict[str, Callable[[], Matcher]] = {
            "leaktrace": lambda: leaktrace_matcher(registered, Path(folder), params, options),
            "ssdeep": lambda: ssdeep_matcher(registered),
            **{f"tlsh ≤ {t}": (lambda t=t: tlsh_matcher(registered, t)) for t in TLSH_THRESHOLDS},
        }
        for name, make in tools.items():
            if name.split()[0] in args.tools:
                matcher = make()
                print(table(name, score(matcher, excerpts)) + "\n", flush=True)
                if name == "leaktrace" and args.unrelated_mb > 0:
                    print(false_findings(matcher, registered, unrelated, args) + "\n", flush=True)


if __name__ == "__main__":
    main()
