"""Compare calibration maps, and look into the conformal coverage, on saved field probabilities (issue 17).

Works on the ``.npz`` that ``benchmarks/trust_recheck.py dump`` writes (raw ensemble-mean
probabilities, class indices and field seed of every candidate of fresh simulated fields), so
that nothing is re-simulated or re-classified: each section runs in seconds to minutes.

``methods``
    every calibration map fitted on the calibration fields only (``--cal-seeds``) and scored on
    the test fields (``--test-seeds``): raw, temperature, vector scaling, full matrix scaling with
    off-diagonal and intercept regularisation (Dirichlet calibration, Kull et al. 2019, "ODIR"),
    one-vs-rest isotonic regression renormalised (scikit-learn's ``CalibratedClassifierCV``),
    one-vs-rest histogram binning renormalised, and the mean of temperature and vector scaling.
    The map is **chosen on the calibration rows alone**: 5-fold stratified cross-validation and
    leave-one-field-out within the calibration fields, by NLL (then class-wise ECE); the test
    scores are reported for all maps, with a paired bootstrap of the ECE difference to vector scaling.
``ece-fields``
    is the ECE left after calibration field-to-field shift or the maps' limit: the maps fitted on
    more calibration fields, and on random calibrate/score splits of the same sizes that ignore
    the fields.
``real``
    on the ``.npz`` of ``trust_recheck.py dump-real``: every map fitted per fold of the real
    PAndAS cutouts on its 139 calibration cutouts, the out-of-fold cutouts pooled.
``histogram``
    ``--method histogram`` through the library: ``ece-fields``' random field subsets reproduced
    with temperature, vector and histogram binning as a model carries them, the rows histogram
    binning needs (random rows, 150 to 6,000), and the real cutouts' folds (``--real``).
``large-test``
    temperature, vector and histogram binning scored on a large set of test fields
    (``--test-seeds``, e.g. 24 fields, 36,000 rows, where a perfectly calibrated model's ECE is
    well under 0.02), each fitted on ``--draws`` random sets of 2, 4, 8, 12 calibration fields
    (``--sizes``) from the other fields (``--pool-seeds``): ECE (mean, sd, share of draws <= 0.02)
    with the floor of the same rows, NLL, the ECE per block of four test fields (the earlier runs'
    test-set size), and the per-class conformal coverage at 90% (temperature, histogram) with
    the share of draws where all classes are within 2 points. ``--explain OLD_TEST:OLD_POOL``
    reruns ``histogram``'s random field subsets and scores each fitted map on both test sets.
    Several dumps may be given, comma-separated (their fields concatenated).
``coverage``
    is class 3's conformal shortfall (fixed calibrate/score split) chance or field-to-field
    shift: the spread of per-class coverage over random calibrate/score splits of the pooled
    rows of the same sizes, per-field coverage with binomial intervals, per-field quantiles of
    the class-conditional nonconformity scores, leave-one-field-out coverage over all saved
    fields against the binomial spread, and coverage per class against the number of
    calibration fields.

Run::

    nice -n 10 .venv/bin/python benchmarks/trust_recheck.py dump /tmp/starclass_trust_brj574lw/sim 1500 1024 \\
        310,311,312,313,314,315,316,317,318,319,320,321,322,323,324,325 /tmp/cal17_fields.npz
    nice -n 10 .venv/bin/python benchmarks/trust_calibrators.py methods /tmp/cal17_fields.npz \\
        --json benchmarks/results_trust_calibrators_sim_2026-12-02.json
    nice -n 10 .venv/bin/python benchmarks/trust_calibrators.py ece-fields /tmp/cal17_fields.npz --lam 0.1 --mu 0.01 \\
        --json benchmarks/results_trust_ece_fields_sim_2026-12-02.json
    nice -n 10 .venv/bin/python benchmarks/trust_recheck.py dump-real /tmp/starclass_trust_real_3j61qzvd \\
        /tmp/cal17_real.npz
    nice -n 10 .venv/bin/python benchmarks/trust_calibrators.py real /tmp/cal17_real.npz \\
        --json benchmarks/results_trust_calibrators_real_2026-12-02.json
    nice -n 10 .venv/bin/python benchmarks/trust_calibrators.py coverage /tmp/cal17_fields.npz \\
        --json benchmarks/results_trust_coverage_sim_2026-12-02.json
    nice -n 10 .venv/bin/python benchmarks/trust_calibrators.py histogram /tmp/cal17_fields.npz \\
        --real /tmp/cal17_real.npz --json benchmarks/results_trust_histogram_2026-12-02.json
    for a in 326 336 346 356 366 376; do nice -n 10 .venv/bin/python benchmarks/trust_recheck.py dump \\
        /tmp/starclass_trust_brj574lw/sim 1500 1024 $(seq -s, $a $((a+9))) /tmp/ece17/f$a.npz; done
    nice -n 10 .venv/bin/python benchmarks/trust_calibrators.py large-test \\
        /tmp/cal17_fields.npz,/tmp/ece17/f326.npz,/tmp/ece17/f336.npz,/tmp/ece17/f346.npz,/tmp/ece17/f356.npz,\\
/tmp/ece17/f366.npz,/tmp/ece17/f376.npz --test-seeds 342-365 --sizes 2,4,8,12,24 \\
        --explain 312-315:310,311,316-325 --json benchmarks/results_trust_large_test_sim_2026-12-02.json
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _say(*a) -> None:
    print(*a, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- calibration maps

class _PassThrough:
    """A fitted "classifier" whose probabilities are its inputs, for scikit-learn's calibrators."""

    def __init__(self, k: int) -> None:
        self.classes_ = np.arange(k)
        self.n_features_in_ = k
        self.fitted_ = True

    def fit(self, x, y):  # pragma: no cover - frozen, never refitted
        return self

    def predict_proba(self, x):
        return np.asarray(x, dtype=np.float64)

    def predict(self, x):
        return np.asarray(x).argmax(1)

    def get_params(self, deep=True):
        return {"k": len(self.classes_)}

    def set_params(self, **kw):
        return self

    _estimator_type = "classifier"

    def __sklearn_tags__(self):
        from sklearn.utils import ClassifierTags, InputTags, Tags, TargetTags

        return Tags(estimator_type="classifier", target_tags=TargetTags(required=True),
                    classifier_tags=ClassifierTags(), input_tags=InputTags())


class IsotonicOvR:
    """One isotonic map per class (``p_k`` against ``[y = k]``), renormalised: scikit-learn's own.

    ``CalibratedClassifierCV(FrozenEstimator(...), method="isotonic")`` on the probabilities as
    features: for more than two classes it fits one ``IsotonicRegression`` per column and
    divides by the row sum (a row whose maps are all 0 gets 1/K).
    """

    def fit(self, p, y):
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.frozen import FrozenEstimator

        self.cc_ = CalibratedClassifierCV(FrozenEstimator(_PassThrough(p.shape[1])), method="isotonic").fit(p, y)
        return self

    def predict_proba(self, p):
        return self.cc_.predict_proba(p)


class HistogramOvR:
    """One-vs-rest histogram binning: :class:`starclass.learn.calibration.HistogramBinner` itself.

    The small-set guard is off here (``min_rows_per_bin=0``) so that the real cutouts' 139-row
    folds can be scored to show the overfitting the guard is there for.
    """

    def __init__(self, n_bins: int = 15) -> None:
        self.n_bins = n_bins

    def fit(self, p, y):
        from starclass.learn.calibration import HistogramBinner

        self.map_ = HistogramBinner(self.n_bins, min_rows_per_bin=0).fit(p, y)
        self.edges_, self.freq_ = self.map_.edges_, self.map_.freq_
        return self

    def predict_proba(self, p):
        return self.map_.predict_proba(p)


