"""``starclass classify``: classify candidates with a trained model or ensemble."""

from __future__ import annotations

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
    check_on_image,
    command,
    echo,
    echo_flagged,
    flags_option,
    held_warnings,
    mask_extension_option,
    pixel_flags,
    place_rows,
    precision_option,
    progress_option,
    refuse_cutouts_as_mosaics,
    warn_flags_differ,
)
from starclass.errors import (
    ConformalSetsWarning,
    StarclassError,
    calibrate_command_named,
    cli_words,
    counted,
    model_word,
    recorded,
    refuse_no_rows,
    shell_word,
    shown_command,
)
from starclass.schema import CLASS_JOINT, CLASS_REF, INFERENCE_BATCH_SIZE, MOSAICS_META, label_map_words


@command("classify")
def classify_command(
    mosaics: list[Path] = typer.Argument(
        None,
        help=f"{MOSAICS_HELP}; must include the model's bands. Not used with --stamps."),
    catalog: Path | None = typer.Option(
        None, "--catalog", "-c",
        help="Candidates with 0-based x, y (ECSV, CSV, Parquet, FITS), or a LEGUS .tab as it is (its 1-based "
             "x, y are converted on reading)."),
    stamps: Path | None = typer.Option(
        None, "--stamps",
        help="A cutout folder instead of mosaics + catalogue: a CSV (file, optional label and other "
             "columns, kept in the output) or a directory (labels.csv inside, or one sub-folder per "
             "label); or a stamp store cut for the model's task (cutouts --task MODEL -o STORE.h5)."),
    model: Path = typer.Option(
        ..., "--model",
        help="Model directory from 'starclass train' (or one member .pt file), of any task preset ('starclass "
             "train --help' lists them; 'starclass info MODEL' says which task, classes and networks it holds)."),
    output: Path = typer.Option(
        ..., "--output", "-o",
        help="Classified catalogue to write (.ecsv, .parquet, .fits, .csv)."),
    # the help named neither the columns TTA adds nor which calibration it applies (a walk of docs/uncertainty.md)
    tta: bool = typer.Option(False, "--tta/--no-tta", help="Average over the 8 rotations/flips (8x slower; the "
                             "progress counts views): adds tta_std and mutual_info, and applies the calibration "
                             "fitted under TTA (a model without one: raw probabilities, with a warning)."),
    # bounded: 0 stopped the batching loop with a traceback and a negative size classified nothing
    batch_size: int = typer.Option(INFERENCE_BATCH_SIZE, "--batch-size", min=1,
                                   help="Candidates classified per batch, at least 1 (memory scales with it; "
                                        "one default for every command, starclass.schema)."),
    device: str | None = typer.Option(None, "--device", help="cpu, cuda, ... (default: CUDA when available)."),
    progress: bool | None = progress_option("Show a progress bar."),
    threshold: float | None = typer.Option(
        None, "--threshold",
        help="Binary tasks: class_pred = positive class when its probability (0-1, not a S/N as detect "
             "--threshold) is >= this (default: the task's)."),
    precision: str | None = precision_option("Default: the precision the model was trained with."),
    calibration: bool = typer.Option(
        True, "--calibration/--no-calibration",
        help="Apply the model's calibration (temperature, vector or histogram: 'starclass info MODEL' says which) to "
             "prob_<k> (raw kept as prob_<k>_raw); --no-calibration writes the raw probabilities only (and scores "
             "the conformal sets on them)."),
    coverage: float = typer.Option(
        0.9, "--coverage",
        help="Coverage of the class-conditional conformal sets pred_set / pred_set_size (above 0, below 1: e.g. "
             "0.9); needs a model with a calibration (train's, or 'starclass calibrate'). Recorded in the "
             "output's meta 'coverage' (ECSV), or a column coverage (CSV)."),
    votes: Path | None = typer.Option(
        None, "--votes",
        help="People's votes (id and a class column per person: humans.ecsv, inspect --export, or the catalogue "
             "itself): adds class_joint, prob_joint_<k> (the model combined with each person's Dawid-Skene "
             "confusion matrix) and n_votes."),
    label_columns: str | None = typer.Option(
        None, "--label-columns",
        help="With --votes: the vote columns, comma-separated (default: every class_h<k> column)."),
    label_column: str | None = typer.Option(
        None, "--label-column",
        help="With --stamps: the cutout CSV's column of label strings (mapped to classes by the task's "
             "label_map), scored in the accuracy line and written as class_ref; as 'evaluate --label-column'. "
             "Default: the column the model was trained on (train --label-column), else label."),
    group_column: str | None = typer.Option(
        None, "--group-column",
        help="With --stamps: the CSV's column naming each cutout's object, recorded in the output (evaluate "
             "resamples whole objects, suggest lists one cutout per object). Default: the model's training "
             "column, else the task's (m31-real: object_id); a classified CSV's recorded one first."),
    file_column: str | None = FILE_COLUMN_OPTION,
    mask_extension: str | None = mask_extension_option("in the stamps the model classifies"),
    dq_good_bits: str | None = DQ_GOOD_BITS_OPTION,
    mask_file: str | None = MASK_FILE_OPTION,
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing output; without it it is kept."),
) -> None:
    """Add class_pred, prob_<k>, quality and every member's vote to a candidate catalogue.

    Stamps are cut from the mosaics in batches (bounded memory); candidates whose own pixel
    is off the image or NaN get class_pred 0 and NaN probabilities.

    Example: starclass classify test/ -c candidates.ecsv --model model/ -o classified.ecsv
    """
    # bars only where a person watches them (a batch job's log keeps every redraw); plain lines there instead
    progress = bars_or_lines(progress)
    import time

    from starclass.io.catalog import catalog_format, read_catalog, write_catalog
    from starclass.io.cutout_folders import (
        LABELS_CSV,
        LABELS_CSV_NAMES,
        check_output_outside_cutouts,
        folder_labels_csv,
    )
    from starclass.io.mosaic import mosaic_inputs, read_mosaics
    from starclass.io.paths import check_output, resolved
    from starclass.learn.calibration_methods import check_coverage
    from starclass.learn.precision import check_device_name, parse_precision, pick_device, settled_clock

    t0 = time.perf_counter()
    coverage = check_coverage(coverage, "--coverage")
    check_device_name(device)  # a name torch refuses ('tpu'): at once, without torch; cpu, cuda:N after the first line
    if precision is not None:
        parse_precision(precision, "--precision")  # a misspelt precision fails now, not after the stamps
    # before the model is loaded: the output is never an input (its own catalogue, a mosaic, a
    # cutout folder's labels.csv) and an existing one is kept unless --overwrite
    if label_columns is not None and votes is None:
        raise StarclassError("--label-columns names the vote columns of --votes: give --votes too")
    # an expression astropy refuses: said before the model loads
    flags = pixel_flags(mask_extension, dq_good_bits, mask_file)
    if flags is not None and stamps is not None:
        # refused rather than ignored: a cutout folder holds no FITS extensions (nor mosaics beside masks) to apply
        raise StarclassError(f"{flags_option(mask_extension, dq_good_bits, mask_file)} applies to the mosaics' "
                             "FITS extensions and mask files, not to a cutout folder (--stamps)")
    if label_column is not None and stamps is None:
        raise StarclassError(f"--label-column {label_column!r} names the label column of a cutout folder: it "
                             "applies with --stamps (with mosaics and --catalog, score the output with 'starclass "
                             "evaluate --label-column')")
    for name, value in (("--group-column", group_column), ("--file-column", file_column)):
        if value is not None and stamps is None:
            raise StarclassError(f"{name} {value!r} names a column of a cutout folder's CSV: it applies with --stamps")
    if votes is not None and not votes.is_file():
        raise StarclassError(f"--votes {votes}: no such file")
    if stamps is None:
        # a cutout folder typed where the mosaics go (or its CSV as --catalog): said so, before the model loads
        refuse_cutouts_as_mosaics(mosaics, [catalog])
    inputs = [*mosaic_inputs(mosaics or None), catalog, stamps, model, votes]
    if stamps is not None and stamps.is_dir():
        listed = folder_labels_csv(stamps)  # labels.csv, else labels.csv.gz
        out = resolved(output)
        if (out.parent == resolved(stamps) and out.name in LABELS_CSV_NAMES and listed is None) or (
                listed is not None and out == resolved(stamps / LABELS_CSV) and listed.name != LABELS_CSV):
            # "is one of the command's inputs" named a file that was not there: the folder is read by
            # its sub-folders now (or its labels.csv.gz), and through this file once written
            instead = f"its {listed.name}" if listed is not None else "its label sub-folders"
            raise StarclassError(f"--output {output} would be the {out.name} of the cutout folder {stamps}, which "
                                 f"'train --stamps {shell_word(stamps)}' and 'classify --stamps {shell_word(stamps)}' "
                                 f"would then read in place of {instead}; choose another name (e.g. "
                                 f"{stamps / 'classified.csv'})")
        if listed is not None:
            inputs.append(listed)  # a cutout directory is read through its labels.csv (or labels.csv.gz)
    # the existing output is refused once the inputs are read (below): refused here, a missing --stamps
    # file or catalogue was said only after the user re-ran with --overwrite (as calibrate, 4b91dc0)
    check_output(output, inputs, option="--output", overwrite=True, file=True)
    # beside the label folders is fine; in a new sub-folder (read next time as a label) it is not
    check_output_outside_cutouts(output, stamps, option="--output", file=True)
    catalog_format(output)  # a wrong extension fails now, not after the classification
    from starclass.learn.checkpoint import member_paths

    # a missing model, or a folder without manifest.json, is said from the manifest, before torch loads (3-4 s on
    # shared cores): the same words load_model says, before any input is read
    member_paths(model)
    # a misspelt catalogue or mosaic, or a missing --stamps, was named only once torch and the model had loaded
    # (a missing mosaic after the model's member files were read: their damage was said instead)
    check_image_inputs(mosaics, catalog, stamps, need=_NEED_INPUTS)
    from starclass.io.cutout_folders import is_store_file

    # a stamp store (cutouts -o STORE.h5), as train --stamps takes it: it was refused as "not a cutout folder";
    # a file named as a store that is none is the store reader's to refuse, in train's words
    store = stamps is not None and is_store_file(stamps)
    if store:
        for name, value in (("--label-column", label_column), ("--group-column", group_column),
                            ("--file-column", file_column)):
            if value is not None:
                raise StarclassError(f"{name} {value!r} names a column of a cutout folder's CSV; a stamp store "
                                     f"({stamps}) keeps its candidates' columns, class_ref among them")
        if mosaics or catalog is not None:
            raise StarclassError(f"--stamps {stamps} is a stamp store: its stamps are classified as they are; give "
                                 "no mosaics or --catalog with it")
        from starclass.stamps.store import StampStore

        StampStore(stamps).close()  # an HDF5 file that is no store, or one cut short: said before torch loads
    elif stamps is not None:
        _check_cutout_source(stamps)
    if not overwrite and _inputs_there(mosaics, catalog, stamps):
        # every input there and readable: an existing output is refused before the inputs are read in full and the
        # model loads; a missing or unreadable one goes on to be named first, in its reader's words (0e0b76f)
        check_output(output, option="--output", overwrite=False, file=True)
    from starclass.io.progress import say_start

    # a line once the options that need no torch are checked, before torch and the model code load (3-5 s on shared
    # cores: nothing was said until the classification's bar); in a log file too (say_start), where 869 PAndAS
    # cutouts left it silent for 45 s on a loaded machine before the classification's first line
    say_start(f"classify: loading model {model_word(model)} and reading the "
              f"{'cutouts' if stamps is not None else 'candidates'}"
             " ...", progress)
    from starclass.evaluate.task import model_catalogue_classes
    from starclass.learn.checkpoint import load_model
    from starclass.learn.classify import check_bands, classify, decision_threshold, no_data_line

    dev = pick_device(device)  # a device this machine lacks is refused before any reading
    if store:
        _classify_store(stamps, model=model, output=output, tta=tta, batch_size=batch_size, device=dev,
                        precision=precision, calibration=calibration, coverage=coverage, votes=votes,
                        label_columns=label_columns, threshold=threshold, overwrite=overwrite, progress=progress,
                        t0=t0)
        return
    if stamps is not None:
        _classify_cutouts(stamps, model=model, output=output, tta=tta, batch_size=batch_size,
                          device=device, precision=precision, calibration=calibration, coverage=coverage,
                          votes=votes, label_columns=label_columns, threshold=threshold, overwrite=overwrite,
                          label_column=label_column, progress=progress, group_column=group_column,
                          file_column=file_column)
        return
    # ra, dec without x, y is placed through the mosaics' WCS once they are read
    # with the model's classes (its config alone, no network yet): a five-class task's candidates (class_ref 5,
    # no task recorded) were refused as "not 0-4"; a model that cannot be read is said by load_model below
    table = read_catalog(catalog, allow_empty=True, require_xy=False, classes=model_catalogue_classes(model))
    refuse_no_rows(table, catalog, "catalogue", why=": nothing to classify")
    _check_votes(table, votes, label_columns, f"--catalog {catalog}")  # before the model is even loaded
    loaded = load_model(model, device=dev)
    cfg = loaded.config
    if votes is not None:
        _check_votes(table, votes, label_columns, f"--catalog {catalog}", cfg)  # their classes: the model's task
    decision_threshold(cfg, threshold)  # --threshold for a 4-class model, or 7: before the mosaics are read
    warn_flags_differ(model, flags)  # before the mosaics are read: the user may stop and give the training flags
    # stamps of the model's bands: no V band is used, so none is warned of
    mos = read_mosaics(mosaics if len(mosaics) > 1 else mosaics[0],
                       require_zeropoint=cfg.normalisation in ("rgb", "flux"), pixel_flags=flags,
                       warn_v_band=False)
    check_bands(list(cfg.bands), list(mos.bands), f"model {model_word(model)}", mos, task=cfg.name,
                listed="the mosaics given on the command line")
    echo_flagged(mos)
    table = place_rows(table, mos, catalog)
    # named here, by id, rather than counted among "no usable stamp" after the classification
    check_on_image(table, mos.shape, catalog, consequence="they get class_pred 0 and NaN probabilities",
                   action="classify")
    check_output(output, option="--output", overwrite=overwrite, file=True)  # inputs read: now the output
    with held_warnings(ConformalSetsWarning) as sets_warned:  # said after the result line, which they qualify
        out = classify(mos, table, loaded, batch_size=batch_size, tta=tta, device=dev, progress=progress,
                       precision=precision, threshold=threshold, calibrated=calibration, coverage=coverage,
                       source=catalog)
    joint_line = _add_joint(out, cfg, votes, label_columns)
    _record_model(out, model, output)
    _record_threshold(out, cfg, threshold, loaded, output)
    _record_coverage(out, output)
    trained_line = (_record_training_field(out, model, mosaics, catalog, output)
                    or _calibration_field_line(model, mosaics, catalog))
    # the mosaics classified on (as given: a folder or files, resolved), so that suggest, ranking this output's own
    # prob_<k> without --mosaics, names their folder in its hints (meta only: a CSV's hint keeps --mosaics)
    out.meta[MOSAICS_META] = [str(Path(p).resolve()) for p in mosaics]
    write_catalog(out, output, overwrite=overwrite)  # check_output refused an existing one without it
    echo(f"classified {counted(len(out), 'candidate')} with task {cfg.name!r} ({counted(len(loaded.members), 'member')}"
         f"{', tta' if tta else ''}) in {settled_clock(dev) - t0:.1f} s on {dev}{computed_in(out.meta, dev)}")
    echo(_counts_line(out, cfg))
    if line := _decision_line(out, cfg, output):
        echo(line)
    _echo_threshold_caution(loaded, threshold)
    _echo_trust(out, model, sets_warned)
    # the candidates without a usable stamp were counted by classify() in a warning: not repeated here
    if out.meta.get("n_blank"):
        echo(f"{out.meta['n_blank']} of the {out.meta['n_unclassified']} without a usable stamp have a blank "
             "(constant) band, named in column blank_bands")
    if line := no_data_line(out):  # classified on partly filled stamps: said, not silently
        echo(line)
    if joint_line:
        echo(joint_line)
    if trained_line:
        import warnings

        warnings.warn(trained_line, UserWarning, stacklevel=2)  # said on stderr as "warning: ..." by command()
    echo(f"written {output}")
    import numpy as np

    labelled = CLASS_REF in out.colnames and bool((np.asarray(out[CLASS_REF]) > 0).any())
    # after --votes, how to score class_joint too (evaluate scores class_pred unless told)
    from starclass.evaluate.compare import field_references
    from starclass.io.catalog import catalog_format

    refs = field_references(mosaics_folder(mosaics))  # a simulated field's truth beside its mosaics, named
    echo(next_after_classifying_mosaics(output, model, mosaics, labelled=labelled,
                                        recorded=catalog_format(output) == "ascii.ecsv", references=refs)
         + joint_next(output, votes, labelled, references=refs))


