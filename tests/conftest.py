"""Shared test helpers: a real registry from the installed entry points and a one-call scan."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from leaktrace.core.finding import Finding
from leaktrace.core.pipeline import FileReport, Scanner
from leaktrace.core.policy import Policy
from leaktrace.core.registry import Registry
from leaktrace.store import Store
from tests.store.backends import BACKENDS, backend_url

ScanBytes = Callable[..., FileReport]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store database on every backend (see tests/store/backends.py)."""
    yield from backend_url(request.param, tmp_path / "db")


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    with Store.open(database_url) as opened:
        yield opened


@pytest.fixture(scope="session")
def registry() -> Registry:
    return Registry.from_entry_points()


@pytest.fixture
def scan_bytes(registry: Registry) -> ScanBytes:
    """Scan in-memory content through the whole pipeline, as `leaktrace scan` would."""

    def scan(name: str, data: bytes, policy: Policy | None = None) -> FileReport:
        return Scanner(registry, policy).scan_bytes(name, data)

    return scan


def by_detector(findings: list[Finding], detector: str) -> list[Finding]:
    return [f for f in findings if f.detector == detector]
