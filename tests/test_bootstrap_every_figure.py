"""Bootstrap intervals on every figure ``evaluate`` gives, not only the accuracies.

Issue 12 asks for "bootstrap intervals" beside accuracy, P/R/F1 and ROC/AUC; until 2026-12-05 only
accuracy and balanced accuracy had one. Precision, recall and F1 per class, the ROC AUC of each
class against the rest, ECE and Brier now get theirs from the same resamples (whole objects where
``--group-column`` names them); the ECE's is its basic interval joined to the debiased ECE's, cut at 0
(since 2026-12-06, evening; tests/test_ece_interval.py).
Checked here against scikit-learn (point values) and against a
resampler written out by hand that draws the same objects (intervals), for two- to five-class tasks.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from astropy.table import Table
from sklearn.metrics import brier_score_loss, f1_score, precision_score, recall_score, roc_auc_score
from typer.testing import CliRunner

from conftest import classified_objects, debiased_ece_by_hand, ece_interval_by_hand, object_resamples
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.evaluate.bootstrap import bootstrap_ci
from starclass.evaluate.compare import evaluate_catalogs
from starclass.evaluate.reliability import expected_calibration_error

runner = CliRunner()
N_BOOT = 120


def _sklearn_figures(ref: np.ndarray, pred: np.ndarray, p: np.ndarray, k: int, binary: bool) -> dict[str, np.ndarray]:
    """Every figure with scikit-learn (NaN where undefined), the independent computation."""
    labels = list(range(1, k + 1))
    out = {
        "precision": precision_score(ref, pred, labels=labels, average=None, zero_division=np.nan),
        "recall": recall_score(ref, pred, labels=labels, average=None, zero_division=np.nan),
        "f1": f1_score(ref, pred, labels=labels, average=None, zero_division=np.nan),
    }
    # one-vs-rest ROC AUC per class (a binary task: the positive class alone)
    aucs = []
    for c in ([1] if binary else labels):
        y = ref == c
        aucs.append(roc_auc_score(y, p[:, c - 1]) if 0 < y.sum() < y.size else np.nan)
    out["roc_auc"] = np.array(aucs)
    # the multi-class Brier score is the sum over classes of each class's brier_score_loss
    # (for two classes: twice the positive class's)
    out["brier"] = np.array([sum(brier_score_loss(ref == c, p[:, c - 1]) for c in labels)])
    out["ece"] = np.array([expected_calibration_error(p, ref - 1)])
    out["ece_debiased"] = np.array([debiased_ece_by_hand(p, ref - 1)])
    return out


def _by_hand(t: Table, p: np.ndarray, k: int, binary: bool, n_boot: int, seed: int = 0) -> dict[str, np.ndarray]:
    """The cluster bootstrap written out: draw object numbers (first appearance order), score with scikit-learn."""
    ref, pred = np.asarray(t["class_ref"]), np.asarray(t["class_pred"])
    draws: dict[str, list[np.ndarray]] = {}
    for idx in object_resamples(t["object_id"], n_boot, seed):
        with np.errstate(invalid="ignore"):
            for key, v in _sklearn_figures(ref[idx], pred[idx], p[idx], k, binary).items():
                draws.setdefault(key, []).append(v)
    out = {}
    for key, vals in draws.items():
        arr = np.array(vals)
        lo, hi = [], []
        for col in arr.T:
            col = col[np.isfinite(col)]
            a, b = np.quantile(col, [0.025, 0.975]) if col.size >= max(10, n_boot // 10) else (np.nan, np.nan)
            lo.append(a)
            hi.append(b)
        out[key] = np.array([lo, hi])
    # the ECE's interval: its basic interval joined to the debiased ECE's, cut at 0 (biased upwards, its
    # percentile interval could miss it)
    whole = _sklearn_figures(ref, pred, p, k, binary)
    joined = ece_interval_by_hand(np.array(draws["ece"])[:, 0], whole["ece"][0],
                                  np.array(draws["ece_debiased"])[:, 0], whole["ece_debiased"][0])
    out["ece"] = np.array(joined)[:, None]
    return out


@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_every_figure_and_its_interval_match_scikit_learn_and_a_hand_written_resampler(k):
    t, task, p = classified_objects(k, 50, seed=20 + k)
    ev = evaluate_catalogs(t, task=task, n_boot=N_BOOT, group_column="object_id")
    c = ev.comparisons[0]
    binary = k == 2
    ref, pred = np.asarray(t["class_ref"]), np.asarray(t["class_pred"])
    want = _sklearn_figures(ref, pred, p, k, binary)
    hand = _by_hand(t, p, k, binary, N_BOOT)

    per_class = c.results[0].per_class
    for fig in ("precision", "recall", "f1"):
        assert np.asarray(per_class[fig], float) == pytest.approx(want[fig], rel=1e-12), fig
        got = np.array([np.asarray(per_class[f"{fig}_lo"], float), np.asarray(per_class[f"{fig}_hi"], float)])
        assert got == pytest.approx(hand[fig], rel=1e-9, abs=1e-12), fig
    areas = c.curves[0].areas
    assert np.asarray(areas["roc_auc"], float) == pytest.approx(want["roc_auc"], rel=1e-12)
    got = np.array([np.asarray(areas["roc_auc_lo"], float), np.asarray(areas["roc_auc_hi"], float)])
    assert got == pytest.approx(hand["roc_auc"], rel=1e-9, abs=1e-12)
    assert c.trust.brier == pytest.approx(float(want["brier"][0]), rel=1e-12)
    if binary:
        assert c.trust.brier == pytest.approx(2 * brier_score_loss(ref == 1, p[:, 0]), rel=1e-12)
    assert c.trust.ece == pytest.approx(float(want["ece"][0]), rel=1e-12)
    assert np.array(c.trust.brier_ci) == pytest.approx(hand["brier"][:, 0], rel=1e-9)
    assert np.array(c.trust.ece_ci) == pytest.approx(hand["ece"][:, 0], rel=1e-9)
    # the lines printed carry them
    text = "\n".join(c.lines())
    assert re.search(r"class 1[^:]*: precision [0-9.]+ \[[0-9.]+, [0-9.]+\], recall [0-9.]+ \[[0-9.]+, [0-9.]+\], "
                     r"F1 [0-9.]+ \[[0-9.]+, [0-9.]+\]", text), text
    assert re.search(r"vs rest: ROC AUC [0-9.]+ \[[0-9.]+, [0-9.]+\]", text), text
    assert re.search(r"calibration: ECE [0-9.]+ \[[0-9.]+, [0-9.]+\] .*Brier [0-9.]+ \[[0-9.]+, [0-9.]+\]", text), text


@pytest.mark.parametrize("k", [2, 5])
def test_the_accuracy_intervals_are_those_bootstrap_ci_gives_as_before(k):
    t, task, _ = classified_objects(k, 50, seed=40 + k)
    c = evaluate_catalogs(t, task=task, n_boot=N_BOOT, group_column="object_id").comparisons[0]
    ref, pred = np.asarray(t["class_ref"]), np.asarray(t["class_pred"])
    groups = np.asarray(t["object_id"])
    _, lo, hi = bootstrap_ci(lambda a, b: float(np.mean(a == b)), ref, pred, n_boot=N_BOOT, groups=groups)
    row = c.summary[0]
    assert (float(row["accuracy_lo"]), float(row["accuracy_hi"])) == (lo, hi)


def test_a_class_never_predicted_has_no_precision_interval_and_no_interval_is_made_up():
    t, task, _ = classified_objects(3, 60, seed=7)
    t["class_pred"][t["class_pred"] == 3] = 2  # class 3 is never predicted: its precision is undefined
    c = evaluate_catalogs(t, task=task, n_boot=N_BOOT).comparisons[0]
    pc = c.results[0].per_class
    assert np.ma.is_masked(pc["precision"][2]) and np.ma.is_masked(pc["precision_lo"][2])
    assert np.ma.is_masked(pc["precision_hi"][2])
    assert float(pc["f1"][2]) == 0.0 and float(pc["f1_hi"][2]) == 0.0  # F1 0 on every resample: [0, 0]
    assert not np.ma.is_masked(pc["precision_lo"][0])
    line = next(ln for ln in c.lines() if ln.startswith("  class 3:"))
    assert line.startswith("  class 3: precision -, recall ") and "F1 0.000 [0.000, 0.000]" in line, line


def test_a_rare_class_defined_on_too_few_resamples_is_named_and_left_without_an_interval():
    t, task, _ = classified_objects(3, 40, seed=2)
    keep = np.asarray(t["class_ref"]) != 3
    keep[np.flatnonzero(~keep)[0]] = True  # one row of class 3: drawn by about 63% of the resamples
    t = t[keep]
    c = evaluate_catalogs(t, task=task, n_boot=10).comparisons[0]  # all 10 needed
    pc = c.results[0].per_class
    assert np.ma.is_masked(pc["recall_lo"][2]) and not np.ma.is_masked(pc["recall"][2])
    assert not np.ma.is_masked(pc["recall_lo"][0]) and "accuracy_lo" in c.summary.colnames
    note = next(n for n in c.notes if n.startswith("no 95% interval for"))
    assert re.search(r"3class class 3 recall \(on [1-9]\)", note), note
    assert "defined on too few of the 10 resamples (at least 10 needed" in note
    assert f"  note: {note}" in c.lines()  # printed by evaluate, not only in the report


def test_no_resamples_no_intervals():
    t, task, _ = classified_objects(3, 30, seed=1)
    c = evaluate_catalogs(t, task=task, n_boot=0).comparisons[0]
    assert "f1_lo" not in c.results[0].per_class.colnames
    assert "roc_auc_lo" not in c.curves[0].areas.colnames
    assert c.trust.ece_ci is None and "ece_lo" not in c.trust.to_dict()


def test_a_figure_defined_on_too_few_resamples_gets_no_interval():
    from starclass.evaluate.bootstrap import bootstrap_figures

    x = np.arange(40.0)

    def stat(w):
        # the second figure is defined only where row 0 is drawn four times or more (about 2% of resamples)
        return np.array([np.sum(w * x) / w.sum(), 1.0 if w[0] >= 4 else np.nan])

    lo, hi, n_def = bootstrap_figures(stat, 40, n_boot=200)
    assert np.isfinite(lo[0]) and np.isnan(lo[1]) and np.isnan(hi[1])
    assert n_def[1] < 20 and n_def[0] == 200
    with pytest.raises(StarclassError, match="at least 2 objects"):
        bootstrap_figures(stat, 40, n_boot=10, groups=np.zeros(40))


def test_evaluate_writes_and_prints_every_interval(tmp_path):
    t, _, _ = classified_objects(2, 40, seed=3)
    t["label"] = np.where(t["class_ref"] == 1, "cluster", "galaxy")
    t["file"] = [f"c{i:03d}.png" for i in range(len(t))]  # what classify --stamps writes
    del t["class_ref"]
    path = tmp_path / "out.csv"
    t.write(path, format="ascii.csv")
    res = runner.invoke(app, ["evaluate", str(path), "--task", "m31-real", "--label-column", "label", "--no-science",
                              "--group-column", "object_id", "--bootstrap", "100", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    assert re.search(r"class 1 \(cluster\): precision [0-9.]+ \[[0-9.]+, [0-9.]+\]", res.output), res.output
    assert re.search(r"ROC AUC [0-9.]+ \[[0-9.]+, [0-9.]+\]", res.output), res.output
    pc = Table.read(tmp_path / "ev" / "tables" / "per_class_out_class_ref.ecsv")
    assert {"precision_lo", "recall_hi", "f1_lo", "f1_hi"} <= set(pc.colnames)
    assert float(pc["f1_lo"][0]) <= float(pc["f1"][0]) <= float(pc["f1_hi"][0])
    auc = Table.read(tmp_path / "ev" / "tables" / "auc_2class_out_class_ref.ecsv")
    assert float(auc["roc_auc_lo"][0]) <= float(auc["roc_auc"][0]) <= float(auc["roc_auc_hi"][0])
    trust = json.loads((tmp_path / "ev" / "summary.json").read_text())["trust"]["out_class_ref"]
    assert trust["brier_lo"] <= trust["brier"] <= trust["brier_hi"]
    cal = Table.read(tmp_path / "ev" / "tables" / "calibration_out_class_ref.ecsv")
    assert "ece_lo" in cal.colnames
    none = runner.invoke(app, ["evaluate", str(path), "--task", "m31-real", "--label-column", "label", "--no-science",
                               "--bootstrap", "0", "-o", str(tmp_path / "ev0")])
    assert none.exit_code == 0, none.output
    assert "F1" in none.output and not re.search(r"F1 [0-9.]+ \[", none.output)
