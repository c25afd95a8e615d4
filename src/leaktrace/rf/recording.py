"""Reading radio recordings: SigMF (memory-mapped, in chunks) and rtl_power CSV sweeps.

Every problem with a recording is a ``RecordingError`` whose message starts with the file's
name, raised before any of it is analysed: a missing data file, a datatype SigMF does not
define, metadata that does not validate against the SigMF schema, or a recording shorter than
its metadata says (a partial sample, a capture or annotation past the end, a failed SHA-512).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from leaktrace.core.errors import LeakTraceError

META_SUFFIX = ".sigmf-meta"
DATA_SUFFIX = ".sigmf-data"
CSV_SUFFIX = ".csv"
# The SigMF datatypes: complex or real; float, signed or unsigned; 8-bit types have no byte order.
DATATYPE = re.compile(r"^(?P<kind>[cr])(?P<fmt>[fiu])(?P<bits>8|16|32|64)(?:_(?P<order>le|be))?$")
HASH_BLOCK = 8 << 20
# rtl_power's fixed-point FFT and hop edges make large averaging counts untrustworthy as
# independent spectra; treating a cell as fewer averages raises the threshold (fewer alarms).
MAX_CSV_AVERAGES = 16
MIN_CSV_BINS = 64  # the CFAR needs neighbours on both sides of a bin


class RecordingError(LeakTraceError):
    """A recording that cannot be read; the message names the file."""


@dataclass(frozen=True, slots=True)
class Segment:
    """One SigMF capture: samples recorded at one tuning, from one start time."""

    index: int
    start_sample: int
    sample_count: int
    byte_offset: int
    center_hz: float
    start_time: datetime | None


@dataclass(frozen=True, slots=True)
class Annotation:
    """A SigMF annotation: a labelled span of samples, optionally of frequencies."""

    start_sample: int
    sample_count: int | None
    low_hz: float | None
    high_hz: float | None
    label: str


@dataclass(frozen=True)
class IqRecording:
    """A SigMF recording of complex or real samples, read lazily from its data file."""

    path: Path
    data_path: Path
    sample_rate: float
    datatype: str
    is_complex: bool
    segments: tuple[Segment, ...]
    annotations: tuple[Annotation, ...]
    frequency_known: bool
    sha512: str | None

    @property
    def sample_count(self) -> int:
        return sum(segment.sample_count for segment in self.segments)

    @property
    def duration_s(self) -> float:
        return self.sample_count / self.sample_rate

    @property
    def sample_bytes(self) -> int:
        return _sample_size(self.datatype)

    @property
    def data_bytes(self) -> int:
        return self.sample_count * self.sample_bytes

    def chunks(self, segment: Segment, chunk_samples: int) -> Iterator[np.ndarray]:
        """The segment's samples as complex64 (or float32 for real data), in chunks.

        Each chunk of the data file is memory-mapped on its own and released before the next,
        so a recording of any size needs only about one chunk of memory.
        """
        info = DATATYPE.match(self.datatype)
        assert info is not None  # checked when the recording was opened
        dtype = _component_dtype(self.datatype)
        per_sample = 2 if self.is_complex else 1
        for start in range(0, segment.sample_count, chunk_samples):
            count = min(chunk_samples, segment.sample_count - start)
            mapped = np.memmap(
                self.data_path,
                dtype=dtype,
                mode="r",
                offset=segment.byte_offset + start * self.sample_bytes,
                shape=(count * per_sample,),
            )
            samples = _to_float(mapped, info["fmt"], int(info["bits"]), self.is_complex)
            del mapped  # unmap: the converted copy is all that is needed
            yield samples


@dataclass(frozen=True)
class PowerSweep:
    """An rtl_power CSV: power in each frequency bin, one row per sweep, in linear units."""

    path: Path
    freqs_hz: np.ndarray
    bin_hz: float
    times: tuple[datetime, ...]
    power: np.ndarray
    averages: int
    hop_of_bin: np.ndarray


Recording = IqRecording | PowerSweep


def open_recording(path: str | Path) -> Recording:
    """Open a SigMF recording (its .sigmf-meta, .sigmf-data or base name) or an rtl_power CSV."""
    given = Path(path)
    name = given.name.lower()
    if name.endswith(CSV_SUFFIX):
        return read_rtl_power(given)
    if name.endswith(".sigmf"):
        raise RecordingError(f"{given}: SigMF archives are not read directly; unpack it (tar xf)")
    if name.endswith(DATA_SUFFIX):
        meta = given.with_name(given.name[: -len(DATA_SUFFIX)] + META_SUFFIX)
    elif name.endswith(META_SUFFIX):
        meta = given
    else:
        meta = given.with_name(given.name + META_SUFFIX)
    if not meta.is_file():
        if not given.exists():
            raise RecordingError(f"{given}: no such file")
        raise RecordingError(f"{given}: not a SigMF recording or rtl_power CSV (no {meta.name})")
    return read_sigmf(meta)


# -- SigMF ------------------------------------------------------------------------------------


def read_sigmf(meta_path: Path) -> IqRecording:
    """Validate a SigMF metadata file and check its data file against it."""
    metadata = _load_json(meta_path)
    _validate_sigmf(meta_path, metadata)
    info = metadata["global"]
    datatype = _checked_datatype(meta_path, info["core:datatype"])
    sample_rate = info.get("core:sample_rate")
    if not isinstance(sample_rate, int | float) or not math.isfinite(sample_rate):
        raise RecordingError(f"{meta_path}: core:sample_rate is required")
    if sample_rate <= 0:
        raise RecordingError(f"{meta_path}: core:sample_rate must be positive")
    channels = info.get("core:num_channels", 1)
    if channels != 1:
        raise RecordingError(f"{meta_path}: {channels} channels; only one channel is supported")
    data_path = _data_path(meta_path, info)
    captures = metadata.get("captures") or [{"core:sample_start": 0}]
    segments = _segments(meta_path, data_path, info, captures, datatype)
    total = sum(segment.sample_count for segment in segments)
    annotations = _annotations(meta_path, metadata.get("annotations") or [], total)
    return IqRecording(
        path=meta_path,
        data_path=data_path,
        sample_rate=float(sample_rate),
        datatype=datatype,
        is_complex=datatype.startswith("c"),
        segments=segments,
        annotations=annotations,
        frequency_known=all("core:frequency" in capture for capture in captures),
        sha512=info.get("core:sha512"),
    )


def verify_checksum(recording: IqRecording) -> None:
    """Compare the data file with core:sha512, when the metadata has one."""
    if not recording.sha512:
        return
    digest = hashlib.sha512()
    with recording.data_path.open("rb") as stream:
        while block := stream.read(HASH_BLOCK):
            digest.update(block)
    if digest.hexdigest() != recording.sha512.lower():
        raise RecordingError(
            f"{recording.data_path}: does not match core:sha512 in {recording.path.name} "
            "(truncated or altered)"
        )


def _load_json(meta_path: Path) -> dict[str, Any]:
    try:
        text = meta_path.read_text(encoding="utf-8")
        metadata = json.loads(text)
    except OSError as error:
        raise RecordingError(f"{meta_path}: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RecordingError(f"{meta_path}: not valid JSON ({error})") from None
    if not isinstance(metadata, dict):
        raise RecordingError(f"{meta_path}: SigMF metadata must be a JSON object")
    return metadata


def _validate_sigmf(meta_path: Path, metadata: dict[str, Any]) -> None:
    """The sigmf package's schema check; its errors become one line naming the file."""
    import jsonschema
    from sigmf.error import SigMFError
    from sigmf.schema import get_schema
    from sigmf.validate import validate

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # undeclared extensions are allowed to pass
            validate(metadata, get_schema())
    except jsonschema.ValidationError as error:
        where = error.json_path.removeprefix("$.") or "metadata"
        raise RecordingError(
            f"{meta_path}: metadata does not validate: {where}: {error.message[:160]}"
        ) from None
    except (SigMFError, KeyError, TypeError, ValueError, AttributeError) as error:
        raise RecordingError(f"{meta_path}: metadata does not validate: {error}") from None


