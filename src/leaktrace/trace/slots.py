"""The marking layers' public API, in one place.

``plan_marks`` places a document's slots, ``render_marks`` writes one recipient's bits,
``read_marks`` reads a leaked text, ``explain`` shows an author where the slots are. Layers:
``wording`` (survives retyping), ``invisible`` (zero-width marks and look-alike letters; lost
on retyping), ``format`` (docx and HTML markup; see ``trace.formats``).
"""

from __future__ import annotations

from leaktrace.trace.place import plan_marks
from leaktrace.trace.plan import (
    LAYERS,
    ExplainedSlot,
    FormatMark,
    MarkPlan,
    PlanMismatch,
    Slot,
)
from leaktrace.trace.read import read_marks
from leaktrace.trace.render import explain, render_marks

__all__ = [
    "LAYERS",
    "ExplainedSlot",
    "FormatMark",
    "MarkPlan",
    "PlanMismatch",
    "Slot",
    "explain",
    "plan_marks",
    "read_marks",
    "render_marks",
]