def _inputs_there(mosaics: list[Path] | None, catalog: Path | None, stamps: Path | None) -> bool:
    """Whether every input is there and readable, as far as telling needs no reading of its contents.

    Mosaics and ``--catalog``, or ``--stamps`` (a CSV or a folder); a mosaic folder must hold a FITS file.
    False where one is missing, unreadable or not given: the command then names it in its reader's words.
    """
    import os

    from starclass.io.mosaic import mosaic_inputs

    def readable(p: Path) -> bool:
        return p.exists() and os.access(p, os.R_OK | os.X_OK if p.is_dir() else os.R_OK)

    if stamps is not None:
        from starclass.io.cutout_folders import is_cutout_source, is_store_file

        return readable(stamps) and (is_cutout_source(stamps) or is_store_file(stamps))
    if not mosaics or catalog is None or not catalog.is_file() or not readable(catalog):
        return False
    for m in mosaics:
        if not readable(m):
            return False
        if m.is_dir() and len(mosaic_inputs([m])) < 2:  # the folder itself, then its FITS files
            return False
    return True


#: Neither mosaics with a catalogue nor a cutout folder
_NEED_INPUTS = "give the mosaics and --catalog, or a cutout folder with --stamps"


def _check_cutout_source(source: Path) -> None:
    """Refuse a ``--stamps`` that is no cutout folder (a stamp store, inspect's database, another file)."""
    from starclass.io.cutout_folders import is_cutout_source, is_hdf5, stamp_store_error

    if is_cutout_source(source):
        return
    if Path(source).is_file() and is_hdf5(Path(source)):
        # what `starclass cutouts -o stamps.h5` wrote, as train --stamps takes it: "give a
        # cutout folder" did not say that classify cannot read a store, nor what to give instead
        raise stamp_store_error(f"--stamps {source}")
    from starclass.io.catalog import refuse_database
    from starclass.io.cutout_folders import CUTOUT_LIST_KINDS

    refuse_database(source, instead="a cutout folder (a list of cutouts or a directory)")  # inspect's database
    raise StarclassError(f"--stamps {source}: give a cutout folder (a directory of images, or a list of cutouts: "
                         f"{CUTOUT_LIST_KINDS} with a 'file' column)")


