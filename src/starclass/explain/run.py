"""``starclass explain``: saliency maps of a trained model over labelled stamps, as files.

:func:`explain` reads the stamps (a labelled cutout folder or CSV, as ``classify --stamps``
takes, or an HDF5 stamp store from ``starclass cutouts``), turns them into model inputs as the
model's task says, classifies them as ``classify`` does (the model's calibrated ensemble
probabilities, :func:`starclass.learn.classify.predict_inputs`), and computes the asked maps
(:mod:`starclass.explain.maps`) of the first ensemble member (a saliency map explains one network)
for the class the model predicts. It then writes one folder, atomically:

``maps.npz``
    ``<method>``: ``[N, H, W]`` maps, NaN where the input has no data (a pixel NaN in a cutout, or
    off the mosaic: the network saw the fill value there, not the sky); ``no_data`` (bool ``[N, H, W]``,
    those pixels); ``class_ref`` (0 where unlabelled), ``class_pred``, ``image`` (the mean of the bands
    at the finest scale, for overlays: :func:`underlay`).
``tables/stamps.ecsv``
    One row per stamp: ``index``, ``file`` (cutouts) or ``id`` (store), ``class_ref``,
    ``class_pred``, ``prob_pred`` (the model's probability of the predicted class, as ``classify``
    writes it; the table's meta ``prob_pred`` and ``maps_of`` say so and which member drew the maps).
``tables/profiles.ecsv``
    Azimuthally averaged profile of each class's mean map: ``method``, ``class``,
    ``radius_px``, ``radius_arcsec`` (with the cutouts' pixel scale from their FITS WCS, else the
    task's), ``mean``, ``n_stamps``.
``figures/overlays_<method>.png``, ``figures/mean_maps.png``, ``figures/profiles.png``
    Example overlays per class, the mean map per class and method, and the radial profiles.
``explain.json``
    Model, task, the Grad-CAM layer and why it was chosen, map sizes, methods, how stamps
    were grouped into classes, and notes (methods skipped and why).

Class means follow the cool-core paper (seed 004, its fig. 9): with labels, the stamps whose
predicted class is the true one; without labels, the predicted classes.
"""

from __future__ import annotations

import contextlib
import json
import os
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from astropy.table import Table

from starclass.errors import StarclassError, counted
from starclass.explain import DEFAULT_METHODS, METHODS, OWN_NAMES, check_explain_arguments
from starclass.explain.maps import (
    MIN_MAP_SIZE,
    CamCapture,
    LayerChoice,
    cam,
    choose_layer,
    guided_backprop,
    mask_no_data,
    mean_over_data,
    normalise_maps,
)
from starclass.io.atomic import atomic_dir
from starclass.io.cutout_folders import (
    MIXED,
    common_origin,
    drawing_origin,
    figure_origin,
    is_cutout_source,
    label_classes,
    label_column_hint,
    model_label_column,
    read_cutout_folder,
    stored_group_column,
)
from starclass.learn.checkpoint import LoadedModel, in_memory_model, load_model
from starclass.learn.precision import compute_dtype
from starclass.schema import CLASS_PRED, CLASS_REF, ID
from starclass.science.gradcam import cutout_pixel_scale, gradcam, radial_profile

__all__ = ["METHODS", "ExplainResult", "explain", "explain_inputs", "read_explain_stamps"]

@dataclass
class ExplainStamps:
    """Model inputs, their reference classes (0: none) and a name per stamp.

    Examples
    --------
    Made by :func:`read_explain_stamps`; two one-band 16 px stamps:

    >>> s = ExplainStamps(np.zeros((2, 1, 16, 16), np.float32), np.array([1, 0]), ["a.fits", "b.fits"], "file",
    ...                   "cutouts/labels.csv")
    >>> s.inputs.shape, s.class_ref.tolist(), s.names, s.origins
    ((2, 1, 16, 16), [1, 0], ['a.fits', 'b.fits'], [])
    """

    inputs: np.ndarray
    class_ref: np.ndarray
    names: list[str]
    name_column: str
    source: str
    #: where row 0 of each stamp is drawn (:func:`starclass.io.cutout_folders.drawing_origin`): "upper"
    #: for PNG/JPEG/NPY cutouts (as stored), "lower" for FITS cutouts and stamps of FITS mosaics (y up)
    origins: list[str] = field(default_factory=list)
    #: arcsec per pixel of ``inputs`` from the cutouts' FITS WCS (None: none carries one; the task's is used)
    pixel_scale: float | None = None
    #: how ``pixel_scale`` was found, for explain.json
    pixel_scale_note: str = ""
    #: lines :func:`explain` prints and records (a cube's planes taken for the task's bands)
    notes: list[str] = field(default_factory=list)
    #: bool ``[N, S, S]``: pixels of the inputs' first scale without data (NaN in a cutout, off a mosaic),
    #: which the inputs hold filled; None: not known (every pixel taken as data)
    no_data: np.ndarray | None = None
    #: bool ``[N, B]``: the task's bands that hold no data at all in a cutout (all NaN in its file,
    #: :func:`starclass.stamps.images.cutout_band_no_data`), which read as blank once filled; None: not known
    band_no_data: np.ndarray | None = None

    def origin(self, rows: Iterable[int]) -> str:
        """The common origin of ``rows`` (``"mixed"`` when they differ; ``"upper"`` without origins)."""
        return common_origin(self.origins[int(i)] for i in rows) if self.origins else "upper"


