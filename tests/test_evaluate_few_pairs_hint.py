"""evaluate's refusal of an under-5% pairing says the other cause when matched on pixels: two mosaics' grids.

The message said only "most likely of different fields" and pointed to --allow-few-matches, which
would score chance pairs; two pointings of one field (x, y on two pixel grids, as NGC 628-C and
-E: 1 pair on x, y, 119 on the sky) are refused the same way, and what helps there is ra, dec.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table

from starclass.errors import StarclassError
from starclass.evaluate.compare import pairing

DEG_PER_PX = 1e-5  # 0.036 arcsec per pixel


def _two_pointings(n: int = 80):
    """One set of objects on two mosaics whose pixel grids are 300 px apart; ra, dec the same."""
    rng = np.random.default_rng(5)
    x, y = rng.uniform(0, 600, n), rng.uniform(0, 600, n)
    sky = {"ra": 30.0 + x * DEG_PER_PX, "dec": -5.0 + y * DEG_PER_PX}
    pred = Table({"x": x, "y": y, **sky})
    ref = Table({"x": x - 300.0, "y": y, **sky})
    return pred, ref


def test_a_pixel_match_refused_names_two_grids_and_the_sky_remedy():
    pred, ref = _two_pointings()
    pred_xy = Table({"x": pred["x"], "y": pred["y"]})  # no ra, dec: matched on the pixels
    ref["x"][0] = pred["x"][0] + 0.5  # one chance coincidence on the pixels
    with pytest.raises(StarclassError) as err:
        pairing(pred_xy, ref, False, 2.0, ("cand.ecsv", "truth.ecsv"))
    msg = str(err.value)
    assert "on the pixels (x, y)" in msg and "under 5%" in msg
    assert "pixels of two different mosaics" in msg and "ra, dec in every row of both" in msg
    # the remedy named: with ra, dec in both, every object pairs on the sky
    ia, ib, rule = pairing(pred, ref, False, 2.0, ("cand.ecsv", "truth.ecsv"))
    assert rule.endswith("on the sky (ra, dec)") and len(ia) == len(pred)
    np.testing.assert_array_equal(np.sort(ia), np.sort(ib))


def test_a_sky_match_refused_does_not_blame_the_pixel_grids():
    pred, ref = _two_pointings()
    ref["ra"] = ref["ra"] + 0.5  # another field on the sky
    ref["ra"][:1] = pred["ra"][:1]  # but for one chance pair
    ref["dec"][:1] = pred["dec"][:1]
    with pytest.raises(StarclassError) as err:
        pairing(pred, ref, False, 2.0, ("cand.ecsv", "truth.ecsv"))
    msg = str(err.value)
    assert "on the sky (ra, dec)" in msg and "under 5%" in msg and "two different mosaics" not in msg
