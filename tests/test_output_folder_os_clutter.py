"""A Thumbs.db, desktop.ini or .DS_Store the system left in a folder does not count as a user's file.

The cutout reader skipped them (tests/test_cutout_folder_os_clutter.py), but the other folder checks skipped
only names starting with '.' or none: ``train -o m2`` refused a folder holding a Thumbs.db Windows' Explorer
put there ("holds files train did not write (Thumbs.db)"), ``evaluate -o ev --overwrite`` one with a
desktop.ini or .DS_Store, and ``info`` no longer knew a stamp folder of ``cutouts --phangs-fits-dir``.
"""

from __future__ import annotations

import numpy as np
from astropy.io import fits
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.atomic import foreign_entries

runner = CliRunner()
CLUTTER = ("Thumbs.db", "desktop.ini", ".DS_Store", "._summary.json")


def test_the_system_s_files_are_no_one_s_but_other_hidden_ones_count(tmp_path):
    for name in (*CLUTTER, "notes.txt", ".git", "summary.json"):
        (tmp_path / name).write_text("")
    assert foreign_entries(tmp_path, ["summary.json"]) == [".git", "notes.txt"]


def _classified(path):
    rng = np.random.default_rng(3)
    p1 = rng.uniform(size=30)
    Table({"id": np.arange(1, 31), "x": rng.uniform(0, 99, 30), "y": rng.uniform(0, 99, 30),
           "class_ref": np.where(rng.uniform(size=30) < p1, 1, 2), "class_pred": np.where(p1 >= 0.5, 1, 2),
           "prob_1": p1, "prob_2": 1 - p1},
          meta={"classes": [1, 2], "class_names": ["cluster", "non-cluster"], "positive_class": 1,
                "eval_merges": {}, "eval_merges_given": False}).write(path)
    return path


def test_evaluate_overwrite_replaces_a_folder_the_system_left_files_in(tmp_path):
    pred, ev = _classified(tmp_path / "c.ecsv"), tmp_path / "ev"
    args = ["evaluate", str(pred), "--bootstrap", "0", "--no-science", "-o", str(ev), "--overwrite"]
    assert runner.invoke(app, args).exit_code == 0
    for name in CLUTTER:
        (ev / name).write_text("")
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    # a file of the user's is still kept from the replacement
    (ev / "notes.txt").write_text("mine")
    r = runner.invoke(app, args)
    assert r.exit_code == 2 and "did not write (notes.txt)" in r.output, r.output


def test_train_into_a_folder_holding_only_the_system_s_files(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    rng = np.random.default_rng(1)
    for i in range(12):
        np.save(data / f"c{i}.npy", rng.normal(size=(16, 16)).astype(np.float32))
    (data / "labels.csv").write_text("file,label\n" + "".join(f"c{i}.npy,{('cluster', 'galaxy')[i % 2]}\n"
                                                             for i in range(12)))
    (tmp_path / "t.yaml").write_text("extends: m31-real\nname: t16\nstamp_size: 16\nrecipe: {epochs: 1}\n")
    out = tmp_path / "m"
    out.mkdir()
    (out / "Thumbs.db").write_bytes(b"\0")
    (out / "desktop.ini").write_text("[.ShellClassInfo]\n")
    r = runner.invoke(app, ["train", "--stamps", str(data / "labels.csv"), "--task", str(tmp_path / "t.yaml"),
                            "--no-progress", "--device", "cpu", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert (out / "manifest.json").is_file()


def test_info_knows_a_stamp_folder_with_a_thumbs_db(tmp_path):
    for i in (1, 2):
        h = fits.Header({"ORIGIN": "starclass", "ID": i, "X": 10.0, "Y": 12.0, "SIZE": 8, "BANDS": "f555w,f814w",
                         "NBANDS": 2})
        fits.HDUList([fits.PrimaryHDU(header=h), fits.ImageHDU(np.zeros((8, 8), "f4"), name="F555W")]).writeto(
            tmp_path / f"stamp_{i}.fits")
    (tmp_path / "Thumbs.db").write_bytes(b"\0")
    r = runner.invoke(app, ["info", str(tmp_path)])
    assert r.exit_code == 0 and r.output.startswith(f"PHANGS-style stamp folder {tmp_path}"), r.output
