"""What a model was trained on: a short digest of every training row, kept in its manifest.

A calibration (temperature, vector, histogram; the conformal rows) fitted on rows the weights
were trained on sees the network at its most confident and right, so it comes out too sharp,
and the conformal sets too small, without a word. ``starclass train`` therefore records, under
``training_rows`` in ``manifest.json``, an 8-byte BLAKE2b digest of the model input
(``[C, H, W]``, float32) of each row the weights were fitted on (not the validation rows, which
``train`` itself calibrates on), and :func:`starclass.learn.calibration.calibrate_model`
(``starclass calibrate``) counts the calibration rows whose input has one of those digests.

The digest is of the input the network sees, not of an id or a file name: the same candidate
cut from the same mosaics with the task's settings is found whatever catalogue, id or folder it
comes from; a candidate whose stamp differs in any pixel (other mosaics, another normalisation)
is another row. Eight bytes a row keep the record small (about 11 characters a row in the
manifest, 32 kB for 3,000 rows); two different stamps share a digest with probability
``2**-64``. Models trained before the record existed have none: their calibration rows cannot
be checked, and say so. Beside the digests, the record holds under ``robust`` a fingerprint of each
training input that a change of file format and the eight flips and rotations leave alone
(:func:`row_fingerprints`); the in-sample checks of ``classify`` and ``evaluate``
(:func:`training_input_rows`) match a row by either.

The same manifest records, under ``pixel_flags``, the bad-pixel mask and data-quality flags the
training stamps were cut with (``train --mask-extension``, ``--dq-good-bits``, or a stamp store's
own record) and whether they flagged any pixel: ``classify``, ``calibrate``, ``suggest``,
``report`` and ``survey`` warn when they are given other flags than those
(:func:`flags_mismatch`), since the stamps they cut then differ from the ones the network learnt on.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from starclass.errors import model_word

if TYPE_CHECKING:
    from starclass.io.cutout_folders import CutoutSet

__all__ = ["MANIFEST_KEY", "ROW_DIGEST", "row_digests", "ROW_FINGERPRINT", "row_fingerprints", "recorded_fingerprints",
           "training_input_rows", "training_record", "recorded_digests", "starting_rows", "starting_trained",
           "the_starting_model", "overlap", "training_rows_in", "in_sample_words", "FILES_KEY", "FILE_DIGEST",
           "file_digests", "files_record", "recorded_files",
           "library_versions", "FLAGS_KEY", "flags_record", "recorded_flags", "describe_flags", "flags_mismatch",
           "warn_copies_across_lists"]

#: The manifest key of the record.
MANIFEST_KEY = "training_rows"
#: What each digest is of (stored with the record, so another scheme later is told apart).
ROW_DIGEST = "blake2b-8 of the float32 model input [C, H, W]"
_BYTES = 8
#: What each format-blind fingerprint is of (:func:`row_fingerprints`), stored with its record under ``robust``
ROW_FINGERPRINT = ("blake2b-8 of the model input [C, H, W] block-averaged to 16 x 16, z-scored per channel and "
                   "rounded to 1/4; the least of its 8 flips and rotations")
#: The grid a fingerprint averages each input plane to, and the step its z-scores are rounded to
_FP_GRID = 16
_FP_STEP = 0.25
_QUOTE = "'"
#: The manifest key of the record of the cutout files a model trained from a folder read: the digest of each
#: file's bytes, split by whether its input is a training row (:func:`files_record`)
FILES_KEY = "training_files"
#: What each file digest is of.
FILE_DIGEST = "blake2b-8 of the cutout file's bytes"
#: The manifest key of the pixel flags the training stamps were cut with (as detect's catalogue
#: meta and a stamp store's ``extra`` name theirs).
FLAGS_KEY = "pixel_flags"


def row_digests(inputs: Any, rows: np.ndarray | None = None, *, batch_size: int = 512) -> np.ndarray:
    """One 8-byte digest per row of model inputs, as unsigned 64-bit integers.

    Parameters
    ----------
    inputs
        Model inputs ``[N, C, H, W]``: an array, or anything :class:`starclass.learn.data.InputSource`
        reads (a stamp store, an HDF5 dataset).
    rows : numpy.ndarray, optional
        The rows to digest (default all).
    batch_size : int
        Rows read at a time (a lazily read store is never loaded whole).

    Returns
    -------
    numpy.ndarray
        ``uint64``, one per row, in the order of ``rows``.

    Examples
    --------
    >>> x = np.zeros((3, 1, 2, 2), dtype=np.float32); x[1] += 1
    >>> d = row_digests(x)
    >>> bool(d[0] == d[2]), bool(d[0] == d[1])
    (True, False)
    """
    out = [np.empty(0, dtype=np.uint64)]
    for block in _input_batches(inputs, rows, batch_size):
        block = np.ascontiguousarray(block, dtype=np.float32)
        out.append(np.array([_digest(row) for row in block], dtype=np.uint64))
    return np.concatenate(out)


def _input_batches(inputs: Any, rows: np.ndarray | None, batch_size: int) -> Iterator[np.ndarray]:
    """The model inputs of ``rows`` of ``inputs`` (default all), in their order, ``batch_size`` rows at a time."""
    from starclass.learn.data import InputSource

    source = InputSource(inputs)
    idx = np.arange(len(source)) if rows is None else np.asarray(rows, dtype=np.int64)
    for start in range(0, idx.size, batch_size):
        yield source.take(idx[start:start + batch_size])


def _digest(row: np.ndarray) -> int:
    """The 8-byte BLAKE2b digest of a C-contiguous array's bytes, as an integer."""
    return int.from_bytes(hashlib.blake2b(row.tobytes(), digest_size=_BYTES).digest(), "big")


