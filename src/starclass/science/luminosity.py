"""Luminosity functions and the bright-end check.

* :func:`luminosity_function`: counts per magnitude bin, and the power-law index alpha of
  dN/dL ~ L^alpha above a magnitude limit (equal-number bins, least squares, as the mass
  function; StarcNet section 6 compares such functions between human and machine samples).
* :func:`bright_end`: objects brighter than M_V = -10, the Humphreys-Davidson limit for single
  stars (PHANGS section 6.2): apart from foreground stars, they should all be clusters, so
  their classes are a completeness check.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from numpy.typing import ArrayLike

from starclass.bands import v_band
from starclass.errors import StarclassError
from starclass.schema import CLASS_REF, ID, X, Y, bands_in, class_array, mag_col
from starclass.science.colour import NO_DETECTION, vega_mag
from starclass.science.massfunc import fit_powerlaw_binned
from starclass.science.ssp import distance_modulus


def _valid_mag(table: Table, band: str) -> np.ndarray:
    # Vega, as the limits (M_V = -10, -7.8) are: an AB catalogue's V is put on Vega first
    return vega_mag(table, band)


def luminosity_function(mag: ArrayLike, *, mag_limit: float | None = None, bin_width: float = 0.5,
                        nbins_fit: int | None = None) -> dict:
    """Histogram of magnitudes and the index alpha of dN/dL ~ L^alpha for mag < mag_limit.

    Returns
    -------
    dict: ``hist`` (Table mag_lo, mag_hi, n), ``alpha``, ``alpha_err``, ``n_fit`` and ``note``
    (alpha None with the reason when there are too few objects).

    Examples
    --------
    Magnitudes drawn from dN/dL ~ L^-2 (L = 10^(-0.4 m)): the fit finds an index near -2:

    >>> rng = np.random.default_rng(0)
    >>> mag = -2.5 * np.log10(rng.random(200) ** -1.0) + 24.0
    >>> lf = luminosity_function(mag)
    >>> lf["n_fit"], round(lf["alpha"], 2), lf["hist"].colnames
    (200, -2.08, ['mag_lo', 'mag_hi', 'n'])
    >>> luminosity_function([20.0, 21.0])["note"]
    'luminosity function: 2 objects, too few for 3 bins of at least 3 (need 9)'
    """
    m = np.asarray(mag, float)
    m = m[np.isfinite(m) & (m < NO_DETECTION)]
    if m.size == 0:
        raise StarclassError("luminosity function: no valid magnitude")
    lo = np.floor(m.min() / bin_width) * bin_width
    hi = np.ceil(m.max() / bin_width) * bin_width + bin_width
    edges = np.arange(lo, hi + 1e-9, bin_width)
    n, _ = np.histogram(m, bins=edges)
    hist = Table({"mag_lo": edges[:-1], "mag_hi": edges[1:], "n": n})
    sel = m < mag_limit if mag_limit is not None else np.ones(m.size, bool)
    out = {"hist": hist, "alpha": None, "alpha_err": None, "n_fit": int(sel.sum()), "note": ""}
    try:
        f = fit_powerlaw_binned(10 ** (-0.4 * m[sel]), nbins=nbins_fit, what="luminosity function")
        out.update(alpha=f.index, alpha_err=f.index_err)
    except StarclassError as exc:
        out["note"] = str(exc)
    return out


def bright_end(table: Table, distance_mpc: float, *, band: str | None = None, limit: float = -10.0,
               class_col: str = CLASS_REF) -> tuple[Table, Table]:
    """Objects brighter than absolute magnitude ``limit`` in the V band, and their classes.

    Returns
    -------
    objects
        The rows brighter than the limit (id, x, y, mag, abs_mag, class).
    counts
        Class (0 = unclassified) and number of such objects.

    Examples
    --------
    At 10 Mpc (distance modulus 30) M_V < -10 means V < 20:

    >>> t = Table({"id": [1, 2, 3], "mag_f555w": [19.5, 20.5, 99.999], "class_ref": [1, 4, 2]})
    >>> objs, counts = bright_end(t, 10.0)
    >>> objs["id"].tolist(), objs["abs_mag"].round(2).tolist(), counts["n"].tolist()
    ([1], [-10.5], [0, 1, 0, 0, 0])
    """
    band = band or v_band(bands_in(table))
    m = _valid_mag(table, band)
    dm = distance_modulus(distance_mpc)
    cls = class_array(table, class_col, name="catalogue")
    with np.errstate(invalid="ignore"):
        sel = np.isfinite(m) & (m - dm < limit)
    objs = Table()
    for c in (ID, X, Y):
        if c in table.colnames:
            objs[c] = np.asarray(table[c])[sel]
    objs[mag_col(band)] = m[sel]
    objs["abs_mag"] = m[sel] - dm
    objs["class"] = cls[sel]
    objs["abs_mag"].format = objs[mag_col(band)].format = ".2f"
    ks = [0, 1, 2, 3, 4]
    counts = Table({"class": ks, "n": [int(np.sum(cls[sel] == k)) for k in ks]})
    counts.meta["limit_abs_mag"] = limit
    counts.meta["limit_app_mag"] = limit + dm
    counts.meta["band"] = band
    return objs, counts
