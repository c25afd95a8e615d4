"""Files hidden inside other files, and files that are two formats at once (polyglots).

One native pass finds every known file signature in the item (``signatures.py``); each hit is
validated by the format's structure, carved to the embedded file's own end, reported as
``concealment/embedded-file`` and yielded as ``<embedded zip @0x1F40>``. Only the carrier's own
extent is searched: what follows its end is the ``trailing`` carver's.

Legitimate embeddings are kept out:

- containers whose members are extracted anyway (zip, 7z, tar, office packages, compressed
  streams, mail, Outlook messages) and OLE compound files (their streams hold anything);
- images and compressed streams inside anything but an image or a PDF (icons, cover art, font
  glyphs, compressed resources, an ELF's compressed debug data);
- thumbnails: images in a JPEG's APPn segments and after the first picture of a multi-picture
  file, images in a PNG's ``eXIf`` chunk, any image in TIFF or WebP (their EXIF);
- PDF streams that are images, fonts, metadata or declared embedded files.

A polyglot is one buffer that two kinds of reader accept: an item of another type whose end is
a valid zip directory (a GIFAR, a PDF/ZIP), a PDF whose header follows another format's head.
It is reported as ``concealment/polyglot`` and the second reading is yielded as
``<polyglot zip @0x0>`` with its type stated, so the other format's content is inspected too.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator

from leaktrace.core import mediatypes
from leaktrace.core.item import Item
from leaktrace.core.plugin import Carver, Child, ExtractContext
from leaktrace.detect.filetypes import kind_of
from leaktrace.extract.carve import at, conceal, size_text
from leaktrace.extract.carve.ends import ZIP_PACKAGES, Layout, layout_of, zip_closing
from leaktrace.extract.carve.signatures import Signature, find_signatures, signature_at

_CONTAINERS = ZIP_PACKAGES | {
    mediatypes.SEVEN_ZIP,
    mediatypes.TAR,
    mediatypes.GZIP,
    mediatypes.BZIP2,
    mediatypes.XZ,
    mediatypes.EMAIL,
    mediatypes.MBOX,
    mediatypes.OUTLOOK_MSG,
}
_IMAGE_CARRIERS = frozenset({mediatypes.JPEG, mediatypes.PNG, mediatypes.GIF, mediatypes.BMP})
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PDF_RESOURCES = (b"/DCTDecode", b"/JPXDecode", b"/Image", b"/EmbeddedFile", b"/FontFile")
_STREAM_STARTS = (b"stream\r\n", b"stream\n", b"stream\r")
_PDF_HEADER_WINDOW = 1024  # PDF readers accept the header anywhere in the first KiB
POLYGLOT_OF = "polyglot-of"
"""Metadata of a polyglot's second reading: it is not analysed as a polyglot again."""
MAX_EMBEDDED = 16
MAX_CHECKS = 256


class EmbeddedCarver(Carver):
    name = "embedded"

    def carve(self, item: Item, context: ExtractContext) -> Iterator[Child]:
        data = item.data
        layout = layout_of(item.media_type, data)
        stop = layout.end if layout is not None else len(data)
        if POLYGLOT_OF not in item.metadata:
            second = yield from _polyglots(item, layout, context)
            stop = min(stop, second)
        if item.media_type in _CONTAINERS or data.startswith(_OLE_MAGIC):
            return
        yield from _embedded(item, layout, stop, context)


def _carrier(item: Item) -> str:
    kind = kind_of(item.media_type, item.data)
    return kind.label if kind is not None else "file"


