"""Band files named by the user's own bands are refused with how to match them to the task's.

A Milky Way user with DSS2 plates listed as ``file_blue``, ``file_red``, ``file_ir`` met
open-globular's bands ``r, g, b`` (the colour picture's channels) in "no column for band(s)
['r', 'g', 'b'] (have [...])", with nothing saying that the task's bands are names to match nor
how. The message now says to rename the columns channel by channel or to train with a task file
whose bands name the user's columns; that task file trains (checked here).
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits
from typer.testing import CliRunner

from starclass.cli import app as cli

pytestmark = pytest.mark.usefixtures("single_thread")


def _folder(root):
    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    rows = ["file_blue,file_red,file_ir,label"]
    for i in range(6):
        for band in ("blue", "red", "ir"):
            fits.writeto(root / f"c{i}_{band}.fits", rng.normal(5000, 100, (16, 16)).astype(np.int16))
        rows.append(f"c{i}_blue.fits,c{i}_red.fits,c{i}_ir.fits,{1 + i % 2}")
    (root / "labels.csv").write_text("\n".join(rows) + "\n")
    return root / "labels.csv"


def test_other_band_names_are_told_how_to_match_and_the_task_file_trains(tmp_path):
    labels = _folder(tmp_path / "og")
    res = CliRunner().invoke(cli, ["train", "--task", "open-globular-compact", "--stamps", str(labels),
                                   "-o", str(tmp_path / "m"), "--epochs", "1"])
    assert res.exit_code == 2, res.output
    assert "rename your columns to file_r, file_g, file_b" in res.output
    assert "bands: [blue, red, ir]" in res.output
    assert not (tmp_path / "m").exists()
    task = tmp_path / "og_dss.yaml"
    task.write_text("extends: open-globular-compact\nstamp_size: 16\nbands: [ir, red, blue]\n")
    ok = CliRunner().invoke(cli, ["train", "--task", str(task), "--stamps", str(labels), "-o", str(tmp_path / "m2"),
                                  "--epochs", "1"])
    assert ok.exit_code == 0, ok.output
