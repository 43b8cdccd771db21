"""A fine-tune loads its starting model once to check its calibration, not once more per caller.

``train --resume-from M`` (the default task) loaded M to read its task, then ``fit`` loaded it again in
``check_starting_calibration``; ``train --cv K --resume-from M`` loaded it once per fold. The check now
takes the model already loaded (``fit(starting_model=...)``), and ``cross_validate`` checks once for its folds.
"""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finetune_setup import calibrated_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.errors import StarclassError


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory):
    """m0 trained on 40 cutouts and calibrated with 'calibrate m0 --stamps' on 40 others."""
    return calibrated_model(tmp_path_factory.mktemp("loaded_once"), 40)


@pytest.fixture
def loads(monkeypatch):
    """Every load_model call, by the folder it loaded (a member file counts as its folder)."""
    import starclass.learn.checkpoint as checkpoint

    seen: list[Path] = []
    real = checkpoint.load_model

    def counting(model_path, *args, **kwargs):
        if isinstance(model_path, (str, Path)):
            p = Path(model_path).absolute()
            seen.append(p if p.is_dir() else p.parent)
        return real(model_path, *args, **kwargs)

    monkeypatch.setattr(checkpoint, "load_model", counting)
    return seen


def test_train_resume_from_loads_the_starting_model_once(calibrated, loads, tmp_path):
    res = CliRunner().invoke(app, ["train", "--stamps", str(calibrated.train), "--resume-from",
                                   str(calibrated.model), "-o", str(tmp_path / "m1"), "--no-progress",
                                   "--epochs", "1", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    assert loads.count(calibrated.model.absolute()) == 1, loads


def test_cross_validation_checks_the_starting_model_once_for_all_folds(calibrated, loads, tmp_path):
    from starclass.learn.crossval import cross_validate

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the folds hold out rows the starting model trained on: said, not tested
        cv = cross_validate(calibrated.cfg.copy(recipe={"epochs": 1}), calibrated.x, calibrated.y, scheme=2,
                            outdir=tmp_path / "cv", progress=False, device="cpu", init_from=calibrated.model)
    assert len(cv.folds) == 2
    assert loads.count(calibrated.model.absolute()) == 1, loads


def test_fit_given_the_loaded_model_reads_no_member_again_and_still_refuses_an_edited_entry(calibrated, loads,
                                                                                              tmp_path):
    from starclass.learn.checkpoint import load_model
    from starclass.learn.train import check_starting_calibration

    edited = tmp_path / "edited"
    shutil.copytree(calibrated.model, edited)
    loaded = load_model(edited)
    loads.clear()
    assert check_starting_calibration(edited, loaded) is loaded and loads == []
    doc = json.loads((edited / "manifest.json").read_text())
    doc["calibration"]["source"] = "hand-edited"
    (edited / "manifest.json").write_text(json.dumps(doc))
    with pytest.raises(StarclassError, match="starting model: .*does not match its digest.*manifest.json"):
        check_starting_calibration(edited / "member_01.pt", loaded)
    assert loads == []
    with pytest.raises(StarclassError, match="the loaded model given with it was loaded from"):
        check_starting_calibration(calibrated.model, loaded)  # another folder's model


def test_fit_takes_the_starting_model_as_loaded(calibrated, loads, tmp_path):
    from starclass.learn.checkpoint import load_model
    from starclass.learn.train import fit

    loaded = load_model(calibrated.model)
    loads.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit(calibrated.cfg.copy(recipe={"epochs": 1}), calibrated.x, calibrated.y, outdir=tmp_path / "m2",
            init_from=calibrated.model, starting_model=loaded, progress=False, device="cpu")
    assert calibrated.model.absolute() not in loads, loads
