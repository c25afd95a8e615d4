"""Plain text in any encoding: the fallback for everything that reads as text."""

from __future__ import annotations

from leaktrace.core import mediatypes
from leaktrace.core.item import Item
from leaktrace.core.plugin import ExtractContext, Extraction, Extractor
from leaktrace.extract.textcodec import decode_text, looks_like_text


class TextExtractor(Extractor):
    name = "text"
    media_types = frozenset({mediatypes.TEXT})
    sniff_priority = 0  # last: only when no structured format claimed the bytes

    def sniff(self, head: bytes, data: bytes) -> str | None:
        return mediatypes.TEXT if looks_like_text(head) else None

    def extract(self, item: Item, context: ExtractContext) -> Extraction:
        text, encoding = decode_text(item.data)
        return Extraction(text=text, metadata={"encoding": encoding})
