"""PDF documents, read with pypdf.

The text is every page's text (pages separated by a blank line), then the document information
(title, author, subject, keywords and any custom entry), the XMP metadata and the values of form
fields. Embedded files (the ``EmbeddedFiles`` name tree and file-attachment annotations) are
yielded as children named by their file names, and every image drawn on a page as a child
``<page N image K>``. A PDF changed by incremental updates still holds
its earlier revisions: the text of each one that the final version no longer shows is a child
``<revision N of M: text removed later>``, so what an editor "deleted" is scanned too. A PDF
that opens with the empty password is read;
one that needs a real password is reported as ``encrypted`` and not inspected. pypdf's many
exception types are translated here; its warnings and log messages are silenced while it runs.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from PIL import Image
from pypdf import PdfReader
from pypdf.errors import DependencyError
from pypdf.generic import DictionaryObject, StreamObject

from leaktrace.core import mediatypes
from leaktrace.core.errors import ItemError, LimitReached, first_line
from leaktrace.core.finding import Severity
from leaktrace.core.item import Item
from leaktrace.core.plugin import Child, ExtractContext, Extraction, Extractor
from leaktrace.detect.concealment import severity_of
from leaktrace.extract.xmltext import XmlRefused, leaf_texts, local_name, parse_xml

_MAGIC = b"%PDF-"
_HEAD = 1024
_INFO_LABELS = {
    "/Title": ("Title", "title"),
    "/Author": ("Author", "author"),
    "/Subject": ("Subject", "subject"),
    "/Keywords": ("Keywords", "keywords"),
    "/Creator": ("Creator", "creator"),
    "/Producer": ("Producer", "producer"),
}
_DATES = frozenset({"/CreationDate", "/ModDate", "/Trapped"})
_MAX_METADATA_CHARS = 1000
_MAX_TREE_NODES = 10_000
_MAX_REVISIONS = 16
_END_OF_REVISION = re.compile(rb"%%EOF[ \t]*(?:\r\n|\r|\n)?")
_ENCODED_IMAGES = frozenset({"/DCTDecode", "/JPXDecode"})


class PdfExtractor(Extractor):
    name = "pdf"
    media_types = frozenset({mediatypes.PDF})
    sniff_priority = 70

    def sniff(self, head: bytes, data: bytes) -> str | None:
        return mediatypes.PDF if _MAGIC in head[:_HEAD] else None

    def extract(self, item: Item, context: ExtractContext) -> Extraction:
        with _quiet():
            reader = _guard("corrupt PDF", lambda: PdfReader(io.BytesIO(item.data), strict=False))
            if not _unlock(reader, context):
                return Extraction(text=None)
            pages = _read_pages(reader, context)
            metadata: dict[str, str] = {}
            sections = [
                *pages.texts,
                *_info_lines(reader, metadata),
                *_xmp_lines(reader, context),
                *_form_lines(reader),
            ]
            files = _embedded_files(reader, context) + pages.attachments
        text = "\n\n".join(section for section in sections if section.strip())
        children = itertools.chain(
            _children(files, context),
            _page_images(reader, context),
            _removed_text(item.data, pages.texts, context),
        )
        return Extraction(text=text, children=children, metadata=metadata)


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence pypdf's warnings and log records (tests and the CLI treat them as noise)."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _guard(what: str, action: Any) -> Any:
    """Run a pypdf call; its exceptions become one ``ItemError`` (limits pass through)."""
    try:
        return action()
    except LimitReached:
        raise
    except RecursionError as error:
        raise ItemError(f"{what}: objects nested too deeply") from error
    except Exception as error:  # pypdf raises many unrelated types on hostile input
        raise ItemError(f"{what}: {_describe(error)}") from error


def _describe(error: BaseException) -> str:
    first = first_line(error)
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


def _unlock(reader: PdfReader, context: ExtractContext) -> bool:
    """Open an encrypted PDF with the empty password; report it when that is not enough."""
    if not _guard("corrupt PDF", lambda: reader.is_encrypted):
        return True
    try:
        opened = bool(reader.decrypt(""))
    except LimitReached:
        raise
    except DependencyError:
        opened = False
    except Exception as error:  # a damaged encryption dictionary
        raise ItemError(f"corrupt PDF encryption: {_describe(error)}") from error
    if not opened:
        message = "PDF is encrypted with a user password; not inspected"
        context.notice("concealment", "encrypted", message, severity_of("encrypted"))
    return opened


@dataclass
class _Pages:
    texts: list[str]
    attachments: list[tuple[str, Any]]


def _read_pages(reader: PdfReader, context: ExtractContext) -> _Pages:
    """Each page's text; a page that fails is reported and the next one is read."""
    count = _guard("corrupt PDF page tree", lambda: len(reader.pages))
    pages = _Pages([], [])
    chars = 0
    for index in range(count):
        context.budget.check_time()
        if chars > context.budget.limits.max_text_chars:
            break  # the pipeline reports the cut; reading on would only cost time
        try:
            page = reader.pages[index]
            text = page.extract_text() or ""
            pages.attachments += _annotation_files(page)
        except LimitReached:
            raise
        except Exception as error:  # one broken page must not hide the others
            context.notice("error", "corrupt", f"page {index + 1} unreadable: {_describe(error)}")
            continue
        chars += len(text)
        pages.texts.append(text)
    return pages


