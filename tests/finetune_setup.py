"""Set-ups shared by the fine-tune calibration tests: a tiny model calibrated with ``calibrate --stamps``.

The tests of what ``train --resume-from`` does with its starting model's ``--stamps`` calibration (rows
re-scored, a changed list / listing / image noticed, an old or hand-edited entry) each need the same
thing: noise cutouts in label folders, a 16 px one-epoch model trained on some, calibrated through the
CLI on others, and a few new rows to fine-tune on. Import it as ``conftest``'s helpers are imported
(``tests/`` is on ``sys.path`` under pytest).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.config import get_preset


def tiny_config():
    """The 16 px, one-scale, one-epoch, one-member m31-real configuration every one of these tests trains."""
    return get_preset("m31-real", stamp_size=16, scales=[1.0],
                      recipe={"epochs": 1, "val_fraction": 0.3, "ensemble_size": 1, "batch_size": 16})


def noise_folder(root: Path, n: int, seed: int, *, object_ids: bool = False) -> Path:
    """``n`` 16 px noise cutouts, labels alternating cluster / galaxy, each cluster with a brighter centre.

    Written as ``root/LABEL/objNNN.npy`` with ``root/labels.csv`` (file, label[, object_id ``S<seed>-<k>``]),
    whose path is returned.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(n):
        label = ("cluster", "galaxy")[k % 2]
        img = rng.normal(size=(16, 16)).astype(np.float32)
        img[6:10, 6:10] += 1.5 if label == "cluster" else 0.0  # something the network can learn
        (root / label).mkdir(parents=True, exist_ok=True)
        np.save(root / f"{label}/obj{k:03d}.npy", img)
        row = {"file": f"{label}/obj{k:03d}.npy", "label": label}
        if object_ids:
            row["object_id"] = f"S{seed}-{k}"
        rows.append(row)
    with open(root / "labels.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return root / "labels.csv"


def folder_inputs(path: Path, cfg) -> tuple[np.ndarray, np.ndarray]:
    """The cutouts of a list or folder as the network sees them, and their class values."""
    from starclass.io.cutout_folders import label_classes, read_cutout_folder
    from starclass.stamps.images import cutout_inputs

    cut = read_cutout_folder(path, require_group=False, bands=list(cfg.bands), label_map=cfg.label_map)
    return cutout_inputs(cut.images, cfg), np.asarray(label_classes(cut, cfg.label_map, config=cfg))


def calibrate_on_stamps(model: Path, held: Path) -> None:
    """``starclass calibrate MODEL --stamps HELD --overwrite`` on the CPU; it must succeed."""
    res = CliRunner().invoke(app, ["calibrate", str(model), "--stamps", str(held), "--overwrite", "--device", "cpu"])
    assert res.exit_code == 0, res.output


class Calibrated(NamedTuple):
    """What :func:`calibrated_model` made under ``root``."""

    root: Path
    cfg: object
    model: Path  # root/m0, trained on ``train`` and calibrated on ``held``
    train: Path  # root/train/labels.csv
    held: Path  # root/held/labels.csv, or the folder root/held where it has no list
    new: Path | None  # root/new/labels.csv: ten new cutouts, where asked for
    x: np.ndarray  # the training rows' inputs, then the new ones' (the labels so far plus new ones)
    y: np.ndarray  # and their class values


def calibrated_model(root: Path, n: int, *, label_folders: bool = False, object_ids: bool = False,
                     new_rows: bool = True, before_calibrating=None) -> Calibrated:
    """m0 trained on ``n`` noise cutouts (seed 1), calibrated with ``calibrate m0 --stamps`` on ``n`` others (seed 2).

    ``label_folders`` calibrates on the folder of label folders, its ``labels.csv`` removed;
    ``before_calibrating(held)`` may change the held-out list first; ``new_rows`` adds ten new cutouts
    (seed 3) to fine-tune on with the training ones, as the active-learning loop does.
    """
    import torch

    from starclass.learn.train import fit

    torch.set_num_threads(1)
    cfg = tiny_config()
    train = noise_folder((root / "train").resolve(), n, seed=1, object_ids=object_ids)
    held = noise_folder((root / "held").resolve(), n, seed=2, object_ids=object_ids)
    if label_folders:
        held.unlink()  # a folder of label folders: its labels are the folders' names
        held = held.parent
    if before_calibrating is not None:
        before_calibrating(held)
    x, y = folder_inputs(train, cfg)
    fit(cfg, x, y, outdir=root / "m0", progress=False, device="cpu")
    calibrate_on_stamps(root / "m0", held)
    new = None
    if new_rows:
        new = noise_folder((root / "new").resolve(), 10, seed=3, object_ids=object_ids)
        x1, y1 = folder_inputs(new, cfg)
        x, y = np.concatenate([x, x1]), np.concatenate([y, y1])
    return Calibrated(root, cfg, root / "m0", train, held, new, x, y)


def split_with_start_rows(labels, cfg) -> np.ndarray:
    """Validation rows drawn at random from all ``labels``' rows, a starting model's training rows among them.

    ``fit(init_from=M)`` draws its own split apart from M's training rows since 2026-12-07; a split given
    as ``val_index`` is taken as it is, and that still warns and calibrates on the rows
    M did not train on. This is the split a fine-tune drew before: ``cfg``'s ``val_fraction``, stratified.
    """
    from starclass.learn.splits import random_split

    return random_split(np.asarray(labels), float(cfg.recipe.val_fraction), seed=0)[1]


def fine_tune(made: Calibrated, out: Path, start: Path | None = None, rows: slice = slice(None)):
    """A one-epoch ``fit(init_from=start)`` (``made.model`` by default) on ``made``'s rows, which warns that
    its validation rows (:func:`split_with_start_rows`) overlap the start's rows."""
    from starclass.learn.train import fit

    with pytest.warns(UserWarning, match="validation rows are rows the starting model"):
        return fit(made.cfg.copy(recipe={"epochs": 1}), made.x[rows], made.y[rows], outdir=out,
                   init_from=made.model if start is None else start, progress=False, device="cpu",
                   val_index=split_with_start_rows(made.y[rows], made.cfg))
