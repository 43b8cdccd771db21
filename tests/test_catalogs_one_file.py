"""One LEGUS catalogue on its own: ``evaluate/report --catalogs FILE`` and the hint of ``evaluate FILE``.

Before: a user with one field's catalogue had no way to the tables and figures of its people's
classes (class mix, colours, colour-colour boxes, mass slope, mass-age): ``evaluate FILE`` said
"nothing to compare" with no word of them, and ``--catalogs FILE`` was refused, "is not a directory".
Now ``--catalogs`` takes one catalogue as a folder of one field, and ``evaluate FILE`` names it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.science.ssp import distance_modulus
from test_science_many import tab_name, write_tab

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")


def _one_field(tmp_path: Path) -> Path:
    rng = np.random.default_rng(3)
    n = 80
    cls = rng.choice([0, 1, 2, 3, 4], size=n, p=[0.1, 0.2, 0.2, 0.2, 0.3])
    ci = np.where(cls <= 2, 1.8, 1.4) + rng.normal(0, 0.02, n)
    p = tmp_path / tab_name("wfc3_ngc1433")
    write_tab(p, cls, ci, distance_modulus(8.3) + rng.uniform(-9, -5.5, n))
    return p


def test_catalogs_takes_one_legus_file(tmp_path):
    tab = _one_field(tmp_path)
    n_inspected = int(np.isin(np.loadtxt(tab)[:, 33], (1, 2, 3, 4)).sum())
    runner = CliRunner()
    res = runner.invoke(app, ["evaluate", "--catalogs", str(tab), "-o", str(tmp_path / "ev"), "--min-inspected", "10"])
    assert res.exit_code == 0, res.output
    assert f"1 field from {tab}" in res.output
    fields = (tmp_path / "ev" / "tables" / "fields.ecsv").read_text()
    assert "ngc1433" in fields and f" {n_inspected} " in fields
    assert (tmp_path / "ev" / "figures" / "many_fields_summary.png").is_file()
    res = runner.invoke(app, ["report", "--catalogs", str(tab), "-o", str(tmp_path / "rep" / "p.html"),
                              "--min-inspected", "10"])
    assert res.exit_code == 0, res.output
    assert "ngc1433" in (tmp_path / "rep" / "p.html").read_text()


def test_a_file_that_is_no_legus_catalogue_is_named(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# my notes\n")
    res = CliRunner().invoke(app, ["evaluate", "--catalogs", str(notes), "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2 and "notes.md is not a LEGUS catalogue" in res.output
    assert "Traceback" not in res.output and not (tmp_path / "ev").exists()


def test_evaluate_one_legus_file_says_where_its_classes_are_checked(tmp_path):
    tab = _one_field(tmp_path)
    res = CliRunner().invoke(app, ["evaluate", str(tab), "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2 and "nothing to compare" in res.output
    assert f"give it as --catalogs {tab}" in " ".join(res.output.split())
