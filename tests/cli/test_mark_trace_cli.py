"""`leaktrace mark` and `leaktrace trace`, through the real command line and a real store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leaktrace.demo import corpus
from leaktrace.demo.builders import docx_bytes
from tests.cli.runner import RunCli

BUSINESS_BRIEFING = Path(__file__).parent.parent / "trace" / "data" / "briefing.txt"
RECIPIENTS = "id,name,unit\n" + "".join(f"r{n:02d},Person {n},unit {n % 3}\n" for n in range(12))


@pytest.fixture
def run(tmp_path: Path, database_url: str) -> RunCli:
    return RunCli(tmp_path / "home", database_url)


@pytest.fixture
def case(tmp_path: Path) -> Path:
    (tmp_path / "briefing.md").write_text(corpus.BRIEFING, encoding="utf-8")
    (tmp_path / "staff.csv").write_text(RECIPIENTS, encoding="utf-8")
    return tmp_path


def issue(run: RunCli, case: Path, *extra: str) -> dict[str, object]:
    result = run(
        "mark",
        str(case / "briefing.md"),
        "--recipients",
        str(case / "staff.csv"),
        "--out",
        str(case / "issued"),
        "--format",
        "json",
        *extra,
    )
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout.splitlines()[-1]))


def trace(run: RunCli, path: Path) -> tuple[int, dict[str, object]]:
    result = run("trace", str(path), "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, dict(json.loads(result.stdout))


def test_every_recipient_gets_a_different_copy_that_reads_the_same(run: RunCli, case: Path) -> None:
    issued = issue(run, case)
    copies = issued["copies"]
    assert isinstance(copies, list) and len(copies) == 12
    texts = [Path(c["path"]).read_text(encoding="utf-8") for c in copies]
    assert len(set(texts)) == 12
    assert [Path(c["path"]).parent.name for c in copies] == [f"r{n:02d}" for n in range(12)]
    listed = json.loads(run("trace", str(case / "staff.csv"), "--format", "json").stdout)
    assert listed["accused"] == [] and listed["document"] is None


@pytest.mark.parametrize("recipient", ["r00", "r07", "r11"])
def test_a_whole_copy_names_its_recipient(run: RunCli, case: Path, recipient: str) -> None:
    issue(run, case)
    code, result = trace(run, case / "issued" / recipient / "briefing.md")
    assert code == 1
    assert result["accused"] == [recipient] and result["copy_of"] == recipient
    assert result["document"] == "briefing.md"
    assert f"{recipient}'s copy matches" in str(result["reason"])


def test_a_pasted_excerpt_names_its_recipient(run: RunCli, case: Path) -> None:
    issue(run, case)
    words = (case / "issued" / "r05" / "briefing.md").read_text(encoding="utf-8").split(" ")
    leak = case / "forum-post.txt"
    leak.write_text("Found this: " + " ".join(words[40:120]) + " -- anon", encoding="utf-8")
    code, result = trace(run, leak)
    assert code == 1 and result["accused"] == ["r05"] and result["copy_of"] is None
    candidates = result["candidates"]
    assert isinstance(candidates, list) and candidates[0]["recipient"] == "r05"
    assert all(c["p_value"] > 1e-6 / 12 for c in candidates[1:])


def test_the_unmarked_original_accuses_nobody(run: RunCli, case: Path) -> None:
    issue(run, case)
    code, result = trace(run, case / "briefing.md")
    assert code == 0 and result["accused"] == []
    assert "unmarked original" in str(result["reason"]) or result["document"] is None


def test_dry_run_explains_and_writes_nothing(run: RunCli, case: Path) -> None:
    result = run(
        "mark",
        str(case / "briefing.md"),
        "--recipients",
        str(case / "staff.csv"),
        "--dry-run",
        "--explain",
    )
    assert result.exit_code == 0, result.output
    assert "invisible" in result.stdout and "nothing written" in result.stdout
    assert not (case / "issued").exists()
    code, traced = trace(run, case / "briefing.md")
    assert code == 0 and traced["document"] is None


def test_docx_copies_keep_opening_and_name_their_recipient(run: RunCli, case: Path) -> None:
    (case / "board.docx").write_bytes(docx_bytes(corpus.BRIEFING))
    result = run(
        "mark", str(case / "board.docx"), "--recipients", str(case / "staff.csv"), "--out",
        str(case / "issued"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    code, traced = trace(run, case / "issued" / "r03" / "board.docx")
    assert code == 1 and traced["accused"] == ["r03"]


@pytest.mark.parametrize(
    ("csv", "message"),
    [
        ("name\nAda\n", "no 'id' column"),
        ("id\nada\nada\n", "repeats line 2"),
        ("id,name\nada,A\n,\n", "empty row"),
    ],
)
def test_bad_recipient_lists_are_one_line_errors(
    run: RunCli, case: Path, csv: str, message: str
) -> None:
    (case / "bad.csv").write_text(csv, encoding="utf-8")
    result = run(
        "mark", str(case / "briefing.md"), "--recipients", str(case / "bad.csv"), "--out",
        str(case / "issued"),
    )  # fmt: skip
    assert result.exit_code == 2 and message in result.output
    assert not (case / "issued").exists()


def test_existing_copies_are_never_overwritten(run: RunCli, case: Path) -> None:
    issue(run, case)
    before = (case / "issued" / "r01" / "briefing.md").read_bytes()
    result = run(
        "mark", str(case / "briefing.md"), "--recipients", str(case / "staff.csv"), "--out",
        str(case / "issued"),
    )  # fmt: skip
    assert result.exit_code == 2 and "already exists" in result.output
    assert (case / "issued" / "r01" / "briefing.md").read_bytes() == before


def test_unsupported_and_empty_documents_are_refused(run: RunCli, case: Path) -> None:
    (case / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (case / "empty.txt").write_bytes(b"")
    for name in ("photo.png", "empty.txt"):
        result = run(
            "mark", str(case / name), "--recipients", str(case / "staff.csv"), "--out",
            str(case / "issued"),
        )  # fmt: skip
        assert result.exit_code == 2, result.output
        assert name in result.output or "not a text" in result.output


def test_scans_report_marked_copies_with_their_source(run: RunCli, case: Path) -> None:
    issue(run, case)
    outbox = case / "outbox"
    outbox.mkdir()
    (outbox / "attachment.md").write_bytes((case / "issued" / "r09" / "briefing.md").read_bytes())
    result = run("scan", "--format", "jsonl", str(outbox))
    findings = [json.loads(line) for line in result.stdout.splitlines()]
    marks = [f for f in findings if f["detector"] == "mark"]
    assert [(f["rule"], f["details"]["accused"]) for f in marks] == [("traced-copy", ["r09"])]


def test_scans_read_marks_only_where_the_text_is_shared(run: RunCli, case: Path) -> None:
    issue(run, case)
    outbox = case / "outbox"
    outbox.mkdir()
    words = (case / "issued" / "r04" / "briefing.md").read_text(encoding="utf-8").split(" ")
    (outbox / "post.txt").write_text(" ".join(words[30:110]), encoding="utf-8")
    (outbox / "other.txt").write_text(corpus.NEWSLETTER, encoding="utf-8")
    result = run("scan", "--format", "jsonl", str(outbox))
    marks = [json.loads(line) for line in result.stdout.splitlines()]
    marks = [f for f in marks if f["detector"] == "mark"]
    assert [(Path(f["path"]).name, f["details"]["accused"]) for f in marks] == [
        ("post.txt", ["r04"])
    ]


def test_bold_style_plans_more_wording_marks(run: RunCli, case: Path) -> None:
    def wording(style: str) -> int:
        result = run(
            "mark",
            str(case / "briefing.md"),
            *("--recipients", str(case / "staff.csv"), "--dry-run", "--format", "json"),
            *("--style", style),
        )
        assert result.exit_code == 0, result.output
        return int(json.loads(result.stdout.splitlines()[-1])["plan"]["slots"]["wording"])

    assert wording("bold") > wording("safe") > 0
    refused = run("mark", str(case / "briefing.md"), "--recipients", "x.csv", "--style", "loud")
    assert refused.exit_code == 2


def test_the_author_is_told_how_short_a_retyped_leak_may_be(run: RunCli, case: Path) -> None:
    staff = ("--recipients", str(case / "staff.csv"))
    short = run("mark", str(case / "briefing.md"), *staff, "--dry-run")
    assert short.exit_code == 0, short.output
    assert "fewer than the 24 that name one of 12 recipients" in short.stderr
    assert "--style bold carries more" in short.stderr
    memo = case / "memo.txt"
    memo.write_text(BUSINESS_BRIEFING.read_text(encoding="utf-8"), encoding="utf-8")
    told = run("mark", str(memo), *staff, "--dry-run", "--style", "bold")
    assert told.exit_code == 0, told.output
    assert "wording marks per 100 words; a retyped excerpt of about" in told.stderr
    assert "one of 12 recipients (24 marks read intact)" in told.stderr
    result = run("mark", str(memo), *staff, "--out", str(case / "out"), "--format", "json")
    assert result.exit_code == 0, result.output
    retyped = json.loads(result.stdout.splitlines()[-1])["retyped"]
    assert retyped["marks_needed"] == 24 and retyped["wording_marks_per_100_words"] > 5
    assert 24 <= retyped["words_needed"] <= len(memo.read_text(encoding="utf-8").split())
