"""The score CDF of a five-class task draws a class predicted once, and keeps its legend off the steps.

Found in the report of a five-class galaxy-cluster task (the seed simulator's expert classes, 3 epochs): class 2
was predicted once, named in the legend "2 high-z cluster (n=1)" and drawn nowhere (a step line of one point draws
nothing); and matplotlib's "best" legend, which reads a step line's corners joined straight, sat on a corner of
class 5's steps.
"""

from __future__ import annotations

import numpy as np
from matplotlib.cbook import STEP_LOOKUP_MAP
from matplotlib.path import Path

from starclass.report.figures import fig_score_cdf

#: the scores of the predicted class per predicted class, rounded, of that report's 80 cutouts
SCORES = {
    1: [0.29, 0.32, 0.32, 0.33, 0.38, 0.39, 0.42, 0.44, 0.44, 0.45, 0.47, 0.49, 0.54, 0.56, 0.58, 0.58, 0.6, 0.63,
        0.64, 0.64, 0.7, 0.73, 0.73, 0.76, 0.77, 0.82, 0.85, 0.86, 0.87],
    2: [0.36],
    3: [0.3, 0.34, 0.42, 0.52, 0.68, 0.89, 0.92, 0.98, 0.99, 1.0],
    4: [0.3, 0.3, 0.33, 0.39, 0.46, 0.52, 0.6, 0.67, 0.72, 0.75],
    5: [0.31, 0.32, 0.32, 0.35, 0.37, 0.38, 0.39, 0.39, 0.41, 0.41, 0.44, 0.46, 0.46, 0.5, 0.51, 0.55, 0.55, 0.56,
        0.56, 0.56, 0.59, 0.59, 0.61, 0.63, 0.63, 0.68, 0.7, 0.72, 0.82, 0.86],
}
NAMES = {"1": "1 low-z cluster", "2": "2 high-z cluster", "3": "3 nearby galaxy", "4": "4 point source",
         "5": "5 other"}


def _figure():
    fig = fig_score_cdf({k: np.array(v) for k, v in SCORES.items()}, "how sure the predictions are", NAMES,
                        n_classes=5)
    fig.canvas.draw()
    return fig, fig.axes[0], fig.canvas.get_renderer()


def test_a_class_predicted_once_is_drawn():
    fig, ax, renderer = _figure()
    line = [ln for ln in ax.lines if ln.get_label().startswith("2 high-z cluster")]
    assert len(line) == 1
    assert line[0].get_marker() not in (None, "None", "", " ") and line[0].get_markersize() > 0
    x, y = line[0].get_xydata()[0]
    # inside the axes' view, where its marker is drawn
    assert ax.get_xlim()[0] <= x <= ax.get_xlim()[1] and ax.get_ylim()[0] <= y <= ax.get_ylim()[1]


def test_the_legend_covers_no_step():
    fig, ax, renderer = _figure()
    box = ax.get_legend().get_window_extent(renderer)
    covered = []
    for ln in ax.lines:
        x, y = ln.get_xdata(), ln.get_ydata()
        xs, ys = STEP_LOOKUP_MAP[ln.get_drawstyle()](np.asarray(x, float), np.asarray(y, float))
        drawn = ln.get_transform().transform(np.column_stack([xs, ys]))
        if len(drawn) > 1 and Path(drawn).intersects_bbox(box, filled=False):
            covered.append(ln.get_label())
    assert covered == [], covered
    # the legend still names every class
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [f"{NAMES[str(k)]} (n={len(v)})"
                                                                  for k, v in SCORES.items()]
