"""Training and classification on labelled cutout folders (issue 12).

Cutouts come from :func:`starclass.io.cutout_folders.read_cutout_folder`; their label
strings become classes through the task's ``label_map`` (stored with the model);
:func:`starclass.stamps.images.cutout_inputs` turns the pixels into model inputs. Training
is :func:`starclass.learn.train.fit` with a validation set drawn **by group** (all cutouts
of one object on one side), and classification is
:func:`starclass.learn.classify.predict_inputs`: nothing here has a loop of its own.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from astropy.table import Table

from starclass import quiet_import
from starclass.errors import StarclassError, counted, model_word, row_noun
from starclass.io.catalog import keep_input_columns
from starclass.io.cutout_folders import (
    UNIT_KEEPING_NORMALISATIONS,
    CutoutSet,
    averaged_planes_note,
    cutout_field_arcsec,
    grey_in_colour,
    label_classes,
    mixed_scale_note,
    mixed_units_note,
    taken_planes_note,
)
from starclass.learn.calibration import leave_out_blank
from starclass.learn.checkpoint import MANIFEST, LoadedModel, load_model, set_training_cutouts
from starclass.learn.classify import (
    blank_bands,
    blank_column,
    blank_counts,
    decision_threshold,
    earlier_outputs,
    predict_inputs,
    trust_columns,
)
from starclass.learn.config import ENLARGED_FROM, TaskConfig
from starclass.learn.precision import pick_device, precision_name
from starclass.learn.provenance import row_digests, starting_trained
from starclass.learn.train import ApartSplit, TrainResult, apart_note, fit, split_apart
from starclass.schema import (
    CLASS_PRED,
    CLASS_REF,
    CUTOUT_LIST,
    CUTOUT_ROOT,
    CUTOUT_ROOT_ABSOLUTE,
    INFERENCE_BATCH_SIZE,
    MUTUAL_INFO,
    PROB_STD,
    QUALITY,
    STAMP_NO_DATA,
    TTA_STD,
    prob_col,
)
from starclass.stamps.images import (
    CENTRE_NO_DATA_WORDS,
    ROBUST_SIGMA_LIMIT,
    ZERO_PADDING_ADVICE,
    ZERO_PADDING_WORDS,
    cutout_band_no_data,
    cutout_centre_no_data,
    cutout_inputs,
    cutout_no_data_fraction,
    runaway_zscore_rows,
    zero_padding_rows,
)

with quiet_import():
    from sklearn.model_selection import StratifiedGroupKFold

__all__ = ["centre_no_data_note", "classify_cutouts", "colour_note", "cutout_size_note", "enlargement_note",
           "few_rows_note", "fit_cutouts", "group_folds", "group_validation", "runaway_zscore_note",
           "unclassified_cutouts"]


def enlargement_note(cutouts: CutoutSet, config: TaskConfig) -> str | None:
    """A note when training would enlarge the cutouts to the task's ``stamp_size`` by 1.5x or more, else None.

    ``docs/seeds.md``'s open/globular command trained ``open-globular-compact`` (224 px stamps, the paper's
    VGG16 size) on the simulator's 64 px cutouts without a word: each was enlarged 3.5x (bilinear), 12x the
    pixels through the network for no detail gained, on a CPU some ten times slower per epoch than at 64 px,
    and not the 64 px run whose accuracy the page gives. The size to give (``--stamp-size``) is said.

    Parameters
    ----------
    cutouts : CutoutSet
        The training cutouts as read (their own sizes: :meth:`CutoutSet.widths`).
    config : TaskConfig
        The task they will be trained under.

    Returns
    -------
    str or None

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> cs = CutoutSet(images=np.zeros((2, 3, 64, 64), np.float32), table=Table(), files=["a", "b"],
    ...                labels=None, groups=np.array(["a", "b"]), source=Path("og/labels.csv"))
    >>> print(enlargement_note(cs, get_preset("open-globular-compact")))  # doctest: +NORMALIZE_WHITESPACE
    note: the cutouts (64 px) are enlarged to the task's 224 px stamps (3.5x, bilinear): no detail is gained,
    and the network reads 12x the pixels; give --stamp-size 64 to train at their own size
    >>> enlargement_note(cs, get_preset("open-globular-compact", stamp_size=64)) is None
    True
    """
    widths = cutouts.widths()
    if not len(widths) or int(widths.max()) <= 0:
        return None
    largest, size = int(widths.max()), int(config.stamp_size)
    factor = size / largest
    if factor < ENLARGED_FROM:
        return None
    which = "the cutouts" if int(widths.min()) == largest else "the largest cutouts"
    return (f"note: {which} ({largest} px) are enlarged to the task's {size} px stamps ({factor:.1f}x, bilinear): no "
            f"detail is gained, and the network reads {factor ** 2:.0f}x the pixels; give --stamp-size {largest} to "
            "train at their own size")


def colour_note(cutouts: CutoutSet, config: TaskConfig) -> str | None:
    """The one line that 3-plane cutouts are averaged to grey for a one-band task, or that named planes are taken.

    :func:`starclass.stamps.images.cutout_inputs` averages the three planes of a colour file
    (an RGB JPEG or PNG) or of a 3-plane FITS cube for a task of one band, as documented; the
    line (:func:`starclass.io.cutout_folders.averaged_planes_note`, shared with
    ``inspect --stamps``) says how many files and how to use the planes as bands instead. Cubes whose
    FITS headers name the task's bands (a Legacy Survey g, r, z cube for a g task) had those planes
    taken (:attr:`~starclass.io.cutout_folders.CutoutSet.taken_planes`): the line, starting
    ``note:``, says which (:func:`~starclass.io.cutout_folders.taken_planes_note`).

    Examples
    --------
    >>> import numpy as np
    >>> from astropy.table import Table
    >>> from starclass.learn.config import get_preset
    >>> rgb = np.random.default_rng(0).random((2, 3, 8, 8)).astype(np.float32)  # three planes of their own
    >>> cs = CutoutSet(images=rgb, table=Table(), files=["a.png", "b.png"],
    ...                labels=None, groups=np.array(["a", "b"]))
    >>> colour_note(cs, get_preset("m31-real"))[:80]
    "warning: 2 cutout files have 3 planes (2 RGB pictures) but task 'm31-real' has o"
    """
    if cutouts.images.ndim != 4:
        return None
    if cutouts.taken_planes:
        return taken_planes_note([str(f) for f in cutouts.files], cutouts.plane_bands, cutouts.taken_planes,
                                 config.name)
    grey = int(grey_in_colour(cutouts.images).sum()) if len(config.bands) == 1 else 0
    return averaged_planes_note([str(f) for f in cutouts.files], cutouts.images.shape[1], config.bands, config.name,
                                named=getattr(cutouts, "named_cubes", 0), plane_bands=cutouts.plane_bands,
                                is_preset=config.preset_name is not None, grey=grey)


def check_pixel_scales(cutouts: CutoutSet, config: TaskConfig, what: str) -> None:
    """Refuse a folder of pictures (scaled to 0-1) and FITS/NPY values (as stored) under normalisation ``none``.

    A task that normalises each stamp (``zscore``, ``zstd``, ``asinh``: independent of a constant
    factor) puts both kinds on one scale, so they pass. Under ``none`` the network sees the values
    as read: pictures in 0-1 beside FITS counts of hundreds. Trained so, it can learn the file
    format instead of the object (where a label comes from one survey's FITS and the other from
    PNGs, the format *is* the label); classifying so, one kind of file reaches a model far outside
    the range it was trained on. No output of such a run can be trusted, and a warning beside a
    finished catalogue is easily missed, so it is refused (exit 2) before any work, saying how to
    fix it. (``info`` describes the same folder per format: :func:`mixed_scale_note`.)

    FITS cutouts in different units (``BUNIT`` counts beside counts/s, or counts of different ``EXPTIME``:
    :func:`~starclass.io.cutout_folders.mixed_units_note`) are warned of under a normalisation that keeps the
    values' scale (``none``, ``flux``), naming two files with their units; a per-stamp normalisation divides
    the factor out, so they pass in silence. Warned, not refused: a folder whose files lack ``BUNIT`` in part
    may well be of one unit.

    Parameters
    ----------
    cutouts : CutoutSet
        The folder as read (:attr:`~starclass.io.cutout_folders.CutoutSet.pixel_kinds`).
    config : TaskConfig
        The task (its ``normalisation``).
    what : str
        What could not be trusted, for the message: "training", "classification", "the calibration",
        "explanation" (as train, classify, calibrate and explain pass it).

    Raises
    ------
    StarclassError
        Normalisation ``none`` and a folder on two scales, naming the folder, the formats and their ranges.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> cs = CutoutSet(images=np.stack([np.full((1, 4, 4), 0.5), np.full((1, 4, 4), 800.0)]).astype("f4"),
    ...                table=None, files=["a.png", "b.fits"], labels=None, groups=np.array(["a", "b"]),
    ...                pixel_kinds=["picture", "stored"])
    >>> check_pixel_scales(cs, get_preset("m31-real"), "training")  # zscore: one scale per stamp, passes
    >>> try:
    ...     check_pixel_scales(cs, get_preset("m31-real").copy(normalisation="none"), "training")
    ... except StarclassError as exc:
    ...     print(str(exc)[:62])
    .: 1 picture file scaled to 0-1 beside 1 FITS/NPY file whose s
    """
    norm = getattr(config, "normalisation", None)
    if norm in UNIT_KEEPING_NORMALISATIONS and (units := mixed_units_note(cutouts)) is not None:
        # BUNIT and EXPTIME went unread: counts beside counts/s reached the network a factor EXPTIME apart
        warnings.warn(f"{cutouts.source}: {units}. Task {config.name!r} has normalisation {norm!r}, which keeps the "
                      f"values' scale, so the network sees these cutouts on different scales in {what}: convert them "
                      "to one unit (counts / EXPTIME = counts/s), or use a task that normalises each stamp "
                      "('normalisation: zscore', zstd or asinh in its task file)", UserWarning, stacklevel=2)
    if norm != "none" or (note := mixed_scale_note(cutouts)) is None:
        return
    raise StarclassError(
        f"{cutouts.source}: {note}. Task {config.name!r} has normalisation 'none', so the network would see the "
        f"two kinds of file on different scales and {what} cannot be trusted: convert the cutouts to one kind "
        "(all FITS/NPY with their values, or all pictures), or use a task whose normalisation puts each stamp "
        "on one scale ('normalisation: zscore', zstd or asinh in its task file)")


def group_folds(labels: np.ndarray, groups: np.ndarray, n_folds: int = 5, seed: int = 0, *,
                class_names: dict[int, str] | None = None, validation: bool = False) -> np.ndarray:
    """Fold number (0..n_folds-1) of every row; all rows of a group share one fold.

    Folds are stratified by class as far as whole groups allow (scikit-learn's
    ``StratifiedGroupKFold``, shuffled with ``seed``), so every model of a benchmark can be
    given the same folds. A class with fewer rows than folds cannot be in every fold:
    scikit-learn's warning about it ("The least populated class in y has only ...") is replaced
    by one of ours naming the class, its cutouts and objects, and what the split does.

    Parameters
    ----------
    labels : numpy.ndarray
        Class of every row.
    groups : numpy.ndarray
        Group (object) of every row.
    n_folds : int
        Number of folds (at most the number of groups).
    seed : int
        Shuffling seed.
    class_names : dict of int to str, optional
        How the warning names each label value (e.g. ``{2: "class 2 (extended_cluster)"}``;
        default ``class <value>``).
    validation : bool
        The folds make a validation split (fold 0 is held out): the warning says so.

    Returns
    -------
    numpy.ndarray
        int64 fold per row.

    Examples
    --------
    >>> import numpy as np
    >>> f = group_folds(np.array([1, 1, 2, 2, 1, 2]), np.array(["a", "a", "b", "c", "d", "e"]), 2)
    >>> bool(f[0] == f[1])
    True
    """
    labels = np.asarray(labels)
    groups = np.asarray(groups).astype(str)
    if labels.shape != groups.shape:
        raise StarclassError(f"{labels.size} labels but {groups.size} groups")
    n_groups = np.unique(groups).size
    if not 2 <= int(n_folds) <= n_groups:
        raise StarclassError(f"n_folds={n_folds}: need 2 <= n_folds <= the number of groups ({n_groups})")
    folds = np.full(labels.size, -1, dtype=np.int64)
    splitter = StratifiedGroupKFold(n_splits=int(n_folds), shuffle=True, random_state=int(seed))
    with warnings.catch_warnings():
        # told below in our words (which class, how many objects, what happens), once per split
        warnings.filterwarnings("ignore", message="The least populated class in y", category=UserWarning)
        parts = list(splitter.split(np.zeros(labels.size), labels, groups))
    for k, (_, test) in enumerate(parts):
        folds[test] = k
    note = few_rows_note(labels, groups, int(n_folds), class_names=class_names, validation=validation)
    if note:
        warnings.warn(note, stacklevel=2)
    return folds


def few_rows_note(labels: np.ndarray, groups: np.ndarray, n_parts: int, *,
                  class_names: dict[int, str] | None = None, validation: bool = False) -> str | None:
    """Say which classes have fewer rows than a stratified split has parts, and what follows; or None.

    Examples
    --------
    >>> import numpy as np
    >>> note = few_rows_note(np.array([1, 1, 1, 2]), np.array(["a", "b", "c", "d"]), 3,
    ...                      class_names={2: "class 2 (galaxy)"})
    >>> note.split(", fewer")[0]
    '3 folds: class 2 (galaxy) has only 1 cutout of 1 object'
    >>> few_rows_note(np.array([1, 1, 1, 2, 2, 2]), np.arange(6), 3) is None
    True
    """
    labels = np.asarray(labels)
    groups = np.asarray(groups).astype(str)
    values, counts = np.unique(labels, return_counts=True)
    few = [(v, int(c)) for v, c in zip(values.tolist(), counts) if c < n_parts]
    if not few:
        return None
    names = class_names or {}
    said = [f"{names.get(v, f'class {v}')} has only {counted(c, 'cutout')} of "
            f"{counted(np.unique(groups[labels == v]).size, 'object')}" for v, c in few]
    it = "it" if len(few) == 1 else "them"
    if validation:
        return (f"validation split: {'; '.join(said)}, fewer than the {n_parts} parts the objects are dealt into "
                f"(stratified by class; one part is the validation split): the validation split may hold none of "
                f"{it}, and the training side keeps the rest")
    return (f"{n_parts} folds: {'; '.join(said)}, fewer than the {n_parts} folds: some folds hold none of {it} "
            "(the split is stratified by class as far as whole objects allow)")


def group_validation(labels: np.ndarray, groups: np.ndarray, fraction: float,
                     seed: int = 0, *, class_names: dict[int, str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A train/validation split by whole groups, about ``fraction`` of the rows in validation.

    Returns ``(train_idx, val_idx)``, sorted int64; no group is on both sides. A class with
    fewer rows than the split has parts is warned about (:func:`group_folds`), named by
    ``class_names`` where given.

    Examples
    --------
    >>> import numpy as np
    >>> tr, va = group_validation(np.array([1, 2] * 10), np.repeat(np.arange(10), 2), 0.2)
    >>> sorted(set(np.repeat(np.arange(10), 2)[tr]) & set(np.repeat(np.arange(10), 2)[va]))
    []
    """
    labels = np.asarray(labels)
    n = labels.size
    if fraction <= 0:
        return np.arange(n, dtype=np.int64), np.zeros(0, dtype=np.int64)
    n_groups = np.unique(np.asarray(groups).astype(str)).size
    k = int(min(max(2, round(1.0 / float(fraction))), n_groups))
    # a stratified split into k parts needs a class with at least k rows (scikit-learn refuses
    # otherwise): on a small labelled set (e.g. 40 cutouts of three classes for fine-tuning)
    # fewer, larger parts give a somewhat larger validation share instead of an error
    largest = int(np.unique(labels, return_counts=True)[1].max()) if n else 0
    k = max(2, min(k, largest))
    folds = group_folds(labels, groups, k, seed, class_names=class_names, validation=True)
    val = np.flatnonzero(folds == 0).astype(np.int64)
    return np.setdiff1d(np.arange(n), val).astype(np.int64), val


