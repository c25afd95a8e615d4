"""Documents that can be written as traced copies: plain text, Markdown, HTML and docx.

A markable document exposes its text as nodes in reading order (the whole text of a plain
file; the prose between code and URLs of a Markdown file; every text node of an HTML page
outside scripts, styles and code; every ``w:t`` of a docx body, headers, footers, footnotes
and endnotes), says what a reader sees between two nodes (``joins``), which layers it can
hold, and which format mark it offers. ``save`` writes a copy with changed nodes and format
bits, leaving everything else as it was.

PDF is not supported: rewriting a PDF's text means re-typesetting it (glyph runs are placed
by position and subset fonts lack the marks' characters), so a copy would not look the same.

Errors: ``UnmarkableDocument`` (a ``UsageError``) for a file that cannot be marked.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from leaktrace.core.errors import UsageError
from leaktrace.extract.textcodec import decode_text, looks_like_text
from leaktrace.trace.place import plan_marks
from leaktrace.trace.plan import FormatMark, MarkPlan, Readings
from leaktrace.trace.tokens import text_hash, words


class UnmarkableDocument(UsageError):
    """A file LeakTrace cannot write traced copies of (unsupported format, unwritable text)."""


class MarkableDocument(Protocol):
    """A document as the marking layers see it."""

    nodes: list[str]
    joins: list[str | None]
    """What a reader sees between node i and i + 1: text, or None when that is unknown."""
    layers: frozenset[str]
    format_mark: FormatMark | None
    media_type: str
    """What the store records as the issued document's format."""

    def save(self, nodes: Sequence[str], format_bits: Mapping[int, int], path: Path) -> None:
        """Write a copy with ``nodes`` and a format mark per node of ``format_bits``."""
        ...


def load_markable(path: Path) -> MarkableDocument:
    """Open a document by its content (the suffix only tells Markdown from plain text)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnmarkableDocument(f"{path}: cannot read ({error.strerror or error})") from error
    return parse_markable(data, path.suffix)


def parse_markable(data: bytes, suffix: str = "") -> MarkableDocument:
    """A markable document from a file's bytes (``suffix``: a hint for Markdown)."""
    from leaktrace.trace.formats import docx, html, markdown, text

    if data.startswith(b"PK\x03\x04"):
        if docx.is_docx(data):
            return docx.DocxDocument.parse(data)
        raise UnmarkableDocument("a ZIP package that is not a Word document (docx)")
    if data.startswith(b"%PDF"):
        raise UnmarkableDocument("PDF copies are not supported; mark the source document")
    if not looks_like_text(data[:65536]):
        raise UnmarkableDocument("not a text, Markdown, HTML or docx file")
    if html.is_html(data):
        return html.HtmlDocument.parse(data)
    decoded, encoding = decode_text(data)
    if markdown.is_markdown(decoded, suffix):
        return markdown.MarkdownDocument.parse(decoded, encoding)
    return text.TextDocument(decoded, encoding)


def plan_document(
    document: MarkableDocument,
    *,
    veto: Collection[str] = (),
    key: bytes | None = None,
    style: str = "safe",
) -> MarkPlan:
    """``plan_marks`` with everything the document knows about itself."""
    return plan_marks(
        document.nodes,
        veto=veto,
        style=style,
        joins=document.joins,
        layers=document.layers,
        format_mark=document.format_mark,
        key=key,
    )


def read_format_marks(data: bytes, plan: MarkPlan) -> Readings:
    """The format slots of ``plan`` read from an HTML or docx file (-1 elsewhere)."""
    from leaktrace.trace.formats import docx, html

    if data.startswith(b"PK\x03\x04") and docx.is_docx(data):
        return docx.read_format_marks(data, plan)
    if html.is_html(data):
        return html.read_format_marks(data, plan)
    return np.full(len(plan.slots), -1, dtype=np.int8)


def node_readings(
    plan: MarkPlan, variant: str, marked: Iterable[tuple[str, Callable[[], int]]]
) -> Readings:
    """Format slots of one ``variant`` read from (node text, how to read its mark) pairs: a
    slot is found by the keyed hash of its node's words, as it was planned."""
    values = np.full(len(plan.slots), -1, dtype=np.int8)
    wanted = {s.context: index for index, s in enumerate(plan.slots) if s.variant == variant}
    if not wanted:
        return values
    for text, read in marked:
        index = wanted.get(text_hash(words(text, plan.rule_map).tokens, plan.key))
        if index is not None:
            values[index] = read()
    return values


def merge_readings(*readings: npt.NDArray[np.int8]) -> Readings:
    """One reading from several of the same plan (text and format): conflicts read -1."""
    merged = np.full(readings[0].shape, -1, dtype=np.int8)
    clashed = np.zeros(readings[0].shape, dtype=np.bool_)
    for reading in readings:
        read = reading >= 0
        clashed |= read & (merged >= 0) & (merged != reading)
        merged = np.where(read & (merged < 0), reading, merged).astype(np.int8)
    merged[clashed] = -1
    return merged


def text_of(document: MarkableDocument, nodes: Sequence[str] | None = None) -> str:
    """The text a reader sees, with ``nodes`` (the document's own when None)."""
    from leaktrace.trace.plan import join_nodes

    return join_nodes(document.nodes if nodes is None else nodes, document.joins)
