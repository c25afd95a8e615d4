"""Plain text: one node, written back in the encoding it came in."""

from __future__ import annotations

import codecs
from collections.abc import Mapping, Sequence
from pathlib import Path

from leaktrace.core import mediatypes
from leaktrace.trace.formats import UnmarkableDocument
from leaktrace.trace.plan import FormatMark

_UNICODE = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32")


def layers_for(encoding: str) -> frozenset[str]:
    """Invisible marks need an encoding that can write them (UTF-8 or UTF-16, not cp1252)."""
    name = codecs.lookup(encoding).name
    return frozenset({"wording", "invisible"} if name in _UNICODE else {"wording"})


def encoded(text: str, encoding: str) -> bytes:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as error:
        raise UnmarkableDocument(
            f"the copy has {error.object[error.start]!r}, which {encoding} cannot write"
        ) from error


class TextDocument:
    """A plain text file."""

    media_type = mediatypes.TEXT
    joins: list[str | None]
    format_mark: FormatMark | None = None

    def __init__(self, text: str, encoding: str) -> None:
        self.nodes = [text]
        self.joins = []
        self.encoding = encoding
        self.layers = layers_for(encoding)

    def save(self, nodes: Sequence[str], format_bits: Mapping[int, int], path: Path) -> None:
        path.write_bytes(encoded("".join(nodes), self.encoding))