def runaway_zscore_note(cutouts: CutoutSet, rows: np.ndarray, inputs: np.ndarray, config: TaskConfig,
                        what: str = "training") -> str | None:
    """The warning for cutouts whose robust ``zscore`` ran away, or None (under 1% of them).

    A model trained on them may learn nothing and nothing else would say so (the PAndAS
    cutouts' central 56 px trained to AUC 0.47 with ``zscore``), so the note names the rows
    and the fix; 1% keeps a lone odd cutout quiet. One message for every path that trains
    (``fit_cutouts``, ``train --stamps --cv``) and for classification (``classify_cutouts``).

    Parameters
    ----------
    cutouts : starclass.io.cutout_folders.CutoutSet
        The folder read.
    rows : numpy.ndarray
        0-based folder rows that ``inputs`` are the inputs of.
    inputs : numpy.ndarray
        Their model inputs (:func:`starclass.stamps.images.cutout_inputs`).
    config : starclass.learn.config.TaskConfig
        The task.
    what : str
        What the cutouts are for, as the message counts them ("6 of the 28 training cutouts");
        "training", or another word (``classify_cutouts``: "classified") for a trained model's inputs.

    Returns
    -------
    str or None
        The warning, or None when fewer than 1% of the rows ran away.

    Examples
    --------
    Two 8-bit-like pictures: one saturated over half the stamp (its robust z-score runs away), one of sky:

    >>> from astropy.table import Table
    >>> from starclass.learn.config import get_preset
    >>> from starclass.stamps.images import cutout_inputs
    >>> cfg = get_preset("m31-real").copy(stamp_size=56)
    >>> img = np.full((2, 1, 56, 56), 0.3, np.float32)
    >>> img[0, :, 10:50, 10:50], img[0, :, 20:40, 20:40] = 1.0, 0.996
    >>> img[1] += np.random.default_rng(0).normal(0, 0.05, (56, 56)).astype("float32")
    >>> cut = CutoutSet(images=img, table=Table(), files=["a.png", "b.png"], labels=None, groups=np.array(["a", "b"]))
    >>> note = runaway_zscore_note(cut, np.arange(2), cutout_inputs(img, cfg), cfg)
    >>> note.split(" have ")[0], "Normalisation 'zstd'" in note
    ('1 of the 2 training cutouts of . (rows 1)', True)
    >>> zstd = cfg.copy(normalisation="zstd")
    >>> runaway_zscore_note(cut, np.arange(2), cutout_inputs(img, zstd), zstd) is None
    True
    """
    bad = runaway_zscore_rows(cutouts.images[rows], inputs, config)
    if bad.size == 0 or bad.size < 0.01 * len(rows):
        return None
    named = ", ".join(str(int(r) + 1) for r in np.asarray(rows)[bad][:5]) + (", ..." if bad.size > 5 else "")
    training = what == "training"
    # the same finding; what it costs and the fix differ: training learns nothing, a trained model
    # classifies inputs far outside any it saw (the fix is a model trained with zstd)
    cost, fix = (("a network trained on such inputs may learn nothing", "'normalisation: zstd' in the task file")
                 if training else ("the network's classes for such inputs mean little",
                                   "a model trained with 'normalisation: zstd' in its task file"))
    return (f"{bad.size} of the {counted(len(rows), f'{what} cutout')} of {cutouts.source} (rows {named}) have "
            f"pixels more than {ROBUST_SIGMA_LIMIT:g} sigma from their median under the task's robust "
            "'zscore' normalisation: an object that fills a cutout saturated by its stretch leaves a MAD "
            f"of a fraction of one grey level, and {cost}. "
            "Normalisation 'zstd' (mean and standard deviation, the M31 paper's) bounds them: "
            f"{fix}, or cutouts with more sky around each object")


