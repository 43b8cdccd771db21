"""``starclass inspect``: serve the classification web page, manage accounts, export labels."""

from __future__ import annotations

import os
import socket
import warnings
from collections.abc import Sequence
from pathlib import Path

import typer

from starclass.cli._app import (
    DQ_GOOD_BITS_OPTION,
    FILE_COLUMN_OPTION,
    MASK_FILE_OPTION,
    ImportProbe,
    check_on_image,
    command,
    echo,
    flags_option,
    importing_extra,
    mask_extension_option,
    pixel_flags,
    require_extra,
    show_progress,
    task_option,
)
from starclass.cli.next_steps import free_name, new_model_name
from starclass.errors import StarclassError, counted, model_word, row_noun, shell_word, shown_command

PASSWORD_ENV = "STARCLASS_INSPECT_PASSWORD"

#: What the web page and its database need: the ``web`` extra of the package.
WEB_MODULES = ("fastapi", "uvicorn", "sqlalchemy", "jinja2", "argon2")


def _password(name: str) -> str:
    """The new password of ``name``: ``$STARCLASS_INSPECT_PASSWORD``, else asked for twice at the terminal.

    Without a terminal (a script, a pipe, a job) there is nobody to ask: the command said "Aborted." after
    getpass's "Can not control echo on the terminal" warning, exit status 1; it is refused now naming the
    variable, exit status 2, before any database is made.
    """
    import sys

    pw = os.environ.get(PASSWORD_ENV)
    if pw:
        return pw
    if not sys.stdin.isatty():
        raise StarclassError(f"no password for {name}: there is no terminal to ask at. Set {PASSWORD_ENV} for the "
                             f"command ({PASSWORD_ENV}=... starclass inspect ...) or run it at a terminal.")
    try:
        return typer.prompt(f"password for {name}", hide_input=True, confirmation_prompt=True)
    except (typer.Abort, EOFError):  # Ctrl-D at the prompt
        raise StarclassError(f"no password for {name} given: nothing was changed") from None


def _backup(engine, dest: Path, overwrite: bool) -> None:
    """``--backup``: copy SQLite (online backup API, atomic), or say how to dump PostgreSQL."""
    from starclass.inspect.backup import backup_sqlite, postgres_commands

    if engine.dialect.name == "postgresql":
        echo("PostgreSQL is backed up with its own tools; nothing was written. Back up with:")
        backup_cmd, restore_cmd = postgres_commands(engine, dest)
        echo(f"  {backup_cmd}")
        echo("and restore (server stopped) with:")
        echo(f"  {restore_cmd}")
        return
    from starclass.errors import OutputExistsError

    try:
        out = backup_sqlite(engine, dest, overwrite=overwrite)
    except OutputExistsError:
        # the option named, as every other output's refusal names its own: "PATH exists; give --overwrite" said
        # neither that PATH was the --backup nor which of the command's files it was (until 2026-12-07)
        raise StarclassError(f"--backup {dest} exists; give --overwrite to replace it") from None
    echo(f"wrote a backup of {engine.url.database} to {out}; to restore it, stop the server and copy it "
         "to the --db path")


def _fmt(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.3f}"


def _summed_scores_line(counts: dict, cut) -> str:
    """The ``summed scores`` line of a score export, each run of sums with the class it gives.

    It printed "0: 2, 1: 2, 2: 5, 3: 1, 4: 1", where the export's ``class_ref`` and the rest of
    the output name classes as evaluate does: the sums below the cluster cut give class 2 (not a
    cluster), those from it class 1 (cluster) (:func:`starclass.inspect.consensus.score_table`).

    Examples
    --------
    >>> _summed_scores_line({"0": 2, "1": 2, "2": 5, "3": 1, "4": 1}, 3)
    'summed scores: 0: 2, 1: 2, 2: 5 -> class_ref 2 (not a cluster); 3: 1, 4: 1 -> class_ref 1 (cluster)'
    """
    from starclass.evaluate.task import class_labels

    # the words of the export's own class_ref_rule (score_table): 1 cluster, 2 not a cluster
    named = class_labels([1, 2], ["cluster", "not a cluster"])
    if cut is None:
        return "summed scores: " + ", ".join(f"{k}: {v}" for k, v in counts.items())
    below = [f"{k}: {v}" for k, v in counts.items() if int(k) < int(cut)]
    above = [f"{k}: {v}" for k, v in counts.items() if int(k) >= int(cut)]
    runs = [f"{', '.join(r)} -> class_ref {named[c]}" for r, c in ((below, 2), (above, 1)) if r]
    return "summed scores: " + "; ".join(runs)


def _report_export(out, path: Path, noun: str = "candidate") -> None:
    """Print what ``--export`` wrote: counts, consensus, and each pair's agreement and cross-table.

    ``noun``: what a row is (:func:`starclass.errors.row_noun`): a cutout list's export said "wrote 10 labelled
    candidates" of 10 cutouts.
    """
    _report_export_counts(out, path, noun)
    people = out.meta.get("people") or {}
    if Path(path).suffix.lower() == ".csv" and people:
        # the file keeps no meta: whose class_h<k> column was whose was said nowhere (meta['people'] in an ECSV);
        # the file beside it keeps them for train --labels (annotators.ecsv's person column)
        from starclass.inspect.export import people_path

        echo(f"a CSV keeps no meta: whose column is whose is in {people_path(path)} beside it (train --labels "
             "reads it; --summary keeps it as 'people'): "
             + ", ".join(f"{col} = {name}" for col, name in people.items()))


def _field_export_next(out, data_dir: Path, export: Path, catalogue: Path | None = None,
                       bands: Sequence[str] | None = None) -> str | None:
    """The line after a field's ``--export`` of PHANGS classes: how to train on them, or fine-tune on them.

    A walk of the docs (2026-12-07) exported its first labels and was told the counts and that one person has no
    agreement to measure, and nothing of what to do with the file; ``classify``, ``train``, ``suggest`` and the
    cutout folders' export each end with their next step. Only for the ``phangs`` scheme, whose export's
    ``class_ref`` is what ``train --catalog`` reads (the M31 check's summed scores are cut into classes by
    ``--cluster-cut``, for a binary task of its own), and only where something was labelled.

    The fine-tune names the model the catalogue served records (``classify`` and ``suggest`` write it in its
    meta, a CSV in its ``model`` column: :func:`~starclass.cli.next_steps.catalogue_model`) and the fields that
    model was trained on, as ``suggest``'s line does (:func:`~starclass.cli.next_steps.fine_tune_words`, one
    rule); until 2026-12-07 it said ``MODEL``, ``SO_FAR_DIR`` and ``SO_FAR.ecsv`` even where the catalogue
    named the model. The placeholders stay, with why, where that model is gone, cannot be read or records no
    field.

    Parameters
    ----------
    out
        The exported table (its meta ``label_scheme``; ``n_labels``; the catalogue's ``model``).
    data_dir, export
        The data folder (the mosaics) and the file written, as given.
    catalogue
        The catalogue served (a relative model path it records is looked for beside it too).
    bands
        The mosaics' bands (:func:`_field_bands`), which choose the first train's task
        (:func:`starclass.cli.next_steps.first_train_task`): until 2026-12-07 it was legus4-compact whatever they
        were, refused on inspect's own demo field (f336w, f555w, f814w). None: not known, said in words.

    Returns
    -------
    str or None

    Examples
    --------
    >>> from astropy.table import Table
    >>> t = Table({"id": [1, 2], "n_labels": [1, 0]}, meta={"label_scheme": "phangs"})
    >>> hst = ["f275w", "f336w", "f438w", "f555w", "f814w"]
    >>> print(_field_export_next(t, Path("obs"), Path("labels.ecsv"), bands=hst))  # doctest: +NORMALIZE_WHITESPACE
    next: train a model on these labels with 'starclass train --task legus4-compact --mosaics obs --catalog
    labels.ecsv -o model' (the compact CNN, a first try on a CPU; legus4 is StarcNet, docs/training.md), or
    fine-tune one on them with 'starclass train --mosaics SO_FAR_DIR --catalog SO_FAR.ecsv --mosaics obs --catalog
    labels.ecsv --resume-from MODEL -o NEW_MODEL' (SO_FAR_DIR and SO_FAR.ecsv: the field MODEL was trained on and
    its labelled catalogue, one --mosaics/--catalog pair for each field ('starclass info MODEL'); on the labels
    of one round alone a fine-tune can forget what MODEL learnt)
    >>> t.meta["label_scheme"] = "m31-check"
    >>> _field_export_next(t, Path("obs"), Path("labels.ecsv"), bands=hst) is None
    True
    """
    if out.meta.get("label_scheme", "phangs") != "phangs" or not len(out):
        return None
    if "n_labels" in out.colnames and not (out["n_labels"] > 0).any():
        return None  # --include-unlabelled before any label: nothing to train on
    from starclass.cli.next_steps import catalogue_model, fine_tune_words, first_train_task
    from starclass.inspect.schemes import PHANGS

    d, e = shell_word(str(data_dir)), shell_word(str(export))
    # a name not there yet (next_steps.free_name), as simulate's and cutouts' first trains: '-o MODEL' was a
    # placeholder to edit before the line ran, and a second export's line named the model the first had written
    # PHANGS classes 1-4 (the scheme exported here), of the mosaics' bands
    task, task_said = first_train_task(bands, "legus4-compact", classes=[v.value for v in PHANGS.values])
    train = shown_command(f"starclass train --task {task} --mosaics {d} --catalog {e} "
                          f"-o {shell_word(free_name('model'))}")
    # suggest's line builds the same command (one function): until 2026-12-07 the two proposed two fine-tunes,
    # both on this field's labels alone, which can forget what MODEL learnt
    model, why = catalogue_model(out, catalogue if catalogue is not None else Path(export))
    tune, said = fine_tune_words(d, str(export), model, data_dir, why)
    return (f"next: train a model on these labels with {train} ({task_said + '; ' if task_said else ''}the compact "
            f"CNN, a first try on a CPU; legus4 is StarcNet, docs/training.md), or fine-tune one on them with "
            f"{shown_command(tune)}{said}")


