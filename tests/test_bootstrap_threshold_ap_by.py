"""Bootstrap intervals for the figures ``evaluate`` printed bare until 2026-12-05.

The average precision (ROC AUC table), the threshold for the target purity with the purity, recall
and F1 at it (the threshold chosen again on each resample), and the ``--by`` tables' accuracy where a
group column names each row's object (Wilson's interval counts the cutouts of one object as
independent trials: too narrow). Each point value is checked against scikit-learn and each interval
against a resampler written out here that draws the same objects, for two- to five-class tasks.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from astropy.table import Table
from sklearn.metrics import accuracy_score, average_precision_score, f1_score, precision_score, recall_score
from typer.testing import CliRunner

from conftest import classified_objects, labelled_by_field_args, object_resamples
from starclass.cli import app
from starclass.evaluate.compare import evaluate_catalogs
from starclass.evaluate.groups import ALL, metrics_by_group
from starclass.evaluate.task import EvalTask

runner = CliRunner()
N_BOOT = 120


def _interval(values: list[float], n_boot: int) -> tuple[float, float]:
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size < max(10, n_boot // 10):
        return np.nan, np.nan
    lo, hi = np.quantile(v, [0.025, 0.975])
    return float(lo), float(hi)


def _purity_choice_by_hand(y: np.ndarray, s: np.ndarray, target: float, min_selected: int = 10):
    """Every drawn score tried as the threshold; the lowest of purity >= target with >= min_selected rows.

    Purity, recall and F1 at it from scikit-learn. NaN x 4 where none qualifies or no positive is drawn.
    """
    if not y.any():
        return [np.nan] * 4
    best = None
    for thr in np.unique(s):  # ascending: the first that qualifies is the lowest
        sel = s >= thr
        if sel.sum() >= min_selected and (sel & y).sum() / sel.sum() >= target:
            best = thr
            break
    if best is None:
        return [np.nan] * 4
    pred = s >= best
    return [float(best), precision_score(y, pred), recall_score(y, pred), f1_score(y, pred)]


@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_average_precision_and_purity_threshold_intervals_match_sklearn_and_a_hand_written_resampler(k):
    t, task, p = classified_objects(k, 60, seed=60 + k, signal=1.8, fields=True)
    c = evaluate_catalogs(t, task=task, n_boot=N_BOOT, group_column="object_id").comparisons[0]
    ref = np.asarray(t["class_ref"])
    draws = list(object_resamples(t["object_id"], N_BOOT))

    # average precision of each class against the rest (a binary task: the positive class alone)
    areas = c.curves[0].areas
    for row in areas:
        cls = int(row["class"])
        y = ref == cls
        assert float(row["average_precision"]) == pytest.approx(average_precision_score(y, p[:, cls - 1]), rel=1e-12)
        # undefined on a resample without a positive (one_vs_rest scores no class without one)
        hand = _interval([average_precision_score(y[i], p[i, cls - 1]) if y[i].any() else np.nan for i in draws],
                         N_BOOT)
        got = (float(row["average_precision_lo"]), float(row["average_precision_hi"]))
        assert got == pytest.approx(hand, rel=1e-9, abs=1e-12), (k, cls)
    assert "average_precision_lo" in areas.colnames and areas.colnames.index("average_precision_hi") == \
        areas.colnames.index("average_precision") + 2

    # the threshold for 80% purity, chosen again on every resample, and purity, recall, F1 at it
    chosen_any = False
    for st in c.thresholds:
        if st.chosen is None:
            continue
        chosen_any = True
        y = np.isin(ref, st.members)
        s = p[:, [m - 1 for m in st.members]].sum(axis=1)
        point = _purity_choice_by_hand(y, s, 0.8)
        ch = st.chosen
        assert [ch["threshold"], ch["purity"], ch["recall"], ch["f1"]] == pytest.approx(point, rel=1e-12)
        per_draw = np.array([_purity_choice_by_hand(y[i], s[i], 0.8) for i in draws])
        for j, fig in enumerate(("threshold", "purity", "recall", "f1")):
            hand = _interval(per_draw[:, j].tolist(), N_BOOT)
            assert (ch[f"{fig}_lo"], ch[f"{fig}_hi"]) == pytest.approx(hand, rel=1e-9, abs=1e-12), (k, st.label, fig)
        assert ch["purity_lo"] >= 0.8  # every resample's choice reaches the target
    assert chosen_any

    text = "\n".join(c.lines())
    assert re.search(r"vs rest: ROC AUC [0-9.]+ \[[0-9.]+, [0-9.]+\], average precision [0-9.]+ \[[0-9.]+, [0-9.]+\]",
                     text), text
    assert re.search(r"threshold for 80% purity of class [^:]+: [0-9.]+ \[[0-9.]+, [0-9.]+\] \(purity [0-9.]+ "
                     r"\[[0-9.]+, [0-9.]+\], recall [0-9.]+ \[[0-9.]+, [0-9.]+\], F1 [0-9.]+ \[[0-9.]+, [0-9.]+\], "
                     r"\d+ selected\)", text), text


@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_by_tables_resample_whole_objects_where_a_group_column_names_them(k):
    t, task, _ = classified_objects(k, 60, seed=80 + k, signal=1.8, fields=True)
    c = evaluate_catalogs(t, task=task, n_boot=N_BOOT, group_column="object_id", by=["field"]).comparisons[0]
    tab, note = c.by["field"]
    assert note is None
    n_obj = len(set(t["object_id"]))
    assert tab.meta["interval_note"] == (f"95% bootstrap interval, {N_BOOT} resamples of the {n_obj} objects "
                                         "(object_id) drawn whole")
    ref, pred, field = np.asarray(t["class_ref"]), np.asarray(t["class_pred"]), np.asarray(t["field"])
    draws = list(object_resamples(t["object_id"], N_BOOT))
    for row in tab:
        sel = np.ones(len(t), bool) if row["group"] == ALL else field == row["group"]
        assert float(row["accuracy"]) == pytest.approx(accuracy_score(ref[sel], pred[sel]), rel=1e-12)
        hand = _interval([accuracy_score(ref[i][sel[i]], pred[i][sel[i]]) if sel[i].any() else np.nan
                          for i in draws], N_BOOT)
        assert (float(row["accuracy_lo"]), float(row["accuracy_hi"])) == pytest.approx(hand, rel=1e-9, abs=1e-12)
    # the pooled row's interval is the summary's accuracy interval (the same resamples)
    assert (float(tab["accuracy_lo"][-1]), float(tab["accuracy_hi"][-1])) == pytest.approx(
        (float(c.summary["accuracy_lo"][0]), float(c.summary["accuracy_hi"][0])), rel=1e-12)
    # without a group column: Wilson's, and said so
    plain = evaluate_catalogs(t, task=task, n_boot=N_BOOT, by=["field"]).comparisons[0].by["field"][0]
    assert plain.meta["interval_note"] == "95% Wilson interval"


def test_copies_of_objects_widen_the_by_interval_to_that_of_the_objects():
    """Three identical cutouts of each of 60 objects: Wilson over 180 rows is too narrow; the objects' is not."""
    rng = np.random.default_rng(3)
    ref = rng.integers(1, 3, 60)
    pred = np.where(rng.random(60) < 0.75, ref, 3 - ref)
    field = rng.choice(["a", "b"], 60)
    obj = np.arange(60)
    once, _ = metrics_by_group(ref, pred, field, (1, 2), objects=obj, n_boot=300)
    thrice, _ = metrics_by_group(np.repeat(ref, 3), np.repeat(pred, 3), np.repeat(field, 3), (1, 2),
                                 objects=np.repeat(obj, 3), n_boot=300)
    wilson, _ = metrics_by_group(np.repeat(ref, 3), np.repeat(pred, 3), np.repeat(field, 3), (1, 2))
    for col in ("accuracy", "accuracy_lo", "accuracy_hi"):
        assert np.asarray(thrice[col]) == pytest.approx(np.asarray(once[col]), rel=1e-12)
    width = np.asarray(thrice["accuracy_hi"]) - np.asarray(thrice["accuracy_lo"])
    assert (width > 1.4 * (np.asarray(wilson["accuracy_hi"]) - np.asarray(wilson["accuracy_lo"]))).all()
    # no resamples: no interval rather than Wilson's too narrow one, and said so
    none, _ = metrics_by_group(ref, pred, field, (1, 2), objects=obj, n_boot=0)
    assert np.isnan(np.asarray(none["accuracy_lo"], float)).all()
    assert none.meta["interval_note"].startswith("no interval: rows of one object are not independent")


