"""``evaluate`` of a classified CSV knows the coverage its conformal sets were made for.

A CSV keeps no meta, and evaluate said of its sets "the coverage ... is not in this table: a CSV keeps no
meta", though classify knew the coverage, and said the same of an ECSV of stacked classifications (it keeps
meta) and of a CSV whose ``model`` column named the model (which does not hold the coverage). Until
2026-12-07: classify writes the coverage as a column of a CSV, read back into the meta; where it is missing
or several, evaluate says which and what to do.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table, vstack
from typer.testing import CliRunner

from conftest import write_toy_held_out
from starclass.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def classified(toy_trust_model, tmp_path_factory):
    """A calibrated toy model's CSV classifications of one held-out field, at 90% and 80% coverage."""
    root, cfg, _, _ = toy_trust_model
    work = tmp_path_factory.mktemp("coverage")
    write_toy_held_out(cfg, work, 40, seed=11)
    for cov, name in ((None, "out.csv"), ("0.8", "out80.csv")):
        res = runner.invoke(app, ["classify", str(work / "mos"), "-c", str(work / "held.ecsv"), "--model",
                                  str(root / "model"), "-o", str(work / name), "--device", "cpu", "--no-progress",
                                  *(["--coverage", cov] if cov else [])])
        assert res.exit_code == 0, res.output
    return work


def _conformal_line(work, name):
    res = runner.invoke(app, ["evaluate", str(work / name), "-o", str(work / f"ev_{name}"), "--bootstrap", "0",
                              "--no-science", "--no-progress"])
    assert res.exit_code == 0, res.output
    return next(ln for ln in res.output.splitlines() if "conformal" in ln and "holds" in ln or "coverage at" in ln)


def test_a_csv_records_its_coverage(classified):
    assert set(Table.read(classified / "out.csv")["coverage"]) == {0.9}
    assert "conformal coverage at 90%:" in _conformal_line(classified, "out.csv")
    assert "conformal coverage at 80%:" in _conformal_line(classified, "out80.csv")


def test_stacked_classifications_name_their_coverages(classified):
    a, b = Table.read(classified / "out.csv"), Table.read(classified / "out80.csv")
    half = len(a) // 2
    stacked = vstack([a[:half], b[half:]])  # the field's rows, half classified at each coverage
    stacked.write(classified / "both.csv")
    line = _conformal_line(classified, "both.csv")
    assert "several coverages (coverage column: 0.8, 0.9)" in line, line
    assert "a CSV keeps no meta" not in line


def test_without_the_column_the_line_says_what_is_missing_and_what_to_do(classified):
    t = Table.read(classified / "out.csv")
    t.remove_column("coverage")
    t["model"] = np.where(np.arange(len(t)) % 2 == 0, t["model"], "other/model")  # rows of two models
    t.write(classified / "old.csv")
    line = _conformal_line(classified, "old.csv")
    assert "its model column names 2 models" in line and "Classify again to record it" in line, line
