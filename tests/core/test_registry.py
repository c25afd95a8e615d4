import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaktrace.core.errors import PluginError
from leaktrace.core.pipeline import Scanner
from leaktrace.core.registry import Registry
from leaktrace.detect.marking import MarkingDetector

PYPROJECT = Path(__file__).parents[2] / "pyproject.toml"

PLUGIN_MODULE = """
from leaktrace.core.finding import Rule, Severity
from leaktrace.core.plugin import Detector


class ShoutDetector(Detector):
    name = "shout"
    rules = (Rule("shout", "caps", "A line in capitals", Severity.LOW),)

    def detect(self, item):
        for number, line in enumerate((item.text or "").splitlines(), start=1):
            if len(line) > 8 and line.isupper():
                yield self.finding(item, "caps", "shouting", details={"line": number})
"""


def install_fake_distribution(root: Path, entry_points: str, module: str | None) -> None:
    """Write a package and its .dist-info, as pip would, on a folder put on sys.path."""
    info = root / "shoutplugin-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: shoutplugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(entry_points)
    if module is not None:
        (root / "shoutplugin.py").write_text(module)


@pytest.fixture
def on_path(tmp_path: Path) -> Iterator[Path]:
    sys.path.insert(0, str(tmp_path))
    yield tmp_path
    sys.path.remove(str(tmp_path))
    sys.modules.pop("shoutplugin", None)


def test_every_builtin_plugin_in_pyproject_loads(registry: Registry) -> None:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    extractors = set(project["entry-points"]["leaktrace.extractors"])
    detectors = set(project["entry-points"]["leaktrace.detectors"])
    assert {e.name for e in registry.extractors} >= extractors
    assert set(registry.detector_classes) >= detectors


def test_a_third_party_detector_is_found_through_entry_points(on_path: Path) -> None:
    install_fake_distribution(
        on_path, "[leaktrace.detectors]\nshout = shoutplugin:ShoutDetector\n", PLUGIN_MODULE
    )
    registry = Registry.from_entry_points()
    assert "shout" in registry.detector_classes
    report = Scanner(registry).scan_bytes("memo.txt", b"quiet line\nTHIS IS LOUD TEXT\n")
    assert [(f.detector, f.rule) for f in report.findings] == [("shout", "caps")]


def test_a_broken_plugin_is_one_clear_error(on_path: Path) -> None:
    install_fake_distribution(on_path, "[leaktrace.detectors]\nshout = nowhere:Nothing\n", None)
    with pytest.raises(PluginError, match="cannot load plugin 'shout'"):
        Registry.from_entry_points()


def test_two_detectors_with_one_name_are_refused() -> None:
    class Impostor(MarkingDetector):
        pass

    registry = Registry(detectors=[MarkingDetector])
    with pytest.raises(PluginError, match="two detectors"):
        registry.add_detector(Impostor)


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 16, "application/gzip"),
        (b"{\\rtf1\\ansi hello}", "application/rtf"),
        (b"From: a@example.org\nTo: b@example.org\nSubject: hi\n\nbody\n", "message/rfc822"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "text/html"),
        (b"just words\n", "text/plain"),
        (bytes(range(256)), "application/octet-stream"),
        (b"", "application/octet-stream"),
    ],
)
def test_identification_is_by_content(registry: Registry, data: bytes, media_type: str) -> None:
    assert registry.identify(data) == media_type