def _check_votes(table, votes: Path | None, label_columns: str | None, where: str, cfg=None) -> None:
    """``--votes``: its columns, classes and ids checked before the classification, not after it."""
    if votes is None:
        return
    from starclass.learn.labels import check_votes, read_votes

    check_votes(table, read_votes(votes, "classify --votes"), columns=label_columns, name=str(votes),
                catalogue_name=where, config=cfg)


def _add_joint(out, cfg, votes: Path | None, label_columns: str | None, noun: str = "candidate") -> str | None:
    """``--votes``: add class_joint, prob_joint_<k> and n_votes to ``out``; the line to print (rows called ``noun``)."""
    import numpy as np

    from starclass.learn.labels import joint_with_votes, negative_votes_note, read_votes
    from starclass.schema import CLASS_JOINT, CLASS_PRED, N_VOTES, prob_col, prob_joint_col

    if votes is None:
        return None
    table = read_votes(votes, "classify --votes")
    prob = np.column_stack([np.asarray(out[prob_col(k)], dtype=float) for k in cfg.classes])
    joint = joint_with_votes(cfg, out, prob, table, columns=label_columns, name=str(votes))
    voted = joint.n_votes > 0
    pred = np.asarray(out[CLASS_PRED])
    # without votes the model's own decision stands (its threshold or ensemble rule included)
    out[CLASS_JOINT] = np.where(voted, joint.classes, pred).astype(np.int16)
    for j, k in enumerate(cfg.classes):
        out[prob_joint_col(k)] = joint.probabilities[:, j]
    out[N_VOTES] = joint.n_votes.astype(np.int16)
    changed = int(np.sum(voted & (joint.classes != pred)))
    return (f"people and model together (--votes {votes}, columns {', '.join(joint.columns)}): "
            f"{counted(int(voted.sum()), noun)} with votes; class_joint differs from class_pred on {changed} "
            f"of them{negative_votes_note(table, joint.columns)}")


def _record_model(out, model: Path, output: Path) -> None:
    """Say which model classified the catalogue: in its meta, and in a column where the format drops meta.

    ``evaluate`` and ``report`` take the task (classes, label map, merges, threshold) from the
    meta; a CSV keeps none (and a FITS header kept only its scalar keys until the meta went into
    its ``SC_META`` card as JSON), so ``starclass evaluate OUT --label-column label``
    would not know what the string labels mean. The model's absolute path in the ``model``
    column lets them load the task from the model itself
    (:func:`starclass.evaluate.task.resolve_task`). An input's own column of that name was renamed
    ``model_input`` before (:func:`starclass.learn.classify.earlier_outputs`).
    """
    from starclass.io.paths import resolved
    from starclass.schema import MODEL_PATH

    # absolute, as in the column: a relative path named another folder (or none) once the
    # output was used from another directory (suggest's same-model check only warned then)
    path = str(resolved(model))
    if not _record_path(out, MODEL_PATH, path, output):
        # a FITS table column holds ASCII text only: said, rather than failing after the classification.
        # The meta (the header's SC_META card, JSON) still names it and carries the task for evaluate/report
        echo(f"note: the model's path {path} is not ASCII, which a FITS table column cannot hold: no "
             f"{MODEL_PATH} column (the table's meta names the model and its task)")


def _record_training_field(out, model: Path, mosaics: list[Path], catalog: Path | None, output: Path) -> str | None:
    """Record in the meta that ``model`` was trained on this field, and return the warning to say; else None.

    ``classify --stamps`` of a model's own training folder said so beside its accuracy line; on mosaics, a
    field the model records among its training fields (:func:`starclass.learn.checkpoint.training_field_of`)
    was classified, and then scored by ``evaluate``, as if held out. The record
    (:data:`starclass.schema.TRAINING_FIELD`) lets ``evaluate`` and ``report`` warn too; a CSV keeps no meta,
    which the warning says.
    """
    from starclass.errors import StarclassError
    from starclass.io.catalog import catalog_format
    from starclass.learn.checkpoint import read_manifest, trained_fields, training_field_of
    from starclass.schema import TRAINING_FIELD

    try:
        field = training_field_of(trained_fields(read_manifest(model)), mosaics, catalog)
    except (StarclassError, OSError, ValueError):
        return None  # a model loaded a moment ago: its manifest is read; a record that cannot be is no record
    if field is None:
        return None
    out.meta[TRAINING_FIELD] = field
    lost = (f"; {output}, a CSV, keeps no record of it, so 'starclass evaluate' cannot warn: write .ecsv"
            if catalog_format(output) == "ascii.csv" else "")
    return (f"model {model_word(model)} was trained on this field (its record of training fields: catalogue "
            f"{field.get('catalog')}): the classes and probabilities of its labelled objects are in-sample, and "
            "scores against its labels are no held-out measure; evaluate another field, or train with --cv 5 and "
            f"evaluate its cv_predictions.ecsv{lost}")


def _calibration_field_line(model: Path, mosaics: list[Path], catalog: Path) -> str | None:
    """The warning for a field the model's calibration was fitted on (its catalogue, or one of its mosaics); else None.

    ``calibrate MODEL heldout/*.fits -c heldout/truth.ecsv`` ends with 'next: classify with it: starclass classify
    heldout ...', and classified and scored so the calibration field gave ECE 0.030 and a coverage of 0.900-0.903
    for every class, its own calibration rows scored in-sample, where a field neither trained nor calibrated on
    gave 0.049 and 0.881-0.909 (the user walk of 2026-12-07): nothing said so, as it is said of a training field.
    The rule is :func:`starclass.learn.checkpoint.training_field_of`'s, on the calibration's ``rows_from`` record.
    """
    from starclass.errors import StarclassError
    from starclass.learn.checkpoint import read_manifest, training_field_of

    try:
        rows_from = (read_manifest(model).get("calibration") or {}).get("rows_from") or {}
    except (StarclassError, OSError, ValueError, AttributeError):
        return None  # no manifest (a single member file) or none readable: no record, nothing to say
    if not isinstance(rows_from, dict) or not rows_from.get("mosaics"):
        return None  # calibrated on its validation split or on a cutout folder: no field to compare
    field = training_field_of([{"mosaics": list(rows_from.get("mosaics") or []), "catalog": rows_from.get("catalog")}],
                              mosaics, catalog)
    if field is None:
        return None
    return (f"model {model_word(model)} was calibrated on this field (its calibration's rows: catalogue "
            f"{field.get('catalog')}): the calibrated probabilities and the conformal sets of its labelled objects are "
            "in-sample, so the ECE and the coverage scored against its labels are no held-out measure; evaluate a "
            "field the model was neither trained nor calibrated on")


