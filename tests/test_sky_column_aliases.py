"""Sky position columns named RA_J2000 / DEC_J2000, or VizieR's _RAJ2000 / _DEJ2000, are ra, dec.

A team's catalogue with only those (sexagesimal or degrees) was refused "required column 'x'
missing in cat.csv (columns: id, RA_J2000, DEC_J2000)": its sky positions were not seen, so it
could not be placed on the mosaics through their WCS.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table

from starclass.io.catalog import read_catalog


@pytest.mark.parametrize(("ra", "dec"), [("RA_J2000", "DEC_J2000"), ("ra_j2000", "de_j2000"),
                                         ("_RAJ2000", "_DEJ2000")])
def test_j2000_names_are_the_sky_position(tmp_path, ra, dec):
    Table({"id": [1, 2], ra: ["04:20:00.0", "04:20:01.0"], dec: ["-54:54:00", "-54:54:30"]}).write(tmp_path / "c.csv")
    t = read_catalog(tmp_path / "c.csv", require_xy=False)
    assert np.allclose(t["ra"], [65.0, 65.0 + 15 / 3600], atol=1e-9)
    assert np.allclose(t["dec"], [-54.9, -54.9 - 30 / 3600], atol=1e-9)
    assert t.meta["column_map_used"] == {ra: "ra", dec: "dec"}
