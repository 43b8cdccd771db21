"""evaluate: two tables that hardly overlap (another field) are scored on their few pairs, with a warning."""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table

from starclass.evaluate.compare import pairing


def test_a_few_chance_pairs_are_scored_with_a_warning():
    rng = np.random.default_rng(0)
    pred = Table({"x": rng.uniform(0, 500, 60), "y": rng.uniform(0, 500, 60)})
    ref = Table({"x": rng.uniform(1000, 1500, 60), "y": rng.uniform(0, 500, 60)})  # another field...
    ref["x"][:3], ref["y"][:3] = pred["x"][:3] + 0.5, pred["y"][:3]  # ...but for three rows
    with pytest.warns(UserWarning, match=r"only 3 of the 60 rows of prediction \(5%\) pair .*chance coincidences"):
        ia, ib, _ = pairing(pred, ref, False, 2.0, ("prediction", "truth"))
    assert len(ia) >= 3
    import warnings

    with warnings.catch_warnings():  # the same field pairs nearly every row: nothing to say
        warnings.simplefilter("error")
        ia, _, _ = pairing(pred, pred, False, 2.0, ("prediction", "truth"))
    assert len(ia) == 60
