"""`leaktrace scan` as a user runs it: a real process, real files, exit codes and outputs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from leaktrace.demo.builders import docx_bytes, email_bytes, nested_zip, tar_gz_bytes, zip_bytes

SCHEMA = Path(__file__).parents[2] / ".cache" / "sarif-schema-2.1.0.json"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def leaktrace(
    *args: str, home: Path, stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LEAKTRACE_HOME": str(home)}
    env.pop("LEAKTRACE_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "leaktrace", *args],
        input=stdin.decode("latin-1") if stdin is not None else None,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture
def outbox(tmp_path: Path) -> Path:
    root = tmp_path / "outbox"
    root.mkdir()
    memo = docx_bytes("Board memo\nTOP SECRET//NOFORN\nThe plan.")
    mail = email_bytes(
        "a@example.org", "b@example.org", "memo", "see attached", [("memo.docx", memo, DOCX)]
    )
    (root / "msg1.eml").write_bytes(mail)
    (root / "bundle.tar.gz").write_bytes(
        tar_gz_bytes(
            {
                "x/config.ini": b"[db]\npassword = Zr9!kPq2wLm7\n",
                "x/inner.zip": zip_bytes({"note.txt": b"Strictly confidential: keep quiet"}),
            }
        )
    )
    (root / "clean.txt").write_text("Nothing to see here.\n")
    (root / "deep.zip").write_bytes(nested_zip(b"SECRET", 20))
    (root / "empty.bin").write_bytes(b"")
    (root / "broken.zip").write_bytes(zip_bytes({"a.txt": b"hello"})[:40])
    return root


def jsonl(text: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_scan_finds_leaks_in_nested_containers(outbox: Path, tmp_path: Path) -> None:
    result = leaktrace("scan", "--format", "jsonl", str(outbox), home=tmp_path / "home")
    assert result.returncode == 1, result.stderr
    records = jsonl(result.stdout)
    found = {
        (
            Path(r["path"].split("!")[0]).name + "!" + "!".join(r["path"].split("!")[1:]),
            r["detector"],
            r["rule"],
        )
        for r in records
    }
    assert ("msg1.eml!memo.docx", "marking", "classification") in found
    assert ("bundle.tar.gz!bundle.tar!x/config.ini", "secret", "password-assignment") in found
    assert ("bundle.tar.gz!bundle.tar!x/inner.zip!note.txt", "marking", "handling") in found
    assert any(d == "limit" and rule == "depth" for _, d, rule in found)
    assert any(p.startswith("broken.zip") and d == "error" for p, d, _ in found)
    for record in records:
        assert {"path", "detector", "rule", "severity", "message"} <= set(record)
        assert record["severity"] in {"info", "low", "medium", "high", "critical"}
    secret = next(r for r in records if r["rule"] == "password-assignment")
    assert "Zr9!kPq2wLm7" not in result.stdout
    assert secret["line"] == 2


def test_parallel_and_serial_scans_agree(outbox: Path, tmp_path: Path) -> None:
    serial = leaktrace(
        "scan", "--no-store", "-j", "1", "--format", "jsonl", str(outbox), home=tmp_path
    )
    parallel = leaktrace(
        "scan", "--no-store", "-j", "2", "--format", "jsonl", str(outbox), home=tmp_path
    )
    assert serial.stdout == parallel.stdout
    assert serial.stdout


def test_fail_on_threshold(outbox: Path, tmp_path: Path) -> None:
    clean = outbox / "clean.txt"
    assert leaktrace("scan", "--no-store", str(clean), home=tmp_path).returncode == 0
    memo = outbox / "bundle.tar.gz"
    assert leaktrace("scan", "--no-store", str(memo), home=tmp_path).returncode == 1
    assert (
        leaktrace(
            "scan", "--no-store", "--fail-on", "critical", str(memo), home=tmp_path
        ).returncode
        == 0
    )
    assert (
        leaktrace("scan", "--no-store", "--fail-on", "never", str(memo), home=tmp_path).returncode
        == 0
    )


def test_sarif_output_validates(outbox: Path, tmp_path: Path) -> None:
    result = leaktrace("scan", "--no-store", "--format", "sarif", str(outbox), home=tmp_path)
    log = json.loads(result.stdout)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    assert log["runs"][0]["results"]


def test_stdin_binary_garbage_is_quiet(tmp_path: Path) -> None:
    garbage = bytes(range(256)) * 64
    result = leaktrace("scan", "--no-store", "--format", "jsonl", "-", home=tmp_path, stdin=garbage)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_stdin_mail_is_scanned(tmp_path: Path) -> None:
    mail = email_bytes("a@example.org", "b@example.org", "x", "Internal use only\n")
    result = leaktrace("scan", "--no-store", "--format", "jsonl", "-", home=tmp_path, stdin=mail)
    [record] = jsonl(result.stdout)
    assert (record["path"], record["rule"]) == ("-", "handling")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scan", "/no/such/path"], "no such file or directory: /no/such/path"),
        (["scan", "--policy", "/no/policy.toml", "."], "policy file not found"),
        (["scan", "--format", "xml", "."], "Invalid value for '--format'"),
        (["scan"], "Missing argument"),
        (["scan", "-", "-"], "only once"),
        (["findings", "show", "999999"], "999999"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = leaktrace(*args, home=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_bad_policy_content_is_one_line(tmp_path: Path) -> None:
    policy = tmp_path / "p.toml"
    policy.write_text("[limits]\nmax_depth = 'x'\n")
    result = leaktrace("scan", "--policy", str(policy), str(tmp_path), home=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_policy_disables_rules_and_limits_depth(outbox: Path, tmp_path: Path) -> None:
    policy = tmp_path / "p.toml"
    policy.write_text(
        '[rules."marking/classification"]\nenabled = false\n[limits]\nmax_depth = 1\n'
    )
    result = leaktrace(
        "scan",
        "--no-store",
        "--format",
        "jsonl",
        "--policy",
        str(policy),
        str(outbox / "msg1.eml"),
        str(outbox / "bundle.tar.gz"),
        home=tmp_path,
    )
    records = jsonl(result.stdout)
    assert not any(r["rule"] == "classification" for r in records)
    assert any(r["detector"] == "limit" and r["rule"] == "depth" for r in records)


def test_scan_is_recorded_and_listed(outbox: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    scanned = leaktrace("scan", "--format", "jsonl", str(outbox / "bundle.tar.gz"), home=home)
    listed = leaktrace("findings", "list", "--format", "jsonl", home=home)
    assert listed.returncode == 0, listed.stderr
    assert {r["fingerprint"] for r in jsonl(listed.stdout)} == {
        r["fingerprint"] for r in jsonl(scanned.stdout)
    }
    assert (home / "leaktrace.db").exists()


def test_baseline_hides_accepted_findings_until_something_new(outbox: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    created = leaktrace("baseline", "create", str(outbox), "-o", str(baseline), home=tmp_path)
    assert created.returncode == 0, created.stderr
    rescan = leaktrace(
        "scan", "--no-store", "--baseline", str(baseline), str(outbox), home=tmp_path
    )
    assert rescan.returncode == 0, rescan.stdout
    (outbox / "new.txt").write_text("TLP:RED\n")
    again = leaktrace(
        "scan",
        "--no-store",
        "--format",
        "jsonl",
        "--baseline",
        str(baseline),
        str(outbox),
        home=tmp_path,
    )
    assert [(Path(r["path"]).name, r["rule"]) for r in jsonl(again.stdout)] == [("new.txt", "tlp")]
    updated = leaktrace("baseline", "update", str(outbox), "-o", str(baseline), home=tmp_path)
    assert "1 new" in updated.stderr
    final = leaktrace("scan", "--no-store", "--baseline", str(baseline), str(outbox), home=tmp_path)
    assert final.returncode == 0


def test_demo_builds_and_scans_a_case(tmp_path: Path) -> None:
    result = leaktrace("demo", "--keep", str(tmp_path / "case"), home=tmp_path)
    assert result.returncode == 0, result.stderr
    for expected in (
        "msg1.eml!kestrel-briefing.docx",
        "secret/private-key",
        "secret/aws-access-key-id",
        "limit/depth",
        "findings:",
    ):
        assert expected in result.stdout
    assert "newsletter" not in result.stdout
    assert (tmp_path / "case" / "data" / "leaktrace.db").exists()


def test_hostile_files_each_get_an_outcome_and_the_rest_is_scanned(tmp_path: Path) -> None:
    root = tmp_path / "hostile"
    root.mkdir()
    with open(root / "huge.bin", "wb") as handle:  # a sparse 2 GB file
        handle.truncate(2 * 1024**3)
    os.symlink(root / "loop", root / "loop")
    os.symlink(root / "missing-target", root / "dangling")
    (root / "zero.txt").write_bytes(b"")
    (root / "truncated.gz").write_bytes(tar_gz_bytes({"a.txt": b"SECRET\n" * 1000})[:60])
    (root / "evil.zip").write_bytes(zip_bytes({"../../escape.txt": b"TOP SECRET"}))
    (root / "zz-last.txt").write_text("Internal use only\n")
    result = leaktrace("scan", "--no-store", "--format", "jsonl", str(root), home=tmp_path)
    assert result.returncode == 1, result.stderr
    outcome = {
        (Path(r["path"].split("!")[0]).name, r["detector"], r["rule"]) for r in jsonl(result.stdout)
    }
    assert ("huge.bin", "limit", "file-size") in outcome
    assert ("loop", "error", "unreadable") in outcome
    assert ("dangling", "error", "unreadable") in outcome
    assert any(name == "truncated.gz" and d == "error" for name, d, _ in outcome)
    assert ("evil.zip", "marking", "classification") in outcome
    assert ("zz-last.txt", "marking", "handling") in outcome
    assert not any(name == "zero.txt" for name, _, _ in outcome)
    assert not (tmp_path / "escape.txt").exists()
    assert not (Path.cwd() / "escape.txt").exists()
    evil = next(r for r in jsonl(result.stdout) if r["path"].endswith("escape.txt"))
    assert evil["path"].endswith("evil.zip!../../escape.txt")
