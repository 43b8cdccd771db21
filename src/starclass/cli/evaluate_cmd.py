"""``starclass evaluate``: metrics of a classified catalogue against one or more references."""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from starclass.cli._app import (
    ALLOW_FEW_MATCHES_OPTION,
    BY_MIN_ROWS_OPTION,
    BY_OPTION,
    CATALOGS_MAP_HELP,
    FILE_COLUMN_OPTION,
    GROUP_COLUMN_OPTION,
    MAG_LIMIT_OPTION,
    MASS_KIND_OPTION,
    PRED_COLUMN_OPTION,
    REFERENCE_COLUMN_OPTION,
    SSP_OPTION,
    bars_or_lines,
    check_distance,
    check_mag_limit,
    check_radius,
    check_ssp,
    command,
    echo,
    one_catalogue_map,
    progress_option,
    recorded_tasks,
    refuse_few_matches_with_catalogs,
    refuse_given_with_catalogs,
    refuse_min_inspected_without_catalogs,
    refuse_one_catalogue_options,
    say_catalogs_fields,
    say_catalogs_notes,
    task_option,
)
from starclass.errors import StarclassError, counted, shell_word
from starclass.schema import MAX_BOOTSTRAP, MOSAICS_META

if TYPE_CHECKING:  # astropy.table is imported where the catalogue is read, not at evaluate --help
    from astropy.table import Table


