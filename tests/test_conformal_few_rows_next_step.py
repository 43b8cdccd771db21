"""The conformal "too few calibration rows" warning says what to do: how many held-out rows each class
needs (``starclass calibrate``) and the highest coverage the rows at hand allow (``classify --coverage``).

It said which classes had too few rows and stopped there.
"""

from __future__ import annotations

import re
import warnings

import numpy as np

from starclass.errors import cli_words
from starclass.learn.conformal import ClassConditionalConformal


def _fitted(n_small: int) -> ClassConditionalConformal:
    rng = np.random.default_rng(0)
    labels = np.array([0] * 60 + [1] * n_small)
    probs = rng.dirichlet([1.0, 1.0], len(labels))
    return ClassConditionalConformal(seed=0).fit(probs, labels)


def test_the_warning_gives_the_rows_needed_and_a_coverage_that_works():
    cp = _fitted(5)
    probs = np.array([[0.9, 0.1], [0.4, 0.6]])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cp.predict_set(probs, coverage=0.9)
    # as classify says it (the library names the Python function and argument: errors.cli_words)
    said = [cli_words(str(w.message)) for w in caught if "too few calibration rows" in str(w.message)]
    assert len(said) == 1, [str(w.message) for w in caught]
    # as many as the warning's "need >= 10" (1/(1 - 0.9) is a hair over 10 in floats)
    assert "at least 10 held-out rows of each class ('starclass calibrate')" in said[0], said[0]
    offered = re.search(r"coverage of at most ([0-9.]+) \(classify --coverage\)", said[0])
    assert offered, said[0]
    # the coverage offered is one the rows at hand allow: asked for, it warns of nothing
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cp.predict_set(probs, coverage=float(offered.group(1)))
    assert not [w for w in caught if "too few calibration rows" in str(w.message)]
    # and one step above it does not
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cp.predict_set(probs, coverage=float(offered.group(1)) + 0.02)
    assert [w for w in caught if "too few calibration rows" in str(w.message)]