def _info_lines(reader: PdfReader, metadata: dict[str, str]) -> list[str]:
    try:
        info = reader.metadata
        entries = [(str(key), _as_text(info[key])) for key in info] if info else []
    except LimitReached:
        raise
    except Exception:  # a damaged info dictionary loses only the properties
        return []
    lines = []
    for key, value in entries:
        if not value or key in _DATES:
            continue
        label, meta_key = _INFO_LABELS.get(key, (key.lstrip("/"), f"property:{key.lstrip('/')}"))
        lines.append(f"{label}: {value}")
        metadata.setdefault(meta_key, value[:_MAX_METADATA_CHARS])
    return ["\n".join(lines)] if lines else []


def _as_text(value: Any) -> str:
    with suppress(AttributeError):
        value = value.get_object()
    return str(value).strip() if isinstance(value, str | int | float) else ""


def _xmp_lines(reader: PdfReader, context: ExtractContext) -> list[str]:
    """Values in the XMP packet, parsed with our safe parser (never pypdf's)."""
    try:
        stream = _catalog(reader).get("/Metadata")
        data = stream.get_object().get_data() if stream is not None else b""
    except LimitReached:
        raise
    except Exception as error:
        context.notice("error", "corrupt", f"XMP metadata unreadable: {_describe(error)}")
        return []
    if not data:
        return []
    context.budget.accept(data)
    try:
        root = parse_xml(data, "XMP metadata")
    except XmlRefused as error:
        context.notice("limit", error.rule, str(error), Severity.MEDIUM)
        return []
    except ItemError as error:
        context.notice("error", "corrupt", str(error))
        return []
    values = [text for _, text in leaf_texts(root)]
    for element in root.iter():
        if local_name(element.tag) == "Description":
            values += [v for k, v in element.attrib.items() if local_name(k) != "about" and v]
    unique = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    return ["\n".join(unique)] if unique else []


def _form_lines(reader: PdfReader) -> list[str]:
    try:
        fields = reader.get_form_text_fields() or {}
    except LimitReached:
        raise
    except Exception:  # a damaged form loses only the form values
        return []
    lines = [f"{name}: {value}" for name, value in fields.items() if value]
    return ["\n".join(lines)] if lines else []


# -- embedded files -----------------------------------------------------------------------------


def _catalog(reader: PdfReader) -> Any:
    return reader.trailer["/Root"].get_object()


