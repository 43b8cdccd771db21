"""``report CLASSIFIED --model M`` without ``--stamps`` names the cutout folder the classification records.

Found by a new user's walk (2026-12-06): ``report out.csv --model mymodel`` on the output of ``classify
--stamps`` was refused with "Grad-CAM of model mymodel needs the mosaics the catalogue was classified on
(--mosaics) or its cutout folder (--stamps)", while ``out.csv`` names that folder in its ``cutout_root``
column; and ``build_report(..., model_path=...)`` in Python said the same, naming options a notebook does not
have. The refusal now ends "out.csv was classified from the cutout folder DIR (its cutout_root): give --stamps
DIR" (a list there named otherwise than labels.csv given by its name), and names ``mosaics=`` / ``stamps=``.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from conftest import write_noise_cutout_folder, write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.learn.config import get_preset

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("single_thread", "unrendered_figures")
runner = CliRunner()


def _model(folder):
    """An untrained m31-real model over 16 px stamps: the folder's labels are its task's."""
    return write_untrained_model(folder, get_preset("m31-real", stamp_size=16))


def _said(res) -> str:
    return " ".join(res.output.split())


@pytest.mark.parametrize("list_name", ["labels.csv", "held out.csv"])
def test_report_names_the_recorded_folder_and_its_command_works(tmp_path, list_name):
    folder = tmp_path / "my cutouts"
    listed = write_noise_cutout_folder(folder, 16)
    if list_name != "labels.csv":
        listed = listed.rename(folder / list_name)
    model = _model(tmp_path / "model")
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(listed), "--model", str(model), "-o", str(out)])
    assert res.exit_code == 0, res.output
    page = tmp_path / "rep" / "report.html"
    res = runner.invoke(app, ["report", str(out), "--model", str(model), "-o", str(page)])
    assert res.exit_code == 2, res.output
    said = _said(res)
    given = folder if list_name == "labels.csv" else listed
    assert f"was classified from the cutout folder {folder} (its cutout_root): give --stamps {given}" in said, said
    assert not page.exists()
    # the command the message gives, as a user types it
    res = runner.invoke(app, ["report", str(out), "--model", str(model), "--stamps", str(given), "-o", str(page)])
    assert res.exit_code == 0, res.output
    assert page.is_file()


def test_build_report_names_its_keywords_in_python(tmp_path):
    from starclass.report import build_report

    folder = tmp_path / "cut"
    listed = write_noise_cutout_folder(folder, 16)
    model = _model(tmp_path / "model")
    out = tmp_path / "out.ecsv"
    res = runner.invoke(app, ["classify", "--stamps", str(listed), "--model", str(model), "-o", str(out)])
    assert res.exit_code == 0, res.output
    with pytest.raises(StarclassError, match=r"stamps= in Python\).*give --stamps " + str(folder).replace("/", ".")):
        build_report(str(out), None, tmp_path / "rep", model_path=model)
    assert not (tmp_path / "rep").exists()


def test_a_catalogue_without_a_recorded_folder_gets_no_hint(tmp_path):
    """Guard: a catalogue of positions (no cutout_root) is refused as before, with no folder named."""
    from astropy.table import Table

    cat = tmp_path / "c.ecsv"
    Table({"id": [1, 2], "x": [1.0, 2.0], "y": [1.0, 2.0], "class_pred": [1, 2], "class_ref": [1, 2]}).write(cat)
    model = _model(tmp_path / "model")
    res = runner.invoke(app, ["report", str(cat), "--model", str(model), "-o", str(tmp_path / "r.html")])
    assert res.exit_code == 2, res.output
    said = _said(res)
    assert "needs the mosaics" in said and "cutout_root" not in said, said
