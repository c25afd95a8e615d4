"""Protected documents, speed: the ``document`` detector's MB/s as the index grows, registration
speed, index size on disk and resident memory.

    python bench/documents_speed.py --sizes 1000 10000 100000 [--seed 1]

Real documents come from ``textsource.py``: the first 1,000 (seeded shuffle) are registered at
every size; above 1,000, documents of about 10 KB are synthesized by drawing words from the
real documents' word frequencies (so nearly every fingerprint is distinct, as in a real corpus
of that size). The other real documents, never registered, are the scanned text, as Items of
2,000 words; a second pass scans the same Items with a 200-word excerpt of a registered
document pasted into each (every Item then raises a finding).

Every size runs in two fresh processes, so each number is that step's own: one fingerprints the
documents and builds the index (time, documents/s, MB/s, peak RSS), one loads the index
(memory-mapped) and scans with ``DocumentDetector.detect`` on one core (MB/s of a first pass,
which pages the index in, and of a second; fingerprinting alone; RSS once loaded, with the
Items in memory, and after the scan). Results are Markdown tables.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from textsource import Document, documents, split

from leaktrace.core.item import Item
from leaktrace.core.lineage import Lineage
from leaktrace.detect.document import DocumentDetector
from leaktrace.protect.fingerprint import Params, fingerprint
from leaktrace.protect.index import IndexedDocument, build_index

REAL = 1000
SYNTHETIC_WORDS = 1650  # about 10 KB of text
ITEM_WORDS = 2000
EXCERPT_WORDS = 200


# --- Registered documents -----------------------------------------------------------------


def synthesized(real: list[Document], count: int, seed: int) -> Iterator[str]:
    """``count`` texts of words drawn from the real documents' word frequencies."""
    if count <= 0:
        return
    frequency = Counter(w for d in real for w in d.text.split())
    vocabulary = np.array(sorted(frequency), dtype=object)  # object: a few words are huge
    cumulative = np.cumsum([frequency[w] for w in vocabulary], dtype=np.float64)
    rng = np.random.default_rng(seed)
    for _ in range(count):
        draws = rng.random(SYNTHETIC_WORDS) * cumulative[-1]
        drawn = vocabulary[np.searchsorted(cumulative, draws, side="right")].tolist()
        yield "\n".join(" ".join(drawn[i : i + 12]) for i in range(0, len(drawn), 12))


def registered_texts(size: int, seed: int) -> Iterator[str]:
    real, _ = split(documents(seed), REAL, seed)
    yield from (d.text for d in real[:size])
    yield from synthesized(real, max(0, size - REAL), seed)


def build(folder: Path, size: int, seed: int) -> dict[str, Any]:
    """Generate, fingerprint and index ``size`` documents; the time of each step."""
    params = Params()
    indexed: list[IndexedDocument] = []
    generate = prints_seconds = 0.0
    volume = 0
    clock = time.perf_counter()
    for number, text in enumerate(registered_texts(size, seed)):
        started = time.perf_counter()
        generate += started - clock
        data = text.encode()
        prints = fingerprint(text, params)
        sha = hashlib.sha256(data).hexdigest()
        hashes = prints.unique_hashes()
        indexed.append(IndexedDocument(number, f"d{number}", None, sha, prints.word_count, hashes))
        volume += len(data)
        clock = time.perf_counter()
        prints_seconds += clock - started
    started = time.perf_counter()
    build_index(folder, indexed, [], params)
    return {
        "documents": size,
        "megabytes": volume / 1e6,
        "generate_seconds": generate,
        "fingerprint_seconds": prints_seconds,
        "index_seconds": time.perf_counter() - started,
        "fingerprints": int(sum(d.hashes.size for d in indexed)),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


# --- Scanning -----------------------------------------------------------------------------


def scan_texts(seed: int) -> tuple[list[str], list[str]]:
    """Unrelated Items of 2,000 words, and the same with a registered excerpt in each."""
    real, unrelated = split(documents(seed), REAL, seed)
    words = [w for d in unrelated for w in d.text.split(" ")]
    plain = [" ".join(words[i : i + ITEM_WORDS]) for i in range(0, len(words), ITEM_WORDS)]
    rng = random.Random(seed)
    mixed = []
    for text in plain:
        source = rng.choice([d for d in real[:100] if len(d.text.split()) > EXCERPT_WORDS])
        source_words = source.text.split(" ")
        start = rng.randrange(max(1, len(source_words) - EXCERPT_WORDS))
        excerpt = " ".join(source_words[start : start + EXCERPT_WORDS])
        middle = text.find("\n", len(text) // 2)
        mixed.append(f"{text[:middle]}\n{excerpt}\n{text[middle:]}")
    return plain, mixed


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def text_item(name: str, text: str) -> Item:
    return Item(Lineage.root(name), text.encode(), "text/plain", text)


def timed_scan(detector: DocumentDetector, items: list[Item]) -> tuple[float, int]:
    start = time.perf_counter()
    findings = sum(1 for item in items for _ in detector.detect(item))
    return time.perf_counter() - start, findings


def scan(folder: Path, texts_file: Path) -> dict[str, Any]:
    with texts_file.open("rb") as handle:
        plain, mixed = pickle.load(handle)
    before = rss_mb()
    detector = DocumentDetector({"index": str(folder)})
    loaded = rss_mb()
    items = [text_item(f"p{n}", t) for n, t in enumerate(plain)]
    excerpts = [text_item(f"m{n}", t) for n, t in enumerate(mixed)]
    with_items = rss_mb()
    timed_scan(detector, items[:20])  # warm up: the fold table, first pages of the index
    start = time.perf_counter()
    for text in plain:
        fingerprint(text)
    print_seconds = time.perf_counter() - start
    cold_seconds, _ = timed_scan(detector, items)  # the index's pages come in from disk/cache
    plain_seconds, plain_findings = timed_scan(detector, items)
    mixed_seconds, mixed_findings = timed_scan(detector, excerpts)
    return {
        "plain_mb": sum(len(t.encode()) for t in plain) / 1e6,
        "mixed_mb": sum(len(t.encode()) for t in mixed) / 1e6,
        "items": len(items),
        "fingerprint_seconds": print_seconds,
        "cold_seconds": cold_seconds,
        "plain_seconds": plain_seconds,
        "plain_findings": plain_findings,
        "mixed_seconds": mixed_seconds,
        "mixed_findings": mixed_findings,
        "rss_before_mb": before,
        "rss_loaded_mb": loaded,
        "rss_items_mb": with_items,
        "rss_after_mb": rss_mb(),
    }


# --- Orchestration ------------------------------------------------------------------------


def child(*arguments: str) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, __file__, *arguments], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.splitlines()[-1])


