"""Hostile third-party plugins, as a careless or broken package might ship them."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

from leaktrace.core.finding import Finding
from leaktrace.core.item import Item
from leaktrace.core.plugin import Child, Detector, ExtractContext, Extraction, Extractor

BOX = b"BOX1"


class BoxExtractor(Extractor):
    """A toy container: b"BOX1" then members separated by b"|"; "CRASH" kills the process,
    "RAISE" raises mid-listing, "SLEEP" takes a long time, "HANG" never comes back."""

    name = "box"
    media_types = frozenset({"application/x-test-box"})
    sniff_priority = 90

    def sniff(self, head: bytes, data: bytes) -> str | None:
        return "application/x-test-box" if head.startswith(BOX) else None

    def extract(self, item: Item, context: ExtractContext) -> Extraction:
        return Extraction(text=None, children=self._children(item.data[4:], context))

    def _children(self, body: bytes, context: ExtractContext) -> Iterator[Child]:
        for index, member in enumerate(body.split(b"|")):
            if member == b"CRASH":
                os._exit(3)
            if member == b"RAISE":
                raise ValueError("member table is garbage")
            if member == b"HANG":  # like native code that never returns to the interpreter
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
                time.sleep(120)
            if member == b"SLEEP":
                time.sleep(3)
                context.budget.check_time()
            yield Child(f"m{index}", context.budget.accept(member))


class BrokenDetector(Detector):
    name = "broken"

    def detect(self, item: Item) -> Iterator[Finding]:
        if item.text and "boom" in item.text:
            raise RuntimeError("detector bug")
        return iter(())
