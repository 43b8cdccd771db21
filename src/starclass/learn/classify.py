"""Classification: mosaics + candidates + a trained model (or ensemble) -> a catalogue.

:func:`classify` streams the candidates through :func:`starclass.stamps.iter_inputs` in
batches (the stamps of one batch at a time are in memory, so a million candidates need no
more memory than a thousand), runs every ensemble member on each batch and aggregates the
members per candidate (:mod:`starclass.learn.ensemble`). The output is the candidate table with:

``class_pred``, ``prob_<k>`` (one per output class of the task), ``prob_std``, ``quality``,
``class_mean``, ``class_median``, ``class_std`` and ``class_m<i>`` (every member's vote).

* Binary tasks with a decision threshold (``m31-binary``: 0.669) apply it to each member's
  P(positive) and to the mean (which breaks ties).
* ``tta=True`` averages each member's probabilities over the eight rotations/flips of the
  stamp (test-time augmentation; 8x the network cost) and adds ``tta_std``, the standard
  deviation over the eight views of the (member-mean) probability of ``class_pred``.
* **Calibration** (:mod:`starclass.learn.calibration`): a model that carries a temperature
  writes calibrated ``prob_<k>`` and keeps the raw ones as ``prob_<k>_raw``; ``calibrated=False``
  (``--no-calibration``) writes the raw ones only. Decisions (``class_pred``, votes, quality)
  are taken on the raw probabilities, so calibration never changes a class. With ``tta`` the
  map (and the conformal rows) fitted under TTA are used; a model without one is left raw.
* **Conformal sets** (:mod:`starclass.learn.conformal`): with a calibrated model and
  ``coverage`` (default 0.9), ``pred_set`` ("1|2") and ``pred_set_size`` hold the
  class-conditional conformal set of every candidate (empty, size 0, when unclassified).
* **Unusable stamps**: a candidate whose own pixel is off the image or NaN in any band
  (``ok`` False from :func:`starclass.stamps.make_inputs`; :func:`predict_inputs`' ``ok``) is *not classified*: it gets
  ``class_pred = 0`` (the schema's "no class"), NaN probabilities, ``quality = 0`` and member
  votes 0, and the table's ``meta["n_unclassified"]`` counts them. Other off-image or NaN
  pixels of a stamp are filled with the normalised background (0) by the stamps module; a
  classified candidate with such pixels (beside a drizzled mosaic's NaN border) is flagged:
  a ``stamp_no_data`` column (added only when there are any; NaN for unclassified rows) holds
  the share of its input pixels that are fill (:func:`starclass.stamps.inputs.no_data_fraction`),
  and ``meta["n_stamp_no_data"]`` counts them.
* **Blank stamps**: a candidate whose stamp is blank (constant: all zero, or one value) in
  some band at every scale is not classified either (a network gives confident nonsense on
  such an input): ``class_pred = 0`` and NaN probabilities as above, a ``blank_bands``
  column names the blank bands of each row (added only when there are any), a warning names
  each band and its count of blank stamps, and ``meta["n_blank"]`` counts the rows.
* The model's bands must all be in the mosaics (extra mosaic bands are ignored); otherwise
  a :class:`~starclass.errors.StarclassError` names the missing bands. A pixel scale that
  differs from the training one by more than 5% gives a warning.
* An empty candidate list is an error.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from astropy.table import Table

from starclass.bands import require_bands
from starclass.errors import StarclassError, agreeing, counted, model_word
from starclass.io import Mosaics
from starclass.io.catalog import catalog_argument, keep_input_columns
from starclass.io.progress import Progress
from starclass.learn.augment import DIHEDRAL, dihedral
from starclass.learn.checkpoint import LoadedModel, load_model
from starclass.learn.config import TaskConfig
from starclass.learn.data import refuse_catalogue
from starclass.learn.ensemble import EnsembleResult, aggregate, mutual_information
from starclass.learn.precision import (
    autocast,
    compute_dtype,
    parse_precision,
    pick_device,
    precision_name,
    to_memory_format,
    wait_for_device,
)
from starclass.learn.provenance import row_digests
from starclass.schema import (
    CLASS_MEAN,
    CLASS_MEDIAN,
    CLASS_PRED,
    CLASS_STD,
    ID,
    INFERENCE_BATCH_SIZE,
    MUTUAL_INFO,
    PRED_SET,
    PRED_SET_SIZE,
    PROB_STD,
    QUALITY,
    STAMP_NO_DATA,
    TTA_STD,
    X,
    Y,
    member_col,
    prob_col,
    prob_raw_col,
    rows_named,
    unit_of,
)

# starclass.stamps (its normalisations, numba: about 55 MiB) is imported where stamps are cut and
# read (classify, no_data_line): train uses this module's probabilities and band checks only

log = logging.getLogger(__name__)


#: Relative spread (peak to peak over the largest absolute value, at least 1) below which a
#: stamp channel counts as constant: resampling a constant leaves float32 rounding only.
_BLANK_RTOL = 1e-6


def blank_bands(inputs: np.ndarray, config: TaskConfig) -> np.ndarray:
    """Which bands of each candidate's model input are blank (constant at every scale).

    Parameters
    ----------
    inputs : numpy.ndarray
        Model inputs ``[N, C, H, W]``, scale-major (:func:`starclass.stamps.iter_inputs`).
    config : TaskConfig
        The model's task (bands, scales and normalisation).

    Returns
    -------
    numpy.ndarray
        Boolean ``[N, len(config.bands)]``. RGB-normalised inputs mix the bands, so there a
        row counts as blank in every band only when all its channels are constant.

    Examples
    --------
    >>> import numpy as np
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=4, scales=[1.0])
    >>> x = np.random.default_rng(0).normal(size=(2, cfg.n_channels, 4, 4)).astype("f4")
    >>> x[1, 0] = 0.0
    >>> blank_bands(x, cfg).tolist()
    [[False, False], [True, False]]
    """
    n = inputs.shape[0]
    flat = inputs.reshape(n, inputs.shape[1], -1)
    spread = flat.max(axis=2) - flat.min(axis=2)
    size = np.maximum(np.abs(flat).max(axis=2), 1.0)
    const = spread <= _BLANK_RTOL * size  # [N, C]
    n_bands = len(config.bands)
    if config.normalisation == "rgb":
        return np.repeat(const.all(axis=1, keepdims=True), n_bands, axis=1)
    n_scales = inputs.shape[1] // n_bands
    return const.reshape(n, n_scales, n_bands).all(axis=1)


def no_data_line(out: Table, what: str = "candidates") -> str | None:
    """The line ``classify`` prints on classified rows whose stamps are partly without data, or None.

    Parameters
    ----------
    out : astropy.table.Table
        :func:`classify`'s output, or :func:`starclass.learn.cutouts.classify_cutouts`' (its
        ``meta["n_stamp_no_data"]`` and ``stamp_no_data`` column).
    what : str
        What the rows are: ``"candidates"`` (stamps cut from mosaics) or ``"cutouts"`` (a cutout
        folder, whose pixels without data are NaN or of zero exposure in the files).

    Returns
    -------
    str or None

    Examples
    --------
    >>> from astropy.table import Table
    >>> t = Table({"class_pred": [1, 4, 0], "stamp_no_data": [0.0, 0.25, np.nan]}, meta={"n_stamp_no_data": 1})
    >>> print(no_data_line(t))  # doctest: +NORMALIZE_WHITESPACE
    1 of the 2 classified candidates has a stamp partly without data (a NaN border, zero weight or off the image;
    up to 25% of the input pixels, filled with the background): the share is in column stamp_no_data
    >>> print(no_data_line(t, "cutouts"))  # doctest: +NORMALIZE_WHITESPACE
    1 of the 2 classified cutouts is partly without data (NaN or zero exposure in the file; up to 25% of the
    input pixels, filled with the background): the share is in column stamp_no_data
    """
    n = int(out.meta.get("n_stamp_no_data") or 0)
    if not n or STAMP_NO_DATA not in out.colnames:
        return None
    classified = int(np.sum(np.asarray(out[CLASS_PRED]) != 0))
    most = float(np.nanmax(np.asarray(out[STAMP_NO_DATA], dtype=float)))
    if what == "cutouts":
        from starclass.stamps.images import NO_DATA_IN_FILE_WORDS

        # a cutout is its stamp: "has a stamp" read as if one were cut from it
        has = "is" if n == 1 else "are"
        # the centre-pixel refusal's words (CENTRE_NO_DATA_WORDS is built on them): one source, so they cannot drift
        return (f"{n} of the {classified} classified cutouts {has} partly without data ({NO_DATA_IN_FILE_WORDS}; "
                f"up to {most:.0%} of the input pixels, filled with the background): the share is in column "
                f"{STAMP_NO_DATA}")
    has = "has a stamp" if n == 1 else "have stamps"
    return (f"{n} of the {classified} classified {what} {has} partly without data (a NaN border, zero weight "
            f"or off the image; up to {most:.0%} of the input pixels, filled with the background): the share is in "
            f"column {STAMP_NO_DATA}")


def blank_words(no_data: bool, n: int | None = 1, *, image: bool = False, noun: str | None = None) -> str:
    """How a blank band or image is said: constant, or without any data (every pixel NaN).

    The one place that words the two faults: a cutout whose file holds no data at all is
    filled with the background and reads as constant, but "blank (constant)" told its user
    the wrong fault (:func:`blank_column`, ``leave_out_blank``, ``info``).

    Parameters
    ----------
    no_data : bool
        The band or image holds no data at all (all NaN in its file).
    n : int or None
        How many are said (the verb's number); None for a heading (a plural noun, no verb).
    image : bool
        Said of images ("a blank (constant) image") rather than of a band ("is blank (constant)").
    noun : str, optional
        Counted things, without a verb: ``n`` and the noun ("2 blank (constant) cutouts", "1 cutout
        with no data (all NaN)"), as a sentence that counts both kinds names them.

    Returns
    -------
    str
        The words.

    Examples
    --------
    >>> blank_words(False), blank_words(True, 2)
    ('is blank (constant)', 'have no data (all NaN)')
    >>> blank_words(False, 1, image=True), blank_words(True, None, image=True)
    ('is a blank (constant) image', 'images with no data (all NaN)')
    >>> blank_words(False, 2, noun="cutout"), blank_words(True, 1, noun="cutout")
    ('2 blank (constant) cutouts', '1 cutout with no data (all NaN)')
    """
    kind = "no data (all NaN)" if no_data else "blank (constant)"
    one = n == 1
    if noun is not None:
        nouns = noun if one else f"{noun}s"
        return f"{n} {nouns} with {kind}" if no_data else f"{n} {kind} {nouns}"
    if not image:
        verb = ("has" if one or n is None else "have") if no_data else ("is" if one or n is None else "are")
        return f"{verb} {kind}"
    if one:
        return f"is an image with {kind}" if no_data else f"is a {kind} image"
    plural = f"images with {kind}" if no_data else f"{kind} images"
    return plural if n is None else f"are {plural}"


def blank_counts(n_blank: int, n_no_data: int, noun: str = "cutout") -> str:
    """The left-out rows counted by kind: "the 1 blank (constant) cutout and the 2 cutouts with no data (all NaN)".

    ``train``'s refusal to resume a model trained on them counted every one as "blank (constant)",
    an all-NaN cutout too; the two kinds are counted apart, each worded by :func:`blank_words`.

    Parameters
    ----------
    n_blank : int
        Rows blank (constant) in some band, with data.
    n_no_data : int
        Rows without any data in some band (all NaN in the file).
    noun : str
        What a row is.

    Returns
    -------
    str

    Examples
    --------
    >>> blank_counts(1, 2)
    'the 1 blank (constant) cutout and the 2 cutouts with no data (all NaN)'
    >>> blank_counts(3, 0)
    'the 3 blank (constant) cutouts'
    """
    parts = [f"the {blank_words(nd, k, noun=noun)}" for nd, k in ((False, n_blank), (True, n_no_data)) if k]
    return " and ".join(parts)


def blank_column(blank: np.ndarray, bands: Sequence[str], *, what: str = "candidates",
                 no_data: np.ndarray | None = None, start: int = 1,
                 consequence: str = "they are not classified (class_pred 0) and flagged in column blank_bands",
                 ) -> np.ndarray:
    """The ``blank_bands`` column of :func:`blank_bands`' result, with a warning per blank band.

    Parameters
    ----------
    blank : numpy.ndarray
        Boolean ``[N, len(bands)]``.
    bands : sequence of str
        The model's bands.
    what : str
        What the rows are: ``"candidates"`` (stamps cut from mosaics) or ``"cutouts"`` (a cutout
        folder's images, named as such: a cutout is not a candidate's stamp).
    no_data : numpy.ndarray, optional
        Boolean ``[N, len(bands)]``: the band holds no data at all (every pixel NaN in a cutout's
        file, :func:`starclass.stamps.images.cutout_band_no_data`). Such a band is blank only because
        it was filled; the warning says it has no data rather than that it is constant.
    start : int
        The number of the first row in the warning: 1 for a file's rows (a CSV's first data row
        is row 1), 0 for an array's (``CNNClassifier.predict_proba``'s ``X[0]``).
    consequence : str
        What is done to them, as the warning ends.

    Returns
    -------
    numpy.ndarray
        Per row, the blank bands joined by commas ("" for none).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     blank_column(np.array([[False, True], [False, False]]), ["f438w", "f555w"]).tolist()
    ['f555w', '']
    """
    n = blank.shape[0]
    names = np.asarray(list(bands), dtype=object)
    empty = np.zeros_like(blank, dtype=bool) if no_data is None else np.asarray(no_data, dtype=bool) & blank
    where = "the stamps of " if what == "candidates" else ""  # a cutout is its own stamp
    for j, band in enumerate(names):
        # an all-NaN cutout was said to be "blank (constant)": it holds no data, which is not the same fault
        for rows, how in ((np.flatnonzero(blank[:, j] & ~empty[:, j]), blank_words(False)),
                          (np.flatnonzero(empty[:, j]), blank_words(True))):
            if not rows.size:
                continue
            # rows 1-based (the first data row of a CSV is row 1), as the cutout reader names them
            msg = (f"band {band} {how} in {where}{rows.size} of {n} {what} "
                   f"({agreeing(rows.size, 'row')} "
                   f"{', '.join(str(r + start) for r in rows[:10])}{' ...' if rows.size > 10 else ''}): "
                   f"{consequence}")
            # warnings only: a log.warning beside it printed the message twice on the command line
            # (logging's last-resort handler); logging.captureWarnings(True) routes it to logs
            warnings.warn(msg, stacklevel=3)
    return np.array([",".join(names[b]) for b in blank], dtype=str)


def _as_model(model: Any, device: torch.device) -> LoadedModel:
    # a path, a LoadedModel or a fitted CNNClassifier (load_model takes all three)
    return load_model(model, device=device)


def _precision(loaded: LoadedModel, dev: torch.device, precision) -> bool | str:
    """The precision to run ``loaded`` with (its recipe's unless given); lays its members out for it."""
    amp = getattr(loaded.config.recipe, "amp", True) if precision is None else parse_precision(precision)
    dtype = compute_dtype(amp, dev)
    for net in loaded.members:
        to_memory_format(net, dev, dtype)
    return amp


@torch.inference_mode()
def member_probabilities(
    members: list[torch.nn.Module],
    x: np.ndarray | torch.Tensor,
    *,
    tta: bool = False,
    device: str | torch.device = "cpu",
    amp: bool | str = True,
    return_views: bool = False,
    per_member: bool = False,
    on_pass: Callable[[int], None] | None = None,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Softmax probabilities of every member on one batch: ``[M, B, K]`` float32.

    With ``tta`` each member's probabilities are the mean over the eight dihedral transforms
    of the batch (run one view at a time, ``B`` rows each). ``amp`` is a precision setting
    (:mod:`starclass.learn.precision`: True = mixed on CUDA only, "bf16", False).
    ``return_views`` (with ``tta``) also returns the member-mean probabilities of every view,
    ``[8, B, K]``, for the TTA spread; with ``per_member`` too, every member's views
    ``[M, 8, B, K]`` instead (for the mutual information over views x members).
    ``on_pass`` is called with ``B`` after each pass of one view through one member (``8 M`` calls
    with ``tta``, ``M`` without): a progress bar that moves per view, not once per batch.

    Examples
    --------
    A one-member model with random weights (:func:`starclass.learn.checkpoint.make_checkpoint`):

    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> from starclass.learn.checkpoint import write_untrained_model
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> d = write_untrained_model(tempfile.mkdtemp(), cfg)
    >>> m = load_model(d)
    >>> x = np.random.default_rng(1).normal(size=(6, 2, 16, 16)).astype("f4")
    >>> p = member_probabilities(m.members, x)
    >>> p.shape, p.sum(axis=-1).round(3).tolist()
    ((1, 6, 2), [[1.0, 1.0, 1.0, 1.0, 1.0, 1.0]])
    >>> p, views = member_probabilities(m.members, x, tta=True, return_views=True, per_member=True)
    >>> views.shape
    (1, 8, 6, 2)
    >>> passes = []
    >>> _ = member_probabilities(m.members, x, tta=True, on_pass=passes.append)
    >>> passes
    [6, 6, 6, 6, 6, 6, 6, 6]
    """
    dev = torch.device(device)
    dtype = compute_dtype(amp, dev)
    xt = torch.as_tensor(x, dtype=torch.float32).to(dev, non_blocking=True)
    # with tta the views go through the network one at a time: the eight as one batch of 8 B held eight copies of
    # the stamps and the activations of all of them at once, +175 MiB over the +14 MiB of one plain pass for 128
    # rows of legus4-compact (benchmarks/fit_memory.py --phases), the peak of a whole training run (its calibration)
    views_of = [(lambda t, d=d: dihedral(t, d)) for d in DIHEDRAL] if tta else [lambda t: t]
    out = []
    views = []
    for net in members:
        per_view = []
        for view in views_of:
            with autocast(dev, dtype):
                logits = net(to_memory_format(view(xt), dev, dtype))
            per_view.append(torch.softmax(logits.float(), dim=1))
            if on_pass is not None:
                # the bar (and its time left) moves as the pass is done, not as it is queued: on CUDA the eight
                # views' kernels were all launched within milliseconds and the bar ran ahead of the work
                wait_for_device(dev)
                on_pass(int(xt.shape[0]))
        if tta:
            pv = torch.stack(per_view)  # [8, B, K], as the batch of 8 B reshaped was
            views.append(pv)
            p = pv.mean(dim=0)
        else:
            p = per_view[0]
        out.append(p)
    probs = torch.stack(out).cpu().numpy()
    if not return_views:
        return probs
    if not tta:
        raise StarclassError("member_probabilities: return_views needs tta=True")
    if per_member:
        return probs, torch.stack(views).cpu().numpy()
    return probs, torch.stack(views).mean(dim=0).cpu().numpy()


def tta_spread(views: np.ndarray, class_index: np.ndarray) -> np.ndarray:
    """Standard deviation over TTA views of the probability of each row's chosen class.

    Parameters
    ----------
    views : numpy.ndarray
        Member-mean probabilities of every view ``[V, N, K]``.
    class_index : numpy.ndarray
        Index (0..K-1) of each row's chosen class; negative for "no class" (NaN out).

    Returns
    -------
    numpy.ndarray
        ``[N]`` float64.

    Examples
    --------
    >>> v = np.array([[[0.9, 0.1]], [[0.7, 0.3]]])
    >>> tta_spread(v, np.array([0])).round(3).tolist()
    [0.1]
    """
    idx = np.asarray(class_index, dtype=np.int64)
    n = idx.size
    chosen = np.asarray(views, dtype=np.float64)[:, np.arange(n), np.clip(idx, 0, None)]
    return np.where(idx >= 0, chosen.std(axis=0), np.nan)


def view_mutual_info(member_probs: np.ndarray, views: np.ndarray | None) -> np.ndarray | None:
    """BALD mutual information per row over every prediction: TTA views x members, or members alone.

    ``views`` (``[M, 8, N, K]``, :func:`member_probabilities` with ``per_member``) when
    classifying with TTA, else None; ``member_probs`` ``[M, N, K]``. None when there is only
    one prediction per row (one member, no TTA): one view has no mutual information.

    Examples
    --------
    Two members that agree have no mutual information; two sure members that disagree have
    log 2 (the entropy of their mean, 0.693, minus their own, 0):

    >>> agree = np.array([[[0.5, 0.5]], [[0.5, 0.5]]])
    >>> disagree = np.array([[[1.0, 0.0]], [[0.0, 1.0]]])
    >>> view_mutual_info(agree, None).round(3).tolist(), view_mutual_info(disagree, None).round(3).tolist()
    ([0.0], [0.693])
    >>> view_mutual_info(agree[:1], None) is None
    True
    """
    if views is not None:
        v = np.asarray(views)
        return mutual_information(v.reshape(v.shape[0] * v.shape[1], *v.shape[2:]))
    if member_probs.shape[0] > 1:
        return mutual_information(member_probs)
    return None


def _class_index(class_pred: np.ndarray, classes) -> np.ndarray:
    """Index of each predicted class in ``classes`` (-1 for 0 = no class)."""
    lut = {int(c): j for j, c in enumerate(classes)}
    return np.array([lut.get(int(c), -1) for c in np.asarray(class_pred)], dtype=np.int64)


def trust_columns(loaded: LoadedModel, prob_raw: np.ndarray, *, calibrated: bool = True,
                  coverage: float | None = 0.9, keys: np.ndarray | None = None,
                  tta: bool = False, progress: bool | None = False) -> tuple[dict[str, np.ndarray], dict]:
    """Calibrated probabilities and conformal sets of a model's raw ensemble-mean probabilities.

    Parameters
    ----------
    loaded : LoadedModel
        The model; its ``calibration`` (None: nothing to add) holds the temperature and the
        held-out rows (:mod:`starclass.learn.calibration`).
    prob_raw : numpy.ndarray
        Raw ensemble-mean probabilities ``[N, K]`` (NaN rows: unclassified).
    calibrated : bool
        Apply the temperature (else the raw probabilities are used for the sets too).
    coverage : float or None
        Coverage of the conformal sets; None: no sets.
    keys : numpy.ndarray, optional
        One 64-bit key per row that draws its smoothing weight
        (:meth:`starclass.learn.conformal.ClassConditionalConformal.predict_p`): classify passes
        the digest of each row's model input (:func:`starclass.learn.provenance.row_digests`), so
        a candidate's set does not depend on its place in the list; default: the digest of its
        probabilities.
    tta : bool
        ``prob_raw`` was averaged over the eight rotations/flips: the calibration (and the
        conformal sets) fitted under TTA are used (:meth:`starclass.learn.calibration.ModelCalibration.for_tta`).
        A model that holds none (calibrated before 2026-12-05) does not apply the one fitted
        without TTA (it made TTA probabilities worse than raw): the probabilities stay raw, the
        sets are scored as with ``calibrated=False``, and the meta's ``calibration_cautions`` and
        ``calibration_not_applied`` say so.
    progress : bool or None
        As the classification's bar (True at a terminal, None a log's timed line, False nothing): say
        ``classify: making the conformal sets ...`` before the sets of a calibrated model are fitted. Their
        conformal library (crepes, with scipy.stats and pandas) loads then: 2-3 s on a loaded machine after
        the bar's last view without a word (``benchmarks/classify_stages.py``).

    Returns
    -------
    (dict, dict)
        Columns (``prob_<k>``, ``prob_<k>_raw``, ``pred_set``, ``pred_set_size`` as they
        apply) and the entries for the table's ``meta``.

    Examples
    --------
    A model without a calibration adds no column and says why in the meta:

    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> from starclass.learn.checkpoint import write_untrained_model
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> d = write_untrained_model(tempfile.mkdtemp(), cfg)
    >>> cols, meta = trust_columns(load_model(d), np.array([[0.7, 0.3]]))
    >>> cols, meta["calibrated"], meta["calibration_note"][:32]
    ({}, False, 'the model carries no calibration')
    """
    from starclass.learn.calibration import ModelCalibration
    from starclass.learn.conformal import check_coverage, format_sets

    cfg = loaded.config
    cols: dict[str, np.ndarray] = {}
    if coverage is not None:
        coverage = check_coverage(coverage, "coverage (--coverage)")
    if loaded.calibration is None:
        # why, as training recorded it: "trained without a validation split" was said of a model
        # whose validation split merely lacked a class
        why = getattr(loaded, "no_calibration", None) or "none recorded"
        meta = {"calibrated": False, "temperature": None, "calibration_method": None, "coverage": None,
                "calibration_note": f"the model carries no calibration: {why}; raw probabilities, no conformal "
                                    "sets (fit them with 'starclass calibrate' on labelled rows)"}
        return cols, meta
    stored = ModelCalibration.from_dict(loaded.calibration, "model")
    # TTA-averaged probabilities are softer than one view's: the map and the conformal scores fitted under the
    # same mode (a temperature fitted without TTA made the TTA probabilities of real cutouts worse than raw)
    cal = stored.for_tta(tta)
    mismatch = stored.tta_mismatch(tta)
    if mismatch:
        # a model calibrated before maps were fitted under TTA: its map, fitted on sharper probabilities, made the
        # TTA probabilities of real cutouts worse than raw (ECE 0.114 against 0.088, docs/uncertainty.md 1d), so
        # they are left raw and the sets scored on raw ones, as --no-calibration does; the caution says why
        calibrated = False
    prob = cal.calibrate(prob_raw) if calibrated else np.asarray(prob_raw, dtype=np.float64)
    if calibrated:
        for j, c in enumerate(cfg.classes):
            cols[prob_col(c)] = prob[:, j]
            cols[prob_raw_col(c)] = np.asarray(prob_raw[:, j], dtype=np.float64)
    meta = {"calibrated": bool(calibrated),
            # the temperature only where it is what was applied (vector scaling records its terms)
            "temperature": cal.temperature if calibrated and cal.method == "temperature" else None,
            "calibration_method": cal.method if calibrated else None,
            "calibration_source": cal.source, "calibration_n": cal.n, "coverage": coverage,
            # the mode of the rows the map and the conformal sets were fitted on, beside the catalogue's own "tta"
            "calibration_tta": cal.tta}
    cautions = cal.cautions(list(cfg.class_names)) if calibrated else []  # the classes named, as info names them
    if mismatch:
        cautions.append(mismatch)
        meta["calibration_not_applied"] = "fitted without TTA" if tta else "fitted with TTA only"
    if cautions:
        # too few rows to pin the map down (or a temperature at its bound): train and calibrate
        # said it once; the catalogue whose probabilities it made keeps it, and classify says it
        meta["calibration_cautions"] = cautions
    if calibrated and cal.method == "vector":
        meta["calibration_scale"] = [float(v) for v in cal.scale]
        meta["calibration_bias"] = [float(v) for v in cal.bias]
    if calibrated and cal.method == "histogram":
        meta["calibration_bins"] = int(cal.n_bins)
    if coverage is not None:
        from starclass.io.progress import say_start
        from starclass.learn.conformal import coverage_percent

        # with its digits, as the result line says it: --coverage 0.875 was "(88% coverage)" here, 87.5% there
        say_start(f"classify: making the conformal sets ({coverage_percent(coverage)} coverage) from the model's "
                  f"{counted(cal.n, 'held-out row')} ...", progress)
        sets = cal.conformal(calibrated=calibrated, class_names=getattr(cfg, "class_names", None)).predict_set(
            prob, coverage=coverage, keys=keys)
        cols[PRED_SET] = format_sets(sets, cfg.classes)
        cols[PRED_SET_SIZE] = sets.sum(axis=1).astype(np.int64)
    return cols, meta


def check_input_geometry(shape: tuple[int, ...], cfg: Any, *, tta: bool = False) -> None:
    """Refuse model inputs whose shape does not fit the model's task: bands and scales, stamp size.

    The one check of :func:`predict_inputs` and :func:`starclass.explain.run.explain_inputs`: a
    network with global pooling (or its own resampling to ``input_size``) takes stamps of any size
    and gave confident classes, or Grad-CAM maps, for 16 px stamps of a 32 px model without a word.

    Parameters
    ----------
    shape : tuple of int
        The inputs' shape, ``[N, C, H, W]``.
    cfg : starclass.learn.config.TaskConfig
        The model's task (``load_model(...).config``).
    tta : bool
        Test-time augmentation will turn the stamps by multiples of 90 degrees: they must be square.

    Raises
    ------
    StarclassError
        The shape, what the task takes and how to cut stamps that fit.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=32, scales=[1.0])
    >>> check_input_geometry((4, cfg.n_channels, 32, 32), cfg)
    >>> check_input_geometry((4, cfg.n_channels, 16, 16), cfg)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: inputs are 16 x 16 px (H x W) but the model's task ... takes 32 x 32 px stamps ...
    """
    shape = tuple(int(n) for n in shape)
    if len(shape) != 4 or shape[1] != cfg.n_channels:
        raise StarclassError(
            f"inputs of shape {shape} do not fit task {cfg.name!r}: expected "
            f"[N, {cfg.n_channels}, H, W]"
        )
    if tta and shape[2] != shape[3]:
        raise StarclassError(
            f"inputs are {shape[2]} x {shape[3]} px (H x W), not square: test-time "
            "augmentation (tta) turns them by multiples of 90 degrees; cut square stamps or classify "
            "without tta")
    if shape[2:] != (cfg.stamp_size, cfg.stamp_size):
        raise StarclassError(
            f"inputs are {shape[2]} x {shape[3]} px (H x W) but the model's task {cfg.name!r} "
            f"takes {cfg.stamp_size} x {cfg.stamp_size} px stamps (stamp_size={cfg.stamp_size}): cut them at "
            "that size (starclass.stamps.make_inputs with the model's config, or 'starclass cutouts --task "
            "MODEL'), or resample cutouts to it with starclass.stamps.images.cutout_inputs(images, config)")


def classify_progress(n: int, task: str, n_members: int, tta: bool, show: bool | None) -> Progress:
    """The progress of classifying ``n`` candidates: in candidates, or under ``tta`` in views.

    Under TTA every candidate goes through each of the ``n_members`` networks once per rotation/flip
    (:data:`~starclass.learn.augment.DIHEDRAL`, eight): the count is of those views, ``8 M`` a candidate,
    and moves after each pass of a batch through one member in one view. Counted in candidates, it moved once
    per batch of 512 rows, after all ``8 M`` passes: minutes without a move on a CPU. The label says
    which (``TTA: 8 views a candidate``), so that a log's ``0 of 320 views`` is read right.

    Parameters
    ----------
    n : int
        Candidates to classify.
    task : str
        The model's task, for the label.
    n_members : int
        Members of the model (ensemble).
    tta : bool
        Whether the views are averaged (``--tta``).
    show : bool or None
        As :class:`starclass.io.progress.Progress`: True the bar, None the timed lines, False nothing.

    Returns
    -------
    Progress
        Its ``total`` is ``n``, or ``8 n M`` under TTA.

    Examples
    --------
    >>> p = classify_progress(40, "legus4-compact", 1, True, False)
    >>> p.desc, p.total, p.noun
    ('classify (legus4-compact, 1 member, TTA: 8 views a candidate)', 320, 'view')
    >>> classify_progress(40, "legus4-compact", 2, False, False).desc
    'classify (legus4-compact, 2 members)'
    """
    m = int(n_members)
    desc = f"classify ({task}, {m} member{'s' * (m > 1)}"
    if not tta:
        return Progress(n, desc=desc + ")", noun="candidate", show=show, unit="cand", dynamic_ncols=True)
    per = len(DIHEDRAL) * m
    return Progress(n * per, desc=f"{desc}, TTA: {per} views a candidate)", noun="view", show=show, unit="view",
                    dynamic_ncols=True)


def predict_inputs(
    model: LoadedModel | str | os.PathLike | Any,
    inputs: np.ndarray,
    *,
    ok: np.ndarray | None = None,
    batch_size: int = INFERENCE_BATCH_SIZE,
    tta: bool = False,
    device: str | torch.device | None = None,
    precision: bool | str | None = None,
    calibrated: bool = True,
    threshold: float | None = None,
    progress: bool | None = False,
    member_probs: Mapping[int, np.ndarray] | None = None,
    valid: np.ndarray | None = None,
) -> EnsembleResult:
    """Aggregate ensemble predictions for ready-made model inputs ``[N, C, H, W]``.

    ``ok`` (bool ``[N]``) marks candidates to classify; the others get class 0 (see the
    module docstring). Non-finite pixels are an error here: make inputs with
    :func:`starclass.stamps.make_inputs`, which fills them. ``precision`` ("auto", "fp32",
    "bf16"; default the model's ``recipe.amp``) is described in :mod:`starclass.learn.precision`.
    With ``calibrated`` and a model that carries a temperature, ``prob_mean`` is calibrated and
    ``prob_raw`` holds the raw mean; with ``tta``, ``tta_std`` is filled; with ``tta`` or several
    members, ``mutual_info`` (:func:`view_mutual_info`, of the raw probabilities). ``threshold``: a
    binary task's decision threshold instead of its own, as :func:`classify` takes it
    (:func:`decision_threshold`). ``progress`` shows a tqdm bar per candidate, as :func:`classify`'s
    (None: plain lines, :class:`starclass.io.progress.Progress`).

    Parameters
    ----------
    model : LoadedModel, path-like or torch module
        A saved model's folder (or one member ``.pt``), or a model loaded already.
    inputs : numpy.ndarray of float32, shape (N, C, H, W)
        Model inputs, finite (:func:`starclass.stamps.make_inputs`), of the model's geometry.
    ok : numpy.ndarray of bool, shape (N,), optional
        The candidates to classify (default: all); the others get class 0 and NaN probabilities. Per candidate,
        as :attr:`starclass.stamps.InputBatch.ok` (``valid`` elsewhere means per pixel).
    batch_size : int
        Candidates per forward pass (memory only; :data:`starclass.schema.INFERENCE_BATCH_SIZE`).
    tta : bool
        Average over the eight rotations and flips (8x slower); fills ``tta_std``.
    device : str or torch.device, optional
        Default: CUDA when available.
    precision : {"auto", "fp32", "bf16"}, optional
        Default: the precision the model was trained with.
    calibrated : bool
        Apply the model's calibration to ``prob_mean`` (the raw mean kept in ``prob_raw``).
    threshold : float, optional
        A binary task's decision threshold on P(positive), 0-1 (default: the task's).
    progress : bool or None
        Show a progress bar (None: a few timed lines on the ``starclass.progress`` logger instead).
    member_probs : mapping of int to numpy.ndarray, optional
        Softmax probabilities ``[N, K]`` that members (by 0-based index) already gave on these very
        inputs, at the model's precision: those members are not run again (``explain`` takes the first
        member's from the forward pass of its Grad-CAM maps). Not with ``tta``.
    valid : numpy.ndarray of bool, shape (N,), optional
        Deprecated name of ``ok`` (read, with a DeprecationWarning, for one release).

    Returns
    -------
    EnsembleResult
        ``class_pred`` (N,), ``prob_mean`` (N, K), the members' votes and quality, and
        ``prob_raw``, ``tta_std`` and ``mutual_info`` where they apply
        (:class:`starclass.learn.ensemble.EnsembleResult`).

    Examples
    --------
    >>> import tempfile
    >>> from starclass.datasets.stamps import make_synthetic
    >>> from starclass.learn import fit, get_preset
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16, recipe={"epochs": 1})
    >>> toy = make_synthetic(cfg, 12, seed=0)
    >>> model = tempfile.mkdtemp()
    >>> _ = fit(cfg, toy.inputs, toy.class_ref, outdir=model, progress=False, device="cpu")
    >>> res = predict_inputs(model, toy.inputs[:3], device="cpu")
    >>> res.class_pred.shape, res.prob_mean.shape
    ((3,), (3, 2))

    The member's probabilities given, it is not run again; the result is the same:

    >>> p = member_probabilities(load_model(model).members, toy.inputs[:3])[0]
    >>> bool(np.allclose(predict_inputs(model, toy.inputs[:3], device="cpu", member_probs={0: p}).prob_mean,
    ...                  res.prob_mean, atol=1e-6))
    True
    """

    if valid is not None:
        if ok is not None:
            raise StarclassError("predict_inputs: give ok= (the candidates to classify), not also its old name valid=")
        import warnings

        # `valid` means per pixel elsewhere (normalise's, the stamps'): the per-candidate mask is `ok`, as InputBatch's
        warnings.warn("predict_inputs(valid=...) is now ok= (per candidate; valid means per pixel elsewhere); the "
                      "old name goes in the next release", DeprecationWarning, stacklevel=2)
        ok = valid
    dev = pick_device(device)
    loaded = _as_model(model, dev)
    amp = _precision(loaded, dev, precision)
    cfg = loaded.config
    thr, positive = decision_threshold(cfg, threshold)
    refuse_catalogue(inputs)
    inputs = np.asarray(inputs)
    n = inputs.shape[0]
    if n == 0:
        raise StarclassError("no candidates to classify (empty input array)")
    check_input_geometry(inputs.shape, cfg, tta=tta)
    given = _given_member_probs(member_probs, len(loaded.members), n, tta)
    parts = []
    view_parts = []
    mi_parts = []
    # calibrate classified its held-out rows (minutes on a large set, on a CPU) without a word; its second pass,
    # under TTA (8x as long), read in a log as the first one said again: the lines say which
    bar = classify_progress(n, cfg.name, len(loaded.members), tta, progress)
    try:
        _predict_batches(loaded, inputs, batch_size, tta, dev, amp, parts, view_parts, mi_parts, bar, given)
    finally:
        bar.close()
    probs = np.concatenate(parts, axis=1)
    if ok is not None:
        probs[:, ~np.asarray(ok, dtype=bool), :] = np.nan
    res = aggregate(probs, cfg.classes, threshold=thr, positive_class=positive)
    if tta:
        res.tta_std = tta_spread(np.concatenate(view_parts, axis=1), _class_index(res.class_pred, cfg.classes))
    if mi_parts[0] is not None:  # of the raw views: calibration rescales the mean, not each view
        res.mutual_info = np.concatenate(mi_parts)
        if ok is not None:
            res.mutual_info[~np.asarray(ok, dtype=bool)] = np.nan
    if calibrated and loaded.calibration is not None:
        from starclass.learn.calibration import ModelCalibration

        stored = ModelCalibration.from_dict(loaded.calibration, "model")
        if why := stored.tta_mismatch(tta):
            # fitted under the other TTA mode: left raw, as classify leaves them (trust_columns)
            import warnings

            warnings.warn(why, UserWarning, stacklevel=2)
        else:
            res.prob_raw = res.prob_mean
            # the map fitted under the same TTA mode as these probabilities
            res.prob_mean = stored.for_tta(tta).calibrate(res.prob_mean)
    return res


def _given_member_probs(member_probs: Mapping[int, np.ndarray] | None, n_members: int, n: int,
                        tta: bool) -> dict[int, np.ndarray]:
    """``predict_inputs``' ``member_probs``, checked: one ``[N, K]`` array per member named."""
    if not member_probs:
        return {}
    if tta:
        raise StarclassError("predict_inputs: member_probs are one pass's probabilities; not with tta=True")
    given = {}
    for i, p in member_probs.items():
        if not 0 <= int(i) < n_members:
            raise StarclassError(f"predict_inputs: member_probs names member {i}; the model has members 0-"
                                 f"{n_members - 1}")
        p = np.asarray(p, np.float32)
        if p.ndim != 2 or p.shape[0] != n:
            raise StarclassError(f"predict_inputs: member_probs[{i}] has shape {p.shape}; give [N, K] for the "
                                 f"{n} inputs")
        given[int(i)] = p
    return given


