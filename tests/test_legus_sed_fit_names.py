"""A LEGUS ``.tab``'s columns 26-32 are read by name: ``sed_chi2_<band>``, ``sed_chi2_reduced``, ``sed_q``.

Before (found in s83walk's walk of the real files): the reader kept them as ``legus_col26`` .. ``legus_col32``,
though its readme says what they are (the SED fit's chi2 residual in each of the five filters, the reduced chi2,
the Q probability), so ``info`` showed the numbers and explained them in prose. The residuals are named by the
field's own filters, as the magnitudes are (``mag_<band>``), and the names are the schema's.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import SHARED_DATA  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.io.catalog import read_catalog
from starclass.schema import bands_in, is_known

# the names users select, as the schema registers them (starclass.schema.SED_CHI2_REDUCED, SED_Q, sed_chi2_col):
# spelled here so that the test reads the contract, not the code under test
SED_CHI2_REDUCED, SED_Q = "sed_chi2_reduced", "sed_q"


def sed_chi2_col(band: str) -> str:
    return f"sed_chi2_{band.lower()}"

LEGUS = SHARED_DATA / "legus"

#: columns 26-32 of the two rows written below: a fitted source, then one without a fit (age 0, v1's mark)
FIT = [0.11, -0.22, 0.33, -0.44, 0.55, 1.7, 0.42]


def _row(i: int, fit: list[float], age: float) -> str:
    mags = [21.0, 0.1, 21.5, 0.1, 22.0, 0.1, 22.5, 0.1, 23.0, 0.1]
    values = [i, 10.0 * i, 20.0 * i, 65.0, -54.9, *mags, 1.5, age, 2 * age, age / 2, 3e3, 4e3, 2e3, 0.1, 0.2, 0.0,
              *fit, 5, 1, 1.0]
    return " ".join(f"{v:g}" for v in values)


def _tab(folder):
    p = folder / "hlsp_legus_hst_acs-wfc3_ngc628-c_multiband_v1_padagb-mwext-avgapcor.tab"
    p.write_text(_row(1, FIT, 5e6) + "\n" + _row(2, [0.0] * 7, 0.0) + "\n")
    return p


def test_columns_26_to_32_are_named_by_what_they_are(tmp_path):
    t = read_catalog(_tab(tmp_path))
    bands = bands_in(t)
    named = [sed_chi2_col(b) for b in bands] + [SED_CHI2_REDUCED, SED_Q]
    assert len(bands) == 5 and named[0] == "sed_chi2_f275w" and named[2] == "sed_chi2_f435w", named
    assert not [c for c in t.colnames if re.fullmatch(r"legus_col(2[6-9]|3[0-2])", c)], t.colnames
    assert all(is_known(c) for c in named)
    assert [float(t[c][0]) for c in named] == pytest.approx(FIT)
    assert all(np.isnan(t[c][1]) for c in named)  # no fit: no figure of it
    assert t.meta["fit_residuals"] == {b: sed_chi2_col(b) for b in bands}


def test_info_lists_and_explains_the_names(tmp_path):
    res = CliRunner().invoke(app, ["info", str(_tab(tmp_path))])
    assert res.exit_code == 0, res.output
    (columns,) = [s for s in res.output.splitlines() if s.startswith("columns (")]
    assert "sed_chi2_f275w, sed_chi2_f336w, sed_chi2_f435w, sed_chi2_f555w, sed_chi2_f814w, sed_chi2_reduced, " \
           "sed_q" in columns and "legus_col2" not in columns, columns
    (line,) = [s for s in res.output.splitlines() if s.startswith("SED-fit columns")]
    assert "sed_chi2_reduced the reduced chi2" in line and "sed_q the fit's Q probability" in line, line


@pytest.mark.skipif(not LEGUS.is_dir(), reason="needs ../shared/data/legus")
def test_on_the_real_files_the_residuals_are_named_by_the_readme_filters():
    """NGC 628-C's readme names the filter of each of columns 26-30; its file's values land under those names."""
    (p,) = LEGUS.glob("*_ngc628-c_*.tab")
    readme = p.with_suffix(".readme").read_text()
    filters = dict(re.findall(r"^(2[6-9]|30)\. chi2 fit residual in (F\d+W)", readme, flags=re.M))
    assert len(filters) == 5, filters
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = read_catalog(p)
    raw = np.loadtxt(p)
    fitted = np.isfinite(np.asarray(t[SED_Q], float))
    assert fitted.any()
    for k, f in filters.items():
        col = sed_chi2_col(f)
        assert np.asarray(t[col], float)[fitted] == pytest.approx(raw[fitted, int(k) - 1]), col
    assert np.asarray(t[SED_CHI2_REDUCED], float)[fitted] == pytest.approx(raw[fitted, 30])
    assert np.asarray(t[SED_Q], float)[fitted] == pytest.approx(raw[fitted, 31])
    for q in sorted(LEGUS.glob("*_ngc1566_*.tab")) + sorted(LEGUS.glob("*_ngc45_*.tab")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            u = read_catalog(q)
        assert [c for c in u.colnames if c.startswith("sed_")] == \
            [sed_chi2_col(b) for b in bands_in(u)] + [SED_CHI2_REDUCED, SED_Q], q.name
