"""``evaluate OUT.csv --label-column label`` of rows classified by two models says so.

Before: a classified cutout CSV whose ``model`` column named two models (two rounds' outputs joined, or
one row's model moved) took its task from the probabilities, with no label map, and stopped with
"row 1 has label 'cluster', not a class number, and task '(unnamed)' has no label_map ... give it with
--task", which sent the user to write a task file. Now the refusal names the column and the models
(exit 2, nothing written); with ``--model`` the labels are read as before.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.config import get_preset

runner = CliRunner()


def _output(tmp_path, models: list[str], n: int = 30, seed: int = 4) -> Table:
    rng = np.random.default_rng(seed)
    labels = rng.choice(["cluster", "galaxy"], n)
    p1 = np.clip(np.where(labels == "cluster", 0.7, 0.3) + rng.normal(0, 0.2, n), 0.01, 0.99)
    return Table({"file": [f"{lab}/c{i:03d}.png" for i, lab in enumerate(labels)], "label": labels,
                  "class_pred": np.where(p1 >= 0.5, 1, 2), "prob_1": p1, "prob_2": 1 - p1,
                  "model": [models[i % len(models)] for i in range(n)]})


def test_two_models_in_the_model_column_are_named(tmp_path):
    one = write_untrained_model(tmp_path / "m1", get_preset("m31-real"), seed=0)
    t = _output(tmp_path, [str(one), str(tmp_path / "elsewhere" / "m2")])
    t.write(tmp_path / "out.csv", format="ascii.csv")
    res = runner.invoke(app, ["evaluate", str(tmp_path / "out.csv"), "--label-column", "label", "--bootstrap", "0",
                              "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2, res.output
    assert "its 'model' column names 2 models" in res.output
    assert str(one) in res.output and "give --task or --model" in res.output
    assert "has no label_map" not in res.output
    assert not (tmp_path / "ev").exists()
    res = runner.invoke(app, ["evaluate", str(tmp_path / "out.csv"), "--label-column", "label", "--bootstrap", "0",
                              "--model", str(one), "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    y = np.where(np.asarray(t["label"]) == "cluster", 1, 2)
    assert f"2class: accuracy {np.mean(y == np.asarray(t['class_pred'])):.3f}" in res.output
