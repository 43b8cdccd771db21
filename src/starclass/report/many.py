"""The many-field evaluation: ``starclass evaluate --catalogs DIR`` and ``starclass report --catalogs DIR``.

Every number comes from :func:`starclass.science.many.many_field_tables`; this module lays the
tables out as report sections (one row per field), draws the summary figure
(:func:`summary_figure`; and one mass-age panel per field with its mass-completeness curve,
:func:`mass_age_figure`) and writes them as a folder (:func:`run_many_evaluation`) or one HTML
page (:func:`build_many_report`).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import textwrap
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from astropy.table import Table
from matplotlib.figure import Figure

from starclass import __version__
from starclass.errors import counted
from starclass.io.atomic import atomic_dir, atomic_path
from starclass.io.progress import Progress
from starclass.report.figures import METRIC_PALETTE, colour_of, new_subplots
from starclass.report.sections import Section, render_html, write_sections
from starclass.schema import renamed_result_columns
from starclass.science.many import MIN_INSPECTED, QUANTITIES, ladder_column, many_field_tables

#: What :func:`run_many_evaluation` writes: a folder holding only these may be replaced.
MANY_ENTRIES = ("tables", "figures", "summary.json")

#: Axis labels (with units) of :data:`starclass.science.many.QUANTITIES`: CI is m(1 px) - m(3 px),
#: M_V the V magnitude at the field's distance, U-B and V-I colours, all in magnitudes.
#: Units in square brackets, as in every other report figure ("log M [Msun]", "V - I [mag]").
QUANTITY_LABELS = {"ci": "CI [mag]", "abs_mag_v": "M_V [mag]", "u_b": "U-B [mag]", "v_i": "V-I [mag]"}

#: Fewest sources of one class in one field for its median and IQR to be drawn.
MIN_CLASS_ROWS = 5


def quartile_table(dist: Table, quantity: str) -> Table:
    """One row per field: ``median [q25, q75]`` of ``quantity`` for classes 1-4, as text.

    Examples
    --------
    >>> d = Table(rows=[("f", 1, "ci", 3, 1.4, 1.5, 1.6)],
    ...           names=("field", "class", "quantity", "n", "q25", "median", "q75"))
    >>> str(quartile_table(d, "ci")["class_1"][0])
    '1.50 [1.40, 1.60] (3)'
    """
    fields = list(dict.fromkeys(dist["field"]))
    out = Table({"field": fields})
    for k in (1, 2, 3, 4):
        cells = []
        for f in fields:
            r = dist[(dist["field"] == f) & (dist["class"] == k) & (dist["quantity"] == quantity)]
            if len(r) == 0 or r["n"][0] == 0:
                cells.append("-")
            else:
                r = r[0]
                cells.append(f"{r['median']:.2f} [{r['q25']:.2f}, {r['q75']:.2f}] ({r['n']})")
        out[f"class_{k}"] = cells
    return out


#: Distance ticks (Mpc) of the summary figure: LEGUS spans 3-18 Mpc.
DISTANCE_TICKS = (3, 5, 10, 18)


def _distance_axis(ax, distances) -> None:
    # plain Mpc tick labels: matplotlib's log axis would write 3 x 10^0
    ax.set_xscale("log")
    ax.set_xticks(list(DISTANCE_TICKS), [str(t) for t in DISTANCE_TICKS])
    ax.set_xticks([], minor=True)
    # one range for every panel, from the ticks and the fields: left to autoscaling, the mass-slope
    # panel (its dashed line drawn over the whole axis) started near 1 Mpc where the others start at 3
    d = np.asarray(distances, float)
    d = d[np.isfinite(d) & (d > 0)]
    lo, hi = min(DISTANCE_TICKS[0], *d), max(DISTANCE_TICKS[-1], *d)
    ax.set_xlim(lo / 1.1, hi * 1.1)
    ax.set_xlabel("distance [Mpc]")


def _empty_panel(ax, why: str) -> None:
    # an empty panel says why it is empty, rather than leaving blank axes to be read as a bug
    ax.text(0.5, 0.75, why, transform=ax.transAxes, ha="center", va="center", fontsize=8, color="#555555",
            bbox={"facecolor": "white", "edgecolor": "none"})


def summary_figure(tables: dict[str, Table]) -> Figure:
    """Eight panels against distance: class mix, per-class medians (IQR bars) of CI, M_V, U-B,
    V-I, the ladder's per-field accuracies (4 classes, binary) and the class 1+2 mass slope.

    Examples
    --------
    Three synthetic fields, without the ladder (its two panels then say so):

    >>> import tempfile
    >>> from starclass.datasets.catalogs import write_fake_legus_folder
    >>> folder = write_fake_legus_folder(Path(tempfile.mkdtemp()) / "legus")  # three synthetic fields
    >>> fig = summary_figure(many_field_tables(folder, ladder=False))
    >>> len(fig.axes), fig.axes[0].get_title(), fig.axes[7].get_title()
    (8, 'class mix (field, Mpc)', 'class 1+2 mass function slope (age < 100 Myr)')
    """
    fields = tables["fields"]
    dist = tables["distributions"]
    d = {str(r["field"]): float(r["distance_mpc"]) for r in fields}
    fig, axes = new_subplots(2, 4, figsize=(17, 7.5))
    ax = axes[0, 0]
    x = np.arange(len(fields))
    bottom = np.zeros(len(fields))
    for k in (1, 2, 3, 4):
        frac = np.asarray(fields[f"n_{k}"], float) / np.asarray(fields["n_inspected"], float)
        ax.bar(x, frac, bottom=bottom, color=colour_of(k), label=f"class {k}")
        bottom += frac
    ax.set_xticks(x, [f"{f} ({d[f]:g})" for f in fields["field"]], rotation=90, fontsize=7)
    ax.set_ylabel("fraction of inspected")
    ax.set_title("class mix (field, Mpc)", fontsize=10)
    # the bars fill 0..1: the legend goes in a band above them (inside it hid the top bars)
    ax.set_ylim(0, 1.2)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.legend(fontsize=7, ncol=4, loc="upper center", handlelength=1.2, columnspacing=0.8)
    for ax, q in zip([axes[0, 1], axes[0, 2], axes[0, 3], axes[1, 0]], QUANTITIES):
        if not np.any((dist["quantity"] == q) & (dist["n"] >= MIN_CLASS_ROWS)):
            _empty_panel(ax, f"no field has {MIN_CLASS_ROWS} or more sources of one class\n"
                             f"with a measured {QUANTITY_LABELS[q].split(' [')[0]}")
        for j, k in enumerate((1, 2, 3, 4)):
            sel = dist[(dist["class"] == k) & (dist["quantity"] == q) & (dist["n"] >= MIN_CLASS_ROWS)]
            if len(sel) == 0:
                continue
            xd = np.array([d[str(f)] for f in sel["field"]]) * (1 + 0.012 * (j - 1.5))
            med = np.asarray(sel["median"], float)
            lo = med - np.asarray(sel["q25"], float)
            hi = np.asarray(sel["q75"], float) - med
            ax.errorbar(xd, med, yerr=[lo, hi], fmt="o", ms=4, lw=0.8, color=colour_of(k), label=f"class {k}")
        _distance_axis(ax, list(d.values()))
        # the title names the statistic; the y axis still needs the quantity and its unit, as the
        # other panels have theirs
        ax.set_ylabel(QUANTITY_LABELS[q])
        ax.set_title(f"{QUANTITY_LABELS[q].split(' [')[0]}: median and IQR (n >= {MIN_CLASS_ROWS})", fontsize=10)
        if q == "abs_mag_v":
            ax.invert_yaxis()
    # the class key goes on the first quantity panel that has points: legend() on an empty panel
    # warned "No artists with labels found to put in legend" and drew an empty box
    drawn = [ax for ax in (axes[0, 1], axes[0, 2], axes[0, 3], axes[1, 0]) if ax.get_legend_handles_labels()[0]]
    if drawn:
        drawn[0].legend(fontsize=7)
    if "ladder_per_field" in tables:
        per = renamed_result_columns(tables["ladder_per_field"])  # one read back from before 2026-12-05
        xd = np.array([d[str(f)] for f in per["field"]])
        for ax, task in ((axes[1, 1], "4class"), (axes[1, 2], "binary")):
            # the metric palette: matplotlib's cycle drew the rules in the blue, orange, green and red of classes
            for (rule, m), col in zip((("majority", "s"), ("ci_tree", "v"), ("tree3", "^"), ("gbm", "o")),
                                      METRIC_PALETTE, strict=True):
                ax.plot(xd, 100 * np.asarray(per[ladder_column(task, rule)], float), m, ms=5, label=rule, alpha=0.8,
                        color=col)
            _distance_axis(ax, list(d.values()))
            ax.set_ylabel("accuracy [%]")
            ax.set_title(f"leave-one-galaxy-out, {'4 classes' if task == '4class' else '1+2 vs 3+4'}", fontsize=10)
        axes[1, 1].legend(fontsize=7)
    else:
        # blank 0..1 axes where the ladder goes read as a failed plot: one galaxy has nobody to leave out
        why = fields.meta.get("ladder_note") or "no leave-one-galaxy-out ladder (not computed)"
        for ax, task in ((axes[1, 1], "4 classes"), (axes[1, 2], "1+2 vs 3+4")):
            _empty_panel(ax, textwrap.fill(why, 44))
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(f"leave-one-galaxy-out, {task}", fontsize=10)
    ms = tables["mass_slopes"]
    ok = ~np.ma.getmaskarray(ms["beta"])
    if ok.any():
        axes[1, 3].errorbar([d[str(f)] for f in ms["field"][ok]], np.asarray(ms["beta"][ok], float),
                            yerr=np.asarray(ms["beta_err"][ok], float), fmt="o", color=colour_of("1+2"))
    else:
        _empty_panel(axes[1, 3], "no field has enough class 1+2 clusters\nfor a slope")
    axes[1, 3].axhline(-2.0, color="k", lw=0.8, ls="--")
    _distance_axis(axes[1, 3], list(d.values()))
    axes[1, 3].set_title("class 1+2 mass function slope (age < 100 Myr)", fontsize=10)
    axes[1, 3].set_ylabel("slope β of dN/dM ∝ M^β (dashed: -2)")
    fig.suptitle(f"LEGUS catalogues: {counted(len(fields), 'field')} with >= "
                 f"{fields.meta.get('min_inspected', MIN_INSPECTED)} inspected sources", fontsize=12)
    fig.tight_layout()
    return fig


def mass_age_figure(tables: dict[str, Table], *, ncols: int = 5) -> Figure:
    """Class 1+2 log mass against log age, one panel per field, each with its mass-completeness curve.

    The panels follow ``tables["fields"]`` (ordered by distance); each draws the field's rows of
    ``tables["mass_age"]`` (:func:`starclass.science.many.field_mass_age`) and its curve from
    ``tables["mass_completeness"]`` (:func:`starclass.science.many.field_mass_completeness`), with
    :func:`starclass.report.figures.fig_mass_age`.

    Examples
    --------
    Three synthetic fields: NGC 628-C, at 9.9 Mpc, is drawn third with its curve at f555w = 23.83
    (M_V = -6.15, the 90th percentile of its inspected sources, at DM 29.98):

    >>> import tempfile
    >>> from starclass.datasets.catalogs import write_fake_legus_folder
    >>> folder = write_fake_legus_folder(Path(tempfile.mkdtemp()) / "legus")  # three synthetic fields
    >>> fig = mass_age_figure(many_field_tables(folder, ladder=False))
    >>> ax = fig.axes[2]
    >>> ax.get_title().split(" (n=")[0], ax.get_legend().get_texts()[0].get_text()
    ('ngc628-c (9.9 Mpc)', 'mass at f555w = 23.83\\n(M_V = -6.15, 90th pct of inspected M_V)')
    """
    from starclass.report.figures import fig_mass_age

    fields = tables["fields"]
    ma = tables.get("mass_age")
    comp = tables.get("mass_completeness")
    panels, curves = [], []
    for r in fields:
        name = str(r["field"])
        rows = ma[ma["field"] == name] if ma is not None and len(ma) else []
        la = np.asarray(rows["log_age"], float) if len(rows) else np.zeros(0)
        lm = np.asarray(rows["log_mass"], float) if len(rows) else np.zeros(0)
        panels.append((f"{name} ({float(r['distance_mpc']):g} Mpc)", 10 ** lm, 10 ** la))
        c = comp[comp["field"] == name] if comp is not None and len(comp) else []
        if len(c):
            legend = (f"{c['band'][0]} = {float(c['mag_limit'][0]):.2f} (M_V = {float(c['mv_limit'][0]):.2f}, "
                      f"{c['limit_from'][0]})")
            curves.append((np.asarray(c["log_age"], float), np.asarray(c["log_mass_limit"], float), legend, ""))
        else:
            curves.append(None)
    return fig_mass_age(panels, "class 1+2: mass vs age per field, with its mass-completeness curve",
                        curves=curves, ncols=ncols)


def curve_mass_kind_text(comp: Table) -> str:
    """Which mass the fields' completeness curves (and slope limits) are in, for the text beside them.

    Parameters
    ----------
    comp : astropy.table.Table
        :func:`starclass.science.many.field_mass_completeness`'s table (its ``mass_kind`` column).

    Returns
    -------
    str

    Examples
    --------
    >>> curve_mass_kind_text(Table({"field": ["a", "b"], "mass_kind": ["stellar", "stellar"]}))[:50]
    "in stellar mass at the age (Yggdrasil's Mstars, 0."
    >>> curve_mass_kind_text(Table({"field": ["a", "b"], "mass_kind": ["stellar", "formed (assumed)"]}))
    "in each field's mass convention (a: stellar, b: formed (assumed))"
    """
    if "mass_kind" not in comp.colnames or not len(comp):
        return "in mass formed"
    per = dict(zip((str(f) for f in comp["field"]), (str(k) for k in comp["mass_kind"])))
    kinds = set(per.values())
    if kinds == {"stellar"}:
        return ("in stellar mass at the age (Yggdrasil's Mstars, 0.05-0.10 dex below the mass formed at 10-400 Myr), "
                "as the catalogues' masses")
    if kinds == {"formed"}:
        return "in mass formed (Yggdrasil's Mconverted), as the catalogues' masses"
    return "in each field's mass convention (" + ", ".join(f"{f}: {k}" for f, k in per.items()) + ")"


def machine_only_text(fields: Table) -> str:
    """A sentence naming the fields whose classes from a machine alone were left out, or ``""``.

    Examples
    --------
    >>> text = machine_only_text(Table({"field": ["ngc1566", "ngc628-c"], "n_machine_only": [654, 0]}))
    >>> text.startswith(" ngc1566: 654 classes from a machine-learning classifier alone"), "ngc628" in text
    (True, False)
    """
    if "n_machine_only" not in fields.colnames:
        return ""
    named = [f"{f}: {int(n)}" for f, n in zip(fields["field"], fields["n_machine_only"]) if n]
    if not named:
        return ""
    return (f" {', '.join(named)} classes from a machine-learning classifier alone (class_method 0) are not human "
            "labels and count as not inspected.")


def many_sections(tables: dict[str, Table], *, progress: bool | None = False) -> list[Section]:
    """The many-field report sections (tables with one row per field, and the summary figure).

    ``progress`` shows the figures drawn (the summary, and the mass-age panels where the tables have a
    mass-completeness curve) as :class:`starclass.io.progress.Progress` does: True a bar, None timed
    lines, False nothing.

    Examples
    --------
    Not run as a doctest (``+SKIP``): the summary figure is drawn and encoded as a PNG, over a second
    even for three small synthetic fields (``tests/test_science_many.py`` runs it through
    ``starclass report --catalogs``). On those, without the ladder (with it, a section ``ladder``
    follows ``fields``):

    >>> from starclass.datasets.catalogs import write_fake_legus_folder
    >>> tables = many_field_tables(write_fake_legus_folder("legus"), ladder=False)  # doctest: +SKIP
    >>> [s.key for s in many_sections(tables)]  # doctest: +SKIP
    ['fields', 'distributions', 'boxes']
    """
    # the figures took 3-5 s on the 16 LEGUS fields (measured), after the ladder's last line and before any
    # other: a log said nothing while they were drawn
    bar = Progress(1 + ("mass_completeness" in tables), desc="--catalogs: figures", noun="figure", show=progress,
                   unit="figure")
    with bar:
        return _many_sections(tables, bar)


def _many_sections(tables: dict[str, Table], bar: Progress) -> list[Section]:
    """:func:`many_sections`, counting each figure drawn on ``bar``."""
    fields = tables["fields"]
    s = Section("Fields", key="fields")
    s.text(f"{counted(len(fields), 'LEGUS field')} with at least {fields.meta.get('min_inspected', MIN_INSPECTED)} "
           f"human-classified sources, {int(np.sum(fields['n_inspected']))} sources in all, ordered by distance. "
           "mv_p90: 90th percentile of the inspected sources' M_V (LEGUS inspected to M_V = -6)."
           + machine_only_text(fields)
           + (f" {fields.meta['v_camera_note']}." if fields.meta.get("v_camera_note") else "")
           + (f" {fields.meta['sed_note']}." if fields.meta.get("sed_note") else "")
           + (f" {fields.meta['sed_trend_note']}." if fields.meta.get("sed_trend_note") else ""))
    s.table("fields", fields, "One row per field.")
    if fields.meta.get("ladder_note"):
        s.text(fields.meta["ladder_note"] + ".")
    if fields.meta.get("map_note"):
        s.text(fields.meta["map_note"] + ".")  # which fields are read through --map, said as the terminal says it
    if len(tables["skipped"]):
        s.table("skipped", tables["skipped"], "Files left out and why.")
    # fields of one galaxy have no ladder: its panels say why, and the caption named accuracies that are not there
    ladder = "leave-one-galaxy-out accuracies and " if "ladder_pooled" in tables else ""
    s.figure("many_fields_summary", summary_figure(tables), "Per-field class mix, per-class medians and "
             f"inter-quartile ranges, {ladder}mass-function slopes against distance.")
    bar.update()
    out = [s]
    if "ladder_pooled" in tables:
        lad = Section("Naive-rule ladder, leave one galaxy out", key="ladder")
        lad.text("Each field is scored by rules trained on every other galaxy (scikit-learn LeaveOneGroupOut; "
                 "fields of one galaxy form one group). majority: the training galaxies' most common class; "
                 "ci_tree: depth-2 tree on CI; tree3: depth-3 tree on CI, U-B, V-I, M_V; gbm: gradient boosting on "
                 "the five absolute magnitudes, their errors and CI.")
        lad.table("ladder_pooled", tables["ladder_pooled"], "Accuracy pooled over all fields.")
        lad.table("ladder_per_field", tables["ladder_per_field"], "Accuracy per left-out field.")
        out.append(lad)
    d = Section("Per-class distributions", key="distributions")
    for q in QUANTITIES:
        d.table(f"quartiles_{q}", quartile_table(tables["distributions"], q),
                f"{QUANTITY_LABELS[q]} per field and class: median [25th, 75th percentile] (n).")
    d.table("distributions", tables["distributions"], "The same, one row per field, class and quantity.")
    out.append(d)
    b = Section("Colour-colour boxes and mass functions", key="boxes")
    b.text("U-B vs V-I box counts (box 1 > 1 Gyr, 2 0.1-1 Gyr, 3 10-100 Myr, 4 < 10 Myr) of sources with "
           "M_V < -6, and the maximum-likelihood class 1+2 mass-function slope of clusters younger than 100 Myr "
           "above the mass visible at the field's limit.")
    b.table("boxes", tables["boxes"], "Counts per field, class group and box.")
    kind_text = f"; log_mass_min {curve_mass_kind_text(tables['mass_completeness'])}" \
        if "mass_completeness" in tables else ""
    b.table("mass_slopes", tables["mass_slopes"],
            f"Mass-function slope per field (masked: too few clusters){kind_text}.")
    # which SSP table the limits and curves come from (--ssp, else the packaged one): one sentence, on the page
    ssp_text = f" SSP model: {tables['fields'].meta['ssp']}." if tables["fields"].meta.get("ssp") else ""
    if "mass_completeness" in tables:
        comp = tables["mass_completeness"]
        b.figure("mass_age_fields", mass_age_figure(tables),
                 "Class 1+2 mass against age (the catalogues' SED fits), one panel per field. The line is the "
                 "field's mass-completeness curve at its distance: the mass of a cluster at the field's V limit "
                 "(M_V = -6, the LEGUS inspection cut, or the 90th percentile of its inspected M_V where that is "
                 "brighter, as for the slopes above) at each age of the SSP model, no extinction, "
                 f"{curve_mass_kind_text(comp)}; below it the field's classes are incomplete.{ssp_text}")
        bar.update()
        b.table("mass_completeness", comp, "Mass-completeness curve per field and age: M_lim = M_ssp_mass · "
                "10^(−0.4 (m_lim − DM − M_ssp(age))), m_lim = M_V limit + DM in the field's V band.")
        for note in comp.meta.get("notes", []):
            b.note(note)
    out.append(b)
    return out


def run_many_evaluation(directory: str | os.PathLike, outdir: str | os.PathLike, *, overwrite: bool = False,
                        min_inspected: int = MIN_INSPECTED,
                        seed: int = 0, progress: bool | None = False,
                        column_maps: Mapping[str, Mapping[str, str]] | None = None,
                        ssp: str | os.PathLike | None = None) -> dict:
    """Evaluate a directory of LEGUS catalogues; write ``tables/*.ecsv``, ``figures/*.png``, ``summary.json``.

    The folder is written beside ``outdir`` and moved into place as a whole; an existing
    non-empty ``outdir`` is replaced only with ``overwrite`` and never when it holds other files
    than :data:`MANY_ENTRIES`. ``progress`` shows the files read, the tables made and the ladder's
    models (:func:`starclass.science.many.many_field_tables`) and the figures drawn (:func:`many_sections`):
    True a bar, None timed lines, False nothing. ``column_maps`` (``--map``) names the columns of the files of
    uncertain layout (:func:`starclass.science.many.load_fields`); ``ssp`` (``--ssp``) the SSP table of the fields'
    SED check, mass limits and completeness curves (:func:`starclass.science.many.many_field_tables`).

    Examples
    --------
    Not run as a doctest (``+SKIP``): it scores the whole ladder, gradient boosting included, and
    writes every table and figure, which takes seconds even on three small synthetic fields
    (``tests/test_science_many.py`` runs it through ``starclass evaluate --catalogs``). On those:

    >>> from starclass.datasets.catalogs import write_fake_legus_folder
    >>> run_many_evaluation(write_fake_legus_folder("legus"), "many")["pooled"]["binary"]  # doctest: +SKIP
    {'majority': 0.6538, 'ci_tree': 1.0, 'tree3': 1.0, 'gbm': 0.9945}
    """
    outdir = Path(outdir)
    tables = many_field_tables(directory, min_inspected=min_inspected, seed=seed, progress=progress,
                               column_maps=column_maps, ssp=ssp)
    sections = many_sections(tables, progress=progress)
    pooled = {}
    for r in tables.get("ladder_pooled", []):
        pooled.setdefault(str(r["task"]), {})[str(r["rule"])] = round(float(r["accuracy"]), 4)
    with atomic_dir(outdir, overwrite=overwrite, own=MANY_ENTRIES) as tmpdir:
        in_tmp = write_sections(sections, tmpdir, written_by="starclass evaluate",
                                overwrite=True)  # a fresh temporary folder (atomic_dir)
        written = {k: [outdir / p.relative_to(tmpdir) for p in v] for k, v in in_tmp.items()}
        with atomic_path(tmpdir / "summary.json") as tmp:
            tmp.write_text(json.dumps({"fields": [str(f) for f in tables["fields"]["field"]],
                                       "n_inspected": int(np.sum(tables["fields"]["n_inspected"])),
                                       "ladder_pooled": pooled,
                                       "tables": [str(p) for p in written["tables"]],
                                       "figures": [str(p) for p in written["figures"]]}, indent=1))
    skipped = tables.get("skipped")
    return {"machine_only": machine_only_text(tables["fields"]).strip(),
            "ladder_note": tables["fields"].meta.get("ladder_note"),
            "v_camera_note": tables["fields"].meta.get("v_camera_note"),
            "sed_note": tables["fields"].meta.get("sed_note"),
            "sed_trend_note": tables["fields"].meta.get("sed_trend_note"),
            "map_note": tables["fields"].meta.get("map_note"),
            "ssp": tables["fields"].meta.get("ssp"),
            "outdir": outdir, "tables": written["tables"], "figures": written["figures"], "pooled": pooled,
            "n_fields": len(tables["fields"]), "n_skipped": 0 if skipped is None else len(skipped)}


def build_many_report(directory: str | os.PathLike, out: str | os.PathLike, *, title: str = "LEGUS fields",
                      min_inspected: int = MIN_INSPECTED,
                      seed: int = 0, overwrite: bool = False, progress: bool | None = False,
                      column_maps: Mapping[str, Mapping[str, str]] | None = None,
                      ssp: str | os.PathLike | None = None) -> Path:
    """One HTML page (figure embedded) plus every table as ECSV beside it; returns the page's path.

    ``progress`` shows the study's steps as :func:`run_many_evaluation`'s does; ``column_maps`` (``--map``) and
    ``ssp`` (``--ssp``) are its too.

    Examples
    --------
    Not run as a doctest (``+SKIP``): like :func:`run_many_evaluation` it scores the whole ladder
    and draws the figure, seconds even on three small synthetic fields (``tests/test_science_many.py``
    runs it through ``starclass report --catalogs``). On those:

    >>> from starclass.datasets.catalogs import write_fake_legus_folder
    >>> build_many_report(write_fake_legus_folder("legus"), "report/legus.html")  # doctest: +SKIP
    PosixPath('report/legus.html')
    """
    # from the package, not report.build: that loads evaluate.compare and scikit-learn's metrics (2.7 s of the
    # 3.7 s that `evaluate --catalogs` spent importing before its first line, measured), which this page does not need
    from starclass.report import REPORT_TABLE_ENTRIES, TABLES_PAGE, check_tables_page

    out = Path(out)
    outdir = out.parent
    check_tables_page(outdir, out.name)
    sections = many_sections(many_field_tables(directory, min_inspected=min_inspected, seed=seed,
                                               progress=progress, column_maps=column_maps, ssp=ssp),
                             progress=progress)
    # tables/ as a whole, as build_report does: an older report's tables are never left beside new ones
    with atomic_dir(outdir / "tables", overwrite=overwrite, own=REPORT_TABLE_ENTRIES) as tmp_tables:
        write_sections(sections, outdir, figures=False, tables_dir=tmp_tables, written_by="starclass report",
                       overwrite=True)  # tables into a fresh temporary folder (atomic_dir)
        (tmp_tables / TABLES_PAGE).write_text(out.name, encoding="utf-8")
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    page = render_html(sections, title=title, subtitle=f"starclass {__version__} · {stamp} · {directory}")
    with atomic_path(out) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return out
