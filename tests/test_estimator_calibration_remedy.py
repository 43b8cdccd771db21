"""``CNNClassifier``'s calibration cautions name its own ``calibrate`` method as the remedy.

Walking docs/models.md (2026-12-07): ``CNNClassifier("legus4-compact", epochs=3).fit(X, y)`` on 200 rows
warned that the temperature was fitted on only 20 held-out rows, and to "fit it on a larger labelled held-out set
(starclass.learn.calibration.calibrate_model(model, inputs, labels, source=..., overwrite=True))": a function
taking a model folder, where the estimator in hand has ``clf.calibrate(X_held_out, y_held_out)`` (the docs'
next line). The warning now says that, and where it was raised (the caller's line) as before.
"""

from __future__ import annotations

import warnings

import pytest

from starclass.errors import CalibrationWarning


@pytest.fixture(scope="module")
def toy():
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.config import get_preset

    cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    return cfg, make_synthetic(cfg, 40, seed=1), make_synthetic(cfg, 12, seed=2)


def _said(fn):
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        out = fn()
    return [w for w in said if issubclass(w.category, CalibrationWarning)], out


def test_fit_and_calibrate_say_the_estimator_s_calibrate(toy):
    from starclass.learn.estimator import CNNClassifier

    cfg, train, held = toy
    said, clf = _said(lambda: CNNClassifier(cfg, epochs=1, device="cpu").fit(train.inputs, train.class_ref))
    for warned in (said, _said(lambda: clf.calibrate(held.inputs, held.class_ref))[0]):
        texts = [str(w.message) for w in warned]
        assert texts and all("clf.calibrate(X_held_out, y_held_out)" in t for t in texts), texts
        assert not any("calibrate_model(" in t for t in texts), texts
        assert all(w.filename == __file__ for w in warned), [w.filename for w in warned]
