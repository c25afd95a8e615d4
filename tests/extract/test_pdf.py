"""PDF extractor: page text, properties, XMP, attachments, encryption and damaged files."""

from __future__ import annotations

import io

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError
from leaktrace.core.item import Item
from leaktrace.core.limits import Budget, Limits
from leaktrace.core.lineage import Lineage
from leaktrace.core.pipeline import FileReport, Scanner
from leaktrace.core.plugin import ExtractContext, Extraction
from leaktrace.core.policy import Policy
from leaktrace.core.registry import Registry
from leaktrace.demo.builders import pdf_bytes
from leaktrace.extract.pdf import PdfExtractor
from leaktrace.extract.text import TextExtractor
from tests.conftest import ScanBytes
from tests.extract.test_ooxml import BILLION_LAUGHS
from tests.extract.test_zip import SeenItems, expect_only_item_errors, open_item, problems, seen


class PdfBuilder:
    """Writes a small valid PDF by hand: numbered objects, an xref table and a trailer."""

    def __init__(self) -> None:
        self.objects: list[bytes] = []

    def reserve(self) -> int:
        self.objects.append(b"null")
        return len(self.objects)

    def add(self, body: str | bytes) -> int:
        number = self.reserve()
        self.set(number, body)
        return number

    def set(self, number: int, body: str | bytes) -> None:
        self.objects[number - 1] = body.encode("latin-1") if isinstance(body, str) else body

    def stream(self, data: bytes, entries: str = "") -> int:
        head = f"<< /Length {len(data)} {entries} >>\nstream\n".encode()
        return self.add(head + data + b"\nendstream")

    def build(self, root: int, info: int | None = None) -> bytes:
        out = io.BytesIO()
        out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self.objects, 1):
            offsets.append(out.tell())
            out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
        xref = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objects) + 1))
        for offset in offsets:
            out.write(b"%010d 00000 n \n" % offset)
        info_entry = f" /Info {info} 0 R" if info else ""
        trailer = f"<< /Size {len(self.objects) + 1} /Root {root} 0 R{info_entry} >>"
        out.write(b"trailer\n" + trailer.encode() + b"\nstartxref\n%d\n%%%%EOF\n" % xref)
        return out.getvalue()


def make_pdf(
    pages: list[str],
    info: dict[str, str] | None = None,
    xmp: bytes | None = None,
    annotation_file: tuple[str, bytes] | None = None,
    page_filters: dict[int, str] | None = None,
) -> bytes:
    pdf = PdfBuilder()
    catalog = pdf.reserve()
    tree = pdf.reserve()
    font = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    annots = ""
    if annotation_file is not None:
        name, data = annotation_file
        embedded = pdf.stream(data, "/Type /EmbeddedFile")
        spec = pdf.add(f"<< /Type /Filespec /F ({name}) /EF << /F {embedded} 0 R >> >>")
        note = pdf.add(
            f"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] /FS {spec} 0 R >>"
        )
        annots = f"/Annots [{note} 0 R]"
    kids = []
    for index, text in enumerate(pages):
        content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
        contents = pdf.stream(content, (page_filters or {}).get(index, ""))
        kids.append(
            pdf.add(
                f"<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 612 792] "
                f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {contents} 0 R "
                f"{annots if index == 0 else ''} >>"
            )
        )
    refs = " ".join(f"{kid} 0 R" for kid in kids)
    pdf.set(tree, f"<< /Type /Pages /Kids [{refs}] /Count {len(kids)} >>")
    metadata = f"/Metadata {pdf.stream(xmp, '/Type /Metadata /Subtype /XML')} 0 R" if xmp else ""
    pdf.set(catalog, f"<< /Type /Catalog /Pages {tree} 0 R {metadata} >>")
    info_object = None
    if info:
        info_object = pdf.add("<< " + " ".join(f"/{k} ({v})" for k, v in info.items()) + " >>")
    return pdf.build(catalog, info_object)


