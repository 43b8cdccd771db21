"""``simulate`` of a seed-paper preset says its ``label`` counts in the task's class names (2026-12-07).

Walking docs/seed_simulators.md: ``simulate cc --preset cool-core`` said ``counts: CC 80, WCC 185, NCC 53``
and ``train --task cool-core-compact`` then named the classes ``1 (cool core)``, ``2 (weak cool core)``, ...;
``simulate gc --preset galaxy-cluster`` counted the five expert classes and never the binary ``label`` that
``train`` reads. A ``label:`` line now gives the label column's counts as the task of the same name names them.
"""

from __future__ import annotations

import csv
import re
from collections import Counter

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.config import get_preset

runner = CliRunner()


@pytest.mark.parametrize("preset", ["cool-core", "galaxy-cluster", "open-globular"])
def test_the_label_line_counts_the_label_column_by_the_tasks_names(tmp_path, preset):
    out = tmp_path / "s"
    res = runner.invoke(app, ["simulate", str(out), "--preset", preset, "--n", "12", "--size", "32", "--no-progress"])
    assert res.exit_code == 0, res.output
    line = next((ln for ln in res.output.splitlines() if ln.strip().startswith("label: ")), None)
    assert line is not None, res.output
    with open(out / "labels.csv", newline="") as fh:
        counts = Counter(int(r["label"]) for r in csv.DictReader(fh))
    task = get_preset(f"{preset}-compact")
    said = dict(re.findall(r"(\d+) \([^)]*\) (\d+)", line.split("label: ", 1)[1]))
    assert {int(k): int(v) for k, v in said.items()} == {k: counts.get(k, 0) for k in task.classes}, line
    for k, name in zip(task.classes, task.class_names):
        assert f"{k} ({name}) {counts.get(k, 0)}" in line, line
    # the task the next line trains with, and no other (it said "task cool-core's classes" above "--task
    # cool-core-compact" until 2026-12-07)
    named = re.search(r"named as task (\S+) names its classes\)$", line)
    # the next: line's (galaxy-cluster's expert: line, between them, names the task of its five kinds)
    trains = re.search(r"^next: .*?--task (\S+) ", res.output.split(line, 1)[1], re.M)
    assert named and trains and named.group(1) == trains.group(1) == f"{preset}-compact", res.output
