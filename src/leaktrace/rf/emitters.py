"""Grouping detections into emitters, and what each emitter did.

Runs of detected bins (from every level) are placed on one frequency axis; overlapping runs, or
runs less than ``gap_bins`` apart, form one *channel*. A channel is an emitter when at least
``min_cells`` of its cells were detected in one row (scattered false alarms cannot make one,
however long the recording). Its time behaviour is
read at the finest level at which it stands clearly above the threshold when it transmits
(median power over threshold at least ``CLEAR``): a GSM phone at level 0 (frames of 0.4 ms), a
weak carrier perhaps only in the whole-segment average. Channels of similar width that take
turns, never transmitting together, are one frequency-hopping emitter.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import numpy as np

from leaktrace.rf.detection import GROUP, WHOLE

LONG = 2  # levels from here on average long enough to see the skirts of strong emitters
SKIRT_CORE = 0.5  # a long-average run is a skirt of a channel at least this fraction as wide
LOOSE_GAP = 4.0  # channels of long averages only: gaps this many times wider are closed
CLEAR = 1.5  # median power / threshold of an emitter's rows for on/off to be trusted
SPLATTER_INSIDE = 0.9  # of a narrow neighbour's active rows that fall within a wide one's
SPLATTER_GAP = 0.25  # at most this fraction of the wide channel's bandwidth away
SPLATTER_MAX_DUTY = 0.9
NOTCH_GAP = 0.05  # halves of one band: at most this fraction of their widths apart
HOP_MIN_CHANNELS = 4
HOP_MAX_OVERLAP = 0.1  # fraction of active rows two hop channels may share
HOP_MAX_DUTY = 0.5
HOP_WIDTH_RATIO = 2.0


@dataclass(frozen=True, slots=True)
class SegmentGrid:
    """Where the cells of one segment sit in frequency and time."""

    bin_hz: np.ndarray  # absolute centre frequency of each bin
    bin_width_hz: float
    frame_s: float
    start_s: float  # from the start of the recording
    start_time: datetime | None
    frames: int

    def rows(self, level: int) -> int:
        """How many rows the segment has at ``level``."""
        if self.frames == 0:
            return 0
        if level == WHOLE:
            return 1
        full_level1 = self.frames // GROUP
        return [self.frames, -(-self.frames // GROUP), max(1, -(-full_level1 // GROUP))][level]

    def covers(self, hz: float) -> bool:
        return float(self.bin_hz[0]) <= hz <= float(self.bin_hz[-1])


@dataclass(frozen=True)
class Emitter:
    """One transmitter seen in a recording."""

    low_hz: float
    high_hz: float
    first_seen_s: float
    last_seen_s: float
    duty_cycle: float
    peak_dbfs: float
    mean_dbfs: float
    snr_db: float
    bursts: int
    burstiness: float | None
    resolution_s: float
    cells: int
    first_seen_utc: datetime | None = None
    last_seen_utc: datetime | None = None
    hop_channels: int = 0
    probable: tuple[str, ...] = ()
    labels: tuple[str, ...] = field(default=())

    @property
    def center_hz(self) -> float:
        return (self.low_hz + self.high_hz) / 2

    @property
    def bandwidth_hz(self) -> float:
        return self.high_hz - self.low_hz

    @property
    def hopping(self) -> bool:
        return self.hop_channels > 0


@dataclass
class _Channel:
    low_hz: float
    high_hz: float
    level: int
    runs: np.ndarray
    keys: np.ndarray  # active rows at ``level``: segment and first frame, packed
    power: np.ndarray  # signal power of each active row
    noise: np.ndarray
    emitter: Emitter


def group_emitters(
    runs: np.ndarray, grids: list[SegmentGrid], min_cells: int = 3, gap_bins: float = 2.0
) -> list[Emitter]:
    """The emitters in one recording's runs, lowest frequency first.

    Channels are drawn from the short-time levels (0 and 1), where an emitter stands clear of
    the threshold. The long averages (levels 2 and 3) see far down the skirts of strong
    emitters; so a long-average run that touches a channel joins it without widening it or
    bridging it to a neighbour. Long-average runs that touch no channel, and short-time runs
    that never stand clear (a weak emitter crossing the threshold now and then), make channels
    of their own (weak emitters that never stop).
    """
    if runs.size == 0:
        return []
    gap = gap_bins * max(grid.bin_width_hz for grid in grids)
    low, high = _run_edges(runs, grids)
    short = runs["level"] < LONG
    channel_of = np.full(runs.size, -1, dtype=np.int64)
    spans = _keep_cores(runs, _union(low, high, short, gap, channel_of, 0), channel_of, min_cells)
    _attach_skirts(spans, low, high, np.flatnonzero(~short), gap, channel_of)
    loose = channel_of < 0
    # A weak emitter's cells cross the threshold patchily: close wider gaps between them.
    short_spans = len(spans)
    spans += _union(low, high, loose, LOOSE_GAP * gap, channel_of, first_id=short_spans)
    cells = runs["cells"][channel_of >= 0]
    _join_faint_parts(spans, short_spans, LOOSE_GAP * gap, channel_of, cells, min_cells)
    channels = []
    for index, (span_low_hz, span_high_hz) in enumerate(spans):
        members = runs[channel_of == index]
        if _most_cells_at_once(members) >= min_cells:
            channels.append(_describe(members, span_low_hz, span_high_hz, grids))
    channels.sort(key=lambda channel: channel.low_hz)
    channels = _merge_splatter(channels, grids)
    return [channel.emitter for channel in _merge_hoppers(channels, grids)]


def _keep_cores(
    runs: np.ndarray, spans: list[tuple[float, float]], channel_of: np.ndarray, min_cells: int
) -> list[tuple[float, float]]:
    """Keep the short-time spans that stand clear of the threshold (renumbered); the runs of
    the others are unlabelled, to be grouped with the long averages."""
    kept: list[tuple[float, float]] = []
    labels = channel_of.copy()
    for index, span in enumerate(spans):
        members = labels == index
        chosen = runs[members]
        if _most_cells_at_once(chosen) >= min_cells and _stands_clear(chosen):
            channel_of[members] = len(kept)
            kept.append(span)
        else:
            channel_of[members] = -1
    return kept


def _most_cells_at_once(runs: np.ndarray) -> int:
    """The most cells detected in one row. False alarms are rare and scattered: over a long
    recording a few may fall near each other in frequency, but not several in one row."""
    if runs.size == 0:
        return 0
    keys = (
        (runs["level"].astype(np.int64) << 60)
        | (runs["segment"].astype(np.int64) << 40)
        | runs["frame"].astype(np.int64)
    )
    _, inverse = np.unique(keys, return_inverse=True)
    return int(np.bincount(inverse, weights=runs["cells"]).max())


def _stands_clear(runs: np.ndarray) -> bool:
    """Whether, at some level, the runs' rows are clearly above the threshold."""
    for level in sorted(set(runs["level"].tolist())):
        keys, power, _, threshold, _, _ = _rows(runs[runs["level"] == level])
        if keys.size >= 2 and float(np.median(power / threshold)) >= CLEAR:
            return True
    return False


