"""Active learning on the real PAndAS cutouts: labels chosen by entropy against labels at random.

The issue-17 figure "labels needed to reach the accuracy of random choice with all labels
(goal: half or fewer)", measured on the 869 real PAndAS g-band cutouts (755 objects,
clusters against galaxies) instead of simulated fields, because there a model trains in
seconds on a CPU.

For each of the five grouped folds of ``benchmarks/real_pandas.py`` (``StratifiedGroupKFold``
by ``object_id``, seed 0): the pool is the fold's training part, the test set its held-out
part. A label is an *object* (all its cutouts; 106 objects have two, 4 have three). The loop
starts from ``--start`` objects drawn at random; each round a model of the ``m31-real``
preset (compact CNN, its own recipe: up to 20 epochs, early stopping on a grouped 15%
validation split of the labelled objects) is trained on every label so far, **from scratch**
or, with ``--init-from MODEL``, **fine-tuned** from a saved model (the loop of ``starclass
train --resume-from``; e.g. a model trained on simulated cutouts, ``benchmarks/sim_to_real.py
--parts sim``), the same for both strategies, and ``--batch`` more objects are added:

* ``entropy``: :func:`starclass.suggest.pick` on the predictive entropy
  (:func:`starclass.suggest.entropy`) of the object's mean probability over its cutouts,
  **without** magnitude spreading (the cutout folder has no magnitude column);
* ``random``: the next objects of a random order;
* ``bald``: as ``entropy``, ranked instead by BALD, the mutual information
  (:func:`starclass.suggest.mutual_information`) over the 8 rotations/flips of each cutout of
  the model's **raw** softmax (test-time augmentation on the pool only; the test cutouts are
  scored without it, as in every arm); an object's score is the **mean over its cutouts of the
  per-cutout MI**;
* ``typical`` (TypiClust, Hacohen et al. 2022): :func:`starclass.suggest.typical_pick` on every
  pool object's embedding under the round's model (the mean over its cutouts of the network's
  penultimate features, :func:`starclass.learn.embedding.penultimate_features`, L2-normalised):
  k-means into (labelled + batch) clusters, the most typical (densest-neighbourhood) object of
  each of the largest clusters without a label;
* ``typical-fixed`` (needs ``--init-from``): TypiClust in a **fixed** embedding, the
  ``--init-from`` model's penultimate features of every pool object (mean over its cutouts,
  unit length), computed once per fold before any label, as TypiClust's self-supervised
  embedding of the whole pool; the **first** ``--start`` objects are picked in it too
  (:func:`starclass.suggest.typical_pick` with no labels), not taken from the random order, and
  every round's model is still fine-tuned from ``--init-from`` on all labels so far;
* ``typical-random``, ``typical-entropy`` (hybrids, need ``--init-from``): exactly the
  ``typical-fixed`` picks (the same start, the same picks each round) until ``--typical-until``
  objects are labelled (default 200, a grid point), then each later round by another rule:
  ``typical-random`` the next objects of the run's random order that are not labelled yet,
  ``typical-entropy`` the most uncertain as the ``entropy`` arm (entropy of the object's mean P
  under the round's fine-tuned model; for two classes the same ranking as the margin);
* ``entropy-pseudo``, ``random-pseudo`` (CEAL): the same picks, and every model after the first
  is also trained on the unlabelled objects whose raw P of one class (the mean over the object's
  cutouts) under the previous round's model is at least ``--pseudo-threshold``, with that class
  (:func:`starclass.suggest.pseudo_labels`; recomputed each round, never in the validation
  split). Each model stores ``n_pseudo`` (objects), ``n_pseudo_cutouts`` and ``n_pseudo_wrong``
  (objects whose label in the folder is another class).

A *run* is one random order (``--random-orders``, fixed per fold) with one training seed
(``--train-seeds``: SEED, SEED+1, ...); in a run both strategies start from the first
``--start`` objects of the order and train with the seed, so they are paired. ``--runs
0:0,1:1`` picks (order, seed) pairs; the default is every order with every seed. Every model
is scored on the fold's test cutouts (accuracy at P(cluster) >= 0.5, ROC AUC, F1 of the
cluster class). The reference, "random with all labels", is the same network trained (or
fine-tuned) on the whole pool, once per seed (``--ref-seeds``, default ``--train-seeds``).

Each piece is a file of ``--out`` written when it finishes (``fold<k>_o<o>_s<seed>_<arm>.json``,
``fold<k>_ref_s<seed>.json``) and skipped when it is there, so a stopped job resumes; the job
goes run by run over every fold, so what is finished at any time is balanced across folds.
``--summarise`` averages each fold's runs, then the folds: the curve of each strategy with
the standard error of the fold mean (the spread of the fold curves over sqrt(folds), which
holds the order and seed spread as well as the fold spread), the gap to the all-labels
reference, the labels needed to reach it (first grid point, and linear between the two grid
points around the crossing), per fold whether it is reached, the paired entropy - random
difference; it writes the JSON and the plot. An arm missing on some folds (random included) is
summarised over the folds that have it, against their references, and the summary names the folds
it lacks (``missing:`` line, ``missing_folds`` in the JSON); a fold without a reference is refused.
It reads the first version's ``fold<k>.json``
too, and refuses a folder that mixes runs from scratch with fine-tuned ones::

    nice -n 10 .venv/bin/python benchmarks/trust_active_real.py --start 50 --batch 50 --max-labels 300 \
        --runs 0:0,1:1,2:2 --ref-seeds 3 --threads 1 --out /tmp/active_scratch
    .venv/bin/python benchmarks/sim_to_real.py --parts sim --sim SIM --out /tmp/s2r --threads 1
    nice -n 10 .venv/bin/python benchmarks/trust_active_real.py --start 50 --batch 50 --max-labels 300 \
        --runs 0:0,1:1 --ref-seeds 2 --init-from /tmp/s2r/sim_model --threads 1 --out /tmp/active_ft
    .venv/bin/python benchmarks/trust_active_real.py --summarise --out /tmp/active_scratch \
        --json benchmarks/results_trust_active_real_scratch.json --plot docs/img/active_real_pandas.png

The machine is shared with other jobs: timings printed are indicative only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.metrics import f1_score, roc_auc_score

ROOT = Path(__file__).resolve().parents[1]
#: the arms: people's labels by entropy, by BALD (mutual information) or at random, and with
#: pseudo-labels (CEAL)
ARMS = ("entropy", "random", "entropy-pseudo", "random-pseudo", "bald", "typical", "typical-fixed",
        "typical-random", "typical-entropy")
#: the arms that pick as typical-fixed until --typical-until labels, then by the rule after the dash
HYBRIDS = ("typical-random", "typical-entropy")
#: paired differences reported (run by run, same order and seed), where both arms ran
PAIRS = (("entropy", "random"), ("entropy-pseudo", "entropy"), ("random-pseudo", "random"),
         ("entropy-pseudo", "random"), ("bald", "random"), ("bald", "entropy"), ("typical", "random"),
         ("typical", "entropy"), ("typical-fixed", "random"), ("typical-fixed", "entropy"),
         ("typical-random", "random"), ("typical-random", "typical-fixed"), ("typical-entropy", "random"),
         ("typical-entropy", "typical-fixed"), ("typical-entropy", "typical-random"))


def _scores(y01: np.ndarray, p: np.ndarray) -> dict:
    """Accuracy (P >= 0.5), ROC AUC and F1 of the cluster class on the test cutouts."""
    return {"accuracy": float(np.mean((p >= 0.5) == y01)), "auc": float(roc_auc_score(y01, p)),
            "f1": float(f1_score(y01, p >= 0.5))}


def _train_predict(cfg, cs, rows, predict_rows, seed, init_from=None, pseudo=None, raw=None, mi_rows=None,
                   mi=None, feat_rows=None, feats=None):
    """Train on ``rows`` (from scratch, or from ``init_from``'s weights); P(cluster) of ``predict_rows``.

    ``pseudo``: (rows, classes) trained on as well, never validated on (pseudo-labels). ``raw``: a
    list that gets the raw (uncalibrated) P(cluster) of every ``predict_rows`` entry. ``mi``: a
    list that gets the per-cutout mutual information over the 8 TTA views of ``mi_rows``.
    ``feats``: a list that gets the model's penultimate features of ``feat_rows`` (``[n, F]``).
    """
    from starclass.learn.checkpoint import load_model
    from starclass.learn.classify import predict_inputs
    from starclass.learn.cutouts import fit_cutouts
    from starclass.learn.embedding import penultimate_features
    from starclass.stamps.images import cutout_inputs

    with tempfile.TemporaryDirectory(prefix="active_real_") as tmp:
        prow, pcls = (None, None) if pseudo is None or not len(pseudo[0]) else pseudo
        res = fit_cutouts(cfg, cs, outdir=tmp, train_index=np.sort(rows), seed=seed, progress=False,
                          resume=False, device="cpu", init_from=init_from, pseudo_index=prow, pseudo_classes=pcls)
        model = load_model(tmp, device="cpu")
        k = cfg.classes.index(1)
        out = []
        for r in predict_rows:
            e = predict_inputs(model, cutout_inputs(cs.images[r], cfg), device="cpu") if len(r) else None
            out.append(e.prob_mean[:, k] if e is not None else np.zeros(0))
            if raw is not None:
                raw.append((e.prob_raw if e.prob_raw is not None else e.prob_mean)[:, k] if e is not None
                           else np.zeros(0))
        if mi is not None and mi_rows is not None and len(mi_rows):
            # a second pass with TTA, so that the probabilities every arm is scored on stay without it
            e = predict_inputs(model, cutout_inputs(cs.images[mi_rows], cfg), device="cpu", tta=True)
            mi.append(e.mutual_info)
        if feats is not None and feat_rows is not None and len(feat_rows):
            feats.append(penultimate_features(model, cutout_inputs(cs.images[feat_rows], cfg), device="cpu"))
    return out, len(res.histories[0])


def _object_means(p: np.ndarray, rows_list: list) -> np.ndarray:
    """An object's probability: the mean over its cutouts (``p`` holds the cutouts of ``rows_list`` in order)."""
    bounds = np.cumsum([0] + [r.size for r in rows_list])
    return np.array([p[a:b].mean() for a, b in zip(bounds[:-1], bounds[1:])])


def _pseudo_round(cfg, cs, objects, rows_of, rest, p_raw_prev, threshold):
    """Pseudo-labels of the unlabelled objects ``rest`` from the previous model's raw P(cluster).

    Uses :func:`starclass.suggest.pseudo_labels` on a table of the objects (id = the object's
    index in the pool, ``prob_<k>`` the mean over its cutouts); returns the cutout rows, their
    classes and what to store (how many, per class, how many wrong against the folder's label).
    """
    from astropy.table import Table

    from starclass.io.cutout_folders import label_classes
    from starclass.schema import CLASS_REF, prob_col
    from starclass.suggest import pseudo_labels

    if p_raw_prev is None or not rest.size:  # the first round has no earlier model
        return np.zeros(0, np.int64), np.zeros(0, np.int64), {"n_pseudo": 0, "n_pseudo_cutouts": 0,
                                                              "n_pseudo_wrong": 0, "pseudo_per_class": {}}
    k1 = cfg.classes.index(1)
    other = cfg.classes[1 - k1]
    pc = np.array([p_raw_prev[i] for i in rest])
    table = Table({"id": rest, prob_col(1): pc, prob_col(other): 1 - pc})
    got = pseudo_labels(table, min_confidence=threshold)
    truth = label_classes(cs, cfg.label_map)
    rows, classes, wrong = [], [], 0
    for i, c in zip(np.asarray(got["id"]), np.asarray(got[CLASS_REF])):
        r = rows_of[objects[i]]
        rows.append(r)
        classes.append(np.full(r.size, int(c)))
        wrong += int(np.any(truth[r] != int(c)))  # an object is wrong when its label is another class
    rows = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    classes = np.concatenate(classes) if classes else np.zeros(0, np.int64)
    info = {"n_pseudo": len(got), "n_pseudo_cutouts": int(rows.size), "n_pseudo_wrong": wrong,
            "pseudo_per_class": {str(k): v for k, v in got.meta["pseudo_labels"]["per_class"].items()}}
    return rows, classes, info


def _pseudo_curve(cfg, cs, ytest, test_rows, objects, rows_of, order, start, grid, batch, seed, by, threshold,
                  init_from=None):
    """One pseudo-label run (CEAL): people's labels as the ``by`` arm picks them, plus pseudo-labels.

    ``by`` = ``random``: the first n objects of ``order``; ``entropy``: from the first ``start``,
    the ``batch`` most uncertain of each model. Every model after the first is also trained on
    the unlabelled objects the previous model's raw P puts at or above ``threshold``
    (recomputed each round, never validated on); the first model is the plain arm's.
    """
    from starclass.suggest import entropy, pick

    labelled = list(order[:start])
    p_raw_prev = None
    curve = []
    for n in grid:
        if by == "random":
            labelled = list(order[:n])
        assert len(labelled) == n
        rest = np.setdiff1d(np.arange(objects.size), labelled)
        rest_rows = [rows_of[objects[i]] for i in rest]
        flat = np.concatenate(rest_rows) if rest.size else np.zeros(0, dtype=np.int64)
        rows = np.concatenate([rows_of[objects[i]] for i in labelled])
        prow, pcls, info = _pseudo_round(cfg, cs, objects, rows_of, rest, p_raw_prev, threshold)
        raw: list = []
        (p, ppool), ep = _train_predict(cfg, cs, rows, [test_rows, flat], seed, init_from, pseudo=(prow, pcls),
                                        raw=raw)
        curve.append(dict(_scores(ytest, p), labels=n, epochs=ep, **info))
        p_raw_prev = dict(zip(rest.tolist(), _object_means(raw[1], rest_rows))) if rest.size else None
        if by == "entropy" and rest.size and n + batch <= grid[-1]:
            pc = _object_means(ppool, rest_rows)  # picked on the calibrated P, as the entropy arm
            chosen = pick(entropy(np.stack([pc, 1 - pc], axis=1)), batch)
            labelled.extend(rest[chosen].tolist())
    return curve


def _object_embedding(feats: np.ndarray, all_rows: list) -> np.ndarray:
    """Each object's embedding: the mean of its cutouts' features (``all_rows`` in ``feats``' order), unit length.

    Examples
    --------
    >>> _object_embedding(np.array([[3.0, 0], [0, 4], [2, 2]]), [np.array([0]), np.array([1, 2])]).round(3)
    array([[1.   , 0.   ],
           [0.316, 0.949]])
    """
    bounds = np.cumsum([0] + [r.size for r in all_rows])
    emb = np.stack([feats[a:b].mean(0) for a, b in zip(bounds[:-1], bounds[1:])])
    # unit length, as TypiClust's embeddings: distances compare directions, not the feature scale
    return emb / np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)


