"""A listed file missing here but present in another case is named (issue 12 audit: another team's CSV).

A CSV written on Windows or macOS, whose file systems ignore case, lists ``cluster/c0.png`` for the file
``Cluster/C0.png``. Here, where case matters, every command said "no such file" and nothing more.
"""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


def _folder(root):
    (root / "Cluster").mkdir(parents=True)
    rng = np.random.default_rng(0)
    for name in ("C0.npy", "c1.npy"):
        np.save(root / "Cluster" / name, rng.normal(size=(16, 16)).astype(np.float32))


@pytest.mark.parametrize(("cell", "twin"), [("cluster/c0.npy", "Cluster/C0.npy"),
                                            ("Cluster\\C1.NPY", "Cluster/c1.npy")])
def test_info_and_train_name_the_file_that_differs_in_case(tmp_path, cell, twin):
    root = tmp_path / "team b"
    _folder(root)
    (root / "labels.csv").write_text(f"file,label\n{cell},cluster\n")
    for args in (["info", str(root / "labels.csv")],
                 ["train", "--task", "m31-real", "--stamps", str(root / "labels.csv"), "-o", str(tmp_path / "m")]):
        res = runner.invoke(app, args)
        said = " ".join(res.output.split())
        assert res.exit_code == 2, res.output
        assert "no such file" in said and f"{root / twin} exists, named so but for the case of its letters" in said
    assert not (tmp_path / "m").exists()


def test_a_file_missing_in_every_case_gets_no_such_hint(tmp_path):
    root = tmp_path / "data"
    _folder(root)
    (root / "labels.csv").write_text("file,label\ncluster/c9.npy,cluster\n")
    res = runner.invoke(app, ["info", str(root / "labels.csv")])
    assert res.exit_code == 2 and "no such file" in res.output and "case of its letters" not in res.output
