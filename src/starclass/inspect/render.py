"""The pictures a classifier looks at, rendered once and cached as PNG files.

For one candidate (PHANGS-HST, Whitmore et al. section 3.2, steps 2-4):

* ``composite``: colour image, red/green/blue = F814W/F555W/F336W by default (any three bands
  can be asked for), each band scaled from its median (sky) to its 99.5th percentile with an
  asinh stretch;
* the V-band stamp itself goes to the browser as numbers (:func:`v_stamp`), so the contrast
  control (the "contrast test": does the object grow like a star or like a cluster?) runs
  in the page without a round trip;
* ``profile``: V-band contours (log-spaced levels) beside the radial profile with a Gaussian
  of the candidate's FWHM, drawn over the profile of a typical star of the same peak (a Gaussian
  of the band's PSF FWHM, :data:`starclass.bands.BANDS`, unless given). The FWHM is the
  catalogue's ``fwhm`` when it has one, else it is measured the way ``starclass detect``
  measures it (:func:`starclass.detect.profile.fit_fwhm` after the local background of
  :func:`starclass.detect.photometry.annulus_background`), so the page and the catalogue
  always agree;
* ``context``: a wider V-band view with the neighbouring candidates circled (the current one
  thicker).

A band of photon counts (X-ray, UV photon counting: :func:`starclass.io.counts.photon_counts`) is
drawn smoothed by a Gaussian of :data:`COUNTS_SMOOTH_PX` (:func:`display_plane`): its sky is 0 and
1, and drawn as stored every single count of sky was as bright as a faint source's pixels, and the
contours ringed each of them. The radial profile and its fit, and the contrast control's numbers,
stay the stored counts.

Files are written atomically under ``<cache_dir>/<settings hash>/`` named by the candidate's
row number and the kind, so a change of settings never serves a stale picture, and nothing
that comes from a request is ever used as a file name.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import threading
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from astropy.table import Table
from PIL import Image, ImageDraw

from starclass.errors import StarclassError
from starclass.io.atomic import atomic_path
from starclass.stamps.extract import centre_pixels, cut_boxes

KINDS = ("composite", "profile", "context")

#: Matplotlib is not thread-safe: the server renders in several threads (requests and the
#: background pre-render), so figures are drawn one at a time.
_MPL_LOCK = threading.Lock()
#: 2: the profile shows the catalogue's FWHM or detection's fit; 3: masked pixels (zero weight, drizzle
#: padding, flagged) are left out of the display stretch, as NaN are; 4: the profile's x axis
#: writes its unit in square brackets, "radius [px]", as the report figures do
RENDER_VERSION = 4
GAUSS_FWHM = 2.0 * np.sqrt(2.0 * np.log(2.0))
#: Pixels within this radius (px) enter the FWHM fit: the default of detection's photometry,
#: so a FWHM measured here is the one ``starclass detect`` writes.
FWHM_RADIUS = 5.0
#: Sigma (px) of the Gaussian a band of photon counts is smoothed by for display (:func:`display_plane`).
COUNTS_SMOOTH_PX = 1.0


@dataclass
class RenderSettings:
    """What the pictures depend on (hashed into the cache folder name).

    Parameters
    ----------
    rgb : (str, str, str)
        The bands shown as red, green and blue.
    v_band : str
        The band of the contours, the profile and the context view.
    stamp_size, context_size : int
        Sides (px) of the stamp and of the wider context view.
    zoom, context_zoom : int
        Display pixels per image pixel of the composite and of the context view.
    profile_radius, star_fwhm, neighbour_radius : float
        Radius (px) of the profile, FWHM (px) of the typical star drawn beside it, and the circles'
        radius (px) in the context view.
    version, pixel_flags, value_label, counts
        The pictures' version, the mask / DQ flags applied, the profile's y-axis unit and the bands
        of photon counts (drawn smoothed).

    Examples
    --------
    >>> s = RenderSettings(("f814w", "f555w", "f336w"), "f555w")
    >>> s.stamp_size, len(s.key()), s.key() == RenderSettings(("f814w", "f555w", "f336w"), "f555w", zoom=4).key()
    (41, 12, False)
    """

    rgb: tuple[str, str, str]
    v_band: str
    stamp_size: int = 41          # px, odd so the candidate sits on the centre pixel
    zoom: int = 6                 # display pixels per image pixel for the composite
    context_size: int = 161       # px
    context_zoom: int = 2
    profile_radius: float = 8.0   # px
    star_fwhm: float = 2.1        # px, the "typical star"
    neighbour_radius: float = 3.0  # px, circle size in the context view
    version: int = RENDER_VERSION
    pixel_flags: str = ""          # the mask / DQ flags applied (PixelFlags.describe()), "" for none
    value_label: str = "counts/s"  # the profile's y axis: the V band's unit (io.mosaic.value_unit)
    counts: tuple[str, ...] = ()   # bands of photon counts, drawn smoothed (display_plane)

    def key(self) -> str:
        d = asdict(self)
        if not d["counts"]:
            del d["counts"]  # no band of counts: the key (and the pictures cached under it) is as before
        if not d["pixel_flags"]:
            del d["pixel_flags"]  # without flags the key (and the pictures cached under it) is as before
        if d["value_label"] == "counts/s":
            del d["value_label"]  # likewise: the pictures of mosaics in counts/s (HST's e-/s) keep their cache
        text = json.dumps(d, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:12]


def cutout(image: np.ndarray, x: float, y: float, size: int) -> np.ndarray:
    """A ``size`` x ``size`` float32 copy centred on the pixel nearest (x, y); NaN off the image.

    The stamps' centring (:func:`starclass.stamps.extract.centre_pixels`) and cut-out
    (:func:`starclass.stamps.extract.cut_boxes`).

    Examples
    --------
    >>> img = np.arange(9.0).reshape(3, 3)
    >>> cutout(img, 0.2, 0.4, 3)
    array([[nan, nan, nan],
           [nan,  0.,  1.],
           [nan,  3.,  4.]], dtype=float32)
    """
    cx, cy = centre_pixels(x, y)
    boxes, _ = cut_boxes(image, cx, cy, size, fill=np.nan)
    return boxes[0].astype(np.float32)


#: ``bad(band, (rows, cols))``: the unusable pixels (True) of that window of the band, e.g.
#: ``MosaicSet.mask(band, window=...)``.
BadPixels = Callable[[str, tuple[slice, slice]], np.ndarray]


def band_cutout(data: dict[str, np.ndarray], band: str, x: float, y: float, size: int,
                bad: BadPixels | None = None) -> np.ndarray:
    """:func:`cutout` of one band with its unusable pixels (``bad``) set to NaN.

    A mosaic's zero-weight pixels (a drizzled mosaic's padding of 0, flagged pixels) hold values
    that are not sky: left in, they set the display stretch of a stamp on the footprint's edge
    (black at their 0, white at the sky, whose noise then filled the picture).

    Examples
    --------
    >>> img = np.ones((4, 4), np.float32); img[:, :2] = 0.0
    >>> band_cutout({"v": img}, "v", 2.0, 2.0, 3, lambda b, w: img[w] == 0)
    array([[nan,  1.,  1.],
           [nan,  1.,  1.],
           [nan,  1.,  1.]], dtype=float32)
    """
    a = cutout(data[band], x, y, size)
    if bad is None:
        return a
    ny, nx = data[band].shape
    cx, cy = centre_pixels(x, y)
    x0, y0 = int(cx[0]) - size // 2, int(cy[0]) - size // 2
    r0, r1 = max(y0, 0), min(y0 + size, ny)
    c0, c1 = max(x0, 0), min(x0 + size, nx)
    if r1 > r0 and c1 > c0:
        m = np.asarray(bad(band, (slice(r0, r1), slice(c0, c1))), dtype=bool)
        a[r0 - y0:r1 - y0, c0 - x0:c1 - x0][m] = np.nan
    return a


def display_plane(a: np.ndarray, counts: bool) -> np.ndarray:
    """The picture drawn of a stamp: as stored, or for photon counts smoothed by :data:`COUNTS_SMOOTH_PX`.

    A counts image's sky is mostly 0 with single counts: stretched from its median (0) to its 99.5th
    percentile a single count of sky was drawn as bright as a faint source's pixels (a 20-count
    source at 0.1 counts/px could not be told from the sky). Smoothed, a lone count spreads to
    0.16 and a source's counts, close together, stay high. NaN (masked pixels) stay NaN and are
    left out of the smoothing (astropy's ``convolve``, interpolated).

    Parameters
    ----------
    a : numpy.ndarray
        2-D stamp (NaN where masked).
    counts : bool
        Whether its band is one of photon counts.

    Returns
    -------
    numpy.ndarray
        float32, of ``a``'s shape.

    Examples
    --------
    >>> a = np.zeros((9, 9), np.float32); a[4, 4] = 1.0
    >>> round(float(display_plane(a, True).max()), 3), float(display_plane(a, False).max())
    (0.159, 1.0)
    """
    if not counts:
        return a
    from astropy.convolution import Gaussian2DKernel, convolve

    kernel = Gaussian2DKernel(COUNTS_SMOOTH_PX)
    return convolve(a, kernel, boundary="extend", nan_treatment="interpolate", preserve_nan=True,
                    normalize_kernel=True).astype(np.float32)


def _scale(a: np.ndarray, lo_pct: float = 1.0, hi_pct: float = 99.5, soft: float = 0.1,
           min_range_sigma: float | None = None) -> np.ndarray:
    """0-1 asinh-scaled image (NaN -> 0); the levels come from the finite pixels only.

    ``min_range_sigma``: the white level is at least this many noise sigmas (1.4826 x the
    median absolute deviation) above the black level, so a stamp of pure noise stays dark."""
    finite = a[np.isfinite(a)]
    if finite.size == 0:
        return np.zeros(a.shape, np.float32)
    lo, hi = np.percentile(finite, [lo_pct, hi_pct])
    if min_range_sigma:
        sigma = 1.4826 * float(np.median(np.abs(finite - np.median(finite))))
        hi = max(hi, lo + min_range_sigma * sigma)
    if not hi > lo:
        hi = lo + 1.0
    z = np.clip((np.nan_to_num(a, nan=lo) - lo) / (hi - lo), 0.0, 1.0)
    return (np.arcsinh(z / soft) / np.arcsinh(1.0 / soft)).astype(np.float32)


def _png_from_rgb(rgb: np.ndarray, zoom: int) -> bytes:
    img = Image.fromarray((np.clip(rgb, 0, 1) * 255).astype(np.uint8)[::-1])  # y up, as DS9
    if zoom > 1:
        img = img.resize((img.width * zoom, img.height * zoom), Image.NEAREST)
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def composite_png(data: dict[str, np.ndarray], x: float, y: float, s: RenderSettings,
                  bad: BadPixels | None = None) -> bytes:
    """Colour composite of the stamp (red, green, blue = ``s.rgb``); ``bad`` pixels left out of the stretch.

    Parameters
    ----------
    data : dict of str to numpy.ndarray
        The mosaics by band.
    x, y : float
        The candidate's position (px, 0-based).
    s : RenderSettings
        The bands, size and zoom.
    bad : callable, optional
        ``bad(band, window)``: the unusable pixels of a window of a band (True).

    Returns
    -------
    bytes
        A PNG, ``s.stamp_size * s.zoom`` pixels on a side, y up (as DS9 shows it).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> data = {b: rng.normal(0, 1, (64, 64)) for b in ("i", "r", "g")}
    >>> png = composite_png(data, 32, 32, RenderSettings(("i", "r", "g"), "r", stamp_size=21, zoom=2))
    >>> png[:4], len(png) > 100
    (b'\x89PNG', True)
    """
    # black at the local sky (the median), white at the 99.5th percentile but at least 25 noise
    # sigmas above the sky: faint sources are not drowned in coloured noise
    planes = [_scale(display_plane(band_cutout(data, b, x, y, s.stamp_size, bad), b in s.counts), lo_pct=50.0,
                     min_range_sigma=25.0) for b in s.rgb]
    return _png_from_rgb(np.stack(planes, axis=-1), s.zoom)


def v_stamp(data: dict[str, np.ndarray], x: float, y: float, s: RenderSettings,
            bad: BadPixels | None = None) -> dict:
    """The V-band stamp as numbers for the page's contrast control (rows bottom to top; ``bad`` pixels None).

    Parameters
    ----------
    data : dict of str to numpy.ndarray
        The mosaics by band.
    x, y : float
        The candidate's position (px, 0-based).
    s : RenderSettings
        The V band and the stamp's side.
    bad : callable, optional
        ``bad(band, window)``: the unusable pixels of a window of a band (True).

    Returns
    -------
    dict
        ``size``, ``values`` (rows of floats, None off the image or where bad), ``percentiles``
        (1, 50, 99, 99.9 of the finite values) and ``band``.

    Examples
    --------
    >>> img = np.arange(25.0).reshape(5, 5)
    >>> st = v_stamp({"v": img}, 0, 0, RenderSettings(("v", "v", "v"), "v", stamp_size=3))
    >>> st["values"], st["percentiles"]["50"]
    ([[None, None, None], [None, 0.0, 1.0], [None, 5.0, 6.0]], 3.0)
    """
    a = band_cutout(data, s.v_band, x, y, s.stamp_size, bad)
    finite = a[np.isfinite(a)]
    values = [[None if not np.isfinite(v) else round(float(v), 5) for v in row] for row in a]
    pct = {str(p): float(np.percentile(finite, p)) for p in (1, 50, 99, 99.9)} if finite.size else {}
    return {"size": s.stamp_size, "values": values, "percentiles": pct, "band": s.v_band}


def radial_profile(image: np.ndarray, x: float, y: float, radius: float) -> tuple[np.ndarray, np.ndarray]:
    """Distances (px) and values of the pixels within ``radius`` of (x, y), nearest first.

    Parameters
    ----------
    image : numpy.ndarray
        A 2-D image.
    x, y : float
        The centre (px, 0-based).
    radius : float
        The largest distance (px).

    Returns
    -------
    r, values : numpy.ndarray
        Pixels off the image or not finite are left out.

    Examples
    --------
    >>> img = np.zeros((9, 9))
    >>> img[4, 4] = 10.0
    >>> r, v = radial_profile(img, 4, 4, 1.0)
    >>> r.tolist(), v.tolist()
    ([0.0, 1.0, 1.0, 1.0, 1.0], [10.0, 0.0, 0.0, 0.0, 0.0])
    """
    size = int(2 * np.ceil(radius) + 3)
    a = cutout(image, x, y, size)
    half = size // 2
    cx, cy = int(np.floor(x + 0.5)), int(np.floor(y + 0.5))
    yy, xx = np.mgrid[0:size, 0:size]
    r = np.hypot(xx - half + (cx - x), yy - half + (cy - y))
    ok = (r <= radius) & np.isfinite(a)
    order = np.argsort(r[ok])
    return r[ok][order], a[ok][order]


def catalogue_fwhm(table: Table) -> np.ndarray | None:
    """The catalogue's ``fwhm`` column as floats (NaN where masked), or None when it has none.

    Examples
    --------
    >>> catalogue_fwhm(Table({"fwhm": [2.5, 3.0]})).tolist()
    [2.5, 3.0]
    >>> catalogue_fwhm(Table({"x": [1.0]})) is None
    True
    """
    if "fwhm" not in table.colnames:
        return None
    return np.asarray(np.ma.filled(np.ma.asarray(table["fwhm"], dtype=float), np.nan), dtype=float)


def profile_fit(image: np.ndarray, x: float, y: float, fwhm: float | None = None, *,
                radius: float = FWHM_RADIUS) -> dict:
    """The Gaussian drawn over a candidate's radial profile, and its FWHM.

    Parameters
    ----------
    image
        The V-band image.
    x, y
        0-based position of the candidate.
    fwhm
        The catalogue's FWHM (px). None or NaN: measured here with detection's fitter
        (:func:`starclass.detect.profile.fit_fwhm`) on the pixels within ``radius``, after
        the local background of the 7-8 px annulus, as ``starclass detect`` measures it.
    radius
        Pixels within this radius (px) enter the fit and the amplitude.

    Returns
    -------
    dict
        ``fwhm`` (px), ``sigma``, ``amplitude`` (best for that width), ``background`` (the
        annulus median), ``rms`` (residual scatter over the amplitude: large for pairs and
        crowded objects) and ``source`` (``"catalogue"`` or ``"fit"``); NaNs where undefined.

    Examples
    --------
    >>> yy, xx = np.mgrid[0:41, 0:41]
    >>> star = 100 * np.exp(-0.5 * ((xx - 20) ** 2 + (yy - 20) ** 2) / 1.5 ** 2)
    >>> round(float(profile_fit(star, 20.0, 20.0)["fwhm"] / GAUSS_FWHM), 2)
    1.5
    >>> profile_fit(star, 20.0, 20.0, fwhm=3.3)["fwhm"], profile_fit(star, 20.0, 20.0, fwhm=3.3)["source"]
    (3.3, 'catalogue')
    """
    # detection's photometry (astropy.table's writers, scipy, photutils' apertures: ~1 s) imported here, at the
    # first profile drawn, not with the module: 'inspect --init' reads the field through this module and waited
    # for it before its first line
    from starclass.detect.photometry import annulus_background
    from starclass.detect.profile import fit_fwhm as detect_fwhm

    xy = np.array([[float(x), float(y)]])
    bkg, _, _ = annulus_background(image, None, xy)
    source = "catalogue"
    if fwhm is None or not np.isfinite(fwhm):
        fwhm = float(detect_fwhm(image, None, xy, bkg, radius=radius)[0])
        source = "fit"
    b = float(bkg[0]) if np.isfinite(bkg[0]) else 0.0
    out = {"amplitude": np.nan, "sigma": np.nan, "background": b, "fwhm": float(fwhm), "rms": np.nan,
           "source": source}
    if not fwhm > 0:
        return out
    sigma = float(fwhm) / GAUSS_FWHM
    r, v = radial_profile(image, x, y, radius)
    g = np.exp(-0.5 * (r / sigma) ** 2)
    gg = float(g @ g)
    if gg > 0:
        amp = float((v - b) @ g / gg)
        resid = v - (amp * g + b)
        out.update(amplitude=amp, rms=float(np.std(resid) / abs(amp)) if amp != 0 else np.nan)
    out["sigma"] = sigma
    return out


def profile_png(data: dict[str, np.ndarray], x: float, y: float, s: RenderSettings,
                fwhm: float | None = None, bad: BadPixels | None = None) -> tuple[bytes, dict]:
    """V-band contours and the radial profile with its FWHM; returns (png, fit).

    Parameters
    ----------
    data : dict of str to numpy.ndarray
        The mosaics by band.
    x, y : float
        The candidate's position (px, 0-based).
    s : RenderSettings
        The V band, stamp size, profile radius and typical star.
    fwhm : float, optional
        The catalogue's FWHM (px); None: measured (:func:`profile_fit`).
    bad : callable, optional
        ``bad(band, window)``: the unusable pixels of a window of a band (True).

    Returns
    -------
    png : bytes
    fit : dict
        :func:`profile_fit`'s ``fwhm``, ``sigma``, ``amplitude``, ``background``, ``rms`` and ``source``.

    Examples
    --------
    >>> yy, xx = np.mgrid[0:64, 0:64]
    >>> img = 100 * np.exp(-0.5 * ((xx - 32) ** 2 + (yy - 32) ** 2) / 1.5 ** 2)
    >>> png, fit = profile_png({"v": img}, 32, 32, RenderSettings(("v", "v", "v"), "v"))
    >>> png[:4], round(fit["fwhm"], 2)
    (b'\x89PNG', 3.53)
    """
    # matplotlib takes 1.7 s to import (measured): the app starts without it, and only the
    # profile picture (rendered in the background) needs it
    from matplotlib.figure import Figure

    img = data[s.v_band]
    r, v = radial_profile(img, x, y, s.profile_radius)
    fit = profile_fit(img, x, y, fwhm)
    # the contours and the picture of a counts band smoothed: they ringed every single count of its sky
    stamp = display_plane(band_cutout(data, s.v_band, x, y, s.stamp_size, bad), s.v_band in s.counts)

    fig = Figure(figsize=(6.4, 3.0), dpi=80)
    ax1 = fig.add_axes((0.02, 0.08, 0.40, 0.84))
    ax2 = fig.add_axes((0.55, 0.17, 0.42, 0.75))
    finite = stamp[np.isfinite(stamp)]
    ax1.imshow(_scale(stamp), origin="lower", cmap="gray", interpolation="nearest")
    if finite.size and np.nanmax(stamp) > np.nanmedian(stamp):
        bkg = float(np.nanmedian(stamp))
        peak = float(np.nanmax(stamp))
        noise = float(np.nanmedian(np.abs(finite - bkg))) * 1.4826 or (peak - bkg) * 0.01
        lo = bkg + 3.0 * noise
        if peak > lo:
            levels = np.geomspace(max(lo - bkg, 1e-12), peak - bkg, 8)[:-1] + bkg
            ax1.contour(np.nan_to_num(stamp, nan=bkg), levels=levels, colors="#ffcc00",
                        linewidths=0.8)
    c = s.stamp_size // 2
    ax1.plot([c], [c], "+", color="cyan", ms=10)
    ax1.set_xticks([])
    ax1.set_yticks([])
    ax1.set_title(f"{s.v_band} contours", fontsize=9)

    ax2.plot(r, v, ".", ms=3, color="k", label="pixels")
    rr = np.linspace(0, s.profile_radius, 100)
    if np.isfinite(fit["fwhm"]) and np.isfinite(fit["amplitude"]):
        g = fit["amplitude"] * np.exp(-0.5 * (rr / fit["sigma"]) ** 2) + fit["background"]
        ax2.plot(rr, g, "-", color="C3", label=f"{fit['source']} FWHM {fit['fwhm']:.2f} px")
        star_sigma = s.star_fwhm / GAUSS_FWHM
        star = fit["amplitude"] * np.exp(-0.5 * (rr / star_sigma) ** 2) + fit["background"]
        ax2.plot(rr, star, "--", color="C0", label=f"star FWHM {s.star_fwhm:.2f} px")
    ax2.set_xlabel("radius [px]", fontsize=8)
    ax2.set_ylabel(s.value_label, fontsize=8)
    ax2.tick_params(labelsize=7)
    ax2.legend(fontsize=7, frameon=False)
    ax2.set_title("radial profile", fontsize=9)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue(), fit


def context_png(data: dict[str, np.ndarray], x: float, y: float, s: RenderSettings,
                neighbours: list[tuple[float, float, str]], bad: BadPixels | None = None) -> bytes:
    """Wider V-band view; ``neighbours`` are (x, y, colour) drawn as circles, this one in cyan.

    Parameters
    ----------
    data : dict of str to numpy.ndarray
        The mosaics by band.
    x, y : float
        The candidate's position (px, 0-based).
    s : RenderSettings
        The V band, the view's side and zoom, the circles' radius.
    neighbours : list of (float, float, str)
        Other candidates in view: x, y (px) and a colour name.
    bad : callable, optional
        ``bad(band, window)``: the unusable pixels of a window of a band (True).

    Returns
    -------
    bytes
        A PNG, ``s.context_size * s.context_zoom`` pixels on a side.

    Examples
    --------
    >>> img = np.random.default_rng(1).normal(0, 1, (200, 200))
    >>> png = context_png({"v": img}, 100, 100, RenderSettings(("v", "v", "v"), "v"), [(110, 95, "red")])
    >>> from PIL import Image
    >>> import io
    >>> Image.open(io.BytesIO(png)).size
    (322, 322)
    """
    a = display_plane(band_cutout(data, s.v_band, x, y, s.context_size, bad), s.v_band in s.counts)
    g = (_scale(a) * 255).astype(np.uint8)[::-1]
    img = Image.fromarray(g).convert("RGB")
    z = s.context_zoom
    img = img.resize((img.width * z, img.height * z), Image.NEAREST)
    draw = ImageDraw.Draw(img)
    half = s.context_size // 2
    cx, cy = int(np.floor(x + 0.5)), int(np.floor(y + 0.5))
    rad = s.neighbour_radius * z * 1.5

    def to_disp(px, py):
        u = (px - (cx - half) + 0.5) * z
        w = (s.context_size - (py - (cy - half)) - 0.5) * z
        return u, w

    for nx_, ny_, colour in neighbours:
        u, w = to_disp(nx_, ny_)
        draw.ellipse((u - rad, w - rad, u + rad, w + rad), outline=colour, width=1)
    u, w = to_disp(x, y)
    draw.ellipse((u - rad - 2, w - rad - 2, u + rad + 2, w + rad + 2), outline="cyan", width=2)
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def user_cache_home() -> Path:
    """The user's cache folder of ``inspect``'s pictures: ``$XDG_CACHE_HOME/starclass/inspect`` (default ``~/.cache``).

    A relative ``XDG_CACHE_HOME`` is ignored, as the XDG base directory specification says (it would
    put the cache wherever the command was started: maybe beside the data).

    Examples
    --------
    >>> user_cache_home().parts[-2:]
    ('starclass', 'inspect')
    """
    home = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(home) if home and Path(home).is_absolute() else Path.home() / ".cache"
    return base / "starclass" / "inspect"


def user_cache_root(source: str | os.PathLike) -> Path:
    """Where the pictures of an input (a data folder, a cutout list) are cached: the user's cache, keyed by its path.

    The pictures went beside the input (``DATA_DIR/.inspect_cache``, or beside a ``--stamps`` list):
    serving a survey's shared cutouts wrote into them. Inputs are never written to, so the folder is
    :func:`user_cache_home`/``<name>-<digest of the input's resolved path>``: the same input (however
    spelled) finds its pictures again; two inputs of one name do not share a folder. Nothing is made here.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()) / "m31 cutouts"
    >>> root = user_cache_root(d)
    >>> root.parent == user_cache_home(), root.name.startswith("m31 cutouts-"), root.exists()
    (True, True, False)
    >>> user_cache_root(d / ".." / d.name) == root, user_cache_root(d.parent / "other") == root
    (True, False)
    """
    src = Path(source).expanduser().resolve()
    digest = hashlib.sha256(str(src).encode()).hexdigest()[:16]
    return user_cache_home() / f"{src.name or 'root'}-{digest}"


def cache_folder(path: str | os.PathLike) -> Path:
    """``path`` made and checked writable for the cached pictures; else a folder in the user's cache.

    The pictures go to the user's cache (:func:`user_cache_root`), or where ``cache_dir`` says. A
    folder there that cannot be written stopped ``inspect`` with a traceback (``PermissionError``, or
    ``NotADirectoryError`` where a file takes the cache's name); the pictures are only a cache, so
    they go to ``$XDG_CACHE_HOME/starclass/inspect/<digest of path>/`` (default ``~/.cache``)
    instead, with a warning naming both folders.

    Raises
    ------
    StarclassError
        Neither folder can be written.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> cache_folder(d / "pictures" / "abc") == d / "pictures" / "abc"
    True
    """
    path = Path(path)
    try:
        return _writable(path)
    except OSError as exc:
        alt = user_cache_home() / hashlib.sha256(str(path.absolute()).encode()).hexdigest()[:16] / path.name
        why = exc.strerror or str(exc)
        try:
            _writable(alt)
        except OSError as exc2:
            raise StarclassError(f"the pictures cannot be cached at {path} ({why}) nor at {alt} "
                                 f"({exc2.strerror or exc2}): make one of them writable, or set XDG_CACHE_HOME "
                                 "to a writable folder") from None
        warnings.warn(f"the pictures cannot be cached at {path} ({why}): they are cached at {alt} instead",
                      stacklevel=3)
        return alt


#: ``os.open(folder, O_TMPFILE)`` errors that mean "no unnamed files here" (an old kernel: EISDIR; a file
#: system without them: EOPNOTSUPP), not "this folder cannot be written"
_NO_UNNAMED_FILES = frozenset({errno.EISDIR, errno.EOPNOTSUPP, errno.EINVAL})


def _writable(path: Path) -> Path:
    """``path`` made and checked writable by making a file in it that has no name.

    A named probe (``.write-test-XXXXXXXX``, made, then removed) stayed in the cache folder when the
    process was killed or interrupted between the two. ``O_TMPFILE`` (Linux) makes a file without a
    name: the folder's permissions, ACLs and a read-only mount are checked as by a real write
    (``os.access`` says yes to root, whatever the permissions), and nothing is left behind, whenever
    the process dies. Where there are no unnamed files (another system or file system)
    ``os.access`` is asked; a write it allows that fails all the same is refused by the cache's own
    write (``atomic_path``), naming the file.

    Raises
    ------
    OSError
        The folder cannot be made or written.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _writable(d / "cache") == d / "cache", sorted(p.name for p in (d / "cache").iterdir())
    (True, [])
    """
    path.mkdir(parents=True, exist_ok=True)
    unnamed = getattr(os, "O_TMPFILE", 0)
    if unnamed:
        try:
            fd = os.open(path, unnamed | os.O_WRONLY, 0o600)
        except OSError as exc:
            if exc.errno not in _NO_UNNAMED_FILES:
                raise
        else:
            os.close(fd)  # the file had no name: closed, it is gone
            return path
    if not os.access(path, os.W_OK | os.X_OK):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
    return path


def _cache_write(path: Path, data: bytes) -> None:
    """Write ``data`` to the cache file ``path`` (atomically); a write that fails names the file.

    Where no unnamed file can be made, :func:`_writable` asks ``os.access``, which may say yes
    to a folder whose writes fail all the same (a full disk, a quota, root on a network file
    system): atomic_path named a temporary it could not make, but a failed write or rename
    was an ``OSError`` traceback, answered 500 with nothing said. A :class:`StarclassError`
    is answered 400 with its message.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> (d / "x.png").mkdir()  # a folder where the picture goes: the rename onto it fails
    >>> try:
    ...     _cache_write(d / "x.png", b"png")
    ... except StarclassError as exc:
    ...     print(str(exc).replace(str(d), "CACHE"))
    cannot write CACHE/x.png: Is a directory
    """
    try:
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
    except OSError as exc:
        raise StarclassError(f"cannot write {path}: {exc.strerror or exc}") from None


@dataclass
class RenderCache:
    """PNG files on disk for each (candidate row, kind), rendered on first use.

    Parameters
    ----------
    data
        Band -> 2-D image (memory-mapped arrays are fine).
    xs, ys
        Candidate positions (0-based), indexed by row.
    settings
        :class:`RenderSettings`.
    root
        Cache folder (a sub-folder per settings hash is used).
    colours
        Per-row outline colour of the neighbour circles in the context view.
    fwhm
        Per-row FWHM (px) of the catalogue (:func:`catalogue_fwhm`) shown with the profile;
        None, or NaN for a row, to measure it with detection's fitter.
    bad
        The unusable pixels of a window of a band (:data:`BadPixels`, the mosaics' ``mask``):
        NaN in every picture, so they never set its stretch.

    Examples
    --------
    >>> import tempfile
    >>> img = np.random.default_rng(0).normal(0, 1, (80, 80))
    >>> cache = RenderCache({"v": img}, np.array([40.0]), np.array([40.0]),
    ...                     RenderSettings(("v", "v", "v"), "v"), Path(tempfile.mkdtemp()))
    >>> cache.is_cached(0), cache.render(0) is None, cache.is_cached(0)
    (False, True, True)
    >>> sorted(p.name for p in cache.dir.iterdir())[:2]
    ['0000000_composite.png', '0000000_context.png']
    """

    data: dict[str, np.ndarray]
    xs: np.ndarray
    ys: np.ndarray
    settings: RenderSettings
    root: Path
    colours: list[str] | None = None
    fwhm: np.ndarray | None = None
    bad: BadPixels | None = None
    fits: dict[int, dict] = field(default_factory=dict)
    _locks: dict = field(default_factory=dict)
    _guard: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        key = self.settings.key()
        if self.fwhm is not None:
            # the profiles show these values: another catalogue must not be served stale fits
            self.fwhm = np.asarray(self.fwhm, dtype=float)
            key += "-" + hashlib.sha256(self.fwhm.tobytes()).hexdigest()[:8]
        self._set_folder(Path(self.root) / key)
        self._order = np.argsort(self.xs)
        self._xs_sorted = np.asarray(self.xs)[self._order]

    def _set_folder(self, wanted: Path) -> None:
        # not made here: a command that loads the field and then refuses (a broken web extra, another field's
        # database) left an empty picture folder behind; made on first use (or make_folder)
        self._wanted, self._dir = wanted, None

    @property
    def dir(self) -> Path:
        """The folder of the pictures, made (and checked writable) on first use: :meth:`make_folder`.

        Examples
        --------
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp()) / "pictures"
        >>> cache = RenderCache({"v": np.zeros((20, 20))}, np.array([10.0]), np.array([10.0]),
        ...                     RenderSettings(("v", "v", "v"), "v"), root)
        >>> root.exists(), cache.dir.parent == root, root.is_dir()  # made when first asked for
        (False, True, True)
        """
        return self._dir if self._dir is not None else self.make_folder()

    def make_folder(self) -> Path:
        """Make the pictures' folder (:func:`cache_folder`: elsewhere in the user's cache where it cannot be written).

        Called by whoever serves, once nothing is left to refuse: :func:`~starclass.inspect.field.load_field`
        calls it unless told not to (``make_cache=False``), and ``inspect`` after its checks.

        Raises
        ------
        StarclassError
            Neither folder can be written.
        """
        with self._guard:
            if self._dir is None:
                # a data folder that cannot be written: the user's cache instead of a traceback
                self._dir = cache_folder(self._wanted)
        return self._dir

    def path(self, row: int, kind: str) -> Path:
        if kind not in KINDS:
            raise KeyError(kind)
        return self.dir / f"{int(row):07d}_{kind}.png"

    def _lock(self, key) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def neighbours(self, row: int) -> list[tuple[float, float, str]]:
        half = self.settings.context_size / 2 + 2
        x0 = float(self.xs[row])
        lo = np.searchsorted(self._xs_sorted, x0 - half)
        hi = np.searchsorted(self._xs_sorted, x0 + half)
        rows = self._order[lo:hi]
        rows = rows[(np.abs(np.asarray(self.ys)[rows] - self.ys[row]) <= half) & (rows != row)]
        colours = self.colours or ["#ff66ff"] * len(self.xs)
        return [(float(self.xs[r]), float(self.ys[r]), colours[r]) for r in rows]

    def stamp(self, row: int) -> dict:
        """The V-band stamp of a row as numbers for the page's contrast control (:func:`v_stamp`)."""
        return v_stamp(self.data, float(self.xs[row]), float(self.ys[row]), self.settings, self.bad)

    def get(self, row: int, kind: str) -> bytes:
        """The PNG bytes for one candidate and kind, rendering (and caching) on a miss."""
        p = self.path(row, kind)
        try:
            return p.read_bytes()
        except FileNotFoundError:
            pass  # a cache miss, not an error: the picture is rendered below (under its lock) and read then
        with self._lock((row, kind)):
            if not p.exists():
                self._render_kind(row, kind)
        return p.read_bytes()

    def render(self, row: int) -> None:
        """Render every kind for one row (skipping kinds already cached)."""
        for kind in KINDS:
            with self._lock((row, kind)):
                if not self.path(row, kind).exists():
                    self._render_kind(row, kind)

    def _render_kind(self, row: int, kind: str) -> None:
        # one kind at a time: the composite and the context view (milliseconds) never wait
        # for the matplotlib profile (a few hundred ms)
        x, y, s = float(self.xs[row]), float(self.ys[row]), self.settings
        p = self.path(row, kind)
        if kind == "composite":
            png = composite_png(self.data, x, y, s, self.bad)
        elif kind == "profile":
            with _MPL_LOCK:
                known = None if self.fwhm is None else float(self.fwhm[row])
                png, fit = profile_png(self.data, x, y, s, known, self.bad)
            self.fits[row] = fit
            _cache_write(self.dir / f"{int(row):07d}_fit.json", json.dumps(fit).encode())
        else:
            png = context_png(self.data, x, y, s, self.neighbours(row), self.bad)
        _cache_write(p, png)

    def fit(self, row: int) -> dict | None:
        """The radial-profile fit of a row if it was rendered."""
        if row in self.fits:
            return self.fits[row]
        p = self.dir / f"{int(row):07d}_fit.json"
        if p.exists():
            try:
                self.fits[row] = json.loads(p.read_text())
            except ValueError:
                return None
            return self.fits[row]
        return None

    def is_cached(self, row: int) -> bool:
        return all(self.path(row, k).exists() for k in KINDS)