def rewrite(data: bytes, attachment: tuple[str, bytes] | None = None, **encrypt: str) -> bytes:
    """Pass a PDF through pypdf's writer to attach a file and/or encrypt it."""
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(data))
    if attachment is not None:
        writer.add_attachment(*attachment)
    if encrypt:
        writer.encrypt(**encrypt)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/" pdfx:Classification="TOP SECRET">'
    b"<dc:title><rdf:Alt><rdf:li>XMP title words</rdf:li></rdf:Alt></dc:title>"
    b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)
DOC = make_pdf(["Hello page one", "Second page secret"], {"Title": "Plan", "Author": "Ann"})


def registry() -> Registry:
    return Registry([PdfExtractor(), TextExtractor()], [SeenItems])


def scan(name: str, data: bytes) -> FileReport:
    return Scanner(registry(), Policy(limits=Limits(max_seconds=30))).scan_bytes(name, data)


def extract(data: bytes) -> tuple[Extraction, ExtractContext]:
    context = ExtractContext(Budget(Limits()))
    return PdfExtractor().extract(
        Item(Lineage.root("d.pdf"), data, mediatypes.PDF), context
    ), context


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (DOC, mediatypes.PDF),
        (b"junk before the header\n" + DOC, mediatypes.PDF),
        (b" " * 1100 + DOC, None),  # the header must be within the first KiB
        (b"%PDX-1.4", None),
        (b"", None),
    ],
    ids=["pdf", "prefix", "late-header", "near-miss", "empty"],
)
def test_sniff(data: bytes, expected: str | None) -> None:
    assert PdfExtractor().sniff(data[:8192], data) == expected


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (DOC, "Hello page one\n\nSecond page secret\n\nTitle: Plan\nAuthor: Ann"),
        (make_pdf(["Only page"]), "Only page"),
        (
            make_pdf(["Body"], {"Classification": "Restricted"}),
            "Body\n\nClassification: Restricted",
        ),
        (make_pdf(["Body"], xmp=XMP), "Body\n\nXMP title words\nTOP SECRET"),
        (rewrite(DOC, user_password="", owner_password="owner", algorithm="AES-256"), None),
    ],
    ids=["two-pages-and-info", "one-page", "custom-info", "xmp", "empty-user-password"],
)
def test_text(data: bytes, text: str | None) -> None:
    extraction, context = extract(data)
    expected = text or "Hello page one\n\nSecond page secret\n\nTitle: Plan\nAuthor: Ann"
    assert extraction.text == expected
    assert context.drain() == []


def test_metadata() -> None:
    extraction, _ = extract(make_pdf(["x"], {"Title": "Plan", "Author": "Ann", "Dept": "R&D"}))
    assert extraction.metadata == {"title": "Plan", "author": "Ann", "property:Dept": "R&D"}


def test_attachment_is_a_child_with_lineage() -> None:
    data = rewrite(DOC, attachment=("secret.txt", b"attached secret words"))
    report = scan("doc.pdf", data)
    assert seen(report)["doc.pdf!secret.txt"] == "attached secret words"
    assert problems(report) == []


def test_file_annotation_attachment_is_a_child() -> None:
    data = make_pdf(["Page"], annotation_file=("note.txt", b"annotated file body"))
    assert seen(scan("doc.pdf", data))["doc.pdf!note.txt"] == "annotated file body"


def test_password_protected_pdf_is_reported_not_read() -> None:
    data = rewrite(DOC, user_password="pw", owner_password="owner", algorithm="AES-128")
    report = scan("doc.pdf", data)
    assert problems(report) == [("doc.pdf", "concealment", "encrypted")]
    [finding] = [f for f in report.findings if f.detector == "concealment"]
    assert finding.message == "PDF is encrypted with a user password; not inspected"
    assert "doc.pdf" not in seen(report)