def fit_cutouts(config: TaskConfig, cutouts: CutoutSet, *, outdir: str | os.PathLike,
                train_index: np.ndarray | None = None, seed: int | None = None,
                pseudo_index: np.ndarray | None = None, pseudo_classes: np.ndarray | None = None,
                targets: np.ndarray | None = None, **fit_kwargs: Any) -> TrainResult:
    """Train a task on labelled cutouts with a grouped validation split.

    Blank (constant) cutouts are left out with a warning naming their rows, as ``classify``
    leaves them unclassified and ``calibrate`` leaves them out
    (:func:`starclass.learn.calibration.leave_out_blank`).

    Parameters
    ----------
    config : starclass.learn.config.TaskConfig
        The task (its ``label_map`` turns label strings into classes).
    cutouts : CutoutSet
        Labelled cutouts; their ``groups`` decide the validation split.
    outdir : str or os.PathLike
        Model directory written by :func:`starclass.learn.train.fit`.
    train_index : numpy.ndarray, optional
        Rows to use (e.g. the training folds of a cross-validation); default all.
    seed : int, optional
        Base seed (also of the validation draw).
    pseudo_index, pseudo_classes : numpy.ndarray, optional
        Further rows (not in ``train_index``) trained on with these classes instead of their
        labels: pseudo-labels (:mod:`starclass.suggest.pseudo`). They are never in the
        validation split, which is drawn from the ``train_index`` rows only.
    targets : numpy.ndarray, optional
        ``(N, config.n_classes)`` training targets per folder row from people's votes
        (:func:`starclass.learn.labels.votes_for_catalogue`), used instead of the labels; rows of
        zeros (no vote) are left out. The validation split is stratified by each row's most
        probable class. Give ``label_model`` (a ``fit`` keyword) with them.
    **fit_kwargs
        Passed to :func:`starclass.learn.train.fit` (``epochs``, ``device``, ``progress`` ...).

    Returns
    -------
    TrainResult
        Its ``val_index`` holds positions in the rows trained on (``train_index``, else the
        folder's rows), blank rows counted.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("m31-real")
    >>> # result = fit_cutouts(cfg, read_cutout_folder("labels.csv", group_column="object_id"),
    >>> #                      outdir="model")
    """
    people = np.arange(len(cutouts)) if train_index is None else np.asarray(train_index, dtype=np.int64)
    if targets is not None:
        # people's votes (train --label-model on a cutout folder): the targets, not the label column
        if pseudo_index is not None:
            raise StarclassError("pseudo-labels and vote targets cannot be combined")
        targets = np.asarray(targets, dtype=np.float64)
        if targets.shape != (len(cutouts), config.n_classes):
            raise StarclassError(f"targets of shape {targets.shape}: need ({len(cutouts)}, {config.n_classes})")
        voted = targets.sum(axis=1) > 0
        people = people[voted[people]]
        if not people.size:
            raise StarclassError(f"{cutouts.source}: no row has a vote; nothing to train on")
        # the most probable class of each row stratifies the validation split
        classes = np.where(voted, np.asarray(config.classes)[targets.argmax(axis=1)], 0).astype(np.int64)
    else:
        classes = label_classes(cutouts, config.label_map, config=config)
    pseudo_rows = np.zeros(0, np.int64) if pseudo_index is None else np.asarray(pseudo_index, dtype=np.int64)
    pseudo_cls = np.zeros(0, classes.dtype) if pseudo_classes is None else np.asarray(pseudo_classes)
    if pseudo_rows.size != pseudo_cls.size:
        raise StarclassError(f"{pseudo_rows.size} pseudo-label rows but {pseudo_cls.size} classes")
    if np.intersect1d(pseudo_rows, people).size:
        raise StarclassError("a row is both labelled by people (train_index) and pseudo-labelled (pseudo_index)")
    # people's rows first, so that positions in them (val_index) are positions in train_index
    rows = np.concatenate([people, pseudo_rows])
    is_pseudo = np.arange(rows.size) >= people.size
    check_pixel_scales(cutouts, config, "training")
    inputs = cutout_inputs(cutouts.images[rows], config)
    read_inputs = inputs  # every row read, blank ones too: the record of its files (_record_training_files)
    if note := runaway_zscore_note(cutouts, rows, inputs, config):
        warnings.warn(note, stacklevel=2)
    labels = np.concatenate([classes[people], pseudo_cls.astype(classes.dtype)])
    soft = None if targets is None else targets[rows]
    groups = cutouts.groups[rows]
    base_seed = config.recipe.member_seed(0) if seed is None else int(seed)
    # classes named by their label strings (m31-real: cluster/extended_cluster are class 1)
    names = {int(c): f"class {int(c)} (" + "/".join(sorted(k for k, v in config.label_map.items()
                                                            if int(v) == int(c))) + ")"
             for c in np.unique(labels)} if config.label_map else None
    by = getattr(config.recipe, "balance_by", None)
    if by is not None and "balance_groups" not in fit_kwargs:
        if by not in cutouts.table.colnames:
            raise StarclassError(f"recipe.balance_by={by!r}: {cutouts.source} has no column {by!r} "
                                 f"(columns: {', '.join(cutouts.table.colnames)})")
        fit_kwargs["balance_groups"] = np.asarray(cutouts.table[by]).astype(str)[rows]
    # a blank (constant) cutout holds no object: classify leaves it unclassified and calibrate
    # leaves it out, so training on it taught a class for a picture classify never scores
    empty = cutout_band_no_data(cutouts.images[rows], config)
    keep = leave_out_blank(inputs, config, np.ones(rows.size, dtype=bool), str(cutouts.source), what="training",
                           row_numbers=rows + 1, no_data=empty, places=[cutouts.row_place(i) for i in rows])
    # zeros that may be a survey's padding are trained on as sky, as classify reads them: said as classify --stamps
    # says it, of the rows trained on (an all-zero cutout is blank, said above)
    used = np.zeros(len(cutouts), dtype=bool)
    used[rows[keep]] = True
    padded, share = zero_padding_rows(cutouts, used)
    if padded.any():
        warnings.warn(zero_padding_note(padded, share, cutouts.files), stacklevel=2)
    known = None
    if not keep.all():
        # an all-NaN cutout was counted among "the N blank (constant) cutout(s)": counted apart, as leave_out_blank does
        n_empty = int((~keep & empty.any(axis=1)).sum())
        known = {_digest_with_blank(config, inputs, labels, groups, base_seed, fit_kwargs):
                 f"{blank_counts(int((~keep).sum()) - n_empty, n_empty)} of {cutouts.source}, which train now "
                 "leaves out as classify and calibrate do (the model there still works as it is)"}
        kept = np.flatnonzero(keep)
        inputs, labels, groups, is_pseudo = inputs[kept], labels[kept], groups[kept], is_pseudo[kept]
        soft = None if soft is None else soft[kept]
        if fit_kwargs.get("balance_groups") is not None and len(fit_kwargs["balance_groups"]) == keep.size:
            fit_kwargs["balance_groups"] = np.asarray(fit_kwargs["balance_groups"])[kept]
    else:
        kept = np.arange(rows.size)
    # the validation split (early stopping, calibration) from people's labels only
    human = np.flatnonzero(~is_pseudo)
    apart = _apart_from_start(fit_kwargs.get("init_from"), inputs[human], labels[human], groups[human],
                              float(config.recipe.val_fraction), base_seed, names)
    if apart is not None:
        val = apart.val_rows
    else:
        _, val = group_validation(labels[human], groups[human], float(config.recipe.val_fraction), base_seed,
                                  class_names=names)
    val = human[val]
    result = fit(config, inputs, labels if soft is None else soft, outdir=outdir, val_index=val, seed=seed,
                 known_data=known, noun=row_noun(True),
                 pseudo_index=np.flatnonzero(is_pseudo) if is_pseudo.any() else None, **fit_kwargs)
    if apart is not None:
        # said first, as fit says it of a split it draws apart itself
        result.notes.insert(0, apart_note(apart, fit_kwargs["init_from"]))
    # validation rows as positions in the rows asked for (train_index), blank rows counted
    result.val_index = kept[np.asarray(result.val_index, dtype=np.int64)]
    if targets is not None:
        # rows without a vote were left out: positions in the folder's rows (train_index) again
        asked = np.arange(len(cutouts)) if train_index is None else np.asarray(train_index, dtype=np.int64)
        where_in = {int(r): i for i, r in enumerate(asked)}
        result.val_index = np.array([where_in[int(r)] for r in people[result.val_index]], dtype=np.int64)
    if (Path(outdir) / MANIFEST).is_file():
        # classify --stamps compares its cutouts' size with these (see set_training_cutouts)
        set_training_cutouts(outdir, cutouts.images.shape, label_column=cutouts.label_column,
                             field_arcsec=cutout_field_arcsec(cutouts), group_column=cutouts.group_column)
        _record_training_files(outdir, cutouts, rows, read_inputs)
    return result


