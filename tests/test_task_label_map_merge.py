"""A task with a ``merge`` maps its labels to reference classes, which the merge sends to its classes.

Before: ``TaskConfig`` checked ``label_map`` against the task's *output* classes, while training
(``map_classes``) and evaluation (``EvalTask.reference_labels``) send the mapped labels through
``merge`` as reference classes. A task from m31-binary (merge ``{1: 1, 2: 1, 3: 2, 4: 2}``) with
``label_map: {cluster: 1, galaxy: 2}`` was accepted and trained its galaxies as clusters (2 -> 1;
``train`` then stopped on "class 2 has no training example"), while the right map,
``{cluster: 1, galaxy: 4}``, was refused ("maps to classes not in [1, 2]").
"""

from __future__ import annotations

import csv
import re

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.evaluate.task import EvalTask
from starclass.learn.config import get_preset, save_config

runner = CliRunner()
MERGE = {1: 1, 2: 1, 3: 2, 4: 2}
LABELS = {"cluster": 1, "extended_cluster": 2, "galaxy": 4}


def test_label_map_classes_are_the_merges_reference_classes():
    cfg = get_preset("m31-real", name="merged", merge=MERGE, label_map=LABELS)
    task = EvalTask.from_config(cfg)
    ref = task.reference_labels(task.label_classes(["galaxy", "cluster", "extended_cluster"]))
    assert ref.tolist() == [2, 1, 1]
    assert cfg.map_classes([LABELS["galaxy"], LABELS["extended_cluster"]]).tolist() == [2, 1]
    with pytest.raises(StarclassError, match=r"not among the reference classes \[1, 2, 3, 4\] of 'merge'.*'star': 5"):
        get_preset("m31-real", name="merged", merge=MERGE, label_map={**LABELS, "star": 5})
    # without a merge the map's classes are the task's own, as before
    with pytest.raises(StarclassError, match=r"'label_map' maps to classes not in \[1, 2\]: \{'galaxy': 4\}"):
        get_preset("m31-real", name="plain", label_map=LABELS)


def test_train_on_a_folder_with_a_merged_label_map(tmp_path):
    rng = np.random.default_rng(0)
    rows = []
    for i in range(24):
        label = list(LABELS)[i % 3]
        img = (rng.random((16, 16)) * (80 if label == "galaxy" else 255)).astype(np.uint8)
        Image.fromarray(img).save(tmp_path / f"c{i:02d}.png")
        rows.append({"file": f"c{i:02d}.png", "label": label})
    with open(tmp_path / "labels.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["file", "label"])
        w.writeheader()
        w.writerows(rows)
    cfg = get_preset("m31-real", name="merged", stamp_size=16, merge=MERGE, label_map=LABELS, group_column=None,
                     recipe={"epochs": 1, "batch_size": 8, "val_fraction": 0.25})
    task = save_config(cfg, tmp_path / "merged.yaml")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(tmp_path / "labels.csv"), "-o",
                              str(tmp_path / "model"), "--no-progress"])
    assert res.exit_code == 0, res.output
    # 8 galaxies are the non-clusters (class 2), 16 clusters and extended clusters class 1
    m = re.search(r"training counts per class: 1 \(cluster\): (\d+), 2 \(non-cluster\): (\d+)", res.output)
    v = re.search(r"(\d+) training, (\d+) validation cutouts", res.output)
    assert m and v, res.output
    assert int(m.group(2)) > 0 and int(m.group(1)) + int(m.group(2)) == int(v.group(1))


def test_the_unknown_label_note_of_a_merged_task_lists_reference_classes(tmp_path):
    # it listed the output classes ('1 = cluster, 2 = non-cluster'): 'star: 2' written from it trained stars as
    # clusters (reference class 2 -> 1)
    Image.fromarray(np.zeros((16, 16), np.uint8) + 9).save(tmp_path / "a.png")
    Image.fromarray(np.arange(256, dtype=np.uint8).reshape(16, 16)).save(tmp_path / "b.png")
    (tmp_path / "labels.csv").write_text("file,label\na.png,cluster\nb.png,star\n")
    cfg = get_preset("m31-real", name="merged", stamp_size=16, merge=MERGE, label_map=LABELS, group_column=None)
    task = save_config(cfg, tmp_path / "merged.yaml")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(tmp_path / "labels.csv"), "-o",
                              str(tmp_path / "model"), "--no-progress"])
    assert res.exit_code == 2, res.output
    assert ("each N a class of the task (1 = cluster (through merge), 2 = cluster (through merge), "
            "3 = non-cluster (through merge), 4 = non-cluster (through merge)") in res.output
    task_ = EvalTask.from_config(cfg)
    with pytest.raises(StarclassError, match=r"3 = non-cluster \(through merge\)"):
        task_.label_classes(["cluster", "star"])


def test_inspect_writes_for_each_class_a_label_that_training_maps_back_to_it():
    # label_strings matched the map's numbers to the output classes: with this merge, class 2 (non-cluster)
    # was written as 'extended_cluster', which the map sends to reference class 2 and the merge to class 1
    from starclass.inspect.schemes import label_strings

    cfg = get_preset("m31-real", name="merged", merge=MERGE, label_map=LABELS)
    written = label_strings(cfg)
    assert written == {1: "cluster", 2: "galaxy"}
    assert all(int(cfg.map_classes([cfg.label_map[lab]])[0]) == k for k, lab in written.items())
    # integer labels are reference classes too: m31-binary's non-cluster is written as 3 (it was 2, a cluster)
    binary = get_preset("m31-binary")
    written = label_strings(binary)
    assert written == {1: "1", 2: "3"}
    assert all(int(binary.map_classes([int(lab)])[0]) == k for k, lab in written.items())
