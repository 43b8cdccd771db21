"""A task file saved in another encoding than UTF-8 is named with its line.

learn.config read a task file with Path.read_text() and said "task config x.yaml: cannot parse:
'utf-8' codec can't decode byte 0xe9 in position 29: invalid continuation byte", a position in no
line of the file (train --task: "--task x.yaml: cannot parse: ...").
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.learn.config import load_config

TEXT = "extends: legus4-compact\n# lu par équipe\nepochs: 1\n"
SAID = "line 2 is not UTF-8 text ('# lu par \\xe9quipe', byte 0xe9): the file was saved in another encoding"


@pytest.mark.parametrize("name", ["task.yaml", "task.json"])
def test_a_task_file_not_in_utf8_names_its_line(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(TEXT.encode("cp1252"))
    with pytest.raises(StarclassError) as info:
        load_config(path)
    assert str(info.value).startswith(f"task config {path}: {SAID}"), info.value


def test_train_task_not_in_utf8_is_exit_2(tmp_path):
    path = tmp_path / "ma tâche.yaml"
    path.write_bytes(TEXT.encode("cp1252"))
    out = tmp_path / "model"
    res = CliRunner().invoke(app, ["train", "--task", str(path), "-m", str(tmp_path), "-c", str(tmp_path / "c.ecsv"),
                                   "-o", str(out), "--no-progress"])
    assert res.exit_code == 2, res.output
    assert f"--task {path}: {SAID}" in " ".join(res.output.split()), res.output
    assert not out.exists()
