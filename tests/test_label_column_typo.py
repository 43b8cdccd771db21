"""A misspelt --label-column is pointed to the column meant, not to 'label' (2026-12-05).

Found walking the five-class galaxy-cluster task as a user (its classes are in the folder's ``expert``
column; ``label`` holds the binary merge, docs/seed_simulators.md): ``--label-column experts`` was refused
with "column 'label' may hold the labels: give --label-column label". Following that advice trains the
five-class task on the binary labels, whose 1 and 2 it takes as two of its five classes without a word.
Now a column of nearly the name asked for comes first.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.cutout_folders import label_column_hint


def test_the_hint_names_the_column_of_nearly_that_name():
    cols = ["file_xray", "file_optical", "label", "expert", "expert_name"]
    assert label_column_hint(cols, "experts") == "; column 'expert' may hold the labels: give --label-column expert"
    # a name like none of the columns still gets the label-like one, as before
    assert label_column_hint(cols, "klass") == "; column 'label' may hold the labels: give --label-column label"


def test_evaluate_points_a_misspelt_column_to_the_one_meant(tmp_path):
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(5), 20)
    t = Table({"file": [f"images/sim_{i:06d}_xray.fits" for i in range(20)], "label": rng.integers(1, 3, 20),
               "expert": rng.integers(1, 6, 20), "class_pred": p.argmax(axis=1) + 1,
               **{f"prob_{k + 1}": p[:, k] for k in range(5)}})
    path = tmp_path / "p5.csv"
    t.write(path, format="ascii.csv")
    task = tmp_path / "gce.yaml"
    task.write_text("extends: galaxy-cluster\nclasses: [1, 2, 3, 4, 5]\n"
                    "class_names: [low-z cluster, high-z cluster, nearby galaxy, point source, other]\n"
                    "threshold: null\npositive_class: null\n")
    res = CliRunner().invoke(app, ["evaluate", str(path), "--task", str(task), "--label-column", "experts",
                                   "-o", str(tmp_path / "ev"), "--bootstrap", "0"])
    assert res.exit_code == 2, res.output
    assert "give --label-column expert" in res.output and "give --label-column label" not in res.output
    assert not (tmp_path / "ev").exists()
