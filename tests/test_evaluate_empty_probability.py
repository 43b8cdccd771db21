"""An empty probability cell of a classified CSV is no probability of 0.

Before: a ``prob_1`` column of numbers with one empty cell (a CSV saved by pandas, whose NaN is an
empty cell, or edited in a spreadsheet) was read as a masked column, and ``evaluate`` took the masked
cell's fill value, 0.0, as the probability: the row was scored (ROC, precision-recall, calibration)
as if the model had given class 1 a probability of 0, exit 0 without a word. Now the empty cell is
NaN (``io.catalog.check_prob_columns``), so a scored row with it is refused naming the row and the
column (exit 2, nothing written), as a ``nan`` cell was; a row ``classify`` left unclassified
(``class_pred`` 0, empty probabilities) is still left out of the scores.
"""

from __future__ import annotations

import numpy as np
from astropy.table import MaskedColumn, Table
from sklearn.metrics import roc_auc_score
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import check_prob_columns

runner = CliRunner()
CLASS = {"cluster": 1, "galaxy": 2}


def _write_csv(path, empty_rows=(), unclassified=(), n: int = 40, seed: int = 2):
    """A classified cutout folder's CSV, written as pandas writes a NaN: an empty cell."""
    rng = np.random.default_rng(seed)
    labels = rng.choice(list(CLASS), n)
    y = np.array([CLASS[s] for s in labels])
    p1 = np.clip(np.where(y == 1, 0.7, 0.3) + rng.normal(0, 0.2, n), 0.01, 0.99)
    pred = np.where(p1 >= 0.5, 1, 2)
    lines = ["file,label,class_pred,prob_1,prob_2"]
    for i in range(n):
        cp = 0 if i in unclassified else pred[i]
        a = "" if i in empty_rows or i in unclassified else f"{p1[i]:.6f}"
        b = "" if i in unclassified else f"{1 - p1[i]:.6f}"
        lines.append(f"{labels[i]}/c{i:03d}.png,{labels[i]},{cp},{a},{b}")
    path.write_text("\n".join(lines) + "\n")
    return y, p1, pred


def _evaluate(tmp_path, csv, out):
    return runner.invoke(app, ["evaluate", str(csv), "--label-column", "label", "--task", "m31-real",
                               "--bootstrap", "0", "-o", str(tmp_path / out)])


def test_an_empty_probability_cell_on_a_scored_row_is_refused(tmp_path):
    _write_csv(tmp_path / "out.csv", empty_rows=(4,))
    res = _evaluate(tmp_path, tmp_path / "out.csv", "ev")
    assert res.exit_code == 2, res.output
    assert "non-finite probability in row 5 (prob_1 is empty" in res.output
    assert "Traceback" not in res.output
    assert not (tmp_path / "ev").exists()


def test_empty_probabilities_of_unclassified_rows_are_left_out(tmp_path):
    y, p1, pred = _write_csv(tmp_path / "out.csv", unclassified=(3, 11))
    res = _evaluate(tmp_path, tmp_path / "out.csv", "ev")
    assert res.exit_code == 0, res.output
    keep = np.ones(len(y), bool)
    keep[[3, 11]] = False
    assert f"ROC AUC {roc_auc_score(y[keep] == 1, p1[keep]):.3f}" in res.output


def test_a_masked_probability_reads_as_nan_not_its_fill_value():
    t = Table({"id": [1, 2, 3], "prob_1": MaskedColumn([0.2, 0.7, 0.4], mask=[False, True, False]),
               "prob_2": [0.8, 0.3, 0.6]})
    out = check_prob_columns(t, "p.csv")
    got = np.asarray(out["prob_1"], dtype=float)
    assert got[0] == 0.2 and got[2] == 0.4
    assert np.isnan(got[1])
