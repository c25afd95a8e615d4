"""Steganalysis of LSB embedding, quality and speed: each statistic of ``detect/stego.py`` on
tiles of real photographs, clean and with random payloads.

    pip install scikit-image matplotlib
    apt-get install plasma-workspace-wallpapers mate-backgrounds
    python bench/stego_roc.py [--tile 256] [--seed 1] [--plot docs/images/stego_roc.png]

Photographs: the camera photographs scikit-image ships in ``skimage/data`` (astronaut, camera,
coffee, motorcycle, ...; no download) and the photographic wallpapers of Debian's
``plasma-workspace-wallpapers`` and ``mate-backgrounds`` (JPEG originals, 2x2 box-downscaled to
soften their JPEG history, as a resized photo is). Every photograph is cut into ``--tile``
square tiles, each used in colour and in grey: the clean covers. The illustrations and
renderings of the same packages and scikit-image's drawings and scans are "graphics": images
of another kind, for a false-alarm count and a detection row of their own.

Every cover gets a random payload at 0.05 to 1.0 bits per sample (random positions, seeded) by
LSB replacement and by LSB matching (+-1 at random, forced inwards at 0 and 255). The tables
give, per method, the share of stego images detected at the false-alarm rate that
``DEFAULT_THRESHOLD`` gives on the clean photographs: the combined row uses the threshold
itself; each single statistic gets its own threshold with that same false-alarm rate.
"""

from __future__ import annotations

import argparse
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image

from leaktrace.demo import carriers
from leaktrace.detect.stego import (
    DEFAULT_THRESHOLD,
    MATCHING_LIMIT_COLOUR,
    MATCHING_LIMIT_GREY,
    StegoEstimate,
    analyze,
)

sys.path.insert(0, str(Path(__file__).parent))
from photos import MATE, PLASMA_PHOTOS, WALLPAPERS, largest

RATES = (0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0)
PLASMA_GRAPHICS = (
    "Altai",
    "Canopee",
    "Cascade",
    "Cluster",
    "Elarun",
    "FlyingKonqui",
    "IceCold",
    "Kay",
    "Kokkini",
    "MilkyWay",
    "Opal",
    "Patak",
)
SKIMAGE_PHOTOS = (
    "astronaut.png",
    "camera.png",
    "chelsea.png",
    "coffee.png",
    "coins.png",
    "grass.png",
    "gravel.png",
    "brick.png",
    "motorcycle_left.png",
    "motorcycle_right.png",
    "moon.png",
    "ihc.png",
    "rocket.jpg",
    "retina.jpg",
    "hubble_deep_field.jpg",
)
SKIMAGE_GRAPHICS = ("page.png", "text.png", "horse.png", "logo.png", "color.png", "cell.png")
GRAPHIC_TILES = 12  # at most, per graphic: a few large renderings must not dominate
METHODS = ("chi-square", "SPA", "RS", "matching", "combined")

Samples = npt.NDArray[np.uint8]
Embed = Callable[[Samples, float, np.random.Generator], Samples]


@dataclass(frozen=True)
class Cover:
    photo: str
    colour: bool
    samples: Samples


def skimage_images(names: tuple[str, ...]) -> Iterator[tuple[str, Image.Image]]:
    """Images shipped inside scikit-image's wheel (none when it is not installed)."""
    try:
        import skimage.data
    except ImportError:
        return
    folder = Path(skimage.data.__file__).parent
    for name in names:
        yield name, Image.open(folder / name).convert("RGB")


def photographs() -> Iterator[tuple[str, Image.Image]]:
    """Every available photograph, JPEG-derived ones box-downscaled by 2."""
    yield from skimage_images(SKIMAGE_PHOTOS)
    wallpapers = [(name, WALLPAPERS / name / "contents/images") for name in PLASMA_PHOTOS]
    for name, folder in wallpapers:
        if folder.exists():
            yield name, Image.open(largest(folder)).convert("RGB").reduce(2)
    for path in sorted((MATE / "nature").glob("*.jpg")):
        yield path.stem, Image.open(path).convert("RGB").reduce(2)


def graphics() -> Iterator[tuple[str, Image.Image]]:
    yield from skimage_images(SKIMAGE_GRAPHICS)
    for name in PLASMA_GRAPHICS:
        images = WALLPAPERS / name / "contents/images"
        if images.exists():
            yield name, Image.open(largest(images)).convert("RGB")
    for path in sorted((MATE / "abstract").glob("*.png")) + sorted(
        (MATE / "desktop").glob("*.png")
    ):
        yield path.stem, Image.open(path).convert("RGB")


