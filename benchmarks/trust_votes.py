"""Learning from votes: does a model trained on the people's votes beat the people's mode?

Simulated HST fields know the truth behind three simulated people's labels
(:mod:`starclass.simulate.humans`). The same compact network (legus4-compact, same seed and
epochs, no class balancing) is trained on the training fields' votes with each label model of
:mod:`starclass.learn.labels` (``mode``, ``soft``, ``dawid-skene``) and scored on test fields of
unseen seeds against the truth, four classes; the people's mode on the test fields is scored
against the same truth. Each field has its own three people (their skill is drawn per field),
so the vote columns are per field (``f<k>_h<j>``): Dawid-Skene estimates a confusion matrix per
person, and a person's column is empty (no vote) on the other fields.

Run (docs/uncertainty.md, "Learning from votes"; about 12 minutes on the loaded 2-core machine)::

    nice -n 10 .venv/bin/python benchmarks/trust_votes.py
    nice -n 10 .venv/bin/python benchmarks/trust_votes.py --quick     # a smoke run, ~2 minutes

The full comparison with the ceiling (docs/uncertainty.md, "The full trained comparison"): four
models with one recipe, a fixed number of epochs on every candidate (``--val-fraction 0``) under
a cosine learning rate, so each run ends on an annealed epoch rather than on an early-stopping
pick; only the training targets differ::

    nice -n 10 .venv/bin/python benchmarks/trust_votes.py --train-fields 4 --n-train 2000 --shape 2048 \
        --test-fields 2 --n-test 1500 --epochs 18 --models truth,mode,soft,dawid-skene \
        --lr-schedule cosine --val-fraction 0 --precision bf16 --threads 1 \
        --npz benchmarks/results_trust_votes_full_2026-12-02.npz \
        --json benchmarks/results_trust_votes_full_2026-12-02.json

It also prints each network against each other network (paired bootstrap) and "the people and
the machine together" (:func:`combine_votes`): on the test fields, each field's people fitted
with Dawid-Skene, their votes combined with the network's probabilities as the prior.

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

from starclass.schema import CLASS_REF, human_cols, mag_true_col


def _simulate(seed: int, n: int, shape: int):
    from starclass.simulate import preset, simulate_field

    return simulate_field(preset("hst", seed=seed, shape=(shape, shape), n_candidates=n))


def _votes(field) -> np.ndarray:
    """The people's votes ``(N, H)`` in the order of the truth table (matched by id)."""
    hum = field.humans
    cols = human_cols(hum)
    row = {int(i): k for k, i in enumerate(np.asarray(hum["id"]))}
    idx = np.array([row.get(int(i), -1) for i in np.asarray(field.truth["id"])])
    out = np.zeros((len(idx), len(cols)), dtype=np.int64)
    ok = idx >= 0
    for j, c in enumerate(cols):
        out[ok, j] = np.asarray(hum[c])[idx[ok]]
    return out


def _bootstrap(a: np.ndarray, b: np.ndarray, n: int = 2000, seed: int = 0) -> tuple[float, float, float]:
    """Mean of a - b (per-candidate correctness) and its 95% paired-bootstrap interval."""
    diff = a.astype(float) - b.astype(float)
    idx = np.random.default_rng(seed).integers(0, diff.size, size=(n, diff.size))
    d = diff[idx].mean(axis=1)
    return float(diff.mean()), float(np.quantile(d, 0.025)), float(np.quantile(d, 0.975))


