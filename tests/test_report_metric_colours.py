"""No metric line of the report shares a colour with a class of the page's task.

Until 2026-12-07 purity, recall and F1 (the threshold and trend figures), the reliability diagram's lines and the
deferral figure's were drawn in the red, blue and green of classes 1, 3 and 2: on a two-class page red was both
"cluster" and "purity". They now take :data:`starclass.report.figures.METRIC_PALETTE`. Read from the figures' lines,
for every preset task's classes and merged groups and for a five-class task.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from matplotlib.colors import to_hex

from starclass.evaluate.reliability import deferral_curve, reliability_table
from starclass.evaluate.threshold import metrics_vs_magnitude, metrics_vs_quantity, threshold_scan
from starclass.learn.config import get_preset, list_presets
from starclass.report import figures as F
from starclass.schema import group_column


def _task_labels() -> dict[str, list[str]]:
    """Each preset's labels as its page draws them (classes, the PHANGS merges, its own merged groups); a five-class
    task's."""
    out = {}
    for name in list_presets():
        cfg = get_preset(name)
        labels = [str(k) for k in cfg.classes]
        if len(cfg.classes) == 4:
            labels += ["1+2", "3+4", "1+2+3"]
        out[name] = labels + ["cluster", "non-cluster"]
    out["five-class"] = ["1", "2", "3", "4", "5", "1+2", "cluster"]
    return out


TASKS = _task_labels()


def _metric_figures() -> dict:
    rng = np.random.default_rng(3)
    y = rng.random(200) < 0.4
    score = np.clip(0.5 * y + rng.normal(0.3, 0.2, 200), 0, 1)
    mag = rng.uniform(20, 24, 200)
    probs = np.column_stack([score, 1 - score])
    rel = reliability_table(probs, (~y).astype(int))
    defer = deferral_curve(1 - np.abs(score - 0.5), y == (score > 0.5), [0.0, 0.1, 0.2])
    return {
        "threshold": F.fig_threshold(threshold_scan(y, score), None, "cluster vs rest"),
        "vs magnitude": F.fig_vs_magnitude(metrics_vs_magnitude(y, score, mag), "cluster vs rest", "f555w"),
        "vs quantity": F.fig_vs_quantity(metrics_vs_quantity(y, score, mag, 0.5, nbins=4), "cluster vs rest", "mag"),
        "reliability": F.fig_reliability([("raw", rel, 0.1), ("calibrated", rel, 0.05)], "reliability diagram"),
        "deferral": F.fig_deferral({"entropy": defer, "margin": defer, "top-class": defer}, "deferral"),
    }


def _metric_colours(fig) -> set[str]:
    """The colours of the lines that draw a metric (in a legend, not a reference line: black, grey)."""
    out = set()
    for ax in fig.axes:
        for ln in ax.lines:
            c = to_hex(ln.get_color())
            if not ln.get_label().startswith("_") and c not in ("#000000", "#999999"):
                out.add(c)
    return out


@pytest.fixture(scope="module")
def metric_figures():
    return _metric_figures()


@pytest.mark.parametrize("figure", ["threshold", "vs magnitude", "vs quantity", "reliability", "deferral"])
def test_no_metric_line_takes_a_class_colour(metric_figures, figure):
    drawn = _metric_colours(metric_figures[figure])
    assert drawn and drawn <= {to_hex(c) for c in F.METRIC_PALETTE}
    for task, labels in TASKS.items():
        classes = {to_hex(c) for c in F.colours_of(labels)}
        assert not drawn & classes, f"{figure}: a metric line in a class colour of task {task}"


def test_the_metric_lines_are_told_apart_from_one_another(metric_figures):
    fig = metric_figures["threshold"]
    colours = {ln.get_label(): to_hex(ln.get_color()) for ln in fig.axes[0].lines}
    assert [colours[m] for m in ("purity", "recall", "f1")] == [to_hex(c) for c in F.METRIC_PALETTE[:3]]


def test_the_ladder_rules_take_the_metric_palette():
    from starclass.report.many import summary_figure
    from starclass.science.many import ladder_column

    n = 4
    fields = Table({"field": [f"ngc{i}" for i in range(n)], "distance_mpc": np.linspace(3, 18, n),
                    "n_inspected": np.full(n, 40)})
    for k in range(4):
        fields[group_column(k + 1, prefix="n_")] = np.full(n, 10)
    per = Table({"field": list(fields["field"])})
    for task in ("4class", "binary"):
        for rule in ("majority", "ci_tree", "tree3", "gbm"):
            per[ladder_column(task, rule)] = np.linspace(0.5, 0.8, n)
    dist = Table(names=("field", "class", "quantity", "n", "median", "q25", "q75"),
                 dtype=(str, int, str, int, float, float, float))
    slopes = Table({"field": list(fields["field"]), "beta": np.full(n, -2.0), "beta_err": np.full(n, 0.1)})
    fig = summary_figure({"fields": fields, "distributions": dist, "mass_slopes": slopes, "ladder_per_field": per})
    ladder = [ax for ax in fig.axes if ax.get_title().startswith("leave-one-galaxy-out")]
    assert len(ladder) == 2
    drawn = {to_hex(ln.get_color()) for ax in ladder for ln in ax.lines if ln.get_label() in
             ("majority", "ci_tree", "tree3", "gbm")}
    assert len(drawn) == 4
    classes = {to_hex(c) for c in F.colours_of(TASKS["phangs4"])}
    assert not drawn & classes
