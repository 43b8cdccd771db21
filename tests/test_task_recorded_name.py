"""``--task NAME`` takes the name of a task that the command's own model or label database records.

Before: a task made from a YAML file (``train --task my.yaml``) or from a cutout list's labels
(``inspect --stamps L --init``) is recorded by its name, and typing that name back
(``evaluate --model M --task my``, ``inspect --stamps L --task L-labels``) was refused as
"neither a file nor a preset", with no word on how to give a task of one's own.
"""

from __future__ import annotations

import csv

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.cli._app import task_option
from starclass.errors import StarclassError
from starclass.learn.config import get_preset

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")

runner = CliRunner()


@pytest.fixture()
def model_and_catalogue(tmp_path):
    from starclass.learn.checkpoint import write_untrained_model

    cfg = get_preset("m31-real").copy(name="my-two", description="a task of a YAML file")
    model = write_untrained_model(tmp_path / "model", cfg)
    Table({"id": [1, 2, 3, 4], "x": [1.0, 2, 3, 4], "y": [1.0, 2, 3, 4], "class_pred": [1, 2, 1, 2],
           "class_ref": [1, 2, 2, 2]}).write(tmp_path / "four.ecsv")
    return model, tmp_path / "four.ecsv"


def test_evaluate_takes_the_name_of_the_task_its_model_records(model_and_catalogue, tmp_path):
    model, cat = model_and_catalogue
    res = runner.invoke(app, ["evaluate", str(cat), "--model", str(model), "--task", "my-two",
                              "-o", str(tmp_path / "ev"), "--no-progress", "--bootstrap", "0"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "ev").is_dir()


def test_an_unknown_name_lists_the_recorded_task_and_says_how_to_give_a_file(model_and_catalogue, tmp_path):
    model, cat = model_and_catalogue
    res = runner.invoke(app, ["evaluate", str(cat), "--model", str(model), "--task", "my-tow",
                              "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    out = " ".join(res.output.split())
    assert f"model {model} records task 'my-two'" in out
    assert "legus4" in out and "path/to/my-task.yaml" in out  # the presets, and how to give a YAML
    assert not (tmp_path / "ev").exists()


def test_a_name_two_different_recorded_tasks_share_is_refused():
    a = get_preset("m31-real").copy(name="mine")
    b = get_preset("legus4").copy(name="mine")
    assert task_option("mine", recorded=[("model a", a), ("model b", a)]).classes == a.classes  # one task, twice
    with pytest.raises(StarclassError, match="names 2 different tasks, those of model a and model b"):
        task_option("mine", recorded=[("model a", a), ("model b", b)])


def test_a_preset_or_file_wins_over_a_recorded_name(tmp_path):
    odd = get_preset("legus4").copy(name="m31-real")
    assert task_option("m31-real", recorded=[("model x", odd)]).classes == [1, 2]


def test_inspect_export_takes_the_name_the_label_database_records(tmp_path, monkeypatch):
    rows = []
    for k, label in enumerate(["star", "cluster", "star", "cluster"]):
        (tmp_path / label).mkdir(exist_ok=True)
        np.save(tmp_path / label / f"o{k}.npy", np.random.default_rng(k).random((16, 16)).astype("f4"))
        rows.append((f"{label}/o{k}.npy", label))
    with open(tmp_path / "round1.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "label"])
        w.writerows(rows)
    monkeypatch.setenv("STARCLASS_INSPECT_PASSWORD", "a long enough password 1")
    res = runner.invoke(app, ["inspect", "--stamps", str(tmp_path / "round1.csv"), "--init", "--add-user", "ann"])
    assert res.exit_code == 0, res.output
    assert "task round1-labels" in res.output
    res = runner.invoke(app, ["inspect", "--stamps", str(tmp_path / "round1.csv"), "--task", "round1-labels",
                              "--export", str(tmp_path / "out.csv"), "--include-unlabelled"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "out.csv").is_file()
