"""Non-CNN baselines (scikit-learn): bagged trees on raw pixels, boosting on catalogue features.

:class:`BaggedTreesPixels`
    The comparison of the StarcNet paper (seed 001, section 5, after Grasha et al. 2019):
    100 bagged decision trees (Gini, fully grown) on the raw pixels of the central
    15 x 15 patch of three bands (1 x 675 vectors), the training set augmented by rotations
    of 90, 180 and 270 degrees. StarcNet reports 57.1% (four classes) and 78.4% (binary) on
    its LEGUS validation set against 67.9% and 85.5% for the CNN. Give it stamps
    ``[N, C, S, S]`` already normalised the way you want (the paper: F336W, F555W, F814W;
    ``channels`` picks those, or pass RGB-normalised stamps); NaN pixels become 0.
:class:`CatalogBoosting`
    Gradient boosting (:class:`~sklearn.ensemble.HistGradientBoostingClassifier`, which
    handles missing values natively) on catalogue features: ``ci``, ``mci_<r>``, the
    magnitudes, the colours of neighbouring bands and, when present, ``fwhm``, ``bkg``
    and ``crowding``.

Both follow the scikit-learn conventions, as :class:`starclass.learn.estimator.CNNClassifier`
does (the ``Classifier`` protocol there): ``__init__`` stores its parameters as given (so
``clone`` and ``get_params`` work), ``fit`` checks and converts them and returns ``self``,
learned state ends with an underscore (``classes_`` orders the probability columns,
``model_``, ``n_features_``, ``feature_names_``, ``bands_``), and ``predict`` is
``classes_[argmax(predict_proba)]``. They are saved with :func:`joblib.dump` (:meth:`save`;
read back with the classmethod ``load`` or :func:`load_baseline`). joblib files are pickles:
load only files you trust (skops is not needed for these estimators).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import joblib
import numpy as np

from starclass import quiet_import
from starclass.errors import OutputExistsError, StarclassError, agreeing, model_word
from starclass.io.atomic import atomic_path
from starclass.schema import bands_in

with quiet_import():
    from sklearn.base import BaseEstimator, ClassifierMixin
    from sklearn.ensemble import BaggingClassifier, HistGradientBoostingClassifier
    from sklearn.tree import DecisionTreeClassifier


def _labels(y: Any, n: int, who: str) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim != 1 or len(y) != n:
        raise StarclassError(f"{who}: {len(y)} labels for {n} samples")
    if len(np.unique(y)) < 2:
        raise StarclassError(f"{who}: the training labels hold a single class {np.unique(y)}")
    return y


class _Baseline(ClassifierMixin, BaseEstimator):
    """What the baselines share: the fitted check, ``predict`` and joblib files."""

    def _fitted(self) -> None:
        if not hasattr(self, "model_"):
            from starclass.errors import NotFittedError

            # scikit-learn's exception (check_is_fitted's habit), still a StarclassError for the CLI
            raise NotFittedError(f"{type(self).__name__}: call fit() first")

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each sample (a value of ``classes_``)."""
        self._fitted()
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def save(self, path: str | os.PathLike, *, overwrite: bool = False) -> Path:
        """Write the fitted model with joblib (atomically).

        Parameters
        ----------
        path : path-like
            The file to write.
        overwrite : bool
            Replace a file already at ``path`` (refused without it).

        Returns
        -------
        pathlib.Path
            ``path``.

        Raises
        ------
        StarclassError
            ``path`` exists and ``overwrite`` is false, or is a folder.
            :class:`~starclass.errors.NotFittedError` before ``fit``.

        Examples
        --------
        >>> import tempfile, pathlib, numpy as np
        >>> X, y = np.random.default_rng(0).normal(size=(20, 1, 16, 16)), [1, 2] * 10
        >>> model = BaggedTreesPixels(n_estimators=2).fit(X, y)
        >>> with tempfile.TemporaryDirectory() as d:
        ...     again = BaggedTreesPixels.load(model.save(pathlib.Path(d) / "m.joblib"))
        >>> bool((again.predict(X) == model.predict(X)).all())
        True
        """
        self._fitted()  # an unfitted estimator is not a model: NotFittedError, as CNNClassifier.save
        p = Path(path)
        # a file there was replaced without a word (CNNClassifier.save and write_catalog refuse)
        if p.is_dir():
            raise StarclassError(f"{type(self).__name__}.save: {p} is a folder; give a file name (model.joblib)")
        if p.exists() and not overwrite:
            raise OutputExistsError(f"{type(self).__name__}.save: {p} exists; save(..., overwrite=True) replaces it", p)
        with atomic_path(p) as tmp:
            joblib.dump(self, tmp)
        return p

    @classmethod
    def load(cls, path: str | os.PathLike) -> Any:
        """Read a model of this class written by :meth:`save` (trusted files only)."""
        obj = load_baseline(path)
        if not isinstance(obj, cls):
            raise StarclassError(f"baseline model {model_word(path)}: holds a {type(obj).__name__}, not a "
                                 f"{cls.__name__}")
        return obj


