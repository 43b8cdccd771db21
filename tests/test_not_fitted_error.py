"""starclass.errors.NotFittedError is one class: what a notebook imported catches every unfitted call."""

from __future__ import annotations

import numpy as np
import pytest

from starclass.errors import NotFittedError


def test_starclass_not_fitted_error_catches_every_unfitted_call():
    # check_fitted made a new NotFittedError class on every call: `except starclass.errors.NotFittedError`
    # (the class a notebook imported first) missed the calibrators' and the conformal predictor's
    from starclass.learn.calibration import HistogramBinner, TemperatureScaler, VectorScaler
    from starclass.learn.conformal import ClassConditionalConformal

    probs = np.array([[0.7, 0.3]])
    for scaler in (TemperatureScaler(), VectorScaler(), HistogramBinner()):
        with pytest.raises(NotFittedError, match="not fitted"):
            scaler.predict_proba(probs)
    with pytest.raises(NotFittedError, match="not fitted"):
        ClassConditionalConformal().predict_set(probs)
    import starclass.errors

    assert starclass.errors.NotFittedError is NotFittedError