def _attach_skirts(
    spans: list[tuple[float, float]],
    low: np.ndarray,
    high: np.ndarray,
    long_runs: np.ndarray,
    gap: float,
    channel_of: np.ndarray,
) -> None:
    """Label the long-average runs that are skirts of a short-time channel with it: those that
    touch two channels (they would bridge them), and those that touch one channel at least half
    as wide as themselves. A run much wider than the one channel it touches is more of a weak
    emitter than a skirt: it is left for the long-average channels."""
    if not spans or long_runs.size == 0:
        return
    span_low = np.array([span[0] for span in spans])
    span_high = np.array([span[1] for span in spans])
    first = np.searchsorted(span_high + gap, low[long_runs], side="left")
    last = np.searchsorted(span_low - gap, high[long_runs], side="right") - 1
    touched = last - first + 1
    width = high[long_runs] - low[long_runs]
    one = np.minimum(first, len(spans) - 1)
    core = (touched == 1) & (span_high[one] - span_low[one] >= SKIRT_CORE * width)
    attach = (touched >= 2) | core
    channel_of[long_runs[attach]] = first[attach]


def _join_faint_parts(
    spans: list[tuple[float, float]],
    short_spans: int,
    gap: float,
    channel_of: np.ndarray,
    cells: np.ndarray,
    min_cells: int,
) -> None:
    """A long-average-only span is the faint part of the one short-time channel it touches
    (touching two, it could be either's and stays apart); short-time fragments too small to be
    emitters that it touches are part of it."""
    span_cells = np.bincount(channel_of[channel_of >= 0], weights=cells, minlength=len(spans))
    for index in range(short_spans, len(spans)):
        low, high = spans[index]
        touching = [
            other
            for other in range(short_spans)
            if spans[other][0] - gap <= high and spans[other][1] + gap >= low
        ]
        major = [other for other in touching if span_cells[other] >= min_cells]
        if len(major) > 1:
            continue
        target = major[0] if major else index
        for other in [index, *touching]:
            if other == target:
                continue
            spans[target] = (
                min(spans[other][0], spans[target][0]),
                max(spans[other][1], spans[target][1]),
            )
            channel_of[channel_of == other] = target
            spans[other] = (spans[other][0], spans[other][0])  # emptied