def _block_means(x: np.ndarray, grid: int) -> np.ndarray:
    """``x`` ``[N, C, H, W]`` averaged over ``grid`` x ``grid`` blocks (edges rounded where H, W are no multiple)."""
    for axis in (2, 3):
        n = x.shape[axis]
        edges = np.unique(np.linspace(0, n, min(grid, n) + 1).round().astype(int))
        sums = np.add.reduceat(x, edges[:-1], axis=axis)
        shape = [1] * x.ndim
        shape[axis] = edges.size - 1
        x = sums / np.diff(edges).reshape(shape)
    return x


def row_fingerprints(inputs: Any, rows: np.ndarray | None = None, *, batch_size: int = 512) -> np.ndarray:
    """One 8-byte fingerprint per row of model inputs that the file's format and a flip or rotation leave alone.

    :func:`row_digests` is of the exact float32 input: a training PNG saved again as FITS holding the same 0-255
    values, or flipped for DS9 (whose origin is at the bottom), gives an input that differs in its last bits or
    its orientation, and the in-sample check took it for a cutout the model never saw. The fingerprint is of the
    input averaged over a 16 x 16 grid of blocks (the noise of single pixels, and of rounding, averaged away),
    z-scored per channel (a scale or offset of the values left out) and rounded to 1/4 of a standard deviation;
    of the 8 flips and rotations of the input, the least digest is kept. Distinct real cutouts still differ:
    none of the 755 PAndAS objects' 869 cutouts share a fingerprint with another object's
    (tests/test_in_sample_fingerprint.py). A value within rounding of a step's edge can still tell two copies
    apart (rarely: a check that says too little, never a false alarm).

    Parameters
    ----------
    inputs
        Model inputs ``[N, C, H, W]``, as for :func:`row_digests`.
    rows : numpy.ndarray, optional
        The rows to fingerprint (default all).
    batch_size : int
        Rows read at a time.

    Returns
    -------
    numpy.ndarray
        ``uint64``, one per row, in the order of ``rows``.

    Examples
    --------
    >>> x = np.random.default_rng(0).random((2, 1, 32, 32)).astype(np.float32)
    >>> y = np.stack([x[0, :, ::-1] * 255 + 3, x[1]])  # the first flipped, scaled and offset
    >>> a, b = row_fingerprints(x), row_fingerprints(y)
    >>> bool(a[0] == b[0]), bool(a[0] == a[1])
    (True, False)
    """
    out = [np.empty(0, dtype=np.uint64)]
    for block in _input_batches(inputs, rows, batch_size):
        block = np.nan_to_num(np.asarray(block, dtype=np.float64))
        best = np.full(len(block), np.iinfo(np.uint64).max, dtype=np.uint64)
        for turn in range(4):
            for flip in (False, True):
                # each flip and rotation averaged on its own (a grid whose edges are rounded is not symmetric)
                t = np.rot90(block, turn, axes=(2, 3))
                t = t[..., ::-1] if flip else t
                g = _block_means(t, _FP_GRID)
                mean = g.mean(axis=(2, 3), keepdims=True)
                std = g.std(axis=(2, 3), keepdims=True)
                z = np.where(std > 0, (g - mean) / np.where(std > 0, std, 1.0), 0.0)
                q = np.clip(np.round(z / _FP_STEP), -127, 127).astype(np.int8)
                for j, row in enumerate(q):
                    best[j] = min(int(best[j]), _digest(np.ascontiguousarray(row)))
        out.append(best)
    return np.concatenate(out)


def recorded_fingerprints(manifest: Mapping[str, Any]) -> np.ndarray | None:
    """The training-row fingerprints (:func:`row_fingerprints`) a manifest records; None for a model without them.

    Examples
    --------
    >>> recorded_fingerprints({"training_rows": {"digest": ROW_DIGEST, "rows": ""}}) is None
    True
    """
    rec = manifest.get(MANIFEST_KEY)
    robust = rec.get("robust") if isinstance(rec, dict) else None
    if not isinstance(robust, dict) or robust.get("digest") != ROW_FINGERPRINT:
        return None
    return _unb64(robust.get("rows"))


