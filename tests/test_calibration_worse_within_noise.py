"""The "calibration made the probabilities worse" warning is kept for a difference the rows can show (2026-12-07).

Walking docs/uncertainty.md on the PAndAS cutout block (175 test cutouts, a temperature refitted on 175 held-out
rows), ``evaluate`` printed ECE 0.0773 after calibration and 0.0725 before it, each under what a perfectly
calibrated model shows on 175 rows (95th percentile 0.1054 and 0.0952), and then warned that the calibration "made
the probabilities worse calibrated here", telling the user to calibrate again or drop it; the report said the same
a line after its own "an ECE near [the floor] cannot be told from perfect calibration". Both ECEs were noise. The
warning now needs the calibrated ECE above the raw one *and* above the 95th percentile of its floor.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.evaluate.reliability import ece_floor, expected_calibration_error, trust_study
from starclass.io.catalog import write_catalog

runner = CliRunner()


def _two_calibrated(n: int = 175, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Labels drawn from ``fine``; ``coarse`` is ``fine`` averaged within fifths: both perfectly calibrated."""
    rng = np.random.default_rng(seed)
    p1 = rng.uniform(0.03, 0.97, n)
    y = np.where(rng.random(n) < p1, 0, 1)  # index 0: class 1, drawn with probability p1
    group = np.floor(p1 * 5).astype(int)
    # the mean of p over rows chosen by p alone: E[label | group] is that mean, so it is calibrated too
    c1 = np.array([p1[group == g].mean() for g in group])
    return np.c_[p1, 1 - p1], np.c_[c1, 1 - c1], y


def test_no_warning_where_the_calibrated_ece_is_within_a_perfect_models_noise():
    fine, coarse, y = _two_calibrated()
    ece, ece_raw = expected_calibration_error(fine, y), expected_calibration_error(coarse, y)
    p95 = ece_floor(fine)[1]
    # the case of the walk: the calibrated ECE above the raw one, yet within the floor's 95th percentile
    assert ece_raw < ece <= p95, (ece, ece_raw, p95)
    t = trust_study(fine, y, fine.argmax(axis=1), {"prob_raw": coarse}, [1, 2],
                    meta={"calibration_n": 175, "model": "model"})
    assert t.calibration_worse() is None, t.calibration_worse()


def test_evaluate_says_nothing_of_a_noise_difference_and_still_warns_of_a_real_one(tmp_path):
    fine, coarse, y = _two_calibrated()
    rng = np.random.default_rng(1)
    n = len(y)
    t = Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 500, n), "y": rng.uniform(0, 500, n),
               "class_ref": y + 1, "class_pred": fine.argmax(axis=1) + 1,
               "prob_1": fine[:, 0], "prob_2": fine[:, 1], "prob_1_raw": coarse[:, 0], "prob_2_raw": coarse[:, 1]})
    t.meta.update({"calibration_n": 175, "model": "m/model", "temperature": 1.3})
    write_catalog(t, tmp_path / "noise.ecsv")
    res = runner.invoke(app, ["evaluate", str(tmp_path / "noise.ecsv"), "-o", str(tmp_path / "ev_noise"),
                              "--bootstrap", "0", "--no-science", "--no-progress"])
    assert res.exit_code == 0, res.output
    cal = next(line for line in res.stdout.splitlines() if line.startswith("  calibration: "))
    assert "a perfectly calibrated model would show" in cal, cal
    assert "worse calibrated" not in res.stdout, res.stdout
    # the same rows with the "calibrated" probabilities pushed to 0.99 / 0.01: an ECE far above the floor, warned of
    sharp = np.where(fine[:, 0] >= 0.5, 0.99, 0.01)
    t["prob_1"], t["prob_2"] = sharp, 1 - sharp
    write_catalog(t, tmp_path / "sharp.ecsv")
    res = runner.invoke(app, ["evaluate", str(tmp_path / "sharp.ecsv"), "-o", str(tmp_path / "ev_sharp"),
                              "--bootstrap", "0", "--no-science", "--no-progress"])
    assert res.exit_code == 0, res.output
    sharp_ece = expected_calibration_error(np.c_[sharp, 1 - sharp], y)
    assert sharp_ece > ece_floor(np.c_[sharp, 1 - sharp])[1], sharp_ece
    assert "  warning: the calibration made the probabilities worse calibrated here: ECE" in res.stdout, res.stdout
