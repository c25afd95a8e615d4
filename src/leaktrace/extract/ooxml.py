"""Office Open XML documents: Word (docx), Excel (xlsx) and PowerPoint (pptx).

The text is everything a reader could see or that could carry a leak: body, tables, headers,
footers, notes, comments, text boxes, tracked insertions and deletions, every worksheet
(hidden ones too) and every slide with its notes, plus the document properties (title, author,
custom properties such as sensitivity labels). Parts are found through ``[Content_Types].xml``
(with the conventional part names as a fallback). Every part not turned into text (pictures,
embedded objects, styles, relationships, macros, ...) is yielded as a child, so nothing inside
the package goes unscanned.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from leaktrace.core import mediatypes
from leaktrace.core.item import Item
from leaktrace.core.plugin import ExtractContext, Extraction, Extractor
from leaktrace.extract.xmltext import (
    PackageParts,
    TextRules,
    element_text,
    leaf_texts,
    local_name,
    open_package,
    resolve_target,
    tidy,
)

CONTENT_TYPES = "[Content_Types].xml"
_MAIN_PARTS = {
    "word/document.xml": mediatypes.DOCX,
    "xl/workbook.xml": mediatypes.XLSX,
    "ppt/presentation.xml": mediatypes.PPTX,
}
_MAIN_TYPE = re.compile(rb'ContentType="([^"]{1,200}\.main\+xml)"', re.IGNORECASE)
_SNIFF_TYPES_BYTES = 1 << 20

# Roles of parts, decided from their content type (lower-cased suffixes).
MAIN, WORD, SHEET, STRINGS, DRAWING, CORE, APP, CUSTOM = (
    "main", "word", "sheet", "strings", "drawing", "core", "app", "custom",
)  # fmt: skip
_ROLE_SUFFIXES: tuple[tuple[str, str], ...] = (
    (".main+xml", MAIN),
    ("wordprocessingml.header+xml", WORD),
    ("wordprocessingml.footer+xml", WORD),
    ("wordprocessingml.footnotes+xml", WORD),
    ("wordprocessingml.endnotes+xml", WORD),
    ("wordprocessingml.comments+xml", WORD),
    ("wordprocessingml.document.glossary+xml", WORD),
    ("spreadsheetml.worksheet+xml", SHEET),
    ("spreadsheetml.sharedstrings+xml", STRINGS),
    ("spreadsheetml.comments+xml", DRAWING),
    ("ms-excel.threadedcomments+xml", DRAWING),
    ("presentationml.slide+xml", DRAWING),
    ("presentationml.notesslide+xml", DRAWING),
    ("presentationml.comments+xml", DRAWING),
    ("ms-powerpoint.comments+xml", DRAWING),
    ("officedocument.drawing+xml", DRAWING),
    ("drawingml.chart+xml", DRAWING),
    ("drawingml.diagramdata+xml", DRAWING),
    ("package.core-properties+xml", CORE),
    ("officedocument.extended-properties+xml", APP),
    ("officedocument.custom-properties+xml", CUSTOM),
)
# Conventional part names, for packages whose content types are missing or unreadable.
_ROLE_NAMES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), role)
    for pattern, role in (
        (r"(word/document|xl/workbook|ppt/presentation)\.xml", MAIN),
        (r"word/(header|footer)\d*\.xml|word/(footnotes|endnotes|comments)\.xml", WORD),
        (r"xl/worksheets/[^/]+\.xml", SHEET),
        (r"xl/sharedStrings\.xml", STRINGS),
        (r"ppt/(slides|notesSlides|comments)/[^/]+\.xml|xl/comments\d*\.xml", DRAWING),
        (r"docProps/core\.xml", CORE),
        (r"docProps/app\.xml", APP),
        (r"docProps/custom\.xml", CUSTOM),
    )
)

RULES = TextRules(
    text=frozenset({"t", "delText", "text", "author", "v"}),
    blocks=frozenset({"p", "comment", "cm", "threadedComment", "si", "pt", "author"}),
    cells=frozenset({"tc"}),
    rows=frozenset({"tr"}),
    tabs=frozenset({"tab", "ptab"}),
    breaks=frozenset({"br", "cr"}),
    # Paragraph properties hold tab stops (w:tabs/w:tab); mc:Fallback repeats mc:Choice.
    skip=frozenset({"pPr", "rPr", "Fallback", "instrText", "delInstrText", "rPh", "sectPr"}),
)
_CORE_LABELS = {
    "title": ("Title", "title"),
    "subject": ("Subject", "subject"),
    "creator": ("Author", "author"),
    "keywords": ("Keywords", "keywords"),
    "description": ("Description", "description"),
    "lastModifiedBy": ("Last modified by", "last_modified_by"),
    "category": ("Category", "category"),
    "contentStatus": ("Status", "content_status"),
    "identifier": ("Identifier", "identifier"),
}
_APP_LABELS = {"Company": ("Company", "company"), "Manager": ("Manager", "manager")}
_MAX_METADATA_CHARS = 1000
_ROWS_PER_TIME_CHECK = 1000


class OoxmlExtractor(Extractor):
    name = "ooxml"
    media_types = frozenset({mediatypes.DOCX, mediatypes.XLSX, mediatypes.PPTX})
    sniff_priority = 80  # before the generic zip extractor

    def sniff(self, head: bytes, data: bytes) -> str | None:
        if not head.startswith(b"PK\x03\x04"):
            return None
        try:
            package = zipfile.ZipFile(io.BytesIO(data))
            names = set(package.namelist())
            if CONTENT_TYPES not in names:
                return None
            for part, media_type in _MAIN_PARTS.items():
                if part in names:
                    return media_type
            return _kind_from_content_types(package)
        except Exception:  # sniffing must never raise
            return None

    def extract(self, item: Item, context: ExtractContext) -> Extraction:
        parts = PackageParts(open_package(item.data, "OOXML"), context)
        package = _Package(parts, _content_types(parts))
        kind = item.media_type if item.media_type in self.media_types else package.kind()
        readers: dict[str, Callable[[_Package], list[str]]] = {
            mediatypes.DOCX: _word_text,
            mediatypes.XLSX: _workbook_text,
            mediatypes.PPTX: _presentation_text,
        }
        sections = readers.get(kind, _word_text)(package)
        sections += _leftover_text(package)
        sections += _properties_text(package)
        text = "\n".join(section for section in sections if section)
        return Extraction(text=text, children=parts.children(), metadata=package.metadata)


@dataclass
class _Package:
    """An opened OOXML package: its parts, their roles, what has been read, the metadata."""

    parts: PackageParts
    types: dict[str, str]
    handled: set[str] = field(default_factory=set)
    metadata: dict[str, str] = field(default_factory=dict)

    roles: dict[str, str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.roles = {name: self._role(name) for name in self.parts.by_name}

    def _role(self, name: str) -> str | None:
        content_type = self.types.get(name, "")
        for suffix, role in _ROLE_SUFFIXES:
            if content_type.endswith(suffix):
                return role
        if not content_type or content_type in ("application/xml", "text/xml"):
            for pattern, role in _ROLE_NAMES:
                if pattern.fullmatch(name):
                    return role
        return None

    def parts_with(self, role: str) -> list[str]:
        return sorted((name for name, kind in self.roles.items() if kind == role), key=_natural)

    def main(self) -> str | None:
        mains = self.parts_with(MAIN)
        return mains[0] if mains else None

    def kind(self) -> str:
        main = self.main() or ""
        content_type = self.types.get(main, "")
        for media_type, words in (
            (mediatypes.XLSX, ("spreadsheetml", "ms-excel", "xl/")),
            (mediatypes.PPTX, ("presentationml", "ms-powerpoint", "ppt/")),
        ):
            if any(word in content_type or main.startswith(word) for word in words):
                return media_type
        return mediatypes.DOCX

    def read(self, name: str) -> Element | None:
        """Parse a part that becomes text (once)."""
        if name in self.handled:
            return None
        self.handled.add(name)
        self.parts.context.budget.check_time()
        return self.parts.xml(name)

    def text(self, name: str) -> str:
        root = self.read(name)
        return element_text(root, RULES) if root is not None else ""

    def relationships(self, source: str) -> list[tuple[str, str, str]]:
        """``(id, type, target part)`` of the internal relationships of part ``source``."""
        folder, _, base = source.rpartition("/")
        rels_name = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
        root = self.parts.xml(rels_name, consume=False)
        if root is None:
            return []
        found = []
        for rel in root:
            target = rel.get("Target")
            if local_name(rel.tag) != "Relationship" or not target:
                continue
            if (rel.get("TargetMode") or "").lower() == "external":
                continue
            found.append((rel.get("Id", ""), rel.get("Type", ""), resolve_target(source, target)))
        return found

    def related(self, source: str, type_suffix: str) -> list[str]:
        return [t for _, kind, t in self.relationships(source) if kind.endswith(type_suffix)]


def _relationship_id(element: Element) -> str:
    """The ``r:id`` attribute (a slide id also has a plain ``id``)."""
    for key, value in element.attrib.items():
        if key.startswith("{") and local_name(key) == "id":
            return value
    return ""


def _natural(name: str) -> tuple[object, ...]:
    """``slide2`` before ``slide10``."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name))


