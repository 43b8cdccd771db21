"""``info DIR`` on a folder holding a (classified) cutout table says what it is, not "name a column 'id'".

``classify --stamps labels.csv -o cats/classified.csv`` then ``info cats/`` said "required column 'id' missing ...
name a column 'id' in the file": advice for a catalogue, for a table of cutouts (its images in ``file``) that
``info cats/classified.csv`` describes (2026-12-07).
"""

from __future__ import annotations

from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def _cutout_table(folder):
    folder.mkdir()
    Table({"file": ["cluster/a.png", "galaxy/b.png"], "label": ["cluster", "galaxy"], "ra": [10.1, 10.2],
           "dec": [41.2, 41.3], "class_pred": [1, 2], "prob_1": [0.8, 0.3]}).write(folder / "classified.csv")


def test_a_folder_of_a_cutout_table_says_what_it_is(tmp_path):
    _cutout_table(tmp_path / "cats")
    res = runner.invoke(app, ["info", str(tmp_path / "cats")])
    text = " ".join(res.output.split())
    assert res.exit_code == 2 and "Traceback" not in text, text
    assert "classified.csv: not a catalogue, skipped: a table of cutout images (column 'file' names each image)" \
        in text, text
    assert f"'starclass info {tmp_path / 'cats' / 'classified.csv'}' describes it" in text, text
    assert "name a column 'id'" not in text, text


def test_beside_a_catalogue_the_cutout_table_is_named_as_such(tmp_path):
    _cutout_table(tmp_path / "cats")
    Table({"id": [1, 2], "x": [5.0, 9.0], "y": [3.0, 4.0], "class_ref": [1, 2]}).write(tmp_path / "cats" / "c.ecsv")
    res = runner.invoke(app, ["info", str(tmp_path / "cats")])
    text = " ".join(res.output.split())
    assert res.exit_code == 0, text
    assert "a table of cutout images" in text and "name a column 'id'" not in text, text
