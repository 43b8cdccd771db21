"""Tiles of a mosaic too large for one process, and who owns a candidate in an overlap.

A mosaic of ``(ny, nx)`` pixels is cut into a grid of **cores**, half-open pixel intervals
``[x0, x1) x [y0, y1)`` of side ``tile_size`` (the last row and column shorter) that cover the
image exactly once. Each tile reads its core plus ``overlap`` pixels on every side (clipped to
the image), so detection, photometry and stamps of a candidate near a core edge see the same
pixels as in one whole-image run. A candidate belongs to the one tile whose core holds its
centre: ``x0 <= x < x1`` and ``y0 <= y < y1``. A centre exactly on an edge (``x == x1``) goes to
the tile on the right (above); one on a corner to the tile up-right of it. Centres off the image
(``x < 0`` or ``x >= nx``, down to -0.5 and up to ``nx - 0.5`` are still pixel 0 and ``nx - 1``)
go to the nearest edge tile, so no candidate is ever lost.

:class:`MosaicWindow` is the part of a :class:`starclass.io.Mosaics` a tile reads: its window's pixels
(and weight maps, flags) only, read from the files with plain reads, not through their memory maps
(:func:`starclass.io.mosaic.read_window`): a file cut short while the survey runs is then an error
naming it, not SIGBUS.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from starclass.errors import StarclassError


@dataclass(frozen=True)
class Tile:
    """One tile: its core (owned) and its window (read) in whole-image pixels.

    Attributes
    ----------
    row, col
        Position in the grid.
    core
        ``(x0, x1, y0, y1)``: half-open intervals of the pixels this tile owns.
    window
        ``(x0, x1, y0, y1)``: the pixels it reads (core plus overlap, clipped).

    Examples
    --------
    >>> t = Tile(0, 1, core=(100, 200, 0, 100), window=(68, 232, 0, 132))
    >>> t.name, t.offset
    ('r000_c001', (68, 0))
    """

    row: int
    col: int
    core: tuple[int, int, int, int]
    window: tuple[int, int, int, int]

    @property
    def name(self) -> str:
        """``r<row>_c<col>``, zero-padded so names sort in grid order.

        Examples
        --------
        >>> Tile(2, 11, core=(1100, 1200, 200, 300), window=(1068, 1232, 168, 332)).name
        'r002_c011'
        """
        return f"r{self.row:03d}_c{self.col:03d}"

    @property
    def offset(self) -> tuple[int, int]:
        """``(x, y)`` of the window's first pixel in the whole image.

        Examples
        --------
        >>> Tile(0, 1, core=(100, 200, 0, 100), window=(68, 232, 0, 132)).offset
        (68, 0)
        """
        return self.window[0], self.window[2]

    @property
    def slices(self) -> tuple[slice, slice]:
        """Numpy ``(rows, cols)`` slices of the window.

        Examples
        --------
        >>> image = np.zeros((132, 300))
        >>> t = Tile(0, 1, core=(100, 200, 0, 100), window=(68, 232, 0, 132))
        >>> t.slices, image[t.slices].shape
        ((slice(0, 132, None), slice(68, 232, None)), (132, 164))
        """
        x0, x1, y0, y1 = self.window
        return slice(y0, y1), slice(x0, x1)

    @property
    def n_pixels(self) -> int:
        """Pixels in the core.

        Examples
        --------
        >>> Tile(0, 1, core=(100, 200, 0, 100), window=(68, 232, 0, 132)).n_pixels  # the core's, not the window's
        10000
        """
        x0, x1, y0, y1 = self.core
        return (x1 - x0) * (y1 - y0)


def _edges(n: int, size: int) -> np.ndarray:
    """Core boundaries along one axis: 0, size, 2 size, ..., n."""
    return np.append(np.arange(0, n, size), n)


def tile_grid(shape: tuple[int, int], tile_size: int, overlap: int) -> list[Tile]:
    """Cut an image of ``shape = (ny, nx)`` into tiles.

    Parameters
    ----------
    shape
        ``(ny, nx)`` of the mosaic.
    tile_size
        Side of a core (px); an image no larger than this is one tile.
    overlap
        Margin (px) read around each core on every side.

    Returns
    -------
    list of Tile
        Row-major (row 0 = smallest y).

    Examples
    --------
    >>> [t.core for t in tile_grid((100, 250), 128, 16)]
    [(0, 128, 0, 100), (128, 250, 0, 100)]
    >>> tile_grid((100, 250), 128, 16)[1].window
    (112, 250, 0, 100)
    """
    ny, nx = (int(s) for s in shape)
    if tile_size < 1 or overlap < 0:
        raise StarclassError(f"tile_size must be >= 1 and overlap >= 0, got {tile_size} and {overlap}")
    xe, ye = _edges(nx, tile_size), _edges(ny, tile_size)
    tiles = []
    for r in range(len(ye) - 1):
        for c in range(len(xe) - 1):
            x0, x1, y0, y1 = int(xe[c]), int(xe[c + 1]), int(ye[r]), int(ye[r + 1])
            win = (max(0, x0 - overlap), min(nx, x1 + overlap), max(0, y0 - overlap), min(ny, y1 + overlap))
            tiles.append(Tile(r, c, (x0, x1, y0, y1), win))
    return tiles


def assign_tiles(x: np.ndarray, y: np.ndarray, shape: tuple[int, int], tile_size: int) -> np.ndarray:
    """Index (into :func:`tile_grid`'s list) of the tile owning each centre.

    Half-open intervals: a centre on an edge belongs to the tile above/right of it; centres
    beyond the image belong to the nearest edge tile.

    Parameters
    ----------
    x, y
        0-based centres (finite).
    shape
        ``(ny, nx)``.
    tile_size
        Side of a core.

    Returns
    -------
    numpy.ndarray
        int64 tile index per centre.

    Examples
    --------
    >>> assign_tiles(np.array([127.999, 128.0, 249.4]), np.array([0.0, 0.0, 99.0]), (100, 250), 128).tolist()
    [0, 1, 1]
    """
    ny, nx = (int(s) for s in shape)
    n_cols = len(_edges(nx, tile_size)) - 1
    n_rows = len(_edges(ny, tile_size)) - 1
    # floor division is exactly the half-open rule: x in [k size, (k+1) size) -> k
    col = np.clip(np.floor(np.asarray(x, dtype=float) / tile_size), 0, n_cols - 1).astype(np.int64)
    row = np.clip(np.floor(np.asarray(y, dtype=float) / tile_size), 0, n_rows - 1).astype(np.int64)
    return row * n_cols + col


def in_core(x: np.ndarray, y: np.ndarray, tile: Tile, shape: tuple[int, int]) -> np.ndarray:
    """Whether each whole-image centre belongs to ``tile`` (the same rule as :func:`assign_tiles`).

    Examples
    --------
    >>> t = tile_grid((100, 250), 128, 16)[1]
    >>> in_core(np.array([127.9, 128.0, 260.0]), np.array([5.0, 5.0, 5.0]), t, (100, 250)).tolist()
    [False, True, True]
    """
    ny, nx = shape
    x0, x1, y0, y1 = tile.core
    # the outer edges of the image reach to infinity so that nothing falls between tiles
    lo_x = -np.inf if x0 == 0 else x0
    hi_x = np.inf if x1 == nx else x1
    lo_y = -np.inf if y0 == 0 else y0
    hi_y = np.inf if y1 == ny else y1
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    return (x >= lo_x) & (x < hi_x) & (y >= lo_y) & (y < hi_y)


class MosaicWindow:
    """A rectangular window of a :class:`starclass.io.Mosaics`, itself a ``Mosaics``.

    The images are copies of the window of the parent's arrays, read when the window is made with
    plain file reads where the parent's are memory-mapped (:func:`starclass.io.mosaic.read_window`):
    a page of a memory map past the end of a file cut short while a survey ran was SIGBUS, which
    killed the process without a word, and a tile reads its pixels long after the file was opened.
    The WCS is sliced to match; weight maps and masks are read over the window only.

    Parameters
    ----------
    parent
        The whole mosaics (a :class:`starclass.io.MosaicSet` or any ``Mosaics``).
    window
        ``(x0, x1, y0, y1)`` in the parent's pixels (half-open).
    flags
        A :class:`starclass.io.mosaic.PixelFlags` (the survey's ``mask_extension``,
        ``dq_good_bits``): the pixels it flags in each band's file, read over the window only,
        are NaN in :attr:`data` and bad in :meth:`mask`, as :func:`~starclass.io.read_mosaics`
        makes them for a whole image without copying the whole mosaic.
    photon_counts
        Band -> whether the whole mosaic's band is read as photon counts (decided once per field by
        the survey, :func:`starclass.detect.find.counts_decision`): a window near the threshold
        decided otherwise than its neighbours and got another background and noise model.
    apcorr_psf
        The PSF of the aperture corrections decided on the whole mosaic
        (:func:`starclass.detect.photometry.psf_decision`, read by
        :func:`~starclass.detect.photometry.carried_psf`): a window with fewer than 10 stars fell back
        on another PSF than its neighbours, and its magnitudes jumped at the tile edges.
    expect
        Real path -> ``(size, mtime_ns)`` of each file as the survey checked it: a file read here that
        differs (changed after the check, or while it is read) is refused naming it
        (:func:`~starclass.io.mosaic.read_window`). None: not compared.

    Examples
    --------
    >>> from starclass.io import ArrayMosaics
    >>> m = ArrayMosaics({"f555w": np.arange(20.0).reshape(4, 5)}, {"f555w": 25.0})
    >>> w = MosaicWindow(m, (1, 3, 2, 4))
    >>> w.shape, w.data["f555w"].tolist()
    ((2, 2), [[11.0, 12.0], [16.0, 17.0]])
    """

    def __init__(self, parent, window: tuple[int, int, int, int], flags=None,
                 photon_counts: Mapping[str, bool] | None = None,
                 apcorr_psf: Mapping[str, Any] | None = None,
                 expect: Mapping[str, tuple[int, int]] | None = None) -> None:
        from starclass.io.mosaic import read_window

        x0, x1, y0, y1 = (int(v) for v in window)
        self._parent = parent
        self._flags = flags
        self._expect = dict(expect or {})
        self.photon_counts = dict(photon_counts or {})
        self.apcorr_psf = None if apcorr_psf is None else dict(apcorr_psf)
        self._window = (x0, x1, y0, y1)
        self._slices = (slice(y0, y1), slice(x0, x1))
        # read now, with plain reads: detection and photometry touch these pixels for seconds to minutes, and a
        # memory-mapped page of a file cut short meanwhile killed the worker (SIGBUS) instead of failing the tile
        paths = getattr(parent, "paths", None) or {}
        self.data = {b: read_window(parent.data[b], self._slices, paths.get(b), self._expect) for b in parent.bands}
        self._flagged: dict[str, np.ndarray] = {}
        if flags:
            for b in parent.bands:
                bad = flags.bad(parent.paths[b], window=self._slices)
                if bad.any():
                    self._flagged[b] = bad
                    self.data[b] = np.where(bad, np.float32(np.nan), self.data[b]).astype(np.float32)
        wcs = getattr(parent, "wcs", None)
        self.wcs = None if wcs is None else wcs.slice(self._slices)
        self._masks: dict[str, np.ndarray] = {}

    # the parent's, as the Mosaics protocol names them (exptime and headers: None where it has none)
    @property
    def bands(self) -> list[str]:
        """The parent's band names, in order.

        Examples
        --------
        >>> from starclass.io import ArrayMosaics
        >>> m = ArrayMosaics({"f555w": np.ones((4, 5)), "f814w": np.ones((4, 5))}, {"f555w": 25.0, "f814w": 24.2})
        >>> MosaicWindow(m, (1, 3, 2, 4)).bands
        ['f555w', 'f814w']
        """
        return list(self._parent.bands)

    @property
    def zeropoint(self) -> Mapping[str, float]:
        """The parent's band -> zeropoint (the same for every window).

        Examples
        --------
        >>> from starclass.io import ArrayMosaics
        >>> m = ArrayMosaics({"f555w": np.ones((4, 5)), "f814w": np.ones((4, 5))}, {"f555w": 25.0, "f814w": 24.2})
        >>> MosaicWindow(m, (1, 3, 2, 4)).zeropoint
        {'f555w': 25.0, 'f814w': 24.2}
        """
        return self._parent.zeropoint

    @property
    def magsys(self) -> str:
        """The parent's magnitude system of :attr:`zeropoint` (``"vega"`` or ``"ab"``).

        Examples
        --------
        >>> from starclass.io import ArrayMosaics
        >>> m = ArrayMosaics({"f555w": np.ones((4, 5)), "f814w": np.ones((4, 5))}, {"f555w": 25.0, "f814w": 24.2})
        >>> MosaicWindow(m, (1, 3, 2, 4)).magsys
        'vega'
        """
        return self._parent.magsys

    @property
    def pixel_scale(self) -> float:
        """The parent's arcsec per pixel.

        Examples
        --------
        >>> from starclass.io import ArrayMosaics
        >>> m = ArrayMosaics({"f555w": np.ones((4, 5)), "f814w": np.ones((4, 5))}, {"f555w": 25.0, "f814w": 24.2})
        >>> MosaicWindow(m, (1, 3, 2, 4)).pixel_scale
        0.04
        """
        return self._parent.pixel_scale

    @property
    def v_band(self) -> str:
        """The parent's band used as V (detection, CI).

        Examples
        --------
        >>> from starclass.io import ArrayMosaics
        >>> m = ArrayMosaics({"f555w": np.ones((4, 5)), "f814w": np.ones((4, 5))}, {"f555w": 25.0, "f814w": 24.2})
        >>> MosaicWindow(m, (1, 3, 2, 4)).v_band
        'f555w'
        """
        return self._parent.v_band

    @property
    def exptime(self) -> Mapping[str, float] | None:
        """The parent's band -> exposure time (s), or None where the parent has none.

        Examples
        --------
        >>> from starclass.io import ArrayMosaics
        >>> m = ArrayMosaics({"f555w": np.ones((4, 5)), "f814w": np.ones((4, 5))},
        ...                  {"f555w": 25.0, "f814w": 24.2}, exptime={"f555w": 500})
        >>> MosaicWindow(m, (1, 3, 2, 4)).exptime
        {'f555w': 500.0}
        """
        return getattr(self._parent, "exptime", None)

    @property
    def headers(self) -> Mapping[str, Any] | None:
        """The parent's band -> FITS header, or None where the parent has none (images in memory).

        Examples
        --------
        >>> from starclass.io import ArrayMosaics
        >>> m = ArrayMosaics({"f555w": np.ones((4, 5)), "f814w": np.ones((4, 5))}, {"f555w": 25.0, "f814w": 24.2})
        >>> MosaicWindow(m, (1, 3, 2, 4)).headers is None
        True
        """
        return getattr(self._parent, "headers", None)

    @property
    def weights(self) -> dict[str, np.ndarray | None]:
        """Band -> the window of its weight map; a band without one but zero-padded: 1 = data, 0 = padding.

        The stamp cutters read it as classify's do on a whole MosaicSet: a tile had none, so a given
        position on a drizzled mosaic's zero-weight padding was cut from the zeros and classified.

        Examples
        --------
        >>> from starclass.io import ArrayMosaics
        >>> m = ArrayMosaics({"f555w": np.ones((4, 5)), "f814w": np.ones((4, 5))}, {"f555w": 25.0, "f814w": 24.2})
        >>> m.weights = {"f555w": np.arange(20.0).reshape(4, 5), "f814w": None}  # as a MosaicSet has them
        >>> w = MosaicWindow(m, (1, 3, 2, 4))
        >>> w.weights["f555w"].tolist(), w.weights["f814w"]
        ([[11.0, 12.0], [16.0, 17.0]], None)
        """
        if not hasattr(self, "_weights"):
            from starclass.io.mosaic import ZERO_PADDING_PX, read_window

            parent_weights = getattr(self._parent, "weights", None) or {}
            out: dict[str, np.ndarray | None] = {}
            for b in self.bands:
                w = parent_weights.get(b)
                if w is not None:
                    # a weight map's own file (..._wht.fits), else the image's (a WHT extension)
                    where = (getattr(self._parent, "weight_paths", None) or {}).get(b) or self.paths.get(b)
                    out[b] = read_window(w, self._slices, where, self._expect)
                elif isinstance(parent_weights, dict) and b in parent_weights and not self.blank(b):
                    # a file's band without a weight map (a MosaicSet): its padding, as MosaicSet.padding finds it
                    side = getattr(self._parent, "padding_side", None)
                    pad = self._padding(b, side(b) if callable(side) else ZERO_PADDING_PX)
                    out[b] = np.logical_not(pad).view(np.uint8) if pad.any() else None
                else:
                    out[b] = None
            self._weights = out
        return self._weights

    def _padding(self, band: str, side: int) -> np.ndarray:
        """The window's zero padding (:func:`starclass.io.mosaic.zero_padding`), from a plain read of its margin.

        The opening looks ``2 (side // 2)`` px beyond the window: that margin is read with the window (not
        through the parent's memory map), so the result equals the same part of the whole image's.
        """
        from starclass.io.mosaic import read_window, zero_padding

        ny, nx = self._parent.data[band].shape
        x0, x1, y0, y1 = self._window
        m = 2 * (side // 2)
        bx0, bx1, by0, by1 = max(x0 - m, 0), min(x1 + m, nx), max(y0 - m, 0), min(y1 + m, ny)
        block = read_window(self._parent.data[band], (slice(by0, by1), slice(bx0, bx1)), self.paths.get(band),
                            self._expect)
        return zero_padding(block, (slice(y0 - by0, y1 - by0), slice(x0 - bx0, x1 - bx0)), side)

    def blank(self, band: str) -> bool:
        """Whether the whole band is zero everywhere (a blank band, not padding: see MosaicSet.blank)."""
        blank = getattr(self._parent, "blank", None)
        return bool(blank(band)) if callable(blank) else False

    @property
    def shape(self) -> tuple[int, int]:
        """``(ny, nx)`` of the window (not of the parent).

        Examples
        --------
        >>> from starclass.io import ArrayMosaics
        >>> m = ArrayMosaics({"f555w": np.ones((4, 5)), "f814w": np.ones((4, 5))}, {"f555w": 25.0, "f814w": 24.2})
        >>> MosaicWindow(m, (1, 3, 2, 4)).shape
        (2, 2)
        """
        x0, x1, y0, y1 = self._window
        return (y1 - y0, x1 - x0)

    @property
    def paths(self) -> Mapping[str, Path]:
        """The parent's band -> file it came from (empty for images in memory).

        Examples
        --------
        >>> from starclass.io import ArrayMosaics
        >>> m = ArrayMosaics({"f555w": np.ones((4, 5)), "f814w": np.ones((4, 5))}, {"f555w": 25.0, "f814w": 24.2})
        >>> MosaicWindow(m, (1, 3, 2, 4)).paths
        {}
        """
        return getattr(self._parent, "paths", {}) or {}

    def reach(self, band: str, box: tuple[int, int, int, int]) -> tuple[np.ndarray, np.ndarray, int, int]:
        """Pixels and bad-pixel mask of ``band`` over ``box``, in the window's pixels but read from the parent.

        The box may reach beyond the window (it is clipped to the parent): a saturated star's bleed column
        runs up to 256 px, further than a tile's overlap, and the whole image's total sums all of it
        (:func:`starclass.detect.photometry._saturated_totals`). The pixels are those a window over the box
        holds (the survey's flagged pixels NaN, the mask from the parent's weight maps and flags).

        Parameters
        ----------
        band
            The band.
        box
            ``(x0, x1, y0, y1)`` in the window's pixels (half-open; may be negative or past its end).

        Returns
        -------
        data, mask, x0, y0
            The clipped box's pixels and bad pixels, and where it begins in the window's pixels.

        Examples
        --------
        >>> from starclass.io import ArrayMosaics
        >>> m = ArrayMosaics({"f555w": np.arange(20.0).reshape(4, 5)}, {"f555w": 25.0})
        >>> data, bad, x0, y0 = MosaicWindow(m, (1, 3, 2, 4)).reach("f555w", (0, 1, -5, 1))
        >>> data.ravel().tolist(), (x0, y0)
        ([1.0, 6.0, 11.0], (0, -2))
        """
        wx0, _, wy0, _ = self._window
        ny, nx = self._parent.data[band].shape
        x0, x1 = max(box[0] + wx0, 0), min(box[1] + wx0, nx)
        y0, y1 = max(box[2] + wy0, 0), min(box[3] + wy0, ny)
        part = MosaicWindow(self._parent, (x0, max(x1, x0), y0, max(y1, y0)), flags=self._flags,
                            photon_counts=self.photon_counts, apcorr_psf=self.apcorr_psf, expect=self._expect)
        return part.data[band], part.mask(band), x0 - wx0, y0 - wy0

    def mask(self, band: str) -> np.ndarray:
        """Bad pixels of ``band`` within the window (computed once per band)."""
        if band not in self._masks:
            from starclass.io.mosaic import MosaicSet, bad_pixel_mask

            parent = self._parent
            if isinstance(parent, MosaicSet):
                # from the pixels and weights read above, as MosaicSet.mask(band, window) makes it from its memory
                # maps (a weight-less band's padding is its weight here); its flags where this window has none
                self._masks[band] = bad_pixel_mask(self.data[band], self.weights[band])
                lazy = parent.pixel_flags if parent.pixel_flags and not parent.flags_in_data else None
                if lazy and not self._flags:
                    self._masks[band] |= lazy.bad(parent.paths[band], window=self._slices)
            else:
                try:
                    self._masks[band] = np.asarray(parent.mask(band, window=self._slices), dtype=bool)
                except TypeError:  # a Mosaics without windowed masks: slice the whole mask
                    self._masks[band] = np.asarray(parent.mask(band), dtype=bool)[self._slices]
            if band in self._flagged:
                self._masks[band] = self._masks[band] | self._flagged[band]
        return self._masks[band]