def _polyglots(
    item: Item, layout: Layout | None, context: ExtractContext
) -> Generator[Child, None, int]:
    """Report second readings of the item; return where the second format starts (the search
    for embedded files stops there: that part is the polyglot child's)."""
    data = item.data
    second = len(data)
    closing = zip_closing(data) if item.media_type not in ZIP_PACKAGES else None
    if closing is not None:
        conceal(
            context,
            "polyglot",
            f"the {_carrier(item)} is also a zip archive: zip readers find its directory at "
            f"the end and its first entry at {at(closing.start)}",
        )
        if layout is None or closing.start < layout.end:  # else it is trailing data
            second = closing.start
            yield _reading(item, "zip", closing.start, len(data), mediatypes.ZIP, context)
    header = data.find(b"%PDF-", 0, _PDF_HEADER_WINDOW)
    if header > 0 and item.media_type == mediatypes.PDF:
        head = signature_at(data, 0)
        end = head.find_end(data, 0, len(data)) if head and head.kind != "zip" else None
        if head is not None and end is not None:
            conceal(
                context,
                "polyglot",
                f"the PDF document is also a {head.label} (its PDF header is at {at(header)})",
            )
            yield _reading(item, head.kind, 0, end, head.media_type, context)
    elif header > 0 and item.media_type != mediatypes.TAR and _is_pdf(data, header):
        # (A tar whose first member is a PDF has that header at 0x200: an archived PDF, which
        # the tar extractor yields as a member; not a disguise.)
        conceal(
            context,
            "polyglot",
            f"the {_carrier(item)} is also a PDF document (its PDF header is at {at(header)})",
        )
        yield _reading(item, "pdf", 0, len(data), mediatypes.PDF, context)
    return second


def _is_pdf(data: bytes, header: int) -> bool:
    pdf = signature_at(data, header)
    return pdf is not None and pdf.find_end(data, header, len(data)) is not None


def _reading(
    item: Item, kind: str, start: int, end: int, media_type: str | None, context: ExtractContext
) -> Child:
    """The polyglot's other reading, typed explicitly (identification would repeat the first)."""
    return Child(
        f"<polyglot {kind} @{at(start)}>",
        context.budget.accept(item.data[start:end]),
        {POLYGLOT_OF: item.media_type},
        media_type,
    )


def _embedded(
    item: Item, layout: Layout | None, stop: int, context: ExtractContext
) -> Iterator[Child]:
    data = item.data
    covered = 1  # offset 0 is the item itself
    found = checks = 0
    for offset, signature in find_signatures(data):
        if offset >= stop:
            break
        if offset < covered or not _worth_reporting(item, layout, offset, signature):
            continue
        checks += 1
        if checks > MAX_CHECKS:
            context.notice(
                "limit",
                "signatures",
                f"more than {MAX_CHECKS} file signatures to check; the rest were not",
            )
            return
        if checks % 16 == 0:
            context.budget.check_time()
        end = signature.find_end(data, offset, stop)
        if end is None:
            continue
        found += 1
        if found > MAX_EMBEDDED:
            context.notice(
                "limit",
                "embedded",
                f"more than {MAX_EMBEDDED} embedded files; the rest were not carved",
            )
            return
        covered = end
        conceal(
            context,
            "embedded-file",
            f"{signature.label} of {size_text(end - offset)} hidden at {at(offset)} inside the "
            f"{_carrier(item)}",
        )
        yield Child(
            f"<embedded {signature.kind} @{at(offset)}>", context.budget.accept(data[offset:end])
        )


def _worth_reporting(item: Item, layout: Layout | None, offset: int, signature: Signature) -> bool:
    media_type = item.media_type
    if signature.common and media_type not in _IMAGE_CARRIERS and media_type != mediatypes.PDF:
        return False
    if signature.image and layout is not None and layout.holds_thumbnail(offset):
        return False
    if signature.kind == "pdf" and offset < _PDF_HEADER_WINDOW and POLYGLOT_OF not in item.metadata:
        return False  # a PDF header in the first KiB makes a polyglot, reported as such
    return not (media_type == mediatypes.PDF and _pdf_resource(item.data, offset))


def _pdf_resource(data: bytes, offset: int) -> bool:
    """A file that is a PDF stream's whole content, declared as an image, font or attachment."""
    if not data[max(0, offset - 8) : offset].endswith(_STREAM_STARTS):
        return False
    floor = max(0, offset - 4096)
    dictionary = data[max(floor, data.rfind(b"obj", floor, offset)) : offset]
    return any(name in dictionary for name in _PDF_RESOURCES)
