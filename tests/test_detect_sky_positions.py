"""detect's sky output: ICRS ra, dec on an FK5 mosaic, and DS9 regions labelled with the ids.

On a mosaic whose WCS says RADESYS='FK5' (EQUINOX 2000) detect wrote the WCS's FK5 numbers as ``ra``,
``dec``, which the schema and every reader take as ICRS: the catalogue, given back as a sky-only list,
was cut 0.35 px off the detected sources at this field's position (14-30 mas elsewhere). And
``--regions`` wrote circles without labels, so the file read back as a catalogue numbered the sources
1..N in file order instead of detect's ids.
"""

from __future__ import annotations

import astropy.units as u
import numpy as np
from astropy.coordinates import SkyCoord
from astropy.table import Table
from astropy.wcs import WCS
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.io.catalog import read_catalog
from starclass.io.mosaic import write_mosaic
from starclass.stamps.store import StampStore

N = 128
SOURCES = np.array([[20.3, 30.7], [64.2, 64.9], [100.1, 40.4], [40.6, 100.2], [90.5, 95.5]])


def _wcs(radesys: str) -> WCS:
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [65.0, -54.9]
    w.wcs.crpix = [(N + 1) / 2, (N + 1) / 2]
    w.wcs.cd = np.array([[-0.04, 0.0], [0.0, 0.04]]) / 3600
    w.wcs.radesys = radesys
    if radesys == "FK5":
        w.wcs.equinox = 2000.0
    return w


def _field(folder, radesys: str = "FK5"):
    folder.mkdir()
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[:N, :N]
    img = sum(50 * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * 1.2 ** 2)) for x, y in SOURCES)
    for band in ("f555w", "f814w"):
        write_mosaic(folder / f"f_{band}.fits", (img + rng.normal(0.1, 0.01, (N, N))).astype(np.float32), band,
                     _wcs(radesys), photflam=1.9e-19, photplam=5308.0, exptime=400.0)
    return folder


def _run(*args: str):
    res = CliRunner().invoke(cli, [*args, "--no-progress"])
    assert res.exit_code == 0, res.output
    return res


def test_detect_on_an_fk5_mosaic_writes_icrs_and_the_round_trip_cuts_at_the_detected_pixel(tmp_path):
    field = _field(tmp_path / "field")
    cat = tmp_path / "cat.ecsv"
    _run("detect", str(field), "-o", str(cat))
    found = Table.read(cat)
    assert len(found) == len(SOURCES)
    x, y = np.asarray(found["x"], float), np.asarray(found["y"], float)
    expect = _wcs("FK5").pixel_to_world(x, y).icrs
    got = SkyCoord(np.asarray(found["ra"], float) * u.deg, np.asarray(found["dec"], float) * u.deg, frame="icrs")
    assert got.separation(expect).to(u.mas).max() < 0.1 * u.mas  # old: the FK5 numbers, 14 mas off
    # detect -> catalogue (sky only) -> stamps: centred where detect found the sources
    sky = tmp_path / "sky.csv"
    found["id", "ra", "dec"].write(sky)
    stamps = tmp_path / "st.h5"
    _run("cutouts", str(field), "--catalog", str(sky), "-o", str(stamps), "--size", "16")
    t = StampStore(stamps).table
    assert t["id"].tolist() == found["id"].tolist()
    assert np.hypot(np.asarray(t["x"]) - x, np.asarray(t["y"]) - y).max() < 0.01  # old: 0.35 px


def test_an_icrs_mosaic_keeps_its_numbers(tmp_path):
    field = _field(tmp_path / "field", "ICRS")
    cat = tmp_path / "cat.ecsv"
    _run("detect", str(field), "-o", str(cat))
    found = Table.read(cat)
    ra, dec = _wcs("ICRS").all_pix2world(np.asarray(found["x"], float), np.asarray(found["y"], float), 0)
    assert np.allclose(found["ra"], ra, rtol=0, atol=1e-10) and np.allclose(found["dec"], dec, rtol=0, atol=1e-10)


def test_detect_regions_are_labelled_with_the_ids_and_read_back_with_them(tmp_path):
    field = _field(tmp_path / "field")
    given = tmp_path / "pos.csv"
    # ids as a team's list numbers them (not 1..N in order): kept by detect --positions
    Table({"id": [101, 7, 55, 3, 40], "x": SOURCES[:, 0], "y": SOURCES[:, 1]}).write(given)
    cat, reg = tmp_path / "cat.ecsv", tmp_path / "cat.reg"
    _run("detect", str(field), "--positions", str(given), "-o", str(cat), "--regions", str(reg))
    found = Table.read(cat)
    assert found["id"].tolist() == [101, 7, 55, 3, 40]
    back = read_catalog(reg)
    assert back["id"].tolist() == found["id"].tolist()  # old: 1, 2, 3, 4, 5
    assert "text={101}" in reg.read_text()
    assert np.allclose(back["x"], found["x"], atol=1e-6) and np.allclose(back["y"], found["y"], atol=1e-6)
