"""The column ``evaluate`` scored is the one its ``summary.json`` records, and so ``info`` says.

``evaluate field/truth.ecsv -r field/humans.ecsv`` (a simulated field, not yet classified) scores truth's
class_ref and says so ("scored column class_ref of field/truth.ecsv as the prediction"), but until
2026-12-07 its summary.json recorded ``prediction_column: class_pred`` and ``info ev`` said "scored column
class_pred", a column the catalogue does not have.
"""

from __future__ import annotations

import json

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def test_a_catalogue_without_class_pred_is_recorded_as_its_class_ref_scored(tmp_path, monkeypatch):
    rng = np.random.default_rng(2)
    n = 60
    x, y = rng.uniform(0, 99, n), rng.uniform(0, 99, n)
    truth = rng.integers(1, 5, n)
    people = np.where(rng.uniform(size=n) < 0.8, truth, rng.integers(1, 5, n))
    meta = {"classes": [1, 2, 3, 4]}
    Table({"id": np.arange(1, n + 1), "x": x, "y": y, "class_ref": truth}, meta=meta).write(tmp_path / "truth.ecsv")
    Table({"id": np.arange(1, n + 1), "x": x, "y": y, "class_ref": people}, meta=meta).write(tmp_path / "humans.ecsv")
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["evaluate", "truth.ecsv", "-r", "humans.ecsv", "-o", "ev", "--bootstrap", "0",
                              "--no-science", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "scored column class_ref of truth.ecsv" in res.output
    assert json.loads((tmp_path / "ev" / "summary.json").read_text())["prediction_column"] == "class_ref"
    info = runner.invoke(app, ["info", "ev"])
    assert info.exit_code == 0, info.output
    assert "scored column class_ref" in info.output


def test_the_catalogues_table_names_the_class_ref_scored(tmp_path, monkeypatch):
    """catalogues.ecsv (the page's Catalogues table) named class_pred for the truth's scored class_ref."""
    rng = np.random.default_rng(3)
    n = 60
    x, y = rng.uniform(0, 99, n), rng.uniform(0, 99, n)
    truth = rng.integers(1, 5, n)
    people = np.where(rng.uniform(size=n) < 0.8, truth, rng.integers(1, 5, n))
    meta = {"classes": [1, 2, 3, 4]}
    Table({"id": np.arange(1, n + 1), "x": x, "y": y, "class_ref": truth}, meta=meta).write(tmp_path / "truth.ecsv")
    Table({"id": np.arange(1, n + 1), "x": x, "y": y, "class_ref": people}, meta=meta).write(tmp_path / "humans.ecsv")
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["evaluate", "truth.ecsv", "-r", "humans.ecsv", "-o", "ev", "--bootstrap", "0",
                              "--no-science", "--no-progress"])
    assert res.exit_code == 0, res.output
    cats = Table.read(tmp_path / "ev" / "tables" / "catalogues.ecsv")
    by_name = {str(n): str(c) for n, c in zip(cats["catalogue"], cats["class_column"])}
    assert "class_pred" not in by_name.values(), by_name
    assert set(by_name.values()) == {"class_ref"}, by_name
