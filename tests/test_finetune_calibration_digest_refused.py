"""A starting model whose calibration entry no longer matches its digest is refused by Python and the CLI alike.

``train --resume-from M`` refused such a model (exit 2) only where it loaded M to read its task (the
default task); ``learn.train.fit(init_from=M)``, and the CLI with ``--task`` named, took it and dropped the
calibration. The library now refuses it before anything is written, naming the manifest, and the CLI says
so with exit 2.
"""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.learn.config import get_preset
from test_finetune_stamps_list_changed import _inputs, _noise_folder  # tests/ is on sys.path under pytest


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    """m0 calibrated with 'calibrate --stamps', then its calibration's source edited by hand (digest broken)."""
    import torch

    from starclass.learn.train import fit

    torch.set_num_threads(1)
    tmp = tmp_path_factory.mktemp("cal_digest")
    cfg = get_preset("m31-real", stamp_size=16, scales=[1.0],
                     recipe={"epochs": 1, "val_fraction": 0.3, "ensemble_size": 1, "batch_size": 16})
    train = _noise_folder((tmp / "train").resolve(), 40, seed=1)
    held = _noise_folder((tmp / "held").resolve(), 40, seed=2)
    x0, y0 = _inputs(train, cfg)
    fit(cfg, x0, y0, outdir=tmp / "m0", progress=False, device="cpu")
    res = CliRunner().invoke(app, ["calibrate", str(tmp / "m0"), "--stamps", str(held), "--overwrite",
                                   "--device", "cpu"])
    assert res.exit_code == 0, res.output
    shutil.copytree(tmp / "m0", tmp / "edited")
    doc = json.loads((tmp / "edited" / "manifest.json").read_text())
    doc["calibration"]["source"] = "hand-edited"
    (tmp / "edited" / "manifest.json").write_text(json.dumps(doc))
    return tmp, cfg, train, x0, y0


def test_fit_refuses_a_start_whose_calibration_digest_does_not_match(edited, tmp_path):
    from starclass.learn.train import fit

    tmp, cfg, _, x, y = edited
    with pytest.raises(StarclassError) as err:
        fit(cfg.copy(recipe={"epochs": 1}), x, y, outdir=tmp_path / "m1", init_from=tmp / "edited", progress=False,
            device="cpu")
    said = str(err.value)
    assert str(tmp / "edited") in said and "manifest.json" in said, said
    assert "does not match its digest (edited or damaged)" in said and "starclass calibrate" in said, said
    assert not (tmp_path / "m1").exists()


def test_fit_from_a_member_file_checks_its_folders_calibration(edited, tmp_path):
    from starclass.learn.train import fit

    tmp, cfg, _, x, y = edited
    with pytest.raises(StarclassError, match="does not match its digest"):
        fit(cfg.copy(recipe={"epochs": 1}), x, y, outdir=tmp_path / "m1", init_from=tmp / "edited" / "member_01.pt",
            progress=False, device="cpu")


def test_the_cli_refuses_it_with_the_task_named_too(edited, tmp_path):
    tmp, cfg, train, _, _ = edited
    res = CliRunner().invoke(app, ["train", "--stamps", str(train), "--task", "m31-real", "--resume-from",
                                   str(tmp / "edited"), "-o", str(tmp_path / "m1"), "--no-progress", "--epochs", "1",
                                   "--device", "cpu"])
    assert res.exit_code == 2, res.output
    assert "does not match its digest (edited or damaged)" in res.output and "manifest.json" in res.output
    assert "Traceback" not in res.output and not (tmp_path / "m1").exists()


def test_an_intact_calibration_is_still_taken(edited, tmp_path):
    from starclass.learn.checkpoint import read_manifest
    from starclass.learn.train import fit

    tmp, cfg, _, x, y = edited
    with pytest.warns(UserWarning, match="validation rows are rows the starting model"):
        fit(cfg.copy(recipe={"epochs": 1}), x[:30], y[:30], outdir=tmp_path / "m1", init_from=tmp / "m0",
            progress=False, device="cpu")
    doc = read_manifest(tmp_path / "m1")
    assert "calibration" in doc or "no_calibration" in doc
