"""A task file's numbers are read as the type their field declares, not kept as YAML's strings.

PyYAML reads ``1e-4`` (a number with no dot) as the string ``'1e-4'``. ``recipe: {lr: 1e-4}`` was
checked (it converts to a positive number) but kept: ``TrainRecipe.lr == '1e-4'``, a str, and the
trained model's manifest and checkpoints stored ``"lr": "1e-4"``. So were the other numbers of the
recipe (``weight_decay: 1e-5``, ``noise``, ``lr_gamma``, ...), a whole ``epochs: 2.0`` and
``seeds: 2.0``, ``nesterov: 1`` and the task's ``pixel_scale: 4e-2``. Each is now a float, an int or
a bool as its field says; one that is no number is still refused naming the file and the field.
A checkpoint written before, with the string stored, still resumes: its settings are compared as
numbers.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.learn.checkpoint import member_digest
from starclass.learn.config import TrainRecipe, get_preset, load_config
from starclass.learn.train import fit, settings_digest

pytestmark = pytest.mark.usefixtures("single_thread")

#: every number of the recipe written as PyYAML reads a string (an exponent and no dot), or a whole float
TASK = """name: t
classes: [1, 2, 3, 4]
pixel_scale: 4e-2
recipe: {lr: 1e-4, weight_decay: 1e-5, momentum: 5e-1, rescale: 1e0, rescale_prob: 5e-1, val_fraction: 2e-1,
         dropout: 1e-1, lr_factor: 5e-1, lr_min: 1e-7, lr_gamma: 5e-1, lr_min_factor: 1e-2, noise: 1e-3,
         label_smoothing: 1e-1, mixup: 2e-1, rho: 9e-1, balance_cap: 4e0, epochs: 2.0, batch_size: 16.0,
         lr_step: 3.0, lr_patience: 2.0, warmup_epochs: 1.0, shift: 1.0, early_stopping_patience: 4.0,
         ensemble_size: 1.0, seeds: 2.0, nesterov: 1, augment: 0}