def _apart_from_start(init_from: Any, inputs: np.ndarray, labels: np.ndarray, groups: np.ndarray, fraction: float,
                      seed: int, class_names: dict[int, str] | None) -> ApartSplit | None:
    """A fine-tune's grouped validation split drawn apart from its starting model's training cutouts, or None.

    None where there is no starting model, it records no training rows, or :func:`starclass.learn.train.
    split_apart` cannot draw it (then the split is drawn as without a starting model and ``fit`` warns of
    its rows the start trained on). The split ``fit`` draws for a catalogue's rows is drawn the same way.
    """
    if init_from is None or fraction <= 0:
        return None
    seen = starting_trained(init_from, inputs)
    if seen is None:
        return None
    return split_apart("group", labels, np.arange(len(labels)), seen, fraction, seed, groups=groups,
                       class_names=class_names)


def _record_training_files(outdir: str | os.PathLike, cutouts: CutoutSet, rows: np.ndarray,
                           inputs: np.ndarray) -> None:
    """Record in the manifest the bytes of each cutout file read for training, and whether it was trained on.

    ``evaluate`` and ``report`` of a table classified from the training folder decoded every cutout again to
    tell the model's training rows (:func:`starclass.learn.provenance.training_rows_in`); with this record
    they compare the files' bytes first. Not written for cutouts of several files a row (one per band).
    """
    from starclass.io.cutout_folders import listed_path
    from starclass.io.cutout_output import file_columns
    from starclass.learn.checkpoint import read_manifest, update_manifest
    from starclass.learn.provenance import (
        FILES_KEY,
        MANIFEST_KEY,
        file_digests,
        files_record,
        recorded_digests,
        training_input_rows,
    )

    columns = file_columns(cutouts.table) if cutouts.table is not None else ["file"]
    if len(columns) != 1 or columns[0].startswith("file_"):
        return  # one file a band: the first band's bytes do not make the input
    files = [str(f).strip() for f in np.asarray(cutouts.files)[rows]]
    if not files or not all(files):
        return
    paths = [listed_path(Path(cutouts.root), f) for f in files]
    if not all(p.is_file() for p in paths):
        return
    doc = read_manifest(outdir)
    if recorded_digests(doc) is None:
        return
    # trained on by exact input or by fingerprint: a flipped or other-format copy of a training cutout among the
    # validation rows was recorded as a file not trained on, and evaluate took it for held out by its bytes
    trained = training_input_rows(inputs, doc[MANIFEST_KEY])
    update_manifest(outdir, {FILES_KEY: files_record(file_digests(paths), trained)})


