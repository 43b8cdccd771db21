"""A cutout folder mixing picture files (scaled to 0-1) and FITS/NPY (values as stored, e.g. 0-1000).

``info`` printed "pixel values: 0 .. 1000" with no note: the FITS range, and nothing of the PNGs
having been divided by 255. It now says the range of each format and how it was read; under a
task of normalisation ``none`` (the network sees the values as read) ``train``, ``calibrate``,
``classify`` and ``explain`` refuse such a folder, exit 2, before any work.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits
from PIL import Image
from typer.testing import CliRunner

from conftest import write_untrained_model
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.cutout_folders import read_cutout_folder
from starclass.learn.config import get_preset

runner = CliRunner()


def _folder(root: Path, fits_scale: float = 1000.0) -> Path:
    """4 PNGs a label (8-bit) and, for cluster, 2 FITS of values up to ``fits_scale``; for galaxy 2 float NPY."""
    rng = np.random.default_rng(0)
    for label in ("cluster", "galaxy"):
        (root / label).mkdir(parents=True)
        for i in range(4):
            Image.fromarray((rng.random((16, 16)) * 255).astype(np.uint8)).save(root / label / f"p{i}.png")
    for i in range(2):
        fits.writeto(root / "cluster" / f"f{i}.fits", (rng.random((16, 16)) * fits_scale).astype(np.float32))
        np.save(root / "galaxy" / f"n{i}.npy", (rng.random((16, 16)) * fits_scale * 0.8).astype(np.float32))
    return root


def _range(files: list[Path], scale: float = 1.0) -> tuple[float, float]:
    vals = []
    for f in files:
        if f.suffix == ".png":
            vals.append(np.asarray(Image.open(f), float) / 255.0)
        elif f.suffix == ".fits":
            vals.append(fits.getdata(f).astype(float))
        else:
            vals.append(np.load(f).astype(float))
    return float(min(v.min() for v in vals)), float(max(v.max() for v in vals))


def test_info_says_each_formats_range_and_that_pictures_are_scaled(tmp_path):
    root = _folder(tmp_path / "mix")
    res = runner.invoke(app, ["info", str(root)])
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    png = _range(sorted(root.glob("*/*.png")))
    fit = _range(sorted(root.glob("*/*.fits")))
    npy = _range(sorted(root.glob("*/*.npy")))
    assert (f"PNG (8, pictures, scaled to 0-1 by their type's maximum) {png[0]:.4g} .. {png[1]:.4g}" in out
            or f"PNG (8 cutouts, pictures, scaled to 0-1 by their type's maximum) {png[0]:.4g} .. {png[1]:.4g}"
            in out), out
    assert f"FITS (2, values as stored) {fit[0]:.4g} .. {fit[1]:.4g}" in out or \
        f"FITS (2 cutouts, values as stored) {fit[0]:.4g} .. {fit[1]:.4g}" in out, out
    assert f"NPY (2, values as stored) {npy[0]:.4g} .. {npy[1]:.4g}" in out or \
        f"NPY (2 cutouts, values as stored) {npy[0]:.4g} .. {npy[1]:.4g}" in out, out
    assert "pixel values by format:" in out
    assert "note: 8 picture files scaled to 0-1 beside 4 FITS/NPY files" in out
    assert "FITS and other NPY keep their stored values" in out and "normalisation 'none'" in out


def test_info_of_one_kind_says_how_it_was_read_and_values_within_0_1_need_no_note(tmp_path):
    root = tmp_path / "png"
    (root / "cluster").mkdir(parents=True)
    Image.fromarray(np.full((8, 8), 51, np.uint8)).save(root / "cluster" / "a.png")
    Image.fromarray(np.full((8, 8), 255, np.uint8)).save(root / "cluster" / "b.png")
    res = runner.invoke(app, ["info", str(root)])
    assert res.exit_code == 0, res.output
    assert "pixel values: 0.2 .. 1 (PNG: pictures, scaled to 0-1 by their type's maximum)" in res.output
    # FITS already on the pictures' scale (0-1): two formats, one scale, no note and no refusal
    same = _folder(tmp_path / "same", fits_scale=1.0)
    res = runner.invoke(app, ["info", str(same)])
    assert res.exit_code == 0, res.output
    assert "pixel values by format:" in res.output and "note:" not in res.output
    from starclass.io.cutout_folders import mixed_scale_note

    assert mixed_scale_note(read_cutout_folder(same, require_group=False)) is None


def test_train_under_normalisation_none_refuses_a_mixed_scale_folder_and_writes_nothing(tmp_path):
    root = _folder(tmp_path / "mix")
    task = tmp_path / "none.yaml"
    task.write_text("extends: m31-real\nname: m31-none\nstamp_size: 16\npixel_scale: 1.5\nnormalisation: none\n")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(root), "-o", str(tmp_path / "m"),
                              "--epochs", "1", "--device", "cpu"])
    assert res.exit_code == 2, res.output
    said = " ".join(res.output.split())
    assert "Traceback" not in res.output and str(root) in said
    assert "8 picture files scaled to 0-1 beside 4 FITS/NPY files" in said and "normalisation 'none'" in said
    assert re.search(r"PNG \(8( cutouts)?, pictures", said)
    assert re.search(r"FITS \(2( cutouts)?, values as stored", said)
    assert not (tmp_path / "m").exists()


@pytest.mark.parametrize("normalisation, refused", [("none", True), ("zscore", False)])
def test_classify_and_calibrate_refuse_a_mixed_scale_folder_only_under_normalisation_none(tmp_path, normalisation,
                                                                                         refused):
    root = _folder(tmp_path / "mix")
    model = write_untrained_model(tmp_path / "model", get_preset("m31-real", stamp_size=16, scales=[1.0],
                                                                normalisation=normalisation))
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(root), "--model", str(model), "-o", str(out),
                              "--device", "cpu", "--no-progress"])
    assert res.exit_code == (2 if refused else 0), res.output
    assert out.exists() is not refused
    if refused:
        said = " ".join(res.output.split())
        assert "Traceback" not in res.output and "normalisation 'none'" in said and "classification" in said
        cal = runner.invoke(app, ["calibrate", str(model), "--stamps", str(root), "--device", "cpu"])
        assert cal.exit_code == 2 and "normalisation 'none'" in " ".join(cal.output.split()), cal.output


def test_the_reader_records_how_each_row_was_read(tmp_path):
    root = _folder(tmp_path / "mix")
    cs = read_cutout_folder(root, require_group=False)
    kinds = dict(zip(cs.files, cs.pixel_kinds))
    assert {k for f, k in kinds.items() if f.endswith(".png")} == {"picture"}
    assert {k for f, k in kinds.items() if not f.endswith(".png")} == {"stored"}
    # uint8 NPY arrays are pictures too (scaled), as the module notes say
    np.save(root / "galaxy" / "u.npy", np.full((16, 16), 255, np.uint8))
    cs = read_cutout_folder(root, require_group=False)
    assert dict(zip(cs.files, cs.pixel_kinds))["galaxy/u.npy"] == "picture"
    with pytest.raises(StarclassError, match="normalisation 'none'"):
        from starclass.learn.cutouts import check_pixel_scales

        check_pixel_scales(cs, get_preset("m31-real", normalisation="none"), "training")
