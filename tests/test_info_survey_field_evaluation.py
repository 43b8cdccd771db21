"""``info`` of a survey's field folder says what its ``evaluation.json`` is, not that it was not read.

Until 2026-12-07 ``info SURVEY/fields/FIELD`` ended "note: 1 file not read as a catalogue: evaluation.json", as if
something were wrong with the file that ``info`` of the file itself describes (the field's evaluation against its
truth). It is noted as what it is now, with the figures the survey's summary line gives the field.
"""

from __future__ import annotations

import json

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def test_a_field_folders_evaluation_is_described_not_unread(tmp_path):
    fdir = tmp_path / "sv" / "fields" / "F1"
    fdir.mkdir(parents=True)
    Table({"id": np.arange(1, 5), "x": [5.0, 6.0, 7.0, 8.0], "y": [5.0, 6.0, 7.0, 8.0],
           "class_pred": np.array([1, 2, 2, 1], np.int16)}).write(fdir / "catalogue.ecsv")
    # the keys survey writes (survey.run, OUT/fields/<field>/evaluation.json)
    (fdir / "evaluation.json").write_text(json.dumps({
        "truth": "truth.ecsv", "n_truth": 5, "n_catalogue": 4, "matched_on": "pixels", "n_matched": 4,
        "completeness": 0.8, "accuracy": {"2class": {"accuracy": 0.75, "balanced_accuracy": 0.5}}}))
    res = runner.invoke(app, ["info", str(fdir)])
    assert res.exit_code == 0, res.output
    assert "not read" not in res.output, res.output
    said = " ".join(res.output.split())
    assert ("note: evaluation.json: the evaluation of field F1 (truth: 4/5 matched on the pixels, accuracy (2class) "
            f"0.750 (balanced 0.500)), not a catalogue (starclass info {fdir / 'evaluation.json'} shows it)") in said, \
        res.output


def test_another_json_file_in_a_field_folder_is_still_noted_as_unread(tmp_path):
    fdir = tmp_path / "sv" / "fields" / "F1"
    fdir.mkdir(parents=True)
    Table({"id": np.arange(1, 3), "x": [5.0, 6.0], "y": [5.0, 6.0]}).write(fdir / "catalogue.ecsv")
    (fdir / "notes.json").write_text(json.dumps({"who": "me"}))
    res = runner.invoke(app, ["info", str(fdir)])
    assert res.exit_code == 0, res.output
    assert "1 file not read as a catalogue: notes.json" in res.output, res.output
