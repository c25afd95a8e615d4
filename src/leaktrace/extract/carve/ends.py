"""Where formats end, parsed from their structure (never by searching for an end marker alone).

A :class:`Layout` is the logical extent of one file in some bytes, and the regions inside it that
legitimately hold other images (a JPEG's APPn segments carry EXIF and Photoshop thumbnails; the
images after the first in a multi-picture file; a PNG's ``eXIf`` chunk). Every parser is bounded:
it reads lengths and jumps, and gives up (``None``) on anything that does not parse.

Facts from the formats' specifications: PNG (ISO/IEC 15948), JPEG (ITU T.81 markers; CIPA
DC-007 for multi-picture files), GIF89a, PDF (ISO 32000 file trailer), the zip APPNOTE (end of
central directory, zip64 locator), RIFF, BMP and 7z signature headers.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass

from leaktrace.core import mediatypes

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_MAX_STEPS = 1 << 20  # chunks, segments or blocks walked before a file is called hostile


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int

    def __contains__(self, offset: object) -> bool:
        return isinstance(offset, int) and self.start <= offset < self.end


@dataclass(frozen=True, slots=True)
class Layout:
    """One file's logical extent in a buffer, and where it may legitimately hold images."""

    format: str
    start: int
    end: int
    end_marker: str
    thumbnails: tuple[Span, ...] = ()

    def holds_thumbnail(self, offset: int) -> bool:
        return any(offset in span for span in self.thumbnails)


# -- PNG ----------------------------------------------------------------------------------------


def png_layout(data: bytes, start: int = 0) -> Layout | None:
    """A PNG from its signature to the end of its IEND chunk (IHDR checked by its CRC)."""
    if not data.startswith(PNG_SIGNATURE, start):
        return None
    position = start + len(PNG_SIGNATURE)
    header = data[position : position + 25]
    if len(header) < 25 or header[4:8] != b"IHDR" or header[:4] != b"\x00\x00\x00\x0d":
        return None
    if zlib.crc32(header[4:21]) != struct.unpack_from(">I", header, 21)[0]:
        return None
    exif: list[Span] = []
    for _ in range(_MAX_STEPS):
        if position + 12 > len(data):
            return None
        length, kind = struct.unpack_from(">I4s", data, position)
        end = position + 12 + length
        if not kind.isalpha() or end > len(data):
            return None
        if kind == b"IEND":
            return Layout("PNG", start, end, "IEND chunk", tuple(exif))
        if kind == b"eXIf":
            exif.append(Span(position + 8, position + 8 + length))
        position = end
    return None


# -- JPEG ---------------------------------------------------------------------------------------

_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})
_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_FILL = re.compile(rb"\xff+")
_ZEROS = re.compile(rb"\x00*")
# The end of entropy-coded data: a marker, i.e. 0xFF not followed by a stuffed 0x00, a restart
# marker or another fill byte.
_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


@dataclass(frozen=True, slots=True)
class _Jpeg:
    end: int
    segments: tuple[Span, ...]
    multi_picture: bool


def _jpeg_image(data: bytes, start: int) -> _Jpeg | None:
    """One JPEG image, SOI to EOI, walked segment by segment (APPn payloads are jumped over, so
    an EXIF thumbnail's own EOI is never mistaken for the image's)."""
    if not data.startswith(b"\xff\xd8\xff", start):
        return None
    position, size = start + 2, len(data)
    apps: list[Span] = []
    multi_picture = framed = False
    scans = 0
    for _ in range(_MAX_STEPS):
        fill = _FILL.match(data, position)
        if fill is None or fill.end() >= size:
            return None
        marker, position = data[fill.end()], fill.end() + 1
        if marker == 0xD9:
            return _Jpeg(position, tuple(apps), multi_picture) if framed and scans else None
        if marker in _STANDALONE:
            continue
        if marker in (0x00, 0xD8) or position + 2 > size:
            return None
        length = int.from_bytes(data[position : position + 2], "big")
        if length < 2:
            return None
        body = Span(position + 2, position + length)
        if 0xE0 <= marker <= 0xEF:
            apps.append(body)
            multi_picture |= marker == 0xE2 and data.startswith(b"MPF\x00", body.start)
        framed |= marker in _FRAMES
        position += length
        if marker == 0xDA:
            scans += 1
            found = _SCAN_END.search(data, position)
            if found is None:
                return None
            position = found.start()
    return None


