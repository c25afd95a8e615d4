"""A short mutation-fuzzing run of the whole pipeline, in every CI run (see fuzzing.py).

``LEAKTRACE_FUZZ_EXECUTIONS`` makes it longer; ``bench/fuzz.py`` runs long campaigns.
"""

from __future__ import annotations

import os

from leaktrace.core.pipeline import Scanner
from leaktrace.core.policy import Policy
from leaktrace.core.registry import Registry
from tests.core.fuzzing import FuzzResult, check, inputs

EXECUTIONS = int(os.environ.get("LEAKTRACE_FUZZ_EXECUTIONS", "400"))


def test_mutated_files_of_every_format_never_break_the_pipeline(registry: Registry) -> None:
    scanner = Scanner(registry, Policy())
    result = FuzzResult()
    for name, data in inputs(EXECUTIONS, seed=20261129):
        check(scanner, name, data, result)
    assert result.executions == EXECUTIONS
    assert result.failures == []


def test_the_fuzz_check_sees_a_detector_that_raises(registry: Registry) -> None:
    from collections.abc import Iterator

    from leaktrace.core.finding import Finding
    from leaktrace.core.item import Item
    from leaktrace.core.plugin import Detector

    class Fragile(Detector):
        name = "fragile"

        def detect(self, item: Item) -> Iterator[Finding]:
            raise IndexError("boom")

    result = FuzzResult()
    check(Scanner(registry, Policy(), detectors=[Fragile()]), "x.txt", b"hello", result)
    assert result.failures and "detector fragile failed" in result.failures[0]
