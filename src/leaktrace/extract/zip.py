"""Zip archives, read in memory with the standard library's ``zipfile``.

Recognised by the local-header, empty-archive or spanned-archive signature at the start, or by a
central directory that ends the data (a self-extracting or polyglot zip with bytes prepended) when
the head is not another known format. Encrypted members, unsupported compression methods and
damaged members are reported one by one and the rest is read; members whose compressed data
overlap (the overlapping-entry zip bomb) are refused without being expanded.

Member names are lineage names only, never filesystem paths: :func:`member_path` turns them into
a relative posix form that keeps ``..`` visible.
"""

from __future__ import annotations

import io
import lzma
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError, LimitReached, error_reason
from leaktrace.core.finding import Severity
from leaktrace.core.item import Item
from leaktrace.core.plugin import Child, ExtractContext, Extraction, Extractor
from leaktrace.detect.concealment import severity_of

_LEADING_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_END_RECORD = b"PK\x05\x06"
_END_RECORD_SIZE = 22
_CENTRAL_HEADER = b"PK\x01\x02"
_ZIP64_LOCATOR = b"PK\x06\x07"
_MAX_COMMENT = 0xFFFF
_LOCAL_HEADER_SIZE = 30
_ENCRYPTED_FLAG = 0x1
_STRONG_FLAG = 0x40
_AES_METHOD = 99  # WinZip AES: the real method is in the 0x9901 extra field
_SUPPORTED_METHODS = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)
# Heads of formats that may legitimately carry a zip at their end; their own extractors decide.
_OTHER_FORMAT_HEADS = (
    b"%PDF",
    b"\xff\xd8\xff",
    b"\x89PNG",
    b"GIF8",
    b"II*\x00",
    b"MM\x00*",
    b"RIFF",
    b"\xd0\xcf\x11\xe0",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ\x00",
    b"7z\xbc\xaf\x27\x1c",
    b"{\\rtf",
    b"Rar!",
)
# Per-member limits: the member is skipped and the archive goes on. Others stop the archive.
MEMBER_LIMIT_RULES = frozenset({"size", "ratio"})
_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    struct.error,
)
_OPEN_ERRORS = (*_READ_ERRORS, zipfile.LargeZipFile, IndexError, OverflowError, KeyError)


def member_path(raw: str, default: str = "unnamed") -> str:
    """A member name as a relative posix path for the lineage; ``..`` segments stay visible."""
    parts = [part for part in raw.replace("\\", "/").split("/") if part not in ("", ".")]
    return "/".join(parts) or default


def is_member_limit(error: LimitReached) -> bool:
    """Whether a limit concerns one member only, so that its siblings can still be read."""
    return error.rule in MEMBER_LIMIT_RULES


def skip_member(error: LimitReached, context: ExtractContext, name: str) -> None:
    """Report a limit that stops one member and let its siblings be read; re-raise one that
    stops the whole archive (time, total size, member count)."""
    if not is_member_limit(error):
        raise error
    context.notice("limit", error.rule, str(error), Severity.MEDIUM, member=name)


class ZipExtractor(Extractor):
    name = "zip"
    media_types = frozenset({mediatypes.ZIP})
    sniff_priority = 60  # below OOXML/ODF (80), which are zips with a known layout

    def sniff(self, head: bytes, data: bytes) -> str | None:
        if head.startswith(_LEADING_SIGNATURES):
            return mediatypes.ZIP
        if _is_other_format(head):
            return None
        return mediatypes.ZIP if _ends_with_central_directory(data) else None

    def extract(self, item: Item, context: ExtractContext) -> Extraction:
        archive = _open_archive(item.data)
        return Extraction(children=_members(archive, item.data, context))


def _is_other_format(head: bytes) -> bool:
    return head.startswith(_OTHER_FORMAT_HEADS) or head[257:262] == b"ustar"


def _ends_with_central_directory(data: bytes) -> bool:
    """Whether an end record closes ``data`` and points back at a central directory."""
    floor = max(0, len(data) - _END_RECORD_SIZE - _MAX_COMMENT)
    position = data.rfind(_END_RECORD, floor)
    while position != -1:
        if _valid_end_record(data, position):
            return True
        position = data.rfind(_END_RECORD, floor, position)
    return False


