"""ar extractor: Debian packages and static libraries, GNU and BSD names, damage and limits."""

from __future__ import annotations

import io
import lzma
import tarfile
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError
from leaktrace.core.limits import Limits
from leaktrace.extract.ar import MAGIC, ArExtractor
from tests.extract.test_zip import expect_only_item_errors, open_item, problems, scan, seen


def header(name: str, size: int) -> bytes:
    fields = f"{name:<16}{'1700000000':<12}{'0':<6}{'0':<6}{'100644':<8}{size:<10}"
    return fields.encode("latin-1") + b"`\n"


def make_ar(members: Sequence[tuple[str, bytes]]) -> bytes:
    """An archive whose names are written as given (GNU "name/", "/", "//", BSD "#1/n")."""
    out = [MAGIC]
    for name, data in members:
        out += [header(name, len(data)), data, b"\n" if len(data) % 2 else b""]
    return b"".join(out)


def tar_of(members: Sequence[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def deb() -> bytes:
    control = tar_of([("./control", b"Package: acme-agent\nMaintainer: ops <ops@acme.test>\n")])
    data = tar_of([("./etc/acme/agent.conf", b"token = internal only\n")])
    return make_ar(
        [
            ("debian-binary", b"2.0\n"),
            ("control.tar.xz", lzma.compress(control)),
            ("data.tar.xz", lzma.compress(data)),
        ]
    )


def test_sniff() -> None:
    assert ArExtractor().sniff(deb()[:8192], deb()) == mediatypes.AR
    assert ArExtractor().sniff(b"!<arch>", b"!<arch>") is None
    assert ArExtractor().sniff(b"PK\x03\x04", b"PK\x03\x04") is None


def test_a_debian_package_is_opened_down_to_its_files() -> None:
    texts = seen(scan("acme-agent_1.0_all.deb", deb()))
    root = "acme-agent_1.0_all.deb"
    assert texts[f"{root}!debian-binary"] == "2.0\n"
    assert texts[f"{root}!data.tar.xz!data.tar!etc/acme/agent.conf"] == "token = internal only\n"
    assert "Package: acme-agent" in texts[f"{root}!control.tar.xz!control.tar!control"]


def test_gnu_long_names_and_symbol_tables() -> None:
    long_names = b"a_very_long_object_file_name.o/\nanother_long_member_name.txt/\n"
    data = make_ar(
        [
            ("/", b"\x00\x00\x00\x01symbols"),  # the symbol index: no content
            ("//", long_names),
            ("/0", b"object"),
            ("/32", b"second"),
            ("short.o/", b"odd"),  # odd length: padded with one newline
            ("last.o/", b"x"),
        ]
    )
    children, notices = open_item(ArExtractor(), data, mediatypes.AR)
    assert [(c.name, c.data) for c in children] == [
        ("a_very_long_object_file_name.o", b"object"),
        ("another_long_member_name.txt", b"second"),
        ("short.o", b"odd"),
        ("last.o", b"x"),
    ]
    assert notices == []


def test_bsd_names_are_read_from_the_data() -> None:
    data = make_ar([("__.SYMDEF", b"index"), ("#1/20", b"long_bsd_name_abc.o\x00payload")])
    children, _ = open_item(ArExtractor(), data, mediatypes.AR)
    assert [(c.name, c.data) for c in children] == [("long_bsd_name_abc.o", b"payload")]


def test_a_truncated_archive_yields_earlier_members_then_an_error() -> None:
    whole = make_ar([("a.txt/", b"alpha"), ("b.txt/", b"bravo" * 40)])
    report = scan("cut.a", whole[:-50])
    assert seen(report) == {"cut.a!a.txt": "alpha"}
    assert problems(report) == [("cut.a", "error", "unreadable")]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (MAGIC + b"not a header at all", "no member header at byte 8"),
        (MAGIC + header("a/", 3)[:48] + b"12x       `\n", "member size b'12x'"),
    ],
)
def test_a_damaged_header_is_a_clear_error(damage: bytes, message: str) -> None:
    with pytest.raises(ItemError, match=message):
        open_item(ArExtractor(), damage, mediatypes.AR)


def test_an_oversized_member_is_a_size_limit_and_the_rest_is_read() -> None:
    data = make_ar([("big.bin/", b"x" * 5000), ("small.txt/", b"kept")])
    children, notices = open_item(
        ArExtractor(), data, mediatypes.AR, limits=Limits(max_item_bytes=1000)
    )
    assert [c.name for c in children] == ["small.txt"]
    assert [(n.detector, n.rule, n.member) for n in notices] == [("limit", "size", "big.bin")]


def test_member_count_is_limited() -> None:
    data = make_ar([(f"m{i}/", b"x") for i in range(5)])
    assert ("many.a", "limit", "members") in problems(scan("many.a", data, Limits(max_members=2)))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_only_raise_item_errors(data: bytes) -> None:
    expect_only_item_errors(ArExtractor(), MAGIC + data, mediatypes.AR)
    expect_only_item_errors(ArExtractor(), deb()[: len(data)] + data, mediatypes.AR)
