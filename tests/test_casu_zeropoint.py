"""CASU images (VISTA, UKIRT WFCAM) carry ``MAGZPT`` for counts per second; HSC its filter in ``FILTER01``.

The CASU pipeline's zeropoint is of count rates (mag = MAGZPT - 2.5 log10(counts / EXPTIME), less
extinction and aperture terms), while its images hold the counts of the exposure: ``MAGZPT`` was taken
as the zeropoint of the stored values, every magnitude of a 100 s image 5 mag too bright. A
``MAGZPT`` without the CASU software keywords (an archive's mosaic with ``MAGZPT`` and ``MAGZRR``)
stays the zeropoint of the values as stored. HSC and Suprime-Cam write the filter to ``FILTER01``,
which no band keyword read.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits

from starclass.errors import StarclassError
from starclass.io.mosaic import band_of, calibrated_counts, read_mosaics


def _image(path, **cards):
    hdr = fits.Header()
    hdr["FILTER"] = "Ks"
    for k, v in cards.items():
        hdr[k] = v
    fits.PrimaryHDU(np.ones((20, 20), np.float32), hdr).writeto(path)
    return path


def test_a_casu_magzpt_is_per_second(tmp_path):
    path = _image(tmp_path / "v_ks.fit", MAGZPT=23.9, MAGZRR=0.01, CIR_CPM="conf.fit[1]", EXPTIME=100.0)
    ms = read_mosaics(path)
    assert ms.zeropoint["ks"] == pytest.approx(23.9 + 2.5 * np.log10(100.0))
    assert "per second" in ms.describe() and "EXPTIME 100 s" in ms.describe()


def test_a_magzpt_without_casu_keywords_is_of_the_stored_values(tmp_path):
    """Guard: a mosaic with MAGZPT and MAGZRR but no CASU software keyword keeps its zeropoint as given."""
    path = _image(tmp_path / "a_ks.fits", MAGZPT=25.3, MAGZRR=0.02, EXPTIME=720.0)
    assert read_mosaics(path).zeropoint["ks"] == pytest.approx(25.3)


def test_a_casu_image_without_exposure_time_is_refused(tmp_path):
    path = _image(tmp_path / "w_ks.fit", MAGZPT=22.5, CASUVERS="1.3")
    with pytest.raises(StarclassError, match=r"w_ks\.fit is a CASU image .*no positive exposure time"):
        read_mosaics(path)


def test_a_casu_image_counts_are_adu_times_gain():
    """The magnitude errors' Poisson term: a CASU image's values are ADU, not a zeropoint's flux units."""
    per_unit, unit = calibrated_counts(fits.Header({"MAGZPT": 23.9, "CIR_VERS": "1.4", "EXPTIME": 10.0,
                                                    "GAIN": 4.2}))
    assert per_unit == 4.2 and "CASU" in unit


def test_hsc_filter01_names_the_band():
    assert band_of("calexp-0.fits", fits.Header({"FILTER01": "HSC-R2"})) == "r"
    assert band_of("calexp-0.fits", fits.Header({"FILTER01": "HSC-G"})) == "g"
