"""Active learning on simulated fields: labels chosen by entropy against labels chosen at random.

The loop of ``starclass suggest`` -> ``inspect`` -> ``train``, with simulated people answering:
a pool of candidates on simulated HST fields starts with a small random labelled set; each
round a model is trained on every label so far, then a batch of new candidates is chosen
either by :func:`starclass.suggest.pick.suggest` (largest predictive entropy, spread over
V-magnitude bins) or at random, and the simulated people's mode for them is added. Every
round's model is scored against the truth on test fields of unseen seeds (four classes). The
reference is the same network trained on the whole pool's labels ("random with all labels");
the figure of merit is how many labels each strategy needs to reach its accuracy.

Two ways of training a round (``--retrain``):

* ``finetune`` (default, ``train --resume-from``): each round fine-tunes the previous round's
  weights (``fit(init_from=...)``) for ``--round-epochs``; the first model and the all-labels
  model train from scratch for ``--start-epochs`` / ``--all-epochs``. Cheap, but after many
  rounds a model has had more optimisation steps than the reference.
* ``scratch``: every round's model trains **from scratch** on every label so far for the same
  ``--epochs`` (with ``--lr-schedule``), as does the reference, so the strategies and the
  reference differ only in which labels they saw. ``--random-orders`` random arms (the entropy
  arm starts from the first candidates of order 0, as many as the first point of the grid) and ``--ref-seeds`` training
  seeds of the reference give the spread; the JSON is rewritten after every arm, so a stopped
  run keeps what it finished.

``--reweight start-mix`` (scratch) trains every model of the arms with per-class loss weights
(``recipe.balance="class_weights"``, ``recipe.class_mix``) that make its labelled set weigh as the
class mix of the arm's first, random, labels (the first grid point): what a user can do, since
the field's true mix is unknown but a random sample of labels estimates it. It tests whether
entropy's labels fall behind random ones because their class mix differs from the field's.
``--reweight pool-mix`` weighs them as the whole pool's labels instead (an oracle: the mix
without the sampling noise of the first labels). ``--pick entropy-by-class`` also splits each
batch of the entropy arm over the *predicted* classes in the first labels' class mix (the
highest entropy within each), so that its picks do not crowd into the classes the network
confuses.

``--arms margin`` (scratch) adds an arm that picks by margin (``suggest --by margin``: one minus
the gap between the two most probable classes) instead of entropy, from the same first labels.
``--arms bald`` (scratch) adds an arm that picks by BALD (``suggest --by mutual-info``: the mutual
information over the 8 rotations/flips of the previous model's raw probabilities, from
``predict_inputs(..., tta=True)``; ties by entropy) from the same first labels and magnitude bins;
the test fields are scored without TTA as in every arm.
``--arms entropy-pseudo,random-pseudo`` (scratch; CEAL) pick people's labels as the entropy arm
and random order 0 do, and train every model after the first also on the unlabelled pool
candidates whose raw top probability under the previous round's model is at least
``--pseudo-threshold``, with that class (:func:`starclass.suggest.pseudo_labels`; recomputed each
round, never counted as labels); the details of each model store how many and how many are
wrong against the truth and against the people's mode. The run's own table and labels-needed
lines include them, as do ``--summarise`` and ``--summarise-repeats`` (which read every arm a
run holds: entropy, margin, the pseudo-label arms and any added later).
``--summarise RUN.json [MORE.json ...]`` trains nothing: it merges runs of one pool (the first
gives the reference, later ones add arms), prints every accuracy with its standard error on the
test fields and the labels each arm needs to reach the reference, at the first grid point and
interpolated linearly between the grid points around the first crossing, and how flat the
random arm's curve is (accuracy gained per doubling of the labels), and per arm and round the share
of wrong people's labels (mode vs truth) among the picks (``picks_wrong``).

Run (docs/uncertainty.md, "Active learning")::

    nice -n 10 .venv/bin/python benchmarks/trust_active.py --threads 1 --precision bf16
    nice -n 10 .venv/bin/python benchmarks/trust_active.py --retrain scratch --pool-fields 2 \\
        --n-pool 2000 --test-fields 2 --grid 200,400,600,800,1200,1600,2000 --epochs 12 \\
        --random-orders 2 --ref-seeds 2 --threads 1 --precision bf16 --json out.json --plot out.png
    nice -n 10 .venv/bin/python benchmarks/trust_active.py --retrain scratch --pool-fields 2 \
        --n-pool 2000 --test-fields 2 --grid 200,400,600,800,1200,1600,2000 --epochs 12 \
        --random-orders 1 --ref-seeds 0 --arms entropy,random --reweight start-mix --threads 1 \
        --precision bf16 --json out.json
    nice -n 10 .venv/bin/python benchmarks/trust_active.py --retrain scratch ... --arms margin --ref-seeds 0 \
        --json margin.json
    .venv/bin/python benchmarks/trust_active.py --summarise out.json margin.json --json all.json --plot all.png
    nice -n 10 .venv/bin/python benchmarks/trust_active.py --quick     # a smoke run

From a model of other galaxies (docs/uncertainty.md, "Fine-tuned from a model of other galaxies"):
``--make-base OUT`` trains a base model on simulated fields of other galaxies (``--base-fields``,
``--base-n``, ``--base-seed``, ``--base-set KEY=VALUE`` simulator settings, ``--base-epochs``) and
saves it; ``--init-from OUT`` makes every model of the arms and the all-labels reference fine-tune
from it for ``--epochs`` (with ``--retrain scratch`` each grid point's model starts from the base
on every label so far, and the entropy/margin arms pick their first labels with the base);
``--sim-set KEY=VALUE`` sets the new galaxy's pool and test fields (e.g. ``distance_mpc=20``);
``--pool-summaries`` prints what each field holds; ``--summarise-repeats`` gives the mean and
standard error over runs that differ only in ``--seed``::

    nice -n 10 .venv/bin/python benchmarks/trust_active.py --make-base /tmp/base4mpc --base-set distance_mpc=4 \
        --threads 1 --precision bf16
    nice -n 10 .venv/bin/python benchmarks/trust_active.py --retrain scratch --init-from /tmp/base4mpc \
        --sim-set distance_mpc=20 --pool-fields 4 --test-fields 2 --grid 250,500,1000,2000 --epochs 5 \
        --arms entropy,margin,random --seed 0 --pool-summaries --threads 1 --precision bf16 --json s0.json
    .venv/bin/python benchmarks/trust_active.py --summarise-repeats s0.json s2.json --json all.json --plot all.png

The machine is shared with other jobs: timings printed are indicative only.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np
from astropy.table import Table

from starclass.learn.provenance import library_versions
from starclass.schema import CLASS_REF, ID, MUTUAL_INFO, mag_true_col, prob_col


def _simulate(seed: int, n: int, shape: int, sim_set: dict | None = None):
    from starclass.simulate import preset, simulate_field

    return simulate_field(preset("hst", seed=seed, shape=(shape, shape), n_candidates=n, **(sim_set or {})))


#: Simulator settings that have options of their own (``--*-seed``, ``--shape``, ``--n-*``): not for ``--sim-set``.
OWN_OPTIONS = {"seed": "--pool-seed / --test-seed / --base-seed", "shape": "--shape",
               "n_candidates": "--n-pool / --n-test / --base-n"}


def parse_sim_set(items: list[str] | None, option: str = "--sim-set") -> dict:
    """``KEY=VALUE`` simulator settings (``starclass.simulate.SimConfig`` fields) as a dict, checked.

    VALUE is read as JSON (numbers, true/false, null, lists; a list becomes a tuple) and
    otherwise kept as text. The settings are tried on a small ``hst`` field configuration, so
    that a bad key or value is refused before any simulation or training.

    Raises
    ------
    ValueError
        Naming the option, the item and what is wrong (no ``=``, unknown key, a key with its
        own option, a value the simulator refuses).

    Examples
    --------
    >>> parse_sim_set(["distance_mpc=20", "galaxy=NEW"])
    {'distance_mpc': 20, 'galaxy': 'NEW'}
    >>> parse_sim_set(["class_mix=[0.25, 0.25, 0.25, 0.25]"])["class_mix"]
    (0.25, 0.25, 0.25, 0.25)
    """
    import dataclasses

    from starclass.errors import StarclassError
    from starclass.simulate import SimConfig, preset

    known = {f.name for f in dataclasses.fields(SimConfig)}
    out: dict = {}
    for item in items or []:
        key, eq, text = item.partition("=")
        key = key.strip()
        if not eq or not key:
            raise ValueError(f"{option} {item!r}: expected KEY=VALUE (e.g. distance_mpc=20)")
        if key in OWN_OPTIONS:
            raise ValueError(f"{option} {item!r}: {key} is set by {OWN_OPTIONS[key]}, not by {option}")
        if key not in known:
            raise ValueError(f"{option} {item!r}: {key!r} is not a simulator setting; known: "
                             f"{', '.join(sorted(known - set(OWN_OPTIONS)))}")
        try:
            value = json.loads(text)
        except ValueError:
            value = text  # plain text, e.g. galaxy=NEW
        out[key] = tuple(value) if isinstance(value, list) else value
    try:  # the simulator's own checks, on a configuration that costs nothing to build
        preset("hst", shape=(64, 64), n_candidates=1, **out)
    except (StarclassError, TypeError, ValueError) as exc:
        raise ValueError(f"{option} {' '.join(items or [])}: the simulator refuses it: {exc}") from None
    return out


def field_summary(field, ok: np.ndarray | None = None) -> dict:
    """What a simulated field holds: candidates, labellable ones, class counts, people's mode, magnitudes.

    ``ok``: which candidates got a stamp (default all). Labellable: a stamp and a people's mode.
    Counts are per class 1-4, of the truth and of the people's mode (among the labellable);
    magnitudes are the true V (F555W) of all candidates.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> f = SimpleNamespace(config=SimpleNamespace(seed=7, distance_mpc=20.0),
    ...                     truth=Table({"id": [1, 2, 3], "class_ref": [1, 4, 4], "mag_true_f555w": [22., 23., 24.]}),
    ...                     humans=Table({"id": [1, 2], "class_ref": [1, 3]}))
    >>> s = field_summary(f)
    >>> s["labellable"], s["truth_counts"], s["people_counts"], s["people_agree"], s["mag_v_median"]
    (2, [1, 0, 0, 2], [1, 0, 1, 0], 0.5, 23.0)
    """
    truth = np.asarray(field.truth[CLASS_REF], dtype=int)
    people = _mode(field)
    if ok is not None:
        people = np.where(np.asarray(ok, dtype=bool), people, 0)
    lab = people > 0
    mag = np.asarray(field.truth[mag_true_col("f555w")], dtype=float)
    p10, p50, p90 = np.nanpercentile(mag, [10, 50, 90])
    return {"seed": int(field.config.seed), "distance_mpc": float(field.config.distance_mpc),
            "candidates": int(truth.size), "labellable": int(lab.sum()),
            "truth_counts": [int(np.sum(truth == c)) for c in (1, 2, 3, 4)],
            "people_counts": [int(np.sum(people[lab] == c)) for c in (1, 2, 3, 4)],
            "people_agree": float(np.mean(people[lab] == truth[lab])) if lab.any() else float("nan"),
            "mag_v_p10": float(p10), "mag_v_median": float(p50), "mag_v_p90": float(p90)}


def _print_summaries(what: str, summaries: list[dict]) -> None:
    print(f"{what}: field seed, distance, candidates (labellable), truth classes 1/2/3/4, people's mode 1/2/3/4 "
          "(labellable), mode = truth, true V median (10-90%)")
    for s in summaries:
        print(f"  seed {s['seed']}  {s['distance_mpc']:g} Mpc  {s['candidates']} ({s['labellable']})  "
              f"truth {'/'.join(map(str, s['truth_counts']))}  people {'/'.join(map(str, s['people_counts']))}  "
              f"agree {s['people_agree']:.3f}  V {s['mag_v_median']:.2f} ({s['mag_v_p10']:.2f}-{s['mag_v_p90']:.2f})",
              flush=True)


def _mode(field) -> np.ndarray:
    """The simulated people's mode per truth row (matched by id; 0 = nobody labelled it)."""
    hum = dict(zip(np.asarray(field.humans["id"]).tolist(), np.asarray(field.humans[CLASS_REF]).tolist()))
    return np.array([int(hum.get(int(i), 0)) for i in np.asarray(field.truth["id"])])


