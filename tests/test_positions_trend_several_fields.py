"""evaluate/report: no trend against x or y pooled over several fields (2026-12-07).

A table of several fields (a ``field`` column: ``train --cv`` of a two-field store, ``classify --stamps`` of a
merged store) holds each field's x, y on its own mosaics. The trends against x and y (vs_x_*, vs_y_*) binned
them as one axis, field a's column 100 with field b's: a figure that means nothing. With several fields they
are left out with a note saying why and what to run instead; a table of one field keeps them.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import write_catalog

pytestmark = pytest.mark.usefixtures("unrendered_figures")

runner = CliRunner()


def _fields(names: list[str], n: int = 40, seed: int = 3) -> Table:
    """``n`` rows per field, ids 1..n in each, a binary classification with probabilities."""
    rng = np.random.default_rng(seed)
    m = n * len(names)
    ref = rng.integers(1, 3, m)
    pred = np.where(rng.random(m) < 0.8, ref, 3 - ref)
    p1 = np.where(pred == 1, rng.uniform(0.5, 1.0, m), rng.uniform(0.0, 0.5, m))
    return Table({"field": np.repeat(names, n), "id": np.tile(np.arange(1, n + 1), len(names)),
                  "x": rng.uniform(0, 400, m), "y": rng.uniform(0, 400, m), "class_ref": ref, "class_pred": pred,
                  "prob_1": p1, "prob_2": 1 - p1})


def _evaluate(tmp_path, table: Table, name: str):
    write_catalog(table, tmp_path / f"{name}.ecsv")
    out = tmp_path / f"ev_{name}"
    res = runner.invoke(app, ["evaluate", str(tmp_path / f"{name}.ecsv"), "-o", str(out), "--bootstrap", "0",
                              "--no-science", "--no-progress"])
    assert res.exit_code == 0, res.output
    return res, sorted(p.name for p in out.rglob("*.ecsv"))


def test_two_fields_get_no_trend_against_x_or_y_and_a_note_why(tmp_path):
    res, tables = _evaluate(tmp_path, _fields(["m31_a", "m31_b"]), "two")
    assert not [t for t in tables if t.startswith(("vs_x_", "vs_y_"))], tables
    assert ("note: metrics against x and y left out: the scored rows are of 2 fields (column 'field': m31_a, "
            "m31_b), each with pixels of its own mosaics, which make no one axis; --by field gives each field's "
            "figures") in res.stdout, res.stdout


def test_one_field_keeps_its_trends_against_x_and_y(tmp_path):
    # the same rows of one field, with or without the column: the trends are drawn, no note
    for name, table in (("one", _fields(["m31_a"])), ("bare", _fields(["m31_a"]))):
        if name == "bare":
            table.remove_column("field")
        res, tables = _evaluate(tmp_path, table, name)
        assert any(t.startswith("vs_x_") for t in tables) and any(t.startswith("vs_y_") for t in tables), tables
        assert "left out" not in res.stdout, res.stdout


def test_the_report_page_says_the_note_and_draws_no_position_trend(tmp_path):
    write_catalog(_fields(["m31_a", "m31_b"]), tmp_path / "two.ecsv")
    res = runner.invoke(app, ["report", str(tmp_path / "two.ecsv"), "-o", str(tmp_path / "rep"), "--bootstrap", "0",
                              "--no-science", "--no-progress"])
    assert res.exit_code == 0, res.output
    page = (tmp_path / "rep" / "report.html").read_text()
    assert "metrics against x and y left out" in page
    assert not list((tmp_path / "rep" / "tables").glob("vs_[xy]_*.ecsv"))