def _checked_datatype(meta_path: Path, datatype: str) -> str:
    match = DATATYPE.match(datatype)
    if match is None or (match["fmt"] == "f" and match["bits"] in ("8", "16")):
        raise RecordingError(f"{meta_path}: unknown SigMF datatype {datatype!r}")
    if match["bits"] == "8" and match["order"]:
        raise RecordingError(f"{meta_path}: 8-bit datatype {datatype!r} takes no byte order")
    if match["bits"] != "8" and not match["order"]:
        raise RecordingError(f"{meta_path}: datatype {datatype!r} needs _le or _be")
    return datatype


def _sample_size(datatype: str) -> int:
    match = DATATYPE.match(datatype)
    assert match is not None
    return int(match["bits"]) // 8 * (2 if match["kind"] == "c" else 1)


def _component_dtype(datatype: str) -> np.dtype[Any]:
    match = DATATYPE.match(datatype)
    assert match is not None
    order = ">" if match["order"] == "be" else "<"
    return np.dtype(f"{order}{match['fmt']}{int(match['bits']) // 8}")


def _to_float(raw: np.ndarray, fmt: str, bits: int, is_complex: bool) -> np.ndarray:
    """Scale fixed-point samples to [-1, 1) as SigMF intends; floats pass through."""
    values = raw.astype(np.float32)
    if fmt == "u":
        values -= np.float32(2 ** (bits - 1))
    if fmt != "f":
        values *= np.float32(2.0 ** -(bits - 1))
    if is_complex:
        return values.view(np.complex64)
    return values


