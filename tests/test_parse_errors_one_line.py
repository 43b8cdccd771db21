"""A YAML or JSON file that does not parse is one line naming the file, line and column (exit 2).

Before: a task file holding ``classes: [1, 2`` gave ``error: --task syn.yaml: cannot parse: while
parsing a flow sequence`` followed by PyYAML's own lines (``in "<unicode string>", line 1, column
10:``, the line quoted, a ``^`` under the column, the same again for line 2), which read as a second
message; a survey plan said the same after ``not valid YAML:``. Now each is one line: where the
parser stopped, what it expected, and where the unclosed bracket began. A task JSON and a model's
hand-edited ``manifest.json`` name the line and column the same way.
"""

from __future__ import annotations

import json

import pytest
import yaml
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.errors import parse_error_text
from starclass.learn.config import get_preset

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("single_thread")


def _one_line(res) -> str:
    out = res.output.strip()
    assert res.exit_code == 2 and "Traceback" not in out, out
    # PyYAML's marks: the quoted line, a '^' under the column, '<unicode string>'
    assert "\n" not in out and "^" not in out and "<unicode string>" not in out, out
    return out


@pytest.fixture()
def catalogue(tmp_path):
    path = tmp_path / "three.ecsv"
    Table({"id": [1, 2, 3], "x": [1.0, 2.0, 3.0], "y": [1.0, 2.0, 3.0], "class_pred": [1, 2, 1],
           "class_ref": [1, 2, 2]}).write(path)
    return path


def test_a_task_file_that_does_not_parse_is_one_line(tmp_path, catalogue):
    task = tmp_path / "syn.yaml"
    task.write_text("classes: [1, 2\n")
    res = runner.invoke(app, ["evaluate", str(catalogue), "-r", "self", "-o", str(tmp_path / "ev"),
                              "--task", str(task)])
    out = _one_line(res)
    assert f"--task {task}: cannot parse: line 2, column 1: expected ',' or ']', but got the end of the file " \
           "(while parsing a flow sequence started at line 1, column 10)" in out, out
    assert not (tmp_path / "ev").exists()


def test_a_task_json_names_line_and_column(tmp_path, catalogue):
    task = tmp_path / "t.json"
    task.write_text('{"extends": "m31-real",\n "stamp_size": 32,\n}\n')
    res = runner.invoke(app, ["evaluate", str(catalogue), "-r", "self", "-o", str(tmp_path / "ev"),
                              "--task", str(task)])
    out = _one_line(res)
    assert f"--task {task}: cannot parse: line 3, column 1: Expecting property name" in out, out


def test_a_survey_plan_that_does_not_parse_is_one_line(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text("fields:\n  - name: a\n    mosaics: {g: a.fits\n")
    res = runner.invoke(app, ["survey", str(plan), "-o", str(tmp_path / "out")])
    out = _one_line(res)
    assert f"plan {plan}: not valid YAML: line 4, column 1: expected ',' or '}}', but got the end of the file " \
           "(while parsing a flow mapping started at line 3, column 14)" in out, out
    assert not (tmp_path / "out").exists()


def test_info_of_a_folder_whose_plan_does_not_parse_says_so(tmp_path):
    """``info DIR`` of a folder holding only a broken plan.yaml said "no catalogue could be read in DIR"
    without a word of the plan."""
    folder = tmp_path / "fl"
    folder.mkdir()
    (folder / "plan.yaml").write_text("fields:\n  - name: a\n    mosaics: {g: a.fits\n")
    out = _one_line(runner.invoke(app, ["info", str(folder)]))
    assert out.startswith(f"error: survey plan {folder / 'plan.yaml'} is not valid YAML: line 4, column 1: expected "
                          "',' or '}', but got the end of the file (while parsing a flow mapping started at line 3, "
                          f"column 14); and no catalogue could be read in {folder}"), out
    # a plan that parses is described as one (the fields and how to survey them), as before
    (folder / "plan.yaml").write_text("fields:\n  - name: a\n    mosaics: {g: a.fits}\n")
    res = runner.invoke(app, ["info", str(folder)])
    assert res.exit_code == 0 and f"fields folder {folder} (a survey plan" in res.output, res.output


def test_a_hand_edited_model_manifest_names_line_and_column(tmp_path):
    model = write_untrained_model(tmp_path / "m", get_preset("m31-binary", stamp_size=8, input_size=None,
                                                             architecture="compact", arch_options={}))
    lines = (model / "manifest.json").read_text().splitlines()
    assert lines[2].endswith(",")  # "version": N, on line 3
    lines[2] = lines[2][:-1]
    (model / "manifest.json").write_text("\n".join(lines) + "\n")
    res = runner.invoke(app, ["info", str(model)])
    out = _one_line(res)
    assert f"ensemble manifest {model / 'manifest.json'} is not valid JSON: line 4, column 3: Expecting ',' " \
           "delimiter" in out, out


def test_parse_error_text_of_each_kind():
    with pytest.raises(yaml.YAMLError) as err:
        yaml.safe_load("a: 'open\n")
    said = parse_error_text(err.value)
    assert said.startswith("line 2, column 1: found unexpected end of stream (while scanning a quoted scalar "
                           "started at line 1, column 4)"), said
    with pytest.raises(ValueError) as err:
        json.loads('{"a": 1 "b": 2}')
    assert parse_error_text(err.value) == "line 1, column 9: Expecting ',' delimiter"
    # no place: the message, on one line
    assert parse_error_text(yaml.YAMLError("two\nlines")) == "two lines"


def test_a_task_file_given_as_a_catalogue_says_it_is_yaml(tmp_path):
    """``info mine.yaml`` read the task file as a table of one column named after its first line and said
    "catalogue mine.yaml has no rows"; a broken one "none of astropy's text formats reads it"."""
    good, broken = tmp_path / "mine.yaml", tmp_path / "syn.yaml"
    good.write_text("extends: m31-real\n")
    broken.write_text("classes: [1, 2\n")
    # info describes a task file since 2026-12-07 (tests/test_info_task.py); a broken one is named in one line
    res = runner.invoke(app, ["info", str(good)])
    assert res.exit_code == 0 and "task 'mine' (task file" in res.output, res.output
    out = _one_line(runner.invoke(app, ["info", str(broken)]))
    assert f"task config {broken}: cannot parse: line 2, column 1" in out, out
    res = runner.invoke(app, ["evaluate", str(good), "-r", "self", "-o", str(tmp_path / "ev")])
    out = _one_line(res)
    assert f"cannot read {good} as a table: it is YAML (a task file, given as --task, or a survey plan" in out, out
    res = runner.invoke(app, ["evaluate", str(good), "-r", "self", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2 and "it is YAML" in res.output and not (tmp_path / "ev").exists(), res.output
