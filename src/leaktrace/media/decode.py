"""Decoding images and telling images and videos apart, from the bytes, under hard limits.

Pillow's decompression-bomb guard (the one ``extract/image.py`` relies on: the warning turned
into an error) refuses an image claiming more pixels than ``Image.MAX_IMAGE_PIXELS`` before any
pixel is decoded. JPEGs are decoded at a reduced scale (``draft``) when they are far larger than
what the hashes look at, which is most of the decoding time for camera photos.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from PIL import ImageOps

from leaktrace.core.errors import ItemError, LimitReached, error_reason
from leaktrace.extract.image import open_image, sniff_image

try:  # HEIC/HEIF when the optional pillow-heif is installed
    from pillow_heif import register_heif_opener  # type: ignore[import-not-found,unused-ignore]

    register_heif_opener()
    HEIF = True
except ImportError:  # pragma: no cover - depends on the environment
    HEIF = False

RGB = npt.NDArray[np.uint8]
WORKING_SIDE = 640
"""Longest side, in pixels, that every frame is brought to before hashing."""
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif")
_VIDEO_BRANDS = (
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"qt  ",
    b"M4V ",
    b"m4v ",
    b"3gp4",
    b"3gp5",
    b"3g2a",
    b"dash",
    b"MSNV",
    b"f4v ",
)
_EBML = b"\x1a\x45\xdf\xa3"


class MediaError(ItemError):
    """An image or a video that cannot be decoded."""

    rule = "corrupt"


def media_kind(data: bytes) -> str | None:
    """``"image"``, ``"video"`` or ``None``, from the signature (never a file name)."""
    media_type = media_type_of(data)
    return media_type.split("/")[0] if media_type is not None else None


def media_type_of(data: bytes) -> str | None:
    """The image or video media type the first bytes announce, else ``None``."""
    head = data[:64]
    image = sniff_image(head)
    if image is not None:
        return image
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIF_BRANDS:
            return "image/heif" if HEIF else None
        if brand == b"qt  ":
            return "video/quicktime"
        if brand in _VIDEO_BRANDS or any(b in head[16:64] for b in _VIDEO_BRANDS):
            return "video/mp4"
    if head.startswith(_EBML):
        if b"webm" in head:
            return "video/webm"
        if b"matroska" in head:
            return "video/x-matroska"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "video/x-msvideo"
    return None


def decode_image(data: bytes, side: int = WORKING_SIDE) -> RGB:
    """The image as RGB pixels, its longest side at most ``side``; EXIF orientation applied.

    Raises :class:`LimitReached` (rule ``pixels``) for a decompression bomb and
    :class:`MediaError` for anything Pillow cannot decode.
    """
    try:
        with open_image(data, "decoded") as image:
            image.draft("RGB", (side, side))  # JPEG: decode at 1/2, 1/4 or 1/8 scale
            rgb = ImageOps.exif_transpose(image).convert("RGB")
    except LimitReached:
        raise
    except Exception as error:  # Pillow raises many types for bad files
        raise MediaError(f"image cannot be decoded: {error_reason(error)}") from None
    return fit(np.asarray(rgb), side)


def fit(pixels: RGB, side: int = WORKING_SIDE) -> RGB:
    """``pixels`` scaled down (area filter) so that the longest side is at most ``side``."""
    import cv2

    height, width = pixels.shape[:2]
    if height == 0 or width == 0:
        raise MediaError("image has no pixels")
    scale = side / max(height, width)
    if scale >= 1:
        return np.ascontiguousarray(pixels)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return np.ascontiguousarray(cv2.resize(pixels, size, interpolation=cv2.INTER_AREA))