def _field_bands(data_dir: Path, skip: set[Path] = frozenset()) -> list[str] | None:
    """The bands of a data folder's mosaics (filter keyword, else file name); None where none can be read.

    Examples
    --------
    >>> import tempfile
    >>> from starclass.datasets.labelling import make_demo_field
    >>> _field_bands(make_demo_field(tempfile.mkdtemp(), n=3, size=100).folder)
    ['f336w', 'f555w', 'f814w']
    """
    from astropy.io import fits

    from starclass.inspect.field import mosaic_files
    from starclass.io.mosaic import band_of

    try:
        files = mosaic_files(data_dir, skip)
    except (StarclassError, OSError):
        return None  # an export needs no mosaics (a catalogue and the database copied to a laptop)
    bands = []
    for p in files:
        try:
            header = fits.getheader(p)
        except (OSError, ValueError):
            header = None
        band = band_of(p, header)
        if band is None:
            return None
        bands.append(band)
    return bands or None


def _report_export_counts(out, path: Path, noun: str = "candidate") -> None:
    """The counts, consensus and agreement lines of :func:`_report_export`."""
    agr = out.meta.get("agreement", {})
    scheme = out.meta.get("label_scheme", "phangs")
    if "score_sum" in out.colnames:
        counts = agr.get("sum_counts", {})
        echo(f"wrote {len(out)} scored candidates to {path} (label scheme {scheme}): "
             f"{agr.get('n_complete', 0)} scored by both inspectors, {agr.get('n_incomplete', 0)} not; "
             f"clusters (score_sum >= {out.meta.get('cluster_cut')}): {agr.get('n_clusters', 0)}")
        echo(_summed_scores_line(counts, out.meta.get("cluster_cut")))
    else:
        # with --include-unlabelled every candidate is written: "wrote 800 labelled candidates" when
        # 50 were labelled
        n_lab = int((out["n_labels"] > 0).sum()) if "n_labels" in out.colnames else len(out)
        what = (f"{counted(len(out), noun)} ({n_lab} labelled, {len(out) - n_lab} without a label)"
                if n_lab < len(out) else counted(len(out), f"labelled {noun}"))
        echo(f"wrote {what} to {path} ({counted(int(out['tie'].sum()), 'tie')} to adjudicate)")
        from starclass.inspect.consensus import agreement_value

        people = [c for c in out.colnames if c.startswith("class_h") and c[7:].isdigit()]
        if len(people) == 1:
            # three lines of "n/a" and two notes said, at length, that one person agrees with nobody
            who = (out.meta.get("people") or {}).get(people[0], people[0])
            echo(f"agreement: one person labelled ({who}): none to measure; a second person labelling the same "
                 f"{noun}s (--add-user) gives the pairwise agreement, Cohen's kappa and the cross-table")
        elif not people:  # --include-unlabelled before any label: "n/a" four times
            echo(f"agreement: nobody has labelled these {noun}s yet: none to measure")
        else:
            echo(f"agreement: pairwise {_fmt(agreement_value(agr, 'pairwise'))} (all classes), "
                 f"{_fmt(agr.get('pairwise_binary'))} (clusters vs the rest); individual vs mode "
                 f"{_fmt(agreement_value(agr, 'vs_mode'))} / {_fmt(agr.get('vs_mode_binary'))}")
        if len(people) > 1 and agr.get("vs_mode_note"):
            echo(f"  ({agr['vs_mode_note']})")  # on what it was computed: only candidates with 3+ labels
        if len(people) > 1 and agr.get("weights_note"):
            echo(f"  ({agr['weights_note']})")
    renamed = out.meta.get("catalogue_columns_renamed") or {}
    if renamed:
        echo("the catalogue's own " + ", ".join(f"{a} is kept as {b}" for a, b in renamed.items())
             + " (the export fills those names from the labels)")
    for pair in agr.get("inspectors", []):
        weighted = (f", weighted kappa {_fmt(pair['kappa_linear'])} (linear) / "
                    f"{_fmt(pair['kappa_quadratic'])} (quadratic)" if "kappa_linear" in pair else "")
        echo(f"{pair['person_a']} vs {pair['person_b']}: {counted(pair['n'], noun)}, agreeing "
             f"{_fmt(pair['agree_frac'])}, Cohen's kappa {_fmt(pair['kappa'])}{weighted}")
        values = pair["values"]
        echo(f"  cross-table, rows {pair['person_a']}, columns {pair['person_b']}:")
        echo("  " + " " * 5 + " " + " ".join(f"{v:>5}" for v in values))
        for v, row in zip(values, pair["cross_table"]):
            echo(f"  {v:>5} " + " ".join(f"{c:>5}" for c in row))


def _load_field(data_dir: Path, catalogue, predictions, rgb: str | None, star_fwhm, dataset: str, flags=None,
                stamps: Path | None = None, cfg=None, file_column: str | None = None, classes: Sequence[int] = (),
                say=echo):
    """The data folder (or with ``stamps`` the cutout list) read for serving (``--rgb`` checked first);
    ``flags`` from --mask-extension, --dq-good-bits, --mask-file; ``classes`` the --task preset's (a data folder);
    its notes given to ``say``.

    The pictures' folder is not made: the command makes it (``field.cache.make_folder()``) once
    nothing is left to refuse, so a refused command leaves no empty picture folder behind.
    """
    bands = tuple(b.strip() for b in rgb.split(",")) if rgb else None
    if bands is not None and len(bands) != 3:
        raise StarclassError(f"--rgb needs three bands (red,green,blue), got {rgb!r}")
    if stamps is not None:
        from starclass.inspect.cutouts import load_cutout_field, read_cutout_list

        lst = read_cutout_list(stamps, cfg, file_column=file_column)
        field = load_cutout_field(stamps, cfg, predictions=predictions, dataset=dataset, star_fwhm=star_fwhm,
                                  rgb=bands, cutouts=lst, make_cache=False)
        if cfg is not None and getattr(field.cache, "grey", None) == "mean":
            from starclass.io.cutout_folders import averaged_planes_note

            # the grey stamp is the planes' mean, as train and classify average them (their one warning too)
            files = [str(f) for f in field.table[field.shown[0]]]
            if note := averaged_planes_note(files, field.cache.images.shape[1], cfg.bands, cfg.name, page=True,
                                            named=lst.named_cubes, plane_bands=lst.plane_bands,
                                            is_preset=cfg.preset_name is not None):
                say(note)
        elif cfg is not None and lst.task_planes and field.cache.grey == lst.task_planes[0]:
            from starclass.io.cutout_folders import taken_planes_note

            # the grey stamp is the plane the cubes' headers name as the task's band, as train and classify take it
            files = [str(f) for f in field.table[field.shown[0]]]
            if note := taken_planes_note(files, lst.plane_bands, lst.task_planes, cfg.name, page=True):
                say(note)
        return field
    # the field module itself: inspect.app (FastAPI, uvicorn; re-exports load_field) is for serving, after the notes
    from starclass.inspect.field import load_field

    # rows placed from ra, dec through the mosaics' WCS: said in classify's line (it was silent here)
    return load_field(data_dir, catalogue=catalogue, predictions=predictions, rgb=bands,
                      star_fwhm=star_fwhm, dataset=dataset, pixel_flags=flags, say=say, classes=classes,
                      make_cache=False)


