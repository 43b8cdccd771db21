"""Sexagesimal ``ra``, ``dec`` text: one reader for every path a catalogue takes.

Two readers of such text lived in ``starclass.io.catalog``: one for a column whose file declares
its unit (an ECSV's ``unit: hourangle``), one that guessed the unit of a text-only column (a CSV).
These tests pin what both read (written before they were made one, and run on both); the last
one is the bug the two made: a table handed to :func:`validate_catalog` in Python with text in a
declared unit was read as if undeclared (RA text in degrees read as hours, numbers in hours as
degrees), unlike the same table read from its file; and an unreadable cell of ``RA_J2000`` was
named as column ``ra``, which the file does not have.
"""

from __future__ import annotations

import astropy.units as u
import numpy as np
import pytest
from astropy.table import Table

from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog, validate_catalog

RA_DEG = (10 + 20 / 60 + 30.5 / 3600) * 15  # 10:20:30.5 in hours
DEC_DEG = 41 + 16 / 60 + 9 / 3600  # +41:16:09


def _ecsv(path, ra, dec, ra_unit, dec_unit=u.deg):
    t = Table({"id": list(range(1, len(ra) + 1)), "ra": ra, "dec": dec})
    t["ra"].unit, t["dec"].unit = ra_unit, dec_unit
    t.write(path)
    return path


def _degrees(t):
    return np.asarray(t["ra"], float), np.asarray(t["dec"], float)


@pytest.fixture
def ecsv_hours(tmp_path):
    return _ecsv(tmp_path / "h.ecsv", ["10:20:30.5", "10h20m30.5s", "10.5", "", "155d07m37.5s"],
                 ["+41:16:09", "41d16m09s", "-1.25", "", "+41:16:09"], u.hourangle)


def test_text_declared_in_hourangle_is_read_in_hours(ecsv_hours):
    t = read_catalog(ecsv_hours, require_xy=False)
    ra, dec = _degrees(t)
    # numbers are in the declared unit (10.5 h); text that names its own unit (d) is read in it
    np.testing.assert_allclose(ra, [RA_DEG, RA_DEG, 157.5, np.nan, RA_DEG], atol=1e-9)
    np.testing.assert_allclose(dec, [DEC_DEG, DEC_DEG, -1.25, np.nan, DEC_DEG], atol=1e-9)
    assert t["ra"].unit == u.deg and t["dec"].unit == u.deg
    assert t.meta["units_converted"] == {"ra": "hourangle (text) -> deg"}


def test_text_declared_in_degrees_is_read_in_degrees(tmp_path):
    path = _ecsv(tmp_path / "d.ecsv", ["155:07:37.5", "155d07m37.5s", "10.5", "10h20m30.5s"],
                 ["+41:16:09", "41d16m09s", "-1.25", "+41:16:09"], u.deg)
    t = read_catalog(path, require_xy=False)
    ra, dec = _degrees(t)
    np.testing.assert_allclose(ra, [RA_DEG, RA_DEG, 10.5, RA_DEG], atol=1e-9)
    np.testing.assert_allclose(dec, [DEC_DEG, DEC_DEG, -1.25, DEC_DEG], atol=1e-9)
    assert "units_converted" not in t.meta


CSV = ("{ra},{dec}\n"
       "1,10:20:30.5,+41:16:09\n"
       "2,10h20m30.5s,41d16m09s\n"
       "3,10.5,-1.25\n"
       "4,,\n"
       "5,155d07m37.5s,+41:16:09\n"
       "6,10 20 30.5,+41 16 09\n"
       "7,155\u00b007\u203237.5\u2033,+41\u00b016\u203209\u2033\n")


@pytest.mark.parametrize(("ra", "dec"), [("ra", "dec"), ("RA_J2000", "DEC_J2000")])
def test_text_without_a_unit_is_hours_for_ra_and_degrees_for_numbers(tmp_path, ra, dec):
    path = tmp_path / "c.csv"
    path.write_text("id," + CSV.format(ra=ra, dec=dec), encoding="utf-8")
    t = read_catalog(path, require_xy=False)
    got_ra, got_dec = _degrees(t)
    # sexagesimal RA is in hours unless it says d or a degree sign; a plain number is degrees
    np.testing.assert_allclose(got_ra, [RA_DEG, RA_DEG, 10.5, np.nan, RA_DEG, RA_DEG, RA_DEG], atol=1e-9)
    np.testing.assert_allclose(got_dec, [DEC_DEG, DEC_DEG, -1.25, np.nan, DEC_DEG, DEC_DEG, DEC_DEG], atol=1e-9)
    assert t["ra"].unit == u.deg and t["dec"].unit == u.deg


