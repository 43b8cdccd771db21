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

from finetune_setup import calibrated_model, fine_tune  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.errors import StarclassError


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    """m0 calibrated with 'calibrate --stamps', then its calibration's source edited by hand (digest broken)."""
    made = calibrated_model(tmp_path_factory.mktemp("cal_digest"), 40, new_rows=False)
    shutil.copytree(made.model, made.root / "edited")
    doc = json.loads((made.root / "edited" / "manifest.json").read_text())
    doc["calibration"]["source"] = "hand-edited"
    (made.root / "edited" / "manifest.json").write_text(json.dumps(doc))
    return made


def test_fit_refuses_a_start_whose_calibration_digest_does_not_match(edited, tmp_path):
    from starclass.learn.train import fit

    tmp = edited.root
    with pytest.raises(StarclassError) as err:
        fit(edited.cfg.copy(recipe={"epochs": 1}), edited.x, edited.y, outdir=tmp_path / "m1",
            init_from=tmp / "edited", progress=False, device="cpu")
    said = str(err.value)
    assert str(tmp / "edited") in said and "manifest.json" in said, said
    assert "does not match its digest (edited or damaged)" in said and "starclass calibrate" in said, said
    assert not (tmp_path / "m1").exists()


def test_fit_from_a_member_file_checks_its_folders_calibration(edited, tmp_path):
    from starclass.learn.train import fit

    with pytest.raises(StarclassError, match="does not match its digest"):
        fit(edited.cfg.copy(recipe={"epochs": 1}), edited.x, edited.y, outdir=tmp_path / "m1",
            init_from=edited.root / "edited" / "member_01.pt", progress=False, device="cpu")


def test_the_cli_refuses_it_with_the_task_named_too(edited, tmp_path):
    res = CliRunner().invoke(app, ["train", "--stamps", str(edited.train), "--task", "m31-real", "--resume-from",
                                   str(edited.root / "edited"), "-o", str(tmp_path / "m1"), "--no-progress",
                                   "--epochs", "1", "--device", "cpu"])
    assert res.exit_code == 2, res.output
    assert "does not match its digest (edited or damaged)" in res.output and "manifest.json" in res.output
    assert "Traceback" not in res.output and not (tmp_path / "m1").exists()


def test_an_intact_calibration_is_still_taken(edited, tmp_path):
    from starclass.learn.checkpoint import read_manifest

    fine_tune(edited, tmp_path / "m1", rows=slice(30))
    doc = read_manifest(tmp_path / "m1")
    assert "calibration" in doc or "no_calibration" in doc
