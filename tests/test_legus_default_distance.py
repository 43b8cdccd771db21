"""UGC 5340 (DDO 68) sits at its TRGB distance, 12.65 Mpc, by default: the one its LEGUS catalogue fits.

Before (until 2026-12-06) starclass placed it at 5.9 Mpc. The catalogue's masses were fitted at
some distance; a field's median log(mass) + 0.4 M_V at a given age is a mass-to-light ratio, set
by the same SSP models in every field, so a field placed at the wrong distance D stands
2 log(D_fit / D) dex off the others. At 5.9 Mpc UGC 5340 stood 0.93 / 0.75 / 0.65 dex above the
other fields' median at 3-10 Myr / 10-100 Myr / > 100 Myr (above every other field in each bin), and
the 90th percentile of its inspected sources' M_V was -4.81, 1.2 mag below the M_V = -6 inspection
cut. At 12.65 Mpc (Sacchi et al. 2016; Makarov et al. 2017: 12.75) the offsets are 0.27 / 0.09 /
-0.01 dex and the percentile -6.47. These tests need ../shared/data/legus and skip without it.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import SHARED_DATA
from starclass.schema import AGE, CLASS_REF, MASS, class_array
from starclass.science.many import field_quantities, load_fields

LEGUS = SHARED_DATA / "legus"
#: log10(age / yr) bins: 3-10 Myr, 10-100 Myr, above 100 Myr.
AGE_BINS = ((np.log10(3e6), 7.0), (7.0, 8.0), (8.0, np.inf))
#: A field's median in a bin needs this many fitted sources (UGC 695 has 2 above 100 Myr).
MIN_N = 10

pytestmark = pytest.mark.skipif(not LEGUS.is_dir(), reason="needs ../shared/data/legus")


def _mass_to_light(table) -> list[float]:
    """Median log(mass) + 0.4 M_V of the sources with a fitted age and mass, per age bin (NaN: too few)."""
    mv = field_quantities(table)["abs_mag_v"]
    age = np.asarray(table[AGE], dtype=float)
    mass = np.asarray(table[MASS], dtype=float)
    ok = np.isfinite(age) & (age > 0) & np.isfinite(mass) & (mass > 0) & np.isfinite(mv)
    log_age = np.log10(age[ok])
    ml = np.log10(mass[ok]) + 0.4 * mv[ok]
    out = []
    for lo, hi in AGE_BINS:
        sel = (log_age >= lo) & (log_age < hi)
        out.append(float(np.median(ml[sel])) if sel.sum() >= MIN_N else float("nan"))
    return out


def _offsets(fields) -> tuple[np.ndarray, np.ndarray]:
    """UGC 5340's offset from the other fields' median, and from their highest value, per age bin."""
    own = np.array(_mass_to_light(fields["ugc5340"]))
    others = np.array([_mass_to_light(t) for name, t in fields.items() if name != "ugc5340"])
    assert (np.isfinite(others).sum(axis=0) >= 12).all()  # enough fields in every bin to compare with
    return own - np.nanmedian(others, axis=0), own - np.nanmax(others, axis=0)


def _mv_p90(table) -> float:
    mv = field_quantities(table)["abs_mag_v"][np.isin(class_array(table, CLASS_REF), (1, 2, 3, 4))]
    return float(np.nanpercentile(mv, 90))


@pytest.fixture(scope="module")
def default_fields():
    return load_fields(LEGUS)[0]


def test_ugc5340_masses_match_the_other_fields_at_its_default_distance(default_fields):
    to_median, _ = _offsets(default_fields)
    # 5.9 Mpc gave 0.93 / 0.75 / 0.65 dex; 12.65 gives 0.27 / 0.09 / -0.01
    assert np.all(np.abs(to_median) < 0.3), to_median
    assert default_fields["ugc5340"].meta["distance_mpc"] > 12.0


def test_ugc5340_reaches_the_inspection_cut_at_its_default_distance(default_fields):
    # LEGUS inspected down to M_V = -6: -4.81 at 5.9 Mpc, -6.47 at 12.65
    assert -7.0 < _mv_p90(default_fields["ugc5340"]) < -5.5


def test_the_old_distance_stays_available_and_stands_off_every_field():
    old = load_fields(LEGUS, distances={"ugc5340": 5.9})[0]
    assert old["ugc5340"].meta["distance_mpc"] == 5.9
    to_median, to_max = _offsets(old)
    # the excess the distance makes: 2 log(12.65 / 5.9) = 0.66 dex
    assert np.all(to_median > 0.6) and np.all(to_max > 0), (to_median, to_max)
    assert _mv_p90(old["ugc5340"]) > -5.0
