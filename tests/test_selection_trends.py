"""Purity, recall and F1 of the cluster selection against size, colour, galactocentric radius and
detector position: hand counts per bin, and the tables and figures `evaluate` writes."""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from sklearn.metrics import precision_score, recall_score

from starclass.evaluate.compare import evaluate_catalogs, selection_quantities
from starclass.evaluate.threshold import metrics_vs_quantity
from starclass.report.build import run_evaluation


def test_bins_by_hand_and_against_sklearn():
    y = np.array([1, 1, 0, 0, 1, 0, 1, 1], bool)
    score = np.array([0.9, 0.4, 0.8, 0.1, 0.7, 0.6, 0.2, 0.95])
    size = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0])
    t = metrics_vs_quantity(y, score, size, 0.5, nbins=2)
    # bin 1: sizes 1-4 -> tp 1 (0.9), fn 1 (0.4), fp 1 (0.8); bin 2: sizes 5-8 -> tp 2, fp 1, fn 1
    assert t["n"].tolist() == [4, 4]
    assert (t["tp"].tolist(), t["fp"].tolist(), t["fn"].tolist()) == ([1, 2], [1, 1], [1, 1])
    for row, sel in zip(t, (size < 4.5, size > 4.5)):
        assert row["purity"] == pytest.approx(precision_score(y[sel], score[sel] >= 0.5))
        assert row["recall"] == pytest.approx(recall_score(y[sel], score[sel] >= 0.5))


def _classified(n=400, seed=0):
    rng = np.random.default_rng(seed)
    ref = np.where(rng.random(n) < 0.3, 1, 4)  # PHANGS-style reference: 1 cluster, 4 not
    p1 = np.clip(np.where(ref == 1, 0.75, 0.3) + rng.normal(0, 0.2, n), 0, 1)
    t = Table({"id": np.arange(n), "x": rng.uniform(0, 1000, n), "y": rng.uniform(0, 1000, n),
               "class_ref": ref, "prob_1": p1, "prob_2": 1 - p1, "class_pred": np.where(p1 >= 0.5, 1, 2),
               "mag_g": rng.uniform(17, 21, n), "mag_i": rng.uniform(16, 20, n), "fwhm": rng.uniform(3, 9, n),
               "r_gal": rng.uniform(2, 30, n)})
    return t


def test_evaluate_writes_a_table_per_quantity_that_adds_up(tmp_path):
    t = _classified()
    assert sorted(selection_quantities(t)) == ["colour g-i", "galactocentric radius", "size (fwhm)", "x", "y"]
    ev = evaluate_catalogs(t, task="m31-binary", n_boot=0, target_purity=0.8)
    (study,) = ev.comparisons[0].thresholds
    assert [q for q, _ in study.trends] == ["size (fwhm)", "colour g-i", "galactocentric radius", "x", "y"]
    y = np.asarray(t["class_ref"]) == 1
    thr = study.chosen["threshold"]
    sel = np.asarray(t["prob_1"]) >= thr
    for name, tab in study.trends:
        # every object in exactly one bin: the bins add up to the whole selection's counts
        assert int(np.sum(tab["n"])) == len(t), name
        assert int(np.sum(tab["tp"])) == int(np.sum(y & sel)), name
        assert int(np.sum(tab["fp"])) == int(np.sum(~y & sel)), name
        assert tab.meta["threshold"] == pytest.approx(thr)
    out = run_evaluation(t, None, tmp_path / "ev", task="m31-binary", n_boot=0)
    names = {p.name for p in out["tables"]} | {p.name for p in out["figures"]}
    for key in ("vs_size_fwhm_", "vs_colour_g_i_", "vs_galactocentric_radius_", "vs_x_", "vs_y_"):
        assert any(n.startswith(key) and n.endswith(".ecsv") for n in names), key
        assert any(n.startswith(key) and n.endswith(".png") for n in names), key
    # one "_" between words: "size (fwhm)" was vs_size__fwhm_ (until 2026-12-07)
    assert not [n for n in names if n.startswith("vs_") and "__" in n]
