"""inspect --stamps --predictions pairs the model's answers with the cutouts by the files named (issue 12 audit).

The predictions were matched by ``file`` as written only. Another team's list gave every fifth file with an
absolute path; served with predictions of the same cutouts listed with absolute paths throughout, the page
showed the model's answer on those rows alone (5 of 24 here, 28 of 138 in the audit) without a word, and the
same cutouts listed relative to another folder were refused, "no id matches the candidate catalogue".
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from PIL import Image

from starclass.learn.config import get_preset

pytestmark = pytest.mark.usefixtures("single_thread")


def _folder(root, n: int = 24) -> list[str]:
    rng = np.random.default_rng(0)
    files = []
    for i in range(n):
        lab = "cluster" if i % 2 else "galaxy"
        (root / lab).mkdir(parents=True, exist_ok=True)
        Image.fromarray(rng.integers(0, 255, (16, 16), dtype=np.uint8)).save(root / lab / f"c {i}.png")
        files.append(f"{lab}/c {i}.png")
    return files


def _predictions(path, files, root) -> np.ndarray:
    p1 = np.linspace(0.05, 0.95, len(files))
    Table({"file": [str(root / f) for f in files], "class_pred": np.where(p1 >= 0.5, 1, 2), "prob_1": p1,
           "prob_2": 1 - p1}).write(path)
    return p1


def _served(listing, predictions, tmp_path):
    from starclass.inspect.cutouts import load_cutout_field

    return load_cutout_field(listing, get_preset("m31-real"), predictions=predictions, cache_dir=tmp_path / "cache")


def test_a_list_with_some_absolute_paths_gets_every_prediction(tmp_path):
    root = tmp_path / "team b"
    files = _folder(root)
    listed = [str(root / f) if i % 5 == 0 else f for i, f in enumerate(files)]
    (root / "labels.csv").write_text("file,class\n" + "".join(f"{f},x\n" for f in listed))
    p1 = _predictions(tmp_path / "pred.csv", files[::-1], root)[::-1]
    field = _served(root / "labels.csv", tmp_path / "pred.csv", tmp_path)
    assert len(field.predictions) == len(files)
    got = [field.predictions[i]["probs"]["prob_1"] for i in range(len(files))]
    assert np.allclose(got, p1, atol=1e-5)


def test_the_same_cutouts_listed_from_another_folder_get_their_predictions(tmp_path):
    root = tmp_path / "data"
    files = _folder(root, n=8)
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "sofar.csv").write_text("file\n" + "".join(f"../data/{f}\n" for f in files))
    p1 = _predictions(tmp_path / "pred.csv", files, root)
    field = _served(tmp_path / "lists" / "sofar.csv", tmp_path / "pred.csv", tmp_path)
    got = [field.predictions[i]["probs"]["prob_1"] for i in range(len(files))]
    assert np.allclose(got, p1, atol=1e-5)


def test_predictions_as_written_still_pair_as_written(tmp_path):
    root = tmp_path / "data"
    files = _folder(root, n=6)
    (root / "labels.csv").write_text("file\n" + "".join(f"{f}\n" for f in files))
    p1 = np.linspace(0.1, 0.9, 6)
    Table({"file": files[::-1], "prob_1": p1[::-1], "prob_2": 1 - p1[::-1]}).write(root / "pred.csv")
    field = _served(root / "labels.csv", root / "pred.csv", tmp_path)
    assert np.allclose([field.predictions[i]["probs"]["prob_1"] for i in range(6)], p1, atol=1e-5)
