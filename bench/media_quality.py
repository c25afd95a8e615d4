"""Protected media: detection rate per transformation and false matches, on real photographs,
side by side with plain PDQ and pHash measured in the same run.

    python bench/media_quality.py [--json docs/media-quality.json] \
        [--plot docs/images/media_detection.png]

Corpus (``media_corpus.py``): the real photographs this machine has (39), each registered
whole, plus 1,000+ unrelated images made of non-overlapping tiles of those photos, registered
too, so every query runs against an index of over a thousand images.

- **Detection**: every photo is transformed by every transformation in
  ``leaktrace.media.transforms.TRANSFORMS`` at each strength and looked up. Found: the
  registered photo is among the matches. A match with an image cut from a *different* photo is
  a false match. (A tile of the same photo may legitimately match: the query contains it.)
- **False matches**: every registered image (tiles and photos), recompressed (JPEG 75) and
  scaled to 80%, is looked up; a match with any image from another photo is false. That is
  every ordered pair of the 1,040 images, about a million comparisons.
- **Baselines**: plain PDQ (one orientation, distance <= 31, quality >= 50, the authors'
  recommended threshold) and pHash (``imagehash.phash``, 64 bits, distance <= 10).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

import imagehash
import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).parent))
from media_corpus import photos, tiles

from leaktrace.media import transforms
from leaktrace.media.decode import fit
from leaktrace.media.index import IndexedMedia, MediaIndex
from leaktrace.media.matcher import Matcher
from leaktrace.media.pdq import (
    MATCH_DISTANCE,
    MIN_QUALITY,
    distances,
    pdq_words,
    word_major,
)
from leaktrace.media.prints import image_print

PHASH_DISTANCE = 10
TRANSFORM_SIDE = 1280  # the "original" a leaker starts from: a full-HD-ish copy


def phash(pixels: np.ndarray) -> np.ndarray:
    return imagehash.phash(Image.fromarray(pixels)).hash.ravel()


class Baselines:
    """Plain PDQ and pHash of every registered image, compared brute force."""

    def __init__(self, pdqs: list, phashes: list[np.ndarray]) -> None:
        self.pdq = word_major(np.concatenate([h.words for h in pdqs]))
        self.quality = np.array([h.quality for h in pdqs])
        self.phash = np.stack(phashes)

    def pdq_hits(self, pixels: np.ndarray) -> set[int]:
        query = pdq_words(fit(pixels))
        if query.quality < MIN_QUALITY:
            return set()
        near = distances(query.words, self.pdq)[0] <= MATCH_DISTANCE
        return set(np.flatnonzero(near & (self.quality >= MIN_QUALITY)).tolist())

    def phash_hits(self, pixels: np.ndarray) -> set[int]:
        near = (self.phash != phash(pixels)[None, :]).sum(axis=1) <= PHASH_DISTANCE
        return set(np.flatnonzero(near).tolist())


class Corpus:
    """The registered images: every photo, then the tiles (if any), loaded when needed so that
    a thousand photographs never sit in memory at once."""

    def __init__(self, photos_: list, cut: list) -> None:
        self.photos = photos_
        self.cut = cut
        self.sources = list(range(len(photos_))) + [t.source for t in cut]

    def __len__(self) -> int:
        return len(self.sources)

    def name(self, number: int) -> str:
        source = self.photos[self.sources[number]].name
        return source if number < len(self.photos) else f"tile of {source}"

    def pixels(self, number: int) -> np.ndarray:
        if number < len(self.photos):
            return self.photos[number].pixels()
        return self.cut[number - len(self.photos)].pixels


SHARED = SimpleNamespace()
"""The corpus, matcher and baselines, set in the parent before the workers fork: they read
them, never write them."""


def hashed(number: int) -> tuple:
    """One registered image's print and its plain PDQ and pHash (in a worker)."""
    pixels = SHARED.corpus.pixels(number)
    small = fit(pixels)
    return image_print(small), pdq_words(small), phash(pixels)


def build(corpus: Corpus, jobs: int) -> tuple[Matcher, Baselines]:
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        done = pool.map(hashed, range(len(corpus)), chunksize=4)
    entries = [
        (IndexedMedia(i, f"#{i}", None, "image", f"{i:064x}"), printed)
        for i, (printed, _, _) in enumerate(done)
    ]
    baselines = Baselines([pdq for _, pdq, _ in done], [ph for _, _, ph in done])
    return Matcher(MediaIndex.from_prints(entries)), baselines


def transformed_hits(number: int) -> list[tuple[str, set[int], set[int], set[int]]]:
    """Every transformation of photo ``number``, looked up three ways (in a worker)."""
    original = fit(SHARED.corpus.pixels(number), TRANSFORM_SIDE)
    rows = []
    for name, (transform, strengths) in transforms.TRANSFORMS.items():
        for strength in strengths:
            query = transform(original, strength)
            matches = SHARED.matcher.match_image(fit(query))
            hits = {m.media for m in matches}
            wrong = [
                (m.media, m.method, ", ".join(m.transformations))
                for m in matches
                if SHARED.corpus.sources[m.media] != number
            ]
            rows.append(
                (
                    f"{name} {strength:g}",
                    hits,
                    SHARED.baselines.pdq_hits(query),
                    SHARED.baselines.phash_hits(query),
                    wrong,
                )
            )
    return rows


