"""LEGUS sources without an SED fit whose file says so with 200 (column 33, and 200 in the fit's columns).

Before: UGC 4305 read 2830 sources as fitted at age 2e8 yr, mass 200 Msun and E(B-V) 200, with
``n_filters`` 200, so ``t[t["n_filters"] >= 4]`` (the readme's "SED fit done for Nflt >= 4") kept them.
Now they read as the v1 files' unfitted sources (age 0 in the file) do: columns 17-32 NaN, n_filters 0.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from conftest import SHARED_DATA  # tests/ is on sys.path under pytest
from starclass.io.catalog import read_catalog

SED_NO_FIT = 200  # column 33 of a source without an SED fit (starclass.io.legus.SED_NO_FIT)

LEGUS_DIR = SHARED_DATA / "legus"

FIT_COLUMNS = ["age", "age_max", "age_min", "mass", "mass_max", "mass_min", "ebv", "ebv_max", "ebv_min",
               "sed_chi2_reduced", "sed_q"]


def _fit_columns(t) -> list[str]:
    """The fit's columns 17-32 of ``t``: the per-band residuals are named by the file's own five filters."""
    residuals = [f"sed_chi2_{b}" for b in t.meta["fit_residuals"]]
    assert len(residuals) == 5 and all(c in t.colnames for c in residuals), t.colnames
    return FIT_COLUMNS + residuals


def _row(i: int, sed: list[float], n_filters: int, cls: int, mean: float) -> str:
    mags = [66.666, 66.666, 66.666, 66.666, 66.666, 66.666, 20.343, 0.100, 20.091, 0.173]
    values = [i, 100.0 + i, 200.0 + i, 124.75, 70.67, *mags, 1.54, *sed, n_filters, cls, mean, 1]
    return " ".join(f"{v:g}" for v in values)


def _write(folder):
    # row 1 as UGC 4305's first row (the 200 block, inspected: class 2, mean 1.667); row 2 a fitted source
    no_fit = [2e8, 1e8, 1e6, 200, 9661, 871.7, 200, 0.87, 0.0] + [200.0] * 7
    fitted = [5e6, 6e6, 4e6, 3000, 3500, 2500, 0.1, 0.2, 0.0, 0.3, 0.2, 0.1, 0.4, 0.5, 1.2, 0.4]
    p = folder / "hlsp_legus_hst_acs-wfc3_ugc1_multiband_v2_padagb-mwext-avgapcor.tab"
    p.write_text(_row(1, no_fit, SED_NO_FIT, 2, 1.667) + "\n" + _row(2, fitted, 5, 1, 1.0) + "\n")
    return p


def test_the_200_of_an_unfitted_source_is_no_fit(tmp_path):
    t = read_catalog(_write(tmp_path))
    for c in _fit_columns(t):
        assert np.isnan(t[c][0]), c
        assert np.isfinite(t[c][1]), c
    assert t["n_filters"].tolist() == [0, 5]
    assert t["age"][1] == pytest.approx(5e6) and t["mass"][1] == pytest.approx(3000)
    # the rest of the row is read as before: the class of an unfitted source stays
    assert t["class_ref"].tolist() == [2, 1]


def test_the_v1_zeros_of_an_unfitted_source_are_no_fit_too(tmp_path):
    p = tmp_path / "hlsp_legus_hst_wfc3_ngcq_multiband_v1_padagb-mwext-avgapcor.tab"
    p.write_text(_row(1, [0.0] * 16, 0, 0, 0.0) + "\n")
    t = read_catalog(p)
    assert all(np.isnan(t[c][0]) for c in _fit_columns(t))
    assert t["n_filters"][0] == 0


@pytest.mark.skipif(not LEGUS_DIR.is_dir(), reason="needs ../shared/data/legus")
def test_no_shared_legus_file_keeps_the_200_as_a_fit():
    files = sorted(LEGUS_DIR.glob("*.tab"))
    assert len(files) == 35
    n_no_fit = 0
    for f in files:
        raw = np.loadtxt(f)
        marked = raw[:, 32] == SED_NO_FIT
        n_no_fit += int(marked.sum())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the uncertain layouts' warnings
            t = read_catalog(f)
        assert not np.any(np.asarray(t["ebv"]) == 200), f.name
        assert not np.any(np.asarray(t["n_filters"]) == SED_NO_FIT), f.name
        assert np.all(np.isnan(np.asarray(t["age"])[marked])), f.name
        # a fitted source keeps its fit
        fitted = (raw[:, 16] > 0) & ~marked
        assert np.allclose(np.asarray(t["age"])[fitted], raw[fitted, 16]), f.name
    assert n_no_fit == 7710
    ugc4305 = read_catalog(next(LEGUS_DIR.glob("*ugc4305*.tab")))
    sed = ugc4305[np.asarray(ugc4305["n_filters"]) >= 4]
    assert np.all(np.isfinite(np.asarray(sed["age"])))  # Nflt >= 4 selects fitted sources, as the readme says

