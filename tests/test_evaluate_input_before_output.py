"""evaluate checks that its input can be scored before it looks at its output folder.

Before: ``evaluate flat.csv`` on an unlabelled classification, with ``./evaluation`` already there, said
"give --overwrite"; the re-run with ``--overwrite`` then said "nothing to compare". Now the first run says
"nothing to compare", and the existing folder is left as it was.
"""

from __future__ import annotations

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.evaluate.compare import check_comparable

runner = CliRunner()


def _unlabelled(folder):
    p = folder / "flat.csv"
    Table({"file": ["a.png", "b.png", "c.png"], "class_pred": [1, 2, 2], "prob_1": [0.7, 0.2, 0.4],
           "prob_2": [0.3, 0.8, 0.6]}).write(p)
    return p


def test_nothing_to_compare_is_said_before_the_output_exists_refusal(tmp_path):
    pred = _unlabelled(tmp_path)
    out = tmp_path / "evaluation"
    out.mkdir()
    (out / "summary.json").write_text("{}")
    res = runner.invoke(app, ["evaluate", str(pred), "--task", "galaxy-cluster", "-o", str(out),
                              "--no-science", "--bootstrap", "0"])
    assert res.exit_code == 2, res.output
    assert "nothing to compare" in res.output and "--overwrite" not in res.output
    assert "Traceback" not in res.output
    assert (out / "summary.json").read_text() == "{}"  # left as it was


def test_check_comparable_agrees_with_a_scorable_catalogue(tmp_path):
    pred = _unlabelled(tmp_path)
    with pytest.raises(StarclassError, match="nothing to compare"):
        check_comparable(pred, task="galaxy-cluster")
    labelled = tmp_path / "labelled.csv"
    t = Table.read(pred)
    t["class_ref"] = [1, 2, 1]
    t.write(labelled)
    # a reference column: something to compare; the table read is handed back, for the evaluation to use (read once)
    read = check_comparable(labelled, task="galaxy-cluster")
    assert list(read["class_ref"]) == [1, 2, 1] and len(read) == 3