def detection(corpus: Corpus, jobs: int, sample: list[int]) -> dict:
    found: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    false = defaultdict(int)
    misses = defaultdict(list)
    false_pairs: list[tuple] = []
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        results = pool.imap(transformed_hits, sample, chunksize=2)
        for number, rows in zip(sample, results, strict=True):
            for key, *hit_sets, wrong in rows:
                for media, method, story in wrong:
                    false_pairs.append(
                        (corpus.photos[number].name, key, corpus.name(media), method, story)
                    )
                for method, got in zip(("leaktrace", "pdq", "phash"), hit_sets, strict=True):
                    cell = found[method][key]
                    cell[0] += number in got
                    cell[1] += 1
                    false[method] += sum(1 for h in got if corpus.sources[h] != number)
                    if method == "leaktrace" and number not in got:
                        misses[key].append(corpus.photos[number].name)
    return {"found": found, "false": false, "misses": misses, "false_pairs": false_pairs}


def unrelated_hits(number: int) -> tuple[set[int], set[int], set[int]]:
    """Registered image ``number``, recompressed and scaled, looked up three ways."""
    query = transforms.jpeg(transforms.resize(SHARED.corpus.pixels(number), 0.8), 75)
    return (
        {m.media for m in SHARED.matcher.match_image(fit(query))} - {number},
        SHARED.baselines.pdq_hits(query) - {number},
        SHARED.baselines.phash_hits(query) - {number},
    )


def false_matches(corpus: Corpus, jobs: int) -> dict:
    counts = {"leaktrace": 0, "pdq": 0, "phash": 0, "same_photo_leaktrace": 0}
    examples = []
    sources = corpus.sources
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        results = pool.imap(unrelated_hits, range(len(corpus)), chunksize=4)
        for number, hit_sets in enumerate(results):
            for method, got in zip(("leaktrace", "pdq", "phash"), hit_sets, strict=True):
                other = [h for h in got if sources[h] != sources[number]]
                counts[method] += len(other)
                if method == "leaktrace" and other:
                    examples.append((number, other))
            counts["same_photo_leaktrace"] += sum(
                1 for h in hit_sets[0] if sources[h] == sources[number]
            )
    n = len(corpus)
    return {"images": n, "pairs": n * (n - 1), "counts": counts, "examples": examples[:10]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--plot", type=Path, help="write a bar chart of detection rates here")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--limit", type=int, help="only the first N photos (a quick run)")
    parser.add_argument(
        "--every", type=int, default=1, help="transform every K-th photo only (all are registered)"
    )
    parser.add_argument("--start", type=int, default=0, help="the first photo transformed")
    parser.add_argument(
        "--tiles",
        choices=("auto", "yes", "no"),
        default="auto",
        help="register tiles of the photos too (auto: when there are fewer than 1,000 photos)",
    )
    args = parser.parse_args()
    corpus_photos = photos()[: args.limit]
    with_tiles = args.tiles == "yes" or (args.tiles == "auto" and len(corpus_photos) < 1000)
    SHARED.corpus = Corpus(corpus_photos, tiles(corpus_photos) if with_tiles else [])
    started = time.perf_counter()
    SHARED.matcher, SHARED.baselines = build(SHARED.corpus, args.jobs)
    print(
        f"{len(SHARED.corpus.photos)} photos, {len(SHARED.corpus.cut)} tiles, "
        f"indexed in {time.perf_counter() - started:.0f} s"
    )
    started = time.perf_counter()
    sample = list(range(args.start, len(SHARED.corpus.photos), args.every))
    result = detection(SHARED.corpus, args.jobs, sample)
    report(result, len(sample))
    print(f"detection took {time.perf_counter() - started:.0f} s")
    pairs = false_matches(SHARED.corpus, args.jobs)
    print(
        f"\nfalse matches over {pairs['pairs']:,} ordered pairs of {pairs['images']} images "
        f"(different photos): {pairs['counts']}"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "photos": len(SHARED.corpus.photos),
                    "tiles": len(SHARED.corpus.cut),
                    "detection": result,
                    "unrelated": pairs,
                },
                indent=1,
            )
        )
    if args.plot:
        plot(result, args.plot)


def report(result: dict, photos_count: int) -> None:
    found = result["found"]
    print(f"\n{'transformation':<18}{'leaktrace':>10}{'pdq':>8}{'phash':>8}")
    for key in found["leaktrace"]:
        rates = [found[m][key][0] / found[m][key][1] for m in ("leaktrace", "pdq", "phash")]
        print(
            f"{key:<18}"
            + "".join(f"{r:>10.3f}" if i == 0 else f"{r:>8.3f}" for i, r in enumerate(rates))
        )
    print(f"false matches during detection ({photos_count} photos): {dict(result['false'])}")
    for pair in result["false_pairs"][:20]:
        print("  false:", " | ".join(pair))
    for key, names in result["misses"].items():
        print(
            f"missed by leaktrace, {key}: {', '.join(names[:8])}{' ...' if len(names) > 8 else ''}"
        )


def plot(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    found = result["found"]
    keys = list(found["leaktrace"])
    x = np.arange(len(keys))
    figure, axes = plt.subplots(figsize=(14, 4.5))
    for offset, method in zip((-0.27, 0, 0.27), ("leaktrace", "pdq", "phash"), strict=True):
        rates = [found[method][k][0] / found[method][k][1] for k in keys]
        axes.bar(x + offset, rates, width=0.27, label=method)
    axes.set_xticks(x, keys, rotation=70, ha="right", fontsize=8)
    axes.set_ylabel("detection rate")
    axes.set_ylim(0, 1.05)
    axes.legend(loc="lower left")
    axes.set_title("Registered photos found after each transformation (real photos)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)


if __name__ == "__main__":
    main()
