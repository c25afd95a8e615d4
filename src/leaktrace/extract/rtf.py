"""Rich Text Format documents, converted with striprtf.

striprtf gives the body text but drops destinations such as headers, footers, footnotes,
annotations and shape text, so those groups are located here and converted one by one; the
``\\info`` group gives the title, author and other properties (also returned as metadata).
striprtf is regex based: the input is first defused of the constructs that make its regular
expressions slow or its conversion raise (oversized font tables, malformed ``\\uc``/``\\u``/
``\\bin`` words, hyperlink fields). Embedded OLE objects (``\\objdata``) are not extracted.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from striprtf.striprtf import rtf_to_text

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError, LimitReached
from leaktrace.core.item import Item
from leaktrace.core.plugin import ExtractContext, Extraction, Extractor

_MAGIC = b"{\\rtf"
_INFO_LABELS = {
    "title": ("Title", "title"),
    "subject": ("Subject", "subject"),
    "author": ("Author", "author"),
    "operator": ("Last modified by", "last_modified_by"),
    "keywords": ("Keywords", "keywords"),
    "doccomm": ("Comments", "comments"),
    "company": ("Company", "company"),
    "manager": ("Manager", "manager"),
    "category": ("Category", "category"),
}
_SIDE_GROUPS = (
    "header", "headerl", "headerr", "headerf", "footer", "footerl", "footerr", "footerf",
    "footnote", "annotation", "shptxt", "dptxbxtext",
)  # fmt: skip
_SIDE_WORDS = re.compile(r"(?:\\\*)?\\(?:" + "|".join(_SIDE_GROUPS) + r")(?![a-z])")
_GROUP_START = re.compile(r"\{\\(?:\*\\)?([a-z]{1,32})(?![a-z])")
_MAX_GROUPS = 500
_MAX_GROUP_CHARS = 1 << 20
_MAX_FONT_TABLE_CHARS = 256 * 1024
_FONT_TABLE_START = re.compile(r"\{[^{}]*\\fonttbl")
_BAD_UC = re.compile(r"\\uc(?![a-z0-9-])", re.IGNORECASE)
_BAD_BIN = re.compile(r"\\bin(?![a-z0-9])", re.IGNORECASE)
_UNICODE = re.compile(r"\\u(-?\d{1,10})")
_FIELD = re.compile(r"\\field\{")
_CHARSET = re.compile(r"\\fcharset\d+")
_BRACES = re.compile(r"\\[{}\\]|[{}]")
_MAX_METADATA_CHARS = 1000


class RtfExtractor(Extractor):
    name = "rtf"
    media_types = frozenset({mediatypes.RTF})
    sniff_priority = 70

    def sniff(self, head: bytes, data: bytes) -> str | None:
        start = head[3:] if head.startswith(codecs.BOM_UTF8) else head
        return mediatypes.RTF if start.lstrip().startswith(_MAGIC) else None

    def extract(self, item: Item, context: ExtractContext) -> Extraction:
        context.budget.check_time()
        source = _defuse(_decode(item.data))
        body = _convert(source)
        context.budget.check_time()
        metadata: dict[str, str] = {}
        info = list(_info_lines(source, metadata))
        side = []
        for _, group in _groups(source, _SIDE_GROUPS):
            context.budget.check_time()
            side.append(_convert(_as_document(group)))
        text = "\n".join(part.strip() for part in [body, *side, *info] if part.strip())
        return Extraction(text=text, metadata=metadata)


def _decode(data: bytes) -> str:
    """RTF is 7-bit with escapes; stray 8-bit bytes are UTF-8 when they decode as such."""
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _defuse(source: str) -> str:
    """Rewrite what would make striprtf slow or raise, without changing the visible text."""
    source = _FIELD.sub(r"\\field {", source)  # its HYPERLINK regex backtracks badly
    source = _BAD_UC.sub(r"\\uc1", source)
    source = _BAD_BIN.sub(r"\\bin0", source)
    source = _UNICODE.sub(_valid_unicode, source)
    return _trim_font_table(source)


def _valid_unicode(match: re.Match[str]) -> str:
    value = int(match.group(1))
    code = value + 0x10000 if value < 0 else value
    return match.group(0) if 0 <= code <= 0x10FFFF else "\\u63"


def _trim_font_table(source: str) -> str:
    """A font table too large for striprtf's font regex is dropped (only encodings are lost)."""
    start = _FONT_TABLE_START.search(source)
    if start is None:
        return source
    end = _group_end(source, start.start(), len(source))
    if end - start.start() <= _MAX_FONT_TABLE_CHARS:
        return source
    return source[: start.start()] + "{\\fonttbl}" + source[end:]


def _convert(source: str) -> str:
    try:
        text = _striprtf(source)
    except LookupError:  # a font charset Python has no codec for: read without charsets
        text = _striprtf(_CHARSET.sub("", source))
    # RTF writes characters beyond the BMP as surrogate pairs; join them, replace lone ones.
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _striprtf(source: str) -> str:
    try:
        return str(rtf_to_text(source, errors="replace"))  # type: ignore[no-untyped-call]
    except (LimitReached, LookupError):
        raise
    except RecursionError as error:
        raise ItemError("corrupt RTF: groups nested too deeply") from error
    except Exception as error:  # striprtf raises assorted types on malformed input
        raise ItemError(f"corrupt RTF: {type(error).__name__}: {str(error)[:200]}") from error


def _group_end(source: str, start: int, limit: int) -> int:
    """Index just past the group opening at ``start`` (escaped braces skipped)."""
    depth = 0
    for token in _BRACES.finditer(source, start, min(len(source), limit)):
        if token.group() == "{":
            depth += 1
        elif token.group() == "}":
            depth -= 1
            if depth == 0:
                return token.end()
    return min(len(source), limit)


def _groups(source: str, words: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """``(word, group content after the word)`` for each outermost ``{\\word ...}`` group.

    Groups nested in a group already yielded are part of its content (see ``_as_document``),
    so every character is converted at most once more than the body.
    """
    count = 0
    end = 0
    for match in _GROUP_START.finditer(source):
        word = match.group(1)
        if word not in words or match.start() < end:
            continue
        count += 1
        if count > _MAX_GROUPS:
            return
        end = _group_end(source, match.start(), match.start() + _MAX_GROUP_CHARS)
        yield word, source[match.end() : end - 1]


def _as_document(content: str) -> str:
    """A group's content as a document; nested side groups lose their word and read as text."""
    return "{\\rtf1 " + _SIDE_WORDS.sub("", content) + "}"


def _info_lines(source: str, metadata: dict[str, str]) -> Iterator[str]:
    info = next((group for _, group in _groups(source, ("info",))), "")
    for word, group in _groups(info, tuple(_INFO_LABELS)):
        value = _convert(_as_document(group)).strip()
        if value:
            label, key = _INFO_LABELS[word]
            metadata.setdefault(key, value[:_MAX_METADATA_CHARS])
            yield f"{label}: {value}"
