"""Embedded carver: files hidden inside other files and polyglots are found, carved to their
own end and inspected; thumbnails, PDF images, container members and resources are not."""

from __future__ import annotations

import io
import random
import struct
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from leaktrace.core import mediatypes
from leaktrace.core.finding import Severity
from leaktrace.core.item import Item
from leaktrace.core.limits import Budget, Limits
from leaktrace.core.lineage import Lineage
from leaktrace.core.plugin import ExtractContext
from leaktrace.core.registry import Registry
from leaktrace.demo import carriers
from leaktrace.demo.builders import docx_bytes, pdf_bytes, zip_bytes
from leaktrace.extract.carve.embedded import MAX_EMBEDDED, EmbeddedCarver
from leaktrace.extract.carve.signatures import SIGNATURES, find_signatures
from tests.conftest import ScanBytes
from tests.extract.test_trailing import concealed, marked

HIDDEN = carriers.secret_zip()
HIDDEN_PDF = pdf_bytes(carriers.HIDDEN_TEXT)
NOISE = random.Random(7).randbytes(4000)


def offset_of(data: bytes, part: bytes) -> str:
    return f"0x{data.index(part):X}"


EMBEDDINGS = {
    "chunk.png": lambda: carriers.png_chunk(carriers.image("PNG"), HIDDEN),
    "comment.jpg": lambda: carriers.jpeg_segment(carriers.image("JPEG"), HIDDEN),
    "app9.jpg": lambda: carriers.jpeg_segment(carriers.image("JPEG"), HIDDEN, 0xE9),
    "pixels.bmp": lambda: carriers.bmp_pixels(carriers.image("BMP", (128, 96)), HIDDEN),
    "updated.pdf": lambda: carriers.pdf_update(pdf_bytes("Minutes"), HIDDEN),
    "data.bin": lambda: NOISE + HIDDEN + NOISE,
}


@pytest.mark.parametrize("name", sorted(EMBEDDINGS))
def test_a_hidden_zip_is_carved_and_inspected(scan_bytes: ScanBytes, name: str) -> None:
    data = EMBEDDINGS[name]()
    report = scan_bytes(name, data)
    # A zip written into a bitmap's pixels also looks like random low bits: the pixel analysis
    # may see it too (how strongly depends on the cover image), and rightly.
    found = concealed(report.findings)
    also = {(name, "stego")} if name.endswith(".bmp") else set()
    assert (name, "embedded-file") in found and set(found) <= {(name, "embedded-file")} | also
    [notice] = [f for f in report.findings if f.rule == "embedded-file"]
    offset = offset_of(data, HIDDEN)
    assert notice.message.startswith(f"zip archive of {len(HIDDEN)} bytes hidden at {offset}")
    assert notice.severity is Severity.MEDIUM
    assert marked(report.findings) == {f"{name}!<embedded zip @{offset}>!secret.txt"}


@pytest.mark.parametrize(
    ("name", "kind", "payload"),
    [
        ("report.jpg", "pdf", NOISE[:1500] + HIDDEN_PDF),
        ("box.png", "7z", carriers.sevenzip()),
        ("memo.bin", "pdf", NOISE + HIDDEN_PDF + NOISE),
    ],
)
def test_other_formats_are_carved_too(
    scan_bytes: ScanBytes, name: str, kind: str, payload: bytes
) -> None:
    carrier = {
        "jpg": lambda: carriers.jpeg_segment(carriers.image("JPEG"), payload),
        "png": lambda: carriers.png_chunk(carriers.image("PNG"), payload),
        "bin": lambda: payload,
    }[name.rsplit(".", 1)[1]]()
    report = scan_bytes(name, carrier)
    start = HIDDEN_PDF if kind == "pdf" else payload
    child = f"{name}!<embedded {kind} @{offset_of(carrier, start[:16])}>"
    assert (name, "embedded-file") in concealed(report.findings)
    assert any(path.startswith(child) for path in marked(report.findings))


def test_a_pdf_zip_polyglot_is_read_both_ways(scan_bytes: ScanBytes) -> None:
    data = carriers.pdf_zip_polyglot("Public paper about bridges", HIDDEN)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # a zip reader opens it as it is
        assert archive.namelist() == ["secret.txt"]
    report = scan_bytes("paper.pdf", data)
    assert concealed(report.findings) == [("paper.pdf", "polyglot")]
    [notice] = [f for f in report.findings if f.detector == "concealment"]
    assert notice.severity is Severity.HIGH
    assert "PDF document is also a zip archive" in notice.message
    child = f"paper.pdf!<polyglot zip @{offset_of(data, b'PK')}>"
    assert marked(report.findings) == {f"{child}!secret.txt"}


def test_a_gifar_is_a_polyglot_and_trailing_data(scan_bytes: ScanBytes) -> None:
    gif = carriers.image("GIF")
    report = scan_bytes("avatar.gif", gif + HIDDEN)
    assert sorted(concealed(report.findings)) == [
        ("avatar.gif", "polyglot"),
        ("avatar.gif", "trailing-data"),
    ]
    assert marked(report.findings) == {f"avatar.gif!<trailing data @0x{len(gif):X}>!secret.txt"}


