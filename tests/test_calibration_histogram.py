"""Issue 17: histogram binning as a calibration method (``--method histogram``).

The binner is checked against a hand count of its bins, against temperature and vector scaling
on a miscalibration that neither can undo (not monotone in the model's probability), and the
stored model end to end (training's fallback, ``starclass calibrate --method histogram``, the
manifest round trip with its digest, ``classify`` and the conformal sets on top).
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import train_toy_trust_model, write_toy_held_out
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.evaluate.reliability import expected_calibration_error, trust_study
from starclass.io.catalog import read_catalog
from starclass.learn.calibration import (
    HISTOGRAM_MIN_ROWS_PER_BIN,
    HistogramBinner,
    ModelCalibration,
    TemperatureScaler,
    VectorScaler,
    check_histogram_rows,
    histogram_calibrate,
)
from starclass.learn.checkpoint import load_model, read_manifest

runner = CliRunner()


def _wavy(n: int, seed: int, k: int = 3):
    """Probabilities and labels whose true class probability is a wave in the model's ``p(k)``.

    The truth is ``p(k) + 0.25 sin(3 pi p(k))`` renormalised: over-confident at some values of
    ``p(k)`` and under-confident at others, which no temperature or per-class scale and bias can
    undo (both are monotone in ``p(k)``).
    """
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(k), n)
    truth = np.clip(p + 0.25 * np.sin(3 * np.pi * p), 1e-3, None)
    truth /= truth.sum(1, keepdims=True)
    y = np.minimum((rng.random(n)[:, None] > np.cumsum(truth, axis=1)).sum(1), k - 1)
    return p, y


def test_histogram_binning_undoes_a_non_monotone_miscalibration_that_scaling_cannot():
    p, y = _wavy(6000, 1)
    p2, y2 = _wavy(20000, 2)  # fresh rows of the same model
    hb = HistogramBinner().fit(p, y)
    ece = {name: expected_calibration_error(m.fit(p, y).predict_proba(p2), y2)
           for name, m in (("temperature", TemperatureScaler()), ("vector", VectorScaler()))}
    ece["histogram"] = expected_calibration_error(hb.predict_proba(p2), y2)
    ece["raw"] = expected_calibration_error(p2, y2)
    assert ece["histogram"] < 0.5 * min(ece["temperature"], ece["vector"]), ece
    assert ece["histogram"] < 0.02 < ece["raw"], ece


def test_rows_sum_to_one_nan_rows_stay_nan_and_unseen_values_fall_in_the_end_bins():
    p, y = _wavy(3000, 3, k=4)
    hb = HistogramBinner(n_bins=10).fit(p, y)
    q = hb.predict_proba(np.vstack([p[:50], [[np.nan] * 4], [[1.0, 0.0, 0.0, 0.0]]]))
    assert np.allclose(q[:50].sum(1), 1.0) and np.all(q[:50] > 0)
    assert np.isnan(q[50]).all()
    assert np.allclose(q[51].sum(), 1.0)
    assert [len(f) for f in hb.freq_] == [10] * 4 and all(np.all(np.diff(e) > 0) for e in hb.edges_)


def test_bin_frequencies_are_the_hand_count_with_one_pseudo_row():
    # six rows, two bins per class: edges at the median of each column
    p = np.array([[0.9, 0.1], [0.8, 0.2], [0.7, 0.3], [0.4, 0.6], [0.3, 0.7], [0.2, 0.8]])
    y = np.array([0, 0, 1, 1, 1, 0])
    hb = HistogramBinner(n_bins=2, min_rows_per_bin=0).fit(p, y)
    assert hb.edges_[0].tolist() == pytest.approx([0.55]) and hb.edges_[1].tolist() == pytest.approx([0.45])
    # class 0, low bin (0.4, 0.3, 0.2): one hit (the 0.2 row) + mean 0.3, over 3 + 1 rows
    assert hb.freq_[0][0] == pytest.approx((1 + 0.3) / 4)
    assert hb.freq_[0][1] == pytest.approx((2 + 0.8) / 4)
    assert hb.freq_[1][0] == pytest.approx((1 + 0.2) / 4) and hb.freq_[1][1] == pytest.approx((2 + 0.7) / 4)
    q = hb.predict_proba(np.array([[0.95, 0.05]]))
    assert q[0].tolist() == pytest.approx([2.8 / (2.8 + 1.2), 1.2 / (2.8 + 1.2)])
    # an empty bin keeps the row's own probability (stored as NaN)
    q = histogram_calibrate(np.array([[0.4, 0.6]]), [[0.5], [0.5]], [[np.nan, 0.6], [0.6, 0.3]])
    assert q[0].tolist() == pytest.approx([0.4 / 0.7, 0.3 / 0.7])


def test_small_sets_are_refused_naming_the_option():
    p, y = _wavy(139, 4, k=2)  # the real cutouts' calibration rows per fold
    with pytest.raises(StarclassError, match=r"n_bins 15\): 139 calibration rows are 9.3 per bin; it needs at "
                                             rf"least {HISTOGRAM_MIN_ROWS_PER_BIN} rows per bin"):
        HistogramBinner().fit(p, y)
    with pytest.raises(StarclassError, match="n_bins 15"):
        ModelCalibration.fit(p, y, [1, 2], method="histogram")
    with pytest.raises(StarclassError, match="--bins 2"):
        check_histogram_rows(139, 2, "--bins")
    assert check_histogram_rows(2 * HISTOGRAM_MIN_ROWS_PER_BIN, 2) == 2
    # the guard can be turned off (the benchmark does, to show the overfitting)
    assert HistogramBinner(min_rows_per_bin=0).fit(p, y).n_ == 139


@pytest.mark.parametrize("bins", [0, -3, 2.5, True, "15"])
def test_bad_bin_counts_are_refused(bins):
    p, y = _wavy(3000, 5)
    with pytest.raises(StarclassError, match="n_bins must be a whole number >= 1"):
        HistogramBinner(n_bins=bins).fit(p, y)


def test_bad_input_is_refused():
    p, y = _wavy(3000, 6)
    with pytest.raises(StarclassError, match="not fitted"):
        HistogramBinner().predict_proba(p)
    with pytest.raises(StarclassError, match="NaN or inf"):
        HistogramBinner().fit(np.where(np.arange(3000)[:, None] == 7, np.nan, p), y)
    with pytest.raises(StarclassError, match="class indices 0..2"):
        HistogramBinner().fit(p, np.where(np.arange(3000) == 0, 3, y))
    with pytest.raises(StarclassError, match="2999 labels for 3000 rows"):
        HistogramBinner().fit(p, y[:-1])
    hb = HistogramBinner().fit(p, y)
    with pytest.raises(StarclassError, match="bins of 3 classes for probabilities of shape"):
        hb.predict_proba(p[:, :2])


def test_model_calibration_round_trips_and_the_conformal_sets_sit_on_top():
    p, y = _wavy(6000, 7, k=4)
    mc = ModelCalibration.fit(p, y, [1, 2, 3, 4], source="toy", method="histogram", n_bins=12)
    assert mc.method == "histogram" and mc.n_bins == 12 and "histogram binning (12" in mc.describe()
    mc.bin_freq[0][0] = np.nan  # an empty bin must survive the JSON (as null)
    d = json.loads(json.dumps(mc.to_dict(), allow_nan=False))
    assert d["method"] == "histogram" and d["n_bins"] == 12 and d["bin_freq"][0][0] is None
    back = ModelCalibration.from_dict(d)
    q = _wavy(500, 8, k=4)[0]
    assert np.array_equal(back.calibrate(q), mc.calibrate(q))
    assert np.allclose(back.calibrate(q).sum(1), 1.0)
    # conformal sets on the stored rows (scored by cross-fitted bins): 90% per class on fresh rows.
    # One draw of ~1,500 calibration rows per class scatters a class's coverage by about 0.01 (over
    # four draws 0.882-0.913 with in-sample bins, 0.888-0.922 cross-fitted): 2.5 points per class,
    # and the four classes' mean within 1 point
    p2, y2 = _wavy(20000, 9, k=4)
    sets = back.conformal().predict_set(back.calibrate(p2), coverage=0.9)
    cov = [sets[y2 == j, j].mean() for j in range(4)]
    assert all(abs(c - 0.9) < 0.025 for c in cov) and abs(np.mean(cov) - 0.9) < 0.01, cov
    for bad, msg in ((dict(d, bin_freq=d["bin_freq"][:3]), "stored histogram binning"),
                     (dict(d, bin_edges=[e[::-1] for e in d["bin_edges"]]), "increasing"),
                     (dict(d, bin_freq=[[1.5] + f[1:] for f in d["bin_freq"]]), "in \\[0, 1\\]"),
                     ({k: v for k, v in d.items() if k != "bin_edges"}, "malformed")):
        with pytest.raises(StarclassError, match=msg):
            ModelCalibration.from_dict(bad, "model m")


def test_evaluate_and_report_name_histogram_binning():
    from types import SimpleNamespace

    from starclass.report.build import _trust_section

    rng = np.random.default_rng(2)
    p = rng.dirichlet([1, 1], 40)
    study = trust_study(p, rng.integers(0, 2, 40), p.argmax(1), {"prob_raw": p}, [1, 2],
                        meta={"calibration_method": "histogram", "temperature": None})
    assert study.to_dict()["calibration_method"] == "histogram"
    section = _trust_section(SimpleNamespace(trust=study, pred_name="classified", ref_name="truth",
                                             heading=lambda: "classified vs truth", n_objects=None, n_both=40,
                                             rows_not_objects=False))
    table = next(i.content for i in section.items if i.kind == "table" and i.name.startswith("calibration"))
    assert "calibrated with histogram binning" in str(table["probabilities"][1])


# ------------------------------------------------------------------------ models end to end


@pytest.fixture(scope="module")
def hmodel(tmp_path_factory):
    """A toy model trained with recipe.calibration histogram (40 validation rows: too few)."""
    root = tmp_path_factory.mktemp("histogram")
    cfg, toy, result = train_toy_trust_model(root, calibration="histogram")
    return root, cfg, toy, result


def test_training_with_too_few_validation_rows_falls_back_to_the_temperature(hmodel):
    root, _, _, result = hmodel
    assert any("histogram binning" in n and "fitted the temperature instead" in n for n in result.notes), \
        result.notes
    assert read_manifest(root / "model")["calibration"]["method"] == "temperature"


def test_starclass_calibrate_method_histogram_end_to_end(hmodel, tmp_path):
    root, cfg, _, _ = hmodel
    shutil.copytree(root / "model", tmp_path / "model")
    n = 2 * HISTOGRAM_MIN_ROWS_PER_BIN
    write_toy_held_out(cfg, tmp_path, n, seed=9)
    cmd = ["calibrate", str(tmp_path / "model"), str(tmp_path / "mos"), "--catalog", str(tmp_path / "held.ecsv"),
           "--device", "cpu", "--overwrite", "--method", "histogram"]
    before = (tmp_path / "model" / "manifest.json").read_text()
    # 15 bins need 1,500 rows: refused, exit 2, naming the option, nothing written
    res = runner.invoke(app, cmd)
    assert res.exit_code == 2 and "--method histogram --bins 15" in res.output, res.output
    assert "Traceback" not in res.output
    assert (tmp_path / "model" / "manifest.json").read_text() == before
    res = runner.invoke(app, [*cmd, "--bins", "0"])
    assert res.exit_code == 2 and "--bins must be a whole number >= 1" in res.output
    res = runner.invoke(app, [*cmd, "--bins", "2"])
    assert res.exit_code == 0, res.output
    assert "histogram binning (2 equal-mass bins" in res.output
    cal = read_manifest(tmp_path / "model")["calibration"]
    assert cal["method"] == "histogram" and cal["n"] == n and cal["n_bins"] == 2 and len(cal["bin_freq"]) == 4
    loaded = load_model(tmp_path / "model")  # the digest covers the new keys
    mc = ModelCalibration.from_dict(loaded.calibration)
    out = tmp_path / "c.ecsv"
    res = runner.invoke(app, ["classify", str(tmp_path / "mos"), "--catalog", str(tmp_path / "held.ecsv"),
                              "--model", str(tmp_path / "model"), "-o", str(out), "--no-progress", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    assert "calibrated with histogram binning, 2 bins per class (" in res.output
    t = read_catalog(out)
    assert t.meta["calibration_method"] == "histogram" and t.meta["calibration_bins"] == 2
    assert t.meta["temperature"] is None
    p_raw = np.column_stack([t[f"prob_{c}_raw"] for c in cfg.classes])
    p_cal = np.column_stack([t[f"prob_{c}"] for c in cfg.classes])
    assert np.allclose(p_cal, mc.calibrate(p_raw), atol=1e-6) and not np.allclose(p_cal, p_raw, atol=1e-3)
    assert np.allclose(p_cal.sum(1), 1.0, atol=1e-6)
    assert set(np.asarray(t["pred_set_size"]).tolist()) <= {1, 2, 3, 4}
    # an edited bin frequency is refused by the digest
    doc = json.loads((tmp_path / "model" / "manifest.json").read_text())
    freq = [[0.5 if v is not None else v for v in f] for f in cal["bin_freq"]]
    (tmp_path / "model" / "manifest.json").write_text(json.dumps(dict(doc, calibration=dict(cal, bin_freq=freq))))
    with pytest.raises(StarclassError, match="digest"):
        load_model(tmp_path / "model")
