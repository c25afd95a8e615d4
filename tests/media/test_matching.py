"""The matcher on synthetic photos: every transformation the issue names is found, with the
evidence and the story it should have; unrelated photos never match."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from leaktrace.media import transforms
from leaktrace.media.decode import fit
from leaktrace.media.index import IndexedMedia, MediaIndex
from leaktrace.media.matcher import GLOBAL, LOCAL, Matcher
from leaktrace.media.prints import image_print
from tests.media.scenes import scene

REGISTERED = 6


@cache
def matcher() -> Matcher:
    entries = [
        (
            IndexedMedia(10 + n, f"photo-{n}.jpg", None, "image", f"{n:064x}"),
            image_print(fit(scene(n))),
        )
        for n in range(REGISTERED)
    ]
    return Matcher(MediaIndex.from_prints(entries))


CASES = [
    # (transformation, strength, expected method, a word expected in the story)
    ("resize", 0.4, GLOBAL, "resized"),
    ("jpeg", 25, GLOBAL, "recompressed"),
    ("webp", 30, GLOBAL, "recompressed"),
    ("brightness", -45, GLOBAL, "recoloured"),
    ("colour", 40, None, ""),
    ("colour", 60, GLOBAL, "hue changed"),  # luminance hash 54 bits away, peak channel 20
    ("grayscale", 0, GLOBAL, "recoloured"),
    ("flip", 1, GLOBAL, "flipped horizontally"),
    ("flip", 0, GLOBAL, "flipped vertically"),
    ("rotate90", 1, GLOBAL, "counter-clockwise"),
    ("rotate90", 2, GLOBAL, "180"),
    ("crop", 0.2, LOCAL, "cropped"),
    ("crop-corner", 0.3, LOCAL, "cropped"),
    ("rotate", 10, LOCAL, "rotated 10°"),
    ("rotate", -7, LOCAL, "rotated 7°"),
    ("border", 0.2, LOCAL, "borders"),
    ("caption", 0.3, None, ""),
    ("screenshot", 0.5, LOCAL, "larger picture"),
]


@pytest.mark.parametrize(("name", "strength", "method", "word"), CASES)
def test_a_transformed_photo_is_found(
    name: str, strength: float, method: str | None, word: str
) -> None:
    transform, _ = transforms.TRANSFORMS[name]
    photo = 3
    query = transform(scene(photo), strength)
    matches = matcher().match_image(fit(query))
    assert [m.media for m in matches] == [photo], f"{name} {strength}: {matches}"
    match = matches[0]
    assert 0 < match.similarity <= 1
    if method is not None:
        assert match.method == method
    assert word in " ".join(match.transformations)


def test_a_flipped_crop_is_found_through_mirrored_features() -> None:
    query = transforms.flip(transforms.crop(scene(2), 0.15), 1)
    matches = matcher().match_image(fit(query))
    assert [(m.media, m.method) for m in matches] == [(2, LOCAL)]
    assert matches[0].transformations[0] == "flipped horizontally"


@pytest.mark.parametrize("seed", [100, 101, 102, 103])
def test_unrelated_photos_are_not_found(seed: int) -> None:
    query = scene(seed)
    assert matcher().match_image(fit(query)) == []
    assert matcher().match_image(fit(transforms.crop(query, 0.2))) == []


def test_flat_and_tiny_images_match_nothing() -> None:
    flat = np.full((200, 300, 3), 128, np.uint8)
    assert matcher().match_image(flat) == []
    assert matcher().match_image(scene(3)[:20, :20].copy()) == []


def test_two_registered_photos_in_one_picture_are_both_found() -> None:
    left, right = fit(scene(1), 300), fit(scene(4), 300)
    canvas = np.full((400, 700, 3), 250, np.uint8)
    canvas[20 : 20 + left.shape[0], 20 : 20 + left.shape[1]] = left
    canvas[60 : 60 + right.shape[0], 380 : 380 + right.shape[1]] = right
    assert [m.media for m in matcher().match_image(fit(canvas))] == [1, 4]