def labels_needed(curve: list[tuple[int, float]], target: float) -> int | None:
    """The first number of labels whose accuracy reaches ``target`` (None: never on the curve).

    Examples
    --------
    >>> labels_needed([(100, 0.5), (200, 0.61), (300, 0.6)], 0.6)
    200
    >>> labels_needed([(100, 0.5)], 0.6) is None
    True
    """
    hit = [n for n, a in curve if a >= target]
    return hit[0] if hit else None


def labels_needed_interp(curve: list[tuple[int, float]], target: float) -> float | None:
    """Labels at which ``curve`` first reaches ``target``, linear between the grid points around it.

    The crossing is the first grid point at or above ``target``; between it and the point
    before (below ``target`` by construction) accuracy is taken as linear in the number of
    labels. A curve that starts at or above ``target`` gives its first grid point (nothing to
    interpolate from); one that never reaches it gives None.

    Examples
    --------
    >>> round(labels_needed_interp([(100, 0.5), (200, 0.6), (400, 0.7)], 0.65), 6)
    300.0
    >>> labels_needed_interp([(100, 0.7), (200, 0.8)], 0.6), labels_needed_interp([(100, 0.5)], 0.6)
    (100.0, None)
    """
    for i, (n, a) in enumerate(curve):
        if a >= target:
            if i == 0:
                return float(n)
            n0, a0 = curve[i - 1]
            return float(n0 + (target - a0) * (n - n0) / (a - a0))
    return None


def accuracy_se(acc: float, n: int) -> float:
    """Binomial standard error of an accuracy measured on ``n`` test candidates.

    Examples
    --------
    >>> round(accuracy_se(0.5, 100), 3)
    0.05
    """
    return float(np.sqrt(acc * (1.0 - acc) / n))


#: What must agree between runs whose curves are merged (same pool, test fields, grid and training).
SAME_RUN = ("pool_fields", "n_pool", "shape", "pool_seed", "test_fields", "n_test", "test_seed", "seed", "epochs",
            "lr_schedule", "precision", "mag_bins", "reweight", "pick", "init_from", "sim_set")


#: How an option not set reads in a run's ``args``: absent (a run older than the option), "None", or
#: ``--sim-set``'s empty set "{}" (runs since 2026-12-03 store it; older ones lack the key).
_NOT_SET = ("None", "{}")


def _arg(run: dict, key: str) -> str:
    """A run's ``args[key]`` as compared across runs: any spelling of "not set" is "None"."""
    v = run["args"].get(key, "None")
    return "None" if v in _NOT_SET else v


def merge_runs(runs: list[dict], names: list[str]) -> dict:
    """The curves of several ``--retrain scratch`` runs of the same pool in one result.

    The first run gives the reference; later runs add the curves the first lacks (e.g. a
    ``--arms margin`` run). Runs that differ in pool, test fields, grid or training are refused.

    Examples
    --------
    >>> a = {"args": {"n_pool": "5"}, "grid": [1, 2], "n_pool": 5, "reference": {"acc": [0.5], "mean": 0.5},
    ...      "curves": {"entropy": [[1, 0.4], [2, 0.5]], "random_orders": [[[1, 0.4], [2, 0.45]]]}}
    >>> b = {"args": {"n_pool": "5"}, "grid": [1, 2], "n_pool": 5, "reference": {"acc": []},
    ...      "curves": {"margin": [[1, 0.4], [2, 0.52]], "random_orders": []}}
    >>> sorted(merge_runs([a, b], ["a", "b"])["curves"])
    ['entropy', 'margin', 'random_orders']
    """
    out = json.loads(json.dumps(runs[0]))  # a deep copy: the inputs stay as they were read
    for run, name in zip(runs[1:], names[1:]):
        for key in SAME_RUN:
            if _arg(run, key) != _arg(out, key):
                raise ValueError(f"{name}: --{key.replace('_', '-')} {run['args'].get(key)} differs from "
                                 f"{names[0]}'s {out['args'].get(key)}: not the same pool and training")
        if run["grid"] != out["grid"] or run["n_pool"] != out["n_pool"]:
            raise ValueError(f"{name}: grid {run['grid']} / pool {run['n_pool']} differ from {names[0]}'s "
                             f"{out['grid']} / {out['n_pool']}")
        added = [a for a in arm_curves(run["curves"]) if a not in out["curves"]]
        if any(a.endswith("-pseudo") for a in added):
            # the plot's label names one threshold: pseudo arms of two thresholds are not one experiment
            had = out.get("pseudo_threshold") if any(a.endswith("-pseudo") for a in arm_curves(out["curves"])) \
                else None
            if had is not None and run.get("pseudo_threshold") != had:
                raise ValueError(f"{name}: --pseudo-threshold {run.get('pseudo_threshold')} differs from the "
                                 f"{had} of the pseudo-label arms already merged")
            out["pseudo_threshold"] = run.get("pseudo_threshold")
        for arm, curve in run["curves"].items():
            if arm != "random_orders" and arm not in out["curves"]:
                out["curves"][arm] = curve
                if f"{arm}_labelled" in run:
                    out[f"{arm}_labelled"] = run[f"{arm}_labelled"]
        out.setdefault("details", {}).update({k: v for k, v in run.get("details", {}).items()
                                              if k not in out["details"]})
        out.setdefault("seconds_runs", {})[name] = run.get("seconds", {})
    return out


def arm_curves(curves: dict) -> dict[str, list]:
    """Every arm's curve of a run's ``curves``, in the order stored, less ``random_orders`` (a list of curves).

    Entropy, margin, the pseudo-label arms and any arm a later version adds: the summaries
    and plots read them all (they named entropy and margin, and dropped the others).

    Examples
    --------
    >>> list(arm_curves({"entropy": [[1, 0.5]], "random_orders": [], "entropy-pseudo": [[1, 0.6]], "x": []}))
    ['entropy', 'entropy-pseudo']
    """
    return {k: v for k, v in curves.items() if k != "random_orders" and v}


#: Marker and colour of the arms the plots know; any other arm gets one of :data:`OTHER_STYLES`.
ARM_STYLES = {"entropy": ("o-", "C3"), "margin": ("^-", "C2"), "bald": ("P-", "C5"), "random": ("s-", "C0"),
              "entropy-pseudo": ("D-", "C1"), "random-pseudo": ("v-", "C4")}
OTHER_STYLES = (("P-", "C5"), ("X-", "C6"), ("*-", "C7"), ("h-", "C8"), ("p-", "C9"))


def _style(arm: str, others: list[str]) -> tuple[str, str]:
    """The arm's marker and colour: its own, or the next free one of :data:`OTHER_STYLES` (``others`` records)."""
    if arm in ARM_STYLES:
        return ARM_STYLES[arm]
    if arm not in others:
        others.append(arm)
    return OTHER_STYLES[others.index(arm) % len(OTHER_STYLES)]


