from pathlib import Path

import pytest

from leaktrace.core.finding import Severity
from leaktrace.core.limits import Limits
from leaktrace.core.pipeline import Scanner
from leaktrace.core.policy import Policy
from leaktrace.core.registry import Registry
from leaktrace.core.sources import Source
from leaktrace.detect.marking import MarkingDetector
from leaktrace.detect.secret import SecretDetector
from leaktrace.extract.text import TextExtractor
from tests.core.plugins import BoxExtractor, BrokenDetector


@pytest.fixture
def registry() -> Registry:
    return Registry(
        [TextExtractor(), BoxExtractor()], [MarkingDetector, SecretDetector, BrokenDetector]
    )


def rules(findings: list) -> list[tuple[str, str, str]]:  # type: ignore[type-arg]
    return [(f.path, f.detector, f.rule) for f in findings]


def test_text_is_identified_decoded_and_located(registry: Registry) -> None:
    text = "hello\nthis is\n  TOP SECRET//NOFORN\n".encode("utf-16")
    report = Scanner(registry).scan_bytes("memo.txt", text)
    [finding] = report.findings
    assert (finding.detector, finding.rule) == ("marking", "classification")
    assert (finding.line, finding.column) == (3, 3)
    assert report.media_types == {"text/plain": 1}


def test_children_get_lineage_paths(registry: Registry) -> None:
    report = Scanner(registry).scan_bytes("c.box", b"BOX1plain|SECRET plans|BOX1deep|x")
    assert rules(report.findings) == [("c.box!m1", "marking", "classification")]
    assert report.items == 6  # c.box, m0, m1, m2 (itself a box), m2!m0, m3
    nested = Scanner(registry).scan_bytes("n.box", b"BOX1" + b"BOX1TOP SECRET")
    assert rules(nested.findings) == [("n.box!m0!m0", "marking", "classification")]


def test_a_failing_container_keeps_what_came_before(registry: Registry) -> None:
    report = Scanner(registry).scan_bytes("c.box", b"BOX1SECRET|RAISE|CONFIDENTIAL")
    assert rules(report.findings) == [
        ("c.box", "error", "corrupt"),
        ("c.box!m0", "marking", "classification"),
    ]
    assert "member table is garbage" in report.findings[0].message


def test_a_broken_detector_becomes_an_error_finding(registry: Registry) -> None:
    report = Scanner(registry).scan_bytes("t.txt", b"boom TOP SECRET")
    assert sorted(rules(report.findings)) == [
        ("t.txt", "error", "corrupt"),
        ("t.txt", "marking", "classification"),
    ]


def test_depth_limit_is_a_finding(registry: Registry) -> None:
    data = b"SECRET"
    for _ in range(6):
        data = b"BOX1" + data
    policy = Policy(limits=Limits(max_depth=3))
    report = Scanner(registry, policy).scan_bytes("deep.box", data)
    [finding] = report.findings
    assert (finding.detector, finding.rule) == ("limit", "depth")
    assert finding.path == "deep.box!m0!m0!m0"
    assert finding.severity is Severity.MEDIUM


def test_member_limit_reports_and_keeps_the_first_members(registry: Registry) -> None:
    policy = Policy(limits=Limits(max_members=2))
    report = Scanner(registry, policy).scan_bytes("c.box", b"BOX1SECRET|a|b|c")
    assert rules(report.findings) == [
        ("c.box", "limit", "members"),
        ("c.box!m0", "marking", "classification"),
    ]


def test_time_limit_stops_one_file_only(registry: Registry) -> None:
    policy = Policy(limits=Limits(max_seconds=1))
    scanner = Scanner(registry, policy)
    slow = scanner.scan_bytes("slow.box", b"BOX1SLEEP|SECRET")
    assert ("slow.box", "limit", "time") in rules(slow.findings)
    quick = scanner.scan_bytes("next.txt", b"SECRET")
    assert rules(quick.findings) == [("next.txt", "marking", "classification")]


def test_oversized_file_is_scanned_in_part(registry: Registry, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"TOP SECRET\n" + b"a" * 5000)
    policy = Policy(limits=Limits(max_file_bytes=1000))
    report = Scanner(registry, policy).scan_source(Source(str(big), big))
    assert rules(report.findings) == [
        (str(big), "limit", "file-size"),
        (str(big), "marking", "classification"),
    ]


def test_unreadable_sources_are_error_findings(registry: Registry, tmp_path: Path) -> None:
    scanner = Scanner(registry)
    missing = scanner.scan_source(Source("gone.txt", problem="no such file or directory"))
    assert rules(missing.findings) == [("gone.txt", "error", "unreadable")]
    directory = scanner.scan_source(Source(str(tmp_path), tmp_path))
    assert rules(directory.findings) == [(str(tmp_path), "error", "unreadable")]


def test_empty_and_binary_input_do_not_fail(registry: Registry) -> None:
    assert Scanner(registry).scan_bytes("empty", b"").findings == []
    garbage = bytes(range(256)) * 40
    report = Scanner(registry).scan_bytes("-", garbage)
    assert report.findings == []
    assert report.media_types == {"application/octet-stream": 1}


def test_scans_are_deterministic(registry: Registry) -> None:
    data = b"BOX1SECRET|CONFIDENTIAL|internal use only|TLP:RED"
    first = Scanner(registry).scan_bytes("c.box", data).findings
    second = Scanner(registry).scan_bytes("c.box", data).findings
    assert first == second
    assert [f.fingerprint for f in first] == [f.fingerprint for f in second]
