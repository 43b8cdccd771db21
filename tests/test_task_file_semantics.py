"""Inconsistent task files of users' own tasks are refused with a clear error (exit 2), never a traceback.

Before: a task file writing a class by its name (``positive_class: galaxy``, ``classes: [open,
globular]``, ``label_map: {galaxy: non-cluster}``, an ``eval_merges`` member ``one``) or a merge
that is not a mapping stopped ``starclass train --task FILE`` with Python's ValueError or
TypeError traceback (exit 1); ``positive_class: 1.5`` was cut to class 1 without a word; two
classes of one name (``class_names: [galaxy, galaxy]``) were accepted, so every table and
message read "1 = galaxy, 2 = galaxy"; a threshold on a three-class task was accepted (and
overruled the most probable class in classify), though ``classify --threshold`` refuses it; an
``eval_merges`` entry of one group scored accuracy 1 whatever was predicted.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.learn.config import load_config

runner = CliRunner()

BASE = """extends: m31-real
stamp_size: 32
architecture: compact
"""

#: (what the file adds to BASE, what the error must say)
CASES = {
    "positive class by name": ("classes: [1, 2]\nclass_names: [star, galaxy]\nlabel_map: {star: 1, galaxy: 2}\n"
                               "positive_class: galaxy\n",
                               "positive_class='galaxy' is not a class number (a whole number >= 1); galaxy is "
                               "class 2: write 2"),
    "positive class a label": ("positive_class: galaxy\n",
                               "label 'galaxy' is class 2 (non-cluster) in label_map: write 2"),
    "positive class a fraction": ("positive_class: 1.5\n", "positive_class=1.5 is not a class number"),
    "unknown positive class": ("positive_class: 3\n", "positive_class=3 not in classes [1, 2]"),
    "classes as strings": ("classes: [open, globular]\nclass_names: [open, globular]\n",
                           "classes entry='open' is not a class number"),
    "label mapped to a name": ("label_map: {cluster: 1, galaxy: non-cluster}\n",
                               "label_map['galaxy']='non-cluster' is not a class number (a whole number >= 1); "
                               "non-cluster is class 2: write 2"),
    "label map a list": ("label_map: [cluster, galaxy]\n", "label_map=['cluster', 'galaxy'] must map each label"),
    "label mapped to no class": ("label_map: {cluster: 1, galaxy: 3}\n",
                                 "'label_map' maps to classes not in [1, 2]: {'galaxy': 3}"),
    "duplicate class": ("classes: [1, 1]\n", "'classes' must list each class once, and [1, 1] lists class 1 twice"),
    # the repeated class named (the message gave the list alone), each repeat once
    "class listed twice among others": ("classes: [1, 2, 3, 2, 3, 3]\nclass_names: [a, b, c, d, e, f]\n",
                                        "[1, 2, 3, 2, 3, 3] lists class 2 twice, class 3 3 times: remove the "
                                        "repeat"),
    "duplicate class name": ("class_names: [galaxy, galaxy]\n",
                             "class_names ['galaxy', 'galaxy'] name 'galaxy' more than once"),
    "merge naming an unknown class": ("eval_merges: {ab: {a: [1, 5], b: [2]}}\n",
                                      "eval_merges['ab'] names class 5, not among the task's classes [1, 2]"),
    "merge member by name": ("eval_merges: {ab: {a: [one], b: [2]}}\n",
                             "eval_merges['ab']['a'] entry='one' is not a class number"),
    "merge not a mapping": ("eval_merges: {ab: [1, 2]}\n", "eval_merges['ab'] must map group names to lists"),
    "merge of one group": ("eval_merges: {all: {x: [1, 2]}}\n", "eval_merges['all'] has one group"),
    "merge named as the task's classes": ("eval_merges: {2class: {a: [1], b: [2]}}\n",
                                          "'2class' is the name the task's own 2 classes are scored under"),
    "threshold on three classes": ("classes: [1, 2, 3]\nclass_names: [a, b, c]\nlabel_map: {a: 1, b: 2, c: 3}\n"
                                   "threshold: 0.5\npositive_class: 1\n",
                                   "threshold=0.5 applies to binary tasks only; this task has 3 classes"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_an_inconsistent_task_file_is_an_error_naming_the_field(tmp_path, case):
    body, says = CASES[case]
    path = tmp_path / "mine.yaml"
    path.write_text(BASE + body)
    with pytest.raises(StarclassError) as info:
        load_config(path)
    assert says in str(info.value)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("case", ["positive class by name", "classes as strings", "label mapped to a name",
                                  "merge not a mapping", "duplicate class name", "class listed twice among others"])
def test_train_refuses_an_inconsistent_task_file_with_exit_2(tmp_path, case):
    body, says = CASES[case]
    (tmp_path / "mine.yaml").write_text(BASE + body)
    (tmp_path / "labels.csv").write_text("file,label\na.png,cluster\n")
    res = runner.invoke(app, ["train", "--task", str(tmp_path / "mine.yaml"), "--stamps",
                              str(tmp_path / "labels.csv"), "-o", str(tmp_path / "model")])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and says in res.output
    assert not (tmp_path / "model").exists()


def test_consistent_tasks_of_other_schemes_still_load(tmp_path):
    path = tmp_path / "five.yaml"
    path.write_text(BASE + "classes: [1, 2, 3, 4, 5]\nclass_names: [c1, c2, c3, star, artefact]\n"
                    'label_map: {"1": 1, "2": 2, "3": 3, star: 4, artefact: 5}\npositive_class: null\n'
                    "eval_merges: {clusters_v_rest: {cluster: [1, 2, 3], other: [4, 5]}}\n")
    cfg = load_config(path)
    assert cfg.eval_merges == {"clusters_v_rest": {"cluster": [1, 2, 3], "other": [4, 5]}}
    assert cfg.label_map == {"1": 1, "2": 2, "3": 3, "star": 4, "artefact": 5}
    path.write_text(BASE + "classes: [1, 2]\nclass_names: [star, galaxy]\nlabel_map: {star: 1, galaxy: 2}\n"
                    "positive_class: 2.0\nthreshold: 0.7\n")
    cfg = load_config(path)
    assert (cfg.positive_class, cfg.threshold) == (2, 0.7)
