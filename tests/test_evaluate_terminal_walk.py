"""What ``evaluate`` prints of a human catalogue scored against the simulated truth, read as a new user (2026-12-07).

Found walking docs/evaluation.md with ``simulate`` output (``evaluate f1/humans.ecsv -r f1/truth.ecsv``):

* the accuracies and the detail lines were named by the reference alone, "truth: accuracy[4class] = 0.800",
  "truth: 200 objects paired ...", under "bootstrap (humans vs truth)" and beside the page's "humans vs truth:
  metrics": as if the truth were what was scored;
* the task line ended "(from default)", and nothing on the terminal said what was assumed and how to change it
  (the page said it: "the PHANGS four classes are assumed (give --task for another scheme)");
* the report's mass-function notes said "no object in the range [47863.0092322638, None)".
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError

runner = CliRunner()


def _humans_and_truth(tmp_path, n=60):
    rng = np.random.default_rng(7)
    truth = rng.integers(1, 5, n)
    humans = np.where(rng.random(n) < 0.8, truth, rng.integers(1, 5, n))
    pos = {"id": np.arange(n), "x": np.arange(n) * 10.0, "y": np.zeros(n)}
    Table({**pos, "class_ref": humans}).write(tmp_path / "humans.ecsv")
    Table({**pos, "class_ref": truth}).write(tmp_path / "truth.ecsv")
    return humans, truth


def test_the_terminal_names_each_comparison_as_the_page_and_the_progress_line_do(tmp_path):
    humans, truth = _humans_and_truth(tmp_path)
    res = runner.invoke(app, ["evaluate", str(tmp_path / "humans.ecsv"), "-r", str(tmp_path / "truth.ecsv"),
                              "--bootstrap", "3", "--no-science", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    acc = float(np.mean(humans == truth))
    assert any(line.startswith(f"  4class: accuracy {acc:.3f}") for line in lines), lines
    assert any(line.startswith("humans vs truth: 60 objects paired one-to-one") for line in lines), lines
    assert not any(line.startswith("truth:") for line in lines), lines
    assert "bootstrap (humans vs truth)" in res.stderr
    # what the task line's "(from default)" assumed, and how to give another: on the line itself, said once (a note
    # under it said it again until 2026-12-07)
    at = next(i for i, line in enumerate(lines) if line.startswith("task (unnamed)"))
    assert lines[at].endswith("; the catalogue records no task and has no probabilities: the PHANGS four classes are "
                              "assumed (give --task for another scheme)"), lines[at:at + 2]
    assert "(from default)" not in lines[at] and not lines[at + 1].startswith("note: the catalogue"), lines[at:at + 2]


def test_an_empty_mass_range_is_said_in_numbers_one_can_read():
    from starclass.science.massfunc import fit_powerlaw_ml

    with pytest.raises(StarclassError) as err:
        fit_powerlaw_ml(np.array([1.0e3, 2.0e3]), lo=47863.0092322638, what="power-law fit")
    assert str(err.value) == "power-law fit: no object at or above 4.786e+04", str(err.value)
