"""Smuggling techniques as code: real files that hide a payload, for tests, benchmarks and demos.

Each function returns the bytes of one carrier hiding ``payload`` one way (appended after the
end, inside a chunk or segment, as a second format, encoded in text, encrypted, renamed).
:func:`samples` lists a corpus of every technique in several carriers, each hiding a text
marked CONFIDENTIAL (see ``bench/concealment.py``).
"""

from __future__ import annotations

import base64
import io
import random
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image

from leaktrace.demo.builders import docx_bytes, email_bytes, pdf_bytes, zip_bytes

HIDDEN_TEXT = "CONFIDENTIAL\nMerger plan for the board: do not distribute outside the deal team.\n"


# -- clean carriers -----------------------------------------------------------------------------


def image(kind: str, size: tuple[int, int] = (64, 48), seed: int = 0, **options: object) -> bytes:
    """A small noisy picture saved by Pillow as ``kind`` (PNG, JPEG, GIF, BMP, WEBP, MPO...)."""
    rng = np.random.default_rng(seed)  # seeded: Pillow's effect_noise is not reproducible
    noise = rng.normal(128, 30 + seed % 20, (size[1], size[0]))
    picture = Image.fromarray(np.clip(noise, 0, 255).astype(np.uint8)).convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, kind, **options)
    return buffer.getvalue()


def jpeg_with_thumbnail(seed: int = 0) -> bytes:
    """A JPEG whose EXIF block (APP1) carries a JPEG thumbnail, with the thumbnail's own EOI."""
    thumbnail = image("JPEG", (16, 12), seed)
    # TIFF header, IFD0 with no entries pointing to IFD1, IFD1 naming the thumbnail's place.
    ifd1 = 8 + 6
    data_at = ifd1 + 2 + 2 * 12 + 4
    tiff = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<HI", 0, ifd1)
    tiff += struct.pack("<H", 2)
    tiff += struct.pack("<HHII", 0x0201, 4, 1, data_at)
    tiff += struct.pack("<HHII", 0x0202, 4, 1, len(thumbnail))
    tiff += struct.pack("<I", 0) + thumbnail
    return jpeg_segment(image("JPEG", seed=seed), b"Exif\x00\x00" + tiff, marker=0xE1)


def multi_picture(seed: int = 0) -> bytes:
    """A multi-picture (MPO) file: several complete JPEGs, declared in the first one's APP2."""
    second = Image.effect_noise((64, 48), 25).convert("RGB")
    return image("MPO", seed=seed, save_all=True, append_images=[second])


def secret_zip(text: str = HIDDEN_TEXT, name: str = "secret.txt") -> bytes:
    return zip_bytes({name: text.encode()})


# -- hiding inside a structure ------------------------------------------------------------------


def png_chunk(png: bytes, payload: bytes, kind: bytes = b"prVW") -> bytes:
    """A private ancillary chunk holding ``payload``, inserted before IEND (valid CRC)."""
    chunk = struct.pack(">I", len(payload)) + kind + payload
    chunk += struct.pack(">I", zlib.crc32(kind + payload))
    end = png.rindex(b"IEND") - 4
    return png[:end] + chunk + png[end:]


def jpeg_segment(jpeg: bytes, payload: bytes, marker: int = 0xFE) -> bytes:
    """A segment (a COM comment by default) holding ``payload`` right after SOI."""
    if len(payload) > 0xFFFD:
        raise ValueError("one JPEG segment holds at most 65533 bytes")
    segment = bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload
    return jpeg[:2] + segment + jpeg[2:]


def bmp_pixels(bmp: bytes, payload: bytes) -> bytes:
    """``payload`` written over the middle of a BMP's pixel array."""
    (pixels,) = struct.unpack_from("<I", bmp, 10)
    start = pixels + (len(bmp) - pixels - len(payload)) // 2
    if start < pixels:
        raise ValueError("payload larger than the pixel array")
    return bmp[:start] + payload + bmp[start + len(payload) :]


def pdf_update(pdf: bytes, stream: bytes, dictionary: bytes = b"") -> bytes:
    """An incremental update adding one (unreferenced) stream object: a legitimate way to
    change a PDF, and a way to tuck a file into it."""
    previous = int(pdf.rsplit(b"startxref", 1)[1].split()[0])
    number = int(pdf.split(b"/Size ", 1)[1].split()[0])
    body = b"%d 0 obj\n<< /Length %d %s>>\nstream\n" % (number, len(stream), dictionary)
    body += stream + b"\nendstream\nendobj\n"
    offset = len(pdf)
    xref = offset + len(body)
    update = body + b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (number, offset)
    update += b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\n" % (number + 1, previous)
    update += b"startxref\n%d\n%%%%EOF\n" % xref
    return pdf + update


