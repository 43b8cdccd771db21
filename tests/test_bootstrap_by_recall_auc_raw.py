"""Bootstrap intervals for the last figures ``evaluate`` printed bare until 2026-12-05.

The ``--by`` tables' per-group ``recall_<k>`` and ``roc_auc`` (binary task), and ``roc_auc_raw`` /
``average_precision_raw`` (the raw probabilities' areas, given where calibrated ones tie ranks). Each
gets its interval from the resamples every other figure uses (drawn once), over whole objects where a
group column is in force, else over the rows. Point values are checked against scikit-learn and every
interval against a resampler written out here, for two- to five-class tasks.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from astropy.stats import binom_conf_interval
from astropy.table import Table
from sklearn.metrics import average_precision_score, recall_score, roc_auc_score
from typer.testing import CliRunner

import starclass.evaluate.bootstrap as bootstrap
from conftest import labelled_by_field_args
from starclass.cli import app
from starclass.evaluate.compare import evaluate_catalogs
from starclass.evaluate.groups import ALL, metrics_by_group
from starclass.evaluate.metrics import merge_groups
from starclass.evaluate.task import EvalTask

runner = CliRunner()
N_BOOT = 120


def _classified(k: int, n: int, seed: int, *, tied: bool = False) -> tuple[Table, EvalTask, np.ndarray]:
    """``n`` objects of a ``k``-class task, 1-3 rows each, a ``field`` per row, classified with noise.

    ``tied``: ``prob_<k>`` rounded to thirds (a few distinct rows, as histogram binning gives) and the
    unrounded ones as ``prob_<k>_raw``. Returns the table, the task and the probabilities the areas rank
    (the raw ones where ``tied``).
    """
    rng = np.random.default_rng(seed)
    ref_obj = np.resize(np.arange(1, k + 1), n)
    obj = np.repeat(np.arange(n), rng.integers(1, 4, n))
    ref = ref_obj[obj]
    logits = rng.normal(size=(obj.size, k))
    logits[np.arange(obj.size), ref - 1] += 1.5
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    t = Table({"object_id": [f"M{i}" for i in obj], "class_ref": ref, "class_pred": p.argmax(axis=1) + 1,
               "field": rng.choice(["disc", "halo", "north"], obj.size, p=[0.5, 0.3, 0.2])})
    shown = np.round(p * 3) / 3 if tied else p
    for j in range(k):
        t[f"prob_{j + 1}"] = shown[:, j]
        if tied:
            t[f"prob_{j + 1}_raw"] = p[:, j]
    if k == 2:
        task = EvalTask.from_classes((1, 2), name="toy2", positive_class=1)
    elif k == 4:
        task = EvalTask.from_classes((1, 2, 3, 4), name="toy4")  # PHANGS classes: the 1+2 selection, 12v34 curves
    else:
        task = EvalTask.from_classes(tuple(range(1, k + 1)), name=f"toy{k}")
    return t, task, p


def _object_draws(t: Table, n_boot: int, seed: int = 0):
    """Rows of each resample: objects drawn (numbered in order of first appearance), every row of each."""
    groups = np.asarray(t["object_id"])
    order = list(dict.fromkeys(groups.tolist()))
    members = [np.flatnonzero(groups == g) for g in order]
    rng = np.random.default_rng(seed)
    for _ in range(n_boot):
        yield np.concatenate([members[j] for j in rng.integers(0, len(order), len(order))])


def _row_draws(n: int, n_boot: int, seed: int = 0):
    """Rows of each resample where every row is an object: n rows drawn with replacement."""
    rng = np.random.default_rng(seed)
    for _ in range(n_boot):
        yield rng.integers(0, n, n)


def _interval(values, n_boot: int) -> tuple[float, float]:
    v = np.asarray(list(values), dtype=float)
    v = v[np.isfinite(v)]
    if v.size < max(10, n_boot // 10):
        return np.nan, np.nan
    lo, hi = np.quantile(v, [0.025, 0.975])
    return float(lo), float(hi)


def _recall(ref: np.ndarray, pred: np.ndarray, k: int) -> float:
    return float(recall_score(ref == k, pred == k)) if (ref == k).any() else np.nan


def _recall_counted(ref: np.ndarray, pred: np.ndarray, k: int) -> float:
    """The recall counted out (scikit-learn's recall_score takes ~1 ms a call: thousands of resamples here)."""
    n_k = int((ref == k).sum())
    return int(((ref == k) & (pred == k)).sum()) / n_k if n_k else np.nan


def _auc(y: np.ndarray, s: np.ndarray) -> float:
    return float(roc_auc_score(y, s)) if 0 < y.sum() < y.size else np.nan


def _pair(row, col: str) -> tuple[float, float]:
    return float(row[f"{col}_lo"]), float(row[f"{col}_hi"])


@pytest.mark.parametrize("grouped", [True, False], ids=["objects", "rows"])
@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_by_tables_recall_and_roc_auc_intervals_match_sklearn_and_a_hand_written_resampler(k, grouped):
    t, task, p = _classified(k, 60, seed=90 + k)
    c = evaluate_catalogs(t, task=task, n_boot=N_BOOT, by=["field"],
                          group_column="object_id" if grouped else None).comparisons[0]
    tab, _ = c.by["field"]
    ref, pred, field = np.asarray(t["class_ref"]), np.asarray(t["class_pred"]), np.asarray(t["field"])
    draws = list(_object_draws(t, N_BOOT) if grouped else _row_draws(len(t), N_BOOT))
    replaced = set()  # the columns with an interval of zero width replaced, which their notes say
    for row in tab:
        sel = np.ones(len(t), bool) if row["group"] == ALL else field == row["group"]
        for cls in range(1, k + 1):
            col = f"recall_{cls}"
            assert float(row[col]) == pytest.approx(_recall(ref[sel], pred[sel], cls), rel=1e-12, nan_ok=True)
            hand = _interval((_recall_counted(ref[i][sel[i]], pred[i][sel[i]], cls) for i in draws), N_BOOT)
            if hand[0] == hand[1]:
                # the same on every resample: the Wilson interval on the objects of the class (brief s49votes)
                of_k = sel & (ref == cls)
                n_obj = len(set(np.asarray(t["object_id"])[of_k])) if grouped else int(of_k.sum())
                hits = float(row[col]) * n_obj
                assert hits == pytest.approx(round(hits))
                hand = tuple(binom_conf_interval(round(hits), n_obj, confidence_level=0.95, interval="wilson"))
                replaced.add("recall_<k>")
            assert _pair(row, col) == pytest.approx(hand, rel=1e-9, abs=1e-12, nan_ok=True), (k, row["group"], cls)
            assert tab.colnames.index(f"{col}_hi") == tab.colnames.index(col) + 2
        if k == 2:  # the positive class's probability, as the ROC curve scores it
            y, s = ref == 1, p[:, 0]
            assert float(row["roc_auc"]) == pytest.approx(_auc(y[sel], s[sel]), rel=1e-12)
            hand = _interval((_auc(y[i][sel[i]], s[i][sel[i]]) for i in draws), N_BOOT)
            if hand[0] == hand[1]:
                hand = (np.nan, np.nan)  # every resample gave the same value: no interval
                replaced.add("roc_auc")
            assert _pair(row, "roc_auc") == pytest.approx(hand, rel=1e-9, abs=1e-12, nan_ok=True), row["group"]
        else:
            assert "roc_auc" not in tab.colnames
    # the pooled row is every row: its intervals are the per-class table's and the ROC AUC table's (same resamples)
    pc = c.results[0].per_class
    for cls in range(1, k + 1):
        j = [int(v) for v in pc["class"]].index(cls)
        assert _pair(tab[-1], f"recall_{cls}") == pytest.approx(_pair(pc[j], "recall"), rel=1e-12)
    if k == 2:
        assert _pair(tab[-1], "roc_auc") == pytest.approx(_pair(c.curves[0].areas[0], "roc_auc"), rel=1e-12)
    notes = tab.meta["interval_notes"]
    n_obj = len(set(t["object_id"]))
    boot = (f"95% bootstrap interval, {N_BOOT} resamples of the {n_obj} objects (object_id) drawn whole" if grouped
            else f"95% bootstrap interval, {N_BOOT} resamples of the {len(t)} rows")
    unit = "objects (object_id)" if grouped else "rows"
    wilson = f"; where every resample gave the same value, the 95% Wilson interval on the {unit} behind the figure"
    assert notes == {"accuracy": boot if grouped else "95% Wilson interval",
                     "recall_<k>": boot + (wilson if "recall_<k>" in replaced else ""),
                     **({"roc_auc": boot + ("; none (nan) where every resample gave the same value: too few objects "
                                            "for an interval" if "roc_auc" in replaced else "")} if k == 2 else {})}


@pytest.mark.parametrize("grouped", [True, False], ids=["objects", "rows"])
@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_raw_probabilities_areas_get_intervals_that_match_a_hand_written_resampler(k, grouped):
    t, task, raw = _classified(k, 70, seed=40 + k, tied=True)
    c = evaluate_catalogs(t, task=task, n_boot=N_BOOT, group_column="object_id" if grouped else None).comparisons[0]
    assert c.ranking_note, "the rounded probabilities must tie ranks for this test"
    ref = np.asarray(t["class_ref"])
    draws = list(_object_draws(t, N_BOOT) if grouped else _row_draws(len(t), N_BOOT))
    checked = 0
    for cs in c.curves:
        members = merge_groups(cs.merge, task.merges[cs.merge])
        areas = cs.areas
        for fig in ("roc_auc_raw", "average_precision_raw"):
            assert areas.colnames.index(f"{fig}_hi") == areas.colnames.index(fig) + 2
        for row in areas:
            m = members[str(row["class"])]
            y = np.isin(ref, m)
            s = raw[:, [cls - 1 for cls in m]].sum(axis=1)
            assert float(row["roc_auc_raw"]) == pytest.approx(roc_auc_score(y, s), rel=1e-12)
            assert float(row["average_precision_raw"]) == pytest.approx(average_precision_score(y, s), rel=1e-12)
            hand_auc = _interval((_auc(y[i], s[i]) for i in draws), N_BOOT)
            hand_ap = _interval((average_precision_score(y[i], s[i]) if y[i].any() else np.nan for i in draws),
                                N_BOOT)
            assert _pair(row, "roc_auc_raw") == pytest.approx(hand_auc, rel=1e-9, abs=1e-12), (cs.merge, row["class"])
            assert _pair(row, "average_precision_raw") == pytest.approx(hand_ap, rel=1e-9, abs=1e-12)
            checked += 1
        assert ("12v34" in [x.merge for x in c.curves]) == (k == 4)
    assert checked == (1 if k == 2 else k + (2 if k == 4 else 0))
    line = next(ln for ln in c.lines() if "vs rest: ROC AUC" in ln)
    assert re.search(r"\(on prob_\d_raw: ROC AUC [0-9.]+ \[[0-9.]+, [0-9.]+\], average precision [0-9.]+ "
                     r"\[[0-9.]+, [0-9.]+\]\)$", line), line


def test_evaluate_draws_the_resamples_once_for_every_figure_and_by_table(monkeypatch):
    calls = []
    real = bootstrap.resamples

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(bootstrap, "resamples", counted)
    t, task, _ = _classified(2, 40, seed=1, tied=True)
    c = evaluate_catalogs(t, task=task, n_boot=30, by=["field", "class_pred"], group_column="object_id").comparisons[0]
    assert len(calls) == 1
    assert all("recall_1_lo" in tab.colnames and "roc_auc_lo" in tab.colnames for tab, _ in c.by.values())
    assert "roc_auc_raw_lo" in c.curves[0].areas.colnames


def test_no_resamples_give_no_interval_and_say_so():
    ref = np.array([1, 2, 1, 2, 1, 2, 2, 1])
    pred = np.array([1, 2, 2, 2, 1, 1, 2, 1])
    score = np.linspace(0.9, 0.1, 8)
    tab, _ = metrics_by_group(ref, pred, ["a"] * 8, (1, 2), score=score, positive=1, n_boot=0)
    for col in ("recall_1_lo", "recall_2_hi", "roc_auc_lo", "roc_auc_hi"):
        assert np.isnan(np.asarray(tab[col], float)).all()
    assert tab.meta["interval_notes"] == {"accuracy": "95% Wilson interval",
                                          "recall_<k>": "no interval: 0 bootstrap resamples (--bootstrap 0)",
                                          "roc_auc": "no interval: 0 bootstrap resamples (--bootstrap 0)"}
    # a class a group lacks has neither a recall nor an interval, whatever the resamples
    tab, _ = metrics_by_group(ref, pred, ["a", "a", "a", "a", "b", "b", "b", "b"], (1, 2), n_boot=50)
    tab_b, _ = metrics_by_group(ref[4:6], pred[4:6], ["b", "b"], (1, 2), n_boot=50)
    assert np.isfinite(float(tab["recall_1_lo"][0])) and np.isfinite(float(tab_b["recall_2_lo"][0]))


def test_evaluate_prints_and_writes_the_by_intervals(tmp_path):
    t, _, _ = _classified(2, 50, seed=5)
    args = labelled_by_field_args(t, tmp_path)
    res = runner.invoke(app, [*args, "--group-column", "object_id", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    n_obj = len(set(t["object_id"]))
    assert re.search(r"  disc: \d+ (?:rows|objects), accuracy [0-9.]+ \[[0-9.]+, [0-9.]+\], \d+ errors?, "
                     r"ROC AUC [0-9.]+ \[[0-9.]+, [0-9.]+\]", res.output), res.output
    # one line per note; a small field's figure the same on every resample adds to its column's note
    # (tests/test_zero_width_intervals.py)
    boot = f"95% bootstrap interval, 100 resamples of the {n_obj} objects (object_id) drawn whole"
    assert f"intervals: {boot}" in res.output
    assert "accuracy" in res.output.split(f"intervals: {boot}")[0].splitlines()[-1]
    by_notes = Table.read(tmp_path / "ev" / "tables" / "by_field_out_class_ref.ecsv").meta["interval_notes"]
    assert all(v.startswith(boot) for v in by_notes.values()), by_notes
    by = Table.read(tmp_path / "ev" / "tables" / "by_field_out_class_ref.ecsv")
    assert {"recall_1_lo", "recall_1_hi", "recall_2_lo", "recall_2_hi", "roc_auc_lo", "roc_auc_hi"} <= set(by.colnames)
    assert by.meta["interval_notes"]["roc_auc"].startswith("95% bootstrap interval, 100 resamples of the")
    assert (np.asarray(by["recall_1_lo"]) <= np.asarray(by["recall_1"]) + 1e-12).all()
    res = runner.invoke(app, [*args, "-o", str(tmp_path / "ev_rows")])
    assert res.exit_code == 0, res.output
    assert "  accuracy intervals: 95% Wilson interval\n" in res.output
    assert f"intervals: 95% bootstrap interval, 100 resamples of the {len(t)} rows" in res.output


@pytest.mark.parametrize("grouped", [True, False], ids=["objects", "rows"])
def test_the_report_caption_says_which_interval_each_column_carries(grouped):
    from starclass.report.build import _groups_section

    t, task, _ = _classified(2, 40, seed=2)
    c = evaluate_catalogs(t, task=task, n_boot=50, by=["field"],
                          group_column="object_id" if grouped else None).comparisons[0]
    caption = next(i.caption for i in _groups_section(c, task).items if i.kind == "table")
    if grouped:
        expected = ["accuracy with its 95% bootstrap interval, 50 resamples of the 40 objects (object_id) drawn "
                    "whole, ",
                    "the intervals of recall_k (recall_k_lo, recall_k_hi)"]
    else:
        expected = ["accuracy with its 95% Wilson interval, ",
                    "the intervals of recall_k (recall_k_lo, recall_k_hi)",
                    f": 95% bootstrap interval, 50 resamples of the {len(t)} rows"]
    assert all(e in caption for e in expected), caption


def test_the_report_caption_names_the_raw_areas_and_their_intervals():
    from starclass.report.build import _curves_section

    t, task, _ = _classified(2, 40, seed=3, tied=True)
    c = evaluate_catalogs(t, task=task, n_boot=50).comparisons[0]
    caption = next(i.caption for i in _curves_section(c, task).items if i.kind == "table" and i.name.startswith("auc"))
    assert caption == ("Area under the ROC curve and average precision; each with its 95% bootstrap interval "
                       "(roc_auc_lo, roc_auc_hi, average_precision_lo, average_precision_hi); roc_auc_raw and "
                       "average_precision_raw: the same on prob_<k>_raw (the calibrated prob_<k> tie many rows' "
                       "ranks) with their intervals (roc_auc_raw_lo, roc_auc_raw_hi, average_precision_raw_lo, "
                       "average_precision_raw_hi).")


def test_one_object_gives_no_interval_and_says_why_without_a_function_name():
    ref, pred = np.array([1, 2, 1, 2]), np.array([1, 2, 2, 2])
    tab, _ = metrics_by_group(ref, pred, ["a", "a", "b", "b"], (1, 2), objects=np.array(["o1"] * 4), n_boot=50)
    note = "no interval: need at least 2 objects (groups), got 1"
    assert tab.meta["interval_notes"] == {"accuracy": note, "recall_<k>": note}
    for col in ("accuracy_lo", "recall_1_hi"):
        assert np.isnan(np.asarray(tab[col], float)).all()
