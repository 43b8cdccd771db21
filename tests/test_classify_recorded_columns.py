"""A classified CSV classified again keeps the objects' and files' columns it records (issue 12, part 1).

``classify --stamps labels.csv --group-column id --file-column filename -o out.csv`` records both as columns
(a CSV keeps no meta). ``classify --stamps out.csv -o again.ecsv`` without the options grouped by the model's
column and read ``file``: the output's meta recorded neither, the input's ``group_column``/``file_column``
columns passed through stale beside it, and ``evaluate`` resampled cutouts one by one. Now they are kept (a
note says so), the options change them, and the passed-through record is replaced by this run's.
"""

from __future__ import annotations

import csv

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_noise_cutout_folder, write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.config import get_preset

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


def _said(res) -> str:
    return " ".join(res.output.split())


@pytest.fixture
def classified(tmp_path):
    """Another team's filename,label,id list, classified once with both options into out.csv."""
    labels = write_noise_cutout_folder(tmp_path / "f", size=16, object_ids=True, n=8)
    rows = list(csv.DictReader(open(labels)))
    names = {"file": "filename", "object_id": "id"}
    with open(labels, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=[names.get(c, c) for c in rows[0]])
        w.writeheader()
        w.writerows([{names.get(k, k): v for k, v in r.items()} for r in rows])
    model = write_untrained_model(tmp_path / "model", get_preset("m31-real", stamp_size=16))
    out = tmp_path / "f" / "out.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(labels), "--group-column", "id", "--file-column", "filename",
                              "--model", str(model), "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    return labels, model, out


def test_classified_again_without_the_options_keeps_them(classified, tmp_path):
    labels, model, out = classified
    again = tmp_path / "again.ecsv"
    res = runner.invoke(app, ["classify", "--stamps", str(out), "--model", str(model), "-o", str(again),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    assert (f"note: group_column 'id' and file_column 'filename' kept as {out} records them (give --group-column "
            "or --file-column to change)") in _said(res), res.output
    t = Table.read(again)
    assert t.meta["group_column"] == "id" and t.meta["file_column"] == "filename"
    assert "group_column" not in t.colnames and "file_column" not in t.colnames  # no stale record beside the meta
    ev = runner.invoke(app, ["evaluate", str(again), "-r", str(labels), "--label-column", "label", "--no-science",
                             "--bootstrap", "0", "-o", str(tmp_path / "ev")])
    assert ev.exit_code == 0, ev.output
    assert "paired by filename" in _said(ev), ev.output
    # a CSV again: the record is this run's columns
    again_csv = tmp_path / "again.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(out), "--model", str(model), "-o", str(again_csv),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    t = Table.read(again_csv, format="ascii.csv")
    assert set(t["group_column"]) == {"id"} and set(t["file_column"]) == {"filename"}


def test_the_options_change_what_is_kept(classified, tmp_path):
    labels, model, out = classified
    again = tmp_path / "again.ecsv"
    res = runner.invoke(app, ["classify", "--stamps", str(out), "--model", str(model), "-o", str(again),
                              "--group-column", "label", "--file-column", "file", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "kept as" not in res.output, res.output
    t = Table.read(again)
    assert t.meta["group_column"] == "label" and "file_column" not in t.meta
    assert "group_column" not in t.colnames and "file_column" not in t.colnames
    # one of the two given: the other is kept
    again2 = tmp_path / "again2.ecsv"
    res = runner.invoke(app, ["classify", "--stamps", str(out), "--model", str(model), "-o", str(again2),
                              "--file-column", "file", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert f"note: group_column 'id' kept as {out} records it (give --group-column to change)" in _said(res)
    t = Table.read(again2)
    assert t.meta["group_column"] == "id" and "file_column" not in t.meta
