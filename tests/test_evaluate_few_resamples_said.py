"""Fewer than 10 bootstrap resamples: the note says that the count asked for is too small, not that the data are.

Until 2026-12-06 ``evaluate --bootstrap 5`` printed "no bootstrap intervals: the accuracies were defined on only
5 of 5 resamples": every resample defined them, and the interval rule (``max(10, N/10)`` resamples) went unsaid.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.evaluate.bootstrap import too_few_defined

runner = CliRunner()


def _catalogue(path, n=60):
    rng = np.random.default_rng(2)
    ref = rng.integers(1, 3, n)
    pred = np.where(rng.random(n) < 0.8, ref, 3 - ref)
    Table({"id": np.arange(n), "x": np.arange(n) * 10.0, "y": np.zeros(n), "class_pred": pred,
           "class_ref": ref}).write(path)


def test_too_few_resamples_are_said_as_such(tmp_path):
    _catalogue(tmp_path / "c.ecsv")
    res = runner.invoke(app, ["evaluate", str(tmp_path / "c.ecsv"), "--task", "galaxy-cluster", "--bootstrap", "5",
                              "--no-science", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    assert "defined on only 5 of 5" not in res.output
    assert ("note: no bootstrap intervals: the accuracies need 10 resamples or more for an interval; 5 were drawn "
            "(--bootstrap 10 or more)") in res.output, res.output


def test_enough_resamples_but_too_few_defined_names_the_rule():
    assert too_few_defined(3, 200, "the accuracies") == ("the accuracies were defined on only 3 of 200 resamples "
                                                         "(at least 20 needed)")
    assert too_few_defined(5, 100).startswith("the metric was defined on only 5 of 100")
