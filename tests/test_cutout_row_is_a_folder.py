"""A cutout list whose ``file`` cell names a folder says it is a folder, naming the list, row and file.

Until 2026-12-05 ``train --stamps labels.csv`` and ``classify --stamps labels.csv`` said "no such
file" for a row whose ``file`` was a folder that exists (``sub``), which sent the user looking for
a missing file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.cutout_folders import read_cutout_folder, read_image
from starclass.learn.config import get_preset

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


def _list(root: Path) -> Path:
    rng = np.random.default_rng(0)
    lines = ["file,label"]
    for i, lab in enumerate(["cluster", "galaxy"] * 3):
        (root / lab).mkdir(exist_ok=True)
        np.save(root / lab / f"o{i}.npy", rng.normal(size=(16, 16)).astype(np.float32))
        lines.append(f"{lab}/o{i}.npy,{lab}")
    (root / "sub").mkdir()
    lines[3] = "sub,galaxy"  # row 3 of the list names a folder
    (root / "labels.csv").write_text("\n".join(lines) + "\n")
    return root / "labels.csv"


def test_read_cutout_folder_names_the_folder(tmp_path):
    listing = _list(tmp_path)
    with pytest.raises(StarclassError) as err:
        read_cutout_folder(listing, require_group=False)
    said = str(err.value)
    assert "row 3" in said and "'sub'" in said and "is a folder" in said, said
    assert "no such file" not in said


def test_read_image_of_a_folder_says_folder(tmp_path):
    (tmp_path / "a.npy").mkdir()
    with pytest.raises(StarclassError, match="is a folder"):
        read_image(tmp_path / "a.npy")


@pytest.mark.parametrize("verb", ["train", "classify"])
def test_train_and_classify_say_folder(tmp_path, verb):
    listing = _list(tmp_path)
    if verb == "train":
        args = ["train", "--task", "m31-real", "--stamps", str(listing), "-o", str(tmp_path / "m")]
    else:
        model = write_untrained_model(tmp_path / "model", get_preset("m31-real").copy(name="mine", stamp_size=16))
        args = ["classify", "--stamps", str(listing), "--model", str(model), "-o", str(tmp_path / "out.csv")]
    res = runner.invoke(app, args)
    said = " ".join(res.output.split())
    assert res.exit_code == 2, res.output
    assert f"{listing}: row 3" in said and "file 'sub': is a folder" in said, said
    assert "no such file" not in said and "Traceback" not in said
    assert not (tmp_path / "m").exists() and not (tmp_path / "out.csv").exists()
