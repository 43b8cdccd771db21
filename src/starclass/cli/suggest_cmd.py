"""``starclass suggest``: the unlabelled candidates people should classify next (active learning)."""

from __future__ import annotations

import contextlib
import os
import shlex
from pathlib import Path

import typer

from starclass.cli._app import (
    DQ_GOOD_BITS_OPTION,
    MASK_FILE_OPTION,
    bars_or_lines,
    check_on_image,
    command,
    echo,
    echo_flagged,
    flags_option,
    mask_extension_option,
    pixel_flags,
    place_rows,
    progress_option,
    warn_flags_differ,
)
from starclass.cli.next_steps import new_model_name
from starclass.errors import StarclassError, counted, model_word, refuse_no_rows, shell_word, shown_command
from starclass.schema import CLASS_REF, ID

#: The defaults of -n, --by, --mag-bins and --min-confidence: the options and the rerun a cutout folder not
#: classified yet is told (which gives only the options set otherwise) read them here
DEFAULT_N, DEFAULT_BY, DEFAULT_MAG_BINS, DEFAULT_MIN_CONFIDENCE = 200, "entropy", 5, 0.95


@command("suggest")
def suggest_command(
    model: Path = typer.Argument(None, help="Model directory from 'starclass train' (with --check-labels: optional, "
                                            "its task and training rows)."),
    candidates: Path = typer.Argument(
        None, help="Candidate catalogue (ECSV, CSV, Parquet, FITS); or one 'starclass classify' wrote with this "
                  "model (its prob_<k> columns are used, no --mosaics needed), a classified cutout folder "
                  "('classify --stamps' output) included."),
    output: Path = typer.Option(..., "--output", "-o", help="Suggestions to write (a catalogue: .ecsv, .parquet, "
                                                                    ".fits, .csv)."),
    n: int | None = typer.Option(
        None, "-n", help=f"How many candidates to suggest (at least 1; default {DEFAULT_N}); --check-labels: at most "
                         "this many rows (default: every one flagged)."),
    mosaics: list[Path] = typer.Option(
        None, "--mosaics", "-m", help="FITS mosaics (files or a directory) to classify the candidates on."),
    by: str = typer.Option(
        DEFAULT_BY, "--by",
        help="Score ranked by (not evaluate's --by column): "
             "entropy (of the probabilities), margin (1 - gap of the two most probable classes), "
             "set-size (of the conformal set, ties by entropy; entropy without one) or mutual-info "
             "(BALD: classify --tta's mutual_info, ties by entropy; --mosaics: classified with TTA)."),
    labels: Path | None = typer.Option(
        None, "--labels",
        help="Labels given so far, never suggested: an inspect --export or votes table (ids with a class_h<k> "
             "vote, else class_ref); for cutouts a labels CSV or ImageFolder, matched as files where the "
             "classification records its folder (cutout_root), else by path."),
    mag_column: str | None = typer.Option(
        None, "--mag-column", help="Magnitude column to spread the suggestions over (default: the V band's)."),
    mag_bins: int = typer.Option(DEFAULT_MAG_BINS, "--mag-bins",
                                 help="Magnitude bins sharing the suggestions equally (at least 1; 1: none)."),
    device: str | None = typer.Option(
        None, "--device", help="cpu, cuda, ... to classify the candidates on --mosaics (default: CUDA when "
                               "available); a classified catalogue's probabilities need none."),
    progress: bool | None = progress_option("Show a progress bar while the candidates are classified on --mosaics."),
    mask_extension: str | None = mask_extension_option("in the stamps the model scores"),
    dq_good_bits: str | None = DQ_GOOD_BITS_OPTION,
    mask_file: str | None = MASK_FILE_OPTION,
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing output; without it it is kept."),
    pseudo_output: Path | None = typer.Option(
        None, "--pseudo-labels",
        help="Also write the unlabelled candidates (not suggested, not in --labels) the model is sure of, with its "
             "class as class_ref and pseudo_label True, for `train --pseudo-labels` (CEAL; never counted as "
             "labels, never validated on). Recompute them with every new model."),
    min_confidence: float = typer.Option(
        DEFAULT_MIN_CONFIDENCE, "--min-confidence",
        help="--pseudo-labels: top probability a candidate needs, between 0.5 and 1 (the network's raw "
             "probability, prob_<k>_raw where the classification has it)."),
    max_per_class: int | None = typer.Option(
        None, "--max-per-class",
        help="--pseudo-labels: at most this many per class, the most confident (default: no cap)."),
    check_labels: Path | None = typer.Option(
        None, "--check-labels",
        help="Instead: the labelled rows of this table whose label its OUT-OF-FOLD prob_<k> (train --cv's "
             "cv_predictions.ecsv) contradict, by confident learning, least self-confident first: labels worth a "
             "second look (docs/uncertainty.md). Takes no CANDIDATES."),
    label_column: str | None = typer.Option(
        None, "--label-column",
        help="--check-labels: the column of given labels, class numbers or names the task's label_map maps "
             "(default: class_ref, else label)."),
    task: str | None = typer.Option(
        None, "--task", help="--check-labels: task (preset, task file or model folder) whose classes and label_map "
                             "read the labels (default: MODEL's, else the table's own)."),
    held_out_only: bool = typer.Option(
        False, "--held-out-only",
        help="--check-labels: drop the rows the model that classified TABLE (or MODEL) was trained on, as its record "
             "of training rows tells, and rank the others (the count dropped is said; refused if none remain or "
             "the record cannot tell). Without it such a table is refused."),
) -> None:
    """Pick the N unlabelled candidates whose labels would teach MODEL the most.

    Writes them as a catalogue, most informative first (columns entropy and suggest_rank added, and
    the score ranked by: margin with --by margin, pred_set_size with --by set-size, mutual_info kept);
    with --pseudo-labels also the unlabelled candidates the model is sure of, with its class.
    Serve exactly that list to people with `starclass inspect DATA_DIR --catalogue SUGGESTIONS`,
    export their labels (`inspect --export`) and fine-tune with
    `starclass train --labels LABELS --resume-from MODEL`. For a classified cutout folder,
    serve them with `starclass inspect --stamps SUGGESTIONS --task TASK --db
    sqlite:///POOL/inspect.sqlite` (the pool's one database, every round; the line printed names
    both), export the labels (`--export LABELS.csv`, a cutout CSV) and fine-tune on them with the
    labels so far: `starclass train --stamps SO_FAR.csv --stamps LABELS.csv --resume-from MODEL -o NEW_MODEL`.

    With --check-labels TABLE: the labelled rows whose label the table's out-of-fold probabilities
    contradict (confident learning), least self-confident first, as a list to look at again
    (columns class_given, class_suggested, prob_given, check_rank added). The probabilities must be
    out-of-fold (each row scored by a model that never trained on it: train --cv's
    cv_predictions.ecsv); rows MODEL (or the model the table names) was trained on are refused
    where its record of training rows can tell (--held-out-only: dropped, the others ranked).
    The list records the cutouts' folder (cutout_root) relative to itself where it can, so it
    is served after it is moved together with its cutouts.

    Example: starclass suggest model/ classified.ecsv -n 200 -o suggestions.ecsv
    """
    if check_labels is not None:
        given = {"CANDIDATES": candidates is not None, "--mosaics": bool(mosaics), "--by": by != DEFAULT_BY,
                 "--labels": labels is not None, "--mag-column": mag_column is not None,
                 "--mag-bins": mag_bins != DEFAULT_MAG_BINS, "--device": device is not None,
                 "--pseudo-labels": pseudo_output is not None,
                 "--min-confidence": min_confidence != DEFAULT_MIN_CONFIDENCE,
                 "--max-per-class": max_per_class is not None,
                 "--mask-extension/--dq-good-bits/--mask-file": any(
                     v is not None for v in (mask_extension, dq_good_bits, mask_file))}
        _check_labels_command(check_labels, output, model=model, n=n, label_column=label_column, task=task,
                              overwrite=overwrite, not_for_it=[k for k, v in given.items() if v],
                              held_out_only=held_out_only)
        return
    if label_column is not None or task is not None or held_out_only:
        said = "--label-column" if label_column is not None else "--task" if task is not None else "--held-out-only"
        raise StarclassError(f"{said} applies to "
                             "--check-labels TABLE (the labels to look at again), not to suggestions")
    if model is None or candidates is None:
        raise StarclassError("give MODEL and CANDIDATES (the candidates to suggest from), or --check-labels TABLE "
                             "(labels worth a second look)")
    n = DEFAULT_N if n is None else n
    # bars only where a person watches them (a batch job's log keeps every redraw); plain lines there instead
    progress = bars_or_lines(progress)
    import numpy as np

    from starclass.evaluate.task import model_catalogue_classes
    from starclass.io.atomic import atomic_path
    from starclass.io.catalog import catalog_format, read_catalog, write_catalog
    from starclass.io.mosaic import mosaic_inputs, read_mosaics
    from starclass.io.paths import check_output, resolved
    from starclass.suggest.pick import (
        BY,
        classified,
        default_mag_column,
        labelled_groups,
        pool_text,
        suggest,
        unlabelled,
    )

    if by not in BY:
        # before the catalogue is read and classified: a typo was named only after all that work
        raise StarclassError(f"--by {by!r}: use one of {', '.join(BY)} (the score candidates are ranked by; "
                             "a column to split metrics by is evaluate's and report's --by)")
    if n < 1:
        raise StarclassError(f"-n must be >= 1, got {n}")
    if mag_bins < 1:
        raise StarclassError(f"--mag-bins must be >= 1, got {mag_bins}")
    from starclass.learn.precision import check_device_name, pick_device

    # in train's and classify's words, before any work and without torch: 'tpu' reached torch when the model was
    # loaded and stopped with its RuntimeError traceback
    check_device_name(device)
    flags = pixel_flags(mask_extension, dq_good_bits, mask_file)  # an expression astropy refuses: said before any work
    if flags is not None and not mosaics:
        # refused rather than ignored: without --mosaics no stamp is cut (the catalogue's prob_<k> are ranked)
        raise StarclassError(f"{flags_option(mask_extension, dq_good_bits, mask_file)} applies to "
                             "the mosaics the candidates are classified on: give --mosaics")
    check_output(output, [model, candidates, labels, *mosaic_inputs(mosaics or None)], option="--output",
                 overwrite=overwrite, file=True)
    catalog_format(output)  # a wrong extension fails now, not after the classification
    if pseudo_output is not None:
        from starclass.suggest.pseudo import check_min_confidence

        # every pseudo-label setting before the classification, as the main output's
        check_min_confidence(min_confidence, "--min-confidence")
        if max_per_class is not None and max_per_class < 1:
            raise StarclassError(f"--max-per-class must be >= 1, got {max_per_class}")
        if resolved(pseudo_output) == resolved(output):
            raise StarclassError("--pseudo-labels and --output name the same file: give two")
        check_output(pseudo_output, [model, candidates, labels, *mosaic_inputs(mosaics or None)],
                     option="--pseudo-labels", overwrite=overwrite, file=True)
        catalog_format(pseudo_output)
    elif max_per_class is not None:
        raise StarclassError("--max-per-class caps the pseudo-labels: give --pseudo-labels too")
    from starclass.io.progress import say_step

    # at a terminal a line once the options are checked: nothing was said until the suggestions were written, 3-4 s
    # of torch and the model later on shared cores (minutes with --mosaics, whose classification has its own bar)
    say_step(f"suggest: reading the candidates and loading model {model_word(model)} ...", progress)
    if device is not None and mosaics:
        # cpu, cuda:N: on this machine? once torch loads, still before anything is read. Without --mosaics no
        # network runs (the catalogue's prob_<k> are ranked): asking torch loaded it for nothing (3-4 s)
        pick_device(device)
    key = ID
    from starclass.io.cutout_folders import is_store_file

    # the user's own options go into a rerun suggest prints: the command said before lacked -o and failed as given
    # (--pseudo-labels and its options too: the rerun printed wrote no pseudo-labels)
    again = [*(["-n", str(n)] if n != DEFAULT_N else []), *(["--by", by] if by != DEFAULT_BY else []),
             # a store as --labels is no labels table: the rerun printed carried it and was refused again
             *(["--labels", str(labels)] if labels is not None and not is_store_file(labels) else []),
             *(["--mag-column", mag_column] if mag_column else []),
             *(["--mag-bins", str(mag_bins)] if mag_bins != DEFAULT_MAG_BINS else []),
             *(["--device", device] if device else []), *(["--overwrite"] if overwrite else []),
             *(["--pseudo-labels", str(pseudo_output)] if pseudo_output is not None else []),
             *(["--min-confidence", f"{min_confidence:g}"] if min_confidence != DEFAULT_MIN_CONFIDENCE else []),
             *(["--max-per-class", str(max_per_class)] if max_per_class is not None else [])]
    _refuse_store(Path(candidates), Path(model), Path(output), again, device=device, tta=by == "mutual-info",
                  labels=labels)
    if labels is not None and is_store_file(labels):
        raise StarclassError(f"--labels {labels} is a stamp store (written by 'starclass cutouts'), not labels: "
                             f"{_store_labels_words(labels)}")
    try:
        # with --mosaics, ra, dec alone are placed through their WCS below, as classify places them
        # with the model's classes: a five-class task's candidates (class_ref 5, no task recorded) were refused
        table = read_catalog(candidates, allow_empty=True, require_xy=not mosaics,
                             classes=model_catalogue_classes(model))
    except StarclassError:
        # a classified cutout folder (classify --stamps: file, class_pred, prob_<k>) has no id and
        # no positions, which a catalogue needs; it carries its classification, and file names it
        from starclass.io.cutout_output import read_cutout_output

        # 'candidates', not 'candidates PATH': each of its messages names the file ('candidates x.csv: x.csv: line 1
        # is not UTF-8 text ...' said it twice)
        table = read_cutout_output(candidates, "candidates")
        if table is None:
            _refuse_unclassified_folder(Path(candidates), Path(model), Path(output), again,
                                        device=device, tta=by == "mutual-info")
            raise
        if mosaics:
            raise StarclassError(f"{candidates} is a classified cutout folder (no positions): it is ranked on its "
                                 "own prob_<k> columns; leave out --mosaics") from None
        # the files name each row: ``file``, else (a table without it) the first ``file_<band>``;
        # a table of file_<band> columns alone failed with a KeyError traceback on --labels
        from starclass.io.cutout_output import file_columns

        key = file_columns(table)[0]
        if pseudo_output is not None:
            # train reads pseudo-labels by candidate id (a catalogue or a stamp store), not by cutout file
            raise StarclassError(f"--pseudo-labels: {candidates} is a classified cutout folder; pseudo-labels are "
                                 "written for a catalogue of candidates with ids (train --pseudo-labels matches "
                                 "them by id)") from None
    # a classified cutout folder's rows are cutouts, not detected candidates: said so in every line below
    noun = "candidate" if key == ID else "cutout"
    refuse_no_rows(table, candidates, "candidates", why=f": no {noun}s to suggest from")
    labelled = None
    if labels is not None:
        labelled, how = _labelled_cutouts(table, labels, key, candidates) if key != ID else (_labelled(labels, key), "")
        # before the mosaics and the classification: with every candidate labelled already, an
        # empty suggestion list was written (exit status 0) after all that work
        left = unlabelled(table, labelled, key=key,
                          labels_name=f"--labels {labels}{_no_label_column_note(labels, key)}")
        if key != ID:
            # said either way, so a labelled folder that names none of the candidates is seen
            n_there = int((~left).sum())
            group = _object_column(table, model)
            n_other = int(labelled_groups(table[group], left).sum()) if group else 0
            # the other cutouts of those objects are left out too (suggest()): the line counted only the listed
            # ones, and disagreed with the final line's "of 63: 1 labelled in L.csv, 1 other cutout of ..."
            other = (f", and {n_other} other {'cutout' if n_other == 1 else 'cutouts'} of an object labelled there "
                     f"({group})") if n_other else ""
            echo(f"--labels {labels}: {n_there} of the {counted(len(table), noun)} "
                 f"{'is' if n_there == 1 else 'are'} labelled there and left out ({how}){other}")
    elif CLASS_REF in table.colnames:
        # a human-classified catalogue (a LEGUS .tab, a truth table, a labelled cutout folder's classification):
        # its own classes were passed over without a word and labelled candidates were suggested again
        own = int(np.sum(np.ma.filled(np.ma.asarray(table[CLASS_REF], dtype=float), 0) > 0))
        if own:
            echo(f"note: {own} of the {counted(len(table), noun)} "
                 f"{'has a class_ref of its' if own == 1 else 'have a class_ref of their'} own in {candidates}; only "
                 "--labels says what is labelled, so they may be suggested: give --labels "
                 f"{_own_labels(table, key, candidates)} to leave them out")
    elif key == ID and (said := _trained_here_note(table, candidates)):
        echo(said)
    if mosaics:
        warn_flags_differ(model, flags)  # the candidates are classified on stamps cut with these flags
    mos = (read_mosaics(mosaics if len(mosaics) > 1 else mosaics[0], pixel_flags=flags, warn_v_band=False)
           if mosaics else None)  # stamps of the model's bands: no V band used, none warned of
    if mos is not None:
        echo_flagged(mos)
        # as classify places them: x, y from ra, dec where only those are given (refused before as "required
        # column 'x' missing ... give the mosaics"), and 1-based x, y beside ra, dec warned of (cut a pixel off)
        table = place_rows(table, mos, candidates)
        # as classify does: all off the image wrote an empty suggestion list with exit status 0
        check_on_image(table, mos.shape, candidates, consequence="they get no classification and are not suggested",
                       action="suggest")
    # --by mutual-info on the mosaics: with TTA, so that a one-member model has several views
    # with --mosaics every candidate is classified first (8 times with TTA): minutes on a survey
    # field, and without a bar nothing was said between the mosaics and the suggestions
    table = classified(model, table, mos, device=device, tta=by == "mutual-info", progress=progress)
    mag = mag_column or default_mag_column(table)
    if mag is None and mag_bins > 1:
        # name what was looked for and what could be used: a truth catalogue's mag_true_<band>
        # columns were there, and the user had no hint that --mag-column takes one
        like = [c for c in table.colnames if "mag" in c.lower() and not c.lower().startswith("magerr")]
        if like or key == ID:
            echo("no mag_<band> column: suggestions are not spread over magnitude"
                 + (f" (name one with --mag-column, e.g. {', '.join(like[:5])})" if like else
                    " (--mag-column names one; --mag-bins 1 says not to spread)"))
        # a cutout folder has no photometry: the note came with every suggestion list of one, the
        # loop of docs/real_images.md included, and asked for --mag-bins 1 to be quiet
        elif mag_bins != DEFAULT_MAG_BINS:
            # but a --mag-bins 3 typed for a cutout folder was then dropped without a word
            echo(f"--mag-bins {mag_bins}: {candidates} has no magnitude column (no mag_<band>), so the suggestions "
                 "are not spread over magnitude; --mag-column names a column to spread them over")
    # the PAndAS pool's two cutouts of one object (two CCDs) were suggested side by side, two labels for one object
    group = _object_column(table, model) if key != ID else None
    out = suggest(table, n, by=by, labelled=labelled, mag_column=mag, bins=mag_bins, key=key, group_column=group)
    used = out.meta["suggest"]["by"]
    if used != by:
        echo(f"--by {by}: the classification carries no conformal prediction set; ranked by {used} instead")
    out.meta["model"] = str(model)
    if key != ID:
        from starclass.cli.classify_cmd import _record_model

        # the files are relative to the classified folder: a classification kept as ECSV says so in its
        # meta only, which a CSV of suggestions dropped, and the suggested files then resolved from
        # nowhere ('inspect --stamps' found none of them once the list was written to another folder)
        # relative to the suggestions written where it can be (a list and its cutouts moved together), and a
        # relative record of the candidates is taken from their folder, not copied to point from the list's.
        # Read as the one reader reads it (row_folders): a record that says nothing ('none', 'nan' in an ECSV's
        # meta) and no record at all are the candidates' own folder (such a meta was taken as a folder of that
        # name under the working directory, and no record recorded nothing: a list written elsewhere lost them)
        if Path(candidates).is_file():
            _record_cutout_root(out, Path(candidates), output)
        # so is the model (and with it the task: classes, label map), as classify records it: suggestions of
        # an ECSV classification written as CSV had no model column, and 'evaluate suggest.csv --label-column
        # label' said "task '(unnamed)' has no label_map", info counted the classes by number
        _record_model(out, model, output)
    pseudo = None
    if pseudo_output is not None:
        from starclass.suggest.pseudo import pseudo_labels

        # the suggested candidates go to people: not pseudo-labelled as well
        pseudo = pseudo_labels(table, [*(labelled or []), *list(out[key])], min_confidence=min_confidence,
                               max_per_class=max_per_class, key=key)
        pseudo.meta["model"] = str(model)
    # check_output refused existing files without --overwrite; the two files are one output: each is
    # written to a hidden temporary beside it and both are renamed at the end, so a failure leaves neither
    with contextlib.ExitStack() as stack:
        tmp_out = stack.enter_context(atomic_path(output))
        tmp_pseudo = None if pseudo is None else stack.enter_context(atomic_path(pseudo_output))
        write_catalog(out, tmp_out, overwrite=True)
        if pseudo is not None:
            write_catalog(pseudo, tmp_pseudo, overwrite=True)
    # the bins really used: at most one per suggestion and per candidate with a magnitude (bins_used)
    spread, how = out.meta["suggest"]["bins"], ""
    if mag and mag_bins > 1:
        why = "a bin needs a suggestion and a candidate with a magnitude"
        how = (f", spread over {spread} bins of {mag}" + (f" (--mag-bins {mag_bins} capped at {spread}: {why})"
                                                           if spread < mag_bins else "")
               if spread > 1 else f", not spread over {mag} (--mag-bins {mag_bins}, but "
               + ("one suggestion is not spread)" if len(out) <= 1 else "fewer than 2 candidates have a magnitude)"))
    echo(f"suggested {len(out)} of {pool_text(out.meta['suggest'], noun=noun)} by {used}{how}; written {output}")
    if pseudo is not None:
        meta = pseudo.meta["pseudo_labels"]
        per = ", ".join(f"class {k}: {v}" for k, v in meta["per_class"].items())
        echo(f"pseudo-labels: {len(pseudo)} unlabelled candidates with {meta['probabilities']} >= {min_confidence} "
             f"({per}); written {pseudo_output} (train on them with: starclass train ... --pseudo-labels "
             f"{shlex.quote(str(pseudo_output))})")
    if key != ID:
        # inspect serves mosaics and their candidates, not cutout files: say what to do with these
        # --resume-from takes the model's own task; --init-from alone fell back to the default
        # task (legus4), which a cutout model's is not
        # quoted as a shell takes it: a model folder with a space broke the command as printed
        bands = [c for c in out.colnames if c.lower().startswith("file_")]
        files = f"their {', '.join(bands)} files" if bands else "their file"
        # on the new rows alone a fine-tune missed whole classes ("class 4 has no training example"):
        # the labels so far go with them
        said, page = _page_hint(table, key, Path(candidates), Path(output), Path(model))
        # the files named, not placeholders: the export is written to a file of its own (export_file), and the
        # cutouts labelled so far are those --labels gave; without it the words say what SO_FAR.csv is
        new = export_file(Path(output), ".csv")
        if labels is not None and Path(labels).is_file():
            from starclass.io.paths import short_path

            so_far, which = shlex.quote(short_path(labels)), ""
        else:
            so_far = "SO_FAR.csv"
            which = " (SO_FAR.csv: the list of the cutouts labelled before this round, e.g. the one the model learnt)"
        echo(said.replace("LABELS.csv", new) + f" or in a CSV beside the cutouts ({files} and a label); train on them "
             f"with the cutouts labelled so far (every class needs training rows), one --stamps for each list{which}; "
             f"fine-tune: starclass train --stamps {so_far} --stamps {new} --resume-from {shlex.quote(str(model))} "
             f"-o {shlex.quote(new_model_name(model))}")
        # on a line of its own: inside the parenthesis above it was copied with the words after it
        echo(f"label them: {page}")
    elif not mosaics and (store := str(table.meta.get("stamps") or "")):
        # a stamp store's classification (classify --stamps STORE.h5): the line named 'train --mosaics MOSAICS
        # --catalog', where the store itself is what a fine-tune reads, and DATA_DIR for the store's own mosaics
        echo(_store_page_hint(Path(store), Path(candidates), Path(output), Path(model)))
        folder = store_mosaics_folder(Path(store))
        if folder is not None and (first := _first_round_hint([folder], Path(output))):
            echo(first)
    else:
        # ranked without --mosaics: the mosaics classify recorded name the data folder (the hint said DATA_DIR and
        # MOSAICS, and classify's next line gave --mosaics for that alone, classifying every candidate again)
        shown = mosaics or _recorded_mosaics(table)
        echo(_mosaic_page_hint(shown, Path(candidates), Path(output), Path(model)))
        first = _first_round_hint(shown, Path(output))
        if first:
            echo(first)