def _entropy_curve(cfg, cs, ytest, test_rows, objects, rows_of, start_idx, grid, batch, seed, init_from=None,
                   score_by="entropy", fixed_embedding=None, order=None, typical_until=None):
    """One entropy (or BALD, or typicality) run: start from ``start_idx``, each round train, score, add ``batch`` more.

    ``score_by`` = ``bald``: an object's score is the mean over its cutouts of the per-cutout
    mutual information over the 8 TTA views (:func:`starclass.suggest.mutual_information`).
    ``score_by`` = ``typical``: no score; :func:`starclass.suggest.typical_pick` (seed = the
    training seed) on every pool object's embedding, the mean over its cutouts of the model's
    penultimate features, L2-normalised, with the labelled objects as its labels.
    ``score_by`` = ``typical-fixed``: the same pick in ``fixed_embedding`` (``[objects, F]``, one
    embedding for every round, e.g. the ``init_from`` model's), no features from the round's model.
    ``score_by`` = ``typical-random`` / ``typical-entropy`` (hybrids): the ``typical-fixed`` pick
    while fewer than ``typical_until`` objects are labelled (a grid point, so no round mixes the
    rules), then ``typical-random`` the next ``batch`` objects of ``order`` not labelled yet,
    ``typical-entropy`` the ``batch`` most uncertain (as ``entropy``).
    """
    from starclass.suggest import entropy, pick, typical_pick

    labelled = list(start_idx)
    curve = []
    for n in grid:
        assert len(labelled) == n
        rest = np.setdiff1d(np.arange(objects.size), labelled)
        rest_rows = [rows_of[objects[i]] for i in rest]
        flat = np.concatenate(rest_rows) if rest.size else np.zeros(0, dtype=np.int64)
        rows = np.concatenate([rows_of[objects[i]] for i in labelled])
        more = bool(rest.size and n + batch <= grid[-1])
        mi: list = []
        feats: list = []
        all_rows = [rows_of[o] for o in objects]
        (p, ppool), ep = _train_predict(cfg, cs, rows, [test_rows, flat], seed, init_from,
                                        mi_rows=flat if score_by == "bald" and more else None, mi=mi,
                                        feat_rows=np.concatenate(all_rows) if score_by == "typical" and more else None,
                                        feats=feats)
        curve.append(dict(_scores(ytest, p), labels=n, epochs=ep))
        rule = score_by
        if score_by in HYBRIDS:
            rule = "typical-fixed" if n < typical_until else score_by.removeprefix("typical-")
        if more and rule == "typical-fixed":
            labelled.extend(typical_pick(fixed_embedding, batch, labelled=np.asarray(labelled), seed=seed).tolist())
        elif more and rule == "random":
            taken = set(labelled)  # the run's order, skipping what typicality already labelled
            labelled.extend([i for i in np.asarray(order).tolist() if i not in taken][:batch])
        elif more and score_by == "typical":
            emb = _object_embedding(feats[0], all_rows)
            labelled.extend(typical_pick(emb, batch, labelled=np.asarray(labelled), seed=seed).tolist())
        elif more:
            if rule == "bald":
                score = _object_means(mi[0], rest_rows)  # the mean of its cutouts' MI
            else:
                # an object's probability: the mean over its cutouts; its score: that mean's entropy
                pc = _object_means(ppool, rest_rows)
                score = entropy(np.stack([pc, 1 - pc], axis=1))
            chosen = pick(score, batch)  # no magnitude bins: the cutouts have no magnitude
            labelled.extend(rest[chosen].tolist())
    return curve


