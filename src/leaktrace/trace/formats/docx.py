"""Word documents (docx): ``w:t`` text is marked, every other byte of every part is kept.

The parts are edited as text, not re-serialized: an XML library would rename namespace
prefixes or drop declarations that ``mc:Ignorable`` still names, and Word then calls the file
corrupt. Nodes are the ``w:t`` elements of the body, headers, footers, footnotes and endnotes
(not a text box's VML fallback copy, which Word never shows when it can read the drawing).

The format mark is a run property that changes nothing on the page, written in the schema's
order inside ``w:rPr``: ``<w:position w:val="0"/>`` (no raise) for 0, ``<w:w w:val="100"/>``
(100 % width) for 1, on the run of the first ``w:t`` of each run. Explicit run properties are
what Word keeps when it saves a file again (not tested here). A document whose styles set either
property gets no format marks.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

from leaktrace.core import mediatypes
from leaktrace.trace.formats import UnmarkableDocument, node_readings
from leaktrace.trace.plan import FormatMark, MarkPlan, Readings

FORMAT_ID = "format.docx.run"
FORMAT_MARK_FORMS = ('<w:position w:val="0"/>', '<w:w w:val="100"/>')
_MARK_NAMES = ("position", "w")
_MARK_VALUES = ("0", "100")

_MAIN = "word/document.xml"
_PART = re.compile(r"word/(?:document|header\d*|footer\d*|footnotes|endnotes)\.xml")
_TAG = re.compile(r"<(/?)(?:([\w.-]+):)?([\w.-]+)((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>")
_VAL = re.compile(r"""\bw:val\s*=\s*["']([^"']*)["']""")
_STYLE_SETS_MARK = re.compile(r"<w:(?:position|w)\b")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_REFERENCE = re.compile(r"&(amp|lt|gt|quot|apos|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
# CT_RPr children in schema order: a property must be written before every later one.
_RPR_ORDER = {
    name: rank
    for rank, name in enumerate(
        str.split(
            "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint"
            " noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight"
            " u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
        )
    )
}
_SEPARATORS = {"tab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-", "p": "\n"}


def is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return _MAIN in package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


@dataclass
class _Run:
    open_end: int
    """Where the run's start tag ends (a new ``w:rPr`` goes there)."""
    properties: tuple[int, int, bool] | None = None
    """The run's own ``w:rPr``: (start, end of its start tag, self-closing)."""
    children: list[tuple[str, int, str]] = field(default_factory=list)
    """Top-level children of that ``w:rPr``: (prefixed name, start, the tag)."""
    marked: bool = False
    """Whether a node of this run already offers the format mark."""


@dataclass(frozen=True)
class _Node:
    part: str
    text: str
    tag_start: int
    tag_end: int
    end: int
    preserve: bool
    run: _Run | None
    first_in_run: bool


def _text(content: str) -> str:
    """XML character data decoded in one pass (entities and character references)."""
    return _REFERENCE.sub(_decoded_reference, content)


def _decoded_reference(match: re.Match[str]) -> str:
    name = match.group(1)
    if name[0] != "#":
        return _ENTITIES[name]
    code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
    return chr(code) if 0 < code < 0x110000 else match.group()


def _nodes(part: str, xml: str) -> Iterator[tuple[_Node, str | None]]:
    """Every ``w:t`` of a part with what a reader sees between it and the previous one."""
    run: _Run | None = None
    fallback = 0
    properties_depth = 0
    between = ""
    position = 0
    while (match := _TAG.search(xml, position)) is not None:
        position = match.end()
        closing, prefix, name, attributes, empty = match.groups()
        if (prefix, name) == ("mc", "Fallback") and not empty:
            fallback += -1 if closing else 1
        if fallback or prefix != "w":
            if run is not None and properties_depth == 1 and not closing:
                run.children.append((f"{prefix}:{name}", match.start(), match.group()))
            continue
        if name == "r" and not empty:
            run = None if closing else _Run(match.end())
        elif name == "rPr" and run is not None:
            if properties_depth == 0 and not closing and run.properties is None:
                run.properties = (match.start(), match.end(), bool(empty))
            if not empty:
                properties_depth += -1 if closing else 1
        elif run is not None and properties_depth == 1 and not closing:
            run.children.append((f"w:{name}", match.start(), match.group()))
        elif name == "t" and not closing and not empty:
            close = xml.find("</w:t>", match.end())
            if close < 0:
                break
            node = _Node(
                part, _text(xml[match.end() : close]), match.start(), match.end(), close,
                "preserve" in attributes, run, run is not None and not run.marked,
            )  # fmt: skip
            if run is not None:
                run.marked = True
            yield node, between
            between = ""
            position = close + len("</w:t>")
        elif name in _SEPARATORS and (closing or empty or name != "p"):
            between += _SEPARATORS[name]


