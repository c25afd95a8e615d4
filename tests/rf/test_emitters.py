"""Each kind of emitter is found and described; noise alone makes no emitter."""

from __future__ import annotations

import numpy as np
import pytest

from leaktrace.rf.detection import RUN
from leaktrace.rf.emitters import Emitter, SegmentGrid, group_emitters
from leaktrace.rf.sweep import SweepConfig, analyse
from leaktrace.rf.synth import EmitterSpec
from tests.rf.conftest import MakeRecording

CENTRE = 433.92e6


def _only(make_recording: MakeRecording, spec: EmitterSpec, **kwargs: object) -> Emitter:
    meta = make_recording(emitters=[spec], **kwargs)
    emitters = analyse(str(meta), SweepConfig()).emitters
    assert len(emitters) == 1, emitters
    return emitters[0]


def test_tdma_phone_bursts_with_its_duty_cycle(make_recording: MakeRecording) -> None:
    emitter = _only(make_recording, EmitterSpec("tdma", -500e3, 15), duration_s=0.2)
    assert emitter.center_hz == pytest.approx(CENTRE - 500e3, abs=20e3)
    assert 180e3 < emitter.bandwidth_hz < 400e3
    # 0.577 ms in every 4.615 ms is 12.5 %; frames of 0.43 ms stretch each burst to 2-3 frames.
    assert 0.1 < emitter.duty_cycle < 0.25
    assert emitter.resolution_s < 1e-3
    assert emitter.burstiness is not None and emitter.burstiness < -0.5  # periodic
    assert emitter.bursts == pytest.approx(0.2 / 4.615e-3, abs=3)
    assert not emitter.hopping


def test_ofdm_uplink_fills_its_band(make_recording: MakeRecording) -> None:
    emitter = _only(make_recording, EmitterSpec("ofdm", 200e3, 5))
    assert emitter.center_hz == pytest.approx(CENTRE + 200e3, abs=15e3)
    assert emitter.bandwidth_hz == pytest.approx(1.08e6, rel=0.1)
    assert emitter.duty_cycle > 0.95
    assert emitter.snr_db == pytest.approx(5, abs=2.5)


def test_fm_room_bug_is_narrow_and_continuous(make_recording: MakeRecording) -> None:
    emitter = _only(make_recording, EmitterSpec("fm", 300e3, 12))
    assert emitter.center_hz == pytest.approx(CENTRE + 300e3, abs=3e3)
    assert 8e3 < emitter.bandwidth_hz < 30e3
    assert emitter.duty_cycle > 0.9
    assert emitter.first_seen_s < 0.01
    assert emitter.last_seen_s > 0.14


def test_frequency_hopper_is_one_emitter(make_recording: MakeRecording) -> None:
    emitter = _only(
        make_recording, EmitterSpec("hopper", 0, 15, hop_span_hz=1.6e6), duration_s=0.25
    )
    assert emitter.hopping
    assert emitter.hop_channels == 8
    assert emitter.bandwidth_hz == pytest.approx(1.6e6 + 25e3, rel=0.05)
    assert emitter.duty_cycle > 0.9  # always on one channel or another


def test_a_weak_stationary_emitter_is_found_by_integration(make_recording: MakeRecording) -> None:
    """-5 dB in its band: hopeless in one frame, clear in the whole-recording average."""
    emitter = _only(make_recording, EmitterSpec("ofdm", 0, -5, width_hz=100e3), duration_s=0.25)
    assert emitter.bandwidth_hz == pytest.approx(100e3, rel=0.25)
    assert emitter.resolution_s > 0.05


def test_several_emitters_are_kept_apart(make_recording: MakeRecording) -> None:
    meta = make_recording(
        emitters=[
            EmitterSpec("tdma", -800e3, 15),
            EmitterSpec("fm", -300e3, 12),
            EmitterSpec("ofdm", 400e3, 8),
        ]
    )
    emitters = analyse(str(meta), SweepConfig()).emitters
    centres = sorted(round((e.center_hz - CENTRE) / 1e3) for e in emitters)
    assert len(centres) == 3
    assert np.allclose(centres, [-800, -300, 400], atol=20)
    assert all(e.labels for e in emitters)  # the SigMF annotations over each band


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("kind", ["ca", "os"])
def test_noise_alone_makes_no_emitter(make_recording: MakeRecording, seed: int, kind: str) -> None:
    from leaktrace.rf.cfar import CfarConfig

    meta = make_recording(name=f"noise{seed}", seed=100 + seed, duration_s=0.2)
    config = SweepConfig(cfar=CfarConfig(kind=kind))  # type: ignore[arg-type]
    assert analyse(str(meta), config).emitters == ()


def test_real_recording_puts_the_emitter_at_its_frequency(make_recording: MakeRecording) -> None:
    emitter = _only(make_recording, EmitterSpec("fm", 250e3, 15), datatype="ri16_le")
    assert emitter.center_hz == pytest.approx(CENTRE + 250e3, abs=5e3)


def test_emitters_in_each_capture_keep_their_own_tuning(make_recording: MakeRecording) -> None:
    meta = make_recording(
        emitters=[EmitterSpec("fm", 100e3, 15)],
        captures=[(0, 433.92e6), (180_000, 868.3e6)],
    )
    analysis = analyse(str(meta), SweepConfig())
    centres = sorted(e.center_hz for e in analysis.emitters)
    assert centres == pytest.approx([434.02e6, 868.4e6], abs=5e3)
    later = max(analysis.emitters, key=lambda e: e.center_hz)
    assert later.first_seen_s == pytest.approx(180_000 / 2.4e6, abs=2e-3)


def _runs(*rows: tuple[int, int, int, int, float]) -> np.ndarray:
    """Runs (level, first frame, lo bin, hi bin, power over noise) with the noise at 1."""
    runs = np.zeros(len(rows), dtype=RUN)
    for index, (level, frame, lo, hi, ratio) in enumerate(rows):
        cells = hi - lo + 1
        frames = [1, 16, 256, 4096][level]
        runs[index] = (level, 0, frame, frames, lo, hi, cells, ratio * cells, cells, 2.0 * cells)
    return runs


GRID = SegmentGrid(
    bin_hz=np.arange(1024) * 1e3,
    bin_width_hz=1e3,
    frame_s=1e-3,
    start_s=0.0,
    start_time=None,
    frames=4096,
)


def test_long_average_skirts_do_not_bridge_two_emitters() -> None:
    always = [(0, frame, 100, 120, 10.0) for frame in range(0, 4096, 1)][:50]
    other = [(0, frame, 200, 230, 10.0) for frame in range(0, 50)]
    bridge = [(3, 0, 90, 240, 1.2)]  # the whole-segment average sees from one to the other
    emitters = group_emitters(_runs(*always, *other, *bridge), [GRID])
    assert [(e.low_hz, e.high_hz) for e in emitters] == [(99.5e3, 120.5e3), (199.5e3, 230.5e3)]


def test_a_lone_false_alarm_is_not_an_emitter() -> None:
    assert group_emitters(_runs((0, 7, 500, 501, 3.0)), [GRID]) == []


def test_scattered_false_cells_do_not_add_up_over_time() -> None:
    """Three lone cells at nearby frequencies, seconds apart: noise, however long the sweep."""
    scattered = _runs((0, 10, 500, 500, 3.0), (0, 2000, 501, 501, 3.0), (0, 3900, 502, 502, 3.0))
    assert group_emitters(scattered, [GRID]) == []
    together = _runs((0, 10, 500, 502, 3.0))
    assert len(group_emitters(together, [GRID])) == 1
