"""HTML pages: their visible text, their descriptive metadata, and files hidden in ``data:`` URIs.

Script and style content is dropped (it is code, not prose); ``noscript`` is kept. Block
elements become line breaks. ``data:`` URIs in ``src``/``href``/``data``/``poster`` attributes
are decoded and yielded as members ``data-uri-<N>.<ext>``: a file smuggled inside a page is
inspected like any other. :func:`html_to_text` is shared with the mail extractor.
"""

from __future__ import annotations

import base64
import binascii
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from leaktrace.core import mediatypes
from leaktrace.core.item import Item
from leaktrace.core.plugin import Child, ExtractContext, Extraction, Extractor
from leaktrace.extract.textcodec import bom_encoding, decode_text

# fmt: off
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd",
    "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "legend",
    "li", "main", "nav", "ol", "option", "p", "pre", "section", "summary", "table", "tbody",
    "td", "tfoot", "th", "thead", "title", "tr", "ul",
})
# fmt: on
_DROPPED_TAGS = frozenset({"script", "style"})
_META_NAMES = frozenset({"description", "keywords", "author", "subject", "title"})
_URI_ATTRIBUTES = ("src", "href", "data", "poster")
_SPACES = re.compile(r"\s+")

_LEADING_NOISE = re.compile(
    rb"\A(?:\s+|<!--.*?-->|<\?xml[^>]*\?>)*", re.DOTALL
)  # whitespace, comments and an XML prolog (XHTML) before the first tag
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body")
_COMMON_TAG = re.compile(
    rb"<(p|div|span|a|br|table|tr|td|th|li|ul|ol|h[1-6]|b|i|u|strong|em|img|form|input|"
    rb"meta|link|title|font|center|script|style)[\s>/]",
    re.IGNORECASE,
)
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)

_CHARSET_NAME = re.compile(r"[A-Za-z0-9_.:-]{1,40}")

_EXTENSIONS = {
    "application/pdf": "pdf",
    "application/zip": "zip",
    "application/gzip": "gz",
    "application/octet-stream": "bin",
    "application/msword": "doc",
    mediatypes.DOCX: "docx",
    mediatypes.XLSX: "xlsx",
    mediatypes.PPTX: "pptx",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/bmp": "bmp",
    "image/tiff": "tif",
    "image/svg+xml": "svg",
    "text/plain": "txt",
    "text/html": "html",
    "text/csv": "csv",
    "message/rfc822": "eml",
}


def extension_for(content_type: str) -> str:
    """A file extension for a MIME type, from a fixed table (``bin`` when unknown)."""
    return _EXTENSIONS.get(content_type.strip().lower(), "bin")


@dataclass(frozen=True, slots=True)
class DataUri:
    """The decoded payload of one ``data:`` URI."""

    content_type: str
    payload: bytes
    encoded_size: int


def parse_data_uri(uri: str) -> DataUri | None:
    """Decode a ``data:`` URI (base64 or percent-encoded); ``None`` if it is not one."""
    if uri[:5].lower() != "data:":
        return None
    header, comma, body = uri[5:].partition(",")
    if not comma:
        return None
    params = [p.strip() for p in header.split(";")]
    content_type = params[0].lower() or "text/plain"
    try:
        if any(p.lower() == "base64" for p in params[1:]):
            compact = "".join(body.split())
            payload = base64.b64decode(compact + "=" * (-len(compact) % 4), validate=False)
        else:
            payload = urllib.parse.unquote_to_bytes(body)
    except (binascii.Error, ValueError):
        return None
    return DataUri(content_type, payload, len(body))


# -- text ---------------------------------------------------------------------------------------


def _element_extras(node: LexborNode) -> str:
    """Text an element carries in attributes rather than content (alt text, meta content)."""
    tag = node.tag
    attributes = node.attributes
    if tag in ("img", "area") and attributes.get("alt"):
        return str(attributes["alt"])
    if tag == "meta":
        name = str(attributes.get("name") or attributes.get("property") or "").lower()
        name = name.rsplit(":", 1)[-1]
        if name in _META_NAMES and attributes.get("content"):
            return f"{name}: {attributes['content']}"
    return ""