def _data_path(meta_path: Path, info: dict[str, Any]) -> Path:
    dataset = info.get("core:dataset")
    if dataset is not None:
        # A non-conforming dataset is named by the metadata; it must sit beside it.
        if not isinstance(dataset, str) or Path(dataset).name != dataset or dataset in ("", ".."):
            raise RecordingError(f"{meta_path}: core:dataset must be a file name beside it")
        data_path = meta_path.with_name(dataset)
    else:
        data_path = meta_path.with_name(meta_path.name[: -len(META_SUFFIX)] + DATA_SUFFIX)
    if not data_path.is_file():
        raise RecordingError(f"{meta_path}: data file {data_path.name} is missing")
    return data_path


def _segments(
    meta_path: Path,
    data_path: Path,
    info: dict[str, Any],
    captures: list[dict[str, Any]],
    datatype: str,
) -> tuple[Segment, ...]:
    """Each capture's samples and where they start in the data file."""
    size = _sample_size(datatype)
    file_bytes = data_path.stat().st_size
    headers = [int(capture.get("core:header_bytes", 0)) for capture in captures]
    sample_bytes = file_bytes - int(info.get("core:trailing_bytes", 0)) - sum(headers)
    if sample_bytes < 0:
        raise RecordingError(f"{data_path}: truncated: shorter than its header and trailing bytes")
    total, partial = divmod(sample_bytes, size)
    if partial:
        raise RecordingError(
            f"{data_path}: truncated: {sample_bytes} bytes is not a whole number of "
            f"{datatype} samples ({size} bytes each)"
        )
    if total == 0:
        raise RecordingError(f"{data_path}: holds no samples")
    starts = [int(capture["core:sample_start"]) for capture in captures]
    if starts != sorted(set(starts)):
        raise RecordingError(f"{meta_path}: capture sample_start values must increase")
    if starts[-1] >= total:
        raise RecordingError(
            f"{data_path}: truncated: a capture starts at sample {starts[-1]} "
            f"but the file holds {total} samples"
        )
    segments = []
    header_total = 0
    for index, capture in enumerate(captures):
        header_total += headers[index]
        stop = starts[index + 1] if index + 1 < len(captures) else total
        segments.append(
            Segment(
                index=index,
                start_sample=starts[index],
                sample_count=stop - starts[index],
                byte_offset=header_total + starts[index] * size,
                center_hz=float(capture.get("core:frequency", 0.0)),
                start_time=_capture_time(meta_path, capture),
            )
        )
    return tuple(segment for segment in segments if segment.sample_count > 0)


def _capture_time(meta_path: Path, capture: dict[str, Any]) -> datetime | None:
    text = capture.get("core:datetime")
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        raise RecordingError(f"{meta_path}: core:datetime {text!r} is not ISO 8601") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _annotations(
    meta_path: Path, annotations: list[dict[str, Any]], total: int
) -> tuple[Annotation, ...]:
    found = []
    for annotation in annotations:
        start = int(annotation["core:sample_start"])
        count = annotation.get("core:sample_count")
        end = start + int(count) if count is not None else start
        if end > total:
            raise RecordingError(
                f"{meta_path}: truncated: an annotation ends at sample {end} "
                f"but the data file holds {total} samples"
            )
        found.append(
            Annotation(
                start_sample=start,
                sample_count=int(count) if count is not None else None,
                low_hz=_optional_float(annotation.get("core:freq_lower_edge")),
                high_hz=_optional_float(annotation.get("core:freq_upper_edge")),
                label=str(annotation.get("core:label") or annotation.get("core:comment") or ""),
            )
        )
    return tuple(found)


