"""Radio sweep detection: probability of detection against SNR, beside the ideal energy detector.

    python bench/rf_detection.py [--trials 4] [--noise-runs 200] [--plot docs/images/rf_pd.png]

Every recording is synthesized with ``leaktrace.rf.synth`` (2.4 MS/s, complex, ci16_le, noise at
-30 dBFS), written as SigMF into a temporary folder and read back through the real reader.

1. Cells against theory (the target). A stationary OFDM emitter 200 kHz wide (Gaussian-like, flat
   in its band) at in-band SNRs from -20 to +20 dB. The detector runs exactly as ``rf sweep``
   does, at ``--pfa 1e-3`` (each of its two tests at 5e-4); we read its decisions on the
   whole-recording (Welch) cells: the cells inside the emitter's band (edges excluded) give Pd,
   the same cells of noise-only recordings the measured false-alarm rate. Each such cell
   averages M = frames of the recording independent periodogram values, so the ideal energy
   detector with known noise and the same M samples has Pd = Q(M, g / (1 + snr)), g = Q^-1(M,
   Pfa), Q the regularized upper incomplete gamma function (the statistic is Gamma(M) without and
   Gamma(M)*(1+snr) with the
   signal). The gap is read at Pd = 0.1, 0.5 and 0.9 by interpolating the measured curve in dB.
2. Emitters end to end, at the default ``--pfa 1e-7``: the share of recordings in which
   ``rf sweep`` reports the emitter (an emitter whose band contains its true centre; for the
   hopper, one hopping emitter spanning all its channels), per kind (TDMA phone, LTE-like OFDM,
   FM bug, hopper) and in-band SNR while it transmits.
3. Noise alone, at the default ``--pfa 1e-7``, CA and OS: how many emitters ``--noise-runs``
   noise-only recordings produce, and one ``--long-noise`` seconds long (the target is none).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from leaktrace.rf.cfar import CfarConfig, theoretical_pd
from leaktrace.rf.detection import WHOLE, DetectionConfig, SegmentDetector
from leaktrace.rf.emitters import Emitter
from leaktrace.rf.recording import IqRecording, open_recording
from leaktrace.rf.spectrum import Periodogram
from leaktrace.rf.sweep import SweepConfig, analyse
from leaktrace.rf.synth import EmitterSpec, SynthSpec, write_sigmf

RATE = 2.4e6
NFFT = 1024
CENTRE = 433.92e6
SNRS = np.arange(-20.0, 20.5, 1.0)
BENCH_PFA = 1e-3


def whole_cells(meta: Path, pfa: float) -> tuple[np.ndarray, int]:
    """The whole-recording cells the detector marked, and how many frames each averages."""
    recording = open_recording(meta)
    assert isinstance(recording, IqRecording)
    periodogram = Periodogram(NFFT, is_complex=True)
    segment = recording.segments[0]
    detector = SegmentDetector(
        0, NFFT, 1, DetectionConfig(cfar=CfarConfig(pfa=pfa), merge_gap=0), periodogram.window
    )
    for chunk in recording.chunks(segment, 512 * NFFT):
        detector.push(periodogram.frames(chunk))
    detector.finish()
    runs = detector.detected()
    marked = np.zeros(NFFT, dtype=bool)
    for run in runs[runs["level"] == WHOLE]:
        marked[run["lo"] : run["hi"] + 1] = True
    return marked, detector.frames_seen


def cell_curve(folder: Path, frames: int, trials: int) -> dict[str, np.ndarray | float]:
    """Measured Pd per SNR on in-band whole-recording cells, and the measured Pfa.

    The false-alarm rate is counted on noise-only recordings: next to an emitter at +20 dB its
    spectral skirts (an unfiltered OFDM signal's sinc sidelobes) are real signal, not alarms.
    """
    offsets = Periodogram(NFFT, True).offsets_hz(RATE)
    width = 200e3
    inside = np.abs(offsets - 300e3) < width / 2 - 4 * RATE / NFFT
    usable = np.abs(offsets) < RATE / 2 - 40 * RATE / NFFT
    duration = frames * NFFT / RATE
    pd = []
    for snr in SNRS:
        hits = 0
        for trial in range(trials):
            spec = SynthSpec(
                duration_s=duration,
                emitters=[EmitterSpec("ofdm", 300e3, float(snr), width_hz=width)],
                seed=1000 * trial + int(snr + 100),
            )
            marked, _ = whole_cells(write_sigmf(folder / "cells", spec), BENCH_PFA)
            hits += int(marked[inside].sum())
        pd.append(hits / (trials * int(inside.sum())))
    alarms, cells = 0, 0
    for trial in range(10 * trials):
        spec = SynthSpec(duration_s=duration, seed=90_000 + trial)
        marked, _ = whole_cells(write_sigmf(folder / "quiet", spec), BENCH_PFA)
        alarms += int(marked[usable].sum())
        cells += int(usable.sum())
    return {"pd": np.array(pd), "pfa": alarms / cells, "cells": cells}


def snr_at(pd: np.ndarray, level: float) -> float:
    """The SNR (dB) at which a rising Pd curve crosses ``level``, interpolated."""
    above = int(np.argmax(pd >= level))
    if above == 0:
        return float(SNRS[0])
    x0, x1 = SNRS[above - 1], SNRS[above]
    y0, y1 = pd[above - 1], pd[above]
    return float(x0 + (level - y0) * (x1 - x0) / max(y1 - y0, 1e-12))


def emitter_curves(folder: Path, trials: int) -> dict[str, np.ndarray]:
    kinds = {
        "tdma": EmitterSpec("tdma", -600e3, 0.0),
        "ofdm": EmitterSpec("ofdm", 200e3, 0.0),
        "fm": EmitterSpec("fm", 300e3, 0.0),
        "hopper": EmitterSpec("hopper", 0.0, 0.0, hop_span_hz=1.6e6),
    }
    snrs = SNRS[::2]
    curves = {}
    for name, template in kinds.items():
        found = []
        for snr in snrs:
            hits = 0
            for trial in range(trials):
                emitter = EmitterSpec(
                    template.kind, template.offset_hz, float(snr), template.hop_span_hz
                )
                spec = SynthSpec(duration_s=0.25, emitters=[emitter], seed=77 + trial)
                meta = write_sigmf(folder / "emitter", spec)
                emitters = analyse(str(meta), SweepConfig()).emitters
                hits += any(_reports(e, template) for e in emitters)
            found.append(hits / trials)
        curves[name] = np.array(found)
    return curves


def _reports(emitter: Emitter, spec: EmitterSpec) -> bool:
    """Whether ``emitter`` is the synthesized one: its band holds a frequency it sends on
    (for the hopper, one emitter marked as hopping that spans its channels)."""
    if spec.kind == "hopper":
        span = (CENTRE - spec.hop_span_hz / 2, CENTRE + spec.hop_span_hz / 2)
        return emitter.hopping and emitter.low_hz <= span[0] and emitter.high_hz >= span[1]
    return emitter.low_hz <= CENTRE + spec.offset_hz <= emitter.high_hz


def noise_only(folder: Path, runs: int, long_s: float) -> dict[str, tuple[int, int]]:
    """False emitters on noise-only recordings: (recordings with any, emitters in all)."""
    result = {}
    for kind in ("ca", "os"):
        recordings_with, emitters = 0, 0
        for run in range(runs if kind == "ca" else max(1, runs // 4)):
            spec = SynthSpec(duration_s=0.25, seed=50_000 + run)
            meta = write_sigmf(folder / "noise", spec)
            found = analyse(str(meta), SweepConfig(cfar=CfarConfig(kind=kind))).emitters
            recordings_with += bool(found)
            emitters += len(found)
        result[kind] = (recordings_with, emitters)
    # One long recording: scattered false cells must not add up to an emitter over time.
    spec = SynthSpec(duration_s=long_s, seed=60_000)
    found = analyse(str(write_sigmf(folder / "long", spec)), SweepConfig()).emitters
    result["ca, one long recording"] = (int(bool(found)), len(found))
    return result


def plot(
    cells: dict[int, dict[str, np.ndarray | float]], curves: dict[str, np.ndarray], out: Path
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    fine = np.linspace(SNRS[0], SNRS[-1], 400)
    for (frames, result), colour in zip(cells.items(), ("tab:blue", "tab:orange"), strict=False):
        left.plot(
            fine,
            theoretical_pd(10 ** (fine / 10), frames, BENCH_PFA),
            color=colour,
            label=f"ideal energy detector, M={frames}",
        )
        left.plot(SNRS, result["pd"], "o", color=colour, ms=4, label=f"rf sweep cells, M={frames}")
    left.set(
        xlabel="in-band SNR (dB)",
        ylabel="probability of detection",
        title=f"Stationary emitter, cells at Pfa {BENCH_PFA:g}",
        xlim=(-20, 5),
    )
    left.grid(alpha=0.3)
    left.legend(fontsize=8)
    for name, found in curves.items():
        right.plot(SNRS[::2], found, "o-", ms=4, label=name)
    right.set(
        xlabel="in-band SNR while transmitting (dB)",
        ylabel="share of recordings with the emitter reported",
        title="Emitters end to end (0.25 s, default --pfa 1e-7)",
    )
    right.grid(alpha=0.3)
    right.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(out, dpi=100)
    plt.close(figure)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=4, help="recordings per SNR point")
    parser.add_argument("--noise-runs", type=int, default=200)
    parser.add_argument("--long-noise", type=float, default=60.0, help="seconds")
    parser.add_argument("--plot", type=Path, default=Path("docs/images/rf_pd.png"))
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        cells = {frames: cell_curve(folder, frames, args.trials) for frames in (256, 1024)}
        print(f"## Cells at Pfa {BENCH_PFA:g} against the ideal energy detector\n")
        print("| M (frames) | measured Pfa | SNR at Pd 0.1 / 0.5 / 0.9: measured | theory | gap |")
        print("|---|---|---|---|---|")
        for frames, result in cells.items():
            pd = np.asarray(result["pd"])
            theory = theoretical_pd(10 ** (np.linspace(-30, 10, 4001) / 10), frames, BENCH_PFA)
            grid = np.linspace(-30, 10, 4001)
            measured = [snr_at(pd, level) for level in (0.1, 0.5, 0.9)]
            ideal = [float(np.interp(level, theory, grid)) for level in (0.1, 0.5, 0.9)]
            gaps = [m - i for m, i in zip(measured, ideal, strict=True)]
            print(
                f"| {frames} | {result['pfa']:.2e} ({result['cells']} cells) | "
                + " / ".join(f"{m:.2f}" for m in measured)
                + " dB | "
                + " / ".join(f"{i:.2f}" for i in ideal)
                + " dB | "
                + " / ".join(f"{g:+.2f}" for g in gaps)
                + " dB |"
            )
        curves = emitter_curves(folder, max(2, args.trials - 1))
        print("\n## Emitters reported (share of recordings), default --pfa 1e-7\n")
        print("| SNR (dB) | " + " | ".join(curves) + " |")
        print("|---|" + "---|" * len(curves))
        for index, snr in enumerate(SNRS[::2]):
            print(
                f"| {snr:+.0f} | " + " | ".join(f"{c[index]:.2f}" for c in curves.values()) + " |"
            )
        noise = noise_only(folder, args.noise_runs, args.long_noise)
        print("\n## Noise-only recordings (0.25 s each), default --pfa 1e-7\n")
        for kind, (with_any, emitters) in noise.items():
            if kind.startswith("ca, "):
                print(f"- CA-CFAR, one {args.long_noise:g} s recording: {emitters} false emitters")
                continue
            runs = args.noise_runs if kind == "ca" else max(1, args.noise_runs // 4)
            print(
                f"- {kind.upper()}-CFAR: {emitters} false emitters in {runs} recordings "
                f"({with_any} recordings with any)"
            )
    args.plot.parent.mkdir(parents=True, exist_ok=True)
    plot(cells, curves, args.plot)
    print(f"\nplot: {args.plot}; {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
