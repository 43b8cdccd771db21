"""A notebook's chain in Python: a fitted CNNClassifier goes where a model directory does."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from starclass.datasets.stamps import make_synthetic_field
from starclass.errors import NotFittedError, StarclassError
from starclass.learn.classify import classify, predict_inputs
from starclass.learn.config import get_preset
from starclass.learn.estimator import CNNClassifier
from starclass.models.baselines import CatalogBoosting
from starclass.stamps import make_inputs

pytestmark = pytest.mark.usefixtures("single_thread")

TASK = get_preset("galaxy-cluster-compact", stamp_size=16, recipe={"batch_size": 16})


@pytest.fixture(scope="module")
def field_and_clf():
    images, table = make_synthetic_field(TASK, 40, seed=0)
    inputs, ok = make_inputs(images, table["x"], table["y"], TASK)
    clf = CNNClassifier(TASK, epochs=1, seed=0, device="cpu").fit(inputs[ok], table["class_ref"][ok])
    return images, table, inputs, clf


def test_classify_takes_a_fitted_cnnclassifier(field_and_clf, tmp_path):
    # classify(mosaics, table, clf) stopped with "TypeError: expected str, bytes or os.PathLike object,
    # not CNNClassifier": a notebook had to save the model to a folder, or reach for clf.model_
    images, table, inputs, clf = field_and_clf
    out = classify(images, table, clf, device="cpu", progress=False, coverage=None)
    assert out.meta["model"] == "(in memory)"
    probs = np.stack([out[f"prob_{c}"] for c in clf.classes_], axis=1)
    # the same model as the estimator's own predict_proba on the same stamps
    np.testing.assert_allclose(probs, clf.predict_proba(inputs), atol=1e-5)
    saved = classify(images, table, clf.save(tmp_path / "model"), device="cpu", progress=False, coverage=None)
    np.testing.assert_allclose(probs, np.stack([saved[f"prob_{c}"] for c in clf.classes_], axis=1), atol=1e-5)


def test_predict_inputs_takes_a_fitted_cnnclassifier(field_and_clf):
    _, _, inputs, clf = field_and_clf
    res = predict_inputs(clf, inputs, device="cpu")
    np.testing.assert_allclose(res.prob_mean, clf.predict_proba(inputs), atol=1e-6)


def test_loading_a_fitted_cnnclassifier_on_another_device_leaves_its_networks_as_they_were(field_and_clf):
    # load_model moved the estimator's own networks to the device asked for (net.to() moves a module in place) and
    # set them to eval mode: classify(..., clf, device="cuda") left a notebook's clf on the GPU. "meta" is a device
    # every machine has: the old code moved the estimator's weights there (their values gone)
    from starclass.learn.checkpoint import load_model

    _, _, inputs, clf = field_and_clf
    nets = clf.model_.members
    before = [(id(p), p.device, p.detach().clone()) for net in nets for p in net.parameters()]
    moved = load_model(clf, device="meta")
    assert all(p.device.type == "meta" for net in moved.members for p in net.parameters())
    assert clf.model_.members is nets
    after = [(id(p), p.device, p) for net in nets for p in net.parameters()]
    assert [(i, d) for i, d, _ in after] == [(i, d) for i, d, _ in before]
    assert all(torch.equal(a, b) for (_, _, a), (_, _, b) in zip(after, before))
    nets[0].train()  # a notebook that fine-tunes the networks itself
    try:
        ready = load_model(clf, device="cpu")
        assert nets[0].training and not ready.members[0].training  # the old code set the caller's to eval mode
    finally:
        nets[0].eval()
    # on its device and in eval mode already: the model itself, nothing copied
    assert load_model(clf, device="cpu") is clf.model_
    np.testing.assert_allclose(predict_inputs(ready, inputs, device="cpu").prob_mean, clf.predict_proba(inputs),
                               atol=1e-6)


def test_an_unfitted_estimator_given_as_the_model_says_it_is_not_fitted(field_and_clf):
    images, table, _, _ = field_and_clf
    with pytest.raises(NotFittedError, match="CNNClassifier is not fitted"):
        classify(images, table, CNNClassifier(TASK), device="cpu", progress=False)
    with pytest.raises(StarclassError, match="not a CNN model"):
        fitted = CatalogBoosting(max_iter=5)
        fitted.classes_ = np.array([1, 2])  # what fit sets; the baseline classifies columns, not stamps
        classify(images, table, fitted, device="cpu", progress=False)
    with pytest.raises(StarclassError, match="got dict"):
        classify(images, table, {"model": 1}, device="cpu", progress=False)



def test_an_estimator_is_calibrated_and_gives_conformal_sets_in_memory(field_and_clf, tmp_path):
    # a notebook could calibrate only a saved model directory (calibrate_model(path, ...)) and had no
    # conformal sets from the estimator: it had to rebuild them from clf.model_.calibration by hand
    images, table, inputs, clf = field_and_clf
    held_images, held = make_synthetic_field(TASK, 30, seed=5)
    held_inputs, ok = make_inputs(held_images, held["x"], held["y"], TASK)
    clf.calibrate(held_inputs[ok], held["class_ref"][ok], source="held-out field")
    assert clf.model_.calibration["source"] == "held-out field"
    assert clf.model_.calibration["n"] == int(ok.sum())
    sets = clf.predict_set(inputs, coverage=0.8)
    assert sets.shape == (len(inputs), 2) and sets.dtype == bool
    # the sets classify writes for the same model and rows
    out = classify(images, table, clf, device="cpu", progress=False, coverage=0.8)
    written = [set(map(int, s.split("|"))) if s else set() for s in out["pred_set"]]
    assert written == [set(clf.classes_[row].tolist()) for row in sets]
    # predict_proba is the calibrated probability; the calibration is saved with the weights
    again = type(clf).load(clf.save(tmp_path / "calibrated"), device="cpu")
    assert again.model_.calibration["source"] == "held-out field"
    np.testing.assert_allclose(again.predict_proba(inputs), clf.predict_proba(inputs), atol=1e-6)
    np.testing.assert_array_equal(again.predict_set(inputs, coverage=0.8), sets)


def test_calibrating_an_estimator_on_its_training_rows_is_refused(field_and_clf):
    _, table, inputs, _ = field_and_clf
    clf = CNNClassifier(TASK, epochs=1, seed=1, device="cpu", outdir=None)
    clf.fit(inputs, table["class_ref"])
    with pytest.raises(StarclassError, match="trained on"):
        clf.calibrate(inputs, table["class_ref"])
    with pytest.warns(UserWarning, match="trained on"):
        clf.calibrate(inputs, table["class_ref"], allow_training_rows=True)
    assert clf.model_.calibration["n_training_rows"] > 0


def test_calibrate_model_given_an_estimator_says_to_call_its_calibrate(field_and_clf):
    # calibrate_model(clf, X, y) stopped in Path() with "expected str, bytes or os.PathLike object, not
    # CNNClassifier", which names neither the argument nor the estimator's own calibrate
    from starclass.learn.calibration import calibrate_model

    _, table, inputs, clf = field_and_clf
    with pytest.raises(TypeError, match=r"model_path must be the path of a saved model directory, not "
                                        r"CNNClassifier; .* clf\.calibrate\(X, y\)"):
        calibrate_model(clf, inputs, table["class_ref"], source="held out")


def test_completeness_bins_are_magnitudes_with_their_unit():
    # completeness() gave mag_lo / mag_hi without a unit, where every catalogue's mag_<band> has one
    import astropy.units as u
    from astropy.table import Table

    from starclass.detect import completeness

    truth = Table({"x": [10.0, 30.0], "y": [10.0, 10.0], "mag_true_f555w": [21.2, 22.6]})
    out = completeness(truth, Table({"x": [10.2], "y": [10.0]}), bins=[21.0, 22.0, 23.0])
    assert out["mag_lo"].unit == u.mag and out["mag_hi"].unit == u.mag
    assert out["completeness"].tolist() == [1.0, 0.0]
