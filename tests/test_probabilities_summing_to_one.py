"""``evaluate`` says when the scored probabilities do not sum to 1 beyond rounding.

The ECE, its floor and the Brier score read each row's ``prob_<k>`` as probabilities of the task's
classes. Scores of their own (one sigmoid per class: rows summing to 1.6) were scored as such without a
word; now a warning (and a note of the comparison) names the columns, how many rows and the first with
its sum. Rounded probabilities (a CSV's three decimals) are not said.
"""

from __future__ import annotations

import warnings

import numpy as np
from astropy.table import Table

from starclass.evaluate.compare import evaluate_catalogs
from starclass.evaluate.task import EvalTask

TASK = EvalTask.from_classes((1, 2, 3), name="three")


def _table(scale: float, decimals: int | None = None) -> Table:
    rng = np.random.default_rng(4)
    ref = rng.integers(1, 4, 50)
    p = rng.dirichlet(np.ones(3), 50)
    p[np.arange(50), ref - 1] += 1.0
    p /= p.sum(axis=1, keepdims=True)
    p = np.clip(p * scale, 0, 1)
    if decimals is not None:
        p = np.round(p, decimals)
    t = Table({"class_pred": p.argmax(axis=1) + 1, "class_ref": ref, **{f"prob_{k}": p[:, k - 1] for k in (1, 2, 3)}})
    t.meta.update(TASK.to_meta())
    return t, p


def _said(t: Table) -> tuple[list[str], list[str]]:
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        c = evaluate_catalogs(t, ["self"], n_boot=0).comparisons[0]
    return [str(x.message) for x in w], c.notes


def test_scores_that_do_not_sum_to_one_are_said():
    t, p = _table(1.6)
    said, notes = _said(t)
    sums = p.sum(axis=1)
    first = int(np.flatnonzero(np.abs(sums - 1) > 0.01)[0])
    want = (f"prediction: prob_1, prob_2, prob_3 of {int(np.sum(np.abs(sums - 1) > 0.01))} scored rows do not sum "
            f"to 1 (row {first + 1}: {sums[first]:.3f})")
    assert any(s.startswith(want) for s in said), said
    assert any(n.startswith(want) for n in notes)


def test_rounded_probabilities_are_not_said():
    t, p = _table(1.0, decimals=3)
    assert np.abs(p.sum(axis=1) - 1).max() > 0  # rounded: not exactly 1
    said, notes = _said(t)
    assert not [s for s in said + notes if "do not sum to 1" in s]