def _matrix_loss_grad(theta, logp, onehot, lam, mu):
    """Mean NLL of ``softmax(log p @ W.T + b)`` plus the ODIR penalty, and its gradient."""
    n, k = logp.shape
    w = theta[: k * k].reshape(k, k)
    b = theta[k * k:]
    z = logp @ w.T + b
    z = z - z.max(1, keepdims=True)
    lse = np.log(np.exp(z).sum(1))
    nll = float(np.mean(lse - (z * onehot).sum(1)))
    r = (np.exp(z - lse[:, None]) - onehot) / n
    gw = r.T @ logp
    gb = r.sum(0)
    off = ~np.eye(k, dtype=bool)
    # ODIR (Kull et al. 2019): only the off-diagonal weights and the intercepts are pulled to 0,
    # so the diagonal (vector scaling) is free and the penalty never fights a temperature
    pen = lam / (k * (k - 1)) * float(np.sum(w[off] ** 2)) + mu / k * float(np.sum(b ** 2))
    gw = gw + np.where(off, 2 * lam / (k * (k - 1)) * w, 0.0)
    gb = gb + 2 * mu / k * b
    return nll + pen, np.concatenate([gw.ravel(), gb])


class MatrixODIR:
    """Full matrix (Dirichlet) calibration ``softmax(W log p + b)``, off-diagonal and intercept L2 (ODIR)."""

    def __init__(self, lam: float = 1e-2, mu: float = 1e-2) -> None:
        self.lam, self.mu = lam, mu

    def fit(self, p, y):
        from scipy.optimize import minimize

        from starclass.learn.calibration import VectorScaler

        k = p.shape[1]
        logp = np.log(np.clip(p, 1e-12, 1))
        onehot = np.eye(k)[y]
        vs = VectorScaler().fit(p, y)  # start from the diagonal solution
        start = np.concatenate([np.diag(vs.scale_).ravel(), vs.bias_])
        res = minimize(_matrix_loss_grad, start, args=(logp, onehot, self.lam, self.mu), jac=True,
                       method="L-BFGS-B", options={"maxiter": 2000})
        self.w_ = res.x[: k * k].reshape(k, k)
        self.b_ = res.x[k * k:]
        return self

    def predict_proba(self, p):
        z = np.log(np.clip(p, 1e-12, 1)) @ self.w_.T + self.b_
        z -= z.max(1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(1, keepdims=True)


class _Starclass:
    """The package's own maps (``ModelCalibration``) in the same fit/predict_proba shape."""

    def __init__(self, method: str) -> None:
        self.method = method

    def fit(self, p, y):
        from starclass.learn.calibration import ModelCalibration

        self.mc_ = ModelCalibration.fit(p, y, list(range(1, p.shape[1] + 1)), source="bench", method=self.method)
        return self

    def predict_proba(self, p):
        return self.mc_.calibrate(p)


class _Raw:
    def fit(self, p, y):
        return self

    def predict_proba(self, p):
        return np.asarray(p, dtype=np.float64)


class _Mean:
    """Mean of the probabilities of several maps (an ensemble of calibrators)."""

    def __init__(self, *maps) -> None:
        self.maps = maps

    def fit(self, p, y):
        for m in self.maps:
            m.fit(p, y)
        return self

    def predict_proba(self, p):
        return np.mean([m.predict_proba(p) for m in self.maps], axis=0)


ODIR_GRID = (1e-3, 1e-2, 1e-1, 1.0)


class MatrixODIRCV:
    """``MatrixODIR`` with lambda and mu chosen by 5-fold CV NLL on the fitting rows only."""

    def __init__(self, grid=ODIR_GRID, seed: int = 0) -> None:
        self.grid, self.seed = grid, seed

    def fit(self, p, y):
        from sklearn.model_selection import StratifiedKFold

        best = None
        folds = list(StratifiedKFold(5, shuffle=True, random_state=self.seed).split(p, y))
        self.cv_ = {}
        for lam in self.grid:
            for mu in self.grid:
                nll = np.mean([_nll(MatrixODIR(lam, mu).fit(p[a], y[a]).predict_proba(p[b]), y[b]) for a, b in folds])
                self.cv_[f"{lam:g},{mu:g}"] = round(float(nll), 5)
                if best is None or nll < best[0]:
                    best = (nll, lam, mu)
        self.lam_, self.mu_ = best[1], best[2]
        self.map_ = MatrixODIR(self.lam_, self.mu_).fit(p, y)
        return self

    def predict_proba(self, p):
        return self.map_.predict_proba(p)


def make_maps() -> dict:
    """Every calibrator compared, by name (fresh, unfitted objects)."""
    return {
        "raw": _Raw(),
        "temperature": _Starclass("temperature"),
        "vector": _Starclass("vector"),
        "matrix_odir": MatrixODIRCV(),
        "isotonic_ovr": IsotonicOvR(),
        "histogram_ovr": HistogramOvR(15),
        "temperature+vector": _Mean(_Starclass("temperature"), _Starclass("vector")),
    }


# --------------------------------------------------------------------------- scores

def _nll(q, y) -> float:
    return float(-np.mean(np.log(np.clip(q[np.arange(len(y)), y], 1e-12, 1.0))))


def scores(q: np.ndarray, y: np.ndarray) -> dict:
    from starclass.evaluate.reliability import brier_score, expected_calibration_error

    rc = _load("trust_recheck")
    return {"ece": expected_calibration_error(q, y), "classwise_ece": rc.classwise_ece(q, y), "nll": _nll(q, y),
            "brier": brier_score(q, y), "accuracy_argmax": float(np.mean(q.argmax(1) == y))}


def _split_rows(d, seeds):
    m = np.isin(d["field"], seeds) & (d["y"] >= 0)
    return d["probs"][m], d["y"][m], d["field"][m]


def run_methods(d, cal_seeds, test_seeds, n_boot: int = 200) -> dict:
    from sklearn.model_selection import StratifiedKFold

    from starclass.learn.conformal import ClassConditionalConformal

    trust = _load("trust")
    p_c, y_c, f_c = _split_rows(d, cal_seeds)
    p_t, y_t, f_t = _split_rows(d, test_seeds)
    k = p_c.shape[1]
    out: dict = {"cal_seeds": cal_seeds, "test_seeds": test_seeds, "n_cal": len(y_c), "n_test": len(y_t),
                 "selection": {}, "test": {}}
    # 1. choose on the calibration rows alone
    folds = {"cv5": list(StratifiedKFold(5, shuffle=True, random_state=0).split(p_c, y_c)),
             "leave_one_field_out": [(np.flatnonzero(f_c != s), np.flatnonzero(f_c == s)) for s in cal_seeds]}
    for name in make_maps():
        sel = {}
        for how, fl in folds.items():
            qs, ys = [], []
            for a, b in fl:
                m = make_maps()[name].fit(p_c[a], y_c[a])
                qs.append(m.predict_proba(p_c[b]))
                ys.append(y_c[b])
            sel[how] = {kk: round(v, 5) for kk, v in scores(np.concatenate(qs), np.concatenate(ys)).items()}
        out["selection"][name] = sel
        _say(f"  select {name:19s} cv5 NLL {sel['cv5']['nll']:.4f} cw-ECE {sel['cv5']['classwise_ece']:.4f} "
             f"ECE {sel['cv5']['ece']:.4f} | LOFO NLL {sel['leave_one_field_out']['nll']:.4f} "
             f"cw-ECE {sel['leave_one_field_out']['classwise_ece']:.4f} ECE {sel['leave_one_field_out']['ece']:.4f}")
    cand = [n for n in out["selection"] if n != "raw"]
    chosen = min(cand, key=lambda n: (round(out["selection"][n]["cv5"]["nll"], 3),
                                      out["selection"][n]["cv5"]["classwise_ece"]))
    out["chosen_by_cv5_nll"] = chosen
    out["chosen_by_lofo_nll"] = min(cand, key=lambda n: (round(out["selection"][n]["leave_one_field_out"]["nll"], 3),
                                                          out["selection"][n]["leave_one_field_out"]["classwise_ece"]))
    # 2. fit on all calibration rows, score the test rows
    rng = np.random.default_rng(0)
    boot = [rng.integers(0, len(y_t), len(y_t)) for _ in range(n_boot)]
    from starclass.evaluate.reliability import expected_calibration_error

    qs = {}
    for name, m in make_maps().items():
        m.fit(p_c, y_c)
        q, qc = m.predict_proba(p_t), m.predict_proba(p_c)
        qs[name] = q
        s = scores(q, y_t)
        s["ece_floor_mean_p95"] = trust.ece_floor(q)
        s["argmax_changed"] = float(np.mean(q.argmax(1) != p_t.argmax(1)))
        s["mean_prob"] = q.mean(0).round(4).tolist()
        sets = ClassConditionalConformal(seed=0).fit(qc, y_c).predict_set(q, 0.9)
        s["coverage"] = [round(float(sets[y_t == j, j].mean()), 4) for j in range(k)]
        s["mean_set_size"] = round(float(sets.sum(1).mean()), 3)
        if name == "matrix_odir":
            s.update(lam=m.lam_, mu=m.mu_, W=m.map_.w_.round(4).tolist(), b=m.map_.b_.round(4).tolist())
        out["test"][name] = s
        _say(f"  test   {name:19s} ECE {s['ece']:.4f} (floor {s['ece_floor_mean_p95'][0]:.4f}/"
             f"{s['ece_floor_mean_p95'][1]:.4f}) cw-ECE {s['classwise_ece']:.4f} NLL {s['nll']:.4f} "
             f"Brier {s['brier']:.4f} acc {s['accuracy_argmax']:.4f} cov {s['coverage']}")
    out["observed_fractions"] = (np.bincount(y_t, minlength=k) / len(y_t)).round(4).tolist()
    # paired bootstrap of the ECE difference of each map against vector scaling (same resampled
    # rows; a bootstrap of the ECE itself is biased upwards by the duplicated rows, the difference
    # much less so)
    ref = qs["vector"]
    out["ece_minus_vector_boot_95"] = {
        n: np.quantile([expected_calibration_error(q[i], y_t[i]) - expected_calibration_error(ref[i], y_t[i])
                        for i in boot[:100]], [0.025, 0.5, 0.975]).round(4).tolist()
        for n, q in qs.items() if n != "vector"}
    # per test field: the ECE of each map against its own floor (is the rest field-to-field?)
    out["per_test_field"] = {
        str(s): {n: [round(expected_calibration_error(q[f_t == s], y_t[f_t == s]), 4),
                     round(trust.ece_floor(q[f_t == s], n_draws=100)[0], 4)] for n, q in qs.items()}
        for s in test_seeds}
    return out


def run_ece_fields(d, cal_seeds, test_seeds, lam: float, mu: float, n_rep: int = 20) -> dict:
    """Is the ECE left after calibration field-to-field shift, or the maps' limit?

    (1) The maps fitted on more calibration fields (nested: the given ones, then the saved
    fields that are neither calibration nor test fields, in seed order), scored on the same test
    fields; (1b) the same with 2, 4 and 8 fields drawn at random, ``n_rep // 2`` times. (2) The
    same sizes as the fixed split (calibration rows / test rows) but drawn at random from the
    pooled rows of the calibration and test fields (exchangeable rows, no field structure),
    ``n_rep`` times. Matrix scaling uses the lambda and mu chosen by ``methods``.
    """
    from starclass.evaluate.reliability import expected_calibration_error

    trust = _load("trust")

    def maps():
        return {"temperature": _Starclass("temperature"), "vector": _Starclass("vector"),
                "matrix_odir": MatrixODIR(lam, mu), "isotonic_ovr": IsotonicOvR(), "histogram_ovr": HistogramOvR(15)}

    p_all, y_all, f_all = d["probs"], d["y"], d["field"]
    p_t, y_t, _ = _split_rows(d, test_seeds)
    extra = [s for s in sorted(np.unique(f_all).tolist()) if s not in cal_seeds + test_seeds]
    out: dict = {"lam": lam, "mu": mu, "test_seeds": test_seeds, "more_fields": {}}
    for n_extra in (0, 2, 6, 10):
        if n_extra > len(extra):
            break
        seeds = cal_seeds + extra[:n_extra]
        p_c, y_c, _ = _split_rows(d, seeds)
        row = {"seeds": seeds, "n_cal": len(y_c)}
        for name, m in maps().items():
            q = m.fit(p_c, y_c).predict_proba(p_t)
            row[name] = {"ece": round(expected_calibration_error(q, y_t), 4), "nll": round(_nll(q, y_t), 4),
                         "classwise_ece": round(_load("trust_recheck").classwise_ece(q, y_t), 4)}
        row["floor_mean_p95_vector"] = [round(v, 4) for v in trust.ece_floor(maps()["vector"].fit(p_c, y_c)
                                                                           .predict_proba(p_t))]
        out["more_fields"][str(len(seeds))] = row
        _say(f"  {len(seeds)} calibration fields: " + "; ".join(f"{n} {v['ece']}/{v['nll']}" for n, v in row.items()
                                                               if isinstance(v, dict)))
    # (1b) random subsets of the non-test fields, so that one lucky draw of fields does not decide
    pool_seeds = [s for s in sorted(np.unique(f_all).tolist()) if s not in test_seeds]
    rng = np.random.default_rng(4)
    out["random_field_subsets"] = {}
    for nf in (2, 4, 8):
        res = {n: [] for n in maps()}
        for _ in range(n_rep // 2):
            p_c, y_c, _ = _split_rows(d, rng.permutation(pool_seeds)[:nf].tolist())
            for name, m in maps().items():
                q = m.fit(p_c, y_c).predict_proba(p_t)
                res[name].append([expected_calibration_error(q, y_t), _nll(q, y_t)])
        r = {n: np.array(v) for n, v in res.items()}
        out["random_field_subsets"][str(nf)] = {
            "repeats": n_rep // 2,
            **{n: {"ece_mean_sd": [round(float(v[:, 0].mean()), 4), round(float(v[:, 0].std()), 4)],
                   "nll_mean": round(float(v[:, 1].mean()), 4),
                   "share_ece_le_0.02": round(float(np.mean(v[:, 0] <= 0.02)), 2),
                   "share_nll_le_vector": round(float(np.mean(v[:, 1] <= r["vector"][:, 1])), 2)}
               for n, v in r.items()}}
        _say(f"  {nf} random calibration fields: {out['random_field_subsets'][str(nf)]}")
    rng = np.random.default_rng(3)
    pool = np.flatnonzero(np.isin(f_all, cal_seeds + test_seeds) & (y_all >= 0))
    n_cal = int(np.isin(f_all, cal_seeds).sum())
    res = {n: [] for n in maps()}
    floors = []
    for _ in range(n_rep):
        perm = rng.permutation(pool)
        a, b = perm[:n_cal], perm[n_cal:]
        for name, m in maps().items():
            q = m.fit(p_all[a], y_all[a]).predict_proba(p_all[b])
            res[name].append([expected_calibration_error(q, y_all[b]), _nll(q, y_all[b])])
            if name == "vector":
                floors.append(trust.ece_floor(q, n_draws=50)[0])
    summary = {n: {"ece_mean_sd": [round(float(np.mean(v, 0)[0]), 4), round(float(np.std(v, 0)[0]), 4)],
                   "nll_mean": round(float(np.mean(v, 0)[1]), 4)} for n, v in res.items()}
    out["random_row_splits"] = {"n_rep": n_rep, "floor_mean_vector": round(float(np.mean(floors)), 4), **summary}
    _say(f"  random row splits: {out['random_row_splits']}")
    return out


def run_real(npz: str) -> dict:
    """Every map fitted per fold on its stored calibration rows (139 cutouts), the 869 out-of-fold rows pooled.

    Selection as on the simulated fields: 5-fold stratified CV within each fold's calibration
    rows (pooled over the folds), by NLL.
    """
    from sklearn.model_selection import StratifiedKFold

    from starclass.learn.conformal import ClassConditionalConformal

    trust = _load("trust")
    r = dict(np.load(npz))
    k = r["cal_probs"].shape[1]
    out: dict = {"n_cal_per_fold": np.bincount(r["cal_fold"]).tolist(), "n_test": len(r["test_y"]),
                 "selection_cv5": {}, "test": {}}
    names = [n for n in make_maps() if n != "temperature+vector"]
    for name in names:
        qs, ys = [], []
        for f in range(5):
            pc, yc = r["cal_probs"][r["cal_fold"] == f], r["cal_y"][r["cal_fold"] == f]
            for a, b in StratifiedKFold(5, shuffle=True, random_state=0).split(pc, yc):
                qs.append(make_maps()[name].fit(pc[a], yc[a]).predict_proba(pc[b]))
                ys.append(yc[b])
        sel = scores(np.concatenate(qs), np.concatenate(ys))
        out["selection_cv5"][name] = {kk: round(v, 4) for kk, v in sel.items()}
        q = np.full(r["test_probs"].shape, np.nan)
        sets = np.zeros(q.shape, bool)
        terms = []
        for f in range(5):
            c, t = r["cal_fold"] == f, r["test_fold"] == f
            m = make_maps()[name].fit(r["cal_probs"][c], r["cal_y"][c])
            q[t] = m.predict_proba(r["test_probs"][t])
            sets[t] = ClassConditionalConformal(seed=0).fit(m.predict_proba(r["cal_probs"][c]),
                                                           r["cal_y"][c]).predict_set(q[t], 0.9)
            if name == "matrix_odir":
                terms.append({"lam": m.lam_, "mu": m.mu_, "W": m.map_.w_.round(3).tolist()})
        y = r["test_y"]
        s = scores(q, y)
        s["ece_floor_mean_p95"] = trust.ece_floor(q)
        s["coverage"] = [round(float(sets[y == j, j].mean()), 4) for j in range(k)]
        if terms:
            s["per_fold"] = terms
        out["test"][name] = s
        sel = out["selection_cv5"][name]
        _say(f"  real {name:15s} select NLL {sel['nll']:.4f} cw-ECE {sel['classwise_ece']:.4f} | "
             f"test ECE {s['ece']:.4f} (floor {s['ece_floor_mean_p95'][0]:.4f}/{s['ece_floor_mean_p95'][1]:.4f}) "
             f"cw-ECE {s['classwise_ece']:.4f} NLL {s['nll']:.4f} Brier {s['brier']:.4f} cov {s['coverage']}")
    out["chosen_by_cv5_nll"] = min((n for n in names if n != "raw"), key=lambda n: out["selection_cv5"][n]["nll"])
    return out


# --------------------------------------------------------------------------- coverage

def _sets(p_c, y_c, p_t, method: str, coverage: float = 0.9, seed: int = 0):
    """Fit the map and the class-conditional sets on (p_c, y_c) as the package does; sets of p_t."""
    from starclass.learn.calibration import ModelCalibration

    mc = ModelCalibration.fit(p_c, y_c, list(range(1, p_c.shape[1] + 1)), source="bench", method=method)
    return mc.conformal(calibrated=True, seed=seed).predict_set(mc.calibrate(p_t), coverage), mc


def _cov(sets, y, k) -> list[float]:
    return [float(sets[y == j, j].mean()) for j in range(k)]


def _wilson(x: int, n: int, z: float = 1.96) -> list[float]:
    """Wilson 95% interval of a binomial proportion x/n."""
    ph = x / n
    c = (ph + z * z / (2 * n)) / (1 + z * z / n)
    h = z * np.sqrt(ph * (1 - ph) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return [round(float(c - h), 4), round(float(c + h), 4)]


def _spread(covs: np.ndarray, target: float, observed=None) -> dict:
    out = {"mean": covs.mean(0).round(4).tolist(), "sd": covs.std(0).round(4).tolist(),
           "p05_p95": np.quantile(covs, [0.05, 0.95], axis=0).round(4).T.tolist(),
           "share_all_within_2pts": float(np.mean(np.all(np.abs(covs - target) <= 0.02, axis=1))),
           "share_each_within_2pts": np.mean(np.abs(covs - target) <= 0.02, axis=0).round(3).tolist()}
    if observed is not None:
        # how often chance alone puts a class at least as far below the target as observed
        out["share_at_or_below_observed"] = np.mean(covs <= np.asarray(observed) + 1e-12, axis=0).round(3).tolist()
    return out


def run_coverage(d, cal_seeds, test_seeds, method: str, target: float = 0.9, n_rep: int = 100) -> dict:
    from scipy.stats import chi2

    rng = np.random.default_rng(1)
    p_all, y_all, f_all = d["probs"], d["y"], d["field"]
    k = p_all.shape[1]
    p_c, y_c, f_c = _split_rows(d, cal_seeds)
    p_t, y_t, f_t = _split_rows(d, test_seeds)
    out: dict = {"method": method, "target": target}
    # (a) the fixed split, with binomial intervals over the test rows (calibration held fixed) and
    # the spread expected from the split under exchangeability: the coverage given a calibration
    # set is Beta-distributed with variance about c(1-c)/(n_cal+2), plus the binomial c(1-c)/n_test
    sets, _ = _sets(p_c, y_c, p_t, method)
    n_c = np.bincount(y_c, minlength=k)
    n_t = np.bincount(y_t, minlength=k)
    cov = _cov(sets, y_t, k)
    sd_exch = np.sqrt(target * (1 - target) / (n_c + 2) + target * (1 - target) / n_t)
    out["fixed_split"] = {"cal_seeds": cal_seeds, "test_seeds": test_seeds, "n_cal": n_c.tolist(),
                          "n_test": n_t.tolist(), "coverage": np.round(cov, 4).tolist(),
                          "wilson95_test_rows": [_wilson(int(sets[y_t == j, j].sum()), int(n_t[j])) for j in range(k)],
                          "sd_expected_exchangeable": sd_exch.round(4).tolist(),
                          "z": ((np.array(cov) - target) / sd_exch).round(2).tolist()}
    _say(f"[{method}] fixed split coverage {out['fixed_split']['coverage']} z {out['fixed_split']['z']}")
    # (b) the same sizes, rows of the six fields pooled and split at random (pure chance)
    pool = np.flatnonzero(np.isin(f_all, cal_seeds + test_seeds) & (y_all >= 0))
    covs = []
    for r in range(n_rep):
        perm = rng.permutation(pool)
        a, b = perm[: len(y_c)], perm[len(y_c):]
        covs.append(_cov(_sets(p_all[a], y_all[a], p_all[b], method, seed=r)[0], y_all[b], k))
    out["random_row_splits"] = _spread(np.array(covs), target, cov)
    _say(f"[{method}] random row splits {out['random_row_splits']}")
    # (c) splits by field: 2 calibration fields and 4 test fields drawn from all saved fields
    seeds = sorted(np.unique(f_all).tolist())
    covs = []
    for r in range(n_rep):
        pick = rng.permutation(seeds)
        a = np.flatnonzero(np.isin(f_all, pick[: len(cal_seeds)]) & (y_all >= 0))
        b = np.flatnonzero(np.isin(f_all, pick[len(cal_seeds): len(cal_seeds) + len(test_seeds)]) & (y_all >= 0))
        covs.append(_cov(_sets(p_all[a], y_all[a], p_all[b], method, seed=r)[0], y_all[b], k))
    out["random_field_splits"] = _spread(np.array(covs), target, cov)
    _say(f"[{method}] random field splits {out['random_field_splits']}")
    # (d) the fixed split's coverage per test field, and a chi-square test of equal coverage
    per = {}
    for j in range(k):
        xs = np.array([int(sets[(f_t == s) & (y_t == j), j].sum()) for s in test_seeds])
        ns = np.array([int(((f_t == s) & (y_t == j)).sum()) for s in test_seeds])
        pbar = xs.sum() / ns.sum()
        stat = float(np.sum((xs - ns * pbar) ** 2 / (ns * pbar * (1 - pbar))))
        per[str(j + 1)] = {"coverage": (xs / ns).round(4).tolist(), "n": ns.tolist(),
                           "wilson95": [_wilson(int(x), int(n)) for x, n in zip(xs, ns)],
                           "chi2": round(stat, 2), "p_equal": round(float(chi2.sf(stat, len(xs) - 1)), 3)}
    out["per_test_field"] = per
    _say(f"[{method}] per test field {per}")
    # (e) leave one field out over every saved field: map and sets fitted on the others (large
    # calibration set, so little quantile noise); over-dispersion of per-field coverage against
    # the binomial spread says whether fields differ
    lofo = {str(j + 1): {"x": [], "n": []} for j in range(k)}
    for s in seeds:
        a = np.flatnonzero((f_all != s) & (y_all >= 0))
        b = np.flatnonzero((f_all == s) & (y_all >= 0))
        st = _sets(p_all[a], y_all[a], p_all[b], method)[0]
        for j in range(k):
            m = y_all[b] == j
            lofo[str(j + 1)]["x"].append(int(st[m, j].sum()))
            lofo[str(j + 1)]["n"].append(int(m.sum()))
    for v in lofo.values():
        xs, ns = np.array(v["x"]), np.array(v["n"])
        pbar = xs.sum() / ns.sum()
        stat = float(np.sum((xs - ns * pbar) ** 2 / (ns * pbar * (1 - pbar))))
        v.update(coverage=(xs / ns).round(4).tolist(), pooled=round(float(pbar), 4),
                 sd_between_fields=round(float(np.std(xs / ns)), 4),
                 sd_binomial=round(float(np.sqrt(pbar * (1 - pbar) / ns.mean())), 4),
                 chi2=round(stat, 2), dof=len(xs) - 1, p_equal=round(float(chi2.sf(stat, len(xs) - 1)), 4))
    out["leave_one_field_out"] = {"seeds": seeds, "per_class": lofo}
    _say(f"[{method}] LOFO " + "; ".join(f"{j}: sd {v['sd_between_fields']} vs binom {v['sd_binomial']} "
                                         f"p {v['p_equal']}" for j, v in lofo.items()))
    # (f) per field, the class-conditional score quantile the 90% sets use: 1 - p(k) of the
    # class-k rows, calibrated with the fixed split's map; bootstrap 95% intervals
    _, mc = _sets(p_c, y_c, p_t, method)
    q_all = mc.calibrate(p_all)
    quant = {}
    for j in range(k):
        row = {}
        for s in seeds:
            sc = 1 - q_all[(f_all == s) & (y_all == j), j]
            bs = [np.quantile(sc[rng.integers(0, len(sc), len(sc))], target) for _ in range(200)]
            row[str(s)] = [round(float(np.quantile(sc, target)), 4), *np.quantile(bs, [0.025, 0.975]).round(4).tolist()]
        for name, group in (("cal_fields", cal_seeds), ("test_fields", test_seeds)):
            sc = 1 - q_all[np.isin(f_all, group) & (y_all == j), j]
            row[name] = round(float(np.quantile(sc, target)), 4)
        quant[str(j + 1)] = row
    out["score_quantile_per_field"] = quant
    _say(f"[{method}] score quantiles class 3 {quant['3']}")
    # (g) coverage on the fixed test fields against the number of calibration fields, the
    # calibration fields drawn at random from the saved fields that are not test fields
    pool_seeds = [s for s in seeds if s not in test_seeds]
    by_n = {}
    for nf in (1, 2, 4, 6, 8, len(pool_seeds)):
        reps = 1 if nf == len(pool_seeds) else 20
        covs, eces = [], []
        for r in range(reps):
            pick = rng.permutation(pool_seeds)[:nf]
            a = np.isin(f_all, pick) & (y_all >= 0)
            st, mcn = _sets(p_all[a], y_all[a], p_t, method, seed=r)
            covs.append(_cov(st, y_t, k))
            from starclass.evaluate.reliability import expected_calibration_error

            eces.append(expected_calibration_error(mcn.calibrate(p_t), y_t))
        c = np.array(covs)
        by_n[str(nf)] = dict(_spread(c, target), n_rows=int(nf * 1500), repeats=reps,
                             ece_mean_sd=[round(float(np.mean(eces)), 4), round(float(np.std(eces)), 4)])
        _say(f"[{method}] {nf} calibration fields: {by_n[str(nf)]}")
    out["by_number_of_calibration_fields"] = by_n
    return out


def run_histogram(d, test_seeds, real_npz: str | None = None, n_rep: int = 10) -> dict:
    """``--method histogram`` through the library (:class:`ModelCalibration`), against temperature and vector.

    (1) ``ece-fields``' random field subsets reproduced (same generator and draws: 2, 4 and 8 of
    the 12 non-test fields, ``n_rep`` draws each, then all 12), every map fitted as a model's
    calibration is (``ModelCalibration.fit(method=...)``). (2) How many rows histogram binning
    needs: ``n`` rows drawn at random from the non-test fields (150 to 6,000; 10 draws each) at
    15 bins (guard off), and at the most bins the guard allows (``n // 100``). (3) The real
    cutouts: each fold's 139 rows at 15 and at 6 bins (9 and 23 rows per bin; guard off).
    All scored on the test fields (or the out-of-fold cutouts).
    """
    from starclass.evaluate.reliability import expected_calibration_error
    from starclass.learn.calibration import HISTOGRAM_MIN_ROWS_PER_BIN, HistogramBinner, ModelCalibration

    def fit_all(p_c, y_c, n_bins=15):
        k = p_c.shape[1]
        return {m: ModelCalibration.fit(p_c, y_c, list(range(1, k + 1)), method=m, n_bins=n_bins)
                for m in ("temperature", "vector", "histogram")}

    def score(q, y):
        return [expected_calibration_error(q, y), _nll(q, y)]

    def summary(v: dict) -> dict:
        r = {n: np.array(x) for n, x in v.items()}
        return {n: {"ece_mean_sd": [round(float(x[:, 0].mean()), 4), round(float(x[:, 0].std()), 4)],
                    "nll_mean": round(float(x[:, 1].mean()), 4),
                    "share_ece_le_0.02": round(float(np.mean(x[:, 0] <= 0.02)), 2),
                    "share_nll_le_vector": round(float(np.mean(x[:, 1] <= r["vector"][:, 1])), 2)}
                for n, x in r.items()}

    f_all = d["field"]
    p_t, y_t, _ = _split_rows(d, test_seeds)
    pool_seeds = [s for s in sorted(np.unique(f_all).tolist()) if s not in test_seeds]
    out: dict = {"test_seeds": test_seeds, "n_test": len(y_t), "min_rows_per_bin": HISTOGRAM_MIN_ROWS_PER_BIN,
                 "random_field_subsets": {}}
    rng = np.random.default_rng(4)  # the generator and order of ece-fields' random subsets
    for nf in (2, 4, 8, 12):
        res: dict = {"temperature": [], "vector": [], "histogram": []}
        draws = 1 if nf == len(pool_seeds) else n_rep
        for _ in range(draws):
            pick = pool_seeds if nf == len(pool_seeds) else rng.permutation(pool_seeds)[:nf].tolist()
            p_c, y_c, _ = _split_rows(d, pick)
            for m, cal in fit_all(p_c, y_c).items():
                res[m].append(score(cal.calibrate(p_t), y_t))
        out["random_field_subsets"][str(nf)] = {"repeats": draws, "n_cal": int(nf * 1500), **summary(res)}
        _say(f"  {nf} fields: {out['random_field_subsets'][str(nf)]}")
    p_pool, y_pool, _ = _split_rows(d, pool_seeds)
    rng = np.random.default_rng(5)
    out["random_rows"] = {}
    for n in (150, 300, 600, 1500, 3000, 6000):
        most = max(1, n // HISTOGRAM_MIN_ROWS_PER_BIN)
        res = {"temperature": [], "vector": [], "histogram_15": [], f"histogram_{min(most, 15)}_guard_max": []}
        for _ in range(10):
            i = rng.permutation(len(y_pool))[:n]
            p_c, y_c = p_pool[i], y_pool[i]
            for m, cal in fit_all(p_c, y_c, n_bins=min(most, 15)).items():
                res[m if m != "histogram" else f"histogram_{min(most, 15)}_guard_max"].append(
                    score(cal.calibrate(p_t), y_t))
            res["histogram_15"].append(score(HistogramBinner(15, min_rows_per_bin=0).fit(p_c, y_c)
                                             .predict_proba(p_t), y_t))
        out["random_rows"][str(n)] = {"rows_per_bin_at_15": round(n / 15, 1), **summary(res)}
        _say(f"  {n} random rows: {out['random_rows'][str(n)]}")
    if real_npz:
        r = dict(np.load(real_npz))
        out["real"] = {"n_cal_per_fold": np.bincount(r["cal_fold"]).tolist(), "n_test": len(r["test_y"])}
        for name, mk in (("temperature", None), ("vector", None), ("histogram_15_no_guard", 15),
                         ("histogram_6_23_per_bin_no_guard", 6)):
            q = np.full(r["test_probs"].shape, np.nan)
            for f in range(5):
                c, t = r["cal_fold"] == f, r["test_fold"] == f
                pc, yc = r["cal_probs"][c], r["cal_y"][c]
                if mk:  # below the guard: the binner itself, guard off, to show why it is there
                    q[t] = HistogramBinner(mk, min_rows_per_bin=0).fit(pc, yc).predict_proba(r["test_probs"][t])
                else:
                    q[t] = ModelCalibration.fit(pc, yc, r["classes"].tolist(), method=name).calibrate(
                        r["test_probs"][t])
            e, nl = score(q, r["test_y"])
            out["real"][name] = {"ece": round(e, 4), "nll": round(nl, 4)}
        _say(f"  real: {out['real']}")
    return out


# --------------------------------------------------------------------------- a large test set

def _fail(msg: str):
    """Bad input: the message on stderr, exit status 2, nothing written."""
    print(f"trust_calibrators.py: error: {msg}", file=sys.stderr)
    raise SystemExit(2)


def seed_list(text: str) -> list[int]:
    """Field seeds from ``"310,311"`` or ranges ``"342-365"`` (inclusive), or both mixed.

    Examples
    --------
    >>> seed_list("310,312-314")
    [310, 312, 313, 314]
    """
    out: list[int] = []
    for part in text.split(","):
        lo, _, hi = part.strip().partition("-")
        try:
            out.extend(range(int(lo), int(hi) + 1) if hi else [int(lo)])
        except ValueError:
            _fail(f"seed list {text!r}: {part!r} is not a seed or a range like 342-365")
    return out


def load_fields(paths: str) -> dict:
    """One table of rows from one or more ``trust_recheck.py dump`` files (comma-separated paths).

    Several dumps of the same model (other field seeds) are concatenated; a field seed found in
    two files, or files of different class lists, are refused (the rows would be counted twice
    or mean different classes).
    """
    keys = ("probs", "y", "class_ref", "people_mode", "field")
    parts = []
    for path in paths.split(","):
        if not Path(path).is_file():
            _fail(f"{path}: no such file (a trust_recheck.py dump)")
        with np.load(path) as z:
            absent = [k for k in (*keys, "classes") if k not in z.files]
            if absent:
                _fail(f"{path}: not a trust_recheck.py dump (no {', '.join(absent)})")
            parts.append({k: z[k] for k in z.files})
    out = {k: np.concatenate([p[k] for p in parts]) for k in keys}
    out["classes"] = parts[0]["classes"]
    for p, path in zip(parts[1:], paths.split(",")[1:]):
        if not np.array_equal(p["classes"], out["classes"]):
            _fail(f"{path}: classes {p['classes'].tolist()} differ from {out['classes'].tolist()}")
    seen: set[int] = set()
    for p, path in zip(parts, paths.split(",")):
        fs = set(np.unique(p["field"]).tolist())
        if fs & seen:
            _fail(f"{path}: field seed(s) {sorted(fs & seen)} already in an earlier file")
        seen |= fs
    return out


LARGE_METHODS = ("temperature", "vector", "histogram")


def true_class_coverage(cp, q: np.ndarray, y: np.ndarray, target: float) -> list[float]:
    """Per-class coverage of the class-conditional sets of a fitted ``ClassConditionalConformal``.

    A row is covered when its true class is in its set, i.e. when the class's p-value is at least
    ``1 - target``; only that one p-value per row is computed (with the same calibration scores and
    the same smoothing weight of each row, drawn from its probabilities, as
    :meth:`ClassConditionalConformal.predict_p`), a quarter of the work of the full sets on four
    classes, which matters on tens of thousands of test rows.
    """
    from starclass.learn.conformal import _p_values, probability_keys, row_uniforms

    cal_scores = np.asarray(cp.predictor_.alphas, dtype=np.float64)
    cal_bins = np.asarray(cp.predictor_.bins)
    keys = probability_keys(q)  # predict_p's default keys: each row's own draw, not its position's
    out = []
    for j in range(q.shape[1]):
        rows = np.flatnonzero(y == j)
        alpha = 1.0 - np.asarray(q[rows, j], dtype=np.float64)  # crepes' hinge score of class j
        theta = row_uniforms(keys[rows], cp.seed, j) if cp.smoothing else None
        pv = _p_values(np.sort(cal_scores[cal_bins == j]), alpha, theta)
        out.append(float(np.mean(pv >= 1.0 - target)))
    return out


def _large_summary(rows: list[dict], floors: dict, target: float) -> dict:
    """Mean, sd and share of draws with ECE <= 0.02 of each map; floor; NLL; coverage spread."""
    out = {}
    for m in LARGE_METHODS:
        e = np.array([r[m]["ece"] for r in rows])
        s = {"ece_mean_sd": [round(float(e.mean()), 4), round(float(e.std()), 4)],
             "ece_min_max": [round(float(e.min()), 4), round(float(e.max()), 4)],
             "share_ece_le_0.02": round(float(np.mean(e <= 0.02)), 3),
             "floor_mean": round(floors[m][0], 4), "floor_p95": round(floors[m][1], 4),
             "ece_minus_floor_mean": round(float(e.mean() - floors[m][0]), 4),
             "nll_mean_sd": [round(float(np.mean([r[m]["nll"] for r in rows])), 4),
                             round(float(np.std([r[m]["nll"] for r in rows])), 4)],
             "share_nll_le_vector": round(float(np.mean([r[m]["nll"] <= r["vector"]["nll"] for r in rows])), 3)}
        blocks = np.array([r[m]["ece_blocks"] for r in rows])  # draws x test blocks
        # how far the same map's ECE moves between test blocks of one old test set's size
        s["ece_block_sd_within_draw"] = round(float(blocks.std(1).mean()), 4)
        s["ece_block_mean"] = round(float(blocks.mean()), 4)
        s["share_blocks_ece_le_0.02"] = round(float(np.mean(blocks <= 0.02)), 3)
        if "coverage" in rows[0][m]:
            s["coverage"] = _spread(np.array([r[m]["coverage"] for r in rows]), target)
        out[m] = s
    return out


def run_large_test(d, test_seeds: list[int], pool_seeds: list[int], sizes=(2, 4, 8, 12), draws: int = 30,
                   floor_draws: int = 200, block: int = 4, target: float = 0.9, seed: int = 11,
                   coverage_methods=("temperature", "histogram"), split_reps: int = 30) -> dict:
    """Temperature, vector and histogram maps on a test set large enough to resolve ECE 0.02.

    For each number of calibration fields in ``sizes``, ``draws`` sets of that many fields are
    drawn at random from ``pool_seeds`` (disjoint from ``test_seeds``); each map is fitted as a
    model carries it (``ModelCalibration.fit(method=...)``), with (for ``coverage_methods``) its
    class-conditional conformal sets at ``target`` on the same rows
    (``ModelCalibration.conformal``), and scored on all the test fields: ECE (the package's), NLL
    and the coverage per class. The ECE of a perfectly calibrated model with the same
    probabilities on the same rows (``trust.ece_floor``, ``floor_draws`` label draws) is taken on
    each size's first draw. The test fields are also cut into blocks of ``block`` fields (the
    size of the earlier runs' test set) and the ECE is scored per block, to show how far a
    smaller test set moves the same map's ECE.

    Then (``split_reps`` > 0), whether a class's coverage off target belongs to these test fields:
    the temperature and its sets fitted on all pool fields and scored on the test fields, the
    roles reversed, and ``split_reps`` random splits of all the fields into the same numbers of
    calibration and test fields (the spread of per-class coverage that field sampling alone gives).
    """
    from starclass.evaluate.reliability import expected_calibration_error
    from starclass.learn.calibration import ModelCalibration

    if set(test_seeds) & set(pool_seeds):
        _fail(f"--test-seeds and --pool-seeds overlap: {sorted(set(test_seeds) & set(pool_seeds))}")
    trust = _load("trust")
    p_t, y_t, f_t = _split_rows(d, test_seeds)
    missing = sorted(set(test_seeds + pool_seeds) - set(np.unique(d["field"]).tolist()))
    if missing:
        _fail(f"field seed(s) {missing} are not in the saved rows")
    k = p_t.shape[1]
    blocks = [test_seeds[i:i + block] for i in range(0, len(test_seeds) - block + 1, block)]
    in_block = [np.isin(f_t, b) for b in blocks]
    out: dict = {"test_seeds": test_seeds, "n_test": len(y_t), "test_class_counts": np.bincount(y_t, minlength=k)
                 .tolist(), "pool_seeds": pool_seeds, "draws": draws, "floor_draws": floor_draws, "target": target,
                 "test_blocks": blocks, "raw": {"ece": expected_calibration_error(p_t, y_t), "nll": _nll(p_t, y_t),
                                                "floor_mean_p95": trust.ece_floor(p_t, n_draws=floor_draws)},
                 "by_calibration_fields": {}}
    _say(f"  {len(y_t)} test rows in {len(test_seeds)} fields; raw ECE {out['raw']['ece']:.4f} floor "
         f"{out['raw']['floor_mean_p95']}")
    rng = np.random.default_rng(seed)
    for nf in sizes:
        if nf > len(pool_seeds):
            break
        rows, floors = [], {}
        for r in range(draws):
            pick = sorted(rng.permutation(pool_seeds)[:nf].tolist())
            p_c, y_c, _ = _split_rows(d, pick)
            row: dict = {"fields": pick, "n_cal": len(y_c)}
            for m in LARGE_METHODS:
                mc = ModelCalibration.fit(p_c, y_c, list(range(1, k + 1)), source="bench", method=m)
                q = mc.calibrate(p_t)
                row[m] = {"ece": expected_calibration_error(q, y_t), "nll": _nll(q, y_t),
                          "ece_blocks": [expected_calibration_error(q[b], y_t[b]) for b in in_block]}
                if m in coverage_methods:
                    row[m]["coverage"] = true_class_coverage(mc.conformal(calibrated=True, seed=r), q, y_t, target)
                if r == 0:
                    # the floor depends on the calibrated probabilities alone, which hardly move
                    # between draws of one size: one draw's, with many label draws
                    floors[m] = list(trust.ece_floor(q, n_draws=floor_draws, seed=nf))
            rows.append(row)
        s = {"n_cal": int(nf * 1500), "n_cal_rows_mean": float(np.mean([r["n_cal"] for r in rows])),
             **_large_summary(rows, floors, target),
             "per_draw": [{"fields": r["fields"], **{m: [round(r[m]["ece"], 4), round(r[m]["nll"], 4)]
                                                     for m in LARGE_METHODS}} for r in rows]}
        out["by_calibration_fields"][str(nf)] = s
        _say(f"  {nf} calibration fields: " + "; ".join(
            f"{m} ECE {s[m]['ece_mean_sd']} <=0.02 {s[m]['share_ece_le_0.02']} floor {s[m]['floor_mean']}/"
            f"{s[m]['floor_p95']} NLL {s[m]['nll_mean_sd'][0]}"
            + (f" cov {s[m]['coverage']['mean']} all-in {s[m]['coverage']['share_all_within_2pts']}"
               if "coverage" in s[m] else "") for m in LARGE_METHODS))
    if split_reps:
        out["field_splits_temperature"] = _field_split_coverage(d, test_seeds, pool_seeds, split_reps, target)
    return out


def _field_split_coverage(d, test_seeds, pool_seeds, reps: int, target: float, seed: int = 12) -> dict:
    """Temperature sets: pool -> test, test -> pool, and random splits of all fields at the same sizes."""
    from starclass.learn.calibration import ModelCalibration

    def cov(cal, te, r=0):
        p_c, y_c, _ = _split_rows(d, cal)
        p_t, y_t, _ = _split_rows(d, te)
        mc = ModelCalibration.fit(p_c, y_c, list(range(1, p_c.shape[1] + 1)), source="bench")
        return true_class_coverage(mc.conformal(calibrated=True, seed=r), mc.calibrate(p_t), y_t, target)

    fixed = cov(pool_seeds, test_seeds)
    out = {"pool_to_test": np.round(fixed, 4).tolist(), "test_to_pool": np.round(cov(test_seeds, pool_seeds), 4)
           .tolist(), "reps": reps}
    rng = np.random.default_rng(seed)
    every = sorted(test_seeds + pool_seeds)
    covs = [cov(perm[: len(pool_seeds)], perm[len(pool_seeds):], r)
            for r, perm in enumerate(rng.permutation(every).tolist() for _ in range(reps))]
    out["random_splits"] = _spread(np.array(covs), target, fixed)
    _say(f"  temperature sets, all pool fields -> test fields {out['pool_to_test']}, reversed {out['test_to_pool']}; "
         f"{reps} random field splits of the same sizes: {out['random_splits']}")
    return out


def explain_draws(d, old_test: list[int], old_pool: list[int], large_test: list[int], n_rep: int = 10) -> dict:
    """The ``histogram`` section's random field subsets again, each map also scored on the large test set.

    The same generator and draws as :func:`run_histogram` (2, 4 and 8 of ``old_pool``, ``n_rep``
    draws each, then all of them), so its per-draw ECE on ``old_test`` is reproduced; next to it
    the ECE of the very same fitted map on ``large_test``. If the ordering of the sizes changes
    between the two, it was the small test set's noise, not the calibration fields.
    """
    from starclass.evaluate.reliability import expected_calibration_error
    from starclass.learn.calibration import ModelCalibration

    p_o, y_o, _ = _split_rows(d, old_test)
    p_l, y_l, _ = _split_rows(d, large_test)
    k = p_o.shape[1]
    rng = np.random.default_rng(4)  # run_histogram's generator and order
    out: dict = {"old_test": old_test, "old_pool": old_pool, "large_test_n": len(y_l), "sizes": {}}
    for nf in (2, 4, 8, len(old_pool)):
        res = []
        for _ in range(1 if nf == len(old_pool) else n_rep):
            pick = old_pool if nf == len(old_pool) else rng.permutation(old_pool)[:nf].tolist()
            p_c, y_c, _ = _split_rows(d, pick)
            row = {"fields": sorted(int(s) for s in pick)}
            for m in LARGE_METHODS:
                mc = ModelCalibration.fit(p_c, y_c, list(range(1, k + 1)), method=m)
                # unrounded, so that the means below are run_histogram's to the last digit
                row[m] = {"ece_old_test": expected_calibration_error(mc.calibrate(p_o), y_o),
                          "ece_large_test": expected_calibration_error(mc.calibrate(p_l), y_l)}
            res.append(row)
        summ = {m: {key: [round(float(np.mean([r[m][key] for r in res])), 4),
                          round(float(np.std([r[m][key] for r in res])), 4)]
                    for key in ("ece_old_test", "ece_large_test")} for m in LARGE_METHODS}
        h_old = np.array([r["histogram"]["ece_old_test"] for r in res])
        h_new = np.array([r["histogram"]["ece_large_test"] for r in res])
        if len(res) > 2:
            summ["histogram_corr_old_large"] = round(float(np.corrcoef(h_old, h_new)[0, 1]), 3)
        out["sizes"][str(nf)] = {"draws": res, "mean_sd": summ}
        _say(f"  old draws, {nf} fields: {summ}")
    # which fields: the mean histogram ECE (old test) of the 8-field draws with and without each field
    eight = out["sizes"]["8"]["draws"]
    eff = {}
    for s in old_pool:
        w = [r["histogram"]["ece_old_test"] for r in eight if s in r["fields"]]
        wo = [r["histogram"]["ece_old_test"] for r in eight if s not in r["fields"]]
        if w and wo:
            eff[str(s)] = [round(float(np.mean(w) - np.mean(wo)), 4), len(w)]
    out["eight_field_draws_with_minus_without_field"] = eff
    _say(f"  8-field draws, histogram ECE on the old test set with minus without each field: {eff}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", choices=["methods", "ece-fields", "coverage", "real", "histogram", "large-test"])
    ap.add_argument("npz", help="a trust_recheck.py dump (several: comma-separated, their fields concatenated)")
    ap.add_argument("--cal-seeds", default="310,311")
    ap.add_argument("--test-seeds", default="312,313,314,315", help="comma-separated seeds or ranges (342-365)")
    ap.add_argument("--pool-seeds", help="large-test: the fields calibration sets are drawn from "
                    "(default: every saved field not a test field)")
    ap.add_argument("--sizes", default="2,4,8,12", help="large-test: numbers of calibration fields")
    ap.add_argument("--draws", type=int, default=30, help="large-test: random calibration sets per size")
    ap.add_argument("--split-reps", type=int, default=30, help="large-test: random field splits for the coverage check")
    ap.add_argument("--floor-draws", type=int, default=200, help="large-test: label draws of the ECE floor")
    ap.add_argument("--explain", metavar="OLD_TEST:OLD_POOL",
                    help="large-test: also rerun the histogram section's draws (test and pool seeds of that run, "
                         "e.g. 312-315:310,311,316-325) and score each map on the large test set too")
    ap.add_argument("--lam", type=float, default=0.1, help="ece-fields: ODIR off-diagonal weight (from methods)")
    ap.add_argument("--mu", type=float, default=0.01, help="ece-fields: ODIR intercept weight (from methods)")
    ap.add_argument("--real", help="histogram: the .npz of dump-real, for the real cutouts' rows")
    ap.add_argument("--json")
    a = ap.parse_args()
    if a.what == "real":
        out = run_real(a.npz)
        text = json.dumps(out, indent=1, default=float)
        if a.json:
            Path(a.json).write_text(text + "\n")
        print(text)
        return
    d = load_fields(a.npz)
    cal, test = seed_list(a.cal_seeds), seed_list(a.test_seeds)
    if a.what == "large-test":
        pool = (seed_list(a.pool_seeds) if a.pool_seeds else
                [s for s in sorted(np.unique(d["field"]).tolist()) if s not in test])
        if a.explain:  # checked before the long part, not after it
            if a.explain.count(":") != 1:
                _fail(f"--explain {a.explain!r}: give OLD_TEST:OLD_POOL, e.g. 312-315:310,311,316-325")
            old_test, old_pool = (seed_list(v) for v in a.explain.split(":"))
            gone = sorted(set(old_test + old_pool) - set(np.unique(d["field"]).tolist()))
            if gone or set(old_test) & set(test):
                _fail(f"--explain {a.explain!r}: seeds {gone} not in the saved rows" if gone else
                      f"--explain {a.explain!r}: its test fields overlap --test-seeds")
        out = run_large_test(d, test, pool, tuple(seed_list(a.sizes)), a.draws, a.floor_draws,
                             split_reps=a.split_reps)
        if a.explain:
            out["explain_histogram_draws"] = explain_draws(d, old_test, old_pool, test)
    elif a.what == "methods":
        out = run_methods(d, cal, test)
    elif a.what == "histogram":
        out = run_histogram(d, test, a.real)
    elif a.what == "ece-fields":
        out = run_ece_fields(d, cal, test, a.lam, a.mu)
    else:
        out = {m: run_coverage(d, cal, test, m) for m in ("temperature", "vector")}
    text = json.dumps(out, indent=1, default=float)
    if a.json:
        Path(a.json).write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
