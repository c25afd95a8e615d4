"""Mailbox files (mbox): a run of messages, each opened by a ``From `` separator line.

A separator is a line starting with ``From `` at the start of the file or after a blank line;
each message between separators becomes a member ``message-<N>.eml`` (1-based, in file order,
stable across scans) and is opened by the mail extractor. ``>From`` quoting is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from leaktrace.core import mediatypes
from leaktrace.core.item import Item
from leaktrace.core.plugin import Child, ExtractContext, Extraction, Extractor
from leaktrace.extract.mail import looks_like_header_block

_SEPARATOR = re.compile(rb"(?:\A|(?<=\n\n)|(?<=\n\r\n))From [^\n]*\n")


def looks_like_mbox(head: bytes) -> bool:
    """A ``From `` line followed by a block of mail headers."""
    if not head.startswith(b"From "):
        return False
    newline = head.find(b"\n")
    return newline != -1 and looks_like_header_block(head[newline + 1 :])


def message_spans(data: bytes) -> list[tuple[int, int]]:
    """``(start, end)`` of each message's header and body, separator lines excluded."""
    separators = list(_SEPARATOR.finditer(data))
    spans: list[tuple[int, int]] = []
    for index, separator in enumerate(separators):
        end = separators[index + 1].start() if index + 1 < len(separators) else len(data)
        spans.append((separator.end(), end))
    return spans


def _trim(message: bytes) -> bytes:
    """Drop the one blank line an mbox writer puts before the next separator."""
    if message.endswith(b"\r\n\r\n"):
        return message[:-2]
    if message.endswith(b"\n\n"):
        return message[:-1]
    return message


class MboxExtractor(Extractor):
    name = "mbox"
    media_types = frozenset({mediatypes.MBOX})
    sniff_priority = 35

    def sniff(self, head: bytes, data: bytes) -> str | None:
        return mediatypes.MBOX if looks_like_mbox(head) else None

    def extract(self, item: Item, context: ExtractContext) -> Extraction:
        spans = message_spans(item.data)
        return Extraction(
            children=_messages(item.data, spans, context),
            metadata={"messages": str(len(spans))},
        )


def _messages(
    data: bytes, spans: list[tuple[int, int]], context: ExtractContext
) -> Iterator[Child]:
    for number, (start, end) in enumerate(spans, start=1):
        context.budget.check_time()
        message = context.budget.accept(_trim(data[start:end]))
        yield Child(f"message-{number}.eml", message, media_type=mediatypes.EMAIL)