def picks_wrong(details: dict, name: str, grid: list[int]) -> list[tuple[int, int, float]] | None:
    """Share of wrong people's labels among each round's picks, from the models' cumulative ``labels_wrong``.

    ``details[f"{name}_{r:02d}"]`` holds the labels of round ``r``'s model and the share of them
    whose people's mode the truth contradicts; the count wrong (labels x share, an integer) of
    two consecutive models gives that of the picks between them exactly. The first entry is the
    first model's labels (grid point 0). None if a model of the grid has no ``labels_wrong``.

    Examples
    --------
    >>> d = {"x_00": {"labels": 10, "labels_wrong": 0.2}, "x_01": {"labels": 20, "labels_wrong": 0.25}}
    >>> picks_wrong(d, "x", [10, 20])
    [(0, 10, 0.2), (10, 20, 0.3)]
    """
    out, prev_n, prev_wrong = [], 0, 0
    for r, n in enumerate(grid):
        d = details.get(f"{name}_{r:02d}")
        if d is None or "labels_wrong" not in d or int(d.get("labels", n)) != n:
            return None if not out else out  # a stopped run: the rounds it finished
        wrong = int(round(n * float(d["labels_wrong"])))
        out.append((prev_n, n, (wrong - prev_wrong) / (n - prev_n)))
        prev_n, prev_wrong = n, wrong
    return out


def summarise(res: dict) -> dict:
    """Accuracy with its standard error, labels needed (first grid point and interpolated), flattening.

    ``res``: a (merged) ``--retrain scratch`` result. The target is the mean all-labels accuracy.
    Flattening: the random arm's accuracy gained per doubling of the labels over the last
    doublings of the grid and from half the pool to all of it.

    Examples
    --------
    >>> res = {"n_pool": 8, "n_test": 100, "grid": [2, 4], "reference": {"acc": [0.7, 0.7]},
    ...        "curves": {"entropy": [[2, 0.5], [4, 0.7]], "random_orders": [[[2, 0.5], [4, 0.6]]]}}
    >>> s = summarise(res)
    >>> s["labels_needed_interp"]["entropy"], s["labels_needed_interp"]["random_mean"]
    (4.0, None)
    >>> round(s["random_gap_last_to_all"], 3), round(s["random_gain_last_to_all_per_doubling"], 3)
    (0.1, 0.1)
    """
    n_test = int(res.get("n_test") or int(res["args"]["test_fields"]) * int(res["args"]["n_test"]))
    ref = np.asarray(res["reference"]["acc"], dtype=float)
    target = float(ref.mean())
    curves = {k: [tuple(p) for p in v] for k, v in arm_curves(res["curves"]).items()}
    rnd = res["curves"].get("random_orders", [])
    for o, c in enumerate(rnd):
        curves[f"random{o}"] = [tuple(p) for p in c]
    if rnd:
        curves["random_mean"] = [(n, float(np.mean([c[i][1] for c in rnd]))) for i, n in enumerate(res["grid"])]
    out = {"n_test": n_test, "target": target, "target_se_test": accuracy_se(target, n_test),
           "target_seed_sd": float(ref.std(ddof=1)) if ref.size > 1 else None,
           "curves": {k: [(int(n), a, accuracy_se(a, n_test)) for n, a in c] for k, c in curves.items()},
           "labels_needed_grid": {k: labels_needed(c, target) for k, c in curves.items()},
           "labels_needed_interp": {k: labels_needed_interp(c, target) for k, c in curves.items()}}
    # label noise of each round's picks (the hypothesis behind BALD: fewer wrong labels than entropy's)
    details = res.get("details", {})
    wrong = {k: picks_wrong(details, k, res["grid"]) for k in arm_curves(res["curves"])}
    wrong.update({f"random{o}": picks_wrong(details, f"random{o}", res["grid"]) for o in range(len(rnd))})
    out["picks_wrong"] = {k: v for k, v in wrong.items() if v}
    if rnd:
        rm = curves["random_mean"]
        # accuracy gained per doubling of the labels: a flat curve gains little from more labels
        out["random_gain_per_doubling"] = [
            (int(rm[i][0]), int(rm[j][0]), float((rm[j][1] - rm[i][1]) / np.log2(rm[j][0] / rm[i][0])))
            for i in range(len(rm)) for j in range(i + 1, len(rm)) if rm[j][0] == 2 * rm[i][0]]
        out["random_at_last"] = rm[-1][1]
        out["random_gap_last_to_all"] = target - rm[-1][1]
        out["random_gain_last_to_all_per_doubling"] = (
            float((target - rm[-1][1]) / np.log2(res["n_pool"] / rm[-1][0])) if res["n_pool"] > rm[-1][0] else None)
    return out


def _mean_se(values) -> tuple[float, float | None]:
    """Mean and standard error (sample standard deviation / sqrt(n)); the error is None for one value.

    Examples
    --------
    >>> _mean_se([0.5, 0.7])
    (0.6, 0.1)
    >>> _mean_se([0.5])
    (0.5, None)
    """
    v = np.asarray(values, dtype=float)
    se = float(v.std(ddof=1) / np.sqrt(v.size)) if v.size > 1 else None
    return round(float(v.mean()), 12), None if se is None else round(se, 12)


def _repeat_curves(run: dict, grid: list[int]) -> dict[str, list[float]]:
    """The complete curves of one run, accuracy per grid point: every arm (:func:`arm_curves`), random (mean of its
    orders)."""
    out = {}
    for arm, c in arm_curves(run["curves"]).items():
        if [int(n) for n, _ in c] == grid:
            out[arm] = [float(a) for _, a in c]
    orders = [c for c in run["curves"].get("random_orders", []) if [int(n) for n, _ in c] == grid]
    if orders:
        out["random"] = np.mean([[a for _, a in c] for c in orders], axis=0).tolist()
    return out


def summarise_repeats(runs: list[dict], names: list[str], arm: str = "entropy") -> dict:
    """Curves of repeats (runs of one design that differ only in ``--seed``): mean +- s.e. and the verdict.

    Each repeat gives each arm's curve (the random arm: the mean of its orders), its all-labels
    reference (the mean of its reference seeds) and, with ``--init-from``, the base model's
    accuracy. Only complete curves count (a stopped repeat gives what it finished). The
    target is the mean reference; labels needed are read off each arm's mean curve (first grid
    point at or above it, and linear between grid points). The criterion (pre-registered in
    docs/uncertainty.md): ``arm`` needs at most half the pool's simulated candidates.

    Examples
    --------
    >>> a = {"seed": "0", "n_pool": "10", "pool_fields": "2"}
    >>> r0 = {"args": a, "grid": [5, 10], "n_pool": 20, "reference": {"acc": [0.7]}, "base_test_acc": 0.5,
    ...       "curves": {"entropy": [[5, 0.6], [10, 0.7]], "random_orders": [[[5, 0.6], [10, 0.66]]]}}
    >>> r1 = json.loads(json.dumps(r0)); r1["args"]["seed"] = "2"; r1["reference"]["acc"] = [0.72]
    >>> s = summarise_repeats([r0, r1], ["r0", "r1"])
    >>> s["reference"]["mean"], s["arms"]["entropy"]["mean"], s["criterion"]["met"]
    (0.71, [0.6, 0.7], False)
    """
    base = runs[0]
    grid = [int(n) for n in base["grid"]]
    for run, name in zip(runs[1:], names[1:]):
        for key in [k for k in SAME_RUN if k != "seed"]:
            if run["args"].get(key, "None") != base["args"].get(key, "None"):
                raise ValueError(f"{name}: --{key.replace('_', '-')} {run['args'].get(key)} differs from "
                                 f"{names[0]}'s {base['args'].get(key)}: not repeats of one design")
        if [int(n) for n in run["grid"]] != grid or run["n_pool"] != base["n_pool"]:
            raise ValueError(f"{name}: grid {run['grid']} / pool {run['n_pool']} differ from {names[0]}'s "
                             f"{base['grid']} / {base['n_pool']}")
    seeds = [r["args"].get("seed") for r in runs]
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"two runs have the same --seed ({seeds}): a repeat must differ in its seed")
    per = [_repeat_curves(r, grid) for r in runs]
    arms = {}
    # every arm any repeat holds, in the order first met (entropy, margin, the pseudo-label arms, a later one)
    for a in dict.fromkeys(a for p in per for a in p):
        got = [(s, p[a]) for s, p in zip(seeds, per) if a in p]
        if got:
            mse = [_mean_se([c[i] for _, c in got]) for i in range(len(grid))]
            arms[a] = {"seeds": [s for s, _ in got], "per_repeat": [c for _, c in got],
                       "mean": [m for m, _ in mse], "se": [e for _, e in mse]}
    refs = [(s, float(np.mean(r["reference"]["acc"]))) for s, r in zip(seeds, runs) if r["reference"]["acc"]]
    if not refs:
        raise ValueError("no run has an all-labels reference")
    ref_mean, ref_se = _mean_se([v for _, v in refs])
    bases = [(s, float(r["base_test_acc"])) for s, r in zip(seeds, runs) if r.get("base_test_acc") is not None]
    half = 0.5 * int(base["args"]["pool_fields"]) * int(base["args"]["n_pool"])
    out = {"repeats": list(names), "seeds": seeds, "grid": grid, "n_pool": int(base["n_pool"]),
           "half_pool_candidates": half, "init_from": base["args"].get("init_from"),
           "sim_set": base.get("sim_set"),
           "reference": {"seeds": [s for s, _ in refs], "per_repeat": [v for _, v in refs], "mean": ref_mean,
                         "se": ref_se},
           "base": ({"seeds": [s for s, _ in bases], "per_repeat": [v for _, v in bases],
                     "mean": _mean_se([v for _, v in bases])[0], "se": _mean_se([v for _, v in bases])[1]}
                    if bases else None),
           "arms": arms,
           "labels_needed_grid": {a: labels_needed(list(zip(grid, v["mean"])), ref_mean) for a, v in arms.items()},
           "labels_needed_interp": {a: labels_needed_interp(list(zip(grid, v["mean"])), ref_mean)
                                    for a, v in arms.items()}}
    need = out["labels_needed_interp"].get(arm)
    out["criterion"] = {"arm": arm, "target": ref_mean, "labels_needed": need, "limit": half,
                        "met": bool(need is not None and need <= half)}
    return out


