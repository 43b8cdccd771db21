"""A cutout label spelled as a missing value (``N/A``, ``nan``, ``--``) is no label, unless the task names it.

Before: ``classify --stamps`` of a task without a label_map refused a row labelled ``nan`` ("label 'nan' is
not a whole class number"), where it classifies an empty label as an unlabelled row; with a label_map,
``N/A`` was warned of as a label the task does not know, with a task file mapping it to a class to copy;
train refused it so too, nothing saying it looks like a missing value; ``evaluate --label-column`` refused
'N/A' as "not a class number". Now such a label the task's map does not name reads as an empty one
(class 0: classify keeps the row, unlabelled; evaluate leaves it out and counts it), and train and calibrate
refuse it as "label 'N/A' (a missing label?)" naming every such row. A label_map naming one (``none``,
``NA``) keeps it a class.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import one_band_model, point_source  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.evaluate.task import EvalTask
from starclass.io.cutout_folders import CutoutSet, label_classes

runner = CliRunner()


def _set(labels):
    n = len(labels)
    return CutoutSet(images=np.zeros((n, 1, 4, 4), np.float32), table=Table(), files=[f"c{i}.npy" for i in range(n)],
                     labels=np.array(labels), groups=np.array([f"c{i}" for i in range(n)]))


@pytest.mark.parametrize("spelled", ["N/A", "nan", "NaN", "--", "null", "#N/A"])
def test_classify_reads_it_as_no_label_and_train_refuses_it_as_missing(spelled):
    cs = _set(["galaxy", spelled, "cluster", "galaxy"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # as an empty label: nothing said
        got = label_classes(cs, {"cluster": 1, "galaxy": 2}, allow_empty=True, allow_unknown=True)
    assert got.tolist() == [2, 0, 1, 2]
    with pytest.raises(StarclassError, match=rf"c1.npy: label '{spelled}' \(a missing label\?\)") as exc:
        label_classes(cs, {"cluster": 1, "galaxy": 2})
    assert "train and calibrate need a label on every row" in str(exc.value)
    numbered = _set(["1", spelled, "2", spelled])
    assert label_classes(numbered, {}, allow_empty=True, allow_unknown=True).tolist() == [1, 0, 2, 0]
    with pytest.raises(StarclassError, match=r"\(a missing label\?\); 2 rows .*rows 2, 4 "):
        label_classes(numbered, {})


def test_a_class_named_none_or_na_stays_a_class():
    cs = _set(["none", "NA", "None", "cluster"])
    assert label_classes(cs, {"none": 3, "NA": 4, "cluster": 1}).tolist() == [3, 4, 3, 1]
    # 'none' is never read as missing: a task that does not know it says so, as of any unknown label
    with pytest.raises(StarclassError, match="label 'none' is not known to the task"):
        label_classes(_set(["none"]), {"cluster": 1})


def test_evaluate_label_column_leaves_them_out():
    task = EvalTask.from_classes((1, 2), name="t", label_map={"cluster": 1, "galaxy": 2})
    with pytest.warns(UserWarning, match=r"col: 2 rows have no label, left out of the scores: rows 2, 3 \("):
        assert task.label_classes(["galaxy", "N/A", "--", "cluster"], what="col").tolist() == [2, 0, 0, 1]
    numbered = EvalTask.from_classes((1, 2), name="t")
    with pytest.warns(UserWarning, match="col: 1 row has no label"):
        assert numbered.label_classes(["1", "N/A", "2"], what="col").tolist() == [1, 0, 2]


def test_classify_stamps_keeps_a_nan_labelled_row_unlabelled(tmp_path):
    model = one_band_model(tmp_path / "model", 16)
    root = tmp_path / "cut"
    root.mkdir()
    for i in range(3):
        np.save(root / f"c{i}.npy", point_source(i, 16))
    (root / "labels.csv").write_text("file,label\nc0.npy,1\nc1.npy,nan\nc2.npy,N/A\n")
    out = tmp_path / "out.ecsv"
    r = runner.invoke(app, ["classify", "--stamps", str(root / "labels.csv"), "--model", str(model),
                            "-o", str(out), "--no-progress"])
    assert r.exit_code == 0, r.output
    t = Table.read(out)
    assert t["class_ref"].tolist() == [1, 0, 0] and len(t) == 3
    # counted as unlabelled, not as "with a label the task does not know"
    said = " ".join(r.output.split())
    assert "(2 unlabelled left out)" in said and "does not know" not in said, said
    # train refuses it, naming the row
    r = runner.invoke(app, ["train", "--stamps", str(root / "labels.csv"), "--task", "cool-core-compact",
                            "-o", str(tmp_path / "m2")])
    assert r.exit_code == 2, r.output
    assert "label 'nan' (a missing label?)" in " ".join(r.output.split()) and "Traceback" not in r.output
    assert not (tmp_path / "m2").exists()
    # info says it looks missing
    r = runner.invoke(app, ["info", str(root / "labels.csv")])
    assert r.exit_code == 0 and "N/A (a missing label? unless the task names it: classify only) 1" in r.output, r.output