def jpeg_layout(data: bytes, start: int = 0) -> Layout | None:
    """A JPEG to its EOI; a multi-picture file (MPF in APP2) includes the images that follow."""
    image = _jpeg_image(data, start)
    if image is None:
        return None
    end, thumbnails = image.end, list(image.segments)
    while image is not None and image.multi_picture:
        padding = _ZEROS.match(data, end)  # some writers pad between the pictures
        image = _jpeg_image(data, padding.end() if padding else end)
        if image is not None:
            thumbnails += [Span(end, image.end), *image.segments]
            end = image.end
    return Layout("JPEG", start, end, "EOI marker", tuple(thumbnails))


# -- GIF ----------------------------------------------------------------------------------------


def _color_table(flags: int) -> int:
    return 3 << ((flags & 7) + 1) if flags & 0x80 else 0


def _skip_sub_blocks(data: bytes, position: int) -> int:
    """The position after a chain of data sub-blocks, or -1 when it runs off the end."""
    size = len(data)
    for _ in range(_MAX_STEPS):
        if position >= size:
            return -1
        length = data[position]
        position += 1 + length
        if length == 0:
            return position
    return -1


def gif_layout(data: bytes, start: int = 0) -> Layout | None:
    """A GIF to its trailer byte, after walking every extension and image block."""
    if data[start : start + 6] not in (b"GIF87a", b"GIF89a") or start + 13 > len(data):
        return None
    position = start + 13 + _color_table(data[start + 10])
    images = 0
    for _ in range(_MAX_STEPS):
        if position < 0 or position >= len(data):
            return None
        block = data[position]
        if block == 0x3B:
            return Layout("GIF", start, position + 1, "trailer") if images else None
        if block == 0x21:
            position = _skip_sub_blocks(data, position + 2)
        elif block == 0x2C and position + 10 <= len(data):
            position += 10 + _color_table(data[position + 9]) + 1  # + LZW minimum code size
            position = _skip_sub_blocks(data, position)
            images += 1
        else:
            return None
    return None


# -- PDF ----------------------------------------------------------------------------------------

_EOF_LINE = re.compile(rb"%%EOF[ \t\x00]*(?:\r\n|\r|\n)?")


def pdf_layout(data: bytes, start: int = 0, stop: int | None = None) -> Layout | None:
    """A PDF to its last ``%%EOF`` line: incremental updates append after an earlier one."""
    stop = len(data) if stop is None else stop
    position = data.rfind(b"%%EOF", start, stop)
    if position == -1:
        return None
    line = _EOF_LINE.match(data, position, stop)
    return Layout("PDF", start, line.end() if line else position + 5, "last %%EOF")


# -- zip ----------------------------------------------------------------------------------------

_END_RECORD = b"PK\x05\x06"
_LOCAL = b"PK\x03\x04"
_CENTRAL = b"PK\x01\x02"
_SCAN_LIMIT = 4096  # end records tried before giving up on finding the right one


def _closed_zip(data: bytes, position: int) -> Span | None:
    """The zip closed by the end record at ``position``: from its first local header to the end
    of its comment. The central directory and first entry must be where the record says."""
    record = data[position : position + 22]
    if len(record) < 22:
        return None
    entries, directory_size, directory_offset, comment = struct.unpack("<10xHIIH", record)
    end = position + 22 + comment
    directory_end = position
    if directory_size == 0xFFFFFFFF or directory_offset == 0xFFFFFFFF or entries == 0xFFFF:
        z64 = position - 20 - 56  # the zip64 record right before its locator
        if z64 < 0 or data[position - 20 : position - 16] != b"PK\x06\x07":
            return None
        if data[z64 : z64 + 4] != b"PK\x06\x06":
            return None
        directory_size, directory_offset = struct.unpack_from("<QQ", data, z64 + 40)
        directory_end = z64
    directory = directory_end - directory_size
    base = directory - directory_offset
    if end > len(data) or directory < 0 or base < 0:
        return None
    if entries == 0:
        return Span(directory, end)
    if data[directory : directory + 4] != _CENTRAL or directory + 46 > len(data):
        return None
    first = base + struct.unpack_from("<I", data, directory + 42)[0]
    if data[first : first + 4] != _LOCAL:
        return None
    return Span(min(first, directory), end)


