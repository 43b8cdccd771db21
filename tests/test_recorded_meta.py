"""What classify records in a catalogue's meta (classes, merges, threshold, calibration) is checked when the
file is read: a hand-edited ECSV header of the wrong kind is refused naming the file and the key (exit 2,
nothing written), and a FITS table that another program wrote with a valueless card reads as "not recorded".
Before, evaluate, report and info stopped with a ValueError or TypeError traceback."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_two_class_classified
from starclass.cli import app

runner = CliRunner()

#: A binary task's record as classify writes it, then the same with one hand-edited line each.
RECORDED = {"task": "toy2", "classes": [1, 2], "class_names": ["cluster", "other"], "threshold": 0.5,
            "positive_class": 1, "eval_merges": {}, "reference_merge": {}, "calibrated": True,
            "temperature": 1.5, "coverage": 0.9}
EDITS = [
    ("threshold", "high"),
    ("class_names", 5),
    ("reference_merge", [1, 2]),
    ("coverage", "ninety"),
    ("eval_merges", "banana"),
    ("positive_class", "first"),
    ("temperature", -3.0),
]


def _classified(path: Path, **meta) -> Path:
    t = Table.read(write_two_class_classified(path.with_suffix(".plain.ecsv")))
    t.meta.update({**RECORDED, **meta})
    t.write(path, overwrite=True)
    return path


@pytest.mark.parametrize(("key", "value"), EDITS)
def test_a_hand_edited_meta_value_is_refused_naming_the_file_and_the_key(tmp_path, key, value):
    cat = _classified(tmp_path / "edited.ecsv", **{key: value})
    res = runner.invoke(app, ["info", str(cat)])
    assert res.exit_code == 2, res.output
    assert "edited.ecsv" in res.output and f"its meta {key!r} is {value!r}" in res.output, res.output
    out = tmp_path / "ev"
    res = runner.invoke(app, ["evaluate", str(cat), "-r", "self", "--out", str(out), "--bootstrap", "0"])
    assert res.exit_code == 2 and f"its meta {key!r}" in res.output, res.output
    assert not out.exists()


def test_the_unedited_record_is_read_as_before(tmp_path):
    cat = _classified(tmp_path / "ok.ecsv")
    res = runner.invoke(app, ["evaluate", str(cat), "-r", "self", "--out", str(tmp_path / "ev"), "--bootstrap", "0"])
    assert res.exit_code == 0, res.output


def test_a_fits_table_written_by_astropy_reads_its_valueless_cards_as_not_recorded(tmp_path):
    t = Table.read(_classified(tmp_path / "c.ecsv", threshold=None, positive_class=None))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # astropy's own: long keywords become HIERARCH cards, dicts are left out
        t.write(tmp_path / "c.fits")  # astropy itself, not starclass's writer: None becomes a card without a value
    res = runner.invoke(app, ["info", str(tmp_path / "c.fits")])
    assert res.exit_code == 0, res.output
    assert "rows: 40" in res.output
