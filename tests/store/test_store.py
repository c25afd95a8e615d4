"""The store: recording scans, reading findings back, fingerprints across scans, errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from leaktrace.core.errors import StoreError
from leaktrace.core.finding import Action, Finding, Severity
from leaktrace.store import ScanRecord, Store, StoredFinding, repository
from leaktrace.store.models import FingerprintSeen

T0 = datetime(2025, 3, 1, 9, 0, 0, 123456, tzinfo=UTC)


def record(started: datetime = T0, status: str = "complete") -> ScanRecord:
    return ScanRecord(
        started_at=started,
        finished_at=started + timedelta(seconds=3),
        roots=["outbox", "share/x"],
        policy="policy.toml",
        files=4,
        items=9,
        bytes_read=5_000_000_000,  # beyond 32 bits on purpose
        status=status,
    )


SECRET = Finding(
    path="outbox/a.zip!creds.txt",
    detector="secret",
    rule="aws-access-key",
    severity=Severity.HIGH,
    message="AWS access key",
    line=3,
    column=7,
    evidence="AKIA… (20 chars)",
    key="d1g3st",
    action=Action.BLOCK,
    details={"provider": "aws", "entropy": 3.5, "lines": [3, 4]},
)
MARKING = Finding(
    path="outbox/brief.docx",
    detector="marking",
    rule="confidential",
    severity=Severity.MEDIUM,
    message="classification marking: CONFIDENTIAL",
)
NOTE = Finding(
    path="share/x/readme.txt", detector="pii", rule="email", severity=Severity.INFO, message="e"
)


# -- recording and reading back ---------------------------------------------------------------


def test_open_creates_the_sqlite_folder_and_is_idempotent(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a' / 'b' / 'leaktrace.db'}"
    with Store.open(url) as first:
        assert first.latest_scan_id() is None
    assert (tmp_path / "a" / "b" / "leaktrace.db").is_file()
    with Store.open(url) as again:
        assert again.scans() == []


def test_findings_round_trip_with_their_fingerprints(store: Store) -> None:
    scan_id = store.record_scan(record(), [SECRET, MARKING, NOTE])
    stored = store.findings(scan_id=scan_id)
    assert [s.finding for s in stored] == [SECRET, MARKING, NOTE]
    assert [s.finding.fingerprint for s in stored] == [
        SECRET.fingerprint,
        MARKING.fingerprint,
        NOTE.fingerprint,
    ]
    assert all(s.scan_id == scan_id and s.first_seen == T0 for s in stored)


def test_details_are_stored_as_json(store: Store) -> None:
    odd = Finding("p", "media", "photo", Severity.LOW, "m", details={"pair": (1, 2), "at": T0})
    store.record_scan(record(), [odd])
    (stored,) = store.findings()
    assert stored.finding.details == {"pair": [1, 2], "at": str(T0)}


def test_scans_newest_first_with_counts(store: Store) -> None:
    first = store.record_scan(record(T0), [SECRET, MARKING, NOTE])
    second = store.record_scan(record(T0 + timedelta(hours=1), "interrupted"), [MARKING])
    summaries = store.scans()
    assert [s.id for s in summaries] == [second, first]
    newest, oldest = summaries
    assert newest.status == "interrupted" and newest.total == 1
    assert newest.counts[Severity.MEDIUM] == 1 and newest.counts[Severity.HIGH] == 0
    assert oldest.counts == {
        Severity.INFO: 1,
        Severity.LOW: 0,
        Severity.MEDIUM: 1,
        Severity.HIGH: 1,
        Severity.CRITICAL: 0,
    }
    assert oldest.roots == ["outbox", "share/x"] and oldest.policy == "policy.toml"
    assert oldest.bytes_read == 5_000_000_000 and oldest.files == 4 and oldest.items == 9
    assert oldest.leaktrace_version
    assert store.scans(limit=1) == [newest]
    assert store.latest_scan_id() == second
    assert store.scan(first) == oldest
    assert store.scan(999) is None


def test_datetimes_come_back_aware_in_utc(store: Store) -> None:
    plus_two = timezone(timedelta(hours=2))
    scan_id = store.record_scan(record(T0.astimezone(plus_two)), [SECRET])
    summary = store.scans()[0]
    assert summary.id == scan_id
    assert summary.started_at == T0 and summary.started_at.tzinfo == UTC
    assert summary.finished_at.tzinfo == UTC
    assert store.findings()[0].first_seen.tzinfo == UTC


def test_empty_scan_is_recorded(store: Store) -> None:
    scan_id = store.record_scan(record(), [])
    assert store.findings(scan_id=scan_id) == []
    assert store.scans()[0].total == 0


def test_filters(store: Store) -> None:
    first = store.record_scan(record(T0), [SECRET, MARKING, NOTE])
    second = store.record_scan(record(T0 + timedelta(days=1)), [SECRET, NOTE])
    assert len(store.findings()) == 5
    assert {s.scan_id for s in store.findings(scan_id=first)} == {first}
    assert [s.finding for s in store.findings(detector="secret")] == [SECRET, SECRET]
    high = store.findings(min_severity=Severity.MEDIUM, scan_id=first)
    assert [s.finding for s in high] == [SECRET, MARKING]
    by_fp = store.findings(fingerprint=NOTE.fingerprint)
    assert [s.scan_id for s in by_fp] == [second, first]  # newest scan first
    assert len(store.findings(limit=2)) == 2
    assert store.findings(detector="nope") == []


def test_finding_by_id(store: Store) -> None:
    store.record_scan(record(), [SECRET, MARKING])
    wanted = store.findings()[1]
    assert store.finding(wanted.id) == wanted
    assert isinstance(wanted, StoredFinding)
    assert store.finding(987654) is None


def test_many_findings_in_one_scan(store: Store) -> None:
    many = [
        Finding(f"bulk/{n}.txt", "secret", "token", Severity.LOW, "token", key=str(n))
        for n in range(2500)
    ]
    scan_id = store.record_scan(record(), many)
    assert len(store.findings(scan_id=scan_id)) == 2500
    assert store.scans()[0].counts[Severity.LOW] == 2500


# -- fingerprints across scans ----------------------------------------------------------------


def seen(store: Store, fingerprint: str) -> FingerprintSeen:
    with Session(store.engine) as session:
        row = session.get(FingerprintSeen, fingerprint)
        assert row is not None
        return row


def test_first_seen_is_kept_across_scans(store: Store) -> None:
    later = T0 + timedelta(days=2)
    store.record_scan(record(T0), [SECRET])
    second = store.record_scan(record(later), [SECRET, MARKING])
    latest = {s.finding.fingerprint: s for s in store.findings(scan_id=second)}
    assert latest[SECRET.fingerprint].first_seen == T0
    assert latest[MARKING.fingerprint].first_seen == later
    row = seen(store, SECRET.fingerprint)
    assert (row.first_seen, row.last_seen, row.times_seen) == (T0, later, 2)


def test_a_late_recorded_older_scan_moves_first_seen_back(store: Store) -> None:
    earlier = T0 - timedelta(days=5)
    store.record_scan(record(T0), [SECRET])
    store.record_scan(record(earlier), [SECRET])
    row = seen(store, SECRET.fingerprint)
    assert (row.first_seen, row.last_seen, row.times_seen) == (earlier, T0, 2)


def test_same_fingerprint_twice_in_one_scan_counts_once(store: Store) -> None:
    store.record_scan(record(), [SECRET, SECRET])
    assert len(store.findings()) == 2
    assert seen(store, SECRET.fingerprint).times_seen == 1


def test_record_scan_is_one_transaction(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object) -> None:
        raise OperationalError("UPDATE fingerprints", {}, Exception("disk I/O error"))

    monkeypatch.setattr(repository, "_mark_seen", broken)
    with pytest.raises(StoreError, match=r"cannot record a scan in store .*: disk I/O error"):
        store.record_scan(record(), [SECRET])
    assert store.scans() == []
    assert store.findings() == []


# -- records and errors -----------------------------------------------------------------------


def test_scan_record_rejects_bad_values() -> None:
    with pytest.raises(ValueError, match="status"):
        record(status="done")
    with pytest.raises(ValueError, match="timezone-aware"):
        record(datetime(2025, 1, 1))  # naive on purpose


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'l.db'}") as store, store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_unopenable_sqlite_file_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError) as caught:
        Store.open(f"sqlite:///{blocker / 'x.db'}")
    message = str(caught.value)
    assert message.startswith(f"cannot open store sqlite:///{blocker / 'x.db'}: ")
    assert "\n" not in message


def test_sqlite_error_from_the_driver_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "is-a-folder.db"
    folder.mkdir()
    with pytest.raises(StoreError) as caught:
        Store.open(f"sqlite:///{folder}")
    expected = f"cannot open store sqlite:///{folder}: unable to open database file"
    assert str(caught.value) == expected


def test_password_is_never_shown() -> None:
    url = "postgresql+psycopg://leaktrace:s3cr3t-pw@127.0.0.1:1/nowhere"
    with pytest.raises(StoreError) as caught:
        Store.open(url)
    message = str(caught.value)
    assert "s3cr3t-pw" not in message
    assert message.startswith("cannot open store postgresql+psycopg://leaktrace:***@127.0.0.1:1/")
    assert "\n" not in message


@pytest.mark.parametrize("url", ["not a url", "nosuchdb://host/x"])
def test_bad_urls(url: str) -> None:
    with pytest.raises(StoreError, match="store"):
        Store.open(url)


def test_seen_rows_are_visible_through_the_models(store: Store) -> None:
    store.record_scan(record(), [SECRET, MARKING])
    with Session(store.engine) as session:
        rows = session.scalars(select(FingerprintSeen.fingerprint)).all()
    assert sorted(rows) == sorted([SECRET.fingerprint, MARKING.fingerprint])
