"""Sim-to-real: train on simulated PAndAS-like cutouts, test on the real ones (issue 12, section 3).

Two parts (``--parts``), both with the ``m31-real`` preset (the compact CNN, whole 128 px field
-> 64 px, per-stamp z-score) or, with ``--model``, another CNN of ``benchmarks/real_pandas.py``
(e.g. ``resnet18``, with that benchmark's recipe and crop; give it its own ``--out``, since the
simulation model is ``OUT/sim_model``); ``--stamp-size N`` resamples what the CNN is given to N px
as ``real_pandas.py --stamp-size`` does (``--model resnet18 --stamp-size 128``: the native pixels;
fine-tune such a model with the same ``--stamp-size``, since ``init_from`` refuses another one):

``sim``    train on simulated cutouts only (``starclass simulate SIM --preset pandas-cutouts``;
           made here with ``--n-sim`` and ``--sim-seed`` when ``--sim`` does not exist) and
           classify every real cutout: accuracy (P >= 0.5), ROC AUC and F1 of the cluster
           class, with and without 8-fold test-time augmentation, each with a 95% bootstrap
           interval over cutouts (the metric functions of ``benchmarks/real_pandas.py``:
           scikit-learn's scores and :func:`starclass.evaluate.bootstrap.bootstrap_ci`).
``curve``  a label-efficiency curve on the same grouped folds as ``benchmarks/real_pandas.py``
           (:func:`starclass.learn.cutouts.group_folds`, 5 folds by ``object_id``, seed 0):
           for every fold and every ``n`` of ``--sizes``, ``n`` training objects are drawn from
           the fold's training part (the first ``n`` of one random order per fold, so the
           subsets are nested) and two models are trained on exactly those cutouts, with the
           same seed and the same grouped validation split: one from scratch and one
           fine-tuned from the ``sim`` model (``fit(init_from=...)``). Both are scored on the
           fold's test part (AUC, F1, accuracy). ``all`` is the whole training part and
           ``half`` half of its objects.

Every result is one JSON file in ``--out`` written as it finishes, so the parts can be run
apart; ``--summarise`` prints the tables (mean and standard deviation over the folds run) and
draws the curve::

    nice -n 5 python benchmarks/sim_to_real.py --parts sim --sim /tmp/sim3000 --n-sim 3000
    nice -n 5 python benchmarks/sim_to_real.py --parts curve --folds 0,1 --sizes 25,50,all
    python benchmarks/sim_to_real.py --summarise      # tables + docs/img/real_images/sim_to_real.png

The machine is shared: timings are indicative only.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
import torch

from starclass.errors import StarclassError
from starclass.evaluate.bootstrap import bootstrap_ci
from starclass.io.atomic import atomic_path
from starclass.io.cutout_folders import CutoutSet, label_classes, read_cutout_folder
from starclass.learn.checkpoint import load_model
from starclass.learn.classify import predict_inputs
from starclass.learn.config import get_preset
from starclass.learn.cutouts import fit_cutouts, group_folds
from starclass.simulate.cutouts_m31 import CutoutSimConfig, write_cutouts
from starclass.stamps.images import cutout_inputs

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REAL = next((p for p in (ROOT.parent / "shared" / "data" / "pandas-m31",
                                 ROOT.parents[1] / "shared" / "data" / "pandas-m31") if p.is_dir()),
                    ROOT.parent / "shared" / "data" / "pandas-m31")
DEFAULT_SIZES = "25,50,100,200,half,all"
ARMS = ("scratch", "finetuned")

# the real benchmark's metric functions, so both benchmarks score alike (it is a script, not a
# package, hence loaded from its file)
_spec = importlib.util.spec_from_file_location("real_pandas", Path(__file__).with_name("real_pandas.py"))
real_pandas = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(real_pandas)
METRICS = {k: v for k, v in real_pandas._metrics().items() if k in ("accuracy", "auc", "f1")}


def net_config(args):
    """Task config and central crop (native px) of ``--model``: a CNN of ``benchmarks/real_pandas.py``,
    with ``--stamp-size`` applied by that benchmark's own :func:`variant_config` (same checks, same
    name suffix), so a simulation model and the real benchmark's fine-tuning see the same geometry."""
    return real_pandas.variant_config(args.model, args)