# -- polyglots ----------------------------------------------------------------------------------


def pdf_zip_polyglot(text: str, archive: bytes) -> bytes:
    """A PDF holding a zip in a stream object; the zip's comment covers the PDF's tail, so its
    end record ends the file and zip readers open it too."""
    marker = b"__ZIP__"
    pdf = pdf_update(pdf_bytes(text), marker)
    start = pdf.index(marker)
    tail = pdf[start + len(marker) :]
    patched = archive[:-2] + struct.pack("<H", len(tail))  # the comment length
    pdf = pdf[:start] + patched + tail
    # The stream's /Length and the update's xref offset are unchanged in meaning: fix /Length.
    return pdf.replace(b"/Length %d " % len(marker), b"/Length %d " % len(patched), 1)


def png_pdf_polyglot(png: bytes, pdf: bytes) -> bytes:
    """A PNG whose first chunk after IHDR holds a PDF: PDF readers accept a header anywhere in
    the first KiB and look for ``%%EOF`` near the end, which the few PNG bytes after it allow."""
    ihdr_end = 8 + 25
    kind = b"pdFx"
    chunk = struct.pack(">I", len(pdf)) + kind + pdf + struct.pack(">I", zlib.crc32(kind + pdf))
    return png[:ihdr_end] + chunk + png[ihdr_end:]


# -- encodings ----------------------------------------------------------------------------------


def base64_text(payload: bytes, wrap: int = 0, url_safe: bool = False) -> str:
    """Prose with ``payload`` as one base64 blob (MIME-wrapped when ``wrap`` is given)."""
    encoded = (base64.urlsafe_b64encode if url_safe else base64.b64encode)(payload).decode()
    if wrap:
        encoded = "\n".join(encoded[i : i + wrap] for i in range(0, len(encoded), wrap))
    return f"Notes from the meeting.\nAttachment follows:\n{encoded}\nRegards,\nSam\n"


def hex_text(payload: bytes) -> str:
    return f"id,blob\n1,{payload.hex()}\n2,none\n"


def quoted_printable_text(text: str) -> str:
    """``text`` with every letter quoted (``=43=4F...``), as a filter-dodging sender would."""
    encoded = "".join(f"={ord(c):02X}" if c.isalpha() else c for c in text)
    return f"Forwarded text below.\n\n{_soft_wrap(encoded)}\n\nThanks\n"


def _soft_wrap(text: str, width: int = 60) -> str:
    lines = []
    for line in text.split("\n"):
        pieces = [line[i : i + width] for i in range(0, len(line), width)] or [""]
        while any(p.endswith(("=", "=0", "=4", "=5")) for p in pieces[:-1]):
            width -= 1  # never split an escape
            pieces = [line[i : i + width] for i in range(0, len(line), width)]
        lines.append("=\n".join(pieces))
    return "\n".join(lines)


# -- encryption ---------------------------------------------------------------------------------


