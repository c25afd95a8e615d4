"""Steganalysis of LSB embedding (detect/stego.py), on scenes made in code.

A scene is a smooth gradient with texture and sensor-like noise in three tinted channels, saved
as JPEG and decoded, as most photographs were at some point: that history (smooth colour
differences) is what the colour LSB-matching detector relies on. bench/stego_roc.py measures
the same statistics on real photographs.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image, ImageDraw

from leaktrace.core.errors import ItemError
from leaktrace.demo import carriers
from leaktrace.detect import stego
from leaktrace.detect.stego import (
    DEFAULT_THRESHOLD,
    MIN_PIXELS,
    StegoEstimate,
    analyze,
    analyze_image,
    image_samples,
)

Samples = npt.NDArray[np.uint8]


def blurred(
    rng: np.random.Generator, size: int, passes: int, spread: float
) -> npt.NDArray[np.float64]:
    field = rng.standard_normal((size, size))
    for _ in range(passes):  # 3x3 box blur, wrapping at the edges
        field = (np.roll(field, 1, 0) + field + np.roll(field, -1, 0)) / 3
        field = (np.roll(field, 1, 1) + field + np.roll(field, -1, 1)) / 3
    scaled: npt.NDArray[np.float64] = field / field.std() * spread
    return scaled


def scene(seed: int, size: int = 256) -> Samples:
    """A natural-looking RGB image: gradient, texture, noise, tints; through JPEG."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:size, 0:size] / size
    light = 60 + 100 * x + 30 * np.sin(3 * y + seed)
    light += blurred(rng, size, 8, 20) + blurred(rng, size, 1, 5) + rng.normal(0, 1.5, x.shape)
    planes = [light + blurred(rng, size, 12, 8) + offset for offset in (12, 0, -15)]
    raw = np.clip(np.rint(np.stack(planes, axis=2)), 0, 255).astype(np.uint8)
    encoded = io.BytesIO()
    Image.fromarray(raw).save(encoded, "JPEG", quality=90)
    return np.asarray(Image.open(encoded).convert("RGB"))


def grey(samples: Samples) -> Samples:
    return np.asarray(Image.fromarray(samples).convert("L"))


def replace_lsbs(samples: Samples, rate: float, seed: int) -> Samples:
    return carriers.lsb_replace(samples, rate, np.random.default_rng(seed))


def match_lsbs(samples: Samples, rate: float, seed: int) -> Samples:
    return carriers.lsb_match(samples, rate, np.random.default_rng(seed))


COLOUR_SCENES = [scene(seed) for seed in range(6)]
KINDS: dict[str, Callable[[Samples], Samples]] = {"colour": lambda s: s, "grey": grey}


def assert_sane(estimate: StegoEstimate) -> None:
    for rate in (estimate.sample_pairs, estimate.rs, estimate.rate, estimate.chi_square):
        assert 0.0 <= rate <= 1.0
    assert np.isfinite(estimate.matching)
    assert np.isfinite(estimate.score) and estimate.score >= 0
    assert estimate.reason in ("replacement", "matching", "chi-square")
    assert estimate.payload_bytes >= 0


# --- clean and stego images ---------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("seed", range(len(COLOUR_SCENES)))
def test_clean_scenes_are_not_flagged(kind: str, seed: int) -> None:
    estimate = analyze(KINDS[kind](COLOUR_SCENES[seed]))
    assert estimate.score < DEFAULT_THRESHOLD
    assert estimate.rate < 0.1
    assert_sane(estimate)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("rate", [0.5, 1.0])
@pytest.mark.parametrize("seed", range(3))
def test_lsb_replacement_is_flagged_with_its_rate(kind: str, rate: float, seed: int) -> None:
    cover = KINDS[kind](COLOUR_SCENES[seed])
    estimate = analyze(replace_lsbs(cover, rate, seed))
    assert estimate.score >= DEFAULT_THRESHOLD
    assert estimate.reason == "replacement"
    assert estimate.rate == pytest.approx(rate, abs=0.1)
    assert estimate.sample_pairs == pytest.approx(rate, abs=0.1)
    assert estimate.rs == pytest.approx(rate, abs=0.15)
    assert estimate.payload_bytes == int(estimate.rate * cover.size / 8)
    assert_sane(estimate)


