"""The simulator writes each source's projected galactocentric radius (``r_gal``, kpc), consistent
with where the simulated galaxy's centre lies relative to the field; ``--galaxy-offset-kpc``
places an M31 field that far out; `evaluate` shows the selection against r_gal."""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.evaluate.compare import evaluate_catalogs
from starclass.schema import R_GAL
from starclass.simulate import preset
from starclass.simulate.field import simulate_labels


def _centre_from_radii(truth: Table, pc_per_px: float) -> np.ndarray:
    """Least-squares centre (px) of circles of radius r_gal around the sources."""
    x, y = np.asarray(truth["x"], float), np.asarray(truth["y"], float)
    r = np.asarray(truth[R_GAL], float) * 1000.0 / pc_per_px
    # (x - cx)^2 + (y - cy)^2 = r^2, minus the first row: linear in cx, cy
    a = np.column_stack([2 * (x[1:] - x[0]), 2 * (y[1:] - y[0])])
    b = x[1:] ** 2 - x[0] ** 2 + y[1:] ** 2 - y[0] ** 2 - (r[1:] ** 2 - r[0] ** 2)
    return np.linalg.lstsq(a, b, rcond=None)[0]


def test_r_gal_is_the_projected_distance_from_one_centre_in_kpc():
    cfg = preset("m31", seed=5, shape=(400, 400), n_candidates=80)
    truth, _ = simulate_labels(cfg)
    assert R_GAL in truth.colnames and truth[R_GAL].unit == "kpc"
    r = np.asarray(truth[R_GAL], float)
    assert np.all(np.isfinite(r)) and np.all(r >= 0)
    # every source's radius is its distance from one and the same point, and that point (the
    # galaxy's centre) lies inside the inner 70% of the field, as the simulator places it
    cx, cy = _centre_from_radii(truth, cfg.pc_per_px)
    assert 0.15 * 400 - 1 <= cx <= 0.85 * 400 + 1 and 0.15 * 400 - 1 <= cy <= 0.85 * 400 + 1
    back = np.hypot(np.asarray(truth["x"]) - cx, np.asarray(truth["y"]) - cy) * cfg.pc_per_px / 1000.0
    np.testing.assert_allclose(back, r, atol=1e-6)
    # a 400 px M31 field (0.187"/px at 0.78 Mpc: 0.71 pc/px) spans under 0.4 kpc
    assert r.max() < 400 * np.sqrt(2) * cfg.pc_per_px / 1000.0


def test_galaxy_offset_places_the_field_that_far_out():
    cfg = preset("m31", seed=5, shape=(400, 400), n_candidates=80, galaxy_offset_kpc=12.0)
    truth, _ = simulate_labels(cfg)
    r = np.asarray(truth[R_GAL], float)
    half_diag = 200 * np.sqrt(2) * cfg.pc_per_px / 1000.0
    assert np.all(np.abs(r - 12.0) <= half_diag + 1e-6)
    cx, cy = _centre_from_radii(truth, cfg.pc_per_px)
    assert np.hypot(cx - 199.5, cy - 199.5) * cfg.pc_per_px / 1000.0 == pytest.approx(12.0, abs=0.01)
    # the default field (no offset) has its centre in the field: radii far below 12 kpc
    r0 = np.asarray(simulate_labels(preset("m31", seed=5, shape=(400, 400), n_candidates=80))[0][R_GAL])
    assert r0.max() < 1.0


def test_galaxy_offset_is_checked(tmp_path):
    with pytest.raises(StarclassError, match="galaxy_offset_kpc"):
        preset("m31", galaxy_offset_kpc=-1.0)
    res = CliRunner().invoke(app, ["simulate", str(tmp_path / "f"), "--preset", "m31", "--size", "128",
                                   "--n-candidates", "10", "--galaxy-offset-kpc", "-3", "--quiet"])
    assert res.exit_code == 2, res.output
    assert "--galaxy-offset-kpc" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "f").exists()


