"""Cross-validation of a binary task: a fold that selects no positive object has no purity.

Before: ``fold_metrics`` gave such a fold purity 0 (scikit-learn's zero_division=0), so ``train
--cv`` printed 0.000 and the mean over folds counted it as a fold of pure contaminants (three
folds of a contaminant search, galaxy = class 2, one selecting 10% of the galaxies at purity 1
and two selecting none, printed purities 1, 0, 0 and a mean of 0.333); ``cv_summary.json`` held
``NaN``, which is no JSON, for every multi-class task.
"""

from __future__ import annotations

import json
import math
from types import SimpleNamespace

import numpy as np

from starclass.learn.crossval import fold_metrics


def test_a_fold_selecting_nothing_has_no_purity_and_the_mean_leaves_it_out():
    y = np.array([1, 1, 2, 2, 2])
    none = fold_metrics(y, np.array([1, 1, 1, 1, 1]), [1, 2], positive=2)
    assert math.isnan(none["purity"]) and none["recall"] == 0.0 and none["f1"] == 0.0
    some = fold_metrics(y, np.array([1, 1, 2, 1, 1]), [1, 2], positive=2)
    assert some["purity"] == 1.0 and math.isclose(some["recall"], 1 / 3)
    assert np.nanmean([none["purity"], some["purity"]]) == 1.0
    # no positive object in the reference: recall is undefined, purity 0 (all selected are wrong)
    neg = fold_metrics(np.array([1, 1]), np.array([2, 1]), [1, 2], positive=2)
    assert neg["purity"] == 0.0 and math.isnan(neg["recall"])


def test_the_summary_is_json_and_the_table_shows_a_dash(capsys):
    from starclass.learn.crossval import _json_safe

    summary = _json_safe({"purity": float("nan"), "folds": [{"purity": np.float64("nan"), "f1": 0.5}]})
    assert json.loads(json.dumps(summary, allow_nan=False)) == {"purity": None, "folds": [{"purity": None,
                                                                                            "f1": 0.5}]}
    from starclass.cli.train_cmd import _print_cv

    nan = float("nan")
    fold = {"accuracy": 0.5, "macro_f1": 0.333, "purity": nan, "recall": 0.0, "f1": 0.0}
    cvr = SimpleNamespace(notes=[], folds=[{"fold": "1", "n": 20, **fold}], pooled={"n": 20, **fold},
                          mean=dict(fold), std={k: nan for k in fold}, outdir="m")
    _print_cv(cvr)
    out = capsys.readouterr().out
    assert "purity" in out and "—" in out and "nan" not in out
