"""Sky region files are written in ICRS, the catalogue's numbers as they are (2026-12-05).

``starclass info radec.csv --ds9 r.reg`` wrote ``j2000`` (FK5) circles converted from the
catalogue's ICRS ``ra``, ``dec``: 14-30 mas from the numbers in the catalogue (and rounded to
8 decimals, up to 5e-9 deg). DS9 reads ``icrs`` region files, so sky regions are now written in
``icrs`` to 10 decimals; ``fk5`` is written (converted) only where asked for.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import read_catalog
from starclass.io.regions import write_regions

RA = np.array([65.0, 24.17, 150.123456789012, 359.9999999991])
DEC = np.array([-54.9, 15.78, 2.2222222221, -89.123456789])


def _circles(path) -> tuple[str, np.ndarray]:
    """The frame line and the centres of the circles, parsed from the file's text."""
    lines = path.read_text().splitlines()
    frame = next(ln for ln in lines if ln in ("icrs", "fk5", "j2000", "fk4", "galactic", "image"))
    cen = [[float(v) for v in ln[len("circle("):].split(",")[:2]] for ln in lines if ln.startswith("circle")]
    return frame, np.array(cen)


def test_info_writes_icrs_regions_at_the_catalogue_positions(tmp_path):
    cat = tmp_path / "radec.csv"
    Table({"id": [1, 2, 3, 4], "ra": RA, "dec": DEC, "class_ref": [1, 2, 3, 4]}).write(cat, format="ascii.csv")
    reg = tmp_path / "r.reg"
    res = CliRunner().invoke(app, ["info", str(cat), "--ds9", str(reg)])
    assert res.exit_code == 0, res.output
    frame, cen = _circles(reg)
    assert frame == "icrs"
    given = read_catalog(cat, require_xy=False)
    assert np.abs(cen[:, 0] - np.asarray(given["ra"], float)).max() < 1e-9
    assert np.abs(cen[:, 1] - np.asarray(given["dec"], float)).max() < 1e-9
    from regions import Regions

    back = Regions.read(str(reg), format="ds9")
    assert len(back) == 4 and all(r.center.frame.name == "icrs" for r in back)
    assert np.abs(np.array([r.center.ra.deg for r in back]) - RA).max() < 1e-9
    assert np.abs(np.array([r.center.dec.deg for r in back]) - DEC).max() < 1e-9
    assert [str(r.meta.get("text")) for r in back] == ["1", "2", "3", "4"]
    # read back as a catalogue (info pos.reg, detect --positions): the same positions
    again = read_catalog(reg, require_xy=False)
    assert np.abs(np.asarray(again["ra"], float) - RA).max() < 1e-9


@pytest.mark.parametrize("coords", ["icrs", "sky"])
def test_write_regions_icrs_and_fk5_only_on_request(tmp_path, coords):
    t = Table({"id": [1, 2, 3, 4], "x": np.arange(4.0), "y": np.arange(4.0), "ra": RA, "dec": DEC})
    frame, cen = _circles(write_regions(t, tmp_path / "s.reg", coords=coords))
    assert frame == "icrs" and np.abs(cen - np.column_stack([RA, DEC])).max() < 1e-9
    frame, cen = _circles(write_regions(t, tmp_path / "f.reg", coords="fk5"))
    assert frame in ("fk5", "j2000") and np.abs(cen[:2] - np.column_stack([RA, DEC])[:2]).max() > 1e-6
    t.write(tmp_path / "c.ecsv")
    res = CliRunner().invoke(app, ["info", str(tmp_path / "c.ecsv"), "--ds9", str(tmp_path / "x.reg"),
                                   "--ds9-coords", "icrs"])
    assert res.exit_code == 0 and _circles(tmp_path / "x.reg")[0] == "icrs", res.output
