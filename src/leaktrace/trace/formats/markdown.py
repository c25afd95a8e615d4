"""Markdown: only prose is marked, never code, URLs, link targets, HTML or front matter.

The file is cut into segments. Prose segments are the nodes; everything else is kept byte for
byte. Between two nodes a reader sees a code span's text (rendered or not), nothing for an
inline tag, and something unknown for a link target or a code block (None).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from leaktrace.trace.formats.text import encoded, layers_for
from leaktrace.trace.plan import FormatMark

_SIGNS = re.compile(
    r"^(?:#{1,6}\s|```|~~~|\s{0,3}[-*+]\s+\S|\s{0,3}\d+\.\s+\S)|\]\(|`[^`\n]+`", re.MULTILINE
)
_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")
_FRONT_MATTER = re.compile(
    r"\A(?:---|\+\+\+)[ \t]*\r?\n.*?^(?:---|\+\+\+|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M
)
_FENCE = re.compile(r"[ ]{0,3}(`{3,}|~{3,})")
_INDENTED = re.compile(r"(?: {4}|\t)")
_REFERENCE = re.compile(r"[ ]{0,3}\[[^\]]+\]:\s*\S")
_HTML_BLOCK = re.compile(r"[ ]{0,3}</?[A-Za-z][\w-]*(?:\s|/?>|$)")
_INLINE = re.compile(
    r"(?P<code>(?P<ticks>`+).+?(?P=ticks)(?!`))"
    r"|(?P<target>\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\))"
    r"|(?P<label>\]\[[^\]]*\]|\[\^[^\]]*\])"
    r"|(?P<auto><[A-Za-z][A-Za-z0-9+.-]*:[^>\s]*>)"
    r"|(?P<tag></?[A-Za-z][^>\n]*>|<!--.*?-->)"
    r"|(?P<url>\b(?:https?://|www\.)[^\s<>()\[\]]+|[\w.+-]+@[\w-]+\.[\w.-]+)",
    re.S,
)


def is_markdown(text: str, suffix: str) -> bool:
    """A Markdown file by its name, or by Markdown syntax in its first 64 kB."""
    return suffix.lower() in _SUFFIXES or _SIGNS.search(text[:65536]) is not None


@dataclass
class _Segment:
    text: str
    prose: bool
    seen: str | None = ""
    """What a reader sees of a non-prose segment (None: unknown)."""


class MarkdownDocument:
    """A Markdown file: prose nodes between kept segments."""

    media_type = "text/markdown"
    format_mark: FormatMark | None = None

    def __init__(self, segments: list[_Segment], encoding: str) -> None:
        self.segments = segments
        self.encoding = encoding
        self.layers = layers_for(encoding)
        self.nodes = [segment.text for segment in segments if segment.prose]
        self.joins = _joins(segments)

    @classmethod
    def parse(cls, text: str, encoding: str) -> MarkdownDocument:
        return cls(_merged(_segments(text)), encoding)

    def save(self, nodes: Sequence[str], format_bits: Mapping[int, int], path: Path) -> None:
        written = iter(nodes)
        text = "".join(
            next(written) if segment.prose else segment.text for segment in self.segments
        )
        path.write_bytes(encoded(text, self.encoding))


def _segments(text: str) -> list[_Segment]:
    segments: list[_Segment] = []
    front = _FRONT_MATTER.match(text)
    if front:
        segments.append(_Segment(front.group(), False, None))
        text = text[front.end() :]
    prose: list[str] = []
    for block, is_prose in _blocks(text):
        if is_prose:
            prose.append(block)
            continue
        segments += _inline("".join(prose))
        prose = []
        segments.append(_Segment(block, False, None))
    segments += _inline("".join(prose))
    return segments


def _blocks(text: str) -> list[tuple[str, bool]]:
    """Lines, each as prose or not: fenced and indented code, reference definitions, HTML."""
    blocks: list[tuple[str, bool]] = []
    fence = ""
    previous_blank, previous_code = True, False
    for line in text.splitlines(keepends=True):
        opening = _FENCE.match(line)
        if fence:
            closes = (
                opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence)
            )
            fence = "" if closes else fence
            code = True
        elif opening:
            fence, code = opening.group(1), True
        else:
            indented = bool(_INDENTED.match(line)) and line.strip() != ""
            code = (indented and (previous_blank or previous_code)) or bool(
                _REFERENCE.match(line) or _HTML_BLOCK.match(line)
            )
        blocks.append((line, not code))
        previous_blank, previous_code = line.strip() == "", code and not fence and not opening
    return blocks


def _inline(text: str) -> list[_Segment]:
    if not text:
        return []
    segments: list[_Segment] = []
    done = 0
    for match in _INLINE.finditer(text):
        segments.append(_Segment(text[done : match.start()], True))
        kind = match.lastgroup if match.lastgroup != "ticks" else "code"
        seen = {"code": match.group(), "tag": ""}.get(kind or "")
        segments.append(_Segment(match.group(), False, seen))
        done = match.end()
    segments.append(_Segment(text[done:], True))
    return segments


def _merged(segments: list[_Segment]) -> list[_Segment]:
    """Adjacent segments of one kind as one (and empty prose dropped)."""
    merged: list[_Segment] = []
    for segment in segments:
        if segment.prose and not segment.text:
            continue
        last = merged[-1] if merged else None
        if last is not None and last.prose == segment.prose:
            seen = None if last.seen is None or segment.seen is None else last.seen + segment.seen
            merged[-1] = _Segment(last.text + segment.text, last.prose, seen)
        else:
            merged.append(segment)
    return merged


def _joins(segments: list[_Segment]) -> list[str | None]:
    """Between consecutive prose segments: what a reader sees of the kept segment between."""
    joins: list[str | None] = []
    started = False
    for segment in segments:
        if segment.prose:
            started = True
        elif started:
            joins.append(segment.seen)
    if segments and not segments[-1].prose and started:
        joins.pop()
    return joins
