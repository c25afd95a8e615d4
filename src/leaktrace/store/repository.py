"""The store: record scans with their findings, and answer questions about them.

Callers see frozen dataclasses (:class:`ScanRecord`, :class:`ScanSummary`,
:class:`StoredFinding`, :class:`ProtectedSummary`, :class:`IssuedDocument`) and
:class:`~leaktrace.core.finding.Finding`, never ORM rows or sessions.
Every SQLAlchemy, Alembic or OS error is translated here into one-line
:class:`~leaktrace.core.errors.StoreError`; URLs in messages never show a password.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType, TracebackType
from typing import Any, Self

import numpy as np
import numpy.typing as npt
from alembic.util import CommandError
from sqlalchemy import ColumnElement, Engine, Row, case, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, defer, selectinload

from leaktrace import __version__
from leaktrace.core.errors import StoreError
from leaktrace.core.finding import Action, Finding, Severity
from leaktrace.store.db import create_store_engine, prepare_sqlite_folder, safe_url, upgrade
from leaktrace.store.issued import (
    IssuedDocument,
    IssuedSummary,
    NewRecipient,
    Recipient,
    pack_code,
    unpack_code,
)
from leaktrace.store.models import (
    Base,
    FindingRow,
    FingerprintSeen,
    IssuedDocumentRow,
    IssuedRecipientRow,
    ProtectedDocument,
    RecordSetRow,
    Scan,
)
from leaktrace.store.protected import (
    ProtectedSummary,
    check_kind,
    pack_hashes,
    unique_hashes,
    unpack_hashes,
)
from leaktrace.store.records import (
    HashedRecords,
    RecordSetSummary,
    pack_records,
    unpack_records,
)

STATUSES = ("complete", "interrupted")
_COUNT_COLUMNS = {
    Severity.INFO: "count_info",
    Severity.LOW: "count_low",
    Severity.MEDIUM: "count_medium",
    Severity.HIGH: "count_high",
    Severity.CRITICAL: "count_critical",
}
_IN_CHUNK = 500  # fingerprints per IN (...) query; well under every backend's parameter limit
_YIELD_PER = 200  # protected documents per fetch when streaming their fingerprints
_WITH_RECIPIENTS = selectinload(IssuedDocumentRow.recipients)  # one query, not one per document
_PROTECTED_COLUMNS = (
    ProtectedDocument.id,
    ProtectedDocument.name,
    ProtectedDocument.label,
    ProtectedDocument.kind,
    ProtectedDocument.size,
    ProtectedDocument.word_count,
    ProtectedDocument.sha256,
    ProtectedDocument.fingerprint_count,
    ProtectedDocument.source,
    ProtectedDocument.added_at,
)


@dataclass(frozen=True)
class ScanRecord:
    """What a finished (or interrupted) scan tells the store about itself."""

    started_at: datetime
    finished_at: datetime
    roots: list[str]
    policy: str | None
    files: int
    items: int
    bytes_read: int
    status: str

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"scan status must be one of {STATUSES}, not {self.status!r}")
        for name in ("started_at", "finished_at"):
            if getattr(self, name).tzinfo is None:
                raise ValueError(f"ScanRecord.{name} must be timezone-aware (use UTC)")


@dataclass(frozen=True)
class ScanSummary:
    """A recorded scan, with how many findings it had at each severity."""

    id: int
    started_at: datetime
    finished_at: datetime
    roots: list[str]
    policy: str | None
    files: int
    items: int
    bytes_read: int
    status: str
    leaktrace_version: str
    counts: Mapping[Severity, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat(),
            "roots": list(self.roots),
            "policy": self.policy,
            "files": self.files,
            "items": self.items,
            "bytes_read": self.bytes_read,
            "status": self.status,
            "leaktrace_version": self.leaktrace_version,
            "findings": self.total,
            "counts": {severity.label: self.counts.get(severity, 0) for severity in Severity},
        }


@dataclass(frozen=True)
class StoredFinding:
    """A finding as recorded: its row id, its scan, and when its fingerprint was first seen."""

    id: int
    scan_id: int
    finding: Finding
    first_seen: datetime

    def to_dict(self) -> dict[str, Any]:
        """``Finding.to_dict`` plus the store's own fields."""
        return {
            "id": self.id,
            "scan_id": self.scan_id,
            **self.finding.to_dict(),
            "first_seen": self.first_seen.isoformat(),
        }