def _predict_batches(loaded, inputs, batch_size, tta, dev, amp, parts, view_parts, mi_parts, bar,
                     given: dict[int, np.ndarray] | None = None) -> None:
    """:func:`predict_inputs`' loop over batches: appends to ``parts``, ``view_parts``, ``mi_parts``.

    ``given``: probabilities of members already run on ``inputs`` (by index), put in their place, not computed.
    """
    given = given or {}
    run = [net for i, net in enumerate(loaded.members) if i not in given]
    for s in range(0, inputs.shape[0], batch_size):
        xb = inputs[s: s + batch_size]
        if not np.all(np.isfinite(xb)):
            raise StarclassError(
                f"model inputs {s}-{s + len(xb) - 1} contain NaN or inf; build them with "
                "starclass.stamps.make_inputs (which fills bad pixels)"
            )
        if tta:
            # the bar counts views under TTA (classify_progress): it moves after each member's pass over each view
            pb, vb = member_probabilities(loaded.members, xb, tta=True, device=dev, amp=amp, return_views=True,
                                          per_member=True, on_pass=bar.update)
            view_parts.append(vb.mean(axis=0))
        elif given:
            ran = iter(member_probabilities(run, xb, tta=False, device=dev, amp=amp) if run else ())
            pb = np.stack([given[i][s:s + len(xb)] if i in given else next(ran)
                           for i in range(len(loaded.members))]).astype(np.float32, copy=False)
            vb = None
        else:
            pb, vb = member_probabilities(loaded.members, xb, tta=False, device=dev, amp=amp), None
        _check_finite(pb, np.ones(len(xb), dtype=bool), s, "model")
        parts.append(pb)
        mi_parts.append(view_mutual_info(pb, vb))
        if not tta:
            bar.update(len(xb))