def _walk_text(root: LexborNode) -> Iterator[str]:
    """Yield text pieces in document order, with ``"\\n"`` around block elements.

    An explicit stack, not recursion: hostile pages nest elements thousands deep.
    """
    stack: list[LexborNode | None] = [root]
    while stack:
        node = stack.pop()
        if node is None:  # the end of a block element
            yield "\n"
            continue
        tag = node.tag
        if tag == "-text":
            yield node.text_content or ""
            continue
        if tag in _DROPPED_TAGS or tag in ("-comment", "-doctype"):
            continue
        block = tag in _BLOCK_TAGS
        extras = _element_extras(node) if node.is_element_node else ""
        if block or extras:
            yield "\n"
        if extras:
            yield extras
            yield "\n"
        if block:
            stack.append(None)
        children: list[LexborNode] = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend(reversed(children))


def _tidy(pieces: Iterator[str]) -> str:
    """Collapse runs of whitespace inside lines and drop empty lines."""
    lines = "".join(pieces).split("\n")
    kept = (_SPACES.sub(" ", line).strip() for line in lines)
    return "\n".join(line for line in kept if line)


def html_to_text(html: str) -> str:
    """The readable text of an HTML document or fragment, one block per line."""
    parser = LexborHTMLParser(html)
    root = parser.root
    if root is None:
        return ""
    return _tidy(_walk_text(root))


# -- the extractor ------------------------------------------------------------------------------


def clean_charset(name: str | None) -> str | None:
    """A declared charset if it can be a codec name at all (hostile labels can hold NULs)."""
    return name if name and _CHARSET_NAME.fullmatch(name) else None


def declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def looks_like_html(head: bytes) -> bool:
    """A document that opens with an HTML tag, or markup dense in common HTML tags."""
    if bom_encoding(head) == "utf-8-sig":
        head = head[3:]
    match = _LEADING_NOISE.match(head)
    start = head[match.end() if match else 0 :]
    lowered = start[:64].lower()
    if lowered.startswith(_HTML_STARTS):
        return True
    if not lowered.startswith(b"<") or lowered.startswith(b"<?"):
        return False  # prose, mail headers or XML: not claimed on tag density alone
    tags = [m.group(1).lower() for m in _COMMON_TAG.finditer(head)]
    return len(tags) >= 5 and len(set(tags)) >= 3


class HtmlExtractor(Extractor):
    name = "html"
    media_types = frozenset({mediatypes.HTML})
    sniff_priority = 30

    def sniff(self, head: bytes, data: bytes) -> str | None:
        return mediatypes.HTML if looks_like_html(head) else None

    def extract(self, item: Item, context: ExtractContext) -> Extraction:
        html, encoding = decode_text(item.data, declared=declared_charset(item.data))
        parser = LexborHTMLParser(html)
        root = parser.root
        text = _tidy(_walk_text(root)) if root is not None else ""
        uris = [uri for uri in _data_uris(parser) if uri]
        return Extraction(
            text=text or None,
            children=_data_uri_children(uris, context),
            metadata={"encoding": encoding},
        )


def _data_uris(parser: LexborHTMLParser) -> Iterator[str]:
    for attribute in _URI_ATTRIBUTES:
        for node in parser.css(f"[{attribute}]"):
            value = node.attributes.get(attribute)
            if value and value.lstrip()[:5].lower() == "data:":
                yield value.strip()


def _data_uri_children(uris: list[str], context: ExtractContext) -> Iterator[Child]:
    for number, uri in enumerate(uris, start=1):
        context.budget.check_time()
        decoded = parse_data_uri(uri)
        name = f"data-uri-{number}.bin"
        if decoded is None:
            context.notice("error", "corrupt", "data: URI cannot be decoded", member=name)
            continue
        name = f"data-uri-{number}.{extension_for(decoded.content_type)}"
        payload = context.budget.accept(decoded.payload, decoded.encoded_size)
        yield Child(name, payload, {"content_type": decoded.content_type})