class Store:
    """Scans and findings in a database; SQLite in the data folder or any PostgreSQL."""

    def __init__(self, engine: Engine, display_url: str) -> None:
        """Use :meth:`open`; this takes an engine whose schema is already at head."""
        self._engine = engine
        self.display_url = display_url

    # -- opening and closing ------------------------------------------------------------------

    @classmethod
    def open(cls, url: str) -> Store:
        """Connect to the store at ``url``, creating it or upgrading its schema as needed."""
        shown = safe_url(url)
        try:
            parsed = make_url(url)
        except ArgumentError as error:
            raise StoreError(f"invalid store URL {shown}: {_reason(error)}") from None
        try:
            prepare_sqlite_folder(parsed)
            engine = create_store_engine(parsed)
        except (OSError, SQLAlchemyError, ImportError) as error:
            raise StoreError(f"cannot open store {shown}: {_reason(error)}") from None
        try:
            upgrade(engine)
        except (OSError, SQLAlchemyError, CommandError) as error:
            engine.dispose()
            raise StoreError(f"cannot open store {shown}: {_reason(error)}") from None
        return cls(engine, shown)

    @property
    def engine(self) -> Engine:
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- writing ------------------------------------------------------------------------------

    def record_scan(self, scan: ScanRecord, findings: Iterable[Finding]) -> int:
        """Store a scan and all its findings in one transaction; returns the new scan's id."""
        rows = [_finding_values(finding) for finding in findings]
        counts = Counter(row["severity"] for row in rows)
        with self.session("record a scan in") as session, session.begin():
            scan_row = _scan_row(scan, counts)
            session.add(scan_row)
            session.flush()  # assigns scan_row.id for the findings below
            if rows:
                session.execute(insert(FindingRow), [{**r, "scan_id": scan_row.id} for r in rows])
            fingerprints = sorted({row["fingerprint"] for row in rows})
            _mark_seen(session, fingerprints, scan.started_at)
            return scan_row.id

    # -- reading ------------------------------------------------------------------------------

    def scans(self, limit: int = 20) -> list[ScanSummary]:
        """The most recently recorded scans, newest first."""
        with self.session("read scans from") as session:
            rows = session.scalars(select(Scan).order_by(Scan.id.desc()).limit(limit))
            return [_summary(row) for row in rows]

    def scan(self, scan_id: int) -> ScanSummary | None:
        with self.session("read a scan from") as session:
            row = session.get(Scan, scan_id)
            return _summary(row) if row is not None else None

    def latest_scan_id(self) -> int | None:
        with self.session("read scans from") as session:
            return session.scalar(select(func.max(Scan.id)))

    def findings(
        self,
        *,
        scan_id: int | None = None,
        detector: str | None = None,
        min_severity: Severity | None = None,
        fingerprint: str | None = None,
        limit: int | None = None,
    ) -> list[StoredFinding]:
        """Recorded findings, newest scan first and in recorded order within a scan."""
        conditions: list[ColumnElement[bool]] = []
        if scan_id is not None:
            conditions.append(FindingRow.scan_id == scan_id)
        if detector is not None:
            conditions.append(FindingRow.detector == detector)
        if min_severity is not None:
            conditions.append(FindingRow.severity >= int(min_severity))
        if fingerprint is not None:
            conditions.append(FindingRow.fingerprint == fingerprint)
        with self.session("read findings from") as session:
            return _select_findings(session, conditions, limit)

    def finding(self, finding_id: int) -> StoredFinding | None:
        with self.session("read a finding from") as session:
            found = _select_findings(session, [FindingRow.id == finding_id], 1)
            return found[0] if found else None

    # -- protected documents ------------------------------------------------------------------

    def add_protected(
        self,
        *,
        name: str,
        label: str | None,
        kind: str,
        size: int,
        word_count: int,
        sha256: str,
        hashes: npt.ArrayLike,
        source: str,
        added_at: datetime | None = None,
    ) -> int:
        """Register a document's metadata and fingerprints (never its text); returns its id.

        ``hashes`` are its shingle hashes (uint64; sorted and de-duplicated here). The same
        ``sha256`` twice for one ``kind`` is refused with a ``StoreError``.
        """
        check_kind(kind)
        unique = unique_hashes(hashes)
        row = ProtectedDocument(
            name=name,
            label=label,
            kind=kind,
            size=size,
            word_count=word_count,
            sha256=sha256,
            fingerprint_count=len(unique),
            fingerprints=pack_hashes(unique),
            source=source,
            added_at=added_at or datetime.now(UTC),
        )
        # The unique (kind, sha256): callers check first, races lose.
        return self.insert(
            row, "register a document in", f"{kind} with SHA-256 {sha256} is already registered"
        )

    def protected_documents(self, kind: str | None = None) -> list[ProtectedSummary]:
        """Registered documents (of one kind, or all), oldest first; no fingerprints."""
        stmt = select(*_PROTECTED_COLUMNS).order_by(ProtectedDocument.id)
        if kind is not None:
            check_kind(kind)
            stmt = stmt.where(ProtectedDocument.kind == kind)
        with self.session("read protected documents from") as session:
            return [_protected_summary(row) for row in session.execute(stmt)]

    def protected_document(self, document_id: int) -> ProtectedSummary | None:
        stmt = select(*_PROTECTED_COLUMNS).where(ProtectedDocument.id == document_id)
        with self.session("read a protected document from") as session:
            row = session.execute(stmt).first()
            return _protected_summary(row) if row is not None else None

    def protected_by_sha256(self, sha256: str, kind: str) -> ProtectedSummary | None:
        """The document of this kind registered with exactly this content, if any."""
        check_kind(kind)
        stmt = select(*_PROTECTED_COLUMNS).where(
            ProtectedDocument.kind == kind, ProtectedDocument.sha256 == sha256
        )
        with self.session("read a protected document from") as session:
            row = session.execute(stmt).first()
            return _protected_summary(row) if row is not None else None

    def remove_protected(self, document_id: int) -> bool:
        """Forget a registered document; ``False`` when there was none with this id."""
        stmt = delete(ProtectedDocument).where(ProtectedDocument.id == document_id)
        with self.session("remove a protected document from") as session, session.begin():
            return bool(session.execute(stmt).rowcount)  # type: ignore[attr-defined]

    def iter_protected_fingerprints(
        self, kind: str
    ) -> Iterator[tuple[ProtectedSummary, npt.NDArray[np.uint64]]]:
        """Every document of ``kind`` with its sorted unique hashes, oldest first.

        Streamed a few hundred rows at a time, so an index of 100,000 documents is built
        without holding every blob in memory at once.
        """
        check_kind(kind)
        stmt = (
            select(*_PROTECTED_COLUMNS, ProtectedDocument.fingerprints)
            .where(ProtectedDocument.kind == kind)
            .order_by(ProtectedDocument.id)
            .execution_options(yield_per=_YIELD_PER)
        )
        with self.session("read protected documents from") as session:
            for row in session.execute(stmt):
                yield _protected_summary(row), unpack_hashes(row.fingerprints)

    # -- issued documents (marked copies) ------------------------------------------------------

    def add_issued(
        self,
        *,
        name: str,
        label: str | None,
        media_type: str,
        sha256: str,
        collusion: int,
        key: bytes,
        plan: str,
        slot_count: int,
        recipients: Sequence[NewRecipient],
        fingerprints: npt.ArrayLike = (),
        issued_at: datetime | None = None,
    ) -> int:
        """Record a document issued as marked copies, with every recipient; returns its id.

        Recipients are numbered in the order given: number ``n`` holds row ``n`` of the code.
        """
        row = IssuedDocumentRow(
            name=name,
            label=label,
            media_type=media_type,
            sha256=sha256,
            collusion=collusion,
            key=key,
            plan=plan,
            slot_count=slot_count,
            fingerprints=pack_hashes(unique_hashes(np.asarray(fingerprints, dtype=np.uint64))),
            issued_at=issued_at or datetime.now(UTC),
            recipients=[
                IssuedRecipientRow(
                    number=number,
                    recipient=r.recipient,
                    details=dict(r.details),
                    code=pack_code(r.code, slot_count),
                    copy_sha256=r.copy_sha256,
                )
                for number, r in enumerate(recipients)
            ],
        )
        return self.insert(
            row, "record an issued document in", f"issued document {name!r} names a recipient twice"
        )

    def issued_documents(self) -> list[IssuedSummary]:
        """Every issued document, oldest first (no keys, plans or code words)."""
        stmt = select(IssuedDocumentRow).order_by(IssuedDocumentRow.id).options(_WITH_RECIPIENTS)
        with self.session("read issued documents from") as session:
            return [_issued_summary(row) for row in session.scalars(stmt)]

    def issued_document(self, document_id: int) -> IssuedDocument | None:
        with self.session("read an issued document from") as session:
            row = session.get(IssuedDocumentRow, document_id)
            return _issued(row) if row is not None else None

    def iter_issued(self) -> Iterator[IssuedDocument]:
        """Every issued document with its key, plan and code words, oldest first."""
        stmt = select(IssuedDocumentRow).order_by(IssuedDocumentRow.id).options(_WITH_RECIPIENTS)
        with self.session("read issued documents from") as session:
            for row in session.scalars(stmt):
                yield _issued(row)

    def issued_copy(self, sha256: str) -> tuple[IssuedDocument, Recipient] | None:
        """The issued document and recipient whose marked copy has exactly this content."""
        stmt = select(IssuedRecipientRow).where(IssuedRecipientRow.copy_sha256 == sha256)
        with self.session("read an issued copy from") as session:
            found = session.scalars(stmt).first()
            if found is None:
                return None
            document = _issued(found.document)
            return document, document.recipients[found.number]

    def remove_issued(self, document_id: int) -> bool:
        """Forget an issued document and its recipients; ``False`` when there was none."""
        with self.session("remove an issued document from") as session, session.begin():
            row = session.get(IssuedDocumentRow, document_id)
            if row is None:
                return False
            session.delete(row)
            return True

    # -- record sets (exact data match) --------------------------------------------------------

    def add_record_set(self, table: HashedRecords, source: str) -> int:
        """Register a hashed table under its name; a name already taken is a ``StoreError``."""
        row = RecordSetRow(
            name=table.name,
            source=source,
            columns=list(table.columns),
            salt=table.salt,
            record_count=table.record_count,
            value_count=table.value_count,
            min_columns=table.min_columns,
            max_words=table.max_words,
            hashes=pack_records(table),
            added_at=datetime.now(UTC),
        )
        return self.insert(
            row, "register records in", f"a record set named {table.name!r} already exists"
        )

    def record_sets(self) -> list[RecordSetSummary]:
        """Registered tables, oldest first; no hashes, no salts."""
        stmt = (
            select(RecordSetRow)
            .order_by(RecordSetRow.id)
            .options(defer(RecordSetRow.hashes), defer(RecordSetRow.salt))
        )
        with self.session("read record sets from") as session:
            return [_record_summary(row) for row in session.scalars(stmt)]

    def record_tables(self) -> list[HashedRecords]:
        """Every registered table with its hashes, ready for a scan."""
        with self.session("read record sets from") as session:
            rows = session.scalars(select(RecordSetRow).order_by(RecordSetRow.id))
            return [_record_table(row) for row in rows]

    def remove_record_set(self, set_id: int) -> bool:
        """Forget a registered table; ``False`` when there was none with this id."""
        stmt = delete(RecordSetRow).where(RecordSetRow.id == set_id)
        with self.session("remove a record set from") as session, session.begin():
            return bool(session.execute(stmt).rowcount)  # type: ignore[attr-defined]

    # -- plumbing, shared with the other repository modules of the store ------------------------

    def insert(self, row: Base, doing: str, conflict: str) -> int:
        """Add ``row`` (with its children) and return its new id; a unique constraint it breaks
        is a ``StoreError`` saying ``conflict``."""
        with self.session(doing) as session, session.begin():
            session.add(row)
            try:
                session.flush()  # assigns row.id
            except IntegrityError:
                raise StoreError(conflict) from None
            return int(row.id)  # type: ignore[attr-defined]

    @contextmanager
    def session(self, doing: str) -> Iterator[Session]:
        """An ORM session on the store (for its repository modules, such as ``store/media.py``);
        a database error becomes a one-line ``StoreError`` saying what was being done."""
        try:
            with Session(self._engine, expire_on_commit=False) as session:
                yield session
        except (SQLAlchemyError, OSError) as error:
            raise StoreError(f"cannot {doing} store {self.display_url}: {_reason(error)}") from None