def training_input_rows(inputs: Any, record: Mapping[str, Any] | None, rows: np.ndarray | None = None) -> np.ndarray:
    """Which rows of model ``inputs`` are ones a model's training record (its manifest's ``training_rows``) holds.

    A row is one of them when its exact input (:func:`row_digests`) or, for a model that records them, its
    fingerprint (:func:`row_fingerprints`: the same cutout saved in another format, flipped or rotated) is
    recorded. A model trained before the fingerprints were recorded is checked by the exact digest alone.
    The one answer for every overlap check: the in-sample notes of ``classify`` and ``evaluate``, ``calibrate``'s
    refusal of training rows, the byte record of trained files (:func:`files_record`) and a fine-tune's split
    (:func:`starting_trained`). ``rows`` (default all) are the rows of ``inputs`` to check, one answer each.

    Examples
    --------
    >>> x = np.random.default_rng(1).random((2, 1, 16, 16)).astype(np.float32)
    >>> rec = training_record(x, np.array([0]))
    >>> training_input_rows(np.stack([x[0, :, ::-1], x[1]]), rec).tolist()
    [True, False]
    """
    doc = {MANIFEST_KEY: record or {}}
    recorded = recorded_digests(doc)
    n = len(inputs) if rows is None else len(rows)
    seen = overlap(row_digests(inputs, rows), recorded) if recorded is not None else np.zeros(n, dtype=bool)
    if (prints := recorded_fingerprints(doc)) is not None and len(prints):
        seen |= overlap(row_fingerprints(inputs, rows), prints)
    return seen


def training_record(inputs: Any, rows: np.ndarray, *, batch_size: int = 512,
                    inherited: np.ndarray | None = None,
                    inherited_prints: np.ndarray | None = None) -> dict[str, Any]:
    """The manifest entry for the training rows ``rows`` of ``inputs`` (read ``batch_size`` at a time).

    ``inherited`` are the digests the model a fine-tune starts from records (:func:`starting_rows`):
    its weights were fitted on those rows too, so they are recorded with this run's (a fine-tuned
    model recorded only its own rows, and ``calibrate`` took the starting model's training rows for
    held-out ones). ``n`` counts this run's rows, ``n_inherited`` those added. ``inherited_prints`` are the
    starting model's fingerprints (``starting_rows(..., fingerprints=True)``), kept with this run's alike.

    Examples
    --------
    >>> x = np.arange(8, dtype=np.float32).reshape(2, 1, 2, 2)
    >>> rec = training_record(x, np.array([0, 1]))
    >>> rec["n"], len(recorded_digests({"training_rows": rec}))
    (2, 2)
    >>> start = recorded_digests({"training_rows": training_record(x + 1, np.array([0, 1]))})
    >>> rec = training_record(x, np.array([0]), inherited=start)
    >>> rec["n"], rec["n_inherited"], len(recorded_digests({"training_rows": rec}))
    (1, 2, 3)
    """
    own = np.unique(row_digests(inputs, rows, batch_size=batch_size))
    record: dict[str, Any] = {"digest": ROW_DIGEST, "n": int(np.asarray(rows).size)}
    digests = own
    if inherited is not None and len(inherited):
        extra = np.setdiff1d(np.asarray(inherited, dtype=np.uint64), own)
        digests = np.union1d(own, extra)
        record["n_inherited"] = int(extra.size)
    record["rows"] = base64.b64encode(digests.astype(">u8").tobytes()).decode("ascii")
    # the format-blind fingerprints of this run's rows, for the in-sample check of classify and evaluate
    # (training_input_rows): 8 more bytes a row
    prints = np.unique(row_fingerprints(inputs, rows, batch_size=batch_size))
    if inherited_prints is not None and len(inherited_prints):
        prints = np.union1d(prints, np.asarray(inherited_prints, dtype=np.uint64))
    record["robust"] = {"digest": ROW_FINGERPRINT, "rows": _b64(prints)}
    return record


def recorded_digests(manifest: dict[str, Any]) -> np.ndarray | None:
    """The training-row digests a manifest records, or None for a model without the record.

    Examples
    --------
    >>> recorded_digests({"members": []}) is None
    True
    >>> m = {"training_rows": training_record(np.arange(8.0).reshape(2, 1, 2, 2), np.array([0, 1]))}
    >>> recorded_digests(m).shape
    (2,)
    """
    rec = manifest.get(MANIFEST_KEY)
    if not isinstance(rec, dict) or rec.get("digest") != ROW_DIGEST:
        return None
    raw = base64.b64decode(str(rec.get("rows", "")).encode("ascii"))
    return np.frombuffer(raw, dtype=">u8").astype(np.uint64)


def starting_rows(model_path: Any, *, fingerprints: bool = False) -> np.ndarray | None:
    """The training-row digests the model at ``model_path`` records (a fine-tune's starting model).

    Parameters
    ----------
    model_path : str or os.PathLike
        A model directory, its ``manifest.json`` or a member file (its folder's manifest is read).
    fingerprints : bool
        The record's format-blind fingerprints (:func:`recorded_fingerprints`) rather than its exact digests.

    Returns
    -------
    numpy.ndarray or None
        ``uint64`` digests; None for a model without the record (trained before it existed), a
        lone member file, or a path that is no model (its loading reports that).

    Examples
    --------
    >>> starting_rows("no/such/model") is None
    True
    """
    from pathlib import Path

    from starclass.errors import StarclassError
    from starclass.learn.checkpoint import read_manifest

    p = Path(model_path)
    if p.is_file() and p.suffix.lower() != ".json":
        p = p.parent  # a member checkpoint: the manifest beside it, when there is one
    try:
        doc = read_manifest(p)
    except (StarclassError, OSError):
        return None
    return recorded_fingerprints(doc) if fingerprints else recorded_digests(doc)


