"""``starclass train``: train a task's model (or ensemble) on labelled candidates."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import typer

from starclass.cli._app import check_on_image, command, echo
from starclass.errors import StarclassError
from starclass.io.cutout_folders import is_cutout_source, read_cutout_folder
from starclass.schema import CLASS_REF, GALAXY, X, Y


def check_train_options(*, epochs: int | None = None, ensemble: int | None = None,
                        batch_size: int | None = None, lr: float | None = None, patience: int | None = None,
                        val_fraction: float | None = None, device: str | None = None) -> None:
    """Refuse impossible ``train`` options before any data is read, naming the option.

    Parameters
    ----------
    epochs, ensemble, batch_size, lr, patience, val_fraction, device
        The command-line values (None: not given, the task's recipe decides).

    Raises
    ------
    StarclassError
        ``--epochs``, ``--ensemble`` or ``--batch-size`` below 1, ``--lr`` not a positive
        finite number, ``--patience`` negative, ``--val-fraction`` outside [0, 1), or a
        ``--device`` this machine does not have.

    Examples
    --------
    >>> check_train_options(epochs=3, lr=1e-3, val_fraction=0.2)
    >>> check_train_options(patience=-1)
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: --patience must be >= 0 (0: no early stopping), got -1
    """
    for option, value in (("--epochs", epochs), ("--ensemble", ensemble), ("--batch-size", batch_size)):
        if value is not None and value < 1:
            raise StarclassError(f"{option} must be >= 1, got {value}")
    if lr is not None and not (math.isfinite(lr) and lr > 0):
        raise StarclassError(f"--lr must be a positive number, got {lr}")
    if patience is not None and patience < 0:
        raise StarclassError(f"--patience must be >= 0 (0: no early stopping), got {patience}")
    if val_fraction is not None and not (0 <= val_fraction < 1):
        raise StarclassError(f"--val-fraction must be in [0, 1) (0: no validation set), got {val_fraction}")
    if device is not None:
        # local: precision imports torch, which at module top adds ~3.7 s to every starclass
        # command's start (measured with python -X importtime: 1.8 s -> 5.5 s)
        from starclass.learn.precision import pick_device

        pick_device(device)


def training_inputs(cfg, table, *, mosaics=None, stamps=None, label_column=CLASS_REF, progress=True):
    """Model inputs and labels for training, from mosaics or a stamp store.

    Returns ``(inputs, labels, positions, galaxies, n_bad, cfg)``: candidates without a usable
    stamp (centre pixel off the image or NaN) get label 0 and are left out of training; ``cfg``
    is the config the inputs were made with (an ``auto`` softening_mag resolved to a number,
    from the store or measured on the mosaics).
    """
    # here, not at the top: starclass.io.catalog adds 0.5 s (measured) to the 0.4 s of `starclass --help`
    from starclass.io.catalog import numeric_column

    if stamps is not None:
        from starclass.stamps import StampStore

        store = StampStore(stamps)
        expect = {"bands": list(cfg.bands), "stamp_size": cfg.stamp_size,
                  "scales": [float(s) for s in cfg.scales], "normalisation": cfg.normalisation}
        have = {"bands": store.bands, "stamp_size": store.stamp_size,
                "scales": [float(s) for s in store.scales], "normalisation": store.normalisation}
        if cfg.normalisation == "flux":
            stored = (store.meta.get("extra") or {}).get("softening_mag")
            if stored is not None and cfg.softening_mag == "auto":
                cfg = cfg.copy(softening_mag=float(stored))
            expect["softening_mag"] = None if cfg.softening_mag == "auto" else float(cfg.softening_mag)
            have["softening_mag"] = None if stored is None else float(stored)
        diff = {k: (have[k], expect[k]) for k in expect if have[k] != expect[k]}
        if diff:
            raise StarclassError(
                f"stamp store {stamps} does not fit task {cfg.name!r}: "
                + "; ".join(f"{k} is {a} in the store, {b} in the task" for k, (a, b) in diff.items())
            )
        n = len(store)
        if table is not None:
            if len(table) != n:
                raise StarclassError(f"catalogue has {len(table)} rows but stamp store {stamps} has {n} stamps")
            if "id" in table.colnames and "id" in store.table and not np.array_equal(
                    np.asarray(table["id"]), np.asarray(store.table["id"])):
                raise StarclassError(f"catalogue ids differ from the ids in stamp store {stamps} (same order needed)")
            src = table
        else:
            src = store.table
        if label_column not in (src.colnames if hasattr(src, "colnames") else src):
            raise StarclassError(f"no label column {label_column!r} in the catalogue or stamp store")
        where = "catalogue" if table is not None else f"stamp store {stamps}"
        labels = numeric_column(src, label_column, where).copy()
        ok = np.asarray(store.ok, dtype=bool)
        x, y = numeric_column(src, X, where), numeric_column(src, Y, where)
        names = src.colnames if hasattr(src, "colnames") else src
        gal = np.asarray(src[GALAXY]).astype(str) if GALAXY in names else None
        inputs = store
    else:
        from starclass.stamps import make_inputs

        if label_column not in table.colnames:
            raise StarclassError(
                f"catalogue has no label column {label_column!r} (columns: {', '.join(table.colnames)})"
            )
        from starclass.stamps.noise import resolve_softening

        x, y = numeric_column(table, X), numeric_column(table, Y)
        labels = numeric_column(table, label_column).copy()
        cfg, msg = resolve_softening(cfg, mosaics)
        if msg:
            echo(msg)
        inputs, ok = make_inputs(mosaics, x, y, cfg)
        gal = np.asarray(table["galaxy"]).astype(str) if "galaxy" in table.colnames else None
    n_bad = int(np.sum(~ok & np.isfinite(labels) & (labels > 0)))
    labels[~ok] = 0
    return inputs, labels, (x, y), gal, n_bad, cfg


@command("train")
def train_command(
    task: str = typer.Option(
        "legus4", "--task", "-t",
        help="Task preset, one of the YAML files in starclass/learn/presets (e.g. legus4, phangs4, "
             "m31-binary, m31-real, open-globular, galaxy-cluster, cool-core, *-compact), or a YAML/JSON "
             "config file of your own."),
    mosaics: list[Path] = typer.Option(
        None, "--mosaics", "-m",
        help="FITS mosaics (files or a directory), one per band. Not needed with --stamps."),
    catalog: Path | None = typer.Option(
        None, "--catalog", "-c",
        help="Labelled candidates (truth or human labels: ECSV, CSV, Parquet, FITS, LEGUS .tab) with "
             "0-based x, y."),
    label_column: str = typer.Option(
        CLASS_REF, "--label-column",
        help="Column with the reference class (1-4; 0 = none)."),
    stamps: Path | None = typer.Option(
        None, "--stamps",
        help="Stamp store (starclass cutouts) read lazily instead of cutting stamps from the mosaics; or a"
             " labelled cutout folder: a CSV (file, label, optional group column) or a directory "
             "(labels.csv inside, or one sub-folder per label)."),
    group_column: str | None = typer.Option(
        None, "--group-column",
        help="Cutout folders: column naming each cutout's object, kept on one side of every split "
             "(default: the task's, m31-real: object_id)."),
    output: Path = typer.Option(..., "--output", "-o", help="Model directory to write (manifest.json + member_XX.pt)."),
    epochs: int | None = typer.Option(None, "--epochs", help="Epochs (default: the task's recipe)."),
    ensemble: int | None = typer.Option(None, "--ensemble", help="Members per architecture (default: the task's)."),
    split: str | None = typer.Option(
        None, "--split",
        help="Validation split: random, spatial or galaxy (default: the task's)."),
    holdout: str | None = typer.Option(None, "--holdout", help="Galaxy held out for --split galaxy."),
    val_fraction: float | None = typer.Option(
        None, "--val-fraction",
        help="Fraction of candidates for validation / early stopping (0: none)."),
    batch_size: int | None = typer.Option(None, "--batch-size", help="Mini-batch size."),
    lr: float | None = typer.Option(None, "--lr", help="Learning rate."),
    patience: int | None = typer.Option(
        None, "--patience",
        help="Early-stopping patience in epochs (0: no early stopping)."),
    stamp_size: int | None = typer.Option(None, "--stamp-size", help="Override the task's stamp size (px)."),
    input_size: int | None = typer.Option(
        None, "--input-size",
        help="Override the network input size (e.g. lower 224 on a CPU); 0 = the stamp size."),
    softening_mag: str | None = typer.Option(
        None, "--softening-mag",
        help="flux normalisation: magnitude of one pixel where the stretch turns logarithmic, or 'auto' to"
             " measure the mosaics' per-pixel sky noise (the number is stored with the model). Default: "
             "the task's (28)."),
    seed: int | None = typer.Option(None, "--seed", help="Base seed (member i uses seed + i)."),
    device: str | None = typer.Option(None, "--device", help="cpu, cuda, cuda:1 ... (default: CUDA when available)."),
    precision: str | None = typer.Option(
        None, "--precision",
        help="auto (mixed precision on CUDA, float32 on a CPU), fp32, or bf16 (bfloat16 on any device: "
             "several times faster on CPUs with AMX bfloat16 units). Default: the task's recipe.amp. "
             "Stored with the model; classify uses it too."),
    resume: bool = typer.Option(
        True, "--resume/--no-resume",
        help="Continue an interrupted training in the output directory."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show progress bars."),
    overwrite: bool = typer.Option(
        False, "--overwrite",
        help="Start afresh, replacing the checkpoints of a model directory trained with other data or "
             "settings (the same as --no-resume)."),
    init_from: Path | None = typer.Option(
        None, "--init-from",
        help="Fine-tune: start every member from the weights of this saved model (e.g. one trained on "
             "simulated cutouts). Its architecture, bands, classes and stamp geometry must be the task's."),
) -> None:
    """Train a task's classifier (or ensemble) on labelled candidates.

    Stamps are cut from the mosaics at the catalogue's x, y (or read from --stamps), labels
    come from --label-column and are merged into the task's classes. Every epoch writes a
    resumable checkpoint; rerunning the same command continues an interrupted training.
    """
    # --overwrite is the astropy-habit name of starting afresh: what a resume would otherwise keep is replaced
    resume = resume and not overwrite

    from starclass.io.catalog import read_catalog
    from starclass.io.mosaic import mosaic_inputs
    from starclass.io.paths import check_folder_writable, input_clash
    from starclass.learn.config import load_config
    from starclass.learn.train import fit

    check_train_options(epochs=epochs, ensemble=ensemble, batch_size=batch_size, lr=lr, patience=patience,
                        val_fraction=val_fraction, device=device)
    # the model directory must not be (or hold) an input; whether an existing model directory is
    # resumed or replaced is decided by fit (--resume)
    clash = input_clash(output, [*mosaic_inputs(mosaics or None), catalog, stamps, init_from])
    if clash is not None:
        raise StarclassError(f"--output {output} is or contains one of the command's inputs ({clash}); "
                             "choose another path")
    check_folder_writable(output, option="--output")  # a file in the way fails now, not after the stamps
    cfg = load_config(task)
    changes: dict = {}
    recipe: dict = {}
    if stamp_size is not None:
        changes["stamp_size"] = stamp_size
    if input_size is not None:
        changes["input_size"] = input_size or None
    if softening_mag is not None:
        changes["softening_mag"] = softening_mag
    for key, val in (("split", split), ("val_fraction", val_fraction), ("batch_size", batch_size),
                     ("lr", lr)):
        if val is not None:
            recipe[key] = val
    if patience is not None:
        recipe["early_stopping_patience"] = patience or None
    if precision is not None:
        recipe["amp"] = precision
    if recipe:
        changes["recipe"] = recipe
    if changes:
        cfg = cfg.copy(**changes)

    from starclass.models.torchvision_nets import frozen_over_random

    for warning in frozen_over_random(cfg, init_from):
        # on stderr and before any training: a user who asked for transfer learning must not miss this
        typer.echo(f"WARNING: {warning}", err=True)
    if stamps is not None and is_cutout_source(stamps):
        _train_on_cutouts(cfg, stamps, output=output, group_column=group_column,
                          label_column="label" if label_column == CLASS_REF else label_column,
                          precision=precision, seed=seed, resume=resume, progress=progress,
                          device=device, epochs=epochs, ensemble=ensemble, init_from=init_from)
        return
    if stamps is None and not mosaics:
        raise StarclassError("give the mosaics (--mosaics) or a stamp store (--stamps)")
    if stamps is None and catalog is None:
        raise StarclassError("give the labelled catalogue (--catalog)")
    table = read_catalog(catalog) if catalog is not None else None
    if table is not None and len(table) == 0:
        raise StarclassError(f"catalogue {catalog} has no rows")
    mos = None
    if stamps is None:
        from starclass.io.mosaic import read_mosaics

        mos = read_mosaics(mosaics if len(mosaics) > 1 else mosaics[0],
                           require_zeropoint=cfg.normalisation in ("rgb", "flux"))
        from starclass.learn.classify import check_bands

        check_bands(list(cfg.bands), list(mos.bands), f"task {cfg.name!r}")
        check_on_image(table, mos.shape, catalog, consequence="they are left out of training", action="train on")
        echo(f"mosaics: {', '.join(mos.bands)} {mos.shape[1]}x{mos.shape[0]} px; "
             f"{len(table)} candidates from {catalog}")
    inputs, labels, positions, galaxies, n_bad, cfg = training_inputs(
        cfg, table, mosaics=mos, stamps=stamps, label_column=label_column, progress=progress)
    if n_bad:
        echo(f"{n_bad} labelled candidates have no usable stamp (off the image or NaN) and are left out")
    result = fit(cfg, inputs, labels, outdir=output, positions=positions, galaxies=galaxies,
                 seed=seed, resume=resume, progress=progress, device=device, epochs=epochs,
                 ensemble=ensemble, holdout=holdout, init_from=init_from)
    _summarise(cfg, result, output, precision)


def _train_on_cutouts(cfg, source: Path, *, output: Path, group_column: str | None, label_column: str,
                      precision: str | None, **fit_kwargs) -> None:
    """``train --stamps LABELS.csv|DIR``: every check runs before the model directory is made."""
    from starclass.learn.cutouts import fit_cutouts

    # the task's default group column is used where the CSV has it; one given on the
    # command line must exist
    cutouts = read_cutout_folder(source, group_column=group_column or cfg.group_column,
                                 require_group=group_column is not None, label_column=label_column,
                                 bands=list(cfg.bands))
    n_groups = len(set(cutouts.groups.tolist()))
    labels_seen = sorted(set(cutouts.labels.tolist())) if cutouts.labels is not None else "none"
    echo(f"cutouts: {len(cutouts)} images of {cutouts.images.shape[-1]} px in {n_groups} groups "
         f"from {cutouts.source}; labels {labels_seen}")
    result = fit_cutouts(cfg, cutouts, outdir=output, **fit_kwargs)
    _summarise(cfg, result, output, precision)


def _summarise(cfg, result, output: Path, precision: str | None) -> None:
    for note in result.notes:
        echo(note)
    from starclass.learn.precision import compute_dtype, cpu_has_bf16_units, dtype_name

    dtype = compute_dtype(cfg.recipe.amp, result.device)
    if precision is None and dtype is None and result.device.startswith("cpu") and cpu_has_bf16_units():
        echo("note: this CPU has bfloat16 units; --precision bf16 trains several times faster")
    kept = getattr(result, "n_kept", 0)
    if kept == len(result.members):
        # nothing trained: the data and settings matched the finished model's (fit checks it)
        echo(f"all {kept} member(s) of task {cfg.name!r} were already trained on these data with these "
             f"settings; kept {output} unchanged")
        return
    echo(f"trained {len(result.members) - kept} member(s) of task {cfg.name!r} on {result.device} "
         f"({dtype_name(dtype)}): "
         f"{result.n_train} training, {result.n_val} validation candidates "
         f"({result.n_unlabelled} without an output class left out) in {result.seconds:.1f} s")
    echo("training counts per class: " + ", ".join(f"{c}: {n}" for c, n in result.class_counts.items()))
    for i, (acc, ep) in enumerate(zip(result.val_accuracy, result.best_epochs)):
        acc_txt = "n/a" if np.isnan(acc) else f"{acc:.3f}"
        echo(f"  member {i + 1}: kept epoch {ep}, validation accuracy {acc_txt}")
    echo(f"model written to {output}")