@dataclass
class ExplainResult:
    """What :func:`explain_inputs` computed (also written by :func:`explain`).

    Examples
    --------
    >>> from torch import nn
    >>> net = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
    ...                     nn.Linear(4, 2))
    >>> res = explain_inputs(net, np.random.default_rng(0).normal(size=(6, 1, 16, 16)).astype("float32"),
    ...                      np.array([1, 2, 1, 2, 1, 2]), [1, 2])
    >>> type(res).__name__, res.maps["gradcam"].shape, res.layer.name, res.cam_size
    ('ExplainResult', (6, 16, 16), '1', (16, 16))
    """

    maps: dict[str, np.ndarray]
    class_ref: np.ndarray
    class_pred: np.ndarray
    prob_pred: np.ndarray
    layer: LayerChoice | None
    cam_size: tuple[int, int] | None
    groups: dict[int, np.ndarray]
    grouping: str
    profiles: Table
    notes: list[str] = field(default_factory=list)
    #: what ``prob_pred`` is: the model's calibrated ensemble probability (as classify writes it) for a
    #: loaded model, the network's own softmax for a bare network
    prob_from: str = ""
    #: which network drew the maps ("member 1 of 3" of a loaded model; "the network given")
    maps_of: str = ""


def _unknown_label_use(cfg, label_column: str) -> tuple[str, str]:
    """explain's words for the rows of a label its task does not know (``label_classes(unknown_use=)``).

    classify's warning said they were "left out of the accuracy, and of evaluate" and advised
    ``evaluate --task``: explain has neither; what it does is group the mean maps by class.
    """
    if cfg.label_map:
        known = "labels " + ", ".join(repr(k) for k in sorted(cfg.label_map))
    else:
        # through the task's merge where it has one (m31-binary's PHANGS 1-4), as label_classes reads them
        known = "class numbers " + ", ".join(f"{c} ({n})" for c, n in cfg.label_targets().items())
    return ("every row is explained, but those whose label the task does not know get class_ref 0 (no reference "
            "class): the mean maps and radial profiles per class leave them out (they average the stamps "
            "predicted as their label), unless no row has a label the task knows (then every stamp counts, by "
            "its predicted class)",
            f"the model's task knows the {known}: --label-column names the column that holds them "
            f"(column {label_column!r} was read)")


