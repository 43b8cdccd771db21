"""Sexagesimal ``ra``, ``dec`` text in an ECSV that declares its unit (``unit: hourangle``, ``deg``).

astropy writes such a table when the positions are kept as strings with their unit; every command
reading it stopped with "ValueError: could not convert string to float: np.str_('4:19:59.4152')"
(a traceback): the unit conversion took the text for numbers. The declared unit now says how the
text is read (RA text in degrees too, which undeclared RA text is not).
"""

from __future__ import annotations

import astropy.units as u
import numpy as np
import pytest
from astropy.coordinates import SkyCoord
from astropy.table import Table
from astropy.wcs import WCS
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog
from starclass.io.mosaic import write_mosaic
from starclass.stamps.store import StampStore


def _wcs(n: int = 80) -> WCS:
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [65.0, -54.9]
    w.wcs.crpix = [(n + 1) / 2, (n + 1) / 2]
    w.wcs.cd = np.array([[-0.04, 0.0], [0.0, 0.04]]) / 3600
    return w


def _catalogue(path, ra_unit=u.hourangle, xs=(20.3, 50.0), ys=(30.0, 61.6)):
    sky = _wcs().pixel_to_world(np.array(xs), np.array(ys))
    ra = sky.ra.to_string(ra_unit, sep=":", precision=5)
    t = Table({"id": [1, 2], "ra": ra, "dec": sky.dec.to_string(u.deg, sep=":", precision=4, alwayssign=True)})
    t["ra"].unit, t["dec"].unit = ra_unit, u.deg
    t.write(path)
    return sky


@pytest.mark.parametrize("ra_unit", [u.hourangle, u.deg])
def test_text_positions_with_a_declared_unit_are_read_in_it(tmp_path, ra_unit):
    sky = _catalogue(tmp_path / "c.ecsv", ra_unit)
    t = read_catalog(tmp_path / "c.ecsv", require_xy=False)
    got = SkyCoord(np.asarray(t["ra"], float) * u.deg, np.asarray(t["dec"], float) * u.deg)
    assert got.separation(sky).to(u.mas).max() < 5 * u.mas


def test_cutouts_places_them_on_the_mosaics(tmp_path):
    field = tmp_path / "field"
    field.mkdir()
    write_mosaic(field / "f_f555w.fits", np.random.default_rng(0).normal(0.1, 0.01, (80, 80)), "f555w", _wcs(),
                 photflam=1.9e-19, photplam=5308.0)
    _catalogue(tmp_path / "c.ecsv")
    res = CliRunner().invoke(cli, ["cutouts", str(field), "--catalog", str(tmp_path / "c.ecsv"), "-o",
                                   str(tmp_path / "s.h5"), "--size", "16", "--no-progress"])
    assert res.exit_code == 0, res.output  # the old code: a ValueError traceback
    table = StampStore(tmp_path / "s.h5").table
    assert np.allclose(table["x"], [20.3, 50.0], atol=0.01) and np.allclose(table["y"], [30.0, 61.6], atol=0.01)


def test_a_cell_that_is_no_angle_is_named(tmp_path):
    t = Table({"id": [7, 8], "ra": ["4:20:00", "n.a.x"], "dec": ["-54:54:00", "-54:54:01"]})
    t["ra"].unit, t["dec"].unit = u.hourangle, u.deg
    t.write(tmp_path / "c.ecsv")
    with pytest.raises(StarclassError, match=r"column 'ra' in .*c\.ecsv, row 2 \(id 8\): 'n\.a\.x' is not an angle"):
        read_catalog(tmp_path / "c.ecsv", require_xy=False)