def the_starting_model(model_path: Any) -> str:
    """A fine-tune's starting model as its messages name it: ``the starting model 'PATH'``.

    Said bare, the folder's name ran into the words about it: a start in a folder called ``model``
    read "the starting model model's calibration rows". Quoted (as a shell would take it, so a path
    with a space is quoted once) the name stands apart whatever it is, and the messages say "the
    calibration rows of" it rather than adding "'s" to a path.

    Parameters
    ----------
    model_path : path-like
        The starting model (its folder, manifest or a member checkpoint), as given.

    Returns
    -------
    str

    Examples
    --------
    >>> the_starting_model("model"), the_starting_model("runs/my model")
    ("the starting model 'model'", "the starting model 'runs/my model'")
    """
    from starclass.errors import shell_word

    word = shell_word(model_path)
    # shell_word quotes only a path a shell would split; the name is quoted here either way
    return f"the starting model {word if word.startswith(_QUOTE) else _QUOTE + word + _QUOTE}"


def file_digests(paths: Any) -> np.ndarray:
    """One 8-byte digest of each file's bytes, as unsigned 64-bit integers; 0 where a file cannot be read.

    Reading a cutout's bytes costs a small part of decoding it (PNG inflate, resampling, normalising): the
    in-sample check compares these with the model's :func:`files_record` before it decodes anything.

    Examples
    --------
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> for name, data in (("a", b"one"), ("b", b"two"), ("c", b"one")):
    ...     with open(os.path.join(d, name), "wb") as f:
    ...         _ = f.write(data)
    >>> g = file_digests([os.path.join(d, n) for n in ("a", "b", "c", "missing")])
    >>> bool(g[0] == g[2]), bool(g[0] == g[1]), int(g[3])
    (True, False, 0)
    """
    out = np.zeros(len(paths), dtype=np.uint64)
    for i, path in enumerate(paths):
        try:
            with open(path, "rb") as f:
                digest = hashlib.blake2b(f.read(), digest_size=_BYTES).digest()
        except OSError:
            continue  # 0: no record matches it, and the check decodes it (or says why it cannot)
        # 0 is kept for "not read": a file whose digest is 0 (one in 2**64) is decoded as unread ones are
        out[i] = int.from_bytes(digest, "big") or 0
    return out


def _b64(values: np.ndarray) -> str:
    return base64.b64encode(np.asarray(values, dtype=np.uint64).astype(">u8").tobytes()).decode("ascii")


def _unb64(text: Any) -> np.ndarray:
    return np.frombuffer(base64.b64decode(str(text or "").encode("ascii")), dtype=">u8").astype(np.uint64)


def files_record(digests: np.ndarray, trained: np.ndarray) -> dict[str, Any]:
    """The manifest entry of the cutout files a model read: their byte digests, trained on or not.

    ``digests`` are :func:`file_digests` of the files of the rows read for training, ``trained`` whether each
    row's input is one the weights were fitted on (its :func:`row_digests` in the model's record). The same bytes
    read with the same model's reader give the same input, so a file whose digest is recorded needs no decoding
    to be told in-sample or not; a digest recorded under both (never, unless the reader changed) is left out of
    both, and such a file is decoded as an unrecorded one is.

    Examples
    --------
    >>> rec = files_record(np.array([5, 6, 7, 0], dtype=np.uint64), np.array([True, False, True, True]))
    >>> t, f = recorded_files({"training_files": rec})
    >>> t.tolist(), f.tolist()
    ([5, 7], [6])
    """
    digests = np.asarray(digests, dtype=np.uint64)
    trained = np.asarray(trained, dtype=bool)
    read = digests != 0
    yes, no = np.unique(digests[read & trained]), np.unique(digests[read & ~trained])
    both = np.intersect1d(yes, no)
    return {"digest": FILE_DIGEST, "trained": _b64(np.setdiff1d(yes, both)),
            "not_trained": _b64(np.setdiff1d(no, both))}


def recorded_files(manifest: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray] | None:
    """The file digests a manifest records (:func:`files_record`): of training rows, of other rows; None: no record.

    Examples
    --------
    >>> recorded_files({}) is None
    True
    """
    rec = manifest.get(FILES_KEY)
    if not isinstance(rec, dict) or rec.get("digest") != FILE_DIGEST:
        return None
    return _unb64(rec.get("trained")), _unb64(rec.get("not_trained"))


