"""Internet mail (RFC 5322, ``.eml``): headers, body text and every attachment.

The item's text is the headers that name people and the topic (From, To, Cc, Bcc, Reply-To,
Subject, Date), then the text of each body part in order (HTML parts as text). Every attachment,
every non-text part and every forwarded message (``message/rfc822``) is a member named by its
decoded file name, or ``part<N>.<ext>`` when it has none; forwarded messages are opened again by
this extractor, so ``msg.eml!fwd.eml!lecture.docx`` is the file attached to the forwarded mail.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from email import errors as email_errors
from email import policy
from email.message import Message
from email.parser import BytesParser

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError, LimitReached
from leaktrace.core.item import Item
from leaktrace.core.plugin import Child, ExtractContext, Extraction, Extractor
from leaktrace.extract.html import clean_charset, extension_for, html_to_text
from leaktrace.extract.textcodec import decode_text

TEXT_HEADERS = ("From", "To", "Cc", "Bcc", "Reply-To", "Subject", "Date")
_KNOWN_HEADERS = frozenset(
    {
        b"from",
        b"to",
        b"subject",
        b"date",
        b"message-id",
        b"received",
        b"mime-version",
        b"return-path",
        b"delivered-to",
    }
)
_HEADER_LINE = re.compile(rb"([!-9;-~]+)[ \t]*:")  # a field name is printable ASCII but ':'
_HEADER_LINES_LOOKED_AT = 40
_NESTED_MESSAGES = frozenset({"message/rfc822", "message/global"})
_SERIALIZE_POLICY = policy.default.clone(linesep="\n", max_line_length=0)
_CORRUPT_PAYLOAD = (email_errors.InvalidBase64LengthDefect,)


def looks_like_header_block(head: bytes) -> bool:
    """Whether ``head`` opens with RFC 5322 header lines (two or more, a well-known one among them).

    Every line up to the first blank line (or the first few dozen lines) must be a header or a
    folded continuation; a last line cut off by the end of ``head`` is not held against it.
    """
    lines = head.split(b"\n")
    complete = lines[:-1] if len(lines) > 1 else lines
    names: list[bytes] = []
    for number, raw in enumerate(complete[:_HEADER_LINES_LOOKED_AT]):
        line = raw.rstrip(b"\r")
        if not line:
            break
        if line[:1] in (b" ", b"\t"):
            if number == 0:
                return False
            continue
        match = _HEADER_LINE.match(line)
        if match is None:
            return False
        names.append(match.group(1).lower())
    return len(names) >= 2 and any(name in _KNOWN_HEADERS for name in names)


@dataclass(frozen=True, slots=True)
class _Leaf:
    """One non-multipart part of a message, with its position in walk order (1-based)."""

    number: int
    part: Message


class MailExtractor(Extractor):
    name = "mail"
    media_types = frozenset({mediatypes.EMAIL})
    sniff_priority = 30

    def sniff(self, head: bytes, data: bytes) -> str | None:
        return mediatypes.EMAIL if looks_like_header_block(head) else None

    def extract(self, item: Item, context: ExtractContext) -> Extraction:
        message = parse_message(item.data)
        leaves = list(_leaves(message, context))
        lines = header_lines(message)
        members: list[_Leaf] = []
        for leaf in leaves:
            if _is_body_text(leaf.part):
                body = _body_text(leaf, context)
                if body:
                    lines.append("")
                    lines.append(body)
            else:
                members.append(leaf)
        subject = _header_text(message, "Subject")
        return Extraction(
            text="\n".join(lines) or None,
            children=_children(members, context),
            metadata={"subject": subject} if subject else {},
        )


def parse_message(data: bytes) -> Message:
    try:
        return BytesParser(policy=policy.default).parsebytes(data)
    except RecursionError as error:  # the stdlib parser recurses once per nested part
        raise LimitReached("depth", "message parts nested too deeply to parse") from error
    except Exception as error:  # the stdlib parser is lenient; anything it raises is corrupt mail
        raise ItemError(f"cannot parse mail message: {type(error).__name__}") from error


def header_lines(message: Message) -> list[str]:
    """``Name: value`` lines for the headers that name people and the topic, in a fixed order."""
    lines: list[str] = []
    for name in TEXT_HEADERS:
        value = _header_text(message, name)
        if value:
            lines.append(f"{name}: {value}")
    return lines


def _header_text(message: Message, name: str) -> str:
    """All values of one header, decoded; the raw value when the header cannot be parsed."""
    try:
        values = [str(value) for value in message.get_all(name, [])]
    except Exception:  # a malformed header the policy cannot parse: keep its raw form
        values = [str(v) for n, v in message.raw_items() if n.lower() == name.lower()]
    return ", ".join(" ".join(v.split()) for v in values if v.strip())


def _leaves(message: Message, context: ExtractContext) -> Iterator[_Leaf]:
    """Non-multipart parts in document order; an explicit stack, since nesting may be deep."""
    stack: list[Message] = [message]
    number = 0
    while stack:
        context.budget.check_time()
        part = stack.pop()
        if part.is_multipart() and part.get_content_type() not in _NESTED_MESSAGES:
            payload = part.get_payload()
            if isinstance(payload, list):
                stack.extend(p for p in reversed(payload) if isinstance(p, Message))
            continue
        number += 1
        yield _Leaf(number, part)


def _is_body_text(part: Message) -> bool:
    if part.get_content_type() not in ("text/plain", "text/html"):
        return False
    disposition = part.get_content_disposition()
    if disposition == "attachment":
        return False
    return disposition == "inline" or _filename(part) is None


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # a malformed parameter: treat the part as unnamed
        return None
    if not isinstance(name, str):
        return None
    return name.strip() or None


def _payload(part: Message) -> bytes:
    """The part's content with its transfer encoding undone."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        raise ValueError("no decodable payload")
    if any(isinstance(defect, _CORRUPT_PAYLOAD) for defect in part.defects):
        raise ValueError("base64 payload is truncated or malformed")
    return payload


