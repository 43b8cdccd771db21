"""Models mean what they say: a run resumes only on its own data and settings, and a member
is checked whole (weights, classes, bands, architecture) against its digest and manifest."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import torch

from conftest import killed_after_epoch
from starclass.datasets.stamps import make_synthetic
from starclass.errors import StarclassError
from starclass.learn.checkpoint import load_checkpoint, load_model, member_digest, read_manifest
from starclass.learn.config import get_preset
from starclass.learn.train import data_digest, fit, settings_digest


def _tiny(**recipe):
    r = {"epochs": 1, "batch_size": 32, "val_fraction": 0.2, "early_stopping_patience": None}
    r.update(recipe)
    return get_preset("legus4-compact", stamp_size=16, scales=[1.0, 2.0], recipe=r)


@pytest.fixture(scope="module")
def toy():
    cfg = _tiny()
    return cfg, make_synthetic(cfg, 64, seed=3)


@pytest.fixture(scope="module")
def trained(toy, tmp_path_factory):
    """A finished one-member model (seed 1), copied by the tests that change it."""
    cfg, data = toy
    out = tmp_path_factory.mktemp("trained") / "model"
    fit(cfg, data.inputs, data.class_ref, outdir=out, seed=1, progress=False, device="cpu")
    return out


def _copy(src, tmp_path):
    dst = tmp_path / "model"
    shutil.copytree(src, dst)
    return dst


def _fit(cfg, data, out, labels=None, **kw):
    labels = data.class_ref if labels is None else labels
    return fit(cfg, data.inputs, labels, outdir=out, seed=1, progress=False, device="cpu", **kw)


def test_finished_model_refuses_other_settings_and_labels_and_keeps_its_files(toy, trained, tmp_path):
    cfg, data = toy
    model = _copy(trained, tmp_path)
    before = {p.name: p.read_bytes() for p in model.iterdir()}
    with pytest.raises(StarclassError, match=r"other settings \(recipe\.lr 0\.001 there, 0\.01 now\)"):
        _fit(cfg.copy(recipe={"lr": 0.01}), data, model)
    with pytest.raises(StarclassError, match=r"recipe\.batch_size 32 there, 8 now"):
        _fit(cfg.copy(recipe={"batch_size": 8}), data, model)
    relabelled = np.where(data.class_ref == 1, 2, np.where(data.class_ref == 2, 1, data.class_ref))
    with pytest.raises(StarclassError, match="other training data") as err:
        _fit(cfg, data, model, labels=relabelled)
    # the finished model is named, with how to train it further (--resume-from) or afresh
    assert "--no-resume" in str(err.value) and f"{model} is a finished model" in str(err.value)
    assert f"--resume-from {model}" in str(err.value)
    # nothing was rewritten: the manifest still describes the weights it lists
    assert {p.name: p.read_bytes() for p in model.iterdir()} == before
    # the same data and settings keep the finished member
    again = _fit(cfg, data, model)
    assert again.n_kept == 1 and any("already trained" in n for n in again.notes)
    man = read_manifest(model)
    assert man["training"]["settings_digest"] == settings_digest(cfg.copy(recipe={"seeds": 1}))
    assert man["training"]["data_digest"] == data_digest(data.inputs, data.class_ref)
    # resume=False (--no-resume) trains afresh with the new settings
    fresh = _fit(cfg.copy(recipe={"lr": 0.01}), data, model, resume=False)
    assert fresh.n_kept == 0
    assert read_manifest(model)["config"]["recipe"]["lr"] == 0.01
    assert load_checkpoint(model / "member_01.pt")["config"]["recipe"]["lr"] == 0.01


def test_interrupted_run_resumes_only_with_its_own_settings(toy, tmp_path, monkeypatch):
    cfg, data = toy
    with killed_after_epoch(monkeypatch):
        _fit(cfg, data, tmp_path, epochs=2)
    last = tmp_path / "member_01.last.pt"
    state = last.read_bytes()
    with pytest.raises(StarclassError, match=r"member_01\.last\.pt was trained with other settings.*recipe\.lr"):
        _fit(cfg.copy(recipe={"lr": 0.05}), data, tmp_path, epochs=2)
    inputs = data.inputs.copy()
    inputs[0] += 1.0
    with pytest.raises(StarclassError, match="other training data"):
        fit(cfg, inputs, data.class_ref, outdir=tmp_path, seed=1, epochs=2, progress=False, device="cpu")
    assert last.read_bytes() == state
    resumed = _fit(cfg, data, tmp_path, epochs=2)
    assert any("resumed after epoch 1" in n for n in resumed.notes)


def test_a_growing_ensemble_keeps_its_first_member(toy, trained, tmp_path):
    cfg, data = toy
    model = _copy(trained, tmp_path)
    member = (model / "member_01.pt").read_bytes()
    grown = _fit(cfg, data, model, ensemble=2)
    assert grown.n_kept == 1 and len(grown.members) == 2
    assert (model / "member_01.pt").read_bytes() == member


def test_checkpoint_without_run_digests_is_not_kept(toy, trained, tmp_path):
    cfg, data = toy
    model = _copy(trained, tmp_path)
    ckpt = torch.load(model / "member_01.pt", weights_only=True)
    del ckpt["data_digest"], ckpt["settings_digest"]
    ckpt["digest"] = member_digest(ckpt)
    torch.save(ckpt, model / "member_01.pt")
    with pytest.raises(StarclassError, match="older starclass"):
        _fit(cfg, data, model)


def _edit_member(path, **changes):
    """Rewrite a member file with ``changes`` applied, its stored digest left as it was."""
    ckpt = torch.load(path, weights_only=True)
    for key, value in changes.items():
        ckpt[key] = value
        ckpt["config"][key] = value
    torch.save(ckpt, path)
    return ckpt


def test_member_with_reversed_classes_or_bands_is_refused(trained, tmp_path):
    model = _copy(trained, tmp_path)
    ckpt = torch.load(model / "member_01.pt", weights_only=True)
    _edit_member(model / "member_01.pt", classes=ckpt["classes"][::-1])
    with pytest.raises(StarclassError, match="member_01.pt is damaged or was edited"):
        load_model(model)
    shutil.copy(trained / "member_01.pt", model / "member_01.pt")
    _edit_member(model / "member_01.pt", bands=ckpt["bands"][::-1])
    with pytest.raises(StarclassError, match="member_01.pt is damaged or was edited"):
        load_model(model)
    # with its digest made to fit, the member still disagrees with its manifest
    edited = _edit_member(model / "member_01.pt", bands=ckpt["bands"][::-1])
    edited["digest"] = member_digest(edited)
    torch.save(edited, model / "member_01.pt")
    with pytest.raises(StarclassError, match=r"the manifest says bands \['f275w'.*member_01.pt has \['f814w'"):
        load_model(model)
    # and top-level classes that differ from the member's own config are refused
    shutil.copy(trained / "member_01.pt", model / "member_01.pt")
    odd = torch.load(model / "member_01.pt", weights_only=True)
    odd["classes"] = odd["classes"][::-1]
    odd["digest"] = member_digest(odd)
    torch.save(odd, model / "member_01.pt")
    with pytest.raises(StarclassError, match="differ from its config's classes"):
        load_model(model)


def test_manifest_architecture_must_match_the_member(trained, tmp_path):
    model = _copy(trained, tmp_path)
    doc = json.loads((model / "manifest.json").read_text())
    doc["members"][0]["architecture"] = "resnet50"
    (model / "manifest.json").write_text(json.dumps(doc))
    with pytest.raises(StarclassError, match="manifest says member member_01.pt is a 'resnet50'"):
        load_model(model)


@pytest.mark.parametrize("entry", ["ABSOLUTE", "../elsewhere/member_01.pt", 12, ""])
def test_member_paths_stay_inside_the_model_directory(trained, tmp_path, entry):
    model = _copy(trained, tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(model / "member_01.pt", elsewhere / "member_01.pt")
    if entry == "ABSOLUTE":
        entry = str(elsewhere / "member_01.pt")
    doc = json.loads((model / "manifest.json").read_text())
    doc["members"][0]["file"] = entry
    (model / "manifest.json").write_text(json.dumps(doc))
    expected = "outside the model directory" if isinstance(entry, str) and entry else f"'file': {entry!r}"
    with pytest.raises(StarclassError, match=expected):
        load_model(model)


def test_member_in_a_subfolder_of_the_model_is_allowed(trained, tmp_path):
    model = _copy(trained, tmp_path)
    (model / "sub").mkdir()
    shutil.move(model / "member_01.pt", model / "sub" / "member_01.pt")
    doc = json.loads((model / "manifest.json").read_text())
    doc["members"][0]["file"] = "sub/member_01.pt"
    (model / "manifest.json").write_text(json.dumps(doc))
    assert load_model(model).paths == [model / "sub" / "member_01.pt"]
