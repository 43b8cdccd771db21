"""The warning of a prediction that puts every object in one class says what its ROC AUC is.

It said "constant probabilities give ROC AUC 0.5" whatever the probabilities: a model whose argmax
is always class 1 but whose prob_1 still ranks the objects has an AUC far from 0.5.
"""

import warnings

import numpy as np
import pytest
from astropy.table import Table
from sklearn.metrics import roc_auc_score

from starclass.evaluate.compare import compare
from starclass.evaluate.task import EvalTask


def _compare(prob_1: np.ndarray, ref: np.ndarray):
    t = Table({"class_pred": np.ones(ref.size, int), "class_ref": ref, "prob_1": prob_1, "prob_2": 1.0 - prob_1})
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        c = compare(t, t, EvalTask.from_classes((1, 2), positive_class=1), ref_is_pred=True, n_boot=0)
    msgs = [str(w.message) for w in said if "puts all" in str(w.message)]
    assert len(msgs) == 1, [str(w.message) for w in said]
    return c, msgs[0]


def test_varying_probabilities_are_ranked_and_the_warning_says_so():
    ref = np.array([1, 1, 1, 2, 2, 1, 2, 1])
    prob_1 = np.array([0.9, 0.8, 0.85, 0.55, 0.6, 0.7, 0.52, 0.95])  # all > 0.5: class 1 always predicted
    c, msg = _compare(prob_1, ref)
    auc = float(c.curves[0].areas["roc_auc"][0])
    assert auc == pytest.approx(roc_auc_score(ref == 1, prob_1)) and auc == pytest.approx(1.0)
    assert "still vary" in msg and "ROC AUC 0.5" not in msg.split("(")[0], msg


def test_constant_probabilities_give_auc_one_half_and_the_warning_says_so():
    ref = np.array([1, 1, 1, 2, 2, 1, 2, 1])
    c, msg = _compare(np.full(ref.size, 0.7), ref)
    assert float(c.curves[0].areas["roc_auc"][0]) == pytest.approx(0.5)
    assert float(c.curves[0].areas["average_precision"][0]) == pytest.approx(np.mean(ref == 1))
    assert "constant too, so its ROC AUC is 0.5" in msg, msg
