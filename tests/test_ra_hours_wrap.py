"""A right ascension in hours is read as exactly 15 degrees an hour, so 24 h wraps to 0 like 360 deg.

astropy's hourangle -> deg factor is 15 less one unit in the last place: ``"24:00:00"`` (as 23:59:59.96 is
rounded to one decimal of a second) and a numeric ``ra`` of 24 in an ECSV declaring ``unit: hourangle``
were read as 359.99999999999994 deg, short of the 360 that io.catalog wraps to 0, and each text row
printed astropy's "IllegalHourWarning: 'hour' was found to be '24.0'" first. 12 h was 179.99999999999997.
The float-first parse (a plain number is degrees) and the sexagesimal fallback (hours for ra) are kept;
a signed ra in hours wraps as a signed one in degrees; an ra past 360 deg is still refused
(tests/test_right_ascension_range.py).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import read_catalog, validate_catalog


def _ra(t):
    return np.ma.filled(np.ma.asarray(t["ra"], dtype=float), np.nan).tolist()


def test_sexagesimal_hours_at_24h_wrap_to_zero(tmp_path, capsys):
    (tmp_path / "c.csv").write_text("id,ra,dec\n1,23:59:59.9,-10:00:00\n2,24:00:00,-10:00:00\n"
                                    "3,12:00:00,-10:00:00\n4,-00:00:01,-10:00:00\n5,180.5,-10\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = read_catalog(tmp_path / "c.csv", require_xy=False)
    ra = _ra(t)
    assert ra[1] == 0.0 and ra[2] == 180.0, ra  # the old code: 359.99999999999994, 179.99999999999997
    assert ra[0] == pytest.approx(359.9995833333, abs=1e-9) and ra[0] < 360.0
    assert ra[3] == pytest.approx(360.0 - 15.0 / 3600.0, abs=1e-9)
    assert ra[4] == 180.5  # a plain number is degrees
    said = [str(w.message) for w in caught]
    assert any("2 rows with ra below 0 or at 360 degrees wrapped into 0 to 360" in m for m in said), said
    assert not any("IllegalHour" in type(w.message).__name__ for w in caught), said
    assert "IllegalHourWarning" not in capsys.readouterr().err


def test_a_numeric_column_in_hours_wraps_alike(tmp_path):
    t = Table({"id": [1, 2, 3, 4], "ra": [24.0, 12.0, -0.001, 23.5], "dec": [1.0, 2.0, 3.0, 4.0]})
    t["ra"].unit = "hourangle"
    t.write(tmp_path / "c.ecsv")
    with pytest.warns(UserWarning, match=r"2 rows with ra below 0 or at 360 degrees wrapped .*360 read as 0"):
        back = read_catalog(tmp_path / "c.ecsv", require_xy=False)
    assert _ra(back) == [0.0, 180.0, 360.0 - 0.015, 352.5], _ra(back)
    # a Table handed in Python is read the same way
    with pytest.warns(UserWarning, match="wrapped into 0 to 360"):
        mem = validate_catalog(t, require_xy=False)
    assert _ra(mem) == [0.0, 180.0, 360.0 - 0.015, 352.5]


def test_info_says_the_wrapped_ra(tmp_path):
    (tmp_path / "c.csv").write_text("id,ra,dec\n1,23:59:59.9,+41:00:00\n2,24:00:00,+41:00:00\n")
    res = CliRunner().invoke(app, ["info", str(tmp_path / "c.csv")])
    assert res.exit_code == 0, res.output
    assert "360 read as 0" in res.output and "IllegalHourWarning" not in res.output


def test_info_gives_a_catalogue_straddling_0h_its_short_range(tmp_path):
    # the cutout lists' ranges said it so (tests/test_info_ra_through_zero.py); a catalogue's sky positions said
    # "ra 0.00000 .. 359.99958", as if the field covered the whole sky
    (tmp_path / "c.csv").write_text("id,ra,dec\n1,23:59:59.9,+41:00:00\n2,24:00:00,+41:00:00\n3,00:00:02,+41:00:01\n")
    res = CliRunner().invoke(app, ["info", str(tmp_path / "c.csv")])
    assert res.exit_code == 0, res.output
    assert "sky positions (deg): ra 359.99958 .. 0.00833 (through 0), dec 41 .. 41.00028" in res.output
    # one that does not straddle 0h is said as before
    (tmp_path / "d.csv").write_text("id,ra,dec\n1,10.5,1\n2,12.5,2\n")
    res = CliRunner().invoke(app, ["info", str(tmp_path / "d.csv")])
    assert "sky positions (deg): ra 10.5 .. 12.5, dec 1 .. 2" in res.output, res.output