def _optional_float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


# -- rtl_power CSV ----------------------------------------------------------------------------


def read_rtl_power(path: Path) -> PowerSweep:
    """Parse an rtl_power CSV: ``date, time, Hz low, Hz high, Hz step, samples, dB, dB, ...``.

    Lines with the same date and time are the hops of one sweep; every sweep must cover the same
    hops, and every line must hold the bins its low, high and step promise.
    """
    sweeps: dict[str, dict[float, np.ndarray]] = {}
    layout: dict[float, tuple[float, int]] = {}
    averages: list[int] = []
    try:
        with path.open(encoding="ascii") as stream:
            for number, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                stamp, low, step, samples, values = _csv_line(path, number, line)
                hop = sweeps.setdefault(stamp, {})
                if low in hop:
                    raise RecordingError(f"{path}:{number}: hop at {low:.0f} Hz repeated")
                hop[low] = values
                layout.setdefault(low, (step, values.size))
                if layout[low] != (step, values.size):
                    raise RecordingError(f"{path}:{number}: hop at {low:.0f} Hz changed its bins")
                averages.append(samples)
    except OSError as error:
        raise RecordingError(f"{path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise RecordingError(f"{path}: not an rtl_power CSV (not ASCII text)") from None
    if not sweeps:
        raise RecordingError(f"{path}: holds no sweeps")
    return _assemble_sweeps(path, sweeps, layout, min(averages))


def _csv_line(path: Path, number: int, line: str) -> tuple[str, float, float, int, np.ndarray]:
    fields = [field.strip() for field in line.split(",")]
    if len(fields) < 7:
        raise RecordingError(f"{path}:{number}: truncated or not an rtl_power line")
    try:
        stamp = datetime.fromisoformat(f"{fields[0]}T{fields[1]}").isoformat()
        low, high, step = float(fields[2]), float(fields[3]), float(fields[4])
        samples = int(fields[5])
        values = np.array([float(value) for value in fields[6:]], dtype=np.float64)
    except ValueError:
        raise RecordingError(f"{path}:{number}: not an rtl_power line (bad number)") from None
    if not (step > 0 and high > low and samples > 0) or not np.all(np.isfinite(values)):
        raise RecordingError(f"{path}:{number}: not an rtl_power line (bad values)")
    expected = round((high - low) / step)
    if abs(values.size - expected) > 1:
        raise RecordingError(
            f"{path}:{number}: truncated: {values.size} bins where {expected} were expected"
        )
    return stamp, low, step, samples, values


def _assemble_sweeps(
    path: Path,
    sweeps: dict[str, dict[float, np.ndarray]],
    layout: dict[float, tuple[float, int]],
    samples: int,
) -> PowerSweep:
    lows = sorted(layout)
    if sum(layout[low][1] for low in lows) < MIN_CSV_BINS:
        raise RecordingError(f"{path}: fewer than {MIN_CSV_BINS} frequency bins to analyse")
    steps = {layout[low][0] for low in lows}
    if len(steps) != 1:
        raise RecordingError(f"{path}: hops use different bin widths")
    step = steps.pop()
    rows = []
    for stamp, hops in sweeps.items():
        if sorted(hops) != lows:
            raise RecordingError(
                f"{path}: truncated: the sweep at {stamp} covers {len(hops)} of {len(lows)} hops"
            )
        rows.append(np.concatenate([hops[low] for low in lows]))
    freqs = np.concatenate([low + step * np.arange(layout[low][1]) for low in lows])
    hop_of_bin = np.concatenate([np.full(layout[low][1], i) for i, low in enumerate(lows)])
    order = np.argsort(freqs, kind="stable")
    power = np.power(10.0, np.vstack(rows)[:, order] / 10.0)
    times = tuple(datetime.fromisoformat(stamp).replace(tzinfo=UTC) for stamp in sweeps)
    return PowerSweep(
        path=path,
        freqs_hz=freqs[order],
        bin_hz=step,
        times=times,
        power=power,
        averages=min(samples, MAX_CSV_AVERAGES),
        hop_of_bin=hop_of_bin[order],
    )
