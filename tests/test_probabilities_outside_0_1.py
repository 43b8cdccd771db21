"""Probabilities outside 0-1 are refused by ``evaluate`` and ``suggest``, naming the cell.

Before: a classified table whose ``prob_<k>`` were percentages (another tool's 71.6 for 0.716) was
scored as it was: ``evaluate`` printed an ECE of 64.3, a Brier score of 5506 and a purity threshold
of 71.6, exit 0; a hand-edited cell of 1.7 went into the curves and calibration without a word;
``suggest`` ranked candidates by the entropy of numbers that are no probabilities. Now both stop
(exit 2, nothing written) naming the column, the row and the value, and say when the columns look
like percentages (``io.catalog.check_probability_range``).
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.learn.config import get_preset

runner = CliRunner()


def _table(n: int = 40, seed: int = 5, scale: float = 1.0) -> Table:
    """A classified cutout folder of the m31-real task (as classify --stamps writes it), probabilities x ``scale``."""
    rng = np.random.default_rng(seed)
    labels = rng.choice(["cluster", "galaxy"], n)
    y = np.where(labels == "cluster", 1, 2)
    p1 = np.clip(np.where(y == 1, 0.7, 0.3) + rng.normal(0, 0.2, n), 0.01, 0.99)
    return Table({"file": [f"{lab}/c{i:03d}.png" for i, lab in enumerate(labels)], "label": labels,
                  "class_pred": np.where(p1 >= 0.5, 1, 2), "prob_1": p1 * scale, "prob_2": (1 - p1) * scale})


def _evaluate(tmp_path, t: Table):
    t.write(tmp_path / "out.csv", format="ascii.csv", overwrite=True)
    return runner.invoke(app, ["evaluate", str(tmp_path / "out.csv"), "--label-column", "label", "--task", "m31-real",
                               "--bootstrap", "0", "-o", str(tmp_path / "ev")])


def test_evaluate_refuses_percentages_and_says_so(tmp_path):
    t = _table(scale=100.0)
    res = _evaluate(tmp_path, t)
    assert res.exit_code == 2, res.output
    assert f"prob_1 is {t['prob_1'][0]:g} in row 1: a probability lies between 0 and 1" in res.output
    assert "look like percentages" in res.output and "divide them by 100" in res.output
    assert not (tmp_path / "ev").exists()


def test_evaluate_refuses_one_probability_above_1_naming_its_row(tmp_path):
    t = _table()
    t["prob_1"][9] = 1.7
    res = _evaluate(tmp_path, t)
    assert res.exit_code == 2, res.output
    assert "prob_1 is 1.7 in row 10: a probability lies between 0 and 1" in res.output
    assert "percentages" not in res.output
    assert not (tmp_path / "ev").exists()


def test_evaluate_still_scores_probabilities_of_exactly_0_and_1(tmp_path):
    t = _table()
    t["prob_1"][0], t["prob_2"][0] = 1.0, 0.0
    t["class_pred"][0] = 1
    res = _evaluate(tmp_path, t)
    assert res.exit_code == 0, res.output
    assert "ROC AUC" in res.output


def test_suggest_refuses_percentages(tmp_path):
    model = write_untrained_model(tmp_path / "m", get_preset("m31-binary-compact"), seed=0)
    t = _table(scale=100.0)
    t["id"] = np.arange(1, len(t) + 1)
    t.write(tmp_path / "cands.ecsv", format="ascii.ecsv")
    out = tmp_path / "sug.ecsv"
    res = runner.invoke(app, ["suggest", str(model), str(tmp_path / "cands.ecsv"), "-n", "5", "--mag-bins", "1",
                              "-o", str(out)])
    assert res.exit_code == 2, res.output
    assert "prob_1 of the candidates is" in res.output and "divide them by 100" in res.output
    assert not out.exists()


def test_the_range_check_leaves_nan_and_unused_rows_alone():
    from starclass.io.catalog import check_probability_range

    p = np.array([[0.3, 0.7], [np.nan, np.nan], [55.0, 45.0]])
    check_probability_range(p, ["prob_1", "prob_2"], rows=np.array([True, True, False]))
    with pytest.raises(StarclassError, match="prob_1 is 55 in row 3"):
        check_probability_range(p, ["prob_1", "prob_2"])
