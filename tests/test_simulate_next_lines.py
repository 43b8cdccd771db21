"""``simulate`` ends with a 'next:' line whose train command works as given, for a field and a cutout folder.

Before: a cutout preset (``--preset cool-core``, the other seed papers', ``pandas-cutouts``) ended with its
counts and no word on what to run (a field ended with a 'next:' line); and a field's line offered
``starclass train -m field -c field/truth.ecsv ...`` without ``--task``, whose default (legus4, StarcNet)
takes minutes an epoch on a CPU.
"""

from __future__ import annotations

import shlex

from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.config import get_preset

runner = CliRunner()


def _next_command(output: str) -> list[str]:
    line = [x for x in output.splitlines() if x.startswith("next: ")][-1]
    return shlex.split(line[line.index("'starclass train"):].split("'")[1])


def test_a_cutout_preset_says_how_to_train_on_its_folder(tmp_path):
    out = tmp_path / "cc"
    r = runner.invoke(app, ["simulate", str(out), "--preset", "cool-core", "--n", "6", "--size", "40"])
    assert r.exit_code == 0, r.output
    cmd = _next_command(r.output)
    assert cmd[:2] == ["starclass", "train"]
    assert cmd[cmd.index("--stamps") + 1] == str(out / "labels.csv")
    task = get_preset(cmd[cmd.index("--task") + 1])
    assert task.name == "cool-core-compact" and len(task.bands) == 1  # the folder's one band


def test_a_field_says_a_task_quick_on_a_cpu(tmp_path):
    out = tmp_path / "f"
    r = runner.invoke(app, ["simulate", str(out), "--size", "64", "--n-candidates", "5", "--quiet"])
    assert r.exit_code == 0, r.output
    cmd = _next_command(r.output)
    assert cmd[cmd.index("--task") + 1] == "legus4-compact"
    assert cmd[cmd.index("-c") + 1] == str(out / "truth.ecsv") and "-o" in cmd
