"""The ``--catalogs`` SED note reads as a sentence where a band's age trend has different causes in different fields.

Until 2026-12-06 (evening) a band read as the fits' own in one field and as the models' in another was written
"F336W of ngc4449" inside the list of bands: "In F275W and F336W of ngc4449 the catalogues' own fit residuals
change alike ...", where the field reads as qualifying F275W too, a reading resting on one field spoke of
"the catalogues'", and the sign of the changes listed before it (-0.33, +0.18) was not said.
"""

from __future__ import annotations

from astropy.table import Table

from starclass.science.many import sed_trends_note


def _fields() -> dict[str, Table]:
    # NGC 4449: UV and U the fits' own, F814W the models'; UGC 685 and NGC 5253: their U the models'
    return {"ngc4449": Table(meta={"sed_trends_within": [("f275w", -0.31, 0.05, -6.4, "fits"),
                                                         ("f336w", -0.33, 0.05, -7.1, "fits"),
                                                         ("f814w", 0.18, 0.05, 3.7, "models")]}),
            "ugc685": Table(meta={"sed_trends_within": [("f336w", -0.25, 0.05, -5.0, "models")]}),
            "ngc5253": Table(meta={"sed_trends_within": [("f336w", -0.30, 0.05, -6.0, "models")]})}


def test_a_band_read_both_ways_names_its_field_where_it_binds_to_that_band_alone():
    note = " ".join(sed_trends_note(_fields()).split())
    # the field qualifies its own band, after the bands read alike in every field
    assert "In F275W and in ngc4449's F336W the catalogue's own fit residuals" in note, note
    assert "In F814W and in the F336W of ugc685 and ngc5253 the fits' models change with age" in note, note
    assert " of ngc4449" not in note, note


def test_each_reading_speaks_of_the_fields_it_rests_on():
    note = " ".join(sed_trends_note(_fields()).split())
    fits, models = note.split(" the fits' models change with age", 1)
    # the fits' reading rests on NGC 4449 alone: one catalogue; the models' on three
    assert "the catalogue's own fit residuals" in fits and "its photometry departs from its fits'" in fits, fits
    assert "the catalogues' own" not in fits, fits
    assert "differ from the catalogues' most at 10-100 Myr, where their ages" in models, models


def test_the_sign_of_the_listed_changes_is_said():
    note = sed_trends_note(_fields())
    head, listed = note.split("): ", 1)
    assert "negative where brighter at 10-30 Myr" in head, head
    assert listed.startswith("ngc4449 F275W -0.31 ± 0.05 mag (6.4)"), listed