def _kind_from_content_types(package: zipfile.ZipFile) -> str | None:
    info = package.getinfo(CONTENT_TYPES)
    if info.file_size > _SNIFF_TYPES_BYTES:
        return None
    with package.open(info) as stream:
        match = _MAIN_TYPE.search(stream.read(_SNIFF_TYPES_BYTES))
    if match is None:
        return None
    content_type = match.group(1).lower()
    if b"spreadsheetml" in content_type or b"ms-excel" in content_type:
        return mediatypes.XLSX
    if b"presentationml" in content_type or b"ms-powerpoint" in content_type:
        return mediatypes.PPTX
    return mediatypes.DOCX


def _content_types(parts: PackageParts) -> dict[str, str]:
    """Part name → content type, from the overrides and the per-extension defaults."""
    root = parts.xml(CONTENT_TYPES, consume=False)
    if root is None:
        return {}
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for entry in root:
        content_type = (entry.get("ContentType") or "").lower()
        if local_name(entry.tag) == "Default":
            defaults[(entry.get("Extension") or "").lower()] = content_type
        elif local_name(entry.tag) == "Override":
            overrides[(entry.get("PartName") or "").lstrip("/")] = content_type
    types = {}
    for name in parts.by_name:
        extension = name.rpartition(".")[2].lower()
        types[name] = overrides.get(name) or defaults.get(extension, "")
    return types