def cutout_size_note(cutouts: CutoutSet, loaded: LoadedModel | None, model: str = "the model", *,
                     training: dict[str, int] | None = None, config: TaskConfig | None = None) -> str | None:
    """A warning when cutouts differ in pixel size from those the model was trained on, else None.

    Every cutout is resampled over its whole field to the task's ``stamp_size``: a 64 px cutout
    at the pixel scale of 128 px training cutouts covers half their field, and its objects look
    twice as large to the network. Cutouts of another pixel grid over the same field are fine,
    which only the user knows, so this warns rather than refuses. Without a loaded model
    (``calibrate`` reads the manifest only), give ``loaded=None`` with the manifest's
    ``training`` record (:func:`starclass.learn.checkpoint.training_cutouts_of`) and ``config``.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> cs = CutoutSet(images=np.zeros((2, 1, 64, 64), np.float32), table=Table(), files=["a", "b"],
    ...                labels=None, groups=np.array(["a", "b"]), source=Path("new.csv"))
    >>> lm = LoadedModel(config=get_preset("m31-real"), members=[],
    ...                  training_cutouts={"height": 128, "width": 128, "channels": 1})
    >>> print(cutout_size_note(cs, lm, "m31_model"))  # doctest: +ELLIPSIS
    new.csv: the cutouts are 64 x 64 px but m31_model was trained on cutouts of 128 x 128 px; ...
    """
    rec = loaded.training_cutouts if loaded is not None else training
    config = loaded.config if loaded is not None else config
    if len(cutouts) == 0 or getattr(config, "mixed_sizes", False):
        # a task of mixed sizes (cool-core: 1 Mpc at any redshift) takes every cutout over its own field:
        # neither pixel counts nor fields in arcsec are meant to match training's
        return None
    h, w = (int(v) for v in cutouts.images.shape[-2:])
    trained_field = rec.get("field_arcsec") if rec is not None else None
    field = cutout_field_arcsec(cutouts) if trained_field is not None else None
    if trained_field is not None and field is not None:
        # both fields known from the FITS WCS: the seed simulator's 7' on 48 px against training's 7' on
        # 64 px was warned of as a field 0.75 as wide ("64 px at the task's 1"/px: 64.0"", galaxy-cluster's
        # nominal scale), while 64 px over 3.5' against 64 px over 7' said nothing
        if abs(field / trained_field - 1) <= 0.02:
            return None
        ratio = trained_field / field
        return (f"{cutouts.source}: the cutouts cover {_arcmin(field)} ({w} px, by their FITS WCS) but {model} "
                f"was trained on cutouts covering {_arcmin(trained_field)} ({rec['width']} px); each is resampled "
                f"over its whole field to {config.stamp_size} px, so their objects look {ratio:.2f} times as "
                f"large to the network as in training: cut them to the training field ({_arcmin(trained_field)})")
    if rec is None and loaded is not None and loaded.fitted_on_inputs:
        # a CNNClassifier fitted on cutout_inputs(cs.images, cfg) of 128 px cutouts was said to take 64 px cutouts
        # (m31-real): its inputs were the task's preparation of cutouts of unknown size, as these are prepared
        return None
    if rec is None:
        # a model trained on stamps cut from mosaics (or on cutouts before their size was recorded):
        # its field is stamp_size px, and 64 px cutouts were squeezed to a 16 px model's stamps silently
        size = int(config.stamp_size)
        if (h, w) == (size, size):
            return None
        scale = float(config.pixel_scale or 0.0)
        at = f' ({size} px at the task\'s {scale:g}"/px: {size * scale:.1f}")' if scale > 0 else ""
        return (f"{cutouts.source}: the cutouts are {h} x {w} px but {model} takes {size} x {size} px stamps "
                f"(stamp_size) and records no training cutouts (it learnt from stamps cut from mosaics, or from "
                f"cutouts whose size was not recorded); each is resampled over its whole field to {size} px, so if "
                f"these have the pixel scale of its training stamps their objects look {size / w:.2f} times as "
                f"large to the network as in training: cut them to {size} px{at}, or ignore this if they cover "
                "that field on another pixel grid")
    if (h, w) == (rec["height"], rec["width"]):
        return None
    ratio = rec["width"] / w
    scale = float(config.pixel_scale or 0.0)
    # the task's pixel_scale is of a stamp pixel (the cutout resampled to stamp_size): times stamp_size it is the
    # field. Times the cutouts' width it said 1102" for galaxy-cluster's 168 px cutouts of 7' (64 px of 6.5625")
    size = int(config.stamp_size)
    at = (f' ({rec["width"]} px over the field of the task\'s {size} px stamps of {scale:g}"/px: '
          f'{_arcmin(size * scale)})' if scale > 0 else "")
    if trained_field is not None:
        at = f" ({rec['width']} px over {_arcmin(trained_field)}, by the training cutouts' FITS WCS)"
    return (f"{cutouts.source}: the cutouts are {h} x {w} px but {model} was trained on cutouts of "
            f"{rec['height']} x {rec['width']} px; each is resampled over its whole field to "
            f"{config.stamp_size} px, so if these have the training pixel scale they cover "
            f"{1 / ratio:.2f} of the training field's width and their objects look {ratio:.2f} times as large "
            f"to the network as in training: cut them to the training field{at}, or "
            "ignore this if they cover that field on another pixel grid")


