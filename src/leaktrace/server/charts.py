"""Charts as server-rendered SVG: no JavaScript, readable without colour, sized by viewBox."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

PALETTE = ("#2457c5", "#d2601a", "#3d8b5a", "#b3261e", "#7b5bc4", "#c08a1e", "#1f8a8a")
SEVERITY_COLOURS = ("#7b8494", "#3d8b5a", "#c08a1e", "#d2601a", "#b3261e")


def _svg(width: int, height: int, body: str, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>'
        f"{body}</svg>"
    )


def bar_chart(
    labels: Sequence[str],
    values: Sequence[int],
    title: str,
    colours: Sequence[str] = PALETTE,
) -> str:
    """Horizontal bars, one per label, with the value written at the end of each."""
    row, label_width, width = 30, 150, 520
    height = max(1, len(labels)) * row + 10
    top = max(values, default=0) or 1
    parts = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 5 + i * row
        length = (width - label_width - 50) * value / top
        colour = colours[i % len(colours)]
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 20}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y + 5}" width="{length:.1f}" height="{row - 10}" '
            f'fill="{colour}"/>'
            f'<text x="{label_width + length + 5:.1f}" y="{y + 20}">{value}</text>'
        )
    if not labels:
        parts.append('<text x="10" y="20">nothing yet</text>')
    return _svg(width, height, "".join(parts), title)


def column_chart(labels: Sequence[str], values: Sequence[int], title: str) -> str:
    """Vertical columns over time (one per label, oldest left), with a labelled axis."""
    width, height, left, bottom = 520, 220, 36, 40
    plot_w, plot_h = width - left - 10, height - bottom - 14
    top = max(values, default=0) or 1
    step = plot_w / max(1, len(values))
    parts = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" '
        'stroke="#8a93a3"/>',
        f'<text x="{left - 4}" y="18" text-anchor="end">{top}</text>',
        f'<text x="{left - 4}" y="{height - bottom}" text-anchor="end">0</text>',
    ]
    every = max(1, len(labels) // 6)  # at most about six dates under the axis
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * value / top
        x = left + i * step + step * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{height - bottom - h:.1f}" width="{step * 0.7:.1f}" '
            f'height="{h:.1f}" fill="{PALETTE[0]}"><title>{escape(label)}: {value}</title></rect>'
        )
        if i % every == 0:
            parts.append(
                f'<text x="{x + step * 0.35:.1f}" y="{height - bottom + 16}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    if not labels:
        parts.append(f'<text x="{left + 10}" y="{height / 2}">nothing yet</text>')
    return _svg(width, height, "".join(parts), title)
