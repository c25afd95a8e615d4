"""A spectrogram PNG of one or more analysed recordings, with every emitter marked.

Unauthorized emitters are outlined in red, allowed ones in green; each carries its centre
frequency. Time runs downwards, as on a waterfall display.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from leaktrace.rf.emitters import Emitter
from leaktrace.rf.sweep import Analysis


def write_spectrogram(
    analyses: Sequence[Analysis], out: Path, permitted: Callable[[Emitter], bool]
) -> None:
    """Draw one panel per recording into ``out`` (PNG)."""
    import matplotlib

    matplotlib.use("Agg")  # no display: the file is the product
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    figure, axes = plt.subplots(
        len(analyses), 1, figsize=(11, 4.5 * len(analyses)), squeeze=False, dpi=100
    )
    for axis, analysis in zip(axes[:, 0], analyses, strict=True):
        image = None
        for grid, display, row_s in zip(
            analysis.grids, analysis.displays, analysis.display_row_s, strict=True
        ):
            if display.size == 0:
                continue
            db = 10 * np.log10(np.maximum(display, 1e-30))
            top = grid.start_s + display.shape[0] * row_s
            image = axis.imshow(
                db,
                aspect="auto",
                origin="upper",
                extent=(
                    float(grid.bin_hz[0]) / 1e6,
                    float(grid.bin_hz[-1]) / 1e6,
                    top,
                    grid.start_s,
                ),
                cmap="viridis",
                vmin=analysis.noise_dbfs - 3,
                interpolation="nearest",
            )
        for emitter in analysis.emitters:
            colour = "lime" if permitted(emitter) else "red"
            axis.add_patch(
                Rectangle(
                    (emitter.low_hz / 1e6, emitter.first_seen_s),
                    emitter.bandwidth_hz / 1e6,
                    max(emitter.last_seen_s - emitter.first_seen_s, 1e-6),
                    fill=False,
                    edgecolor=colour,
                    linewidth=1.5,
                )
            )
            axis.annotate(
                f"{emitter.center_hz / 1e6:.3f} MHz",
                (emitter.low_hz / 1e6, emitter.first_seen_s),
                color=colour,
                fontsize=8,
                va="bottom",
            )
        axis.set_title(Path(analysis.path).name, fontsize=10)
        axis.set_xlabel("frequency (MHz)")
        axis.set_ylabel("time (s)")
        if image is not None:
            figure.colorbar(image, ax=axis, label="power per bin (dBFS)")
        axis.set_ylim(max(analysis.duration_s, 1e-6), 0)
    figure.tight_layout()
    figure.savefig(out, format="png")
    plt.close(figure)
