"""Encoded carver: long base64, hex and quoted-printable blobs in text are decoded and inspected
when they hold a file or prose; keys, certificates, tokens and images in code are left alone."""

from __future__ import annotations

import base64
import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaktrace.core.item import Item
from leaktrace.core.limits import Budget, Limits
from leaktrace.core.lineage import Lineage
from leaktrace.core.plugin import ExtractContext
from leaktrace.core.registry import Registry
from leaktrace.demo import carriers
from leaktrace.demo.builders import docx_bytes, email_bytes
from leaktrace.extract.carve.encoded import MAX_CHILDREN, EncodedCarver
from tests.conftest import ScanBytes
from tests.extract.test_trailing import concealed, marked

HIDDEN = carriers.secret_zip()
TEXT = carriers.HIDDEN_TEXT.encode()


@pytest.mark.parametrize(
    ("name", "data", "child"),
    [
        ("notes.txt", carriers.base64_text(TEXT * 2).encode(), "<base64 @line 3>"),
        ("wrapped.md", carriers.base64_text(HIDDEN, 76).encode(), "<base64 @line 3>!secret.txt"),
        ("table.csv", carriers.hex_text(TEXT).encode(), "<hex @line 2>"),
        ("forward.txt", carriers.quoted_printable_text(carriers.HIDDEN_TEXT).encode(), None),
        ("memo.docx", docx_bytes(carriers.base64_text(HIDDEN)), "<base64 @line 3>!secret.txt"),
    ],
)
def test_an_encoded_payload_is_decoded_and_inspected(
    scan_bytes: ScanBytes, name: str, data: bytes, child: str | None
) -> None:
    report = scan_bytes(name, data)
    assert concealed(report.findings) == [(name, "encoded-payload")]
    if child is None:  # quoted-printable: the block starts where the quoting does
        [path] = {p for p in marked(report.findings) if "!" in p}
        assert path.startswith(f"{name}!<quoted-printable @line ")
    else:
        assert f"{name}!{child}" in marked(report.findings)


def test_the_notice_says_what_the_blob_holds(scan_bytes: ScanBytes) -> None:
    report = scan_bytes("wrapped.md", carriers.base64_text(HIDDEN, 76).encode())
    [notice] = [f for f in report.findings if f.detector == "concealment"]
    assert notice.message.startswith("base64 blob of ")
    assert f"at line 3 decodes to {len(HIDDEN)} bytes of application/zip" in notice.message


def test_url_safe_base64_in_a_mail_body_is_found(scan_bytes: ScanBytes) -> None:
    body = carriers.base64_text(HIDDEN, url_safe=True)
    assert "-" in body or "_" in body
    report = scan_bytes("m.eml", email_bytes("a@example.org", "b@example.org", "hi", body))
    assert ("m.eml", "encoded-payload") in concealed(report.findings)
    assert any(p.startswith("m.eml!<base64 @line ") for p in marked(report.findings))


def test_a_mime_attachment_is_the_mail_extractors_not_an_encoded_payload(
    scan_bytes: ScanBytes,
) -> None:
    mail = email_bytes(
        "a@example.org",
        "b@example.org",
        "files",
        "see attached",
        [("secret.zip", HIDDEN, "application/zip")],
    )
    assert base64.b64encode(HIDDEN)[:40] in mail.replace(b"\n", b"")
    report = scan_bytes("m.eml", mail)
    assert concealed(report.findings) == []
    assert "m.eml!secret.zip!secret.txt" in marked(report.findings)


RNG = random.Random(3)
PEM = (
    "-----BEGIN CERTIFICATE-----\n"
    + "\n".join(
        base64.b64encode(RNG.randbytes(900)).decode()[i : i + 64] for i in range(0, 1200, 64)
    )
    + "\n-----END CERTIFICATE-----\n"
)
NOTEBOOK = json.dumps(
    {"outputs": [{"data": {"image/png": base64.b64encode(carriers.image("PNG")).decode()}}]}
)
CODE_TABLE = "".join(f"{0x80 + i:04X}" for i in range(128))  # UTF-16 code points, like Tcl's


@pytest.mark.parametrize(
    "text",
    [
        "token = " + base64.b64encode(b"a short secret token 123").decode() + "\n" * 30,
        PEM,
        NOTEBOOK,
        "\n".join(RNG.randbytes(32).hex() for _ in range(20)),
        "-" * 200 + "\nheading\n" + "=" * 200 + "\n" + "_" * 200,
        CODE_TABLE + "\n" + CODE_TABLE,
        "a perfectly ordinary paragraph of prose " * 40,
    ],
    ids=["short-token", "pem", "notebook-image", "hashes", "rules", "code-table", "prose"],
)
def test_ordinary_text_is_not_flagged(scan_bytes: ScanBytes, text: str) -> None:
    assert concealed(scan_bytes("file.txt", text.encode()).findings) == []


def test_an_image_in_code_is_inspected_without_an_alarm(scan_bytes: ScanBytes) -> None:
    report = scan_bytes("icons.json", NOTEBOOK.encode())
    assert concealed(report.findings) == []
    assert report.media_types.get("image/png") == 1


def test_the_number_of_payloads_is_bounded(registry: Registry) -> None:
    blob = base64.b64encode(TEXT * 2).decode()
    text = "\n".join(f"{i}: {blob}" for i in range(MAX_CHILDREN + 3))
    context = ExtractContext(Budget(Limits()), registry.identify)
    item = Item(Lineage.root("x"), text.encode(), "text/plain", text)
    children = list(EncodedCarver().carve(item, context))
    assert len(children) == MAX_CHILDREN
    assert children[1].name == "<base64 @line 2>"
    assert [(n.detector, n.rule) for n in context.drain()][-1] == ("limit", "encoded")


ALPHABET = st.sampled_from(list("AZaz09+/=_-\n \t=3D\r%PDF"))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(text=st.one_of(st.text(max_size=400), st.lists(ALPHABET, max_size=600).map("".join)))
def test_arbitrary_text_never_crashes_the_encoded_carver(registry: Registry, text: str) -> None:
    context = ExtractContext(Budget(Limits()), registry.identify)
    item = Item(Lineage.root("x"), text.encode("utf-8", "surrogatepass"), "text/plain", text)
    for child in EncodedCarver().carve(item, context):
        assert child.data
