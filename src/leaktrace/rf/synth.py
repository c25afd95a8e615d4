"""Synthetic recordings with known emitters, for the tests and the benchmarks.

Each emitter is a small stateful generator of unit-power complex baseband samples, scaled to
an in-band signal-to-noise ratio (signal power over the noise power within the emitter's
bandwidth, while it transmits) and shifted to its frequency offset:

    tdma     a GSM-like phone: GMSK-ish bursts of 0.577 ms every 4.615 ms, 200 kHz
    ofdm     an LTE-like uplink: QPSK subcarriers 9.375 kHz apart, cyclic prefix, 1.08 MHz
    fm       a room bug: narrowband FM of a voice-like tone mix, 16 kHz
    hopper   a frequency hopper: 2-FSK, 25 kHz, hopping over 8 channels every 5 ms
    cw       an unmodulated carrier
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np

EmitterKind = Literal["tdma", "ofdm", "fm", "hopper", "cw"]
BANDWIDTH_HZ: dict[str, float] = {
    "tdma": 200e3,
    "ofdm": 1.08e6,
    "fm": 16e3,
    "hopper": 25e3,
    "cw": 1.0,
}
CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class EmitterSpec:
    """One emitter: its kind, where it sits relative to the tuned frequency, how strong."""

    kind: EmitterKind
    offset_hz: float
    snr_db: float
    hop_span_hz: float = 800e3  # hopper: the hopping channels spread over this span
    width_hz: float | None = None  # ofdm: occupied bandwidth, instead of the default

    @property
    def bandwidth_hz(self) -> float:
        return self.width_hz or BANDWIDTH_HZ[self.kind]


@dataclass
class SynthSpec:
    """A recording to synthesize."""

    sample_rate: float = 2.4e6
    duration_s: float = 0.25
    noise_dbfs: float = -30.0
    emitters: Sequence[EmitterSpec] = ()
    center_hz: float = 433.92e6
    seed: int = 1
    datatype: str = "ci16_le"
    start: datetime | None = None
    captures: Sequence[tuple[int, float]] = field(default_factory=tuple)  # (sample, centre Hz)

    @property
    def samples(self) -> int:
        return round(self.sample_rate * self.duration_s)


def synthesize(spec: SynthSpec) -> Iterator[np.ndarray]:
    """The recording's complex samples (before quantization), in chunks."""
    rng = np.random.default_rng(spec.seed)
    noise_power = 10 ** (spec.noise_dbfs / 10)
    generators = [_generator(e, spec.sample_rate, rng) for e in spec.emitters]
    gains = [
        np.sqrt(10 ** (e.snr_db / 10) * noise_power * min(1.0, e.bandwidth_hz / spec.sample_rate))
        for e in spec.emitters
    ]
    for start in range(0, spec.samples, CHUNK):
        n = min(CHUNK, spec.samples - start)
        scale = np.sqrt(noise_power / 2)
        chunk = (rng.standard_normal(n) + 1j * rng.standard_normal(n)) * scale
        for generator, gain in zip(generators, gains, strict=True):
            chunk += gain * generator.next(start, n)
        yield chunk.astype(np.complex64)


def write_sigmf(base: Path, spec: SynthSpec, extra_global: dict[str, Any] | None = None) -> Path:
    """Write ``base``.sigmf-data and ``base``.sigmf-meta; returns the metadata's path."""
    data_path = base.with_name(base.name + ".sigmf-data")
    is_complex = spec.datatype.startswith("c")
    with data_path.open("wb") as stream:
        offset = 0
        for chunk in synthesize(spec):
            values = chunk if is_complex else _to_real(chunk, offset)
            stream.write(quantize(values, spec.datatype).tobytes())
            offset += chunk.size
    meta_path = base.with_name(base.name + ".sigmf-meta")
    meta_path.write_text(json.dumps(sigmf_metadata(spec, extra_global), indent=2))
    return meta_path


