"""Outlook messages (``.msg``): a MAPI message stored in an OLE2 compound file (MS-OXMSG).

Read with olefile. Properties live in ``__substg1.0_<id><type>`` streams (``001F`` UTF-16LE,
``001E`` 8-bit in the message's code page, ``0102`` binary) and fixed-size ones in the
``__properties_version1.0`` stream. The text is the sender, recipients, subject and date as
``Name: value`` lines, then the plain body and the HTML body as text.

Members: each ``__attach_version1.0_#N`` storage is one attachment, named by its long, short or
display file name. An attached Outlook message (an embedded storage) is rendered as an RFC 5322
message (headers, bodies, its own attachments as MIME parts) and yielded as ``<name>.eml``, so the
mail extractor opens it and ``a.msg!Fwd.eml!lecture.docx`` names a file inside it. An attached
OLE object yields each stream of its storage as ``<name>/<stream>``.
"""

from __future__ import annotations

import codecs
import datetime
import email.utils
import hashlib
import io
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import HeaderParser
from typing import Any

import olefile

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError, LimitReached
from leaktrace.core.finding import Severity
from leaktrace.core.item import Item
from leaktrace.core.plugin import Child, ExtractContext, Extraction, Extractor
from leaktrace.extract.html import declared_charset, html_to_text
from leaktrace.extract.mail import TEXT_HEADERS
from leaktrace.extract.textcodec import decode_text

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PROPERTIES = "__properties_version1.0"
SUBSTG = "__SUBSTG1.0_"
ATTACHMENT_PREFIX = "__ATTACH_VERSION1.0_#"
RECIPIENT_PREFIX = "__RECIP_VERSION1.0_#"

PT_LONG, PT_SYSTIME = 0x0003, 0x0040
PT_STRING8, PT_UNICODE, PT_BINARY, PT_OBJECT = 0x001E, 0x001F, 0x0102, 0x000D

SUBJECT, CLIENT_SUBMIT_TIME, TRANSPORT_HEADERS = 0x0037, 0x0039, 0x007D
SENDER_NAME, SENDER_EMAIL, SENDER_SMTP = 0x0C1A, 0x0C1F, 0x5D01
DISPLAY_BCC, DISPLAY_CC, DISPLAY_TO, DELIVERY_TIME = 0x0E02, 0x0E03, 0x0E04, 0x0E06
BODY, HTML_BODY = 0x1000, 0x1013
DISPLAY_NAME, EMAIL_ADDRESS, SMTP_ADDRESS, RECIPIENT_TYPE = 0x3001, 0x3003, 0x39FE, 0x0C15
ATTACH_DATA, ATTACH_SHORT_NAME, ATTACH_METHOD, ATTACH_LONG_NAME = 0x3701, 0x3704, 0x3705, 0x3707
MESSAGE_CODEPAGE, INTERNET_CODEPAGE = 0x3FFD, 0x3FDE

_TOP_HEADER, _EMBEDDED_HEADER, _OBJECT_HEADER = 32, 24, 8  # __properties_version1.0 headers
_RECIPIENT_KINDS = {1: "To", 2: "Cc", 3: "Bcc"}
_ATTACH_BY_REFERENCE = frozenset({2, 3, 4, 7})
_FILETIME_EPOCH = 116_444_736_000_000_000  # 100 ns ticks from 1601 to 1970
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_CODEPAGES = {
    65001: "utf-8",
    20127: "ascii",
    1200: "utf-16-le",
    1201: "utf-16-be",
    20866: "koi8-r",
    21866: "koi8-u",
    50220: "iso2022-jp",
    51932: "euc-jp",
    10000: "mac-roman",
    936: "gbk",
    52936: "hz",
}


def codepage_codec(codepage: int | None) -> str | None:
    """The Python codec for a Windows code page number, if Python knows it."""
    if codepage is None:
        return None
    if codepage in _CODEPAGES:
        return _CODEPAGES[codepage]
    if 28591 <= codepage <= 28606:
        return f"iso-8859-{codepage - 28590}"
    try:
        return codecs.lookup(f"cp{codepage}").name
    except LookupError:
        return None


def is_outlook_message(head: bytes, data: bytes) -> bool:
    """An OLE2 file whose root holds a MAPI property stream and property storages."""
    if not head.startswith(OLE_MAGIC):
        return False
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
        names = [str(kid.name).upper() for kid in ole.root.kids]
        ole.close()
    except Exception:  # not a readable compound file
        return False
    return PROPERTIES.upper() in names and any(name.startswith(SUBSTG) for name in names)


