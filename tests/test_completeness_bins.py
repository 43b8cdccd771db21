"""The default magnitude bins of :func:`starclass.detect.completeness.completeness` hold every true object.

The last edge was ``ceil(faintest * 2) / 2``; ``np.digitize`` puts a magnitude equal to the last edge
past it, so a faintest true object on a half magnitude (22.0) was in no bin, and a truth catalogue
of one magnitude (artificial stars injected at 20.0) got no bin at all: ``detect --truth`` failed
with an IndexError traceback.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table

from starclass.detect.completeness import completeness


def test_a_faintest_object_on_a_half_magnitude_is_counted():
    truth = Table({"x": [10.0, 30.0, 50.0], "y": [10.0] * 3, "mag_true_f555w": [21.2, 21.7, 22.0]})
    found = Table({"x": [10.1, 50.2], "y": [10.0, 10.1]})
    c = completeness(truth, found)
    assert int(np.sum(c["n_true"])) == 3, c  # the old code: 2 (22.0 in no bin)
    assert int(np.sum(c["n_found"])) == 2, c
    assert float(c["mag_lo"][0]) == 21.0 and float(c["mag_hi"][-1]) == 22.5, c


def test_a_truth_of_one_magnitude_gets_one_bin():
    truth = Table({"x": [10.0, 30.0], "y": [10.0, 10.0], "mag_f555w": [20.0, 20.0]})
    c = completeness(truth, Table({"x": [10.0], "y": [10.0]}))
    assert len(c) == 1, c  # the old code: no bin
    assert c["n_true"].tolist() == [2] and c["completeness"].tolist() == [0.5]