def _object_column(table, model: Path) -> str | None:
    """The object column of a classified cutout folder: classify --stamps' (ECSV meta), else the model's.

    A CSV keeps no meta, hence the model's. None where neither names one, or the table lacks it.
    """
    from starclass.evaluate.task import model_group_column

    group = str(table.meta.get("group_column") or "") or model_group_column(model)
    return group if group and group in table.colnames else None


def export_file(output: Path, suffix: str = ".ecsv") -> str:
    """The file suggest's next line exports the labels into, and the fine-tune reads: named, not a placeholder.

    ``labels.ecsv`` (``labels.csv`` for cutouts) beside the suggestions, else the first of ``labels_1.ecsv``,
    ``labels_2.ecsv`` ... not there yet (``inspect --export`` keeps an existing file): the line named
    ``--export LABELS.ecsv`` and then ``--labels LABELS.ecsv``, read as a placeholder to fill in, where the
    export writes the very file the fine-tune is to read. Shown as typed from here, quoted for a shell.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> export_file(d / "sug.ecsv") == str(d / "labels.ecsv")
    True
    >>> _ = (d / "labels.csv").write_text("file,label\\n")
    >>> export_file(d / "sug.csv", ".csv") == str(d / "labels_1.csv")
    True
    """
    return shlex.quote(export_path(output, suffix))