def _reason(error: BaseException) -> str:
    """One line saying what went wrong, from the driver's own message when there is one."""
    if isinstance(error, ModuleNotFoundError):
        return (
            f"database driver {error.name or '(unknown)'} is not installed"
            " (for PostgreSQL: pip install 'leaktrace[postgres]')"
        )
    if isinstance(error, DBAPIError) and error.orig is not None:
        error = error.orig
    text = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    # SQLAlchemy appends a "(Background on this error at: ...)" line; drivers may span lines.
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("(Background on this error")]
    return " ".join(lines) or type(error).__name__


def _finding_values(finding: Finding) -> dict[str, Any]:
    return {
        "fingerprint": finding.fingerprint,
        "path": finding.path,
        "detector": finding.detector,
        "rule": finding.rule,
        "severity": int(finding.severity),
        "message": finding.message,
        "line": finding.line,
        "column": finding.column,
        "evidence": finding.evidence,
        "key": finding.key,
        "action": finding.action.value,
        # Through JSON once, so what is stored is exactly what will be read back.
        "details": json.loads(json.dumps(dict(finding.details), sort_keys=True, default=str)),
    }


def _scan_row(scan: ScanRecord, counts: Mapping[int, int]) -> Scan:
    row = Scan(
        started_at=scan.started_at,
        finished_at=scan.finished_at,
        roots=list(scan.roots),
        policy=scan.policy,
        files=scan.files,
        items=scan.items,
        bytes_read=scan.bytes_read,
        status=scan.status,
        leaktrace_version=__version__,
    )
    for severity, column in _COUNT_COLUMNS.items():
        setattr(row, column, counts.get(int(severity), 0))
    return row


