"""``train --stamps LIST --cv K`` on a list with a ``fold`` column (ready-made folds).

The reader checks the column (a group split across its folds is refused, exit 2), and docs/real_images.md
called it "ready-made folds"; but ``--cv`` draws folds of its own and never read it. Walking the PAndAS
cutouts as an M31 team (2026-12-07), a list with folds 0-2 gave a 3-fold table on other folds without a
word. Now it says so, naming the list and the column.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def _list(root, fold_column: bool):
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[:16, :16]
    (root / "img").mkdir(parents=True)
    rows = ["file,label,object_id" + (",fold" if fold_column else "")]
    for i in range(12):
        label = ("cluster", "galaxy")[i % 2]
        width = 1.5 if label == "cluster" else 4.0
        a = 40 + 180 * np.exp(-0.5 * ((xx - 7.5) ** 2 + (yy - 7.5) ** 2) / width ** 2) + rng.normal(0, 6, xx.shape)
        Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).save(root / "img" / f"o{i}.png")
        rows.append(f"img/o{i}.png,{label},o{i}" + (f",{i % 3}" if fold_column else ""))
    (root / "labels.csv").write_text("\n".join(rows) + "\n")
    (root / "t.yaml").write_text("extends: m31-real\nname: t16\nstamp_size: 16\nrecipe: {epochs: 1}\n")
    return root / "labels.csv", root / "t.yaml"


def _cv(labels, task, out):
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(labels), "--cv", "2", "--no-progress",
                              "--device", "cpu", "-o", str(out)])
    return res, " ".join(res.output.split())


def test_a_fold_column_not_read_by_cv_is_said(tmp_path):
    labels, task = _list(tmp_path / "d", fold_column=True)
    res, text = _cv(labels, task, tmp_path / "cv")
    assert res.exit_code == 0, text
    assert (f"{labels}: its column 'fold' holds 3 ready-made folds, which train --cv does not read: --cv 2 draws "
            "folds of its own (whole objects, stratified by class), so the figures are not those of the column's "
            "folds; --cv fold holds out the column's folds instead") in text, text


def test_a_list_without_one_says_nothing_of_it(tmp_path):
    labels, task = _list(tmp_path / "d", fold_column=False)
    res, text = _cv(labels, task, tmp_path / "cv")
    assert res.exit_code == 0, text
    assert "ready-made fold" not in text, text
