"""Bootstrap intervals of zero width: Wilson's on the objects for a proportion, none for a ranking figure.

``evaluate --by source_table --group-column object_id`` on the PAndAS out-of-fold table printed a
group's recall of its 2 non-clusters as ``1.000 [1.000, 1.000]`` and the ROC AUC of a group ranked
without a mistake as ``1.000 [1.000, 1.000]``: every resample gave the same value, and the percentile
interval read as a figure known exactly (lead's decision, brief s49votes point 3).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy.stats import binom_conf_interval
from astropy.table import Table
from scipy.stats import norm
from typer.testing import CliRunner

from starclass.cli import app
from starclass.evaluate.bootstrap import NO_SPREAD_NOTE, settle_zero_width, wilson_interval, zero_width
from starclass.evaluate.groups import metrics_by_group

runner = CliRunner()
Z = norm.ppf(0.975)


def _wilson_all_right(n: int) -> float:
    """Lower end of the 95% Wilson interval of n successes in n trials, by hand: n / (n + z^2)."""
    return n / (n + Z * Z)


def test_wilson_interval_is_astropys_on_whole_counts():
    k = np.array([0, 1, 2, 3, 7, 10, 40])
    n = np.array([1, 1, 2, 5, 7, 20, 50])
    lo, hi = wilson_interval(k, n)
    ref = binom_conf_interval(k, n, confidence_level=0.95, interval="wilson")
    assert np.allclose(lo, ref[0], atol=1e-6) and np.allclose(hi, ref[1], atol=1e-6)
    assert np.isclose(wilson_interval(2, 2)[0], _wilson_all_right(2))  # 0.342
    assert np.isnan(wilson_interval(0, 0)[0])


def test_settle_replaces_only_zero_width_intervals():
    assert zero_width(np.array([1.0, 0.2, np.nan]), np.array([1.0, 0.3, np.nan])).tolist() == [True, False, False]
    lo, hi, rep = settle_zero_width(np.array([1.0, 0.5]), np.array([1.0, 0.2]), np.array([1.0, 0.8]),
                                    objects=np.array([4, 10]))
    assert rep.tolist() == [True, False]
    assert np.isclose(lo[0], _wilson_all_right(4)) and hi[0] == 1.0 and (lo[1], hi[1]) == (0.2, 0.8)
    lo, hi, rep = settle_zero_width(np.array([1.0, 0.9]), np.array([1.0, 0.7]), np.array([1.0, 1.0]))
    assert np.isnan(lo[0]) and np.isnan(hi[0]) and (lo[1], hi[1]) == (0.7, 1.0)


@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_a_class_always_right_gets_wilsons_interval_on_its_objects(k):
    """Group 'a' holds 3 objects of class 1 (two cutouts each), all right, and others; its recall_1
    was [1.000, 1.000]. It is now Wilson's on the 3 objects (not the 6 rows): [0.438, 1.000]."""
    rng = np.random.default_rng(k)
    n_other = 30
    ref_other = rng.integers(1, k + 1, n_other)
    pred_other = np.where(rng.random(n_other) < 0.6, ref_other, rng.integers(1, k + 1, n_other))
    ref = np.concatenate([[1] * 6, ref_other])
    pred = np.concatenate([[1] * 6, pred_other])
    groups = ["a"] * 6 + ["b"] * n_other
    objects = np.concatenate([np.repeat(["a0", "a1", "a2"], 2), [f"b{i}" for i in range(n_other)]])
    tab, _ = metrics_by_group(ref, pred, groups, tuple(range(1, k + 1)), objects=objects, n_boot=200,
                              object_column="object_id")
    a = tab[0]
    assert a["group"] == "a" and a["recall_1"] == 1.0
    assert np.isclose(a["recall_1_lo"], _wilson_all_right(3)) and a["recall_1_hi"] == 1.0
    astropy_lo = binom_conf_interval(3, 3, confidence_level=0.95, interval="wilson")[0]
    assert np.isclose(a["recall_1_lo"], astropy_lo, atol=1e-6)
    # the group's accuracy: 3 objects, all right, the same on every resample of the group
    assert np.isclose(a["accuracy_lo"], _wilson_all_right(3)) and a["accuracy_hi"] == 1.0
    # a figure that varies keeps its bootstrap interval (wider than a point)
    b = tab[1]
    assert b["accuracy_hi"] > b["accuracy_lo"]
    assert tab.meta["interval_notes"]["recall_<k>"].endswith(
        "; where every resample gave the same value, the 95% Wilson interval on the objects (object_id) behind the "
        "figure")
    # without objects the rows are the objects: 6 rows of class 1
    tab, _ = metrics_by_group(ref, pred, groups, tuple(range(1, k + 1)), n_boot=200)
    assert np.isclose(tab[0]["recall_1_lo"], _wilson_all_right(6))
    assert tab.meta["interval_notes"]["recall_<k>"].endswith("Wilson interval on the rows behind the figure")
    assert tab.meta["interval_notes"]["accuracy"] == "95% Wilson interval"  # Wilson's already, untouched


