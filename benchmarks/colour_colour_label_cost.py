"""What placing the colour-colour box labels off the SSP track costs (shared 2-core machine: noisy).

    PYTHONPATH=src .venv/bin/python benchmarks/colour_colour_label_cost.py

Draws the report's four-class colour-colour figure (demo bands, track and reddening arrow) and saves it as the page
does, with ``report.figures.place_box_labels`` and with it made a no-op, in the same process; prints seconds per
figure and the ratio.
"""

from __future__ import annotations

import time

import numpy as np

from starclass.report import figures as F
from starclass.science.ssp import ssp_track


def per_figure(panels, track, repeats: int = 5) -> float:
    """Seconds to draw and save the figure, the mean of ``repeats``."""
    t0 = time.perf_counter()
    for _ in range(repeats):
        F.to_png_base64(F.fig_colour_colour(panels, track, "classified: U-B vs V-I", reddening=(0.43, 0.25, "A_V = 1")))
    return (time.perf_counter() - t0) / repeats


def main() -> None:
    track = ssp_track(["f275w", "f336w", "f438w", "f555w", "f814w"])
    rng = np.random.default_rng(0)
    panels = [(f"class {k}", rng.normal(-0.5, 0.5, 300), rng.normal(0.6, 0.4, 300)) for k in range(1, 5)]
    per_figure(panels, track, 1)  # warm-up: fonts, the SSP table
    placed = per_figure(panels, track)
    real = F.place_box_labels
    F.place_box_labels = lambda ax, renderer: None  # the labels left at their first spot
    try:
        fixed = per_figure(panels, track)
    finally:
        F.place_box_labels = real
    print(f"labels placed: {placed:.3f} s a figure; left in place: {fixed:.3f} s (x{placed / fixed:.2f})")


if __name__ == "__main__":
    main()
