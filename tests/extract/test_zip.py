"""Zip extractor: identification, member lineage, hostile archives (bombs, encryption, damage)."""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import struct
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError
from leaktrace.core.finding import Finding, Rule, Severity
from leaktrace.core.item import Item
from leaktrace.core.limits import Budget, Limits
from leaktrace.core.lineage import Lineage
from leaktrace.core.pipeline import FileReport, Scanner
from leaktrace.core.plugin import Child, Detector, ExtractContext, Extractor, Notice
from leaktrace.core.policy import Policy
from leaktrace.core.registry import Registry
from leaktrace.extract.ar import ArExtractor
from leaktrace.extract.compressed import CompressedExtractor
from leaktrace.extract.sevenzip import SevenZipExtractor
from leaktrace.extract.tar import TarExtractor
from leaktrace.extract.text import TextExtractor
from leaktrace.extract.zip import ZipExtractor, member_path

# -- helpers shared by the archive tests ---------------------------------------------------------


class SeenItems(Detector):
    """Reports every item the scan reaches, with its text, so tests can read the lineage."""

    name = "seen"
    rules = (Rule("seen", "item", "an item the scan reached", Severity.INFO),)

    def detect(self, item: Item) -> Iterator[Finding]:
        yield self.finding(item, "item", item.text or "", key=item.media_type)


def archive_registry() -> Registry:
    extractors = [
        ZipExtractor(),
        TarExtractor(),
        ArExtractor(),
        SevenZipExtractor(),
        CompressedExtractor(),
        TextExtractor(),
    ]
    return Registry(extractors, [SeenItems])


def scan(name: str, data: bytes, limits: Limits | None = None) -> FileReport:
    policy = Policy(limits=limits or Limits())
    return Scanner(archive_registry(), policy).scan_bytes(name, data)


def seen(report: FileReport) -> dict[str, str]:
    """Path → text of every item with text that the scan reached."""
    return {f.path: f.message for f in report.findings if f.detector == "seen" and f.message}


def seen_paths(report: FileReport) -> list[str]:
    return [f.path for f in report.findings if f.detector == "seen"]


def problems(report: FileReport) -> list[tuple[str, str, str]]:
    """(path, detector, rule) of every limit, error and concealment finding."""
    return [
        (f.path, f.detector, f.rule)
        for f in report.findings
        if f.detector in ("limit", "error", "concealment")
    ]


def open_item(
    extractor: Extractor,
    data: bytes,
    media_type: str,
    name: str = "x",
    limits: Limits | None = None,
) -> tuple[list[Child], list[Notice]]:
    """Run one extractor on ``data`` and read all its children, as the pipeline would."""
    context = ExtractContext(Budget(limits or Limits()))
    item = Item(Lineage.root(name), data, media_type)
    extraction = extractor.extract(item, context)
    children = list(extraction.children)
    return children, context.drain()


def make_zip(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members:
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buffer.getvalue()


def make_tar(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def patch_headers(data: bytes, member: str, flag_bits: int = 0, method: int | None = None) -> bytes:
    """Set flag bits (and optionally the method) in ``member``'s local and central headers."""
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
    headers = [(info.header_offset, 6)]  # local header: flags at +6, method at +8
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_size = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_size] == member.encode():
            headers.append((central, 8))  # central header: flags at +8, method at +10
        central = data.find(b"PK\x01\x02", central + 4)
    for offset, flags_at in headers:
        old = struct.unpack_from("<H", patched, offset + flags_at)[0]
        struct.pack_into("<H", patched, offset + flags_at, old | flag_bits)
        if method is not None:
            struct.pack_into("<H", patched, offset + flags_at + 2, method)
    return bytes(patched)


# -- identification --------------------------------------------------------------------------

SIMPLE_ZIP = make_zip([("a.txt", b"alpha")])


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (SIMPLE_ZIP, mediatypes.ZIP),
        (make_zip([]), mediatypes.ZIP),  # empty archive: end record only
        (b"PK\x07\x08" + SIMPLE_ZIP, mediatypes.ZIP),  # spanned-archive marker
        (b"#!/bin/sh\nexit 0\n" + SIMPLE_ZIP, mediatypes.ZIP),  # self-extracting style
        (b"MZ\x90\x00" + bytes(200) + SIMPLE_ZIP, mediatypes.ZIP),
        (b"\xff\xd8\xff\xe0" + bytes(100) + SIMPLE_ZIP, None),  # a JPEG's own extractor decides
        (b"%PDF-1.7\n" + SIMPLE_ZIP, None),
        (b"junk" + SIMPLE_ZIP + b"trailing junk", None),  # the end record must end the data
        (b"plain text that mentions PK\x05\x06", None),
        (b"", None),
    ],
    ids=[
        "local-header",
        "empty-archive",
        "spanned",
        "script-prefix",
        "exe-prefix",
        "jpeg-prefix",
        "pdf-prefix",
        "end-record-not-at-end",
        "text",
        "zero-bytes",
    ],
)
def test_sniff(data: bytes, expected: str | None) -> None:
    assert ZipExtractor().sniff(data[:8192], data) == expected


