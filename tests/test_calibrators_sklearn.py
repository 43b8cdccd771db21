"""The calibrators and the conformal predictor keep the scikit-learn habits their docstrings promise.

``TemperatureScaler``, ``VectorScaler``, ``HistogramBinner`` and ``ClassConditionalConformal``
say "scikit-learn style", but used before ``fit`` the conformal predictor stopped with an
``AttributeError`` ('n_classes_') and the scalers with a plain ``StarclassError`` that
``except NotFittedError`` (scikit-learn's) did not catch.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from starclass.errors import StarclassError
from starclass.learn.calibration import HistogramBinner, TemperatureScaler, VectorScaler
from starclass.learn.conformal import ClassConditionalConformal

ESTIMATORS = [TemperatureScaler, VectorScaler, HistogramBinner, ClassConditionalConformal]


def _probs_labels(n: int = 300, k: int = 3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, n)
    p = np.full((n, k), 0.1 / (k - 1))
    p[np.arange(n), y] = 0.9
    # a third of the labels wrong at 90% confidence: something for the calibrators to correct
    y_seen = np.where(rng.random(n) < 0.3, (y + 1) % k, y)
    return p, y_seen


def _use(est, p: np.ndarray) -> np.ndarray:
    return est.predict_set(p) if isinstance(est, ClassConditionalConformal) else est.predict_proba(p)


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_use_before_fit_is_not_fitted_error(cls):
    p, _ = _probs_labels(20)
    with pytest.raises(NotFittedError, match=cls.__name__) as info:
        _use(cls(), p)
    # still a StarclassError, so the command line prints it and exits 2
    assert isinstance(info.value, StarclassError)


PARAMS = {
    TemperatureScaler: {"bounds": (0.1, 10.0)},
    VectorScaler: {"bounds": (0.1, 10.0)},
    HistogramBinner: {"n_bins": 5, "min_rows_per_bin": 10},
    ClassConditionalConformal: {"coverage": 0.8, "smoothing": False, "seed": 3, "class_labels": [1, 2, 3]},
}


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_params_round_trip_and_clone(cls):
    # sklearn.base.clone failed: "does not implement a 'get_params' method"
    from sklearn.base import clone

    given = PARAMS[cls]
    est = cls(**given)
    # parameters are stored as given (class_labels were turned into strings in __init__)
    assert est.get_params() == given
    assert est.set_params(**{k: v for k, v in cls().get_params().items()}) is est
    assert est.get_params() == cls().get_params()
    est.set_params(**given)
    p, y = _probs_labels()
    est.fit(p, y)
    copy = clone(est)
    assert copy.get_params() == given
    # a clone is unfitted: it has the parameters, not what fit learned
    with pytest.raises(NotFittedError):
        _use(copy, p)
    # and fitted on the same rows it gives the same answers
    assert np.array_equal(_use(copy.fit(p, y), p), _use(est, p), equal_nan=True)


@pytest.mark.parametrize("coverage", [1.5, 0, "high"])
def test_conformal_fit_checks_the_coverage(coverage):
    """fit accepted coverage=1.5 and the error came only at the first predict_set; scikit-learn's
    habit (and CNNClassifier's) is that fit checks the constructor's parameters."""
    p, y = _probs_labels()
    with pytest.raises(StarclassError, match=r"coverage .* (must be above 0 and below 1|is not a number)"):
        ClassConditionalConformal(coverage=coverage).fit(p, y)
