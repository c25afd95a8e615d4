"""Trailing carver: data after a format's end (and before a zip that ends a file) is found,
named and inspected; a format's own structure (thumbnails, updates, comments) never is."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from leaktrace.core import mediatypes
from leaktrace.core.finding import Finding, Severity
from leaktrace.core.item import Item
from leaktrace.core.limits import Budget, Limits
from leaktrace.core.lineage import Lineage
from leaktrace.core.plugin import ExtractContext
from leaktrace.core.registry import Registry
from leaktrace.demo import carriers
from leaktrace.demo.builders import docx_bytes, pdf_bytes, zip_bytes
from leaktrace.extract.carve.ends import gif_layout, jpeg_layout, png_layout
from leaktrace.extract.carve.trailing import TrailingCarver
from tests.conftest import ScanBytes

HIDDEN = carriers.secret_zip()


def concealed(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.path, f.rule) for f in findings if f.detector == "concealment"]


def marked(findings: list[Finding]) -> set[str]:
    return {f.path for f in findings if f.detector == "marking"}


CARRIERS = {
    "photo.png": (lambda: carriers.image("PNG"), "PNG's IEND chunk"),
    "photo.jpg": (lambda: carriers.image("JPEG"), "JPEG's EOI marker"),
    "thumb.jpg": (carriers.jpeg_with_thumbnail, "JPEG's EOI marker"),
    "pair.mpo": (carriers.multi_picture, "JPEG's EOI marker"),
    "anim.gif": (lambda: carriers.image("GIF"), "GIF's trailer"),
    "scan.bmp": (lambda: carriers.image("BMP"), "BMP's declared size"),
    "pic.webp": (lambda: carriers.image("WEBP"), "RIFF WEBP's RIFF chunk end"),
    "report.pdf": (lambda: pdf_bytes("Annual report"), "PDF's last %%EOF"),
    "bundle.zip": (lambda: zip_bytes({"a.txt": b"hello"}), "zip archive's end of central"),
    "report.docx": (lambda: docx_bytes("Annual report"), "zip archive's end of central"),
    "box.7z": (lambda: carriers.sevenzip("nothing"), "7z archive's end of header"),
}


@pytest.mark.parametrize("name", sorted(CARRIERS))
def test_a_zip_appended_to_a_carrier_is_found_and_inspected(
    scan_bytes: ScanBytes, name: str
) -> None:
    build, end_marker = CARRIERS[name]
    carrier = build()
    report = scan_bytes(name, carrier + HIDDEN)
    child = f"{name}!<trailing data @0x{len(carrier):X}>"
    assert (name, "trailing-data") in concealed(report.findings)
    [notice] = [f for f in report.findings if f.rule == "trailing-data"]
    assert f"{len(HIDDEN)} bytes after the {end_marker}" in notice.message
    assert f"(at 0x{len(carrier):X}): application/zip" in notice.message
    assert notice.severity is Severity.MEDIUM
    assert f"{child}!secret.txt" in marked(report.findings)


def test_text_after_a_zip_is_seen(scan_bytes: ScanBytes) -> None:
    archive = zip_bytes({"a.txt": b"hello"})
    report = scan_bytes("bundle.zip", archive + b"\nCONFIDENTIAL: the board minutes\n")
    assert marked(report.findings) == {f"bundle.zip!<trailing data @0x{len(archive):X}>"}
    assert "text/plain" in report.findings[0].message


def test_data_prepended_to_a_zip_is_found_and_the_zip_still_read(scan_bytes: ScanBytes) -> None:
    notes = b"TOP SECRET notes\n" * 200
    report = scan_bytes("tool", notes + HIDDEN)
    assert concealed(report.findings) == [("tool", "trailing-data")]
    message = report.findings[0].message
    assert message.startswith("3,400 bytes before the zip archive that ends the file")
    assert message.endswith(": text/plain")
    assert marked(report.findings) == {"tool!<prepended data @0x0>", "tool!secret.txt"}


@pytest.mark.parametrize(
    "head",
    [b"#!/usr/bin/env python3\n", b"JM\x01\x00", b"\x00" * 64],
    ids=["zipapp", "jmod", "zeros"],
)
def test_known_zip_headers_are_not_flagged(scan_bytes: ScanBytes, head: bytes) -> None:
    report = scan_bytes("app.pyz", head + HIDDEN)
    assert concealed(report.findings) == []
    assert marked(report.findings) == {"app.pyz!secret.txt"}


def test_a_pdfs_incremental_updates_are_not_trailing_data(scan_bytes: ScanBytes) -> None:
    updated = carriers.pdf_update(pdf_bytes("Minutes of the meeting"), b"q 1 0 0 1 0 0 cm Q")
    assert updated.count(b"%%EOF") == 2
    assert concealed(scan_bytes("minutes.pdf", updated).findings) == []
    report = scan_bytes("minutes.pdf", updated + HIDDEN)
    assert (f"minutes.pdf!<trailing data @0x{len(updated):X}>!secret.txt") in marked(
        report.findings
    )


def docx_with_image() -> bytes:
    package = io.BytesIO(docx_bytes("A report with a photo"))
    with zipfile.ZipFile(package, "a") as archive:
        archive.writestr("word/media/image1.png", carriers.image("PNG"))
        archive.writestr("word/media/image2.jpeg", carriers.jpeg_with_thumbnail())
    return package.getvalue()


def pil_pdf() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((120, 90), 40).convert("RGB").save(buffer, "PDF")
    return buffer.getvalue()


CLEAN = {
    "clean.png": lambda: carriers.image("PNG"),
    "clean.jpg": lambda: carriers.image("JPEG"),
    "exif-thumbnail.jpg": carriers.jpeg_with_thumbnail,
    "pair.mpo": carriers.multi_picture,
    "clean.gif": lambda: carriers.image("GIF"),
    "clean.bmp": lambda: carriers.image("BMP"),
    "clean.webp": lambda: carriers.image("WEBP"),
    "images.pdf": pil_pdf,
    "padded.png": lambda: carriers.image("PNG") + b"\x00" * 4096,
    "stray.jpg": lambda: carriers.image("JPEG") + b"\x8a\x17junk",
    "commented.zip": lambda: zip_bytes({"a.txt": b"x"})[:-2] + b"\x05\x00hello",
    "with-images.docx": docx_with_image,
}


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_clean_files_are_not_flagged(scan_bytes: ScanBytes, name: str) -> None:
    report = scan_bytes(name, CLEAN[name]())
    assert concealed(report.findings) == []


def test_a_jpeg_thumbnail_is_inside_its_app1_segment() -> None:
    data = carriers.jpeg_with_thumbnail()
    layout = jpeg_layout(data)
    assert layout is not None and layout.end == len(data)
    thumbnail = data.index(b"\xff\xd8\xff", 2)
    assert layout.holds_thumbnail(thumbnail)
    assert data.count(b"\xff\xd9") >= 2  # the thumbnail's own EOI did not end the image


def test_truncated_images_have_no_end() -> None:
    png, gif, jpeg = carriers.image("PNG"), carriers.image("GIF"), carriers.image("JPEG")
    assert png_layout(png[:-20]) is None
    assert gif_layout(gif[:-1]) is None
    assert jpeg_layout(jpeg[:-2]) is None
    assert png_layout(png) is not None and gif_layout(gif) is not None


MEDIA_TYPES = [
    mediatypes.PNG,
    mediatypes.JPEG,
    mediatypes.GIF,
    mediatypes.BMP,
    mediatypes.WEBP,
    mediatypes.PDF,
    mediatypes.ZIP,
    mediatypes.SEVEN_ZIP,
    mediatypes.OCTET_STREAM,
]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    data=st.one_of(
        st.binary(max_size=600),
        st.sampled_from([b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", b"BM", b"RIFF"]).flatmap(
            lambda head: st.binary(max_size=300).map(lambda tail: head + tail)
        ),
    ),
    media_type=st.sampled_from(MEDIA_TYPES),
)
def test_arbitrary_bytes_never_crash_the_trailing_carver(
    registry: Registry, data: bytes, media_type: str
) -> None:
    context = ExtractContext(Budget(Limits()), registry.identify)
    item = Item(Lineage.root("x"), data + HIDDEN[:40], media_type)
    children = list(TrailingCarver().carve(item, context))
    assert all(0 < len(child.data) < len(item.data) for child in children)
