"""An output folder that is the working directory (``.``) or above it is refused before the work.

Every folder output is written beside its target and renamed onto it (``starclass.io.atomic.atomic_dir``);
``.`` cannot be renamed, so ``simulate . --size 64`` in an empty folder rendered the whole field and then
stopped with ``OSError: [Errno 16] Device or resource busy: '.' -> '..XXXXXXXX.old'`` and a traceback,
exit 1, nothing written (until 2026-12-07). ``evaluate ../pred.ecsv -o .`` likewise; a folder above the working
directory, swapped for its new copy, would leave the shell in a deleted folder. Both are now refused at
once, exit 2, naming the argument and saying what to do.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def test_simulate_into_the_current_folder_is_refused_before_the_work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["simulate", ".", "--size", "64", "--n-candidates", "20", "--no-progress"])
    assert res.exit_code == 2, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert "OUTDIR . is the current folder" in res.output
    assert "name a folder in it" in res.output
    assert list(tmp_path.iterdir()) == []  # nothing written, not even a hidden temporary folder


def test_evaluate_into_the_current_folder_is_refused(tmp_path, monkeypatch):
    rng = np.random.default_rng(1)
    n = 40
    Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 99, n), "y": rng.uniform(0, 99, n),
           "class_ref": rng.integers(1, 3, n), "class_pred": rng.integers(1, 3, n)},
          meta={"classes": [1, 2], "class_names": ["cluster", "non-cluster"]}).write(tmp_path / "pred.ecsv")
    inner = tmp_path / "work"
    inner.mkdir()
    monkeypatch.chdir(inner)
    before = sorted(p.name for p in tmp_path.iterdir())
    res = runner.invoke(app, ["evaluate", "../pred.ecsv", "-r", "self", "-o", ".", "--bootstrap", "0",
                              "--no-progress"])
    assert res.exit_code == 2, res.output
    assert "--output . is the current folder" in res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert list(inner.iterdir()) == []


def test_atomic_dir_refuses_the_working_directory_and_leaves_it_as_it_was(tmp_path, monkeypatch):
    from starclass.io.atomic import atomic_dir, holds_working_dir  # here: the CLI tests above run without it

    monkeypatch.chdir(tmp_path)
    assert holds_working_dir(".") and holds_working_dir(tmp_path.parent)
    assert not holds_working_dir("sub")
    with pytest.raises(ValueError, match="is the current folder"), atomic_dir(".") as tmp:
        (tmp / "a.txt").write_text("x")
    assert list(tmp_path.iterdir()) == []
