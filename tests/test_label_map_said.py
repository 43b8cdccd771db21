"""The labels of a folder and the classes of its task are joined wherever both are read.

m31-real reads the PAndAS labels cluster, extended_cluster and galaxy as its classes 1 (cluster) and
2 (non-cluster). ``info`` of the folder said "labels: cluster 8, galaxy 8" and ``inspect`` "2 galaxy
(non-cluster)", while ``info m31-real``, ``classify``, ``evaluate`` and ``report`` said "2 (non-cluster)" with
no word of galaxy: two names for one class with nothing joining them. Until 2026-12-07; now each says the
task's label map once (labels -> class by number and name).
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from conftest import write_noise_cutout_folder, write_untrained_model
from starclass.cli import app
from starclass.learn.config import get_preset

runner = CliRunner()
MAP = "cluster, extended_cluster -> 1 (cluster); galaxy -> 2 (non-cluster)"


def test_info_of_the_task_says_its_label_map():
    res = runner.invoke(app, ["info", "m31-real"])
    assert res.exit_code == 0, res.output
    assert f"labels read as classes (label_map): {MAP}" in res.output, res.output


def test_a_task_without_a_label_map_says_none():
    res = runner.invoke(app, ["info", "legus4"])
    assert res.exit_code == 0, res.output
    assert "labels read as classes" not in res.output


@pytest.fixture(scope="module")
def classified(tmp_path_factory):
    root = tmp_path_factory.mktemp("label_map")
    labels = write_noise_cutout_folder(root / "data", 32, n=8)
    model = write_untrained_model(root / "model", get_preset("m31-real", stamp_size=32))
    res = runner.invoke(app, ["classify", "--stamps", str(labels), "--model", str(model), "-o",
                              str(root / "out.ecsv"), "--device", "cpu", "--no-progress"])
    assert res.exit_code == 0, res.output
    return root, res.output


def test_classify_evaluate_info_and_report_say_the_map(classified):
    root, said = classified
    line = f"labels read as classes (the task's label_map): {MAP}"
    assert line in said, said
    res = runner.invoke(app, ["evaluate", str(root / "out.ecsv"), "-o", str(root / "ev"), "--bootstrap", "0",
                              "--no-science", "--no-progress"])
    assert res.exit_code == 0 and line in res.output, res.output
    res = runner.invoke(app, ["info", str(root / "out.ecsv")])
    assert res.exit_code == 0, res.output
    assert "labels: cluster 4, galaxy 4" in res.output and line in res.output, res.output
    res = runner.invoke(app, ["report", str(root / "out.ecsv"), "-o", str(root / "rep"), "--bootstrap", "0",
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    assert MAP.replace(">", "&gt;") in (root / "rep" / "report.html").read_text()


def test_train_on_a_labelled_folder_says_the_map(tmp_path):
    labels = write_noise_cutout_folder(tmp_path / "data", 32, n=8)
    task = tmp_path / "task.yaml"
    from starclass.learn.config import save_config

    save_config(get_preset("m31-real", stamp_size=16, recipe={"epochs": 1, "batch_size": 8, "val_fraction": 0.25}),
                task)
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(labels), "-o", str(tmp_path / "m"),
                              "--no-progress", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    assert f"labels read as classes (the task's label_map): {MAP}" in res.output, res.output
