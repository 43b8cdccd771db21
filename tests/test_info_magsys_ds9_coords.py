"""``starclass info --magsys`` and ``--ds9-coords`` where they do not apply: refused, not ignored (2026-12-05).

``info cat.csv --magsys ab``, ``info MODEL --magsys ab``, ``info cutouts/ --magsys ab`` and
``info cat.csv --ds9-coords fk5`` (no ``--ds9``) printed the summary, exit 0, as if the option had been
used: their defaults (vega, image) were not None, so a given option could not be told from the default.
They are None now (resolved to vega and image inside); ``--magsys`` applies where FITS mosaics are
described, ``--ds9-coords`` with ``--ds9``.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app


def _info(*args):
    return CliRunner().invoke(app, ["info", *map(str, args)])


def _refused(r, message: str) -> None:
    """Exit 2 and the one error line: no summary printed before it."""
    out = " ".join(r.output.split())
    assert r.exit_code == 2 and out == f"error: {message}", (r.exit_code, out)


def _mosaic(path):
    from astropy.wcs import WCS

    from starclass.bands import BANDS as BAND_INFO
    from starclass.io.mosaic import write_mosaic

    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval, w.wcs.crpix, w.wcs.cdelt = [10.0, 20.0], [10.0, 10.0], [-1.1e-5, 1.1e-5]
    path.parent.mkdir(parents=True, exist_ok=True)
    write_mosaic(path, np.ones((20, 20), "f4"), "f555w", w, photflam=BAND_INFO["f555w"].photflam,
                 photplam=BAND_INFO["f555w"].photplam)
    return path


def test_magsys_where_no_mosaics_are_read_is_refused(tmp_path):
    cat = tmp_path / "cat.csv"
    Table({"id": [1, 2], "x": [5.0, 9.0], "y": [3.0, 4.0], "class_ref": [1, 4]}).write(cat)
    said = "--magsys is the magnitude system of FITS mosaics' zeropoints; "
    _refused(_info(cat, "--magsys", "ab"), said + f"{cat} is not a FITS image")
    # a classified CSV without magnitudes is a catalogue as well
    classified = tmp_path / "out.csv"
    Table({"id": [1, 2], "x": [5.0, 9.0], "y": [3.0, 4.0], "class_pred": [1, 2], "p_max": [0.9, 0.6]}).write(
        classified)
    _refused(_info(classified, "--magsys", "vega"), said + f"{classified} is not a FITS image")

    cut = tmp_path / "cut"
    (cut / "cluster").mkdir(parents=True)
    np.save(cut / "cluster" / "a.npy", np.arange(64.0).reshape(8, 8))
    _refused(_info(cut, "--magsys", "ab"), said + f"{cut} is a cutout folder (images, no positions)")

    model = tmp_path / "m"
    model.mkdir()
    (model / "manifest.json").write_text("{}")  # refused before the model is read
    _refused(_info(model, "--magsys", "ab"), said + f"{model} is a trained model")

    cats = tmp_path / "cats"
    cats.mkdir()
    cat.rename(cats / "cat.csv")
    _refused(_info(cats, "--magsys", "ab"), said + f"{cats} holds no FITS mosaics")
    ev = tmp_path / "ev"  # a folder evaluate wrote (its mosaics, if any, are not what info describes there)
    ev.mkdir()
    (ev / "summary.json").write_text('{"headline": {"truth": {"4class": 0.5}}, "tables": [], "figures": []}')
    r = _info(ev, "--magsys", "ab")
    assert r.exit_code == 2 and " ".join(r.output.split()).startswith(f"error: {said}") and \
        "is not a set of FITS mosaics" in r.output and "accuracy" not in r.output, r.output
    # a bad value is named, whatever the path
    _refused(_info(cats, "--magsys", "st"), "--magsys must be vega or ab, got 'st'")
    assert _info(cats).exit_code == 0 and _info(cut).exit_code == 0


def test_magsys_on_mosaics_is_applied(tmp_path):
    image = _mosaic(tmp_path / "mos" / "f_f555w.fits")
    for path in (image, image.parent):
        r = _info(path, "--magsys", "ab")
        assert r.exit_code == 0 and "magnitudes AB" in r.output, r.output
        r = _info(path)
        assert r.exit_code == 0 and "magnitudes VEGA" in r.output, r.output
    # a field folder: its catalogue and its mosaics
    Table({"id": [1], "x": [5.0], "y": [3.0], "class_ref": [1]}).write(tmp_path / "mos" / "cat.csv")
    r = _info(tmp_path / "mos", "--magsys", "ab")
    assert r.exit_code == 0 and "magnitudes AB" in r.output, r.output


@pytest.mark.parametrize("coords", ["fk5", "image"])
def test_ds9_coords_without_ds9_is_refused(tmp_path, coords):
    cat = tmp_path / "cat.csv"
    Table({"id": [1, 2], "x": [5.0, 9.0], "y": [3.0, 4.0], "ra": [10.0, 10.001], "dec": [20.0, 20.001],
           "class_ref": [1, 4]}).write(cat)
    message = (f"--ds9-coords {coords} says the coordinates of the --ds9 region file; give --ds9 FILE too, "
               "or leave --ds9-coords out")
    _refused(_info(cat, "--ds9-coords", coords), message)
    _refused(_info(tmp_path, "--ds9-coords", coords), message)
    r = _info(cat, "--ds9", tmp_path / "r.reg", "--ds9-coords", coords)
    assert r.exit_code == 0 and (tmp_path / "r.reg").read_text().count("circle") == 2, r.output
    # without --ds9-coords the regions are in image pixels, as its help says
    r = _info(cat, "--ds9", tmp_path / "r2.reg")
    assert r.exit_code == 0 and "\nimage\n" in (tmp_path / "r2.reg").read_text(), r.output


def test_ds9_coords_follow_the_catalogue_and_a_missing_pair_is_said_before_the_summary(tmp_path):
    """``info radec.csv --ds9 r.reg`` printed the summary, then "image regions need column 'x'", exit 2;
    ``info xy.csv --ds9 r.reg --ds9-coords fk5`` "sky (fk5) regions need column 'ra'" after the summary."""
    radec, xy = tmp_path / "radec.csv", tmp_path / "xy.csv"
    Table({"id": [1, 2], "ra": [10.0, 10.001], "dec": [20.0, 20.001], "class_ref": [1, 4]}).write(radec)
    Table({"id": [1, 2], "x": [5.0, 9.0], "y": [3.0, 4.0], "class_ref": [1, 4]}).write(xy)
    r = _info(radec, "--ds9", tmp_path / "r.reg")
    text = (tmp_path / "r.reg").read_text() if (tmp_path / "r.reg").exists() else ""
    assert r.exit_code == 0 and text.count("circle") == 2 and "\nimage\n" not in text, r.output
    _refused(_info(xy, "--ds9", tmp_path / "x.reg", "--ds9-coords", "fk5"),
             f"--ds9-coords fk5 writes the catalogue's ra, dec; {xy} has no ra, dec (its positions are x, y): "
             "give --ds9-coords image")
    _refused(_info(radec, "--ds9", tmp_path / "x.reg", "--ds9-coords", "image"),
             f"--ds9-coords image writes the catalogue's x, y; {radec} has no x, y (its positions are ra, dec): "
             "give --ds9-coords icrs")  # fk5 until 2026-12-05: icrs writes the catalogue's numbers as they are
    assert not (tmp_path / "x.reg").exists()
