"""Photo-like regions of a larger picture, and the matcher looking them up on their own."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from leaktrace.media import transforms
from leaktrace.media.decode import fit
from leaktrace.media.regions import photo_regions
from tests.media.scenes import scene
from tests.media.test_matching import matcher


def page(width: int = 1400, height: int = 900) -> Image.Image:
    """A window: a title bar, rules and lines of text on a flat background."""
    canvas = Image.new("RGB", (width, height), (246, 246, 248))
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, width, 30), fill=(40, 44, 52))
    for top in range(44, height, 16):
        draw.text((12, top), "Quarterly review: see the attached photo and notes " * 4, fill=0)
    draw.line((0, 300, width, 300), fill=(180, 180, 180), width=2)
    return canvas


def test_a_photo_on_a_page_is_found_where_it_is() -> None:
    canvas = page()
    photo = Image.fromarray(scene(3, 420, 300))
    canvas.paste(photo, (700, 380))
    pixels = np.asarray(canvas)
    regions = photo_regions(pixels)
    assert len(regions) == 1
    left, top, width, height = regions[0]
    assert abs(left - 700) <= 3 and abs(top - 380) <= 3
    assert abs(width - 420) <= 6 and abs(height - 300) <= 6


def test_a_whole_photo_or_a_page_of_text_has_no_region() -> None:
    assert photo_regions(scene(2, 640, 480)) == []
    assert photo_regions(np.asarray(page())) == []
    assert photo_regions(np.zeros((20, 20, 3), np.uint8)) == []


def test_a_small_photo_in_a_screenshot_is_found_through_its_region() -> None:
    shot = transforms.screenshot(scene(3), 0.2)  # 128 pixels wide in the working frame
    matches = matcher().match_image(fit(shot))
    assert [m.media for m in matches] == [3]
    assert "screenshot, page or collage" in matches[0].transformations[0]


def test_an_unrelated_photo_in_a_screenshot_matches_nothing() -> None:
    shot = transforms.screenshot(scene(104), 0.3)
    assert photo_regions(fit(shot))
    assert matcher().match_image(fit(shot)) == []