def disk_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def report(rows: list[tuple[dict[str, Any], dict[str, Any], float]]) -> None:
    print("| registered | text | fingerprint + index build | docs/s | MB/s | peak RSS |")
    print("|---:|---:|---:|---:|---:|---:|")
    for built, _, _ in rows:
        seconds = built["fingerprint_seconds"] + built["index_seconds"]
        print(
            f"| {built['documents']:,} | {built['megabytes']:.0f} MB | {seconds:.0f} s "
            f"({built['fingerprint_seconds']:.0f} + {built['index_seconds']:.0f}) | "
            f"{built['documents'] / seconds:,.0f} | {built['megabytes'] / seconds:.1f} | "
            f"{built['peak_rss_mb']:,.0f} MB |"
        )
    print()
    print(
        "| registered | index on disk | fingerprinting alone | detector, unrelated text, "
        "first pass | detector, unrelated text | detector, text with excerpts | "
        "findings (unrelated / with excerpts) | "
        "RSS: loaded / with Items / after scan |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for built, scanned, disk in rows:
        plain, mixed = scanned["plain_mb"], scanned["mixed_mb"]
        print(
            f"| {built['documents']:,} | {disk:.1f} MB | "
            f"{plain / scanned['fingerprint_seconds']:.1f} MB/s | "
            f"{plain / scanned['cold_seconds']:.1f} MB/s | "
            f"{plain / scanned['plain_seconds']:.1f} MB/s | "
            f"{mixed / scanned['mixed_seconds']:.1f} MB/s | "
            f"{scanned['plain_findings']} / {scanned['mixed_findings']} of {scanned['items']} | "
            f"{scanned['rss_loaded_mb']:.0f} / {scanned['rss_items_mb']:.0f} / "
            f"{scanned['rss_after_mb']:.0f} MB |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--build", nargs=2, metavar=("FOLDER", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--scan", nargs=2, metavar=("FOLDER", "TEXTS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        print(json.dumps(build(Path(args.build[0]), int(args.build[1]), args.seed)))
        return
    if args.scan:
        print(json.dumps(scan(Path(args.scan[0]), Path(args.scan[1]))))
        return
    with tempfile.TemporaryDirectory() as work:
        texts = Path(work) / "texts.pickle"
        plain, mixed = scan_texts(args.seed)
        texts.write_bytes(pickle.dumps((plain, mixed)))
        rows = []
        for size in args.sizes:
            folder = Path(work) / f"index-{size}"
            built = child("--build", str(folder), str(size), "--seed", str(args.seed))
            scanned = child("--scan", str(folder), str(texts))
            rows.append((built, scanned, disk_mb(folder)))
            print(f"<!-- {size}: {json.dumps([built, scanned])} -->", flush=True)
        report(rows)


if __name__ == "__main__":
    main()
