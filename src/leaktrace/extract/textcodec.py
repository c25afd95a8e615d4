"""Turning bytes into text: whether they are text at all, and in which encoding.

UTF BOMs and valid UTF-8 are decided directly (fast and certain); anything else goes to
charset-normalizer, which detects legacy encodings (cp1252, Shift-JIS, KOI8-R, ...).
"""

from __future__ import annotations

import codecs

import charset_normalizer

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Bytes that never occur in text in any 8-bit or multi-byte encoding we accept.
_BINARY_CONTROLS = (
    bytes(range(0x00, 0x08)) + b"\x0e\x0f" + bytes(range(0x10, 0x1B)) + b"\x1c\x1d\x1e\x1f"
)
_CONTROL_TABLE = bytes.maketrans(b"", b"")


def bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text without a BOM: NULs on every other byte of mostly-ASCII content."""
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > len(odd) * 0.7 and even.count(0) < len(even) * 0.1:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.7 and odd.count(0) < len(odd) * 0.1:
        return "utf-16-be"
    return None


def looks_like_text(head: bytes) -> bool:
    """Whether a file starting with ``head`` is text (in some encoding) rather than binary."""
    if not head:
        return False
    if bom_encoding(head) or _utf16_without_bom(head):
        return True
    controls = len(head) - len(head.translate(_CONTROL_TABLE, _BINARY_CONTROLS))
    if controls > len(head) * 0.01 or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 4:  # a multi-byte character cut at the end of the head
            return True
    return charset_normalizer.from_bytes(head[:4096]).best() is not None


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` as text; return the text and the encoding used.

    ``declared`` (a mail part's or an HTML page's charset) is tried first when it is a real
    codec; undecodable bytes never raise, they become U+FFFD.
    """
    encoding = bom_encoding(data) or _utf16_without_bom(data[:4096])
    if encoding:
        return data.decode(encoding, errors="replace"), encoding
    if declared:
        try:
            codec = codecs.lookup(declared).name
            return data.decode(codec), codec
        except (LookupError, UnicodeDecodeError, ValueError):  # ValueError: NUL in the name
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding = _guess_legacy(data[: 1 << 20])
    return data.decode(encoding, errors="replace"), encoding


_ASCII = bytes(range(0x80))
_EAST_ASIAN = (
    "big5",
    "cp9",
    "euc",
    "gb",
    "hz",
    "iso2022",
    "johab",
    "shift",
    "cp932",
    "cp949",
    "cp950",
)


def _guess_legacy(sample: bytes) -> str:
    """charset-normalizer's guess, except for one known trap: mostly-ASCII Western text with a
    few accented letters, which it may read as a Korean or Chinese double-byte code page."""
    best = charset_normalizer.from_bytes(sample).best()
    if best is None:
        return "cp1252"
    high = len(sample.translate(None, _ASCII))
    if best.encoding.startswith(_EAST_ASIAN) and not best.coherence and high < len(sample) * 0.15:
        return "cp1252"
    return best.encoding