def read_explain_stamps(source: str | os.PathLike, loaded: LoadedModel, *,
                        label_column: str | None = None, file_column: str | None = None) -> ExplainStamps:
    """Model inputs from a cutout folder/CSV or a stamp store, checked against the model's task.

    Parameters
    ----------
    source : path
        A labelled cutout folder or its CSV (``file,label``), or an HDF5 stamp store.
    loaded : LoadedModel
        The model; its task fixes bands, stamp size, scales and normalisation.
    label_column : str or None
        A cutout folder's column of label strings (as ``classify --label-column``). The
        default (None) is the column the model was trained on where the folder has it, else
        ``label``, which may be absent (an unlabelled folder); a name given must exist. A
        stamp store has its labels in ``class_ref``, so only the default is accepted there.
    file_column : str or None
        A cutout CSV's column of image files (``--file-column filename``), which also names the
        stamps in the tables; None: ``file``. A stamp store names no files, so it is refused there.

    Returns
    -------
    ExplainStamps

    Raises
    ------
    StarclassError
        The source is neither, or does not fit the task (bands, stamp geometry), or has no
        column ``label_column`` when one other than ``label`` is named.

    Examples
    --------
    Three one-band 16 px cutouts (NumPy files), one unlabelled; the model's task is all it needs:

    >>> import shutil, tempfile
    >>> from starclass.learn.config import get_preset
    >>> cut = Path(tempfile.mkdtemp())  # the example's files: never in the folder it is run from
    >>> rng = np.random.default_rng(0)
    >>> for i in range(3):
    ...     np.save(cut / f"s{i}.npy", rng.normal(size=(16, 16)).astype("float32"))
    >>> _ = (cut / "labels.csv").write_text("file,label\\ns0.npy,1\\ns1.npy,3\\ns2.npy,\\n")
    >>> st = read_explain_stamps(cut / "labels.csv", LoadedModel(config=get_preset("cool-core", stamp_size=16),
    ...                                                          members=[]))
    >>> st.inputs.shape, st.class_ref.tolist(), st.names, st.name_column
    ((3, 1, 16, 16), [1, 3, 0], ['s0.npy', 's1.npy', 's2.npy'], 'file')
    >>> shutil.rmtree(cut)
    """
    from starclass.stamps.images import cutout_inputs

    cfg = loaded.config
    src = Path(source)
    if not src.exists():
        raise StarclassError(f"STAMPS {src}: no such file or folder")
    if is_cutout_source(src):
        # named by the user, "label" included: an absent column is an error, as in classify --stamps
        given = label_column is not None
        # the labels the model learnt (a five-class model's 'expert', not a galaxy-cluster folder's binary 'label')
        label_column, line = model_label_column(src, label_column, loaded.training_label_column, "the model")
        if line and line.startswith("warning"):
            warnings.warn(line.removeprefix("warning: "), stacklevel=2)
        from starclass.stamps.images import cutout_resampler

        cut = read_cutout_folder(src, group_column=stored_group_column(cfg.group_column), require_group=False,
                                 bands=list(cfg.bands), require_labels=False, label_column=label_column,
                                 bands_of=f"the model's task {cfg.name!r}", resample=cutout_resampler(cfg),
                                 label_map=cfg.label_map, file_column=file_column or "file")
        from starclass.learn.folder_task import check_folder_task

        # a cool-core model on a galaxy-cluster folder took its labels 1, 2 as cool-core classes without a word
        check_folder_task(cut.source, cut.labels, cfg, column=label_column, chosen=given,
                          model=loaded.paths[0].parent if loaded.paths else "given")
        if cut.labels is None and given:
            # a column named and not there: the maps grouped by predicted class would read as
            # "no labels", not as a misspelt column (as classify --stamps)
            raise StarclassError(f"{cut.source}: no label column {label_column!r} (--label-column); columns: "
                                 f"{', '.join(cut.table.colnames)}"
                                 f"{label_column_hint(cut.table.colnames, label_column)}")
        # unlabelled rows (an empty label) are class 0, as for a folder without labels; so are labels the
        # task does not know (the M31 paper's star, artefact), with a warning naming them, as classify
        # --stamps takes them: the maps need no labels, and the folder was refused outright
        ref = (label_classes(cut, cfg.label_map, allow_empty=True, config=cfg, allow_unknown=True,
                             unknown_use=_unknown_label_use(cfg, label_column))
               if cut.labels is not None else np.zeros(len(cut), int))
        from starclass.learn.cutouts import check_pixel_scales, colour_note, cutout_size_note

        check_pixel_scales(cut, cfg, "explanation")  # pictures beside FITS/NPY counts under normalisation 'none'
        # maps of cutouts of another size than training's show what the network does on inputs it never saw so
        if note := cutout_size_note(cut, loaded, "the model"):
            warnings.warn(note, stacklevel=2)
        notes = []
        if note := colour_note(cut, cfg):  # 3-plane files averaged to grey: said once, as train and classify
            if note.startswith("note: "):
                notes.append(note.removeprefix("note: "))  # the planes named as the task's bands were taken
            else:
                warnings.warn(note.removeprefix("warning: "), stacklevel=2)
        scale, scale_note = cutout_pixel_scale(cut, int(cfg.stamp_size))
        from starclass.learn.classify import blank_bands
        from starclass.learn.cutouts import zero_padding_note, zero_padding_rows
        from starclass.stamps.images import cutout_band_no_data, cutout_no_data

        inputs = cutout_inputs(cut.images, cfg)
        # as classify --stamps: zeros that may be a survey's padding are read as sky, so the maps show what the
        # network makes of them; said of the stamps explained (a blank one is left out, and said, later)
        shown = ~blank_bands(inputs, cfg).any(axis=1) if len(inputs) else np.zeros(0, bool)
        padded, share = zero_padding_rows(cut, shown)
        if padded.any():
            warnings.warn(zero_padding_note(padded, share, cut.files), stacklevel=2)
        return ExplainStamps(inputs, np.asarray(ref, int), list(cut.files), cut.file_column,
                             str(cut.source), origins=list(cut.origins), pixel_scale=scale,
                             pixel_scale_note=scale_note, notes=notes, no_data=cutout_no_data(cut.images, cfg),
                             band_no_data=cutout_band_no_data(cut.images, cfg))
    if file_column is not None:
        raise StarclassError(f"--file-column {file_column!r} names the column of image files of a cutout CSV; stamp "
                             f"store {src} holds stamps, not files")
    if label_column is not None and label_column != "label":
        raise StarclassError(f"--label-column {label_column!r} names the label column of a cutout folder; stamp "
                             f"store {src} holds its labels in {CLASS_REF}")
    from starclass.stamps import StampStore

    store = StampStore(src)
    have = {"bands": store.bands, "stamp_size": store.stamp_size, "scales": [float(s) for s in store.scales],
            "normalisation": store.normalisation}
    want = {"bands": list(cfg.bands), "stamp_size": cfg.stamp_size, "scales": [float(s) for s in cfg.scales],
            "normalisation": cfg.normalisation}
    diff = [f"{k} is {have[k]} in the store, {want[k]} in the model's task" for k in want if have[k] != want[k]]
    if diff:
        # with the remedy: a store cut with cutouts' defaults (one scale, zscore) never fits a StarcNet-style task
        raise StarclassError(f"stamp store {src} does not fit the model's task {cfg.name!r}: " + "; ".join(diff)
                             + "; cut one for the model with 'starclass cutouts MOSAICS --catalog CATALOGUE --task "
                             "MODEL -o STAMPS.h5'")
    rows = np.flatnonzero(store.ok)
    if not len(rows):
        raise StarclassError(f"stamp store {src}: no usable stamp")
    inputs, valid = store[rows]
    ref = np.zeros(len(rows), int)
    if CLASS_REF in store.table:
        # the store's reference classes (LEGUS 1-4) through the task's merge, as training read them: compared
        # unmerged with a three-class legus3 model's predictions, a class-2 cluster "predicted" association (2)
        # was counted right and no spurious source (4 -> 3) ever was
        raw = np.asarray(store.table[CLASS_REF], float)[rows]
        ref = np.maximum(cfg.map_classes(raw), 0).astype(int)
    names = ([str(v) for v in np.asarray(store.table[ID])[rows]] if ID in store.table
             else [str(i) for i in rows])
    # the store's pixel validity at its first scale (False: off the mosaic or NaN there, filled)
    return ExplainStamps(np.asarray(inputs, np.float32), ref, names, ID, str(src),
                         origins=[drawing_origin(src)] * len(rows), no_data=~np.asarray(valid, bool)[:, 0])


def _logits(net: torch.nn.Module, xt: torch.Tensor) -> torch.Tensor:
    """The network's outputs on a chunk, in inference mode."""
    was = net.training
    net.eval()
    try:
        with torch.no_grad():
            return net(xt)
    finally:
        net.train(was)


#: Stamps per step of explain_inputs' bar: about a second a stamp for a 56 px model on one CPU core, so
#: the bar moves every few seconds there (explain runs on the CPU, where smaller batches cost little).
_CHUNK = 16


