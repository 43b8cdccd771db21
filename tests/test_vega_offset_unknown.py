"""A band whose AB - Vega offset starclass does not know (ACS F658N, WFC3/UVIS F390W...) on the Vega system.

(Written for ACS F475W, whose offset starclass knows since 2026-12-05: tests/test_camera_vega_offsets.py;
the same checks now use ACS's narrow F658N, still unknown.)

Before: `read_mosaics` refused it even with ``require_zeropoint=False``, so `starclass info` on an ACS
F475W drizzled file exited 2 instead of describing it (and `cutouts`, and commands whose model needs
no zeropoint, stopped too), and the message ("give its Vega zeropoint, or use magsys='ab'") named a
Python argument and a zeropoint no option takes. Now a command that needs no zeropoint reads the band
with none (NaN, the reason shown by `info`), and one that needs it is refused naming `--magsys ab`.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits
from astropy.wcs import WCS
from typer.testing import CliRunner

from starclass.bands import ab_zeropoint
from starclass.cli import app
from starclass.io.mosaic import read_mosaics

runner = CliRunner()
PHOTFLAM, PHOTPLAM = 1.954e-18, 6584.0  # ACS/WFC F658N


def _acs_f658n(path):
    n = 64
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval, w.wcs.crpix = [65.0, -54.9], [32.5, 32.5]
    w.wcs.cd = np.array([[-0.04, 0.0], [0.0, 0.04]]) / 3600
    yy, xx = np.mgrid[:n, :n]
    img = 0.3 + np.random.default_rng(0).normal(0, 0.02, (n, n)) + 8.0 * np.exp(-((xx - 30) ** 2 + (yy - 34) ** 2) / 3)
    sci = w.to_header()
    sci.update({"BUNIT": "ELECTRONS/S", "PHOTFLAM": PHOTFLAM, "PHOTPLAM": PHOTPLAM})
    primary = fits.Header({"TELESCOP": "HST", "INSTRUME": "ACS", "FILTER1": "F658N", "FILTER2": "CLEAR2L",
                           "EXPTIME": 500.0})
    fits.HDUList([fits.PrimaryHDU(header=primary), fits.ImageHDU(img.astype(np.float32), sci, name="SCI"),
                  fits.ImageHDU(np.ones((n, n), np.float32), w.to_header(), name="WHT")]).writeto(path)
    return path


def test_info_describes_a_band_without_a_vega_offset(tmp_path):
    path = _acs_f658n(tmp_path / "jcdu04010_drc.fits")
    r = runner.invoke(app, ["info", str(path)])
    assert r.exit_code == 0, r.output  # exit 2 before: "no AB - Vega offset known for band 'f475w' ..."
    assert "mosaics: 1 band: f658n" in r.output
    assert "zeropoint      nan" in r.output, r.output
    assert "(none: no AB - Vega offset known for band 'f658n'" in r.output, r.output
    ms = read_mosaics(path, require_zeropoint=False)  # what cutouts reads
    assert np.isnan(ms.zeropoint["f658n"])


def test_detect_names_magsys_ab_and_measures_in_ab_with_it(tmp_path):
    path = _acs_f658n(tmp_path / "jcdu04010_drc.fits")
    out = tmp_path / "c.ecsv"
    r = runner.invoke(app, ["detect", str(path), "-o", str(out)])
    assert r.exit_code == 2 and not out.exists(), r.output
    text = " ".join(r.output.split())
    assert "no AB - Vega offset known for band 'f658n'" in text and "jcdu04010_drc.fits" in text
    assert "--magsys ab" in text  # "use magsys='ab'" before, no option named
    assert read_mosaics(path, magsys="ab").zeropoint["f658n"] == pytest.approx(ab_zeropoint(PHOTFLAM, PHOTPLAM))
    r = runner.invoke(app, ["detect", str(path), "-o", str(out), "--magsys", "ab", "--quiet"])
    assert r.exit_code == 0 and out.exists(), r.output
