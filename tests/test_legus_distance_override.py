"""A galaxy's distance in the many-field study can be given for one run (``distances=``).

starclass used 5.9 Mpc for UGC 5340 (DDO 68) where the tip of the red giant branch gives 12.08-12.75
Mpc (Sacchi et al. 2016; Makarov et al. 2017): 1.66 mag in distance modulus. Before, the only way to
study the field at the other distance was to edit ``FIELD_DISTANCES_MPC``; now ``load_fields`` and
``many_field_tables`` take ``distances={"ugc5340": 12.65}``, refuse a galaxy no file is of (a
misspelt key would change nothing without a word) and a distance outside 0.01-1000 Mpc. Since
2026-12-06 12.65 Mpc is the default (tests/test_legus_default_distance.py) and
``distances={"ugc5340": 5.9}`` gives the old one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from starclass.datasets.catalogs import write_fake_legus_folder
from starclass.errors import StarclassError
from starclass.science.many import FIELD_DISTANCES_MPC, field_quantities, load_fields, many_field_tables

LEGUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "legus"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return write_fake_legus_folder(tmp_path_factory.mktemp("legus") / "legus")


def test_a_given_distance_moves_the_absolute_magnitudes(folder):
    before, _ = load_fields(folder)
    after, _ = load_fields(folder, distances={"NGC1433": 16.6})
    assert after["ngc1433"].meta["distance_mpc"] == 16.6
    assert after["ngc628-c"].meta["distance_mpc"] == FIELD_DISTANCES_MPC["ngc628"]
    dm = 5 * np.log10(16.6 / FIELD_DISTANCES_MPC["ngc1433"])
    mv0, mv1 = field_quantities(before["ngc1433"])["abs_mag_v"], field_quantities(after["ngc1433"])["abs_mag_v"]
    ok = np.isfinite(mv0)
    assert ok.sum() > 100 and np.allclose(mv0[ok] - mv1[ok], dm)
    assert list(after)[-1] == "ngc1433"  # ordered by distance
    tables = many_field_tables(folder, ladder=False, distances={"ngc1433": 16.6})
    row = tables["fields"][list(tables["fields"]["field"]).index("ngc1433")]
    assert row["distance_mpc"] == 16.6


@pytest.mark.parametrize("distances, words", [({"ngc1434": 9.0}, "galaxy 'ngc1434'"),
                                              ({"ngc1433": 0.0}, "distances['ngc1433']"),
                                              ({"ngc1433": float("nan")}, "distances['ngc1433']")])
def test_a_wrong_distance_is_refused_naming_it(folder, distances, words):
    with pytest.raises(StarclassError, match=words.replace("[", r"\[").replace("]", r"\]")):
        load_fields(folder, distances=distances)


@pytest.mark.skipif(not LEGUS.is_dir(), reason="needs ../shared/data/legus")
def test_ugc5340_at_the_old_distance_is_166_mag_fainter():
    old, _ = load_fields(LEGUS, distances={"ugc5340": 5.9})
    default, _ = load_fields(LEGUS)
    mv_old = field_quantities(old["ugc5340"])["abs_mag_v"]
    mv_new = field_quantities(default["ugc5340"])["abs_mag_v"]
    ok = np.isfinite(mv_new)
    assert default["ugc5340"].meta["distance_mpc"] == 12.65
    assert np.allclose(mv_old[ok] - mv_new[ok], 1.656, atol=0.001)
