"""``starclass info`` on a table evaluate, report or explain wrote: what it is and its rows, not "name a column 'id'".

``starclass evaluate cls.csv -o ev; starclass info ev/tables/per_class_prediction_class_ref.ecsv`` said
"required column 'id' missing ... name a column 'id' in the file": misleading for a table starclass wrote
itself. Such tables now record who wrote them (meta ``starclass_table``); older ones are known by their
folder (the ``summary.json`` that lists them, a report's ``tables/.page``, explain's ``explain.json``).
"""

from __future__ import annotations

from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_two_class_classified  # tests/ is on sys.path under pytest
from starclass.cli import app as cli


def _evaluated(tmp_path):
    write_two_class_classified(tmp_path / "cls.csv")
    res = CliRunner().invoke(cli, ["evaluate", str(tmp_path / "cls.csv"), "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    return tmp_path / "ev" / "tables" / "per_class_cls_class_ref.ecsv"


def test_info_on_evaluates_per_class_table_says_what_it_is_and_shows_it(tmp_path):
    path = _evaluated(tmp_path)
    res = CliRunner().invoke(cli, ["info", str(path)])
    assert res.exit_code == 0, res.output
    assert "required column 'id'" not in res.output
    assert f"{path}: a table starclass evaluate wrote into {tmp_path / 'ev'}, not a catalogue" in res.output
    assert "section: class_pred vs class_ref in cls: metrics" in res.output
    t = Table.read(path, format="ascii.ecsv")
    assert "  2 rows:" in res.output and "precision" in res.output
    assert f"{t['precision'][0]:.3f}" in res.output  # the table itself is shown


def test_a_table_written_before_the_meta_is_known_by_the_summary_that_lists_it(tmp_path):
    path = _evaluated(tmp_path)
    t = Table.read(path, format="ascii.ecsv")
    t.meta.pop("starclass_table", None)  # as written before 2026-12-05
    t.write(path, format="ascii.ecsv", overwrite=True)
    res = CliRunner().invoke(cli, ["info", str(path)])
    assert res.exit_code == 0, res.output
    assert "a table starclass evaluate wrote into" in res.output and "section:" not in res.output
    # a table of the user's own without 'id' is still asked for one
    t.write(tmp_path / "mine.ecsv", format="ascii.ecsv")
    res = CliRunner().invoke(cli, ["info", str(tmp_path / "mine.ecsv")])
    assert res.exit_code == 2 and "required column 'id' missing" in res.output, res.output


def test_explains_table_of_the_stamps_is_explains_table_not_a_list_of_cutouts(tmp_path):
    """``explain``'s ``tables/stamps.ecsv`` has a ``file`` column, relative to the stamps explained (not to tables/):
    info read it as a classified cutout list and said "images: not read (... no such file)"."""
    out = tmp_path / "explained"
    (out / "tables").mkdir(parents=True)
    (out / "explain.json").write_text('{"stamps": "cc_test/labels.csv"}', encoding="utf-8")
    path = out / "tables" / "stamps.ecsv"
    Table({"index": [0, 1], "file": ["images/sim_000000.fits", "images/sim_000001.fits"], "class_ref": [2, 1],
           "class_pred": [3, 1], "prob_pred": [0.41, 0.77]}).write(path, format="ascii.ecsv")
    res = CliRunner().invoke(cli, ["info", str(path)])
    assert res.exit_code == 0, res.output
    assert f"{path}: a table starclass explain wrote into {out}, not a catalogue" in res.output
    assert "images: not read" not in res.output and "no such file" not in res.output
    assert "images/sim_000001.fits" in res.output and "0.77" in res.output  # its rows are shown


def test_a_results_tables_text_is_left_aligned_its_numbers_right(tmp_path):
    """``info many/tables/skipped.ecsv``: reasons of 40-250 characters were right-aligned, a short one's words a
    screen away from its field's name."""
    path = tmp_path / "skipped.ecsv"
    t = Table({"field": ["ic4247", "ngc3351"], "n": [45, 7],
               "reason": ["45 inspected sources (< 100)", "layout 'unknown-class': " + "no class column known " * 5]})
    t.meta["starclass_table"] = {"written_by": "starclass evaluate", "section": "Fields"}
    t.write(path, format="ascii.ecsv")
    res = CliRunner().invoke(cli, ["info", str(path)])
    assert res.exit_code == 0, res.output
    (row,) = [line for line in res.output.splitlines() if "ic4247" in line]
    assert row.startswith("  ic4247 "), row  # the field's name where its column starts
    assert " 45 45 inspected sources (< 100)" in " ".join(row.split()) and row.endswith("(< 100)"), row
    (other,) = [line for line in res.output.splitlines() if "ngc3351" in line]
    assert other.index(" 7 ") + 1 == row.index("45 ") + 1  # numbers right-aligned: their last digits in one column
