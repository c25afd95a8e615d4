"""Data after a file's logical end, and data before a zip that ends a file.

Readers stop at a format's end (PNG's IEND chunk, JPEG's EOI, GIF's trailer, PDF's last
``%%EOF``, a zip's end of central directory, the sizes a BMP, RIFF or 7z header declares), so
bytes appended after it travel unseen: the classic way to smuggle a zip or a document inside a
photo. Zip readers find an archive from its end, so a zip can also be appended to anything; the
bytes before its first entry are the other file.

What lies there becomes a child ``<trailing data @0x1F40>`` (``<prepended data @0x0>``) with a
``concealment/trailing-data`` notice naming the format, the offset, the size and what the bytes
are. Padding (NULs and white space only, or at most 16 stray bytes) is ignored, and so are the
known headers of zip-based formats (the ``#!`` line of a Python zip application, a Java
module's or a Chrome extension's header). A PDF's incremental updates are part of it: only
bytes after the *last* ``%%EOF`` count.
"""

from __future__ import annotations

from collections.abc import Iterator

from leaktrace.core import mediatypes
from leaktrace.core.item import Item
from leaktrace.core.plugin import Carver, Child, ExtractContext
from leaktrace.extract.carve import at, conceal, is_padding, size_text
from leaktrace.extract.carve.ends import ZIP_PACKAGES, Layout, layout_of
from leaktrace.extract.carve.signatures import signature_at

_ZIP_HEADERS = frozenset({b"JM\x01\x00"})


class TrailingCarver(Carver):
    name = "trailing"

    def carve(self, item: Item, context: ExtractContext) -> Iterator[Child]:
        data = item.data
        layout = layout_of(item.media_type, data)
        if layout is None or _pdf_after_another_head(item):
            return
        if layout.start > 0 and item.media_type in ZIP_PACKAGES:
            before = data[: layout.start]
            if not is_padding(before) and not _wrapper(before):
                kind = context.identify(before)
                conceal(
                    context,
                    "trailing-data",
                    f"{size_text(len(before))} before the {layout.format} that ends the file "
                    f"(at {at(0)}, the archive starts at {at(layout.start)}): {kind}",
                )
                yield Child(f"<prepended data @{at(0)}>", context.budget.accept(before))
        if layout.end < len(data):
            yield from _after(data, layout, context)


def _after(data: bytes, layout: Layout, context: ExtractContext) -> Iterator[Child]:
    tail = data[layout.end :]
    if is_padding(tail):
        return
    kind = context.identify(tail)
    conceal(
        context,
        "trailing-data",
        f"{size_text(len(tail))} after the {layout.format}'s {layout.end_marker} "
        f"(at {at(layout.end)}): {kind}",
    )
    yield Child(f"<trailing data @{at(layout.end)}>", context.budget.accept(tail))


def _pdf_after_another_head(item: Item) -> bool:
    """A PDF header behind another format's head: a polyglot, whose other reading is carved
    (the bytes after its ``%%EOF`` are the other format's, not hidden data)."""
    return (
        item.media_type == mediatypes.PDF
        and not item.data.startswith(b"%PDF-")
        and signature_at(item.data, 0) is not None
    )


def _wrapper(before: bytes) -> bool:
    """A known header of a zip-based format: a single ``#!`` line (a Python zip application),
    a Java module's ``JM`` header, a Chrome extension's ``Cr24`` header."""
    if before.startswith(b"#!"):
        return before.count(b"\n") == 1 and before.endswith(b"\n")
    return before in _ZIP_HEADERS or before.startswith(b"Cr24")