@pytest.mark.parametrize("cut", [20, 300, len(DOC) // 2, len(DOC) - 40])
def test_truncated_pdf_is_an_error_finding(cut: int) -> None:
    report = scan("doc.pdf", DOC[:cut])
    assert [(path, detector) for path, detector, _ in problems(report)] == [("doc.pdf", "error")]


def test_broken_page_is_reported_and_the_others_read() -> None:
    data = make_pdf(["Page one", "Page two", "Page three"], page_filters={1: "/Filter /Bogus"})
    extraction, context = extract(data)
    assert extraction.text == "Page one\n\nPage three"
    assert [(n.detector, n.rule) for n in context.drain()] == [("error", "corrupt")]


def test_entity_bomb_in_xmp_is_refused() -> None:
    extraction, context = extract(make_pdf(["Body"], xmp=BILLION_LAUGHS.encode()))
    assert extraction.text == "Body"
    assert [(n.detector, n.rule) for n in context.drain()] == [("limit", "xml-entities")]


def test_attachment_over_the_size_limit_is_a_limit_finding() -> None:
    data = rewrite(DOC, attachment=("big.bin", b"A" * 5000))
    context = ExtractContext(Budget(Limits(max_item_bytes=1000)))
    extraction = PdfExtractor().extract(Item(Lineage.root("d"), data, mediatypes.PDF), context)
    with pytest.raises(ItemError, match="expands past"):
        list(extraction.children)


def test_garbage_after_header_is_an_item_error() -> None:
    with pytest.raises(ItemError, match="corrupt PDF"):
        open_item(PdfExtractor(), b"%PDF-1.7\n" + b"\x00garbage" * 50, mediatypes.PDF)


FUZZ_BASE = rewrite(DOC, attachment=("a.txt", b"attached"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(FUZZ_BASE) - 1), st.integers(0, 255)), max_size=8))
def test_mutated_pdf_only_raises_item_errors(changes: list[tuple[int, int]]) -> None:
    data = bytearray(FUZZ_BASE)
    for position, value in changes:
        data[position] = value
    expect_only_item_errors(PdfExtractor(), bytes(data), mediatypes.PDF)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=1024))
def test_arbitrary_bytes_only_raise_item_errors(data: bytes) -> None:
    PdfExtractor().sniff(data, data)
    expect_only_item_errors(PdfExtractor(), b"%PDF-1.4\n" + data, mediatypes.PDF)


def _revised(first: str, second: str) -> bytes:
    """A PDF saying ``first``, then an incremental update that replaces its page's content
    stream (object 5) so that it says ``second``."""
    original = pdf_bytes(first)
    stream = ("BT /F1 10 Tf 50 780 Td (" + second + ") Tj ET").encode("latin-1")
    previous = int(original.rsplit(b"startxref", 1)[1].split()[0])
    body = b"5 0 obj\n<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream\nendobj\n"
    offset = len(original)
    update = body + b"xref\n0 1\n0000000000 65535 f \n5 1\n%010d 00000 n \n" % offset
    update += b"trailer\n<< /Size 6 /Root 1 0 R /Prev %d >>\n" % previous
    update += b"startxref\n%d\n%%%%EOF\n" % (offset + len(body))
    return original + update


def test_text_removed_by_an_incremental_update_is_still_scanned(scan_bytes: ScanBytes) -> None:
    data = _revised("Draft: we will close the Leeds plant. CONFIDENTIAL", "Quarterly update.")
    report = scan_bytes("minutes.pdf", data)
    marks = [f for f in report.findings if f.detector == "marking"]
    assert [f.path for f in marks] == ["minutes.pdf!<revision 1 of 2: text removed later>"]


def test_an_unchanged_revision_adds_nothing(scan_bytes: ScanBytes) -> None:
    from leaktrace.demo.carriers import pdf_update

    data = pdf_update(pdf_bytes("Quarterly update. CONFIDENTIAL"), b"appended, unreferenced")
    report = scan_bytes("minutes.pdf", data)
    assert [f.path for f in report.findings if f.detector == "marking"] == ["minutes.pdf"]