@command("evaluate")
def evaluate(
    ctx: typer.Context,
    pred: Path = typer.Argument(None, help="Classified catalogue (class_pred, prob_<k>; "
                                           "any format read_catalog reads). Not with --catalogs."),
    catalogs: Path = typer.Option(
        None, "--catalogs",
        help="A directory of LEGUS .tab catalogues (e.g. ../shared/data/legus), or one of them (its people's "
             "classes alone): per-field tables, the naive-rule ladder leaving one galaxy out, and a summary "
             "figure, instead of PRED. Default: none, PRED is evaluated."),
    min_inspected: int = typer.Option(100, "--min-inspected", min=1,
                                      help="With --catalogs: fields with fewer human-classified sources are left out."),
    column_map: list[str] = typer.Option(None, "--map", help=CATALOGS_MAP_HELP),
    reference: list[str] = typer.Option(
        None, "--reference", "-r",
        help="Reference catalogue (truth, human labels or another model); repeat for several. "
             "'self' compares class_pred with the catalogue's own class_ref (the default when it has one)."),
    radius: float = typer.Option(2.0, "--radius", help="One-to-one matching radius in pixels (PHANGS: 2; at most 50)."),
    distance: float = typer.Option(None, "--distance", help="Distance in Mpc, 0.01-1000: M_V < -7.8 box counts "
                                                            "and the M_V < -10 bright end. Default: none, every "
                                                            "magnitude counted, no bright end."),
    target_purity: float = typer.Option(0.8, "--target-purity", min=0.0, max=1.0,
                                        help="Purity for the cluster-score threshold choice (0-1)."),
    n_boot: int = typer.Option(200, "--bootstrap", min=0, max=MAX_BOOTSTRAP,
                               help="Bootstrap resamples for confidence intervals (0: none; at most 10000, "
                                    "far more than a 95% interval needs)."),
    group_column: str | None = GROUP_COLUMN_OPTION,
    file_column: str | None = FILE_COLUMN_OPTION,
    science: bool = typer.Option(True, "--science/--no-science",
                                 help="Colour-colour boxes, mass/age/luminosity functions."),
    out: Path = typer.Option(Path("evaluation"), "--output", "-o", "--out",
                             help="Output folder: tables/*.ecsv, figures/*.png, summary.json."),
    task: str = typer.Option(None, "--task", help="Task preset, task file (YAML/JSON) or trained model folder "
                                                 "whose classes, positive class and merges to score (default: the "
                                                 "task 'starclass classify' recorded in the catalogue)."),
    label_column: str = typer.Option(
        None, "--label-column",
        help="Column of label strings (e.g. 'label' of 'classify --stamps' output): mapped to classes by the "
             "task's label_map and compared with class_pred row by row; no positions needed. Default: none, "
             "class_ref is the reference."),
    model: Path = typer.Option(None, "--model", help="Trained model whose saved task (classes, label_map) to use "
                                                     "when --task is not given (a CSV output keeps no meta). "
                                                     "Default: none."),
    by: list[str] = BY_OPTION,
    by_min_rows: int = BY_MIN_ROWS_OPTION,
    pred_column: str | None = PRED_COLUMN_OPTION,
    reference_column: str | None = REFERENCE_COLUMN_OPTION,
    allow_few_matches: bool = ALLOW_FEW_MATCHES_OPTION,
    ssp: Path | None = SSP_OPTION,
    mag_limit: float | None = MAG_LIMIT_OPTION,
    mass_kind: str | None = MASS_KIND_OPTION,
    overwrite: bool = typer.Option(False, "--overwrite",
                                   help="Replace an existing output folder's older results as a whole; without it "
                                        "the folder is kept."),
    progress: bool | None = progress_option(
        "Bars of the bootstraps and sections drawn (--catalogs: of its steps)."),
) -> None:
    """Accuracy (the task's classes and merges), confusion matrices, P/R/F1, ROC/PR, thresholds, PHANGS agreement.

    Example: starclass evaluate classified.ecsv -r test/truth.ecsv -r test/humans.ecsv -o evaluation/
    """
    # here, not at the top: starclass.report adds 2.8 s (matplotlib; measured) to the 0.4 s of `starclass --help`
    from starclass.errors import StarclassError
    from starclass.io.paths import check_inputs_readable, check_output

    if catalogs is not None:
        refuse_one_catalogue_options(by, pred_column)
        if reference_column is not None:
            raise StarclassError("--reference-column applies to one classified catalogue (PRED), not to --catalogs")
        refuse_few_matches_with_catalogs(allow_few_matches)
        refuse_given_with_catalogs(ctx)
        if pred is not None:
            raise StarclassError("give a classified catalogue (PRED) or a directory of catalogues (--catalogs), "
                                 "not both")
        from starclass.report.many import MANY_ENTRIES, run_many_evaluation

        # as for one catalogue: a file in the folder's place, or a folder of other files, is refused now
        from starclass.science.many import parse_field_maps

        field_maps = parse_field_maps(column_map)  # a malformed item before any reading
        check_inputs_readable([("--catalogs", catalogs)])  # named before an existing output is
        check_ssp(ssp)  # the fields' mass limits and curves take it (refused with --catalogs until 2026-12-07)
        check_output(out, [catalogs], option="--output", overwrite=overwrite, folder=True, own=MANY_ENTRIES)
        # into a log file (stderr no terminal) the catalogues read and the study's steps in timed lines (command()
        # shows them): the 16 LEGUS fields took 31 s under load with no word on stderr. At a terminal their bars:
        # the lines are for a log only, and until 2026-12-06 a person there saw nothing for those 20-40 s
        res = run_many_evaluation(catalogs, out, overwrite=overwrite, min_inspected=min_inspected,
                                  progress=bars_or_lines(progress), column_maps=field_maps, ssp=ssp)
        # the fields left out (too few inspected sources, an uncertain layout) are counted, and the table of reasons
        # named by a path the user can open ("many/tables/skipped.ecsv"), as report names its own: it said
        # "tables/skipped.ecsv", a file that is not there from the folder the command ran in
        say_catalogs_fields(catalogs, res["n_fields"], res.get("n_skipped", 0),
                            str(Path(res["outdir"]) / "tables" / "skipped.ecsv"))
        say_catalogs_notes(res)  # the lines report --catalogs says too
        if ssp is not None:
            echo(f"SSP model of the mass limits, completeness curves and SED check: {res['ssp']}")
        for task, accs in res["pooled"].items():
            echo(f"leave-one-galaxy-out {task}: " + ", ".join(f"{r} {a:.3f}" for r, a in accs.items()))
        echo(f"wrote {counted(len(res['tables']), 'table')} and {counted(len(res['figures']), 'figure')} under "
             f"{res['outdir']}")
        # it ended at "wrote 12 tables and 2 figures under many": which to open was left to a listing of the folder
        if first := figures_to_open_first(res["figures"], FIRST_FIGURES_MANY if res["pooled"]
                                          else FIRST_FIGURES_MANY_NO_LADDER):
            echo(first)
        echo(_report_next(ctx, "--catalogs", catalogs, no_science=not science))
        return
    if pred is None:
        raise StarclassError("missing argument PRED (a classified catalogue) or --catalogs DIR")
    refuse_min_inspected_without_catalogs(ctx)
    check_radius(radius)  # before any work, naming the option
    check_distance(distance)
    check_mag_limit(mag_limit, distance)
    check_ssp(ssp)  # a table that is not one is refused now, not drawn as a note under the figure
    if mass_kind is not None:
        from starclass.science.massfunc import check_mass_kind

        mass_kind = check_mass_kind(mass_kind)  # before any work: "--mass-kind must be one of stellar, formed"
    # loaded here, so that an unknown or unreadable task is named as the option it came from
    # by name also the task --model records (a task file's, typed back by its name)
    task = None if task is None else task_option(task, recorded=lambda: recorded_tasks(model))
    from starclass.report import EVALUATION_ENTRIES

    # references are paths or "self"; a path among them is an input like the predictions. A missing
    # input is named before an existing output: asked first for --overwrite, only the re-run with it said
    # that the reference was not there (as classify, 0e0b76f)
    check_inputs_readable([("PRED", pred), *(("--reference", r) for r in reference or () if r != "self"),
                           ("--model", model)])
    inputs = [pred, *(r for r in reference or () if r != "self")]
    cmap = one_catalogue_map(column_map, inputs)  # info FILE.tab --map's meaning, for the .tab files among them
    # what is wrong with the output whatever --overwrite says (an input given as the output, a file in the
    # folder's place) is said first, from the paths alone
    check_output(out, inputs, option="--output", overwrite=True, folder=True, own=EVALUATION_ENTRIES)
    from starclass.io.progress import say_step

    # into a log file (stderr no terminal) each comparison's bootstrap says its resamples on stderr as report's do
    # (command() shows the lines); `--bootstrap 10000 > log` was silent for minutes. At a terminal a line, then the
    # bars of the bootstraps and the sections. The line comes before evaluate.compare is imported (2.6 s under
    # load, measured) and the catalogue read: after them it came 1.97 s after the start (median of 5), the
    # slowest first line of any verb. stdout is unchanged
    shown = bars_or_lines(progress)
    say_step("evaluate: reading and pairing the catalogues ...", shown)
    from starclass.evaluate.compare import check_comparable, legus_column_map, load_catalog

    ctx.with_resource(legus_column_map(cmap))  # every read of a .tab from here to the end of the command

    # a catalogue with nothing to compare (an unlabelled classification) is refused before --overwrite is asked
    # for: with ./evaluation present it asked for --overwrite, and only the re-run with it said "nothing to
    # compare". The catalogue is read here once and handed to the evaluation (it read it a second time). Its
    # reading warnings are held until the evaluation starts, or said with the refusal they explain; the check's
    # own (rows without a label) only with a refusal: the evaluation makes the same check and says them then
    with warnings.catch_warnings(record=True) as held:
        warnings.simplefilter("always")
        n_read = 0
        try:
            table = load_catalog(pred, "prediction", file_column=file_column)
            n_read = len(held)
            check_comparable(pred, reference or None, task=task, label_column=label_column,
                             model=None if model is None else str(model), pred_column=pred_column,
                             reference_column=reference_column, file_column=file_column, pred_table=table)
        except StarclassError as exc:
            refusal: StarclassError | None = exc
        else:
            refusal = None
    if refusal is not None:
        _say(held)
        raise refusal
    check_output(out, inputs, option="--output", overwrite=overwrite, folder=True, own=EVALUATION_ENTRIES)
    from starclass.io.cutout_folders import check_output_outside_cutouts

    for ref in [pred, *(reference or ())]:
        if ref != "self":  # a classified or labelled cutout folder: its figures must not become its cutouts
            check_output_outside_cutouts(out, ref, option="--output")
    if cutouts := classified_cutouts(table, pred):
        # the cutouts classify --stamps read (recorded): `classify --stamps . -o out.csv` in a folder of label
        # sub-folders, then `evaluate out.csv`, put evaluation/ there, read next as a label and its figures as cutouts
        given = ctx.get_parameter_source("out")
        check_output_outside_cutouts(out, cutouts, option="--output" if getattr(given, "name", None) == "COMMANDLINE"
                                     else "--output (not given: the default)")
    _say(held[:n_read])  # the catalogue's reading warnings: the evaluation does not read it again
    if shown is None:
        from starclass.io.progress import say_start

        # into a log file the line above is not said (terminal only): `evaluate classified.ecsv -r truth.ecsv > log`
        # was silent ~23 s (loaded machine) before the first bootstrap line. Said here, after the refusals of the
        # catalogue and the output, so that a refused command's first line is still its `error:`
        say_start(f"evaluate: {pred}, {len(table)} rows: pairing with the references, bootstrapping and drawing "
                  "the evaluation ...", shown)
    from starclass.report.build import run_evaluation

    res = run_evaluation(str(pred), reference or None, out, radius=radius, distance_mpc=distance,
                         target_purity=target_purity, n_boot=n_boot, science=science, task=task,
                         label_column=label_column, model=None if model is None else str(model),
                         by=tuple(by or ()), by_min_rows=by_min_rows, pred_column=pred_column,
                         reference_column=reference_column,
                         allow_few_matches=allow_few_matches, group_column=group_column, file_column=file_column,
                         overwrite=overwrite, ssp=ssp, mag_limit=mag_limit, mass_kind=mass_kind, progress=shown,
                         pred_table=table)
    t = res["task"]
    from starclass.evaluate.task import class_labels, positive_origin

    # each class by number and name: the lines below, the tables and the figures name them so
    names = class_labels(t.classes, t.class_names)
    # a task inferred (no task recorded) says how in its own line: "(from default)" said nothing of what was assumed
    # or how to change it, and the note under it (until 2026-12-07) said again what the line said
    echo(f"task {t.name or '(unnamed)'}: classes {', '.join(names.values())}"
         + (f"; positive class {names[t.positive]}{positive_origin(t)}" if t.positive is not None else "")
         + (f"; {res['task_note']}" if res.get("task_note") else f" (from {t.source})"))
    from starclass.schema import label_map_words

    labels_read = label_column is not None or "label" in table.colnames  # classify --stamps keeps the folder's
    if labels_read and (words := label_map_words(t.classes, t.class_names, t.label_map)):
        # m31-real's class 2 is 'non-cluster' here and in the tables, its folder's label 'galaxy' in info and inspect:
        # the one map between them said where both are read (not of a catalogue of class numbers alone)
        echo(f"labels read as classes (the task's label_map): {words}")
    if res.get("decision"):
        # classify --threshold 0.4 (or the model's target-purity threshold) decided class_pred: never said here
        echo(res["decision"])
    # the accuracies are said once, on each comparison's lines with their intervals and balanced accuracies
    # ("4class: accuracy 0.190 [0.086, 0.294], ..."): until 2026-12-07 a line "truth: accuracy[4class] = 0.190"
    # above them said every one of them twice
    for line in res["details"]:
        echo(line)
    for line in res.get("by_lines", ()):
        echo(line)
    if res.get("ssp"):
        # which model the colour-colour figures' track is (metallicity, IMF, system): --ssp changes it
        echo(f"SSP track of the colour-colour figures: {res['ssp']}")
    if science and distance is None and res.get("ssp"):
        # the page says it under its figures; here it went unsaid, and a LEGUS catalogue's PHANGS Table 2 counts
        # came out over every magnitude with nothing to tell them from the M_V < -7.8 ones the docs compare with
        echo("note: " + no_distance_note(table, [p for p in (pred, *(reference or ())) if p not in (None, "self")]))
    echo(f"wrote {counted(len(res['tables']), 'table')} and {counted(len(res['figures']), 'figure')} under "
         f"{res['outdir']}")
    first = figures_to_open_first(res["figures"])
    if first:
        echo(first)
    # --no-science as asked, or where the science checks had nothing to draw (a task of other classes, a catalogue
    # without magnitudes): the page would spend their time on notes of what is missing. Until 2026-12-07 it was
    # left out, and `evaluate ... --no-science` suggested a report that ran the checks (17-37 s of a report)
    recorded = classified_from(table, pred)
    if "--stamps" in recorded:
        from starclass.cli.report_cmd import output_outside_cutouts

        # a folder of label sub-folders classified from inside it: report's default page would lie in it, refused
        if (page := output_outside_cutouts(pred, recorded["--stamps"])) is not None:
            recorded["--output"] = page
    echo(_report_next(ctx, None, pred, no_science=not (science and res.get("science_drawn", True)),
                      recorded=recorded))


