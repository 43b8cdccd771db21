"""3-plane cutouts (FITS cubes, RGB pictures) for a one-band task: one warning per run, the same in every command.

The planes are averaged to grey (:func:`starclass.stamps.images.cutout_inputs`): train and classify
called a FITS cube a "colour image" and said neither how many files nor how to keep the planes apart,
and ``inspect --stamps`` said nothing while its grey stamp showed the same mean.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.io.cutout_folders import read_cutout_folder
from starclass.learn.config import get_preset
from starclass.learn.cutouts import colour_note


def _cube_folder(tmp_path, n=4):
    rng = np.random.default_rng(0)
    rows = ["file,label"]
    for i in range(n):
        fits.writeto(tmp_path / f"c{i}.fits", rng.random((3, 16, 16)).astype(np.float32))
        rows.append(f"c{i}.fits,{'cluster' if i % 2 else 'galaxy'}")
    labels = tmp_path / "labels.csv"
    labels.write_text("\n".join(rows) + "\n")
    return labels


def test_a_fits_cube_averaged_for_a_one_band_task_is_said_so_with_the_count_and_the_way_out(tmp_path):
    cutouts = read_cutout_folder(_cube_folder(tmp_path))
    note = colour_note(cutouts, get_preset("m31-real"))
    assert note.startswith("warning: 4 cutout files have 3 planes (4 FITS cubes) but task 'm31-real' has one band (g)")
    assert "averaged into one grey plane" in note and "'bands: [b1, b2, b3]'" in note
    three = get_preset("m31-real")
    three.bands = ["g", "r", "i"]  # a task of 3 bands takes the planes as its bands: nothing averaged
    assert colour_note(cutouts, three) is None


@pytest.fixture()
def inspect_runner(monkeypatch):
    from starclass.inspect import app as app_module

    monkeypatch.setenv("STARCLASS_INSPECT_PASSWORD", "ann-password")
    monkeypatch.setattr(app_module, "serve", lambda *a, **k: print("SERVING"))  # serving would block the test
    return CliRunner()


def test_inspect_stamps_warns_once_that_its_grey_stamp_is_the_mean_of_the_planes(tmp_path, inspect_runner):
    (tmp_path / "data").mkdir()
    labels = _cube_folder(tmp_path / "data", n=4)
    res = inspect_runner.invoke(cli, ["inspect", "--stamps", str(labels), "--task", "m31-real", "--init",
                                      "--db", f"sqlite:///{tmp_path / 'labels.sqlite'}", "--no-prerender"])
    assert res.exit_code == 0, res.output
    assert "SERVING" in res.output
    lines = [ln for ln in res.output.splitlines() if "3 planes" in ln]
    assert len(lines) == 1, res.output
    assert "4 cutout files have 3 planes (4 FITS cubes)" in lines[0] and "grey stamp" in lines[0]


def test_train_classify_and_calibrate_each_say_it_once(tmp_path):
    # calibrate --stamps averaged the planes without a word; train and classify named a FITS cube a colour image
    runner = CliRunner()
    (tmp_path / "data").mkdir()
    labels = _cube_folder(tmp_path / "data", n=8)
    model = tmp_path / "model"
    runs = [["train", "--task", "m31-real", "--stamps", str(labels), "--epochs", "1", "--output", str(model),
             "--no-progress"],
            ["classify", "--model", str(model), "--stamps", str(labels), "--output", str(tmp_path / "out.csv"),
             "--no-progress"],
            ["calibrate", str(model), "--stamps", str(labels), "--overwrite", "--allow-training-rows"]]
    for args in runs:
        res = runner.invoke(cli, args)
        assert res.exit_code == 0, (args[0], res.output)
        said = [ln for ln in res.output.splitlines() if "8 cutout files have 3 planes (8 FITS cubes)" in ln]
        assert len(said) == 1, (args[0], res.output)
