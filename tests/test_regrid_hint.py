"""Bands on different pixel grids: the refusal says what to do, and doing it works."""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits
from astropy.wcs import WCS

from starclass.errors import StarclassError
from starclass.io.mosaic import read_mosaics, write_mosaic


def _wcs(scale_arcsec, n, rot=0.0):
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [24.17, 15.78]
    w.wcs.crpix = [(n + 1) / 2, (n + 1) / 2]
    s, c, sn = scale_arcsec / 3600, np.cos(np.radians(rot)), np.sin(np.radians(rot))
    w.wcs.cd = np.array([[-s * c, s * sn], [s * sn, s * c]])
    return w


def _star(n, scale_arcsec, flux=1000.0, fwhm_arcsec=0.1):
    yy, xx = np.mgrid[:n, :n]
    sig = fwhm_arcsec / 2.355 / scale_arcsec
    c = (n - 1) / 2
    img = np.exp(-((xx - c) ** 2 + (yy - c) ** 2) / (2 * sig**2))
    return (flux * img / img.sum() + 0.01).astype(np.float32)


@pytest.mark.parametrize("scale, n, rot", [(0.05, 51, 0.0), (0.04, 64, 20.0)])
def test_other_grid_is_refused_naming_reproject_and_the_remedy_works(tmp_path, scale, n, rot):
    v = write_mosaic(tmp_path / "g_f555w_drc.fits", _star(64, 0.04), "f555w", _wcs(0.04, 64),
                     photflam=1.9e-19, photplam=5308.0)
    other = _wcs(scale, n, rot)
    i = write_mosaic(tmp_path / "g_f814w_drc.fits", _star(n, scale), "f814w", other,
                     photflam=1.5e-19, photplam=8040.0)
    with pytest.raises(StarclassError) as err:
        read_mosaics([v, i])
    msg = str(err.value)
    # the old message named the files and keywords but not what to do
    assert "resample g_f814w_drc.fits onto the grid of g_f555w_drc.fits" in msg
    assert "reproject_adaptive" in msg and "conserve_flux=True" in msg

    # what the message says: resample onto the reference grid, conserving flux, into a new file
    from reproject import reproject_adaptive

    data, header = fits.getdata(i, header=True)
    ref_header = fits.getheader(v)
    out, _ = reproject_adaptive((data, WCS(header)), WCS(ref_header), shape_out=(64, 64), conserve_flux=True)
    regridded = write_mosaic(tmp_path / "g_f814w_on_f555w.fits", np.nan_to_num(out), "f814w", WCS(ref_header),
                             photflam=header["PHOTFLAM"], photplam=header["PHOTPLAM"])
    ms = read_mosaics([v, regridded])
    assert ms.bands == ["f555w", "f814w"]
    yy, xx = np.mgrid[:64, :64]
    near = np.hypot(xx - 31.5, yy - 31.5) < 8
    sky = 0.01 * (0.04 / scale) ** 2  # the sky per pixel scales with the pixel area
    assert ms.data["f814w"][near].sum() - sky * near.sum() == pytest.approx(1000.0, rel=0.03)