# -- reading properties -------------------------------------------------------------------------


class _Reader:
    """Property access on one storage (the message, a recipient, an attachment) of the file."""

    def __init__(
        self, ole: Any, entry: Any, path: list[str], context: ExtractContext, limit: int
    ) -> None:
        self.ole, self.entry, self.path, self.context = ole, entry, path, context
        self.limit = limit  # no stream can honestly be larger than the file
        self.kids: dict[str, Any] = {str(kid.name).upper(): kid for kid in entry.kids}

    def child(self, kid: Any) -> _Reader:
        return _Reader(self.ole, kid, [*self.path, str(kid.name)], self.context, self.limit)

    def storages(self, prefix: str) -> list[_Reader]:
        found = [
            kid
            for name, kid in sorted(self.kids.items())
            if name.startswith(prefix) and kid.entry_type == olefile.STGTY_STORAGE
        ]
        return [self.child(kid) for kid in found]

    def stream(self, name: str) -> bytes | None:
        kid = self.kids.get(name.upper())
        if kid is None or kid.entry_type != olefile.STGTY_STREAM:
            return None
        return self.read(kid)

    def read(self, kid: Any) -> bytes:
        if kid.size > self.limit:
            raise ValueError(f"stream {kid.name!r} claims more bytes than the file holds")
        stream = self.ole.openstream([*self.path, str(kid.name)])
        return self.context.budget.read(stream)

    def property_stream(self, prop_id: int, prop_type: int) -> bytes | None:
        return self.stream(f"{SUBSTG}{prop_id:04X}{prop_type:04X}")

    def has_object(self, prop_id: int) -> Any:
        kid = self.kids.get(f"{SUBSTG}{prop_id:04X}{PT_OBJECT:04X}")
        return kid if kid is not None and kid.entry_type == olefile.STGTY_STORAGE else None

    def string(self, prop_id: int, codec: str | None = None) -> str:
        raw = self.property_stream(prop_id, PT_UNICODE)
        if raw is not None:
            return raw.decode("utf-16-le", errors="replace").rstrip("\x00").strip()
        raw = self.property_stream(prop_id, PT_STRING8)
        if raw is not None:
            return decode_text(raw.rstrip(b"\x00"), declared=codec)[0].strip()
        return ""

    def fixed(self, header_size: int) -> dict[int, tuple[int, bytes]]:
        """Fixed-size properties: id → (type, 8-byte value) from ``__properties_version1.0``."""
        raw = self.stream(PROPERTIES) or b""
        found: dict[int, tuple[int, bytes]] = {}
        for offset in range(header_size, len(raw) - 15, 16):
            tag = struct.unpack_from("<I", raw, offset)[0]
            found[tag >> 16] = (tag & 0xFFFF, raw[offset + 8 : offset + 16])
        return found


def _long(fixed: dict[int, tuple[int, bytes]], prop_id: int) -> int | None:
    kind, value = fixed.get(prop_id, (0, b""))
    return struct.unpack_from("<i", value)[0] if kind == PT_LONG else None


def _date(fixed: dict[int, tuple[int, bytes]]) -> str:
    for prop_id in (CLIENT_SUBMIT_TIME, DELIVERY_TIME):
        kind, value = fixed.get(prop_id, (0, b""))
        if kind != PT_SYSTIME:
            continue
        ticks = struct.unpack_from("<Q", value)[0]
        try:
            moment = datetime.datetime.fromtimestamp(
                (ticks - _FILETIME_EPOCH) / 10_000_000, tz=datetime.UTC
            )
        except (OverflowError, OSError, ValueError):
            continue
        return email.utils.format_datetime(moment)
    return ""


# -- the message --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Message:
    """The readable parts of one message (top-level or embedded)."""

    headers: dict[str, str]
    recipients: tuple[tuple[str, str], ...]
    """(To, Cc or Bcc; ``Name <address>``) for each recipient."""
    body: str
    html: str
    attachments: tuple[_Reader, ...] = field(default=())

    def addressed_headers(self) -> dict[str, str]:
        """The headers, with To, Cc and Bcc built from the recipients' addresses if known."""
        headers = dict(self.headers)
        for kind in _RECIPIENT_KINDS.values():
            listed = [shown for recipient_kind, shown in self.recipients if recipient_kind == kind]
            if listed:
                headers[kind] = ", ".join(listed)
        return headers

    def text(self) -> str:
        lines = [f"{name}: {self.headers[name]}" for name in TEXT_HEADERS if self.headers.get(name)]
        lines += [f"Recipient: {shown}" for _, shown in self.recipients]
        for part in (self.body, html_to_text(self.html) if self.html else ""):
            if part.strip():
                lines += ["", part.strip()]
        return "\n".join(lines)


