"""Band names of ground-based survey images, from the FILTER values each survey writes.

Each header value is the survey's own, cited on its line. The band is the one-letter name the rest of
starclass uses (``starclass.bands``: ground ``g`` and ``i``; column names ``mag_<band>``, ``--bands``).
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits

from starclass.io.mosaic import band_of, read_mosaics

#: (survey, header as the survey writes it, band)
SURVEY_HEADERS = [
    # Pan-STARRS1 stacks and warps: filter identifiers 'g.00000' ... 'y.00000' (IPP FPA.FILTERID; also in FILTER)
    ("PS1 FILTER", {"FILTER": "i.00000"}, "i"),
    ("PS1 FPA.FILTERID", {"HIERARCH FPA.FILTERID": "g.00000"}, "g"),
    ("PS1 FPA.FILTER", {"HIERARCH FPA.FILTER": "y.00000"}, "y"),
    # DES / DECam single-epoch images: the full filter name, band letter first
    ("DECam", {"FILTER": "g DECam SDSS c0001 4720.0 1520.0"}, "g"),
    ("DECam Y", {"FILTER": "Y DECam c0005 10095.0 1130.0"}, "y"),
    # DES coadds and SDSS frames: the band letter itself
    ("DES coadd", {"FILTER": "z"}, "z"),
    ("SDSS frame", {"FILTER": "r"}, "r"),
    # CFHT MegaCam / MegaPipe: filter name and part number
    ("MegaCam g", {"FILTER": "g.MP9401"}, "g"),
    ("MegaCam i (2007 replacement)", {"FILTER": "i.MP9702"}, "i"),
    # HST: unchanged (lower case; ACS's CLEAR wheel position skipped)
    ("WFC3", {"FILTER": "F555W"}, "f555w"),
    ("ACS", {"FILTER1": "CLEAR1L", "FILTER2": "F814W"}, "f814w"),
]


@pytest.mark.parametrize(("survey", "header", "band"), SURVEY_HEADERS, ids=[s for s, _, _ in SURVEY_HEADERS])
def test_band_of_a_survey_filter_value(survey, header, band):
    assert band_of("image.fits", fits.Header(header)) == band


def test_a_wide_filter_is_not_cut_to_a_letter():
    # CFHT MegaCam's gri.MP9605 is a filter of its own, not g
    assert band_of("image.fits", fits.Header({"FILTER": "gri.MP9605"})) == "gri.mp9605"


def test_a_folder_of_pan_starrs1_stacks_reads_as_bands_g_and_i(tmp_path):
    """The bands were 'g.00000' and 'i.00000': no band table knew them, so the V band, colours and a model's
    bands (g, i) did not match; `--bands g i` was refused as missing from the mosaics."""
    for b in ("g", "i"):
        # STScI PS1 archive wiki, "PS1 Stack images": FPA.ZP 25 and EXPTIME give the zeropoint (linear values here)
        fits.writeto(tmp_path / f"rings.v3.skycell.1784.059.stk.{b}.unconv.fits", np.ones((24, 24), np.float32),
                     fits.Header({"FILTER": f"{b}.00000", "HIERARCH FPA.ZP": 25.0, "EXPTIME": 1290.0}))
    ms = read_mosaics(tmp_path, magsys="ab")
    assert ms.bands == ["g", "i"] and ms.v_band == "g"
    assert read_mosaics(tmp_path, bands=["i", "g"], magsys="ab").bands == ["i", "g"]


#: Other spellings of one Sloan-like band (filter keywords and catalogue bands): each is one band, its letter.
#: Before 2026-12-04 only MegaCam's ``r.MP9602`` was cut to its letter; the others stayed as written
#: (``'hsc-g'``, ``'sdss g'``, ``"g'"``...), a band no model, band table or ``--bands g`` matched.
ONE_BAND_SPELLINGS = [
    ("SDSS g", "g"), ("sdss_g", "g"), ("g_sdss", "g"), ("SDSS-z'", "z"),
    ("g'", "g"), ("r'", "r"),  # the primed u'g'r'i'z' system (Fukugita et al. 1996)
    ("gp", "g"), ("ip", "i"),  # Las Cumbres Observatory's names of g' and i'
    ("HSC-G", "g"), ("HSC-I", "i"), ("HSC-I2", "i"), ("HSC-R2", "r"), ("HSC-Y", "y"),  # Subaru HSC, I2/R2 replacements
    ("DECam g", "g"), ("DECam Y", "y"),
    ("r.MP9602", "r"),  # CFHT MegaCam r
    ("LSST g", "g"), ("LSST y", "y"),
]

#: Kept as written (lower case): wide or narrow filters, a survey's name alone, HST names.
KEPT_AS_WRITTEN = [
    ("gri.MP9605", "gri.mp9605"), ("DECam VR", "decam vr"), ("HSC-NB0921", "hsc-nb0921"), ("HSC-G2", "hsc-g2"),
    ("SDSS", "sdss"), ("sdss_y", "sdss_y"), ("zs", "zs"), ("F555W", "f555w"),
]


@pytest.mark.parametrize(("value", "band"), ONE_BAND_SPELLINGS, ids=[v for v, _ in ONE_BAND_SPELLINGS])
def test_other_spellings_of_one_sloan_like_band_are_its_letter(value, band):
    assert band_of("image.fits", fits.Header({"FILTER": value})) == band


@pytest.mark.parametrize(("value", "band"), KEPT_AS_WRITTEN, ids=[v for v, _ in KEPT_AS_WRITTEN])
def test_wide_narrow_and_unknown_filters_are_kept_as_written(value, band):
    assert band_of("image.fits", fits.Header({"FILTER": value})) == band


def test_a_folder_of_hsc_coadds_reads_as_bands_g_and_i(tmp_path):
    """The bands were 'hsc-g' and 'hsc-i2': the V band, colours and a model's bands (g, i) did not match."""
    for value in ("HSC-G", "HSC-I2"):
        fits.writeto(tmp_path / f"calexp-{value}-9813-4,4.fits", np.ones((24, 24), np.float32),
                     fits.Header({"FILTER": value, "ABMAGZP": 27.0}))
    ms = read_mosaics(tmp_path, magsys="ab")
    assert ms.bands == ["g", "i"] and ms.v_band == "g"