def _arcmin(arcsec: float) -> str:
    """A field's width in arcmin (or arcsec under 2')."""
    return f"{arcsec / 60:.3g}'" if arcsec >= 120 else f'{arcsec:.3g}"'


def _digest_with_blank(config, inputs: np.ndarray, labels: np.ndarray, groups: np.ndarray, seed: int,
                       fit_kwargs: dict) -> str:
    """The data digest of these rows as train took them before blank cutouts were left out.

    A model trained then is refused on resume (its data differ); this lets the refusal say why.
    """
    from starclass.learn.train import data_digest

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the split's notes were given for the rows in use
        _, val = group_validation(labels, groups, float(config.recipe.val_fraction), seed)
    return data_digest(inputs, labels, val_index=val, balance_groups=fit_kwargs.get("balance_groups"))


def centre_no_data_note(centre: np.ndarray, files: Sequence[str]) -> str:
    """The warning of ``classify --stamps`` on cutouts left unclassified for no data at their centre pixel.

    Worded as ``classify``'s on mosaic candidates without a usable stamp, with the rows named
    1-based (a cutout CSV's first data row is row 1) and their files.

    Parameters
    ----------
    centre : numpy.ndarray
        bool ``[N]``: the cutout's centre pixel has no data
        (:func:`starclass.stamps.images.cutout_centre_no_data`).
    files : sequence of str
        Each cutout's file, as the folder lists it.

    Returns
    -------
    str

    Examples
    --------
    >>> print(centre_no_data_note(np.array([False, True, False]), ["a.npy", "b.npy", "c.npy"]))
    ... # doctest: +NORMALIZE_WHITESPACE
    1 of 3 cutouts has no usable stamp (centre pixel without data: NaN or zero exposure in the file):
    class_pred 0 (row 2: b.npy)
    """
    k, n = int(np.sum(centre)), int(np.size(centre))
    return (f"{k} of {n} cutouts {'has' if k == 1 else 'have'} no usable stamp ({CENTRE_NO_DATA_WORDS}): class_pred 0 "
            f"({_rows_named(centre, files)})")


def _rows_named(rows: np.ndarray, files: Sequence[str]) -> str:
    """``rows`` (bool ``[N]``) as the cutout warnings name them, 1-based with their files: "rows 1: a.fits, 2: b.fits".

    The first ten, then "...".
    """
    which = np.flatnonzero(rows)
    named = ", ".join(f"{r + 1}: {files[r]}" for r in which[:10]) + (", ..." if which.size > 10 else "")
    return f"{'row' if which.size == 1 else 'rows'} {named}"


