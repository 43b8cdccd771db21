"""Evaluation of a classified catalogue against references, as report sections.

:func:`evaluate_sections` does the work (metrics, agreement, science checks) and returns a list
of :class:`~starclass.report.sections.Section`; :func:`run_evaluation` writes them as ECSV
tables + PNG figures (``starclass evaluate``); :func:`build_report` writes them as one HTML page
plus the ECSV tables (``starclass report``, and the end of ``starclass demo``).

Inputs are catalogues in the starclass schema (Tables or paths read by
``starclass.io.catalog.read_catalog``). The prediction's classes are ``class_pred`` (else
``class_ref``); a reference's are ``class_ref`` (else ``class_pred``: another model). Objects are
paired with a reference by a one-to-one 2 px positional match; a reference that *is* the
prediction table (or "self") is paired row by row.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from astropy.table import Table

from starclass.errors import StarclassError
from starclass.report.sections import Section, render_html, write_sections

CLASSES = (1, 2, 3, 4)


# --------------------------------------------------------------------------------------------
# inputs


def load_catalog(obj, name: str = "catalogue") -> Table:
    """A Table as is, or a path read with ``starclass.io.catalog.read_catalog``."""
    if isinstance(obj, Table):
        return obj
    path = Path(obj)
    if not path.exists():
        raise StarclassError(f"{name}: file not found: {path}")
    try:
        from starclass.io.catalog import read_catalog
    except ImportError:  # io stage not installed: astropy's readers
        read_catalog = None
    if read_catalog is not None:
        return read_catalog(path)
    try:
        return Table.read(path)
    except Exception as exc:  # noqa: BLE001 - any reader failure is bad input
        raise StarclassError(f"{name}: cannot read {path} ({exc})") from None


def _names_and_tables(references) -> dict[str, Table | str]:
    if references is None:
        return {}
    if isinstance(references, Mapping):
        return dict(references)
    if isinstance(references, (str, Path, Table)):
        references = [references]
    out: dict[str, Table | str] = {}
    for i, r in enumerate(references):
        if isinstance(r, (str, Path)) and str(r) != "self":
            name = Path(r).stem
        elif isinstance(r, str):
            name = "self"
        else:
            name = r.meta.get("name", f"reference{i + 1}") if hasattr(r, "meta") else f"reference{i + 1}"
        while name in out:
            name += "_"
        out[name] = r
    return out


def class_column(t: Table, prefer: str) -> str:
    other = "class_ref" if prefer == "class_pred" else "class_pred"
    if prefer in t.colnames:
        return prefer
    if other in t.colnames:
        return other
    raise StarclassError(f"catalogue has neither class_pred nor class_ref (columns: {', '.join(t.colnames)})")


def _pair(pred: Table, ref: Table, ref_is_pred: bool, radius: float, names) -> tuple[np.ndarray, np.ndarray]:
    if ref_is_pred:
        idx = np.arange(len(pred))
        return idx, idx
    from starclass.evaluate.matching import match_catalogs

    ia, ib, _ = match_catalogs(pred, ref, radius, names=names)
    if ia.size == 0:
        raise StarclassError(
            f"{names[0]} ({len(pred)} rows) and {names[1]} ({len(ref)} rows) have no object within {radius} px "
            "of each other: no overlap to evaluate (are they from the same mosaic?)"
        )
    return ia, ib


# --------------------------------------------------------------------------------------------
# sections


def _catalogue_section(cats: dict[str, Table], cols: dict[str, str]) -> Section:
    s = Section("Catalogues", key="catalogues")
    rows = []
    for n, t in cats.items():
        from starclass.evaluate.metrics import class_array

        c = class_array(t, cols[n], name=n)
        rows.append((n, len(t), cols[n], *[int(np.sum(c == k)) for k in (1, 2, 3, 4)], int(np.sum(c == 0)),
                     "yes" if all(f"prob_{k}" in t.colnames for k in CLASSES) else "no"))
    s.table("catalogues", Table(rows=rows, names=("catalogue", "rows", "class column", "n_1", "n_2", "n_3", "n_4",
                                                  "unclassified", "probabilities")),
            "Objects per class in every catalogue (0 = unclassified).")
    s.text("Pixel positions are 0-based. Pairs of catalogues are compared on their one-to-one matched "
           "intersection (PHANGS-HST convention).")
    return s


def _metrics_section(pred: Table, ref: Table, pname: str, rname: str, ref_is_pred: bool, radius: float,
                     n_boot: int, target_purity: float, quantities: Sequence[str]) -> list[Section]:
    from starclass.evaluate import curves, threshold
    from starclass.evaluate.agreement import agreement_fractions, agreement_vs, symmetric_confusion
    from starclass.evaluate.bootstrap import bootstrap_ci
    from starclass.evaluate.metrics import (MERGES, accuracy_scores, check_classes, class_array, classification_summary,
                                            summary_table)
    from starclass.report import figures as F

    s = Section(f"{pname} vs {rname}: metrics", key=f"metrics_{rname}")
    ia, ib = _pair(pred, ref, ref_is_pred, radius, (pname, rname))
    cp_all = class_array(pred, class_column(pred, "class_pred"), name=pname)
    cr_all = class_array(ref, class_column(ref, "class_ref") if not ref_is_pred else "class_ref", name=rname)
    check_classes(cp_all, CLASSES, what=f"{pname} column {class_column(pred, 'class_pred')}")
    check_classes(cr_all, CLASSES, what=f"{rname} class column")
    cp, cr = cp_all[ia], cr_all[ib]
    both = (cp > 0) & (cr > 0)
    if not both.any():
        raise StarclassError(f"{pname} and {rname}: {ia.size} objects pair up but none is classified in both")
    s.text(f"{ia.size} objects paired ({'row by row' if ref_is_pred else f'one-to-one within {radius} px'}), "
           f"{int(both.sum())} classified in both. Rows of confusion matrices are the reference ({rname}), "
           "normalised to 1; counts in brackets.")
    results, cis = [], {}
    boot_note = ""
    for merge in MERGES:
        r = classification_summary(cr, cp, merge)
        results.append(r)
        try:
            acc = bootstrap_ci(lambda a, b, m=merge: accuracy_scores(a, b, m)[0], cr[both], cp[both], n_boot=n_boot)
            bal = bootstrap_ci(lambda a, b, m=merge: accuracy_scores(a, b, m)[1], cr[both], cp[both], n_boot=n_boot)
            cis[merge] = {"accuracy": acc[1:], "balanced_accuracy": bal[1:]}
        except StarclassError as exc:
            boot_note = f"no bootstrap intervals: {exc}"
    complete = len(cis) == len(MERGES)
    if not complete:
        s.note(boot_note)
    s.table(f"summary_{rname}", summary_table(results, cis if complete else None),
            f"Accuracy and balanced accuracy (mean recall) for the four classes and the merges; "
            f"{n_boot} bootstrap resamples give the 95% intervals (_lo, _hi).")
    for r in results:
        if r.merge in ("4class", "12v34", "12_3_4"):
            s.figure(f"confusion_{r.merge}_{rname}", F.fig_confusion(r.counts, r.fractions, r.names,
                                                                       f"{r.merge}: accuracy {r.accuracy:.3f}",
                                                                       xlabel=pname, ylabel=rname), "")
    s.table(f"per_class_{rname}", results[0].per_class,
            "Precision (purity), recall (completeness), F1 per class; — where undefined (no object predicted / none in the reference).")
    s.table(f"per_class_12v34_{rname}", results[1].per_class, "The same for clusters (1+2) vs non-clusters (3+4).")
    sections = [s]

    probs_all = curves.prob_matrix(pred)
    if probs_all is not None:
        c = Section(f"{pname} vs {rname}: scores, curves and thresholds", key=f"curves_{rname}")
        probs = probs_all[ia][both]
        for merge in ("4class", "12v34"):
            roc, pr, skipped = curves.one_vs_rest(cr[both], probs, merge)
            for msg in skipped:
                c.note(msg)
            if roc:
                c.figure(f"roc_pr_{merge}_{rname}", F.fig_curves(roc, pr, f"{merge}: one vs rest"), "")
                c.table(f"auc_{merge}_{rname}", curves.curve_summary(roc, pr), "Area under the ROC curve and average precision.")
        dists = curves.score_distributions(cp[both], probs)
        c.figure(f"score_cdf_{rname}", F.fig_score_cdf(dists, "score of the predicted class"),
                 "Cumulative distribution of the probability of the predicted class, per predicted class (StarcNet Fig. 5).")
        c.table(f"score_quantiles_{rname}", curves.score_quantiles(dists), "Score quartiles per predicted class.")
        y = np.isin(cr[both], (1, 2))
        score = probs[:, 0] + probs[:, 1]
        scan = threshold.threshold_scan(y, score)
        try:
            chosen = threshold.threshold_for_purity(y, score, target_purity)
            c.text(f"Cluster (1+2) score threshold for {target_purity:.0%} purity: <b>{chosen['threshold']:.3f}</b> "
                   f"(purity {chosen['purity']:.3f}, recall {chosen['recall']:.3f}, F1 {chosen['f1']:.3f}, "
                   f"{chosen['n_selected']} selected).")
        except StarclassError as exc:
            chosen = None
            c.note(f"threshold for {target_purity:.0%} purity: {exc}")
        c.figure(f"threshold_{rname}", F.fig_threshold(scan, chosen, "clusters (1+2) vs rest"), "")
        c.table(f"threshold_scan_{rname}", scan, "Purity, recall, F1 of the cluster (1+2) selection against threshold.")
        from starclass.bands import v_band
        from starclass.schema import bands_in

        bands = bands_in(pred)
        if bands:
            vb = v_band(bands)
            thr = chosen["threshold"] if chosen else 0.5
            try:
                mtab = threshold.metrics_vs_magnitude(y, score, np.asarray(pred[f"mag_{vb}"], float)[ia][both], thr)
                c.figure(f"vs_magnitude_{rname}", F.fig_vs_magnitude(mtab, f"threshold {thr:.3f}, objects brighter than m", vb), "")
                c.table(f"vs_magnitude_{rname}", mtab, f"Purity, recall, F1 for objects brighter than each {vb} limit.")
            except StarclassError as exc:
                c.note(f"metrics against magnitude: {exc}")
        sections.append(c)
    else:
        s.note(f"{pname} has no prob_1..prob_4 columns: no ROC, precision-recall or threshold study.")

    a = Section(f"{pname} vs {rname}: PHANGS agreement", key=f"agreement_{rname}")
    af = agreement_fractions(cp[both], cr[both])
    rows = [(k, af[k]["n_a"], af[k]["n_b"], af[k]["n_both"], af[k]["fraction"]) for k in ("1", "2", "3", "4", "1+2")]
    from astropy.table import MaskedColumn

    at = Table(rows=[r[:4] for r in rows], names=("class", f"n_{pname}", f"n_{rname}", "n_both"))
    at["agreement"] = MaskedColumn([r[4] or 0.0 for r in rows], mask=[r[4] is None for r in rows], format=".3f")
    a.table(f"agreement_{rname}", at, f"Agreement fraction per class: mean of n_both/n_{pname} and n_both/n_{rname}; "
            f"mean of the four classes = {af['mean']:.3f}" if af["mean"] is not None else "")
    S = symmetric_confusion(cp[both], cr[both])
    a.figure(f"symmetric_confusion_{rname}", F.fig_confusion(None, S, ["1", "2", "3", "4"],
                                                             "symmetric confusion (PHANGS)", xlabel="", ylabel=""),
             "Each cell averages the fraction of one catalogue's class i put in j by the other with its reflection; "
             "the diagonal is the agreement fraction.")
    for q in quantities:
        got = _quantity(pred, ref, q)
        if got is None:
            a.note(f"agreement vs {q}: no such column in either catalogue")
            continue
        vals, which, qname = got
        qv = vals[ia if which == "pred" else ib][both]
        try:
            bins, trends = agreement_vs(cp[both], cr[both], qv, nbins=4, quantity_name=qname)
            a.figure(f"agreement_vs_{qname}_{rname}", F.fig_agreement_vs(bins, trends, qname, f"agreement vs {qname}"), "")
            a.table(f"agreement_vs_{qname}_{rname}", bins, f"Agreement fraction in four equal-number bins of {qname}.")
            a.table(f"trend_{qname}_{rname}", trends, "Least-squares lines through the binned fractions (slope per unit).")
        except StarclassError as exc:
            a.note(f"agreement vs {qname}: {exc}")
    sections.append(a)
    return sections


def _quantity(pred: Table, ref: Table, q: str):
    """(values, 'pred' | 'ref', column name) of a quantity, or None."""
    from starclass.bands import v_band
    from starclass.schema import bands_in

    for which, t in (("pred", pred), ("ref", ref)):
        if q == "magnitude":
            if bands_in(t):
                col = f"mag_{v_band(bands_in(t))}"
                return np.asarray(t[col], float), which, col
        elif q in t.colnames:
            return np.asarray(t[q], float), which, q
    return None


def _table1_section(cats: dict[str, Table], cols: dict[str, str], radius: float) -> Section | None:
    from starclass.evaluate.agreement import agreement_table
    from starclass.report import figures as F

    usable = {n: t for n, t in cats.items() if ("x" in t.colnames and "y" in t.colnames) or
              ("ra" in t.colnames and "dec" in t.colnames)}
    if len(usable) < 2:
        return None
    s = Section("Agreement fractions (PHANGS Table 1)", key="table1")
    try:
        t = agreement_table(usable, radius, class_cols=cols)
    except StarclassError as exc:
        s.note(str(exc))
        return s
    s.table("agreement_table", t, f"One-to-one matches within {radius} px; agreement = mean of the two directions; "
                                  "_err = standard deviation / sqrt(N) of the values above.")
    s.figure("agreement_bars", F.fig_agreement_bars(t, "agreement fractions per class"), "")
    return s


def _human_section(cats: dict[str, Table]) -> Section | None:
    from starclass.evaluate.agreement import human_baselines, human_columns
    from starclass.report import figures as F

    s = None
    done: list[np.ndarray] = []
    for n, t in cats.items():
        if len(human_columns(t)) < 2 or "class_ref" not in t.colnames:
            continue
        labels = np.column_stack([np.asarray(t[c]) for c in human_columns(t) + ["class_ref"]])
        if any(d.shape == labels.shape and np.array_equal(d, labels) for d in done):
            continue  # the same people on the same objects (e.g. a prediction carrying its reference)
        done.append(labels)
        s = s or Section("Human-to-human baselines", key="humans")
        try:
            r = human_baselines(t)
        except StarclassError as exc:
            s.note(f"{n}: {exc}")
            continue
        sm = r["summary"]
        s.text(f"<b>{n}</b>: {sm['n_classifiers']} classifiers. Mean pairwise agreement "
               f"{sm['pairwise_4class']:.1%} (4 classes), {sm['pairwise_binary']:.1%} (1+2 vs 3+4); individual vs "
               f"final (mode) {sm['vs_mode_4class']:.1%} and {sm['vs_mode_binary']:.1%}. StarcNet (13 LEGUS "
               "galaxies): 57.3%, 78.1%, 75.0%, 87.2%.")
        s.table(f"human_pairwise_{n}", r["pairwise"], "Agreement of each pair of classifiers on the objects both labelled.")
        s.table(f"human_vs_mode_{n}", r["vs_mode"], "Each classifier against the final label; _loo: against the mode of the others.")
        s.figure(f"human_confusion_{n}", F.fig_confusion(None, r["confusion_pairwise"], ["1", "2", "3", "4"],
                                                         "person vs person", "", ""), "")
        s.figure(f"human_confusion_mode_{n}", F.fig_confusion(None, r["confusion_vs_mode"], ["1", "2", "3", "4"],
                                                              "person vs mode", "mode", "person"), "")
    return s


def _attach_physical(cats: dict[str, Table], pname: str, radius: float) -> dict[str, Table]:
    """Give catalogues without age/mass those of a matched catalogue that has them (same objects)."""
    donors = [n for n, t in cats.items() if "age" in t.colnames and "mass" in t.colnames]
    if not donors:
        return cats
    out = dict(cats)
    from starclass.evaluate.matching import match_catalogs

    for n, t in cats.items():
        if "age" in t.colnames and "mass" in t.colnames:
            continue
        d = cats[donors[0]]
        try:
            ia, ib, _ = match_catalogs(t, d, radius, names=(n, donors[0]))
        except StarclassError:
            continue
        if ia.size == 0:
            continue
        t2 = t.copy(copy_data=False)
        for c in ("age", "mass"):
            col = np.zeros(len(t))
            col[ia] = np.asarray(d[c], float)[ib]
            t2[c] = col
        t2.meta["physical_from"] = donors[0]
        out[n] = t2
    return out


def _science_sections(cats: dict[str, Table], cols: dict[str, str], distance_mpc: float | None,
                      radius: float, pname: str) -> list[Section]:
    from starclass.report import figures as F
    from starclass.science import colour, luminosity
    from starclass.science.agefunc import age_distribution
    from starclass.science.massfunc import fit_powerlaw_binned, mass_functions, mass_limit
    from starclass.schema import bands_in

    out = []
    # colour-colour
    s = Section("Colour-colour diagrams and age boxes (PHANGS Table 2)", key="colour")
    mag_limit = None
    if distance_mpc is not None:
        mag_limit = -7.8 + colour.distance_modulus(distance_mpc)
        s.text(f"Objects brighter than M_V = −7.8 (m_V &lt; {mag_limit:.2f} at {distance_mpc} Mpc), as in the PHANGS paper.")
    else:
        s.note("No distance given: all objects are counted (give --distance to apply the M_V < -7.8 limit).")
    counts = {}
    track = None
    for n, t in cats.items():
        try:
            ub, vi, v = colour.colours(t)
        except StarclassError as exc:
            s.note(f"{n}: {exc}")
            continue
        if track is None:
            try:
                from starclass.science.ssp import ssp_track

                track = ssp_track(bands_in(t))
                s.text("Black line: solar-metallicity Yggdrasil SSP track, AB converted to Vega with the per-band "
                       "offsets of starclass.bands (F438W from the model's F435W).")
            except StarclassError as exc:
                s.note(f"SSP track: {exc}")
        from starclass.evaluate.metrics import class_array

        cl = class_array(t, cols[n], name=n)
        bright = np.isfinite(v) & ((v < mag_limit) if mag_limit is not None else True)
        panels = [(f"class {k}", ub[bright & (cl == k)], vi[bright & (cl == k)]) for k in CLASSES]
        s.figure(f"colour_colour_{n}", F.fig_colour_colour(panels, track, f"{n}: U-B vs V-I"), "")
        counts[n] = colour.box_counts(t, class_col=cols[n], mag_limit=mag_limit)
        s.table(f"box_counts_{n}", counts[n], f"{n}: objects per class and box.")
    if len(counts) >= 2:
        s.table("quality_ratio", colour.qr_table(counts),
                "Counts per box for every catalogue and QR = std / sqrt(mean), only where every catalogue has ≥ 12.")
    if s.items:
        out.append(s)

    # luminosity functions, bright end
    lf = Section("Luminosity functions and the bright end", key="luminosity")
    hists = []
    from starclass.bands import v_band

    for n, t in cats.items():
        b = bands_in(t)
        if not b:
            continue
        vb = v_band(b)
        from starclass.evaluate.metrics import class_array

        cl = class_array(t, cols[n], name=n)
        m = np.asarray(t[f"mag_{vb}"], float)[np.isin(cl, (1, 2))]
        try:
            r = luminosity.luminosity_function(m, mag_limit=mag_limit)
        except StarclassError as exc:
            lf.note(f"{n}: {exc}")
            continue
        hists.append((n, r["hist"]))
        if r["alpha"] is not None:
            lf.text(f"{n}, class 1+2: dN/dL ∝ L^α with α = {r['alpha']:.2f} ± {r['alpha_err']:.2f} ({r['n_fit']} objects).")
        else:
            lf.note(f"{n}: luminosity function slope: {r['note']}")
        if distance_mpc is not None:
            objs, cnt = luminosity.bright_end(t, distance_mpc, class_col=cols[n])
            lf.table(f"bright_end_{n}", cnt, f"{n}: classes of the {len(objs)} objects brighter than M_V = −10 "
                                             "(Humphreys-Davidson limit: should be clusters or foreground stars).")
    if hists:
        lf.figure("luminosity_functions", F.fig_luminosity(hists, "V", "class 1+2 luminosity functions"), "")
        out.append(lf)

    # mass and age
    cats_phys = _attach_physical(cats, pname, radius)
    ms = Section("Mass functions, age distributions and the mass-age diagram (PHANGS section 7)", key="massage")
    panels = []
    for n, t in cats_phys.items():
        if "age" not in t.colnames or "mass" not in t.colnames:
            continue
        from starclass.evaluate.metrics import class_array

        cl = class_array(t, cols[n], name=n)
        sel = np.isin(cl, (1, 2))
        mass, age = np.asarray(t["mass"], float)[sel], np.asarray(t["age"], float)[sel]
        panels.append((n, mass, age))
        src = t.meta.get("physical_from")
        if src:
            ms.note(f"{n}: ages and masses taken from the matched objects of {src}.")
        mins = [round(mass_limit(hi, -7.8), 2) for hi in (7.0, 8.0, 8.6)]
        mf = mass_functions(mass, age, log_mass_min=mins)
        ms.table(f"mass_functions_{n}", mf, f"{n}, class 1+2: dN/dM ∝ M^β; least squares on equal-number bins (_ls) "
                                            "and maximum likelihood (_ml); lower mass = visible at M_V = −7.8 at the oldest age.")
        fits = []
        for (a0, a1), lm in zip(((6.0, 7.0), (7.0, 8.0), (8.0, 8.6)), mins):
            with np.errstate(divide="ignore", invalid="ignore"):
                la = np.log10(age)
            try:
                fits.append((f"log τ {a0}-{a1}", fit_powerlaw_binned(mass[(la >= a0) & (la < a1)], lo=10**lm)))
            except StarclassError as exc:  # too few objects: say so instead of drawing a fit
                ms.note(f"{n}: no mass-function panel for log τ {a0}-{a1}: {exc}")
        if fits:
            ms.figure(f"mass_functions_{n}", F.fig_powerlaw_bins(fits, "log M [Msun]", "log dN/dM", f"{n}: mass functions"), "")
        from starclass.science.agefunc import age_distributions

        ad = age_distributions(mass, age)
        ms.table(f"age_distributions_{n}", ad, f"{n}, class 1+2: dN/dτ ∝ τ^γ over log τ 6.5-9 (0.5 dex bins).")
        res = []
        with np.errstate(divide="ignore", invalid="ignore"):
            lm_all = np.log10(mass)
        for m0, m1 in ((4.0, 4.8), (4.8, None)):
            selm = (lm_all >= m0) & ((lm_all < m1) if m1 else True)
            try:
                res.append((f"log M {m0}-{m1 or 'max'}", age_distribution(age[selm])))
            except StarclassError as exc:
                ms.note(f"{n}: no age-distribution panel for log M {m0}-{m1 or 'max'}: {exc}")
        if res:
            ms.figure(f"age_distributions_{n}", F.fig_age_distributions(res, f"{n}: age distributions"), "")
    if panels:
        ms.figure("mass_age", F.fig_mass_age(panels, "class 1+2: mass vs age"), "")
        out.append(ms)
    return out


def _gradcam_section(gradcam_inputs) -> Section | None:
    """Grad-CAM from (model, stamps [N,B,S,S], classes) or None."""
    if gradcam_inputs is None:
        return None
    from starclass.report import figures as F
    from starclass.science.gradcam import class_average_maps, gradcam, radial_profile

    model, stamps, classes = gradcam_inputs
    s = Section("Grad-CAM", key="gradcam")
    stamps = np.asarray(stamps, np.float32)
    classes = np.asarray(classes, int)
    maps = gradcam(model, stamps, target=np.clip(classes - 1, 0, None))
    avg = class_average_maps(maps, classes)
    prof = {k: radial_profile(m) for k, m in avg.items()}
    order = np.concatenate([np.flatnonzero(classes == k)[:2] for k in CLASSES])
    show = stamps[order].mean(axis=1)
    s.figure("gradcam", F.fig_gradcam(show, maps[order], [f"class {c}" for c in classes[order]], avg, prof,
                                      "Grad-CAM of the last convolutional layer"),
             "Top: examples (stamp mean over bands, Grad-CAM overlaid). Bottom: mean map per class and radial profiles.")
    rows = []
    for k, (r, p) in prof.items():
        for ri, pi in zip(r, p):
            rows.append((k, float(ri), float(pi)))
    s.table("gradcam_profiles", Table(rows=rows, names=("class", "radius_px", "mean_gradcam")), "Radial profiles of the mean maps.")
    return s


def evaluate_sections(pred, references=None, *, radius: float = 2.0, distance_mpc: float | None = None,
                      n_boot: int = 200, target_purity: float = 0.8, pred_name: str = "prediction",
                      quantities: Sequence[str] = ("magnitude", "crowding", "bkg"), science: bool = True,
                      gradcam_inputs=None) -> list[Section]:
    """All evaluation sections for a prediction against its references.

    Parameters
    ----------
    pred
        Classified catalogue (Table or path).
    references
        Path(s) or Table(s), or a dict name -> either; ``"self"`` (or none at all when ``pred``
        has ``class_ref``) compares ``class_pred`` with the prediction's own ``class_ref``.
    radius
        Matching radius in pixels.
    distance_mpc
        Distance for absolute magnitudes (the M_V < -7.8 box counts and the bright end).
    n_boot
        Bootstrap resamples for the confidence intervals.
    target_purity
        Purity for the threshold choice (M31 paper: 0.8).
    gradcam_inputs
        Optional (torch model, stamps, classes) for the Grad-CAM section.
    """
    ptab = load_catalog(pred, pred_name)
    refs = _names_and_tables(references)
    if not refs and "class_ref" in ptab.colnames and "class_pred" in ptab.colnames:
        refs = {"self": "self"}
    if not refs:
        raise StarclassError("no reference given and the prediction has no class_ref column: nothing to compare")
    cats: dict[str, Table] = {pred_name: ptab}
    cols = {pred_name: class_column(ptab, "class_pred")}
    sections: list[Section] = []
    metric_sections: list[Section] = []
    for name, r in refs.items():
        if isinstance(r, str) and r == "self":
            if "class_ref" not in ptab.colnames:
                raise StarclassError(f"{pred_name} has no class_ref column to compare with itself")
            metric_sections += _metrics_section(ptab, ptab, pred_name, f"{pred_name} class_ref", True, radius, n_boot,
                                                target_purity, quantities)
            rt = ptab.copy(copy_data=False)
            rt.remove_columns([c for c in ("class_pred",) if c in rt.colnames])
            cats["reference"] = rt
            cols["reference"] = "class_ref"
            continue
        rtab = load_catalog(r, name)
        cats[name] = rtab
        cols[name] = class_column(rtab, "class_ref")
        metric_sections += _metrics_section(ptab, rtab, pred_name, name, False, radius, n_boot, target_purity, quantities)
    sections.append(_catalogue_section(cats, cols))
    sections += metric_sections
    t1 = _table1_section({k: v for k, v in cats.items() if k != "reference"} if "reference" in cats else cats, cols, radius)
    if t1 is not None:
        sections.append(t1)
    hs = _human_section(cats)
    if hs is not None:
        sections.append(hs)
    if science:
        sections += _science_sections(cats, cols, distance_mpc, radius, pred_name)
    g = _gradcam_section(gradcam_inputs)
    if g is not None:
        sections.append(g)
    return sections


def run_evaluation(pred, references=None, outdir: str | Path = "evaluation", **kwargs) -> dict:
    """Evaluate and write every table (ECSV) and figure (PNG) under ``outdir``.

    Returns a dict with the written paths and the headline numbers (also in ``summary.json``).
    """
    outdir = Path(outdir)
    sections = evaluate_sections(pred, references, **kwargs)
    written = write_sections(sections, outdir)
    summary = headline(sections)
    from starclass.io.atomic import atomic_path

    with atomic_path(outdir / "summary.json") as tmp:
        tmp.write_text(json.dumps({"headline": summary, "tables": [str(p) for p in written["tables"]],
                                   "figures": [str(p) for p in written["figures"]]}, indent=1))
    return {"outdir": outdir, "headline": summary, **written}


def headline(sections: list[Section]) -> dict:
    """Accuracy per merge for each reference, from the summary tables."""
    out = {}
    for s in sections:
        for it in s.items:
            if it.kind == "table" and it.name.startswith("summary_"):
                out[it.name[len("summary_"):]] = {str(r["merge"]): round(float(r["accuracy"]), 4) for r in it.content}
    return out


def build_report(pred, references, outdir, *, title: str = "starclass report", distance_mpc: float | None = None,
                 model_path: str | Path | None = None, filename: str = "report.html", **kwargs) -> Path:
    """Write one self-contained HTML report (figures embedded) plus every table as ECSV.

    Parameters
    ----------
    pred, references
        As :func:`evaluate_sections`.
    outdir
        Folder for ``report.html`` and ``tables/*.ecsv``.
    title
        Page title.
    distance_mpc
        Galaxy distance (absolute-magnitude limits, bright-end check).
    model_path
        A checkpoint: when the models stage can load it and the prediction has stamps to
        explain, a Grad-CAM section is added (otherwise the report says why not).

    Returns
    -------
    Path of the HTML file.
    """
    outdir = Path(outdir)
    gradcam_inputs = kwargs.pop("gradcam_inputs", None)
    note = None
    if model_path is not None and gradcam_inputs is None:
        gradcam_inputs, note = _gradcam_from_checkpoint(model_path, pred)
    sections = evaluate_sections(pred, references, distance_mpc=distance_mpc, gradcam_inputs=gradcam_inputs, **kwargs)
    if note:
        sections[0].note(note)
    write_sections(sections, outdir, figures=False)
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    from starclass import __version__

    page = render_html(sections, title=title, subtitle=f"starclass {__version__} · {stamp}")
    path = outdir / filename
    from starclass.io.atomic import atomic_path

    with atomic_path(path) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return path


def _gradcam_from_checkpoint(model_path, pred):
    """(model, stamps, classes) from a checkpoint via the models stage, or (None, reason)."""
    try:
        from starclass.models import load_for_gradcam  # provided by the models stage when available
    except ImportError:
        return None, (f"Grad-CAM skipped: no loader for {model_path} (starclass.models.load_for_gradcam is not "
                      "available); call build_report(..., gradcam_inputs=(model, stamps, classes)) instead.")
    try:
        return load_for_gradcam(model_path, pred), None
    except StarclassError as exc:
        return None, f"Grad-CAM skipped: {exc}"
