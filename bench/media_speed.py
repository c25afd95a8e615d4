"""Protected media: hashing speed and lookup time, as ratios to plain PDQ and pHash measured in
the same run (the machine is shared: absolute numbers move, ratios much less).

    python bench/media_speed.py [--scale 1000,10000,100000] [--json docs/media-speed.json]

1. **Hashing**, images per second, from JPEG bytes (the first 39 real photos of ``media_corpus``,
   saved at 1280 px, quality 90) on one core: plain PDQ (decode + pdqhash), pHash (decode +
   imagehash), LeakTrace's registration print (decode + PDQ + ORB), LeakTrace's query (decode,
   PDQ in 8 orientations, ORB, lookup in an index of the corpus).
2. **Scale**: the lookup of a cropped, rotated photo in indexes of 1,000 to 100,000 registered
   images. Beyond the 1,040 real images, each registered image is a real one whose descriptors
   and PDQ words are XOR'ed with a random mask of its own: distinct images with the bit
   statistics of real ones (what LSH bucket sizes depend on). Reported: index build time, size
   on disk per image, and time per lookup (median of 20), split into PDQ, votes and
   verification.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import imagehash
import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).parent))
from media_corpus import first_photos, tiles

from leaktrace.media import features, transforms
from leaktrace.media.decode import decode_image, fit
from leaktrace.media.index import IndexedMedia, MediaIndex, build_index
from leaktrace.media.matcher import Matcher
from leaktrace.media.pdq import pdq_words
from leaktrace.media.prints import MediaPrint, image_print


def jpegs() -> list[bytes]:
    out = []
    for photo in first_photos():
        buffer = io.BytesIO()
        Image.fromarray(fit(photo.pixels(), 1280)).save(buffer, "JPEG", quality=90)
        out.append(buffer.getvalue())
    return out


def rate(function, items: list, rounds: int = 2) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    for _ in range(rounds):
        for item in items:
            function(item)
    return rounds * len(items) / (time.perf_counter() - started)


def plain_pdq(data: bytes) -> object:
    with Image.open(io.BytesIO(data)) as image:
        return pdq_words(np.asarray(image.convert("RGB")))


def plain_phash(data: bytes) -> object:
    with Image.open(io.BytesIO(data)) as image:
        return imagehash.phash(image.convert("RGB"))


def hashing(files: list[bytes], matcher: Matcher) -> dict[str, float]:
    rates = {
        "pdq": rate(plain_pdq, files),
        "phash": rate(plain_phash, files),
        "leaktrace_register": rate(lambda d: image_print(decode_image(d)), files),
        "leaktrace_query": rate(lambda d: matcher.match_image(decode_image(d)), files),
    }
    rates["pdq_again"] = rate(plain_pdq, files)  # the machine is shared: bracket the run
    return rates


def real_prints() -> list[MediaPrint]:
    corpus = first_photos()
    images = [p.pixels() for p in corpus] + [t.pixels for t in tiles(corpus)]
    return [image_print(fit(pixels)) for pixels in images]


def synthetic(prints: list[MediaPrint], count: int, generator: np.random.Generator):  # type: ignore[no-untyped-def]
    for number in range(count):
        base = prints[number % len(prints)]
        if number < len(prints):
            printed = base
        else:
            mask = generator.integers(0, 256, 32, dtype=np.uint8)
            words = generator.integers(0, 2**63, 4, dtype=np.uint64)
            printed = dataclasses.replace(
                base,
                pdq=base.pdq ^ words,
                peak=base.peak ^ words[::-1],
                descriptors=base.descriptors ^ mask,
            )
        yield IndexedMedia(number, f"#{number}", None, "image", f"{number:064x}"), printed


def scale(prints: list[MediaPrint], sizes: list[int], query: np.ndarray) -> list[dict]:
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory(dir="/tmp") as folder:
            path = Path(folder) / "index"
            started = time.perf_counter()
            build_index(path, synthetic(prints, size, np.random.default_rng(size)))
            built = time.perf_counter() - started
            disk = sum(f.stat().st_size for f in path.iterdir())
            index = MediaIndex.open(path)
            assert index is not None
            matcher = Matcher(index)
            found = matcher.match_image(query)
            times, parts = [], {"pdq": [], "votes": [], "total": []}
            for _ in range(20):
                t0 = time.perf_counter()
                matcher._global(query)
                t1 = time.perf_counter()
                index.vote(features.extract(query, features.QUERY_FEATURES).descriptors)
                t2 = time.perf_counter()
                matcher.match_image(query)
                t3 = time.perf_counter()
                parts["pdq"].append(t1 - t0)
                parts["votes"].append(t2 - t1)
                parts["total"].append(t3 - t2)
            times = {k: round(statistics.median(v) * 1000, 1) for k, v in parts.items()}
            rows.append(
                {
                    "images": size,
                    "build_s": round(built, 1),
                    "disk_kib_per_image": round(disk / size / 1024, 1),
                    "found": [m.media for m in found],
                    "ms": times,
                }
            )
            print(rows[-1], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="1000,10000,100000")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    files = jpegs()
    prints = real_prints()
    corpus_index = MediaIndex.from_prints(
        (IndexedMedia(i, f"#{i}", None, "image", f"{i:064x}"), p) for i, p in enumerate(prints)
    )
    rates = hashing(files, Matcher(corpus_index))
    pdq = (rates["pdq"] + rates["pdq_again"]) / 2
    print("images per second (one core):", {k: round(v, 1) for k, v in rates.items()})
    print("ratio to plain PDQ:", {k: round(v / pdq, 3) for k, v in rates.items()})
    photo = fit(first_photos()[18].pixels(), 1280)
    query = fit(transforms.rotate(transforms.crop(photo, 0.15), 8))
    rows = scale(prints, [int(s) for s in args.scale.split(",")], query)
    if args.json:
        args.json.write_text(json.dumps({"rates": rates, "pdq_mean": pdq, "scale": rows}, indent=1))


if __name__ == "__main__":
    main()
