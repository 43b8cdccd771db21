"""``starclass train``: train a task's model (or ensemble) on labelled candidates."""

from __future__ import annotations

import contextlib
import math
import os
import shlex
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import typer
from numpy.typing import ArrayLike

from starclass.cli._app import (
    DQ_GOOD_BITS_OPTION,
    FILE_COLUMN_OPTION,
    MASK_FILE_OPTION,
    bars_or_lines,
    check_on_image,
    command,
    echo,
    echo_flagged,
    flags_option,
    given_options,
    held_warnings,
    mask_extension_option,
    pixel_flags,
    place_rows,
    precision_option,
    progress_lines,
    progress_option,
    recorded_tasks,
    refuse_cutouts_as_mosaics,
    task_option,
)
from starclass.errors import StarclassError, agreeing, counted, refuse_no_rows, row_noun, shell_word, shown_command
from starclass.io.fields import FieldSpec
from starclass.io.paths import resolved
from starclass.learn.config import TaskConfig
from starclass.learn.provenance import flags_record
from starclass.learn.summary import few_validation_rows
from starclass.schema import (
    CLASS_REF,
    CV_SCHEME,
    FIELD,
    FOLD,
    GALAXY,
    ID,
    INFERENCE_BATCH_SIZE,
    MAX_STAMP_SIZE,
    MIN_STAMP_SIZE,
    X,
    Y,
)

if TYPE_CHECKING:
    # torch, astropy's tables, FITS and WCS (through starclass.io.mosaic and .cutout_folders) and
    # starclass.stamps (h5py, photutils' stamp code) are imported where a command uses them, not at the
    # CLI's start: torch was 1.2 s of every command's --help, astropy 0.5 s
    import torch
    from astropy.table import Table

    from starclass.io.mosaic import MosaicsLike, PixelFlags
    from starclass.stamps import StampStore, StampStores


#: Why a member's kept validation accuracy differs from its epoch lines' (said once, under the member lines).
BN_RECALIBRATION_WHY = ("  why two figures: the epoch lines were measured with batch norm's running averages, which "
                        "lag weights that are still changing; the kept weights' averages are recomputed on the "
                        "training rows before the final validation, as classify uses them: the kept figure is the "
                        "model's")


def at_chance_line(accuracy: Sequence[float], balanced: Sequence[float], n_classes: int) -> str | None:
    """The note under train's member lines where a member's balanced accuracy is chance: it tells no class apart.

    ``train --task m31-binary-compact ... --epochs 1`` on a simulated M31 field printed ``validation accuracy
    0.922, balanced accuracy 0.500`` for a member that said "non-cluster" for every row: the first figure read
    as a good model, and nothing said that the second is what a guess scores.

    Parameters
    ----------
    accuracy, balanced
        Each member's validation accuracy and balanced accuracy (NaN without a validation set).
    n_classes
        The task's classes: chance is one over their number.

    Returns
    -------
    str or None
        The note, or None where every member is above chance (or has no figure).

    Examples
    --------
    >>> print(at_chance_line([0.922], [0.5], 2))  # doctest: +NORMALIZE_WHITESPACE
    note: member 1's balanced accuracy 0.500 is chance for 2 classes (1/2): it tells the classes apart no better
    than a guess, as one that says the same class for every row does, and its accuracy 0.922 is about the share of
    the validation rows in the class it says most; train longer (--epochs) or on more labelled rows before using it
    >>> at_chance_line([0.9], [0.81], 2) is None
    True
    """
    chance = 1.0 / max(int(n_classes), 1)
    # "0.500" as the member line rounds it: a figure that reads as chance is said as chance
    low = [i for i, b in enumerate(balanced) if np.isfinite(b) and round(float(b), 3) <= round(chance, 3)]
    if not low or n_classes < 2:
        return None
    who = (f"member {low[0] + 1}'s balanced accuracy {balanced[low[0]]:.3f} is" if len(low) == 1
           else f"the balanced accuracies of members {', '.join(str(i + 1) for i in low)} are")
    acc = accuracy[low[0]] if low[0] < len(accuracy) else float("nan")
    share = (f", and its accuracy {acc:.3f} is about the share of the validation rows in the class it says most"
             if len(low) == 1 and np.isfinite(acc) else "")
    they = "it tells" if len(low) == 1 else "they tell"
    return (f"note: {who} chance for {n_classes} classes (1/{n_classes}): {they} the classes apart no better than "
            f"a guess, as one that says the same class for every row does{share}; train longer (--epochs) or on more "
            "labelled rows before using it")


