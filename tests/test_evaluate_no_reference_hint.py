"""``evaluate classified.ecsv`` without ``-r`` on a catalogue classified on mosaics says what reference to give.

The demo's ``classified.ecsv`` (no class_ref) was refused with "no reference given and classified.ecsv has no
class_ref column: nothing to compare", no word of what to give; beside it lie the demo's truth and people's tables.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import write_catalog


def _classified(folder) -> None:
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(4), 5)
    t = Table({"id": np.arange(1, 6), "x": np.arange(5.0), "y": np.arange(5.0), "class_pred": p.argmax(1) + 1,
               **{f"prob_{k}": p[:, k - 1] for k in (1, 2, 3, 4)}})
    t.meta["task"] = "legus4"
    write_catalog(t, folder / "classified.ecsv")


def test_no_reference_names_the_demos_references(tmp_path):
    _classified(tmp_path)
    (tmp_path / "test_field").mkdir()
    for name in ("truth.ecsv", "humans.ecsv"):
        Table({"id": [1], "x": [0.0], "y": [0.0], "class_ref": [1]}).write(tmp_path / "test_field" / name)
    res = CliRunner().invoke(app, ["evaluate", str(tmp_path / "classified.ecsv"), "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2, res.output
    assert "nothing to compare; give a labelled catalogue of its field as the reference with -r" in res.output
    assert (f"the demo's, -r {tmp_path / 'test_field' / 'truth.ecsv'} -r {tmp_path / 'test_field' / 'humans.ecsv'}"
            in res.output), res.output
    assert not (tmp_path / "ev").exists()


def test_no_reference_elsewhere_says_what_to_give(tmp_path):
    _classified(tmp_path)
    res = CliRunner().invoke(app, ["evaluate", str(tmp_path / "classified.ecsv"), "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2, res.output
    assert "as the reference with -r (a truth, the people's labels, an 'inspect --export')" in res.output
    assert "demo" not in res.output and not (tmp_path / "ev").exists()