def _check_finite(p: np.ndarray, valid: np.ndarray, start: int, name: str) -> None:
    """A network that outputs NaN for a valid input has broken weights: never hide that."""
    bad = ~np.all(np.isfinite(p), axis=(0, 2)) & valid
    if bad.any():
        members = sorted({int(i) + 1 for i in np.flatnonzero(~np.all(np.isfinite(p[:, bad]), axis=(1, 2)))})
        raise StarclassError(
            f"{name}: {agreeing(len(members), 'member')} {members} output non-finite probabilities for valid "
            "candidates "
            f"({rows_named(start + np.flatnonzero(bad), limit=5)}): the weights are broken "
            "(diverged training?)"
        )


def decision_threshold(cfg: TaskConfig, threshold: float | None) -> tuple[float | None, int | None]:
    """(threshold, positive class) of a classification: the task's, or ``threshold`` for a binary task.

    A binary task without a declared positive class takes its first class as positive.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> decision_threshold(get_preset("galaxy-cluster"), 0.8)
    (0.8, 1)
    """
    if threshold is None:
        return cfg.threshold, cfg.positive_class
    if not cfg.is_binary:
        raise StarclassError(f"--threshold: task {cfg.name!r} has {cfg.n_classes} classes {list(cfg.classes)}; "
                             "a decision threshold applies to binary tasks only")
    threshold = float(threshold)
    if not 0.0 <= threshold <= 1.0:
        # 'classify --threshold 5' is detect's S/N given here: said, as explain's -m says it is not --mosaics
        raise StarclassError(f"--threshold {threshold} must be between 0 and 1 (a probability: of the positive "
                             "class here; a signal-to-noise is detect's --threshold)")
    return threshold, cfg.positive_class if cfg.positive_class is not None else cfg.classes[0]


