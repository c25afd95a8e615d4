"""Compressed-stream extractor: gzip, bzip2, xz; member naming, truncation, damage and bombs."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import struct
import zlib
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError, LimitReached
from leaktrace.extract.compressed import (
    CompressedExtractor,
    gzip_original_name,
    name_without_suffix,
)
from tests.extract.test_tar import make_tar
from tests.extract.test_zip import expect_only_item_errors, open_item, problems, scan, seen

TEXT = b"The quarterly figures are confidential. " * 50


def gzip_named(data: bytes, name: str) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(filename=name, fileobj=buffer, mode="wb", mtime=0) as stream:
        stream.write(data)
    return buffer.getvalue()


def gzip_with_extra_and_name(data: bytes, extra: bytes, name: bytes) -> bytes:
    """A gzip member with FEXTRA and FNAME set, written by hand (gzip never writes FEXTRA)."""
    header = b"\x1f\x8b\x08" + bytes([0x04 | 0x08]) + bytes(6)
    header += struct.pack("<H", len(extra)) + extra + name + b"\x00"
    compressor = zlib.compressobj(9, 8, -15)
    body = compressor.compress(data) + compressor.flush()
    trailer = struct.pack("<II", zlib.crc32(data), len(data))
    return header + body + trailer


# -- identification --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (gzip.compress(TEXT), mediatypes.GZIP),
        (bz2.compress(TEXT), mediatypes.BZIP2),
        (bz2.compress(b""), mediatypes.BZIP2),  # empty stream: end-of-stream magic at once
        (lzma.compress(TEXT), mediatypes.XZ),
        (lzma.compress(TEXT, format=lzma.FORMAT_ALONE), None),  # legacy .lzma: no magic to trust
        (b"BZh0" + bz2.compress(TEXT)[4:], None),  # block size 0 does not exist
        (b"BZh9 not a block header", None),
        (b"\x1f\x8b\x07" + gzip.compress(TEXT)[3:], None),  # gzip method other than deflate
        (b"\x28\xb5\x2f\xfd" + bytes(20), None),  # zstd is not read here
        (b"", None),
    ],
    ids=[
        "gzip",
        "bzip2",
        "bzip2-empty",
        "xz",
        "lzma-alone",
        "bzip2-level-0",
        "bzip2-no-block",
        "gzip-other-method",
        "zstd",
        "zero-bytes",
    ],
)
def test_sniff(data: bytes, expected: str | None) -> None:
    assert CompressedExtractor().sniff(data[:8192], data) == expected


# -- member names and content ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("container", "data", "media_type", "member"),
    [
        ("x.gz", gzip_named(TEXT, "original.txt"), mediatypes.GZIP, "original.txt"),
        ("report.txt.gz", gzip.compress(TEXT), mediatypes.GZIP, "report.txt"),
        ("b.tgz", gzip.compress(TEXT), mediatypes.GZIP, "b.tar"),
        ("B.TAR.GZ", gzip.compress(TEXT), mediatypes.GZIP, "B.TAR"),
        ("noext", gzip.compress(TEXT), mediatypes.GZIP, "content"),
        ("notes.bz2", bz2.compress(TEXT), mediatypes.BZIP2, "notes"),
        ("y.tar.xz", lzma.compress(TEXT), mediatypes.XZ, "y.tar"),
        ("z.txz", lzma.compress(TEXT), mediatypes.XZ, "z.tar"),
        (
            "w.gz",
            gzip_with_extra_and_name(TEXT, b"AB\x02\x00hi", b"caf\xe9.txt"),
            mediatypes.GZIP,
            "caf\xe9.txt",
        ),
        (
            "v.gz",
            gzip_with_extra_and_name(TEXT, b"", b"../../etc/cron.d/x"),
            mediatypes.GZIP,
            "../../etc/cron.d/x",
        ),
    ],
    ids=[
        "gzip-fname",
        "gz-suffix",
        "tgz",
        "upper-case",
        "no-suffix",
        "bz2",
        "tar-xz",
        "txz",
        "gzip-fextra-latin1",
        "gzip-traversal-name",
    ],
)
def test_member_name_and_content(container: str, data: bytes, media_type: str, member: str) -> None:
    children, notices = open_item(CompressedExtractor(), data, media_type, name=container)
    assert [(c.name, c.data) for c in children] == [(member, TEXT)]
    assert notices == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (".gz", "content"),
        ("a.gz", "a"),
        ("a.tbz2", "a.tar"),
        ("a.tbz", "a.tar"),
        ("a.zip", "content"),
    ],
)
def test_name_without_suffix(name: str, expected: str) -> None:
    assert name_without_suffix(name) == expected


def test_gzip_original_name_absent_or_unterminated() -> None:
    assert gzip_original_name(gzip.compress(TEXT)) is None
    assert gzip_original_name(b"\x1f\x8b\x08\x08" + bytes(6) + b"no terminator") is None
    assert gzip_original_name(b"\x1f\x8b\x08\x08" + bytes(6) + b"/\x00") is None


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (gzip.compress(b"first ") + gzip.compress(b"second"), mediatypes.GZIP),
        (bz2.compress(b"first ") + bz2.compress(b"second"), mediatypes.BZIP2),
        (lzma.compress(b"first ") + lzma.compress(b"second"), mediatypes.XZ),
    ],
    ids=["gzip", "bzip2", "xz"],
)
def test_concatenated_streams_are_read_as_one(data: bytes, media_type: str) -> None:
    children, notices = open_item(CompressedExtractor(), data, media_type)
    assert [c.data for c in children] == [b"first second"]
    assert notices == []


def test_tgz_through_the_pipeline() -> None:
    data = gzip.compress(make_tar([("docs/a.txt", b"inside the tarball")]))
    report = scan("release.tgz", data)
    assert seen(report) == {"release.tgz!release.tar!docs/a.txt": "inside the tarball"}
    assert problems(report) == []


def test_empty_content_is_an_empty_member() -> None:
    children, _ = open_item(CompressedExtractor(), gzip.compress(b""), mediatypes.GZIP, "e.gz")
    assert [(c.name, c.data) for c in children] == [("e", b"")]


# -- hostile streams ------------------------------------------------------------------------

BIG = bytes(range(256)) * 2000  # 512 KB that compresses a little, so a cut keeps a prefix


@pytest.mark.parametrize(
    ("compress", "media_type", "label"),
    [
        (gzip.compress, mediatypes.GZIP, "gzip"),
        (lambda data: bz2.compress(data, 1), mediatypes.BZIP2, "bzip2"),  # 100 KB blocks
        (lzma.compress, mediatypes.XZ, "xz"),
    ],
    ids=["gzip", "bzip2", "xz"],
)
def test_truncated_stream_yields_what_was_recovered_then_a_notice(
    compress: Callable[[bytes], bytes], media_type: str, label: str
) -> None:
    whole = compress(BIG)
    children, notices = open_item(CompressedExtractor(), whole[: len(whole) * 3 // 4], media_type)
    assert len(children) == 1
    recovered = children[0].data
    assert 0 < len(recovered) < len(BIG)
    assert BIG.startswith(recovered)
    assert [(n.detector, n.rule) for n in notices] == [("error", "truncated")]
    assert notices[0].message.startswith(f"truncated {label} stream: ")


def test_truncated_gzip_through_the_pipeline() -> None:
    whole = gzip.compress(TEXT * 40)
    report = scan("cut.txt.gz", whole[:-40])
    assert ("cut.txt.gz", "error", "truncated") in problems(report)
    assert seen(report)["cut.txt.gz!cut.txt"].startswith("The quarterly figures")


def test_truncated_before_any_output_is_an_item_error() -> None:
    with pytest.raises(ItemError, match="truncated gzip stream: Compressed file ended"):
        open_item(CompressedExtractor(), gzip.compress(TEXT)[:11], mediatypes.GZIP)


@pytest.mark.parametrize(
    ("data", "media_type", "message"),
    [
        (b"\x1f\x8b\x08\x00" + bytes(6) + b"\xff" * 40, mediatypes.GZIP, "corrupt gzip stream"),
        (b"BZh91AY&SY" + b"\x00" * 40, mediatypes.BZIP2, "corrupt bzip2 stream"),
        (b"\xfd7zXZ\x00" + b"\x00" * 40, mediatypes.XZ, "corrupt xz stream"),
        (b"", mediatypes.GZIP, "empty gzip stream"),
        (b"", mediatypes.XZ, "empty xz stream"),
    ],
    ids=["gzip", "bzip2", "xz", "empty-gzip", "empty-xz"],
)
def test_corrupt_stream_is_an_item_error(data: bytes, media_type: str, message: str) -> None:
    with pytest.raises(ItemError, match=message):
        open_item(CompressedExtractor(), data, media_type)


def test_trailing_garbage_keeps_the_content_and_is_reported() -> None:
    data = gzip.compress(TEXT) + b"appended payload"
    children, notices = open_item(CompressedExtractor(), data, mediatypes.GZIP)
    assert [c.data for c in children] == [TEXT]
    assert [(n.detector, n.rule) for n in notices] == [("error", "corrupt")]


def test_gzip_bomb_is_a_ratio_limit() -> None:
    bomb = gzip.compress(bytes(50 * 1024 * 1024))
    with pytest.raises(LimitReached) as raised:
        open_item(CompressedExtractor(), bomb, mediatypes.GZIP)
    assert raised.value.rule == "ratio"
    report = scan("bomb.gz", bomb)
    assert problems(report) == [("bomb.gz", "limit", "ratio")]


# -- properties -----------------------------------------------------------------------------

BASES = {
    mediatypes.GZIP: gzip_named(TEXT, "n.txt"),
    mediatypes.BZIP2: bz2.compress(TEXT),
    mediatypes.XZ: lzma.compress(TEXT),
}


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2048), st.sampled_from(sorted(BASES)))
def test_arbitrary_bytes_only_raise_item_errors(data: bytes, media_type: str) -> None:
    CompressedExtractor().sniff(data[:8192], data)
    expect_only_item_errors(CompressedExtractor(), data, media_type)
    expect_only_item_errors(CompressedExtractor(), BASES[media_type][:10] + data, media_type)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(BASES)),
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=6),
    st.integers(0, 10_000),
)
def test_mutated_streams_only_raise_item_errors(
    media_type: str, changes: list[tuple[int, int]], cut: int
) -> None:
    data = bytearray(BASES[media_type])
    for position, value in changes:
        data[position % len(data)] = value
    expect_only_item_errors(CompressedExtractor(), bytes(data[: max(cut, 1)]), media_type)
