"""HTML extractor: visible text without scripts, metadata, and ``data:`` URIs as members."""

from __future__ import annotations

import base64
import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError
from leaktrace.core.limits import Limits
from leaktrace.extract.html import HtmlExtractor, html_to_text, looks_like_html, parse_data_uri
from tests.extract.test_mail import mail_registry, open_item, problems, scan, seen

PAGE = """<!DOCTYPE html>
<html><head><title>Quarterly plan</title>
<meta name="description" content="Internal plan for Q3">
<meta name="keywords" content="budget, confidential">
<script>var apiKey = "do-not-show";</script>
<style>body { color: red }</style>
</head>
<body>
<h1>Plan</h1><p>First <b>bold</b> paragraph.</p><div>Second<br>line</div>
<ul><li>one</li><li>two</li></ul>
<noscript>Enable scripts</noscript>
<img alt="Org chart" src="data:text/plain;base64,{payload}">
<a href="data:application/pdf;base64,JVBERi0xLjQK">pdf</a>
<object data="data:,hello%20world"></object>
<a href="https://example.org/">a link</a>
</body></html>
"""


def page(payload: bytes = b"SECRET hidden in a data URI") -> bytes:
    return PAGE.replace("{payload}", base64.b64encode(payload).decode()).encode()


def test_text_without_script_and_style() -> None:
    text, _, _ = open_item(HtmlExtractor(), page(), mediatypes.HTML)
    assert text is not None
    lines = text.splitlines()
    assert lines[:3] == [
        "Quarterly plan",
        "description: Internal plan for Q3",
        "keywords: budget, confidential",
    ]
    for expected in (
        "Plan",
        "First bold paragraph.",
        "Second",
        "line",
        "one",
        "two",
        "Enable scripts",
        "Org chart",
        "a link",
    ):
        assert expected in lines
    assert "apiKey" not in text
    assert "color" not in text


def test_data_uris_become_children_with_lineage() -> None:
    report = scan("page.html", page())
    found = seen(report)
    assert found["page.html!data-uri-1.txt"] == "SECRET hidden in a data URI"
    assert "page.html!data-uri-2.pdf" in found
    assert found["page.html!data-uri-3.txt"] == "hello world"
    assert problems(report) == []


def test_data_uri_payloads() -> None:
    _, children, notices = open_item(HtmlExtractor(), page(b"\x00\x01binary"), mediatypes.HTML)
    assert [(c.name, c.data) for c in children] == [
        ("data-uri-1.txt", b"\x00\x01binary"),
        ("data-uri-2.pdf", b"%PDF-1.4\n"),
        ("data-uri-3.txt", b"hello world"),
    ]
    assert notices == []


@pytest.mark.parametrize(
    ("uri", "content_type", "payload"),
    [
        ("data:image/png;base64,iVBORw0KGgo=", "image/png", b"\x89PNG\r\n\x1a\n"),
        ("DATA:Image/PNG;BASE64,iVBORw0KGgo", "image/png", b"\x89PNG\r\n\x1a\n"),
        ("data:;base64,YWJj", "text/plain", b"abc"),
        ("data:text/plain;charset=utf-8,a%20b", "text/plain", b"a b"),
        ("data:application/zip;name=x.zip;base64,UEsFBg==", "application/zip", b"PK\x05\x06"),
    ],
)
def test_parse_data_uri(uri: str, content_type: str, payload: bytes) -> None:
    decoded = parse_data_uri(uri)
    assert decoded is not None
    assert (decoded.content_type, decoded.payload) == (content_type, payload)


@pytest.mark.parametrize("uri", ["https://example.org", "data:text/plain", "data:;base64,@@@@="])
def test_not_data_uris(uri: str) -> None:
    decoded = parse_data_uri(uri)
    assert decoded is None or decoded.payload == b""


def test_charset_from_meta() -> None:
    data = '<html><head><meta charset="windows-1251"></head><body>Привет</body></html>'
    text, _, _ = open_item(HtmlExtractor(), data.encode("cp1251"), mediatypes.HTML)
    assert text == "Привет"


def test_charset_from_bom() -> None:
    data = "\ufeff<html><body>Grüße</body></html>".encode("utf-16-le")
    text, _, _ = open_item(HtmlExtractor(), data, mediatypes.HTML)
    assert text == "Grüße"


def test_deep_nesting_and_empty_documents() -> None:
    assert html_to_text("<b>" * 3000 + "deep") == "deep"
    assert html_to_text("") == ""
    text, children, _ = open_item(HtmlExtractor(), b"<html></html>", mediatypes.HTML)
    assert text is None
    assert children == []


def test_data_uri_bomb_is_a_limit() -> None:
    payload = base64.b64encode(b"A" * 5000).decode()
    data = f'<html><body><img src="data:image/png;base64,{payload}"></body></html>'.encode()
    report = scan("page.html", data, Limits(max_item_bytes=4000))
    assert ("page.html", "limit", "size") in problems(report)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"<!DOCTYPE html><html>", True),
        (b"\xef\xbb\xbf  <!-- generated --> <HTML lang=en>", True),
        (b'<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "x"><html>', True),
        (b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">', True),
        (b"\n<body><p>x</p></body>", True),
        (b"<div><p>a</p><p>b</p><span>c</span><a href=x>d</a></div>", True),
        (b"<div>only one tag</div>", False),
        (b"From: a@example.org\nTo: b\n\n<html><p>x</p><p>y</p><div>z</div><b>q</b>", False),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>', False),
        (b"plain text about <html> tags", False),
        (b"", False),
    ],
)
def test_sniffing(head: bytes, expected: bool) -> None:
    assert looks_like_html(head) is expected


def test_registry_identifies_html_and_mail() -> None:
    registry = mail_registry()
    assert registry.identify(page()) == mediatypes.HTML
    mail = b"From: a@example.org\nTo: b@example.org\nSubject: s\n\n<html><body>x</body></html>"
    assert registry.identify(mail) == mediatypes.EMAIL


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    with contextlib.suppress(ItemError):
        open_item(HtmlExtractor(), b"<html>" + data, mediatypes.HTML)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(alphabet=st.sampled_from(list("<>/=\"' abpdivdata:;base64,scriptimgsrc")), max_size=400)
)
def test_markup_soup_never_crashes(markup: str) -> None:
    with contextlib.suppress(ItemError):
        open_item(HtmlExtractor(), markup.encode(), mediatypes.HTML)
