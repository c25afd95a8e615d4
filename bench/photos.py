"""The photographs this machine has: desktop wallpaper packages' photos (KDE Plasma, MATE), and
those of the packages that ``install_photos.sh`` installs (Stellarium, Endless Sky, Scratch,
opencv-doc, Lomiri, Palapeli, SDDM's Maldives theme, GCompris).

Shared by the benchmarks that need real photographs; nothing is downloaded.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from functools import lru_cache
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


# Photographs shipped by other Debian packages (see install_photos.sh), curated per package:
# only directories, or names, that hold photographs; drawings and renders are left out.

STELLARIUM = Path("/usr/share/stellarium/nebulae/default")
"""stellarium-data: astrophotographs of nebulae, galaxies and clusters (all photographs)."""
STELLARIUM_MOSAICS = {
    "barnard_loop": r"barnard_loop-\d+",
    "ic2118": r"ic2118-\d+",
    "lmc": r"lmc_\d+",
    "rho": r"rho-a\d+",
    "smc29": r"smc29-\d+",
}
"""Wide fields that Stellarium cuts into tiles of one photograph: only the first tile is kept."""
ENDLESS_SKY = Path("/usr/share/games/endless-sky/images/land")
ENDLESS_SKY_2X = Path("/usr/share/games/endless-sky/plugins/endless-sky-high-dpi/images/land")
"""endless-sky-data (and its @2x renditions in endless-sky-high-dpi): landscape photographs."""
ENDLESS_SKY_NOT_PHOTOS = ("space6",)
SCRATCH = Path("/usr/share/scratch/Media/Backgrounds")
SCRATCH_NOT_PHOTOS = (
    "atom-playground.jpg",
    "basketball-court1-a.jpg",
    "basketball-court2.png",
    "brick-wall1.jpg",
    "graffiti.jpg",
    "party-room.jpg",
    "room1.jpg",
    "room2.jpg",
    "room3.jpg",
    "school2.jpg",
    "spotlight-stage.jpg",
    "woods-and-bench.jpg",
)
"""Scratch's backgrounds that are drawings (or a drawing pasted on a photograph)."""
OPENCV = Path("/usr/share/doc/opencv-doc/examples")
OPENCV_PHOTOS = (
    "data/aero1.jpg",
    "data/aloeL.jpg",
    "data/apple.jpg",
    "data/baboon.jpg",
    "data/basketball1.png",
    "data/board.jpg",
    "data/box_in_scene.png",
    "data/building.jpg",
    "data/butterfly.jpg",
    "data/chicky_512.png",
    "data/ela_original.jpg",
    "data/fruits.jpg",
    "data/graf1.png",
    "data/home.jpg",
    "data/left.jpg",
    "data/left01.jpg",
    "data/leuvenA.jpg",
    "data/licenseplate_motion.jpg",
    "data/messi5.jpg",
    "data/orange.jpg",
    "data/pca_test1.jpg",
    "data/rubberwhale1.png",
    "data/squirrel_cls.jpg",
    "data/stuff.jpg",
    "data/sudoku.png",
    "alphamat/input_images/plant.jpg",
    "reg/home.png",
    "text/scenetext01.jpg",
    "text/scenetext02.jpg",
    "text/scenetext03.jpg",
    "text/scenetext04.jpg",
    "text/scenetext05.jpg",
    "text/scenetext06.jpg",
)
"""opencv-doc's sample photographs: one of each stereo pair, sequence or calibration series."""
BACKGROUNDS = Path("/usr/share/backgrounds")
LOMIRI_PHOTOS = (
    "Bridge_by_Sander_Klootwijk.jpg",
    "Dragonfly_by_Bolly.jpg",
    "Picture_0B_by_freespace.jpg",
    "Picture_1A_by_freespace.jpg",
    "Wine_by_Jakkub_Mede.jpg",
    "aitzgorri_by_Aitzol_Berasategi.jpg",
    "free_by_Peter_Nerlich.jpg",
    "friends_by_Aitzol_Berasategi.jpg",
    "life_by_Aitzol_Berasategi.jpg",
    "picosdeeuropa_by_Aitzol_Berasategi.jpg",
    "seeding_by_Clements_Engelhardt.jpg",
    "sunset_by_Aitzol_Berasategi.jpg",
    "Kleiber_by_Lukas_Baubkus.jpg",
)
"""Lomiri's wallpapers (16.04 and 20.04 sets) that are photographs."""
PALAPELI = Path("/usr/share/palapeli/collection")
MALDIVES = Path("/usr/share/sddm/themes/maldives/background.jpg")
GCOMPRIS = Path("/usr/share/gcompris-qt/rcc")
GCOMPRIS_ACTIVITIES = (
    "categorization",
    "clickgame",
    "details",
    "erase",
    "explore_farm_animals",
    "explore_monuments",
    "explore_world_animals",
    "explore_world_music",
)
"""GCompris activities whose large images are photographs (held in Qt resource files)."""
GCOMPRIS_NOT_PHOTOS = (
    "Gogh",
    "Auvers",
    "PereTanguy",
    "alphabets",
    "numbers",
    "volleyball",
    "Neuschwanstein_background",
)
"""Paintings and renders among them, by part of their name (and a second view of a monument
that explore_monuments shows from almost the same spot)."""
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def package_photos() -> Iterator[tuple[str, Path, str]]:
    """(name, file, member) of every candidate photograph of the packages above that is
    installed; ``member`` names an image inside a Qt resource file, else it is empty.
    Paths only: nothing is decoded (sizes, transparency and duplicates are checked later)."""
    if STELLARIUM.is_dir():
        tiled: set[str] = set()
        for path in sorted(STELLARIUM.iterdir()):
            if path.suffix.lower() not in IMAGE_SUFFIXES:
                continue
            mosaic = next(
                (
                    name
                    for name, tile in STELLARIUM_MOSAICS.items()
                    if re.fullmatch(tile, path.stem)
                ),
                None,
            )
            if mosaic in tiled:
                continue
            if mosaic:
                tiled.add(mosaic)
            yield f"stellarium/{path.name}", path, ""
    if ENDLESS_SKY.is_dir():
        for path in sorted(ENDLESS_SKY.glob("*.jpg")):
            if path.stem in ENDLESS_SKY_NOT_PHOTOS:
                continue
            larger = ENDLESS_SKY_2X / f"{path.stem}@2x{path.suffix}"
            yield f"endless-sky/{path.stem}", larger if larger.is_file() else path, ""
    for folder in ("Indoors", "Nature", "Outdoors", "Sports"):
        for path in sorted((SCRATCH / folder).glob("*")):
            if path.suffix.lower() in IMAGE_SUFFIXES and path.name not in SCRATCH_NOT_PHOTOS:
                yield f"scratch/{folder}/{path.name}", path, ""
    for name in OPENCV_PHOTOS:
        if (OPENCV / name).is_file():
            yield f"opencv/{name}", OPENCV / name, ""
    for name in LOMIRI_PHOTOS:
        if (BACKGROUNDS / name).is_file():
            yield f"lomiri/{name}", BACKGROUNDS / name, ""
    if PALAPELI.is_dir():
        for path in sorted(PALAPELI.glob("*.jpg")):
            yield f"palapeli/{path.name}", path, ""
    if MALDIVES.is_file():
        yield "sddm/maldives/background.jpg", MALDIVES, ""
    for activity in GCOMPRIS_ACTIVITIES:
        rcc = GCOMPRIS / f"{activity}.rcc"
        if not rcc.is_file():
            continue
        for member in sorted(qt_resources(rcc)):
            leaf = member.rsplit("/", 1)[-1]
            if leaf.lower().endswith(IMAGE_SUFFIXES) and not any(
                part in leaf for part in GCOMPRIS_NOT_PHOTOS
            ):
                yield f"gcompris/{activity}/{leaf}", rcc, member


