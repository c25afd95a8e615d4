"""The text of a leaked file, extracted exactly as a scan would (any format a scan reads)."""

from __future__ import annotations

from leaktrace.core.pipeline import Scanner
from leaktrace.core.policy import Policy
from leaktrace.core.registry import Registry
from leaktrace.protect.registry import TextCollector


def leak_text(registry: Registry, name: str, data: bytes, policy: Policy | None = None) -> str:
    """Every item's text (the file's own, its parts', its attachments'), in lineage order."""
    collector = TextCollector()
    Scanner(registry, policy or Policy(), detectors=[collector]).scan_bytes(name, data)
    return "\n".join(collector.take())
