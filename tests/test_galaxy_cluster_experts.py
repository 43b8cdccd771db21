"""The galaxy-cluster experts' five kinds train from the CLI without a hand-written task (2026-12-07).

``simulate --preset galaxy-cluster`` writes five kinds of objects (``expert``) beside the binary ``label``.
Training them as five classes needed a task file with ``threshold: null``: one extending galaxy-cluster
without it was refused "a threshold needs a positive_class" (with ``positive_class: null``) or told to
"remove threshold", which the file never wrote. Now: the preset ``galaxy-cluster-experts``, named by
``simulate`` (its ``expert:`` line) and by ``info`` (which tasks fit which column); ``train`` on the binary
``label`` with it points to ``--label-column expert``; and the refusal of such a file says where the
threshold comes from, with the whole file as one copyable line of YAML.
"""

from __future__ import annotations

import re
import shlex

import pytest
import yaml
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.learn.config import load_config

runner = CliRunner()

FIVE = ("extends: galaxy-cluster-compact\nclasses: [1, 2, 3, 4, 5]\n"
        "class_names: [low-z cluster, high-z cluster, nearby galaxy, point source, other]\n")


@pytest.fixture(scope="module")
def gc_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("gc") / "gc"
    res = runner.invoke(app, ["simulate", str(out), "--preset", "galaxy-cluster", "--n", "30", "--size", "32",
                              "--volunteers", "0", "--no-progress"])
    assert res.exit_code == 0, res.output
    return out, res.output


@pytest.mark.parametrize("extra", ["", "positive_class: null\n"])
def test_a_five_class_file_is_told_the_threshold_comes_from_its_base(tmp_path, extra):
    path = tmp_path / "five.yaml"
    path.write_text(FIVE + extra)
    with pytest.raises(StarclassError) as info:
        load_config(path)
    said = str(info.value)
    assert str(path) in said and "threshold" in said, said
    assert "the threshold comes from galaxy-cluster-compact, which the file extends" in said, said
    assert "--task galaxy-cluster-experts" in said, said
    # the example is the whole file as one line of YAML: written as it is, it loads as a five-class task
    example = re.search(r"one line of YAML: (\{.*\})", said).group(1)
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(example + "\n")
    cfg = load_config(fixed)
    assert cfg.classes == [1, 2, 3, 4, 5] and cfg.threshold is None, example
    assert yaml.safe_load(example)["class_names"][0] == "low-z cluster"


def test_a_binary_file_without_positive_class_is_told_what_to_write(tmp_path):
    path = tmp_path / "bin.yaml"
    path.write_text("extends: galaxy-cluster\npositive_class: null\n")
    with pytest.raises(StarclassError,
                       match=r"threshold=0\.5 needs a positive_class, the class whose probability it cuts: write "
                             r"'positive_class: N' with N one of 1 \(cluster\), 2 \(non-cluster\), or "
                             r"'threshold: null'"):
        load_config(path)


def test_simulate_names_the_task_of_the_expert_column_and_its_command_trains(gc_folder, tmp_path):
    out, said = gc_folder
    line = next((ln.strip() for ln in said.splitlines() if ln.strip().startswith("expert: ")), None)
    assert line is not None, said
    assert "1 (low-z cluster) " in line and "5 (other) " in line, line
    command = re.search(r"'(starclass train [^']*)'", line).group(1)
    args = shlex.split(command)[1:]
    assert args[args.index("--task") + 1] == "galaxy-cluster-experts" and "--label-column" in args, command
    args[args.index("-o") + 1] = str(tmp_path / "m5")
    res = runner.invoke(app, [*args, "--epochs", "1", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "5 (other)" in res.output, res.output


def test_the_binary_label_column_is_refused_naming_the_expert_column(gc_folder, tmp_path):
    out, _ = gc_folder
    res = runner.invoke(app, ["train", "--task", "galaxy-cluster-experts", "--stamps", str(out / "labels.csv"),
                              "--stamp-size", "32", "--epochs", "1", "-o", str(tmp_path / "m"), "--no-progress"])
    assert res.exit_code == 2, res.output
    assert "column 'label' holds classes 1, 2 of the 5 of task 'galaxy-cluster-experts'" in res.output, res.output
    assert "give --label-column expert" in res.output, res.output
    assert not (tmp_path / "m").exists()


def test_info_says_which_tasks_train_on_which_column(gc_folder):
    out, _ = gc_folder
    res = runner.invoke(app, ["info", str(out / "labels.csv")])
    assert res.exit_code == 0, res.output
    line = next((ln for ln in res.output.splitlines() if ln.startswith("tasks that train on these labels")), None)
    assert line is not None, res.output
    parts = dict(p.split(": ", 1) for p in line.split(": ", 1)[1].split("; "))
    assert parts["label 1-2"].split(", ") == ["galaxy-cluster", "galaxy-cluster-compact", "galaxy-cluster-mobilenet"]
    assert parts["expert 1-5"] == "galaxy-cluster-experts", line
    # a column of whole numbers that no task has as classes is not listed
    assert not any(k.startswith("n_members") for k in parts), line