def _plot_repeats(path: Path, summ: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.6, 3.8))
    others: list[str] = []
    for a, v in summ["arms"].items():
        fmt, col = _style(a, others)
        se = [e or 0.0 for e in v["se"]]
        ax.errorbar(summ["grid"], v["mean"], yerr=se, fmt=fmt, color=col, ms=3, capsize=2,
                    label=f"{a} ({len(v['per_repeat'])} repeats)")
    ref = summ["reference"]
    ax.axhline(ref["mean"], color="k", ls="--", lw=1,
               label=f"all {summ['n_pool']} labels, fine-tuned ({len(ref['per_repeat'])})")
    ax.axhspan(ref["mean"] - (ref["se"] or 0), ref["mean"] + (ref["se"] or 0), color="k", alpha=0.08)
    if summ.get("base"):
        ax.axhline(summ["base"]["mean"], color="grey", ls="-.", lw=1, label="base model, no new labels")
    ax.axvline(summ["half_pool_candidates"], color="grey", ls=":", lw=1, label="half the pool")
    ax.set_xscale("log")
    ax.minorticks_off()  # the log axis's minor labels (3 x 10^2, ...) crowd the budgets' own
    ax.set_xticks(summ["grid"])
    ax.set_xticklabels([str(n) for n in summ["grid"]])
    ax.set_xlabel("labelled candidates of the new galaxy")
    ax.set_ylabel("accuracy vs truth, 4 classes")
    ax.set_title("Active learning fine-tuned from a model of other galaxies (mean ± s.e.)", fontsize=9)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def _mix(labels: np.ndarray, classes) -> list[float]:
    """Fraction of ``labels`` in each of ``classes`` (labels outside them are left out).

    Examples
    --------
    >>> _mix(np.array([1, 1, 2, 0]), [1, 2])
    [0.6666666666666666, 0.3333333333333333]
    """
    labels = np.asarray(labels)
    n = np.array([np.sum(labels == c) for c in classes], dtype=float)
    return (n / n.sum()).tolist() if n.sum() else [float("nan")] * len(classes)


def _quotas(k: int, mix) -> np.ndarray:
    """``k`` split over classes in proportion to ``mix`` (largest remainders get the rest).

    Examples
    --------
    >>> _quotas(10, [0.16, 0.24, 0.195, 0.405]).tolist()
    [2, 2, 2, 4]
    """
    share = k * np.asarray(mix, dtype=float) / np.sum(mix)
    q = np.floor(share).astype(int)
    q[np.argsort(-(share - q), kind="stable")[: k - q.sum()]] += 1
    return q


def _pseudo_from(model, x_rest, rest, cfg, threshold):
    """The pseudo-labels of the unlabelled rows ``rest``: those whose raw top probability is >= ``threshold``.

    Returns the rows and their classes, by :func:`starclass.suggest.pseudo_labels`.
    """
    from starclass.learn.classify import predict_inputs
    from starclass.suggest import pseudo_labels

    e = predict_inputs(model, x_rest, batch_size=512)
    prob = e.prob_raw if e.prob_raw is not None else e.prob_mean
    cand = Table({ID: rest})
    for j, c in enumerate(cfg.classes):
        cand[prob_col(c)] = prob[:, j]
    got = pseudo_labels(cand, min_confidence=threshold)
    return np.asarray(got[ID], dtype=np.int64), np.asarray(got[CLASS_REF], dtype=np.int64)


#: The uncertainty arms of ``--retrain scratch`` and the ``suggest --by`` score each picks by.
UNCERTAINTY_ARMS = {"entropy": "entropy", "margin": "margin", "bald": "mutual-info"}


def _pick_entropy(model, x_rest, rest, pool_mag, cfg, k, bins, by_class=None, by="entropy"):
    """``k`` of the unlabelled rows ``rest`` by ``starclass suggest`` (``by``: entropy, margin or mutual-info;
    magnitude bins).

    ``by="mutual-info"`` classifies the rows with TTA (8 rotations/flips) and ranks by their
    ``mutual_info`` (BALD, of the raw probabilities), as ``suggest --by mutual-info --mosaics`` does.

    ``by_class``: a class mix; the picks are then split over the *predicted* classes in that
    mix (:func:`_quotas`), each share picked by ``suggest`` among the candidates predicted in
    that class; a class with too few candidates leaves its rest to the highest entropy overall.
    """
    from starclass.learn.classify import predict_inputs
    from starclass.suggest.pick import suggest

    tta = by == "mutual-info"
    e = predict_inputs(model, x_rest, batch_size=512, tta=tta)
    prob = e.prob_mean
    cand = Table({ID: rest, "mag_f555w": pool_mag[rest]})
    for j, c in enumerate(cfg.classes):
        cand[prob_col(c)] = prob[:, j]
    if tta:
        cand[MUTUAL_INFO] = e.mutual_info
    if by_class is None:
        picked = suggest(cand, k, by=by, mag_column="mag_f555w", bins=bins)
        return np.asarray(picked[ID], dtype=np.int64)
    pred = np.argmax(prob, axis=1)
    out: list[np.ndarray] = []
    for j, q in enumerate(_quotas(k, by_class)):
        rows = np.flatnonzero(pred == j)
        if q and rows.size:
            got = suggest(cand[rows], min(int(q), rows.size), by=by, mag_column="mag_f555w", bins=bins)
            out.append(np.asarray(got[ID], dtype=np.int64))
    chosen = np.concatenate(out) if out else np.zeros(0, dtype=np.int64)
    if chosen.size < k:
        more = suggest(cand, k - chosen.size, by=by, labelled=chosen.tolist(), mag_column="mag_f555w",
                       bins=bins)
        chosen = np.concatenate([chosen, np.asarray(more[ID], dtype=np.int64)])
    return chosen