def zip_from(data: bytes, start: int, stop: int | None = None) -> Span | None:
    """The zip whose first entry is at ``start``, found by its end record (searching forward)."""
    stop = len(data) if stop is None else stop
    position = data.find(_END_RECORD, start, stop)
    for _ in range(_SCAN_LIMIT):
        if position == -1:
            return None
        span = _closed_zip(data, position)
        if span is not None and span.start == start and span.end <= stop:
            return span
        position = data.find(_END_RECORD, position + 1, stop)
    return None


def zip_closing(data: bytes) -> Span | None:
    """The zip whose end record (and comment) ends the buffer: what zip readers open."""
    floor = max(0, len(data) - 22 - 0xFFFF)
    position = data.rfind(_END_RECORD, floor)
    while position != -1:
        span = _closed_zip(data, position)
        if span is not None and span.end == len(data):
            return span
        position = data.rfind(_END_RECORD, floor, position)
    return None


def zip_layout(data: bytes) -> Layout | None:
    """A zip item's own extent: the zip starting at 0, else the last one (after prepended data)."""
    span = zip_from(data, 0) if data.startswith(_LOCAL) else None
    if span is None:
        position = data.rfind(_END_RECORD)
        for _ in range(_SCAN_LIMIT):
            if position == -1:
                return None
            span = _closed_zip(data, position)
            if span is not None:
                break
            position = data.rfind(_END_RECORD, 0, position)
    if span is None:
        return None
    return Layout("zip archive", span.start, span.end, "end of central directory")


# -- RIFF, BMP, 7z ------------------------------------------------------------------------------


def riff_layout(data: bytes) -> Layout | None:
    """RIFF (WAV, AVI, WebP) to the end of its chunk, plus AVI's extension chunks."""
    if len(data) < 12 or data[:4] != b"RIFF":
        return None
    form = data[8:12].decode("latin-1").strip()
    end = 0
    while True:
        size = struct.unpack_from("<I", data, end + 4)[0]
        following = end + 8 + size + (size & 1)
        if following > len(data) + (size & 1):
            return None
        end = min(following, len(data))
        if not (data.startswith(b"RIFF", end) and data[end + 8 : end + 12] == b"AVIX"):
            return Layout(f"RIFF {form}", 0, end, "RIFF chunk end")


def bmp_layout(data: bytes) -> Layout | None:
    """A BMP to the larger of its declared file size and the end of its pixel array."""
    if len(data) < 34 or data[:2] != b"BM":
        return None
    declared, pixels, header = struct.unpack_from("<I4xII", data, 2)
    width, height, _planes, bits, compression, image_size = struct.unpack_from("<iiHHII", data, 18)
    if header < 40:  # an OS/2 core header: trust the declared size
        computed = declared
    elif compression in (0, 3, 6):
        computed = pixels + (bits * abs(width) + 31) // 32 * 4 * abs(height)
    else:
        computed = pixels + image_size
    end = max(declared, computed)
    return Layout("BMP", 0, end, "declared size") if pixels <= end else None


def sevenzip_layout(data: bytes, start: int = 0) -> Layout | None:
    """A 7z archive to the end of its header database (start header checked by its CRC)."""
    header = data[start : start + 32]
    if len(header) < 32 or not header.startswith(b"7z\xbc\xaf\x27\x1c"):
        return None
    crc, offset, size = struct.unpack_from("<IQQ", header, 8)
    if zlib.crc32(header[12:32]) != crc:
        return None
    return Layout("7z archive", start, start + 32 + offset + size, "end of header")


# -- an item's own format -----------------------------------------------------------------------

ZIP_PACKAGES = mediatypes.ZIP_PACKAGES


def layout_of(media_type: str, data: bytes) -> Layout | None:
    """The logical extent of an item of a format with a clear end, else ``None``."""
    if media_type == mediatypes.PNG:
        return png_layout(data)
    if media_type == mediatypes.JPEG:
        return jpeg_layout(data)
    if media_type == mediatypes.GIF:
        return gif_layout(data)
    if media_type == mediatypes.PDF:
        return pdf_layout(data)
    if media_type in ZIP_PACKAGES:
        return zip_layout(data)
    if media_type == mediatypes.BMP:
        return bmp_layout(data)
    if media_type == mediatypes.SEVEN_ZIP:
        return sevenzip_layout(data)
    if media_type in (mediatypes.WEBP, mediatypes.OCTET_STREAM) and data.startswith(b"RIFF"):
        return riff_layout(data)
    return None
