"""``info``'s "tasks that train on these labels" line leaves out columns that are no labels (2026-12-07).

Every non-float column was offered as a label column: a list's ready-made ``fold`` column (1..5), its
``object_id`` (the group column) and a per-row id were announced as fitting a five-class task
("fold 1-5: galaxy-cluster-experts"). Two-band NPY cutouts, written here (cheap).
"""

from __future__ import annotations

import csv

import numpy as np
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def _folder(root, rows):
    rng = np.random.default_rng(0)
    for row in rows:
        for band in ("xray", "optical"):
            np.save(root / row[f"file_{band}"], rng.normal(size=(16, 16)).astype("f4"))
    with open(root / "labels.csv", "w", newline="") as f:
        w = csv.DictWriter(f, list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return root / "labels.csv"


def _tasks_line(path):
    res = runner.invoke(app, ["info", str(path)])
    assert res.exit_code == 0, res.output
    lines = [ln for ln in res.output.splitlines() if ln.startswith("tasks that train on these labels")]
    assert len(lines) == 1, res.output
    return lines[0]


def test_fold_and_group_columns_are_not_offered_as_labels(tmp_path):
    # objects 1..5, four cutouts each, each object its own fold and its own expert kind
    rows = [{"file_xray": f"x{i}.npy", "file_optical": f"o{i}.npy", "label": 1 + (i // 4) % 2,
             "expert": 1 + i // 4, "fold": 1 + i // 4, "object_id": 1 + i // 4} for i in range(20)]
    line = _tasks_line(_folder(tmp_path, rows))
    assert "expert 1-5: galaxy-cluster-experts" in line, line
    assert "label 1-2: galaxy-cluster" in line, line
    assert "fold" not in line and "object_id" not in line, line


def test_a_column_with_one_value_per_row_is_not_offered_as_labels(tmp_path):
    rows = [{"file_xray": f"x{i}.npy", "file_optical": f"o{i}.npy", "label": 1 + i % 2, "idx": 1 + i}
            for i in range(5)]
    line = _tasks_line(_folder(tmp_path, rows))
    assert "label 1-2: galaxy-cluster" in line, line
    assert "idx" not in line, line
