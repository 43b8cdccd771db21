"""A candidate catalogue given where stamps are taken is named a catalogue, with the command that cuts its stamps.

``explain MODEL truth.ecsv`` (and ``train --stamps truth.ecsv``) said "not a stamp store ... nor a list of
cutouts ...: write this table as CSV, e.g. with astropy Table.read('truth.ecsv').write('truth.csv')", which
gives a CSV without a ``file`` column, refused next. A table that has a ``file`` column keeps that advice.
"""

from __future__ import annotations

from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.stamps.store import not_a_store_message


def test_a_catalogue_is_named_and_cutouts_suggested(tmp_path):
    cat = tmp_path / "truth.ecsv"
    Table({"id": [1, 2], "x": [3.0, 4.0], "y": [5.0, 6.0], "class_ref": [1, 4]}).write(cat)
    said = not_a_store_message(cat)
    assert "it is a catalogue (columns id, x, y, class_ref; no 'file' column naming cutouts)" in said, said
    assert f"'starclass cutouts MOSAICS --catalog {cat} --task TASK_OR_MODEL -o STAMPS.h5'" in said
    assert "write this table as CSV" not in said  # the old code's advice
    res = CliRunner().invoke(app, ["train", "--task", "m31-real", "--stamps", str(cat), "-o", str(tmp_path / "m")])
    assert res.exit_code == 2 and "it is a catalogue" in " ".join(res.output.split()), res.output
    assert not (tmp_path / "m").exists()


def test_a_cutout_list_in_ecsv_is_still_told_to_be_written_as_csv(tmp_path):
    lst = tmp_path / "labels.ecsv"
    Table({"file": ["a.png"], "label": ["cluster"]}).write(lst)
    said = not_a_store_message(lst)
    assert f"write this table as CSV, e.g. with astropy Table.read({str(lst)!r})" in said
    assert "catalogue" not in said
