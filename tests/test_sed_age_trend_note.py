"""An SED-fit offset within the tolerance that changes with the fitted age is noted, not warned of.

NGC 4449's, NGC 4485's, NGC 3274's, UGC 5139's, UGC 4459's and IC 559's F814W change by 0.18-0.21 mag between
10-30 and 30-100 Myr (3.1-4.2 standard errors), yet their pooled offsets lie within 0.30 mag, so the check said
nothing of them: an age trend the fits' models and the SSP table disagree on, which may bias the ages however
small the pooled offset. Now ``info`` (and ``evaluate``/``report``'s pages) say it in one note a catalogue; a
band beyond the tolerance keeps its warning, and a flat catalogue gets no note. On the old code: no note.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import SHARED_DATA
from starclass.bands import BANDS
from starclass.cli import app
from starclass.io.catalog import read_catalog
from starclass.science.sedcheck import AGE_TREND_FLOOR, AGE_TREND_SIGNIFICANCE, sed_band_offsets, sed_offsets_by_age
from starclass.science.ssp import distance_modulus, load_ssp

BANDS4 = ("f336w", "f438w", "f555w", "f814w")


def _catalogue(i_young: float, i_all: float = 0.0, n: int = 400, seed: int = 3) -> Table:
    """Clusters on the SSP table at their age, mass and E(B-V); F814W ``i_all`` fainter, ``i_young`` more if young."""
    rng = np.random.default_rng(seed)
    ssp = load_ssp()
    la = rng.uniform(7.0, 9.3, n)
    ebv = rng.uniform(0.0, 0.3, n)
    mass = 10 ** rng.uniform(4.0, 5.0, n)
    t = Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 500, n), "y": rng.uniform(0, 500, n),
               "age": 10 ** la, "mass": mass, "ebv": ebv})
    for b in BANDS4:
        model = np.interp(la, np.asarray(ssp["log_age"]), np.asarray(ssp[f"mag_{b}"], float))
        t[f"mag_{b}"] = (model + BANDS[b].a_over_ebv * ebv - 2.5 * np.log10(mass / 1e6) + distance_modulus(10.0)
                         + rng.normal(0, 0.05, n))
        t[f"magerr_{b}"] = np.full(n, 0.05)
    t["mag_f814w"] += i_all + np.where(la < 7.5, i_young, 0.0)
    return t


def test_an_age_trend_within_the_tolerance_is_noted_not_warned(tmp_path):
    from starclass.science.sedcheck import sed_trend_notes

    t = _catalogue(0.2)
    off = sed_band_offsets(t)
    i = {r["band"]: r for r in off}["f814w"]
    # within the tolerance pooled (a fifth of the sources are at 10-30 Myr), yet beyond 3 standard errors by age
    assert not off["exceeds"].any() and i["age_dependent"], off
    by = sed_offsets_by_age(t)
    trend = float(by["offset"][(by["band"] == "f814w")][0] - by["offset"][(by["band"] == "f814w")][1])
    assert abs(trend - 0.2) < 0.03 and trend / AGE_TREND_FLOOR > AGE_TREND_SIGNIFICANCE
    (line,) = sed_trend_notes(off, "dwarf.ecsv")
    said = re.search(r"F814W (\S+) ± (\S+) mag fainter at 10-30 than at 30-100 Myr \((\S+) standard errors\)", line)
    assert said and float(said[1]) == round(trend, 2), line
    assert float(said[3]) == round(abs(float(i["age_trend_z"])), 1) and "F336W" not in line and "F438W" not in line
    p = tmp_path / "dwarf.ecsv"
    t.write(p)
    res = CliRunner().invoke(app, ["info", str(p)])
    assert res.exit_code == 0, res.output
    notes = [s for s in res.output.splitlines() if s.startswith(f"note: {p}: its SED fits' offsets")]
    assert len(notes) == 1 and "change with the fitted age in a band within 0.30 mag" in notes[0], res.output
    assert "warning" not in res.output, res.output  # proportionate: a note, not a warning


def test_a_flat_catalogue_and_a_band_beyond_the_tolerance_get_no_note(tmp_path):
    from starclass.science.sedcheck import sed_trend_notes

    flat = sed_band_offsets(_catalogue(0.0))
    assert not flat["age_dependent"].any() and sed_trend_notes(flat, "flat") == []
    # F814W beyond the tolerance and changing with age: its warning says the trend; no note repeats it
    far = sed_band_offsets(_catalogue(0.3, i_all=0.5))
    i = {r["band"]: r for r in far}["f814w"]
    assert i["exceeds"] and i["age_dependent"] and sed_trend_notes(far, "far") == []
    p = tmp_path / "flat.ecsv"
    _catalogue(0.0).write(p)
    res = CliRunner().invoke(app, ["info", str(p)])
    assert res.exit_code == 0 and "SED fit (age, E(B-V)) against" in res.output
    assert "its SED fits' offsets" not in res.output and "warning" not in res.output, res.output


LEGUS = SHARED_DATA / "legus"


@pytest.mark.skipif(not LEGUS.is_dir(), reason="needs ../shared/data/legus")
def test_the_six_dwarfs_i_trends_are_noted_and_the_matching_spirals_are_not():
    from starclass.science.sedcheck import sed_trend_notes

    notes = {}
    for p in sorted(LEGUS.glob("*.tab")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # layout notes
            t = read_catalog(p, fmt="legus")
        off = sed_band_offsets(t)
        notes[t.meta["field"]] = (off, sed_trend_notes(off, t.meta["field"]))
    six = ("ngc4449", "ngc4485", "ngc3274", "ugc5139", "ugc4459", "ic559")
    for f in six:
        off, lines = notes[f]
        i = {r["band"]: r for r in off}["f814w"]
        assert not off["exceeds"].any() and len(lines) == 1, (f, lines)
        assert f"F814W {float(i['age_trend']):.2f} ± {float(i['age_trend_err']):.2f} mag fainter" in lines[0], lines
    # the fields whose fits match their photometry (the floor was measured on them) get no note
    for f in ("ngc628-c", "ngc628-e", "ngc7793-w", "ngc3351", "ngc4242", "ngc45", "ngc5474", "ngc6503"):
        assert notes[f][1] == [], notes[f][1]
    assert sum(bool(lines) for _, lines in notes.values()) == 19


@pytest.mark.skipif(not LEGUS.is_dir(), reason="needs ../shared/data/legus")
def test_catalogs_notes_the_fields_with_an_age_trend_within_the_tolerance():
    from starclass.science.many import field_summary, load_fields

    meta = field_summary(load_fields(LEGUS)[0]).meta  # evaluate/report --catalogs print it as a note
    note = meta["sed_trend_note"]
    assert note.startswith("SED-fit offsets within 0.30 mag that change with the fitted age"), note
    assert "ngc4485 F336W -0.21 ± 0.05 mag (4.1), F814W +0.19 ± 0.05 mag (4.0);" in note, note
    assert "ngc3274 " in note and "ngc628-c" not in note and "ngc1566" not in note
    assert "ngc4485" not in meta["sed_note"]  # within the tolerance: not in the warning
    # whose each change is, as info says it (sedcheck.trend_cause): the fits' own in the UV and U (and UGC 4305's
    # F435W), the models' in F814W; until 2026-12-06 this note named the models for every band
    assert "In F275W, F336W and F435W the catalogues' own fit residuals change with age in the same way" in note, note
    assert "In F814W the fits' models change with age differently from the table, which has one metallicity" in note
    assert "the fits' models and the SSP table (one metallicity) differ" not in note, note


def test_evaluate_keeps_the_note_with_its_table_and_warns_of_nothing(tmp_path):
    p = tmp_path / "dwarf.ecsv"
    t = _catalogue(0.2)
    t["class_ref"] = np.random.default_rng(0).integers(1, 5, len(t))
    t.write(p)
    res = CliRunner().invoke(app, ["evaluate", str(p), "-r", "self", "--distance", "10", "--bootstrap", "0",
                                   "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    assert "its SED fits" not in res.output, res.output  # not a warning
    tab = Table.read(tmp_path / "ev" / "tables" / "sed_offsets_dwarf.ecsv")
    caption = next(v["caption"] for v in tab.meta.values() if isinstance(v, dict) and "caption" in v)
    assert f"Note: {p}: its SED fits' offsets from the SSP table, relative to F555W, change with " \
           "the fitted age in a band within 0.30 mag" in caption, caption