def _record_root(out, root: Path, output: Path) -> None:
    """Say which folder the cutouts' ``file`` paths are relative to: in the meta, and in a column for CSV.

    ``suggest --labels`` compares the candidates' files with a labelled folder's: relative paths
    alone matched ``g/o000.png`` of a training folder with ``g/o000.png`` of another folder, and
    every candidate was "already labelled". The folder, recorded as every writer records it
    (:func:`_record_cutout_roots`), lets both sides be compared as files. An input column of that
    name (a classified table classified again) was renamed ``cutout_root_input`` before
    (:func:`starclass.learn.cutouts.classify_cutouts`).
    """
    _record_cutout_roots(out, [root] * len(out), output)


def _record_cutout_roots(out, folders: list[Path], output: Path) -> None:
    """Record in ``out``, to be written to ``output``, the folder each row's files are relative to.

    Both records of :func:`starclass.io.cutout_folders.cutout_root_records` (``cutout_root``, relative
    to ``output``'s folder where it can be, and ``cutout_root_abs``): in the meta where every row
    has one folder (and, for a CSV or FITS table, which keep no meta, as columns), else as columns.
    A column of either name already in ``out`` (kept from the input) is rewritten.
    """
    from starclass.io.cutout_folders import cutout_root_records

    for name, cells in cutout_root_records(folders, output).items():
        if name in out.colnames or len(set(cells)) > 1:
            out[name] = cells
        if len(set(cells)) == 1:
            _record_path(out, name, cells[0], output)
        else:
            # rows of several folders: no one folder to name in the meta
            out.meta.pop(name, None)


def _record_list(out, source: Path, output: Path) -> None:
    """Record in ``out`` the cutout list (or folder) ``--stamps`` gave, as ``cutout_root`` is recorded.

    The folder alone (``cutout_root``) did not say which of its lists was classified: evaluate of a
    ``classify --stamps cut/test.csv`` proposed ``report --stamps cut``, which reads ``cut/labels.csv`` (or
    its label sub-folders, evaluate's own figures among them). Relative to ``output``'s folder where it
    can be (:func:`starclass.io.cutout_folders.portable_folder`), else absolute; a column too for a CSV or
    FITS table, which keep no meta (an input column of that name was renamed ``cutout_list_input`` before,
    :func:`starclass.learn.cutouts.classify_cutouts`).
    """
    from starclass.io.cutout_folders import portable_folder
    from starclass.schema import CUTOUT_LIST

    _record_path(out, CUTOUT_LIST, portable_folder(source, output), output)


def _record_columns(out, output: Path, *, group: str | None, files: str | None) -> None:
    """Record ``--group-column`` and ``--file-column`` in the meta, and for a CSV (no meta) as columns.

    A CSV's objects were found through the model it names (its task's ``object_id``), so a column given
    with ``--group-column`` was lost on the way to ``evaluate`` and ``suggest``; so was the files' column,
    by which ``evaluate`` pairs a classification with its labels
    (:func:`starclass.io.cutout_output.restore_csv_columns` reads them back).
    """
    from starclass.io.catalog import catalog_format
    from starclass.schema import FILE_COLUMN, GROUP_COLUMN

    for key, value in ((GROUP_COLUMN, group), (FILE_COLUMN, files)):
        if key in out.colnames:
            # a classified CSV's own record, passed through: stale where this run reads otherwise (an ECSV kept
            # 'file_column' filename beside a meta without it), and read back as this output's by evaluate
            out.remove_column(key)
        if value is None:
            continue
        out.meta[key] = value
        if catalog_format(output) == "ascii.csv":
            out[key] = [value] * len(out)  # ours: a column of that name passed through from the input is replaced


def _record_path(out, name: str, path: str, output: Path) -> bool:
    """``path`` in ``out.meta[name]``, and in a column ``name`` where the output format drops meta.

    A CSV keeps no meta and a FITS header only upper-cased scalar keys, so both get the column
    (an input column of that name, which classify renames ``<name>_input`` before, would be kept
    as it is). False where a FITS table cannot hold the path (not ASCII) and there is no column;
    True otherwise.
    """
    from starclass.io.catalog import catalog_format

    out.meta[name] = path
    fmt = catalog_format(output)
    if fmt not in ("ascii.csv", "fits") or name in out.colnames:
        return True
    if fmt == "fits" and not path.isascii():
        return False
    out[name] = [path] * len(out)
    return True


def _record_threshold(out, cfg, threshold: float | None, loaded, output: Path) -> None:
    """Record in the meta where the decision threshold came from (``threshold_source``), beside ``threshold``.

    The meta held the number alone: a stored ``train --target-purity`` threshold and a
    ``--threshold`` given read alike, and the terminal said neither. A CSV keeps no meta: there
    the threshold, its source and the positive class are columns of those names (one value
    each), which :func:`starclass.io.catalog.restore_csv_decision` reads back into the meta
    (``evaluate``, ``report`` and ``info`` of a ``-o OUT.csv`` said nothing of a ``--threshold 0.4``
    that had decided its ``class_pred``).
    """
    import numpy as np

    from starclass.io.catalog import catalog_format
    from starclass.learn.classify import threshold_source
    from starclass.schema import POSITIVE_CLASS, THRESHOLD, THRESHOLD_SOURCE

    source = threshold_source(cfg, threshold, getattr(loaded, "tuned_threshold", None))
    if source is not None and out.meta.get("threshold") is not None:
        out.meta["threshold_source"] = source
    thr, positive = out.meta.get(THRESHOLD), out.meta.get(POSITIVE_CLASS)
    if catalog_format(output) == "ascii.csv" and thr is not None and positive is not None:
        # an input's own columns of these names were kept as <name>_input (earlier_outputs)
        out[THRESHOLD] = [float(thr)] * len(out)
        out[THRESHOLD_SOURCE] = [str(out.meta.get(THRESHOLD_SOURCE) or "source not recorded")] * len(out)
        out[POSITIVE_CLASS] = np.full(len(out), int(positive), dtype=np.int16)  # the schema's class dtype


def _record_coverage(out, output: Path) -> None:
    """Record the conformal sets' coverage (``--coverage``) as a column where the output format keeps no meta (CSV).

    ``evaluate`` of a CSV output printed the sets' coverage without the target they were made for ("is not in
    this table: a CSV keeps no meta"), though classify knew it; the column (one value, as the decision
    threshold's) is read back into the meta (:func:`starclass.io.catalog.restore_csv_coverage`).
    """
    from starclass.io.catalog import catalog_format
    from starclass.schema import COVERAGE, PRED_SET

    cov = out.meta.get(COVERAGE)
    if catalog_format(output) == "ascii.csv" and cov is not None and PRED_SET in out.colnames:
        out[COVERAGE] = [float(cov)] * len(out)  # an input's own column of this name was kept as coverage_input


def _echo_threshold_caution(loaded, threshold: float | None) -> None:
    """A stored threshold chosen on too few validation rows: train's warning again, as the temperature's is."""
    tuned = getattr(loaded, "tuned_threshold", None)
    if threshold is None and tuned and tuned.get("caution"):
        typer.echo(f"WARNING: {tuned['caution']}", err=True)


def _decision_line(out, cfg, output: Path) -> str | None:
    """The line saying which threshold decided ``class_pred`` (None: the most probable class did).

    ``classify --threshold 0.4`` printed class counts that differ from the most probable class
    with no word of the threshold, as did a model's stored ``train --target-purity`` threshold.
    It names the threshold, where it came from, the column it is compared with (the raw
    probability: ``prob_<k>_raw`` where the output is calibrated) and how many classes it changed.
    """
    import numpy as np

    from starclass.evaluate.task import class_labels
    from starclass.schema import CLASS_PRED, prob_col, prob_raw_col

    thr, positive = out.meta.get("threshold"), out.meta.get("positive_class")
    if thr is None or positive is None:
        return None
    names = class_labels(cfg.classes, cfg.class_names)
    other = [names.get(int(c), str(c)) for c in cfg.classes if int(c) != int(positive)]
    raw = prob_raw_col(int(positive)) if prob_raw_col(int(positive)) in out.colnames else prob_col(int(positive))
    pred = np.asarray(out[CLASS_PRED])
    done = pred > 0
    cols = [prob_raw_col(int(c)) if prob_raw_col(int(c)) in out.colnames else prob_col(int(c)) for c in cfg.classes]
    probs = np.column_stack([np.asarray(out[c], dtype=float) for c in cols])[done]
    top = np.asarray(cfg.classes)[np.argmax(probs, axis=1)] if len(probs) else np.zeros(0, dtype=int)
    changed = int(np.sum(top != pred[done]))
    line = (f"decision threshold {float(thr):g} ({out.meta.get('threshold_source', 'recorded')}): class_pred is "
            f"{names.get(int(positive), str(positive))} where {raw} >= {float(thr):g}, else {', '.join(other)}; "
            f"{changed} of the {int(done.sum())} classified differ from the most probable class")
    from starclass.io.catalog import catalog_format

    if catalog_format(output) == "ascii.csv":
        # a CSV keeps no meta: the threshold was lost (a given one; a stored one was said by no reader either)
        line += (f" (a CSV keeps no meta: {output} records it in its threshold, threshold_source, positive_class "
                 "columns)")
    return line


