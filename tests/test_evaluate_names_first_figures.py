"""``evaluate`` names the confusion matrix and the reliability diagram to open first, by their paths.

Walking docs/uncertainty.md, evaluate ended at "wrote 38 tables and 29 figures under evaluation" and the
``next:`` line: which of the 29 figures answers "how good is it" and "are its probabilities right" was left
to a listing of the folder (until 2026-12-07). One line now names the first confusion matrix and the
reliability diagram, files that exist; the output stays short.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

# the figures are built but not rendered to PNG (conftest's unrendered_figures): the test reads the lines and paths
pytestmark = pytest.mark.usefixtures("unrendered_figures")

runner = CliRunner()


def test_evaluate_names_the_figures_to_open_first(tmp_path):
    rng = np.random.default_rng(3)
    n = 80
    truth = rng.integers(1, 3, n)
    pred = np.where(rng.random(n) < 0.8, truth, 3 - truth)
    p1 = np.clip(np.where(pred == 1, 0.8, 0.2) + rng.normal(0, 0.05, n), 0.01, 0.99)
    Table({"id": np.arange(n), "x": np.arange(n) * 10.0, "y": np.zeros(n), "class_pred": pred, "class_ref": truth,
           "prob_1": p1, "prob_2": 1 - p1}).write(tmp_path / "cat.ecsv")
    res = runner.invoke(app, ["evaluate", str(tmp_path / "cat.ecsv"), "--task", "m31-real", "--bootstrap", "0",
                              "--no-science", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    (line,) = [s for s in res.output.splitlines() if s.startswith("open first: ")]
    assert "(the confusion matrix)" in line and "(the reliability diagram)" in line, line
    # each path named is a figure written, under the output folder
    paths = [w for w in shlex.split(line[len("open first: "):].replace(",", " ")) if w.endswith(".png")]
    assert len(paths) == 2, line
    for p in paths:
        assert tmp_path / "ev" / "figures" in Path(p).parents and os.path.isfile(p), p
    assert "confusion" in paths[0] and "symmetric" not in paths[0] and "reliability" in paths[1], paths


def test_evaluate_catalogs_names_the_figures_to_open_first(tmp_path):
    # the many-field study ended at "wrote 12 tables and 2 figures under many" (the 16 LEGUS fields), nothing named
    from starclass.datasets.catalogs import write_fake_legus_folder

    folder = write_fake_legus_folder(tmp_path / "legus", n=60)
    res = runner.invoke(app, ["evaluate", "--catalogs", str(folder), "--min-inspected", "1", "--no-progress",
                              "-o", str(tmp_path / "many")])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    (line,) = [s for s in lines if s.startswith("open first: ")]
    # after the count of what was written, before the next: line, as for one catalogue
    assert lines.index(line) == next(i for i, s in enumerate(lines) if s.startswith("wrote ")) + 1, res.output
    paths = [w for w in shlex.split(line[len("open first: "):].replace(",", " ")) if w.endswith(".png")]
    assert paths and "many_fields_summary" in Path(paths[0]).name, line
    for p in paths:
        assert tmp_path / "many" / "figures" in Path(p).parents and os.path.isfile(p), p