def load_baseline(path: str | os.PathLike) -> Any:
    """Read a baseline written by ``save`` (a joblib pickle: trusted files only).

    Examples
    --------
    >>> load_baseline("no-such-file.joblib")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: baseline model no-such-file.joblib does not exist
    """
    p = Path(path)
    if not p.is_file():
        raise StarclassError(f"baseline model {model_word(p)} does not exist")
    try:
        obj = joblib.load(p)
    except Exception as exc:
        raise StarclassError(f"baseline model {model_word(p)}: cannot be read: {exc}") from None
    if not isinstance(obj, _Baseline):
        raise StarclassError(f"baseline model {model_word(p)}: holds a {type(obj).__name__}, not a starclass baseline")
    return obj


class BaggedTreesPixels(_Baseline):
    """Bagged decision trees on the raw pixels of a central patch.

    Parameters
    ----------
    n_estimators : int
        Number of trees (100 in the paper).
    patch : int
        Side of the central patch (15).
    channels : sequence of int or None
        Channels of the stamp to use (None: all).
    rotate : bool
        Augment the training set with the 90, 180 and 270 degree rotations.
    random_state : int or None
        Seed.
    n_jobs : int or None
        Parallel jobs for fitting and prediction.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(40, 3, 32, 32)).astype("f4")
    >>> y = np.repeat([1, 2], 20)
    >>> X[y == 2, :, 14:18, 14:18] += 5.0  # class 2 is bright in the centre
    >>> model = BaggedTreesPixels(n_estimators=5).fit(X, y)
    >>> model.classes_.tolist(), model.score(X, y) > 0.9
    ([1, 2], True)
    """

    def __init__(
        self,
        n_estimators: int = 100,
        patch: int = 15,
        channels: Sequence[int] | None = None,
        rotate: bool = True,
        random_state: int | None = 0,
        n_jobs: int | None = 1,
    ):
        self.n_estimators = n_estimators
        self.patch = patch
        self.channels = channels
        self.rotate = rotate
        self.random_state = random_state
        self.n_jobs = n_jobs

    def _patches(self, stamps: Any) -> np.ndarray:
        x = np.asarray(stamps, dtype=np.float32)
        if x.ndim != 4:
            raise StarclassError(f"BaggedTreesPixels: stamps must be [N, C, S, S], got shape {x.shape}")
        if self.channels is not None:
            channels = [int(c) for c in self.channels]
            if max(channels) >= x.shape[1]:
                raise StarclassError(
                    f"BaggedTreesPixels: channels {channels} but the stamps have {x.shape[1]}"
                )
            x = x[:, channels]
        s = x.shape[-1]
        if s < self.patch:
            raise StarclassError(f"BaggedTreesPixels: stamps of {s} px are smaller than the {self.patch} px patch")
        lo = (s - self.patch) // 2
        x = x[:, :, lo : lo + self.patch, lo : lo + self.patch]
        return np.nan_to_num(x, nan=0.0, posinf=0.0, neginf=0.0)

    def fit(self, stamps: Any, y: Any) -> BaggedTreesPixels:
        """Fit on stamps ``[N, C, S, S]`` and their classes; returns ``self``."""
        if int(self.patch) < 1:
            raise StarclassError(f"BaggedTreesPixels: patch={self.patch!r} must be >= 1")
        p = self._patches(stamps)
        y = _labels(y, len(p), "BaggedTreesPixels.fit")
        if self.rotate:
            p = np.concatenate([np.rot90(p, k, axes=(2, 3)) for k in range(4)])
            y = np.tile(y, 4)
        self.n_features_ = int(np.prod(p.shape[1:]))
        self.model_ = BaggingClassifier(
            estimator=DecisionTreeClassifier(criterion="gini"),
            n_estimators=self.n_estimators,
            random_state=self.random_state,
            n_jobs=self.n_jobs,
        )
        self.model_.fit(p.reshape(len(p), -1), y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, stamps: Any) -> np.ndarray:
        """Class probabilities ``[N, K]`` (columns: ``classes_``)."""
        self._fitted()
        p = self._patches(stamps).reshape(len(stamps), -1)
        if p.shape[1] != self.n_features_:
            raise StarclassError(
                f"BaggedTreesPixels: trained on {self.n_features_} pixel values, got {p.shape[1]}"
            )
        return self.model_.predict_proba(p)


