"""Layout of an evaluation: report sections, the ``starclass evaluate`` folder and the HTML page.

Every number comes from :func:`starclass.evaluate.compare.evaluate_catalogs` (metrics, curves,
thresholds, agreement) and from :mod:`starclass.science` (colour boxes, mass and age functions,
Grad-CAM); this module only turns them into :class:`~starclass.report.sections.Section` lists.
:func:`run_evaluation` writes them as ECSV tables + PNG figures (``starclass evaluate``);
:func:`build_report` writes them as one HTML page plus the ECSV tables (``starclass report``,
and the end of ``starclass demo``).
"""

from __future__ import annotations

import contextvars
import datetime as _dt
import html
import json
import logging
import os  # at run time, not only for type checkers: typing.get_type_hints(build_report) needs it
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from astropy.table import MaskedColumn, Table, vstack

from starclass import __version__
from starclass.bands import ubvi_bands, v_band
from starclass.errors import StarclassError, counted, model_word, shell_word
from starclass.evaluate.compare import (  # noqa: F401
    Comparison,
    Evaluation,
    ReferencesLike,
    chosen_ci,
    class_column,
    evaluate_catalogs,
    load_catalog,
    self_catalogue_name,
    task_labels,
)
from starclass.evaluate.matching import match_catalogs
from starclass.evaluate.metrics import class_array
from starclass.evaluate.task import EvalTask, class_labels, positive_origin
from starclass.io import MosaicsLike
from starclass.io.atomic import atomic_dir, atomic_path
from starclass.io.cutout_folders import CutoutSet, cutout_rows, figure_origin, read_cutout_folder
from starclass.io.fields import FieldMosaics
from starclass.io.mosaic import read_mosaics
from starclass.io.progress import LOGGER, Progress, duration, say_start, say_step
from starclass.report import REPORT_TABLE_ENTRIES, TABLES_PAGE, check_tables_page
from starclass.report import figures as F
from starclass.report.sections import Section, render_html, slug, write_sections
from starclass.schema import (
    CLASS_PRED,
    CLASS_REF,
    CLASSES,
    FIELD,
    R_GAL,
    MassKind,
    X,
    bands_in,
    check_distance_mpc,
    label_map_words,
    mag_col,
    prob_col,
    unit_of,
)
from starclass.science import colour, luminosity
from starclass.science.agefunc import age_distribution, age_distributions
from starclass.science.massfunc import (
    catalog_mass_kind,
    check_mass_kind,
    fit_powerlaw_binned,
    mass_completeness,
    mass_functions,
    mass_kind_words,
    mass_limit,
)
from starclass.science.sedcheck import (
    sed_band_offsets,
    sed_offset_lines,
    sed_offset_warnings,
    sed_trend_notes,
    trend_columns_words,
)
from starclass.science.ssp import SUBSTITUTES, ssp_label, ssp_track

# --------------------------------------------------------------------------------------------
# sections of one comparison


def _catalogue_section(ev: Evaluation) -> Section:
    s = Section("Catalogues", key="catalogues")
    task = ev.task
    s.text(f"Task <b>{task.name or '(unnamed)'}</b>: classes "
           + ", ".join(f"{k} ({n})" for k, n in zip(task.classes, task.class_names))
           + (f"; positive class {task.positive}{positive_origin(task)}" if task.positive is not None else "")
           + (f"; decision threshold {task.threshold:.3f}" if task.threshold is not None else "") + ".")
    if words := label_map_words(task.classes, task.class_names, task.label_map):
        import html

        # the folder's labels (m31-real: galaxy) and the task's classes (2 non-cluster) joined, as evaluate says them
        s.text(f"Labels read as classes (the task's label_map): {html.escape(words)}.")
    if ev.task_note:
        s.note(ev.task_note)
    s.table("catalogues", ev.counts, "Objects per class in every catalogue (0 = unclassified).")
    s.text(pairing_sentence(ev))
    return s


def pairing_sentence(ev: Evaluation) -> str:
    """How the report's pairs of catalogues were paired, in one or two sentences.

    The page said "compared on their one-to-one matched intersection (PHANGS-HST convention)" for
    every task, also for cutout folders scored row by row or by file (a galaxy-cluster or cool-core
    report), where no position was matched; the rule is now each comparison's own
    (:attr:`starclass.evaluate.compare.Comparison.paired_by`), and the PHANGS-HST convention is named
    only where positions were matched.

    Examples
    --------
    >>> from astropy.table import Table
    >>> from starclass.evaluate.compare import evaluate_catalogs
    >>> t = Table({"class_pred": [1, 2, 2, 1], "class_ref": [1, 2, 1, 1], "prob_1": [0.9, 0.2, 0.4, 0.8],
    ...            "prob_2": [0.1, 0.8, 0.6, 0.2]})
    >>> pairing_sentence(evaluate_catalogs(t, [], task="galaxy-cluster", n_boot=0))
    'Pairs of catalogues are compared on the objects paired: class_pred vs class_ref in prediction row by row.'
    """
    rules = [(c.heading(), c.paired_by) for c in ev.comparisons]
    positional = [h for h, rule in rules if rule.startswith("one-to-one")]
    # a simulated truth matched at its centres of light too (as the demo matches it) has its rule said
    if rules and len(positional) == len(rules) and not any("centre of light" in rule for _, rule in rules):
        return ("Pixel positions are 0-based. Pairs of catalogues are compared on their one-to-one matched "
                "intersection (PHANGS-HST convention).")
    # rows where a group column makes several rows one object, as evaluate's terminal line and the metrics say them
    noun = "rows" if any(_rows_noun(c) == "row" for c in ev.comparisons) else "objects"
    text = f"Pairs of catalogues are compared on the {noun} paired: " + "; ".join(
        f"{h} {rule}" for h, rule in rules) + "."
    if positional:
        text += " Pixel positions are 0-based; a positional match is one-to-one (PHANGS-HST convention)."
    return text


def figure_names(task: EvalTask) -> dict[str, str]:
    """Class number (as text) -> how the figures name it: ``"<k> <name>"`` with the task's class names.

    The figures named the classes by number only ("1", "class 2") where the tables and the
    gallery use the task's names; the number stays, as the tables' ``class`` columns have it.

    Examples
    --------
    >>> from starclass.evaluate.task import EvalTask
    >>> figure_names(EvalTask.from_classes([1, 2], class_names=["cluster", "non-cluster"]))
    {'1': '1 cluster', '2': '2 non-cluster'}
    >>> figure_names(EvalTask.from_classes([1, 2], class_names=["class 1", "class 2"]))
    {}
    """
    return {str(k): v for k, v in class_labels(task.classes, task.class_names, template="{k} {name}").items()
            if v != str(k)}


def quantity_label(quantity: str) -> str:
    """The x-axis label of a trend quantity of :func:`starclass.evaluate.compare.selection_quantities`, with its unit.

    The trend figures read "size (fwhm)", "galactocentric radius", "x" with no unit (pixels?
    parsecs? kpc?); the unit is the schema's for the column behind the quantity.

    Examples
    --------
    >>> quantity_label("size (radius_pc)"), quantity_label("galactocentric radius"), quantity_label("x")
    ('size (radius_pc) [pc]', 'galactocentric radius [kpc]', 'x [pix]')
    >>> quantity_label("colour g-i")
    'colour g-i [mag]'
    """
    if quantity.startswith("size (") and quantity.endswith(")"):
        unit = unit_of(quantity[len("size ("):-1])
    elif quantity.startswith("colour "):
        unit = unit_of(mag_col("v"))
    elif quantity == "galactocentric radius":
        unit = unit_of(R_GAL)
    elif quantity in ("x", "y"):
        unit = unit_of(X)
    else:
        unit = unit_of(quantity)
    return f"{quantity} [{unit.to_string()}]" if unit is not None and unit.to_string() else quantity


def phangs_ticks(task: EvalTask | None) -> list[str]:
    """How the PHANGS confusion figures (symmetric, human) name the classes 1-4: as the metrics' figures do.

    They named them with the schema's words ("1 symmetric compact cluster", "4 artefact / non-cluster") where
    the metrics' confusion figures of the same page, a phangs4 or legus4 task, said the task's ("1 symmetric
    cluster", "4 non-cluster"): one class, two names on one page (until 2026-12-07). Now both read
    :func:`figure_names`; the schema's names where there is no task.

    Examples
    --------
    >>> phangs_ticks(EvalTask.from_classes([1, 2, 3, 4], class_names=["symmetric cluster", "asymmetric cluster",
    ...                                                                "compact association", "non-cluster"]))
    ['1 symmetric cluster', '2 asymmetric cluster', '3 compact association', '4 non-cluster']
    >>> phangs_ticks(None)[3]
    '4 artefact / non-cluster'
    """
    named = figure_names(task if task is not None else EvalTask.from_classes(CLASSES))
    return [named.get(str(k), str(k)) for k in CLASSES]


def _metrics_section(c: Comparison, task: EvalTask, n_boot: int) -> Section:
    rname = c.ref_name
    # the two columns where both are the one catalogue's (-r self): "prediction" / "prediction class_ref" before;
    # else the catalogue scored by its file's stem, as the heading names it ("prediction" named a human catalogue)
    pname, rshown = c.columns or (c.pred_shown, rname)
    s = Section(f"{c.heading()}: metrics", key=f"metrics_{rname}")
    # the terminal's words: "46 objects paired" here beside "resample the 40 objects" below (several cutouts of one)
    s.text(f"{_paired_count(c)}. Rows of confusion matrices are the reference ({rshown}), normalised to 1; counts "
           "in brackets.")
    for n in c.notes:
        s.note(n)
    intervals = "accuracy_lo" in c.summary.colnames
    s.table(f"summary_{rname}", c.summary,
            "Accuracy and balanced accuracy (mean recall) for the task's classes"
            + (" and the merges" if len(c.results) > 1 else "")
            + (f"; {n_boot} bootstrap resamples give the 95% intervals (_lo, _hi)." if intervals else "."))
    shown = ("4class", "12v34", "12_3_4") if task.phangs_like else tuple(task.merges)
    named = figure_names(task)
    for r in c.results:
        if r.merge in shown:
            s.figure(f"confusion_{r.merge}_{rname}", F.fig_confusion(r.counts, r.fractions,
                                                                       [named.get(n, n) for n in r.names],
                                                                       f"{r.merge}: accuracy {r.accuracy:.3f}",
                                                                       xlabel=F.confusion_axis("prediction", pname),
                                                                       ylabel=F.confusion_axis("reference", rshown)),
                     "")
    s.table(f"per_class_{rname}", c.results[0].per_class,
            "Precision (purity), recall (completeness), F1, one-vs-rest balanced accuracy ((recall + specificity) "
            "/ 2 of 'class k or not') and one-vs-rest accuracy ((TP + TN) / N of 'class k or not') per class; — where "
            "undefined (no object predicted / none in the reference)"
            + ("; each with its 95% bootstrap interval (_lo, _hi; — where undefined on too many resamples)."
               if "f1_lo" in c.results[0].per_class.colnames else "."))
    if task.phangs_like:
        s.table(f"per_class_12v34_{rname}", c.results[1].per_class,
                "The same for clusters (1+2) vs non-clusters (3+4).")
    return s


def _curves_section(c: Comparison, task: EvalTask, several: bool = False) -> Section:
    rname = c.ref_name
    # the same class and quantity under truth and under humans shared one title and one alt text (until
    # 2026-12-07): with more than one reference on the page each threshold and trend title names its own
    against = f" (reference {rname})" if several else ""
    named = figure_names(task)
    s = Section(f"{c.heading()}: scores, curves and thresholds", key=f"curves_{rname}")
    for cs in c.curves:
        for msg in cs.skipped:
            s.note(msg)
        if cs.roc:
            s.figure(f"roc_pr_{cs.merge}_{rname}", F.fig_curves(cs.roc, cs.pr, cs.title + against, named), "")
            cols = cs.areas.colnames
            # the raw probabilities' areas (given where the calibrated ones tie ranks) said, with their intervals
            raw = ("; roc_auc_raw and average_precision_raw: the same on prob_<k>_raw (the calibrated prob_<k> tie "
                   "many rows' ranks)" + (" with their intervals (roc_auc_raw_lo, roc_auc_raw_hi, "
                                          "average_precision_raw_lo, average_precision_raw_hi)"
                                          if "roc_auc_raw_lo" in cols else "")) if "roc_auc_raw" in cols else ""
            s.table(f"auc_{cs.merge}_{rname}", cs.areas, "Area under the ROC curve and average precision"
                    + ("; each with its 95% bootstrap interval (roc_auc_lo, roc_auc_hi, average_precision_lo, "
                       "average_precision_hi)" if "roc_auc_lo" in cols else "") + raw + ".")
    # the title says what the figure shows: it repeated the x label ("score of the predicted class")
    s.figure(f"score_cdf_{rname}", F.fig_score_cdf(c.scores, "how sure the predictions are, per predicted class"
                                                   + against, named, n_classes=len(task.classes)),
             "Cumulative distribution of the probability of the predicted class, per predicted class "
             "(StarcNet Fig. 5).")
    s.table(f"score_quantiles_{rname}", c.score_quantiles, "Score quartiles per predicted class.")
    single = len(c.thresholds) == 1
    said: set[str] = set()
    for st in c.thresholds:
        what = f"class {st.label}" if len(st.members) == 1 else f"cluster ({st.label})"
        suffix = rname if single else f"{st.label}_{rname}"
        # the figure names the class ("class 1 (cluster) vs rest"), as the gallery and the tables do; so does the
        # sentence on the chosen threshold ("Class 2 score threshold" of a cool-core page named no class)
        called = f" ({named[str(st.label)].split(' ', 1)[1]})" if str(st.label) in named else ""
        if st.chosen:
            ch = st.chosen
            boot = ("; 95% bootstrap intervals in brackets, the threshold chosen again on each resample, so "
                    "they include the choice" if "threshold_lo" in ch else "")
            s.text(f"{what.capitalize()}{called} score threshold for {ch['target']:.0%} purity{st.scale()}: "
                   f"<b>{ch.get('shown', format(ch['threshold'], '.3f'))}</b>{chosen_ci(ch, 'threshold')} "
                   f"(purity {ch['purity']:.3f}{chosen_ci(ch, 'purity')}, recall {ch['recall']:.3f}"
                   f"{chosen_ci(ch, 'recall')}, F1 {ch['f1']:.3f}{chosen_ci(ch, 'f1')}, "
                   f"{ch['n_selected']} selected{boot})."
                   # the raw threshold of a hot model (0.003 at temperature 6) said on the calibrated scale too
                   + (f" The same selection is {prob_col(int(st.members[0]))} &gt;= {st.calibrated_threshold:.3f}, "
                      "after the model's calibration." if st.calibrated_threshold is not None and st.score_column
                      else ""))
        if st.note:
            s.note(st.note)
        s.figure(f"threshold_{suffix}", F.fig_threshold(st.scan, st.chosen, f"{what}{called} vs rest{against}",
                                                        xlabel=f"threshold on the score of {what}{called}"
                                                        # the scan is on the raw probabilities when the
                                                        # catalogue has them: say so, as the text does
                                                        + (f"\n({st.score_column}, uncalibrated)"
                                                           if st.score_column else
                                                           # another column's (class_joint's prob_joint_<k>)
                                                           f"\n({st.score_of})" if st.score_of else ""),
                                                        note=st.note), "")
        s.table(f"threshold_scan_{suffix}", st.scan,
                f"Purity, recall, F1 of the {what} selection against threshold{st.scale()}.")
        whose = " (the model's)" if st.trend_threshold_source == "model" else ""
        if st.magnitude is not None:
            s.figure(f"vs_magnitude_{suffix}",
                     F.fig_vs_magnitude(st.magnitude,
                                        # "objects brighter than m" read as cut off (until 2026-12-07); the
                                        # title names the selection and the quantity, as each trend's does
                                        f"{what}{called} vs rest{against} against magnitude ({st.magnitude_band}), "
                                        f"threshold {st.trend_threshold_text}{whose}; each point counts the "
                                        "objects brighter than the magnitude on the x axis",
                                        st.magnitude_band), "")
            s.table(f"vs_magnitude_{suffix}", st.magnitude,
                    f"Purity, recall, F1 of the {what} selection for objects brighter than each "
                    f"{st.magnitude_band} limit.")
        elif st.magnitude_note and st.magnitude_note not in said:
            # once per section: a five-class cutout task's page said "the prediction has no magnitude column"
            # under each of its five classes
            said.add(st.magnitude_note)
            s.note(st.magnitude_note)
        for note in st.trend_notes:
            # a trend left out (too few values) is said whether or not the magnitude table was drawn
            if note not in said:
                said.add(note)
                s.note(note)
        if st.trends and st.trend_threshold_source == "model":
            s.text(f"Trends against magnitude, size, colour, galactocentric radius and position: the selection "
                   f"classify made, at the model's threshold {st.trends[0][1].meta['threshold']:.3f} "
                   f"(recorded in the catalogue).")
        for qname, tab in st.trends:
            # a run of other characters is one "_": "colour g-i (true)" was vs_colour_g_i__true, "size (radius_pc)"
            # vs_size__radius_pc (until 2026-12-07)
            key = "_".join("".join(ch if ch.isalnum() else " " for ch in qname).split())
            s.figure(f"vs_{key}_{suffix}",
                     # the seven trend panels of a class were all titled "threshold 0.500", their alt texts one
                     # sentence (until 2026-12-07): each names its selection and quantity
                     F.fig_vs_quantity(tab, f"{what}{called} vs rest{against} against {quantity_label(qname)}, "
                                            f"threshold {st.trend_threshold_text}{whose}", quantity_label(qname)),
                     "")
            s.table(f"vs_{key}_{suffix}", tab,
                    f"Purity, recall, F1 of the {what} selection in equal-number bins of {qname}.")
    return s


