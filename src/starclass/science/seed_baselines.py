"""The seed papers' non-CNN baselines: central density and C_SB for cool cores; concentration
and colour rules for open versus globular clusters.

Cool cores (Su et al. 2020, their section on conventional methods):

* **central density** ``n_e(< 0.012 R500)``: CC above 0.015 cm^-3, WCC 0.005-0.015, NCC below
  0.005 (Barnes et al. 2018; Hudson et al. 2010) - :func:`density_classes`;
* **surface-brightness concentration** ``C_SB = S(< 40 kpc) / S(< 400 kpc)`` (Santos et al.
  2008): CC above 0.155, WCC 0.075-0.155, NCC below 0.075 - :func:`csb_classes`; and the paper's
  second reading, images sorted by decreasing C_SB and cut in the sample's class fractions -
  :func:`rank_classes`.

Open versus globular clusters (no baseline in seed 003; the issue asks for "simple concentration
and colour rules"): :func:`plate_features` measures on an RGB cutout the light concentration
(background-subtracted light within 1/8 of the side over that within 1/2) and the central
colour (red minus blue of the central light); :class:`ConcentrationColourRule` is a depth-2
decision tree on those two numbers, i.e. at most two thresholds, fitted on the training set.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from starclass import quiet_import
from starclass.errors import StarclassError

__all__ = ["CSB_THRESHOLDS", "DENSITY_THRESHOLDS", "ConcentrationColourRule", "csb_classes", "density_classes",
           "plate_features", "rank_classes"]

#: (CC above, NCC below) in cm^-3.
DENSITY_THRESHOLDS = (0.015, 0.005)
#: (CC above, NCC below).
CSB_THRESHOLDS = (0.155, 0.075)


def _three(values, hi: float, lo: float) -> np.ndarray:
    v = np.asarray(values, float)
    if not np.all(np.isfinite(v)):
        raise StarclassError("baseline: values must be finite")
    return np.where(v > hi, 1, np.where(v < lo, 3, 2))


def density_classes(ne_center: Sequence[float], thresholds: tuple[float, float] = DENSITY_THRESHOLDS) -> np.ndarray:
    """Cool-core classes (1 CC, 2 WCC, 3 NCC) from the central electron density.

    Examples
    --------
    >>> density_classes([0.03, 0.01, 0.002]).tolist()
    [1, 2, 3]
    """
    return _three(ne_center, *thresholds)


def csb_classes(csb: Sequence[float], thresholds: tuple[float, float] = CSB_THRESHOLDS) -> np.ndarray:
    """Cool-core classes (1 CC, 2 WCC, 3 NCC) from the surface-brightness concentration.

    Examples
    --------
    >>> csb_classes([0.2, 0.1, 0.05]).tolist()
    [1, 2, 3]
    """
    return _three(csb, *thresholds)


def rank_classes(values: Sequence[float], fractions: Sequence[float]) -> np.ndarray:
    """Classes 1..K by decreasing ``values``, cut in the given class fractions (the paper's C_SB ranking).

    Examples
    --------
    >>> rank_classes([0.3, 0.01, 0.1, 0.2], [0.25, 0.5, 0.25]).tolist()
    [1, 3, 2, 2]
    """
    v = np.asarray(values, float)
    f = np.asarray(fractions, float)
    if f.ndim != 1 or np.any(f < 0) or f.sum() <= 0:
        raise StarclassError(f"rank_classes: fractions {list(fractions)} must be non-negative and sum above 0")
    edges = np.round(np.cumsum(f / f.sum()) * len(v)).astype(int)
    order = np.argsort(-v, kind="stable")
    out = np.empty(len(v), int)
    start = 0
    for k, end in enumerate(edges, start=1):
        out[order[start:end]] = k
        start = end
    return out


def plate_features(images: np.ndarray) -> np.ndarray:
    """Concentration and central colour of RGB cutouts ``[N, H, W, 3]`` (or ``[N, 3, H, W]``).

    Returns ``[N, 2]``: light within a radius of 1/8 of the side over light within 1/2 (after
    subtracting the median, the sky), and the mean of red minus blue within 1/8 of the side,
    relative to the whole cutout's.

    Examples
    --------
    >>> img = np.zeros((1, 32, 32, 3)); img[0, 14:18, 14:18] = 255
    >>> plate_features(img)[0, 0]
    np.float64(1.0)
    """
    x = np.asarray(images, float)
    if x.ndim != 4:
        raise StarclassError(f"plate_features needs [N, H, W, 3] or [N, 3, H, W] images, got shape {x.shape}")
    if x.shape[1] == 3 and x.shape[-1] != 3:
        x = np.moveaxis(x, 1, -1)
    n, h, w, _ = x.shape
    grey = x.mean(axis=-1)
    yy, xx = np.indices((h, w))
    r = np.hypot(xx - (w - 1) / 2, yy - (h - 1) / 2)
    inner, outer = r < h / 8, r < h / 2
    net = np.clip(grey - np.median(grey.reshape(n, -1), axis=1)[:, None, None], 0, None)
    conc = net[:, inner].sum(axis=1) / np.maximum(net[:, outer].sum(axis=1), 1e-9)
    rb = x[..., 0] - x[..., 2]
    colour = rb[:, inner].mean(axis=1) - rb.reshape(n, -1).mean(axis=1)
    return np.stack([conc, colour], axis=1)


class ConcentrationColourRule:
    """At most two thresholds on (concentration, colour): a depth-2 decision tree.

    Examples
    --------
    >>> f = np.array([[0.9, 5.0], [0.8, 4.0], [0.1, 0.0], [0.2, -1.0]])
    >>> ConcentrationColourRule().fit(f, [2, 2, 1, 1]).predict(f).tolist()
    [2, 2, 1, 1]
    """

    def __init__(self, max_depth: int = 2) -> None:
        self.max_depth = max_depth

    def fit(self, features: np.ndarray, labels: Sequence[int]) -> ConcentrationColourRule:
        """Fit the thresholds on training features ``[N, 2]`` and labels."""
        with quiet_import():
            from sklearn.tree import DecisionTreeClassifier

        self.tree_ = DecisionTreeClassifier(max_depth=self.max_depth, random_state=0)
        self.tree_.fit(np.asarray(features, float), np.asarray(labels, int))
        return self

    def predict(self, features: np.ndarray) -> np.ndarray:
        """Classes of features ``[N, 2]``."""
        return self.tree_.predict(np.asarray(features, float))

    def describe(self) -> str:
        """The fitted rule as text (feature names: concentration, colour)."""
        with quiet_import():
            from sklearn.tree import export_text

        return export_text(self.tree_, feature_names=["concentration", "colour"])
