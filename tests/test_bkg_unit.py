"""The ``bkg`` column carries the unit it has: the V-band image's unit per pixel (2026-12-05).

``detect`` wrote ``bkg`` without a unit (``{name: bkg, datatype: float64}`` in the ECSV) where every
other measured column carries one (x, y, fwhm pix; magnitudes mag): a median of HST ELECTRONS/S pixels
read as a bare number. It is ``electron / (pix s)`` now, kept through ECSV, Parquet and FITS (whose TUNIT
cannot hold ``electron``: the FITS table keeps it in its starclass meta).
"""

from __future__ import annotations

import astropy.units as u
import numpy as np
import pytest
from astropy.table import Table
from astropy.wcs import WCS

from starclass.bands import BANDS
from starclass.detect import measure
from starclass.io.catalog import read_catalog, write_catalog
from starclass.io.mosaic import read_mosaics, write_mosaic
from starclass.schema import unit_of


def _field(tmp_path, extra=None):
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval, w.wcs.crpix, w.wcs.cdelt = [10.0, 20.0], [40.0, 40.0], [-1.1e-5, 1.1e-5]
    img = np.full((80, 80), 0.5, "f4")
    img[38:43, 38:43] += 20.0
    path = tmp_path / "f_f555w.fits"
    write_mosaic(path, img, "f555w", w, photflam=BANDS["f555w"].photflam, photplam=BANDS["f555w"].photplam,
                 extra_header=extra)
    return read_mosaics([str(path)])


def test_detect_photometry_gives_bkg_the_image_unit_per_pixel_and_files_keep_it(tmp_path):
    ms = _field(tmp_path)  # BUNIT ELECTRONS/S, as write_mosaic writes a drizzled mosaic
    out = measure(ms, Table({"id": [1, 2], "x": [40.0, 20.0], "y": [40.0, 20.0]}))
    assert out["bkg"].unit == u.electron / (u.pix * u.s)
    assert out["bkg"][1] == pytest.approx(0.5, abs=1e-4)
    for suffix in ("ecsv", "parquet", "fits"):
        back = read_catalog(write_catalog(out, tmp_path / f"c.{suffix}"))
        assert back["bkg"].unit == u.electron / (u.pix * u.s), suffix
        assert back["fwhm"].unit == u.pix and "column_units" not in back.meta, suffix
        assert np.allclose(back["bkg"], out["bkg"], equal_nan=True), suffix


@pytest.mark.parametrize(("header", "unit"), [
    ({"BUNIT": "ELECTRONS/S"}, u.electron / u.s / u.pix),
    ({"BUNIT": "COUNTS"}, u.ct / u.pix),
    ({"BUNIT": "e-"}, u.electron / u.pix),
    ({"BUNIT": "nanomaggy"}, u.nmgy / u.pix),
    ({"BUNIT": "MJy/sr"}, u.MJy / u.sr),  # a surface brightness already: not per pixel again
    ({"PHOTFLAM": 1e-19}, u.ct / u.s / u.pix),  # no BUNIT, HST's PHOTFLAM: a count rate, as value_unit says
    ({"MAGZERO": 30.0}, None),  # values on a zeropoint's scale: no unit guessed
    ({}, None),
])
def test_the_unit_of_bkg_follows_the_header(header, unit):
    from starclass.io.mosaic import pixel_unit
    from starclass.schema import per_pixel

    assert per_pixel(pixel_unit(header)) == unit
    assert unit_of("bkg") is None  # the schema holds no one unit: it is the image's


def test_arrays_without_a_header_give_no_unit():
    from starclass.detect import ArrayMosaics

    img = np.full((60, 60), 0.5, "f4")
    out = measure(ArrayMosaics({"f555w": img}, {"f555w": 25.0}), Table({"x": [30.0], "y": [30.0]}),
                  aperture_correction=None)
    assert out["bkg"].unit is None