def parse_runs(text: str | None, n_orders: int, seeds: list[int]) -> list[tuple[int, int]]:
    """The (random order, training seed) pairs to run: ``"0:0,1:1"``, or every order with every seed.

    Examples
    --------
    >>> parse_runs(None, 2, [0, 1])
    [(0, 0), (0, 1), (1, 0), (1, 1)]
    >>> parse_runs("0:0, 2:5", 3, [0])
    [(0, 0), (2, 5)]
    """
    if not text:
        return [(o, s) for o in range(n_orders) for s in seeds]
    pairs = []
    for item in text.split(","):
        try:
            o, s = (int(v) for v in item.split(":"))
        except ValueError:
            raise ValueError(f"--runs: {item.strip()!r} is not ORDER:SEED (e.g. 0:0,1:1)") from None
        if o < 0:
            raise ValueError(f"--runs: order {o} is negative")
        pairs.append((o, s))
    return pairs


def check_counts(args: argparse.Namespace) -> str | None:
    """What is wrong with the run's counts and folds (None: nothing), said before any data is read.

    ``--folds 0,x`` or a fold beyond ``--n-folds`` failed with a traceback after the cutouts
    were read and the output folder made; ``--batch 0`` never reached ``--max-labels``.

    Examples
    --------
    >>> ns = argparse.Namespace(folds="0,1", n_folds=5, start=40, batch=40, max_labels=400, random_orders=3,
    ...                         train_seeds=1, ref_seeds=None, epochs=None, threads=1)
    >>> check_counts(ns) is None
    True
    >>> check_counts(argparse.Namespace(**{**vars(ns), "folds": "0,5"}))
    '--folds 0,5: fold 5 is not one of the 5 folds (0-4)'
    """
    for name in ("start", "batch", "max_labels", "random_orders", "train_seeds", "threads"):
        if getattr(args, name) < 1:
            return f"--{name.replace('_', '-')} must be at least 1, got {getattr(args, name)}"
    if args.epochs is not None and args.epochs < 1:
        return f"--epochs must be at least 1, got {args.epochs}"
    if args.ref_seeds is not None and args.ref_seeds < 0:
        return f"--ref-seeds must be at least 0, got {args.ref_seeds}"
    if args.max_labels < args.start:
        return f"--max-labels {args.max_labels} is below --start {args.start}: no round would run"
    if args.n_folds < 2:
        return f"--n-folds must be at least 2 (one fold tests, the others are the pool), got {args.n_folds}"
    try:
        folds = [int(f) for f in args.folds.split(",")]
    except ValueError:
        return f"--folds {args.folds}: expected fold numbers separated by commas (e.g. 0,1,2)"
    for f in folds:
        if not 0 <= f < args.n_folds:
            return f"--folds {args.folds}: fold {f} is not one of the {args.n_folds} folds (0-{args.n_folds - 1})"
    return None