"""


def _declared(name: str) -> type:
    """The Python type a recipe field holds once read: float, int or bool."""
    kind = {f.name: f.type for f in dataclasses.fields(TrainRecipe)}[name]
    return {"float": float, "int": int, "bool": bool, "int | None": int, "int | list[int]": int}[kind]


def test_every_number_of_a_task_file_is_of_its_declared_type(tmp_path):
    task = tmp_path / "t.yaml"
    task.write_text(TASK)
    cfg = load_config(task)
    given = TASK.split("recipe: {", 1)[1].rsplit("}", 1)[0]
    names = [part.split(":")[0].strip() for part in given.replace("\n", " ").split(",")]
    assert len(names) == 27  # the parse found every entry written above
    for name in names:
        value = getattr(cfg.recipe, name)
        assert type(value) is _declared(name), (name, value)
    assert cfg.recipe.lr == pytest.approx(1e-4) and cfg.recipe.weight_decay == pytest.approx(1e-5)
    assert (cfg.recipe.epochs, cfg.recipe.seeds, cfg.recipe.nesterov, cfg.recipe.augment) == (2, 2, True, False)
    assert type(cfg.pixel_scale) is float and cfg.pixel_scale == pytest.approx(0.04)
    # what a model stores: the dict holds numbers, and a YAML/JSON round trip keeps them numbers
    stored = json.loads(json.dumps(cfg.to_dict()))
    assert isinstance(stored["recipe"]["lr"], float) and isinstance(stored["pixel_scale"], float)


@pytest.mark.parametrize(("entry", "said"), [("lr: fast", "recipe.lr='fast' must be a positive number"),
                                              ("noise: lots", "recipe.noise='lots' must be a number >= 0"),
                                              ("lr_gamma: x", "recipe.lr_gamma='x' must be a number in (0, 1]"),
                                              ("warmup_epochs: x", "recipe.warmup_epochs='x' must be a whole number")])
def test_a_value_that_is_no_number_is_refused_naming_the_file_and_the_field(tmp_path, entry, said):
    task = tmp_path / "t.yaml"
    task.write_text(f"name: t\nclasses: [1, 2, 3, 4]\nrecipe: {{{entry}, epochs: 2}}\n")
    with pytest.raises(StarclassError) as info:
        load_config(task)
    assert str(task) in str(info.value) and said in str(info.value), str(info.value)


def test_an_ensemble_member_count_that_is_no_number_is_named(tmp_path):
    task = tmp_path / "t.yaml"
    task.write_text("name: t\nclasses: [1, 2]\narchitecture: [{architecture: starcnet, n: two}]\n")
    with pytest.raises(StarclassError) as info:
        load_config(task)
    assert "architecture[0].n='two' is not a whole number" in str(info.value)


def _folder(root: Path) -> Path:
    rng = np.random.default_rng(0)
    for k in range(8):
        label = ("cluster", "galaxy")[k % 2]
        (root / label).mkdir(parents=True, exist_ok=True)
        Image.fromarray((rng.random((16, 16)) * 255).astype(np.uint8)).save(root / label / f"o{k}.png")
    return root


def test_train_stores_the_recipe_numbers_as_numbers(tmp_path):
    task = tmp_path / "t.yaml"
    task.write_text("extends: m31-real\nrecipe: {lr: 1e-4, weight_decay: 1e-5, epochs: 1}\n")
    out = tmp_path / "m"
    res = CliRunner().invoke(app, ["train", "--task", str(task), "--stamps", str(_folder(tmp_path / "cut")),
                                   "-o", str(out), "--stamp-size", "16", "--no-progress"])
    assert res.exit_code == 0, res.output
    recipe = json.loads((out / "manifest.json").read_text())["config"]["recipe"]
    assert isinstance(recipe["lr"], float) and recipe["lr"] == pytest.approx(1e-4), recipe["lr"]
    assert isinstance(recipe["weight_decay"], float), recipe["weight_decay"]
    member = torch.load(out / "member_01.pt", weights_only=False)
    assert isinstance(member["config"]["recipe"]["lr"], float), member["config"]["recipe"]["lr"]


def test_a_model_that_stored_the_string_is_still_the_same_run(tmp_path, monkeypatch):
    """The guard: a member trained before, its recipe's lr stored as the string '1e-4' (and its settings
    digest of that string), is kept by the same train run now, not refused as "other settings"."""
    cfg = get_preset("m31-real", stamp_size=16, recipe={"lr": "1e-4", "epochs": 1, "batch_size": 16,
                                                         "val_fraction": 0.25, "early_stopping_patience": None})
    rng = np.random.default_rng(0)
    x = rng.normal(size=(18, cfg.n_channels, 16, 16)).astype(np.float32)
    y = np.resize(np.asarray(cfg.classes), 18)
    fit(cfg, x, y, outdir=tmp_path, seed=0, progress=False, device="cpu")
    path = tmp_path / "member_01.pt"
    ckpt = torch.load(path, weights_only=False)
    ckpt["config"]["recipe"]["lr"] = "1e-4"
    with monkeypatch.context() as older:
        # the digest as the older starclass made it: of the recipe as stored, the string unread
        older.setattr(TrainRecipe, "from_dict", classmethod(lambda cls, d: (_ for _ in ()).throw(
            StarclassError("as stored"))))
        ckpt["settings_digest"] = settings_digest(ckpt["config"])
    assert ckpt["settings_digest"] != settings_digest(cfg.copy(recipe={"seeds": 0}))
    ckpt["digest"] = member_digest(ckpt)
    torch.save(ckpt, path)
    again = fit(cfg, x, y, outdir=tmp_path, seed=0, progress=False, device="cpu")
    assert again.n_kept == 1, again.notes
