"""The UV and U age trends are the LEGUS fits' own: the SED check says so where a catalogue carries its fit residuals.

The check's offsets (observed minus the Z = 0.020 SSP table at each source's fitted age and E(B-V), relative to V)
change with age in the UV and U of most dwarf fields: 0.2-0.8 mag brighter at 10-30 than at 30-100 Myr. Its note
said the fits' models differ from the table's (one metallicity). LEGUS's own fit residuals (columns 26-30) change
alike (median over the 18 v2 files: UV -0.37 against the check's -0.31, U -0.32 against -0.35), so the photometry
departs from LEGUS's own best models there as it does from the table: no choice of the table's metallicity,
filters, magnitude system or extinction makes it. In F814W the fits' residuals do not change that way (-0.19) and
the table less the fits' models does (+0.39): there the models differ (``benchmarks/legus_sed_offsets.py
--causes``; docs/legus_validation.md, "The UV and U age trends are the fits' own"). On the old code the check had
no fit residuals and named the models for both.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import SHARED_DATA
from starclass.bands import BANDS
from starclass.cli import app
from starclass.io.catalog import read_catalog
from starclass.io.legus import FIT_RESIDUALS
from starclass.science.sedcheck import sed_band_offsets, sed_trend_notes
from starclass.science.ssp import distance_modulus, load_ssp

BANDS5 = ("f275w", "f336w", "f438w", "f555w", "f814w")


def _catalogue(u_young: float, fits_see_it: bool, n: int = 600, seed: int = 5) -> Table:
    """Clusters on the SSP table; F336W ``u_young`` mag off at 10-30 Myr; LEGUS-like fit residual columns.

    ``fits_see_it``: the catalogue's own fits leave the same F336W change in their residual (the photometry
    departs from the fits' models, as in the LEGUS dwarf fields); else their residuals are flat (the fits'
    models differ from the table's).
    """
    rng = np.random.default_rng(seed)
    ssp = load_ssp()
    la = rng.uniform(7.0, 9.3, n)
    ebv = rng.uniform(0.0, 0.3, n)
    mass = 10 ** rng.uniform(4.0, 5.0, n)
    t = Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 500, n), "y": rng.uniform(0, 500, n),
               "age": 10 ** la, "mass": mass, "ebv": ebv})
    for b in BANDS5:
        model = np.interp(la, np.asarray(ssp["log_age"]), np.asarray(ssp[f"mag_{b}"], float))
        t[f"mag_{b}"] = (model + BANDS[b].a_over_ebv * ebv - 2.5 * np.log10(mass / 1e6) + distance_modulus(10.0)
                         + rng.normal(0, 0.05, n))
        t[f"magerr_{b}"] = np.full(n, 0.05)
    young = la < 7.5
    t["mag_f336w"] += np.where(young, u_young, 0.0)
    # residuals in LEGUS's sense: positive where the observed flux is above the fit's model (brighter)
    for k in range(len(BANDS5)):
        t[f"sed_chi2_{BANDS5[k]}"] = rng.normal(0, 0.03, n)
    if fits_see_it:
        t["sed_chi2_f336w"] -= np.where(young, u_young, 0.0)
    t.meta[FIT_RESIDUALS] = {b: f"sed_chi2_{b}" for b in BANDS5}
    return t


def test_a_trend_the_fits_own_residuals_show_is_said_to_be_the_fits(tmp_path):
    off = sed_band_offsets(_catalogue(-0.3, fits_see_it=True))
    u = {r["band"]: r for r in off}["f336w"]
    assert u["age_dependent"] and not u["exceeds"] and u["trend_cause"] == "fits", off
    assert float(u["fit_trend"]) == pytest.approx(float(u["age_trend"]), abs=0.03)
    assert abs(float(u["model_trend"])) < 0.03
    (line,) = sed_trend_notes(off, "dwarf")
    assert ("In F336W the catalogue's own fit residuals change with age in the same way (F336W 0.30 mag brighter"
            in line), line
    assert "The UV and U age trends are the fits' own" in line
    assert "the fits' models change with age differently" not in line, line
    # info prints the same note for a catalogue written out and read back (the column names travel in meta)
    p = tmp_path / "dwarf.ecsv"
    _catalogue(-0.3, fits_see_it=True).write(p)
    res = CliRunner().invoke(app, ["info", str(p)])
    assert res.exit_code == 0, res.output
    assert "own fit residuals change with age in the same way" in res.output and "warning" not in res.output, \
        res.output


def test_a_trend_the_fits_residuals_do_not_show_is_said_to_be_the_models():
    off = sed_band_offsets(_catalogue(-0.3, fits_see_it=False))
    u = {r["band"]: r for r in off}["f336w"]
    assert u["age_dependent"] and u["trend_cause"] == "models", off
    assert abs(float(u["fit_trend"])) < 0.03 and float(u["model_trend"]) == pytest.approx(-0.3, abs=0.03)
    (line,) = sed_trend_notes(off, "dwarf")
    assert "In F336W the fits' models change with age differently from the table, which has one metallicity" in line
    # without residual columns the note is as before
    t = _catalogue(-0.3, fits_see_it=False)
    del t.meta[FIT_RESIDUALS]
    off = sed_band_offsets(t)
    assert off["trend_cause"][off["band"] == "f336w"][0] == "" and np.isnan(off["fit_trend"]).all()
    assert "In that band the fits' models change with age differently from the table" in \
        sed_trend_notes(off, "dwarf")[0]


LEGUS = SHARED_DATA / "legus"


def _field(name: str) -> Table:
    (p,) = LEGUS.glob(f"hlsp_legus_*_{name}_multiband_*.tab")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_catalog(p, fmt="legus")


@pytest.mark.skipif(not LEGUS.is_dir(), reason="no ../shared/data/legus")
def test_on_the_legus_files_the_uv_and_u_trends_are_the_fits_and_the_i_trend_the_models():
    t = _field("ngc4449")
    assert t.meta[FIT_RESIDUALS] == {"f275w": "sed_chi2_f275w", "f336w": "sed_chi2_f336w", "f435w": "sed_chi2_f435w",
                                     "f555w": "sed_chi2_f555w", "f814w": "sed_chi2_f814w"}
    rows = {r["band"]: r for r in sed_band_offsets(t)}
    assert rows["f275w"]["trend_cause"] == rows["f336w"]["trend_cause"] == "fits"
    assert rows["f814w"]["trend_cause"] == "models" and float(rows["f814w"]["model_trend"]) > 0.3
    # the fits' own U residual changes as the check's offset does, within 0.05 mag
    assert float(rows["f336w"]["fit_trend"]) == pytest.approx(float(rows["f336w"]["age_trend"]), abs=0.05)
    # a spiral whose fits match the table: the table is LEGUS's model there, no change to explain
    rows = {r["band"]: r for r in sed_band_offsets(_field("ngc628-c"))}
    assert all(r["trend_cause"] == "" and abs(float(r["model_trend"])) < 0.05 for r in rows.values())


def test_the_fields_note_names_whose_each_trend_is_as_info_does():
    from starclass.science.many import sed_trends_note
    from starclass.science.sedcheck import trend_cause_words

    t = Table(meta={"sed_trends_within": [("f275w", -0.31, 0.05, -6.4, "fits"), ("f336w", -0.33, 0.05, -7.1, "fits"),
                                          ("f814w", 0.18, 0.05, 3.7, "models")]})
    note = sed_trends_note({"ngc4449": t})
    # the reading is info's own sentence (one wording), not a copy that can drift from it
    assert trend_cause_words(["F275W", "F336W"], ["F814W"]) in note, note
    assert "In F275W and F336W the catalogue's own fit residuals change with age in the same way" in note, note
    assert "In F814W the fits' models change with age differently" in note
    assert "the SSP table (one metallicity) differ" not in note
    # a band read one way in one field and the other way in another is named with its fields in each reading
    u = Table(meta={"sed_trends_within": [("f336w", -0.25, 0.05, -5.0, "models")]})
    note = sed_trends_note({"ngc4449": t, "ugc685": u})
    assert "In F275W and in ngc4449's F336W the catalogue's own" in note, note
    assert "In F814W and in ugc685's F336W the fits' models change" in note, note


@pytest.mark.skipif(not LEGUS.is_dir(), reason="no ../shared/data/legus")
def test_a_legus_field_carries_whose_its_trends_are_to_the_fields_note():
    from starclass.science.many import read_legus_field, sed_trends_note

    (p,) = LEGUS.glob("hlsp_legus_*_ngc3274_multiband_*.tab")
    t = read_legus_field(p)
    causes = {b: c for b, *_, c in t.meta["sed_trends_within"]}
    assert causes == {"f336w": "fits", "f814w": "models"}, t.meta["sed_trends_within"]
    note = sed_trends_note({"ngc3274": t})
    assert "In F336W the catalogue's own fit residuals change with age in the same way" in note, note
    assert "In F814W the fits' models change with age differently" in note, note
