"""Outlook .msg extractor, on messages generated with the test compound-file writer."""

from __future__ import annotations

import contextlib
import io
import struct

import olefile
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError
from leaktrace.core.limits import Limits
from leaktrace.extract.msg import OutlookMsgExtractor, codepage_codec, is_outlook_message
from tests.extract.cfb_writer import Tree, write_compound_file
from tests.extract.test_mail import media, open_item, problems, scan, seen

PT_LONG, PT_SYSTIME = 0x0003, 0x0040


def unicode_prop(prop_id: int, value: str) -> tuple[str, bytes]:
    return f"__substg1.0_{prop_id:04X}001F", value.encode("utf-16-le")


def string8_prop(prop_id: int, value: bytes) -> tuple[str, bytes]:
    return f"__substg1.0_{prop_id:04X}001E", value


def binary_prop(prop_id: int, value: bytes) -> tuple[str, bytes]:
    return f"__substg1.0_{prop_id:04X}0102", value


def properties(header_size: int, fixed: dict[int, tuple[int, bytes]]) -> bytes:
    """A ``__properties_version1.0`` stream: a header, then 16-byte fixed-size entries."""
    entries = b"".join(
        struct.pack("<II", (prop_id << 16) | kind, 6) + value.ljust(8, b"\x00")
        for prop_id, (kind, value) in fixed.items()
    )
    return b"\x00" * header_size + entries


def long_value(value: int) -> tuple[int, bytes]:
    return PT_LONG, struct.pack("<i", value)


def message_tree(
    header_size: int,
    strings: dict[int, str],
    attachments: list[Tree] | None = None,
    recipients: list[Tree] | None = None,
    fixed: dict[int, tuple[int, bytes]] | None = None,
    extra: dict[str, bytes] | None = None,
) -> Tree:
    tree: Tree = {"__properties_version1.0": properties(header_size, fixed or {})}
    tree.update(unicode_prop(prop_id, value) for prop_id, value in strings.items())
    tree.update(extra or {})
    for number, recipient in enumerate(recipients or []):
        tree[f"__recip_version1.0_#{number:08X}"] = recipient
    for number, attachment in enumerate(attachments or []):
        tree[f"__attach_version1.0_#{number:08X}"] = attachment
    return tree


def recipient(name: str, address: str, kind: int) -> Tree:
    tree: Tree = {"__properties_version1.0": properties(8, {0x0C15: long_value(kind)})}
    tree.update([unicode_prop(0x3001, name), unicode_prop(0x39FE, address)])
    return tree


def file_attachment(data: bytes, long_name: str = "", short_name: str = "") -> Tree:
    tree: Tree = {"__properties_version1.0": properties(8, {0x3705: long_value(1)})}
    tree.update([binary_prop(0x3701, data)])
    if long_name:
        tree.update([unicode_prop(0x3707, long_name)])
    if short_name:
        tree.update([unicode_prop(0x3704, short_name)])
    return tree


def embedded_attachment(display_name: str, message: Tree) -> Tree:
    tree: Tree = {"__properties_version1.0": properties(8, {0x3705: long_value(5)})}
    tree.update([unicode_prop(0x3001, display_name)])
    tree["__substg1.0_3701000D"] = message
    return tree


BIG_ATTACHMENT = b"PK\x03\x04" + b"big attachment data " * 400  # > 4096: ordinary sectors


