"""A notebook's chain in Python: a fitted CNNClassifier goes where a model directory does."""

from __future__ import annotations

import numpy as np
import pytest

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

