"""``starclass info MODEL`` on a trained model (2026-12-03).

An astronomer choosing between models ran ``starclass info`` on a model directory and got "no
catalogue could be read in DIR" (exit 2): nothing said which task, classes and networks a model
holds, nor whether they stood on ImageNet weights or were trained from scratch.
"""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.stamps import make_synthetic
from starclass.learn.config import get_preset
from starclass.learn.train import fit

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("single_thread")


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    cfg = get_preset("galaxy-cluster-compact", recipe={"epochs": 1, "batch_size": 8, "val_fraction": 0.25,
                                                      "early_stopping_patience": None, "augment": False})
    toy = make_synthetic(cfg, 24, seed=3)
    out = tmp_path_factory.mktemp("info_model") / "m"
    fit(cfg, toy.inputs, toy.class_ref, outdir=out, seed=0, progress=False, device="cpu")
    return out, cfg


def test_info_on_a_model_directory_describes_the_model(model_dir):
    out, cfg = model_dir
    r = runner.invoke(app, ["info", str(out)])
    assert r.exit_code == 0, r.output
    assert f"task {cfg.name!r}" in r.output
    names = ", ".join(f"{c} {n}" for c, n in zip(cfg.classes, cfg.class_names))
    assert f"classes (output order of prob_<k>): {names}" in r.output
    assert "members: 1 (1 compact)" in r.output
    assert "trained from scratch" in r.output
    assert "calibration: temperature" in r.output
    assert "no catalogue" not in r.output


def test_info_on_a_member_file_says_where_the_calibration_is(model_dir):
    out, _ = model_dir
    r = runner.invoke(app, ["info", str(out / "member_01.pt")])
    assert r.exit_code == 0, r.output
    assert "member_01.pt: compact" in r.output and "calibration: none" in r.output


def test_train_help_lists_every_preset_with_what_it_is_for():
    # --help named a few presets ("e.g. legus4, phangs4, ...") and said nothing of what each trains
    from starclass.learn.config import get_preset, list_presets

    r = runner.invoke(app, ["train", "--help"], env={"COLUMNS": "400"})
    assert r.exit_code == 0
    text = " ".join(r.output.split())
    for name in list_presets():
        desc = " ".join(get_preset(name).description.split())
        assert f"{name}: {desc}" in text, name
    assert "baselines" in text and "starclass.models.baselines" in text
    r = runner.invoke(app, ["classify", "--help"], env={"COLUMNS": "400"})
    assert "starclass info MODEL" in " ".join(r.output.split())


def test_a_baseline_file_given_as_a_model_says_what_it_is(tmp_path):
    # classify/explain said "damaged, or not written by starclass" (after torch's "please file an
    # issue" warning) and info "cannot read ... as ascii: UnicodeDecodeError"
    from starclass.models.baselines import BaggedTreesPixels

    X, y = np.random.default_rng(0).normal(size=(12, 1, 16, 16)), [1, 2] * 6
    path = BaggedTreesPixels(n_estimators=2).fit(X, y).save(tmp_path / "trees.joblib")
    for args in (["classify", "--model", str(path), "--stamps", str(tmp_path), "-o", str(tmp_path / "o.csv")],
                 ["info", str(path)]):
        r = runner.invoke(app, args, env={"COLUMNS": "400"})
        assert r.exit_code == 2, r.output
        assert "scikit-learn baseline" in r.output and "load_baseline" in r.output, r.output
        assert "file an issue" not in r.output and "damaged" not in r.output
    assert not (tmp_path / "o.csv").exists()