def _check_catalogue_on_mosaics(data_dir: Path, catalogue, predictions, *, consequence: str,
                                classes: Sequence[int] = ()) -> None:
    """Refuse a catalogue of DATA_DIR that lies wholly off its mosaics; warn with the count of a partly off one.

    ``--init``, ``--add-user`` and ``--export`` read neither the pictures nor, before the export, the
    catalogue: a catalogue of another field was taken without a word (and a database made for it),
    where train refused the same inputs. The check is train's (:func:`starclass.cli._app.check_on_image`).
    A folder without a catalogue or mosaics is left to the steps that need them (an export copied
    to a laptop has no mosaics).
    """
    from starclass.inspect.field import (
        CATALOGUE_NAMES,
        PREDICTION_NAMES,
        find_file,
        mosaic_files,
        read_candidates,
        refuse_xy_off_sky,
        shown_v_band,
    )
    from starclass.io.catalog import place_on_mosaics
    from starclass.io.mosaic import read_mosaics
    from starclass.io.paths import resolved

    cat_path = find_file(data_dir, catalogue, CATALOGUE_NAMES, "catalogue")
    if cat_path is None:
        return
    pred_path = find_file(data_dir, predictions, PREDICTION_NAMES, "predictions")
    skip = {resolved(p) for p in (cat_path, pred_path) if p is not None}  # as load_field
    try:
        images = mosaic_files(data_dir, skip)
    except StarclassError:
        return
    mosaics = read_mosaics(images, require_zeropoint=False, warn_v_band=False)
    table = read_candidates(cat_path, require_xy=False, classes=classes)
    # the band serving will show as V: the catalogue's detect band where it records one
    _, note = shown_v_band(table, list(mosaics.bands), cat_path)
    if note is not None:
        warnings.warn(note, stacklevel=2)
    # a catalogue of another field whose x, y fall on these mosaics: refused here, as serving refuses it
    refuse_xy_off_sky(table, mosaics.wcs, cat_path)
    table = place_on_mosaics(table, mosaics, cat_path)
    check_on_image(table, mosaics.shape, f"catalogue {cat_path}", consequence=consequence,
                   action="label")


def _refuse_init_without_catalogue(data_dir: Path, catalogue, url: str) -> None:
    """Refuse ``--init`` with ``--add-user`` (or another account action) on a folder without a catalogue.

    Serving with --init refused such a folder before making the database, but ``inspect DIR --init
    --add-user ann`` made it, and serving and --export then refused the folder: a database for
    nothing. An existing SQLite database is left to the account actions (--init does nothing to
    it); a PostgreSQL URL cannot be looked at cheaply, so --init is refused there too.
    """
    from starclass.inspect.db import sqlite_path
    from starclass.inspect.field import CATALOGUE_NAMES, find_file

    if find_file(data_dir, catalogue, CATALOGUE_NAMES, "catalogue") is not None:
        return
    path = sqlite_path(url)
    if path is not None and path.exists():
        return
    written = Path(data_dir) / "candidates.ecsv"
    raise StarclassError(
        f"no candidate catalogue in {data_dir} (looked for {', '.join(CATALOGUE_NAMES)}): --init makes the "
        "label database of a field's candidates, so it needs them; nothing was created. Write one with "
        f"{shown_command(f'starclass detect {shell_word(data_dir)} -o {shell_word(written)}')} or give "
        "--catalogue FILE, then run this again.")


def _refuse_task_path(task: str) -> None:
    """Refuse a file or folder given as ``--task`` with DATA_DIR, saying what the option takes there.

    With DATA_DIR the label scheme follows a preset's name (``m31*`` -> ``m31-check``); a task
    file names no scheme. ``inspect DIR --task my.yaml`` (and a file that is not there) said
    "has no label scheme", as for a preset without one.

    Examples
    --------
    >>> _refuse_task_path("m31-real")
    >>> try:
    ...     _refuse_task_path("runs/my-task.yaml")
    ... except StarclassError as exc:
    ...     print(str(exc)[:61])
    --task runs/my-task.yaml: no such file; with DATA_DIR, --task
    """
    path = Path(task)
    # a preset name has no folder part and no .yaml ending; such a value was meant as a path. A bare
    # name is left to the preset check even where a folder of that name exists (a model folder
    # called legus4 must not hide the preset legus4)
    if not (path.suffix.lower() in (".yaml", ".yml") or len(path.parts) > 1):
        return
    from starclass.inspect.schemes import SCHEMES, TASK_SCHEMES

    what = "is a folder" if path.is_dir() else "is a file" if path.exists() else ": no such file"
    raise StarclassError(
        f"--task {task}{'' if what.startswith(':') else ' '}{what}; with DATA_DIR, --task takes a task preset "
        f"name ({', '.join(f'{f}*' for f in TASK_SCHEMES)}), whose family gives the label scheme. For a task "
        f"file or model folder give --scheme ({', '.join(SCHEMES)}) instead of --task, or serve its cutouts "
        "with --stamps LIST --task FILE, where the task's classes are the keys.")


def _check_stamps_options(data_dir, stamps: Path, catalogue, flags, export: Path | None) -> None:
    """``--stamps``: refuse what applies to a data directory only, and a missing list, before any work.

    A missing ``--task`` is refused later (:func:`_recorded_task`): the database may record it.
    """
    if data_dir is not None:
        raise StarclassError(f"give DATA_DIR ({data_dir}) or --stamps ({stamps}), not both")
    if catalogue is not None:
        raise StarclassError("--catalogue applies to DATA_DIR; with --stamps every file of the list is a candidate")
    if flags is not None:
        raise StarclassError(f"{flags_option(flags.mask_extension, flags.dq_good_bits, flags.mask_file)} applies to "
                             "the mosaics of DATA_DIR, not to --stamps")
    if not stamps.exists():
        raise StarclassError(f"--stamps {stamps}: no such file or directory")
    if export is not None and Path(export).suffix.lower() != ".csv":
        # train --stamps reads a CSV of cutouts: another format would need converting first
        raise StarclassError(f"--export {export}: with --stamps the export is a cutout CSV for train --stamps; "
                             "give a name ending in .csv")


NEEDS_TASK = ("--stamps needs --task: the task (preset, task file or model folder) whose classes people give, "
              "e.g. --task m31-real")


def _recorded_task(url: str, dataset: str, stamps: Path | None = None) -> tuple[str, object | None, str]:
    """``--stamps`` without ``--task``: the task whose scheme the label database records for ``dataset``.

    The first server records its scheme (``task:m31-real``), so an export of the same labels
    needs no ``--task`` to know their classes. A task that is no preset (a task file's, a model
    folder's) is not known by its name: the model a ``classify --stamps`` list records (meta
    ``model``, :func:`_list_model`) gives it when it is still there and its task is the recorded
    one. A database that records the whole task (``label_task_configs``: ``inspect --stamps --init``
    and every server since 2026-12-07) gives it, whatever it is. Refused, naming what to give, where
    nothing is recorded for the dataset (the datasets that are, with their schemes, are the choices),
    where the scheme names no task (``phangs``), or where its task is no preset and neither the
    database nor the list's model gives it.

    Returns
    -------
    tuple
        The ``--task`` value, the task made from the database's record (a ``TaskConfig``; None: make
        it from the value) and the line saying where it came from.
    """
    from starclass.inspect import db as dbm
    from starclass.inspect.schemes import TASK_SCHEME_PREFIX, task_of
    from starclass.learn.config import PRESETS

    path = dbm.sqlite_path(url)
    if path is not None and not path.exists():
        # the first run's --init makes the database and records the task (--task, else the list's labels): a
        # served list without one was told "--stamps needs --task", and with --task then "pass --init"
        raise StarclassError(f"no label database at {path}: the first run, with --init, makes it and records the "
                             "task whose classes people give (--task TASK, else the list's own labels)")
    engine = dbm.make_engine(url, create=False)
    try:
        have = dbm.dataset_scheme(engine, dataset)
        recorded = dbm.dataset_schemes(engine)
        config = dbm.dataset_task_config(engine, dataset)  # read only: an older database has none
    except StarclassError:
        raise
    except Exception as exc:  # not a label database, connection refused ...
        raise StarclassError(dbm.open_error_message(url, exc)) from None
    finally:
        engine.dispose()
    def which(key: str) -> str:
        return f"dataset {key!r}" if key else "the default dataset"

    where = f"--stamps without --task: the label database {dbm.redact(url)}"
    if have is None:
        others = ", ".join(f"--dataset {k!r} ({which(k)}: {v})" if k else f"the default dataset ({v})"
                           for k, v in sorted(recorded.items()))
        raise StarclassError(f"{where} records no label scheme for {which(dataset)}"
                             + (f" (only for {others})" if others else "")
                             + "; give --task, the task whose classes people give (e.g. --task m31-real)"
                             + (", or the --dataset whose labels to use" if others else ""))
    if not have.lower().startswith(TASK_SCHEME_PREFIX):
        raise StarclassError(f"{where} records label scheme {have} for {which(dataset)}, which names no task; give "
                             f"--task TASK --scheme {have}")
    task = task_of(have)  # whole, where the database records it beside a name cut to 32 characters
    cut = f", task {task}" if task != have[len(TASK_SCHEME_PREFIX):] else ""
    said = f"the label scheme the database records ({have}{cut})"
    if task.lower() in PRESETS.names():
        return task, None, f"--task {task}: {said}"
    model, why = _list_model(stamps, have) if stamps is not None else (None, "")
    if model is not None:
        return str(model), None, (f"--task {model}: the model {stamps} was classified with (its meta 'model'), "
                                  f"whose task is {said}")
    made = _recorded_config(config, have) if config is not None else None
    if made is not None:
        # the task the labels were given in, as recorded by --init or the first server: a task file gone alike
        # not "--task NAME: ...": the name is no preset, so --task NAME would be refused; nothing is to be typed
        return task, made, (f"--stamps without --task: task {task} ({made.description}) as the label database "
                            f"records it, with its whole config (scheme {have}); nothing to give")
    # the database holds the scheme's name only (32 characters), not the file or folder it came from
    raise StarclassError(f"{where} records label scheme {have} for {which(dataset)}, and task {task} is no "
                         f"preset; give --task with its task file or model folder{why}")


