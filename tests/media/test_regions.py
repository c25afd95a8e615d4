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


def test_a_gallery_is_cut_into_its_pictures_at_narrow_gutters() -> None:
    canvas = Image.new("RGB", (640, 420), (244, 244, 244))
    cells = [(20, 20), (324, 20), (20, 214), (324, 214)]  # 300 x 190 each, 4-pixel gutters
    for seed, corner in enumerate(cells):
        canvas.paste(Image.fromarray(scene(seed, 300, 190)), corner)
    regions = sorted(photo_regions(np.asarray(canvas)))
    assert [(r.left, r.top) for r in regions] == sorted(cells)
    assert all(abs(r.width - 300) <= 2 and abs(r.height - 190) <= 2 for r in regions)


def test_a_picture_in_a_message_bubble_is_cut_without_the_bubble() -> None:
    canvas = Image.new("RGB", (640, 480), (22, 24, 28))
    draw = ImageDraw.Draw(canvas)
    draw.rounded_rectangle((100, 40, 560, 400), radius=10, fill=(43, 47, 54))
    draw.rounded_rectangle((100, 410, 560, 450), radius=10, fill=(43, 47, 54))
    draw.text((112, 420), "see the attached photo from the loading bay", fill=(230, 230, 230))
    canvas.paste(Image.fromarray(scene(5, 400, 320)), (114, 54))
    regions = photo_regions(np.asarray(canvas))
    assert (114, 54, 400, 320) in [tuple(r) for r in regions]
