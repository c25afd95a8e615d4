"""Mail extractor: headers and bodies as text, attachments and forwarded messages as members."""

from __future__ import annotations

import base64
import contextlib
import email
import quopri
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError
from leaktrace.core.finding import Finding, Rule, Severity
from leaktrace.core.item import Item
from leaktrace.core.limits import Budget, Limits
from leaktrace.core.lineage import Lineage
from leaktrace.core.pipeline import FileReport, Scanner
from leaktrace.core.plugin import Child, Detector, ExtractContext, Extractor, Notice
from leaktrace.core.policy import Policy
from leaktrace.core.registry import Registry
from leaktrace.extract.html import HtmlExtractor
from leaktrace.extract.image import ImageMetadataExtractor
from leaktrace.extract.mail import MailExtractor, looks_like_header_block
from leaktrace.extract.mbox import MboxExtractor
from leaktrace.extract.msg import OutlookMsgExtractor
from leaktrace.extract.text import TextExtractor

# -- helpers shared by the mail, mbox, msg, HTML and image tests ---------------------------------


class SeenItems(Detector):
    """Reports every item the scan reaches, with its text as the message."""

    name = "seen"
    rules = (Rule("seen", "item", "an item the scan reached", Severity.INFO),)

    def detect(self, item: Item) -> Iterator[Finding]:
        yield self.finding(item, "item", item.text or "", key=item.media_type)


def mail_registry() -> Registry:
    extractors = [
        MailExtractor(),
        MboxExtractor(),
        OutlookMsgExtractor(),
        HtmlExtractor(),
        ImageMetadataExtractor(),
        TextExtractor(),
    ]
    return Registry(extractors, [SeenItems])


def scan(name: str, data: bytes, limits: Limits | None = None) -> FileReport:
    return Scanner(mail_registry(), Policy(limits=limits or Limits())).scan_bytes(name, data)


def seen(report: FileReport) -> dict[str, str]:
    """Path → text of every item the scan reached."""
    return {f.path: f.message for f in report.findings if f.detector == "seen"}


def media(report: FileReport) -> dict[str, str]:
    """Path → media type of every item the scan reached."""
    return {f.path: f.key for f in report.findings if f.detector == "seen"}


def problems(report: FileReport) -> list[tuple[str, str, str]]:
    return [
        (f.path, f.detector, f.rule) for f in report.findings if f.detector in ("limit", "error")
    ]


def open_item(
    extractor: Extractor, data: bytes, media_type: str, limits: Limits | None = None
) -> tuple[str | None, list[Child], list[Notice]]:
    """Run one extractor on ``data`` and read all its children, as the pipeline would."""
    context = ExtractContext(Budget(limits or Limits()))
    extraction = extractor.extract(Item(Lineage.root("x"), data, media_type), context)
    children = list(extraction.children)
    return extraction.text, children, context.drain()


# -- building messages ---------------------------------------------------------------------------


def forwarded_message() -> EmailMessage:
    inner = EmailMessage()
    inner["From"] = "Carol <carol@example.org>"
    inner["To"] = "alice@example.org"
    inner["Subject"] = "Lecture notes"
    inner.set_content("See the attached notes.\n")
    inner.add_attachment(
        b"TOP SECRET notes inside\n", maintype="text", subtype="plain", filename="notes.txt"
    )
    return inner


def sample_mail() -> bytes:
    """A message with a quoted-printable cp1252 body, a base64 docx-like attachment with an
    RFC 2231 file name, and a forwarded message with its own attachment."""
    body = quopri.encodestring("Caf\u00e9 r\u00e9sum\u00e9: budget figures\n".encode("cp1252"))
    docx = base64.encodebytes(b"PK\x03\x04" + b"word/document.xml" * 20).decode("ascii")
    forwarded = forwarded_message().as_string(policy=policy.default.clone(linesep="\n"))
    return (
        "From: Alice Example <alice@example.org>\n"
        "To: Bob <bob@example.org>\n"
        "Cc: =?utf-8?q?J=C3=BCrgen?= <j@example.org>\n"
        "Subject: =?utf-8?q?Quarterly_r=C3=A9sum=C3=A9?=\n"
        "Date: Mon, 01 Jan 2024 10:00:00 +0000\n"
        "Message-ID: <1@example.org>\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="XX"\n'
        "\n"
        "--XX\n"
        "Content-Type: text/plain; charset=windows-1252\n"
        "Content-Transfer-Encoding: quoted-printable\n"
        "\n" + body.decode("ascii") + "\n"
        "--XX\n"
        "Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document\n"
        "Content-Transfer-Encoding: base64\n"
        "Content-Disposition: attachment; filename*=utf-8''%C3%BCber%20plan.docx\n"
        "\n" + docx + "\n"
        "--XX\n"
        "Content-Type: message/rfc822\n"
        'Content-Disposition: attachment; filename="fwd.eml"\n'
        "\n" + forwarded + "\n"
        "--XX\n"
        "Content-Type: image/png\n"
        "Content-Transfer-Encoding: base64\n"
        "\n" + base64.b64encode(b"not really a png").decode() + "\n"
        "--XX--\n"
    ).encode("ascii")


