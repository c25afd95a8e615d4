"""File signatures found anywhere in a buffer in one native pass, then validated by structure.

Every signature is a few magic bytes; random data holds them by chance (``FF D8 FF`` once per
16 MiB), so each hit is checked against the format's own structure before it counts: a header
CRC (PNG IHDR, 7z, RAR, xz), an end record pointing back at it (zip), a full walk to the end
marker (JPEG, GIF, PNG), a deflate stream with a matching CRC-32 (gzip), a PDF object and trailer.
The check also says where the embedded file ends, so that only its own bytes are carved.

The pass is Hyperscan (one database for every signature, compiled once per process); where it
is missing, one alternation regular expression does the same job more slowly.
"""

from __future__ import annotations

import contextlib
import functools
import re
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from leaktrace.core import mediatypes
from leaktrace.extract.carve.ends import (
    gif_layout,
    jpeg_layout,
    pdf_layout,
    png_layout,
    sevenzip_layout,
    zip_from,
)

hyperscan: ModuleType | None
try:
    import hyperscan
except ImportError:  # pragma: no cover - wheels exist for the platforms we test on
    hyperscan = None

EndFinder = Callable[[bytes, int, int], int | None]
"""``(data, offset, stop)`` → where the file starting at ``offset`` ends (at most ``stop``), or
``None`` when the bytes there are not really that format."""

MAX_HITS = 10_000
_MAX_INFLATE = 64 << 20  # gzip output checked against its CRC; beyond, the header must do


@dataclass(frozen=True, slots=True)
class Signature:
    kind: str
    magic: bytes
    label: str
    image: bool
    """Images are legitimately embedded in many formats (thumbnails, icons, cover art)."""
    common: bool
    """Found in ordinary binaries too (images, compressed resources and debug data): reported
    only inside images and PDFs, where they have no business."""
    media_type: str | None
    find_end: EndFinder


def _zip_end(data: bytes, offset: int, stop: int) -> int | None:
    header = data[offset : offset + 30]
    if len(header) < 30:
        return None
    version, flags, method = struct.unpack_from("<HHH", header, 4)
    packed, _size, name_size, extra_size = struct.unpack_from("<IIHH", header, 18)
    if version & 0xFF > 63 or method not in (0, 8, 9, 12, 14, 93, 95, 98, 99):
        return None
    if not 0 < name_size <= 1024:
        return None
    span = zip_from(data, offset, stop)
    if span is not None:
        return span.end
    # No end record: entries without a directory are still a zip's content when the first
    # entry's data leads to the next header.
    following = offset + 30 + name_size + extra_size + packed
    if not flags & 0x08 and data[following : following + 4] in (b"PK\x03\x04", b"PK\x01\x02"):
        return stop
    return None


def _sevenzip_end(data: bytes, offset: int, stop: int) -> int | None:
    layout = sevenzip_layout(data, offset)
    return min(layout.end, stop) if layout else None


def _vint(data: bytes, position: int) -> tuple[int, int] | None:
    """A RAR5 variable-length integer: (value, bytes used)."""
    value = 0
    for index in range(10):
        if position + index >= len(data):
            return None
        byte = data[position + index]
        value |= (byte & 0x7F) << (7 * index)
        if not byte & 0x80:
            return value, index + 1
    return None


def _rar_end(data: bytes, offset: int, stop: int) -> int | None:
    if data.startswith(b"Rar!\x1a\x07\x01\x00", offset):  # RAR 5: CRC-32 of the main header
        position = offset + 8
        size = _vint(data, position + 4)
        if size is None or size[0] > 0xFFFF or position + 4 > len(data):
            return None
        block = data[position + 4 : position + 4 + size[1] + size[0]]
        (crc,) = struct.unpack_from("<I", data, position)
        return stop if len(block) == size[1] + size[0] and zlib.crc32(block) == crc else None
    if data.startswith(b"Rar!\x1a\x07\x00", offset):  # RAR 1.5-4: the archive header, CRC-16
        header = data[offset + 7 : offset + 20]
        if len(header) < 13 or header[2] != 0x73:
            return None
        crc, size = struct.unpack_from("<H3xH", header)
        block = data[offset + 9 : offset + 7 + size]
        if size < 13 or len(block) != size - 2 or zlib.crc32(block) & 0xFFFF != crc:
            return None
        return stop
    return None


_PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
_PDF_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")


def _pdf_end(data: bytes, offset: int, stop: int) -> int | None:
    if not _PDF_HEADER.match(data, offset):
        return None
    if not _PDF_OBJECT.search(data, offset, min(stop, offset + 4096)):
        return None
    layout = pdf_layout(data, offset, stop)
    if layout is None or b"startxref" not in data[max(offset, layout.end - 1100) : layout.end]:
        return None
    return layout.end


def _ole_end(data: bytes, offset: int, stop: int) -> int | None:
    header = data[offset : offset + 34]
    if len(header) < 34:
        return None
    _minor, major, order, sector, mini = struct.unpack_from("<HHHHH", header, 24)
    if order != 0xFFFE or (major, sector) not in ((3, 9), (4, 12)) or mini != 6:
        return None
    return stop  # sectors may lie anywhere after the header: keep the rest


def _image_end(layout: Callable[[bytes, int], object]) -> EndFinder:
    def find_end(data: bytes, offset: int, stop: int) -> int | None:
        found = layout(data, offset)
        end = getattr(found, "end", None)
        return end if isinstance(end, int) and end <= stop else None

    return find_end