def _explain_chunks(net, x: np.ndarray, classes, methods, pick_layer, bar, targets: np.ndarray | None = None,
                    ensemble: LoadedModel | None = None):
    """:func:`explain_inputs`' loop: probabilities and maps of ``x``, ``_CHUNK`` stamps at a time.

    ``pick_layer`` (None without Grad-CAM) chooses Grad-CAM's layer after the first chunk's
    outputs are checked against ``classes``. ``targets``: the output index each map is drawn for
    (the model's predicted class, found before); else the class is found for each chunk from the network's
    own outputs (``net``'s softmax, and with ``ensemble``, whose first member ``net`` is, the model's
    class as :func:`starclass.learn.classify.predict_inputs` gives it, ``net`` taken from this pass), in
    the Grad-CAM pass itself where there is one: the network runs once for the class and the map. Returns the
    probability chunks (the network's softmax, or the ensemble's result per chunk; none with ``targets``), the
    map chunks per method, the layer chosen, CAM's raw map size, and why CAM was skipped (None when it was not).
    """
    prob_parts: list = []
    parts: dict[str, list[np.ndarray]] = {}
    chosen = None
    cam_size = None
    cam_error = None
    caught: list[warnings.WarningMessage] = []
    where = {int(c): j for j, c in enumerate(classes)}

    def pick(logits: torch.Tensor, xc: np.ndarray) -> np.ndarray:
        """The output index of each stamp of the chunk, from the network's outputs on it; records the probabilities."""
        probs = torch.softmax(logits.float(), dim=1).cpu().numpy()
        _check_outputs(probs.shape[1], classes, "network" if ensemble is None else "model")
        if ensemble is None:
            prob_parts.append(probs)
            return probs.argmax(axis=1)
        from starclass.learn.classify import predict_inputs

        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            # said once for the whole run below, as one predict_inputs over every stamp said them
            ens = predict_inputs(ensemble, xc, device=logits.device, member_probs={0: probs})
        caught.extend(said)
        prob_parts.append(ens)
        return np.array([where[int(c)] for c in ens.class_pred], dtype=np.int64)

    capture = None
    if "cam" in methods:
        try:
            # CAM's logits and pooled maps kept from the pass below (Grad-CAM's, or the one for the outputs): cam()
            # ran the explained network once more over each chunk for them until 2026-12-06
            capture = CamCapture(net)
        except StarclassError as exc:  # no GAP + linear head: said once, as a note
            cam_error = str(exc)
    for s in range(0, len(x), _CHUNK):
        xc = x[s:s + _CHUNK]
        xt = torch.from_numpy(xc)
        if pick_layer is not None and chosen is None:
            chosen = pick_layer(xt)
        with capture if capture is not None and cam_error is None else contextlib.nullcontext():
            if chosen is not None:
                # without targets, the pass's own outputs give the class (and the probabilities), before its
                # backward
                mine = targets[s:s + _CHUNK] if targets is not None else _Picked(pick, xc)
                parts.setdefault("gradcam", []).append(gradcam(net, xt, mine, layer=chosen.module, backend="hooks"))
                idx = mine if targets is not None else mine.idx
            elif targets is not None:
                idx = targets[s:s + _CHUNK]  # no pass here: CamCapture.maps runs the network for CAM
            else:
                idx = pick(_logits(net, xt), xc)  # no Grad-CAM: a pass for the outputs alone
        if capture is not None and cam_error is None:
            try:
                m, raw = capture.maps(xt, idx)
            except StarclassError as exc:  # not a GAP + linear head after all: said once, as a note; no partial CAM
                cam_error = str(exc)
                parts.pop("cam", None)
            else:
                parts.setdefault("cam", []).append(m)
                cam_size = (int(raw.shape[-2]), int(raw.shape[-1]))
            capture.store.clear()
        if "guided-backprop" in methods or "guided-gradcam" in methods:
            parts.setdefault("guided-backprop", []).append(guided_backprop(net, xt, idx))
        bar.update(len(xc))
    for message in {str(w.message): w for w in caught}.values():
        warnings.warn_explicit(message.message, message.category, message.filename, message.lineno)
    return prob_parts, parts, chosen, cam_size, cam_error


class _Picked:
    """Grad-CAM's target of one chunk, chosen from the pass's outputs by ``pick(logits, xc)``; kept as ``idx``."""

    def __init__(self, pick, xc: np.ndarray) -> None:
        self.pick, self.xc, self.idx = pick, xc, None

    def __call__(self, logits: torch.Tensor) -> np.ndarray:
        self.idx = self.pick(logits, self.xc)
        return self.idx


def _check_outputs(n_out: int, classes, what: str) -> None:
    if n_out != len(classes):
        # an IndexError from numpy, after the network ran
        raise StarclassError(f"classes lists {len(classes)} classes ({', '.join(map(str, classes))}) but the "
                             f"{what} has {n_out} outputs: give the model's classes (load_model(...).classes)")


