"""A class column that is the reference under another name is not offered, and scoring it says so.

Before: NGC 1566's ``class_hybrid`` is column 34, ``class_ref`` itself. ``evaluate NGC1566.tab`` offered
it first among the columns to score ("--pred-column: class_hybrid, class_human_mode, ..."), and
``--pred-column class_hybrid`` printed accuracies of 1.000 against ``class_ref`` without a word. Now such
a column is left out of the list, and scoring it adds a note that the figures are 1 by construction.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")

runner = CliRunner()
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "legus"
BY_CONSTRUCTION = "the figures are 1 by construction"


def _catalogue(path, n: int = 40, seed: int = 6):
    rng = np.random.default_rng(seed)
    ref = rng.integers(0, 5, n)  # 0: not classified
    ml = np.where(ref > 0, rng.integers(1, 5, n), rng.integers(0, 5, n))
    Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 100, n), "y": rng.uniform(0, 100, n),
           "class_ref": ref, "class_hybrid": ref.copy(), "class_ml": ml}).write(path, format="ascii.ecsv")
    return ref, ml


def test_the_reference_under_another_name_is_not_offered(tmp_path):
    _catalogue(tmp_path / "c.ecsv")
    res = runner.invoke(app, ["evaluate", str(tmp_path / "c.ecsv"), "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2, res.output
    assert "--pred-column: class_ml)" in res.output
    assert "class_hybrid" not in res.output


def test_scoring_it_says_the_figures_are_1_by_construction(tmp_path):
    ref, _ = _catalogue(tmp_path / "c.ecsv")
    res = runner.invoke(app, ["evaluate", str(tmp_path / "c.ecsv"), "--pred-column", "class_hybrid", "--bootstrap",
                              "0", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    assert "4class: accuracy 1.000" in res.output
    assert f"class_hybrid holds the class of class_ref on every one of the {int((ref > 0).sum())} rows" in res.output
    assert BY_CONSTRUCTION in res.output


def test_another_column_gets_no_such_note(tmp_path):
    ref, ml = _catalogue(tmp_path / "c.ecsv")
    res = runner.invoke(app, ["evaluate", str(tmp_path / "c.ecsv"), "--pred-column", "class_ml", "--bootstrap",
                              "0", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    both = (ref > 0) & (ml > 0)
    assert f"4class: accuracy {np.mean(ref[both] == ml[both]):.3f}" in res.output
    assert BY_CONSTRUCTION not in res.output


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data/legus not present")
def test_ngc1566_class_hybrid_is_not_offered(tmp_path):
    (path,) = SHARED.glob("*_ngc1566_*.tab")
    res = runner.invoke(app, ["evaluate", str(path), "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2, res.output
    assert "--pred-column: class_human_mode, class_ml, class_ml_checked, class_reclassified)" in res.output
