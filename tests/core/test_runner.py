from pathlib import Path

from leaktrace.core.limits import Limits
from leaktrace.core.policy import Policy
from leaktrace.core.registry import Registry
from leaktrace.core.runner import ScanPlan, run
from leaktrace.core.sources import find_sources
from leaktrace.detect.marking import MarkingDetector
from leaktrace.extract.text import TextExtractor
from tests.core.plugins import BoxExtractor


def registry() -> Registry:
    return Registry([TextExtractor(), BoxExtractor()], [MarkingDetector])


def make_files(root: Path, count: int) -> None:
    for index in range(count):
        (root / f"f{index:02}.txt").write_text(f"file {index}\nSECRET\n" if index % 3 == 0 else "x")


def flatten(reports: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(f.path, f.rule) for r in reports for f in r.findings]


def test_parallel_run_matches_serial_run_in_order(tmp_path: Path) -> None:
    make_files(tmp_path, 12)
    sources = list(find_sources([str(tmp_path)]))
    serial = list(run(ScanPlan(registry(), Policy(), jobs=1), sources))
    parallel = list(run(ScanPlan(registry(), Policy(), jobs=2), sources))
    assert [r.path for r in parallel] == [s.display for s in sources]
    assert flatten(parallel) == flatten(serial)
    assert len(flatten(serial)) == 4


def test_a_crashing_worker_costs_only_its_own_file(tmp_path: Path) -> None:
    make_files(tmp_path, 6)
    (tmp_path / "f03.box").write_bytes(b"BOX1CRASH")
    sources = list(find_sources([str(tmp_path)]))
    reports = list(run(ScanPlan(registry(), Policy(), jobs=2), sources))
    assert [r.path for r in reports] == [s.display for s in sources]
    crashed = [f for r in reports for f in r.findings if f.detector == "error"]
    assert [(Path(f.path).name, f.rule) for f in crashed] == [("f03.box", "crash")]
    assert len([f for r in reports for f in r.findings if f.detector == "marking"]) == 2


def test_a_worker_stuck_in_native_code_is_stopped(tmp_path: Path) -> None:
    make_files(tmp_path, 4)
    (tmp_path / "f01.box").write_bytes(b"BOX1HANG")
    sources = list(find_sources([str(tmp_path)]))
    policy = Policy(limits=Limits(max_seconds=0.5))
    reports = list(run(ScanPlan(registry(), policy, jobs=2), sources))
    assert [r.path for r in reports] == [s.display for s in sources]
    stopped = [
        (Path(f.path).name, f.detector, f.rule)
        for r in reports
        for f in r.findings
        if f.detector != "marking"
    ]
    assert stopped == [("f01.box", "limit", "time")]
    assert len([f for r in reports for f in r.findings if f.detector == "marking"]) == 2
