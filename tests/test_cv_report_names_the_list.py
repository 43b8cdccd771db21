"""``evaluate`` of ``train --stamps LIST --cv K``'s ``cv_predictions.ecsv`` names LIST in its ``report`` line.

Walking the PAndAS cutouts as an M31 team (2026-12-07): ``train --stamps /tmp/w/train.csv --cv 3`` (the
objects split into train.csv, test.csv and pool.csv in one folder), then ``evaluate cv3/cv_predictions.ecsv``
ended ``next: ... 'starclass report cv3/cv_predictions.ecsv --stamps /tmp/w --no-science'``: the folder,
which holds no list of its own, read as label sub-folders (``round1/``, ...), and refused on a file in one of
them. ``train --cv`` now records the list it read (``cutout_list``), as ``classify --stamps`` does.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def _list(root, name: str, n: int, seed: int):
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:16, :16]
    (root / name).mkdir(parents=True)
    rows = ["file,label,object_id"]
    for i in range(n):
        label = ("cluster", "galaxy")[i % 2]
        width = 1.5 if label == "cluster" else 4.0
        a = 40 + 180 * np.exp(-0.5 * ((xx - 7.5) ** 2 + (yy - 7.5) ** 2) / width ** 2) + rng.normal(0, 6, xx.shape)
        Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).save(root / name / f"o{i}.png")
        rows.append(f"{name}/o{i}.png,{label},{name}{i}")
    (root / f"{name}.csv").write_text("\n".join(rows) + "\n")
    return root / f"{name}.csv"


def test_evaluate_of_a_lists_cross_validation_names_the_list_for_report(tmp_path):
    work = tmp_path / "w"
    (work).mkdir()
    (work / "t.yaml").write_text("extends: m31-real\nname: t16\nstamp_size: 16\nrecipe: {epochs: 1}\n")
    train = _list(work, "train", 12, 0)
    _list(work, "test", 6, 1)  # another list beside it: the folder is no one list
    res = runner.invoke(app, ["train", "--task", str(work / "t.yaml"), "--stamps", str(train), "--cv", "2",
                              "--no-progress", "--device", "cpu", "-o", str(tmp_path / "cv")])
    assert res.exit_code == 0, res.output
    pred = tmp_path / "cv" / "cv_predictions.ecsv"
    assert Table.read(pred).meta.get("cutout_list") == "../w/train.csv"
    res = runner.invoke(app, ["evaluate", str(pred), "--bootstrap", "0", "-o", str(tmp_path / "ev")])
    text = " ".join(res.output.split())
    assert res.exit_code == 0, res.output
    assert f"--stamps {train} --no-science'" in text, text
