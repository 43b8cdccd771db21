"""A task file whose entries have the wrong shape is refused naming the file and the key (exit 2).

A user's task file (``--task FILE``, ``extends:`` a preset) with an entry of the wrong shape was
read in ways the user never meant, or stopped with Python's traceback: ``bands: F814W`` (a
string, not a list) was read letter by letter as five bands ``f, 8, 1, 4, w``, ``class_names: ab``
named the classes ``a`` and ``b``; ``recipe: 3``, ``recipe:`` left empty, ``scales: 1.0``,
``arch_options: adapter`` and ``merge:`` left empty stopped with a TypeError, AttributeError or
ValueError; ``extends:`` left empty was "unknown task preset 'none'"; a key given twice kept the
last without a word; a misspelt key or a recipe field at the top level was named without the
key meant; an unknown architecture named no task. Each is now a one-line error naming the file
(or task) and the key, with what to write.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.learn.config import load_config

pytestmark = pytest.mark.usefixtures("single_thread")

CASES = {
    "string_bands": ("bands: F814W\n", ["bands='F814W' must be a list", "write bands: [F814W]"]),
    "string_names": ("class_names: ab\n", ["class_names='ab' must be a list"]),
    "number_recipe": ("recipe: 3\n", ["recipe=3 must map recipe fields to values"]),
    "number_scales": ("scales: 1.0\n", ["scales=1.0 must be a list", "write scales: [1.0]"]),
    "word_arch_options": ("arch_options: adapter\n", ["arch_options='adapter' must map option names"]),
    "empty_merge": ("merge:\n", ["merge=None must map reference classes", "write merge: {} for none"]),
    "twice": ("stamp_size: 32\nstamp_size: 64\n", ["key 'stamp_size' is given twice (lines 2 and 3)"]),
    "misspelt": ("clases: [1, 2, 3]\n", ["unknown keys ['clases'] (did you mean 'classes'?)"]),
    "top_level_recipe_field": ("epochs: 3\n", ["unknown keys ['epochs'] (a recipe field: write recipe: {epochs: 3})"]),
    # a number never equals a column name: the folder was read ungrouped and an ImageFolder trained
    "number_group_column": ("group_column: 3\n", ["group_column=3 must be a column name (text)",
                                                  "a column named 3 is written group_column: '3'"]),
    "empty_group_column": ("group_column: ''\n", ["group_column='' is empty"]),
    "list_group_column": ("group_column: [object_id]\n", ["group_column=['object_id'] must be a column name"]),
    "unknown_architecture": ("architecture: resnet99\n", ["task config 'bad': architecture: unknown architecture "
                                                          "'resnet99'"]),
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


def _train(tmp_path, folder, body: str):
    task = tmp_path / "bad.yaml"
    task.write_text(body)
    out = tmp_path / "m"
    res = CliRunner().invoke(app, ["train", "--task", str(task), "--stamps", str(folder), "-o", str(out),
                                   "--epochs", "1", "--no-progress"])
    return res, out


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_task_file_entry_of_the_wrong_shape_is_refused(tmp_path, folder, case):
    body, said = CASES[case]
    res, out = _train(tmp_path, folder, "extends: m31-real\n" + body)
    text = res.output.replace("\n", " ")
    assert res.exit_code == 2 and "Traceback" not in text, text
    assert "bad" in text, text  # the file (or the task named after it)
    for words in said:
        assert words in text, text
    assert not out.exists()


def test_an_empty_extends_says_so(tmp_path, folder):
    res, out = _train(tmp_path, folder, "extends:\nstamp_size: 32\n")
    text = res.output.replace("\n", " ")
    assert res.exit_code == 2 and "'extends:' is empty" in text and "bad.yaml" in text, text
    assert "m31-real" in text  # the presets are listed
    assert not out.exists()


def test_lists_and_an_empty_recipe_still_read(tmp_path):
    """The guards: the shapes that were right read as before; ``recipe:`` with every entry commented
    out changes nothing (it stopped with an AttributeError)."""
    task = tmp_path / "good.yaml"
    task.write_text("extends: m31-real\nbands: [F814W]\nclass_names: [a, b]\nscales: [1.0]\nmerge: {}\n"
                    "recipe:\n  # lr: 0.01\n")
    cfg = load_config(task)
    assert cfg.bands == ["f814w"] and cfg.class_names == ["a", "b"] and cfg.scales == [1.0]
    assert cfg.recipe == load_config("m31-real").recipe
    (tmp_path / "twice.json").write_text('{"extends": "m31-real", "stamp_size": 32, "stamp_size": 64}')
    with pytest.raises(StarclassError, match="key 'stamp_size' is given twice"):
        load_config(tmp_path / "twice.json")


@pytest.mark.parametrize(("base", "said"), [
    ("mine.yaml", "'extends: mine.yaml' names a file: 'extends:' takes a preset only; copy the entries of mine.yaml"),
    ("m31-reall", "'extends: m31-reall' is not a preset (did you mean 'm31-real'?)"),
])
def test_extends_of_a_file_or_a_misspelt_preset_says_which(tmp_path, folder, base, said):
    # both were "unknown task preset 'NAME'", leaving the user to guess that extends takes presets only
    res, out = _train(tmp_path, folder, f"extends: {base}\n")
    text = res.output.replace("\n", " ")
    assert res.exit_code == 2 and said in text and "bad.yaml" in text, text
    assert not out.exists()


def test_a_csv_column_named_3_is_group_column_quoted(tmp_path):
    """The way the refusal of ``group_column: 3`` names: a CSV column named 3 is ``group_column: '3'``;
    rows of one object (the column's value) are one group, kept on one side of every split."""
    from starclass.io.cutout_folders import read_cutout_folder

    rng = np.random.default_rng(0)
    rows = ["file,label,3"]
    for k in range(4):
        Image.fromarray((rng.random((16, 16)) * 255).astype(np.uint8)).save(tmp_path / f"o{k}.png")
        rows.append(f"o{k}.png,{1 + k // 2},obj{k // 2}")
    (tmp_path / "labels.csv").write_text("\n".join(rows) + "\n")
    task = tmp_path / "three.yaml"
    task.write_text("extends: m31-real\ngroup_column: '3'\n")
    cfg = load_config(task)
    assert cfg.group_column == "3"
    cs = read_cutout_folder(tmp_path / "labels.csv", group_column=cfg.group_column, require_group=True)
    assert cs.groups.tolist() == ["obj0", "obj0", "obj1", "obj1"]