def threshold_source(cfg: TaskConfig, threshold: float | None, tuned: dict | None = None) -> str | None:
    """Where a classification's decision threshold came from, in words; None when none decided.

    ``classify`` prints it and records it in the output's meta (``threshold_source``): class
    counts that differ from the most probable class were printed without a word of the
    threshold that decided them (``--threshold 0.4``, or one ``train --target-purity`` stored).

    Parameters
    ----------
    cfg : TaskConfig
        The model's task (with a stored threshold, as :func:`starclass.learn.checkpoint.load_model`
        gives it).
    threshold
        ``--threshold`` as given (None: not given).
    tuned
        The model's record of a stored threshold (:attr:`starclass.learn.checkpoint.LoadedModel.tuned_threshold`).

    Returns
    -------
    str or None
        ``"--threshold"``, ``"the model's, chosen by train --target-purity 0.8 on 9 validation rows"``
        or ``"task 'm31-binary'"``; None for the most probable class.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> threshold_source(get_preset("m31-binary"), 0.4)
    '--threshold'
    >>> threshold_source(get_preset("m31-binary"), None)
    "task 'm31-binary'"
    >>> threshold_source(get_preset("m31-real"), None) is None
    True
    """
    if threshold is not None:
        return "--threshold"
    if cfg.threshold is None:
        return None
    if tuned and tuned.get("threshold") is not None and float(tuned["threshold"]) == float(cfg.threshold):
        rows = tuned.get("n_val")
        on = f" on {rows} validation row{'s' if rows != 1 else ''}" if rows is not None else ""
        purity = f" {tuned['target_purity']}" if tuned.get("target_purity") is not None else ""
        return f"the model's, chosen by train --target-purity{purity}{on}"
    return f"task {cfg.name!r}"