def explain_inputs(net: torch.nn.Module, inputs: np.ndarray, class_ref: np.ndarray, classes: list[int], *,
                   methods: tuple[str, ...] = DEFAULT_METHODS, min_size: int = MIN_MAP_SIZE,
                   layer: str | None = None,
                   pixel_scale: float = 1.0, progress: bool | None = False,
                   no_data: np.ndarray | None = None) -> ExplainResult:
    """Maps, class means and radial profiles for one network and its inputs.

    Parameters
    ----------
    net : torch.nn.Module, LoadedModel or CNNClassifier
        One network (logits ``[N, K]``), or a loaded model (:func:`starclass.learn.checkpoint.load_model`)
        or fitted :class:`~starclass.learn.estimator.CNNClassifier`, whose first member is explained, as
        :func:`explain` does. A model's ``class_pred`` and ``prob_pred`` are classify's (the calibrated
        ensemble probabilities, :func:`starclass.learn.classify.predict_inputs`) and its maps are drawn
        for that class; a bare network's are its own softmax's.
    inputs : numpy.ndarray
        Model inputs ``[N, C, S, S]``. With a loaded model, they must fit its task (channels and
        ``stamp_size``, :func:`starclass.learn.classify.check_input_geometry`); a bare network is
        not checked (it does not know its task).
    class_ref : numpy.ndarray
        Reference class per stamp (class labels of ``classes``; 0 = none), one per stamp.
    classes : list of int
        The task's classes, in the network's output order.
    methods : tuple of str
        Any of :data:`METHODS`; by default :data:`starclass.explain.DEFAULT_METHODS` (gradcam,
        guided-gradcam and cam), as :func:`explain` and ``starclass explain`` (all four, a
        guided-backprop map more, until 2026-12-06). ``cam`` is skipped with a note for networks
        without a global-average-pooling + linear head; the others work for any CNN.
    min_size : int
        Smallest Grad-CAM map side (:func:`starclass.explain.maps.choose_layer`).
    layer : str or None
        Grad-CAM layer by name instead.
    pixel_scale : float
        Arcsec per pixel, for ``radius_arcsec``.
    progress : bool or None
        Show a tqdm bar over the stamps; None: a few timed lines instead (:class:`starclass.io.progress.Progress`,
        what ``explain`` writes into a log file).
    no_data : numpy.ndarray or None
        bool ``[N, H, W]``: pixels where the inputs hold no data (filled: NaN in a cutout,
        :func:`starclass.stamps.images.cutout_no_data`). The maps are NaN there, each scaled to the
        peak of its pixels with data, and the class means and profiles are over the pixels with
        data: Grad-CAM drew its hottest spots over a cutout's NaN columns (the network's answer to
        the fill's edge), which the per-stamp scaling then took as the peak. None: every pixel has data.

    Returns
    -------
    ExplainResult

    Raises
    ------
    StarclassError
        Inputs that are no stamps or do not fit a loaded model's task, ``class_ref`` not one per
        stamp, ``classes`` not the network's outputs, or no map from the methods given.
    starclass.errors.NotFittedError
        A ``CNNClassifier`` that was not fitted (nor loaded).

    Examples
    --------
    >>> from torch import nn
    >>> net = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
    ...                     nn.Linear(4, 2))
    >>> res = explain_inputs(net, np.random.default_rng(0).normal(size=(6, 1, 16, 16)).astype("float32"),
    ...                      np.array([1, 2, 1, 2, 1, 2]), [1, 2])
    >>> sorted(res.maps)
    ['cam', 'gradcam', 'guided-gradcam']
    """
    if isinstance(methods, str):
        methods = (methods,)  # methods="gradcam" was read letter by letter: "--method g, r, a, d, c, a, m"
    bad = [m for m in methods if m not in METHODS]
    if bad:
        raise StarclassError(f"--method (methods= in Python) {', '.join(bad)}: use any of {', '.join(METHODS)}")
    from starclass.learn.data import refuse_catalogue

    refuse_catalogue(inputs, "explain_inputs: inputs")  # numpy's own error named no catalogue, nor what to give
    x = np.asarray(inputs, np.float32)
    if x.ndim != 4 or not len(x):
        raise StarclassError(f"explain needs stamps [N, C, H, W] with N >= 1, got shape {x.shape}")
    if not isinstance(net, torch.nn.Module):
        # a fitted CNNClassifier goes where a model does (explain() takes one): this stopped with
        # "AttributeError: 'CNNClassifier' object has no attribute 'eval'"; an unfitted one is NotFittedError
        net = in_memory_model(net, "explain_inputs: net")
    if isinstance(net, LoadedModel):
        from starclass.learn.classify import check_input_geometry

        # as classify's predict_inputs: 16 px stamps of a 32 px model gave maps without a word (the network's
        # global pooling takes any size), where explain() refuses a stamp store of the wrong size
        check_input_geometry(x.shape, net.config)
        ensemble: LoadedModel | None = net
        net = net.members[0]  # as explain() explains a saved model: its first member
    else:
        ensemble = None
    ref = np.asarray(class_ref, int)
    if ref.shape != (len(x),):
        # one value broadcast over every stamp (or a longer list cut) without a word
        raise StarclassError(f"class_ref has {counted(ref.size, 'value')} for {counted(len(x), 'stamp')}: give one "
                             "class per stamp (0 for none)")
    if no_data is not None:
        no_data = np.asarray(no_data, bool)
        if no_data.shape != (len(x), *x.shape[-2:]):
            raise StarclassError(f"no_data has shape {no_data.shape}; give one [H, W] mask per stamp, "
                                 f"{(len(x), *x.shape[-2:])}")
    pick_layer = None
    if "gradcam" in methods or "guided-gradcam" in methods:
        def pick_layer(xt):
            return choose_layer(net, xt, min_size=min_size, name=layer)
    cam_unusable = None
    asked = methods
    if "cam" in methods:
        try:
            # one stamp's CAM, before the bar: a head that is not GAP + linear is found by the pass
            cam(net, x[:1], 0)
        except StarclassError as exc:
            # the bar named cam, which was then skipped: it names the methods that run, the note says why
            cam_unusable = str(exc)
            methods = tuple(m for m in methods if m != "cam")
    from starclass.io.progress import Progress

    # chunk by chunk of stamps, every method on each, so that a bar can follow: a few hundred stamps of a
    # 56 px two-band model took minutes on a CPU without a word (each map is of its own stamp: the same maps)
    bar = Progress(len(x), desc=f"explain ({', '.join(methods)})", noun="stamp", show=progress, unit="stamp",
                   dynamic_ncols=True)
    targets = prob_model = None
    # classify's numbers: prob_pred was the first member's raw softmax (0.765 where classify wrote prob_1 0.810
    # for the same PAndAS cutout), with nothing saying so. The maps stay the first member's (one network), drawn
    # for the class the model predicts. The first member ran twice, for the probabilities (predict_inputs) and for
    # the maps: where the Grad-CAM pass is at the model's precision (float32), its outputs give that member's
    # probabilities, and the model's class is found chunk by chunk in that pass
    # (inputs with NaN go the old way: predict_inputs over them all names their rows, a chunk's would not)
    one_pass = ensemble is not None and pick_layer is not None and compute_dtype(
        getattr(ensemble.config.recipe, "amp", True), _device(net)) is None and bool(np.isfinite(x).all())
    if ensemble is not None and not one_pass:
        from starclass.learn.classify import predict_inputs

        ens = predict_inputs(ensemble, x, device=_device(net), progress=progress)
        _check_outputs(ens.prob_mean.shape[1], classes, "model")
        where = {int(c): j for j, c in enumerate(classes)}
        targets = np.array([where[int(c)] for c in ens.class_pred], dtype=np.int64)
        prob_model, calibrated = ens.prob_mean, ens.prob_raw is not None
    try:
        prob_parts, parts, chosen, cam_size, cam_error = _explain_chunks(
            net, x, classes, methods, pick_layer, bar, targets, ensemble if one_pass else None)
    finally:
        bar.close()
    if one_pass:
        prob_model = np.concatenate([e.prob_mean for e in prob_parts])
        calibrated = prob_parts[0].prob_raw is not None
        # the model's class, not the most probable (a binary task's threshold may differ from 0.5)
        where = {int(c): j for j, c in enumerate(classes)}
        targets = np.array([where[int(c)] for e in prob_parts for c in e.class_pred], dtype=np.int64)
    probs = np.concatenate(prob_parts) if prob_model is None else prob_model
    idx = probs.argmax(axis=1) if targets is None else targets
    classes = [int(c) for c in classes]
    pred = np.asarray(classes)[idx]
    if ensemble is None:
        prob_from, maps_of = "the network's own softmax probability of class_pred", "the network given"
    else:
        n_m = len(ensemble.members)
        calib = "calibrated" if calibrated else "raw: the model carries no calibration for it"
        prob_from = (f"the model's probability of class_pred as classify writes it (mean of {counted(n_m, 'member')}, "
                     f"{calib})")
        maps_of = f"member 1 of {n_m}, for the class the model predicts"
    notes: list[str] = []
    maps: dict[str, np.ndarray] = {m: np.concatenate(parts[m]) for m in ("gradcam", "guided-backprop") if m in parts}
    if "guided-gradcam" in methods:
        maps["guided-gradcam"] = normalise_maps(maps["guided-backprop"] * maps["gradcam"])
    cam_error = cam_error if cam_unusable is None else cam_unusable
    if cam_error is not None:
        # maps raises its reason as "CAM: ..." (an error of its own where CAM is computed directly): say "cam" once
        notes.append(f"cam skipped: {cam_error.removeprefix('CAM: ')}")
    elif "cam" in parts:
        maps["cam"] = np.concatenate(parts["cam"])
        if min(cam_size) < min_size:
            notes.append(f"CAM is computed on a {cam_size[0]}x{cam_size[1]} map (the pooled features): too "
                         f"coarse to localise much; use larger stamps (the cool-core paper's 256 px gives 8x8)")
    for m in list(maps):
        if m not in methods:
            del maps[m]
    if not maps:
        # only cam was asked for and the network has no CAM: an output folder without a single map
        # (and exit status 0) would read as a result; say why and write nothing
        why = "; ".join(notes) or "no method given"
        raise StarclassError(f"--method {', '.join(asked) or '(none)'} gives no map for this model ({why}); "
                             f"nothing was written")
    if no_data is not None and no_data.any():
        # the network saw the fill there, not the sky: no evidence to show, nor a peak to scale the rest by
        maps = {m: mask_no_data(v, no_data) for m, v in maps.items()}
        n_masked = int(no_data.reshape(len(x), -1).any(axis=1).sum())
        notes.append(f"{n_masked} of the {len(x)} stamps have pixels without data (NaN in the cutout, or off the "
                     "mosaic; filled for the network): the maps are masked there (NaN in maps.npz, not drawn in "
                     "the figures), each scaled to the peak of its pixels with data, and the class means and "
                     "profiles are over the pixels with data")
    # report.figures holds the one count of zero maps the report's captions use too (matplotlib, no torch)
    from starclass.report.figures import n_zero_maps

    for method, mm in maps.items():
        n_zero = n_zero_maps(np.nan_to_num(mm))  # masked pixels are no evidence either
        if n_zero:
            notes.append(f"{method}: {n_zero} of the {len(mm)} maps {'is' if n_zero == 1 else 'are'} zero everywhere "
                         "(no pixel with positive evidence for the predicted class); they count as zeros in the "
                         "mean maps and profiles")
    labelled = ref > 0
    if labelled.any():
        grouping = "labelled stamps whose predicted class is the true class (as the cool-core paper's fig. 9)"
        groups = {c: np.flatnonzero(labelled & (ref == c) & (pred == c)) for c in classes}
    else:
        # "no labels" was said also of a folder whose labels the task does not know (--label-column
        # source_table): true of both is that no stamp has a label the task knows
        grouping = "predicted class (no stamp has a label the task knows)"
        groups = {c: np.flatnonzero(pred == c) for c in classes}
    groups = {c: g for c, g in groups.items() if len(g)}
    rows = []
    for method, mm in maps.items():
        for c, g in groups.items():
            r, p = radial_profile(mean_over_data(mm[g]))
            for ri, pi in zip(r, p):
                # ten significant digits: 1.5 px at 0.2"/px is 0.3", not the product's 0.30000000000000004
                rows.append((method, c, float(ri), float(f"{float(ri) * float(pixel_scale):.10g}"), float(pi),
                             len(g)))
    prof = Table(rows=rows or None, names=("method", "class", "radius_px", "radius_arcsec", "mean", "n_stamps"),
                 dtype=(str, int, float, float, float, int))
    prof["radius_px"].unit = "pix"
    prof["radius_arcsec"].unit = "arcsec"
    return ExplainResult(maps, ref, pred, probs[np.arange(len(x)), idx], chosen, cam_size, groups, grouping, prof,
                         notes, prob_from, maps_of)


