"""A reference file named like one of evaluate's own catalogues (``prediction``, ``reference``).

evaluate names each catalogue after its file's stem, and its own two after their roles: the
prediction ``prediction`` and, under ``-r self``, the catalogue's own reference column
``reference``. ``starclass evaluate new.tab -r prediction.tab`` (an older run's output, say, or a
LEGUS field copied under that name) crashed with a traceback ("ValueError: Duplicate column
names") after the reference had taken the prediction's place among the catalogues; ``-r self -r
reference.ecsv`` wrote one row of class counts for the two, and a reference file named
``reference.ecsv`` was left out of the agreement table. Such a reference is now numbered as two
files of one stem are (``prediction_2``, ``reference_2``).
"""

from __future__ import annotations

import json

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def _catalogue(path, classes, pred=None) -> None:
    n = len(classes)
    cols = {"id": np.arange(1, n + 1), "x": 10.0 * np.arange(n), "y": np.full(n, 50.0),
            "class_ref": np.asarray(classes, np.int16)}
    if pred is not None:
        cols["class_pred"] = np.asarray(pred, np.int16)
    Table(cols).write(path, overwrite=True)


def _evaluate(tmp_path, pred, refs, out="ev"):
    args = ["evaluate", str(pred), "--bootstrap", "0", "--no-science", "-o", str(tmp_path / out)]
    for r in refs:
        args += ["-r", str(r)]
    return runner.invoke(app, args)


def _counts(tmp_path, out="ev"):
    t = Table.read(tmp_path / out / "tables" / "catalogues.ecsv")
    return {str(r["catalogue"]): [int(r[f"n_{k}"]) for k in (1, 2, 3, 4)] for r in t}


def test_a_reference_named_prediction_is_numbered_not_a_traceback(tmp_path):
    _catalogue(tmp_path / "new.ecsv", [1, 2, 3, 4] * 5, pred=[1, 1, 3, 4] * 5)
    _catalogue(tmp_path / "prediction.ecsv", [1, 4, 4, 4] * 5)
    res = _evaluate(tmp_path, tmp_path / "new.ecsv", [tmp_path / "prediction.ecsv"])
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output and "Duplicate column names" not in str(res.exception)
    # the prediction keeps its own counts (class_pred), the reference file its own; since 2026-12-07 the
    # catalogue scored is named by its file (new), so a reference file named prediction keeps its name
    assert _counts(tmp_path) == {"new": [10, 0, 5, 5], "prediction": [5, 0, 0, 15]}
    headline = json.loads((tmp_path / "ev" / "summary.json").read_text())["headline"]
    assert list(headline) == ["prediction"]
    # row by row (1, 1), (1, 4), (3, 4), (4, 4): half agree
    assert headline["prediction"]["4class"] == 0.5
    assert (tmp_path / "ev" / "tables" / "summary_prediction.ecsv").exists()
    # a catalogue scored that is itself named prediction.ecsv has it, and the reference of that stem is numbered
    (tmp_path / "b").mkdir()
    _catalogue(tmp_path / "b" / "prediction.ecsv", [1, 2, 3, 4] * 5, pred=[1, 1, 3, 4] * 5)
    res = _evaluate(tmp_path, tmp_path / "b" / "prediction.ecsv", [tmp_path / "prediction.ecsv"], out="ev2")
    assert res.exit_code == 0, res.output
    assert _counts(tmp_path, "ev2") == {"prediction": [10, 0, 5, 5], "prediction_2": [5, 0, 0, 15]}


def test_a_reference_named_reference_beside_self_keeps_its_own_row(tmp_path):
    _catalogue(tmp_path / "new.ecsv", [1, 2, 3, 4] * 5, pred=[1, 1, 3, 4] * 5)
    _catalogue(tmp_path / "reference.ecsv", [1, 4, 4, 4] * 5)
    res = _evaluate(tmp_path, tmp_path / "new.ecsv", ["self", tmp_path / "reference.ecsv"])
    assert res.exit_code == 0, res.output
    # the catalogue's own class_ref under -r self, and the file: one row each (the file's replaced the other).
    # Since 2026-12-07 the former is named by its column ("new class_ref"), as the page names it, not "reference"
    assert _counts(tmp_path) == {"new": [10, 0, 5, 5], "new class_ref": [5, 5, 5, 5],
                                 "reference": [5, 0, 0, 15]}
    # the file is another catalogue, so it is in the agreement table; the catalogue's own column is not
    agreement = Table.read(tmp_path / "ev" / "tables" / "agreement_table.ecsv")
    assert list(agreement["comparison"]) == ["new vs. reference"]


def test_a_reference_named_as_the_own_column_beside_self_is_numbered(tmp_path):
    _catalogue(tmp_path / "new.ecsv", [1, 2, 3, 4] * 5, pred=[1, 1, 3, 4] * 5)
    _catalogue(tmp_path / "new class_ref.ecsv", [1, 4, 4, 4] * 5)
    res = _evaluate(tmp_path, tmp_path / "new.ecsv", ["self", tmp_path / "new class_ref.ecsv"])
    assert res.exit_code == 0, res.output
    assert _counts(tmp_path) == {"new": [10, 0, 5, 5], "new class_ref": [5, 5, 5, 5],
                                 "new class_ref_2": [5, 0, 0, 15]}


def test_a_reference_file_named_reference_is_in_the_agreement_table(tmp_path):
    _catalogue(tmp_path / "new.ecsv", [1, 2, 3, 4] * 5, pred=[1, 1, 3, 4] * 5)
    _catalogue(tmp_path / "reference.ecsv", [1, 4, 4, 4] * 5)
    res = _evaluate(tmp_path, tmp_path / "new.ecsv", [tmp_path / "reference.ecsv"])
    assert res.exit_code == 0, res.output
    # alone, with no -r self, the file keeps its own name
    assert _counts(tmp_path) == {"new": [10, 0, 5, 5], "reference": [5, 0, 0, 15]}
    agreement = Table.read(tmp_path / "ev" / "tables" / "agreement_table.ecsv")
    assert list(agreement["comparison"]) == ["new vs. reference"]


def test_a_python_reference_named_prediction_is_numbered(tmp_path):
    from starclass.report import run_evaluation

    _catalogue(tmp_path / "new.ecsv", [1, 2, 3, 4] * 5, pred=[1, 1, 3, 4] * 5)
    _catalogue(tmp_path / "ref.ecsv", [1, 4, 4, 4] * 5)
    # a catalogue given as a Table is "prediction": a reference of that name is numbered
    res = run_evaluation(Table.read(tmp_path / "new.ecsv"), {"prediction": str(tmp_path / "ref.ecsv")},
                         tmp_path / "ev", n_boot=0, science=False)
    assert list(res["headline"]) == ["prediction_2"] and res["headline"]["prediction_2"]["4class"] == 0.5
    # one given by its file is named by it (new), and the reference keeps its name
    res = run_evaluation(str(tmp_path / "new.ecsv"), {"prediction": str(tmp_path / "ref.ecsv")}, tmp_path / "ev2",
                         n_boot=0, science=False)
    assert list(res["headline"]) == ["prediction"]
