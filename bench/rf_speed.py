"""Radio sweep speed: how many times real time ``rf sweep`` analyses a 2.4 MS/s recording.

    python bench/rf_speed.py [--seconds 20] [--repeat 3] [--datatype ci16_le]

Synthesizes a busy room (a TDMA phone, an LTE-like uplink, an FM bug, a hopper) into a SigMF
recording in a temporary folder, then times the whole analysis (memory-mapped reading in chunks,
spectra, four detection levels, grouping) with CA- and OS-CFAR, ``--repeat`` times each, and
the command as a user runs it (a new process: imports and start-up included). The best time
counts (other work on the machine only ever slows a run down); all are printed, with the CPU
time of the in-process runs (the analysis is single-threaded, so on an idle machine its wall
time would equal its CPU time). Peak memory of
the analysing process is printed too: it stays far below the recording's size.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from leaktrace.rf.cfar import CfarConfig
from leaktrace.rf.sweep import SweepConfig, analyse
from leaktrace.rf.synth import EmitterSpec, SynthSpec, write_sigmf

ROOM = [
    EmitterSpec("tdma", -900e3, 15),
    EmitterSpec("fm", -600e3, 12),
    EmitterSpec("hopper", -300e3, 15, hop_span_hz=300e3),
    EmitterSpec("ofdm", 550e3, 5),
]


def timed(meta: Path, config: SweepConfig, repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each run (single-threaded: CPU time is what an idle
    machine's wall clock would show)."""
    walls, cpus = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        analyse(str(meta), config)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return walls, cpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--datatype", default="ci16_le")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        spec = SynthSpec(duration_s=args.seconds, emitters=ROOM, datatype=args.datatype, seed=3)
        meta = write_sigmf(Path(temp) / "room", spec)
        size = meta.with_suffix(".sigmf-data").stat().st_size
        print(
            f"recording: {args.seconds:g} s at 2.4 MS/s, {args.datatype}, {size / 1e6:.0f} MB; "
            f"{os.cpu_count()} cores"
        )
        print("\n| analysis | wall runs (s) | best wall (s) | x real time | best CPU (s) | x |")
        print("|---|---|---|---|---|---|")
        for kind in ("ca", "os"):
            walls, cpus = timed(meta, SweepConfig(cfar=CfarConfig(kind=kind)), args.repeat)
            best, cpu = min(walls), min(cpus)
            runs = ", ".join(f"{t:.2f}" for t in walls)
            print(
                f"| {kind.upper()}-CFAR | {runs} | {best:.2f} | {args.seconds / best:.1f} | "
                f"{cpu:.2f} | {args.seconds / cpu:.1f} |"
            )
        command = [sys.executable, "-m", "leaktrace", "rf", "sweep", "--no-store", str(meta)]
        runs_cli = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            subprocess.run(command, capture_output=True, check=False)
            runs_cli.append(time.perf_counter() - started)
        best = min(runs_cli)
        runs = ", ".join(f"{t:.2f}" for t in runs_cli)
        factor = args.seconds / best
        print(f"| `leaktrace rf sweep` (new process) | {runs} | {best:.2f} | {factor:.1f} | | |")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\npeak memory of this process: {peak:.0f} MB (recording: {size / 1e6:.0f} MB)")


if __name__ == "__main__":
    main()
