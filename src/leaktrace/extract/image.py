"""Image metadata (JPEG, PNG, GIF, TIFF, WebP, BMP): the words and identities an image carries.

Only metadata is read, never pixels: EXIF (with its Exif and GPS sub-directories), XMP packets
(read with defusedxml, entities refused), PNG text chunks anywhere in the file (compressed ones
inflated under the budget), JPEG and GIF comments. The text is one ``Name: value`` line per
field; ``width``, ``height``, ``format``, camera make, model and serial and GPS position go to
the metadata. An image claiming more pixels than Pillow's bomb limit gets a ``limit`` notice.
"""

from __future__ import annotations

import io
import math
import struct
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any, cast
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from PIL import ExifTags, Image

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError, LimitReached
from leaktrace.core.finding import Severity
from leaktrace.core.item import Item
from leaktrace.core.plugin import ExtractContext, Extraction, Extractor
from leaktrace.extract.textcodec import decode_text

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_BMP_HEADER_SIZES = frozenset({12, 16, 40, 52, 56, 64, 108, 124})
_EXIF_IFD = 0x8769
_GPS_IFD = 0x8825
_XMP_TAG = 700
_BASE_TAGS = (0x010D, 0x010E, 0x010F, 0x0110, 0x011D, 0x0131, 0x013B, 0x013C, 0x8298)
_XP_TAGS = (0x9C9B, 0x9C9C, 0x9C9D, 0x9C9E, 0x9C9F)  # Windows Explorer fields, UTF-16LE
_EXIF_TAGS = (0x9003, 0x9286, 0xA420, 0xA430, 0xA431, 0xA433, 0xA434, 0xA435)
_USER_COMMENT = 0x9286
_METADATA_KEYS = {0x010F: "camera_make", 0x0110: "camera_model", 0xA431: "camera_serial"}
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_XML = "{http://www.w3.org/XML/1998/namespace}"  # xml:lang and friends: not content
_XMP_START, _XMP_END = b"<x:xmpmeta", b"</x:xmpmeta>"


def sniff_image(head: bytes) -> str | None:
    """The image media type named by the file's signature, if any."""
    if head.startswith(b"\xff\xd8\xff"):
        return mediatypes.JPEG
    if head.startswith(PNG_SIGNATURE):
        return mediatypes.PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return mediatypes.GIF
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return mediatypes.TIFF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return mediatypes.WEBP
    if head[:2] == b"BM" and len(head) >= 26:
        offset, header_size = struct.unpack_from("<II", head, 10)
        if header_size in _BMP_HEADER_SIZES and 14 + header_size <= offset:
            return mediatypes.BMP
    return None


class _Fields:
    """The text lines and metadata collected from one image."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.metadata: dict[str, str] = {}
        self.xmp_read = False

    def add(self, name: str, value: str) -> None:
        value = " ".join(value.replace("\x00", " ").split())
        if value:
            self.lines.append(f"{name}: {value}")


class ImageMetadataExtractor(Extractor):
    name = "image"
    media_types = frozenset(
        {
            mediatypes.JPEG,
            mediatypes.PNG,
            mediatypes.GIF,
            mediatypes.TIFF,
            mediatypes.WEBP,
            mediatypes.BMP,
        }
    )
    sniff_priority = 60

    def sniff(self, head: bytes, data: bytes) -> str | None:
        return sniff_image(head)

    def extract(self, item: Item, context: ExtractContext) -> Extraction:
        fields = _Fields()
        opened = _read_with_pillow(item.data, fields, context)
        if item.data.startswith(PNG_SIGNATURE):
            _read_png_chunks(item.data, fields, context)
        elif not opened:
            raise ItemError("image is corrupt or truncated; its metadata cannot be read")
        if not fields.xmp_read:  # formats Pillow keeps no XMP for (GIF), or a bomb not opened
            _read_xmp(_find_xmp_packet(item.data), fields, context)
        return Extraction(text="\n".join(fields.lines) or None, metadata=fields.metadata)


# -- Pillow: size, EXIF, XMP, comments ----------------------------------------------------------


class PixelBomb(LimitReached):
    """An image claiming more pixels than Pillow's bomb limit (``Image.MAX_IMAGE_PIXELS``)."""

    def __init__(self, message: str) -> None:
        super().__init__("pixels", message)


