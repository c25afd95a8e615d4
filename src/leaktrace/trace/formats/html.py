"""HTML pages: text nodes are marked, the markup is kept byte for byte.

A small lexer finds tags, comments and text; text inside ``script``, ``style``, ``head`` and
code-like elements (``code``, ``pre``, ``kbd``, ...) is never marked, nor any attribute. A
changed node is written back through a character diff, so entities it had elsewhere stay as
they were. The format mark is an attribute that changes nothing a browser shows, on the
element holding a node: ``translate="yes"`` for 0, ``spellcheck="true"`` for 1. Attributes
survive a browser's "save page" and any HTML parser's round trip (quoting and order may
change, which the reader does not care about).
"""

from __future__ import annotations

import difflib
import functools
import html
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from leaktrace.core import mediatypes
from leaktrace.extract.textcodec import decode_text
from leaktrace.trace.formats import node_readings
from leaktrace.trace.plan import FormatMark, MarkPlan, Readings

FORMAT_ID = "format.html.attribute"
MARKS = (("translate", "yes"), ("spellcheck", "true"))
FORMAT_MARK_FORMS = ('translate="yes"', 'spellcheck="true"')

_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<![^>]*>|<\?[^>]*>"
    r"|</(?P<end>[A-Za-z][^\s/>]*)[^>]*>"
    r"|<(?P<start>[A-Za-z][^\s/>]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S,
)
_ATTRIBUTE = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_ENTITY = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?(?:\s+|<!--.*?-->|<\?xml[^>]*\?>)*<(!doctype\s+html|html|head|body)",
    re.I | re.S,
)
_RAW_TEXT = frozenset(
    {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"}
)
_UNMARKED = (
    frozenset({"code", "pre", "kbd", "samp", "var", "svg", "math", "template", "head"}) | _RAW_TEXT
)
_HIDDEN = frozenset(
    {"script", "style", "template", "head", "title", "noembed", "noframes", "iframe"}
)
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})  # fmt: skip
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "div",
    "dl", "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})  # fmt: skip


def is_html(data: bytes) -> bool:
    """Whether a file is an HTML page (it starts like one)."""
    return _START.match(data[:4096]) is not None


@dataclass(frozen=True)
class _Tag:
    name: str
    start: int
    end: int
    attributes: str


@dataclass(frozen=True)
class _Text:
    start: int
    end: int
    text: str
    markable: bool
    parent: _Tag | None
    before: str | None
    """What a reader sees between the previous markable text and this one (None: unknown)."""


class HtmlDocument:
    """An HTML page."""

    media_type = mediatypes.HTML
    layers = frozenset({"wording", "invisible", "format"})

    def __init__(self, source: str, encoding: str) -> None:
        self.source = source
        self.encoding = encoding
        texts = [item for item in _texts(source) if item.markable]
        self.texts = texts
        self.nodes = [item.text for item in texts]
        self.joins: list[str | None] = [item.before for item in texts[1:]]
        self.format_mark: FormatMark | None = FormatMark(
            FORMAT_ID, FORMAT_MARK_FORMS, frozenset(_format_nodes(texts))
        )

    @classmethod
    def parse(cls, data: bytes) -> HtmlDocument:
        declared = _META_CHARSET.search(data[:4096])
        text, encoding = decode_text(data, declared.group(1).decode("ascii") if declared else None)
        return cls(text, encoding)

    def save(self, nodes: Sequence[str], format_bits: Mapping[int, int], path: Path) -> None:
        edits: list[tuple[int, int, str]] = []
        for index, (item, node) in enumerate(zip(self.texts, nodes, strict=True)):
            if node != item.text:
                raw = self.source[item.start : item.end]
                edits.append((item.start, item.end, _rewritten(raw, item.text, node)))
            bit = format_bits.get(index)
            if bit is not None and item.parent is not None:
                name, value = MARKS[bit]
                close = item.parent.end - (2 if self.source[item.parent.end - 2] == "/" else 1)
                edits.append((close, close, f' {name}="{value}"'))
        pieces: list[str] = []
        done = 0
        for start, end, text in sorted(edits):
            pieces += (self.source[done:start], text)
            done = end
        pieces.append(self.source[done:])
        path.write_bytes("".join(pieces).encode(self.encoding, errors="xmlcharrefreplace"))


