"""A user's own task file with a mistake is refused by the CLI with exit 2, naming the file and the key (2026-12-07).

Walked from the seed presets: a misspelt key, a class listed twice, a label_map naming a class the task
lacks, a positive_class not among the classes; each in YAML and JSON, given to ``train --task`` (refused
before any cutout is read) and ``info --task``.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()

CASES = {
    "misspelt key": ({"clases": [1, 2]}, ["clases", "did you mean 'classes'?"]),
    "class twice": ({"classes": [1, 2, 2], "class_names": ["a", "b", "c"]},
                    ["'classes' must list each class once", "lists class 2 twice"]),
    "label_map class": ({"label_map": {"cl": 1, "gal": 3}}, ["'label_map' maps to classes not in [1, 2]", "'gal': 3"]),
    "positive_class": ({"positive_class": 3}, ["positive_class=3 not in classes [1, 2]"]),
}


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("command", ["train", "info"])
def test_a_task_file_mistake_exits_2_naming_the_file_and_key(tmp_path, case, suffix, command):
    entries, says = CASES[case]
    path = tmp_path / f"mine{suffix}"
    body = {"extends": "galaxy-cluster-compact", **entries}
    # JSON is YAML too: one text serves both readers
    path.write_text(json.dumps(body))
    args = (["train", "--task", str(path), "--stamps", str(tmp_path / "labels.csv"), "-o", str(tmp_path / "m")]
            if command == "train" else ["info", str(tmp_path), "--task", str(path)])
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    assert str(path) in res.output and "Traceback" not in res.output, res.output
    for words in says:
        assert words in res.output, res.output
    assert not (tmp_path / "m").exists()
