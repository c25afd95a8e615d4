"""`leaktrace rf`: radio sweeps of restricted rooms from software-defined-radio recordings."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

import click

from leaktrace.cli.common import (
    CommandError,
    fail_on_option,
    format_option,
    recording_options,
)
from leaktrace.cli.context import AppContext
from leaktrace.cli.scan import exit_code, record
from leaktrace.core.errors import UsageError
from leaktrace.rf import DEFAULT_PFA

if TYPE_CHECKING:  # the analysis (numpy, scipy) loads only when a sweep runs
    from leaktrace.rf.allowlist import Allowlist
    from leaktrace.rf.recording import Recording
    from leaktrace.rf.sweep import Analysis, SweepConfig


@click.group()
def rf() -> None:
    """Radio sweeps: find the transmitters in recordings of a restricted room.

    \b
    Examples:
      leaktrace rf sweep room12.sigmf-meta
      leaktrace rf sweep --allow room12.toml --plot room12.png room12.sigmf-meta
      leaktrace rf sweep --format jsonl survey.csv > emitters.jsonl
    """


@rf.command(short_help="Find unauthorized transmitters in SigMF recordings or rtl_power CSVs.")
@click.argument("recordings", nargs=-1, required=True, metavar="RECORDING...")
@click.option(
    "--allow",
    "allow_file",
    metavar="FILE",
    help="TOML allowlist: [[transmitter]] tables with name, low_hz, high_hz and an optional "
    'schedule = ["mon-fri 08:00-18:00"] (and timezone). Emitters it covers are not findings.',
)
@format_option("table", "jsonl")
@click.option(
    "-o",
    "--output",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="Write the report here instead of standard output.",
)
@click.option(
    "--plot",
    "plot_file",
    metavar="OUT.png",
    help="Also draw a spectrogram with every emitter marked (red: unauthorized).",
)
@fail_on_option
@click.option(
    "--pfa",
    type=click.FloatRange(1e-15, 1e-2),
    default=DEFAULT_PFA,
    show_default=True,
    help="False-alarm probability per spectrogram cell. Lower finds fewer weak emitters.",
)
@click.option(
    "--cfar",
    "cfar_kind",
    type=click.Choice(["ca", "os"]),
    default="ca",
    show_default=True,
    help="ca: cell averaging (fastest, best in clean spectrum); os: ordered statistic "
    "(robust when emitters crowd each other; slower).",
)
@click.option(
    "--fft",
    "nfft",
    type=click.Choice(["256", "512", "1024", "2048", "4096", "8192"]),
    default="1024",
    show_default=True,
    help="FFT size for SigMF recordings: more bins resolve narrower emitters, fewer resolve "
    "shorter bursts.",
)
@recording_options("sweep")
@click.pass_obj
def sweep(
    app: AppContext,
    recordings: tuple[str, ...],
    allow_file: str | None,
    output_format: str,
    output: TextIO,
    plot_file: str | None,
    fail_on: str,
    pfa: float,
    cfar_kind: str,
    nfft: str,
    no_store: bool,
    progress: bool | None,
) -> None:
    """Analyse RECORDING... and report every emitter the allowlist does not cover.

    A RECORDING is a SigMF recording (name its .sigmf-meta, its .sigmf-data or the base name;
    complex or real samples of any SigMF datatype, any number of captures) or an rtl_power CSV.
    Data files are memory-mapped and read in chunks, so their size does not matter.

    The spectrum is examined frame by frame and averaged over 16, 256 and all frames, with a
    CFAR threshold against neighbouring bins and a tracked noise floor, at the false-alarm
    probability --pfa per cell. Detections are grouped into emitters with centre frequency,
    bandwidth, first and last seen, duty cycle, peak and mean power, burstiness and the band
    they probably belong to (cellular uplinks, Wi-Fi, Bluetooth, ISM, common bug ranges).
    Frequency hoppers are reported as one emitter. See docs/rf.md.

    Every emitter that is not allowed is an `rf/unauthorized-transmitter` finding, recorded in
    the store like scan findings (see `leaktrace findings list`). A recording that cannot be
    read (missing data file, unknown datatype, truncated, invalid metadata) stops the sweep
    before anything is reported.

    \b
    Examples:
      leaktrace rf sweep room12.sigmf-meta
      leaktrace rf sweep --allow room12.toml --plot room12.png morning.sigmf-meta noon.sigmf-meta
      leaktrace rf sweep --format jsonl --fail-on never survey.csv > findings.jsonl

    Exit status: 0 nothing at or above --fail-on, 1 found something, 2 usage or operational error.
    """
    from leaktrace.cli.scanning import ScanOutcome
    from leaktrace.report.jsonl import write_jsonl
    from leaktrace.report.table import write_table
    from leaktrace.rf.allowlist import Allowlist
    from leaktrace.rf.cfar import CfarConfig, CfarKind
    from leaktrace.rf.recording import open_recording
    from leaktrace.rf.sweep import SweepConfig, findings

    allowlist = Allowlist.load(allow_file) if allow_file else Allowlist()
    plot_path = _plot_path(plot_file)
    kind = cast(CfarKind, cfar_kind)
    config = SweepConfig(nfft=int(nfft), cfar=CfarConfig(kind=kind, pfa=pfa))
    started = datetime.now(UTC)
    opened = [(path, open_recording(path)) for path in recordings]  # every file checked first
    try:
        analyses = _analyse_all(opened, config, progress)
    except KeyboardInterrupt:
        raise click.Abort from None  # one line, exit 2, nothing reported
    found = [finding for analysis in analyses for finding in findings(analysis, allowlist)]
    if plot_path is not None:
        _plot(analyses, plot_path, allowlist)
    if output_format == "jsonl":
        write_jsonl(found, output)
    else:
        _write_emitters(analyses, allowlist, output)
        write_table(found, output)
    if not no_store:
        outcome = ScanOutcome(
            findings=found,
            files=len(analyses),
            items=sum(len(a.emitters) for a in analyses),
            bytes_read=sum(a.bytes_read for a in analyses),
            started_at=started,
            finished_at=datetime.now(UTC),
        )
        record(app, outcome, recordings, allow_file)
    sys.exit(exit_code(found, fail_on))


def _plot_path(plot_file: str | None) -> Path | None:
    if plot_file is None:
        return None
    path = Path(plot_file)
    if not path.parent.is_dir():
        raise UsageError(f"--plot: no such folder: {path.parent}")
    return path


def _analyse_all(
    opened: Sequence[tuple[str, Recording]], config: SweepConfig, show: bool | None
) -> list[Analysis]:
    from rich.progress import TaskProgressColumn

    from leaktrace.cli.scanning import progress_bar
    from leaktrace.rf.recording import RecordingError
    from leaktrace.rf.sweep import analyse_recording

    total = sum(_size(recording) for _, recording in opened)
    bar = progress_bar(show, TaskProgressColumn())
    analyses = []
    with bar:
        task = bar.add_task("sweeping", total=total)
        for path, recording in opened:
            bar.update(task, description=Path(path).name)
            try:
                analyses.append(
                    analyse_recording(path, recording, config, lambda done: bar.advance(task, done))
                )
            except (OSError, ValueError) as error:  # the file changed or vanished under us
                raise RecordingError(f"{path}: could not be read ({error})") from None
    return analyses


def _size(recording: Recording) -> int:
    from leaktrace.rf.recording import IqRecording

    if isinstance(recording, IqRecording):
        return recording.data_bytes
    return recording.path.stat().st_size


def _plot(analyses: list[Analysis], path: Path, allowlist: Allowlist) -> None:
    from leaktrace.rf.plot import write_spectrogram

    try:
        write_spectrogram(analyses, path, allowlist.permits)
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror or error}") from None


def _write_emitters(analyses: list[Analysis], allowlist: Allowlist, stream: TextIO) -> None:
    """For people: every emitter, allowed or not, before the findings."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=stream, width=None if stream.isatty() else 160, highlight=False)
    for analysis in analyses:
        console.print(
            f"{analysis.path}: {analysis.duration_s:.2f} s, noise floor "
            f"{analysis.noise_dbfs:.1f} dBFS per bin, {len(analysis.emitters)} emitters"
        )
        if not analysis.emitters:
            continue
        table = Table(header_style="bold")
        for column in ("MHz", "width", "seen (s)", "duty", "peak dBFS", "status", "probably"):
            table.add_column(column, no_wrap=column != "probably")
        for emitter in analysis.emitters:
            allowed = allowlist.permits(emitter)
            table.add_row(
                f"{emitter.center_hz / 1e6:.4f}",
                f"{emitter.bandwidth_hz / 1e3:.1f} kHz",
                f"{emitter.first_seen_s:.3f}-{emitter.last_seen_s:.3f}",
                f"{emitter.duty_cycle:.0%}",
                f"{emitter.peak_dbfs:.1f}",
                "allowed" if allowed else "[red]unauthorized[/red]",
                (emitter.probable[0] if emitter.probable else "")
                + (f" (hopping, {emitter.hop_channels} channels)" if emitter.hopping else ""),
            )
        console.print(table)
