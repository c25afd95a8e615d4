"""Decoding under hostile input: signatures decide, bombs and corrupt files get named errors."""

from __future__ import annotations

import struct
import zlib

import numpy as np
import pytest

from leaktrace.core.errors import LimitReached
from leaktrace.media.decode import MediaError, decode_image, fit, media_kind, media_type_of
from tests.media.scenes import clip_frames, encoded, scene, video


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` pixels (and holds almost none)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    data = zlib.compress(b"\x00" * 16)
    idat = (
        struct.pack(">I", len(data))
        + b"IDAT"
        + data
        + struct.pack(">I", zlib.crc32(b"IDAT" + data))
    )
    return b"\x89PNG\r\n\x1a\n" + ihdr + idat + b"\x00\x00\x00\x00IEND\xaeB`\x82"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (encoded(scene(1, 64, 48)), "image/jpeg"),
        (encoded(scene(1, 64, 48), "PNG"), "image/png"),
        (encoded(scene(1, 64, 48), "WEBP"), "image/webp"),
        (encoded(scene(1, 64, 48), "GIF"), "image/gif"),
        (encoded(scene(1, 64, 48), "TIFF"), "image/tiff"),
        (video(clip_frames(1, 4, 64, 48)), "video/mp4"),
        (video(clip_frames(1, 4, 64, 48), codec="libvpx", fmt="webm"), "video/webm"),
        (b"%PDF-1.7\n", None),
        (b"hello, this is text", None),
        (b"", None),
    ],
)
def test_media_types_come_from_the_bytes(data: bytes, expected: str | None) -> None:
    assert media_type_of(data) == expected
    assert media_kind(data) == (expected.split("/")[0] if expected else None)


def test_images_are_decoded_to_the_working_size() -> None:
    pixels = decode_image(encoded(scene(2, 1600, 1200), quality=90))
    assert pixels.shape == (480, 640, 3)
    assert decode_image(encoded(scene(2, 200, 100), "PNG")).shape == (100, 200, 3)


def test_a_decompression_bomb_is_refused_before_decoding() -> None:
    with pytest.raises(LimitReached) as caught:
        decode_image(png_claiming(100_000, 100_000))
    assert caught.value.rule == "pixels"


@pytest.mark.parametrize(
    "data",
    [
        encoded(scene(3, 300, 200))[:400],  # truncated JPEG
        b"\xff\xd8\xff\xe0" + b"\x00" * 100,  # a JPEG signature and nothing else
        png_claiming(10, 10)[:40],
    ],
)
def test_corrupt_images_raise_a_media_error(data: bytes) -> None:
    with pytest.raises(MediaError):
        decode_image(data)


def test_fit_keeps_small_images_and_refuses_empty_ones() -> None:
    small = np.zeros((10, 20, 3), np.uint8)
    assert fit(small).shape == (10, 20, 3)
    with pytest.raises(MediaError):
        fit(np.zeros((0, 20, 3), np.uint8))