def check_bands(model_bands: list[str], mosaic_bands: list[str], model_name: str = "model",
                mosaics: object = None, task: str | None = None, listed: str | None = None) -> None:
    """Raise if a band the model was trained on is missing from the mosaics, saying what to do.

    Parameters
    ----------
    model_bands
        The bands of the model (or task).
    mosaic_bands
        The bands the mosaics have.
    model_name
        ``"model PATH"`` or ``"task 'NAME'"``: who needs the bands, first in the message.
    mosaics
        The mosaics read (a :class:`~starclass.io.mosaic.MosaicSet`, or anything with ``paths``), named in
        the message: with several fields, which one lacks the band was not said.
    task
        The task's name, for the task file the message offers (``extends:`` a preset's name, else that task's
        own file: :func:`starclass.learn.config.task_file_with`).
    listed
        Where the user listed the mosaics, when they were given as files (``"the mosaics given on the
        command line"``, ``"the mosaics of field 'a' in plan P"``): the band's mosaic is to be added
        there, not beside the others in their folder, which nothing reads. Default: "the list of mosaics".

    Raises
    ------
    StarclassError
        A band is missing: the message names it, the mosaics' files, how to add the band, and how to use
        the bands there are (a task file ``extends: ...`` with ``bands: [...]``).

    Examples
    --------
    >>> check_bands(["f555w", "f814w"], ["f555w", "f814w", "f336w"])
    >>> try:
    ...     check_bands(["f275w", "f555w"], ["f555w"], "task 'legus4'", task="legus4")
    ... except StarclassError as exc:
    ...     print(str(exc)[:84])
    task 'legus4' (trained on f275w, f555w): band f275w missing from the mosaics (availa

    Mosaics read from a list of files are added to that list:

    >>> import tempfile
    >>> from starclass.simulate import SimConfig, simulate_to_disk
    >>> folder = Path(tempfile.mkdtemp()) / "field"
    >>> _ = simulate_to_disk(SimConfig(seed=1, shape=(64, 64), n_candidates=4), folder)
    >>> from starclass.io.mosaic import read_mosaics
    >>> two = read_mosaics(sorted(folder.glob("*_f[58]*.fits")), warn_v_band=False)
    >>> try:
    ...     check_bands(["f336w", "f555w"], two.bands, mosaics=two, listed="the mosaics given")
    ... except StarclassError as exc:
    ...     print(str(exc).split(". ")[1][:48])
    Add the band's mosaic to the mosaics given (a FI
    """
    try:
        require_bands(model_bands, mosaic_bands, context=f"{model_name} (trained on {', '.join(model_bands)})")
    except StarclassError as exc:
        paths = getattr(mosaics, "paths", None) or {}
        given = getattr(mosaics, "given", None) or ()
        # mosaics given as files (a plan's 'mosaics: [...]', files on the command line): a file put beside
        # them in their folder is read by nothing; it goes into the list
        files = any(not Path(g).is_dir() for g in given)
        folders = sorted({str(Path(p).parent) for p in paths.values()})
        where = f" ({'; '.join(folders)})" if folders and not files else ""
        have = list(mosaic_bands)
        missing = [b for b in model_bands if b not in have]
        # each missing band named: an example of one only had the user add it and meet the refusal again
        what = ("the band's mosaic" if len(missing) == 1
                else f"the mosaics of bands {', '.join(missing[:-1])} and {missing[-1]}")
        add = f"Add {what} to {listed or 'the list of mosaics'}" if files else f"Add {what} beside the others"
        eg = " or ".join(f"'_{b}_'" for b in missing)
        from starclass.learn.config import task_file_with

        # extends: takes a preset only: a user's task (or a model trained on one) is changed in its own file
        use = task_file_with(task, "'bands: [" + ", ".join(have) + "]'")
        raise StarclassError(
            f"{exc}{where}. {add} (a FITS file {'each ' if len(missing) > 1 else ''}with the filter in its "
            f"FILTER keyword or its name, e.g. {eg}), or use the bands these "
            f"mosaics have: train with {use} "
            "(docs/models.md)") from None


