"""Every figure ``evaluate`` reports, checked against scikit-learn and hand counts on random catalogues.

For tasks of 2, 3, 4 and 5 classes (the presets m31-binary, m31-real, galaxy-cluster, open-globular,
a binary task whose positive class is 2, cool-core, legus4, a four-class task of its own names and a
five-class task with a two-group merge),
seeded random catalogues are written as ``classify`` writes them (``class_pred``, ``prob_<k>``,
``pred_set``, the task in the meta) with the reference beside them (``class_ref``, or label strings
for ``--label-column``), scored by :func:`starclass.evaluate.compare.evaluate_catalogs` (what
``starclass evaluate`` runs), and every figure it reports compared with an independent computation:
accuracy, balanced accuracy, the confusion matrix (counts and row fractions), precision, recall, F1
and the one-vs-rest accuracies per class, ROC AUC and average precision with their curves, the
threshold for the target purity and the purity, recall and F1 at it, ECE (the documented bins), the
reliability table, Brier, conformal coverage and set sizes, the mistake AUROCs, the PHANGS agreement
fractions (PHANGS classes only), and which merges are scored. Edge cases: a class absent from the
reference, a class never predicted, tied probabilities, a one-class predictor (a warning; ROC AUC 0.5
where its probabilities are constant), every prediction right, unlabelled rows (left out and counted),
probabilities rounded so that they do not sum to 1, calibrated probabilities that tie (prob_<k>_raw
beside them), and label strings.

The command line (``starclass evaluate OUT --bootstrap 0``, ECSV with the task in its meta, CSV with
``--task`` and ``--label-column``) prints and writes (``summary.json``, ``tables/*.ecsv``) the figures of
the library on the same file.

On a ten-row binary and a ten-row five-class catalogue every number of ``evaluate``'s text is checked
line by line against scikit-learn or a hand count (the ECE floor's 200 label draws redone by hand, the
binary Brier as ``brier_score_loss``, the mistake AUROCs of every signal, the conformal coverage and
set sizes, the best purity where no threshold reaches the target); a line with a number no rule checks fails.

The figures of row weights that every bootstrap interval is drawn from are, on a resample, those of
its rows; ``bootstrap_ci``'s percentile interval is scipy's.

``evaluate`` reports no macro or weighted F1 and no log-loss (nothing to check there).
"""

from __future__ import annotations

import json
import os
import re
import warnings

import numpy as np
import pytest
from astropy.table import Table
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    balanced_accuracy_score,
    brier_score_loss,
    confusion_matrix,
    precision_recall_curve,
    precision_recall_fscore_support,
    roc_auc_score,
    roc_curve,
)

from starclass.evaluate.compare import evaluate_catalogs
from starclass.evaluate.task import EvalTask
from starclass.learn.config import get_preset

OWN4 = EvalTask.from_classes((1, 2, 3, 4), name="own4", class_names=["cluster", "galaxy", "star", "artefact"])
FIVE = EvalTask.from_classes((1, 2, 3, 4, 5), name="five", class_names=["a", "b", "c", "d", "e"],
                             eval_merges={"ab_vs_cde": {"ab": (1, 2), "cde": (3, 4, 5)}})
TASKS = {
    "m31-binary": EvalTask.from_config(get_preset("m31-binary")),
    "m31-real": EvalTask.from_config(get_preset("m31-real")),
    "galaxy-cluster": EvalTask.from_config(get_preset("galaxy-cluster")),
    "open-globular": EvalTask.from_config(get_preset("open-globular")),
    # a binary task whose positive class is its second
    "star-cluster": EvalTask.from_classes((1, 2), name="star-cluster", class_names=["star", "cluster"],
                                          positive_class=2),
    "cool-core": EvalTask.from_config(get_preset("cool-core")),
    "legus4": EvalTask.from_config(get_preset("legus4")),
    "own4": OWN4,
    "five": FIVE,
}
MODES = ("random", "absent", "never", "ties", "one_class", "all_right", "unlabelled", "rounded", "calibrated")
#: ECE bins as documented (reliability.py): bin b holds (b/B, (b+1)/B], the first also 0
N_BINS = 15


def _catalogue(rng: np.random.Generator, task: EvalTask, mode: str, n: int) -> Table:
    """A catalogue as ``classify`` writes one, with the reference (in the task's reference scheme) beside it."""
    k = len(task.classes)
    classes = np.array(task.classes)
    y = rng.integers(0, k, n)
    if mode == "absent":
        y = rng.integers(0, k - 1, n)  # the last class is in no reference row
    logits = rng.normal(size=(n, k)) * rng.uniform(0.5, 3)
    logits[np.arange(n), y] += rng.uniform(0, 2.5)  # better than chance, by a random margin
    if mode == "never":
        logits[:, 1] -= 50  # the second class is never the most probable
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    raw = p
    if mode in ("ties", "calibrated"):
        # calibrated: histogram-binning-like probabilities of a few values, the raw ones beside them
        p = np.round(p, 1)
        p[:, -1] = np.clip(1 - p[:, :-1].sum(axis=1), 0, 1)
    if mode == "rounded":
        p = np.round(p, 3)  # a CSV's three decimals: rows sum to 1 only within rounding
    if mode == "one_class":
        p = np.tile(np.full(k, 1.0 / k), (n, 1))
    pred_idx = (raw if mode == "calibrated" else p).argmax(axis=1)  # classify decides on the raw ones
    if mode == "all_right":
        p = np.zeros((n, k))
        p[np.arange(n), y] = rng.uniform(0.6, 1.0, n)
        p[np.arange(n), (y + 1) % k] += 1 - p[np.arange(n), y]
        pred_idx = y
    class_pred = classes[pred_idx]
    class_ref = classes[y]
    if task.reference_map:
        # the reference is in the reference scheme (m31-binary: the PHANGS four), the map's sources of each class
        sources = {c: [s for s, d in task.reference_map.items() if d == c] for c in task.classes}
        class_ref = np.array([rng.choice(sources[int(c)]) for c in class_ref])
    if mode == "unlabelled":
        class_ref = class_ref.copy()
        class_ref[rng.uniform(size=n) < 0.2] = 0  # no reference class: left out
        class_pred = class_pred.copy()
        gone = rng.uniform(size=n) < 0.1  # classify could not classify them: class_pred 0, NaN probabilities
        class_pred[gone] = 0
        p = p.copy()
        p[gone] = np.nan
    t = Table()
    t["id"] = np.arange(1, n + 1)
    t["x"], t["y"] = rng.uniform(0, 4000, n), rng.uniform(0, 4000, n)  # classify's candidates have positions
    t["class_pred"] = class_pred
    for j, c in enumerate(task.classes):
        t[f"prob_{c}"] = p[:, j]
    if mode == "calibrated":
        for j, c in enumerate(task.classes):
            t[f"prob_{c}_raw"] = raw[:, j]
    # conformal sets: the classes down to a random cumulative share (at least the top one)
    sets = []
    for i in range(n):
        if not np.isfinite(p[i]).all():
            sets.append("")
            continue
        order = np.argsort(-p[i], kind="stable")
        m = 1 + int(np.searchsorted(np.cumsum(p[i][order]), rng.uniform(0.5, 0.99)))
        sets.append("|".join(str(task.classes[j]) for j in sorted(order[:min(m, k)])))
    t["pred_set"] = sets
    if task.label_map:
        inverse: dict[int, list[str]] = {}
        for lab, c in task.label_map.items():
            inverse.setdefault(c, []).append(lab)
        t["label"] = ["" if c == 0 else str(rng.choice(inverse[int(c)])) for c in class_ref]
    else:
        t["class_ref"] = class_ref
    t.meta.update(task.to_meta())
    t.meta["coverage"] = 0.9
    return t


