"""``starclass info``: what is in a catalogue (or a set of FITS mosaics)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from starclass.cli._app import FILE_COLUMN_OPTION, band_option, command, echo, warn, warn_v_band
from starclass.errors import (
    StarclassError,
    calibrate_command_named,
    cli_words,
    counted,
    figure,
    model_word,
    shell_word,
)
from starclass.learn.config import TaskConfig  # cli._app imports it already: nothing more to load
from starclass.schema import DEC, ID, RA, X, Y

if TYPE_CHECKING:  # astropy.table (0.35 s) is imported where a file is read, not at every command's --help
    from astropy.table import Table

    from starclass.io.cutout_folders import CutoutSet

#: The columns a DS9 region file of each --ds9-coords is written from.
REGION_COLUMNS = {"image": (X, Y), "icrs": (RA, DEC), "fk5": (RA, DEC)}

#: NGC 1566's class_method (LEGUS col 35): who gave the hybrid class of a row.
HYBRID_METHODS = {0: "the machine-learning class alone", 1: "one person's check of it", 3: "three people",
                  4: "three people, then one person", 6: "one person re-classifying a former class 4"}


def _legus_source_lines(table) -> list[str]:
    """Who gave a hybrid file's classes, and how many rows have an SED fit (LEGUS ``.tab``).

    The folder's table said that 654 of NGC 1566's 2451 classes are the machine's alone; ``info`` of
    the file itself did not, nor how many sources have no SED fit (their age, mass and E(B-V) NaN).

    Examples
    --------
    >>> from astropy.table import Table
    >>> t = Table({"class_ref": [1, 2, 3, 0], "class_method": [0, 1, 3, 0], "age": [1e6, float("nan"), 2e7, 3e6]})
    >>> who, sed = _legus_source_lines(t)
    >>> for part in who.split(", "):
    ...     print(part)
    class_ref by who gave it: 1 the machine-learning class alone (class_method 0)
    1 one person's check of it (1)
    1 three people (3)
    >>> sed
    'SED fit (age, mass, ebv): 3 of 4 rows (NaN on the other 1)'

    The columns 26-32 of a LEGUS file (``sed_chi2_<band>``, ``sed_chi2_reduced``, ``sed_q``): what they hold is
    said, as the LEGUS readme gives it (``io.legus`` records the residuals' bands in ``meta['fit_residuals']``):

    >>> t.meta["fit_residuals"] = {"f275w": "sed_chi2_f275w", "f336w": "sed_chi2_f336w"}
    >>> for c in ("sed_chi2_f275w", "sed_chi2_f336w", "sed_chi2_reduced", "sed_q"):
    ...     t[c] = [0.0] * 4
    >>> print(_legus_source_lines(t)[-1])  # doctest: +NORMALIZE_WHITESPACE
    SED-fit columns (the LEGUS readme's): sed_chi2_f275w, sed_chi2_f336w the fit residuals (positive where
    the observed flux is above the best-fit model); sed_chi2_reduced the reduced chi2; sed_q the fit's Q
    probability (near 1 a good fit, near 0 a poorly constrained one)
    """
    import numpy as np

    from starclass.schema import (
        AGE,
        CLASS_HYBRID,
        CLASS_METHOD,
        CLASS_REF,
        CLASSES,
        SED_CHI2_REDUCED,
        SED_Q,
        class_array,
        sed_chi2_col,
    )

    lines = []
    # class_method says who gave col 34, the hybrid class: where a map read class_ref from another column
    # (--map class_ref=36, the three people's mode) it counted that column's classes by col 34's methods
    moved = any(d == CLASS_REF and s != "col34" for s, d in dict(table.meta.get("column_map_used") or {}).items())
    counted_col = CLASS_HYBRID if moved and CLASS_HYBRID in table.colnames else CLASS_REF
    if CLASS_METHOD in table.colnames and counted_col in table.colnames and not (moved and counted_col == CLASS_REF):
        done = np.isin(class_array(table, counted_col), CLASSES)
        method = np.asarray(table[CLASS_METHOD])[done]
        parts = [f"{int(np.sum(method == m))} {what} ({'class_method ' if not i else ''}{m})"
                 for i, (m, what) in enumerate((m, w) for m, w in HYBRID_METHODS.items() if np.any(method == m))]
        other = int(np.sum(~np.isin(method, list(HYBRID_METHODS))))
        parts += [f"{other} of another method"] if other else []
        lines.append(f"{counted_col} by who gave it: " + ", ".join(parts))
    if AGE in table.colnames and len(table):
        fitted = int(np.sum(np.isfinite(np.asarray(table[AGE], float))))
        lines.append(f"SED fit (age, mass, ebv): {fitted} of {len(table)} rows "
                     f"(NaN on the other {len(table) - fitted})")
    # LEGUS's columns 26-32 (sed_chi2_<band>, sed_chi2_reduced, sed_q): the sign of a residual and what Q means
    # were in the readme and docs/io.md, not on the screen where a new user meets the names
    residuals = {b: c for b, c in (table.meta.get("fit_residuals") or {}).items() if c in table.colnames}
    # a table written before the names (its meta naming legus_col26 ...) keeps the band said beside the number
    said = [", ".join(c if c == sed_chi2_col(b) else f"{c} {b.upper()}" for b, c in residuals.items())
            + " the fit residuals (positive where the observed flux is above the best-fit model)"] if residuals else []
    said += [f"{c} {what}" for c, what in ((SED_CHI2_REDUCED, "the reduced chi2"),
                                          (SED_Q, "the fit's Q probability (near 1 a good fit, near 0 a "
                                                          "poorly constrained one)"))
             if residuals and c in table.colnames]
    if said:
        lines.append("SED-fit columns (the LEGUS readme's): " + "; ".join(said))
    return lines


def sed_offset_summary(table: Table) -> list[str]:
    """The SED fits' median offsets from the SSP table, band by band relative to V (a catalogue with ages, E(B-V)).

    NGC 1566's and NGC 1433's fits took AB models of B, V, I against their Vega photometry, which
    nothing told a user of their ages and masses (:mod:`starclass.science.sedcheck`); the
    command warns of each band beyond the tolerance (:func:`sed_check_warnings`).

    Examples
    --------
    >>> from astropy.table import Table
    >>> sed_offset_summary(Table({"mag_f555w": [20.0], "mag_f814w": [19.0]}))
    []
    >>> t = Table({"age": [2e7] * 30, "ebv": [0.0] * 30, "mag_f555w": [20.0] * 30, "mag_f814w": [19.0] * 30})
    >>> print(sed_offset_summary(t)[0])  # doctest: +NORMALIZE_WHITESPACE, +ELLIPSIS
    SED fit (age, E(B-V)) against the SSP table, median offset relative to F555W of 30 sources fitted at
    10 Myr or older (+: fainter than the fit implies; warned of beyond 0.30 mag): F814W ...
    """
    from starclass.schema import bands_in
    from starclass.science.sedcheck import sed_band_offsets

    if "age" not in table.colnames or "ebv" not in table.colnames or len(bands_in(table)) < 2 or not len(table):
        return []
    try:
        off = sed_band_offsets(table)
    except StarclassError as exc:
        return [f"SED fit (age, E(B-V)) against the SSP table: not checked ({exc})"]
    m = off.meta
    shown = ", ".join(f"{str(r['band']).upper()} " + (f"{float(r['offset']):+.2f}" if r["offset"] == r["offset"]
                                                      else f"- ({int(r['n'])} sources)") for r in off)
    return [f"SED fit (age, E(B-V)) against the SSP table, median offset relative to {str(m['v_band']).upper()} of "
            f"{m['n_fitted']} sources fitted at {10 ** (m['min_log_age'] - 6):g} Myr or older (+: fainter than the fit "
            f"implies; warned of beyond {m['tolerance']:.2f} mag): {shown}"]


def _camera_offset_line(table: Table) -> str | None:
    """Each band's AB - Vega offset the SSP model takes beside ``table`` and the camera it is of, or None.

    The SED check, the mass limits and the tracks put the model on the catalogue's Vega system band by band
    (``meta['cameras']``, :func:`starclass.io.legus.legus_cameras`); ``info`` said only V's camera, so NGC 1566's
    F814W taking the filter-only offset, not WFC3/UVIS's, went unseen.

    Examples
    --------
    >>> from astropy.table import Table
    >>> t = Table({"mag_f555w": [20.0], "mag_f814w": [19.5]},
    ...           meta={"cameras": {"f555w": "wfc3/uvis"}, "cameras_source": {"f555w": "the file name: WFC3 only"}})
    >>> print(_camera_offset_line(t))  # doctest: +NORMALIZE_WHITESPACE
    AB - Vega offsets of the SSP model (SED check, mass limits, tracks): F555W -0.030 WFC3/UVIS, F814W +0.420
    filter-only (no source states its camera); cameras from: the file name: WFC3 only (F555W)
    """
    from starclass.bands import BANDS, ab_minus_vega, band_camera
    from starclass.schema import bands_in

    cams = table.meta.get("cameras")
    sources = table.meta.get("cameras_source") or {}
    parts, by_source = [], {}
    for b in bands_in(table):
        if b not in BANDS:
            continue
        cam = band_camera(cams, b)
        try:
            off = ab_minus_vega(b, cam)
        except StarclassError:
            continue  # a camera whose offset is not known: the model has no Vega column for it (said elsewhere)
        parts.append(f"{b.upper()} {off:+.3f} " + (cam.upper() if cam else "filter-only (no source states its camera)"))
        if cam and sources.get(b):
            by_source.setdefault(str(sources[b]), []).append(b.upper())
    if not parts:
        return None
    said = "; ".join(f"{src} ({', '.join(bs)})" for src, bs in by_source.items())
    return ("AB - Vega offsets of the SSP model (SED check, mass limits, tracks): " + ", ".join(parts)
            + (f"; cameras from: {said}" if said else ""))


def sed_check_warnings(table: Table, name: str) -> list[str]:
    """The SED-fit check's warnings of ``table`` (:func:`starclass.science.sedcheck.sed_check_lines`), none on error.

    Examples
    --------
    >>> from astropy.table import Table
    >>> sed_check_warnings(Table({"mag_f555w": [20.0]}), "x.ecsv")
    []
    """
    from starclass.science.sedcheck import sed_check_lines

    try:
        return sed_check_lines(table, name)
    except StarclassError:
        return []  # the summary says why it was not checked


def sed_check_notes(table: Table, name: str) -> list[str]:
    """The SED-fit check's notes of ``table`` (:func:`starclass.science.sedcheck.sed_check_notes`), none on error.

    Examples
    --------
    >>> from astropy.table import Table
    >>> sed_check_notes(Table({"mag_f555w": [20.0]}), "x.ecsv")
    []
    """
    from starclass.science.sedcheck import sed_check_notes as notes

    try:
        return notes(table, name)
    except StarclassError:
        return []  # the summary says why it was not checked


def catalog_summary(table: Table, name: str = "", task: TaskConfig | None = None, *,
                    source: Path | None = None) -> str:
    """Lines describing a schema table: rows, columns, bands, class counts, magnitude ranges.

    ``task`` (``info --task``) gives the classes counted and their names; without it, those the
    table records (:func:`_task_classes`), and any other class value in it by number, with a note.
    ``source``, the file the table was read from: a simulated field's ``truth.ecsv`` or
    ``humans.ecsv`` records its task (since 2026-12-07; an ``m31`` field's ``class_ref`` is counted
    through its merge, cluster / non-cluster); one written before records none, and its classes are
    named from the ``simulation.json`` beside it (:func:`_simulated_field_labels`).

    Examples
    --------
    >>> from astropy.table import Table
    >>> t = Table({"id": [1, 2, 3], "class_ref": [1, 5, 5]})
    >>> for line in catalog_summary(t, "five.csv").splitlines()[4:]:
    ...     print(line)  # doctest: +NORMALIZE_WHITESPACE
    class_ref: 1: 1  2: 0  3: 0  4: 0  5: 2  (3 labelled, 0 without a label)
    note: class_ref holds class 5, which five.csv declares no task of: counted by number; give --task TASK (as
    evaluate, train and classify need) to count it for a task
    """
    # here, not at the top: starclass.schema (astropy) adds 0.9 s (measured) to the 0.4 s of `starclass --help`
    import numpy as np

    from starclass.schema import CLASS_REF, CLASSES, bands_in, human_cols, mag_col

    lines = []
    from starclass.io.catalog import format_words

    # what a person calls it: astropy's reader name 'ascii' said nothing of a ';' table saved as .txt
    fmt = table.meta.get("format")
    fmt = format_words(str(fmt), table.meta.get("text_separator")) if fmt else None
    gal = table.meta.get("galaxy") or (str(table["galaxy"][0]) if "galaxy" in table.colnames and len(table) else None)
    head = f"catalogue: {name}" if name else "catalogue"
    extras = [s for s in (f"format {fmt}" if fmt else "", f"galaxy {gal}" if gal else "") if s]
    lines.append(head + (f" ({', '.join(extras)})" if extras else ""))
    lines.append(f"rows: {len(table)}")
    lines.append(f"columns ({len(table.colnames)}): {', '.join(table.colnames)}")
    bands = bands_in(table)
    lines.append(f"bands: {', '.join(bands) if bands else 'none'}")
    if task is not None:
        from starclass.schema import class_labels

        labels = class_labels([int(k) for k in task.classes], task.class_names)
        lines += _given_task_count_lines(table, task)
    else:
        classes, labels = _task_classes(table.meta, _file_classes(table, CLASSES))
        merge = _recorded_merge(table, classes) if labels else {}
        # class_ref of a recorded merge (an m31 field's truth: 1, 2, 4) is counted in the task's classes below
        extra = _undeclared_classes(table[[c for c in table.colnames if c != CLASS_REF]] if merge else table, classes)
        if not labels and not extra and source is not None:
            labels = _simulated_field_labels(source, table, classes)
        if not labels and not extra:
            labels = _legus_labels(table, classes)
        lines += _class_count_lines(table, sorted({*classes, *(k for ks in extra.values() for k in ks)}), labels,
                                    merge=merge, task=str(table.meta.get("task") or ""))
        # a five-class catalogue without its task (a CSV keeps no meta) was refused "class 5 ... is not 0-4":
        # counted now, and said, since the other commands read such values only for a task given with --task
        lines += [f"note: {col} holds {'class' if len(ks) == 1 else 'classes'} {', '.join(map(str, ks))}, which "
                  f"{name or 'the catalogue'} declares no task of{' (a CSV keeps none)' if _is_csv(table) else ''}: "
                  "counted by number; give --task TASK (as evaluate, train and classify need) to count "
                  f"{'it' if len(ks) == 1 else 'them'} for a task" for col, ks in extra.items()]
    meta = table.meta
    lines += _decision_lines(table, labels)
    from starclass.schema import ID_ORDER, TRAINING_FIELD

    if meta.get(ID_ORDER):
        # a survey numbers a field's candidates in (y, x) order, detect by V magnitude: the same id is another
        # object in the two, and only the meta said which rule a catalogue used
        lines.append(f"ids numbered: {meta[ID_ORDER]}")

    if isinstance(field := meta.get(TRAINING_FIELD), dict):
        # classify recorded that its model was trained on this field: info said nothing, evaluate and report warn
        lines.append(f"classified on a field its model was trained on (catalogue {field.get('catalog')}): scores "
                     "against its labels are in-sample, not held-out")
    if meta.get("legus_layout"):
        sure = "" if meta.get("layout_certain", True) else " (UNCERTAIN)"
        lines.append(f"LEGUS layout: {meta['legus_layout']}{sure}: {meta.get('layout_note', '')}")
        lines.append(f"bands from: {meta.get('bands_source', '?')}")
        if meta.get("v_camera"):
            # the SSP model's V offset (mass limits, completeness curves): an acs-wfc3 field's camera went unsaid
            lines.append(f"V camera (the SSP model's AB - Vega offset): {str(meta['v_camera']).upper()}, "
                         f"{meta.get('v_camera_source', '?')}")
        if (offsets := _camera_offset_line(table)) is not None:
            lines.append(offsets)
        # the expert's 5 is its mark for "not inspected" (the README of the LEGUS data), not a bad value:
        # NGC 4449 printed "class values not 0-4 (set to 0): 1371", as of a damaged column
        marked = int(meta.get("class_not_inspected", 0) or 0)
        if marked:
            lines.append(f"not inspected (5 in col 34, the expert's mark; read as 0): {marked}")
        if int(meta.get("class_other", 0) or 0) - marked > 0:
            # which columns: a hybrid file's class_ml and class_ml_checked are read as 0 there too
            per = dict(meta.get("class_other_columns") or {})
            if marked and per.get("class_ref"):
                per["class_ref"] -= marked
            per = {c: k for c, k in per.items() if k}
            where = f" ({', '.join(f'{c} {k}' for c, k in per.items())})" if set(per) - {"class_ref"} else ""
            lines.append(f"class values not 0-4 (set to 0): {int(meta['class_other']) - marked}{where}")
        lines += _legus_source_lines(table)
    lines += sed_offset_summary(table)
    # bounded from the mode and mean where the votes are not there (LEGUS: three people, their mode and mean);
    # an inspect --export has its people's mean as class_human_mean too, beside the votes themselves, whose
    # agreement the bound (made for three votes) misstated (two people agreeing on 2 of 5 read 66.7%)
    if "class_human_mean" in table.colnames and CLASS_REF in table.colnames and not human_cols(table):
        from starclass.evaluate.disagreement import catalog_disagreement

        d = catalog_disagreement(table, name or "catalogue")
        # the sources left out named: "434 sources" under "442 classified" (NGC 3738) said nothing of the other 8
        # a NaN mean (a hand edit, a blank cell) is a missing mean: it was counted as a mode and mean no split fits
        no_mean, no_split = int(d.get("n_no_mean", 0)), int(d.get("n_inconsistent", 0))
        why = [w for k, w in ((no_mean, f"{no_mean} with no class mean"),
                              (no_split, f"{no_split} whose mode and mean fit no split of votes")) if k]
        if len(why) == 1:
            why = ["no class mean" if no_mean else "their mode and mean fit no split of votes"]
        out = f"; {no_mean + no_split} of the {d['n']} left out: {', '.join(why)}" if why else ""
        lines.append(f"human disagreement (votes bounded by class mode + mean, {d['n_used']} sources{out}): "
                     f"not unanimous {d['disagree']:.1%}; two people agree {d['pair_4class']:.1%} "
                     f"(4 classes), {d['pair_123v4']:.1%} (1-3 vs 4), {d['pair_binary']:.1%} (1+2 vs 3+4)")
    if meta.get("column_map_used"):
        lines.append("mapped: " + ", ".join(f"{s} -> {d}" for s, d in meta["column_map_used"].items()))
    humans = human_cols(table)
    if humans:
        n_each = ", ".join(f"{c} {int((np.asarray(table[c]) > 0).sum())}" for c in humans)
        lines.append(f"human classifiers: {len(humans)} ({n_each} sources labelled)")
    if bands:
        lines.append("magnitude ranges (min / median / max, n measured):")
        for b in bands:
            m = np.asarray(table[mag_col(b)], dtype=float)
            ok = np.isfinite(m)
            if ok.any():
                lines.append(f"  {b:7s} {np.min(m[ok]):7.3f} / {np.median(m[ok]):7.3f} / "
                             f"{np.max(m[ok]):7.3f}   n={int(ok.sum())}")
            else:
                lines.append(f"  {b:7s} no measurements")
    if "ci" in table.colnames:
        ci = np.asarray(table["ci"], dtype=float)
        ok = np.isfinite(ci)
        if ok.any():
            lines.append(f"ci: {np.min(ci[ok]):.3f} / {np.median(ci[ok]):.3f} / {np.max(ci[ok]):.3f}")
    if X in table.colnames and len(table):
        x = np.asarray(table[X], dtype=float)
        y = np.asarray(table[Y], dtype=float)
        ok = np.isfinite(x) & np.isfinite(y)
        if ok.any():
            lines.append(f"positions (0-based px): x {x[ok].min():.1f} .. {x[ok].max():.1f}, "
                         f"y {y[ok].min():.1f} .. {y[ok].max():.1f}")
        if not ok.all():
            # rows with empty x, y and a sky position: the commands place them through the mosaics' WCS
            lines.append(f"positions: {int((~ok).sum())} of {counted(len(table), 'row')} without x, y, placed "
                         "from ra, dec through the mosaics' WCS where mosaics are given")
    lines += _sky_lines(table)
    return "\n".join(lines)


def _sky_lines(table) -> list[str]:
    """The sky positions of a catalogue (ra, dec ranges in degrees), how text was read, the units converted.

    A catalogue of sexagesimal ``ra``, ``dec`` text was described by its columns alone: nothing said
    its positions were read as sky coordinates, in which unit, or that a declared ``hourangle`` was
    converted.

    Examples
    --------
    >>> from astropy.table import Table
    >>> t = Table({"ra": [155.127083, 157.5], "dec": [41.269167, -1.25]})
    >>> t.meta["sky_text"] = {"ra": "", "dec": ""}
    >>> for line in _sky_lines(t):
    ...     print(line)
    sky positions (deg): ra 155.12708 .. 157.5, dec -1.25 .. 41.26917
    ra, dec read from text: sexagesimal ra in hours (10:20:30.5), dec in degrees; plain numbers in degrees
    >>> _sky_lines(Table({"ra": [359.5, 0.0, 2.5], "dec": [41.0, 41.5, 42.0]}))[0]
    'sky positions (deg): ra 359.5 .. 2.5 (through 0), dec 41 .. 42'
    """
    import numpy as np

    from starclass.schema import DEC, RA

    lines = []
    if RA in table.colnames and DEC in table.colnames and len(table):
        try:
            ra, dec = (np.asarray(np.ma.filled(np.ma.asarray(table[c], dtype=float), np.nan)) for c in (RA, DEC))
        except (TypeError, ValueError):
            ra = dec = None  # text left as it was (a lone column): nothing to range
        if ra is not None:
            ok = np.isfinite(ra) & np.isfinite(dec)
            if ok.any():
                lack = f" ({int((~ok).sum())} of {counted(len(table), 'row')} without ra, dec)" if not ok.all() else ""
                # a field straddling RA 0h (M31's; a row of 24:00:00 wrapped to 0) was "ra 0.00000 .. 359.99958",
                # as if it covered the whole sky: the short way round, as the cutout lists' ranges say it
                arc = _short_arc(ra[ok])
                # degrees as every figure of info writes them (starclass.errors.figure): 5 decimals, a round
                # value's trailing zeros dropped (a hand-made list's ra 358 read 358.00000 until 2026-12-07)
                ra_words = (f"ra {figure(ra[ok].min(), 'deg')} .. {figure(ra[ok].max(), 'deg')}" if arc is None
                            else f"ra {figure(arc[0], 'deg')} .. {figure(arc[1], 'deg')} (through 0)")
                lines.append(f"sky positions (deg): {ra_words}, "
                             f"dec {figure(dec[ok].min(), 'deg')} .. {figure(dec[ok].max(), 'deg')}{lack}")
    text = dict(table.meta.get("sky_text") or {})
    if text:
        cols = ", ".join(c for c in (RA, DEC) if c in text)
        if all(text.values()):
            lines.append(f"{cols} read from text in the units the file declares: "
                         + ", ".join(f"{c} {text[c]}" for c in (RA, DEC) if c in text))
        else:
            how = {RA: "sexagesimal ra in hours (10:20:30.5)", DEC: "dec in degrees"}
            said = [how[c] if not text[c] else f"{c} in {text[c]} (declared)" for c in (RA, DEC) if c in text]
            lines.append(f"{cols} read from text: {', '.join(said)}; plain numbers in degrees")
    converted = dict(table.meta.get("units_converted") or {})
    if converted:
        lines.append("units converted: " + ", ".join(f"{c} {how}" for c, how in converted.items()))
    return lines


def _is_csv(table) -> bool:
    """Whether ``table`` was read from a CSV (or other plain text), which keeps no meta such as a task."""
    return str(table.meta.get("format", "")) in ("csv", "ascii")


def _undeclared_classes(table, classes) -> dict[str, list[int]]:
    """Per class column, the positive class values of ``table`` that neither ``classes`` nor its meta declares.

    Examples
    --------
    >>> from astropy.table import Table
    >>> _undeclared_classes(Table({"class_ref": [1, 5, 0], "class_pred": [2, 2, 7]}), [1, 2, 3, 4])
    {'class_ref': [5], 'class_pred': [7]}
    """
    import numpy as np

    from starclass.io.catalog import declared_classes
    from starclass.schema import CLASS_PRED, CLASS_REF

    out = {}
    for col in (CLASS_REF, CLASS_PRED):
        if col in table.colnames and len(table):
            known = {*map(int, classes), *declared_classes(table, reference=col == CLASS_REF)}
            found = sorted({int(k) for k in np.unique(np.asarray(table[col]).astype(int)) if k > 0} - known)
            if found:
                out[col] = found
    return out


def _given_task_count_lines(table, task: TaskConfig) -> list[str]:
    """The class counts of ``table`` for ``info --task``: the task's classes by name, and a line saying so.

    A task with a merge reads ``class_ref`` as the reference classes it maps from: those are counted
    by number, the task's names being of ``class_pred``'s classes.

    Examples
    --------
    >>> from astropy.table import Table
    >>> from starclass.learn.config import get_preset
    >>> five = get_preset("legus4", name="five", classes=[1, 2, 3, 4, 5], class_names=list("abcde"))
    >>> for line in _given_task_count_lines(Table({"class_ref": [1, 5, 5, 0]}), five):
    ...     print(line)
    classes of --task five: 1 (a), 2 (b), 3 (c), 4 (d), 5 (e)
    class_ref: 1 (a): 1  2 (b): 0  3 (c): 0  4 (d): 0  5 (e): 2  (3 labelled, 1 without a label)
    """
    from starclass.schema import CLASS_PRED, CLASS_REF, class_labels

    classes = [int(k) for k in task.classes]
    labels = class_labels(classes, task.class_names)
    lines = [f"classes of --task {task.name or '(unnamed)'}: {', '.join(labels.values())}"]
    for col in (CLASS_REF, CLASS_PRED):
        if col not in table.colnames:
            continue
        merged = col == CLASS_REF and bool(task.merge)
        own = sorted(int(k) for k in task.merge) if merged else classes
        # 0-4 are read whatever the task: one that it does not have is counted too, so no row hides as unclassified
        extra = _undeclared_classes(table[[col]], own).get(col, [])
        counts = _class_count_lines(table[[col]], sorted({*own, *extra}) if extra else own, {} if merged else labels)
        # the task's names are of its own classes, not of the reference classes a merge maps from
        lines += [c.replace(f"{col}:", f"{col} (the reference classes the task merges from):", 1) if merged else c
                  for c in counts]
    return lines


def _class_count_lines(table, classes, labels: dict[int, str], *, merge: dict[int, int] | None = None,
                       task: str = "") -> list[str]:
    """One line per class column (``class_ref``, ``class_pred``) of ``table``: the rows of each class.

    ``merge`` (the recorded task's merge of the reference classes, :func:`_recorded_merge`) maps
    ``class_ref`` into the task's classes before counting, and the line says from which: ``info`` of
    an ``m31`` field's truth counted its reference classes 1, 2, 4 under the PHANGS four names
    (``3 (compact association): 0``).

    Examples
    --------
    >>> from astropy.table import Table
    >>> _class_count_lines(Table({"class_pred": [1, 2, 2, 0]}), [1, 2], {1: "1 (star)"})
    ['class_pred: 1 (star): 1  2: 2  (3 classified, 1 without class)']
    >>> print(_class_count_lines(Table({"class_ref": [1, 2, 4, 4]}), [1, 2], {1: "1 (c)", 2: "2 (n)"},
    ...                          merge={1: 1, 2: 1, 3: 2, 4: 2}, task="m31")[0])  # doctest: +NORMALIZE_WHITESPACE
    class_ref: 1 (c): 2  2 (n): 2  (4 labelled, 0 without a label; task m31 from the reference
    classes 1, 2 -> 1; 3, 4 -> 2)
    """
    import numpy as np

    from starclass.schema import CLASS_PRED, CLASS_REF

    lines = []
    for col in (CLASS_REF, CLASS_PRED):
        if col not in table.colnames:
            continue
        v = np.asarray(table[col]).astype(int)
        how = ""
        if col == CLASS_REF and merge:
            mapped = np.array([merge.get(int(k), 0) for k in v], dtype=int)
            # a value the merge does not know stays itself, counted by number after the task's classes
            v = np.where(np.isin(v, list(merge)), mapped, v)
            froms = {dst: [src for src in sorted(merge) if merge[src] == dst] for dst in sorted(set(merge.values()))}
            how = (f"; task {task or '(unnamed)'} from the reference classes "
                   + "; ".join(f"{', '.join(map(str, srcs))} -> {dst}" for dst, srcs in froms.items()))
            classes = [*classes, *sorted({int(k) for k in np.unique(v) if k > 0} - set(classes))]
        counts = {k: int((v == k).sum()) for k in classes}
        parts = "  ".join(f"{labels.get(k, k)}: {n}" for k, n in counts.items())
        lines.append(f"{col}: {parts}  ({counted_classes(col, sum(counts.values()), len(v))}{how})")
    return lines


def counted_classes(column: str, with_class: int, rows: int) -> str:
    """``"150 labelled, 0 without a label"`` of a reference column, ``"195 classified, 0 without class"`` of class_pred.

    ``class_ref`` and the people's ``class_h<k>`` hold labels (a person's, a simulation's truth): ``info`` of a
    simulated field's truth said "150 classified", as if a model had run on it. Only ``class_pred`` is classified.

    Examples
    --------
    >>> counted_classes("class_ref", 150, 151)
    '150 labelled, 1 without a label'
    >>> counted_classes("class_pred", 3, 4)
    '3 classified, 1 without class'
    """
    from starclass.schema import CLASS_PRED

    if column == CLASS_PRED:
        return f"{with_class} classified, {rows - with_class} without class"
    return f"{with_class} labelled, {rows - with_class} without a label"


def _recorded_merge(table, classes) -> dict[int, int]:
    """The merge of the reference classes into ``classes`` that ``table``'s meta records, else ``{}``.

    Written by ``classify`` and ``simulate`` (``reference_merge``,
    :meth:`starclass.learn.config.TaskConfig.table_meta`); one that maps to no class of ``classes``, or is
    not of integers, is read as none.

    Examples
    --------
    >>> from astropy.table import Table
    >>> _recorded_merge(Table(meta={"reference_merge": {"1": 1, "4": 2}}), [1, 2])
    {1: 1, 4: 2}
    >>> _recorded_merge(Table(meta={"reference_merge": {"1": 7}}), [1, 2])
    {}
    """
    found = table.meta.get("reference_merge")
    if not isinstance(found, dict) or not found:
        return {}
    try:
        merge = {int(k): int(v) for k, v in found.items()}
    except (TypeError, ValueError):
        return {}
    return merge if set(merge.values()) - {0} <= set(map(int, classes)) else {}


def _listed_table(path: Path) -> Table | None:
    """The classified cutout list ``path`` read as a table (meta included), else None (not one, or not readable)."""
    from starclass.io.cutout_output import read_cutout_output

    try:
        return read_cutout_output(path)
    except StarclassError:
        return None  # the cutout summary has read it already; a CSV it reads but astropy does not: no counts


def counts_heading(table: Table) -> str:
    """The heading of a classified cutout list's class counts: which command's classification it holds.

    ``train --cv``'s ``cv_predictions.ecsv`` (its meta ``cv``, or a ``fold`` column) was headed
    "classified (classify --stamps):", a command that never wrote it: its rows are out-of-fold
    predictions, each made by the fold model that held the row out.

    Examples
    --------
    >>> from astropy.table import Table
    >>> counts_heading(Table({"file": ["a.png"], "class_pred": [1]}, meta={"cv": "5"}))
    'out-of-fold predictions (train --cv 5: each row classified by the fold model that held it out):'
    >>> counts_heading(Table({"file": ["a.png"], "class_pred": [1]}))
    'classified (classify --stamps):'
    """
    from starclass.schema import CV_SCHEME, FOLD

    if (scheme := table.meta.get(CV_SCHEME)) is not None or FOLD in table.colnames:
        how = f"train --cv {scheme}" if scheme is not None else f"train --cv, its {FOLD} column"
        return f"out-of-fold predictions ({how}: each row classified by the fold model that held it out):"
    return "classified (classify --stamps):"


def classified_csv_lines(path: Path, table: Table | None = None) -> list[str]:
    """The class counts of a cutout list that ``classify --stamps -o OUT.csv`` (or ``.ecsv``, ...) wrote, else ``[]``.

    ``info OUT.csv`` described it only as a labelled cutout folder, without its ``class_pred``
    counts, which ``info OUT.ecsv`` gives. A CSV keeps no meta: the task is the one of the model
    its ``model`` column names (one model, still there, as a path from here or from the CSV's
    folder); otherwise the classes in the table are counted by number. ``table``: the list
    already read (:func:`_listed_table`), else it is read here.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from astropy.table import Table
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.csv"
    >>> Table({"file": ["a.png", "b.png"], "class_pred": [2, 0], "model": ["gone", "gone"]}).write(p)
    >>> classified_csv_lines(p)
    ['class_pred: 2: 1  (1 classified, 1 without class)  (classes by number: model gone not found)']
    """
    import numpy as np

    from starclass.schema import CLASS_PRED, CLASS_REF

    if table is None:
        table = _listed_table(path)
    if table is None or CLASS_PRED not in table.colnames:
        return []
    if table.meta.get("classes"):
        from starclass.schema import CLASSES

        # an ECSV, Parquet or FITS list keeps classify's task in its meta: its classes named as catalog_summary
        # names them (the same list as CSV is named from its model column below)
        classes, labels = _task_classes(table.meta, _file_classes(table, CLASSES))
        return (_class_count_lines(table, classes, labels) + _decision_lines(table, labels)
                + _label_map_lines(classes, table.meta.get("class_names"), table.meta.get("label_map")))
    models = sorted(set(np.asarray(table["model"]).astype(str).tolist())) if "model" in table.colnames else []
    why, classes, labels, mapped = "no model column", None, {}, []
    if len(models) > 1:
        why = f"{len(models)} models in its model column"
    elif models:
        where = [Path(models[0]), path.parent / models[0]]
        found = next((p for p in where if p.exists()), None)
        why = f"model {model_word(models[0])} not found"
        if found is not None:
            # here, not at the top: model_task imports torch, which only such a CSV pays
            from starclass.evaluate.task import class_labels, model_task

            try:
                task = model_task(found)
                classes, labels = list(task.classes), class_labels(task.classes, task.class_names)
                mapped = _label_map_lines(task.classes, task.class_names, task.label_map)
            except StarclassError as exc:
                why = f"model {model_word(models[0])}: {exc}"
    if classes is None:
        seen = set()
        for col in (CLASS_REF, CLASS_PRED):
            if col in table.colnames:
                seen |= set(np.asarray(table[col]).astype(int).tolist())
        classes = sorted(seen - {0})
        return [*(f"{line}  (classes by number: {why})" for line in _class_count_lines(table, classes, {})),
                *_decision_lines(table, {})]
    return _class_count_lines(table, classes, labels) + _decision_lines(table, labels) + mapped


def _label_map_lines(classes, class_names, label_map) -> list[str]:
    """``["labels read as classes (the task's label_map): galaxy -> 2 (non-cluster); ..."]``, or ``[]`` without one.

    ``info`` of a classified PAndAS list said "labels: cluster 8, galaxy 8" above "class_ref: ... 2
    (non-cluster): 8", with nothing to say that galaxy is class 2.
    """
    from starclass.schema import label_map_words

    try:
        words = label_map_words(classes or [], class_names, label_map if isinstance(label_map, dict) else None)
    except (TypeError, ValueError):
        return []  # a hand-edited meta: the counts above are said, the map is not
    return [f"labels read as classes (the task's label_map): {words}"] if words else []


def _decision_lines(table, labels: dict[int, str]) -> list[str]:
    """The line on the threshold that decided ``class_pred``, as classify records it; ``[]`` where none did.

    Which threshold decided class_pred: the counts differ from the most probable class, and neither
    info nor classify said why. A CSV output keeps it in columns, read back into the meta
    (:func:`starclass.io.catalog.restore_csv_decision`).
    """
    meta = table.meta
    if meta.get("threshold") is None or meta.get("positive_class") is None or "class_pred" not in table.colnames:
        return []
    pos = int(meta["positive_class"])
    col = f"prob_{pos}_raw" if f"prob_{pos}_raw" in table.colnames else f"prob_{pos}"
    return [f"decision: class_pred {labels.get(pos, str(pos))} where {col} >= {figure(meta['threshold'])}"
            f" ({meta.get('threshold_source') or 'source not recorded'})"]


def _file_classes(table, default) -> list[int]:
    """The classes a catalogue without a recorded task is counted for: its ``prob_<k>`` columns, else ``default``.

    A two-class output without its task meta (``prob_1``, ``prob_2``) was counted for the four
    PHANGS classes: ``class_pred: 1: 0  2: 0  3: 0  4: 0`` for a file of no rows. Its probability
    columns name its classes; a class in ``class_ref`` or ``class_pred`` that none names is counted
    too, so no row is hidden among "without class".

    Examples
    --------
    >>> from astropy.table import Table
    >>> _file_classes(Table({"prob_1": [0.9], "prob_2": [0.1], "class_pred": [1]}), [1, 2, 3, 4])
    [1, 2]
    >>> _file_classes(Table({"class_ref": [1, 0]}), [1, 2, 3, 4])
    [1, 2, 3, 4]
    """
    import numpy as np

    from starclass.schema import CLASS_PRED, CLASS_REF, prob_classes

    found = set(prob_classes(table))
    if not found:
        return list(default)
    for col in (CLASS_REF, CLASS_PRED):
        if col in table.colnames and len(table):
            v = np.asarray(table[col])
            if np.issubdtype(v.dtype, np.number):
                found |= {int(k) for k in np.unique(v[np.isfinite(v)]) if k > 0}
    return sorted(found)


def _task_classes(meta, default) -> tuple[list[int], dict[int, str]]:
    """The classes a catalogue's counts are given for, and how each is named.

    A classified catalogue's meta records its task (``classify``): its classes, named as evaluate
    names them (``2 (galaxy)``). ``info`` counted the PHANGS classes 1-4 by bare number whatever the
    task, so a three-class output showed ``4: 0`` and no names. Without a recorded task: ``default``,
    by number.

    Examples
    --------
    >>> _task_classes({"classes": [1, 2], "class_names": ["star", "galaxy"]}, [1, 2, 3, 4])
    ([1, 2], {1: '1 (star)', 2: '2 (galaxy)'})
    >>> _task_classes({}, [1, 2, 3, 4])[1]
    {}
    """
    if not meta.get("classes"):
        return list(default), {}
    # here, not at the top: starclass.evaluate adds 0.6 s (measured) that only a classified output needs
    from starclass.evaluate.task import EvalTask, class_labels

    try:
        task = EvalTask.from_meta(meta)
    except StarclassError:
        return list(default), {}  # meta classes that are no integers: counted as before
    if task is None:
        return list(default), {}
    return list(task.classes), class_labels(task.classes, task.class_names)


def _simulated_field_labels(path: Path, table, classes) -> dict[int, str]:
    """The class names of a simulated field's ``truth.ecsv`` or ``humans.ecsv`` (``{1: "1 (...)"}``), else ``{}``.

    ``info FIELD/truth.ecsv`` counted ``class_ref: 1: 44  2: 68 ...`` by number: a truth written before
    2026-12-07 records no task (later ones do, ``SimConfig.field_meta``, and are named by it). Every
    field the simulator writes is drawn in the four PHANGS classes (``SimConfig.class_mix`` is four
    fractions, whatever the preset; docs/simulator.md), so their names are exact where the
    ``simulation.json`` beside the file is the field simulator's (its ``config`` with four
    ``class_mix`` fractions) and names the table's galaxy. Anything else (another file name, another
    ``simulation.json``, another galaxy, other classes) is named by number, as before.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> from astropy.table import Table
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "simulation.json").write_text(json.dumps({"config": {"class_mix": [0.2, 0.2, 0.2, 0.4]}}))
    >>> _simulated_field_labels(d / "truth.ecsv", Table({"class_ref": [1, 4]}), [1, 2, 3, 4])[4]
    '4 (artefact / non-cluster)'
    >>> _simulated_field_labels(d / "mine.ecsv", Table({"class_ref": [1, 4]}), [1, 2, 3, 4])
    {}
    """
    import json

    from starclass.schema import CLASS_NAMES, CLASSES, class_labels

    if path.name not in ("truth.ecsv", "humans.ecsv") or list(classes) != list(CLASSES):
        return {}
    sim = path.parent / "simulation.json"
    try:
        config = json.loads(sim.read_text()).get("config") if sim.is_file() else None
    except (OSError, ValueError, AttributeError):  # not the simulator's: no names from it
        return {}
    if not isinstance(config, dict) or not isinstance(mix := config.get("class_mix"), list) or len(mix) != 4:
        return {}
    galaxy = table.meta.get("galaxy") or (str(table["galaxy"][0]) if "galaxy" in table.colnames and len(table)
                                          else None)
    if galaxy and config.get("galaxy") and str(config["galaxy"]) != str(galaxy):
        return {}  # a truth copied beside another field's json: not named from it
    return class_labels(CLASSES, [CLASS_NAMES[k] for k in CLASSES])


def _legus_labels(table, classes) -> dict[int, str]:
    """The class names of a LEGUS catalogue as read (``{1: "1 (symmetric compact cluster)", ...}``), else ``{}``.

    ``info`` of a LEGUS ``.tab`` counted ``class_ref: 1: 334  2: ...`` by number, where its classes are the
    LEGUS/PHANGS scheme's (the README of the LEGUS data; the expert layout's are read into it), whose names
    starclass keeps once (:data:`starclass.schema.CLASS_NAMES`).

    Examples
    --------
    >>> from astropy.table import Table
    >>> _legus_labels(Table({"class_ref": [1, 4]}, meta={"legus_layout": "standard"}), [1, 2, 3, 4])[1]
    '1 (symmetric compact cluster)'
    >>> _legus_labels(Table({"class_ref": [1, 4]}), [1, 2, 3, 4])
    {}
    """
    from starclass.schema import CLASS_NAMES, CLASSES, class_labels

    if not table.meta.get("legus_layout") or list(classes) != list(CLASSES):
        return {}
    return class_labels(CLASSES, [CLASS_NAMES[k] for k in CLASSES])


def _store_class_names(meta) -> dict[int, str]:
    """The class names of the task a stamp store was cut for (``{1: "1 (cluster)"}``), ``{}`` without one.

    ``info STORE`` counted ``class_ref: 1: 44  2: 68`` by number, where the store records its task
    (``cutouts --task``, ``extra["task"]``) and train names the classes.

    Examples
    --------
    >>> _store_class_names({"extra": {"task": {"classes": [1, 2], "class_names": ["cluster", "non-cluster"]}}})
    {1: '1 (cluster)', 2: '2 (non-cluster)'}
    >>> _store_class_names({})
    {}
    """
    from starclass.schema import class_labels

    task = (meta.get("extra") or {}).get("task") if isinstance(meta, dict) else None
    if not isinstance(task, dict) or not task.get("classes"):
        return {}
    try:
        return class_labels([int(k) for k in task["classes"]], task.get("class_names"))
    except (TypeError, ValueError):  # classes that are no numbers: counted by number as before
        return {}


def store_lines(path: Path) -> list[str]:
    """What ``starclass info`` says of an HDF5 stamp store: candidates, inputs, geometry, classes.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import numpy as np
    >>> from starclass.stamps.store import write_stamp_store
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.h5"
    >>> _ = write_stamp_store(p, np.zeros((3, 1, 2, 8, 8), np.float32), np.ones((3, 8, 8), bool),
    ...                       {"id": np.arange(1, 4), "class_ref": np.array([1, 4, 0])},
    ...                       channels=["f555w", "f814w"], normalisation="zscore", bands=["f555w", "f814w"])
    >>> print("\\n".join(store_lines(p)[:3]))  # doctest: +ELLIPSIS
    stamp store: ... (written by 'starclass cutouts')
    candidates: 3 (3 with a usable stamp, ok)
    inputs: [3, 2, 8, 8] (bands f555w, f814w; scales 1; normalisation zscore; stamps 8 px)
    """
    import numpy as np

    from starclass.schema import CLASS_REF
    from starclass.stamps import StampStore

    store = StampStore(path)
    n, ok = len(store), int(np.count_nonzero(store.ok))
    lines = [f"stamp store: {path} (written by 'starclass cutouts')",
             f"candidates: {n} ({ok} with a usable stamp, ok)",
             f"inputs: {list(store.shape)} (bands {', '.join(store.bands)}; scales "
             f"{', '.join(f'{v:g}' for v in store.scales)}; normalisation {store.normalisation}; "
             f"stamps {store.stamp_size} px)"]
    table = store.table
    if table:
        lines.append(f"columns ({len(table)}): {', '.join(table)}")
    if CLASS_REF in table:
        v = np.asarray(table[CLASS_REF]).astype(int)
        named = _store_class_names(store.meta)
        counts = "  ".join(f"{named.get(k, k)}: {int((v == k).sum())}" for k in sorted(set(v.tolist()) - {0}))
        lines.append(f"{CLASS_REF}: {counts}  ({counted_classes(CLASS_REF, int((v > 0).sum()), len(v))})")
    for col in ("field", "galaxy"):
        if col in table:
            names, counts = np.unique(np.asarray(table[col]).astype(str), return_counts=True)
            lines.append(f"{col}: " + ", ".join(f"{a} {b}" for a, b in zip(names, counts)))
    # classify and calibrate take a store with --stamps too (the line said they took "the mosaics and catalogue
    # instead", where train's own next line, printed minutes before, said 'classify --stamps STORE.h5', 2026-12-07)
    lines.append("train --stamps, classify --stamps and calibrate --stamps read it, with a model of these bands and "
                 "geometry (cutouts --task MODEL cuts one for a model); train and calibrate learn from its "
                 f"{CLASS_REF}")
    return lines


def _blank_file(path: Path) -> bool:
    """True if ``path`` holds nothing but white space (no header, no column): no catalogue at all.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "blank.tab").write_text("\\n"), (d / "header.csv").write_text("id,x,y\\n")
    >>> _blank_file(d / "blank.tab"), _blank_file(d / "header.csv")
    (True, False)
    """
    with open(path, "rb") as fh:
        # a catalogue's header comes first: the first kilobytes say whether there is one
        return not fh.read(65536).strip()


def _is_image_fits(path: Path) -> bool:
    """True if ``path`` is a FITS file whose data are images, not a table."""
    # here, not at the top: astropy.io.fits adds 0.4 s (measured) to the 0.4 s of `starclass --help`
    from astropy.io import fits

    from starclass.io.mosaic import is_fits_name, open_fits

    if not is_fits_name(path):
        return False
    try:
        with open_fits(path, memmap=True) as hdul:
            has_table = any(isinstance(h, (fits.BinTableHDU, fits.TableHDU)) for h in hdul)
            has_image = any(h.is_image and h.header.get("NAXIS", 0) >= 2 for h in hdul)
    except Exception as exc:
        from starclass.io.mosaic import unreadable_fits

        raise StarclassError(unreadable_fits(path, exc)) from None
    return has_image and not has_table


def _image_fits_in(directory: Path) -> list[Path]:
    """The FITS images (not tables) directly in ``directory``; unreadable FITS files are left to the
    catalogue summary, which names them, except a compression astropy cannot open here, refused by name."""
    from starclass.io.mosaic import is_fits_name, unopenable_compression

    out = []
    for f in sorted(directory.iterdir()):
        # a .fits.Z without uncompresspy, a zip of several files: the catalogue summary looks at no such name, so
        # the folder was described without that band (exit 0), where detect and cutouts of it refuse it
        if f.is_file() and is_fits_name(f) and (refusal := unopenable_compression(f)) is not None:
            raise StarclassError(refusal)
        try:
            if f.is_file() and _is_image_fits(f):
                out.append(f)
        except StarclassError:
            continue
    return out


def mosaic_lines(paths: list[Path], magsys: str = "vega") -> list[str]:
    """Lines describing FITS mosaics: bands, shape, pixel scale, zeropoints, WCS, weight maps.

    Files that are not one co-aligned set (two fields' mosaics in one folder, a band twice) are
    described one by one (shape, filter, WCS) after the reason.

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib
    >>> from starclass.io.mosaic import write_mosaic
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = write_mosaic(d / "f_f555w.fits", np.zeros((20, 30), "f4"), "f555w", None, photflam=1e-19,
    ...                  photplam=5360.0)
    >>> print("\\n".join(mosaic_lines([d / "f_f555w.fits"])[:2]))
    mosaics: 1 band: f555w
    shape: 30 x 20 px (nx x ny), pixel scale nan arcsec/px, magnitudes VEGA, V band f555w
    """
    from starclass.io.mosaic import band_of, open_fits, read_mosaics

    try:
        ms = read_mosaics([str(p) for p in paths], magsys=magsys, require_zeropoint=False, warn_v_band=False)
    except StarclassError as exc:
        lines = [f"FITS images: {len(paths)}, not one set of mosaics ({exc}):"]
        for p in paths:
            with open_fits(p, memmap=True) as hdul:
                hdu = next(h for h in hdul if h.is_image and h.header.get("NAXIS", 0) >= 2)
                h = hdu.header
                ctype = [str(h.get(k, "")) for k in ("CTYPE1", "CTYPE2") if h.get(k)]
                # without FILTER, the band as read_mosaics tells it (an ACS drizzled file's FILTER1/FILTER2 in
                # its primary header, CLEAR skipped; the file name): such a file was listed as "filter ?"
                merged = hdul[0].header.copy()
                merged.update(h)
                said = h.get("FILTER") or hdul[0].header.get("FILTER") or band_of(p, merged) or "?"
                lines.append(f"  {p.name}: {h.get('NAXIS1')} x {h.get('NAXIS2')} px, filter {said}, "
                             f"WCS {', '.join(ctype) or 'none'}")
        return lines
    # info has no option to choose the V band: the warning names detect's
    warn_v_band(ms, "info")
    lines = [f"mosaics: {counted(len(ms.bands), 'band')}: {', '.join(ms.bands)}", *ms.describe().splitlines()]
    lines.append(f"WCS: {'none' if ms.wcs is None else ', '.join(ms.wcs.wcs.ctype)}")
    for b in ms.bands:
        if ms.weights.get(b) is not None:
            lines.append(f"  {b:7s} weight map")
            continue
        # every other command masks a weight-less band's zero padding (MosaicSet.padding): info said only
        # "no weight map", so zeros that are data (X-ray counts) were found masked only when detect failed
        pad = ms.padding(b)
        n = 0 if pad is None else int(pad.sum())
        lines.append(f"  {b:7s} no weight map" + (f"; {n} px ({100 * n / pad.size:.2g}%) of exact zeros read as "
                                                   "padding (no data)" if n else ""))
    return lines


def _list_kind(path: Path) -> str:
    """``a CSV of cutouts``, or ``an ECSV table of cutouts`` for a list given as another kind of table."""
    from starclass.io.cutout_folders import cutout_list_format

    kind = {"ascii.ecsv": "an ECSV", "parquet": "a Parquet", "fits": "a FITS"}.get(cutout_list_format(path))
    return "a CSV of cutouts" if kind is None else f"{kind} table of cutouts"


def _cutout_csv(path: Path, file_column: str | None = None) -> Path | None:
    """The CSV of a labelled cutout folder at ``path`` (a ``.csv``, or a folder holding ``labels.csv``), else None.

    A catalogue has an ``id``; a cutout list has ``file`` (or ``file_<band>``) columns instead:
    ``starclass info labels.csv`` on the PAndAS folder failed with "required column 'id' missing".
    Given ``file_column`` (``--file-column``), any CSV is taken for a list of cutouts: the cutout reader
    names the column where the CSV lacks it.
    """
    import csv
    import lzma
    import zlib

    from starclass.io.cutout_folders import cutout_list_path

    p = cutout_list_path(path)  # a folder's labels.csv, else its labels.csv.gz
    if not p.is_file():
        return None
    from starclass.io.catalog import is_ecsv_text
    from starclass.io.compressed_text import open_table_file, table_suffix

    if table_suffix(p) != ".csv" or is_ecsv_text(p):  # labels.csv.gz is the CSV it holds; an ECSV named .csv is not
        from starclass.io.cutout_folders import csv_header, cutout_list_format

        if cutout_list_format(p) is None:
            return None
        # the same list as an ECSV, Parquet or FITS table (one that names cutout files: cutout_list_format), a
        # classified one (class_pred) too, as the CSV is: it was "catalogue: o.parquet (format Parquet, a classified
        # cutout folder) ... bands: none" where o.csv was described with its images; a catalogue (id) as a catalogue
        header = csv_header(p)
        return p if file_column is not None or ID not in header else None
    if file_column is not None:
        return p
    try:
        from starclass.io.catalog import CsvLines, csv_dialect, header_cells

        encoding, sep = csv_dialect(p)
        # the header only: a row below it in another encoding is named by the cutout reader (read as a
        # catalogue it was "cannot read ... as csv: UnicodeDecodeError")
        with open_table_file(p, newline="", encoding=encoding, errors="replace") as fh:
            header = [c.strip().lower() for c in header_cells(csv.reader(CsvLines(fh), delimiter=sep))]
    except (OSError, UnicodeDecodeError, csv.Error, EOFError, zlib.error, lzma.LZMAError):
        return None  # a list cut short or damaged (EOFError, zlib's and lzma's errors): the catalogue reader says so
    has_files = "file" in header or any(c.startswith("file_") for c in header)
    if not has_files and "x" not in header and _names_images(p, encoding, sep):
        # cutouts listed under 'filename' (or 'path'): read as a catalogue, "required column 'id' missing ...
        # name a column 'id'"; the cutout reader names the column that holds the files and the rename. Another
        # team's list often has an 'id' of the object too (filename,class,id): read as a catalogue it was
        # "duplicate id B032D" where two cutouts show one object, or a catalogue summary that train refused
        return p
    if has_files and ID not in header and _lists_tables(p, encoding, sep):
        # the LEGUS folder's layouts.csv (a 'file' of each .tab) was read as cutouts: "row 1 ...: not an image file"
        return None
    if has_files and ID in header and "x" not in header and _names_images(p, encoding, sep):
        # inspect --stamps --export writes the cutout list train --stamps reads, with each candidate's id (its file
        # as listed) beside 'file': it was read as a catalogue ("bands: none", classes by number, no image read)
        return p
    return p if has_files and ID not in header else None


def _distinct_words(column) -> str:
    """``source_table 9 (11 empty)``: a column's distinct filled values, and its empty cells apart.

    The PAndAS list's ``source_table`` (9 catalogues, 11 rows without one) was said as "source_table 10",
    the empty cell counted as one more catalogue.
    """
    import numpy as np

    values = np.ma.asarray(column)
    empty = np.ma.getmaskarray(values).copy()
    cells = np.ma.filled(values, values.fill_value if values.dtype.kind not in "US" else "")
    if cells.dtype.kind in "US":
        empty |= np.char.strip(cells.astype(str)) == ""
    elif cells.dtype.kind == "f":
        empty |= np.isnan(cells)
    n = len(set(np.asarray(cells)[~empty].tolist()))
    return f"{column.info.name} {n}" + (f" ({int(empty.sum())} empty)" if empty.any() else "")


def _is_float_column(column) -> bool:
    """Whether a column holds floats (probabilities, positions): :func:`_range_words` says them, not a count."""
    import numpy as np

    return np.ma.asarray(column).dtype.kind == "f"


def _range_words(column) -> str:
    """``prob_1 0.0312 .. 0.968``: a float column's range over its finite cells, its empty ones apart.

    A classified CSV's ``prob_1 30, prob_2 30, prob_1_raw 30`` among the distinct values said only that
    no two probabilities were equal.

    Examples
    --------
    >>> from astropy.table import Column
    >>> _range_words(Column([0.25, float("nan"), 0.75], name="prob_1"))
    'prob_1 0.25 .. 0.75 (1 empty)'
    >>> _range_words(Column([0.5, 0.5], name="match_sep_arcsec"))
    'match_sep_arcsec 0.5 (every row)'
    """
    import numpy as np

    values = np.ma.asarray(column).astype(float)
    cells = np.ma.filled(values, np.nan)
    finite = np.isfinite(cells)
    n_empty = int((~finite).sum())
    empty = f" ({n_empty} empty)" if n_empty else ""
    if not finite.any():
        return f"{column.info.name} (every cell empty)"
    lo, hi = float(cells[finite].min()), float(cells[finite].max())
    # 3 significant digits, as info's other figures (4 until 2026-12-07); an angle in degrees to 5 decimals, as
    # info's sky positions: at 3 digits an RA of 26.03 would read 26
    unit = _figure_unit(column)
    if lo == hi:
        return f"{column.info.name} {figure(lo, unit)} ({'every row' if not n_empty else 'every filled row'}){empty}"
    if _is_angle_column(column) and (wrapped := _short_arc(cells[finite])) is not None:
        # M31's fields straddle RA 0h: "ra 1.179 .. 357.3" read as the whole sky
        return f"{column.info.name} {figure(wrapped[0], unit)} .. {figure(wrapped[1], unit)} (through 0){empty}"
    return f"{column.info.name} {figure(lo, unit)} .. {figure(hi, unit)}{empty}"


def _figure_unit(column) -> str | None:
    """The unit :func:`starclass.errors.figure` writes a column's numbers in: its own, else one its name says.

    An RA or Dec without a unit is in degrees (5 decimals, as info's sky positions: at 3 significant digits the
    PAndAS labels' dec 28.82 read 28.8), a magnitude by its name (``mag_f555w``, ``g_mag``) in mag.

    Examples
    --------
    >>> from astropy.table import Column
    >>> _figure_unit(Column([1.0], name="DEC")), _figure_unit(Column([1.0], name="g_mag"))
    ('deg', 'mag')
    >>> _figure_unit(Column([1.0], name="r", unit="pix")), _figure_unit(Column([1.0], name="prob_1"))
    ('pix', None)
    """
    name = str(column.info.name).lower()
    if _is_angle_column(column) or name in DEC_NAMES:
        return "deg"
    if column.unit is not None:
        return str(column.unit)
    return "mag" if name.startswith("mag_") or name.endswith("_mag") else None


def _cell_figure(value, unit: str | None = None) -> str:
    """A table cell as :func:`starclass.errors.figure` writes it; an empty (masked) one as astropy shows it, ``--``."""
    import numpy as np

    return "--" if np.ma.is_masked(value) else figure(value, unit)


#: Column names read as a declination in degrees when the column carries no unit.
DEC_NAMES = ("dec", "dec_deg", "dej2000", "de_j2000", "dec_j2000", "dec_icrs", "_dej2000")

#: Column names read as an angle in degrees (a right ascension) when the column carries no unit.
ANGLE_NAMES = ("ra", "ra_deg", "raj2000", "ra_j2000", "ra_icrs", "_raj2000")


def _is_angle_column(column) -> bool:
    """Whether :func:`_range_words` gives a column its range around the circle: deg units, or an RA name.

    Examples
    --------
    >>> from astropy.table import Column
    >>> _is_angle_column(Column([1.0], name="RA")), _is_angle_column(Column([1.0], name="l", unit="deg"))
    (True, True)
    >>> _is_angle_column(Column([1.0], name="prob_1"))
    False
    """
    unit = getattr(column, "unit", None)
    if unit is not None and str(unit) in ("deg", "degree"):
        return True
    return str(column.info.name).lower() in ANGLE_NAMES


def _short_arc(degrees) -> tuple[float, float] | None:
    """``(start, end)`` of the shortest arc holding every angle when it runs through 0, else None.

    None too for angles outside 0 .. 360 (their plain range is already the short one, as -2.7 .. 1.2).

    Examples
    --------
    >>> _short_arc([357.3, 1.179, 10.5])
    (357.3, 10.5)
    >>> _short_arc([10.0, 100.0, 200.0]) is None  # the plain range leaves out the widest gap, 200 .. 10
    True
    """
    import numpy as np

    values = np.unique(np.asarray(degrees, dtype=float))
    if len(values) < 2 or values[0] < 0 or values[-1] > 360:
        return None
    gaps = np.diff(values)
    widest = int(np.argmax(gaps))
    # the plain range leaves out the gap through 0 (first + 360 - last); the arc through 0 leaves out the widest
    # gap between neighbours, and is the shorter when that gap is the wider
    if gaps[widest] <= values[0] + 360.0 - values[-1]:
        return None
    return float(values[widest + 1]), float(values[widest])


#: Columns of a cutout list that say where each label comes from (the PAndAS list's ``source_table``: the
#: published catalogue of its class), as ``info`` names them.
PROVENANCE_COLUMNS = ("source_table", "source_catalogue", "source_catalog", "provenance")


def _provenance_lines(table: Table, files: Sequence[str]) -> list[str]:
    """The line of a cutout list's provenance column: its catalogues, and the rows that name none.

    The PAndAS list's ``source_table`` is empty on 11 of its 869 rows: ``info`` said only
    "source_table 9 (11 empty)" among the distinct values of every column, which does not say that
    those labels' source is unknown.

    Examples
    --------
    >>> from astropy.table import Table
    >>> t = Table({"file": ["a.png", "b.png", "c.png"], "object_id": ["B001", "M33-E", "B002"],
    ...            "source_table": ["m31rbcV5", "", "m31rbcV5"]})
    >>> print(_provenance_lines(t, t["file"])[0])  # doctest: +NORMALIZE_WHITESPACE
    provenance (source_table, the catalogue each label comes from): 1 catalogue (m31rbcV5 2); 1 row without
    provenance (row 2 b.png, object M33-E): where its label comes from is not recorded; evaluate --by
    source_table scores it as '(missing)'
    >>> _provenance_lines(Table({"file": ["a.png"]}), ["a.png"])
    []
    """
    import numpy as np

    col = next((c for c in PROVENANCE_COLUMNS if c in table.colnames), None)
    if col is None:
        return []
    values = np.ma.asarray(table[col])
    cells = np.ma.filled(values.astype(str), "")
    empty = np.ma.getmaskarray(values) | (np.char.strip(cells) == "") | np.isin(np.char.lower(cells), ("nan", "--"))
    names, counts = np.unique(np.char.strip(cells[~empty]), return_counts=True)
    order = np.argsort(-counts, kind="stable")
    shown = ", ".join(f"{names[i]} {counts[i]}" for i in order[:5]) + (", ..." if names.size > 5 else "")
    line = (f"provenance ({col}, the catalogue each label comes from): {counted(names.size, 'catalogue')}"
            + (f" ({shown})" if names.size else ""))
    at = np.flatnonzero(empty)
    if at.size:
        ids = next((c for c in ("object_id", "id", "name") if c in table.colnames), None)
        where = ", ".join(f"row {i + 1} {files[i]}" + (f", object {table[ids][i]}" if ids else "") for i in at[:5])
        one = at.size == 1
        if "label" in table.colnames and not one:
            # which labels lack a source: a user weighing them needs to know whether they are clusters or galaxies
            kinds, k = np.unique(np.ma.filled(np.ma.asarray(table["label"]).astype(str), "")[at], return_counts=True)
            where = ", ".join(f"{n} {kind or '(no label)'}" for kind, n in zip(kinds, k)) + "; " + where
        line += (f"; {counted(at.size, 'row')} without provenance ({where}{', ...' if at.size > 5 else ''}): where "
                 f"{'its label comes' if one else 'their labels come'} from is not recorded; evaluate --by {col} "
                 f"scores {'it' if one else 'them'} as '(missing)'")
    else:
        line += "; every row names one"
    return [line]


def _export_vote_lines(path: Path) -> list[str]:
    """The people's votes of a cutout list ``inspect --stamps --export`` wrote (``class_h<k>``, ``tie``), else ``[]``.

    Read as a catalogue it said "human classifiers: 2 (class_h1 10, class_h2 10 sources labelled)"; read as the
    cutout list it is, the line is kept, with the ties the export marks.
    """
    import numpy as np

    from starclass.io.cutout_output import read_cutout_output
    from starclass.schema import CLASS_PRED, CLASS_REF, human_cols

    try:
        # a list with no class_pred too (an export of people's labels alone): any class column of one
        table = read_cutout_output(path, classes=(CLASS_PRED, CLASS_REF))
    except StarclassError:
        return []
    humans = human_cols(table) if table is not None else []
    if not humans:
        return []
    n_each = ", ".join(f"{c} {int((np.ma.filled(np.ma.asarray(table[c], dtype=float), 0) > 0).sum())}"
                       for c in humans)
    line = f"people's votes (inspect --export): {counted(len(humans), 'person', 'people')} ({n_each} cutouts labelled)"
    if "tie" in table.colnames:
        n_ties = sum(str(v).strip().lower() in ("true", "1") for v in np.asarray(table["tie"]).astype(str))
        line += (f"; {counted(n_ties, 'tie')} of the people (column tie, rows labelled by the scheme's tie rule): "
                 "adjudicate them before training" if n_ties else "; no ties")
    return [line]


def _header_and_rows(path: Path, encoding: str, sep: str) -> tuple[list[str], list[dict[str, str]]]:
    """A CSV's header and rows by column name, below Excel's ``sep=`` line where it has one.

    csv.DictReader took that line for the header ('sep='): a cutout list under 'filename' with it was
    "a table of 1 row, not a catalogue of candidates", where the one without it got the rename hint.
    Undecodable bytes are replaced: the cutout reader names the row that holds them.
    """
    import csv

    from starclass.io.catalog import CsvLines, header_cells
    from starclass.io.compressed_text import open_table_file

    with open_table_file(path, newline="", encoding=encoding, errors="replace") as fh:
        reader = csv.reader(CsvLines(fh), delimiter=sep)  # '#' comment lines skipped, as the cutout reader does
        names = [c.strip() for c in header_cells(reader)]
        rows = [dict(zip(names, cells)) for cells in reader if cells]
    return names, rows


def _names_images(path: Path, encoding: str, sep: str) -> bool:
    """Whether a CSV has a column whose every filled cell names an image file: a list of cutouts, whatever its name."""
    from starclass.io.cutout_folders import image_file_columns

    names, rows = _header_and_rows(path, encoding, sep)
    return bool(image_file_columns([n for n in names if n], rows))


def _lists_tables(path: Path, encoding: str, sep: str) -> bool:
    """Whether every cell of a CSV's ``file`` column names a table (``.tab``, ``.csv`` ...): no list of cutouts."""
    _, rows = _header_and_rows(path, encoding, sep)
    names = [str(r.get(k) or "").strip().lower() for r in rows for k in r if k and k.strip().lower() == "file"]
    names = [n for n in names if n]
    return bool(names) and all(n.endswith(_TABLE_ONLY_SUFFIXES) for n in names)


def _cutout_output(path: Path):
    """A classified cutout list (``classify --stamps -o``, any format) read as a table, else None.

    It has ``file`` and ``class_pred`` columns and no ``id``: read as a catalogue it was refused with
    "required column 'id' missing". Described so where its images do not read (a list away from its
    cutouts), whatever its format; otherwise :func:`_cutout_csv`'s cutout summary describes it. A file that
    does not read is left to the catalogue reader and its message.
    """
    from starclass.io.compressed_text import table_suffix

    if not path.is_file():
        return None
    from starclass.io.cutout_output import read_cutout_output

    try:
        table = read_cutout_output(path)
    except StarclassError:
        return None
    if table is None or ID in table.colnames:
        return None
    from starclass.io.catalog import format_words
    from starclass.io.cutout_output import cutout_output_format

    fmt = "fits" if cutout_output_format(path) == "fits" else table_suffix(path).lstrip(".")
    table.meta["format"] = f"{format_words(fmt)}, a classified cutout folder"
    return table


#: Rows of a results table ``info`` prints; the rest are counted.
RESULT_ROWS_SHOWN = 60


def _results_table_lines(path: Path) -> list[str] | None:
    """What a table that evaluate, report or explain wrote holds, and its rows; None for any other file.

    Such tables (per-class metrics, calibration bins, ...) have no ``id`` column: read as a
    catalogue, ``info ev/tables/per_class_prediction_class_ref.ecsv`` said "required column 'id'
    missing ... name a column 'id' in the file", of a file starclass had written itself. Known by
    their meta (:data:`starclass.report.sections.TABLE_META`, since 2026-12-05) or, for older ones,
    by their folder: a report's ``tables/.page``, the ``summary.json`` of evaluate that lists them,
    or explain's ``explain.json``.

    Examples
    --------
    >>> _results_table_lines(Path("no-such.ecsv")) is None
    True
    """
    if not path.is_file() or not path.name.lower().endswith(".ecsv"):
        return None
    import json

    from astropy.table import Table

    try:
        t = Table.read(path, format="ascii.ecsv")
    except Exception:  # not a readable ECSV: left to the catalogue reader and its message
        return None
    if ID in t.colnames:
        return None
    # after the id check: the report package loads matplotlib and scikit-learn, which info on a
    # catalogue does not need
    from starclass.report.sections import TABLE_META

    folder = path.parent.parent if path.parent.name == "tables" else path.parent
    said = t.meta.get(TABLE_META)
    what: list[str] = []
    if isinstance(said, dict):
        who = str(said.get("written_by") or "starclass")
        what = ([f"  section: {said['section']}"] if said.get("section") else []) + \
            ([f"  {said['caption']}"] if said.get("caption") else [])
    elif path.parent.name != "tables":
        return None
    elif (path.parent / ".page").is_file():
        who = "starclass report"
    elif (folder / "explain.json").is_file():
        who = "starclass explain"
    else:
        try:
            listed = json.loads((folder / "summary.json").read_text(encoding="utf-8")).get("tables") or []
        except (OSError, ValueError, AttributeError):
            return None
        if path.name not in {Path(str(f)).name for f in listed}:
            return None
        who = "starclass evaluate"
    lines = [f"{path}: a table {who} wrote into {folder}, not a catalogue of candidates (it has no {ID!r} column, "
             "and needs none)", *what, f"  {counted(len(t), 'row')}:"]
    shown = t[:RESULT_ROWS_SHOWN]
    for c in shown.colnames:
        # a float column the command gave no format was printed at full precision (the demo's completeness
        # 0.8289473684210527, reliability bins 0.06666666666666667): 3 significant digits, or its unit's decimals
        if shown[c].dtype.kind == "f" and shown[c].info.format is None:
            shown[c].info.format = functools.partial(_cell_figure, unit=_figure_unit(shown[c]))
    # text left-aligned, numbers right: a reason of 250 characters right-aligned (skipped.ecsv) put a short one's
    # words a screen away from its field
    align = ["<" if shown[c].dtype.kind in "USO" else ">" for c in shown.colnames]
    lines += ["  " + line.rstrip() for line in shown.pformat(max_lines=-1, max_width=-1, align=align)]
    if len(t) > RESULT_ROWS_SHOWN:
        lines.append(f"  ... {counted(len(t) - RESULT_ROWS_SHOWN, 'more row')} in the file")
    if isinstance(t.meta.get("note"), str):
        lines.append(f"note: {t.meta['note']}")
    return lines


def _is_imagefolder(path: Path) -> bool:
    """A folder without catalogues whose sub-folders hold images (one sub-folder per label)."""
    from starclass.io.cutout_folders import image_format, is_os_clutter
    from starclass.io.overview import CATALOG_SUFFIXES

    if not path.is_dir() or any(f.is_file() and f.name.lower().endswith(CATALOG_SUFFIXES) for f in path.iterdir()):
        return False
    files = [f for sub in path.iterdir() if sub.is_dir() and not is_os_clutter(sub.name)
             for f in sub.iterdir() if f.is_file()]
    # a folder of simulated or survey fields (sub-folders of mosaics beside their truth.ecsv) is not one
    if any(f.name.lower().endswith(CATALOG_SUFFIXES) and image_format(f) is None for f in files):
        return False
    return any(image_format(f) is not None for f in files)


#: Suffixes that only tables have (no plain-text notes, no FITS images): a sub-folder holding
#: one is a field (mosaics beside its catalogue), never a folder of labelled cutouts.
_TABLE_ONLY_SUFFIXES = (".ecsv", ".csv", ".parquet", ".pq", ".tab", ".tab.gz", ".mrt", ".cds")


def _subfolder_images(path: Path) -> bool:
    """Whether visible sub-folders of ``path`` hold images and no table (ImageFolder layout).

    Text files (a ``notes.txt`` among the cutouts) do not count as tables here.
    """
    from starclass.io.cutout_folders import image_format, is_os_clutter

    # at any depth below the label folders, as the cutout reader takes them
    files = [f for sub in path.iterdir() if sub.is_dir() and not is_os_clutter(sub.name)
             for f in sub.rglob("*") if f.is_file() and not any(is_os_clutter(part) for part in
                                                                f.relative_to(sub).parts)]
    if any(f.name.lower().endswith(_TABLE_ONLY_SUFFIXES) for f in files):
        return False
    return any(image_format(f) is not None for f in files)


def _loose_cutouts(path: Path, *, notes_beside: bool = False) -> bool:
    """Whether ``path`` is a plain folder of cutout images (PNG, JPEG, NPY ...) and no table.

    A folder holding any FITS file is left to the mosaic summary (a folder of mosaics looks the
    same, and one with a PNG preview beside its mosaics was read as cutouts: "not square").

    ``notes_beside``: asked once no catalogue could be read there, a text file other than a table
    (a ``notes.txt`` or ``.dat``) may lie beside the pictures; by default only a README may, as any
    other could be a catalogue. ``info`` said "no catalogue could be read" of a folder of PNGs with
    a ``notes.txt`` that ``classify --stamps`` reads as unlabelled cutouts.
    """
    from starclass.io.cutout_folders import image_format, is_os_clutter
    from starclass.io.overview import CATALOG_SUFFIXES

    files = [f for f in path.iterdir() if f.is_file() and not is_os_clutter(f.name)]
    if notes_beside:
        table = [f for f in files if f.name.lower().endswith(_TABLE_ONLY_SUFFIXES)]
    else:
        # a catalogue beside preview pictures is a folder of catalogues (a README.txt is no catalogue)
        table = [f for f in files if f.name.lower().endswith(CATALOG_SUFFIXES) and image_format(f) is None
                 and not f.name.lower().startswith("readme")]
    if table:
        return False
    kinds = {image_format(f) for f in files}
    return "fits" not in kinds and bool(kinds - {None})


def _label_names(cs) -> dict[str, str]:
    """Each label of a cutout folder as train names it (``{"1": "1 (cool core)"}``), or ``{}`` where none is known.

    ``info cc`` (a simulated cool-core folder) said "labels: 1 80, 2 185, 3 53" where train says "1 (cool core)":
    numbers alone. The names come from the task of the simulator that wrote the folder (its ``simulation.json``
    names the preset; the seed presets share their tasks' names), else from a ``class_name`` column that gives
    each label one name.
    """
    import json

    import numpy as np

    labels = np.asarray(cs.labels).astype(str)
    if cs.source.is_file() and (sim := cs.source.parent / "simulation.json").is_file():
        from starclass.learn.config import get_preset
        from starclass.schema import class_labels
        from starclass.simulate.seed_presets import SEED_PRESETS

        try:
            preset = json.loads(sim.read_text()).get("preset")
        except (OSError, ValueError, AttributeError):  # not the simulator's: no names from it
            preset = None
        if isinstance(preset, str) and preset.lower() in SEED_PRESETS:
            task = get_preset(preset)
            named = {str(k): v for k, v in class_labels(task.classes, task.class_names).items()}
            if set(labels) <= set(named):  # the task's classes as numbers, as the simulator writes them
                return named
    if cs.source.is_file() and "class_name" in cs.table.colnames and len(cs.table) == labels.size:
        pairs = {(a, str(b).strip()) for a, b in zip(labels, cs.table["class_name"])}
        if len(pairs) == len({a for a, _ in pairs}):  # one name per label, else the column is no naming of them
            return {a: f"{a} ({b})" if b and b != a else a for a, b in pairs}
    return {}


def fitting_tasks_line(cs: CutoutSet) -> str | None:
    """``tasks: label 1-2: galaxy-cluster, ...; expert 1-5: galaxy-cluster-experts (--label-column expert)``.

    Which packaged tasks train on a labelled cutout folder as it is, column by column: a task fits a column
    when it reads the folder's bands (or, for a folder without band columns, as many channels) and the
    column's labels are exactly its classes (through its ``merge``), or, for a task with a ``label_map``,
    when the map names every label and its classes all have one. A simulated galaxy-cluster folder holds the
    experts' five kinds in ``expert`` beside the binary ``label``: ``info`` said nothing of which task takes
    them, and a task file of one's own for five classes, written without ``threshold: null``, was refused
    for a threshold it never wrote. Other columns are listed only where a task fits them (``n_members``
    holds whole numbers too); the ``fold`` column, the group column and a column with one value per row (an
    id) are no labels and never listed. None for a folder without labels.

    Parameters
    ----------
    cs : CutoutSet
        The folder as read (``read_cutout_folder``).

    Returns
    -------
    str or None
        One line; for a label column no task fits, what to do instead.

    Examples
    --------
    >>> import numpy as np
    >>> from astropy.table import Table
    >>> from starclass.io.cutout_folders import CutoutSet
    >>> cs = CutoutSet(images=np.zeros((3, 1, 8, 8), "f4"), table=Table({"label": ["1", "2", "3"]}),
    ...                files=["a", "b", "c"], labels=np.array(["1", "2", "3"]), groups=np.array(["a", "b", "c"]),
    ...                label_column="label")
    >>> print(fitting_tasks_line(cs))
    tasks that train on these labels (train --task TASK --label-column COLUMN): label 1-3: cool-core, cool-core-compact
    """
    import numpy as np

    from starclass.io.cutout_folders import column_classes
    from starclass.learn.config import PRESETS
    from starclass.schema import label_key

    if cs.labels is None:
        return None
    channels = int(cs.images.shape[1])
    tasks = [PRESETS.load(n) for n in PRESETS.names()]
    bands = sorted(str(b).lower() for b in cs.bands) if cs.bands else None
    tasks = [t for t in tasks if (sorted(t.bands) == bands if bands else len(t.bands) == channels)]
    label_column = cs.label_column or "label"
    columns = [(label_column, [str(v) for v in np.asarray(cs.labels)])]
    if cs.source.is_file():
        from starclass.schema import FOLD

        # the folds (1..5), the objects and a per-row id are no labels: "fold 1-5: galaxy-cluster-experts"
        # offered the list's ready-made folds as five classes, and an integer object_id as many
        skip = {label_column, FOLD, cs.group_column}
        rows = len(cs.table)
        columns += [(c, [str(v) for v in cs.table[c]]) for c in cs.table.colnames
                    if c not in skip and not _is_float_column(cs.table[c])
                    and not (rows > 2 and len(set(map(str, cs.table[c]))) == rows)]
    said = []
    for name, values in columns:
        numbers = column_classes(values)
        if numbers is not None and len(numbers) >= 2:
            fits = [t.name for t in tasks if not t.label_map and numbers <= set(t.merge or t.classes)
                    and {t.merge.get(v, v) for v in numbers} == set(t.classes)]
            shown = (f"{min(numbers)}-{max(numbers)}" if numbers == set(range(min(numbers), max(numbers) + 1))
                     else ", ".join(map(str, sorted(numbers))))
        elif name == label_column and numbers is None:
            words = {label_key(v) for v in values if label_key(v)}
            fits = [t.name for t in tasks if t.label_map and words <= {label_key(k) for k in t.label_map}
                    and {t.label_map[k] for k in t.label_map if label_key(k) in words} == set(t.classes)]
            shown = ", ".join(sorted(words)[:6]) + (", ..." if len(words) > 6 else "")
        else:
            continue
        if fits:
            said.append(f"{name} {shown}: {', '.join(fits)}")
        elif name == label_column:
            said.append(f"{name} {shown}: none of the packaged tasks (a task file of your own names its classes: "
                        "docs/models.md, Task configs)")
    if not said or (len(said) == 1 and "none of the packaged" in said[0] and len(columns) == 1):
        return f"tasks that train on these labels: {said[0]}" if said else None
    return "tasks that train on these labels (train --task TASK --label-column COLUMN): " + "; ".join(said)


def cutout_summary(path: Path, *, file_column: str = "file", task: TaskConfig | None = None) -> str:
    """Lines describing a labelled cutout folder: images, labels, columns, blank images.

    What ``train``/``classify --stamps`` will read, checked the same way (a bad file is an
    error naming it and its row), plus what a user needs before training: label counts, how
    many distinct values each column has (the candidates for ``--group-column``) and the
    blank (constant) images and those with no data (all NaN), which ``classify`` leaves unclassified.

    Parameters
    ----------
    path : Path
        The cutout CSV, or a folder (its ``labels.csv``, else its label folders or images).
    file_column : str
        The CSV's column of image files (``info --file-column``).
    task : TaskConfig, optional
        ``info --task``: its group column and ``label_map`` read the list as ``train`` would, and the labels
        it does not know are warned of. Without it, objects are read from ``object_id`` (m31-real's column)
        where the list has one.

    Warns
    -----
    UserWarning
        What ``train`` would refuse or warn of, by the reader's own checks: an object split across the list's
        folds, an object whose cutouts carry two labels, a label ``task`` does not know.

    Returns
    -------
    str
        The lines, joined by newlines.

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> for lab in ("cluster", "galaxy"):
    ...     (root / lab).mkdir()
    ...     np.save(root / lab / "a.npy", np.arange(64.0).reshape(8, 8))
    >>> print(cutout_summary(root).splitlines()[2])
    labels: cluster 1, galaxy 1
    """
    import warnings
    from collections import Counter

    import numpy as np

    from starclass.io.cutout_folders import (
        PIXEL_KIND_WORDS,
        describe_pixel_ranges,
        mixed_scale_note,
        mixed_sizes_note,
        pixel_ranges,
        read_cutout_folder,
    )

    # a folder of mixed sizes (a cool-core user's 1 Mpc at several redshifts) was refused, exit 2: info describes,
    # so every cutout is read as it is (kept here; the reader is handed each brought to the first one's size)
    natives: list[np.ndarray] = []

    def keep(img: np.ndarray) -> np.ndarray:
        from starclass.stamps.images import resample_cutout  # here: 0.3 s (measured) a folder of one size need not pay

        natives.append(img)
        return resample_cutout(img, natives[0].shape[-1])

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        from starclass.cli._app import bars_or_lines, progress_lines
        from starclass.io.progress import LOGGER

        # info has no --progress: a bar at a terminal, timed lines into a log file (a large folder read silently)
        with progress_lines(None, LOGGER):
            from starclass.io.cutout_folders import stored_group_column

            # the objects as train reads them (its task's column; m31-real's object_id without one), so that
            # the reader's own checks say what train would refuse (an object split across the folds) or warn of
            # (one object's cutouts with two labels), as warnings: info describes, train decides
            grouped = stored_group_column(task.group_column) if task is not None else "object_id"
            cs = read_cutout_folder(path, require_group=False, require_labels=False, resample=keep,
                                    progress=bars_or_lines(None), file_column=file_column, group_column=grouped,
                                    label_map=task.label_map if task is not None else None,
                                    split_folds_refused=False)
    said = f"{cs.source}: " + mixed_sizes_note(cs.native_sizes, int(cs.images.shape[-1])) if cs.native_sizes else None
    for w in caught:
        if str(w.message) != said:  # the sizes are the summary's own line, not "resampled to 48 px"
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if task is not None and cs.labels is not None:
        from starclass.io.cutout_folders import label_classes

        try:
            # the reader's label check, as classify runs it (a warning, rows kept), in train's words
            label_classes(cs, task.label_map, allow_empty=True, allow_unknown=True, config=task,
                          unknown_use=(f"train refuses labels task {task.name!r} does not know, and classify and "
                                       "evaluate leave their rows out of every score (class_ref 0)",
                                       "map them in a task file (label_map) given to train --task"))
        except StarclassError as exc:  # labels of words for a task of class numbers: what train would refuse
            warnings.warn(f"{exc} (train refuses them)", UserWarning, stacklevel=2)
    kind = (_list_kind(cs.source) if cs.source.is_file() else "one sub-folder per label" if cs.labels is not None
            else "images without labels")
    c, h, w = cs.images.shape[1:]
    bands = f", bands {', '.join(cs.bands)}" if cs.bands else ""
    if cs.native_sizes:
        counts = ", ".join(f"{k} x {k} px: {n}" for k, n in sorted(Counter(cs.native_sizes).items()))
        lines = [f"cutout folder: {cs.source} ({kind})",
                 f"cutouts: {len(cs)}, images of {c} channel{'s' if c != 1 else ''} in {len(set(cs.native_sizes))} "
                 f"sizes ({counts}){bands}",
                 "sizes: mixed: a task that sets mixed_sizes (cool-core does) resamples each cutout over its whole "
                 "field to its stamp_size; train, classify and explain under any other task refuse the folder"]
    else:
        lines = [f"cutout folder: {cs.source} ({kind})",
                 f"cutouts: {len(cs)}, images {c} x {h} x {w} (channels x height x width){bands}"]
    if cs.labels is None:
        why = "no 'label' column" if cs.source.is_file() else "no label sub-folders"
        from starclass.io.cutout_folders import label_like_column

        # another team's filename,class,id list (renamed to file,class,id): "classify only" said nothing of the
        # 'class' column that train --label-column class reads, where classify and train point to it
        alike = label_like_column(cs.table.colnames, "label") if cs.source.is_file() else None
        hint = (f" (column {alike!r} may hold them: train, classify and evaluate take --label-column {alike})"
                if alike else "")
        from starclass.schema import CLASS_REF

        try:
            numbered = np.asarray(cs.table[CLASS_REF], dtype=float) if CLASS_REF in cs.table.colnames else np.zeros(0)
        except (TypeError, ValueError):  # a hand-made list's words in class_ref: no class numbers, as the counts say
            numbered = np.zeros(0)
        if (labelled := numbered > 0).any():
            # train --cv's cv_predictions.ecsv holds its labels as class numbers (class_ref, which evaluate and suggest
            # score against): "labels: none" was said of its 40 labels, counted under it
            without = f", {int((~labelled).sum())} without one" if not labelled.all() else ""
            lines.append(f"labels: {int(labelled.sum())} as class numbers in {CLASS_REF}{without} (counted below), "
                         f"none as names: {why}, which train reads{hint}")
        else:
            lines.append(f"labels: none ({why}): classify only{hint}")
    else:
        names, counts = np.unique(cs.labels, return_counts=True)
        from starclass.io.cutout_folders import is_missing_label

        # an empty cell is an unlabelled row: classify takes it, train refuses it; so is 'N/A' a task's map does not
        # name, which was listed as a label like any other
        def shown(n: str) -> str:
            if not n:
                return "(none: classify only)"
            return f"{n} (a missing label? unless the task names it: classify only)" if is_missing_label(n, None) else n

        # "labels: 1 80, 2 185, 3 53" named no class where train says "1 (cool core)": named alike here
        named = _label_names(cs)
        lines.append("labels: " + ", ".join(f"{named.get(n) or shown(n)} {k}" for n, k in zip(names, counts)))
        from starclass.io.cutout_folders import case_twin_groups

        # 'CLUSTER 1, Cluster 1, cluster 3' read as three labels here, where train and classify read them as one
        if twins := case_twin_groups(cs.labels):
            groups = "; ".join(", ".join(f"{n} {k}" for n, k in g) + f" ({sum(k for _, k in g)} in all)"
                               for g in twins)
            lines.append(f"labels that differ only in case: {groups}: a task whose label_map names one spelling of "
                         "a group reads the group as that one label (train and classify say so)")
        if names.size == 1 and not cs.source.is_file():
            from starclass.io.cutout_folders import one_folder_hint
            from starclass.learn.config import preset_labels

            # DIR/data/<label>/ given as DIR: "labels: data 12" said nothing of the folder meant; info has no task,
            # so DIR/cluster/n1/ is told from it by the labels of every packaged task
            if hint := one_folder_hint(cs.source, preset_labels()):
                lines.append(hint)
    if cs.folds is not None:
        from starclass.learn.crossval import given_fold_names
        from starclass.schema import FOLD

        # the list's own folds, which only train --cv fold reads: "distinct values per column: fold 3" said nothing
        # of what they are for, nor that --cv K draws others
        names = given_fold_names(cs.folds)
        sizes = Counter(str(int(f)) for f in cs.folds)
        lines.append(f"folds: {counted(len(names), 'ready-made fold')} in column {FOLD!r} ("
                     + ", ".join(f"{n}: {sizes[n]}" for n in names)
                     + "): train --cv fold holds out each in turn; train --cv K draws folds of its own")
    if task is None and (fitting := fitting_tasks_line(cs)):
        lines.append(fitting)
    if cs.source.is_file():
        # the float columns (probabilities, positions) by their range: "prob_1 30" said only that no two differed
        floats = [c for c in cs.table.colnames if _is_float_column(cs.table[c])]
        others = [c for c in cs.table.colnames if c not in floats]
        if others:
            from astropy.table import Column

            # the label column as the reader reads it (stripped): ' cluster' and 'cluster' were two values in a
            # CSV, one in the same list as ECSV (astropy strips its cells), where train reads one label
            def as_read(col):
                read = col == cs.label_column and cs.labels is not None
                return Column(cs.labels, name=col) if read else cs.table[col]

            lines.append("distinct values per column: " + ", ".join(_distinct_words(as_read(col)) for col in others))
        if floats:
            lines.append("range of each float column: " + ", ".join(_range_words(cs.table[col]) for col in floats))
        lines += _provenance_lines(cs.table, cs.files)
    # the pixels as read (of each size), not as resampled to one
    flats = [np.ravel(img) for img in natives] if cs.native_sizes else list(cs.images.reshape(len(cs), -1))
    empty = np.array([not np.isfinite(f).any() for f in flats], bool)  # every pixel NaN (off the chip): blank too
    with np.errstate(invalid="ignore"):
        lo = np.array([np.nan if e else np.min(f[np.isfinite(f)]) for f, e in zip(flats, empty)], float)
        hi = np.array([np.nan if e else np.max(f[np.isfinite(f)]) for f, e in zip(flats, empty)], float)
    ranges = pixel_ranges(cs.files, cs.pixel_kinds, lo, hi) if len(cs.pixel_kinds) == len(cs) else []
    if (~empty).any() and len(ranges) > 1:
        # a folder of PNGs (0-1) and FITS/NPY (0-1000) said "pixel values: 0 .. 1000": the range of the FITS, and
        # nothing of the PNGs having been scaled, which matters to a task of normalisation none
        lines.append(f"pixel values by format: {describe_pixel_ranges(ranges)}")
        if note := mixed_scale_note(cs):
            lines.append(f"note: {note.split('; per format:')[0]}: picture files (PNG, JPEG, TIFF, BMP, WebP; uint8 "
                         "and uint16 NPY) are divided by their type's maximum, FITS and other NPY keep their stored "
                         "values. A task that normalises each stamp (zscore, zstd, asinh; m31-real: zscore) puts "
                         "them on one scale; under normalisation 'none' train, calibrate, classify and explain "
                         "refuse the folder (convert the cutouts to one kind)")
    elif (~empty).any():
        # one kind of file: how it was read, said with its range (0 .. 1 of a PNG is scaled, of a FITS stored)
        how = (f" ({ranges[0][0]}: {PIXEL_KIND_WORDS[ranges[0][1]]})" if ranges and ranges[0][1] in PIXEL_KIND_WORDS
               else "")
        lines.append(f"pixel values: {figure(np.nanmin(lo))} .. {figure(np.nanmax(hi))}{how}")
    from starclass.io.cutout_folders import mixed_units_note, units_seen

    if seen := units_seen(cs):
        # BUNIT and EXPTIME went unread: a set of cutouts in counts beside counts/s was described by its range alone
        lines.append(f"FITS units (BUNIT; EXPTIME of those in counts): {seen}")
    if units_note := mixed_units_note(cs):
        warnings.warn(f"{cs.source}: {units_note}. A task that normalises each stamp (zscore, zstd, asinh, rgb; "
                      "m31-real: zscore) divides out a factor per cutout, so this changes nothing for it; under "
                      "normalisation 'none' or 'flux' the network sees these cutouts on different scales: convert "
                      "them to one unit (counts / EXPTIME = counts/s).", UserWarning, stacklevel=2)
    from starclass.learn.classify import blank_words

    # an all-NaN cutout was listed among the "blank (constant) images": it holds no data, which is not the same fault
    for blank, nd in ((np.flatnonzero((lo == hi) & ~empty), False), (np.flatnonzero(empty), True)):
        if not blank.size:
            continue
        # 1-based rows, as the reader's messages name them
        where = [f"row {i + 1} {cs.files[i]}" if cs.source.is_file() else cs.files[i] for i in blank[:5]]
        lines.append(f"{blank_words(nd, None, image=True)}: {blank.size} ({', '.join(where)}"
                     f"{', ...' if blank.size > 5 else ''}): classify leaves them unclassified (class_pred 0); train "
                     "and calibrate leave them out")
    from starclass.stamps.images import ZERO_PADDING_ADVICE, ZERO_PADDING_WORDS, zero_padding_rows

    # a survey's zero padding (no weight map) is read as data: named before training by the rule classify and
    # train name it by (each cutout as read; a blank one is said above)
    padded_rows, share = zero_padding_rows(cs, lo != hi)
    padded = np.flatnonzero(padded_rows)
    if padded.size:
        where = [f"{f'row {i + 1} ' if cs.source.is_file() else ''}{cs.files[i]} {round(100 * share[i])}%"
                 for i in padded[:5]]
        lines.append(f"images with {ZERO_PADDING_WORDS}: {padded.size} ({', '.join(where)}"
                     f"{', ...' if padded.size > 5 else ''}): read as data; {ZERO_PADDING_ADVICE}")
    # as read, as the other lines: a mixed-size folder's cutouts before they are resampled
    if (line := _no_data_line(cs, natives if cs.native_sizes else list(cs.images), empty)) is not None:
        lines.append(line)
    return "\n".join(lines)


def _no_data_line(cs, images, empty) -> str | None:
    """``images partly without data (NaN ...): 56 ...``: the cutouts with some pixels NaN (none when there are none).

    A FITS cutout at a chip's edge holds NaN beyond it; ``classify --stamps`` counts each one's share
    (``stamp_no_data``) and leaves one whose centre pixel is NaN unclassified, ``train`` fills them, but ``info``
    said nothing of them (until 2026-12-06): 56 of 120 101 px FITS cutouts with NaN chip edges were described by
    their size, labels and pixel range only. All-NaN cutouts are said with the blank ones, above.
    """
    import numpy as np

    bad = [~np.isfinite(img).all(axis=0) for img in images]  # each [H, W]: no data in some channel
    share = np.array([b.mean() for b in bad])
    rows = np.flatnonzero((share > 0) & ~np.asarray(empty, dtype=bool))
    if not rows.size:
        return None
    centre = [i for i in rows if bad[i][bad[i].shape[0] // 2, bad[i].shape[1] // 2]]
    where = [f"{f'row {i + 1} ' if cs.source.is_file() else ''}{cs.files[i]} {100 * share[i]:.2g}%" for i in rows[:5]]
    at_centre = (f"; {len(centre)} without data at the centre pixel, which classify leaves unclassified"
                 if centre else "")
    return (f"images partly without data (NaN, or zero exposure): {rows.size} ({', '.join(where)}"
            f"{', ...' if rows.size > 5 else ''}; up to {100 * float(share[rows].max()):.2g}% of the pixels): "
            f"left out of the normalisation and given the background in the network's input; classify --stamps "
            f"gives each one's share in column stamp_no_data{at_centre}")


def _dir_summary(directory: Path, column_map: dict[str, str] | None, out_format: str,
                 images: list[Path] = (), magsys: str = "vega") -> bool:
    """One row per catalogue of ``directory``; warnings (uncertain layouts) listed below it.

    ``images`` (FITS mosaics in the folder) are not catalogues: no "skipped" note for them.
    When no other file reads as a catalogue, the mosaics are described instead and each such
    file is named in a note; returns whether catalogues were summarised.
    """
    # here, not at the top: starclass.io (astropy) adds 0.9 s (measured) to the 0.4 s of `starclass --help`
    import io

    import numpy as np
    from astropy.table import MaskedColumn

    from starclass.cli.info_outputs import field_evaluation_note, simulation_note
    from starclass.io.overview import summarise_dir

    # with mosaics, a stray pos.txt or notes.txt that is no catalogue must not hide them: info said only
    # "no catalogue could be read in DIR"
    skip = {p.name for p in images}
    # the simulator's own record (simulate FIELD_DIR writes simulation.json beside the field) was counted as
    # "1 file not read as a catalogue: simulation.json", as if something were wrong with it: said as what it is
    # so was a survey field's evaluation.json (until 2026-12-07), which info of the file describes
    own = [n for p in sorted(directory.glob("*.json"))
           if (n := simulation_note(p) or field_evaluation_note(p)) is not None]
    skip |= {n.split(":", 1)[0] for n in own}
    table, notes = summarise_dir(directory, column_map, allow_none=bool(images), read_elsewhere=skip)
    notes = [n for n in notes if n.split(":", 1)[0] not in skip] + own
    # a table starclass wrote beside the catalogues (demo's completeness.ecsv) was "not read as a catalogue,
    # skipped: required column 'id' missing ... name a column 'id' in the file"
    notes = [_own_table_note(directory, n) for n in notes]
    if not len(table):
        if out_format != "text":
            # each note on a file starts with its name; the one counting them all ("1 file not read as ...") does not
            names = ", ".join(n.split(":", 1)[0] for n in notes if (directory / n.split(":", 1)[0]).is_file())
            raise StarclassError(f"--out-format {out_format} applies to a folder of catalogues; {directory} holds "
                                 f"FITS mosaics and no file that reads as a catalogue ({names})")
        echo("\n".join(mosaic_lines(images, magsys)))
        for n in notes:
            echo(f"note: {n}")
        return False
    from starclass.schema import CI_CUT, CLASS_COLUMN, FIELD, MAPPED, SUMMARY_FILE

    # a file with no inspected source (no class column: NGC 3351, NGC 4242, NGC 45) has no cut and no class column
    # counted: masked in every format, which astropy writes "--" in the text table and an empty cell in csv/ecsv
    # (csv said "nan", read as a cut that came out wrong, where the text table said "--")
    cut = np.asarray(table[CI_CUT], float)
    table[CI_CUT] = MaskedColumn(cut, mask=~np.isfinite(cut), format=".2f")
    counted_in = np.asarray(table[CLASS_COLUMN], str)
    table[CLASS_COLUMN] = MaskedColumn(counted_in, mask=counted_in == "")
    if out_format == "text":
        if len(set(table[FIELD])) == len(table):
            table.remove_column(SUMMARY_FILE)  # the field names it; csv/ecsv keep the file name
        # else kept: a simulated field's truth.ecsv and humans.ecsv share its galaxy name, rows no one could tell
        # apart
        if not any(table[MAPPED]):
            table.remove_column(MAPPED)
        echo("\n".join(table.pformat(max_lines=-1, max_width=-1)))
        for n in notes:
            echo(f"note: {n}")
        return True
    buf = io.StringIO()
    table.write(buf, format=f"ascii.{out_format}")
    echo(buf.getvalue().rstrip("\n"))
    for n in notes:
        typer.echo(f"note: {n}", err=True)
    return True


def _own_table_note(directory: Path, note: str) -> str:
    """A folder summary's note on a file: said as a table starclass wrote when it is one, else as it was."""
    name = note.split(":", 1)[0]
    said = _results_table_lines(directory / name) if name.lower().endswith(".ecsv") else None
    if said is None:
        return note
    # "DIR/NAME: a table starclass demo wrote into DIR, not a catalogue of candidates (...)"
    what = said[0].split(": ", 1)[1].split(", not a catalogue")[0]
    return f"{name}: {what}, not a catalogue (starclass info {shell_word(directory / name)} shows it)"


#: The files of a cross-validation folder (train --cv) other than its fold models, and what each holds.
CV_FILES = {"cv_summary.json": "the pooled and per-fold metrics, written when every fold is done",
            "cv_folds.json": "what the run was asked for (scheme, task, folds), written before the first fold",
            "cv_metrics.ecsv": "the metrics of each fold and pooled (below the folder's lines)"}


def _cv_metrics_lines(path: Path) -> list[str]:
    """The rows of a ``cv_metrics.ecsv``, as train --cv printed them."""
    import numpy as np
    from astropy.table import Table

    try:
        t = Table.read(path, format="ascii.ecsv")
    except Exception as exc:  # any unreadable file is said, not a traceback
        raise StarclassError(f"cannot read {path} as ECSV: {type(exc).__name__}: {exc}") from None
    cols = [c for c in t.colnames if c != "fold"]
    width = max(6, *(len(str(v)) for v in t["fold"])) if len(t) else 6
    out = ["  " + f"{'fold':<{width}}  " + "  ".join(f"{c:>8}" for c in cols)]
    for row in t:
        cells = []
        for c in cols:
            v = row[c]
            if isinstance(v, (int, np.integer)):
                cells.append(f"{'' if v < 0 else v:>8}")  # -1: the pooled row has no one model
            else:
                cells.append(f"{'—':>8}" if not np.isfinite(v) else f"{v:>8.3f}")
        out.append("  " + f"{row['fold']!s:<{width}}  " + "  ".join(cells))
    return out


def _is_task(path: Path) -> bool:
    """Whether ``info PATH`` is given a task: a preset's name (no such file) or a YAML file that is no survey plan.

    Examples
    --------
    >>> _is_task(Path("m31-real")), _is_task(Path("no-such-task"))
    (True, False)
    """
    from starclass.learn.config import PRESETS

    if not path.exists():
        return str(path).lower() in PRESETS
    if not path.is_file() or path.suffix.lower() not in (".yaml", ".yml"):
        return False
    import yaml

    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return True  # named as a task file: load_config says what is wrong with it
    # a survey plan lists its fields (and the model); read_catalog's refusal names both kinds of YAML
    return not (isinstance(doc, dict) and "fields" in doc)


@command("info")
def info(
    paths: list[Path] = typer.Argument(
        ..., help="A catalogue (LEGUS .tab, PHANGS, CDS/MRT, CSV, ECSV, Parquet, FITS), a folder of catalogues, "
                  "FITS mosaics (one per band), a labelled cutout folder, a trained model (directory or "
                  "member .pt), or a task (a preset's name or a task file)."),
    fmt: str = typer.Option(None, "--format", "-f",
                            help="Catalogue format: legus, phangs, cds, mrt, csv, ecsv, parquet, fits, "
                                 "ds9 (a region file of positions), ascii (default: guessed from the "
                                 "extension and contents)."),
    column_map: list[str] = typer.Option(
        None, "--map", help="Name a column: --map X_IMAGE=x, --map class_ref=Class, or a LEGUS .tab column number "
                            "(class_ref=35); repeatable. In a folder, numbers apply to LEGUS files of uncertain "
                            "layout, names to the other tables."),
    bands: str = typer.Option(
        None, "--bands", help="LEGUS .tab: its five filters, blue to red, e.g. f275w,f336w,f435w,f606w,f814w "
                              "(default: a readme beside it, the survey table, the file name)."),
    out_format: str = typer.Option("text", "--out-format", help="Directory summary as text, csv or ecsv."),
    one_based: bool = typer.Option(
        None, "--one-based/--zero-based",
        help="Whether the file's x, y are 1-based (FITS/DS9) or 0-based; default: the format's convention."),
    magsys: str = typer.Option(
        None, "--magsys", help="FITS mosaics only: magnitude system of the zeropoints, vega or ab (default vega)."),
    ds9: Path = typer.Option(None, "--ds9", help="Also write a DS9 region file of the catalogue, coloured by class."),
    ds9_coords: str = typer.Option(
        None, "--ds9-coords", help="With --ds9: region coordinates, image (1-based px), icrs (ra, dec as they are) "
                                   "or fk5 (converted; default image, icrs for a catalogue of ra, dec only)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing --ds9 file; without it it is kept."),
    file_column: str | None = FILE_COLUMN_OPTION,
    task: str = typer.Option(None, "--task", help="One catalogue: the task preset, task file or trained model folder "
                                                  "whose classes to read and count it for (a CSV keeps no task: "
                                                  "classes beyond 1-4 are otherwise counted by number); a cutout "
                                                  "list: the task train would read it with (its label_map and "
                                                  "group column), its unknown labels warned of."),
) -> None:
    """Summarise a catalogue (rows, columns, bands, class counts, magnitude ranges), a folder of
    catalogues (one row each: field, rows, inspected, classes 1-4, bands, CI cut, layout), FITS
    mosaics (shape, bands, zeropoints, pixel scale), or a labelled cutout folder (images, labels,
    distinct values per column, blank images), or a trained model (task, classes, inputs, members,
    the weights each started from, frozen layers, epochs, decision, calibration), a 'train --cv'
    folder (task, folds, pooled and per-fold metrics), or a stamp store from 'starclass cutouts'
    (candidates, inputs, bands, scales, classes), or a table that evaluate, report or explain wrote (what it
    holds, its rows), or a folder that evaluate, report, explain, survey, simulate --fields or cutouts
    --phangs-fits-dir wrote (what it is, its headline numbers), or a task, a preset's name or a task file (classes,
    inputs, network, recipe). Positions are reported 0-based.

    Examples: starclass info field/truth.ecsv; starclass info field/; starclass info model/; starclass info m31-real
    """
    from starclass.io.paths import check_inputs_readable, check_output

    if len(paths) == 1 and _is_task(paths[0]):
        # a task file was refused as "not a catalogue", a preset's name as no such file: described as info
        # describes a model's task (the options of a table or mosaics are refused, as for a model)
        if ds9 is not None or fmt is not None or column_map or bands is not None or one_based is not None \
                or magsys is not None or task is not None or file_column is not None or out_format != "text":
            raise StarclassError(f"{paths[0]} is a task (as --task takes it): info describes it with no other option")
        from starclass.learn.summary import task_summary

        echo("\n".join(task_summary(paths[0])))
        return
    # each path first, in the words of every command's missing input: 'info LOOP' said "catalogue file not
    # found: loop" where evaluate adds "(a link to loop)"
    check_inputs_readable([("", p) for p in paths])
    check_output(ds9, paths, option="--ds9", overwrite=overwrite, file=True)
    from starclass.cli._app import show_progress
    from starclass.io.progress import say_step

    # what it is looking at, at a terminal, before astropy's tables, FITS and WCS load below (starclass.io: 0.9 s,
    # measured, more on a loaded machine): the summary's first line waited for them and for the read, as every
    # command's did until they said their first step first (evaluate, report, classify)
    say_step(f"info: reading {', '.join(map(str, paths))} ...", show_progress(None))
    # here, not at the top: starclass.io (astropy) adds 0.9 s (measured) to the 0.4 s of `starclass --help`
    from starclass.io.catalog import read_catalog
    from starclass.io.mosaic import read_mosaics
    from starclass.io.overview import parse_column_map
    from starclass.io.regions import class_column, write_regions

    cmap = parse_column_map(column_map)
    if out_format not in ("text", "csv", "ecsv"):
        raise StarclassError(f"--out-format must be text, csv or ecsv, got {out_format!r}")
    if ds9_coords is not None and ds9_coords not in REGION_COLUMNS:
        # now, by its name: it failed as "coords must be ..." after the summary was printed
        raise StarclassError(f"--ds9-coords must be image, icrs or fk5, got {ds9_coords!r}")
    if ds9_coords is not None and ds9 is None:
        # it says how the --ds9 file is written: without one it was ignored, exit 0 (its default was not None,
        # so 'given' could not be told from the value)
        raise StarclassError(f"--ds9-coords {ds9_coords} says the coordinates of the --ds9 region file; "
                             "give --ds9 FILE too, or leave --ds9-coords out")
    if magsys is not None and magsys.lower() not in ("vega", "ab"):
        # as detect says it; on mosaics read_mosaics said "magsys must be ..." without the option's dashes,
        # elsewhere the bad value was ignored with the option
        raise StarclassError(f"--magsys must be vega or ab, got {magsys!r}")
    # the one check of every --bands: 'f275w,f336w,f555w,f555w,f814w' read one band's columns as another's, exit 0
    band_list = band_option(bands)
    zp_system = (magsys or "vega").lower()  # None: not given (refused where no mosaics are read), Vega
    # loaded here, so that an unknown or unreadable task is named as the option it came from (as evaluate)
    from starclass.cli._app import task_option

    cfg = None if task is None else task_option(task)
    if file_column is not None and not (len(paths) == 1 and _cutout_csv(paths[0], file_column) is not None):
        # asked for and not applied (a catalogue, a model, label folders without a CSV), it would do nothing unsaid
        raise StarclassError(f"--file-column {file_column!r} names the column of image files of a cutout CSV (or of "
                             f"a folder's labels.csv); {', '.join(map(str, paths))} is none")
    from starclass.learn.summary import cv_folder_summary, is_model_path, model_summary

    def refuse_ds9(kind: str, *, folder: bool = False, mosaics: bool = False, takes_task: bool = False) -> None:
        # --ds9 was ignored without a word (exit 0, no file) on anything but a catalogue: a cutout folder,
        # a folder of catalogues, a model, mosaics; said before any summary is printed
        if ds9 is not None:
            raise StarclassError(f"--ds9 writes the regions of one catalogue with positions; {kind}")
        refuse_catalogue_options(kind, folder=folder, takes_task=takes_task)
        if not mosaics:
            refuse_magsys(kind)

    def refuse_magsys(kind: str) -> None:
        # --magsys is read only where FITS mosaics are described (their zeropoints); on a model, a cutout folder
        # or a catalogue it was ignored without a word, exit 0
        if magsys is not None:
            raise StarclassError(f"--magsys is the magnitude system of FITS mosaics' zeropoints; {kind}")

    def refuse_catalogue_options(kind: str, *, folder: bool = False, takes_task: bool = False) -> None:
        # the options that say how one catalogue is read were ignored without a word (exit 0) where none is read:
        # 'info pandas-m31 --bands ...' (a cutout folder), 'info legus --format phangs' (each file of a folder is
        # read as its own format); --map is applied to a folder's catalogues (summarise_dir), so not refused there
        one = None if one_based is None else ("--one-based" if one_based else "--zero-based")
        given = [o for o, on in (("--format", fmt is not None), ("--bands", bool(band_list)),
                                 ("--map", bool(cmap) and not folder), (one, one is not None),
                                 ("--task", cfg is not None and not takes_task)) if on]
        if not given:
            return
        names = " and ".join([", ".join(given[:-1]), given[-1]] if len(given) > 1 else given)
        need = "need" if len(given) > 1 else "needs"
        if not folder:
            raise StarclassError(f"{names} {need} a catalogue; {kind}")
        why = {"--format": "each file is read in its own format", "--bands": "each LEGUS .tab takes its own filters",
               one: "the table shows no positions", "--task": "its table counts the classes 1-4"}
        parts = [why[o] for o in given]
        said = " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)
        raise StarclassError(f"{names} {need} one catalogue (in a folder {said}); {kind}")

    if len(paths) == 1 and is_model_path(paths[0]):
        refuse_ds9(f"{paths[0]} is a trained model")
        # a model directory was read as a folder of catalogues ("no catalogue could be read")
        # the summary's calibration cautions are the library's words (calibrate_model, val_fraction): said as options
        # the calibrate command its cautions offer names this model, as calibrate and classify now name it
        echo(calibrate_command_named(cli_words("\n".join(model_summary(paths[0]))), paths[0]))
        return
    cv_lines = cv_folder_summary(paths[0]) if len(paths) == 1 else None
    if cv_lines is None and len(paths) == 1 and paths[0].name in CV_FILES and paths[0].is_file():
        # the files train --cv writes: cv_metrics.ecsv was "required column 'id' missing ... name a column 'id'",
        # cv_summary.json astropy's 70 lines of format guesses; said as what they are, with their folder
        cv_lines = cv_folder_summary(paths[0].parent)
        if cv_lines is not None:
            cv_lines = [f"{paths[0]} holds {CV_FILES[paths[0].name]}; its folder:", *cv_lines]
            if paths[0].name == "cv_metrics.ecsv":
                cv_lines += _cv_metrics_lines(paths[0])
    if cv_lines is not None:
        refuse_ds9(f"{paths[0]} is a cross-validation folder (train --cv)")
        # the folder train --cv writes: "no catalogue could be read in m31_cv5 (looked for ...)"
        if out_format != "text":
            raise StarclassError(f"--out-format {out_format} applies to a folder of catalogues; {paths[0]} is "
                                 "a cross-validation folder")
        echo("\n".join(cv_lines))
        return
    from starclass.cli.info_outputs import demo_lines, output_lines

    if len(paths) == 1 and (out_lines := output_lines(paths[0])) is not None:
        # the folders evaluate, report, explain and survey write (and their summary.json, explain.json, page):
        # "no catalogue could be read in ev (looked for .tab, ...)", "it is JSON", or minutes of format guesses
        # "evaluation folder ev" (its first line, up to its command); a file or a part (ev/tables) by its name
        kind = (str(paths[0]) if out_lines[0].startswith((f"{paths[0]} ", f"{paths[0]}:"))
                else out_lines[0].split(" (")[0])
        if out_format != "text":
            raise StarclassError(f"--out-format {out_format} applies to a folder of catalogues, not to {kind}; "
                                 f"starclass info {shell_word(paths[0])} describes it as text")
        if ds9 is not None:
            raise StarclassError(f"--ds9: {kind} is not a catalogue with positions")
        refuse_catalogue_options(f"{kind} is not one")
        refuse_magsys(f"{kind} is not a set of FITS mosaics")
        echo("\n".join(out_lines))
        return
    from starclass.io.cutout_folders import is_hdf5

    if len(paths) == 1 and paths[0].is_file() and is_hdf5(paths[0]):
        # the store `starclass cutouts` writes was read as a text table: "cannot read stamps.h5 as
        # ascii: UnicodeDecodeError: 'utf-8' codec can't decode byte 0x89"
        if out_format != "text":
            raise StarclassError(f"--out-format {out_format} applies to a folder of catalogues; {paths[0]} is "
                                 "a stamp store")
        refuse_ds9(f"{paths[0]} is a stamp store (starclass cutouts)")
        echo("\n".join(store_lines(paths[0])))
        return
    from starclass.io.ssp_table import looks_like_ssp_table
    from starclass.science.ssp import ssp_summary_lines

    if len(paths) == 1 and paths[0].is_file() and fmt is None and not cmap and looks_like_ssp_table(paths[0]):
        # the SSP table evaluate and report take with --ssp (../shared/data/ssp) was read as a catalogue: "required
        # column 'id' missing ...; name a column 'id' in the file" (until 2026-12-07)
        if out_format != "text":
            raise StarclassError(f"--out-format {out_format} applies to a folder of catalogues; {paths[0]} is an "
                                 "SSP model table")
        refuse_ds9(f"{paths[0]} is an SSP model table, not a catalogue with positions")
        echo("\n".join(ssp_summary_lines(paths[0])))
        return
    # a table of evaluate, report or explain that lists cutouts (explain's tables/stamps.ecsv: file, class_pred) is
    # that command's table, its rows shown: read as a cutout list it was "images: not read (... no such file)", its
    # files being relative to the stamps explained, not to tables/ (until 2026-12-07)
    result = (_results_table_lines(paths[0]) if len(paths) == 1 and fmt is None and not cmap and not band_list
              and file_column is None else None)
    if result is None and len(paths) == 1 and (
            _cutout_csv(paths[0], file_column) is not None or _is_imagefolder(paths[0])
            or (paths[0].is_dir() and _loose_cutouts(paths[0]))):
        # a labels.csv given itself is its folder's list: 'is a cutout folder' of a CSV file read oddly
        # --task reads the list as train would with it (its objects and label_map): what train would refuse is said
        refuse_ds9(f"{paths[0]} is {'a list of cutouts' if paths[0].is_file() else 'a cutout folder'} "
                   "(images, no positions)", takes_task=True)
        try:
            summary = cutout_summary(paths[0], file_column=file_column or "file", task=cfg)
        except StarclassError as exc:
            if (cut := _cutout_output(paths[0])) is None:
                raise
            # a classified list away from its cutouts: o.ecsv was described (rows, class counts) where o.csv was
            # "row 1 ...: no such file", exit 2; both are described now, and why their images are not
            echo(catalog_summary(cut, str(paths[0])))
            echo(f"images: not read ({exc})")
            return
        echo(summary)
        listed = _listed_table(csv_path) if (csv_path := _cutout_csv(paths[0], file_column)) is not None else None
        if csv_path is not None and (counts := classified_csv_lines(csv_path, listed)):
            # classify --stamps -o OUT.csv: its class_pred counts were missing (OUT.ecsv showed them); train --cv's
            # cv_predictions.ecsv was headed "classified (classify --stamps)" too, until 2026-12-07
            echo(counts_heading(listed) + "\n" + "\n".join(counts))
        if csv_path is not None and (people := _export_vote_lines(csv_path)):
            echo("\n".join(people))
        return
    if len(paths) == 1 and paths[0].is_dir():
        from starclass.io.overview import CATALOG_SUFFIXES

        images = _image_fits_in(paths[0])
        tables = [f for f in paths[0].iterdir() if f.is_file() and f.name.lower().endswith(CATALOG_SUFFIXES)
                  and f not in images and not f.name.lower().endswith(".readme")]
        if images and not tables:
            # a folder of mosaics: "no catalogue could be read" said nothing about them
            if out_format != "text":
                raise StarclassError(f"--out-format {out_format} applies to a folder of catalogues; {paths[0]} "
                                     "holds FITS mosaics only")
            refuse_ds9(f"{paths[0]} holds FITS mosaics only, no catalogue", mosaics=True)
            echo("\n".join(mosaic_lines(images, zp_system)))
            return
        refuse_ds9(f"{paths[0]} is a folder: give one catalogue in it (starclass info {shell_word(paths[0])} lists "
                   "them)",
                   folder=True, mosaics=True)
        if not images:
            refuse_magsys(f"{paths[0]} holds no FITS mosaics")
        try:
            summarised = _dir_summary(paths[0], cmap, out_format, images, zp_system)
            if summarised and out_format == "text" and (demo := demo_lines(paths[0])) is not None:
                # a demo's folder was a table of its two catalogues, without a word of the model or report
                echo("\n" + "\n".join(demo))
            if summarised and images:
                # a field folder: its catalogues above, its mosaics here (they were "skipped" notes)
                lines = mosaic_lines(images, zp_system)
                if out_format == "text":
                    echo("\n" + "\n".join(lines))
                else:
                    typer.echo(f"note: {lines[0]} (starclass info {shell_word(paths[0])} describes them as text)",
                               err=True)
        except StarclassError as exc:
            # a README.txt beside the label folders, or notes.txt inside one, looks like a
            # catalogue to the quick test above; when no catalogue reads, sub-folders of
            # images (and no table: fields keep their message) are a cutout folder, as train
            # and classify --stamps read it
            if not (_subfolder_images(paths[0]) or _loose_cutouts(paths[0], notes_beside=True)):
                from starclass.io.cutout_folders import LABELS_CSV, stray_cutout_csvs

                if stray := stray_cutout_csvs(paths[0]):
                    # 'no catalogue could be read' of a folder of cutouts listed in a Labels.CSV from Windows
                    raise StarclassError(f"{paths[0]}: no catalogue, but {', '.join(p.name for p in stray)} lists "
                                         f"cutouts (a 'file' column); a folder is read through {LABELS_CSV} (this "
                                         "name, in lower case): give the CSV itself, starclass info "
                                         f"{shell_word(stray[0])}, or "
                                         f"rename it {LABELS_CSV}") from None
                from starclass.cli.info_outputs import plan_parse_error

                if (why := plan_parse_error(paths[0])) is not None:
                    # a fields folder whose plan.yaml does not parse was "no catalogue could be read in DIR",
                    # without a word of the plan
                    raise StarclassError(f"survey plan {paths[0] / 'plan.yaml'} is not valid YAML: {why}; "
                                         f"and {exc}") from None
                raise
            # --map, for the catalogues that were not there, would be ignored
            refuse_catalogue_options(f"{paths[0]} is a cutout folder (images, no positions)")
            refuse_magsys(f"{paths[0]} is a cutout folder (images, no positions)")
            echo(cutout_summary(paths[0]))
        return
    if out_format != "text":
        # it shapes a folder's summary only: for a file it was ignored without a word
        raise StarclassError(f"--out-format {out_format} applies to a folder of catalogues; "
                             f"{paths[0]} is not a folder")

    if len(paths) > 1 or _is_image_fits(paths[0]):
        refuse_ds9(f"{', '.join(map(str, paths))} {'are' if len(paths) > 1 else 'is'} "
                   f"{'FITS images' if len(paths) > 1 else 'a FITS image'}, not a catalogue", mosaics=True)
        # mosaic_lines reads them again and says the V band
        ms = read_mosaics([str(p) for p in paths], magsys=zp_system, require_zeropoint=False, warn_v_band=False)
        echo("\n".join(mosaic_lines(list(ms.paths.values()), zp_system)))
        return

    # a catalogue's magnitudes are read as written (their system is the file's): --magsys was ignored, exit 0
    refuse_magsys(f"{paths[0]} is not a FITS image")
    if result is not None:
        # evaluate's, report's or explain's own tables: "required column 'id' missing ... name a column 'id'"
        if ds9 is not None:
            raise StarclassError(f"--ds9: {result[0].split(' (it has no')[0]} with positions")
        # --one-based was ignored (exit 0); --format, --map and --bands read the table as a catalogue instead
        refuse_catalogue_options(result[0].split(" (it has no")[0].replace(f"{paths[0]}: ", f"{paths[0]} is ", 1))
        echo("\n".join(result))
        return
    if fmt is None and not cmap and not band_list and (cut := _cutout_output(paths[0])) is not None:
        # classify --stamps -o OUT.ecsv/.parquet/.fits: "required column 'id' missing" before
        refuse_ds9(f"{paths[0]} is a classified cutout folder (files, no positions)")
        echo(catalog_summary(cut, str(paths[0]), cfg))
        return
    from starclass.cli._app import held_warnings

    # the reader's warnings (a LEGUS file's uncertain layout) said after the catalogue: line that names the file, not
    # above it (until 2026-12-07); where it is refused, before the error
    held: list[str] = []
    try:
        with held_warnings(UserWarning) as held:
            try:
                # a catalogue of no rows is described, not refused: detect writes one when no candidate passes its
                # cuts ("wrote c.ecsv (0 rows)"), and info said only "error: catalogue c.ecsv has no rows" (exit 2)
                # for --task its classes; without, any class value is read and counted by number (said in a note): a
                # five-class CSV was refused "class 5 ... is not 0-4" with no way to say its classes
                table = read_catalog(paths[0], fmt=fmt, column_map=cmap, one_based=one_based, bands=band_list,
                                     allow_empty=True, require_xy=False,
                                     classes=() if cfg is None else cfg.catalogue_classes, any_classes=cfg is None,
                                     ids_within_field=True)  # a merged store's classification: ids repeat per field
                if len(table) == 0 and _blank_file(paths[0]):
                    # a file with nothing in it (no header, no columns) is no catalogue at all
                    raise StarclassError(f"catalogue {paths[0]} has no rows")
            except StarclassError:
                from starclass.io.catalog import guess_format, not_a_catalogue_reason, read_table

                # a table of no candidates (the LEGUS folder's layouts.csv) was told "name a column 'id' in the file"
                if not (why := not_a_catalogue_reason(paths[0], cmap)) or (
                        fmt is not None and fmt.lower() != guess_format(
                        paths[0])):
                    raise  # read as another format than its own (--format legus of a CSV): the reader's message
                rows = counted(len(read_table(paths[0])), "row")
                # the options of a catalogue (its positions, a LEGUS .tab's bands) were met with the same hint to
                # "name a column 'id' in the file" (--ds9), or were ignored without a word (--bands, --one-based)
                given = (["--ds9"] if ds9 is not None else []) + (["--bands"] if band_list else []) + \
                    ([] if one_based is None else ["--one-based" if one_based else "--zero-based"]) + \
                    (["--task"] if cfg is not None else [])
                if given:
                    raise StarclassError(f"{' and '.join(given)} {'need' if len(given) > 1 else 'needs'} a catalogue; "
                                         f"{paths[0]} is a table of {rows}, not a catalogue of candidates: "
                                         f"{why}") from None
                echo(f"{paths[0]}: a table of {rows}, not a catalogue of candidates: {why}")
                return
            if band_list and table.meta.get("format") != "legus":
                # a table with column names says its bands itself: --bands was ignored without a word
                raise StarclassError(f"--bands names the five filters of a LEGUS .tab; {paths[0]} is read as "
                                     f"{table.meta.get('format') or 'a table'} (its bands come from its columns)")
            if one_based is not None and X not in table.colnames:
                # a catalogue of ra, dec only (read_catalog asks for x, y or ra, dec): the option was ignored, exit 0
                raise StarclassError(f"{'--one-based' if one_based else '--zero-based'} says how a catalogue's x, y "
                                     "count; "
                                     f"{paths[0]} has no x, y (its positions are ra, dec)")
            # the region file's coordinates: not given, those the catalogue has (a catalogue of ra, dec only failed with
            # "image regions need column 'x'" after its summary); given, checked before the summary is printed
            # sky regions in ICRS by default: the catalogue's numbers as they are (fk5 was written, converted, until
            # 2026-12-05)
            coords = ds9_coords or ("image" if X in table.colnames else "icrs")
            if ds9 is not None and any(c not in table.colnames for c in REGION_COLUMNS[coords]):
                other = "icrs" if coords == "image" else "image"
                raise StarclassError(f"--ds9-coords {coords} writes the catalogue's "
                                     f"{', '.join(REGION_COLUMNS[coords])}; "
                                     f"{paths[0]} has no {', '.join(REGION_COLUMNS[coords])} (its positions are "
                                     f"{', '.join(REGION_COLUMNS[other])}): give --ds9-coords {other}")
            echo(catalog_summary(table, str(paths[0]), cfg, source=paths[0]))
    finally:
        for message in held:
            warn(message)
    for line in sed_check_warnings(table, str(paths[0])):
        warn(line)
    for line in sed_check_notes(table, str(paths[0])):
        echo(f"note: {line}")  # an age trend within the tolerance: said, not warned of
    if ds9 is not None:
        # each circle labelled with its id, as detect --regions does: read back as a catalogue it keeps the ids
        # overwrite: check_output checked --overwrite
        write_regions(table, ds9, coords=coords, label=True, overwrite=True)
        echo(f"wrote {ds9} ({counted(len(table), 'circle')} coloured by {class_column(table) or 'nothing (white)'})")
