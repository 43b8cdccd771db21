"""How hard is a catalogue? Naive catalogue rules scored with spatial cross-validation.

The issue asks that a simulated field be as hard for catalogue-only rules as the real LEGUS
NGC 1566 catalogue is against its final labels (col 34: three humans, or an ML class alone or
checked by one human; issue 14). Three rules, each trained and scored with
spatial 5-fold cross-validation (the field cut into a grid of position blocks, blocks shared out
among folds, so neighbours never sit on both sides), on four classes and on the StarcNet binary
task (clusters = classes 1+2 versus non-clusters = 3+4):

* ``ci_tree``: a depth-2 decision tree on CI alone;
* ``tree3``: a depth-3 decision tree on CI, U-B, V-I and m_V;
* ``gbm``: gradient boosting on all photometric catalogue columns (mag_<band>, magerr_<band>,
  CI: what a LEGUS ``.tab`` carries).

Real LEGUS NGC 1566 scores against its final (hybrid) class (issue 2): 36%, 47%, 47-50% (four classes);
64%, 71%, 74-76% (binary); the majority class is 36%. StarcNet's images reach 60% and 86%.

:func:`calibrate_field` measures the simulated images at the truth positions with
:func:`starclass.detect.measure` and scores the rules against the truth and against the
simulated human consensus.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
from astropy.table import Table
from numpy.typing import ArrayLike
from threadpoolctl import threadpool_limits

from starclass import quiet_import
from starclass.bands import ubvi_bands, v_band
from starclass.detect import measure
from starclass.errors import OutputExistsError, StarclassError, exists_refusal
from starclass.io.atomic import atomic_path
from starclass.io.mosaic import Mosaics
from starclass.schema import CI, CLASS_REF, ID, X, Y, bands_in, human_cols, mag_col, magerr_col
from starclass.simulate.humans import agreement_stats

#: Real LEGUS NGC 1566 scores against its final (hybrid human / ML) labels (issue 2, section 3).
LEGUS_REFERENCE = {
    "4class": {"majority": 0.36, "ci_tree": 0.36, "tree3": 0.47, "gbm": (0.47, 0.50)},
    "binary": {"ci_tree": 0.64, "tree3": 0.71, "gbm": (0.74, 0.76)},
}
RULES = ("ci_tree", "tree3", "gbm")


def spatial_folds(x: ArrayLike, y: ArrayLike, n_folds: int = 5, n_blocks: int = 5, seed: int = 0) -> np.ndarray:
    """Fold index (0..n_folds-1) of each source: an ``n_blocks`` x ``n_blocks`` grid of
    position blocks, shared out among folds at random (balanced).

    Examples
    --------
    Ten sources along a line, two folds of a 2 x 2 block grid: neighbours share a fold:

    >>> spatial_folds(np.arange(10.0), np.zeros(10), n_folds=2, n_blocks=2).tolist()
    [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    qx = np.quantile(x, np.linspace(0, 1, n_blocks + 1)[1:-1]) if len(x) else []
    qy = np.quantile(y, np.linspace(0, 1, n_blocks + 1)[1:-1]) if len(y) else []
    block = np.searchsorted(qx, x) * n_blocks + np.searchsorted(qy, y)
    rng = np.random.default_rng(seed)
    perm = rng.permutation(n_blocks * n_blocks)
    fold_of_block = np.empty(n_blocks * n_blocks, dtype=int)
    fold_of_block[perm] = np.arange(n_blocks * n_blocks) % n_folds
    return fold_of_block[block]


def feature_sets(table: Table, bands: list[str] | None = None) -> dict[str, tuple[np.ndarray, list[str]]]:
    """The three rules' feature matrices (NaN where a magnitude is missing).

    Examples
    --------
    >>> t = Table({"ci": [1.5, 2.0], "mag_f336w": [22.0, 23.0], "mag_f438w": [22.5, 23.1],
    ...            "mag_f555w": [22.4, 23.2], "mag_f814w": [22.0, 22.9]})
    >>> fs = feature_sets(t)
    >>> sorted(fs), fs["tree3"][1]
    (['ci_tree', 'gbm', 'tree3'], ['ci', 'u_b', 'v_i', 'mag_v'])
    >>> fs["tree3"][0][0].round(2).tolist()  # U-B = 22.0 - 22.5, V-I = 22.4 - 22.0
    [1.5, -0.5, 0.4, 22.4]
    """
    bands = bands or bands_in(table)
    if not bands:
        # v_band([]) raised an IndexError
        raise StarclassError("naive rules: the catalogue has no mag_<band> column; the rules need magnitudes")
    roles = ubvi_bands(bands)
    vb = roles["v"] or v_band(bands)

    def col(name):
        return np.asarray(table[name], dtype=float) if name in table.colnames else np.full(len(table), np.nan)

    ci = col("ci")
    mv = col(mag_col(vb))
    no_colour = np.full(len(table), np.nan)
    u_b = col(mag_col(roles["u"])) - col(mag_col(roles["b"])) if roles["u"] and roles["b"] else no_colour
    v_i = mv - col(mag_col(roles["i"])) if roles["i"] else np.full(len(table), np.nan)
    allcols = [mag_col(b) for b in bands] + [magerr_col(b) for b in bands] + [CI]
    return {
        "ci_tree": (ci[:, None], ["ci"]),
        "tree3": (np.column_stack([ci, u_b, v_i, mv]), ["ci", "u_b", "v_i", "mag_v"]),
        "gbm": (np.column_stack([col(c) for c in allcols]), allcols),
    }


def _impute(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Missing values -> a value beyond the training range (trees can split it off)."""
    tr, te = train.copy(), test.copy()
    for j in range(tr.shape[1]):
        ok = np.isfinite(tr[:, j])
        fill = (np.nanmax(tr[ok, j]) + 1.0) if ok.any() else 0.0
        tr[~ok, j] = fill
        te[~np.isfinite(te[:, j]), j] = fill
    return tr, te


def _cv_accuracy(X: np.ndarray, y: np.ndarray, folds: np.ndarray, rule: str, seed: int = 0) -> float:
    """Accuracy of one rule under the given folds (predictions pooled over folds)."""
    return float(np.mean(cv_predict(X, y, folds, rule, seed) == y))


def cv_predict(X: np.ndarray, y: np.ndarray, folds: np.ndarray, rule: str, seed: int = 0) -> np.ndarray:
    """Out-of-fold prediction of one rule for every source.

    Examples
    --------
    A depth-2 tree on CI where CI rises 0.3 a class: out-of-fold predictions, scored by hand:

    >>> rng = np.random.default_rng(0)
    >>> cls = rng.integers(1, 5, 200)
    >>> ci = (1.4 + 0.3 * cls + rng.normal(0, 0.05, 200))[:, None]
    >>> folds = spatial_folds(rng.uniform(0, 1000, 200), rng.uniform(0, 1000, 200))
    >>> pred = cv_predict(ci, cls, folds, "ci_tree")
    >>> pred.shape, float(np.mean(pred == cls))
    ((200,), 0.73)
    """
    # one thread: OpenMP oversubscription on a shared machine made gradient boosting stall
    with threadpool_limits(limits=1):
        return _cv_predict(X, y, folds, rule, seed)


def _cv_predict(X, y, folds, rule, seed):
    # sklearn adds 1.7 s (measured) to `import starclass.simulate`; only calibration fits need it
    with quiet_import():
        from sklearn.ensemble import HistGradientBoostingClassifier
        from sklearn.tree import DecisionTreeClassifier

    pred = np.zeros_like(y)
    for k in np.unique(folds):
        tr, te = folds != k, folds == k
        if rule == "gbm":
            # a column with no value in the training rows (no magerr_<band> in the catalogue) made
            # scikit-learn's binning fail ("window shape cannot be larger than input array shape"):
            # it carries nothing to split on, so it is left out
            cols = np.isfinite(X[tr]).any(axis=0)
            if not cols.any():
                pred[te] = np.bincount(y[tr]).argmax()
                continue
            model = HistGradientBoostingClassifier(max_iter=100, learning_rate=0.08, max_leaf_nodes=15,
                                                   random_state=seed)
            model.fit(X[tr][:, cols], y[tr])
            pred[te] = model.predict(X[te][:, cols])
        else:
            depth = 2 if rule == "ci_tree" else 3
            a, b = _impute(X[tr], X[te])
            model = DecisionTreeClassifier(max_depth=depth, random_state=seed, min_samples_leaf=10)
            model.fit(a, y[tr])
            pred[te] = model.predict(b)
    return pred


def rule_scores(table: Table, labels: np.ndarray, *, bands: list[str] | None = None,
                seed: int = 0) -> dict[str, dict[str, float]]:
    """Accuracies of the three rules on four classes and on clusters (1+2) vs non-clusters.

    Rows whose label is not 1-4 are dropped. Returns ``{"4class": {...}, "binary": {...}}``
    with the majority-class rate alongside.

    Examples
    --------
    Classes that CI separates (0.3 a class) and magnitudes that carry nothing: the three-feature
    tree finds them all; the majority rate is the most common class's share (59 of 200):

    >>> rng = np.random.default_rng(0)
    >>> cls = rng.integers(1, 5, 200)
    >>> t = Table({"x": rng.uniform(0, 1000, 200), "y": rng.uniform(0, 1000, 200),
    ...            "ci": 1.4 + 0.3 * cls + rng.normal(0, 0.05, 200)})
    >>> for b in ("f336w", "f438w", "f555w", "f814w"):
    ...     t[f"mag_{b}"], t[f"magerr_{b}"] = 23 + rng.normal(0, 0.5, 200), np.full(200, 0.05)
    >>> s = rule_scores(t, cls)
    >>> s["n"], s["4class"]["majority"], s["4class"]["tree3"], float(np.bincount(cls).max() / 200)
    (200, 0.295, 1.0, 0.295)
    """
    correct = rule_correct(table, labels, bands=bands, seed=seed)
    out: dict = {task: {rule: float(np.mean(c)) if len(c) else float("nan") for rule, c in rules.items()}
                 for task, rules in correct.items()}
    out["n"] = int(len(correct["4class"]["majority"]))
    return out


def rule_correct(table: Table, labels: np.ndarray, *, bands: list[str] | None = None,
                 seed: int = 0) -> dict[str, dict[str, np.ndarray]]:
    """Per source, whether each rule's out-of-fold prediction is right.

    The same spatial 5-fold CV as :func:`rule_scores` (whose accuracies are the means of these
    arrays), kept per source so that the accuracy's sampling error can be bootstrapped
    (:func:`bootstrap_accuracy`). Rows whose label is not 1-4 are dropped.

    Returns
    -------
    dict
        ``{"4class": {rule: bool array}, "binary": {...}}`` over the kept rows, with
        ``"majority"`` (the most common class, predicted for every source) alongside the rules.

    Examples
    --------
    Its arrays' means are :func:`rule_scores`' accuracies:

    >>> rng = np.random.default_rng(0)
    >>> cls = rng.integers(1, 5, 200)
    >>> t = Table({"x": rng.uniform(0, 1000, 200), "y": rng.uniform(0, 1000, 200),
    ...            "ci": 1.4 + 0.3 * cls + rng.normal(0, 0.05, 200)})
    >>> for b in ("f336w", "f438w", "f555w", "f814w"):
    ...     t[f"mag_{b}"], t[f"magerr_{b}"] = 23 + rng.normal(0, 0.5, 200), np.full(200, 0.05)
    >>> c = rule_correct(t, cls)
    >>> sorted(c["4class"]), len(c["binary"]["ci_tree"])
    (['ci_tree', 'gbm', 'majority', 'tree3'], 200)
    >>> float(np.mean(c["4class"]["ci_tree"])) == rule_scores(t, cls)["4class"]["ci_tree"]
    True
    """
    labels = np.asarray(labels, dtype=int)
    keep = np.isin(labels, [1, 2, 3, 4])
    t = table[keep]
    lab = labels[keep]
    binary = (lab <= 2).astype(int)
    out: dict[str, dict[str, np.ndarray]] = {"4class": {}, "binary": {}}
    out["4class"]["majority"] = lab == (np.argmax(np.bincount(lab)) if len(lab) else 0)
    out["binary"]["majority"] = binary == (int(binary.mean() > 0.5) if len(lab) else 0)
    if not len(lab):
        for rule in RULES:
            out["4class"][rule] = out["binary"][rule] = np.zeros(0, dtype=bool)
        return out
    folds = spatial_folds(t[X], t[Y], seed=seed)
    feats = feature_sets(t, bands)
    for rule in RULES:
        feat = feats[rule][0]
        out["4class"][rule] = cv_predict(feat, lab, folds, rule, seed) == lab
        out["binary"][rule] = cv_predict(feat, binary, folds, rule, seed) == binary
    return out


def bootstrap_accuracy(correct: np.ndarray, *, n_boot: int = 2000, level: float = 0.95,
                       seed: int = 0) -> tuple[float, float]:
    """Bootstrap interval of an accuracy from its per-source right/wrong array.

    Sources are resampled with replacement: the interval is the sampling error of a catalogue
    of that size (what another field of the same kind, classified the same way, could score),
    not the spread between fold partitions.

    Parameters
    ----------
    correct
        Boolean per source (or an ``(n_repeats, n_sources)`` array: the same sources scored with
        several fold partitions, whose accuracies are averaged within each resample).
    n_boot, level, seed
        Resamples, two-sided coverage, and the generator seed.

    Returns
    -------
    tuple of float
        Lower and upper bound, as fractions.

    Examples
    --------
    60 right of 100: the binomial 95 % interval is 0.6 +- 1.96 sqrt(0.6 * 0.4 / 100) = 0.50-0.70:

    >>> bootstrap_accuracy(np.r_[np.ones(60, bool), np.zeros(40, bool)], seed=1)
    (0.5, 0.7)
    """
    c = np.atleast_2d(np.asarray(correct, dtype=float))
    n = c.shape[1]
    if n == 0:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(n_boot, n))
    acc = np.stack([row[idx].mean(axis=1) for row in c]).mean(axis=0)
    a = (1 - level) / 2
    lo, hi = np.quantile(acc, [a, 1 - a])
    return float(lo), float(hi)


def calibrate_field(mosaics: Mosaics, truth: Table, humans: Table, *, ci_min: float | None = 1.35,
                    mag_limit: float | None = None, progress: bool | None = False, seed: int = 0) -> dict:
    """Measure a simulated field at its truth positions and score the naive rules.

    Parameters
    ----------
    mosaics
        The field's images (:class:`~starclass.io.mosaic.MosaicSet` or ``ArrayMosaics``).
    truth, humans
        The simulator's truth and human tables (same rows).
    ci_min
        LEGUS-like selection before scoring: keep candidates with measured CI >= ``ci_min``
        (LEGUS NGC 1566 candidates all have CI >= 1.35; None keeps all).
    mag_limit
        Also keep only measured m_V <= ``mag_limit`` (None: no cut).

    Returns
    -------
    dict
        Class fractions (truth and human mode, after the selection), the human agreement
        figures, the rule scores against truth and against the human mode, the LEGUS
        reference and a printable ``summary``.

    Examples
    --------
    >>> from starclass.simulate import SimConfig, simulate_field
    >>> f = simulate_field(SimConfig(seed=1, shape=(128, 128), n_candidates=20))
    >>> r = calibrate_field(f.mosaics(), f.truth, f.humans, ci_min=None)
    >>> r["n"], r["class_fractions_truth"], r["humans_vs_truth"]
    (20, {'1': 0.15, '2': 0.35, '3': 0.3, '4': 0.2}, 0.8)
    >>> print(r["summary"].splitlines()[2])
    | 4class | majority | 35.0 | 40.0 | 36 |
    """
    pos = Table({ID: truth[ID], X: truth[X], Y: truth[Y]})
    meas = measure(mosaics, pos, progress=progress)
    vb = v_band(list(mosaics.bands))
    keep = np.isfinite(np.asarray(meas[mag_col(vb)], dtype=float))
    if ci_min is not None:
        keep &= np.asarray(meas["ci"], dtype=float) >= ci_min
    if mag_limit is not None:
        keep &= np.asarray(meas[mag_col(vb)], dtype=float) <= mag_limit
    n_all = len(truth)
    meas, truth, humans = meas[keep], truth[keep], humans[keep]
    truth_lab = np.asarray(truth[CLASS_REF], dtype=int)
    human_lab = np.asarray(humans[CLASS_REF], dtype=int)
    hcols = human_cols(humans)
    agree = agreement_stats(np.column_stack([humans[c] for c in hcols])) if len(hcols) > 1 else {}
    result = {
        "n_candidates": int(n_all),
        "selection": {"ci_min": ci_min, "mag_limit": mag_limit},
        "n": int(len(truth)),
        "class_fractions_truth": {str(c): float(np.mean(truth_lab == c)) for c in (1, 2, 3, 4)},
        "class_fractions_humans": {str(c): float(np.mean(human_lab == c)) for c in (1, 2, 3, 4)},
        "human_agreement": agree,
        "humans_vs_truth": float(np.mean(human_lab == truth_lab)),
        "vs_truth": rule_scores(meas, truth_lab, seed=seed),
        "vs_humans": rule_scores(meas, human_lab, seed=seed),
        "legus_reference": LEGUS_REFERENCE,
    }
    result["summary"] = summary_text(result)
    return result


def _ref(v) -> str:
    return f"{100 * v[0]:.0f}-{100 * v[1]:.0f}" if isinstance(v, tuple | list) else f"{100 * v:.0f}"


def summary_text(result: dict, real: dict | None = None) -> str:
    """A markdown table of the rule scores (and the real-catalogue scores if given).

    Examples
    --------
    >>> s = {"4class": {"majority": 0.4, "ci_tree": 0.5, "tree3": 0.6, "gbm": 0.7},
    ...      "binary": {"majority": 0.6, "ci_tree": 0.7, "tree3": 0.8, "gbm": 0.9}}
    >>> res = {"vs_truth": s, "vs_humans": s, "class_fractions_truth": {"1": 0.1, "2": 0.2, "3": 0.3, "4": 0.4},
    ...        "class_fractions_humans": {"1": 0.1, "2": 0.2, "3": 0.3, "4": 0.4}, "humans_vs_truth": 0.8}
    >>> print(summary_text(res).splitlines()[5])
    | 4class | gbm | 70.0 | 70.0 | 47-50 |
    """
    lines = ["| task | rule | vs truth | vs human mode | LEGUS (published) |"
             + (" LEGUS (measured here) |" if real else ""),
             "|---|---|---|---|---|" + ("---|" if real else "")]
    for task in ("4class", "binary"):
        for rule in ("majority",) + RULES:
            ref = LEGUS_REFERENCE[task].get(rule)
            row = (f"| {task} | {rule} | {100 * result['vs_truth'][task][rule]:.1f} | "
                   f"{100 * result['vs_humans'][task][rule]:.1f} | {_ref(ref) if ref is not None else '-'} |")
            if real:
                row += f" {100 * real[task][rule]:.1f} |"
            lines.append(row)
    fr = result["class_fractions_truth"]
    fh = result["class_fractions_humans"]
    lines.append("")
    if "selection" in result:
        sel = result["selection"]
        # a cut not made is not named: "m_V <= None" (every default run) read as a cut at an unknown magnitude
        cuts = [f"{what} {sel[key]:g}" for key, what in (("ci_min", "CI >="), ("mag_limit", "m_V <="))
                if sel.get(key) is not None]
        kept = f"kept by the selection ({', '.join(cuts)})" if cuts else "kept (no selection: no CI or m_V cut)"
        lines.append(f"{result['n']} of {result['n_candidates']} candidates {kept}; accuracies in percent, "
                     "spatial 5-fold CV")
    lines.append("class fractions (truth): " + " / ".join(f"{100 * fr[str(c)]:.0f}%" for c in (1, 2, 3, 4)))
    lines.append("class fractions (human mode): " + " / ".join(f"{100 * fh[str(c)]:.0f}%" for c in (1, 2, 3, 4)))
    if result.get("human_agreement"):
        a = result["human_agreement"]
        lines.append(f"human agreement: pairs {100 * a['pair_4class']:.1f}% (4 classes), "
                     f"{100 * a['pair_binary']:.1f}% (binary); with the mode {100 * a['mode_4class']:.1f}% / "
                     f"{100 * a['mode_binary']:.1f}% (LEGUS: 57.3/78.1, 75.0/87.2)")
    lines.append(f"human mode = truth for {100 * result['humans_vs_truth']:.1f}% of candidates")
    return "\n".join(lines)


def write_calibration(result: dict, outdir: str | os.PathLike, *, overwrite: bool = False) -> list[Path]:
    """``calibration.json`` and ``calibration.md`` in ``outdir`` (atomic).

    An existing file of either name is refused unless ``overwrite``, before either is written (a
    notebook's second calibration into the same folder replaced the first without a word).

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> [p.name for p in write_calibration({"n": 3, "summary": "3 candidates"}, d)]
    ['calibration.json', 'calibration.md']
    >>> write_calibration({"n": 4, "summary": "4 candidates"}, d)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.OutputExistsError: ...calibration.json exists (overwrite=False); give overwrite=True to replace it
    """
    outdir = Path(outdir)
    if not overwrite:
        for name in ("calibration.json", "calibration.md"):
            if (outdir / name).exists():
                raise OutputExistsError(exists_refusal(outdir / name), outdir / name)
    out = []
    p = outdir / "calibration.json"
    data = {k: v for k, v in result.items() if k != "summary"}
    with atomic_path(p) as tmp:
        tmp.write_text(json.dumps(data, indent=2, default=lambda o: list(o) if isinstance(o, tuple) else float(o)))
    out.append(p)
    p = outdir / "calibration.md"
    with atomic_path(p) as tmp:
        title = "# Simulator calibration: naive catalogue rules, spatial 5-fold CV"
        tmp.write_text(f"{title}\n\n{result['summary']}\n")
    out.append(p)
    return out
