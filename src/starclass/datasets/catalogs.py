"""Small synthetic catalogues with known answers, for tests, docs and quick looks at the report.

:func:`fake_catalogs` makes a "truth" catalogue (positions, UBVI magnitudes along the SSP track,
age, mass, crowding, background, four classes) and a "prediction" of the same objects with
jittered positions, a chosen accuracy and probabilities consistent with the predicted class.
It is not a simulation of images (that is :mod:`starclass.simulate`).
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table

from starclass.bands import HST_BANDS
from starclass.schema import CLASS_PRED, CLASS_REF, ID, X, Y, mag_col, magerr_col, prob_col
from starclass.science.ssp import load_ssp


def fake_catalogs(n: int = 600, *, accuracy: float = 0.7, seed: int = 0, distance_mpc: float = 10.0,
                  shift_px: float = 0.5) -> tuple[Table, Table]:
    """(prediction, truth) catalogues of ``n`` objects.

    A fraction ``accuracy`` of predictions equal the truth; the rest are drawn mostly from the
    neighbouring class (1<->2, 3<->4), as human and machine confusions are. Probabilities put
    0.4-0.95 on the predicted class.

    Examples
    --------
    >>> pred, truth = fake_catalogs(200, seed=0)
    >>> len(pred), len(truth), float(np.mean(pred["class_pred"] == truth["class_ref"]))  # near accuracy=0.7
    (200, 200, 0.755)
    """
    rng = np.random.default_rng(seed)
    truth = Table()
    truth[ID] = np.arange(1, n + 1)
    truth[X] = rng.uniform(0, 2000, n)
    truth[Y] = rng.uniform(0, 2000, n)
    cls = rng.choice([1, 2, 3, 4], size=n, p=[0.16, 0.2, 0.2, 0.44])
    truth[CLASS_REF] = cls
    log_age = np.where(cls == 1, rng.uniform(7.0, 10.0, n), rng.uniform(6.0, 8.6, n))
    log_age = np.where(cls >= 3, rng.uniform(6.0, 7.0, n), log_age)
    # masses from dN/dM ~ M^-2 above 10^3.5
    mass = 10**3.5 / (1 - rng.uniform(0, 0.999, n))
    truth["age"] = 10**log_age
    truth["mass"] = mass
    ssp = load_ssp()
    dm = 5 * np.log10(distance_mpc * 1e6 / 10)
    for b in HST_BANDS:
        m = np.interp(log_age, ssp["log_age"], ssp[mag_col(b)]) - 2.5 * np.log10(mass / 1e6) + dm
        truth[mag_col(b)] = m + rng.normal(0, 0.05, n)
        truth[magerr_col(b)] = np.full(n, 0.05)
    truth["crowding"] = rng.poisson(2.0, n)
    truth["bkg"] = rng.lognormal(0, 0.5, n)

    pred = truth.copy()
    pred.remove_columns([CLASS_REF, "age", "mass"])
    pred[X] = truth[X] + rng.normal(0, shift_px / 2, n)
    pred[Y] = truth[Y] + rng.normal(0, shift_px / 2, n)
    right = rng.uniform(size=n) < accuracy
    neighbour = np.array([0, 2, 1, 4, 3])[cls]
    other = np.where(rng.uniform(size=n) < 0.7, neighbour, rng.choice([1, 2, 3, 4], size=n))
    other = np.where(other == cls, neighbour, other)
    p_cls = np.where(right, cls, other)
    pred[CLASS_PRED] = p_cls
    top = rng.uniform(0.4, 0.95, n)
    rest = rng.dirichlet(np.ones(3), n) * (1 - top)[:, None]
    probs = np.zeros((n, 4))
    for i in range(n):
        others = [k for k in range(4) if k != p_cls[i] - 1]
        probs[i, p_cls[i] - 1] = top[i]
        probs[i, others] = rest[i]
    for k in range(4):
        pred[prob_col(k + 1)] = probs[:, k]
    return pred, truth