def _counts_line(out, cfg) -> str:
    """The ``class_pred counts`` line: each class by number and the task's name, as evaluate names them.

    It printed "1: 38, 2: 42" where the figures and tables of the same task say "1 star", "2 galaxy";
    class 0 (no usable stamp) is "none".
    """
    import numpy as np

    from starclass.evaluate.task import class_labels

    names = class_labels(cfg.classes, cfg.class_names)
    classes, counts = np.unique(np.asarray(out["class_pred"]), return_counts=True)
    return "class_pred counts: " + ", ".join(f"{'none' if c == 0 else names.get(int(c), str(c))}: {n}"
                                             for c, n in zip(classes, counts))


def _echo_trust(out, model: str | Path | None = None, sets_warned: Sequence[str] = ()) -> None:
    """One line on calibration and the conformal sets (or why there are none); then the model's cautions.

    ``sets_warned``: the conformal sets' warnings held during the classification, said under the line on
    the sets they qualify; they came before the "classified ..." line and read as a trouble of the
    classification still running (the volunteers block of docs/uncertainty.md, 2026-12-07).
    """
    import numpy as np

    def say_sets_warned() -> None:
        for message in sets_warned:
            typer.echo(f"warning: {message}", err=True)

    meta = out.meta
    if meta.get("calibration_note"):
        echo(meta["calibration_note"])
        say_sets_warned()
        return
    if meta.get("calibration_not_applied"):
        # the map fitted under the other TTA mode: the caution below says why it is not applied
        what = f"raw probabilities (the model's calibration was {meta['calibration_not_applied']}: not applied)"
    elif not meta.get("calibrated"):
        what = "raw probabilities (--no-calibration)"
    # the map's figures after a comma, not in a bracket: the held-out rows' bracket follows, and
    # "histogram binning (15 bins per class) (3000 held-out rows: ...)" read as two asides in a row
    elif meta.get("calibration_method") == "vector":
        what = ("calibrated with vector scaling, scale " + "/".join(f"{v:.3f}" for v in meta["calibration_scale"])
                + " and bias " + "/".join(f"{v:+.3f}" for v in meta["calibration_bias"]))
    elif meta.get("calibration_method") == "histogram":
        bins = meta.get("calibration_bins")
        what = ("calibrated with histogram binning, " + (f"{counted(int(bins), 'bin')} per class" if bins is not None
                                                         else "its bins per class not recorded"))
    else:
        what = f"calibrated with temperature {meta['temperature']:.3f}"
    if meta.get("calibrated") and meta.get("tta") and meta.get("calibration_tta") is not None:
        # classify --tta picks the map fitted under TTA; a model without one applies the other, and says so below
        what += f", fitted {'with' if meta['calibration_tta'] else 'without'} TTA"
    # a calibration recorded before its rows' source was kept has none: "(200 held-out rows: )" was printed
    n = meta.get("calibration_n")
    rows = f"{n} held-out rows" if n is not None else "held-out rows, how many not recorded"
    source = f"{rows}: {recorded(meta.get('calibration_source'), 'source not recorded')}"
    # raw probabilities come from no held-out rows: "raw probabilities (--no-calibration) (175 held-out rows: ...)"
    # read as their source; the rows are those the sets were fitted on, said with the sets
    raw = not meta.get("calibrated")
    line = what if raw else f"{what} ({source})"
    if "pred_set_size" in out.colnames:
        from starclass.evaluate.reliability import set_size_words
        from starclass.learn.conformal import coverage_percent

        # an unclassified row (class_pred 0: no usable stamp) has no set at all; its size 0 was counted
        # as an empty set, "137 empty" on a field with NaN borders where no classified row had one
        # (evaluate counts the classified rows only), and an empty set means an unusual object
        classified = np.asarray(out["class_pred"]) != 0 if "class_pred" in out.colnames else np.ones(len(out), bool)
        sizes, counts = np.unique(np.asarray(out["pred_set_size"])[classified], return_counts=True)
        # "sizes 1: 8, 2: 20" read as classes 1 and 2 of a task of classes 1, 2
        fitted = f", fitted on the raw probabilities of the model's {source.replace(': ', ' (', 1)})" if raw else ""
        line += (f"; conformal sets at {coverage_percent(meta['coverage'])} coverage{fitted}: "
                 + (set_size_words({int(s): int(c) for s, c in zip(sizes, counts)}) or "none"))
        if n_none := int((~classified).sum()):
            line += f" ({counted(n_none, 'unclassified candidate')} without a set)"
    echo(line)
    say_sets_warned()
    for caution in meta.get("calibration_cautions") or ():
        # the catalogue keeps the library's words (a notebook's); the command says its own options, and
        # 'starclass calibrate MODEL' written at training names the model given here
        said = cli_words(caution)
        said = calibrate_command_named(said, model) if model is not None else said
        typer.echo(f"WARNING: {said}", err=True)


def joint_next(output: str | Path, votes: Path | None, labelled: bool, stamps: str | Path | None = None,
               references: Sequence[Path] = ()) -> str:
    """What the 'next:' line adds after ``classify --votes``: how to score ``class_joint``, not ``class_pred``.

    ``evaluate`` scores ``class_pred`` unless told otherwise; after ``--votes`` the line named only that
    command, and the column the votes were added for (people and model together) was scored by nobody
    unless they found ``--pred-column`` in evaluate's help. Unlabelled, a catalogue of mosaics is scored
    against a labelled catalogue of the field (``-r``, paired by position); a cutout folder has none, and
    ``-r TRUTH.ecsv`` (said for both until 2026-12-07) named nothing its user had: its cutouts are scored
    against a labels column of a list of them (``-r LIST --label-column``, paired by file).

    Parameters
    ----------
    output : str or Path
        The classification written.
    votes : Path or None
        ``--votes`` as given; None adds nothing.
    labelled : bool
        Whether the classification holds labels (``class_ref``); else a reference is named.
    stamps : str or Path, optional
        ``--stamps`` as given (a cutout folder or list); None for mosaics.
    references : sequence of Path
        The field's labelled catalogues (:func:`~starclass.evaluate.compare.field_references`), named in place
        of ``TRUTH.ecsv``.

    Returns
    -------
    str
        ``""`` without ``--votes``.

    Examples
    --------
    >>> joint_next("out.csv", Path("votes.csv"), True)
    "; people and model together (class_joint): 'starclass evaluate out.csv --pred-column class_joint'"
    >>> print(joint_next("out.ecsv", Path("votes.csv"), False))
    ; people and model together (class_joint): 'starclass evaluate out.ecsv -r TRUTH.ecsv --pred-column class_joint'

    A cutout folder's own list is named where it has one (``cut/labels.csv``), else a list to write:

    >>> print(joint_next("out.csv", Path("votes.csv"), False, stamps="cut"))  # doctest: +NORMALIZE_WHITESPACE
    ; people and model together (class_joint): once the cutouts have labels (a column of LABELS.csv, or of another
    list of them), 'starclass evaluate out.csv -r LABELS.csv --label-column COLUMN --pred-column class_joint'
    >>> joint_next("out.csv", None, True)
    ''
    """
    if votes is None:
        return ""
    if labelled or stamps is None:
        ref = "" if labelled else _reference_words(references)
        return (f"; people and model together (class_joint): "
                f"{shown_command(f'starclass evaluate {shell_word(output)}{ref} --pred-column {CLASS_JOINT}')}")
    from starclass.io.cutout_folders import cutout_list_path

    # the folder's own list where it has one (labels added to it are read by evaluate, paired by file)
    listed = cutout_list_path(stamps)
    shown = listed if listed.is_file() else Path("LABELS.csv")
    command = (f"starclass evaluate {shell_word(output)} -r {shell_word(shown)} --label-column COLUMN "
               f"--pred-column {CLASS_JOINT}")
    return (f"; people and model together (class_joint): once the cutouts have labels (a column of {shown}, or of "
            f"another list of them), {shown_command(command)}")