def _people_and_machine(probs: dict[str, np.ndarray], blocks: list[np.ndarray], truth: np.ndarray,
                        mode_ok: np.ndarray) -> dict:
    """Each network's probabilities as the prior of each test field's Dawid-Skene people, against the truth."""
    from starclass.learn.labels import combine_votes, dawid_skene

    ds_post, confs, starts = [], [], [0]
    for v in blocks:
        ds = dawid_skene(v, [1, 2, 3, 4])
        ds_post.append(combine_votes(np.tile(ds.priors, (len(v), 1)), v, ds.confusion, [1, 2, 3, 4]))
        confs.append(ds.confusion)
        starts.append(starts[-1] + len(v))
    ds_hard = np.concatenate(ds_post).argmax(axis=1) + 1
    votes = np.concatenate(blocks)
    voted = np.isin(votes, [1, 2, 3, 4]).any(axis=1)
    ds_ok = ds_hard == truth
    # the networks go under their own key: a network trained on the mode must not replace the
    # people's mode's figure
    out = {"n_with_votes": int(voted.sum()), "ds_alone": float(np.mean(ds_ok[voted])),
           "people_mode": float(np.mean(mode_ok[voted])), "networks": {}}
    print(f"\npeople and machine together ({int(voted.sum())} test candidates with votes): people's mode "
          f"{out['people_mode']:.3f}, Dawid-Skene alone {out['ds_alone']:.3f}")
    # where the gain comes from: candidates the people agree on, split two ways, split three ways
    distinct = np.array([len(set(int(x) for x in row if x in (1, 2, 3, 4))) for row in votes])
    groups = {f"{k} distinct votes": voted & (distinct == k) for k in sorted(set(distinct[voted].tolist()))}
    out["by_agreement"] = {g: {"n": int(s.sum()), "people_mode": float(np.mean(mode_ok[s])),
                               "ds_alone": float(np.mean(ds_ok[s]))} for g, s in groups.items()}
    for model, p in probs.items():
        post = np.concatenate([combine_votes(p[starts[f]: starts[f + 1]], blocks[f], confs[f], [1, 2, 3, 4])
                               for f in range(len(blocks))])
        ok = (post.argmax(axis=1) + 1) == truth
        rec = {"acc": float(np.mean(ok[voted])),
               "minus_mode": [round(x, 4) for x in _bootstrap(ok[voted], mode_ok[voted])],
               "minus_ds_alone": [round(x, 4) for x in _bootstrap(ok[voted], ds_ok[voted])]}
        out["networks"][model] = rec
        for g, s in groups.items():
            out["by_agreement"][g][model] = float(np.mean(ok[s]))
        dm, dd = rec["minus_mode"], rec["minus_ds_alone"]
        print(f"  network {model:12s} x DS people: {rec['acc']:.3f}; minus mode {dm[0]:+.3f} [{dm[1]:+.3f}, "
              f"{dm[2]:+.3f}]; minus DS alone {dd[0]:+.3f} [{dd[1]:+.3f}, {dd[2]:+.3f}]")
    for g, rec in out["by_agreement"].items():
        print(f"  {g} ({rec['n']}): " + ", ".join(f"{k} {v:.3f}" for k, v in rec.items() if k != "n"))
    return out


def _write_json(path: Path | None, args, results: dict) -> None:
    """Write the figures so far, atomically (a stopped run keeps the models already scored)."""
    if path is None:
        return
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()}, "results": results},
                              indent=2, default=float))
    os.replace(tmp, path)


