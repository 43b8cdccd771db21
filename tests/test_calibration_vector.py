"""Issue 17: calibration beyond one temperature (vector scaling: a scale and a bias per class).

The fitted terms are checked against the ones the labels were drawn with, the NLL against
scikit-learn's ``log_loss``, and the stored model end to end (training, ``starclass calibrate
--method``, save/load with its digest, ``classify``).
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from sklearn.metrics import log_loss
from typer.testing import CliRunner

from conftest import train_toy_trust_model, write_toy_held_out
from starclass.cli import app
from starclass.datasets.stamps import make_synthetic_field
from starclass.errors import StarclassError
from starclass.evaluate.reliability import expected_calibration_error, trust_study
from starclass.io.catalog import read_catalog
from starclass.learn.calibration import (
    ModelCalibration,
    TemperatureScaler,
    VectorScaler,
    calibrate_model,
    temper,
    vector_scale,
)
from starclass.learn.checkpoint import load_model, read_manifest
from starclass.learn.config import get_preset

runner = CliRunner()


def _biased(k: int, n: int, seed: int, scale, bias):
    """A model's probabilities and labels drawn from ``softmax(scale * log p + bias)``: a known class bias."""
    rng = np.random.default_rng(seed)
    logits = rng.normal(0, 1.5, (n, k))
    p = np.exp(logits)
    p /= p.sum(1, keepdims=True)
    truth = vector_scale(p, scale, bias)
    y = (rng.random(n)[:, None] > np.cumsum(truth, axis=1)).sum(1)  # one draw per row from its truth row
    return p, np.minimum(y, k - 1)


@pytest.mark.parametrize("k", [2, 3, 4])
def test_vector_scaling_recovers_a_known_class_bias_and_beats_one_temperature(k):
    scale = np.linspace(0.6, 1.2, k)          # classes sharpened and softened differently
    bias = np.linspace(-0.8, 0.8, k)          # the last class under-predicted by the model
    p, y = _biased(k, 6000, k, scale, bias)
    vs = VectorScaler().fit(p, y)
    assert np.allclose(vs.scale_, scale, atol=0.1), vs.scale_
    assert np.allclose(vs.bias_, bias - bias.mean(), atol=0.12), vs.bias_
    assert vs.bias_.sum() == pytest.approx(0.0, abs=1e-9)
    # the NLL it reports is scikit-learn's log loss of its probabilities, and below the temperature's
    assert vs.nll_after_ == pytest.approx(log_loss(y, vs.predict_proba(p), labels=np.arange(k)), rel=1e-9)
    ts = TemperatureScaler().fit(p, y)
    assert vs.nll_temperature_ == pytest.approx(ts.nll_after_)
    assert vs.nll_after_ < ts.nll_after_ - 0.005
    # on fresh rows of the same model: lower NLL and ECE than the temperature alone
    p2, y2 = _biased(k, 20000, 100 + k, scale, bias)
    nll_v = log_loss(y2, vs.predict_proba(p2), labels=np.arange(k))
    nll_t = log_loss(y2, ts.predict_proba(p2), labels=np.arange(k))
    assert nll_v < nll_t
    ece_v = expected_calibration_error(vs.predict_proba(p2), y2)
    ece_t = expected_calibration_error(ts.predict_proba(p2), y2)
    assert ece_v < ece_t and ece_v < 0.02, (ece_v, ece_t)


def test_vector_scaling_without_a_class_bias_is_a_temperature():
    # labels drawn at temperature 2 (all scales 0.5, no bias): vector scaling finds about that
    p, y = _biased(3, 6000, 7, [0.5] * 3, [0.0] * 3)
    vs = VectorScaler().fit(p, y)
    assert np.allclose(vs.scale_, 0.5, atol=0.07) and np.allclose(vs.bias_, 0.0, atol=0.08)
    assert 1.0 / vs.temperature_ == pytest.approx(0.5, abs=0.05)
    # and vector_scale with equal scales 1/T and no bias is temper(T)
    assert np.allclose(vector_scale(p, [1 / 1.7] * 3, [0.0] * 3), temper(p, 1.7))


def test_vector_scale_keeps_nan_rows_and_refuses_bad_terms():
    out = vector_scale(np.array([[np.nan, np.nan], [0.5, 0.5]]), [1.0, 1.0], [0.0, 0.0])
    assert np.isnan(out[0]).all() and out[1].tolist() == [0.5, 0.5]
    with pytest.raises(StarclassError, match="one of each per class"):
        vector_scale(np.array([[0.5, 0.5]]), [1.0, 1.0, 1.0], [0.0, 0.0])
    with pytest.raises(StarclassError, match="positive"):
        vector_scale(np.array([[0.5, 0.5]]), [1.0, -1.0], [0.0, 0.0])
    with pytest.raises(StarclassError, match="not fitted"):
        VectorScaler().predict_proba(np.array([[0.5, 0.5]]))
    with pytest.raises(StarclassError, match="use one of temperature, vector"):
        ModelCalibration.fit([[0.9, 0.1], [0.2, 0.8]], [0, 1], [1, 2], method="dirichlet")


