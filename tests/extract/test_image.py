"""Image metadata extractor: EXIF, GPS, XMP, PNG text chunks and comments, never pixels."""

from __future__ import annotations

import contextlib
import io
import struct
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError
from leaktrace.core.limits import Limits
from leaktrace.extract.image import ImageMetadataExtractor, sniff_image
from tests.extract.test_mail import open_item, problems, scan, seen

XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
    b' xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Secret Scanner 2">'
    b"<dc:creator><rdf:Seq><rdf:li>Jane Photographer</rdf:li></rdf:Seq></dc:creator>"
    b'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Site plan</rdf:li></rdf:Alt></dc:title>'
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    b'<?xpacket end="w"?>'
)


def sample_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010E] = "Lab bench photo"  # ImageDescription
    exif[0x010F] = "Canon"  # Make
    exif[0x0110] = "EOS 5D"  # Model
    exif[0x013B] = "J. Doe"  # Artist
    exif[0x8298] = "(c) Example Org"  # Copyright
    exif[0x9C9C] = "Windows comment".encode("utf-16-le") + b"\x00\x00"  # XPComment
    exif[0x9C9E] = "secret;plan".encode("utf-16-le")  # XPKeywords
    details = exif.get_ifd(0x8769)
    details[0xA431] = "SN-0042"  # BodySerialNumber
    details[0x9286] = b"ASCII\x00\x00\x00user comment here"  # UserComment
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (48.0, 51.0, 29.6), 3: "W", 4: (2.0, 17.0, 40.2)})
    return exif


def small_image() -> Image.Image:
    return Image.new("RGB", (32, 16), (200, 10, 10))


def jpeg_with_metadata() -> bytes:
    buffer = io.BytesIO()
    small_image().save(
        buffer, "JPEG", exif=sample_exif().tobytes(), comment=b"JPEG comment", xmp=XMP
    )
    return buffer.getvalue()


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload))
    )


def png_with_text() -> bytes:
    info = PngInfo()
    info.add_text("Author", "Alice")
    info.add_text("Description", "compressed secret", zip=True)
    info.add_itxt("Title", "Gr\u00fc\u00dfe", lang="de", tkey="Titel", zip=True)
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    buffer = io.BytesIO()
    small_image().save(buffer, "PNG", pnginfo=info)
    data = buffer.getvalue()
    late = png_chunk(b"tEXt", b"Comment\x00written after the pixels")
    return data[:-12] + late + data[-12:]  # before IEND


def png_header(width: int, height: int, *chunks: bytes) -> bytes:
    ihdr = png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    idat = png_chunk(b"IDAT", zlib.compress(b"\x00" * 16))
    return b"\x89PNG\r\n\x1a\n" + ihdr + b"".join(chunks) + idat + png_chunk(b"IEND", b"")


def saved(image: Image.Image, image_format: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def test_jpeg_exif_gps_xmp_and_comment() -> None:
    report = scan("photo.jpg", jpeg_with_metadata())
    text = seen(report)["photo.jpg"]
    for line in (
        "ImageDescription: Lab bench photo",
        "Make: Canon",
        "Model: EOS 5D",
        "Artist: J. Doe",
        "Copyright: (c) Example Org",
        "XPComment: Windows comment",
        "XPKeywords: secret;plan",
        "BodySerialNumber: SN-0042",
        "UserComment: user comment here",
        "GPSLatitude: 48.858222",
        "GPSLongitude: -2.294500",
        "Comment: JPEG comment",
        "XMP creator: Jane Photographer",
        "XMP title: Site plan",
        "XMP CreatorTool: Secret Scanner 2",
    ):
        assert line in text.splitlines()
    assert problems(report) == []


def test_jpeg_metadata_fields() -> None:
    extraction = ImageMetadataExtractor().extract
    from leaktrace.core.item import Item
    from leaktrace.core.limits import Budget
    from leaktrace.core.lineage import Lineage
    from leaktrace.core.plugin import ExtractContext

    result = extraction(
        Item(Lineage.root("x.jpg"), jpeg_with_metadata(), mediatypes.JPEG),
        ExtractContext(Budget(Limits())),
    )
    assert dict(result.metadata) == {
        "width": "32",
        "height": "16",
        "format": "JPEG",
        "camera_make": "Canon",
        "camera_model": "EOS 5D",
        "camera_serial": "SN-0042",
        "gps_lat": "48.858222",
        "gps_lon": "-2.294500",
    }


def test_png_text_chunks_everywhere() -> None:
    text, children, notices = open_item(ImageMetadataExtractor(), png_with_text(), mediatypes.PNG)
    assert text is not None
    lines = text.splitlines()
    for line in (
        "Author: Alice",
        "Description: compressed secret",
        "Title: Gr\u00fc\u00dfe",
        "XMP creator: Jane Photographer",
        "Comment: written after the pixels",
    ):
        assert line in lines
    assert children == []
    assert notices == []


def test_png_exif_chunk() -> None:
    data = saved(small_image(), "PNG", exif=sample_exif().tobytes())
    text, _, _ = open_item(ImageMetadataExtractor(), data, mediatypes.PNG)
    assert text is not None
    assert "Artist: J. Doe" in text.splitlines()
    assert "GPSLatitude: 48.858222" in text.splitlines()


@pytest.mark.parametrize(
    ("data", "media_type", "line"),
    [
        (
            saved(small_image(), "GIF", comment=b"gif comment"),
            mediatypes.GIF,
            "Comment: gif comment",
        ),
        (
            saved(small_image(), "TIFF", tiffinfo={270: "tiff description"}),
            mediatypes.TIFF,
            "ImageDescription: tiff description",
        ),
        (
            saved(small_image(), "WEBP", exif=sample_exif().tobytes()),
            mediatypes.WEBP,
            "Artist: J. Doe",
        ),
    ],
)
def test_other_formats(data: bytes, media_type: str, line: str) -> None:
    assert sniff_image(data[:8192]) == media_type
    text, _, _ = open_item(ImageMetadataExtractor(), data, media_type)
    assert text is not None
    assert line in text.splitlines()


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "BMP", "GIF"])
def test_images_without_metadata_have_no_text(image_format: str) -> None:
    data = saved(small_image(), image_format)
    report = scan(f"plain.{image_format.lower()}", data)
    assert seen(report) == {f"plain.{image_format.lower()}": ""}
    assert problems(report) == []
    text, children, notices = open_item(ImageMetadataExtractor(), data, mediatypes.OCTET_STREAM)
    assert (text, children, notices) == (None, [], [])