class _ZipCrypto:
    """The traditional PKWARE stream cipher (APPNOTE 6.1), for writing test archives."""

    def __init__(self, password: bytes) -> None:
        self.keys = [0x12345678, 0x23456789, 0x34567890]
        for byte in password:
            self._update(byte)

    @staticmethod
    def _crc(crc: int, byte: int) -> int:
        return ~zlib.crc32(bytes([byte]), ~crc & 0xFFFFFFFF) & 0xFFFFFFFF

    def _update(self, byte: int) -> None:
        k0, k1, k2 = self.keys
        k0 = self._crc(k0, byte)
        k1 = ((k1 + (k0 & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        k2 = self._crc(k2, k1 >> 24)
        self.keys = [k0, k1, k2]

    def encrypt(self, data: bytes) -> bytes:
        out = bytearray()
        for byte in data:
            temp = (self.keys[2] | 2) & 0xFFFF
            out.append(byte ^ (((temp * (temp ^ 1)) >> 8) & 0xFF))
            self._update(byte)
        return bytes(out)


def zipcrypto_zip(name: str, data: bytes, password: bytes, seed: int = 0) -> bytes:
    """A zip with one stored member encrypted with ZipCrypto (``zipfile`` can read it back)."""
    crc = zlib.crc32(data)
    header = random.Random(seed).randbytes(11) + bytes([crc >> 24])
    encrypted = _ZipCrypto(password).encrypt(header + data)
    raw = name.encode()
    fields = struct.pack("<HHHHHIIIH", 20, 1, 0, 0, 0x21, crc, len(encrypted), len(data), len(raw))
    local = b"PK\x03\x04" + fields + b"\x00\x00" + raw + encrypted
    central = (
        b"PK\x01\x02"
        + struct.pack("<H", 20)
        + fields
        + struct.pack("<HHHHII", 0, 0, 0, 0, 0, 0)
        + raw
    )
    end = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 1, 1, len(central), len(local), 0)
    return local + central + end


def encrypted_pdf(text: str, password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(text))))
    writer.encrypt(user_password=password, owner_password=password + "!", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def encrypted_7z(text: str, password: str, header_encryption: bool) -> bytes:
    import py7zr

    buffer = io.BytesIO()
    with py7zr.SevenZipFile(
        buffer, "w", password=password, header_encryption=header_encryption
    ) as archive:
        archive.writestr(text.encode(), "secret.txt")
    return buffer.getvalue()


def sevenzip(text: str = HIDDEN_TEXT) -> bytes:
    import py7zr

    buffer = io.BytesIO()
    with py7zr.SevenZipFile(buffer, "w") as archive:
        archive.writestr(text.encode(), "secret.txt")
    return buffer.getvalue()


# -- the corpus ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sample:
    technique: str
    rule: str
    name: str
    data: bytes
    hidden: bool = True
    """A marked text is hidden inside: the scan should report it below the carrier."""


def _elf(rng: random.Random) -> bytes:
    return b"\x7fELF\x02\x01\x01" + bytes(9) + rng.randbytes(2000)


def samples(rng: random.Random) -> list[Sample]:
    """Every technique in several carriers, each hiding :data:`HIDDEN_TEXT` (seeded)."""
    seed = rng.randrange(1000)
    hidden_zip = secret_zip()
    hidden_pdf = pdf_bytes(HIDDEN_TEXT)
    text_docx = docx_bytes(HIDDEN_TEXT)
    made: list[tuple[str, str, str, Callable[[], bytes], bool]] = [
        (
            "appended after end",
            "trailing-data",
            "photo.png",
            lambda: image("PNG", seed=seed) + hidden_zip,
            True,
        ),
        (
            "appended after end",
            "trailing-data",
            "photo.jpg",
            lambda: image("JPEG", seed=seed) + text_docx,
            True,
        ),
        (
            "appended after end",
            "trailing-data",
            "thumb.jpg",
            lambda: jpeg_with_thumbnail(seed) + hidden_zip,
            True,
        ),
        (
            "appended after end",
            "trailing-data",
            "anim.gif",
            lambda: image("GIF", seed=seed) + hidden_pdf,
            True,
        ),
        (
            "appended after end",
            "trailing-data",
            "scan.bmp",
            lambda: image("BMP", seed=seed) + hidden_zip,
            True,
        ),
        (
            "appended after end",
            "trailing-data",
            "pic.webp",
            lambda: image("WEBP", seed=seed) + hidden_zip,
            True,
        ),
        (
            "appended after end",
            "trailing-data",
            "report.pdf",
            lambda: pdf_bytes("Annual report") + hidden_zip,
            True,
        ),
        (
            "appended after end",
            "trailing-data",
            "bundle.zip",
            lambda: zip_bytes({"a.txt": b"hello"}) + HIDDEN_TEXT.encode(),
            True,
        ),
        ("prepended before zip", "trailing-data", "tool", lambda: _elf(rng) + hidden_zip, True),
        (
            "embedded inside",
            "embedded-file",
            "chunk.png",
            lambda: png_chunk(image("PNG", seed=seed), hidden_zip),
            True,
        ),
        (
            "embedded inside",
            "embedded-file",
            "comment.jpg",
            lambda: jpeg_segment(image("JPEG", seed=seed), hidden_zip),
            True,
        ),
        (
            "embedded inside",
            "embedded-file",
            "app9.jpg",
            lambda: jpeg_segment(image("JPEG", seed=seed), hidden_pdf, 0xE9),
            True,
        ),
        (
            "embedded inside",
            "embedded-file",
            "sevenzip.jpg",
            lambda: jpeg_segment(image("JPEG", seed=seed), sevenzip()),
            True,
        ),
        (
            "embedded inside",
            "embedded-file",
            "pixels.bmp",
            lambda: bmp_pixels(image("BMP", (128, 96), seed), hidden_zip),
            True,
        ),
        (
            "embedded inside",
            "embedded-file",
            "updated.pdf",
            lambda: pdf_update(pdf_bytes("Minutes"), hidden_zip),
            True,
        ),
        (
            "embedded inside",
            "embedded-file",
            "data.bin",
            lambda: rng.randbytes(3000) + hidden_zip + rng.randbytes(3000),
            True,
        ),
        (
            "polyglot",
            "polyglot",
            "paper.pdf",
            lambda: pdf_zip_polyglot("Public paper", hidden_zip),
            True,
        ),
        ("polyglot", "polyglot", "gifar.gif", lambda: image("GIF", seed=seed) + hidden_zip, True),
        (
            "polyglot",
            "polyglot",
            "figure.png",
            lambda: png_pdf_polyglot(image("PNG", seed=seed), hidden_pdf),
            True,
        ),
        (
            "encoded in text",
            "encoded-payload",
            "notes.txt",
            lambda: base64_text(HIDDEN_TEXT.encode() * 2).encode(),
            True,
        ),
        (
            "encoded in text",
            "encoded-payload",
            "wrapped.md",
            lambda: base64_text(hidden_zip, wrap=76).encode(),
            True,
        ),
        (
            "encoded in text",
            "encoded-payload",
            "urlsafe.eml",
            lambda: email_bytes(
                "a@example.org", "b@example.org", "hi", base64_text(hidden_zip, url_safe=True)
            ),
            True,
        ),
        (
            "encoded in text",
            "encoded-payload",
            "table.csv",
            lambda: hex_text(HIDDEN_TEXT.encode()).encode(),
            True,
        ),
        (
            "encoded in text",
            "encoded-payload",
            "forward.txt",
            lambda: quoted_printable_text(HIDDEN_TEXT).encode(),
            True,
        ),
        (
            "encoded in text",
            "encoded-payload",
            "memo.docx",
            lambda: docx_bytes(base64_text(hidden_zip)),
            True,
        ),
        (
            "encrypted container",
            "encrypted",
            "locked.zip",
            lambda: zipcrypto_zip("secret.txt", HIDDEN_TEXT.encode(), b"pw", seed),
            False,
        ),
        (
            "encrypted container",
            "encrypted",
            "locked.pdf",
            lambda: encrypted_pdf(HIDDEN_TEXT, "pw"),
            False,
        ),
        (
            "encrypted container",
            "encrypted",
            "members.7z",
            lambda: encrypted_7z(HIDDEN_TEXT, "pw", False),
            False,
        ),
        (
            "encrypted container",
            "encrypted",
            "headers.7z",
            lambda: encrypted_7z(HIDDEN_TEXT, "pw", True),
            False,
        ),
        ("type mismatch", "type-mismatch", "cat.jpg", lambda: hidden_pdf, False),
        ("type mismatch", "type-mismatch", "notes.txt", lambda: hidden_zip, False),
        ("type mismatch", "type-mismatch", "photo.png", lambda: text_docx, False),
        ("type mismatch", "type-mismatch", "report.pdf", lambda: _elf(rng), False),
        ("type mismatch", "type-mismatch", "holiday.jpg", lambda: HIDDEN_TEXT.encode() * 3, False),
        ("type mismatch", "type-mismatch", "song.mp3", lambda: hidden_zip, False),
    ]
    return [Sample(t, r, n, build(), hidden) for t, r, n, build, hidden in made]


# -- pixels -------------------------------------------------------------------------------------


def lsb_replace(
    samples: npt.NDArray[np.uint8], rate: float, rng: np.random.Generator
) -> npt.NDArray[np.uint8]:
    """LSB replacement: a random share ``rate`` of the samples get a random lowest bit."""
    flat = samples.flatten()
    chosen = rng.choice(flat.size, round(rate * flat.size), replace=False)
    flat[chosen] = (flat[chosen] & 0xFE) | rng.integers(0, 2, chosen.size, dtype=np.uint8)
    return flat.reshape(samples.shape)


def lsb_match(
    samples: npt.NDArray[np.uint8], rate: float, rng: np.random.Generator
) -> npt.NDArray[np.uint8]:
    """LSB matching (±1): where the lowest bit differs from the message bit, one is added or
    subtracted at random (never past 0 or 255)."""
    flat = samples.flatten().astype(np.int16)
    chosen = rng.choice(flat.size, round(rate * flat.size), replace=False)
    values = flat[chosen]
    step = rng.choice(np.array([-1, 1], np.int16), chosen.size)
    step[values == 0], step[values == 255] = 1, -1
    bits = rng.integers(0, 2, chosen.size)
    flat[chosen] = np.where((values & 1) != bits, values + step, values)
    return flat.astype(np.uint8).reshape(samples.shape)
