"""``cutouts`` names a missing catalogue before a missing mosaic, in the words classify and calibrate use.

``starclass cutouts nofield -c nope.ecsv -o s.h5`` said 'mosaic file not found: nofield' (the mosaic reader's
words) and never the catalogue; classify and calibrate check their inputs through
``starclass.cli._app.check_image_inputs``: the catalogue first, then each mosaic, 'PATH: no such file or directory'.
"""

from __future__ import annotations

import numpy as np
from astropy.io import fits
from typer.testing import CliRunner

from starclass.cli import app


def _run(tmp_path, *argv) -> tuple[int, str]:
    res = CliRunner().invoke(app, ["cutouts", *map(str, argv)])
    return res.exit_code, res.stderr


def test_cutouts_names_the_missing_catalogue_first(tmp_path):
    code, err = _run(tmp_path, tmp_path / "nofield", "-c", tmp_path / "nope.ecsv", "-o", tmp_path / "s.h5")
    assert code == 2 and f"error: catalogue {tmp_path / 'nope.ecsv'}: no such file or directory" in err, err
    assert "Traceback" not in err and "nofield" not in err
    assert not (tmp_path / "s.h5").exists()


def test_cutouts_then_names_a_missing_mosaic_as_classify_does(tmp_path):
    (tmp_path / "c.ecsv").write_text("# %ECSV 1.0\n")
    fits.PrimaryHDU(np.zeros((8, 8), np.float32)).writeto(tmp_path / "f555w.fits")
    code, err = _run(tmp_path, tmp_path / "f555w.fits", tmp_path / "f814w.fits", "-c", tmp_path / "c.ecsv",
                     "-o", tmp_path / "s.h5")
    assert code == 2 and f"error: mosaic {tmp_path / 'f814w.fits'}: no such file or directory" in err, err
    assert not (tmp_path / "s.h5").exists()