def test_chi_square_alone_is_no_evidence() -> None:
    # a small image with a flat, noisy histogram fills its (2k, 2k+1) pairs evenly too
    clean = analyze(COLOUR_SCENES[0])
    full = analyze(replace_lsbs(COLOUR_SCENES[0], 1.0, 7))
    assert clean.chi_square > 0.99 and full.chi_square > 0.99
    assert clean.score < DEFAULT_THRESHOLD <= full.score


@pytest.mark.parametrize("seed", range(3))
def test_lsb_matching_is_flagged_in_colour(seed: int) -> None:
    estimate = analyze(match_lsbs(COLOUR_SCENES[seed], 1.0, seed))
    assert estimate.score >= DEFAULT_THRESHOLD
    assert estimate.reason == "matching"
    assert estimate.sample_pairs < 0.1  # replacement's estimators do not see it
    assert estimate.rate >= 0.5  # a rough estimate only
    assert_sane(estimate)


def test_low_rate_matching_is_not_claimed() -> None:
    # below the matching detector's reach: documented as not detected
    assert analyze(match_lsbs(COLOUR_SCENES[0], 0.1, 3)).score < DEFAULT_THRESHOLD


def drawing() -> Samples:
    image = Image.new("RGB", (256, 256), (240, 240, 240))
    draw = ImageDraw.Draw(image)
    for i in range(12):
        draw.rectangle([10 + i * 19, 20, 25 + i * 19, 200], fill=(i * 20, 80, 200 - i * 15))
    draw.ellipse([40, 60, 200, 220], outline=(10, 10, 10), width=3)
    draw.text((20, 230), "Quarterly results - confidential", fill=(0, 0, 0))
    return np.asarray(image)


@pytest.mark.parametrize("kind", KINDS)
def test_a_drawing_with_flat_colours_is_not_flagged(kind: str) -> None:
    assert analyze(KINDS[kind](drawing())).score < DEFAULT_THRESHOLD


@pytest.mark.parametrize("kind", KINDS)
def test_a_drawing_full_of_payload_is_flagged(kind: str) -> None:
    assert analyze(replace_lsbs(KINDS[kind](drawing()), 1.0, 5)).score >= DEFAULT_THRESHOLD


# --- determinism and layout ---------------------------------------------------------------


def test_analysis_is_deterministic() -> None:
    samples = replace_lsbs(COLOUR_SCENES[1], 0.3, 1)
    assert analyze(samples) == analyze(samples.copy())


def test_alpha_is_ignored() -> None:
    rgb = COLOUR_SCENES[2]
    alpha = np.random.default_rng(0).integers(0, 256, rgb.shape[:2], dtype=np.uint8)
    assert analyze(np.dstack([rgb, alpha])) == analyze(rgb)
    assert analyze(np.dstack([grey(rgb), alpha])) == analyze(grey(rgb))


def test_memory_layout_does_not_matter() -> None:
    samples = replace_lsbs(COLOUR_SCENES[3], 0.4, 2)
    flipped = samples[::-1, ::-1]
    assert analyze(flipped) == analyze(np.ascontiguousarray(flipped))
    assert analyze(np.asfortranarray(samples)) == analyze(samples)


def test_bands_are_stitched(monkeypatch: pytest.MonkeyPatch) -> None:
    samples = replace_lsbs(COLOUR_SCENES[4], 0.2, 3)
    whole = analyze(samples)
    monkeypatch.setattr(stego, "_BAND_SAMPLES", 4096)  # 16 rows a band
    banded = analyze(samples)
    assert banded.sample_pairs == whole.sample_pairs
    assert banded.rs == whole.rs
    assert banded.chi_square == whole.chi_square
    # only the 2x2-averaged calibration image loses its pairs across band edges
    assert banded.matching == pytest.approx(whole.matching, abs=0.02)


def test_a_long_strip_is_counted_in_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    strip = np.tile(grey(COLOUR_SCENES[5]), (1, 8))[:2]  # 2 x 2048
    whole = analyze(strip)
    monkeypatch.setattr(stego, "_BAND_SAMPLES", 512)
    assert analyze(strip) == whole


# --- hostile input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape",
    [
        (0, 0),
        (0, 5),
        (5, 0, 3),
        (1, 1),
        (1, 500),
        (500, 1),
        (2, 2),
        (3, 3, 3),
        (8, 8, 4),
        (7, 9, 2),
    ],
)
def test_tiny_and_degenerate_shapes(shape: tuple[int, ...]) -> None:
    samples = np.random.default_rng(1).integers(0, 256, shape, dtype=np.uint8)
    estimate = analyze(samples)
    assert_sane(estimate)
    assert estimate.channels == (1 if len(shape) == 2 else {2: 1, 3: 3, 4: 3}[shape[2]])