def test_a_group_ranked_without_a_mistake_gets_no_roc_auc_interval():
    """4 clusters and 7 others, all ranked right: ROC AUC 1.000 [1.000, 1.000] before; now no interval."""
    rng = np.random.default_rng(0)
    ref = np.concatenate([[1] * 4 + [2] * 7, rng.integers(1, 3, 40)])
    score = np.concatenate([np.linspace(0.9, 0.8, 4), np.linspace(0.3, 0.1, 7), rng.random(40)])
    pred = np.where(score >= 0.5, 1, 2)
    groups = ["a"] * 11 + ["b"] * 40
    tab, _ = metrics_by_group(ref, pred, groups, (1, 2), score=score, positive=1, objects=np.arange(51),
                              object_column="object_id", n_boot=300)
    assert tab[0]["roc_auc"] == 1.0 and np.isnan(tab[0]["roc_auc_lo"]) and np.isnan(tab[0]["roc_auc_hi"])
    assert tab[1]["roc_auc_hi"] > tab[1]["roc_auc_lo"]
    assert tab.meta["interval_notes"]["roc_auc"].endswith(f"; none (nan) where {NO_SPREAD_NOTE}")
    assert NO_SPREAD_NOTE == "every resample gave the same value: too few objects for an interval"


def test_evaluate_by_prints_wilsons_interval_and_no_auc_interval(tmp_path):
    """The command the brief reproduces it with, on a small table: one source of 2 non-clusters
    (two cutouts each) all right, one of 4 clusters and 7 others ranked without a mistake."""
    rng = np.random.default_rng(3)
    n = 60
    ref = np.concatenate([[2, 2, 2, 2], [1] * 4 + [2] * 7, rng.integers(1, 3, n)])
    p1 = np.concatenate([[0.2, 0.1, 0.3, 0.2], np.linspace(0.9, 0.8, 4), np.linspace(0.4, 0.1, 7),
                         np.clip(np.where(rng.integers(1, 3, n) == 1, 0.7, 0.3) + rng.normal(0, 0.2, n), 0, 1)])
    ref[15:] = np.where(p1[15:] + rng.normal(0, 0.25, n) > 0.5, 1, 2)
    obj = [f"h{i // 2}" for i in range(4)] + [f"d{i}" for i in range(11)] + [f"m{i}" for i in range(n)]
    t = Table({"object_id": obj, "label": np.where(ref == 1, "cluster", "galaxy"),
               "class_pred": np.where(p1 >= 0.5, 1, 2), "prob_1": p1, "prob_2": 1 - p1,
               "source_table": ["huxor"] * 4 + ["dtz"] * 11 + ["rbc"] * n,
               "file": [f"c{i:03d}.png" for i in range(len(obj))]})
    path = tmp_path / "oof.csv"
    t.write(path, format="ascii.csv")
    out = tmp_path / "ev"
    res = runner.invoke(app, ["evaluate", str(path), "--task", "m31-real", "--label-column", "label", "--no-science",
                              "--by", "source_table", "--group-column", "object_id", "--bootstrap", "300",
                              "-o", str(out)])
    assert res.exit_code == 0, res.output
    by = Table.read(Path(out) / "tables" / "by_source_table_oof_class_ref.ecsv")
    rows = {str(r["group"]): r for r in by}
    hux, dtz = rows["huxor"], rows["dtz"]
    assert hux["recall_2"] == 1.0 and np.isclose(hux["recall_2_lo"], _wilson_all_right(2)), hux
    assert np.isclose(hux["accuracy_lo"], _wilson_all_right(2))
    assert dtz["roc_auc"] == 1.0 and np.isnan(dtz["roc_auc_lo"]) and np.isnan(dtz["roc_auc_hi"])
    assert "  dtz: 11 rows, accuracy 1.000 [0.741, 1.000], 0 errors, ROC AUC 1.000\n" in res.output, res.output
    assert f"none (nan) where {NO_SPREAD_NOTE}" in res.output
    assert "the 95% Wilson interval on the objects (object_id) behind the figure" in res.output
    assert "[1.000, 1.000]" not in res.output


def test_the_whole_sample_tables_settle_too():
    """The per-class table's precision and recall and the areas' ROC AUC and average precision:
    recall of 5 of 5 class-2 objects and precision of 14 of 14 predicted 1 were [1.000, 1.000]."""
    from starclass.evaluate.compare import evaluate_catalogs
    from starclass.evaluate.task import EvalTask

    ref = np.array([1] * 20 + [2] * 5)
    pred = np.array([1] * 14 + [2] * 6 + [2] * 5)
    p1 = np.concatenate([np.linspace(0.99, 0.7, 20), np.linspace(0.3, 0.1, 5)])  # ranked without a mistake
    t = Table({"object_id": [f"o{i}" for i in range(25)], "class_ref": ref, "class_pred": pred,
               "prob_1": p1, "prob_2": 1 - p1})
    task = EvalTask.from_classes((1, 2), name="toy2", positive_class=1)
    c = evaluate_catalogs(t, task=task, n_boot=200, group_column="object_id").comparisons[0]
    pc = c.results[0].per_class
    row = {int(r["class"]): r for r in pc}
    assert np.isclose(float(row[2]["recall_lo"]), _wilson_all_right(5)) and float(row[2]["recall_hi"]) == 1.0
    assert np.isclose(float(row[1]["precision_lo"]), _wilson_all_right(14))
    assert float(row[1]["recall_hi"]) > float(row[1]["recall_lo"])  # 14 of 20: a spread, kept
    areas = c.curves[0].areas
    assert float(areas["roc_auc"][0]) == 1.0 and np.ma.is_masked(areas["roc_auc_lo"][0])
    assert any("Wilson interval on the objects behind it" in n for n in c.notes), c.notes
    assert any(NO_SPREAD_NOTE in n for n in c.notes), c.notes
