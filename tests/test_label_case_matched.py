"""Labels that differ from a task's only in case are read as the task's (issue 12: other people's cutouts).

Label folders are named as people write them (``Cluster/``, ``GALAXY/``), and a spreadsheet's label column
holds ``CLUSTER`` beside ``cluster``. Until 2026-12-06 ``train --task m31-real`` refused such a folder
("label 'Cluster' is not known to the task") and asked for a task file mapping ``Cluster`` to 1, and
``evaluate --label-column label`` refused a classified table whose labels were so written. Now a label is
read as the ``label_map`` key it is in another case, with one warning saying so, where the keys it could
be give one class; where they give different classes it stays unknown, and the message says which.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.evaluate.task import EvalTask
from starclass.io.cutout_folders import mapped_label

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


def _label_folders(root: Path, names: dict[str, int]) -> Path:
    """An ImageFolder of small noise cutouts: ``names`` folder -> how many cutouts (a bright centre or not)."""
    rng = np.random.default_rng(3)
    for name, n in names.items():
        (root / name).mkdir(parents=True)
        for i in range(n):
            a = rng.normal(0.0, 1.0, (16, 16)).astype(np.float32)
            if "luster" in name.lower():
                a[6:10, 6:10] += 8.0
            np.save(root / name / f"c{i}.npy", a)
    return root


def test_train_classify_evaluate_read_labels_in_another_case(tmp_path):
    src = _label_folders(tmp_path / "cuts", {"Cluster": 6, "GALAXY": 6})
    task = tmp_path / "small.yaml"
    task.write_text("extends: m31-real\nstamp_size: 16\nrecipe: {epochs: 1, batch_size: 8}\n")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(src), "-o", str(tmp_path / "m")])
    said = " ".join(res.output.split())
    assert res.exit_code == 0, res.output
    assert "'Cluster' as 'cluster' (6 images)" in said and "'GALAXY' as 'galaxy' (6 images)" in said
    assert said.count("labels read as the task's labels in another case") == 1  # once, though read at several steps
    assert "training counts per class: 1 (cluster): " in said
    out = tmp_path / "out.ecsv"
    res = runner.invoke(app, ["classify", "--stamps", str(src), "--model", str(tmp_path / "m"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    t = Table.read(out)
    # the reference classes come from the labels as the map reads them: 'Cluster' is class 1, 'GALAXY' class 2
    assert sorted(zip(t["label"].tolist(), t["class_ref"].tolist())) == [("Cluster", 1)] * 6 + [("GALAXY", 2)] * 6
    res = runner.invoke(app, ["evaluate", str(out), "--label-column", "label", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    assert "12 objects" in " ".join(res.output.split())


def test_keys_in_two_cases_of_different_classes_leave_the_label_unknown(tmp_path):
    task = EvalTask.from_classes((1, 2), label_map={"gc": 1, "GC": 2})
    assert mapped_label("Gc", {"gc": 1, "GC": 2}) is None
    assert mapped_label("CLUSTER", {"cluster": 1, "Cluster": 1, "galaxy": 2}) in ("cluster", "Cluster")
    with pytest.raises(Exception, match=r"'Gc' could be 'gc' \(class 1\) or 'GC' \(class 2\)"):
        task.label_classes(["gc", "Gc"], what="t.csv column 'label'")
    assert task.label_classes(["gc", "GC"], what="t.csv column 'label'").tolist() == [1, 2]


def test_an_exact_key_wins_over_another_case(tmp_path):
    assert mapped_label("Galaxy", {"galaxy": 2, "Galaxy": 1}) == "Galaxy"
    task = EvalTask.from_classes((1, 2), label_map={"cluster": 1, "galaxy": 2})
    with pytest.warns(UserWarning, match=r"'Galaxy' as 'galaxy' \(2 rows\)"):
        assert task.label_classes(["Galaxy", " cluster", "Galaxy"], what="t").tolist() == [2, 1, 2]
