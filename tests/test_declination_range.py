"""A ``dec`` beyond +-90 degrees is refused naming its row, not an astropy traceback.

A catalogue row with ``dec`` -91 (a typo, or a sentinel for "none") and no ``x``, ``y`` stopped
``cutouts``, ``classify`` ... with "ValueError: Latitude angle(s) must be within -90 deg <= angle
<= 90 deg" (a traceback, exit 1) when the row was placed through the WCS; sexagesimal text
"+91:16:09" was read as 91.27 degrees without a word.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.wcs import WCS
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog
from starclass.io.mosaic import write_mosaic

N = 64


def _field(folder):
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [65.0, -54.9]
    w.wcs.crpix = [(N + 1) / 2, (N + 1) / 2]
    w.wcs.cd = np.array([[-0.04, 0.0], [0.0, 0.04]]) / 3600
    folder.mkdir()
    for band in ("f555w", "f814w"):
        write_mosaic(folder / f"f_{band}.fits", np.full((N, N), 0.1, np.float32), band, w, photflam=1.9e-19,
                     photplam=5308.0, exptime=400.0)
    return folder


def test_cutouts_refuses_a_declination_beyond_90_naming_the_row(tmp_path):
    field = _field(tmp_path / "field")
    cat = tmp_path / "c.csv"
    cat.write_text("id,ra,dec,x,y\n7,65.0,-54.9,31.5,31.5\n8,65.0,-91.0,,\n")
    out = tmp_path / "s.h5"
    res = CliRunner().invoke(cli, ["cutouts", str(field), "--catalog", str(cat), "-o", str(out), "--size", "16",
                                   "--no-progress"])
    # the old code: a ValueError traceback from astropy's Latitude (exit 1)
    assert res.exit_code == 2, res.output
    assert "column 'dec' in" in res.output and "c.csv: -91 in row 2 (id 8) is not a declination" in res.output
    assert not out.exists()


@pytest.mark.parametrize(("dec", "shown"), [("+91:16:09", "91.2692"), ("95.5", "95.5")])
def test_read_catalog_refuses_it_in_text_and_numbers(tmp_path, dec, shown):
    (tmp_path / "c.csv").write_text(f"id,DEC_J2000,RA_J2000\n1,+41:16:09,10:20:30\n2,{dec},10:20:31\n3,,\n")
    with pytest.raises(StarclassError, match=rf"column 'DEC_J2000' in .*c\.csv: {shown} in row 2 \(id 2\) is not a "
                                             r"declination"):
        read_catalog(tmp_path / "c.csv", require_xy=False)


def test_plus_minus_90_and_empty_cells_are_read(tmp_path):
    (tmp_path / "c.csv").write_text("id,ra,dec\n1,0.0,90.0\n2,1.0,-90.0\n3,,\n")
    t = read_catalog(tmp_path / "c.csv", require_xy=False)
    dec = np.ma.filled(np.ma.asarray(t["dec"], dtype=float), np.nan)
    assert dec[:2].tolist() == [90.0, -90.0] and np.isnan(dec[2])
