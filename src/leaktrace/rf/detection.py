"""Detection at several integration lengths: which cells of the spectrogram hold a signal.

A short burst (a GSM phone's 0.58 ms slot) is seen best in single frames; a weak emitter that
never stops is seen best after long averaging. So every segment is examined at four levels:

    level 0   each frame                      bursts, duty cycle
    level 1   means of 16 frames
    level 2   means of 256 frames
    level 3   the mean of the whole segment   (Welch) weak stationary emitters

Each cell is tested twice, each at half the false-alarm probability (so, by the union bound, at
most ``pfa`` together): against the CFAR's local noise estimate from neighbouring bins, and
against the tracked noise floor of the whole band (which keeps the middle of a signal wider than
the CFAR window detectable). Frames (level 0) take their CFAR reference from the level-1 row they
belong to: the same neighbouring bins, 16 times the averaging, a sixteenth of the work.

Detections are kept as *runs*: contiguous detected bins in one row, with their summed power,
noise and threshold, so memory grows with what is found, not with the recording.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from leaktrace.rf.cfar import Cfar, CfarConfig, floor_factor
from leaktrace.rf.spectrum import NoiseFloor

GROUP = 16  # rows of one level averaged into a row of the next
MERGE_GAP = 2  # bins between detected cells of one row that still make one run
LEVELS = 4
WHOLE = 3
RUN = np.dtype(
    [
        ("level", "i1"),
        ("segment", "i4"),
        ("frame", "i8"),  # first frame of the row, within the segment
        ("frames", "i8"),  # frames averaged in the row
        ("lo", "i4"),  # first and last detected bin
        ("hi", "i4"),
        ("cells", "i4"),  # detected cells from lo to hi (gaps of up to MERGE_GAP bins skipped)
        ("power", "f8"),  # summed over the run's cells
        ("noise", "f8"),
        ("threshold", "f8"),
    ]
)


@dataclass(frozen=True, slots=True)
class DetectionConfig:
    cfar: CfarConfig = field(default_factory=CfarConfig)
    merge_gap: int = MERGE_GAP  # 0 keeps every run apart (the benchmark reads single cells)


class SegmentDetector:
    """Feeds frames of one segment through the levels and collects the detected runs."""

    def __init__(
        self,
        segment: int,
        bins: int,
        frame_dof: int,
        config: DetectionConfig,
        window: np.ndarray | None,
        block_of_bin: np.ndarray | None = None,
        display_every: int = 1,
    ) -> None:
        self.segment = segment
        self.bins = bins
        self.frame_dof = frame_dof
        self.pfa = config.cfar.pfa / 2  # each of the two tests; see the module docstring
        self.merge_gap = config.merge_gap
        self.cfar = Cfar(config.cfar, bins, window)
        self.floors = [NoiseFloor(block_of_bin) for _ in range(LEVELS)]
        self.runs: list[np.ndarray] = []
        self.frames_seen = 0
        self._pending = np.empty((0, bins), dtype=np.float32)  # frames short of a level-1 row
        self._level1_sums: list[np.ndarray] = []  # level-1 rows short of a level-2 row
        self._level1_start = 0
        self._total = np.zeros(bins, dtype=np.float64)
        self.display: list[np.ndarray] = []  # means of level-1 rows, for the spectrogram
        self.display_every = display_every
        self._display_sum = np.zeros(bins, dtype=np.float64)
        self._display_count = 0
        self.floor_sum = 0.0  # of the level-1 floor, for the recording's noise level
        self.floor_rows = 0

    def push(self, frames: np.ndarray) -> None:
        """Examine more frames; they need not come in whole level-1 groups."""
        if self._pending.size:
            frames = np.concatenate([self._pending, frames])
        whole = frames.shape[0] // GROUP * GROUP
        self._pending = frames[whole:].copy()
        if whole:
            self._examine_group(frames[:whole].reshape(-1, GROUP, self.bins))

    def finish(self) -> None:
        """Examine what is left: a short level-1 row, a short level-2 row, the whole segment."""
        if self._pending.shape[0]:
            self._examine_group(self._pending[None, :, :])
            self._pending = self._pending[:0]
        self._close_level2()
        self._flush_display()
        if self.frames_seen:
            mean = (self._total / self.frames_seen).astype(np.float32)[None, :]
            self._examine_rows(WHOLE, mean, self.frames_seen, np.zeros(1, dtype=np.int64))

    def detected(self) -> np.ndarray:
        return np.concatenate(self.runs) if self.runs else np.empty(0, dtype=RUN)

    # -- levels -----------------------------------------------------------------------------

    def _examine_group(self, groups: np.ndarray) -> None:
        """Levels 0 and 1 for ``groups`` (rows x frames x bins), all with the same frame count."""
        count, per_row = groups.shape[0], groups.shape[1]
        first = self.frames_seen
        rows = groups.mean(axis=1, dtype=np.float64).astype(np.float32)
        dof = per_row * self.frame_dof
        noise = self.cfar.noise(rows)
        floor = self.floors[1].update(rows, dof)
        starts = first + per_row * np.arange(count, dtype=np.int64)
        self._examine_rows(1, rows, per_row, starts, noise, floor)
        # Level 0: each frame against its level-1 row's reference.
        thresholds = np.minimum(
            self.cfar.factor(self.frame_dof, dof, self.pfa) * noise,
            floor_factor(self.pfa, self.frame_dof) * floor,
        )
        frames = groups.reshape(-1, self.bins)
        mask = groups > thresholds[:, None, :]
        frame_starts = first + np.arange(frames.shape[0], dtype=np.int64)
        self._collect(
            0,
            frames,
            mask.reshape(-1, self.bins),
            frame_starts,
            1,
            per_row,
            noise,
            floor,
            thresholds,
        )
        self.frames_seen += frames.shape[0]
        self._total += frames.sum(axis=0, dtype=np.float64)
        self._feed_display(rows)
        self.floor_sum += float(np.broadcast_to(floor, rows.shape).mean(axis=1).sum())
        self.floor_rows += count
        self._feed_level2(rows, per_row)

    def _feed_display(self, rows: np.ndarray) -> None:
        for row in rows:
            self._display_sum += row
            self._display_count += 1
            if self._display_count == self.display_every:
                self._flush_display()

    def _flush_display(self) -> None:
        if self._display_count:
            self.display.append((self._display_sum / self._display_count).astype(np.float32))
            self._display_sum[:] = 0.0
            self._display_count = 0

    def _feed_level2(self, rows: np.ndarray, per_row: int) -> None:
        if per_row < GROUP:  # the segment's short last row: too little for a level-2 row
            return
        for row in rows:
            self._level1_sums.append(row)
            if len(self._level1_sums) == GROUP:
                self._close_level2()

    def _close_level2(self) -> None:
        if not self._level1_sums:
            return
        stack = np.stack(self._level1_sums)
        row = stack.mean(axis=0)[None, :].astype(np.float32)
        frames = stack.shape[0] * GROUP
        self._examine_rows(2, row, frames, np.array([self._level1_start], dtype=np.int64))
        self._level1_start += frames
        self._level1_sums = []

    def _examine_rows(
        self,
        level: int,
        rows: np.ndarray,
        per_row: int,
        starts: np.ndarray,
        noise: np.ndarray | None = None,
        floor: np.ndarray | None = None,
    ) -> None:
        """One level's rows tested against their own neighbours and floor."""
        dof = per_row * self.frame_dof
        if noise is None:
            noise = self.cfar.noise(rows)
        if floor is None:
            floor = self.floors[level].update(rows, dof)
        thresholds = np.minimum(
            self.cfar.factor(dof, dof, self.pfa) * noise, floor_factor(self.pfa, dof) * floor
        )
        self._collect(level, rows, rows > thresholds, starts, per_row, 1, noise, floor, thresholds)

    def _collect(
        self,
        level: int,
        rows: np.ndarray,
        mask: np.ndarray,
        starts: np.ndarray,
        per_row: int,
        rows_per_reference: int,
        noise: np.ndarray,
        floor: np.ndarray,
        thresholds: np.ndarray,
    ) -> None:
        """Turn the detected cells of ``rows`` into runs; ``noise``, ``floor`` and
        ``thresholds`` have one row per ``rows_per_reference`` rows of ``rows``."""
        hit = np.flatnonzero(mask.any(axis=1))
        if hit.size == 0:
            return
        width = self.bins + 1  # a spare column ends every row's last run
        padded = np.zeros((hit.size, width), dtype=bool)
        padded[:, :-1] = mask[hit]
        flat = padded.ravel()
        edges = np.flatnonzero(flat[1:] != flat[:-1]) + 1
        if flat[0]:
            edges = np.r_[0, edges]
        begin, end = edges[0::2], edges[1::2]
        row_of, lo, hi = begin // width, begin % width, end % width
        # Each run's row of reference (noise, threshold) and where it sits in the padded copy.
        reference = hit[row_of] // rows_per_reference
        local_noise = np.minimum(noise, floor)
        power = _run_sums(rows[hit], begin, end)
        at_reference = reference * width
        noise_sum = _run_sums(local_noise, at_reference + lo, at_reference + hi)
        threshold_sum = _run_sums(thresholds, at_reference + lo, at_reference + hi)
        # A weak emitter's cells cross the threshold patchily: runs of one row that nearly
        # touch are kept as one (their sums cover only the detected cells), to save memory.
        apart = (begin[1:] - end[:-1] > self.merge_gap) | (row_of[1:] != row_of[:-1])
        first = np.flatnonzero(np.r_[True, apart])
        last = np.r_[first[1:], begin.size] - 1
        runs = np.empty(first.size, dtype=RUN)
        runs["level"] = level
        runs["segment"] = self.segment
        runs["frame"] = starts[hit][row_of[first]]
        runs["frames"] = per_row
        runs["lo"] = lo[first]
        runs["hi"] = hi[last] - 1
        runs["cells"] = np.add.reduceat(end - begin, first)
        runs["power"] = np.add.reduceat(power, first)
        runs["noise"] = np.add.reduceat(noise_sum, first)
        runs["threshold"] = np.add.reduceat(threshold_sum, first)
        self.runs.append(runs)


def _run_sums(values: np.ndarray, begin: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Sum of ``values`` (rows x bins, seen with a spare column per row) over [begin, end)."""
    padded = np.zeros((values.shape[0], values.shape[1] + 1), dtype=np.float32)
    padded[:, :-1] = values
    flat = padded.ravel()
    bounds = np.empty(2 * begin.size, dtype=np.int64)
    bounds[0::2], bounds[1::2] = begin, end
    # reduceat sums flat[bounds[i]:bounds[i + 1]]; the even entries are the runs.
    return np.asarray(np.add.reduceat(flat, bounds)[0::2], dtype=np.float64)
