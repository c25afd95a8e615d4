"""Registering protected documents: a file's text becomes fingerprints in the store.

    PATH... ─► sources ─► bytes (SHA-256, size) ─► scan pipeline with a text collector
            ─► text of every item, in lineage order ─► fingerprints ─► store ─► index

The text goes through the very pipeline a scan uses, so a document registered as docx is
fingerprinted from the same words a scan will later see in its PDF print or its zipped copy.
Only fingerprints and metadata are stored, never the text. A file without text (a CAD drawing,
a video) is registered by its SHA-256 alone, so that exact copies are still found.

One file's problem is that file's :class:`Registration` (status ``error``), never an exception
that stops the others; only bad arguments raise (:class:`~leaktrace.core.errors.UsageError`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from leaktrace.core import mediatypes
from leaktrace.core.errors import StoreError, UsageError, os_error_reason
from leaktrace.core.finding import Finding
from leaktrace.core.item import Item
from leaktrace.core.pipeline import FileReport, Scanner
from leaktrace.core.plugin import Detector
from leaktrace.core.policy import Policy
from leaktrace.core.registry import Registry
from leaktrace.core.sources import STDIN, Source, find_sources
from leaktrace.protect.fingerprint import Fingerprints, Params, fingerprint
from leaktrace.protect.index import IndexedDocument, build_index
from leaktrace.store import Store

ADDED = "added"
DUPLICATE = "duplicate"
ERROR = "error"
DOCUMENT = "document"
PUBLIC = "public"
_CHUNK = 1 << 20  # bytes per read while hashing
_PROBLEM_DETECTORS = ("error", "limit")
# Office packages yield their XML parts (styles, relationships, settings) as children so that a
# scan inspects them. They are markup, not the document's words, and alike in every file made
# from one template: fingerprinting them would match unrelated documents.
_OFFICE_PACKAGES = mediatypes.OFFICE_PACKAGES
_MARKUP = frozenset({mediatypes.TEXT, "application/xml", "text/xml"})


@dataclass(frozen=True)
class Registration:
    """What became of one file: ``added``, ``duplicate`` (of ``document_id``) or ``error``."""

    path: str
    status: str
    document_id: int | None = None
    message: str = ""
    name: str | None = None
    word_count: int = 0
    warnings: tuple[str, ...] = ()


class TextCollector(Detector):
    """A detector that finds nothing: it keeps the text of every item, in lineage order.

    Markup parts of office packages are left out (see ``_OFFICE_PACKAGES``).
    """

    name: ClassVar[str] = "collect-text"

    def __init__(self) -> None:
        super().__init__()
        self._texts: list[str] = []
        self._media_types: dict[tuple[str, ...], str] = {}

    def detect(self, item: Item) -> Iterator[Finding]:
        parts = item.lineage.parts
        self._media_types[parts] = item.media_type
        parent = self._media_types.get(parts[:-1])
        package_part = parent in _OFFICE_PACKAGES and item.media_type in _MARKUP
        if item.text is not None and not package_part:
            self._texts.append(item.text)
        return iter(())

    def take(self) -> list[str]:
        """The texts collected since the last call (``[]`` when no item had any text)."""
        texts, self._texts = self._texts, []
        self._media_types.clear()
        return texts


@dataclass(frozen=True)
class _Content:
    sha256: str
    size: int
    data: bytes
    """At most the policy's ``max_file_bytes``: what the pipeline inspects."""


@dataclass(frozen=True)
class _Text:
    text: str | None
    """``None`` when no item had text at all (a binary file)."""
    problems: tuple[str, ...]


def register(
    store: Store,
    paths: Sequence[str],
    *,
    label: str | None = None,
    name: str | None = None,
    public: bool = False,
    index_folder: Path,
    registry: Registry,
    params: Params | None = None,
) -> list[Registration]:
    """Register every file named by ``paths`` (files or folders), then rebuild the index.

    ``public`` registers text that is common and not secret (a licence, a template): its
    fingerprints are left out of the index, so it never raises a finding.
    """
    sources = list(find_sources(_checked_paths(paths)))
    if name is not None and len(sources) != 1:
        raise UsageError(f"--name needs exactly one file, but {len(sources)} were given")
    registrar = _Registrar(store, registry, PUBLIC if public else DOCUMENT, label, params)
    results = [registrar.register(source, name) for source in sources]
    if any(result.status == ADDED for result in results):
        rebuild_index(store, index_folder, params)
    return results