def export_path(output: Path, suffix: str = ".ecsv") -> str:
    """:func:`export_file`'s file, unquoted: for a command builder that quotes its words itself.

    :func:`~starclass.cli.next_steps.field_fine_tune` quotes the export it is given: a name quoted
    before it would be quoted twice there.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()) / "a b"
    >>> d.mkdir()
    >>> export_path(d / "sug.ecsv") == str(d / "labels.ecsv"), export_file(d / "sug.ecsv").startswith("'")
    (True, True)
    """
    from starclass.io.paths import short_path

    folder = Path(output).parent
    name, k = folder / f"labels{suffix}", 1
    while name.exists() or name.resolve() == Path(output).resolve():
        name, k = folder / f"labels_{k}{suffix}", k + 1
    return short_path(name)


def _mosaic_page_hint(mosaics: list[Path] | None, candidates: Path, output: Path, model: Path) -> str:
    """The next steps for suggestions on mosaics: serve them, export every label, fine-tune.

    The data folder ``inspect`` takes is the one ``--mosaics`` named (a folder, or the folder of its
    files); until 2026-12-05 the line read ``starclass inspect DATA_DIR --catalogue ...`` even then, and
    stopped there, though the labels go back through ``--export`` and ``train --resume-from``. The export
    is a file named beside the suggestions (:func:`export_file`: ``labels.ecsv``, else the first free
    ``labels_<k>.ecsv``, so that a later round's runs as printed too), and the fine-tune is the one
    ``inspect --export`` prints (:func:`~starclass.cli.next_steps.field_fine_tune`), the fields the model was
    trained on beside the export (until 2026-12-07 ``--catalog CANDIDATES --labels LABELS.ecsv``, the field alone),
    and where they are placeholders, why (:func:`~starclass.cli.next_steps.fine_tune_words`, the rule both follow).

    Examples
    --------
    >>> print(_mosaic_page_hint([Path("f1")], Path("f1/candidates.ecsv"), Path("sug 1.ecsv"), Path("m0")))
    ... # doctest: +NORMALIZE_WHITESPACE
    serve them: starclass inspect f1 --catalogue 'sug 1.ecsv'; then export every label so far from the whole
    catalogue and fine-tune: starclass inspect f1 --catalogue f1/candidates.ecsv --export labels.ecsv, then
    starclass train --mosaics SO_FAR_DIR --catalog SO_FAR.ecsv --mosaics f1 --catalog labels.ecsv --resume-from
    m0 -o NEW_MODEL (SO_FAR_DIR and SO_FAR.ecsv: the field MODEL was trained on and its labelled catalogue, one
    --mosaics/--catalog pair for each field ('starclass info MODEL'); on the labels of one round alone a fine-tune
    can forget what MODEL learnt; model m0 is not there)
    """
    from starclass.cli.next_steps import fine_tune_words

    q = shlex.quote
    # the one export name (export_file's), unquoted: field_fine_tune quotes the words it is given
    export = export_path(output)
    # inspect reads every FITS file of one folder: several folders (or none given) cannot be named as one
    data = data_dir_words(mosaics)
    mos = data if data_dir_of(mosaics) is not None else "MOSAICS"
    # the rule inspect --export of the field follows, with the model its catalogue records (one function)
    tune, said = fine_tune_words(mos, export, model, data_dir_of(mosaics))
    return (f"serve them: starclass inspect {data} --catalogue {q(str(output))}; then export every label so far "
            f"from the whole catalogue and fine-tune: starclass inspect {data} --catalogue {q(str(candidates))} "
            f"--export {q(export)}, then {tune}{said}")


