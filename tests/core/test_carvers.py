"""Carvers in the pipeline: their children take the same walk as members, under the same limits;
a failing carver costs only its own children; carvers load from entry points."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaktrace.core.errors import PluginError
from leaktrace.core.item import Item
from leaktrace.core.limits import Limits
from leaktrace.core.pipeline import Scanner
from leaktrace.core.plugin import Carver, Child, ExtractContext
from leaktrace.core.policy import Policy
from leaktrace.core.registry import Registry
from leaktrace.detect.marking import MarkingDetector
from leaktrace.extract.text import TextExtractor
from tests.core.plugins import BoxExtractor
from tests.core.test_registry import PYPROJECT, install_fake_distribution, on_path  # noqa: F401

MARK = b"##HIDDEN:"


def hide(data: bytes) -> bytes:
    """``data`` after the mark, each byte shifted down by one (the carver shifts it back)."""
    return MARK + bytes((b - 1) % 256 for b in data)


CARVER_MODULE = """
from leaktrace.core.plugin import Carver, Child


class TailCarver(Carver):
    name = "tail"

    def carve(self, item, context):
        head, found, tail = item.data.partition(b"@@")
        if found:
            context.notice("concealment", "trailing-data", "text after @@")
            yield Child("<after @@>", tail)
"""


class HiddenCarver(Carver):
    """A toy carver: the bytes after ``##HIDDEN:``, shifted up by one, are a hidden child (so the
    parent's own text never shows them); "RAISE" breaks it."""

    name = "hidden"

    def carve(self, item: Item, context: ExtractContext) -> Iterator[Child]:
        _, found, rest = item.data.partition(MARK)
        if not found:
            return
        hidden = bytes((b + 1) % 256 for b in rest)
        if hidden == b"RAISE":
            raise ValueError("carver bug")
        kind = context.identify(hidden)
        context.notice("concealment", "trailing-data", f"hidden {kind} after the mark")
        yield Child("<hidden>", context.budget.accept(hidden))


class OtherHidden(Carver):
    name = "hidden"

    def carve(self, item: Item, context: ExtractContext) -> Iterator[Child]:
        return iter(())


@pytest.fixture
def registry() -> Registry:
    return Registry([TextExtractor(), BoxExtractor()], [MarkingDetector], [HiddenCarver()])


def rules(report_findings: list) -> list[tuple[str, str, str]]:  # type: ignore[type-arg]
    return [(f.path, f.detector, f.rule) for f in report_findings]


def test_a_carved_child_is_identified_extracted_and_detected(registry: Registry) -> None:
    report = Scanner(registry).scan_bytes("memo.txt", b"hello" + hide(b"TOP SECRET"))
    assert rules(report.findings) == [
        ("memo.txt", "concealment", "trailing-data"),
        ("memo.txt!<hidden>", "marking", "classification"),
    ]
    assert "hidden text/plain after the mark" in report.findings[0].message
    assert report.items == 2


def test_carvers_run_on_every_item_after_the_extractors_members(registry: Registry) -> None:
    data = b"BOX1plain|SECRET" + hide(b"CONFIDENTIAL")
    report = Scanner(registry).scan_bytes("c.box", data)
    assert ("c.box!m1", "marking", "classification") in rules(report.findings)
    assert ("c.box!m1!<hidden>", "marking", "classification") in rules(report.findings)
    # the box itself also ends with the mark: its own hidden child comes after its members
    assert ("c.box!<hidden>", "marking", "classification") in rules(report.findings)


def test_children_of_carved_children_are_carved_again(registry: Registry) -> None:
    data = b"a" + hide(b"b" + hide(b"TOP SECRET"))
    report = Scanner(registry).scan_bytes("t.txt", data)
    assert ("t.txt!<hidden>!<hidden>", "marking", "classification") in rules(report.findings)


def test_a_failing_carver_is_an_error_finding_and_the_rest_goes_on(registry: Registry) -> None:
    report = Scanner(registry).scan_bytes("c.box", b"BOX1SECRET|x" + hide(b"RAISE"))
    assert rules(report.findings) == [
        ("c.box", "error", "corrupt"),  # the box ends with the hidden "RAISE"...
        ("c.box!m0", "marking", "classification"),
        ("c.box!m1", "error", "corrupt"),  # ...and so does its last member
    ]
    assert "carver hidden failed" in report.findings[0].message
    assert "carver bug" in report.findings[0].message


def test_carved_children_obey_the_depth_limit(registry: Registry) -> None:
    data = b"x" + hide(b"x" + hide(b"x" + hide(b"SECRET")))
    report = Scanner(registry, Policy(limits=Limits(max_depth=2))).scan_bytes("t.txt", data)
    assert ("t.txt!<hidden>!<hidden>", "limit", "depth") in rules(report.findings)
    assert not [f for f in report.findings if f.detector == "marking"]


def test_carved_bytes_count_against_the_total(registry: Registry) -> None:
    data = b"x" + hide(b"y" * 5000)
    report = Scanner(registry, Policy(limits=Limits(max_total_bytes=1000))).scan_bytes("t", data)
    assert ("t", "limit", "total") in rules(report.findings)


def test_a_policy_can_turn_carver_notices_off(registry: Registry) -> None:
    policy = Policy(detectors={"concealment": False})
    report = Scanner(registry, policy).scan_bytes("t.txt", b"a" + hide(b"SECRET"))
    assert rules(report.findings) == [("t.txt!<hidden>", "marking", "classification")]


def test_two_carvers_with_one_name_are_refused() -> None:
    registry = Registry(carvers=[HiddenCarver()])
    registry.add_carver(HiddenCarver())  # the same plugin listed twice is harmless
    assert len(registry.carvers) == 1
    with pytest.raises(PluginError, match="two carvers"):
        registry.add_carver(OtherHidden())


def test_every_builtin_carver_in_pyproject_loads() -> None:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    declared = set(project["entry-points"]["leaktrace.carvers"])
    assert declared == {"trailing", "embedded", "encoded"}
    loaded = Registry.from_entry_points().carvers
    assert {c.name for c in loaded} >= declared
    assert [c.name for c in loaded] == sorted(c.name for c in loaded)  # a stable order


def test_a_third_party_carver_is_found_through_entry_points(on_path: Path) -> None:  # noqa: F811
    install_fake_distribution(
        on_path, "[leaktrace.carvers]\ntail = shoutplugin:TailCarver\n", CARVER_MODULE
    )
    registry = Registry.from_entry_points()
    assert "tail" in {c.name for c in registry.carvers}
    report = Scanner(registry).scan_bytes("memo.txt", b"nothing here @@TOP SECRET plans")
    assert ("memo.txt!<after @@>", "marking", "classification") in rules(report.findings)
    assert ("memo.txt", "concealment", "trailing-data") in rules(report.findings)