def _mapped_reference(t: Table, task: EvalTask) -> np.ndarray:
    """The reference classes the hard way: label strings through the map, then the reference merge."""
    if task.label_map:
        ref = np.array([task.label_map[s] if s else 0 for s in t["label"]])
    else:
        ref = np.asarray(t["class_ref"], dtype=int)
    if task.reference_map:
        ref = np.array([task.reference_map.get(int(c), 0) for c in ref])
    return ref


def _masked_to_nan(column) -> np.ndarray:
    return np.ma.filled(np.ma.asarray(column, dtype=float), np.nan)


def _check_merge(result, ref: np.ndarray, pred: np.ndarray, groups: dict[str, tuple[int, ...]]) -> int:
    """The figures of one merge against scikit-learn; returns the number of figures compared."""
    names = list(groups)
    g = len(names)
    lut = {c: j + 1 for j, members in enumerate(groups.values()) for c in members}
    r = np.array([lut[int(c)] for c in ref])
    p = np.array([lut[int(c)] for c in pred])
    labels = list(range(1, g + 1))
    assert result.names == names
    assert result.n == len(r)
    assert result.accuracy == pytest.approx(accuracy_score(r, p), abs=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "y_pred contains classes not in y_true"
        assert result.balanced_accuracy == pytest.approx(balanced_accuracy_score(r, p), abs=1e-12)
        # zero_division NaN: precision NaN where nothing is predicted, recall where the class is absent, F1
        # (2 TP / (2 TP + FP + FN)) only where the class is in neither column: where evaluate masks them
        prec, rec, f1, support = precision_recall_fscore_support(r, p, labels=labels, zero_division=np.nan)
    cm = confusion_matrix(r, p, labels=labels)
    np.testing.assert_array_equal(result.counts, cm)
    rows = cm.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(result.fractions, np.where(rows > 0, cm / np.maximum(rows, 1), 0.0), atol=1e-12)
    tab = result.per_class
    assert tab["n_ref"].tolist() == support.tolist()
    assert tab["n_pred"].tolist() == [int(np.sum(p == k)) for k in labels]
    np.testing.assert_allclose(_masked_to_nan(tab["precision"]), prec, atol=1e-12)
    np.testing.assert_allclose(_masked_to_nan(tab["recall"]), rec, atol=1e-12)
    np.testing.assert_allclose(_masked_to_nan(tab["f1"]), f1, atol=1e-12)
    # "class k or not", counted by hand: (TP + TN) / N, and the mean of the recalls of k and of not-k
    ovr_acc, ovr_bal = [], []
    for k in labels:
        yk, pk = r == k, p == k
        ovr_acc.append(np.mean(yk == pk))
        ovr_bal.append(0.5 * (np.mean(pk[yk]) + np.mean(~pk[~yk])) if 0 < yk.sum() < len(yk) else np.nan)
    np.testing.assert_allclose(_masked_to_nan(tab["one_vs_rest_accuracy"]), ovr_acc, atol=1e-12)
    np.testing.assert_allclose(_masked_to_nan(tab["one_vs_rest_balanced_accuracy"]), ovr_bal, atol=1e-12)
    return 3 + cm.size * 2 + 7 * g


def _curve_groups(task: EvalTask) -> dict[str, list[str]]:
    """Which merges get curves, and of which groups (the documented choice)."""
    out = {}
    for i, (merge, groups) in enumerate(task.merges.items()):
        if task.phangs_like and merge not in ("4class", "12v34"):
            continue
        if task.is_binary and i == 0:
            out[merge] = [str(task.positive)]
        elif not task.phangs_like and len(groups) == 2:
            out[merge] = [list(groups)[0]]
        else:
            out[merge] = list(groups)
    return out


def _hand_threshold(y: np.ndarray, score: np.ndarray, target: float, min_selected: int = 10) -> dict | None:
    """The lowest threshold at an observed score selecting >= min_selected rows at purity >= target."""
    best = None
    for thr in np.unique(score):
        sel = score >= thr
        n_sel = int(sel.sum())
        if n_sel >= min_selected and y[sel].sum() / n_sel >= target and (best is None or thr < best):
            best = thr
    if best is None or not y.any():
        return None
    sel = score >= best
    tp = int((sel & y).sum())
    return {"threshold": float(best), "purity": tp / int(sel.sum()), "recall": tp / int(y.sum()),
            "f1": 2 * tp / (int(sel.sum()) + int(y.sum())), "n_selected": int(sel.sum())}


def _hand_auc(y: np.ndarray, score: np.ndarray) -> float:
    """ROC AUC by hand (Mann-Whitney): the share of (positive, negative) pairs ranked right, ties a half."""
    diff = score[y][:, None] - score[~y][None, :]
    return float(np.mean(diff > 0) + 0.5 * np.mean(diff == 0))


def _hand_ece(probs: np.ndarray, y_idx: np.ndarray) -> tuple[float, list[int]]:
    """ECE over the documented bins, counted bin by bin with the edges b/B compared directly."""
    conf = probs.max(axis=1)
    right = probs.argmax(axis=1) == y_idx
    total, counts = 0.0, []
    for b in range(N_BINS):
        lo, hi = b / N_BINS, (b + 1) / N_BINS
        sel = (conf > lo) & (conf <= hi)
        if b == 0:
            sel |= conf == 0
        counts.append(int(sel.sum()))
        if sel.any():
            total += sel.sum() * abs(right[sel].mean() - conf[sel].mean())
    return total / len(conf), counts


def _check_catalogue(t: Table, task: EvalTask, mode: str) -> int:
    """Score ``t`` as evaluate does and compare every figure; the number of figures compared."""
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        ev = evaluate_catalogs(t, ["self"], n_boot=0, label_column="label" if task.label_map else None)
    assert ev.task.classes == task.classes and ev.task.name == task.name
    assert list(ev.task.merges) == list(task.merges)
    # the PHANGS merges for the PHANGS classes only
    assert ("12v34" in ev.task.merges) == (task.name == "legus4")
    (c,) = ev.comparisons
    ref_all = _mapped_reference(t, task)
    pred_all = np.asarray(t["class_pred"], dtype=int)
    both = (ref_all > 0) & (pred_all > 0)
    # unlabelled and unclassified rows are left out, and counted
    assert c.n_paired == len(t) and c.n_both == int(both.sum())
    if task.label_map and (ref_all == 0).any():
        assert any("no label, left out of the scores" in str(w.message) for w in said)
    ref, pred = ref_all[both], pred_all[both]
    probs = np.column_stack([np.asarray(t[f"prob_{k}"], float) for k in task.classes])[both]
    raw = (np.column_stack([np.asarray(t[f"prob_{k}_raw"], float) for k in task.classes])[both]
           if f"prob_{task.classes[0]}_raw" in t.colnames else None)
    # the areas on prob_<k>_raw are given beside the calibrated ones where these tie the rows (docs: fewer
    # than half the raw rows' distinct values)
    tied = raw is not None and len(np.unique(probs, axis=0)) < 0.5 * len(np.unique(raw, axis=0))
    n_fig = 0
    for result, (merge, groups) in zip(c.results, task.merges.items(), strict=True):
        assert result.merge == merge
        n_fig += _check_merge(result, ref, pred, groups)
    # a one-class predictor: warned of, and its constant probabilities rank at ROC AUC 0.5
    one_class = np.unique(pred).size == 1
    assert one_class == any("puts all" in str(w.message) for w in said)
    # ROC AUC, average precision and their curves, per group of each merge that gets curves
    want = _curve_groups(task)
    assert [cs.merge for cs in c.curves] == list(want)
    for cs in c.curves:
        groups = task.merges[cs.merge]
        scored = []
        for label in want[cs.merge]:
            yk = np.isin(ref, groups[label])
            score = probs[:, [task.classes.index(m) for m in groups[label]]].sum(axis=1)
            if yk.all() or not yk.any():
                assert any(s.startswith(f"class {label}:") for s in cs.skipped)
                continue
            scored.append(label)
            roc = next(x for x in cs.roc if x.label == label)
            pr = next(x for x in cs.pr if x.label == label)
            auc = _hand_auc(yk, score)
            assert roc.area == pytest.approx(auc, abs=1e-12)
            if np.ptp(probs, axis=0).max() == 0:
                assert roc.area == pytest.approx(0.5)  # constant probabilities rank nothing
            assert pr.area == pytest.approx(average_precision_score(yk, score), abs=1e-12)
            fpr, tpr, _ = roc_curve(yk, score)
            np.testing.assert_allclose(roc.x, fpr)
            np.testing.assert_allclose(roc.y, tpr)
            prec, rec, _ = precision_recall_curve(yk, score)
            np.testing.assert_allclose(pr.x, rec)
            np.testing.assert_allclose(pr.y, prec)
            assert (roc.n_pos, roc.n_neg) == (int(yk.sum()), int((~yk).sum()))
            row = cs.areas[[str(v) for v in cs.areas["class"]].index(label)]
            assert float(row["roc_auc"]) == pytest.approx(auc, abs=1e-12)
            assert float(row["average_precision"]) == pytest.approx(pr.area, abs=1e-12)
            assert ("roc_auc_raw" in cs.areas.colnames) == tied
            if tied:
                raw_score = raw[:, [task.classes.index(m) for m in groups[label]]].sum(axis=1)
                assert float(row["roc_auc_raw"]) == pytest.approx(_hand_auc(yk, raw_score), abs=1e-12)
                assert float(row["average_precision_raw"]) == pytest.approx(
                    average_precision_score(yk, raw_score), abs=1e-12)
                n_fig += 2
            n_fig += 6
        assert [x.label for x in cs.roc] == scored
    # the threshold for the target purity (80%), per selection
    if task.phangs_like:
        selections = [("1+2", (1, 2))]
    elif task.positive is not None:
        selections = [(str(task.positive), (task.positive,))]
    else:
        selections = [(str(k), (k,)) for k in task.classes]
    assert [(st.label, tuple(st.members)) for st in c.thresholds] == selections
    for st, (_, members) in zip(c.thresholds, selections):
        yk = np.isin(ref, members)
        score = probs[:, [task.classes.index(m) for m in members]].sum(axis=1)
        if task.is_binary and raw is not None:
            score = raw[:, task.classes.index(members[0])]  # on the scale classify --threshold applies
            assert st.score_column == f"prob_{members[0]}_raw"
        hand = _hand_threshold(yk, score, 0.8)
        if hand is None:
            assert st.chosen is None and st.note
            continue
        assert st.chosen is not None
        for key in ("threshold", "purity", "recall", "f1"):
            assert st.chosen[key] == pytest.approx(hand[key], abs=1e-12), key
        assert st.chosen["n_selected"] == hand["n_selected"]
        # the threshold as written selects the same rows as the threshold itself
        assert np.array_equal(score >= float(st.chosen["shown"]), score >= st.chosen["threshold"])
        n_fig += 6
    # calibration: ECE (documented bins), the reliability table, Brier (multi-class; binary twice sklearn's)
    tr = c.trust
    y_idx = np.array([task.classes.index(int(v)) for v in ref])
    ece, counts = _hand_ece(probs, y_idx)
    assert tr.ece == pytest.approx(ece, abs=1e-12)
    assert tr.reliability["n"].tolist() == counts
    onehot = np.eye(len(task.classes))[y_idx]
    brier = float(np.mean(np.sum((probs - onehot) ** 2, axis=1)))
    assert tr.brier == pytest.approx(brier, abs=1e-12)
    if task.is_binary:
        j = task.classes.index(task.positive)
        assert tr.brier / 2 == pytest.approx(brier_score_loss(y_idx == j, probs[:, j]), abs=1e-12)
    n_fig += 2 + N_BINS
    if raw is not None:
        assert tr.ece_raw == pytest.approx(_hand_ece(raw, y_idx)[0], abs=1e-12)
        assert tr.brier_raw == pytest.approx(float(np.mean(np.sum((raw - onehot) ** 2, axis=1))), abs=1e-12)
        n_fig += 2
    # conformal coverage per reference class (hand count of the sets holding it), and the set sizes
    sets = [str(s).split("|") if str(s) else [] for s in np.asarray(t["pred_set"])[both]]
    hits = np.array([str(int(r)) in s for r, s in zip(ref, sets)])
    sizes = np.array([len(s) for s in sets])
    cov = tr.coverage_table
    for k in task.classes:
        row = cov[[str(v) for v in cov["class"]].index(str(k))]
        sel = ref == k
        assert int(row["n"]) == int(sel.sum())
        if sel.any():
            assert float(row["coverage"]) == pytest.approx(hits[sel].mean(), abs=1e-12)
            assert float(row["mean_set_size"]) == pytest.approx(sizes[sel].mean(), abs=1e-12)
        else:
            assert not np.isfinite(float(row["coverage"]))
    assert float(cov[-1]["coverage"]) == pytest.approx(hits.mean(), abs=1e-12)
    assert tr.set_sizes["n"].tolist() == np.bincount(sizes, minlength=len(task.classes) + 1).tolist()
    n_fig += 3 * len(task.classes) + 1 + len(task.classes) + 1
    # which signal predicts a mistake: ROC AUC of each for "class_pred is wrong"
    wrong = pred != ref
    if 0 < wrong.sum() < len(wrong):
        aurocs = {str(r["signal"]): float(r["auroc"]) for r in tr.signals}
        signal = 1 - probs.max(axis=1)
        if np.ptp(signal) == 0:
            # a constant signal says nothing: NaN with a note (documented), not scikit-learn's 0.5
            assert np.isnan(aurocs["1 - confidence"])
        else:
            assert aurocs["1 - confidence"] == pytest.approx(roc_auc_score(wrong, signal), abs=1e-12)
        n_fig += 1
    if task.phangs_like:
        # the PHANGS agreement fraction of class k (and 1+2): the mean of the shares of each side's class k that
        # the other calls k too, a share over none left out (so 0 where one side alone has k), undefined where
        # neither has it; their mean over the defined of 1-4; the symmetric matrix's diagonal is the same
        fr = c.agreement.fractions
        means = []
        for key, members in (("1", (1,)), ("2", (2,)), ("3", (3,)), ("4", (4,)), ("1+2", (1, 2))):
            row = fr[[str(v) for v in fr["class"]].index(key)]
            ina, inb = np.isin(pred, members), np.isin(ref, members)
            both_k = int((ina & inb).sum())
            assert (int(row[fr.colnames[1]]), int(row[fr.colnames[2]]), int(row["n_both"])) == (
                int(ina.sum()), int(inb.sum()), both_k)
            shares = [both_k / side.sum() for side in (ina, inb) if side.any()]
            if shares:
                want = float(np.mean(shares))
                assert float(row["agreement"]) == pytest.approx(want, abs=1e-12)
                if key != "1+2":
                    means.append(want)
            else:
                assert np.ma.is_masked(row["agreement"])
                want = 0.0  # the symmetric matrix's row of a class neither side uses
            if key != "1+2":
                assert c.agreement.symmetric[int(key) - 1, int(key) - 1] == pytest.approx(want, abs=1e-12)
            n_fig += 4
        assert c.agreement.mean == pytest.approx(np.mean(means) if means else None)
    if mode == "all_right":
        assert all(r.accuracy == 1.0 for r in c.results)
    return n_fig


@pytest.mark.parametrize("name", list(TASKS))
def test_every_figure_agrees_with_sklearn_and_hand_counts(name):
    task = TASKS[name]
    rng = np.random.default_rng(sum(map(ord, name)))
    n_fig = 0
    for mode in MODES:
        for _ in range(3):
            n = int(rng.integers(12, 80))
            n_fig += _check_catalogue(_catalogue(rng, task, mode, n), task, mode)
    assert n_fig > 800  # every catalogue was compared figure by figure


#: the catalogues the command line scores: (task, mode, file suffix, options beyond the defaults)
#: (each run draws some twenty figures: 5-9 s on the loaded shared machine, so two of the four are marked slow)
CLI_CASES = (
    ("m31-binary", "calibrated", ".ecsv", []),
    ("m31-real", "unlabelled", ".csv", ["--task", "m31-real", "--label-column", "label"]),
    pytest.param("legus4", "absent", ".ecsv", [], marks=pytest.mark.slow),
    pytest.param("five", "ties", ".ecsv", [], marks=pytest.mark.slow),
)

_LINES = {
    "accuracy": re.compile(r"^  (\S+): accuracy ([\d.]+)", re.M),
    "class": re.compile(r"^  class (\d+)[^:]*: precision (\S+), recall (\S+), F1 (\S+), one-vs-rest balanced accuracy "
                        r"(\S+), one-vs-rest accuracy (\S+) \(n_ref (\d+), n_pred (\d+)\)$", re.M),
    "area": re.compile(r"^  (\S+) class (\S+)(?: \([^)]*\))? vs rest: ROC AUC ([\d.]+), average precision ([\d.]+)",
                       re.M),
    "threshold": re.compile(r"threshold for 80% purity of class (\S+)[^:]*: ([\d.]+) \(purity ([\d.]+), recall "
                            r"([\d.]+), F1 ([\d.]+), (\d+) selected\)"),
    "calibration": re.compile(r"calibration: ECE ([\d.]+) .*?Brier ([\d.]+)"),
}


def _shown(value, digits: int = 3) -> str:
    return "-" if np.ma.is_masked(value) else f"{float(value):.{digits}f}"


# figures built, not rendered to PNG (conftest's unrendered_figures): it reads the text, tables and summary.json
@pytest.mark.usefixtures("unrendered_figures")
@pytest.mark.parametrize("name, mode, suffix, options", CLI_CASES)
def test_the_command_line_prints_and_writes_the_figures_of_the_library(tmp_path, name, mode, suffix, options):
    from typer.testing import CliRunner

    from starclass.cli import app

    task = TASKS[name]
    t = _catalogue(np.random.default_rng(len(name) * 7 + len(mode)), task, mode, 70)
    path = tmp_path / f"classified{suffix}"
    t.write(path, format="ascii.ecsv" if suffix == ".ecsv" else "ascii.csv")
    out = tmp_path / "evaluation"
    res = CliRunner().invoke(app, ["evaluate", str(path), "-o", str(out), "--bootstrap", "0", "--no-science",
                                   *options])
    assert res.exit_code == 0, res.output
    text = res.output
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = evaluate_catalogs(str(path), None, n_boot=0, task=name if options else None,
                               label_column="label" if task.label_map else None)
    (c,) = ev.comparisons
    # the accuracies: printed (3 decimals), summary.json (4) and the summary table (unrounded)
    assert dict(_LINES["accuracy"].findall(text)) == {r.merge: f"{r.accuracy:.3f}" for r in c.results}
    doc = json.loads((out / "summary.json").read_text())
    ((_, headline),) = doc["headline"].items()
    assert headline == {r.merge: round(r.accuracy, 4) for r in c.results}
    summary = Table.read(next((out / "tables").glob("summary_*.ecsv")))
    np.testing.assert_allclose(summary["accuracy"], [r.accuracy for r in c.results], atol=1e-12)
    np.testing.assert_allclose(summary["balanced_accuracy"], [r.balanced_accuracy for r in c.results], atol=1e-12)
    # per class: printed and in the per-class table
    own = c.results[0].per_class
    figs = ("precision", "recall", "f1", "one_vs_rest_balanced_accuracy", "one_vs_rest_accuracy")
    printed = {m[0]: m[1:] for m in _LINES["class"].findall(text)}
    assert printed == {str(r["class"]): (*(_shown(r[f]) for f in figs), str(r["n_ref"]), str(r["n_pred"]))
                       for r in own}
    # the unmerged table: the merges' own (per_class_12v34_...) carry the merge in a longer name, and which of them
    # a glob gives first is the file system's order
    written = Table.read(min((out / "tables").glob("per_class_*.ecsv"), key=lambda p: len(p.name)))
    for f in figs:
        np.testing.assert_allclose(_masked_to_nan(written[f]), _masked_to_nan(own[f]), atol=1e-12, equal_nan=True)
    # ROC AUC and average precision, printed and in each merge's table
    areas = {(cs.merge, str(r["class"])): (f"{r['roc_auc']:.3f}", f"{r['average_precision']:.3f}")
             for cs in c.curves if cs.areas is not None for r in cs.areas}
    assert {(m, k): (a, p) for m, k, a, p in _LINES["area"].findall(text)} == areas
    for cs in c.curves:
        if cs.areas is not None:
            tab = Table.read(out / "tables" / f"auc_{cs.merge}_{next(iter(doc['headline']))}.ecsv")
            np.testing.assert_allclose(tab["roc_auc"], cs.areas["roc_auc"], atol=1e-12)
            np.testing.assert_allclose(tab["average_precision"], cs.areas["average_precision"], atol=1e-12)
    # the threshold for the target purity
    chosen = {st.label: (st.chosen["shown"], *(f"{st.chosen[k]:.3f}" for k in ("purity", "recall", "f1")),
                         str(st.chosen["n_selected"])) for st in c.thresholds if st.chosen}
    assert {m[0]: m[1:] for m in _LINES["threshold"].findall(text)} == chosen
    # calibration and coverage: printed and in summary.json
    ece, brier = _LINES["calibration"].search(text).groups()
    assert (ece, brier) == (f"{c.trust.ece:.4f}", f"{c.trust.brier:.4f}")
    ((_, trust),) = doc["trust"].items()
    assert trust["ece"] == round(c.trust.ece, 5) and trust["brier"] == round(c.trust.brier, 5)
    assert trust["coverage"] == {str(r["class"]): None if not np.isfinite(r["coverage"]) else
                                 round(float(r["coverage"]), 5) for r in c.trust.coverage_table}
    assert trust["set_sizes"] == {str(r["set_size"]): int(r["n"]) for r in c.trust.set_sizes}


@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_a_resamples_figures_are_those_of_its_rows(k):
    """Every interval comes from figures of row weights (a resample's draw counts, bootstrap_figures): on
    a resample they are scikit-learn's, and the hand threshold's, on the rows it drew."""
    from starclass.evaluate.bootstrap import auc_of_weights, ranking_figures
    from starclass.evaluate.compare import _per_class_figures
    from starclass.evaluate.threshold import purity_choice_of_weights

    rng = np.random.default_rng(40 + k)
    labels = list(range(1, k + 1))
    for _ in range(8):
        n = int(rng.integers(15, 90))
        ref = rng.integers(1, k + 1, n)
        pred = np.where(rng.uniform(size=n) < 0.6, ref, rng.integers(1, k + 1, n))
        score = np.round(np.clip((ref == 1) * 0.35 + rng.uniform(size=n) * 0.65, 0, 1), int(rng.integers(1, 4)))
        y = ref == 1
        per_class = _per_class_figures(ref, pred, k + 1)
        ranking, auc, choose = ranking_figures(y, score), auc_of_weights(y, score), purity_choice_of_weights(y, score)
        for _ in range(8):
            idx = rng.integers(0, n, n)
            w = np.bincount(idx, minlength=n).astype(float)
            r, p, yy, ss = ref[idx], pred[idx], y[idx], score[idx]
            got = per_class(w)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                want_bal = balanced_accuracy_score(r, p)
                prec, rec, f1, _ = precision_recall_fscore_support(r, p, labels=labels, zero_division=np.nan)
            ovr_acc = [np.mean((r == c) == (p == c)) for c in labels]
            ovr_bal = [0.5 * (np.mean(p[r == c] == c) + np.mean(p[r != c] != c)) if 0 < (r == c).sum() < n
                       else np.nan for c in labels]
            np.testing.assert_allclose(got, [accuracy_score(r, p), want_bal, *prec, *rec, *f1, *ovr_bal, *ovr_acc],
                                       atol=1e-12)
            if 0 < yy.sum() < n:
                np.testing.assert_allclose(ranking(w), [roc_auc_score(yy, ss), average_precision_score(yy, ss)],
                                           atol=1e-12)
                assert auc(w) == pytest.approx(roc_auc_score(yy, ss), abs=1e-12)
            hand = _hand_threshold(yy, ss, 0.8)
            got_thr = choose(w)
            if hand is None:
                assert np.isnan(got_thr).all()
            else:
                np.testing.assert_allclose(got_thr, [hand[f] for f in ("threshold", "purity", "recall", "f1")],
                                           atol=1e-12)


def test_bootstrap_ci_percentile_interval_is_scipys():
    """bootstrap_ci's percentile interval against scipy.stats.bootstrap(method='percentile'): with one seed the
    two draw the same resamples (one rng.integers(0, n, n) each) and agree; with other seeds the interval
    still holds the point and is as wide, to the resampling noise."""
    from scipy.stats import bootstrap

    from starclass.evaluate.bootstrap import bootstrap_ci

    rng = np.random.default_rng(12)
    ref = rng.integers(1, 4, 80)
    pred = np.where(rng.uniform(size=80) < 0.7, ref, rng.integers(1, 4, 80))

    def accuracy(r, p, axis=-1):
        return np.mean(r == p, axis=axis)

    value, lo, hi = bootstrap_ci(accuracy, ref, pred, n_boot=1000, seed=0)
    same = bootstrap((ref, pred), accuracy, paired=True, vectorized=False, n_resamples=1000, method="percentile",
                     random_state=np.random.default_rng(0)).confidence_interval
    assert (lo, hi) == pytest.approx((same.low, same.high), abs=1e-3)
    other = bootstrap((ref, pred), accuracy, paired=True, n_resamples=1000, method="percentile",
                      random_state=np.random.default_rng(99)).confidence_interval
    assert lo <= value <= hi and other.low <= value <= other.high
    assert 0.8 < (hi - lo) / (other.high - other.low) < 1.25


# --------------------------------------------------------------------------------------------
# every number of evaluate's text on ten rows, by hand and scikit-learn (2026-12-07)

#: ten rows of a binary task (m31-real): the reference, prob_1 (calibrated) and prob_1_raw, conformal sets,
#: the ensemble's spread and vote agreement; class_pred is the most probable class
BIN_REF = np.array([1, 1, 1, 1, 2, 2, 2, 2, 2, 1])
BIN_P1 = np.array([0.9, 0.8, 0.35, 0.6, 0.3, 0.45, 0.2, 0.7, 0.1, 0.55])
BIN_P1_RAW = np.array([0.95, 0.85, 0.4, 0.62, 0.25, 0.5, 0.15, 0.75, 0.05, 0.6])
BIN_SETS = ["1", "1", "1|2", "1|2", "2", "1|2", "2", "1|2", "2", "1|2"]
BIN_STD = np.array([0.01, 0.03, 0.12, 0.05, 0.04, 0.15, 0.02, 0.09, 0.01, 0.08])
BIN_QUALITY = np.array([1.0, 1.0, 0.5, 1.0, 1.0, 0.5, 1.0, 0.5, 1.0, 1.0])
#: ten rows of a five-class task of its own: each row's probabilities, written out
FIVE_REF = np.array([1, 2, 3, 4, 5, 1, 2, 3, 4, 5])
FIVE_P = np.array([[0.50, 0.20, 0.10, 0.10, 0.10], [0.10, 0.60, 0.10, 0.10, 0.10], [0.30, 0.10, 0.40, 0.10, 0.10],
                   [0.10, 0.10, 0.10, 0.35, 0.35], [0.40, 0.10, 0.10, 0.10, 0.30], [0.25, 0.25, 0.20, 0.15, 0.15],
                   [0.10, 0.30, 0.30, 0.20, 0.10], [0.10, 0.10, 0.20, 0.50, 0.10], [0.05, 0.05, 0.10, 0.70, 0.10],
                   [0.10, 0.10, 0.10, 0.10, 0.60]])
FIVE_SETS = ["1", "2", "1|3", "4|5", "1|5", "1|2|3", "2|3|4", "4", "4", "5"]
FIVE_STD = np.array([0.02, 0.03, 0.10, 0.12, 0.09, 0.15, 0.11, 0.06, 0.01, 0.04])
FIVE_TASK = "name: five\nextends: legus4\nclasses: [1, 2, 3, 4, 5]\nclass_names: [a, b, c, d, e]\n"
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _ten_rows(tmp_path, kind: str):
    """The ten-row catalogue of ``kind`` written as ``classify`` writes one; its task option and arrays."""
    if kind == "binary":
        probs = np.column_stack([BIN_P1, 1 - BIN_P1])
        raw = np.column_stack([BIN_P1_RAW, 1 - BIN_P1_RAW])
        ref, sets, extra, task = BIN_REF, BIN_SETS, {"prob_std": BIN_STD, "quality": BIN_QUALITY}, "m31-real"
    else:
        probs, raw, ref, sets, extra = FIVE_P, None, FIVE_REF, FIVE_SETS, {"prob_std": FIVE_STD}
        (tmp_path / "five.yaml").write_text(FIVE_TASK)
        task = str(tmp_path / "five.yaml")
    k = probs.shape[1]
    cols = {"id": np.arange(1, 11), "x": 10.0 * np.arange(10), "y": 10.0 * np.arange(10), "class_ref": ref,
            "class_pred": probs.argmax(axis=1) + 1, **{f"prob_{j + 1}": probs[:, j] for j in range(k)}}
    if raw is not None:
        cols.update({f"prob_{j + 1}_raw": raw[:, j] for j in range(k)})
    t = Table({**cols, "pred_set": sets, **extra}, meta={"coverage": 0.9})
    t.write(tmp_path / f"{kind}.ecsv")
    return tmp_path / f"{kind}.ecsv", task, probs, raw, ref, sets, extra


def _ece_by_hand(probs: np.ndarray, right: np.ndarray) -> float:
    """ECE of 15 equal-width bins of the top probability, (b/15, (b+1)/15], counted bin by bin."""
    conf = probs.max(axis=1)
    total = 0.0
    for b in range(N_BINS):
        sel = (conf > b / N_BINS) & (conf <= (b + 1) / N_BINS) | ((conf == 0) if b == 0 else False)
        if sel.any():
            total += sel.sum() * abs(right[sel].mean() - conf[sel].mean())
    return total / len(conf)


def _floor_by_hand(probs: np.ndarray) -> tuple[float, float]:
    """The documented floor: 200 draws (numpy default_rng(0), one uniform number a row), each row's class drawn
    from its own probabilities; mean and 95th percentile of the draws' ECE."""
    rng = np.random.default_rng(0)
    cum = np.cumsum(probs, axis=1)
    vals = []
    for _ in range(200):
        u = rng.random(len(probs))
        drawn = np.array([np.searchsorted(c, v, side="left") for c, v in zip(cum, u)])
        vals.append(_ece_by_hand(probs, drawn == probs.argmax(axis=1)))
    return float(np.mean(vals)), float(np.quantile(vals, 0.95))


def _f(v: float, digits: int = 3) -> str:
    return f"{v:.{digits}f}"


# its figures are built but not rendered to PNG (conftest's unrendered_figures): it checks the numbers of the text
# and counts the figure files written, never their pixels; rendering was most of the five-class run
@pytest.mark.usefixtures("unrendered_figures")
@pytest.mark.parametrize("kind", ["binary", "five"])
def test_every_number_evaluate_prints_on_ten_rows_is_sklearns_or_a_hand_count(tmp_path, kind):
    """Each line of ``evaluate --bootstrap 0`` on ten rows, number by number; a line with a number that no rule
    below checks fails the test, so a figure added to the text must be added here."""
    from typer.testing import CliRunner

    from starclass.cli import app

    path, task, probs, raw, ref, sets, extra = _ten_rows(tmp_path, kind)
    k = probs.shape[1]
    classes = list(range(1, k + 1))
    pred = probs.argmax(axis=1) + 1
    res = CliRunner().invoke(app, ["evaluate", str(path), "--task", task, "-o", str(tmp_path / "ev"),
                                   "--bootstrap", "0", "--no-science", "--no-progress"])
    assert res.exit_code == 0, res.output
    wrong = pred != ref
    conf = probs.max(axis=1)
    prec, rec, f1, n_ref = precision_recall_fscore_support(ref, pred, labels=classes, zero_division=np.nan)
    checked = 0
    for line in res.stdout.splitlines():
        if not NUMBER.search(line.split(":", 1)[-1] if line.startswith("task ") else line):
            continue
        body = line.strip()
        if m := re.fullmatch(r"task \S+: classes (.*?)(?:; positive class (\d+) \([^)]*\))? \(from --task\)", line):
            assert re.findall(r"(\d+) \(", m.group(1)) == [str(c) for c in classes]
            assert m.group(2) == ("1" if k == 2 else None)  # m31-real's positive class; none of the five
        elif m := re.fullmatch(r".*: accuracy\[(\w+)\] = ([\d.]+)", line):
            assert m.group(2) == _f(accuracy_score(ref, pred))
        elif m := re.fullmatch(r".*: (\d+) objects paired row by row, (\d+) classified in both", line):
            assert m.groups() == ("10", "10")
        elif m := re.fullmatch(r"\w+: accuracy ([\d.]+), balanced accuracy ([\d.]+) \((\d+) objects\)", body):
            assert m.groups() == (_f(accuracy_score(ref, pred)), _f(balanced_accuracy_score(ref, pred)), "10")
        elif body == "note: no bootstrap intervals: 0 resamples asked for (--bootstrap 0)":
            pass
        elif m := _LINES["class"].fullmatch(line):
            j = int(m.group(1)) - 1
            c = classes[j]
            ovr_bal = 0.5 * (np.mean(pred[ref == c] == c) + np.mean(pred[ref != c] != c))
            assert m.groups()[1:] == (_f(prec[j]), _f(rec[j]), _f(f1[j]), _f(ovr_bal),
                                      _f(np.mean((ref == c) == (pred == c))), str(n_ref[j]), str((pred == c).sum()))
        elif m := re.fullmatch(r"\w+ class (\d+) \([^)]*\) vs rest: ROC AUC ([\d.]+), average precision ([\d.]+)",
                               body):
            c = int(m.group(1))
            assert m.groups()[1:] == (_f(roc_auc_score(ref == c, probs[:, c - 1])),
                                      _f(average_precision_score(ref == c, probs[:, c - 1])))
        elif m := re.fullmatch(r"threshold for 80% purity of class (\d+) \([^)]*\): no threshold can be chosen for "
                               r"purity 0\.80: the rule selects at least 10 objects and there are (\d+) objects in "
                               r"all; it needs more than 10 for a threshold to leave any out \(too few for the rule, "
                               r"not a result of the scores\)", body):
            # ten rows: only the lowest threshold selects ten, every row (whose purity, the share of the class, was
            # said as "best purity" until 2026-12-07; select-all "chosen" where the class's share met 0.80): too few
            # rows for the rule, whatever the class's share
            assert m.group(2) == str(len(ref)) and len(ref) <= 10
        elif body.startswith("calibration: "):
            right = pred == ref
            onehot = np.eye(k)[ref - 1]
            floor, p95 = _floor_by_hand(probs)
            want = (f"calibration: ECE {_f(_ece_by_hand(probs, right), 4)} over 15 equal-width bins; a perfectly "
                    f"calibrated model would show {_f(floor, 4)} at this n (10 rows; 95th percentile {_f(p95, 4)}); "
                    f"Brier {_f(np.mean(np.sum((probs - onehot) ** 2, axis=1)), 4)}")
            if k == 2:
                want += (", summed over both classes from 0 to 2 (scikit-learn's binary brier_score_loss is half: "
                         f"{_f(brier_score_loss(ref == 1, probs[:, 0]), 4)})")
            if raw is not None:
                raw_right = raw.argmax(axis=1) + 1 == ref
                want += (f"; before calibration, on prob_<k>_raw: ECE {_f(_ece_by_hand(raw, raw_right), 4)} against "
                         f"{_f(_floor_by_hand(raw)[0], 4)} of a perfectly calibrated model, "
                         f"Brier {_f(np.mean(np.sum((raw - onehot) ** 2, axis=1)), 4)}")
            assert body == want
        elif m := re.fullmatch(r"warning: the calibration made the probabilities worse calibrated here: ECE ([\d.]+) "
                               r"against ([\d.]+) before it \(prob_<k>_raw\).*; fit it again on more labelled "
                               r"candidates .*--no-calibration', whose prob_<k> are the raw ones\)", body):
            # said only where it is so: the calibrated ECE above the raw one, both by hand
            assert raw is not None
            ece, ece_raw = _ece_by_hand(probs, pred == ref), _ece_by_hand(raw, raw.argmax(axis=1) + 1 == ref)
            assert ece > ece_raw and m.groups() == (_f(ece, 4), _f(ece_raw, 4)), (m.groups(), ece, ece_raw)
        elif body.startswith("note: ECE and the reliability diagram from 10 rows are not meaningful (fewer than 100"):
            pass
        elif body.startswith("conformal coverage at 90%: "):
            held = np.array([str(c) in s.split("|") for c, s in zip(ref, sets)])
            size = np.array([len(s.split("|")) for s in sets])
            shares = [re.escape(_f(held[ref == c].mean())) for c in classes]
            pattern = (", ".join(rf"{c} \([^)]*\) {s}" for c, s in zip(classes, shares))
                       + rf", all {re.escape(_f(held.mean()))}; sets: 0 empty, ")
            assert re.match("conformal coverage at 90%: " + pattern, body), body
            counts = dict((int(b), int(a)) for a, b in re.findall(r"(\d+) of (\d+) class", body))
            assert counts == {s: int((size == s).sum()) for s in range(1, k + 1)}
        elif body.startswith("mistake AUROC: "):
            signals = {"1 - confidence": 1 - conf, "entropy": -np.sum(probs * np.log(probs), axis=1),
                       "ensemble spread (prob_std)": extra["prob_std"],
                       "conformal set size": np.array([len(s.split("|")) for s in sets], float)}
            if "quality" in extra:
                signals["1 - vote agreement (quality)"] = 1 - extra["quality"]
            aucs = {name: roc_auc_score(wrong, v) for name, v in signals.items()}
            said = dict(re.findall(r"(?:: |, )([^,:(]+(?:\([^)]*\))?) ([\d.]+)", body.split(" (best: ")[0]))
            assert said == {name: _f(a) for name, a in aucs.items()}, (said, aucs)
            assert body.endswith(f"(best: {max(aucs, key=aucs.get)})")
        elif m := re.fullmatch(r"wrote (\d+) tables and (\d+) figures under .*", line):
            assert int(m.group(1)) == len(list((tmp_path / "ev").rglob("*.ecsv")))
            assert int(m.group(2)) == len(list((tmp_path / "ev").rglob("*.png")))
        elif m := re.fullmatch(r"open first: (\S+) \(the confusion matrix\), (\S+) \(the reliability diagram\)", line):
            # the figures to open first: their numbers are the class count and the paths; both are written
            assert f"confusion_{k}class_" in m.group(1) and all(os.path.isfile(p) for p in m.groups()), line
        elif line.startswith("next: the same figures as one page: 'starclass report "):
            # the command to run next: its numbers are the options given (--bootstrap 0) and the paths
            assert "--bootstrap 0" in line and str(path) in line, line
        else:
            raise AssertionError(f"a number of evaluate's text that no rule here checks: {line!r}")
        checked += 1
    assert checked >= 10 + k