def store_mosaics_folder(store: Path) -> Path | None:
    """The one folder holding the mosaics a stamp store was cut from (its ``sources``), where it is on disk.

    The store records each band's file as ``cutouts`` was given it (relative to the folder it ran in, or to the
    store's own folder when run from there); None where the files are in several folders, or in none found.

    Examples
    --------
    >>> store_mosaics_folder(Path("no/such/store.h5")) is None
    True
    """
    from starclass.stamps.store import StampStore

    try:
        with StampStore(store) as st:
            sources = dict(st.meta.get("sources") or {})
    except (OSError, ValueError, KeyError, StarclassError):
        return None
    folders = {Path(str(f)).parent for f in sources.values()}
    if len(folders) != 1:
        return None
    folder = folders.pop()
    for where in (folder, store.parent / folder):
        if where.is_dir():
            return where
    return None


def _store_page_hint(store: Path, candidates: Path, output: Path, model: Path) -> str:
    """The next steps for suggestions from a stamp store's classification: label on its mosaics, fine-tune on it.

    ``inspect`` serves candidates on mosaics, not a stamp store: the suggestions (ids, x, y) are served on the
    mosaics the store was cut from (its record names them), their labels exported, and the fine-tune reads the
    store with those labels (``train --stamps STORE.h5 --labels LABELS.ecsv``), matched by id. Until 2026-12-07
    the line named ``train --mosaics MOSAICS --catalog ...``, as for a catalogue classified on mosaics.

    Examples
    --------
    >>> print(_store_page_hint(Path("no/s.h5"), Path("c.ecsv"), Path("sug.ecsv"), Path("m0")))
    ... # doctest: +NORMALIZE_WHITESPACE
    next: label them on the mosaics the stamp store no/s.h5 was cut from (DATA_DIR: their folder; inspect serves
    mosaics, not a store): starclass inspect DATA_DIR --catalogue sug.ecsv; export every label so far:
    starclass inspect DATA_DIR --catalogue c.ecsv --export labels.ecsv; then fine-tune on the store with them:
    starclass train --stamps no/s.h5 --labels labels.ecsv --resume-from m0 -o NEW_MODEL
    """
    q = shlex.quote
    labels = export_file(output)
    folder = store_mosaics_folder(store)
    data = "DATA_DIR" if folder is None else q(str(folder))
    said = ("(DATA_DIR: their folder; inspect serves mosaics, not a store)" if folder is None
            else "(inspect serves mosaics, not a store)")
    return (f"next: label them on the mosaics the stamp store {q(str(store))} was cut from {said}: starclass inspect "
            f"{data} --catalogue {q(str(output))}; export every label so far: starclass inspect {data} --catalogue "
            f"{q(str(candidates))} --export {labels}; then fine-tune on the store with them: starclass train "
            f"--stamps {q(str(store))} --labels {labels} --resume-from {q(str(model))} -o {q(new_model_name(model))}")


def _first_round_hint(mosaics: list[Path] | None, output: Path) -> str | None:
    """What the first round needs before the page serves: a label database and an account, or None.

    The serve command printed above failed as printed on a field without ``inspect.sqlite`` ("no label
    database ...; pass --init"), and the page then had nobody to log in. None where the data folder
    is not one folder (the placeholder is printed) or already holds its database.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()) / "f1"; d.mkdir()
    >>> _first_round_hint([d], Path("sug.ecsv")).endswith(f"starclass inspect {d} --catalogue sug.ecsv --init "
    ...                                                 "--add-user NAME (once; the password is asked)")
    True
    >>> _ = (d / "inspect.sqlite").write_bytes(b""); _first_round_hint([d], Path("sug.ecsv")) is None
    True
    """
    # the folder itself, not its words: one named DATA_DIR, as the docs name it, was taken for the placeholder
    folder = data_dir_of(mosaics)
    if folder is None or (folder / "inspect.sqlite").exists():
        return None
    data = shlex.quote(str(folder))
    return (f"first round: {data} has no label database (inspect.sqlite) yet; make it and an account before "
            f"serving: starclass inspect {data} --catalogue {shlex.quote(str(output))} --init --add-user NAME "
            "(once; the password is asked)")


def data_dir_words(mosaics: list[Path] | None) -> str:
    """inspect's DATA_DIR in suggest's closing hint: the folder of ``--mosaics`` when there is one, quoted.

    One folder given, or files all in one folder: that folder. No ``--mosaics`` (a classified
    catalogue was ranked) or files from several folders: the placeholder ``DATA_DIR``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> d1 = Path(tempfile.mkdtemp()) / "d1"; d1.mkdir()
    >>> data_dir_words([d1]) == str(d1)
    True
    >>> data_dir_words([Path("my field/a_f555w.fits"), Path("my field/a_f814w.fits")])
    "'my field'"
    >>> data_dir_words(None), data_dir_words([Path("a/x.fits"), Path("b/y.fits")])
    ('DATA_DIR', 'DATA_DIR')
    """
    folder = data_dir_of(mosaics)
    return "DATA_DIR" if folder is None else shlex.quote(str(folder))


def data_dir_of(mosaics: list[Path] | None) -> Path | None:
    """The one folder ``--mosaics`` names (a folder, or files all in one folder); None where there is none.

    The closing hints test this, not the words :func:`data_dir_words` prints: a data folder named
    ``DATA_DIR``, as the docs name it, was taken for the placeholder, and detect's hint then said
    ``MOSAICS`` and suggest's first-round hint (``--init --add-user``) was left out.

    Parameters
    ----------
    mosaics : list of pathlib.Path or None
        The mosaics given on the command line.

    Returns
    -------
    pathlib.Path or None

    Examples
    --------
    >>> data_dir_of([Path("DATA_DIR")]), data_dir_of([Path("f/a_g.fits"), Path("f/a_i.fits")])
    (PosixPath('DATA_DIR'), PosixPath('f'))
    >>> data_dir_of(None), data_dir_of([Path("a/x.fits"), Path("b/y.fits")])
    (None, None)
    """
    if not mosaics:
        return None
    # a path not on disk (an example, a typo refused later) is read as a folder unless it has a suffix
    folders = {p if p.is_dir() or (not p.exists() and not p.suffix) else p.parent for p in map(Path, mosaics)}
    return folders.pop() if len(folders) == 1 else None


def _pool_database(table, key: str, candidates: Path) -> Path:
    """The label database of the pool the candidates come from: ``inspect.sqlite`` in their cutout folder.

    It is where ``inspect --stamps POOL_LIST`` keeps its labels by default (beside the list, whose
    folder the classification records as ``cutout_root``), the one database docs/inspect.md keeps
    across rounds; without a recorded folder the files are relative to the candidates' own.

    Examples
    --------
    >>> from astropy.table import Table
    >>> str(_pool_database(Table({"file": ["a.png"], "cutout_root": ["/data/pool"]}), "file", Path("r1/c.csv")))
    '/data/pool/inspect.sqlite'
    """
    from starclass.io.cutout_folders import row_folders

    roots = row_folders(table, candidates, Path(candidates).parent) if len(table) else None
    root = roots[0] if roots else Path(candidates).parent
    return Path(os.path.abspath(root)) / "inspect.sqlite"


def _recorded_scheme(db_file: Path, dataset: str = "") -> str | None:
    """The label scheme a SQLite label database records for ``dataset`` (None: none, or not readable).

    Read with the standard library, read-only: suggest needs no web extra, and must not write.

    Examples
    --------
    >>> import sqlite3, tempfile
    >>> f = Path(tempfile.mkdtemp()) / "inspect.sqlite"
    >>> with sqlite3.connect(f) as c:
    ...     _ = c.execute("CREATE TABLE label_schemes (dataset TEXT, scheme TEXT, chosen_at TEXT)")
    ...     _ = c.execute("INSERT INTO label_schemes VALUES ('', 'task:m31-real', '')")
    >>> _recorded_scheme(f), _recorded_scheme(f.with_name("none.sqlite"))
    ('task:m31-real', None)
    """
    import sqlite3

    if not db_file.is_file():
        return None
    try:
        with contextlib.closing(sqlite3.connect(f"{db_file.as_uri()}?mode=ro", uri=True)) as conn:
            row = conn.execute("SELECT scheme FROM label_schemes WHERE dataset = ?", (dataset,)).fetchone()
    except sqlite3.Error:
        return None  # no such table yet (no server started), or not a label database: nothing recorded
    return None if row is None else str(row[0])


def _hint_task(model: Path, recorded: str | None) -> str:
    """The ``--task`` (and ``--scheme``) of the hint: the scheme the labels are (or will be) kept in.

    A database that records a scheme keeps its labels in it, and inspect refuses any other
    (``task:m31-real`` is not ``task:m31-real-2ep``, though their classes are the same): it is
    named. Without one, the model's own task (its preset name when it is one, else the model
    folder), which ``train --resume-from MODEL`` reads the labels back with.
    """
    from starclass.learn.config import PRESETS, load_config

    try:
        cfg = load_config(str(model))
    except StarclassError:
        cfg = None
    own = None if cfg is None else cfg.name
    model_task = own if own and own.lower() in PRESETS.names() else str(model)
    if recorded is None:
        return f"--task {shlex.quote(model_task)}"
    if recorded.lower().startswith("task:"):
        task = recorded[len("task:"):]
        if own is not None and task == own:
            return f"--task {shlex.quote(model_task)}"
        if task.lower() in PRESETS.names():
            return f"--task {shlex.quote(task)}"
        return f"--task TASK (the task file or model folder of task {task}, the scheme the database records)"
    # a named scheme (--task legus4 --scheme phangs): the model's task, with the scheme
    return f"--task {shlex.quote(model_task)} --scheme {shlex.quote(recorded)}"