@lru_cache(maxsize=8)
def qt_resources(rcc: Path) -> dict[str, tuple[int, int]]:
    """The files in a Qt resource file (``.rcc``): path -> (flags, offset of its data)."""
    blob = rcc.read_bytes()
    if blob[:4] != b"qres":
        return {}
    version, tree, data, names = struct.unpack(">IIII", blob[4:20])
    entry = 22 if version >= 2 else 14
    found: dict[str, tuple[int, int]] = {}

    def name(offset: int) -> str:
        (length,) = struct.unpack(">H", blob[names + offset : names + offset + 2])
        return blob[names + offset + 6 : names + offset + 6 + 2 * length].decode("utf-16-be")

    def walk(node: int, prefix: str) -> None:
        start = tree + node * entry
        name_offset, flags = struct.unpack(">IH", blob[start : start + 6])
        here = prefix + (name(name_offset) if node else "")
        if flags & 2:
            count, first = struct.unpack(">II", blob[start + 6 : start + 14])
            for child in range(first, first + count):
                walk(child, here + "/")
        else:
            (offset,) = struct.unpack(">I", blob[start + 10 : start + 14])
            found[here] = (flags, data + offset)

    walk(0, "")
    return found


def qt_resource(rcc: Path, member: str) -> bytes:
    """The bytes of one file in a Qt resource file (stored, zlib- or zstd-compressed)."""
    flags, offset = qt_resources(rcc)[member]
    with rcc.open("rb") as handle:
        handle.seek(offset)
        (length,) = struct.unpack(">I", handle.read(4))
        raw = handle.read(length)
    if flags & 1:
        return zlib.decompress(raw[4:])
    if flags & 4:
        import zstandard

        return zstandard.ZstdDecompressor().decompress(raw, max_output_size=1 << 28)
    return raw