def p_cluster(model_dir: Path, images: np.ndarray, tta: bool = False) -> np.ndarray:
    """P(cluster) of a saved model for raw cutout pixels ``[N, C, H, W]``."""
    model = load_model(model_dir, device="cpu")
    cfg = model.config
    r = predict_inputs(model, cutout_inputs(images, cfg), tta=tta, device="cpu")
    return r.prob_mean[:, list(cfg.classes).index(int(cfg.positive_class))]


def scores(y_cluster: np.ndarray, p: np.ndarray) -> dict[str, float]:
    """Accuracy, AUC and F1 (no interval) of P(cluster) against 0/1 truth."""
    return {name: fn(y_cluster, p) for name, fn in METRICS.items()}


def write_json(path: Path, doc: dict) -> None:
    """Write one result atomically, so a half-written file never looks finished."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(doc))


def sim_model_dir(args) -> Path:
    return Path(args.out) / "sim_model"


def run_sim(args, real: CutoutSet, y: np.ndarray) -> None:
    """Train on simulated cutouts only; score on every real cutout."""
    sim_dir = Path(args.sim)
    if not (sim_dir / "labels.csv").is_file():
        t0 = time.perf_counter()
        write_cutouts(CutoutSimConfig(n=args.n_sim, seed=args.sim_seed), sim_dir)
        print(f"simulated {args.n_sim} cutouts (seed {args.sim_seed}) in {time.perf_counter() - t0:.0f} s", flush=True)
    cfg, width = net_config(args)
    # the same crop as the real benchmark gives this network, on both sides
    sim = real_pandas.crop(read_cutout_folder(sim_dir / "labels.csv", group_column="object_id"), width)
    real = real_pandas.crop(real, width)
    t0 = time.perf_counter()
    res = fit_cutouts(cfg, sim, outdir=sim_model_dir(args), seed=args.seed, epochs=args.epochs,
                      progress=False, resume=False, device="cpu")
    t_train = time.perf_counter() - t0
    yb = (y == 1).astype(int)
    doc = {"sim": str(sim_dir), "n_sim": len(sim), "sim_labels": {str(k): int(v) for k, v in
                                                                  zip(*np.unique(sim.labels, return_counts=True))},
           "train_s": t_train, "epochs_run": len(res.histories[0]), "best_epoch": res.best_epochs[0],
           "sim_val_acc": res.val_accuracy[0], "epochs_max": int(args.epochs or cfg.recipe.epochs),
           "loadavg": os.getloadavg()[0], "n_real": int(yb.size), "model": args.model}
    for tta in (False, True):
        p = p_cluster(sim_model_dir(args), real.images, tta=tta)
        doc["p_tta" if tta else "p"] = p.tolist()
    write_json(Path(args.out) / "sim_only.json", doc)
    s = scores(yb, np.asarray(doc["p"]))
    print(f"sim-only: trained {t_train:.0f} s ({doc['epochs_run']} epochs), real AUC {s['auc']:.3f} "
          f"F1 {s['f1']:.3f} accuracy {s['accuracy']:.3f}", flush=True)


def subset_rows(real: CutoutSet, folds: np.ndarray, k: int, sizes: list[str], seed: int) -> dict[str, np.ndarray]:
    """Rows of the ``n`` first training objects of fold ``k`` (one random order per fold)."""
    train = np.flatnonzero(folds != k)
    groups = real.groups.astype(str)
    objects = np.unique(groups[train])
    order = np.random.default_rng([seed, k]).permutation(objects)
    out = {}
    for size in sizes:
        n = objects.size if size == "all" else objects.size // 2 if size == "half" else int(size)
        keep = set(order[:min(n, objects.size)])
        out[size] = train[np.isin(groups[train], list(keep))]
    return out


def run_curve(args, real: CutoutSet, y: np.ndarray, folds: np.ndarray) -> None:
    """Scratch against fine-tuned training on the same ``n`` real objects, fold by fold."""
    init = sim_model_dir(args)
    arms = [a.strip() for a in args.arms.split(",")]
    if "finetuned" in arms and not (init / "manifest.json").is_file():
        raise SystemExit(f"no simulation-trained model in {init}: run --parts sim first")
    cfg, width = net_config(args)
    real = real_pandas.crop(real, width)
    if args.ft_lr is not None:
        ft_cfg = cfg.copy(recipe={"lr": float(args.ft_lr)})
    else:
        ft_cfg = cfg
    yb = (y == 1).astype(int)
    sizes = [s.strip() for s in args.sizes.split(",")]
    for k in (int(f) for f in args.folds.split(",")):
        test = np.flatnonzero(folds == k)
        for size, rows in subset_rows(real, folds, k, sizes, args.seed).items():
            for arm in arms:
                path = Path(args.out) / f"curve_fold{k}_n{size}_{arm}.json"
                if path.is_file() and not args.redo:
                    continue
                t0 = time.perf_counter()
                with tempfile.TemporaryDirectory(prefix="sim_to_real_") as tmp:
                    res = fit_cutouts(ft_cfg if arm == "finetuned" else cfg, real, outdir=tmp, train_index=rows,
                                      seed=args.seed, epochs=args.epochs, progress=False, resume=False,
                                      device="cpu", init_from=init if arm == "finetuned" else None)
                    t_train = time.perf_counter() - t0
                    p = p_cluster(tmp, real.images[test])
                s = scores(yb[test], p)
                doc = dict(s, fold=k, size=size, arm=arm, n_objects=int(np.unique(real.groups[rows]).size),
                           n_cutouts=int(rows.size), test=test.tolist(), p=p.tolist(), train_s=t_train,
                           epochs_run=len(res.histories[0]), best_epoch=res.best_epochs[0],
                           lr=float((ft_cfg if arm == "finetuned" else cfg).recipe.lr),
                           epochs_max=int(args.epochs or cfg.recipe.epochs), loadavg=os.getloadavg()[0],
                           model=args.model)
                write_json(path, doc)
                print(f"fold {k} n={size} ({doc['n_objects']} objects) {arm}: AUC {s['auc']:.3f} F1 {s['f1']:.3f} "
                      f"{t_train:.0f} s, {doc['epochs_run']} ep, load {doc['loadavg']:.1f}", flush=True)


def paired_lines(doc: dict, other_path: Path, yb: np.ndarray, n_boot: int) -> list[str]:
    """Paired bootstrap differences (this ``sim_only`` minus another) of every metric, same cutouts."""
    if not other_path.is_file():
        raise StarclassError(f"--paired-against {other_path}: no such sim_only JSON")
    other = json.loads(other_path.read_text())
    if len(other.get("p", [])) != len(doc["p"]) or other.get("n_real") != doc["n_real"]:
        raise StarclassError(f"--paired-against {other_path}: predictions for {other.get('n_real')} cutouts, "
                             f"this run has {doc['n_real']}; not the same real cutouts")
    lines = [f"Paired on the same {doc['n_real']} real cutouts ({n_boot} bootstrap resamples), this run "
             f"({doc['sim']}) minus {other_path} ({other.get('sim')}):", "",
             "| TTA | metric | difference [95% interval] |", "| --- | --- | --- |"]
    for key, tta in (("p", "no"), ("p_tta", "8x")):
        pa, pb = np.asarray(doc[key]), np.asarray(other[key])
        for name, fn in METRICS.items():
            v, lo, hi = bootstrap_ci(lambda y, a, b, fn=fn: fn(y, a) - fn(y, b), yb, pa, pb, n_boot=n_boot, seed=0)
            lines.append(f"| {tta} | {name} | {v:+.3f} [{lo:+.3f}, {hi:+.3f}] |")
    return lines


#: Projected-radius bins (kpc) of the by-radius table: M31's bulge and inner disc, the outer
#: disc, and the halo (where the PAndAS halo discoveries lie).
RADIUS_BINS = ((0.0, 5.0), (5.0, 15.0), (15.0, 1000.0))


def projected_radius_kpc(table) -> np.ndarray | None:
    """Projected radius (kpc) on M31 of each real cutout from its ``ra, dec`` (0.78 Mpc, not
    deprojected; M31's centre as in the simulator's radius table); None without the columns."""
    if "ra" not in table.colnames or "dec" not in table.colnames:
        return None
    from astropy import units as u
    from astropy.coordinates import SkyCoord

    pos = SkyCoord(np.asarray(table["ra"], float) * u.deg, np.asarray(table["dec"], float) * u.deg)
    return pos.separation(SkyCoord(10.6847 * u.deg, 41.2690 * u.deg)).radian * 780.0


def radius_lines(doc: dict, table, yb: np.ndarray, other: dict | None, n_boot: int) -> list[str]:
    """AUC and recall per label by projected radius, recall of the halo clusters per source
    catalogue and, with ``other`` (another run's sim_only), the paired difference of the halo
    clusters' recall."""
    r = projected_radius_kpc(table)
    if r is None:
        return []
    lines = ["By projected radius on M31 (P(cluster) >= 0.5):", "",
             "| R (kpc) | TTA | clusters / galaxies | AUC | cluster recall | galaxy recall |",
             "| --- | --- | --- | --- | --- | --- |"]
    for lo, hi in RADIUS_BINS:
        m = (r >= lo) & (r < hi)
        for key, tta in (("p", "no"), ("p_tta", "8x")):
            pb = np.asarray(doc[key])[m]
            yy = yb[m]
            auc = METRICS["auc"](yy, pb) if 0 < yy.sum() < yy.size else float("nan")
            lines.append(f"| {lo:g}-{hi:g} | {tta} | {yy.sum()} / {(1 - yy).sum()} | {auc:.3f} | "
                         f"{np.mean(pb[yy == 1] >= 0.5):.2f} | {np.mean(pb[yy == 0] < 0.5):.2f} |")
    halo = (r >= RADIUS_BINS[-1][0]) & (yb == 1)
    if "source_table" in table.colnames:
        src = np.asarray(table["source_table"]).astype(str)
        lines += ["", f"Clusters beyond {RADIUS_BINS[-1][0]:g} kpc by source catalogue (5 or more; no TTA / 8x):", ""]
        for name in sorted(set(src[halo])):
            m = halo & (src == name)
            if m.sum() >= 5:
                lines.append(f"* {name}: {m.sum()} clusters, recall {np.mean(np.asarray(doc['p'])[m] >= 0.5):.2f} / "
                             f"{np.mean(np.asarray(doc['p_tta'])[m] >= 0.5):.2f}")
    if other is not None:
        lines += ["", f"Recall of the {halo.sum()} clusters beyond {RADIUS_BINS[-1][0]:g} kpc, this run minus the "
                  "other (paired bootstrap over those clusters):", ""]
        ones = np.ones(int(halo.sum()), int)
        for key, tta in (("p", "no"), ("p_tta", "8x")):
            pa, pb = np.asarray(doc[key])[halo], np.asarray(other[key])[halo]
            v, lo, hi = bootstrap_ci(lambda y, a, b: np.mean(a >= 0.5) - np.mean(b >= 0.5), ones, pa, pb,
                                     n_boot=n_boot, seed=0)
            lines.append(f"* TTA {tta}: {np.mean(pa >= 0.5):.2f} v {np.mean(pb >= 0.5):.2f}, "
                         f"difference {v:+.3f} [{lo:+.3f}, {hi:+.3f}]")
    return lines


def summarise(args, y: np.ndarray, table=None) -> str:
    """Markdown tables of what ``--out`` holds; draws the curve to ``--png``."""
    out = Path(args.out)
    yb = (y == 1).astype(int)
    lines = []
    sim_path = out / "sim_only.json"
    sim_f1 = sim_auc = None
    if sim_path.is_file():
        doc = json.loads(sim_path.read_text())
        lines += [f"Simulation only: trained on {doc['n_sim']} simulated cutouts ({doc['epochs_run']} epochs of at "
                  f"most {doc['epochs_max']}, kept epoch {doc['best_epoch']}, {doc['train_s']:.0f} s), "
                  f"tested on all {doc['n_real']} real cutouts:", "",
                  "| TTA | accuracy | ROC AUC | F1 |", "| --- | --- | --- | --- |"]
        for tta in (False, True):
            p = np.asarray(doc["p_tta" if tta else "p"])
            cells = [real_pandas._cell(*real_pandas._ci(fn, yb, p, n_boot=args.n_boot)) for fn in METRICS.values()]
            lines.append(f"| {'8x' if tta else 'no'} | " + " | ".join(cells) + " |")
        p = np.asarray(doc["p"])
        sim_auc, sim_f1 = METRICS["auc"](yb, p), METRICS["f1"](yb, p)
        other = None
        if getattr(args, "paired_against", None):
            lines += ["", *paired_lines(doc, Path(args.paired_against), yb, args.n_boot)]
            other = json.loads(Path(args.paired_against).read_text())
        if table is not None:
            lines += ["", *radius_lines(doc, table, yb, other, args.n_boot)]
    runs: dict[tuple[str, str], list[dict]] = {}
    for f in sorted(out.glob("curve_fold*_n*_*.json")):
        d = json.loads(f.read_text())
        runs.setdefault((d["size"], d["arm"]), []).append(d)
    order = sorted({s for s, _ in runs}, key=lambda s: (s in ("half", "all"), s == "all", int(s) if s.isdigit() else 0))
    rows = []
    if runs:
        lines += ["", "| n (objects) | folds | scratch AUC | fine-tuned AUC | scratch F1 | fine-tuned F1 "
                  "| scratch s | fine-tuned s |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for size in order:
        sc, ft = runs.get((size, "scratch"), []), runs.get((size, "finetuned"), [])
        nobj = [d["n_objects"] for d in sc + ft]
        label = size if size.isdigit() else f"{size} ({min(nobj)}-{max(nobj)})"
        cell = {}
        for arm, ds in (("scratch", sc), ("finetuned", ft)):
            for m in ("auc", "f1"):
                v = np.array([d[m] for d in ds], dtype=float)
                cell[arm, m] = f"{v.mean():.3f} ± {v.std(ddof=1):.3f}" if v.size > 1 else (
                    f"{v.mean():.3f}" if v.size else "")
            cell[arm, "s"] = f"{np.mean([d['train_s'] for d in ds]):.0f}" if ds else ""
        folds = sorted({d["fold"] for d in sc + ft})
        lines.append(f"| {label} | {','.join(map(str, folds))} | {cell['scratch', 'auc']} | {cell['finetuned', 'auc']} "
                     f"| {cell['scratch', 'f1']} | {cell['finetuned', 'f1']} | {cell['scratch', 's']} "
                     f"| {cell['finetuned', 's']} |")
        rows.append((size, sc, ft))
    if rows:
        lines += ["", "mean ± standard deviation over the folds; n counts objects (an object may have 2 cutouts)"]
        plot_curve(rows, sim_auc, sim_f1, Path(args.png))
    return "\n".join(lines)


def plot_curve(rows, sim_auc: float | None, sim_f1: float | None, png: Path) -> None:
    """AUC and F1 against the number of real training objects, scratch against fine-tuned."""
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
    for ax, m, name in zip(axes, ("auc", "f1"), ("ROC AUC", "F1 (cluster)")):
        for arm, ds_i, colour in (("from scratch", 1, "tab:grey"), ("fine-tuned from simulation", 2, "tab:blue")):
            x = [np.mean([d["n_objects"] for d in r[ds_i]]) for r in rows if r[ds_i]]
            v = [np.array([d[m] for d in r[ds_i]]) for r in rows if r[ds_i]]
            ax.errorbar(x, [a.mean() for a in v], yerr=[a.std(ddof=1) if a.size > 1 else 0 for a in v],
                        marker="o", capsize=3, color=colour, label=arm)
        ref = sim_auc if m == "auc" else sim_f1
        if ref is not None:
            ax.axhline(ref, color="tab:orange", ls="--", lw=1, label="simulation only (all real cutouts)")
        if m == "f1" and rows[-1][1]:
            # the goal's yardstick: the F1 that scratch training reaches with the most labels
            ax.axhline(np.mean([d["f1"] for d in rows[-1][1]]), color="tab:grey", ls=":", lw=1,
                       label="scratch with the most labels")
        ax.set_xscale("log")
        ticks = sorted({round(float(np.mean([d["n_objects"] for d in r[1] + r[2]]))) for r in rows})
        ax.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())
        ax.set_xticks(ticks, [str(t) for t in ticks])
        ax.set_xlabel("real training objects (n)")
        ax.set_ylabel(name)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7, loc="lower right")
    axes[1].legend(fontsize=7, loc="lower right")
    fig.suptitle("Sim-to-real on the PAndAS cutouts: compact CNN, 5 grouped folds (mean ± s.d.)", fontsize=9)
    fig.tight_layout()
    png.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(png) as tmp:
        fig.savefig(tmp, dpi=110, format="png")
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(DEFAULT_REAL), help="the real pandas-m31 folder (labels.csv inside)")
    ap.add_argument("--sim", default="/tmp/sim_to_real_pandas", help="simulated cutout folder (made if missing)")
    ap.add_argument("--n-sim", type=int, default=3000, help="cutouts to simulate when --sim is missing")
    ap.add_argument("--sim-seed", type=int, default=2026, help="simulation seed (not one the tests or realism use)")
    ap.add_argument("--parts", default="sim,curve", help="comma-separated: sim, curve")
    ap.add_argument("--folds", default="0,1,2,3,4", help="folds of the curve (0-based)")
    ap.add_argument("--sizes", default=DEFAULT_SIZES, help="training objects per fold: numbers, half, all")
    ap.add_argument("--arms", default=",".join(ARMS), help="curve arms to run: scratch, finetuned")
    ap.add_argument("--epochs", type=int, default=None, help="epochs of every model (default: the preset's)")
    ap.add_argument("--model", default="compact", choices=real_pandas.CNNS,
                    help="network of both parts, as in benchmarks/real_pandas.py (default: the m31-real preset)")
    ap.add_argument("--starcnet-width", type=int, default=32, help="width of --model starcnet")
    ap.add_argument("--stamp-size", type=int, default=None,
                    help="resample what the CNN is given to this many px, as benchmarks/real_pandas.py "
                         "--stamp-size (128 keeps the native 0.187\"/px; fine-tune with the same value)")
    ap.add_argument("--ft-lr", type=float, default=None, help="learning rate of fine-tuning (default: the preset's)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the folds, the subsets and the models")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results_sim_to_real"))
    ap.add_argument("--png", default=str(ROOT / "docs" / "img" / "real_images" / "sim_to_real.png"))
    ap.add_argument("--redo", action="store_true", help="retrain curve points already in --out")
    ap.add_argument("--summarise", action="store_true", help="print the tables of what --out holds, draw --png")
    ap.add_argument("--n-boot", type=int, default=1000)
    ap.add_argument("--paired-against", default=None,
                    help="with --summarise: another run's sim_only.json (same real cutouts) for paired differences")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    real = read_cutout_folder(Path(args.data) / "labels.csv", group_column="object_id")
    y = label_classes(real, get_preset("m31-real").label_map)
    if args.summarise:
        try:
            print(summarise(args, y, real.table))
        except StarclassError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        return 0
    # the folds of benchmarks/real_pandas.py: same call, same seed
    folds = group_folds(y, real.groups, 5, seed=args.seed)
    parts = {p.strip() for p in args.parts.split(",")}
    try:
        net_config(args)  # a bad --model/--stamp-size combination fails here, before any simulation or training
        if "sim" in parts:
            run_sim(args, real, y)
        if "curve" in parts:
            run_curve(args, real, y, folds)
    except StarclassError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
