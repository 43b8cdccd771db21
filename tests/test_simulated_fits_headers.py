"""Simulated FITS cutouts say their unit, band and pixel scale, as real FITS cutouts do.

``simulate --preset cool-core`` and ``--preset galaxy-cluster`` wrote FITS files whose header held the
WCS alone: no ``BUNIT`` for X-ray images in counts, so ``info`` said "no BUNIT (N files)" of them and a
reader taking the unit from the header (``in_counts``) took them for values of no unit; no band and no
pixel scale a FITS viewer shows. Now the X-ray images carry ``BUNIT = 'count'``, every file ``BAND``,
``PIXSCALE`` (arcsec) and ``ORIGIN``; the galaxy-cluster optical plate (a photographic density, as a
DSS plate's, of no unit) has no ``BUNIT``. With the X-ray band in counts beside the optical band of no
unit, ``info`` warned "FITS cutouts in 2 units ... convert them to one unit": units are now compared
band by band, and a mix within one band is still warned of.

(``simulate --preset pandas-cutouts`` writes ZScale-stretched 8-bit PNGs, as the real PAndAS folder
is: no unit to give, and no FITS header.)
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from astropy.io import fits
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.cutout_folders import read_cutout_folder
from starclass.io.mosaic import in_counts
from starclass.learn.config import get_preset
from starclass.learn.cutouts import check_pixel_scales

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("sims")
    out = {}
    for preset in ("cool-core", "galaxy-cluster"):
        res = runner.invoke(app, ["simulate", str(root / preset), "--preset", preset, "--n", "4", "--size", "32"])
        assert res.exit_code == 0, res.output
        out[preset] = root / preset
    return out


@pytest.mark.parametrize(("preset", "band"), [("cool-core", None), ("galaxy-cluster", "xray")])
def test_the_xray_images_are_in_counts_with_their_band_and_pixel_scale(folders, preset, band):
    files = sorted((folders[preset] / "images").glob("*.fits" if band is None else f"*_{band}.fits"))
    assert len(files) == 4
    for f in files:
        head = fits.getheader(f)
        assert head.get("BUNIT") == "count" and in_counts(head), repr(head)
        assert head["BAND"] == "xray"
        # the pixel scale the WCS gives, in arcsec
        scale = abs(head.get("CD1_1", head.get("PC1_1", 0) * head.get("CDELT1", 1))) * 3600
        assert head["PIXSCALE"] == pytest.approx(scale, rel=1e-6)
        if preset == "cool-core":  # the simulation's own pixel (3.9" at 256 px, larger on a smaller cutout)
            config = json.loads((folders[preset] / "simulation.json").read_text())["config"]
            assert head["PIXSCALE"] == pytest.approx(config["pixel_arcsec"])


def test_the_optical_plate_has_a_band_and_no_unit(folders):
    for f in sorted((folders["galaxy-cluster"] / "images").glob("*_optical.fits")):
        head = fits.getheader(f)
        assert "BUNIT" not in head and head["BAND"] == "optical" and head["PIXSCALE"] > 0


def test_info_says_the_units_of_a_two_band_folder_without_a_mix(folders):
    res = runner.invoke(app, ["info", str(folders["galaxy-cluster"] / "labels.csv")])
    said = " ".join(res.output.split())
    assert res.exit_code == 0, said
    assert "FITS units (BUNIT; EXPTIME of those in counts): counts (4 files), no BUNIT (4 files)" in said, said
    assert "FITS cutouts in 2 units" not in said, said
    cc = " ".join(runner.invoke(app, ["info", str(folders["cool-core"] / "labels.csv")]).output.split())
    assert "FITS units (BUNIT; EXPTIME of those in counts): counts (4 files)" in cc, cc


def test_a_mix_within_one_band_is_still_warned_of(folders, tmp_path):
    """The guard: one X-ray file in counts/s among counts is a mix, band by band."""
    import shutil

    copy = tmp_path / "gc"
    shutil.copytree(folders["galaxy-cluster"], copy)
    path = copy / "images" / "sim_000001_xray.fits"
    with fits.open(path, mode="update") as hdul:
        hdul[0].header["BUNIT"] = "count/s"
    cutouts = read_cutout_folder(copy / "labels.csv")
    cfg = get_preset("galaxy-cluster").copy(normalisation="none", stamp_size=32)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_pixel_scales(cutouts, cfg, "training")
    said = [str(w.message) for w in caught if "units" in str(w.message)]
    assert said and "images/sim_000001_xray.fits in counts/s" in said[0], said


def test_two_bands_each_of_its_own_unit_are_no_mix(tmp_path):
    """A hand-made two-band folder: X-ray counts and an optical band in nanomaggies, each band of one unit."""
    rng = np.random.default_rng(1)
    rows = ["file_xray,file_optical,label"]
    for i in range(4):
        for band, unit in (("xray", "count"), ("optical", "nanomaggy")):
            fits.PrimaryHDU(rng.normal(5, 1, (16, 16)).astype(np.float32),
                            fits.Header({"BUNIT": unit})).writeto(tmp_path / f"c{i}_{band}.fits")
        rows.append(f"c{i}_xray.fits,c{i}_optical.fits,{1 + i % 2}")
    (tmp_path / "labels.csv").write_text("\n".join(rows) + "\n")
    res = runner.invoke(app, ["info", str(tmp_path / "labels.csv")])
    said = " ".join(res.output.split())
    assert res.exit_code == 0, said
    assert "counts (4 files), nanomaggies (4 files)" in said and "FITS cutouts in 2 units" not in said, said