def _page_hint(table, key: str, candidates: Path, output: Path, model: Path) -> tuple[str, str]:
    """The next step for suggestions on a cutout folder: what to do, and the ``inspect`` command to copy.

    ``--task MODEL --init`` with the default database made a new one beside each round's
    suggestions, while docs/inspect.md keeps one with ``--db`` across rounds, and the model's
    task is another scheme than the one a database served with ``--task m31-real`` records.
    Returns ``(said, command)``: the command is printed on a line of its own, to be copied whole.
    """
    db_file = _label_database(table, key, candidates, output)
    recorded = _recorded_scheme(db_file)
    db = shlex.quote(f"sqlite:///{db_file}")
    page = f"starclass inspect --stamps {shlex.quote(str(output))} {_hint_task(model, recorded)} --db {db}"
    if db_file.is_file():
        return ("label them on the page with the label database kept across rounds (the command below; then "
                "--export LABELS.csv with the same --db, on the pool's list for every label so far)", page)
    return ("label them on the page (the command below makes its label database; accounts with --add-user NAME; "
            "then --export LABELS.csv; keep this --db in every round, so that every label is in one database)",
            f"{page} --init")


def _label_database(table, key: str, candidates: Path, output: Path) -> Path:
    """The label database the hint serves the suggestions with: the pool's where it exists, else beside ``output``.

    The pool's (``inspect.sqlite`` in the cutout folder) holds the labels of earlier rounds where there is
    one. A new one goes beside the suggestions, where ``inspect --stamps OUTPUT --init`` makes it by
    default: until 2026-12-07 the hint made it in the cutout folder, which may be a read-only or shared copy.

    Examples
    --------
    >>> import tempfile
    >>> from astropy.table import Table
    >>> d = Path(tempfile.mkdtemp())
    >>> t = Table({"file": ["a.png"], "cutout_root": [str(d / "pool")]})
    >>> _label_database(t, "file", d / "c.csv", d / "r1" / "s.csv") == d / "r1" / "inspect.sqlite"
    True
    """
    pool = _pool_database(table, key, candidates)
    if pool.is_file():
        return pool
    return Path(os.path.abspath(Path(output).parent)) / "inspect.sqlite"


def _recorded_mosaics(table) -> list[Path] | None:
    """The mosaics ``classify`` recorded in its output's meta (:data:`~starclass.schema.MOSAICS_META`), where on disk.

    Parameters
    ----------
    table
        A classified catalogue.

    Returns
    -------
    list of pathlib.Path or None
        The folder or files recorded, or None where there is no record or one of them is gone.

    Examples
    --------
    >>> import tempfile
    >>> from astropy.table import Table
    >>> d = tempfile.mkdtemp()
    >>> _recorded_mosaics(Table({"id": [1]}, meta={"mosaics": [d]})) == [Path(d)]
    True
    >>> _recorded_mosaics(Table({"id": [1]}, meta={"mosaics": ["/no/such/folder"]})) is None
    True
    >>> _recorded_mosaics(Table({"id": [1]})) is None
    True
    """
    from starclass.schema import MOSAICS_META

    given = table.meta.get(MOSAICS_META)
    if not isinstance(given, (list, tuple)) or not given:
        return None
    paths = [Path(str(p)) for p in given]
    # as the user would type them: relative where under the current folder ('obs', not '/home/me/run/obs')
    return [Path(_shown_path(p)) for p in paths] if all(p.exists() for p in paths) else None


def _trained_here_note(table, candidates: str | Path) -> str | None:
    """The note of ``suggest`` without ``--labels`` on a field its model was trained on: which labels to give.

    ``classify`` records in its output the training field of the model where it classified one
    (``meta['training_field']``: its mosaics and catalogue). The labels that model learnt from are labels
    already given, but ``suggest`` knows only those of ``--labels``: a walk of the docs (2026-12-07) labelled
    50 of 92 candidates, trained, classified and ran the suggest command classify's next line offers, and
    11 of the 20 suggested were among the 50, without a word. Where the training catalogue holds labels
    (``class_h<k>`` votes, else ``class_ref``) of these ids it is named as ``--labels``; where it holds none
    (a model trained with ``train --labels LABELS``, which the record does not keep) the note says to give
    the labels it was trained on.

    Parameters
    ----------
    table
        The candidates (a ``classify`` output).
    candidates
        Their file, as given (named in the note).

    Returns
    -------
    str or None
        The note, or None where the candidates record no training field.

    Examples
    --------
    >>> from astropy.table import Table
    >>> _trained_here_note(Table({"id": [1, 2]}), "c.ecsv") is None
    True
    >>> t = Table({"id": [1, 2]}, meta={"training_field": {"catalog": "no/such.ecsv", "mosaics": []}})
    >>> print(_trained_here_note(t, "c.ecsv"))  # doctest: +NORMALIZE_WHITESPACE
    note: c.ecsv was classified by a model trained on this field (its catalogue no/such.ecsv); only --labels
    says what is labelled, so the candidates it learnt from may be suggested again: give --labels LABELS.ecsv
    (the labels it was trained on, an inspect --export) to leave them out
    """
    import numpy as np

    from starclass.schema import TRAINING_FIELD

    field = table.meta.get(TRAINING_FIELD)
    catalog = field.get("catalog") if isinstance(field, dict) else None
    if not catalog:
        return None
    head = f"note: {candidates} was classified by a model trained on this field"
    labelled: set = set()
    try:
        from starclass.learn.labels import read_votes
        from starclass.schema import human_cols

        t = read_votes(Path(catalog), "the model's training catalogue")
        # only a catalogue with votes or classes holds labels: _labelled takes a table of neither as a list of
        # labelled ids (--labels IDS.csv), which a classified catalogue trained on with --labels is not
        if human_cols(t) or CLASS_REF in t.colnames:
            labelled = set(np.asarray(_labelled(Path(catalog), ID)).tolist())
    except (StarclassError, OSError, KeyError, ValueError):
        pass  # gone, moved or unreadable: the note below, which names no file
    n = len(labelled & set(np.asarray(table[ID]).tolist())) if ID in table.colnames else 0
    if n:
        shown = shlex.quote(_shown_path(catalog))
        return (f"{head}, whose catalogue {shown} labels {n} of these {counted(len(table), 'candidate')}; only "
                "--labels says what is labelled, so they may be suggested again: give --labels "
                f"{shown} to leave them out")
    return (f"{head} (its catalogue {catalog}); only --labels says what is labelled, so the candidates it learnt "
            "from may be suggested again: give --labels LABELS.ecsv (the labels it was trained on, an inspect "
            "--export) to leave them out")


def _shown_path(path: str | Path) -> str:
    """``path`` relative to the current folder where it lies under it, else as recorded (an absolute path):
    :func:`starclass.io.paths.short_path`, the one spelling of a path in a ``next:`` line.

    Examples
    --------
    >>> _shown_path("/no/such/folder/labels.ecsv")
    '/no/such/folder/labels.ecsv'
    """
    from starclass.io.paths import short_path

    return short_path(path)


def _own_labels(table, key: str, candidates: Path) -> str:
    """What to give as ``--labels`` to leave out the candidates' own labels: the catalogue itself, or for a
    classified cutout folder its folder's labels CSV (matched as files; the classification, a CSV elsewhere,
    named none of them).

    Examples
    --------
    >>> from astropy.table import Table
    >>> _own_labels(Table({"id": [1], "class_ref": [2]}), "id", Path("cands.ecsv"))
    'cands.ecsv'
    >>> _own_labels(Table({"file": ["a.png"], "class_ref": [2], "cutout_root": ["/data/cuts"]}), "file", Path("o.csv"))
    '/data/cuts/labels.csv'
    """
    from starclass.io.cutout_folders import LABELS_CSV, folder_labels_csv, row_folders
    from starclass.io.paths import resolved, short_path

    if key == ID:
        return str(candidates)
    # an empty or NaN cell records no folder (read as text it would be the folder 'nan'); a relative one is
    # relative to the candidates' folder, as read_cutout_folder and inspect read it
    roots = row_folders(table, candidates, Path(candidates).parent) if len(table) else None
    if not roots:
        return "LABELS.csv (the cutout folder's labels)"
    # named as a path to type: a relative record (classify --stamps writes one since 2026-12-06) gave
    # 'results/../data/labels.csv'; the record is written relative only where it leads there either way
    root = Path(os.path.normpath(roots[0]))
    if root.is_dir() and folder_labels_csv(root) is None:
        # the folder holds no labels.csv (an ImageFolder directory, or a list under another name): the note
        # named root/labels.csv, which --labels then refused as no such file
        files = {os.path.normpath(os.path.join(root, str(v))) for v in table[key] if str(v).strip()}
        own = resolved(candidates)
        # the list that names the candidates' files: the classification itself, its suggestions or another
        # output beside it are CSVs too, and with two of them the folder was named, read as an ImageFolder
        # of its output folders (0 candidates left out)
        # a list that labels them before one that only names them (the unlabelled pool's list beside the
        # labelled one, named first in sorted order, was the one offered, and --labels took it as every label)
        listing = [(n, str(p)) for p in sorted(root.glob("*.csv")) if p.is_file() and resolved(p) != own
                   for n in [_files_listed(p, key, files)] if n[1]]
        if listing:
            return short_path(max(listing, key=lambda t: t[0])[1])
        if any(Path(f).parent != root and root in Path(f).parents for f in files):
            return short_path(root)  # read as an ImageFolder directory: its sub-folders are the labels
        return f"LABELS.csv (the labels CSV of the cutouts in {short_path(root)})"
    # its labels.csv, or labels.csv.gz where that is the list (a folder not here: the name it would have); a folder
    # recorded relative to the candidates' own, joined to theirs, walked up from here and down again: the shorter
    return short_path(folder_labels_csv(root) or root / LABELS_CSV)