def _address(name: str, address: str) -> str:
    if name and address and name != address:
        return f"{name} <{address}>"
    return name or address


def _recipients(message: _Reader, codec: str | None) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for recipient in message.storages(RECIPIENT_PREFIX):
        message.context.budget.check_time()
        address = recipient.string(SMTP_ADDRESS, codec) or recipient.string(EMAIL_ADDRESS, codec)
        shown = _address(recipient.string(DISPLAY_NAME, codec), address)
        if not shown:
            continue
        kind = _long(recipient.fixed(_OBJECT_HEADER), RECIPIENT_TYPE) or 1
        found.append((_RECIPIENT_KINDS.get(kind, "To"), shown))
    return found


def _transport_headers(text: str) -> dict[str, str]:
    if not text:
        return {}
    try:
        parsed = HeaderParser(policy=policy.default).parsestr(text)
        return {name: " ".join(str(parsed[name]).split()) for name in TEXT_HEADERS if parsed[name]}
    except Exception:  # malformed transport headers add nothing; the properties still count
        return {}


def read_message(message: _Reader, header_size: int) -> _Message:
    fixed = message.fixed(header_size)
    codec = codepage_codec(_long(fixed, MESSAGE_CODEPAGE))
    recipients = _recipients(message, codec)
    sender = _address(
        message.string(SENDER_NAME, codec),
        message.string(SENDER_SMTP, codec) or message.string(SENDER_EMAIL, codec),
    )
    headers = {
        "From": sender,
        "To": message.string(DISPLAY_TO, codec),
        "Cc": message.string(DISPLAY_CC, codec),
        "Bcc": message.string(DISPLAY_BCC, codec),
        "Subject": message.string(SUBJECT, codec),
        "Date": _date(fixed),
    }
    for name, value in _transport_headers(message.string(TRANSPORT_HEADERS, codec)).items():
        headers[name] = headers.get(name) or value
    return _Message(
        headers=headers,
        recipients=tuple(recipients),
        body=message.string(BODY, codec),
        html=_html_body(message, fixed, codec),
        attachments=tuple(message.storages(ATTACHMENT_PREFIX)),
    )


def _html_body(message: _Reader, fixed: dict[int, tuple[int, bytes]], codec: str | None) -> str:
    raw = message.property_stream(HTML_BODY, PT_BINARY)
    if raw is None:
        return message.string(HTML_BODY, codec)
    declared = codepage_codec(_long(fixed, INTERNET_CODEPAGE)) or declared_charset(raw) or codec
    return decode_text(raw, declared=declared)[0]


# -- attachments --------------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    return _CONTROL.sub(" ", name).replace("\\", "/").strip().lstrip("/").strip()


def _attachment_name(attachment: _Reader, number: int) -> str:
    for prop_id in (ATTACH_LONG_NAME, ATTACH_SHORT_NAME, DISPLAY_NAME):
        name = _clean_name(attachment.string(prop_id))
        if name:
            return name
    return f"attachment-{number}.bin"


@dataclass(frozen=True, slots=True)
class _Member:
    name: str
    data: bytes
    media_type: str | None = None


def _attachment_members(attachment: _Reader, number: int, depth: int) -> Iterator[_Member]:
    """The member (or members, for an OLE object) one attachment storage holds."""
    name = _attachment_name(attachment, number)
    data = attachment.property_stream(ATTACH_DATA, PT_BINARY)
    if data is not None:
        yield _Member(name, data)
        return
    storage = attachment.has_object(ATTACH_DATA)
    if storage is not None:
        inner = attachment.child(storage)
        if PROPERTIES.upper() in inner.kids:
            stem = name[:-4] if name.lower().endswith((".msg", ".eml")) else name
            if depth + 1 > attachment.context.budget.limits.max_depth:
                attachment.context.notice(
                    "limit",
                    "depth",
                    "embedded messages nested too deeply; not opened",
                    Severity.MEDIUM,
                    member=f"{stem}.eml",
                )
                return
            yield _Member(f"{stem}.eml", render_eml(inner, depth + 1), mediatypes.EMAIL)
        else:
            yield from _object_streams(inner, name)
        return
    method = _long(attachment.fixed(_OBJECT_HEADER), ATTACH_METHOD)
    reason = "stored by reference" if method in _ATTACH_BY_REFERENCE else "holds no data"
    attachment.context.notice(
        "error", "unreadable", f"attachment {reason}; not inspected", member=name
    )


