"""Magnitudes and colours of simulated objects: SSP models for clusters, a simple stellar model.

Clusters take their magnitudes from the Yggdrasil simple-stellar-population table shipped in
``starclass/data`` (Zackrisson et al. 2011; Z = 0.020, Kroupa IMF, nebular covering fraction 1,
instantaneous burst). The table gives absolute AB magnitudes of a 10^6 Msun population at each
age; a cluster of mass M is ``M_AB(age) - 2.5 log10(M / 1e6)``. Vega magnitudes subtract the
band's AB - Vega offset (:data:`starclass.bands.BANDS`), reddening adds
``A_b = (A_b/E(B-V)) * E(B-V)`` (Cardelli et al. 1989, R_V = 3.1), and the distance modulus
``5 log10(d / 10 pc)`` turns absolute into apparent magnitudes.

Bands the table lacks are mapped to the nearest HST filter it has: F438W -> F435W, ground g ->
F475W, ground i -> F775W (good to a few hundredths of a magnitude in colour, enough here).

Single stars (class 4.1-4.3 and the field population) use black-body colours at the band pivot
wavelengths for an effective temperature drawn from a mix of hot main-sequence / blue
supergiant, yellow and red supergiant stars. Black bodies lack the Balmer jump and line
blanketing; the colours are right to ~0.2 mag, which is all the realism this needs. No single
star is brighter than M_V = -10 (Humphreys-Davidson limit), except foreground Milky Way stars.
"""

from __future__ import annotations

import functools
from importlib import resources

import numpy as np

from starclass.bands import BANDS, band_info
from starclass.errors import StarclassError

SSP_FILE = "yggdrasil_Z0.020_kroupa_fcov1_inst_HST_AB.txt"

#: starclass band -> column of the Yggdrasil table used for it.
SSP_COLUMN = {
    "f225w": "F225W", "f275w": "F275W", "f336w": "F336W", "f435w": "F435W", "f438w": "F435W",
    "f555w": "F555W", "f606w": "F606W", "f814w": "F814W", "g": "F475W", "i": "F775W",
}

#: Brightest absolute V magnitude a single (non-foreground) star may have.
HD_LIMIT_MV = -10.0


@functools.lru_cache(maxsize=1)
def ssp_table() -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Ages (yr) and absolute AB magnitudes per Yggdrasil column for 10^6 Msun.

    Returns
    -------
    (ages, mags)
        ``ages`` sorted increasing; ``mags[column]`` aligned with it. Only redshift-0 rows.
    """
    text = resources.files("starclass.data").joinpath(SSP_FILE).read_text()
    lines = [ln for ln in text.splitlines() if ln.strip()]
    header = lines[0].split()
    rows = np.array([[float(v) for v in ln.split()] for ln in lines[1:]])
    rows = rows[rows[:, 0] == 0.0]
    order = np.argsort(rows[:, 1])
    rows = rows[order]
    ages = rows[:, 1]
    mags = {name: rows[:, i] for i, name in enumerate(header) if i >= 4}
    return ages, mags


def distance_modulus(distance_mpc: float) -> float:
    """``5 log10(d / 10 pc)`` for a distance in Mpc."""
    if not distance_mpc > 0:
        raise StarclassError(f"distance_mpc must be positive, got {distance_mpc}")
    return float(5.0 * np.log10(distance_mpc * 1e6 / 10.0))


def _column(band: str) -> str:
    b = band.lower()
    if b not in SSP_COLUMN:
        raise StarclassError(f"band {band!r} has no SSP model column (known: {', '.join(SSP_COLUMN)})")
    return SSP_COLUMN[b]


def ssp_abs_mag(band: str, age: np.ndarray, mass: np.ndarray) -> np.ndarray:
    """Absolute Vega magnitude of clusters of ``age`` (yr) and ``mass`` (Msun), unreddened.

    Interpolates the table linearly in log(age) (ages outside the table are clipped).
    """
    ages, mags = ssp_table()
    col = mags[_column(band)]
    la = np.log10(np.clip(np.asarray(age, dtype=float), ages[0], ages[-1]))
    m6 = np.interp(la, np.log10(ages), col)
    return m6 - 2.5 * np.log10(np.asarray(mass, dtype=float) / 1e6) - band_info(band).ab_minus_vega


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
