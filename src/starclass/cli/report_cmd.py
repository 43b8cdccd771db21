"""``starclass report``: one self-contained HTML report plus every table as ECSV."""

from __future__ import annotations

from pathlib import Path

import typer

from starclass.cli._app import (
    ALLOW_FEW_MATCHES_OPTION,
    BY_MIN_ROWS_OPTION,
    BY_OPTION,
    CATALOGS_MAP_HELP,
    DQ_GOOD_BITS_OPTION,
    FILE_COLUMN_OPTION,
    GROUP_COLUMN_OPTION,
    MAG_LIMIT_OPTION,
    MASK_FILE_OPTION,
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
    echo_flagged,
    flags_option,
    mask_extension_option,
    one_catalogue_map,
    pixel_flags,
    progress_option,
    recorded_tasks,
    refuse_few_matches_with_catalogs,
    refuse_given_with_catalogs,
    refuse_min_inspected_without_catalogs,
    refuse_one_catalogue_options,
    say_catalogs_fields,
    say_catalogs_notes,
    task_option,
    warn_flags_differ,
)
from starclass.schema import MAX_BOOTSTRAP


@command("report")
def report(
    ctx: typer.Context,
    pred: Path = typer.Argument(None, help="Classified catalogue (class_pred, prob_<k>). Not with --catalogs."),
    catalogs: Path = typer.Option(None, "--catalogs",
                                  help="A directory of LEGUS .tab catalogues, or one of them (its people's "
                                       "classes alone): the many-field page (per-field tables, leave-one-galaxy-out "
                                       "ladder, summary figure) instead of PRED. Default: none, PRED is reported."),
    min_inspected: int = typer.Option(100, "--min-inspected", min=1,
                                      help="With --catalogs: fields with fewer human-classified sources are left out."),
    column_map: list[str] = typer.Option(None, "--map", help=CATALOGS_MAP_HELP),
    reference: list[str] = typer.Option(
        None, "--reference", "-r",
        help="Reference catalogue; repeat for several ('self': the catalogue's own class_ref). Default: 'self' "
             "when PRED has a class_ref."),
    out: Path = typer.Option(None, "--output", "-o", "--out", show_default=False,
                             help="HTML page to write (a name ending in .html), or a folder to write report.html "
                                  "into (any other name); tables go to tables/ beside the page. Default: the "
                                  "folder <catalogue>_report/ in the current folder, named after PRED (or "
                                  "--catalogs), e.g. classified_report/report.html."),
    title: str = typer.Option("starclass report", "--title", help="Title of the page."),
    radius: float = typer.Option(2.0, "--radius", help="One-to-one matching radius in pixels (at most 50)."),
    distance: float = typer.Option(None, "--distance", help="Distance in Mpc, 0.01-1000 (absolute-magnitude limits). "
                                                            "Default: none, every magnitude counted."),
    model: Path = typer.Option(None, "--model", help="Model (from 'starclass train') for the Grad-CAM section "
                                                     "(needs --mosaics or --stamps); its saved task is used when "
                                                     "--task is not given. Default: none, no Grad-CAM section."),
    mosaics: list[Path] = typer.Option(
        None, "--mosaics", "-m",
        help="FITS mosaics (or a folder) the catalogue was classified on, for --model. A catalogue of several fields "
             "(a 'field' column): each field's, FIELD=DIR once per field (or FIELD=FILE per band file), or each "
             "field's folder named as the field. Default: none."),
    n_boot: int = typer.Option(200, "--bootstrap", min=0, max=MAX_BOOTSTRAP,
                               help="Bootstrap resamples for confidence intervals (0: none; at most 10000, "
                                    "far more than a 95% interval needs)."),
    # as evaluate's: until 2026-12-07 report had no --no-science though docs/evaluation.md said it was accepted
    science: bool = typer.Option(True, "--science/--no-science",
                                 help="Colour-colour boxes, mass/age/luminosity functions."),
    task: str = typer.Option(None, "--task",
                             help="Task preset, task file (YAML/JSON) or trained model folder whose classes to score "
                                  "(default: the task recorded in the catalogue)."),
    stamps: Path = typer.Option(None, "--stamps", help="The cutout folder (CSV or directory) the output was "
                                                       "classified from: a gallery of the worst mistakes, and "
                                                       "Grad-CAM of the cutouts with --model. Default: none, no "
                                                       "gallery."),
    label_column: str = typer.Option(
        None, "--label-column",
        help="Column of label strings (e.g. 'label'): mapped to classes by the task's label_map and compared "
             "with class_pred row by row. Default: none, class_ref is the reference."),
    by: list[str] = BY_OPTION,
    group_column: str | None = GROUP_COLUMN_OPTION,
    file_column: str | None = FILE_COLUMN_OPTION,
    by_min_rows: int = BY_MIN_ROWS_OPTION,
    pred_column: str | None = PRED_COLUMN_OPTION,
    reference_column: str | None = REFERENCE_COLUMN_OPTION,
    allow_few_matches: bool = ALLOW_FEW_MATCHES_OPTION,
    ssp: Path | None = SSP_OPTION,
    mag_limit: float | None = MAG_LIMIT_OPTION,
    mass_kind: str | None = MASS_KIND_OPTION,
    mask_extension: str | None = mask_extension_option("in the Grad-CAM section's stamps (--mosaics)"),
    dq_good_bits: str | None = DQ_GOOD_BITS_OPTION,
    mask_file: str | None = MASK_FILE_OPTION,
    overwrite: bool = typer.Option(
        False, "--overwrite", help="Replace an existing HTML page and its tables/ folder; without it they are kept."),
    progress: bool | None = progress_option(
        "Bars of the bootstraps and sections drawn (--catalogs: of its steps)."),
) -> None:
    """Write the evaluation as one HTML page with embedded figures (open it in a browser).

    Without -o the page goes to <catalogue>_report/report.html in the current folder.

    Example: starclass report classified.ecsv -r test/truth.ecsv --model model/ -m test/ -o report/ (writes
    report/report.html and its tables in report/tables/)
    """
    # here, not at the top: starclass.report adds 2.8 s (matplotlib; measured) to the 0.4 s of `starclass --help`
    from starclass.errors import StarclassError
    from starclass.io.mosaic import mosaic_inputs
    from starclass.io.paths import check_inputs_readable, check_output

    flags = pixel_flags(mask_extension, dq_good_bits, mask_file)  # an expression astropy refuses: said before any work
    if flags is not None and not mosaics:
        # refused rather than ignored: only the Grad-CAM section's mosaics (--mosaics) have extensions to apply
        raise StarclassError(f"{flags_option(mask_extension, dq_good_bits, mask_file)} applies to "
                             "--mosaics (the Grad-CAM section with --model): give them too")
    # not given: a folder named after the input, in the current folder. A fixed report.html there made the
    # reports of two catalogues clash (and with it their tables/ folder, which a page's name alone cannot
    # separate); beside the input it would write into data folders, often read-only or shared
    out_option = "--output" if out is not None else "--output (not given: the default)"
    out = Path(out) if out is not None else _default_output(pred if pred is not None else catalogs)
    from starclass.report import check_tables_page

    name = out.name if out.suffix.lower() in (".html", ".htm") else "report.html"
    outdir = out.parent if out.suffix.lower() in (".html", ".htm") else out
    if catalogs is not None:
        refuse_one_catalogue_options(by, pred_column)
        if reference_column is not None:
            raise StarclassError("--reference-column applies to one classified catalogue (PRED), not to --catalogs")
        refuse_few_matches_with_catalogs(allow_few_matches)
        refuse_given_with_catalogs(ctx)
        if pred is not None:
            raise StarclassError("give a classified catalogue (PRED) or a directory of catalogues (--catalogs), "
                                 "not both")
        from starclass.report.many import build_many_report
        from starclass.science.many import parse_field_maps

        field_maps = parse_field_maps(column_map)  # a malformed item before any reading
        check_inputs_readable([("--catalogs", catalogs)])  # named before an existing output is
        check_ssp(ssp)  # the fields' mass limits and curves take it (refused with --catalogs until 2026-12-07)
        check_output(outdir / name, [catalogs], option=out_option, overwrite=overwrite)
        # another page's tables first: "tables exists; give --overwrite" sent the user to an --overwrite refused next
        check_tables_page(outdir, name)
        check_output(outdir / "tables", [catalogs], option="--output (its tables/ folder)", overwrite=overwrite)
        # into a log file the catalogues read and the study's steps, as evaluate --catalogs (37 s without a word;
        # command() shows the lines); at a terminal their bars, as evaluate --catalogs draws them
        path = build_many_report(catalogs, outdir / name, title=title if title != "starclass report" else
                                 "LEGUS fields", min_inspected=min_inspected, overwrite=overwrite,
                                 progress=bars_or_lines(progress), column_maps=field_maps, ssp=ssp)
        from astropy.table import Table

        # what evaluate --catalogs says: the fields used and left out, the files not read (it said only its path)
        tables = outdir / "tables"
        skipped = tables / "skipped.ecsv"
        fields = Table.read(tables / "fields.ecsv", format="ascii.ecsv")
        say_catalogs_fields(catalogs, len(fields),
                            len(Table.read(skipped, format="ascii.ecsv")) if skipped.is_file() else 0,
                            str(skipped))
        from starclass.report.many import machine_only_text

        # what evaluate --catalogs says of the folder, in its words and order (the page's Fields text): until
        # 2026-12-06 (evening) the SED lines only, not the machine-only classes, the ladder or the V camera
        say_catalogs_notes({**fields.meta, "machine_only": machine_only_text(fields).strip()})
        if ssp is not None:
            echo(f"SSP model of the mass limits, completeness curves and SED check: {fields.meta.get('ssp')}")
        echo(f"report: {path}{_tables_said(outdir)}")
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
    if mosaics and model is None and stamps is None:  # with --stamps too: build_report's "not both"
        # they serve only the Grad-CAM section: without --model they were read by nothing, silently
        raise StarclassError("--mosaics applies to --model (the Grad-CAM section); give the model too, or leave "
                             "them out")
    # a missing input is named before an existing page or tables/ folder: asked first for --overwrite,
    # only the re-run with it said that the reference, cutouts or model were not there (as classify, 0e0b76f)
    from starclass.io.fields import FieldMosaics, field_mosaics_option

    # each field's mosaics (FIELD=DIR, or folders named as the fields) or one field's, parsed before they are checked
    given = field_mosaics_option(mosaics) if mosaics else None
    paths = ([p for ps in given.by_field.values() for p in ps] if isinstance(given, FieldMosaics)
             else list(given or ()))
    check_inputs_readable([("PRED", pred), *(("--reference", r) for r in reference or () if r != "self"),
                           ("--model", model), ("--stamps", stamps), *(("--mosaics", m) for m in paths)])
    # the page is what the option names; the tables beside it are rewritten with it
    inputs = [pred, model, stamps, *mosaic_inputs(paths or None), *(r for r in reference or () if r != "self")]
    # info FILE.tab --map's meaning, for the LEGUS .tab files among PRED and the references
    cmap = one_catalogue_map(column_map, [pred, *(r for r in reference or () if r != "self")])
    if outdir == out and (out.exists() or out.is_symlink()) and not out.is_dir():
        # a name without .html is the report's folder: a file there (-o classified.ecsv, an input) is
        # refused now; it failed after the whole evaluation with "cannot write classified.ecsv/tables"
        check_output(out, inputs, option=out_option, overwrite=True)  # names an input as such
        raise StarclassError(f"{out_option} {out} is a file, not a folder: name the page (.html) or a folder")
    check_output(outdir / name, inputs, option=out_option, overwrite=overwrite)
    # before the evaluation, and before the tables' own check: another page's tables are never replaced, and
    # "tables exists; give --overwrite to replace it" (report a.html beside b.html) sent the user to an
    # --overwrite that was refused next (found walking docs/evaluation.md's synopsis, 2026-12-07)
    check_tables_page(outdir, name)
    # the tables beside the page are an output too: an older report's (or evaluate's) are kept unless --overwrite
    check_output(outdir / "tables", inputs, option="--output (its tables/ folder)", overwrite=overwrite)
    from starclass.io.cutout_folders import check_output_outside_cutouts

    # a tables/ folder beside the label folders of --stamps DATA was read next time as a label
    check_output_outside_cutouts(outdir / name, stamps, option=out_option, file=True)
    check_output_outside_cutouts(outdir / "tables", stamps, option="--output (its tables/ folder)")
    read = None
    if mosaics and model is not None:
        warn_flags_differ(model, flags)  # Grad-CAM of stamps cut otherwise than the training ones
    if flags is not None and model is not None:
        # the Grad-CAM stamps as classify cut them with the same options (build_report reads paths as stored)
        from starclass.io.mosaic import MosaicSet, read_mosaics

        def flagged(ps: list[Path] | tuple[Path, ...]) -> MosaicSet:
            one = read_mosaics(list(ps) if len(ps) > 1 else ps[0], pixel_flags=flags, warn_v_band=False)
            echo_flagged(one)
            return one

        read = (FieldMosaics({f: flagged(ps) for f, ps in given.by_field.items()})
                if isinstance(given, FieldMosaics) else flagged(paths))
    resample = purpose = None
    if stamps is not None and (task is not None or model is not None):
        # a task of mixed cutout sizes (cool-core) reads its folder as train and classify did
        from starclass.stamps.images import cutout_resampler

        resample = cutout_resampler(task if task is not None else task_option(str(model), "--model"))
    elif stamps is not None:
        # without a task the cutouts are only drawn (the gallery of mistakes): a cool-core folder of mixed sizes
        # was refused, "all cutouts must have one size", for a picture
        from starclass.stamps.images import GALLERY_PURPOSE, gallery_resampler

        resample, purpose = gallery_resampler(), GALLERY_PURPOSE
    from starclass.io.progress import say_step

    # into a log file (stderr no terminal) it says its long sections, as demo's step (command() shows the lines); at a
    # terminal a line now, then the bars of the bootstraps and the sections: until 2026-12-06 nothing until the end
    shown = bars_or_lines(progress)
    say_step("report: reading and pairing the catalogues ...", shown)
    # after the line: report.build (matplotlib, scikit-learn's metrics) took 2.9 s to import, all of it before
    # the line until 2026-12-06
    from starclass.evaluate.compare import legus_column_map
    from starclass.report.build import build_report

    ctx.with_resource(legus_column_map(cmap))  # every read of a .tab from here to the end of the command

    path = build_report(str(pred), reference or None, outdir, title=title, distance_mpc=distance,
                        cutout_resample=resample, cutout_resample_purpose=purpose,
                        model_path=model, mosaics=read if read is not None else given, filename=name,
                        radius=radius, n_boot=n_boot, science=science, group_column=group_column,
                        file_column=file_column, task=task, stamps=stamps, label_column=label_column,
                        by=tuple(by or ()), by_min_rows=by_min_rows, pred_column=pred_column,
                        reference_column=reference_column, allow_few_matches=allow_few_matches,
                        model=None if model is None or task is not None else str(model), overwrite=overwrite,
                        ssp=ssp, mag_limit=mag_limit, mass_kind=mass_kind, progress=shown)
    echo(f"report: {path}{_tables_said(outdir)}")