#: The figures a user opens first, by the start of their file names, and what each is (the first of each:
#: the first task's, against the first reference)
FIRST_FIGURES = (("confusion_", "the confusion matrix"), ("reliability", "the reliability diagram"))

#: The same for ``evaluate --catalogs``: the many-field study's overview (its first question, "how do the fields
#: differ", answered in one figure) and the masses against ages with each field's completeness curve
FIRST_FIGURES_MANY = (("many_fields_summary", "class mix, medians, leave-one-galaxy-out accuracies and "
                       "mass-function slopes per field"),
                      ("mass_age_fields", "mass against age per field, with its completeness curve"))

#: :data:`FIRST_FIGURES_MANY` of fields without the ladder (one galaxy): its panels say why there is none, and
#: "open first: ... leave-one-galaxy-out accuracies" came right after the note that there were none
FIRST_FIGURES_MANY_NO_LADDER = (("many_fields_summary", "class mix, medians and mass-function slopes per field"),
                                FIRST_FIGURES_MANY[1])


def figures_to_open_first(figures: Sequence[str | os.PathLike],
                          first: Sequence[tuple[str, str]] = FIRST_FIGURES) -> str:
    """The line naming the figures to open first among those evaluate wrote, or ``""`` where it wrote none of them.

    Evaluate ended at "wrote 38 tables and 29 figures under evaluation": which of the 29 answers "how
    good is it" and "can I trust its probabilities" was left to a listing of the folder. The first
    confusion matrix and reliability diagram are named by their paths; the rest stay in the folder
    (and on report's page, the ``next:`` line).

    Parameters
    ----------
    figures : sequence of str or path-like
        The figures written, in the order written (``run_evaluation(...)["figures"]``).
    first : sequence of (str, str)
        The start of each figure's file name and what it is: :data:`FIRST_FIGURES` for one catalogue,
        :data:`FIRST_FIGURES_MANY` for ``--catalogs``.

    Returns
    -------
    str

    Examples
    --------
    >>> figures_to_open_first(["ev/figures/confusion_4class_truth.png", "ev/figures/symmetric_confusion_truth.png",
    ...                        "ev/figures/reliability_truth.png", "ev/figures/confusion_12v34_truth.png"])
    'open first: ev/figures/confusion_4class_truth.png (the confusion matrix), ev/figures/reliability_truth.png \
(the reliability diagram)'
    >>> figures_to_open_first(["ev/figures/mass_age.png"])
    ''
    >>> figures_to_open_first(["many/figures/many_fields_summary.png"], FIRST_FIGURES_MANY)
    'open first: many/figures/many_fields_summary.png (class mix, medians, leave-one-galaxy-out accuracies \
and mass-function slopes per field)'
    """
    named = []
    for start, what in first:
        hit = next((Path(f) for f in figures if Path(f).name.startswith(start)), None)
        if hit is not None:
            named.append(f"{shell_word(hit)} ({what})")
    return f"open first: {', '.join(named)}" if named else ""