def sigmf_metadata(spec: SynthSpec, extra_global: dict[str, Any] | None = None) -> dict[str, Any]:
    captures = spec.captures or [(0, spec.center_hz)]
    capture_list = []
    for index, (sample, center) in enumerate(captures):
        capture: dict[str, Any] = {"core:sample_start": sample, "core:frequency": center}
        if spec.start is not None and index == 0:
            capture["core:datetime"] = spec.start.isoformat().replace("+00:00", "Z")
        capture_list.append(capture)
    annotations = [
        {
            "core:sample_start": 0,
            "core:sample_count": spec.samples,
            "core:freq_lower_edge": captures[0][1] + e.offset_hz - e.bandwidth_hz / 2,
            "core:freq_upper_edge": captures[0][1] + e.offset_hz + e.bandwidth_hz / 2,
            "core:label": f"synthetic {e.kind}",
        }
        for e in spec.emitters
    ]
    return {
        "global": {
            "core:datatype": spec.datatype,
            "core:sample_rate": spec.sample_rate,
            "core:version": "1.0.0",
            "core:description": "LeakTrace synthetic sweep",
            **(extra_global or {}),
        },
        "captures": capture_list,
        "annotations": annotations,
    }


def quantize(values: np.ndarray, datatype: str) -> np.ndarray:
    """Samples in [-1, 1) as the SigMF datatype's bytes (components interleaved)."""
    parts = values.view(np.float32) if np.iscomplexobj(values) else values.astype(np.float32)
    kind, order = datatype.split("_", maxsplit=1)[0], ">" if datatype.endswith("_be") else "<"
    fmt, bits = kind[1], int(kind[2:])
    if fmt == "f":
        return parts.astype(f"{order}f{bits // 8}")
    full = 2 ** (bits - 1)
    scaled = np.round(parts.astype(np.float64) * full)
    if fmt == "u":
        return np.asarray(np.clip(scaled + full, 0, 2 * full - 1).astype(f"{order}u{bits // 8}"))
    return np.asarray(np.clip(scaled, -full, full - 1).astype(f"{order}i{bits // 8}"))


def _to_real(chunk: np.ndarray, offset: int) -> np.ndarray:
    """A real recording of the same band: shifted up by a quarter of the rate, real part."""
    n = np.arange(offset, offset + chunk.size)
    quarter = np.exp(0.5j * np.pi * (n % 4))
    return np.asarray(np.sqrt(2.0) * (chunk * quarter).real, dtype=np.float32)


def write_rtl_power(
    path: Path,
    sweeps: int,
    low_hz: float,
    high_hz: float,
    step_hz: float,
    emitters: Sequence[tuple[float, float, float]] = (),
    averages: int = 16,
    hop_hz: float = 1e6,
    seed: int = 1,
    start: datetime | None = None,
) -> None:
    """An rtl_power-style CSV of noise (mean 0 dB) plus ``(centre Hz, width Hz, SNR dB)``."""
    rng = np.random.default_rng(seed)
    moment = start or datetime(2026, 1, 5, 9, 0, 0)
    lines = []
    for sweep in range(sweeps):
        stamp = (moment.replace(second=0) if sweep == 0 else moment).timestamp() + 10 * sweep
        when = datetime.fromtimestamp(stamp)
        for hop_low in np.arange(low_hz, high_hz, hop_hz):
            hop_high = min(hop_low + hop_hz, high_hz)
            bins = round((hop_high - hop_low) / step_hz)
            freqs = hop_low + step_hz * np.arange(bins)
            power = rng.gamma(averages, 1.0 / averages, bins)
            for centre, width, snr_db in emitters:
                inside = np.abs(freqs - centre) <= width / 2
                power[inside] += 10 ** (snr_db / 10)
            values = ", ".join(f"{10 * np.log10(p):.2f}" for p in power)
            lines.append(
                f"{when:%Y-%m-%d}, {when:%H:%M:%S}, {hop_low:.0f}, {hop_high:.0f}, "
                f"{step_hz:.2f}, {averages}, {values}"
            )
    path.write_text("\n".join(lines) + "\n")


# -- emitters ---------------------------------------------------------------------------------


class _Emitter:
    """Unit-power samples ``[start, start + n)``; calls come in order."""

    def __init__(self, spec: EmitterSpec, rate: float, rng: np.random.Generator) -> None:
        self.spec = spec
        self.rate = rate
        self.rng = rng
        self.phase = 0.0

    def next(self, start: int, n: int) -> np.ndarray:
        base = self.baseband(start, n)
        t = (start + np.arange(n)) / self.rate
        return np.asarray(base * np.exp(2j * np.pi * self.spec.offset_hz * t))

    def baseband(self, start: int, n: int) -> np.ndarray:
        return np.ones(n, dtype=np.complex128)

    def _integrate(self, frequency_hz: np.ndarray) -> np.ndarray:
        """Continuous-phase modulation: integrate the instantaneous frequency."""
        phase = self.phase + 2 * np.pi * np.cumsum(frequency_hz) / self.rate
        self.phase = float(phase[-1] % (2 * np.pi))
        return np.asarray(np.exp(1j * phase))


