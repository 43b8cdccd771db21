"""A rate mosaic whose header has no EXPTIME: the magnitude errors' exposure time is said, or read from TEXPTIME."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from astropy.io import fits

from starclass.detect._images import exptime_of
from starclass.io.mosaic import read_mosaics


def _rate_image(path, **keys):
    header = fits.Header({"FILTER": "F555W", "PHOTFLAM": 1.9e-19, "PHOTPLAM": 5308.0, "BUNIT": "ELECTRONS/S", **keys})
    fits.writeto(path, np.random.default_rng(0).normal(1.0, 0.1, (20, 20)).astype(np.float32), header)
    return read_mosaics([path])


def test_no_exposure_time_warns_naming_the_file(tmp_path):
    ms = _rate_image(tmp_path / "hlsp_x_f555w_v1_exp-drc-sci.fits")
    # the old code took 1 s without a word: a 400 s mosaic's errors came out up to 15 times too large
    named = r"band f555w: no exposure time .*hlsp_x_f555w_v1_exp-drc-sci.fits.*assume 1 s"
    with pytest.warns(UserWarning, match=named):
        assert exptime_of(ms, "f555w") == 1.0


@pytest.mark.parametrize("key", ["EXPTIME", "TEXPTIME", "XPOSURE"])
def test_exposure_time_keywords_are_read_in_silence(tmp_path, key):
    ms = _rate_image(tmp_path / "x_f555w.fits", **{key: 400.0})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert exptime_of(ms, "f555w") == 400.0


def test_counts_image_needs_no_exposure_time(tmp_path):
    header = fits.Header({"FILTER": "F555W", "PHOTFLAM": 1.9e-19, "PHOTPLAM": 5308.0, "BUNIT": "ELECTRONS",
                          "EXPTIME": 400.0})
    fits.writeto(tmp_path / "x_f555w.fits", np.ones((20, 20), np.float32), header)
    ms = read_mosaics([tmp_path / "x_f555w.fits"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert exptime_of(ms, "f555w") == 1.0
