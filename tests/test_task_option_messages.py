"""Every command taking ``--task`` names the option and the value when the task is wrong.

Before: ``evaluate --task phangs`` said "task config 'phangs' is neither a file nor a preset",
an unparsable task file "task config five.yaml: cannot parse: ...", and ``inspect --task x``
"task 'x' has no label scheme": none said which option of the command line was wrong.
"""

from __future__ import annotations

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


@pytest.fixture()
def inputs(tmp_path):
    t = Table({"id": [1, 2, 3], "x": [10.0, 20.0, 30.0], "y": [10.0, 20.0, 30.0], "class_pred": [1, 2, 1],
               "class_ref": [1, 2, 2], "prob_1": [0.9, 0.3, 0.6], "prob_2": [0.1, 0.7, 0.4]})
    t.write(tmp_path / "three.ecsv")
    (tmp_path / "broken.yaml").write_text("classes: [1, 2\n")
    (tmp_path / "mosaics").mkdir()
    return tmp_path


def _commands(d):
    cat = str(d / "three.ecsv")
    return {
        "evaluate": ["evaluate", cat, "-r", "self", "-o", str(d / "ev")],
        "report": ["report", cat, "-r", "self", "-o", str(d / "rep") + "/"],
        "train": ["train", "--catalog", cat, "-o", str(d / "model")],
        "cutouts": ["cutouts", str(d / "mosaics"), "--catalog", cat, "-o", str(d / "st.h5")],
        "demo": ["demo", "-o", str(d / "demo")],
        "inspect --stamps": ["inspect", "--stamps", cat],
    }


@pytest.mark.parametrize("command", ["evaluate", "report", "train", "cutouts", "demo", "inspect --stamps"])
@pytest.mark.parametrize("value, says", [("phangs", "--task 'phangs' is neither a file nor a preset"),
                                         ("broken.yaml", "--task {d}/broken.yaml: cannot parse")])
def test_a_bad_task_is_named_as_the_option_and_its_value(inputs, command, value, says):
    value = value if value == "phangs" else str(inputs / value)
    res = runner.invoke(app, [*_commands(inputs)[command], "--task", value])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    assert says.format(d=inputs) in res.output
    # nothing written
    assert sorted(p.name for p in inputs.iterdir()) == ["broken.yaml", "mosaics", "three.ecsv"]


def test_inspect_task_without_a_scheme_names_the_option(inputs):
    res = runner.invoke(app, ["inspect", str(inputs), "--task", "phangs"])
    assert res.exit_code == 2, res.output
    assert "--task 'phangs' has no label scheme for inspect" in res.output


def test_a_task_whose_classes_do_not_fit_names_the_option_and_value(inputs):
    """Guard: evaluate with a 4-class task on a 2-class catalogue named it already ('(from --task)')."""
    res = runner.invoke(app, [*_commands(inputs)["evaluate"], "--task", "phangs4"])
    assert res.exit_code == 2, res.output
    assert "task 'phangs4' (from --task) has classes [1, 2, 3, 4]" in res.output


@pytest.mark.parametrize("value, says", [("task.yaml", "is a file"), ("missing.yaml", ": no such file"),
                                         ("mosaics", "is a folder")])
def test_inspect_data_dir_with_a_task_path_says_what_task_takes(inputs, value, says):
    """`inspect DIR --task my.yaml` (and a file that is not there) said "has no label scheme for
    inspect", as for a preset without one: now it says --task takes a preset name there and how
    to use a task file (--scheme, or --stamps LIST --task FILE)."""
    (inputs / "task.yaml").write_text("classes: [1, 2]\n")
    before = sorted(p.name for p in inputs.iterdir())
    value = str(inputs / value)
    res = runner.invoke(app, ["inspect", str(inputs), "--task", value])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    out = " ".join(res.output.split())
    assert f"--task {value}{'' if says.startswith(':') else ' '}{says}" in out
    assert "has no label scheme" not in out
    assert "takes a task preset name" in out and "--scheme" in out and "--stamps LIST --task FILE" in out
    assert sorted(p.name for p in inputs.iterdir()) == before  # nothing written