#: The options evaluate shares with report, carried into the 'next:' line as the user gave them
#: (``--output``, ``--target-purity`` and ``--overwrite`` are evaluate's own; ``--no-science`` is carried by
#: :func:`_report_next` where evaluate drew no science check, asked or not)
SHARED_WITH_REPORT = ("reference", "radius", "distance", "n_boot", "task", "label_column", "model", "by",
                      "group_column", "file_column", "by_min_rows", "pred_column", "reference_column",
                      "allow_few_matches", "ssp", "mag_limit", "mass_kind", "column_map", "min_inspected")


def report_next(words: list[str]) -> str:
    """The 'next:' line after ``evaluate``: the same inputs as one HTML page with ``starclass report``.

    Every other verb ends by naming the command that follows it; evaluate ended at "wrote 13 tables and
    6 figures under evaluation", and its figures are read most easily on report's page.

    Parameters
    ----------
    words
        The catalogue and the options shared with ``report``, as the user gave them (shell words unquoted).

    Returns
    -------
    str
        The line, the command in quotes (a word with a space quoted within it).

    Examples
    --------
    >>> report_next(["out.csv", "--label-column", "expert", "--pred-column", "class_joint"])
    "next: the same figures as one page: 'starclass report out.csv --label-column expert --pred-column class_joint'"
    """
    from starclass.errors import shell_word, shown_command

    command = " ".join(["starclass report", *(shell_word(w) for w in words)])
    return f"next: the same figures as one page: {shown_command(command)}"