def _mark_seen(session: Session, fingerprints: Sequence[str], when: datetime) -> None:
    """Insert new fingerprints, and widen first/last seen and count of the known ones."""
    if not fingerprints:
        return
    dialect = session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        _upsert_seen(session, dialect, fingerprints, when)
    else:
        _merge_seen(session, fingerprints, when)


def _upsert_seen(
    session: Session, dialect: str, fingerprints: Sequence[str], when: datetime
) -> None:
    # INSERT ... ON CONFLICT is atomic: two scans recorded at once cannot both insert a row.
    table = Base.metadata.tables[FingerprintSeen.__tablename__]
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    new, old = stmt.excluded, table.c
    stmt = stmt.on_conflict_do_update(
        index_elements=[old.fingerprint],
        set_={
            # Scans may be recorded out of order (a distributed scan reporting late).
            "first_seen": case(
                (new.first_seen < old.first_seen, new.first_seen), else_=old.first_seen
            ),
            "last_seen": case((new.last_seen > old.last_seen, new.last_seen), else_=old.last_seen),
            "times_seen": old.times_seen + 1,
        },
    )
    session.execute(stmt, [_seen_values(fp, when) for fp in fingerprints])


def _merge_seen(session: Session, fingerprints: Sequence[str], when: datetime) -> None:
    # Other backends: read-modify-write inside the caller's transaction.
    for start in range(0, len(fingerprints), _IN_CHUNK):
        chunk = fingerprints[start : start + _IN_CHUNK]
        known = {
            seen.fingerprint: seen
            for seen in session.scalars(
                select(FingerprintSeen).where(FingerprintSeen.fingerprint.in_(chunk))
            )
        }
        for fp in chunk:
            seen = known.get(fp)
            if seen is None:
                session.add(FingerprintSeen(**_seen_values(fp, when)))
                continue
            seen.first_seen = min(seen.first_seen, when)
            seen.last_seen = max(seen.last_seen, when)
            seen.times_seen += 1