def next_after_classifying(output: str | Path, model: str | Path, stamps: str | Path, *, labelled: bool) -> str:
    """The line after ``classify --stamps``' "written OUT": what to run on the classification next.

    A new user's classification ended with "written out.csv" and nothing on how to score it, see it as a
    page, or choose what to label: labelled cutouts are scored (``evaluate``) and reported (``report``, its
    gallery of mistakes and Grad-CAM need ``--stamps`` and ``--model``); unlabelled ones are ranked for
    people to label (``suggest``).

    Parameters
    ----------
    output, model, stamps : str or Path
        The classification written, the model and the cutout folder, as given.
    labelled : bool
        Whether some row has a label of the task (``class_ref`` > 0).

    Returns
    -------
    str

    Examples
    --------
    >>> next_after_classifying("out.csv", "m", "cut", labelled=True)
    "next: score it with 'starclass evaluate out.csv', or as one page with 'starclass report out.csv --model m \
--stamps cut'"
    >>> next_after_classifying("out.csv", "m", "pool", labelled=False)
    "next: choose the cutouts people should label with 'starclass suggest m out.csv -n 20 -o suggest.csv'"
    """
    import shlex

    from starclass.cli.report_cmd import output_outside_cutouts
    from starclass.io.cutout_folders import beside_cutouts

    out, m, cut = (shlex.quote(str(p)) for p in (output, model, stamps))
    if labelled:
        # evaluate's and report's default folders lie inside a folder of label sub-folders classified from inside
        # it, and are refused there (read next time as labels): each is proposed beside the cutouts instead
        figures, page = beside_cutouts(Path("evaluation"), stamps), output_outside_cutouts(output, stamps)
        from starclass.cli.next_steps import evaluation_option

        # a free folder: a second classify's line named evaluate's default, which the first one's had written
        figures = evaluation_option("evaluation" if figures is None else figures)
        page = "" if page is None else f" -o {shlex.quote(page)}"
        # shown_command: in double quotes where a path is quoted ('my out.csv'), so that the command copies whole
        return (f"next: score it with {shown_command(f'starclass evaluate {out}{figures}')}, or as one page with "
                f"{shown_command(f'starclass report {out} --model {m} --stamps {cut}{page}')}")
    from starclass.cli.next_steps import free_name

    sug = shlex.quote(free_name("suggest", ".csv"))  # round 2's line not refused as existing (round 1 wrote it)
    return ("next: choose the cutouts people should label with "
            f"{shown_command(f'starclass suggest {m} {out} -n 20 -o {sug}')}")


def _reference_words(references: Sequence[Path]) -> str:
    """`` -r FIELD/truth.ecsv -r FIELD/humans.ecsv`` for the field's labelled catalogues, else `` -r TRUTH.ecsv``."""
    return "".join(f" -r {shell_word(str(r))}" for r in references) if references else " -r TRUTH.ecsv"


def mosaics_folder(mosaics: Sequence[Path] | None) -> Path | None:
    """The one folder the mosaics given lie in (a folder given, or the files' one folder), else None.

    Examples
    --------
    >>> mosaics_folder([Path("d/a_f555w.fits"), Path("d/a_f814w.fits")])
    PosixPath('d')
    >>> mosaics_folder(None) is None
    True
    """
    folders = {Path(m) if Path(m).is_dir() else Path(m).parent for m in mosaics or ()}
    return folders.pop() if len(folders) == 1 else None


def next_after_classifying_mosaics(output: str | Path, model: str | Path, mosaics: list[Path] | None, *,
                                   labelled: bool, store: bool = False, recorded: bool = False,
                                   references: Sequence[Path] = ()) -> str:
    """The line after ``classify MOSAICS``' "written OUT": how to score the classification, or what to label.

    A new user's walk of docs/uncertainty.md (2026-12-06) ended ``classify`` on mosaics with "written
    classified.ecsv" and nothing more, where ``classify --stamps`` (:func:`next_after_classifying`) and
    ``train`` say what comes next. A catalogue with labels (``class_ref``) is scored against them; one
    without is scored against a labelled catalogue of the field (``-r``, paired by position), or ranked
    for people to label (``suggest``, on the same mosaics, so that its own hint names their folder).

    Parameters
    ----------
    output, model : str or Path
        The classification written and the model, as given.
    mosaics : list of Path or None
        The mosaics given (files or a folder).
    labelled : bool
        Whether some row has a label of the task (``class_ref`` > 0).
    store : bool
        A stamp store was classified (``classify --stamps STORE.h5``): ``suggest`` ranks the output's own
        probabilities (no ``--mosaics``); the mosaics' wording sent it to classify again on ``DATA_DIR``,
        a folder the user had not given (2026-12-07).
    recorded : bool
        The output records the mosaics in its meta (an ECSV, :data:`MOSAICS_META`): ``suggest`` ranks its own
        probabilities and names their folder from that record, so the line gives no ``--mosaics``. With them,
        a walk of the docs (2026-12-07) classified every candidate again in ``suggest``, three times as long,
        and was warned of 18 columns renamed ``<name>_input`` in the suggestions, where ``suggest --help`` says
        a classification by the model needs no ``--mosaics``.
    references : sequence of Path
        The field's labelled catalogues found beside its mosaics
        (:func:`~starclass.evaluate.compare.field_references`: a simulated field's ``truth.ecsv``,
        ``humans.ecsv``), named in the commands; without them the placeholder ``TRUTH.ecsv`` (said until
        2026-12-07 after ``classify --stamps STORE.h5`` whose recorded mosaics' folder held the truth).

    Returns
    -------
    str

    Examples
    --------
    >>> next_after_classifying_mosaics("out.ecsv", "m", None, labelled=True)
    "next: score it with 'starclass evaluate out.ecsv', or as one page with 'starclass report out.ecsv'"
    >>> print(next_after_classifying_mosaics("out.ecsv", "m", None, labelled=False))
    ... # doctest: +NORMALIZE_WHITESPACE
    next: score it against a labelled catalogue of the field (TRUTH.ecsv: a truth, the people's labels, an
    'inspect --export') with 'starclass evaluate out.ecsv -r TRUTH.ecsv', or as one page with 'starclass report
    out.ecsv -r TRUTH.ecsv'; or choose the candidates people should label with 'starclass suggest m out.ecsv
    --mosaics DATA_DIR -n 200 -o suggestions.ecsv'

    A simulated field's truth beside its mosaics is named:

    >>> next_after_classifying_mosaics("out.ecsv", "m", None, labelled=False,
    ...                                references=[Path("f/truth.ecsv")]).split("; or ")[0]
    "next: score it against the field's truth.ecsv with 'starclass evaluate out.ecsv -r f/truth.ecsv', or as one \
page with 'starclass report out.ecsv -r f/truth.ecsv'"
    >>> next_after_classifying_mosaics("out.ecsv", "m", None, labelled=False, store=True).split("; or ")[-1]
    "choose the candidates people should label with 'starclass suggest m out.ecsv -n 200 -o suggestions.ecsv'"
    >>> next_after_classifying_mosaics("out.ecsv", "m", None, labelled=False, recorded=True).split("; or ")[-1]
    "choose the candidates people should label with 'starclass suggest m out.ecsv -n 200 -o suggestions.ecsv'"
    """
    import shlex

    from starclass.cli.next_steps import free_name
    from starclass.cli.suggest_cmd import data_dir_words

    out, m = (shlex.quote(str(p)) for p in (output, model))
    from starclass.cli.next_steps import evaluation_option

    figures = evaluation_option()  # evaluate's default folder, where a first classify's line wrote it: another
    if labelled:
        return (f"next: score it with {shown_command(f'starclass evaluate {out}{figures}')}, or as one page with "
                f"{shown_command(f'starclass report {out}')}")
    # a store's classification carries its prob_<k>: suggest ranks them as they are (no stamps cut again)
    mos = "" if store or recorded else f" --mosaics {data_dir_words(mosaics)}"
    ref = _reference_words(references)
    # a free name: round 1's suggestions.ecsv is there in round 2, where the line was refused as printed
    sug = shlex.quote(free_name("suggestions", ".ecsv"))
    against = (f"the field's {' and '.join(r.name for r in references)}" if references else
               "a labelled catalogue of the field (TRUTH.ecsv: a truth, the people's labels, an 'inspect --export')")
    return (f"next: score it against {against} with "
            f"{shown_command(f'starclass evaluate {out}{ref}{figures}')}, or as one page with "
            f"{shown_command(f'starclass report {out}{ref}')}; or choose the candidates people should "
            f"label with {shown_command(f'starclass suggest {m} {out}{mos} -n 200 -o {sug}')}")


