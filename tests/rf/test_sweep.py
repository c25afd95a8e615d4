"""From a recording to findings: which emitters are reported, and with what."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from leaktrace.core.finding import Severity
from leaktrace.rf.allowlist import Allowlist
from leaktrace.rf.sweep import SweepConfig, analyse, findings
from leaktrace.rf.synth import EmitterSpec, write_rtl_power
from tests.rf.conftest import MakeRecording

FIELDS = {"center_hz", "bandwidth_hz", "first_seen", "last_seen", "duty_cycle", "peak_dbfs"}


def test_unauthorized_emitters_become_rf_findings(
    make_recording: MakeRecording, tmp_path: Path
) -> None:
    start = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)
    meta = make_recording(
        emitters=[EmitterSpec("fm", -300e3, 15), EmitterSpec("tdma", 500e3, 15)], start=start
    )
    allow = tmp_path / "allow.toml"
    allow.write_text(
        '[[transmitter]]\nname = "bug sweep test tone"\nlow_hz = 433.60e6\nhigh_hz = 433.64e6\n'
    )
    analysis = analyse(str(meta), SweepConfig())
    assert len(analysis.emitters) == 2
    found = findings(analysis, Allowlist.load(allow))
    assert len(found) == 1  # the FM bug at 433.62 MHz is on the allowlist
    finding = found[0]
    assert (finding.detector, finding.rule, finding.severity) == (
        "rf",
        "unauthorized-transmitter",
        Severity.HIGH,
    )
    assert finding.path == str(meta)
    assert set(finding.details) >= FIELDS
    assert finding.details["center_hz"] == pytest.approx(434.42e6, abs=20e3)
    assert 0.05 < finding.details["duty_cycle"] < 0.3
    assert finding.details["first_seen_utc"].startswith("2026-03-04T09:30:00")
    assert "ISM 433 MHz" in finding.message
    assert finding.details["probable"][0] == "ISM 433 MHz (Region 1)"


def test_the_same_emitter_keeps_its_fingerprint(make_recording: MakeRecording) -> None:
    one = make_recording(emitters=[EmitterSpec("fm", 100e3, 15)], seed=1)
    two = make_recording(emitters=[EmitterSpec("fm", 100e3, 15)], seed=2)
    prints = [
        findings(analyse(str(meta), SweepConfig()), Allowlist())[0].fingerprint
        for meta in (one, one, two)
    ]
    assert prints[0] == prints[1] == prints[2]


def test_rtl_power_sweep_finds_its_emitters(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    write_rtl_power(
        path,
        sweeps=40,
        low_hz=430e6,
        high_hz=436e6,
        step_hz=5e3,
        emitters=[(433.92e6, 50e3, 6.0), (431.2e6, 20e3, 10.0)],
    )
    analysis = analyse(str(path), SweepConfig())
    centres = sorted(e.center_hz for e in analysis.emitters)
    assert centres == pytest.approx([431.2e6, 433.92e6], abs=10e3)
    assert all(e.first_seen_utc is not None for e in analysis.emitters)
    assert analysis.duration_s == pytest.approx(400.0)


def test_rtl_power_noise_alone_makes_no_emitter(tmp_path: Path) -> None:
    path = tmp_path / "quiet.csv"
    write_rtl_power(path, sweeps=60, low_hz=430e6, high_hz=436e6, step_hz=5e3, seed=9)
    assert analyse(str(path), SweepConfig()).emitters == ()