def _object_streams(storage: _Reader, name: str) -> Iterator[_Member]:
    """Every stream of an embedded OLE object, as ``<name>/<stream path>``."""
    pending: list[tuple[_Reader, str]] = [(storage, name)]
    while pending:
        reader, prefix = pending.pop()
        for kid in sorted(reader.entry.kids, key=lambda k: str(k.name)):
            storage.context.budget.check_time()
            member = f"{prefix}/{_clean_name(str(kid.name)) or 'stream'}"
            if kid.entry_type == olefile.STGTY_STORAGE:
                pending.append((reader.child(kid), member))
            elif kid.entry_type == olefile.STGTY_STREAM:
                yield _Member(member, reader.read(kid))


def _members(attachments: tuple[_Reader, ...], depth: int) -> Iterator[_Member]:
    """Members of every attachment; a broken one is a notice, the others still come."""
    for number, attachment in enumerate(attachments, start=1):
        context = attachment.context
        context.budget.check_time()
        try:
            yield from _attachment_members(attachment, number, depth)
        except LimitReached:
            raise
        except Exception as error:  # olefile and struct errors on a damaged attachment
            name = f"attachment-{number}"
            context.notice("error", "corrupt", f"attachment cannot be read: {error}", member=name)


# -- embedded messages as RFC 5322 --------------------------------------------------------------


def render_eml(storage: _Reader, depth: int) -> bytes:
    """An embedded Outlook message rewritten as an RFC 5322 message, attachments included."""
    message = read_message(storage, _EMBEDDED_HEADER)
    mail = EmailMessage(policy=policy.default)
    headers = message.addressed_headers()
    unset = [name for name, value in headers.items() if value and not _set(mail, name, value)]
    body = "\n".join(f"{name}: {headers[name]}" for name in unset)
    mail.set_content("\n\n".join(part for part in (body, message.body) if part))
    if message.html:
        mail.add_alternative(message.html, subtype="html")
    digest = hashlib.sha256(message.body.encode("utf-8", "replace"))
    for member in _members(message.attachments, depth):
        digest.update(member.data)
        if member.media_type == mediatypes.EMAIL:
            inner = email.message_from_bytes(member.data, policy=policy.default)
            mail.add_attachment(inner, filename=member.name)
        else:
            mail.add_attachment(
                member.data, maintype="application", subtype="octet-stream", filename=member.name
            )
    if mail.is_multipart():
        mail.set_boundary(f"=_leaktrace_{digest.hexdigest()[:32]}")  # deterministic output
    return mail.as_bytes(policy=policy.default.clone(linesep="\n"))


def _set(mail: EmailMessage, name: str, value: str) -> bool:
    """Set a header; ``False`` if the value cannot be a header (it then goes in the body)."""
    try:
        mail[name] = _CONTROL.sub(" ", value)
        return True
    except Exception:  # the header registry rejects some display strings
        return False


# -- the extractor ------------------------------------------------------------------------------


class OutlookMsgExtractor(Extractor):
    name = "msg"
    media_types = frozenset({mediatypes.OUTLOOK_MSG})
    sniff_priority = 80

    def sniff(self, head: bytes, data: bytes) -> str | None:
        return mediatypes.OUTLOOK_MSG if is_outlook_message(head, data) else None

    def extract(self, item: Item, context: ExtractContext) -> Extraction:
        try:
            ole = olefile.OleFileIO(io.BytesIO(item.data))
            root = _Reader(ole, ole.root, [], context, len(item.data))
            message = read_message(root, _TOP_HEADER)
        except LimitReached:
            raise
        except RecursionError as error:  # olefile recurses once per nested storage
            raise LimitReached("depth", "storages nested too deeply to parse") from error
        except Exception as error:  # olefile raises OSError and plain struct/index errors
            raise ItemError(f"Outlook message is corrupt: {error}") from error
        return Extraction(
            text=message.text() or None,
            children=_children(message, context),
            metadata={"subject": message.headers["Subject"]} if message.headers["Subject"] else {},
        )


def _children(message: _Message, context: ExtractContext) -> Iterator[Child]:
    seen: set[str] = set()
    for member in _members(message.attachments, 0):
        name = member.name
        copy = 1
        while name in seen:  # two attachments with one name: keep lineage paths distinct
            copy += 1
            name = f"{member.name} ({copy})"
        seen.add(name)
        yield Child(name, member.data, media_type=member.media_type)
