"""Facts about photometric bands that several stages need.

Band names are lower-case filter names (``"f555w"``), as in the column names ``mag_f555w``.

Sources of the numbers (approximate, good to a few hundredths of a magnitude; that is
adequate for simulation and for drawing model tracks, not for absolute calibration):

* ``photplam`` (pivot wavelength, Angstrom) and ``photflam`` (inverse sensitivity,
  erg/s/cm^2/A per e-/s): typical WFC3/UVIS and ACS/WFC header values of drizzled HLSP
  mosaics (``camera`` says which). For ground-based g/i the "photflam" is only a convenience
  for the simulator.
* ``ab_minus_vega``: m_AB - m_Vega of the band on its ``camera`` (Vega = AB - offset), to a few
  hundredths of a magnitude (as before the per-camera table, so results without a camera are
  unchanged); the filter-only value, used where the camera of the data is not known. Used to put
  the Yggdrasil AB SSP models on the Vega system of the LEGUS and PHANGS catalogues.
* :data:`CAMERA_AB_MINUS_VEGA`: the published offset per (camera, filter), for F555W, F606W and
  F814W on both ACS/WFC and WFC3/UVIS: one filter name is two filters. The two cameras' F555W
  differ by 0.024 mag (ACS -0.006, WFC3 -0.03), more than the 0.01 mag that would let one value
  serve both; F606W and F814W by 0.004-0.006 mag. Where a FITS header says the camera
  (``INSTRUME``/``DETECTOR``, :func:`camera_name`) that camera's value is used
  (:func:`ab_minus_vega`). ACS/WFC: the STScI ACS zeropoint calculator (Sirianni et al. 2005,
  PASP 117, 1049, as revised after SM4; VEGAmag and ABmag of 2010-01-01, infinite aperture).
  WFC3/UVIS: the STScI WFC3/UVIS infinite-aperture zeropoint table in use from 2012-03-06
  (ISR 2009-31's method; ABmag - VEGAmag for F225W, F275W, F336W, F606W, F814W); F438W and F555W
  are the earlier rounded values, which synthetic photometry of the WFC3/UVIS throughputs on the
  CALSPEC Vega (alpha_lyr_stis_011, pyphot 2.1.1's curves) confirms within 0.01 mag (-0.158 and
  -0.027; the same photometry gives the ACS values above within 0.007 mag). Later recalibrations
  (ACS 2016, WFC3 2020, with a new Vega spectrum) move these offsets by a few thousandths.
* ``a_over_ebv``: A_lambda / E(B-V) for a Cardelli, Clayton & Mathis (1989) law with
  R_V = 3.1, evaluated at the pivot wavelength.
* ``psf_fwhm_px``: FWHM of the point-spread function at 0.04"/px (the PHANGS paper: stars
  have FWHM 1.8-2.4 px, bluer bands broader on WFC3/UVIS).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from starclass.errors import StarclassError, agreeing


@dataclass(frozen=True)
class BandInfo:
    """Per-band constants (see the module docstring for their sources).

    Examples
    --------
    Read with :func:`band_info`:

    >>> info = band_info("f555w")
    >>> info.photplam, info.ab_minus_vega, info.role, info.camera
    (5308.0, -0.03, 'v', 'wfc3/uvis')
    """

    name: str
    photplam: float
    photflam: float
    ab_minus_vega: float
    a_over_ebv: float
    psf_fwhm_px: float
    role: str  # "uv", "u", "b", "v", "i", "g", "r", "z", "xray" ... used to pick colours
    #: The camera the photplam, photflam and ab_minus_vega values are for ("" for ground-based bands).
    camera: str = ""


#: The HST cameras told apart here (:func:`camera_name`).
ACS_WFC = "acs/wfc"
WFC3_UVIS = "wfc3/uvis"

BANDS: dict[str, BandInfo] = {
    b.name: b
    for b in [
        BandInfo("f225w", 2372.0, 4.6e-18, 1.66, 7.26, 2.3, "uv", WFC3_UVIS),
        BandInfo("f275w", 2710.0, 3.2e-18, 1.50, 6.10, 2.3, "uv", WFC3_UVIS),
        BandInfo("f336w", 3355.0, 1.3e-18, 1.19, 5.12, 2.1, "u", WFC3_UVIS),
        BandInfo("f435w", 4330.0, 3.2e-19, -0.10, 4.16, 2.0, "b", ACS_WFC),
        BandInfo("f438w", 4325.0, 6.7e-19, -0.15, 4.18, 2.0, "b", WFC3_UVIS),
        # ACS/WFC F475W (SDSS g-like, PHAT's blue band): a 'g', so it is the detection band of an
        # F475W + F814W field, as g is of a ground-based g + i one
        BandInfo("f475w", 4745.6, 1.827e-19, -0.098, 3.73, 2.0, "g", ACS_WFC),
        BandInfo("f555w", 5308.0, 1.9e-19, -0.03, 3.26, 1.9, "v", WFC3_UVIS),
        BandInfo("f606w", 5887.0, 1.1e-19, 0.09, 2.88, 1.9, "v", WFC3_UVIS),
        # ACS/WFC F625W, F775W, F850LP (SDSS r, i, z-like); F775W is an 'i' as the ground-based i is
        BandInfo("f625w", 6312.1, 1.193e-19, 0.163, 2.66, 2.0, "r", ACS_WFC),
        BandInfo("f775w", 7693.7, 9.994e-20, 0.388, 1.99, 2.1, "i", ACS_WFC),
        BandInfo("f814w", 8040.0, 1.5e-19, 0.42, 1.85, 2.1, "i", WFC3_UVIS),
        BandInfo("f850lp", 9033.6, 1.521e-19, 0.519, 1.48, 2.3, "z", ACS_WFC),
        # Ground-based (M31-like surveys): Sloan-like g and i, seeing-limited PSF in px of
        # a 0.2"/px camera; the simulator overrides FWHM from the task's pixel scale.
        BandInfo("g", 4750.0, 4.0e-19, -0.08, 3.64, 4.0, "g"),
        BandInfo("i", 7630.0, 2.0e-19, 0.37, 1.98, 4.0, "i"),
    ]
}

#: m_AB - m_Vega per (camera, band), as published (infinite aperture), for the filters that both
#: ACS/WFC and WFC3/UVIS have under one name, and the bands whose table value above is rounded.
#: ACS/WFC: STScI ACS zeropoint calculator (Sirianni et al. 2005, PASP 117, 1049, revised after
#: SM4), ABmag - VEGAmag on 2010-01-01, e.g. F555W 25.711 - 25.717, F814W 25.947 - 25.523.
#: WFC3/UVIS: STScI WFC3/UVIS infinite-aperture zeropoint table in use from 2012-03-06, e.g.
#: F606W 26.0691 - 25.9866, F814W 25.0985 - 24.6803, F336W 24.6682 - 23.4836. Bands not listed take
#: the filter-only ``BANDS[band].ab_minus_vega`` (its ``camera``'s value, to a few hundredths; ACS/WFC's
#: F475W, F625W, F775W and F850LP are given there in full, so not again here).
CAMERA_AB_MINUS_VEGA: dict[tuple[str, str], float] = {
    (ACS_WFC, "f435w"): -0.102,
    (ACS_WFC, "f555w"): -0.006,
    (ACS_WFC, "f606w"): 0.086,
    (ACS_WFC, "f814w"): 0.424,
    (WFC3_UVIS, "f225w"): 1.6595,
    (WFC3_UVIS, "f275w"): 1.4983,
    (WFC3_UVIS, "f336w"): 1.1846,
    (WFC3_UVIS, "f606w"): 0.0825,
    (WFC3_UVIS, "f814w"): 0.4182,
}

#: (camera, band) whose offset differs from the filter-only value by more than 0.01 mag and is not
#: tabulated: refused on the Vega system rather than given a wrong one. WFC3/UVIS F850LP is another
#: filter and detector response than ACS/WFC's (pivot 9756 A against 9034 A): about 0.57 against
#: 0.519 in synthetic photometry.
CAMERA_OFFSET_UNKNOWN: frozenset[tuple[str, str]] = frozenset({(WFC3_UVIS, "f850lp")})

#: HST instruments (the part of :func:`camera_name` before the slash): another camera's offset for one of
#: their filters is used with a warning, where a simulated or unknown instrument takes the table's silently.
HST_INSTRUMENTS: frozenset[str] = frozenset({"acs", "wfc3", "wfpc2", "stis", "nicmos"})

#: The five LEGUS / PHANGS-HST bands in order of wavelength.
HST_BANDS: tuple[str, ...] = ("f275w", "f336w", "f438w", "f555w", "f814w")

#: Pixel scale of HST drizzled mosaics (arcsec per pixel).
HST_PIXEL_SCALE = 0.04


def band_info(name: str) -> BandInfo:
    """Return the constants of a band, with an error that lists the known ones.

    Examples
    --------
    >>> band_info("F814W").name
    'f814w'
    >>> band_info("f999w")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: unknown band 'f999w'; known bands: f225w, f275w, ...
    """
    key = name.lower()
    if key not in BANDS:
        raise StarclassError(f"unknown band {name!r}; known bands: {', '.join(BANDS)}")
    return BANDS[key]


def require_bands(
    requested: Sequence[str] | None, available: Sequence[str], *, context: str = ""
) -> list[str]:
    """Check that the requested bands are among the available ones (the one band check).

    Every stage that takes bands from a user (detection, photometry, stamps, the labelling
    page, a trained model) asks here, so a missing band always gives the same message.

    Parameters
    ----------
    requested
        Bands asked for (any case), or None for all of ``available``.
    available
        Bands the mosaics have.
    context
        Who asked (an option, a task, a model file), put in front of the message.

    Returns
    -------
    list of str
        The requested bands (or all available ones), lower-case, in the order given.

    Raises
    ------
    StarclassError
        A requested band is not available; the message names the missing band(s) and the
        available ones.

    Examples
    --------
    >>> require_bands(["F555W"], ["f438w", "f555w"])
    ['f555w']
    >>> require_bands(None, ["F555W", "F814W"])
    ['f555w', 'f814w']
    >>> require_bands(["f336w"], ["f555w"], context="--rgb")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: --rgb: band f336w missing from the mosaics (available: f555w)
    """
    have = [b.lower() for b in available]
    if requested is None:
        return have
    want = [b.lower() for b in requested]
    missing = [b for b in dict.fromkeys(want) if b not in have]
    if missing:
        where = f"{context}: " if context else ""
        raise StarclassError(
            f"{where}{agreeing(len(missing), 'band')} {', '.join(missing)} missing from the mosaics "
            f"(available: {', '.join(have) or 'none'})"
        )
    return want


#: Bands that play their role only where no other band of the set does: F775W is the I of an
#: F475W + F775W field, but beside F814W the I is F814W (the PHANGS boxes and LEGUS's I).
ROLE_FALLBACK: frozenset[str] = frozenset({"f775w"})


def _first_with_role(bands: list[str] | tuple[str, ...], roles: tuple[str, ...]) -> str | None:
    for role in roles:
        # the table's order, not the caller's, decides between two bands of one role: v_band's
        # "F555W, else F606W" took whichever a catalogue happened to list first
        found = sorted((b for b in bands if b in BANDS and BANDS[b].role == role), key=list(BANDS).index)
        if found:
            return ([b for b in found if b not in ROLE_FALLBACK] or found)[0]
    return None


def v_band(bands: list[str] | tuple[str, ...]) -> str:
    """The band used as 'V' for detection and CI (F555W, else F606W, else g, else the first).

    Examples
    --------
    >>> v_band(["f814w", "f555w"]), v_band(["f814w", "f606w"]), v_band(["xray", "optical"])
    ('f555w', 'f606w', 'xray')
    >>> v_band(["f606w", "f555w"])
    'f555w'
    """
    found = _first_with_role(bands, ("v", "g"))
    return found or bands[0]


#: What each command does with the V band, and how a user of it chooses another (:func:`v_band_note`).
#: train, classify, calibrate, suggest, cutouts and report cut stamps of their task's (or
#: --bands') bands and use no V band: they say nothing (``read_mosaics(..., warn_v_band=False)``).
V_BAND_USES: dict[str | None, tuple[str, str]] = {
    None: ("is used as V (detection, CI, background)",
           "to use another, give it first: detect --bands, or bands= of read_mosaics in Python (e.g. --bands {e})"),
    "detect": ("is used as V (detection, CI, background)",
               "to use another, give --bands with it first (e.g. --bands {e})"),
    "info": ("is the V band detect would use (detection, CI, background)",
             "to use another, give detect --bands with it first (e.g. --bands {e}); info's own --bands is for "
             "LEGUS .tab files"),
    "survey": ("is used as V (detection, CI, background)", "a survey has no option to choose another"),
    "inspect": ("is shown as V (the profile, the contours, the typical star's FWHM unless --star-fwhm, and green "
                "unless --rgb)", "to show another, give detect --bands with it first: inspect shows the band the "
                "catalogue was measured with (its detect_v_band)"),
}


def v_band_note(bands: list[str] | tuple[str, ...], command: str | None = None) -> str | None:
    """What to say when none of ``bands`` is a V (or g) band and :func:`v_band` takes another; None otherwise.

    Detection, CI and the background are measured in the V band, and inspect shows it. Without
    F555W or F606W (or g, F475W) the first band is taken, the bluest of a set read in wavelength
    order: a field whose F555W mosaic was missing was detected in F275W without a word. One band
    alone has no other to choose, so it gets no note.

    Parameters
    ----------
    bands : list of str or tuple of str
        The bands in the order :func:`v_band` reads them.
    command : str, optional
        The command that says it (``"detect"``, ``"info"``, ``"inspect"``, ``"survey"``): what it does with the
        band and the option that chooses another (:data:`V_BAND_USES`). None: detection's use, and
        detect's ``--bands`` or ``bands=`` in Python.

    Returns
    -------
    str or None
        The note, naming the band taken and how to choose another; None where a V-like band is
        present or there is one band only.

    Examples
    --------
    >>> v_band_note(["f275w", "f555w", "f814w"]) is None, v_band_note(["f814w"]) is None
    (True, True)
    >>> print(v_band_note(["f275w", "f814w"], "detect"))  # doctest: +ELLIPSIS
    no V band (F555W, F606W, ...) among the bands f275w, f814w: f275w, the first, is used as V ... --bands f814w,f275w)
    >>> print(v_band_note(["f275w", "f814w"], "inspect"))  # doctest: +ELLIPSIS
    no V band ... f275w, the first, is shown as V (the profile, ...); to show another, give detect --bands ...
    """
    if command not in V_BAND_USES:
        raise ValueError(f"command {command!r}: not one of {', '.join(str(c) for c in V_BAND_USES)}")
    if len(bands) < 2 or _first_with_role(bands, ("v", "g")) is not None:
        return None
    like = ", ".join(b.upper() if b.startswith("f") else b
                     for role in ("v", "g") for b, info in BANDS.items() if info.role == role)
    used = v_band(bands)
    last = bands[-1]
    use, choose = V_BAND_USES[command]
    example = choose.format(e=",".join([last, *[b for b in bands if b != last]]))
    return f"no V band ({like}) among the bands {', '.join(bands)}: {used}, the first, {use}; {example}"


def role_hint(roles: Iterable[str]) -> str:
    """Which known bands can play each of ``roles`` (``"u"``, ``"b"``, ...), for messages.

    Examples
    --------
    >>> role_hint(["u", "b"])
    'U: f336w; B: f435w or f438w'
    """
    return "; ".join(f"{r.upper()}: {' or '.join(b for b, info in BANDS.items() if info.role == r) or 'none known'}"
                     for r in roles)


def ubvi_bands(bands: list[str] | tuple[str, ...]) -> dict[str, str | None]:
    """Map the roles U, B, V, I to the bands present (None where a role is missing).

    Examples
    --------
    >>> ubvi_bands(["f336w", "f438w", "f555w", "f814w"])
    {'u': 'f336w', 'b': 'f438w', 'v': 'f555w', 'i': 'f814w'}
    >>> ubvi_bands(["f555w", "f814w"])["u"] is None
    True

    ACS F775W is an I where F814W is absent:

    >>> ubvi_bands(["f435w", "f555w", "f775w", "f814w"])["i"], ubvi_bands(["f475w", "f775w"])["i"]
    ('f814w', 'f775w')
    """
    return {
        "u": _first_with_role(bands, ("u",)),
        "b": _first_with_role(bands, ("b",)),
        "v": _first_with_role(bands, ("v",)),
        "i": _first_with_role(bands, ("i",)),
    }


def ab_zeropoint(photflam: float, photplam: float) -> float:
    """AB zeropoint (mag of 1 e-/s) from the HST PHOTFLAM and PHOTPLAM keywords.

    Examples
    --------
    F555W (PHOTFLAM 1.9e-19, PHOTPLAM 5308 A): -2.5 log10(1.9e-19) - 5 log10(5308) - 2.408:

    >>> by_hand = -2.5 * np.log10(1.9e-19) - 5 * np.log10(5308.0) - 2.408
    >>> round(ab_zeropoint(1.9e-19, 5308.0), 4), round(float(by_hand), 4)
    (25.7705, 25.7705)
    """
    return float(-2.5 * np.log10(photflam) - 5.0 * np.log10(photplam) - 2.408)


def camera_name(instrument: object = None, detector: object = None) -> str | None:
    """The camera of an HST image from its ``INSTRUME`` and ``DETECTOR`` keywords (lower case), or None.

    ``ACS``/``WFC`` -> ``"acs/wfc"``, ``WFC3``/``UVIS`` -> ``"wfc3/uvis"``, any other pair
    ``"<instrument>/<detector>"`` (or the instrument alone); None without an instrument.

    Examples
    --------
    >>> camera_name("ACS", "WFC"), camera_name("WFC3", "UVIS"), camera_name("WFC3", "IR")
    ('acs/wfc', 'wfc3/uvis', 'wfc3/ir')
    >>> camera_name("SIMULATED"), camera_name(None, "WFC") is None
    ('simulated', True)
    """
    inst = str(instrument).strip().lower() if isinstance(instrument, str) else ""
    det = str(detector).strip().lower() if isinstance(detector, str) else ""
    if not inst:
        return None
    return f"{inst}/{det}" if det else inst


def meta_camera(meta: Mapping[str, Any] | None, band: str) -> str | None:
    """The camera a catalogue's ``meta['cameras']`` gives ``band`` (what ``detect`` wrote), or None.

    Examples
    --------
    >>> meta_camera({"cameras": {"f555w": "acs/wfc"}}, "F555W"), meta_camera({}, "f555w")
    ('acs/wfc', None)
    """
    return band_camera((meta or {}).get("cameras"), band)


def band_camera(cameras: Mapping[str, Any] | None, band: str) -> str | None:
    """The camera ``cameras`` (band -> camera, a catalogue's ``meta['cameras']``) gives ``band``, or None.

    Bands in any case; anything but a non-empty string (or a ``cameras`` that is not a mapping,
    as a hand-edited ECSV header may hold) is no camera.

    Examples
    --------
    >>> band_camera({"F555W": "ACS/WFC"}, "f555w"), band_camera(None, "f555w"), band_camera({"f555w": ""}, "f555w")
    ('acs/wfc', None, None)
    """
    if not isinstance(cameras, Mapping):
        return None
    cam = {str(k).lower(): v for k, v in cameras.items()}.get(band.lower())
    return str(cam).strip().lower() if isinstance(cam, str) and cam.strip() else None


def ab_minus_vega(band: str, camera: str | None = None) -> float:
    """m_AB - m_Vega of ``band`` on ``camera`` (the published value), else the filter-only value.

    Parameters
    ----------
    band
        A band of :data:`BANDS` (any case).
    camera
        ``"acs/wfc"``, ``"wfc3/uvis"`` (:func:`camera_name`), or None when unknown.

    Returns
    -------
    float
        :data:`CAMERA_AB_MINUS_VEGA` of (camera, band) where listed, else ``BANDS[band].ab_minus_vega``.

    Raises
    ------
    StarclassError
        An unknown band, or a (camera, band) in :data:`CAMERA_OFFSET_UNKNOWN`.

    Examples
    --------
    One filter name, two filters: ACS/WFC's F555W is 0.024 mag redder than WFC3/UVIS's in AB - Vega.

    >>> ab_minus_vega("f555w", "acs/wfc"), ab_minus_vega("f555w", "wfc3/uvis"), ab_minus_vega("F555W")
    (-0.006, -0.03, -0.03)
    >>> ab_minus_vega("f814w", "acs/wfc"), ab_minus_vega("f814w", "simulated")
    (0.424, 0.42)

    A filter whose offset is tabulated for another HST camera only takes that one, with a warning:

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     ab_minus_vega("f625w", "wfc3/uvis"), str(w[0].message)[:59]
    (0.163, "no AB - Vega offset of band 'f625w' tabulated for WFC3/UVIS")
    """
    info = band_info(band)
    cam = camera.lower() if camera else None
    if cam is not None:
        if (cam, info.name) in CAMERA_AB_MINUS_VEGA:
            return CAMERA_AB_MINUS_VEGA[(cam, info.name)]
        if (cam, info.name) in CAMERA_OFFSET_UNKNOWN:
            raise StarclassError(
                f"no AB - Vega offset known for band {info.name!r} on {cam.upper()} (starclass's "
                f"{info.ab_minus_vega:+.3f} is {info.camera.upper()}'s, another filter)")
        if info.camera and cam != info.camera and cam.split("/")[0] in HST_INSTRUMENTS:
            # one filter name on two HST cameras differs by up to a few hundredths of a magnitude in AB - Vega
            # (F555W: 0.024); taking the other camera's value without a word hid that from the user
            warnings.warn(f"no AB - Vega offset of band {info.name!r} tabulated for {cam.upper()}: "
                          f"{info.camera.upper()}'s {info.ab_minus_vega:+.3f} is used, which may differ by a few "
                          "hundredths of a magnitude (ACS/WFC's and WFC3/UVIS's F555W differ by 0.024); AB "
                          "magnitudes (--magsys ab) need no offset", stacklevel=2)
    return info.ab_minus_vega


def ab_minus_vega_source(band: str, camera: str | None = None) -> str:
    """Whose AB - Vega offset :func:`ab_minus_vega` gives ``band`` on ``camera``, in a few words (for ``info``).

    The data's camera where the value is its own (tabulated for it, or the camera of the band's
    table row); the camera whose value it is, and that none is tabulated for the data's, where it
    takes another's; the table row's camera and that the data named none, without a camera.

    Parameters
    ----------
    band
        A band of :data:`BANDS` (any case).
    camera
        The data's camera (:func:`camera_name`), or None when unknown.

    Returns
    -------
    str

    Raises
    ------
    StarclassError
        An unknown band.

    Examples
    --------
    >>> ab_minus_vega_source("f555w", "acs/wfc"), ab_minus_vega_source("f475w", "acs/wfc")
    ('ACS/WFC', 'ACS/WFC')
    >>> ab_minus_vega_source("f475w", "wfc3/uvis")
    "ACS/WFC's, none tabulated for WFC3/UVIS"
    >>> ab_minus_vega_source("f555w", "wfpc2"), ab_minus_vega_source("f555w")
    ("WFC3/UVIS's, none tabulated for WFPC2", "WFC3/UVIS's; no INSTRUME/DETECTOR camera")
    """
    info = band_info(band)
    cam = camera.lower() if camera else None
    if cam is None:
        return f"{info.camera.upper()}'s; no INSTRUME/DETECTOR camera" if info.camera else "no camera"
    if (cam, info.name) in CAMERA_AB_MINUS_VEGA or cam == info.camera:
        return cam.upper()
    # the table row's value on another camera: saying the data's camera alone (as info did) passed ACS/WFC's
    # F475W offset off as WFC3/UVIS's, and a WFPC2 image was said to have no camera
    whose = f"{info.camera.upper()}'s" if info.camera else "a generic value"
    return f"{whose}, none tabulated for {cam.upper()}"


def vega_zeropoint(band: str, photflam: float, photplam: float, camera: str | None = None) -> float:
    """Vega zeropoint: the AB zeropoint minus the band's AB - Vega offset (of ``camera`` where known).

    Examples
    --------
    F555W's AB - Vega is -0.03 mag on WFC3/UVIS, so its Vega zeropoint is 0.03 mag above the AB one:

    >>> round(vega_zeropoint("f555w", 1.9e-19, 5308.0) - ab_zeropoint(1.9e-19, 5308.0), 4)
    0.03

    ACS/WFC F475W, PHOTFLAM 1.827e-19 and PHOTPLAM 4745.6 (2010): the published VEGAmag zeropoint is
    26.154:

    >>> round(vega_zeropoint("f475w", 1.827e-19, 4745.6, camera="acs/wfc"), 3)
    26.154
    """
    return ab_zeropoint(photflam, photplam) - ab_minus_vega(band, camera)


#: The magnitudes a ``softening_mag`` (the ``flux`` normalisation's one-pixel magnitude where the
#: stretch turns logarithmic) may take. It is meant to be a pixel's sky noise: HST mosaics give
#: about 28, ground-based ones 22-32 (``softening_mag: auto`` measures it). No image's pixel noise
#: is brighter than magnitude 0 or fainter than 50 (1e-10 of a count at a zeropoint of 25), and far
#: outside the stretch overflows: ``cutouts --softening-mag -1e308`` wrote stamps of 0 and NaN.
SOFTENING_MAG_RANGE = (0.0, 50.0)


def check_softening_mag(value: float, where: str = "softening_mag") -> float:
    """``value`` as a float, refused (naming ``where``) unless a finite magnitude within :data:`SOFTENING_MAG_RANGE`.

    Parameters
    ----------
    value
        The magnitude given.
    where
        What set it, for the message (``--softening-mag``, ``model m: config.softening_mag``).

    Returns
    -------
    float

    Raises
    ------
    StarclassError
        Not a number, not finite, or outside 0-50.

    Examples
    --------
    >>> check_softening_mag("27.5")
    27.5
    >>> try:
    ...     check_softening_mag(-1e308, "--softening-mag")
    ... except StarclassError as exc:
    ...     print(exc)
    --softening-mag must be a magnitude in 0-50 (a pixel's sky noise, about 28 for HST) or 'auto', got -1e+308
    """
    lo, hi = SOFTENING_MAG_RANGE
    try:
        mag = float(value)
    except (TypeError, ValueError):
        mag = float("nan")
    if not lo <= mag <= hi:  # NaN and inf too
        shown = f"{value:g}" if isinstance(value, (int, float)) else repr(value)
        raise StarclassError(f"{where} must be a magnitude in {lo:g}-{hi:g} (a pixel's sky noise, about 28 for "
                             f"HST) or 'auto', got {shown}")
    return mag
