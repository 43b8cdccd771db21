"""The calibration matches how the probabilities are made: with or without test-time augmentation.

Before, the temperature (and the other maps, and the conformal rows) were fitted on probabilities
made without TTA, but ``classify --tta`` applied them to TTA-averaged probabilities, which are
softer: on the real PAndAS cutouts the calibrated ECE was 0.114 against 0.088 raw, on the very
rows the temperature was fitted on. Now ``calibrate`` (and ``train``) fit a second map on the same
rows classified with TTA, and ``classify --tta`` applies that one; a model calibrated before holds
none, and ``classify --tta`` says so.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from typer.testing import CliRunner

from conftest import write_toy_held_out  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog
from starclass.learn.calibration import ModelCalibration
from starclass.learn.checkpoint import load_model, read_manifest, save_calibration

runner = CliRunner()


@pytest.fixture(scope="module")
def calibrated(toy_trust_model, tmp_path_factory):
    """The toy model recalibrated by ``starclass calibrate`` on a fresh labelled field."""
    root, cfg, _, _ = toy_trust_model
    field = tmp_path_factory.mktemp("tta_field")
    write_toy_held_out(cfg, field, 60, seed=17)
    res = runner.invoke(app, ["calibrate", str(root / "model"), str(field / "mos"), "--catalog",
                              str(field / "held.ecsv"), "--device", "cpu", "--overwrite", "--no-progress"])
    assert res.exit_code == 0, res.output
    return root / "model", cfg, field, res.output


def _inputs(cfg, field):
    from starclass.io.mosaic import read_mosaics
    from starclass.stamps import make_inputs

    table = read_catalog(field / "held.ecsv")
    inputs, ok = make_inputs(read_mosaics(field / "mos"), np.asarray(table["x"]), np.asarray(table["y"]), cfg)
    return np.asarray(inputs), np.asarray(ok, bool), table


def _tta_mean(model, inputs):
    """Ensemble-mean probabilities over the eight rotations/flips, written out here (not the package's TTA)."""
    loaded = load_model(model, device="cpu")
    x = torch.as_tensor(inputs, dtype=torch.float32)
    views = []
    for flip in (False, True):
        for k in range(4):
            v = torch.rot90(x.flip(-1) if flip else x, k, dims=(-2, -1))
            with torch.no_grad():
                views.append(np.mean([torch.softmax(net.eval()(v).float(), dim=1).numpy()
                                      for net in loaded.members], axis=0))
    return np.mean(views, axis=0).astype(np.float64)


def _tempered(p, temperature):
    z = np.log(np.clip(p, 1e-12, 1.0)) / temperature
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _classify(model, field, out, *extra):
    return runner.invoke(app, ["classify", str(field / "mos"), "--catalog", str(field / "held.ecsv"), "--model",
                               str(model), "-o", str(out), "--no-progress", "--device", "cpu", *extra])


def test_calibrate_stores_a_calibration_fitted_under_tta(calibrated):
    model, cfg, field, output = calibrated
    cal = read_manifest(model)["calibration"]
    assert cal["tta"] is False
    tta = cal["with_tta"]
    assert tta["tta"] is True and tta["n"] == cal["n"] and tta["labels"] == cal["labels"]
    inputs, ok, _ = _inputs(cfg, field)
    # its rows are the held-out rows' TTA-averaged probabilities, and its temperature minimises their NLL
    assert np.allclose(np.asarray(tta["probs"]), _tta_mean(model, inputs[ok]), atol=2e-5)
    refit = ModelCalibration.fit(tta["probs"], tta["labels"], cfg.classes)
    assert tta["temperature"] == pytest.approx(refit.temperature, rel=1e-6)
    assert not np.allclose(tta["probs"], cal["probs"])  # not the rows classified once
    assert "under TTA (classify --tta): temperature" in output


def test_classify_tta_applies_the_temperature_fitted_under_tta(calibrated, tmp_path):
    model, cfg, field, _ = calibrated
    cal = read_manifest(model)["calibration"]
    inputs, ok, _ = _inputs(cfg, field)
    out = tmp_path / "tta.ecsv"
    res = _classify(model, field, out, "--tta")
    assert res.exit_code == 0, res.output
    assert "fitted with TTA" in res.output and "fitted without TTA" not in res.output
    t = read_catalog(out)
    prob = np.column_stack([np.asarray(t[f"prob_{c}"], float) for c in cfg.classes])[ok]
    raw = np.column_stack([np.asarray(t[f"prob_{c}_raw"], float) for c in cfg.classes])[ok]
    p_tta = _tta_mean(model, inputs[ok])
    assert np.allclose(raw, p_tta, atol=2e-5)
    assert np.allclose(prob, _tempered(p_tta, cal["with_tta"]["temperature"]), atol=2e-5)
    assert not np.allclose(prob, _tempered(p_tta, cal["temperature"]), atol=1e-4)
    assert t.meta["calibration_tta"] is True and t.meta["tta"] is True
    # the conformal sets are scored against the rows fitted under TTA too
    from starclass.learn.conformal import format_sets
    from starclass.learn.provenance import row_digests

    entry = ModelCalibration.from_dict(cal).with_tta
    p_all = np.column_stack([np.asarray(t[f"prob_{c}"], float) for c in cfg.classes])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a toy class of 9 rows is in every set: classify said so already
        sets = entry.conformal(calibrated=True).predict_set(p_all, coverage=0.9, keys=row_digests(inputs))
    assert list(np.asarray(t["pred_set"])[ok]) == list(np.asarray(format_sets(sets, cfg.classes))[ok])
    # without --tta: the temperature fitted on the rows classified once, as before
    out1 = tmp_path / "one.ecsv"
    res = _classify(model, field, out1)
    assert res.exit_code == 0, res.output
    t1 = read_catalog(out1)
    raw1 = np.column_stack([np.asarray(t1[f"prob_{c}_raw"], float) for c in cfg.classes])
    prob1 = np.column_stack([np.asarray(t1[f"prob_{c}"], float) for c in cfg.classes])
    assert np.allclose(prob1[ok], _tempered(raw1[ok], cal["temperature"]), atol=1e-6)
    assert t1.meta["calibration_tta"] is False and "TTA" not in res.output


def test_a_model_calibrated_before_warns_under_tta(calibrated, tmp_path):
    import shutil

    model, cfg, field, _ = calibrated
    old = tmp_path / "old"
    shutil.copytree(model, old)
    # the entry as calibrate wrote it before: no TTA mode recorded, no map fitted under TTA
    entry = {k: v for k, v in read_manifest(old)["calibration"].items()
             if k not in ("tta", "with_tta", "digest", "member_digests")}
    save_calibration(old, entry, [c["digest"] for c in load_model(old).checkpoints], overwrite=True)
    res = _classify(old, field, tmp_path / "a.ecsv", "--tta")
    assert res.exit_code == 0, res.output
    assert "WARNING: the model's calibration was fitted without TTA" in res.output
    assert "starclass calibrate" in res.output
    assert "raw probabilities (the model's calibration was fitted without TTA: not applied)" in res.output
    t = read_catalog(tmp_path / "a.ecsv")
    assert t.meta["calibration_tta"] is False and t.meta["calibrated"] is False
    assert any("fitted without TTA" in c for c in t.meta["calibration_cautions"])
    # not applied: a temperature fitted on sharper probabilities made real TTA ones worse than raw
    inputs, ok, _ = _inputs(cfg, field)
    prob = np.column_stack([np.asarray(t[f"prob_{c}"], float) for c in cfg.classes])[ok]
    assert np.allclose(prob, _tta_mean(old, inputs[ok]), atol=2e-5)
    assert "pred_set" in t.colnames and f"prob_{cfg.classes[0]}_raw" not in t.colnames
    res = _classify(old, field, tmp_path / "b.ecsv")  # without --tta it fits: no word
    assert res.exit_code == 0, res.output
    assert "fitted without TTA" not in res.output
    # info says which calibrations each model holds
    res = runner.invoke(app, ["info", str(old)])
    assert res.exit_code == 0 and "calibrations held: without TTA only" in res.output, res.output
    res = runner.invoke(app, ["info", str(model)])
    assert res.exit_code == 0 and "calibrations held: without TTA (above) and under TTA" in res.output, res.output


def test_train_fits_a_calibration_under_tta_too(_toy_trust_trained):
    root, cfg, _, result = _toy_trust_trained  # read only: the session's model as train wrote it
    cal = read_manifest(root / "model")["calibration"]
    assert str(cal["source"]).startswith("validation split")
    assert cal["with_tta"]["tta"] is True and cal["with_tta"]["n"] == cal["n"] == result.n_val
    assert any("under TTA temperature" in n for n in result.notes), result.notes


def test_a_malformed_tta_entry_is_refused():
    p = np.array([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7], [0.2, 0.8]])
    cal = ModelCalibration.fit(p, [0, 1, 1, 0], [1, 2])
    cal.with_tta = ModelCalibration.fit(p, [0, 1, 1, 0], [1, 2], tta=True)
    d = cal.to_dict()
    back = ModelCalibration.from_dict(d)
    assert back.with_tta.tta and back.with_tta.temperature == cal.with_tta.temperature
    assert back.for_tta(True) is back.with_tta and back.for_tta(False) is back
    with pytest.raises(StarclassError, match="with_tta"):
        ModelCalibration.from_dict(dict(d, with_tta=dict(d["with_tta"], tta=False)))
