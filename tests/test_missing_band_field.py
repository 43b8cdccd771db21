"""A field without one of the task's bands: the refusal names that field's folder and what to do, and that works."""

from __future__ import annotations

import re

import numpy as np
from typer.testing import CliRunner

from starclass.bands import BANDS
from starclass.cli import app
from starclass.io.mosaic import write_mosaic
from starclass.learn.config import load_config

runner = CliRunner()


def _field(folder, bands):
    folder.mkdir()
    rng = np.random.default_rng(0)
    for b in bands:
        write_mosaic(folder / f"hlsp_x_{b.upper()}_drc.fits", rng.normal(1.0, 0.1, (64, 64)).astype(np.float32), b,
                     None, photflam=BANDS[b].photflam, photplam=BANDS[b].photplam)
    (folder / "cat.csv").write_text("id,x,y,class_ref\n" + "".join(f"{i},{10 + 4 * i},{20 + 3 * i},{1 + i % 4}\n"
                                                                    for i in range(1, 9)))


def test_train_on_two_fields_names_the_one_without_a_band_and_the_task_file(tmp_path):
    five = ["f275w", "f336w", "f438w", "f555w", "f814w"]
    _field(tmp_path / "full", five)
    _field(tmp_path / "no_uv", five[1:])
    res = runner.invoke(app, ["train", "--task", "legus4-compact", "--mosaics", str(tmp_path / "full"), "--catalog",
                              str(tmp_path / "full" / "cat.csv"), "--mosaics", str(tmp_path / "no_uv"), "--catalog",
                              str(tmp_path / "no_uv" / "cat.csv"), "-o", str(tmp_path / "model"), "--epochs", "1",
                              "--no-progress"])
    out = " ".join(res.output.split())
    assert res.exit_code == 2, out
    assert "band f275w missing" in out
    # the old message did not say which of the two fields lacks the band, nor what to do
    assert str(tmp_path / "no_uv") in out
    task_file = re.search(r"'extends: ([\w-]+)' and 'bands: \[([\w, ]+)\]'", out)
    assert task_file, out
    (tmp_path / "four.yaml").write_text(f"extends: {task_file.group(1)}\nbands: [{task_file.group(2)}]\n")
    cfg = load_config(tmp_path / "four.yaml")
    assert list(cfg.bands) == five[1:] and cfg.architecture == "compact"
    assert not (tmp_path / "model").exists()
