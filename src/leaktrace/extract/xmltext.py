"""Safe XML and zip-package helpers shared by the office extractors (OOXML and ODF).

XML is parsed with defusedxml and DTDs, entity declarations and external references are refused,
never expanded: a billion-laughs part becomes an ``xml-entities`` outcome, not a hang. Text is
pulled out of a parsed tree by one iterative walk driven by a small table of element local
names (:class:`TextRules`), so deeply nested documents cannot exhaust the Python stack.
Package parts are read from memory only, every read going through the budget.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as safe_tree

from leaktrace.core.errors import ItemError, LimitReached, error_reason
from leaktrace.core.finding import Severity
from leaktrace.core.plugin import Child, ExtractContext

_MAX_SPACES = 64
"""ODF ``text:s`` repeats a space; a hostile count must not blow up the text."""


class XmlRefused(ItemError):
    """An XML part declares a DTD or entities; refused rather than expanded."""

    rule = "xml-entities"


def local_name(tag: object) -> str:
    """``{namespace}name`` → ``name`` (the office formats have strict and transitional URIs)."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def parse_xml(data: bytes, part: str) -> Element:
    """Parse one XML part; raise :class:`XmlRefused` for DTDs/entities, ``ItemError`` if broken."""
    try:
        root: Element = safe_tree.fromstring(data, forbid_dtd=True)
    except defusedxml.DefusedXmlException as error:
        raise XmlRefused(
            f"{part}: XML declares a DTD or entities ({type(error).__name__}); refused, "
            "not expanded"
        ) from error
    except (ParseError, ValueError, UnicodeError) as error:
        raise ItemError(f"{part}: malformed XML ({error_reason(error)})") from error
    return root


def attribute(element: Element, name: str) -> str | None:
    """An attribute by local name, whatever its namespace."""
    for key, value in element.attrib.items():
        if local_name(key) == name:
            return value
    return None


def leaf_texts(root: Element) -> Iterator[tuple[str, str]]:
    """``(local name, stripped text)`` of every element that directly holds text."""
    for element in root.iter():
        if element.text and element.text.strip():
            yield local_name(element.tag), element.text.strip()


@dataclass(frozen=True)
class TextRules:
    """Which elements (by local name) carry text and how they shape lines."""

    text: frozenset[str] = frozenset()
    """Elements whose own character data is content (OOXML ``w:t``); ignored when ``mixed``."""
    mixed: bool = False
    """All character data is content (ODF mixed content), except formatting whitespace."""
    blocks: frozenset[str] = frozenset()
    cells: frozenset[str] = frozenset()
    rows: frozenset[str] = frozenset()
    tabs: frozenset[str] = frozenset()
    breaks: frozenset[str] = frozenset()
    spaces: frozenset[str] = frozenset()
    skip: frozenset[str] = frozenset()
    headings: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Element → (attribute local name, line prefix): ``table`` → ``# Sheet: <name>``."""


