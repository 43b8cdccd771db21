"""PHANGS boxes, QR and the SSP track."""

import numpy as np
import pytest
from astropy.table import Table

from starclass.bands import BANDS
from starclass.errors import StarclassError
from starclass.science import colour
from starclass.science import ssp as sci_ssp
from starclass.science.ssp import load_ssp, ssp_track
from starclass.simulate import ssp as sim_ssp


def test_box_of_points():
    ub = np.array([0.0, 0.0, -0.8, -1.5, 0.0, np.nan, -0.4])
    vi = np.array([1.2, 0.5, 0.5, 0.0, 2.0, 0.5, 0.5])
    assert colour.box_of(ub, vi).tolist() == [1, 2, 3, 4, 0, 0, 0]  # edges are outside (strict)


def test_quality_ratio_reproduces_phangs_table2():
    # NGC 1566, PH/LG/RS/VG counts and the QR printed in Table 2
    for counts, qr in (([52, 34, 46, 45], 1.1), ([78, 239, 257, 327], 7.0), ([157, 161, 163, 157], 0.2),
                       ([73, 85, 34, 45], 3.1), ([63, 45, 46, 50], 1.2)):
        assert colour.quality_ratio(counts)[0] == pytest.approx(qr, abs=0.05)


def test_quality_ratio_needs_twelve_and_never_divides_by_zero():
    assert colour.quality_ratio([0, 0, 0])[0] is None
    assert colour.quality_ratio([11, 40])[1].startswith("a method has fewer")
    assert colour.quality_ratio([30])[0] is None


def _table(ub, vi, v, cls):
    # build U, B, V, I magnitudes with the requested colours
    v = np.asarray(v, float)
    i = v - np.asarray(vi)
    b = v + 0.3
    u = b + np.asarray(ub)
    return Table({"mag_f336w": u, "mag_f438w": b, "mag_f555w": v, "mag_f814w": i, "class_ref": cls})


def test_box_counts_with_limit_and_empty_box():
    t = _table([0.0, 0.0, -0.8, -1.5, -1.5], [1.2, 0.5, 0.5, 0.0, 0.0], [20, 21, 22, 23, 25], [1, 1, 2, 3, 3])
    c = colour.box_counts(t, abs_mag_limit=-7.8, distance_mpc=10.0)  # m < 22.2
    row = {r["class"]: r for r in c}
    assert (row["1"]["box_1"], row["1"]["box_2"]) == (1, 1)
    assert row["2"]["box_3"] == 1
    assert row["3"]["n"] == 0  # both class 3 objects fainter than the limit
    assert row["1+2"]["n"] == 3
    q = colour.qr_table({"A": c, "B": c})
    assert q["qr"].mask.all()  # every box has fewer than 12: no QR, no NaN
    assert all(n for n in q["qr_note"])


def test_missing_band_message():
    with pytest.raises(StarclassError, match="lacks a band for U"):
        colour.colours(Table({"mag_f555w": [20.0], "mag_f814w": [19.0], "mag_f438w": [20.5]}))


def test_ssp_vega_is_ab_minus_offset_and_track_is_sane():
    s = load_ssp()
    np.testing.assert_allclose(s["mag_f555w"], s["mag_ab_f555w"] - BANDS["f555w"].ab_minus_vega)
    np.testing.assert_allclose(s["mag_f438w"], s["mag_ab_f435w"] - BANDS["f438w"].ab_minus_vega)
    assert float(np.min(s["age"])) == pytest.approx(1e4) and np.all(np.diff(s["log_age"]) > 0)
    tr = ssp_track(["f275w", "f336w", "f438w", "f555w", "f814w"])
    old = tr[tr["age"].value > 5e9]
    young = tr[(tr["age"].value > 1e6) & (tr["age"].value < 5e6)]
    # old populations are red and sit in box 1; very young ones are blue in U-B
    assert np.all(colour.box_of(old["u_b"], old["v_i"]) == 1)
    assert np.all(young["u_b"] < -1.1)


def test_one_ssp_reader_for_science_and_simulation():
    # one distance modulus and one magnitude function, whichever module it is imported from
    assert sim_ssp.distance_modulus is sci_ssp.distance_modulus is colour.distance_modulus
    assert sim_ssp.ssp_abs_mag is sci_ssp.ssp_abs_mag
    s = load_ssp()
    # the ground-based bands get the simulator's substitutes (F475W, F775W), on their own Vega offsets
    np.testing.assert_allclose(s["mag_g"], s["mag_ab_f475w"] - BANDS["g"].ab_minus_vega)
    np.testing.assert_allclose(s["mag_i"], s["mag_ab_f775w"] - BANDS["i"].ab_minus_vega)
    ages = s["age"].value[10:20]
    for band in ("f438w", "f555w", "g", "i"):
        sim = sim_ssp.cluster_mags([band], ages, np.full(ages.size, 1e6), np.zeros(ages.size), 0.00001)[band]
        np.testing.assert_allclose(sim, np.asarray(s[f"mag_{band}"])[10:20], atol=1e-9)


@pytest.mark.parametrize("d", [0.0, -1.0, np.nan, np.inf])
def test_distance_modulus_rejects_bad_distances(d):
    with pytest.raises(StarclassError, match="positive number of Mpc"):
        colour.distance_modulus(d)
