"""FITS cutouts of Pan-STARRS1 stacks store asinh(flux) (BSOFTEN, BOFFSET): read as linear flux.

PS1's formula (IPP wiki, "asinh compression"; STScI PS1 archive wiki, "PS1 Image Cutout Service"):
stored = a asinh((flux - BOFFSET) / (2 BSOFTEN)), a = 2.5 log10(e), so flux = BOFFSET + BSOFTEN * 2 sinh(stored / a).
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits

from starclass.errors import StarclassError
from starclass.io.cutout_folders import read_cutout_folder, read_image


def _ps1_stamp(rng, size: int = 16) -> np.ndarray:
    yy, xx = np.mgrid[:size, :size]
    star = 5000.0 * np.exp(-((xx - size / 2) ** 2 + (yy - size / 2) ** 2) / (2 * 1.5**2))
    return (star + rng.normal(0.0, 20.0, (size, size))).astype(np.float64)


def _asinh(flux: np.ndarray, soften: float, offset: float) -> np.ndarray:
    # as the PS1 pipeline writes a stack: by the documented formula, not by starclass
    return (2.5 * np.log10(np.e) * np.arcsinh((flux - offset) / (2.0 * soften))).astype(np.float32)


def test_a_csv_of_ps1_asinh_cutouts_is_read_as_linear_flux(tmp_path):
    """The stored asinh values reached the network as if linear: a 5000-count star read as about 6."""
    rng = np.random.default_rng(3)
    lines, truth = ["file,label"], []
    for k in range(3):
        flux = _ps1_stamp(rng)
        soften, offset = 30.0 + k, 2.0 * k
        head = {"FILTER": "i.00000", "HIERARCH FPA.ZP": 25.0, "EXPTIME": 1290.0, "BSOFTEN": soften, "BOFFSET": offset}
        fits.writeto(tmp_path / f"ps1_{k}.fits", _asinh(flux, soften, offset), fits.Header(head))
        lines.append(f"ps1_{k}.fits,{k % 2}")
        truth.append(flux)
    (tmp_path / "labels.csv").write_text("\n".join(lines) + "\n")
    cutouts = read_cutout_folder(tmp_path / "labels.csv")
    got = cutouts.images[:, 0]
    # float32 storage of the asinh values: relative precision ~1e-7 on the stored value, a few 1e-5 of the flux
    np.testing.assert_allclose(got, np.stack(truth), rtol=1e-4, atol=0.05)
    # an image extension under an empty primary (keywords in the primary header) is linearised too
    hdr = fits.Header({"BSOFTEN": 30.0, "BOFFSET": 0.0})
    fits.HDUList([fits.PrimaryHDU(header=hdr), fits.ImageHDU(_asinh(truth[0], 30.0, 0.0))]).writeto(tmp_path / "x.fits")
    np.testing.assert_allclose(read_image(tmp_path / "x.fits")[0], truth[0], rtol=1e-4, atol=0.05)


def test_a_linear_fits_cutout_is_kept_as_stored(tmp_path):
    data = np.arange(16.0, dtype=np.float32).reshape(4, 4)
    fits.writeto(tmp_path / "linear.fits", data, fits.Header({"FILTER": "i.00000"}))
    np.testing.assert_array_equal(read_image(tmp_path / "linear.fits")[0], data)


def test_a_half_stated_asinh_scaling_is_refused_naming_file_and_row(tmp_path):
    fits.writeto(tmp_path / "a.fits", np.zeros((8, 8), np.float32), fits.Header({"BSOFTEN": 30.0}))
    fits.writeto(tmp_path / "b.fits", np.zeros((8, 8), np.float32), fits.Header({"BSOFTEN": 30.0}))
    (tmp_path / "labels.csv").write_text("file,label\nb.fits,0\na.fits,1\n")
    # both files lack BOFFSET; the first row read is named
    with pytest.raises(StarclassError, match=r"labels.csv: row 1 .*'b.fits'.*BOFFSET = None.*need both"):
        read_cutout_folder(tmp_path / "labels.csv")
