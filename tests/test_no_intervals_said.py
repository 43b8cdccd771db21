"""``evaluate`` says why there are no bootstrap intervals, in the words the report uses (2026-12-05).

``report`` noted "no bootstrap intervals: bootstrap_ci: need at least 2 objects (groups), got 1"
(every row one object, ``--group-column``) or "no bootstrap intervals (0 resamples)"
(``--bootstrap 0``); ``evaluate`` printed the same figures without an interval and said nothing.
Both now take the sentence from ``starclass.evaluate.compare.no_intervals_note``.
"""

from __future__ import annotations

import html

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")


def _catalogue(path, one_object: bool) -> None:
    rng = np.random.default_rng(1)
    p = rng.uniform(0, 1, 40)
    Table({"id": [f"r{i}" for i in range(40)], "x": np.arange(40) * 10.0, "y": np.zeros(40),
           "class_pred": np.where(p > 0.5, 1, 2), "class_ref": rng.integers(1, 3, 40),
           "prob_1": p, "prob_2": 1 - p,
           "object_id": ["a"] * 40 if one_object else [f"o{i // 2}" for i in range(40)]}).write(path)


@pytest.mark.parametrize("case, options, reason", [
    ("one object", ["--group-column", "object_id"], "need at least 2 objects (groups), got 1"),
    ("no resamples", ["--bootstrap", "0"], "0 resamples asked for (--bootstrap 0)"),
])
def test_evaluate_and_report_say_the_same_about_missing_intervals(tmp_path, case, options, reason):
    cat = tmp_path / "c.csv"
    _catalogue(cat, one_object=case == "one object")
    said = f"no bootstrap intervals: {reason}"
    ev = CliRunner().invoke(app, ["evaluate", str(cat), "-r", "self", "-o", str(tmp_path / "ev"), *options])
    assert ev.exit_code == 0, ev.output
    assert f"  note: {said}\n" in ev.output, ev.output
    from starclass.evaluate.compare import no_intervals_note

    assert no_intervals_note(reason) == said
    assert "bootstrap_ci" not in ev.output
    rep = CliRunner().invoke(app, ["report", str(cat), "-r", "self", "-o", str(tmp_path / "rep"), *options])
    assert rep.exit_code == 0, rep.output
    page = html.unescape((tmp_path / "rep" / "report.html").read_text())
    assert said in page and "bootstrap_ci" not in page


def test_evaluate_with_intervals_says_no_such_note(tmp_path):
    cat = tmp_path / "c.csv"
    _catalogue(cat, one_object=False)
    ev = CliRunner().invoke(app, ["evaluate", str(cat), "-r", "self", "-o", str(tmp_path / "ev"),
                                  "--group-column", "object_id", "--bootstrap", "50"])
    assert ev.exit_code == 0, ev.output
    assert "no bootstrap intervals" not in ev.output and "resample the 20 objects" in ev.output, ev.output


def test_the_by_tables_say_why_without_the_function_name(tmp_path):
    # every row one object, split --by x: the summary's note was worded for users, the --by table's read
    # "accuracy intervals: no interval: bootstrap_ci: need at least 2 objects (groups), got 1"
    cat = tmp_path / "c.csv"
    _catalogue(cat, one_object=True)
    ev = CliRunner().invoke(app, ["evaluate", str(cat), "-r", "self", "-o", str(tmp_path / "ev"),
                                  "--group-column", "object_id", "--by", "x"])
    assert ev.exit_code == 0, ev.output
    # since s49by one line names every column's interval: accuracy, ROC AUC and recall_<k> alike
    assert ("  accuracy, ROC AUC and recall_<k> intervals: no bootstrap intervals: need at least 2 objects (groups), "
            "got 1\n") in ev.output, ev.output
    assert "bootstrap_ci" not in ev.output
