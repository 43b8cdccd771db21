"""FITS cutouts' ``BUNIT`` and ``EXPTIME`` are read and said: a set mixing units is warned of.

Until 2026-12-06 a cutout folder's FITS headers were not looked at for units: a set where some cutouts are in
counts (``BUNIT = 'ELECTRONS'``) and some in counts/s, or in counts of different exposure times, was described
by its pixel range alone and normalised per cutout without a word. A per-stamp normalisation (zscore, zstd,
asinh, rgb) divides such a factor out, so the units do not matter to it (docs/io.md); one that keeps the scale
(``none``, ``flux``) hands it to the network. Now ``info`` says the units seen and warns of a mix, naming two
files with their units, and train/classify/calibrate/explain warn of it under ``none`` or ``flux``.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.cutout_folders import read_cutout_folder
from starclass.learn.config import get_preset
from starclass.learn.cutouts import check_pixel_scales

runner = CliRunner()


def _set(root: Path, headers: list[dict], *, in_extension: bool = False) -> Path:
    """A folder of 16 px FITS cutouts, two labels, one file per header (``c0.fits``, ``c1.fits``, ...)."""
    rng = np.random.default_rng(3)
    for i, head in enumerate(headers):
        folder = root / ("cluster" if i % 2 == 0 else "galaxy")
        folder.mkdir(parents=True, exist_ok=True)
        data = rng.normal(10.0, 1.0, (16, 16)).astype(np.float32)
        if in_extension:
            # HST's layout: EXPTIME in the primary header, BUNIT with the SCI image
            primary = fits.PrimaryHDU(header=fits.Header({k: v for k, v in head.items() if k != "BUNIT"}))
            sci = fits.ImageHDU(data, fits.Header({"BUNIT": head["BUNIT"]}), name="SCI")
            fits.HDUList([primary, sci]).writeto(folder / f"c{i}.fits")
        else:
            fits.PrimaryHDU(data, fits.Header(head)).writeto(folder / f"c{i}.fits")
    return root


@pytest.mark.parametrize("in_extension", [False, True])
def test_info_says_the_units_and_warns_of_a_mix_naming_two_files(tmp_path, in_extension):
    headers = [{"BUNIT": unit, "EXPTIME": t} for t in (400.0, 1200.0) for unit in ("ELECTRONS", "ELECTRONS/S")]
    root = _set(tmp_path / "set", headers, in_extension=in_extension)
    res = runner.invoke(app, ["info", str(root)])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert ("FITS units (BUNIT; EXPTIME of those in counts): counts (2 files, EXPTIME 400 .. 1200 s), "
            "counts/s (2 files)") in said, said
    assert ("warning: " in said and "FITS cutouts in 2 units: cluster/c0.fits in counts (EXPTIME 400 s), "
            "galaxy/c1.fits in counts/s") in said, said
    assert "normalisation 'none' or 'flux'" in said


def test_one_unit_is_said_without_a_warning(tmp_path):
    root = _set(tmp_path / "set", [{"BUNIT": "ELECTRONS/S", "EXPTIME": 400.0}, {"BUNIT": "e-/s", "EXPTIME": 900.0}])
    res = runner.invoke(app, ["info", str(root)])
    assert res.exit_code == 0, res.output
    assert "FITS units (BUNIT; EXPTIME of those in counts): counts/s (2 files)" in res.output, res.output
    assert "warning:" not in res.output  # a rate's exposure time is no factor between them


def test_counts_of_different_exposure_times_are_warned_of(tmp_path):
    root = _set(tmp_path / "set", [{"BUNIT": "COUNTS", "EXPTIME": 400.0}, {"BUNIT": "ct", "EXPTIME": 1200.0}])
    res = runner.invoke(app, ["info", str(root)])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert ("FITS cutouts in counts of different exposure times: cluster/c0.fits in counts (EXPTIME 400 s), "
            "galaxy/c1.fits in counts (EXPTIME 1200 s); the same source gives 3 times the counts") in said, said


def test_no_bunit_beside_a_bunit_is_a_mix(tmp_path):
    root = _set(tmp_path / "set", [{"BUNIT": "MJy/sr"}, {}])
    res = runner.invoke(app, ["info", str(root)])
    said = " ".join(res.output.split())
    assert "MJy/sr (1 file), no BUNIT (1 file)" in said and "galaxy/c1.fits in no BUNIT" in said, said


@pytest.mark.parametrize(("normalisation", "warned"), [("none", True), ("zscore", False), ("asinh", False)])
def test_training_warns_only_where_the_normalisation_keeps_the_scale(tmp_path, normalisation, warned):
    root = _set(tmp_path / "set", [{"BUNIT": "ELECTRONS", "EXPTIME": 400.0}, {"BUNIT": "ELECTRONS/S"}])
    cutouts = read_cutout_folder(root)
    assert [u[1] for u in cutouts.fits_units] == ["counts", "counts/s"]
    cfg = get_preset("m31-real").copy(normalisation=normalisation)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_pixel_scales(cutouts, cfg, "training")
    said = [str(w.message) for w in caught if "units" in str(w.message)]
    assert bool(said) == warned, said
    if warned:
        assert "cluster/c0.fits in counts (EXPTIME 400 s), galaxy/c1.fits in counts/s" in said[0]
        assert "normalisation 'none'" in said[0]
