"""``evaluate/report --catalogs`` say a reading for every field whose SED fits miss a band beyond the tolerance.

Found walking docs/legus_validation.md (2026-12-06): the warning read "ngc1433 F814W +0.44 (AB models against Vega
photometry, most likely); ugc695 F814W +0.40; ugc5340 F814W +0.42 (depends on the fitted age, ...)": UGC 695's
band, at its AB - Vega difference but with no other band at its own (``sedcheck.sed_readings``' "ab_band"), was
named bare, as if nothing could be said, where ``info`` says an AB/Vega mix-up or another model may explain it.
"""

from __future__ import annotations

import pytest
from astropy.table import Table

from conftest import SHARED_DATA
from starclass.science.many import sed_offsets_note

LEGUS = SHARED_DATA / "legus"


def test_a_band_at_its_ab_vega_difference_alone_is_said_to_be_either_cause():
    note = sed_offsets_note({"ugc695": Table(meta={"sed_offsets": [("f814w", 0.40)], "sed_ab_band": True})})
    assert "ugc695 F814W +0.40 (that band's AB - Vega difference from V, but no other band shows its own: an " \
           "AB/Vega mix-up or the models' metallicity, not told apart)" in note, note


def test_a_band_off_its_ab_vega_difference_is_said_so():
    note = sed_offsets_note({"f": Table(meta={"sed_offsets": [("f438w", -0.45)], "sed_other": True})})
    assert "f F438W -0.45 (not an AB - Vega difference: the fits' models, a filter or the photometry)" in note, note


@pytest.mark.skipif(not LEGUS.is_dir(), reason="needs ../shared/data/legus")
def test_on_the_legus_folder_every_field_warned_of_has_a_reading():
    from starclass.science.many import field_summary, load_fields

    note = field_summary(load_fields(LEGUS)[0]).meta["sed_note"]
    parts = note.split(": ", 1)[1].split("; the ages and masses")[0].split("; ")
    assert any(p.startswith("ugc695 F814W +0.40 (that band's AB - Vega difference") for p in parts), parts
    assert all(p.endswith(")") for p in parts), parts  # each field's bands, then why