#: What classify writes besides ``prob_<k>`` and ``class_m<i>``: an input's own columns of these names are
#: an earlier classification's (or another tool's, as PHANGS' class_pred and quality).
_OUTPUT_NAMES = (CLASS_PRED, PROB_STD, QUALITY, CLASS_MEAN, CLASS_MEDIAN, CLASS_STD, TTA_STD, MUTUAL_INFO, PRED_SET,
                 PRED_SET_SIZE, "blank_bands", STAMP_NO_DATA)


def earlier_outputs(names: Iterable[str]) -> list[str]:
    """Which of ``names`` are classify's own output columns (``class_pred``, ``prob_<k>``, ``class_m<i>``, ...).

    A catalogue classified before by a four-class model and again by a binary one kept the old
    ``prob_3``, ``prob_4`` (and a five-member ensemble's ``class_m5`` beside a three-member
    one's votes) under their names, as if this model had written them. The ``classify
    --votes`` columns (``class_joint``, ``prob_joint_<k>``, ``n_votes``) and the ``model``
    column the CLI writes for CSV and FITS count too: computed by (or naming) the model that
    classified the rows before, under their names they read as this classification's (a
    survey of such a catalogue as its positions kept the old model's path in ``model``). So do
    the decision columns of a CSV output (``threshold``, ``threshold_source``, ``positive_class``):
    read back as this classification's decision, they would name the earlier one's threshold.

    Examples
    --------
    >>> earlier_outputs(["id", "x", "class_pred", "prob_4", "prob_2_raw", "class_m5", "class_ml", "mag_f555w"])
    ['class_pred', 'prob_4', 'prob_2_raw', 'class_m5']
    >>> earlier_outputs(["id", "class_joint", "prob_joint_2", "n_votes", "model", "threshold"])
    ['class_joint', 'prob_joint_2', 'n_votes', 'model', 'threshold']
    """
    from starclass.schema import COLUMNS, COVERAGE, DECISION_COLUMNS, MODEL_PATH, joint_cols

    patterns = (COLUMNS["prob_<k>"], COLUMNS["prob_<k>_raw"], COLUMNS["class_m<i>"])
    joint = set(joint_cols(names := list(names)))
    return [n for n in names if n in _OUTPUT_NAMES or n in joint or n in (MODEL_PATH, COVERAGE) or n in DECISION_COLUMNS
            or any(p.matches(n) for p in patterns)]