def zero_padding_note(padded: np.ndarray, share: np.ndarray, files: Sequence[str]) -> str:
    """The warning of ``classify``, ``train``, ``calibrate --stamps`` and ``explain`` on cutouts padded with zeros.

    A survey's cutout service pads beyond its footprint with 0.0 when it gives no weight map:
    such a cutout was classified (and trained on) as if the zeros were sky, without a word. They
    are still read as data (real data can be 0); the warning says what to do if they are padding.

    Parameters
    ----------
    padded : numpy.ndarray
        bool ``[N]``: the cutouts to name.
    share : numpy.ndarray
        ``[N]``: :func:`starclass.stamps.images.cutout_zero_padding_fraction`.
    files : sequence of str
        Each cutout's file, as the folder lists it.

    Returns
    -------
    str

    Examples
    --------
    >>> print(zero_padding_note(np.array([True, False]), np.array([0.5, 0.0]), ["a.fits", "b.fits"]))
    ... # doctest: +NORMALIZE_WHITESPACE
    1 of 2 cutouts has blocks of exact zeros (as a mosaic without a weight map has beyond its footprint)
    covering 50% of its pixels (row 1: a.fits): read as data, as every 0 in a cutout is; if they are a
    survey's padding, set them to NaN in the files (or give the weight map), so that classify counts them
    as without data (stamp_no_data) and leaves a cutout whose centre is among them unclassified
    """
    rows = np.flatnonzero(padded)
    k, n = int(rows.size), int(np.size(padded))
    lo, hi = (round(100 * float(v)) for v in (share[rows].min(), share[rows].max()))
    over = f"{lo}%" if lo == hi else f"{lo}-{hi}%"
    has, its = ("has", "its") if k == 1 else ("have", "their")
    return (f"{k} of {n} cutouts {has} {ZERO_PADDING_WORDS} covering {over} of {its} pixels "
            f"({_rows_named(padded, files)}): read as data, as every 0 in a cutout is; {ZERO_PADDING_ADVICE}, so that "
            "classify counts them as without data (stamp_no_data) and leaves a cutout whose centre is among them "
            "unclassified")


