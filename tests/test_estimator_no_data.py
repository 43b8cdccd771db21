"""The estimator treats a row without data as classify does: unclassified, said to have no data (all NaN).

Before, a notebook user with an all-NaN cutout among the rows of ``X`` got: from
``predict_proba`` "model inputs 0-3 contain NaN or inf; build them with starclass.stamps.make_inputs"
(no probabilities for any row); from ``fit`` nothing at all (the row trained on as a picture
of zeros); and a blank (constant) row got confident probabilities, where ``classify`` leaves both
unclassified (class_pred 0, NaN probabilities) with "band g has no data (all NaN) in 1 of N ...".
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from starclass.datasets.stamps import make_synthetic
from starclass.learn.checkpoint import write_untrained_model
from starclass.learn.config import get_preset
from starclass.learn.estimator import CNNClassifier

pytestmark = pytest.mark.usefixtures("single_thread")
CFG = get_preset("galaxy-cluster-compact", stamp_size=16)


@pytest.fixture(scope="module")
def clf(tmp_path_factory):
    return CNNClassifier.load(write_untrained_model(tmp_path_factory.mktemp("m") / "model", CFG), device="cpu")


def _rows(n: int = 4, seed: int = 0):
    toy = make_synthetic(CFG, n, seed=seed)
    x = toy.inputs.copy()
    x[0] = np.nan   # an all-NaN cutout, given as it is
    x[2] = 0.0      # a blank (constant) one
    return x, np.asarray(toy.class_ref)


def _said(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = call()
    return got, [" ".join(str(w.message).split()) for w in caught]


def test_predict_proba_and_predict_leave_them_unclassified(clf):
    x, _ = _rows()
    # the old code: StarclassError "model inputs 0-3 contain NaN or inf"
    prob, said = _said(lambda: clf.predict_proba(x))
    assert np.isnan(prob[[0, 2]]).all() and np.allclose(prob[[1, 3]].sum(axis=1), 1)
    assert ("band xray has no data (all NaN) in 1 of 4 rows of X (row 0): they are not classified (NaN "
            "probabilities; predict gives class 0), as classify leaves them") in said, said
    assert "band xray is blank (constant) in 1 of 4 rows of X (row 2)" in " ".join(said), said
    pred, _ = _said(lambda: clf.predict(x))
    assert pred[0] == 0 and pred[2] == 0 and set(pred[[1, 3]]) <= {1, 2}
    # the rows classified get what they get alone
    alone, _ = _said(lambda: clf.predict_proba(x[[1, 3]]))
    assert np.allclose(alone, prob[[1, 3]])


def test_predict_set_and_score(clf):
    x, y = _rows(8, seed=1)
    held, y_held = make_synthetic(CFG, 24, seed=2).inputs, make_synthetic(CFG, 24, seed=2).class_ref
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the untrained model's calibration notes
        clf.calibrate(held, y_held, allow_training_rows=True)
    sets, _ = _said(lambda: clf.predict_set(x, coverage=0.8))
    assert not sets[[0, 2]].any()  # no set for a row not classified, as classify writes none
    score, _ = _said(lambda: clf.score(x, y))
    pred, _ = _said(lambda: clf.predict(x))
    ok = np.array([i not in (0, 2) for i in range(8)])
    assert score == pytest.approx(np.mean(pred[ok] == CFG.map_classes(y)[ok]))


def test_calibrate_leaves_an_all_nan_row_out_saying_so(clf):
    held = make_synthetic(CFG, 24, seed=3)
    x = held.inputs.copy()
    x[5] = np.nan
    # the old code: StarclassError "model inputs 0-23 contain NaN or inf" from the network
    _, said = _said(lambda: clf.calibrate(x, held.class_ref, allow_training_rows=True))
    assert ("1 of the 24 labelled calibration rows of calibrate(X, y) is an image with no data (all NaN) (row 5): "
            "left out, as classify leaves them unclassified") in said, said
    assert clf.model_.calibration["n"] == 23


def test_fit_leaves_them_out_as_train_stamps_does():
    x, y = _rows(24, seed=4)
    est = CNNClassifier(CFG, epochs=1, device="cpu")
    # the old code: trained on both without a word
    _, said = _said(lambda: est.fit(x, y, val_index=[0, 1, 2, 3, 4, 5]))
    assert ("1 of the 24 labelled training rows of fit(X, y) is an image with no data (all NaN) (row 0): left out, "
            "as classify leaves them unclassified") in said, said
    assert ("1 of the 24 labelled training rows of fit(X, y) is a blank (constant) image (row 2): left out, "
            "as classify leaves them unclassified") in said, said
    assert est.predict(x[[1, 3]]).shape == (2,)


def test_rows_beyond_the_first_batch_are_found_and_filled():
    from starclass.learn.estimator import _usable_rows

    x = np.random.default_rng(5).normal(size=(1100, 2, 16, 16)).astype("f4")
    x[1050, 1] = np.nan   # one band without data, in the third batch of 512
    x[700] = 3.0          # constant, in the second
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        filled, valid, no_data = _usable_rows(x, CFG)
    assert np.flatnonzero(~valid).tolist() == [700, 1050] and np.argwhere(no_data).tolist() == [[1050, 1]]
    assert np.isfinite(filled).all() and np.isnan(x[1050, 1]).all()  # X itself untouched


def test_score_of_rows_none_classified_says_why_in_classify_words(clf):
    x, y = _rows()
    x[1] = np.nan
    x[3] = 0.0
    from starclass.errors import StarclassError

    with pytest.raises(StarclassError) as exc:
        _said(lambda: clf.score(x, y))
    # the old code: "(every one is blank or without data in some band)", a wording of its own
    assert ("no row with a task class in y is classified (every one is blank (constant) or has no data (all NaN) "
            "in some band)") in str(exc.value), exc.value
