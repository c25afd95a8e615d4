"""Carvers: content hidden in items of any type (see :class:`leaktrace.core.plugin.Carver`).

- ``trailing``: data after a format's logical end, or before a zip appended to another file;
- ``embedded``: known file signatures inside another file's structure, and polyglots;
- ``encoded``: long base64, hex and quoted-printable blobs in an item's text.

``ends.py`` knows where formats end and which of their regions legitimately hold other files;
``signatures.py`` finds file signatures in one native pass and validates them. Each hiding is
reported as a ``concealment/*`` notice (rules and severities in ``detect/concealment.py``) and
what was hidden becomes a child, so the rest of the pipeline inspects it like any member.
"""

from __future__ import annotations

from leaktrace.core.plugin import ExtractContext
from leaktrace.detect.concealment import NAME, severity_of

_PADDING = b"\x00 \t\r\n\x0c"
TINY = 16
"""Bytes too few to carry a file: stray bytes some writers leave, not worth an alarm."""


def conceal(context: ExtractContext, rule: str, message: str) -> None:
    """Leave a ``concealment`` notice about the item being carved."""
    context.notice(NAME, rule, message, severity_of(rule))


def is_padding(data: bytes) -> bool:
    """A few stray bytes, or NULs and white space only: alignment or slack, carrying no data."""
    return len(data) <= TINY or not data.strip(_PADDING)


def at(offset: int) -> str:
    """An offset as children's names and messages show it: ``0x1F40``."""
    return f"0x{offset:X}"


def size_text(size: int) -> str:
    return f"{size:,} byte{'s' if size != 1 else ''}"
