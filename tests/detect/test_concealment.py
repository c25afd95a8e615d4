"""Concealment detector: extensions that lie about the content, encrypted Office documents, and
one home for every concealment rule (severities shared with extractors' and carvers' notices)."""

from __future__ import annotations

import random
import struct

import pytest

from leaktrace.core import mediatypes
from leaktrace.core.finding import Severity
from leaktrace.core.item import Item
from leaktrace.core.lineage import Lineage
from leaktrace.core.pipeline import Scanner
from leaktrace.core.policy import Policy
from leaktrace.core.registry import Registry
from leaktrace.demo import carriers
from leaktrace.demo.builders import docx_bytes, pdf_bytes, zip_bytes
from leaktrace.detect.concealment import RULES, ConcealmentDetector, severity_of
from leaktrace.detect.filetypes import claimed_families, extension, magic_kind
from tests.conftest import ScanBytes
from tests.extract.cfb_writer import write_compound_file
from tests.extract.test_trailing import concealed

NOISE = random.Random(5).randbytes(3000)
ELF = b"\x7fELF\x02\x01\x01" + bytes(9) + NOISE
PE = b"MZ" + bytes(58) + struct.pack("<I", 64) + b"PE\x00\x00" + NOISE
TEXT = b"Quarterly figures, draft three.\n" * 20


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "cat.jpg",
            pdf_bytes("report"),
            "named as .jpg (an image) but the content is PDF document",
        ),
        (
            "notes.txt",
            zip_bytes({"a": b"b"}),
            "named as .txt (text) but the content is zip archive",
        ),
        ("photo.png", docx_bytes("x"), "but the content is Word document (docx)"),
        ("report.pdf", ELF, "named as .pdf (a PDF document) but the content is ELF executable"),
        ("invoice.pdf", PE, "but the content is PE executable"),
        ("holiday.jpg", TEXT, "named as .jpg (an image) but the content is text"),
        (
            "song.mp3",
            carriers.image("PNG"),
            "named as .mp3 (audio or video) but the content is PNG",
        ),
        ("budget.xlsx", docx_bytes("x"), "as .xlsx (an Excel workbook) but the content is Word"),
    ],
    ids=lambda value: value if isinstance(value, str) and "." in value else "",
)
def test_an_extension_that_lies_is_reported(
    scan_bytes: ScanBytes, name: str, data: bytes, message: str
) -> None:
    report = scan_bytes(name, data)
    [finding] = [f for f in report.findings if f.rule == "type-mismatch"]
    assert finding.detector == "concealment"
    assert message in finding.message
    assert finding.severity is Severity.MEDIUM
    assert finding.details["claimed"] == extension(name)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photo.jpg", carriers.image("PNG")),  # another image format: harmless
        ("report.zip", docx_bytes("x")),  # a docx is a zip
        ("page.html", TEXT),
        ("script.py", b"From: nobody\nTo: x\nSubject: y\n\nprint(1)\n"),  # looks like mail: text
        ("de.msg", b"namespace eval ::tcl {\n mcset de Yes Ja\n}\n" * 5),  # Tcl catalogue
        ("libc.so", b"/* GNU ld script */\nGROUP ( libc.so.6 )\n"),  # .so says nothing
        ("data.xyz", NOISE),
        ("empty.pdf", b""),
        ("unknown.pdf", NOISE),  # unidentified content is not a known lie
        ("howto.txt", b"A PDF file starts with %PDF-1.7 and ends with %%EOF.\n" * 3),
        ("<trailing data @0x10>", pdf_bytes("x")),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_agreeing_or_unknown_types_are_not_reported(
    scan_bytes: ScanBytes, name: str, data: bytes
) -> None:
    report = scan_bytes(name, data)
    assert [f for f in report.findings if f.rule == "type-mismatch"] == []


def test_members_are_checked_under_their_own_names(scan_bytes: ScanBytes) -> None:
    archive = zip_bytes({"pics/cat.jpg": pdf_bytes("smuggled"), "pics/dog.jpg": b""})
    report = scan_bytes("pets.zip", archive)
    assert concealed(report.findings) == [("pets.zip!pics/cat.jpg", "type-mismatch")]


def encrypted_office() -> bytes:
    return write_compound_file(
        {
            "EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00" + NOISE[:200],
            "EncryptedPackage": struct.pack("<Q", 5000) + NOISE,
            "\x06DataSpaces": {"Version": b"\x3c\x00\x00\x00"},
        }
    )


def test_an_encrypted_office_document_is_reported(scan_bytes: ScanBytes) -> None:
    report = scan_bytes("budget.xlsx", encrypted_office())
    assert concealed(report.findings) == [("budget.xlsx", "encrypted")]
    [finding] = report.findings
    assert finding.message == "Office document is encrypted (OLE EncryptedPackage); not inspected"
    assert finding.severity is Severity.MEDIUM


def _fib(flags: int) -> bytes:
    """A Word 97-2003 FibBase: wIdent, nFib, unused, lid, pnNext, then the flags."""
    return struct.pack("<HHHHHH", 0xA5EC, 0x00C1, 0, 0x0409, 0, flags) + NOISE[:500]


