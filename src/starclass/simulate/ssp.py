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
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from starclass.bands import BANDS
from starclass.science.ssp import SSP_FILE, SUBSTITUTES, distance_modulus, load_ssp, ssp_abs_mag

__all__ = [
    "HD_LIMIT_MV", "RSG_ONSET_YR", "SSP_FILE", "SSP_COLUMN", "blackbody_colour", "cluster_mags",
    "distance_modulus", "draw_member_teff", "draw_star_teff", "mass_for_mag", "ssp_abs_mag", "ssp_table",
    "star_mags", "turnoff_teff",
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


def cluster_mags(bands: Sequence[str], age: ArrayLike, mass: ArrayLike, ebv: ArrayLike,
                 distance_mpc: float) -> dict[str, np.ndarray]:
    """Apparent Vega magnitudes per band of clusters (reddened, at the distance).

    Examples
    --------
    A 10 Myr, 10^4 Msun cluster at 10 Mpc (m - M = 30), without dust: the SSP's absolute
    magnitude plus 30:

    >>> m = cluster_mags(["f555w", "f814w"], 1e7, 1e4, 0.0, 10.0)
    >>> round(float(m["f555w"]), 3), round(float(ssp_abs_mag("f555w", 1e7, 1e4) + 30.0), 3)
    (20.986, 20.986)
    """
    mu = distance_modulus(distance_mpc)
    return {b: ssp_abs_mag(b, age, mass) + BANDS[b].a_over_ebv * np.asarray(ebv) + mu for b in bands}


def mass_for_mag(band: str, mag: float, age: ArrayLike, ebv: ArrayLike, distance_mpc: float) -> np.ndarray:
    """Mass (Msun) a cluster of ``age`` and ``ebv`` needs to have apparent ``mag`` in ``band``.

    Examples
    --------
    The inverse of :func:`cluster_mags`:

    >>> mass = mass_for_mag("f555w", 24.0, 1e7, 0.0, 10.0)
    >>> round(float(mass), 1), round(float(cluster_mags(["f555w"], 1e7, mass, 0.0, 10.0)["f555w"]), 6)
    (623.1, 24.0)
    """
    m1 = ssp_abs_mag(band, age, np.full(np.shape(age), 1e6)) + BANDS[band].a_over_ebv * np.asarray(ebv)
    m1 = m1 + distance_modulus(distance_mpc)
    return 1e6 * 10.0 ** (-0.4 * (mag - m1))


# ------------------------------------------------------------------------------------------
# single stars

_H_C_OVER_K = 1.438777e8  # h c / k in Angstrom K


def blackbody_colour(band: str, ref: str, teff: ArrayLike) -> np.ndarray:
    """Vega colour ``m_band - m_ref`` of a black body of temperature ``teff`` (K).

    Examples
    --------
    Hot stars are blue, cool ones red (Vega: a 10,000 K star has colour near 0):

    >>> blackbody_colour("f435w", "f555w", [4000, 10000, 30000]).round(2).tolist()
    [1.07, 0.11, -0.24]
    """
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

    Examples
    --------
    >>> draw_star_teff(np.random.default_rng(0), 3).round(0).tolist()
    [7202.0, 20658.0, 22868.0]
    >>> bool(np.all((draw_star_teff(np.random.default_rng(0), 100, young=False) >= 4000)))
    True
    """
    if not young:
        return rng.uniform(4000.0, 7000.0, n)
    kind = rng.choice(3, size=n, p=[0.6, 0.15, 0.25])
    hot = 10 ** rng.uniform(np.log10(9000), np.log10(25000), n)
    yellow = rng.uniform(5200.0, 8500.0, n)
    red = rng.uniform(3400.0, 4300.0, n)
    return np.choose(kind, [hot, yellow, red])


#: Age (yr) from which a stellar population holds red (and yellow) supergiants. In the packaged
#: Yggdrasil SSP (:mod:`starclass.science.ssp`) the integrated V-I (F555W-F814W) jumps from 0.27 at
#: 7.1 Myr to 0.62 at 7.9 Myr, when the first red supergiants appear (stars of about 25 Msun and
#: less leave the main sequence after about 7 Myr; Schaller et al. 1992, Z = 0.02 tracks); before it
#: the SSP's V-I stays between -0.19 and 0.21.
RSG_ONSET_YR = 7.0e6

#: Main-sequence turnoff against age: (age in yr, zero-age main-sequence T_eff in K of the most
#: massive star still burning hydrogen at that age), approximate values (to about 10 %) from the
#: Geneva Z = 0.02 tracks (Schaller et al. 1992): 120, 60, 40, 25, 15, 9, 5, 3 and 2 Msun live about
#: 2.6, 3.5, 4.6, 7, 12, 26, 95, 350 and 1100 Myr, at about 53, 47, 43, 37, 31, 24, 17, 12.5 and 9 kK.
_TURNOFF_AGE_YR = np.array([2.6e6, 3.5e6, 4.6e6, 7.0e6, 1.2e7, 2.6e7, 9.5e7, 3.5e8, 1.1e9])
_TURNOFF_TEFF = np.array([53000.0, 47000.0, 43000.0, 37000.0, 31000.0, 24000.0, 17000.0, 12500.0, 9000.0])


def turnoff_teff(age: ArrayLike) -> np.ndarray:
    """Zero-age main-sequence temperature (K) of a population's turnoff star at ``age`` (yr).

    Interpolated in log age and log temperature in :data:`_TURNOFF_TEFF` (approximate Geneva
    Z = 0.02 values); held at the ends of the table (53 000 K before 2.6 Myr, 9000 K after 1.1 Gyr).

    Examples
    --------
    >>> round(float(turnoff_teff(7e6))), bool(turnoff_teff(1e6) > turnoff_teff(1e8))
    (37000, True)
    """
    la = np.log10(np.asarray(age, dtype=float))
    return 10 ** np.interp(la, np.log10(_TURNOFF_AGE_YR), np.log10(_TURNOFF_TEFF))


def draw_member_teff(rng: np.random.Generator, n: int, age: float) -> np.ndarray:
    """Effective temperatures (K) of the luminous member stars of an association of ``age`` (yr).

    The age-aware counterpart of the association members drawn from :func:`draw_star_teff`
    (which makes about 10 % red supergiants at any age):

    * hot stars, the upper main sequence and blue supergiants: log-uniform between half the
      turnoff temperature (:func:`turnoff_teff`) and the turnoff temperature; the resolved members
      of an association are its most luminous stars, the most massive ones left at that age;
    * from :data:`RSG_ONSET_YR` on (and only then), yellow (5200-8500 K) and red (3400-4300 K)
      supergiants in the shares the age-blind draw gives association members (6 % and 10 %).

    Parameters
    ----------
    rng
        Random generator.
    n
        Number of stars.
    age
        Age of the association (yr).

    Returns
    -------
    numpy.ndarray
        ``n`` temperatures (K).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> bool(draw_member_teff(rng, 500, 3e6).min() > 20000.0)
    True
    >>> bool(draw_member_teff(rng, 500, 2e7).min() < 4300.0)
    True
    """
    hi = float(turnoff_teff(age))
    hot = 10 ** rng.uniform(np.log10(0.5 * hi), np.log10(hi), n)
    if age < RSG_ONSET_YR:
        return hot
    # the shares of the age-blind draw: 60 % of draw_star_teff's stars were made hot, so its
    # yellow (15 %) and red (25 %) supergiants are 6 % and 10 % of the members
    kind = rng.choice(3, size=n, p=[0.84, 0.06, 0.10])
    yellow = rng.uniform(5200.0, 8500.0, n)
    red = rng.uniform(3400.0, 4300.0, n)
    return np.choose(kind, [hot, yellow, red])


def star_mags(bands: Sequence[str], vband: str, mag_v: ArrayLike, teff: ArrayLike,
              ebv: ArrayLike) -> dict[str, np.ndarray]:
    """Apparent Vega magnitudes of stars with reddened ``mag_v`` in ``vband``.

    ``mag_v`` already includes the V-band extinction; other bands add the differential
    reddening ``(A_b - A_V)``.

    Examples
    --------
    The V band keeps its magnitude; the others add the black-body colour and the differential
    reddening:

    >>> m = star_mags(["f555w", "f814w"], "f555w", 22.0, 10000, 0.1)
    >>> float(m["f555w"]), round(float(m["f814w"]), 3)
    (22.0, 21.638)
    >>> ebv_term = 0.1 * (BANDS["f814w"].a_over_ebv - BANDS["f555w"].a_over_ebv)
    >>> round(float(22.0 + blackbody_colour("f814w", "f555w", 10000) + ebv_term), 3)
    21.638
    """
    out = {}
    ebv = np.asarray(ebv, dtype=float)
    for b in bands:
        colour = 0.0 if b == vband else blackbody_colour(b, vband, teff)
        out[b] = np.asarray(mag_v) + colour + (BANDS[b].a_over_ebv - BANDS[vband].a_over_ebv) * ebv
    return out
