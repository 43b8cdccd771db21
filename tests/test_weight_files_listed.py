"""PHANGS-HST folders: ..._exp-drc-sci.fits with ..._exp-drc-wht.fits, listed by a shell glob or described by info."""

from __future__ import annotations

import numpy as np
from astropy.io import fits
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.mosaic import read_mosaics

runner = CliRunner()


def _phangs(folder):
    rng = np.random.default_rng(0)
    for band, flam, plam in (("f555w", 1.9e-19, 5308.0), ("f814w", 1.5e-19, 8040.0)):
        stem = f"hlsp_phangs-hst_hst_wfc3-uvis_ngc628c_{band}_v1_exp-drc"
        header = fits.Header({"FILTER": band.upper(), "PHOTFLAM": flam, "PHOTPLAM": plam, "BUNIT": "ELECTRONS/S"})
        fits.writeto(folder / f"{stem}-sci.fits", rng.normal(1.0, 0.1, (30, 40)).astype(np.float32), header)
        wht = np.full((30, 40), 400.0, np.float32)
        wht[:, :6] = 0.0
        fits.writeto(folder / f"{stem}-wht.fits", wht)
    return sorted(folder.glob("*.fits"))  # what 'starclass detect folder/*.fits' passes


def test_glob_of_images_and_weight_maps_reads_one_band_each(tmp_path):
    files = _phangs(tmp_path)
    assert len(files) == 4
    # the old code read each ..._wht.fits as its band a second time: "band f555w appears twice"
    ms = read_mosaics(files)
    assert ms.bands == ["f555w", "f814w"]
    assert all(ms.weights[b] is not None and ms.mask(b).sum() == 6 * 30 for b in ms.bands)


def test_info_on_a_phangs_folder_describes_the_mosaics(tmp_path):
    _phangs(tmp_path)
    res = runner.invoke(app, ["info", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "not one set of mosaics" not in res.output
    assert "mosaics: 2 bands: f555w, f814w" in res.output
    assert res.output.count("weight map") == 2 and "no weight map" not in res.output