def _union(
    low: np.ndarray,
    high: np.ndarray,
    chosen: np.ndarray,
    gap: float,
    channel_of: np.ndarray,
    first_id: int,
) -> list[tuple[float, float]]:
    """Merge the ``chosen`` runs' frequency ranges that overlap or nearly touch; label each
    chosen run with its range's id (from ``first_id``) and return the ranges."""
    picked = np.flatnonzero(chosen)
    if picked.size == 0:
        return []
    order = picked[np.argsort(low[picked], kind="stable")]
    reach = np.maximum.accumulate(high[order])
    starts_new = np.r_[True, low[order][1:] > reach[:-1] + gap]
    ids = np.cumsum(starts_new) - 1
    channel_of[order] = first_id + ids
    bounds = np.flatnonzero(starts_new)
    ends = np.r_[bounds[1:], order.size]
    return [
        (float(low[order[a:b]].min()), float(high[order[a:b]].max()))
        for a, b in zip(bounds, ends, strict=True)
    ]


def _merge_splatter(channels: list[_Channel], grids: list[SegmentGrid]) -> list[_Channel]:
    """A narrow neighbour that is only ever on while a wider channel is on is that channel's
    sidelobe or switching splatter, not an emitter of its own: merge it in."""
    merged: list[_Channel] = []
    for channel in channels:
        if merged and _is_splatter_pair(merged[-1], channel):
            previous = merged.pop()
            runs = np.concatenate([previous.runs, channel.runs])
            high = max(previous.high_hz, channel.high_hz)
            merged.append(_describe(runs, previous.low_hz, high, grids))
        else:
            merged.append(channel)
    return merged


def _is_splatter_pair(one: _Channel, other: _Channel) -> bool:
    """``other`` (above ``one``) is part of the same emitter: a sidelobe or switching splatter
    of a wider channel that is only on while it is, or the other half of a band split by a
    narrow notch (an OFDM downlink's empty centre) that is on exactly when it is."""
    if one.emitter.bandwidth_hz >= other.emitter.bandwidth_hz:
        wide, narrow = one, other
    else:
        wide, narrow = other, one
    gap = other.low_hz - one.high_hz
    if gap <= NOTCH_GAP * (one.emitter.bandwidth_hz + other.emitter.bandwidth_hz):
        forth, back = _shared_rows(one, other), _shared_rows(other, one)
        if forth is not None and back is not None and min(forth, back) >= SPLATTER_INSIDE:
            return True
    if (
        gap > SPLATTER_GAP * wide.emitter.bandwidth_hz
        or narrow.emitter.bandwidth_hz > wide.emitter.bandwidth_hz / 2
    ):
        return False
    if narrow.level == WHOLE:
        # Seen only in the whole-segment average: a skirt of the wide channel's spectrum.
        return True
    if narrow.emitter.duty_cycle > SPLATTER_MAX_DUTY:
        return False  # always on: an emitter of its own
    inside = _shared_rows(narrow, wide)
    return inside is not None and inside >= SPLATTER_INSIDE