def classified_from(table: Table, pred: str | os.PathLike) -> dict[str, str]:
    """The model and the cutouts a ``classify --stamps`` output records, as report's options; ``{}`` otherwise.

    ``classify --stamps`` proposed ``starclass report OUT --model M --stamps CUTOUTS`` (the gallery of the worst
    mistakes and Grad-CAM), and ``evaluate OUT`` of the same file ``starclass report OUT``: two pages for one
    classification. Both are recorded in the table (``model``; ``cutout_list``, the list or folder classified),
    so evaluate names them too. A table that records the cutouts' folder alone (``cutout_root``, written before
    ``cutout_list`` was) names it only where the folder's own list is what was classified (the same files):
    ``--stamps cut`` for a ``classify --stamps cut/test.csv`` read ``cut/labels.csv``, or the label sub-folders
    with evaluate's own figures among them. ``train --cv``'s ``cv_predictions.ecsv`` of a cutout folder names
    that folder alone (:func:`_cv_cutouts`). A path is named by :func:`starclass.io.paths.short_path`: from the
    current folder where it lies under it, else absolute (or walked up, where that is shorter).

    Examples
    --------
    >>> import tempfile
    >>> from astropy.table import Table
    >>> cut = Path(tempfile.mkdtemp())
    >>> _ = (cut / "test.csv").write_text("file,label\\na.png,cluster\\n")
    >>> t = Table({"file": ["a.png"], "class_pred": [1], "model": ["/m"], "cutout_root": [str(cut)],
    ...            "cutout_list": [str(cut / "test.csv")]})
    >>> classified_from(t, "out.csv") == {"--model": "/m", "--stamps": str(cut / "test.csv")}
    True
    >>> t.remove_column("cutout_list")  # the folder alone, whose own list (labels.csv) it has not
    >>> classified_from(t, "out.csv")
    {}
    >>> classified_from(Table({"id": [1], "class_pred": [1]}), "out.ecsv")
    {}
    """
    from starclass.io.cutout_folders import row_folders
    from starclass.io.paths import short_path
    from starclass.schema import CUTOUT_LIST, CV_SCHEME, MODEL_PATH

    here = Path(pred).parent
    out: dict[str, str] = {}
    if table.meta.get(CV_SCHEME):
        return _cv_cutouts(table, pred)
    recorded = _one_record(table, MODEL_PATH)
    if recorded:
        out["--model"] = short_path(here / recorded)  # a relative record is relative to the table's folder
    else:
        return {}
    if listed := _one_record(table, CUTOUT_LIST):
        path = here / listed
        # moved, or deleted since: report would refuse it; the plain command then
        return {**out, "--stamps": short_path(path)} if path.exists() else {}
    try:
        folders = row_folders(table, pred, here) if len(table) else None
    except StarclassError:  # recorded for some rows only (recorded_roots refuses it): report names the fault
        folders = None
    if not folders or len({str(f) for f in folders}) != 1 or not _own_list_classified(folders[0], table):
        # a catalogue over mosaics (no cutout folder), cutouts of several folders, or a folder whose own list
        # is not what was classified: the plain command
        return {}
    out["--stamps"] = short_path(folders[0])
    return out


