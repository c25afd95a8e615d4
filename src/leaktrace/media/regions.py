"""Where a picture holds another picture: the photo inside a screenshot, a page or a collage.

A photo shown inside a larger image is small there, and the features of what surrounds it
(text, window frames, other pictures) outnumber its own; its global hash is lost entirely. But
the surroundings are drawn, the photo is not: a user interface or a page is made of exactly
flat areas and thin strokes, a photograph of continuous tone in which neighbouring pixels
almost never agree exactly. So the pixels that are *busy* (some neighbour differs) or unlike
the page's background colour (a photo's black night sky is flat, but not the page's white),
with thin strokes opened away, leave solid blocks where photographs sit. A recursive XY cut
separates blocks at the background-coloured gutters between them, a uniform frame around a
block is stripped, and each block that is a solid rectangle is looked up on its own, as if it
had been cropped out.
"""

from __future__ import annotations

from typing import NamedTuple, TypeVar

import cv2
import numpy as np
import numpy.typing as npt

from leaktrace.media.decode import RGB
from leaktrace.media.features import gray

MIN_SHARE = 0.03
"""Smallest region kept, as a share of the picture (smaller ones carry too little)."""
MAX_SHARE = 0.8
"""Largest region kept: beyond it the region is the picture, already looked up whole."""
MIN_SIDE = 48
MIN_FILL = 0.85
"""Share of a region's bounding box its busy pixels must fill: a photograph is a rectangle."""
_STROKE = 15
"""Opening kernel, in pixels of the working frame: wider than text strokes and thin rules."""
_FRAME = 0.9
"""Share of a line in one colour that makes it part of a frame around a picture."""
_BACKGROUND_SHARE = 0.2
"""A colour covering this much of the picture is a page's or a window's background."""
_BACKGROUND_TOLERANCE = 6


T = TypeVar("T", bound=np.generic)


class Region(NamedTuple):
    left: int
    top: int
    width: int
    height: int


def photo_regions(pixels: RGB, limit: int = 6) -> list[Region]:
    """At most ``limit`` rectangles of continuous tone, largest first (none when the picture
    is one photograph, or has no flat surroundings at all)."""
    height, width = pixels.shape[:2]
    if min(height, width) < MIN_SIDE:
        return []
    solid, gutter = _masks(pixels)
    found = []
    for block in _blocks(solid, gutter):
        region = _unframed(pixels, block)
        share = region.width * region.height / (width * height)
        if (
            MIN_SHARE <= share <= MAX_SHARE
            and min(region.width, region.height) >= MIN_SIDE
            and _window(solid, region).mean() >= MIN_FILL
        ):
            found.append(region)
    found.sort(key=lambda r: r.width * r.height, reverse=True)
    return found[:limit]


def _masks(pixels: RGB) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """*Solid*: busy or unlike the background, with everything thinner than ``_STROKE``
    opened away. *Gutter*: the background's own colour (where there is one: the busy ring
    around every edge would otherwise fill a narrow gap between two pictures)."""
    image = gray(pixels)
    square = np.ones((3, 3), np.uint8)
    busy = cv2.dilate(image, square) != cv2.erode(image, square)
    background = _background(pixels)
    if background is not None:
        coloured = np.abs(pixels.astype(np.int16) - background).max(axis=2)
        busy |= coloured > _BACKGROUND_TOLERANCE
    opening = cv2.getStructuringElement(cv2.MORPH_RECT, (_STROKE, _STROKE))
    solid = np.asarray(cv2.morphologyEx(busy.astype(np.uint8), cv2.MORPH_OPEN, opening), bool)
    if background is None:
        return solid, ~solid
    return solid, ~solid | (coloured <= _BACKGROUND_TOLERANCE)


def _blocks(solid: npt.NDArray[np.bool_], gutter: npt.NDArray[np.bool_]) -> list[Region]:
    """Recursive XY cut: a block is split at every row, then every column, that is gutter
    from end to end (between a page's pictures, a chat's messages, a gallery's cells)."""
    height, width = solid.shape
    pending, done = [Region(0, 0, width, height)], []
    while pending:
        block = _trimmed(solid, pending.pop())
        if block is None:
            continue
        part = ~_window(gutter, block)
        rows, columns = np.any(part, axis=1), np.any(part, axis=0)
        pieces = _split(rows, block, vertical=True) or _split(columns, block, vertical=False)
        if pieces:
            pending += pieces
        else:
            done.append(block)
    return done


def _trimmed(solid: npt.NDArray[np.bool_], block: Region) -> Region | None:
    part = _window(solid, block)
    rows, columns = np.flatnonzero(part.any(axis=1)), np.flatnonzero(part.any(axis=0))
    if rows.size == 0:
        return None
    return _within(block, rows, columns)


def _split(filled: npt.NDArray[np.bool_] | np.bool_, block: Region, vertical: bool) -> list[Region]:
    """The runs of ``filled`` lines of a trimmed block; none when it is one run."""
    filled = np.atleast_1d(filled)
    edges = np.flatnonzero(np.diff(filled.astype(np.int8)))
    if edges.size == 0:
        return []
    starts = np.concatenate(([0], edges + 1))
    ends = np.concatenate((edges + 1, [filled.size]))
    runs = [(int(a), int(b)) for a, b in zip(starts, ends, strict=True) if filled[a]]
    if vertical:
        return [Region(block.left, block.top + a, block.width, b - a) for a, b in runs]
    return [Region(block.left + a, block.top, b - a, block.height) for a, b in runs]


def _unframed(pixels: RGB, region: Region) -> Region:
    """The region without a uniform frame around it: a message bubble's padding, a mat, a
    border, one colour all round."""
    part = _window(pixels, region).astype(np.int16)
    ring = np.concatenate([part[0], part[-1], part[:, 0], part[:, -1]])
    colour = np.median(ring, axis=0)
    near = np.abs(part - colour).max(axis=2) <= _BACKGROUND_TOLERANCE
    if near.shape[0] < 3 or near.shape[1] < 3 or np.mean(near[[0, -1]]) < _FRAME:
        return region
    rows = np.flatnonzero(near.mean(axis=1) < _FRAME)
    columns = np.flatnonzero(near.mean(axis=0) < _FRAME)
    if rows.size == 0 or columns.size == 0:
        return region
    return _within(region, rows, columns)


def _within(region: Region, rows: npt.NDArray[np.intp], columns: npt.NDArray[np.intp]) -> Region:
    """The part of ``region`` spanning the given (sorted, non-empty) rows and columns."""
    return Region(
        region.left + int(columns[0]),
        region.top + int(rows[0]),
        int(columns[-1] - columns[0] + 1),
        int(rows[-1] - rows[0] + 1),
    )


def _window(array: npt.NDArray[T], region: Region) -> npt.NDArray[T]:
    return array[region.top : region.top + region.height, region.left : region.left + region.width]


def _background(pixels: RGB) -> npt.NDArray[np.int16] | None:
    """The page's colour: the most common one, if it covers enough of the picture."""
    sample = pixels[::4, ::4].reshape(-1, 3).astype(np.int32) >> 2
    codes = (sample[:, 0] << 12) | (sample[:, 1] << 6) | sample[:, 2]
    counts = np.bincount(codes, minlength=1 << 18)
    mode = int(counts.argmax())
    if counts[mode] < _BACKGROUND_SHARE * codes.size:
        return None
    chosen = sample[codes == mode][0]
    return np.asarray((chosen << 2) + 2, dtype=np.int16)


def cut(pixels: RGB, region: Region) -> RGB:
    return np.ascontiguousarray(_window(pixels, region))