def _groups_section(c: Comparison, task: EvalTask | None = None) -> Section:
    rname = c.ref_name
    s = Section(f"{c.heading()}: by group", key=f"by_{rname}")
    # the columns are numbered (n_ref_2, recall_2): the caption says which class each number is
    named = figure_names(task) if task is not None else {}
    which = f"; k is the class: {', '.join(named.values())}" if named else ""
    for col, (tab, note) in c.by.items():
        if note:
            s.note(f"{col}: {note}")
        s.figure(f"by_{col}_{rname}", F.fig_by_group(tab, col, f"accuracy by {col}"), "")
        auc = "roc_auc" in tab.colnames
        # which interval each column carries: the accuracy's may be Wilson's, the others' are the bootstrap's
        others = (tab.meta.get("interval_notes") or {}).get("recall_<k>")
        # the ROC AUC's note differs from the recalls' where a zero-width interval was replaced in one of them
        auc_note = (tab.meta.get("interval_notes") or {}).get("roc_auc", others) if auc else others
        same_auc = auc and auc_note == others
        s.table(f"by_{col}_{rname}", tab,
                f"Per value of {col}: rows, rows of each reference class (n_ref_k), errors, accuracy with its "
                f"{tab.meta.get('interval_note', '95% Wilson interval')}, recall per class (recall_k; nan: none of "
                f"that class{which})"
                + (", ROC AUC of the positive class (nan: one class only)" if auc else "")
                + (f"; the intervals of recall_k (recall_k_lo, recall_k_hi){' and roc_auc' if same_auc else ''}: "
                   + ("the same" if others == tab.meta.get("interval_note") else others) if others else "")
                + (f"; the intervals of roc_auc: "
                   f"{'the same' if auc_note == tab.meta.get('interval_note') else auc_note}"
                   if auc and auc_note and not same_auc else "")
                + "; the last row pools every group.")
    return s


def _trust_section(c: Comparison) -> Section:
    """Reliability diagram, ECE and Brier (before/after calibration), conformal coverage, signals."""
    t = c.trust
    rname = c.ref_name
    s = Section(f"{c.heading()}: calibration, prediction sets and uncertainty", key=f"trust_{rname}")
    temp = (" with vector scaling (a scale and a bias per class)" if t.method == "vector"
            else " with histogram binning (class frequencies in equal-mass bins per class)"
            if t.method == "histogram"
            else f" with temperature {t.temperature:.3f}" if t.temperature is not None else "")
    s.text(f"Expected calibration error (ECE) over {t.n_bins} equal-width bins of top-class confidence "
           f"(bin b holds confidences in (b/{t.n_bins}, (b+1)/{t.n_bins}]), and the multi-class Brier score "
           f"(mean of the sum over classes of (p - [true])<sup>2</sup>; 0 best, 2 worst), on {_rows_words(c, t.n)}.")
    if t.floor_words(3):
        # ECE is biased upwards at small n: the floor is what to read it against (the table had the ECE alone)
        s.text(f"ECE {t.ece:.3f}{t.ece_ci_text(3)}; {t.floor_words(3)}, from the sampling noise of so many rows alone "
               "(labels drawn from the probabilities themselves, 200 draws): an ECE near it cannot be told "
               "from perfect calibration.")
    if t.calibration_worse():
        s.note(t.calibration_worse()[0].upper() + t.calibration_worse()[1:] + ".")  # evaluate's warning, as a note

    def floor(v: tuple[float, float] | None, j: int) -> float:
        return float(v[j]) if v is not None else float("nan")

    rows = [("calibrated" + temp if t.ece_raw is not None else "as written", t.ece, floor(t.ece_floor, 0),
             floor(t.ece_floor, 1), t.brier)]
    if t.ece_raw is not None:
        rows.insert(0, ("raw (prob_<k>_raw)", t.ece_raw, floor(t.ece_floor_raw, 0), floor(t.ece_floor_raw, 1),
                        t.brier_raw))
    cal = Table(rows=rows, names=("probabilities", "ece", "ece_floor", "ece_floor_p95", "brier"))
    if t.ece_ci is not None or t.brier_ci is not None:
        # the intervals are of the written probabilities (the last row): the raw row has none
        for key, ci in (("ece", t.ece_ci), ("brier", t.brier_ci)):
            for j, suffix in enumerate(("_lo", "_hi")):
                cal.add_column(MaskedColumn([0.0] * (len(rows) - 1) + [ci[j] if ci else 0.0],
                                            mask=[True] * (len(rows) - 1) + [ci is None]),
                               name=key + suffix, index=cal.colnames.index(key) + 1 + j)
    s.table(f"calibration_{rname}", cal,
            ("ECE and Brier score before and after calibration" if t.ece_raw is not None else
             "ECE and Brier score (the catalogue has no raw probabilities to compare with)")
            + "; ece_floor (ece_floor_p95): the mean (95th percentile) ECE of a perfectly calibrated model with "
              "the same probabilities on as many rows"
            + ("; the 95% bootstrap intervals (_lo, _hi) are those of the written probabilities, the ECE's a "
               "basic interval cut at 0 (it is biased upwards), the Brier score's the percentile interval."
               if "ece_lo" in cal.colnames else "."))
    panels = [("raw", t.reliability_raw, t.ece_raw)] if t.reliability_raw is not None else []
    # without raw probabilities the one line is the probabilities as the catalogue has them, as the table's row says
    # ("as written"): the legend said "prob_<k>", a pattern of column names, of prob_joint_<k> too (until 2026-12-07)
    panels.append(("calibrated" if t.ece_raw is not None else "probabilities as written", t.reliability, t.ece))
    if t.few_rows():
        s.note(t.few_rows())
    if t.interval_caution():
        s.note(t.interval_caution())
    s.figure(f"reliability_{rname}", F.fig_reliability(panels, "reliability diagram", note=t.few_rows()),
             "Accuracy against mean confidence per bin (the diagonal is perfect calibration); rows per bin below.")
    s.table(f"reliability_{rname}", t.reliability, "Reliability diagram of the written probabilities.")
    if t.coverage_table is not None:
        from starclass.learn.conformal import coverage_percent

        if t.coverage is not None:
            about = (f"at {coverage_percent(t.coverage)}, per reference class: the fraction whose class is in its set, "
                     "and the mean set size; gap_points = coverage - target in percentage points.")
        else:
            about = ("per reference class: the fraction whose class is in its set, and the mean set size. The "
                     "coverage the sets were made for (classify's --coverage) is not in the table (a CSV keeps no "
                     "meta), so no target is compared.")
        s.table(f"coverage_{rname}", t.coverage_table,
                f"Empirical coverage of the class-conditional conformal sets (pred_set) {about}")
        s.table(f"set_sizes_{rname}", t.set_sizes, "Distribution of the conformal set sizes (0 = empty set).")
    s.figure(f"deferral_{rname}", F.fig_deferral(t.deferral, "leave the most uncertain to people"),
             f"Accuracy on the {_rows_noun(c)}s kept when the most uncertain fraction is left to people.")
    for name, curve in t.deferral.items():
        s.table(f"deferral_{slug(name)}_{rname}", curve, f"Deferral curve, {name}.")
    if t.signals is not None:
        best = t.best_signal()
        s.table(f"mistake_auroc_{rname}", t.signals,
                "ROC AUC of each uncertainty signal for predicting that class_pred is wrong (0.5 = chance)"
                + (f"; best: {best}." if best else "."))
    return s


def _agreement_section(c: Comparison, task: EvalTask | None = None) -> Section:
    rname, a = c.ref_name, c.agreement
    pname, rshown = c.columns or (c.pred_name, rname)
    s = Section(f"{c.heading()}: PHANGS agreement", key=f"agreement_{rname}")
    s.table(f"agreement_{rname}", a.fractions, f"Agreement fraction per class: mean of n_both/n_{pname} and "
            f"n_both/n_{rshown}; mean of the four classes = {a.mean:.3f}" if a.mean is not None else "")
    s.figure(f"symmetric_confusion_{rname}", F.fig_confusion(None, a.symmetric, phangs_ticks(task),
                                                             "symmetric confusion (PHANGS)",
                                                             xlabel="class in the other catalogue",
                                                             ylabel="class in one catalogue"),
             "Each cell averages the fraction of one catalogue's class i put in j by the other with its reflection; "
             "the diagonal is the agreement fraction.")
    for qname, bins, trends in a.versus:
        s.figure(f"agreement_vs_{qname}_{rname}", F.fig_agreement_vs(bins, trends, qname, f"agreement vs {qname}",
                                                                    figure_names(task) if task is not None else None),
                 "")
        s.table(f"agreement_vs_{qname}_{rname}", bins, f"Agreement fraction in four equal-number bins of {qname}.")
        s.table(f"trend_{qname}_{rname}", trends, "Least-squares lines through the binned fractions (slope per unit).")
    for n in a.notes:
        s.note(n)
    return s


def agreement_legend(ev: Evaluation) -> dict[str, str]:
    """The agreement table's comparisons (``A vs. B``, catalogue keys) in the words the page names them by.

    A pair that is one of the evaluation's comparisons reads as its heading (``class_pred vs class_ref in
    gc_cls``); the catalogue's own reference column (``-r self``, the key ``gc_cls class_ref``) as ``class_ref in
    gc_cls``; the scored catalogue by its shown name. The legend said the keys, words the page uses nowhere.

    Examples
    --------
    >>> from astropy.table import Table
    >>> from starclass.evaluate import evaluate_catalogs
    >>> t = Table({"class_pred": [1, 2, 2, 1], "class_ref": [1, 2, 1, 1]})
    >>> ev = evaluate_catalogs(t, ["self"], task="m31-real", n_boot=0)
    >>> ev.agreement_table = Table({"comparison": ["prediction vs. prediction class_ref"]})
    >>> agreement_legend(ev)
    {'prediction vs. prediction class_ref': 'class_pred vs class_ref in prediction'}
    """
    if ev.agreement_table is None:
        return {}
    said = {n: ev.shown(n) for n in ev.catalogues}
    pairs = {}
    for c in ev.comparisons:
        pairs[f"{ev.pred_name} vs. {c.ref_name}"] = c.heading()
        if c.columns is not None:
            said[c.ref_name] = f"{c.columns[1]} in {c.pred_shown}"
    out = {}
    for comp in map(str, ev.agreement_table["comparison"]):
        a, sep, b = comp.partition(" vs. ")
        out[comp] = pairs.get(comp) or (f"{said.get(a, a)} vs {said.get(b, b)}" if sep else comp)
    return out


def _table1_section(ev: Evaluation, radius: float) -> Section | None:
    if ev.agreement_table is None and ev.agreement_table_note is None:
        return None
    # a task of its own (binary m31, five-class galaxy-cluster experts) gets the table too: named as the paper's
    # only for the PHANGS scheme, its bars named by the task's classes
    phangs = ev.task is not None and ev.task.phangs_like
    s = Section("Agreement fractions (PHANGS Table 1)" if phangs else "Agreement fractions between the catalogues",
                key="table1")
    if ev.agreement_table is None:
        s.note(ev.agreement_table_note)
        return s
    # a cutout list's table pairs the cutouts as scored (paired_agreement_table): no radius was used
    paired = ("radius_px" not in ev.agreement_table.meta and "Objects paired as scored (row by row or by file)"
              or f"One-to-one matches within {radius} px")
    s.table("agreement_table", ev.agreement_table,
            f"{paired}; agreement = mean of the two directions; "
            "_err = standard deviation / sqrt(N) of the values above.")
    names = dict(zip("1234", phangs_ticks(ev.task))) if phangs or ev.task is None else figure_names(ev.task)
    s.figure("agreement_bars", F.fig_agreement_bars(ev.agreement_table, "agreement fractions per class", names,
                                                    agreement_legend(ev)), "")
    return s


def _human_section(ev: Evaluation) -> Section | None:
    if not ev.humans:
        return None
    s = Section("Human-to-human baselines", key="humans")
    ticks = phangs_ticks(getattr(ev, "task", None))  # the task's names, as the metrics' figures say them
    for n, r, err in ev.humans:
        if r is None:
            s.note(f"{n}: {err}")
            continue
        sm = r["summary"]
        n_obj = sm.get("vs_mode_n_objects")
        vs_mode = ("individual vs final (mode): not computed, no object has 3 or more labels and an untied mode"
                   if not np.isfinite(sm["vs_mode_4class"]) else
                   f"individual vs final (mode) {sm['vs_mode_4class']:.1%} and {sm['vs_mode_binary']:.1%}"
                   + (f" on the {n_obj} objects with 3 or more labels and an untied mode" if n_obj is not None else ""))
        s.text(f"<b>{n}</b>: {sm['n_classifiers']} classifiers. Mean pairwise agreement "
               f"{sm['pairwise_4class']:.1%} (4 classes), {sm['pairwise_binary']:.1%} (1+2 vs 3+4); {vs_mode}. "
               "StarcNet (13 LEGUS galaxies): 57.3%, 78.1%, 75.0%, 87.2%.")
        s.table(f"human_pairwise_{n}", r["pairwise"],
                "Agreement of each pair of classifiers on the objects both labelled.")
        s.table(f"human_vs_mode_{n}", r["vs_mode"],
                "Each classifier against the final label, on the objects with 3 or more labels and an untied mode "
                "(n; NaN where there is none); _loo: against the mode of the others.")
        s.figure(f"human_confusion_{n}", F.fig_confusion(None, r["confusion_pairwise"], ticks,
                                                         "person vs person", "another person", "one person"), "")
        s.figure(f"human_confusion_mode_{n}", F.fig_confusion(None, r["confusion_vs_mode"], ticks,
                                                              "person vs mode", "mode", "person"), "")
    return s


# --------------------------------------------------------------------------------------------
# science checks (PHANGS classes)