def test_sample_mail_text_and_lineage() -> None:
    report = scan("m.eml", sample_mail())
    found = seen(report)
    text = found["m.eml"]
    assert text.splitlines()[:5] == [
        "From: Alice Example <alice@example.org>",
        "To: Bob <bob@example.org>",
        "Cc: J\u00fcrgen <j@example.org>",
        "Subject: Quarterly r\u00e9sum\u00e9",
        "Date: Mon, 01 Jan 2024 10:00:00 +0000",
    ]
    assert "Caf\u00e9 r\u00e9sum\u00e9: budget figures" in text
    assert set(found) == {
        "m.eml",
        "m.eml!\u00fcber plan.docx",
        "m.eml!fwd.eml",
        "m.eml!fwd.eml!notes.txt",
        "m.eml!part4.png",
    }
    assert found["m.eml!fwd.eml!notes.txt"] == "TOP SECRET notes inside\n"
    assert "Subject: Lecture notes" in found["m.eml!fwd.eml"]
    assert media(report)["m.eml!fwd.eml"] == mediatypes.EMAIL
    assert problems(report) == []


def test_attachment_bytes_are_decoded() -> None:
    _, children, notices = open_item(MailExtractor(), sample_mail(), mediatypes.EMAIL)
    by_name = {child.name: child for child in children}
    assert by_name["\u00fcber plan.docx"].data == b"PK\x03\x04" + b"word/document.xml" * 20
    assert by_name["part4.png"].data == b"not really a png"
    assert by_name["fwd.eml"].media_type == mediatypes.EMAIL
    assert notices == []


def message_with(part_headers: str, payload: str, extra: str = "") -> bytes:
    return (
        "From: a@example.org\nTo: b@example.org\nSubject: s\nMIME-Version: 1.0\n"
        f"{extra}"
        'Content-Type: multipart/mixed; boundary="B"\n\n'
        f"--B\n{part_headers}\n\n{payload}\n--B--\n"
    ).encode()


@pytest.mark.parametrize(
    ("part_headers", "payload", "member", "content"),
    [
        (
            "Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n"
            'Content-Disposition: attachment; filename="=?utf-8?b?w7xiZXIucGRm?="',
            base64.b64encode(b"%PDF-1.4 x").decode(),
            "\u00fcber.pdf",
            b"%PDF-1.4 x",
        ),
        (
            "Content-Type: text/plain\nContent-Transfer-Encoding: x-uuencode\n"
            "Content-Disposition: attachment; filename=uu.txt",
            "begin 644 uu.txt\n#86)C\n`\nend",
            "uu.txt",
            b"abc",
        ),
        (
            "Content-Type: text/csv\nContent-Transfer-Encoding: 8bit",
            "name,salary\nbob,1",
            "part1.csv",
            b"name,salary\nbob,1",
        ),
        (
            "Content-Type: application/octet-stream\n"
            'Content-Disposition: attachment; filename="/etc/../../passwd"',
            "root:x:0:0",
            "etc/../../passwd",
            b"root:x:0:0",
        ),
        (
            "Content-Type: application/x-unknown\nContent-Transfer-Encoding: binary",
            "raw",
            "part1.bin",
            b"raw",
        ),
    ],
)
def test_member_names_and_transfer_encodings(
    part_headers: str, payload: str, member: str, content: bytes
) -> None:
    _, children, notices = open_item(
        MailExtractor(), message_with(part_headers, payload), mediatypes.EMAIL
    )
    assert [(c.name, c.data) for c in children] == [(member, content)]
    assert notices == []


def test_html_body_becomes_text_without_script() -> None:
    html = "<html><body><p>Hello <b>HTML</b></p><script>var secret=1</script></body></html>"
    text, children, _ = open_item(
        MailExtractor(),
        message_with("Content-Type: text/html; charset=utf-8", html),
        mediatypes.EMAIL,
    )
    assert text is not None
    assert "Hello HTML" in text
    assert "secret" not in text
    assert children == []