def _files_listed(path: Path, key: str, files: set[str]) -> tuple[int, int]:
    """How many of ``files`` (normalised paths) the CSV ``path`` labels and lists in its ``key`` column.

    Returns ``(labelled, listed)``: ``labelled`` counts the rows with a label
    (:func:`starclass.io.cutout_folders.labelled_rows`; 0 for a CSV without a label column), ``listed``
    every row; ``(0, 0)`` for a file that cannot be read.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "l.csv").write_text("file,label\\na.png,cluster\\nb.png,galaxy\\n")
    >>> _files_listed(d / "l.csv", "file", {os.path.normpath(d / "a.png")})
    (1, 1)
    >>> _ = (d / "pool.csv").write_text("file,object_id\\na.png,B070\\n")
    >>> _files_listed(d / "pool.csv", "file", {os.path.normpath(d / "a.png")})
    (0, 1)
    >>> _ = (d / "excel.csv").write_text("sep=;\\nfile;label\\na.png;cluster\\n")  # Excel's separator line
    >>> _files_listed(d / "excel.csv", "file", {os.path.normpath(d / "a.png")})
    (1, 1)
    """
    import warnings

    from starclass.io.cutout_folders import labelled_rows, read_csv_rows

    try:
        # the cutout folders' reader, which --labels then reads it with: a spreadsheet's ';' (or UTF-16) labels CSV
        # was read as one column that named no file, and one with Excel's 'sep=;' line above its header still was
        # (its header taken for 'sep='), so the note offered a placeholder 'LABELS.csv' beside it
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pandas' index column: said by the reader of --labels, not by a hint
            names, rows, _ = read_csv_rows(path)
    except StarclassError:
        return 0, 0
    named = [os.path.normpath(os.path.join(path.parent, (row.get(key) or "").strip())) in files for row in rows]
    has = labelled_rows(names, rows) or [False] * len(rows)
    return sum(n and h for n, h in zip(named, has)), sum(named)


def _refuse_unclassified_folder(candidates: Path, model: Path, output: Path, again: list[str] | None = None, *,
                                device: str | None = None, tta: bool = False) -> None:
    """Say how to rank a cutout folder that was not classified, instead of the catalogue reader's refusal.

    Given a cutout folder (its directory or its ``labels.csv``), suggest said "required column
    'id' missing ... name a column 'id' in the file" or "expected a catalogue file, got a
    directory": it ranks a folder on the probabilities ``classify --stamps`` writes. The two
    commands to run are given whole, each on its own line: ``classify --stamps`` to a file
    that is not there yet (beside ``output``), then this very ``suggest`` on that file with
    the options given (``again``). Suggest does not classify the folder itself: ``classify
    --stamps`` reads a folder with options of its own (label and object columns, bands) and
    warns of cutouts it leaves unclassified, and its classification is the file the loop of
    docs/real_images.md keeps.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "labels.csv").write_text("file,label\\na.png,galaxy\\n")
    >>> try:
    ...     _refuse_unclassified_folder(d / "labels.csv", pathlib.Path("m"), d / "next.csv", ["-n", "5"])
    ... except StarclassError as exc:
    ...     print(str(exc).splitlines()[-1].strip().replace(str(d), "D"))
    starclass suggest m D/classified.ecsv -o D/next.csv -n 5
    """
    from starclass.io.cutout_folders import (
        csv_header,
        cutout_list_path,
        image_file_columns,
        is_cutout_source,
        read_csv_rows,
    )

    header = csv_header(candidates) if is_cutout_source(candidates) else []
    named = []  # another team's filename,label list: classify reads it with --file-column filename
    if header and not any(h == "file" or h.startswith("file_") for h in header):
        try:
            names, rows, _ = read_csv_rows(cutout_list_path(candidates))
            named = image_file_columns(names, rows[:50])
        except StarclassError:
            named = []
    if not any(h == "file" or h.startswith("file_") for h in header) and not named and not (
            candidates.is_dir() and is_cutout_source(candidates)):
        return
    files = f" --file-column {shlex.quote(named[0])}" if len(named) == 1 else ""
    classify, rank = _classify_then_rank(candidates, model, output, again, device=device, tta=tta, files=files)
    raise StarclassError(
        f"cutout folder {candidates} is not classified: suggest ranks a folder on the probabilities classify writes "
        f"(prob_<k>); classify it, then rank that classification:\n  {classify}\n  {rank}") from None


def _classify_then_rank(stamps: Path, model: Path, output: Path, again: list[str] | None, *,
                        device: str | None = None, tta: bool = False, files: str = "",
                        labels_from_classification: bool = False) -> tuple[str, str]:
    """The two commands that rank ``stamps`` (a cutout folder or a stamp store): ``classify --stamps``, then suggest.

    The classification goes beside ``output`` under a name that is neither there yet (classify
    refuses to overwrite) nor the suggestions' own; ``again`` are the options of this suggest.
    ``labels_from_classification``: the rank gives the classification as ``--labels`` too (it carries the
    labels of a store given as ``--labels``, which suggest does not read as labels).

    Examples
    --------
    >>> from pathlib import Path
    >>> c, r = _classify_then_rank(Path("s.h5"), Path("m"), Path("/nowhere/next.csv"), ["-n", "5"])
    >>> c
    'starclass classify --stamps s.h5 --model m -o /nowhere/classified.ecsv'
    >>> r
    'starclass suggest m /nowhere/classified.ecsv -o /nowhere/next.csv -n 5'
    """
    classified, k = output.parent / "classified.ecsv", 1
    while classified.exists() or classified == output:
        classified, k = output.parent / f"classified_{k}.ecsv", k + 1
    q = shlex.quote
    classify = (f"starclass classify --stamps {q(str(stamps))}{files} --model {q(str(model))} -o "
                f"{q(str(classified))}"
                + (f" --device {q(device)}" if device else "") + (" --tta" if tta else ""))
    rank = " ".join(["starclass suggest", q(str(model)), q(str(classified)), "-o", q(str(output)),
                     *(q(a) for a in (again or [])),
                     *(["--labels", q(str(classified))] if labels_from_classification else [])])
    return classify, rank


def _refuse_store(candidates: Path, model: Path, output: Path, again: list[str] | None = None, *,
                  device: str | None = None, tta: bool = False, labels: Path | None = None) -> None:
    """Refuse a stamp store given as CANDIDATES, saying how to rank it: classify it, then suggest from that.

    ``suggest MODEL stamps.h5`` was told what every catalogue reader tells a store ("not a catalogue
    ...; give the catalogue its stamps were cut from"): suggest ranks a classification
    (``prob_<k>`` columns), as for a cutout folder (:func:`_refuse_unclassified_folder`), and
    ``classify --stamps`` reads a store as it is; its classification records the store, so that
    suggest's next line names the store to fine-tune on. A file is taken for a store as
    ``classify --stamps`` takes it (:func:`starclass.io.cutout_folders.is_store_file`: HDF5, or named
    as a store). ``labels``: suggest's ``--labels``; a store there is no labels table, left out of the
    rerun (``again`` holds it not), which gives the classification as ``--labels`` where it is this store
    and holds labels (classify copies them), and the refusal says what ``--labels`` takes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "stamps.h5").write_bytes(b"\\x89HDF\\r\\n\\x1a\\n")
    >>> try:
    ...     _refuse_store(d / "stamps.h5", pathlib.Path("m"), d / "next.csv")
    ... except StarclassError as exc:
    ...     print(str(exc).splitlines()[0].replace(str(d), "D").split(":")[0])
    D/stamps.h5 is a stamp store (written by 'starclass cutouts'), not classified candidates
    """
    from starclass.io.cutout_folders import is_store_file

    if not is_store_file(candidates):
        return
    # a store given as --labels too: its own labels (class_ref, class_h<k>) go into the classification, which
    # the rerun then gives as --labels; the store itself, printed there, was refused as no labels table
    store_labels = labels is not None and is_store_file(labels)
    n_own = _labelled_in_store(labels) if store_labels and Path(labels).resolve() == Path(candidates).resolve() else 0
    own = n_own > 0
    classify, rank = _classify_then_rank(candidates, model, output, again, device=device, tta=tta,
                                         labels_from_classification=own)
    said = ""
    if store_labels:
        said = (f"\n--labels {labels} is a stamp store, not labels: "
                + (f"{LABELS_WANTED}; its {counted(n_own, 'labelled row')} (class_h<k>, class_ref) go into the "
                   "classification, given as --labels above" if own else _store_labels_words(labels)))
    raise StarclassError(
        f"{candidates} is a stamp store (written by 'starclass cutouts'), not classified candidates: suggest ranks "
        "the probabilities classify writes (prob_<k>); classify the store, then rank that classification (or give "
        f"the catalogue its stamps were cut from, with --mosaics):\n  {classify}\n  {rank}{said}")


#: What ``suggest --labels`` takes, said where it was given something else (a stamp store)
LABELS_WANTED = ("--labels takes the labels given so far: a table of ids with people's votes (class_h<k>) or "
                 "a class_ref, e.g. an inspect --export or simulate's humans.ecsv")


def _labelled_in_store(store: Path) -> int:
    """How many rows of a stamp store's table hold a label (a ``class_h<k>`` vote, else a ``class_ref`` above 0).

    ``cutouts`` keeps the catalogue's columns in the store, and ``classify --stamps`` copies them into its
    classification: a store cut from a labelled catalogue carries its labels there. 0 where the store cannot be read.
    """
    import numpy as np
    from astropy.table import Table

    from starclass.schema import CLASS_REF, human_cols
    from starclass.stamps import StampStore

    try:
        with StampStore(store) as st:
            table = Table({k: np.asarray(v) for k, v in st.table.items()})
    except (StarclassError, OSError, ValueError):
        return 0
    cols = human_cols(table) or ([CLASS_REF] if CLASS_REF in table.colnames else [])
    if not cols:
        return 0
    votes = np.column_stack([np.nan_to_num(np.asarray(table[c], dtype=float)) for c in cols])
    return int((votes > 0).any(axis=1).sum())


