"""``train --task legus4`` typed is not called "the default --task".

Before: the check of a cutout folder's bands compared the value of ``--task`` with ``legus4``, so
``train --task legus4 --stamps LABELS.csv`` on one-band cutouts was told ``task 'legus4' (the default
--task: give --task m31-real ...)``, a task the user had typed. Now only a ``--task`` left out is
called the default (``typer``'s parameter source, ``cli._app.given_options``).
"""

from __future__ import annotations

from typer.testing import CliRunner

from starclass.cli import app
from test_cutout_folders import _make_csv_folder  # tests/ is on sys.path under pytest

runner = CliRunner()
DEFAULT = "(the default --task: give --task m31-real"


def test_a_typed_legus4_is_not_called_the_default(tmp_path):
    p = _make_csv_folder(tmp_path / "data")
    for flag in ("--task", "-t"):
        res = runner.invoke(app, ["train", flag, "legus4", "--stamps", str(p), "-o", str(tmp_path / "m"),
                                  "--no-progress"])
        assert res.exit_code == 2, res.output
        assert "task 'legus4' expects 5 bands" in res.output
        assert DEFAULT not in res.output
        assert not (tmp_path / "m").exists()


def test_a_task_left_out_is_still_called_the_default(tmp_path):
    p = _make_csv_folder(tmp_path / "data")
    res = runner.invoke(app, ["train", "--stamps", str(p), "-o", str(tmp_path / "m"), "--no-progress"])
    assert res.exit_code == 2, res.output
    assert DEFAULT in res.output
    assert not (tmp_path / "m").exists()
