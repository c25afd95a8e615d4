"""The photographs this machine has: desktop wallpaper packages' photos (KDE Plasma, MATE).

Shared by the benchmarks that need real photographs; nothing is downloaded.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

WALLPAPERS = Path("/usr/share/wallpapers")
MATE = Path("/usr/share/backgrounds/mate")
PLASMA_PHOTOS = (
    "BytheWater",
    "ColdRipple",
    "ColorfulCups",
    "DarkestHour",
    "EveningGlow",
    "FallenLeaf",
    "Grey",
    "Kite",
    "OneStandsOut",
    "Path",
    "summer_1am",
)
"""Plasma wallpapers that are photographs (the others are drawings)."""


def largest(folder: Path) -> Path:
    """A wallpaper's largest rendition."""
    return max(folder.iterdir(), key=lambda path: path.stat().st_size)


def wallpaper_photos() -> Iterator[tuple[str, Path]]:
    """(name, file) of every wallpaper photograph installed: Plasma's, then MATE's nature set."""
    for name in PLASMA_PHOTOS:
        folder = WALLPAPERS / name / "contents/images"
        if folder.is_dir() and any(folder.iterdir()):
            yield f"kde/{name}", largest(folder)
    for path in sorted((MATE / "nature").glob("*.jpg")):
        yield f"mate/{path.name}", path
