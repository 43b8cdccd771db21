"""A task file's recipe value that is no number, or out of range, is refused where the file is read.

``recipe: {weight_decay: abc}`` (or ``momentum``, ``rescale``, ``dropout`` with a word) was taken as
it was: ``train --task FILE`` read the whole cutout folder, then stopped with ``ValueError: could not
convert string to float: 'abc'`` and a traceback from ``_make_optimizer``; ``epochs: ten`` and
``batch_size: abc`` were ``int()``'s ValueError from ``load_config``; ``rescale_prob: 5``,
``weight_decay: -1`` (torch's own ValueError later), ``nesterov: maybe`` and ``epochs: 2.5`` (cut to
2) were taken without a word. Each is now a one-line error naming the file and ``recipe.<field>``,
exit 2, nothing written; and the hint for a recipe field written at the top level spells a number
so YAML reads it as one (it said ``write recipe: {lr: "1e-4"}``, a string).
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.learn.config import TrainRecipe, load_config

pytestmark = pytest.mark.usefixtures("single_thread")

BAD = {
    "weight_decay: abc": "recipe.weight_decay='abc' must be a number >= 0",
    "weight_decay: -1": "recipe.weight_decay=-1 must be a number >= 0",
    "momentum: abc": "recipe.momentum='abc' must be a number in [0, 1)",
    "rescale: abc": "recipe.rescale='abc' must be a number > 0",
    "rescale_prob: 5": "recipe.rescale_prob=5 must be a number in [0, 1]",
    "dropout: abc": "recipe.dropout='abc' must be a number in [0, 1)",
    "epochs: ten": "recipe.epochs='ten' must be a whole number >= 1",
    "epochs: 2.5": "recipe.epochs=2.5 must be a whole number >= 1",
    "batch_size: abc": "recipe.batch_size='abc' must be a whole number >= 1",
    "lr: abc": "recipe.lr='abc' must be a positive number",
    "lr_step: x": "recipe.lr_step='x' must be a whole number >= 1",
    "shift: x": "recipe.shift='x' must be a whole number >= 0",
    "nesterov: maybe": "recipe.nesterov='maybe' must be true or false",
    "augment: maybe": "recipe.augment='maybe' must be true or false",
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("cut")
    rng = np.random.default_rng(0)
    for k in range(8):
        label = ("cluster", "galaxy")[k % 2]
        (root / label).mkdir(exist_ok=True)
        Image.fromarray((rng.random((16, 16)) * 255).astype(np.uint8)).save(root / label / f"o{k}.png")
    return root


@pytest.mark.parametrize("entry", sorted(BAD))
def test_a_bad_recipe_value_is_refused_naming_the_file_and_the_field(tmp_path, entry):
    task = tmp_path / "mine.yaml"
    task.write_text(f"extends: m31-real\nrecipe: {{{entry}}}\n")
    with pytest.raises(StarclassError) as info:
        load_config(task)
    assert "mine.yaml" in str(info.value) and BAD[entry] in str(info.value), str(info.value)


def test_train_refuses_it_before_reading_the_folder(tmp_path, folder):
    task = tmp_path / "mine.yaml"
    task.write_text("extends: m31-real\nrecipe: {weight_decay: abc, epochs: 1}\n")
    out = tmp_path / "m"
    res = CliRunner().invoke(app, ["train", "--task", str(task), "--stamps", str(folder), "-o", str(out),
                                   "--no-progress"])
    text = res.output.replace("\n", " ")
    assert res.exit_code == 2 and "Traceback" not in text, text
    assert "recipe.weight_decay='abc'" in text and "mine.yaml" in text, text
    assert not out.exists()


def test_good_values_still_read_as_written():
    """The guard: numbers YAML reads as strings (``1e-4``) are numbers still, 0/1 are booleans, and
    the shipped presets all load."""
    r = TrainRecipe(lr="1e-4", weight_decay="1e-5", momentum=0.0, rescale=1.0, rescale_prob=0, dropout=0.5,
                    nesterov=1, augment=False, epochs=3.0)
    assert r.lr_at(0) == pytest.approx(1e-4)
    for name in ("m31-real", "galaxy-cluster", "legus4", "open-globular"):
        load_config(name)


def test_the_top_level_hint_spells_a_number_yaml_reads(tmp_path):
    task = tmp_path / "mine.yaml"
    task.write_text("extends: m31-real\nlr: 1e-5\n")
    with pytest.raises(StarclassError) as info:
        load_config(task)
    said = str(info.value).split("write ", 1)[1].split(")", 1)[0]
    assert yaml.safe_load(said) == {"recipe": {"lr": pytest.approx(1e-5)}}, said
