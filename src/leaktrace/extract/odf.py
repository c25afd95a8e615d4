"""OpenDocument files: text (odt), spreadsheets (ods), presentations (odp), drawings (odg).

The text is the document body from ``content.xml`` (paragraphs, headings, lists, tables, notes,
annotations, tracked changes, slides and their speaker notes), the headers and footers of the
master pages in ``styles.xml``, and the properties in ``meta.xml`` (also returned as metadata).
Pictures, embedded objects and every other part are yielded as children. A password-protected
document (its manifest declares encryption) is reported, and its parts are still yielded: the
thumbnail of an encrypted document is stored in the clear.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from xml.etree.ElementTree import Element

from leaktrace.core import mediatypes
from leaktrace.core.item import Item
from leaktrace.core.plugin import ExtractContext, Extraction, Extractor
from leaktrace.detect.concealment import severity_of
from leaktrace.extract.xmltext import (
    PackageParts,
    TextRules,
    attribute,
    element_text,
    local_name,
    open_package,
)

ODG = "application/vnd.oasis.opendocument.graphics"
_PREFIX = "application/vnd.oasis.opendocument."
_KINDS = (
    ("text", mediatypes.ODT),
    ("spreadsheet", mediatypes.ODS),
    ("presentation", mediatypes.ODP),
    ("graphics", ODG),
)
MIMETYPE, CONTENT, STYLES, META, MANIFEST = (
    "mimetype", "content.xml", "styles.xml", "meta.xml", "META-INF/manifest.xml",
)  # fmt: skip
_ROOT_TYPE = re.compile(
    rb'full-path="/"[^>]{0,400}?media-type="([^"]{1,200})"'
    rb'|media-type="([^"]{1,200})"[^>]{0,400}?full-path="/"'
)
_SNIFF_MANIFEST_BYTES = 1 << 20

_BODY_RULES = TextRules(
    mixed=True,
    blocks=frozenset({"p", "h", "page", "creator", "date", "title", "desc"}),
    cells=frozenset({"table-cell", "covered-table-cell"}),
    rows=frozenset({"table-row"}),
    tabs=frozenset({"tab"}),
    breaks=frozenset({"line-break"}),
    spaces=frozenset({"s"}),
    # Base64 pictures are not text; declarations and styles hold none.
    skip=frozenset({"binary-data", "sequence-decls", "automatic-styles", "font-face-decls"}),
)
_SHEET_RULES = TextRules(
    mixed=_BODY_RULES.mixed,
    blocks=_BODY_RULES.blocks,
    cells=_BODY_RULES.cells,
    rows=_BODY_RULES.rows,
    tabs=_BODY_RULES.tabs,
    breaks=_BODY_RULES.breaks,
    spaces=_BODY_RULES.spaces,
    skip=_BODY_RULES.skip,
    headings={"table": ("name", "# Sheet: ")},
)
_META_LABELS = {
    "title": ("Title", "title"),
    "subject": ("Subject", "subject"),
    "description": ("Description", "description"),
    "initial-creator": ("Author", "author"),
    "creator": ("Last modified by", "last_modified_by"),
    "keyword": ("Keywords", "keywords"),
}
_MAX_METADATA_CHARS = 1000


class OdfExtractor(Extractor):
    name = "odf"
    media_types = frozenset({mediatypes.ODT, mediatypes.ODS, mediatypes.ODP, ODG})
    sniff_priority = 80  # before the generic zip extractor

    def sniff(self, head: bytes, data: bytes) -> str | None:
        if not head.startswith(b"PK\x03\x04"):
            return None
        first = _stored_mimetype(head)
        if first is not None:
            return _media_type(first)
        try:
            return _sniff_members(zipfile.ZipFile(io.BytesIO(data)))
        except Exception:  # sniffing must never raise
            return None

    def extract(self, item: Item, context: ExtractContext) -> Extraction:
        parts = PackageParts(open_package(item.data, "OpenDocument"), context)
        parts.consume(MIMETYPE)
        manifest = parts.xml(MANIFEST, consume=False)
        if manifest is not None and _encrypted(manifest):
            message = "OpenDocument is encrypted (manifest encryption data); text not inspected"
            context.notice("concealment", "encrypted", message, severity_of("encrypted"))
            return Extraction(text=None, children=parts.children())
        metadata: dict[str, str] = {}
        rules = _SHEET_RULES if item.media_type == mediatypes.ODS else _BODY_RULES
        sections = [
            _section_text(parts, CONTENT, "body", rules),
            _section_text(parts, STYLES, "master-styles", rules),
            *_meta_lines(parts, metadata),
        ]
        text = "\n".join(section for section in sections if section)
        return Extraction(text=text, children=parts.children(), metadata=metadata)


def _stored_mimetype(head: bytes) -> bytes | None:
    """The ``mimetype`` member's value when it is first and stored, as the format requires."""
    if len(head) < 30 or head[30:38] != b"mimetype":
        return None
    method, size, name_length, extra_length = (
        struct.unpack_from("<H", head, 8)[0],
        struct.unpack_from("<I", head, 18)[0],
        *struct.unpack_from("<HH", head, 26),
    )
    if method != 0 or name_length != 8 or size > 200:
        return None
    start = 30 + name_length + extra_length
    return head[start : start + size]


