"""A reference already in the task's own classes, read through a merge that collapses them, is said.

m31-binary has classes 1 (cluster), 2 (non-cluster) and ``merge: {1: 1, 2: 1, 3: 2, 4: 2}``: its
reference classes are the simulator's PHANGS four. A user whose reference was binary already
(1 cluster, 2 non-cluster) had it read through that merge, 2 -> 1, without a word: ``evaluate``
scored a prediction identical to the reference at accuracy 0.500 (n_ref 6 clusters, 0
non-clusters), and ``train`` refused "class 2 (non-cluster) has no training example ... add
labelled candidates of that class", though half the labels were non-clusters. Now evaluate
warns (the classes, the merge, the counts before and after) and names the way to give a
reference in the task's own classes, a task file ``extends: m31-binary`` with ``merge: {}``; the
training error says the same. A PHANGS reference (classes 1-4) is read through the merge as
before, with no warning.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.learn.config import get_preset
from starclass.learn.train import prepare_data

runner = CliRunner()


def _catalogue(path, ref, pred):
    n = len(ref)
    Table({"id": np.arange(1, n + 1), "x": [1.0] * n, "y": [1.0] * n, "class_pred": pred,
           "class_ref": ref}).write(path)
    return path


def _evaluate(tmp_path, cat, task):
    out = tmp_path / "ev"
    res = runner.invoke(app, ["evaluate", str(cat), "--task", str(task), "-o", str(out), "--bootstrap", "0",
                              "--no-science"])
    return res


def test_binary_reference_through_the_merge_is_warned_of(tmp_path):
    cat = _catalogue(tmp_path / "bin.ecsv", [1, 2] * 3, [1, 2] * 3)
    res = _evaluate(tmp_path, cat, "m31-binary")
    assert res.exit_code == 0, res.output
    # the scores are what the merge makes of it (unchanged), but now said, once, with the counts and the way out
    assert "2class: accuracy 0.500" in res.output
    assert res.output.count("warning:") == 1, res.output
    warning = next(line for line in res.output.splitlines() if line.startswith("warning:"))
    assert "column 'class_ref': its classes (1: 3, 2: 3) are all classes of task 'm31-binary' [1, 2]" in warning
    assert "merge {1: 1, 2: 1, 3: 2, 4: 2}" in warning and "(1 -> 1; 2 -> 1)" in warning
    assert "count as 1 (cluster): 6, 2 (non-cluster): 0" in warning
    assert "'extends: m31-binary' and 'merge: {}'" in warning


def test_the_task_file_without_the_merge_scores_the_binary_reference(tmp_path):
    """The way the warning names: a task file extending m31-binary with ``merge: {}``."""
    cat = _catalogue(tmp_path / "bin.ecsv", [1, 2] * 3, [1, 2] * 3)
    task = tmp_path / "mine.yaml"
    task.write_text("extends: m31-binary\nmerge: {}\n")
    res = _evaluate(tmp_path, cat, task)
    assert res.exit_code == 0, res.output
    assert "2class: accuracy 1.000" in res.output
    assert "warning:" not in res.output


def test_a_phangs_reference_goes_through_the_merge_without_a_word(tmp_path):
    cat = _catalogue(tmp_path / "phangs.ecsv", [1, 2, 3, 4] * 2, [1, 1, 2, 2] * 2)
    res = _evaluate(tmp_path, cat, "m31-binary")
    assert res.exit_code == 0, res.output
    assert "2class: accuracy 1.000" in res.output
    assert "warning:" not in res.output


def test_training_says_the_merge_emptied_the_class():
    cfg = get_preset("m31-binary", stamp_size=8, input_size=None, recipe={"val_fraction": 0.25, "split": "random"})
    x = np.zeros((8, cfg.n_channels, 8, 8), np.float32)
    with pytest.raises(StarclassError) as err:
        prepare_data(cfg, x, [1, 2] * 4, seed=0)
    msg = str(err.value)
    assert "class 2 (non-cluster) has no training example" in msg
    assert "training labels: its classes (1: 4, 2: 4)" in msg and "count as 1 (cluster): 8, 2 (non-cluster): 0" in msg
    assert "'extends: m31-binary' and 'merge: {}'" in msg
    # and without the merge the same labels are both classes
    data = prepare_data(cfg.copy(merge={}), x, [1, 2] * 4, seed=0)
    assert data.counts.tolist() == [3, 3]


@pytest.mark.parametrize(("ref", "said"), [
    ([1, 2, 2, 0], True),          # binary, 0 (no class) not counted
    ([1, 1, 1], False),            # one class: nothing to collapse
    ([1, 2, 3, 4], False),         # the merge's own reference classes
    ([3, 4], False),               # not the task's classes
    ([], False),
])
def test_merge_collapse_note_cases(ref, said):
    from starclass.learn.config import merge_collapse_note

    note = merge_collapse_note({1: 1, 2: 1, 3: 2, 4: 2}, [1, 2], ref, task="m31-binary", what="ref")
    assert (note is not None) is said
    assert merge_collapse_note({}, [1, 2], ref, task="m31-real", what="ref") is None


def test_classify_of_a_binary_labelled_folder_warns(tmp_path):
    """classify --stamps compared binary labels with an m31-binary model's classes through the merge:
    "accuracy against the labels" counted every non-cluster as a mistake without a word."""
    from astropy.io import fits

    from starclass.stamps.store import write_stamp_store

    rng = np.random.default_rng(0)
    task = tmp_path / "small.yaml"
    task.write_text("extends: m31-binary\nstamp_size: 8\ninput_size: null\narchitecture: compact\narch_options: {}\n"
                    "recipe: {epochs: 1, batch_size: 8, split: random, val_fraction: 0.25, "
                    "early_stopping_patience: null}\n")
    n = 16
    store = write_stamp_store(tmp_path / "st.h5", rng.normal(size=(n, 1, 2, 8, 8)).astype("f4"),
                              np.ones((n, 1, 8, 8), bool),
                              {"x": rng.uniform(0, 100, n), "y": rng.uniform(0, 100, n), "class_ref": [1, 2, 3, 4] * 4},
                              channels=["g", "i"], normalisation="zscore")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(store), "-o", str(tmp_path / "m")])
    assert res.exit_code == 0, res.output
    folder = tmp_path / "fold"
    folder.mkdir()
    rows = ["file_g,file_i,label"]
    for i, lab in enumerate([1, 2] * 3):
        for b in "gi":
            fits.writeto(folder / f"{b}{i}.fits", rng.normal(100, 5, (8, 8)).astype("f4"))
        rows.append(f"g{i}.fits,i{i}.fits,{lab}")
    (folder / "labels.csv").write_text("\n".join(rows) + "\n")
    out = tmp_path / "c.ecsv"
    res = runner.invoke(app, ["classify", "--stamps", str(folder / "labels.csv"), "--model", str(tmp_path / "m"),
                              "-o", str(out)])
    assert res.exit_code == 0, res.output
    warning = [line for line in res.output.splitlines() if "are all classes of task" in line]
    assert len(warning) == 1, res.output
    assert "its classes (1: 3, 2: 3)" in warning[0] and "count as 1 (cluster): 6, 2 (non-cluster): 0" in warning[0]
    assert f"'starclass evaluate {out} --task'" in warning[0]
