"""classify(): streaming, ensemble columns, threshold, TTA and bad input."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from astropy.table import Table

from starclass.datasets.stamps import make_synthetic_field
from starclass.errors import StarclassError
from starclass.learn.checkpoint import load_model
from starclass.learn.classify import classify, predict_inputs
from starclass.learn.config import get_preset
from starclass.learn.train import fit


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A two-member compact ensemble trained briefly on a small synthetic field."""
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0, 2.0],
                     recipe={"epochs": 1, "batch_size": 32, "val_fraction": 0.0})
    images, table = make_synthetic_field(cfg, 64, seed=4)
    from starclass.stamps import make_inputs

    inputs, ok = make_inputs(images, table["x"], table["y"], cfg)
    out = tmp_path_factory.mktemp("model")
    fit(cfg, inputs, np.asarray(table["class_ref"]), outdir=out, seed=2, ensemble=2,
        progress=False, device="cpu")
    return cfg, images, table, out


def test_classify_adds_columns_and_streams(trained):
    cfg, images, table, model = trained
    one = classify(images, table, model, batch_size=7, progress=False, device="cpu")
    big = classify(images, table, model, batch_size=1000, progress=False, device="cpu")
    for col in ("class_pred", "prob_1", "prob_2", "prob_3", "prob_4", "quality", "class_m1", "class_m2",
                "class_mean", "class_median", "class_std", "prob_std"):
        assert col in one.colnames, col
    # batching does not change the answer
    assert np.array_equal(one["class_pred"], big["class_pred"])
    assert np.allclose(one["prob_1"], big["prob_1"], atol=1e-5)
    probs = np.stack([one[f"prob_{k}"] for k in (1, 2, 3, 4)], axis=1)
    assert np.allclose(probs.sum(axis=1), 1, atol=1e-5)
    q = np.asarray(one["quality"])
    assert set(np.round(q, 3)) <= {0.5, 1.0}
    agree = np.asarray(one["class_m1"]) == np.asarray(one["class_m2"])
    assert np.array_equal(q == 1.0, agree)
    assert one.meta["task"] == cfg.name and one.meta["n_unclassified"] == 0
    assert np.array_equal(one["id"], table["id"])  # input columns kept, in order


def test_band_mismatch_names_the_bands(trained):
    _, images, table, model = trained
    fewer = {b: a for b, a in images.items() if b != "f336w"}
    with pytest.raises(StarclassError, match=r"band f336w missing from the mosaics \(available: "):
        classify(fewer, table, model, progress=False)


def test_empty_candidates_and_missing_columns(trained):
    _, images, table, model = trained
    with pytest.raises(StarclassError, match="empty"):
        classify(images, table[:0], model, progress=False)
    with pytest.raises(StarclassError, match="'x'"):
        classify(images, Table({"id": [1], "y": [3.0]}), model, progress=False)


def test_nan_and_off_image_candidates_get_no_class(trained):
    _, images, table, model = trained
    img = {b: a.copy() for b, a in images.items()}
    x0, y0 = int(table["x"][0]), int(table["y"][0])
    img["f555w"][y0 - 2: y0 + 3, x0 - 2: x0 + 3] = np.nan
    t = table.copy()
    t["x"][1] = -500.0  # off the image
    out = classify(img, t, model, progress=False, device="cpu")
    assert out["class_pred"][0] == 0 and out["class_pred"][1] == 0
    assert np.isnan(out["prob_1"][0]) and out["quality"][0] == 0
    assert np.all(np.asarray(out["class_pred"][2:]) > 0)
    assert out.meta["n_unclassified"] == 2
    assert np.all(np.isfinite(np.asarray(out["prob_1"][2:])))


def test_tta_on_symmetric_input_equals_plain(trained):
    cfg, *_ , model = trained
    size = cfg.stamp_size
    c = (size - 1) / 2  # symmetric about the array centre: invariant under all 8 transforms
    yy, xx = np.mgrid[:size, :size]
    r2 = (xx - c) ** 2 + (yy - c) ** 2
    x = np.stack([np.exp(-r2 / (2 * s**2)) for s in np.linspace(1, 3, cfg.n_channels)])[None]
    x = np.repeat(x, 3, axis=0).astype(np.float32) * np.array([1, 2, 5], dtype=np.float32)[:, None, None, None]
    plain = predict_inputs(model, x, device="cpu")
    tta = predict_inputs(model, x, tta=True, device="cpu")
    assert np.allclose(plain.prob_mean, tta.prob_mean, atol=1e-5)
    # and on a non-symmetric input TTA does change the probabilities
    x2 = np.random.default_rng(0).normal(size=x.shape).astype(np.float32)
    assert not np.allclose(predict_inputs(model, x2, device="cpu").prob_mean,
                           predict_inputs(model, x2, tta=True, device="cpu").prob_mean, atol=1e-6)
    with pytest.raises(StarclassError, match="NaN"):
        predict_inputs(model, np.full_like(x, np.nan), device="cpu")