def test_decompression_bomb_header_is_a_limit() -> None:
    data = png_header(100_000, 100_000, png_chunk(b"tEXt", b"Author\x00still read"))
    report = scan("bomb.png", data)
    assert ("bomb.png", "limit", "pixels") in problems(report)
    assert "Author: still read" in seen(report)["bomb.png"]


def test_moderately_large_claim_is_a_limit_too() -> None:
    data = png_header(10_000, 10_000)  # 100 M pixels: Pillow only warns
    report = scan("big.png", data)
    assert ("big.png", "limit", "pixels") in problems(report)


def test_text_chunk_bomb_is_a_limit() -> None:
    bomb = b"Comment\x00\x00" + zlib.compress(b"\x00" * (8 * 1024 * 1024), 9)
    data = png_header(4, 4, png_chunk(b"zTXt", bomb), png_chunk(b"tEXt", b"Author\x00after"))
    report = scan("ztxt.png", data)
    assert ("ztxt.png", "limit", "ratio") in problems(report)
    assert "Author: after" in seen(report)["ztxt.png"]


def test_xmp_entities_are_refused() -> None:
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaa">]>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/">&a;</x:xmpmeta>'
    )
    data = saved(small_image(), "JPEG", xmp=evil)
    report = scan("evil.jpg", data)
    assert ("evil.jpg", "error", "corrupt") in problems(report)
    assert "aaaaaaaa" not in seen(report)["evil.jpg"]


def test_corrupt_exif_is_a_notice() -> None:
    data = saved(small_image(), "JPEG", exif=b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\xff\xff")
    report = scan("bad.jpg", data)
    assert "bad.jpg" in seen(report)


@pytest.mark.parametrize(
    ("head", "media_type"),
    [
        (b"\xff\xd8\xff\xe0", mediatypes.JPEG),
        (b"\x89PNG\r\n\x1a\n", mediatypes.PNG),
        (b"GIF87a", mediatypes.GIF),
        (b"GIF89a", mediatypes.GIF),
        (b"II*\x00\x08\x00", mediatypes.TIFF),
        (b"MM\x00*\x00\x00", mediatypes.TIFF),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", mediatypes.WEBP),
        (b"BM" + struct.pack("<IHHII", 70, 0, 0, 54, 40) + b"\x00" * 12, mediatypes.BMP),
        (b"BMW is a car maker, said the text file at length.", None),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", None),
        (b"", None),
    ],
)
def test_sniffing(head: bytes, media_type: str | None) -> None:
    assert sniff_image(head) == media_type


@pytest.mark.parametrize("cut", [3, 20, 100, 300])
def test_truncated_jpeg(cut: int) -> None:
    data = jpeg_with_metadata()[:cut]
    try:
        open_item(ImageMetadataExtractor(), data, mediatypes.JPEG)
    except ItemError as error:
        assert "corrupt" in str(error)


def test_garbage_after_signature_is_an_item_error() -> None:
    with pytest.raises(ItemError):
        open_item(ImageMetadataExtractor(), b"\xff\xd8\xff" + b"\x00" * 50, mediatypes.JPEG)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from([b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF89a", b"II*\x00", b"MM\x00*"]),
    st.binary(max_size=1500),
)
def test_arbitrary_bytes_never_crash(signature: bytes, data: bytes) -> None:
    with contextlib.suppress(ItemError):
        open_item(ImageMetadataExtractor(), signature + data, mediatypes.OCTET_STREAM)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["jpeg", "png"]), st.data())
def test_mutated_images_never_crash(kind: str, draw: st.DataObject) -> None:
    data = bytearray(jpeg_with_metadata() if kind == "jpeg" else png_with_text())
    for _ in range(draw.draw(st.integers(1, 10))):
        position = draw.draw(st.integers(0, len(data) - 1))
        data[position] = draw.draw(st.integers(0, 255))
    with contextlib.suppress(ItemError):
        open_item(ImageMetadataExtractor(), bytes(data), mediatypes.OCTET_STREAM)