def _seen_values(fingerprint: str, when: datetime) -> dict[str, Any]:
    return {"fingerprint": fingerprint, "first_seen": when, "last_seen": when, "times_seen": 1}


def _select_findings(
    session: Session, conditions: Sequence[ColumnElement[bool]], limit: int | None
) -> list[StoredFinding]:
    # A finding whose fingerprint row is missing (never, unless edited by hand) falls back to
    # its own scan's start.
    first_seen = func.coalesce(FingerprintSeen.first_seen, Scan.started_at)
    stmt = (
        select(FindingRow, first_seen)
        .join(Scan, Scan.id == FindingRow.scan_id)
        .outerjoin(FingerprintSeen, FingerprintSeen.fingerprint == FindingRow.fingerprint)
        .where(*conditions)
        .order_by(FindingRow.scan_id.desc(), FindingRow.id)
        .limit(limit)
    )
    return [_stored(row, seen) for row, seen in session.execute(stmt)]


def _stored(row: FindingRow, first_seen: datetime) -> StoredFinding:
    finding = Finding(
        path=row.path,
        detector=row.detector,
        rule=row.rule,
        severity=Severity(row.severity),
        message=row.message,
        line=row.line,
        column=row.column,
        evidence=row.evidence,
        key=row.key,
        action=Action(row.action),
        details=dict(row.details or {}),
    )
    return StoredFinding(id=row.id, scan_id=row.scan_id, finding=finding, first_seen=first_seen)


