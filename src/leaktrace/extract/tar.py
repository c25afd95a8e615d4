"""Raw tar archives (ustar, GNU, pax and old v7), read in memory with ``tarfile``'s stream mode.

Compressed tars arrive here already unwrapped by the compressed extractor (``a.tar.gz`` becomes
``a.tar.gz!a.tar``). Only regular files are read; links and device entries are reported and
never followed, and nothing is ever written to disk. A truncated archive yields the members read
so far and then an error; bytes after an unreadable header are reported, not silently dropped.
"""

from __future__ import annotations

import io
import struct
import tarfile
from collections.abc import Iterator

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError, LimitReached, error_reason
from leaktrace.core.finding import Severity
from leaktrace.core.item import Item
from leaktrace.core.plugin import Child, ExtractContext, Extraction, Extractor
from leaktrace.extract.zip import member_path, skip_member

BLOCK = 512
_CHECKSUM = slice(148, 156)
_OCTAL_DIGITS = frozenset(b"01234567")
_TAR_ERRORS = (tarfile.TarError, EOFError, OSError, ValueError, OverflowError, struct.error)


class TarExtractor(Extractor):
    name = "tar"
    media_types = frozenset({mediatypes.TAR})
    # Before PDF (70): a tar whose first member is a PDF has "%PDF-" at offset 512, inside the
    # 1,024 bytes where a PDF header may sit, while the tar header checks are exact.
    sniff_priority = 75

    def sniff(self, head: bytes, data: bytes) -> str | None:
        if head[257:262] == b"ustar" or is_tar_header(head[:BLOCK]):
            return mediatypes.TAR
        return None

    def extract(self, item: Item, context: ExtractContext) -> Extraction:
        if not item.data.strip(b"\x00"):
            return Extraction()  # an empty archive is nothing but end-of-archive blocks
        archive = _open_archive(item.data)
        return Extraction(children=_members(archive, item.data, context))


def is_tar_header(block: bytes) -> bool:
    """Whether ``block`` is a tar header whose checksum is right (how v7 tars are recognised)."""
    if len(block) < BLOCK or block[0] == 0:
        return False
    digits = block[_CHECKSUM].replace(b"\x00", b" ").strip()
    if not digits or not set(digits) <= _OCTAL_DIGITS:
        return False
    stored = int(digits, 8)
    rest = block[:148] + b" " * 8 + block[156:BLOCK]
    # Some old writers summed signed chars; tarfile accepts both, so do we.
    signed = sum(struct.unpack(f"{BLOCK}b", rest))
    return stored in (sum(rest), signed)


def _open_archive(data: bytes) -> tarfile.TarFile:
    try:
        return tarfile.open(fileobj=io.BytesIO(data), mode="r|", encoding="utf-8", errors="replace")
    except _TAR_ERRORS as error:
        raise ItemError(f"corrupt tar: {error_reason(error)}") from None


def _members(archive: tarfile.TarFile, data: bytes, context: ExtractContext) -> Iterator[Child]:
    members = iter(archive)
    examined = 0
    while True:
        context.budget.check_time()
        try:
            member = next(members, None)
        except _TAR_ERRORS as error:
            raise ItemError(f"corrupt tar: {error_reason(error)}") from None
        if member is None:
            break
        if member.isdir():
            continue
        examined += 1  # links and devices count too: each costs a finding
        context.budget.check_members(examined)
        name = member_path(member.name)
        if member.isfile():
            content = _read_member(archive, member, name, context)
            if content is not None:
                yield Child(name, content)
        else:
            _report_special(member, name, context)
    _report_leftover(data, archive.offset, context)


def _read_member(
    archive: tarfile.TarFile, member: tarfile.TarInfo, name: str, context: ExtractContext
) -> bytes | None:
    budget = context.budget
    try:
        budget.charge(member.size)  # refuse an oversized member before reading it
        stream = archive.extractfile(member)
        if stream is None:
            return None
        return budget.read(stream)
    except LimitReached as error:
        skip_member(error, context, name)
        return None
    except _TAR_ERRORS as error:
        raise ItemError(f"truncated tar: {error_reason(error)} in {name!r}") from None


def _report_special(member: tarfile.TarInfo, name: str, context: ExtractContext) -> None:
    if member.issym():
        message = f"symbolic link to {member.linkname!r}; not followed"
    elif member.islnk():
        message = f"hard link to {member.linkname!r}; not followed"
    else:
        message = "device, pipe or other special entry; not read"
    context.notice("error", "not-regular", message, Severity.INFO, member=name)


def _report_leftover(data: bytes, offset: int, context: ExtractContext) -> None:
    """Report bytes after the last readable header that are not end-of-archive padding."""
    if data[offset:].strip(b"\x00"):
        context.notice(
            "error",
            "corrupt",
            f"unreadable tar header at byte {offset}; the remaining "
            f"{len(data) - offset} bytes were not inspected",
        )
