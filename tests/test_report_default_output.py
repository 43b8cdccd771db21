"""``starclass report CATALOGUE`` without ``-o``: a folder named after the catalogue, in the current folder.

Until 2026-12-06 the default was ``report.html`` (and ``tables/`` beside it) in the current folder, so the
report of a second catalogue there was refused ('--output (its tables/ folder) tables exists'), and with
``--overwrite`` it replaced the first. Now ``a.ecsv`` goes to ``a_report/report.html``, ``b.ecsv`` to
``b_report/``; nothing is written beside the input (data folders are often read-only or shared).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")


def _classified(path: Path, seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 40
    p1 = rng.uniform(0.05, 0.95, n)
    Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 100, n), "y": rng.uniform(0, 100, n),
           "class_pred": np.where(p1 >= 0.5, 1, 2), "class_ref": rng.integers(1, 3, n),
           "prob_1": p1, "prob_2": 1 - p1}).write(path)


def _report(*args: str):
    return CliRunner().invoke(app, ["report", *args, "-r", "self", "--task", "galaxy-cluster", "--bootstrap", "0",
                                    "--no-progress"])


@pytest.fixture
def two_catalogues(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    _classified(data / "a.ecsv", 0)
    _classified(data / "b.fits.gz", 1)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return data, work


def test_two_catalogues_get_two_reports_in_the_current_folder_and_none_beside_the_input(two_catalogues):
    data, work = two_catalogues
    r = _report(str(data / "a.ecsv"))
    assert r.exit_code == 0, r.output
    assert "report: a_report/report.html" in r.output, r.output
    page_a = (work / "a_report" / "report.html").read_bytes()
    r = _report(str(data / "b.fits.gz"))
    assert r.exit_code == 0, r.output
    assert (work / "b_report" / "report.html").is_file() and (work / "b_report" / "tables").is_dir()
    assert (work / "a_report" / "report.html").read_bytes() == page_a  # the first report is untouched
    assert sorted(p.name for p in work.iterdir()) == ["a_report", "b_report"]
    assert sorted(p.name for p in data.iterdir()) == ["a.ecsv", "b.fits.gz"]  # nothing beside the inputs


def test_an_existing_default_report_is_kept_without_overwrite_naming_the_file_and_the_option(two_catalogues):
    data, work = two_catalogues
    assert _report(str(data / "a.ecsv")).exit_code == 0
    page = work / "a_report" / "report.html"
    page.write_text("<html>mine</html>")
    r = _report(str(data / "a.ecsv"))
    assert r.exit_code == 2, r.output
    assert "a_report/report.html exists" in r.output and "--overwrite" in r.output, r.output
    assert "Traceback" not in r.output
    assert page.read_text() == "<html>mine</html>"
    r = _report(str(data / "a.ecsv"), "--overwrite")
    assert r.exit_code == 0, r.output
    assert "mine" not in page.read_text()


def test_the_help_says_the_default():
    r = CliRunner().invoke(app, ["report", "--help"], env={"COLUMNS": "400"})
    text = " ".join(r.output.split())
    assert "<catalogue>_report/ in the current folder" in text, text
    assert "[default: report.html]" not in text


def test_a_legus_file_s_report_is_named_by_its_field(tmp_path, monkeypatch):
    """``hlsp_legus_..._avgapcor_report`` (until 2026-12-07): ``ngc1566_report``, as the page names the catalogue."""
    _classified(tmp_path / "hlsp_legus_hst_wfc3_ngc1566_multiband_v1_padagb-mwext-avgapcor.ecsv", 0)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    r = _report(str(tmp_path / "hlsp_legus_hst_wfc3_ngc1566_multiband_v1_padagb-mwext-avgapcor.ecsv"))
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in work.iterdir()) == ["ngc1566_report"], r.output
