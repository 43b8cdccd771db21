"""Mass functions, age distributions, luminosity functions, bright end."""

import numpy as np
import pytest
from astropy.table import Table
from scipy.stats import linregress

from starclass.errors import StarclassError
from starclass.science.agefunc import age_distribution, age_distributions
from starclass.science.luminosity import bright_end, luminosity_function
from starclass.science.massfunc import fit_powerlaw_binned, fit_powerlaw_ml, mass_functions, mass_limit


def _powerlaw(n, beta, xmin, xmax, seed=0):
    u = np.random.default_rng(seed).uniform(size=n)
    a = beta + 1
    return (xmin**a + u * (xmax**a - xmin**a)) ** (1 / a)


@pytest.mark.parametrize("beta", [-1.5, -2.0, -2.5])
def test_powerlaw_fits_recover_index(beta):
    m = _powerlaw(3000, beta, 1e4, 1e7, seed=int(-beta * 10))
    ls = fit_powerlaw_binned(m, nbins=8)
    ml = fit_powerlaw_ml(m, lo=1e4, hi=1e7)
    assert ls.index == pytest.approx(beta, abs=3 * ls.index_err + 0.05)
    assert ml.index == pytest.approx(beta, abs=3 * ml.index_err)
    assert ml.index_err < 0.1


def test_untruncated_ml_closed_form():
    m = _powerlaw(5000, -2.0, 1e3, 1e12, seed=7)
    f = fit_powerlaw_ml(m, lo=1e3)
    assert f.index == pytest.approx(-2.0, abs=0.06)


def test_too_few_points_is_a_clear_error():
    with pytest.raises(StarclassError, match="too few"):
        fit_powerlaw_binned(np.array([1e4, 2e4, 3e4, 5e4]), nbins=3)
    with pytest.raises(StarclassError, match="need at least 10"):
        fit_powerlaw_ml(np.array([1e4, 2e4]), lo=1e4, hi=1e6)
    with pytest.raises(StarclassError, match="no object"):
        fit_powerlaw_binned(np.array([1.0, 2.0]), lo=10.0)


def test_mass_functions_table_masks_missing_fits():
    m = np.concatenate([_powerlaw(400, -2.0, 1e4, 1e7, 1), [1e4, 2e4]])
    age = np.concatenate([np.full(400, 3e6), [3e8, 3e8]])
    t = mass_functions(m, age, age_ranges=((6, 7), (8, 8.6)), log_mass_min=4.0)
    assert t["beta_ls"][0] == pytest.approx(-2.0, abs=0.3)
    assert t["beta_ls"].mask.tolist() == [False, True]
    assert "too few" in t["note"][1]


def test_mass_limit_grows_with_age():
    lims = [mass_limit(a, -7.8) for a in (7.0, 8.0, 8.6)]
    assert lims[0] < lims[1] < lims[2]
    assert 3.2 < lims[0] < 3.8  # 10 Myr, M_V = -7.8: a few 10^3 Msun


def test_age_distribution_recovers_gamma():
    rng = np.random.default_rng(3)
    # dN/dtau ~ tau^-0.5 between 10^6.5 and 10^9: inverse CDF of tau^0.5
    a, b = 10**6.5, 10**9
    u = rng.uniform(size=20000)
    tau = (a**0.5 + u * (b**0.5 - a**0.5)) ** 2
    r = age_distribution(tau)
    assert r["gamma"] == pytest.approx(-0.5, abs=0.05)
    t = age_distributions(np.full(tau.size, 10**4.5), tau)
    assert t["gamma"][0] == pytest.approx(r["gamma"]) and t["gamma"].mask.tolist() == [False, True]


def test_age_distribution_empty_bins_named():
    tau = np.repeat([5e6, 2e7, 6e7, 2e8], 20)
    r = age_distribution(tau)
    assert "8.5-9.0" in r["note"]
    with pytest.raises(StarclassError, match="need at least 3"):
        age_distribution(np.repeat([5e6, 2e7], 20))


def test_luminosity_function_and_bright_end():
    rng = np.random.default_rng(5)
    lum = _powerlaw(2000, -2.0, 1.0, 1e4, seed=5)
    mag = 25 - 2.5 * np.log10(lum)
    r = luminosity_function(mag)
    assert r["alpha"] == pytest.approx(-2.0, abs=0.2)
    assert int(np.sum(r["hist"]["n"])) == 2000
    t = Table({"id": [1, 2, 3], "mag_f555w": [19.0, 21.0, 99.999], "class_ref": [4, 1, 1]})
    objs, counts = bright_end(t, 10.0)  # m - M = 30: M_V = -11, -9
    assert list(objs["id"]) == [1]
    assert dict(zip(counts["class"], counts["n"]))[4] == 1
    assert rng is not None