def catalog_features(table: Any, bands: Sequence[str] | None = None) -> tuple[np.ndarray, list[str]]:
    """Feature matrix of a candidate table and the names of its columns.

    Features, where the columns exist: ``ci``, ``mci_<r>``, ``mag_<band>`` for each band,
    the colours ``mag_<b_k> - mag_<b_k+1>`` of neighbouring bands (in the order given, or
    the table's), ``fwhm``, ``bkg``, ``crowding``. Masked values become NaN.

    Examples
    --------
    >>> from astropy.table import Table
    >>> t = Table({"ci": [1.2, 1.5], "mag_f555w": [22.0, 23.0], "mag_f814w": [21.5, 22.0]})
    >>> catalog_features(t)[1]
    ['ci', 'mag_f555w', 'mag_f814w', 'f555w-f814w']

    A pandas ``DataFrame`` (``table.to_pandas()``) is read the same way: scikit-learn's model
    selection (``cross_val_score``) can split one, not an astropy ``Table``.
    """
    if type(table).__name__ == "DataFrame":
        from astropy.table import Table

        table = Table.from_pandas(table)
    if not hasattr(table, "colnames"):
        # an array stopped with "'ndarray' object has no attribute 'colnames'"
        raise StarclassError(f"catalogue features: a {type(table).__name__}, not a table with columns ci, "
                             "mag_<band>, ... (an astropy Table or a pandas DataFrame)")
    cols = list(table.colnames)
    if bands is None:
        bands = bands_in(table)
    names: list[str] = []
    data: list[np.ndarray] = []

    def col(name: str) -> np.ndarray:
        c = table[name]
        return np.ma.filled(np.ma.asarray(c, dtype=float), np.nan).astype(float)

    for name in ["ci"] + sorted(c for c in cols if c.startswith("mci_")):
        if name in cols:
            names.append(name)
            data.append(col(name))
    mags = [f"mag_{b.lower()}" for b in bands]
    for m in mags:
        if m not in cols:
            raise StarclassError(f"catalogue features: column {m!r} is missing (bands {list(bands)})")
        names.append(m)
        data.append(col(m))
    for a, b in zip(mags[:-1], mags[1:]):
        names.append(f"{a[4:]}-{b[4:]}")
        data.append(col(a) - col(b))
    for name in ("fwhm", "bkg", "crowding"):
        if name in cols:
            names.append(name)
            data.append(col(name))
    if not data:
        raise StarclassError("catalogue features: the table has none of ci, mci_*, mag_<band>")
    return np.column_stack(data), names