def _plot(path: Path, res: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.6, 3.8))
    others: list[str] = []
    for arm, curve in arm_curves(res["curves"]).items():
        fmt, col = _style(arm, others)
        if arm.endswith("-pseudo"):
            label = f"{arm} (pseudo-labels at P >= {res.get('pseudo_threshold')})"
        elif arm in UNCERTAINTY_ARMS:
            label = f"{arm} ({res.get('args', {}).get('mag_bins', 4)} V-magnitude bins)"
        else:
            label = arm
        ax.plot(*zip(*curve), fmt, color=col, ms=3, label=label)
    for o, curve in enumerate(res["curves"].get("random_orders", [])):
        ax.plot(*zip(*curve), "s--" if o else "s-", color="C0", ms=3, alpha=0.9 if o == 0 else 0.6,
                label=f"random, order {o}")
    ref = res["reference"]
    mu, sd = ref["mean"], ref["std"]
    ax.axhline(mu, color="k", ls="--", lw=1, label=f"random, all {res['n_pool']} labels ({len(ref['acc'])} seeds)")
    ax.axhspan(mu - sd, mu + sd, color="k", alpha=0.08)
    ax.axvline(res["n_pool"] / 2, color="grey", ls=":", lw=1, label="half the pool")
    ax.set_xlabel("labelled candidates")
    ax.set_ylabel("accuracy vs truth, 4 classes")
    ax.set_title("Active learning on simulated fields (from-scratch retrain per round)", fontsize=9)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def main() -> None:
    """The command line (module docstring); a starclass error (e.g. a base model for other inputs) exits 2."""
    import sys

    from starclass.errors import StarclassError

    try:
        _main()
    except StarclassError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pool-fields", type=int, default=2)
    ap.add_argument("--n-pool", type=int, default=1000, help="candidates per pool field")
    ap.add_argument("--test-fields", type=int, default=1)
    ap.add_argument("--n-test", type=int, default=1500)
    ap.add_argument("--shape", type=int, default=2048)
    ap.add_argument("--pool-seed", type=int, default=301)
    ap.add_argument("--test-seed", type=int, default=401)
    ap.add_argument("--start", type=int, default=100, help="labels at the start (random)")
    ap.add_argument("--batch", type=int, default=100, help="labels added per round")
    ap.add_argument("--max-labels", type=int, default=1000, help="stop the loop at this many labels")
    ap.add_argument("--retrain", choices=("finetune", "scratch"), default="finetune",
                    help="fine-tune the previous round's model, or train every round from scratch")
    ap.add_argument("--start-epochs", type=int, default=15, help="finetune: epochs of the first model")
    ap.add_argument("--round-epochs", type=int, default=4, help="finetune: fine-tuning epochs per round")
    ap.add_argument("--all-epochs", type=int, default=15, help="finetune: epochs of the all-labels model")
    ap.add_argument("--epochs", type=int, default=20, help="scratch: epochs of every model")
    ap.add_argument("--lr-schedule", default="cosine", help="scratch: recipe.lr_schedule of every model")
    ap.add_argument("--grid", default=None,
                    help="scratch: comma-separated label counts to score (instead of --start/--batch/--max-labels)")
    ap.add_argument("--random-orders", type=int, default=1, help="scratch: random arms")
    ap.add_argument("--arms", default="entropy,random",
                    help="scratch: the curves to run (entropy, margin, bald, random; margin: suggest --by margin; "
                         "bald: suggest --by mutual-info on the previous model's TTA classification; "
                         "entropy-pseudo, random-pseudo: the same picks plus the previous model's pseudo-labels)")
    ap.add_argument("--pseudo-threshold", type=float, default=0.9,
                    help="scratch, pseudo arms: raw top probability a pool candidate needs to be pseudo-labelled")
    ap.add_argument("--step-matched", action="store_true",
                    help="scratch: also train the last grid point's labels of the entropy arm and of every random "
                         "order with as many optimisation steps as the all-labels model (epochs x pool / labels)")
    ap.add_argument("--ref-seeds", type=int, default=1, help="scratch: training seeds of the all-labels model")
    ap.add_argument("--reference-last", action="store_true",
                    help="scratch: train the all-labels models after the arms (a run stopped early keeps the arms)")
    ap.add_argument("--reweight", choices=("none", "start-mix", "pool-mix"), default="none",
                    help="scratch: 'start-mix' weights every model's loss so that its labels weigh as the class "
                         "mix of the arm's first (random) grid[0] labels; 'pool-mix' (an oracle a user does not "
                         "have) as the mix of the whole pool's labels")
    ap.add_argument("--pick", choices=("entropy", "entropy-by-class"), default="entropy",
                    help="scratch, entropy arm: 'entropy-by-class' also splits every batch over the predicted "
                         "classes in the class mix of the first (random) grid[0] labels")
    ap.add_argument("--mag-bins", type=int, default=4)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--precision", choices=("auto", "fp32", "bf16"), default="auto")
    ap.add_argument("--threads", type=int, default=None, help="torch threads (1 is faster on a loaded machine)")
    ap.add_argument("--quick", action="store_true", help="small everything (smoke run)")
    ap.add_argument("--json", type=Path, help="also write the curves as JSON")
    ap.add_argument("--summarise", type=Path, nargs="+", metavar="RUN_JSON",
                    help="train nothing: merge these --retrain scratch JSONs of one pool (the first gives the "
                         "reference, later ones add arms, e.g. margin), print the table with standard errors and "
                         "the labels needed (interpolated), write --json and --plot")
    ap.add_argument("--overwrite", action="store_true", help="--summarise: replace an existing --json / --plot")
    ap.add_argument("--plot", type=Path, help="scratch: also draw the curves (PNG)")
    ap.add_argument("--sim-set", action="append", metavar="KEY=VALUE",
                    help="simulator setting of the pool and test fields (the new galaxy), a SimConfig field, "
                         "repeatable: e.g. --sim-set distance_mpc=20")
    ap.add_argument("--init-from", type=Path, metavar="MODEL",
                    help="every model (the arms' and the all-labels reference) fine-tunes from this saved model "
                         "(e.g. --make-base's) instead of training from scratch; with --retrain scratch the "
                         "entropy/margin arms pick their first grid point's labels with it")
    ap.add_argument("--pool-summaries", action="store_true",
                    help="print (and store in --json) per pool and test field: candidates, labellable, class "
                         "counts of the truth and of the people's mode, true V magnitudes")
    ap.add_argument("--make-base", type=Path, metavar="OUT",
                    help="train nothing else: train a base model on simulated fields of other galaxies "
                         "(--base-fields, --base-n, --base-seed, --base-set, --base-epochs, --shape) and save it to "
                         "OUT (a model directory for --init-from)")
    ap.add_argument("--base-fields", type=int, default=3, help="--make-base: fields")
    ap.add_argument("--base-n", type=int, default=1000, help="--make-base: candidates per field")
    ap.add_argument("--base-seed", type=int, default=501, help="--make-base: seed of the first field")
    ap.add_argument("--base-set", action="append", metavar="KEY=VALUE",
                    help="--make-base: simulator setting of the base fields, repeatable (e.g. distance_mpc=4)")
    ap.add_argument("--base-epochs", type=int, default=12, help="--make-base: epochs of the base model")
    ap.add_argument("--summarise-repeats", type=Path, nargs="+", metavar="RUN_JSON",
                    help="train nothing: runs of one design that differ only in --seed -> every arm's mean +- "
                         "s.e. over them, the labels needed and the pre-registered verdict; --json, --plot")
    args = ap.parse_args()
    if args.summarise:
        raise SystemExit(_summarise_cli(args))
    if args.summarise_repeats:
        raise SystemExit(_summarise_repeats_cli(args))
    if args.quick:
        args.pool_fields, args.n_pool, args.n_test, args.shape = 1, 500, 400, 1024
        args.start, args.batch, args.max_labels = 50, 50, 200
        args.start_epochs, args.round_epochs, args.all_epochs, args.epochs = 3, 1, 3, 3
    err = _check_run_args(args)
    if err:
        import sys

        print(f"error: {err}", file=sys.stderr)
        raise SystemExit(2)

    import torch

    from starclass.learn.classify import predict_inputs
    from starclass.learn.config import get_preset
    from starclass.learn.train import fit
    from starclass.stamps import make_inputs

    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"# active learning (shared 2-core machine, torch threads {torch.get_num_threads()}, load average "
          f"{os.getloadavg()[0]:.1f})")
    t0 = time.perf_counter()
    # training without validation: a few hundred labels are too few to hold some out, and every
    # round and strategy trains for the same fixed number of epochs
    recipe = {"balance": None, "amp": args.precision, "val_fraction": 0.0}
    if args.retrain == "scratch" or args.make_base:
        # a fixed-length run ends on its last epoch (no early stopping): an annealed learning
        # rate makes that last epoch a converged one rather than a noisy snapshot
        recipe["lr_schedule"] = args.lr_schedule
    cfg = get_preset("legus4-compact").copy(recipe=recipe)

    def inputs(fields):
        parts = [make_inputs(f.images, f.truth["x"], f.truth["y"], cfg, zeropoints=f.zeropoint) for f in fields]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    if args.make_base:
        _make_base(args, cfg, inputs, fit, t0)
        return
    pool_f = [_simulate(args.pool_seed + k, args.n_pool, args.shape, args.sim_set) for k in range(args.pool_fields)]
    test_f = [_simulate(args.test_seed + k, args.n_test, args.shape, args.sim_set) for k in range(args.test_fields)]
    x_pool, ok_pool = inputs(pool_f)
    x_test, ok_test = inputs(test_f)
    summaries = None
    if args.pool_summaries:
        at = np.cumsum([0] + [len(f.truth) for f in pool_f])
        summaries = {"pool": [field_summary(f, ok_pool[at[k]:at[k + 1]]) for k, f in enumerate(pool_f)]}
        at = np.cumsum([0] + [len(f.truth) for f in test_f])
        summaries["test"] = [field_summary(f, ok_test[at[k]:at[k + 1]]) for k, f in enumerate(test_f)]
        _print_summaries("pool fields", summaries["pool"])
        _print_summaries("test fields", summaries["test"])
    people = np.where(ok_pool, np.concatenate([_mode(f) for f in pool_f]), 0)
    pool_truth = np.concatenate([np.asarray(f.truth[CLASS_REF], dtype=int) for f in pool_f])
    test_truth = np.concatenate([np.asarray(f.truth[CLASS_REF], dtype=int) for f in test_f])
    pool_mag = np.concatenate([np.asarray(f.truth[mag_true_col("f555w")], dtype=float) for f in pool_f])
    labellable = np.flatnonzero(people > 0)
    n_pool = labellable.size
    print(f"simulated {len(pool_f)} pool field(s) ({n_pool} labellable candidates) and {len(test_f)} test "
          f"field(s) ({len(test_truth)} candidates) in {time.perf_counter() - t0:.0f} s")
    test_mode = np.concatenate([_mode(f) for f in test_f])
    mode_acc = float(np.mean(test_mode == test_truth))
    print(f"people's mode vs truth on the test fields: {mode_acc:.3f}; on the pool: "
          f"{np.mean(people[labellable] == pool_truth[labellable]):.3f}")

    # removed however the run ends (finished, failed, stopped with Ctrl-C): every finished run left an empty
    # /tmp/starclass_active_* behind, and a failed one its models too
    with tempfile.TemporaryDirectory(prefix="starclass_active_") as tmp_work:
        work = Path(tmp_work)
        base_acc = None
        if args.init_from:
            # the base model on the new galaxy before any of its labels: where every arm starts
            pred = predict_inputs(args.init_from, x_test, ok=ok_test, batch_size=512).class_pred
            base_acc = float(np.mean(pred == test_truth))
            print(f"base model {args.init_from} on the new galaxy's test fields, no new labels: accuracy vs truth "
                  f"{base_acc:.3f}", flush=True)
        extra = {"sim_set": args.sim_set, "init_from": str(args.init_from) if args.init_from else None,
                 "base_test_acc": base_acc, "field_summaries": summaries, "loadavg_start": os.getloadavg()[0],
                 "versions": library_versions()}

        def train(name: str, labelled: np.ndarray, epochs: int, init_from: Path | None = None,
                  seed: int | None = None, mix: list[float] | None = None,
                  details: dict | None = None,
                  pseudo: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[Path, float]:
            y = np.zeros(len(people), dtype=np.int64)
            y[labelled] = people[labelled]
            prow = None
            if pseudo is not None and len(pseudo[0]):
                prow, pcls = pseudo
                y[prow] = pcls  # the model's classes: trained on, never validated on (pseudo_index)
            # mix: train as if the labels had this class mix (per-class loss weights, recipe.class_mix)
            use = cfg if mix is None else cfg.copy(recipe={"balance": "class_weights", "class_mix": list(mix)})
            # --init-from: every model starts from the base (a round's model from the previous round's
            # in --retrain finetune, which started from the base itself)
            fit(use, x_pool, y, outdir=work / name, seed=args.seed if seed is None else seed, epochs=epochs,
                progress=False, resume=False, init_from=init_from if init_from is not None else args.init_from,
                pseudo_index=prow)
            pred = predict_inputs(work / name, x_test, ok=ok_test, batch_size=512).class_pred
            if details is not None:
                # what the model predicts on the test fields, and how the labels it saw were mixed
                details["labels_mix"] = _mix(people[labelled], cfg.classes)
                # label noise: the share of its labels (the people's mode) that the truth contradicts
                details["labels_wrong"] = float(np.mean(people[labelled] != pool_truth[labelled]))
                details["test_pred_mix"] = _mix(pred, cfg.classes)
                details["test_truth_mix"] = _mix(test_truth, cfg.classes)
                details["recall"] = [float(np.mean(pred[test_truth == c] == c)) for c in cfg.classes]
                details["loadavg"] = os.getloadavg()[0]  # the machine is shared: how loaded it was
                if pseudo is not None:
                    details["n_pseudo"] = int(len(pseudo[0]))
                    details["n_pseudo_wrong_truth"] = int(np.sum(pseudo[1] != pool_truth[pseudo[0]]))
                    details["n_pseudo_wrong_people"] = int(np.sum(pseudo[1] != people[pseudo[0]]))
                    details["pseudo_mix"] = _mix(pseudo[1], cfg.classes) if len(pseudo[0]) else None
            return work / name, float(np.mean(pred == test_truth))

        if args.retrain == "scratch":
            _scratch(args, train, labellable, x_pool, pool_mag, cfg, work, t0, mode_acc, people, len(test_truth), extra)
            return

        t = time.perf_counter()
        _, acc_all = train("all", labellable, args.all_epochs)
        print(f"random with all labels ({n_pool}, {args.all_epochs} epochs from scratch): accuracy vs truth "
              f"{acc_all:.3f} ({time.perf_counter() - t:.0f} s)", flush=True)

        rng = np.random.default_rng(args.seed)
        start = rng.choice(labellable, size=min(args.start, n_pool), replace=False)
        first, acc0 = train("start", start, args.start_epochs)
        print(f"start: {start.size} random labels, {args.start_epochs} epochs: accuracy {acc0:.3f}", flush=True)
        curves: dict[str, list[tuple[int, float]]] = {}
        for strategy in ("entropy", "random"):
            labelled = start.copy()
            model, acc = first, acc0
            curve = [(int(labelled.size), acc0)]
            rnd = np.random.default_rng(args.seed + 1)
            r = 0
            while labelled.size < min(args.max_labels, n_pool):
                r += 1
                k = min(args.batch, min(args.max_labels, n_pool) - labelled.size)
                rest = np.setdiff1d(labellable, labelled)
                if strategy == "random":
                    new = rnd.choice(rest, size=k, replace=False)
                else:
                    new = _pick_entropy(model, x_pool[rest], rest, pool_mag, cfg, k, args.mag_bins)
                labelled = np.concatenate([labelled, new])
                model, acc = train(f"{strategy}_{r:02d}", labelled, args.round_epochs, init_from=model)
                curve.append((int(labelled.size), acc))
                print(f"  {strategy:7s} round {r:2d}: {labelled.size:5d} labels, accuracy vs truth {acc:.3f} "
                      f"({time.perf_counter() - t0:.0f} s)", flush=True)
            curves[strategy] = curve

        print(f"\n{'labels':>7s} " + " ".join(f"{s:>8s}" for s in curves))
        for i in range(len(curves["random"])):
            print(f"{curves['random'][i][0]:7d} " + " ".join(f"{curves[s][i][1]:8.3f}" for s in curves))
        print(f"{n_pool:7d} {'':8s} {acc_all:8.3f}  (random with all labels, from scratch)")
        needed = {}
        for s, curve in curves.items():
            needed[s] = labels_needed(curve, acc_all)
            txt = (f"reaches the all-labels accuracy {acc_all:.3f} with {needed[s]} labels "
                   f"({needed[s] / n_pool:.0%} of the pool)" if needed[s] else
                   f"does not reach the all-labels accuracy {acc_all:.3f} within {curve[-1][0]} labels")
            print(f"{s}: {txt}; best {max(a for _, a in curve):.3f}")
        # the models are not named: their folder is removed as the run ends
        print(f"\ntotal {time.perf_counter() - t0:.0f} s")
        if args.json:
            tmp = args.json.with_suffix(".tmp")
            tmp.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()}, "acc_all": acc_all,
                                       "n_pool": int(n_pool), "curves": curves, "labels_needed": needed,
                                       **extra}, indent=2))
            os.replace(tmp, args.json)  # a half-written JSON never replaces a good one