class DocxDocument:
    """A Word document."""

    media_type = mediatypes.DOCX
    layers = frozenset({"wording", "invisible", "format"})

    def __init__(self, data: bytes) -> None:
        self.data = data
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            self.infos = package.infolist()
            self.contents = {info.filename: package.read(info) for info in self.infos}
        self.parts = {
            name: _decoded(name, raw)
            for name, raw in self.contents.items()
            if _PART.fullmatch(name)
        }
        self.node_list: list[_Node] = []
        self.joins: list[str | None] = []
        for name in sorted(self.parts, key=lambda part: (part != _MAIN, part)):
            for index, (node, between) in enumerate(_nodes(name, self.parts[name])):
                if self.node_list:
                    self.joins.append(between if index else None)
                self.node_list.append(node)
        self.nodes = [node.text for node in self.node_list]
        styles = self.contents.get("word/styles.xml", b"").decode("utf-8", "replace")
        eligible = frozenset(index for index, node in enumerate(self.node_list) if _can_mark(node))
        self.format_mark: FormatMark | None = (
            None
            if _STYLE_SETS_MARK.search(styles)
            else FormatMark(FORMAT_ID, FORMAT_MARK_FORMS, eligible)
        )

    @classmethod
    def parse(cls, data: bytes) -> DocxDocument:
        try:
            return cls(data)
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as error:
            raise UnmarkableDocument(f"a broken Word document: {error}") from error

    def save(self, nodes: Sequence[str], format_bits: Mapping[int, int], path: Path) -> None:
        edits: dict[str, list[tuple[int, int, str]]] = {name: [] for name in self.parts}
        for index, (node, text) in enumerate(zip(self.node_list, nodes, strict=True)):
            part = edits[node.part]
            if text != node.text:
                part.append((node.tag_end, node.end, escape(text)))
                if text != text.strip() and not node.preserve:
                    part.append((node.tag_start, node.tag_end, '<w:t xml:space="preserve">'))
            bit = format_bits.get(index)
            if bit is not None and node.run is not None and node.first_in_run:
                part.append(_property_edit(self.parts[node.part], node.run, bit))
        changed = {
            name: _applied(self.parts[name], part).encode("utf-8")
            for name, part in edits.items()
            if part
        }
        with zipfile.ZipFile(path, "w") as package:
            for info in self.infos:
                package.writestr(info, changed.get(info.filename, self.contents[info.filename]))


def _decoded(name: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnmarkableDocument(f"{name} is not UTF-8 XML") from error


def _can_mark(node: _Node) -> bool:
    run = node.run
    if run is None or not node.first_in_run:
        return False
    names = {name for name, _, _ in run.children}
    return not names & {"w:position", "w:w"}


def _property_edit(xml: str, run: _Run, bit: int) -> tuple[int, int, str]:
    """Where and what to write so that the run's properties carry the mark for ``bit``."""
    mark = FORMAT_MARK_FORMS[bit]
    if run.properties is None:
        return run.open_end, run.open_end, f"<w:rPr>{mark}</w:rPr>"
    start, open_end, empty = run.properties
    if empty:
        return start, open_end, f"<w:rPr>{mark}</w:rPr>"
    rank = _RPR_ORDER[_MARK_NAMES[bit]]
    for name, child_start, _ in run.children:
        local = name.split(":", 1)[1]
        if not name.startswith("w:") or _RPR_ORDER.get(local, len(_RPR_ORDER)) > rank:
            return child_start, child_start, mark
    close = xml.find("</w:rPr>", open_end)
    return close, close, mark


def _applied(xml: str, edits: list[tuple[int, int, str]]) -> str:
    pieces: list[str] = []
    done = 0
    for start, end, text in sorted(edits):
        pieces += (xml[done:start], text)
        done = end
    pieces.append(xml[done:])
    return "".join(pieces)


def read_format_marks(data: bytes, plan: MarkPlan) -> Readings:
    """The run-property marks of ``plan``'s format slots in a Word document."""
    if not any(slot.variant == FORMAT_ID for slot in plan.slots):
        return np.full(len(plan.slots), -1, dtype=np.int8)
    nodes = DocxDocument.parse(data).node_list
    marked = ((n.text, functools.partial(_mark_bit, n.run)) for n in nodes if n.run is not None)
    return node_readings(plan, FORMAT_ID, marked)


def _mark_bit(run: _Run) -> int:
    bits = set()
    for name, _, tag in run.children:
        for bit, (mark, value) in enumerate(zip(_MARK_NAMES, _MARK_VALUES, strict=True)):
            found = _VAL.search(tag)
            if name == f"w:{mark}" and found is not None and found.group(1) == value:
                bits.add(bit)
    return bits.pop() if len(bits) == 1 else -1
