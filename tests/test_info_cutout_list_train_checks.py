"""``info`` of a cutout list says, as warnings, what ``train`` would refuse or warn of; the reader's own checks.

Before: ``info LIST.csv`` described a list whose object was split across its ready-made folds (train: exit 2) and
whose object's cutouts carried two labels without a word, and refused ``--task`` ("--task needs a catalogue"), so
a label the task does not know was found by train only. The two-label warning also called an unknown label
(``star`` under m31-real) a class: "labels of different classes".
"""

from __future__ import annotations

import numpy as np
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()
# (label, object, fold): A split across folds 0 and 1; B carries galaxy and star (unknown to m31-real);
# D carries cluster and galaxy (two classes of m31-real)
ROWS = [("cluster", "A", 0), ("cluster", "A", 1), ("galaxy", "B", 0), ("star", "B", 0), ("galaxy", "C", 1),
        ("cluster", "D", 1), ("galaxy", "D", 1), ("cluster", "F", 0)]


def _list(root):
    rng = np.random.default_rng(0)
    lines = ["file,label,object_id,fold"]
    for i, (label, obj, fold) in enumerate(ROWS):
        np.save(root / f"c{i}.npy", rng.random((16, 16)).astype(np.float32))
        lines.append(f"c{i}.npy,{label},{obj},{fold}")
    (root / "labels.csv").write_text("\n".join(lines) + "\n")
    return root / "labels.csv"


def test_info_warns_of_what_train_would_refuse(tmp_path):
    listed = _list(tmp_path)
    r = runner.invoke(app, ["info", str(listed)])
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert "cutouts: 8" in said
    assert ("file 'c1.npy': group 'A' is split across folds 0 (row 1) and 1: train refuses a group split across the "
            "folds of column 'fold'") in said, said
    assert "cutouts of one object carry different labels (object_id 'B': 'star'" in said, said
    # train refuses the same list for the same object
    r = runner.invoke(app, ["train", "--stamps", str(listed), "--task", "m31-real", "--stamp-size", "16",
                            "-o", str(tmp_path / "m")])
    assert r.exit_code == 2 and "group 'A' is split across folds 0 (row 1) and 1" in " ".join(r.output.split())
    assert not (tmp_path / "m").exists()


def test_info_task_names_unknown_labels_as_labels(tmp_path):
    r = runner.invoke(app, ["info", str(_list(tmp_path)), "--task", "m31-real"])
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert ("train refuses labels task 'm31-real' does not know, and classify and evaluate leave their rows out of "
            "every score (class_ref 0); 1 row carries 1 label the task does not know: 'star' (row 4)") in said, said
    # star is no class of the task: B's two labels (and D's, said in the same line) are labels, not classes
    assert "cutouts of one object carry different labels (object_id 'B': 'star'" in said, said
    assert "object_id 'D': 'galaxy'" in said and "labels of different classes" not in said, said


def test_two_label_warning_words_an_unknown_label_as_a_label():
    import warnings

    from starclass.io.cutout_folders import _warn_mixed_labels

    def said(labels):
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            _warn_mixed_labels(np.array(labels), np.array(["B", "B"]), ["a.png", "b.png"], lambda i, f: f,
                               "object_id", {"cluster": 1, "galaxy": 2})
        return " ".join(str(w.message) for w in seen)

    assert said(["galaxy", "star"]).startswith("cutouts of one object carry different labels (object_id 'B'")
    assert said(["galaxy", "cluster"]).startswith("cutouts of one object carry labels of different classes")