def _store_labels_words(store: Path) -> str:
    """What ``--labels`` takes, and where a stamp store's own labels are: the sentence of the refusal.

    Examples
    --------
    >>> _store_labels_words(Path("no/such.h5")).startswith("--labels takes the labels given so far")
    True
    """
    n = _labelled_in_store(store)
    if not n:
        return f"{LABELS_WANTED}; {store} holds none"
    return (f"{LABELS_WANTED}; the {counted(n, 'labelled row')} of {store} (class_h<k>, class_ref) are copied into "
            "its classification by 'starclass classify --stamps', which --labels takes")


def _no_label_column_note(labels: Path, key: str) -> str:
    """Why every candidate a cutout ``--labels`` list names counts as labelled, where it has no label column.

    Such a list (the unlabelled pool's own CSV, given by mistake) says nothing of labels, so every cutout
    it lists is taken as labelled, as a table of ids is; refused with "every one ... already has a label",
    the user was not told that the list holds no label at all.

    Examples
    --------
    >>> _no_label_column_note(Path("labels.ecsv"), "id")
    ''
    """
    from starclass.io.cutout_folders import csv_has_labels

    if key == ID or csv_has_labels(labels):
        return ""
    return (" (it has no label, class_ref or class_h<k> column, so every cutout it lists counts as labelled; give "
            "the labels so far, e.g. inspect --stamps POOL.csv --export LABELS.csv)")


def _labelled_cutouts(table, labels: Path, key: str = "file", source=None) -> tuple[list[str], str]:
    """The candidates' ``key`` values (``file`` or a ``file_<band>``) that ``labels`` (a cutout folder)
    lists, and how they were compared.

    Both sides are compared as files where the candidates record their folder (``classify
    --stamps`` writes it: meta, or a ``cutout_root`` column in a CSV): relative paths alone
    matched ``g/o000.png`` of the training folder with ``g/o000.png`` of another folder, and every
    candidate was "already labelled". Outputs without it are compared as written.
    """
    import numpy as np

    from starclass.io.cutout_folders import listed_files, listed_path, row_folders

    written = [str(f).strip() for f in np.asarray(table[key]).astype(str)]
    # an empty or NaN cell is "not recorded" (read as text it was the folder 'nan'); mixed is refused; a
    # relative record is relative to the candidates' folder (it was taken from the working directory)
    roots = row_folders(table, f"candidates {source}" if source else "the candidates",
                        Path(source).parent if source else Path())
    if roots is None:
        files = set(_labelled(labels, key))
        return ([f for f in written if f in files],
                f"files compared as written, e.g. {written[0]!r}: the cutouts do not record their folder "
                "(classified before 2026-12-03)")
    try:
        # the rows with a label only: an export with --include-unlabelled lists the whole pool
        # a list naming its files in 'filename', as the candidates were classified (classify --file-column)
        files = set(listed_files(labels, absolute=True, labelled_only=True, file_column=key))
    except StarclassError as exc:
        raise StarclassError(f"--labels: the cutouts to suggest from (a classified cutout folder) are named by file: "
                             f"{exc}") from None
    where = sorted({str(r) for r in roots})
    return ([f for f, r in zip(written, roots) if str(listed_path(r, f)) in files],
            f"compared as files: the cutouts' in {', '.join(where[:2])}{', ...' if len(where) > 2 else ''}")


def _labelled(labels: Path, key: str) -> list:
    """The ids (``key`` = ``id``) or cutout files (``key`` = ``file``) that already have a label."""
    from starclass.learn.labels import read_votes

    if key == ID:
        import numpy as np

        from starclass.learn.labels import vote_matrix
        from starclass.schema import CLASS_REF, human_cols

        t = read_votes(labels, "suggest --labels")
        # an export with --include-unlabelled lists every candidate, most with no vote (class_ref 0):
        # all of them were taken as labelled and suggest refused ('every one ... already has a
        # label'). A row counts when it holds a vote (class_h<k>), else a class (class_ref); a
        # table with neither is a plain list of labelled ids.
        cols = human_cols(t)
        if cols:
            has = (vote_matrix(t, cols, name=f"--labels {labels}") > 0).any(axis=1)
        elif CLASS_REF in t.colnames:
            has = vote_matrix(t, [CLASS_REF], name=f"--labels {labels}")[:, 0] > 0
        else:
            has = np.ones(len(t), bool)
        return list(np.asarray(t[ID])[has])
    from starclass.io.cutout_folders import listed_files

    # a cutout folder (a CSV with a file column, or file_<band> columns for several bands, or an
    # ImageFolder directory) read as the cutout reader reads it: a directory was "cannot read it as
    # a CSV (Is a directory)", file_<band> columns were refused for want of a 'file' column
    try:
        return listed_files(labels, labelled_only=True, file_column=key)
    except StarclassError as exc:
        raise StarclassError(f"--labels: the cutouts to suggest from (a classified cutout folder) are named by file: "
                             f"{exc}") from None


def _check_labels_command(source: Path, output: Path, *, model: Path | None, n: int | None, label_column: str | None,
                          task: str | None, overwrite: bool, not_for_it: list[str],
                          held_out_only: bool = False) -> None:
    """``suggest --check-labels TABLE``: the labels worth a second look, written as a list ``inspect`` serves.

    Each refusal comes before anything is written: an option of the suggestions (they rank unlabelled
    candidates, this ranks labels), an existing output without ``--overwrite``, a table without
    probabilities or labels, and probabilities of rows the model that made them was trained on
    (:func:`_in_sample_line`).
    """
    from starclass.cli._app import recorded_tasks, task_option
    from starclass.evaluate.task import check_probability_columns, model_catalogue_classes, resolve_task
    from starclass.io.atomic import atomic_path
    from starclass.io.catalog import catalog_format, read_catalog, write_catalog
    from starclass.io.cutout_output import file_columns, read_cutout_output
    from starclass.io.paths import check_output
    from starclass.schema import CLASS_PRED, class_array
    from starclass.suggest.relabel import label_issues

    if "CANDIDATES" in not_for_it:
        raise StarclassError("--check-labels TABLE takes the place of CANDIDATES: give MODEL at most (its task and "
                             "training rows), or leave both out")
    if not_for_it:
        said = ", ".join(not_for_it)
        raise StarclassError(f"--check-labels ranks the labels of its own table: {said} "
                             f"{'applies' if len(not_for_it) == 1 else 'apply'} to suggestions of unlabelled "
                             "candidates; leave " + ("it" if len(not_for_it) == 1 else "them") + " out (MODEL, "
                             "optional, gives the task and the training rows to check against)")
    if n is not None and n < 1:
        raise StarclassError(f"-n must be >= 1, got {n}")
    if model is not None and not Path(model).exists():
        raise StarclassError(f"MODEL {model}: no such model folder")
    if not Path(source).is_file():
        raise StarclassError(f"--check-labels {source}: no such file" if not Path(source).exists() else
                             f"--check-labels {source}: a folder; give the table of labels and out-of-fold "
                             "probabilities (e.g. the cross-validation's cv_predictions.ecsv)")
    from starclass.io.cutout_folders import is_store_file

    if is_store_file(source):
        # read as a catalogue it was told "give the catalogue its stamps were cut from": the table wanted holds
        # out-of-fold probabilities, which a cross-validation on the store writes
        from starclass.cli.next_steps import free_name

        # the cross-validation's folder a name not there yet: '-o CV' was a placeholder to edit before it ran
        cv = shell_word(free_name("cv"))
        raise StarclassError(f"--check-labels {source} is a stamp store (written by 'starclass cutouts'), not a table "
                             "of labels and out-of-fold probabilities: give the cross-validation's cv_predictions.ecsv "
                             f"({shown_command(f'starclass train --stamps {shell_word(source)} --cv 5 -o {cv}')} "
                             f"writes {cv}/cv_predictions.ecsv)")
    check_output(output, [source, model], option="--output", overwrite=overwrite, file=True)
    catalog_format(output)  # a wrong extension fails now, not after the table is read
    name = f"--check-labels {source}"
    cfg = task_option(task, recorded=lambda: recorded_tasks(model)) if task is not None else None
    table = read_cutout_output(source, name, classes=(CLASS_PRED, CLASS_REF, label_column or "label"))
    if table is None:
        # without MODEL and --task the table's own classes are read (model_catalogue_classes(None) was a TypeError
        # traceback: 'suggest --check-labels cv_predictions.ecsv -o L.ecsv', the documented call, failed so)
        known = (cfg.catalogue_classes if cfg is not None else model_catalogue_classes(model) if model is not None
                 else ())
        table = read_catalog(source, allow_empty=True, require_xy=False, classes=known)
    refuse_no_rows(table, source, "--check-labels")
    etask, note = resolve_task(table, cfg, model=model)
    if note:
        echo(f"note: {note}")
    check_probability_columns(table, etask, str(source))
    column = label_column or (CLASS_REF if CLASS_REF in table.colnames else "label")
    if column not in table.colnames:
        from starclass.io.cutout_folders import label_column_hint

        raise StarclassError(f"{name}: no label column {column!r} (--label-column); columns: "
                             f"{', '.join(table.colnames)}{label_column_hint(table.colnames, column)}")
    import numpy as np

    values = table[column]
    unknown = np.zeros(len(table), dtype=bool)  # rows whose label the task does not know: left out, counted
    if values.dtype.kind in "USO":
        # label names ("galaxy"): the task's label_map gives the reference class, its merge the task's class.
        # A label the task does not know is left out with a warning naming it, as classify --stamps and evaluate
        # leave it out (refused here, classify's own output could not be checked): no probability column
        # is of its class, so confident learning has nothing to hold it against
        given = etask.reference_labels(etask.label_classes(values, what=f"{source} column {column!r}",
                                                           allow_unknown=True),
                                       what=f"{source} column {column!r}")
        from starclass.io.cutout_folders import is_missing_label

        cells = np.ma.asarray(values)
        unknown = (given == 0) & ~np.array([bool(m) or is_missing_label(str(v).strip(), etask.label_map)
                                            for v, m in zip(cells.data, np.ma.getmaskarray(cells))], dtype=bool)
    else:
        given = class_array(table, column)
        if etask.reference_map and np.any((given != 0) & ~np.isin(given, etask.classes)):
            given = etask.reference_labels(given, what=f"{source} column {column!r}")
    out = label_issues(table, column, given=given, n=n, name=str(source))  # a table without probabilities: refused
    line, in_sample = _in_sample_line(table, Path(source), model, held_out_only)
    if in_sample:
        # thresholds of the held-out rows alone: the in-sample ones, near their labels, would raise them
        keep = np.ones(len(table), dtype=bool)
        keep[in_sample] = False
        table, given, unknown = table[keep], given[keep], unknown[keep]
        out = label_issues(table, column, given=given, n=n, name=f"{source} (its held-out rows)")
    echo(line)
    files = file_columns(table)
    if files:
        _warn_unserved(table, Path(source), files[0])
        _record_cutout_root(out, Path(source), output)
    meta = out.meta["check_labels"]
    names = dict(zip(etask.classes, etask.class_names))
    with atomic_path(output) as tmp:
        write_catalog(out, tmp, overwrite=True)
    thresholds = ", ".join(f"{k} ({names.get(int(k), k)}) {'-' if v is None else f'{v:.3f}'}"
                           for k, v in meta["thresholds"].items())
    of_task = f" (task {etask.name})" if etask.name else ""
    echo(f"labels from column {column!r}{of_task}: {meta['n_scored']} labelled rows with probabilities; thresholds "
         f"(mean probability of each class on its own rows): {thresholds}")
    # label_issues counts a label the task does not know (class 0) among the rows without a label: said apart
    n_unknown = int(unknown.sum())
    n_out = {"n_unlabelled": max(meta["n_unlabelled"] - n_unknown, 0), "n_unknown": n_unknown,
             "n_no_probabilities": meta["n_no_probabilities"]}
    if any(n_out.values()):
        echo("left out: " + ", ".join(f"{n_out[k]} {w}" for w, k in (
            ("without a label", "n_unlabelled"), ("with a label the task does not know", "n_unknown"),
            ("without probabilities", "n_no_probabilities")) if n_out[k]))
    pairs = "; ".join(f"labelled {names.get(int(a), a)}, probabilities for {names.get(int(b), b)}: {c}"
                      for a, b, c in ((*p.split("->"), c) for p, c in meta["pairs"].items()))
    per = ", ".join(f"{meta['flagged_by_given'][str(k)]} of {meta['labelled_by_class'][str(k)]} {names.get(k, k)}"
                    for k in etask.classes)
    kept = f" (the first {len(out)}: -n {n})" if n is not None and len(out) < meta["n_flagged"] else ""
    echo(f"{meta['n_flagged']} labels worth a second look ({per}){': ' + pairs if pairs else ''}; written "
         f"{output}{kept}, least self-confident first. Candidates for a look, not established errors")
    if files and len(out):
        q = shlex.quote
        from starclass.learn.config import PRESETS

        # the task as inspect can load it: a task file's name alone (cv_predictions' 't16') is no preset
        what = q(task) if task is not None else q(str(model)) if model is not None else (
            q(etask.name) if etask.name.lower() in PRESETS.names() else
            f"TASK (the task file or model folder of task {etask.name})" if etask.name else "TASK")
        echo(f"look at them again on the page: starclass inspect --stamps {q(str(output))} --task {what} --init "
             "(accounts with --add-user NAME; then --export LABELS.csv)")
    elif len(out):
        # a catalogue's rows are served with the mosaics they were cut from, which the table does not name
        echo(f"look at them again on the page: starclass inspect DATA_DIR --catalogue {shlex.quote(str(output))} "
             "(DATA_DIR: the folder of the mosaics; then --export LABELS.ecsv)")