def test_binary_threshold_is_applied(tmp_path):
    cfg = get_preset("galaxy-cluster-compact", stamp_size=16, threshold=0.9,
                     recipe={"epochs": 1, "batch_size": 16, "val_fraction": 0.0})
    images, table = make_synthetic_field(cfg, 24, seed=1)
    from starclass.stamps import make_inputs

    inputs, _ = make_inputs(images, table["x"], table["y"], cfg)
    fit(cfg, inputs, np.asarray(table["class_ref"]), outdir=tmp_path, progress=False, device="cpu")
    out = classify(images, table, tmp_path, progress=False, device="cpu")
    p1 = np.asarray(out["prob_1"])
    expect = np.where(p1 >= 0.9, 1, 2)
    assert np.array_equal(np.asarray(out["class_pred"]), expect)
    # the same model without the threshold takes the arg-max
    loaded = load_model(tmp_path)
    loaded.config.threshold = None
    plain = classify(images, table, loaded, progress=False, device="cpu")
    assert np.array_equal(np.asarray(plain["class_pred"]), np.where(p1 >= 0.5, 1, 2))


def test_loaded_model_members_are_in_eval_mode(trained):
    *_, model = trained
    loaded = load_model(model)
    assert len(loaded.members) == 2
    assert all(not m.training for m in loaded.members)
    assert loaded.bands == list(get_preset("legus4").bands)
    x = torch.zeros(2, loaded.config.n_channels, 16, 16)
    assert loaded.members[0](x).shape == (2, 4)


def test_candidates_on_nan_pixels_are_named_by_id(trained):
    """Candidates centred on a mosaic's NaN border were counted ("89 of 658 candidates have no usable
    stamp") but not named (those off the image were): the user had no way to find them."""
    cfg, images, table, model = trained
    holed = {b: np.array(a, dtype=np.float32, copy=True) for b, a in images.items()}
    t = table.copy()
    t["id"] = np.arange(101, 101 + len(t))
    for row in (3, 7):
        x, y = int(round(float(t["x"][row]))), int(round(float(t["y"][row])))
        for a in holed.values():
            a[y - 1:y + 2, x - 1:x + 2] = np.nan
    with pytest.warns(UserWarning, match=r"2 of \d+ candidates have no usable stamp .*\(ids 104, 108\)"):
        out = classify(holed, t, model, progress=False, device="cpu")
    assert list(np.flatnonzero(np.asarray(out["class_pred"]) == 0)) == [3, 7]


@pytest.mark.parametrize("side", [4, 64])
def test_stamps_of_another_size_are_refused_naming_both_sizes(trained, side):
    # the compact network's global pooling took 4 px and 64 px stamps of a 16 px model and gave classes
    cfg, _, _, model = trained
    x = np.zeros((3, cfg.n_channels, side, side), np.float32)
    with pytest.raises(StarclassError, match=rf"inputs are {side} x {side} px .* takes 16 x 16 px stamps "
                                             r"\(stamp_size=16\).*cutout_inputs"):
        predict_inputs(model, x, device="cpu")


def test_estimator_refuses_stamps_of_another_size(trained):
    from starclass.learn.estimator import CNNClassifier

    cfg, _, _, model = trained
    clf = CNNClassifier.load(model, device="cpu")
    with pytest.raises(StarclassError, match=r"inputs are 8 x 8 px .*stamp_size=16"):
        clf.predict_proba(np.zeros((2, cfg.n_channels, 8, 8), np.float32))


def test_a_loaded_model_missing_a_band_names_the_model_folder_and_task(trained, tmp_path):
    """suggest --mosaics classifies through classify() with a loaded model: a field without one of its bands
    said 'model (trained on ...): ... missing' with no model path nor mosaics folder, and 'extends: TASK',
    where classify --catalog (2f86fe7) names both and the task."""
    from starclass.bands import BANDS
    from starclass.io.mosaic import read_mosaics, write_mosaic

    cfg, images, table, model = trained
    for b in ("f555w", "f814w"):
        write_mosaic(tmp_path / f"g_{b}.fits", np.asarray(images[b], np.float32), b, None,
                     photflam=BANDS[b].photflam, photplam=BANDS[b].photplam)
    with pytest.raises(StarclassError) as exc:
        classify(read_mosaics(tmp_path), table, load_model(model, device="cpu"), progress=False, device="cpu")
    text = str(exc.value)
    assert text.startswith(f"model {model} (trained on"), text
    assert f"({tmp_path})" in text and f"'extends: {cfg.name}'" in text, text