class _Tdma(_Emitter):
    bit_rate = 270_833.0
    frame_s = 4.615e-3
    slot_s = 0.577e-3

    def baseband(self, start: int, n: int) -> np.ndarray:
        t = (start + np.arange(n)) / self.rate
        bit_index = np.floor(t * self.bit_rate).astype(np.int64)
        bits = self.rng.integers(0, 2, bit_index[-1] - bit_index[0] + 1) * 2 - 1
        frequency = bits[bit_index - bit_index[0]] * self.bit_rate / 4  # MSK: h = 0.5
        smooth = max(1, round(self.rate / self.bit_rate))
        frequency = np.convolve(frequency, np.ones(smooth) / smooth, mode="same")
        into = t % self.frame_s
        # Power ramps up and down over 10 us, as a phone's power-versus-time mask requires.
        ramp = 10e-6
        envelope = np.clip(into / ramp, 0, 1) * np.clip((self.slot_s - into) / ramp, 0, 1)
        return self._integrate(frequency) * envelope


class _Ofdm(_Emitter):
    fft = 256
    prefix = 18

    def __init__(self, spec: EmitterSpec, rate: float, rng: np.random.Generator) -> None:
        super().__init__(spec, rate, rng)
        spacing = rate / self.fft
        half = max(1, round(spec.bandwidth_hz / 2 / spacing))
        # Uplink (SC-FDMA-like): no empty subcarrier at the centre, unlike a downlink.
        self.carriers = np.arange(-half, half) % self.fft
        self.buffer = np.empty(0, dtype=np.complex128)

    def baseband(self, start: int, n: int) -> np.ndarray:
        while self.buffer.size < n:
            symbols = 64
            grid = np.zeros((symbols, self.fft), dtype=np.complex128)
            qpsk = (self.rng.integers(0, 2, (symbols, self.carriers.size)) * 2 - 1) + 1j * (
                self.rng.integers(0, 2, (symbols, self.carriers.size)) * 2 - 1
            )
            grid[:, self.carriers] = qpsk / np.sqrt(2)
            body = np.fft.ifft(grid, axis=1) * self.fft / np.sqrt(self.carriers.size)
            with_prefix = np.concatenate([body[:, -self.prefix :], body], axis=1)
            self.buffer = np.concatenate([self.buffer, with_prefix.ravel()])
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out


class _Fm(_Emitter):
    deviation_hz = 5e3
    tones_hz = (400.0, 1100.0, 2300.0)

    def baseband(self, start: int, n: int) -> np.ndarray:
        t = (start + np.arange(n)) / self.rate
        audio = sum(np.sin(2 * np.pi * f * t + i) for i, f in enumerate(self.tones_hz))
        return self._integrate(self.deviation_hz * np.asarray(audio) / len(self.tones_hz))


class _Hopper(_Emitter):
    channels = 8
    dwell_s = 5e-3
    symbol_rate = 10e3
    deviation_hz = 6e3

    def __init__(self, spec: EmitterSpec, rate: float, rng: np.random.Generator) -> None:
        super().__init__(spec, rate, rng)
        span = spec.hop_span_hz
        self.frequencies = np.linspace(-span / 2, span / 2, self.channels)
        self.sequence = rng.permutation(np.tile(np.arange(self.channels), 64))

    def baseband(self, start: int, n: int) -> np.ndarray:
        t = (start + np.arange(n)) / self.rate
        hop = np.floor(t / self.dwell_s).astype(np.int64)
        carrier = self.frequencies[self.sequence[hop % self.sequence.size]]
        symbol = np.floor(t * self.symbol_rate).astype(np.int64)
        bits = self.rng.integers(0, 2, symbol[-1] - symbol[0] + 1) * 2 - 1
        return self._integrate(carrier + bits[symbol - symbol[0]] * self.deviation_hz)


def _generator(spec: EmitterSpec, rate: float, rng: np.random.Generator) -> _Emitter:
    kinds: dict[str, type[_Emitter]] = {
        "tdma": _Tdma,
        "ofdm": _Ofdm,
        "fm": _Fm,
        "hopper": _Hopper,
        "cw": _Emitter,
    }
    return kinds[spec.kind](spec, rate, rng)
