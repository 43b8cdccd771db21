"""``starclass calibrate`` tells held-out rows from the model's own training rows.

Before, a model calibrated on the rows it was trained on got a temperature and conformal sets
fitted where it is most often right, without a word. ``train`` now records a digest of every
training row's input in the manifest; ``calibrate`` refuses rows among them, naming how many.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import write_toy_held_out  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.learn.calibration import calibrate_model
from starclass.learn.checkpoint import read_manifest

# the record's key, spelled out: the CLI test below must run (and fail) on code without the module
MANIFEST_KEY = "training_rows"

runner = CliRunner()


@pytest.fixture(scope="module")
def trained(toy_trust_model):
    return toy_trust_model  # conftest: trained once a session, the model copied for this module


def test_train_records_exactly_its_training_rows(trained):
    from starclass.learn.provenance import recorded_digests, row_digests

    root, _, toy, result = trained
    rec = read_manifest(root / "model")[MANIFEST_KEY]
    assert rec["n"] == result.n_train and result.n_val > 0
    train_rows = np.setdiff1d(np.arange(len(toy.inputs)), result.val_index)
    recorded = recorded_digests(read_manifest(root / "model"))
    assert set(recorded.tolist()) == set(row_digests(toy.inputs, train_rows).tolist())
    assert not set(recorded.tolist()) & set(row_digests(toy.inputs, result.val_index).tolist())


def test_calibrating_on_training_rows_is_refused_naming_how_many(trained, tmp_path):
    root, _, toy, result = trained
    model = tmp_path / "model"
    shutil.copytree(root / "model", model)
    before = (model / "manifest.json").read_text()
    with pytest.raises(StarclassError, match=rf"{result.n_train} of the {len(toy.inputs)} calibration rows"):
        calibrate_model(model, toy.inputs, toy.class_ref, source="toy", overwrite=True, device="cpu")
    assert (model / "manifest.json").read_text() == before  # nothing written
    with pytest.warns(UserWarning, match=rf"{result.n_train} of the {len(toy.inputs)} calibration rows"):
        calibrate_model(model, toy.inputs, toy.class_ref, source="toy", overwrite=True, device="cpu",
                        allow_training_rows=True)
    # the validation rows are held out from the weights: no complaint
    val = result.val_index
    import warnings

    from starclass.errors import CalibrationFitWarning

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # the fitted map's own cautions (too few rows: since 2026-12-06 warned, as calibrate prints them) are no
        # complaint about the rows
        warnings.simplefilter("ignore", CalibrationFitWarning)
        cal = calibrate_model(model, toy.inputs[val], toy.class_ref[val], source="validation", overwrite=True,
                              device="cpu")
    assert cal.n == val.size


def test_a_model_without_the_record_still_calibrates_with_a_warning(trained, tmp_path):
    root, _, toy, _ = trained
    model = tmp_path / "old_model"
    shutil.copytree(root / "model", model)
    doc = json.loads((model / "manifest.json").read_text())
    del doc[MANIFEST_KEY]  # as written before train recorded its rows
    (model / "manifest.json").write_text(json.dumps(doc))
    with pytest.warns(UserWarning, match="no record of its training rows"):
        calibrate_model(model, toy.inputs, toy.class_ref, source="toy", overwrite=True, device="cpu")


def test_cli_calibrate_on_the_training_catalogue_exits_2(trained, tmp_path):
    """End to end: train from mosaics + catalogue, then calibrate on the same catalogue."""
    from starclass.learn.config import save_config

    _, cfg, _, _ = trained
    write_toy_held_out(cfg, tmp_path, 60, seed=11)
    (tmp_path / "held.ecsv").rename(tmp_path / "field.ecsv")  # the training catalogue, not a held-out one
    save_config(cfg, tmp_path / "task.yaml")
    model = tmp_path / "model"
    res = runner.invoke(app, ["train", "--task", str(tmp_path / "task.yaml"), "--mosaics", str(tmp_path / "mos"),
                              "--catalog", str(tmp_path / "field.ecsv"), "-o", str(model), "--no-progress",
                              "--device", "cpu", "--epochs", "1"])
    assert res.exit_code == 0, res.output
    args = ["calibrate", str(model), str(tmp_path / "mos"), "--catalog", str(tmp_path / "field.ecsv"),
            "--device", "cpu", "--overwrite"]
    res = runner.invoke(app, args)
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output  # it calibrated silently
    n_train = read_manifest(model)[MANIFEST_KEY]["n"]
    assert f"{n_train} of the " in res.output and "--allow-training-rows" in res.output
    res = runner.invoke(app, [*args, "--allow-training-rows"])
    assert res.exit_code == 0, res.output
    assert f"warning: {n_train} of the " in res.output
    # the summary line says what the rows were, not only the warning above it
    assert f"{n_train} of them rows the model was trained on (--allow-training-rows)" in res.output


def test_rows_fitted_with_allow_training_rows_are_not_called_held_out(trained, tmp_path):
    """calibrate --allow-training-rows on 20 rows, 17 of them training rows, warned 'the temperature
    was fitted on only 20 held-out rows' and 'On these 20 held-out rows ...': the rows are now
    counted as what they are, in the warnings and in the manifest (read back by load)."""
    from starclass.learn.calibration import ModelCalibration

    root, _, toy, result = trained
    model = tmp_path / "model"
    shutil.copytree(root / "model", model)
    train_rows = np.setdiff1d(np.arange(len(toy.inputs)), result.val_index)
    rows = np.concatenate([train_rows[:20], result.val_index[:5]])
    with pytest.warns(UserWarning, match="20 of the 25 calibration rows"):
        cal = calibrate_model(model, toy.inputs[rows], toy.class_ref[rows], source="toy", overwrite=True,
                              device="cpu", allow_training_rows=True)
    cautions = " ".join(cal.cautions())
    assert "25 rows (20 of them rows the model was trained on)" in cautions
    assert "held-out rows" not in cautions.split("; fit it on")[0]
    stored = ModelCalibration.from_dict(read_manifest(model)["calibration"])
    assert " ".join(stored.cautions()) == cautions
    # held-out rows are still called so
    val = result.val_index[:25]
    held = calibrate_model(model, toy.inputs[val], toy.class_ref[val], source="toy", overwrite=True, device="cpu")
    assert f"{val.size} held-out rows" in " ".join(held.cautions())


def test_calibrate_model_names_mismatched_rows_and_the_python_argument(trained, tmp_path):
    """From Python, class values of another length stopped with numpy's "operands could not be
    broadcast together with shapes (80,) (5,)", and a model with a calibration was refused with
    "pass --overwrite", an option calibrate_model does not have (its argument is overwrite=True)."""
    root, _, toy, result = trained
    model = tmp_path / "model"
    shutil.copytree(root / "model", model)
    before = (model / "manifest.json").read_text()
    val = result.val_index
    with pytest.raises(StarclassError, match=rf"{len(val)} rows of inputs but 5 class values"):
        calibrate_model(model, toy.inputs[val], toy.class_ref[val][:5], source="toy", overwrite=True, device="cpu")
    with pytest.raises(StarclassError, match=r"\(fitted on [^)]*\); give overwrite=True to replace it$"):
        calibrate_model(model, toy.inputs[val], toy.class_ref[val], source="toy", device="cpu")
    assert (model / "manifest.json").read_text() == before  # nothing written


def test_calibrate_model_refuses_to_replace_a_calibration_as_every_writer_does(tmp_path):
    """A model's calibration kept without overwrite=True was refused with a plain StarclassError, where every
    other writer's refusal is an OutputExistsError (a FileExistsError too, the path in ``filename``): a
    notebook's ``except FileExistsError`` missed this one."""
    from conftest import write_untrained_model
    from starclass.datasets.stamps import make_synthetic
    from starclass.errors import OutputExistsError
    from starclass.learn.config import get_preset

    cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    model = write_untrained_model(tmp_path / "model", cfg)
    held = make_synthetic(cfg, 40, seed=3)
    with pytest.warns(UserWarning, match="no record of its training rows"):
        calibrate_model(model, held.inputs, held.class_ref, source="held-out rows", device="cpu")
    before = (model / "manifest.json").read_bytes()
    with pytest.raises(FileExistsError) as info:
        calibrate_model(model, held.inputs, held.class_ref, source="other rows", device="cpu")
    assert isinstance(info.value, OutputExistsError) and isinstance(info.value, StarclassError)
    assert info.value.filename == str(model / "manifest.json")
    assert str(info.value) == (f"model {model} already has a calibration (fitted on held-out rows); give "
                               "overwrite=True to replace it")
    assert (model / "manifest.json").read_bytes() == before  # nothing written