def _database_tasks(url: str, dataset: str) -> list[tuple[str, object]]:
    """The task a label database records for ``dataset`` as a ``(where, task)`` pair for ``task_option``.

    Empty where there is no such database, it cannot be read (serving or the export names why) or it
    records no whole task for the dataset.

    Examples
    --------
    >>> _database_tasks("sqlite:///no/such/inspect.sqlite", "")
    []
    """
    from starclass.inspect import db as dbm
    from starclass.learn.config import TaskConfig

    path = dbm.sqlite_path(url)
    if path is not None and not path.is_file():
        return []
    engine = dbm.make_engine(url, create=False)
    try:
        config = dbm.dataset_task_config(engine, dataset)
        made = None if config is None else TaskConfig.from_dict(config)
    except Exception:  # not a label database, or a record another version wrote: named where it is read
        return []
    finally:
        engine.dispose()
    return [] if made is None else [(f"the label database {dbm.redact(url)}", made)]


def _recorded_config(config: dict, scheme: str):
    """The task a label database records for a scheme (``TaskConfig``), or None where it is not that scheme's.

    A record that no longer reads as a task (written by another version) is None: the task is then
    asked for by its name, as before the record.
    """
    from starclass.inspect.schemes import task_scheme_name
    from starclass.learn.config import TaskConfig

    try:
        cfg = TaskConfig.from_dict(config)
    except (StarclassError, TypeError, ValueError, KeyError):
        return None
    return cfg if task_scheme_name(cfg.name).lower() == scheme.lower() else None


def _labels_task(stamps: Path, dataset: str = ""):
    """``inspect --stamps LIST --init`` without ``--task``: a task whose classes are the list's own labels.

    Its classes are the list's label strings, sorted (1 = the first), each named and written back
    by ``--export`` as written in the list; a list of class numbers (1-9) keeps them, without a
    label map. The rest is ``m31-real``'s (a single-band cutout task; a list's ``file_<band>`` columns
    give its bands), named ``<list>-labels``. None for a list without labels: the task must be given.

    Parameters
    ----------
    stamps : pathlib.Path
        The list (``--stamps``).
    dataset : str
        The ``--dataset`` key, named in the task's description.

    Returns
    -------
    starclass.learn.config.TaskConfig or None

    Raises
    ------
    StarclassError
        More labels than the page has keys (9).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "round1.csv"
    >>> _ = p.write_text("file,label\\na.png,star\\nb.png,cluster\\nc.png,star\\n")
    >>> cfg = _labels_task(p)
    >>> cfg.name, cfg.classes, cfg.label_map
    ('round1-labels', [1, 2], {'cluster': 1, 'star': 2})
    """
    from starclass.io.cutout_folders import cutout_list_path, listed_labels
    from starclass.io.paths import resolved
    from starclass.learn.config import get_preset

    labels = sorted(set(listed_labels(stamps)), key=lambda v: (v.casefold(), v))
    if not labels:
        return None
    where = cutout_list_path(stamps)
    if all(v.isdigit() and 1 <= int(v) <= 9 for v in labels):
        # class numbers (a task without a label map reads them as classes)
        classes = sorted({int(v) for v in labels})
        names, label_map = [f"class {k}" for k in classes], {}
    else:
        if len(labels) > 9:
            raise StarclassError(f"--stamps {stamps}: {len(labels)} labels ({', '.join(labels[:12])}"
                                 f"{', ...' if len(labels) > 12 else ''}), more than the page's 9 keys: give --task, "
                                 "a task file whose label_map sends them to at most 9 classes")
        classes = list(range(1, len(labels) + 1))
        names, label_map = list(labels), {v: k for k, v in zip(classes, labels)}
    stem = resolved(where).parent.name if where.name.lower().startswith("labels.") else where.name.split(".")[0]
    base = get_preset("m31-real")
    heads = [c[5:] for c in _list_header(where) if c.lower().startswith("file_")]
    return base.copy(name=f"{stem or 'cutouts'}-labels", bands=heads or list(base.bands), classes=classes,
                     class_names=names, label_map=label_map, positive_class=classes[0],
                     description=f"the labels of {where}" + (f" (dataset {dataset!r})" if dataset else ""))


def _list_header(path: Path) -> list[str]:
    """A cutout CSV's column names ([] for a directory or a list that is no CSV: its reader names what is wrong)."""
    from starclass.io.cutout_folders import read_csv_rows

    if not path.is_file():
        return []
    try:
        return read_csv_rows(path)[0]
    except StarclassError:
        return []


def _list_model(stamps: Path, scheme: str) -> tuple[Path | None, str]:
    """The model a cutout list records (``classify --stamps`` / ``suggest`` meta ``model``) whose task has ``scheme``.

    ``(path, "")`` when the model is still there and its task's scheme name is ``scheme``; else
    ``(None, why)``, ``why`` a clause saying what the list named (empty when it names none: a
    plain CSV keeps no meta). A relative path is tried from here, then from the list's folder.

    Examples
    --------
    >>> _list_model(Path("no/such/list.csv"), "task:m31-real-2ep")
    (None, '')
    """
    from starclass.cli.next_steps import found_model, model_text
    from starclass.inspect.schemes import task_scheme_name
    from starclass.io.compressed_text import table_suffix

    # a plain CSV keeps no meta, kept compressed (labels.csv.gz) or not
    if not stamps.is_file() or table_suffix(stamps) == ".csv":
        return None, ""
    try:
        from starclass.io.cutout_output import cutout_output_format, read_table_as

        # read as the list itself is read (read_cutout_list): astropy told no format from classified.ecsv.gz,
        # so the model that list names was not found and the export without --task was refused
        meta = read_table_as(stamps, cutout_output_format(stamps)).meta
        named = meta.get("model", meta.get("MODEL"))  # a FITS header keeps its keys in capitals
    except Exception:  # the list is read (and its errors named) later, by the export or the server
        return None, ""
    named = model_text(named)  # None for "(in memory)"
    if named is None:
        return None, ""
    found = found_model(named, stamps.parent)  # the field export's rule (next_steps.catalogue_model)
    if found is None:
        return None, f" ({stamps} names model {model_word(named)}, which is no longer there)"
    try:
        cfg = task_option(str(found))
    except StarclassError as exc:
        return None, f" ({stamps} names model {model_word(named)}, which cannot be read: {exc})"
    if task_scheme_name(cfg.name).lower() != scheme.lower():
        return None, f" ({stamps} names model {model_word(named)}, whose task is {cfg.name}, not the recorded one)"
    return found, ""


