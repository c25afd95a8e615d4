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
import sys
import time
from collections import defaultdict
from pathlib import Path

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

    def __init__(self, images: list[np.ndarray]) -> None:
        hashed = [pdq_words(fit(p)) for p in images]
        self.pdq = word_major(np.concatenate([h.words for h in hashed]))
        self.quality = np.array([h.quality for h in hashed])
        self.phash = np.stack([phash(p) for p in images])

    def pdq_hits(self, pixels: np.ndarray) -> set[int]:
        query = pdq_words(fit(pixels))
        if query.quality < MIN_QUALITY:
            return set()
        near = distances(query.words, self.pdq)[0] <= MATCH_DISTANCE
        return set(np.flatnonzero(near & (self.quality >= MIN_QUALITY)).tolist())

    def phash_hits(self, pixels: np.ndarray) -> set[int]:
        near = (self.phash != phash(pixels)[None, :]).sum(axis=1) <= PHASH_DISTANCE
        return set(np.flatnonzero(near).tolist())


def build(corpus: list, cut: list) -> tuple[Matcher, list[int], list[np.ndarray]]:
    images = [p.pixels() for p in corpus] + [t.pixels for t in cut]
    sources = list(range(len(corpus))) + [t.source for t in cut]
    entries = [
        (IndexedMedia(i, f"#{i}", None, "image", f"{i:064x}"), image_print(fit(pixels)))
        for i, pixels in enumerate(images)
    ]
    return Matcher(MediaIndex.from_prints(entries)), sources, images


def detection(matcher: Matcher, baselines: Baselines, corpus: list, sources: list[int]) -> dict:
    found: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    false = defaultdict(int)
    for number, photo in enumerate(corpus):
        original = fit(photo.pixels(), TRANSFORM_SIDE)
        for name, (transform, strengths) in transforms.TRANSFORMS.items():
            for strength in strengths:
                query = transform(original, strength)
                key = f"{name} {strength:g}"
                hits = {m.media for m in matcher.match_image(fit(query))}
                pdq_hits, phash_hits = baselines.pdq_hits(query), baselines.phash_hits(query)
                for method, got in (("leaktrace", hits), ("pdq", pdq_hits), ("phash", phash_hits)):
                    cell = found[method][key]
                    cell[0] += number in got
                    cell[1] += 1
                    false[method] += sum(1 for h in got if sources[h] != number)
    return {"found": found, "false": false}


def false_matches(matcher: Matcher, baselines: Baselines, images: list, sources: list) -> dict:
    counts = {"leaktrace": 0, "pdq": 0, "phash": 0, "same_photo_leaktrace": 0}
    examples = []
    for number, pixels in enumerate(images):
        query = transforms.jpeg(transforms.resize(pixels, 0.8), 75)
        hits = {m.media for m in matcher.match_image(fit(query))} - {number}
        for method, got in (
            ("leaktrace", hits),
            ("pdq", baselines.pdq_hits(query) - {number}),
            ("phash", baselines.phash_hits(query) - {number}),
        ):
            other = [h for h in got if sources[h] != sources[number]]
            counts[method] += len(other)
            if method == "leaktrace" and other:
                examples.append((number, other))
        counts["same_photo_leaktrace"] += sum(1 for h in hits if sources[h] == sources[number])
    n = len(images)
    return {"images": n, "pairs": n * (n - 1), "counts": counts, "examples": examples[:10]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--plot", type=Path, help="write a bar chart of detection rates here")
    args = parser.parse_args()
    corpus = photos()
    cut = tiles(corpus)
    started = time.perf_counter()
    matcher, sources, images = build(corpus, cut)
    baselines = Baselines(images)
    print(
        f"{len(corpus)} photos, {len(cut)} tiles, indexed in {time.perf_counter() - started:.0f} s"
    )
    result = detection(matcher, baselines, corpus, sources)
    report(result, len(corpus))
    pairs = false_matches(matcher, baselines, images, sources)
    print(
        f"\nfalse matches over {pairs['pairs']:,} ordered pairs of {pairs['images']} images "
        f"(different photos): {pairs['counts']}"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {"photos": len(corpus), "tiles": len(cut), "detection": result, "unrelated": pairs},
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