def test_evaluate_prints_and_writes_the_new_intervals(tmp_path):
    t, _, _ = classified_objects(2, 50, seed=5, signal=1.8, fields=True)
    args = labelled_by_field_args(t, tmp_path)
    res = runner.invoke(app, [*args, "--group-column", "object_id", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    assert re.search(r"average precision [0-9.]+ \[[0-9.]+, [0-9.]+\]", res.output), res.output
    assert re.search(r"threshold for 80% purity of class 1 \(cluster\)[^:]*: [0-9.]+ \[[0-9.]+, [0-9.]+\] "
                     r"\(purity [0-9.]+ \[", res.output), res.output
    n_obj = len(set(t["object_id"]))
    # one line for the columns that share the objects' interval (the ROC AUC and recalls since they have one)
    # (a small field's figure the same on every resample adds to its column's note: test_zero_width_intervals)
    assert (f"intervals: 95% bootstrap interval, 100 resamples of the {n_obj} "
            "objects (object_id) drawn whole") in res.output
    auc = Table.read(tmp_path / "ev" / "tables" / "auc_2class_out_class_ref.ecsv")
    assert float(auc["average_precision_lo"][0]) <= float(auc["average_precision"][0]) <= \
        float(auc["average_precision_hi"][0])
    by = Table.read(tmp_path / "ev" / "tables" / "by_field_out_class_ref.ecsv")
    assert by.meta["interval_note"].startswith("95% bootstrap interval")
    res = runner.invoke(app, [*args, "-o", str(tmp_path / "ev_rows")])
    assert res.exit_code == 0, res.output
    assert "  accuracy intervals: 95% Wilson interval" in res.output


def test_a_threshold_reached_on_too_few_resamples_gets_no_interval_and_a_note_saying_why():
    # ten pure clusters on top, ten galaxies below them: 100% purity with 10 selected is reached only where a
    # resample draws the top ten clusters at least ten times in all
    ref = np.array([1] * 10 + [2] * 10 + [1] * 5)
    p1 = np.r_[np.linspace(0.99, 0.9, 10), np.linspace(0.89, 0.8, 10), np.linspace(0.7, 0.6, 5)]
    t = Table({"object_id": [f"o{i}" for i in range(25)], "class_ref": ref, "class_pred": np.where(p1 >= 0.85, 1, 2),
               "prob_1": p1, "prob_2": 1 - p1})
    task = EvalTask.from_classes((1, 2), positive_class=1)
    c = evaluate_catalogs(t, task=task, n_boot=10, target_purity=1.0).comparisons[0]
    ch = c.thresholds[0].chosen
    assert ch["threshold"] == pytest.approx(0.9) and "threshold_lo" not in ch and "purity_hi" not in ch
    defined = sum(np.isfinite(_purity_choice_by_hand(ref[i] == 1, p1[i], 1.0)[0])
                  for i in object_resamples(t["object_id"], 10))
    assert 0 < defined < 10
    note = (f"no 95% interval for the threshold for 100% purity of class 1 and the purity, recall and F1 at it: a "
            f"threshold reaches the target (with at least 10 selected) on only {defined} of the 10 resamples (at "
            "least 10 needed)")
    assert note in c.notes and f"  note: {note}" in c.lines()
    line = next(ln for ln in c.lines() if ln.startswith("  threshold for 100% purity"))
    assert line == "  threshold for 100% purity of class 1: 0.900 (purity 1.000, recall 0.667, F1 0.800, 10 selected)"
