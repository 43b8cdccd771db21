"""Calibration warnings a user can act on: conformal classes named by their task's number and
name (not a column index), and a temperature stuck at an end of its search called unreliable."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from starclass.errors import StarclassError
from starclass.learn.calibration import T_BOUNDS, ModelCalibration, TemperatureScaler, temperature_at_bound
from starclass.learn.conformal import ClassConditionalConformal


def _rows(counts, k=4, seed=0):
    """Held-out probabilities and labels with ``counts[j]`` rows of class index j."""
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(k), counts)
    p = rng.dirichlet(np.ones(k), len(y))
    p[np.arange(len(y)), y] += 1.0
    return p / p.sum(axis=1, keepdims=True), y


def _warned(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [str(w.message) for w in caught]


def test_conformal_warning_names_the_task_classes():
    """It said "class index(es) [0, 2] have only [4, 9] calibration rows": indices of columns,
    which a user of classes 1-4 read as classes 0 and 2."""
    p, y = _rows([4, 30, 9, 30])
    cal = ModelCalibration.fit(p, y, [1, 2, 3, 4])
    names = ["symmetric cluster", "asymmetric cluster", "compact association", "non-cluster"]
    got = _warned(lambda: cal.conformal(class_names=names).predict_set(p, coverage=0.95))
    assert len(got) == 1, got
    assert "need >= 19" in got[0] and "class 1 (symmetric cluster) has 4, class 3 (compact association) has 9" in got[0]
    assert "index" not in got[0] and "class 2" not in got[0]
    # without names: the class numbers
    got = _warned(lambda: cal.conformal().predict_set(p, coverage=0.95))
    assert "class 1 has 4, class 3 has 9" in got[0], got
    # a class without a single calibration row is named the same way
    with pytest.raises(StarclassError, match=r"no calibration row of class 3 \(compact association\)"):
        ClassConditionalConformal(class_labels=["1 (a)", "2 (b)", "3 (compact association)"]).fit(
            np.full((4, 3), 1 / 3), np.array([0, 1, 0, 1]))


def test_a_temperature_at_the_upper_end_is_called_unreliable():
    """Confident probabilities right at chance (every predicted class with every true class
    equally often): the NLL falls all the way to T = 20."""
    i = np.arange(64)
    y = i % 4
    p = np.full((64, 4), 0.1)
    p[i, (i // 4) % 4] = 0.7
    ts = TemperatureScaler().fit(p, y)
    msg = temperature_at_bound(ts.temperature_, p, y)
    assert ts.temperature_ > 0.99 * T_BOUNDS[1]
    acc = np.mean(p.argmax(axis=1) == y)
    assert msg.startswith(f"the fitted temperature {ts.temperature_:.3f} is at the upper end of its search (20): "
                          "the calibration is unreliable")
    assert f"right for {acc:.0%} (chance: 25%)" in msg and "64 held-out rows" in msg
    assert ModelCalibration.fit(p, y, [1, 2, 3, 4]).warning() == msg


def test_a_temperature_at_the_lower_end_is_called_unreliable():
    """Every row right: sharpening lowers the NLL without end; Brent stops at 0.052, not 0.05."""
    y = np.arange(40) % 4
    p = np.full((40, 4), 0.1)
    p[np.arange(40), y] = 0.7
    cal = ModelCalibration.fit(p, y, [1, 2, 3, 4])
    assert cal.temperature < 0.1
    assert cal.warning().startswith(f"the fitted temperature {cal.temperature:.3f} is at the lower end of its "
                                    "search (0.05): the calibration is unreliable")
    assert "right for 100%" in cal.warning()


def test_a_temperature_inside_the_search_and_other_maps_give_no_warning():
    y = np.arange(200) % 4
    p = np.full((200, 4), 0.1)
    p[np.arange(200), y] = 0.7
    wrong = np.arange(200) % 5 == 0  # one row in five wrong at 70% confidence
    y_seen = np.where(wrong, (y + 1) % 4, y)
    cal = ModelCalibration.fit(p, y_seen, [1, 2, 3, 4])
    assert T_BOUNDS[0] * 1.1 < cal.temperature < T_BOUNDS[1] * 0.9 and cal.warning() is None
    # vector scaling is not one number at a bound: not judged here
    assert ModelCalibration.fit(np.full((40, 4), 0.25) + np.eye(4)[y[:40]] * 0.0, y[:40], [1, 2, 3, 4],
                                method="vector").warning() is None
