"""OOXML extractor: docx, xlsx and pptx text, properties, embedded parts, and hostile packages."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError
from leaktrace.core.item import Item
from leaktrace.core.limits import Budget, Limits
from leaktrace.core.lineage import Lineage
from leaktrace.core.pipeline import FileReport, Scanner
from leaktrace.core.plugin import ExtractContext, Extraction
from leaktrace.core.policy import Policy
from leaktrace.core.registry import Registry
from leaktrace.extract.odf import OdfExtractor
from leaktrace.extract.ooxml import OoxmlExtractor
from leaktrace.extract.text import TextExtractor
from leaktrace.extract.zip import ZipExtractor
from tests.extract.test_zip import (
    SeenItems,
    expect_only_item_errors,
    open_item,
    patch_headers,
    problems,
    seen,
)

XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
OFFICE = "application/vnd.openxmlformats-officedocument"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 10, 10)).save(buffer, "PNG")
    return buffer.getvalue()


def content_types(overrides: dict[str, str]) -> str:
    entries = "".join(
        f'<Override PartName="/{name}" ContentType="{kind}"/>' for name, kind in overrides.items()
    )
    return (
        f'{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Default Extension="png" ContentType="image/png"/>{entries}</Types>'
    )


def relationships(targets: dict[str, tuple[str, str]]) -> str:
    entries = "".join(
        f'<Relationship Id="{rid}" Type="{RELS}/{kind}" Target="{target}"/>'
        for rid, (kind, target) in targets.items()
    )
    return (
        f'{XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships">{entries}</Relationships>'
    )


def package(parts: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data.encode() if isinstance(data, str) else data)
    return buffer.getvalue()


def properties() -> dict[str, str]:
    core = (
        f'{XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:title>Merger plan</dc:title><dc:creator>Alice Auditor</dc:creator>"
        "<cp:keywords>project falcon</cp:keywords></cp:coreProperties>"
    )
    custom = (
        f'{XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
        'name="MSIP_Label_1234_Name"><vt:lpwstr>Highly Confidential</vt:lpwstr></property>'
        "</Properties>"
    )
    return {"docProps/core.xml": core, "docProps/custom.xml": custom}


def property_types() -> dict[str, str]:
    return {
        "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "docProps/custom.xml": f"{OFFICE}.custom-properties+xml",
    }


def word_part(root: str, inner: str) -> str:
    return f'{XML}<w:{root} xmlns:w="{W}" xmlns:mc="{MC}">{inner}</w:{root}>'


def para(*runs: str) -> str:
    return "<w:p>" + "".join(runs) + "</w:p>"


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


DOCX_BODY = (
    "<w:body>"
    + para(
        '<w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>',
        run("Body paragraph one"),
        "<w:r><w:tab/></w:r>",
        run("after tab"),
        "<w:r><w:br/></w:r>",
        run("after break"),
    )
    + "<w:tbl><w:tr><w:tc>"
    + para(run("Name"))
    + "</w:tc><w:tc>"
    + para(run("Value"))
    + "</w:tc></w:tr><w:tr><w:tc>"
    + para(run("Launch code"))
    + "</w:tc><w:tc>"
    + para(run("4711"))
    + "</w:tc></w:tr></w:tbl>"
    + para(
        run("Kept "),
        '<w:ins w:id="1" w:author="Bob"><w:r><w:t>inserted words</w:t></w:r></w:ins>',
        '<w:del w:id="2" w:author="Bob"><w:r><w:delText>deleted secret</w:delText></w:r></w:del>',
    )
    + para(
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>'
        + para(run("Text box words"))
        + "</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>"
        + para(run("Text box words"))
        + "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    + "</w:body>"
)


def make_docx(
    body: str = DOCX_BODY, extra: dict[str, str | bytes] | None = None, types: bool = True
) -> bytes:
    main = f"{OFFICE}.wordprocessingml"
    overrides = {
        "word/document.xml": f"{main}.document.main+xml",
        "word/header1.xml": f"{main}.header+xml",
        "word/footer1.xml": f"{main}.footer+xml",
        "word/footnotes.xml": f"{main}.footnotes+xml",
        "word/comments.xml": f"{main}.comments+xml",
        **property_types(),
    }
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": content_types(overrides) if types else "<Types",
        "_rels/.rels": relationships({"rId1": ("officeDocument", "word/document.xml")}),
        "word/document.xml": word_part("document", body),
        "word/header1.xml": word_part("hdr", para(run("Header: CONFIDENTIAL"))),
        "word/footer1.xml": word_part("ftr", para(run("Footer page text"))),
        "word/footnotes.xml": word_part(
            "footnotes", '<w:footnote w:id="1">' + para(run("A footnote")) + "</w:footnote>"
        ),
        "word/comments.xml": word_part(
            "comments",
            '<w:comment w:id="0" w:author="Eve">' + para(run("Reviewer comment")) + "</w:comment>",
        ),
        "word/media/image1.png": png_bytes(),
        "word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0 not really an OLE file",
        **properties(),
    }
    parts.update(extra or {})
    return package(parts)


def make_xlsx() -> bytes:
    main = f"{OFFICE}.spreadsheetml"
    overrides = {
        "xl/workbook.xml": f"{main}.sheet.main+xml",
        "xl/worksheets/sheet1.xml": f"{main}.worksheet+xml",
        "xl/worksheets/sheet2.xml": f"{main}.worksheet+xml",
        "xl/sharedStrings.xml": f"{main}.sharedStrings+xml",
        "xl/comments1.xml": f"{main}.comments+xml",
        **property_types(),
    }
    workbook = (
        f'{XML}<workbook xmlns="{S}" xmlns:r="{R}"><sheets>'
        '<sheet name="Summary" sheetId="1" r:id="rId1"/>'
        '<sheet name="Payroll" sheetId="2" state="hidden" r:id="rId2"/></sheets></workbook>'
    )
    strings = (
        f'{XML}<sst xmlns="{S}" count="3" uniqueCount="3"><si><t>Name</t></si>'
        "<si><t>Amount</t></si><si><r><t>Ali</t></r><r><t>ce</t></r>"
        "<rPh><t>PHONETIC</t></rPh></si></sst>"
    )
    sheet1 = (
        f'{XML}<worksheet xmlns="{S}"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>42</v></c>'
        '<c r="C2" t="b"><v>1</v></c></row></sheetData></worksheet>'
    )
    sheet2 = (
        f'{XML}<worksheet xmlns="{S}"><sheetData><row r="1">'
        '<c r="A1" t="inlineStr"><is><t>Salary of the CEO</t></is></c>'
        '<c r="B1" t="str"><f>A1</f><v>999000</v></c></row></sheetData></worksheet>'
    )
    comments = (
        f'{XML}<comments xmlns="{S}"><authors><author>Carol</author></authors><commentList>'
        '<comment ref="A1" authorId="0"><text><r><t>Check this figure</t></r></text></comment>'
        "</commentList></comments>"
    )
    return package(
        {
            "[Content_Types].xml": content_types(overrides),
            "_rels/.rels": relationships({"rId1": ("officeDocument", "xl/workbook.xml")}),
            "xl/workbook.xml": workbook,
            "xl/_rels/workbook.xml.rels": relationships(
                {
                    "rId1": ("worksheet", "worksheets/sheet1.xml"),
                    "rId2": ("worksheet", "/xl/worksheets/sheet2.xml"),
                }
            ),
            "xl/sharedStrings.xml": strings,
            "xl/worksheets/sheet1.xml": sheet1,
            "xl/worksheets/sheet2.xml": sheet2,
            "xl/comments1.xml": comments,
            "xl/media/image1.png": png_bytes(),
            **properties(),
        }
    )


def slide(text: str) -> str:
    return (
        f'{XML}<p:sld xmlns:p="{P}" xmlns:a="{A}"><p:cSld><p:spTree><p:sp><p:txBody>'
        f"<a:p><a:r><a:t>{text}</a:t></a:r><a:br/><a:r><a:t>second line</a:t></a:r></a:p>"
        "</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
    )


def make_pptx() -> bytes:
    main = f"{OFFICE}.presentationml"
    overrides = {
        "ppt/presentation.xml": f"{main}.presentation.main+xml",
        "ppt/slides/slide1.xml": f"{main}.slide+xml",
        "ppt/slides/slide2.xml": f"{main}.slide+xml",
        "ppt/notesSlides/notesSlide1.xml": f"{main}.notesSlide+xml",
        "ppt/comments/comment1.xml": f"{main}.comments+xml",
        **property_types(),
    }
    presentation = (
        f'{XML}<p:presentation xmlns:p="{P}" xmlns:r="{R}"><p:sldIdLst>'
        '<p:sldId id="256" r:id="rId7"/><p:sldId id="257" r:id="rId3"/></p:sldIdLst>'
        "</p:presentation>"
    )
    notes = (
        f'{XML}<p:notes xmlns:p="{P}" xmlns:a="{A}"><p:cSld><p:spTree><p:sp><p:txBody>'
        "<a:p><a:r><a:t>Speaker notes: do not share</a:t></a:r></a:p>"
        "</p:txBody></p:sp></p:spTree></p:cSld></p:notes>"
    )
    comment = (
        f'{XML}<p:cmLst xmlns:p="{P}"><p:cm authorId="0"><p:text>Slide comment here</p:text>'
        "</p:cm></p:cmLst>"
    )
    return package(
        {
            "[Content_Types].xml": content_types(overrides),
            "_rels/.rels": relationships({"rId1": ("officeDocument", "ppt/presentation.xml")}),
            "ppt/presentation.xml": presentation,
            "ppt/_rels/presentation.xml.rels": relationships(
                {"rId3": ("slide", "slides/slide1.xml"), "rId7": ("slide", "slides/slide2.xml")}
            ),
            "ppt/slides/slide1.xml": slide("Second slide shown"),
            "ppt/slides/slide2.xml": slide("First slide shown"),
            "ppt/slides/_rels/slide2.xml.rels": relationships(
                {
                    "rId1": ("notesSlide", "../notesSlides/notesSlide1.xml"),
                    "rId2": ("comments", "../comments/comment1.xml"),
                }
            ),
            "ppt/notesSlides/notesSlide1.xml": notes,
            "ppt/comments/comment1.xml": comment,
            "ppt/media/image1.png": png_bytes(),
            **properties(),
        }
    )


def registry() -> Registry:
    extractors = [OoxmlExtractor(), OdfExtractor(), ZipExtractor(), TextExtractor()]
    return Registry(extractors, [SeenItems])


def scan(name: str, data: bytes, limits: Limits | None = None) -> FileReport:
    return Scanner(registry(), Policy(limits=limits or Limits())).scan_bytes(name, data)


def extract(data: bytes, media_type: str) -> Extraction:
    item = Item(Lineage.root("x"), data, media_type)
    return OoxmlExtractor().extract(item, ExtractContext(Budget(Limits())))


DOCX = make_docx()
XLSX = make_xlsx()
PPTX = make_pptx()


# -- identification --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (DOCX, mediatypes.DOCX),
        (XLSX, mediatypes.XLSX),
        (PPTX, mediatypes.PPTX),
        (package({"[Content_Types].xml": content_types({}), "a.txt": "x"}), None),
        (package({"word/document.xml": "<x/>"}), None),  # no content types: a plain zip
        (
            package(
                {
                    "[Content_Types].xml": content_types(
                        {"w/main.xml": f"{OFFICE}.wordprocessingml.document.main+xml"}
                    ),
                    "w/main.xml": "<x/>",
                }
            ),
            mediatypes.DOCX,
        ),
        (DOCX[:200], None),
        (b"", None),
    ],
    ids=["docx", "xlsx", "pptx", "types-only", "no-types", "main-elsewhere", "cut", "empty"],
)
def test_sniff(data: bytes, expected: str | None) -> None:
    assert OoxmlExtractor().sniff(data[:8192], data) == expected


def test_office_formats_beat_the_generic_zip_extractor() -> None:
    assert registry().identify(DOCX) == mediatypes.DOCX


# -- text and children -----------------------------------------------------------------------


def test_docx_text_holds_every_readable_part() -> None:
    report = scan("report.docx", DOCX)
    text = seen(report)["report.docx"]
    lines = text.splitlines()
    assert lines[:5] == [
        "Body paragraph one\tafter tab",
        "after break",
        "Name\tValue",
        "Launch code\t4711",
        "Kept inserted wordsdeleted secret",
    ]
    assert lines.count("Text box words") == 1  # mc:Fallback repeats mc:Choice
    for expected in (
        "Header: CONFIDENTIAL",
        "Footer page text",
        "A footnote",
        "Reviewer comment",
        "Title: Merger plan",
        "Author: Alice Auditor",
        "Keywords: project falcon",
        "MSIP_Label_1234_Name: Highly Confidential",
    ):
        assert expected in lines
    assert problems(report) == []


def test_docx_metadata() -> None:
    extraction = extract(DOCX, mediatypes.DOCX)
    assert extraction.metadata["title"] == "Merger plan"
    assert extraction.metadata["author"] == "Alice Auditor"
    assert extraction.metadata["property:MSIP_Label_1234_Name"] == "Highly Confidential"


@pytest.mark.parametrize(
    ("name", "data", "expected_children"),
    [
        (
            "report.docx",
            DOCX,
            {"report.docx!word/media/image1.png", "report.docx!word/embeddings/oleObject1.bin"},
        ),
        ("book.xlsx", XLSX, {"book.xlsx!xl/media/image1.png"}),
        ("deck.pptx", PPTX, {"deck.pptx!ppt/media/image1.png"}),
    ],
    ids=["docx", "xlsx", "pptx"],
)
def test_embedded_parts_are_children_with_lineage(
    name: str, data: bytes, expected_children: set[str]
) -> None:
    paths = {f.path for f in scan(name, data).findings if f.detector == "seen"}
    assert expected_children <= paths
    # Parts turned into text are not scanned a second time as raw XML.
    assert not any(p.endswith(("document.xml", "sheet1.xml", "slide1.xml")) for p in paths)
    # Structural parts are still scanned (relationships can name internal servers).
    assert f"{name}!_rels/.rels" in paths


def test_xlsx_sheets_in_workbook_order_with_hidden_sheet() -> None:
    report = scan("book.xlsx", XLSX)
    lines = seen(report)["book.xlsx"].splitlines()
    assert lines[:6] == [
        "# Sheet: Summary",
        "Name\tAmount",
        "Alice\t42\tTRUE",
        "# Sheet: Payroll",
        "Salary of the CEO\t999000",
        "Carol",
    ]
    assert "Check this figure" in lines
    assert "PHONETIC" not in seen(report)["book.xlsx"]


def test_xlsx_hidden_sheets_in_metadata() -> None:
    assert extract(XLSX, mediatypes.XLSX).metadata["hidden_sheets"] == "Payroll"


def test_pptx_slides_in_presentation_order_with_notes_and_comments() -> None:
    lines = seen(scan("deck.pptx", PPTX))["deck.pptx"].splitlines()
    assert lines[:5] == [
        "First slide shown",
        "second line",
        "Speaker notes: do not share",
        "Slide comment here",
        "Second slide shown",
    ]


def test_unreadable_content_types_fall_back_to_part_names() -> None:
    report = scan("report.docx", make_docx(types=False))
    # Sniffing still works on the part names; the text comes from the conventional parts.
    assert "Body paragraph one\tafter tab" in seen(report)["report.docx"]
    assert ("report.docx![Content_Types].xml", "error", "corrupt") in problems(report)


# -- hostile packages ------------------------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ).replace("&lol0;", "&lol;")
    + f']><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>'
    "</w:body></w:document>"
)


def test_entity_bomb_is_refused_not_expanded() -> None:
    data = make_docx(extra={"word/document.xml": BILLION_LAUGHS})
    report = scan("bomb.docx", data, Limits(max_seconds=20))
    assert ("bomb.docx!word/document.xml", "limit", "xml-entities") in problems(report)
    text = seen(report)
    assert "Header: CONFIDENTIAL" in text["bomb.docx"]  # the other parts are still read
    # The refused part is still scanned as raw bytes, entities unexpanded.
    assert "lollollol" not in text["bomb.docx!word/document.xml"]


def test_corrupt_zip_looking_docx_is_an_item_error() -> None:
    cut = DOCX[: len(DOCX) // 2]
    with pytest.raises(ItemError):
        open_item(OoxmlExtractor(), cut, mediatypes.DOCX)


def test_corrupt_member_is_reported_and_others_are_read() -> None:
    data = bytearray(DOCX)
    with zipfile.ZipFile(io.BytesIO(DOCX)) as archive:
        info = archive.getinfo("word/header1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 5 : start + 15] = b"\x00" * 10
    report = scan("r.docx", bytes(data))
    assert ("r.docx!word/header1.xml", "error", "corrupt") in problems(report)
    assert "Footer page text" in seen(report)["r.docx"]


def test_encrypted_member_is_reported() -> None:
    data = patch_headers(DOCX, "word/footer1.xml", flag_bits=0x1)
    report = scan("r.docx", data)
    assert ("r.docx!word/footer1.xml", "error", "encrypted") in problems(report)
    assert "Header: CONFIDENTIAL" in seen(report)["r.docx"]


def test_traversal_member_name_stays_a_name() -> None:
    data = make_docx(extra={"../../etc/evil.txt": "planted text"})
    report = scan("r.docx", data)
    assert seen(report)["r.docx!../../etc/evil.txt"] == "planted text"


def test_bomb_part_is_a_ratio_limit() -> None:
    data = make_docx(extra={"word/media/huge.bin": b"\x00" * (8 << 20)})
    report = scan("r.docx", data, Limits(max_ratio=50))
    assert ("r.docx", "limit", "ratio") in problems(report)


def test_empty_document() -> None:
    data = package(
        {
            "[Content_Types].xml": content_types(
                {"word/document.xml": f"{OFFICE}.wordprocessingml.document.main+xml"}
            ),
            "word/document.xml": word_part("document", "<w:body/>"),
        }
    )
    report = scan("e.docx", data)
    assert problems(report) == []
    assert "e.docx" not in seen(report)  # no text at all


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(DOCX) - 1), st.integers(0, 255)), max_size=8))
def test_mutated_docx_only_raises_item_errors(changes: list[tuple[int, int]]) -> None:
    data = bytearray(DOCX)
    for position, value in changes:
        data[position] = value
    OoxmlExtractor().sniff(bytes(data[:8192]), bytes(data))
    expect_only_item_errors(OoxmlExtractor(), bytes(data), mediatypes.DOCX)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from([XLSX, PPTX]),
    st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 255)), max_size=6),
)
def test_mutated_xlsx_pptx_only_raise_item_errors(
    base: bytes, changes: list[tuple[int, int]]
) -> None:
    data = bytearray(base)
    for position, value in changes:
        data[position % len(data)] = value
    for media_type in (mediatypes.XLSX, mediatypes.PPTX):
        expect_only_item_errors(OoxmlExtractor(), bytes(data), media_type)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=1024))
def test_arbitrary_bytes_only_raise_item_errors(data: bytes) -> None:
    assert OoxmlExtractor().sniff(data, data) in (None, *OoxmlExtractor.media_types)
    expect_only_item_errors(OoxmlExtractor(), b"PK\x03\x04" + data, mediatypes.DOCX)