class Fold:
    """One grouped fold: its pool of objects (the training part) and its test cutouts."""

    def __init__(self, k: int, cs, y01, folds, args):
        from starclass.learn.config import get_preset

        self.k = k
        self.cs = cs
        # --epochs only shortens the preset's recipe for a quick look (and the tests)
        self.cfg = get_preset("m31-real", recipe={"epochs": args.epochs}) if args.epochs else get_preset("m31-real")
        self.pool_rows = np.flatnonzero(folds != k)
        self.test_rows = np.flatnonzero(folds == k)
        groups = np.asarray(cs.groups).astype(str)
        self.objects = np.unique(groups[self.pool_rows])
        self.rows_of = {g: self.pool_rows[groups[self.pool_rows] == g] for g in self.objects}
        self.ytest = y01[self.test_rows]
        self.grid = list(range(args.start, min(args.max_labels, self.objects.size) + 1, args.batch))
        self.args = args

    def order(self, o: int) -> np.ndarray:
        """Random order ``o`` of the pool's objects (the same for every seed and every call)."""
        rng = np.random.default_rng(1000 + self.k)
        orders = [rng.permutation(self.objects.size) for _ in range(o + 1)]
        return orders[o]

    def header(self) -> dict:
        return {"fold": self.k, "n_pool_objects": int(self.objects.size), "n_pool_cutouts": int(self.pool_rows.size),
                "n_test_cutouts": int(self.test_rows.size), "grid": self.grid, "start": self.args.start,
                "batch": self.args.batch, "epochs_max": int(self.cfg.recipe.epochs),
                "init_from": None if self.args.init_from is None else str(self.args.init_from)}

    def pseudo_curve(self, o: int, seed: int, by: str) -> list[dict]:
        """The ``by`` arm (random or entropy) of order ``o`` with pseudo-labels (``--pseudo-threshold``)."""
        return _pseudo_curve(self.cfg, self.cs, self.ytest, self.test_rows, self.objects, self.rows_of,
                             self.order(o), self.args.start, self.grid, self.args.batch, seed, by,
                             self.args.pseudo_threshold, self.args.init_from)

    def random_curve(self, o: int, seed: int) -> list[dict]:
        """The first n objects of order ``o``, for every n of the grid."""
        order = self.order(o)
        curve = []
        for n in self.grid:
            rows = np.concatenate([self.rows_of[self.objects[i]] for i in order[:n]])
            (p,), ep = _train_predict(self.cfg, self.cs, rows, [self.test_rows], seed, self.args.init_from)
            curve.append(dict(_scores(self.ytest, p), labels=n, epochs=ep))
        return curve

    def entropy_curve(self, o: int, seed: int) -> list[dict]:
        """From the first ``start`` objects of order ``o`` (the random arm's start), the most uncertain each round."""
        return _entropy_curve(self.cfg, self.cs, self.ytest, self.test_rows, self.objects, self.rows_of,
                              self.order(o)[: self.args.start], self.grid, self.args.batch, seed,
                              self.args.init_from)

    def bald_curve(self, o: int, seed: int) -> list[dict]:
        """As :meth:`entropy_curve`, ranked by the objects' mutual information over TTA views (BALD)."""
        return _entropy_curve(self.cfg, self.cs, self.ytest, self.test_rows, self.objects, self.rows_of,
                              self.order(o)[: self.args.start], self.grid, self.args.batch, seed,
                              self.args.init_from, score_by="bald")

    def typical_curve(self, o: int, seed: int) -> list[dict]:
        """From the random arm's start, the most typical object of each largest unlabelled cluster (TypiClust)."""
        return _entropy_curve(self.cfg, self.cs, self.ytest, self.test_rows, self.objects, self.rows_of,
                              self.order(o)[: self.args.start], self.grid, self.args.batch, seed,
                              self.args.init_from, score_by="typical")

    def fixed_embedding(self) -> np.ndarray:
        """The ``--init-from`` model's embedding of every pool object (``[objects, F]``), made once per fold."""
        if getattr(self, "_fixed", None) is None:
            from starclass.learn.embedding import penultimate_features
            from starclass.stamps.images import cutout_inputs

            all_rows = [self.rows_of[g] for g in self.objects]
            feats = penultimate_features(self.args.init_from, cutout_inputs(self.cs.images[np.concatenate(all_rows)],
                                                                             self.cfg), device="cpu")
            self._fixed = _object_embedding(feats, all_rows)
        return self._fixed

    def typical_fixed_curve(self, o: int, seed: int) -> list[dict]:
        """TypiClust in the ``--init-from`` model's fixed embedding, the first ``start`` objects too.

        The order ``o`` is not used: with no model trained yet, the start is the ``start`` most
        typical objects of as many k-means clusters (seed = the training seed).
        """
        from starclass.suggest import typical_pick

        emb = self.fixed_embedding()
        start = typical_pick(emb, self.args.start, seed=seed)
        return _entropy_curve(self.cfg, self.cs, self.ytest, self.test_rows, self.objects, self.rows_of,
                              start, self.grid, self.args.batch, seed, self.args.init_from,
                              score_by="typical-fixed", fixed_embedding=emb)

    def typical_hybrid_curve(self, o: int, seed: int, arm: str) -> list[dict]:
        """``arm`` of :data:`HYBRIDS`: the typical-fixed picks until ``--typical-until`` labels, then its own rule.

        The start and every pick before ``--typical-until`` are those of :meth:`typical_fixed_curve`
        with the same seed; after it ``typical-random`` takes the next objects of order ``o`` not
        labelled yet, ``typical-entropy`` the most uncertain under the round's model.
        """
        from starclass.suggest import typical_pick

        emb = self.fixed_embedding()
        start = typical_pick(emb, self.args.start, seed=seed)
        return _entropy_curve(self.cfg, self.cs, self.ytest, self.test_rows, self.objects, self.rows_of,
                              start, self.grid, self.args.batch, seed, self.args.init_from,
                              score_by=arm, fixed_embedding=emb, order=self.order(o),
                              typical_until=self.args.typical_until)

    def reference(self, seed: int) -> dict:
        """The same network trained on the whole pool ("random with all labels")."""
        (p,), ep = _train_predict(self.cfg, self.cs, self.pool_rows, [self.test_rows], seed, self.args.init_from)
        return dict(_scores(self.ytest, p), labels=int(self.objects.size), epochs=ep, seed=seed)


