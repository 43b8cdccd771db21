"""The pooled row ('(all)') of 'evaluate --by' for a binary task is the overall ROC AUC, and each row scikit-learn's.

The by-table computes its pooled row's AUC itself (groups.metrics_by_group, over every scored row), apart from
the overall ROC curve's area (curves.one_vs_rest): two computations of one figure. They are the same rows and the
same score (the positive class's probability), so they must agree exactly, intervals included (one set of
resamples); checked here against sklearn.metrics.roc_auc_score, with tied scores, rows of one object drawn whole,
and reference rows without a class (0), which neither counts.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from sklearn.metrics import roc_auc_score
from typer.testing import CliRunner

from conftest import classified_objects, toy_task
from starclass.cli import app
from starclass.evaluate.compare import compare

pytestmark = pytest.mark.usefixtures("single_thread")


def _binary(seed: int) -> Table:
    t, _, _ = classified_objects(2, 60, seed, fields=True)
    t["prob_1"] = np.round(t["prob_1"], 1)  # tied scores: the ranks' ties are where two computations could part
    t["prob_2"] = 1 - t["prob_1"]
    return t


@pytest.mark.parametrize("seed", [5, 6])
def test_the_pooled_row_of_evaluate_by_is_the_overall_roc_auc(tmp_path, seed):
    t = _binary(seed)
    n = len(t)
    t["id"], t["x"], t["y"] = np.arange(n), np.zeros(n), np.zeros(n)
    t.write(tmp_path / "pred.ecsv")
    res = CliRunner().invoke(app, ["evaluate", str(tmp_path / "pred.ecsv"), "-o", str(tmp_path / "ev"),
                                   "--bootstrap", "40", "--no-science", "--by", "field",
                                   "--group-column", "object_id"])
    assert res.exit_code == 0, res.output
    tables = tmp_path / "ev" / "tables"
    overall = Table.read(next(tables.glob("auc_2class_*.ecsv")))
    overall = overall[overall["class"].astype(str) == "1"][0]
    by = Table.read(next(tables.glob("by_field_*.ecsv")))
    pooled = by[by["group"] == "(all)"][0]
    ref, score = np.asarray(t["class_ref"]), np.asarray(t["prob_1"], float)
    assert float(overall["roc_auc"]) == pytest.approx(roc_auc_score(ref == 1, score), abs=1e-12)
    for col in ("roc_auc", "roc_auc_lo", "roc_auc_hi"):
        assert float(pooled[col]) == float(overall[col]), col  # exactly: one figure, one set of resamples
    fields = np.asarray(t["field"]).astype(str)
    for row in by:
        g = str(row["group"])
        if g == "(all)":
            continue
        sel = fields == g
        assert float(row["roc_auc"]) == pytest.approx(roc_auc_score(ref[sel] == 1, score[sel]), abs=1e-12), g
    # the printed lines say the same figure
    line = next(s for s in res.output.splitlines() if s.startswith("  (all): "))
    assert f"ROC AUC {float(overall['roc_auc']):.3f}" in line, line


def test_reference_rows_without_a_class_count_in_neither_auc():
    t = _binary(7)
    t["class_ref"][::9] = 0  # no reference class: not a negative of class 1
    c = compare(t, t, toy_task(2), ref_is_pred=True, n_boot=0, by=["field"])
    overall = next(cs for cs in c.curves if cs.areas is not None).areas
    by = c.by["field"][0]
    pooled = by[by["group"] == "(all)"][0]
    ref, score = np.asarray(t["class_ref"]), np.asarray(t["prob_1"], float)
    classed = ref > 0
    want = roc_auc_score(ref[classed] == 1, score[classed])
    assert float(overall["roc_auc"][0]) == pytest.approx(want, abs=1e-12)
    assert float(pooled["roc_auc"]) == float(overall["roc_auc"][0])
    assert int(pooled["n"]) == int(classed.sum())

