"""``train`` gives the validation balanced accuracy beside the plain accuracy, and records it.

The walk of 2026-12-07 read ``member 1: kept epoch 3, validation accuracy 0.942`` on a validation
set where always saying "non-cluster" scores 0.92: on an imbalanced task the plain figure alone
reads as a good model. The member line, ``info`` and the member checkpoint
(``final_val_balanced_accuracy``) now give the balanced accuracy (the mean recall over the classes),
checked here against scikit-learn.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from sklearn.metrics import accuracy_score, balanced_accuracy_score
from typer.testing import CliRunner

from conftest import write_noise_cutout_folder  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.checkpoint import FINAL_VAL_BALANCED_ACCURACY
from starclass.learn.data import StampDataset
from starclass.learn.train import _evaluate

pytestmark = pytest.mark.usefixtures("single_thread")


class _FirstPixelSays(torch.nn.Module):
    """Logits that make the class of a row ``round(x[0, 0, 0])``: a model whose predictions the test sets."""

    def __init__(self, n_classes: int) -> None:
        super().__init__()
        self.n_classes = n_classes

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        said = x[:, 0, 0, 0].round().long().clamp(0, self.n_classes - 1)
        return torch.nn.functional.one_hot(said, self.n_classes).float() * 5.0


def test_the_balanced_accuracy_is_scikit_learns_over_batches():
    rng = np.random.default_rng(3)
    # imbalanced: 40 rows of class 2, 6 of class 0, 4 of class 1; a model right on most of class 2 only
    truth = np.array([2] * 40 + [0] * 6 + [1] * 4)
    said = truth.copy()
    said[40:] = 2  # says the majority class for every minority row ...
    said[[40, 46]] = [0, 1]  # ... but two
    said[:3] = [0, 1, 0]  # and errs on three majority rows
    rng.shuffle(order := np.arange(len(truth)))
    truth, said = truth[order], said[order]
    x = rng.normal(size=(len(truth), 2, 4, 4)).astype(np.float32)
    x[:, 0, 0, 0] = said
    ds = StampDataset(x, targets=truth)
    # batches of 7: the per-class counts must add up over batches, not be averaged batch by batch
    loss, acc, bal = _evaluate(_FirstPixelSays(3), ds, 7, "cpu", None)
    assert acc == pytest.approx(accuracy_score(truth, said))
    assert bal == pytest.approx(balanced_accuracy_score(truth, said))
    assert bal < acc - 0.3  # the case the figure is there for
    assert np.isfinite(loss)


def test_the_balanced_accuracy_leaves_out_a_class_the_rows_lack():
    truth = np.array([0, 0, 0, 1])
    said = np.array([0, 2, 0, 1])  # class 2 is predicted but is no row's class
    x = np.zeros((4, 1, 2, 2), np.float32)
    x[:, 0, 0, 0] = said
    _, _, bal = _evaluate(_FirstPixelSays(3), StampDataset(x, targets=truth), 3, "cpu", None)
    with pytest.warns(UserWarning):  # scikit-learn warns of the predicted class no row has, and leaves it out
        expected = balanced_accuracy_score(truth, said)
    assert bal == pytest.approx(expected)


def test_train_prints_and_records_the_balanced_accuracy(tmp_path):
    labels = write_noise_cutout_folder(tmp_path / "cut", 16, n=24)
    (tmp_path / "t.yaml").write_text("extends: m31-real\nname: t16\nstamp_size: 16\n"
                                     "recipe: {epochs: 1, val_fraction: 0.5}\n")
    res = CliRunner().invoke(app, ["train", "--stamps", str(labels), "--task", str(tmp_path / "t.yaml"),
                                   "--no-progress", "--device", "cpu", "-o", str(tmp_path / "m")])
    assert res.exit_code == 0, res.output
    line = next(ln.strip() for ln in res.stdout.splitlines() if re.match(r"\s*member 1: kept epoch", ln))
    # the caution of a few validation rows may follow (tests/test_train_few_validation_rows.py)
    m = re.search(r"validation accuracy ([0-9.]+).*, balanced accuracy ([0-9.]+)(, on only \d+ validation rows .*)?$",
                  line)
    assert m, line
    ck = torch.load(tmp_path / "m" / "member_01.pt", map_location="cpu", weights_only=True)
    assert m.group(1) == f"{ck['final_val_acc']:.3f}"
    assert m.group(2) == f"{ck[FINAL_VAL_BALANCED_ACCURACY]:.3f}"
    # info says it as train did
    info = CliRunner().invoke(app, ["info", str(tmp_path / "m")])
    assert info.exit_code == 0, info.output
    assert f"balanced accuracy {ck[FINAL_VAL_BALANCED_ACCURACY]:.3f}" in info.output, info.output
    # and the estimator read back from it, as val_accuracy_ beside it
    from starclass.learn.estimator import CNNClassifier

    est = CNNClassifier.load(tmp_path / "m")
    assert est.val_accuracy_ == [ck["final_val_acc"]]
    assert est.val_balanced_accuracy_ == [ck[FINAL_VAL_BALANCED_ACCURACY]]