def check_train_options(*, epochs: int | None = None, ensemble: int | None = None,
                        batch_size: int | None = None, lr: float | None = None, patience: int | None = None,
                        val_fraction: float | None = None, device: str | None = None,
                        precision: str | None = None) -> None:
    """Refuse impossible ``train`` options before any data is read, naming the option.

    Parameters
    ----------
    epochs, ensemble, batch_size, lr, patience, val_fraction, device, precision
        The command-line values (None: not given, the task's recipe decides).

    Raises
    ------
    StarclassError
        ``--epochs``, ``--ensemble`` or ``--batch-size`` below 1, ``--lr`` not a positive
        finite number, ``--patience`` negative, ``--val-fraction`` outside [0, 1), a
        ``--device`` name torch would not take, or a ``--precision`` that is none (in classify's words).

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
        from starclass.learn.precision import check_device_name

        # the name only, without torch (1-4 s); whether this machine has the device is asked after the first line
        check_device_name(device)
    if precision is not None:
        from starclass.learn.precision import parse_precision

        # classify's message for the same mistake: it said "--precision: recipe.amp='fp16': ..." here
        parse_precision(precision, "--precision")


def store_fit(store: StampStore | StampStores, cfg: TaskConfig, name: str | os.PathLike, *,
              model: str | os.PathLike | None = None, purpose: str = "train") -> TaskConfig:
    """``cfg`` as the store's stamps were made with it, or the error naming what differs and how to recut.

    The bands, stamp size, scales and normalisation (and a flux store's softening magnitude) must be the
    task's: ``train --stamps`` and ``classify --stamps`` read a store's inputs as they are. A task's ``auto``
    softening magnitude is resolved to the store's.

    Parameters
    ----------
    store
        The stamp store (or stores).
    cfg
        The task the stamps must fit (train's, or the model's).
    name
        The store's path, named in the error.
    model
        The model whose task ``cfg`` is (``classify --stamps``, ``calibrate --stamps``): the ``cutouts`` command
        of the error cuts for it (``--task MODEL``), as its preset's name would not where it was trained with
        other stamps (``--stamp-size 24``).
    purpose
        ``"train"``, ``"classify"`` or ``"calibrate"``: what the error offers instead of a store.

    Returns
    -------
    TaskConfig

    Examples
    --------
    >>> import tempfile, numpy as np
    >>> from starclass.learn.config import get_preset
    >>> from starclass.stamps import StampStore, write_stamp_store
    >>> path = tempfile.mkdtemp() + "/s.h5"
    >>> _ = write_stamp_store(path, np.zeros((1, 2, 8, 8), np.float32), np.ones((1, 8, 8), bool),
    ...                       {"x": [1.0], "y": [1.0]}, channels=["g", "i"], normalisation="zscore")
    >>> cfg = get_preset("m31-binary-compact", stamp_size=8, normalisation="zscore", scales=[1.0])
    >>> store_fit(StampStore(path), cfg, path).stamp_size
    8
    """
    expect = {"bands": list(cfg.bands), "stamp_size": cfg.stamp_size,
              "scales": [float(s) for s in cfg.scales], "normalisation": cfg.normalisation}
    have = {"bands": store.bands, "stamp_size": store.stamp_size,
            "scales": [float(s) for s in store.scales], "normalisation": store.normalisation}
    if cfg.normalisation == "flux":
        stored = (store.meta.get("extra") or {}).get("softening_mag")
        if stored is not None and cfg.softening_mag == "auto":
            cfg = cfg.copy(softening_mag=float(stored))
        if store.normalisation == "flux":
            # of a store of another normalisation, "softening_mag is None in the store" said nothing more
            expect["softening_mag"] = None if cfg.softening_mag == "auto" else float(cfg.softening_mag)
            have["softening_mag"] = None if stored is None else float(stored)
    diff = {k: (have[k], expect[k]) for k in expect if have[k] != expect[k]}
    if diff:
        raise StarclassError(
            f"stamp store {name} does not fit {'the model' if model is not None else 'task'} "
            + (f"{shell_word(model)} (task {cfg.name!r})" if model is not None else repr(cfg.name)) + ": "
            + "; ".join(f"{k} is {_said_value(a)} in the store, {_said_value(b)} in the task"
                        for k, (a, b) in diff.items())
            # the next step: a store cut with cutouts' defaults (zscore, one scale) met the default task
            # (flux, three scales) with the differences alone, and no word of how to get a store that fits
            + "; " + recut_words(store.source_files, cfg.name, cfg=cfg, model=model, purpose=purpose)
        )
    return cfg


def _said_value(value: object) -> str:
    """A store's or task's setting as a message says it: ``not recorded`` for None, lists by commas."""
    if value is None:
        return "not recorded"
    if isinstance(value, (list, tuple)):
        return ",".join(f"{v:g}" if isinstance(v, float) else str(v) for v in value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def task_option_words(cfg: TaskConfig, name: str | None = None) -> str:
    """The ``cutouts`` options that cut stamps for ``cfg``: ``--task NAME`` and what ``cfg`` changes of that preset.

    A task trained or cut with other stamps than its preset's (``--stamp-size 24``) keeps its preset's name:
    ``--task NAME`` alone cut the preset's stamps, which the store check then refused again.

    Parameters
    ----------
    cfg
        The task the stamps are for.
    name
        The task as ``--task`` takes it (default: ``cfg.name``).

    Returns
    -------
    str

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> task_option_words(get_preset("legus4-compact"))
    '--task legus4-compact'
    >>> task_option_words(get_preset("legus4-compact", stamp_size=24, scales=[1.0]))
    '--task legus4-compact --size 24 --scales 1'
    """
    from starclass.learn.config import PRESETS, get_preset

    name = name or cfg.name
    words = [f"--task {shell_word(name)}"]
    base = get_preset(name) if name.lower() in PRESETS.names() else None
    for option, key in (("--bands", "bands"), ("--size", "stamp_size"), ("--scales", "scales"),
                        ("--normalisation", "normalisation"), ("--softening-mag", "softening_mag")):
        value = getattr(cfg, key)
        if key == "softening_mag" and cfg.normalisation != "flux":
            continue
        if base is None or getattr(base, key) != value:
            words.append(f"{option} {shell_word(_said_value(value))}")
    return " ".join(words)


def stores_task(stamps: Sequence[str | os.PathLike]) -> TaskConfig | None:
    """The task the stamp stores among ``stamps`` were cut for, as they record it; None where none records one.

    ``train --stamps STORE.h5`` without ``--task`` trained the default task (legus4: StarcNet, 76 s an epoch on
    300 stamps) on a store cut for another (legus4-compact) until 2026-12-07, though ``cutouts`` records the
    task in the store. Cutout lists (CSV, folders) record none and are passed over.

    Parameters
    ----------
    stamps
        The ``--stamps`` values.

    Returns
    -------
    TaskConfig or None
        The recorded task; None where no store records one.

    Raises
    ------
    StarclassError
        Where two stores record different tasks (``--task`` must then choose).

    Examples
    --------
    >>> import tempfile, numpy as np
    >>> from astropy.table import Table
    >>> from starclass.learn.config import get_preset
    >>> from starclass.stamps import make_store
    >>> path = tempfile.mkdtemp() + "/s.h5"
    >>> cfg = get_preset("legus4-compact", stamp_size=8, scales=[1.0])
    >>> img = {b: np.ones((40, 40), np.float32) for b in cfg.bands}
    >>> _ = make_store(img, Table({"x": [20.0], "y": [20.0]}), path, cfg, progress=False)
    >>> stores_task([path]).name
    'legus4-compact'
    """
    from starclass.io.cutout_folders import is_cutout_source
    from starclass.stamps import StampStore

    found: list[tuple[str, dict]] = []
    for path in stamps:
        if is_cutout_source(path) or not Path(path).is_file():
            continue  # a cutout list, or a path the store reader names as missing later
        with StampStore(path) as st:
            recorded = (st.meta.get("extra") or {}).get("task")
        if isinstance(recorded, dict) and recorded.get("name"):
            found.append((str(path), recorded))
    if not found:
        return None
    first_path, first = found[0]
    for path, other in found[1:]:
        if other != first:
            raise StarclassError(f"stamp stores {first_path} and {path} were cut for different tasks "
                                 f"({first['name']!r}, {other['name']!r}): give --task")
    return TaskConfig.from_dict(first)


def recut_words(sources: object, task: str, *, cfg: TaskConfig | None = None,
                model: str | os.PathLike | None = None, purpose: str = "train") -> str:
    """How to get a stamp store that fits ``task``: the ``cutouts`` command, from the mosaics a store was cut from.

    Parameters
    ----------
    sources
        The store's ``meta['sources']`` (band to mosaic file, as ``cutouts`` recorded them), or None.
    task
        The task's name, as ``--task`` takes it.
    cfg
        The task itself: the command adds the options by which it differs from the preset ``task``
        (:func:`task_option_words`).
    model
        The model the store is for (``classify``, ``calibrate``): cut with ``--task MODEL``, the task stored with it.
    purpose
        ``"train"``, ``"classify"`` or ``"calibrate"``: what the catalogue must hold, and the mosaics' command offered
        instead. ``classify --stamps`` was told "the candidates with their labels, or train from the mosaics".

    Returns
    -------
    str

    Examples
    --------
    >>> print(recut_words({"f555w": "field/g_f555w.fits", "f814w": "field/g_f814w.fits"}, "legus4"))
    ... # doctest: +NORMALIZE_WHITESPACE
    cut a store for it from the same mosaics: 'starclass cutouts field --catalog CATALOGUE --task legus4 -o stamps.h5'
    (CATALOGUE: the candidates with their labels), or train from the mosaics with -m and --catalog
    >>> recut_words(None, "legus4").split(": ", 1)[1].startswith("'starclass cutouts MOSAICS --catalog CATALOGUE")
    True
    >>> print(recut_words({"g": "m31_b/g.fits"}, "m31-binary-compact", model="M24", purpose="classify"))
    ... # doctest: +NORMALIZE_WHITESPACE
    cut a store for it from the same mosaics: 'starclass cutouts m31_b --catalog CANDIDATES --task M24 -o stamps.h5'
    (CANDIDATES: the candidates to classify), or classify the mosaics: 'starclass classify m31_b -c CANDIDATES
    --model M24 -o classified.ecsv'
    """
    files = [Path(str(f)) for f in (sources.values() if isinstance(sources, dict) else [])]
    folders = {f.parent for f in files}
    where = (shell_word(next(iter(folders))) if len(folders) == 1
             else " ".join(shell_word(f) for f in files) if files else "MOSAICS")
    if model is not None:
        # the task stored with the model, overrides and all (cutouts --task takes a model folder)
        task_words = f"--task {shell_word(model)}"
    elif cfg is not None:
        task_words = task_option_words(cfg, task)
    else:
        task_words = f"--task {shell_word(task)}"
    catalog, held = (("CANDIDATES", "the candidates to classify") if purpose == "classify"
                     else ("HELD_OUT.ecsv", "labelled candidates the model was not trained on")
                     if purpose == "calibrate" else ("CATALOGUE", "the candidates with their labels"))
    from starclass.cli.next_steps import classified_name, free_name

    # outputs not there yet (next_steps.free_name): '-o STORE.h5' was a placeholder to edit before the line ran
    command = f"starclass cutouts {where} --catalog {catalog} {task_words} -o {shell_word(free_name('stamps', '.h5'))}"
    model_word = shell_word(model) if model is not None else "MODEL"
    if purpose == "classify":
        mosaics = f"starclass classify {where} -c CANDIDATES --model {model_word} -o {classified_name()}"
        instead = f"or classify the mosaics: {shown_command(mosaics)}"
    elif purpose == "calibrate":
        mosaics = f"starclass calibrate {model_word} {where} -c HELD_OUT.ecsv --overwrite"
        instead = f"or calibrate on the mosaics: {shown_command(mosaics)}"
    else:
        instead = "or train from the mosaics with -m and --catalog"
    return f"cut a store for it from the same mosaics: {shown_command(command)} ({catalog}: {held}), {instead}"


def training_inputs(cfg: TaskConfig, table: Table | None, *, mosaics: MosaicsLike | None = None,
                    stamps: str | os.PathLike | Sequence[str | os.PathLike] | None = None,
                    label_column: str = CLASS_REF, progress: bool = True, targets: np.ndarray | None = None,
                    ) -> tuple[np.ndarray | StampStore | StampStores, np.ndarray, tuple[np.ndarray, np.ndarray],
                               np.ndarray | None, int, TaskConfig]:
    """Model inputs and labels for training, from mosaics or a stamp store.

    Returns ``(inputs, labels, positions, galaxies, n_bad, cfg)``: candidates without a usable
    stamp (centre pixel off the image or NaN) get label 0 and are left out of training; ``cfg``
    is the config the inputs were made with (an ``auto`` softening_mag resolved to a number,
    from the store or measured on the mosaics). ``targets`` (soft targets ``(N, K)`` from
    :mod:`starclass.learn.labels`, one row per catalogue row) replace the label column; rows
    without a usable stamp get a row of zeros.
    """
    # here, not at the top: starclass.io.catalog adds 0.5 s (measured) to the 0.4 s of `starclass --help`
    from starclass.io.catalog import numeric_column

    if stamps is not None:
        from starclass.stamps import StampStore, StampStores

        # several stores are read as one, each row keeping its field (the store's name)
        several = isinstance(stamps, (list, tuple)) and len(stamps) > 1
        if isinstance(stamps, (list, tuple)) and not several:
            stamps = stamps[0]
        if several and table is not None:
            raise StarclassError("with several --stamps the labels come from the stores: give no --catalog "
                                 "(or merge the stores with `starclass cutouts --merge`)")
        store = StampStores(stamps) if several else StampStore(stamps)
        if several:
            stamps = ", ".join(str(p) for p in stamps)
        cfg = store_fit(store, cfg, stamps)
        n = len(store)
        if table is not None:
            if len(table) != n:
                raise StarclassError(f"catalogue has {counted(len(table), 'row')} but stamp store {stamps} has "
                                     f"{counted(n, 'stamp')}")
            if ID in table.colnames and ID in store.table and not np.array_equal(
                    np.asarray(table[ID]), np.asarray(store.table[ID])):
                raise StarclassError(f"catalogue ids differ from the ids in stamp store {stamps} (same order needed)")
            src = table
        else:
            src = store.table
        where = "catalogue" if table is not None else f"stamp store {stamps}"
        if targets is not None:
            labels = np.array(targets, dtype=float)
        elif label_column not in (src.colnames if hasattr(src, "colnames") else src):
            name = table.meta.get("source") if table is not None else None
            raise StarclassError(f"no label column {label_column!r} (--label-column) in the "
                                 f"{f'catalogue {name}' if name else 'catalogue'} or stamp store {stamps}")
        else:
            labels = numeric_column(src, label_column, where).copy()
        ok = np.asarray(store.ok, dtype=bool)
        x, y = numeric_column(src, X, where), numeric_column(src, Y, where)
        names = src.colnames if hasattr(src, "colnames") else src
        gal = np.asarray(src[GALAXY]).astype(str) if GALAXY in names else None
        inputs = store
    else:
        from starclass.stamps import make_inputs

        if targets is None and label_column not in table.colnames:
            # the file named: with several fields (--fields) "catalogue has no label column" did not say which
            name = table.meta.get("source")
            raise StarclassError(
                f"catalogue{f' {name}' if name else ''} has no label column {label_column!r} (--label-column; "
                f"columns: {', '.join(table.colnames)})"
            )
        from starclass.stamps.noise import resolve_softening

        x, y = numeric_column(table, X), numeric_column(table, Y)
        labels = np.array(targets, dtype=float) if targets is not None else numeric_column(table, label_column).copy()
        if targets is None and label_column == CLASS_REF:
            echo_machine_only(table)
        cfg, msg = resolve_softening(cfg, mosaics)
        if msg:
            echo(msg)
        inputs, ok = make_inputs(mosaics, x, y, cfg)
        gal = np.asarray(table["galaxy"]).astype(str) if "galaxy" in table.colnames else None
    has_label = labels.sum(axis=1) > 0 if labels.ndim == 2 else np.isfinite(labels) & (labels > 0)
    n_bad = int(np.sum(~ok & has_label))
    labels[~ok] = 0
    return inputs, labels, (x, y), gal, n_bad, cfg


def echo_machine_only(table: Table) -> int:
    """Say how many training labels are a machine's class, not a person's (LEGUS NGC 1566's hybrid class).

    The hybrid ``class_ref`` is, where ``class_method`` is 0, the LEGUS machine-learning classifier's
    class alone (654 of NGC 1566's 2451 classes): trained on, a model learns that classifier, and
    ``train`` said nothing. ``evaluate --catalogs`` counts those rows as not inspected; here they are
    kept (the user chose the column) and named, with the people-only alternative.

    Examples
    --------
    >>> from astropy.table import Table
    >>> echo_machine_only(Table({"class_ref": [1, 2, 3], "class_method": [0, 1, 3]}))  # doctest: +ELLIPSIS
    note: 1 training label of the 3 in class_ref is a machine-learning class alone (class_method 0), not a person's; ...
    1
    """
    from starclass.io.legus import machine_only
    from starclass.schema import CLASSES, class_array

    n = int(machine_only(table).sum())
    if n:
        done = int(np.isin(class_array(table, CLASS_REF), CLASSES).sum())
        name = table.meta.get("source")
        echo(f"note: {counted(n, 'training label')} of the {done} in {CLASS_REF}{f' of {name}' if name else ''} "
             f"{'is a machine-learning class' if n == 1 else 'are machine-learning classes'} alone (class_method 0), "
             "not a person's; to train on people's classes only, give --label-column class_human_mode (three "
             "people's mode; rows one person checked are then left out)")
    return n


def models_epilog() -> str:
    """The ``train --help`` list of task presets and the network each trains, one paragraph each.

    The model is chosen by ``--task``: ``--help`` named a few presets ("e.g. legus4, phangs4")
    and said nothing of what each is for, nor of the baselines, which this command does not train.

    Examples
    --------
    >>> "m31-binary:" in models_epilog() and "baselines" in models_epilog()
    True
    """
    from starclass.learn.config import preset_descriptions

    items = [f"{name}: {desc}" if desc else name for name, desc in preset_descriptions().items()]
    return ("Models (--task; networks: starcnet, compact, smallcnn, resnet18/50/101, vgg16, vgg19_bn, "
            "mobilenet_v2, mobilenet_v3_small/large; "
            "ImageNet weights only from a local file or the torch cache, never downloaded):\n\n"
            + "\n\n".join(items)
            + "\n\nThe scikit-learn baselines (bagged trees on pixels, gradient boosting on catalogue "
            "features) are not trained by this command: use starclass.models.baselines from Python "
            "(docs/models.md, 'Baselines'). 'starclass info MODEL' describes a trained model.")


# a --no-resume/--overwrite run given again starts afresh again: "the same command resumes it" was not so
@command("train", interrupted="any checkpoints written stay in the --output folder, which is no model until the "
                            "training ends: the same command resumes the training (without --no-resume or "
                            "--overwrite, which start afresh)", epilog=models_epilog())
def train_command(
    ctx: typer.Context,
    task: str = typer.Option(
        "legus4", "--task", "-t",
        help="Task preset (listed below) or a YAML/JSON task file: 'extends: m31-real' and what differs, e.g. "
             "bands, a label_map from your label strings (docs/real_images.md); cutouts of your own need one "
             "(default legus4, five HST bands; --stamps STORE.h5: the store's task)."),
    mosaics: list[Path] = typer.Option(
        None, "--mosaics", "-m",
        help="FITS mosaics (files or a directory), one per band. Not needed with --stamps."),
    catalog: list[Path] = typer.Option(
        None, "--catalog", "-c",
        help="Labelled candidates (truth or human labels: ECSV, CSV, Parquet, FITS, LEGUS .tab) with "
             "0-based x, y (a LEGUS .tab's 1-based ones are converted on reading: give it as it is). Several "
             "fields: one --catalog per --mosaics directory, in the same order."),
    fields: Path | None = typer.Option(
        None, "--fields",
        help="Several fields from a list: a CSV with columns mosaics (a directory, or band files separated "
             "by ';'), catalog, and optionally name and galaxy; paths relative to the list's folder."),
    label_column: str = typer.Option(
        CLASS_REF, "--label-column",
        help="Column with the reference class (the task's class numbers; 0 = none); for a labelled cutout "
             "folder (--stamps labels.csv) its column of label strings, mapped by the task's label_map, or of "
             "class numbers for a task without one (default there: label)."),
    stamps: list[Path] = typer.Option(
        None, "--stamps",
        help="Stamp store from 'starclass cutouts' instead of mosaics (repeat: one per field), or a labelled "
             "cutout folder: a CSV (file, label, optional group) or a directory (labels.csv, or a sub-folder "
             "per label); repeat to train on several as one (the labels so far and a round's export)."),
    group_column: str | None = typer.Option(
        None, "--group-column",
        help="Cutout folders: column naming each cutout's object, kept on one side of every split "
             "(default: the one a classified CSV records, else the task's, m31-real: object_id)."),
    file_column: str | None = FILE_COLUMN_OPTION,
    output: Path = typer.Option(..., "--output", "-o", help="Model directory to write (manifest.json + member_XX.pt)."),
    epochs: int | None = typer.Option(None, "--epochs", help="Epochs (default: the task's recipe)."),
    ensemble: int | None = typer.Option(None, "--ensemble", help="Members per architecture (default: the task's)."),
    split: str | None = typer.Option(
        None, "--split",
        help="Validation split: random, spatial or galaxy (whole galaxies, or whole fields where the "
             "catalogues have no galaxy column; default: the task's)."),
    target_purity: float | None = typer.Option(
        None, "--target-purity",
        help="Binary tasks: store the lowest threshold on P(positive) whose selection of the validation "
             "candidates reaches this purity (between 0 and 1, as the M31 paper's 0.669); classify applies it."),
    cv: str | None = typer.Option(
        None, "--cv",
        help="Cross-validate: K (stratified folds), logo (leave one galaxy or field out) or fold (the list's "
             "ready-made 'fold' column); a model per fold under --output, metrics in cv_metrics.ecsv, "
             "cv_predictions.ecsv, cv_summary.json. Cutout folders: K or fold, groups kept whole."),
    holdout: str | None = typer.Option(None, "--holdout", help="Galaxy held out for --split galaxy."),
    val_fraction: float | None = typer.Option(
        None, "--val-fraction",
        help="Fraction of candidates for validation / early stopping (0: none). Default: the task's recipe."),
    batch_size: int | None = typer.Option(None, "--batch-size",
                                             help="Training mini-batch size (candidates per gradient step: it "
                                                  "changes the model). Default: the task's recipe. Not the "
                                                  "batch of classify/calibrate --batch-size."),
    lr: float | None = typer.Option(None, "--lr", help="Learning rate. Default: the task's recipe."),
    patience: int | None = typer.Option(
        None, "--patience",
        help="Early-stopping patience in epochs (0: no early stopping). Default: the task's recipe."),
    stamp_size: int | None = typer.Option(
        None, "--stamp-size", help=f"Override the task's stamp size (px, {MIN_STAMP_SIZE}-{MAX_STAMP_SIZE})."),
    input_size: int | None = typer.Option(
        None, "--input-size",
        help=f"Override the network input side in px, {MIN_STAMP_SIZE}-{MAX_STAMP_SIZE} (e.g. lower 224 on a CPU); "
             "0 = the stamp size."),
    softening_mag: str | None = typer.Option(
        None, "--softening-mag",
        help="flux normalisation: magnitude of one pixel where the stretch turns logarithmic, or 'auto' to"
             " measure the mosaics' per-pixel sky noise (the number is stored with the model). Default: "
             "the task's (28)."),
    # min=0: numpy's generators take no negative seed, and -1 stopped the split with a traceback
    seed: int | None = typer.Option(None, "--seed", min=0,
                                       help="Base seed (member i uses seed + i). Default: the task's recipe."),
    device: str | None = typer.Option(None, "--device", help="cpu, cuda, cuda:1 ... (default: CUDA when available)."),
    precision: str | None = precision_option("Default: the task's recipe.amp. Stored with the model; classify uses "
                                             "it too."),
    resume: bool = typer.Option(
        True, "--resume/--no-resume",
        help="Continue an interrupted training in the output directory."),
    progress: bool | None = progress_option("Show progress bars."),
    overwrite: bool = typer.Option(
        False, "--overwrite",
        help="Start afresh, replacing the checkpoints of a model directory trained with other data or "
             "settings (the same as --no-resume)."),
    init_from: Path | None = typer.Option(
        None, "--init-from",
        help="Fine-tune: start every member from the weights of this saved model (e.g. one trained on "
             "simulated cutouts). Its architecture, bands, classes and stamp geometry must be the task's."),
    resume_from: Path | None = typer.Option(
        None, "--resume-from",
        help="Fine-tune this model on new labels (active learning): as --init-from, with its task as the "
             "default. Its calibration is not kept: one is refitted on the validation split (unreliable on "
             "few rows: train on every label so far, or run 'starclass calibrate' after)."),
    labels: Path | None = typer.Option(
        None, "--labels",
        help="Table of people's votes (e.g. humans.ecsv from simulate, or an inspect --export), matched to "
             "--catalog (or a cutout CSV's id column) by id; without --catalog it is the catalogue. Rows missing "
             "from it are unlabelled."),
    label_columns: str | None = typer.Option(
        None, "--label-columns",
        help="Vote columns, one per person, e.g. class_h1,class_h2,class_h3 (0 or empty = no vote). "
             "Default with --labels or --label-model: every class_h<k> column (a cutout CSV of simulate "
             "--preset galaxy-cluster: its volunteer_ids/volunteer_votes)."),
    calibration_method: str | None = typer.Option(
        None, "--calibration-method",
        help="Calibration fitted on the validation split: temperature (one number), vector (a scale and bias "
             "per class; more rows) or histogram (needs 1,500+ rows, else temperature). Default: the task's "
             "recipe.calibration."),
    label_model: str | None = typer.Option(
        None, "--label-model",
        help="How votes become targets: mode (majority; ties as inspect --export's class_ref), soft (the vote "
             "distribution) or dawid-skene (posterior of the annotator model; confusion matrices saved as "
             "annotators.ecsv). Default with --labels: mode."),
    mask_extension: str | None = mask_extension_option("in the training stamps"),
    dq_good_bits: str | None = DQ_GOOD_BITS_OPTION,
    mask_file: str | None = MASK_FILE_OPTION,
    pseudo_labels: Path | None = typer.Option(
        None, "--pseudo-labels",
        help="Pseudo-labels from `suggest --pseudo-labels` (id, class_ref), trained on besides the people's "
             "labels; validation, early stopping and calibration use the people's labels only. A clash with a "
             "person's class is refused."),
) -> None:
    """Train a task's classifier (or ensemble) on labelled candidates.

    Stamps are cut from the mosaics at the catalogue's x, y (or read from --stamps), labels
    come from --label-column and are merged into the task's classes. Every epoch writes a
    resumable checkpoint; rerunning the same command continues an interrupted training.

    Example: starclass train --task legus4-compact -m field/ -c field/truth.ecsv -o model/
    """
    # bars only where a person watches them: a batch job's log keeps every redraw. It gets epoch lines instead, and
    # (progress None) the batches' timed lines, "still working" ones included, so that a long epoch is not silent
    asked, progress = progress, bars_or_lines(progress)
    # --overwrite is the astropy-habit name of starting afresh: what a resume would otherwise keep is replaced
    resume = resume and not overwrite

    from starclass.io.cutout_folders import check_output_outside_cutouts, is_cutout_source
    from starclass.io.mosaic import mosaic_inputs
    from starclass.io.paths import check_folder_writable, input_clash
    from starclass.learn.precision import pick_device

    # --device's name is checked here; the device itself is looked for on this machine after the first line
    check_train_options(epochs=epochs, ensemble=ensemble, batch_size=batch_size, lr=lr, patience=patience,
                        val_fraction=val_fraction, device=device,
                        precision=precision)
    catalogs = list(catalog or [])
    stamp_list = list(stamps or [])
    if not stamp_list:
        # a cutout folder given as --mosaics (or its CSV as --catalog): said so, not "give the labelled catalogue"
        refuse_cutouts_as_mosaics(mosaics, catalogs)
    flags = pixel_flags(mask_extension, dq_good_bits, mask_file)  # an expression astropy refuses: said before any work
    if flags is not None and stamp_list:
        # refused rather than ignored: stamps already cut hold no FITS extensions to apply
        raise StarclassError(f"{flags_option(mask_extension, dq_good_bits, mask_file)} applies to "
                             "the mosaics' FITS extensions and mask files (--mosaics, --fields), not to --stamps")
    if label_model is not None:
        from starclass.learn.labels import LABEL_MODELS

        if label_model not in LABEL_MODELS:
            raise StarclassError(f"--label-model {label_model!r}: use one of {', '.join(LABEL_MODELS)}")
    if calibration_method is not None:
        from starclass.learn.calibration_methods import check_method

        check_method(calibration_method, "--calibration-method")
    if target_purity is not None and not 0.0 < target_purity < 1.0:
        raise StarclassError(f"--target-purity must be between 0 and 1 (exclusive), got {target_purity}")
    if target_purity is not None and cv is not None:
        raise StarclassError("--target-purity sets the threshold of one trained model; --cv trains one per fold "
                             "and scores them (give one or the other)")
    use_votes = labels is not None or label_columns is not None or label_model is not None
    if pseudo_labels is not None:
        # refused before any work: each of these would train or split without the pseudo-labels' rule
        if cv is not None:
            raise StarclassError("--pseudo-labels: --cv scores folds of people's labels; give one or the other")
        if fields is not None or len(catalogs) > 1:
            raise StarclassError("--pseudo-labels works with one field (--catalog) or stamp store, not several fields")
        if any(is_cutout_source(s) for s in stamp_list):
            raise StarclassError("--pseudo-labels works with a catalogue (--catalog, with --mosaics or a stamp "
                                 "store), not with a cutout folder")
        if not Path(pseudo_labels).is_file():
            raise StarclassError(f"--pseudo-labels: {pseudo_labels} not found")
    if use_votes and cv is not None:
        raise StarclassError("--cv scores hard labels; give it without --labels/--label-columns/--label-model")
    cv_scheme = None
    if cv is not None:
        from starclass.learn.crossval import parse_cv

        cv_scheme = parse_cv(cv)
    field_specs = _field_specs(mosaics, catalogs, fields)
    # the model directory must not be (or hold) an input; whether an existing model directory is
    # resumed or replaced is decided by fit (--resume)
    field_inputs = [p for f in field_specs or [] for p in (*mosaic_inputs(list(f.mosaics)), f.catalog)]
    clash = input_clash(output, [*mosaic_inputs(mosaics or None), *catalogs, *stamp_list, fields, init_from,
                                 resume_from, labels, pseudo_labels, *field_inputs])
    if clash is not None:
        raise StarclassError(f"--output {output} is or contains one of the command's inputs ({clash}); "
                             "choose another path")
    for source in stamp_list:
        # a model folder inside DATA (one sub-folder per label) was read next time as a label or its cutouts
        check_output_outside_cutouts(output, source, option="--output")
    check_folder_writable(output, option="--output")  # a file in the way fails now, not after the stamps
    _refuse_foreign_output(output)
    if resume_from is not None:
        if init_from is not None and Path(init_from) != Path(resume_from):
            raise StarclassError("give --init-from or --resume-from, not both")
        init_from = resume_from
    cfg, starting_model = _task_of(task, resume_from, init_from, output)
    task_typed = bool(given_options(ctx, {"task": "--task"}))
    if not task_typed and resume_from is None and stamp_list:
        # the task a store was cut for, not the default (legus4's StarcNet trained on a store cut for
        # legus4-compact); a --task given is checked against the store by store_fit, differences named
        if (recorded := stores_task(stamp_list)) is not None:
            cfg, task, task_typed = recorded, recorded.name, True  # not 'the default' in the messages
            echo(f"train: task {cfg.name}, as stamp store {stamp_list[0]} records (--task to name it)")
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
    if calibration_method is not None:
        recipe["calibration"] = calibration_method
    if recipe:
        changes["recipe"] = recipe
    if changes:
        try:
            cfg = cfg.copy(**changes)
        except StarclassError as exc:
            # the config names its key ("recipe.amp='fp8'"); say which option set it
            given = {"stamp_size": "--stamp-size", "input_size": "--input-size", "softening_mag": "--softening-mag",
                     "recipe.split": "--split", "recipe.amp": "--precision"}
            msg = str(exc)
            opts = [o for k, o in sorted(given.items(), key=lambda kv: msg.find(kv[0])) if k in msg]
            if not opts:
                raise
            raise StarclassError(f"{opts[0]}: {msg}") from None
    if holdout is not None and cfg.recipe.split != "galaxy" and cv is None:
        # before the stamps: with a random or spatial split the galaxy named was ignored without a word
        raise StarclassError(f"--holdout {holdout} applies to --split galaxy; the split is {cfg.recipe.split!r} "
                             "(give --split galaxy)")
    if target_purity is not None:
        # refused before any training: a threshold needs two classes and candidates to choose it on
        if not cfg.is_binary:
            raise StarclassError(f"--target-purity: task {cfg.name!r} has {cfg.n_classes} classes; a decision "
                                 "threshold applies to binary tasks only")
        if float(cfg.recipe.val_fraction or 0) == 0 and cfg.recipe.split != "galaxy":
            raise StarclassError("--target-purity chooses the threshold on the validation rows: give "
                                 "--val-fraction > 0")

    from starclass.learn.config import effective_config
    from starclass.models import check_members

    # the members that will be trained (--ensemble): phangs4 --ensemble 1 trains two, not twenty
    trained = effective_config(cfg, ensemble=ensemble)
    # a stamp too small for a member's network, or an unknown one: refused from the task alone, before the first
    # line and torch (it came after both, 2-5 s on shared cores), and before the data are read
    check_members(trained)
    from starclass.io.progress import say_start

    # a line once the options are checked, before torch and the networks' code load (2-5 s on shared cores: nothing
    # was said until the inputs had been read); in a log file too (say_start): 30 s of silence there before the
    # inputs' line (869 PAndAS cutouts, a loaded machine)
    say_start(f"train: task {cfg.name}: building its networks and reading the training inputs ...", progress)
    if device is not None:
        pick_device(device)  # cpu, cuda:N: on this machine? still before the data are read
    from starclass.models.torchvision_nets import frozen_over_random, missing_pretrained, no_weights_announced

    # a resumed member is built as its run started (its checkpoint's record), not from the weights now: a
    # weights file given and since deleted stopped the rerun ("pretrained weights file ... does not exist"),
    # even of a finished model, and cached weights removed since were said to leave it FROM SCRATCH
    resumed = ({} if not resume else _resumed_starts(output, trained) if cv_scheme is None
               else _resumed_cv_starts(output, trained, cv_scheme))
    said = frozen_over_random(trained, init_from, task, resumed=resumed)
    for warning in said:
        # on stderr and before any training: a user who asked for transfer learning must not miss this
        typer.echo(f"WARNING: {warning}", err=True)
    for note in missing_pretrained(trained, init_from, task, resumed=resumed):
        typer.echo(f"NOTE: {note}", err=True)
    # said once, here: the networks' own log warning and the per-member training note repeated it
    # (three times for one VGG16, once more per member of an ensemble)
    with no_weights_announced(bool(said)), progress_lines(asked, "starclass.learn.train", "starclass.learn.crossval"):
        _train_after_checks(
            task=task, mosaics=mosaics, catalogs=catalogs, label_column=label_column, stamp_list=stamp_list,
            group_column=group_column, output=output, epochs=epochs, ensemble=ensemble,
            file_column=file_column,
            target_purity=target_purity, cv_scheme=cv_scheme, holdout=holdout, seed=seed, device=device,
            precision=precision, resume=resume, progress=progress, init_from=init_from, resume_from=resume_from,
            labels=labels, label_columns=label_columns, label_model=label_model, use_votes=use_votes,
            field_specs=field_specs, cfg=cfg, flags=flags, pseudo_labels=pseudo_labels,
            starting_model=starting_model, stamp_size_given=stamp_size is not None,
            # only a --task left out is 'the default' in the messages: a typed --task legus4 was called so too
            task_typed=task_typed)


def _train_after_checks(*, task, mosaics, catalogs, label_column, stamp_list, group_column, output, epochs, ensemble,
                        target_purity, cv_scheme, holdout, seed, device, precision, resume, progress, init_from,
                        resume_from, labels, label_columns, label_model, use_votes, field_specs, cfg,
                        flags=None, pseudo_labels=None, task_typed: bool = True,
                        file_column: str | None = None, starting_model=None, stamp_size_given: bool = False) -> None:
    """What `train_command` does once the options, the task and its networks are checked; ``task_typed``:
    ``--task`` was given (not left at its default, legus4); ``starting_model``: the ``--resume-from`` model
    where it was loaded for its task (fit checks its calibration on it instead of loading it again)."""
    from starclass.io.catalog import read_catalog
    from starclass.io.cutout_folders import is_cutout_source, keep_recorded_columns
    from starclass.learn.crossval import GIVEN_FOLDS
    from starclass.learn.train import fit

    lists = [s for s in stamp_list if is_cutout_source(s)]
    if lists and len(lists) < len(stamp_list):
        stores = [str(s) for s in stamp_list if not is_cutout_source(s)]
        are = "is a stamp store" if len(stores) == 1 else "are stamp stores"
        named = f"{', '.join(map(str, lists))} {'a cutout list' if len(lists) == 1 else 'cutout lists'}"
        raise StarclassError(f"--stamps {', '.join(stores)} {are} and {named}: train on stamp stores (one per "
                             "field) or on cutout lists, not both")
    if lists:
        if len(lists) > 1 and use_votes:
            raise StarclassError("--labels/--label-columns/--label-model with several cutout lists: give one --stamps "
                                 "list holding the votes")
        if use_votes and target_purity is not None:
            raise StarclassError("--target-purity chooses a threshold on hard labels; on a cutout folder give it "
                                 "without --labels/--label-columns/--label-model")
        if cv_scheme == "logo":
            raise StarclassError(f"--cv logo needs the galaxy (or field) of every {row_noun(True)}, which a cutout "
                                 "folder does not record: give a number of folds (e.g. --cv 10), or train on "
                                 "mosaics or stamp stores")
        column = "label" if label_column == CLASS_REF else label_column
        if resume_from is not None and label_column == CLASS_REF:
            from starclass.learn.checkpoint import read_manifest, training_label_column_of

            column = _resumed_label_column(stamp_list[0], training_label_column_of(read_manifest(resume_from)),
                                           resume_from)
        # a classified CSV's recorded objects: split by the task's column or by row, cutouts of one object
        # fell on both sides of the validation split (and of --cv's folds)
        group_column, file_column, kept = keep_recorded_columns(lists, group_column, file_column)
        if kept:
            echo(kept)
        # several lists (the labels so far and a round's new ones) are trained on as one
        _train_on_cutouts(cfg, stamp_list[0] if len(stamp_list) == 1 else list(stamp_list),
                          output=output, group_column=group_column, target_purity=target_purity,
                          label_column=column,
                          precision=precision, seed=seed, resume=resume, progress=progress,
                          device=device, epochs=epochs, ensemble=ensemble, init_from=init_from, on_resume=echo,
                          starting_model=starting_model, cv_scheme=cv_scheme,
                          default_task=not task_typed and resume_from is None,
                          task_file=task if cfg.preset_name is None and Path(task).is_file() else None,
                          votes=(labels, label_columns, label_model or "mode") if use_votes else None,
                          resumed_from=resume_from, file_column=file_column or "file",
                          stamp_size_given=stamp_size_given)
        return
    if (file_column or "file") != "file":
        raise StarclassError(f"--file-column {file_column!r} names the column of image files of a cutout CSV "
                             "(--stamps LABELS.csv): it does not apply to mosaics or stamp stores")
    extra = None
    votes = None
    given_folds = None
    if field_specs is not None:
        if stamp_list:
            raise StarclassError("give several fields (--fields, or --mosaics with one --catalog each) or "
                                 "stamp stores (--stamps), not both")
        if use_votes:
            raise StarclassError("--labels, --label-columns and --label-model work with one field or stamp store; "
                                 "not with several fields")
        if cv_scheme == GIVEN_FOLDS:
            raise StarclassError(f"--cv {GIVEN_FOLDS} reads the ready-made folds of one catalogue's (or stamp store's, "
                                 f"or cutout list's) {FOLD!r} column, not of several fields': give --cv logo (one "
                                 "fold per field or galaxy) or --cv 5, or train on one catalogue of them all")
        flagged: dict[str, int] = {}
        inputs, y, positions, galaxies, n_bad, cfg, extra = fields_training_inputs(
            cfg, field_specs, label_column=label_column, progress=progress, flags=flags, flagged=flagged)
        record = flags_record(flags, flagged)
    else:
        if not stamp_list and not mosaics:
            if use_votes and (labels is not None or catalogs):
                # the votes first, as with images: NGC 1566's columns 36-39 (not people) were refused only
                # once the user had found the mosaics, after "holds the labels, not the images"
                _check_votes(cfg, catalogs[0] if catalogs else labels, labels, label_columns, label_model or "mode")
            raise StarclassError(_no_images(catalogs, task, labels))
        if not catalogs and labels is not None and not stamp_list:
            catalogs = [labels]  # the votes table is the catalogue (a stamp store has its own)
        if not stamp_list and not catalogs:
            raise StarclassError("give the labelled catalogue (--catalog)")
        # with mosaics, ra, dec without x, y is placed through their WCS below
        # with the task's classes: a five-class task's catalogue (class_ref 5, no task recorded) was refused
        table = (read_catalog(catalogs[0], require_xy=bool(stamp_list), classes=cfg.catalogue_classes)
                 if catalogs else None)
        if table is not None:
            refuse_no_rows(table, catalogs[0], "catalogue")
            if cv_scheme == GIVEN_FOLDS:
                from starclass.learn.crossval import given_fold_column

                given_fold_column(table, catalogs[0])  # its column checked before any mosaic is read
        if use_votes:
            # the votes (file, columns, classes, ids) before the mosaics: a mistake in them was named
            # only after every mosaic had been read
            if len(stamp_list) > 1:
                raise StarclassError("--labels, --label-columns and --label-model work with one stamp store")
            votes = _vote_targets(cfg, table, stamp_list[0] if stamp_list else None, labels,
                                  catalogs[0] if catalogs else None, label_columns, label_model or "mode")
        pseudo_rows, targets = None, None if votes is None else votes.targets
        if pseudo_labels is not None:
            # before the mosaics: a mistake in the file is named before any stamp is cut
            if table is None:
                raise StarclassError("--pseudo-labels are matched to the catalogue by id: give --catalog")
            from starclass.io.catalog import numeric_column

            base = targets if targets is not None else numeric_column(table, label_column, str(catalogs[0]))
            new, pseudo_rows = pseudo_targets(cfg, pseudo_labels, table, base, str(catalogs[0]))
            if targets is not None:
                targets = new
            else:
                table = table.copy(copy_data=True)
                table[label_column] = new  # bad stamps are zeroed by training_inputs, pseudo or not
        mos = None
        if not stamp_list:
            mos = _read_field_mosaics(cfg, mosaics, flags=flags)
            table = place_rows(table, mos, catalogs[0])
            check_on_image(table, mos.shape, catalogs[0], consequence="they are left out of training",
                           action="train on")
            echo(f"mosaics: {', '.join(mos.bands)} {mos.shape[1]}x{mos.shape[0]} px; "
                 f"{counted(len(table), 'candidate')} from {catalogs[0]}")
        inputs, y, positions, galaxies, n_bad, cfg = training_inputs(
            cfg, table, mosaics=mos, stamps=stamp_list or None, label_column=label_column, progress=progress,
            targets=targets)
        record = flags_record(flags, mos.flagged) if mos is not None else stamp_flags_record(inputs)
        if len(stamp_list) > 1:
            echo(f"stamp stores: {counted(len(inputs), 'candidate')} from {len(stamp_list)} fields "
                 f"({', '.join(inputs.names)})")
        src = table if table is not None else getattr(inputs, "table", None)
        if src is not None:
            names = src.colnames if hasattr(src, "colnames") else list(src)
            extra = {c: np.asarray(src[c]) for c in (ID, FIELD, X, Y) if c in names}
        if cv_scheme == GIVEN_FOLDS:
            from starclass.learn.crossval import given_fold_column

            # the catalogue's own fold column, one cell per row as the inputs are: read here, where the table is
            given_folds = given_fold_column(src, catalogs[0] if catalogs else stamp_list[0])
    if n_bad:
        # in the number it counts: "1 labelled candidates have no usable stamp ... and are left out" was said
        echo(f"{counted(n_bad, 'labelled candidate')} {'has' if n_bad == 1 else 'have'} no usable stamp (off the "
             f"image or NaN) and {'is' if n_bad == 1 else 'are'} left out")
    if cv_scheme is not None:
        if holdout is not None:
            raise StarclassError("--holdout picks one validation galaxy; --cv logo holds out each in turn "
                                 "(give one or the other)")
        from starclass.learn.crossval import cross_validate

        on_fold = None
        if not stamp_list and (field_specs is not None or (mosaics and catalogs)):
            on_fold = _fold_fields_recorder(field_specs, mosaics, catalogs, extra)
        with _held_cautions() as cautions:
            cvr = cross_validate(cfg, inputs, y, scheme=cv_scheme, outdir=output, positions=positions,
                                 galaxies=galaxies, extra_columns=extra, seed=seed, resume=resume, progress=progress,
                                 device=device, epochs=epochs, ensemble=ensemble, init_from=init_from,
                                 pixel_flags=record, on_resume=echo, starting_model=starting_model,
                                 on_fold=on_fold, folds=given_folds)
        _print_cv(cvr, cautions)
        return
    with _held_cautions() as cautions, _left_out_said_once(votes is not None):
        result = fit(cfg, inputs, y, outdir=output, positions=positions, galaxies=galaxies,
                     seed=seed, resume=resume, progress=progress, device=device, epochs=epochs,
                     ensemble=ensemble, holdout=holdout, init_from=init_from, starting_model=starting_model,
                     label_model=None if votes is None else votes.model,
                     pseudo_index=None if field_specs is not None else pseudo_rows, pixel_flags=record,
                     on_resume=echo)
    if votes is not None and votes.annotators is not None:
        from starclass.io.catalog import write_catalog

        write_catalog(votes.annotators, Path(output) / "annotators.ecsv", overwrite=True)
        echo(f"Dawid-Skene confusion matrix of each annotator written to {Path(output) / 'annotators.ecsv'}")
    if not stamp_list and (field_specs is not None or (mosaics and catalogs)):
        from starclass.learn.checkpoint import set_training_fields

        # the fields it learnt from: survey scored such a field as any other, and its accuracy read as held-out
        set_training_fields(output, [(list(f.mosaics), f.catalog)
                                     for f in field_specs] if field_specs is not None else [(mosaics, catalogs[0])])
    left_out = None if votes is None else _left_out(result.n_unlabelled, votes.voted, y, n_bad)
    _summarise(cfg, result, output, precision, soft=votes is not None and votes.model != "mode", left_out=left_out,
               mosaics=(stores_mosaics(stamp_list) if stamp_list else None if field_specs is not None else mosaics),
               cautions=cautions, stores=bool(stamp_list))
    if target_purity is not None:
        # not in the resume digests: it changes no weights, and a rerun chooses it again on the same rows
        tune_threshold(cfg, output, inputs, y, result.val_index, target_purity, device=device, progress=progress)


def stamp_flags_record(store: StampStore | StampStores) -> dict | None:
    """The pixel flags a stamp store (or merged stores) was cut with, as a model records them; None if unknown.

    A store records them under ``extra["pixel_flags"]`` when ``cutouts`` applied any; one without
    that entry was cut without flags. A record without the option values (stores cut before
    they were written) or merged stores cut with different flags give None: no record, no warning.

    Examples
    --------
    >>> class Store:
    ...     meta = {"extra": {"pixel_flags": {"mask_extension": "BPM", "dq_good_bits": None,
    ...                                       "flagged_pixels": {"g": 4}}}}
    >>> stamp_flags_record(Store())["mask_extension"], stamp_flags_record(Store())["flagged"]
    ('BPM', True)
    """
    from starclass.learn.provenance import FLAGS_KEY

    extra = (getattr(store, "meta", None) or {}).get("extra") or {}
    parts = [e.get(FLAGS_KEY) for e in extra["merged_from"]] if "merged_from" in extra else [extra.get(FLAGS_KEY)]
    records = []
    for rec in parts:
        if not rec:
            records.append(flags_record(None))
        elif isinstance(rec, dict) and "mask_extension" in rec and "dq_good_bits" in rec:
            # the flags are checked as PixelFlags spells them (capitals, stripped)
            records.append(dict(flags_record(None, rec.get("flagged_pixels")), mask_extension=rec["mask_extension"],
                                dq_good_bits=rec["dq_good_bits"], mask_file=rec.get("mask_file")))
        else:
            return None
    keys = ("mask_extension", "dq_good_bits", "mask_file")
    if not records or any([r[k] for k in keys] != [records[0][k] for k in keys] for r in records):
        return None
    counts: dict[str, int] = {}
    for r in records:
        for band, n in r["flagged_pixels"].items():
            counts[band] = counts.get(band, 0) + int(n)
    return dict(records[0], flagged=any(n > 0 for n in counts.values()), flagged_pixels=counts)


def pseudo_targets(cfg: TaskConfig, path: Path, table: Table, labels: np.ndarray,
                   catalogue: str) -> tuple[np.ndarray, np.ndarray]:
    """The catalogue's labels with the pseudo-labels of ``path`` added, and the rows they are on.

    Parameters
    ----------
    cfg : starclass.learn.config.TaskConfig
        The task: a pseudo-label must be one of its output classes.
    path : pathlib.Path
        ``suggest --pseudo-labels`` output: ``id``, ``class_ref`` (the model's class) and
        ``pseudo_label`` True (the mark that tells it from suggest's list for people).
    table : astropy.table.Table
        The training catalogue (``id``), one row per label.
    labels : numpy.ndarray
        People's labels of the catalogue's rows: classes ``(N,)`` (0 = none) or soft targets
        ``(N, K)`` (a row of zeros = none).
    catalogue : str
        The catalogue's name, for messages.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The labels with each pseudo-labelled row set to its class (one-hot for soft targets),
        and those rows (0-based). A row people labelled with the same class keeps the people's
        label and is not a pseudo-label.

    Raises
    ------
    StarclassError
        No ``id``, ``class_ref`` or ``pseudo_label`` column, a row not marked as a pseudo-label, a
        repeated id, a class not of the task, an id not in
        the catalogue, or a candidate people labelled with another class.

    Examples
    --------
    Two unlabelled candidates of four, pseudo-labelled by a model:

    >>> import shutil, tempfile
    >>> from astropy.table import Table
    >>> from starclass.learn.config import get_preset
    >>> d = Path(tempfile.mkdtemp())  # the example's files: never in the folder it is run from
    >>> Table({"id": [3, 4], "class_ref": [1, 2], "pseudo_label": [True, True]}).write(d / "pseudo.ecsv")
    >>> new, rows = pseudo_targets(get_preset("m31-real"), d / "pseudo.ecsv", Table({"id": [1, 2, 3, 4]}),
    ...                            np.array([1, 2, 0, 0]), "cand.ecsv")  # doctest: +ELLIPSIS
    pseudo-labels: 2 candidates from .../pseudo.ecsv (class 1: 1, class 2: 1), trained on, never in the validation split
    >>> new.tolist(), rows.tolist()
    ([1.0, 2.0, 1.0, 2.0], [2, 3])
    >>> shutil.rmtree(d)
    """
    from starclass.io.catalog import numeric_column
    from starclass.learn.labels import read_votes
    from starclass.schema import PSEUDO_LABEL, SUGGEST_RANK, id_keys, row_name

    # read as a table of ids (no positions needed: the catalogue has them)
    pseudo = read_votes(path, "train --pseudo-labels")
    missing = [c for c in (ID, CLASS_REF) if c not in pseudo.colnames]
    if missing:
        raise StarclassError(f"--pseudo-labels {path}: no {' or '.join(missing)} column (columns: "
                             f"{', '.join(pseudo.colnames)}); write it with `starclass suggest --pseudo-labels`")
    labels = np.array(labels, dtype=float)
    if len(pseudo) == 0:
        echo(f"--pseudo-labels {path}: no pseudo-labels in it; training on people's labels only")
        return labels, np.zeros(0, np.int64)
    if PSEUDO_LABEL not in pseudo.colnames:
        # suggest writes two catalogues; the suggestions (people's to-do list) carry every candidate column,
        # class_ref included where the catalogue had one, and were trained on as if the model's labels
        hint = " (it looks like suggest's list for people, -o, not its --pseudo-labels file)" \
            if SUGGEST_RANK in pseudo.colnames else ""
        raise StarclassError(f"--pseudo-labels {path}: no {PSEUDO_LABEL} column, so not `starclass suggest "
                             f"--pseudo-labels` output{hint}; for hand-made pseudo-labels add {PSEUDO_LABEL} = True")
    people = np.flatnonzero(~np.ma.filled(np.ma.asarray(pseudo[PSEUDO_LABEL], dtype=bool), False))
    if people.size:
        raise StarclassError(f"--pseudo-labels {path}: {counted(people.size, 'row')} "
                             f"{'is not a pseudo-label' if people.size == 1 else 'are not pseudo-labels'} "
                             f"({PSEUDO_LABEL} "
                             f"false, first {row_name(people[0])}); people's labels go in --labels or --catalog")
    keys = np.char.strip(id_keys(pseudo[ID]))
    uniq, first, count = np.unique(keys, return_index=True, return_counts=True)
    if (count > 1).any():
        raise StarclassError(f"--pseudo-labels {path}: id {uniq[count > 1][0]} is given more than once")
    cls = numeric_column(pseudo, CLASS_REF, f"--pseudo-labels {path}")
    bad = np.flatnonzero(~np.isin(cls, list(cfg.classes)))
    if bad.size:
        raise StarclassError(f"--pseudo-labels {path}: {CLASS_REF} {cls[bad[0]]:g} on {row_name(bad[0])} is not one of "
                             f"the classes {list(cfg.classes)} of task {cfg.name!r} ({counted(bad.size, 'such row')})")
    where = {k: i for i, k in enumerate(np.char.strip(id_keys(table[ID])))}
    unknown = [k for k in keys if k not in where]
    if unknown:
        raise StarclassError(f"--pseudo-labels {path}: {counted(len(unknown), 'id')} "
                             f"{'is' if len(unknown) == 1 else 'are'} not in the catalogue {catalogue} "
                             f"(e.g. {', '.join(unknown[:3])}); give the catalogue the pseudo-labels were made "
                             "from (the full candidate list) with --catalog")
    rows = np.array([where[k] for k in keys], dtype=np.int64)
    cls = cls.astype(np.int64)
    if labels.ndim == 2:
        has = labels[rows].sum(axis=1) > 0
        theirs = np.asarray(cfg.classes)[labels[rows].argmax(axis=1)]
    else:
        has = np.isfinite(labels[rows]) & (labels[rows] > 0)
        theirs = cfg.map_classes(labels[rows])
    clash = np.flatnonzero(has & (theirs != cls))
    if clash.size:
        i = clash[0]
        raise StarclassError(f"--pseudo-labels {path}: {counted(clash.size, 'candidate')} "
                             f"{'is' if clash.size == 1 else 'are'} labelled by people with another "
                             f"class, e.g. id {keys[i]}: class {int(cls[i])} there, {int(theirs[i])} from the "
                             "people's labels; pseudo-labels are for unlabelled candidates (make them again with "
                             "suggest --labels)")
    keep = ~has
    if has.any():
        echo(f"--pseudo-labels: {counted(int(has.sum()), 'candidate')} already labelled by people with the same class "
             f"{'keeps' if int(has.sum()) == 1 else 'keep'} the people's label")
    rows, cls = rows[keep], cls[keep]
    if labels.ndim == 2:
        labels[rows] = 0.0
        labels[rows, [list(cfg.classes).index(int(c)) for c in cls]] = 1.0
    else:
        labels[rows] = cls
    per = ", ".join(f"class {k}: {int((cls == k).sum())}" for k in cfg.classes)
    echo(f"pseudo-labels: {counted(rows.size, 'candidate')} from {path} ({per}), trained on, never in the "
         "validation split")
    return labels, rows


def _field_specs(mosaics: list[Path] | None, catalogs: list[Path], fields: Path | None):
    """Several fields (a list of FieldSpec) from ``--fields`` or paired options; None for one field."""
    from starclass.io.fields import pair_fields, read_fields_list

    if fields is not None:
        if mosaics or catalogs:
            raise StarclassError("--fields lists the fields' mosaics and catalogues: give no --mosaics or --catalog "
                                 "with it")
        return read_fields_list(fields)
    if len(catalogs) > 1:
        return pair_fields(list(mosaics or []), catalogs)
    return None


def _read_field_mosaics(cfg, mosaics, where: str = "", flags=None, listed: str = "--mosaics"):
    """One field's mosaics, with a pointer to the several-fields options when bands repeat.

    ``flags`` (``--mask-extension``, ``--dq-good-bits``): the pixels they flag are NaN, as classify makes them.
    """
    from starclass.io.mosaic import read_mosaics
    from starclass.learn.classify import check_bands

    paths = list(mosaics)
    try:
        # stamps of the task's bands: no V band is used, so none is warned of
        mos = read_mosaics(paths if len(paths) > 1 else paths[0],
                           require_zeropoint=cfg.normalisation in ("rgb", "flux"), pixel_flags=flags,
                           warn_v_band=False)
    except StarclassError as exc:
        if "appears twice" in str(exc) and len(paths) > 1:
            # the usual cause: several fields' folders given for one field
            raise StarclassError(f"{exc}{where}. For several fields give one --catalog per --mosaics folder (in "
                                 "the same order) or a fields list (--fields FILE).") from None
        raise
    check_bands(list(cfg.bands), list(mos.bands), f"task {cfg.name!r}", mos, task=cfg.name, listed=listed)
    echo_flagged(mos)
    return mos


def fields_training_inputs(cfg: TaskConfig, specs: Sequence[FieldSpec], *, label_column: str = CLASS_REF,
                           progress: bool = True, flags: PixelFlags | None = None,
                           flagged: dict[str, int] | None = None,
                           ) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray], np.ndarray, int,
                                      TaskConfig, dict[str, np.ndarray]]:
    """Model inputs of several fields, one after another, each row knowing its field and galaxy.

    ``flagged`` (a dict, filled in): the pixels ``flags`` set to NaN per band, summed over the
    fields (for the model's record of the flags it was trained with).

    Returns ``(inputs, labels, positions, galaxies, n_bad, cfg, extra)`` as
    :func:`training_inputs`, plus ``extra``: per-candidate ``id``, ``field``, ``x``, ``y``
    columns. A field's galaxy is the fields list's ``galaxy``, else its catalogue's ``galaxy``
    column, else the field name (so ``--split galaxy`` and ``--cv logo`` keep fields whole). An
    ``auto`` softening is measured on the first field and used for all: one network needs one
    stretch.
    """
    from starclass.io.catalog import read_catalog

    parts = []
    for spec in specs:
        table = read_catalog(spec.catalog, require_xy=False, classes=cfg.catalogue_classes)
        refuse_no_rows(table, spec.catalog, f"field {spec.name}: catalogue")
        mos = _read_field_mosaics(cfg, spec.mosaics, where=f" (field {spec.name})", flags=flags,
                                  listed=f"the mosaics of field {spec.name}")
        if flagged is not None:
            for band, n in mos.flagged.items():
                flagged[band] = flagged.get(band, 0) + int(n)
        table = place_rows(table, mos, spec.catalog)
        check_on_image(table, mos.shape, spec.catalog, consequence="they are left out of training",
                       action="train on")
        echo(f"field {spec.name}: {', '.join(mos.bands)} {mos.shape[1]}x{mos.shape[0]} px; "
             f"{counted(len(table), 'candidate')} from {spec.catalog}")
        inputs, labels, (x, y), gal, n_bad, cfg = training_inputs(
            cfg, table, mosaics=mos, label_column=label_column, progress=progress)
        n = len(labels)
        if spec.galaxy is not None:
            gal = np.full(n, spec.galaxy)
        elif gal is None:
            gal = np.full(n, spec.name)
        ids = np.asarray(table[ID]) if ID in table.colnames else np.arange(n)
        parts.append((np.asarray(inputs), labels, x, y, gal.astype(str), n_bad, np.full(n, spec.name), ids))
    inputs = np.concatenate([p[0] for p in parts])
    labels = np.concatenate([p[1] for p in parts])
    x = np.concatenate([p[2] for p in parts])
    y = np.concatenate([p[3] for p in parts])
    galaxies = np.concatenate([p[4] for p in parts])
    extra = {ID: np.concatenate([p[7] for p in parts]), FIELD: np.concatenate([p[6] for p in parts]), X: x, Y: y}
    return inputs, labels, (x, y), galaxies, sum(p[5] for p in parts), cfg, extra


def _fold_fields_recorder(field_specs: Sequence[FieldSpec] | None, mosaics: Sequence[str | os.PathLike],
                          catalogs: Sequence[str | os.PathLike],
                          extra: dict[str, np.ndarray] | None) -> Callable[[Path, np.ndarray], None]:
    """``train --cv``'s ``on_fold``: each fold model records the fields whose rows it was trained on.

    A fold of ``--cv logo`` over ``--fields`` learnt from every field but the one it holds out, a fold of
    ``--cv K`` from part of every field; a fold model recorded none, and ``survey`` could not tell
    a field it had learnt from (:func:`starclass.learn.checkpoint.set_training_fields`).
    """
    from starclass.learn.checkpoint import set_training_fields

    if field_specs is None:
        fields = [(list(mosaics), catalogs[0])]
        row_field = None  # one field: every fold learnt from it
    else:
        fields = [(list(f.mosaics), f.catalog) for f in field_specs]
        index = {f.name: i for i, f in enumerate(field_specs)}
        row_field = np.array([index[str(v)] for v in extra[FIELD]])

    def record(fold_model: Path, trained_rows: np.ndarray) -> None:
        used = set(range(len(fields))) if row_field is None else set(np.unique(row_field[trained_rows]).tolist())
        set_training_fields(fold_model, [f for i, f in enumerate(fields) if i in used])

    return record


def tune_threshold(cfg: TaskConfig, model_dir: Path, inputs: np.ndarray | StampStore | StampStores, labels: ArrayLike,
                   val_index: ArrayLike, target: float, *,
                   device: str | torch.device | None = None,
                   batch_size: int = INFERENCE_BATCH_SIZE, progress: bool | None = False,
                   noun: str = "candidate") -> dict | None:
    """Choose the positive-class threshold for ``target`` purity on the validation rows and store it.

    The validation rows are the candidates the model was not fitted on (they chose its best
    epoch, as in the M31 paper, whose validation set fixed its threshold). The threshold is
    the lowest reaching the target (:func:`starclass.evaluate.threshold.threshold_for_purity`),
    so the selection keeps the most clusters; it is written into the model's manifest
    (:func:`starclass.learn.checkpoint.set_tuned_threshold`), which ``classify`` applies.
    ``progress`` says how far the pass over the validation rows has got (:class:`starclass.io.progress.Progress`):
    True a bar (``train`` at a terminal), None timed lines (``train`` into a log file), False nothing.
    ``noun`` is what a validation row is called: ``"cutout"`` for a cutout folder, whose rows are no
    detected candidates.

    When no threshold reaches ``target`` (or there are no validation rows), nothing is stored and
    None is returned, after a warning that says so, the best purity reached, what ``classify``
    decides by instead and what to do next. The model is written by then (training may have taken
    hours): an error, exit status 2, read as if nothing had been written while the model was there.
    """
    from starclass.evaluate.threshold import threshold_for_purity
    from starclass.learn.calibration import threshold_too_few_rows
    from starclass.learn.checkpoint import load_model, set_tuned_threshold
    from starclass.learn.classify import predict_inputs
    from starclass.learn.data import InputSource
    from starclass.learn.precision import pick_device
    from starclass.learn.provenance import training_record

    rows = np.sort(np.asarray(val_index, dtype=np.int64))
    if rows.size == 0:
        _no_threshold_stored(cfg, model_dir, target, f"the model has no validation {noun}s to choose a threshold on")
        return None
    positive = cfg.positive_class if cfg.positive_class is not None else cfg.classes[0]
    dev = pick_device(device)
    model = load_model(model_dir, dev)
    source = InputSource(inputs)
    k = [int(c) for c in model.config.classes].index(int(positive))
    from starclass.io.progress import Progress

    # a pass of every member over the validation rows, after train's summary: a log said nothing until its line
    scores = []
    with Progress(rows.size, desc=f"threshold for purity {target:.2f} ({cfg.name})", noun=f"validation {noun}",
                  show=progress, unit="cand", dynamic_ncols=True) as bar:
        for s in range(0, rows.size, batch_size):
            scores.append(predict_inputs(model, source.take(rows[s:s + batch_size]), device=dev,
                                         batch_size=batch_size, calibrated=False).prob_mean[:, k])
            bar.update(len(scores[-1]))
    score = np.concatenate(scores)
    y = cfg.map_classes(np.asarray(labels)[rows]) == positive
    if not y.any():
        # said in the user's words: threshold_for_purity's own refusal put its name in the line ("on the 33
        # validation candidates threshold_for_purity: the reference has no positive object")
        names = dict(zip([int(c) for c in cfg.classes], getattr(cfg, "class_names", None) or []))
        what = f"class {positive}" + (f" ({names[int(positive)]})" if int(positive) in names else "")
        _no_threshold_stored(cfg, model_dir, target, f"the {counted(rows.size, f'validation {noun}')} hold no row of "
                                                     f"the positive {what}, so no selection has a purity")
        return None
    try:
        # at least 10 selected (threshold_for_purity's default), fewer only on a small validation set
        chosen = threshold_for_purity(y, score, target, min_selected=max(1, min(10, int(y.sum()) // 2)),
                                      noun="object" if noun == "candidate" else noun)
    except StarclassError as exc:
        # the model is written: a warning and exit status 0, with no threshold stored (an error, exit 2, said
        # "the model ... is kept with the task's threshold (None)" of a model written minutes before)
        _no_threshold_stored(cfg, model_dir, target, f"on the {counted(rows.size, f'validation {noun}')} {exc}")
        return None
    mapped = np.asarray(cfg.map_classes(np.asarray(labels)[rows]))
    counts = {str(int(c)): int(np.sum(mapped == c)) for c in cfg.classes}
    info = {"threshold": chosen["threshold"], "target_purity": float(target), "purity": chosen["purity"],
            "recall": chosen["recall"], "f1": chosen["f1"], "n_selected": chosen["n_selected"],
            "n_val": int(rows.size), "n_val_positive": int(y.sum()), "positive_class": int(positive),
            # the rows it was chosen on, as the calibration records its own: how many of each class, and
            # which (digests of their inputs, as the training rows are recorded)
            "source": "validation split", "class_counts": counts,
            "rows": training_record(inputs, rows, batch_size=batch_size)}
    # as the temperature fitted on the same rows is warned of (calibration.too_few_rows): 9 validation rows
    # (4 clusters) chose a threshold without a word
    caution = threshold_too_few_rows(rows.size, {int(c): k for c, k in counts.items()}, chosen["shown"],
                                     target, cfg.class_names)
    if caution:
        info["caution"] = caution
    set_tuned_threshold(model_dir, info)
    echo(f"threshold for purity {target:.2f} on {counted(rows.size, f'validation {noun}')} ({int(y.sum())} of class "
         f"{positive}): P >= {chosen['shown']} (purity {chosen['purity']:.3f}, recall {chosen['recall']:.3f}, "
         f"F1 {chosen['f1']:.3f}); stored in {model_dir}, classify applies it")
    if caution:
        typer.echo(f"WARNING: {caution}", err=True)
    return info


def _no_threshold_stored(cfg: TaskConfig, model_dir: Path, target: float, why: str) -> None:
    """Warn that ``train --target-purity`` stored no threshold, saying what ``classify`` decides by instead.

    The model stays as written; what decides its classes is read from its manifest: a threshold an
    earlier ``--target-purity`` stored for these very weights is kept by a rerun that trained nothing
    (:func:`starclass.learn.train.fit`), else the task's threshold, else the most probable class.
    """
    from starclass.learn.checkpoint import TUNED_THRESHOLD, read_manifest

    try:
        earlier = read_manifest(model_dir).get(TUNED_THRESHOLD)
    except StarclassError:
        earlier = None
    if earlier and earlier.get("threshold") is not None:
        was = f" {earlier['target_purity']:g}" if earlier.get("target_purity") is not None else ""
        decides = (f"classify applies the threshold an earlier --target-purity{was} stored in it "
                   f"(P >= {float(earlier['threshold']):.3g})")
    elif cfg.threshold is not None:
        decides = f"classify applies the task's threshold (P >= {cfg.threshold:g})"
    else:
        decides = "classify takes the most probable class"
    shown = f"{target:.2f}" if round(target, 2) == target else f"{target:g}"
    typer.echo(f"WARNING: --target-purity {shown} was not reached: {why}. No threshold was stored: the model in "
               f"{model_dir} is kept as trained and {decides}. Next: choose the threshold on a larger labelled "
               "held-out set ('starclass classify ... -o OUT.ecsv', 'starclass evaluate OUT.ecsv --target-purity "
               f"{shown}', then 'classify --threshold'), or train again with a lower --target-purity or a larger "
               "--val-fraction", err=True)


def _print_cv(cvr, cautions: Sequence[str] = ()) -> None:
    """The per-fold and pooled metrics as a small table, after the notes and the cautions (:func:`_echo_notes`)."""
    from starclass.io.paths import short_path
    from starclass.learn.crossval import METRIC_NAMES

    _echo_notes(cvr.notes, cautions)
    # the positive class's figures for a binary task (its F1 is always defined there); a purity of a fold that
    # selects nothing is undefined: shown as a dash, as evaluate shows it
    binary = not np.isnan(cvr.pooled.get("f1", np.nan))
    shown = [m for m in METRIC_NAMES if binary or m not in ("purity", "recall", "f1")]
    width = max(6, *(len(str(f["fold"])) for f in cvr.folds))

    def cell(v) -> str:
        return f"{'—':>8}" if v is None or np.isnan(v) else f"{v:>8.3f}"

    echo(f"{'fold':<{width}}  {'n_test':>6}  " + "  ".join(f"{m:>8}" for m in shown))
    for f in cvr.folds:
        echo(f"{f['fold']:<{width}}  {f['n']:>6}  " + "  ".join(cell(f[m]) for m in shown))
    echo(f"{'pooled':<{width}}  {cvr.pooled['n']:>6}  " + "  ".join(cell(cvr.pooled[m]) for m in shown))
    echo(f"{'mean':<{width}}  {'':>6}  " + "  ".join(cell(cvr.mean[m]) for m in shown))
    echo(f"{'std':<{width}}  {'':>6}  " + "  ".join(cell(cvr.std[m]) for m in shown))
    meta = getattr(getattr(cvr, "predictions", None), "meta", None) or {}
    if binary and meta.get("positive_class") is not None:
        # "purity 1.000" of which class: the table named none (evaluate names it)
        positive = int(meta["positive_class"])
        names = dict(zip(meta.get("classes") or [], meta.get("class_names") or []))
        named = f" ({names[positive]})" if positive in names else ""
        echo(f"purity, recall and f1 are of class {positive}{named}, the positive class; n_test: held-out rows")
    if str(meta.get(CV_SCHEME)) == FOLD:
        # the table's fold names are the column's values: said whose they are, as --cv K's are train's own
        echo(f"folds: the ready-made folds of the rows' {FOLD!r} column (--cv {FOLD}), each held out in turn")
    echo(f"fold models, cv_metrics.ecsv, cv_predictions.ecsv and cv_summary.json written to {cvr.outdir}")
    # the table has no intervals, curves or calibration: a user of docs/real_images.md's --cv command was left with
    # mean and std and no word that evaluate scores the pooled out-of-fold predictions (until 2026-12-07)
    pooled = Path(cvr.outdir) / "cv_predictions.ecsv"
    echo(f"next: 95% intervals, curves and calibration of the pooled held-out predictions with 'starclass evaluate "
         f"{shell_word(short_path(pooled))} -o {shell_word(short_path(str(cvr.outdir) + '_evaluation'))}'")


def _check_votes(cfg, catalog, labels, label_columns: str | None, label_model: str = "mode") -> None:
    """Check the votes of ``--labels`` / ``--label-columns`` (columns, people, classes, ids) without images.

    The checks :func:`_vote_targets` makes (through :func:`starclass.learn.labels.votes_for_catalogue`),
    with the label model's own (one vote column for ``soft`` or ``dawid-skene``); nothing is
    trained on them (the mode is the cheapest model to fit, and fits the same columns).
    """
    from starclass.io.catalog import read_catalog
    from starclass.learn.labels import check_several_people, read_votes, votes_for_catalogue

    table = read_catalog(catalog, classes=cfg.catalogue_classes)
    votes_table = None
    # resolved, not Path.resolve: --labels given as a loop of links was a RuntimeError traceback
    if labels is not None and resolved(labels) != resolved(catalog):
        votes_table = read_votes(labels, "train --labels")
    vt = votes_for_catalogue(cfg, table, votes_table, columns=label_columns, model="mode", name=str(labels or catalog))
    check_several_people(vt.columns, label_model, name=str(labels or catalog))


def _no_images(catalogs, task: str, labels=None) -> str:
    """What to give when train has labels but no images: every route --help and docs/ offer.

    It said "give the mosaics (--mosaics) or a stamp store (--stamps)": not how a stamp store is
    made from the catalogue at hand, nor that --stamps also takes a labelled cutout folder, nor
    --fields for several fields. ``task``: the --task value, which the stamps must be cut for;
    ``labels``: the --labels file, which holds votes, not images (it was said "nothing to train on"
    with no word of it).

    Examples
    --------
    >>> print(_no_images(["cat.ecsv"], "legus4")[:60])
    --catalog cat.ecsv holds the labels, not the images: give th
    >>> print(_no_images([], "legus4", "votes.ecsv")[:68])
    --labels votes.ecsv holds the people's votes, not the images: give t
    """
    routes = ("several fields: --fields LIST (a CSV of mosaics and catalog per field); cutouts of your own: "
              "--stamps with a labelled cutout folder (labels.csv, or a folder with a sub-folder per label)")

    def cut(catalog: str) -> str:
        return shown_command(f"starclass cutouts MOSAICS --catalog {shell_word(catalog)} --task {shell_word(task)} "
                             "-o stamps.h5")

    if not catalogs and labels is not None:
        return (f"--labels {labels} holds the people's votes, not the images: give the FITS mosaics of its "
                f"candidates (--mosaics FILES or DIR; the votes are the catalogue, or give it with --catalog), or a "
                f"stamp store cut from them for the task ({cut(labels)}, then --stamps stamps.h5 --labels "
                f"{shell_word(labels)})")
    if catalogs:
        cat = catalogs[0]
        return (f"--catalog {cat} holds the labels, not the images: give the FITS mosaics its x, y are on "
                f"(--mosaics FILES or DIR), or a stamp store cut from them for the task ({cut(cat)}, then --stamps "
                f"stamps.h5, with or without --catalog {shell_word(cat)}); {routes}")
    return ("nothing to train on: give FITS mosaics and their labelled catalogue (--mosaics, --catalog), or a "
            f"stamp store from 'starclass cutouts' (--stamps STORE.h5); {routes}")


def _resumed_starts(output: Path, config) -> dict[int, str | None]:
    """What each member with a checkpoint in ``output`` started from, for the weight checks of a resume.

    Returns 0-based member index -> :data:`~starclass.models.torchvision_nets.KEPT` for a finished member
    (``member_01.pt``: kept, nothing trained), else the ``init_weights`` its epoch checkpoint records
    (``"scratch"``, ``"imagenet:<path>"``; None when written before it was recorded, or unreadable: ``fit``
    says why). Members without a checkpoint are absent: they start afresh, from the weights now.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> _resumed_starts(Path("no/such/model"), get_preset("cool-core"))
    {}
    """
    from starclass.learn.checkpoint import epoch_filename, load_checkpoint, member_filename
    from starclass.models.torchvision_nets import KEPT

    found: dict[int, str | None] = {}
    if not Path(output).is_dir():
        return found
    for m in config.members():
        index = int(m["index"])
        if (Path(output) / member_filename(index)).is_file():
            found[index] = KEPT
        elif (Path(output) / epoch_filename(index)).is_file():
            try:
                found[index] = load_checkpoint(Path(output) / epoch_filename(index), kind="epoch").get("init_weights")
            except StarclassError:
                found[index] = None  # checked as a fresh start here; fit refuses the file, naming it
    return found


def _resumed_cv_starts(output: Path, config, scheme) -> dict[int, str | None]:
    """:func:`_resumed_starts` of a ``train --cv`` folder: a member counts only where every fold has its checkpoint.

    The folds are those ``cv_folds.json`` lists (written before any fold trains), for the same scheme; a
    fold not started yet trains from the weights now, so its members are checked as a fresh start. A
    member every fold keeps or resumes over ImageNet weights needs no file; one that started from scratch
    in any fold is said to go on so; an unrecorded start in any fold is checked as a fresh start.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> _resumed_cv_starts(Path("no/such/cv"), get_preset("cool-core"), 5)
    {}
    """
    from starclass.learn.crossval import read_cv_folds
    from starclass.models.torchvision_nets import KEPT

    doc = read_cv_folds(output)
    if doc is None or str(doc.get("scheme")) != str(scheme):
        return {}
    folds = [p for p in Path(output).glob("fold_*") if p.is_dir()]
    starts = [_resumed_starts(p, config) for p in folds]
    if len(folds) != len(doc["folds"]) or not starts:
        return {}  # a fold not started: it needs the weights as a fresh start
    out: dict[int, str | None] = {}
    for index in set.intersection(*(set(s) for s in starts)):
        records = [s[index] for s in starts]
        if any(r is None for r in records):
            out[index] = None
        else:
            scratch = [r for r in records if not (r == KEPT or str(r).startswith(("imagenet:", "model:")))]
            out[index] = scratch[0] if scratch else KEPT
    return out


def _resumed_label_column(source: Path, trained_on: str | None, model: Path) -> str:
    """The cutout folder's label column that ``train --resume-from MODEL`` fine-tunes on, with no --label-column.

    ``trained_on`` is the column the model was trained on (``train --label-column``, in its
    manifest): used where the folder has it, else ``label``. classify, calibrate and explain read
    a folder so, and fine-tuning a model trained on ``expert`` (five classes) read the folder's
    binary ``label`` as two of its classes without a word.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "labels.csv").write_text("file,label,expert\\na.png,1,4\\n")
    >>> _resumed_label_column(d / "labels.csv", "expert", Path("m5"))
    note: labels from column 'expert', the one m5 was trained on (--label-column to choose another)
    'expert'
    >>> _resumed_label_column(d / "labels.csv", None, Path("m5"))
    'label'
    """
    from starclass.io.cutout_folders import csv_values

    if trained_on is None or trained_on == "label":
        return "label"
    if trained_on in csv_values(source, (trained_on,)):
        echo(f"note: labels from column {trained_on!r}, the one {model} was trained on (--label-column to "
             "choose another)")
        return trained_on
    echo(f"warning: {model} was trained on the labels of column {trained_on!r}, which {source} lacks; its "
         "'label' column is used instead (it may hold another class scheme): give --label-column to choose")
    return "label"


def _task_of(task: str, resume_from: Path | None, init_from: Path | None = None, output: Path | None = None):
    """The task config: ``--task``, or with ``--resume-from`` and the default task, that model's own; and the
    model where it was loaded for it (None otherwise), which fit then checks instead of loading it again.

    ``--task NAME`` may name the task a model among ``--resume-from``, ``--init-from`` and the ``--output``
    being resumed records (one made from a task file: ``train --task my.yaml`` records ``my``)."""
    if resume_from is None or task != "legus4":
        return task_option(task, recorded=lambda: recorded_tasks(resume_from, init_from, output)), None
    from starclass.learn.checkpoint import load_model

    loaded = load_model(resume_from, device="cpu")
    return loaded.config, loaded


def _vote_targets(cfg, table, stamps, labels: Path | None, catalog: Path | None, label_columns: str | None,
                  label_model: str):
    """Soft targets per catalogue row from the people's votes (``--labels``); see starclass.learn.labels."""
    from starclass.learn.labels import VoteTargets, negative_votes_note, votes_for_catalogue

    src = table
    if src is None:
        from astropy.table import Table

        from starclass.stamps import StampStore

        src = Table(StampStore(stamps).table)  # the store's candidate columns, in stamp order
    votes_table = None
    if labels is not None and (catalog is None or resolved(labels) != resolved(catalog)):
        from starclass.learn.labels import read_votes

        votes_table = read_votes(labels, "train --labels")
    elif labels is not None and table is not None:
        from starclass.learn.labels import add_people_beside

        # the votes table is the catalogue: a CSV export's people are beside it, as read_votes finds them
        add_people_beside(src, labels)
    out: VoteTargets = votes_for_catalogue(cfg, src, votes_table, columns=label_columns, model=label_model,
                                           name=str(labels or catalog or stamps))
    echo(f"labels: {counted(out.n_labelled, 'candidate')} with votes in {', '.join(out.columns)} "
         f"({counted(out.n_votes, 'vote')}), label model {label_model}"
         f"{negative_votes_note(src if votes_table is None else votes_table, out.columns)}")
    return out


#: What train writes into --output: a model directory (:data:`starclass.learn.checkpoint.MODEL_ENTRIES`) or a
#: train --cv folder; names starting with '.' (a temporary file of an atomic write, a Finder's .DS_Store) pass.
TRAIN_OUTPUT_ENTRIES = ("manifest.json", "member_*.pt", "annotators.ecsv", "calibration_images_*.json",
                        "cv_folds.json", "cv_metrics.ecsv",
                        "cv_predictions.ecsv", "cv_summary.json", "fold_*", ".*")


def _refuse_foreign_output(output: Path) -> None:
    """Refuse an --output folder holding files train did not write (another command's output, notes).

    A model directory may exist (its checkpoints are resumed, or replaced with --overwrite), but
    'train -o rep' into the folder of a report wrote manifest.json and member_01.pt among its
    report.html and tables/ without a word, with or without --overwrite: the folder was then both,
    and evaluate, report and explain refuse to replace a folder holding files they did not write.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "manifest.json").write_text("{}")
    >>> _refuse_foreign_output(d)  # a model directory: resumed or replaced by fit
    >>> _ = (d / "report.html").write_text("")
    >>> try:
    ...     _refuse_foreign_output(d)
    ... except StarclassError as exc:
    ...     print(str(exc).split(" (")[0].endswith("holds files train did not write"))
    True
    """
    from starclass.io.atomic import foreign_entries

    foreign = foreign_entries(output, TRAIN_OUTPUT_ENTRIES)
    if foreign:
        raise StarclassError(
            f"--output {output} holds files train did not write ({', '.join(foreign[:5])}"
            f"{', ...' if len(foreign) > 5 else ''}): it is no model directory; train into a new or empty "
            "folder (refused even with --overwrite, which would leave them mixed with the model)")


def tied_labels_note(table: Table, source: str | os.PathLike, several_lists: bool = False) -> str | None:
    """The warning for an ``inspect --export`` whose ties were not adjudicated, trained on; None if none.

    The export gives a tied candidate (two people, two classes) the label scheme's tie rule as its
    ``label`` and marks it ``tie`` True, and says "N ties to adjudicate"; ``train --stamps`` read
    those labels as any other, without a word (round 1 of the PAndAS loop: 3 of 12 labels were
    ties, two catalogue clusters trained as galaxies). ``several_lists``: the export is one of
    several ``--stamps`` lists (the labels so far and a round's), where the votes cannot be trained
    on (``--labels`` reads one list), so that way out is not offered.

    Examples
    --------
    >>> from astropy.table import Table
    >>> t = Table({"file": ["a.png", "b.png"], "label": ["galaxy", "cluster"], "n_labels": [2, 2],
    ...            "tie": ["True", "False"]})
    >>> tied_labels_note(t, "round1/labels.csv").split(" (")[0]
    'round1/labels.csv: 1 row is a tie of the people who labelled it'
    >>> tied_labels_note(t[1:], "round1/labels.csv") is None
    True
    >>> tied_labels_note(t, "round1/labels.csv", several_lists=True).endswith("one --stamps list, not of several")
    True
    """
    if "tie" not in table.colnames or "n_labels" not in table.colnames:
        return None  # not an inspect --export: a column of that name means something else there
    tied = [i + 1 for i, v in enumerate(np.asarray(table["tie"]).astype(str))
            if v.strip().lower() in ("true", "1", "yes")]
    if not tied:
        return None
    rows = ", ".join(str(r) for r in tied[:8]) + (", ..." if len(tied) > 8 else "")
    said = (f"{source}: {counted(len(tied), 'row')} {'is a tie' if len(tied) == 1 else 'are ties'} of the people "
            f"who labelled {'it' if len(tied) == 1 else 'them'} (column 'tie' of inspect --export: "
            f"{agreeing(len(tied), 'row')} {rows}); "
            "the label is the label scheme's tie rule, not an agreement, and is trained on as given: adjudicate "
            "the ties first (a third person's label on the page, then export again)")
    if several_lists:
        # with the labels so far beside it, "--labels round1/labels.csv --label-model soft" was offered and
        # refused at once ("--labels ... with several cutout lists: give one --stamps list")
        return (f"{said}, or leave them out of this list; training on every person's vote (--labels LIST "
                "--label-model soft) reads the votes of one --stamps list, not of several")
    return f"{said}, or train on every person's vote instead (--labels {shlex.quote(str(source))} --label-model soft)"


def _echo_enlargement(cutouts, cfg, stamp_size_given: bool, started_from: object) -> None:
    """Say that the cutouts are enlarged to the task's stamps (:func:`starclass.learn.cutouts.enlargement_note`).

    Not where ``--stamp-size`` chose the size, nor where training starts from a model, whose stamp size it keeps.
    """
    if stamp_size_given or started_from:
        return
    from starclass.learn.cutouts import enlargement_note

    if note := enlargement_note(cutouts, cfg):
        echo(note)


def _train_on_cutouts(cfg, source: Path | list[Path], *, output: Path, group_column: str | None, label_column: str,
                      precision: str | None, cv_scheme: int | str | None = None, default_task: bool = False,
                      target_purity: float | None = None, task_file: str | None = None,
                      votes: tuple | None = None, resumed_from: Path | None = None, file_column: str = "file",
                      stamp_size_given: bool = False, **fit_kwargs) -> None:
    """``train --stamps LABELS.csv|DIR`` (with ``--cv K``: k-fold); every check runs before the model
    directory is made. ``default_task``: no ``--task`` was given (legus4), which the messages say.
    ``task_file``: the ``--task`` file the task was read from, named when a label is unknown.
    ``votes``: ``(--labels, --label-columns, --label-model)`` to train on people's votes instead of
    the label column (:func:`_train_cutouts_on_votes`). ``resumed_from``: the ``--resume-from`` model, whose
    task the folder is checked against (:func:`starclass.learn.folder_task.check_folder_task`).
    ``stamp_size_given``: ``--stamp-size`` was given (cutouts enlarged to it are not said to be)."""
    from starclass.learn.cutouts import fit_cutouts

    if votes is not None:
        _train_cutouts_on_votes(cfg, source, output=output, group_column=group_column, precision=precision,
                                votes=votes, file_column=file_column, stamp_size_given=stamp_size_given,
                                **fit_kwargs)
        return

    # a folder of one's own without --task met legus4's five HST bands, and the message advised
    # five file_<band> columns rather than a task
    whose = (f"task {cfg.name!r} (the default --task: give --task m31-real, or a task file of your own that "
             "extends it, for cutouts of your own)") if default_task else f"task {cfg.name!r}"
    # the task's default group column is used where the CSV has it; one given on the
    # command line must exist
    from starclass.io.cutout_folders import read_cutout_folder, stored_group_column
    from starclass.stamps.images import cutout_resampler

    def read(src: Path):
        return read_cutout_folder(src, group_column=group_column or stored_group_column(cfg.group_column),
                                  require_group=group_column is not None, label_column=label_column,
                                  bands=list(cfg.bands), bands_of=whose, resample=cutout_resampler(cfg),
                                  label_map=cfg.label_map, progress=fit_kwargs.get("progress", False),
                                  file_column=file_column)

    if isinstance(source, list):
        from starclass.io.cutout_folders import concat_cutout_sets

        parts = [read(src) for src in source]
        for part in parts:
            # each list's own ties, named by its own rows, before they are joined
            if part.labels is not None and (said := tied_labels_note(part.table, part.source, several_lists=True)):
                warnings.warn(said, UserWarning, stacklevel=2)
        cutouts = concat_cutout_sets(parts)
        from starclass.learn.provenance import warn_copies_across_lists

        # one path in two lists is refused above; a copy under another path (saved as FITS, flipped) is said
        warn_copies_across_lists(parts)
    else:
        cutouts = read(source)
    if cutouts.labels is None and cutouts.source.is_dir():
        # a plain folder of images: "no label column 'label' (--label-column); columns: file" said
        # nothing of folders
        raise StarclassError(f"{cutouts.source}: {counted(len(cutouts), 'image')} without labels (in the folder "
                             "itself, no label "
                             "sub-folders): nothing to train on; put each image in the sub-folder of its label "
                             f"(ImageFolder layout), or list them in {cutouts.source / 'labels.csv'} with a 'label' "
                             "column ('classify --stamps' takes the folder as it is)")
    if cutouts.labels is None:
        # named here: label_classes only knows that there are no labels, not which column was asked for
        from starclass.io.cutout_folders import label_column_hint

        # a spreadsheet's 'Label' (or a 'class' column): classify --stamps points to it, train did not
        raise StarclassError(f"{cutouts.source}: no label column {label_column!r} (--label-column); columns: "
                             f"{', '.join(cutouts.table.colnames)}"
                             f"{label_column_hint(cutouts.table.colnames, label_column)}")
    if resumed_from is not None:
        from starclass.learn.folder_task import check_folder_task

        # a cool-core model resumed on a galaxy-cluster folder took its labels 1, 2 as its classes
        check_folder_task(cutouts.source, cutouts.labels, cfg, model=resumed_from, column=label_column)
    n_groups = len(set(cutouts.groups.tolist()))
    # each label with its count, in words: it printed Python's list, "labels ['cluster', 'extended_cluster',
    # 'galaxy']", and not how many of each (9 extended clusters of 869 cutouts is worth seeing before training)
    if cutouts.labels is not None:
        from starclass.schema import class_labels

        seen, count = np.unique(np.asarray(cutouts.labels).astype(str), return_counts=True)
        # labels that are the task's class numbers (no label map) named as the class: "labels 1 16, 2 34, 3 10"
        # of a cool-core folder that simulate had just counted as "CC 16, WCC 34, NCC 10" named no class
        named = {} if cfg.label_map else {str(k): v for k, v in class_labels(cfg.classes, cfg.class_names).items()}
        labels_seen = ", ".join(f"{named.get(v.strip(), v)} {n}" for v, n in zip(seen, count))
    else:
        labels_seen = "none"
    # the objects named by the group column the folder was read with; "in 200 groups" of a list with no such
    # column (each file its own object) named groups the user never gave
    if cutouts.group_column:
        objects = f"of {counted(n_groups, 'object')} ({cutouts.group_column})"
    elif n_groups == len(cutouts):
        objects = "each its own object (no group column)"
    else:  # lists joined, some with a group column and some without
        objects = f"of {counted(n_groups, 'object')}"
    echo(f"cutouts: {counted(len(cutouts), 'image')} of {cutouts.images.shape[-1]} px {objects} "
         f"from {cutouts.source}; labels {labels_seen}")
    _echo_enlargement(cutouts, cfg, stamp_size_given, resumed_from is not None or fit_kwargs.get("init_from"))
    from starclass.schema import label_map_words

    if cutouts.labels is not None and (words := label_map_words(cfg.classes, cfg.class_names, cfg.label_map)):
        # the labels just counted (galaxy 234) and the classes counted at the end (2 (non-cluster): 200), joined
        echo(f"labels read as classes (the task's label_map): {words}")
    from starclass.io.cutout_folders import label_classes
    from starclass.learn.cutouts import colour_note

    # every label mapped now, as training will: an unknown one is named with the task file it
    # needs adding to (the same check inside training knows the task, not the file it came from)
    read_classes = label_classes(cutouts, cfg.label_map, config=cfg, task_file=task_file)
    from starclass.io.cutout_folders import fuller_label_column

    # galaxy-cluster-experts on the default label column (the binary 1, 2 of five classes) was refused only once
    # training had begun, "classes 3, 4, 5 have no training example", with no word of the expert column
    if (fuller := fuller_label_column(cutouts, cfg, read_classes)) is not None:
        raise StarclassError(fuller)
    if not isinstance(source, list) and (said := tied_labels_note(cutouts.table, cutouts.source)):
        warnings.warn(said, UserWarning, stacklevel=2)
    if note := colour_note(cutouts, cfg):
        echo(note)
    from starclass.learn.cutouts import check_pixel_scales

    # pictures (0-1) beside FITS/NPY counts under normalisation none: refused before any training
    check_pixel_scales(cutouts, cfg, "training")
    if cv_scheme is not None:
        # folds of whole groups: several cutouts of one object (PAndAS: 869 cutouts of 755
        # objects) never fall on both sides of a fold
        from starclass.io.cutout_folders import label_classes
        from starclass.learn.calibration import leave_out_blank
        from starclass.learn.crossval import GIVEN_FOLDS, cross_validate
        from starclass.stamps.images import cutout_band_no_data, cutout_inputs

        classes = label_classes(cutouts, cfg.label_map, config=cfg)
        if cv_scheme == GIVEN_FOLDS and cutouts.folds is None:
            # before any image is normalised: the list has nothing --cv fold reads
            if cutouts.source.is_dir():
                lacks = f"a folder of label sub-folders has not: list the cutouts in a CSV with a {FOLD!r} column"
            else:
                which = ("not every list has" if isinstance(source, list)
                         else f"the list has not (its columns: {', '.join(cutouts.table.colnames)})")
                lacks = f"{which}: add one (a whole number per row, every cutout of an object in one fold)"
            raise StarclassError(f"{cutouts.source}: --cv {GIVEN_FOLDS} holds out the ready-made folds of a {FOLD!r} "
                                 f"column, which {lacks}, or let train draw the folds (--cv 5)")
        if cutouts.folds is not None and cv_scheme != GIVEN_FOLDS:
            # the reader checks a list's ready-made folds (a group split across them is refused), but --cv K draws
            # its own: a user who gave them took the figures for theirs without a word
            n_given = int(np.unique(cutouts.folds).size)
            warnings.warn(f"{cutouts.source}: its column {FOLD!r} holds {counted(n_given, 'ready-made fold')}, which "
                          f"train --cv does not read: --cv {cv_scheme} draws folds of its own"
                          f"{' (whole objects, stratified by class)' if cutouts.group_column else ''}, so the "
                          f"figures are not those of the column's folds; --cv {GIVEN_FOLDS} holds out the column's "
                          "folds instead", UserWarning, stacklevel=2)
        inputs = cutout_inputs(cutouts.images, cfg)
        # blank (constant) cutouts are left out of every fold, as of a single training
        no_data = cutout_band_no_data(cutouts.images, cfg)
        keep = np.flatnonzero(leave_out_blank(inputs, cfg, np.ones(len(cutouts), dtype=bool), str(cutouts.source),
                                              what="training", no_data=no_data,
                                              places=[cutouts.row_place(i) for i in range(len(cutouts))]))
        from starclass.learn.cutouts import runaway_zscore_note, zero_padding_note, zero_padding_rows

        # zeros that may be a survey's padding are trained on as sky in every fold: said as for one training
        used = np.zeros(len(cutouts), dtype=bool)
        used[keep] = True
        padded, share = zero_padding_rows(cutouts, used)
        if padded.any():
            warnings.warn(zero_padding_note(padded, share, cutouts.files), stacklevel=2)

        # the folds train on these cutouts as fit_cutouts does on one split: train --cv on the PAndAS
        # central 56 px with the robust zscore said nothing of cutouts z-scored to hundreds of sigma
        if note := runaway_zscore_note(cutouts, keep, inputs[keep], cfg):
            warnings.warn(note, stacklevel=2)
        # 'row' stays the folder's row (0-based), not the position among the rows kept
        # each held-out row's object under the folder's own name for the column (object_id, as --group-column says),
        # as classify --stamps keeps it: named 'group', suggest --check-labels' review list lost its objects to
        # inspect --stamps (which reads the task's object_id); none where the list has no group column (it held the
        # file again), 'group' only where the folder's name is one of the table's own columns
        from starclass.schema import CLASS_PRED, prob_col

        extra = {"row": keep, "file": np.asarray(cutouts.files)[keep]}
        own = {*extra, FOLD, CLASS_REF, CLASS_PRED, *(prob_col(int(c)) for c in cfg.classes)}
        group_name = None
        if cutouts.group_column:
            group_name = cutouts.group_column if cutouts.group_column not in own else "group"
            extra[group_name] = np.asarray(cutouts.groups)[keep]
        known = None
        if keep.size < len(cutouts):
            # fold models of a run started before blank cutouts were left out were trained on
            # every row: the resume check refused them as "other training data", not saying why
            from starclass.learn.classify import blank_counts
            from starclass.learn.crossval import fold_digests

            # an all-NaN cutout was counted among "the N blank (constant) cutout(s)": counted apart
            n_empty = int(np.delete(no_data.any(axis=1), keep).sum())
            why = (f"{blank_counts(len(cutouts) - keep.size - n_empty, n_empty)} of {cutouts.source} in every "
                   "fold, which train now leaves out as classify and calibrate do (so the folds differ too)")
            known = dict.fromkeys(fold_digests(cfg, inputs, classes, scheme=cv_scheme, groups=cutouts.groups,
                                               seed=fit_kwargs.get("seed"), noun=row_noun(True),
                                               init_from=fit_kwargs.get("init_from"), folds=cutouts.folds), why)
        from starclass.io.cutout_folders import cutout_field_arcsec
        from starclass.learn.checkpoint import set_training_cutouts

        field_arcsec = cutout_field_arcsec(cutouts)

        def record_cutouts(fold_model: Path, _trained_rows: np.ndarray) -> None:
            # each fold model records its training cutouts' size, as fit_cutouts does for one model:
            # classify --stamps with a fold model warned of nothing on cutouts of another size. As each
            # fold ends: recorded after the last one, a run stopped in fold 3 left folds 1-2 without it
            set_training_cutouts(fold_model, cutouts.images.shape, label_column=cutouts.label_column,
                                 field_arcsec=field_arcsec, group_column=cutouts.group_column)

        from starclass.io.cutout_folders import cutout_root_records

        # the held-out predictions' files are relative to the folder: not recorded, a list of them made elsewhere
        # (suggest --check-labels) named files inspect --stamps could not find. Recorded as every writer does
        # (relative to the table, and absolute): the absolute one alone was lost with a folder moved whole
        roots = {k: v[0] for k, v in cutout_root_records([cutouts.root], Path(output) / "cv_predictions.ecsv").items()}
        if group_name:
            # evaluate of cv_predictions.ecsv resamples whole objects by default, as the folds kept them whole
            roots["group_column"] = group_name
        if not isinstance(source, list):
            from starclass.io.cutout_folders import portable_folder
            from starclass.schema import CUTOUT_LIST

            # the list read, as classify --stamps records it: the folder alone made evaluate's next line
            # 'report --stamps FOLDER', which read a folder holding train.csv, test.csv, ... as label sub-folders
            roots[CUTOUT_LIST] = portable_folder(source, Path(output) / "cv_predictions.ecsv")
        with _held_cautions() as cautions:
            cvr = cross_validate(cfg, inputs[keep], classes[keep], scheme=cv_scheme, outdir=output,
                                 extra_columns=extra, groups=cutouts.groups[keep], known_data=known,
                                 on_fold=record_cutouts, meta=roots, noun=row_noun(True),
                                 folds=None if cutouts.folds is None else cutouts.folds[keep], **fit_kwargs)
        _print_cv(cvr, cautions)
        return
    with _held_cautions() as cautions:
        result = fit_cutouts(cfg, cutouts, outdir=output, **fit_kwargs)
    _summarise(cfg, result, output, precision, cutouts=True, cautions=cautions)
    if target_purity is not None:
        # on the grouped validation split, as for mosaics (it was refused for cutout folders, the M31
        # task's own data); val_index holds folder rows, blank ones counted, so every row's input is given
        from starclass.io.cutout_folders import label_classes
        from starclass.stamps.images import cutout_inputs

        tune_threshold(cfg, output, cutout_inputs(cutouts.images, cfg), label_classes(cutouts, cfg.label_map,
                                                                                      config=cfg),
                       result.val_index, target_purity, device=fit_kwargs.get("device"),
                       progress=fit_kwargs.get("progress", False), noun=row_noun(True))


def _train_cutouts_on_votes(cfg, source: Path, *, output: Path, group_column: str | None, precision: str | None,
                            votes: tuple, file_column: str = "file", stamp_size_given: bool = False,
                            **fit_kwargs) -> None:
    """``train --stamps LABELS.csv --label-columns ... --label-model ...``: a cutout folder trained on votes.

    The votes are columns of the cutout CSV (one per person, as ``simulate --preset galaxy-cluster``'s
    volunteers or a Zooniverse export pivoted to one column per volunteer), or a ``--labels`` table
    matched to the CSV's ``id`` column. Until 2026-12-04 a cutout folder refused every vote option.
    """
    from starclass.io.cutout_folders import read_cutout_folder, stored_group_column
    from starclass.learn.cutouts import fit_cutouts
    from starclass.learn.labels import negative_votes_note, read_votes, votes_for_catalogue

    labels, label_columns, label_model = votes
    from starclass.stamps.images import cutout_resampler

    cutouts = read_cutout_folder(source, group_column=group_column or stored_group_column(cfg.group_column),
                                 require_group=group_column is not None, label_column="label",
                                 bands=list(cfg.bands), bands_of=f"task {cfg.name!r}", require_labels=False,
                                 resample=cutout_resampler(cfg), label_map=cfg.label_map,
                                 progress=fit_kwargs.get("progress", False), file_column=file_column)
    if not cutouts.source.is_file():
        raise StarclassError(f"{cutouts.source}: a folder of label folders holds one label per image, not "
                             "people's votes: list the cutouts in a CSV with one vote column per person "
                             "(--label-columns), or give --labels with an 'id' column matching the CSV's")
    table = cutouts.table
    votes_table = None
    if labels is not None:
        votes_table = read_votes(labels, "train --labels")
        if ID not in table.colnames:
            raise StarclassError(f"{cutouts.source} has no 'id' column: --labels {labels} is matched to the "
                                 "cutouts by id; add an 'id' column to the cutout CSV, or put the votes in it as "
                                 f"columns, one per person, and name them with --label-columns (columns now: "
                                 f"{', '.join(table.colnames)})")
    name = str(labels) if labels is not None else str(cutouts.source)
    if votes_table is None and label_columns is None and {"volunteer_ids", "volunteer_votes"} <= set(table.colnames):
        # simulate --preset galaxy-cluster writes every vote as two ';'-joined lists per candidate
        table, label_columns = volunteer_vote_columns(table, str(cutouts.source))
    elif votes_table is not None and ID in votes_table.colnames and len(votes_table):
        ids = [str(v).strip() for v in votes_table[ID]]
        uniq, counts = np.unique(ids, return_counts=True)
        if (counts > 1).any():
            # a Zooniverse-style export, one row per vote: _match_ids said only that an id repeats
            twice = next(v for v in ids if counts[np.searchsorted(uniq, v)] > 1)
            raise StarclassError(f"votes table {labels}: id '{twice}' appears {ids.count(twice)} times; "
                                 "train --labels takes one row per object with one vote column per person; a table "
                                 "of one row per vote (id, person, vote) becomes one with pandas: "
                                 "df.pivot(index='id', columns='person', values='vote').fillna(0).reset_index()")
    out = votes_for_catalogue(cfg, table, votes_table, columns=label_columns, model=label_model, name=name)
    echo(f"cutouts: {len(cutouts)} images of {cutouts.images.shape[-1]} px from {cutouts.source}")
    _echo_enlargement(cutouts, cfg, stamp_size_given, fit_kwargs.get("init_from"))
    echo(f"labels: {counted(out.n_labelled, 'cutout')} with votes in {', '.join(out.columns)} "
         f"({counted(out.n_votes, 'vote')}), label model {label_model}"
         f"{negative_votes_note(table if votes_table is None else votes_table, out.columns)}")
    with _held_cautions() as cautions, _left_out_said_once(True):
        result = fit_cutouts(cfg, cutouts, outdir=output, targets=out.targets, label_model=out.model, **fit_kwargs)
    if out.annotators is not None:
        from starclass.io.catalog import write_catalog

        write_catalog(out.annotators, Path(output) / "annotators.ecsv", overwrite=True)
        echo(f"Dawid-Skene confusion matrix of each annotator written to {Path(output) / 'annotators.ecsv'}")
    _summarise(cfg, result, output, precision, soft=out.model != "mode",
               left_out=_left_out(result.n_unlabelled, out.voted, out.targets, 0, noun=row_noun(True)), cutouts=True,
               cautions=cautions)


def volunteer_vote_columns(table: Table, name: str = "the cutout CSV") -> tuple[Table, list[str]]:
    """The ``volunteer_ids`` / ``volunteer_votes`` lists of ``simulate --preset galaxy-cluster`` as vote columns.

    Each row holds its volunteers and their votes as two ``;``-joined lists (``"31;1;39"``,
    ``"2;2;1"``); the label models take one column per person, 0 where a person did not vote.

    Parameters
    ----------
    table : astropy.table.Table
        The cutout CSV's table.
    name : str
        Its file, named in errors.

    Returns
    -------
    (astropy.table.Table, list of str)
        A copy with one ``volunteer_<id>`` column per volunteer, and those columns.

    Examples
    --------
    >>> from astropy.table import Table
    >>> t = Table({"volunteer_ids": ["3;1", "1"], "volunteer_votes": ["2;1", "2"]})
    >>> out, cols = volunteer_vote_columns(t)
    >>> cols, out["volunteer_1"].tolist(), out["volunteer_3"].tolist()
    (['volunteer_1', 'volunteer_3'], [1, 2], [2, 0])
    """
    ids_of, votes_of = [], []
    for i, (a, b) in enumerate(zip(table["volunteer_ids"], table["volunteer_votes"])):
        a, b = str(a).strip(), str(b).strip()
        ids = [x.strip() for x in a.split(";")] if a and a not in ("--", "nan") else []
        vs = [x.strip() for x in b.split(";")] if b and b not in ("--", "nan") else []
        if len(ids) != len(vs):
            raise StarclassError(f"{name}: row {i + 1}: {len(ids)} volunteer_ids but {len(vs)} volunteer_votes")
        try:
            votes = [int(v) for v in vs]
        except ValueError:
            raise StarclassError(f"{name}: row {i + 1}: volunteer_votes {b!r} are not class numbers") from None
        ids_of.append(ids)
        votes_of.append(votes)
    people = sorted({p for ids in ids_of for p in ids}, key=lambda p: (len(p), p))
    if not people:
        raise StarclassError(f"{name}: volunteer_ids holds no volunteer (simulate --volunteers 0?)")
    out = table.copy(copy_data=False)
    cols = [f"volunteer_{p}" for p in people]
    for p, col in zip(people, cols):
        out[col] = np.array([dict(zip(ids, votes)).get(p, 0) for ids, votes in zip(ids_of, votes_of)], np.int64)
    return out, cols


def _held_cautions() -> contextlib.AbstractContextManager[list[str]]:
    """Hold the calibration cautions fit and cross_validate warn (:func:`starclass.learn.train.warn_caution_notes`)."""
    from starclass.errors import CalibrationFitWarning, UncalibratedWarning

    return held_warnings((CalibrationFitWarning, UncalibratedWarning))


def _echo_notes(notes: list[str], cautions: Sequence[str] = ()) -> None:
    """Print fit's notes, less the "NOT frozen" ones when train said it before training; then its cautions.

    The open-globular preset without ImageNet weights printed its "NOT frozen" warning three
    times (train's own before training, the network's log line and fit's note, once per member
    and per fold with --cv); train's is kept, the notes stay in the member files.

    ``cautions`` are the warnings fit (or cross_validate) gave, held while it ran: printed as ``WARNING:``
    after the notes, whose copies of them (:class:`starclass.learn.train.CautionNote`) are not printed.
    """
    from starclass.learn.train import CautionNote
    from starclass.models.torchvision_nets import NOT_FROZEN_NOTE, no_weights_were_announced

    for note in notes:
        if (NOT_FROZEN_NOTE in note and no_weights_were_announced()) or isinstance(note, CautionNote):
            continue
        echo(note)
    for caution in cautions:
        # too few rows to pin the map down, a map at an end of its search, a fine-tune left without one
        typer.echo(f"WARNING: {caution}", err=True)


@contextlib.contextmanager
def _left_out_said_once(votes: bool) -> Iterator[None]:
    """With votes, keep fit's "N candidates without an output class are left out" line unsaid.

    The summary line counts those rows in words that tell the candidates nobody labelled from those whose
    votes map to no output class (:func:`_left_out`); fit's line, said first, called all of them "without an
    output class": a fine-tune on 200 labels of 4,902 candidates said "4702 candidates without an output
    class" and then "(4702 candidates nobody labelled left out)" of the same rows.
    """
    if not votes:
        yield
        return
    from starclass.learn.train import unlabelled_unsaid

    with unlabelled_unsaid():
        yield


def _left_out(n_left: int, voted: np.ndarray | None, targets: np.ndarray, n_bad: int, noun: str = "candidate") -> str:
    """What the candidates training left out were, with votes (``--labels``): "(N ... left out)".

    ``noun`` names a row: ``"cutout"`` for a cutout folder's (no detected candidates there).

    "32 without an output class" was said of catalogue rows nobody had labelled: the words suit a
    row whose votes are all for classes the task leaves out, not one without any vote.
    ``targets`` are the rows' training targets as fit was given them (a pseudo-labelled row has one).
    """
    if int(n_left) == 0 and not n_bad:
        return ""  # none left out: nothing to say ("0 whose labels map to no output class left out" was said)
    if voted is None or len(voted) != len(targets):
        return f"{n_left} without an output class left out"
    t = np.asarray(targets, dtype=float)
    has = t.reshape(len(t), -1).sum(axis=1) > 0
    nobody = min(int(np.sum(~np.asarray(voted, dtype=bool) & ~has)), int(n_left))
    # the rest had votes: for classes the task leaves out, or (said above) no usable stamp
    no_class = max(int(n_left) - nobody - int(n_bad), 0)
    parts = [f"{counted(nobody, noun)} nobody labelled"] if nobody else []
    if no_class or not (parts or n_bad):
        # not "0 whose labels map to no output class" beside the rows without a stamp, the only ones left out
        parts.append(f"{no_class} whose labels map to no output class")
    if n_bad:
        parts.append(f"{n_bad} without a usable stamp")
    return ", ".join(parts) + " left out"


def next_after_training(output: str | Path, *, cutouts: bool, calibrate_first: str | None = None,
                        mosaics: Sequence[Path] | None = None, stores: bool = False) -> str:
    """The line after "model written to M": the command that uses the model, as a new user looks for it.

    ``train`` ended with "model written to M" and nothing on what to run next; the classify command of a
    cutout folder (``--stamps``) differs from that of mosaics, so the line gives the one for the data
    trained on. A model whose calibration is missing or not to be trusted (``calibrate_first``, why:
    :func:`calibration_to_refit`) is sent to ``calibrate`` first: classify with it wrote probabilities
    flattened by a temperature fitted on 4 rows while the line pointed straight to classify. The
    mosaics trained on (one field's ``--mosaics``) stand in the calibrate command (its held-out rows): after
    ``train --mosaics field/`` the line said ``MOSAICS`` as if they were not known. The classify command names
    another field (``OTHER_DIR``, said to be so, the field trained on named as the one not to give:
    :func:`~starclass.cli.next_steps.other_field_words`) and other cutouts (``LIST``): until 2026-12-07 it
    proposed the very field trained on (``classify field -c CANDIDATES``), where the scores are in-sample.

    Parameters
    ----------
    output : str or Path
        The model directory written.
    cutouts : bool
        Trained on a cutout folder (``--stamps`` with a CSV or directory), else on mosaics or stamp stores.
    calibrate_first : str, optional
        Why the model is to be calibrated before classifying (words following "calibrate it first:").
    mosaics : sequence of Path, optional
        The one field's mosaics trained on (a folder, or files in one folder), or with ``stores`` the folder
        the stores were cut from (:func:`stores_mosaics`); else the placeholder ``MOSAICS``.
    stores : bool, optional
        Trained on stamp stores (``--stamps STORE.h5``): calibrate and classify stores cut as they were
        (``--stamps``), not mosaics with a catalogue (placeholders of inputs the user never gave, until 2026-12-07).

    Returns
    -------
    str

    Examples
    --------
    >>> print(next_after_training("my model", cutouts=True))  # doctest: +NORMALIZE_WHITESPACE
    next: classify cutouts with "starclass classify --stamps LIST --model 'my model' -o classified.ecsv" (LIST:
    a folder or CSV of cutouts it was not trained on, labelled or not); "starclass info 'my model'" describes the
    model
    >>> next_after_training("m", cutouts=False)[:104]
    "next: classify candidates with 'starclass classify OTHER_DIR -c CANDIDATES --model m -o classified.ecsv'"
    >>> print(next_after_training("m", cutouts=False, mosaics=[Path("field")]))  # doctest: +NORMALIZE_WHITESPACE
    next: classify candidates with 'starclass classify OTHER_DIR -c CANDIDATES --model m -o classified.ecsv'
    (OTHER_DIR: the mosaics folder of a field it was not trained on, not field; scored there, its figures would be
    in-sample); 'starclass info m' describes the model
    >>> print(next_after_training("m", cutouts=False, stores=True))  # doctest: +NORMALIZE_WHITESPACE
    next: classify a stamp store with 'starclass classify --stamps stamps.h5 --model m -o classified.ecsv'
    (stamps.h5: cut first for the model's task with 'starclass cutouts OTHER_DIR -c CANDIDATES --task m -o
    stamps.h5'; OTHER_DIR: the mosaics folder of a field it was not trained on; scored there, its figures would be
    in-sample); 'starclass info m' describes the model
    >>> next_after_training("m", cutouts=True, calibrate_first="it has no calibration")[:93]
    "next: calibrate it first, it has no calibration: 'starclass calibrate m --stamps HELD_OUT.csv"
    """
    # a model path with a space is quoted inside the command, which is then shown in double quotes: printed
    # in single quotes as before, 'starclass info 'my model'' did not copy as one command
    model = shell_word(output)
    from starclass.cli.next_steps import OTHER_DIR, classified_name, other_field_words
    from starclass.cli.suggest_cmd import data_dir_of

    # the folder trained on where there is one (the user gave it); several fields or a store: a placeholder
    folder = data_dir_of(list(mosaics)) if mosaics else None
    data = "MOSAICS" if folder is None else shell_word(folder)
    first = ""
    if calibrate_first:
        held = (f"{shown_command(f'starclass calibrate {model} --stamps HELD_OUT.csv --overwrite')} (HELD_OUT.csv: "
                "labelled cutouts it was not trained on)" if cutouts else
                f"{shown_command(f'starclass calibrate {model} --stamps HELD_OUT.h5 --overwrite')} (HELD_OUT.h5: "
                "a stamp store of labelled candidates it was not trained on, cut for its task)" if stores else
                f"{shown_command(f'starclass calibrate {model} {data} -c HELD_OUT.ecsv --overwrite')} (HELD_OUT.ecsv: "
                "labelled candidates it was not trained on)")
        first = f"calibrate it first, {calibrate_first}: {held}; then "
    info = shown_command(f"starclass info {model}")
    if cutouts:
        return (f"next: {first}classify cutouts with {classify_cutouts_command(output, seen='trained')}; {info} "
                "describes the model")
    if stores:
        from starclass.cli.next_steps import free_name

        # the store a name not there yet (next_steps.free_name), cut by the command after it: 'STORE.h5' was a
        # placeholder in both
        store = shell_word(free_name("stamps", ".h5"))
        classify = shown_command(f"starclass classify --stamps {store} --model {model} -o {classified_name()}")
        # cutouts --task takes a model folder: its task's bands, stamp size, scales and normalisation
        # from another field than the stores were cut from (scored there: in-sample); that one, where their record
        # names it (stores_mosaics), is named as the field not to give
        cut = shown_command(f"starclass cutouts {OTHER_DIR} -c CANDIDATES --task {model} -o {store}")
        return (f"next: {first}classify a stamp store with {classify} ({store}: cut first for the model's task with "
                f"{cut}; "
                f"{other_field_words(None if folder is None else data, 'trained')}); {info} describes the model")
    # another field than the one trained on: classified there, the scores are in-sample (next_steps.OTHER_DIR)
    classify = shown_command(f"starclass classify {OTHER_DIR} -c CANDIDATES --model {model} -o {classified_name()}")
    other = other_field_words(None if folder is None else data, "trained")
    return f"next: {first}classify candidates with {classify} ({other}); {info} describes the model"


def classify_cutouts_command(model: str | os.PathLike, also: str = "", seen: str = "") -> str:
    """The command that classifies a cutout folder with ``model``, as train's and calibrate's ``next:`` lines show it.

    Train said ``--stamps CUTOUTS ... -o classified.csv`` and calibrate ``--stamps LIST ... -o
    classified.ecsv`` for the same step (until 2026-12-07); one wording now: ``LIST``, the placeholder
    inspect, suggest and the docs use for a cutout folder, and an ECSV output, which keeps the units and
    the provenance header a CSV drops (docs/io.md).

    Parameters
    ----------
    model : str or path-like
        The model directory.
    also : str, optional
        More words for the parenthesis that says what ``LIST`` is (calibrate's note on ``--tta``).
    seen : str, optional
        What the command just did with its cutouts (``"trained"``, ``"calibrated"``): ``LIST`` is said to be
        other cutouts, where classify's scores are not in-sample (until 2026-12-07 nothing said so).

    Returns
    -------
    str
        The command, quoted to copy, and what ``LIST`` stands for.

    Examples
    --------
    >>> print(classify_cutouts_command("m"))
    'starclass classify --stamps LIST --model m -o classified.ecsv' (LIST: a folder or CSV of cutouts, labelled or not)
    >>> print(classify_cutouts_command("m", also="--tta uses the fit under TTA"))  # doctest: +NORMALIZE_WHITESPACE
    'starclass classify --stamps LIST --model m -o classified.ecsv' (LIST: a folder or CSV of cutouts, labelled or not;
    --tta uses the fit under TTA)
    """
    from starclass.cli.next_steps import classified_name

    command = shown_command(f"starclass classify --stamps LIST --model {shell_word(model)} -o {classified_name()}")
    # the cutouts just trained or calibrated on score in-sample there: other ones, as the mosaics' OTHER_DIR
    other = "" if not seen else f" it was not {seen if seen == 'trained' else f'{seen} or trained'} on"
    return f"{command} (LIST: a folder or CSV of cutouts{other}, labelled or not{f'; {also}' if also else ''})"


def stores_mosaics(stores: Sequence[str | os.PathLike]) -> list[Path] | None:
    """The one folder of mosaics the stamp stores were cut from (their recorded ``sources``), as ``[folder]``.

    ``train --stamps STORE.h5`` closed with ``starclass cutouts MOSAICS ... --task m``, a placeholder, though
    the store records the mosaic files it was cut from; the line names their folder where all the stores'
    mosaics are in one folder found on disk, else None (the placeholder stays).

    Parameters
    ----------
    stores : sequence of path-like
        The stamp stores trained on.

    Returns
    -------
    list of Path or None

    Examples
    --------
    >>> stores_mosaics(["no/such/store.h5"]) is None
    True
    """
    from starclass.cli.suggest_cmd import store_mosaics_folder

    folders = {store_mosaics_folder(Path(s)) for s in stores}
    return None if len(folders) != 1 or None in folders else [folders.pop()]


def calibration_to_refit(model: str | Path) -> str | None:
    """Why the model's calibration is to be fitted with ``calibrate`` before classifying; None where it may be used.

    A model without a calibration (classify writes no ``pred_set``), or with one fitted on fewer rows
    than ``calibrate`` trusts or at an end of its search (:meth:`ModelCalibration.cautions`).

    Parameters
    ----------
    model : str or Path
        A model directory.

    Returns
    -------
    str or None
        The reason in a few words, for :func:`next_after_training`.

    Examples
    --------
    >>> import shutil, tempfile
    >>> from starclass.learn.checkpoint import write_untrained_model
    >>> from starclass.learn.config import get_preset
    >>> d = Path(tempfile.mkdtemp())
    >>> calibration_to_refit(write_untrained_model(d / "m_uncal", get_preset("m31-real", stamp_size=16)))
    'it has no calibration (classify would write raw probabilities and no pred_set)'
    >>> shutil.rmtree(d)
    """
    from starclass.learn.calibration import ModelCalibration, too_few_rows
    from starclass.learn.checkpoint import read_manifest

    try:
        doc = read_manifest(Path(model))
        entry = doc.get("calibration")
        cal = ModelCalibration.from_dict(entry) if entry else None
    except (StarclassError, OSError):
        return None  # nothing to judge: the line points to classify, which says what is wrong
    if cal is None:
        return "it has no calibration (classify would write raw probabilities and no pred_set)"
    if not cal.cautions():
        return None
    if too_few_rows(cal.n, cal.class_counts(), cal.method) is not None:
        return f"its calibration was fitted on only {counted(cal.n, 'row')} (too few to trust: the WARNING above)"
    return "its calibration is at an end of its search (not to be trusted: the WARNING above)"


def _summarise(cfg, result, output: Path, precision: str | None, soft: bool = False,
               left_out: str | None = None, cutouts: bool = False, cautions: Sequence[str] = (),
               mosaics: Sequence[Path] | None = None, stores: bool = False) -> None:
    from starclass.errors import calibrate_command_named
    from starclass.learn.train import CautionNote

    # 'starclass calibrate MODEL', written as the model was fitted: it is the folder written here (a
    # CautionNote, a copy of a caution, is kept as it is: _echo_notes passes over it by its type)
    notes = [n if isinstance(n, CautionNote) else calibrate_command_named(n, output) for n in result.notes]
    _echo_notes(notes, [calibrate_command_named(c, output) for c in cautions])
    from starclass.learn.precision import compute_dtype, cpu_has_bf16_units, dtype_name

    dtype = compute_dtype(cfg.recipe.amp, result.device)
    if precision is None and dtype is None and result.device.startswith("cpu") and cpu_has_bf16_units():
        # no factor: measured for m31-real's network on this project's AMD EPYC (AVX512-BF16, no AMX) it was
        # 1.2-2.0x (benchmarks/cpu_precision.py, 2026-12-07), 5.4x for legus4's on an Intel Xeon with AMX
        # and 1.0x for ResNet18: "several times faster" held for one network on one CPU
        echo("note: this CPU has bfloat16 units; --precision bf16 may train faster, by how much depends on the "
             "network and the CPU (measured 1.0x to 5.4x: docs/training.md, Precision)")
    kept = getattr(result, "n_kept", 0)
    if kept == len(result.members):
        # nothing trained: the data and settings matched the finished model's (fit checks it)
        # a member that differed only in entries that change no weight (pixel_scale, ...) was given the values now
        retold = any("changes no weight" in n or "change no weight" in n for n in result.notes)
        echo(f"all {counted(kept, 'member')} of task {cfg.name!r} were already trained on these data with these "
             + (f"settings; kept their weights in {output}, with the values now of the entries above that change no "
                "weight" if retold else f"settings; kept {output} unchanged"))
        return
    # "(0 without an output class left out)" was said of every run that left none out: said only where some were
    left_out = left_out or (f"{result.n_unlabelled} without an output class left out" if result.n_unlabelled else "")
    echo(f"trained {counted(len(result.members) - kept, 'member')} of task {cfg.name!r} on {result.device} "
         f"({dtype_name(dtype)}): "
         f"{result.n_train} training, {result.n_val} validation {'cutouts' if cutouts else 'candidates'} "
         f"{f'({left_out}) ' if left_out else ''}in {result.seconds:.1f} s")
    # soft targets (--label-model soft / dawid-skene) count a candidate fractionally in every
    # class it may be: the rounded expected counts need not add up to the training candidates
    # (720 training and counts summing to 719 read as a row lost)
    what = "expected training counts per class (sums of the soft targets, rounded)" if soft else \
        "training counts per class"
    from starclass.evaluate.task import class_labels

    # by number and the task's name ("1 (star): 15"), as evaluate and the figures name the classes
    names = class_labels(cfg.classes, cfg.class_names)
    echo(f"{what}: " + ", ".join(f"{names.get(int(c), c)}: {n}" for c, n in result.class_counts.items()))
    # on soft targets the validation accuracy is the expected agreement with a label drawn from
    # each row's vote distribution: 0.292 on 16 rows read as a count of rows right (k/16)
    how = " (expected agreement with the soft targets)" if soft else ""
    recalibrated = False
    for i, (acc, ep) in enumerate(zip(result.val_accuracy, result.best_epochs)):
        acc_txt = "n/a" if np.isnan(acc) else f"{acc:.3f}{how}"
        # the final figure is measured after batch norm is recalibrated on the training rows; the
        # progress bar showed each epoch's before it (0.689 at the kept epoch, 0.784 here, on 442
        # PAndAS cutouts), and two numbers for one epoch read as a mistake
        hist = result.histories[i] if i < len(result.histories) else []
        at_ep = next((h.get("val_acc") for h in hist if h.get("epoch") == ep), None)
        if (at_ep is not None and np.isfinite(acc) and np.isfinite(at_ep)
                and f"{at_ep:.3f}" != f"{acc:.3f}"):
            acc_txt += f" after batch-norm recalibration ({at_ep:.3f} at epoch {ep} during training)"
            recalibrated = True
        # beside it the balanced accuracy (mean recall over the classes): "validation accuracy 0.942" alone, on a
        # set where always saying "non-cluster" scores 0.92, read as a good model
        bal = result.val_balanced_accuracy[i] if i < len(result.val_balanced_accuracy) else float("nan")
        if np.isfinite(bal):
            acc_txt += f", balanced accuracy {bal:.3f}"
        # a fine-tune on 20 labels printed "validation accuracy 0.667, balanced accuracy 0.500" from 3 rows,
        # unqualified: under FEW_VALIDATION_ROWS the line says on how few rows the figures rest
        few = few_validation_rows(result.n_val) if np.isfinite(acc) else ""
        if few:
            acc_txt += f", on {few}"
        echo(f"  member {i + 1}: kept epoch {ep}, validation accuracy {acc_txt}")
    if recalibrated:
        # the two figures were named but not explained: the simulate -> train run of docs/explain.md printed
        # val_acc 0.100 on every epoch line and kept 0.450, which read as a bug
        echo(BN_RECALIBRATION_WHY)
    if line := at_chance_line(result.val_accuracy, result.val_balanced_accuracy, len(cfg.classes)):
        echo(line)
    echo(f"model written to {output}")
    echo(next_after_training(output, cutouts=cutouts, calibrate_first=calibration_to_refit(output), mosaics=mosaics,
                             stores=stores))
