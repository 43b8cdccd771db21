"""An AB catalogue (``detect --magsys ab``) is put on Vega before the PHANGS boxes, limits and SSP track.

Before: ``colours`` took the magnitudes as they were, so a field measured in AB had U-B 1.34 mag
redder and V-I 0.45 bluer than in Vega: its young clusters fell among the old boxes, under a Vega
track, and the M_V limits (Vega) were applied to AB V magnitudes.
"""
from __future__ import annotations

import astropy.units as u
import numpy as np
import pytest
from astropy.table import Table

from starclass.bands import BANDS
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog, write_catalog
from starclass.science import colour, luminosity

BANDS_UBVI = ("f336w", "f438w", "f555w", "f814w")


def _vega_catalogue() -> Table:
    """Two rows in each PHANGS box (Vega colours), V = 21, one of each class."""
    ub_vi = [(0.5, 1.2), (0.2, 1.1), (0.5, 0.5), (0.0, 0.6), (-0.7, 0.5), (-0.9, 0.3), (-1.5, 0.0), (-1.3, 0.4)]
    ub = np.array([p[0] for p in ub_vi])
    vi = np.array([p[1] for p in ub_vi])
    v = np.full(len(ub), 21.0)
    t = Table()
    t["id"] = np.arange(1, len(ub) + 1)
    t["x"] = np.arange(len(ub)) * 10.0
    t["y"] = np.arange(len(ub)) * 10.0
    t["mag_f555w"] = v
    t["mag_f814w"] = v - vi
    t["mag_f438w"] = v + 0.3  # any B
    t["mag_f336w"] = t["mag_f438w"] + ub
    t["class_ref"] = [1, 2, 1, 2, 3, 3, 1, 2]
    t.meta["magsys"] = "vega"
    return t


def _as_ab(t: Table, *, how: str) -> Table:
    ab = t.copy()
    for b in BANDS_UBVI:
        ab[f"mag_{b}"] = t[f"mag_{b}"] + BANDS[b].ab_minus_vega
        if how == "unit":
            ab[f"mag_{b}"].unit = u.ABmag
    if how == "meta":
        ab.meta["magsys"] = "ab"
    else:
        del ab.meta["magsys"]
    return ab


@pytest.mark.parametrize("how", ["meta", "unit"])
def test_ab_colours_and_boxes_are_those_of_the_vega_catalogue(how):
    vega = _vega_catalogue()
    ab = _as_ab(vega, how=how)
    ub_v, vi_v, v_v = colour.colours(vega)
    ub_a, vi_a, v_a = colour.colours(ab)
    assert np.allclose(ub_a, ub_v) and np.allclose(vi_a, vi_v) and np.allclose(v_a, v_v)
    assert np.allclose(ub_v, vega["mag_f336w"] - vega["mag_f438w"])  # Vega stays as it is
    counts_v = colour.box_counts(vega, mag_limit=22.0)
    counts_a = colour.box_counts(ab, mag_limit=22.0)
    for k in (1, 2, 3, 4):
        assert list(counts_a[f"box_{k}"]) == list(counts_v[f"box_{k}"])
    # every row is in its box: two per box, none outside
    row = list(counts_v["class"]).index("1+2")
    assert [int(counts_v[f"box_{k}"][row]) for k in (1, 2, 4)] == [2, 2, 2]
    assert "f336w +1.19" in colour.ab_bands_note(ab)
    assert "f336w +1.19" in counts_a.meta["magnitudes"] and "magnitudes" not in counts_v.meta
    matched = colour.matched_box_counts(ab, {"a": np.asarray(ab["class_ref"])}, mag_limit=22.0)
    assert list(matched["a"]["box_4"]) == list(counts_v["box_4"]) and "f336w +1.19" in matched["a"].meta["magnitudes"]
    assert colour.ab_bands_note(vega) == ""


def test_an_ab_catalogue_written_and_read_back_keeps_its_system(tmp_path):
    ab = _as_ab(_vega_catalogue(), how="meta")
    write_catalog(ab, tmp_path / "ab.ecsv")
    back = read_catalog(tmp_path / "ab.ecsv")
    assert colour.magnitude_system(back, "f336w") == "ab"
    assert np.allclose(colour.colours(back)[0], colour.colours(_vega_catalogue())[0])


def test_the_bright_end_limit_is_vega():
    # at 10 Mpc, M_V < -10 is V(Vega) < 20: 20.02 Vega is not brighter, though 19.99 in AB
    t = Table({"id": [1, 2], "mag_f555w": [20.02 + BANDS["f555w"].ab_minus_vega, 19.5], "class_ref": [1, 2]},
              meta={"magsys": "ab"})
    objs, counts = luminosity.bright_end(t, 10.0)
    assert objs["id"].tolist() == [2]
    assert np.isclose(float(objs["abs_mag"][0]), 19.5 + 0.03 - 30.0)


def test_an_unknown_system_is_named():
    t = _vega_catalogue()
    t.meta["magsys"] = "STmag"
    with pytest.raises(StarclassError, match="magsys.*'STmag'.*'vega' or 'ab'"):
        colour.colours(t)
