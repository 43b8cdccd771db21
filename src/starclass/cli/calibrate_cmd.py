"""``starclass calibrate``: refit a model's calibration (temperature, vector, histogram) and conformal rows."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import typer

from starclass.cli._app import (
    DQ_GOOD_BITS_OPTION,
    FILE_COLUMN_OPTION,
    MASK_FILE_OPTION,
    MOSAICS_HELP,
    bars_or_lines,
    check_image_inputs,
    command,
    echo,
    echo_flagged,
    flags_option,
    given_options,
    held_warnings,
    mask_extension_option,
    pixel_flags,
    place_rows,
    progress_option,
    refuse_cutouts_as_mosaics,
    warn_flags_differ,
)
from starclass.errors import (
    CalibrationFitWarning,
    OutputExistsError,
    StarclassError,
    calibrate_command_named,
    counted,
    model_word,
    shell_word,
    shown_command,
)
from starclass.schema import CLASS_REF, INFERENCE_BATCH_SIZE, X, Y

#: Neither mosaics with a catalogue nor a cutout folder
_NEED_INPUTS = "give the mosaics and --catalog, or a labelled cutout folder with --stamps"


@command("calibrate")
def calibrate_command(
    ctx: typer.Context,
    model: Path = typer.Argument(..., help="Model directory from 'starclass train' (its manifest.json is updated)."),
    mosaics: list[Path] = typer.Argument(
        None, help=f"{MOSAICS_HELP}, with --catalog. Not used with --stamps."),
    catalog: Path | None = typer.Option(
        None, "--catalog", "-c",
        help="Labelled candidates (0-based x, y and the label column; a LEGUS .tab's 1-based x, y are converted "
             "on reading) held out from training."),
    stamps: Path | None = typer.Option(
        None, "--stamps", help="A labelled cutout folder (CSV or directory) or stamp store (cutouts -o STORE.h5, "
                               "cut for the model's task; labels: its class_ref) instead of mosaics + catalogue."),
    label_column: str = typer.Option(
        CLASS_REF, "--label-column",
        help="Catalogue column of reference classes (mosaics + catalogue); for a cutout folder its column of "
             "label strings (default there: the column the model was trained on (train --label-column), else label)."),
    batch_size: int = typer.Option(INFERENCE_BATCH_SIZE, "--batch-size", min=1,
                                   help="Candidates classified per batch, at least 1 (memory scales with it; "
                                        "one default for every command, starclass.schema)."),
    device: str | None = typer.Option(None, "--device", help="cpu, cuda, ... (default: CUDA when available)."),
    overwrite: bool = typer.Option(False, "--overwrite",
                                   help="Replace the calibration the model already has (kept without it). Every "
                                        "model 'starclass train' wrote has one, fitted on its validation split, so "
                                        "a first calibrate needs it too."),
    method: str = typer.Option(
        "temperature", "--method", "--calibration-method",
        help="temperature (one number; never changes the most probable class), vector (a scale and bias per "
             "class; more rows) or histogram (equal-mass bins per class; 100+ rows per bin). docs/uncertainty.md."),
    bins: int = typer.Option(
        15, "--bins", help="--method histogram: equal-mass bins per class (needs 100 labelled rows per bin)."),
    allow_training_rows: bool = typer.Option(
        False, "--allow-training-rows",
        help="Fit even when some rows are ones the model was trained on (refused without it: the calibration "
             "would be too confident and the conformal sets too small); a warning says how many."),
    mask_extension: str | None = mask_extension_option("in the stamps classified for the fit"),
    dq_good_bits: str | None = DQ_GOOD_BITS_OPTION,
    mask_file: str | None = MASK_FILE_OPTION,
    progress: bool | None = progress_option("Show a progress bar while the held-out rows are classified."),
    file_column: str | None = FILE_COLUMN_OPTION,
) -> None:
    """Fit the ensemble's calibration (and the conformal calibration rows) on a labelled held-out set.

    The rows must not have been used for training: the model's manifest records a digest of
    the input of every row its weights were fitted on (models trained since 2026-12-02), and
    rows among them (or, for models trained since 2026-12-07, copies of them in another format,
    flipped or rotated) are refused, naming how many, unless --allow-training-rows. Older models
    have no record: their rows are not checked (a warning says so). The result is stored in the
    model's manifest.json under 'calibration', with digests checked whenever the model is loaded.
    The rows are classified twice, as classify does without and with --tta (the second pass, over
    the 8 rotations/flips, costs 8x the first): a map is fitted on each, and classify applies the
    one that matches its --tta.

    Example: starclass calibrate model/ heldout/ -c heldout/truth.ecsv --overwrite
    """
    # bars only where a person watches them (a batch job's log keeps every redraw); plain lines there instead
    progress = bars_or_lines(progress)
    import numpy as np

    from starclass.io.paths import check_output
    from starclass.learn.calibration_methods import check_histogram_rows, check_method
    from starclass.learn.checkpoint import read_manifest

    check_method(method, "--method")
    if method != "histogram" and given_options(ctx, {"bins": "--bins"}):
        # refused rather than ignored: a temperature or vector map has no bins, and the user meant a histogram
        raise StarclassError(f"--bins {bins} applies to --method histogram (its equal-mass bins per class), not "
                             f"to --method {method}: add --method histogram, or leave --bins out")
    flags = pixel_flags(mask_extension, dq_good_bits, mask_file)  # an expression astropy refuses: said before any work
    if flags is not None and stamps is not None:
        # refused rather than ignored: a cutout folder holds no FITS extensions to apply
        raise StarclassError(f"{flags_option(mask_extension, dq_good_bits, mask_file)} applies to "
                             "the mosaics' FITS extensions and mask files, not to a cutout folder (--stamps)")
    if file_column is not None and stamps is None:
        # a catalogue of positions names no files: the option would be ignored without a word
        raise StarclassError(f"--file-column {file_column!r} names the column of image files of a cutout CSV: it "
                             "applies with --stamps")
    if stamps is None:
        # a cutout folder typed where the mosaics go (or its CSV as --catalog): said so, before the model loads
        refuse_cutouts_as_mosaics(mosaics, [catalog])
    if method == "histogram":
        check_histogram_rows(10**12, bins, "--bins")  # a bad --bins is refused before anything is read
    from starclass.learn.precision import check_device_name, pick_device

    check_device_name(device)  # a name torch refuses ('tpu'): at once, without torch; cpu, cuda:N after the first line
    if not model.is_dir():
        raise StarclassError(f"model {model_word(model)}: give the model directory 'starclass train' wrote "
                             f"(calibration is "
                             "stored in its manifest.json)")
    doc = read_manifest(model)
    # the manifest is rewritten in place (atomically, beside itself): a read-only model folder was refused
    # only after the held-out rows were cut, classified and the calibration fitted
    check_output(model / "manifest.json", [], option="MODEL", overwrite=True)
    # a misspelt catalogue, mosaic or --stamps was named only once torch and the model code had loaded, as classify
    check_image_inputs(mosaics, catalog, stamps, need=_NEED_INPUTS)
    from starclass.io.progress import say_start

    # a line once the arguments that need no torch are checked, before torch and the model code load (3-4 s on
    # shared cores: nothing was said until the classification's bar); in a log file too (say_start), as classify
    say_start(f"calibrate: reading the held-out rows and loading model {model_word(model)} ...", progress)
    from starclass.learn.calibration import calibrate_model

    dev = pick_device(device)
    from starclass.learn.config import TaskConfig

    cfg = TaskConfig.from_dict(doc["config"])
    from starclass.io.cutout_folders import is_store_file

    # named as a store but no HDF5 file: the store reader refuses it as train does ("not a stamp store"), where
    # the cutout-list reader said "has a header but no rows"
    store = stamps is not None and is_store_file(stamps)
    if store:
        # a stamp store (cutouts -o STORE.h5) is read as classify --stamps reads it: its stamps as they are, its
        # class_ref; it was refused ("give the mosaics instead") though train and classify advised it
        say_start(f"calibrate: reading the stamps of store {stamps} ...", progress)  # as the mosaics' and cutouts'
        inputs, values, source, places = _store_rows(Path(stamps), cfg, label_column, model=model)
        no_data = None  # a stamp without data is a row without a usable stamp (values 0), as on mosaics
        rows_from = None  # read again from the store itself (source) by a fine-tune
    elif stamps is not None:
        from starclass.io.cutout_folders import (
            label_classes,
            label_column_hint,
            model_label_column,
            read_cutout_folder,
            stored_group_column,
        )
        from starclass.learn.checkpoint import training_label_column_of
        from starclass.stamps.images import cutout_inputs

        # as train --stamps: the catalogue default (class_ref) means the folder's own labels: those of the
        # column the model was trained on (a five-class model trained on 'expert' was calibrated on the binary
        # 'label' of a galaxy-cluster folder), else 'label'; another name given is used
        column, line = model_label_column(stamps, None if label_column == CLASS_REF else label_column,
                                          training_label_column_of(doc), f"model {model_word(model)}")
        if line:
            typer.echo(line, err=line.startswith("warning"))
        from starclass.stamps.images import cutout_resampler

        say_start(f"calibrate: reading the cutouts listed in {stamps} ...", progress)  # as the mosaics' stamps
        cutouts = read_cutout_folder(stamps, group_column=stored_group_column(cfg.group_column), require_group=False,
                                     bands=list(cfg.bands), label_column=column,
                                     bands_of=f"model {model_word(model)}", resample=cutout_resampler(cfg),
                                     label_map=cfg.label_map, file_column=file_column or "file")
        from starclass.learn.folder_task import check_folder_task

        # a cool-core model calibrated on a galaxy-cluster folder took its labels 1, 2 as its classes
        check_folder_task(cutouts.source, cutouts.labels, cfg, model=model, column=column)
        from starclass.learn.checkpoint import training_cutouts_of
        from starclass.learn.cutouts import colour_note, cutout_size_note

        # as classify --stamps: a calibration fitted on cutouts of another field than training's
        # was fitted on inputs the model never sees so
        if note := cutout_size_note(cutouts, None, f"model {model_word(model)}", training=training_cutouts_of(doc),
                                    config=cfg):
            typer.echo(f"warning: {note}", err=True)
        if note := colour_note(cutouts, cfg):  # 3-plane files averaged to grey: said once, as train and classify
            typer.echo(note, err=True)
        from starclass.learn.cutouts import check_pixel_scales

        check_pixel_scales(cutouts, cfg, "the calibration")  # pictures beside FITS/NPY counts under 'none'

        if cutouts.labels is None:
            raise StarclassError(f"--stamps {stamps}: the cutouts have no label column {column!r} (--label-column; "
                                 f"columns: {', '.join(cutouts.table.colnames)}); calibration needs labelled rows"
                                 # a spreadsheet's 'Label': train and classify point to it
                                 f"{label_column_hint(cutouts.table.colnames, column)}")
        inputs = cutout_inputs(cutouts.images, cfg)
        from starclass.learn.cutouts import runaway_zscore_note

        # as train and classify --stamps: saturated cutouts z-scored to hundreds of sigma give probabilities the
        # calibration is then fitted to, and calibrate said nothing of them
        if note := runaway_zscore_note(cutouts, np.arange(len(cutouts)), inputs, cfg, what="calibration"):
            typer.echo(f"warning: {note}", err=True)
        values = label_classes(cutouts, cfg.label_map, config=cfg)
        from starclass.learn.classify import blank_bands
        from starclass.stamps.images import CENTRE_NO_DATA_WORDS, cutout_band_no_data, cutout_centre_no_data

        no_data = cutout_band_no_data(cutouts.images, cfg)  # an all-NaN cutout is said to have no data, not constant
        # a blank row named as train names it: its row and line in the list, and its file
        places = [cutouts.row_place(i) for i in range(len(cutouts))]

        # as on mosaics (values[~ok] = 0 below) and as classify --stamps leaves them unclassified: a cutout whose
        # own centre pixel has no data never gets probabilities, so a calibration is not fitted on it (a blank
        # one, all NaN included, is left out and said by the blank rows' own warning)
        centre = (cutout_centre_no_data(cutouts.images, cfg) & (np.asarray(values) != 0)
                  & ~blank_bands(inputs, cfg).any(axis=1))
        if centre.any():
            values = np.where(centre, 0, values)
            rows = np.flatnonzero(centre)
            named = ", ".join(str(int(r) + 1) for r in rows[:10]) + (", ..." if rows.size > 10 else "")
            typer.echo(f"warning: {counted(int(rows.size), 'labelled cutout')} of {stamps} "
                       f"{'has' if rows.size == 1 else 'have'} no usable stamp ({CENTRE_NO_DATA_WORDS}; "
                       f"{'row' if rows.size == 1 else 'rows'} {named}): left out, "
                       "as classify leaves them unclassified", err=True)
        from starclass.learn.calibration import calibration_rows
        from starclass.learn.cutouts import zero_padding_note, zero_padding_rows

        # as classify and train --stamps: zeros that may be a survey's padding are read as sky in the probabilities
        # the calibration is fitted to, said of the rows it is fitted on (a blank or unlabelled one is not)
        padded, share = zero_padding_rows(cutouts, calibration_rows(inputs, cfg, values))
        if padded.any():
            typer.echo(f"warning: {zero_padding_note(padded, share, cutouts.files)}", err=True)
        # absolute: the manifest travels with the model, and classify names it from any folder ('heldout.csv' read
        # as a file beside wherever classify ran)
        source = str(Path(stamps).absolute())
        # recorded so that a fine-tune of this model can read these rows again and score them with its own weights
        from starclass.learn.calibration import stamps_rows_from

        # relative too: a model moved with its data still finds them; the list stamped, so that one edited
        # since (its labels changed) is not re-read as if it were the one calibrated on
        rows_from = stamps_rows_from(model, source, column, file_column or "file")
    else:
        from starclass.io.catalog import catalogue_row_places, numeric_column, read_catalog
        from starclass.io.mosaic import read_mosaics
        from starclass.learn.classify import check_bands
        from starclass.stamps import make_inputs

        table = read_catalog(catalog, require_xy=False)  # ra, dec only: placed on the mosaics below
        # a calibration fitted on stamps cut otherwise than the training ones calibrates other inputs
        warn_flags_differ(model, flags, manifest=doc)
        if label_column not in table.colnames:
            raise StarclassError(f"--label-column: catalogue {catalog} has no column {label_column!r}")
        mos = read_mosaics(mosaics if len(mosaics) > 1 else mosaics[0],  # no V band used: none warned of
                           require_zeropoint=cfg.normalisation in ("rgb", "flux"), pixel_flags=flags,
                           warn_v_band=False)
        check_bands(list(cfg.bands), list(mos.bands), f"model {model_word(model)}", mos, task=cfg.name,
                    listed="the mosaics given on the command line")
        echo_flagged(mos)
        # a row named as a person finds it (id and position), read before rows are placed through the WCS
        places = catalogue_row_places(table)
        table = place_rows(table, mos, catalog)
        # the torch import, the catalogue and the mosaics went by under the first line; cutting the stamps took as
        # long again (4 s for 3,000 rows, loaded machine), and nothing was said until the classification's bar
        say_start(f"calibrate: cutting the stamps of {counted(len(table), 'row')} of {catalog} from "
                  f"{counted(len(mos.bands), 'band')} ...", progress)
        inputs, ok = make_inputs(mos, numeric_column(table, X), numeric_column(table, Y), cfg)
        values = numeric_column(table, label_column, f"catalogue {catalog}").copy()
        values[~np.asarray(ok, bool)] = 0  # no usable stamp: left out
        # absolute: the manifest travels with the model, and classify names it from any folder ('heldout.csv' read
        # as a file beside wherever classify ran)
        source = str(Path(catalog).absolute())
        no_data = None  # a mosaic's stamp without data is a row without a usable stamp (values 0 above)
        from starclass.learn.calibration import mosaic_rows_from

        # recorded so that a fine-tune of this model can cut these rows again and score them with its own weights;
        # the files' size, time and SHA-256 tell it where they changed since
        rows_from = mosaic_rows_from(model, [mos.paths[b] for b in mos.bands], catalog, label_column,
                                     bands=list(mos.bands), stamp_size=cfg.stamp_size,
                                     pixel_flags={"mask_extension": mask_extension, "dq_good_bits": dq_good_bits,
                                                  "mask_file": mask_file})
    if method == "histogram":
        from starclass.learn.calibration import calibration_rows

        # refused before the network runs: too few rows for the bins, counted as calibrate_model
        # uses them. The rows that map to no class of the task and, as the count once forgot, the
        # blank (constant) images are left out: 150 labelled cutouts of which 60 blank were "150
        # calibration rows", or passed this check and were refused after the network ran
        labelled = int(np.sum(np.asarray(cfg.class_indices(values)) >= 0))
        n_rows = int(calibration_rows(inputs, cfg, values).sum())
        from starclass.learn.classify import blank_bands

        # the blank rows without any data (all-NaN cutouts) are said as such, as leave_out_blank says them
        n_no_data = 0 if no_data is None else int(np.sum(
            (np.asarray(cfg.class_indices(values)) >= 0) & (no_data & blank_bands(inputs, cfg)).any(axis=1)))
        check_histogram_rows(n_rows, bins, "--method histogram --bins", n_blank=labelled - n_rows,
                             n_no_data=n_no_data)
    # asked only once the inputs are read and checked: asked first, a missing --stamps file or a
    # catalogue without the label column was said only after the user re-ran with --overwrite
    if doc.get("calibration") and not overwrite:
        raise OutputExistsError(_has_calibration(model, doc["calibration"]), model / "manifest.json")
    # the fitted map's cautions are the library's warnings (a notebook sees the same): held, and said after the
    # result they qualify; the command keeps no copy of their conditions (those about the rows come as they are read)
    # the networks load and the rows are checked against the model's training rows (their digests) before the bar:
    # seconds more for thousands of rows, said rather than left silent
    say_start(f"calibrate: loading model {model_word(model)} and checking its training rows against the "
              f"{counted(len(values), 'held-out row')} ...", progress)
    with held_warnings(CalibrationFitWarning) as cautions:
        cal = calibrate_model(model, inputs, values, source=source, overwrite=overwrite, batch_size=batch_size,
                              device=dev, method=method, n_bins=bins, allow_training_rows=allow_training_rows,
                              progress=progress, no_data=no_data, rows_from=rows_from,
                              said_as=str(stamps if stamps is not None else catalog), places=places)
    vs_t = (f" (temperature alone {cal.nll_temperature:.4f}"
            + (", in-sample" if cal.method == "histogram" else "") + ")") if cal.method != "temperature" else ""
    # per class as train, info and the warnings write it (a Python dict, "{1: 66, 2: 91}", was printed)
    from starclass.evaluate.task import class_labels

    # by number and name, as evaluate, train and info name the classes ("1 (cluster): 66")
    named = class_labels(cfg.classes, cfg.class_names)
    per_class = ", ".join(f"{named.get(c, c)}: {k}" for c, k in cal.class_counts().items())
    # with --allow-training-rows the rows are not held out: said with the count, not left to the warning above
    trained_on = (f", {cal.n_training_rows} of them rows the model was trained on (--allow-training-rows),"
                  if cal.n_training_rows else "")
    # the second fit, on the same rows averaged over the 8 rotations/flips, is the one classify --tta applies
    tta = cal.with_tta
    under_tta = (f"; under TTA (classify --tta): {tta.describe()}, NLL {tta.nll_before:.4f} -> {tta.nll_after:.4f}"
                 if tta is not None else "; none under TTA (stamps not square: classify refuses --tta on them)")
    # the file as the user gave it (the manifest records it absolute, for classify to name from any folder):
    # 'calibrate model --stamps held.csv' printed "of /tmp/run/held.csv", a path never typed
    given = stamps if stamps is not None else catalog
    echo(f"calibrated {model} on {counted(cal.n, 'row')} of {given}{trained_on} (per class {per_class}): "
         f"{cal.describe()}, NLL {cal.nll_before:.4f} -> {cal.nll_after:.4f}{vs_t}{under_tta}")
    for caution in cautions:
        # too few rows to pin the map down, or a temperature (a scale) at an end of its search
        typer.echo(f"WARNING: {calibrate_command_named(caution, model)}", err=True)  # the model given, not MODEL
    # it ended on the fit's figures, and nothing said what to run with the refitted model (train, classify,
    # detect and simulate each end with a 'next:' line; found walking docs/uncertainty.md)
    from starclass.cli.next_steps import recorded_so_far

    # the training fields are no more another field than the calibration one: named beside it (the quick start's
    # line said 'not heldout' of a model trained on field/)
    trained = [f for f, _ in recorded_so_far(doc, None) or ()] if stamps is None else []
    echo(calibrate_next_line(model, stamps=stamps is not None, tta=tta is not None,
                             mosaics=None if stamps is not None else mosaics, store=store, trained=trained))


def _store_rows(path: Path, cfg, label_column: str, *, model: Path | str | None = None) -> tuple:
    """A stamp store's inputs, the classes of its ``label_column`` (0 where no usable stamp), its absolute path
    and each row's place (:func:`store_row_places`).

    The store must be cut for the model's task (``store_fit``, as ``train`` and ``classify --stamps`` require).
    """
    import numpy as np

    from starclass.cli.train_cmd import store_fit
    from starclass.io.catalog import numeric_column
    from starclass.stamps import StampStore

    with StampStore(path) as st:
        # the differences named, and the cutouts command that fits the model (--task MODEL), or the mosaics' way
        store_fit(st, cfg, path, model=model, purpose="calibrate")
        table = st.table
        if label_column not in table:
            raise StarclassError(f"--stamps {path}: the stamp store has no label column {label_column!r} "
                                 f"(--label-column; columns: {', '.join(table)}); calibration needs labelled rows")
        from astropy.table import Table

        values = numeric_column(Table({label_column: table[label_column]}), label_column,
                                f"stamp store {path}").copy()
        inputs = st[:][0] if len(st) else np.empty((0, *st.shape[1:]), np.float32)
        values[~np.asarray(st.ok, bool)] = 0  # no usable stamp: left out, as classify leaves it unclassified
        places = store_row_places(table)
    return inputs, values, str(path.absolute()), places


def store_row_places(table: dict) -> list[str]:
    """Each row of a stamp store as a person finds it: its id and ``x``, ``y``, and its field where it has one.

    ``calibrate --stamps STORE.h5`` named a blank row "(row 61)", a row no viewer shows: named as a catalogue's
    rows are (:func:`starclass.io.catalog.catalogue_row_places`), with the field the store records it was cut from.

    Parameters
    ----------
    table : dict
        The store's table, column name -> values (:attr:`starclass.stamps.StampStore.table`).

    Returns
    -------
    list of str
        One place per row, in order.

    Examples
    --------
    >>> store_row_places({"id": [7, 8], "x": [10.04, 20.0], "y": [5.0, 6.0], "field": ["a", ""]})
    ['id 7 at x 10.0, y 5.0 of field a', 'id 8 at x 20.0, y 6.0']
    """
    from astropy.table import Table

    from starclass.io.catalog import catalogue_row_places
    from starclass.schema import FIELD, ID, X, Y

    places = catalogue_row_places(Table({c: table[c] for c in (ID, X, Y) if c in table}))
    if FIELD not in table:
        return places
    fields = [v.decode() if isinstance(v, bytes) else str(v) for v in table[FIELD]]
    return [f"{p} of field {f}" if f.strip() else p for p, f in zip(places, fields)]


#: What the next: line adds where a second fit, under TTA, was made.
TTA_NOTE = "--tta uses the fit under TTA"


def calibrate_next_line(model: Path | str, *, stamps: bool, tta: bool, mosaics: list[Path] | None = None,
                        store: bool = False, trained: Sequence[str | os.PathLike] = ()) -> str:
    """The 'next:' line ``calibrate`` ends with: classify with the refitted model, as its inputs were given.

    The field to classify is another than the one calibrated on (``OTHER_DIR``, said to be so:
    :func:`~starclass.cli.next_steps.other_field_words`), the cutouts (``LIST``) other than those: until 2026-12-07
    the line proposed the very field just calibrated on (``classify m31 -c CANDIDATES``), where classify warns that
    its scores are in-sample (that field's coverage 0.900-0.903 for every class, 0.881-0.909 on a test field). The
    field used is named in the words, as the one not to give. ``CANDIDATES`` stays a placeholder.

    Parameters
    ----------
    model : pathlib.Path or str
        The model folder calibrated.
    stamps : bool
        Calibrated on a cutout list (``--stamps``), not on mosaics and a catalogue.
    tta : bool
        A second fit under TTA was made (square stamps), which ``classify --tta`` applies.
    mosaics : list of Path, optional
        The mosaics given (with ``--catalog``); None with ``--stamps``.
    store : bool, optional
        The ``--stamps`` given was a stamp store: the stores to classify are ones cut for the model's task.
    trained : sequence of path, optional
        The mosaics folders of the fields the model records it was trained on: named with the calibration
        field as folders not to give (each as a path relative to the working folder where it is under it).

    Returns
    -------
    str

    Examples
    --------
    >>> print(calibrate_next_line("model", stamps=False, tta=False))  # doctest: +NORMALIZE_WHITESPACE
    next: classify with it: 'starclass classify OTHER_DIR -c CANDIDATES --model model -o classified.ecsv'
    (OTHER_DIR: the mosaics folder of a field it was not calibrated or trained on; scored there, its figures would
    be in-sample)
    >>> print(calibrate_next_line("my model", stamps=True, tta=True))  # doctest: +NORMALIZE_WHITESPACE
    next: classify with it: "starclass classify --stamps LIST --model 'my model' -o classified.ecsv"
    (LIST: a folder or CSV of cutouts it was not calibrated or trained on, labelled or not; --tta uses the fit
    under TTA)
    >>> print(calibrate_next_line("model", stamps=False, tta=True, mosaics=[Path("m31")]))
    ... # doctest: +NORMALIZE_WHITESPACE
    next: classify with it: 'starclass classify OTHER_DIR -c CANDIDATES --model model -o classified.ecsv'
    (OTHER_DIR: the mosaics folder of a field it was not calibrated or trained on, not m31; scored there, its
    figures would be in-sample; --tta uses the fit under TTA)
    >>> print(calibrate_next_line("model", stamps=False, tta=False, mosaics=[Path("heldout")], trained=["field"]))
    ... # doctest: +NORMALIZE_WHITESPACE
    next: classify with it: 'starclass classify OTHER_DIR -c CANDIDATES --model model -o classified.ecsv'
    (OTHER_DIR: the mosaics folder of a field it was not calibrated or trained on, not heldout or field; scored
    there, its figures would be in-sample)
    """
    from starclass.cli.suggest_cmd import data_dir_of

    if stamps and not store:
        # train's line for the same step, word for word (it said --stamps CUTOUTS -o classified.csv until 2026-12-07)
        from starclass.cli.train_cmd import classify_cutouts_command

        # the note on --tta inside the parenthesis on LIST: two parentheses in a row read as a stutter
        return (f"next: classify with it: "
                f"{classify_cutouts_command(model, TTA_NOTE if tta else '', seen='calibrated')}")
    from starclass.cli.next_steps import OTHER_DIR, classified_name, other_field_words

    folder = None if stamps else data_dir_of(mosaics)
    # another field than the one calibrated on: classify warns of that field (its own calibration rows, in-sample)
    source = "--stamps STORE.h5" if store else f"{OTHER_DIR} -c CANDIDATES"
    command = shown_command(f"starclass classify {source} --model {shell_word(model)} -o {classified_name()}")
    used = [] if folder is None else [shell_word(folder)]
    for field in trained:
        # as the line names the calibration folder: relative to the working folder where under it
        rel = os.path.relpath(field)
        word = shell_word(str(field) if rel.startswith("..") else rel)
        if word not in used:
            used.append(word)
    other = ("STORE.h5: one cut from a field it was not calibrated or trained on" if store else
             other_field_words(" or ".join(used) or None, "calibrated"))
    return f"next: classify with it: {command} ({other}{f'; {TTA_NOTE}' if tta else ''})"


def _has_calibration(model: Path, cal: dict) -> str:
    """Why calibrate refuses without --overwrite, in words that fit a model fresh from train.

    Every trained model carries the calibration train fitted on its validation split: "already
    has a calibration (fitted on validation split)" read as if calibrate had been run before.
    """
    source = str(cal.get("source", "?"))
    n = f" {cal['n']}" if isinstance(cal.get("n"), int) else ""
    if source.startswith("validation split"):
        return (f"model {model_word(model)} has the calibration 'starclass train' fitted on its{n} validation rows; "
                "replacing it with one fitted on these held-out rows is what calibrate does: give --overwrite")
    return f"model {model_word(model)} already has a calibration (fitted on {source}); give --overwrite to replace it"