def _device(net: torch.nn.Module) -> torch.device:
    """Where the network's weights are (the CPU for one without any)."""
    params = next(net.parameters(), None)
    return params.device if params is not None else torch.device("cpu")


def _usable_rows(st: ExplainStamps, cfg) -> tuple[np.ndarray, str]:
    """The rows of ``st`` that are not blank, and a note naming the blank ones ("" when none).

    A blank (constant, or all-NaN, read as constant) stamp holds no object: a network still gives
    it a confident class and Grad-CAM a map, which were drawn and averaged into the class means as
    if it held one. ``classify`` leaves such stamps unclassified and ``train`` leaves them out;
    so does ``explain``, naming them, each kind in classify's words
    (:func:`starclass.learn.classify.blank_words`): a cutout without any data is not a constant one.
    """
    from starclass.learn.classify import blank_bands, blank_words

    by_band = blank_bands(st.inputs, cfg) if len(st.inputs) else np.zeros((0, len(cfg.bands)), bool)
    blank = by_band.any(axis=1)
    rows = np.flatnonzero(~blank)
    if not blank.any():
        return rows, ""
    # an all-NaN cutout was said with the constant ones, "blank (constant or all NaN: ...)"
    empty = (np.zeros(len(blank), bool) if st.band_no_data is None
             else (np.asarray(st.band_no_data, dtype=bool) & by_band).any(axis=1))

    def named(which: np.ndarray) -> str:
        # cutouts by file name; a store's stamps by their id
        return (("" if st.name_column == "file" else f"{st.name_column} ") + ", ".join(st.names[i] for i in which[:5])
                + (", ..." if which.size > 5 else ""))

    kinds = [(np.flatnonzero(blank & ~empty), False), (np.flatnonzero(empty), True)]
    kinds = [(which, nd) for which, nd in kinds if which.size]
    if not rows.size:
        said = " or ".join(f"{blank_words(nd)} ({named(which)})" for which, nd in kinds)
        raise StarclassError(f"{st.source}: every stamp {said}; nothing to explain")
    n = len(blank)
    why = "left out of the maps, as classify leaves them unclassified"
    if len(kinds) == 1:
        which, nd = kinds[0]
        return rows, (f"{which.size} of the {n} stamps of {st.source} {blank_words(nd, which.size)} "
                      f"({named(which)}): {why}")
    return rows, (f"{int(blank.sum())} of the {n} stamps of {st.source} are {why}: "
                  + ", ".join(f"{which.size} {blank_words(nd, which.size)} ({named(which)})" for which, nd in kinds))


