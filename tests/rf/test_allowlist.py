"""The allowlist: which emitters are authorized, where and when; broken files are refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from leaktrace.core.errors import PolicyError
from leaktrace.rf.allowlist import Allowlist
from leaktrace.rf.emitters import Emitter


def _emitter(low: float, high: float, seen: datetime | None = None) -> Emitter:
    return Emitter(
        low_hz=low,
        high_hz=high,
        first_seen_s=0.0,
        last_seen_s=60.0,
        duty_cycle=1.0,
        peak_dbfs=-30.0,
        mean_dbfs=-31.0,
        snr_db=20.0,
        bursts=1,
        burstiness=None,
        resolution_s=0.001,
        cells=100,
        first_seen_utc=seen,
        last_seen_utc=seen + timedelta(minutes=1) if seen else None,
    )


def _load(tmp_path: Path, text: str) -> Allowlist:
    path = tmp_path / "allow.toml"
    path.write_text(text)
    return Allowlist.load(path)


ACCESS_POINT = """
[[transmitter]]
name = "access point"
low_hz = 2_401_000_000
high_hz = 2_423_000_000
"""

CLEANERS = """
[[transmitter]]
name = "cleaning crew radios"
low_hz = 446_000_000
high_hz = 446_200_000
schedule = ["mon-fri 18:00-22:00", "sat 22:00-02:00"]
timezone = "Europe/Berlin"
"""


def test_an_emitter_inside_an_entry_is_permitted(tmp_path: Path) -> None:
    allowlist = _load(tmp_path, ACCESS_POINT)
    assert allowlist.permits(_emitter(2.402e9, 2.422e9))
    assert allowlist.permits(_emitter(2.400995e9, 2.422e9))  # within the 10 kHz tolerance
    assert not allowlist.permits(_emitter(2.39e9, 2.41e9))  # spills over the lower edge
    assert not allowlist.permits(_emitter(433.9e6, 433.95e6))
    assert not Allowlist().permits(_emitter(2.402e9, 2.422e9))


@pytest.mark.parametrize(
    ("moment", "permitted"),
    [
        (datetime(2026, 3, 4, 19, 0, tzinfo=UTC), True),  # Wednesday 20:00 in Berlin
        (datetime(2026, 3, 4, 21, 30, tzinfo=UTC), False),  # 22:30 in Berlin: too late
        (datetime(2026, 3, 8, 0, 30, tzinfo=UTC), True),  # Sunday 01:30 in Berlin: Saturday night
        (datetime(2026, 3, 8, 19, 0, tzinfo=UTC), False),  # Sunday evening
    ],
)
def test_a_schedule_limits_when_an_entry_applies(
    tmp_path: Path, moment: datetime, permitted: bool
) -> None:
    allowlist = _load(tmp_path, CLEANERS)
    emitter = _emitter(446.05e6, 446.0625e6, moment)
    assert allowlist.permits(emitter) is permitted
    if not permitted:
        assert "allowed only mon-fri 18:00-22:00" in allowlist.why_not(emitter)


def test_a_schedule_never_covers_a_recording_without_time(tmp_path: Path) -> None:
    allowlist = _load(tmp_path, CLEANERS)
    emitter = _emitter(446.05e6, 446.0625e6, None)
    assert not allowlist.permits(emitter)
    assert "no time" in allowlist.why_not(emitter)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("[[transmitter]\nname = 1", "not valid TOML"),
        ('[[transmitter]]\nname = "x"\nlow_hz = 1\nhigh_hz = 2\ncolour = "red"', "unknown key"),
        ("[[transmitter]]\nlow_hz = 1\nhigh_hz = 2", "needs a name"),
        ('[[transmitter]]\nname = "x"\nlow_hz = 5\nhigh_hz = 2', "low_hz must be below"),
        ('[[transmitter]]\nname = "x"\nlow_hz = "low"\nhigh_hz = 2', "low_hz must be"),
        (
            '[[transmitter]]\nname = "x"\nlow_hz = 1\nhigh_hz = 2\nschedule = ["weekdays"]',
            "not like",
        ),
        (
            '[[transmitter]]\nname = "x"\nlow_hz = 1\nhigh_hz = 2\nschedule = ["mon 25:00-26:00"]',
            "not a time of day",
        ),
        (
            '[[transmitter]]\nname = "x"\nlow_hz = 1\nhigh_hz = 2\nschedule = ["mox 08:00-09:00"]',
            "days are mon..sun",
        ),
        (
            '[[transmitter]]\nname = "x"\nlow_hz = 1\nhigh_hz = 2\ntimezone = "Mars/Olympus"',
            "unknown timezone",
        ),
        ('[[transmiter]]\nname = "x"', "unknown table"),
    ],
)
def test_broken_allowlists_are_refused_by_name(tmp_path: Path, text: str, phrase: str) -> None:
    with pytest.raises(PolicyError) as error:
        _load(tmp_path, text)
    assert "allow.toml" in str(error.value)
    assert phrase in str(error.value)


def test_a_missing_allowlist_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match=r"nothere\.toml"):
        Allowlist.load(tmp_path / "nothere.toml")
