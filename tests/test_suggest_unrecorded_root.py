"""suggest reads a classification's cutout folder as the one reader (row_folders) does, also where it records none.

A classified ECSV whose meta ``cutout_root`` says nothing (``none``, ``nan``: what the reader takes as no
record) had it recorded as a folder of that name under the working directory, and one with no record at all
gave suggestions that recorded nothing: written to another folder, their files were looked for there. Both
now record the candidates' own folder, relative to the list and absolute.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from astropy.table import Table
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.cutout_folders import listed_path, row_folders
from starclass.learn.checkpoint import write_untrained_model
from starclass.learn.config import get_preset


@pytest.mark.parametrize("meta", ["none", "nan", None])
def test_suggestions_written_elsewhere_find_the_candidates_cutouts(tmp_path, monkeypatch, meta):
    model = write_untrained_model(tmp_path / "m", get_preset("m31-binary-compact"), seed=0)
    pool = tmp_path / "pool"
    pool.mkdir()
    p1 = np.array([0.95, 0.52, 0.70, 0.49, 0.10, 0.60])
    files = [f"c{i}.png" for i in range(6)]
    for f in files:
        Image.fromarray(np.zeros((8, 8), np.uint8)).save(pool / f)
    cand = Table({"file": files, "class_pred": np.where(p1 >= 0.5, 1, 2), "prob_1": p1, "prob_2": 1 - p1})
    cand.meta["model"] = str(model)
    if meta is not None:
        cand.meta["cutout_root"] = meta
    cand.write(pool / "out.ecsv")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # where a folder 'none' was taken from
    (tmp_path / "lists").mkdir()
    out = tmp_path / "lists" / "sugg.csv"
    res = CliRunner().invoke(app, ["suggest", str(model), str(pool / "out.ecsv"), "-o", str(out), "-n", "3"])
    assert res.exit_code == 0, res.output
    got = Table.read(out, format="ascii.csv")
    roots = row_folders(got, out, out.parent)
    assert roots is not None and len(roots) == 3
    for root, f in zip(roots, got["file"]):
        assert listed_path(root, str(f)).is_file() and os.path.samefile(root, pool), (root, f)
    assert not (tmp_path / "elsewhere" / "none").exists()