def test_evaluate_shows_the_selection_against_r_gal_of_a_simulated_field():
    cfg = preset("m31", seed=2, shape=(384, 384), n_candidates=200, cluster_fraction=0.3, galaxy_offset_kpc=3.0)
    truth, _ = simulate_labels(cfg)
    rng = np.random.default_rng(0)
    y = np.isin(np.asarray(truth["class_ref"]), (1, 2))
    p1 = np.clip(np.where(y, 0.7, 0.3) + rng.normal(0, 0.2, len(truth)), 0, 1)
    # predictions without r_gal (e.g. from a catalogue of detections): the truth's is used
    pred = Table({"id": truth["id"], "x": truth["x"], "y": truth["y"], "prob_1": p1, "prob_2": 1 - p1,
                  "class_pred": np.where(p1 >= 0.5, 1, 2)})
    ev = evaluate_catalogs(pred, truth, task="m31-binary", n_boot=0, target_purity=0.7)
    (study,) = ev.comparisons[0].thresholds
    trends = dict(study.trends)
    assert "galactocentric radius" in trends
    tab = trends["galactocentric radius"]
    assert int(np.sum(tab["n"])) == len(truth)
    thr = study.chosen["threshold"]
    assert int(np.sum(tab["tp"])) == int(np.sum(y & (p1 >= thr)))
    # the bins span the field's radii: 3 kpc +- the half-diagonal (0.19 kpc)
    r = np.asarray(truth[R_GAL], float)
    assert tab["lo"][0] == pytest.approx(r.min()) and tab["hi"][-1] >= r.max()
    assert 2.7 < r.min() < r.max() < 3.3


def test_trends_show_the_selection_classify_made_at_the_models_threshold(tmp_path):
    """A catalogue from classify records the model's threshold (e.g. chosen on validation data by
    train --target-purity): the trends are of that selection, not of one re-chosen on the test data."""
    cfg = preset("m31", seed=2, shape=(384, 384), n_candidates=200, cluster_fraction=0.3)
    truth, _ = simulate_labels(cfg)
    rng = np.random.default_rng(1)
    y = np.isin(np.asarray(truth["class_ref"]), (1, 2))
    p1 = np.clip(np.where(y, 0.7, 0.3) + rng.normal(0, 0.25, len(truth)), 0, 1)
    pred = truth.copy()
    pred["prob_1"], pred["prob_2"] = p1, 1 - p1
    pred["class_pred"] = np.where(p1 >= 0.37, 1, 2)
    pred.meta.update(threshold=0.37, positive_class=1)
    ev = evaluate_catalogs(pred, task="m31-binary", n_boot=0, target_purity=0.9)
    (study,) = ev.comparisons[0].thresholds
    assert study.chosen["threshold"] != pytest.approx(0.37)
    assert study.trend_threshold_source == "model" and study.magnitude_threshold == pytest.approx(0.37)
    # a simulated truth has only true magnitudes: they give the magnitude and colour trends, named so
    assert study.magnitude_band == "g (true)" and "colour g-i (true)" in dict(study.trends)
    colour = np.asarray(truth["mag_true_g"]) - np.asarray(truth["mag_true_i"])
    tab = dict(study.trends)["colour g-i (true)"]
    assert tab["lo"][0] == pytest.approx(colour.min()) and int(np.sum(tab["n"])) == len(truth)
    tab = dict(study.trends)["galactocentric radius"]
    assert tab.meta["threshold"] == pytest.approx(0.37)
    assert int(np.sum(tab["tp"])) == int(np.sum(y & (p1 >= 0.37)))
    assert int(np.sum(tab["fp"])) == int(np.sum(~y & (p1 >= 0.37)))
    # calibrated output: classify thresholded the raw probabilities (prob_1_raw), so the trends do too
    raw = np.clip(p1 + rng.normal(0, 0.15, len(truth)), 0, 1)
    pred["prob_1_raw"], pred["prob_2_raw"] = raw, 1 - raw
    (study,) = evaluate_catalogs(pred, task="m31-binary", n_boot=0, target_purity=0.9).comparisons[0].thresholds
    tab = dict(study.trends)["galactocentric radius"]
    assert int(np.sum(tab["tp"])) == int(np.sum(y & (raw >= 0.37)))
    assert int(np.sum(tab["fp"])) == int(np.sum(~y & (raw >= 0.37)))
    assert int(np.sum(y & (raw >= 0.37))) != int(np.sum(y & (p1 >= 0.37)))  # the check can tell them apart
    del pred["prob_1_raw"], pred["prob_2_raw"]
    # without the record, the threshold chosen for the target purity
    del pred.meta["threshold"]
    (study,) = evaluate_catalogs(pred, task="m31-binary", n_boot=0, target_purity=0.9).comparisons[0].thresholds
    assert study.trend_threshold_source == "target purity"
    assert dict(study.trends)["x"].meta["threshold"] == pytest.approx(study.chosen["threshold"])
