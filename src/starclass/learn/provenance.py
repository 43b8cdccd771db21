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
be checked, and say so.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import numpy as np

__all__ = ["MANIFEST_KEY", "ROW_DIGEST", "row_digests", "training_record", "recorded_digests", "overlap"]

#: The manifest key of the record.
MANIFEST_KEY = "training_rows"
#: What each digest is of (stored with the record, so another scheme later is told apart).
ROW_DIGEST = "blake2b-8 of the float32 model input [C, H, W]"
_BYTES = 8


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
    from starclass.learn.data import InputSource

    source = InputSource(inputs)
    idx = np.arange(len(source)) if rows is None else np.asarray(rows, dtype=np.int64)
    out = np.empty(idx.size, dtype=np.uint64)
    for start in range(0, idx.size, batch_size):
        part = idx[start:start + batch_size]
        block = np.ascontiguousarray(source.take(part), dtype=np.float32)
        for j, row in enumerate(block):
            digest = hashlib.blake2b(row.tobytes(), digest_size=_BYTES).digest()
            out[start + j] = int.from_bytes(digest, "big")
    return out


def training_record(inputs: Any, rows: np.ndarray, *, batch_size: int = 512) -> dict[str, Any]:
    """The manifest entry for the training rows ``rows`` of ``inputs`` (read ``batch_size`` at a time).

    Examples
    --------
    >>> x = np.arange(8, dtype=np.float32).reshape(2, 1, 2, 2)
    >>> rec = training_record(x, np.array([0, 1]))
    >>> rec["n"], len(recorded_digests({"training_rows": rec}))
    (2, 2)
    """
    digests = np.unique(row_digests(inputs, rows, batch_size=batch_size))
    packed = digests.astype(">u8").tobytes()
    return {"digest": ROW_DIGEST, "n": int(np.asarray(rows).size),
            "rows": base64.b64encode(packed).decode("ascii")}


def recorded_digests(manifest: dict[str, Any]) -> np.ndarray | None:
    """The training-row digests a manifest records, or None for a model without the record."""
    rec = manifest.get(MANIFEST_KEY)
    if not isinstance(rec, dict) or rec.get("digest") != ROW_DIGEST:
        return None
    raw = base64.b64decode(str(rec.get("rows", "")).encode("ascii"))
    return np.frombuffer(raw, dtype=">u8").astype(np.uint64)


def overlap(digests: np.ndarray, recorded: np.ndarray) -> np.ndarray:
    """Which of ``digests`` (rows to calibrate on) are training rows.

    Examples
    --------
    >>> overlap(np.array([1, 2, 3], dtype=np.uint64), np.array([3, 9], dtype=np.uint64)).tolist()
    [False, False, True]
    """
    return np.isin(np.asarray(digests, dtype=np.uint64), np.asarray(recorded, dtype=np.uint64))
