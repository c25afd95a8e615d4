"""Database tables of the store, as SQLAlchemy 2 typed declarative models.

    scans ─┐            one row per `leaktrace scan` (or API/gateway scan)
           └─< findings  one row per finding of that scan, with its fingerprint
    fingerprints         one row per fingerprint ever recorded: first/last seen, times seen
    protected_documents  one row per registered document or public text: metadata and its
                         text's fingerprints (never the text itself)
    issued_documents ─┐  one row per document handed out as marked copies: its code's secret
                      │  key and where its marks sit (hashes of context, never the text)
                      └─< issued_recipients  one row per recipient: code word, copy's SHA-256
    record_sets          one row per table registered for exact data match: salted hashes of
                         its values with record and column numbers (never the values)
    protected_media      one row per registered photo or video: perceptual hashes of its
                         frames and local features with metadata (never its pixels)

  The server (`leaktrace serve`):
    users ─┬< api_tokens, web_sessions   accounts (argon2 hashes); tokens kept as SHA-256
    audit_log            every change and every view of a finding's evidence
    incidents ─< triage >─ findings      a finding's status, assignee and incident
    cases ─< case_events  a case's timeline: notes, status changes, linked evidence
    staff_reports ─< report_messages     reports from staff, followed up by receipt code
    devices ─< device_scans >─ scans     laptops and phones and the scans of their contents
    briefings ─< briefing_recipients     traced copies handed out and acknowledged

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


class RecordSetRow(Base):
    """A table of sensitive records registered for exact data match (``leaktrace records``).

    ``hashes`` holds, packed, the salted hash of every kept value with its record and column
    number; ``salt`` keys those hashes. The values themselves are never stored.
    """

    __tablename__ = "record_sets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    source: Mapped[str] = mapped_column(Text)
    columns: Mapped[list[str]]
    salt: Mapped[bytes] = mapped_column(LargeBinary)
    record_count: Mapped[int] = mapped_column(Integer)
    value_count: Mapped[int] = mapped_column(Integer)
    min_columns: Mapped[int] = mapped_column(Integer)
    max_words: Mapped[int] = mapped_column(Integer)
    hashes: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[datetime]


# -- the server (`leaktrace serve`): accounts, triage, cases, reports, devices, briefings -------


class UserRow(Base):
    """A dashboard account; ``password_hash`` is an argon2id hash, ``role`` admin/analyst/viewer."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('admin', 'analyst', 'viewer')", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    disabled_at: Mapped[datetime | None]


class ApiTokenRow(Base):
    """A token for scripts; only the SHA-256 of the token is kept, the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]


class WebSessionRow(Base):
    """A logged-in browser; the cookie holds the token, the store only its SHA-256."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class AuditRow(Base):
    """One change, or one view of a finding's evidence: who, what, on which object."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(Text)
    detail: Mapped[dict[str, Any]]


class IncidentRow(Base):
    """Findings grouped as one incident (one leak seen as several findings)."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]


class TriageRow(Base):
    """The triage state of one recorded finding: new, acknowledged or false alarm."""

    __tablename__ = "triage"
    __table_args__ = (
        CheckConstraint("status IN ('new', 'acknowledged', 'false_alarm')", name="status"),
    )

    finding_id: Mapped[int] = mapped_column(
        ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True
    )
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey("incidents.id", ondelete="SET NULL"), index=True
    )
    updated_at: Mapped[datetime]


class CaseRow(Base):
    """An investigation: open, investigating or closed; its history is in ``case_events``."""

    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'investigating', 'closed')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id", ondelete="SET NULL"))
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CaseEventRow(Base):
    """One line of a case's timeline: a note, a status change or linked evidence."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id", ondelete="SET NULL"))
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_reports.id", ondelete="SET NULL")
    )


class StaffReportRow(Base):
    """A report from staff (a suspected leak or a lost device), perhaps anonymous.

    The reporter follows up with a receipt code; only its SHA-256 is kept.
    """

    __tablename__ = "staff_reports"
    __table_args__ = (
        CheckConstraint("kind IN ('leak', 'lost_device')", name="kind"),
        CheckConstraint("status IN ('new', 'triaged', 'closed')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receipt_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    reporter: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class ReportMessageRow(Base):
    """What the reporter wrote (first and later), or a reply from the security team."""

    __tablename__ = "report_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("staff_reports.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime]
    author: Mapped[str] = mapped_column(String(128))
    text: Mapped[str] = mapped_column(Text)


class DeviceRow(Base):
    """A laptop or phone of the organization; ``lost_at`` is set when it is reported lost."""

    __tablename__ = "devices"
    __table_args__ = (CheckConstraint("kind IN ('laptop', 'phone', 'other')", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    owner: Mapped[str] = mapped_column(Text)
    serial: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime]
    lost_at: Mapped[datetime | None]


class DeviceScanRow(Base):
    """A recorded scan of a device's contents (a folder or disk image standing for it)."""

    __tablename__ = "device_scans"

    device_id: Mapped[int] = mapped_column(
        ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True
    )
    scan_id: Mapped[int] = mapped_column(
        ForeignKey("scans.id", ondelete="CASCADE"), primary_key=True
    )


class BriefingRow(Base):
    """An internal document issued to recipients as traced copies, with acknowledgements."""

    __tablename__ = "briefings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    file_name: Mapped[str] = mapped_column(Text)
    issued_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("issued_documents.id", ondelete="SET NULL")
    )
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]


class BriefingRecipientRow(Base):
    """One recipient of a briefing: their personal link (its SHA-256) and what they did."""

    __tablename__ = "briefing_recipients"
    __table_args__ = (
        UniqueConstraint("briefing_id", "recipient", name="uq_briefing_recipients_recipient"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    briefing_id: Mapped[int] = mapped_column(
        ForeignKey("briefings.id", ondelete="CASCADE"), index=True
    )
    recipient: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    link_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    downloaded_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]


class ProtectedMediaRow(Base):
    """A registered photo (``kind`` "image") or video ("video"): hashes and metadata, no pixels.

    ``hashes`` holds, as a compressed ``.npz`` (never pickled), the PDQ hash of every sampled
    frame (one for a photo) and a capped set of ORB keypoints with their binary descriptors;
    ``pdq`` is the first frame's hash in hex, for people. See ``leaktrace.media``.
    """

    __tablename__ = "protected_media"
    __table_args__ = (CheckConstraint("kind IN ('image', 'video')", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    label: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    media_type: Mapped[str] = mapped_column(String(128))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    frame_count: Mapped[int] = mapped_column(Integer)
    feature_count: Mapped[int] = mapped_column(Integer)
    pdq: Mapped[str] = mapped_column(String(64))
    camera_serial: Mapped[str | None] = mapped_column(String(128), index=True)
    hashes: Mapped[bytes] = mapped_column(LargeBinary)
    source: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime]
