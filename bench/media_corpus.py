"""Real photographs found on this machine, for the media benchmarks (nothing is downloaded).

``photos()`` lists the genuine, distinct photographs shipped by installed packages. First, in
their original order, the 39 of the first version of this corpus: scikit-image's and
matplotlib's sample data, MATE's nature backgrounds, KDE Plasma's photographic wallpapers.
Then those of the packages that ``install_photos.sh`` installs, curated by name in
``photos.py`` (Stellarium's astrophotographs, Endless Sky's landscapes, Scratch's backgrounds,
opencv-doc's samples, Lomiri's and SDDM's wallpapers, Palapeli's puzzles, GCompris's photos):
1,000+ with all of them installed. Illustrations, renders and near-duplicates (the other half
of a stereo pair, a wallpaper's dark variant, a lower resolution) are left out by name; of the
others, an image is kept only if its shorter side has at least 256 pixels, at most 5% of it is
transparent (a cut-out is not a photograph's rectangle; a few transparent pixels are flattened
onto white), its PDQ hash has quality 50 or more (not a nearly uniform image) and is more than
31 bits from that of every photo kept before it. Those checks decode each image once; their
results are kept in ``~/.cache/leaktrace-bench/`` (never in the repository), so listing is cheap
afterwards and a photo's pixels are read only when asked for.

``tiles()`` builds the larger set of *unrelated* images that false matches are counted on:
non-overlapping tiles cut from every photo at its full resolution. Tiles of one photo show one
scene, so the benchmark counts false matches only between tiles of *different* photos (and
reports pairs within one photo separately).
"""

from __future__ import annotations

import io
import json
import os
import site
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from photos import package_photos, qt_resource, wallpaper_photos
from PIL import Image

Image.MAX_IMAGE_PIXELS = 60_000_000

_SITE = [Path(p) for p in site.getsitepackages()]
_SKIMAGE = (
    "astronaut.png",
    "camera.png",
    "chelsea.png",
    "coffee.png",
    "rocket.jpg",
    "motorcycle_left.png",
    "hubble_deep_field.jpg",
    "retina.jpg",
    "grass.png",
    "gravel.png",
    "brick.png",
    "coins.png",
    "moon.png",
    "page.png",
    "ihc.png",
)


MIN_SIDE = 256
MAX_TRANSPARENT = 0.05
MIN_QUALITY = 50
MAX_DISTANCE = 31
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "leaktrace-bench"


@dataclass(frozen=True)
class Photo:
    name: str
    path: Path
    member: str = ""
    """The image's path inside ``path`` when that is a Qt resource file (GCompris)."""

    def open(self) -> Image.Image:
        if self.member:
            return Image.open(io.BytesIO(qt_resource(self.path, self.member)))
        return Image.open(self.path)

    def pixels(self) -> np.ndarray:
        with self.open() as image:
            if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
                white = Image.new("RGBA", image.size, (255, 255, 255, 255))
                return np.asarray(
                    Image.alpha_composite(white, image.convert("RGBA")).convert("RGB")
                )
            return np.asarray(image.convert("RGB"))


def photos() -> list[Photo]:
    """The 39 first photos, then every other installed package's photo that passes the checks."""
    found = first_photos()
    known = _Checks()
    kept = [known.hash(photo) for photo in found]
    for name, path, member in package_photos():
        photo = Photo(name, path, member)
        facts = known.facts(photo)
        if (
            facts["side"] < MIN_SIDE
            or facts["transparent"] > MAX_TRANSPARENT
            or facts["quality"] < MIN_QUALITY
        ):
            continue
        bits = int(facts["pdq"], 16)
        if all((bits ^ other).bit_count() > MAX_DISTANCE for other in kept):
            kept.append(bits)
            found.append(photo)
    known.save()
    return found


def first_photos() -> list[Photo]:
    """The corpus's first 39 photos, as they always were."""
    found: list[Photo] = []
    for root in _SITE:
        for name in _SKIMAGE:
            path = root / "skimage" / "data" / name
            if path.is_file():
                found.append(Photo(f"skimage/{name}", path))
        hopper = root / "matplotlib" / "mpl-data" / "sample_data" / "grace_hopper.jpg"
        if hopper.is_file():
            found.append(Photo("matplotlib/grace_hopper.jpg", hopper))
    found += [Photo(name, path) for name, path in wallpaper_photos()]
    return found


class _Checks:
    """Each image's shorter side, transparent fraction and PDQ hash, computed once and kept in
    ``CACHE`` by file, size and modification time."""

    def __init__(self) -> None:
        self.file = CACHE / "photo_checks.json"
        try:
            self.known: dict = json.loads(self.file.read_text())
        except (OSError, ValueError):
            self.known = {}
        self.changed = False

    def facts(self, photo: Photo) -> dict:
        stat = photo.path.stat()
        key = f"{photo.path}!{photo.member}!{stat.st_size}!{stat.st_mtime_ns}"
        if key not in self.known:
            self.known[key] = self.measure(photo)
            self.changed = True
        return self.known[key]

    def hash(self, photo: Photo) -> int:
        return int(self.facts(photo)["pdq"], 16)

    @staticmethod
    def measure(photo: Photo) -> dict:
        import pdqhash

        with photo.open() as image:
            side = min(image.size)
            transparent = 0.0
            if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
                alpha = np.asarray(image.convert("RGBA"))[..., 3]
                transparent = float((alpha < 128).mean())
        pixels = Image.fromarray(photo.pixels())
        pixels.thumbnail((1024, 1024))
        bits, quality = pdqhash.compute(np.ascontiguousarray(np.asarray(pixels)))
        pdq = int("".join("1" if bit else "0" for bit in bits), 2)
        return {
            "side": side,
            "transparent": transparent,
            "quality": int(quality),
            "pdq": f"{pdq:064x}",
        }

    def save(self) -> None:
        if self.changed:
            CACHE.mkdir(parents=True, exist_ok=True)
            temporary = self.file.with_suffix(".tmp")
            temporary.write_text(json.dumps(self.known))
            temporary.replace(self.file)


@dataclass(frozen=True)
class Tile:
    source: int
    """Index of the photo it was cut from."""
    pixels: np.ndarray


def tiles(photos_: list[Photo], side: int = 256, per_photo: int = 48) -> list[Tile]:
    """Non-overlapping ``side`` x ``side`` tiles of every photo (at most ``per_photo`` each,
    taken evenly over the grid), skipping flat ones (a blank sky is not an image to protect)."""
    made: list[Tile] = []
    for number, photo in enumerate(photos_):
        pixels = photo.pixels()
        rows, columns = pixels.shape[0] // side, pixels.shape[1] // side
        cells = [(r, c) for r in range(rows) for c in range(columns)]
        step = max(1, len(cells) // per_photo)
        for row, column in cells[::step][:per_photo]:
            tile = pixels[row * side : (row + 1) * side, column * side : (column + 1) * side]
            if tile.std() >= 12:
                made.append(Tile(number, np.ascontiguousarray(tile)))
    return made