def tiles(name: str, image: Image.Image, size: int, most: int | None = None) -> list[Cover]:
    colour = np.asarray(image)
    grey = np.asarray(image.convert("L"))
    corners = [
        (y, x)
        for y in range(0, grey.shape[0] - size + 1, size)
        for x in range(0, grey.shape[1] - size + 1, size)
    ]
    if most is not None and len(corners) > most:
        corners = [corners[i] for i in np.linspace(0, len(corners) - 1, most).astype(int)]
    out = []
    for y, x in corners:
        out.append(Cover(name, True, colour[y : y + size, x : x + size]))
        out.append(Cover(name, False, grey[y : y + size, x : x + size]))
    return out


def statistics(estimate: StegoEstimate) -> dict[str, float]:
    return {
        "chi-square": estimate.chi_square,
        "SPA": estimate.sample_pairs,
        "RS": estimate.rs,
        # over its limit: the colour (chroma) and grey statistics have different scales
        "matching": estimate.matching
        / (MATCHING_LIMIT_COLOUR if estimate.channels >= 3 else MATCHING_LIMIT_GREY),
        "combined": estimate.score,
        "rate": estimate.rate,
    }


Table = dict[str, npt.NDArray[np.float64]]


def measure(covers: list[Cover]) -> Table:
    rows = [statistics(analyze(cover.samples)) for cover in covers]
    return {key: np.array([row[key] for row in rows]) for key in rows[0]}


def measure_stego(covers: list[Cover], embed: Embed, rate: float, seed: int) -> Table:
    rng = np.random.default_rng([seed, round(rate * 100), zlib.crc32(embed.__name__.encode())])
    return measure([Cover(c.photo, c.colour, embed(c.samples, rate, rng)) for c in covers])


def threshold_at(clean: npt.NDArray[np.float64], false_alarms: float) -> float:
    """The lowest threshold t with share(clean > t) <= false_alarms."""
    return float(np.quantile(clean, 1 - false_alarms, method="higher"))


def detection_table(
    clean: Table,
    stego: dict[float, Table],
    false_alarms: float,
    colour: npt.NDArray[np.bool_],
    graphics: dict[float, Table],
) -> str:
    lines = [
        "| method | " + " | ".join(f"{rate:g}" for rate in RATES) + " |",
        "|---|" + "---:|" * len(RATES),
    ]
    rows: list[tuple[str, list[float]]] = []
    for method in METHODS[:-1]:
        limit = threshold_at(clean[method], false_alarms)
        rows.append((method, [float(np.mean(stego[rate][method] > limit)) for rate in RATES]))
    for label, which in (("", colour | True), (" (colour)", colour), (" (grey)", ~colour)):
        flagged = [
            float(np.mean(stego[rate]["combined"][which] >= DEFAULT_THRESHOLD)) for rate in RATES
        ]
        rows.append((f"**combined**{label}", flagged))
    rows.append(("combined, graphics", [flagged_share(graphics[rate]) for rate in RATES]))
    for name, cells in rows:
        lines.append(f"| {name} | " + " | ".join(f"{100 * c:.0f}%" for c in cells) + " |")
    return "\n".join(lines)


def flagged_share(table: Table) -> float:
    return float(np.mean(table["combined"] >= DEFAULT_THRESHOLD))