def rebuild_index(store: Store, index_folder: Path, params: Params | None = None) -> None:
    """Write a new index from every registered document and public text in the store."""
    documents = (
        IndexedDocument(
            id=summary.id,
            name=summary.name,
            label=summary.label,
            sha256=summary.sha256,
            word_count=summary.word_count,
            hashes=hashes,
        )
        for summary, hashes in store.iter_protected_fingerprints(DOCUMENT)
    )
    public = (hashes for _, hashes in store.iter_protected_fingerprints(PUBLIC))
    try:
        index_folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"cannot create index folder {index_folder}: {error.strerror}") from None
    build_index(index_folder, documents, public, params or Params())


def _checked_paths(paths: Sequence[str]) -> Sequence[str]:
    if not paths:
        raise UsageError("name at least one file or folder to register")
    if STDIN in paths:
        raise UsageError("standard input cannot be registered; save it to a file first")
    return paths


class _Registrar:
    """Registers one file at a time with one scanner, store, kind and label."""

    def __init__(
        self, store: Store, registry: Registry, kind: str, label: str | None, params: Params | None
    ) -> None:
        self.store = store
        self.kind = kind
        self.label = label
        self.params = params or Params()
        self.policy = Policy()
        self.collector = TextCollector()
        self.scanner = Scanner(registry, self.policy, detectors=[self.collector])

    def register(self, source: Source, name: str | None) -> Registration:
        path = source.display
        if source.path is None:
            return Registration(path, ERROR, message=f"cannot read: {source.problem}")
        try:
            content = _read(source.path, self.policy.limits.max_file_bytes)
        except OSError as error:
            return Registration(path, ERROR, message=f"cannot read: {os_error_reason(error)}")
        if content.size == 0:
            return Registration(path, ERROR, message="empty file: no text to register")
        existing = self.store.protected_by_sha256(content.sha256, self.kind)
        if existing is not None:
            return Registration(
                path,
                DUPLICATE,
                existing.id,
                f"same content as #{existing.id} {existing.name}",
                name=existing.name,
                word_count=existing.word_count,
            )
        return self._add(path, name or os.path.basename(path), content)

    def _add(self, path: str, name: str, content: _Content) -> Registration:
        extracted = self._extract(path, content)
        prints = fingerprint(extracted.text, self.params) if extracted.text else None
        words = prints.word_count if prints is not None else 0
        if words == 0 and (extracted.text is not None or extracted.problems):
            reason = f": {extracted.problems[0]}" if extracted.problems else ""
            return Registration(path, ERROR, message=f"no text to register{reason}")
        warnings = _notes(content, extracted, prints, self.params)
        document_id = self.store.add_protected(
            name=name,
            label=self.label,
            kind=self.kind,
            size=content.size,
            word_count=words,
            sha256=content.sha256,
            hashes=prints.unique_hashes() if prints is not None else [],
            source=os.path.abspath(path),
        )
        return Registration(
            path, ADDED, document_id, name=name, word_count=words, warnings=warnings
        )

    def _extract(self, path: str, content: _Content) -> _Text:
        """All the text the pipeline finds in the file, and what stopped it reading more."""
        report = self.scanner.scan_bytes(path, content.data)
        texts = self.collector.take()
        problems = [_problem(path, finding) for finding in _problem_findings(report)]
        return _Text("\n".join(texts) if texts else None, tuple(problems))


def _notes(
    content: _Content, extracted: _Text, prints: Fingerprints | None, params: Params
) -> tuple[str, ...]:
    """What the person registering should know: text not read, or only exact copies found."""
    notes = list(extracted.problems)
    if content.size > len(content.data):
        kept = len(content.data)
        notes.insert(0, f"larger than {kept} bytes; text read from the first {kept} only")
    if prints is None or prints.word_count == 0:
        notes.append("no text: only exact copies of this file will be found")
    elif prints.hashes.size == 0:
        notes.append(
            f"only {prints.word_count} words (fewer than {params.shingle}): "
            "only exact copies of this file will be found"
        )
    return tuple(notes)


def _read(path: Path, limit: int) -> _Content:
    """Hash the whole file in one pass, keeping its first ``limit`` bytes for the pipeline."""
    digest = hashlib.sha256()
    size = 0
    kept = bytearray()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if len(kept) < limit:
                kept += chunk[: limit - len(kept)]
    return _Content(digest.hexdigest(), size, bytes(kept))


def _problem_findings(report: FileReport) -> list[Finding]:
    return [
        f
        for f in report.findings
        if f.detector in _PROBLEM_DETECTORS or (f.detector, f.rule) == ("concealment", "encrypted")
    ]


def _problem(path: str, finding: Finding) -> str:
    # A problem inside a container names the member: report.zip!budget.xlsx: encrypted.
    return finding.message if finding.path == path else f"{finding.path}: {finding.message}"
