"""Mass functions and age distributions read ages and masses in their units, not by their numbers.

A Column or Quantity of ages in Myr was read as years: every age range of log(age/yr) 6-8.6 was
empty ("no object in the range"); masked cells were read as the value under the mask.
"""

from __future__ import annotations

import astropy.units as u
import numpy as np
import pytest
from astropy.table import MaskedColumn, Table

from starclass.errors import StarclassError
from starclass.science.agefunc import age_distribution, age_distributions
from starclass.science.massfunc import mass_functions

RNG = np.random.default_rng(0)
MASS = 1e4 * RNG.random(300) ** -1.0
AGE = 10 ** RNG.uniform(6.0, 9.0, 300)


def test_ages_in_myr_give_the_fits_of_ages_in_years():
    in_yr = mass_functions(MASS, AGE)
    assert in_yr["n"].tolist() == [int(((np.log10(AGE) >= a) & (np.log10(AGE) < b)).sum())
                                   for a, b in ((6, 7), (7, 8), (8, 8.6))]
    t = Table({"mass": MASS * u.Msun, "age": (AGE * u.yr).to(u.Myr)})
    in_myr = mass_functions(t["mass"], t["age"])
    assert in_myr["n"].tolist() == in_yr["n"].tolist()
    np.testing.assert_allclose(in_myr["beta_ml"], in_yr["beta_ml"], rtol=1e-9)
    q = mass_functions((MASS * u.Msun).to(u.kg), (AGE * u.yr).to(u.Gyr))  # Quantities too
    np.testing.assert_allclose(q["beta_ml"], in_yr["beta_ml"], rtol=1e-9)
    assert age_distribution(t["age"])["gamma"] == pytest.approx(age_distribution(AGE)["gamma"], rel=1e-9)
    a, b = age_distributions(t["mass"], t["age"]), age_distributions(MASS, AGE)
    assert a["n"].tolist() == b["n"].tolist()


def test_masked_ages_are_left_out_and_a_unit_of_another_kind_is_refused():
    hidden = MaskedColumn(AGE, mask=np.arange(300) < 100)
    left = mass_functions(MASS, hidden)
    assert left["n"].tolist() == mass_functions(MASS[100:], AGE[100:])["n"].tolist()
    with pytest.raises(StarclassError, match=r"age is in mag, which is not a unit of yr"):
        mass_functions(MASS, AGE * u.mag)


def test_log_ages_and_masses_in_dex_are_taken_as_logarithms():
    # in_unit multiplied the numbers by the unit's scale: log ages in dex(yr) (7.0 for 10 Myr) became 70 yr,
    # every age range empty; Column and Quantity (astropy's Dex) alike
    in_yr = mass_functions(MASS, AGE)
    t = Table({"log_mass": np.log10(MASS), "log_age": np.log10(AGE)})
    t["log_mass"].unit, t["log_age"].unit = "dex(solMass)", "dex(yr)"
    in_dex = mass_functions(t["log_mass"], t["log_age"])
    assert in_dex["n"].tolist() == in_yr["n"].tolist() and sum(in_yr["n"]) > 100
    np.testing.assert_allclose(in_dex["beta_ml"], in_yr["beta_ml"], rtol=1e-9)
    q = age_distribution(np.log10(AGE) * u.dex(u.yr))
    assert q["gamma"] == pytest.approx(age_distribution(AGE)["gamma"], rel=1e-9)
    with pytest.raises(StarclassError, match=r"age is in dex\(cm\), which is not a unit of yr"):
        mass_functions(MASS, np.log10(AGE) * u.dex(u.cm))