def test_temperature_fit_with_confident_mistakes_finds_the_minimum():
    # 98%-confident rows, 28% of them wrong: the NLL of the tempered probabilities used to be
    # clipped flat for large 1/T and the bounded search stopped at T = 0.05 (NLL 7.8 instead of 0.8)
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 500)
    sharp = np.full((500, 3), 0.01)
    sharp[np.arange(500), y] = 0.98
    y_seen = np.where(rng.random(500) < 0.3, (y + 1) % 3, y)
    ts = TemperatureScaler().fit(sharp, y_seen)
    grid = np.exp(np.linspace(np.log(0.05), np.log(20), 400))
    losses = [log_loss(y_seen, temper(sharp, t), labels=[0, 1, 2]) for t in grid]
    best = grid[int(np.argmin(losses))]
    assert ts.temperature_ == pytest.approx(best, rel=0.03)
    assert ts.nll_after_ == pytest.approx(min(losses), abs=1e-4) and ts.nll_after_ < ts.nll_before_


def test_model_calibration_round_trips_through_its_manifest_entry():
    p, y = _biased(3, 900, 11, [0.8, 1.0, 1.1], [0.3, 0.0, -0.3])
    mc = ModelCalibration.fit(p, y, [1, 2, 3], source="toy", method="vector")
    d = json.loads(json.dumps(mc.to_dict()))  # what the manifest stores
    assert d["method"] == "vector" and len(d["scale"]) == 3 and len(d["bias"]) == 3
    back = ModelCalibration.from_dict(d)
    assert back.method == "vector" and np.array_equal(back.scale, mc.scale) and np.array_equal(back.bias, mc.bias)
    q = np.random.default_rng(1).dirichlet([1, 1, 1], 50)
    assert np.array_equal(back.calibrate(q), mc.calibrate(q))
    assert np.allclose(mc.calibrate(q), vector_scale(q, mc.scale, mc.bias))
    assert not np.allclose(mc.calibrate(q), temper(q, mc.temperature))
    assert "vector scaling" in mc.describe()
    # an entry written before vector scaling (no "method") is a temperature
    old = {k: v for k, v in ModelCalibration.fit(p, y, [1, 2, 3]).to_dict().items() if k != "method"}
    assert ModelCalibration.from_dict(old).method == "temperature"
    assert np.allclose(ModelCalibration.from_dict(old).calibrate(q), temper(q, old["temperature"]))
    with pytest.raises(StarclassError, match="positive scales"):
        ModelCalibration.from_dict(dict(d, scale=[1.0, -1.0, 1.0]), "model m")
    with pytest.raises(StarclassError, match="malformed"):
        ModelCalibration.from_dict({k: v for k, v in d.items() if k != "bias"}, "model m")
    with pytest.raises(StarclassError, match="model m: stored calibration method 'matrix'"):
        ModelCalibration.from_dict(dict(d, method="matrix"), "model m")


def test_trust_study_names_the_method():
    rng = np.random.default_rng(2)
    p = rng.dirichlet([1, 1], 40)
    y = rng.integers(0, 2, 40)
    study = trust_study(p, y, p.argmax(1), {}, [1, 2], meta={"calibration_method": "vector", "temperature": None})
    assert study.to_dict()["calibration_method"] == "vector"
    older = trust_study(p, y, p.argmax(1), {}, [1, 2], meta={"temperature": 1.2})
    assert older.to_dict()["calibration_method"] == "temperature"


# ------------------------------------------------------------------------ models end to end


@pytest.fixture(scope="module")
def vmodel(tmp_path_factory):
    """A two-member four-class toy model whose training calibrates it with vector scaling."""
    root = tmp_path_factory.mktemp("vector")
    cfg, toy, result = train_toy_trust_model(root, calibration="vector")
    return root, cfg, toy, result