def starting_trained(init_from: Any, inputs: Any) -> np.ndarray | None:
    """One bool per row of ``inputs``: True where the starting model ``init_from`` trained on it, or None.

    A row is one it trained on as :func:`training_input_rows` tells it: by its exact input, or by its fingerprint
    (the same cutout in another format, or flipped) where the starting model records fingerprints.

    The one reading of which rows a fine-tune's starting model learnt, for every split drawn apart from them
    (:func:`starclass.learn.train.split_apart`: ``fit``'s validation rows, ``fit_cutouts``' grouped ones, the
    folds of :func:`starclass.learn.crossval.cross_validate`). None where there is no starting model, it
    records no training rows (its manifest's ``training_rows``), or it trained on none of these rows: the
    split is then drawn as without it.

    Parameters
    ----------
    init_from : str or os.PathLike or None
        The starting model (``--resume-from``/``--init-from``).
    inputs
        Model inputs ``[N, C, H, W]`` (as :func:`row_digests` reads them).

    Returns
    -------
    numpy.ndarray or None
        ``bool``, one per row.

    Examples
    --------
    >>> starting_trained(None, np.zeros((3, 1, 4, 4), np.float32)) is None
    True
    >>> starting_trained("no/such/model", np.zeros((3, 1, 4, 4), np.float32)) is None
    True
    """
    if init_from is None:
        return None
    inherited = starting_rows(init_from)
    if inherited is None or not len(inherited):
        return None
    seen = overlap(row_digests(inputs), inherited)
    # a copy of a starting model's training cutout in another format, or flipped, is a row it learnt all the same:
    # told by the exact digest only, such a copy was drawn into the validation rows as unseen
    if (prints := starting_rows(init_from, fingerprints=True)) is not None and len(prints):
        seen |= overlap(row_fingerprints(inputs), prints)
    return seen if seen.any() else None


def overlap(digests: np.ndarray, recorded: np.ndarray) -> np.ndarray:
    """Which of ``digests`` (rows to calibrate on) are training rows.

    Examples
    --------
    >>> overlap(np.array([1, 2, 3], dtype=np.uint64), np.array([3, 9], dtype=np.uint64)).tolist()
    [False, False, True]
    """
    return np.isin(np.asarray(digests, dtype=np.uint64), np.asarray(recorded, dtype=np.uint64))


def training_rows_in(table: Any, source: Any, model: Any, *, progress: bool | None = False) -> np.ndarray | str:
    """Which rows of a table of cutout files are inputs ``model`` was trained on, or why that cannot be told.

    Each row's cutout is read as the model reads cutouts (its bands and resampling) and its input digested
    (:func:`row_digests`), then compared with the model's record (:func:`recorded_digests`). The manifest
    is read first: a model without the record costs no reading of cutouts. A model trained on a cutout folder
    also records the bytes of each file it read (:func:`files_record`): a file found there by its bytes
    (:func:`file_digests`) is told without decoding, and only the others are read and digested. Shared by ``suggest
    --check-labels`` and ``evaluate``/``report`` (:func:`in_sample_words`), which scored a model's own
    training folder as if it were held out.

    Parameters
    ----------
    table : astropy.table.Table
        A table of one cutout file per row (``file``, or the column its meta names ``file_column``),
        as ``classify --stamps`` writes; a ``cutout_root`` record says where the files are.
    source : str or os.PathLike
        The table's file: relative file names are taken from its folder where nothing is recorded.
    model : str or os.PathLike
        The model folder (or its manifest).
    progress : bool or None
        The cutouts read, as :func:`starclass.io.cutout_folders.read_cutout_folder` shows them (a bar, timed
        lines, nothing): reading them is most of the cost (19 s for the 869 PAndAS PNGs, measured under load).

    Returns
    -------
    numpy.ndarray or str
        A boolean mask, one per row (True: a training row); or, where it cannot be told, the reason.

    Examples
    --------
    >>> from astropy.table import Table
    >>> training_rows_in(Table({"x": [1.0]}), "a.ecsv", "model")
    'not a table of one cutout file per row'
    >>> training_rows_in(Table({"file": ["a.png"]}), "a.ecsv", "no/such/model")[:28]
    'model no/such/model cannot b'
    """
    import tempfile
    import warnings
    from pathlib import Path

    from starclass.errors import StarclassError
    from starclass.io.cutout_folders import listed_path, read_cutout_folder, row_folders
    from starclass.io.cutout_output import file_columns
    from starclass.learn.checkpoint import read_manifest
    from starclass.learn.config import TaskConfig

    files = file_columns(table)
    if len(files) != 1 or files[0].startswith("file_"):
        return "not a table of one cutout file per row" if not files else "cutouts of several bands"
    try:
        doc = read_manifest(model)
        cfg = TaskConfig.from_dict(doc["config"])
    except (StarclassError, OSError, KeyError, TypeError, ValueError) as exc:
        return f"model {model_word(model)} cannot be read: {exc}"
    recorded = recorded_digests(doc)
    if recorded is None:
        return f"model {model_word(model)} has no record of its training rows"
    source = Path(source)
    try:
        roots = row_folders(table, source, source.parent) or [source.parent] * len(table)
    except StarclassError as exc:
        return f"the folder of its cutouts cannot be told: {exc}"
    # listed_path's answer is resolved already (a second resolve() was a third of the check once files are
    # told by their bytes)
    paths = [str(listed_path(Path(r), str(f).strip())) for r, f in zip(roots, table[files[0]])]
    seen = np.zeros(len(paths), dtype=bool)
    todo = np.arange(len(paths))
    if (known := recorded_files(doc)) is not None:
        # the files the model read when it was trained, by their bytes: the same bytes read by the same model give
        # the same input, so only the files it never read are decoded and digested (decoding all of them was
        # 1.89 s of evaluate's 2.13 s on the 869 PAndAS cutouts, benchmarks/evaluate_in_sample_cost.py)
        digests = file_digests(paths)
        seen = np.isin(digests, known[0]) & (digests != 0)
        todo = np.flatnonzero(~seen & ~(np.isin(digests, known[1]) & (digests != 0)))
        if not todo.size:
            return seen
        paths = [paths[i] for i in todo]
    # the model's reader of cutouts only now: it imports numba (0.5-0.7 s, stamps.normalise), which a table of no
    # cutout files (every mosaic catalogue evaluate and report are given) or a model without the record never needs
    from starclass.stamps.images import cutout_inputs, cutout_resampler

    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "cutouts.csv"
        # the model's own reader of cutouts (bands, resampling), so that each input is digested as training saw it
        listing.write_text("file\n" + "".join(f'"{p}"\n' for p in paths))
        try:
            # the reader's notes (mixed sizes, colour planes) were said of the folder by the command's own read: said
            # again here of a temporary list, they named a file the user never gave (test_cutout_mixed_sizes)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                cutouts = read_cutout_folder(listing, require_group=False, require_labels=False,
                                             bands=list(cfg.bands), resample=cutout_resampler(cfg),
                                             label_column="label", progress=progress)
        except StarclassError as exc:
            return f"its cutouts cannot be read as model {model_word(model)} reads them: {exc}"
    if len(cutouts.images) != len(paths):
        # a blank or unreadable cutout left out by the reader: the rows no longer line up with the table's
        return (f"{len(paths) - len(cutouts.images)} of its cutouts cannot be read as model {model_word(model)} "
                "reads them")
    # the exact inputs, and the fingerprints of the same cutouts saved in another format or flipped
    seen[todo] = training_input_rows(cutout_inputs(cutouts.images, cfg), doc[MANIFEST_KEY])
    return seen