def test_polyglot_zip_members_are_read_past_the_prefix() -> None:
    report = scan("setup.exe", b"MZ" + bytes(500) + make_zip([("payload.txt", b"hidden")]))
    assert seen(report) == {"setup.exe!payload.txt": "hidden"}


# -- members and lineage --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("members", "method", "expected"),
    [
        ([("docs/report.txt", b"q3")], zipfile.ZIP_DEFLATED, {"docs/report.txt": "q3"}),
        ([("docs/", b""), ("docs/a.txt", b"one")], zipfile.ZIP_STORED, {"docs/a.txt": "one"}),
        ([("b.txt", b"bzip2 member")], zipfile.ZIP_BZIP2, {"b.txt": "bzip2 member"}),
        ([("l.txt", b"lzma member")], zipfile.ZIP_LZMA, {"l.txt": "lzma member"}),
        ([("Résumé ünïcode.txt", b"name")], zipfile.ZIP_DEFLATED, {"Résumé ünïcode.txt": "name"}),
        ([("win\\path\\f.txt", b"back")], zipfile.ZIP_DEFLATED, {"win/path/f.txt": "back"}),
        ([("weird!name.txt", b"bang")], zipfile.ZIP_DEFLATED, {"weird!name.txt": "bang"}),
    ],
)
def test_members_and_lineage(
    members: list[tuple[str, bytes]], method: int, expected: dict[str, str]
) -> None:
    children, notices = open_item(ZipExtractor(), make_zip(members, method), mediatypes.ZIP)
    assert {c.name: c.data.decode() for c in children} == expected
    assert notices == []


def test_lineage_path_through_the_pipeline_escapes_separator() -> None:
    report = scan("a.zip", make_zip([("docs/report.txt", b"quarterly"), ("x!y.txt", b"bang")]))
    assert seen(report) == {"a.zip!docs/report.txt": "quarterly", "a.zip!x\\!y.txt": "bang"}


def test_duplicate_names_are_both_yielded() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, pytest.warns(UserWarning, match="Duplicate"):
        archive.writestr("same.txt", b"first")
        archive.writestr("same.txt", b"second")
    children, _ = open_item(ZipExtractor(), buffer.getvalue(), mediatypes.ZIP)
    assert [(c.name, c.data) for c in children] == [("same.txt", b"first"), ("same.txt", b"second")]


def test_zip_in_tar_gz_in_zip_has_full_lineage() -> None:
    inner = make_zip([("d.txt", b"deep secret")])
    tgz = gzip.compress(make_tar([("c.zip", inner)]))
    report = scan("a.zip", make_zip([("b.tar.gz", tgz)]))
    assert seen(report) == {"a.zip!b.tar.gz!b.tar!c.zip!d.txt": "deep secret"}
    assert seen_paths(report) == [
        "a.zip",
        "a.zip!b.tar.gz",
        "a.zip!b.tar.gz!b.tar",
        "a.zip!b.tar.gz!b.tar!c.zip",
        "a.zip!b.tar.gz!b.tar!c.zip!d.txt",
    ]
    assert problems(report) == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../x", "../../x"),
        ("/etc/passwd", "etc/passwd"),
        ("C:\\Windows\\evil.dll", "C:/Windows/evil.dll"),
        ("./a//b/./c", "a/b/c"),
        ("/", "unnamed"),
    ],
)
def test_member_path(raw: str, expected: str) -> None:
    assert member_path(raw) == expected


