"""``evaluate OUT.csv -r labels.csv`` without ``--label-column`` says which column to give.

Before: a cutout folder's labels table (``file, label``) given as the reference without
``--label-column`` was refused as a catalogue: "required column 'id' missing in labels.csv
(columns: file, label); name a column 'id' in the file", which sent the user to add ids to a
table that was right. Its label strings are read only with ``--label-column`` (through the task's
``label_map``), as the prediction's own label column is, so the message now names the reference,
what it lacks and the option to give (``--label-column label``); nothing is written. The
prediction's own label column is named the same way ("give --label-column NAME" before).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.config import get_preset, save_config

runner = CliRunner()


def _files(tmp_path: Path, n: int = 30) -> tuple[Path, Path]:
    rng = np.random.default_rng(7)
    lab = rng.choice(["star", "galaxy"], n)
    p2 = np.clip(np.where(lab == "galaxy", 0.7, 0.3) + rng.normal(0, 0.2, n), 0.01, 0.99)
    files = [f"c{i:02d}.npy" for i in range(n)]
    Table({"file": files, "class_pred": np.where(p2 >= 0.5, 2, 1), "prob_1": 1 - p2, "prob_2": p2}).write(
        tmp_path / "out.csv", format="ascii.csv")
    Table({"file": files, "label": lab}).write(tmp_path / "labels.csv", format="ascii.csv")
    cfg = get_preset("m31-real", name="sg", classes=[1, 2], class_names=["star", "galaxy"], positive_class=2,
                     label_map={"star": 1, "galaxy": 2})
    return tmp_path / "out.csv", save_config(cfg, tmp_path / "sg.yaml")


def _evaluate(tmp_path: Path, out: Path, *args: str):
    return runner.invoke(app, ["evaluate", str(out), "--task", str(tmp_path / "sg.yaml"), "--bootstrap", "0",
                               "-o", str(tmp_path / "ev"), *args])


@pytest.mark.parametrize("extra, said", [
    ((), "is a table of cutout files with no class_ref column"),
    (("--label-column", "Label"), "has no column 'Label' (--label-column)"),
])
def test_a_labels_table_as_reference_names_the_label_column_to_give(tmp_path, extra, said):
    out, _ = _files(tmp_path)
    res = _evaluate(tmp_path, out, "-r", str(tmp_path / "labels.csv"), *extra)
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and "'id'" not in res.output, res.output
    assert f"reference {tmp_path / 'labels.csv'} {said}" in res.output, res.output
    assert "column 'label' may hold the labels: give --label-column label" in res.output, res.output
    assert not (tmp_path / "ev").exists()
    # the option it names works, and scores the labels
    res = _evaluate(tmp_path, out, "-r", str(tmp_path / "labels.csv"), "--label-column", "label")
    assert res.exit_code == 0 and "paired by file" in res.output, res.output


def test_a_files_table_without_any_label_column_says_what_a_reference_needs(tmp_path):
    out, _ = _files(tmp_path)
    Table({"file": [f"c{i:02d}.npy" for i in range(30)], "flux": np.ones(30)}).write(
        tmp_path / "flux.csv", format="ascii.csv")
    res = _evaluate(tmp_path, out, "-r", str(tmp_path / "flux.csv"))
    assert res.exit_code == 2, res.output
    assert "give --label-column NAME for its column of label strings, or a class_ref column" in res.output
    assert "(columns: file, flux)" in res.output and "'id'" not in res.output, res.output


def test_the_predictions_own_label_column_is_named_too(tmp_path):
    out, _ = _files(tmp_path)
    t = Table.read(out)
    t["label"] = Table.read(tmp_path / "labels.csv")["label"]
    t.write(out, format="ascii.csv", overwrite=True)
    res = _evaluate(tmp_path, out)
    assert res.exit_code == 2 and "column 'label' may hold the labels: give --label-column label" in res.output, \
        res.output
