"""Reading SigMF recordings and rtl_power CSVs, and refusing every broken one by name."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from leaktrace.rf.recording import (
    IqRecording,
    PowerSweep,
    RecordingError,
    open_recording,
    verify_checksum,
)
from leaktrace.rf.synth import EmitterSpec, quantize, write_rtl_power
from tests.rf.conftest import MakeRecording

TONE = [EmitterSpec("cw", 200e3, 30)]


def _samples(recording: IqRecording) -> np.ndarray:
    return np.concatenate(
        [chunk for segment in recording.segments for chunk in recording.chunks(segment, 4096)]
    )


@pytest.mark.parametrize(
    "datatype",
    ["cf32_le", "cf64_be", "ci32_le", "ci16_le", "ci16_be", "ci8", "cu8", "cu16_le"],
)
def test_complex_datatypes_read_back_as_written(
    make_recording: MakeRecording, datatype: str
) -> None:
    meta = make_recording(emitters=TONE, datatype=datatype, duration_s=0.01)
    recording = open_recording(meta)
    assert isinstance(recording, IqRecording)
    assert recording.is_complex
    samples = _samples(recording)
    assert samples.dtype == np.complex64
    assert samples.size == 24_000
    raw = np.fromfile(
        recording.data_path, dtype=quantize(np.zeros(1, np.complex64), datatype).dtype
    )
    # The first samples, re-quantized, are the bytes on disk: scaling is the inverse of writing.
    assert np.array_equal(quantize(samples[:100], datatype), raw[:200])


@pytest.mark.parametrize("datatype", ["rf32_le", "ri16_le", "ru8"])
def test_real_datatypes_give_real_samples(make_recording: MakeRecording, datatype: str) -> None:
    meta = make_recording(emitters=TONE, datatype=datatype, duration_s=0.01)
    recording = open_recording(meta)
    assert isinstance(recording, IqRecording)
    assert not recording.is_complex
    samples = _samples(recording)
    assert samples.dtype == np.float32
    assert samples.size == 24_000


@pytest.mark.parametrize("suffix", [".sigmf-meta", ".sigmf-data", ""])
def test_a_recording_opens_by_any_of_its_names(make_recording: MakeRecording, suffix: str) -> None:
    meta = make_recording(duration_s=0.01)
    base = meta.with_name("room")
    recording = open_recording(str(base) + suffix)
    assert isinstance(recording, IqRecording)
    assert recording.path == meta


def test_captures_become_segments_with_their_tuning_and_time(
    make_recording: MakeRecording,
) -> None:
    start = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    meta = make_recording(duration_s=0.02, captures=[(0, 433.9e6), (24_000, 868.3e6)], start=start)
    recording = open_recording(meta)
    assert isinstance(recording, IqRecording)
    assert [s.sample_count for s in recording.segments] == [24_000, 24_000]
    assert [s.center_hz for s in recording.segments] == [433.9e6, 868.3e6]
    assert recording.segments[1].byte_offset == 24_000 * 4
    assert recording.segments[0].start_time == start
    assert recording.annotations == ()


def test_header_bytes_of_a_non_conforming_dataset_are_skipped(tmp_path: Path) -> None:
    samples = (np.arange(64) % 7).astype("<i2")
    (tmp_path / "capture.raw").write_bytes(b"HEADER!!" + samples.tobytes())
    meta = tmp_path / "capture.sigmf-meta"
    meta.write_text(
        json.dumps(
            {
                "global": {
                    "core:datatype": "ci16_le",
                    "core:sample_rate": 1e6,
                    "core:version": "1.0.0",
                    "core:dataset": "capture.raw",
                },
                "captures": [{"core:sample_start": 0, "core:header_bytes": 8}],
                "annotations": [],
            }
        )
    )
    recording = open_recording(meta)
    assert isinstance(recording, IqRecording)
    assert recording.sample_count == 32
    values = _samples(recording)
    assert np.allclose(values.view(np.float32) * 32768, samples)


def test_a_matching_checksum_passes(make_recording: MakeRecording, tmp_path: Path) -> None:
    meta = make_recording(duration_s=0.01)
    digest = hashlib.sha512((tmp_path / "room.sigmf-data").read_bytes()).hexdigest()
    document = json.loads(meta.read_text())
    document["global"]["core:sha512"] = digest
    meta.write_text(json.dumps(document))
    recording = open_recording(meta)
    assert isinstance(recording, IqRecording)
    verify_checksum(recording)


# -- bad input: one error naming the file -----------------------------------------------------


def _edit(meta: Path, change: dict[str, object], section: str = "global") -> None:
    document = json.loads(meta.read_text())
    document[section].update(change)
    meta.write_text(json.dumps(document))


def _refused(path: Path | str, *phrases: str) -> None:
    with pytest.raises(RecordingError) as error:
        recording = open_recording(path)
        if isinstance(recording, IqRecording):
            verify_checksum(recording)
    message = str(error.value)
    assert Path(path).name in message or Path(path).stem in message
    for phrase in phrases:
        assert phrase in message
    assert "\n" not in message


def test_missing_data_file(make_recording: MakeRecording, tmp_path: Path) -> None:
    meta = make_recording(duration_s=0.01)
    (tmp_path / "room.sigmf-data").unlink()
    _refused(meta, "data file room.sigmf-data is missing")


def test_missing_recording(tmp_path: Path) -> None:
    _refused(tmp_path / "nowhere.sigmf-meta", "no such file")


@pytest.mark.parametrize(
    ("datatype", "phrase"),
    [
        ("ci12_le", "does not validate"),  # not a SigMF datatype at all (schema)
        ("ci16", "needs _le or _be"),
        ("cf32_lexyz", "unknown SigMF datatype"),  # the schema's pattern is not anchored
        ("ci8_le", "takes no byte order"),
        ("cf16_le", "does not validate"),
    ],
)
def test_wrong_datatype(make_recording: MakeRecording, datatype: str, phrase: str) -> None:
    meta = make_recording(duration_s=0.01)
    _edit(meta, {"core:datatype": datatype})
    _refused(meta, phrase)


def test_truncated_partial_sample(make_recording: MakeRecording, tmp_path: Path) -> None:
    make_recording(duration_s=0.01)
    data = tmp_path / "room.sigmf-data"
    data.write_bytes(data.read_bytes()[:-3])
    _refused(data, "truncated", "not a whole number")


def test_truncated_before_a_capture(make_recording: MakeRecording, tmp_path: Path) -> None:
    meta = make_recording(duration_s=0.02, captures=[(0, 433.9e6), (24_000, 868.3e6)])
    data = tmp_path / "room.sigmf-data"
    data.write_bytes(data.read_bytes()[: 20_000 * 4])
    _refused(meta, "truncated", "capture starts at sample 24000")


def test_truncated_before_an_annotation_ends(make_recording: MakeRecording, tmp_path: Path) -> None:
    meta = make_recording(emitters=TONE, duration_s=0.02)
    data = tmp_path / "room.sigmf-data"
    data.write_bytes(data.read_bytes()[: 40_000 * 4])
    _refused(meta, "truncated", "annotation ends at sample 48000")


def test_truncated_against_its_checksum(make_recording: MakeRecording, tmp_path: Path) -> None:
    meta = make_recording(duration_s=0.01)
    data = tmp_path / "room.sigmf-data"
    digest = hashlib.sha512(data.read_bytes()).hexdigest()
    _edit(meta, {"core:sha512": digest})
    data.write_bytes(data.read_bytes()[:-4000])
    _refused(data, "core:sha512")


def test_empty_data_file(make_recording: MakeRecording, tmp_path: Path) -> None:
    meta = make_recording(duration_s=0.01)
    (tmp_path / "room.sigmf-data").write_bytes(b"")
    _refused(meta, "holds no samples")


@pytest.mark.parametrize(
    ("change", "section", "phrase"),
    [
        ({"core:version": 7}, "global", "core:version"),
        ({"core:sample_rate": "fast"}, "global", "core:sample_rate"),
        ({"core:num_channels": 2}, "global", "only one channel"),
        ({"core:dataset": "../elsewhere.bin"}, "global", "core:dataset"),
    ],
)
def test_metadata_that_does_not_validate(
    make_recording: MakeRecording, change: dict[str, object], section: str, phrase: str
) -> None:
    meta = make_recording(duration_s=0.01)
    _edit(meta, change, section)
    _refused(meta, phrase)


def test_capture_without_sample_start(make_recording: MakeRecording) -> None:
    meta = make_recording(duration_s=0.01)
    document = json.loads(meta.read_text())
    del document["captures"][0]["core:sample_start"]
    meta.write_text(json.dumps(document))
    _refused(meta, "does not validate", "sample_start")


def test_metadata_without_sample_rate(make_recording: MakeRecording) -> None:
    meta = make_recording(duration_s=0.01)
    document = json.loads(meta.read_text())
    del document["global"]["core:sample_rate"]
    meta.write_text(json.dumps(document))
    _refused(meta, "core:sample_rate is required")


def test_metadata_that_is_not_json(make_recording: MakeRecording) -> None:
    meta = make_recording(duration_s=0.01)
    meta.write_text('{"global": {')
    _refused(meta, "not valid JSON")


def test_capture_with_a_bad_datetime(make_recording: MakeRecording) -> None:
    meta = make_recording(duration_s=0.01)
    document = json.loads(meta.read_text())
    document["captures"][0]["core:datetime"] = "yesterday"
    meta.write_text(json.dumps(document))
    _refused(meta, "does not validate")


def test_archives_are_refused_with_advice(tmp_path: Path) -> None:
    archive = tmp_path / "room.sigmf"
    archive.write_bytes(b"\0" * 1024)
    _refused(archive, "unpack")


# -- rtl_power --------------------------------------------------------------------------------


def test_rtl_power_csv_is_assembled_into_sweeps(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    write_rtl_power(path, sweeps=3, low_hz=430e6, high_hz=433e6, step_hz=10e3)
    sweep = open_recording(path)
    assert isinstance(sweep, PowerSweep)
    assert sweep.power.shape == (3, 300)
    assert np.all(np.diff(sweep.freqs_hz) > 0)
    assert sweep.freqs_hz[0] == 430e6
    assert set(sweep.hop_of_bin.tolist()) == {0, 1, 2}
    assert len(sweep.times) == 3
    assert 0.8 < float(np.mean(sweep.power)) < 1.2  # noise at 0 dB


def _csv_lines(tmp_path: Path) -> tuple[Path, list[str]]:
    path = tmp_path / "survey.csv"
    write_rtl_power(path, sweeps=2, low_hz=430e6, high_hz=432e6, step_hz=10e3)
    return path, path.read_text().splitlines()


def test_rtl_power_truncated_line(tmp_path: Path) -> None:
    path, lines = _csv_lines(tmp_path)
    path.write_text("\n".join([*lines[:-1], lines[-1][: len(lines[-1]) // 2]]) + "\n")
    _refused(path, "truncated")


def test_rtl_power_missing_hop(tmp_path: Path) -> None:
    path, lines = _csv_lines(tmp_path)
    path.write_text("\n".join(lines[:-1]) + "\n")
    _refused(path, "truncated", "covers 1 of 2 hops")


def test_rtl_power_not_numbers(tmp_path: Path) -> None:
    path, lines = _csv_lines(tmp_path)
    path.write_text("\n".join([*lines[:-1], lines[-1].replace(", ", ", x", 8)]) + "\n")
    _refused(path, "bad number")


def test_rtl_power_with_too_few_bins(tmp_path: Path) -> None:
    path = tmp_path / "narrow.csv"
    write_rtl_power(path, sweeps=2, low_hz=430e6, high_hz=430.2e6, step_hz=10e3)
    _refused(path, "fewer than 64 frequency bins")


def test_rtl_power_binary_garbage(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_bytes(bytes(range(256)) * 4)
    _refused(path, "survey.csv")
