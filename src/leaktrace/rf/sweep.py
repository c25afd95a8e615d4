"""One radio sweep: recordings in, emitters and findings out.

``analyse`` reads one recording in chunks (a SigMF data file is memory-mapped, so its size does
not matter) and returns its emitters; ``findings`` turns the emitters that no allowlist entry
covers into ``rf`` findings. Nothing is reported for a recording until all of it was read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from leaktrace.core.finding import Finding, Rule, Severity, digest
from leaktrace.rf.allowlist import Allowlist
from leaktrace.rf.bands import probable_services
from leaktrace.rf.cfar import CfarConfig
from leaktrace.rf.detection import DetectionConfig, SegmentDetector
from leaktrace.rf.emitters import Emitter, SegmentGrid, group_emitters
from leaktrace.rf.recording import (
    Annotation,
    IqRecording,
    PowerSweep,
    Recording,
    open_recording,
    verify_checksum,
)
from leaktrace.rf.spectrum import Periodogram

UNAUTHORIZED = Rule(
    "rf",
    "unauthorized-transmitter",
    "A radio emitter in a swept room that no allowlist entry covers",
    Severity.HIGH,
)
DISPLAY_ROWS = 600
Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class SweepConfig:
    """How recordings are analysed."""

    nfft: int = 1024
    cfar: CfarConfig = field(default_factory=CfarConfig)
    min_cells: int = 3
    chunk_frames: int = 512  # frames per chunk read from the data file (a multiple of 16)


@dataclass(frozen=True)
class Analysis:
    """What one recording showed."""

    path: str
    emitters: tuple[Emitter, ...]
    grids: tuple[SegmentGrid, ...]
    displays: tuple[np.ndarray, ...]  # per segment: rows x bins, power
    display_row_s: tuple[float, ...]
    noise_dbfs: float
    duration_s: float
    bytes_read: int
    timestamped: bool


def analyse(path: str, config: SweepConfig, progress: Progress | None = None) -> Analysis:
    """Read one recording whole and find its emitters."""
    recording = open_recording(path)
    return analyse_recording(path, recording, config, progress)


def analyse_recording(
    path: str, recording: Recording, config: SweepConfig, progress: Progress | None = None
) -> Analysis:
    if isinstance(recording, PowerSweep):
        detectors, grids, row_s = _analyse_power_sweep(recording, config)
        duration = sum(grid.frames * grid.frame_s for grid in grids)
        read = recording.path.stat().st_size
        if progress:
            progress(read)
    else:
        verify_checksum(recording)
        detectors, grids, row_s = _analyse_iq(recording, config, progress)
        duration = recording.duration_s
        read = recording.data_bytes
    runs = np.concatenate([detector.detected() for detector in detectors])
    emitters = group_emitters(runs, grids, min_cells=config.min_cells)
    annotations = recording.annotations if isinstance(recording, IqRecording) else ()
    emitters = [_named(e, annotations) for e in emitters]
    floor_rows = sum(d.floor_rows for d in detectors)
    noise = sum(d.floor_sum for d in detectors) / max(floor_rows, 1)
    return Analysis(
        path=path,
        emitters=tuple(emitters),
        grids=tuple(grids),
        displays=tuple(np.array(d.display) for d in detectors),
        display_row_s=tuple(row_s),
        noise_dbfs=float(10 * np.log10(max(noise, 1e-30))),
        duration_s=duration,
        bytes_read=read,
        timestamped=all(grid.start_time is not None for grid in grids),
    )


def _analyse_iq(
    recording: IqRecording, config: SweepConfig, progress: Progress | None
) -> tuple[list[SegmentDetector], list[SegmentGrid], list[float]]:
    periodogram = Periodogram(config.nfft, recording.is_complex)
    rate = recording.sample_rate
    frame_s = config.nfft / rate
    total_frames = recording.sample_count // config.nfft
    display_every = max(1, -(-total_frames // (16 * DISPLAY_ROWS)))
    detection = DetectionConfig(cfar=config.cfar)
    detectors, grids, row_s = [], [], []
    for segment in recording.segments:
        detector = SegmentDetector(
            segment.index,
            periodogram.bins,
            1,
            detection,
            periodogram.window,
            display_every=display_every,
        )
        for chunk in recording.chunks(segment, config.chunk_frames * config.nfft):
            detector.push(periodogram.frames(chunk))
            if progress:
                progress(chunk.size * recording.sample_bytes)
        detector.finish()
        centre = segment.center_hz if recording.frequency_known else 0.0
        if not recording.is_complex and not recording.frequency_known:
            centre = rate / 4  # no tuning given: label real data's bins from 0 Hz
        detectors.append(detector)
        grids.append(
            SegmentGrid(
                bin_hz=centre + periodogram.offsets_hz(rate),
                bin_width_hz=rate / config.nfft,
                frame_s=frame_s,
                start_s=segment.start_sample / rate,
                start_time=segment.start_time,
                frames=detector.frames_seen,
            )
        )
        row_s.append(16 * display_every * frame_s)
    return detectors, grids, row_s


def _analyse_power_sweep(
    sweep: PowerSweep, config: SweepConfig
) -> tuple[list[SegmentDetector], list[SegmentGrid], list[float]]:
    times = np.array([t.timestamp() for t in sweep.times])
    frame_s = float(np.median(np.diff(times))) if times.size > 1 else 1.0
    rows = sweep.power.shape[0]
    detector = SegmentDetector(
        0,
        sweep.power.shape[1],
        sweep.averages,
        DetectionConfig(cfar=config.cfar),
        None,
        block_of_bin=sweep.hop_of_bin,
        display_every=max(1, -(-rows // (16 * DISPLAY_ROWS))),
    )
    detector.push(sweep.power.astype(np.float32))
    detector.finish()
    grid = SegmentGrid(
        bin_hz=sweep.freqs_hz,
        bin_width_hz=sweep.bin_hz,
        frame_s=frame_s,
        start_s=0.0,
        start_time=sweep.times[0],
        frames=rows,
    )
    return [detector], [grid], [16 * detector.display_every * frame_s]


def _named(emitter: Emitter, annotations: tuple[Annotation, ...]) -> Emitter:
    """The emitter with its probable service and the labels of annotations over its band."""
    labels = [
        a.label
        for a in annotations
        if a.label
        and a.low_hz is not None
        and a.high_hz is not None
        and a.low_hz <= emitter.high_hz
        and a.high_hz >= emitter.low_hz
    ]
    return replace(
        emitter,
        probable=probable_services(emitter.low_hz, emitter.high_hz),
        labels=tuple(dict.fromkeys(labels)),
    )


# -- findings ---------------------------------------------------------------------------------


def findings(analysis: Analysis, allowlist: Allowlist) -> list[Finding]:
    """An ``rf`` finding for each emitter no allowlist entry covers."""
    found = []
    for emitter in analysis.emitters:
        if allowlist.permits(emitter):
            continue
        found.append(_finding(analysis.path, emitter, allowlist))
    return found


def _finding(path: str, emitter: Emitter, allowlist: Allowlist) -> Finding:
    what = "hopping transmitter" if emitter.hopping else "transmitter"
    guess = f"; probably {emitter.probable[0]}" if emitter.probable else ""
    note = allowlist.why_not(emitter)
    message = (
        f"unauthorized {what} at {emitter.center_hz / 1e6:.4f} MHz "
        f"({_hz(emitter.bandwidth_hz)} wide, on {emitter.duty_cycle:.0%} of the time, "
        f"peak {emitter.peak_dbfs:.1f} dBFS){guess}{note}"
    )
    details: dict[str, object] = {
        "center_hz": round(emitter.center_hz, 1),
        "bandwidth_hz": round(emitter.bandwidth_hz, 1),
        "low_hz": round(emitter.low_hz, 1),
        "high_hz": round(emitter.high_hz, 1),
        "first_seen": round(emitter.first_seen_s, 6),
        "last_seen": round(emitter.last_seen_s, 6),
        "duty_cycle": round(emitter.duty_cycle, 4),
        "peak_dbfs": round(emitter.peak_dbfs, 2),
        "mean_dbfs": round(emitter.mean_dbfs, 2),
        "snr_db": round(emitter.snr_db, 2),
        "bursts": emitter.bursts,
        "burstiness": None if emitter.burstiness is None else round(emitter.burstiness, 3),
        "resolution_s": emitter.resolution_s,
        "hopping": emitter.hopping,
        "probable": list(emitter.probable),
    }
    if emitter.hopping:
        details["hop_channels"] = emitter.hop_channels
    if emitter.first_seen_utc is not None and emitter.last_seen_utc is not None:
        details["first_seen_utc"] = emitter.first_seen_utc.isoformat()
        details["last_seen_utc"] = emitter.last_seen_utc.isoformat()
    if emitter.labels:
        details["annotations"] = list(emitter.labels)
    # The same emitter in the same recording keeps its fingerprint: rounded to 10 kHz.
    key = digest(f"{round(emitter.center_hz, -4):.0f}/{emitter.hopping}")
    return Finding(
        path=path,
        detector="rf",
        rule=UNAUTHORIZED.id,
        severity=UNAUTHORIZED.severity,
        message=message,
        key=key,
        details=details,
    )


def _hz(value: float) -> str:
    if value >= 1e6:
        return f"{value / 1e6:.2f} MHz"
    if value >= 1e3:
        return f"{value / 1e3:.1f} kHz"
    return f"{value:.0f} Hz"
