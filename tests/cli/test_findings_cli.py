"""`leaktrace findings list|show|scans`, run through the real command line."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from leaktrace.cli.main import _register_commands, cli
from leaktrace.core.finding import Action, Finding, Severity
from leaktrace.store import ScanRecord, Store
from tests.cli import runner

T0 = datetime(2025, 5, 2, 8, 30, tzinfo=UTC)
TOKEN = Finding(
    path="outbox/deploy.zip!ci/env.sh",
    detector="secret",
    rule="github-token",
    severity=Severity.CRITICAL,
    message="GitHub personal access token",
    line=12,
    column=9,
    evidence="ghp_… (40 chars)",
    key="abc123",
    action=Action.BLOCK,
    details={"provider": "github", "scopes": ["repo"]},
)
MARKING = Finding(
    path="outbox/brief.pdf",
    detector="marking",
    rule="secret-marking",
    severity=Severity.HIGH,
    message="classification marking: SECRET",
)
EMAIL = Finding(
    path="outbox/notes.txt", detector="pii", rule="email", severity=Severity.LOW, message="e-mail"
)


@pytest.fixture
def run(tmp_path: Path, database_url: str) -> RunCli:
    return RunCli(tmp_path, database_url)


class RunCli(runner.RunCli):
    """The CLI with a store seeded with scans."""

    def seed(self) -> tuple[int, int]:
        """Two scans: the first finds all three, the latest only the token and the e-mail."""
        with Store.open(self.url) as store:
            first = store.record_scan(scan(T0), [TOKEN, MARKING, EMAIL])
            latest = store.record_scan(scan(T0 + timedelta(days=1)), [TOKEN, EMAIL])
        return first, latest


def scan(started: datetime) -> ScanRecord:
    return ScanRecord(
        started_at=started,
        finished_at=started + timedelta(seconds=90),
        roots=["outbox"],
        policy=None,
        files=3,
        items=5,
        bytes_read=12345,
        status="complete",
    )


def jsonl(result: Result) -> list[dict[str, object]]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


# -- list ---------------------------------------------------------------------------------------


def test_list_defaults_to_the_latest_scan(run: RunCli) -> None:
    _, latest = run.seed()
    result = run("findings", "list")
    assert result.exit_code == 0, result.output
    assert "github-token" in result.stdout and "pii/email" in result.stdout
    assert "brief.pdf" not in result.stdout
    assert "2 findings" in result.stdout
    records = jsonl(run("findings", "list", "--format", "jsonl"))
    assert {r["scan_id"] for r in records} == {latest}


def test_list_jsonl_carries_id_scan_id_and_the_finding(run: RunCli) -> None:
    run.seed()
    records = jsonl(run("findings", "list", "--all-scans", "--format", "jsonl"))
    assert len(records) == 5
    first = records[0]
    assert isinstance(first["id"], int) and isinstance(first["scan_id"], int)
    assert first["fingerprint"] == TOKEN.fingerprint
    assert first["first_seen"] == T0.isoformat()
    fields = {k: v for k, v in first.items() if k not in ("id", "scan_id", "first_seen")}
    assert fields == TOKEN.to_dict()


def test_list_filters(run: RunCli) -> None:
    first, _ = run.seed()
    by_scan = jsonl(run("findings", "list", "--scan", str(first), "--format", "jsonl"))
    assert [r["path"] for r in by_scan] == [TOKEN.path, MARKING.path, EMAIL.path]
    high = jsonl(
        run("findings", "list", "--all-scans", "--min-severity", "HIGH", "--format", "jsonl")
    )
    assert sorted(r["rule"] for r in high) == ["github-token", "github-token", "secret-marking"]
    pii = jsonl(run("findings", "list", "--all-scans", "--detector", "pii", "--format", "jsonl"))
    assert [r["detector"] for r in pii] == ["pii", "pii"]
    limited = jsonl(run("findings", "list", "--all-scans", "--limit", "1", "--format", "jsonl"))
    assert len(limited) == 1


def test_list_unknown_scan_is_one_line_exit_2(run: RunCli) -> None:
    run.seed()
    result = run("findings", "list", "--scan", "999")
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("leaktrace: no scan with id 999 in ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_list_scan_and_all_scans_conflict(run: RunCli) -> None:
    result = run("findings", "list", "--scan", "1", "--all-scans")
    assert result.exit_code == 2
    assert "either --scan ID or --all-scans" in result.stderr


def test_list_on_an_empty_store(run: RunCli) -> None:
    result = run("findings", "list")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "No scans recorded yet" in result.stderr


# -- show ---------------------------------------------------------------------------------------


def first_id(run: RunCli) -> int:
    records = jsonl(run("findings", "list", "--format", "jsonl", "--detector", "secret"))
    value = records[0]["id"]
    assert isinstance(value, int)
    return value


def test_show_text_has_every_field(run: RunCli) -> None:
    run.seed()
    finding_id = first_id(run)
    result = run("findings", "show", str(finding_id))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(f"Finding {finding_id} (scan ")
    for expected in (
        "critical",
        "secret",
        "github-token",
        TOKEN.path,
        "12",
        "9",
        TOKEN.message,
        TOKEN.evidence or "",
        "block",
        TOKEN.fingerprint,
        T0.isoformat(),
        '"provider": "github"',
        '"repo"',
    ):
        assert expected in out


def test_show_json(run: RunCli) -> None:
    run.seed()
    finding_id = first_id(run)
    result = run("findings", "show", str(finding_id), "--format", "json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["id"] == finding_id
    assert record["details"] == {"provider": "github", "scopes": ["repo"]}
    assert Finding.from_dict({**record, "key": TOKEN.key}) == TOKEN


def test_show_unknown_id_is_one_line_exit_2(run: RunCli) -> None:
    result = run("findings", "show", "4242")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("leaktrace: no finding with id 4242 in ")


# -- scans --------------------------------------------------------------------------------------


def test_scans_table_and_jsonl(run: RunCli) -> None:
    first, latest = run.seed()
    result = run("findings", "scans")
    assert result.exit_code == 0, result.output
    assert "2025-05-03 08:30:00" in result.stdout and "2025-05-02 08:30:00" in result.stdout
    assert "3: 1 critical, 1 high, 1 low" in result.stdout
    records = jsonl(run("findings", "scans", "--format", "jsonl"))
    assert [r["id"] for r in records] == [latest, first]
    assert records[1]["counts"] == {"info": 0, "low": 1, "medium": 0, "high": 1, "critical": 1}
    assert records[0]["findings"] == 2 and records[0]["status"] == "complete"
    only = jsonl(run("findings", "scans", "--limit", "1", "--format", "jsonl"))
    assert [r["id"] for r in only] == [latest]


def test_scans_on_an_empty_store(run: RunCli) -> None:
    result = run("findings", "scans")
    assert result.exit_code == 0
    assert "No scans recorded yet." in result.stdout


# -- without the backend matrix -----------------------------------------------------------------


def test_default_store_is_in_the_home_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LEAKTRACE_DB", raising=False)
    _register_commands()
    with Store.open(f"sqlite:///{tmp_path / 'leaktrace.db'}") as store:
        store.record_scan(scan(T0), [MARKING])
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "findings", "list"])
    assert result.exit_code == 0, result.output
    assert "secret-marking" in result.stdout


def test_store_errors_are_one_line_without_password(tmp_path: Path) -> None:
    _register_commands()
    url = "postgresql+psycopg://leaktrace:hunter2-pw@127.0.0.1:1/none"
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "--db", url, "findings", "scans"])
    assert result.exit_code == 2
    assert "hunter2-pw" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("leaktrace: cannot open store postgresql")


@pytest.mark.parametrize(
    "args", [["findings"], ["findings", "list"], ["findings", "show"], ["findings", "scans"]]
)
def test_help_has_examples(args: list[str]) -> None:
    _register_commands()
    result = CliRunner().invoke(cli, [*args, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