@pytest.mark.parametrize("value", [0, 1, 128, 254, 255])
@pytest.mark.parametrize("channels", [None, 3])
def test_constant_images_are_clean(value: int, channels: int | None) -> None:
    shape = (64, 64) if channels is None else (64, 64, channels)
    estimate = analyze(np.full(shape, value, np.uint8))
    assert estimate.score == 0.0 and estimate.rate == 0.0
    assert_sane(estimate)


def test_two_level_image_is_clean() -> None:
    checks = (np.indices((128, 128)).sum(axis=0) // 8 % 2 * 200 + 20).astype(np.uint8)
    assert analyze(checks).score < DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("samples", "error"),
    [
        ([[1, 2], [3, 4]], TypeError),
        (np.zeros((8, 8), np.uint16), TypeError),
        (np.zeros((8, 8), np.float64), TypeError),
        (np.zeros(8, np.uint8), ValueError),
        (np.zeros((8, 8, 5), np.uint8), ValueError),
        (np.zeros((8, 8, 3, 1), np.uint8), ValueError),
    ],
)
def test_misuse_raises(samples: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        analyze(samples)  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(
        np.uint8,
        st.one_of(
            hnp.array_shapes(min_dims=2, max_dims=2, min_side=0, max_side=24),
            st.tuples(st.integers(0, 24), st.integers(0, 24), st.integers(1, 4)),
        ),
    )
)
def test_any_samples_give_a_sane_estimate(samples: Samples) -> None:
    assert_sane(analyze(samples))


# --- PIL boundary -------------------------------------------------------------------------


def png_round_trip(image: Image.Image) -> Image.Image:
    encoded = io.BytesIO()
    image.save(encoded, "PNG")
    return Image.open(io.BytesIO(encoded.getvalue()))


def test_lossless_images_are_analysed_like_their_samples() -> None:
    samples = replace_lsbs(COLOUR_SCENES[0], 0.5, 4)
    opened = png_round_trip(Image.fromarray(samples))
    assert analyze_image(opened) == analyze(samples)
    rgba = png_round_trip(Image.fromarray(samples).convert("RGBA"))
    assert analyze_image(rgba) == analyze(samples)
    la = png_round_trip(Image.fromarray(grey(samples)).convert("LA"))
    assert analyze_image(la) == analyze(grey(samples))


def jpeg(image: Image.Image) -> Image.Image:
    encoded = io.BytesIO()
    image.save(encoded, "JPEG")
    return Image.open(io.BytesIO(encoded.getvalue()))


@pytest.mark.parametrize(
    "make",
    [
        jpeg,  # lossy: stego would be in DCT coefficients
        lambda rgb: rgb.convert("P"),  # palette indices are no intensities
        lambda rgb: rgb.convert("1"),
        lambda rgb: rgb.convert("I;16"),  # 16-bit: refused
        lambda rgb: rgb.convert("I"),
        lambda rgb: rgb.convert("F"),
        lambda rgb: rgb.convert("CMYK"),
        lambda rgb: rgb.crop((0, 0, 32, 32)),  # under MIN_PIXELS
        lambda rgb: rgb.crop((0, 0, 4, 256)),  # too narrow
    ],
)
def test_images_that_cannot_carry_lsb_stego_are_refused(
    make: Callable[[Image.Image], Image.Image],
) -> None:
    image = make(Image.fromarray(COLOUR_SCENES[1]))
    assert image_samples(image) is None
    assert analyze_image(image) is None


def test_min_pixels_is_the_boundary() -> None:
    side = int(MIN_PIXELS**0.5)
    image = Image.fromarray(grey(COLOUR_SCENES[2])[:side, :side])
    assert analyze_image(image) is not None
    assert analyze_image(image.crop((0, 0, side, side - 1))) is None


def test_undecodable_pixels_are_an_item_error() -> None:
    encoded = io.BytesIO()
    Image.fromarray(COLOUR_SCENES[3]).save(encoded, "PNG")
    truncated = Image.open(io.BytesIO(encoded.getvalue()[:2000]))
    with pytest.raises(ItemError, match="cannot be decoded"):
        analyze_image(truncated)
