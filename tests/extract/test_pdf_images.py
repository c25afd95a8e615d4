"""Images drawn on PDF pages become children, so photos in a PDF reach the detectors."""

from __future__ import annotations

import io
import zlib

import numpy as np
from PIL import Image

from leaktrace.core.item import Item
from leaktrace.core.limits import Budget, Limits
from leaktrace.core.lineage import Lineage
from leaktrace.core.plugin import ExtractContext
from leaktrace.extract.pdf import PdfExtractor


def pdf_with_images(*images: tuple[bytes, bytes]) -> bytes:
    """A one-page PDF drawing each ``(dictionary entries, stream)`` image XObject, by hand."""
    names = b" ".join(b"/Im%d %d 0 R" % (n, 5 + n) for n in range(len(images)))
    content = b" ".join(b"q 100 0 0 100 0 0 cm /Im%d Do Q" % n for n in range(len(images)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 150] /Contents 4 0 R "
        b"/Resources << /XObject << " + names + b" >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    for entries, stream in images:
        objects.append(
            b"<< /Type /XObject /Subtype /Image "
            + entries
            + b" /Length %d >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream"
        )
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def raw_rgb(pixels: np.ndarray) -> tuple[bytes, bytes]:
    height, width = pixels.shape[:2]
    entries = (
        b"/Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode"
    )
    return entries % (width, height), zlib.compress(pixels.tobytes())


def jpeg(pixels: np.ndarray) -> tuple[bytes, bytes]:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", quality=85)
    height, width = pixels.shape[:2]
    entries = b"/Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode"
    return entries % (width, height), buffer.getvalue()


def extract(data: bytes) -> tuple[list[tuple[str, bytes]], ExtractContext]:
    context = ExtractContext(Budget(Limits()))
    extraction = PdfExtractor().extract(Item(Lineage.root("a.pdf"), data), context)
    children = [(child.name, child.data) for child in extraction.children]
    return children, context


PIXELS = np.random.default_rng(3).integers(0, 256, (30, 40, 3), dtype=np.uint8)


def test_page_images_are_children_jpegs_as_stored_others_as_png() -> None:
    stored = jpeg(PIXELS)
    children, context = extract(pdf_with_images(stored, raw_rgb(PIXELS)))
    assert [name for name, _ in children] == ["<page 1 image 1>", "<page 1 image 2>"]
    assert children[0][1] == stored[1]  # the JPEG stream itself, not re-encoded
    with Image.open(io.BytesIO(children[1][1])) as decoded:
        assert decoded.format == "PNG"
        assert np.array_equal(np.asarray(decoded.convert("RGB")), PIXELS)
    assert context.drain() == []


def test_an_image_claiming_too_many_pixels_is_a_limit_notice() -> None:
    entries = b"/Width 100000 /Height 100000 /ColorSpace /DeviceGray /BitsPerComponent 8"
    entries += b" /Filter /FlateDecode"
    children, context = extract(
        pdf_with_images((entries, zlib.compress(b"\x00" * 100)), jpeg(PIXELS))
    )
    assert [name for name, _ in children] == ["<page 1 image 2>"]
    (notice,) = context.drain()
    assert (notice.detector, notice.rule, notice.member) == ("limit", "pixels", "<page 1 image 1>")


def test_a_broken_image_stream_is_an_error_notice_and_the_next_image_is_read() -> None:
    entries = (
        b"/Width 40 /Height 30 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode"
    )
    children, context = extract(pdf_with_images((entries, b"not zlib at all"), jpeg(PIXELS)))
    assert [name for name, _ in children] == ["<page 1 image 2>"]
    (notice,) = context.drain()
    assert (notice.detector, notice.rule, notice.member) == ("error", "corrupt", "<page 1 image 1>")