def _embedded_files(reader: PdfReader, context: ExtractContext) -> list[tuple[str, Any]]:
    """``(name, file specification)`` from the ``EmbeddedFiles`` name tree, without recursion."""
    try:
        names = _catalog(reader).get("/Names")
        tree = names.get_object().get("/EmbeddedFiles") if names is not None else None
    except LimitReached:
        raise
    except Exception as error:
        context.notice("error", "corrupt", f"embedded file list unreadable: {_describe(error)}")
        return []
    found: list[tuple[str, Any]] = []
    stack = [tree] if tree is not None else []
    seen: set[int] = set()
    while stack and len(seen) < _MAX_TREE_NODES:
        try:
            node = stack.pop().get_object()
            if not isinstance(node, DictionaryObject) or id(node) in seen:
                continue
            seen.add(id(node))
            pairs = _array(node.get("/Names"))
            kids = _array(node.get("/Kids"))
        except LimitReached:
            raise
        except Exception as error:  # a broken node hides only its own entries
            context.notice("error", "corrupt", f"embedded file list damaged: {_describe(error)}")
            continue
        found += [(_as_text(pairs[i]), pairs[i + 1]) for i in range(0, len(pairs) - 1, 2)]
        stack += reversed(kids)
    return found


def _annotation_files(page: Any) -> list[tuple[str, Any]]:
    found = []
    for reference in _array(page.get("/Annots")):
        annotation = reference.get_object()
        if isinstance(annotation, DictionaryObject) and annotation.get("/Subtype") == (
            "/FileAttachment"
        ):
            spec = annotation.get("/FS")
            if spec is not None:
                found.append(("", spec))
    return found


def _array(value: Any) -> list[Any]:
    if value is None:
        return []
    value = value.get_object()
    return list(value) if isinstance(value, list) else []


def _children(files: list[tuple[str, Any]], context: ExtractContext) -> Iterator[Child]:
    for number, (key, spec) in enumerate(files, 1):
        context.budget.check_time()
        with _quiet():
            child = _read_file(key, spec, number, context)
        if child is not None:
            yield child


def _read_file(key: str, spec: Any, number: int, context: ExtractContext) -> Child | None:
    """One embedded file's bytes, under the budget; a broken one becomes a notice."""
    name = f"attachment-{number}"
    try:
        spec = spec.get_object()
        if not isinstance(spec, DictionaryObject):
            return None  # a plain string names an external file: nothing embedded
        name = _file_name(spec, key) or name
        files = spec.get("/EF")
        files = files.get_object() if files is not None else None
        stream = (
            files.get("/UF") or files.get("/F") if isinstance(files, DictionaryObject) else None
        )
        stream = stream.get_object() if stream is not None else None
        if not isinstance(stream, StreamObject):
            return None
        data = stream.get_data()
        length = stream.get("/Length")
        compressed = int(length.get_object()) if length is not None else None
    except LimitReached:
        raise
    except Exception as error:
        context.notice(
            "error", "corrupt", f"embedded file unreadable: {_describe(error)}", member=name
        )
        return None
    return Child(name, context.budget.accept(bytes(data), compressed))


def _file_name(spec: DictionaryObject, key: str) -> str:
    for entry in ("/UF", "/F"):
        value = _as_text(spec.get(entry))
        if value:
            return _relative(value)
    return _relative(key)


def _relative(name: str) -> str:
    """A name kept as a relative posix name: never a path we would touch."""
    return name.replace("\\", "/").lstrip("/")


# -- images on pages ----------------------------------------------------------------------------


def _page_images(reader: PdfReader, context: ExtractContext) -> Iterator[Child]:
    """Every image drawn on a page, as a child ``<page N image K>`` (photos in a PDF are
    compared with registered media like any other image). JPEG and JPEG 2000 streams are
    passed on as they are stored; other images are decoded by pypdf into PNG, after their
    declared size has been checked against Pillow's decompression-bomb limit."""
    with _quiet():
        count = _guard("corrupt PDF page tree", lambda: len(reader.pages))
    for index in range(count):
        context.budget.check_time()
        try:
            with _quiet():
                page = reader.pages[index]
                keys = list(page.images.keys())
        except LimitReached:
            raise
        except Exception as error:  # a broken page loses only its own images
            message = f"images of page {index + 1} unreadable: {_describe(error)}"
            context.notice("error", "corrupt", message)
            continue
        for number, key in enumerate(keys, 1):
            name = f"<page {index + 1} image {number}>"
            with _quiet():
                child = _page_image(page, key, name, context)
            if child is not None:
                yield child


