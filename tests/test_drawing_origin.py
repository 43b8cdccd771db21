"""One orientation rule for every figure of stamps (2026-12-03).

A user ran ``starclass explain`` on ``simulate --preset cool-core`` (FITS cutouts) and got the
maps upside down relative to DS9: every cutout folder was drawn row 0 at the top, FITS included.
The rule is now :func:`starclass.io.cutout_folders.drawing_origin`: PNG/JPEG/NPY as stored,
FITS (cutouts or stamps cut from FITS mosaics) y up; a folder mixing them is ``mixed``.
Each test writes one small asymmetric image (a bright block in the first rows) per format.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.cutout_folders import read_cutout_folder
from starclass.learn.config import get_preset

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("single_thread")

SIZE = 16
LABELS = ["cluster", "galaxy", "extended_cluster", "galaxy", "cluster", "galaxy"]


def _asymmetric(i: int) -> np.ndarray:
    """A 16 x 16 image in [0, 1] whose first rows hold a bright block (row 0 != row 15)."""
    rng = np.random.default_rng(i)
    a = 0.2 + 0.02 * rng.random((SIZE, SIZE))
    a[:4, :6] = 0.9
    return a


def _write(path: Path, a: np.ndarray) -> None:
    fmt = path.suffix
    if fmt == ".npy":
        np.save(path, a.astype("f4"))
    elif fmt == ".fits":
        fits.PrimaryHDU(a.astype("f4")).writeto(path)
    else:
        from PIL import Image

        Image.fromarray((a * 255).astype(np.uint8)).save(path, quality=95)


def _folder(root: Path, suffixes: list[str]) -> Path:
    """A labels.csv whose row i is an asymmetric image in format suffixes[i % len(suffixes)]."""
    root.mkdir(parents=True)
    with open(root / "labels.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "label"])
        for i, lab in enumerate(LABELS):
            name = f"c{i}{suffixes[i % len(suffixes)]}"
            _write(root / name, _asymmetric(i))
            w.writerow([name, lab])
    return root / "labels.csv"


def _untrained_model(root: Path) -> Path:
    """An m31-real model with random weights: only its decisions are needed."""
    return write_untrained_model(root / "model", get_preset("m31-real", stamp_size=SIZE))


def _images(fig) -> list:
    return [im for ax in fig.axes for im in ax.get_images()]


def test_drawing_origin_is_one_rule_per_format():
    from starclass.io.cutout_folders import common_origin, drawing_origin, figure_origin

    assert [drawing_origin(f"a{s}") for s in (".png", ".jpg", ".jpeg", ".npy")] == ["upper"] * 4
    assert [drawing_origin(f"a{s}") for s in (".fits", ".FIT", ".fits.gz", ".fits.fz", "stamps.h5")] == ["lower"] * 5
    assert common_origin(["lower", "upper"]) == "mixed" and figure_origin("mixed") == "upper"
    with pytest.raises(StarclassError, match="notes.txt"):
        drawing_origin("notes.txt")


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".npy", ".fits"])
def test_cutout_folder_carries_each_rows_origin_and_keeps_the_pixels(tmp_path, suffix):
    cs = read_cutout_folder(_folder(tmp_path / "cut", [suffix]), require_group=False)
    want = "lower" if suffix == ".fits" else "upper"
    assert cs.origins == [want] * len(LABELS) and cs.origin() == want
    # pixels are never flipped: row 0 of the file is row 0 of the array (the bright block)
    assert cs.images[0, 0, :4, :6].mean() > cs.images[0, 0, -4:, :6].mean() + 0.5


def test_mixed_folder_is_mixed(tmp_path):
    cs = read_cutout_folder(_folder(tmp_path / "cut", [".png", ".fits"]), require_group=False)
    assert cs.origins == ["upper", "lower"] * 3
    assert cs.origin() == "mixed" and cs.origin([1, 3]) == "lower"


@pytest.mark.parametrize("suffixes,recorded,drawn", [
    ([".png"], "upper", "upper"), ([".jpg"], "upper", "upper"), ([".npy"], "upper", "upper"),
    ([".fits"], "lower", "lower"), ([".npy", ".fits"], "mixed", "upper"),
])
def test_explain_draws_and_records_the_folders_origin(tmp_path, monkeypatch, suffixes, recorded, drawn):
    """FITS cutouts were drawn row 0 at the top (upside down against DS9) and recorded as 'upper'."""
    import starclass.explain.figures as xf

    model = _untrained_model(tmp_path)
    src = _folder(tmp_path / "cut", suffixes)
    seen: dict[str, list] = {}
    real = xf.save_png

    def keep(fig, path, dpi=100, **kw):
        seen[Path(path).name] = _images(fig)
        real(fig, path, dpi, **kw)

    monkeypatch.setattr(xf, "save_png", keep)
    res = runner.invoke(app, ["explain", str(model), str(src), "-o", str(tmp_path / "ex"), "--method", "gradcam",
                              "--per-class", "2"])
    assert res.exit_code == 0, res.output
    info = json.loads((tmp_path / "ex" / "explain.json").read_text())
    assert info["image_origin"] == recorded
    panels = seen["overlays_gradcam.png"] + seen["mean_maps.png"]
    assert panels and {im.origin for im in panels} == {drawn}  # one origin for the whole figure
    assert any("mix FITS" in n for n in info["notes"]) == (recorded == "mixed")
    # the stamp drawn is the stored array (its bright block in the first rows), not a flipped copy
    stamp = seen["overlays_gradcam.png"][0].get_array()
    assert stamp[:4, :6].mean() > stamp[-4:, :6].mean()


def test_report_draws_fits_cutouts_y_up_in_gallery_and_gradcam(tmp_path, monkeypatch):
    """report --stamps --model on FITS cutouts drew the gallery and Grad-CAM row 0 at the top."""
    import starclass.report.sections as rs

    model = _untrained_model(tmp_path)
    src = _folder(tmp_path / "cut", [".fits"])
    out = tmp_path / "out.ecsv"
    res = runner.invoke(app, ["classify", "--stamps", str(src), "--model", str(model), "-o", str(out),
                              "--device", "cpu", "--no-progress"])
    assert res.exit_code == 0, res.output
    figs: dict[str, set] = {}
    real = rs.to_png_base64

    def keep(fig, dpi: int = 85) -> str:
        figs[fig.get_suptitle()] = {im.origin for im in _images(fig)}
        return real(fig, dpi)

    monkeypatch.setattr(rs, "to_png_base64", keep)
    res = runner.invoke(app, ["report", str(out), "--stamps", str(src), "--model", str(model), "-o",
                              str(tmp_path / "rep" / "r.html"), "--bootstrap", "0"])
    assert res.exit_code == 0, res.output
    assert next(v for k, v in figs.items() if k.startswith("Grad-CAM at layer ")) == {"lower"}
    assert figs["most confident mistakes"] == {"lower"}  # the untrained model gets some wrong
    assert "y up" in (tmp_path / "rep" / "r.html").read_text()