@pytest.mark.parametrize(("text", "col", "bad"), [
    ("1,10:20:30.5,+41:16:09\n2,xx,+41:16:09\n", "ra", "xx"),
    ("1,10:20:30.5,+41:16:09\n2,25:20:30,+41:16:09\n", "ra", "25:20:30"),
    ("1,10:20:30.5,+41:16:09\n2,10:20:30,4x1\n", "dec", "4x1"),
])
def test_a_csv_cell_that_is_no_angle_is_named(tmp_path, text, col, bad):
    path = tmp_path / "bad.csv"
    path.write_text("id,ra,dec\n" + text)
    with pytest.raises(StarclassError) as exc:
        read_catalog(path, require_xy=False)
    msg = str(exc.value)
    assert "bad.csv" in msg and "row 2 (id 2)" in msg and repr(bad) in msg and col in msg, msg
    assert "sexagesimal" in msg


@pytest.mark.parametrize("col", ["ra", "dec"])
def test_an_ecsv_cell_that_is_no_angle_is_named(tmp_path, col):
    ra, dec = ["10:20:30.5", "1"], ["+41:16:09", "0"]
    (ra if col == "ra" else dec)[1] = "zz"
    path = _ecsv(tmp_path / "bad.ecsv", ra, dec, u.hourangle)
    with pytest.raises(StarclassError, match=rf"column '{col}' in .*bad\.ecsv, row 2 \(id 2\): 'zz' is not an angle"):
        read_catalog(path, require_xy=False)


@pytest.mark.parametrize(("ra", "unit", "want"), [("10.5", u.hourangle, 157.5), ("155:07:37.5", u.deg, RA_DEG),
                                                  ("10:20:30.5", u.hourangle, RA_DEG)])
def test_a_table_in_python_reads_its_declared_unit_as_its_file_does(tmp_path, ra, unit, want):
    t = Table({"id": [1], "ra": [ra], "dec": ["+41:16:09"]})
    t["ra"].unit, t["dec"].unit = unit, u.deg
    t.write(tmp_path / "c.ecsv")
    from_file = read_catalog(tmp_path / "c.ecsv", require_xy=False)
    in_python = validate_catalog(t, require_xy=False)
    # the old code read '10.5' [h] as 10.5 deg and '155:07:37.5' [deg] as hours (a 155 h angle: refused)
    assert float(from_file["ra"][0]) == pytest.approx(want, abs=1e-9)
    assert float(in_python["ra"][0]) == pytest.approx(want, abs=1e-9)
    assert float(in_python["dec"][0]) == pytest.approx(DEC_DEG, abs=1e-9)
    # recorded as the file's read records it
    assert in_python.meta.get("units_converted") == from_file.meta.get("units_converted")


def test_a_bad_cell_names_the_files_column(tmp_path):
    path = tmp_path / "j.csv"
    path.write_text("id,RA_J2000,DEC_J2000\n1,10:20:30.5,+41:16:09\n2,xx,+41:16:09\n")
    # the old code named 'ra', a column the file does not have
    with pytest.raises(StarclassError, match=r"j\.csv, row 2 \(id 2\): RA_J2000 \(read as ra\) 'xx' is neither"):
        read_catalog(path, require_xy=False)


def test_ra_sexagesimal_in_degrees_without_a_unit_says_how_to_write_it(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("id,ra,dec\n1,10:20:30.5,+41:16:09\n2,155:07:37.5,+41:16:09\n")
    # the old code: "... nor sexagesimal (hh:mm:ss.s)" and nothing on why 155:07:37.5 is not
    with pytest.raises(StarclassError, match=r"'155:07:37\.5' is neither .*read in hours: as degrees write it "
                                             r"155d07m37\.5s, or declare the column's unit"):
        read_catalog(path, require_xy=False)
    path.write_text("id,ra,dec\n1,155d07m37.5s,+41:16:09\n")
    assert float(read_catalog(path, require_xy=False)["ra"][0]) == pytest.approx(RA_DEG, abs=1e-9)


@pytest.mark.parametrize(("name", "unit"), [("c.csv", None), ("c.ecsv", u.deg)])
def test_a_declination_in_hours_is_refused(tmp_path, name, unit):
    t = Table({"id": [1, 2], "ra": ["10:20:30.5", "10:20:31"], "DEC_J2000": ["+41:16:09", "2h00m00s"]})
    if unit is not None:
        t["DEC_J2000"].unit = unit
    t.write(tmp_path / name)
    # the old code: read as 30 degrees without a word
    with pytest.raises(StarclassError, match=rf"column 'DEC_J2000' in .*{name}, row 2 \(id 2\): '2h00m00s' is in "
                                             r"hours, which a declination never is \(are ra and dec swapped\?\)"):
        read_catalog(tmp_path / name, require_xy=False)
