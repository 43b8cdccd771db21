"""The SED-offset table says where its fit_trend column comes from: the catalogue's own fit residuals.

``evaluate`` and ``report`` table each band's offset from the SSP table (``sed_offsets_*.ecsv``, a table of the
page). Its ``fit_trend`` column is the UV/U excess of the LEGUS dwarf fields as their own SED fits leave it
(docs/legus_validation.md, "The UV and U age trends are the fits' own"): read from the catalogue's residual
columns (LEGUS columns 26-30, ``sed_chi2_f275w`` ...), not from the SSP table. The caption described ``offset`` and
``ab_minus_vega`` and not one of the trend columns, so the excess was shown with no word of its source.
The section builder both commands share (``report.build._sed_check``) is called as they call it (an evaluate
of a generated catalogue takes 8-12 s; the caption is the same text).
"""

from __future__ import annotations

import warnings

from starclass.report.build import _sed_check
from starclass.report.sections import Section
from test_sed_trend_cause import _catalogue


def _caption(t) -> str:
    s = Section("Mass functions")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _sed_check(s, "prediction", t, None, {})
    (item,) = [i for i in s.items if i.kind == "table"]
    assert item.name.startswith("sed_offsets"), item.name
    return item.caption


def test_the_caption_names_the_residual_columns_fit_trend_is_from():
    cap = _caption(_catalogue(-0.3, fits_see_it=True))
    assert "fit_trend: the same change of the catalogue's own SED-fit residuals" in cap, cap
    assert "sed_chi2_f275w (F275W)" in cap and "sed_chi2_f814w (F814W)" in cap, cap
    assert "LEGUS columns 26-30" in cap and "model_trend" in cap and "trend_cause" in cap, cap
    assert "age_trend: offset_10_30_myr less offset_30_100_myr" in cap, cap


def test_without_residual_columns_the_caption_says_the_trend_columns_are_empty():
    t = _catalogue(-0.3, fits_see_it=True)
    t.remove_columns(list(t.meta["fit_residuals"].values()))
    t.meta.pop("fit_residuals")
    cap = _caption(t)
    assert "the catalogue has no SED-fit residual columns" in cap, cap
    assert "sed_chi2" not in cap, cap