def _summary(row: Scan) -> ScanSummary:
    counts = {severity: int(getattr(row, column)) for severity, column in _COUNT_COLUMNS.items()}
    return ScanSummary(
        id=row.id,
        started_at=row.started_at,
        finished_at=row.finished_at,
        roots=list(row.roots),
        policy=row.policy,
        files=row.files,
        items=row.items,
        bytes_read=row.bytes_read,
        status=row.status,
        leaktrace_version=row.leaktrace_version,
        counts=MappingProxyType(counts),
    )


def _protected_summary(row: Row[*tuple[Any, ...]]) -> ProtectedSummary:
    return ProtectedSummary(
        id=row.id,
        name=row.name,
        label=row.label,
        kind=row.kind,
        size=row.size,
        word_count=row.word_count,
        sha256=row.sha256,
        fingerprint_count=row.fingerprint_count,
        source=row.source,
        added_at=row.added_at,
    )


def _issued_summary(row: IssuedDocumentRow) -> IssuedSummary:
    return IssuedSummary(
        id=row.id,
        name=row.name,
        label=row.label,
        media_type=row.media_type,
        sha256=row.sha256,
        collusion=row.collusion,
        slot_count=row.slot_count,
        recipients=len(row.recipients),
        issued_at=row.issued_at,
    )


def _issued(row: IssuedDocumentRow) -> IssuedDocument:
    recipients = tuple(
        Recipient(
            number=r.number,
            recipient=r.recipient,
            details=dict(r.details),  # a plain dict: issued documents go to scan workers
            code=unpack_code(r.code, row.slot_count),
            copy_sha256=r.copy_sha256,
        )
        for r in row.recipients
    )
    prints = unpack_hashes(row.fingerprints)
    return IssuedDocument(_issued_summary(row), row.key, row.plan, recipients, prints)


def _record_summary(row: RecordSetRow) -> RecordSetSummary:
    return RecordSetSummary(
        id=row.id,
        name=row.name,
        source=row.source,
        columns=tuple(row.columns),
        record_count=row.record_count,
        value_count=row.value_count,
        min_columns=row.min_columns,
        added_at=row.added_at,
    )


def _record_table(row: RecordSetRow) -> HashedRecords:
    arrays = unpack_records(row.hashes)
    return HashedRecords(
        name=row.name,
        columns=tuple(row.columns),
        salt=row.salt,
        hashes=arrays["hashes"],
        records=arrays["records"],
        column_ids=arrays["column_ids"],
        starts=arrays["starts"],
        max_words=row.max_words,
        record_count=row.record_count,
        min_columns=row.min_columns,
    )
