"""The trend figures' titles write the chosen threshold as the page's threshold line and figure write it.

A binary PAndAS-like list's threshold for 80% purity was the score 0.24363: the threshold line and figure said
0.243 (rounded down, so that classify --threshold 0.243 selects the same rows), the trend figures' titles said
"threshold 0.244" (``{:.3f}``), a number that given to classify leaves the lowest selected row out.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table

from starclass.evaluate.compare import evaluate_catalogs
from starclass.evaluate.task import EvalTask
from starclass.report.build import layout


def test_the_trend_titles_say_the_threshold_the_threshold_line_says():
    rng = np.random.default_rng(1)
    n = 40
    ref = np.array([1] * 20 + [2] * 20)
    # 16 clusters from 0.95 down, three decoys above the chosen score: 0.24363 is the lowest score with purity 0.8
    p1 = np.r_[np.linspace(0.95, 0.3, 16), [0.24363, 0.1, 0.05, 0.02], [0.9, 0.8, 0.7, 0.5], np.linspace(0.2, 0.01, 16)]
    t = Table({"x": rng.uniform(0, 100, n), "y": rng.uniform(0, 100, n), "class_ref": ref, "prob_1": p1,
               "prob_2": 1 - p1, "class_pred": np.where(p1 >= 0.5, 1, 2)})
    ev = evaluate_catalogs(t, task=EvalTask.from_classes((1, 2), positive_class=1), n_boot=0)
    chosen = ev.comparisons[0].thresholds[0].chosen
    assert chosen["threshold"] == 0.24363 and chosen["shown"] == "0.243"
    items = [it for s in layout(ev, n_boot=0, science=False) for it in s.items]
    line = [it.content for it in items if it.kind == "text" and "score threshold for 80% purity" in str(it.content)]
    assert line and "<b>0.243</b>" in line[0], line
    trends = [it.alt for it in items if it.kind == "figure" and it.name.startswith("vs_")]
    assert len(trends) == 2, trends  # against x and y
    assert all(alt.endswith("threshold 0.243") for alt in trends), trends