def rate_table(stego: dict[float, Table]) -> str:
    lines = ["| true rate | SPA | RS | rate |", "|---:|---|---|---|"]
    for rate in RATES:
        cells = []
        for key in ("SPA", "RS", "rate"):
            low, mid, high = np.quantile(stego[rate][key], [0.1, 0.5, 0.9])
            cells.append(f"{mid:.3f} ({low:.3f}-{high:.3f})")
        lines.append(f"| {rate:g} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def roc(
    clean: npt.NDArray[np.float64], stego: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    thresholds = np.unique(np.concatenate([clean, stego]))[::-1]
    false_alarms = np.array([np.mean(clean >= t) for t in thresholds])
    detections = np.array([np.mean(stego >= t) for t in thresholds])
    return np.concatenate([[0.0], false_alarms]), np.concatenate([[0.0], detections])


def plot(
    clean: Table,
    replaced: dict[float, Table],
    matched: dict[float, Table],
    false_alarms: float,
    path: Path,
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(2, 2, figsize=(11, 9), constrained_layout=True)
    panels = [
        (axes[0, 0], replaced, "LSB replacement: combined score, by rate", None),
        (axes[0, 1], matched, "LSB matching: combined score, by rate", None),
        (axes[1, 0], replaced, "LSB replacement at 0.1 bit/sample, by method", 0.1),
        (axes[1, 1], matched, "LSB matching at 1.0 bit/sample, by method", 1.0),
    ]
    for axis, stego, title, rate in panels:
        if rate is None:
            for each in RATES:
                axis.plot(*roc(clean["combined"], stego[each]["combined"]), label=f"{each:g}")
        else:
            for method in METHODS:
                axis.plot(*roc(clean[method], stego[rate][method]), label=method)
        axis.axvline(false_alarms, color="grey", linestyle=":", label="default threshold")
        axis.set_xscale("log")
        axis.set_xlim(1e-3, 1)
        axis.set_ylim(0, 1.01)
        axis.set_xlabel("false-alarm rate on clean photographs")
        axis.set_ylabel("detection rate")
        axis.set_title(title)
        axis.grid(alpha=0.3)
        axis.legend(loc="lower right", fontsize="small")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)


def report_flagged(
    covers: list[Cover], scores: npt.NDArray[np.float64], reasons: list[str]
) -> None:
    for cover, score, reason in zip(covers, scores, reasons, strict=True):
        if score >= DEFAULT_THRESHOLD:
            kind = "colour" if cover.colour else "grey"
            print(f"  - {cover.photo} ({kind}): score {score:.2f}, {reason}")


def speed() -> str:
    """CPU seconds per call on a 12-megapixel photograph (4000x3000), best of three: CPU time,
    not wall time, so that other work on the machine does not count."""
    source = WALLPAPERS / "Kite/contents/images"
    base = Image.open(largest(source)) if source.exists() else Image.effect_noise((400, 300), 40)
    image = base.convert("RGB").resize((4000, 3000), Image.Resampling.BICUBIC)
    lines = []
    for label, samples in (("RGB", np.asarray(image)), ("grey", np.asarray(image.convert("L")))):
        best = min(_timed(samples) for _ in range(3))
        lines.append(f"| 4000x3000 {label} | {best:.2f} s |")
    return "| image | analyze(), CPU time |\n|---|---:|\n" + "\n".join(lines)


def _timed(samples: Samples) -> float:
    start = time.process_time()
    analyze(samples)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tile", type=int, default=256)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--plot", type=Path, default=Path("docs/images/stego_roc.png"))
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()

    covers = [c for name, image in photographs() for c in tiles(name, image, args.tile)]
    if not covers:
        sys.exit("no photographs: pip install scikit-image (and see the docstring)")
    others = [c for n, image in graphics() for c in tiles(n, image, args.tile, GRAPHIC_TILES)]
    photos = len({c.photo for c in covers})
    print(f"{len(covers)} clean tiles of {args.tile}x{args.tile} from {photos} photographs")
    print(f"(colour and grey), {len(others)} tiles of {len({c.photo for c in others})} graphics")
    print(f"\n    python bench/stego_roc.py --tile {args.tile} --seed {args.seed}\n")

    clean, reasons = measure(covers), [analyze(c.samples).reason for c in covers]
    colour = np.array([c.colour for c in covers])
    flagged = clean["combined"] >= DEFAULT_THRESHOLD
    false_alarms = float(flagged.mean())
    print(f"False alarms at DEFAULT_THRESHOLD = {DEFAULT_THRESHOLD}:")
    print(f"- photographs: {100 * false_alarms:.2f}% ({flagged.sum()} of {flagged.size}),")
    print(
        f"  colour {100 * flagged[colour].mean():.2f}%, grey {100 * flagged[~colour].mean():.2f}%"
    )
    report_flagged(covers, clean["combined"], reasons)
    graphic_scores = measure(others)["combined"]
    graphic_flagged = graphic_scores >= DEFAULT_THRESHOLD
    share, count = 100 * graphic_flagged.mean(), graphic_flagged.sum()
    print(f"- graphics: {share:.2f}% ({count} of {len(others)})")
    report_flagged(others, graphic_scores, [analyze(c.samples).reason for c in others])

    tables = {}
    for kind, embed in (("replacement", carriers.lsb_replace), ("matching", carriers.lsb_match)):
        stego = {r: measure_stego(covers, embed, r, args.seed) for r in RATES}
        drawn = {r: measure_stego(others, embed, r, args.seed) for r in RATES}
        share = 100 * false_alarms
        print(f"\nDetection rate, LSB {kind} (single methods at {share:.2f}% false alarms):\n")
        print(detection_table(clean, stego, false_alarms, colour, drawn))
        tables[kind] = stego
    replaced, matched = tables["replacement"], tables["matching"]
    print("\nEstimated rate under LSB replacement, median (10th-90th percentile):\n")
    print(rate_table(replaced))
    plot(clean, replaced, matched, false_alarms, args.plot)
    print(f"\nROC curves: {args.plot}")
    if not args.no_speed:
        print("\nSpeed, one core:\n")
        print(speed())


if __name__ == "__main__":
    main()