def _texts(source: str) -> Iterator[_Text]:
    """Every text node in order, with its parent element and what lies between markable ones."""
    stack: list[_Tag] = []
    between: list[str | None] = []
    position = 0
    while position < len(source):
        match = _TOKEN.search(source, position)
        end = match.start() if match else len(source)
        if end > position:
            item = _text(source, position, end, stack, between)
            if item.markable:
                between = []
                yield item
        if match is None:
            break
        position = _tag(source, match, stack, between)


def _text(source: str, start: int, end: int, stack: list[_Tag], between: list[str | None]) -> _Text:
    names = {tag.name for tag in stack}
    text = _unescape(source[start:end])
    markable = names.isdisjoint(_UNMARKED) and bool(text.strip())
    if not markable:
        between.append("" if not names.isdisjoint(_HIDDEN) else text)
    before = None if None in between else "".join(item for item in between if item is not None)
    return _Text(start, end, text, markable, stack[-1] if stack else None, before)


def _tag(source: str, match: re.Match[str], stack: list[_Tag], between: list[str | None]) -> int:
    """Track open elements; return where lexing goes on (past a raw-text element's content)."""
    if match.group("end"):
        name = match.group("end").lower()
        between.append("\n" if name in _BLOCK else "")
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth].name == name:
                del stack[depth:]
                break
        return match.end()
    if not match.group("start"):
        return match.end()  # a comment, doctype or processing instruction
    name = match.group("start").lower()
    between.append("\n" if name in _BLOCK else "")
    tag = _Tag(name, match.start(), match.end(), match.group("attrs") or "")
    if name in _RAW_TEXT:
        close = re.compile(rf"</{name}\s*>", re.I).search(source, match.end())
        content = source[match.end() : close.start() if close else len(source)]
        between.append("" if name in _HIDDEN else _unescape(content))
        return close.end() if close else len(source)
    if name not in _VOID and not tag.attributes.rstrip().endswith("/"):
        stack.append(tag)
    return match.end()


def _format_nodes(texts: Sequence[_Text]) -> Iterator[int]:
    """The first node of each element that has no mark attribute of its own yet."""
    seen: set[int] = set()
    for index, item in enumerate(texts):
        parent = item.parent
        if parent is None or parent.start in seen or parent.name in ("html", "body"):
            continue
        seen.add(parent.start)
        names = {name.lower() for name, *_ in _ATTRIBUTE.findall(parent.attributes)}
        if names.isdisjoint(name for name, _ in MARKS):
            yield index


def _rewritten(raw: str, old: str, new: str) -> str:
    """``raw`` (escaped ``old``) changed to say ``new``, keeping its entities where unchanged."""
    pieces = _raw_pieces(raw)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            for index in range(old_start, old_end):
                piece = pieces[index]
                out.append(_escape(old[index]) if piece is None else piece)
        else:
            out.append(_escape(new[new_start:new_end]))
    return "".join(out)


def _raw_pieces(raw: str) -> list[str | None]:
    """Per character of the unescaped text: its raw source (None inside an entity's expansion)."""
    pieces: list[str | None] = []
    done = 0
    for match in _ENTITY.finditer(raw):
        pieces += raw[done : match.start()]
        expanded = html.unescape(match.group())
        if expanded == match.group():
            pieces += expanded  # not an entity after all: literal characters
        else:
            pieces += [match.group()] + [None] * (len(expanded) - 1)
        done = match.end()
    pieces += raw[done:]
    return pieces


def _unescape(raw: str) -> str:
    """Character references decoded one by one, exactly as ``_raw_pieces`` splits them."""
    return _ENTITY.sub(lambda match: html.unescape(match.group()), raw)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def read_format_marks(data: bytes, plan: MarkPlan) -> Readings:
    """The HTML attribute marks of ``plan``'s format slots in a page."""
    if not any(slot.variant == FORMAT_ID for slot in plan.slots):
        return np.full(len(plan.slots), -1, dtype=np.int8)
    texts = HtmlDocument.parse(data).texts
    marked = (
        (t.text, functools.partial(_mark_bit, t.parent.attributes))
        for t in texts
        if t.parent is not None
    )
    return node_readings(plan, FORMAT_ID, marked)


def _mark_bit(attributes: str) -> int:
    found = {
        name.lower(): (a or b or c).lower() for name, a, b, c in _ATTRIBUTE.findall(attributes)
    }
    bits = {bit for bit, (name, value) in enumerate(MARKS) if found.get(name) == value}
    return bits.pop() if len(bits) == 1 else -1