def test_a_png_with_a_pdf_in_its_first_kib_is_a_polyglot(scan_bytes: ScanBytes) -> None:
    data = carriers.png_pdf_polyglot(carriers.image("PNG"), HIDDEN_PDF)
    report = scan_bytes("figure.png", data)
    assert ("figure.png", "polyglot") in concealed(report.findings)
    reading = "figure.png!<polyglot png @0x0>"
    assert f"{reading}!<embedded pdf @{offset_of(data, b'%PDF')}>" in marked(report.findings)


def test_a_zip_whose_first_member_is_a_pdf_is_read_as_both(scan_bytes: ScanBytes) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("cover.pdf", pdf_bytes("Cover page"))
        archive.writestr("secret.txt", carriers.HIDDEN_TEXT)
    report = scan_bytes("cover.pdf", buffer.getvalue())
    assert ("cover.pdf", "polyglot") in concealed(report.findings)
    assert "cover.pdf!<polyglot zip @0x0>!secret.txt" in marked(report.findings)


def exif_png() -> bytes:
    thumbnail_jpeg = carriers.jpeg_with_thumbnail()
    exif = thumbnail_jpeg[thumbnail_jpeg.index(b"II*\x00") :]
    return carriers.png_chunk(carriers.image("PNG"), exif, b"eXIf")


def pil_pdf() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((120, 90), 40).convert("RGB").save(buffer, "PDF")
    return buffer.getvalue()


def icon_binary() -> bytes:
    """An executable-like blob carrying icons and compressed resources, as programs do."""
    import gzip

    return (
        b"\x7fELF\x02\x01\x01"
        + bytes(9)
        + NOISE
        + carriers.image("PNG")
        + NOISE
        + carriers.image("JPEG")
        + gzip.compress(b"resource " * 100)
    )


CLEAN = {
    "thumbnail.jpg": carriers.jpeg_with_thumbnail,
    "pair.mpo": carriers.multi_picture,
    "exif.png": exif_png,
    "images.pdf": pil_pdf,
    "program": icon_binary,
    "photos.zip": lambda: zip_bytes(
        {"word/document.xml": b"<w/>", "word/media/a.png": carriers.image("PNG")}
    ),
    "report.docx": lambda: docx_bytes("A report"),
    "fake.bin": lambda: NOISE + b"PK\x03\x04" + NOISE + b"%PDF-1.4" + NOISE + b"\xff\xd8\xff\xe0",
}


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_legitimate_embeddings_are_not_flagged(scan_bytes: ScanBytes, name: str) -> None:
    assert concealed(scan_bytes(name, CLEAN[name]()).findings) == []


def test_the_number_of_carved_files_is_bounded(registry: Registry) -> None:
    zips = (NOISE[:100] + zip_bytes({f"f{i}.txt": b"x"}) for i in range(MAX_EMBEDDED + 4))
    data = b"".join(zips) + NOISE[:100]
    context = ExtractContext(Budget(Limits()), registry.identify)
    children = list(EmbeddedCarver().carve(Item(Lineage.root("x"), data), context))
    assert len(children) == MAX_EMBEDDED
    notices = context.drain()
    assert [(n.detector, n.rule) for n in notices][-1] == ("limit", "embedded")


def test_one_pass_finds_every_signature_in_offset_order() -> None:
    data = b"".join(NOISE[:50] + signature.magic for signature in SIGNATURES)
    hits = find_signatures(data)
    assert [signature.kind for _, signature in hits] == [s.kind for s in SIGNATURES]
    assert all(data.startswith(signature.magic, offset) for offset, signature in hits)
    assert len(find_signatures(b"PK\x03\x04" * 50, limit=10)) == 10


MEDIA_TYPES = [
    mediatypes.PNG,
    mediatypes.JPEG,
    mediatypes.GIF,
    mediatypes.BMP,
    mediatypes.PDF,
    mediatypes.TEXT,
    mediatypes.OCTET_STREAM,
]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    parts=st.lists(
        st.one_of(st.binary(max_size=80), st.sampled_from([s.magic for s in SIGNATURES])),
        max_size=12,
    ),
    media_type=st.sampled_from(MEDIA_TYPES),
)
def test_arbitrary_bytes_never_crash_the_embedded_carver(
    registry: Registry, parts: list[bytes], media_type: str
) -> None:
    data = b"".join(parts) + struct.pack("<I", len(parts))
    context = ExtractContext(Budget(Limits()), registry.identify)
    item = Item(Lineage.root("x"), data, media_type)
    for child in EmbeddedCarver().carve(item, context):
        assert 0 < len(child.data) <= len(data)


def test_a_tar_whose_first_member_is_a_pdf_is_an_archive_not_a_polyglot(
    scan_bytes: ScanBytes,
) -> None:
    import io
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        data = pdf_bytes("Minutes")
        info = tarfile.TarInfo("minutes.pdf")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    report = scan_bytes("papers.tar", buffer.getvalue())
    assert [f for f in report.findings if f.detector == "concealment"] == []
    assert report.media_types.get("application/pdf") == 1
