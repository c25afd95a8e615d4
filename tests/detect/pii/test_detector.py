"""The `pii` detector as a whole: prefilter, redaction, decoys, options, the real pipeline."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaktrace.core.errors import PolicyError
from leaktrace.core.policy import Policy
from leaktrace.detect.pii import PII_PATTERNS, PII_RULES, PiiDetector
from tests.conftest import ScanBytes, by_detector
from tests.detect.pii.helpers import findings, item, rules

EXAMPLES = [example for pattern in PII_PATTERNS for example in pattern.must_match]


def test_rule_ids_are_unique_and_every_rule_is_declared() -> None:
    ids = [rule.id for rule in PII_RULES]
    assert len(ids) == len(set(ids))
    assert {rule.id for rule in PiiDetector.rules} == set(ids)


def test_every_example_gets_through_the_prefilter() -> None:
    """All rules' examples in one text: the native prefilter lets each rule's examples through,
    and the detector finds every rule."""
    text = "\n\n".join(EXAMPLES) + "\n"
    found = {finding.rule for finding in findings(text, min_confidence=0.0)}
    assert {rule.id for rule in PII_RULES} <= found


@pytest.mark.parametrize("example", EXAMPLES)
def test_evidence_and_message_never_hold_the_value(example: str) -> None:
    found = findings(example, min_confidence=0.0)
    assert found, example
    for finding in found:
        assert finding.evidence is not None and finding.column is not None
        length = int(re.search(r"\((\d+) chars\)$", finding.evidence).group(1))  # type: ignore[union-attr]
        value = example[finding.column - 1 : finding.column - 1 + length]
        compact = re.sub(r"\W", "", value)
        record = json.dumps(finding.to_dict(), ensure_ascii=False)
        assert value not in record
        assert compact not in re.sub(r"\W", "", record)
        assert 0.0 <= finding.details["confidence"] <= 1.0


DECOYS = """\
commit 4c6f1e1b9a0e7f3d2a5b8c9d0e1f2a3b4c5d6e7f
Merge: 1234567 89abcde
id: 3f2504e0-4f89-11d3-9a0c-0305e82c3301
uuid = "550e8400-e29b-41d4-a716-446655440000"
"integrity": "sha512-9RcA7Ynl6nZ1b0t2Y6nX4Tq1cZ9OQhEeVZ8Uuo9lJ4Q0l0cN3C8L1x4K9Zp4y3W5=="
resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz#679591c564c3bffaae8454cf0b3df370c3d6911c"
sha256:8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4
version = "4.17.21"; python_requires >= 3.11; build 20231129.1
ISBN 978-3-16-148410-0 and ISBN-13: 9780306406157
timestamp 1701234567890 (ms) and 1701234567 (s), 2023-11-29T06:17:56.123456+01:00
Order ID 4556488805510176, invoice no. 5425450017528749, tracking 1Z999AA10123456784
IP 192.168.100.200, 10.0.0.1:8080; MAC 00:1B:44:11:3A:B7
Card 4556488805510177 (fails Luhn); IBAN DE51526018159083016613 (bad check digits)
SSN 000-12-3456, 666-45-6789, 900-12-3456; price 1,234,567.89 EUR; pi 3.14159265358979323846
pkg@1.2.3 @types/node@20.1.0 logo@2x.png user@localhost git@github.com:acme/app.git
"""


def test_decoys_are_not_personal_data() -> None:
    assert [(f.rule, f.line) for f in findings(DECOYS)] == []


def test_a_value_is_reported_once_per_item() -> None:
    text = "jane@harborlane.com\n" * 3 + "Jane@HarborLane.com\n"
    found = findings(text)
    assert [(f.rule, f.line) for f in found] == [("email", 1), ("email", 4)]
    assert len({f.key for f in found}) == 2


def test_overlapping_matches_keep_the_stronger_rule() -> None:
    # A labelled phone number that is also a valid card: the card rule wins.
    assert rules("Tel: 4556 4888 0551 0176") == ["card-number"]


def test_min_confidence_is_an_option() -> None:
    text = "SSN 536-22-1234"
    assert rules(text) == ["us-ssn"]
    assert rules(text, min_confidence=0.95) == []
    with pytest.raises(PolicyError, match="min_confidence"):
        PiiDetector({"min_confidence": "high"})
    with pytest.raises(PolicyError, match="min_confidence"):
        PiiDetector({"min_confidence": 2})


def test_findings_say_why() -> None:
    [finding] = findings("Visa: 4556 4888 0551 0176")
    assert finding.details == {
        "kind": "card",
        "confidence": 0.95,
        "issuer": "visa",
        "context": ["+visa"],
    }
    assert finding.message == "Payment card number (confidence 0.95)"
    assert (finding.line, finding.column) == (1, 7)
    assert finding.evidence == "4556… (19 chars)"


_PIECES = st.sampled_from(
    [
        "4556 4888 0551 0176",
        "SSN ",
        "IBAN DE50 5260 1815 9083 0166 13",
        "+44 20 7946 0018",
        "jane@harborlane.com",
        "DOB: 03/12/1985",
        "BSN: 111222333",
        "Tel: ",
        "(",
        ")",
        "-",
        " ",
        "\n",
        "@",
        "+",
        ".",
        "é",
        "\x00",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=12), st.from_regex(r"\d{1,19}")), max_size=30))
def test_any_text_never_crashes_and_evidence_stays_redacted(parts: list[str]) -> None:
    text = "".join(parts)
    for finding in PiiDetector({"min_confidence": 0.0}).detect(item(text)):
        assert finding.evidence is not None
        prefix, _, length = finding.evidence.partition(" (")
        assert length.endswith(" chars)")
        assert len(prefix.rstrip("…")) <= 4 or set(prefix) == {"*"}
        assert finding.line is not None and finding.line >= 1


def test_through_the_scan_pipeline(scan_bytes: ScanBytes) -> None:
    from leaktrace.demo.builders import docx_bytes

    document = docx_bytes(
        "Customer record\nName: Kim Lee\nDOB: 03/12/1985\nCard: 4556 4888 0551 0176\n"
        "IBAN DE50 5260 1815 9083 0166 13\nReach me at kim.lee@harborlane.co.uk\n"
    )
    report = scan_bytes("record.docx", document)
    found = {f.rule: f for f in by_detector(report.findings, "pii")}
    assert set(found) == {"date-of-birth", "card-number", "iban", "email"}
    assert found["card-number"].severity.label == "high"
    assert "4556 4888 0551 0176" not in repr([f.to_dict() for f in report.findings])
    strict = Policy.from_mapping({"detectors": {"pii": {"min_confidence": 0.95}}})
    report = scan_bytes("record.docx", document, strict)
    assert {f.rule for f in by_detector(report.findings, "pii")} == {"card-number", "iban"}


def test_cards_in_a_csv_export_are_found_through_the_header() -> None:
    export = (
        "id,amount,currency,card_number,status\npay_1,641.56,EUR,6011 7314 6302 6447,captured\n"
    )
    assert rules(export) == ["card-number"]
    assert rules("totals 1,6011 7314 6302 6447\n") == []  # a comma after a digit: one number


def test_birth_dates_in_a_table_need_their_column_header() -> None:
    row = "\nP582079,Jessica Jansen,1992-07-25,Hamburg\n"
    assert rules("id,name,date_of_birth,city" + row) == ["date-of-birth-column"]
    assert rules("id,name,order_date,city" + row) == []