def _calibration_rows_line(model: Path, cutouts, scored) -> str | None:
    """The warning for cutouts of a list the model's calibration was fitted on (``calibrate --stamps``); else None.

    ``calibrate m --stamps test.csv`` then ``classify --stamps test.csv`` and ``evaluate`` (the M31 walk of
    2026-12-07, the PAndAS cutouts split in two) scored the conformal coverage (0.910 at 90%) and the ECE on the
    very rows they were fitted on, without a word; on mosaics the calibration field is said
    (:func:`_calibration_field_line`). The calibration records each image it read (``rows_from``'s
    ``stamps_of_images``, each as its list names it): they are compared with these cutouts' files, resolved.
    """
    import numpy as np

    from starclass.errors import StarclassError
    from starclass.io.cutout_folders import listed_path
    from starclass.learn.checkpoint import read_manifest

    try:
        rows_from = (read_manifest(model).get("calibration") or {}).get("rows_from") or {}
        stamps, images = rows_from.get("stamps"), rows_from.get("stamps_of_images")
    except (StarclassError, OSError, ValueError, AttributeError):
        return None  # no manifest (a single member file) or none readable: no record, nothing to say
    if not isinstance(stamps, str) or not isinstance(images, list) or not images:
        return None  # calibrated on its validation split or on mosaics, or a record without its images
    listing = Path(stamps)
    root = listing if listing.is_dir() else listing.parent  # a list's names are relative to its folder
    fitted = {str(listed_path(root, str(row[0]))) for row in images if isinstance(row, list) and row}
    here = np.array([str(listed_path(cutouts.root, f)) in fitted for f in cutouts.files]) & np.asarray(scored)
    if not here.any():
        return None
    return (f"model {model_word(model)} was calibrated on {int(here.sum())} of these {int(np.sum(scored))} labelled "
            f"rows (its calibration's rows: {stamps}): their calibrated probabilities and conformal sets are "
            "in-sample, so the ECE and the coverage scored against their labels are no held-out measure; evaluate "
            "cutouts the model was neither trained nor calibrated on")


def _trained_on_words(loaded, cutouts, cfg, scored, right) -> str:
    """``"; the model was trained on 743 of these 867 rows: ..."`` where it was (its manifest's digests), else "".

    ``train --stamps DIR`` then ``classify --stamps DIR`` (docs/real_images.md, "Commands") printed "accuracy
    against the labels: 0.791" of the folder the model had learnt, with nothing to say that it was no test
    figure; the accuracy on the rows it was not trained on (its validation split there) is said beside it.
    """
    import numpy as np

    from starclass.learn.provenance import MANIFEST_KEY, recorded_digests, training_input_rows
    from starclass.stamps.images import cutout_inputs

    recorded = recorded_digests({MANIFEST_KEY: loaded.training_rows}) if loaded.training_rows else None
    if recorded is None or not len(recorded):
        return ""
    # the model inputs as training digested them (the same reader, resampling and normalisation), by their exact
    # digest and by their fingerprint: PNG training cutouts saved again as FITS, or flipped for DS9, were taken for
    # unseen ones (accuracy 0.700 of 10 cutouts, 8 of them trained on, said without a word)
    seen = training_input_rows(cutout_inputs(cutouts.images, cfg), loaded.training_rows) & scored
    if not seen.any():
        return ""
    rest = scored & ~seen
    other = (f"; {np.mean(right[rest]):.3f} on the {counted(int(rest.sum()), 'other row')}" if rest.any()
             else "; it has seen them all")
    return (f"; the model was trained on {int(seen.sum())} of these {int(scored.sum())} rows, so this is no test "
            f"figure{other}")


def computed_in(meta: dict, device: object) -> str:
    """`` (bfloat16)``: the precision a classification ran in, as train's summary says its own (``on cpu (float32)``).

    ``classify --precision bf16`` (or a model trained so) ended ``... in 66.3 s on cpu`` as a float32 run does.

    Parameters
    ----------
    meta
        The classified table's meta (its ``precision``: ``auto``, ``fp32`` or ``bf16``).
    device
        The device it ran on (None: the default one, as ``pick_device`` picks it).

    Returns
    -------
    str
        The precision in parentheses after a space; empty where ``meta`` records none.

    Examples
    --------
    >>> computed_in({"precision": "bf16"}, "cpu"), computed_in({"precision": "auto"}, "cpu"), computed_in({}, "cpu")
    (' (bfloat16)', ' (float32)', '')
    """
    from starclass.learn.precision import compute_dtype, dtype_name, parse_precision, pick_device

    name = meta.get("precision")
    if name is None:
        return ""
    return f" ({dtype_name(compute_dtype(parse_precision(name), pick_device(device)))})"


def _classify_store(store_path: Path, *, model: Path, output: Path, tta: bool, batch_size: int, device,
                    precision: str | None, calibration: bool, coverage: float | None, votes: Path | None,
                    label_columns: str | None, threshold: float | None, overwrite: bool, progress: bool | None,
                    t0: float) -> None:
    """``classify --stamps STORE.h5``: the store's stamps, classified as they are stored.

    The store's candidates' columns pass through as a catalogue's do (its ``class_ref`` too, so that
    ``evaluate`` scores the output); the store must have been cut for the model's task (bands, stamp size,
    scales, normalisation: ``cutouts --task MODEL``), as ``train --stamps`` requires of its store. It was
    refused ("not a cutout folder ... give the mosaics instead") until 2026-12-07.
    """
    import numpy as np
    from astropy.table import Table

    from starclass.cli.train_cmd import store_fit
    from starclass.io.catalog import write_catalog
    from starclass.io.paths import check_output
    from starclass.learn.checkpoint import load_model
    from starclass.learn.classify import classify, decision_threshold, no_data_line
    from starclass.learn.precision import settled_clock
    from starclass.stamps import StampStore

    st = StampStore(store_path)
    try:
        loaded = load_model(model, device=device)
        cfg = loaded.config
        decision_threshold(cfg, threshold)  # --threshold for a multi-class model: before the stamps are read
        # the differences named, and the cutouts command that fits the model (--task MODEL), or the mosaics' way
        store_fit(st, cfg, store_path, model=model, purpose="classify")
        table = Table(st.table)
        if not len(table):
            raise StarclassError(f"stamp store {store_path} holds no stamps: nothing to classify")
        _check_votes(table, votes, label_columns, f"--stamps {store_path}", cfg)
        check_output(output, option="--output", overwrite=overwrite, file=True)  # inputs read: now the output
        out = classify(st, table, loaded, batch_size=batch_size, tta=tta, device=device, progress=progress,
                       precision=precision, threshold=threshold, calibrated=calibration, coverage=coverage,
                       source=store_path)
    finally:
        st.close()
    joint_line = _add_joint(out, cfg, votes, label_columns)
    out.meta["stamps"] = str(store_path)
    # a store cut from the model's own training field: recorded and said as classify on those mosaics says it
    # ('cutouts field/ ... -o stamps.h5' then 'classify --stamps stamps.h5' of docs/training.md said nothing, and
    # evaluate scored the in-sample rows as held out)
    from starclass.cli.suggest_cmd import store_mosaics_folder

    folder = store_mosaics_folder(Path(store_path))
    trained_line = _record_training_field(out, model, [folder], None, output) if folder is not None else None
    _record_model(out, model, output)
    _record_threshold(out, cfg, threshold, loaded, output)
    _record_coverage(out, output)
    write_catalog(out, output, overwrite=overwrite)  # check_output refused an existing one without it
    echo(f"classified {counted(len(out), 'stamp')} of stamp store {store_path} with task {cfg.name!r} "
         f"({counted(len(loaded.members), 'member')}{', tta' if tta else ''}) in {settled_clock(device) - t0:.1f} s "
         f"on {device}{computed_in(out.meta, device)}")
    echo(_counts_line(out, cfg))
    if line := _decision_line(out, cfg, output):
        echo(line)
    _echo_threshold_caution(loaded, threshold)
    _echo_trust(out, model)  # its cautions' 'starclass calibrate MODEL' names the model given
    if line := no_data_line(out):
        echo(line)
    if joint_line:
        echo(joint_line)
    if trained_line:
        import warnings

        warnings.warn(trained_line, UserWarning, stacklevel=2)  # said on stderr as "warning: ..." by command()
    echo(f"written {output}")
    labelled = CLASS_REF in out.colnames and bool((np.asarray(out[CLASS_REF]) > 0).any())
    # the store's recorded mosaics' folder: a simulated field's truth.ecsv / humans.ecsv there are named
    # (the placeholder TRUTH.ecsv was, 2026-12-07), by evaluate's rule for its no-reference hint
    from starclass.evaluate.compare import field_references

    refs = field_references(folder)
    echo(next_after_classifying_mosaics(output, model, None, labelled=labelled, store=True, references=refs)
         + joint_next(output, votes, labelled, references=refs))


