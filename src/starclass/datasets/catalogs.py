"""Small synthetic catalogues with known answers, for tests, docs and quick looks at the report.

:func:`fake_catalogs` makes a "truth" catalogue (positions, UBVI magnitudes along the SSP track,
age, mass, crowding, background, four classes) and a "prediction" of the same objects with
jittered positions, a chosen accuracy and probabilities consistent with the predicted class.
It is not a simulation of images (that is :mod:`starclass.simulate`).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from astropy.table import Table

from starclass.bands import HST_BANDS
from starclass.schema import CLASS_PRED, CLASS_REF, ID, MASS_KIND, X, Y, mag_col, magerr_col, prob_col
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
    # the magnitudes scale the table's 10^6 Msun formed: the masses are the mass formed
    truth.meta[MASS_KIND] = "formed"
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


#: The fields :func:`write_fake_legus_folder` writes, as LEGUS names their files (camera, field):
#: three galaxies, so that leaving one out leaves two to learn from, at the distances
#: :data:`starclass.science.many.FIELD_DISTANCES_MPC` gives them (3.44, 8.3 and 9.9 Mpc).
FAKE_LEGUS_FIELDS: tuple[str, ...] = ("acs-wfc3_ngc7793-w", "wfc3_ngc1433", "acs-wfc3_ngc628-c")


def write_fake_legus_folder(folder: str | os.PathLike, *, n: int = 200, seed: int = 0,
                            overwrite: bool = False) -> Path:
    """Write a folder of three small synthetic LEGUS ``.tab`` catalogues, for the many-field tools.

    Each file is in the standard 34-column layout of the LEGUS archive (id, 1-based x and y, RA,
    Dec, five magnitudes and errors, CI, the SED fit's age, mass and E(B-V) with their ranges,
    quality columns, the number of filters, the human class), named as the archive names its files,
    so :func:`starclass.science.many.load_fields`, ``starclass report --catalogs`` and
    :func:`starclass.io.catalog.read_catalog` read it as they read the real ones. The objects are
    :func:`fake_catalogs`' truth at the field's distance (magnitudes along the SSP track, masses
    drawn from dN/dM ~ M^-2): a known mass-function slope of -2. The mass column is the stars'
    mass at the age (the mass formed times the SSP table's Mstars / Mconverted), as LEGUS's
    are. A tenth of the rows are not
    inspected (class 0); clusters (classes 1, 2) have CI near 1.8, the rest near 1.4, so a CI
    rule separates them. No real LEGUS file is needed.

    Parameters
    ----------
    folder : path-like
        The folder to write (made; an existing one that is not empty is refused unless
        ``overwrite``, and one holding anything but ``.tab`` files even then).
    n : int
        Rows per field (>= 10).
    seed : int
        Seed of the first field; the others use ``seed + 1``, ``seed + 2``.
    overwrite : bool
        Replace the folder's catalogues as a whole.

    Returns
    -------
    pathlib.Path
        ``folder``, holding one ``hlsp_legus_hst_<camera>_<field>_multiband_v1_padagb-mwext-avgapcor.tab``
        per field of :data:`FAKE_LEGUS_FIELDS`. Written beside it and moved into place whole.

    Raises
    ------
    StarclassError
        ``n`` below 10; ``folder`` not empty without ``overwrite``, or holding other files.

    Examples
    --------
    >>> import tempfile
    >>> from starclass.science.many import load_fields
    >>> folder = write_fake_legus_folder(Path(tempfile.mkdtemp()) / "legus", n=100)
    >>> sorted(p.name for p in folder.iterdir())[0]
    'hlsp_legus_hst_acs-wfc3_ngc628-c_multiband_v1_padagb-mwext-avgapcor.tab'
    >>> fields, skipped = load_fields(folder, min_inspected=50)
    >>> list(fields), [fields[f].meta["distance_mpc"] for f in fields], len(skipped)
    (['ngc7793-w', 'ngc1433', 'ngc628-c'], [3.44, 8.3, 9.9], 0)
    """
    from starclass.errors import StarclassError
    from starclass.io.atomic import atomic_dir
    from starclass.science.many import FIELD_DISTANCES_MPC, galaxy_of

    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 10:
        raise StarclassError(f"write_fake_legus_folder: n must be a whole number >= 10 (rows per field), not {n!r}")
    out = Path(folder)
    ssp = load_ssp()
    with atomic_dir(out, overwrite=overwrite, own=("*.tab",)) as tmp:
        for k, part in enumerate(FAKE_LEGUS_FIELDS):
            field = part.split("_", 1)[1]
            _, truth = fake_catalogs(int(n), seed=seed + k, distance_mpc=FIELD_DISTANCES_MPC[galaxy_of(field)])
            rng = np.random.default_rng(seed + 100 + k)
            cls = np.where(rng.uniform(size=n) < 0.1, 0, np.asarray(truth[CLASS_REF]))
            ci = np.where(np.isin(cls, (1, 2)), 1.8, 1.4) + rng.normal(0, 0.05, n)
            age, mass = np.asarray(truth["age"]), np.asarray(truth["mass"])
            # LEGUS's SED fits give the stars' mass at the age (io.legus reads them as stellar): the mass formed
            # times the table's Mstars / Mconverted, as a real file's mass column
            mass = mass * np.interp(np.log10(age), ssp["log_age"], ssp["mstars"] / ssp["mconverted"])
            columns = [np.asarray(truth[ID]), np.asarray(truth[X]) + 1, np.asarray(truth[Y]) + 1,  # 1-based
                       10.0 + 1e-5 * np.asarray(truth[X]), -30.0 + 1e-5 * np.asarray(truth[Y])]
            for b in HST_BANDS:  # blue to red, as the five LEGUS filters of every field
                columns += [np.asarray(truth[mag_col(b)]), np.asarray(truth[magerr_col(b)])]
            columns += [ci, age, age * 1.2, age / 1.2, mass, mass * 1.2, mass / 1.2]
            columns += [np.full(n, 0.1)] * 3 + [np.zeros(n)] * 7 + [np.full(n, 5), cls]  # E(B-V), quality, filters
            rows = np.column_stack(columns)
            text = "\n".join(" ".join(f"{v:.6g}" for v in row) for row in rows) + "\n"
            (tmp / f"hlsp_legus_hst_{part}_multiband_v1_padagb-mwext-avgapcor.tab").write_text(text)
    return out
