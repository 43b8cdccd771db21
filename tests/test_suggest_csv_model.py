"""Suggestions of a cutout folder written as CSV name their model, as classify's CSV does.

A CSV keeps no meta, so ``classify --stamps -o OUT.csv`` writes the model's path in a ``model``
column, from which ``evaluate OUT.csv --label-column label`` and ``info`` take the task. Suggestions
of a classification kept as ECSV (the docs' ``round1/classified.ecsv``) written as CSV had no such
column: ``evaluate suggest.csv --label-column label`` said "task '(unnamed)' has no label_map" and
``info`` counted the classes by number ("no model column").
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def test_suggestions_as_csv_of_an_ecsv_classification_carry_the_model(tmp_path):
    rng = np.random.default_rng(0)
    rows = []
    data = tmp_path / "data"
    data.mkdir()
    for i in range(16):
        np.save(data / f"c{i}.npy", rng.normal(size=(16, 16)).astype(np.float32))
        rows.append(f"c{i}.npy,{('cluster', 'galaxy')[i % 2]}\n")
    (data / "labels.csv").write_text("file,label\n" + "".join(rows))
    (tmp_path / "t.yaml").write_text("extends: m31-real\nname: t16\nstamp_size: 16\nrecipe: {epochs: 1}\n")
    base = ["--no-progress", "--device", "cpu"]
    r = runner.invoke(app, ["train", "--stamps", str(data / "labels.csv"), "--task", str(tmp_path / "t.yaml"),
                            *base, "-o", str(tmp_path / "m")])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["classify", "--stamps", str(data / "labels.csv"), "--model", str(tmp_path / "m"),
                            *base, "-o", str(tmp_path / "round1" / "classified.ecsv")])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["suggest", str(tmp_path / "m"), str(tmp_path / "round1" / "classified.ecsv"), "-n", "6",
                            "-o", str(tmp_path / "round1" / "suggest.csv")])
    assert r.exit_code == 0, r.output
    t = Table.read(tmp_path / "round1" / "suggest.csv", format="ascii.csv")
    assert "model" in t.colnames and set(t["model"]) == {str((tmp_path / "m").resolve())}
    r = runner.invoke(app, ["evaluate", str(tmp_path / "round1" / "suggest.csv"), "--label-column", "label",
                            "-o", str(tmp_path / "ev"), "--bootstrap", "0"])
    assert r.exit_code == 0, r.output
    assert "task t16" in r.output and "; task from the model named in the catalogue's model column: " in r.output
    r = runner.invoke(app, ["info", str(tmp_path / "round1" / "suggest.csv")])
    assert r.exit_code == 0 and "1 (cluster)" in r.output and "no model column" not in r.output, r.output
