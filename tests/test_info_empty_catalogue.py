"""``info`` describes a catalogue of no rows instead of refusing it.

``detect --mag-limit 5`` (or any cut no candidate passes) writes a catalogue of 0 rows and says
so ("wrote c.ecsv (0 rows)"); ``starclass info c.ecsv`` then said only ``error: catalogue c.ecsv
has no rows`` with exit status 2, as if the file were broken. It now gives the summary (rows: 0,
the columns, the bands). A file with nothing in it (no header) is still refused.
"""

from __future__ import annotations

from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import write_catalog

runner = CliRunner()


def test_info_describes_a_catalogue_of_no_rows(tmp_path):
    cands = Table({"id": [1, 2], "x": [3.0, 4.0], "y": [5.0, 6.0], "mag_f555w": [22.0, 23.0],
                   "mag_f814w": [21.0, 22.5]})
    write_catalog(cands[:0], tmp_path / "none.ecsv")  # as detect writes it when no candidate passes its cuts
    res = runner.invoke(app, ["info", str(tmp_path / "none.ecsv")])
    assert res.exit_code == 0, res.output
    assert "rows: 0" in res.output and "columns (5): id, x, y, mag_f555w, mag_f814w" in res.output, res.output
    assert "bands: f555w, f814w" in res.output and "error" not in res.output, res.output
    (tmp_path / "header.csv").write_text("id,x,y\n")
    res = runner.invoke(app, ["info", str(tmp_path / "header.csv")])
    assert res.exit_code == 0 and "rows: 0" in res.output, res.output
    # nothing in the file at all: no catalogue, refused naming it
    (tmp_path / "blank.tab").write_text("\n")
    res = runner.invoke(app, ["info", str(tmp_path / "blank.tab")])
    assert res.exit_code == 2 and "blank.tab has no rows" in res.output, res.output


def test_info_counts_a_two_class_file_of_no_rows_for_its_own_classes(tmp_path):
    # a two-class output of no rows (prob_1, prob_2, no task meta) was counted for the four PHANGS
    # classes: 'class_pred: 1: 0  2: 0  3: 0  4: 0'; its prob_<k> columns name its classes
    t = Table({"id": [1, 2], "x": [3.0, 4.0], "y": [5.0, 6.0], "prob_1": [0.9, 0.2], "prob_2": [0.1, 0.8],
               "class_pred": [1, 2]})
    write_catalog(t[:0], tmp_path / "empty.ecsv")
    res = runner.invoke(app, ["info", str(tmp_path / "empty.ecsv")])
    assert res.exit_code == 0, res.output
    assert "class_pred: 1: 0  2: 0  (0 classified, 0 without class)" in res.output, res.output
    assert "3: 0" not in res.output, res.output
    # the same with rows: counted for classes 1 and 2 alone as well
    write_catalog(t, tmp_path / "two.ecsv")
    res = runner.invoke(app, ["info", str(tmp_path / "two.ecsv")])
    assert "class_pred: 1: 1  2: 1  (2 classified, 0 without class)" in res.output, res.output
