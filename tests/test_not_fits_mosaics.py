"""A file that is not FITS, given where FITS is read, is said to be no FITS file, in one wording.

Before, every reader passed on astropy's "No SIMPLE card found, this file does not appear to be a
valid FITS file. If this is really a FITS file, try with ignore_missing_simple=True": an option no
command offers, for a CSV or an HTML error page saved as ``.fits``.
"""

from __future__ import annotations

import gzip

import numpy as np
import pytest
from astropy.io import fits
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog
from starclass.io.mosaic import PixelFlags, read_mosaics

NOT_FITS = "is not a FITS file (its first bytes are not a FITS header)"


def _good(path):
    header = fits.Header({"PHOTFLAM": 1e-19, "PHOTPLAM": 5360.0, "FILTER": "F555W"})
    fits.PrimaryHDU(np.ones((16, 16), np.float32), header).writeto(path)
    return path


def _not_fits(path, how):
    if how == "text":
        path.write_text("id,x,y\n1,2,3\n")
    elif how == "gzip":
        path.write_bytes(gzip.compress(b"<html>404 Not Found</html>\n"))
    else:
        path.write_bytes(b"")
    return path


@pytest.mark.parametrize(("how", "name", "said"), [
    ("text", "g_f814w.fits", NOT_FITS),
    ("gzip", "g_f814w.fits.gz", NOT_FITS),
    ("empty", "g_f814w.fits", "is empty (0 bytes), not a FITS file"),
])
def test_read_mosaics_says_a_file_is_not_fits(tmp_path, how, name, said):
    bad = _not_fits(tmp_path / name, how)
    with pytest.raises(StarclassError) as exc:
        read_mosaics([_good(tmp_path / "g_f555w.fits"), bad], pixel_scale=0.04)
    assert f"{bad} {said}" in str(exc.value)
    assert "ignore_missing_simple" not in str(exc.value)


def test_mask_flags_and_catalogues_say_it_in_the_same_words(tmp_path):
    bad = _not_fits(tmp_path / "g_f814w.fits", "text")
    for read in (lambda: PixelFlags(dq_good_bits="0").bad(bad),
                 lambda: read_catalog(bad)):
        with pytest.raises(StarclassError) as exc:
            read()
        assert f"{bad} {NOT_FITS}" in str(exc.value), exc.value
        assert "ignore_missing_simple" not in str(exc.value)


@pytest.mark.parametrize("verb", ["detect", "info"])
def test_cli_names_the_file_exit_2(tmp_path, verb):
    bad = _not_fits(tmp_path / "g_f814w.fits", "text")
    args = [verb, str(_good(tmp_path / "g_f555w.fits")), str(bad)]
    if verb == "detect":
        args += ["-o", str(tmp_path / "cands.ecsv")]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 2, r.output
    assert NOT_FITS in r.output and "g_f814w.fits" in r.output and "ignore_missing_simple" not in r.output
    assert "Traceback" not in r.output
    assert not (tmp_path / "cands.ecsv").exists()