@contextmanager
def open_image(data: bytes, doing: str = "opened") -> Iterator[Image.Image]:
    """Image bytes opened with Pillow under its bomb guard, for every reader of pixels or headers.

    An image claiming more pixels than the limit raises :class:`PixelBomb` ("image not
    ``doing``: ...") before any pixel is decoded, or while decoding in the ``with`` body.
    Pillow's other warnings (odd EXIF) are silenced; its errors for bad files propagate.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                yield image
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise PixelBomb(f"image not {doing}: {error}") from None


def _read_with_pillow(data: bytes, fields: _Fields, context: ExtractContext) -> bool:
    """Read what Pillow parses from the header; ``False`` if it cannot open the image."""
    try:
        with open_image(data) as image:
            _read_opened(image, fields, context)
    except PixelBomb as bomb:
        context.notice("limit", "pixels", str(bomb), Severity.MEDIUM)
        return True
    except LimitReached:
        raise
    except Exception:  # Pillow raises many types (OSError, SyntaxError, ...) for bad files
        return False
    return True


def _read_opened(image: Image.Image, fields: _Fields, context: ExtractContext) -> None:
    fields.metadata.update(
        width=str(image.width), height=str(image.height), format=str(image.format)
    )
    if image.format == "PNG":
        return  # PNG metadata comes from its chunks, read separately and completely
    exif = _load_exif(image, context)
    if exif is not None:
        _read_exif(exif, fields, context)
    _read_comments(image, fields)
    info = image.info
    xmp = info.get("xmp") or info.get("XML:com.adobe.xmp")
    if not xmp and exif is not None:
        xmp = exif.get(_XMP_TAG)
    if isinstance(xmp, str):
        xmp = xmp.encode("utf-8")
    if isinstance(xmp, bytes) and xmp:
        _read_xmp(xmp, fields, context)


def _load_exif(image: Image.Image, context: ExtractContext) -> Image.Exif | None:
    """The EXIF block, without ever loading pixels (``PngImageFile.getexif`` would)."""
    raw = image.info.get("exif")
    try:
        if isinstance(raw, bytes) and raw:
            exif = Image.Exif()
            exif.load(raw)
            return exif
        if image.format == "TIFF":  # TIFF keeps EXIF in its own directory, read from the header
            return image.getexif()
    except Exception:  # malformed EXIF: report it and read the other metadata
        context.notice("error", "corrupt", "EXIF block cannot be read")
    return None


def _exif_text(tag: int, value: Any) -> str:
    if tag in _XP_TAGS:
        raw = bytes(value) if isinstance(value, tuple | list) else value
        if isinstance(raw, bytes):
            return raw.decode("utf-16-le", errors="replace")
    if tag == _USER_COMMENT and isinstance(value, bytes):
        return _user_comment(value)
    if isinstance(value, bytes):
        return decode_text(value)[0]
    return str(value)


def _user_comment(value: bytes) -> str:
    """EXIF UserComment: an 8-byte character-code prefix, then the comment."""
    code, body = value[:8], value[8:]
    if code.startswith(b"UNICODE"):
        encoding = "utf-16-be" if body[:1] == b"\x00" else "utf-16-le"
        return body.decode(encoding, errors="replace")
    if code.startswith(b"ASCII") or code == b"\x00" * 8:
        return decode_text(body)[0]
    return decode_text(value)[0]


def _read_exif(exif: Image.Exif, fields: _Fields, context: ExtractContext) -> None:
    directories: list[tuple[tuple[int, ...], dict[int, Any]]] = [
        ((*_BASE_TAGS, *_XP_TAGS), dict(exif))
    ]
    try:
        directories.append((_EXIF_TAGS, dict(exif.get_ifd(_EXIF_IFD))))
        gps = dict(exif.get_ifd(_GPS_IFD))
    except Exception:  # a broken sub-directory: keep what the main one gave
        context.notice("error", "corrupt", "EXIF sub-directory cannot be read")
        gps = {}
    for wanted, directory in directories:
        for tag in wanted:
            if tag not in directory:
                continue
            text = " ".join(_exif_text(tag, directory[tag]).replace("\x00", " ").split())
            fields.add(ExifTags.TAGS.get(tag, f"Tag{tag:04X}"), text)
            if tag in _METADATA_KEYS and text:
                fields.metadata[_METADATA_KEYS[tag]] = text
    _read_gps(gps, fields)


def _degrees(value: Any, reference: Any, negative: str) -> float | None:
    try:
        degrees, minutes, seconds = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = degrees + minutes / 60 + seconds / 3600
    if not math.isfinite(result):
        return None
    if isinstance(reference, bytes):
        reference = reference.decode("ascii", errors="replace")
    return -result if str(reference).strip().upper().startswith(negative) else result


def _read_gps(gps: dict[int, Any], fields: _Fields) -> None:
    latitude = _degrees(gps.get(2), gps.get(1, "N"), "S")
    longitude = _degrees(gps.get(4), gps.get(3, "E"), "W")
    if latitude is None or longitude is None or abs(latitude) > 90 or abs(longitude) > 180:
        return
    fields.metadata["gps_lat"] = f"{latitude:.6f}"
    fields.metadata["gps_lon"] = f"{longitude:.6f}"
    fields.add("GPSLatitude", fields.metadata["gps_lat"])
    fields.add("GPSLongitude", fields.metadata["gps_lon"])


def _read_comments(image: Image.Image, fields: _Fields) -> None:
    """JPEG COM markers (all of them) and the GIF comment extension."""
    applist = getattr(image, "applist", None)
    if isinstance(applist, list):
        for marker, payload in applist:
            if marker == "COM" and isinstance(payload, bytes):
                fields.add("Comment", decode_text(payload)[0])
    elif isinstance(image.info.get("comment"), bytes) and image.format != "PNG":
        fields.add("Comment", decode_text(image.info["comment"])[0])


# -- PNG text chunks ----------------------------------------------------------------------------


class _Inflater(io.RawIOBase):
    """A zlib stream inflated on demand, so the budget can stop a bomb part-way."""

    def __init__(self, compressed: bytes) -> None:
        self._inflater = zlib.decompressobj()
        self._pending = compressed

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self._pending:
            chunk = self._inflater.flush()
        else:
            chunk = self._inflater.decompress(self._pending, len(buffer))
            self._pending = self._inflater.unconsumed_tail
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _inflate(compressed: bytes, context: ExtractContext) -> bytes:
    return context.budget.read(cast(IO[bytes], _Inflater(compressed)), len(compressed))


def _png_chunks(data: bytes, context: ExtractContext) -> Iterator[tuple[bytes, bytes]]:
    """``(type, payload)`` of each chunk up to IEND or the end of the data."""
    position = len(PNG_SIGNATURE)
    count = 0
    while position + 8 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, position)
        start = position + 8
        if kind == b"IEND" or start + length > len(data):
            return
        count += 1
        if count % 1024 == 0:
            context.budget.check_time()
        yield kind, data[start : start + length]
        position = start + length + 4


def _png_text(kind: bytes, payload: bytes, context: ExtractContext) -> tuple[str, bytes] | None:
    """The keyword and the (inflated) text of a tEXt, zTXt or iTXt chunk."""
    keyword, _, rest = payload.partition(b"\x00")
    name = keyword.decode("latin-1")
    if kind == b"tEXt":
        return name, rest
    if kind == b"zTXt":
        return name, _inflate(rest[1:], context)
    if kind == b"iTXt" and len(rest) >= 2:
        compressed = rest[0] == 1
        _language, _, rest = rest[2:].partition(b"\x00")
        _translated, _, text = rest.partition(b"\x00")
        return name, _inflate(text, context) if compressed else text
    return None


def _read_png_chunks(data: bytes, fields: _Fields, context: ExtractContext) -> None:
    """Text chunks anywhere in the file (Pillow reads those after the pixels only by decoding)."""
    seen_exif = False
    for kind, payload in _png_chunks(data, context):
        if kind == b"eXIf" and not seen_exif:
            exif = Image.Exif()
            try:
                exif.load(payload)
            except Exception:  # malformed EXIF chunk
                context.notice("error", "corrupt", "PNG eXIf chunk cannot be read")
                continue
            _read_exif(exif, fields, context)
            seen_exif = True
            continue
        chunk = kind.decode("latin-1")
        try:
            found = _png_text(kind, payload, context)
        except zlib.error:
            context.notice("error", "corrupt", f"PNG {chunk} chunk is corrupt")
            continue
        except LimitReached as error:  # a text-chunk bomb: report it, read the other chunks
            if error.rule == "time":
                raise
            context.notice("limit", error.rule, f"PNG {chunk} chunk: {error}", Severity.MEDIUM)
            continue
        if found is None:
            continue
        keyword, text = found
        if keyword == "XML:com.adobe.xmp":
            _read_xmp(text, fields, context)
        elif kind == b"iTXt":
            fields.add(keyword, text.decode("utf-8", errors="replace"))
        else:
            fields.add(keyword, text.decode("latin-1"))


# -- XMP ----------------------------------------------------------------------------------------


def _find_xmp_packet(data: bytes) -> bytes:
    start = data.find(_XMP_START)
    if start == -1:
        return b""
    end = data.find(_XMP_END, start)
    return data[start : end + len(_XMP_END)] if end != -1 else b""


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _xmp_fields(root: Element) -> Iterator[tuple[str, str]]:
    """``(property, value)`` for each text node and attribute value in an XMP packet."""
    stack: list[tuple[Element, str]] = [(root, _local(root.tag))]
    while stack:
        element, property_name = stack.pop()
        if not element.tag.startswith(_RDF):  # rdf:Bag/Seq/li carry their property's name
            property_name = _local(element.tag)
        for attribute, value in element.attrib.items():
            if not attribute.startswith((_RDF, _XML)):
                yield _local(attribute), value
        if element.text and element.text.strip():
            yield property_name, element.text
        stack.extend((child, property_name) for child in reversed(list(element)))


def _read_xmp(packet: bytes, fields: _Fields, context: ExtractContext) -> None:
    if not packet.strip():
        return
    fields.xmp_read = True
    try:
        root = SafeElementTree.fromstring(packet)
    except DefusedXmlException:
        context.notice("error", "corrupt", "XMP packet declares entities or a DTD; not read")
        return
    except Exception:  # ParseError and friends: malformed XML
        context.notice("error", "corrupt", "XMP packet is not well-formed XML")
        return
    for name, value in _xmp_fields(root):
        fields.add(f"XMP {name}", value)
