"""`leaktrace rf sweep` as a user runs it: outputs, the store, exit codes and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from leaktrace.cli.main import main
from leaktrace.rf.synth import EmitterSpec
from leaktrace.store import Store
from tests.rf.conftest import MakeRecording

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run(capsys: pytest.CaptureFixture[str], home: Path, *args: str) -> tuple[int, str, str]:
    """The real entry point, in-process: (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as exited:
        main(["--home", str(home), "--db", f"sqlite:///{home / 'lt.db'}", *args])
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


@pytest.fixture
def bug(make_recording: MakeRecording) -> Path:
    return make_recording("bug", emitters=[EmitterSpec("fm", 150e3, 15)])


@pytest.fixture
def quiet(make_recording: MakeRecording) -> Path:
    return make_recording("quiet", seed=5)


def test_jsonl_carries_every_rf_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bug: Path
) -> None:
    code, out, err = run(capsys, tmp_path, "rf", "sweep", "--format", "jsonl", str(bug))
    assert code == 1, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 1
    record = lines[0]
    assert (record["detector"], record["rule"], record["severity"]) == (
        "rf",
        "unauthorized-transmitter",
        "high",
    )
    for name in ("center_hz", "bandwidth_hz", "first_seen", "last_seen", "duty_cycle", "peak_dbfs"):
        assert isinstance(record["details"][name], float | int), name
    assert record["details"]["center_hz"] == pytest.approx(434.07e6, abs=5e3)


def test_findings_are_recorded_in_the_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bug: Path, quiet: Path
) -> None:
    code, out, _ = run(capsys, tmp_path, "rf", "sweep", str(bug), str(quiet))
    assert code == 1
    assert "unauthorized" in out and "1 finding: 1 high" in out
    with Store.open(f"sqlite:///{tmp_path / 'lt.db'}") as store:
        scans = store.scans()
        assert len(scans) == 1
        assert scans[0].roots == [str(bug), str(quiet)]
        stored = store.findings(scan_id=scans[0].id, detector="rf")
    assert len(stored) == 1
    assert stored[0].finding.details["duty_cycle"] > 0.9


def test_no_store_records_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bug: Path
) -> None:
    code, _, _ = run(capsys, tmp_path, "rf", "sweep", "--no-store", str(bug))
    assert code == 1
    assert not (tmp_path / "lt.db").exists()


def test_exit_codes_follow_fail_on(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bug: Path, quiet: Path
) -> None:
    assert run(capsys, tmp_path, "rf", "sweep", "--no-store", str(quiet))[0] == 0
    assert (
        run(capsys, tmp_path, "rf", "sweep", "--no-store", "--fail-on", "never", str(bug))[0] == 0
    )
    assert (
        run(capsys, tmp_path, "rf", "sweep", "--no-store", "--fail-on", "critical", str(bug))[0]
        == 0
    )
    assert run(capsys, tmp_path, "rf", "sweep", "--no-store", "--fail-on", "high", str(bug))[0] == 1


def test_allowlist_silences_an_authorized_emitter(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bug: Path
) -> None:
    allow = tmp_path / "room.toml"
    allow.write_text(
        '[[transmitter]]\nname = "tour guide"\nlow_hz = 434.05e6\nhigh_hz = 434.09e6\n'
    )
    code, out, _ = run(
        capsys, tmp_path, "rf", "sweep", "--no-store", "--allow", str(allow), str(bug)
    )
    assert code == 0
    assert "allowed" in out and "No findings." in out


def test_plot_is_a_valid_png(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bug: Path, quiet: Path
) -> None:
    plot = tmp_path / "room.png"
    code, _, err = run(
        capsys, tmp_path, "rf", "sweep", "--no-store", "--plot", str(plot), str(bug), str(quiet)
    )
    assert code == 1, err
    assert plot.read_bytes().startswith(PNG_SIGNATURE)
    with Image.open(plot) as image:
        image.verify()
    with Image.open(plot) as image:
        assert image.size[0] > 500 and image.size[1] > 500


def test_os_cfar_and_fft_size_options(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bug: Path
) -> None:
    code, out, _ = run(
        capsys,
        tmp_path,
        "rf",
        "sweep",
        "--no-store",
        "--cfar",
        "os",
        "--fft",
        "2048",
        "--format",
        "jsonl",
        str(bug),
    )
    assert code == 1
    assert json.loads(out)["details"]["bandwidth_hz"] < 40e3


# -- bad input: exit 2, one line naming the file, nothing reported --------------------------


def _refused(capsys: pytest.CaptureFixture[str], home: Path, name: str, *args: str) -> str:
    code, out, err = run(capsys, home, "rf", "sweep", *args)
    assert code == 2
    assert out == ""  # nothing is half-reported
    assert err.count("\n") == 1 and err.startswith("leaktrace: ")
    assert name in err
    assert "Traceback" not in err
    assert not (home / "lt.db").exists()
    return err


def test_a_missing_data_file_stops_the_sweep(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bug: Path, quiet: Path
) -> None:
    (tmp_path / "quiet.sigmf-data").unlink()
    err = _refused(capsys, tmp_path, "quiet.sigmf-meta", str(bug), str(quiet))
    assert "missing" in err


def test_a_truncated_recording_stops_the_sweep(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bug: Path
) -> None:
    data = tmp_path / "bug.sigmf-data"
    data.write_bytes(data.read_bytes()[:-1])
    assert "truncated" in _refused(capsys, tmp_path, "bug.sigmf-data", str(bug))


def test_a_wrong_datatype_stops_the_sweep(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bug: Path
) -> None:
    document = json.loads(bug.read_text())
    document["global"]["core:datatype"] = "ci16"
    bug.write_text(json.dumps(document))
    assert "datatype" in _refused(capsys, tmp_path, "bug.sigmf-meta", str(bug))


def test_invalid_metadata_stops_the_sweep(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bug: Path
) -> None:
    document = json.loads(bug.read_text())
    document["global"]["core:sample_rate"] = "fast"
    bug.write_text(json.dumps(document))
    assert "does not validate" in _refused(capsys, tmp_path, "bug.sigmf-meta", str(bug))


def test_a_broken_allowlist_stops_the_sweep(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bug: Path
) -> None:
    allow = tmp_path / "room.toml"
    allow.write_text("[[transmitter]]\nname = ")
    _refused(capsys, tmp_path, "room.toml", "--allow", str(allow), str(bug))


def test_plot_into_a_missing_folder_is_refused_up_front(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bug: Path
) -> None:
    _refused(capsys, tmp_path, "nowhere", "--plot", str(tmp_path / "nowhere" / "x.png"), str(bug))


def test_help_teaches(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, tmp_path, "rf", "sweep", "--help")
    assert code == 0
    for phrase in ("SigMF", "rtl_power", "--allow", "--plot", "--pfa", "Exit status"):
        assert phrase in out
