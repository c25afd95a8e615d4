"""Unix ``ar`` archives: Debian packages (``.deb``, ``.udeb``, ``.ipk``) and static libraries.

The format is a global header ``!<arch>\\n`` and members, each a 60-byte header (name 16,
modification time 12, owner 6, group 6, mode 8, size 10 in decimal, then the two bytes
"`\\n") and its data padded to an even length. GNU names end with "/", keep long names in a
"//" member and refer to them as "/<offset>"; BSD names "#1/<length>" put the name at the start
of the data. The symbol tables ("/", "/SYM64/", "__.SYMDEF") are index data, not content.
A package's ``data.tar.xz`` and ``control.tar.gz`` come out as children, and the compressed
and tar extractors open them in turn. Nothing is written to disk.
"""

from __future__ import annotations

from collections.abc import Iterator

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError, LimitReached
from leaktrace.core.item import Item
from leaktrace.core.plugin import Child, ExtractContext, Extraction, Extractor
from leaktrace.extract.zip import member_path, skip_member

MAGIC = b"!<arch>\n"
_HEADER = 60
_END = b"`\n"
_SYMBOL_TABLES = frozenset({"/", "/SYM64/", "__.SYMDEF", "__.SYMDEF SORTED"})


class ArExtractor(Extractor):
    name = "ar"
    media_types = frozenset({mediatypes.AR})
    sniff_priority = 75

    def sniff(self, head: bytes, data: bytes) -> str | None:
        return mediatypes.AR if head.startswith(MAGIC) else None

    def extract(self, item: Item, context: ExtractContext) -> Extraction:
        return Extraction(children=_members(item.data, context))


def _members(data: bytes, context: ExtractContext) -> Iterator[Child]:
    offset, long_names, examined = len(MAGIC), b"", 0
    while offset < len(data):
        context.budget.check_time()
        if data[offset : offset + 1] == b"\n":  # padding some writers leave at the end
            offset += 1
            continue
        header = data[offset : offset + _HEADER]
        size = _size(header, offset)
        start, end = offset + _HEADER, offset + _HEADER + size
        if end > len(data):
            raise ItemError(f"truncated ar archive: a member at byte {offset} runs past the end")
        raw_name = header[:16].decode("latin-1").rstrip(" ")
        body = data[start:end]
        offset = end + (size & 1)
        if raw_name == "//":
            long_names = body
            continue
        if raw_name in _SYMBOL_TABLES:
            continue
        name, body = _name(raw_name, body, long_names)
        examined += 1
        context.budget.check_members(examined)
        content = _charged(body, name, context)
        if content is not None:
            yield Child(name, content)


def _size(header: bytes, offset: int) -> int:
    if len(header) < _HEADER or header[58:60] != _END:
        raise ItemError(f"corrupt ar archive: no member header at byte {offset}")
    digits = header[48:58].strip()
    if not digits.isdigit():
        raise ItemError(f"corrupt ar archive: member size {digits!r} at byte {offset}")
    return int(digits)


def _name(raw: str, body: bytes, long_names: bytes) -> tuple[str, bytes]:
    """The member's name (GNU, BSD or plain) and its content without a BSD name prefix."""
    if raw.startswith("#1/") and raw[3:].isdigit():
        length = int(raw[3:])
        return member_path(body[:length].rstrip(b"\x00").decode("utf-8", "replace")), body[length:]
    if raw.startswith("/") and raw[1:].isdigit():
        start = int(raw[1:])
        stop = long_names.find(b"/\n", start)
        name = long_names[start : stop if stop >= 0 else None].decode("utf-8", "replace")
        return member_path(name), body
    return member_path(raw.removesuffix("/")), body


def _charged(body: bytes, name: str, context: ExtractContext) -> bytes | None:
    try:
        context.budget.charge(len(body))
    except LimitReached as error:
        skip_member(error, context, name)
        return None
    return body