def _curve_fit_line(x, y, sigma):
    """Independent weighted line: scipy's curve_fit with absolute Poisson sigmas."""
    from scipy.optimize import curve_fit

    p, cov = curve_fit(lambda t, a, b: a * t + b, np.asarray(x, float), np.asarray(y, float),
                       sigma=np.asarray(sigma, float), absolute_sigma=True)
    return p[0], np.sqrt(cov[0, 0])


def test_age_distribution_one_object_per_bin_is_not_exact():
    # one object per bin: log10(1 / width) lies on a line, and the unweighted fit reported
    # gamma = -1 with gamma_err = 0.0
    r = age_distribution([1e7, 1e8, 10**8.9])
    b = r["bins"][r["bins"]["n"] > 0]
    y = np.log10(1.0 / (10 ** np.asarray(b["log_age_hi"]) - 10 ** np.asarray(b["log_age_lo"])))
    slope, err = _curve_fit_line(b["log_age_mid"], y, 1 / np.log(10) * np.ones(3))
    assert r["gamma"] == pytest.approx(slope) == pytest.approx(-1.0)
    assert r["gamma_err"] == pytest.approx(err, rel=1e-6)
    assert r["gamma_err"] > 0.3
    assert "fewer than 5 objects" in r["note"] and "7.0-7.5 (1)" in r["note"]


def test_age_distribution_is_the_poisson_weighted_fit():
    age = np.repeat(10 ** np.array([6.75, 7.25, 7.75, 8.25, 8.75]), [40, 20, 10, 5, 2])
    r = age_distribution(age)
    n = np.array([40, 20, 10, 5, 2], float)
    width = 10 ** np.arange(7.0, 9.01, 0.5) - 10 ** np.arange(6.5, 8.51, 0.5)
    sigma = 1 / (np.sqrt(n) * np.log(10))
    slope, err = _curve_fit_line([6.75, 7.25, 7.75, 8.25, 8.75], np.log10(n / width), sigma)
    assert r["gamma"] == pytest.approx(slope, rel=1e-6)
    # chi2 / dof < 1 here, so the error is the Poisson one
    assert r["gamma_err"] == pytest.approx(err, rel=1e-6)
    np.testing.assert_allclose(np.polyfit([6.75, 7.25, 7.75, 8.25, 8.75], np.log10(n / width), 1, w=1 / sigma)[0],
                               r["gamma"], rtol=1e-9)


def test_binned_power_law_error_is_not_below_the_poisson_one():
    # a regular (geometric) grid of masses: the equal-number bins' densities lie nearly on a line,
    # and the residual-only error (0.019) was 7x below what ten objects a bin allow
    f = fit_powerlaw_binned(np.geomspace(1e4, 1e6, 30))
    b = f.bins
    _, err = _curve_fit_line(b["log_x"], b["log_dndx"], b["log_dndx_err"])
    assert f.index == pytest.approx(-1.0, abs=0.01)
    assert f.index_err >= err * (1 - 1e-6)
    assert f.index_err == pytest.approx(err, rel=1e-6)  # chi2 / dof < 1: the Poisson error
    # the luminosity function fits the same way (same objects as luminosities)
    lf = luminosity_function(25 - 2.5 * np.log10(np.geomspace(1e4, 1e6, 30)))
    assert lf["alpha_err"] == pytest.approx(f.index_err, rel=1e-6)


def test_poisson_line_widens_the_error_by_the_scatter():
    from starclass.science.massfunc import poisson_line  # new with the weighted fit

    # 1000 objects a bin (0.014 dex) but points 0.1 dex off the line: chi2 / dof >> 1
    x, n, y = np.array([0.0, 1, 2, 3]), np.full(4, 1000), np.array([0.0, 1.1, 1.9, 3.1])
    f = poisson_line(x, n, y)
    _, poisson = _curve_fit_line(x, y, 1 / (np.sqrt(n) * np.log(10)))
    scatter = linregress(x, y).stderr
    assert f["slope_err"] == pytest.approx(scatter, rel=1e-6) and f["slope_err"] > 3 * poisson
