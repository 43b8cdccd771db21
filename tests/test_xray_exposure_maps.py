"""X-ray exposure maps: zero exposure is no data, for cutouts and for mosaics; counts stay counts.

An X-ray counts image holds 0 in its chip gaps and beyond the field of view, where nothing was
observed. A FITS cutout's ``EXPOSURE`` extension was never read (the gap's zeros went to the network
as an empty sky), and a file of an empty primary, the exposure map and then the counts handed the
exposure map to the network as the image. A mosaic's exposure map in its own file
(``xmm_xray_exp.fits``) was left out of a folder scan as ancillary and never read. Now the image is
taken by name, pixels of zero exposure are NaN (left out of the normalisation, 0 in the model's
input), said once per folder, and the counts are not divided by the exposure (the seed papers'
networks and the simulators take counts images: seed 004 leaves "count-rate images (without CCD
gaps)" as an open question).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from astropy.io import fits
from astropy.wcs import WCS

from starclass.errors import StarclassError
from starclass.io.cutout_folders import read_cutout_folder
from starclass.io.mosaic import read_mosaics

GAP = slice(14, 17)  # a chip gap's columns


def _counts_and_exposure(n=32, seed=0):
    rng = np.random.default_rng(seed)
    counts = rng.poisson(2.0, (n, n)).astype(np.int32)
    counts[:, GAP] = 0
    exposure = np.full((n, n), 9000.0, np.float32)
    exposure[:, GAP] = 0.0
    return counts, exposure


def test_a_cutout_s_exposure_extension_marks_its_chip_gap_as_no_data(tmp_path):
    counts, exposure = _counts_and_exposure()
    fits.HDUList([fits.PrimaryHDU(counts), fits.ImageHDU(exposure, name="EXPOSURE")]).writeto(tmp_path / "a.fits")
    fits.writeto(tmp_path / "b.fits", counts)  # no exposure map: read as before
    (tmp_path / "labels.csv").write_text("file,label\na.fits,1\nb.fits,2\n")
    with pytest.warns(UserWarning, match="carries an exposure map") as got:
        cut = read_cutout_folder(tmp_path / "labels.csv")
    said = [str(w.message) for w in got if "exposure" in str(w.message)]
    assert len(said) == 1 and "row 1 a.fits: EXPOSURE" in said[0] and "not divided by the exposure" in said[0]
    a, b = cut.images[0, 0], cut.images[1, 0]
    assert np.isnan(a[:, GAP]).all() and not np.isnan(np.delete(a, np.r_[GAP], axis=1)).any()
    # counts, not count rates
    np.testing.assert_array_equal(np.delete(a, np.r_[GAP], axis=1), np.delete(counts, np.r_[GAP], axis=1))
    assert not np.isnan(b).any()


def test_the_counts_are_read_not_an_exposure_map_listed_before_them(tmp_path):
    counts, exposure = _counts_and_exposure()
    fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(exposure, name="EXPOSURE"),
                  fits.ImageHDU(counts, name="IMAGE")]).writeto(tmp_path / "a.fits")
    (tmp_path / "labels.csv").write_text("file,label\na.fits,1\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        img = read_cutout_folder(tmp_path / "labels.csv").images[0, 0]
    assert np.nanmax(img) == counts.max() < 100  # the exposure map is 9000 s


def test_an_exposure_map_of_other_pixels_is_refused_by_name(tmp_path):
    counts, _ = _counts_and_exposure()
    fits.HDUList([fits.PrimaryHDU(counts), fits.ImageHDU(np.ones((16, 16)), name="EXPOSURE")]).writeto(
        tmp_path / "a.fits")
    (tmp_path / "labels.csv").write_text("file,label\na.fits,1\n")
    with pytest.raises(StarclassError, match=r"a\.fits.*EXPOSURE map is 16 x 16 px but its image 32 x 32 px"):
        read_cutout_folder(tmp_path / "labels.csv")


@pytest.mark.parametrize("names", [("xmm_xray.fits", "xmm_xray_exp.fits"), ("pn_img.fits", "pn_exp.fits")])
def test_a_mosaic_s_exposure_map_beside_it_masks_the_chip_gap(tmp_path, names):
    counts, exposure = _counts_and_exposure(64, seed=1)
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [150.0, 2.0]
    w.wcs.crpix = [32.5, 32.5]
    w.wcs.cdelt = [-2.5 / 3600, 2.5 / 3600]
    head = w.to_header()
    head["FILTER"], head["MAGZERO"] = "xray", 25.0
    fits.writeto(tmp_path / names[0], counts.astype(np.float32), head)
    fits.writeto(tmp_path / names[1], exposure, head)
    ms = read_mosaics(tmp_path)
    assert ms.bands == ["xray"]  # the exposure map is no band
    bad = ms.mask("xray")
    assert bad[:, GAP].all() and not np.delete(bad, np.r_[GAP], axis=1).any()


def test_an_exposure_map_column_that_is_not_read_is_named(tmp_path):
    counts, exposure = _counts_and_exposure()
    fits.writeto(tmp_path / "c.fits", counts)
    fits.writeto(tmp_path / "e.fits", exposure)
    (tmp_path / "labels.csv").write_text("file_xray,file_exposure,label\nc.fits,e.fits,1\n")
    with pytest.warns(UserWarning, match=r"column file_exposure \(an exposure map\?\) not read"):
        cut = read_cutout_folder(tmp_path / "labels.csv", bands=["xray"])
    assert cut.images.shape[1] == 1