def classified_cutouts(table: Table, pred: str | os.PathLike) -> Path | None:
    """The list or folder of cutouts a ``classify --stamps`` output records (``cutout_list``), where it exists.

    Examples
    --------
    >>> import tempfile
    >>> from astropy.table import Table
    >>> cut = Path(tempfile.mkdtemp())
    >>> classified_cutouts(Table({"file": ["a.png"], "cutout_list": [str(cut)]}), "out.csv") == cut
    True
    >>> classified_cutouts(Table({"id": [1]}), "out.ecsv") is None
    True
    """
    from starclass.schema import CUTOUT_LIST

    listed = _one_record(table, CUTOUT_LIST)
    path = None if listed is None else Path(pred).parent / listed  # a relative record: of the table's folder
    return path if path is not None and path.exists() else None


def _cv_cutouts(table: Table, pred: str | os.PathLike) -> dict[str, str]:
    """``{"--stamps": LIST}`` for ``train --cv``'s ``cv_predictions.ecsv`` of a cutout list (or folder), else ``{}``.

    Its rows are the folder's own (blank cutouts left out), classified by the fold models, so the folder it
    records is the one report's gallery of mistakes reads: without it ``train --cv`` -> ``evaluate`` ->
    ``report`` gave a page with no gallery. No ``--model``: each row was classified by the fold model that
    held it out, and any one fold model had trained on four fifths of the others (its Grad-CAM of them is
    not of held-out cutouts). The list read is recorded (``cutout_list``) since 2026-12-07; a table without the
    record names the folder of its files.

    Examples
    --------
    >>> import tempfile
    >>> from astropy.table import Table
    >>> cut = Path(tempfile.mkdtemp())
    >>> t = Table({"row": [0], "file": ["a.png"], "class_pred": [1]}, meta={"cv": "5", "cutout_root": str(cut)})
    >>> _cv_cutouts(t, "cv_predictions.ecsv") == {"--stamps": str(cut)}
    True
    >>> _cv_cutouts(Table({"row": [0], "class_pred": [1]}, meta={"cv": "5"}), "cv_predictions.ecsv")  # mosaics
    {}
    """
    from starclass.io.cutout_folders import row_folders
    from starclass.io.paths import short_path

    if (listed := classified_cutouts(table, pred)) is not None:
        # the list train --cv read (recorded since 2026-12-07): its folder may hold other lists, or no list of its own
        return {"--stamps": short_path(listed)}
    try:
        folders = row_folders(table, pred, Path(pred).parent) if len(table) else None
    except StarclassError:  # recorded for some rows only: report names the fault
        return {}
    if not folders or len({str(f) for f in folders}) != 1 or not folders[0].is_dir():
        return {}  # a cross-validation on mosaics (no folder), or a folder moved since: the plain command
    return {"--stamps": short_path(folders[0])}


