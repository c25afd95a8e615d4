"""7z extractor: members in memory, declared-size bombs, passwords, odd names and damage."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import py7zr
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError, LimitReached
from leaktrace.core.finding import Severity
from leaktrace.core.limits import MIB, Limits
from leaktrace.extract.sevenzip import SevenZipExtractor
from tests.extract.test_zip import expect_only_item_errors, open_item, problems, scan, seen


def make_7z(
    members: list[tuple[str, bytes]],
    password: str | None = None,
    header_encryption: bool = False,
    plain_header: bool = False,
) -> bytes:
    buffer = io.BytesIO()
    archive = py7zr.SevenZipFile(
        buffer, "w", password=password, header_encryption=header_encryption
    )
    if plain_header:
        archive.encoded_header_mode = False  # member names stay visible, so tests can patch them
    for name, data in members:
        archive.writestr(data, name)
    archive.close()
    return buffer.getvalue()


def rename_members(data: bytes, renames: dict[str, str]) -> bytes:
    """Rewrite names in a plain-header archive (same length) and fix the header checksums.

    py7zr refuses to write names such as ``../x``; hostile archives have them anyway.
    """
    patched = bytearray(data)
    header_offset, header_size = struct.unpack_from("<QQ", data, 12)
    start = 32 + header_offset
    for old, new in renames.items():
        assert len(old) == len(new)
        old_bytes, new_bytes = old.encode("utf-16-le"), new.encode("utf-16-le")
        where = patched.find(old_bytes, start)
        assert where != -1
        patched[where : where + len(old_bytes)] = new_bytes
    struct.pack_into("<I", patched, 28, zlib.crc32(patched[start : start + header_size]))
    struct.pack_into("<I", patched, 8, zlib.crc32(patched[12:32]))
    return bytes(patched)


SAMPLE = make_7z([("a.txt", b"alpha"), ("dir/b.txt", b"beta " * 200), ("c.txt", b"gamma")])

# -- identification --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (SAMPLE, mediatypes.SEVEN_ZIP),
        (b"7z\xbc\xaf\x27\x1c" + bytes(26), mediatypes.SEVEN_ZIP),
        (b"7z\xbc\xaf\x27", None),
        (b"7-zip archive, honestly", None),
        (b"", None),
    ],
    ids=["archive", "signature-only", "short-signature", "text", "zero-bytes"],
)
def test_sniff(data: bytes, expected: str | None) -> None:
    assert SevenZipExtractor().sniff(data[:8192], data) == expected


# -- members and lineage --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        (
            [("a.txt", b"alpha"), ("dir/b.txt", b"beta"), ("c.txt", b"gamma")],
            [("a.txt", b"alpha"), ("dir/b.txt", b"beta"), ("c.txt", b"gamma")],
        ),
        ([("empty.txt", b""), ("after.txt", b"x")], [("empty.txt", b""), ("after.txt", b"x")]),
        ([("ü/ñame.txt", b"unicode")], [("ü/ñame.txt", b"unicode")]),
        ([("only.bin", bytes(range(256)) * 40)], [("only.bin", bytes(range(256)) * 40)]),
    ],
    ids=["solid-block", "empty-member", "unicode-name", "binary"],
)
def test_members_and_lineage(
    members: list[tuple[str, bytes]], expected: list[tuple[str, bytes]]
) -> None:
    children, notices = open_item(SevenZipExtractor(), make_7z(members), mediatypes.SEVEN_ZIP)
    assert [(c.name, c.data) for c in children] == expected
    assert notices == []


def test_lineage_through_the_pipeline() -> None:
    inner = make_7z([("deep.txt", b"nested secret")])
    report = scan("outer.7z", make_7z([("docs/inner.7z", inner), ("top.txt", b"top")]))
    assert seen(report) == {
        "outer.7z!docs/inner.7z!deep.txt": "nested secret",
        "outer.7z!top.txt": "top",
    }
    assert problems(report) == []


def test_directories_skipped_and_symlinks_reported(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    (tree / "docs").mkdir(parents=True)
    (tree / "docs" / "r.txt").write_bytes(b"report")
    (tree / "link").symlink_to("/etc/shadow")
    buffer = io.BytesIO()
    with py7zr.SevenZipFile(buffer, "w") as archive:
        archive.writeall(tree, "tree")
    children, notices = open_item(SevenZipExtractor(), buffer.getvalue(), mediatypes.SEVEN_ZIP)
    assert [(c.name, c.data) for c in children] == [("tree/docs/r.txt", b"report")]
    assert [(n.rule, n.member, n.severity) for n in notices] == [
        ("not-regular", "tree/link", Severity.INFO)
    ]


def test_traversal_names_stay_names_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workdir = tmp_path / "a" / "b"
    workdir.mkdir(parents=True)
    monkeypatch.chdir(workdir)
    data = make_7z([("AA/AA/x", b"climb"), ("AetcApasswd", b"root:x")], plain_header=True)
    data = rename_members(data, {"AA/AA/x": "../../x", "AetcApasswd": "/etc/passwd"})
    report = scan("t.7z", data)
    assert seen(report) == {"t.7z!../../x": "climb", "t.7z!etc/passwd": "root:x"}
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["a", "a/b"]
    assert os.listdir(workdir) == []


# -- hostile archives -----------------------------------------------------------------------


def test_bomb_is_refused_from_its_declared_size_and_others_are_read() -> None:
    data = make_7z([("first.txt", b"first"), ("bomb.bin", bytes(60 * MIB)), ("last.txt", b"last")])
    children, notices = open_item(SevenZipExtractor(), data, mediatypes.SEVEN_ZIP)
    assert [(n.detector, n.rule, n.member) for n in notices] == [("limit", "ratio", "bomb.bin")]
    assert [(c.name, c.data) for c in children] == [("first.txt", b"first"), ("last.txt", b"last")]
    report = scan("b.7z", data)
    assert ("b.7z!bomb.bin", "limit", "ratio") in problems(report)


def test_work_on_a_refused_member_in_a_solid_block_is_bounded_by_the_total_budget() -> None:
    # Reaching last.txt means decompressing the refused bomb before it (to check its CRC).
    data = make_7z([("first.txt", b"first"), ("bomb.bin", bytes(60 * MIB)), ("last.txt", b"last")])
    report = scan("b.7z", data, Limits(max_total_bytes=10 * MIB))
    assert seen(report) == {"b.7z!first.txt": "first"}
    assert problems(report) == [("b.7z", "limit", "total"), ("b.7z!bomb.bin", "limit", "ratio")]


def test_member_over_the_item_size_limit_is_refused() -> None:
    data = make_7z([("big.txt", b"x" * 5000), ("small.txt", b"kept")])
    children, notices = open_item(
        SevenZipExtractor(), data, mediatypes.SEVEN_ZIP, limits=Limits(max_item_bytes=1000)
    )
    assert [c.name for c in children] == ["small.txt"]
    assert [(n.rule, n.member) for n in notices] == [("size", "big.txt")]


def test_total_limit_yields_what_fits_then_stops() -> None:
    data = make_7z([(f"m{i}.txt", bytes([65 + i]) * 400) for i in range(5)])
    extraction_limits = Limits(max_total_bytes=1000)
    with pytest.raises(LimitReached) as raised:
        open_item(SevenZipExtractor(), data, mediatypes.SEVEN_ZIP, limits=extraction_limits)
    assert raised.value.rule == "total"
    report = scan("t.7z", data, extraction_limits)
    assert sorted(seen(report)) == ["t.7z!m0.txt", "t.7z!m1.txt"]
    assert problems(report) == [("t.7z", "limit", "total")]


def test_member_count_limit_yields_the_first_members() -> None:
    data = make_7z([(f"m{i}.txt", f"member {i}".encode()) for i in range(5)])
    report = scan("many.7z", data, Limits(max_members=3))
    assert sorted(seen(report)) == ["many.7z!m0.txt", "many.7z!m1.txt", "many.7z!m2.txt"]
    assert problems(report) == [("many.7z", "limit", "members")]


@pytest.mark.parametrize("header_encryption", [False, True], ids=["content", "header"])
def test_password_protected_archive_is_reported(header_encryption: bool) -> None:
    data = make_7z([("s.txt", b"secret")], password="pw", header_encryption=header_encryption)
    children, notices = open_item(SevenZipExtractor(), data, mediatypes.SEVEN_ZIP)
    assert children == []
    assert [(n.detector, n.rule) for n in notices] == [("concealment", "encrypted")]
    reason = "encrypted headers" if header_encryption else "encrypted members"
    assert notices[0].message == f"7z archive has {reason}; not inspected"


@pytest.mark.parametrize(
    "data",
    [
        SAMPLE[:-20],  # header cut short
        SAMPLE[:40],
        b"7z\xbc\xaf\x27\x1c" + bytes(26),  # signature and an empty start header
        b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\xff" * 60,
        b"",
    ],
    ids=["cut-header", "cut-early", "empty-start-header", "garbage", "zero-bytes"],
)
def test_corrupt_archive_is_an_item_error(data: bytes) -> None:
    with pytest.raises(ItemError, match="corrupt 7z"):
        open_item(SevenZipExtractor(), data, mediatypes.SEVEN_ZIP)


def test_damaged_data_yields_nothing_unverified_and_an_error() -> None:
    data = bytearray(make_7z([("a.txt", b"alpha " * 500)]))
    data[40] ^= 0xFF  # inside the compressed stream
    report = scan("d.7z", bytes(data))
    assert problems(report) == [("d.7z", "error", "unreadable")]
    assert seen(report) == {}


# -- properties -----------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_only_raise_item_errors(data: bytes) -> None:
    SevenZipExtractor().sniff(data[:8192], data)
    expect_only_item_errors(SevenZipExtractor(), b"7z\xbc\xaf\x27\x1c" + data, mediatypes.SEVEN_ZIP)
    expect_only_item_errors(SevenZipExtractor(), SAMPLE[:32] + data, mediatypes.SEVEN_ZIP)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(SAMPLE) - 1), st.integers(0, 255)), max_size=6))
def test_mutated_archive_only_raises_item_errors(changes: list[tuple[int, int]]) -> None:
    data = bytearray(SAMPLE)
    for position, value in changes:
        data[position] = value
    expect_only_item_errors(SevenZipExtractor(), bytes(data), mediatypes.SEVEN_ZIP)
