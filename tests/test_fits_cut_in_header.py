"""A FITS file cut short inside its header is said to be so, without astropy's VerifyWarning noise.

Before, a mosaic (or mask, or FITS catalogue) whose copy stopped inside the first header printed two
"WARNING: VerifyWarning: Error validating header for HDU #0 ... Header size is not multiple of 2880"
lines and then "cannot read FITS file X: Empty or corrupt FITS file", which does not say the file is
incomplete. io.mosaic.unreadable_fits now says "X is cut short inside its FITS header (N bytes)".
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits

from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog
from starclass.io.cutout_output import read_cutout_output
from starclass.io.mosaic import PixelFlags, read_mosaics

CUT = "is cut short inside its FITS header"


def _good(path, band="F555W"):
    header = fits.Header({"PHOTFLAM": 1e-19, "PHOTPLAM": 5360.0, "FILTER": band})
    for i in range(20):  # a header of more than one 80-byte card past the first block's start
        header[f"HIST{i}"] = i
    fits.PrimaryHDU(np.ones((16, 16), np.float32), header).writeto(path)
    return path


def _cut(path, keep):
    data = path.read_bytes()
    path.write_bytes(data[:keep])
    return path


def _end_offset(path):
    data = path.read_bytes()
    return next(i for i in range(0, len(data), 80) if data[i:i + 80] == b"END".ljust(80))


@pytest.mark.parametrize("where", ["inside the cards", "in the padding after END"])
def test_read_mosaics_says_the_header_is_cut_short_without_warnings(tmp_path, where):
    bad = _good(tmp_path / "g_f814w.fits", "F814W")
    keep = 1000 if where == "inside the cards" else _end_offset(bad) + 80 + 40
    assert keep < 2880
    _cut(bad, keep)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(StarclassError) as exc:
            read_mosaics([_good(tmp_path / "g_f555w.fits"), bad], pixel_scale=0.04)
    assert f"{bad} {CUT} ({keep} bytes)" in str(exc.value), exc.value
    assert "Empty or corrupt" not in str(exc.value)
    assert not [w for w in caught if "Error validating header" in str(w.message)], [str(w.message) for w in caught]


def test_mask_catalogue_and_predictions_say_it_in_the_same_words(tmp_path):
    bad = _cut(_good(tmp_path / "g_f814w.fits"), 500)
    for read in (lambda: PixelFlags(dq_good_bits="0").bad(bad), lambda: read_catalog(bad),
                 lambda: read_cutout_output(bad)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with pytest.raises(StarclassError) as exc:
                read()
        assert f"{bad} {CUT} (500 bytes)" in str(exc.value), exc.value
        assert not [w for w in caught if "Error validating header" in str(w.message)]


def test_a_whole_header_keeps_astropys_words(tmp_path):
    from starclass.io.mosaic import unreadable_fits

    good = _good(tmp_path / "g_f555w.fits")
    assert CUT not in unreadable_fits(good, OSError("something else"))


def test_info_cli_exit_2_no_verify_warning(tmp_path):
    bad = _cut(_good(tmp_path / "g_f814w.fits"), 1000)
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"), OMP_NUM_THREADS="1")
    r = subprocess.run([sys.executable, "-m", "starclass", "info", str(bad)], capture_output=True, text=True,
                       env=env, timeout=120)
    out = r.stdout + r.stderr
    assert r.returncode == 2, out
    assert f"{bad} {CUT} (1000 bytes)" in " ".join(out.split()), out
    assert "VerifyWarning" not in out and "Traceback" not in out, out
