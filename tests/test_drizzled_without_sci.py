"""A drizzled file without its SCI extension is refused saying what its images are.

A MAST-like ``_drc`` file whose SCI was lost (only WHT and CTX left) was refused with "no 2-D image
found in any HDU of ... (HDU 1: 512 x 512 px; HDU 2: 512 x 512 px; a mosaic is an image of at least
2 x 2 px ...)": two 2-D images named, and not why neither was read. The message now names them as
a weight map and a context map, read beside a band's image, and says where the image should be.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.mosaic import read_mosaics

runner = CliRunner()


def _drc_without_sci(path):
    primary = fits.Header({"TELESCOP": "HST", "FILTER1": "F555W", "FILTER2": "CLEAR2L", "PHOTFLAM": 1.9e-19,
                           "PHOTPLAM": 5308.0, "EXPTIME": 400.0})
    fits.HDUList([fits.PrimaryHDU(header=primary),
                  fits.ImageHDU(np.ones((32, 32), np.float32), name="WHT"),
                  fits.ImageHDU(np.ones((32, 32), np.int32), name="CTX")]).writeto(path)
    return path


def test_a_drc_without_sci_names_its_weight_and_context_maps(tmp_path):
    path = _drc_without_sci(tmp_path / "jcdu01010_drc.fits")
    with pytest.raises(StarclassError) as err:
        read_mosaics(path)
    msg = str(err.value)
    assert f"no science image in {path}" in msg  # "no 2-D image found ... (HDU 1: 32 x 32 px; ...)" before
    assert "HDU 1 (WHT): a weight map" in msg and "HDU 2 (CTX): a context map" in msg and "SCI" in msg
    out = tmp_path / "c.ecsv"
    r = runner.invoke(app, ["detect", str(path), "-o", str(out)])
    assert r.exit_code == 2 and "no science image" in r.output and "Traceback" not in r.output, r.output
    assert not out.exists()