def _export_stamps(engine, stamps: Path, cfg, export: Path, *, dataset: str, summary, include_unlabelled: bool,
                   scheme, overwrite: bool, file_column: str | None = None, write_task: bool = False) -> None:
    """``--stamps ... --export OUT.csv``: the labels as a cutout CSV that ``train --stamps`` reads as it is.

    ``write_task``: the task is known to the label database alone (the list's own labels, or a task file that
    has gone): it is written beside the export as ``OUT.task.yaml``, the ``--task`` a first ``train`` reads
    them with (no preset's ``label_map`` may read the list's labels, and no file held the task).
    """
    import shlex

    from starclass.inspect.cutouts import export_catalogue, read_cutout_list
    from starclass.inspect.export import export_labels
    from starclass.inspect.schemes import label_strings
    from starclass.io.cutout_folders import cutout_list_path
    from starclass.io.paths import check_distinct_outputs, check_output, resolved

    db_file = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    inputs = [cutout_list_path(stamps), db_file or None]  # a folder's labels.csv, else its labels.csv.gz
    check_output(export, inputs, option="--export", overwrite=overwrite, file=True)
    check_output(summary, inputs, option="--summary", overwrite=overwrite, file=True)
    task_file = Path(export).with_suffix(".task.yaml") if write_task else None
    check_output(task_file, inputs, option="--export's task file", overwrite=overwrite, file=True)
    check_distinct_outputs([("--export", export), ("--summary", summary), ("--export's task file", task_file)])
    lst = read_cutout_list(stamps, cfg, file_column=file_column)
    out = export_labels(engine, dataset, export_catalogue(lst, export), export,
                        include_unlabelled=include_unlabelled, summary_path=summary, scheme=scheme,
                        overwrite=overwrite, label_strings=label_strings(cfg), noun="cutout")
    _report_export(out, export, row_noun(True))
    # the export keeps the list's 'filename': train reads it only when told so
    one = lst.file_columns[0] if len(lst.file_columns) == 1 else "file"
    files_option = "" if one == "file" or one.lower().startswith("file_") else f" --file-column {shlex.quote(one)}"
    # --resume-from takes the model's own task (and label map): no --task to get wrong. With the cutouts labelled
    # so far beside the export, as suggest's line gives it: on one round's 10 PAndAS labels alone (9 clusters, 1
    # galaxy) a 2-epoch fine-tune called all 175 test cutouts clusters, 0.566 where it gave 0.783 with them.
    # The model the list was classified with (its meta 'model', of this task) is named: the line said MODEL even
    # then, as the field export did until 2026-12-07
    from starclass.inspect.schemes import task_scheme_name
    from starclass.io.paths import short_path

    found, why = _list_model(stamps, task_scheme_name(cfg.name))
    model = "MODEL" if found is None else short_path(found)
    shown = shlex.quote(model)
    echo(f"{_export_files_note(out, resolved(export).parent)}; fine-tune with these labels and the cutouts labelled "
         f"so far (SO_FAR.csv: the cutouts {shown} was trained on and earlier rounds'; on a round's labels alone a "
         f"fine-tune can forget what {shown} learnt): starclass train --stamps SO_FAR.csv --stamps "
         f"{shlex.quote(str(export))}{files_option} --resume-from {shown} -o {shlex.quote(new_model_name(model))}"
         f"{f' (MODEL: {why[2:]}' if why else ''}")
    if task_file is not None:
        from starclass.learn.config import save_config

        # the task of these labels was in the database only: 'train --stamps OUT.csv' had no --task that reads them
        save_config(cfg, task_file, overwrite=True)  # checked with the export above
        echo(f"task {cfg.name} (the classes these labels were given in, recorded in the label database) written to "
             f"{task_file}; train a first model on them with: starclass train --task {shlex.quote(str(task_file))} "
             f"--stamps {shlex.quote(str(export))}{files_option} -o {shlex.quote(free_name('model'))}")


def _export_files_note(out, folder: Path) -> str:
    """What the export's ``file`` paths are relative to: said only of relative ones.

    A list naming its cutouts by absolute paths is exported with them absolute, and the line said
    "file is relative to FOLDER" all the same (the PAndAS loop of 2026-12-05, every path absolute).

    Examples
    --------
    >>> from astropy.table import Table
    >>> _export_files_note(Table({"file": ["img/a.png"]}), Path("/r"))
    'file is relative to /r'
    >>> _export_files_note(Table({"file": ["/d/a.png", "/d/b.png"]}), Path("/r"))
    'file holds absolute paths'
    >>> _export_files_note(Table({"file": ["/d/a.png", "b.png"]}), Path("/r"))
    'file is absolute for 1 row and relative to /r for 1'
    """
    cols = [c for c in ("file", *[c for c in out.colnames if c.lower().startswith("file_")]) if c in out.colnames]
    if not cols or not len(out):
        return f"file is relative to {folder}"
    cells = [str(v).strip() for v in out[cols[0]]]
    absolute = sum(os.path.isabs(c) for c in cells)
    if absolute == len(cells):
        return f"{cols[0]} holds absolute paths"
    if absolute == 0:
        return f"{cols[0]} is relative to {folder}"
    return (f"{cols[0]} is absolute for {counted(absolute, 'row')} and relative to {folder} for "
            f"{len(cells) - absolute}")


def _bound_port(ctx: typer.Context, host: str, port: int) -> socket.socket:
    """The socket serving listens on, bound to ``--host``/``--port`` before the label database is opened.

    A port in use (or a host that is no address here) is refused before any line and before
    ``--init`` makes a database; the server runs on this socket. The bind needs the standard
    library alone (:mod:`starclass.inspect.listen`): FastAPI and uvicorn come after the notes.
    The socket is closed when the command's context ends (``ctx``), whichever way the command ends.
    """
    from starclass.inspect import listen

    sock = listen.listening_socket(host, port)
    ctx.call_on_close(sock.close)
    return sock


def inspect_words(data_dir: Path | None, catalogue: Path | None, stamps: Path | None, task: str | None,
                  db: str | None = None, *, task_recorded: bool = False) -> str:
    """The candidates and the database of an ``inspect`` command line, as the user gave them (shell words).

    With ``--stamps`` the task is named (``--task TASK`` where none was given) unless ``task_recorded``: the
    label database records it (``--init`` with ``--stamps``), and the server takes it from there.

    Examples
    --------
    >>> inspect_words(Path("field"), None, None, None)
    'field'
    >>> inspect_words(None, None, Path("my cuts/labels.csv"), "m31-real", "sqlite:///l.sqlite")
    "--stamps 'my cuts/labels.csv' --task m31-real --db sqlite:///l.sqlite"
    """
    if stamps is not None:
        where = f"--stamps {shell_word(stamps)}" + (f" --task {shell_word(task)}" if task else
                                                     "" if task_recorded else " --task TASK")
    else:
        where = shell_word(data_dir) + (f" --catalogue {shell_word(catalogue)}" if catalogue is not None else "")
    return where + (f" --db {shell_word(db)}" if db else "")


def _refuse_export_without_database(url: str, data_dir: Path | None, catalogue: Path | None, stamps: Path | None,
                                    task: str | None, db: str | None = None) -> None:
    """Refuse ``--export`` where no SQLite label database exists: nothing was labelled there, so say how to label.

    It said "no label database at ...; pass --init to create a new one there", and with --init the export of
    the new, empty database was then refused as holding no labels: --init does not make labels. The line now
    says that there are none, that --db names a database kept elsewhere, and the commands that make and
    serve one. The commands carry the ``--db`` given: without it they made and served a database beside the
    data, not the one named.
    """
    from starclass.inspect import db as dbm

    path = dbm.sqlite_path(url)
    if path is None or path.exists():
        return
    init_task = ""  # what --init needs beyond the served list: the task, where nothing else gives it
    if stamps is not None:
        if not task:
            # --init records the list's own labels as the task, and later runs take the recorded one: "--task
            # TASK" was asked for a labelled list (and for the server, which never needs it then)
            try:
                own = _labels_task(stamps)
            except StarclassError:  # more labels than keys: --init says so, with its own words
                own = None
            init_task = "" if own is not None else " --task TASK"
        rows = "cutouts"
    else:
        rows = "candidates"
    # task_recorded: the serve command never needs --task TASK here (see init_task above)
    where = inspect_words(data_dir, catalogue, stamps, task, db, task_recorded=True)
    raise StarclassError(
        f"no label database at {path}, so no labels to export: nobody has labelled these {rows} with "
        f"'starclass inspect' yet, or the labels are in another database (give it as --db); to label them, "
        f"make the database and an account "
        f"({shown_command(f'starclass inspect {where}{init_task} --init --add-user NAME')}), "
        f"serve the page ({shown_command(f'starclass inspect {where}')}), then export")