def _classify_cutouts(source: Path, *, model: Path, output: Path, tta: bool, batch_size: int,
                      device: str | None, precision: str | None, calibration: bool = True,
                      coverage: float | None = 0.9, votes: Path | None = None,
                      label_columns: str | None = None, threshold: float | None = None,
                      overwrite: bool = False, label_column: str | None = None, progress: bool = True,
                      group_column: str | None = None, file_column: str | None = None) -> None:
    """``classify --stamps LABELS.csv|DIR``: one output row per input row, every column kept.

    ``label_column`` holds the label strings (None: the column the model was trained on, where
    its manifest records one and the folder has it, else ``label``); absent, the folder is
    unlabelled, unless the column was named on the command line (then it is an error).
    ``group_column`` (``--group-column``) names each cutout's object, required in the CSV when given;
    ``file_column`` (``--file-column``) the files. Both are recorded in the output's meta, and for a CSV
    (no meta) as columns of those names; a classified CSV classified again keeps those it records where
    the options are not given (None).
    """
    import time
    import warnings

    import numpy as np

    from starclass.io.catalog import catalog_format, check_fits_text, write_catalog
    from starclass.io.cutout_folders import (
        keep_recorded_columns,
        label_column_hint,
        label_like_column,
        model_label_column,
        read_cutout_folder,
        stored_group_column,
    )
    from starclass.io.paths import check_output
    from starclass.learn.checkpoint import load_model
    from starclass.learn.classify import decision_threshold
    from starclass.learn.config import merge_collapse_note
    from starclass.learn.cutouts import classify_cutouts
    from starclass.learn.precision import pick_device, settled_clock

    t0 = time.perf_counter()
    _check_cutout_source(source)
    dev = pick_device(device)
    loaded = load_model(model, device=dev)
    cfg = loaded.config
    decision_threshold(cfg, threshold)  # --threshold for a multi-class model, or 7: before the cutouts are read
    given = label_column is not None
    # the labels the model learnt: a five-class model trained on a galaxy-cluster folder's 'expert' column
    # was scored against its binary 'label' (1/2 read as classes 1 and 2 of five: accuracy 0.200 for 0.300)
    label_column, line = model_label_column(source, label_column, loaded.training_label_column, str(model))
    if line:
        echo(line)
    # labels are optional here: a folder labelled in part is classified whole (unlabelled rows: class_ref 0)
    from starclass.stamps.images import cutout_resampler

    # the objects as training read them (train --group-column), else the task's column, where the folder has it:
    # the output records it, so that evaluate resamples whole objects
    # --group-column: another team's objects named in 'id' (the model reads object_id) were scored row by row
    # a classified CSV classified again: the objects and files it was classified with (recorded as columns), not
    # the model's column and 'file', whose output then recorded neither for evaluate and suggest
    group_column, file_column, kept = keep_recorded_columns(source, group_column, file_column)
    file_column = file_column or "file"
    if kept:
        echo(kept)
    grouped_by = group_column or stored_group_column(loaded.training_group_column or cfg.group_column)
    cutouts = read_cutout_folder(source, group_column=grouped_by, require_group=group_column is not None,
                                 bands=list(cfg.bands), require_labels=False, label_column=label_column,
                                 bands_of=f"model {model_word(model)}", resample=cutout_resampler(cfg),
                                 label_map=cfg.label_map, progress=progress, file_column=file_column)
    from starclass.learn.folder_task import check_folder_task

    # a cool-core model on a galaxy-cluster folder took its labels 1, 2 as cool-core classes without a word
    check_folder_task(cutouts.source, cutouts.labels, cfg, model=model, column=label_column, chosen=given)
    if cutouts.labels is None and given:
        # a column asked for by name and not there: an accuracy line quietly missing would read
        # as "no labels", not as a misspelt column
        raise StarclassError(f"{cutouts.source}: no label column {label_column!r} (--label-column); columns: "
                             f"{', '.join(cutouts.table.colnames)}"
                             f"{label_column_hint(cutouts.table.colnames, label_column)}")
    if catalog_format(output) == "fits":
        check_fits_text(cutouts.table, output)  # non-ASCII file names: refused now, not after the classification
    _check_votes(cutouts.table, votes, label_columns, f"--stamps {source}", cfg)
    check_output(output, option="--output", overwrite=overwrite, file=True)  # inputs read: now the output
    # --progress was taken and ignored here: the cutouts were classified without a bar
    with held_warnings(ConformalSetsWarning) as sets_warned:  # said after the result line, which they qualify
        out = classify_cutouts(cutouts, loaded, tta=tta, batch_size=batch_size, device=dev,
                               precision=precision, calibrated=calibration, coverage=coverage, threshold=threshold,
                               progress=progress)
    # "classified 200 cutouts", then "200 candidates with votes" of the same rows (until 2026-12-07)
    joint_line = _add_joint(out, cfg, votes, label_columns, noun="cutout")
    _record_model(out, model, output)
    _record_root(out, cutouts.root, output)
    _record_list(out, source, output)
    _record_threshold(out, cfg, threshold, loaded, output)
    _record_coverage(out, output)
    _record_columns(out, output, group=cutouts.group_column if group_column is not None else None,
                    files=cutouts.file_column if cutouts.file_column != "file" else None)
    write_catalog(out, output, overwrite=overwrite)  # check_output refused an existing one without it
    from starclass.learn.cutouts import colour_note

    if note := colour_note(cutouts, cfg):
        echo(note)
    if cutouts.labels is None and cutouts.source.is_file():
        # a 'Class' or 'labels' column was taken for an unlabelled folder without a word: no accuracy
        # line, no class_ref, and evaluate then said there was nothing to compare
        if alike := label_like_column(cutouts.table.colnames, label_column):
            echo(f"note: no {label_column!r} column, so the cutouts are read as unlabelled; column {alike!r} may "
                 f"hold their labels: give --label-column {alike}")
    echo(f"classified {counted(len(out), 'cutout')} from {cutouts.source} with task {cfg.name!r} "
         f"({counted(len(loaded.members), 'member')}{', tta' if tta else ''}) in {settled_clock(dev) - t0:.1f} s "
         f"on {dev}{computed_in(out.meta, dev)}")
    echo(_counts_line(out, cfg))
    if cutouts.labels is not None and (words := label_map_words(cfg.classes, cfg.class_names, cfg.label_map)):
        # the folder's labels (PAndAS: galaxy) and the classes counted above (2 non-cluster), joined once
        echo(f"labels read as classes (the task's label_map): {words}")
    if line := _decision_line(out, cfg, output):
        echo(line)
    _echo_threshold_caution(loaded, threshold)
    _echo_trust(out, model, sets_warned)
    from starclass.learn.classify import no_data_line

    if line := no_data_line(out, "cutouts"):  # cutouts of a drizzled image's edge: said, as classify on mosaics
        echo(line)
    # blank cutouts: the warning of blank_column named them (rows, band, class_pred 0, column
    # blank_bands); a line here repeated it
    if CLASS_REF in out.colnames:
        # the labels are reference classes, merged into the task's classes as training merged them
        # (m31-binary: 3 and 4 are class 2); compared as they were, every merged label was a mistake
        ref = np.asarray(cfg.map_classes(np.asarray(out[CLASS_REF])))
        # labels already in the task's own classes (binary 1/2 for m31-binary) were merged from the PHANGS
        # four too, 2 -> 1, and the line below counted the non-clusters as mistakes without a word
        score = shown_command(f"starclass evaluate {shell_word(output)} --task")
        if said := merge_collapse_note(cfg.merge, cfg.classes, np.asarray(out[CLASS_REF]), task=cfg.name,
                                       what=f"the labels of {cutouts.source}", class_names=cfg.class_names,
                                       how=f"to {score} to score them as they are"):
            warnings.warn(said, UserWarning, stacklevel=2)
        # over the classified rows, as evaluate scores them: a blank cutout (class_pred 0) is not a mistake
        classified, labelled = np.asarray(out["class_pred"]) > 0, ref > 0
        done = classified & labelled
        if done.any():
            # each reason counted on its own, so the line says which rows were left out and why
            # a row whose label the task does not know has a label: "unlabelled" misnamed it
            # 'N/A', 'nan' the task's map does not name: unlabelled, as an empty cell (is_missing_label)
            from starclass.io.cutout_folders import is_missing_label

            named = (np.array([not is_missing_label(v, cfg.label_map) for v in cutouts.labels])
                     if cutouts.labels is not None else np.zeros(len(out), dtype=bool))
            parts = [f"{n} {what}" for n, what in (
                (int((~classified).sum()), "unclassified"),
                (int((classified & ~labelled & ~named).sum()), "unlabelled"),
                (int((classified & ~labelled & named).sum()), "with a label the task does not know")) if n]
            left = f" ({' and '.join(parts)} left out)" if parts else ""
            right = np.asarray(out["class_pred"]) == ref
            acc = np.mean(right[done])
            echo(f"accuracy against the labels: {acc:.3f}{left}{_trained_on_words(loaded, cutouts, cfg, done, right)}")
            if said := _calibration_rows_line(Path(model), cutouts, done):
                warnings.warn(said, UserWarning, stacklevel=2)
    if joint_line:
        echo(joint_line)
    echo(f"written {output}")
    labelled = CLASS_REF in out.colnames and bool((np.asarray(out[CLASS_REF]) > 0).any())
    echo(next_after_classifying(output, model, source, labelled=labelled)
         + joint_next(output, votes, labelled, stamps=source))
