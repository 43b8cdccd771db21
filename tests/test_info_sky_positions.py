"""``starclass info CATALOGUE`` says where the rows are on the sky and how ra, dec text was read.

A catalogue of sexagesimal ``ra``, ``dec`` text (``10:20:30.5``, ``+41:16:09``) was described by its
columns alone: nothing said its positions were read as sky coordinates, that RA text counts hours
and a plain number degrees, or that an ECSV's ``unit: hourangle`` was converted. And a catalogue
starclass wrote kept the meta of the read it came from: read back, it reported that read's unit
conversions (``units_converted``) of columns that are now plain degrees.
"""

from __future__ import annotations

import astropy.units as u
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import read_catalog, write_catalog

runner = CliRunner()


def _info(path) -> str:
    res = runner.invoke(app, ["info", str(path)])
    assert res.exit_code == 0, res.output
    return " ".join(res.output.split())


def test_info_of_sexagesimal_text_says_it_is_read_as_sky_positions(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("id,RA_J2000,DEC_J2000\n1,10:20:30.5,+41:16:09\n2,10.5,-1.25\n3,,\n")
    out = _info(path)
    # the old code: columns and bands only
    assert "sky positions (deg): ra 10.5 .. 155.12708, dec -1.25 .. 41.26917 (1 of 3 rows without ra, dec)" \
        in out, out
    assert ("ra, dec read from text: sexagesimal ra in hours (10:20:30.5), dec in degrees; plain numbers in degrees"
            in out), out


def test_info_of_text_in_a_declared_unit_names_it_and_the_conversion(tmp_path):
    t = Table({"id": [1], "ra": ["10:20:30.5"], "dec": ["+41:16:09"]})
    t["ra"].unit, t["dec"].unit = u.hourangle, u.deg
    t.write(tmp_path / "h.ecsv")
    out = _info(tmp_path / "h.ecsv")
    assert "ra, dec read from text in the units the file declares: ra hourangle, dec deg" in out, out
    assert "units converted: ra hourangle (text) -> deg" in out, out


def test_a_written_catalogue_read_back_reports_its_own_read_only(tmp_path):
    t = Table({"id": [1], "ra": ["10:20:30.5"], "dec": ["+41:16:09"]})
    t["ra"].unit, t["dec"].unit = u.hourangle, u.deg
    t.write(tmp_path / "h.ecsv")
    write_catalog(read_catalog(tmp_path / "h.ecsv", require_xy=False), tmp_path / "out.ecsv")
    back = read_catalog(tmp_path / "out.ecsv", require_xy=False)
    # the old code: {'ra': 'hourangle (text) -> deg'} of a column written in degrees
    assert "units_converted" not in back.meta and "sky_text" not in back.meta, back.meta
    out = _info(tmp_path / "out.ecsv")
    assert "sky positions (deg): ra 155.12708 .. 155.12708" in out and "read from text" not in out, out
    assert "units converted" not in out, out
