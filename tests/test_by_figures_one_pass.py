"""``evaluate --by`` scores each group's ROC AUC alone, with fewer steps, and the figures stay what they were.

A binary ``--by`` table cost about 1.45x the CPU of the same evaluate without ``--by`` (2026-12-05):
each resample ranked every group's rows again (a gather, two bincounts, cumulative sums and an
average precision nobody used, per group and once more for the pooled row). Now
:func:`starclass.evaluate.bootstrap.auc_of_weights` scores the AUC alone. Checked
here: to the last bit the AUCs :func:`ranking_figures` gives each group, and on a small binary case
every figure of a resample equals scikit-learn's on the drawn rows.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, recall_score, roc_auc_score

from starclass.evaluate.bootstrap import auc_of_weights, ranking_figures, resamples
from starclass.evaluate.groups import ALL, MISSING, group_labels, group_table


def test_group_aucs_are_those_of_ranking_figures_to_the_last_bit():
    rng = np.random.default_rng(1)
    n, g = 3000, 6
    y = rng.random(n) < 0.4
    s = np.round(rng.random(n), 2)  # ties
    grp = rng.integers(0, g - 1, n)
    grp[:40] = g - 1
    y[:40] = True  # a group of positives only: no AUC
    fns = [(np.flatnonzero(grp == j), None) for j in range(g)]
    fns = [(rows, auc_of_weights(y[rows], s[rows]), ranking_figures(y[rows], s[rows])) for rows, _ in fns]
    for idx in resamples(n, 20, seed=3):
        w = np.bincount(idx, minlength=n).astype(np.float64)
        for rows, new, old in fns:
            got, want = new(w[rows]), old(w[rows])[0]
            assert got == want or (np.isnan(got) and np.isnan(want)), (got, want)
    assert np.isnan(fns[5][1](np.ones(40)))


def test_by_figures_of_a_resample_equal_scikit_learns_on_the_drawn_rows():
    rng = np.random.default_rng(7)
    n = 240
    ref = rng.integers(1, 3, n)
    score = np.clip(np.round(0.5 + 0.3 * (ref == 1) + rng.normal(0, 0.25, n), 2), 0, 1)
    pred = np.where(score >= 0.5, 1, 2)
    field = rng.choice(["a", "b", "c", ""], n)
    score[:3] = np.nan  # rows without a score: in no ROC AUC
    table, _, figs = group_table(ref, pred, field, (1, 2), score=score, positive=1)
    labels, _ = group_labels(field)
    order = [str(gr) for gr in table["group"]]
    assert order[-2:] == [MISSING, ALL]
    # the point figures (every row once) are scikit-learn's
    for r, gname in enumerate(order):
        sel = np.ones(n, bool) if gname == ALL else labels == gname
        assert table["accuracy"][r] == pytest.approx(accuracy_score(ref[sel], pred[sel]), abs=1e-15)
        sel &= np.isfinite(score)
        assert table["roc_auc"][r] == pytest.approx(roc_auc_score(ref[sel] == 1, score[sel]), abs=1e-12)
    rows = len(order)
    for idx in resamples(n, 15, seed=0):
        w = np.bincount(idx, minlength=n).astype(np.float64)
        f = figs(w)
        acc, rec, auc = f[:rows], f[rows:rows * 3].reshape(rows, 2), f[rows * 3:]
        for r, gname in enumerate(order):
            drawn = idx if gname == ALL else idx[labels[idx] == gname]
            r_, p_, s_ = ref[drawn], pred[drawn], score[drawn]
            ranked = np.isfinite(s_)
            assert acc[r] == pytest.approx(accuracy_score(r_, p_), abs=1e-12)
            for j, k in enumerate((1, 2)):
                if (r_ == k).any():
                    assert rec[r, j] == pytest.approx(recall_score(r_ == k, p_ == k), abs=1e-12)
                else:
                    assert np.isnan(rec[r, j])
            if 0 < (r_[ranked] == 1).sum() < ranked.sum():
                assert auc[r] == pytest.approx(roc_auc_score(r_[ranked] == 1, s_[ranked]), abs=1e-12)
            else:
                assert np.isnan(auc[r])