def _biff(*records: tuple[int, bytes]) -> bytes:
    return b"".join(struct.pack("<HH", kind, len(body)) + body for kind, body in records)


def _current_user(token: int) -> bytes:
    return struct.pack("<HHIII", 0, 0x0FF6, 20, 20, token) + b"\x00" * 16


@pytest.mark.parametrize(
    ("name", "tree", "message"),
    [
        ("old.doc", {"WordDocument": _fib(0x0100)}, "Word 97-2003 document is encrypted (RC4)"),
        (
            "old.doc",
            {"WordDocument": _fib(0x8100)},
            "Word 97-2003 document is encrypted (XOR obfuscation)",
        ),
        (
            "old.xls",
            {"Workbook": _biff((0x0809, b"\x00\x06" + b"\x00" * 14), (0x002F, b"\x01\x00" * 27))},
            "Excel 97-2003 workbook is encrypted (FilePass record)",
        ),
        (
            "old.ppt",
            {"Current User": _current_user(0xF3D1C4DF), "PowerPoint Document": NOISE},
            "PowerPoint 97-2003 presentation is encrypted",
        ),
    ],
)
def test_encrypted_legacy_office_files_are_reported(
    scan_bytes: ScanBytes, name: str, tree: dict[str, bytes], message: str
) -> None:
    [finding] = [
        f for f in scan_bytes(name, write_compound_file(tree)).findings if f.rule == "encrypted"
    ]
    assert finding.message == f"{message}; not inspected"


def test_legacy_office_files_in_the_clear_are_not_encrypted(scan_bytes: ScanBytes) -> None:
    clear = [
        {"WordDocument": _fib(0x0200)},  # fWhichTblStm only
        {"Workbook": _biff((0x0809, b"\x00\x06" + b"\x00" * 14), (0x0042, b"\xe4\x04"))},
        {"Current User": _current_user(0xE391C05F)},
        {"WordDocument": b"\x00" * 8},  # too short to hold the flags
        {"Workbook": _biff((0x0809, b"\x00" * 16)) + b"\x2f"},  # cut inside a record header
    ]
    for tree in clear:
        assert concealed(scan_bytes("old.doc", write_compound_file(tree)).findings) == []


def test_an_ordinary_ole_file_is_not_encrypted(scan_bytes: ScanBytes) -> None:
    legacy = write_compound_file({"WordDocument": NOISE, "\x05SummaryInformation": b"\x00" * 64})
    assert concealed(scan_bytes("old.doc", legacy).findings) == []
    broken = encrypted_office()[:600]
    assert concealed(scan_bytes("broken.doc", broken).findings) == []


def test_every_concealment_rule_is_declared_once() -> None:
    ids = [rule.id for rule in RULES]
    assert sorted(ids) == sorted(
        [
            "type-mismatch",
            "trailing-data",
            "embedded-file",
            "polyglot",
            "encoded-payload",
            "encrypted",
            "stego",
        ]
    )
    assert all(rule.detector == "concealment" for rule in RULES)
    assert severity_of("polyglot") is Severity.HIGH
    assert ConcealmentDetector().rule("stego").severity is Severity.MEDIUM


def test_the_stego_hook_reports_nothing_until_it_is_wired() -> None:
    image = Item(Lineage.root("p.png"), carriers.image("PNG"), mediatypes.PNG)
    assert list(ConcealmentDetector().stego(image)) == []


def test_magic_numbers_name_what_the_registry_does_not_open() -> None:
    assert magic_kind(ELF) is not None and magic_kind(ELF).family == "exe"  # type: ignore[union-attr]
    heic = b"\x00\x00\x00\x18ftypheic" + bytes(20)
    assert magic_kind(heic) is not None and magic_kind(heic).family == "image"  # type: ignore[union-attr]
    assert magic_kind(b"\x00\x01\x00\x00\x00\x0c" + bytes(10)) is not None  # a TrueType font
    assert magic_kind(NOISE) is None
    assert claimed_families("archive.tar.GZ") == frozenset({"gzip"})
    assert claimed_families(".bashrc") is None and claimed_families("README") is None


@pytest.mark.parametrize("fmt", ["PNG", "BMP", "TIFF"])
def test_pixels_hiding_a_payload_are_found_and_clean_ones_are_not(
    registry: Registry, fmt: str
) -> None:
    import io

    from PIL import Image

    from tests.detect.test_stego import replace_lsbs, scene

    def encoded(samples: object) -> bytes:
        buffer = io.BytesIO()
        Image.fromarray(samples).save(buffer, fmt)  # type: ignore[arg-type]
        return buffer.getvalue()

    cover = scene(4)
    clean = Scanner(registry, Policy()).scan_bytes(f"holiday.{fmt.lower()}", encoded(cover))
    assert [f for f in clean.findings if f.rule == "stego"] == []
    report = Scanner(registry, Policy()).scan_bytes(
        f"holiday.{fmt.lower()}", encoded(replace_lsbs(cover, 1.0, 5))
    )
    [finding] = [f for f in report.findings if f.rule == "stego"]
    assert finding.detector == "concealment" and finding.details["payload_bytes"] > 0
    assert 0.6 < finding.details["rate"] <= 1.0