def _store_batches(store: Any, batch_size: int) -> Iterator[Any]:
    """A stamp store's inputs as :func:`starclass.stamps.iter_inputs` gives a mosaic's, ``batch_size`` at a time.

    ``ok`` is the store's ``/ok``; ``no_data`` the share of each stamp's pixels its ``/valid`` marks as fill.
    """
    from starclass.stamps.inputs import InputBatch

    ok = np.asarray(store.ok, dtype=bool)
    for start, inputs, valid in store.iter_batches(batch_size):
        stop = start + len(inputs)
        fill = 1.0 - np.asarray(valid, dtype=float).reshape(len(valid), -1).mean(axis=1)
        yield InputBatch(start, stop, np.asarray(inputs, dtype=np.float32), ok[start:stop], fill)


def classify(
    mosaics: Mosaics,
    candidates: Table,
    model_path: LoadedModel | str | os.PathLike | Any,
    *,
    batch_size: int = INFERENCE_BATCH_SIZE,
    tta: bool = False,
    device: str | torch.device | None = None,
    progress: bool | None = False,
    precision: bool | str | None = None,
    threshold: float | None = None,
    calibrated: bool = True,
    coverage: float | None = 0.9,
    source: str | os.PathLike = "the candidates",
    said: np.ndarray | None = None,
) -> Table:
    """Classify candidates on mosaics with a trained model or ensemble.

    Parameters
    ----------
    mosaics
        :class:`starclass.io.mosaic.MosaicSet` (or a mapping band -> 2-D array) holding at
        least the model's bands, or a :class:`starclass.stamps.StampStore` whose inputs were cut for the
        model's task (``starclass cutouts --task MODEL``): its stamps are classified as they are stored.
    candidates
        :class:`astropy.table.Table` with 0-based ``x``, ``y`` columns; with a stamp store, one row per
        stamp in its order (its own table, ``Table(store.table)``), positions not needed.
    model_path
        Model directory (ensemble), a member ``.pt`` file, a loaded
        :class:`starclass.learn.checkpoint.LoadedModel`, or a fitted
        :class:`starclass.learn.estimator.CNNClassifier` (a notebook's, as it is in memory).
    batch_size
        Candidates per batch (memory is proportional to it, not to the number of
        candidates).
    tta
        Average over the eight rotations/flips.
    device
        ``"cpu"``, ``"cuda"``, ...; default CUDA when available.
    progress
        Show a tqdm progress bar; None: a few timed lines on the ``starclass.progress`` logger instead
        (:class:`starclass.io.progress.Progress`, what the command line writes into a log file). Default
        False: quiet, as every library function.
    precision
        "auto", "fp32" or "bf16" (:mod:`starclass.learn.precision`); default: the model's own
        ``recipe.amp``, so a model trained in bfloat16 runs in bfloat16.
    threshold
        Binary tasks: ``class_pred`` is the positive class when its probability is >= this
        (default: the task's own threshold, else the most probable class).
    calibrated
        Apply the model's temperature to ``prob_<k>`` (raw kept as ``prob_<k>_raw``).
    coverage
        Coverage of the conformal sets ``pred_set`` (None: none); needs a calibrated model.
    source
        What the candidates are (their file), named in the warning about their own columns of
        classify's output names.
    said
        bool ``[N]``: candidates the caller has already warned of as kept unclassified (a survey's
        rows off its mosaics): left out of the warning on candidates without a usable stamp, which
        is not given where they are all it would name.

    Returns
    -------
    astropy.table.Table
        A copy of ``candidates`` with the columns of the module docstring added; the
        candidates' own columns of classify's output names (:func:`earlier_outputs`, and
        those written now) are kept as ``<name>_input`` with a warning
        (:func:`keep_input_columns`); ``meta`` records the model, task, members, tta and the
        number of unclassified candidates.

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.config import get_preset
    >>> from starclass.learn.checkpoint import write_untrained_model
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> d = write_untrained_model(tempfile.mkdtemp(), cfg)
    >>> from astropy.table import Table
    >>> rng = np.random.default_rng(0)
    >>> mosaics = {b: rng.normal(1.0, 0.1, (64, 64)).astype("f4") for b in cfg.bands}
    >>> out = classify(mosaics, Table({"x": [20.0, 40.0], "y": [30.0, 30.0]}), d, progress=False, device="cpu")
    >>> out["class_pred"].tolist(), out["prob_1"].round(3).tolist()
    ([1, 1], [0.675, 0.648])
    >>> out.colnames[:6]
    ['x', 'y', 'class_pred', 'prob_1', 'prob_2', 'prob_std']
    """
    from astropy.table import Table

    if candidates is None:
        raise StarclassError("the candidate list is empty: nothing to classify")
    # a DataFrame converted, x in arcsec refused, ra in rad converted: it was all read as numbers of pix and deg
    candidates = catalog_argument(candidates, str(source))
    if len(candidates) == 0:
        raise StarclassError("the candidate list is empty: nothing to classify")
    # a stamp store (classify --stamps STORE.h5): its stamps are the inputs, cut already; no position is read
    stored = hasattr(mosaics, "iter_batches") and hasattr(mosaics, "ok")
    if stored and len(candidates) != len(mosaics):
        raise StarclassError(f"{counted(len(candidates), 'candidate')} but stamp store {mosaics.path} holds "
                             f"{counted(len(mosaics), 'stamp')} (one row per stamp, in its order)")
    for col in () if stored else (X, Y):
        if col not in candidates.colnames:
            raise StarclassError(f"candidate table has no column {col!r} (0-based pixel positions)")
    from starclass.stamps import iter_inputs
    from starclass.stamps.extract import position_values

    if not stored:
        # a masked cell is no position: np.asarray gave the value under the mask, and the row was classified there
        x, y = position_values(candidates[X]), position_values(candidates[Y])
        bad = np.flatnonzero(~(np.isfinite(x) & np.isfinite(y)))
        if bad.size:
            raise StarclassError(f"candidates in {rows_named(bad)} have non-finite or masked x or y")
    if int(batch_size) < 1:
        raise StarclassError(f"batch_size must be >= 1, got {batch_size}")

    dev = pick_device(device)
    loaded = _as_model(model_path, dev)
    amp = _precision(loaded, dev, precision)
    cfg = loaded.config
    thr, positive = decision_threshold(cfg, threshold)
    # a CNNClassifier's str() is its whole config: a model in memory is "model"
    name = str(model_path) if isinstance(model_path, (str, os.PathLike)) else "model"
    mosaic_bands = list(getattr(mosaics, "bands", None) or list(mosaics))
    # the mosaics' folder and the model's task, as classify/calibrate/train's CLI name them (2f86fe7): suggest
    # --mosaics (which comes here) said 'model (trained on ...)' with no folder and 'extends: TASK'
    members = getattr(loaded, "paths", None) or []
    who = name if name != "model" or not members else f"model {model_word(Path(members[0]).parent)}"
    if stored:
        if mosaic_bands != list(cfg.bands):
            raise StarclassError(f"stamp store {mosaics.path} holds bands {', '.join(mosaic_bands)}; {who} takes "
                                 f"{', '.join(cfg.bands)}")
        check_input_geometry(mosaics.shape, cfg, tta=tta)
    else:
        check_bands(list(cfg.bands), mosaic_bands, who, mosaics, task=cfg.name)
    scale = getattr(mosaics, "pixel_scale", None)
    if scale and cfg.pixel_scale and abs(float(scale) / float(cfg.pixel_scale) - 1) > 0.05:
        msg = (f"mosaic pixel scale {float(scale):.4g}\"/px differs from the model's "
               f"{float(cfg.pixel_scale):.4g}\"/px: stamps cover another physical size")
        warnings.warn(msg, stacklevel=2)  # not also logged: that printed it twice on the command line

    n = len(candidates)
    m = len(loaded.members)
    k = cfg.n_classes
    prob = np.full((n, k), np.nan, dtype=np.float64)
    prob_std = np.full(n, np.nan)
    class_pred = np.zeros(n, dtype=np.int64)
    quality = np.zeros(n)
    cmean = np.full(n, np.nan)
    cmed = np.full(n, np.nan)
    cstd = np.full(n, np.nan)
    votes = np.zeros((m, n), dtype=np.int16)
    blank = np.zeros((n, len(cfg.bands)), dtype=bool)
    tta_sd = np.full(n, np.nan) if tta else None
    # BALD needs two predictions per row at least: TTA views or members
    mi = np.full(n, np.nan) if tta or m > 1 else None
    n_invalid = 0
    invalid_rows: list[int] = []
    no_data = np.zeros(n)  # share of each input's pixels that are fill (a drizzled mosaic's NaN border)
    # each candidate's smoothing draw of the conformal sets comes from its own stamp: drawn by
    # position, a candidate's pred_set changed with the order of the catalogue
    keys = np.zeros(n, dtype=np.uint64)
    if coverage is not None:
        from starclass.learn.conformal import check_coverage

        coverage = check_coverage(coverage, "coverage (--coverage)")  # before hours of work, not after
    bar = classify_progress(n, cfg.name, m, tta, progress)
    # under TTA the bar counts views, each pass of one member over one view of the batch: it moved once a batch,
    # after 8 M passes of 512 rows (minutes of silence on a CPU)
    on_pass = bar.update if tta else None
    try:
        batches = (_store_batches(mosaics, int(batch_size)) if stored
                   else iter_inputs(mosaics, x, y, cfg, batch_size=int(batch_size)))
        for batch in batches:
            s, e = batch.start, batch.stop
            valid = np.asarray(batch.ok, dtype=bool)
            inputs = batch.inputs
            if not np.all(np.isfinite(inputs)):  # the stamps module promises none; never trust NaN
                row_bad = ~np.all(np.isfinite(inputs.reshape(len(inputs), -1)), axis=1)
                valid = valid & ~row_bad
                inputs = np.nan_to_num(inputs, nan=0.0, posinf=0.0, neginf=0.0)
            if coverage is not None:
                keys[s:e] = row_digests(inputs)
            blank[s:e] = blank_bands(inputs, cfg) & valid[:, None]
            valid = valid & ~blank[s:e].any(axis=1)
            if tta:
                p, views = member_probabilities(loaded.members, inputs, tta=True, device=dev, amp=amp,
                                                return_views=True, per_member=True, on_pass=on_pass)
            else:
                p, views = member_probabilities(loaded.members, inputs, tta=False, device=dev, amp=amp), None
            _check_finite(p, valid, s, name)
            p[:, ~valid, :] = np.nan
            if batch.no_data is not None:
                no_data[s:e] = batch.no_data
            n_invalid += int((~valid).sum())
            invalid_rows.extend((s + np.flatnonzero(~valid)).tolist())
            r = aggregate(p, cfg.classes, threshold=thr, positive_class=positive)
            prob[s:e] = r.prob_mean
            prob_std[s:e] = r.prob_std
            class_pred[s:e] = r.class_pred
            quality[s:e] = r.quality
            cmean[s:e] = r.class_mean
            cmed[s:e] = r.class_median
            cstd[s:e] = r.class_std
            votes[:, s:e] = r.votes
            if tta:
                tta_sd[s:e] = tta_spread(views.mean(axis=0), _class_index(r.class_pred, cfg.classes))
            if mi is not None:
                mi[s:e] = view_mutual_info(p, None if views is None else np.where(valid[None, None, :, None],
                                                                                  views, np.nan))
            if not tta:
                bar.update(e - s)
    finally:
        bar.close()

    out = Table(candidates, copy=True)
    cols: dict[str, np.ndarray] = {CLASS_PRED: class_pred}
    for j, c in enumerate(cfg.classes):
        cols[prob_col(c)] = prob[:, j]
    cols.update(prob_std=prob_std, quality=quality, class_mean=cmean, class_median=cmed, class_std=cstd)
    if tta:
        cols[TTA_STD] = tta_sd
    if mi is not None:
        cols[MUTUAL_INFO] = mi
    for i in range(m):
        cols[member_col(i + 1)] = votes[i].astype(np.int64)
    trust, trust_meta = trust_columns(loaded, prob, calibrated=calibrated, coverage=coverage, keys=keys, tta=tta,
                                      progress=progress)
    cols.update(trust)
    blank_rows = blank.any(axis=1)
    if blank_rows.any():
        cols["blank_bands"] = blank_column(blank, cfg.bands)
    # a classified candidate whose stamp reaches beyond the data (a NaN border, zero weight, off the image)
    # was classified on partly filled input without a word: the share is written, and counted in the meta
    partial = (class_pred != 0) & (no_data > 0)
    if partial.any():
        cols[STAMP_NO_DATA] = np.where(class_pred != 0, no_data, np.nan)
    # the candidates' own columns of these names (an earlier classification, PHANGS' class_pred and
    # quality) were replaced without a word, and those this model does not write (another model's
    # prob_4, class_m5) stayed as if it had: kept as <name>_input with a warning, as classify
    # --stamps keeps a cutout folder's
    keep_input_columns(out, [*cols, *earlier_outputs(out.colnames)], source, one_suffix=True)
    for key, val in cols.items():
        out[key] = val
    out.meta.update({
        "model": str(model_path) if isinstance(model_path, (str, os.PathLike)) else "(in memory)",
        # the task's class scheme travels with the catalogue, so evaluation never guesses it
        **cfg.table_meta(),
        "threshold": thr,
        "positive_class": positive,
        "members": [getattr(net, "architecture", "?") for net in loaded.members],
        "tta": bool(tta),
        "precision": precision_name(amp),
        "n_unclassified": int(n_invalid),
        "n_blank": int(blank_rows.sum()),
        "n_stamp_no_data": int(partial.sum()),
        **trust_meta,
    })
    # a survey's tiles said this of the rows the survey had named once for the field, tile after tile
    unsaid = np.asarray(invalid_rows, dtype=np.int64)
    if said is not None:
        unsaid = unsaid[~np.asarray(said, dtype=bool)[unsaid]]
    if len(unsaid):
        # warnings only, as the blank-band and pixel-scale notes above: a log.warning here and the
        # command's own line printed it twice (logging's last-resort handler writes to stderr)
        # named, as cutouts names them: the count alone left the user to search 10^5 rows for them
        ids = np.asarray(out[ID]) if ID in out.colnames else np.arange(1, n + 1)
        k = len(unsaid)
        named = ", ".join(str(v) for v in ids[unsaid[:10]].tolist()) + (", ..." if k > 10 else "")
        have = "has" if k == 1 else "have"
        warnings.warn(f"{k} of {n} candidates {have} no usable stamp (centre off the image, NaN or a blank "
                      f"band): class_pred 0 ({'ids' if 'id' in out.colnames else 'rows'} {named})", stacklevel=2)
    for name in out.colnames:
        # the schema's units where the candidates had none (x, y in pix): a notebook's catalogue and the same
        # catalogue written and read back differed (read_catalog gives them); a unit given is kept (mag(AB))
        if getattr(out[name], "unit", None) is None and (unit := unit_of(name)) is not None:
            out[name].unit = unit
    return out

