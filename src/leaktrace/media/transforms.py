"""The transformations a leaked photo goes through, for the benchmark and the tests.

Each takes RGB pixels and a strength and returns new RGB pixels; ``TRANSFORMS`` lists them
with the strengths the benchmark measures. Deterministic: randomness comes from ``seed``.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import cv2
import numpy as np
from PIL import Image, ImageDraw

from leaktrace.media.decode import RGB

Transform = Callable[[RGB, float], RGB]


def resize(pixels: RGB, factor: float) -> RGB:
    height, width = pixels.shape[:2]
    size = (max(8, round(width * factor)), max(8, round(height * factor)))
    return np.ascontiguousarray(cv2.resize(pixels, size, interpolation=cv2.INTER_AREA))


def encode(pixels: RGB, quality: float, kind: str = "JPEG") -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, kind, quality=int(quality))
    return buffer.getvalue()


def _reopen(data: bytes) -> RGB:
    with Image.open(io.BytesIO(data)) as image:
        pixels: RGB = np.asarray(image.convert("RGB"), dtype=np.uint8)
    return pixels


def jpeg(pixels: RGB, quality: float) -> RGB:
    return _reopen(encode(pixels, quality, "JPEG"))


def webp(pixels: RGB, quality: float) -> RGB:
    return _reopen(encode(pixels, quality, "WEBP"))


def brightness(pixels: RGB, delta: float) -> RGB:
    return np.clip(pixels.astype(np.int16) + int(delta), 0, 255).astype(np.uint8)


def contrast(pixels: RGB, factor: float) -> RGB:
    centred = (pixels.astype(np.float32) - 128) * np.float32(factor) + 128
    scaled: RGB = np.clip(centred, 0, 255).astype(np.uint8)
    return scaled


def colour_shift(pixels: RGB, strength: float) -> RGB:
    """Hue rotation by ``strength`` degrees plus a warm tint: a filter an app applies."""
    hsv = cv2.cvtColor(pixels, cv2.COLOR_RGB2HSV)
    hsv[..., 0] = ((hsv[..., 0].astype(np.int16) + int(strength / 2)) % 180).astype(np.uint8)
    tinted = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB).astype(np.int16)
    tinted[..., 0] += int(strength / 4)
    return np.clip(tinted, 0, 255).astype(np.uint8)


def grayscale(pixels: RGB, _strength: float = 0) -> RGB:
    gray = cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
    return np.ascontiguousarray(np.repeat(gray[..., None], 3, axis=2))


def flip(pixels: RGB, horizontal: float = 1) -> RGB:
    return np.ascontiguousarray(pixels[:, ::-1] if horizontal else pixels[::-1])


def rotate90(pixels: RGB, turns: float) -> RGB:
    return np.ascontiguousarray(np.rot90(pixels, int(turns)))


def crop(pixels: RGB, fraction: float) -> RGB:
    """Cut ``fraction`` of the width and height from every side."""
    height, width = pixels.shape[:2]
    dy, dx = round(height * fraction), round(width * fraction)
    return np.ascontiguousarray(pixels[dy : height - dy, dx : width - dx])


def crop_corner(pixels: RGB, fraction: float) -> RGB:
    """Cut ``fraction`` from the top and the left only (an asymmetric crop)."""
    height, width = pixels.shape[:2]
    return np.ascontiguousarray(pixels[round(height * fraction) :, round(width * fraction) :])


def rotate(pixels: RGB, degrees: float) -> RGB:
    """Rotate by ``degrees`` about the centre, keeping the frame (corners filled black)."""
    height, width = pixels.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    return np.ascontiguousarray(cv2.warpAffine(pixels, matrix, (width, height)))


def border(pixels: RGB, fraction: float) -> RGB:
    height, width = pixels.shape[:2]
    pad = round(max(height, width) * fraction)
    return np.ascontiguousarray(
        cv2.copyMakeBorder(pixels, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=(255, 255, 255))
    )


def caption(pixels: RGB, fraction: float) -> RGB:
    """A caption band below the photo and a text overlay on it (a meme, a chat forward)."""
    height, width = pixels.shape[:2]
    band = round(height * fraction)
    canvas = Image.new("RGB", (width, height + band), (20, 20, 20))
    canvas.paste(Image.fromarray(pixels), (0, 0))
    draw = ImageDraw.Draw(canvas)
    for row in range(3):
        draw.text((10, height + 5 + row * 14), "look what we found in the lab " * 3, fill="white")
    draw.rectangle((width // 10, height // 10, width // 3, height // 5), fill=(230, 40, 40))
    return np.asarray(canvas)


def screenshot(pixels: RGB, share: float, seed: int = 7) -> RGB:
    """The photo shown at ``share`` of the width of a larger screen, among window clutter."""
    generator = np.random.default_rng(seed)
    height, width = pixels.shape[:2]
    screen_w = round(width / share)
    screen_h = max(round(screen_w * 0.6), height + 80)
    canvas = Image.new("RGB", (screen_w, screen_h), (235, 235, 238))
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, screen_w, 28), fill=(60, 60, 70))
    for line in range(0, screen_h, 18):
        draw.text((8, 34 + line), "Inbox  Re: photos  " * 2, fill=(90, 90, 90))
    left = int(generator.integers(0, max(1, screen_w - width)))
    top = int(generator.integers(30, max(31, screen_h - height)))
    canvas.paste(Image.fromarray(pixels), (left, top))
    return np.asarray(canvas)


TRANSFORMS: dict[str, tuple[Transform, tuple[float, ...]]] = {
    "resize": (resize, (0.25, 0.5, 1.5)),
    "jpeg": (jpeg, (20, 50, 80)),
    "webp": (webp, (20, 50, 80)),
    "brightness": (brightness, (-50, 40)),
    "contrast": (contrast, (0.6, 1.4)),
    "colour": (colour_shift, (20, 60)),
    "grayscale": (grayscale, (0,)),
    "flip": (flip, (1, 0)),
    "rotate90": (rotate90, (1, 2, 3)),
    "crop": (crop, (0.05, 0.1, 0.2)),
    "crop-corner": (crop_corner, (0.2, 0.35)),
    "rotate": (rotate, (2, 5, 10, -10)),
    "border": (border, (0.05, 0.2)),
    "caption": (caption, (0.15, 0.3)),
    "screenshot": (screenshot, (0.6, 0.4)),
}
