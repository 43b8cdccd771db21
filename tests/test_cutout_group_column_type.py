"""``read_cutout_folder(csv, group_column=3)`` from Python: a number is refused as the task file refuses it.

A number never equals a CSV column name (text, even a column named ``3``); with ``require_group=False``
(how a task's default group column is applied) the folder was read with every cutout its own group,
without a word, so cutouts of one object could fall on both sides of a split.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table

from starclass.errors import StarclassError
from starclass.io.cutout_folders import read_cutout_folder


def _folder(tmp_path, n: int = 4):
    rows = ["file,label,3,object_id"]
    for i in range(n):
        np.save(tmp_path / f"c{i}.npy", np.random.default_rng(i).random((16, 16)))
        rows.append(f"c{i}.npy,{'cluster' if (i // 2) % 2 == 0 else 'galaxy'},O{i // 2},O{i // 2}")
    (tmp_path / "labels.csv").write_text("\n".join(rows) + "\n")
    return tmp_path / "labels.csv"


@pytest.mark.parametrize("require_group", [False, True])
@pytest.mark.parametrize("value", [3, 3.0, ["object_id"]])
def test_a_group_column_that_is_not_text_is_refused_naming_it(tmp_path, value, require_group):
    csv = _folder(tmp_path)
    with pytest.raises(StarclassError, match=r"labels\.csv: group_column=.* must be a column name \(text\)"):
        read_cutout_folder(csv, group_column=value, require_group=require_group)


def test_an_empty_group_column_is_refused_and_text_is_read(tmp_path):
    csv = _folder(tmp_path)
    with pytest.raises(StarclassError, match="group_column=' ' is empty"):
        read_cutout_folder(csv, group_column=" ", require_group=False)
    # a column named 3 is given as text, and groups the rows by it
    cs = read_cutout_folder(csv, group_column="3")
    assert len(set(cs.groups.tolist())) == 2


def test_a_model_that_stored_a_number_still_classifies_as_it_did(tmp_path):
    # a model trained before 2026-12-05 from 'group_column: 3' stores the number; its folder was read with
    # each cutout its own object then, and classify --stamps (which passes the model's column) must not
    # now refuse the user's folder for the model's old value
    import json

    from typer.testing import CliRunner

    from starclass.cli import app

    (tmp_path / "data").mkdir()
    labels = _folder(tmp_path / "data", n=16)
    model = tmp_path / "model"
    runner = CliRunner()
    res = runner.invoke(app, ["train", "--task", "m31-real", "--stamps", str(labels), "--epochs", "1",
                              "--output", str(model), "--no-progress"])
    assert res.exit_code == 0, res.output
    import torch

    # the task a model is loaded with is the one in its member checkpoint (and the manifest's copy)
    manifest = json.loads((model / "manifest.json").read_text())
    manifest["config"]["group_column"] = 3
    manifest.get("training_cutouts", {}).pop("group_column", None)
    (model / "manifest.json").write_text(json.dumps(manifest))
    from starclass.learn.checkpoint import member_digest

    digests = {}
    for member in model.glob("member_*.pt"):
        ckpt = torch.load(member, map_location="cpu", weights_only=False)
        ckpt["config"]["group_column"] = 3
        old, ckpt["digest"] = ckpt.get("digest"), member_digest(ckpt)  # as such a model was written
        digests[old] = ckpt["digest"]
        torch.save(ckpt, member)
    text = (model / "manifest.json").read_text()
    for old, new in digests.items():
        text = text.replace(str(old), new)
    manifest = json.loads(text)
    manifest.pop("calibration", None)  # signed over the old digests: an uncalibrated model does as well here
    (model / "manifest.json").write_text(json.dumps(manifest))
    res = runner.invoke(app, ["classify", "--model", str(model), "--stamps", str(labels),
                              "--output", str(tmp_path / "out.csv"), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert len(Table.read(tmp_path / "out.csv")) == 16
