"""``evaluate``/``report FILE.tab --map``: the map the LEGUS reader's warning advises works on one catalogue.

A class column holding no classes (a mean of the people's classes in column 34, the class in 35) is warned of with
"name it: --map class_ref=N". Until 2026-12-07 ``evaluate`` and ``report`` refused ``--map`` without ``--catalogs``
("--map applies to --catalogs DIR"), so the advice named an option the command could not take with the file.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from test_io_legus import _line, _standard_row

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")

runner = CliRunner()


def _files(tmp_path):
    """A LEGUS file whose column 34 holds the people's mean and 35 their class; a classification of it."""
    rng = np.random.default_rng(3)
    classes = rng.integers(1, 5, 30)
    rows = []
    for i, c in enumerate(classes, 1):
        r = _standard_row(i, 0, 0.0)
        r[1], r[2] = 10.0 + 8 * i, 20.0 + 8 * i  # well apart: each pairs with its own row
        r[33], r[34] = float(c) + 0.333, int(c)  # a mean in the class's place, the class after it
        rows.append(r)
    tab = tmp_path / "hlsp_legus_hst_wfc3_ngcz_multiband_v1_padagb-mwext-avgapcor.tab"
    tab.write_text("\n".join(_line(r) for r in rows) + "\n")
    pred = tmp_path / "pred.ecsv"
    # LEGUS positions are 1-based; the schema's 0-based
    Table({"id": np.arange(1, 31), "x": [9.0 + 8 * i for i in range(1, 31)],
           "y": [19.0 + 8 * i for i in range(1, 31)], "class_pred": classes}).write(pred)
    return tab, pred


@pytest.mark.parametrize("command", ["evaluate", "report"])
def test_the_map_the_warning_advises_is_taken_with_one_legus_file(command, tmp_path):
    tab, pred = _files(tmp_path)
    plain = runner.invoke(app, ["evaluate", str(pred), "-r", str(tab), "--bootstrap", "0", "--no-science",
                                "-o", str(tmp_path / "plain")])
    assert "--map class_ref=N" in plain.output, plain.output  # the advice, then nothing to score
    assert plain.exit_code == 2 and "no row a reference class" in plain.output
    out = tmp_path / ("e" if command == "evaluate" else "r.html")
    res = runner.invoke(app, [command, str(pred), "-r", str(tab), "--map", "class_ref=35", "--bootstrap", "0",
                              *(["--no-science"] if command == "evaluate" else []), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "--map class_ref=N" not in res.output  # column 35 holds classes: no warning
    tables = (out if command == "evaluate" else tmp_path) / "tables"
    summary = Table.read(next(tables.glob("summary_*.ecsv")), format="ascii.ecsv")
    # every class agrees once column 35 is read as the class
    assert np.all(np.asarray(summary["accuracy"]) == 1.0), summary


def test_a_map_without_a_legus_file_is_refused(tmp_path):
    _, pred = _files(tmp_path)
    res = runner.invoke(app, ["evaluate", str(pred), "--map", "class_ref=35", "-o", str(tmp_path / "o")])
    assert res.exit_code == 2 and "none of pred.ecsv is one" in res.output, res.output
    assert not (tmp_path / "o").exists()
