"""`leaktrace records` then `leaktrace scan`: a leaked customer list is reported by record."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.runner import RunCli

CUSTOMERS = (
    "customer_id,full_name,email,iban\n"
    "C-1001,Marta Kowalska,marta.kowalska@poczta.example,PL61109010140000071219812874\n"
    "C-1002,Jonas Berg,jonas.berg@post.example,SE4550000000058398257466\n"
    "C-1003,Chidi Okafor,chidi@mail.example,GB29NWBK60161331926819\n"
)


def test_registered_records_are_found_in_a_leak(tmp_path: Path) -> None:
    run = RunCli(tmp_path / "home", f"sqlite:///{tmp_path / 'store.db'}")
    (tmp_path / "customers.csv").write_text(CUSTOMERS)
    added = run(
        "records", "add", str(tmp_path / "customers.csv"), "--columns", "full_name,email,iban"
    )
    assert added.exit_code == 0, added.output
    assert "3 records" in added.output
    listed = run("records", "list", "--format", "jsonl")
    assert json.loads(listed.output)["columns"] == ["full_name", "email", "iban"]

    outbox = tmp_path / "outbox"
    outbox.mkdir()
    (outbox / "mail.txt").write_text(
        "Hi, as asked: Jonas Berg, IBAN SE45 5000 0000 0583 9825 7466.\n"
        "And marta.kowalska@poczta.example / Marta Kowalska.\n"
    )
    (outbox / "other.txt").write_text("Jonas Berg wrote a book.\n")
    result = run("scan", "--format", "jsonl", "--jobs", "1", str(outbox))
    findings = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    [found] = [f for f in findings if f["detector"] == "records"]
    assert found["path"].endswith("mail.txt")
    assert found["details"]["records"] == [1, 2]
    assert "Berg" not in json.dumps(found) and "5000" not in json.dumps(found)
    assert result.exit_code == 1


def test_bad_arguments_are_one_line_errors(tmp_path: Path) -> None:
    run = RunCli(tmp_path / "home", f"sqlite:///{tmp_path / 'store.db'}")
    (tmp_path / "customers.csv").write_text(CUSTOMERS)
    missing = run("records", "add", str(tmp_path / "nope.csv"), "--columns", "email")
    assert missing.exit_code == 2 and "no such file" in missing.output
    column = run("records", "add", str(tmp_path / "customers.csv"), "--columns", "phone")
    assert column.exit_code == 2 and "no column 'phone'" in column.output
    removed = run("records", "remove", "7")
    assert removed.exit_code == 2 and "no record set #7" in removed.output