def _page_image(page: Any, key: Any, name: str, context: ExtractContext) -> Child | None:
    try:
        xobject = _image_xobject(page, key)
        if xobject is not None and _too_many_pixels(xobject, name, context):
            return None
        if xobject is not None and _last_filter(xobject) in _ENCODED_IMAGES:
            data = xobject.get_data()  # already a JPEG / JPEG 2000 file
        else:
            data = page.images[key].data
    except LimitReached:
        raise
    except Exception as error:
        context.notice("error", "corrupt", f"image unreadable: {_describe(error)}", member=name)
        return None
    return Child(name, context.budget.accept(bytes(data)))


def _image_xobject(page: Any, key: Any) -> StreamObject | None:
    """The image XObject a ``page.images`` key names (a name, or a path through forms);
    ``None`` for an inline image."""
    path = key if isinstance(key, list) else [key]
    holder = page
    for part in path:
        resources = holder.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        if xobjects is None or part not in xobjects.get_object():
            return None
        holder = xobjects.get_object()[part].get_object()
    return holder if isinstance(holder, StreamObject) else None


def _too_many_pixels(xobject: StreamObject, name: str, context: ExtractContext) -> bool:
    width, height = int(xobject.get("/Width", 0)), int(xobject.get("/Height", 0))
    limit = Image.MAX_IMAGE_PIXELS
    if limit is not None and width * height > limit:
        message = f"image of {width}x{height} pixels not decoded (more than {limit})"
        context.notice("limit", "pixels", message, Severity.MEDIUM, member=name)
        return True
    return False


def _last_filter(xobject: StreamObject) -> str:
    filters = xobject.get("/Filter")
    if filters is None:
        return ""
    filters = filters.get_object()
    if isinstance(filters, list):
        return str(filters[-1]) if filters else ""
    return str(filters)


def _revision_ends(data: bytes) -> list[int]:
    """Where each revision of an incrementally updated PDF ends (after its ``%%EOF``)."""
    return [m.end() for m in _END_OF_REVISION.finditer(data)]


def _removed_text(data: bytes, final: list[str], context: ExtractContext) -> Iterator[Child]:
    """Each earlier revision's page text that the final revision no longer has, as a child.

    Lines are compared, so an unchanged page costs nothing and only what an update removed or
    replaced comes out. At most the last ``_MAX_REVISIONS`` earlier revisions are read."""
    ends = _revision_ends(data)[:-1]  # the last one is the document as it reads today
    kept = {line.strip() for page in final for line in page.splitlines()}
    first = max(0, len(ends) - _MAX_REVISIONS)
    for number, end in enumerate(ends[first:], start=first + 1):
        context.budget.check_time()
        removed = [
            line
            for line in _revision_lines(data[:end])
            if line.strip() and line.strip() not in kept
        ]
        if removed:
            name = f"<revision {number} of {len(ends) + 1}: text removed later>"
            yield Child(name, "\n".join(removed).encode(), media_type=mediatypes.TEXT)


def _revision_lines(data: bytes) -> list[str]:
    """The page text lines of one earlier revision; none when it does not read on its own
    (an earlier revision is often not a complete PDF: that is not an error of the file)."""
    try:
        with _quiet():
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                return []
            texts = [page.extract_text() or "" for page in reader.pages]
    except LimitReached:
        raise
    except Exception:  # pypdf raises many types on a truncated file; any means "unreadable"
        return []
    return [line for text in texts for line in text.splitlines()]