class _Lines:
    """Collects text pieces; paragraphs inside table cells join with a space, not a newline."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.cell_depth = 0

    def add(self, text: str) -> None:
        self.pieces.append(text)

    def _trim_end(self) -> None:
        while self.pieces and self.pieces[-1] in ("\t", " "):
            self.pieces.pop()

    def start_block(self) -> None:
        """A block nested inside running text (a note, a text box) starts on its own line."""
        if self.pieces and not self.pieces[-1][-1:].isspace():
            self.end_block()

    def end_block(self) -> None:
        self.pieces.append(" " if self.cell_depth else "\n")

    def end_cell(self) -> None:
        self._trim_end()
        self.pieces.append("\t")

    def end_row(self) -> None:
        self._trim_end()
        self.pieces.append("\n")

    def text(self) -> str:
        return tidy("".join(self.pieces))


def tidy(text: str) -> str:
    """Right-strip every line and drop empty ones."""
    return "\n".join(line.rstrip() for line in text.splitlines() if line.strip())


def element_text(root: Element, rules: TextRules) -> str:
    """The readable text under ``root``, one line per paragraph, cells tab-separated."""
    lines = _Lines()
    stack: list[tuple[Element, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        name = local_name(element.tag)
        if closing:
            _close(name, lines, rules)
            _tail(element, element is root, lines, rules)
            continue
        if name in rules.skip:
            _tail(element, element is root, lines, rules)
            continue
        _open(element, name, lines, rules)
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    return lines.text()


def _open(element: Element, name: str, lines: _Lines, rules: TextRules) -> None:
    if name in rules.headings:
        attr, prefix = rules.headings[name]
        lines.add(f"\n{prefix}{attribute(element, attr) or ''}\n")
    if name in rules.cells:
        lines.cell_depth += 1
    elif name in rules.blocks:
        lines.start_block()
    if name in rules.tabs:
        lines.add("\t")
    elif name in rules.breaks:
        lines.add("\n")
    elif name in rules.spaces:
        lines.add(" " * _space_count(element))
    if element.text and (name in rules.text or rules.mixed):
        _content(element.text, lines, rules)


def _close(name: str, lines: _Lines, rules: TextRules) -> None:
    if name in rules.cells:
        lines.cell_depth = max(lines.cell_depth - 1, 0)
        lines.end_cell()
    elif name in rules.rows:
        lines.end_row()
    elif name in rules.blocks:
        lines.end_block()


def _tail(element: Element, is_root: bool, lines: _Lines, rules: TextRules) -> None:
    if rules.mixed and not is_root and element.tail:
        _content(element.tail, lines, rules)


def _content(text: str, lines: _Lines, rules: TextRules) -> None:
    # Whitespace with a newline between elements is pretty-printing, not content.
    if rules.mixed and not text.strip() and "\n" in text:
        return
    lines.add(text)


def _space_count(element: Element) -> int:
    try:
        return max(1, min(int(attribute(element, "c") or 1), _MAX_SPACES))
    except ValueError:
        return 1


# -- zip packages ------------------------------------------------------------------------------


def open_package(data: bytes, kind: str) -> zipfile.ZipFile:
    """Open a zip package from memory; a broken one is an ``ItemError``."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,  # an unknown zip version number in the central directory
        OSError,
        ValueError,
        EOFError,
    ) as error:
        raise ItemError(f"corrupt {kind} package: {error_reason(error)}") from error


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as a relative posix name; ``..`` stays visible, never resolved."""
    return info.filename.replace("\\", "/").lstrip("/")


def read_member(package: zipfile.ZipFile, info: zipfile.ZipInfo, context: ExtractContext) -> bytes:
    """Read one member under the budget; zip problems become ``ItemError`` for that member."""
    context.budget.check_time()
    if info.flag_bits & 0x1:
        raise EncryptedMember(f"{member_name(info)}: member is encrypted; not inspected")
    try:
        with package.open(info) as stream:
            return context.budget.read(stream, info.compress_size)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
        raise ItemError(f"{member_name(info)}: corrupt member ({error_reason(error)})") from error
    except (NotImplementedError, RuntimeError) as error:
        raise ItemError(
            f"{member_name(info)}: unsupported member ({error_reason(error)})"
        ) from error


class EncryptedMember(ItemError):
    """A zip member protected by a password."""

    rule = "encrypted"


class PackageParts:
    """The members of one zip package: the XML parts read as text, the rest yielded as children.

    A part whose XML is refused or malformed is kept as raw bytes and still yielded, so its
    content is scanned even though it could not be read as a document part.
    """

    def __init__(self, package: zipfile.ZipFile, context: ExtractContext) -> None:
        self.package = package
        self.context = context
        # Not ZipInfo.is_dir(): it fails on an empty member name, which a hostile zip may hold.
        self.infos = [info for info in package.infolist() if not info.filename.endswith("/")]
        self.by_name = {member_name(info): info for info in self.infos}
        self._done: set[int] = set()
        self._raw: dict[int, bytes] = {}
        self._failed: set[int] = set()

    def has(self, name: str) -> bool:
        return name in self.by_name

    def consume(self, name: str) -> None:
        """Mark a part as fully accounted for (not yielded as a child)."""
        info = self.by_name.get(name)
        if info is not None:
            self._done.add(id(info))

    def xml(self, name: str, consume: bool = True) -> Element | None:
        """Parse part ``name``; a problem becomes a notice for that member and ``None``.

        A consumed part counts as turned into text and is not yielded as a child; structural
        parts (content types, relationships) are parsed with ``consume=False`` and still are.
        """
        info = self.by_name.get(name)
        if info is None or id(info) in self._done or id(info) in self._failed:
            return None
        key = id(info)
        data = self._raw[key] if key in self._raw else self._read(info, name)
        if data is None:
            self._done.add(key)
            return None
        self._raw[key] = data
        try:
            root = parse_xml(data, name)
        except XmlRefused as error:
            self._failed.add(key)
            self.context.notice("limit", error.rule, str(error), Severity.MEDIUM, member=name)
            return None
        except ItemError as error:
            self._failed.add(key)
            self.context.notice("error", "corrupt", str(error), member=name)
            return None
        if consume:
            self._done.add(key)
            del self._raw[key]
        return root

    def _read(self, info: zipfile.ZipInfo, name: str) -> bytes | None:
        try:
            return read_member(self.package, info, self.context)
        except LimitReached:
            raise
        except ItemError as error:
            rule = error.rule if isinstance(error, EncryptedMember) else "corrupt"
            self.context.notice("error", rule, str(error), member=name)
            return None

    def children(self) -> Iterator[Child]:
        """Every member not turned into text, lazily, in archive order (duplicates included)."""
        for info in self.infos:
            if id(info) in self._done:
                continue
            name = member_name(info)
            data = self._raw.pop(id(info), None)
            if data is None:
                data = self._read(info, name)
            if data is not None:
                yield Child(name, data)


def resolve_target(source_part: str, target: str) -> str:
    """A relationship target as a part name (relative to the source part's folder)."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))
