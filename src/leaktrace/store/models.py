"""Database tables of the store, as SQLAlchemy 2 typed declarative models.

    scans ─┐            one row per `leaktrace scan` (or API/gateway scan)
           └─< findings  one row per finding of that scan, with its fingerprint
    fingerprints         one row per fingerprint ever recorded: first/last seen, times seen
    protected_documents  one row per registered document or public text: metadata and its
                         text's fingerprints (never the text itself)
    issued_documents ─┐  one row per document handed out as marked copies: its code's secret
                      │  key and where its marks sit (hashes of context, never the text)
                      └─< issued_recipients  one row per recipient: code word, copy's SHA-256

Every column type works on both SQLite and PostgreSQL. Datetimes are always timezone-aware
UTC in Python, whatever the backend stores. Any change here needs a new migration in
``store/migrations/versions``; ``tests/store/test_migrations.py`` fails until they agree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    Dialect,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Explicit constraint names, so that migrations can name what they alter on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A datetime that goes in aware and comes out aware, in UTC, on every backend.

    SQLite has no time zones: it stores the UTC wall time and we re-attach UTC on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} given to the store; use UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Base of every LeakTrace table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
    }


class Scan(Base):
    """One recorded scan: what was scanned, how much, and how it ended."""

    __tablename__ = "scans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
    roots: Mapped[list[str]]
    policy: Mapped[str | None] = mapped_column(Text)
    files: Mapped[int] = mapped_column(Integer)
    items: Mapped[int] = mapped_column(Integer)
    bytes_read: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    leaktrace_version: Mapped[str] = mapped_column(String(64))
    # Counts per severity, kept on the scan so that listing scans never scans the findings.
    count_info: Mapped[int] = mapped_column(Integer, default=0)
    count_low: Mapped[int] = mapped_column(Integer, default=0)
    count_medium: Mapped[int] = mapped_column(Integer, default=0)
    count_high: Mapped[int] = mapped_column(Integer, default=0)
    count_critical: Mapped[int] = mapped_column(Integer, default=0)

    findings: Mapped[list[FindingRow]] = relationship(
        back_populates="scan", cascade="all, delete-orphan", passive_deletes=True
    )


class FindingRow(Base):
    """One finding of one scan; ``severity`` is the integer value of ``Severity``."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    path: Mapped[str] = mapped_column(Text)
    detector: Mapped[str] = mapped_column(String(64), index=True)
    rule: Mapped[str] = mapped_column(String(128))
    severity: Mapped[int] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text)
    line: Mapped[int | None] = mapped_column(Integer)
    column: Mapped[int | None] = mapped_column(Integer)
    evidence: Mapped[str | None] = mapped_column(Text)
    # The detector's digest of what matched (never the match): needed to rebuild the fingerprint.
    key: Mapped[str] = mapped_column(String(128), default="")
    action: Mapped[str] = mapped_column(String(16))
    details: Mapped[dict[str, Any]]

    scan: Mapped[Scan] = relationship(back_populates="findings")


class FingerprintSeen(Base):
    """When a fingerprint was first and last recorded, and in how many scans."""

    __tablename__ = "fingerprints"

    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    times_seen: Mapped[int] = mapped_column(Integer, default=1)


class ProtectedDocument(Base):
    """A registered document (``kind`` "document") or public text to ignore ("public").

    ``fingerprints`` holds the sorted unique 64-bit shingle hashes of the document's text, as
    little-endian bytes, zlib-compressed; the text itself is never stored. A binary file with
    no text has ``word_count`` 0 and no fingerprints: it is found by ``sha256`` alone.
    """

    __tablename__ = "protected_documents"
    __table_args__ = (
        UniqueConstraint("kind", "sha256"),
        CheckConstraint("kind IN ('document', 'public')", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    label: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    size: Mapped[int] = mapped_column(BigInteger)
    word_count: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    fingerprint_count: Mapped[int] = mapped_column(Integer)
    fingerprints: Mapped[bytes] = mapped_column(LargeBinary)
    source: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime]


class IssuedDocumentRow(Base):
    """A document issued as recipient-marked copies (``leaktrace mark``).

    ``key`` is the secret of its fingerprinting code; ``plan`` (JSON) says where the marks sit
    by hashes of the words around them and which variants they choose between, never by text.
    """

    __tablename__ = "issued_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    label: Mapped[str | None] = mapped_column(Text)
    media_type: Mapped[str] = mapped_column(String(128))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    collusion: Mapped[int] = mapped_column(Integer)
    key: Mapped[bytes] = mapped_column(LargeBinary)
    plan: Mapped[str] = mapped_column(Text)
    slot_count: Mapped[int] = mapped_column(Integer)
    # The original's winnowing fingerprints (packed like a protected document's): scans read
    # an issued document's marks only from items that share some of its text.
    fingerprints: Mapped[bytes] = mapped_column(LargeBinary)
    issued_at: Mapped[datetime]

    recipients: Mapped[list[IssuedRecipientRow]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="IssuedRecipientRow.number",
    )


class IssuedRecipientRow(Base):
    """One recipient of an issued document: their code word (bits packed) and their copy's hash."""

    __tablename__ = "issued_recipients"
    __table_args__ = (
        UniqueConstraint("document_id", "number", name="uq_issued_recipients_number"),
        UniqueConstraint("document_id", "recipient", name="uq_issued_recipients_recipient"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("issued_documents.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    recipient: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]]
    code: Mapped[bytes] = mapped_column(LargeBinary)
    copy_sha256: Mapped[str] = mapped_column(String(64), index=True)

    document: Mapped[IssuedDocumentRow] = relationship(back_populates="recipients")
