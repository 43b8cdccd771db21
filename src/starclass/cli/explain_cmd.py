"""``starclass explain``: Grad-CAM, guided Grad-CAM and CAM maps of a trained model over stamps."""

from __future__ import annotations

from pathlib import Path

import typer

from starclass.cli._app import FILE_COLUMN_OPTION, bars_or_lines, command, echo, progress_option
from starclass.errors import StarclassError, counted, model_word


@command("explain")
def explain_command(
    model: Path = typer.Argument(..., help="Model directory (from 'starclass train'), its manifest or a member file."),
    stamps: Path = typer.Argument(..., help="Labelled cutout folder or its CSV (file,label), as 'classify --stamps' "
                                            "takes, or an HDF5 stamp store from 'starclass cutouts'."),
    out: Path = typer.Option(..., "--output", "-o", "--out",
                             help="Output folder: maps.npz, tables/, figures/, explain.json."),
    method: list[str] = typer.Option(
        None, "--method", "-m",
        help="-m is --method here (explain takes no mosaics): gradcam, guided-gradcam, guided-backprop or cam; "
             "repeat for several (default: gradcam, "
             "guided-gradcam and cam; cam is skipped, with a note, for networks without a GAP + linear head)."),
    per_class: int = typer.Option(6, "--per-class", help="Example overlays per class in the figures (at least 1)."),
    max_stamps: int = typer.Option(512, "--max-stamps",
                                   help="Explain at most this many stamps, drawn at random (at least 1)."),
    min_map: int = typer.Option(7, "--min-map", help="Grad-CAM uses the last feature map (a layer's output after "
                                                     "its activation) at least this many pixels on a side "
                                                     "(at least 1)."),
    layer: str = typer.Option(None, "--layer", help="Grad-CAM layer by name, a feature map or a convolution "
                                                    "(overrides --min-map). Default: the one --min-map "
                                                    "chooses."),
    seed: int = typer.Option(0, "--seed", min=0, help="Seed of the draw of stamps."),
    label_column: str | None = typer.Option(
        None, "--label-column",
        help="Cutout folders: the column of label strings (mapped through the model's label_map; class means "
             "over the correctly classified stamps of each label), as 'classify --label-column'. Default: the "
             "column the model was trained on (train --label-column), else label."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing output folder as a whole; "
                                                                     "without it it is kept."),
    progress: bool | None = progress_option("Show a progress bar over the stamps while the maps are computed."),
    file_column: str | None = FILE_COLUMN_OPTION,
) -> None:
    """Explain a trained model: saliency overlays, per-class mean maps and radial profiles.

    Example: starclass explain model/ stamps.h5 -o explained/ --per-class 4
    """
    # bars only where a person watches them (a batch job's log keeps every redraw); plain lines there instead
    progress = bars_or_lines(progress)
    # the names alone: torch and matplotlib load after the checks and the first line, not before a refusal
    from starclass.explain import DEFAULT_METHODS, METHODS, OWN_NAMES, check_explain_arguments
    from starclass.io.cutout_folders import check_output_outside_cutouts
    from starclass.io.paths import check_output

    methods = tuple(method) if method else DEFAULT_METHODS
    bad = [m for m in methods if m not in METHODS]
    if bad:
        # checked before the model and stamps are read; -m is --mosaics in train, report and suggest, so
        # 'explain ... -m mosaics/' is a slip worth naming
        from starclass.io.mosaic import is_fits_name

        paths = [m for m in bad if Path(m).exists() or is_fits_name(m)]
        hint = (f" ({', '.join(paths)}: -m is --method in explain, which takes no mosaics; train, report and "
                "suggest take -m for --mosaics)") if paths else ""
        raise StarclassError(f"--method {', '.join(bad)}: use any of {', '.join(METHODS)}{hint}")
    # a folder output: a file there, or a folder of other files, refused now; both were said by atomic_dir only
    # after the maps were computed, and a file was first called an output to --overwrite
    check_output(out, [model, stamps], option="--output", overwrite=overwrite, folder=True, own=OWN_NAMES)
    # its figures/ inside DATA (one sub-folder per label) were read next time as cutouts or a label
    check_output_outside_cutouts(out, stamps, option="--output")
    if min_map < 1:
        raise StarclassError(f"--min-map must be >= 1, got {min_map}")
    # --per-class 0, --max-stamps 0: the library's own words, said before torch loads, not after
    check_explain_arguments(methods, per_class=per_class, max_stamps=max_stamps, min_size=min_map, seed=seed)
    from starclass.learn.checkpoint import member_paths

    # a model that is not there (or a folder without manifest.json) and missing STAMPS were named once torch and the
    # model had loaded, the model's damaged member file said in place of the missing stamps: from the paths, now
    member_paths(model)
    if not Path(stamps).exists():
        from starclass.io.paths import link_note

        raise StarclassError(f"STAMPS {stamps}: no such file or folder{link_note(stamps)}")
    from starclass.io.progress import say_start

    # a line before torch and the model load (2-5 s on shared cores), where nothing was said until the maps' bar;
    # in a log file too (say_start): loading, reading and classifying the stamps took 76 s on a loaded machine
    # before the maps' first line. It names the model, the stamps and the maps asked for, as classify names its model
    # (until 2026-12-07 the model and the maps were not said): whether cam runs is known only once the model is
    # loaded, so it is named as conditional (named plainly, then skipped with a note, read as a contradiction); the
    # bar over the stamps names those that run. How many stamps is known once they are read: the most drawn is said
    say_start(explain_first_line(stamps, max_stamps, model=model, methods=methods), progress)
    from starclass.explain.run import explain

    info = explain(model, stamps, out, methods=methods, per_class=per_class, max_stamps=max_stamps,
                   min_size=min_map, layer=layer, seed=seed, overwrite=overwrite, label_column=label_column,
                   progress=progress, file_column=file_column)
    lay = info["layer"]
    if lay:
        echo(f"Grad-CAM layer {lay['name']} ({lay['map_size'][0]}x{lay['map_size'][1]} map): {lay['reason']}")
    if info["cam_map_size"]:
        echo(f"CAM on the pooled {info['cam_map_size'][0]}x{info['cam_map_size'][1]} feature maps")
    for note in info["notes"]:
        echo(f"note: {note}")
    from starclass.evaluate.task import class_labels

    # by number and the task's name, as evaluate and the figures name the classes ("1: 32" before)
    names = {str(k): v for k, v in class_labels(info["classes"], info["class_names"]).items()}
    echo(f"explained {counted(info['n_stamps'], 'stamp')} ({', '.join(info['methods'])}); class means over "
         f"{info['grouping']}: " + (", ".join(f"{names.get(k, k)}: {v}" for k, v in info["n_per_class"].items())
                                    or "none (see the notes)"))
    # what the folder holds, as evaluate says it ("wrote 9 tables and 2 figures under DIR"): "written explained"
    # named a folder and nothing in it, not even where the class means (the paper's figure) are
    echo(explain_written_line(out))
    # train, classify and calibrate end by naming what to do next; explain ended at its folder (found walking
    # docs/explain.md, 2026-12-07)
    echo(explain_next_line(out))


