"""`leaktrace protect add|list|show|remove|reindex`, run through the real command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from leaktrace.cli.main import _register_commands, cli
from leaktrace.demo.builders import docx_bytes, pdf_bytes
from tests.cli import runner

MINUTES = (
    "The board agreed to acquire the northern plant before the end of the third quarter. "
    "Negotiations with the current owner remain confidential until the public announcement."
)
LICENCE = (
    "Permission is hereby granted, free of charge, to any person obtaining a copy of this "
    "software and associated documentation files, to deal in the software without restriction."
)


class RunCli(runner.RunCli):
    """The CLI, and a look at the index it writes."""

    def indexed_ids(self) -> list[int]:
        current = (self.home / "index" / "CURRENT").read_text().strip()
        meta = json.loads((self.home / "index" / current / "meta.json").read_text())
        return [document["id"] for document in meta["documents"]]


@pytest.fixture
def run(tmp_path: Path, database_url: str) -> RunCli:
    return RunCli(tmp_path / "home", database_url)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "confidential"
    folder.mkdir()
    (folder / "minutes.docx").write_bytes(docx_bytes(MINUTES))
    (folder / "minutes.pdf").write_bytes(pdf_bytes(MINUTES))
    (folder / "turbine.dwg").write_bytes(bytes(range(256)) * 16)
    return folder


def jsonl(result: Result) -> list[dict[str, object]]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_add_list_show_remove_round_trip(run: RunCli, files: Path) -> None:
    added = run("protect", "add", str(files), "--label", "board")
    assert added.exit_code == 0, added.output
    lines = added.stdout.splitlines()
    assert lines[0].startswith("added #1 minutes.docx (") and lines[0].endswith(" words)")
    assert lines[1].startswith("added #2 minutes.pdf (")
    assert lines[2] == "added #3 turbine.dwg (0 words)"
    assert "only exact copies" in added.stderr
    assert "3 added, 0 already registered, 0 not registered" in added.stderr
    assert run.indexed_ids() == [1, 2, 3]

    listed = jsonl(run("protect", "list", "--format", "jsonl"))
    assert [(r["id"], r["name"], r["label"], r["kind"]) for r in listed] == [
        (1, "minutes.docx", "board", "document"),
        (2, "minutes.pdf", "board", "document"),
        (3, "turbine.dwg", "board", "document"),
    ]
    table = run("protect", "list")
    assert table.exit_code == 0
    assert "minutes.docx" in table.stdout and "turbine.dwg" in table.stdout

    shown = run("protect", "show", "2")
    assert shown.exit_code == 0, shown.output
    assert "Protected document 2" in shown.stdout
    for field in ("name", "label", "kind", "size", "words", "sha256", "fingerprints", "added"):
        assert f"  {field} " in shown.stdout
    assert str(files / "minutes.pdf") in shown.stdout
    as_json = json.loads(run("protect", "show", "2", "--format", "json").stdout)
    assert as_json["name"] == "minutes.pdf"

    removed = run("protect", "remove", "2")
    assert removed.exit_code == 0, removed.output
    assert removed.stdout.strip() == "removed #2 minutes.pdf"
    assert [r["id"] for r in jsonl(run("protect", "list", "--format", "jsonl"))] == [1, 3]
    assert run.indexed_ids() == [1, 3]


def test_the_text_is_never_printed_or_stored(run: RunCli, files: Path) -> None:
    run("protect", "add", str(files / "minutes.docx"))
    shown = run("protect", "show", "1", "--format", "json")
    assert "northern plant" not in shown.stdout
    database = run.home / "leaktrace.db"
    if database.exists():  # the SQLite case: not a word of the text in the file
        assert b"northern" not in database.read_bytes()


def test_add_twice_reports_the_duplicate(run: RunCli, files: Path) -> None:
    run("protect", "add", str(files / "minutes.docx"))
    again = run("protect", "add", str(files / "minutes.docx"))
    assert again.exit_code == 0
    assert again.stdout.strip() == (
        f"duplicate {files / 'minutes.docx'}: same content as #1 minutes.docx"
    )
    assert len(jsonl(run("protect", "list", "--format", "jsonl"))) == 1


def test_add_with_a_bad_file_exits_1_and_registers_the_rest(
    run: RunCli, files: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("protect", "add", str(empty), str(files / "minutes.docx"))
    assert result.exit_code == 1
    assert f"error {empty}: empty file" in result.stderr
    assert result.stdout.startswith("added #1 minutes.docx")


def test_add_public_is_listed_apart(run: RunCli, tmp_path: Path) -> None:
    licence = tmp_path / "LICENSE"
    licence.write_text(LICENCE)
    result = run("protect", "add", "--public", str(licence))
    assert result.exit_code == 0, result.output
    assert jsonl(run("protect", "list", "--format", "jsonl")) == []
    (public,) = jsonl(run("protect", "list", "--public", "--format", "jsonl"))
    assert (public["name"], public["kind"]) == ("LICENSE", "public")
    assert "No documents registered yet" in run("protect", "list").stdout


def test_add_with_a_name(run: RunCli, files: Path) -> None:
    result = run("protect", "add", "--name", "Board minutes", str(files / "minutes.docx"))
    assert result.stdout.startswith("added #1 Board minutes (")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", "All"], "--name needs exactly one file"),
        (["--label", " "], "--label must not be empty"),
    ],
)
def test_add_usage_errors_exit_2(run: RunCli, files: Path, args: list[str], message: str) -> None:
    result = run("protect", "add", *args, str(files))
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (run.home / "index").exists()


def test_unknown_id_is_one_line_exit_2(run: RunCli) -> None:
    for command in ("show", "remove"):
        result = run("protect", command, "7")
        assert result.exit_code == 2
        assert result.stderr.strip().startswith("leaktrace: no protected document with id 7 in ")
        assert len(result.stderr.strip().splitlines()) == 1


def test_reindex(run: RunCli, files: Path) -> None:
    run("protect", "add", str(files / "minutes.docx"))
    result = run("protect", "reindex")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "index rebuilt: 1 documents"
    assert run.indexed_ids() == [1]


def test_help_explains_what_is_stored() -> None:
    _register_commands()
    text = " ".join(CliRunner().invoke(cli, ["protect", "--help"]).stdout.split())
    assert "The text itself is never stored" in text
    add_help = CliRunner().invoke(cli, ["protect", "add", "--help"]).stdout
    assert "--public" in add_help and "Examples:" in add_help


def test_the_installed_command(tmp_path: Path, files: Path) -> None:
    env = {**os.environ, "LEAKTRACE_HOME": str(tmp_path / "home")}
    env.pop("LEAKTRACE_DB", None)

    def leaktrace(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "leaktrace", *args]
        return subprocess.run(
            command, check=False, capture_output=True, text=True, env=env, timeout=120
        )

    added = leaktrace("protect", "add", str(files / "minutes.docx"))
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("added #1 minutes.docx")
    usage = leaktrace("protect", "add", "-")
    assert usage.returncode == 2
    assert usage.stderr.startswith("leaktrace: standard input cannot be registered")
    assert len(usage.stderr.strip().splitlines()) == 1