def sample_msg() -> bytes:
    inner = message_tree(
        24,
        {0x0037: "Fwd: lecture", 0x1000: "Forwarded lecture body", 0x0C1A: "Carol"},
        attachments=[file_attachment(b"lecture notes CONFIDENTIAL", long_name="lecture.txt")],
        recipients=[recipient("Erin", "erin@example.org", 1), recipient("Bo", "bo@x.org", 3)],
    )
    top = message_tree(
        32,
        {
            0x0037: "Quarterly plan",
            0x1000: "Plain body with the plan.",
            0x0C1A: "Alice Example",
            0x5D01: "alice@example.org",
            0x0E04: "Bob Example",
            0x0E03: "Dave",
        },
        recipients=[
            recipient("Bob Example", "bob@example.org", 1),
            recipient("Dave", "dave@example.org", 2),
        ],
        attachments=[
            file_attachment(BIG_ATTACHMENT, long_name="plan.docx", short_name="PLAN~1.DOC"),
            file_attachment(b"short named text", short_name="notes.txt"),
            embedded_attachment("Fwd: lecture", inner),
        ],
        fixed={
            0x3FFD: long_value(1252),
            0x0039: (PT_SYSTIME, struct.pack("<Q", 133_485_408_000_000_000)),
        },
        extra=dict(
            [
                binary_prop(
                    0x1013, b"<html><body><p>HTML <b>body</b></p><script>x()</script></body></html>"
                )
            ]
        ),
    )
    return write_compound_file(top)


def test_writer_output_reads_back_with_olefile() -> None:
    ole = olefile.OleFileIO(io.BytesIO(sample_msg()), raise_defects=olefile.DEFECT_INCORRECT)
    path = ["__attach_version1.0_#00000000", "__substg1.0_37010102"]
    assert ole.openstream(path).read() == BIG_ATTACHMENT
    assert ole.openstream("__substg1.0_0037001F").read().decode("utf-16-le") == "Quarterly plan"


def test_sample_text_and_lineage() -> None:
    report = scan("mail.msg", sample_msg())
    found = seen(report)
    text = found["mail.msg"]
    assert text.splitlines()[:7] == [
        "From: Alice Example <alice@example.org>",
        "To: Bob Example",
        "Cc: Dave",
        "Subject: Quarterly plan",
        "Date: Mon, 01 Jan 2024 00:00:00 +0000",
        "Recipient: Bob Example <bob@example.org>",
        "Recipient: Dave <dave@example.org>",
    ]
    assert "Plain body with the plan." in text
    assert "HTML body" in text
    assert "x()" not in text
    assert set(found) == {
        "mail.msg",
        "mail.msg!plan.docx",
        "mail.msg!notes.txt",
        "mail.msg!Fwd: lecture.eml",
        "mail.msg!Fwd: lecture.eml!lecture.txt",
    }
    assert media(report)["mail.msg"] == mediatypes.OUTLOOK_MSG
    assert media(report)["mail.msg!Fwd: lecture.eml"] == mediatypes.EMAIL
    assert "Forwarded lecture body" in found["mail.msg!Fwd: lecture.eml"]
    forwarded = found["mail.msg!Fwd: lecture.eml"].splitlines()
    assert forwarded[:4] == [
        "From: Carol",
        "To: Erin <erin@example.org>",
        "Bcc: Bo <bo@x.org>",
        "Subject: Fwd: lecture",
    ]
    assert found["mail.msg!Fwd: lecture.eml!lecture.txt"] == "lecture notes CONFIDENTIAL"
    assert problems(report) == []


def test_attachment_bytes_and_deterministic_rendering() -> None:
    _, children, notices = open_item(OutlookMsgExtractor(), sample_msg(), mediatypes.OUTLOOK_MSG)
    assert [c.name for c in children] == ["plan.docx", "notes.txt", "Fwd: lecture.eml"]
    assert children[0].data == BIG_ATTACHMENT
    assert children[1].data == b"short named text"
    _, again, _ = open_item(OutlookMsgExtractor(), sample_msg(), mediatypes.OUTLOOK_MSG)
    assert again[2].data == children[2].data
    assert notices == []


def test_string8_properties_use_the_code_page() -> None:
    top = message_tree(32, {}, fixed={0x3FFD: long_value(1252)})
    top.update(
        [string8_prop(0x0037, "Caf\u00e9 \u20ac".encode("cp1252")), string8_prop(0x1000, b"plain")]
    )
    text, _, _ = open_item(OutlookMsgExtractor(), write_compound_file(top), mediatypes.OUTLOOK_MSG)
    assert text == "Subject: Caf\u00e9 \u20ac\n\nplain"