def _write_json(path: Path, obj: dict) -> None:
    from starclass.learn.provenance import library_versions

    tmp = path.with_suffix(".tmp")
    # the versions tell a rerun's environment change from a code change
    tmp.write_text(json.dumps({**obj, "versions": obj.get("versions") or library_versions()}))
    os.replace(tmp, path)  # a half-written file never looks finished


def run_units(fold_ids, runs, ref_seeds, arms, cs, y01, folds, args, out: Path) -> None:
    """Every (order, seed) run over every fold (a seed's references before its first run), each piece a file.

    Run by run rather than fold by fold, so that a job stopped early leaves the folds balanced.
    A piece whose file exists is skipped (a stopped job resumes): ``fold<k>_ref_s<seed>.json``,
    ``fold<k>_o<o>_s<seed>_<arm>.json``.
    """
    fold_of = {k: Fold(k, cs, y01, folds, args) for k in fold_ids}
    jobs, refs = [], list(ref_seeds)
    for o, seed in runs:
        if seed in refs:  # a seed's references just before its first run, so each run has its reference
            refs.remove(seed)
            jobs += [(k, None, seed, "reference") for k in fold_ids]
        jobs += [(k, o, seed, arm) for k in fold_ids for arm in arms]
    jobs += [(k, None, seed, "reference") for seed in refs for k in fold_ids]
    t0 = time.perf_counter()
    for k, o, seed, arm in jobs:
        f = fold_of[k]
        path = out / (f"fold{k}_ref_s{seed}.json" if arm == "reference" else f"fold{k}_o{o}_s{seed}_{arm}.json")
        if path.exists():
            continue
        t1 = time.perf_counter()
        if arm == "reference":
            r = f.reference(seed)
            res, what = {"reference": [r]}, f"all {f.objects.size} objects {r['accuracy']:.3f}"
        else:
            if arm.endswith("-pseudo"):
                curve = f.pseudo_curve(o, seed, arm.removesuffix("-pseudo"))
            elif arm in HYBRIDS:
                curve = f.typical_hybrid_curve(o, seed, arm)
            else:
                curve = {"random": f.random_curve, "bald": f.bald_curve, "typical": f.typical_curve,
                         "typical-fixed": f.typical_fixed_curve}.get(arm, f.entropy_curve)(o, seed)
            res = {"order": o, "seed": seed, "arm": arm, arm: [curve]}
            if arm in HYBRIDS:
                res["typical_until"] = f.args.typical_until  # where the rule changes
            if arm.endswith("-pseudo"):
                res["pseudo_threshold"] = f.args.pseudo_threshold
                res["pseudo_probabilities"] = "raw"
            what = " ".join(f"{c['labels']}:{c['accuracy']:.3f}"
                            + (f"(+{c['n_pseudo']}p,{c['n_pseudo_wrong']}w)" if c.get("n_pseudo") else "")
                            for c in curve)
        res = dict(f.header(), **res, seconds=time.perf_counter() - t1, loadavg=os.getloadavg()[0])
        _write_json(path, res)
        print(f"{path.name}: {what}  ({res['seconds']:.0f} s, total {time.perf_counter() - t0:.0f} s, "
              f"load {res['loadavg']:.1f})", flush=True)


def labels_needed(grid, curve_mean, target):
    """The first number of labels whose fold-mean reaches ``target`` (None: never within the grid).

    Examples
    --------
    >>> labels_needed([10, 20, 30], [0.5, 0.8, 0.9], 0.8), labels_needed([10, 20], [0.5, 0.7], 0.8)
    (20, None)
    """
    for n, v in zip(grid, curve_mean):
        if v >= target:
            return n
    return None


def labels_needed_linear(grid, curve, target):
    """Labels at which ``curve`` first reaches ``target``, linear between the two grid points around it.

    The first grid point at or above ``target`` and the one before it (below, by construction)
    are joined by a straight line; a curve already at ``target`` at its first point gives that
    point, one that never reaches it None.

    Examples
    --------
    >>> round(labels_needed_linear([100, 200, 300], [0.70, 0.76, 0.84], 0.80), 6)
    250.0
    >>> labels_needed_linear([100, 200], [0.9, 0.95], 0.8), labels_needed_linear([100, 200], [0.7, 0.75], 0.8)
    (100.0, None)
    """
    for i, (n, v) in enumerate(zip(grid, curve)):
        if v >= target:
            if i == 0:
                return float(n)
            n0, v0 = grid[i - 1], curve[i - 1]
            return float(n0 + (target - v0) * (n - n0) / (v - v0))
    return None


def _load_runs(folder: Path, same_model: dict | None = None) -> dict:
    """Every fold file of ``folder``, by fold: curves keyed by (order, seed) per arm, and the references.

    ``same_model`` maps a starting model's path to another path of the same model (a rebuild
    checked to be identical, e.g. at another scratch path): the files naming either are one
    experiment; otherwise files that name different ``init_from`` paths are refused.

    Reads the one-file-per-piece layout (``fold<k>_o<o>_s<seed>_<arm>.json``, ``fold<k>_ref_s<seed>.json``)
    and the first version's one file per fold (``fold<k>.json``: random orders 0.., one entropy
    curve from order 0, all at training seed 0).
    """
    files = sorted(folder.glob("fold*.json"))
    if not files:
        raise ValueError(f"no fold*.json in {folder}")
    folds: dict[int, dict] = {}
    starts = set()
    thresholds = set()
    switches = set()
    for f in files:
        d = json.loads(f.read_text())
        starts.add((same_model or {}).get(d.get("init_from"), d.get("init_from")))
        if "pseudo_threshold" in d:
            thresholds.add(float(d["pseudo_threshold"]))
        if "typical_until" in d:
            switches.add(int(d["typical_until"]))
        fd = folds.setdefault(int(d["fold"]), {"grid": None, **{a: {} for a in ARMS}, "reference": [],
                                               "n_pool_objects": d["n_pool_objects"], "seconds": 0.0})
        fd["seconds"] += float(d.get("seconds", 0.0))
        for arm in ARMS:
            for i, curve in enumerate(d.get(arm, [])):
                if "order" in d:
                    key = (int(d["order"]), int(d["seed"]))
                else:  # first version: random order i, or the entropy run from order 0, seed 0
                    key = (i if arm == "random" else 0, 0)
                grid = [c["labels"] for c in curve]
                if fd["grid"] is None:
                    fd["grid"] = grid
                elif grid != fd["grid"]:
                    raise ValueError(f"{f}: grid {grid} differs from the fold's other files {fd['grid']}")
                fd[arm][key] = curve
        fd["reference"] += d.get("reference", [])
    if len(starts) > 1:
        # a folder mixes scratch and fine-tuned runs (or two starting models): not one experiment
        raise ValueError(f"{folder}: the files start from different models {sorted(map(str, starts))}; "
                         "give each its own --out")
    if len(thresholds) > 1:
        raise ValueError(f"{folder}: pseudo-label arms with different thresholds {sorted(thresholds)}; "
                         "give each its own --out")
    if len(switches) > 1:
        raise ValueError(f"{folder}: hybrid arms with different --typical-until {sorted(switches)}; "
                         "give each its own --out")
    grids = {tuple(fd["grid"] or []) for fd in folds.values()}
    if len(grids) > 1:
        raise ValueError(f"{folder}: the folds have different grids {sorted(grids)}")
    # the reference is every fold's target; an arm may be missing on some folds (a job stopped part way,
    # a piece lost): the summary takes each arm over the folds that have it and says which lack it (a fold
    # without random was refused: "fold(s) [1] lack a reference or a random curve")
    missing = [k for k, fd in folds.items() if not fd["reference"]]
    if missing:
        raise ValueError(f"{folder}: fold(s) {missing} lack a reference (fold<k>_ref_s<seed>.json): the gap to the "
                         "all-labels reference needs it on every fold")
    return {"folds": folds, "init_from": starts.pop(), "pseudo_threshold": thresholds.pop() if thresholds else None,
            "typical_until": switches.pop() if switches else None}


