"""An interrupted (or finished) run of an older preset resumes when only entries that change no weight differ.

m31-real's ``pixel_scale`` went 0.187 -> 0.374 (2026-12-05) and cool-core gained ``mixed_sizes: true``
the same day (absent from the models trained before). Rerunning the same ``train`` command into the
model's folder, as a run is continued, was refused as "other settings (pixel_scale 0.187 there, 0.374
now)" or "(mixed_sizes None there, True now)", with only "train into another directory, or start
afresh with --overwrite" as ways on: the training was lost over an entry no weight depends on (the
arcsec of a stamp pixel, read by explain; the permission to read a folder of mixed sizes, whose
inputs the data digest covers). Now such a run resumes, says what differed, and the model takes the
values now; a setting that does change the weights is still refused, naming the task file that
continues the run.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from typer.testing import CliRunner

from conftest import killed_after_epoch  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.learn.checkpoint import calibration_digest, load_checkpoint, load_model, member_digest
from starclass.learn.config import get_preset
from starclass.learn.train import fit, settings_digest

pytestmark = pytest.mark.usefixtures("single_thread")
RECIPE = {"epochs": 1, "batch_size": 16, "val_fraction": 0.25, "early_stopping_patience": None, "split": "random"}


def _as_older(model: Path, key: str, value=None, files=("member_01.pt",)) -> None:
    """Give the stored task ``key: value`` (None: no such entry), as a model of the older preset has it.

    The settings digest is the one that task gives, and the member and calibration digests are
    recomputed, so the files are what the older starclass wrote, not an edited (damaged) model.
    """
    digests = []
    for name in files:
        path = model / name
        ckpt = torch.load(path, weights_only=False)
        if value is None:
            ckpt["config"].pop(key)
        else:
            ckpt["config"][key] = value
            if key in ckpt:
                ckpt[key] = value
        ckpt["settings_digest"] = settings_digest(ckpt["config"])
        ckpt["digest"] = member_digest(ckpt)
        digests.append(ckpt["digest"])
        torch.save(ckpt, path)
    manifest = model / "manifest.json"
    if manifest.exists():
        doc = json.loads(manifest.read_text())
        if value is None:
            doc["config"].pop(key)
        else:
            doc["config"][key] = value
        if doc.get("calibration"):
            doc["calibration"]["member_digests"] = digests
            doc["calibration"]["digest"] = calibration_digest(doc["calibration"])
        manifest.write_text(json.dumps(doc, indent=2))


def _data(cfg, n=18, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n, cfg.n_channels, cfg.stamp_size, cfg.stamp_size)).astype(np.float32),
            np.resize(np.asarray(cfg.classes), n))


@pytest.mark.parametrize(("preset", "key", "old"), [("m31-real", "pixel_scale", 0.187),
                                                     ("m31-real", "pixel_scale", None),
                                                     ("cool-core-compact", "mixed_sizes", None)])
def test_a_finished_model_of_the_older_preset_is_kept(tmp_path, preset, key, old):
    cfg = get_preset(preset, stamp_size=16, recipe=RECIPE)
    x, y = _data(cfg)
    fit(cfg, x, y, outdir=tmp_path / "m", seed=0, progress=False, device="cpu")
    _as_older(tmp_path / "m", key, old)
    again = fit(cfg, x, y, outdir=tmp_path / "m", seed=0, progress=False, device="cpu")
    assert again.n_kept == 1
    note = next(n for n in again.notes if "already trained" in n)
    assert f"{key} " in note and "no weight, so the run resumes" in note, note
    # the model (its member's config, which load_model reads) takes the value now, and its digests hold
    model = load_model(tmp_path / "m")
    assert getattr(model.config, key) == getattr(cfg, key)
    assert load_checkpoint(tmp_path / "m" / "member_01.pt")["settings_digest"] == settings_digest(
        cfg.copy(recipe={"seeds": 0}))


def test_an_interrupted_run_of_the_older_preset_resumes(tmp_path, monkeypatch):
    cfg = get_preset("m31-real", stamp_size=16, recipe=dict(RECIPE, epochs=2))
    x, y = _data(cfg)
    with killed_after_epoch(monkeypatch):
        fit(cfg, x, y, outdir=tmp_path, seed=0, progress=False, device="cpu")
    _as_older(tmp_path, "pixel_scale", 0.187, files=("member_01.last.pt",))
    resumed = fit(cfg, x, y, outdir=tmp_path, seed=0, progress=False, device="cpu")
    assert any("resumed after epoch 1" in n for n in resumed.notes)
    assert any("pixel_scale 0.187 there, 0.374 now" in n for n in resumed.notes), resumed.notes
    assert load_model(tmp_path).config.pixel_scale == 0.374


def test_a_setting_that_changes_the_weights_is_refused_naming_how_to_continue(tmp_path):
    cfg = get_preset("m31-real", stamp_size=16, recipe=RECIPE)
    x, y = _data(cfg)
    fit(cfg, x, y, outdir=tmp_path / "m", seed=0, progress=False, device="cpu")
    _as_older(tmp_path / "m", "normalisation", "asinh")
    with pytest.raises(StarclassError) as err:
        fit(cfg, x, y, outdir=tmp_path / "m", seed=0, progress=False, device="cpu")
    msg = str(err.value)
    assert "other settings (normalisation 'asinh' there, 'zscore' now)" in msg
    assert "a task file with 'extends: m31-real' and normalisation: asinh" in msg
    assert "--overwrite" in msg


def test_train_reruns_into_an_older_m31_real_model(tmp_path):
    """The user's path: the same train command into the model folder after the upgrade."""
    rng = np.random.default_rng(0)
    folder = tmp_path / "cut"
    yy, xx = np.mgrid[:64, :64] - 31.5
    for k in range(12):
        label = ("cluster", "galaxy")[k % 2]
        blob = np.exp(-(xx**2 + yy**2) / 18.0) if label == "cluster" else np.exp(-((xx / 9) ** 2 + (yy / 4) ** 2) / 2)
        (folder / label).mkdir(parents=True, exist_ok=True)
        img = np.clip(0.1 + 0.8 * blob + rng.normal(0, 0.03, blob.shape), 0, 1)
        Image.fromarray((img * 255).astype(np.uint8)).save(folder / label / f"o{k}.png")
    cmd = ["train", "--task", "m31-real", "--stamps", str(folder), "-o", str(tmp_path / "m"), "--epochs", "1",
           "--no-progress"]
    runner = CliRunner()
    assert runner.invoke(app, cmd).exit_code == 0
    _as_older(tmp_path / "m", "pixel_scale", 0.187)
    res = runner.invoke(app, cmd)
    out = res.output.replace("\n", " ")
    assert res.exit_code == 0, out
    assert "member 1 already trained (pixel_scale 0.187 there, 0.374 now: this changes no weight" in out
    assert load_model(tmp_path / "m").config.pixel_scale == 0.374


def test_a_calibration_fitted_with_calibrate_is_kept_over_the_rewritten_member(tmp_path):
    """The kept member is given the values now (a new member digest); the calibration a user fitted
    with 'starclass calibrate' for its weights, the same weights, is kept, not replaced by the
    validation split's."""
    from starclass.learn.calibration import calibrate_model

    cfg = get_preset("m31-real", stamp_size=16, recipe=RECIPE)
    x, y = _data(cfg)
    fit(cfg, x, y, outdir=tmp_path / "m", seed=0, progress=False, device="cpu")
    held_x, held_y = _data(cfg, n=24, seed=5)
    calibrate_model(tmp_path / "m", held_x, held_y, source="held.csv", overwrite=True)
    _as_older(tmp_path / "m", "pixel_scale", 0.187)
    again = fit(cfg, x, y, outdir=tmp_path / "m", seed=0, progress=False, device="cpu")
    assert any("calibration kept" in n for n in again.notes), again.notes
    model = load_model(tmp_path / "m")  # the calibration's digests are checked on loading
    assert model.calibration is not None and model.calibration["source"] == "held.csv"
