"""The solar-metallicity SSP track (Yggdrasil, Zackrisson et al. 2011) packaged with starclass.

The table ``starclass/data/yggdrasil_Z0.020_kroupa_fcov1_inst_HST_AB.txt`` holds absolute AB
magnitudes of a 10^6 Msun single-age population (Kroupa IMF, nebular covering fraction 1,
instantaneous burst), one row per age and redshift; only redshift 0 is used.

AB -> Vega: ``m_Vega = m_AB - (m_AB - m_Vega)`` with the per-band offsets
``starclass.bands.BANDS[b].ab_minus_vega`` (from the STScI WFC3/UVIS and ACS zeropoint tables).
The model has no WFC3 F438W column; F438W (pivot 4325 A) is taken from the ACS F435W column
(pivot 4330 A) in AB, where the two filters nearly coincide, and converted to Vega with the
F438W offset. Bands of the model that starclass does not know (F390W, F475W, IR ...) are given
in AB only (``mag_ab_<band>``).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import astropy.units as u
import numpy as np
from astropy.table import Table

from starclass.bands import BANDS, ubvi_bands
from starclass.errors import StarclassError

#: Bands of the model used as stand-ins for bands it lacks (same pivot within 5 A).
SUBSTITUTES: dict[str, str] = {"f438w": "f435w"}


def _default_path() -> Path:
    return Path(str(resources.files("starclass") / "data" / "yggdrasil_Z0.020_kroupa_fcov1_inst_HST_AB.txt"))


@lru_cache(maxsize=4)
def _read(path: str) -> Table:
    p = Path(path)
    if not p.exists():
        raise StarclassError(f"SSP table not found: {p}")
    with open(p) as fh:
        header = fh.readline().split()
    try:
        data = np.loadtxt(p, skiprows=1)
    except ValueError as exc:
        raise StarclassError(f"SSP table {p}: cannot parse ({exc})") from None
    if data.ndim != 2 or data.shape[1] != len(header):
        raise StarclassError(f"SSP table {p}: {data.shape} values do not fit the {len(header)} header names")
    return Table(data, names=[h.lower() for h in header])


def load_ssp(path: str | Path | None = None, *, redshift: float = 0.0) -> Table:
    """Load the SSP model as a Table with ages and Vega and AB magnitudes per band.

    Parameters
    ----------
    path
        Model table (default: the copy packaged in ``starclass/data``).
    redshift
        Model redshift to keep (the table repeats every age for several redshifts).

    Returns
    -------
    Table with ``age`` [yr], ``log_age``, ``mstars`` [Msun] (10^6 Msun formed),
    ``mag_ab_<band>`` for every model band and ``mag_<band>`` (Vega) for the bands in
    :data:`starclass.bands.BANDS`, absolute magnitudes for 10^6 Msun. ``meta`` records the
    AB -> Vega offsets used.
    """
    raw = _read(str(path or _default_path()))
    sel = np.isclose(raw["redshift"], redshift)
    if not sel.any():
        raise StarclassError(f"SSP table has no rows at redshift {redshift}")
    raw = raw[sel]
    raw.sort("age(yr)")
    t = Table()
    t["age"] = raw["age(yr)"] * u.yr
    t["log_age"] = np.log10(raw["age(yr)"])
    t["mstars"] = raw["mstars"] * u.Msun
    model_bands = [c for c in raw.colnames if c.startswith("f")]
    for c in model_bands:
        band = c.replace("_ir", "")
        t[f"mag_ab_{band}"] = raw[c]
    offsets = {}
    for b, info in BANDS.items():
        src = b if b in model_bands else SUBSTITUTES.get(b)
        if src in model_bands:
            t[f"mag_{b}"] = raw[src] - info.ab_minus_vega
            offsets[b] = info.ab_minus_vega
    t.meta["ab_minus_vega"] = offsets
    t.meta["substitutes"] = dict(SUBSTITUTES)
    t.meta["source"] = "Yggdrasil (Zackrisson et al. 2011), Z=0.020, Kroupa IMF, fcov=1, instantaneous burst"
    return t


def ssp_track(bands: list[str] | tuple[str, ...], *, age_range: tuple[float, float] = (1e6, 1.4e10),
              path: str | Path | None = None) -> Table:
    """U-B and V-I (Vega) of the SSP along its ages, for the U, B, V, I roles of ``bands``.

    The PHANGS paper draws the track from 1 Myr to 10 Gyr; ``age_range`` limits it.
    """
    roles = ubvi_bands(list(bands))
    missing = [r for r, b in roles.items() if b is None]
    if missing:
        raise StarclassError(f"no band for role(s) {missing} among {list(bands)}: cannot draw the SSP track")
    ssp = load_ssp(path)
    for r, b in roles.items():
        if f"mag_{b}" not in ssp.colnames:
            raise StarclassError(f"the SSP model has no magnitude for band {b} (role {r.upper()})")
    sel = (ssp["age"].value >= age_range[0]) & (ssp["age"].value <= age_range[1])
    s = ssp[sel]
    out = Table()
    out["age"] = s["age"]
    out["log_age"] = s["log_age"]
    out["u_b"] = s[f"mag_{roles['u']}"] - s[f"mag_{roles['b']}"]
    out["v_i"] = s[f"mag_{roles['v']}"] - s[f"mag_{roles['i']}"]
    out["mag_v"] = s[f"mag_{roles['v']}"]
    out.meta["bands"] = roles
    return out
