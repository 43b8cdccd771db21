"""evaluate says when calibrated probabilities tie ranks, and gives the ROC AUC on the raw ones beside.

Before: ROC AUC and average precision were computed on the calibrated ``prob_<k>`` alone, while
the threshold study (and ``class_pred``) use ``prob_<k>_raw``. Histogram binning maps each
probability to one of a few bin frequencies, so many rows tie and the areas drop (0.850 against
0.952 on the raw ranking was reported) without a word. Now the calibrated figures stay (nothing is
changed silently), and where the calibrated rows have fewer than half the raw rows' distinct
values and ``prob_<k>_raw`` exist, the raw figures are printed beside them, with a note, and
written as ``roc_auc_raw`` / ``average_precision_raw`` in the ROC AUC table.
"""

from __future__ import annotations

import re

import numpy as np
from astropy.table import Table
from sklearn.metrics import average_precision_score, roc_auc_score
from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.calibration import HistogramBinner

runner = CliRunner()
META = {"task": "sg", "classes": [1, 2], "class_names": ["star", "galaxy"], "positive_class": 2,
        "label_map": {"star": 1, "galaxy": 2}}


def _draw(rng, n):
    y = rng.integers(0, 2, n)  # 1: galaxy (class 2)
    z = rng.normal(0, 1, n) + 1.6 * y
    p2 = 1 / (1 + np.exp(-1.6 * (z - 0.8)))
    return y, np.column_stack([1 - p2, p2])


def _output(tmp_path, calibrate) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    yc, pc = _draw(rng, 3000)
    y, raw = _draw(rng, 400)
    cal = calibrate(pc, yc, raw)
    Table({"file": [f"c{i}.png" for i in range(len(y))], "label": np.where(y == 1, "galaxy", "star"),
           "class_pred": np.where(raw[:, 1] >= 0.5, 2, 1), "prob_1": cal[:, 0], "prob_2": cal[:, 1],
           "prob_1_raw": raw[:, 0], "prob_2_raw": raw[:, 1]},
          meta={**META, "calibration_method": "histogram"}).write(tmp_path / "out.ecsv")
    return y, cal, raw


def _evaluate(tmp_path) -> str:
    res = runner.invoke(app, ["evaluate", str(tmp_path / "out.ecsv"), "--label-column", "label", "--bootstrap", "0",
                              "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    return res.output


def test_histogram_calibrated_probabilities_get_the_raw_ranking_beside_them(tmp_path):
    y, cal, raw = _output(tmp_path, lambda pc, yc, p: HistogramBinner(n_bins=15).fit(pc, yc).predict_proba(p))
    assert len(np.unique(cal[:, 1])) <= 30 and len(np.unique(raw[:, 1])) == 400
    out = _evaluate(tmp_path)
    line = next(s for s in out.splitlines() if "vs rest: ROC AUC" in s)
    m = re.search(r"ROC AUC ([0-9.]+), average precision ([0-9.]+) \(on prob_2_raw: ROC AUC ([0-9.]+), "
                  r"average precision ([0-9.]+)\)", line)
    assert m, out
    # the calibrated figures stay the headline ones; the raw ones are the ranking the threshold uses
    assert float(m.group(1)) == round(roc_auc_score(y, cal[:, 1]), 3)
    assert float(m.group(2)) == round(average_precision_score(y, cal[:, 1]), 3)
    assert float(m.group(3)) == round(roc_auc_score(y, raw[:, 1]), 3)
    assert float(m.group(4)) == round(average_precision_score(y, raw[:, 1]), 3)
    assert float(m.group(3)) > float(m.group(1))  # the ties cost area here
    assert re.search(r"note: prob_<k> \(calibrated: histogram\) take \d+ distinct values on these 400 rows where "
                     r"prob_<k>_raw take 400", out), out
    auc = Table.read(tmp_path / "ev" / "tables" / "auc_2class_out_class_ref.ecsv")
    assert np.isclose(auc["roc_auc_raw"][0], roc_auc_score(y, raw[:, 1]))
    assert np.isclose(auc["roc_auc"][0], roc_auc_score(y, cal[:, 1]))


def test_a_monotone_calibration_keeps_its_ranks_and_gets_no_note(tmp_path):
    def tempered(pc, yc, p):
        q = p ** (1 / 1.7)
        return q / q.sum(axis=1, keepdims=True)

    _output(tmp_path, tempered)
    out = _evaluate(tmp_path)
    assert "prob_2_raw: ROC AUC" not in out and "distinct values" not in out, out
    auc = Table.read(tmp_path / "ev" / "tables" / "auc_2class_out_class_ref.ecsv")
    assert "roc_auc_raw" not in auc.colnames
