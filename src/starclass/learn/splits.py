"""Train / validation splits: at random, by spatial region, and leave one galaxy out.

* ``random``: stratified by class (every class keeps its share in both parts), as StarcNet's
  uniformly random 90/10 split of its train+validation set.
* ``spatial``: the field is cut into a grid of rectangular tiles and whole tiles, drawn at
  random, go to validation until the requested fraction is reached. Neighbouring candidates
  (which share background, crowding and often the same star-forming complex) therefore never
  straddle the split, as with the M31 paper's separate "Region a" (train) and "Region b"
  (test) subfields.
* ``galaxy``: every candidate of one galaxy goes to validation (StarcNet section 5.3's
  leave-one-galaxy-out test); :func:`leave_one_galaxy_out` yields all such splits in turn.

Every function returns ``(train_idx, val_idx)``: sorted int64 index arrays into the input.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from starclass.errors import StarclassError

SPLITS = ("random", "spatial", "galaxy")


def random_split(labels: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Stratified random split: about ``fraction`` of each class goes to validation.

    A class with a single member stays in the training part.

    Examples
    --------
    >>> import numpy as np
    >>> labels = np.array([1, 1, 1, 1, 2, 2, 2, 2])
    >>> train, val = random_split(labels, 0.25, seed=0)
    >>> sorted(labels[val].tolist())      # one of each class
    [1, 2]
    """
    labels = np.asarray(labels)
    _check_fraction(fraction)
    rng = np.random.default_rng(seed)
    val = []
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        rng.shuffle(idx)
        k = int(round(fraction * idx.size))
        if fraction > 0 and idx.size >= 2:
            k = min(max(k, 1), idx.size - 1)
        val.append(idx[:k])
    val_idx = np.sort(np.concatenate(val)) if val else np.zeros(0, np.int64)
    return _complement(labels.size, val_idx), val_idx.astype(np.int64)


