"""train --labels ... --label-model soft|dawid-skene names only the kinds of rows it left out.

On the field of docs/training.md's first commands ('simulate field/ --seed 1 --size 512', then 'train --task
legus4-compact --mosaics field/ --catalog field/truth.ecsv --labels field/humans.ecsv --label-columns
class_h1,class_h2,class_h3 --label-model soft -o m_soft --epochs 1'), where every candidate had votes and one had
no usable stamp, the summary said "(0 whose labels map to no output class, 1 without a usable stamp left out)".
"""

from __future__ import annotations

import numpy as np

from starclass.cli.train_cmd import _left_out


def test_rows_without_a_stamp_alone_are_said_alone():
    targets = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])  # the third: its stamp unusable, target zeroed
    voted = np.ones(3, dtype=bool)
    assert _left_out(1, voted, targets, n_bad=1) == "1 without a usable stamp left out"


def test_the_other_kinds_are_still_counted():
    targets = np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]])
    voted = np.array([True, False, True, True])
    # row 2 nobody labelled; row 3 voted for a class the task leaves out; row 4 without a stamp
    assert _left_out(3, voted, targets, n_bad=1) == ("1 candidate nobody labelled, 1 whose labels map to no output "
                                                     "class, 1 without a usable stamp left out")
    assert _left_out(1, np.ones(2, dtype=bool), np.array([[1.0, 0.0], [0.0, 0.0]]), n_bad=0) == \
        "1 whose labels map to no output class left out"
