"""Markings printed on the page and sensitivity labels kept in a document's properties."""

from __future__ import annotations

import io
import zipfile

from leaktrace.core.item import Item
from leaktrace.core.lineage import Lineage
from leaktrace.core.pipeline import Scanner
from leaktrace.core.policy import Policy
from leaktrace.core.registry import Registry
from leaktrace.detect.marking import MarkingDetector

LABEL_ID = "3f1a2b4c-0000-4d5e-8f90-123456789abc"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


def labelled_docx(properties: dict[str, str], body: str = "Quarterly figures") -> bytes:
    """A minimal Word package with custom properties, the way Office stores labels."""
    props = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{n + 2}" name="{name}">'
        f"<vt:lpwstr>{value}</vt:lpwstr></property>"
        for n, (name, value) in enumerate(properties.items())
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/>'
            '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.custom-properties+xml"/></Types>'
        ),
        "word/document.xml": (
            f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>{body}</w:t></w:r></w:p>'
            "</w:body></w:document>"
        ),
        "docProps/custom.xml": (
            f'<Properties xmlns="{CUSTOM_NS}" xmlns:vt="{VT}">{props}</Properties>'
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, text in parts.items():
            package.writestr(name, text)
    return buffer.getvalue()


def scan(data: bytes, name: str = "report.docx") -> list[tuple[str, str | None]]:
    scanner = Scanner(Registry.from_entry_points(), Policy(detectors={"document": False}))
    report = scanner.scan_bytes(name, data)
    return [(f.rule, f.evidence) for f in report.findings if f.detector == "marking"]


def item(text: str, metadata: dict[str, str]) -> Item:
    return Item(Lineage.root("x.pdf"), b"", "application/pdf", text, metadata)


def test_purview_label_in_custom_properties_is_found() -> None:
    data = labelled_docx(
        {
            f"MSIP_Label_{LABEL_ID}_Enabled": "true",
            f"MSIP_Label_{LABEL_ID}_Name": "Highly Confidential - Finance",
            f"MSIP_Label_{LABEL_ID}_Method": "Privileged",
        }
    )
    assert ("sensitivity-label", "Highly Confidential - Finance") in scan(data)


def test_unrestricted_labels_are_not_findings() -> None:
    data = labelled_docx({f"MSIP_Label_{LABEL_ID}_Name": "General", "Classification": "Public"})
    assert [rule for rule, _ in scan(data) if rule == "sensitivity-label"] == []


def test_pdf_classification_property_is_found_once() -> None:
    detector = MarkingDetector()
    metadata = {"property:Classification": "Restricted", "property:Sensitivity": "restricted"}
    findings = list(detector.detect(item("Classification: Restricted", metadata)))
    assert [(f.rule, f.details["property"]) for f in findings] == [
        ("sensitivity-label", "Classification")
    ]


def test_ordinary_properties_are_not_labels() -> None:
    metadata = {"property:Project": "Confidential merger", "title": "Classification: Secret"}
    findings = list(MarkingDetector().detect(item("", metadata)))
    assert findings == []


def test_banner_in_the_document_body_is_found() -> None:
    data = labelled_docx({}, body="SECRET//NOFORN")
    assert ("classification", "SECRET//NOFORN") in scan(data)
