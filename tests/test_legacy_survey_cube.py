"""A Legacy Survey FITS cutout: one image ``(3, H, W)`` of g, r, z planes, named in its header (BAND0..BAND2).

Built by hand as the survey's cutout service writes it (no such file was at hand). The planes are read in
stored order (plane 0 = g); the labelling page drew them as red, green, blue in that order (g red, z blue,
the reverse of the convention), and so it drew ``file_g``, ``file_r``, ``file_z`` columns, since r and z
had no known wavelength. A task naming the bands in another order than the cubes' headers was not told.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from astropy.io import fits
from PIL import Image

from starclass.errors import StarclassError
from starclass.io.cutout_folders import read_cutout_folder, read_image
from starclass.learn.config import load_config

SIZE = 16


def _cube(bright: str) -> np.ndarray:
    """A g, r, z cube with sky 1 in every plane and a source in plane ``bright`` only."""
    cube = np.ones((3, SIZE, SIZE), np.float32) + np.random.default_rng(0).normal(0, 0.01, (3, SIZE, SIZE))
    yy, xx = np.mgrid[:SIZE, :SIZE]
    cube["grz".index(bright)] += 50 * np.exp(-((xx - 7.5) ** 2 + (yy - 7.5) ** 2) / 4.0)
    return cube.astype(np.float32)


def _header(order: str = "grz") -> fits.Header:
    h = fits.Header()
    h["BANDS"] = order
    for k, b in enumerate(order):
        h[f"BAND{k}"] = b
    return h


def _folder(root, n: int = 4, order: str = "grz", bright: str = "z"):
    root.mkdir(parents=True, exist_ok=True)
    rows = ["file,label"]
    for i in range(n):
        fits.writeto(root / f"o{i}.fits", _cube(bright), _header(order))
        rows.append(f"o{i}.fits,{'cluster' if i % 2 else 'galaxy'}")
    (root / "labels.csv").write_text("\n".join(rows) + "\n")
    return root / "labels.csv"


def _task(tmp_path, bands: str):
    p = tmp_path / f"{bands.replace(', ', '')}.yaml"
    p.write_text(f"extends: m31-real\nname: ls-{bands.replace(', ', '')}\nbands: [{bands}]\n")
    return load_config(p)


def test_the_planes_are_read_in_stored_order_and_named_by_the_header(tmp_path):
    from starclass.io.cutout_folders import fits_plane_bands

    labels = _folder(tmp_path / "data", bright="z")
    a = read_image(tmp_path / "data" / "o0.fits")
    assert a.shape == (3, SIZE, SIZE) and a[2].max() > 40 and a[0].max() < 2  # plane 2 is z, as stored
    assert fits_plane_bands(tmp_path / "data" / "o0.fits") == ["g", "r", "z"]
    fits.writeto(tmp_path / "bands_only.fits", _cube("g"), fits.Header({"BANDS": "grz"}))
    assert fits_plane_bands(tmp_path / "bands_only.fits") == ["g", "r", "z"]
    fits.writeto(tmp_path / "plain.fits", _cube("g"))
    assert fits_plane_bands(tmp_path / "plain.fits") is None
    cs = read_cutout_folder(labels, bands=["g", "r", "z"])
    assert cs.plane_bands == ["g", "r", "z"] and cs.images.shape == (4, 3, SIZE, SIZE)


def _composite(cutout_list, tmp_path) -> np.ndarray:
    from starclass.inspect.cutouts import cutout_cache

    cache = cutout_cache(cutout_list, tmp_path / "cache")
    cache.render(0)
    return np.asarray(Image.open(io.BytesIO(cache.path(0, "composite").read_bytes())).convert("RGB"), float), cache


@pytest.mark.parametrize("task_bands", ["g, r, z", "g"])
def test_the_page_draws_a_grz_cube_z_red_and_g_blue(tmp_path, task_bands):
    pytest.importorskip("fastapi")
    from starclass.inspect.cutouts import read_cutout_list

    cfg = _task(tmp_path, task_bands)
    rgb, cache = _composite(read_cutout_list(_folder(tmp_path / "data", bright="z"), cfg), tmp_path)
    assert cache.colour == (2, 1, 0) and cache.settings.rgb == ("z", "r", "g")
    h, w = rgb.shape[:2]
    centre = rgb[h // 2 - 4:h // 2 + 4, w // 2 - 4:w // 2 + 4].mean(axis=(0, 1))
    assert centre[0] > 200 and centre[2] < 100, centre  # the source, only in z, is red


def test_the_page_draws_file_g_r_z_columns_z_red(tmp_path):
    pytest.importorskip("fastapi")
    from starclass.inspect.cutouts import read_cutout_list

    root = tmp_path / "data"
    root.mkdir()
    rows = ["file_g,file_r,file_z,label"]
    for i in range(3):
        cube = _cube("z")
        for k, b in enumerate("grz"):
            fits.writeto(root / f"o{i}_{b}.fits", cube[k])
        rows.append(f"o{i}_g.fits,o{i}_r.fits,o{i}_z.fits,cluster")
    (root / "labels.csv").write_text("\n".join(rows) + "\n")
    rgb, cache = _composite(read_cutout_list(root / "labels.csv", _task(tmp_path, "g, r, z")), tmp_path)
    assert cache.colour == (2, 1, 0) and cache.settings.rgb == ("z", "r", "g")


def test_a_task_naming_the_bands_in_another_order_than_the_cubes_is_told(tmp_path):
    labels = _folder(tmp_path / "data")
    with pytest.warns(UserWarning, match=r"name their planes g, r, z \(BAND0...\), but task 'ls-zrg' names its bands "
                                         r"z, r, g: .*what task 'ls-zrg' takes for z is the cubes' g"):
        read_cutout_folder(labels, bands=["z", "r", "g"], bands_of="task 'ls-zrg'")
    # cubes of two orders in one folder: their planes would be mixed
    fits.writeto(tmp_path / "data" / "o1.fits", _cube("z")[::-1], _header("zrg"), overwrite=True)
    with pytest.raises(StarclassError, match=r"row 2.*o1.fits.*names its planes z, r, g.*row 1 .*'o0.fits' g, r, z"):
        read_cutout_folder(labels, bands=["g", "r", "z"])
