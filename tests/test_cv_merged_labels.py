"""Cross-validation of a task that merges its reference classes scores the held-out rows in the task's classes.

Before: ``cross_validate`` scored each fold's predictions (the task's classes, m31-binary's 1 and 2) against the
raw labels (PHANGS classes 1-4, which the task merges 1+2 -> 1, 3+4 -> 2), so every held-out row of class 3 or 4
counted wrong: ``starclass train --task m31-binary-compact --stamps all.h5 --cv 5`` (two simulated M31 fields,
docs/training.md) printed accuracy 0.052 where 0.92 of the rows were predicted right. And where one fold of two had
no purity (it selected no cluster), the std over folds warned numpy's "Degrees of freedom <= 0 for slice".
"""

from __future__ import annotations

import math
import tempfile
import warnings
from types import SimpleNamespace

import numpy as np

from starclass.datasets.stamps import make_synthetic
from starclass.learn.config import get_preset
from starclass.learn.crossval import cross_validate


def test_held_out_rows_are_scored_through_the_tasks_merge(monkeypatch):
    import starclass.learn.classify as classify_module

    cfg = get_preset("m31-binary-compact", stamp_size=16, recipe={"epochs": 1, "split": "random"})
    toy = make_synthetic(cfg, 48, seed=0)
    raw = np.asarray(toy.class_ref, dtype=int)
    merged_away = np.isin(raw, [3, 4])  # PHANGS classes the task reads as its class 2 (non-cluster)
    assert merged_away.any() and not merged_away.all()

    def says_non_cluster(model, inputs, **kwargs):
        # every held-out row predicted non-cluster, whatever the network: the score depends on the labels only
        n = len(inputs)
        return SimpleNamespace(class_pred=np.full(n, 2), prob_mean=np.tile([0.1, 0.9], (n, 1)))

    monkeypatch.setattr(classify_module, "predict_inputs", says_non_cluster)
    with tempfile.TemporaryDirectory() as d, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the folds' calibration cautions on a few rows
        cv = cross_validate(cfg, toy.inputs, raw, scheme=2, outdir=d, progress=False, device="cpu")
    pred = cv.predictions
    # the table keeps the raw labels, with the merge in its meta for evaluate
    assert pred.meta["reference_merge"] == {"1": 1, "2": 1, "3": 2, "4": 2}
    held_out = np.asarray(pred["row"])
    assert math.isclose(cv.pooled["accuracy"], merged_away[held_out].mean())  # right exactly where 3 or 4
    assert math.isnan(cv.pooled["purity"]) and cv.pooled["recall"] == 0.0  # no cluster selected
    for fold in cv.folds:
        rows = held_out[np.asarray(pred["fold"]) == str(fold["fold"])]
        assert math.isclose(fold["accuracy"], merged_away[rows].mean())


def test_the_spread_over_folds_of_a_metric_one_fold_lacks_is_undefined_without_a_warning():
    from starclass.learn.crossval import fold_spread

    nan = float("nan")
    folds = [{"accuracy": 0.9, "macro_f1": 0.5, "purity": nan, "recall": 0.0, "f1": 0.0},
             {"accuracy": 0.8, "macro_f1": 0.6, "purity": 0.5, "recall": 0.5, "f1": 0.5}]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's RuntimeWarning, which train --cv printed, fails here
        mean, std = fold_spread(folds)
    assert mean["purity"] == 0.5 and math.isnan(std["purity"])
    assert math.isclose(mean["accuracy"], 0.85) and math.isclose(std["accuracy"], np.std([0.9, 0.8], ddof=1))