def _valid_end_record(data: bytes, position: int) -> bool:
    record = data[position : position + _END_RECORD_SIZE]
    if len(record) < _END_RECORD_SIZE:
        return False
    entries, directory_size, _offset, comment_size = struct.unpack("<10xHII H", record)
    if position + _END_RECORD_SIZE + comment_size != len(data) or entries == 0:
        return False
    if directory_size == 0xFFFFFFFF:  # zip64: the real sizes are in another record
        return data[position - 20 : position - 16] == _ZIP64_LOCATOR
    start = position - directory_size
    return start >= 0 and data[start : start + 4] == _CENTRAL_HEADER


def _open_archive(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except _OPEN_ERRORS as error:
        raise ItemError(f"corrupt zip: {error_reason(error)}") from None


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    index: int


def _members(archive: zipfile.ZipFile, data: bytes, context: ExtractContext) -> Iterator[Child]:
    infos = archive.infolist()
    overlapping = _overlapping_members(infos, data)
    if overlapping:
        context.notice(
            "limit",
            "overlap",
            f"{len(overlapping)} members share compressed data with others "
            "(overlapping-entry zip bomb?); not expanded",
            Severity.MEDIUM,
        )
    examined = 0
    for index, info in enumerate(infos):
        context.budget.check_time()
        if info.filename.endswith("/") or index in overlapping:  # directories hold no data
            continue
        examined += 1  # members only reported (encrypted, ...) count too: they cost a finding
        context.budget.check_members(examined)
        name = member_path(info.filename)
        content = _read_member(archive, info, name, context)
        if content is not None:
            yield Child(name, content)


def _overlapping_members(infos: list[zipfile.ZipInfo], data: bytes) -> frozenset[int]:
    """Members whose local header and compressed data overlap another member's."""
    spans = sorted(
        (_local_span(info, data, index) for index, info in enumerate(infos)),
        key=lambda span: (span.start, span.end),
    )
    overlapping: set[int] = set()
    furthest: _Span | None = None
    for span in spans:
        if furthest is not None and span.start < furthest.end:
            overlapping.update((span.index, furthest.index))
        if furthest is None or span.end > furthest.end:
            furthest = span
    return frozenset(overlapping)


def _local_span(info: zipfile.ZipInfo, data: bytes, index: int) -> _Span:
    start = info.header_offset
    lengths = data[start + 26 : start + _LOCAL_HEADER_SIZE]
    if start >= 0 and len(lengths) == 4:
        name_size, extra_size = struct.unpack("<HH", lengths)
    else:
        name_size, extra_size = len(info.orig_filename.encode("utf-8", "replace")), 0
    end = start + _LOCAL_HEADER_SIZE + name_size + extra_size + info.compress_size
    return _Span(start, end, index)


def _cipher(info: zipfile.ZipInfo) -> str:
    if info.compress_type == _AES_METHOD:
        return "AES"
    return "strong encryption" if info.flag_bits & _STRONG_FLAG else "ZipCrypto"


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, context: ExtractContext
) -> bytes | None:
    """The member's bytes, or ``None`` after leaving a notice saying why it was not read."""
    if info.flag_bits & _ENCRYPTED_FLAG:
        message = f"zip member {name} is encrypted ({_cipher(info)}); not inspected"
        context.notice("concealment", "encrypted", message, severity_of("encrypted"), name)
        return None
    if info.compress_type not in _SUPPORTED_METHODS:
        context.notice(
            "error",
            "unsupported",
            f"compression method {info.compress_type} is not supported; not inspected",
            member=name,
        )
        return None
    budget = context.budget
    try:
        budget.charge(info.file_size, info.compress_size)  # refuse a declared bomb unopened
        with archive.open(info) as stream:
            return budget.read(stream, compressed_size=info.compress_size)
    except LimitReached as error:
        skip_member(error, context, name)
    except _READ_ERRORS as error:
        context.notice("error", "corrupt", f"corrupt member: {error_reason(error)}", member=name)
    return None
