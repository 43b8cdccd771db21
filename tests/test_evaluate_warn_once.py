"""A file given twice to evaluate (as the prediction and a reference) warns once.

``starclass evaluate OUT.csv --label-column label -r OUT.csv`` (or ``-r self -r OUT.csv``) printed
"7 rows have no label, left out of the scores" twice, once per reading of the same file, the
second time naming it by its stem; a CSV with a pandas index column was said to have one three
times (the output-folder check read it too). A reference given twice is refused
(tests/test_evaluate_reference_twice.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def _write(path, *, index: bool = False, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    n = 40
    label = np.where(rng.random(n) < 0.5, "cluster", "galaxy").astype(object)
    label[:3] = ""  # unlabelled rows: the warning under test
    p1 = np.clip(np.where(label == "cluster", 0.7, 0.3) + rng.normal(0, 0.15, n), 0.01, 0.99)
    t = Table({"file": [f"c{i}.png" for i in range(n)], "label": label.astype(str),
               "class_pred": np.where(p1 >= 0.5, 1, 2), "prob_1": p1, "prob_2": 1 - p1})
    t.write(path, format="ascii.csv", overwrite=True)
    if index:
        # as pandas' to_csv writes it by default: a first column without a name holding the row number
        lines = path.read_text().splitlines()
        path.write_text("\n".join(["," + lines[0]] + [f"{i},{line}" for i, line in enumerate(lines[1:])]) + "\n")


def _evaluate(tmp_path, pred, refs):
    args = ["evaluate", str(pred), "--label-column", "label", "--task", "m31-real", "--bootstrap", "0",
            "--no-science", "-o", str(tmp_path / "ev")]
    for r in refs:
        args += ["-r", str(r)]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return [line for line in res.output.splitlines() if line.startswith("warning:")]


@pytest.mark.parametrize("refs", [["SAME"], ["self", "SAME"]])
def test_the_prediction_given_again_as_reference_warns_once(tmp_path, refs):
    out = tmp_path / "out.csv"
    _write(out)
    said = _evaluate(tmp_path, out, [out if r == "SAME" else r for r in refs])
    assert [w for w in said if "3 rows have no label" in w] == [
        f"warning: {out} column 'label': 3 rows have no label, left out of the scores: rows 1, 2, 3 (rows counted "
        "from 1, the first below the header)"]


def test_a_pandas_index_column_is_said_once(tmp_path):
    out = tmp_path / "out.csv"
    _write(out, index=True)
    said = _evaluate(tmp_path, out, [out])
    assert len([w for w in said if "its first column has no name" in w]) == 1
