"""Single-stream compression: gzip, bzip2 and xz, each unwrapped into its one member.

The member is named after the gzip header's original file name when there is one, otherwise after
the container's own name without its compression suffix (``a.tgz`` gives ``a.tar``), otherwise
``content``. Concatenated streams are read as one. A truncated or damaged stream still yields what
could be decompressed before the damage, followed by an error notice.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zlib
from collections.abc import Callable, Iterator
from typing import IO

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError, error_reason
from leaktrace.core.item import Item
from leaktrace.core.plugin import Child, ExtractContext, Extraction, Extractor
from leaktrace.extract.zip import member_path

DEFAULT_NAME = "content"
_GZIP_MAGIC = b"\x1f\x8b\x08"
_XZ_MAGIC = b"\xfd7zXZ\x00"
_BZIP2_BLOCK = b"1AY&SY"
_BZIP2_END = b"\x17\x72\x45\x38\x50\x90"
_FEXTRA = 0x04
_FNAME = 0x08
_MAX_NAME_BYTES = 1024
# Container suffix → what the member's name ends with instead.
_SUFFIXES = (
    (".tgz", ".tar"),
    (".tbz2", ".tar"),
    (".tbz", ".tar"),
    (".txz", ".tar"),
    (".gz", ""),
    (".bz2", ""),
    (".xz", ""),
)
_LABELS = {mediatypes.GZIP: "gzip", mediatypes.BZIP2: "bzip2", mediatypes.XZ: "xz"}
_STREAM_ERRORS = (EOFError, OSError, ValueError, zlib.error, lzma.LZMAError)

Opener = Callable[[IO[bytes]], io.BufferedIOBase]


def _open_gzip(raw: IO[bytes]) -> io.BufferedIOBase:
    return gzip.GzipFile(fileobj=raw, mode="rb")


def _open_bzip2(raw: IO[bytes]) -> io.BufferedIOBase:
    return bz2.BZ2File(raw, mode="rb")


def _open_xz(raw: IO[bytes]) -> io.BufferedIOBase:
    return lzma.LZMAFile(raw, mode="rb", format=lzma.FORMAT_XZ)


_OPENERS: dict[str, Opener] = {
    mediatypes.GZIP: _open_gzip,
    mediatypes.BZIP2: _open_bzip2,
    mediatypes.XZ: _open_xz,
}


class CompressedExtractor(Extractor):
    name = "compressed"
    media_types = frozenset(_OPENERS)

    def sniff(self, head: bytes, data: bytes) -> str | None:
        if head.startswith(_GZIP_MAGIC):
            return mediatypes.GZIP
        if head.startswith(_XZ_MAGIC):
            return mediatypes.XZ
        if _is_bzip2(head):
            return mediatypes.BZIP2
        return None

    def extract(self, item: Item, context: ExtractContext) -> Extraction:
        opener = _OPENERS.get(item.media_type)
        if opener is None:
            raise ItemError(f"not a compressed stream this extractor reads: {item.media_type}")
        if not item.data:
            raise ItemError(f"empty {_LABELS[item.media_type]} stream")
        name = _member_name(item)
        return Extraction(children=_member(item, opener, name, context))


def _is_bzip2(head: bytes) -> bool:
    return (
        head[:3] == b"BZh"
        and head[3:4] in (b"1", b"2", b"3", b"4", b"5", b"6", b"7", b"8", b"9")
        and head[4:10] in (_BZIP2_BLOCK, _BZIP2_END)
    )


def _member_name(item: Item) -> str:
    if item.media_type == mediatypes.GZIP:
        original = gzip_original_name(item.data)
        if original:
            return original
    return name_without_suffix(item.lineage.name)


def gzip_original_name(data: bytes) -> str | None:
    """The file name stored in a gzip header (FNAME), if any, as a lineage member name."""
    if len(data) < 10 or not data[3] & _FNAME:
        return None
    position = 10
    if data[3] & _FEXTRA:
        position += 2 + int.from_bytes(data[10:12], "little")
    end = data.find(b"\x00", position, position + _MAX_NAME_BYTES)
    if end == -1:
        return None
    # RFC 1952: the name is ISO 8859-1.
    return member_path(data[position:end].decode("latin-1"), default="") or None


def name_without_suffix(container: str) -> str:
    """``a.tar.gz`` → ``a.tar``, ``a.tgz`` → ``a.tar``; a name without such suffix → content."""
    lowered = container.lower()
    for suffix, replacement in _SUFFIXES:
        if lowered.endswith(suffix) and len(container) > len(suffix):
            return container[: -len(suffix)] + replacement
    return DEFAULT_NAME


class _UpToDamage:
    """Reads a decompressing stream until its end or its first damage, keeping what came before.

    ``read1`` makes one decompression step per call, so a failing step loses no earlier output.
    """

    def __init__(self, stream: io.BufferedIOBase) -> None:
        self._stream = stream
        self.damage: BaseException | None = None

    def read(self, size: int = -1) -> bytes:
        if self.damage is not None:
            return b""
        try:
            return self._stream.read1(size)
        except _STREAM_ERRORS as error:
            self.damage = error
            return b""


def _member(item: Item, opener: Opener, name: str, context: ExtractContext) -> Iterator[Child]:
    label = _LABELS[item.media_type]
    with opener(io.BytesIO(item.data)) as stream:
        reader = _UpToDamage(stream)
        # The budget only calls read(); the wrapper is a file object in every way it uses.
        content = context.budget.read(reader, compressed_size=len(item.data))  # type: ignore[arg-type]
    damage = reader.damage
    if damage is None:
        yield Child(name, content)
        return
    problem = "truncated" if isinstance(damage, EOFError) else "corrupt"
    message = f"{problem} {label} stream: {error_reason(damage)}"
    if not content:
        raise ItemError(message)
    yield Child(name, content)
    context.notice("error", problem, f"{message}; only the first {len(content)} bytes were read")