def _tables_said(outdir: Path) -> str:
    """Where the page's tables went, said after its path: a tables/ folder appeared beside it without a word."""
    tables = Path(outdir) / "tables"
    n = len(list(tables.glob("*.ecsv"))) if tables.is_dir() else 0
    return f" (its {n} tables in {tables})" if n else ""


#: Compression suffixes dropped before a catalogue's own suffix when its name makes the default output.
_COMPRESSED = (".gz", ".bz2", ".xz", ".fz", ".zip")


def output_outside_cutouts(pred: str | Path, stamps: str | Path) -> str | None:
    """The ``-o`` a proposed ``report PRED --stamps STAMPS`` needs, run here, where its default would be refused.

    ``classify --stamps . -o out.csv`` in a folder of label sub-folders, then ``evaluate out.csv``, proposed
    ``starclass report out.csv --model M --stamps .``, which report refused: its default folder
    (``out_report/``, here) lies inside the cutout folder, read next time as a label. The page then goes
    beside the cutout folder instead (``../out_report``), named as report names it; None where the default
    is fine (a folder read through its list, an output outside it).

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> d = Path(tempfile.mkdtemp()); (d / "galaxy").mkdir(); np.save(d / "galaxy" / "a.npy", np.ones((4, 4)))
    >>> was = os.getcwd(); os.chdir(d)
    >>> output_outside_cutouts("out.csv", ".")   # out_report/ would be a label folder of .
    '../out_report'
    >>> output_outside_cutouts("out.csv", "galaxy") is None   # out_report/ is not inside galaxy/
    True
    >>> os.chdir(was)
    """
    from starclass.io.cutout_folders import beside_cutouts

    out = _default_output(Path(pred))
    # report checks its page and its tables/ folder; the folder is refused wherever the page is
    return beside_cutouts(out, stamps, within=("tables",))


def _default_output(source: Path | None) -> Path:
    """The folder ``report`` writes to without ``-o``: ``<name>_report`` for ``classified.ecsv`` or ``legus/``.

    A LEGUS file is named by its field (``ngc1566_report``), as the page and its tables name it.
    """
    if source is None:
        return Path("report")  # no input: refused below, before anything is written
    name = Path(source).name
    for suffix in _COMPRESSED:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    stem = Path(name).stem if not Path(source).is_dir() else name
    if not Path(source).is_dir():
        from starclass.io.legus import field_from_name

        # a LEGUS file by its field, as the page names it (ngc1566_report, not hlsp_legus_..._avgapcor_report)
        stem = field_from_name(name) or stem
    return Path(f"{stem or 'catalogue'}_report")
