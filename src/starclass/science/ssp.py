"""The solar-metallicity SSP track (Yggdrasil, Zackrisson et al. 2011) packaged with starclass.

This is the one reader of the model: the simulator (:mod:`starclass.simulate.ssp`) and the
science checks both take their cluster magnitudes from here.

The table ``starclass/data/yggdrasil_Z0.020_kroupa_fcov1_inst_HST_AB.txt`` holds absolute AB
magnitudes of a 10^6 Msun single-age population (Kroupa IMF, nebular covering fraction 1,
instantaneous burst), one row per age and redshift; only redshift 0 is used.

AB -> Vega: ``m_Vega = m_AB - (m_AB - m_Vega)`` with the per-band offsets of
:func:`starclass.bands.ab_minus_vega` (from the STScI WFC3/UVIS and ACS zeropoint tables): of the
camera that took the catalogue the model is set beside, where it names it (``cameras``, a
catalogue's ``meta['cameras']`` as ``detect`` writes it), so that the model and the catalogue are on
one Vega system; else the filter-only values ``BANDS[b].ab_minus_vega``, of the camera
``BANDS[b].camera`` names. The two differ by up to 0.024 mag (F555W: ACS/WFC -0.006, WFC3/UVIS
-0.03, :data:`starclass.bands.CAMERA_AB_MINUS_VEGA`).

Band substitutions (:data:`SUBSTITUTES`): a band the model lacks takes the AB magnitude of the
model filter nearest in pivot wavelength, and is then put on the Vega system with *its own*
offset. WFC3 F438W (pivot 4325 A) takes ACS F435W (4330 A), where the two filters nearly
coincide; the ground-based Sloan-like g (4750 A) takes ACS F475W (4747 A) and i (7630 A) takes
ACS F775W (7693 A), filters designed to match SDSS g and i. The colours are good to a few
hundredths of a magnitude, enough for simulation and for drawing tracks. (Before this reader
was shared, the science checks knew only the F438W substitution and had no g or i magnitudes;
the simulator already used all three, so simulated fields are unchanged.) Bands of the model
that starclass does not know (F390W, IR ...) are given in AB only (``mag_ab_<band>``); F475W, F625W,
F775W and F850LP are known bands since 2026-12-05, with Vega columns of their own.

The distance modulus ``5 log10(d / 10 pc)`` (:func:`distance_modulus`) turns these absolute
magnitudes into apparent ones.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path

import astropy.units as u
import numpy as np
from astropy.table import Table
from numpy.typing import ArrayLike

from starclass.bands import BANDS, ab_minus_vega, band_camera, role_hint, ubvi_bands
from starclass.errors import StarclassError, agreeing
from starclass.io.ssp_table import SSP_HEADER_COLUMNS
from starclass.schema import mag_col

#: File name of the packaged model in ``starclass/data``.
SSP_FILE = "yggdrasil_Z0.020_kroupa_fcov1_inst_HST_AB.txt"

#: starclass band -> model filter that stands in for it (nearest pivot; see the module notes).
SUBSTITUTES: dict[str, str] = {"f438w": "f435w", "g": "f475w", "i": "f775w"}


#: Columns every SSP table must have (lower case, as read from its header line).
REQUIRED_COLUMNS: tuple[str, ...] = SSP_HEADER_COLUMNS

#: A Yggdrasil file name: ``yggdrasil_Z0.020_kroupa_fcov1_inst_HST_AB.txt`` (metallicity, IMF,
#: nebular covering fraction, star-formation history, filter set, magnitude system).
_YGGDRASIL_NAME = re.compile(r"yggdrasil_Z(?P<z>[0-9.]+)_(?P<imf>[A-Za-z]+)_fcov(?P<fcov>[0-9.]+)_"
                             r"(?P<sfh>[A-Za-z0-9.]+)_.*?(?:_(?P<sys>AB|Vega))?$", re.IGNORECASE)
_SFH = {"inst": "instantaneous burst"}


def _default_path() -> Path:
    return Path(str(resources.files("starclass") / "data" / SSP_FILE))


def _stat(p: Path):
    if not p.exists():
        raise StarclassError(f"SSP table not found: {p}")
    if not p.is_file():
        raise StarclassError(f"SSP table {p} is not a file (a folder?): give the model's text file")
    return p.stat()


def _read(path: str) -> Table:
    p = Path(path)
    st = _stat(p)
    # keyed on the file's time and size: a table edited (or replaced) in a session is read again
    return _read_cached(str(p), st.st_mtime_ns, st.st_size).copy()


@lru_cache(maxsize=4)
def _read_cached(path: str, mtime_ns: int, size: int) -> Table:
    p = Path(path)
    try:
        with open(p) as fh:
            header = fh.readline().split()
    except (OSError, UnicodeDecodeError) as exc:
        # a binary file (a FITS table, a model given by mistake) stopped with a UnicodeDecodeError traceback
        raise StarclassError(f"SSP table {p}: cannot read it as text ({exc}); give the model's text file") from None
    names = [h.lower() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise StarclassError(f"SSP table {p}: no column {', '.join(repr(c) for c in missing)} in its header line "
                             f"(it names {', '.join(header) or 'nothing'}); the header of a Yggdrasil table starts "
                             "'Redshift Age(yr) Mstars Mconverted', then one column per filter, separated by blanks")
    try:
        data = np.loadtxt(p, skiprows=1, ndmin=2)
    except (ValueError, UnicodeDecodeError) as exc:
        raise StarclassError(f"SSP table {p}: cannot parse ({exc})") from None
    if data.shape[1] != len(header):
        raise StarclassError(f"SSP table {p}: {data.shape} values do not fit the {len(header)} header names")
    return Table(data, names=names)


def describe_ssp(path: str | Path | None = None) -> dict:
    """What an SSP table's name says of it: source, metallicity, IMF, covering fraction, system.

    The packaged table is the Yggdrasil Z = 0.020 one. Another file is described by its
    Yggdrasil name (``yggdrasil_Z<Z>_<imf>_fcov<f>_<sfh>_<filters>_<AB|Vega>.txt``) where it has
    one; otherwise only by its path: nothing is claimed that the name does not say.

    Examples
    --------
    >>> d = describe_ssp("yggdrasil_Z0.004_kroupa_fcov0.5_inst_HST_Vega.txt")
    >>> d["metallicity"], d["magsys"], d["source"]
    (0.004, 'vega', 'Yggdrasil (Zackrisson et al. 2011), Z=0.004, Kroupa IMF, fcov=0.5, instantaneous burst')
    >>> describe_ssp("my_model.txt")["metallicity"] is None
    True
    """
    p = Path(path) if path is not None else _default_path()
    m = _YGGDRASIL_NAME.match(p.stem)
    if m is None:
        return {"source": f"SSP table {p.name}", "metallicity": None, "magsys": None, "file": str(p)}
    imf = "Kroupa" if m["imf"].lower() == "kroupa" else m["imf"]
    src = (f"Yggdrasil (Zackrisson et al. 2011), Z={m['z']}, {imf} IMF, fcov={m['fcov']}, "
           f"{_SFH.get(m['sfh'].lower(), m['sfh'])}")
    return {"source": src, "metallicity": float(m["z"]), "magsys": m["sys"].lower() if m["sys"] else None,
            "file": str(p)}


def load_ssp(path: str | Path | None = None, *, redshift: float = 0.0, magsys: str | None = None,
             cameras: Mapping[str, str] | None = None) -> Table:
    """Load the SSP model as a Table with ages and Vega and AB magnitudes per band.

    Parameters
    ----------
    path
        Model table (default: the copy packaged in ``starclass/data``).
    redshift
        Model redshift to keep (the table repeats every age for several redshifts).
    magsys
        System of the table's magnitudes, ``"ab"`` or ``"vega"``. By default the file name's
        ``_AB`` / ``_Vega`` (as Yggdrasil names its files), else AB (the packaged table's).
    cameras
        Band -> camera (``"acs/wfc"``, ``"wfc3/uvis"``) of the catalogue the model is compared
        with (its ``meta['cameras']``): those bands' Vega magnitudes take that camera's AB - Vega
        offset (:func:`starclass.bands.ab_minus_vega`); the others the filter-only one.

    Returns
    -------
    Table with ``age`` [yr], ``log_age``, ``mstars`` [Msun] (the mass left in stars at the age of the
    mass formed: 0.899 x 10^6 at 10 Myr in the packaged table), ``mconverted``
    [Msun] (the mass formed, which the magnitudes are for; where the table has the column),
    ``mag_ab_<band>`` for every model band (of a Vega table: those with a known offset) and
    ``mag_<band>`` (Vega) for the bands in :data:`starclass.bands.BANDS`, absolute magnitudes
    for 10^6 Msun. ``meta`` records the AB -> Vega offsets used (``ab_minus_vega``), the cameras
    they are of (``cameras``, those given), the bands left without a Vega column because their
    camera's offset is not known and why (``vega_refused``: WFC3/UVIS F850LP), the table's system
    (``magsys``), ``source`` and ``metallicity`` (what the file's name says; None if nothing).

    Examples
    --------
    >>> ssp = load_ssp()
    >>> len(ssp), ssp.colnames[:3], "mag_f555w" in ssp.colnames, ssp.meta["magsys"], ssp.meta["metallicity"]
    (47, ['age', 'log_age', 'mstars'], True, 'ab', 0.02)

    An ACS/WFC F555W catalogue: the model's V on ACS's Vega (AB - Vega -0.006, not WFC3/UVIS's -0.03):

    >>> acs = load_ssp(cameras={"f555w": "acs/wfc"})
    >>> round(float(acs["mag_f555w"][0] - ssp["mag_f555w"][0]), 3), acs.meta["ab_minus_vega"]["f555w"]
    (-0.024, -0.006)
    """
    p = Path(path) if path is not None else _default_path()
    st = _stat(p)  # a missing file, or a folder, is said before anything else
    # built once per file, redshift, system and cameras: evaluate --catalogs --ssp built it 70 times over the 35
    # LEGUS fields (per field's SED check, mass limit and completeness), 1.7 s of a 107 s profile
    # (benchmarks/ssp_load_cache.py); each caller gets its own copy, free to change
    key = (str(p), st.st_mtime_ns, st.st_size, redshift, magsys,
           None if cameras is None else tuple(cameras.items()) if isinstance(cameras, Mapping) else None)
    try:
        hash(key)
    except TypeError:
        key = None
    if key is None or (cameras is not None and not isinstance(cameras, Mapping)):
        # odd cameras (not a mapping, unhashable values: band_camera reads them as no camera) are built as given
        return _ssp_table(str(p), redshift, magsys, cameras)
    return _build_ssp(*key).copy()


@lru_cache(maxsize=16)
def _build_ssp(path: str, mtime_ns: int, size: int, redshift: float, magsys: str | None,
               cameras: tuple[tuple[str, str], ...] | None) -> Table:
    """:func:`load_ssp`'s table, keyed on the file's time and size (a table edited in a session is built again)."""
    return _ssp_table(path, redshift, magsys, None if cameras is None else dict(cameras))


def _ssp_table(path: str, redshift: float, magsys: str | None, cameras: object) -> Table:
    """:func:`load_ssp`'s table, built."""
    p = Path(path)
    raw = _read(str(p))
    about = describe_ssp(p)
    if magsys is None:
        system = about["magsys"] or "ab"
    else:
        system = str(magsys).strip().lower()
        if system not in ("ab", "vega"):
            raise StarclassError(f"SSP table {p}: magsys must be 'ab' or 'vega', got {magsys!r}")
        if about["magsys"] and about["magsys"] != system:
            raise StarclassError(f"SSP table {p}: its name says {about['magsys'].upper()} magnitudes, "
                                 f"magsys says {system.upper()}")
    sel = np.isclose(raw["redshift"], redshift)
    if not sel.any():
        raise StarclassError(f"SSP table {p} has no rows at redshift {redshift}")
    raw = raw[sel]
    raw.sort("age(yr)")
    t = Table()
    t["age"] = raw["age(yr)"] * u.yr
    t["log_age"] = np.log10(raw["age(yr)"])
    if "mstars" in raw.colnames:
        t["mstars"] = raw["mstars"] * u.Msun
    if "mconverted" in raw.colnames:
        # the mass the magnitudes are for (Yggdrasil: 10^6 Msun of gas turned into stars): what a mass
        # limit scales, whatever a table's normalisation is
        t["mconverted"] = raw["mconverted"] * u.Msun
    model_bands = [c for c in raw.colnames if c.startswith("f")]
    ab = {}
    for c in model_bands:
        band = c.replace("_ir", "")
        if system == "ab":
            ab[band] = raw[c]
        elif band in BANDS:
            # a Vega table: back to AB with the band's own offset, so that a substitute band
            # (F438W from F435W) is put on Vega with *its* offset as for an AB table
            ab[band] = raw[c] + BANDS[band].ab_minus_vega
    for band, col in ab.items():
        t[f"mag_ab_{band}"] = col
    offsets, used, refused = {}, {}, {}
    for b in BANDS:
        src = b if b in ab else SUBSTITUTES.get(b)
        if src in ab:
            # the catalogue's camera where it names it: ACS/WFC's F555W offset is 0.024 mag off WFC3/UVIS's
            cam = band_camera(cameras, b)
            try:
                offsets[b] = ab_minus_vega(b, cam)
            except StarclassError as exc:
                # a (camera, band) whose offset is not known has no Vega column, not a guessed one; refused (with
                # this reason, ssp_vega_column) only where that band is asked for: a WFC3/UVIS F850LP beside the
                # F555W and F814W a track needs stopped the track
                refused[b] = f"{exc}: cannot put the model's {b.upper()} on the catalogue's Vega system"
                continue
            t[mag_col(b)] = ab[src] - offsets[b]
            if cam is not None:
                used[b] = cam
    t.meta["ab_minus_vega"] = offsets
    t.meta["cameras"] = used
    t.meta["vega_refused"] = refused
    t.meta["substitutes"] = dict(SUBSTITUTES)
    t.meta["magsys"] = system
    t.meta["source"] = about["source"]
    t.meta["metallicity"] = about["metallicity"]
    t.meta["file"] = str(p)
    return t


def ssp_summary_lines(path: str | Path) -> list[str]:
    """What ``starclass info`` says of an SSP model table: what it is, its ages and bands, and which options take it.

    ``info`` read the shared Yggdrasil table as a catalogue and asked for an ``id`` column ("required column
    'id' missing ...; name a column 'id' in the file"): advice that makes no sense for a model (until 2026-12-07).

    Parameters
    ----------
    path : str or Path
        The table (read with :func:`load_ssp`, which refuses a damaged one naming it).

    Returns
    -------
    list of str

    Examples
    --------
    >>> lines = ssp_summary_lines(_default_path())
    >>> lines[0]  # doctest: +ELLIPSIS
    'SSP model table: .../yggdrasil_Z0.020_kroupa_fcov1_inst_HST_AB.txt'
    >>> print(lines[2])
    ages: 47 from 1e+04 to 1.4e+10 yr at redshift 0 (51 redshifts in the file, 0 to 0.5)
    """
    p = Path(path)
    ssp = load_ssp(p)
    raw = _read(str(p))
    redshifts = np.unique(np.asarray(raw["redshift"], float))
    age = np.asarray(ssp["age"], float)  # yr
    model = [c[len("mag_ab_"):].upper() for c in ssp.colnames if c.startswith("mag_ab_")]
    system = {"ab": "AB", "vega": "Vega"}[str(ssp.meta["magsys"])]
    return [f"SSP model table: {p}",
            f"model: {ssp.meta['source']}; {system} magnitudes (absolute, for 10^6 Msun formed)"
            + ("" if ssp.meta["metallicity"] is not None else
               " (its name is not a Yggdrasil one, yggdrasil_Z<Z>_<imf>_fcov<f>_..._<AB|Vega>.txt: nothing more is "
               "known of it)"),
            f"ages: {len(age)} from {age.min():.2g} to {age.max():.2g} yr at redshift 0 ({len(redshifts)} redshifts "
            f"in the file, {redshifts.min():g} to {redshifts.max():g})",
            f"bands: {', '.join(model)}",
            "used by: starclass evaluate / report --ssp FILE (the colour-colour track, the mass limits and the "
            "mass-age completeness curve; with --catalogs each field's); default: the packaged Yggdrasil Z = 0.020 "
            "table"]


def ssp_bands(ssp: Table) -> list[str]:
    """The bands of an SSP table (its Vega ``mag_<band>`` columns, not ``mag_ab_<band>``), for messages.

    Examples
    --------
    >>> ssp_bands(Table({"log_age": [6.0], "mag_f555w": [1.0], "mag_ab_f555w": [1.0], "mag_f814w": [0.5]}))
    ['f555w', 'f814w']
    """
    return [c[len("mag_"):] for c in ssp.colnames if c.startswith("mag_") and not c.startswith("mag_ab_")]


def ssp_track(bands: list[str] | tuple[str, ...], *, age_range: tuple[float, float] = (1e6, 1.4e10),
              path: str | Path | None = None, magsys: str | None = None,
              cameras: Mapping[str, str] | None = None) -> Table:
    """U-B and V-I (Vega) of the SSP along its ages, for the U, B, V, I roles of ``bands``.

    The PHANGS paper draws the track from 1 Myr to 10 Gyr; ``age_range`` limits it. ``path``
    and ``magsys`` choose the model table as in :func:`load_ssp`; ``meta`` says which
    (``source``, ``metallicity``). ``cameras`` (the catalogue's ``meta['cameras']``) puts the
    model on the Vega system of the camera of each band, as :func:`load_ssp`.

    Examples
    --------
    >>> track = ssp_track(["f336w", "f438w", "f555w", "f814w"], age_range=(1e6, 1e7))
    >>> track.colnames, len(track), round(float(track["mag_v"][0]), 3)
    (['age', 'log_age', 'u_b', 'v_i', 'mag_v'], 9, -15.108)
    """
    roles = ubvi_bands(list(bands))
    missing = [r for r, b in roles.items() if b is None]
    if missing:
        raise StarclassError(f"no band for {agreeing(len(missing), 'role')} {', '.join(r.upper() for r in missing)} "
                             f"({role_hint(missing)}) "
                             f"among {', '.join(bands) or 'no bands'}: cannot draw the SSP track")
    ssp = load_ssp(path, magsys=magsys, cameras=cameras)
    for r, b in roles.items():
        if b in ssp.meta["vega_refused"]:
            raise StarclassError(f"SSP table {ssp.meta['file']}: {ssp.meta['vega_refused'][b]} (role {r.upper()})")
        if mag_col(b) not in ssp.colnames:
            raise StarclassError(f"the SSP model has no magnitude for band {b} (role {r.upper()}); it has "
                                 f"{', '.join(ssp_bands(ssp))}")
    sel = (ssp["age"].value >= age_range[0]) & (ssp["age"].value <= age_range[1])
    s = ssp[sel]
    out = Table()
    out["age"] = s["age"]
    out["log_age"] = s["log_age"]
    out["u_b"] = s[mag_col(roles['u'])] - s[mag_col(roles['b'])]
    out["v_i"] = s[mag_col(roles['v'])] - s[mag_col(roles['i'])]
    out["mag_v"] = s[mag_col(roles['v'])]
    out.meta["bands"] = roles
    for k in ("source", "metallicity", "magsys", "file", "cameras"):
        out.meta[k] = ssp.meta[k]
    # the AB - Vega offsets the track's four bands took, for ssp_label: a track read from an "_AB" file and
    # named only "AB magnitudes" beside a Vega catalogue read as a system mismatch
    out.meta["ab_minus_vega"] = {b: ssp.meta["ab_minus_vega"][b] for b in roles.values()
                                 if b in ssp.meta["ab_minus_vega"]}
    return out


def ssp_label(meta: dict) -> str:
    """Which SSP table a track or model came from, in words, from its ``meta`` (:func:`load_ssp`, :func:`ssp_track`).

    What the file's name says (metallicity, IMF, covering fraction, star-formation history), the
    file's name, the system of its magnitudes and, for an AB table, that they were put on the Vega
    system of the catalogues (LEGUS, PHANGS and the PHANGS boxes are Vega) with each band's
    AB - Vega offset from the STScI zeropoint tables (:func:`starclass.bands.ab_minus_vega`): the
    offsets themselves where the meta is a track's (its four bands). The report's caption and
    ``evaluate``'s printout name the table drawn with it.

    Examples
    --------
    >>> ssp_label(load_ssp().meta)
    'Yggdrasil (Zackrisson et al. 2011), Z=0.020, Kroupa IMF, fcov=1, instantaneous burst \
(yggdrasil_Z0.020_kroupa_fcov1_inst_HST_AB.txt, AB magnitudes put on Vega with per-band AB - Vega offsets \
from the STScI zeropoints)'

    A track names the offsets of its bands (m_Vega = m_AB - offset):

    >>> ssp_label(ssp_track(["f336w", "f438w", "f555w", "f814w"]).meta).split("AB magnitudes ")[1]
    'put on Vega with AB - Vega f336w +1.19, f438w -0.15, f555w -0.03, f814w +0.42 from the STScI zeropoints)'
    """
    name = Path(str(meta.get("file", ""))).name
    system = {"ab": "AB", "vega": "Vega"}.get(str(meta.get("magsys")), str(meta.get("magsys")))
    conversion = ""
    if meta.get("magsys") == "ab":
        # the model file is AB and the catalogues Vega: say that (and by how much) the model was converted,
        # so that "_HST_AB.txt, AB magnitudes" beside Vega photometry does not read as a mismatch
        offsets = meta.get("ab_minus_vega") or {}
        bands = [b for b in (meta.get("bands") or {}).values() if b in offsets]
        conversion = (" put on Vega with AB - Vega " + ", ".join(f"{b} {offsets[b]:+g}" for b in bands)
                      if bands else " put on Vega with per-band AB - Vega offsets") + " from the STScI zeropoints"
    return f"{meta.get('source')} ({name + ', ' if name else ''}{system} magnitudes{conversion})"


def distance_modulus(distance_mpc: float) -> float:
    """The distance modulus ``5 log10(d / 10 pc)``.

    Parameters
    ----------
    distance_mpc
        Distance in Mpc (positive and finite).

    Returns
    -------
    float
        ``m - M`` in magnitudes.

    Raises
    ------
    StarclassError
        A distance that is not a positive, finite number.

    Examples
    --------
    >>> round(distance_modulus(10.0), 3)
    30.0
    """
    if not np.isfinite(distance_mpc) or distance_mpc <= 0:
        raise StarclassError(f"distance must be a positive number of Mpc, got {distance_mpc}")
    return float(5.0 * np.log10(distance_mpc * 1e6 / 10.0))


@lru_cache(maxsize=1)
def _packaged_ab() -> tuple[np.ndarray, dict[str, np.ndarray]]:
    # the simulator asks for magnitudes band by band, many times per field: build the
    # packaged table once
    t = load_ssp()
    ages = np.asarray(t["age"].value, dtype=float)
    return ages, {c[len("mag_ab_"):]: np.asarray(t[c], dtype=float) for c in t.colnames if c.startswith("mag_ab_")}


def model_band(band: str) -> str:
    """The model filter whose magnitudes stand for ``band`` (itself or its substitute).

    Examples
    --------
    >>> model_band("F438W"), model_band("f555w"), model_band("g")
    ('f435w', 'f555w', 'f475w')
    """
    b = band.lower()
    _, ab = _packaged_ab()
    src = b if b in ab else SUBSTITUTES.get(b)
    if src not in ab or b not in BANDS:
        known = [k for k in BANDS if k in ab or SUBSTITUTES.get(k) in ab]
        raise StarclassError(f"band {band!r} has no SSP model magnitude (known: {', '.join(known)})")
    return src


def ssp_abs_mag(band: str, age: ArrayLike, mass: ArrayLike) -> np.ndarray:
    """Absolute Vega magnitude of unreddened clusters of ``age`` and ``mass`` from the packaged model.

    Interpolates the AB magnitude linearly in log(age) (ages outside the model are clipped
    to its range), scales it from 10^6 Msun to ``mass``, and subtracts the band's
    AB - Vega offset.

    Parameters
    ----------
    band
        A band of :data:`starclass.bands.BANDS` (substitutes as in :data:`SUBSTITUTES`).
    age
        Age(s) in years.
    mass
        Mass(es) in Msun (broadcast against ``age``).

    Returns
    -------
    numpy.ndarray
        ``M_band(age) - 2.5 log10(mass / 1e6)`` (Vega).

    Examples
    --------
    >>> m1, m2 = ssp_abs_mag("f555w", [1e8, 1e8], [1e6, 1e5])
    >>> round(float(m2 - m1), 3)
    2.5
    """
    ages, ab = _packaged_ab()
    col = ab[model_band(band)]
    la = np.log10(np.clip(np.asarray(age, dtype=float), ages[0], ages[-1]))
    m6 = np.interp(la, np.log10(ages), col)
    return m6 - 2.5 * np.log10(np.asarray(mass, dtype=float) / 1e6) - BANDS[band.lower()].ab_minus_vega