# a signal while it serves stops the server (serve returns and says so); one before it serves (reading the
# field, an export) is said as every command says it: it was silent, exit 143 or 130 without a word
@command("inspect")
def inspect_command(
    ctx: typer.Context,
    data_dir: Path = typer.Argument(None, help="Folder with one FITS mosaic per band and candidates.ecsv "
                                              "(optionally predictions.ecsv); or give --stamps instead."),
    stamps: Path = typer.Option(None, "--stamps", help="A cutout folder to serve instead of DATA_DIR: a CSV of files "
                                "(and labels), an ImageFolder directory, or a 'classify --stamps' / "
                                "'suggest' output of one. --init records the task of --task, else of the list's own "
                                "labels (later runs take the recorded task); --export: a CSV for 'train "
                                "--stamps'."),
    host: str = typer.Option("127.0.0.1", help="Address to bind; the default is reachable only from "
                                               "this machine."),
    # starclass.inspect.listen.DEFAULT_PORT, not imported here: the inspect package loads astropy (~1 s)
    port: int = typer.Option(8000, min=1, max=65535, help="TCP port (1-65535)."),
    db: str = typer.Option(None, "--db", help="Database URL: sqlite:///path.sqlite (default "
                                              "DATA_DIR/inspect.sqlite; --stamps: inspect.sqlite beside the "
                                              "list) or postgresql://user:pw@host/name."),
    # -c as detect, cutouts, train, classify and calibrate spell it (until 2026-12-07 inspect had none)
    catalogue: Path = typer.Option(None, "--catalogue", "--catalog", "-c",
                                   help="Candidate catalogue (default DATA_DIR/candidates.*)."),
    predictions: Path = typer.Option(None, help="Model predictions (default DATA_DIR/predictions.* or "
                                                "the catalogue's prob_<k> columns; --stamps: a 'classify "
                                                "--stamps' output, matched by file)."),
    rgb: str = typer.Option(None, help="Bands shown as red,green,blue (default f814w,f555w,f336w "
                                       "or the nearest; --stamps: file_<band> bands or a FITS cube's named "
                                       "planes, e.g. z,r,g)."),
    # max: 'inf' passed min=0.1 and the page was served with a typical star of infinite FWHM
    star_fwhm: float = typer.Option(None, min=0.1, max=50.0,
                                    help="FWHM (px, 0.1-50) of the typical star drawn beside each profile "
                                         "(default: the V band's PSF)."),
    dataset: str = typer.Option("", help="Key separating the labels of several fields in one database."),
    add_user: str = typer.Option(None, "--add-user", help=f"Create an account and exit (password from "
                                                          f"${PASSWORD_ENV} or a prompt)."),
    admin: bool = typer.Option(False, "--admin", help="With --add-user: the account may see everyone's "
                                                      "history and the agreement summary."),
    set_password: str = typer.Option(None, "--set-password", help="Change an account's password and exit."),
    list_users: bool = typer.Option(False, "--list-users", help="List the accounts and exit."),
    export: Path = typer.Option(None, "--export", help="Write the labels as a catalogue (.ecsv, .fits, "
                                                       ".parquet, .csv; --stamps: a .csv that train --stamps "
                                                       "reads) for train/evaluate, and exit."),
    summary: Path = typer.Option(None, help="With --export: also write the agreement summary (JSON)."),
    include_unlabelled: bool = typer.Option(False, help="With --export: keep candidates nobody labelled "
                                                        "(class_ref 0)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace existing output files (--export, --summary, "
                                                              "--backup); without it they are kept."),
    prerender: bool = typer.Option(True, help="Render every candidate's pictures in the background "
                                              "after start-up."),
    secure_cookies: bool = typer.Option(False, "--secure-cookies", help="Mark cookies Secure on every "
                                        "answer (they are whenever a request comes over HTTPS or with "
                                        "X-Forwarded-Proto: https)."),
    init: bool = typer.Option(False, "--init", help="Create the label database if it does not exist (the "
                                                    "first run); without it a missing database is an error."),
    backup: Path = typer.Option(None, "--backup", help="Write a consistent copy of the SQLite database to this "
                                                       "file and exit (PostgreSQL: print the pg_dump command)."),
    scheme: str = typer.Option(None, "--scheme", help="Label scheme: phangs (classes 1-4, mode), m31-check "
                                                      "(scores 0/1/2 by two inspectors, summed 0-4) or "
                                                      "galaxy-cluster (classes 1-5, mode). Default: from "
                                                      "--task, else the dataset's, else phangs."),
    task: str = typer.Option(None, "--task", help="Task preset whose label scheme to use (legus4*, "
                                                  "phangs4* -> phangs; m31* -> m31-check; galaxy-cluster* -> "
                                                  "galaxy-cluster); not a file: with a task file give --scheme. "
                                                  "With --stamps: a preset, task file or model folder whose "
                                                  "classes are the keys (default: the database's; --init: the "
                                                  "list's labels)."),
    cluster_cut: int = typer.Option(None, "--cluster-cut", help="With --export, score schemes: the smallest "
                                                                "summed score that makes a cluster (m31-check: "
                                                                "default 3, the paper's 3 and 4)."),
    mask_extension: str = mask_extension_option("in the pictures served, and do not set their stretch"),
    dq_good_bits: str = DQ_GOOD_BITS_OPTION,
    mask_file: str | None = MASK_FILE_OPTION,
    file_column: str | None = FILE_COLUMN_OPTION,
) -> None:
    """Serve the web page where people classify candidates (the label scheme's keys: 1-4 with
    subclasses 4.1-4.12 for PHANGS, 0-2 scores for the M31 check, 1-5 for galaxy clusters).

    Accounts are made here by an administrator (--add-user NAME). Labels go to SQLite beside the
    data unless --db says otherwise; the first run creates the database with --init, and
    --backup FILE copies it. --export writes them as a catalogue with class_h<k>, the mode
    (class_ref, ties flagged) and agreement-weighted votes, or for score schemes score_h<k>,
    score_sum and class_ref from --cluster-cut; with the agreement of each pair of people
    (fraction agreeing, Cohen's kappa, cross-table).

    A cutout folder is served with --stamps LIST --task TASK instead of DATA_DIR (LIST: a CSV of
    file,label, an ImageFolder directory, or a classify --stamps / suggest output of one): the
    keys are the task's classes, and --export OUT.csv writes a cutout CSV that
    'train --stamps OUT.csv --resume-from MODEL' reads as it is.

    Examples: starclass inspect test/ --catalogue candidates.ecsv --init --add-user ann --admin; starclass inspect
    test/ --catalogue candidates.ecsv
    """
    flags = pixel_flags(mask_extension, dq_good_bits, mask_file)  # an expression astropy refuses: said before any work
    if flags is not None and (add_user or set_password or list_users or export or backup):
        # refused rather than ignored: only the pictures served show the mosaics
        raise StarclassError(f"{flags_option(mask_extension, dq_good_bits, mask_file)} applies to "
                             "the pictures served, not to --add-user, --set-password, --list-users, --export or "
                             "--backup")
    if file_column is not None and (add_user or set_password or list_users or backup):
        # these read no cutout file: the option was taken and ignored without a word
        which = next(o for o, v in (("--add-user", add_user), ("--set-password", set_password),
                                    ("--list-users", list_users), ("--backup", backup)) if v)
        raise StarclassError(f"--file-column {file_column!r} names the column of image files of a cutout CSV, and "
                             f"{which} reads none: it applies to serving --stamps and to --export")
    # accounts and backups need only the database beside the list; serving and --export need the task's classes
    needs_task = not (add_user or set_password or list_users or backup)
    if stamps is not None:
        _check_stamps_options(data_dir, stamps, catalogue, flags, export)
    elif file_column is not None:
        # DATA_DIR's candidates are a catalogue of positions: the option would be ignored without a word
        raise StarclassError(f"--file-column {file_column!r} names the column of image files of a cutout CSV: it "
                             "applies with --stamps")
    elif data_dir is None:
        raise StarclassError("give DATA_DIR (a folder of FITS mosaics and candidates) or --stamps (a cutout folder)")
    # options that apply only with another: refused before SQLAlchemy and the field load (1-2 s on shared cores)
    if cluster_cut is not None and not export:
        raise StarclassError("--cluster-cut applies to --export")
    # refused like --cluster-cut: without --export, --summary FILE started the server and wrote nothing
    for option, given in (("--summary", summary is not None), ("--include-unlabelled", include_unlabelled)):
        if given and not export:
            raise StarclassError(f"{option} applies to --export")
    if admin and not add_user:
        raise StarclassError("--admin applies to --add-user (an existing account stays as it is)")
    if export is not None and stamps is None and not Path(export).exists():
        from starclass.io.catalog import catalog_format

        # the name's format before the field and the labels are read (a few seconds); found by the writer, the
        # refusal named the hidden temporary it was handed (/data/.labels.txt.dd_kz4dl.txt), not labels.txt.
        # An existing file is left to the output checks: an export onto the database or the catalogue is
        # refused as one of the command's inputs, which matters more than its suffix (export_labels still
        # checks the format before any work)
        catalog_format(export)
    require_extra("web", WEB_MODULES, "inspect")
    serving = not (add_user or set_password or list_users or export or backup)
    # serving: the port bound before any line and before --init makes anything (the server bound it last: with
    # the port taken, "no accounts yet" and "labels in ..." were printed and --init left a new database behind)
    sock = _bound_port(ctx, host, port) if serving else None
    if sock is not None:
        from starclass.io.progress import say_step

        # serving, at a terminal: a line before the label database (SQLAlchemy) and the field load, where nothing
        # was said for 2-3 s on shared cores until the notes; a log file gets the server's own lines, as before
        say_step(f"inspect: opening the label database and loading {stamps if stamps is not None else data_dir} ...",
                 show_progress(None))
    else:
        from starclass.io.progress import say_step

        # an account, an export, a backup: 'inspect DATA_DIR --init --add-user ann --admin' said nothing for ~14 s on
        # shared cores (the catalogue read and checked on the mosaics before --init makes the database, SQLAlchemy,
        # the password hash); at a terminal a line says what it is doing first, a log file gets the result alone
        if stamps is None and (init or add_user or export):
            doing = f"checking the catalogue of {data_dir} against its mosaics, then opening the label database"
        elif stamps is not None:
            doing = f"reading {stamps} and opening the label database"
        else:
            doing = "opening the label database"
        say_step(f"inspect: {doing} ...", show_progress(None))
    # the web stack is optional, so it is imported only once it is known to be there; found is not importable
    with importing_extra("web", WEB_MODULES, "inspect"):
        from starclass.inspect import db as dbm
        from starclass.inspect.schemes import get_scheme, scheme_for_task

    probe = None
    if serving:
        # the server's modules imported by a child while this one reads the database and the field, checked before
        # the database is made or upgraded and before any line on stdout: a broken uvicorn was found by the import
        # after the notes, with --init's new inspect.sqlite left behind, and without --init an older schema
        # upgraded. Not imported here: "no accounts yet" would wait ~1.3 s for them. After the database layer's
        # import: the child then imports only what this process has not (SQLAlchemy and argon2 are imported)
        probe = ImportProbe("web", WEB_MODULES, "inspect")
        ctx.call_on_close(probe.close)

    dbm.check_keys(dataset)  # PostgreSQL refused a longer one with a DataError, SQLite stored it
    # serving: the notes of reading the field (and the task the database recorded) are said once nothing is left
    # to refuse; said as they came, a broken web extra or another field's database was refused after them
    notes: list[str] = []
    say = notes.append if serving else echo

    cfg = None
    classes: tuple[int, ...] = ()  # with DATA_DIR: the --task preset's classes, below
    task_given = bool(task)
    task_in_db = False  # the task made from the list's labels or the database's record: in no file
    # --init with --stamps records the task of the labels (from --task, else the list's labels) whatever the
    # action: 'inspect --stamps L --init --add-user ann' made a database that recorded none, and the export
    # without --task was then refused
    records_task = stamps is not None and init and backup is None
    if stamps is not None and not task and records_task:
        cfg = _labels_task(stamps, dataset)
        if cfg is None and needs_task:
            raise StarclassError(f"{NEEDS_TASK} (the list {stamps} has no labels to take the classes from)")
        if cfg is not None:
            task, task_in_db = cfg.name, True
            pairs = ", ".join(f"{k} = {v}" for k, v in zip(cfg.classes, cfg.label_map or cfg.class_names))
            say(f"--stamps without --task: the classes of the list's labels ({pairs}), task {cfg.name}, recorded "
                "in the label database (give --task to label in a task's classes)")
    elif stamps is not None and needs_task and not task:
        from starclass.io.paths import resolved  # not Path.resolve: a link loop there was a RuntimeError traceback

        # the database records the scheme of its labels: an export (or a later server) can take it from there
        folder = stamps if stamps.is_dir() else stamps.parent
        where = db or f"sqlite:///{resolved(folder / 'inspect.sqlite')}"
        if export is not None and not init:
            # as an export with --task is refused where there is no database (no labels, how to label): without
            # --task it said the older "the first run, with --init, makes it ..." of a server (until 2026-12-07)
            _refuse_export_without_database(where, None, None, stamps, None, db)
        task, cfg, line = _recorded_task(where, dataset, stamps)
        task_in_db = cfg is not None and cfg.preset_name is None
        say(line)
    if stamps is not None:
        from starclass.inspect.cutouts import stamps_scheme

        # an unknown task is named here, before any database or picture
        if cfg is None and task and (needs_task or records_task):
            from starclass.io.paths import resolved

            # by name also the task the label database records (one made from the list's labels or a task file)
            where = db or f"sqlite:///{resolved((stamps if stamps.is_dir() else stamps.parent) / 'inspect.sqlite')}"
            cfg = task_option(task, recorded=lambda: _database_tasks(where, dataset))
        asked = stamps_scheme(cfg, scheme) if cfg is not None else None
        # the database and the picture cache go beside the list, as beside a data directory
        data_dir = stamps if stamps.is_dir() else stamps.parent
    else:
        asked = get_scheme(scheme) if scheme else None
    if task and stamps is None:
        _refuse_task_path(task)
        try:
            from_task = scheme_for_task(task)
        except StarclassError as exc:
            # the library says "task 'x' has no label scheme": the option is what the user typed
            raise StarclassError(f"--{exc}") from None
        if asked is not None and asked.name != from_task.name:
            raise StarclassError(f"--scheme {asked.name} differs from the scheme of --task {task} "
                                 f"({from_task.name}); give one of them")
        asked = from_task
        # the preset's classes, which the candidates and predictions may hold (as train and evaluate read them)
        classes = task_option(task).catalogue_classes

    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise StarclassError(f"data directory {data_dir} does not exist")
    from starclass.io.paths import resolved  # not Path.resolve: a link loop there was a RuntimeError traceback

    url = db or f"sqlite:///{resolved(data_dir / 'inspect.sqlite')}"
    if init:
        dbm.refuse_empty_foreign_file(url)  # before the field is read: SQLite takes any empty file for a new database
    if backup is not None:
        path = dbm.sqlite_path(url)
        if path is not None and not path.exists():
            raise StarclassError(f"nothing to back up: no label database at {path}")
        # the files this command names or serves are inputs: --overwrite replaced a --catalogue
        # or a mosaic given as --backup with the database's bytes
        from starclass.inspect.field import CATALOGUE_NAMES, PREDICTION_NAMES, find_file
        from starclass.io.mosaic import is_fits_name
        from starclass.io.paths import input_clash

        named = [catalogue, predictions, stamps]
        if stamps is None:  # the default catalogue, predictions and the mosaics (a backup kept there is not one)
            named += [find_file(data_dir, catalogue, CATALOGUE_NAMES, "catalogue"),
                      find_file(data_dir, predictions, PREDICTION_NAMES, "predictions"),
                      *(p for p in data_dir.iterdir() if p.is_file() and is_fits_name(p))]
        clash = input_clash(backup, named)
        if clash is not None:
            raise StarclassError(f"--backup {backup} is {clash}, an input of this field; name another file "
                                 "(nothing was written)")
        engine = dbm.make_engine(url, create=False)
        try:
            if engine.dialect.name == "sqlite":
                # as serving and --export refuse it (48cbc87): another program's SQLite file (a typo'd --db)
                # was copied and reported as 'a backup of' the label database
                try:
                    dbm.check_ours(engine)
                except StarclassError:
                    raise
                except Exception as exc:  # not a SQLite file at all: named as serving names it (272a44c)
                    raise StarclassError(dbm.open_error_message(url, exc)) from None
            _backup(engine, backup, overwrite)
        finally:
            engine.dispose()
        return
    # --init and serving: the data are read (and refused) before the database is made, so that a
    # folder without a catalogue leaves no new, empty inspect.sqlite behind
    field = (_load_field(data_dir, catalogue, predictions, rgb, star_fwhm, dataset, flags, stamps, cfg,
                         file_column, classes, say=say)
             if serving and init else None)
    if stamps is None and not serving and init:
        _refuse_init_without_catalogue(data_dir, catalogue, url)
    if stamps is None and not serving and (init or add_user or export):
        # before any database is made or a password asked for
        _check_catalogue_on_mosaics(data_dir, catalogue, predictions,
                                    consequence="their pictures are blank, so they cannot be labelled", classes=classes)
    new_user = password = None
    if add_user:
        # the name and the password are checked (the password asked for) before any database is made:
        # 'inspect DIR --init --add-user "Ann Lee"' refused the name after it had created inspect.sqlite
        from starclass.inspect.passwords import check_new_password

        new_user = dbm.user_name(add_user)
        password = _password(new_user)
        check_new_password(new_user, password)
    if probe is not None and init:
        probe.check()  # before the database is made, and before any line on stdout
    if export is not None and not init:
        _refuse_export_without_database(url, data_dir, catalogue, stamps, task if task_given else None, db)
    if export is not None and init:
        # the export's paths checked before --init makes the database: 'inspect F --init --export DIR' refused
        # "--export DIR is a folder" (or an existing file without --overwrite) with a new inspect.sqlite left
        # behind. The same checks, on the same inputs, as the export's own below
        from starclass.io.paths import check_output

        if stamps is None:
            from starclass.inspect.field import CATALOGUE_NAMES, find_file

            early = [find_file(data_dir, catalogue, CATALOGUE_NAMES, "catalogue"), dbm.sqlite_path(url)]
        else:
            from starclass.io.cutout_folders import cutout_list_path

            early = [cutout_list_path(stamps), dbm.sqlite_path(url)]
        for option, path in (("--export", export), ("--summary", summary)):
            check_output(path, early, option=option, overwrite=overwrite, file=True)
    # never a new database unless asked: a deleted one must not come back empty without a word
    engine = dbm.make_engine(url, create=init)
    # pooled SQLite connections hold the -wal/-shm files open: left to the garbage collector they
    # outlived the command (SQLAlchemy 2.1), owned by whoever ran it, and another account could
    # then not open the database even to read it
    try:
        writes = not (list_users or export)
        try:
            if writes:  # before the first login finds out, with a 500
                dbm.check_writable(engine)
            if serving:
                # refused as init_db refuses it, read only: made or upgraded below, once the field is checked
                dbm.check_version(engine, create=init)
            else:
                version = dbm.init_db(engine, create=init)
        except StarclassError:
            raise
        except Exception as exc:  # connection refused, bad credentials ...
            raise StarclassError(dbm.open_error_message(url, exc)) from None

        if records_task and writes and not serving and asked is not None:
            # the server binds its scheme when it starts; an account made first records it here, so that
            # the export and later servers take the task from the database
            dbm.bind_scheme(engine, dataset, asked)
        if add_user:
            uid = dbm.add_user(engine, new_user, password, admin=admin)
            echo(f"created user {new_user} (id {uid}{', admin' if admin else ''}) in {dbm.redact(url)}")
            # it ended there, and how to serve the page the account logs in to was left to the docs
            words = inspect_words(data_dir, catalogue, stamps, task if task_given else None, db,
                                  task_recorded=records_task)
            serve = shown_command(f"starclass inspect {words}")
            echo(f"next: serve the labelling page with {serve} and log in as {new_user} "
                 "(--host and --port choose where it listens)")
            return
        if set_password:
            # the account is looked up before its new password is asked for (twice): 'no user' came after both
            import unicodedata

            wanted = unicodedata.normalize("NFC", set_password).strip()  # as set_password looks it up
            if wanted not in {u["name"] for u in dbm.list_users(engine)}:
                raise StarclassError(f"no user {wanted!r} in {dbm.redact(url)}; the accounts are listed by "
                                     "--list-users, and --add-user NAME makes one")
            dbm.set_password(engine, set_password, _password(set_password))
            echo(f"password of {set_password} changed; their sessions were closed")
            return
        if list_users:
            people = dbm.list_users(engine)
            if people:
                # a header over the columns: the rows alone ("   1  dana  (admin)") left the number unnamed
                width = max(len("name"), *(len(u["name"]) for u in people))
                echo(f"{'id':>4}  {'name':<{width}}  admin")
            for u in people:
                echo(f"{u['id']:4d}  {u['name']:<{width}}  {'yes' if u['is_admin'] else 'no'}".rstrip())
            if not people:  # it printed nothing, as if the command had not run
                echo(f"no accounts in {dbm.redact(url)} yet: add one with --add-user NAME (--admin for an "
                     "administrator)")
            return
        if export and stamps is not None:
            _export_stamps(engine, stamps, cfg, export, dataset=dataset, summary=summary, write_task=task_in_db,
                           include_unlabelled=include_unlabelled, scheme=asked, overwrite=overwrite,
                           file_column=file_column)
            return
        if export:
            # only --export reads the catalogue: inspect.export + field add 1.1 s (measured) to the database
            from starclass.inspect.export import export_labels
            from starclass.inspect.field import (
                CATALOGUE_NAMES,
                PREDICTION_NAMES,
                find_file,
                mosaic_files,
                mosaic_key,
                read_candidates,
            )
            from starclass.io.paths import check_distinct_outputs, check_output, resolved

            cat_path = find_file(data_dir, catalogue, CATALOGUE_NAMES, "catalogue")
            if cat_path is None:
                raise StarclassError(f"no candidate catalogue in {data_dir}")
            # the catalogue read and the SQLite database are inputs: an export onto them would lose them
            db_file = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
            inputs = [cat_path, db_file or None]
            check_output(export, inputs, option="--export", overwrite=overwrite, file=True)
            check_output(summary, inputs, option="--summary", overwrite=overwrite, file=True)
            check_distinct_outputs([("--export", export), ("--summary", summary)])
            # labels of another field under the same --dataset would be written as this one's; only
            # when a field is recorded: an export needs no mosaics (a catalogue and the database
            # copied to a laptop were refused "no FITS mosaics" once the field check came in)
            pred_path = find_file(data_dir, predictions, PREDICTION_NAMES, "predictions")
            skip = {resolved(p) for p in (cat_path, pred_path) if p is not None}  # as load_field
            if dbm.dataset_field(engine, dataset) is not None:
                try:
                    key = mosaic_key(mosaic_files(data_dir, skip))
                except StarclassError:
                    key = ""  # no mosaics here: nothing to tell the fields apart by, as before the check
                dbm.check_field(engine, dataset, key)
            out = export_labels(engine, dataset, read_candidates(cat_path, require_xy=False, classes=classes), export,
                                include_unlabelled=include_unlabelled, summary_path=summary,
                                scheme=asked, cluster_cut=cluster_cut, overwrite=overwrite)
            _report_export(out, export)
            if said := _field_export_next(out, data_dir, export, cat_path, _field_bands(data_dir, skip)):
                echo(said)
            return

        if field is None:
            field = _load_field(data_dir, catalogue, predictions, rgb, star_fwhm, dataset, flags, stamps, cfg,
                                file_column, classes, say=say)
        if probe is not None:
            probe.check()  # before the database is upgraded, and before any line on stdout
        # the server's refusals of another field or scheme, before its lines: "no accounts yet" and "labels
        # in ..." were printed on stdout, then create_app refused, and a script took them for a server starting.
        # Checked in the transaction that makes or upgrades the schema: a refusal leaves the database as it was.
        # The pictures' folder is made there too, after that check: one that cannot be made refuses the upgrade
        def check(conn) -> None:
            dbm.check_binding(conn, field.dataset, field.field_key, asked)
            field.cache.make_folder()

        try:
            version = dbm.init_db(engine, create=init, check=check)
        except StarclassError:
            raise
        except Exception as exc:  # the database went away or was locked meanwhile
            raise StarclassError(dbm.open_error_message(url, exc)) from None
        for note in notes:
            echo(note)
        if not dbm.list_users(engine):
            # --task only where it was given: a task of the list's labels or of the database is recorded there
            where = (f"--stamps {shell_word(stamps)}" + (f" --task {shell_word(task)}" if task_given else "")
                     if stamps is not None else shell_word(data_dir))
            if db is not None:
                # without the --db served from, the account went to the default database beside the list (the
                # command refused "no label database at ...; pass --init", and with --init made a second one)
                where += f" --db {shell_word(dbm.redact(db))}"
            echo(f"note: no accounts yet; create one with: starclass inspect {where} --add-user NAME")
        echo(f"labels in {dbm.redact(url)} (schema version {version})")
        # only serving needs the web app, and after the notes: inspect.app (FastAPI, uvicorn) adds 2.0 s (measured)
        with importing_extra("web", WEB_MODULES, "inspect"):
            from starclass.inspect.app import serve

        stopped = serve(field, engine, host=host, port=port, prerender_all=prerender,
                        force_secure_cookies=secure_cookies, echo=echo, scheme=asked, sock=sock)
        engine.dispose()  # before it is said to be closed
        if stopped:
            # a signal is how a server is stopped: it ended with status 143 (SIGTERM) or 130 without a word,
            # and systemd and `docker stop` logged that as a failure
            echo(f"starclass inspect: stopped by {stopped}; the requests being answered were finished and "
                 f"the labels database closed ({dbm.redact(url)})")
    finally:
        engine.dispose()