def _one_record(table: Table, name: str) -> str | None:
    """The one text ``table`` records under ``name``: its meta, else a column holding one non-empty value."""
    recorded = table.meta.get(name)
    if not recorded and name in table.colnames:
        named = {str(v).strip() for v in table[name]} - {"", "--"}  # '--': a masked cell, as astropy prints it
        recorded = named.pop() if len(named) == 1 else None
    return recorded if isinstance(recorded, str) and recorded else None


def _own_list_classified(folder: Path, table: Table) -> bool:
    """Whether ``folder``'s own list (``labels.csv``) lists the files ``table`` classified, no more and no fewer.

    A folder without one (label sub-folders) cannot be told from its files cheaply: False.
    """
    from starclass.io.cutout_folders import folder_labels_csv, read_csv_rows
    from starclass.schema import FILE_COLUMN

    column = table.meta.get(FILE_COLUMN) or "file"
    try:
        listed = folder_labels_csv(folder)
        if listed is None or column not in table.colnames:
            return False
        names, rows, _ = read_csv_rows(listed)
    except (OSError, ValueError):  # unreadable (StarclassError is a ValueError): report says why; no --stamps
        return False
    if column not in names:
        return False
    ours = {os.path.normpath(str(v).strip()) for v in table[column]}
    return ours == {os.path.normpath((row.get(column) or "").strip()) for row in rows}


def _report_next(ctx: typer.Context, option: str | None, value: Path, *, no_science: bool = False,
                 recorded: dict[str, str] | None = None) -> str:
    """:func:`report_next` of this run: ``value`` (PRED, or ``--catalogs``), the shared options given, and
    ``--no-science`` last where ``no_science``; then the ``recorded`` options (:func:`classified_from`) the user
    did not give."""
    words = [*([option] if option else []), str(value)]
    for param in ctx.command.params:
        # by the source's name: typer carries its own copy of click, whose enum is not click.core's
        source = ctx.get_parameter_source(param.name) if param.name in SHARED_WITH_REPORT else None
        if getattr(source, "name", None) != "COMMANDLINE":
            continue
        flag = max(param.opts, key=len)  # the long name (--reference, not -r)
        given = ctx.params[param.name]
        if getattr(param, "is_flag", False):
            if given:
                words.append(flag)
            continue
        for item in given if isinstance(given, (list, tuple)) else [given]:
            words += [flag, str(item)]
    for flag, path in (recorded or {}).items():
        if flag not in words:
            words += [flag, path]
    return report_next(words + (["--no-science"] if no_science else []))