def _attach_physical(cats: dict[str, Table], pname: str, radius: float) -> dict[str, Table]:
    """Give catalogues without age/mass those of a matched catalogue that has them (same objects)."""
    donors = [n for n, t in cats.items() if "age" in t.colnames and "mass" in t.colnames]
    if not donors:
        return cats
    out = dict(cats)
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
        # the donor's masses, so the donor's convention: a limit drawn over them takes it
        if "mass_kind" in d.meta:
            t2.meta["mass_kind"] = d.meta["mass_kind"]
        out[n] = t2
    return out


def _mass_kind_of(t: Table, mass_kind: str | None) -> tuple[MassKind, str, str]:
    """The convention a limit over ``t``'s masses is drawn in: (kind, words for a caption, label for a table).

    ``mass_kind`` is the user's ``--mass-kind``: it overrides what the catalogue says or, where it says
    nothing (a PHANGS or home-made catalogue), the assumed mass formed. The label is what the written
    tables keep in ``meta['mass_kind']``: ``stellar``, ``formed (assumed)`` or ``stellar (--mass-kind)``.
    """
    kind, stated = catalog_mass_kind(t)
    if mass_kind is None:
        return kind, mass_kind_words(kind, stated), kind if stated else f"{kind} (assumed)"
    given = check_mass_kind(mass_kind)
    return (given, mass_kind_words(given, given_as="--mass-kind", catalogue_kind=kind if stated else None),
            f"{given} (--mass-kind)")


def _shown_columns(ev: Evaluation) -> dict[str, str]:
    """Catalogue name -> its class column as the user named it (the ``class_column`` of ``catalogues``)."""
    return {str(n): str(c) for n, c in zip(ev.counts["catalogue"], ev.counts["class_column"])}


def _two_columns_of_one(ev: Evaluation) -> dict[str, str]:
    """Catalogue -> its class column, where the two catalogues are two columns of one (``-r self``).

    ``evaluate NGC1566.tab --pred-column class_ml --reference-column class_human_mode`` compares the
    catalogues ``prediction`` and ``reference``, which are one file's two columns: the agreement table
    names its counts by the columns (``n_class_ml``, ``n_class_human_mode``), and so does the Quality
    Ratio table (``n_prediction``, ``n_reference`` until 2026-12-05, which said neither). Empty for
    any other evaluation (catalogues of their own files keep their names).
    """
    own = [c.columns for c in ev.comparisons if c.columns is not None]
    if len(ev.catalogues) == 2 and len(ev.comparisons) == 1 and own and own[0][0] != own[0][1]:
        return dict(zip(ev.catalogues, own[0]))
    return {}


def _quality_ratio_tables(s: Section, cats: dict[str, Table], cols: dict[str, str], common: dict[str, np.ndarray],
                          common_note: str | None, mag_limit: float | None, shown: dict[str, str],
                          columns_of: dict[str, str] | None = None, files: dict[str, str] | None = None) -> None:
    """The box counts of every catalogue on the objects all of them classify, and the Quality Ratio.

    The counts are of the same objects with one photometry (the first catalogue's with U, B, V, I),
    as PHANGS compared its methods ("the objects in common ... to focus on differences resulting
    from classification methodology"): each catalogue's own box counts, over all of its rows,
    compared how many objects each classified (NGC 1566: QR 11 for class 3 in box 4). ``columns_of``
    names each catalogue's counts: one catalogue's two columns by those columns (:func:`_two_columns_of_one`),
    a ``--pred-column``'s catalogue as its own science tables are named (``A_class_ml``). ``files`` (catalogue
    name -> its file as the user gave it, :attr:`~starclass.evaluate.compare.Evaluation.files`) names the file
    whose photometry the counts use, in ``box_counts_common``'s meta.
    """
    phot = None
    for n, t in cats.items():
        try:
            colour.colours(t)
        except StarclassError:
            continue
        phot = n
        break
    if phot is None:
        return
    rows = common[phot]
    photometry = cats[phot][rows]
    label = {n: (columns_of or {}).get(n, n) for n in cats}
    classes = {label[n]: class_array(cats[n], cols[n], name=n)[common[n]] for n in cats}
    counts = colour.matched_box_counts(photometry, classes, mag_limit=mag_limit)
    what = common_note or f"the {len(rows)} objects every catalogue classifies"
    limit = (f"brighter than m_V = {mag_limit:.2f}" if mag_limit is not None else "at every magnitude")
    named = ", ".join(f"{n} ({shown[n]})" if n in shown else n for n in cats)
    parts = []
    for n, c in counts.items():
        part = c.copy()
        part.add_column([n] * len(part), name="catalogue", index=0)
        part.meta.clear()
        parts.append(part)
    common_table = vstack(parts)
    common_table.meta["objects"] = int(len(rows))
    # the file whose magnitudes put every catalogue's objects in the boxes, as the user gave it: it recorded the
    # catalogue's name alone ("truth", or "cat" for `--pred-column class_ml` of cat.ecsv, a name that is in neither
    # this table's catalogue column nor any file's path), and where two inputs share a stem, not which file
    common_table.meta["photometry"] = (files or {}).get(phot, phot)
    # its rows in the catalogue column above, under the name they have there
    common_table.meta["photometry_catalogue"] = label[phot]
    s.table("box_counts_common", common_table,
            f"Objects per class and box of every catalogue, {named}, on the same objects: {what}; "
            f"{limit}, in the colours of {phot}.")
    if len(rows) == 0:
        s.note("no object is classified in every catalogue: the Quality Ratio compares nothing")
    s.table("quality_ratio", colour.qr_table(counts),
            f"Counts per box on the same objects ({what}; {limit}), one column per catalogue, and "
            "QR = std / sqrt(mean), only where every catalogue has ≥ 12. Each catalogue's counts over all "
            "of its own rows are in its box_counts table.")


def _track_texts(s: Section, t: Table, name: str | None,
                 ssp: str | Path | None) -> tuple[Table | None, tuple[float, float, str] | None]:
    """The SSP track and reddening arrow in ``t``'s bands, their captions added to ``s``.

    ``name`` is None for the first set of bands drawn; otherwise the catalogue whose figure the
    caption is of (another catalogue's bands, drawn in its own).
    """
    # "on out's figure" read as a possessive of a path or label (a reference file out.ecsv is named "out"):
    # the figure is titled by the catalogue's name, so say "the figure of" it, quoted where a shell would split it
    label = None if name is None else shell_word(name)
    whose = "" if label is None else f" on the figure of {label}"
    try:
        # on the Vega system of the catalogue's cameras where it names them, as its magnitudes are (vega_mag)
        track = ssp_track(bands_in(t), path=ssp, cameras=t.meta.get("cameras"))
    except StarclassError as exc:
        s.note(f"SSP track{whose}: {exc}")
        return None, None
    s.meta.setdefault("ssp", ssp_label(track.meta))
    r = {k: b.upper() for k, b in track.meta["bands"].items()}
    # name the bands drawn and only the substitutes used: a field with F435W (LEGUS ACS) was told its
    # track took F438W from the model's F435W
    subs = [f"{b.upper()} from the model's {SUBSTITUTES[b].upper()}" for b in track.meta["bands"].values()
            if b in SUBSTITUTES]
    cams = track.meta.get("cameras") or {}
    # ssp_label says the AB table was put on Vega and with which offsets; here only whose cameras they are
    named = ", ".join(f"{b.upper()} {c.upper()}" for b, c in cams.items())
    system = f" (AB - Vega of the catalogue's cameras: {named})" if cams and track.meta["magsys"] == "ab" else ""
    if name is None:
        # the table is named (metallicity, IMF, file): every table was once called "solar-metallicity (Z = 0.020)"
        s.text(f"Black line: SSP track of {ssp_label(track.meta)}, in U-B = {r['u']} − {r['b']}, "
               f"V-I = {r['v']} − {r['i']}{system}" + (f" ({', '.join(subs)})" if subs else "") + ".")
    else:
        s.text(html.escape(f"Black line{whose}: the same SSP track in the bands of {label}, U-B = {r['u']} − {r['b']}, "
                           f"V-I = {r['v']} − {r['i']}" + (f" ({', '.join(subs)})" if subs else "") + "."))
    d_vi, d_ub = colour.reddening_vector(track.meta["bands"], 1.0)
    s.text(f"Red arrow{html.escape(whose)}: reddening by A_V = 1 mag (Cardelli, Clayton &amp; Mathis 1989, R_V = 3.1), "
           f"Δ(V-I) = {d_vi:+.2f}, Δ(U-B) = {d_ub:+.2f}" + (": a reddened young cluster moves along it, "
           "towards the older boxes (the colours are not corrected for it)." if name is None else "."))
    return track, (d_vi, d_ub, "A_V = 1")


def science_checks_note(task: str | None) -> str:
    """The report's line, for a task not of star clusters, saying which science checks exist and for what.

    The checks of the cluster papers (colour boxes, luminosity, mass and age functions) read star-cluster
    classes 1-4 with magnitudes; no other kind of task has science checks of its own.

    Examples
    --------
    >>> science_checks_note("galaxy-cluster")[:60]
    'science checks: the star-cluster ones (colour boxes, luminos'
    """
    return ("science checks: the star-cluster ones (colour boxes, luminosity, mass and age functions) need a "
            "star-cluster task with PHANGS-like classes 1-4 and magnitudes (as legus4, phangs4); none exist for "
            f"task {task or '(unnamed)'}, so none are made")


#: The science checks of a star-cluster task, in the order the page shows them (one section each)
SCIENCE_CHECKS: tuple[str, ...] = (
    "Colour-colour diagrams and age boxes (PHANGS Table 2)",
    "Luminosity functions and the bright end",
    "Mass functions, age distributions and the mass-age diagram (PHANGS section 7)",
)


