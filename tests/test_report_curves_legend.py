"""The ROC and precision-recall legends cover no curve: they go under their panels, below the x labels.

Until 2026-12-07 they sat inside the panels ("best" place), and a four-class legend of a weak model covered half
of its ROC curves, which run along the diagonal through every corner. Read from the figure's legend, panel and
label artists.
"""

from __future__ import annotations

import numpy as np

from starclass.evaluate.curves import one_vs_rest
from starclass.report import figures as F

NAMES = {"1": "1 symmetric compact cluster", "2": "2 asymmetric compact cluster", "3": "3 compact association",
         "4": "4 artefact / non-cluster"}


def test_the_curves_legends_lie_clear_of_every_panel_and_label():
    rng = np.random.default_rng(0)
    ref = rng.integers(1, 5, 200)
    probs = rng.dirichlet(np.ones(4), 200)  # a weak model: every curve near the diagonal
    roc, pr, _ = one_vs_rest(ref, probs, "4class", (1, 2, 3, 4), groups={k: (int(k),) for k in NAMES})
    fig = F.fig_curves(roc, pr, "4class: one vs rest", NAMES)
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    panels = fig.axes[:2]
    legends = [ax.get_legend() for ax in panels]
    assert all(lg is not None and len(lg.get_texts()) == 4 for lg in legends)
    boxes = [lg.get_window_extent(r) for lg in legends]
    for box in boxes:
        for ax in panels:
            assert not box.overlaps(ax.get_window_extent(r)), ax.get_title()  # over no curve
            assert not box.overlaps(ax.xaxis.label.get_window_extent(r)), ax.get_xlabel()
            assert not any(box.overlaps(t.get_window_extent(r)) for t in ax.get_xticklabels() if t.get_text())
    assert not boxes[0].overlaps(boxes[1])  # the two legends side by side, not into each other
    saved = F.png_box(fig, fig.dpi)
    if not isinstance(saved, str) and saved is not None:  # a box in inches: the legends within it
        assert all(saved.x0 * fig.dpi <= b.x0 and b.y0 >= saved.y0 * fig.dpi for b in boxes)
    else:
        assert saved == "tight"  # saved with a tight box, which takes the legends in
    F._close(fig)
