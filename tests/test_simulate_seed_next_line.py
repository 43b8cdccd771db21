"""``simulate --preset open-globular|galaxy-cluster|cool-core`` ends with how to train on the folder it wrote.

It ended with the labels and their counts only: which task reads the folder, and that 64 px open/globular
cutouts want ``--stamp-size 64`` under the task's 224 px stamps, were for the user to find.
"""

from __future__ import annotations

import re
import shlex

import pytest
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


@pytest.mark.parametrize(("preset", "size", "task", "keep"), [
    ("open-globular", 64, "open-globular-compact", ["--stamp-size", "64"]),  # 224 px stamps: 3.5x enlarged
    ("galaxy-cluster", 64, "galaxy-cluster-compact", []),  # the task's own 64 px
])
def test_the_next_line_names_the_task_and_the_stamp_size(tmp_path, preset, size, task, keep):
    out = tmp_path / "sim"
    res = runner.invoke(app, ["simulate", str(out), "--preset", preset, "--n", "4", "--size", str(size),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    nxt = next(line for line in res.output.splitlines() if line.startswith("next:"))
    train = shlex.split(re.search(r"'(starclass train [^']*)'", nxt).group(1))
    assert train[train.index("--task") + 1] == task and train[train.index("--stamps") + 1] == str(out / "labels.csv")
    assert ("--stamp-size" in train) == bool(keep)
    if keep:
        assert train[train.index("--stamp-size"):train.index("--stamp-size") + 2] == keep
    # the command parses as train's options (nothing is trained here)
    res = runner.invoke(app, [*train[1:train.index("-o")], "--help"])
    assert res.exit_code == 0, res.output
