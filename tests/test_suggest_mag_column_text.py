"""``suggest --mag-column`` naming a column of text is refused by name, not a traceback.

Before: ``--mag-column kind`` (a cutout folder's ``kind`` column: ``globular``, ``young``) stopped with
numpy's ``ValueError: could not convert string to float`` and a traceback (exit 1). Now it is refused
naming the option, the column, the row and the value (exit 2), and nothing is written.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.config import get_preset


def _classified(path, n: int = 20, seed: int = 3):
    rng = np.random.default_rng(seed)
    p1 = rng.uniform(0.0, 1.0, n)
    kinds = np.where(np.arange(n) % 2 == 0, "globular", "young")
    Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 50, n), "y": rng.uniform(0, 50, n),
           "mag_g": rng.uniform(17.0, 21.0, n), "kind": kinds,
           "prob_1": p1, "prob_2": 1 - p1}).write(path, format="ascii.ecsv")
    return path


def _run(tmp_path, column: str):
    model = write_untrained_model(tmp_path / "m", get_preset("m31-binary-compact"), seed=0)
    cands = _classified(tmp_path / "classified.ecsv")
    out = tmp_path / "sug.ecsv"
    res = CliRunner().invoke(app, ["suggest", str(model), str(cands), "-n", "5", "--mag-column", column,
                                   "-o", str(out)])
    return res, out


def test_a_text_mag_column_is_refused_naming_the_column_row_and_value(tmp_path):
    res, out = _run(tmp_path, "kind")
    assert res.exit_code == 2, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert "Traceback" not in res.output
    assert "--mag-column 'kind'" in res.output
    assert "row 1 (id 1) is 'globular', not a number" in res.output
    assert not out.exists()


def test_a_magnitude_column_still_spreads_the_suggestions(tmp_path):
    res, out = _run(tmp_path, "mag_g")
    assert res.exit_code == 0, res.output
    assert "spread over" in res.output and "mag_g" in res.output
    assert out.exists()