def _media_type(value: bytes) -> str | None:
    text = value.decode("ascii", "replace").strip().lower()
    if not text.startswith(_PREFIX):
        return None
    kind = text[len(_PREFIX) :]
    for word, media_type in _KINDS:
        if kind.startswith(word):
            return media_type
    return None


def _sniff_members(package: zipfile.ZipFile) -> str | None:
    names = set(package.namelist())
    if MIMETYPE in names and package.getinfo(MIMETYPE).file_size <= 200:
        with package.open(MIMETYPE) as stream:
            found = _media_type(stream.read(200))
        if found:
            return found
    if CONTENT not in names or MANIFEST not in names:
        return None
    info = package.getinfo(MANIFEST)
    if info.file_size > _SNIFF_MANIFEST_BYTES:
        return mediatypes.ODT
    with package.open(info) as stream:
        match = _ROOT_TYPE.search(stream.read(_SNIFF_MANIFEST_BYTES))
    declared = _media_type(match.group(1) or match.group(2)) if match else None
    return declared or mediatypes.ODT


def _encrypted(manifest: Element) -> bool:
    return any(local_name(e.tag) == "encryption-data" for e in manifest.iter())


def _section_text(parts: PackageParts, part: str, section: str, rules: TextRules) -> str:
    """The text under the first ``section`` element of ``part`` (the body, the master pages)."""
    parts.context.budget.check_time()
    root = parts.xml(part)
    if root is None:
        return ""
    found = next((e for e in root.iter() if local_name(e.tag) == section), None)
    return element_text(found, rules) if found is not None else ""


def _meta_lines(parts: PackageParts, metadata: dict[str, str]) -> list[str]:
    root = parts.xml(META)
    if root is None:
        return []
    lines = []
    keywords = []
    for element in root.iter():
        name = local_name(element.tag)
        value = (element.text or "").strip()
        if not value:
            continue
        if name == "user-defined":
            key = attribute(element, "name") or "unnamed"
            metadata[f"property:{key}"] = value[:_MAX_METADATA_CHARS]
            lines.append(f"{key}: {value}")
        elif name in _META_LABELS:
            label, key = _META_LABELS[name]
            lines.append(f"{label}: {value}")
            if name == "keyword":
                keywords.append(value)
            else:
                metadata.setdefault(key, value[:_MAX_METADATA_CHARS])
    if keywords:
        metadata["keywords"] = ", ".join(keywords)[:_MAX_METADATA_CHARS]
    if "author" not in metadata and "last_modified_by" in metadata:
        metadata["author"] = metadata["last_modified_by"]
    return lines
