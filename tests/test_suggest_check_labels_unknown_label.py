"""``suggest --check-labels`` on ``classify --stamps`` output whose label column holds a label the task does not know.

Before: suggest refused the table (exit 2: "row 3 has label 'star', which task 'm31-real' does not know"), though
classify leaves such rows out of its accuracy and evaluate out of every score. Now they are left out of the check
(no probability column is of their class, so confident learning has nothing to hold them against), named in a
warning and counted apart from the rows without a label.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from conftest import classified_m31_list  # tests/ is on sys.path under pytest
from starclass.cli import app

runner = CliRunner()
LABELS = ["cluster", "galaxy", "star", "cluster", "galaxy", "star", "extended_cluster", "galaxy", "", "galaxy",
          "galaxy", "cluster"]


def test_check_labels_leaves_out_a_label_the_task_does_not_know(tmp_path):
    out, r = classified_m31_list(tmp_path, LABELS)
    checked = tmp_path / "check.csv"
    r = runner.invoke(app, ["suggest", "--check-labels", str(out), "--label-column", "label", "--task", "m31-real",
                            "-o", str(checked)])
    said = " ".join(r.output.split())
    assert r.exit_code == 0, r.output
    assert "Traceback" not in r.output
    assert "'star' (2 rows: 3, 6)" in said, said
    assert "left out: 1 without a label, 2 with a label the task does not know" in said, said
    t = Table.read(out)
    labels = np.asarray(t["label"].filled("") if hasattr(t["label"], "filled") else t["label"]).astype(str)
    y = np.select([np.isin(labels, ["cluster", "extended_cluster"]), labels == "galaxy"], [1, 2], 0)
    assert (y > 0).sum() == 9
    assert f"{(y > 0).sum()} labelled rows with probabilities" in said, said
    # the thresholds are each class's mean probability on its own rows, the unknown and unlabelled rows not among them
    for k, name in ((1, "cluster"), (2, "non-cluster")):
        assert f"{k} ({name}) {np.mean(np.asarray(t[f'prob_{k}'])[y == k]):.3f}" in said, said
    flagged = Table.read(checked)
    assert set(np.asarray(flagged["label"]).astype(str)) <= {"cluster", "extended_cluster", "galaxy"}
    assert np.all(np.isin(flagged["class_given"], [1, 2]))
    assert len(flagged) == int(said.split(" labels worth a second look")[0].split()[-1])