class CatalogBoosting(_Baseline):
    """Histogram gradient boosting on catalogue features (NaN-tolerant).

    Parameters
    ----------
    bands : sequence of str or None
        Bands whose magnitudes and neighbouring colours are used (None: every ``mag_<band>``
        column of the training table, in table order).
    max_iter, learning_rate, max_leaf_nodes : int, float, int
        Passed to :class:`~sklearn.ensemble.HistGradientBoostingClassifier`.
    class_weight : "balanced" or None
        Class balancing.
    random_state : int or None
        Seed.

    Examples
    --------
    >>> import numpy as np
    >>> from astropy.table import Table
    >>> rng = np.random.default_rng(0)
    >>> y = np.repeat([1, 2], 30)
    >>> t = Table({"ci": np.where(y == 1, 1.6, 1.1) + rng.normal(0, 0.1, 60),
    ...            "mag_f555w": rng.uniform(20, 24, 60), "mag_f814w": rng.uniform(20, 24, 60)})
    >>> model = CatalogBoosting(max_iter=20).fit(t, y)
    >>> model.bands_, model.score(t, y) > 0.9
    (['f555w', 'f814w'], True)
    """

    def __init__(
        self,
        bands: Sequence[str] | None = None,
        max_iter: int = 300,
        learning_rate: float = 0.05,
        max_leaf_nodes: int = 31,
        class_weight: str | None = None,
        random_state: int | None = 0,
    ):
        self.bands = bands
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.class_weight = class_weight
        self.random_state = random_state

    def _matrix(self, table: Any, fit: bool) -> np.ndarray:
        if type(table).__name__ == "DataFrame":
            # what scikit-learn's model selection can split (an astropy Table it cannot)
            from astropy.table import Table

            table = Table.from_pandas(table)
        if isinstance(table, np.ndarray):
            if not fit and table.shape[1] != len(self.feature_names_):
                raise StarclassError(
                    f"CatalogBoosting: {table.shape[1]} feature columns, trained on {len(self.feature_names_)}"
                )
            if fit:
                self.feature_names_ = [f"f{i}" for i in range(table.shape[1])]
            return np.asarray(table, dtype=float)
        if fit:
            self.bands_ = bands_in(table) if self.bands is None else [str(b).lower() for b in self.bands]
            x, names = catalog_features(table, self.bands_)
            self.feature_names_ = names
            return x
        missing = [n for n in self.feature_names_ if "-" not in n and n not in table.colnames]
        if missing:
            raise StarclassError(f"CatalogBoosting: the table lacks {agreeing(len(missing), 'column')} {missing} "
                                 "used in training")
        # models saved before bands_ existed kept the bands in the parameter
        x, names = catalog_features(table, getattr(self, "bands_", self.bands))
        index = {n: i for i, n in enumerate(names)}
        return x[:, [index[n] for n in self.feature_names_]]

    def fit(self, table: Any, y: Any) -> CatalogBoosting:
        """Fit on an astropy Table, a pandas DataFrame or a feature matrix, and labels; returns ``self``."""
        x = self._matrix(table, fit=True)
        y = _labels(y, len(x), "CatalogBoosting.fit")
        self.model_ = HistGradientBoostingClassifier(
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes,
            class_weight=self.class_weight,
            random_state=self.random_state,
        )
        self.model_.fit(x, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, table: Any) -> np.ndarray:
        """Class probabilities ``[N, K]`` (columns: ``classes_``)."""
        self._fitted()
        return self.model_.predict_proba(self._matrix(table, fit=False))