def in_sample_words(n_in: int, n: int, model: Any) -> str:
    """The warning that ``n_in`` of ``n`` rows scored are ``model``'s own training rows, with what to do instead.

    ``classify --stamps`` says it beside its accuracy line; ``evaluate`` and ``report`` of the classified
    table said nothing, and the model's accuracy on its own training folder read as held-out.

    Examples
    --------
    >>> print(in_sample_words(10, 16, "model"))  # doctest: +NORMALIZE_WHITESPACE
    10 of the 16 rows scored are cutouts model 'model' was trained on (its record of training rows): their
    figures are in-sample (a model agrees with the labels it was fitted to), not a held-out measure; evaluate
    rows it never trained on (a test folder kept aside), or the out-of-fold predictions of 'starclass train
    --cv 5' (its cv_predictions.ecsv)
    >>> in_sample_words(1, 1, "m")[:46]
    'the one row scored is a cutout model m was tra'
    """
    if n == 1:
        said = "the one row scored is a cutout"
    else:
        # one of several: "1 of the 16 rows scored is a cutout"
        said = (f"{'all' if n_in == n else f'{n_in} of the'} {n} rows scored "
                f"{'is a cutout' if n_in == 1 else 'are cutouts'}")
    return (f"{said} model {model_word(model)} was trained on (its record of training rows): their figures are "
            "in-sample (a model agrees with the labels it was fitted to), not a held-out measure; evaluate rows it "
            "never trained on (a test folder kept aside), or the out-of-fold predictions of 'starclass train --cv 5' "
            "(its cv_predictions.ecsv)")


def flags_record(flags: Any, flagged: Mapping[str, int] | None = None) -> dict[str, Any]:
    """The manifest entry of the pixel flags training stamps were cut with.

    Parameters
    ----------
    flags : starclass.io.mosaic.PixelFlags or None
        What ``--mask-extension`` / ``--dq-good-bits`` applied (None: neither; recorded too, so
        that a model trained without flags is told from one that predates the record).
    flagged : mapping, optional
        Band -> pixels the flags set to NaN, summed over the fields read.

    Returns
    -------
    dict
        ``mask_extension``, ``dq_good_bits`` and ``mask_file`` (None where not applied),
        ``flagged`` (whether any pixel was actually set to NaN) and ``flagged_pixels`` per band.

    Examples
    --------
    >>> from starclass.io.mosaic import PixelFlags
    >>> rec = flags_record(PixelFlags(mask_extension="bpm"), {"f555w": 3, "f814w": 0})
    >>> rec["mask_extension"], rec["dq_good_bits"], rec["flagged"]
    ('BPM', None, True)
    >>> flags_record(None)["flagged"]
    False
    """
    counts = {str(b): int(n) for b, n in (flagged or {}).items()}
    return {"mask_extension": getattr(flags, "mask_extension", None) if flags else None,
            "dq_good_bits": getattr(flags, "dq_good_bits", None) if flags else None,
            "mask_file": getattr(flags, "mask_file", None) if flags else None,
            "flagged": any(n > 0 for n in counts.values()), "flagged_pixels": counts}


