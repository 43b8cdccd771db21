"""detect --truth compares measured and true magnitudes in one system.

Before: a field detected with --magsys ab was compared with simulate's Vega truth as it was, so
'median measured - true f555w magnitude' carried the band's AB - Vega offset (-0.03 in F555W,
+0.09 in F606W) as if it were a photometry error.
"""
from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table

from starclass.bands import BANDS
from starclass.detect.completeness import completeness


def _pair(band: str, system: str) -> tuple[Table, Table]:
    truth = Table({"x": [10.0, 30.0, 50.0], "y": [10.0] * 3, f"mag_true_{band}": [21.0, 22.0, 23.0]})
    off = BANDS[band].ab_minus_vega if system == "ab" else 0.0
    found = Table({"x": [10.1, 30.0, 49.9], "y": [10.0] * 3,
                   f"mag_{band}": np.array([21.0, 22.0, 23.0]) + 0.01 + off}, meta={"magsys": system})
    return truth, found


@pytest.mark.parametrize("band", ["f555w", "f606w"])
@pytest.mark.parametrize("system", ["vega", "ab"])
def test_the_median_difference_is_the_photometry_s_not_the_system_s(band, system):
    truth, found = _pair(band, system)
    c = completeness(truth, found, band=band)
    assert c.meta["median_dmag"] == pytest.approx(0.01, abs=1e-9)
    assert ("dmag_system" in c.meta) == (system == "ab")


def test_an_ab_truth_is_compared_in_ab():
    truth, found = _pair("f606w", "vega")
    truth.meta["magsys"] = "ab"
    truth["mag_true_f606w"] += BANDS["f606w"].ab_minus_vega
    c = completeness(truth, found, band="f606w")
    assert c.meta["median_dmag"] == pytest.approx(0.01, abs=1e-9)
    assert c.meta["dmag_system"].startswith("measured VEGA put on the truth's AB")
