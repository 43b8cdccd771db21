"""``classify --stamps`` of the folder the model was trained on says that its accuracy is no test figure.

docs/real_images.md "Commands" trains on the PAndAS folder and classifies the same folder: "accuracy against the
labels: 0.791" was printed with nothing to say that the model had learnt 743 of those 867 rows. Until 2026-12-07;
now the line says how many, from the model's record of its training inputs, and the accuracy on the others.
"""

from __future__ import annotations

import json
import re

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_noise_cutout_folder, write_untrained_model
from starclass.cli import app
from starclass.io.cutout_folders import read_cutout_folder
from starclass.learn.config import get_preset
from starclass.learn.provenance import MANIFEST_KEY, training_record
from starclass.stamps.images import cutout_inputs, cutout_resampler

runner = CliRunner()


def test_accuracy_on_training_rows_is_said_so(tmp_path):
    labels = write_noise_cutout_folder(tmp_path / "data", 32, n=16)
    cfg = get_preset("m31-real", stamp_size=32)
    model = write_untrained_model(tmp_path / "model", cfg)
    cut = read_cutout_folder(labels, require_group=False, bands=list(cfg.bands), resample=cutout_resampler(cfg))
    trained = np.arange(16) < 10  # the first ten rows are recorded as the model's training rows
    manifest = tmp_path / "model" / "manifest.json"
    doc = json.loads(manifest.read_text())
    doc[MANIFEST_KEY] = training_record(cutout_inputs(cut.images, cfg), np.flatnonzero(trained))
    manifest.write_text(json.dumps(doc))
    res = runner.invoke(app, ["classify", "--stamps", str(labels), "--model", str(model), "-o",
                              str(tmp_path / "out.ecsv"), "--device", "cpu"])
    assert res.exit_code == 0, res.output
    out = Table.read(tmp_path / "out.ecsv", format="ascii.ecsv")
    right = np.asarray(out["class_pred"]) == np.asarray(out["class_ref"])
    line = next(ln for ln in res.output.splitlines() if ln.startswith("accuracy against the labels"))
    assert "the model was trained on 10 of these 16 rows, so this is no test figure" in line, line
    other = float(re.search(r"; ([0-9.]+) on the 6 other rows", line).group(1))
    assert other == round(float(np.mean(right[~trained])), 3), line


def test_no_word_where_the_model_saw_none_of_the_rows(tmp_path):
    labels = write_noise_cutout_folder(tmp_path / "data", 32, n=8)
    cfg = get_preset("m31-real", stamp_size=32)
    model = write_untrained_model(tmp_path / "model", cfg)
    res = runner.invoke(app, ["classify", "--stamps", str(labels), "--model", str(model), "-o",
                              str(tmp_path / "out.ecsv"), "--device", "cpu"])
    assert res.exit_code == 0, res.output
    assert "accuracy against the labels" in res.output and "trained on" not in res.output, res.output
