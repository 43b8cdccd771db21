"""A weight map beside its image is found whatever the case of the names (NGC628C_F555W_SCI.fits + ..._WHT.fits)."""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits

from starclass.io.mosaic import read_mosaics


@pytest.mark.parametrize("image, weight", [
    ("NGC628C_F555W_SCI.fits", "NGC628C_F555W_WHT.fits"),
    ("NGC628C_F555W_DRC.fits", "NGC628C_F555W_WHT.fits"),
    ("NGC628C_F555W.FITS", "NGC628C_F555W_WHT.FITS"),
    ("ngc628c_f555w_sci.fits", "ngc628c_f555w_wht.fits"),
])
def test_weight_map_in_the_image_names_case_is_read(tmp_path, image, weight):
    data = np.random.default_rng(0).normal(1.0, 0.1, (30, 40)).astype(np.float32)  # no zero padding
    wht = np.ones_like(data)
    wht[:, :7] = 0.0  # a chip gap: no data, though the image holds values there
    header = fits.Header({"FILTER": "F555W", "PHOTFLAM": 1.9e-19, "PHOTPLAM": 5308.0, "BUNIT": "ELECTRONS/S"})
    fits.writeto(tmp_path / image, data, header)
    fits.writeto(tmp_path / weight, wht)
    ms = read_mosaics(tmp_path)  # the folder: the weight file is not a band
    assert ms.bands == ["f555w"]
    # the old code looked only for lower-case '..._wht.fits': the upper-case weight map was ignored
    assert ms.weights["f555w"] is not None
    assert ms.mask("f555w").sum() == 7 * 30
