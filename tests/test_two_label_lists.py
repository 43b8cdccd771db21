"""A cutout folder holding both ``labels.csv`` and ``labels.csv.gz``: which list is read.

Until 2026-12-07 ``labels.csv`` was read without a word, and labels corrected in the compressed copy
were never seen. Now two lists with the same text (``gunzip -k`` leaves both) are read as one, and two
that differ are refused naming both, exit 2, nothing written (``folder_labels_csv``).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import one_band_model
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.cutout_folders import folder_labels_csv

runner = CliRunner()


def _folder(root: Path, plain: str, packed: str) -> Path:
    rng = np.random.default_rng(0)
    for k in range(4):
        np.save(root / f"o{k}.npy", rng.random((16, 16)).astype(np.float32))
    (root / "labels.csv").write_text(plain)
    (root / "labels.csv.gz").write_bytes(gzip.compress(packed.encode()))
    return root


LIST = "file,label\no0.npy,1\no1.npy,2\no2.npy,3\no3.npy,1\n"
EDITED = LIST.replace("o1.npy,2", "o1.npy,3")


def test_two_lists_that_differ_are_refused_naming_both(tmp_path):
    root = _folder(tmp_path, LIST, EDITED)
    with pytest.raises(StarclassError) as err:
        folder_labels_csv(root)
    said = str(err.value)
    assert str(root / "labels.csv") in said and str(root / "labels.csv.gz") in said
    assert "differ" in said


def test_two_lists_of_the_same_text_read_labels_csv(tmp_path):
    # gunzip -k leaves both; a spreadsheet's CRLF in one of them is the same list
    root = _folder(tmp_path, LIST.replace("\n", "\r\n"), LIST)
    assert folder_labels_csv(root) == root / "labels.csv"


@pytest.mark.parametrize("verb", ["info", "classify"])
def test_commands_on_a_folder_of_two_differing_lists_exit_2_writing_nothing(tmp_path, verb):
    (tmp_path / "cut").mkdir()
    root = _folder(tmp_path / "cut", LIST, EDITED)
    out = tmp_path / "out.csv"
    args = {"info": ["info", str(root)],
            "classify": ["classify", "--stamps", str(root), "--model", str(one_band_model(tmp_path / "model")),
                         "-o", str(out), "--no-progress"]}[verb]
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    assert "labels.csv and " in res.output and "labels.csv.gz" in res.output and "Traceback" not in res.output
    assert not out.exists()