def explain_written_line(out: Path) -> str:
    """The last line ``explain`` says: what it wrote under ``out``, and where the class means are.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> for name in ("tables/stamps.ecsv", "figures/mean_maps.png", "figures/overlays_gradcam.png", "maps.npz"):
    ...     (d / name).parent.mkdir(exist_ok=True); _ = (d / name).write_bytes(b"")
    >>> explain_written_line(d).replace(str(d), "OUT")
    'wrote 1 table, 2 figures and maps.npz under OUT (the class means: OUT/figures/mean_maps.png)'
    """
    out = Path(out)
    tables = len(list((out / "tables").glob("*.ecsv")))
    figures = len(list((out / "figures").glob("*.png")))
    means = out / "figures" / "mean_maps.png"
    return (f"wrote {counted(tables, 'table')}, {counted(figures, 'figure')} and maps.npz under {out}"
            + (f" (the class means: {means})" if means.is_file() else ""))


def explain_first_line(stamps: Path, max_stamps: int, *, model: Path | None = None,
                       methods: tuple[str, ...] = ()) -> str:
    """The first line ``explain`` says: the model, the stamps, at most how many it explains, and the maps asked for.

    ``cam`` is named as conditional: whether the network has a global-average-pooling + linear head is known
    only once the model is loaded (it is skipped with a note otherwise).

    Parameters
    ----------
    stamps : Path
        The STAMPS argument (cutout folder, its CSV, or an HDF5 stamp store).
    max_stamps : int
        ``--max-stamps``: the most stamps drawn.
    model : Path, optional
        The MODEL argument; None leaves it unnamed.
    methods : tuple of str, optional
        The maps asked for (``--method``); empty leaves them unnamed.

    Returns
    -------
    str

    Examples
    --------
    >>> explain_first_line(Path("cut/labels.csv"), 512)
    'explain: loading the model and reading the stamps of cut/labels.csv (at most 512 explained) ...'
    >>> print(explain_first_line(Path("test.csv"), 32, model=Path("m1"), methods=("gradcam", "cam")))
    ... # doctest: +NORMALIZE_WHITESPACE
    explain: loading model m1 and reading the stamps of test.csv (at most 32 explained; maps: gradcam, cam if the
    network has a GAP + linear head) ...
    """
    which = f"model {model_word(model)}" if model is not None else "the model"
    maps = [f"{m} if the network has a GAP + linear head" if m == "cam" else m for m in methods]
    said = f"; maps: {', '.join(maps)}" if maps else ""
    return f"explain: loading {which} and reading the stamps of {stamps} (at most {max_stamps} explained{said}) ..."


def explain_next_line(out: Path) -> str:
    """The 'next:' line ``explain`` ends with: the figures to open, and the table of each stamp's maps.

    Parameters
    ----------
    out : Path
        The output folder, as written.

    Returns
    -------
    str

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> for name in ("figures/mean_maps.png", "figures/overlays_gradcam.png", "tables/stamps.ecsv"):
    ...     (d / name).parent.mkdir(exist_ok=True); _ = (d / name).write_bytes(b"")
    >>> print(explain_next_line(d).replace(str(d), "OUT"))  # doctest: +NORMALIZE_WHITESPACE
    next: open the figures in OUT/figures (overlays_gradcam.png, mean_maps.png: the class means); OUT/tables/stamps.ecsv
    lists each stamp explained, its class and prediction
    """
    out = Path(out)
    figures = out / "figures"
    # the overlays by method, then the class means (the cool-core paper's fig. 9), then the radial profiles
    names = [p.name for p in sorted(figures.glob("overlays_*.png"))]
    names += [f"{n}: the class means" if n == "mean_maps.png" else n
              for n in ("mean_maps.png", "profiles.png") if (figures / n).is_file()]
    shown = f" ({', '.join(names)})" if names else ""
    return (f"next: open the figures in {figures}{shown}; {out / 'tables' / 'stamps.ecsv'} lists each stamp "
            "explained, its class and prediction")
