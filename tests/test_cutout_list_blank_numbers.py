"""A cutout list's column of numbers with some blank cells is read as masked numbers, not as text.

A magnitude column with a few blanks in the CSV read by ``train``/``classify --stamps`` was text (every cell had to
be a number for the column to be one): it passed through ``classify --stamps -o out.ecsv`` as strings, and
``evaluate out.ecsv --by mag`` took each magnitude for a group of its own instead of cutting the column into
quantile bins. Such a column is now an astropy masked column (a blank masked, NaN beneath for floats), as astropy
reads the same CSV; a column of text keeps its text, and the columns used as written (labels, objects, folds,
files) keep their blanks.
"""

from __future__ import annotations

import csv

import numpy as np
import pytest
from astropy.table import MaskedColumn, Table
from typer.testing import CliRunner

from conftest import write_noise_cutout_folder, write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.io.cutout_folders import read_cutout_folder

pytestmark = pytest.mark.usefixtures("single_thread")

#: Every 7th row (from the 4th) has no magnitude, every 9th no count; every 5th a note
N = 40
BLANK = [i % 7 == 3 for i in range(N)]


def _list(root):
    """A labelled noise folder whose list has a magnitude, a count, a note and a zero-padded id, some blank."""
    labels = write_noise_cutout_folder(root, size=16, object_ids=True, n=N)
    rows = list(csv.DictReader(open(labels)))
    rng = np.random.default_rng(2)
    mags = rng.uniform(19.0, 24.0, N).round(2)
    for i, row in enumerate(rows):
        row["mag"] = "" if BLANK[i] else f"{mags[i]:.2f}"
        row["n_exp"] = "" if i % 9 == 0 else str(i % 4 + 1)
        row["note"] = "bright" if i % 5 == 0 else ""
        row["cat_id"] = "" if i == 1 else f"{i:03d}"
    with open(labels, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return labels, np.where(BLANK, np.nan, mags)


def test_the_list_reader_masks_the_blank_numbers(tmp_path):
    labels, mags = _list(tmp_path / "f")
    t = read_cutout_folder(labels, group_column="object_id").table
    assert isinstance(t["mag"], MaskedColumn) and t["mag"].dtype.kind == "f"
    assert t["mag"].mask.tolist() == BLANK
    np.testing.assert_allclose(t["mag"].filled(np.nan), mags)
    assert t["n_exp"].dtype.kind == "i" and t["n_exp"].mask.sum() == 5 and t["n_exp"][2] == 3
    # text stays text: a note, and ids written with leading zeros (as other tables name them)
    assert t["note"].dtype.kind == "U" and t["note"][0] == "bright" and t["note"][1] == ""
    assert t["cat_id"].dtype.kind == "U" and t["cat_id"][2] == "002" and t["cat_id"][1] == ""


def test_a_label_column_of_numbers_keeps_its_blanks(tmp_path):
    """Labels are used as the strings written: a blank is an unlabelled row, not a masked class."""
    labels = write_noise_cutout_folder(tmp_path / "f", size=16, n=6)
    rows = list(csv.DictReader(open(labels)))
    with open(labels, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows([{**r, "label": "" if i == 2 else str(i % 2 + 1)} for i, r in enumerate(rows)])
    cs = read_cutout_folder(labels, require_group=False, require_labels=False)
    assert cs.labels.tolist() == ["1", "2", "", "2", "1", "2"]
    assert not isinstance(cs.table["label"], MaskedColumn) and cs.table["label"][2] == ""


def test_classified_list_is_scored_by_its_magnitude_bins(tmp_path):
    labels, _ = _list(tmp_path / "f")
    from starclass.learn.config import get_preset

    model = write_untrained_model(tmp_path / "model", get_preset("m31-real", stamp_size=16))
    out = tmp_path / "out.ecsv"
    runner = CliRunner()
    res = runner.invoke(app, ["classify", "--stamps", str(labels), "--model", str(model), "-o", str(out),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    written = Table.read(out)
    assert written["mag"].dtype.kind == "f" and np.ma.getmaskarray(written["mag"]).tolist() == BLANK
    ev = runner.invoke(app, ["evaluate", str(out), "--label-column", "label", "--by", "mag", "--by-min-rows", "2",
                             "--no-science", "--bootstrap", "0", "-o", str(tmp_path / "ev")])
    assert ev.exit_code == 0, ev.output
    assert "by mag (binned at the quantiles into 5 bins):" in ev.output, ev.output
    # the rows without a magnitude are one group, counted
    assert f"(missing): {sum(BLANK)} objects," in ev.output, ev.output
    by = [ln for ln in ev.output.splitlines() if ln.startswith("  [")]
    assert len(by) == 5 and sum(int(ln.split(": ")[1].split(" ")[0]) for ln in by) == N - sum(BLANK), ev.output
