"""``train`` says where a member's balanced accuracy is chance: the plain accuracy is then the commonest class's share.

The walk of docs/training.md's fields (2026-12-07): ``train --task m31-binary-compact --mosaics m31_a --catalog
a.ecsv --mosaics m31_b --catalog b.ecsv -o M --epochs 1`` on two simulated 512 px M31 fields printed ``member 1: kept
epoch 1, validation accuracy 0.922, balanced accuracy 0.500`` and nothing more, for a member that said
"non-cluster" for every row; 0.922 read as a good model.
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import accuracy_score, balanced_accuracy_score

from starclass.cli.train_cmd import at_chance_line


def _figures(truth: np.ndarray, said: np.ndarray) -> tuple[float, float]:
    return float(accuracy_score(truth, said)), float(balanced_accuracy_score(truth, said))


def test_a_member_saying_one_class_everywhere_is_said_to_be_at_chance():
    truth = np.array([2] * 59 + [1] * 5)  # the 64 validation rows of that run: 5 clusters
    acc, bal = _figures(truth, np.full(truth.size, 2))
    line = at_chance_line([acc], [bal], 2)
    assert line is not None and line.startswith("note: member 1's balanced accuracy 0.500 is chance for 2 classes")
    assert f"its accuracy {acc:.3f} is about the share" in line and "--epochs" in line


def test_a_member_above_chance_gets_no_note_and_several_at_chance_are_named():
    truth = np.array([1, 1, 2, 2, 3, 3])
    good = _figures(truth, np.array([1, 1, 2, 2, 3, 1]))
    flat = _figures(truth, np.full(truth.size, 3))
    assert at_chance_line([good[0]], [good[1]], 3) is None
    line = at_chance_line([good[0], flat[0], flat[0]], [good[1], flat[1], flat[1]], 3)
    assert line is not None and "members 2, 3 are chance for 3 classes (1/3): they tell" in line, line
    assert at_chance_line([float("nan")], [float("nan")], 2) is None  # no validation set: nothing to say
