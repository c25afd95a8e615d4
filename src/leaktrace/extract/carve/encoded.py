"""Long encoded blobs in an item's text: base64 (standard, URL-safe, MIME line-wrapped), hex and
quoted-printable.

Only the item's *text* is searched, as its extractor produced it: formats that encode parts by
design decode them first (a mail's base64 attachments are its members, never its text; an HTML
page's ``data:`` URIs are its members). A blob counts when it is long (at least 80 base64 or
160 hex characters, or quoted-printable with soft line breaks and at least 8 escapes) and
decodes to a file the registry knows or to readable prose: a PEM certificate decodes to DER
bytes that are neither, and is left alone.

Each blob becomes a child ``<base64 @line 12>`` with a ``concealment/encoded-payload`` notice,
except images: icons in source code, notebook outputs and XMP thumbnails travel that way, so a
decoded image is inspected as a child without an alarm.
Regular expressions do the finding (anchored so that each starts only where a blob can start);
at most 256 candidates are decoded and 32 children yielded per item.
"""

from __future__ import annotations

import base64
import binascii
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass

from leaktrace.core import mediatypes
from leaktrace.core.item import Item
from leaktrace.core.plugin import Carver, Child, ExtractContext
from leaktrace.extract.carve import conceal, size_text
from leaktrace.extract.textcodec import decode_text

MIN_BASE64 = 80
MIN_HEX = 160
MIN_QP_ESCAPES = 8
MAX_CANDIDATES = 256
MAX_CHILDREN = 32
_ALPHABET = r"A-Za-z0-9+/_\-"
_BLOB = re.compile(
    rf"(?<![{_ALPHABET}=])[{_ALPHABET}]{{16,}}={{0,2}}"
    rf"(?:[ \t]*\r?\n[ \t]*[{_ALPHABET}]{{16,}}={{0,2}})*"
)
_QUOTED = re.compile(r"(?m)^(?:[^\n]{0,78}=\r?\n){2,}[^\n]{0,78}")
_QP_ESCAPE = re.compile(r"=[0-9A-F]{2}")
_SPACE = re.compile(r"\s+")
_HEX = frozenset(string.hexdigits)
_TEXTUAL = frozenset(
    {mediatypes.TEXT, mediatypes.HTML, mediatypes.EMAIL, mediatypes.MBOX, mediatypes.RTF}
)
_WORD_CHARS = re.compile(r"[^\W\d_]|\s")


@dataclass(frozen=True, slots=True)
class _Blob:
    encoding: str
    offset: int
    payload: bytes
    encoded_size: int


class EncodedCarver(Carver):
    name = "encoded"

    def carve(self, item: Item, context: ExtractContext) -> Iterator[Child]:
        text = item.text
        if not text or len(text) < MIN_BASE64:
            return
        names: set[str] = set()
        for blob in _blobs(text, context):
            media_type = context.identify(blob.payload)
            if media_type == mediatypes.OCTET_STREAM:
                continue
            if media_type in _TEXTUAL and not _readable(blob.payload):
                continue
            if len(names) == MAX_CHILDREN:
                message = f"more than {MAX_CHILDREN} encoded payloads; the rest were not carved"
                context.notice("limit", "encoded", message)
                return
            line, column = item.position(blob.offset)
            name = f"<{blob.encoding} @line {line}>"
            if name in names:
                name = f"<{blob.encoding} @line {line}, column {column}>"
            names.add(name)
            if not media_type.startswith("image/"):  # icons and thumbnails travel this way
                what = "readable text" if media_type in _TEXTUAL else media_type
                conceal(
                    context,
                    "encoded-payload",
                    f"{blob.encoding} blob of {size_text(blob.encoded_size)} at line {line} "
                    f"decodes to {size_text(len(blob.payload))} of {what}",
                )
            yield Child(name, context.budget.accept(blob.payload, blob.encoded_size))


def _blobs(text: str, context: ExtractContext) -> Iterator[_Blob]:
    """Decodable blobs in order of appearance, at most ``MAX_CANDIDATES`` of them."""
    decoded = 0
    for match in _candidates(text):
        blob = _decode(match)
        if blob is None:
            continue
        decoded += 1
        if decoded > MAX_CANDIDATES:
            message = f"more than {MAX_CANDIDATES} encoded blobs; the rest were not decoded"
            context.notice("limit", "encoded", message)
            return
        if decoded % 16 == 0:
            context.budget.check_time()
        yield blob


def _candidates(text: str) -> Iterator[re.Match[str]]:
    matches = [m for m in _BLOB.finditer(text) if m.end() - m.start() >= MIN_BASE64]
    if "=\n" in text or "=\r\n" in text:
        matches += _QUOTED.finditer(text)
    return iter(sorted(matches, key=lambda m: m.start()))


def _decode(match: re.Match[str]) -> _Blob | None:
    raw = match.group()
    if match.re is _QUOTED:
        if len(_QP_ESCAPE.findall(raw)) < MIN_QP_ESCAPES:
            return None
        payload = binascii.a2b_qp(raw.encode("utf-8", "replace"))
        return _Blob("quoted-printable", match.start(), payload, len(raw))
    compact = _SPACE.sub("", raw)
    if len(set(compact[:256])) < 8:
        return None  # a rule of dashes, a run of one letter: not an encoding
    if _HEX.issuperset(compact):
        if len(compact) < MIN_HEX:
            return None
        return _Blob(
            "hex", match.start(), bytes.fromhex(compact[: len(compact) // 2 * 2]), len(raw)
        )
    if len(compact) < MIN_BASE64:
        return None
    decoded = _base64(compact)
    return _Blob("base64", match.start(), decoded, len(raw)) if decoded else None


def _base64(compact: str) -> bytes | None:
    url_safe = "-" in compact or "_" in compact
    if url_safe and ("+" in compact or "/" in compact):
        return None  # two alphabets mixed: not one blob
    body = compact.rstrip("=")
    if "=" in body:
        return None
    padded = body + "=" * (-len(body) % 4)
    try:
        return base64.b64decode(padded, altchars=b"-_" if url_safe else None, validate=True)
    except (binascii.Error, ValueError):
        return None


def _readable(payload: bytes) -> bool:
    """Prose rather than a character table or pixel rows that happen to decode as text: mostly
    letters and spaces, in words of ordinary length."""
    text = decode_text(payload[:65536])[0]
    if not text.strip():
        return False
    letters = len(_WORD_CHARS.findall(text))
    return letters >= 0.7 * len(text) and len(text.split()) >= len(text) / 25
