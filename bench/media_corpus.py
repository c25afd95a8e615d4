"""Real photographs found on this machine, for the media benchmarks (nothing is downloaded).

``photos()`` lists the genuine, distinct photographs shipped by installed packages and the
desktop's wallpaper packages (scikit-image's sample data, matplotlib's sample data, MATE's
nature backgrounds, KDE Plasma's photographic wallpapers): 39 on the machine this was written
on. Illustrations, renders and near-duplicates (the other half of a stereo pair, a wallpaper's
dark variant) are left out by name below.

``tiles()`` builds the larger set of *unrelated* images that false matches are counted on:
non-overlapping tiles cut from every photo at its full resolution. Tiles of one photo show one
scene, so the benchmark counts false matches only between tiles of *different* photos (and
reports pairs within one photo separately).
"""

from __future__ import annotations

import site
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from photos import wallpaper_photos
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


@dataclass(frozen=True)
class Photo:
    name: str
    path: Path

    def pixels(self) -> np.ndarray:
        with Image.open(self.path) as image:
            return np.asarray(image.convert("RGB"))


def photos() -> list[Photo]:
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
