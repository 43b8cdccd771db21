"""open-globular's positive class is the globular clusters, the class of the paper's figures (2026-12-07).

Stipp & Montana-Lopez (seed 003) "were able to tell apart globular clusters with an accuracy of 0.94 and an
f1 score of 0.93", and benchmarks/seeds_*.py score F1 with globular positive; the preset named no positive
class, so ``evaluate`` took open (the first class) for its curves, average precision and purity threshold,
and ``classify --threshold`` thresholded P(open).
"""

from __future__ import annotations

import re

import numpy as np
from astropy.table import Table
from sklearn.metrics import average_precision_score
from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.classify import decision_threshold
from starclass.learn.config import get_preset


def test_evaluate_scores_the_globular_clusters(tmp_path):
    rng = np.random.default_rng(3)
    ref = rng.integers(1, 3, 60)
    p2 = np.clip(np.where(ref == 2, 0.65, 0.35) + rng.normal(0, 0.2, 60), 0.01, 0.99)
    path = tmp_path / "pred.csv"
    Table({"file": [f"{i}.png" for i in range(60)], "class_ref": ref, "class_pred": np.where(p2 >= 0.5, 2, 1),
           "prob_1": 1 - p2, "prob_2": p2}).write(path, format="ascii.csv")
    res = CliRunner().invoke(app, ["evaluate", str(path), "--task", "open-globular", "-o", str(tmp_path / "ev"),
                                   "--bootstrap", "0"])
    assert res.exit_code == 0, res.output
    assert "positive class 2 (globular) (from --task)" in res.output, res.output
    ap = float(re.search(r"2class class 2 \(globular\) vs rest: ROC AUC [\d.]+, average precision ([\d.]+)",
                         res.output).group(1))
    want = average_precision_score(ref == 2, p2)
    assert abs(ap - want) < 6e-4, (ap, want)
    assert abs(want - average_precision_score(ref == 1, 1 - p2)) > 1e-3  # the two classes' differ here
    assert "threshold for 80% purity of class 2 (globular)" in res.output, res.output


def test_classify_threshold_is_on_the_globular_probability():
    for name in ("open-globular", "open-globular-compact"):
        assert decision_threshold(get_preset(name), 0.4) == (0.4, 2)
