"""Recordings for the radio-sweep tests, synthesized into the test's own folder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from leaktrace.rf.synth import EmitterSpec, SynthSpec, write_sigmf

MakeRecording = Callable[..., Path]


@pytest.fixture
def make_recording(tmp_path: Path) -> MakeRecording:
    """``make_recording(name, [EmitterSpec, ...], duration_s=..., ...)`` -> the .sigmf-meta."""

    def make(
        name: str = "room",
        emitters: Sequence[EmitterSpec] = (),
        extra_global: dict[str, Any] | None = None,
        **spec: Any,
    ) -> Path:
        spec.setdefault("duration_s", 0.15)
        return write_sigmf(tmp_path / name, SynthSpec(emitters=emitters, **spec), extra_global)

    return make
