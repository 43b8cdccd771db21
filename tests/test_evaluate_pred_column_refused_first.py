"""``evaluate --pred-column COL`` with a column that is no class is refused before the start line.

docs/cli.md: "a refused command's first line stays its ``error:``". A walk through the docs (2026-12-07) with a
LEGUS catalogue, ``evaluate ngc628-c.tab --pred-column class_human_mean -o out``, printed first
``evaluate: ...tab, 3080 rows: pairing with the references, bootstrapping and drawing the evaluation ...`` and
only then ``error: --pred-column 'class_human_mean': ... cannot be scored on it``: the column was checked by the
evaluation, after the start line, where the checks before it (``check_comparable``) let it through.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()
LEGUS = (Path(__file__).resolve().parents[2] / "shared" / "data" / "legus"
         / "hlsp_legus_hst_acs-wfc3_ngc628-c_multiband_v1_padagb-mwext-avgapcor.tab")


def _catalogue(path):
    rng = np.random.default_rng(3)
    n = 40
    Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 99, n), "y": rng.uniform(0, 99, n),
           "class_ref": rng.integers(1, 5, n), "class_h1": rng.integers(1, 5, n),
           "score": rng.uniform(1, 4, n)}, meta={"classes": [1, 2, 3, 4]}).write(path)


@pytest.mark.parametrize("column, words", [("score", "score is not a class column"),
                                           ("nosuch", "it has no column 'nosuch'")])
def test_a_column_that_is_no_class_is_refused_as_the_first_line(tmp_path, monkeypatch, column, words):
    _catalogue(tmp_path / "cat.ecsv")
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["evaluate", "cat.ecsv", "--pred-column", column, "-o", "ev", "--bootstrap", "0"])
    assert res.exit_code == 2, res.output
    assert res.output.lstrip().startswith(f"error: --pred-column '{column}'"), res.output
    assert words in res.output
    assert "pairing with the references" not in res.output
    assert not (tmp_path / "ev").exists()


def test_a_class_column_is_still_scored(tmp_path, monkeypatch):
    _catalogue(tmp_path / "cat.ecsv")
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["evaluate", "cat.ecsv", "--pred-column", "class_h1", "-o", "ev", "--bootstrap", "0",
                              "--no-science"])
    assert res.exit_code == 0, res.output
    assert "scored column class_h1" in res.output


@pytest.mark.skipif(not LEGUS.is_file(), reason="the shared LEGUS catalogues are not here")
def test_legus_class_human_mean_is_refused_first(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["evaluate", str(LEGUS), "--pred-column", "class_human_mean", "-o", "ev"])
    assert res.exit_code == 2, res.output
    assert res.output.lstrip().startswith("error: --pred-column 'class_human_mean'"), res.output
    assert "the mean of the people's classes" in res.output
    assert not (tmp_path / "ev").exists()
