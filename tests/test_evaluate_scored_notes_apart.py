"""``evaluate`` prints the notes of its "scored column" line each on a line of its own.

Found walking docs/evaluation.md (2026-12-06): ``evaluate NGC1566.tab --pred-column class_ml`` said "scored column
class_ml of ...tab, class_ml has no probabilities: no ROC, threshold or calibration figures; note: class_ref, the
hybrid class, is class_ml itself on 654 rows (class_method 0): the figures flatter class_ml; ...": the one caveat
that says the scores are partly in-sample came at the end of a line about missing figures.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def test_the_hybrid_note_is_a_line_of_its_own(tmp_path):
    rng = np.random.default_rng(3)
    n = 80
    ml = rng.integers(1, 5, n)
    method = np.where(np.arange(n) < 30, 0, 3)
    human = np.where(method == 3, rng.integers(1, 5, n), 0)
    t = Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 500, n), "y": rng.uniform(0, 500, n),
               "class_ref": np.where(method == 0, ml, human), "class_method": method, "class_ml": ml,
               "class_human_mode": human})
    p = tmp_path / "hybrid.ecsv"
    t.write(p)
    res = runner.invoke(app, ["evaluate", str(p), "--pred-column", "class_ml", "--bootstrap", "0", "--no-science",
                              "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    scored = [s for s in lines if s.startswith("scored column class_ml")]
    assert len(scored) == 1 and "note:" not in scored[0], lines
    notes = [s for s in lines if s.startswith("note: class_ref, the hybrid class, is class_ml itself on 30 rows")]
    assert len(notes) == 1 and lines.index(notes[0]) == lines.index(scored[0]) + 1, lines