def _check_run_args(args) -> str | None:
    """What is wrong with a training run's options (None: nothing); parses --sim-set / --base-set in place."""
    try:
        args.sim_set = parse_sim_set(args.sim_set)
        args.base_set = parse_sim_set(args.base_set, "--base-set")
    except ValueError as exc:
        return str(exc)
    if args.make_base:
        if args.init_from:
            return "--make-base trains the base from scratch; --init-from is for the runs that fine-tune from it"
        if args.sim_set:
            return "--make-base simulates the base fields with --base-set, not --sim-set (the new galaxy's)"
        if args.make_base.exists() and not args.overwrite:
            return f"--make-base {args.make_base} exists: give --overwrite to replace it"
        if not args.make_base.parent.is_dir():
            return f"--make-base {args.make_base}: its folder {args.make_base.parent} does not exist"
        for name, v in (("--base-fields", args.base_fields), ("--base-n", args.base_n),
                        ("--base-epochs", args.base_epochs)):
            if v < 1:
                return f"{name} must be at least 1, got {v}"
    elif args.base_set:
        return "--base-set sets the fields of --make-base; this run makes no base"
    # counts that must be positive: 0 labels per round looped for ever, 0 candidates failed in the
    # simulator after the first fields were made, with a traceback
    for name in ("pool_fields", "test_fields", "start", "batch", "max_labels", "start_epochs", "round_epochs",
                 "all_epochs", "epochs", "mag_bins", "base_fields", "base_n", "base_epochs"):
        if getattr(args, name) < 1:
            return f"--{name.replace('_', '-')} must be at least 1, got {getattr(args, name)}"
    for name in ("random_orders", "ref_seeds"):
        if getattr(args, name) < 0:
            return f"--{name.replace('_', '-')} must be at least 0, got {getattr(args, name)}"
    if args.threads is not None and args.threads < 1:
        return f"--threads must be at least 1, got {args.threads}"
    if args.max_labels < args.start:
        return f"--max-labels {args.max_labels} is below --start {args.start}: no round would run"
    from starclass.errors import StarclassError
    from starclass.simulate import preset

    for option, n in (("--n-pool", args.n_pool), ("--n-test", args.n_test)):
        try:  # the simulator's own checks (at least 64 px, at least one candidate), before any field is made
            preset("hst", shape=(args.shape, args.shape), n_candidates=n)
        except StarclassError as exc:
            return f"--shape {args.shape} / {option} {n}: the simulator refuses it: {exc}"
    if args.grid:
        try:
            grid = [int(v) for v in args.grid.split(",")]
        except ValueError:
            return f"--grid {args.grid!r}: expected label counts separated by commas (e.g. 100,200,400)"
        if min(grid) < 1:
            return f"--grid {args.grid!r}: every label count must be at least 1"
    known = ("entropy", "margin", "bald", "random", "entropy-pseudo", "random-pseudo")
    bad = [a.strip() for a in args.arms.split(",") if a.strip() and a.strip() not in known]
    if bad:
        return f"--arms: {', '.join(bad)} unknown; give some of {', '.join(known)}"
    if not 0.5 < args.pseudo_threshold < 1:
        return f"--pseudo-threshold must be between 0.5 and 1 (exclusive), got {args.pseudo_threshold}"
    if args.init_from:
        m = args.init_from
        if not (m / "manifest.json" if m.is_dir() else m).is_file():
            return f"--init-from {m}: not a saved model (no {m / 'manifest.json' if m.is_dir() else m})"
    return None


