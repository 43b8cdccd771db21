"""The ``next:`` and hint lines name the outputs they propose, so that a line runs as printed (2026-12-07).

``train``, ``calibrate``, ``classify`` and ``suggest`` named free outputs (:func:`starclass.cli.next_steps.free_name`)
while ``inspect --export``'s first train said ``-o MODEL`` and ``info`` of a survey's fields folder ``-o OUT``:
placeholders to edit before the line ran, and, where an earlier round had left a ``MODEL`` folder, a line that
wrote onto it. A placeholder stays only where no value can be known (the model ``info`` of a plan cannot name),
and the line says it is one in words. Each line here is split as a shell would and checked against the typer app
(tests/test_docs_commands.py's ``problems``): its subcommand and options are the command's own.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from test_docs_commands import problems  # tests/ is on sys.path under pytest


def _quoted(line: str) -> list[list[str]]:
    """The quoted ``starclass`` commands of a line, split as a shell would."""
    return [shlex.split(a or b) for a, b in re.findall(r"""'(starclass [^']*)'|"(starclass [^"]*)\"""", line)]


def test_a_field_exports_first_train_names_a_model_not_there(tmp_path, monkeypatch):
    from starclass.cli.inspect_cmd import _field_export_next

    monkeypatch.chdir(tmp_path)
    for earlier in ("model", "MODEL"):  # a first round's model, and one the old line's placeholder wrote
        (tmp_path / earlier).mkdir()
    out = Table({"id": [1, 2], "n_labels": [1, 1]}, meta={"label_scheme": "phangs"})
    hst = ["f275w", "f336w", "f438w", "f555w", "f814w"]
    train = _quoted(_field_export_next(out, Path("my field"), Path("labels.ecsv"), bands=hst))[0]
    # old code: '-o MODEL', a placeholder (here a model already there)
    assert train == ["starclass", "train", "--task", "legus4-compact", "--mosaics", "my field", "--catalog",
                     "labels.ecsv", "-o", "model_1"], train
    assert not problems(train[1:]), problems(train[1:])


def test_info_of_a_plan_names_a_run_not_there_and_says_the_model_is_to_give(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "run").mkdir()  # an earlier survey's output
    plan = tmp_path / "fields" / "plan.yaml"
    plan.parent.mkdir()
    plan.write_text("fields:\n  - name: a\n    mosaics: a\n")
    res = CliRunner().invoke(app, ["info", "fields"])
    assert res.exit_code == 0, res.output
    (line,) = [ln.strip() for ln in res.output.splitlines() if "survey them:" in ln]
    # old code: '... --model MODEL -o OUT', two placeholders, and nothing said which
    command, said = line.split(": ", 1)[1].split(" (", 1)
    words = shlex.split(command)
    assert words[-4:] == ["--model", "MODEL", "-o", "run_1"], line
    assert said.startswith("MODEL: give your model"), line
    assert not problems(words[1:]), problems(words[1:])
    plan.write_text("model: m0\nfields:\n  - name: a\n    mosaics: a\n")  # the plan names its model: no placeholder
    res = CliRunner().invoke(app, ["info", "fields"])
    (line,) = [ln.strip() for ln in res.output.splitlines() if "survey them:" in ln]
    assert line.endswith("plan.yaml -o run_1") and "MODEL" not in line, line
