"""``train --stamps`` of a store cut for another task says how to cut one that fits.

``starclass cutouts`` with its defaults (zscore, one scale) writes a store the default task (``legus4``: flux,
three scales) cannot train on; ``train`` refused it listing the differences alone ("scales is [1.0] in the store,
[1.0, 1.6, 3.2] in the task; ...") with no next step. The refusal now ends with the ``cutouts`` command for the
task, from the mosaics the store was cut from, and the store that command writes fits.
"""

from __future__ import annotations

import re
import shlex

from typer.testing import CliRunner

from starclass.bands import BANDS
from starclass.cli import app
from starclass.cli.train_cmd import training_inputs
from starclass.datasets.stamps import make_synthetic_field
from starclass.io.catalog import write_catalog
from starclass.io.mosaic import write_mosaic
from starclass.learn.config import get_preset

runner = CliRunner()


def test_a_store_of_another_geometry_is_told_the_cutouts_that_fits(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    images, table = make_synthetic_field(get_preset("legus4"), 12, seed=3)
    for band, img in images.items():
        write_mosaic(tmp_path / "field" / f"toy_{band}.fits", img, band, None,
                     photflam=BANDS[band].photflam, photplam=BANDS[band].photplam)
    write_catalog(table, tmp_path / "truth.ecsv")
    res = runner.invoke(app, ["cutouts", "field", "--catalog", "truth.ecsv", "-o", "plain.h5", "--no-progress"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["train", "--stamps", "plain.h5", "-o", "model", "--no-progress", "--epochs", "1"])
    assert res.exit_code == 2 and "does not fit task 'legus4'" in res.output, res.output
    said = re.search(r"'(starclass cutouts [^']*)'", res.output)
    assert said, res.output
    words = shlex.split(said.group(1))
    assert words[:3] == ["starclass", "cutouts", "field"] and "--task" in words, words
    # the command as the message gives it, its placeholders filled in, writes a store the task trains on
    words = [{"CATALOGUE": "truth.ecsv"}.get(w, w) for w in words[1:]]
    assert words[-2:] == ["-o", "stamps.h5"], words  # a name not there yet (was STORE.h5, a placeholder)
    res = runner.invoke(app, [*words, "--no-progress"])
    assert res.exit_code == 0, res.output
    inputs, labels, *_ = training_inputs(get_preset("legus4"), None, stamps="stamps.h5")
    assert len(labels) == len(table)


def test_the_recut_command_names_mosaics_that_exist_from_another_folder(tmp_path, monkeypatch):
    # cutouts records the mosaics as typed ('field/toy_f555w.fits'), relative to the folder it ran in: a train
    # from another folder was told 'starclass cutouts field ...', a folder not there
    monkeypatch.chdir(tmp_path)
    images, table = make_synthetic_field(get_preset("legus4"), 12, seed=3)
    for band, img in images.items():
        write_mosaic(tmp_path / "field" / f"toy_{band}.fits", img, band, None,
                     photflam=BANDS[band].photflam, photplam=BANDS[band].photplam)
    write_catalog(table, tmp_path / "truth.ecsv")
    res = runner.invoke(app, ["cutouts", "field", "--catalog", "truth.ecsv", "-o", "plain.h5", "--no-progress"])
    assert res.exit_code == 0, res.output
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    res = runner.invoke(app, ["train", "--stamps", "../plain.h5", "-o", "model", "--no-progress", "--epochs", "1"])
    assert res.exit_code == 2 and "does not fit task 'legus4'" in res.output, res.output
    said = re.search(r"'(starclass cutouts [^']*)'", res.output.replace("\n", ""))
    assert said, res.output
    folder = shlex.split(said.group(1))[2]
    assert (tmp_path / "work" / folder).resolve() == (tmp_path / "field").resolve(), folder


def test_a_store_cut_before_it_recorded_its_folder_names_its_mosaics_beside_it(tmp_path, monkeypatch):
    import h5py
    import numpy as np

    from starclass.stamps import StampStore, write_stamp_store

    (tmp_path / "cut" / "m31_a").mkdir(parents=True)
    (tmp_path / "cut" / "m31_a" / "g.fits").write_bytes(b"")
    path = tmp_path / "cut" / "s.h5"
    write_stamp_store(path, np.zeros((1, 1, 8, 8), np.float32), np.ones((1, 8, 8), bool), channels=["g"],
                      sources={"g": "m31_a/g.fits"})
    with h5py.File(path, "a") as h:
        del h.attrs["sources_folder"]  # as stores written before it was recorded
    monkeypatch.chdir(tmp_path)
    assert StampStore(path).source_files == {"g": "cut/m31_a/g.fits"}