def test_training_stores_vector_scaling_and_classify_applies_it(vmodel):
    from starclass.learn.classify import classify, predict_inputs

    root, cfg, toy, result = vmodel
    assert any("calibration: vector scaling" in n for n in result.notes), result.notes
    cal = read_manifest(root / "model")["calibration"]
    assert cal["method"] == "vector" and cal["n"] == result.n_val and len(cal["scale"]) == 4
    loaded = load_model(root / "model")  # the digest covers the new keys
    mc = ModelCalibration.from_dict(loaded.calibration)
    res = predict_inputs(loaded, toy.inputs[:20])
    assert np.allclose(res.prob_mean, vector_scale(res.prob_raw, mc.scale, mc.bias))
    images, table = make_synthetic_field(cfg, 12, seed=5)
    out = classify(images, table, loaded, progress=False, device="cpu")
    raw = np.column_stack([out[f"prob_{c}_raw"] for c in cfg.classes])
    assert np.allclose(np.column_stack([out[f"prob_{c}"] for c in cfg.classes]),
                       vector_scale(raw, mc.scale, mc.bias))
    assert out.meta["calibration_method"] == "vector" and out.meta["temperature"] is None
    assert out.meta["calibration_bias"] == pytest.approx(list(mc.bias))
    # decisions stay on the raw probabilities
    plain = classify(images, table, loaded, progress=False, device="cpu", calibrated=False, coverage=None)
    assert np.array_equal(plain["class_pred"], out["class_pred"])
    # an edited bias is refused by the digest
    doc = json.loads((root / "model" / "manifest.json").read_text())
    edited = dict(doc, calibration=dict(cal, bias=[b + 1.0 for b in cal["bias"]]))
    (root / "model" / "manifest.json").write_text(json.dumps(edited))
    try:
        with pytest.raises(StarclassError, match="digest"):
            load_model(root / "model")
    finally:
        (root / "model" / "manifest.json").write_text(json.dumps(doc))


def test_calibrate_model_switches_method_and_the_cli_option(vmodel, tmp_path):
    root, cfg, toy, _ = vmodel
    shutil.copytree(root / "model", tmp_path / "model")
    # toy holds the model's training rows: calibrate refuses them unless told (test_calibrate_held_out.py)
    mc = calibrate_model(tmp_path / "model", toy.inputs, toy.class_ref, source="toy", overwrite=True,
                         method="temperature", allow_training_rows=True)
    assert mc.method == "temperature"
    assert read_manifest(tmp_path / "model")["calibration"]["method"] == "temperature"
    write_toy_held_out(cfg, tmp_path, 40, seed=9)
    before = (tmp_path / "model" / "manifest.json").read_text()
    res = runner.invoke(app, ["calibrate", str(tmp_path / "model"), str(tmp_path / "mos"), "--catalog",
                              str(tmp_path / "held.ecsv"), "--device", "cpu", "--overwrite", "--method", "matrix"])
    assert res.exit_code == 2 and "--method 'matrix'" in res.output
    assert (tmp_path / "model" / "manifest.json").read_text() == before  # nothing written
    res = runner.invoke(app, ["calibrate", str(tmp_path / "model"), str(tmp_path / "mos"), "--catalog",
                              str(tmp_path / "held.ecsv"), "--device", "cpu", "--overwrite", "--method", "vector"])
    assert res.exit_code == 0, res.output
    assert "vector scaling" in res.output
    cal = read_manifest(tmp_path / "model")["calibration"]
    assert cal["method"] == "vector" and cal["n"] == 40
    out = tmp_path / "c.ecsv"
    res = runner.invoke(app, ["classify", str(tmp_path / "mos"), "--catalog", str(tmp_path / "held.ecsv"),
                              "--model", str(tmp_path / "model"), "-o", str(out), "--no-progress", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    assert "calibrated with vector scaling" in res.output
    t = read_catalog(out)
    assert t.meta["calibration_method"] == "vector"
    p_raw = np.column_stack([t[f"prob_{c}_raw"] for c in cfg.classes])
    assert np.allclose(np.column_stack([t[f"prob_{c}"] for c in cfg.classes]),
                       vector_scale(p_raw, cal["scale"], cal["bias"]), atol=1e-6)


def test_train_refuses_an_unknown_calibration_method(tmp_path):
    res = runner.invoke(app, ["train", "--task", "legus4-compact", "--stamps", str(tmp_path / "none"), "-o",
                              str(tmp_path / "m"), "--calibration-method", "isotonic"])
    assert res.exit_code == 2 and "--calibration-method 'isotonic'" in res.output
    assert not (tmp_path / "m").exists()
    with pytest.raises(StarclassError, match="recipe.calibration"):
        get_preset("legus4-compact", recipe={"calibration": "isotonic"})


def test_the_calibration_method_is_not_part_of_the_resume_digest():
    # calibrating after training changes no weight: a model trained with one method resumes with another
    from starclass.learn.train import settings_digest

    cfg = get_preset("legus4-compact")
    assert cfg.recipe.calibration == "temperature"
    assert settings_digest(cfg) == settings_digest(cfg.copy(recipe={"calibration": "vector"}))
    assert settings_digest(cfg) != settings_digest(cfg.copy(recipe={"lr": 0.5}))
