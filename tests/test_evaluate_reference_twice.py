"""evaluate's references: one given twice is refused; each is named by its path as given, as the prediction is.

``starclass evaluate X.csv -r Y.csv -r Y.csv`` made the same comparison twice, the second named ``Y_``:
twice the lines, twice the tables (``summary_y``, ``summary_y_2``), and one ``accuracy`` line and one
``summary.json`` key for the two, since the file names' slug of ``Y_`` is ``y``. Refused rather than run
once: a reference given twice is most likely another one mistyped, which a note among the results would
hide. Two files of one stem (a/truth.csv, b/truth.csv) are two references and kept apart. Warnings named
the prediction by its path and a reference by its stem ("labels column 'label': ...").
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def _write(path, *, seed: int = 0, unlabelled: int = 0, pred: bool = True) -> None:
    rng = np.random.default_rng(seed)
    n = 40
    label = np.where(rng.random(n) < 0.5, "cluster", "galaxy").astype(object)
    label[:unlabelled] = ""
    cols = {"file": [f"c{i}.png" for i in range(n)], "label": label.astype(str)}
    if pred:
        p1 = np.clip(np.where(label == "cluster", 0.7, 0.3) + rng.normal(0, 0.15, n), 0.01, 0.99)
        cols.update({"class_pred": np.where(p1 >= 0.5, 1, 2), "prob_1": p1, "prob_2": 1 - p1})
    Table(cols).write(path, format="ascii.csv", overwrite=True)


def _evaluate(tmp_path, pred, refs, out: str = "ev"):
    args = ["evaluate", str(pred), "--label-column", "label", "--task", "m31-real", "--bootstrap", "0",
            "--no-science", "-o", str(tmp_path / out)]
    for r in refs:
        args += ["-r", str(r)]
    return runner.invoke(app, args)


@pytest.mark.parametrize("second", ["same", "respelt"])
def test_a_reference_given_twice_is_refused_naming_it(tmp_path, monkeypatch, second):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "out.csv")
    _write(tmp_path / "labels.csv", seed=1, pred=False)
    again = "labels.csv" if second == "same" else "./labels.csv"
    res = _evaluate(tmp_path, "out.csv", ["labels.csv", again])
    assert res.exit_code == 2, res.output
    first = "" if second == "same" else " (first as labels.csv)"
    assert (f"--reference (references= in Python) {again} is given twice{first}: its comparison would be made "
            "and written twice; give each reference once") in res.output
    assert "Traceback" not in res.output and not (tmp_path / "ev").exists()


def test_self_given_twice_is_refused(tmp_path):
    _write(tmp_path / "out.csv")
    res = _evaluate(tmp_path, tmp_path / "out.csv", ["self", "self"])
    assert res.exit_code == 2 and "--reference (references= in Python) self is given twice" in res.output, res.output


def test_two_files_of_one_stem_are_two_references_with_a_key_each(tmp_path):
    _write(tmp_path / "out.csv")
    for folder, seed in (("a", 1), ("b", 2)):
        (tmp_path / folder).mkdir()
        _write(tmp_path / folder / "truth.csv", seed=seed, pred=False)
    res = _evaluate(tmp_path, tmp_path / "out.csv", [tmp_path / "a" / "truth.csv", tmp_path / "b" / "truth.csv"])
    assert res.exit_code == 0, res.output
    headline = json.loads((tmp_path / "ev" / "summary.json").read_text())["headline"]
    assert sorted(headline) == ["truth", "truth_2"]
    lines = [line for line in res.output.splitlines() if "objects paired" in line]
    assert len(lines) == 2 and lines[0] != lines[1]


def test_a_reference_is_named_by_its_path_as_the_prediction_is(tmp_path):
    out, labels = tmp_path / "out.csv", tmp_path / "labels.csv"
    _write(out, unlabelled=3)
    _write(labels, seed=1, unlabelled=2, pred=False)
    res = _evaluate(tmp_path, out, [labels])
    assert res.exit_code == 0, res.output
    said = [line for line in res.output.splitlines() if "have no label" in line]
    assert [line.split(" column 'label'")[0] for line in said] == [f"warning: {out}", f"warning: {labels}"]
    res = _evaluate(tmp_path, out, [tmp_path / "nothere.csv"], out="ev2")
    # named as the option it came from, before any work (check_inputs_readable)
    said = " ".join(res.output.split())
    assert res.exit_code == 2 and f"error: --reference {tmp_path / 'nothere.csv'}: no such file or directory" in said
