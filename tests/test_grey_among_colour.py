"""A folder mixing grey files and 3-plane ones (RGB JPEGs or PNGs, FITS cubes) of one size is read grey, said once.

A user's own folder holds what their tools wrote: grey PNGs and FITS beside JPEGs some program saved as RGB.
Until 2026-12-05 every command refused it ("all cutouts must have one number of channels ... convert them to
one"), although a folder of colour files alone is read by a one-band task with each file averaged to grey
(``stamps.images.cutout_inputs``). Each 3-plane file is now averaged to grey on reading (the mean of its planes,
the input that averaging gives), with one warning naming them; a task of three bands, which a grey file cannot
give, still refuses the folder.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from astropy.io import fits
from PIL import Image
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.cutout_folders import read_cutout_folder
from starclass.learn.config import get_preset

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


def _folder(root):
    rng = np.random.default_rng(0)
    colour = {}
    for i, lab in enumerate(["cluster", "galaxy"] * 3):
        (root / lab).mkdir(parents=True, exist_ok=True)
        grey = rng.integers(0, 256, (16, 16), dtype=np.uint8)
        if i % 3 == 0:
            rgb = np.stack([grey, grey // 2, 255 - grey], axis=-1).astype(np.uint8)
            Image.fromarray(rgb).save(root / lab / f"o{i}.jpg", quality=100, subsampling=0)
            colour[f"{lab}/o{i}.jpg"] = rgb
        elif i % 3 == 1:
            Image.fromarray(grey).save(root / lab / f"o{i}.png")
        else:
            fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(grey.astype(np.float32) / 255)]).writeto(
                root / lab / f"o{i}.fits")
    return root, colour


def test_the_colour_files_are_read_as_the_mean_of_their_planes(tmp_path):
    root, colour = _folder(tmp_path / "mine")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        cs = read_cutout_folder(root, bands=["g"])
    said = [str(w.message) for w in seen if "planes among grey ones" in str(w.message)]
    assert len(said) == 1 and "2 of the 6 cutouts have 3 planes among grey ones" in said[0]
    assert cs.images.shape == (6, 1, 16, 16)
    for name in colour:
        stored = np.asarray(Image.open(root / name), dtype=np.float32) / 255  # as read: JPEG, not the array written
        assert np.allclose(cs.images[cs.files.index(name), 0], stored.mean(axis=-1), atol=1e-6)


def test_info_and_classify_read_the_folder(tmp_path):
    root, _ = _folder(tmp_path / "mine")
    res = runner.invoke(app, ["info", str(root)])
    assert res.exit_code == 0, res.output
    assert "images 1 x 16 x 16" in res.output and "planes among grey ones" in res.output
    model = write_untrained_model(tmp_path / "model", get_preset("m31-real").copy(name="mine", stamp_size=16))
    res = runner.invoke(app, ["classify", "--stamps", str(root), "--model", str(model), "-o",
                              str(tmp_path / "out.csv")])
    assert res.exit_code == 0, res.output
    assert "classified 6 cutouts" in res.output


def test_a_task_of_three_bands_still_refuses_the_grey_files(tmp_path):
    root, _ = _folder(tmp_path / "mine")
    with pytest.raises(StarclassError, match="one number of channels"):
        read_cutout_folder(root, bands=["z", "r", "g"])


def test_a_grey_file_of_another_size_under_a_three_band_mixed_sizes_task_is_refused_for_its_planes(tmp_path):
    # 80 px RGB PNGs and one 64 px grey PNG under a 3-band task with mixed_sizes: refused (right) as
    # "all cutouts must have one size", which the task resamples anyway; the fault is the grey file's one plane
    from starclass.stamps.images import cutout_resampler

    root = tmp_path / "mine"
    rng = np.random.default_rng(3)
    for lab in ("cluster", "galaxy"):
        (root / lab).mkdir(parents=True)
        for i in range(2):
            Image.fromarray(rng.integers(0, 256, (20, 20, 3), dtype=np.uint8)).save(root / lab / f"c{i}.png")
    Image.fromarray(rng.integers(0, 256, (16, 16), dtype=np.uint8)).save(root / "galaxy" / "grey.png")
    cfg = get_preset("cool-core-compact", bands=["z", "r", "g"], stamp_size=16)
    assert cfg.mixed_sizes
    with pytest.raises(StarclassError) as err:
        read_cutout_folder(root, bands=list(cfg.bands), resample=cutout_resampler(cfg))
    said = " ".join(str(err.value).split())
    assert "galaxy/grey.png: image of shape (1, 16, 16)" in said, said
    assert "one number of channels" in said and "1 channel (grey)" in said, said
    assert "cannot give the task's 3 bands (z, r, g)" in said, said
    assert "one size" not in said and "mixed_sizes: true" not in said, said  # the sizes are resampled
    # without mixed_sizes the size is also at fault: both are said, not the size alone (whose advice, mixed_sizes:
    # true, only led to the channel refusal)
    with pytest.raises(StarclassError) as err:
        read_cutout_folder(root, bands=["z", "r", "g"])
    said = " ".join(str(err.value).split())
    assert "must have one size and one number of channels" in said, said
    assert "cannot give the task's 3 bands (z, r, g)" in said, said
    # as a user: train with such a task file refuses, exit 2, and writes nothing
    task = tmp_path / "three.yaml"
    task.write_text("extends: cool-core-compact\nbands: [z, r, g]\nclasses: [1, 2]\nclass_names: [cluster, galaxy]\n"
                    "label_map: {cluster: 1, galaxy: 2}\nstamp_size: 16\npixel_scale: 1.0\n")
    res = runner.invoke(app, ["train", "--stamps", str(root), "--task", str(task), "-o", str(tmp_path / "m")])
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    assert "cannot give the task's 3 bands (z, r, g)" in " ".join(res.output.split()), res.output
    assert not (tmp_path / "m").exists()


def test_a_colour_file_of_another_size_is_averaged_and_resampled_under_mixed_sizes(tmp_path):
    # grey 24 px PNGs and one RGB 40 px JPEG under a task with mixed_sizes: refused as of another shape
    # ("image of shape (3, 40, 40) ... all cutouts must have one size"), where a grey 40 px file was resampled
    from starclass.stamps.images import cutout_resampler

    root = tmp_path / "mix"
    root.mkdir()
    rng = np.random.default_rng(2)
    for i in range(4):
        Image.fromarray(rng.integers(0, 256, (24, 24), dtype=np.uint8)).save(root / f"g{i}.png")
    rgb = rng.integers(0, 256, (40, 40, 3), dtype=np.uint8)
    Image.fromarray(rgb).save(root / "c.jpg", quality=100, subsampling=0)
    cfg = get_preset("cool-core-compact", stamp_size=32)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        cs = read_cutout_folder(root, bands=list(cfg.bands), resample=cutout_resampler(cfg), require_labels=False,
                                require_group=False)
    said = " ".join(str(w.message) for w in seen)
    assert "1 of the 5 cutouts has 3 planes among grey ones" in said and "of 2 sizes" in said, said
    assert cs.images.shape == (5, 1, 32, 32) and sorted(cs.native_sizes) == [24] * 4 + [40]
    # the JPEG as the mean of its planes, then resampled as a grey 40 px file would be
    stored = np.asarray(Image.open(root / "c.jpg"), dtype=np.float32).mean(axis=-1) / 255
    np.testing.assert_allclose(cs.images[cs.files.index("c.jpg")], cutout_resampler(cfg)(stored[None]), atol=1e-5)
    res = runner.invoke(app, ["info", str(root)])
    assert res.exit_code == 0, res.output
    assert "in 2 sizes (24 x 24 px: 4, 40 x 40 px: 1)" in " ".join(res.output.split()), res.output
    # a task without mixed_sizes still refuses the other size
    with pytest.raises(StarclassError, match="one size"):
        read_cutout_folder(root, bands=["g"], require_labels=False, require_group=False)