def _record_cutout_root(out, source: Path, output: Path) -> None:
    """Record in ``out`` (rows of the table read from ``source``) the folder its files are relative to.

    Each row's record (``cutout_root``: a column, kept with the input columns, or the meta of
    ``classify --stamps`` and ``train --cv``; read by :func:`starclass.io.cutout_folders.row_folders`),
    else ``source``'s folder, is recorded as every writer records it
    (:func:`starclass.cli.classify_cmd._record_cutout_roots`): relative to ``output``'s folder where a
    relative path leads there, so that a list moved together with its cutouts finds them, and absolute
    beside it, so that a list moved alone does too (the relative record alone lost them then).
    """
    from starclass.cli.classify_cmd import _record_cutout_roots
    from starclass.io.cutout_folders import row_folders

    if len(out):
        _record_cutout_roots(out, row_folders(out, source, source.parent) or [source.parent] * len(out), output)


def _warn_unserved(table, source: Path, key: str) -> None:
    """Say so where the first file of ``table`` is not in the folder it is relative to: no list of it is served."""
    from starclass.cli._app import warn
    from starclass.io.cutout_folders import listed_path, row_folders
    from starclass.schema import CUTOUT_ROOT

    roots = row_folders(table, source, source.parent)
    root = source.parent if roots is None else roots[0]
    first = str(table[key][0]).strip()
    if first and not listed_path(root, first).exists():
        warn(f"{source} does not record the folder its files are relative to ({CUTOUT_ROOT}), and its first file "
             f"{first!r} is not in {root}: inspect --stamps will not find them; write the list into the cutout "
             f"folder, or add a {CUTOUT_ROOT} column naming it")


def _in_sample_line(table, source: Path, model: Path | None, held_out_only: bool = False) -> tuple[str, list[int]]:
    """What is known of whether ``table``'s probabilities are out-of-fold, and the rows to drop as in-sample.

    A cross-validation's held-out predictions (``train --cv``: meta ``cv`` or a ``fold`` column) are
    out-of-fold. A classification names its model (meta or ``model`` column; else MODEL): where the
    model records its training rows (:mod:`starclass.learn.provenance`) and the table lists cutout
    files, each cutout's input is digested as the model sees it and compared with that record; any
    row found there is refused, since a model agrees with the labels it was fitted to, unless
    ``held_out_only`` (``--held-out-only``): then those rows (0-based) are returned to be dropped, and
    refused only where none would remain, or where which rows the model trained on cannot be told.
    Otherwise the line says that this cannot be told.
    """
    from starclass.schema import CV_SCHEME, FOLD, MODEL_PATH

    if table.meta.get(CV_SCHEME) is not None or FOLD in table.colnames:
        scheme = table.meta.get(CV_SCHEME)
        return (f"out-of-fold: {source} holds the held-out predictions of a cross-validation"
                + (f" (--cv {scheme})" if scheme is not None else f" ({FOLD} column)")
                + ("; --held-out-only: every row is held out, none dropped" if held_out_only else "")), []
    recorded = table.meta.get(MODEL_PATH)
    if not recorded and MODEL_PATH in table.colnames:
        named = {str(v).strip() for v in table[MODEL_PATH]} - {""}
        recorded = named.pop() if len(named) == 1 else None
    used = Path(recorded) if recorded else model
    cannot = (f"note: cannot tell whether the probabilities of {source} are out-of-fold ({{why}}): they must be, "
              "each row scored by a model that never trained on it (train --cv's cv_predictions.ecsv); in-sample "
              "probabilities agree with the labels they were fitted to and flag almost nothing")
    refuse = (f"--held-out-only: cannot tell which rows of {source} the model trained on ({{why}}), so none can be "
              "dropped; give MODEL (the model folder that classified the table, with its record of training rows), "
              "or out-of-fold probabilities (train --cv's cv_predictions.ecsv) without --held-out-only")
    if used is None:
        why = "no cross-validation and no model recorded"
        if held_out_only:
            raise StarclassError(refuse.format(why=why))
        return cannot.format(why=why), []
    found = _training_rows_found(table, source, used)
    if isinstance(found, str):
        if held_out_only:
            raise StarclassError(refuse.format(why=found))
        return cannot.format(why=found), []
    n_in, rows = found
    if n_in and held_out_only:
        if n_in == len(table):
            raise StarclassError(
                f"--check-labels {source} --held-out-only: every one of its {counted(len(table), 'row')} is a cutout "
                f"model {model_word(used)} was trained on (its record of training rows): no held-out row remains to "
                f"check. Rank "
                "out-of-fold probabilities: train with --cv 5 and give its cv_predictions.ecsv.")
        return (f"--held-out-only: dropped {n_in} of the {counted(len(table), 'row')} of {source}, cutouts model "
                f"{used} was trained on (its record of training rows; in-sample); {len(table) - n_in} held-out rows "
                "remain, ranked among themselves"), rows
    if n_in:
        from starclass.schema import rows_named

        raise StarclassError(
            f"--check-labels {source}: {n_in} of its {counted(len(table), 'row')} are cutouts model "
            f"{model_word(used)} was "
            "trained on (its record of training rows), so their probabilities are in-sample: they agree with the "
            "labels the model was fitted to, and hide the ones to look at again. Rank out-of-fold probabilities: "
            f"train with --cv 5 and give its cv_predictions.ecsv, or check only the other rows with --held-out-only. "
            f"The rows: {rows_named(rows, limit=5)}.")
    return (f"out-of-fold as far as model {model_word(used)} records: none of the {len(table)} cutouts is one it "
            f"was trained on"
            + ("; --held-out-only: none dropped" if held_out_only else "")), []


def _training_rows_found(table, source: Path, model: Path) -> tuple[int, list[int]] | str:
    """How many of a cutout table's rows ``model`` was trained on (and which, 0-based), or why that is unknown."""
    import numpy as np

    from starclass.learn.provenance import training_rows_in

    seen = training_rows_in(table, source, model)
    if isinstance(seen, str):
        return seen
    return int(seen.sum()), np.flatnonzero(seen).tolist()
