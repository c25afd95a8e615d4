"""Tar extractor: ustar/GNU/pax/v7 identification, members, links, truncation and damage."""

from __future__ import annotations

import io
import os
import tarfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError
from leaktrace.core.finding import Severity
from leaktrace.core.item import Item
from leaktrace.core.limits import Budget, Limits
from leaktrace.core.lineage import Lineage
from leaktrace.core.plugin import ExtractContext
from leaktrace.extract.tar import TarExtractor, is_tar_header
from tests.extract.test_zip import expect_only_item_errors, open_item, problems, scan, seen


def make_tar(
    members: Sequence[tarfile.TarInfo | tuple[str, bytes]],
    tar_format: int = tarfile.USTAR_FORMAT,
    encoding: str = "utf-8",
) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tar_format, encoding=encoding) as archive:
        for member in members:
            if isinstance(member, tarfile.TarInfo):
                archive.addfile(member)
                continue
            name, data = member
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def special(name: str, kind: bytes, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    return info


def as_v7(data: bytes) -> bytes:
    """Turn a one-member ustar archive's header into an old v7 header (no magic)."""
    header = bytearray(data[:512])
    header[257:512] = bytes(255)
    header[148:156] = b" " * 8
    header[148:156] = b"%06o\x00 " % sum(header)
    return bytes(header) + data[512:]


TWO = [("a.txt", b"alpha"), ("dir/b.txt", b"beta " * 300)]
USTAR = make_tar(TWO)

# -- identification --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (USTAR, mediatypes.TAR),
        (make_tar(TWO, tarfile.GNU_FORMAT), mediatypes.TAR),
        (make_tar(TWO, tarfile.PAX_FORMAT), mediatypes.TAR),
        (as_v7(make_tar([("old.txt", b"v7")])), mediatypes.TAR),
        (as_v7(make_tar([("old.txt", b"v7")]))[:100] + b"X" + bytes(411), None),  # bad checksum
        (make_tar([]), None),  # an empty archive is only zeros: nothing to recognise
        (b"just some text " * 60, None),
        (b"", None),
    ],
    ids=["ustar", "gnu", "pax", "v7", "v7-bad-checksum", "empty", "text", "zero-bytes"],
)
def test_sniff(data: bytes, expected: str | None) -> None:
    assert TarExtractor().sniff(data[:8192], data) == expected


def test_v7_header_checksum_is_validated() -> None:
    header = as_v7(make_tar([("old.txt", b"v7")]))[:512]
    assert is_tar_header(header)
    assert not is_tar_header(header[:511])
    assert not is_tar_header(header[:20] + b"?" + header[21:])


# -- members and lineage --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("members", "tar_format", "expected"),
    [
        (TWO, tarfile.USTAR_FORMAT, {"a.txt": "alpha", "dir/b.txt": "beta " * 300}),
        (
            [special("docs", tarfile.DIRTYPE), ("docs/r.txt", b"report")],
            tarfile.GNU_FORMAT,
            {"docs/r.txt": "report"},
        ),
        (
            [("ü/long-" + "n" * 150 + ".txt", b"pax")],
            tarfile.PAX_FORMAT,
            {"ü/long-" + "n" * 150 + ".txt": "pax"},
        ),
        ([("empty.txt", b"")], tarfile.USTAR_FORMAT, {"empty.txt": ""}),
    ],
    ids=["plain", "directory-skipped", "pax-long-name", "empty-member"],
)
def test_members_and_lineage(
    members: list[tarfile.TarInfo | tuple[str, bytes]], tar_format: int, expected: dict[str, str]
) -> None:
    children, notices = open_item(TarExtractor(), make_tar(members, tar_format), mediatypes.TAR)
    assert {c.name: c.data.decode() for c in children} == expected
    assert notices == []


def test_pipeline_lineage_and_duplicates() -> None:
    data = make_tar([("same.txt", b"first"), ("same.txt", b"second"), ("x/y.txt", b"deep")])
    children, _ = open_item(TarExtractor(), data, mediatypes.TAR)
    assert [(c.name, c.data) for c in children] == [
        ("same.txt", b"first"),
        ("same.txt", b"second"),
        ("x/y.txt", b"deep"),
    ]
    assert seen(scan("t.tar", data))["t.tar!x/y.txt"] == "deep"


def test_v7_archive_is_read() -> None:
    children, _ = open_item(TarExtractor(), as_v7(make_tar([("old.txt", b"v7")])), mediatypes.TAR)
    assert [(c.name, c.data) for c in children] == [("old.txt", b"v7")]


def test_undecodable_name_bytes_become_replacement_characters() -> None:
    data = make_tar([("caf\xe9.txt", b"latin-1 name")], encoding="latin-1")
    children, _ = open_item(TarExtractor(), data, mediatypes.TAR)
    assert [c.name for c in children] == ["caf\ufffd.txt"]


