"""Cutouts that are not square (64 x 80 px, or trimmed at their image's edge) are padded, not refused.

``train``, ``classify``, ``calibrate``, ``explain``, ``info``, ``report`` and ``inspect --stamps`` refused
them ("image of 64 x 80 px (height x width) is not square; cutouts must be square"), though astropy's
``Cutout2D`` trims a cutout at its image's edge by default. Each is now padded with NaN (no data) to a square
of its longer side, centred, with one warning per run counting them (docs/real_images.md).
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.errors import StarclassError
from starclass.io.cutout_folders import read_cutout_folder
from starclass.learn.config import get_preset
from starclass.stamps.images import cutout_inputs


def _blob(h: int, w: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:h, :w]
    a = 40 + 180 * np.exp(-0.5 * ((xx - (w - 1) / 2) ** 2 + (yy - (h - 1) / 2) ** 2) / 4.0) + rng.normal(0, 4, (h, w))
    return np.clip(a, 0, 255).astype(np.uint8)


def _folder(root, shapes, fmt="png"):
    """A labels.csv of cutouts of the given (height, width), alternately cluster and galaxy."""
    root.mkdir(parents=True, exist_ok=True)
    rows = ["file,label"]
    for i, (h, w) in enumerate(shapes):
        name = f"c{i}.{fmt}"
        if fmt == "png":
            Image.fromarray(_blob(h, w, i)).save(root / name)
        else:
            fits.writeto(root / name, _blob(h, w, i).astype(np.float32))
        rows.append(f"{name},{'cluster' if i % 2 else 'galaxy'}")
    (root / "labels.csv").write_text("\n".join(rows) + "\n")
    return root / "labels.csv"


def test_a_non_square_cutout_is_padded_with_nan_centred_keeping_every_pixel():
    from starclass.io.cutout_folders import pad_to_square

    img = np.arange(2 * 6 * 4, dtype=np.float32).reshape(2, 6, 4)
    out = pad_to_square(img)
    assert out.shape == (2, 6, 6)
    np.testing.assert_array_equal(out[:, :, 1:5], img)  # centred: one column of NaN each side
    assert np.isnan(out[:, :, [0, 5]]).all() and np.isfinite(out[:, :, 1:5]).all()
    assert pad_to_square(out) is out  # square: as it is


def test_a_folder_of_rectangular_cutouts_is_read_with_one_warning_and_the_model_inputs_are_finite(tmp_path):
    labels = _folder(tmp_path, [(16, 20)] * 5)
    with pytest.warns(UserWarning) as seen:
        cs = read_cutout_folder(labels)
    said = [str(w.message) for w in seen if "not square" in str(w.message)]
    assert len(said) == 1, said
    assert "5 of the 5 cutouts are not square (height x width: row 1 c0.png: 16 x 20 px;" in said[0]
    assert "16 x 20 px: 5" in said[0] and "padded to a square of each one's longer side" in said[0]
    assert cs.images.shape == (5, 1, 20, 20)
    np.testing.assert_allclose(cs.images[0, 0, 2:18], _blob(16, 20, 0) / 255.0, atol=1e-6)
    assert np.isnan(cs.images[:, :, :2]).all() and np.isnan(cs.images[:, :, 18:]).all()
    x = cutout_inputs(cs.images, get_preset("m31-real"))
    assert x.shape == (5, 1, 64, 64) and np.isfinite(x).all()


def test_a_cutout_trimmed_at_its_image_edge_is_padded_to_the_others_size(tmp_path):
    # Cutout2D's default mode ('trim') gives a 16 x 14 array near an image's edge, among 16 x 16 ones
    labels = _folder(tmp_path, [(16, 16), (16, 16), (16, 14), (16, 16)], fmt="fits")
    with pytest.warns(UserWarning, match=r"1 of the 4 cutouts is not square \(height x width: row 3 c2.fits: 16 x 14"):
        cs = read_cutout_folder(labels)
    assert cs.images.shape == (4, 1, 16, 16)
    # a corner cutout trimmed both ways is square but smaller: refused, saying how to cut it
    labels = _folder(tmp_path / "corner", [(16, 16), (16, 14), (14, 14)])
    with pytest.raises(StarclassError) as err:
        read_cutout_folder(labels)
    msg = " ".join(str(err.value).split())
    assert "row 3" in msg and "mode='partial'" in msg
    assert "1 of the 3 is not square (row 2 c1.png: 16 x 14 px) and is compared once padded" in msg


def test_train_classify_calibrate_explain_info_and_inspect_each_say_it_once(tmp_path, monkeypatch):
    runner = CliRunner()
    labels = _folder(tmp_path / "data", [(16, 20)] * 8)
    model = tmp_path / "model"
    runs = [["train", "--task", "m31-real", "--stamps", str(labels), "--epochs", "1", "--output", str(model),
             "--no-progress"],
            ["classify", "--model", str(model), "--stamps", str(labels), "--output", str(tmp_path / "out.csv"),
             "--no-progress"],
            ["calibrate", str(model), "--stamps", str(labels), "--overwrite", "--allow-training-rows"],
            ["explain", str(model), str(labels), "-o", str(tmp_path / "explained")],
            ["info", str(labels)]]
    for args in runs:
        res = runner.invoke(cli, args)
        assert res.exit_code == 0, (args[0], res.output)
        said = [ln for ln in res.output.splitlines() if "8 of the 8 cutouts are not square" in ln]
        assert len(said) == 1, (args[0], res.output)
    assert "images 1 x 20 x 20" in res.output  # info
    # the page serves the classification (a table of files, read by its own reader) padded the same way
    pytest.importorskip("fastapi")
    from starclass.inspect import app as app_module

    monkeypatch.setenv("STARCLASS_INSPECT_PASSWORD", "ann-password")
    monkeypatch.setattr(app_module, "serve", lambda *a, **k: print("SERVING"))
    for listed in (labels, tmp_path / "out.csv"):
        res = runner.invoke(cli, ["inspect", "--stamps", str(listed), "--task", "m31-real", "--init", "--db",
                                  f"sqlite:///{tmp_path / 'l.sqlite'}", "--no-prerender"])
        assert res.exit_code == 0 and "SERVING" in res.output, res.output
        said = [ln for ln in res.output.splitlines() if "8 of the 8 cutouts are not square" in ln]
        assert len(said) == 1, res.output