def _body_text(leaf: _Leaf, context: ExtractContext) -> str:
    part = leaf.part
    try:
        payload = _payload(part)
    except Exception as error:  # a body part we cannot decode; the rest of the mail still counts
        context.notice(
            "error",
            "corrupt",
            f"body part cannot be decoded: {error}",
            member=f"part{leaf.number}.txt",
        )
        return ""
    context.budget.accept(payload)
    text, _ = decode_text(payload, declared=clean_charset(part.get_content_charset()))
    if part.get_content_type() == "text/html":
        text = html_to_text(text)
    return text.strip()


def member_name(part: Message, number: int) -> str:
    """A member's name: its decoded file name as a relative posix path, or ``part<N>.<ext>``."""
    name = _filename(part)
    if name:
        name = name.replace("\\", "/").lstrip("/")
    if not name:
        name = f"part{number}.{extension_for(part.get_content_type())}"
    return name


def _unique(name: str, seen: set[str]) -> str:
    """Keep lineage paths unambiguous when two attachments share a name."""
    candidate, copy = name, 1
    while candidate in seen:
        copy += 1
        stem, dot, extension = name.rpartition(".")
        candidate = f"{stem} ({copy}).{extension}" if dot and stem else f"{name} ({copy})"
    seen.add(candidate)
    return candidate


def _children(members: list[_Leaf], context: ExtractContext) -> Iterator[Child]:
    seen: set[str] = set()
    for leaf in members:
        context.budget.check_time()
        part = leaf.part
        name = _unique(member_name(part, leaf.number), seen)
        try:
            data, media_type = _member_content(part)
        except Exception as error:  # one bad part; the other attachments are still opened
            context.notice(
                "error", "corrupt", f"attachment cannot be decoded: {error}", member=name
            )
            continue
        context.budget.accept(data)
        yield Child(name, data, {"content_type": part.get_content_type()}, media_type)


def _member_content(part: Message) -> tuple[bytes, str | None]:
    """The bytes of one member, and its media type when the part states it reliably."""
    content_type = part.get_content_type()
    if part.get_content_maintype() == "message" or content_type == "text/rfc822-headers":
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            media_type = mediatypes.EMAIL if content_type in _NESTED_MESSAGES else None
            return serialize(inner[0]), media_type
    return _payload(part), None


def serialize(message: Message) -> bytes:
    """A parsed message as bytes again, with headers left as they were (no refolding)."""
    return message.as_bytes(policy=_SERIALIZE_POLICY)
