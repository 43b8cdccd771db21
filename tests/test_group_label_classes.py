"""Cutouts of one object are warned of when their labels give different classes, not when they differ in writing.

A spreadsheet's labels (``Cluster``, ``cluster``, ``CLUSTER``) are one class (a task file may map each to
class 1; since 2026-12-06 a label in another case than the map's key is read as it). Until 2026-12-05
every command that read such a folder (train, classify, calibrate, explain, inspect --stamps) still
warned "cutouts of one object carry different labels" for an object with a ``Cluster`` and a ``cluster``
cutout: one class to the model, so a false alarm naming rows that are fine. The labels are now compared
by the class the task's map gives them; a folder read without a task (``info``) still compares them as
written.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.io.cutout_folders import read_cutout_folder
from starclass.learn.config import get_preset

pytestmark = pytest.mark.usefixtures("single_thread")
MAP = {"cluster": 1, "Cluster": 1, "galaxy": 2}


def _folder(root: Path, labels: list[str], objects: list[str]) -> Path:
    """``root/labels.csv`` (file, label, object_id) over small noise ``.npy`` cutouts."""
    rng = np.random.default_rng(0)
    lines = ["file,label,object_id"]
    for i, (lab, obj) in enumerate(zip(labels, objects)):
        np.save(root / f"c{i}.npy", rng.normal(size=(16, 16)).astype(np.float32))
        lines.append(f"c{i}.npy,{lab},{obj}")
    (root / "labels.csv").write_text("\r\n".join(lines) + "\r\n")
    return root / "labels.csv"


def _mixed(csv: Path, **kw) -> list[str]:
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        read_cutout_folder(csv, group_column="object_id", **kw)
    return [str(w.message) for w in seen if "cutouts of one object carry" in str(w.message)]


def test_labels_of_one_class_are_not_mixed(tmp_path):
    csv = _folder(tmp_path, ["Cluster ", "cluster", "galaxy", "galaxy"], ["B1", "B1", "G1", "G1"])
    assert _mixed(csv, label_map=MAP) == []
    # without a task the labels are all there is to compare: 'Cluster' is not 'cluster'
    assert len(_mixed(csv)) == 1


def test_labels_of_different_classes_are_still_warned_of(tmp_path):
    csv = _folder(tmp_path, ["Cluster", "galaxy", "galaxy", "galaxy"], ["B1", "B1", "G1", "G1"])
    said = _mixed(csv, label_map=MAP)
    assert len(said) == 1 and "labels of different classes" in said[0] and "'B1'" in said[0]
    assert "row 2" in said[0] and "row 1" in said[0]


def test_classify_says_nothing_of_one_class_written_two_ways(tmp_path):
    cfg = get_preset("m31-real").copy(name="mine", stamp_size=16, label_map=MAP)
    model = write_untrained_model(tmp_path / "model", cfg)
    csv = _folder(tmp_path, ["Cluster", "cluster", "galaxy", "galaxy"], ["B1", "B1", "G1", "G1"])
    res = CliRunner().invoke(app, ["classify", "--stamps", str(csv), "--model", str(model),
                                   "-o", str(tmp_path / "out.csv")])
    assert res.exit_code == 0, res.output
    assert "carry" not in res.output
    assert (tmp_path / "out.csv").is_file()
