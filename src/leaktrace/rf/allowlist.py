"""The authorized transmitters of a room: a TOML file of ``[[transmitter]]`` tables.

    [[transmitter]]
    name = "meeting-room access point"
    low_hz = 2_401_000_000
    high_hz = 2_483_000_000

    [[transmitter]]
    name = "cleaning crew radios"
    low_hz = 446_000_000
    high_hz = 446_200_000
    schedule = ["mon-fri 18:00-22:00", "sat 08:00-12:00"]
    timezone = "Europe/Berlin"     # of the schedule; default UTC
    tolerance_hz = 10_000          # how far a measured edge may stray; default 10 kHz

An emitter is covered when its measured band lies inside an entry's band (give or take the
tolerance) and, for an entry with a schedule, when it was first and last seen inside the
schedule. A scheduled entry never covers an emitter of a recording without timestamps.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from leaktrace.core.errors import PolicyError
from leaktrace.rf.emitters import Emitter

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WINDOW = re.compile(
    r"^(?P<days>[a-z,\-*]+)\s+(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})$"
)
KEYS = {"name", "low_hz", "high_hz", "schedule", "timezone", "tolerance_hz"}
DEFAULT_TOLERANCE_HZ = 10e3


@dataclass(frozen=True, slots=True)
class Window:
    """Days of the week (0 = Monday) and a time of day; ``end <= start`` runs past midnight."""

    days: frozenset[int]
    start: time
    end: time
    text: str

    def contains(self, moment: datetime) -> bool:
        clock = moment.time().replace(tzinfo=None)
        day = moment.weekday()
        if self.start < self.end:
            return day in self.days and self.start <= clock < self.end
        # Overnight: the part after midnight belongs to the previous day's window.
        return (day in self.days and clock >= self.start) or (
            (day - 1) % 7 in self.days and clock < self.end
        )


@dataclass(frozen=True, slots=True)
class Transmitter:
    name: str
    low_hz: float
    high_hz: float
    schedule: tuple[Window, ...] = ()
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    tolerance_hz: float = DEFAULT_TOLERANCE_HZ

    def covers_band(self, emitter: Emitter) -> bool:
        return (
            emitter.low_hz >= self.low_hz - self.tolerance_hz
            and emitter.high_hz <= self.high_hz + self.tolerance_hz
        )

    def covers_time(self, emitter: Emitter) -> bool:
        if not self.schedule:
            return True
        if emitter.first_seen_utc is None or emitter.last_seen_utc is None:
            return False
        moments = (emitter.first_seen_utc, emitter.last_seen_utc)
        return any(
            all(window.contains(m.astimezone(self.zone)) for m in moments)
            for window in self.schedule
        )


@dataclass(frozen=True)
class Allowlist:
    transmitters: tuple[Transmitter, ...] = ()
    source: str | None = None

    def permits(self, emitter: Emitter) -> bool:
        return any(t.covers_band(emitter) and t.covers_time(emitter) for t in self.transmitters)

    def why_not(self, emitter: Emitter) -> str:
        """For a finding's message: an entry matched the band but not the time."""
        for entry in self.transmitters:
            if entry.covers_band(emitter) and not entry.covers_time(emitter):
                if emitter.first_seen_utc is None:
                    return f"; {entry.name!r} is allowed on a schedule; the recording has no time"
                hours = ", ".join(window.text for window in entry.schedule)
                return f"; {entry.name!r} is allowed only {hours}"
        return ""

    @classmethod
    def load(cls, path: str | Path) -> Allowlist:
        source = Path(path)
        try:
            data = tomllib.loads(source.read_text(encoding="utf-8"))
        except OSError as error:
            raise PolicyError(f"{source}: {error.strerror or error}") from None
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise PolicyError(f"{source}: not valid TOML ({error})") from None
        unknown = set(data) - {"transmitter"}
        if unknown:
            raise PolicyError(
                f"{source}: unknown table {sorted(unknown)[0]!r} (use [[transmitter]])"
            )
        entries = data.get("transmitter", [])
        if not isinstance(entries, list):
            raise PolicyError(f"{source}: transmitter must be an array of tables ([[transmitter]])")
        return cls(
            tuple(_transmitter(source, index, entry) for index, entry in enumerate(entries, 1)),
            str(source),
        )


def _transmitter(source: Path, index: int, entry: Any) -> Transmitter:
    where = f"{source}: transmitter {index}"
    if not isinstance(entry, dict):
        raise PolicyError(f"{where}: must be a table")
    unknown = set(entry) - KEYS
    if unknown:
        raise PolicyError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise PolicyError(f"{where}: needs a name")
    where = f"{source}: transmitter {name!r}"
    low, high = (_frequency(where, entry, key) for key in ("low_hz", "high_hz"))
    if low >= high:
        raise PolicyError(f"{where}: low_hz must be below high_hz")
    tolerance = entry.get("tolerance_hz", DEFAULT_TOLERANCE_HZ)
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or tolerance < 0:
        raise PolicyError(f"{where}: tolerance_hz must be a number of Hz, at least 0")
    schedule = entry.get("schedule", [])
    if isinstance(schedule, str):
        schedule = [schedule]
    if not isinstance(schedule, list) or not all(isinstance(s, str) for s in schedule):
        raise PolicyError(f'{where}: schedule must be a list like ["mon-fri 08:00-18:00"]')
    return Transmitter(
        name=name,
        low_hz=low,
        high_hz=high,
        schedule=tuple(_window(where, text) for text in schedule),
        zone=_zone(where, entry.get("timezone", "UTC")),
        tolerance_hz=float(tolerance),
    )


def _frequency(where: str, entry: dict[str, Any], key: str) -> float:
    value = entry.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise PolicyError(f"{where}: {key} must be a frequency in Hz")
    return float(value)


def _zone(where: str, name: Any) -> ZoneInfo:
    if not isinstance(name, str):
        raise PolicyError(f'{where}: timezone must be a name like "Europe/Berlin"')
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise PolicyError(f"{where}: unknown timezone {name!r}") from None


def _window(where: str, text: str) -> Window:
    match = WINDOW.match(text.strip().lower())
    if match is None:
        raise PolicyError(f'{where}: schedule entry {text!r} is not like "mon-fri 08:00-18:00"')
    return Window(
        days=_days(where, match["days"], text),
        start=_clock(where, match["start"], text),
        end=_clock(where, match["end"], text),
        text=text.strip(),
    )


def _days(where: str, spec: str, text: str) -> frozenset[int]:
    if spec in ("*", "daily"):
        return frozenset(range(7))
    days: set[int] = set()
    for part in spec.split(","):
        first, _, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise PolicyError(f"{where}: schedule entry {text!r}: days are mon..sun")
        a, b = DAYS.index(first), DAYS.index(last or first)
        days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    return frozenset(days)


def _clock(where: str, text: str, entry: str) -> time:
    hours, minutes = (int(part) for part in text.split(":"))
    if hours == 24 and minutes == 0:
        return time(23, 59, 59, 999999)
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise PolicyError(f"{where}: schedule entry {entry!r}: {text} is not a time of day")
    return time(hours, minutes)
