"""``info`` of an ``evaluate`` folder gives each merge's balanced accuracy beside its accuracy.

Found walking docs/evaluation.md (2026-12-06): after ``evaluate m31f_pred.ecsv ... -o m31f_eval`` of a one-epoch
model that called 1198 of 1200 candidates "non-cluster", ``starclass info m31f_eval`` said "prediction_class_ref:
1200 rows scored, accuracy (2class) 0.924", where evaluate itself had said "balanced accuracy 0.511": the folder's
summary read as a working classifier.
"""

from __future__ import annotations

import json

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_two_class_classified
from starclass.cli import app

runner = CliRunner()


def test_info_of_an_evaluation_folder_gives_the_balanced_accuracy(tmp_path):
    write_two_class_classified(tmp_path / "cls.csv")
    ev = tmp_path / "ev"
    res = runner.invoke(app, ["evaluate", str(tmp_path / "cls.csv"), "--bootstrap", "0", "-o", str(ev)])
    assert res.exit_code == 0, res.output
    (ref, acc), = json.loads((ev / "summary.json").read_text())["headline"].items()
    (merge, value), = acc.items()
    summary = Table.read(ev / "tables" / f"summary_{ref}.ecsv")
    balanced = float(summary["balanced_accuracy"][list(summary["merge"]).index(merge)])
    assert np.isfinite(balanced)
    res = runner.invoke(app, ["info", str(ev)])
    assert res.exit_code == 0, res.output
    assert f"accuracy ({merge}) {value:.3f} (balanced {balanced:.3f})" in res.output, res.output


def test_a_summary_table_without_it_leaves_the_line_as_before(tmp_path):
    write_two_class_classified(tmp_path / "cls.csv")
    ev = tmp_path / "ev"
    assert runner.invoke(app, ["evaluate", str(tmp_path / "cls.csv"), "--bootstrap", "0", "-o", str(ev)]).exit_code == 0
    (ref, acc), = json.loads((ev / "summary.json").read_text())["headline"].items()
    path = ev / "tables" / f"summary_{ref}.ecsv"
    t = Table.read(path)
    del t["balanced_accuracy"]
    t.write(path, overwrite=True)
    res = runner.invoke(app, ["info", str(ev)])
    assert res.exit_code == 0, res.output
    assert "balanced" not in res.output and "rows scored, accuracy (" in res.output, res.output