def underlay(inputs: np.ndarray, n_scales: int = 1) -> np.ndarray:
    """The image drawn under the maps: the mean of the input channels of the first (finest) scale, ``[N, H, W]``.

    The inputs stack their channels scale-major (:mod:`starclass.stamps.inputs`), so the first
    ``C / n_scales`` are every band at the stamp's own scale. The first channel alone was drawn
    before: on a five-band HST task the F275W, mostly noise, under which the object was not seen.

    Examples
    --------
    >>> x = np.zeros((1, 6, 2, 2), np.float32)
    >>> x[0, 1] = 3.0  # the second band, scale 1 (two bands, three scales)
    >>> underlay(x, 3)[0].tolist()
    [[1.5, 1.5], [1.5, 1.5]]
    """
    x = np.asarray(inputs, np.float32)
    per_scale = max(1, x.shape[1] // max(1, int(n_scales)))
    return x[:, :per_scale].mean(axis=1)


def _missing_class_notes(res: ExplainResult, classes: list[int], class_names: list[str]) -> list[str]:
    """A note per class of the task without a mean map or profile, saying why; one more when no class has one.

    The class means are over the correctly classified stamps of a class (or its predicted ones
    without labels): a class without such a stamp was left out of ``mean_maps.png``, the profiles
    and the line ``explain`` prints, without a word (``--max-stamps 1`` printed "class means over
    ...: " and no figure of either).

    Examples
    --------
    >>> r = ExplainResult({}, np.array([1, 1]), np.array([2, 2]), np.array([.9, .8]), None, None, {}, "", Table())
    >>> _missing_class_notes(r, [1, 2], ["cluster", "galaxy"])  # doctest: +NORMALIZE_WHITESPACE
    ['no mean map or radial profile of class 1 (cluster): none of its 2 labelled stamps is predicted as it',
     'no mean map or radial profile of class 2 (galaxy): no stamp is labelled as it',
     'no class has a mean map: mean_maps.png and profiles.png are not written']
    """
    from starclass.schema import class_labels

    label = class_labels(classes, class_names)
    labelled = bool(np.any(res.class_ref > 0))
    notes = []
    for c in classes:
        if c in res.groups:
            continue
        n = int(np.sum(res.class_ref == c))
        if not labelled:
            why = "no stamp is predicted as it"
        elif n:
            why = (f"none of its {n} labelled stamps is predicted as it" if n > 1
                   else "its one labelled stamp is not predicted as it")
        else:
            why = "no stamp is labelled as it"
        notes.append(f"no mean map or radial profile of class {label.get(c, c)}: {why}")
    if not res.groups:
        notes.append("no class has a mean map: mean_maps.png and profiles.png are not written")
    return notes


def explain(model: str | os.PathLike, stamps: str | os.PathLike, out: str | os.PathLike, *,
            methods: tuple[str, ...] = DEFAULT_METHODS, per_class: int = 6, max_stamps: int | None = 512,
            min_size: int = MIN_MAP_SIZE, layer: str | None = None, seed: int = 0,
            overwrite: bool = False, label_column: str | None = None, progress: bool | None = False,
            file_column: str | None = None) -> dict[str, Any]:
    """Explain a saved model on labelled stamps; write maps, tables and figures to ``out``.

    Parameters
    ----------
    model : path
        Model directory, manifest or member file (``starclass train``).
    stamps : path
        Labelled cutout folder or CSV, or an HDF5 stamp store.
    out : path
        Output folder (written atomically; an existing non-empty one only with ``overwrite``).
    methods : tuple of str
        Any of :data:`METHODS`; by default :data:`starclass.explain.DEFAULT_METHODS` (gradcam, guided-gradcam
        and cam), as ``starclass explain``. ``cam`` is skipped with a note for networks without a
        global-average-pooling + linear head.
    per_class : int
        Example overlays per class in the figures.
    max_stamps : int or None
        At most this many stamps are explained (drawn with ``seed``, every class kept in
        proportion); None: all.
    min_size, layer
        Grad-CAM layer choice (:func:`starclass.explain.maps.choose_layer`).
    seed : int
        Seed of the draw.
    overwrite : bool
        Replace an existing output folder.
    label_column : str or None
        A cutout folder's column of label strings (:func:`read_explain_stamps`; None: the model's).
    progress : bool or None
        Show a tqdm bar over the stamps while the maps are computed (the command line's
        ``--progress``, on there by default on a terminal); None: a few timed lines instead.
    file_column : str or None
        A cutout CSV's column of image files (:func:`read_explain_stamps`; None: ``file``).

    Returns
    -------
    dict
        The content of ``explain.json``.

    Examples
    --------
    >>> # explain("model", "cutouts/labels.csv", "explained")["layer"]["name"]
    """
    from starclass.explain.figures import fig_mean_maps, fig_overlays, fig_profiles, figure_title, save_png

    if isinstance(methods, str):
        methods = (methods,)  # one method by name, as a notebook writes it: was read letter by letter
    # checked before the model and stamps are read, naming the argument of this call too
    check_explain_arguments(methods, per_class=per_class, max_stamps=max_stamps, min_size=min_size, seed=seed)
    loaded = model if isinstance(model, LoadedModel) else load_model(model)
    cfg = loaded.config
    st = read_explain_stamps(stamps, loaded, label_column=label_column, file_column=file_column)
    rows, blank_note = _usable_rows(st, cfg)
    if max_stamps is not None and len(rows) > max_stamps:
        rows = np.sort(rows[np.random.default_rng(seed).permutation(len(rows))[:max_stamps]])
    net = loaded.members[0]
    # the cutouts' own pixel scale where their FITS WCS give one: the task's is a nominal value
    scale = st.pixel_scale if st.pixel_scale is not None else float(cfg.pixel_scale or 1.0)
    scale_from = st.pixel_scale_note or f"the task's pixel_scale ({scale:g}\"/px)"
    no_data = None if st.no_data is None else st.no_data[rows]
    res = explain_inputs(loaded, st.inputs[rows], st.class_ref[rows], loaded.classes, methods=methods,
                         min_size=min_size, layer=layer, pixel_scale=scale, progress=progress, no_data=no_data)
    res.notes.extend(_missing_class_notes(res, loaded.classes, list(cfg.class_names)))
    if blank_note:
        res.notes.insert(0, blank_note)
    res.notes[:0] = st.notes
    names = [st.names[i] for i in rows]
    # one origin per figure: the explained stamps' own, or as stored when the folder mixes them
    image_origin = st.origin(rows)
    origin = figure_origin(image_origin)
    if image_origin == MIXED:
        res.notes.append("the cutouts mix FITS (y up) and PNG/JPEG/NPY (row 0 at the top) files: the figures "
                         "draw every stamp as stored, row 0 at the top (FITS cutouts appear upside down)")
    stamp_tab = Table({"index": rows, st.name_column: names, CLASS_REF: res.class_ref, CLASS_PRED: res.class_pred,
                       "prob_pred": res.prob_pred})
    stamp_tab.meta.update({"prob_pred": res.prob_from, "maps_of": res.maps_of})
    info: dict[str, Any] = {
        "model": str(model), "task": cfg.name, "architecture": getattr(net, "architecture", "?"),
        "stamps": st.source, "n_stamps": int(len(rows)), "methods": list(res.maps),
        "classes": loaded.classes, "class_names": list(cfg.class_names),
        "prob_pred": res.prob_from, "maps_of": res.maps_of,
        "grouping": res.grouping, "n_per_class": {str(c): int(len(g)) for c, g in res.groups.items()},
        "pixel_scale_arcsec": scale, "pixel_scale_from": scale_from, "notes": res.notes,
        "layer": None if res.layer is None else {"name": res.layer.name, "map_size": list(res.layer.size),
                                                 "last_conv_map_size": list(res.layer.last_size),
                                                 "reason": res.layer.reason},
        "cam_map_size": None if res.cam_size is None else list(res.cam_size),
        # how the figures draw the stamps: PNG/JPEG/NPY as stored (row 0 at the top), FITS and mosaic
        # stamps y up; "mixed": a folder of both, drawn as stored
        "image_origin": image_origin,
    }
    image = underlay(st.inputs[rows], len(cfg.scales))
    arch = getattr(net, "architecture", None)
    with atomic_dir(out, overwrite=overwrite, own=OWN_NAMES) as tmp:
        (tmp / "tables").mkdir()
        (tmp / "figures").mkdir()
        np.savez_compressed(tmp / "maps.npz", image=image.astype(np.float32), class_ref=res.class_ref,
                            class_pred=res.class_pred,
                            no_data=np.zeros(image.shape, bool) if no_data is None else no_data,
                            **{m: v.astype(np.float32) for m, v in res.maps.items()})
        stamp_tab.write(tmp / "tables" / "stamps.ecsv", format="ascii.ecsv")
        res.profiles.meta["grouping"] = res.grouping
        res.profiles.write(tmp / "tables" / "profiles.ecsv", format="ascii.ecsv")
        names_of = dict(zip(loaded.classes, cfg.class_names))
        figs = []
        for method, mm in res.maps.items():
            figs.append((f"overlays_{method}.png",
                         fig_overlays(image, mm, res.class_ref, res.class_pred, names_of, per_class,
                                      figure_title(cfg.name, arch, f"{method} saliency"), origin=origin,
                                      method=method, no_data=no_data)))
        if res.maps and res.groups:
            figs.append(("mean_maps.png", fig_mean_maps(res.maps, res.groups, names_of,
                                                        figure_title(cfg.name, arch, "mean maps per class"),
                                                        origin=origin)))
            figs.append(("profiles.png", fig_profiles(res.profiles, names_of,
                                                      figure_title(cfg.name, arch, "radial profiles per class"))))
        for name, fig in figs:
            save_png(fig, tmp / "figures" / name, overwrite=True)  # a staged folder, checked before
        info["figures"] = [f"figures/{n}" for n, _ in figs]
        (tmp / "explain.json").write_text(json.dumps(info, indent=2))
    return info
