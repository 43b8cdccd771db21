"""Model inputs as a torch dataset: rows of an array, a tensor or a stamp store, with targets.

:class:`StampDataset` is the one torch ``Dataset`` of starclass: training, validation and
batch-norm recalibration read their stamps through it. It reads any row source
(:class:`InputSource`: a numpy array or memory map ``[N, C, H, W]``, a torch tensor, an
HDF5 dataset or a :class:`starclass.stamps.StampStore`) lazily, one sorted read per batch,
which is what HDF5 wants. :func:`batches` and :func:`loader` cut an order of rows into
batches and iterate over them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from starclass.errors import StarclassError

__all__ = ["InputSource", "StampDataset", "batches", "loader"]


def refuse_catalogue(inputs: Any, what: str = "inputs") -> None:
    """Refuse a catalogue table given where model inputs (stamps) belong, saying how to make them.

    ``CNNClassifier().fit(table, table["class_ref"])`` stopped with numpy's "Datatype coercion
    is not allowed", and ``predict_proba(table)`` with "inputs of shape (300,)": neither said
    that the network reads stamps cut from the mosaics, not catalogue columns.

    Parameters
    ----------
    inputs : Any
        What was given as the model inputs.
    what : str
        Its name in the message (``"X"``).

    Raises
    ------
    StarclassError
        When ``inputs`` is an astropy ``Table`` (or a row of one) or a pandas ``DataFrame``.

    Examples
    --------
    >>> from astropy.table import Table
    >>> refuse_catalogue(np.zeros((2, 1, 4, 4)))
    >>> refuse_catalogue(Table({"x": [1.0]}), "X")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: X is a catalogue (Table of 1 rows, columns x), not model inputs [N, C, H, W]: ...
    """
    from astropy.table import Row, Table

    kind = type(inputs).__name__
    if isinstance(inputs, (Table, Row)) or kind == "DataFrame":
        cols = list(getattr(inputs, "colnames", None) or getattr(inputs, "columns", []))
        shown = ", ".join(map(str, cols[:8])) + (", ..." if len(cols) > 8 else "")
        raise StarclassError(
            f"{what} is a catalogue ({kind} of {len(inputs) if kind != 'Row' else 1} rows, columns {shown}), not "
            "model inputs [N, C, H, W]: the network reads stamps cut from the mosaics at the rows' "
            "positions, e.g. starclass.stamps.make_inputs(read_mosaics(DIR), table['x'], table['y'], config) "
            "(or a StampStore from 'starclass cutouts'); classifiers of catalogue columns are in "
            "starclass.models.baselines (CatalogBoosting)")


class InputSource:
    """Uniform batched reads from an array, a memory map, a tensor, an HDF5 dataset or a store.

    Parameters
    ----------
    inputs : array-like, torch.Tensor or StampStore
        Rows ``[N, C, H, W]``. Anything else indexable by a sorted integer array works if
        it has a 4-d ``shape`` (or ``inputs_shape``), or returns ``(inputs, ...)`` or
        ``{"inputs": ...}`` per read (as :class:`starclass.stamps.StampStore` does).

    Raises
    ------
    StarclassError
        When the rows are not 4-d.

    Examples
    --------
    >>> import numpy as np
    >>> src = InputSource(np.zeros((5, 2, 8, 8), np.float32))
    >>> len(src), src.shape
    (5, (5, 2, 8, 8))
    >>> src.take(np.array([1, 3])).shape
    (2, 2, 8, 8)
    """

    def __init__(self, inputs: Any) -> None:
        refuse_catalogue(inputs, "training inputs")
        if isinstance(inputs, (list, tuple)):
            # an array-like, as scikit-learn estimators take it: a list has len() and [] too, and
            # read as a stamp store it failed with numpy's "only integer scalar arrays ..."
            try:
                inputs = np.asarray(inputs, dtype=np.float32)
            except (TypeError, ValueError) as exc:
                raise StarclassError(f"training inputs: a {type(inputs).__name__} that is not an array of "
                                     f"numbers [N, C, H, W] ({exc})") from None
        self.obj = inputs
        self.kind = "array"
        if isinstance(inputs, torch.Tensor):
            self.kind = "tensor"
        elif not isinstance(inputs, np.ndarray):
            self.kind = "store"
        shape = self._shape()
        if len(shape) != 4:
            raise StarclassError(f"training inputs must be [N, C, H, W]; got shape {tuple(shape)}")
        self.shape = tuple(int(s) for s in shape)

    def _shape(self) -> tuple[int, ...]:
        obj = self.obj
        if hasattr(obj, "shape") and obj.shape is not None and len(obj.shape) == 4:
            return tuple(obj.shape)
        for name in ("inputs_shape", "input_shape"):
            if hasattr(obj, name):
                return tuple(getattr(obj, name))
        first = self.take(np.array([0]))
        return (len(obj), *first.shape[1:])

    def __len__(self) -> int:
        return self.shape[0]

    def take(self, idx: np.ndarray) -> np.ndarray:
        """Rows ``idx`` (sorted, unique) as a float32 numpy array."""
        obj = self.obj
        if self.kind == "tensor":
            return obj[torch.as_tensor(idx)].float().numpy()
        if self.kind == "array":
            return np.asarray(obj[idx], dtype=np.float32)
        got = obj[idx]
        if isinstance(got, tuple):  # (inputs, valid) or similar: inputs come first
            got = got[0]
        if isinstance(got, dict):
            got = got.get("inputs", got.get("stamps"))
        return np.asarray(got, dtype=np.float32)



#: Model inputs ``[N, C, H, W]`` as :func:`starclass.learn.train.fit`, cross-validation and calibration take
#: them: a numpy array or memory map, a torch tensor, an :class:`InputSource`, or any other row source an
#: InputSource reads (an HDF5 dataset, a :class:`starclass.stamps.StampStore`: indexable by a sorted integer
#: array, with a 4-d ``shape`` or ``inputs_shape``). That last is duck-typed, hence ``Any``; importing
#: StampStore here would load h5py and astropy.stats (0.3 s) for every training.
ModelInputs: TypeAlias = np.ndarray | torch.Tensor | InputSource | Any


class StampDataset(Dataset):
    """Torch dataset over rows of model inputs with their targets, read lazily.

    Item ``i`` is ``(x, y)``: x the float32 tensor ``[C, H, W]`` of row ``indices[i]``, y
    ``targets[i]`` as a long tensor. :meth:`read_batch` reads many items with one sorted
    fancy-index read, and a ``torch.utils.data.DataLoader`` uses it (``__getitems__``), so
    the plain DataLoader with its default collation works; non-finite pixels are replaced
    by 0 and counted in :attr:`n_nonfinite`.

    Parameters
    ----------
    inputs : InputSource, array-like, torch.Tensor or StampStore
        The rows (wrapped in an :class:`InputSource` when not one already).
    indices : sequence of int, optional
        Rows of ``inputs`` in the dataset, in order (default: all).
    targets : sequence of int or array ``(len(indices), K)``, optional
        One target per entry of ``indices``: class indices 0..K-1 for training (default -1,
        no target), or a row of K class probabilities (soft targets, float32).

    Raises
    ------
    StarclassError
        When ``targets`` and ``indices`` differ in length or an index is out of range.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(4 * 2 * 3 * 3, dtype=np.float32).reshape(4, 2, 3, 3)
    >>> ds = StampDataset(x, indices=[3, 1], targets=[0, 1])
    >>> len(ds), int(ds[0][1]), bool((ds[0][0].numpy() == x[3]).all())
    (2, 0, True)
    >>> xb, yb = ds.read_batch([0, 1])  # in the order of the rows: 1, then 3
    >>> yb.tolist()
    [1, 0]
    """

    def __init__(self, inputs: Any, indices: Sequence[int] | np.ndarray | None = None,
                 targets: Sequence[int] | np.ndarray | None = None) -> None:
        self.source = inputs if isinstance(inputs, InputSource) else InputSource(inputs)
        n = len(self.source)
        self.indices = np.arange(n, dtype=np.int64) if indices is None else np.asarray(indices, dtype=np.int64)
        if self.indices.size and (self.indices.min() < 0 or self.indices.max() >= n):
            raise StarclassError(f"StampDataset: indices must lie in [0, {n}), got {self.indices.min()}"
                                 f"..{self.indices.max()}")
        if targets is None:
            self.targets = np.full(self.indices.size, -1, dtype=np.int64)
        elif np.ndim(targets) == 2:
            # soft targets (one probability per class, starclass.learn.labels): float32, as the loss wants
            self.targets = np.asarray(targets, dtype=np.float32)
        else:
            self.targets = np.asarray(targets, dtype=np.int64)
        if self.targets.shape[:1] != self.indices.shape:
            raise StarclassError(
                f"StampDataset: {self.targets.size} targets for {self.indices.size} rows (one per index)")
        self.n_nonfinite = 0

    def __len__(self) -> int:
        return self.indices.size

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        x, y = self.read_batch([i])
        return x[0], y[0]

    def __getitems__(self, positions: Sequence[int]) -> list[tuple[torch.Tensor, torch.Tensor]]:
        """Items ``positions`` from one batched read (the DataLoader's fast path)."""
        x, y = self.read_batch(positions)
        return list(zip(x, y))

    def read_batch(self, positions: Sequence[int]) -> tuple[torch.Tensor, torch.Tensor]:
        """Items ``positions`` as one batch ``(x, y)``, **in the order of their rows**.

        Sorted reads are what HDF5 and memory maps want; the pairs stay together, so a
        shuffled batch comes back in another order but with each target at its stamp.
        """
        pos = np.asarray(positions, dtype=np.int64)
        rows = self.indices[pos]
        order = np.argsort(rows, kind="stable")
        rows_sorted = rows[order]
        uniq, inverse = np.unique(rows_sorted, return_inverse=True)
        x = self.source.take(uniq)[inverse]
        bad = ~np.isfinite(x)
        if bad.any():
            self.n_nonfinite += int(bad.sum())
            x = np.where(bad, 0.0, x).astype(np.float32)
        y = self.targets[pos][order]
        return torch.from_numpy(np.ascontiguousarray(x)), torch.from_numpy(y)


def batches(order: np.ndarray, batch_size: int) -> list[np.ndarray]:
    """Consecutive chunks of ``order``; a trailing chunk of one is merged (batch norm needs >= 2).

    Examples
    --------
    >>> [b.tolist() for b in batches(np.arange(5), 2)]
    [[0, 1], [2, 3, 4]]
    """
    chunks = [order[i: i + batch_size] for i in range(0, order.size, batch_size)]
    if len(chunks) > 1 and chunks[-1].size == 1:
        chunks[-2] = np.concatenate([chunks[-2], chunks[-1]])
        chunks.pop()
    return chunks


def loader(dataset: StampDataset, chunks: list[np.ndarray]) -> DataLoader:
    """A DataLoader yielding ``(x, y)`` for each chunk of dataset positions, in the main process.

    Examples
    --------
    >>> ds = StampDataset(np.zeros((4, 1, 2, 2), np.float32))
    >>> [tuple(xb.shape) for xb, _ in loader(ds, batches(np.arange(4), 2))]
    [(2, 1, 2, 2), (2, 1, 2, 2)]
    """
    # a DataLoader rather than a plain loop over read_batch: creating its iterator draws one
    # number from torch's global generator, and training's random stream (dropout) has always
    # included that draw, so weights stay identical to earlier releases
    return DataLoader(dataset, batch_sampler=[b.tolist() for b in chunks], num_workers=0)