def _science_sections(cats: dict[str, Table], cols: dict[str, str], distance_mpc: float | None,
                      radius: float, pname: str, *, common: dict[str, np.ndarray] | None = None,
                      common_note: str | None = None, shown: dict[str, str] | None = None,
                      columns_of: dict[str, str] | None = None, ssp: str | Path | None = None,
                      faint_limit: float | None = None, mass_kind: str | None = None,
                      checked: Callable[[str], None] | None = None,
                      said: Callable[[str], str] | None = None, files: dict[str, str] | None = None,
                      task: EvalTask | None = None) -> list[Section]:
    """The science checks' sections (:data:`SCIENCE_CHECKS`); ``checked(title)`` is called as each one ends.

    ``said(name)`` names a catalogue in captions and titles (:meth:`~starclass.evaluate.compare.Evaluation.shown`:
    the scored one by its file's stem); the keys ``name`` name the tables and figures. ``task`` names the classes
    of the colour-colour panels as the page's other figures do (:func:`phangs_ticks`)."""
    shown = shown or {}
    # the scored catalogue's science tables and figures are of the column scored: named after the file alone
    # (box_counts_ngc1566, "ngc1566: U-B vs V-I"), `evaluate NGC1566.tab --pred-column class_ml` and another
    # --pred-column of the same file wrote one name, and the title did not say whose classes it drew (until
    # 2026-12-07). The default columns (class_pred, or class_ref where it has none) keep the file's name alone
    scored_col = shown.get(pname)
    by_column = (scored_col is not None and scored_col not in (CLASS_PRED, CLASS_REF)
                 and not pname.endswith(f"_{scored_col}"))
    named = said or str

    def said(n: str) -> str:
        # as the catalogue's own reference column is named (self_catalogue_name: "ngc1566 class_ref"): one page said
        # "ngc1566 (class_ml)" of the one and "ngc1566 class_ref" of the other (until 2026-12-07)
        return self_catalogue_name(named(n), scored_col) if n == pname and by_column else named(n)

    def key(n: str) -> str:
        """The name of catalogue ``n``'s class-dependent tables and figures (``box_counts_<key>``)."""
        return f"{n}_{scored_col}" if n == pname and by_column else n

    # the Quality Ratio's columns (n_<name>) and box_counts_common's catalogue column: one file's two columns by
    # those columns (-r self), the scored catalogue as its own tables are named (n_A_class_ml, as box_counts_a_class_ml;
    # `evaluate A.tab --pred-column class_ml -r B.tab` wrote n_A, the file alone, until 2026-12-07)
    qr_name = {n: (columns_of or {}).get(n, key(n)) for n in cats}
    out = []
    checked = checked or (lambda title: None)
    # colour-colour
    s = Section(SCIENCE_CHECKS[0], key="colour")
    mag_limit = None
    if distance_mpc is not None:
        mag_limit = -7.8 + colour.distance_modulus(distance_mpc)
        s.text(f"Objects brighter than M_V = −7.8 (m_V &lt; {mag_limit:.2f} at {distance_mpc} Mpc), "
               "as in the PHANGS paper.")
    else:
        s.note("No distance given: all objects are counted (give --distance to apply the M_V < -7.8 limit).")
    counts = {}
    # the panels titled "class 3 (n=1082)" where the confusion matrices above say "3 compact association"
    panel_names = dict(zip(CLASSES, phangs_ticks(task) if task is not None else [f"class {k}" for k in CLASSES]))
    # one track per set of U, B, V, I bands: a reference in F435W against a prediction in F438W was drawn
    # the prediction's track (and arrow) on its own figure
    tracks: dict[tuple, tuple[Table | None, tuple[float, float, str] | None]] = {}
    for n, t in cats.items():
        try:
            ub, vi, v = colour.colours(t)
        except StarclassError as exc:
            s.note(f"{said(n)}: {exc}")
            continue
        roles = tuple(ubvi_bands(bands_in(t)).items())
        if roles not in tracks:
            tracks[roles] = _track_texts(s, t, said(n) if tracks else None, ssp)
        track, reddening = tracks[roles]
        s.meta.setdefault("tracks", {})[n] = track
        ab_note = colour.ab_bands_note(t)
        if ab_note:
            # the boxes, the M_V limit and the track are Vega: AB colours drawn against them put young
            # clusters 1.3 mag redder in U-B, among the old boxes
            s.text(f"{said(n)}: {ab_note} (starclass.bands, from the STScI zeropoint tables), as the boxes, the "
                   "M_V limit and the SSP track are Vega.")
        cl = class_array(t, cols[n], name=n)
        bright = np.isfinite(v) & ((v < mag_limit) if mag_limit is not None else True)
        panels, empty = [], []
        for k in CLASSES:
            sel = bright & (cl == k)
            # a class with no object that has both colours drew an empty panel titled "class k (n=0)"
            if np.any(np.isfinite(ub[sel]) & np.isfinite(vi[sel])):
                panels.append((panel_names[k], ub[sel], vi[sel]))
            else:
                empty.append(k)
        none = (f"{'Class' if len(empty) == 1 else 'Classes'} {', '.join(map(str, empty))}: no object with both "
                "colours" + (f" brighter than m_V = {mag_limit:.2f}" if mag_limit is not None else "")
                + (", not drawn." if panels else "; no panel to draw.")) if empty else ""
        if panels:
            s.figure(f"colour_colour_{key(n)}", F.fig_colour_colour(panels, track, f"{said(n)}: U-B vs V-I",
                                                                reddening=reddening), none)
        else:
            s.note(f"{said(n)}: {none}")
        counts[qr_name[n]] = colour.box_counts(t, class_col=cols[n], mag_limit=mag_limit)
        n_classified = int(np.sum(cl > 0))
        column = f" ({shown[n]})" if n in shown and not (n == pname and by_column) else ""  # said(n) says it
        s.table(f"box_counts_{key(n)}", counts[qr_name[n]],
                f"{said(n)}{column}: objects per class and box, over all "
                f"{n_classified} of its own classified rows (not the objects the other catalogues classify: "
                "the Quality Ratio below compares those).")
    if len(cats) >= 2 and common is not None:
        _quality_ratio_tables(s, cats, cols, common, common_note, mag_limit, shown, qr_name, files)
    elif len(counts) >= 2:
        s.table("quality_ratio", colour.qr_table(counts),
                "Counts per box for every catalogue over its own rows and QR = std / sqrt(mean), only where every "
                "catalogue has ≥ 12.")
    if s.items:
        out.append(s)
    checked(s.title)

    # luminosity functions, bright end
    lf = Section(SCIENCE_CHECKS[1], key="luminosity")
    hists, lf_bands = [], []
    for n, t in cats.items():
        b = bands_in(t)
        if not b:
            continue
        vb = v_band(b)
        cl = class_array(t, cols[n], name=n)
        m = colour.vega_mag(t, vb)[np.isin(cl, (1, 2))]  # Vega, as the M_V = -7.8 limit
        try:
            r = luminosity.luminosity_function(m, mag_limit=mag_limit)
        except StarclassError as exc:
            lf.note(f"{said(n)}: {exc}")
            continue
        hists.append((said(n), r["hist"]))
        lf_bands.append(vb)  # the x label names the band the magnitudes are in: it said "V" of f555w
        if r["alpha"] is not None:
            # the range fitted: without --distance every magnitude is, the faint end where the catalogue is
            # incomplete too, which flattens alpha (NGC 1566, class_ml: -1.87 against -2.21 above M_V = -7.8),
            # and the page said nothing of it
            fitted = (f"m_V &lt; {mag_limit:.2f} (M_V &lt; −7.8 at {distance_mpc:g} Mpc)" if mag_limit is not None else
                      "every magnitude: no --distance, so the faint end, where the catalogue is incomplete, is "
                      "in the fit and flattens α; give --distance to fit above M_V = −7.8")
            lf.text(f"{said(n)}, class 1+2: dN/dL ∝ L^α with α = {r['alpha']:.2f} ± {r['alpha_err']:.2f} "
                    f"({r['n_fit']} objects; fitted over {fitted}).")
        else:
            lf.note(f"{said(n)}: luminosity function slope: {r['note']}")
        if distance_mpc is not None:
            objs, cnt = luminosity.bright_end(t, distance_mpc, class_col=cols[n])
            lf.table(f"bright_end_{key(n)}", cnt,
                     f"{said(n)}: classes of the {len(objs)} objects brighter than M_V = −10 "
                     "(Humphreys-Davidson limit: should be clusters or foreground stars).")
    if hists:
        lf.figure("luminosity_functions", F.fig_luminosity(hists, "/".join(dict.fromkeys(lf_bands)),
                                                          "class 1+2 luminosity functions"), "")
        out.append(lf)
    checked(lf.title)

    # mass and age
    cats_phys = _attach_physical(cats, pname, radius)
    ms = Section(SCIENCE_CHECKS[2], key="massage")
    panels, curves = [], []
    sed_warned: dict[str, str] = {}
    for n, t in cats_phys.items():
        if "age" not in t.colnames or "mass" not in t.colnames:
            continue
        cl = class_array(t, cols[n], name=n)
        sel = np.isin(cl, (1, 2))
        mass, age = np.asarray(t["mass"], float)[sel], np.asarray(t["age"], float)[sel]
        panels.append((said(n), mass, age))
        curves.append(_completeness_curve(ms, n, t, distance_mpc, faint_limit, ssp, mass_kind))
        src = t.meta.get("physical_from")
        if src:
            ms.note(f"{said(n)}: ages and masses taken from the matched objects of {src}.")
        # in the convention of the catalogue's masses (LEGUS: stellar, 0.05-0.10 dex below the mass formed), or the
        # one --mass-kind states
        kind, kind_words, kind_label = _mass_kind_of(t, mass_kind)
        mins = [round(mass_limit(hi, -7.8, path=ssp, cameras=t.meta.get("cameras"), mass_kind=kind), 2)
                for hi in (7.0, 8.0, 8.6)]
        mf = mass_functions(mass, age, log_mass_min=mins)
        mf.meta["mass_kind"] = kind_label  # which mass log_mass_min is in, kept in the written table
        ms.table(f"mass_functions_{key(n)}", mf, f"{said(n)}, class 1+2: dN/dM ∝ M^β; least squares on equal-number "
                                            "bins "
                                            "(_ls) "
                                            "and maximum likelihood (_ml); "
                                            "lower mass = visible at M_V = −7.8 at the oldest age"
                                            # the --ssp table's mass limits, not the packaged one's
                                            + (f" of the SSP table {Path(ssp).name}" if ssp is not None else "")
                                            + f" ({kind_words}).")
        fits = []
        for (a0, a1), lm in zip(((6.0, 7.0), (7.0, 8.0), (8.0, 8.6)), mins):
            with np.errstate(divide="ignore", invalid="ignore"):
                la = np.log10(age)
            try:
                fits.append((f"log τ {a0}-{a1}", fit_powerlaw_binned(mass[(la >= a0) & (la < a1)], lo=10**lm)))
            except StarclassError as exc:  # too few objects: say so instead of drawing a fit
                ms.note(f"{said(n)}: no mass-function panel for log τ {a0}-{a1}: {exc}")
        if fits:
            ms.figure(f"mass_functions_{key(n)}",
                      F.fig_powerlaw_bins(fits, "log M [Msun]", "log dN/dM", f"{said(n)}: mass functions"), "")
        _sed_check(ms, n, t, ssp, sed_warned)
        ad = age_distributions(mass, age)
        ms.table(f"age_distributions_{key(n)}", ad,
                 f"{said(n)}, class 1+2: dN/dτ ∝ τ^γ over log τ 6.5-9 (0.5 dex bins).")
        res = []
        with np.errstate(divide="ignore", invalid="ignore"):
            lm_all = np.log10(mass)
        for m0, m1 in ((4.0, 4.8), (4.8, None)):
            selm = (lm_all >= m0) & ((lm_all < m1) if m1 else True)
            try:
                res.append((f"log M {m0}-{m1 or 'max'}", age_distribution(age[selm])))
            except StarclassError as exc:
                ms.note(f"{said(n)}: no age-distribution panel for log M {m0}-{m1 or 'max'}: {exc}")
        if res:
            ms.figure(f"age_distributions_{key(n)}", F.fig_age_distributions(res, f"{said(n)}: age distributions"), "")
    if panels:
        drawn = [c for c in curves if c is not None]
        ms.figure("mass_age", F.fig_mass_age(panels, "class 1+2: mass vs age", curves=curves),
                  " ".join(c[3] for c in drawn))
        out.append(ms)
    checked(ms.title)
    return out


def _sed_check(ms: Section, name: str, t: Table, ssp: str | Path | None, warned: dict[str, str]) -> None:
    """Table and warn of how far ``t``'s SED fits (age, E(B-V)) miss its photometry, band by band relative to V.

    The masses and ages drawn in the section are the catalogue's fits: NGC 1566's and NGC 1433's were made with
    AB models of B, V, I against Vega photometry (:mod:`starclass.science.sedcheck`), and the page said nothing.
    ``warned`` maps each file (and row count) already checked to the name its table was written under: a
    second catalogue of the same file (``evaluate F --reference-column C``, ``-r self``) is not checked again.
    """
    if "ebv" not in t.colnames or "age" not in t.colnames or t.meta.get("physical_from"):
        return  # no fit of its own to check (a matched catalogue's ages are its donor's)
    src = t.meta.get("source")
    # named by its file: 'prediction' and 'reference' alone named none, and "warning: prediction (hlsp_...tab):"
    # read as if the prediction (the scored classes) were what missed the photometry, where it is the file's SED fits.
    # The path as read: its name alone (ren1.tab) named a file in no folder the user was in, and a LEGUS file's field
    # (ngc1566) no file at all, the warning printed before "ngc1566 is PATH" says which file that is
    said = str(src) if src else name
    # one file's fits are one check: evaluate F --reference-column C wrote sed_offsets_ngc1566.ecsv and
    # sed_offsets_ngc1566_class_human_mode.ecsv, the same numbers twice (the class columns do not enter it)
    key = f"{src or said} ({len(t)} rows)"
    if key in warned:
        ms.note(f"{name}: the same file's SED fits as {warned[key]}'s, checked once "
                f"(tables/{slug(f'sed_offsets_{warned[key]}')}.ecsv)")
        return
    try:
        off = sed_band_offsets(t, ssp=ssp)
    except StarclassError as exc:
        ms.note(f"{name}: SED fits not checked against the photometry: {exc}")
        return
    m = off.meta
    ms.table(f"sed_offsets_{name}", off,
             f"{name}: each band's median offset from the SSP table at the sources' fitted age and E(B-V), relative "
             f"to {str(m['v_band']).upper()} (mass and distance cancel), over the {m['n_fitted']} sources fitted at "
             f"{10 ** (m['min_log_age'] - 6):g} Myr or older; + is fainter than the fit implies; ab_minus_vega is the "
             f"band's AB - Vega minus {str(m['v_band']).upper()}'s, which an AB/Vega mix-up of the fits would show. "
             # the UV/U fit_trend of the LEGUS dwarfs was shown with no word of its source (LEGUS cols 26-30)
             + trend_columns_words(t, str(m["v_band"]))
             # evaluate writes the caption into the table's meta: the note reaches its tables as well as the page
             + "".join(f" Note: {line}." for line in sed_trend_notes(off, said)))
    for line in sed_offset_lines(off, said):
        ms.note(line)
    # a short line and the detail indented below it: the page's one-line note ran to ~900 characters on the
    # terminal (NGC 1566's F814W)
    # the table's place under the output folder (-o), which this does not know: "tables/sed_offsets_x.ecsv" alone read
    # as a path from the folder the user was in, where there is none
    for line in sed_offset_warnings(off, said, f"tables/{slug(f'sed_offsets_{name}')}.ecsv in the output folder"):
        warnings.warn(line, stacklevel=2)
    for line in sed_trend_notes(off, said):
        ms.note(line)  # an age trend within the tolerance: on the page, not a warning
    warned[key] = name


def _completeness_curve(ms: Section, name: str, t: Table, distance_mpc: float | None, faint_limit: float | None,
                        ssp: str | Path | None,
                        mass_kind: str | None = None) -> tuple[np.ndarray, np.ndarray, str, str] | None:
    """The mass-completeness curve of catalogue ``name`` (log age, log mass, legend, caption), tabled in ``ms``.

    The mass a cluster at the catalogue's faint limit has at each age of the SSP table
    (:func:`starclass.science.massfunc.mass_completeness`), in the catalogue's V band: the limit is
    ``faint_limit`` (``--mag-limit``) or else the 90th percentile of the catalogue's V magnitudes (all
    rows, not only classes 1+2: the faintest detected one is set by a few outliers). The mass is in the
    convention of the catalogue's masses, or the one ``mass_kind`` (``--mass-kind``) states. None, with a
    note saying why, where no curve can be drawn.
    """
    bands = bands_in(t)
    band = v_band(bands) if bands else None
    if distance_mpc is None:
        ms.note(f"{name}: no mass-completeness curve on the mass-age diagram: it needs the distance (--distance).")
        return None
    if band is None or mag_col(band) not in t.colnames:
        ms.note(f"{name}: no mass-completeness curve on the mass-age diagram: the catalogue has no V-band "
                "magnitudes for its faint limit.")
        return None
    try:
        # on Vega, as the SSP magnitudes are (an AB catalogue put on Vega band by band; sentinels NaN)
        mags = colour.vega_mag(t, band)
    except StarclassError as exc:
        ms.note(f"{name}: no mass-completeness curve on the mass-age diagram: {exc}")
        return None
    mags = mags[np.isfinite(mags)]
    if faint_limit is not None:
        m_lim, how = float(faint_limit), "--mag-limit"
    elif mags.size:
        m_lim, how = float(np.percentile(mags, 90)), f"90th percentile of the catalogue's {band} magnitudes"
    else:
        ms.note(f"{name}: no mass-completeness curve on the mass-age diagram: no finite {band} magnitude.")
        return None
    from starclass.science.ssp import load_ssp

    model = load_ssp(ssp)
    la = np.asarray(model["log_age"], float)
    la = la[(la >= 6.0) & (la <= 10.2)]  # the diagram's ages: the model's own rows, no interpolation
    kind, kind_words, kind_label = _mass_kind_of(t, mass_kind)
    try:
        # the model on the Vega system of the camera that took the catalogue's V, as m_lim is (vega_mag); the mass in
        # the convention of the catalogue's masses drawn under the line (LEGUS: stellar)
        m = mass_completeness(la, m_lim, distance_mpc, band=band, path=ssp, cameras=t.meta.get("cameras"),
                              mass_kind=kind)
    except StarclassError as exc:
        ms.note(f"{name}: no mass-completeness curve on the mass-age diagram: {exc}")
        return None
    dm = colour.distance_modulus(distance_mpc)
    ms.table(f"mass_completeness_{name}", Table({"log_age": la, "mass_limit": m, "log_mass_limit": np.log10(m.value)},
                                                meta={"mass_kind": kind_label}),
             f"{name}: mass of a cluster at {band} = {m_lim:.2f} mag ({how}; Vega) at each age of the SSP table "
             f"{ssp_label(model.meta)}, distance modulus {dm:.2f} ({distance_mpc:g} Mpc), no extinction, "
             f"{kind_words}: M_lim = M_ssp_mass · 10^(−0.4 (m_lim − DM − M_ssp(age))).")
    # what the figure's line was drawn from, for callers and tests (the figure itself is a PNG)
    ms.meta.setdefault("completeness", {})[name] = {"band": band, "mag_limit": m_lim, "limit_from": how,
                                                    "log_age": la, "mass": m,
                                                    "mass_kind": kind_label}
    legend = f"{band} = {m_lim:.2f} ({'--mag-limit' if faint_limit is not None else '90th pct'})"
    caption = (f"{name}: the line is the mass of a cluster at {band} = {m_lim:.2f} mag ({how}) at {distance_mpc:g} "
               f"Mpc for its age (SSP, no extinction; {kind_words}): clusters below it are "
               "fainter than the limit, so the catalogue is incomplete there.")
    return la, np.log10(m.value), legend, caption


def _origin_caption(image_origin: str) -> str:
    """How a figure of stamps is drawn (:func:`starclass.io.cutout_folders.drawing_origin`), in words."""
    return {"upper": "Images as stored (row 0 at the top).",
            "lower": "FITS images (stamps cut from mosaics, or FITS cutouts) drawn y up, as DS9 shows them."}.get(
        image_origin, "The cutouts mix FITS (y up) and PNG/JPEG/NPY files: all are drawn as stored, row 0 at the "
                      "top, so the FITS ones appear upside down.")


def _zero_maps_caption(maps: np.ndarray) -> str:
    """A caption sentence on the maps that are zero everywhere ("" when none is)."""
    # masked pixels (NaN: no data) are no evidence either, as explain's notes count them
    n = F.n_zero_maps(np.nan_to_num(maps))
    if not n:
        return ""
    are = "is" if n == 1 else "are"
    # Grad-CAM keeps the positive part: a map negative everywhere (common for confident
    # predictions) comes out zero, and a flat tint was drawn with nothing saying why
    return (f"{n} of the {len(maps)} maps {are} zero everywhere (the layer's weighted evidence is negative at "
            "every pixel, so Grad-CAM's positive part is empty); they count as zeros in the means and profiles. ")


def _no_data_caption(n_masked: int, n: int) -> str:
    """A caption sentence on the maps blanked where their cutout has no data ("" when none is)."""
    if not n_masked:
        return ""
    have = "has" if n_masked == 1 else "have"
    return (f"{n_masked} of the {n} cutouts {have} pixels without data (NaN in the file, filled with the "
            "background for the network): their maps are left blank there, each scaled to the peak of its "
            "other pixels, and the means and profiles use only the maps with data at each pixel. ")


