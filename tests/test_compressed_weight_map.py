"""A weight map stored compressed beside a plain image is read (or refused by name), not passed over.

Until 2026-12-06 the weight map beside ``x_f555w.fits`` was looked for under the image's own suffix only, so
``x_f555w_wht.fits.gz`` / ``.fits.fz`` / ``.fits.Z`` were ignored without a word: ``info DIR`` said "no weight
map" and the zero-weight pixels (a chip gap) were read as data.
"""

from __future__ import annotations

import gzip

import numpy as np
import pytest
from astropy.io import fits
from typer.testing import CliRunner

import starclass.io.mosaic as mosaic
from starclass.cli import app
from starclass.errors import StarclassError

runner = CliRunner()

HEADER = {"FILTER": "F555W", "PHOTFLAM": 1.9e-19, "PHOTPLAM": 5308.0, "BUNIT": "ELECTRONS/S"}


def _field(folder, image, weight):
    data = np.random.default_rng(0).normal(1.0, 0.1, (30, 40)).astype(np.float32)  # no zero padding
    wht = np.ones_like(data)
    wht[:, :7] = 0.0  # a chip gap: no data, though the image holds values there
    fits.writeto(folder / image, data, fits.Header(HEADER))
    plain = folder / "plain_weight.fits"
    fits.writeto(plain, wht)
    target = folder / weight
    if weight.endswith(".gz"):
        target.write_bytes(gzip.compress(plain.read_bytes()))
    elif weight.endswith(".fz"):
        fits.HDUList([fits.PrimaryHDU(), fits.CompImageHDU(wht)]).writeto(target)
    elif weight.endswith(".Z"):
        # the LZW magic: astropy tells the compression by these bytes
        target.write_bytes(b"\x1f\x9d\x90" + plain.read_bytes()[:200])
    else:
        plain.rename(target)
    plain.unlink(missing_ok=True)
    return target


@pytest.mark.parametrize("image, weight", [
    ("x_f555w.fits", "x_f555w_wht.fits.gz"),
    ("x_f555w.fits", "x_f555w_wht.fits.fz"),
    ("x_f555w_sci.fits", "x_f555w_wht.fits.gz"),
    ("x_f555w.fits.gz", "x_f555w_wht.fits"),
    ("X_F555W_SCI.FITS", "X_F555W_WHT.FITS.gz"),
])
def test_a_compressed_weight_map_is_read(tmp_path, image, weight):
    _field(tmp_path, image, weight)
    ms = mosaic.read_mosaics(tmp_path)
    assert ms.bands == ["f555w"]
    assert ms.weights["f555w"] is not None
    assert ms.mask("f555w").sum() == 7 * 30
    res = runner.invoke(app, ["info", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert "f555w   weight map" in res.output and "no weight map" not in res.output, res.output


def test_a_compress_weight_map_without_uncompresspy_is_refused_by_name(tmp_path, monkeypatch):
    monkeypatch.setattr(mosaic, "_astropy_reads_lzw", lambda: False)
    weight = _field(tmp_path, "x_f555w.fits", "x_f555w_wht.fits.Z")
    # the reader every command shares (info refused the file already, scanning the folder for unopenable files)
    with pytest.raises(StarclassError) as err:
        mosaic.read_mosaics(tmp_path)
    assert f"{weight} is compressed with Unix compress (.Z)" in str(err.value), err.value
    res = runner.invoke(app, ["info", str(tmp_path)])
    assert res.exit_code == 2, res.output
    said = " ".join(res.output.split())
    assert f"{weight} is compressed with Unix compress (.Z)" in said and "Traceback" not in said, said
    assert "no weight map" not in said