def test_traversal_names_stay_names_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workdir = tmp_path / "a" / "b"
    workdir.mkdir(parents=True)
    monkeypatch.chdir(workdir)
    data = make_zip([("../../x", b"climb"), ("/etc/passwd", b"root:x:0:0"), ("..\\..\\y", b"win")])
    report = scan("t.zip", data)
    assert seen(report) == {
        "t.zip!../../x": "climb",
        "t.zip!etc/passwd": "root:x:0:0",
        "t.zip!../../y": "win",
    }
    written = [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")]
    assert written == ["a", "a/b"]
    assert os.listdir(workdir) == []


# -- hostile archives -----------------------------------------------------------------------


def test_zip_bomb_member_is_a_ratio_limit_and_scan_goes_on() -> None:
    data = make_zip([("bomb.bin", bytes(50 * 1024 * 1024)), ("after.txt", b"still read")])
    report = scan("a.zip", data)
    assert ("a.zip!bomb.bin", "limit", "ratio") in problems(report)
    assert seen(report) == {"a.zip!after.txt": "still read"}


def test_nesting_beyond_max_depth_is_a_depth_limit() -> None:
    data = make_zip([("leaf.txt", b"bottom")])
    for level in range(5, 0, -1):
        data = make_zip([(f"l{level}.zip", data)])
    report = scan("top.zip", data, Limits(max_depth=3))
    assert problems(report) == [("top.zip!l1.zip!l2.zip!l3.zip", "limit", "depth")]
    assert "bottom" not in seen(report).values()


def test_member_count_limit() -> None:
    data = make_zip([(f"m{i}.txt", f"member {i}".encode()) for i in range(5)])
    report = scan("many.zip", data, Limits(max_members=3))
    assert problems(report) == [("many.zip", "limit", "members")]
    assert sorted(seen(report)) == ["many.zip!m0.txt", "many.zip!m1.txt", "many.zip!m2.txt"]


def test_encrypted_member_is_reported_and_others_are_read() -> None:
    data = make_zip([("secret.txt", b"hidden"), ("open.txt", b"visible")])
    data = patch_headers(data, "secret.txt", flag_bits=0x1)
    children, notices = open_item(ZipExtractor(), data, mediatypes.ZIP)
    assert [c.name for c in children] == ["open.txt"]
    assert [(n.detector, n.rule, n.member) for n in notices] == [
        ("concealment", "encrypted", "secret.txt")
    ]
    assert notices[0].message == "zip member secret.txt is encrypted (ZipCrypto); not inspected"
    assert notices[0].severity is Severity.MEDIUM
    report = scan("e.zip", data)
    assert ("e.zip!secret.txt", "concealment", "encrypted") in problems(report)


def test_reported_members_count_towards_the_member_limit() -> None:
    data = make_zip([(f"s{i}.txt", b"hidden") for i in range(6)])
    for i in range(6):
        data = patch_headers(data, f"s{i}.txt", flag_bits=0x1)
    report = scan("e.zip", data, Limits(max_members=2))
    assert problems(report) == [
        ("e.zip", "limit", "members"),
        ("e.zip!s0.txt", "concealment", "encrypted"),
        ("e.zip!s1.txt", "concealment", "encrypted"),
    ]


def test_unsupported_method_is_reported_per_member() -> None:
    data = make_zip([("d64.bin", b"x" * 100), ("ok.txt", b"fine")])
    data = patch_headers(data, "d64.bin", method=9)  # deflate64: not in the standard library
    children, notices = open_item(ZipExtractor(), data, mediatypes.ZIP)
    assert [c.name for c in children] == ["ok.txt"]
    assert [(n.rule, n.member) for n in notices] == [("unsupported", "d64.bin")]
    assert "compression method 9" in notices[0].message


def test_crc_mismatch_is_reported_per_member() -> None:
    data = bytearray(make_zip([("a.txt", b"AAAAAAAA"), ("b.txt", b"fine")], zipfile.ZIP_STORED))
    data[data.find(b"AAAAAAAA")] = ord("B")
    children, notices = open_item(ZipExtractor(), bytes(data), mediatypes.ZIP)
    assert [c.name for c in children] == ["b.txt"]
    assert [(n.detector, n.rule, n.member) for n in notices] == [("error", "corrupt", "a.txt")]
    assert "CRC" in notices[0].message


def overlapping_zip(copies: int) -> bytes:
    """One local entry and ``copies`` central-directory entries all pointing at it."""
    single = make_zip([("zeros.bin", bytes(100_000))])
    central = single.find(b"PK\x01\x02")
    end = single.find(b"PK\x05\x06")
    record = single[central:end]
    directory = record * copies
    end_record = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, copies, copies, len(directory), central, 0
    )
    return single[:central] + directory + end_record