def _gradcam_maps(inputs, model_classes: Sequence[int], layer=None):
    """The report's Grad-CAM arrays of (network, stamps, classes): stamps, classes, maps, class means, profiles.

    ``layer`` is the module explained (None: :func:`starclass.science.gradcam.last_feature_layer`;
    the report passes :func:`_gradcam_layer`'s, as ``starclass explain`` chooses it).

    Maps ``[N, S, S]`` are NaN where ``inputs.no_data`` (cutouts' NaN pixels,
    :func:`starclass.stamps.images.cutout_no_data`) says the stamp has no data, masked by
    ``starclass explain``'s own :func:`starclass.science.gradcam.mask_no_data`; the class means
    (:func:`starclass.science.gradcam.mean_over_data`) and radial profiles leave those pixels out.
    The last item is how many maps were masked.
    """
    from starclass.science.gradcam import class_average_maps, gradcam, mask_no_data, mean_over_data, radial_profile

    model, stamps, classes = inputs
    model_classes = tuple(getattr(inputs, "model_classes", None) or model_classes)
    stamps = np.asarray(stamps, np.float32)
    classes = np.asarray(classes, int)
    # Grad-CAM's target is the network output, whose order is the task's class order
    target = np.array([model_classes.index(c) if c in model_classes else 0 for c in classes])
    maps = gradcam(model, stamps, target=target, layer=layer)
    labels = tuple(np.unique(classes))
    no_data = getattr(inputs, "no_data", None)
    n_masked = 0
    if no_data is not None and np.any(no_data):
        # the network saw the background fill there: a map over it (often the edge of a NaN
        # stripe) is no evidence on the sky, and its peak set the scale of the whole map
        no_data = np.asarray(no_data, bool)
        maps = mask_no_data(maps, no_data)
        n_masked = int(no_data.reshape(len(maps), -1).any(axis=1).sum())
        avg = {k: mean_over_data(maps[classes == k]) for k in labels}
    else:
        avg = class_average_maps(maps, classes, labels=labels)
    prof = {k: radial_profile(m) for k, m in avg.items()}
    return stamps, classes, maps, avg, prof, n_masked


def _gradcam_layer(inputs):
    """The layer of the report's Grad-CAM: ``starclass explain``'s choice (the last feature map at least
    :data:`starclass.science.gradcam.MIN_MAP_SIZE` pixels on a side, :func:`starclass.science.gradcam.choose_layer`).

    The report took the last feature map whatever its size: 2 x 2 for the galaxy-cluster preset's small CNN
    on its 64 px stamps, whose Grad-CAM, upsampled, is a tilted plane (its radial profile flat to 1e-8),
    where ``explain`` on the same model and cutouts drew its 8 x 8 layer.
    """
    import torch

    from starclass.science.gradcam import choose_layer

    model, stamps, _ = inputs
    return choose_layer(model, torch.as_tensor(np.asarray(stamps[:1], np.float32)))


def _gradcam_section(inputs, model_classes: Sequence[int], class_names: dict[int, str] | None = None
                     ) -> Section | None:
    """Grad-CAM of (network, stamps [N, B, S, S], classes), or None.

    Panels are titled with the class names (``class_names``, else the numbers) and drawn as
    the stamps are oriented (``inputs.origin``: cutout files row 0 at the top, as the gallery
    of mistakes; mosaic stamps y up).
    """
    if inputs is None:
        return None
    # science.gradcam imports torch: 13-19 s measured on the shared machine, paid only with Grad-CAM
    s = Section("Grad-CAM", key="gradcam")
    choice = _gradcam_layer(inputs)
    stamps, classes, maps, avg, prof, n_masked = _gradcam_maps(inputs, model_classes, layer=choice.module)
    order = np.concatenate([np.flatnonzero(classes == k)[:2] for k in np.unique(classes)])
    show = stamps[order].mean(axis=1)
    # "1 cluster", as every other figure of the page names the class (figure_names): the profiles' legend and the
    # mean maps said "cluster" alone (until 2026-12-07)
    names = (figure_names(EvalTask.from_classes(tuple(int(k) for k in class_names),
                                                class_names=[str(v) for v in class_names.values()]))
             if class_names else {})
    image_origin = getattr(inputs, "origin", "lower")
    # the radii in arcsec where the scale is known, as starclass explain draws them (the report's were in px)
    scale = getattr(inputs, "pixel_scale", None)
    s.figure("gradcam", F.fig_gradcam(show, maps[order], [f"pred {F.shown_name(int(c), names)}"
                                                          for c in classes[order]], avg, prof,
                                      f"Grad-CAM at layer {choice.name} ({choice.size[0]}x{choice.size[1]} map)",
                                      names=names, origin=figure_origin(image_origin), pixel_scale=scale),
             "Top: examples, titled with their predicted class (stamp mean over bands, Grad-CAM overlaid; scale bar "
             f"in the first: {F.scale_bar_length(scale, int(show.shape[-1]))[1]}"
             + (f", at {scale:g}\"/px" if scale else ", the model records no pixel scale") + "). "
             "Bottom: mean map per predicted class and radial profiles. "
             f"Layer {choice.name}, as starclass explain chooses it: {choice.reason}. " + _zero_maps_caption(maps)
             + _no_data_caption(n_masked, len(maps))
             + _origin_caption(image_origin))
    rows = [(int(k), float(ri), float(ri) * float(scale or 1.0), float(pi))
            for k, (r, p) in prof.items() for ri, pi in zip(r, p)]
    tab = Table(rows=rows or None, names=("class", "radius_px", "radius_arcsec", "mean_gradcam"),
                dtype=(int, float, float, float))
    if scale:
        tab["radius_arcsec"].unit = "arcsec"
    else:
        del tab["radius_arcsec"]  # no scale known: pixels only, as the figure's axis says
    s.table("gradcam_profiles", tab, "Radial profiles of the mean maps"
            + (f" (radius_arcsec at {scale:g}\"/px, the figure's unit)." if scale else "."))
    return s


#: What the ``row`` of :func:`mistakes_table` counts: it was captioned "row of the classified output", and
#: row 80 of the table was line 82 of the CSV, the 81st row of a spreadsheet
MISTAKE_ROW = "0-based row of the classified output: 0 is the first row below the header"
#: The ``row`` of :func:`mistakes_table` when the output has its own ``row`` column (``train --cv``'s
#: cv_predictions.ecsv): the output leaves out blank cutouts, so its row 4 was row 5 of the labels CSV
MISTAKE_INPUT_ROW = ("0-based row of the labelled input (the labels CSV or catalogue), from the output's 'row' "
                     "column: 0 is the first row below the header")
MISTAKE_OUTPUT_ROW = "0-based row of the classified output itself"


def _input_rows(t: Table) -> np.ndarray | None:
    """The output's own ``row`` column (the labelled input's rows), or None when it has none usable."""
    if "row" not in t.colnames:
        return None
    values = np.asarray(t["row"])
    if values.dtype.kind not in "iu" or np.ma.is_masked(t["row"]):
        return None
    return values


def mistakes_table(ev: Evaluation, n: int = 16) -> Table:
    """The most confident wrong predictions of a prediction against its own ``class_ref``.

    Rows where ``class_pred`` differs from the reference class (after the task's reference
    map; unclassified rows left out), sorted by the probability of the predicted class, highest
    first: the worst mistakes.

    Parameters
    ----------
    ev
        An evaluation whose prediction has ``class_ref`` (e.g. from ``label_column``) and
        ``prob_<k>`` columns.
    n
        Rows to keep.

    Returns
    -------
    astropy.table.Table
        ``row`` (0-based row of the prediction; where the prediction has its own integer
        ``row`` column, as ``train --cv``'s ``cv_predictions.ecsv``, that column's value: the
        row of the labels CSV, and ``output_row`` beside it), ``file`` when present, the label
        column's text when present (the ``--label-column`` scored against, else ``label``), ``class_ref``,
        ``class_pred`` and ``prob_pred``.

    Examples
    --------
    >>> t = Table({"file": ["a", "b", "c"], "class_pred": [1, 2, 2], "class_ref": [1, 1, 1],
    ...            "prob_1": [0.9, 0.4, 0.1], "prob_2": [0.1, 0.6, 0.9]})
    >>> mistakes_table(evaluate_catalogs(t, task="galaxy-cluster", n_boot=0))["file"].tolist()
    ['c', 'b']
    """
    t = ev.catalogues[ev.pred_name]
    if CLASS_REF not in t.colnames or CLASS_PRED not in t.colnames:
        raise StarclassError(f"{ev.shown(ev.pred_name)}: a gallery of mistakes needs class_pred and class_ref (or "
                             "--label-column)")
    pcols = [prob_col(k) for k in ev.task.classes]
    if not all(c in t.colnames for c in pcols):
        raise StarclassError(f"{ev.shown(ev.pred_name)}: a gallery of mistakes needs the columns {pcols}")
    pred = task_labels(t, CLASS_PRED, ev.task, ev.pred_name)
    ref = task_labels(t, CLASS_REF, ev.task, ev.pred_name)
    probs = np.column_stack([np.asarray(t[c], float) for c in pcols])
    conf = np.full(len(t), np.nan)
    known = np.isin(pred, ev.task.classes)
    conf[known] = probs[np.flatnonzero(known), [ev.task.classes.index(k) for k in pred[known]]]
    wrong = np.flatnonzero(known & (ref > 0) & (pred != ref))
    rows = wrong[np.argsort(-conf[wrong], kind="stable")][:n]
    out = Table()
    input_rows = _input_rows(t)
    if input_rows is None:
        out["row"] = rows
        # 0-based, as the row columns of starclass's tables are; the report's messages count from 1, so it is said
        out["row"].description = MISTAKE_ROW
    else:
        # cv_predictions.ecsv leaves out blank (unclassified) cutouts: after one, the output's row was one less
        # than the labels CSV's row the user looks up; both are named
        out["row"] = input_rows[rows]
        out["row"].description = MISTAKE_INPUT_ROW
        out["output_row"] = rows
        out["output_row"].description = MISTAKE_OUTPUT_ROW
    # the text of the labels scored against (--label-column expert), not the folder's `label` beside them: a row
    # whose expert said galaxy showed `label cluster, class_ref 2`, and no column said where class 2 came from
    for c in ("file", ev.label_column or "label"):
        if c in t.colnames:
            out[c] = np.asarray(t[c]).astype(str)[rows]
    out[CLASS_REF] = ref[rows]
    out[CLASS_PRED] = pred[rows]
    out["prob_pred"] = conf[rows]
    out["prob_pred"].format = ".3f"
    return out


def gallery_pixel_scale(cutouts: CutoutSet, gradcam_inputs: Any = None) -> tuple[float | None, str]:
    """Arcsec per drawn pixel of a cutout folder's gallery, and where it comes from; (None, reason) if unknown.

    The cutouts' FITS WCS (as :func:`starclass.science.gradcam.cutout_pixel_scale` finds it, at the width
    the gallery draws), else the model's: its task's ``pixel_scale`` is per model-input pixel, the
    cutout resampled over its whole field to the stamp size, so a drawn pixel covers it times the
    stamp size over the drawn width (m31-real: 0.374"/px at 64 px, a 128 px PAndAS cutout 0.187"/px).

    Examples
    --------
    >>> from starclass.io.cutout_folders import CutoutSet
    >>> cut = CutoutSet(images=np.zeros((1, 1, 128, 128), np.float32), table=Table(), files=["a.png"],
    ...                 labels=None, groups=np.array(["a"]))
    >>> gallery_pixel_scale(cut)
    (None, 'no pixel scale known (no FITS WCS in the cutouts, no --model): the bar counts pixels')
    """
    from starclass.io.cutout_folders import cutout_fields

    width = int(cutouts.images.shape[-1])
    # science.gradcam.cutout_pixel_scale's rule (the median field over the drawn width), without its torch import
    # (13-19 s), which a report without --model does not otherwise pay
    fields = cutout_fields(cutouts) if width and len(cutouts) else []
    scale = float(f"{float(np.median(fields)) / width:.10g}") if fields else None
    if scale:
        return float(scale), f"{scale:.4g}\"/px, from the cutouts' FITS WCS"
    per_input = getattr(gradcam_inputs, "pixel_scale", None)
    if per_input and gradcam_inputs is not None:
        stamp = int(np.shape(gradcam_inputs.inputs)[-1])
        return (float(per_input) * stamp / width,
                f"{per_input * stamp / width:.4g}\"/px, from the model's pixel scale ({per_input:g}\"/px at its "
                f"{stamp} px inputs)")
    return None, ("no pixel scale known (no FITS WCS in the cutouts, no --model): the bar counts pixels"
                  if gradcam_inputs is None else "no pixel scale known (no FITS WCS in the cutouts, none in the "
                  "model): the bar counts pixels")


def _mistakes_section(ev: Evaluation, cutouts, n: int = 16, gradcam_inputs: Any = None) -> Section:
    """Gallery of the most confident wrong predictions, with the cutouts (read from the folder).

    Its first panel carries a scale bar (:func:`gallery_pixel_scale`: the cutouts' WCS, else the model's scale
    from ``gradcam_inputs``).
    """
    s = Section("Worst mistakes: the most confident wrong predictions", key="mistakes")
    try:
        worst = mistakes_table(ev, n)
    except StarclassError as exc:
        s.note(f"no gallery of mistakes: {exc}")
        return s
    if len(worst) == 0:
        s.text("No wrong prediction: nothing to show.")
        return s
    t = ev.catalogues[ev.pred_name]
    where = cutout_rows(t[worst["output_row" if "output_row" in worst.colnames else "row"]], cutouts,
                        name=ev.pred_name)
    names = dict(zip(ev.task.classes, ev.task.class_names))
    images = cutouts.images[where].mean(axis=1)
    # three lines each, the probability on its own: "pred cluster (0.53)" fitted one line and "pred non-cluster
    # (0.58)" two, titles of two and three lines side by side
    titles = [f"true {names.get(int(r), r)}\npred {names.get(int(p), p)}\n({q:.2f})"
              for r, p, q in zip(worst[CLASS_REF], worst[CLASS_PRED], worst["prob_pred"])]
    image_origin = cutouts.origin(where)
    # a folder of mixed sizes (cool-core) is drawn resampled: a 48 px cutout beside a 64 px one, both at one size
    native = sorted(set(getattr(cutouts, "native_sizes", None) or ()))
    sizes = (f" The folder's cutouts are of {len(native)} sizes ({', '.join(f'{k} px' for k in native)}), each drawn "
             f"resampled over its whole field to {cutouts.images.shape[-1]} px." if len(native) > 1 else "")
    s.text(f"The {len(worst)} wrong predictions with the highest probability of the predicted class, "
           f"from {cutouts.source} (the mean over channels when there are several). " + _origin_caption(image_origin)
           + sizes)
    scale, scale_said = gallery_pixel_scale(cutouts, gradcam_inputs)
    bar = F.scale_bar_length(scale, int(images.shape[-1]))[1]
    fig = F.fig_gallery(images, titles, "most confident mistakes", origin=figure_origin(image_origin),
                        pixel_scale=scale)
    # a title too long for its panel (long class names) is cut short in the figure: said whole here
    cut = "".join(f" Cutout {i + 1}: {full}." for i, full in F.cut_titles(fig))
    s.figure("mistakes", fig, "True and predicted class; in brackets the probability of the predicted class. "
             f"Scale bar (first cutout): {bar} ({scale_said})."
             + (f" Titles cut short (\u2026) in full:{cut}" if cut else ""))
    rows_caption = (f"row ({MISTAKE_INPUT_ROW}), output_row ({MISTAKE_OUTPUT_ROW})" if "output_row" in worst.colnames
                    else f"row ({MISTAKE_ROW})")
    # the columns named as the table has them: "label, classes" beside columns expert and class_ref said neither
    # which labels were scored against nor which class is whose
    text = ev.label_column or "label"
    said = f", {text} (the labels scored against)" if text in worst.colnames else ""
    s.table("mistakes", worst, f"The same rows: {rows_caption}, file{said}, class_ref (the reference class"
            + (f", read from {text}" if text in worst.colnames and text != CLASS_REF else "")
            + f"), class_pred (the class scored: {ev.pred_column}), prob_pred (its probability).")
    return s


