"""``evaluate --by``: a group whose reference is of one class says why it has no ROC AUC.

Found on PAndAS (``evaluate m31_classified.csv --by source_table``): di_tullio_zinn_13_table2, clusters only,
printed accuracy and errors and no ROC AUC, beside groups that had one, without a word (until 2026-12-06).
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def test_a_group_of_one_reference_class_says_it_has_no_roc_auc(tmp_path):
    rng = np.random.default_rng(7)
    n = 80
    ref = rng.integers(1, 3, n)
    source = np.where(np.arange(n) < 20, "clusters_only", "mixed")
    ref[:20] = 1  # the first group: clusters only, no negative for the ROC AUC
    p1 = np.clip(np.where(ref == 1, 0.7, 0.3) + rng.normal(0, 0.2, n), 0.01, 0.99)
    Table({"id": np.arange(n), "x": np.arange(n) * 10.0, "y": np.zeros(n), "class_pred": np.where(p1 >= 0.5, 1, 2),
           "class_ref": ref, "prob_1": p1, "prob_2": 1 - p1, "source": source}).write(tmp_path / "c.ecsv")
    res = runner.invoke(app, ["evaluate", str(tmp_path / "c.ecsv"), "--task", "galaxy-cluster", "--by", "source",
                              "--bootstrap", "0", "--no-science", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    lines = {line.split(":")[0].strip(): line for line in res.output.splitlines() if line.startswith("  ")}
    assert "ROC AUC " in lines["mixed"]
    assert lines["clusters_only"].endswith("no ROC AUC (one reference class only)"), res.output
