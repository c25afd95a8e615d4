"""Protected media in the store: registered photos and videos, their hashes and metadata.

    from leaktrace.store.media import MediaStore

    media = MediaStore(store)
    media_id = media.add(registered, blob)        # blob: leaktrace.media.prints.pack(...)
    for summary, blob in media.iter_prints(): ...

Kept apart from ``repository.py``: it uses the store's engine and its error translation, and
nothing else of it. Pixels are never stored, only what ``leaktrace.media`` hashes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select

from leaktrace.store.models import ProtectedMediaRow
from leaktrace.store.repository import Store

KINDS = ("image", "video")
_YIELD_PER = 100
_NEVER = datetime(1970, 1, 1, tzinfo=UTC)  # only a placeholder: rows always have a time
_COLUMNS = (
    ProtectedMediaRow.id,
    ProtectedMediaRow.name,
    ProtectedMediaRow.label,
    ProtectedMediaRow.kind,
    ProtectedMediaRow.media_type,
    ProtectedMediaRow.size,
    ProtectedMediaRow.sha256,
    ProtectedMediaRow.width,
    ProtectedMediaRow.height,
    ProtectedMediaRow.duration_ms,
    ProtectedMediaRow.frame_count,
    ProtectedMediaRow.feature_count,
    ProtectedMediaRow.pdq,
    ProtectedMediaRow.camera_serial,
    ProtectedMediaRow.source,
    ProtectedMediaRow.added_at,
)


@dataclass(frozen=True)
class NewMedia:
    """What registering one photo or video records, besides its packed hashes."""

    name: str
    label: str | None
    kind: str
    media_type: str
    size: int
    sha256: str
    width: int
    height: int
    duration_ms: int | None
    frame_count: int
    feature_count: int
    pdq: str
    camera_serial: str | None
    source: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"protected media kind must be one of {KINDS}, not {self.kind!r}")


@dataclass(frozen=True)
class MediaSummary(NewMedia):
    """A registered photo or video as listed: no hashes."""

    id: int = 0
    added_at: datetime = _NEVER

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "label": self.label,
            "kind": self.kind,
            "media_type": self.media_type,
            "size": self.size,
            "sha256": self.sha256,
            "width": self.width,
            "height": self.height,
            "duration_ms": self.duration_ms,
            "frame_count": self.frame_count,
            "feature_count": self.feature_count,
            "pdq": self.pdq,
            "camera_serial": self.camera_serial,
            "source": self.source,
            "added_at": self.added_at.isoformat(),
        }


class MediaStore:
    """Registered media in one :class:`~leaktrace.store.Store`."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, media: NewMedia, hashes: bytes, added_at: datetime | None = None) -> int:
        """Register a photo or video; the same ``sha256`` twice is a ``StoreError``."""
        row = ProtectedMediaRow(
            **{name: getattr(media, name) for name in NewMedia.__dataclass_fields__},
            hashes=hashes,
            added_at=added_at or datetime.now(UTC),
        )
        # The unique sha256: callers check first, races lose.
        return self._store.insert(
            row, "register media in", f"media with SHA-256 {media.sha256} is already registered"
        )

    def list(self) -> list[MediaSummary]:
        """Every registered photo and video, oldest first; no hashes."""
        stmt = select(*_COLUMNS).order_by(ProtectedMediaRow.id)
        with self._store.session("read protected media from") as session:
            return [_summary(row) for row in session.execute(stmt)]

    def get(self, media_id: int) -> MediaSummary | None:
        stmt = select(*_COLUMNS).where(ProtectedMediaRow.id == media_id)
        with self._store.session("read protected media from") as session:
            row = session.execute(stmt).first()
            return _summary(row) if row is not None else None

    def by_sha256(self, sha256: str) -> MediaSummary | None:
        stmt = select(*_COLUMNS).where(ProtectedMediaRow.sha256 == sha256)
        with self._store.session("read protected media from") as session:
            row = session.execute(stmt).first()
            return _summary(row) if row is not None else None

    def remove(self, media_id: int) -> bool:
        """Forget a registered photo or video; ``False`` when there was none with this id."""
        stmt = delete(ProtectedMediaRow).where(ProtectedMediaRow.id == media_id)
        with self._store.session("remove protected media from") as session, session.begin():
            return bool(session.execute(stmt).rowcount)  # type: ignore[attr-defined]

    def iter_prints(self) -> Iterator[tuple[MediaSummary, bytes]]:
        """Every registered photo and video with its packed hashes, oldest first, streamed."""
        stmt = (
            select(*_COLUMNS, ProtectedMediaRow.hashes)
            .order_by(ProtectedMediaRow.id)
            .execution_options(yield_per=_YIELD_PER)
        )
        with self._store.session("read protected media from") as session:
            for row in session.execute(stmt):
                yield _summary(row), row.hashes


def _summary(row: Any) -> MediaSummary:
    values = {column.key: getattr(row, column.key) for column in _COLUMNS}
    return MediaSummary(**values)