def _shared_rows(part: _Channel, whole: _Channel) -> float | None:
    """Share of ``part``'s active rows (at its level) in which ``whole`` is active too."""
    level = part.level
    if level not in whole.runs["level"]:
        return None
    part_keys = _rows(part.runs[part.runs["level"] == level])[0]
    whole_keys = _rows(whole.runs[whole.runs["level"] == level])[0]
    return float(np.isin(part_keys, whole_keys, assume_unique=True).mean())


def _run_edges(runs: np.ndarray, grids: list[SegmentGrid]) -> tuple[np.ndarray, np.ndarray]:
    """Each run's lowest and highest frequency, from its segment's bins."""
    low = np.empty(runs.size)
    high = np.empty(runs.size)
    for index, grid in enumerate(grids):
        mine = runs["segment"] == index
        low[mine] = grid.bin_hz[runs["lo"][mine]] - grid.bin_width_hz / 2
        high[mine] = grid.bin_hz[runs["hi"][mine]] + grid.bin_width_hz / 2
    return low, high


def _describe(runs: np.ndarray, low: float, high: float, grids: list[SegmentGrid]) -> _Channel:
    """A channel's emitter: its time behaviour read at the finest level where it is clear."""
    level, rows = _clear_level(runs)
    keys, power, noise, _, first, last_end = rows
    centre = (low + high) / 2
    observed = sum(grid.rows(level) for grid in grids if grid.covers(centre)) or 1
    segments = (keys >> 40).astype(np.int64)
    frames = keys & ((1 << 40) - 1)
    grid_first = grids[int(segments[0])]
    grid_last = grids[int(segments[-1])]
    first_s = grid_first.start_s + float(first[0]) * grid_first.frame_s
    last_s = grid_last.start_s + float(last_end[-1]) * grid_last.frame_s
    per_row = _frames_per_row(level, runs)
    bursts, burstiness = _bursts(segments, frames // max(per_row, 1))
    signal = np.maximum(power - noise, np.finfo(np.float64).tiny)
    emitter = Emitter(
        low_hz=low,
        high_hz=high,
        first_seen_s=first_s,
        last_seen_s=last_s,
        duty_cycle=min(1.0, keys.size / observed),
        peak_dbfs=float(10 * np.log10(signal.max())),
        mean_dbfs=float(10 * np.log10(signal.mean())),
        snr_db=float(10 * np.log10(signal.sum() / max(noise.sum(), 1e-300))),
        bursts=bursts,
        burstiness=burstiness,
        resolution_s=per_row * grid_first.frame_s,
        cells=int(runs["cells"].sum()),
        first_seen_utc=_at(grid_first, first_s),
        last_seen_utc=_at(grid_last, last_s),
    )
    return _Channel(low, high, level, runs, keys, signal, noise, emitter)


def _clear_level(
    runs: np.ndarray,
) -> tuple[int, tuple[np.ndarray, ...]]:
    """The finest level at which the channel stands clear of the threshold, with its rows."""
    levels = sorted(set(runs["level"].tolist()))
    fallback: tuple[int, tuple[np.ndarray, ...]] | None = None
    for level in levels:
        rows = _rows(runs[runs["level"] == level])
        fallback = (level, rows)
        keys, power, _, threshold, _, _ = rows
        if keys.size >= 2 and float(np.median(power / threshold)) >= CLEAR:
            return level, rows
    assert fallback is not None
    # Nowhere clear: the most integrated level it reached, where detection is most reliable.
    return fallback


def _rows(runs: np.ndarray) -> tuple[np.ndarray, ...]:
    """Active rows of one level: key, power, noise and threshold summed over the row's runs."""
    keys = (runs["segment"].astype(np.int64) << 40) | runs["frame"].astype(np.int64)
    unique, inverse = np.unique(keys, return_inverse=True)
    sums = [
        np.bincount(inverse, weights=runs[name], minlength=unique.size)
        for name in ("power", "noise", "threshold")
    ]
    first = unique & ((1 << 40) - 1)
    frames = np.bincount(inverse, weights=runs["frames"], minlength=unique.size)
    counts = np.bincount(inverse, minlength=unique.size)
    last_end = first + frames / np.maximum(counts, 1)
    return (unique, *sums, first, last_end)


def _frames_per_row(level: int, runs: np.ndarray) -> int:
    return int(runs["frames"][runs["level"] == level].max())


def _bursts(segments: np.ndarray, rows: np.ndarray) -> tuple[int, float | None]:
    """Bursts (consecutive active rows) and the burstiness of their start times.

    Burstiness is Goh and Barabási's (sd - mean) / (sd + mean) of the intervals between burst
    starts: -1 for a strictly periodic emitter (TDMA), about 0 for random (Poisson) bursts,
    towards +1 for activity that comes in clusters.
    """
    breaks = np.r_[True, (np.diff(rows) != 1) | (np.diff(segments) != 0)]
    starts = rows[breaks]
    if starts.size < 3:
        return int(starts.size), None
    gaps = np.diff(starts).astype(np.float64)
    mean, spread = float(gaps.mean()), float(gaps.std())
    return int(starts.size), (spread - mean) / (spread + mean) if spread + mean else None


def _at(grid: SegmentGrid, seconds: float) -> datetime | None:
    if grid.start_time is None:
        return None
    return grid.start_time + timedelta(seconds=seconds - grid.start_s)


def _merge_hoppers(channels: list[_Channel], grids: list[SegmentGrid]) -> list[_Channel]:
    """Channels that take turns (similar width, low duty, hardly ever on together) become one."""
    candidates = [c for c in channels if c.level < WHOLE and c.emitter.duty_cycle <= HOP_MAX_DUTY]
    groups: list[list[_Channel]] = []
    for channel in sorted(candidates, key=lambda c: c.emitter.bandwidth_hz):
        for group in groups:
            widths = [member.emitter.bandwidth_hz for member in group]
            if (
                group[0].level == channel.level
                and max([*widths, channel.emitter.bandwidth_hz]) <= HOP_WIDTH_RATIO * min(widths)
                and all(_take_turns(member, channel) for member in group)
            ):
                group.append(channel)
                break
        else:
            groups.append([channel])
    merged = [group for group in groups if len(group) >= HOP_MIN_CHANNELS]
    absorbed = {id(member) for group in merged for member in group}
    result = [c for c in channels if id(c) not in absorbed]
    result += [_hopper(group, grids) for group in merged]
    return sorted(result, key=lambda c: c.low_hz)


def _take_turns(one: _Channel, other: _Channel) -> bool:
    shared = np.intersect1d(one.keys, other.keys, assume_unique=True).size
    return shared <= HOP_MAX_OVERLAP * min(one.keys.size, other.keys.size)


def _hopper(group: list[_Channel], grids: list[SegmentGrid]) -> _Channel:
    keys = np.concatenate([c.keys for c in group])
    power = np.concatenate([c.power for c in group])
    noise = np.concatenate([c.noise for c in group])
    unique = np.unique(keys)
    members = [c.emitter for c in group]
    low = min(c.low_hz for c in group)
    high = max(c.high_hz for c in group)
    level = group[0].level
    observed = sum(grid.rows(level) for grid in grids if grid.covers((low + high) / 2)) or 1
    first = min(members, key=lambda e: e.first_seen_s)
    last = max(members, key=lambda e: e.last_seen_s)
    emitter = replace(
        first,
        low_hz=low,
        high_hz=high,
        last_seen_s=last.last_seen_s,
        last_seen_utc=last.last_seen_utc,
        duty_cycle=min(1.0, unique.size / observed),
        peak_dbfs=max(e.peak_dbfs for e in members),
        mean_dbfs=float(10 * np.log10(power.mean())),
        snr_db=float(10 * np.log10(power.sum() / max(noise.sum(), 1e-300))),
        bursts=sum(e.bursts for e in members),
        burstiness=None,
        cells=sum(e.cells for e in members),
        hop_channels=len(group),
    )
    runs = np.concatenate([c.runs for c in group])
    return _Channel(low, high, level, runs, unique, power, noise, emitter)
