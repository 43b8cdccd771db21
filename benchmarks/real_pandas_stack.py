"""Honest stacking of the stored out-of-fold predictions, and a label audit (issue 12, eighth pass).

``benchmarks/real_pandas.py`` stores, per run and outer fold, P(cluster) of the fold's test
cutouts (grouped 5-fold cross-validation by ``object_id``, the same folds for every run). An
average of runs picked after seeing their pooled scores is optimistic. Here the members and the
combiner are chosen **inside each outer fold**: for outer fold k, only the rows of the other four
folds (their stored out-of-fold predictions and labels) are used to choose and fit; fold k's
predictions are then combined and scored. No CNN is trained. Two combiners, fixed before any was
scored:

``stack-lr``    scikit-learn ``LogisticRegression`` (L2) on the standardised logits of every
                candidate; C from :data:`C_GRID` by an inner grouped cross-validation over the
                four training folds (each held out in turn; pooled inner AUC, ties to the
                stronger regularisation).
``stack-mean``  the mean P(cluster) of the top-m candidates ranked by AUC on the training
                rows; m from :data:`M_GRID` by the same inner cross-validation (members
                re-ranked on the three folds left in each inner split).

and one added **after** ``stack-lr`` had been scored, so its choice is not blind (it is still
nested: nothing of fold k goes into fold k's combiner):

``stack-lr-raw`` the same logistic regression on the logits centred but not scaled to unit
                variance, C from :data:`C_GRID_RAW`. Standardising gave a near-constant
                member (the ResNet-50 at 56 px, AUC 0.56, whose logits spread 0.02-0.09 in four
                folds and 0.8 in one) as much say as a strong one, and its weight did not carry
                from one fold's models to another's.

The candidates are every run of ``--runs-dir`` that covers all folds with exactly the benchmark's
folds (so every cutout once), each with and without TTA as stored (``NAME`` and ``NAME +TTA``).
The pooled outer predictions are scored with ``real_pandas.py``'s summary cells (accuracy, AUC,
F1, purity and recall at 90% purity, 95% bootstrap intervals), per cutout (the headline) and per
object (P averaged over an object's cutouts), with paired differences against ``--best`` and
the baselines. The per-cutout intervals resample whole objects (``object_id``, as
``real_pandas.py --summarise`` since 2026-12-05); ``--no-group-bootstrap`` resamples cutouts one by
one, as the folder of 2026-12-05 was made. The cutouts that ``classify --stamps`` leaves unclassified
(blank, or no data at the centre: ``real_pandas.py``'s ``unclassified_rows``, the rows its ``--summarise``
leaves out) are neither stacked nor scored since 2026-12-06, and the output names them (``stack.json``:
``unclassified_left_out``); the fold files written hold the other rows of ``labels.csv``. The folder of
2026-12-05 stacked and scored all 869 cutouts, the 2 blank ones among them.

One caveat remains by construction of the stored files: a training row's out-of-fold prediction
(fold j) came from a model trained on the other four folds, fold k among them. The combiner never
sees fold k's labels or predictions, but its inputs are not independent of fold k's images and
labels as they would be with ``real_pandas.py --inner-oof`` (models retrained without fold k),
which needs 20 more trainings per run. And the set of runs itself grew over seven passes that
looked at these folds.

The label audit lists the cutouts that every strong run (pooled AUC >= ``--strong-auc`` with TTA,
or without where no TTA was stored) puts on the wrong side of P = 0.5, by the mean P(cluster)'s
distance from the label, with the catalogue each label comes from, a gallery of the top 20, and
the figures with those cutouts left out (a diagnostic only: they were chosen by these models'
errors, so leaving them out always helps)::

    .venv/bin/python benchmarks/real_pandas_stack.py -o benchmarks/results_real_pandas_stack_2026-12-05
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from starclass.errors import StarclassError
from starclass.io.atomic import atomic_dir
from starclass.io.cutout_folders import label_classes, read_cutout_folder
from starclass.learn.config import get_preset
from starclass.learn.cutouts import group_folds

ROOT = Path(__file__).resolve().parents[1]
#: inverse L2 strengths tried for ``stack-lr`` (on standardised logits)
C_GRID = tuple(float(c) for c in np.logspace(-3, 2, 11))
#: inverse L2 strengths tried for ``stack-lr-raw`` (unscaled logits: weaker members stay small)
C_GRID_RAW = tuple(float(c) for c in np.logspace(-5, 1, 13))
#: numbers of members tried for ``stack-mean``
M_GRID = tuple(range(1, 21))
#: the files this script writes (``atomic_dir``'s ``own``: --overwrite replaces nothing else)
OWN = ("stack-lr_fold*.json", "stack-lr-raw_fold*.json", "stack-mean_fold*.json", "stack.json", "audit.json",
       "summary.md", "label_audit.png")


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"_{name}", Path(__file__).with_name(f"{name}.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


bench = _load("real_pandas")
errors = _load("real_pandas_errors")


def logit(p: np.ndarray) -> np.ndarray:
    """log(p / (1 - p)), with p clipped to [1e-6, 1 - 1e-6] (the stackers' input scale).

    Examples
    --------
    >>> logit(np.array([0.5, 0.9, 1.0])).round(2).tolist()
    [0.0, 2.2, 13.82]
    """
    q = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    return np.log(q / (1 - q))


def _auc(y: np.ndarray, p: np.ndarray) -> float:
    return float(roc_auc_score(y, p)) if 0 < np.sum(y) < np.size(y) else float("nan")


def _lr(c: float, scale: bool = True):
    return make_pipeline(StandardScaler(with_std=scale), LogisticRegression(C=c, max_iter=5000))


def _inner(folds: np.ndarray):
    """Each fold of the training rows held out in turn: (fit rows, held rows), grouped as the folds."""
    for j in np.unique(folds):
        yield np.flatnonzero(folds != j), np.flatnonzero(folds == j)


def _rank(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Candidates by AUC on these rows, best first (a stable order: ties keep the column order)."""
    aucs = np.array([_auc(y, p[:, i]) for i in range(p.shape[1])])
    return np.argsort(-np.nan_to_num(aucs, nan=-1.0), kind="stable")


def fit_stack(method: str, p_train: np.ndarray, y_train: np.ndarray, folds_train: np.ndarray,
              p_test: np.ndarray, grid: tuple | None = None) -> tuple[np.ndarray, dict]:
    """Choose and fit a combiner on training rows only, then combine the test rows' predictions.

    The function is given no label of the test rows and nothing of them but their members'
    P(cluster): whatever it chooses (C, m, members, weights) comes from the training rows, so
    the outer test fold cannot leak into it.

    Parameters
    ----------
    method : {"stack-lr", "stack-lr-raw", "stack-mean"}
        Logistic regression on the standardised logits (C chosen from ``grid``, default
        :data:`C_GRID`), the same on centred unscaled logits (default :data:`C_GRID_RAW`), or
        the mean P of the top-m candidates by AUC (m from ``grid``, default :data:`M_GRID`).
    p_train : numpy.ndarray
        ``[n_train, n_candidates]`` out-of-fold P(cluster) of the training rows.
    y_train : numpy.ndarray
        0/1 truth of the training rows.
    folds_train : numpy.ndarray
        Fold of each training row (grouped by object): the inner cross-validation holds each
        out in turn and pools the held-out predictions to choose C or m.
    p_test : numpy.ndarray
        ``[n_test, n_candidates]`` P(cluster) of the test rows.
    grid : tuple, optional
        The values of C or m tried.

    Returns
    -------
    p, info : numpy.ndarray, dict
        Combined P(cluster) of the test rows; the choice (``C`` and ``coef`` per candidate, or
        ``m`` and ``members`` as column indices) with the inner AUC of every value tried.

    Raises
    ------
    StarclassError
        An unknown method, fewer than two training folds, or arrays that do not match.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 400)
    >>> good = np.clip(0.3 + 0.4 * y + rng.normal(0, 0.15, 400), 0, 1)
    >>> p = np.column_stack([good, rng.uniform(0, 1, 400)])
    >>> _, info = fit_stack("stack-mean", p[:300], y[:300], np.arange(300) % 3, p[300:])
    >>> info["members"]
    [0]
    """
    p_train = np.asarray(p_train, dtype=float)
    p_test = np.asarray(p_test, dtype=float)
    y_train = np.asarray(y_train).astype(int)
    folds_train = np.asarray(folds_train)
    if p_train.ndim != 2 or p_test.ndim != 2 or p_train.shape[1] != p_test.shape[1]:
        raise StarclassError(f"fit_stack: member arrays {p_train.shape} and {p_test.shape} do not match")
    if not (y_train.size == folds_train.size == p_train.shape[0]):
        raise StarclassError("fit_stack: truth, folds and predictions of the training rows differ in length")
    if np.unique(folds_train).size < 2:
        raise StarclassError("fit_stack: the inner cross-validation needs at least two training folds")
    if method in ("stack-lr", "stack-lr-raw"):
        scale = method == "stack-lr"
        grid = tuple(grid or (C_GRID if scale else C_GRID_RAW))
        z_train, z_test = logit(p_train), logit(p_test)
        held = {c: np.empty(y_train.size) for c in grid}
        for fit, hold in _inner(folds_train):
            for c in grid:
                m = _lr(c, scale).fit(z_train[fit], y_train[fit])
                held[c][hold] = m.predict_proba(z_train[hold])[:, 1]
        scores = [_auc(y_train, held[c]) for c in grid]
        # the first best in ascending C: ties go to the stronger regularisation
        best = grid[int(np.nanargmax(scores))]
        model = _lr(best, scale).fit(z_train, y_train)
        coef = model[-1].coef_[0] / (model[0].scale_ if scale else 1.0)  # per logit unit of each member
        return model.predict_proba(z_test)[:, 1], {"C": best, "inner_auc": dict(zip(map(str, grid), scores)),
                                                  "coef": coef.tolist(),
                                                  "intercept": float(model[-1].intercept_[0])}
    if method == "stack-mean":
        grid = tuple(m for m in (grid or M_GRID) if m <= p_train.shape[1])
        held = {m: np.empty(y_train.size) for m in grid}
        for fit, hold in _inner(folds_train):
            order = _rank(p_train[fit], y_train[fit])
            for m in grid:
                held[m][hold] = p_train[hold][:, order[:m]].mean(axis=1)
        scores = [_auc(y_train, held[m]) for m in grid]
        best = grid[int(np.nanargmax(scores))]
        members = _rank(p_train, y_train)[:best]
        return p_test[:, members].mean(axis=1), {"m": int(best), "inner_auc": dict(zip(map(str, grid), scores)),
                                                 "members": [int(i) for i in members]}
    raise StarclassError(f"unknown combiner {method!r}; choose stack-lr, stack-lr-raw or stack-mean")


def nested_stack(method: str, p: np.ndarray, y: np.ndarray, folds: np.ndarray,
                 grid: tuple | None = None) -> tuple[np.ndarray, list[dict]]:
    """Out-of-fold combined P(cluster): for each outer fold, :func:`fit_stack` on the other folds.

    Parameters
    ----------
    method : str
        ``"stack-lr"``, ``"stack-lr-raw"`` or ``"stack-mean"`` (:func:`fit_stack`).
    p : numpy.ndarray
        ``[n, n_candidates]`` out-of-fold P(cluster) of every row.
    y : numpy.ndarray
        0/1 truth of every row.
    folds : numpy.ndarray
        Outer fold of every row (grouped by object).
    grid : tuple, optional
        Values of C or m tried.

    Returns
    -------
    p_oof, info : numpy.ndarray, list of dict
        Combined P(cluster) of every row, each from a combiner that never saw its fold; the
        choice made for each fold (with ``fold``, ``test``, ``seconds``).

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> y = rng.integers(0, 2, 300)
    >>> p = np.column_stack([np.clip(0.3 + 0.4 * y + rng.normal(0, 0.2, 300), 0, 1), rng.uniform(0, 1, 300)])
    >>> out, info = nested_stack("stack-lr", p, y, np.arange(300) % 5)
    >>> bool(roc_auc_score(y, out) > 0.85), len(info)
    (True, 5)
    """
    p = np.asarray(p, dtype=float)
    y = np.asarray(y).astype(int)
    folds = np.asarray(folds)
    out = np.full(y.size, np.nan)
    info = []
    for k in np.unique(folds):
        train, test = np.flatnonzero(folds != k), np.flatnonzero(folds == k)
        t0 = time.perf_counter()
        # only the training rows' labels go in: fold k's truth is never passed
        out[test], choice = fit_stack(method, p[train], y[train], folds[train], p[test], grid)
        info.append(dict(choice, fold=int(k), test=test.tolist(), seconds=time.perf_counter() - t0))
    return out, info


def candidates(runs_dir: Path, folds: np.ndarray) -> tuple[list[str], np.ndarray, list[str]]:
    """Every run of ``runs_dir`` on exactly these folds, with and without TTA as stored.

    Returns the candidate names (``NAME``, ``NAME +TTA``), their P(cluster) ``[n, m]`` and a
    note per run left out (a fold missing, other folds, or another number of rows).
    """
    names = sorted({f.stem.rsplit("_fold", 1)[0] for f in runs_dir.glob("*_fold*.json")})
    fold_ids = np.unique(folds)
    keep, cols, skipped = [], [], []
    for name in names:
        files = {k: runs_dir / f"{name}_fold{k}.json" for k in fold_ids}
        missing = [int(k) for k, f in files.items() if not f.is_file()]
        if missing:
            skipped.append(f"{name}: no fold {missing}")
            continue
        data = {k: json.loads(f.read_text()) for k, f in files.items()}
        # a run made on other folds would put a cutout's object in its own training set here
        other = [int(k) for k, d in data.items() if not np.array_equal(np.sort(d["test"]), np.flatnonzero(folds == k))]
        if other:
            skipped.append(f"{name}: fold {other[0]} holds other cutouts than the benchmark's fold {other[0]}")
            continue
        for key, suffix in (("p", ""), ("p_tta", " +TTA")):
            if all(key in d for d in data.values()):
                keep.append(name + suffix)
                cols.append(errors.pooled_probability(runs_dir, name + suffix, folds.size))
    if not keep:
        raise StarclassError(f"no run in {runs_dir} covers all {fold_ids.size} folds")
    return keep, np.column_stack(cols), skipped


def label_audit(names: list[str], p: np.ndarray, y: np.ndarray, strong_auc: float,
                top: int = 20) -> tuple[list[str], np.ndarray]:
    """Rows every strong run gets wrong at P = 0.5, most confidently wrong first.

    Parameters
    ----------
    names : list of str
        Candidate names (``NAME`` or ``NAME +TTA``).
    p : numpy.ndarray
        ``[n, m]`` P(cluster).
    y : numpy.ndarray
        0/1 truth.
    strong_auc : float
        A run is strong when its pooled AUC reaches this (its TTA column where stored, else the
        plain one: one column per run).
    top : int
        How many rows to return at most.

    Returns
    -------
    strong, rows : list of str, numpy.ndarray
        The strong runs' columns, and the rows all of them get wrong, by decreasing distance of
        their mean P(cluster) from the label.

    Examples
    --------
    >>> y = np.array([1, 1, 0, 0, 1, 0])
    >>> p = np.array([[.9, .8], [.2, .3], [.1, .2], [.7, .9], [.6, .4], [.3, .1]])
    >>> label_audit(["a +TTA", "b"], p, y, 0.5)
    (['a +TTA', 'b'], array([3, 1]))
    """
    y = np.asarray(y).astype(int)
    tta = {n.split(" ")[0] for n in names if n.endswith(" +TTA")}
    one = [i for i, n in enumerate(names) if n.endswith(" +TTA") or n not in tta]
    strong = [i for i in one if _auc(y, p[:, i]) >= strong_auc]
    if not strong:
        raise StarclassError(f"no run reaches AUC {strong_auc} (--strong-auc)")
    ps = p[:, strong]
    wrong = np.all((ps >= 0.5) != (y[:, None] == 1), axis=1)
    miss = np.abs(ps.mean(axis=1) - y)
    rows = np.flatnonzero(wrong)
    rows = rows[np.argsort(-miss[rows], kind="stable")][:top]
    return [names[i] for i in strong], rows


def gallery(images: np.ndarray, titles: list[str], path: Path) -> None:
    """A grid of cutouts (5 per row) with a title each, written as an 8-bit grey PNG."""
    import io

    import matplotlib
    from PIL import Image

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(images)
    ncol = 5
    nrow = max(1, -(-n // ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(2.2 * ncol, 2.55 * nrow), squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    for ax, img, title in zip(axes.ravel(), images, titles):
        ax.imshow(img[0], cmap="gray", origin="upper")
        ax.set_title(title, fontsize=6.5)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80)
    plt.close(fig)
    # the figure is grey only: one 8-bit channel instead of RGBA keeps the committed file small
    Image.open(buf).convert("L").save(path, optimize=True)


def _row(name: str, y: np.ndarray, p: np.ndarray, n_boot: int, unit: str, groups: np.ndarray | None = None) -> str:
    return f"| {name} | {y.size} {unit} | " + " | ".join(bench.score_cells(y, p, n_boot, groups=groups)) + " |"


HEAD = ("| combination | scored | accuracy | ROC AUC | F1 | purity @90% | recall @90% |\n"
        "| --- | --- | --- | --- | --- | --- | --- |")
PAIRED_HEAD = "| paired difference | metric | value [95% interval] | {unit} |\n| --- | --- | --- | --- |"


def report(names: list[str], p: np.ndarray, y: np.ndarray, groups: np.ndarray, stacked: dict[str, np.ndarray],
           best: str, against: list[str], post_hoc: list[str], n_boot: int,
           group_bootstrap: bool = True) -> tuple[str, dict]:
    """The tables per cutout and per object, and the same figures as numbers.

    ``group_bootstrap``: the per-cutout intervals resample whole objects (``groups``), else cutouts one by one.
    """
    col = {n: p[:, i] for i, n in enumerate(names)}
    for n in [best, *against, *post_hoc]:
        if n not in col:
            raise StarclassError(f"no candidate {n!r} (have {', '.join(names)})")
    ref = {best: col[best]}
    if post_hoc:
        ref["mean(" + ", ".join(post_hoc) + "), picked after seeing them"] = np.mean([col[n] for n in post_hoc], axis=0)
    code, y_obj = bench.object_truth(y, groups)
    text, figures = [], {}
    for unit in ("cutouts", "objects"):
        rows = [HEAD]
        paired = [PAIRED_HEAD.format(unit=unit)]
        figures[unit] = {}
        # per object a row is already an object; per cutout, each cutout's object (None: cutouts resampled)
        gg = np.asarray(groups).astype(str) if group_bootstrap and unit == "cutouts" else None
        for name, q in {**stacked, **ref}.items():
            yy = y
            if unit == "objects":
                _, q = bench.object_mean(np.arange(y.size), q, code)
                yy = y_obj
            rows.append(_row(name, yy, q, n_boot, unit, gg))
            figures[unit][name] = {"auc": _auc(yy, q), "f1": bench._metrics()["f1"](yy, q),
                                   "accuracy": bench._metrics()["accuracy"](yy, q)}
        for name, q in stacked.items():
            for base in [best, *against]:
                a, b, yy = q, col[base], y
                if unit == "objects":
                    a = bench.object_mean(np.arange(y.size), a, code)[1]
                    b = bench.object_mean(np.arange(y.size), b, code)[1]
                    yy = y_obj
                paired.extend(bench.paired_lines(name, a, base, b, yy, n_boot, groups=gg))
        said = (f"95% intervals resample the {np.unique(gg).size} objects (object_id), every cutout of a drawn object "
                f"with it" if gg is not None else f"95% intervals resample the {yy.size} {unit} one by one")
        text.append(f"Per {unit[:-1]} ({said}):\n\n" + "\n".join(rows) + "\n\n" + "\n".join(paired))
    return "\n\n".join(text), figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "pandas-m31"),
                    help="the pandas-m31 folder (labels.csv inside)")
    ap.add_argument("--runs-dir", default=str(ROOT / "benchmarks" / "results_real_pandas"),
                    help="folder of real_pandas.py's fold files (the candidates)")
    ap.add_argument("-o", "--output", required=True, help="folder to write (fold files, stack.json, audit, summary)")
    ap.add_argument("--overwrite", action="store_true", help="replace an existing --output folder")
    ap.add_argument("--n-folds", type=int, default=5, help="the benchmark's folds (as real_pandas.py --n-folds)")
    ap.add_argument("--seed", type=int, default=0, help="the benchmark's fold seed (as real_pandas.py --seed)")
    ap.add_argument("--n-boot", type=int, default=1000)
    ap.add_argument("--best", default="resnet18-n128-long-x3-gpu +TTA",
                    help="the best single run, compared in the paired differences")
    ap.add_argument("--against", default="resnet18-n128-e20 +TTA,trees,morph",
                    help="more runs to compare the stacks with (comma-separated)")
    ap.add_argument("--post-hoc", default="resnet18-n128-long-x3-gpu +TTA,resnet18-n128-e20 +TTA",
                    help="the earlier mean picked after seeing the runs, shown for reference ('' for none)")
    ap.add_argument("--strong-auc", type=float, default=0.95, help="label audit: the AUC a strong run reaches")
    ap.add_argument("--top", type=int, default=20, help="label audit: cutouts listed and shown")
    ap.add_argument("--group-bootstrap", action=argparse.BooleanOptionalAction, default=True,
                    help="per-cutout 95%% intervals resample objects (object_id), the default; "
                         "--no-group-bootstrap resamples cutouts one by one")
    args = ap.parse_args(argv)
    try:
        labels_path = Path(args.data) / "labels.csv"
        if not labels_path.is_file():
            raise StarclassError(f"no {labels_path} (--data)")
        runs_dir = Path(args.runs_dir)
        if not runs_dir.is_dir():
            raise StarclassError(f"--runs-dir {runs_dir}: no such folder")
        if args.n_boot < 10:
            raise StarclassError(f"--n-boot {args.n_boot}: give at least 10 resamples")
        if not 0.5 < args.strong_auc <= 1:
            raise StarclassError(f"--strong-auc {args.strong_auc}: must be in (0.5, 1]")
        out = Path(args.output)
        if out.exists() and any(out.iterdir()) and not args.overwrite:
            # before any work: the stacking and the bootstrap take minutes
            raise StarclassError(f"-o {out} exists and is not empty; give --overwrite to replace it")
        post_hoc = [n.strip() for n in args.post_hoc.split(",") if n.strip()]
        against = [n.strip() for n in args.against.split(",") if n.strip()]
        wanted = {"--best": [args.best], "--against": against, "--post-hoc": post_hoc}
        # before any work, from the file names: a typo was named after seconds of stacking, with all 56 names
        bench.check_names(wanted, bench.stored_names(runs_dir))
        cs = read_cutout_folder(labels_path, group_column="object_id")
        classes = label_classes(cs, get_preset("m31-real").label_map)
        # real_pandas.py's folds, drawn as it draws them
        folds = group_folds(classes, cs.groups, args.n_folds, seed=args.seed)
        y = (classes == 1).astype(int)
        names, p, skipped = candidates(runs_dir, folds)
        # the cutouts classify --stamps leaves unclassified (blank, or no data at the centre) get no probabilities
        # there: left out of the stacking and of every score, as real_pandas.py --summarise leaves them out (until
        # 2026-12-06 they were stacked and scored, 2 blank cutouts of the 869)
        blank, centre = bench.unclassified_rows(cs.images, [bench.stamp_size_of(runs_dir, n.split(" ")[0])
                                                            for n in names])
        left_line = bench.left_out_line(blank, centre)
        print(left_line, flush=True)
        rows_kept = np.flatnonzero(~(blank | centre))
        p, y, folds, groups = p[rows_kept], y[rows_kept], folds[rows_kept], np.asarray(cs.groups)[rows_kept]
        n_runs = len({n.split(" ")[0] for n in names})
        print(f"{len(names)} candidates from {n_runs} runs; "
              f"left out: {'; '.join(skipped) or 'none'}", flush=True)
        bench.check_names(wanted, names, skipped)  # a run left out, or one without TTA: before the stacking
        stacked, info = {}, {}
        for method in ("stack-lr", "stack-mean", "stack-lr-raw"):
            stacked[method], info[method] = nested_stack(method, p, y, folds)
            for d in info[method]:
                if "members" in d:
                    d["member_names"] = [names[i] for i in d["members"]]
                if "coef" in d:
                    d["coef"] = dict(zip(names, d["coef"]))
        text, figures = report(names, p, y, groups, stacked, args.best, against, post_hoc, args.n_boot,
                               group_bootstrap=args.group_bootstrap)
        strong, rows = label_audit(names, p, y, args.strong_auc, args.top)
        ps = p[:, [names.index(n) for n in strong]]
        n_wrong = int(np.all((ps >= 0.5) != (y[:, None] == 1), axis=1).sum())
        t = cs.table

        def col(name: str, i: int) -> str:
            # the PAndAS labels.csv has the catalogue provenance; another folder may not
            return str(t[name][i]) if name in t.colnames else ""

        # rows of the kept cutouts -> rows of labels.csv
        rows_csv = rows_kept[rows]
        listed = [{"row": int(i), "file": cs.files[i], "label": col("label", i), "object_id": str(cs.groups[i]),
                   "source_table": col("source_table", i), "catalogue_class": col("catalogue_class", i),
                   "mean_p_cluster": float(ps[j].mean()), "min_p": float(ps[j].min()), "max_p": float(ps[j].max()),
                   "p_stack_lr": float(stacked["stack-lr"][j])} for i, j in zip(rows_csv, rows)]
        keep = np.setdiff1d(np.arange(y.size), rows)
        without = {n: {"auc": _auc(y[keep], q[keep]), "f1": bench._metrics()["f1"](y[keep], q[keep]),
                       "auc_all": _auc(y, q), "f1_all": bench._metrics()["f1"](y, q)}
                   for n, q in {**stacked, args.best: p[:, names.index(args.best)]}.items()}
        audit_md = [f"Strong runs (pooled AUC >= {args.strong_auc}): {', '.join(strong)}; cutouts all of them get "
                    f"wrong at P = 0.5: {n_wrong}; the top {len(rows)}:", "",
                    "| # | file | label | catalogue (class) | object | mean P(cluster) [min, max] | stack-lr P |",
                    "| --- | --- | --- | --- | --- | --- | --- |"]
        for j, r in enumerate(listed, 1):
            audit_md.append(f"| {j} | {r['file']} | {r['label']} | {r['source_table']} ({r['catalogue_class']}) | "
                            f"{r['object_id']} | {r['mean_p_cluster']:.3f} [{r['min_p']:.3f}, {r['max_p']:.3f}] | "
                            f"{r['p_stack_lr']:.3f} |")
        audit_md += ["", f"Diagnostic only, with those {len(rows)} cutouts left out ({keep.size} cutouts):", "",
                     "| run | AUC all / without | F1 all / without |", "| --- | --- | --- |"]
        for n, d in without.items():
            audit_md.append(f"| {n} | {d['auc_all']:.3f} / {d['auc']:.3f} | {d['f1_all']:.3f} / {d['f1']:.3f} |")
        titles = [f"{j}. {r['label']} P={r['mean_p_cluster']:.2f}\n{r['object_id']}, {r['source_table'][:24]} "
                  f"({r['catalogue_class']})" for j, r in enumerate(listed, 1)]
        summary = (f"Candidates: {len(names)} ({', '.join(names)}).\n\n{left_line}.\n\n" + text + "\n\nLabel audit.\n\n"
                   + "\n".join(audit_md) + "\n")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with atomic_dir(out, overwrite=args.overwrite, own=OWN) as tmp:
                for method in stacked:
                    for d in info[method]:
                        test = np.asarray(d["test"])
                        # real_pandas.py's fold-file form (rows of labels.csv): --summarise and real_pandas_errors
                        # read these
                        fold = {"test": rows_kept[test].tolist(), "p": stacked[method][test].tolist(),
                                "train_s": d["seconds"], "infer_s": 0.0,
                                "weights": f"nested {method} of {len(names)} candidates ({n_runs} stored runs)",
                                "model": method, "fold": d["fold"], "n_folds": args.n_folds, "seed": args.seed,
                                "choice": {k: v for k, v in d.items() if k not in ("test", "seconds", "fold")}}
                        (tmp / f"{method}_fold{d['fold']}.json").write_text(json.dumps(fold))
                (tmp / "stack.json").write_text(json.dumps(
                    {"candidates": names, "left_out": skipped,
                     "unclassified_left_out": {"blank": np.flatnonzero(blank).tolist(), "of": int(blank.size),
                                               "centre_no_data": np.flatnonzero(centre).tolist()},
                     "runs_dir": str(args.runs_dir), "best": args.best,
                     "against": against, "post_hoc": post_hoc, "n_boot": args.n_boot, "figures": figures,
                     "C_grid": list(C_GRID), "m_grid": list(M_GRID)}, indent=1))
                (tmp / "audit.json").write_text(json.dumps(
                    {"strong_auc": args.strong_auc, "strong": strong, "n_all_wrong": n_wrong, "top": listed,
                     "without_top": without}, indent=1))
                (tmp / "summary.md").write_text(summary)
                gallery(cs.images[rows_csv], titles, tmp / "label_audit.png")
    except StarclassError as exc:
        print(f"real_pandas_stack: {exc}", file=sys.stderr)
        return 2
    print(summary)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
