"""``report --no-science`` skips the science checks, as ``evaluate --no-science`` does.

docs/evaluation.md said ``--no-science`` was accepted beside ``--catalogs`` by evaluate and report, but until
2026-12-07 report had no such option: ``starclass report pred.ecsv -r pred.ecsv --no-science`` exited 2 with
"No such option: --no-science", and the page always drew its science checks (17-37 s of a report).
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.catalogs import fake_catalogs
from starclass.report.build import SCIENCE_CHECKS

# figures are built, not rendered to PNG (conftest's unrendered_figures): the test reads the page's sections
pytestmark = pytest.mark.usefixtures("unrendered_figures")

runner = CliRunner()


@pytest.fixture(scope="module")
def pred(tmp_path_factory):
    path = tmp_path_factory.mktemp("pred") / "pred.ecsv"
    fake_catalogs(60, seed=0)[0].write(path)
    return path


@pytest.mark.parametrize("science", [True, False])
def test_report_no_science_leaves_the_science_checks_out(tmp_path, pred, science):
    out = tmp_path / "out.html"
    flag = "--science" if science else "--no-science"
    res = runner.invoke(app, ["report", str(pred), "-r", str(pred), "--bootstrap", "0", flag, "-o", str(out),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    page = out.read_text()
    # each check is a section of the page, by its title (the mass functions' needs columns these rows lack);
    # with --no-science none of them
    drawn = [title for title in SCIENCE_CHECKS if title in page]
    assert bool(drawn) == science, drawn


def test_report_help_names_no_science():
    res = runner.invoke(app, ["report", "--help"], terminal_width=200)
    assert res.exit_code == 0
    assert "--no-science" in res.output