def spatial_split(
    x: np.ndarray, y: np.ndarray, fraction: float, seed: int, tiles: int = 4
) -> tuple[np.ndarray, np.ndarray]:
    """Whole spatial tiles go to validation until ``fraction`` of the candidates is reached.

    Parameters
    ----------
    x, y
        0-based pixel positions of the candidates.
    fraction
        Target validation fraction (the result is at least this, by whole tiles, and never
        the whole set).
    seed
        Seed of the tile draw.
    tiles
        The field's bounding box is cut into ``tiles x tiles`` equal rectangles.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.uniform(0, 100, 40), rng.uniform(0, 100, 40)
    >>> train, val = spatial_split(x, y, 0.25, seed=0)
    >>> len(train) + len(val), len(val) >= 10
    (40, True)
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    _check_fraction(fraction)
    n = x.size
    if n == 0 or fraction == 0:
        return np.arange(n, dtype=np.int64), np.zeros(0, np.int64)
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise StarclassError("spatial split: positions x, y must be finite for every candidate")

    def cell(v: np.ndarray) -> np.ndarray:
        lo, hi = v.min(), v.max()
        if hi <= lo:
            return np.zeros(v.size, dtype=np.int64)
        return np.minimum(((v - lo) / (hi - lo) * tiles).astype(np.int64), tiles - 1)

    tile = cell(y) * tiles + cell(x)
    occupied = np.unique(tile)
    if occupied.size < 2:
        raise StarclassError("spatial split: all candidates fall in one tile; use split='random'")
    rng = np.random.default_rng(seed)
    order = rng.permutation(occupied)
    counts = {t: int(np.sum(tile == t)) for t in occupied}
    chosen, total = [], 0
    for t in order[:-1]:  # never give every tile to validation
        chosen.append(t)
        total += counts[t]
        if total >= fraction * n:
            break
    val_idx = np.flatnonzero(np.isin(tile, chosen)).astype(np.int64)
    return _complement(n, val_idx), val_idx


#: Why fields can be one galaxy: their catalogues' galaxy column wins over the fields' names, and
#: ``simulate`` named every field of a preset alike whatever its seed until 2026-12-04 (two hst
#: fields of seeds 1 and 2 trained with --split galaxy --holdout B were refused naming only
#: ['SIM-1']); it now names them after the seed (SIM-1-s1, SIM-1-s2), but older fields, fields of one
#: seed and real catalogues of one galaxy still meet this.
ONE_GALAXY_HINT = ("; the catalogues' 'galaxy' column names the galaxy, before the fields' names (fields "
                   "simulated before 2026-12-04 are all 'SIM-1' whatever their seed; simulate now names them "
                   "SIM-1-s<seed>): give the --fields list a galaxy column to tell them apart")


def galaxy_split(
    galaxies: np.ndarray, holdout: str | None = None, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """All candidates of galaxy ``holdout`` (drawn with ``seed`` when None) go to validation.

    Examples
    --------
    >>> train, val = galaxy_split(["a", "a", "b", "b", "c"], "b")
    >>> train.tolist(), val.tolist()
    ([0, 1, 4], [2, 3])
    """
    galaxies = np.asarray(galaxies).astype(str)
    names = np.unique(galaxies)
    if names.size < 2:
        raise StarclassError(
            f"split='galaxy' needs candidates from at least two galaxies (column 'galaxy'); "
            f"found {names.tolist()}{ONE_GALAXY_HINT}"
        )
    if holdout is None:
        holdout = str(np.random.default_rng(seed).choice(names))
    elif holdout not in names:
        raise StarclassError(f"held-out galaxy {holdout!r} not among {names.tolist()}")
    val_idx = np.flatnonzero(galaxies == holdout).astype(np.int64)
    return _complement(galaxies.size, val_idx), val_idx


def leave_one_galaxy_out(galaxies: np.ndarray) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
    """Yield ``(galaxy, train_idx, val_idx)`` holding out each galaxy in turn.

    Examples
    --------
    >>> [(name, val.tolist()) for name, _, val in leave_one_galaxy_out(["a", "a", "b", "c"])]
    [('a', [0, 1]), ('b', [2]), ('c', [3])]
    """
    for name in np.unique(np.asarray(galaxies).astype(str)):
        tr, va = galaxy_split(galaxies, str(name))
        yield str(name), tr, va


def split_indices(
    split: str,
    labels: np.ndarray,
    *,
    fraction: float,
    seed: int,
    positions: tuple[np.ndarray, np.ndarray] | np.ndarray | None = None,
    galaxies: np.ndarray | None = None,
    holdout: str | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Dispatch on the split name (``random``, ``spatial``, ``galaxy``).

    Examples
    --------
    >>> import numpy as np
    >>> train, val = split_indices("random", np.array([1, 1, 1, 1, 2, 2, 2, 2]), fraction=0.25, seed=0)
    >>> len(train), len(val)
    (6, 2)
    """
    if split in (None, "random"):
        return random_split(labels, fraction, seed)
    if split == "spatial":
        if positions is None:
            raise StarclassError("split='spatial' needs candidate positions (x, y)")
        px, py = _xy(positions)
        return spatial_split(px, py, fraction, seed)
    if split == "galaxy":
        if galaxies is None:
            raise StarclassError("split='galaxy' needs the galaxy of every candidate (column 'galaxy')")
        return galaxy_split(galaxies, holdout, seed)
    raise StarclassError(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}")


def _xy(positions) -> tuple[np.ndarray, np.ndarray]:
    """Accept ``(x, y)`` or an ``[N, 2]`` array of positions."""
    if isinstance(positions, np.ndarray) and positions.ndim == 2 and positions.shape[1] == 2:
        return positions[:, 0], positions[:, 1]
    px, py = positions
    return np.asarray(px), np.asarray(py)


def _check_fraction(fraction: float) -> None:
    if not 0 <= fraction < 1:
        raise StarclassError(f"validation fraction must be in [0, 1), got {fraction}")


def _complement(n: int, idx: np.ndarray) -> np.ndarray:
    keep = np.ones(n, dtype=bool)
    keep[idx] = False
    return np.flatnonzero(keep).astype(np.int64)