def test_attachment_without_data_is_reported() -> None:
    attachment: Tree = {"__properties_version1.0": properties(8, {0x3705: long_value(2)})}
    attachment.update([unicode_prop(0x3707, "linked.docx")])
    data = write_compound_file(message_tree(32, {0x0037: "s"}, attachments=[attachment]))
    report = scan("m.msg", data)
    assert ("m.msg!linked.docx", "error", "unreadable") in problems(report)


def test_ole_object_attachment_streams() -> None:
    attachment: Tree = {"__properties_version1.0": properties(8, {0x3705: long_value(6)})}
    attachment.update([unicode_prop(0x3001, "Picture")])
    attachment["__substg1.0_3701000D"] = {"\x01Ole": b"\x01\x00", "CONTENTS": b"embedded bytes"}
    data = write_compound_file(message_tree(32, {0x0037: "s"}, attachments=[attachment]))
    _, children, _ = open_item(OutlookMsgExtractor(), data, mediatypes.OUTLOOK_MSG)
    assert [(c.name, c.data) for c in children] == [
        ("Picture/Ole", b"\x01\x00"),  # control characters in stream names are dropped
        ("Picture/CONTENTS", b"embedded bytes"),
    ]


def test_embedded_messages_nested_too_deep() -> None:
    message = message_tree(24, {0x0037: "bottom", 0x1000: "deepest"})
    for level in range(4):
        message = message_tree(
            24, {0x0037: f"level {level}"}, attachments=[embedded_attachment(f"m{level}", message)]
        )
    top = message_tree(32, {0x0037: "top"}, attachments=[embedded_attachment("outer", message)])
    report = scan("deep.msg", write_compound_file(top), Limits(max_depth=3))
    assert any(p[1] == "limit" and p[2] == "depth" for p in problems(report))
    assert "deep.msg!outer.eml" in seen(report)


def test_stream_larger_than_budget_is_a_limit() -> None:
    report = scan("m.msg", sample_msg(), Limits(max_item_bytes=4000))
    assert ("m.msg", "limit", "size") in problems(report)


@pytest.mark.parametrize(
    ("codepage", "codec"),
    [(1252, "cp1252"), (65001, "utf-8"), (28592, "iso-8859-2"), (932, "cp932"), (1, None)],
)
def test_codepages(codepage: int, codec: str | None) -> None:
    assert codepage_codec(codepage) == codec


def test_sniffing() -> None:
    data = sample_msg()
    assert OutlookMsgExtractor().sniff(data[:8192], data) == mediatypes.OUTLOOK_MSG
    plain_ole = write_compound_file({"WordDocument": b"x" * 100, "\x01CompObj": b"y"})
    assert not is_outlook_message(plain_ole[:8192], plain_ole)
    assert not is_outlook_message(data[:8] + b"\x00" * 600, data[:8] + b"\x00" * 600)
    assert not is_outlook_message(b"PK\x03\x04", b"PK\x03\x04")


@pytest.mark.parametrize("cut", [8, 512, 1024, 2000, 4000])
def test_truncated_files_are_item_errors(cut: int) -> None:
    with pytest.raises(ItemError):
        open_item(OutlookMsgExtractor(), sample_msg()[:cut], mediatypes.OUTLOOK_MSG)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_msg_never_crashes(draw: st.DataObject) -> None:
    data = bytearray(sample_msg())
    for _ in range(draw.draw(st.integers(1, 10))):
        position = draw.draw(st.integers(0, len(data) - 1))
        data[position] = draw.draw(st.integers(0, 255))
    with contextlib.suppress(ItemError):
        open_item(OutlookMsgExtractor(), bytes(data), mediatypes.OUTLOOK_MSG)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    blob = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + data
    assert OutlookMsgExtractor().sniff(blob[:8192], blob) in (None, mediatypes.OUTLOOK_MSG)
    with contextlib.suppress(ItemError):
        open_item(OutlookMsgExtractor(), blob, mediatypes.OUTLOOK_MSG)
