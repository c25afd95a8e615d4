"""OpenDocument extractor: odt, ods and odp text, headers, metadata, pictures, hostile files."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError
from leaktrace.core.item import Item
from leaktrace.core.limits import Budget, Limits
from leaktrace.core.lineage import Lineage
from leaktrace.core.plugin import ExtractContext, Extraction
from leaktrace.extract.odf import OdfExtractor
from tests.extract.test_ooxml import BILLION_LAUGHS, png_bytes, problems, scan, seen
from tests.extract.test_zip import expect_only_item_errors, open_item

XML = '<?xml version="1.0" encoding="UTF-8"?>\n'
NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:xlink="http://www.w3.org/1999/xlink"'
)
MANIFEST_NS = 'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
PREFIX = "application/vnd.oasis.opendocument."

TEXT_BODY = (
    "<office:text><text:h>Quarterly review</text:h>"
    '<text:p>First<text:s text:c="2"/>para<text:tab/>tabbed<text:line-break/>next line'
    "<text:note><text:note-citation>1</text:note-citation><text:note-body>"
    "<text:p>Note body text</text:p></text:note-body></text:note></text:p>"
    "<text:list><text:list-item><text:p>List item one</text:p></text:list-item></text:list>"
    '<table:table table:name="T1"><table:table-row><table:table-cell><text:p>Code</text:p>'
    "</table:table-cell><table:table-cell><text:p>7731</text:p></table:table-cell>"
    "</table:table-row></table:table>"
    "<text:p><office:annotation><dc:creator>Reviewer Ray</dc:creator>"
    "<text:p>Annotation remark</text:p></office:annotation>Annotated</text:p>"
    '<text:p><draw:frame><draw:image xlink:href="Pictures/image1.png"/></draw:frame></text:p>'
    "</office:text>"
)
SHEET_BODY = (
    "<office:spreadsheet>"
    '<table:table table:name="Visible"><table:table-row><table:table-cell>'
    "<text:p>Name</text:p></table:table-cell><table:table-cell><text:p>Amount</text:p>"
    "</table:table-cell></table:table-row></table:table>"
    '<table:table table:name="Hidden payroll"><table:table-row><table:table-cell>'
    "<text:p>CEO salary</text:p></table:table-cell><table:table-cell><text:p>999000</text:p>"
    "</table:table-cell></table:table-row></table:table></office:spreadsheet>"
)
SLIDES_BODY = (
    '<office:presentation><draw:page draw:name="p1"><draw:frame><draw:text-box>'
    "<text:p>Slide one title</text:p></draw:text-box></draw:frame>"
    "<presentation:notes><draw:frame><draw:text-box><text:p>Presenter notes secret</text:p>"
    "</draw:text-box></draw:frame></presentation:notes></draw:page>"
    '<draw:page draw:name="p2"><draw:frame><draw:text-box><text:p>Slide two</text:p>'
    "</draw:text-box></draw:frame></draw:page></office:presentation>"
)
STYLES = (
    f"{XML}<office:document-styles {NS}><office:master-styles>"
    '<style:master-page style:name="Standard"><style:header><text:p>Header CONFIDENTIAL</text:p>'
    "</style:header><style:footer><text:p>Footer words</text:p></style:footer>"
    "</style:master-page></office:master-styles></office:document-styles>"
)
META = (
    f"{XML}<office:document-meta {NS}><office:meta><dc:title>Falcon plan</dc:title>"
    "<meta:initial-creator>Olga Owner</meta:initial-creator><meta:keyword>merger</meta:keyword>"
    '<meta:user-defined meta:name="Classification">Secret</meta:user-defined>'
    "</office:meta></office:document-meta>"
)


def manifest(kind: str, encrypted: bool = False) -> str:
    encryption = (
        '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/>'
        if encrypted
        else ""
    )
    return (
        f"{XML}<manifest:manifest {MANIFEST_NS}>"
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{PREFIX}{kind}"/>'
        f'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        f"{encryption}</manifest:file-entry></manifest:manifest>"
    )


def make_odf(
    kind: str,
    body: str,
    mimetype_first: bool = True,
    mimetype: bool = True,
    extra: dict[str, str | bytes] | None = None,
    encrypted: bool = False,
) -> bytes:
    parts: dict[str, str | bytes] = {
        "content.xml": f"{XML}<office:document-content {NS}><office:body>{body}</office:body>"
        "</office:document-content>",
        "styles.xml": STYLES,
        "meta.xml": META,
        "META-INF/manifest.xml": manifest(kind, encrypted),
        "Pictures/image1.png": png_bytes(),
        "Object 1/content.xml": f"{XML}<office:document-content {NS}/>",
    }
    parts.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype and mimetype_first:
            archive.writestr("mimetype", PREFIX + kind, zipfile.ZIP_STORED)
        for name, data in parts.items():
            archive.writestr(name, data.encode() if isinstance(data, str) else data)
        if mimetype and not mimetype_first:
            archive.writestr("mimetype", PREFIX + kind)
    return buffer.getvalue()


ODT = make_odf("text", TEXT_BODY)
ODS = make_odf("spreadsheet", SHEET_BODY)
ODP = make_odf("presentation", SLIDES_BODY)


def extract(data: bytes, media_type: str) -> Extraction:
    item = Item(Lineage.root("x"), data, media_type)
    return OdfExtractor().extract(item, ExtractContext(Budget(Limits())))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (ODT, mediatypes.ODT),
        (ODS, mediatypes.ODS),
        (ODP, mediatypes.ODP),
        (make_odf("text-template", TEXT_BODY), mediatypes.ODT),
        (make_odf("spreadsheet", SHEET_BODY, mimetype_first=False), mediatypes.ODS),
        (make_odf("presentation", SLIDES_BODY, mimetype=False), mediatypes.ODP),
        (make_odf("chart", TEXT_BODY), None),
        (ODT[:100], mediatypes.ODT),  # the stored mimetype alone names the format
        (b"PK\x03\x04" + bytes(40), None),
        (b"", None),
    ],
    ids=[
        "odt", "ods", "odp", "template", "mimetype-not-first", "manifest-only", "other-odf",
        "head-only", "zeros", "empty",
    ],
)  # fmt: skip
def test_sniff(data: bytes, expected: str | None) -> None:
    assert OdfExtractor().sniff(data[:8192], data) == expected


def test_odf_beats_the_generic_zip_extractor() -> None:
    assert seen(scan("a.odt", ODT))["a.odt"].startswith("Quarterly review")


@pytest.mark.parametrize(
    ("name", "data", "lines"),
    [
        (
            "a.odt",
            ODT,
            [
                "Quarterly review",
                "First  para\ttabbed",
                "next line1",
                "Note body text",
                "List item one",
                "Code\t7731",
                "Reviewer Ray",
                "Annotation remark",
                "Annotated",
                "Header CONFIDENTIAL",
                "Footer words",
                "Title: Falcon plan",
                "Author: Olga Owner",
                "Keywords: merger",
                "Classification: Secret",
            ],
        ),
        (
            "b.ods",
            ODS,
            [
                "# Sheet: Visible",
                "Name\tAmount",
                "# Sheet: Hidden payroll",
                "CEO salary\t999000",
                "Header CONFIDENTIAL",
                "Footer words",
                "Title: Falcon plan",
                "Author: Olga Owner",
                "Keywords: merger",
                "Classification: Secret",
            ],
        ),
        (
            "c.odp",
            ODP,
            [
                "Slide one title",
                "Presenter notes secret",
                "Slide two",
                "Header CONFIDENTIAL",
                "Footer words",
                "Title: Falcon plan",
                "Author: Olga Owner",
                "Keywords: merger",
                "Classification: Secret",
            ],
        ),
    ],
    ids=["odt", "ods", "odp"],
)
def test_text_and_children(name: str, data: bytes, lines: list[str]) -> None:
    report = scan(name, data)
    texts = seen(report)
    assert texts[name].splitlines() == lines
    paths = {f.path for f in report.findings if f.detector == "seen"}
    assert f"{name}!Pictures/image1.png" in paths
    assert f"{name}!Object 1/content.xml" in paths
    assert f"{name}!META-INF/manifest.xml" in paths
    assert not {f"{name}!content.xml", f"{name}!meta.xml", f"{name}!mimetype"} & paths
    assert problems(report) == []


def test_metadata() -> None:
    metadata = extract(ODT, mediatypes.ODT).metadata
    assert metadata["title"] == "Falcon plan"
    assert metadata["author"] == "Olga Owner"
    assert metadata["property:Classification"] == "Secret"


def test_encrypted_document_is_reported_and_parts_still_scanned() -> None:
    data = make_odf("text", TEXT_BODY, encrypted=True)
    report = scan("s.odt", data)
    assert ("s.odt", "concealment", "encrypted") in problems(report)
    assert "s.odt" not in seen(report)  # no text read from an encrypted body
    assert "s.odt!Pictures/image1.png" in {f.path for f in report.findings}


def test_entity_bomb_in_content_is_refused() -> None:
    bomb = BILLION_LAUGHS.replace("w:document", "office:document-content")
    report = scan("b.odt", make_odf("text", TEXT_BODY, extra={"content.xml": bomb}))
    assert ("b.odt!content.xml", "limit", "xml-entities") in problems(report)
    assert "Header CONFIDENTIAL" in seen(report)["b.odt"]


def test_malformed_content_is_reported_and_scanned_raw() -> None:
    broken = "<office:document-content><text:p>Unclosed secret"
    report = scan("m.odt", make_odf("text", TEXT_BODY, extra={"content.xml": broken}))
    assert ("m.odt!content.xml", "error", "corrupt") in problems(report)
    assert "Unclosed secret" in seen(report)["m.odt!content.xml"]


def test_truncated_document_is_an_item_error() -> None:
    with pytest.raises(ItemError):
        open_item(OdfExtractor(), ODT[: len(ODT) - 30], mediatypes.ODT)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from([ODT, ODS, ODP]),
    st.lists(st.tuples(st.integers(0, 1 << 16), st.integers(0, 255)), max_size=8),
)
def test_mutated_documents_only_raise_item_errors(
    base: bytes, changes: list[tuple[int, int]]
) -> None:
    data = bytearray(base)
    for position, value in changes:
        data[position % len(data)] = value
    OdfExtractor().sniff(bytes(data[:8192]), bytes(data))
    expect_only_item_errors(OdfExtractor(), bytes(data), mediatypes.ODT)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=1024))
def test_arbitrary_bytes_only_raise_item_errors(data: bytes) -> None:
    assert OdfExtractor().sniff(data, data) in (None, *OdfExtractor.media_types)
    expect_only_item_errors(OdfExtractor(), b"PK\x03\x04" + data, mediatypes.ODS)