def from_npz(npz: Path) -> dict:
    """The figures that need no training, from a run's saved ``--npz``: networks and people against the truth.

    Each network and the people's mode against the truth, every pair of networks (paired
    bootstrap), and the people and the machine together (:func:`combine_votes`).
    """
    d = np.load(npz)
    truth, mode = d["truth"], d["mode"]
    sizes = np.cumsum(np.concatenate([[0], d["field_sizes"]]))
    blocks = [d["votes"][a:b] for a, b in zip(sizes[:-1], sizes[1:])]
    probs = {k[len("prob_"):]: d[k] for k in d.files if k.startswith("prob_")}
    valid = d["valid"]
    correct = {m: np.where(valid, p.argmax(axis=1) + 1, 0) == truth for m, p in probs.items()}
    mode_ok = mode == truth
    out: dict = {"people_mode": float(np.mean(mode_ok)), "networks": {}, "paired_networks": {}}
    for m, ok in correct.items():
        out["networks"][m] = {"acc_4class_vs_truth": float(np.mean(ok)),
                              "minus_mode": [round(x, 4) for x in _bootstrap(ok, mode_ok)]}
    for a in correct:
        for b in correct:
            if a < b:
                out["paired_networks"][f"{a} minus {b}"] = [round(x, 4) for x in _bootstrap(correct[a], correct[b])]
    out["people_and_machine"] = _people_and_machine(probs, blocks, truth, mode_ok)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train-fields", type=int, default=4)
    ap.add_argument("--n-train", type=int, default=2000, help="candidates per training field")
    ap.add_argument("--test-fields", type=int, default=2)
    ap.add_argument("--n-test", type=int, default=1500)
    ap.add_argument("--shape", type=int, default=2048)
    ap.add_argument("--train-seed", type=int, default=101)
    ap.add_argument("--test-seed", type=int, default=202)
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--models", default="mode,soft,dawid-skene",
                    help="label models to train with; 'truth' adds the ceiling (trained on the truth itself)")
    ap.add_argument("--precision", choices=("auto", "fp32", "bf16"), default="auto")
    ap.add_argument("--threads", type=int, default=None, help="torch threads (1 is faster on a loaded machine)")
    ap.add_argument("--lr-schedule", default=None,
                    help="recipe.lr_schedule of every model (default the preset's, constant); with "
                         "--val-fraction 0, 'cosine' makes the fixed-length run end on an annealed epoch")
    ap.add_argument("--val-fraction", type=float, default=None,
                    help="recipe.val_fraction of every model (default the preset's, 0.1 with early stopping); "
                         "0 trains every model on every candidate for exactly --epochs")
    ap.add_argument("--npz", type=Path, help="also save the test truth, votes and each network's probabilities")
    ap.add_argument("--from-npz", type=Path,
                    help="no simulation or training: recompute the comparisons from a run's --npz (to --json)")
    ap.add_argument("--quick", action="store_true", help="small fields, few epochs (smoke run)")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = ap.parse_args()
    if args.from_npz is not None:
        if not args.from_npz.is_file():
            ap.error(f"--from-npz {args.from_npz}: no such file")
        if args.json is not None and args.json.exists():
            ap.error(f"--json {args.json} exists: choose another name (nothing is overwritten)")
        _write_json(args.json, args, from_npz(args.from_npz))
        return
    if args.quick:
        args.train_fields, args.n_train, args.test_fields, args.n_test = 2, 600, 1, 500
        args.shape, args.epochs = 1024, 4

    import torch

    from starclass.evaluate.metrics import classification_summary
    from starclass.learn.classify import predict_inputs
    from starclass.learn.config import get_preset
    from starclass.learn.labels import annotator_table, dawid_skene, votes_for_catalogue
    from starclass.learn.train import fit
    from starclass.stamps import make_inputs

    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"# learning from votes (shared 2-core machine, torch threads {torch.get_num_threads()})")
    t0 = time.perf_counter()
    train_seeds = [args.train_seed + k for k in range(args.train_fields)]
    test_seeds = [args.test_seed + k for k in range(args.test_fields)]
    train = [_simulate(s, args.n_train, args.shape) for s in train_seeds]
    test = [_simulate(s, args.n_test, args.shape) for s in test_seeds]
    print(f"simulated {len(train)} training fields (seeds {train_seeds}) and {len(test)} test fields "
          f"(seeds {test_seeds}) in {time.perf_counter() - t0:.0f} s")

    recipe = {"balance": None, "amp": args.precision}
    # the same recipe for every label model: only the training targets differ
    if args.lr_schedule is not None:
        recipe["lr_schedule"] = args.lr_schedule
    if args.val_fraction is not None:
        recipe["val_fraction"] = args.val_fraction
    cfg = get_preset("legus4-compact").copy(recipe=recipe)
    xs, oks, tx, ty, vote_blocks = [], [], [], [], []
    for k, f in enumerate(train):
        x, ok = make_inputs(f.images, f.truth["x"], f.truth["y"], cfg, zeropoints=f.zeropoint)
        xs.append(x)
        oks.append(ok)
        tx.append(np.asarray(f.truth["x"]) + k * (args.shape + 100))  # fields side by side: spatial split
        ty.append(np.asarray(f.truth["y"]))
        vote_blocks.append(_votes(f))
    x_tr, ok_tr = np.concatenate(xs), np.concatenate(oks)
    n_people = sum(v.shape[1] for v in vote_blocks)
    # one column per person of each field; the other fields' rows have no vote from them
    votes = Table()
    start = 0
    for k, v in enumerate(vote_blocks):
        for j in range(v.shape[1]):
            col = np.zeros(len(x_tr), dtype=np.int64)
            col[start: start + len(v)] = v[:, j]
            votes[f"f{k}_h{j + 1}"] = col
        start += len(v)
    cols = votes.colnames
    tr_truth = np.concatenate([np.asarray(f.truth[CLASS_REF], dtype=int) for f in train])

    te_parts = [make_inputs(f.images, f.truth["x"], f.truth["y"], cfg, zeropoints=f.zeropoint) for f in test]
    x_te = np.concatenate([p[0] for p in te_parts])
    ok_te = np.concatenate([p[1] for p in te_parts])
    te_truth = np.concatenate([np.asarray(f.truth[CLASS_REF], dtype=int) for f in test])
    te_votes = np.concatenate([_votes(f) for f in test])
    te_mode = np.concatenate([np.asarray(f.humans[CLASS_REF], dtype=int) for f in test])
    te_mag = np.concatenate([np.asarray(f.truth[mag_true_col("f555w")], dtype=float) for f in test])
    mode_ok = te_mode == te_truth
    acc_mode = classification_summary(te_truth, te_mode, "4class").accuracy
    person = [float(np.mean(te_votes[:, j] == te_truth)) for j in range(te_votes.shape[1])]
    print(f"training: {len(x_tr)} candidates, {n_people} people; test: {len(te_truth)} candidates")
    print(f"test fields: people's mode vs truth {acc_mode:.3f}; single people {[round(p, 3) for p in person]}")

    # the label models as aggregators, no network: the people's votes on the test fields alone
    agg_acc = {}
    blocks = [_votes(f) for f in test]
    for model in ("mode", "soft", "dawid-skene"):
        parts = []
        for v in blocks:
            t = Table({f"h{j + 1}": v[:, j] for j in range(v.shape[1])})
            parts.append(votes_for_catalogue(cfg, t, None, model=model, columns=t.colnames, name="test votes").targets)
        hard = np.concatenate(parts).argmax(axis=1) + 1
        agg_acc[model] = float(np.mean(hard == te_truth))
    print("votes aggregated on the test fields (argmax of the targets) vs truth: "
          + ", ".join(f"{m} {a:.3f}" for m, a in agg_acc.items()))

    results: dict[str, dict] = {"people's mode": {"acc_4class_vs_truth": acc_mode}, "aggregated_test_votes": agg_acc}
    correct: dict[str, np.ndarray] = {}
    probs: dict[str, np.ndarray] = {}
    work = Path(tempfile.mkdtemp(prefix="starclass_votes_"))
    for model in [m.strip() for m in args.models.split(",") if m.strip()]:
        if model == "truth":
            # the ceiling: the same network on the truth of the same candidates; if it cannot beat
            # the people's mode, no label model of their votes can
            targets = np.zeros((len(tr_truth), 4))
            known = (tr_truth >= 1) & (tr_truth <= 4)
            targets[np.flatnonzero(known), tr_truth[known] - 1] = 1.0
            targets = np.where(ok_tr[:, None], targets, 0.0)
        else:
            vt = votes_for_catalogue(cfg, votes, None, columns=cols, model=model, name="votes")
            targets = np.where(ok_tr[:, None], vt.targets, 0.0)
        hard = np.where(targets.sum(axis=1) > 0, targets.argmax(axis=1) + 1, 0)
        lab_acc = float(np.mean(hard[hard > 0] == tr_truth[hard > 0]))
        t = time.perf_counter()
        res = fit(cfg, x_tr, targets, outdir=work / model, positions=(np.concatenate(tx), np.concatenate(ty)),
                  seed=args.seed, epochs=args.epochs, progress=False, resume=False,
                  label_model=None if model == "truth" else model)
        t_fit = time.perf_counter() - t
        agg = predict_inputs(work / model, x_te, ok=ok_te, batch_size=512)
        pred = agg.class_pred
        acc = classification_summary(te_truth, pred, "4class").accuracy
        correct[model] = pred == te_truth
        probs[model] = np.asarray(agg.prob_mean, dtype=float)
        results[model] = {"acc_4class_vs_truth": acc, "acc_12v34_vs_truth":
                          classification_summary(te_truth, pred, "12v34").accuracy,
                          "train_label_argmax_vs_truth": lab_acc, "train_s": round(t_fit, 1),
                          "best_epochs": res.best_epochs,
                          "val": [round(v, 3) if np.isfinite(v) else None for v in res.val_accuracy]}
        _write_json(args.json, args, results)
        print(f"{model:12s}: trained in {t_fit:.0f} s (kept epoch {res.best_epochs}); training targets' argmax vs "
              f"truth {lab_acc:.3f}; test accuracy vs truth {acc:.3f}", flush=True)
        if model == "dawid-skene":
            ds = dawid_skene(np.stack([np.asarray(votes[c]) for c in cols], axis=1), [1, 2, 3, 4])
            tab = annotator_table(ds, cols)
            diag = [float(ds.confusion[h].diagonal() @ ds.priors) for h in range(len(cols))]
            print("  Dawid-Skene accuracy of each person (prior-weighted diagonal): "
                  + ", ".join(f"{c} {d:.3f}" for c, d in zip(cols, diag)))
            results[model]["annotator_accuracy"] = dict(zip(cols, diag))
            tab.write(work / "annotators.ecsv", overwrite=True)

    print()
    print(f"{'labels':14s} {'4cl/truth':>9s}  minus people's mode [95% paired bootstrap]")
    print(f"{'people mode':14s} {acc_mode:9.3f}")
    for model, ok in correct.items():
        d, lo, hi = _bootstrap(ok, mode_ok)
        results[model]["minus_mode"] = [round(d, 4), round(lo, 4), round(hi, 4)]
        print(f"{model:14s} {results[model]['acc_4class_vs_truth']:9.3f}  {d:+.3f} [{lo:+.3f}, {hi:+.3f}]")
    names = list(correct)
    pairs = {}
    for a in names:
        for b in names:
            if a < b:
                d, lo, hi = _bootstrap(correct[a], correct[b])
                pairs[f"{a} minus {b}"] = [round(d, 4), round(lo, 4), round(hi, 4)]
                print(f"{a} minus {b}: {d:+.3f} [{lo:+.3f}, {hi:+.3f}]")
    results["paired_networks"] = pairs
    if probs:
        results["people_and_machine"] = _people_and_machine(probs, blocks, te_truth, mode_ok)
    if args.npz:
        np.savez_compressed(args.npz, truth=te_truth, votes=te_votes, mode=te_mode, mag=te_mag, valid=ok_te,
                            field_sizes=np.array([len(b) for b in blocks]),
                            **{f"prob_{m}": p for m, p in probs.items()})
    faint = te_mag >= np.nanmedian(te_mag)
    print("\naccuracy vs truth on the fainter / brighter half (V): "
          + "; ".join(f"{m} {np.mean(c[faint]):.3f} / {np.mean(c[~faint]):.3f}"
                      for m, c in {"people's mode": mode_ok, **correct}.items()))
    print(f"\ntotal {time.perf_counter() - t0:.0f} s; models in {work}")
    _write_json(args.json, args, results)


if __name__ == "__main__":
    main()
