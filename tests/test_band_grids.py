"""The band files of one object must lie on one sky grid, as their FITS WCS say.

An X-ray astronomer's candidates (Kosiba et al. 2020: XMM counts images and DSS plates) come as
FITS with a WCS each. A counts image of 7' on 64 px listed beside a DSS plate of 1.8' on 64 px
has one size and other skies: it was stacked pixel for pixel without a word, the plate's galaxies
laid over the X-ray source four times too large. It is now refused naming the row, both files
and the two pixel scales (exit 2, nothing written), with the reproject call that puts them on
one grid; files of different sizes with a WCS each get the same hint. Files on one grid (the
seed simulator's, or a plate reprojected onto the X-ray grid) read as before.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits
from astropy.wcs import WCS
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.errors import StarclassError
from starclass.io.cutout_folders import read_cutout_folder


def _header(scale_arcsec: float, n: int, *, rot_deg: float = 0.0, ra: float = 150.0) -> fits.Header:
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [ra, 2.0]
    w.wcs.crpix = [(n + 1) / 2, (n + 1) / 2]
    s = scale_arcsec / 3600
    c, si = np.cos(np.radians(rot_deg)), np.sin(np.radians(rot_deg))
    w.wcs.cd = np.array([[-s * c, s * si], [s * si, s * c]])
    return w.to_header()


def _folder(root, optical_scale: float, *, n: int = 6, optical_px: int = 32, rot_deg: float = 0.0,
            optical_wcs: bool = True, optical_ra: float = 150.0):
    """XMM-like int32 counts (7' on 32 px) and DSS-like int16 plates, each with its own WCS."""
    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    rows = ["file_xray,file_optical,label"]
    for i in range(n):
        fits.writeto(root / f"x{i}.fits", rng.poisson(0.5, (32, 32)).astype(np.int32), _header(420 / 32, 32))
        plate = rng.normal(6000, 100, (optical_px, optical_px)).astype(np.int16)
        head = _header(optical_scale, optical_px, rot_deg=rot_deg, ra=optical_ra) if optical_wcs else None
        fits.writeto(root / f"o{i}.fits", plate, head)
        rows.append(f"x{i}.fits,o{i}.fits,{1 + i % 2}")
    (root / "labels.csv").write_text("\n".join(rows) + "\n")
    return root / "labels.csv"


def test_a_plate_of_another_pixel_scale_and_the_same_size_is_refused_naming_row_files_and_scales(tmp_path):
    labels = _folder(tmp_path, 1.7)
    with pytest.raises(StarclassError) as err:
        read_cutout_folder(labels)
    msg = str(err.value)
    assert "row 1" in msg and "'x0.fits'" in msg and "'o0.fits'" in msg and "file_optical" in msg
    assert '1.7"/px' in msg and '13.1"/px' in msg and "different sky grids" in msg
    assert "reproject" in msg


def test_a_rotated_plate_is_another_grid(tmp_path):
    with pytest.raises(StarclassError, match="rotated"):
        read_cutout_folder(_folder(tmp_path, 420 / 32, rot_deg=30.0))


def test_train_refuses_it_with_exit_2_and_writes_nothing(tmp_path):
    labels = _folder(tmp_path / "gc", 1.7)
    out = tmp_path / "model"
    res = CliRunner().invoke(cli, ["train", "--task", "galaxy-cluster-compact", "--stamps", str(labels),
                                   "-o", str(out), "--epochs", "1"])
    assert res.exit_code == 2, res.output
    assert "different sky grids" in res.output and "Traceback" not in res.output
    assert not out.exists()


def test_files_on_one_grid_or_without_a_wcs_read_as_before(tmp_path):
    same = read_cutout_folder(_folder(tmp_path / "same", 420 / 32))
    assert same.images.shape == (6, 2, 32, 32)
    # a plate centred 0.4 px off (a catalogue position rounded to a pixel) is still one grid
    near = read_cutout_folder(_folder(tmp_path / "near", 420 / 32, optical_ra=150.0 + 0.4 * (420 / 32) / 3600))
    assert near.images.shape == (6, 2, 32, 32)
    bare = read_cutout_folder(_folder(tmp_path / "bare", 1.7, optical_wcs=False))
    assert bare.images.shape == (6, 2, 32, 32)  # nothing to compare: taken as it comes


def test_files_of_different_sizes_with_a_wcs_each_are_told_how_to_reproject(tmp_path):
    with pytest.raises(StarclassError) as err:
        read_cutout_folder(_folder(tmp_path, 1.7, optical_px=247))
    msg = str(err.value)
    assert "band files of different sizes" in msg and "reproject_interp" in msg
    assert "reproject_adaptive(conserve_flux=True)" in msg
