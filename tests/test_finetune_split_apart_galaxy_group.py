"""A fine-tune's galaxy split and a cutout folder's grouped split keep the starting model's rows out of validation.

``train --resume-from M`` drew its random or spatial split apart from the rows M trained on (2026-12-07), but
a ``--split galaxy`` fine-tune still validated on every row of the held-out galaxy, M's training rows among
them, and a cutout folder's split by objects (``fit_cutouts``, the M31 loop ``train --stamps SO_FAR.csv
--stamps round1/labels.csv --resume-from m0``) on cutouts M trained on: early stopping and the validation
accuracy in-sample there, only a warning said so. Both are now drawn by ``learn.train.split_apart``, and
train says how many rows were kept out of validation and why.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
from typer.testing import CliRunner

from starclass.cli import app

SEEN = "validation rows are rows the starting model"


def test_a_galaxy_split_fine_tune_validates_on_the_held_out_rows_the_start_did_not_train_on(toy_trust_model,
                                                                                            tmp_path):
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.train import fit

    root, cfg, toy, result = toy_trust_model
    new = make_synthetic(cfg, 20, seed=12)
    inputs = np.concatenate([toy.inputs, new.inputs])
    labels = np.concatenate([toy.class_ref, new.class_ref])
    start_trained = np.setdiff1d(np.arange(len(toy.inputs)), result.val_index)
    # galaxy B: every other row of the start's, and the new rows; A: the rest
    gal = np.array(["A"] * len(labels), dtype=object)
    gal[np.arange(0, len(toy.inputs), 2)] = "B"
    gal[len(toy.inputs):] = "B"
    in_b = np.flatnonzero(gal == "B")
    seen_b = np.intersect1d(in_b, start_trained)
    assert seen_b.size > 0  # else the test tests nothing
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tuned = fit(cfg.copy(recipe={"split": "galaxy"}), inputs, labels, galaxies=gal, holdout="B",
                    outdir=tmp_path / "tuned", init_from=root / "model", progress=False, device="cpu", ensemble=1)
    # validated on galaxy B's rows the start did not train on, all of them
    assert tuned.val_index.tolist() == np.setdiff1d(in_b, start_trained).tolist()
    # B's rows the start trained on are neither validated on nor trained on (B is the galaxy held out)
    assert tuned.n_train == int(np.sum(gal == "A"))
    assert not any(SEEN in str(w.message) for w in caught)
    said = [n for n in tuned.notes if n.startswith("validation split: ")]
    assert said == [f"validation split: the {tuned.val_index.size} rows of the held-out galaxy 'B' the starting "
                    f"model '{root / 'model'}' did not train on; the {seen_b.size} of its rows it trained on are "
                    "left out of validation (their accuracy would be in-sample) and of training (they are the "
                    "galaxy held out)"], tuned.notes


def test_a_cutout_fine_tune_validates_on_objects_the_start_did_not_train_on(tmp_path):
    from finetune_setup import noise_folder  # tests/ is on sys.path under pytest

    train = noise_folder((tmp_path / "train").resolve(), 40, seed=1, object_ids=True)
    new = noise_folder((tmp_path / "new").resolve(), 20, seed=3, object_ids=True)
    common = ["--stamp-size", "16", "--epochs", "1", "--ensemble", "1", "--device", "cpu", "--no-progress"]
    runner = CliRunner()
    res = runner.invoke(app, ["train", "--task", "m31-real", "--stamps", str(train), "-o", str(tmp_path / "m0")]
                        + common)
    assert res.exit_code == 0, res.output
    n_start = int(re.search(r"on cpu \(float32\): (\d+) training, ", res.output).group(1))
    res = runner.invoke(app, ["train", "--stamps", str(train), "--stamps", str(new), "--resume-from",
                              str(tmp_path / "m0"), "-o", str(tmp_path / "m1")] + common)
    assert res.exit_code == 0, res.output
    assert SEEN not in res.output
    said = re.search(r"validation split: (\d+) of the (\d+) labelled rows the starting model '.*m0' did not train "
                     r"on; the (\d+) it trained on are trained on again and never validated on \(their accuracy "
                     r"would be in-sample\)", res.output)
    assert said is not None, res.output
    n_val = int(re.search(r"on cpu \(float32\): \d+ training, (\d+) validation", res.output).group(1))
    assert (int(said.group(1)), int(said.group(2)), int(said.group(3))) == (n_val, 60 - n_start, n_start)


def test_a_galaxy_the_start_never_trained_on_is_split_as_it_was(toy_trust_model, tmp_path):
    # a start trained with the same galaxy held out: nothing to keep out, and no "the 0 of its rows ..." note
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.train import fit

    root, cfg, toy, result = toy_trust_model
    new = make_synthetic(cfg, 20, seed=12)
    inputs = np.concatenate([toy.inputs, new.inputs])
    labels = np.concatenate([toy.class_ref, new.class_ref])
    gal = np.array(["A"] * len(toy.inputs) + ["B"] * len(new.inputs))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tuned = fit(cfg.copy(recipe={"split": "galaxy"}), inputs, labels, galaxies=gal, holdout="B",
                    outdir=tmp_path / "tuned", init_from=root / "model", progress=False, device="cpu", ensemble=1)
    assert tuned.val_index.tolist() == list(range(len(toy.inputs), len(labels)))
    assert not any(n.startswith("validation split: ") for n in tuned.notes), tuned.notes
    assert not any(SEEN in str(w.message) for w in caught)