def recorded_flags(manifest: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The pixel-flags record of a manifest, or None (a model trained before the record, or a member file).

    Examples
    --------
    >>> recorded_flags({"pixel_flags": {"mask_extension": "BPM", "dq_good_bits": None, "flagged": True}})["flagged"]
    True
    >>> recorded_flags({}) is None
    True
    """
    rec = (manifest or {}).get(FLAGS_KEY)
    if not isinstance(rec, dict) or "mask_extension" not in rec or "dq_good_bits" not in rec:
        return None
    return rec


def _settings(rec: Mapping[str, Any] | None) -> tuple[str | None, str | None, str | None]:
    """``(mask_extension, dq_good_bits, mask_file)`` of a record or of PixelFlags (None: none applied).

    A record written before ``mask_file`` existed has none.
    """
    if not rec:
        return None, None, None
    get = rec.get if isinstance(rec, Mapping) else (lambda k: getattr(rec, k, None))
    return get("mask_extension"), get("dq_good_bits"), get("mask_file")


def _options(mask_extension: str | None, dq_good_bits: str | None, mask_file: str | None = None) -> str:
    """The flags as the options that give them ('no --mask-extension, --dq-good-bits or --mask-file' for none)."""
    parts = []
    if mask_extension is not None:
        parts.append(f"--mask-extension {mask_extension}")
    if dq_good_bits is not None:
        parts.append(f"--dq-good-bits '{dq_good_bits}'")
    if mask_file is not None:
        parts.append(f"--mask-file '{mask_file}'")
    return " ".join(parts) or "no --mask-extension, --dq-good-bits or --mask-file"


def describe_flags(record: Mapping[str, Any] | None) -> str:
    """The pixel flags of a model's training stamps in words (``starclass info``).

    Examples
    --------
    >>> from starclass.io.mosaic import PixelFlags
    >>> describe_flags(flags_record(PixelFlags(dq_good_bits="~4096"), {"f555w": 2, "f814w": 1}))
    "--dq-good-bits '~4096'; 3 pixels flagged (f555w 2, f814w 1)"
    >>> describe_flags(flags_record(None))
    'none (no --mask-extension, --dq-good-bits or --mask-file)'
    >>> describe_flags(None)
    'not recorded (a model trained before the record existed, or on a cutout folder)'
    """
    if record is None:
        return "not recorded (a model trained before the record existed, or on a cutout folder)"
    options = _options(*_settings(record))
    if _settings(record) == (None, None, None):
        return f"none ({options})"
    counts = record.get("flagged_pixels") if isinstance(record.get("flagged_pixels"), dict) else {}
    if not record.get("flagged"):
        return f"{options}; no pixel flagged"
    per_band = ", ".join(f"{b} {int(n)}" for b, n in counts.items())
    return f"{options}; {sum(int(n) for n in counts.values())} pixels flagged ({per_band})"


def _meaning(mask_extension: str | None, dq_good_bits: str | None,
             mask_file: str | None = None) -> tuple[str | None, int | str | None, str | None]:
    """The flags as what they do: the extension name in capitals, the harmless DQ bits as one integer.

    ``'4+16'`` and ``'16,4'``, ``bpm`` and ``BPM`` are one setting and warn of nothing. A mask-file
    template is compared as written (the files it names differ from field to field anyway).
    """
    mask_file = None if mask_file is None else str(mask_file).strip()
    from astropy.nddata.bitmask import interpret_bit_flags

    name = None if mask_extension is None else str(mask_extension).strip().upper()
    try:
        bits = None if dq_good_bits is None else int(interpret_bit_flags(str(dq_good_bits)))
    except (ValueError, TypeError):
        return name, str(dq_good_bits).strip(), mask_file  # an edited manifest astropy cannot read: as spelt
    return name, bits, mask_file


def flags_mismatch(manifest: Mapping[str, Any] | None, flags: Any, *, model: str = "the model") -> str | None:
    """One line saying that ``flags`` differ from the pixel flags a model was trained with, or None.

    Parameters
    ----------
    manifest : mapping or None
        The model's manifest (:func:`starclass.learn.checkpoint.read_manifest`); None or one
        without the record (models trained before it existed): None, nothing to compare.
    flags : starclass.io.mosaic.PixelFlags or None
        What this run applies to the mosaics it cuts stamps from.
    model : str
        The model's name in the message.

    Examples
    --------
    >>> from starclass.io.mosaic import PixelFlags
    >>> doc = {"pixel_flags": flags_record(PixelFlags(mask_extension="BPM"), {"g": 5})}
    >>> flags_mismatch(doc, PixelFlags(mask_extension="bpm")) is None
    True
    >>> print(flags_mismatch(doc, None, model="m31"))  # doctest: +NORMALIZE_WHITESPACE
    model m31 was trained on stamps cut with --mask-extension BPM (5 pixels flagged), but this run
    applies no --mask-extension, --dq-good-bits or --mask-file: its stamps differ from the training ones
    (give the training flags, or retrain)
    >>> flags_mismatch({}, PixelFlags(mask_extension="BPM")) is None
    True
    """
    rec = recorded_flags(manifest)
    if rec is None:
        return None
    trained, now = _settings(rec), _settings(flags)
    if _meaning(*trained) == _meaning(*now):
        return None
    counts = rec.get("flagged_pixels") if isinstance(rec.get("flagged_pixels"), dict) else {}
    n = sum(int(v) for v in counts.values() if isinstance(v, (int, float)))
    if trained == (None, None, None):
        what = ""
    elif rec.get("flagged"):
        what = f" ({n} pixels flagged)" if n else " (pixels flagged)"
    else:
        what = " (no pixel flagged)"
    return (f"model {model_word(model)} was trained on stamps cut with {_options(*trained)}{what}, but this run "
            f"applies {_options(*now)}: its stamps differ from the training ones (give the training flags, or retrain)")


#: The libraries whose versions decide what a training run computes (recorded by the benchmarks).
VERSIONED = ("torch", "torchvision", "numpy", "scipy", "scikit-learn", "astropy", "photutils")


def library_versions(names: tuple[str, ...] = VERSIONED) -> dict[str, str | None]:
    """The installed versions of ``names`` and of Python, for a benchmark's result file.

    Three reruns of committed benchmarks (2026-12-01, 2026-12-02, 2026-12-03) trained other weights
    from the same code, and in each case the environment had been rebuilt in between with no record
    of what it held; a result that names its versions tells an environment change from a code change.
    A library that is not installed is None.

    Examples
    --------
    >>> v = library_versions(("numpy", "no-such-library"))
    >>> v["numpy"] == np.__version__, v["no-such-library"], "python" in v
    (True, None, True)
    """
    import platform
    import sys
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, str | None] = {"python": platform.python_version()}
    for name in names:
        # a module already imported says its own version, build tag included (torch's "+cu130",
        # which the installed metadata may lack); the others are read from the metadata, not imported
        mod = sys.modules.get({"scikit-learn": "sklearn"}.get(name, name))
        if getattr(mod, "__version__", None):
            out[name] = str(mod.__version__)
            continue
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def warn_copies_across_lists(sets: list[CutoutSet]) -> None:
    """Warn, naming both rows, of one image under two paths in two of ``sets`` (by its fingerprint).

    ``train --stamps A.csv --stamps B.csv`` calls it on the lists it joins
    (:func:`starclass.io.cutout_folders.concat_cutout_sets` refuses one path in two lists).

    A training cutout copied to another folder (a round's export beside the first list, a PNG saved again as
    FITS or flipped) passed the check of one path listed twice, and was trained on twice, with two labels perhaps.
    The fingerprints are the in-sample check's (:func:`starclass.learn.provenance.row_fingerprints`: blind to
    the format, a scale and offset, flips and rotations); blank cutouts, alike by nature, are left out.

    Examples
    --------
    >>> import warnings
    >>> from pathlib import Path
    >>> from astropy.table import Table
    >>> from starclass.io.cutout_folders import CutoutSet
    >>> x = np.random.default_rng(0).random((2, 1, 32, 32)).astype(np.float32)
    >>> a = CutoutSet(images=x, table=Table(), files=["a.png", "b.png"], labels=np.array(["cluster", "galaxy"]),
    ...               groups=np.array(["o1", "o2"]), source=Path("start.csv"))
    >>> b = CutoutSet(images=x[1:, :, ::-1] * 255, table=Table(), files=["copy.fits"], labels=np.array(["cluster"]),
    ...               groups=np.array(["o9"]), source=Path("round1.csv"))
    >>> with warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter("always")
    ...     warn_copies_across_lists([a, b])
    >>> said = str(seen[0].message)
    >>> said.startswith("--stamps start.csv and round1.csv hold one image under two paths: row 2")
    True
    >>> "'copy.fits'" in said
    True
    """
    import warnings

    from starclass.io.cutout_folders import list_place

    seen: dict[int, tuple[int, int]] = {}  # fingerprint -> (list, row) where first met
    pairs: list[str] = []
    for k, cs in enumerate(sets):
        flat = np.asarray(cs.images, dtype=np.float64).reshape(len(cs), -1)
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN cutout: blank, left out below
            spread = np.nanmax(flat, axis=1) - np.nanmin(flat, axis=1) if flat.size else np.zeros(0)
        live = np.flatnonzero(np.isfinite(spread) & (spread > 0))
        for j, fp in zip(live.tolist(), row_fingerprints(cs.images, live).tolist()):
            if fp in seen and seen[fp][0] != k:
                i_list, i = seen[fp]
                pairs.append(f"{list_place(sets[i_list], i)} and {list_place(cs, j)}")
            seen.setdefault(fp, (k, j))
    if pairs:
        lists = " and ".join(dict.fromkeys(str(sets[k].source) for k in range(len(sets))))
        more = f" and {len(pairs) - 5} more" if len(pairs) > 5 else ""
        warnings.warn(f"--stamps {lists} hold one image under two paths: " + "; ".join(pairs[:5]) + more
                      + " (the same pixels by their fingerprints, which a format, a scale, a flip or a rotation "
                      "leave alone): such a cutout is trained on twice, with two labels perhaps; give each labelled "
                      "cutout in one list", UserWarning, stacklevel=2)