def _make_base(args, cfg, inputs, fit, t0) -> None:
    """``--make-base``: train on other galaxies' simulated fields (people's mode) and save the model atomically."""
    import shutil

    fields = [_simulate(args.base_seed + k, args.base_n, args.shape, args.base_set) for k in range(args.base_fields)]
    x, ok = inputs(fields)
    y = np.where(ok, np.concatenate([_mode(f) for f in fields]), 0)
    at = np.cumsum([0] + [len(f.truth) for f in fields])
    summaries = [field_summary(f, ok[at[k]:at[k + 1]]) for k, f in enumerate(fields)]
    print(f"simulated {len(fields)} base field(s), {int(np.sum(y > 0))} labellable candidates, in "
          f"{time.perf_counter() - t0:.0f} s", flush=True)
    if args.pool_summaries:
        _print_summaries("base fields", summaries)
    out = args.make_base
    # trained next to OUT and renamed into place: a stopped run never leaves a half-written model under its name
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        t = time.perf_counter()
        fit(cfg, x, y, outdir=tmp, seed=args.seed, epochs=args.base_epochs, progress=False, resume=False)
        info = {"what": "trust_active.py --make-base", "base_set": args.base_set, "base_seed": args.base_seed,
                "base_fields": args.base_fields, "base_n": args.base_n, "shape": args.shape,
                "epochs": args.base_epochs, "seed": args.seed, "labels": "people's mode",
                "field_summaries": summaries, "seconds": time.perf_counter() - t, "loadavg": os.getloadavg()[0]}
        (tmp / "trust_active_base.json").write_text(json.dumps(info, indent=1))
        old = None
        if out.exists():  # --overwrite (checked before): the old model goes only once the new one is complete
            old = out.with_name(f".{out.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(out, old)
        os.replace(tmp, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"base model ({int(np.sum(y > 0))} labels, {args.base_epochs} epochs, {info['seconds']:.0f} s) -> {out}; "
          f"total {time.perf_counter() - t0:.0f} s", flush=True)


def _scratch(args, train, labellable, x_pool, pool_mag, cfg, work, t0, mode_acc, people, n_test,
             extra: dict | None = None) -> None:
    """``--retrain scratch``: reference seeds, the entropy arm, then the random arms."""
    import shutil

    n_pool = labellable.size
    top = min(args.max_labels, n_pool)
    grid = list(range(args.start, top + 1, args.batch))
    if args.grid:
        grid = sorted({min(int(v), n_pool) for v in args.grid.split(",")})
    res = {"args": {k: str(v) for k, v in vars(args).items()}, "retrain": "scratch", "n_pool": int(n_pool),
           "grid": grid, "people_mode_test_acc": mode_acc, "n_test": int(n_test),
           "reference": {"acc": [], "seeds": []}, "curves": {"random_orders": []}, "seconds": {},
           "reweight": args.reweight, "pick": args.pick, "details": {}, "start_mix": {}, **(extra or {})}

    def save():
        if args.json:
            tmp = args.json.with_suffix(".tmp")
            tmp.write_text(json.dumps(res, indent=1))
            os.replace(tmp, args.json)  # a half-written JSON never replaces a good one

    def model_at(name, labelled, seed=None, mix=None, pseudo=None):
        det: dict = {}
        path, acc = train(name, labelled, args.epochs, seed=seed, mix=mix, details=det, pseudo=pseudo)
        det.update(labels=int(len(labelled)), accuracy=acc)
        res["details"][name] = det
        return path, acc

    def start_mix(arm, first):
        """The arm's class mix to train to: its first (random) labels' or the pool's (None: no reweighting)."""
        if args.reweight == "none":
            return None
        mix = _mix(people[first if args.reweight == "start-mix" else labellable], cfg.classes)
        res["start_mix"][arm] = mix
        whose = f"its first {len(first)} (random) labels" if args.reweight == "start-mix" else "the pool's labels"
        print(f"  {arm}: loss weighted to the class mix of {whose}: " + " / ".join(f"{m:.3f}" for m in mix),
              flush=True)
        return mix

    def reference():
        """The all-labels models, one per training seed; the JSON is rewritten after each."""
        t = time.perf_counter()
        for s in range(args.ref_seeds):
            ts = time.perf_counter()
            path, acc = model_at(f"all_s{s}", labellable, seed=args.seed + s)
            shutil.rmtree(path, ignore_errors=True)
            res["reference"]["acc"].append(acc)
            res["reference"]["seeds"].append(args.seed + s)
            ref = np.array(res["reference"]["acc"])
            res["reference"]["mean"] = float(ref.mean())
            res["reference"]["std"] = float(ref.std(ddof=1)) if ref.size > 1 else 0.0
            res["seconds"][f"reference_s{s}"] = time.perf_counter() - ts
            print(f"random with all labels ({n_pool}, {args.epochs} epochs, seed {args.seed + s}): accuracy vs "
                  f"truth {acc:.3f} ({time.perf_counter() - ts:.0f} s)", flush=True)
            save()
        res["reference"].setdefault("mean", float("nan"))
        res["reference"].setdefault("std", 0.0)
        res["seconds"]["reference"] = time.perf_counter() - t
        save()

    if not args.reference_last:
        reference()

    rng = np.random.default_rng(args.seed)
    orders = [rng.permutation(labellable) for _ in range(max(1, args.random_orders))]
    arms = {a.strip() for a in args.arms.split(",") if a.strip()}
    # as many optimisation steps as the all-labels model: the small label sets of a fixed-epoch
    # run get fewer steps, which holds them back for a reason other than their labels
    matched_epochs = int(round(args.epochs * n_pool / grid[-1]))

    def step_matched(name, labelled, mix=None):
        path, acc = train(name, labelled, matched_epochs, mix=mix)
        shutil.rmtree(path, ignore_errors=True)
        res.setdefault("step_matched", {})[name] = {"labels": int(len(labelled)), "epochs": matched_epochs,
                                                    "accuracy": acc}
        print(f"  {name}: {len(labelled)} labels, {matched_epochs} epochs (the all-labels model's steps): "
              f"accuracy vs truth {acc:.3f} ({time.perf_counter() - t0:.0f} s)", flush=True)
        save()

    # uncertainty arms: the first grid[0] of random order 0, then the candidates suggest picks
    # from the rest, by entropy or by margin
    for arm in [a for a in UNCERTAINTY_ARMS if a in arms]:
        by = UNCERTAINTY_ARMS[arm]
        t = time.perf_counter()
        if args.init_from:
            # a model of other galaxies exists before any label of this one: it picks the first labels too
            labelled = _pick_entropy(args.init_from, x_pool[labellable], labellable, pool_mag, cfg, grid[0],
                                     args.mag_bins, by=by)
        else:
            labelled = orders[0][: grid[0]].copy()
        mix = start_mix(arm, labelled)
        # entropy-by-class: the picks' predicted classes follow the first (random) labels' mix
        strata = _mix(people[labelled], cfg.classes) if args.pick == "entropy-by-class" else None
        curve = []
        for r, n in enumerate(grid):
            path, acc = model_at(f"{arm}_{r:02d}", labelled, mix=mix)
            curve.append((n, acc))
            print(f"  {arm} round {r:2d}: {n:5d} labels, accuracy vs truth {acc:.3f} "
                  f"({time.perf_counter() - t0:.0f} s)", flush=True)
            if r + 1 < len(grid):
                rest = np.setdiff1d(labellable, labelled)
                k = grid[r + 1] - n
                labelled = np.concatenate([labelled, _pick_entropy(path, x_pool[rest], rest, pool_mag, cfg, k,
                                                                   args.mag_bins, by_class=strata, by=by)])
            shutil.rmtree(path, ignore_errors=True)
            res["curves"][arm] = curve
            res[f"{arm}_labelled"] = [int(v) for v in labelled]  # pool rows, in the order they were labelled
            save()
        res["seconds"][arm] = time.perf_counter() - t
        if args.step_matched:
            step_matched(f"{arm}_matched", labelled, mix)
    # CEAL: the same people's labels as entropy / random order 0, plus the previous model's pseudo-labels
    for arm in [a for a in ("entropy-pseudo", "random-pseudo") if a in arms]:
        t = time.perf_counter()
        by = arm.removesuffix("-pseudo")
        labelled = orders[0][: grid[0]].copy()
        if args.init_from and by == "entropy":
            labelled = _pick_entropy(args.init_from, x_pool[labellable], labellable, pool_mag, cfg, grid[0],
                                     args.mag_bins)
        pseudo = None  # the first model has no earlier one
        curve = []
        for r, n in enumerate(grid):
            if by == "random":
                labelled = orders[0][:n]
            path, acc = model_at(f"{arm}_{r:02d}", labelled, pseudo=pseudo)
            curve.append((n, acc))
            det = res["details"][f"{arm}_{r:02d}"]
            print(f"  {arm} round {r:2d}: {n:5d} labels + {det['n_pseudo'] if pseudo else 0} pseudo-labels "
                  f"({det.get('n_pseudo_wrong_truth', 0)} wrong vs truth), accuracy vs truth {acc:.3f} "
                  f"({time.perf_counter() - t0:.0f} s)", flush=True)
            if r + 1 < len(grid):
                if by == "entropy":
                    rest = np.setdiff1d(labellable, labelled)
                    labelled = np.concatenate([labelled, _pick_entropy(path, x_pool[rest], rest, pool_mag, cfg,
                                                                       grid[r + 1] - n, args.mag_bins)])
                nxt = np.setdiff1d(labellable, labelled if by == "entropy" else orders[0][: grid[r + 1]])
                pseudo = _pseudo_from(path, x_pool[nxt], nxt, cfg, args.pseudo_threshold)
            shutil.rmtree(path, ignore_errors=True)
            res["curves"][arm] = curve
            res["pseudo_threshold"] = args.pseudo_threshold
            save()
        res["seconds"][arm] = time.perf_counter() - t
    for o, order in enumerate(orders[: args.random_orders]):
        t = time.perf_counter()
        curve = []
        mix = start_mix(f"random{o}", order[: grid[0]]) if ("random" in arms or args.step_matched) else None
        if "random" in arms:
            res["curves"]["random_orders"].append(curve)  # saved round by round (a stopped run keeps them)
        if args.step_matched:
            step_matched(f"random{o}_matched", order[: grid[-1]], mix)
        for r, n in enumerate(grid if "random" in arms else []):
            path, acc = model_at(f"random{o}_{r:02d}", order[:n], mix=mix)
            shutil.rmtree(path, ignore_errors=True)
            curve.append((n, acc))
            print(f"  random order {o} round {r:2d}: {n:5d} labels, accuracy vs truth {acc:.3f} "
                  f"({time.perf_counter() - t0:.0f} s)", flush=True)
            save()
        res["seconds"][f"random{o}"] = time.perf_counter() - t
        save()

    if args.reference_last:
        reference()
    ref = np.array(res["reference"]["acc"])
    if not ("random" in arms and arm_curves(res["curves"]) and ref.size and args.random_orders):
        res["seconds"]["total"] = time.perf_counter() - t0
        save()
        print(f"\ntotal {time.perf_counter() - t0:.0f} s (no summary: it needs a random arm, entropy or margin, and "
              "the reference; --summarise merges runs)")
        return
    mu = res["reference"]["mean"]
    curves = dict(arm_curves(res["curves"]))
    curves.update({f"random{o}": c for o, c in enumerate(res["curves"]["random_orders"])})
    rnd_mean = [(n, float(np.mean([c[i][1] for c in res["curves"]["random_orders"]]))) for i, n in enumerate(grid)]
    curves["random_mean"] = rnd_mean
    print(f"\n{'labels':>7s} " + " ".join(f"{s:>11s}" for s in curves))
    for i, n in enumerate(grid):
        print(f"{n:7d} " + " ".join(f"{curves[s][i][1]:11.3f}" for s in curves))
    print(f"{n_pool:7d} all labels: {mu:.3f} ± {res['reference']['std']:.3f} over {ref.size} seeds "
          f"({', '.join(f'{a:.3f}' for a in ref)})")
    res["labels_needed"] = {s: labels_needed(c, mu) for s, c in curves.items()}
    res["labels_needed_minus_1sd"] = {s: labels_needed(c, mu - res["reference"]["std"]) for s, c in curves.items()}
    for s, n in res["labels_needed"].items():
        print(f"{s}: " + (f"reaches {mu:.3f} with {n} labels ({n / n_pool:.0%} of the pool)" if n else
                          f"does not reach {mu:.3f} within {grid[-1]} labels")
              + f"; within one sd of it: {res['labels_needed_minus_1sd'][s]}")
    res["seconds"]["total"] = time.perf_counter() - t0
    res["loadavg_end"] = os.getloadavg()[0]
    save()
    if args.plot:
        _plot(args.plot, res)
        print(f"wrote {args.plot}")
    print(f"\ntotal {time.perf_counter() - t0:.0f} s")


def _summarise_cli(args) -> int:
    """``--summarise``: merge runs, print the table, write JSON and plot; 2 on bad input (said why)."""
    import sys

    outs = [o for o in (args.json, args.plot) if o is not None]
    for o in outs:
        if any(o.resolve() == r.resolve() for r in args.summarise):
            print(f"error: {o} is one of the runs read (--summarise): it is never overwritten", file=sys.stderr)
            return 2
        if o.exists() and not args.overwrite:
            print(f"error: {o} exists: give --overwrite to replace it", file=sys.stderr)
            return 2
    runs = []
    for path in args.summarise:
        try:
            run = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            print(f"error: --summarise {path}: cannot read it as JSON ({exc})", file=sys.stderr)
            return 2
        if run.get("retrain") != "scratch" or "curves" not in run:
            print(f"error: --summarise {path}: not a trust_active.py --retrain scratch result", file=sys.stderr)
            return 2
        runs.append(run)
    try:
        res = merge_runs(runs, [str(p) for p in args.summarise])
    except ValueError as exc:
        print(f"error: --summarise {exc}", file=sys.stderr)
        return 2
    if not res["reference"]["acc"]:
        print(f"error: --summarise {args.summarise[0]}: the first run has no all-labels reference", file=sys.stderr)
        return 2
    summ = summarise(res)
    res["summary"] = summ
    res["reference"]["mean"] = summ["target"]
    res["reference"]["std"] = summ["target_seed_sd"] or 0.0
    res["merged_from"] = [str(p) for p in args.summarise]
    n_pool = res["n_pool"]
    names = list(summ["curves"])
    print(f"{'labels':>7s} {'share':>6s} " + " ".join(f"{k:>13s}" for k in names))
    for i, n in enumerate(res["grid"]):
        print(f"{n:7d} {n / n_pool:6.1%} " + " ".join(
            f"{summ['curves'][k][i][1]:7.3f}±{summ['curves'][k][i][2]:.3f}" for k in names))
    sd = summ["target_seed_sd"]
    print(f"{n_pool:7d} all labels: {summ['target']:.3f} (test-set s.e. {summ['target_se_test']:.3f}"
          + (f", seed sd {sd:.3f}" if sd is not None else "") + f"; seeds {res['reference']['acc']})")
    for k in names:
        got, lin = summ["labels_needed_grid"][k], summ["labels_needed_interp"][k]
        print(f"{k}: " + (f"reaches it at grid point {got} ({got / n_pool:.1%} of the pool), interpolated "
                          f"{lin:.0f} ({lin / n_pool:.1%})" if got else
                          f"does not reach it within {res['grid'][-1]} labels"))
    for k, rounds in summ["picks_wrong"].items():
        print(f"{k}: wrong people's labels among each round's picks: "
              + ", ".join(f"{a}-{b} {w:.1%}" for a, b, w in rounds))
    for a, b, g in summ.get("random_gain_per_doubling", []):
        print(f"random mean: {a} -> {b} labels: {g:+.3f} per doubling")
    if summ.get("random_gain_last_to_all_per_doubling") is not None:
        print(f"random mean: {res['grid'][-1]} -> all {n_pool}: {summ['random_gap_last_to_all']:+.3f} "
              f"({summ['random_gain_last_to_all_per_doubling']:+.3f} per doubling)")
    _write_outputs(args, res, _plot)
    return 0


def _write_outputs(args, payload: dict, draw) -> None:
    """Write ``payload`` to ``--json`` and ``draw(path, payload)`` to ``--plot``, each atomically.

    A half-written file never takes the name (written beside it, then renamed).
    """
    if args.json:
        tmp = args.json.with_suffix(".tmp")
        tmp.write_text(json.dumps(payload, indent=1))
        os.replace(tmp, args.json)
        print(f"wrote {args.json}")
    if args.plot:
        tmp = args.plot.with_name(args.plot.stem + ".tmp.png")
        draw(tmp, payload)
        os.replace(tmp, args.plot)
        print(f"wrote {args.plot}")


def _read_runs(paths: list[Path], option: str) -> tuple[list[dict] | None, str | None]:
    """The ``--retrain scratch`` JSONs at ``paths``, or the error message naming the file."""
    runs = []
    for path in paths:
        try:
            run = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            return None, f"{option} {path}: cannot read it as JSON ({exc})"
        if not isinstance(run, dict) or run.get("retrain") != "scratch" or "curves" not in run:
            return None, f"{option} {path}: not a trust_active.py --retrain scratch result"
        runs.append(run)
    return runs, None


def _outputs_error(args, inputs: list[Path], option: str) -> str | None:
    """Why --json / --plot may not be written (one of the inputs, or exists without --overwrite)."""
    for o in (o for o in (args.json, args.plot) if o is not None):
        if any(o.resolve() == r.resolve() for r in inputs):
            return f"{o} is one of the runs read ({option}): it is never overwritten"
        if o.exists() and not args.overwrite:
            return f"{o} exists: give --overwrite to replace it"
    return None


def _summarise_repeats_cli(args) -> int:
    """``--summarise-repeats``: mean +- s.e. over repeats, labels needed, verdict; 2 on bad input (said why)."""
    import sys

    err = _outputs_error(args, args.summarise_repeats, "--summarise-repeats")
    runs, err = (None, err) if err else _read_runs(args.summarise_repeats, "--summarise-repeats")
    if err is None:
        try:
            summ = summarise_repeats(runs, [str(p) for p in args.summarise_repeats])
        except (ValueError, KeyError) as exc:
            err = f"--summarise-repeats {exc}"
    if err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    arms = list(summ["arms"])
    print(f"{len(runs)} repeats (seeds {', '.join(map(str, summ['seeds']))}); accuracy vs truth, mean ± s.e.")
    print(f"{'labels':>7s} " + " ".join(f"{a + ' (' + str(len(summ['arms'][a]['per_repeat'])) + ')':>16s}"
                                        for a in arms))

    def pm(m, e):
        return f"{m:.3f}±{e:.3f}" if e is not None else f"{m:.3f}"

    for i, n in enumerate(summ["grid"]):
        print(f"{n:7d} " + " ".join(f"{pm(summ['arms'][a]['mean'][i], summ['arms'][a]['se'][i]):>16s}" for a in arms))
    ref = summ["reference"]
    print(f"all {summ['n_pool']} labels: {pm(ref['mean'], ref['se'])} ({len(ref['per_repeat'])} repeats)")
    if summ["base"]:
        print(f"base model, no new labels: {pm(summ['base']['mean'], summ['base']['se'])}")
    for a in arms:
        lin = summ["labels_needed_interp"][a]
        print(f"{a}: " + (f"reaches {ref['mean']:.3f} at {lin:.0f} labels (interpolated; grid point "
                          f"{summ['labels_needed_grid'][a]})" if lin is not None else
                          f"does not reach {ref['mean']:.3f} within {summ['grid'][-1]} labels"))
    c = summ["criterion"]
    print(f"criterion: {c['arm']} reaches the all-labels accuracy with <= {c['limit']:.0f} labels: "
          + ("MET" if c["met"] else "NOT MET"))
    _write_outputs(args, summ, _plot_repeats)
    return 0


if __name__ == "__main__":
    main()