# -- Word -------------------------------------------------------------------------------------

_WORD_ORDER = ("header", "footer", "footnotes", "endnotes", "comments")


def _word_text(package: _Package) -> list[str]:
    main = package.main()
    sections = [package.text(main)] if main else []
    words = package.parts_with(WORD)
    order = {name: _word_rank(name, package.types.get(name, "")) for name in words}
    sections += [
        package.text(name) for name in sorted(words, key=lambda n: (order[n], _natural(n)))
    ]
    return sections


def _word_rank(name: str, content_type: str) -> int:
    for rank, word in enumerate(_WORD_ORDER):
        if word in content_type or word in name.rpartition("/")[2]:
            return rank
    return len(_WORD_ORDER)


# -- Excel ------------------------------------------------------------------------------------


def _workbook_text(package: _Package) -> list[str]:
    strings = _shared_strings(package)
    sections: list[str] = []
    hidden: list[str] = []
    main = package.main()
    for sheet_name, state, part in _listed_sheets(package, main) if main else []:
        if state in ("hidden", "veryHidden"):
            hidden.append(sheet_name)
        sections.append(_sheet_text(package, part, sheet_name, strings))
    for part in package.parts_with(SHEET):
        if part not in package.handled:
            sections.append(_sheet_text(package, part, part, strings))
    if hidden:
        package.metadata["hidden_sheets"] = _clip(", ".join(hidden))
    return sections


