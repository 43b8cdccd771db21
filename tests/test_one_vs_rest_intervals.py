"""The per-class one-vs-rest figures get bootstrap intervals as precision, recall and F1 do.

``evaluate --bootstrap N`` gave precision, recall and F1 of each class a 95% interval
(``<figure>_lo``, ``_hi`` in the per-class table, ``[lo, hi]`` on the printed ``class k:`` lines)
but not ``one_vs_rest_balanced_accuracy`` nor ``one_vs_rest_accuracy``, printed beside them
without one. Now both get theirs from the same resamples (whole objects where ``--group-column``
names them). Checked against scikit-learn on a resampler written out by hand that draws the
same objects, for a binary and a four-class task.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from astropy.table import Table
from sklearn.metrics import accuracy_score, balanced_accuracy_score
from typer.testing import CliRunner

from conftest import classified_objects, object_resamples
from starclass.cli import app
from starclass.evaluate.compare import evaluate_catalogs

runner = CliRunner()
N_BOOT = 120
FIGS = ("one_vs_rest_balanced_accuracy", "one_vs_rest_accuracy")


def _ovr(ref: np.ndarray, pred: np.ndarray, k: int) -> dict[str, np.ndarray]:
    """Each class's "class c or not" balanced accuracy and accuracy with scikit-learn (NaN where undefined)."""
    bal, acc = [], []
    for c in range(1, k + 1):
        y, yhat = ref == c, pred == c
        # balanced accuracy needs both kinds of row in the reference (recall and specificity both defined)
        bal.append(balanced_accuracy_score(y, yhat) if 0 < y.sum() < y.size else np.nan)
        acc.append(accuracy_score(y, yhat))
    return {FIGS[0]: np.array(bal), FIGS[1]: np.array(acc)}


def _by_hand(t: Table, k: int, seed: int = 0) -> dict[str, np.ndarray]:
    ref, pred = np.asarray(t["class_ref"]), np.asarray(t["class_pred"])
    draws: dict[str, list[np.ndarray]] = {f: [] for f in FIGS}
    for idx in object_resamples(t["object_id"], N_BOOT, seed):
        for key, v in _ovr(ref[idx], pred[idx], k).items():
            draws[key].append(v)
    out = {}
    for key, vals in draws.items():
        arr = np.array(vals)
        out[key] = np.array([np.quantile(col[np.isfinite(col)], [0.025, 0.975]) for col in arr.T]).T
    return out


@pytest.mark.parametrize("k", [2, 4])
def test_one_vs_rest_intervals_match_a_hand_written_bootstrap(k):
    t, task, _ = classified_objects(k, 50, seed=60 + k)
    c = evaluate_catalogs(t, task=task, n_boot=N_BOOT, group_column="object_id").comparisons[0]
    pc = c.results[0].per_class
    ref, pred = np.asarray(t["class_ref"]), np.asarray(t["class_pred"])
    want, hand = _ovr(ref, pred, k), _by_hand(t, k)
    for fig in FIGS:
        value = np.asarray(pc[fig], float)
        assert value == pytest.approx(want[fig], rel=1e-12), fig
        # the old code wrote no such columns (KeyError)
        lo, hi = np.asarray(pc[f"{fig}_lo"], float), np.asarray(pc[f"{fig}_hi"], float)
        assert np.array([lo, hi]) == pytest.approx(hand[fig], rel=1e-9, abs=1e-12), fig
        assert (lo <= value).all() and (value <= hi).all() and (lo < hi).all(), fig
        # the columns sit after their figure, as precision_lo, precision_hi do
        at = pc.colnames.index(fig)
        assert pc.colnames[at + 1:at + 3] == [f"{fig}_lo", f"{fig}_hi"]
    text = "\n".join(c.lines())
    for j in range(k):
        row = pc[j]
        for fig, said in ((FIGS[0], "one-vs-rest balanced accuracy"), (FIGS[1], "one-vs-rest accuracy")):
            shown = (f"{said} {float(row[fig]):.3f} [{float(row[fig + '_lo']):.3f}, "
                     f"{float(row[fig + '_hi']):.3f}]")
            assert shown in text, (shown, text)


def test_evaluate_writes_and_prints_them(tmp_path):
    t, _, _ = classified_objects(4, 40, seed=5)
    pred, truth = tmp_path / "pred.ecsv", tmp_path / "truth.ecsv"
    t["id"] = np.arange(1, len(t) + 1)
    t["x"], t["y"] = 20.0 * np.arange(len(t)), np.full(len(t), 50.0)  # paired by position, 20 px apart
    t["id", "x", "y", "object_id", "class_pred", "prob_1", "prob_2", "prob_3", "prob_4"].write(pred)
    t["id", "x", "y", "class_ref"].write(truth)
    res = runner.invoke(app, ["evaluate", str(pred), "-r", str(truth), "--bootstrap", "20", "--no-science",
                              "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    assert re.search(r"class 1[^:]*: .*one-vs-rest balanced accuracy [0-9.]+ \[[0-9.]+, [0-9.]+\], "
                     r"one-vs-rest accuracy [0-9.]+ \[[0-9.]+, [0-9.]+\]", res.output), res.output
    tables = list((tmp_path / "ev" / "tables").glob("per_class_*.ecsv"))
    assert tables
    for path in tables:
        pc = Table.read(path)
        for fig in FIGS:
            lo, v, hi = (np.asarray(pc[c], float) for c in (f"{fig}_lo", fig, f"{fig}_hi"))
            assert (lo <= v).all() and (v <= hi).all(), (path.name, fig)