def _mean_se(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean over folds (axis 0) and its standard error sd/sqrt(F) (NaN with one fold)."""
    x = np.asarray(x, dtype=float)
    se = x.std(0, ddof=1) / np.sqrt(x.shape[0]) if x.shape[0] > 1 else np.full(x.shape[1:], np.nan)
    return x.mean(0), se


def _first_at_or_above(grid, values) -> int | None:
    return next((n for n, v in zip(grid, values) if v >= 0), None)


def summarise_metric(folds: dict, m: str) -> dict:
    """Fold-mean curves with standard errors, gaps to the all-labels reference, labels needed, for metric ``m``.

    Each fold's curve is the mean over its runs (random orders x training seeds), its reference
    the mean over its reference seeds; the fold-mean's standard error is the standard deviation of
    the fold curves over sqrt(number of folds). A fold curve averages its runs, so the spread of
    the fold curves holds the order and seed spread as well as the fold spread (the standard
    error of a two-stage mean); ``run_sd`` is the spread of single runs about their fold's curve.

    An arm missing on some folds is summarised over the folds that have it (``folds``, and
    ``missing_folds``), against those folds' references (its ``target``); its labels needed are
    read against that target, and a pair of arms is compared on the folds both have.
    """
    all_ks = sorted(folds)
    grid = folds[all_ks[0]]["grid"]
    ref_of = {k: float(np.mean([r[m] for r in folds[k]["reference"]])) for k in all_ks}
    arms = [a for a in ARMS if any(folds[k][a] for k in all_ks)]
    d: dict = {"grid": grid, "arms": arms}
    ref_mu, ref_se = _mean_se(np.array([ref_of[k] for k in all_ks])[:, None])
    d["all_labels_mean"], d["all_labels_se"] = float(ref_mu[0]), float(ref_se[0])
    d["all_labels_per_fold"] = [ref_of[k] for k in all_ks]
    for arm in arms:
        ks = [k for k in all_ks if folds[k][arm]]
        ref = np.array([ref_of[k] for k in ks])
        target = float(ref.mean())
        x = np.array([np.mean([[c[m] for c in v] for v in folds[k][arm].values()], 0) for k in ks])
        mu, se = _mean_se(x)
        gap_mu, gap_se = _mean_se(x - ref[:, None])
        runs = [np.array([[c[m] for c in v] for v in folds[k][arm].values()]) for k in ks]
        dev = np.concatenate([r - r.mean(0) for r in runs])  # single runs about their fold's mean
        n_runs = sum(len(r) for r in runs)
        d[arm] = {
            "folds": ks, "missing_folds": [k for k in all_ks if k not in ks], "target": target,
            "mean": mu.tolist(), "se": se.tolist(), "per_fold": x.tolist(),
            "runs_per_fold": [len(r) for r in runs],
            # None with one run per fold: no spread to measure
            "run_sd": (np.sqrt((dev ** 2).sum(0) / (n_runs - len(runs)))).tolist() if n_runs > len(runs) else None,
            "gap_mean": gap_mu.tolist(), "gap_se": gap_se.tolist(),
            "labels_needed_grid": labels_needed(grid, mu, target),
            "labels_needed_interp": labels_needed_linear(grid, mu, target),
            # the same crossing with the gap one standard error better / worse than measured
            "labels_needed_gap_plus_se": _first_at_or_above(grid, gap_mu + gap_se),
            "labels_needed_gap_minus_se": _first_at_or_above(grid, gap_mu - gap_se),
            "labels_needed_interp_per_fold": [labels_needed_linear(grid, c, t) for c, t in zip(x, ref)],
            "reached_per_fold": [bool(np.any(c >= t)) for c, t in zip(x, ref)],
            "at_end_reached_per_fold": [bool(c[-1] >= t) for c, t in zip(x, ref)],
            "runs_reaching": sum(int(np.any(v >= t)) for r, t in zip(runs, ref) for v in r),
            "runs": n_runs,
        }
        if arm.endswith("-pseudo"):
            # pseudo-labels per model, mean over every run of every fold (objects; wrong = label differs)
            allc = [c for k in ks for v in folds[k][arm].values() for c in v]
            for key in ("n_pseudo", "n_pseudo_wrong", "n_pseudo_cutouts"):
                d[arm][key + "_mean"] = [float(np.mean([c[key] for c in allc if c["labels"] == n])) for n in grid]
            tot = [sum(c["n_pseudo"] for c in allc if c["labels"] == n) for n in grid]
            bad = [sum(c["n_pseudo_wrong"] for c in allc if c["labels"] == n) for n in grid]
            d[arm]["pseudo_wrong_fraction"] = [b / t if t else None for b, t in zip(bad, tot)]
    # paired by fold and run: entropy minus random where both ran with the same order and seed
    diff = []
    for k in all_ks:
        keys = sorted(set(folds[k]["entropy"]) & set(folds[k]["random"]))
        if keys:
            diff.append(np.mean([[a[m] - b[m] for a, b in zip(folds[k]["entropy"][q], folds[k]["random"][q])]
                                 for q in keys], 0))
    if diff:
        mu, se = _mean_se(np.array(diff))
        d["entropy_minus_random"] = {"mean": mu.tolist(), "se": se.tolist(), "folds": len(diff)}
    d["paired"] = {}
    for a, b in PAIRS:
        if a in arms and b in arms:
            # on the folds where both ran some run with the same order and seed (an empty fold gave NaN)
            both = {k: sorted(set(folds[k][a]) & set(folds[k][b])) for k in all_ks}
            diff = [np.mean([[x[m] - y[m] for x, y in zip(folds[k][a][q], folds[k][b][q])] for q in qs], 0)
                    for k, qs in both.items() if qs]
            if diff:
                mu, se = _mean_se(np.array(diff))
                d["paired"][f"{a} - {b}"] = {"mean": mu.tolist(), "se": se.tolist(), "folds": len(diff)}
    return d


def _fmt(v, digits=0):
    return "never" if v is None else f"{v:.{digits}f}"


def parse_same_model(items: list[str] | None) -> dict:
    """``--same-model OLD=NEW`` pairs as a map NEW -> OLD (a piece naming NEW counts as started from OLD).

    Examples
    --------
    >>> parse_same_model(["/tmp/a/sim_model=/tmp/b/sim_model"])
    {'/tmp/b/sim_model': '/tmp/a/sim_model'}
    >>> parse_same_model(None)
    {}
    """
    out = {}
    for item in items or []:
        old, sep, new = item.partition("=")
        if not sep or not old or not new:
            raise ValueError(f"--same-model {item!r}: expected OLD=NEW (two paths of one model)")
        out[new] = old
    return out


def summarise(args) -> int:
    try:
        same = parse_same_model(args.same_model)
        loaded = _load_runs(Path(args.out), same)
    except ValueError as exc:
        print(f"trust_active_real.py: error: {exc}", file=sys.stderr)
        return 2
    folds = loaded["folds"]
    ks = sorted(folds)
    grid = folds[ks[0]]["grid"]
    n_obj = [folds[k]["n_pool_objects"] for k in ks]
    summary = {"folds": ks, "grid": grid, "n_pool_objects": n_obj, "init_from": loaded["init_from"],
               # the rebuilt model's path, counted as the same model (--same-model)
               "same_model": [[a, b] for b, a in same.items()] or None,
               "pseudo_threshold": loaded["pseudo_threshold"], "typical_until": loaded["typical_until"],
               # 0 on a fold without the arm (an arm missing on some folds was left out, or refused if random)
               "runs_per_fold": {a: [len(folds[k][a]) for k in ks] for a in ARMS if any(folds[k][a] for k in ks)},
               "reference_seeds_per_fold": [len(folds[k]["reference"]) for k in ks],
               "seconds_per_fold": [folds[k]["seconds"] for k in ks], "metrics": {}}
    summary["missing_folds"] = {a: [k for k, n in zip(ks, v) if not n] for a, v in summary["runs_per_fold"].items()
                                if not all(v)}
    lines = [f"{len(ks)} folds; runs per fold: "
             + ", ".join(f"{a} {v}" for a, v in summary["runs_per_fold"].items())
             + f"; reference seeds {summary['reference_seeds_per_fold']}"]
    for arm, gone in summary["missing_folds"].items():
        have = [k for k in ks if k not in gone]
        lines.append(f"missing: {arm} on fold(s) {', '.join(map(str, gone))}: summarised over fold(s) "
                     f"{', '.join(map(str, have))} only, against their references; pairs with it on the folds "
                     "both have")

    def label(arm: str) -> str:
        gone = summary["missing_folds"].get(arm)
        return f"{arm} ({len(ks) - len(gone)} of {len(ks)} folds)" if gone else arm
    for m in ("accuracy", "auc", "f1"):
        d = summarise_metric(folds, m)
        summary["metrics"][m] = d
        lines.append(f"\n{m}: all {np.mean(n_obj):.0f} pool objects (random, all labels) "
                     f"{d['all_labels_mean']:.3f} ± {d['all_labels_se']:.3f} (fold mean ± s.e.)")
        pairs = list(d["paired"])
        lines.append("| labels (objects) | " + " | ".join(map(label, d["arms"])) + " | "
                     + " | ".join(f"{p} (paired" + (f", {d['paired'][p]['folds']} of {len(ks)} folds)"
                                                     if d["paired"][p]["folds"] < len(ks) else ")") for p in pairs)
                     + " |\n|"
                     + "---|" * (1 + len(d["arms"]) + len(pairs)))
        for i, n in enumerate(grid):
            lines.append(f"| {n} | " + " | ".join(f"{d[a]['mean'][i]:.3f} ± {d[a]['se'][i]:.3f}" for a in d["arms"])
                         + " | " + " | ".join(f"{d['paired'][p]['mean'][i]:+.3f} ± {d['paired'][p]['se'][i]:.3f}"
                                              for p in pairs) + " |")
        for arm in d["arms"]:
            a = d[arm]
            against = (f" (against its folds' reference {a['target']:.3f})" if a["missing_folds"] else "")
            lines.append(f"{label(arm)}: labels needed{against} (fold mean, linear between grid points) "
                         f"{_fmt(a['labels_needed_interp'])}, first grid point {_fmt(a['labels_needed_grid'])}; "
                         f"with the gap to the reference +1 s.e. / -1 s.e.: "
                         f"{_fmt(a['labels_needed_gap_plus_se'])} / {_fmt(a['labels_needed_gap_minus_se'])}; "
                         f"per fold {[_fmt(v) for v in a['labels_needed_interp_per_fold']]}; "
                         f"runs reaching their fold's reference {a['runs_reaching']}/{a['runs']}; "
                         "single-run sd about the fold curve "
                         + (" ".join(f"{v:.3f}" for v in a["run_sd"]) if a["run_sd"] else "n/a (one run per fold)")
                         + "; gap to the reference "
                         + " ".join(f"{g:+.3f}±{e:.3f}" for g, e in zip(a["gap_mean"], a["gap_se"])))
            if "n_pseudo_mean" in a and m == "accuracy":
                lines.append(f"{arm}: pseudo-labelled objects per model (mean) "
                             + " ".join(f"{v:.0f}" for v in a["n_pseudo_mean"]) + "; wrong "
                             + " ".join(f"{v:.1f}" for v in a["n_pseudo_wrong_mean"]) + " (fraction "
                             + " ".join("-" if v is None else f"{v:.3f}" for v in a["pseudo_wrong_fraction"]) + ")")
    print("\n".join(lines))
    if args.json:
        tmp = Path(args.json).with_suffix(".tmp")
        tmp.write_text(json.dumps(summary, indent=1))
        os.replace(tmp, args.json)
        print(f"wrote {args.json}")
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
        for ax, m in zip(axes, ("accuracy", "auc")):
            d = summary["metrics"][m]
            style = {"entropy": ("C3", "o-"), "random": ("C0", "o-"), "entropy-pseudo": ("C1", "s--"),
                     "random-pseudo": ("C2", "s--"), "bald": ("C4", "^-"), "typical": ("C5", "D-"),
                     "typical-fixed": ("C6", "D-"), "typical-random": ("C8", "v-"),
                     "typical-entropy": ("C9", "v--")}
            for arm in d["arms"]:
                col, ls = style[arm]
                mu, se = np.array(d[arm]["mean"]), np.array(d[arm]["se"])
                ax.plot(grid, mu, ls, color=col, label=label(arm), ms=3)
                ax.fill_between(grid, mu - se, mu + se, color=col, alpha=0.15)
            ax.axhline(d["all_labels_mean"], color="k", ls="--", lw=1,
                       label=f"random, all {np.mean(n_obj):.0f} labels")
            ax.axhspan(d["all_labels_mean"] - d["all_labels_se"], d["all_labels_mean"] + d["all_labels_se"],
                       color="k", alpha=0.08)
            ax.axvline(np.mean(n_obj) / 2, color="grey", ls=":", lw=1, label="half the pool")
            ax.set_xlabel("labelled objects")
            ax.set_ylabel({"accuracy": "accuracy", "auc": "ROC AUC"}[m])
        axes[0].legend(fontsize=7, loc="lower right")
        # runs per fold over the arms and folds that ran (random may be missing on some folds, or all)
        runs = [n for v in summary["runs_per_fold"].values() for n in v if n]
        start = "fine-tuned from a simulation model" if loaded["init_from"] else "from scratch"
        n_runs = str(min(runs)) if min(runs) == max(runs) else f"{min(runs)}-{max(runs)}"
        fig.suptitle(f"Active learning on the real PAndAS cutouts ({len(ks)} grouped folds x {n_runs} "
                     f"runs, {start}; fold mean ± s.e.)", fontsize=9)
        fig.tight_layout()
        fig.savefig(args.plot, dpi=90)
        print(f"wrote {args.plot}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    default_data = next((p for p in (ROOT.parent / "shared" / "data" / "pandas-m31",
                                     ROOT.parents[1] / "shared" / "data" / "pandas-m31") if p.is_dir()),
                        ROOT.parent / "shared" / "data" / "pandas-m31")
    ap.add_argument("--data", default=str(default_data), help="the pandas-m31 folder (labels.csv inside)")
    ap.add_argument("--folds", default="0,1,2,3,4", help="folds to run (0-based)")
    ap.add_argument("--n-folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0, help="seed of the folds and of every training")
    ap.add_argument("--start", type=int, default=40, help="objects labelled at the start (random)")
    ap.add_argument("--batch", type=int, default=40, help="objects added per round")
    ap.add_argument("--max-labels", type=int, default=400, help="last number of labelled objects")
    ap.add_argument("--random-orders", type=int, default=3, help="random orders per fold")
    ap.add_argument("--train-seeds", type=int, default=1,
                    help="training seeds SEED..SEED+K-1: each order is run with each, the same for both arms")
    ap.add_argument("--ref-seeds", type=int, default=None,
                    help="training seeds of the all-labels reference (default: --train-seeds)")
    ap.add_argument("--runs", default=None,
                    help="ORDER:SEED pairs to run, e.g. 0:0,1:1,2:2 (default: every order with every seed)")
    ap.add_argument("--arms", default="entropy,random",
                    help="arms to run: entropy, random, bald (mutual information over TTA views), typical "
                         "(TypiClust: the most typical object of each unlabelled k-means cluster), "
                         "typical-fixed (TypiClust in the --init-from model's fixed embedding, the start too), "
                         "typical-random, typical-entropy (typical-fixed's picks until --typical-until labels, "
                         "then the run's random order or entropy), "
                         "entropy-pseudo, "
                         "random-pseudo (the same people's labels plus the previous model's pseudo-labels at or "
                         "above --pseudo-threshold)")
    ap.add_argument("--pseudo-threshold", type=float, default=0.95,
                    help="pseudo-label arms: raw P of the object's class (mean over its cutouts) needed, in (0.5, 1)")
    ap.add_argument("--typical-until", type=int, default=200,
                    help="hybrid arms: labelled objects picked as typical-fixed before the other rule (a grid point)")
    ap.add_argument("--init-from", default=None,
                    help="fine-tune every model (both arms and the reference) from this saved model instead of "
                         "training from scratch (the loop of `train --resume-from`)")
    ap.add_argument("--epochs", type=int, default=None, help="epochs per training (default: the preset's 20)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results_trust_active_real"),
                    help="folder of the per-fold JSONs")
    ap.add_argument("--summarise", action="store_true", help="summarise OUT's folds (no training)")
    ap.add_argument("--json", default=None, help="summary JSON (with --summarise)")
    ap.add_argument("--plot", default=None, help="summary PNG (with --summarise)")
    ap.add_argument("--same-model", action="append", default=None, metavar="OLD=NEW",
                    help="with --summarise: pieces fine-tuned from NEW count as from OLD (a rebuild of the same "
                         "model at another path, checked identical); repeatable")
    args = ap.parse_args(argv)
    if args.summarise:
        return summarise(args)
    seeds = [args.seed + s for s in range(args.train_seeds)]
    try:
        runs = parse_runs(args.runs, args.random_orders, seeds)
    except ValueError as exc:
        ap.error(str(exc))
    if err := check_counts(args):
        ap.error(err)
    arms = [a.strip() for a in args.arms.split(",") if a.strip()]
    bad = [a for a in arms if a not in ARMS]
    if bad or not arms:
        ap.error(f"--arms: {', '.join(bad) or 'none given'}: give some of {', '.join(ARMS)}")
    if not 0.5 < args.pseudo_threshold < 1:
        ap.error(f"--pseudo-threshold must be between 0.5 and 1 (exclusive), got {args.pseudo_threshold}")
    for arm in ("typical-fixed", *HYBRIDS):
        if arm in arms and args.init_from is None:
            # its embedding is the --init-from model's; from scratch there is no model before the first label
            ap.error(f"--arms {arm} needs --init-from MODEL (its fixed embedding is that model's features)")
    if any(a in HYBRIDS for a in arms) and (args.typical_until < args.start
                                             or (args.typical_until - args.start) % args.batch):
        # off the grid, one round would have to mix the two rules
        ap.error(f"--typical-until {args.typical_until} is not a grid point (--start {args.start} plus a "
                 f"multiple of --batch {args.batch})")
    if args.init_from is not None and not Path(args.init_from).exists():
        ap.error(f"--init-from: {args.init_from} does not exist")
    if not (Path(args.data) / "labels.csv").is_file():
        ap.error(f"--data: {Path(args.data) / 'labels.csv'} not found")
    from starclass.io.cutout_folders import label_classes, read_cutout_folder
    from starclass.learn.config import get_preset
    from starclass.learn.cutouts import group_folds

    torch.set_num_threads(args.threads)
    cs = read_cutout_folder(Path(args.data) / "labels.csv", group_column="object_id")
    y = label_classes(cs, get_preset("m31-real").label_map)
    folds = group_folds(y, cs.groups, args.n_folds, seed=args.seed)
    y01 = (y == 1).astype(int)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    n_ref = args.train_seeds if args.ref_seeds is None else args.ref_seeds
    run_units([int(f) for f in args.folds.split(",")], runs, [args.seed + s for s in range(n_ref)], arms,
              cs, y01, folds, args, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
