"""``train --stamps`` names a folder's labels by the task's class where they are its class numbers.

Before (docs/training.md walk): ``simulate cc --preset cool-core`` said "counts: CC 16, WCC 34, NCC 10" and
``train --task cool-core-compact --stamps cc/labels.csv`` then "labels 1 16, 2 34, 3 10", naming no class.
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("single_thread")


def test_class_number_labels_are_named_by_class(tmp_path):
    out = tmp_path / "cc"
    r = runner.invoke(app, ["simulate", str(out), "--preset", "cool-core", "--n", "6", "--size", "32", "--quiet"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["train", "--task", "cool-core-compact", "--stamps", str(out / "labels.csv"),
                            "-o", str(tmp_path / "m"), "--epochs", "1", "--val-fraction", "0", "--device", "cpu",
                            "--no-progress"])
    assert r.exit_code == 0, r.output
    line = next(x for x in r.output.splitlines() if x.startswith("cutouts: "))
    said = line.split("; labels ", 1)[1]
    assert re.fullmatch(r"(\d \((cool core|weak cool core|non-cool core)\) \d+)(, \d \([a-z -]+\) \d+)*", said), line