def no_distance_note(table: Table, paths: Sequence[str | os.PathLike] = ()) -> str:
    """What ``evaluate`` without ``--distance`` leaves out, and the distance of the field where it is known.

    A LEGUS galaxy's is the study's (column ``galaxy``); a simulated field's is its simulator's
    (``distance_mpc`` of the ``simulation.json`` in the mosaics folder the catalogue records, or beside
    the catalogue or a reference: the demo's ``test_field/truth.ecsv``), or a ``distance_mpc`` in the
    catalogue's meta. The note named a LEGUS galaxy's distance, and nothing of the demo's field, whose
    distance its own folder records.

    Parameters
    ----------
    table : astropy.table.Table
        The classified catalogue as read: a LEGUS one names its galaxy (column ``galaxy``).
    paths
        The files read (the catalogue, its references): a ``simulation.json`` beside one names its field's
        distance.

    Returns
    -------
    str

    Examples
    --------
    >>> from astropy.table import Table
    >>> print(no_distance_note(Table({"galaxy": ["ngc1566"]})))  # doctest: +NORMALIZE_WHITESPACE
    no --distance: the colour-colour box counts and luminosity functions take every magnitude, not M_V < -7.8 as
    PHANGS Table 2 does, and the M_V < -10 bright end is not counted; ngc1566's distance in the LEGUS study is
    17.9 Mpc (--distance 17.9)
    >>> no_distance_note(Table({"x": [1.0]})).endswith("is not counted")
    True
    >>> no_distance_note(Table({"x": [1.0]}, meta={"distance_mpc": 10.0})).split("not counted; ")[-1]
    "the field's distance is 10 Mpc (the catalogue's meta distance_mpc; --distance 10)"
    """
    from starclass.science.many import FIELD_DISTANCES_MPC

    galaxies = {str(g).lower() for g in table["galaxy"]} if "galaxy" in table.colnames else set()
    known = FIELD_DISTANCES_MPC.get(next(iter(galaxies))) if len(galaxies) == 1 else None
    said = "no --distance: the colour-colour box counts and luminosity functions take every magnitude, not " \
           "M_V < -7.8 as PHANGS Table 2 does, and the M_V < -10 bright end is not counted"
    if known is not None:
        return said + f"; {next(iter(galaxies))}'s distance in the LEGUS study is {known:g} Mpc (--distance {known:g})"
    if (field := _field_distance(table, paths)) is not None:
        return said + f"; the field's distance is {field[0]:g} Mpc ({field[1]}; --distance {field[0]:g})"
    return said


def _field_distance(table: Table, paths: Sequence[str | os.PathLike]) -> tuple[float, str] | None:
    """The distance (Mpc) a catalogue's meta or a simulated field's ``simulation.json`` records, and where."""
    import json
    import math

    def usable(v: object) -> float | None:
        try:
            d = float(v)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
        return d if math.isfinite(d) and d > 0 else None

    if (d := usable(table.meta.get("distance_mpc"))) is not None:
        return d, "the catalogue's meta distance_mpc"
    folders = [Path(f) for f in table.meta.get(MOSAICS_META) or () if isinstance(f, (str, os.PathLike))]
    folders += [Path(p).parent for p in paths]
    for folder in dict.fromkeys(folders):
        sim = folder / "simulation.json"
        try:
            config = json.loads(sim.read_text(encoding="utf-8")).get("config") or {}
        except (OSError, ValueError, AttributeError):
            continue  # no simulated field there, or a file of another kind: nothing named
        if isinstance(config, dict) and (d := usable(config.get("distance_mpc"))) is not None:
            return d, f"{sim}"
    return None


def _say(held: list[warnings.WarningMessage]) -> None:
    """Say warnings recorded while they were held back, as they would have been said then."""
    for w in held:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