def test_links_and_devices_are_reported_never_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    data = make_tar(
        [
            ("real.txt", b"real"),
            special("soft", tarfile.SYMTYPE, "/etc/shadow"),
            special("hard", tarfile.LNKTYPE, "real.txt"),
            special("dev", tarfile.CHRTYPE),
            special("pipe", tarfile.FIFOTYPE),
        ]
    )
    children, notices = open_item(TarExtractor(), data, mediatypes.TAR)
    assert [c.name for c in children] == ["real.txt"]
    assert [(n.rule, n.member, n.severity) for n in notices] == [
        ("not-regular", "soft", Severity.INFO),
        ("not-regular", "hard", Severity.INFO),
        ("not-regular", "dev", Severity.INFO),
        ("not-regular", "pipe", Severity.INFO),
    ]
    assert "'/etc/shadow'; not followed" in notices[0].message
    assert os.listdir(tmp_path) == []


def test_traversal_names_stay_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workdir = tmp_path / "a" / "b"
    workdir.mkdir(parents=True)
    monkeypatch.chdir(workdir)
    report = scan("t.tar", make_tar([("../../x", b"climb"), ("/etc/passwd", b"root:x:0:0")]))
    assert seen(report) == {"t.tar!../../x": "climb", "t.tar!etc/passwd": "root:x:0:0"}
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["a", "a/b"]


# -- hostile archives -----------------------------------------------------------------------


def test_truncated_member_data_yields_earlier_members_then_error() -> None:
    cut = USTAR[: 512 + 512 + 512 + 700]  # a.txt complete, dir/b.txt's data cut short
    item = Item(Lineage.root("cut.tar"), cut, mediatypes.TAR)
    extraction = TarExtractor().extract(item, ExtractContext(Budget(Limits())))
    children = iter(extraction.children)
    first = next(children)
    assert (first.name, first.data) == ("a.txt", b"alpha")
    with pytest.raises(ItemError, match=r"truncated tar: unexpected end of data in 'dir/b.txt'"):
        next(children)
    report = scan("cut.tar", cut)
    assert seen(report) == {"cut.tar!a.txt": "alpha"}
    assert problems(report) == [("cut.tar", "error", "unreadable")]


def test_garbage_after_a_member_is_reported_not_dropped() -> None:
    one = make_tar([("a.txt", b"alpha")])
    data = one[:1024] + b"\x01garbage that is not a header" + bytes(2000)
    children, notices = open_item(TarExtractor(), data, mediatypes.TAR)
    assert [c.name for c in children] == ["a.txt"]
    assert [(n.detector, n.rule) for n in notices] == [("error", "corrupt")]
    assert "unreadable tar header at byte 1024" in notices[0].message


def test_truncated_header_is_reported() -> None:
    data = USTAR[:1024] + USTAR[1024:1200]  # the second header cut short
    children, notices = open_item(TarExtractor(), data, mediatypes.TAR)
    assert [c.name for c in children] == ["a.txt"]
    assert [n.rule for n in notices] == ["corrupt"]


def test_oversized_member_is_a_size_limit_and_scan_goes_on() -> None:
    data = make_tar([("big.bin", b"x" * 5000), ("small.txt", b"kept")])
    children, notices = open_item(
        TarExtractor(), data, mediatypes.TAR, limits=Limits(max_item_bytes=1000)
    )
    assert [c.name for c in children] == ["small.txt"]
    assert [(n.detector, n.rule, n.member) for n in notices] == [("limit", "size", "big.bin")]


def test_links_count_towards_the_member_limit() -> None:
    data = make_tar([special(f"l{i}", tarfile.SYMTYPE, "x") for i in range(5)])
    report = scan("links.tar", data, Limits(max_members=2))
    assert problems(report) == [
        ("links.tar", "limit", "members"),
        ("links.tar!l0", "error", "not-regular"),
        ("links.tar!l1", "error", "not-regular"),
    ]


def test_member_count_limit() -> None:
    data = make_tar([(f"m{i}.txt", b"member") for i in range(6)])
    report = scan("many.tar", data, Limits(max_members=2))
    assert problems(report) == [("many.tar", "limit", "members")]
    assert sorted(seen(report)) == ["many.tar!m0.txt", "many.tar!m1.txt"]


@pytest.mark.parametrize(
    "data",
    [
        b"x" * 257 + b"ustar" + bytes(250),  # ustar magic at 257 but a broken header
        USTAR[:300],  # first header cut short
    ],
    ids=["bad-first-header", "short-first-header"],
)
def test_corrupt_archive_is_an_item_error(data: bytes) -> None:
    with pytest.raises(ItemError, match="corrupt tar"):
        open_item(TarExtractor(), data, mediatypes.TAR)


def test_empty_archive_and_zero_bytes() -> None:
    assert open_item(TarExtractor(), make_tar([]), mediatypes.TAR) == ([], [])
    assert open_item(TarExtractor(), b"", mediatypes.TAR) == ([], [])


# -- properties -----------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_only_raise_item_errors(data: bytes) -> None:
    TarExtractor().sniff(data[:8192], data)
    expect_only_item_errors(TarExtractor(), data, mediatypes.TAR)
    expect_only_item_errors(TarExtractor(), USTAR[:512] + data, mediatypes.TAR)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(USTAR) - 1), st.integers(0, 255)), max_size=8))
def test_mutated_tar_only_raises_item_errors(changes: list[tuple[int, int]]) -> None:
    data = bytearray(USTAR)
    for position, value in changes:
        data[position] = value
    expect_only_item_errors(TarExtractor(), bytes(data), mediatypes.TAR)
