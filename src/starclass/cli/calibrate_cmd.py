"""``starclass calibrate``: refit a model's calibration (temperature or vector scaling) and conformal rows."""

from __future__ import annotations

from pathlib import Path

import typer

from starclass.cli._app import command, echo
from starclass.errors import StarclassError


@command("calibrate")
def calibrate_command(
    model: Path = typer.Argument(..., help="Model directory from 'starclass train' (its manifest.json is updated)."),
    mosaics: list[Path] = typer.Argument(
        None, help="FITS mosaics, one per band (or a directory of *.fits), with --catalog. Not used with --stamps."),
    catalog: Path | None = typer.Option(
        None, "--catalog", "-c",
        help="Labelled candidates (0-based x, y and the label column) held out from training."),
    stamps: Path | None = typer.Option(
        None, "--stamps", help="A labelled cutout folder (CSV or directory) instead of mosaics + catalogue."),
    label_column: str = typer.Option(
        "class_ref", "--label-column",
        help="Catalogue column of reference classes (mosaics + catalogue; cutout folders use their labels)."),
    batch_size: int = typer.Option(256, "--batch-size", min=1, help="Candidates per batch."),
    device: str | None = typer.Option(None, "--device", help="cpu, cuda, ... (default: CUDA when available)."),
    overwrite: bool = typer.Option(False, "--overwrite",
                                   help="Replace the calibration the model already has (kept without it)."),
    method: str = typer.Option(
        "temperature", "--method",
        help="temperature: one number for every class (never changes the most probable class); vector: a "
             "scale and a bias per class (corrects classes that are over- or under-predicted; needs more rows)."),
) -> None:
    """Fit the ensemble's calibration (and the conformal calibration rows) on a labelled held-out set.

    The rows must not have been used for training. The result is stored in the model's
    manifest.json under 'calibration', with digests checked whenever the model is loaded.
    """
    import numpy as np

    from starclass.learn.calibration import calibrate_model, check_method
    from starclass.learn.checkpoint import read_manifest
    from starclass.learn.precision import pick_device

    check_method(method, "--method")
    dev = pick_device(device)
    if not model.is_dir():
        raise StarclassError(f"model {model}: give the model directory 'starclass train' wrote (calibration is "
                             "stored in its manifest.json)")
    doc = read_manifest(model)
    if doc.get("calibration") and not overwrite:
        raise StarclassError(f"model {model} already has a calibration (fitted on "
                             f"{doc['calibration'].get('source', '?')}); pass --overwrite to replace it")
    from starclass.learn.config import TaskConfig

    cfg = TaskConfig.from_dict(doc["config"])
    if stamps is not None:
        from starclass.io.cutout_folders import label_classes, read_cutout_folder
        from starclass.stamps.images import cutout_inputs

        cutouts = read_cutout_folder(stamps, group_column=cfg.group_column, require_group=False,
                                     bands=list(cfg.bands) if len(cfg.bands) > 1 else None)
        if cutouts.labels is None:
            raise StarclassError(f"--stamps {stamps}: the cutouts have no labels; calibration needs labelled rows")
        inputs = cutout_inputs(cutouts.images, cfg)
        values = label_classes(cutouts, cfg.label_map)
        source = str(stamps)
    else:
        if not mosaics or catalog is None:
            raise StarclassError("give the mosaics and --catalog, or a labelled cutout folder with --stamps")
        from starclass.io.catalog import numeric_column, read_catalog
        from starclass.io.mosaic import read_mosaics
        from starclass.learn.classify import check_bands
        from starclass.stamps import make_inputs

        table = read_catalog(catalog)
        if label_column not in table.colnames:
            raise StarclassError(f"--label-column: catalogue {catalog} has no column {label_column!r}")
        mos = read_mosaics(mosaics if len(mosaics) > 1 else mosaics[0],
                           require_zeropoint=cfg.normalisation in ("rgb", "flux"))
        check_bands(list(cfg.bands), list(mos.bands), f"model {model}")
        inputs, ok = make_inputs(mos, numeric_column(table, "x"), numeric_column(table, "y"), cfg)
        values = numeric_column(table, label_column, f"catalogue {catalog}").copy()
        values[~np.asarray(ok, bool)] = 0  # no usable stamp: left out
        source = str(catalog)
    cal = calibrate_model(model, inputs, values, source=source, overwrite=overwrite, batch_size=batch_size,
                          device=dev, method=method)
    vs_t = f" (temperature alone {cal.nll_temperature:.4f})" if cal.method == "vector" else ""
    echo(f"calibrated {model} on {cal.n} rows of {source} (per class {cal.class_counts()}): {cal.describe()}, "
         f"NLL {cal.nll_before:.4f} -> {cal.nll_after:.4f}{vs_t}")
