import io
import json
from pathlib import Path

import jsonschema
import pytest

from leaktrace.core.finding import Finding, Rule, Severity
from leaktrace.report.jsonl import write_jsonl
from leaktrace.report.sarif import sarif_log
from leaktrace.report.table import summary_line, write_table

SCHEMA = Path(__file__).parents[2] / ".cache" / "sarif-schema-2.1.0.json"

FINDINGS = [
    Finding(
        "outbox/msg1.eml!lecture.docx",
        "marking",
        "classification",
        Severity.HIGH,
        "marked 'SECRET'",
        line=3,
        column=7,
        evidence="SECRET",
        key="k",
    ),
    Finding(
        "outbox/a b.zip!x/é.txt",
        "secret",
        "aws-access-key-id",
        Severity.CRITICAL,
        "AWS access key ID found",
        line=1,
        column=1,
        evidence="AKIA… (20 chars)",
        details={"entropy": 3.9},
    ),
    Finding("outbox/deep.zip", "limit", "depth", Severity.MEDIUM, "nested too deep"),
]


@pytest.fixture(scope="module")
def sarif_schema() -> dict:  # type: ignore[type-arg]
    if not SCHEMA.exists():
        pytest.fail("SARIF schema missing: run scripts/sarif-schema.sh (scripts/test does)")
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def test_sarif_validates_against_the_2_1_0_schema(sarif_schema: dict) -> None:  # type: ignore[type-arg]
    log = sarif_log(
        FINDINGS,
        {
            "marking/classification": Rule(
                "marking", "classification", "Classification banner", Severity.HIGH
            )
        },
    )
    jsonschema.Draft4Validator(sarif_schema).validate(log)
    results = log["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == [
        "marking/classification",
        "secret/aws-access-key-id",
        "limit/depth",
    ]
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3,
        "startColumn": 7,
    }
    assert results[1]["level"] == "error"
    assert results[1]["properties"]["lineage"] == ["outbox/a b.zip", "x/é.txt"]
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[results[0]["ruleIndex"]]["id"] == "marking/classification"


def test_sarif_schema_rejects_a_broken_log(sarif_schema: dict) -> None:  # type: ignore[type-arg]
    log = sarif_log(FINDINGS)
    log["runs"][0]["results"][0]["level"] = "catastrophic"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(sarif_schema).validate(log)


def test_empty_sarif_is_valid(sarif_schema: dict) -> None:  # type: ignore[type-arg]
    jsonschema.Draft4Validator(sarif_schema).validate(sarif_log([]))


def test_jsonl_has_one_complete_finding_per_line() -> None:
    out = io.StringIO()
    assert write_jsonl(FINDINGS, out) == 3
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    for record in records:
        assert {"path", "detector", "rule", "severity", "message"} <= set(record)
    assert records[0]["line"] == 3 and records[0]["column"] == 7
    assert "line" not in records[2]
    assert records[0]["fingerprint"] == FINDINGS[0].fingerprint
    assert Finding.from_dict({**records[0], "key": "k"}).fingerprint == FINDINGS[0].fingerprint


def test_table_names_every_finding_and_sums_up() -> None:
    out = io.StringIO()
    write_table(FINDINGS, out, width=200)
    text = out.getvalue()
    assert "outbox/msg1.eml!lecture.docx:3:7" in text
    assert "secret/aws-access-key-id" in text
    assert text.rstrip().endswith("3 findings: 1 critical, 1 high, 1 medium")
    assert summary_line([]) == "No findings."
