"""Where a picture holds another picture: the photo inside a screenshot, a page or a collage.

A photo shown inside a larger image is small there, and the features of what surrounds it
(text, window frames, other pictures) outnumber its own; its global hash is lost entirely. But
the surroundings are drawn, the photo is not: a user interface or a page is made of exactly
flat areas and thin strokes, a photograph of continuous tone in which neighbouring pixels
almost never agree exactly. So the *busy* pixels (some neighbour differs), with thin strokes
opened away and small holes closed, leave solid rectangles where photographs sit; each is
looked up on its own, as if it had been cropped out.
"""

from __future__ import annotations

from typing import NamedTuple

import cv2
import numpy as np

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


class Region(NamedTuple):
    left: int
    top: int
    width: int
    height: int


def photo_regions(pixels: RGB, limit: int = 3) -> list[Region]:
    """At most ``limit`` rectangles of continuous tone, largest first (none when the picture
    is one photograph, or has no flat surroundings at all)."""
    image = gray(pixels)
    height, width = image.shape[:2]
    if min(height, width) < MIN_SIDE:
        return []
    square = np.ones((3, 3), np.uint8)
    busy = (cv2.dilate(image, square) != cv2.erode(image, square)).astype(np.uint8)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (_STROKE, _STROKE))
    solid = cv2.morphologyEx(busy, cv2.MORPH_OPEN, kernel)
    solid = cv2.morphologyEx(solid, cv2.MORPH_CLOSE, kernel)
    count, _, stats, _ = cv2.connectedComponentsWithStats(solid, connectivity=4)
    found = []
    for left, top, box_width, box_height, area in stats[1:count].tolist():
        share = box_width * box_height / (width * height)
        if (
            MIN_SHARE <= share <= MAX_SHARE
            and min(box_width, box_height) >= MIN_SIDE
            and area >= MIN_FILL * box_width * box_height
        ):
            found.append(Region(left, top, box_width, box_height))
    found.sort(key=lambda r: r.width * r.height, reverse=True)
    return found[:limit]


def cut(pixels: RGB, region: Region) -> RGB:
    return np.ascontiguousarray(
        pixels[region.top : region.top + region.height, region.left : region.left + region.width]
    )