def unclassified_cutouts(images: np.ndarray, config: TaskConfig, *,
                         inputs: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Which cutouts :func:`classify_cutouts` leaves unclassified (``class_pred`` 0), and why.

    The one rule of ``classify --stamps``, so that a script scoring stored predictions can leave out
    the same rows: a cutout whose model input is constant in some band
    (:func:`starclass.learn.classify.blank_bands`) holds no object and is *blank*; one that is not
    blank but has no data at its own centre pixel in some band
    (:func:`starclass.stamps.images.cutout_centre_no_data`) would be classified on a filled object.

    Parameters
    ----------
    images : numpy.ndarray
        float ``[N, C, H, W]`` cutouts (``CutoutSet.images``).
    config : TaskConfig
        The model's task: its bands, stamp size, scales and normalisation decide the inputs tested.
    inputs : numpy.ndarray, optional
        The model inputs of ``images`` (:func:`starclass.stamps.images.cutout_inputs`), when the
        caller has them already; made from ``images`` otherwise.

    Returns
    -------
    blank, centre : numpy.ndarray
        bool ``[N]`` each; never both True for one row (a blank cutout is said as blank).

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> img = np.random.default_rng(0).random((3, 1, 16, 16)).astype("f4")
    >>> img[1] = 7.0                      # a constant image
    >>> img[2, 0, 6:10, 6:10] = np.nan    # no data at the centre
    >>> blank, centre = unclassified_cutouts(img, get_preset("m31-real", stamp_size=16))
    >>> blank.tolist(), centre.tolist()
    ([False, True, False], [False, False, True])
    """
    if inputs is None:
        inputs = cutout_inputs(images, config)
    blank = blank_bands(inputs, config).any(axis=1)
    return blank, cutout_centre_no_data(images, config) & ~blank


def classify_cutouts(cutouts: CutoutSet, model: LoadedModel | str | os.PathLike, *,
                     tta: bool = False, batch_size: int = INFERENCE_BATCH_SIZE,
                     device: str | torch.device | None = None,
                     precision: bool | str | None = None, calibrated: bool = True,
                     coverage: float | None = 0.9, threshold: float | None = None,
                     progress: bool | None = False) -> Table:
    """Classify cutouts: every input column plus ``class_pred``, ``prob_<k>`` and more.

    Parameters
    ----------
    cutouts : CutoutSet
        Cutouts (labels optional).
    model : LoadedModel or path
        A trained model (``starclass train``).
    tta : bool
        Average over the eight rotations/flips.
    batch_size, device, precision
        As :func:`starclass.learn.classify.predict_inputs`.
    calibrated, coverage
        As :func:`starclass.learn.classify.classify`: calibrated ``prob_<k>`` (raw kept as
        ``prob_<k>_raw``) and conformal sets ``pred_set``, ``pred_set_size``; with ``tta``,
        ``tta_std``; with ``tta`` or several members, ``mutual_info`` (BALD).
    threshold
        Binary tasks: ``class_pred`` is the positive class when its probability is >= this
        (default: the task's own threshold, else the most probable class), as
        :func:`starclass.learn.classify.classify` takes it.
    progress
        Show a progress bar while the cutouts are classified (``classify --stamps --progress``); None: a
        few timed lines instead (:class:`starclass.io.progress.Progress`).

    Returns
    -------
    astropy.table.Table
        The cutouts' table with ``class_pred``, ``prob_<class>`` and, for ensembles,
        ``prob_std`` and ``quality``; with labels, ``class_ref`` (the label's class); where a
        classified cutout has pixels without data (NaN, zero exposure), ``stamp_no_data``
        (:func:`starclass.stamps.images.cutout_no_data_fraction`; NaN for unclassified rows),
        counted in ``meta["n_stamp_no_data"]``.
        ``meta`` holds what :func:`starclass.learn.classify.classify` records (task,
        classes, threshold, positive class, members, tta, precision) and the class names.

    Examples
    --------
    A one-member model with random weights and three 16 px cutouts (its classes are arbitrary):

    >>> from starclass.io.cutout_folders import read_cutout_folder
    >>> from starclass.learn.checkpoint import write_untrained_model
    >>> from starclass.learn.config import get_preset
    >>> import shutil, tempfile
    >>> d = Path(tempfile.mkdtemp())  # the example's model and cutouts: never in the folder it is run from
    >>> _ = write_untrained_model(d / "cc_model", get_preset("cool-core-compact", stamp_size=16))
    >>> (d / "cc_cut").mkdir()
    >>> for i in range(3):
    ...     np.save(d / "cc_cut" / f"s{i}.npy", np.random.default_rng(i).normal(size=(16, 16)).astype("float32"))
    >>> _ = (d / "cc_cut" / "labels.csv").write_text("file,label\\ns0.npy,1\\ns1.npy,3\\ns2.npy,2\\n")
    >>> out = classify_cutouts(read_cutout_folder(d / "cc_cut" / "labels.csv"), d / "cc_model")
    >>> out.colnames
    ['file', 'label', 'class_pred', 'prob_1', 'prob_2', 'prob_3', 'class_ref']
    >>> out["class_ref"].tolist(), set(out["class_pred"]) <= {1, 2, 3}
    ([1, 3, 2], True)
    >>> np.allclose(out["prob_1"] + out["prob_2"] + out["prob_3"], 1, atol=1e-5)
    True
    >>> shutil.rmtree(d)
    """

    dev = pick_device(device)
    loaded = model if isinstance(model, LoadedModel) else load_model(model, device=dev)
    cfg = loaded.config
    thr, positive = decision_threshold(cfg, threshold)  # a multi-class model refuses one before any work
    # a folder labelled in part: its unlabelled rows get class_ref 0, as evaluate leaves them out
    # labels only score the classes: one the model does not know is class_ref 0 with a warning, not a refusal
    class_ref = (label_classes(cutouts, cfg.label_map, allow_empty=True, config=cfg, allow_unknown=True)
                 if cutouts.labels is not None else None)
    name = str(model) if not isinstance(model, LoadedModel) else (
        f"model {model_word(loaded.paths[0].parent)}" if loaded.paths else "the model")
    if note := cutout_size_note(cutouts, loaded, name):
        warnings.warn(note, stacklevel=2)
    check_pixel_scales(cutouts, cfg, "classification")
    inputs = cutout_inputs(cutouts.images, cfg)
    # classify --stamps with a zscore model on saturated cutouts gave classes of inputs hundreds of
    # sigma out without a word (train warns of the same cutouts)
    if note := runaway_zscore_note(cutouts, np.arange(len(cutouts)), inputs, cfg, what="classified"):
        warnings.warn(note, stacklevel=2)
    # a blank (constant) image gets confident classes from a network, and a cutout whose own centre pixel has
    # no data (NaN, zero exposure) in some band was classified on a filled object: neither is classified (a
    # mosaic candidate whose own pixel is NaN is not either). One function decides it, which the benchmarks
    # scoring stored predictions call too
    blank, centre = unclassified_cutouts(cutouts.images, cfg, inputs=inputs)
    valid = ~blank & ~centre
    res = predict_inputs(loaded, inputs, ok=valid, batch_size=batch_size, tta=tta, device=dev,
                         precision=precision, calibrated=False, threshold=thr, progress=progress)
    # each cutout's smoothing draw of the conformal sets comes from its own input (row_digests): drawn by
    # position, a cutout's pred_set changed with the order of the folder's list
    keys = row_digests(inputs) if coverage is not None else None
    trust, trust_meta = trust_columns(loaded, res.prob_mean, calibrated=calibrated, coverage=coverage, keys=keys,
                                      tta=tta, progress=progress)
    out = Table(cutouts.table, copy=True)
    if "file" not in out.colnames:
        out["file"] = cutouts.files
    cols = {CLASS_PRED: res.class_pred}
    for j, c in enumerate(cfg.classes):
        cols[prob_col(c)] = res.prob_mean[:, j]
    if len(loaded.members) > 1:
        cols[PROB_STD] = res.prob_std
        cols[QUALITY] = res.quality
    if res.tta_std is not None:
        cols[TTA_STD] = res.tta_std
    if res.mutual_info is not None:
        cols[MUTUAL_INFO] = res.mutual_info
    cols.update(trust)
    if class_ref is not None:
        cols[CLASS_REF] = class_ref
    if blank.any():
        # which bands, for the column and its warning (blank_bands' rows any-ed are the rows found above)
        cols["blank_bands"] = blank_column(blank_bands(inputs, cfg), cfg.bands, what="cutouts",
                                           no_data=cutout_band_no_data(cutouts.images, cfg))
    if centre.any():
        warnings.warn(centre_no_data_note(centre, cutouts.files), stacklevel=2)
    # a FITS/NPY cutout padded with 0.0 beyond a survey's footprint (no weight map) was classified on the zeros
    # as sky without a word (a half-zero cutout: P = 0.9999): still read as data, but said. Pictures are left
    # alone: black sky is common in a stretched PNG
    padded, share = zero_padding_rows(cutouts, valid)
    if padded.any():
        warnings.warn(zero_padding_note(padded, share, cutouts.files), stacklevel=2)
    # a FITS/NPY cutout of a drizzled image's edge (NaN or zero exposure beyond the footprint) was classified on
    # partly filled input without a word: the share is written and counted, as classify does on mosaics
    no_data = cutout_no_data_fraction(cutouts.images, cfg)
    partial = (res.class_pred != 0) & (no_data > 0)
    if partial.any():
        cols[STAMP_NO_DATA] = np.where(res.class_pred != 0, no_data, np.nan)
    # an earlier classification's columns that this one does not write (another model's prob_4, class_m5)
    # are renamed too: under their own names they read as this model's
    keep_input_columns(out, [*cols, *earlier_outputs(out.colnames), CUTOUT_ROOT, CUTOUT_ROOT_ABSOLUTE,
                                CUTOUT_LIST], cutouts.source, one_suffix=True)
    for key, val in cols.items():
        out[key] = val
    amp = getattr(cfg.recipe, "amp", True) if precision is None else precision
    out.meta.update({
        "model": str(model) if not isinstance(model, LoadedModel) else "(in memory)",
        "task": cfg.name,
        "classes": [int(c) for c in cfg.classes],
        "class_names": list(cfg.class_names),
        "threshold": thr,
        "positive_class": positive,
        "label_map": dict(cfg.label_map),
        # as classify() records them: evaluate of an ECSV/Parquet output scores the task's merges
        # from the meta (a five-class output lost its binary merge without them)
        # "none wanted" ({}) told from "not given" (the PHANGS merges of the PHANGS classes)
        **cfg.eval_merges_meta(),
        "reference_merge": {str(k): int(v) for k, v in cfg.merge.items()},
        "members": [getattr(net, "architecture", "?") for net in loaded.members],
        "tta": bool(tta),
        "precision": precision_name(amp),
        "source": str(Path(cutouts.source)),
        "n_blank": int(blank.sum()),
        # as classify counts them: every row left unclassified, blank or without data at its centre
        "n_unclassified": int((~valid).sum()),
        "n_stamp_no_data": int(partial.sum()),
        # classified cutouts with blocks of exact zeros, maybe a survey's padding (zero_padding_note)
        "n_zero_padding": int(padded.sum()),
        **trust_meta,
    })
    if cutouts.group_column and cutouts.group_column in out.colnames:
        # the column naming each cutout's object (the model's training one, else the task's, m31-real: object_id):
        # evaluate's bootstrap intervals resample whole objects by default, as train kept them whole in its splits
        out.meta["group_column"] = str(cutouts.group_column)
    return out
