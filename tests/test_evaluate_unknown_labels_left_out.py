"""``evaluate --label-column`` on ``classify --stamps`` output whose folder holds a label the task does not know.

Before: classify kept such a row (class_ref 0, left out of its accuracy, its warning saying evaluate would leave it
out too), but ``evaluate OUT.csv --label-column label`` refused the file (exit 2: "row 3 has label 'star', which
task 'm31-real' does not know"). Now evaluate leaves those rows out of every figure, saying which label and rows,
and every figure is scikit-learn's on the kept rows.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from sklearn.metrics import accuracy_score, average_precision_score, precision_score, recall_score, roc_auc_score
from typer.testing import CliRunner

from conftest import classified_m31_list  # tests/ is on sys.path under pytest
from starclass.cli import app

runner = CliRunner()
LABELS = ["cluster", "galaxy", "star", "cluster", "galaxy", "star", "extended_cluster", "galaxy", "cluster", "galaxy",
          "galaxy", "cluster"]


def test_evaluate_leaves_out_the_rows_classify_left_out(tmp_path):
    out, r = classified_m31_list(tmp_path, LABELS)
    assert "(2 with a label the task does not know left out)" in " ".join(r.output.split()), r.output
    ev = tmp_path / "ev"
    r = runner.invoke(app, ["evaluate", str(out), "--label-column", "label", "-o", str(ev), "--bootstrap", "20"])
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert "Traceback" not in r.output
    assert ("column 'label': rows with a label task 'm31-real' does not know are left out of every score" in said
            and "'star' (2 rows: 3, 6)" in said), said
    # the two rows were classified: left out for their labels, not "10 classified in both"
    assert "12 objects paired row by row, 10 with a label of the task (2 without one left out)" in said, said
    assert "classified in both" not in said, said
    t = Table.read(out)
    keep = np.array([lab != "star" for lab in t["label"]])
    y = np.where(np.isin(np.asarray(t["label"])[keep], ["cluster", "extended_cluster"]), 1, 2)
    pred = np.asarray(t["class_pred"])[keep]
    p1 = np.asarray(t["prob_1"])[keep]
    summary = Table.read(ev / "tables" / "summary_out_class_ref.ecsv")
    assert summary["n"][0] == keep.sum() == 10
    assert summary["accuracy"][0] == pytest.approx(accuracy_score(y, pred))
    auc = Table.read(ev / "tables" / "auc_2class_out_class_ref.ecsv")
    row = auc[np.asarray(auc["class"]).astype(str) == "1"][0]
    assert row["n_pos"] == 5 and row["n_neg"] == 5
    assert row["roc_auc"] == pytest.approx(roc_auc_score(y == 1, p1))
    assert row["average_precision"] == pytest.approx(average_precision_score(y == 1, p1))
    per = Table.read(ev / "tables" / "per_class_out_class_ref.ecsv")
    one = per[np.asarray(per["class"]).astype(str) == "1"][0]
    assert one["n_ref"] == 5
    assert one["precision"] == pytest.approx(precision_score(y, pred, pos_label=1, zero_division=np.nan))
    assert one["recall"] == pytest.approx(recall_score(y, pred, pos_label=1))


def test_the_paired_line_counts_unclassified_rows_apart_from_label_ones(tmp_path):
    # a row classify could not classify (class_pred 0, NaN probabilities) beside a label the task does not know
    # and an empty one: 8 paired, 5 classified and with a label of the task, 2 without one
    labels = ["cluster", "galaxy", "star", "cluster", "", "galaxy", "cluster", "galaxy"]
    pred = [1, 2, 1, 0, 2, 2, 1, 1]
    lines = ["file,label,class_pred,prob_1,prob_2"]
    for i, (lab, k) in enumerate(zip(labels, pred)):
        p1 = "nan" if k == 0 else ("0.8" if k == 1 else "0.3")
        p2 = "nan" if k == 0 else ("0.2" if k == 1 else "0.7")
        lines.append(f"c{i}.png,{lab},{k},{p1},{p2}")
    (tmp_path / "out.csv").write_text("\n".join(lines) + "\n")
    r = runner.invoke(app, ["evaluate", str(tmp_path / "out.csv"), "--label-column", "label", "--task", "m31-real",
                            "-o", str(tmp_path / "ev"), "--bootstrap", "0", "--no-science"])
    said = " ".join(r.output.split())
    assert r.exit_code == 0, r.output
    kept = [lab in ("cluster", "galaxy") and k > 0 for lab, k in zip(labels, pred)]
    assert sum(kept) == 5
    assert ("8 objects paired row by row, 5 classified and with a label of the task (2 without one left out)"
            in said), said
    summary = Table.read(tmp_path / "ev" / "tables" / "summary_out_class_ref.ecsv")
    assert summary["n"][0] == sum(kept)
