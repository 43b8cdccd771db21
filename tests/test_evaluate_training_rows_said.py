"""``evaluate`` and ``report`` of a classified cutout table say how many scored rows the model trained on.

``classify --stamps`` of the folder a model was trained on says its accuracy is no test figure; the table it
wrote, given to ``evaluate`` (or ``report``), was scored with no word, and its accuracy read as held-out.
Until 2026-12-07; now both warn, naming the count, the model and what to evaluate instead.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import write_noise_cutout_folder, write_untrained_model
from starclass.cli import app
from starclass.io.cutout_folders import read_cutout_folder
from starclass.learn.config import get_preset

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")

runner = CliRunner()

# the manifest's key, spelled out so that the test reads the record as train writes it
MANIFEST_KEY = "training_rows"


@pytest.fixture(scope="module")
def classified(tmp_path_factory):
    """A 16-cutout folder, a model recording its first ten rows as training rows, and its classification."""
    from starclass.learn.provenance import training_record
    from starclass.stamps.images import cutout_inputs, cutout_resampler

    root = tmp_path_factory.mktemp("in_sample")
    labels = write_noise_cutout_folder(root / "data", 32, n=16)
    cfg = get_preset("m31-real", stamp_size=32)
    model = write_untrained_model(root / "model", cfg)
    cut = read_cutout_folder(labels, require_group=False, bands=list(cfg.bands), resample=cutout_resampler(cfg))
    manifest = root / "model" / "manifest.json"
    doc = json.loads(manifest.read_text())
    doc[MANIFEST_KEY] = training_record(cutout_inputs(cut.images, cfg), np.arange(10))
    manifest.write_text(json.dumps(doc))
    for out in ("out.ecsv", "out.csv"):
        res = runner.invoke(app, ["classify", "--stamps", str(labels), "--model", str(model), "-o",
                                  str(root / out), "--device", "cpu", "--no-progress"])
        assert res.exit_code == 0, res.output
    return root, model


@pytest.mark.parametrize("name", ["out.ecsv", "out.csv"])
def test_evaluate_warns_of_the_training_rows(classified, name):
    root, model = classified
    res = runner.invoke(app, ["evaluate", str(root / name), "-o", str(root / f"ev_{name}"), "--bootstrap", "0",
                              "--no-science", "--no-progress"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert re.search(r"warning: .*10 of the 16 rows scored are cutouts model \S*model was trained on", text), text
    assert "cv_predictions.ecsv" in text and "in-sample" in text


def test_report_warns_and_the_page_says_it(classified):
    root, _ = classified
    res = runner.invoke(app, ["report", str(root / "out.ecsv"), "-o", str(root / "rep"), "--bootstrap", "0",
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "10 of the 16 rows scored are cutouts model" in " ".join(res.output.split()), res.output
    page = (root / "rep" / "report.html").read_text()
    assert "10 of the 16 rows scored are cutouts model" in " ".join(page.split())


def test_no_warning_for_rows_the_model_never_saw(tmp_path):
    labels = write_noise_cutout_folder(tmp_path / "data", 32, n=8)
    model = write_untrained_model(tmp_path / "model", get_preset("m31-real", stamp_size=32))
    doc = json.loads((tmp_path / "model" / "manifest.json").read_text())
    doc[MANIFEST_KEY] = {"digest": "blake2b-8 of the float32 model input [C, H, W]", "n": 0, "rows": ""}
    (tmp_path / "model" / "manifest.json").write_text(json.dumps(doc))
    res = runner.invoke(app, ["classify", "--stamps", str(labels), "--model", str(model), "-o",
                              str(tmp_path / "out.ecsv"), "--device", "cpu", "--no-progress"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["evaluate", str(tmp_path / "out.ecsv"), "-o", str(tmp_path / "ev"), "--bootstrap", "0",
                              "--no-science", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "was trained on" not in res.output and "in-sample" not in res.output, res.output


@pytest.fixture(scope="module")
def trained_field(tmp_path_factory):
    """A toy field, a model that records it as its training field, and a second field it never saw."""
    from conftest import write_toy_held_out
    from starclass.learn.checkpoint import set_training_fields

    root = tmp_path_factory.mktemp("in_field")
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0])
    write_toy_held_out(cfg, root / "train", 40, seed=3)
    write_toy_held_out(cfg, root / "other", 40, seed=4)
    model = write_untrained_model(root / "model", cfg)
    set_training_fields(model, [([root / "train" / "mos"], root / "train" / "held.ecsv")])
    return root, model


def _classify(root, model, field, out):
    return runner.invoke(app, ["classify", str(root / field / "mos"), "-c", str(root / field / "held.ecsv"),
                               "--model", str(model), "-o", str(root / out), "--device", "cpu", "--no-progress"])


def test_classify_evaluate_and_report_of_a_training_field_warn(trained_field):
    root, model = trained_field
    res = _classify(root, model, "train", "train_out.ecsv")
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert re.search(r"warning: model \S+ was trained on this field", said), said
    res = runner.invoke(app, ["info", str(root / "train_out.ecsv")])
    assert "classified on a field its model was trained on (catalogue" in " ".join(res.output.split()), res.output
    res = runner.invoke(app, ["evaluate", str(root / "train_out.ecsv"), "-o", str(root / "ev_train"),
                              "--bootstrap", "0", "--no-science", "--no-progress"])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert re.search(r"warning: .*classifies a field model \S+ was trained on \(its record of training fields",
                     said), said
    # a CSV keeps no meta, but its reference given with -r is the training field's own catalogue
    res = _classify(root, model, "train", "train_out.csv")
    assert res.exit_code == 0, res.output
    assert "keeps no record of it" in " ".join(res.output.split()), res.output
    res = runner.invoke(app, ["evaluate", str(root / "train_out.csv"), "-r", str(root / "train" / "held.ecsv"),
                              "-o", str(root / "ev_csv"), "--bootstrap", "0", "--no-science", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert re.search(r"its reference \S+held.ecsv is the catalogue of a field model",
                     " ".join(res.output.split())), res.output


def test_another_field_is_scored_without_a_word(trained_field):
    root, model = trained_field
    res = _classify(root, model, "other", "other_out.ecsv")
    assert res.exit_code == 0, res.output
    assert "trained on this field" not in res.output
    res = runner.invoke(app, ["evaluate", str(root / "other_out.ecsv"), "-o", str(root / "ev_other"),
                              "--bootstrap", "0", "--no-science", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "was trained on" not in res.output and "in-sample" not in res.output, res.output
