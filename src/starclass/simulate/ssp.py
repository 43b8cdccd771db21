"""Magnitudes and colours of simulated objects: SSP models for clusters, a simple stellar model.

Clusters take their magnitudes from the Yggdrasil simple-stellar-population model shipped in
``starclass/data`` (Zackrisson et al. 2011; Z = 0.020, Kroupa IMF, nebular covering fraction 1,
instantaneous burst), read by the one SSP reader, :mod:`starclass.science.ssp` (which also
documents the band substitutions: F438W -> F435W, ground g -> F475W, ground i -> F775W).
The model gives absolute AB magnitudes of a 10^6 Msun population at each age; a cluster of
mass M is ``M_AB(age) - 2.5 log10(M / 1e6)``. Vega magnitudes subtract the band's AB - Vega
offset (:data:`starclass.bands.BANDS`), reddening adds ``A_b = (A_b/E(B-V)) * E(B-V)``
(Cardelli et al. 1989, R_V = 3.1), and the distance modulus ``5 log10(d / 10 pc)``
(:func:`starclass.science.ssp.distance_modulus`) turns absolute into apparent magnitudes.

Single stars (class 4.1-4.3 and the field population) use black-body colours at the band pivot
wavelengths for an effective temperature drawn from a mix of hot main-sequence / blue
supergiant, yellow and red supergiant stars. Black bodies lack the Balmer jump and line
blanketing; the colours are right to ~0.2 mag, which is all the realism this needs. No single
star is brighter than M_V = -10 (Humphreys-Davidson limit), except foreground Milky Way stars.
"""

from __future__ import annotations

import warnings

import numpy as np

from starclass.bands import BANDS
from starclass.science.ssp import SSP_FILE, SUBSTITUTES, distance_modulus, load_ssp, ssp_abs_mag

__all__ = [
    "HD_LIMIT_MV", "SSP_FILE", "SSP_COLUMN", "blackbody_colour", "cluster_mags", "distance_modulus",
    "draw_star_teff", "mass_for_mag", "ssp_abs_mag", "ssp_table", "star_mags",
]

#: starclass band -> model column used for it (kept for old imports; the substitutions live
#: in :data:`starclass.science.ssp.SUBSTITUTES`).
SSP_COLUMN: dict[str, str] = {b: SUBSTITUTES.get(b, b).upper() for b in BANDS}

#: Brightest absolute V magnitude a single (non-foreground) star may have.
HD_LIMIT_MV = -10.0


def ssp_table() -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Ages (yr) and absolute AB magnitudes per model column for 10^6 Msun (deprecated).

    Deprecated: use :func:`starclass.science.ssp.load_ssp`, the one reader of the model.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     ages, mags = ssp_table()
    >>> bool(ages[0] < ages[-1]), "F555W" in mags
    (True, True)
    """
    warnings.warn("starclass.simulate.ssp.ssp_table is deprecated; use starclass.science.ssp.load_ssp",
                  DeprecationWarning, stacklevel=2)
    t = load_ssp()
    mags = {c[len("mag_ab_"):].upper(): np.asarray(t[c], dtype=float) for c in t.colnames if c.startswith("mag_ab_")}
    return np.asarray(t["age"].value, dtype=float), mags


def cluster_mags(bands, age, mass, ebv, distance_mpc) -> dict[str, np.ndarray]:
    """Apparent Vega magnitudes per band of clusters (reddened, at the distance)."""
    mu = distance_modulus(distance_mpc)
    return {b: ssp_abs_mag(b, age, mass) + BANDS[b].a_over_ebv * np.asarray(ebv) + mu for b in bands}


def mass_for_mag(band: str, mag: float, age, ebv, distance_mpc: float) -> np.ndarray:
    """Mass (Msun) a cluster of ``age`` and ``ebv`` needs to have apparent ``mag`` in ``band``."""
    m1 = ssp_abs_mag(band, age, np.full(np.shape(age), 1e6)) + BANDS[band].a_over_ebv * np.asarray(ebv)
    m1 = m1 + distance_modulus(distance_mpc)
    return 1e6 * 10.0 ** (-0.4 * (mag - m1))


# ------------------------------------------------------------------------------------------
# single stars

_H_C_OVER_K = 1.438777e8  # h c / k in Angstrom K


def blackbody_colour(band: str, ref: str, teff) -> np.ndarray:
    """Vega colour ``m_band - m_ref`` of a black body of temperature ``teff`` (K)."""
    t = np.asarray(teff, dtype=float)

    def fnu(lam):
        # F_nu of a black body ~ nu^3 / (exp(h nu / k T) - 1); constant factors cancel.
        x = _H_C_OVER_K / (lam * t)
        return lam ** -3.0 / np.expm1(np.minimum(x, 700.0))

    lb, lr = BANDS[band].photplam, BANDS[ref].photplam
    ab = -2.5 * np.log10(fnu(lb) / fnu(lr))
    return ab - (BANDS[band].ab_minus_vega - BANDS[ref].ab_minus_vega)


def draw_star_teff(rng: np.random.Generator, n: int, young: bool = True) -> np.ndarray:
    """Effective temperatures of luminous stars: hot (60%), yellow (15%), red (25%) supergiants.

    ``young=False`` draws cooler, foreground-like dwarfs (4000-7000 K).
    """
    if not young:
        return rng.uniform(4000.0, 7000.0, n)
    kind = rng.choice(3, size=n, p=[0.6, 0.15, 0.25])
    hot = 10 ** rng.uniform(np.log10(9000), np.log10(25000), n)
    yellow = rng.uniform(5200.0, 8500.0, n)
    red = rng.uniform(3400.0, 4300.0, n)
    return np.choose(kind, [hot, yellow, red])


def star_mags(bands, vband: str, mag_v, teff, ebv) -> dict[str, np.ndarray]:
    """Apparent Vega magnitudes of stars with reddened ``mag_v`` in ``vband``.

    ``mag_v`` already includes the V-band extinction; other bands add the differential
    reddening ``(A_b - A_V)``.
    """
    out = {}
    ebv = np.asarray(ebv, dtype=float)
    for b in bands:
        colour = 0.0 if b == vband else blackbody_colour(b, vband, teff)
        out[b] = np.asarray(mag_v) + colour + (BANDS[b].a_over_ebv - BANDS[vband].a_over_ebv) * ebv
    return out