def _gzip_end(data: bytes, offset: int, stop: int) -> int | None:
    """The end of a gzip member whose deflate stream ends cleanly with a matching CRC-32."""
    header = data[offset : offset + 10]
    if len(header) < 10 or header[3] & 0xE0 or header[8] not in (0, 2, 4):
        return None
    flags, position = header[3], offset + 10
    if flags & 0x04:
        position += 2 + int.from_bytes(data[position : position + 2], "little")
    for flag in (0x08, 0x10):  # file name, comment: NUL-terminated
        if flags & flag:
            position = data.find(b"\x00", position, stop) + 1
            if position == 0:
                return None
    position += 2 if flags & 0x02 else 0
    inflater = zlib.decompressobj(-15)
    pending, crc, produced = data[position:stop], 0, 0
    try:
        while not inflater.eof:
            output = inflater.decompress(pending, 1 << 20)
            crc, produced = zlib.crc32(output, crc), produced + len(output)
            pending = inflater.unconsumed_tail
            if produced > _MAX_INFLATE:
                return stop
            if not output and not pending:
                return None  # the stream stops before its end
    except zlib.error:
        return None
    end = stop - len(inflater.unused_data)
    trailer = data[end : end + 8]
    if len(trailer) < 8 or struct.unpack("<I", trailer[:4])[0] != crc:
        return None
    return end + 8


def _xz_end(data: bytes, offset: int, stop: int) -> int | None:
    header = data[offset : offset + 12]
    if (
        len(header) < 12
        or header[6] != 0
        or zlib.crc32(header[6:8]) != struct.unpack("<I", header[8:12])[0]
    ):
        return None
    return stop


SIGNATURES: tuple[Signature, ...] = (
    Signature("zip", b"PK\x03\x04", "zip archive", False, False, mediatypes.ZIP, _zip_end),
    Signature(
        "7z", b"7z\xbc\xaf\x27\x1c", "7z archive", False, False, mediatypes.SEVEN_ZIP, _sevenzip_end
    ),
    Signature("rar", b"Rar!\x1a\x07", "RAR archive", False, False, None, _rar_end),
    Signature("pdf", b"%PDF-", "PDF document", False, False, mediatypes.PDF, _pdf_end),
    Signature(
        "ole",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "OLE compound file",
        False,
        False,
        None,
        _ole_end,
    ),
    Signature("gzip", b"\x1f\x8b\x08", "gzip stream", False, True, mediatypes.GZIP, _gzip_end),
    Signature("xz", b"\xfd7zXZ\x00", "xz stream", False, True, mediatypes.XZ, _xz_end),
    Signature(
        "png", b"\x89PNG\r\n\x1a\n", "PNG image", True, True, mediatypes.PNG, _image_end(png_layout)
    ),
    Signature(
        "jpeg", b"\xff\xd8\xff", "JPEG image", True, True, mediatypes.JPEG, _image_end(jpeg_layout)
    ),
    Signature("gif", b"GIF87a", "GIF image", True, True, mediatypes.GIF, _image_end(gif_layout)),
    Signature("gif", b"GIF89a", "GIF image", True, True, mediatypes.GIF, _image_end(gif_layout)),
)


def signature_at(data: bytes, offset: int = 0) -> Signature | None:
    """The signature whose magic bytes start at ``offset``, if any."""
    for signature in SIGNATURES:
        if data.startswith(signature.magic, offset):
            return signature
    return None


def find_signatures(data: bytes, limit: int = MAX_HITS) -> list[tuple[int, Signature]]:
    """``(offset, signature)`` of every magic-byte hit in ``data``, in offset order (at most
    ``limit``: a hostile file full of magic bytes costs no more than that)."""
    hits: list[tuple[int, Signature]] = []
    database = _database()
    if database is None:
        for match in _fallback().finditer(data):
            found = signature_at(data, match.start())
            if found is not None:
                hits.append((match.start(), found))
            if len(hits) >= limit:
                break
        return hits

    def on_match(index: int, _start: int, end: int, _flags: int, _context: object) -> bool:
        signature = SIGNATURES[index]
        hits.append((end - len(signature.magic), signature))
        return len(hits) >= limit  # True stops the scan

    assert hyperscan is not None
    with contextlib.suppress(hyperscan.ScanTerminated):  # the limit was reached
        database.scan(data, match_event_handler=on_match)  # type: ignore[attr-defined]
    hits.sort(key=lambda hit: hit[0])
    return hits


@functools.lru_cache(maxsize=1)
def _database() -> object | None:
    """The compiled Hyperscan database, once per process (it cannot be pickled to workers)."""
    if hyperscan is None:
        return None
    expressions = ["".join(f"\\x{byte:02x}" for byte in s.magic).encode() for s in SIGNATURES]
    database: object = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    try:
        database.compile(  # type: ignore[attr-defined]
            expressions=expressions,
            ids=list(range(len(expressions))),
            elements=len(expressions),
            flags=[0] * len(expressions),
        )
    except hyperscan.error:
        return None
    return database


@functools.lru_cache(maxsize=1)
def _fallback() -> re.Pattern[bytes]:
    return re.compile(b"|".join(re.escape(signature.magic) for signature in SIGNATURES))