#: A part of the report that took at least this long (seconds) says so in a progress line: the demo's
#: report step (17-37 s) said nothing between "[6/6] writing the report ..." and its end
LONG_PART_S = 3.0


#: When the build_report running in this context began (time.monotonic), for its parts' "in all"
_REPORT_START: contextvars.ContextVar[float | None] = contextvars.ContextVar("report_start", default=None)


class _Parts:
    """Says each long part of the report as it ends (``always``: any part), on the progress lines' logger.

    Quiet unless shown (the command line's log), and with ``quiet`` (``layout(progress=False)``). Each line
    starts with ``title``, the command whose log it is (``report``, ``evaluate``).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic, quiet: bool = False,
                 title: str = "report") -> None:
        self.clock = clock
        self.quiet = quiet
        self.title = title
        self.start = self.last = clock()
        if clock is time.monotonic and _REPORT_START.get() is not None:
            self.start = _REPORT_START.get()  # "in all" since build_report began, the evaluation included

    def done(self, what: str, *, always: bool = False) -> None:
        now = self.clock()
        if not self.quiet and (always or now - self.last >= LONG_PART_S):
            logging.getLogger(LOGGER).info("%s: %s, %s (%s in all)", self.title, what, duration(now - self.last),
                                           duration(now - self.start))
        self.last = now

    def skip(self) -> None:
        """Start the next part now: the time since the last one was said by others."""
        self.last = self.clock()


def layout(ev: Evaluation, *, radius: float = 2.0, n_boot: int = 200, distance_mpc: float | None = None,
           science: bool = True, gradcam_inputs: Any = None, cutouts: Any = None,
           ssp: str | Path | None = None, mag_limit: float | None = None, mass_kind: str | None = None,
           progress: bool | None = None, said_as: str = "report") -> list[Section]:
    """Report sections of a computed evaluation.

    Parameters
    ----------
    ev
        The result of :func:`starclass.evaluate.compare.evaluate_catalogs`.
    radius, n_boot
        As used for ``ev`` (they appear in captions).
    distance_mpc
        Distance for the science checks (absolute-magnitude limits).
    science
        Add the colour-colour, luminosity, mass and age sections (PHANGS classes only).
    gradcam_inputs
        Optional (network, stamps, classes) for the Grad-CAM section.
    cutouts
        Optional :class:`~starclass.io.cutout_folders.CutoutSet` the prediction was classified
        from: adds the gallery of the worst mistakes (:func:`mistakes_table`).
    ssp
        SSP model table for the colour-colour track and the mass limits
        (:func:`starclass.science.ssp.load_ssp`; default: the packaged Z = 0.020 one).
    mag_limit
        The catalogues' faint limit (apparent V magnitude, Vega) for the mass-completeness curve of
        the mass-age diagram (default: each catalogue's 90th percentile of its V magnitudes).
    mass_kind
        ``"stellar"`` or ``"formed"``: which mass the catalogues' ``mass`` columns are (``--mass-kind``), for
        the mass limits and the completeness curve; it overrides what a catalogue says (``meta['mass_kind']``)
        and, where it says nothing, the mass formed the limits otherwise assume. The written tables keep it.
    progress
        None (default): each science check says a line as it ends, and a section that took
        :data:`LONG_PART_S` or more too, on :data:`starclass.io.progress.LOGGER` (shown in the command
        line's log; quiet in Python unless a handler takes INFO), with "still working" lines while one
        check goes on; False: none; True: a bar of the sections drawn (a science check counts as one), the
        lines left to a log.
    said_as
        The command those lines are of, their first word: ``"report"`` (:func:`build_report`) or
        ``"evaluate"`` (:func:`run_evaluation`), so that a log says which one is working.

    Returns
    -------
    list of Section

    Examples
    --------
    >>> t = Table({"class_pred": [1, 2, 2], "class_ref": [1, 2, 1]})
    >>> [s.key for s in layout(evaluate_catalogs(t, task="galaxy-cluster", n_boot=0))]
    ['catalogues', 'metrics_prediction class_ref']
    """
    if distance_mpc is not None:
        check_distance_mpc(distance_mpc)  # the bound of --distance, before any reading
    parts = _Parts(quiet=progress is False, title=said_as)
    sections = [_catalogue_section(ev)]
    science_checks = bool(science and ev.task.phangs_like)
    # at a terminal a bar of the sections, each drawing its figures (9.6 s of a small field's evaluate without a
    # word until 2026-12-06); the log keeps its lines of the long ones below, and gets no bar
    total = (sum(1 + (c.scores is not None) + (c.trust is not None) + bool(c.by) + (c.agreement is not None)
                 for c in ev.comparisons)
             + (ev.agreement_table is not None or ev.agreement_table_note is not None) + bool(ev.humans)
             + (len(SCIENCE_CHECKS) if science_checks else 0) + (cutouts is not None) + (gradcam_inputs is not None))
    bar = Progress(total, desc=f"{said_as}: drawing the sections", noun="section", show=bool(progress))

    def add(section: Section) -> None:
        sections.append(section)
        bar.update(1)
        parts.done(f"section '{section.title}'")

    with bar:
        _add_sections(ev, add, sections, parts, bar, radius=radius, n_boot=n_boot, distance_mpc=distance_mpc,
                      science_checks=science_checks, science=science, gradcam_inputs=gradcam_inputs,
                      cutouts=cutouts, ssp=ssp, mag_limit=mag_limit, mass_kind=mass_kind, progress=progress,
                      said_as=said_as)
    return sections


def _add_sections(ev: Evaluation, add: Callable[[Section], None], sections: list[Section], parts: _Parts,
                  bar: Progress, *, radius: float, n_boot: int, distance_mpc: float | None, science_checks: bool,
                  science: bool, gradcam_inputs: Any, cutouts: Any, ssp: str | Path | None, mag_limit: float | None,
                  mass_kind: str | None, progress: bool | None, said_as: str) -> None:
    """The sections of :func:`layout` after the first, each given to ``add`` as it is drawn."""
    for c in ev.comparisons:
        add(_metrics_section(c, ev.task, n_boot))
        if c.scores is not None:
            add(_curves_section(c, ev.task, several=len(ev.comparisons) > 1))
        if c.trust is not None:
            add(_trust_section(c))
        if c.by:
            add(_groups_section(c, ev.task))
        if c.agreement is not None:
            add(_agreement_section(c, ev.task))
    for extra in (_table1_section(ev, radius), _human_section(ev)):
        if extra is not None:
            add(extra)
    if science_checks:
        # one line a check, by name (the page's three took 17-37 s together, said in one line); the Progress
        # adds only its "still working" lines, while one check goes on
        checks = Progress(len(SCIENCE_CHECKS), desc=f"{said_as}: science checks", noun="check",
                          show=None if progress is not False else False, still_working_only=True)

        def checked(title: str) -> None:
            checks.update(1)
            bar.update(1)
            parts.done(f"science check {checks.n} of {checks.total}, '{title}'", always=True)

        with checks:
            sections += _science_sections(ev.catalogues, ev.class_cols, distance_mpc, radius, ev.pred_name,
                                          common=ev.common, common_note=ev.common_note, shown=_shown_columns(ev),
                                          columns_of=_two_columns_of_one(ev), ssp=ssp, faint_limit=mag_limit,
                                          mass_kind=mass_kind, checked=checked, said=ev.shown, files=ev.files,
                                          task=ev.task)
    elif science:
        # "use the PHANGS classes 1-4; task galaxy-cluster has classes [1, 2]: left out" on every galaxy-cluster,
        # cool-core or open-globular page read as if something were missing from the user's own task
        sections[0].note(science_checks_note(ev.task.name))
    if cutouts is not None:
        add(_mistakes_section(ev, cutouts, gradcam_inputs=gradcam_inputs))
    g = _gradcam_section(gradcam_inputs, ev.task.classes, dict(zip(ev.task.classes, ev.task.class_names)))
    if g is not None:
        add(g)


def evaluate_sections(pred: Table | str | Path, references: ReferencesLike | None = None, *, radius: float = 2.0,
                      distance_mpc: float | None = None,
                      n_boot: int = 200, target_purity: float = 0.8, pred_name: str = "prediction",
                      quantities: Sequence[str] = ("magnitude", "crowding", "bkg"), science: bool = True,
                      gradcam_inputs: Any = None, task: Any = None, label_column: str | None = None,
                      model: Any = None, cutouts: Any = None, by: Sequence[str] = (),
                      by_min_rows: int = 10, pred_column: str | None = None,
                      allow_few_matches: bool = False, reference_column: str | None = None,
                      group_column: str | None = None, ssp: str | Path | None = None,
                      mag_limit: float | None = None, progress: bool | None = None,
                      file_column: str | None = None, mass_kind: str | None = None,
                      pred_table: Table | None = None) -> list[Section]:
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
        Optional (torch model, stamps, classes) for the Grad-CAM section, or a function of no
        arguments returning them, called only after the evaluation has passed (a report refused
        there, e.g. for too few pairs, never loads the model).
    task
        Preset name, config path or TaskConfig; None: the task recorded in ``pred``'s meta
        (:func:`starclass.evaluate.task.resolve_task`).
    label_column, model
        As :func:`starclass.evaluate.compare.evaluate_catalogs` (label strings as the reference;
        the task saved with a model).
    cutouts
        The cutout folder ``pred`` was classified from (a gallery of the worst mistakes).
    by, by_min_rows
        Columns to split the metrics by (:func:`starclass.evaluate.groups.metrics_by_group`), and
        the smallest group shown on its own.
    pred_column
        The column scored as the prediction (default ``class_pred``; e.g. ``class_joint``), as
        :func:`starclass.evaluate.compare.evaluate_catalogs`.
    allow_few_matches
        Score a reference that pairs with under 5% of the smaller table (refused otherwise), as
        :func:`starclass.evaluate.compare.evaluate_catalogs`.
    reference_column
        The references' class column (default ``class_ref``; of ``pred`` itself when it is its own
        reference), as :func:`starclass.evaluate.compare.evaluate_catalogs`.
    group_column
        Column naming each row's object: the bootstrap intervals resample whole objects (default: the one
        ``classify --stamps`` recorded in ``pred``'s meta, where it has the column), as
        :func:`starclass.evaluate.compare.evaluate_catalogs`.
    ssp
        SSP model table of the science sections, as :func:`layout`.
    mag_limit
        Faint limit of the mass-completeness curve, as :func:`layout`.
    mass_kind
        Which mass the catalogues' masses are, ``"stellar"`` or ``"formed"`` (``--mass-kind``), as
        :func:`layout`.
    file_column
        The column of image files cutout tables are paired by, where it is not ``file`` (as
        :func:`starclass.evaluate.compare.evaluate_catalogs`).
    progress
        None (default): timed lines of each comparison's bootstrap (:func:`evaluate_catalogs`) and of
        the science checks (:func:`layout`), shown in the command line's log; False: none; True: bars of the
        bootstraps and of the sections, and a line before Grad-CAM's model is loaded.
    pred_table
        The catalogue already read from the file ``pred`` (:func:`build_report`'s own read): used as it is,
        as :func:`starclass.evaluate.compare.evaluate_catalogs`.

    Returns
    -------
    list of Section

    Examples
    --------
    >>> t = Table({"class_pred": [1, 2, 2], "class_ref": [1, 2, 1]})
    >>> len(evaluate_sections(t, task="galaxy-cluster", n_boot=0))
    2
    """
    if distance_mpc is not None:
        check_distance_mpc(distance_mpc)  # the bound of --distance, before any reading
    ev = evaluate_catalogs(pred, references, task=task, radius=radius, n_boot=n_boot, target_purity=target_purity,
                           pred_name=pred_name, quantities=quantities, label_column=label_column, model=model,
                           by=by, by_min_rows=by_min_rows, pred_column=pred_column,
                           allow_few_matches=allow_few_matches, reference_column=reference_column,
                           group_column=group_column, progress=progress, file_column=file_column,
                           pred_table=pred_table)
    if callable(gradcam_inputs):
        # the model, torch (13-19 s to import, measured) and the stamps: no count to draw a bar of
        say_step("report: loading the model and its stamps for Grad-CAM ...", progress)
        gradcam_inputs = gradcam_inputs()
    return layout(ev, radius=radius, n_boot=n_boot, distance_mpc=distance_mpc, science=science,
                  gradcam_inputs=gradcam_inputs, cutouts=cutouts, ssp=ssp, mag_limit=mag_limit, mass_kind=mass_kind,
                  progress=progress)


# What run_evaluation writes in its folder, defined in the package's __init__: the command line checks its output
# with it before importing this module (4 s: matplotlib, scikit-learn), after its first line at a terminal
from starclass.report import EVALUATION_ENTRIES  # noqa: E402


def _paired_count(c: Comparison) -> str:
    """How many rows paired and how many of them are classified in both: the terminal's line of each comparison.

    With a group column naming fewer objects than rows (several cutouts of one), the rows are called
    rows and the objects counted: "869 objects paired" beside "resample the 755 objects" read as a slip.
    """
    both = f"{c.n_both} classified in both"
    if c.n_without_task_label:
        # rows of a label column left out for their labels (none, or one the task does not know) were counted
        # out of "classified in both", as if the model had not classified them
        unclassified = c.n_paired - c.n_without_task_label - c.n_both
        both = (f"{c.n_both} {'classified and ' if unclassified else ''}with a label of the task "
                f"({c.n_without_task_label} without one left out)")
    if c.n_objects is not None and c.n_objects < c.n_both:
        return f"{counted(c.n_paired, 'row')} paired {c.paired_by}, {both} ({counted(c.n_objects, 'object')})"
    return f"{counted(c.n_paired, _rows_noun(c))} paired {c.paired_by}, {both}"


def _rows_noun(c: Comparison) -> str:
    """What a scored row of ``c`` is called: "row" where rows repeat objects (several cutouts of one) or may
    (``rows_not_objects``: a column like ``id`` repeats, no group column given), else "object"."""
    if c.rows_not_objects:
        return "row"
    return "row" if c.n_objects is not None and c.n_objects < c.n_both else "object"


def _rows_words(c: Comparison, n: int) -> str:
    """``n`` scored rows in words: rows where they repeat objects (several cutouts of one), else objects."""
    return counted(n, _rows_noun(c))


def _said(c: Comparison) -> str:
    """How the terminal names comparison ``c``: as the report's headings and the bootstrap's progress line do,
    ``humans vs truth``, or for two columns of one catalogue (``-r self``) ``class_pred vs class_ref in cat``.

    The terminal printed "prediction class_ref: accuracy ..." where the report's sections read
    "class_pred vs class_ref in prediction: metrics" (and with ``--pred-column class_joint`` it
    still said class_ref, not what was scored); and until 2026-12-07 "truth: accuracy[4class] = 0.800"
    under "bootstrap (humans vs truth)", naming the reference alone, as if it were the catalogue scored.
    """
    return c.heading()


def decision_line(meta: dict, task: EvalTask, columns: Sequence[str] = ()) -> str | None:
    """Which threshold decided a classified catalogue's ``class_pred``, and where it came from; None: none did.

    ``classify --threshold 0.4`` (or a model's ``train --target-purity`` threshold) records the
    threshold in the output's meta (``threshold``, ``threshold_source``, ``positive_class``);
    ``evaluate`` scored that ``class_pred`` without a word of it, so its accuracies read as those
    of the most probable class.

    Parameters
    ----------
    meta
        The classified catalogue's meta.
    task
        The task evaluated: names the classes.
    columns
        The catalogue's columns: the threshold is compared with ``prob_<k>_raw`` where there is one
        (a calibrated output), as classify compares it.

    Examples
    --------
    >>> t = EvalTask.from_classes((1, 2), class_names=["cluster", "galaxy"], positive_class=1)
    >>> decision_line({"threshold": 0.4, "positive_class": 1, "threshold_source": "--threshold"}, t,
    ...               ["prob_1", "prob_1_raw"])
    "class_pred decided by classify's threshold 0.4 (--threshold): 1 (cluster) where prob_1_raw >= 0.4, \
else 2 (galaxy)"
    >>> decision_line({}, t) is None
    True
    """
    thr, positive = meta.get("threshold"), meta.get("positive_class")
    if thr is None or positive is None:
        return None
    try:
        thr, positive = float(thr), int(positive)
    except (TypeError, ValueError):
        return None  # a meta written by hand with other values: said nothing of, as before
    names = class_labels(task.classes, task.class_names)
    raw = f"prob_{positive}_raw"
    col = raw if raw in columns else prob_col(positive)
    others = ", ".join(names.get(int(c), str(c)) for c in task.classes if int(c) != positive)
    source = meta.get("threshold_source") or "source not recorded"
    return (f"class_pred decided by classify's threshold {thr:g} ({source}): {names.get(positive, str(positive))} "
            f"where {col} >= {thr:g}" + (f", else {others}" if others else ""))


def scored_lines(scored: str | None) -> list[str]:
    """The "scored column ..." line as evaluate prints it: each note it carries on a line of its own.

    The notes ride on the one line (``"...; note: class_ref, the hybrid class, is class_ml itself on 654 rows
    ..."``), where a reader of the terminal took them for the tail of "no ROC, threshold or calibration figures";
    said apart they read as the caveats they are (found walking docs/evaluation.md, 2026-12-06).

    Parameters
    ----------
    scored : str or None
        :attr:`starclass.evaluate.compare.Evaluation.scored`.

    Returns
    -------
    list of str

    Examples
    --------
    >>> for line in scored_lines("scored column class_ml of a.tab, class_ml has no probabilities; note: class_ref, "
    ...                          "the hybrid class, is class_ml itself on 654 rows"):
    ...     print(line)
    scored column class_ml of a.tab, class_ml has no probabilities
    note: class_ref, the hybrid class, is class_ml itself on 654 rows
    >>> scored_lines(None)
    []
    """
    if not scored:
        return []
    head, *notes = scored.split("; note: ")
    return [head, *(f"note: {n}" for n in notes)]


def run_evaluation(pred: Table | str | Path, references: ReferencesLike | None = None,
                   outdir: str | Path = "evaluation", *, overwrite: bool = False, **kwargs: Any) -> dict:
    """Evaluate and write every table (ECSV) and figure (PNG) under ``outdir``.

    Keyword arguments are those of :func:`evaluate_sections`, but ``progress`` defaults to False (nothing
    said); ``starclass evaluate`` gives None: timed lines in its log of each comparison's bootstrap
    (:func:`starclass.evaluate.compare.evaluate_catalogs`), of each science check and long section
    (:func:`layout`, titled ``evaluate: ...``) and of the folder written where that took long. Returns a
    dict with the written paths, the headline numbers (as in ``summary.json``, 4 decimals) and ``accuracies``, the same
    unrounded, ``ssp``, the SSP table the colour-colour figures' track was drawn from (None
    where no track was drawn), and ``science_drawn``, whether a science check drew a figure or wrote a table.
    The folder is written beside ``outdir`` and moved into place as a whole (:func:`starclass.io.atomic.atomic_dir`): an
    existing non-empty ``outdir`` is replaced only with ``overwrite`` (its older tables and
    figures go with it), and never when it holds files other than :data:`EVALUATION_ENTRIES`.

    Examples
    --------
    Not run as a doctest (``+SKIP``): it draws and writes some twenty-five figures, seconds even for
    200 synthetic objects (``tests/test_report_build.py`` runs it). On those (70 % of the
    predictions right by construction; files or tables alike):

    >>> from starclass.datasets.catalogs import fake_catalogs
    >>> pred, truth = fake_catalogs(200, seed=0)
    >>> run_evaluation(pred, {"truth": truth}, "evaluation")["headline"]  # doctest: +SKIP
    {'truth': {'4class': 0.755, '12v34': 0.935, '123v4': 0.83, '12_3_4': 0.81}}
    """
    if kwargs.get("distance_mpc") is not None:
        check_distance_mpc(kwargs["distance_mpc"])  # the bound of --distance, before any reading
    outdir = Path(outdir)
    layout_keys = ("distance_mpc", "science", "gradcam_inputs", "cutouts", "ssp", "mag_limit", "mass_kind")
    lk = {k: kwargs.pop(k) for k in layout_keys if k in kwargs}
    progress = kwargs.get("progress", False)
    parts = _Parts(quiet=progress is False, title="evaluate")
    started = _REPORT_START.set(parts.start)  # the sections' "in all" counts the evaluation too
    try:
        ev = evaluate_catalogs(pred, references, **kwargs)
        # the sections' lines (science checks, long sections: their figures are drawn there) say evaluate's
        # name: with progress=False here until 2026-12-06, `starclass evaluate > log` was silent through them
        sections = layout(ev, radius=kwargs.get("radius", 2.0), n_boot=kwargs.get("n_boot", 200), progress=progress,
                          said_as="evaluate", **lk)
    finally:
        _REPORT_START.reset(started)
    parts.skip()  # the evaluation and the sections said their own lines
    # keyed as the summary_<reference> tables are named (what summary.json always held)
    summary = {slug(k): v for k, v in ev.headline().items()}
    with atomic_dir(outdir, overwrite=overwrite, own=EVALUATION_ENTRIES) as tmpdir:
        in_tmp = write_sections(sections, tmpdir, written_by="starclass evaluate",
                                overwrite=True)  # a fresh temporary folder (atomic_dir)
        # the paths recorded and returned are where the files will be, not the temporary folder
        written = {k: [outdir / p.relative_to(tmpdir) for p in v] for k, v in in_tmp.items()}
        with atomic_path(tmpdir / "summary.json") as tmp:
            trust = {slug(c.ref_name): c.trust.to_dict() for c in ev.comparisons if c.trust is not None}
            # which column was scored (evaluate --pred-column): the headline alone did not say
            # and against which: `--label-column expert` is read into class_ref, which summary.json did not say
            tmp.write_text(json.dumps({"headline": summary, "prediction_column": ev.pred_column,
                                       "reference_columns": {slug(c.ref_name): ev.reference_column(c)
                                                             for c in ev.comparisons},
                                       "task": ev.task.to_meta(), "trust": trust,
                                       "tables": [str(p) for p in written["tables"]],
                                       "figures": [str(p) for p in written["figures"]]}, indent=1))
    # only where it was long: the "wrote N tables and M figures" line on stdout follows at once (always said, the
    # line came first in every evaluate's output, above the task line scripts and tests read first)
    parts.done(f"the folder ({counted(len(written['tables']), 'table')}, {counted(len(written['figures']), 'figure')})"
               " written")
    # how the rows were paired is printed: sky or pixels, by file or by row, changes what is compared
    details = list(ev.named) + scored_lines(ev.scored) + [line for c in ev.comparisons
               for line in [f"{_said(c)}: {_paired_count(c)}",
                            *c.lines()]]
    by_lines = [line for c in ev.comparisons for col, (tab, note) in c.by.items()
                for line in group_lines(tab, f"{_said(c)} by {col}" + (f" ({note})" if note else ""), _rows_noun(c))]
    # unrounded, for printing: the headline's 4 decimals printed with 3 rounded twice (27/132 gave
    # "accuracy[4class] = 0.204" above the details' "accuracy 0.205")
    exact = {slug(c.ref_name): {r.merge: float(r.accuracy) for r in c.results} for c in ev.comparisons}
    # the references as the lines below name them (the keys above are file-name slugs)
    names = {slug(c.ref_name): _said(c) for c in ev.comparisons}
    ptab = ev.catalogues.get(ev.pred_name)
    # the threshold classify decided class_pred with (its meta): the accuracies are those of that decision
    decision = (decision_line(dict(ptab.meta), ev.task, ptab.colnames)
                if ptab is not None and ev.pred_column == CLASS_PRED and not ev.scored else None)
    return {"outdir": outdir, "headline": summary, "accuracies": exact, "reference_names": names,
            "task": ev.task, "task_note": ev.task_note, "details": details, "decision": decision,
            "by_lines": by_lines,
            # whether a science check drew a figure or wrote a table: evaluate's 'next:' report command carries
            # --no-science where none did (none asked for, a task of other classes, a catalogue without magnitudes)
            "science_drawn": any(it.kind in ("figure", "table") for sec in sections if sec.title in SCIENCE_CHECKS
                                 for it in sec.items),
            # the SSP table the colour-colour figures were drawn with (None: no track drawn)
            "ssp": next((sec.meta["ssp"] for sec in sections if sec.meta.get("ssp")), None), **written}


def group_lines(tab: Table, title: str, noun: str = "row") -> list[str]:
    """Printed lines of a :func:`starclass.evaluate.groups.metrics_by_group` table.

    Each group's count (the table's ``n``) is said with ``noun``, what a scored row is (``"object"``, or
    ``"row"`` where rows repeat objects): a bare "n 40" beside "200 resamples of the 20 objects" did not say
    which it counted.

    The last lines say which interval each column has (the table's ``interval_notes``): the
    accuracy's is Wilson's where each row is an object, the bootstrap's over whole objects where a
    group column names them; the ROC AUC's and the recalls' (``recall_<k>``, in the table) are the
    bootstrap's, over the rows or the objects. One line where they are the same. A figure without an
    interval (a group too few resamples draw) is printed without one; a group whose reference is of one
    class has no ROC AUC, and says so.

    Examples
    --------
    >>> from starclass.evaluate.groups import metrics_by_group
    >>> tab, _ = metrics_by_group(np.array([1, 2, 2]), np.array([1, 1, 2]), ["a", "b", "b"], (1, 2))
    >>> print("\\n".join(group_lines(tab, "truth by field")))  # doctest: +NORMALIZE_WHITESPACE
    truth by field:
      a: 1 row, accuracy 1.000 [0.207, 1.000], 0 errors
      b: 2 rows, accuracy 0.500 [0.095, 0.905], 1 error
      (all): 3 rows, accuracy 0.667 [0.208, 0.939], 1 error
      accuracy intervals: 95% Wilson interval
      recall_<k> intervals: 95% bootstrap interval, 200 resamples of the 3 rows; where every resample gave the
      same value, the 95% Wilson interval on the rows behind the figure

    A binary task's table has the ROC AUC of the positive class with its interval:

    >>> rng = np.random.default_rng(0)
    >>> ref = rng.integers(1, 3, 40)
    >>> score = np.clip(np.where(ref == 1, 0.7, 0.3) + rng.normal(0, 0.2, 40), 0, 1)
    >>> tab, _ = metrics_by_group(ref, np.where(score >= 0.5, 1, 2), ["a"] * 40, (1, 2), score=score, positive=1,
    ...                           objects=np.arange(40) // 2, object_column="object_id")
    >>> print("\\n".join(group_lines(tab, "truth by field")))  # doctest: +NORMALIZE_WHITESPACE
    truth by field:
      a: 40 rows, accuracy 0.725 [0.574, 0.850], 11 errors, ROC AUC 0.870 [0.698, 0.970]
      (all): 40 rows, accuracy 0.725 [0.574, 0.850], 11 errors, ROC AUC 0.870 [0.698, 0.970]
      accuracy, ROC AUC and recall_<k> intervals: 95% bootstrap interval, 200 resamples of the 20 objects
      (object_id) drawn whole
    >>> tab, _ = metrics_by_group(ref, np.where(score >= 0.5, 1, 2), np.where(ref == 1, "a", "b"), (1, 2),
    ...                           score=score, positive=1, n_boot=0)
    >>> group_lines(tab, "truth by field", "object")[1]
    '  a: 17 objects, accuracy 0.765 [0.527, 0.904], 4 errors, no ROC AUC (one reference class only)'
    """
    out = [f"{title}:"]
    for r in tab:
        e = int(r["errors"])
        lo, hi = float(r["accuracy_lo"]), float(r["accuracy_hi"])
        ci = f" [{lo:.3f}, {hi:.3f}]" if np.isfinite(lo) and np.isfinite(hi) else ""
        line = (f"  {r['group']}: {counted(int(r['n']), noun)}, accuracy {float(r['accuracy']):.3f}{ci}, "
                f"{e} error{'' if e == 1 else 's'}")
        if "roc_auc" in tab.colnames and np.isfinite(float(r["roc_auc"])):
            line += f", ROC AUC {float(r['roc_auc']):.3f}{_finite_ci(r, 'roc_auc')}"
        elif "roc_auc" in tab.colnames:
            # the ROC AUC needs both sides of the positive class in the reference: a group of clusters only
            # (PAndAS --by source_table: di_tullio_zinn_13_table2) printed none beside its neighbours' without a word
            line += ", no ROC AUC (one reference class only)"
        out.append(line)
    notes = dict(tab.meta.get("interval_notes") or {})
    if not notes and tab.meta.get("interval_note"):  # a table written before the recalls had intervals
        notes = {"accuracy": tab.meta["interval_note"]}
    # the columns of one note said together: "accuracy, ROC AUC and recall_<k> intervals: ..." over objects
    said = {"accuracy": "accuracy", "roc_auc": "ROC AUC", "recall_<k>": "recall_<k>"}
    for text in dict.fromkeys(notes.values()):
        cols = [said.get(c, c) for c in ("accuracy", "roc_auc", "recall_<k>") if notes.get(c) == text]
        out.append(f"  {_joined(cols)} intervals: {text}")
    return out


def _finite_ci(row, col: str) -> str:
    """`` [lo, hi]`` of ``col`` where the row has finite ``<col>_lo``, ``<col>_hi``, else ""."""
    if f"{col}_lo" not in row.colnames:
        return ""
    lo, hi = float(row[f"{col}_lo"]), float(row[f"{col}_hi"])
    return f" [{lo:.3f}, {hi:.3f}]" if np.isfinite(lo) and np.isfinite(hi) else ""


def _joined(words: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _recorded_cutouts_hint(pred: Table | str | Path, pred_name: str) -> str:
    """``"; PRED was classified from ... give --stamps FOLDER"`` for a classified cutout folder recording it, else "".

    ``report out.csv --model M`` on the output of ``classify --stamps`` was refused for its Grad-CAM with "needs
    the mosaics ... or its cutout folder (--stamps)", while ``out.csv`` names that folder in its ``cutout_root``
    column: the user had to find it there. A list in the folder named otherwise than ``labels.csv`` is named.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> hint = _recorded_cutouts_hint(Table({"file": ["a.png"], "cutout_root": [str(folder)]}), "prediction")
    >>> hint.replace(str(folder), "DIR")
    '; prediction was classified from the cutout folder DIR (its cutout_root): give --stamps DIR'
    >>> _ = (folder / "held.csv").write_text("file,label\\na.png,cluster\\n")
    >>> _recorded_cutouts_hint(Table({"file": ["a.png"], "cutout_root": [str(folder)]}), "p").endswith("held.csv")
    True
    >>> _recorded_cutouts_hint(Table({"id": [1], "x": [1.0], "y": [2.0]}), "prediction")
    ''
    """
    from starclass.io.cutout_folders import (
        TABLE_FOLDER,
        folder_label_lists,
        recorded_folder,
        recorded_roots,
        stray_cutout_csvs,
    )

    try:
        table = load_catalog(pred, pred_name)
        roots = recorded_roots(table, pred if isinstance(pred, (str, Path)) else pred_name)
    except StarclassError:
        return ""  # the catalogue's own refusal comes from the evaluation
    if not roots or len(set(roots)) != 1:
        return ""
    folder = recorded_folder(roots[0], Path(table.meta.get(TABLE_FOLDER) or "."))
    if folder is None or not folder.is_dir():
        return ""
    where = pred if isinstance(pred, (str, Path)) else pred_name
    said = f"; {where} was classified from the cutout folder {folder} (its cutout_root): give --stamps "
    # the folder is read through its labels.csv; a list named otherwise is given by its name, else the folder's
    # label sub-folders or images are read (a list of another name beside them would be passed over)
    others = stray_cutout_csvs(folder)
    if folder_label_lists(folder) or not others:  # a hint: the reader refuses two lists that differ
        return said + str(folder)
    if len(others) == 1:
        return said + str(others[0])
    return said + f"with the list of its cutouts there ({', '.join(o.name for o in others)})"


def _read_comparable(pred: str | os.PathLike, references: ReferencesLike | None, pred_name: str,
                     kwargs: dict[str, Any]) -> Table:
    """``pred`` read, and refused now where the evaluation would find nothing to compare (as ``evaluate`` does).

    Its reading warnings are said once (the evaluation is handed the table and does not read it again); the
    check's own (rows without a label) only with its refusal: the evaluation makes the same check and says them.
    """
    from starclass.evaluate.compare import check_comparable

    with warnings.catch_warnings(record=True) as held:
        warnings.simplefilter("always")
        n_read = 0
        try:
            table = load_catalog(pred, pred_name, file_column=kwargs.get("file_column"))
            n_read = len(held)
            check_comparable(pred, references, task=kwargs.get("task"), label_column=kwargs.get("label_column"),
                             model=kwargs.get("model"), pred_column=kwargs.get("pred_column"),
                             reference_column=kwargs.get("reference_column"), file_column=kwargs.get("file_column"),
                             pred_table=table)
        except StarclassError:
            for w in held:  # said with the refusal they explain
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
            raise
    for w in held[:n_read]:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return table


def report_first_line(pred: Table | str | os.PathLike, references: ReferencesLike | None, table: Table, *,
                      reference_column: str | None = None, label_column: str | None = None) -> str:
    """The report's first line: the catalogue reported, its rows, and what it is compared with.

    Parameters
    ----------
    pred
        The catalogue as given (a path is named as given, the one place the report's log names its file).
    references
        As :func:`build_report`: paths, Tables, a mapping of names, ``"self"`` or None.
    table
        ``pred`` as read: its rows are counted, its ``class_ref`` tells whether it is its own reference.
    reference_column, label_column
        As :func:`evaluate_sections`: the column of ``pred`` it is compared with, when it is its own reference.

    Returns
    -------
    str

    Examples
    --------
    >>> t = Table({"class_pred": [1, 2, 2], "class_ref": [1, 2, 1]})
    >>> report_first_line("run/classified.ecsv", ["truth.ecsv", "humans.ecsv"], t)
    "report: run/classified.ecsv, 3 rows, against truth.ecsv and humans.ecsv: pairing with the references, \
bootstrapping and drawing the report's sections ..."
    >>> report_first_line(t, None, t)
    "report: the catalogue given, 3 rows, against its own class_ref: pairing with the references, \
bootstrapping and drawing the report's sections ..."
    """
    if isinstance(references, (str, os.PathLike, Table)):
        given: list[Any] = [references]
    elif isinstance(references, dict):
        given = list(references)  # the names the caller gave them
    else:
        given = list(references or ())
    # a label column is named as one ("its own label" read as a single label)
    own = f"its own {reference_column or 'class_ref'}" if not label_column else f"its own {label_column} column"
    names = [own if isinstance(r, str) and r == "self" else "a table" if isinstance(r, Table) else str(r)
             for r in given]
    if not names:
        # no reference: the catalogue's own class column is compared (or, without one, nothing: the evaluation
        # says why, after this line)
        if not (reference_column or label_column or "class_ref" in getattr(table, "colnames", ())):
            names = []
        else:
            names = [own]
    against = ("with no reference" if not names else "against " + (
        names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]))
    what = str(pred) if isinstance(pred, (str, os.PathLike)) else "the catalogue given"
    return (f"report: {what}, {counted(len(table), 'row')}, {against}: pairing with the references, "
            "bootstrapping and drawing the report's sections ...")


def _read_gradcam_mosaics(mos: Any) -> Any:
    """The mosaics as given, read where they are paths (a folder, or band files); a read set as it is."""
    if isinstance(mos, (str, Path)):
        return read_mosaics(mos, warn_v_band=False)
    if isinstance(mos, (list, tuple)):
        return read_mosaics(list(mos) if len(mos) > 1 else mos[0], warn_v_band=False)
    return mos


def mosaics_of_fields(table: Table, mosaics: Any, name: str) -> Any:
    """The mosaics to cut a classified table's stamps from: each field's own where the table has several.

    A table of several fields (a ``field`` column) holds each field's x, y on its own mosaics: it
    needs a :class:`starclass.io.fields.FieldMosaics` naming every field, and one set of mosaics
    for all of them is refused (until 2026-12-07 every field's stamps were cut from it). A table of
    one field (or none) takes its mosaics as given, or the one field named.

    Parameters
    ----------
    table : astropy.table.Table
        The classified table.
    mosaics
        What ``build_report`` was given: paths, a ``MosaicSet``, or each field's.
    name : str
        The table as the messages name it (its path).

    Returns
    -------
    The mosaics to cut from: each field's (``FieldMosaics``), or one set.

    Raises
    ------
    StarclassError
        Several fields given one set; a field of the table without mosaics; a field named that
        the table does not have.

    Examples
    --------
    >>> t = Table({"field": ["a", "a", "b"], "x": [1.0, 2.0, 3.0]})
    >>> sorted(mosaics_of_fields(t, FieldMosaics({"a": "m/a", "b": "m/b"}), "c.ecsv").by_field)
    ['a', 'b']
    >>> mosaics_of_fields(t, FieldMosaics({"a": "m/a"}), "c.ecsv")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: c.ecsv's field 'b' (1 row) has no mosaics to cut its Grad-CAM stamps from: \
give --mosaics b=DIR beside the others (its mosaics folder, or FIELD=FILE for each band file)
    """
    has = FIELD in getattr(table, "colnames", ())
    fields = list(dict.fromkeys(np.asarray(table[FIELD]).astype(str).tolist())) if has else []
    if not isinstance(mosaics, FieldMosaics):
        if len(fields) > 1:
            shown = ", ".join(fields[:4]) + (" ..." if len(fields) > 4 else "")
            raise StarclassError(
                f"{name} holds {len(fields)} fields in its column {FIELD!r} ({shown}), each classified on its own "
                f"mosaics, and --mosaics gives one set: give each field its own, --mosaics FIELD=DIR once per field "
                f"(e.g. --mosaics {fields[0]}=DIR), or each field's folder named as the field")
        return mosaics
    given = mosaics.by_field
    unknown = [f for f in given if f not in fields]
    if not fields:
        if len(given) == 1:
            return next(iter(given.values()))  # one field named for a table that names none: its mosaics
        raise StarclassError(f"--mosaics gives {len(given)} fields ({', '.join(given)}) but {name} has no {FIELD!r} "
                             "column to tell its rows' fields: give the mosaics of the one field it holds")
    if unknown:
        raise StarclassError(f"--mosaics {unknown[0]}=...: {name} has no field {unknown[0]!r} in its column "
                             f"{FIELD!r} (its fields: {', '.join(fields)})")
    column = np.asarray(table[FIELD]).astype(str)
    for f in fields:
        if f not in given:
            raise StarclassError(
                f"{name}'s field {f!r} ({counted(int(np.sum(column == f)), 'row')}) has no mosaics to cut its "
                f"Grad-CAM stamps from: give --mosaics {f}=DIR beside the others (its mosaics folder, or "
                "FIELD=FILE for each band file)")
    return mosaics


def build_report(pred: Table | str | Path, references: ReferencesLike | None, outdir: str | os.PathLike, *,
                 title: str = "starclass report",
                 distance_mpc: float | None = None,
                 model_path: str | Path | None = None,
                 mosaics: MosaicsLike | FieldMosaics | str | Path | list[str | Path] | None = None,
                 filename: str = "report.html",
                 stamps: str | Path | None = None, overwrite: bool = False,
                 cutout_resample: Callable[[np.ndarray], np.ndarray] | None = None,
                 cutout_resample_purpose: str | None = None, **kwargs: Any) -> Path:
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
        A saved model: with ``mosaics``, its Grad-CAM maps of the classified candidates
        (:func:`starclass.science.gradcam.gradcam_inputs`) make a Grad-CAM section.
    mosaics
        The images ``pred`` was classified on (paths, a folder, or a ``MosaicSet``); needed
        with ``model_path`` unless ``stamps`` is given. A ``pred`` of several fields (a ``field``
        column) takes each field's (:class:`starclass.io.fields.FieldMosaics`, every field named),
        and each field's stamps are cut from its own.
    stamps
        The labelled cutout folder (CSV or directory) ``pred`` was classified from
        (``starclass classify --stamps``): adds the gallery of the worst mistakes and, with
        ``model_path``, Grad-CAM maps of the cutouts
        (:func:`starclass.science.gradcam.cutout_gradcam_inputs`).
    overwrite
        Replace an existing non-empty ``tables/`` folder (it may hold only ``*.ecsv``).
    cutout_resample : callable, optional
        ``resample`` of :func:`starclass.io.cutout_folders.read_cutout_folder` for ``stamps``: the task's
        :func:`starclass.stamps.images.cutout_resampler` (a ``cool-core`` folder of mixed sizes), or one for
        the gallery alone (:func:`starclass.stamps.images.gallery_resampler`, no task given).
    cutout_resample_purpose : str, optional
        What ``cutout_resample`` is for when it is not a task's (``resample_purpose`` of the reader).
    kwargs
        Passed to :func:`evaluate_sections` (``task``, ``radius``, ``n_boot``, ``gradcam_inputs`` ...).

    Returns
    -------
    Path of the HTML file.

    Notes
    -----
    ``tables/`` is written to a hidden folder and moved into place as a whole
    (:func:`starclass.io.atomic.atomic_dir`), then the page: a kill leaves the old tables or
    the new ones, never a mix, and tables of an older report are not left beside new ones.

    Examples
    --------
    Not run as a doctest (``+SKIP``): a report draws some twenty-five figures (seconds), and its
    Grad-CAM section needs the trained model and the mosaics the catalogue was classified from
    (``tests/test_report_build.py`` builds reports of synthetic catalogues and a model):

    >>> build_report("classified.ecsv", ["truth.ecsv"], "report", model_path="model",
    ...              mosaics="mosaics/")  # doctest: +SKIP
    PosixPath('report/report.html')
    """
    if distance_mpc is not None:
        check_distance_mpc(distance_mpc)  # the bound of --distance, before any reading
    outdir = Path(outdir)
    if stamps is not None and mosaics is not None:
        raise StarclassError("give the mosaics (--mosaics) or the cutout folder (--stamps) the catalogue was "
                             "classified from, not both")
    pred_name = kwargs.get("pred_name", "prediction")
    if isinstance(pred, (str, os.PathLike)) and kwargs.get("pred_table") is None:
        # the builder's one read of the catalogue, handed to the evaluation (which read it again) and to Grad-CAM;
        # its refusal (an unreadable file, nothing to compare) is the command's first line, before any other
        kwargs["pred_table"] = _read_comparable(pred, references, pred_name, kwargs)
    table = kwargs.get("pred_table") if kwargs.get("pred_table") is not None else pred
    if mosaics is not None and model_path is not None:
        # each field's own mosaics, checked now: refused after the evaluation, minutes were spent first
        mosaics = mosaics_of_fields(table, mosaics, str(pred) if isinstance(pred, (str, os.PathLike)) else "PRED")
    # `report classified.ecsv -r truth.ecsv > log 2>&1` was silent ~23 s (loaded machine) before its first section:
    # the command line's line is said at a terminal only. Said here, after this read, not before it in the command
    # line: a pre-read there refused a report of no reference (Grad-CAM of a model alone)
    if kwargs.get("progress") is None:
        say_start(report_first_line(pred, references, table, reference_column=kwargs.get("reference_column"),
                                    label_column=kwargs.get("label_column")), None)
    cutouts = None
    if stamps is not None:
        # the command's bar or lines, as classify --stamps reads the folder: 2000+ cutouts took seconds unsaid
        # a folder listing its files in 'filename' (classify --stamps --file-column filename): the column given, else
        # the one the classification recorded
        files_by = kwargs.get("file_column")
        if files_by is None:
            files_by = str(getattr(table, "meta", {}).get("file_column") or "")
        files_by = files_by or "file"
        cutouts = read_cutout_folder(stamps, require_group=False, require_labels=False, resample=cutout_resample,
                                     resample_purpose=cutout_resample_purpose, progress=kwargs.get("progress", False),
                                     file_column=files_by)
        kwargs["cutouts"] = cutouts
    if model_path is not None and cutouts is not None:
        from starclass.learn.checkpoint import read_manifest
        from starclass.learn.config import TaskConfig
        from starclass.learn.folder_task import check_folder_task

        # a cool-core model's Grad-CAM on a galaxy-cluster folder: its labels 1, 2 taken as cool-core classes
        doc = read_manifest(model_path)
        if isinstance(doc.get("config"), dict):
            check_folder_task(cutouts.source, cutouts.labels, TaskConfig.from_dict(doc["config"]), model=model_path)
    if model_path is not None and kwargs.get("gradcam_inputs") is None:
        if cutouts is None and mosaics is None:
            raise StarclassError(f"Grad-CAM of model {model_word(model_path)} needs the mosaics the catalogue was "
                                 f"classified on "
                                 "(--mosaics; mosaics= in Python) or its cutout folder (--stamps; stamps= in Python)"
                                 + _recorded_cutouts_hint(pred, kwargs.get("pred_name", "prediction")))

        def make_gradcam_inputs():
            # made only once the evaluation has passed (evaluate_sections calls this): a report refused
            # there (under 5% of the rows paired) spent minutes first on torch (13-19 s to import,
            # measured), the model and its stamps
            # the builder's read (a Table given is read as the evaluation reads it)
            table = kwargs["pred_table"] if kwargs.get("pred_table") is not None else load_catalog(pred, pred_name)
            if cutouts is not None:
                from starclass.science.gradcam import cutout_gradcam_inputs

                return cutout_gradcam_inputs(model_path, cutouts, table)
            # Grad-CAM stamps of the model's bands: no V band used, none warned of
            mos = (FieldMosaics({f: _read_gradcam_mosaics(m) for f, m in mosaics.by_field.items()})
                   if isinstance(mosaics, FieldMosaics) else _read_gradcam_mosaics(mosaics))
            from starclass.science.gradcam import gradcam_inputs

            return gradcam_inputs(model_path, table, mos)

        kwargs["gradcam_inputs"] = make_gradcam_inputs
    check_tables_page(outdir, filename)
    parts = _Parts(quiet=kwargs.get("progress") is False)
    started = _REPORT_START.set(parts.start)
    try:
        sections = evaluate_sections(pred, references, distance_mpc=distance_mpc, **kwargs)
    finally:
        _REPORT_START.reset(started)
    parts.skip()  # the evaluation and the sections said their own lines
    with atomic_dir(outdir / "tables", overwrite=overwrite, own=REPORT_TABLE_ENTRIES) as tmp_tables:
        write_sections(sections, outdir, figures=False, tables_dir=tmp_tables, written_by="starclass report",
                       overwrite=True)  # tables into a fresh temporary folder (atomic_dir)
        (tmp_tables / TABLES_PAGE).write_text(filename, encoding="utf-8")
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    page = render_html(sections, title=title, subtitle=f"starclass {__version__} · {stamp}")
    path = outdir / filename
    with atomic_path(path) as tmp:
        tmp.write_text(page, encoding="utf-8")
    # the page took seconds of its own (its figures drawn, tables written), after the last section's line
    parts.done(f"the page ({counted(len(sections), 'section')}, its tables and figures) written", always=True)
    return path