def test_duplicate_attachment_names_stay_distinct() -> None:
    mail = EmailMessage()
    mail["From"] = "a@example.org"
    mail["Subject"] = "two files"
    mail.set_content("body")
    for content in (b"one", b"two"):
        mail.add_attachment(
            content, maintype="application", subtype="octet-stream", filename="a.bin"
        )
    _, children, _ = open_item(MailExtractor(), mail.as_bytes(), mediatypes.EMAIL)
    assert [(c.name, c.data) for c in children] == [("a.bin", b"one"), ("a (2).bin", b"two")]


def test_truncated_base64_is_a_notice_and_the_rest_goes_on() -> None:
    data = message_with(
        "Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n"
        'Content-Disposition: attachment; filename="broken.pdf"',
        "QUJD" * 10 + "Q",
    )
    report = scan("m.eml", data)
    assert ("m.eml!broken.pdf", "error", "corrupt") in problems(report)
    assert "m.eml" in seen(report)


def test_budget_counts_decoded_parts() -> None:
    big = base64.encodebytes(b"x" * 5000).decode()
    data = message_with(
        "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64", big
    )
    report = scan("m.eml", data, Limits(max_item_bytes=4000))
    assert ("m.eml", "limit", "size") in problems(report)


def test_deeply_nested_multiparts_do_not_crash() -> None:
    depth = 400
    opening = "".join(
        f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n' for i in range(depth)
    )
    data = (
        "From: a@example.org\nSubject: deep\n" + opening + "Content-Type: text/plain\n\ndeep text\n"
    ).encode()
    report = scan("deep.eml", data)
    assert "deep text" in seen(report)["deep.eml"]


def test_nesting_past_the_parser_is_a_depth_limit() -> None:
    nested = "Content-Type: message/rfc822\n\n" * 3000
    data = ("From: a@example.org\nSubject: deep\n" + nested + "Subject: inner\n\nx\n").encode()
    assert ("n.eml", "limit", "depth") in problems(scan("n.eml", data))


def test_forwarded_chain_stops_at_the_depth_limit() -> None:
    data = forwarded_message().as_bytes()
    for level in range(6):
        outer = EmailMessage()
        outer["From"] = "a@example.org"
        outer["Subject"] = f"level {level}"
        outer.set_content("wrapper")
        outer.add_attachment(
            email.message_from_bytes(data, policy=policy.default), filename=f"fwd{level}.eml"
        )
        data = outer.as_bytes()
    report = scan("chain.eml", data, Limits(max_depth=4))
    assert any(p[1:] == ("limit", "depth") for p in problems(report))
    assert "chain.eml!fwd5.eml!fwd4.eml!fwd3.eml" in seen(report)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"From: a@example.org\nTo: b@example.org\n\nhi", True),
        (b"Received: from x\n\tby y\nSubject: s\n\nbody", True),
        (b"X-Custom: 1\nMessage-ID: <a@b>\n", True),
        (b"Subject: only one header\n\nbody", False),
        (b"X-A: 1\nX-B: 2\n\nno well-known header", False),
        (b"Dear Bob: hello\nTo: you\n", False),
        (b"From alice@example.org Mon Jan  1 00:00:00 2024\nFrom: a\nTo: b\n", False),
        (b"<html><head>", False),
        (b"", False),
    ],
)
def test_sniffing_mail_headers(head: bytes, expected: bool) -> None:
    assert looks_like_header_block(head) is expected
    assert (MailExtractor().sniff(head, head) == mediatypes.EMAIL) is expected


def test_plain_prose_with_colons_is_not_mail() -> None:
    registry = mail_registry()
    assert registry.identify(b"Note: this is prose\nanother line: more\n") == mediatypes.TEXT


def test_garbage_is_handled() -> None:
    report = scan(
        "junk.eml", b"From: \xff\xfe\x00\nTo: \x00\x01\nContent-Type: multipart/x\n\n\x00"
    )
    assert "junk.eml" in seen(report)
    assert not [p for p in problems(report) if p[2] == "corrupt" and p[0] == "junk.eml"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    with contextlib.suppress(ItemError):
        open_item(MailExtractor(), b"From: a@b\nTo: c@d\n" + data, mediatypes.EMAIL)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_mail_never_crashes(draw: st.DataObject) -> None:
    data = bytearray(sample_mail())
    for _ in range(draw.draw(st.integers(1, 20))):
        position = draw.draw(st.integers(0, len(data) - 1))
        data[position] = draw.draw(st.integers(0, 255))
    cut = draw.draw(st.integers(0, len(data)))
    with contextlib.suppress(ItemError):
        open_item(MailExtractor(), bytes(data[:cut]), mediatypes.EMAIL)
