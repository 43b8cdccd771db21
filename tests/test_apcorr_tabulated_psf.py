"""A band whose aperture-correction PSF falls back to the tabulated one is named (meta and `detect`).

Without 15 sources of S/N >= 30 in a band (a blue or UV band of a small HST field), its PSF for the
aperture correction is starclass.bands' table value, not its own: on a 512 px HST-like field whose
F435W PSF measured 2.67 px on the whole simulated field, the table's 2.0 px made its totals 0.10 mag
too faint, and nothing said so. Now `measure` records the band and the FWHM it took in
``meta["apcorr_psf_tabulated"]`` and `detect` warns, naming the band.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from astropy.wcs import WCS
from typer.testing import CliRunner

from starclass.bands import BANDS
from starclass.cli import app
from starclass.detect import ArrayMosaics, measure
from starclass.io.mosaic import write_mosaic

runner = CliRunner()
N = 240
EXPTIME = 1000.0  # s: the stars' Poisson noise stays small
STARS = [(20.0 + 40 * i, 20.0 + 40 * j) for i in range(6) for j in range(6)]


def _images() -> dict[str, np.ndarray]:
    """36 stars of a 2.7 px Gaussian PSF: bright in F555W, too faint for a locus in F814W."""
    yy, xx = np.mgrid[:N, :N]
    rng = np.random.default_rng(0)
    s2 = (2.7 / 2.3548) ** 2
    out = {}
    for band, total in (("f555w", 60.0), ("f814w", 0.5)):
        img = 0.3 + rng.normal(0.0, 0.02, (N, N))
        for x0, y0 in STARS:
            img += total / (2 * np.pi * s2) * np.exp(-((xx - x0) ** 2 + (yy - y0) ** 2) / (2 * s2))
        out[band] = img.astype(np.float32)
    return out


def test_measure_records_the_bands_whose_psf_is_the_table_value():
    ms = ArrayMosaics(_images(), {"f555w": 25.0, "f814w": 25.0}, exptime={"f555w": EXPTIME, "f814w": EXPTIME})
    out = measure(ms, Table({"id": np.arange(1, 37), "x": [s[0] for s in STARS], "y": [s[1] for s in STARS]}))
    fwhm = out.meta["apcorr_psf_fwhm_px"]
    assert fwhm["f814w"] == BANDS["f814w"].psf_fwhm_px and out.meta["apcorr_psf_source"] == "stars"  # V: its own
    assert out.meta["apcorr_psf_tabulated"] == {"f814w": BANDS["f814w"].psf_fwhm_px}  # no such key before


def test_detect_warns_naming_the_band(tmp_path):
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval, w.wcs.crpix = [65.0, -54.9], [N / 2 + 0.5, N / 2 + 0.5]
    w.wcs.cd = np.array([[-0.04, 0.0], [0.0, 0.04]]) / 3600
    (tmp_path / "f").mkdir()
    for band, img in _images().items():
        write_mosaic(tmp_path / "f" / f"m_{band}.fits", img, band, w, photflam=BANDS[band].photflam,
                     photplam=BANDS[band].photplam, exptime=EXPTIME)
    r = runner.invoke(app, ["detect", str(tmp_path / "f"), "-o", str(tmp_path / "c.ecsv"), "--quiet"])
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    assert "warning: f814w: too few bright stars (15 of S/N >= 30 needed) to measure its PSF" in text, r.output
    assert "(2.1 px FWHM)" in text and "--aperture-correction none gives aperture magnitudes" in text, r.output
    assert "f555w (1.9 px FWHM)" not in text  # the V band has its own


def test_the_warning_says_what_to_know_and_do_in_one_short_sentence():
    # on a 512 px simulated field (five bands) docs/detect.md's first command warned in 460 characters of a
    # "stellar CI locus of their own", starclass.bands and a Python call; what the user must know is which
    # bands, that their totals assume a tabulated PSF and how far off they may be, and the option to use
    from starclass.detect.photometry import tabulated_psf_message

    five = {"f555w": 1.9, "f275w": 2.3, "f336w": 2.1, "f438w": 2.0, "f814w": 2.1}
    said = tabulated_psf_message(five)
    assert said.startswith("f555w, f275w, f336w, f438w, f814w: "), said
    assert "(1.9, 2.3, 2.1, 2, 2.1 px FWHM)" in said and "--aperture-correction none" in said, said
    assert "psf_fwhm=" not in said and "locus" not in said, said  # a Python call and jargon on the command line
