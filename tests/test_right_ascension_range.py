"""An ``ra`` outside 0-360 degrees: wrapped with a warning when written signed, refused beyond.

A catalogue row with ``ra`` -5 (355 written signed, as some catalogues do) was kept as -5 (``info``
showed ``ra -5 .. 365``, outputs carried it) and one with 365, -999 or ``370d00m00s`` was
taken modulo 360 by astropy without a word. As a ``dec`` beyond +-90 is refused
(``tests/test_declination_range.py``), an ``ra`` below -180 or above 360 is refused naming its row
(exit 2); one from -180 to 0, or 360, is wrapped into 0-360 with one warning line.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog, validate_catalog


def test_a_signed_ra_is_wrapped_with_a_warning(tmp_path):
    (tmp_path / "c.csv").write_text("id,ra,dec\n1,10.5,0\n2,-5,0\n3,360,1\n4,,\n")
    with pytest.warns(UserWarning, match=r"column 'ra' in .*c\.csv: 2 rows with ra below 0 or at 360 degrees wrapped "
                                         r"into 0 to 360 \(first: row 2 \(id 2\), -5 read as 355\)"):
        t = read_catalog(tmp_path / "c.csv", require_xy=False)
    ra = np.ma.filled(np.ma.asarray(t["ra"], dtype=float), np.nan)
    assert ra[:3].tolist() == [10.5, 355.0, 0.0], ra  # the old code: [10.5, -5.0, 360.0]
    assert np.isnan(ra[3]) and str(t["ra"].unit) == "deg"


@pytest.mark.parametrize(("ra", "shown"), [("365", "365"), ("-999", "-999"), ("370d00m00s", "370")])
def test_an_ra_beyond_360_is_refused_naming_the_row(tmp_path, ra, shown):
    (tmp_path / "c.csv").write_text(f"id,RA_J2000,DEC_J2000\n1,10:20:30,+41:16:09\n2,{ra},+41:16:10\n")
    with pytest.raises(StarclassError, match=rf"column 'RA_J2000' in .*c\.csv: {shown} in row 2 \(id 2\) is not a "
                                             r"right ascension \(0 to 360 degrees"):
        read_catalog(tmp_path / "c.csv", require_xy=False)


def test_a_python_table_is_checked_alike():
    with pytest.raises(StarclassError, match=r"column 'ra': 400 in row 1 \(id 9\) is not a right ascension"):
        validate_catalog(Table({"id": [9], "ra": [400.0], "dec": [0.0]}), require_xy=False)


def test_info_refuses_it_with_exit_2(tmp_path):
    (tmp_path / "c.csv").write_text("id,ra,dec\n2,-5,0\n3,365,0\n")
    res = CliRunner().invoke(cli, ["info", str(tmp_path / "c.csv")])
    assert res.exit_code == 2, res.output  # the old code: exit 0, "ra -5.00000 .. 365.00000"
    assert "365 in row 2 (id 3) is not a right ascension" in res.output
    assert "Traceback" not in res.output