def _listed_sheets(package: _Package, main: str) -> list[tuple[str, str, str]]:
    """``(sheet name, visibility, part)`` in workbook order."""
    root = package.read(main)
    if root is None:
        return []
    targets = {rid: target for rid, _, target in package.relationships(main)}
    sheets = []
    for element in root.iter():
        if local_name(element.tag) != "sheet":
            continue
        part = targets.get(_relationship_id(element))
        if part:
            sheets.append((element.get("name", ""), element.get("state", "visible"), part))
    return sheets


def _shared_strings(package: _Package) -> list[str]:
    strings: list[str] = []
    for part in package.parts_with(STRINGS):
        root = package.read(part)
        if root is None:
            continue
        rules = TextRules(text=frozenset({"t"}), skip=frozenset({"rPh", "rPr"}))
        strings += [
            element_text(si, rules).replace("\n", " ") for si in root if local_name(si.tag) == "si"
        ]
    return strings


def _sheet_text(package: _Package, part: str, sheet_name: str, strings: list[str]) -> str:
    root = package.read(part)
    lines = [f"# Sheet: {sheet_name}"]
    if root is None:
        return lines[0]
    for count, row in enumerate(e for e in root.iter() if local_name(e.tag) == "row"):
        if count % _ROWS_PER_TIME_CHECK == 0:
            package.parts.context.budget.check_time()
        cells = [_cell_value(c, strings) for c in row if local_name(c.tag) == "c"]
        line = "\t".join(cells).rstrip()
        if line.strip():
            lines.append(line)
    return "\n".join(lines)


def _cell_value(cell: Element, strings: list[str]) -> str:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return " ".join(t.text for t in cell.iter() if local_name(t.tag) == "t" and t.text).replace(
            "\n", " "
        )
    value = next((c.text or "" for c in cell if local_name(c.tag) == "v"), "")
    if kind == "s":
        try:
            return strings[int(value)]
        except (ValueError, IndexError):
            return ""
    if kind == "b":
        return {"1": "TRUE", "0": "FALSE"}.get(value.strip(), value)
    return value.replace("\n", " ")


# -- PowerPoint -------------------------------------------------------------------------------


def _presentation_text(package: _Package) -> list[str]:
    main = package.main()
    sections: list[str] = []
    if main is None:
        return sections
    root = package.read(main)
    targets = {rid: target for rid, _, target in package.relationships(main)}
    listed = (
        [_relationship_id(e) for e in root.iter() if local_name(e.tag) == "sldId"]
        if root is not None
        else []
    )
    for slide in [targets[rid] for rid in listed if rid in targets]:
        sections.append(package.text(slide))
        for related in package.related(slide, "/notesSlide") + package.related(slide, "comments"):
            sections.append(package.text(related))
    return sections


# -- the rest ---------------------------------------------------------------------------------


def _leftover_text(package: _Package) -> list[str]:
    """Text parts no reading order reached: unlisted slides, charts, comments, diagrams."""
    names = package.parts_with(WORD) + package.parts_with(DRAWING)
    return [
        package.text(name) for name in sorted(names, key=_natural) if name not in package.handled
    ]


def _properties_text(package: _Package) -> list[str]:
    lines: list[str] = []
    for part in package.parts_with(CORE):
        lines += _labelled(package, package.read(part), _CORE_LABELS)
    for part in package.parts_with(APP):
        lines += _labelled(package, package.read(part), _APP_LABELS)
    for part in package.parts_with(CUSTOM):
        lines += _custom_properties(package, package.read(part))
    return lines


def _labelled(
    package: _Package, root: Element | None, labels: dict[str, tuple[str, str]]
) -> list[str]:
    if root is None:
        return []
    lines = []
    for name, value in leaf_texts(root):
        if name in labels:
            label, key = labels[name]
            lines.append(f"{label}: {value}")
            package.metadata.setdefault(key, _clip(value))
    return lines


def _custom_properties(package: _Package, root: Element | None) -> Iterator[str]:
    if root is None:
        return
    for prop in root:
        name = prop.get("name")
        if local_name(prop.tag) != "property" or not name:
            continue
        value = tidy(" ".join(text for _, text in leaf_texts(prop)))
        package.metadata[f"property:{name}"] = _clip(value)
        yield f"{name}: {value}"


def _clip(value: str) -> str:
    return value[:_MAX_METADATA_CHARS]