def test_overlapping_entries_are_refused_not_expanded() -> None:
    data = overlapping_zip(40)
    children, notices = open_item(ZipExtractor(), data, mediatypes.ZIP)
    assert children == []
    assert [(n.detector, n.rule) for n in notices] == [("limit", "overlap")]
    assert "40 members" in notices[0].message
    assert ("o.zip", "limit", "overlap") in problems(scan("o.zip", data))


@pytest.mark.parametrize(
    "data",
    [
        SIMPLE_ZIP[:-10],  # end record cut short
        SIMPLE_ZIP[: SIMPLE_ZIP.find(b"PK\x01\x02") + 20],  # central directory cut short
        b"PK\x03\x04" + bytes(60),  # a local header and nothing else
        b"PK\x05\x06" + b"\xff" * 18,  # an end record pointing nowhere
    ],
)
def test_corrupt_archive_is_an_item_error(data: bytes) -> None:
    with pytest.raises(ItemError, match="corrupt zip"):
        open_item(ZipExtractor(), data, mediatypes.ZIP)
    report = scan("bad.zip", data)
    assert problems(report) == [("bad.zip", "error", "unreadable")]


def test_empty_archive_has_no_members_and_no_problems() -> None:
    report = scan("empty.zip", make_zip([]))
    assert report.media_types == {mediatypes.ZIP: 1}
    assert problems(report) == []
    assert seen_paths(report) == ["empty.zip"]


def test_zero_bytes_is_not_a_zip_and_cannot_be_opened_as_one() -> None:
    assert ZipExtractor().sniff(b"", b"") is None
    with pytest.raises(ItemError):
        open_item(ZipExtractor(), b"", mediatypes.ZIP)


# -- properties -----------------------------------------------------------------------------


def expect_only_item_errors(extractor: Extractor, data: bytes, media_type: str) -> None:
    with contextlib.suppress(ItemError):  # includes LimitReached
        open_item(extractor, data, media_type, limits=Limits(max_seconds=10))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_only_raise_item_errors(data: bytes) -> None:
    ZipExtractor().sniff(data[:8192], data)
    expect_only_item_errors(ZipExtractor(), b"PK\x03\x04" + data, mediatypes.ZIP)
    expect_only_item_errors(ZipExtractor(), data, mediatypes.ZIP)


FUZZ_BASE = make_zip(
    [("a.txt", b"alpha " * 40), ("dir/b.bin", bytes(range(256)))], zipfile.ZIP_DEFLATED
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(FUZZ_BASE) - 1), st.integers(0, 255)), max_size=8))
def test_mutated_zip_only_raises_item_errors(changes: list[tuple[int, int]]) -> None:
    data = bytearray(FUZZ_BASE)
    for position, value in changes:
        data[position] = value
    expect_only_item_errors(ZipExtractor(), bytes(data), mediatypes.ZIP)
