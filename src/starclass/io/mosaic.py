"""FITS mosaics: one image per band, opened memory-mapped, checked to share one pixel grid.

Every image-using stage (detect, stamps, inspect, classify) takes a :class:`Mosaics`: the
protocol below, implemented by :class:`MosaicSet` (read from FITS) and :class:`ArrayMosaics`
(arrays in memory). A :class:`MosaicSet` holds one 2-D float32 array per band, memory-mapped
from the FITS file (big-endian ``>f4`` data are kept as they are on disk, so an 8192 x 8192 x 5
set costs no resident memory until read), the shared WCS, and the photometric zeropoint of
each band:

    mag = -2.5 log10(counts / s) + zeropoint[band]

Zeropoints come from the HST keywords PHOTFLAM and PHOTPLAM (AB from the standard formula,
Vega by subtracting the band's AB - Vega offset, see :mod:`starclass.bands`), from a zeropoint
keyword (``ABMAGZP``, ``MAGZERO``, ...), or are given per band. Images in counts rather than
counts/s (``BUNIT = 'ELECTRONS'``) get ``2.5 log10(EXPTIME)`` added to a PHOTFLAM zeropoint (the
flux of 1 e-/s) so the formula above holds for the pixel values as stored; a keyword zeropoint is
already of the stored values and is used as it stands.

Pixels that are NaN, or have zero weight (a ``WHT`` extension in the same file, or a
``*_wht.fits`` / ``*wht*.fits`` file beside it), are bad: :meth:`MosaicSet.mask` returns True
there, and consumers must not treat them as sky. On request (:class:`PixelFlags`), the pixels a
mask extension (nonzero = bad) or a data-quality extension (``DQ``, bits read with astropy's
:func:`~astropy.nddata.bitmask.bitfield_to_boolean_mask`) flags are set to NaN when the file is read,
so every stage leaves them out as it leaves out a NaN border.

Positions are 0-based (numpy / astropy ``pixel`` convention), as everywhere in starclass.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, runtime_checkable

import astropy.units as u
import numpy as np
from astropy.io import fits
from numpy.typing import ArrayLike

from starclass.bands import (
    ACS_WFC,
    BANDS,
    WFC3_UVIS,
    ab_minus_vega,
    ab_minus_vega_source,
    ab_zeropoint,
    camera_name,
    v_band,
    v_band_note,
)
from starclass.errors import OutputExistsError, StarclassError, agreeing, exists_refusal, shell_word, shown_command
from starclass.io.atomic import atomic_path
from starclass.io.counts import counts_tally, photon_counts

# fits_suffix, is_fits_name and mosaic_inputs live in light modules (no astropy): the output checks run them
# before a command's first line; imported here, where the readers use them and callers have found them
from starclass.io.fits_names import (
    FITS_BASES,
    FITS_COMPRESSIONS,
    FITS_NAMES,
    FITS_SUFFIXES,
    fits_suffix,
    is_fits_name,
)
from starclass.io.paths import mosaic_inputs, resolved  # noqa: F401
from starclass.schema import check_distinct_bands

if TYPE_CHECKING:
    # astropy's WCS, coordinates and tables load where a mosaic's header is read or a FITS table is, not wherever
    # this module is imported for its names (is_fits_name, the extension names, PixelFlags: cutout_folders, the
    # survey's plan, info of a catalogue)
    from astropy.coordinates import SkyCoord
    from astropy.table import Table
    from astropy.wcs import WCS

PathLike = str | os.PathLike

#: HST STmag zeropoint written as PHOTZPT by the calibration pipeline.
STMAG_ZEROPOINT = -21.10

#: Extension names taken to be weight (or exposure, coverage, inverse-variance) maps: zero means no data.
#: ``WGT``: DES coadds' and single-epoch images' inverse-variance plane (beside ``SCI`` and ``MSK``).
WEIGHT_EXTNAMES = ("WHT", "WEIGHT", "WEIGHTS", "WGT", "EXP", "EXPOSURE", "NEXP", "COVERAGE", "IVAR", "INVVAR")

#: Extension names of the maps that travel with a band's image (drizzle context, errors, variance,
#: data quality, sample counts, background, segmentation; JWST's three variance parts and pixel-area
#: map; HST's distortion look-up tables): not the band's image, passed over in silence.
ANCILLARY_EXTNAMES = ("CTX", "CON", "ERR", "DQ", "VAR", "VARIANCE", "RMS", "NOISE", "SIGMA", "UNC", "UNCERT",
                      "HDRTAB", "SAMP", "TIME", "BKG", "BACKGROUND", "SKY", "SEG", "SEGM", "SEGMENTATION",
                      "VAR_POISSON", "VAR_RNOISE", "VAR_FLAT", "AREA", "D2IMARR", "WCSDVARR")

#: Extension names of pixel masks: not applied unless asked for (their conventions differ: 1 is bad in
#: some, good in others; :class:`PixelFlags`), named in one line so that a user who expects them applied
#: knows how. ``DQ`` (HST, JWST data quality) is named in that line too, though it is also ancillary.
MASK_EXTNAMES = ("MASK", "MSK", "BPM", "BADPIX", "FLAG", "FLAGS")

#: The data-quality extension that :attr:`PixelFlags.dq_good_bits` reads (HST ``flt``/``flc``, JWST ``cal``).
DQ_EXTNAME = "DQ"

#: What the common ancillary extensions hold, in a few words (for the error on a file without an image).
_ANCILLARY_WORDS = {"CTX": "a context map", "CON": "a context map", "ERR": "an error map", "VAR": "a variance map",
                    "VARIANCE": "a variance map", "RMS": "an error map", "SIGMA": "an error map",
                    "SAMP": "a sample map", "TIME": "an exposure-time map", "BKG": "a background map",
                    "SKY": "a background map", "SEG": "a segmentation map", "SEGM": "a segmentation map"}

#: Table meta key: where a catalogue's ``ra``, ``dec`` came from, or (``"none: ..."``) why a catalogue
#: measured on mosaics has none (no celestial WCS); commands that need sky positions quote it when refusing.
SKY_POSITIONS = "sky_positions"

#: Largest offset (pixels) between two bands' grids still counted as "the same WCS".
WCS_TOLERANCE_PX = 0.01

_BAND_IN_NAME = re.compile(r"^f\d{3,4}(?:w|m|n|lp|x|w2)$")


@dataclass(frozen=True)
class PixelFlags:
    """Which pixels of each band's file to set to NaN: those a mask or data-quality extension flags.

    Asked for by ``--mask-extension`` and ``--dq-good-bits`` (``detect``, ``cutouts``, ``classify``,
    ``train``, ``calibrate``; a survey plan's ``mask_extension``, ``dq_good_bits``) and given to
    :func:`read_mosaics`. Each band's file must hold the extensions named, of its
    image's shape; a pixel flagged by either becomes NaN, which detection, background,
    photometry and stamps all leave out.

    Parameters
    ----------
    mask_extension
        ``EXTNAME`` of a mask extension (``BPM``, ``MASK``, ...; any case): a nonzero pixel is bad.
        None: no mask extension is read.
    dq_good_bits
        The bits of the ``DQ`` extension that do **not** make a pixel bad, in astropy's bit-flag
        syntax (:func:`astropy.nddata.bitmask.bitfield_to_boolean_mask`'s ``ignore_flags``, as
        JWST's ``good_bits`` and drizzlepac's ``final_bits``): ``"0"`` any set bit is bad;
        ``"4+16"`` bits 4 and 16 are harmless, any other is bad; ``"~4096"`` only bit 4096 is bad.
        None: the DQ extension is not read.
    mask_file
        A bad-pixel mask **file** beside each band's mosaic (``--mask-file``; HST and ground
        pipelines' ``*_bpm.fits``), as a name template: ``{stem}`` is the mosaic's file name
        without its FITS extension, and a relative result is taken in the mosaic's folder:
        ``"{stem}_bpm.fits"`` pairs ``g_f555w.fits`` with ``g_f555w_bpm.fits``, each band with
        its own; ``"masks/{stem}.fits"`` looks in a sub-folder; a path without ``{stem}`` is
        one mask for every band. Its first 2-D image, of the mosaic's shape: nonzero (or NaN)
        is bad. None: no mask file is read.

    Raises
    ------
    StarclassError
        An expression astropy refuses (quoted), or an empty one; a mask-file template with
        another field than ``{stem}``.

    Examples
    --------
    >>> PixelFlags(mask_extension="bpm", dq_good_bits="~4096").describe()
    "mask extension BPM (nonzero = bad), DQ with good bits '~4096' (astropy syntax)"
    >>> try:
    ...     PixelFlags(dq_good_bits="DO_NOT_USE")
    ... except StarclassError as exc:
    ...     print(str(exc)[:58])
    --dq-good-bits 'DO_NOT_USE': not a bit-flag expression ast
    """

    mask_extension: str | None = None
    dq_good_bits: str | None = None
    mask_file: str | None = None

    def __post_init__(self) -> None:
        if self.mask_extension is not None:
            name = str(self.mask_extension).strip().upper()
            if not name:
                raise StarclassError("--mask-extension: give an extension name (EXTNAME), e.g. BPM")
            object.__setattr__(self, "mask_extension", name)
        if self.dq_good_bits is not None:
            from astropy.nddata.bitmask import interpret_bit_flags

            expr = str(self.dq_good_bits).strip()
            try:
                if not expr:
                    raise ValueError("empty")
                harmless = interpret_bit_flags(expr)
            except (ValueError, TypeError) as exc:
                raise StarclassError(
                    f"--dq-good-bits {self.dq_good_bits!r}: not a bit-flag expression astropy can read ({exc}); "
                    "it lists the DQ bits that are harmless, as integers joined by '+' or ',', '~' in front to "
                    "mean 'all but these': e.g. '0' (any flag is bad), '4+16', '~4096' (only bit 4096 is bad)"
                ) from None
            if harmless is None or harmless == -1:
                # astropy reads 'None', 'INDEF', '-1' and '~0' as "every bit harmless": the DQ was read and
                # nothing flagged, though 'None' reads as "no good bits" (that is '0')
                raise StarclassError(
                    f"--dq-good-bits {self.dq_good_bits!r}: astropy reads it as 'every DQ bit is harmless', so no "
                    "pixel would be flagged; give '0' for 'any flag is bad', or leave the option out")
            object.__setattr__(self, "dq_good_bits", expr)
        if self.mask_file is not None:
            template = str(self.mask_file).strip()
            try:
                if not template:
                    raise ValueError("empty")
                template.format(stem="x")
            except (KeyError, IndexError, ValueError) as exc:
                raise StarclassError(
                    f"--mask-file {self.mask_file!r}: not a file-name template ({type(exc).__name__}: {exc}); "
                    "{stem} stands for each mosaic's name without .fits, e.g. '{stem}_bpm.fits' (write {{ and }} "
                    "for a literal brace)") from None
            object.__setattr__(self, "mask_file", template)

    def __bool__(self) -> bool:
        return self.mask_extension is not None or self.dq_good_bits is not None or self.mask_file is not None

    def mask_path(self, path: PathLike) -> Path | None:
        """The mask file of the mosaic ``path`` (``mask_file`` filled in), or None without ``mask_file``.

        Examples
        --------
        >>> str(PixelFlags(mask_file="{stem}_bpm.fits").mask_path("field/g_f555w.fits"))
        'field/g_f555w_bpm.fits'
        >>> str(PixelFlags(mask_file="masks/{stem}.fits").mask_path("field/g_f555w.fits.gz"))
        'field/masks/g_f555w.fits'
        """
        if self.mask_file is None:
            return None
        path = Path(path)
        name = path.name
        suffix = fits_suffix(name)
        stem = name[: -len(suffix)] if suffix else path.stem
        out = Path(self.mask_file.format(stem=stem)).expanduser()
        return out if out.is_absolute() else path.parent / out

    def describe(self) -> str:
        """What is applied, in words (for the run's notes)."""
        parts = []
        if self.mask_extension is not None:
            parts.append(f"mask extension {self.mask_extension} (nonzero = bad)")
        if self.dq_good_bits is not None:
            parts.append(f"{DQ_EXTNAME} with good bits {self.dq_good_bits!r} (astropy syntax)")
        if self.mask_file is not None:
            parts.append(f"mask files {self.mask_file} (nonzero = bad)")
        return ", ".join(parts) or "none"

    def bad(self, path: PathLike, window: tuple[slice, slice] | None = None) -> np.ndarray | None:
        """The pixels of the image in ``path`` that these flags make bad (bool, True = bad), or None.

        The image is the one :func:`read_mosaics` reads (the first 2-D image HDU); a mask or DQ
        extension is taken with that image's ``EXTVER`` where the file holds several. With
        ``window = (rows, cols)`` only that part is read (a survey tile of a big mosaic).

        Raises
        ------
        StarclassError
            An extension asked for is absent (the message lists those present), its shape differs
            from the image's (both named), or a DQ extension that does not hold integers.

        Examples
        --------
        An 8 x 8 image with a DQ extension: three pixels of bit 1, one of bit 4096 (``~4096``: only
        that bit is bad):

        >>> import shutil, tempfile
        >>> from astropy.io import fits
        >>> d = Path(tempfile.mkdtemp())  # the example's image: never in the folder it is run from
        >>> dq = np.zeros((8, 8), np.int32)
        >>> dq[0, :3], dq[1, 0] = 1, 4096
        >>> fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(np.ones((8, 8), np.float32), name="SCI"),
        ...               fits.ImageHDU(dq, name="DQ")]).writeto(d / "f200w_i2d.fits")
        >>> flags = PixelFlags(dq_good_bits="~4096")
        >>> int(flags.bad(d / "f200w_i2d.fits").sum()), bool(flags.bad(d / "f200w_i2d.fits")[1, 0])
        (1, True)
        >>> flags.bad(d / "f200w_i2d.fits", window=(slice(0, 4), slice(0, 4))).shape
        (4, 4)
        >>> shutil.rmtree(d)
        """
        if not self:
            return None
        path = Path(path)
        try:
            hdul = open_fits(path, memmap=None, mode="readonly")
        except Exception as exc:
            raise StarclassError(unreadable_fits(path, exc)) from None
        with hdul:
            # the named mask is not the image, whatever its EXTNAME (QUALITY, BADPIXMASK, ...)
            image = _first_image(hdul, skip=(self.mask_extension,) if self.mask_extension else ())
            if image is None:
                raise StarclassError(f"no 2-D image found in any HDU of {path}{_image_shapes(hdul)}")
            shape = (int(image.header["NAXIS2"]), int(image.header["NAXIS1"]))  # from the header: no data read
            window = window or (slice(None), slice(None))
            out = np.zeros(np.empty(shape, dtype=bool)[window].shape, dtype=bool)
            if self.mask_extension is not None:
                flags = read_window(_flag_array(hdul, self.mask_extension, image, shape, path, "--mask-extension"),
                                    window, path)
                out |= flags != 0  # NaN != 0 too: a NaN in a mask is not a good pixel
            if self.dq_good_bits is not None:
                from astropy.nddata.bitmask import bitfield_to_boolean_mask

                dq = read_window(_flag_array(hdul, DQ_EXTNAME, image, shape, path,
                                             f"--dq-good-bits {self.dq_good_bits}"), window, path)
                if dq.dtype.kind not in "iu":
                    # a float DQ written by some pipelines: bits only mean something for whole numbers
                    if dq.dtype.kind != "f" or not np.all(np.isfinite(dq) & (dq == np.round(dq)) & (dq >= 0)):
                        raise StarclassError(
                            f"--dq-good-bits {self.dq_good_bits}: the {DQ_EXTNAME} extension of {path} holds "
                            f"{dq.dtype} values that are not whole non-negative numbers: not bit flags")
                    dq = dq.astype(np.int64)
                out |= bitfield_to_boolean_mask(dq, ignore_flags=self.dq_good_bits, good_mask_value=False,
                                                dtype=bool)
        if self.mask_file is not None:
            out |= _mask_file_array(self.mask_path(path), shape, path, f"--mask-file {self.mask_file}", window) != 0
        return out


@runtime_checkable
class Mosaics(Protocol):
    """What every image-using stage (detect, stamps, inspect, classify) needs from a set of images.

    Co-aligned 2-D images of one field, one per band, sharing a shape and a WCS. Implemented
    by :class:`MosaicSet` (FITS files, memory-mapped) and :class:`ArrayMosaics` (arrays in
    memory); anything with these attributes works. Consumers may also read, when present,
    ``exptime`` (band -> seconds), ``headers`` (band -> FITS header) and ``weights``
    (band -> weight map or None), each with a fallback.

    Examples
    --------
    >>> m = ArrayMosaics({"f555w": np.zeros((3, 3))}, {"f555w": 25.0})
    >>> isinstance(m, Mosaics)
    True
    """

    @property
    def bands(self) -> list[str]:
        """Band names (lower-case filter names), in order.

        Examples
        --------
        >>> m = ArrayMosaics({"f438w": np.ones((4, 6)), "f814w": np.full((4, 6), 2.0)},  # an implementation
        ...                  {"f438w": 25.7, "f814w": 24.7})
        >>> m.bands
        ['f438w', 'f814w']
        """
        ...

    @property
    def data(self) -> Mapping[str, np.ndarray]:
        """Band -> 2-D image in counts per second.

        Examples
        --------
        >>> m = ArrayMosaics({"f438w": np.ones((4, 6)), "f814w": np.full((4, 6), 2.0)},  # an implementation
        ...                  {"f438w": 25.7, "f814w": 24.7})
        >>> float(m.data["f814w"][0, 0]), m.data["f814w"].shape
        (2.0, (4, 6))
        """
        ...

    @property
    def zeropoint(self) -> Mapping[str, float]:
        """Band -> zeropoint with ``mag = -2.5 log10(pixel value) + zeropoint``.

        Examples
        --------
        >>> m = ArrayMosaics({"f438w": np.ones((4, 6)), "f814w": np.full((4, 6), 2.0)},  # an implementation
        ...                  {"f438w": 25.7, "f814w": 24.7})
        >>> m.zeropoint
        {'f438w': 25.7, 'f814w': 24.7}
        """
        ...

    @property
    def magsys(self) -> str:
        """``"vega"`` or ``"ab"``: the system of :attr:`zeropoint`.

        Examples
        --------
        >>> m = ArrayMosaics({"f438w": np.ones((4, 6)), "f814w": np.full((4, 6), 2.0)},  # an implementation
        ...                  {"f438w": 25.7, "f814w": 24.7})
        >>> m.magsys
        'vega'
        """
        ...

    @property
    def shape(self) -> tuple[int, int]:
        """``(ny, nx)``, shared by all bands.

        Examples
        --------
        >>> m = ArrayMosaics({"f438w": np.ones((4, 6)), "f814w": np.full((4, 6), 2.0)},  # an implementation
        ...                  {"f438w": 25.7, "f814w": 24.7})
        >>> m.shape
        (4, 6)
        """
        ...

    @property
    def wcs(self) -> WCS | None:
        """The celestial WCS shared by all bands, or None.

        Examples
        --------
        >>> m = ArrayMosaics({"f438w": np.ones((4, 6)), "f814w": np.full((4, 6), 2.0)},  # an implementation
        ...                  {"f438w": 25.7, "f814w": 24.7})
        >>> m.wcs is None
        True
        """
        ...

    @property
    def paths(self) -> Mapping[str, Path]:
        """Band -> the file it came from (empty for images in memory).

        Examples
        --------
        >>> m = ArrayMosaics({"f438w": np.ones((4, 6)), "f814w": np.full((4, 6), 2.0)},  # an implementation
        ...                  {"f438w": 25.7, "f814w": 24.7})
        >>> m.paths
        {}
        """
        ...

    @property
    def pixel_scale(self) -> float:
        """Arcsec per pixel.

        Examples
        --------
        >>> m = ArrayMosaics({"f438w": np.ones((4, 6)), "f814w": np.full((4, 6), 2.0)},  # an implementation
        ...                  {"f438w": 25.7, "f814w": 24.7})
        >>> m.pixel_scale
        0.04
        """
        ...

    @property
    def v_band(self) -> str:
        """The band used as V (detection, CI).

        Examples
        --------
        >>> m = ArrayMosaics({"f438w": np.ones((4, 6)), "f814w": np.full((4, 6), 2.0)},  # an implementation
        ...                  {"f438w": 25.7, "f814w": 24.7})
        >>> m.v_band
        'f438w'
        """
        ...

    def mask(self, band: str) -> np.ndarray:
        """Bad pixels of ``band``: a bool array of :attr:`shape`, True where unusable."""
        ...


#: What the stamp cutters accept: a :class:`Mosaics`, a mapping band -> 2-D array, a sequence
#: of 2-D arrays, or one ``[B, ny, nx]`` array. A type, not a string: as the string it was, an
#: annotation ``MosaicsLike | str`` elsewhere was ``"..." | str`` to typing.get_type_hints (a
#: TypeError) and its names (``Mosaics``) were looked up in the module using it (a NameError).
MosaicsLike: TypeAlias = Mosaics | Mapping[str, np.ndarray] | Sequence[np.ndarray] | np.ndarray


@dataclass
class ArrayMosaics:
    """In-memory mosaics: one 2-D array per band, sharing a shape.

    A :class:`Mosaics` for images that were never written to disk (the simulator's
    calibration, tests, notebooks).

    Parameters
    ----------
    data
        ``{band: 2-D array}`` in counts per second (e-/s, as drizzled HST products).
    zeropoint
        ``{band: zeropoint}`` with ``mag = -2.5 log10(counts/s) + zeropoint``.
    magsys
        ``"vega"`` or ``"ab"``: the system the zeropoints are in.
    wcs
        Optional :class:`astropy.wcs.WCS` shared by all bands.
    exptime
        ``{band: seconds}`` used for the Poisson term of the errors (1 s when missing).
    pixel_scale
        Arcsec per pixel.

    Examples
    --------
    >>> m = ArrayMosaics({"F555W": np.ones((4, 6)), "f814w": np.ones((4, 6))},
    ...                  {"f555w": 25.7, "f814w": 24.7})
    >>> m.bands, m.shape, m.v_band
    (['f555w', 'f814w'], (4, 6), 'f555w')
    """

    data: dict[str, np.ndarray]
    zeropoint: dict[str, float]
    magsys: str = "vega"
    wcs: WCS | None = None
    exptime: dict[str, float] = field(default_factory=dict)
    pixel_scale: float = 0.04

    def __post_init__(self) -> None:
        self.data = {b.lower(): np.asarray(a) for b, a in self.data.items()}
        self.zeropoint = {b.lower(): float(z) for b, z in self.zeropoint.items()}
        self.exptime = {b.lower(): float(t) for b, t in self.exptime.items()}
        if not self.data:
            raise StarclassError("ArrayMosaics: no images given")
        shapes = {b: a.shape for b, a in self.data.items()}
        first = next(iter(shapes.values()))
        for b, s in shapes.items():
            if len(s) != 2:
                raise StarclassError(f"ArrayMosaics: image of band {b!r} is not 2-D (shape {s})")
            if s != first:
                raise StarclassError(
                    f"ArrayMosaics: band {b!r} has shape {s}, others {first}; all bands must match"
                )
        missing = [b for b in self.data if b not in self.zeropoint]
        if missing:
            raise StarclassError(f"ArrayMosaics: no zeropoint for {agreeing(len(missing), 'band')} "
                                 f"{', '.join(missing)}")

    @property
    def bands(self) -> list[str]:
        """Band names, lower-cased, in the order the images were given.

        Examples
        --------
        >>> ArrayMosaics({"F555W": np.ones((4, 6)), "f814w": np.ones((4, 6))}, {"f555w": 25.7, "f814w": 24.7}).bands
        ['f555w', 'f814w']
        """
        return list(self.data)

    @property
    def shape(self) -> tuple[int, int]:
        """``(ny, nx)``, shared by all bands.

        Examples
        --------
        >>> ArrayMosaics({"f555w": np.ones((4, 6)), "f814w": np.ones((4, 6))}, {"f555w": 25.7, "f814w": 24.7}).shape
        (4, 6)
        """
        return next(iter(self.data.values())).shape

    @property
    def paths(self) -> dict[str, Path]:
        """Band -> file: always empty, as images in memory come from no file.

        Examples
        --------
        >>> ArrayMosaics({"f555w": np.ones((4, 6))}, {"f555w": 25.7}).paths
        {}
        """
        return {}

    @property
    def v_band(self) -> str:
        """The band used as V (detection, CI): F555W, else F606W, else g, else the first.

        Examples
        --------
        >>> ArrayMosaics({"f438w": np.ones((4, 6)), "f814w": np.ones((4, 6))}, {"f438w": 25.7, "f814w": 24.7}).v_band
        'f438w'
        """
        return v_band(self.bands)

    def mask(self, band: str) -> np.ndarray:
        """True where the pixel is unusable (NaN or infinite)."""
        return ~np.isfinite(self.data[band])



@dataclass
class MosaicSet:
    """Co-aligned images of one field, one per band.

    Attributes
    ----------
    bands
        Band names (lower-case filter names), in the order asked for or found.
    data
        Band -> 2-D float32 array (read-only, memory-mapped from the file where possible).
    wcs
        The celestial WCS shared by all bands, or None when the files carry none.
    zeropoint
        Band -> zeropoint such that ``mag = -2.5 log10(pixel value) + zeropoint``.
    magsys
        ``"vega"`` or ``"ab"``: the system of :attr:`zeropoint`.
    paths
        Band -> the FITS file it came from.
    shape
        ``(ny, nx)``, shared by all bands.
    pixel_scale
        Arcsec per pixel (from the WCS; NaN if unknown).
    weights
        Band -> weight map (memory-mapped) or None where there is none.
    weight_paths
        Band -> the file of its weight map where that is a file of its own beside the image
        (``..._wht.fits``); a band whose weight map is an extension of its image's file, or has none,
        is not in it. A survey checks these files as it checks the images (they may change while it runs).
    headers
        Band -> header of the image HDU (with the primary header's cards merged in).
    pixel_flags
        The mask and DQ extensions applied (:class:`PixelFlags`), or None.
    flagged
        Band -> number of pixels those flags set to NaN (empty without ``pixel_flags``, or when
        they are applied window by window).
    flags_in_data
        False when ``pixel_flags`` are applied window by window (``read_mosaics(...,
        apply_flags=False)``, a survey's tiles): the images are as stored, and :meth:`mask` adds
        the flagged pixels.
    zeropoint_origin
        Band -> where its zeropoint came from, in words (``"PHOTFLAM/PHOTPLAM"``, ``"MAGZERO, of the
        stored electrons: no EXPTIME added"``, ``"given"``); :meth:`describe` prints it.
    padding_sides
        Band -> side (px) of the squares of zeros read as padding (:meth:`padding_side`), filled as
        each band is decided; a survey hands its tiles the decision it made on the whole mosaic.
    given
        What the reader was given: the folder(s) or the list of files, as named. A band missing from
        a folder is added beside the others; one missing from a list of files, to that list.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from starclass.simulate import SimConfig, simulate_to_disk
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "field"
    >>> _ = simulate_to_disk(SimConfig(seed=1, shape=(128, 128), n_candidates=20), folder)
    >>> ms = read_mosaics(folder)
    >>> type(ms).__name__, ms.bands, ms.shape, round(ms.zeropoint["f555w"], 2), round(ms.pixel_scale, 3)
    ('MosaicSet', ['f275w', 'f336w', 'f438w', 'f555w', 'f814w'], (128, 128), 25.8, 0.04)
    """

    bands: list[str]
    data: dict[str, np.ndarray]
    wcs: WCS | None
    zeropoint: dict[str, float]
    magsys: str
    paths: dict[str, Path]
    shape: tuple[int, int]
    pixel_scale: float
    weights: dict[str, np.ndarray | None] = field(default_factory=dict)
    weight_paths: dict[str, Path] = field(default_factory=dict)
    headers: dict[str, fits.Header] = field(default_factory=dict)
    pixel_flags: PixelFlags | None = None
    flagged: dict[str, int] = field(default_factory=dict)
    flags_in_data: bool = True
    zeropoint_origin: dict[str, str] = field(default_factory=dict)
    padding_sides: dict[str, int] = field(default_factory=dict)
    given: tuple[Path, ...] = ()
    _masks: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _padding: dict[str, np.ndarray | None] = field(default_factory=dict, repr=False)
    _blank: dict[str, bool] = field(default_factory=dict, repr=False)

    # -- access ------------------------------------------------------------------------------
    def __getitem__(self, band: str) -> np.ndarray:
        return self.data[self._check_band(band)]

    def __len__(self) -> int:
        return len(self.bands)

    def __iter__(self):
        return iter(self.bands)

    def _check_band(self, band: str) -> str:
        key = band.lower()
        if key not in self.data:
            raise StarclassError(f"band {band!r} not in this mosaic set (bands: {', '.join(self.bands)})")
        return key

    @property
    def v_band(self) -> str:
        """The band used as V (detection, CI): F555W, else F606W, else g, else the first.

        Examples
        --------
        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp())
        >>> for band in ("f438w", "f606w", "f814w"):
        ...     fits.PrimaryHDU(np.ones((8, 8), np.float32), fits.Header({"FILTER": band, "ABMAGZP": 25.0})).writeto(
        ...         d / f"{band}.fits")
        >>> read_mosaics(d).v_band
        'f606w'
        """
        return v_band(self.bands)

    def mask(self, band: str, window: tuple[slice, slice] | None = None) -> np.ndarray:
        """Bad pixels of ``band``: True where the value is not finite or the weight is zero.

        Without ``window`` the result (a bool array of :attr:`shape`) is computed once per
        band and cached. With ``window = (rows, cols)`` (two slices) only that part is computed
        and nothing is cached: cheap for cut-outs of a big mosaic.
        """
        key = self._check_band(band)
        # flags applied window by window are not NaN in the data: added here
        lazy = self.pixel_flags if self.pixel_flags and not self.flags_in_data else None
        if window is not None:
            if key in self._masks:
                return self._masks[key][window]
            w = self.weights.get(key)
            out = bad_pixel_mask(self.data[key][window], None if w is None else w[window])
            if w is None and not self.blank(key):
                # a blank band's window is all zeros, which zero_padding reads as padding: a survey's
                # tiles masked such a band window by window where the whole image names it constant
                pad = self._padding.get(key, False)
                out |= zero_padding(self.data[key], window, self.padding_side(key)) if pad is False else (
                    pad[window] if pad is not None else False)
            return out | lazy.bad(self.paths[key], window=window) if lazy else out
        if key not in self._masks:
            out = bad_pixel_mask(self.data[key], self.weights.get(key))
            pad = self.padding(key)
            if pad is not None:
                out |= pad
            self._masks[key] = out | lazy.bad(self.paths[key]) if lazy else out
        return self._masks[key]

    def blank(self, band: str) -> bool:
        """Whether every pixel of ``band`` is exactly 0 (a blank band: constant, not padding); cached.

        Read in row blocks, stopping at the first block holding anything else, so a band with data
        costs the rows down to its first nonzero pixel.
        """
        key = self._check_band(band)
        if key not in self._blank:
            arr = self.data[key]
            step = max(1, (1 << 22) // max(1, arr.shape[1]))  # about 16 MiB of float32 per block
            # plain reads, not through the memory map: a survey's worker asks this of a file that may be cut short
            # while it runs, and a mapped page past the file's end is SIGBUS, not an exception
            self._blank[key] = all(not np.any(read_window(arr, (slice(y, y + step), slice(None)), self.paths.get(key))
                                              != 0)
                                   for y in range(0, arr.shape[0], step))
        return self._blank[key]

    def padding_side(self, band: str) -> int:
        """Side (px) of the squares of exact zeros read as padding in ``band`` (:func:`padding_side`); cached.

        5, or more for a sparse image of photon counts, decided on the band's pixels less its NaN and
        flagged ones (never on its padding). Read from :attr:`padding_sides` where it is there already.
        """
        key = self._check_band(band)
        if key not in self.padding_sides:
            lazy = self.pixel_flags if self.pixel_flags and not self.flags_in_data else None

            def unusable(rows: slice) -> np.ndarray:
                bad = ~np.isfinite(np.asarray(self.data[key][rows]))
                return bad | lazy.bad(self.paths[key], window=(rows, slice(None))) if lazy else bad

            self.padding_sides[key] = padding_side(self.data[key], unusable)
        return self.padding_sides[key]

    def padding(self, band: str) -> np.ndarray | None:
        """Zero padding outside the footprint of a band without a weight map (:func:`zero_padding`), or None.

        None where the band has a weight map (it says alone where the data are) or no such padding.
        Computed once and cached (a bool array of :attr:`shape`), for every band without a weight
        map at the first call, with one warning naming those bands and their files; :meth:`mask`
        includes it, and the stamp cutters take it as the band's weight map.
        """
        key = self._check_band(band)
        if self.weights.get(key) is not None:
            return None
        if key not in self._padding:
            # every band without a weight map at once, so one warning names them all: it was one line per
            # band (five for a five-band field), each saying the same thing of another file
            found: dict[str, tuple[int, int]] = {}
            for b in self.bands:
                if b in self._padding or self.weights.get(b) is not None:
                    continue
                pad = zero_padding(self.data[b], side=self.padding_side(b))
                n = int(pad.sum())
                if n == pad.size:
                    # every pixel 0: a blank band, not a footprint's padding; detection names it ("constant")
                    # and goes on without it, where masking it all stopped detect with "no usable pixel"
                    n = 0
                self._padding[b] = pad if n else None
                if n:
                    found[b] = (n, pad.size)
            if found:
                # a drizzled mosaic without its weight map: the zeros outside the footprint
                # were taken for sky, and the step at the footprint's edge for sources
                warnings.warn(zero_padding_note({b: (self.paths.get(b, b), n, size, self.padding_side(b))
                                                 for b, (n, size) in found.items()}), stacklevel=2)
        return self._padding[key]

    def combined_mask(self, bands: Iterable[str] | None = None) -> np.ndarray:
        """True where any of ``bands`` (default: all) is bad."""
        out = np.zeros(self.shape, dtype=bool)
        for b in bands or self.bands:
            out |= self.mask(b)
        return out

    def pixel_to_world(self, x: ArrayLike, y: ArrayLike) -> SkyCoord:
        """Sky coordinates (``SkyCoord``) of 0-based pixel positions."""
        if self.wcs is None:
            raise StarclassError(f"mosaics {self._names()} carry no WCS: cannot convert pixels to sky")
        return self.wcs.pixel_to_world(x, y)

    def world_to_pixel(self, coords: SkyCoord) -> tuple[np.ndarray, np.ndarray]:
        """0-based pixel positions ``(x, y)`` of sky coordinates (``SkyCoord``)."""
        if self.wcs is None:
            raise StarclassError(f"mosaics {self._names()} carry no WCS: cannot convert sky to pixels")
        x, y = self.wcs.world_to_pixel(coords)
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    def _names(self) -> str:
        return ", ".join(str(p) for p in self.paths.values())

    @property
    def cameras(self) -> dict[str, str]:
        """Band -> camera (``"acs/wfc"``, ``"wfc3/uvis"``: :func:`image_camera`) where the header or file name says it.

        ``detect`` records it in the catalogue (``meta['cameras']``), so that AB magnitudes are put on
        Vega later with the offset of the camera that took them.

        Examples
        --------
        F555W's header names ACS/WFC; F814W's names no instrument, its file name says WFC3:

        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp())
        >>> img = np.zeros((32, 32), np.float32)
        >>> acs = fits.Header({"FILTER": "F555W", "ABMAGZP": 25.7, "INSTRUME": "ACS", "DETECTOR": "WFC"})
        >>> fits.PrimaryHDU(img, acs).writeto(d / "f555w.fits")
        >>> fits.PrimaryHDU(img, fits.Header({"FILTER": "F814W", "ABMAGZP": 25.9})).writeto(d / "wfc3_f814w.fits")
        >>> read_mosaics(d).cameras
        {'f555w': 'acs/wfc', 'f814w': 'wfc3/uvis'}
        """
        out = {}
        for b in self.bands:
            cam = image_camera(self.headers.get(b), self.paths.get(b))
            if cam is not None:
                out[b] = cam
        return out

    def flags_note(self) -> str | None:
        """One line: how many pixels of each band the mask and DQ flags set to NaN; None without flags."""
        if not self.pixel_flags or not self.flags_in_data:
            return None
        return flags_note(self.pixel_flags, {b: self.flagged.get(b, 0) for b in self.bands}, self.shape)

    def describe(self) -> str:
        """A few lines for humans: shape, pixel scale, bands and zeropoints."""
        ny, nx = self.shape
        lines = [f"shape: {nx} x {ny} px (nx x ny), pixel scale {self.pixel_scale:.4f} arcsec/px, "
                 f"magnitudes {self.magsys.upper()}, V band {self.v_band}"]
        for b in self.bands:
            origin = self.zeropoint_origin.get(b)
            # "none" and "none: why" (no zeropoint) read "(from none: ...)" as if none were a keyword
            said = f"  ({origin})" if origin and origin.startswith("none") else f"  (from {origin})" if origin else ""
            lines.append(f"  {b:7s} zeropoint {self.zeropoint[b]:8.4f}  {self.paths[b]}" + said)
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# reading


def read_mosaics(
    paths: PathLike | Iterable[PathLike] | Mapping[str, PathLike],
    bands: Iterable[str] | None = None,
    zeropoints: Mapping[str, float] | None = None,
    magsys: str = "vega",
    *,
    pixel_scale: float | None = None,
    require_zeropoint: bool = True,
    wcs_tolerance_px: float = WCS_TOLERANCE_PX,
    pixel_flags: PixelFlags | None = None,
    apply_flags: bool = True,
    warn_v_band: bool = True,
) -> MosaicSet:
    """Open one FITS image per band, memory-mapped, and check they share one pixel grid.

    Parameters
    ----------
    paths
        The images: a list of files (band read from each file), a mapping ``band -> file``,
        a single file, or a directory (every FITS file in it, :data:`FITS_SUFFIXES`, weight maps excluded).
    bands
        Bands wanted, in this order. Default: every band found, ordered by wavelength.
        A band asked for but not found is an error naming the files searched.
    zeropoints
        Band -> zeropoint (in ``magsys``), overriding the header keywords.
    magsys
        ``"vega"`` (default; the system of LEGUS and PHANGS catalogues) or ``"ab"``.
    pixel_scale
        Arcsec per pixel, to use when the files carry no WCS.
    require_zeropoint
        If False, a band without PHOTFLAM/PHOTPLAM and without a given zeropoint gets NaN
        instead of raising.
    wcs_tolerance_px
        Largest offset between two bands' pixel grids (in pixels, over the image corners and
        centre) still accepted as the same WCS.
    pixel_flags
        Mask and data-quality extensions to apply (:class:`PixelFlags`): the pixels they flag are
        set to NaN (that band's image is then read into memory, not memory-mapped), and
        :attr:`MosaicSet.flagged` counts them. None (default): the images as stored.
    apply_flags
        False: ``pixel_flags`` are neither read nor applied here (the images stay as stored,
        memory-mapped), but recorded: :meth:`MosaicSet.mask` adds the flagged pixels and the
        note on mask extensions not applied leaves them out. For callers that apply them over
        windows (a survey's tiles, :class:`starclass.survey.tiles.MosaicWindow`).
    warn_v_band
        True (default): a set without a V band (F555W, F606W, F475W, g) warns which band is
        used as V (:func:`starclass.bands.v_band_note`). False: no warning, for callers that
        use no V band (cutting stamps of a task's bands) or say it in their own words.

    Returns
    -------
    MosaicSet

    Raises
    ------
    StarclassError
        A file missing or unreadable, no 2-D image in it, no band found, a band duplicated or
        missing, an image entirely NaN, shapes or WCS that differ between bands, a zeropoint
        that cannot be found; with ``pixel_flags``, an extension a file lacks, one of another
        shape than its image, or every pixel flagged. The message names the file(s).

    Examples
    --------
    Two 8 x 8 bands with a DQ extension each: bit 4096 (``~4096``: the only bad bit) marks two
    pixels of f555w, bit 1 (a good one) a pixel of each band:

    >>> import tempfile
    >>> field = Path(tempfile.mkdtemp()) / "field"
    >>> field.mkdir()
    >>> for band, plam in (("f555w", 5360.0), ("f814w", 8040.0)):
    ...     dq = np.zeros((8, 8), np.int32)
    ...     dq[7, 7] = 1
    ...     dq[0, :2] = 4096 if band == "f555w" else 0
    ...     zeropoint = fits.Header({"PHOTFLAM": 1e-19, "PHOTPLAM": plam})
    ...     fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(np.ones((8, 8), np.float32), zeropoint, name="SCI"),
    ...                   fits.ImageHDU(dq, name="DQ")]).writeto(field / f"g_{band}.fits")
    >>> ms = read_mosaics(field, pixel_flags=PixelFlags(dq_good_bits="~4096"), pixel_scale=0.04)
    >>> ms.bands, ms.shape, ms.flagged
    (['f555w', 'f814w'], (8, 8), {'f555w': 2, 'f814w': 0})
    >>> print(ms.flags_note().replace(" and ", "\\nand "))
    pixels flagged by DQ with good bits '~4096' (astropy syntax)
    and set to NaN: f555w 2 (3.1%), f814w 0 (0%) of 64 per band
    """
    magsys = magsys.lower()
    if magsys not in ("vega", "ab"):
        raise StarclassError(f"magsys must be 'vega' or 'ab', not {magsys!r}")
    given_zp = {k.lower(): float(v) for k, v in (zeropoints or {}).items()}
    # before any file is opened: a band given twice was read twice (the --bands options refuse it with
    # this check); one band as text: its letters were taken for bands
    wanted = check_distinct_bands([bands] if isinstance(bands, str) else bands) if bands is not None else None

    # an applied mask extension is never read as the band's image (nor named as an image left out),
    # whatever its EXTNAME: one not in MASK_EXTNAMES (QUALITY, ...) ahead of SCI was read as the image
    skip = (pixel_flags.mask_extension,) if pixel_flags and pixel_flags.mask_extension else ()
    by_band = _collect(paths, skip=skip)
    if not by_band:
        raise StarclassError(f"no FITS images found in {paths!s} (read: {FITS_NAMES})")

    if wanted is not None:
        missing = [b for b in wanted if b not in by_band]
        if missing:
            found = ", ".join(f"{b} ({p.name})" for b, (p, _) in by_band.items()) or "none"
            raise StarclassError(
                f"{agreeing(len(missing), 'band')} {', '.join(missing)} not found among the mosaics; found: {found}")
        order = wanted
    else:
        order = sorted(by_band, key=lambda b: (BANDS[b].photplam if b in BANDS else 1e9, b))

    data: dict[str, np.ndarray] = {}
    weights: dict[str, np.ndarray | None] = {}
    headers: dict[str, fits.Header] = {}
    wcses: dict[str, WCS | None] = {}
    zps: dict[str, float] = {}
    zp_origin: dict[str, str] = {}
    paths_out: dict[str, Path] = {}
    passed_over: dict[str, list[str]] = {}  # mask extension name -> files holding one
    flagged: dict[str, int] = {}
    applied = set()
    if pixel_flags:
        applied = {pixel_flags.mask_extension, DQ_EXTNAME if pixel_flags.dq_good_bits is not None else None}
    weight_paths: dict[str, Path] = {}
    for b in order:
        path, opened = by_band[b]
        arr, header, weight, masks, weight_path = opened if opened is not None else _open_image(path, skip=skip)
        if weight_path is not None:
            weight_paths[b] = weight_path
        for name in masks:
            files = passed_over.setdefault(name, []) if name not in applied else []
            if path.name not in files:  # once per file: a two-chip file holds DQ,1 and DQ,2
                files.append(path.name)
        _check_not_all_nan(arr, path)
        _check_linear(header, path)
        if pixel_flags and apply_flags:
            arr, flagged[b] = _apply_flags(arr, pixel_flags, path)
        data[b] = arr
        weights[b] = weight
        headers[b] = header
        wcses[b] = _celestial_wcs(header, path)
        zps[b], zp_origin[b] = _zeropoint(b, header, path, magsys, given_zp, require_zeropoint,
                                          camera=image_camera(header, path))
        paths_out[b] = path

    if passed_over:
        # one line for the whole set: each file's MASK used to be a warning of its own ("holds 2 images")
        where = "; ".join(f"{name} in {', '.join(files)}" for name, files in passed_over.items())
        warnings.warn(f"mask or data-quality {agreeing(len(passed_over), 'extension')} not applied ({where}): the "
                      "pixels they flag are used "
                      "as data; --mask-extension NAME applies a mask (nonzero = bad), --dq-good-bits EXPR the DQ "
                      "extension (e.g. '0': any flag is bad)", stacklevel=2)
    ref = order[0]
    shape = data[ref].shape
    for b in order[1:]:
        if data[b].shape != shape:
            raise StarclassError(
                f"image shapes differ: {paths_out[ref]} ({ref}) is {shape[1]} x {shape[0]} px but "
                f"{paths_out[b]} ({b}) is {data[b].shape[1]} x {data[b].shape[0]} px (nx x ny); "
                + regrid_hint(paths_out[ref], paths_out[b]))
    for b in order[1:]:
        _check_same_wcs(wcses[ref], wcses[b], paths_out[ref], paths_out[b], shape, wcs_tolerance_px)

    wcs = wcses[ref]
    if wcs is not None:
        from astropy.wcs.utils import proj_plane_pixel_scales

        scale = float(np.mean(proj_plane_pixel_scales(wcs)) * 3600.0)
        if pixel_scale is not None and not np.isclose(scale, pixel_scale, rtol=0.01):
            raise StarclassError(
                f"pixel_scale={pixel_scale} arcsec/px disagrees with the WCS of {paths_out[ref]} "
                f"({scale:.5f} arcsec/px)")
    else:
        scale = float(pixel_scale) if pixel_scale is not None else float("nan")

    if warn_v_band and (note := v_band_note(order)) is not None:
        # after every check: a set that is refused gets its error alone
        warnings.warn(note, stacklevel=2)
    return MosaicSet(
        bands=list(order), data=data, wcs=wcs, zeropoint=zps, magsys=magsys, paths=paths_out,
        shape=(int(shape[0]), int(shape[1])), pixel_scale=scale, weights=weights, weight_paths=weight_paths,
        headers=headers,
        pixel_flags=pixel_flags if pixel_flags else None, flagged=flagged, flags_in_data=apply_flags,
        zeropoint_origin=zp_origin, given=_given(paths),
    )


def _given(paths: PathLike | Iterable[PathLike] | Mapping[str, PathLike]) -> tuple[Path, ...]:
    if isinstance(paths, Mapping):
        return tuple(Path(p) for p in paths.values())
    if isinstance(paths, (str, os.PathLike)):
        return (Path(paths),)
    return tuple(Path(p) for p in paths)


def flagged_pixels(path: PathLike, flags: PixelFlags) -> np.ndarray:
    """The pixels ``flags`` makes bad in the image of ``path`` (bool, True = bad), refusing a file wholly flagged.

    Examples
    --------
    >>> import shutil, tempfile
    >>> from astropy.io import fits
    >>> d = Path(tempfile.mkdtemp())  # the example's image: never in the folder it is run from
    >>> bpm = np.zeros((8, 8), np.uint8)
    >>> bpm[2:4, 2:4] = 1
    >>> fits.HDUList([fits.PrimaryHDU(np.ones((8, 8), np.float32)), fits.ImageHDU(bpm, name="BPM")]).writeto(
    ...     d / "g_f555w.fits")
    >>> int(flagged_pixels(d / "g_f555w.fits", PixelFlags(mask_extension="BPM")).sum())
    4
    >>> shutil.rmtree(d)
    """
    bad = flags.bad(path)
    if bad.all():
        raise StarclassError(f"every pixel of {path} is flagged by {flags.describe()}: nothing left to measure")
    return bad


def flags_note(flags: PixelFlags, counts: Mapping[str, int], shape: tuple[int, int]) -> str:
    """One line: the pixels ``flags`` set to NaN, per band (``counts``), of ``shape`` each.

    Examples
    --------
    >>> flags_note(PixelFlags(mask_extension="BPM"), {"f555w": 25, "f814w": 0}, (100, 100)).split(" and ")[1]
    'set to NaN: f555w 25 (0.25%), f814w 0 (0%) of 10000 per band'
    """
    n = int(shape[0]) * int(shape[1])
    per_band = ", ".join(f"{b} {c} ({100 * c / n:.2g}%)" for b, c in counts.items())
    return f"pixels flagged by {flags.describe()} and set to NaN: {per_band} of {n} per band"


def _apply_flags(arr: np.ndarray, flags: PixelFlags, path: Path) -> tuple[np.ndarray, int]:
    """``arr`` with the pixels ``flags`` marks bad set to NaN, and how many were.

    Nothing flagged: ``arr`` itself (still memory-mapped). Otherwise a read-only float32 copy: the
    file's own array is read-only, and NaN is what every stage already leaves out (a NaN border).
    """
    bad = flagged_pixels(path, flags)
    n = int(bad.sum())
    if not n:
        return arr, 0
    out = np.array(arr, dtype=np.float32)  # native byte order, writable
    out[bad] = np.nan
    out.flags.writeable = False
    return out, n


#: Header keywords read for an image's band, in this order: ``FILTER``, ACS's ``FILTER1``/``FILTER2``, Subaru
#: HSC's and Suprime-Cam's ``FILTER01`` (``'HSC-G'``; the keyword LSST's astro_metadata_translator reads their
#: filter from), then Pan-STARRS1's ``FPA.FILTERID``/``FPA.FILTER`` (HIERARCH keywords of its stacks and warps).
FILTER_KEYS = ("FILTER", "FILTER1", "FILTER2", "FILTER01", "FPA.FILTERID", "FPA.FILTER")

#: A ground-based survey's filter value whose band is its first letter: Pan-STARRS1 ``'i.00000'``,
#: CFHT MegaCam ``'g.MP9401'`` / ``'i.MP9702'``, DECam (DES) ``'g DECam SDSS c0001 4720.0 1520.0'``.
#: ``'gri.MP9605'`` (a wide filter) is no one-letter band and is kept whole.
_SURVEY_FILTER = re.compile(r"^([ugrizy])(?:\.\S+|\s.*)$", re.IGNORECASE)

#: Other spellings of one Sloan-like band, read as its letter (the group), each a band of a single filter:
#: SDSS's own (``'SDSS g'``, ``'sdss_g'``, ``'g_sdss'``), the primed u'g'r'i'z' system (``"g'"``, and ``'gp'``
#: as Las Cumbres Observatory writes it), DECam (``'DECam g'``), Rubin (``'LSST g'``) and Subaru HSC
#: (``'HSC-G'``; ``'HSC-R2'``, ``'HSC-I2'`` the replacement r and i filters, bands r and i as MegaCam's
#: ``i.MP9702`` is i). A wide or narrow filter (``'DECam VR'``, ``'HSC-NB0921'``), a survey name alone and
#: any other spelling are kept as written.
_SLOAN_SPELLINGS = tuple(re.compile(p, re.IGNORECASE) for p in (
    r"^(?:sdss|sloan)[\s_\-]*([ugriz])'?$",
    r"^([ugriz])(?:'|p|[\s_\-]+(?:sdss|sloan))$",
    r"^decam[\s_\-]*([ugrizy])$",
    r"^(?:lsst|rubin)[\s_\-]*([ugrizy])$",
    r"^hsc[\s_\-]*(?![gzy]2)([grizy])2?$",
))


def band_name(value: str) -> str | None:
    """The starclass band name of a filter keyword's value, or None for no filter (``CLEAR``, ``N/A``).

    Band names are lower case (HST ``F555W`` -> ``f555w``, SDSS and DES coadds' ``r`` -> ``r``);
    a ground-based survey's filter identifier is cut to its band letter, so that one band has
    one name whatever the survey wrote (before, a PS1 ``i.00000`` became the band ``i.00000``,
    which no band table, column name or ``--bands`` knew), and so are the other spellings of one
    Sloan-like band (:data:`_SLOAN_SPELLINGS`: ``'SDSS g'``, ``"g'"``, ``'HSC-G'``, ``'LSST g'``...;
    before, ``'HSC-G'`` was the band ``hsc-g``). Anything else is kept as written, lower case.

    Examples
    --------
    >>> [band_name(v) for v in ("F555W", "r", "i.00000", "g.MP9401", "g DECam SDSS c0001 4720.0 1520.0")]
    ['f555w', 'r', 'i', 'g', 'g']
    >>> [band_name(v) for v in ("SDSS g", "g_sdss", "g'", "gp", "HSC-I2", "DECam z", "LSST y")]
    ['g', 'g', 'g', 'g', 'i', 'z', 'y']
    >>> band_name("CLEAR1L") is None, band_name("gri.MP9605"), band_name("HSC-NB0921")
    (True, 'gri.mp9605', 'hsc-nb0921')
    """
    v = value.strip()
    low = v.lower()
    if not v or low.startswith("clear") or low in ("n/a", "none", "multiple"):
        return None
    for pattern in (_SURVEY_FILTER, *_SLOAN_SPELLINGS):
        m = pattern.match(v)
        if m:
            return m.group(1).lower()
    return low


#: File-name tokens of HST products that name the camera (``hlsp_legus_hst_acs_..._f555w``,
#: ``hst_10520_04_acs_wfc_f814w_drz``, ``..._wfc3-uvis_...``).
_CAMERA_TOKENS = {"acs": ACS_WFC, "wfc3": WFC3_UVIS}


def image_camera(header: fits.Header | Mapping[str, Any] | None, path: PathLike | None = None) -> str | None:
    """The camera of an image: ``INSTRUME``/``DETECTOR`` (:func:`starclass.bands.camera_name`), else the file name.

    The camera picks the AB - Vega offset of a filter that ACS/WFC and WFC3/UVIS both have
    (F555W differs by 0.024 mag). ``INSTRUME = 'WFC3'`` alone is UVIS (its only optical and UV
    detector). A file name with ``acs`` or ``wfc3`` (not both, as LEGUS's ``acs-wfc3`` catalogues
    have) names it where the header does not. None when neither tells.

    Examples
    --------
    >>> image_camera(fits.Header({"INSTRUME": "ACS", "DETECTOR": "WFC"})), image_camera({"INSTRUME": "WFC3"})
    ('acs/wfc', 'wfc3/uvis')
    >>> image_camera({}, "hlsp_legus_hst_acs_ngc628-c_f555w_v1_sci.fits"), image_camera({}, "m_f555w.fits") is None
    ('acs/wfc', True)
    """
    if header is not None:
        inst, det = header.get("INSTRUME"), header.get("DETECTOR")
        if isinstance(inst, str) and inst.strip().upper() == "WFC3" and not (isinstance(det, str) and det.strip()):
            # a product that kept INSTRUME alone: WFC3's optical and UV filters are all UVIS's (IR has none)
            return WFC3_UVIS
        named = camera_name(inst, det)
        if named is not None:
            return named
    if path is not None:
        tokens = {t for t in re.split(r"[_\-.\s]+", Path(path).name.lower()) if t in _CAMERA_TOKENS}
        if len(tokens) == 1:
            return _CAMERA_TOKENS[tokens.pop()]
    return None


def band_of(path: PathLike, header: fits.Header | None = None) -> str | None:
    """The band of an image: its filter keyword (:data:`FILTER_KEYS`, CLEAR skipped), else the file name.

    The keyword's value is read by :func:`band_name` (``'i.00000'`` -> ``i``). Returns None when
    neither the header nor the file name tells.

    Examples
    --------
    >>> band_of("stack.fits", fits.Header({"FILTER": "i.00000"}))
    'i'
    >>> band_of("j8xi01_drz.fits", fits.Header({"FILTER1": "CLEAR1L", "FILTER2": "F814W"}))
    'f814w'
    """
    if header is not None:
        for key in FILTER_KEYS:
            value = header.get(key)
            if isinstance(value, str):
                band = band_name(value)
                if band is not None:
                    return band
    tokens = re.split(r"[_\-.\s]+", Path(path).name.lower())
    hits = [t for t in tokens if _BAND_IN_NAME.match(t)]
    if not hits:
        hits = [t for t in tokens if t in BANDS and len(t) > 1]
    if len(set(hits)) == 1:
        return hits[0]
    return None


def _is_weight_file(path: Path) -> bool:
    name = path.name.lower()
    # mask, data-quality, variance, segmentation files too: beside the images in a folder, each read as a
    # second image of its band ("band f555w appears twice")
    return bool(re.search(r"(^|[_\-.])(wht|weight|wt|exp|ctx|err|rms|ivar|var|unc|mask|bpm|dq|flags?|seg|segm|bkg)"
                          r"([_\-.]|$)", name)) and not re.search(
        r"(^|[_\-.])sci([_\-.]|$)", name)


def is_weight_file(path: PathLike) -> bool:
    """True if the file name marks a weight, exposure, context, error, mask or other ancillary map.

    Such files (``*_wht.fits``, ``*_err.fits``, ``*_mask.fits``, ...) are not a band's image: a folder
    scan leaves them out (a weight map is read beside its image).

    Examples
    --------
    >>> [is_weight_file(n) for n in ("a_f555w_wht.fits", "a_f555w_mask.fits", "a_f555w_sci.fits", "a_f555w.fits")]
    [True, True, False, False]
    """
    return _is_weight_file(Path(path))


def _has_image(path: Path) -> bool:
    """False only for a FITS table without an image (a catalogue lying among the mosaics).

    Header check only. Anything else, a file whose image is too small, whose HDUs hold nothing,
    or that cannot be read, gives True so that the reader reports it by name: skipped in silence,
    a damaged ``*_f555w.fits`` left detection to run in another band.
    """
    try:
        with warnings.catch_warnings():
            # a truncated file is reported by the reader, by name, not by astropy's warning here
            warnings.filterwarnings("ignore", message="File may have been truncated")
            hdul = open_fits(path, memmap=True)
        with hdul:
            has_table = False
            for hdu in hdul:
                h = hdu.header
                if hdu.is_image and h.get("NAXIS", 0) >= 2 and h.get("NAXIS1", 0) > 1 and h.get("NAXIS2", 0) > 1:
                    return True
                has_table |= isinstance(hdu, (fits.BinTableHDU, fits.TableHDU))
        return not has_table
    except Exception:
        return True


def _fits_in_dir(directory: Path) -> list[Path]:
    # hidden files are skipped: a killed atomic write leaves `.name.XXXXXXXX.fits` and macOS
    # leaves `._name.fits` resource forks; either would read as the same band a second time
    files = sorted(
        p for p in directory.iterdir()
        if p.is_file() and not p.name.startswith(".") and is_fits_name(p)
    )
    return [p for p in files if not _is_weight_file(p)]


def _collect(paths, skip: tuple[str, ...] = ()) -> dict[str, tuple[Path, tuple | None]]:
    """Band -> (path, opened image or None); bands from the mapping keys or from the files.

    ``skip``: further mask ``EXTNAME`` s not to read as the image (:func:`_open_image`).
    """
    out: dict[str, tuple[Path, tuple | None]] = {}
    if isinstance(paths, Mapping):
        for band, p in paths.items():
            path = Path(p)
            key = band.lower()
            if key in out:
                raise StarclassError(f"band {band!r} given twice ({out[key][0]} and {path})")
            _check_exists(path)
            out[key] = (path, None)
        return out

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    # a directory among the paths stands for the FITS images in it
    items: list[tuple[Path, bool]] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            items.extend((f, True) for f in _fits_in_dir(p))
        else:
            items.append((p, False))
    if any(not from_dir and not _is_weight_file(p) for p, from_dir in items):
        # weight, error or mask maps named with the images (a shell glob of a PHANGS-HST folder, '*.fits':
        # ..._exp-drc-sci.fits and ..._exp-drc-wht.fits) are read beside their images, as a folder scan
        # leaves them out; each was read as its band's image a second time ("band f555w appears twice")
        items = [(p, from_dir) for p, from_dir in items if from_dir or not _is_weight_file(p)]

    for path, from_dir in items:
        _check_exists(path)
        if from_dir and not _has_image(path):
            continue  # a catalogue (FITS table) lying in the same folder
        opened = _open_image(path, skip=skip)
        band = band_of(path, opened[1])
        if band is None:
            raise StarclassError(
                f"cannot tell the band of {path}: no {'/'.join(FILTER_KEYS)} keyword and no filter "
                f"name (e.g. '_f555w_') in the file name; pass a mapping band -> file instead")
        if band in out:
            raise StarclassError(f"band {band} appears twice: {out[band][0]} and {path}")
        out[band] = (path, opened)
    return out


def _first_bytes(path: Path, n: int = 6) -> bytes | None:
    """The first ``n`` bytes of ``path`` as astropy reads them (a gzip, bzip2, xz or zip file decompressed),
    or None where they cannot be had."""
    import bz2
    import gzip
    import lzma
    import zipfile

    try:
        with open(path, "rb") as fh:
            raw = fh.read(n)
        if raw.startswith(b"\x1f\x8b"):
            with gzip.open(path, "rb") as fh:
                return fh.read(n)
        if raw.startswith(b"BZh"):
            with bz2.open(path, "rb") as fh:
                return fh.read(n)
        if raw.startswith(b"\xfd7zXZ"):
            with lzma.open(path, "rb") as fh:
                return fh.read(n)
        if raw.startswith(b"PK\x03\x04"):
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
                return zf.read(names[0])[:n] if names else b""
        return raw
    except Exception:  # a damaged archive: what it holds is not known, astropy's words stand
        return None


#: How far a first header is looked for its END card (a header of 12,000 cards): a file holding no END within
#: this is not a FITS file cut short but something else, left to astropy's words.
_HEADER_SCAN = 2880 * 334

#: astropy's warning that a file's first header cannot be read: its "Empty or corrupt FITS file" follows, which
#: the readers reword (:func:`unreadable_fits`), so the warning printed before that error is only noise.
HEADER0_WARNING = r"Error validating header for HDU #0 "


def _header_cut(data: bytes) -> bool:
    """Whether the first bytes of a FITS file, ``data`` (all of it, under :data:`_HEADER_SCAN`), end inside its
    first header: before its END card, or inside the padding of END's 2880-byte block."""
    end = next((i for i in range(0, len(data) - 79, 80) if data[i:i + 3] == b"END" and not data[i + 3:i + 80].strip()),
               None)
    return end is None or len(data) < -(-(end + 80) // 2880) * 2880


def _cut_in_header(path: Path) -> int | None:
    """The size of ``path`` where it ends inside its first FITS header (before its END card, or inside the
    padding of END's 2880-byte block), else None; compressed files are left to :func:`_cut_compressed`."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(_HEADER_SCAN)
    except OSError:
        return None
    if not data.startswith(b"SIMPLE") or len(data) >= _HEADER_SCAN:
        return None
    return len(data) if _header_cut(data) else None


def _cut_compressed(path: Path) -> tuple[str, bool] | None:
    """``(kind, in_header)`` where ``path`` is a gzip, bzip2 or xz file whose compressed data end before their
    end-of-stream marker (``in_header``: what they hold ends inside the first FITS header), else None.

    A file cut short as it was copied ends so; astropy's "Empty or corrupt FITS file" (or its
    decompressor's error) did not say it, and :func:`_cut_in_header` reads the file as it is on disk.
    """
    import bz2
    import lzma
    import zlib

    def decompressor(kind: str) -> Any:
        return {"gzip": lambda: zlib.decompressobj(wbits=31), "bzip2": bz2.BZ2Decompressor,
                "xz": lzma.LZMADecompressor}[kind]()

    try:
        with open(path, "rb") as fh:
            magic = fh.read(6)
            if magic.startswith(b"\x1f\x8b"):
                kind = "gzip"
            elif magic.startswith(b"BZh"):
                kind = "bzip2"
            elif magic == b"\xfd7zXZ\x00":
                kind = "xz"
            else:
                return None
            unpack = decompressor(kind)
            fh.seek(0)
            head = b""
            # streamed, only the first header kept: the file may be a mosaic of gigabytes, read here only
            # because astropy failed on it
            while chunk := fh.read(1 << 20):
                while chunk:
                    out = unpack.decompress(chunk)
                    if len(head) < _HEADER_SCAN:
                        head += out[:_HEADER_SCAN - len(head)]
                    if not unpack.eof:
                        break
                    # a gzip file may hold several members one after another: each must end
                    chunk = unpack.unused_data
                    if not chunk:
                        break
                    unpack = decompressor(kind)
    except (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError):  # damaged, not cut short: astropy's words stand
        return None
    if unpack.eof:
        return None
    return kind, head.startswith(b"SIMPLE") and len(head) < _HEADER_SCAN and _header_cut(head)


def open_fits(path: PathLike, **kwargs: Any) -> fits.HDUList:
    """:func:`astropy.io.fits.open`, without astropy's warning that the first header cannot be read.

    That warning ("Error validating header for HDU #0 ... There may be extra bytes after the last
    HDU or the file is corrupted") always comes before astropy's "Empty or corrupt FITS file",
    which the readers reword (:func:`unreadable_fits`): printed before the clear error, it was noise.
    Warnings about later HDUs, read while the file opens, are kept. A compression astropy cannot open here
    (:func:`unopenable_compression`: a ``.fits.Z`` without uncompresspy, a zip of several files) raises
    OSError with its reason and remedy, as astropy's own failures to open a file do.

    Parameters
    ----------
    path
        The FITS file.
    **kwargs
        Passed to :func:`astropy.io.fits.open` (``memmap``, ``mode``, ...).

    Returns
    -------
    astropy.io.fits.HDUList
        The opened file (close it, or use it in a ``with``).

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "f555w.fits"
    >>> fits.PrimaryHDU(np.zeros((4, 4), np.float32)).writeto(f)
    >>> with open_fits(f, memmap=None) as hdul:
    ...     hdul[0].data.shape
    (4, 4)
    """
    from astropy.io.fits.verify import VerifyWarning

    # an OSError, as astropy's own failures: a .fits.Z without uncompresspy raised ModuleNotFoundError, which the
    # helpers that pass over an unreadable cutout (catching OSError) let through as a traceback
    refusal = unopenable_compression(path)
    if refusal is not None:
        raise OSError(refusal)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=HEADER0_WARNING, category=VerifyWarning)
        return fits.open(path, **kwargs)


def read_fits_table(path: PathLike, **kwargs: Any) -> Table:
    """:meth:`astropy.table.Table.read` of a FITS table, refusing first what :func:`open_fits` refuses.

    A compression astropy cannot open here (:func:`unopenable_compression`) raises OSError with its reason and
    remedy, as astropy's own failures to open a file do, so the readers that reword those
    (:func:`unreadable_fits`) say it: astropy's ModuleNotFoundError for a Unix ``compress`` file went past
    them (``evaluate OUT.ecsv -r ref.fits`` of such a file ended in a traceback).

    Parameters
    ----------
    path
        The FITS file (any FITS name, or another name: the format is given to astropy).
    **kwargs
        Passed to :meth:`astropy.table.Table.read` (``hdu``, ...).

    Returns
    -------
    astropy.table.Table
        The table.

    Examples
    --------
    >>> import tempfile
    >>> from astropy.table import Table
    >>> f = Path(tempfile.mkdtemp()) / "cat.fits"
    >>> Table({"id": [1, 2]}).write(f)
    >>> read_fits_table(f)["id"].tolist()
    [1, 2]
    """
    refusal = unopenable_compression(path)
    if refusal is not None:
        raise OSError(refusal)
    from astropy.table import Table

    try:
        return Table.read(path, format="fits", **kwargs)
    except ValueError as exc:
        # astropy's "No table found" of a file that is only an empty primary header: say what it is
        cut = ends_after_primary_header(path) if "No table found" in str(exc) else None
        if cut is None:
            raise
        raise OSError(cut) from None


def unreadable_fits(path: PathLike, exc: BaseException) -> str:
    """Why astropy could not open ``path`` as FITS, in words a command-line user can act on.

    The one wording of every reader of mosaics, masks, weight maps and FITS catalogues: astropy's
    "No SIMPLE card found ... try with ignore_missing_simple=True" offered an option no command
    has, for a file that is simply not FITS (a CSV, a PNG, an HTML error page saved as ``.fits``).

    Parameters
    ----------
    path
        The file astropy failed to open.
    exc
        What astropy raised: kept in the message where the file does start as FITS.

    Returns
    -------
    str
        ``"PATH is empty (0 bytes), not a FITS file"``, ``"PATH is not a FITS file (its first bytes
        are not a FITS header)"``, ``"PATH is cut short inside its FITS header (N bytes) ..."``, for a
        gzip, bzip2 or xz file whose compressed data end early ``"PATH is cut short [inside its FITS
        header] (a gzip file whose compressed data end early, N bytes) ..."``, else ``"cannot read
        FITS file PATH: <astropy's words>"``.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "f555w.fits"
    >>> _ = f.write_text("id,x,y\\n1,2,3\\n")
    >>> try:
    ...     fits.open(f)
    ... except OSError as exc:
    ...     print(unreadable_fits(f, exc).replace(str(f), "f555w.fits"))
    f555w.fits is not a FITS file (its first bytes are not a FITS header)
    """
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError:
        size = None
    if size == 0:
        return f"{p} is empty (0 bytes), not a FITS file"
    refusal = unopenable_compression(p)
    if refusal is not None:
        return refusal
    head = _first_bytes(p)
    if head is not None and not head.startswith(b"SIMPLE"):
        return f"{p} is not a FITS file (its first bytes are not a FITS header)"
    cut = fits_cut_short(p)
    if cut is None:
        # a refusal of ours that names the file already (read_fits_table's of a file that is only an empty primary
        # header) was said twice: "cannot read FITS file X: X is a FITS file with no table ..."
        cut = ends_after_primary_header(p) if str(exc).startswith(str(p)) else None
    return cut if cut is not None else f"cannot read FITS file {p}: {exc}"


#: The first bytes of a file compressed with Unix ``compress`` (LZW) and of a zip archive, as astropy tells them.
_LZW_MAGIC = b"\x1f\x9d"
_ZIP_MAGIC = b"PK\x03\x04"
#: The first bytes of every compressed file astropy opens (gzip, bzip2, xz, zip, Unix compress): such a file's
#: image is mapped from astropy's decompressed copy, never from the file (:func:`read_window`).
_COMPRESSED_MAGIC = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", _ZIP_MAGIC, _LZW_MAGIC)


def _astropy_reads_lzw() -> bool:
    # astropy's own flag, so this says what its fits.open will do
    from astropy.utils.compat.optional_deps import HAS_UNCOMPRESSPY

    return bool(HAS_UNCOMPRESSPY)


def _uncompress_remedy(p: Path) -> str:
    # gzip -d and uncompress (gzip's script and ncompress alike) take a name ending in .Z only: "unknown suffix --
    # ignored" of X.fits, and ncompress looks for X.fits.Z. A file not named .Z is renamed so, in its own folder
    # (the mosaic readers scan folders: a second, plain copy beside it would be one band twice)
    if p.name.endswith(".Z"):
        # both replace the .Z file by the FITS file (said "writes the FITS file beside it" until 2026-12-07, and
        # the user looked for the .Z file afterwards); replacing is what a folder needs, where a kept .Z beside
        # its FITS file would be read as the band twice
        return (f"{shown_command(f'gzip -d {shell_word(p)}')} or {shown_command(f'uncompress {shell_word(p)}')} "
                f"replaces it with the FITS file {p.with_name(p.name[:-2])}")
    plain = p.name
    for comp in (".gz", ".bz2", ".xz", ".zip", ".fz"):
        if plain.lower().endswith(comp) and len(plain) > len(comp):
            plain = plain[: -len(comp)]
            break
    packed = p.with_name(plain + ".Z")
    plain_path = p.with_name(plain)
    if packed.exists() or (plain_path != p and plain_path.exists()):
        # renaming would replace a file already there: decompress to a new name instead
        base = next((b for b in FITS_BASES if plain.lower().endswith(b)), "")
        stem, base = (plain[: len(plain) - len(base)], plain[len(plain) - len(base):]) if base else (plain, ".fits")
        new = p.with_name(f"{stem}_uncompressed{base}")
        return (f"{shown_command(f'gzip -dc {shell_word(p)} > {shell_word(new)}')} or "
                f"{shown_command(f'uncompress -c < {shell_word(p)} > {shell_word(new)}')} writes the FITS file as "
                f"{new}; give that one and move this one away")
    return (f"{shown_command(f'mv {shell_word(p)} {shell_word(packed)}')}, then "
            f"{shown_command(f'uncompress {shell_word(packed)}')} or {shown_command(f'gzip -d {shell_word(packed)}')} "
            f"replaces it with the FITS file {plain_path}")


def unopenable_compression(path: PathLike) -> str | None:
    """Why astropy cannot open ``path``'s compression here, with what to do instead; None when it can.

    astropy.io.fits opens a zip archive of one member only, and a Unix ``compress`` file (``.fits.Z``) only
    with the optional package uncompresspy. Its own words ("Zip files with multiple members are not
    supported", "The optional package uncompresspy is necessary ...") named no file, and a ``.fits.Z``
    in a cutout folder was "neither an image file ... nor a stamp store".

    Parameters
    ----------
    path
        A file whose name or first bytes say FITS, about to be opened (or that astropy failed to open).

    Returns
    -------
    str or None
        ``"PATH is compressed with Unix compress (.Z), ...; uncompress it ..."``, ``"PATH is a zip archive
        of 3 files ...; unzip it ..."``, ``"PATH is a zip archive cut short or damaged ...; copy it again"``,
        or None (any other file, whose reading is left to astropy).

    Examples
    --------
    >>> import tempfile, zipfile
    >>> d = Path(tempfile.mkdtemp())
    >>> with zipfile.ZipFile(d / "field.fits.zip", "w") as zf:
    ...     zf.writestr("f555w.fits", b"SIMPLE")
    ...     zf.writestr("f814w.fits", b"SIMPLE")
    >>> print(unopenable_compression(d / "field.fits.zip").replace(str(d), "d"))  # doctest: +NORMALIZE_WHITESPACE
    d/field.fits.zip is a zip archive of 2 files, and astropy reads a zip holding one FITS file only; unzip it
    and give the FITS files themselves
    >>> _ = (d / "f555w.fits").write_bytes(b"SIMPLE  =                    T")
    >>> unopenable_compression(d / "f555w.fits") is None
    True
    """
    import zipfile

    p = Path(path)
    try:
        with open(p, "rb") as fh:
            head = fh.read(4)
    except OSError:
        return None
    if head.startswith(_LZW_MAGIC) and not _astropy_reads_lzw():
        return (f"{p} is compressed with Unix compress (.Z), which astropy reads only with the optional package "
                f"uncompresspy; uncompress it first ({_uncompress_remedy(p)}), or 'pip install uncompresspy'")
    if head.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(p) as zf:
                # counted as astropy counts them: a folder entry is a member too
                members = len(zf.namelist())
        except zipfile.BadZipFile:
            # astropy said "File is not a zip file" of a zip that starts as one: its list of members, written
            # last, is missing, as an interrupted copy or download leaves it
            return (f"{p} is a zip archive cut short or damaged (its list of members, at its end, is missing), as an "
                    "interrupted copy or download leaves it; copy it again")
        except OSError:
            return None
        if members != 1:
            what = "nothing" if not members else f"{members} files"
            return (f"{p} is a zip archive of {what}, and astropy reads a zip holding one FITS file only; unzip it "
                    "and give the FITS files themselves")
    return None


def fits_cut_short(path: PathLike) -> str | None:
    """What to say of a FITS file cut short inside its header, or a gzip/bzip2/xz one whose data end early; else None.

    The words of :func:`unreadable_fits`, for readers that astropy did not fail but that found
    less than the file should hold (a compressed table cut short read as no table HDU).

    Examples
    --------
    >>> import gzip, tempfile
    >>> f = Path(tempfile.mkdtemp()) / "cat.fits.gz"
    >>> _ = f.write_bytes(gzip.compress(b"SIMPLE  =                    T" + b" " * 50000)[:60])
    >>> print(fits_cut_short(f).replace(str(f), "cat.fits.gz"))  # doctest: +NORMALIZE_WHITESPACE
    cat.fits.gz is cut short inside its FITS header (a gzip file whose compressed data end early, 60 bytes),
    as an interrupted copy or download leaves it; copy it again
    """
    p = Path(path)
    cut = _cut_in_header(p)
    if cut is not None:
        # astropy said "Empty or corrupt FITS file": an interrupted copy or download, which copying again mends
        return (f"{p} is cut short inside its FITS header ({cut} bytes), as an interrupted copy or download "
                "leaves it; copy it again")
    packed = _cut_compressed(p)
    if packed is not None:
        kind, in_header = packed
        try:
            size = p.stat().st_size
        except OSError:
            size = None
        article = "an" if kind == "xz" else "a"
        where = " inside its FITS header" if in_header else ""
        return (f"{p} is cut short{where} ({article} {kind} file whose compressed data end early, {size} bytes), as "
                "an interrupted copy or download leaves it; copy it again")
    return None


def ends_after_primary_header(path: PathLike) -> str | None:
    """What to say of a FITS file that is only an empty primary header (no table, no image); else None.

    ``fits.PrimaryHDU().writeto(f)`` writes such a file on purpose: a FITS file with no table or image HDU.
    Until 2026-12-07 it was called "cut short, as an interrupted copy or download leaves it", which it is not;
    before that astropy's "No table found" or "no table HDU". A table written by astropy starts with the same
    header (``NAXIS = 0``, ``EXTEND = T``), so a copy of one interrupted at the 2880-byte boundary is the same
    bytes: where the header announces extensions (``EXTEND = T``) the message says so, and what to do if a
    table was expected. Only a file as it is on disk (compressed ones cut short are :func:`fits_cut_short`'s).

    Parameters
    ----------
    path : str or os.PathLike
        A FITS file in which no table was found.

    Returns
    -------
    str or None
        ``"PATH is a FITS file with no table or image HDU: only an empty primary header (N bytes) ..."``, or
        None (a file with data or more HDUs, one cut inside its header, one astropy cannot parse).

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "list.fits"
    >>> fits.PrimaryHDU().writeto(f)
    >>> print(ends_after_primary_header(f).replace(str(f), "list.fits"))  # doctest: +NORMALIZE_WHITESPACE
    list.fits is a FITS file with no table or image HDU: only an empty primary header (2880 bytes), announcing
    extensions that are not there; a table copied in part would end so too: if it should hold one, copy it again
    """
    p = Path(path)
    try:
        with open(p, "rb") as fh:
            data = fh.read(_HEADER_SCAN)
    except OSError:
        return None
    if not data.startswith(b"SIMPLE") or len(data) >= _HEADER_SCAN or len(data) % 2880 or _header_cut(data):
        return None
    try:
        header = fits.Header.fromstring(data.decode("ascii", "replace"))
    except (ValueError, OSError):  # a header astropy cannot parse: its own words stand
        return None
    end = next(i for i in range(0, len(data) - 79, 80) if data[i:i + 3] == b"END" and not data[i + 3:i + 80].strip())
    if header.get("NAXIS", 0) != 0 or len(data) != -(-(end + 80) // 2880) * 2880:
        return None
    said = f"{p} is a FITS file with no table or image HDU: only an empty primary header ({len(data)} bytes)"
    if header.get("EXTEND") is not True:
        return said
    # the bytes of a table's file interrupted after its first block: said, not assumed
    return (f"{said}, announcing extensions that are not there; a table copied in part would end so too: if it "
            "should hold one, copy it again")


def _check_exists(path: Path) -> None:
    if not path.exists():
        raise StarclassError(f"mosaic file not found: {path}")
    if path.is_dir():
        raise StarclassError(f"expected a FITS file, got a directory: {path}")


def _open_image(path: Path, skip: tuple[str, ...] = ()) -> tuple[np.ndarray, fits.Header, np.ndarray | None,
                                                                   list[str], Path | None]:
    """The first 2-D image of a FITS file (memory-mapped), its header, a weight map if any, its mask HDUs,
    and the weight map's file where it is one of its own beside the image (else None).

    Weight-like extensions (:data:`WEIGHT_EXTNAMES`) give the weight map; ancillary ones
    (:data:`ANCILLARY_EXTNAMES`) are passed over; mask extensions (:data:`MASK_EXTNAMES`, and
    the upper-case ``EXTNAME`` s in ``skip``: the one ``--mask-extension`` applies) are passed
    over and their names returned for the reader's one-line note.
    """
    try:
        # memmap=None, not True: astropy then maps the file where it can and reads scaled
        # integer images (int16 with BZERO/BSCALE, as DSS plates and many ground-based mosaics
        # are stored) into memory; memmap=True makes astropy refuse those outright
        with warnings.catch_warnings():
            # astropy's "File may have been truncated" is replaced by the error below, which names the file
            warnings.filterwarnings("ignore", message="File may have been truncated")
            hdul = open_fits(path, memmap=None, mode="readonly")
    except Exception as exc:  # astropy raises OSError, ValueError, TypeError... on garbage
        from starclass.io.cutout_folders import is_hdf5

        if Path(path).is_file() and is_hdf5(Path(path)):
            # 'classify stamps.h5 --catalog cat.ecsv' said "No SIMPLE card found, this file does not appear to
            # be a valid FITS file": catalogue and cutout readers name the store (f13eab1, 57eafd0)
            raise StarclassError(
                f"{path} is an HDF5 stamp store (written by 'starclass cutouts'), not a FITS mosaic; give the "
                "mosaics its stamps were cut from (a folder of FITS images), or use the store where one is "
                f"read: {shown_command(f'starclass train --stamps {shell_word(path)}')}, "
                f"{shown_command(f'starclass explain MODEL {shell_word(path)}')}, "
                f"{shown_command(f'starclass info {shell_word(path)}')}") from None
        from starclass.io.catalog import refuse_database

        # 'detect labels.db' said "No SIMPLE card found": the catalogue readers name inspect's database (5e77b1d)
        refuse_database(path, instead="a FITS mosaic")
        raise StarclassError(unreadable_fits(path, exc)) from None
    short = _truncated(hdul, path)
    if short is not None:
        hdul.close()
        raise StarclassError(short)
    try:
        primary = hdul[0].header
        image_hdu = None
        used, ignored = "", []
        masks: list[str] = []
        weight = None
        beside: list[str] = []  # the 2-D images read beside a band's image, not as one (for the error below)
        for hdu in hdul:
            if not isinstance(hdu, (fits.PrimaryHDU, fits.ImageHDU, fits.CompImageHDU)):
                continue
            extname = str(hdu.header.get("EXTNAME", "")).strip().upper()
            if not _is_2d_image(hdu):
                continue
            if extname in WEIGHT_EXTNAMES:
                if weight is None:
                    weight = _as_2d(hdu.data, path)
                beside.append(f"{_hdu_label(hdul, hdu)}: a weight map")
                continue
            if extname == DQ_EXTNAME:
                masks.append(extname)  # named in the note: --dq-good-bits applies it
                beside.append(f"{_hdu_label(hdul, hdu)}: data quality")
                continue
            if extname in ANCILLARY_EXTNAMES:
                beside.append(f"{_hdu_label(hdul, hdu)}: {_ANCILLARY_WORDS.get(extname, 'ancillary')}")
                continue
            if extname in MASK_EXTNAMES or extname in skip:
                masks.append(extname)
                beside.append(f"{_hdu_label(hdul, hdu)}: a mask")
                continue
            if image_hdu is None:
                image_hdu, used = hdu, _hdu_label(hdul, hdu)
            else:
                ignored.append(_hdu_label(hdul, hdu))
        if image_hdu is None:
            named = sorted({m for m in masks if m in skip and m not in MASK_EXTNAMES})
            if named:
                # --mask-extension SCI (the image's own name): the image was taken for the mask
                raise StarclassError(
                    f"--mask-extension {named[0]}: in {path} that is the image itself, and no other image is left; "
                    f"give the EXTNAME of the mask (its HDUs: {', '.join(_hdu_label(hdul, h) for h in hdul)})")
            if beside:
                # a drizzled product without its SCI (WHT and CTX left): "no 2-D image found (HDU 1: 512 x 512 px;
                # HDU 2: 512 x 512 px ...)" named two 2-D images and not why neither was the image
                raise StarclassError(
                    f"no science image in {path}: its 2-D images are {'; '.join(beside)}, which are read beside a "
                    "band's image, not as one (a drizzled product's image is its SCI extension, or the primary "
                    "HDU of an HLSP mosaic)")
            raise StarclassError(f"no 2-D image found in any HDU of {path}{_image_shapes(hdul)}")
        if ignored:
            # two chips, two epochs or an image and its model in one file: only one is the band's
            # mosaic, and reading the first without a word measured half of a two-chip file
            warnings.warn(f"{path} holds {len(ignored) + 1} images: using {used}, ignoring {', '.join(ignored)} "
                          "(starclass reads one image per band; write each to its own file to use another)",
                          stacklevel=2)
        # BSCALE before the data are read: astropy drops it from the header once it has applied it
        bscale = _number(image_hdu.header.get("BSCALE")) if int(image_hdu.header.get("BITPIX", 0)) > 0 else None
        arr = _as_2d(image_hdu.data, path)
        if isinstance(image_hdu, fits.CompImageHDU):
            arr = restore_dithered_zeros(arr, path, hdul.index(image_hdu))
        elif bscale is not None:
            arr = restore_scaled_zeros(arr, bscale)
        header = image_hdu.header.copy()
        if image_hdu is not hdul[0]:
            # keywords such as FILTER, PHOTFLAM, EXPTIME often live only in the primary header
            for card in primary.cards:
                if card.keyword and card.keyword not in header and card.keyword not in (
                        "SIMPLE", "EXTEND", "NAXIS", "BITPIX", "COMMENT", "HISTORY", ""):
                    try:
                        header[card.keyword] = (card.value, card.comment)
                    except Exception:  # odd cards (e.g. HIERARCH oddities) are not needed
                        pass
    except StarclassError:
        hdul.close()
        raise
    except Exception as exc:
        hdul.close()
        raise StarclassError(f"cannot read the image data of {path}: {exc}") from None
    hdul.close()  # the memory map stays alive as long as the arrays are referenced

    weight_path = None
    if weight is None:
        weight, weight_path = _weight_beside(path, arr.shape)
    return arr, header, weight, masks, weight_path


def _truncated(hdul: fits.HDUList, path: Path) -> str | None:
    """Why ``path`` is cut short (its headers describe more bytes than it holds), or None when whole.

    A truncated file (an interrupted copy or download) used to fail with astropy's "buffer is too
    small for requested array" after a separate warning; this names the file, both sizes and the remedy.
    Compressed files (``.gz``, ``.bz2``, ``.xz``, tile-compressed HDUs) are left to astropy: their size on disk is not
    the size the headers describe.
    """
    # lower-cased both sides: ".Z" is a name's own case, and a zip's size on disk is not its member's either
    if str(path).lower().endswith(tuple(c.lower() for c in (*FITS_COMPRESSIONS, ".fz"))):
        return None
    try:
        size = os.path.getsize(path)
        spans = [(h.fileinfo(), h.size) for h in hdul]
        expected = max(info["datLoc"] + info["datSpan"] for info, _ in spans if info)
        # the data themselves, without the zero padding to a 2880-byte block that ends the file:
        # some writers leave that out, and astropy reads such a file whole (it only warns). A
        # tile-compressed HDU's size is that of the image uncompressed: its span on disk bounds it
        needed = max(info["datLoc"] + min(int(nbytes), info["datSpan"]) for info, nbytes in spans if info)
    except Exception:  # nothing to compare: astropy's own error will say what is wrong
        return None
    if size >= needed:
        return None
    return (f"{path} is truncated: the file holds {size} bytes but its FITS headers describe {expected} "
            f"({100 * size / expected:.0f}% present; an interrupted copy or download?); copy it again")


def _hdu_label(hdul: fits.HDUList, hdu) -> str:
    """``HDU 1 (SCI,2)``: an HDU's index and, where it has one, its EXTNAME and EXTVER."""
    index = next(i for i, h in enumerate(hdul) if h is hdu)
    name = str(hdu.header.get("EXTNAME", "")).strip()
    ver = hdu.header.get("EXTVER")
    return f"HDU {index}" + (f" ({name},{ver})" if name and ver is not None else f" ({name})" if name else "")


def _is_2d_image(hdu) -> bool:
    """True for an image HDU holding a 2-D image of at least 2 x 2 px (further axes of length 1)."""
    if not isinstance(hdu, (fits.PrimaryHDU, fits.ImageHDU, fits.CompImageHDU)):
        return False
    naxis = hdu.header.get("NAXIS", 0)
    dims = [hdu.header.get(f"NAXIS{i}", 0) for i in range(1, naxis + 1)]
    return naxis >= 2 and all(d == 1 for d in dims[2:]) and dims[0] > 1 and dims[1] > 1


def _first_image(hdul: fits.HDUList, skip: tuple[str, ...] = ()):
    """The HDU :func:`_open_image` reads as the band's image (the first 2-D one not ancillary), or None.

    ``skip``: further ``EXTNAME`` s that are not the image, as :func:`_open_image` takes them.
    """
    left_out = set(WEIGHT_EXTNAMES) | set(ANCILLARY_EXTNAMES) | set(MASK_EXTNAMES) | set(skip)
    for hdu in hdul:
        if _is_2d_image(hdu) and str(hdu.header.get("EXTNAME", "")).strip().upper() not in left_out:
            return hdu
    return None


def weight_extension(path: PathLike) -> str | None:
    """The ``EXTNAME`` of the plane of ``path`` read as its weight map, or None where the file holds none.

    The rule of :func:`_open_image`: the first 2-D image HDU named in :data:`WEIGHT_EXTNAMES`. None
    means the weight map, if any, is a file beside the image (:func:`_weight_beside`). Headers only:
    no pixel is read.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "coadd.fits"
    >>> img = np.zeros((4, 4), np.float32)
    >>> fits.HDUList([fits.PrimaryHDU(img), fits.ImageHDU(img, name="MSK"), fits.ImageHDU(img, name="WGT")]).writeto(p)
    >>> weight_extension(p)
    'WGT'
    """
    with open_fits(path, memmap=True) as hdul:
        for hdu in hdul:
            if str(hdu.header.get("EXTNAME", "")).strip().upper() in WEIGHT_EXTNAMES and _is_2d_image(hdu):
                return str(hdu.header["EXTNAME"]).strip().upper()
    return None


def _flag_array(hdul: fits.HDUList, name: str, image, shape: tuple[int, ...], path: Path, option: str) -> np.ndarray:
    """The 2-D data of extension ``name`` (the one of the image's EXTVER where several), checked against ``shape``.

    Examples
    --------
    >>> hdul = fits.HDUList([fits.PrimaryHDU(np.zeros((3, 4), np.float32)),
    ...                      fits.ImageHDU(np.ones((3, 4), np.int16), name="BPM")])
    >>> _flag_array(hdul, "BPM", hdul[0], (3, 4), Path("x.fits"), "--mask-extension BPM").sum()
    np.int64(12)
    """
    same = [h for h in hdul if str(h.header.get("EXTNAME", "")).strip().upper() == name]
    if not same:
        present = ", ".join(_hdu_label(hdul, h) for h in hdul)
        raise StarclassError(f"{option}: {path} has no {name} extension; its HDUs: {present}")
    ver = image.header.get("EXTVER")
    hdu = next((h for h in same if ver is not None and h.header.get("EXTVER") == ver), same[0])
    if hdu.data is None or hdu.data.ndim < 2:
        raise StarclassError(f"{option}: the {name} extension of {path} holds no 2-D array")
    data = hdu.data
    if any(n != 1 for n in data.shape[:-2]):
        # a stack of masks (one per exposure or chip): its first plane alone was applied, without a word
        raise StarclassError(
            f"{option}: the {name} extension of {path} holds {' x '.join(str(n) for n in data.shape[::-1])} "
            "values (a stack of planes), not one 2-D flag per pixel of the image")
    while data.ndim > 2:
        data = data[0]  # axes of length 1 only, as the image's (_is_2d_image)
    if data.shape != tuple(shape):
        raise StarclassError(
            f"{option}: the {name} extension of {path} is {data.shape[1]} x {data.shape[0]} px but its image "
            f"is {shape[1]} x {shape[0]} px (nx x ny)")
    return np.asarray(data)


def _mask_file_array(mask: Path, shape: tuple[int, ...], path: Path, option: str,
                     window: tuple[slice, slice] = (slice(None), slice(None))) -> np.ndarray:
    """The first 2-D image of the mask file ``mask`` of the mosaic ``path``, checked against ``shape``.

    Memory-mapped, and only ``window`` (rows, columns) is read.

    Examples
    --------
    >>> _mask_file_array(Path("no/such_bpm.fits"), (3, 4), Path("no/such.fits"), "--mask-file {stem}_bpm.fits")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: --mask-file {stem}_bpm.fits: no mask file no/such_bpm.fits for no/such.fits
    """
    if not mask.is_file():
        raise StarclassError(f"{option}: no mask file {mask} for {path}")
    if resolved(mask) == resolved(path):
        # '{stem}.fits' names the mosaic itself: every nonzero pixel of the image was flagged bad
        raise StarclassError(f"{option}: names the mosaic {path} itself, not a mask file beside it (e.g. "
                             "'{stem}_bpm.fits')")
    try:
        hdul = open_fits(mask, memmap=True, mode="readonly")
    except Exception as exc:
        raise StarclassError(f"{option}: mask file of {path}: {unreadable_fits(mask, exc)}") from None
    with hdul:
        hdu = next((h for h in hdul if h.is_image and h.data is not None and h.data.ndim >= 2), None)
        if hdu is None:
            raise StarclassError(f"{option}: mask file {mask} (of {path}) holds no 2-D image")
        data = hdu.data
        if any(n != 1 for n in data.shape[:-2]):
            raise StarclassError(f"{option}: mask file {mask} holds {' x '.join(str(n) for n in data.shape[::-1])} "
                                 "values (a stack of planes), not one 2-D flag per pixel of the image")
        while data.ndim > 2:
            data = data[0]
        if data.shape != tuple(shape):
            raise StarclassError(f"{option}: mask file {mask} is {data.shape[1]} x {data.shape[0]} px but {path} is "
                                 f"{shape[1]} x {shape[0]} px (nx x ny)")
        # read now, the window only: the file is closed on return (NaN != 0: a NaN in a mask is not a good pixel)
        return read_window(data, window, mask)


def _image_shapes(hdul: fits.HDUList) -> str:
    """What the image HDUs of a file hold, for the error when none is a usable 2-D image.

    Examples
    --------
    >>> _image_shapes(fits.HDUList([fits.PrimaryHDU(np.zeros((5, 1), np.float32))]))
    ' (HDU 0: 1 x 5 px; a mosaic is an image of at least 2 x 2 px, any further axes of length 1)'
    >>> _image_shapes(fits.HDUList([fits.PrimaryHDU()]))
    ' (no HDU holds data)'
    """
    shapes = []
    for i, hdu in enumerate(hdul):
        if isinstance(hdu, (fits.PrimaryHDU, fits.ImageHDU, fits.CompImageHDU)):
            naxis = int(hdu.header.get("NAXIS", 0))
            if naxis:
                dims = " x ".join(str(hdu.header.get(f"NAXIS{k}", 0)) for k in range(1, naxis + 1))
                shapes.append(f"HDU {i}: {dims} px")
    if not shapes:
        return " (no HDU holds data)"
    return f" ({'; '.join(shapes)}; a mosaic is an image of at least 2 x 2 px, any further axes of length 1)"


#: Side (px) of the smallest square of near-zero pixels :func:`restore_dithered_zeros` takes for padding:
#: that of the exact zeros :func:`zero_padding` reads as padding.
DITHERED_ZERO_SIDE = 5


def _quantisation_steps(path: Path, index: int, shape: tuple[int, int]) -> np.ndarray | None:
    """Per pixel, the quantisation step of a tile-compressed float image quantised with SUBTRACTIVE_DITHER_1.

    None where the HDU is not quantised so (lossless, integer, ``NO_DITHER`` or
    ``SUBTRACTIVE_DITHER_2``, which keeps zeros). A tile stored losslessly has step 0.
    """
    with open_fits(path, disable_image_compression=True, memmap=False) as raw:
        table = raw[index]
        head = table.header
        if str(head.get("ZQUANTIZ", "")).strip().upper() != "SUBTRACTIVE_DITHER_1":
            return None
        if str(head.get("ZBITPIX", "")).strip() not in ("-32", "-64"):
            return None
        ny, nx = shape
        tx = int(head.get("ZTILE1", nx) or nx)
        ty = int(head.get("ZTILE2", 1) or 1)
        ntx, nty = -(-nx // tx), -(-ny // ty)
        if "ZSCALE" in table.columns.names:
            scale = np.asarray(table.data["ZSCALE"], dtype=float)
        elif "ZSCALE" in head:
            scale = np.full(ntx * nty, float(head["ZSCALE"]))
        else:
            return None
    if scale.size != ntx * nty:
        return None
    scale = np.where(np.isfinite(scale) & (scale > 0), scale, 0.0).reshape(nty, ntx)
    # tiles in row order (cfitsio): tile (j, i) covers rows j*ty.. and columns i*tx..
    return np.repeat(np.repeat(scale, ty, axis=0), tx, axis=1)[:ny, :nx]


def restore_dithered_zeros(arr: np.ndarray, path: PathLike, index: int) -> np.ndarray:
    """A tile-compressed image's zero padding back to exact zeros where dithered quantisation blurred it.

    fpack's default lossy compression of float images (``SUBTRACTIVE_DITHER_1``; astropy's
    ``CompImageHDU(..., quantize_method=1)``) gives
    each pixel back within half a quantisation step (``ZSCALE`` of its tile) of its value, so the exact
    zeros outside a drizzled footprint come back as noise of about 1/30 of the sky's: starclass read
    them as data (no zero padding found without a weight map), and ``detect`` found a row of false
    candidates along the footprint's edge (705 where the uncompressed file gives 475). Pixels within
    half a step of 0 in squares of at least :data:`DITHERED_ZERO_SIDE` px are set to 0 (a change
    smaller than the compression's own error); a sky pixel lies that close to 0 with a chance of
    about 1/16 at fpack's default quantisation, so 25 of them together do not happen on data.

    Parameters
    ----------
    arr
        The image as astropy decompressed it.
    path, index
        Its file and the index of its HDU there.

    Returns
    -------
    numpy.ndarray
        ``arr`` itself when nothing changes (not dithered, or no such square), else a read-only copy.

    Examples
    --------
    >>> import tempfile
    >>> rng = np.random.default_rng(0)
    >>> img = rng.normal(1.0, 0.1, (64, 64)).astype(np.float32)
    >>> img[:, :20] = 0.0                                     # padding beside the footprint
    >>> p = Path(tempfile.mkdtemp()) / "drc.fits.fz"
    >>> fits.HDUList([fits.PrimaryHDU(), fits.CompImageHDU(img, quantize_level=16, quantize_method=1)]).writeto(p)
    >>> back = fits.getdata(p, 1)
    >>> bool((back[:, :20] == 0).all())
    False
    >>> fixed = restore_dithered_zeros(back, p, 1)
    >>> bool((fixed[:, :20] == 0).all()), bool(np.array_equal(fixed[:, 20:], back[:, 20:]))
    (True, True)
    """
    if arr.ndim != 2 or arr.dtype.kind != "f":
        return arr
    steps = _quantisation_steps(Path(path), index, arr.shape)
    if steps is None:
        return arr
    return _near_zero_squares_to_zero(arr, steps)


def restore_scaled_zeros(arr: np.ndarray, bscale: float) -> np.ndarray:
    """A scaled-integer image's zero padding back to exact zeros (``BZERO + BSCALE * n`` misses 0).

    An image stored as int16 with ``BSCALE``/``BZERO`` (astropy's ``hdu.scale('int16')``, as teams
    shrink drizzled mosaics) holds 0 as the integer nearest to ``-BZERO / BSCALE``, read back as
    ``BZERO + BSCALE * n``: a constant within half a step of 0 (-6.4e-05 e-/s for one band of a
    simulated HST field), not 0, so without a weight map its padding was read as sky. Pixels within
    half a step of 0 in squares of at least :data:`DITHERED_ZERO_SIDE` px are set to 0, where the step
    is at most a quarter of the image's noise (fpack's coarsest default quantisation); a coarser
    scaling (integers of counts, a plate in ADU) is left as stored.

    Parameters
    ----------
    arr
        The image with BSCALE/BZERO applied (float32, as astropy reads it).
    bscale
        The file's ``BSCALE``.

    Returns
    -------
    numpy.ndarray
        ``arr`` itself when nothing changes, else a read-only copy.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> img = rng.normal(1.0, 0.1, (64, 64)).astype(np.float32)
    >>> img[:, :20] = 0.0
    >>> bscale, bzero = 0.002, 0.9997                      # 0 is stored as -500 (read as -0.0003)
    >>> back = (np.round((img - bzero) / bscale) * bscale + bzero).astype(np.float32)
    >>> bool((back[:, :20] == 0).any())
    False
    >>> fixed = restore_scaled_zeros(back, bscale)
    >>> bool((fixed[:, :20] == 0).all()), bool(np.array_equal(fixed[:, 20:], back[:, 20:]))
    (True, True)
    """
    step = abs(float(bscale)) if bscale is not None and np.isfinite(bscale) else 0.0
    if arr.ndim != 2 or arr.dtype.kind != "f" or step <= 0:
        return arr
    stride = max(1, int(np.sqrt(arr.size / 1e5)))  # about 1e5 pixels for the noise
    sample = np.asarray(arr[::stride, ::stride], dtype=np.float64)
    sample = sample[np.isfinite(sample) & (np.abs(sample) > 0.5 * step)]
    if sample.size < 100:
        return arr
    sigma = 1.4826 * float(np.median(np.abs(sample - np.median(sample))))
    if not (step <= 0.25 * sigma):
        return arr
    return _near_zero_squares_to_zero(arr, step)


def quantised_zeros(path: PathLike) -> str | None:
    """Which rule of reading back zero padding applies to the image of ``path``, from its headers alone.

    ``"dithered"`` for a float image tile-compressed with ``SUBTRACTIVE_DITHER_1``
    (:func:`restore_dithered_zeros`), ``"scaled"`` for an integer image with a ``BSCALE`` other than 1
    or a fractional ``BZERO`` (:func:`restore_scaled_zeros`), else None. The survey enters it in those
    bands' tile digests: their pixel values are read otherwise since 2026-12-05.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "drc.fits"
    >>> fits.PrimaryHDU(np.zeros((4, 4), np.float32)).writeto(p)
    >>> quantised_zeros(p) is None
    True
    """
    with open_fits(path, disable_image_compression=True, memmap=True) as hdul:
        for hdu in hdul:
            head = hdu.header
            if isinstance(hdu, fits.BinTableHDU) and head.get("ZIMAGE"):
                extname = str(head.get("EXTNAME", "")).strip().upper()
                if extname in WEIGHT_EXTNAMES or extname in ANCILLARY_EXTNAMES or extname in MASK_EXTNAMES:
                    continue
                quantised = str(head.get("ZQUANTIZ", "")).strip().upper() == "SUBTRACTIVE_DITHER_1"
                return "dithered" if quantised and str(head.get("ZBITPIX", "")).strip() in ("-32", "-64") else None
            if not _is_2d_image(hdu):
                continue
            extname = str(head.get("EXTNAME", "")).strip().upper()
            if extname in WEIGHT_EXTNAMES or extname in ANCILLARY_EXTNAMES or extname in MASK_EXTNAMES:
                continue
            bscale, bzero = _number(head.get("BSCALE", 1.0)), _number(head.get("BZERO", 0.0))
            scaled = int(head.get("BITPIX", 0)) > 0 and (
                (bscale is not None and bscale != 1.0) or (bzero is not None and bzero != round(bzero)))
            return "scaled" if scaled else None
    return None


def _near_zero_squares_to_zero(arr: np.ndarray, steps) -> np.ndarray:
    """``arr`` with squares of pixels within half a quantisation step of 0 set to 0 (a read-only copy)."""
    from scipy.ndimage import maximum_filter, minimum_filter

    with np.errstate(invalid="ignore"):
        near = (np.abs(arr) <= 0.5 * np.asarray(steps) * (1 + 1e-6)).view(np.uint8)
    if not near.any():
        return arr
    side = DITHERED_ZERO_SIDE
    opened = maximum_filter(minimum_filter(near, size=side, mode="constant", cval=0), size=side,
                            mode="constant", cval=0).astype(bool)
    opened &= arr != 0
    if not opened.any():
        return arr
    out = np.array(arr, dtype=np.float32, copy=True)
    out[opened] = 0.0
    out.flags.writeable = False
    return out


def _as_2d(data, path: Path) -> np.ndarray:
    if data is None:
        raise StarclassError(f"empty image HDU in {path}")
    arr = data
    while arr.ndim > 2:
        arr = arr[0]
    if arr.dtype.kind != "f" or arr.dtype.itemsize != 4:
        # integer or double images must be converted: this copies (the only case that does)
        arr = np.asarray(arr, dtype=np.float32)
    arr.flags.writeable = False
    return arr


def _in_case_of(word: str, like: str) -> str:
    """``word`` upper-case when the letters of ``like`` are all upper-case, else as given.

    Examples
    --------
    >>> _in_case_of("wht", "SCI"), _in_case_of("_wht", "NGC628C_F555W"), _in_case_of("wht", "sci")
    ('WHT', '_WHT', 'wht')
    """
    return word.upper() if like.isupper() else word


def _under_every_fits_name(candidates: list[Path], suffix: str | None) -> list[Path]:
    """Each candidate name under its image's FITS suffix first, then under every other FITS name.

    A weight map is often stored compressed beside a plain image (``x_f555w.fits`` and ``x_f555w_wht.fits.gz``,
    ``.fits.fz``, ``.fits.Z``): until 2026-12-06 only the image's own suffix was looked for, and such a map was
    passed over without a word ("no weight map"), its zero-weight pixels read as data.

    Examples
    --------
    >>> names = [p.name for p in _under_every_fits_name([Path("x_wht.fits")], ".fits")]
    >>> names[:4], "x_wht.fits.Z" in names, "x_wht.fz" in names
    (['x_wht.fits', 'x_wht.fits.fz', 'x_wht.fits.gz', 'x_wht.fits.bz2'], True, True)
    """
    if not suffix:
        return list(candidates)
    # the image's own FITS word (.fits, .FITS, .fit) with each compression, before the other words
    base = next((suffix[: len(b)] for b in FITS_BASES if suffix.lower().startswith(b)), None)
    own = [f"{base}{comp}" for comp in ("", ".fz", *FITS_COMPRESSIONS)] if base else []
    out: list[Path] = []
    for cand in candidates:
        stem = cand.name[: len(cand.name) - len(suffix)] if cand.name.endswith(suffix) else None
        if stem is None:
            out.append(cand)
            continue
        for ext in dict.fromkeys([suffix, *own, *FITS_SUFFIXES]):
            out.append(cand.with_name(stem + ext))
    return list(dict.fromkeys(out))


def _weight_beside(path: Path, shape) -> tuple[np.ndarray | None, Path | None]:
    """A weight map next to ``path`` ('sci' -> 'wht', or '_wht' appended to the stem), else an exposure map,
    and its file; ``(None, None)`` where there is none.

    An X-ray image's exposure map (``xmm_xray.fits`` beside ``xmm_xray_exp.fits`` or ``..._expmap.fits``,
    ``pn_img.fits`` beside ``pn_exp.fits``) is a weight map too: zero where nothing was observed (chip
    gaps, beyond the field of view), as an ``EXPOSURE`` extension is read. A folder scan leaves such files
    out as ancillary (:func:`is_weight_file`); until 2026-12-05 they were left out and never read, so the
    zeros of the chip gaps were taken for an empty sky.
    """
    name = path.name
    candidates = []
    suffix = fits_suffix(name)
    # the weight map's name in the image name's case: NGC628C_F555W_SCI.fits -> ..._WHT.fits (a lower-case
    # 'wht' alone missed it on a case-sensitive file system, and the zero-weight pixels were read as data)
    if re.search(r"sci", name[: len(name) - len(suffix or "")], flags=re.I):
        swapped = re.sub(r"sci(?!.*sci)", lambda m: _in_case_of("wht", m.group(0)),
                         name[: len(name) - len(suffix or "")], flags=re.I)
        candidates.append(path.with_name(swapped + (suffix or "")))
    if suffix:
        stem, ext_as_named = name[: -len(suffix)], suffix
        wht = _in_case_of("_wht", stem)
        candidates.append(path.with_name(f"{stem}{wht}{ext_as_named}"))
        for tag in ("_drc", "_drz"):
            if stem.lower().endswith(tag):
                candidates.append(path.with_name(f"{stem[: -len(tag)]}{wht}{ext_as_named}"))
        # an exposure map (X-ray): after the weight maps, which say more where both lie there
        for tag in ("_exp", "_expmap"):
            candidates.append(path.with_name(f"{stem}{_in_case_of(tag, stem)}{ext_as_named}"))
        for tag in ("exp", "expmap"):
            # the 'img' word of the name: pn_img.fits -> pn_exp.fits
            swapped = re.sub(r"(^|[_\-.])(img)(?=[_\-.]|$)",
                             lambda m, t=tag: m.group(1) + _in_case_of(t, m.group(2)), stem, flags=re.I)
            if swapped != stem:
                candidates.append(path.with_name(swapped + ext_as_named))
    for cand in _under_every_fits_name(candidates, suffix):
        if cand != path and cand.exists():
            try:
                with open_fits(cand, memmap=None) as hdul:  # scaled integer weights too (see _open_image)
                    for hdu in hdul:
                        if hdu.data is not None and hdu.data.ndim >= 2:
                            w = _as_2d(hdu.data, cand)
                            break
                    else:
                        continue
            except StarclassError:
                raise
            except Exception as exc:
                raise StarclassError(f"weight map of {path}: {unreadable_fits(cand, exc)}") from None
            if w.shape != tuple(shape):
                raise StarclassError(
                    f"weight map {cand} has shape {w.shape[::-1]} but {path} has {tuple(shape)[::-1]} (nx x ny)")
            return w, cand
    return None, None


_ROW_BLOCK = 512


def _mapped_file(arr: np.ndarray) -> tuple[int, int] | None:
    """Where ``arr`` lies in the file it is a memory-mapped view of: ``(offset of its first byte, bytes mapped)``.

    None where it is not such a view (in memory). astropy maps a FITS file whole, from its first byte, with
    :class:`mmap.mmap`; :class:`numpy.memmap` gives its own offset.
    """
    import mmap

    base = arr
    while base is not None:
        if isinstance(base, mmap.mmap | np.memmap):
            start = np.frombuffer(base, dtype=np.uint8).__array_interface__["data"][0]
            skip = int(base.offset) if isinstance(base, np.memmap) else 0
            size = skip + (base.nbytes if isinstance(base, np.memmap) else len(base))
            return arr.__array_interface__["data"][0] - start + skip, size
        base = getattr(base, "base", None)
    return None


def _stamp(st: os.stat_result) -> tuple[int, int, int]:
    return st.st_size, st.st_mtime_ns, st.st_ino


def read_window(arr: np.ndarray, window: tuple[slice, slice], path: PathLike | None = None,
                expect: Mapping[str, tuple[int, int]] | None = None) -> np.ndarray:
    """A read-only copy of ``arr[window]``, read from its file with plain reads where ``arr`` is memory-mapped.

    A memory-mapped page past the end of a file cut short after it was opened (a copy or an rsync rewriting it in
    place while a survey runs) raises SIGBUS, which kills the process: no exception, no file named, the work in
    hand lost. Read with plain reads, such a file comes back short, and that is refused naming it. Only the
    window is read, row by row (a tile of a mosaic of tens of GB), never the whole file; an array in memory
    (a scaled integer or tile-compressed image, an :class:`ArrayMosaics`) is sliced and copied.

    Parameters
    ----------
    arr
        2-D image, as :func:`read_mosaics` holds it (a view of astropy's map of the file, or in memory).
    window
        ``(rows, cols)`` slices (step 1).
    path
        The file ``arr`` was mapped from (a memory map does not say it). None: read through the map.
    expect
        Real path -> ``(size, mtime_ns)`` the file had when its reader checked it (a survey's plan check): a file
        that differs now is refused, as is one that changes while the window is read.

    Returns
    -------
    numpy.ndarray
        The window, of ``arr``'s dtype (big-endian as on disk), read-only.

    Raises
    ------
    StarclassError
        The file is shorter than the window's bytes need or than when it was mapped (cut short), differs from
        ``expect``, or changed while it was read; the message names it.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "g.fits"
    >>> fits.PrimaryHDU(np.arange(48, dtype=np.float32).reshape(6, 8)).writeto(f)
    >>> with fits.open(f, memmap=True) as hdul:
    ...     mapped = hdul[0].data
    ...     read_window(mapped, (slice(1, 3), slice(2, 5)), f).tolist()
    [[10.0, 11.0, 12.0], [18.0, 19.0, 20.0]]
    >>> with open(f, "r+b") as fh:
    ...     _ = fh.truncate(2880 + 4 * 8)   # cut short after the first row: a page of its map past the end is SIGBUS
    >>> read_window(mapped, (slice(1, 3), slice(2, 5)), f)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: .../g.fits is truncated: it holds 2912 bytes, 5760 when it was opened ...
    """
    rows, cols = window
    ny, nx = arr.shape
    r0, r1, rstep = rows.indices(ny)
    c0, c1, cstep = cols.indices(nx)
    mapped = _mapped_file(arr) if path is not None else None
    if mapped is None or rstep != 1 or cstep != 1 or arr.strides[1] != arr.itemsize or arr.strides[0] <= 0:
        out = np.array(arr[window])
        out.flags.writeable = False
        return out
    offset, size_mapped = mapped
    h, w = max(r1 - r0, 0), max(c1 - c0, 0)
    out = np.empty((h, w), dtype=arr.dtype)
    if h and w:
        row_bytes = w * arr.itemsize
        first = offset + r0 * arr.strides[0] + c0 * arr.itemsize
        flat = out.reshape(-1).view(np.uint8)
        with open(path, "rb", buffering=0) as fh:
            if fh.read(max(map(len, _COMPRESSED_MAGIC))).startswith(_COMPRESSED_MAGIC):
                # a compressed file (toy.fits.zip, .gz): astropy maps its own decompressed copy, not this file, whose
                # bytes are not the image's (read from it, every window was refused as cut short)
                out = np.array(arr[window])
                out.flags.writeable = False
                return out
            before = _stamp(os.fstat(fh.fileno()))
            if before[0] < size_mapped:
                raise StarclassError(
                    f"{path} is truncated: it holds {before[0]} bytes, {size_mapped} when it was opened (cut short "
                    "since: a copy or download rewriting it?); copy it again")
            was = (expect or {}).get(os.path.realpath(path))
            if was is not None and tuple(was) != before[:2]:
                raise StarclassError(changed_message(path, was, before[:2]))
            whole = w == nx and arr.strides[0] == row_bytes  # whole rows: one read
            spans = [(0, h * row_bytes, first)] if whole else [
                (i * row_bytes, (i + 1) * row_bytes, first + i * arr.strides[0]) for i in range(h)]
            for lo, hi, at in spans:
                fh.seek(at)
                got = fh.readinto(flat[lo:hi])
                if got != hi - lo:
                    raise StarclassError(
                        f"{path} is truncated: it holds {os.fstat(fh.fileno()).st_size} bytes, {size_mapped} when it "
                        "was opened (cut short while it was read: a copy or download rewriting it?); copy it again")
            after = _stamp(os.fstat(fh.fileno()))
        if after != before:
            raise StarclassError(changed_message(path, before[:2], after[:2], while_read=True))
    out.flags.writeable = False
    return out


class PlainReads:
    """A 2-D image read slice by slice with plain file reads (:func:`read_window`), never through its memory map.

    Whole-mosaic checks (all NaN, counts or not, the padding's side and share) index it as they index an array
    (``img[rows]``, ``img[y0:y1, x0:x1]``, ``img[::k, ::k]``): each slice is read from the file, a block of rows at
    a time, and a file cut short since it was opened is refused naming it, where a page of its map past the end
    killed the process (SIGBUS). Converting it whole (``np.asarray``) is refused: a mosaic of tens of GB must not
    be read at once.

    Parameters
    ----------
    arr
        The image as :func:`read_mosaics` holds it (a view of astropy's map of ``path``, or in memory).
    path
        The file ``arr`` is mapped from.
    expect
        As :func:`read_window` takes it, or None.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "g.fits"
    >>> fits.PrimaryHDU(np.arange(48, dtype=np.float32).reshape(6, 8)).writeto(f)
    >>> with fits.open(f, memmap=True) as hdul:
    ...     img = PlainReads(hdul[0].data, f)
    ...     img.shape, img[1:3, 2:5].tolist(), img[::4, ::3].tolist(), float(img[5, 7])
    ((6, 8), [[10.0, 11.0, 12.0], [18.0, 19.0, 20.0]], [[0.0, 3.0, 6.0], [32.0, 35.0, 38.0]], 47.0)
    """

    def __init__(self, arr: np.ndarray, path: PathLike, expect: Mapping[str, tuple[int, int]] | None = None) -> None:
        self.arr, self.path, self.expect = arr, Path(path), expect
        self.shape = tuple(arr.shape)
        self.dtype = arr.dtype
        self.ndim = 2

    def __len__(self) -> int:
        return self.shape[0]

    def __array__(self, dtype=None, copy=None):
        raise TypeError(f"{self.path} is read window by window (PlainReads), not whole")

    def __getitem__(self, key) -> np.ndarray:
        rows, cols = key if isinstance(key, tuple) else (key, slice(None))
        drop = [isinstance(k, int | np.integer) for k in (rows, cols)]
        rows, cols = (slice(int(k) % n, int(k) % n + 1) if d else k
                      for k, n, d in zip((rows, cols), self.shape, drop))
        (r0, r1, rs), (c0, c1, cs) = rows.indices(self.shape[0]), cols.indices(self.shape[1])
        if rs < 1 or cs < 1:
            raise IndexError(f"{self.path}: PlainReads reads forward slices only")
        if rs == 1:
            out = read_window(self.arr, (slice(r0, r1), slice(c0, c1)), self.path, self.expect)[:, ::cs]
        else:  # every rs-th row, each read alone: a sparse sample reads only its rows
            out = np.stack([read_window(self.arr, (slice(y, y + 1), slice(c0, c1)), self.path, self.expect)[0, ::cs]
                            for y in range(r0, r1, rs)]) if r1 > r0 else np.empty((0, len(range(c0, c1, cs))),
                                                                                  self.arr.dtype)
        if drop[0] and drop[1]:
            return out[0, 0]
        return out[0] if drop[0] else out[:, 0] if drop[1] else out


def changed_message(path: PathLike, was: tuple[int, int], now: tuple[int, int] | None, while_read: bool = False) -> str:
    """Why a file read by a survey is refused: it changed after it was checked (or while it was read).

    ``was`` and ``now`` are ``(size, mtime_ns)``; ``now`` None: the file is gone.

    Examples
    --------
    >>> changed_message("f/g_wht.fits", (5760, 10**18), (5760, 10**18 + 10**9))
    'f/g_wht.fits changed after it was checked (modified again, 5760 bytes as before)'
    >>> changed_message("f/g.fits", (5760, 10**18), None)
    'f/g.fits is gone since it was checked'
    """
    if now is None:
        return f"{path} is gone since it was checked"
    when = "while it was read" if while_read else "after it was checked"
    size = (f"{was[0]} bytes as before" if now[0] == was[0] else f"now {now[0]} bytes, {was[0]} before")
    return f"{path} changed {when} (modified again, {size})" if now[1] != was[1] else f"{path} changed {when} ({size})"


def fits_truncated(path: PathLike) -> str | None:
    """What :func:`read_mosaics` says of ``path`` cut short (its headers describe more bytes than it holds), or None.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "g.fits"
    >>> fits.PrimaryHDU(np.zeros((64, 64), np.float32)).writeto(f)
    >>> fits_truncated(f) is None
    True
    >>> with open(f, "r+b") as fh:
    ...     _ = fh.truncate(6000)
    >>> print(fits_truncated(f).replace(str(f), "g.fits"))  # doctest: +NORMALIZE_WHITESPACE
    g.fits is truncated: the file holds 6000 bytes but its FITS headers describe 20160 (30% present;
    an interrupted copy or download?); copy it again
    """
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="File may have been truncated")
            with open_fits(path, memmap=False, lazy_load_hdus=False) as hdul:
                return _truncated(hdul, Path(path))
    except Exception:  # unreadable otherwise: the reader's own error says so
        return None


def _check_not_all_nan(arr: np.ndarray, path: Path) -> None:
    """Error if no pixel is finite; scans row blocks so a big memmap is never copied whole."""
    # plain reads, not through the map: a file cut short after it was opened is refused, not SIGBUS
    arr = PlainReads(arr, path)
    step = max(1, min(arr.shape) // 64)
    if np.isfinite(arr[::step, ::step]).any():  # a sparse sample touches few pages
        return
    for start in range(0, arr.shape[0], _ROW_BLOCK):
        if np.isfinite(arr[start:start + _ROW_BLOCK]).any():
            return
    raise StarclassError(f"image {path} has no finite pixel (all NaN or inf)")


#: Side (px) of the smallest square of exact zeros read as padding outside a mosaic's footprint (larger on
#: a sparse image of photon counts: :func:`padding_side`).
ZERO_PADDING_PX = 5

#: Expected number of all-zero squares of sky allowed in a counts image by its padding side (:func:`padding_side`).
COUNTS_PADDING_CHANCE = 1e-3


def padding_side(arr: np.ndarray, mask: np.ndarray | Callable[[slice], np.ndarray] | None = None) -> int:
    """Side (px) of the smallest square of exact zeros that is padding in ``arr``, not sky.

    :data:`ZERO_PADDING_PX` (5) for an image with noise: sky-subtracted data are never exactly zero
    over 25 adjacent pixels. An image of photon counts (:func:`starclass.io.counts.photon_counts`) has
    sky of exact zeros: at 0.05 counts/px a 5 x 5 square of sky is all zero with probability
    ``exp(-0.05 * 25) = 0.29``, and 81% of such a 512 px image was read as padding, leaving detection
    no background box. There the side ``k`` is the smallest (odd, at least 5) for which the image's
    ``n`` usable pixels hold fewer than :data:`COUNTS_PADDING_CHANCE` all-zero ``k x k`` squares of
    sky, ``n exp(-lam k^2) < 0.001``, with ``lam = -ln(share of zeros)`` the sky's Poisson level
    (21 px at 0.05 counts/px on 512 x 512 px, 5 px from about 0.8 counts/px up). Zero regions narrower
    than that are read as sky.

    Decided in an order that does not depend on its own result: counts or not on the pixels ``mask``
    leaves (NaN, flags; the padding kept: with any amount of it, the ones over the zeros stay within
    the factor 2 of ``-ln(share of zeros)`` that :func:`~starclass.io.counts.photon_counts` allows up to
    about 1.2 counts/px, and the side exceeds 5 only below about 1 count/px); then
    ``lam`` on those pixels (the padding's zeros lower it: a larger side), and once more without the
    padding that side finds.

    Parameters
    ----------
    arr
        2-D image.
    mask
        True where unusable (NaN is always): an array, or a function of a slice of rows giving their
        mask, so a big mosaic is read strip by strip.

    Returns
    -------
    int
        The side, for :func:`zero_padding`.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> sky = rng.poisson(0.05, (256, 256)).astype(np.float32)
    >>> padding_side(sky), padding_side(sky + rng.normal(0, 0.1, sky.shape))
    (19, 5)
    """
    def usable(rows: slice) -> np.ndarray:
        if callable(mask):
            return np.asarray(mask(rows), dtype=bool)
        return np.zeros((len(range(*rows.indices(arr.shape[0]))), arr.shape[1]), dtype=bool) if mask is None \
            else np.asarray(mask[rows], dtype=bool)

    # strip by strip, as the counts decision reads it: a float image stops at its first strip, an integer one is
    # read once (a window's mask read only its neighbourhood before); the whole padding is for counts images only
    if not photon_counts(arr, usable):
        return ZERO_PADDING_PX
    side = ZERO_PADDING_PX
    found = None
    for _ in range(2):
        n, n0, _ones = counts_tally(arr, usable if found is None else
                                    (lambda rows, found=found: usable(rows) | found[rows]))
        if n0 == 0 or n0 == n:  # no zero left (no padding either), or nothing but zeros (a blank band)
            return side
        lam = -np.log(n0 / n)
        k = int(np.ceil(np.sqrt(np.log(n / COUNTS_PADDING_CHANCE) / lam)))
        side = max(ZERO_PADDING_PX, k + 1 - k % 2)  # odd: an opening by an odd square is centred
        found = zero_padding(arr, side=side)
    return side


def zero_padding_note(found: Mapping[str, tuple[PathLike, int, int, int]]) -> str:
    """One warning line for the bands read with zero padding: ``{band: (file, padded px, all px, side px)}``.

    Examples
    --------
    >>> print(zero_padding_note({"f555w": ("g_f555w_sci.fits", 768, 4096, 5),
    ...                          "f814w": ("g_f814w_sci.fits", 768, 4096, 5)}))  # doctest: +ELLIPSIS
    bands f555w, f814w (g_f555w_sci.fits, g_f814w_sci.fits): 768 px (19%) of exact zeros in blocks ...
    """
    paths = [Path(f) for f, _, _, _ in found.values()]
    files = ", ".join(p.name for p in paths)
    parents = {str(p.parent) for p in paths}
    if len(parents) == 1 and parents != {"."}:
        files = f"in {parents.pop()}: {files}"  # the folder once, as the old per-file lines gave the path
    elif len(parents) > 1:
        files = ", ".join(str(p) for p in paths)
    counts = {(n, size) for _, n, size, _ in found.values()}
    if len(counts) == 1:
        n, size = counts.pop()
        amount = f"{n} px ({100 * n / size:.2g}%)"
    else:
        amount = "; ".join(f"{b} {n} px ({100 * n / size:.2g}%)" for b, (_, n, size, _) in found.items()) + ","
    where = (f"band {next(iter(found))} ({files})" if len(found) == 1
             else f"bands {', '.join(found)} ({files})")
    sides = {side for _, _, _, side in found.values()}
    blocks = (f"{next(iter(sides))} x {next(iter(sides))} px" if len(sides) == 1
              else ", ".join(f"{b} {side} x {side} px" for b, (_, _, _, side) in found.items()))
    why = (" (a photon-counting image: squares too large to be its sky's zeros)"
           if any(side > ZERO_PADDING_PX for side in sides) else "")
    return (f"{where}: {amount} of exact zeros in blocks of at least {blocks}{why} and no weight map: read "
            "as padding outside the footprint (no data), not as sky; put the weight map beside each "
            "(..._wht.fits) or give NaN padding to say so yourself (a weight map decides alone)")


def sampled_padding(arr: np.ndarray, rows: int = 128, side: int = ZERO_PADDING_PX) -> float:
    """The fraction of :func:`zero_padding` pixels on about ``rows`` evenly spaced rows of ``arr``.

    An estimate for a mosaic too big to open whole before the work starts (a survey's plan check):
    each sampled row is exact (its neighbourhood is read), and only those rows and their margins are
    read. 0 where no sampled row holds padding. ``side``: as :func:`zero_padding` takes it.

    Examples
    --------
    >>> img = np.ones((64, 40), dtype=np.float32)
    >>> img[:, :10] = 0.0
    >>> sampled_padding(img, rows=8)
    0.25
    """
    ny, nx = arr.shape
    step = max(1, ny // max(1, int(rows)))
    found = sum(int(zero_padding(arr, (slice(y, y + 1), slice(0, nx)), side).sum()) for y in range(0, ny, step))
    return found / (len(range(0, ny, step)) * nx)


def zero_padding(arr: np.ndarray, window: tuple[slice, slice] | None = None,
                 side: int = ZERO_PADDING_PX) -> np.ndarray:
    """Pixels of ``arr`` that are padding: exact zeros within a square of at least 5 x 5 exact zeros.

    Drizzled HST mosaics (``_drc``/``_drz``, PHANGS-HST and LEGUS ``..._sci.fits``) fill the pixels
    no exposure covers with 0, and only the weight map (``WHT``, ``..._wht.fits``) says that they hold
    no data. Without it those zeros read as sky and the step at the footprint's edge as a row of
    sources. Sky-subtracted data with noise are never exactly zero over 25 adjacent pixels, so such
    blocks (a morphological opening of ``arr == 0`` by a 5 x 5 square: every pixel of the padding,
    its edge included, and none of an isolated zero) are taken for padding. Read in row blocks, so a
    memory-mapped mosaic is never copied whole.

    Parameters
    ----------
    arr
        2-D image.
    window
        ``(rows, cols)`` slices: only that part is returned (its neighbourhood is read, so the result
        equals the same part of the whole image's).
    side
        Side (px, odd) of the square: 5, or :func:`padding_side` of the image (larger on a sparse
        image of photon counts, whose sky holds 5 x 5 squares of zeros).

    Returns
    -------
    numpy.ndarray
        bool, True = padding; of ``arr``'s shape, or the window's.

    Examples
    --------
    >>> img = np.ones((8, 12), dtype=np.float32)
    >>> img[:, :6] = 0.0                      # padding: a 6 px wide band of zeros
    >>> img[4, 9] = 0.0                       # one pixel of data that happens to be 0
    >>> pad = zero_padding(img)
    >>> int(pad.sum()), bool(pad[4, 9])
    (48, False)
    >>> zero_padding(img, (slice(2, 4), slice(4, 8))).astype(int)
    array([[1, 1, 0, 0],
           [1, 1, 0, 0]])
    """
    from scipy.ndimage import maximum_filter, minimum_filter

    if side < 1 or side % 2 == 0:
        raise ValueError(f"zero_padding: side must be odd and positive, not {side}")
    ny, nx = arr.shape
    rows, cols = window if window is not None else (slice(0, ny), slice(0, nx))
    r0, r1, _ = rows.indices(ny)
    c0, c1, _ = cols.indices(nx)
    out = np.zeros((max(r1 - r0, 0), max(c1 - c0, 0)), dtype=bool)
    # an opening depends on pixels up to 2 * (side // 2) away: read that margin around each block
    margin = 2 * (side // 2)
    x0, x1 = max(c0 - margin, 0), min(c1 + margin, nx)
    for start in range(r0, r1, _ROW_BLOCK):
        stop = min(start + _ROW_BLOCK, r1)
        y0, y1 = max(start - margin, 0), min(stop + margin, ny)
        zeros = (np.asarray(arr[y0:y1, x0:x1]) == 0).view(np.uint8)
        if not zeros.any():
            continue
        # the opening by a square as a minimum then a maximum filter, each separable (a counts image's square
        # of 21 px or more cost side^2 per pixel as a binary opening); off the image is not zero, as there
        eroded = minimum_filter(zeros, size=side, mode="constant", cval=0)
        opened = maximum_filter(eroded, size=side, mode="constant", cval=0).astype(bool)
        out[start - r0:stop - r0] = opened[start - y0:stop - y0, c0 - x0:c1 - x0]
    return out


def cutout_zero_padding_fraction(images: np.ndarray) -> np.ndarray:
    """Share of each cutout in blocks of exact zeros that a mosaic's reader takes for padding, ``[N]`` in 0-1.

    Survey cutout services (MAST, the Legacy Survey) pad a cutout beyond the footprint with
    0.0 when they give no weight map. A mosaic without a weight map has such blocks masked
    (:func:`zero_padding`: exact zeros within a square of at least 5 x 5
    px, larger on a sparse image of photon counts, :func:`padding_side`);
    a cutout's are read as data (real data can be 0: they are never taken for NaN). This
    measures them by the same rule, per plane (band), so that they can be said: the largest
    share of a plane. A stray zero, a line of them, or a counts image's sparse sky is not counted.

    Parameters
    ----------
    images : numpy.ndarray
        ``[N, C, H, W]`` cutouts as read (NaN is not 0).

    Returns
    -------
    numpy.ndarray
        ``[N]`` float64: 0 without such a block, 0.5 for a cutout whose right half is 0.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> img = rng.normal(1.0, 0.1, (3, 1, 16, 16)).astype(np.float32)
    >>> img[0, 0, :, 8:] = 0.0          # the right half padded
    >>> img[1, 0, :, 0] = 0.0           # one column of zeros: not a block
    >>> img[2] = rng.poisson(0.1, (1, 16, 16))  # photon counts: mostly 0, all sky
    >>> cutout_zero_padding_fraction(img).tolist()
    [0.5, 0.0, 0.0]
    """
    x = np.asarray(images)
    out = np.zeros(len(x))
    for i, cutout in enumerate(x):
        for plane in cutout:
            if (plane == 0).sum() >= 25:  # fewer zeros hold no 5 x 5 block
                pad = zero_padding(plane, side=padding_side(plane))
                out[i] = max(out[i], float(pad.mean()))
    return out


def bad_pixel_mask(arr: np.ndarray, weight: np.ndarray | None) -> np.ndarray:
    """Bad pixels of an image: not finite, or of zero, negative or NaN ``weight`` (None: no weight map).

    What :meth:`MosaicSet.mask` holds before zero padding and flags; read in row blocks.

    Examples
    --------
    >>> bad_pixel_mask(np.array([[1.0, np.nan], [2.0, 3.0]]), np.array([[1.0, 1.0], [0.0, 2.0]])).tolist()
    [[False, True], [True, False]]
    """
    out = np.empty(arr.shape, dtype=bool)
    for start in range(0, arr.shape[0], _ROW_BLOCK):
        sl = slice(start, start + _ROW_BLOCK)
        block = ~np.isfinite(arr[sl])
        if weight is not None:
            w = weight[sl]
            block |= ~(w > 0)  # zero, negative or NaN weight
        out[sl] = block
    return out


def _celestial_wcs(header: fits.Header, path: Path) -> WCS | None:
    if "CTYPE1" not in header and "CTYPE2" not in header:
        return None
    from astropy.wcs import WCS

    try:
        w = WCS(header, naxis=2, relax=True, fix=True)
    except Exception as exc:
        raise StarclassError(f"invalid WCS in {path}: {exc}") from None
    if not w.has_celestial:
        return None
    return w.celestial


def counts_reading_changed(header: fits.Header | Mapping[str, Any]) -> bool:
    """Whether :func:`in_counts` reads this ``BUNIT`` otherwise than before 2026-12-05.

    ``e-`` and ``ct`` were read as count rates, ``electron.s**-1`` as counts; the survey enters such
    bands in their tile digests (:func:`starclass.survey.run._reading`).

    Examples
    --------
    >>> [counts_reading_changed({"BUNIT": u}) for u in ("e-", "ct", "ELECTRONS", "ELECTRONS/S", "electron.s**-1")]
    [True, True, False, False, True]
    """
    bunit = str(header.get("BUNIT", "") or "").strip().upper().replace(" ", "")
    before = (bunit.startswith(("ELECTRON", "COUNT")) and not re.search(r"/S(EC(OND)?)?(?![A-Z])", bunit)
              and "S-1" not in bunit and "/SR" not in bunit)
    return before != in_counts(header)


def in_counts(header: fits.Header | Mapping[str, Any]) -> bool:
    """True if ``BUNIT`` says the pixels are counts (``ELECTRONS``, ``COUNTS``), not counts per second.

    Such images get ``2.5 log10(EXPTIME)`` added to a PHOTFLAM zeropoint (not to a keyword one, which
    is of the stored values), and their pixel values are
    already the counts whose Poisson noise the magnitude errors need (no division by EXPTIME).

    Examples
    --------
    The FITS standard's ``ct`` and the ``e-`` of many headers are counts too, and a rate written
    as astropy writes one (``electron.s**-1``, ``ct s^-1``) is not.

    >>> [in_counts({"BUNIT": u}) for u in ("ELECTRONS", "counts", "ELECTRONS/S", "e-/s", "COUNTS S-1", "")]
    [True, True, False, False, False, False]
    >>> [in_counts({"BUNIT": u}) for u in ("e-", "ct", "cts", "electron.s**-1", "ct s^-1", "CPS", "ELEC")]
    [True, True, True, False, False, False, False]
    """
    bunit = str(header.get("BUNIT", "") or "").strip().upper().replace(" ", "")
    # COUNTS/SR is a surface brightness, not counts whose Poisson noise the errors may take as they stand
    return bool(_COUNTS_UNIT.match(bunit)) and not _per_second(bunit) and "/SR" not in bunit


#: BUNIT (upper case, no spaces) of counts: ELECTRON(S), COUNT(S), and the FITS standard's ``ct`` and the
#: ``e-`` of many headers, these two as whole words. 'e-' and 'ct' images were read as count rates: a
#: 400 s image's PHOTFLAM zeropoint lacked 2.5 log10(400) = 6.5 mag and its errors took the Poisson
#: term of a rate.
_COUNTS_UNIT = re.compile(r"^(ELECTRON|COUNT|E-(?![A-Z])|CTS?(?![A-Z]))")

#: "/S", "/SEC", "/SECOND" not followed by a letter: per second, where "/SR" (per steradian) is not;
#: astropy's "S**-1", "S^-1" and the FITS "S-1" likewise ("ELECTRON.S**-1" was read as counts)
_PER_SECOND = re.compile(r"/S(EC(OND)?)?(?![A-Z])|S(\*\*|\^)?\(?-1")


def _per_second(bunit: str) -> bool:
    """Whether a ``BUNIT`` (upper case, without spaces) is per second: ``ELECTRONS/S``, ``COUNTS S-1``.

    Examples
    --------
    >>> [_per_second(u) for u in ("ELECTRONS/S", "E-/S", "COUNTS/SEC", "COUNTSS-1", "MJY/SR", "DN/SR", "DN")]
    [True, True, True, True, False, False, False]
    >>> [_per_second(u) for u in ("ELECTRON.S**-1", "CTS^-1", "COUNT.S^(-1)")]
    [True, True, True]
    """
    # "/S" anywhere read "MJY/SR" and "DN/SR" (per steradian) as rates: a profile axis of "counts/s"
    return bool(_PER_SECOND.search(bunit))


#: Header keywords read as a band's exposure time (s), in this order: HST's EXPTIME, some HLSP mosaics'
#: TEXPTIME (total), JWST's XPOSURE.
EXPOSURE_KEYS = ("EXPTIME", "TEXPTIME", "XPOSURE")


def exposure_time(header: fits.Header | Mapping[str, Any]) -> float | None:
    """The first positive exposure time among :data:`EXPOSURE_KEYS` in ``header``, or None.

    Read by the magnitude errors (:func:`starclass.detect` takes the Poisson term of a rate image over it)
    and by the zeropoint of an image in counts with PHOTFLAM (``2.5 log10`` of it added).

    Examples
    --------
    >>> exposure_time({"TEXPTIME": 1200.0}), exposure_time({"EXPTIME": 0.0}), exposure_time({})
    (1200.0, None, None)
    """
    for key in EXPOSURE_KEYS:
        try:
            t = float(header.get(key) or 0)
        except (TypeError, ValueError):
            continue
        if t > 0 and np.isfinite(t):
            return t
    return None


#: Header keyword of the gain (electrons per unit of the pixel values: e-/DN of a detector, SWarp's "equivalent gain"
#: of a coadd's values), read for images in nanomaggies and for images on a keyword zeropoint's scale (DES coadds).
GAIN_KEY = "GAIN"

#: Header keyword of SDSS frames: nanomaggies per count (DN) of the frame's calibration (SDSS DR16 data model,
#: ``frame``). The gain (e-/DN) is not in the frame: SDSS keeps it in a table per camera column and filter.
NMGY_KEY = "NMGY"

#: ``BUNIT`` values of calibrated fluxes (nanomaggies, Jy, MJy/sr, erg/s/cm2/A, W/m2...), neither counts nor
#: count rates: their Poisson noise needs a conversion to counts that EXPTIME alone does not give.
_FLUX_UNIT = re.compile(r"MAGG|MGY|JY|ERG|W/M|WM-2|W\.M")


def calibrated_counts(header: fits.Header | Mapping[str, Any]) -> tuple[float | None, str] | None:
    """Electrons in one unit of a pixel value stored as a calibrated flux, and that unit; None for counts or rates.

    An image in nanomaggies (SDSS frames, Legacy Surveys coadds) converts with ``GAIN / NMGY``
    (``NMGY`` nanomaggies per DN, ``GAIN`` e-/DN) when its header has both. Pan-STARRS1 stacks
    (``FPA.ZP``), whose values were rescaled in stacking and cannot be turned back into counts
    (STScI PS1 archive FAQ), and any other calibrated unit (``MJy/sr``, ``Jy``, ...) give None:
    their Poisson noise is unknown. An image without ``BUNIT`` whose zeropoint is a keyword of
    the stored values (:data:`ZEROPOINT_KEYS`; a DES coadd's ``MAGZERO = 30``), not PHOTFLAM, is
    on that zeropoint's flux scale, not in counts/s: ``GAIN`` converts it (e- per unit of the
    values: the "equivalent gain" SWarp writes into a coadd it made, the stacked exposures' gains
    over their flux scalings, weighted as combined), else None. A CASU image (:func:`is_casu`)
    holds the ADU of its exposure: ``GAIN`` (e-/ADU) converts it too. Images in counts or counts/s
    (``BUNIT``, or no ``BUNIT`` and no zeropoint keyword) give None altogether: their EXPTIME does
    it (:func:`exposure_time`, :func:`in_counts`).

    Examples
    --------
    >>> calibrated_counts({"BUNIT": "nanomaggy", "NMGY": 0.005, "GAIN": 4.7})
    (940.0, 'nanomaggy')
    >>> calibrated_counts({"BUNIT": "nanomaggy", "NMGY": 0.005})
    (None, 'nanomaggy')
    >>> calibrated_counts({"MAGZERO": 30.0, "EXPTIME": 540.0, "GAIN": 23.4})
    (23.4, 'units of MAGZERO 30 (mag = 30 - 2.5 log10 value)')
    >>> calibrated_counts({"BUNIT": "ELECTRONS/S", "EXPTIME": 400.0}) is None
    True
    >>> calibrated_counts({"MAGZPT": 23.9, "CIR_CPM": "conf.fit[1]", "EXPTIME": 100.0, "GAIN": 4.2})
    (4.2, 'units of ADU (a CASU image, MAGZPT per second)')
    """
    bunit = str(header.get("BUNIT", "") or "").strip()
    if _FLUX_UNIT.search(bunit.upper().replace(" ", "")):
        nmgy, gain = _number(header.get(NMGY_KEY)), _number(header.get(GAIN_KEY))
        if "MAGG" in bunit.upper() or "MGY" in bunit.upper():
            if nmgy is not None and gain is not None and nmgy > 0 and gain > 0:
                return gain / nmgy, bunit
        return None, bunit
    if _number(header.get(PS1_ZEROPOINT_KEY)) is not None:
        return None, "Pan-STARRS1 stack units"
    key = _zeropoint_keyword(header)
    if not bunit and is_casu(header) and (header.get("PHOTFLAM") is None or header.get("PHOTPLAM") is None):
        # counts (ADU) of the exposure, not a zeropoint's flux scale: GAIN (e-/ADU) converts them
        gain = _number(header.get(GAIN_KEY))
        return (gain if gain is not None and gain > 0 else None), "units of ADU (a CASU image, MAGZPT per second)"
    if not bunit and key is not None and (header.get("PHOTFLAM") is None or header.get("PHOTPLAM") is None):
        # values scaled to a zeropoint (DES coadds: each exposure scaled to MAGZERO 30, then combined by SWarp);
        # EXPTIME, the stacked exposures' total, was read as if the values were count rates
        gain = _number(header.get(GAIN_KEY))
        unit = f"units of {key} {_number(header[key]):g} (mag = {_number(header[key]):g} - 2.5 log10 value)"
        return (gain if gain is not None and gain > 0 else None), unit
    return None


#: What :func:`value_unit` says of values whose unit nothing in the header tells.
UNKNOWN_UNIT = "pixel value"


def pixel_unit(header: fits.Header | Mapping[str, Any], photon_counts: bool = False) -> u.UnitBase | None:
    """The astropy unit of a band's stored pixel values, or None where the header does not tell one.

    :func:`value_unit`'s reading in a unit a table column can carry: HST's ``ELECTRONS/S`` is
    ``electron / s``, ``COUNTS`` ``ct``, a rate of counts ``ct / s`` (also an image without ``BUNIT``
    that has HST's ``PHOTFLAM``), ``nanomaggy`` ``nmgy``, any other ``BUNIT`` astropy reads (``MJy/sr``,
    ``DN``) as it reads it. Values on a zeropoint's scale (``units of MAGZERO 30``), Pan-STARRS1 stack
    units and values of no stated unit give None: no unit is guessed for them.

    Parameters
    ----------
    header
        The band's header (a :class:`astropy.io.fits.Header` or a mapping).
    photon_counts
        True when the image was found to be of photon counts (:func:`value_unit`).

    Returns
    -------
    astropy.units.UnitBase or None

    Examples
    --------
    >>> [str(pixel_unit({"BUNIT": b})) for b in ("ELECTRONS/S", "COUNTS", "e-", "nanomaggy", "MJy/sr", "DN")]
    ['electron / s', 'ct', 'electron', 'nmgy', 'MJy / sr', 'DN']
    >>> pixel_unit({"PHOTFLAM": 1e-19}), pixel_unit({"MAGZERO": 30.0}), pixel_unit({"BUNIT": "furlongs"})
    (Unit("ct / s"), None, None)
    """
    import astropy.units as u

    said = value_unit(header, photon_counts)
    bunit = str(header.get("BUNIT", "") or "").strip()
    if said in ("counts", "counts/s"):
        # electrons where BUNIT says so (HST's ELECTRONS/S, e-), else counts (COUNTS, ct, or no BUNIT)
        base = u.electron if bunit.upper().startswith(("ELECTRON", "E-")) else u.ct
        return base / u.s if said == "counts/s" else base
    if said == "nanomaggies":
        return u.nmgy
    if not bunit:
        return None  # a zeropoint's scale, Pan-STARRS1 units, no unit: none guessed
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # astropy's note on 'erg/s/cm2/A' (several slashes): read all the same
        for fmt in ("fits", None):
            unit = u.Unit(bunit, format=fmt, parse_strict="silent")
            if not isinstance(unit, u.UnrecognizedUnit):
                return unit
    return None


def value_unit(header: fits.Header | Mapping[str, Any], photon_counts: bool = False) -> str:
    """The unit of a band's stored pixel values as starclass reads them, in a few words (a plot's axis label).

    ``"counts"`` for an image in counts (:func:`in_counts`: ``BUNIT`` ``COUNTS`` or ``ELECTRONS``), and for
    one without ``BUNIT`` that is of photon counts (``photon_counts``, the decision of
    :func:`starclass.io.counts.photon_counts`); ``"counts/s"`` for a rate (a ``BUNIT`` per second that is
    no calibrated flux: HST's ``ELECTRONS/S``; or no ``BUNIT`` and HST's ``PHOTFLAM``, a zeropoint of count
    rates); a calibrated unit as :func:`calibrated_counts` names it without its explanation (``"nanomaggies"``,
    ``"MJy/sr"``, ``"units of MAGZERO 30"`` for a DES coadd); any other ``BUNIT`` as written; else
    :data:`UNKNOWN_UNIT`.

    Parameters
    ----------
    header
        The band's header (a :class:`astropy.io.fits.Header` or a mapping).
    photon_counts
        True when the image was found to be of photon counts (non-negative integers, a Poisson sky).

    Returns
    -------
    str
        The unit, e.g. ``"counts/s"``.

    Examples
    --------
    >>> [value_unit({"BUNIT": u}) for u in ("ELECTRONS/S", "COUNTS", "nanomaggy", "MJy/sr", "DN")]
    ['counts/s', 'counts', 'nanomaggies', 'MJy/sr', 'DN']
    >>> value_unit({"MAGZERO": 30.0, "GAIN": 23.4}), value_unit({"PHOTFLAM": 1e-19}), value_unit({})
    ('units of MAGZERO 30', 'counts/s', 'pixel value')
    >>> value_unit({"PHOTFLAM": 1e-19}, photon_counts=True)
    'counts'
    """
    bunit = str(header.get("BUNIT", "") or "").strip()
    if photon_counts and not bunit:
        # integers with a Poisson sky are counts: a rate would not be whole numbers
        return "counts"
    calibrated = calibrated_counts(header)
    if calibrated is not None:
        unit = calibrated[1].split(" (")[0]  # what follows explains the scale: too long for an axis
        return "nanomaggies" if unit.lower().replace(" ", "") in NANOMAGGY_UNITS else unit
    if in_counts(header):
        return "counts"
    if not bunit:
        return "counts/s" if header.get("PHOTFLAM") is not None else UNKNOWN_UNIT
    return "counts/s" if _per_second(bunit.upper().replace(" ", "")) else bunit


#: Header keywords holding an AB zeropoint of the pixel values (mag = -2.5 log10(value) + zp), read when a
#: file has no PHOTFLAM/PHOTPLAM; converted to Vega with the band's AB - Vega offset.
AB_ZEROPOINT_KEYS = ("ABMAGZP", "ABMAG_ZP", "ZPAB", "ZP_AB", "MAGZP_AB")

#: Header keywords holding a zeropoint whose system the file does not state (ground-based images): used as given.
#: DES coadds write MAGZERO = 30 (AB, of the stored values: DES DR1, Abbott et al. 2018, ApJS 239, 18).
ZEROPOINT_KEYS = ("MAGZERO", "MAGZPT", "ZEROPNT", "ZP")

#: Keywords the CASU pipelines (VISTA VIRCAM, UKIRT WFCAM, INT WFC, VST) write into the images they process: the
#: software version (``CASUVERS``, ``CIR_VERS``) and the confidence map it used (``CIR_CPM``). One of them beside
#: ``MAGZPT`` marks a CASU image, whose ``MAGZPT`` is of counts per second (:func:`casu_zeropoint`); ``MAGZPT`` and
#: ``MAGZRR`` alone do not, as other archives write them for the values as stored.
CASU_KEYS = ("CASUVERS", "CIR_VERS", "CIR_CPM")

#: The zeropoint keyword of CASU images, and that of its error.
CASU_ZEROPOINT_KEY, CASU_ZEROPOINT_ERROR_KEY = "MAGZPT", "MAGZRR"


def is_casu(header: fits.Header | Mapping[str, Any]) -> bool:
    """Whether ``header`` is that of a CASU pipeline image: a number in ``MAGZPT`` and one of :data:`CASU_KEYS`.

    Examples
    --------
    >>> is_casu({"MAGZPT": 23.9, "CIR_CPM": "conf.fit[1]"}), is_casu({"MAGZPT": 25.3, "MAGZRR": 0.02})
    (True, False)
    """
    return _number(header.get(CASU_ZEROPOINT_KEY)) is not None and any(
        header.get(k) not in (None, "") for k in CASU_KEYS)


def casu_zeropoint(header: fits.Header | Mapping[str, Any], path: PathLike) -> tuple[float, str] | None:
    """The zeropoint of a CASU image's stored values, ``MAGZPT + 2.5 log10(EXPTIME)``, and its origin; else None.

    CASU calibrates its images (VISTA, UKIRT WFCAM, VST and INT pipelines) for count rates: the
    magnitude is ``MAGZPT - 2.5 log10(counts / EXPTIME)`` less the extinction and aperture terms
    (the CASU pipeline's zeropoint as ESO states it for HAWK-I: ``mag + 2.5 log10(flux / EXPTIME)``),
    and its images hold the counts of that exposure time, so the zeropoint of the values as stored
    is ``MAGZPT + 2.5 log10(EXPTIME)``. A rate image (``BUNIT`` per second) keeps ``MAGZPT``.

    Raises
    ------
    StarclassError
        A CASU image in counts without a positive exposure time, naming the file.

    Examples
    --------
    >>> zp, origin = casu_zeropoint({"MAGZPT": 23.9, "MAGZRR": 0.01, "CASUVERS": "1.3", "EXPTIME": 100.0}, "k.fit")
    >>> round(zp, 4), origin
    (28.9, 'MAGZPT 23.9 +- 0.01 (CASU, per second) + 2.5 log10(EXPTIME 100 s)')
    >>> casu_zeropoint({"MAGZPT": 25.3, "MAGZRR": 0.02, "EXPTIME": 720.0}, "a.fits") is None
    True
    """
    if not is_casu(header):
        return None
    zp = _number(header.get(CASU_ZEROPOINT_KEY))
    err = _number(header.get(CASU_ZEROPOINT_ERROR_KEY))
    said = f"{CASU_ZEROPOINT_KEY} {zp:g}" + (f" +- {err:g}" if err is not None else "") + " (CASU, per second)"
    bunit = str(header.get("BUNIT", "") or "").strip().upper().replace(" ", "")
    if _per_second(bunit):
        return zp, f"{said}, of the stored {bunit.lower()}"
    exptime = exposure_time(header)
    if exptime is None:
        raise StarclassError(
            f"{path} is a CASU image ({CASU_ZEROPOINT_KEY} beside {'/'.join(k for k in CASU_KEYS if k in header)}), "
            f"whose {CASU_ZEROPOINT_KEY} is of counts per second, but has no positive exposure time "
            f"({'/'.join(EXPOSURE_KEYS)}); write EXPTIME (s) into a copy of the file")
    key = next(k for k in EXPOSURE_KEYS if _number(header.get(k)) == exptime)
    return zp + 2.5 * float(np.log10(exptime)), f"{said} + 2.5 log10({key} {exptime:g} s)"

#: AB magnitude of one nanomaggy, the pixel unit (``BUNIT = 'nanomaggy'``) of SDSS frames and Legacy
#: Surveys coadds: m = 22.5 - 2.5 log10(f / nanomaggy) (SDSS DR16 "Measures of flux and magnitude").
NANOMAGGY_AB = 22.5
#: ``BUNIT`` values (lower case, without spaces) of images in nanomaggies.
NANOMAGGY_UNITS = ("nanomaggy", "nanomaggies", "nmgy")

#: Pan-STARRS1 stacks: pixel values rescaled to the zeropoint FPA.ZP (25) + 2.5 log10(EXPTIME), AB
#: (STScI PS1 archive wiki, "PS1 Stack images", Photometric calibration).
PS1_ZEROPOINT_KEY = "FPA.ZP"


def _zeropoint_keyword(header) -> str | None:
    """The first of :data:`ZEROPOINT_KEYS` holding a number in ``header``, or None."""
    return next((k for k in ZEROPOINT_KEYS if _number(header.get(k)) is not None), None)


def _number(value) -> float | None:
    """``value`` as a finite float, or None (a missing, text or NaN keyword)."""
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if np.isfinite(out) else None


def _vega_offset(band: str, camera: str | None) -> tuple[float | None, str]:
    """The band's AB - Vega offset on ``camera`` and a few words on it, or (None, why there is none)."""
    if band not in BANDS:
        # the camera too: a WFPC2 F450W was refused naming the band alone
        return None, f"no AB - Vega offset known for band {band!r}" + (f" on {camera.upper()}" if camera else "")
    try:
        offset = ab_minus_vega(band, camera)
    except StarclassError as exc:
        return None, str(exc)
    return offset, f"AB - Vega {offset:+.3f}, {ab_minus_vega_source(band, camera)}"


def _zeropoint(band: str, header: fits.Header, path: Path, magsys: str,
               given: dict[str, float], required: bool, camera: str | None = None) -> tuple[float, str]:
    """The band's zeropoint of the stored pixel values, and where it came from (a few words for ``info``).

    ``camera`` (:func:`image_camera`) picks the AB - Vega offset of the Vega system: ACS/WFC's and
    WFC3/UVIS's F555W differ by 0.024 mag (:data:`starclass.bands.CAMERA_AB_MINUS_VEGA`).
    """
    if band in given:
        return given[band], "given"
    photflam = header.get("PHOTFLAM")
    photplam = header.get("PHOTPLAM")
    zp: float | None = None
    per_second = False  # True: the zeropoint is of count rates (PHOTFLAM), so counts need EXPTIME
    origin = ""
    vega = ""  # the AB - Vega offset a Vega zeropoint took, and whose it is (for 'info')
    if photflam is not None and photplam is not None:
        try:
            photflam, photplam = float(photflam), float(photplam)
        except (TypeError, ValueError):
            raise StarclassError(
                f"PHOTFLAM/PHOTPLAM in {path} are not numbers: {photflam!r}, {photplam!r}") from None
        if photflam <= 0 or photplam <= 0:
            raise StarclassError(f"PHOTFLAM={photflam} / PHOTPLAM={photplam} in {path} must be positive")
    flux_bunit = flux_unit_of(header)
    if flux_bunit is not None and photflam is not None and photplam is not None:
        # PHOTFLAM is the flux density of 1 e-/s: on values already in a flux unit (an HST mosaic put in
        # MJy/sr beside JWST's, or in erg/s/cm2/A) its zeropoint made magnitudes off by -2.5 log10 PHOTFLAM
        # (about 47 mag) or by the pixel area, without a word. A stated AB zeropoint of the values decides.
        has_ab = (any(_number(header.get(k)) is not None for k in AB_ZEROPOINT_KEYS)
                  or _ab_unit_zeropoint(header, path) is not None)
        if not has_ab:
            if required:
                raise StarclassError(photflam_on_flux_message(header, path, flux_bunit, photplam))
            return float("nan"), f"none: BUNIT {flux_bunit} is a flux, PHOTFLAM is of e-/s"
        photflam = photplam = None  # the AB keyword (or the unit's own AB zeropoint) below
    if photflam is not None and photplam is not None:
        origin = "PHOTFLAM/PHOTPLAM"
        if magsys == "ab":
            zp = ab_zeropoint(photflam, photplam)
        else:
            offset, said = _vega_offset(band, camera)
            if offset is None:
                # an ACS F658N, a WFC3/UVIS F850LP...: 'info' (which needs no zeropoint) and the commands whose
                # model needs none stopped here too, and the message named a Python argument and a zeropoint no
                # option takes
                if not required:
                    return float("nan"), f"none: {said} (--magsys ab reads its AB one)"
                raise StarclassError(
                    f"{said} of {path} (PHOTFLAM/PHOTPLAM give its AB zeropoint; starclass knows the offset of "
                    f"{', '.join(BANDS)}): use AB magnitudes (--magsys ab; magsys='ab' in Python), or give the "
                    f"band's Vega zeropoint in Python (read_mosaics(..., zeropoints={{'{band}': ...}}))")
            zp = ab_zeropoint(photflam, photplam) - offset
            vega = said
        # PHOTFLAM is the flux of 1 e-/s (STScI): the zeropoint is of count rates
        per_second = True
    else:
        ab_key = next((k for k in AB_ZEROPOINT_KEYS if _number(header.get(k)) is not None), None)
        ab_zp = _ab_unit_zeropoint(header, path)
        if ab_key is not None or ab_zp is not None:
            # stated AB (GALEX/HSC-style and many HLSP mosaics, or AB by the survey's own unit and convention):
            # on the Vega system the band's offset applies, as for PHOTFLAM; the value was taken as it stood
            # for either system before
            zp, origin = (_number(header[ab_key]), f"{ab_key} (AB)") if ab_key is not None else ab_zp
            said = ab_key or origin.split(" (")[0]
            if magsys == "vega":
                offset, why = _vega_offset(band, camera)
                if offset is None:
                    if not required:
                        return float("nan"), f"none: {why} (--magsys ab reads {said})"
                    raise StarclassError(
                        f"{said} = {zp:g} in {path} is an AB zeropoint and {why}: use AB magnitudes (--magsys ab)")
                zp -= offset
                vega = why
        else:
            casu = casu_zeropoint(header, path)
            if casu is not None:
                # of counts per second: MAGZPT taken as of the stored counts made every magnitude of a
                # 100 s VISTA image 5 mag too bright
                return casu
            key = _zeropoint_keyword(header)
            zp = _number(header[key]) if key is not None else None
            origin = str(key)
    if zp is None:
        if required:
            lacks = ("PHOTPLAM (PHOTFLAM alone, with PHOTZPT, gives only ST magnitudes)"
                     if photflam is not None else "PHOTFLAM/PHOTPLAM")
            raise StarclassError(
                f"no zeropoint for band {band} in {path}: no {lacks}, no AB zeropoint "
                f"({'/'.join(AB_ZEROPOINT_KEYS)}) and no {'/'.join(ZEROPOINT_KEYS)} keyword; write the band's "
                f"zeropoint into a copy of the file (e.g. astropy: fits.setval(copy, 'ABMAGZP', value=..., ext=N) "
                f"for an AB zeropoint of the pixel values, or PHOTPLAM from the instrument's tables), or in Python "
                f"read_mosaics(..., zeropoints={{'{band}': ...}})")
        return float("nan"), "none"
    bunit = str(header.get("BUNIT", "")).strip().upper().replace(" ", "")
    if per_second and _UNSAID_RATE_UNIT.match(bunit):
        # DN (ADU) says neither counts nor counts/s, and HST's drizzled products hold either: read as a rate (as
        # before, without a word) a 400 s image in counts had every magnitude 2.5 log10(400) = 6.5 mag too bright
        if required:
            raise StarclassError(unsaid_rate_message(header, path))
        return float("nan"), f"none: BUNIT {bunit} does not say counts or counts/s, PHOTFLAM is of e-/s"
    if in_counts(header):
        if not per_second:
            # a zeropoint keyword is of the values as stored (SExtractor's MAG_ZEROPOINT, CFHT MegaPipe's
            # 30.000 "AB = -2.5 log10(counts) + 30", DES MAGZERO): 2.5 log10(EXPTIME) was added as for
            # PHOTFLAM, making every magnitude of a 400 s image 6.5 mag too faint
            stored = f"{origin}, of the stored {bunit.lower()}: no EXPTIME added"
            return float(zp), stored + (f"; {vega}" if vega else "")
        # the keys the magnitude errors read (b447952): an HLSP's TEXPTIME was refused here, and a text
        # EXPTIME ('UNKNOWN') stopped 'starclass info' with a ValueError traceback
        exptime = exposure_time(header)
        if exptime is None:
            raise StarclassError(
                f"{path} is in {bunit} (not per second) but has no positive exposure time "
                f"({'/'.join(EXPOSURE_KEYS)}; EXPTIME is {header.get('EXPTIME')!r}): its PHOTFLAM zeropoint is per "
                "second; write EXPTIME (s) into a copy of the file")
        key = next(k for k in EXPOSURE_KEYS if _number(header.get(k)) == exptime)
        zp += 2.5 * np.log10(exptime)
        origin += f" per second + 2.5 log10({key} {exptime:g} s) for {bunit.lower()}"
    return float(zp), origin + (f"; {vega}" if vega else "")


#: ``BUNIT`` (upper case, without spaces) of detector units that do not say whether the values are counts or
#: counts per second: ``DN`` (data numbers), ``ADU``; ``DN/S`` is a rate (:func:`_per_second`).
_UNSAID_RATE_UNIT = re.compile(r"^(DN|ADUS?)$")


def unsaid_rate_message(header: fits.Header | Mapping[str, Any], path: PathLike) -> str:
    """Why a band in ``BUNIT = 'DN'`` (or ``'ADU'``) with PHOTFLAM is refused, and the BUNIT to write.

    PHOTFLAM is the flux density of 1 count per second (STScI), so its zeropoint needs the values to be
    known as counts (2.5 log10 EXPTIME added) or counts per second. ``DN`` says neither, and HST's
    drizzled products hold either, depending on the product (drizzle's ``final_units``): guessed as
    a rate, an image in counts has every magnitude 2.5 log10(EXPTIME) too bright (6.5 mag at 400 s).

    Parameters
    ----------
    header : mapping
        The band's header (``BUNIT``, ``EXPTIME``).
    path : str or path-like
        Its file, named in the message.

    Returns
    -------
    str

    Examples
    --------
    >>> print(unsaid_rate_message({"BUNIT": "DN", "EXPTIME": 400.0}, "m_drc.fits"))  # doctest: +ELLIPSIS
    m_drc.fits: BUNIT = 'DN' does not say whether the pixel values are counts or counts per second (HST's ...
    """
    bunit = str(header.get("BUNIT", "") or "").strip()
    t = exposure_time(header)
    off = (f" (EXPTIME {t:g} s: {2.5 * np.log10(t):.2f} mag)" if t is not None and t > 1 else "")
    return (f"{path}: BUNIT = {bunit!r} does not say whether the pixel values are counts or counts per second "
            "(HST's drizzled products hold either, by the product), and its PHOTFLAM zeropoint is of counts per "
            f"second: read as the wrong one, every magnitude is off by 2.5 log10(EXPTIME){off}. Say which in a "
            "copy of the file: fits.setval(copy, 'BUNIT', value='ELECTRONS/S', ext=N) for a rate (drizzle's "
            "default, final_units='cps'), or value='ELECTRONS' for counts (EXPTIME is then read)")


#: Upper-case words of flux ``BUNIT`` s as HST and other archives write them, in astropy's spelling.
_UNIT_WORDS = {"ERG": "erg", "ERGS": "erg", "S": "s", "SEC": "s", "CM": "cm", "CM2": "cm2", "A": "Angstrom",
               "ANGSTROM": "Angstrom", "ANGSTROMS": "Angstrom", "AA": "Angstrom", "SR": "sr", "JY": "Jy",
               "MJY": "MJy", "UJY": "uJy", "NJY": "nJy", "W": "W", "M": "m", "M2": "m2", "HZ": "Hz",
               "ARCSEC": "arcsec", "ARCSEC2": "arcsec2", "PIX": "pix", "PIXEL": "pix"}


def flux_unit_of(header: fits.Header | Mapping[str, Any]) -> str | None:
    """The ``BUNIT`` of a band whose pixel values are a calibrated flux (MJy/sr, Jy, erg/s/cm2/A...), else None.

    Counts, count rates and values of no stated unit give None. Such a band's ``PHOTFLAM`` (the
    flux density of 1 e-/s) cannot give the zeropoint of its values.

    Examples
    --------
    >>> [flux_unit_of({"BUNIT": b}) for b in ("MJy/sr", "ERG/S/CM2/A", "ELECTRONS/S", "COUNTS", "")]
    ['MJy/sr', 'ERG/S/CM2/A', None, None, None]
    """
    bunit = str(header.get("BUNIT", "") or "").strip()
    return bunit if bunit and _FLUX_UNIT.search(bunit.upper().replace(" ", "")) else None


def flux_unit_ab_zeropoint(header: fits.Header | Mapping[str, Any], photplam: float) -> float | None:
    """AB magnitude of a pixel value of 1 in the band's flux ``BUNIT``, or None where astropy cannot convert it.

    A flux density per steradian (``MJy/sr``) is taken over the pixel's solid angle, from the
    header's WCS; a flux density per wavelength (``erg/s/cm2/A``) at the pivot wavelength
    ``photplam`` (Angstrom), as STScI's AB formula does with PHOTFLAM = 1.

    Examples
    --------
    At 0.04"/px one MJy/sr is 3.76e-8 Jy per pixel, AB 27.46; a value of 1 erg/s/cm2/A at 5308 A is
    AB -5 log10(5308) - 2.408:

    >>> h = {"BUNIT": "MJy/sr", "CTYPE1": "RA---TAN", "CTYPE2": "DEC--TAN", "CD1_1": -0.04 / 3600,
    ...      "CD2_2": 0.04 / 3600, "CD1_2": 0.0, "CD2_1": 0.0}
    >>> round(flux_unit_ab_zeropoint(h, 5308.0), 3)
    27.462
    >>> by_hand = float(-5 * np.log10(5308.0) - 2.408)
    >>> round(flux_unit_ab_zeropoint({"BUNIT": "ERG/S/CM2/A"}, 5308.0), 2), round(by_hand, 2)
    (-21.03, -21.03)
    """
    import astropy.units as u
    from astropy.wcs import WCS
    from astropy.wcs.utils import proj_plane_pixel_area

    bunit = str(header.get("BUNIT", "") or "").strip()
    unit = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # astropy's notes on 'erg/s/cm2/A' (several slashes): read all the same
        # HST writes units in upper case ('ERG/S/CM2/A'), which astropy does not read; lower-casing would be
        # wrong ('A' is a year, 'MJY' millijansky), so the words of flux units are spelt out one by one
        words = re.sub(r"[A-Za-z]+", lambda m: _UNIT_WORDS.get(m.group(0).upper(), "?"), bunit)
        for text in (bunit, *([words] if "?" not in words else [])):
            for fmt in ("fits", None):
                got = u.Unit(text, format=fmt, parse_strict="silent")
                if unit is None and not isinstance(got, u.UnrecognizedUnit):
                    unit = got
        if unit is None:
            return None
        areas: list = [1.0, u.pix]
        try:
            wcs = WCS(fits.Header(dict(header)) if not isinstance(header, fits.Header) else header).celestial
            if wcs.naxis == 2:
                areas.append(proj_plane_pixel_area(wcs) * u.deg**2)
        except Exception:  # no or odd WCS: no pixel area, so no per-steradian conversion
            pass
    for area in areas:
        try:
            jy = (1.0 * unit * area).to(u.Jy, equivalencies=u.spectral_density(photplam * u.AA))
            mag = jy.to(u.ABmag)
        except u.UnitConversionError:
            continue
        value = float(mag.value)
        return value if np.isfinite(value) else None
    return None


def photflam_on_flux_message(header: fits.Header | Mapping[str, Any], path: PathLike, bunit: str,
                             photplam: float) -> str:
    """Why a band in a flux ``BUNIT`` with ``PHOTFLAM`` is refused, and the AB zeropoint to write where known.

    Examples
    --------
    >>> print(photflam_on_flux_message({"BUNIT": "ERG/S/CM2/A"}, "m_drc.fits", "ERG/S/CM2/A", 5308.0))
    ... # doctest: +NORMALIZE_WHITESPACE
    m_drc.fits: BUNIT = 'ERG/S/CM2/A' says the pixel values are a calibrated flux, but its zeropoint would come from
    PHOTFLAM/PHOTPLAM, which are of count rates (PHOTFLAM is the flux density of 1 e-/s): the magnitudes would be
    wrong; write the AB zeropoint of the stored values into a copy of the file (astropy:
    fits.setval(copy, 'ABMAGZP', value=-21.0326, ext=N): from BUNIT and PHOTPLAM 5308 A), or convert the image
    back to e-/s (divide by PHOTFLAM for erg/s/cm2/A)
    """
    zp = flux_unit_ab_zeropoint(header, photplam)
    value = (f"value={zp:.4f}, ext=N): from BUNIT and PHOTPLAM {photplam:g} A" if zp is not None
             else "value=..., ext=N)")
    return (f"{path}: BUNIT = {bunit!r} says the pixel values are a calibrated flux, but its zeropoint would come "
            "from PHOTFLAM/PHOTPLAM, which are of count rates (PHOTFLAM is the flux density of 1 e-/s): the "
            "magnitudes would be wrong; write the AB zeropoint of the stored values into a copy of the file "
            f"(astropy: fits.setval(copy, 'ABMAGZP', {value}), or convert the image back to e-/s (divide by "
            "PHOTFLAM for erg/s/cm2/A)")


def _ab_unit_zeropoint(header: fits.Header, path: Path) -> tuple[float, str] | None:
    """The AB zeropoint a survey's own pixel convention gives (SDSS / Legacy Surveys nanomaggies, PS1 stacks), or None.

    Neither writes a zeropoint keyword: an SDSS frame states only its unit, and a Pan-STARRS1 stack
    ``FPA.ZP`` (25) and ``EXPTIME``, its values scaled to the zeropoint ``FPA.ZP + 2.5 log10(EXPTIME)``.
    Such files were refused for photometry ("no zeropoint for band r").

    Examples
    --------
    >>> _ab_unit_zeropoint(fits.Header({"BUNIT": "nanomaggy"}), Path("frame-r.fits"))
    (22.5, 'BUNIT nanomaggy (AB 22.5)')
    >>> zp, origin = _ab_unit_zeropoint(fits.Header({"HIERARCH FPA.ZP": 25.0, "EXPTIME": 1000.0}), Path("s.fits"))
    >>> round(zp, 4), origin
    (32.5, 'FPA.ZP 25 + 2.5 log10(EXPTIME 1000 s) (AB, Pan-STARRS1 stack)')
    """
    bunit = str(header.get("BUNIT", "") or "").strip().lower().replace(" ", "")
    if bunit in NANOMAGGY_UNITS:
        return NANOMAGGY_AB, f"BUNIT {bunit} (AB {NANOMAGGY_AB:g})"
    fpa = _number(header.get(PS1_ZEROPOINT_KEY))
    if fpa is None:
        return None
    exptime = _number(header.get("EXPTIME"))
    if exptime is None or exptime <= 0:
        raise StarclassError(f"{path}: {PS1_ZEROPOINT_KEY} = {fpa:g} (a Pan-STARRS1 stack) but no positive EXPTIME: "
                             f"its zeropoint is {PS1_ZEROPOINT_KEY} + 2.5 log10(EXPTIME); write EXPTIME (s) into a "
                             "copy of the file")
    return (fpa + 2.5 * float(np.log10(exptime)),
            f"{PS1_ZEROPOINT_KEY} {fpa:g} + 2.5 log10(EXPTIME {exptime:g} s) (AB, Pan-STARRS1 stack)")


#: Scale of Pan-STARRS1's asinh-scaled pixel values, 2.5 log10(e) = 1.0857 (IPP wiki, "asinh compression":
#: stored = alpha asinh((flux - BOFFSET) / (2 BSOFTEN)), so flux = BOFFSET + BSOFTEN * 2 sinh(stored / alpha)).
ASINH_ALPHA = 2.5 / np.log(10.0)


def asinh_scaling(header: fits.Header, path: PathLike) -> tuple[float, float] | None:
    """``(BSOFTEN, BOFFSET)`` of pixel values stored asinh-scaled (Pan-STARRS1 stacks), or None for linear values.

    Raises
    ------
    StarclassError
        One of the two keywords without the other, or one that is not a number: the values
        cannot be made linear (the message names the file).

    Examples
    --------
    >>> asinh_scaling(fits.Header({"BSOFTEN": 12.0, "BOFFSET": 3.0}), "ps1.fits")
    (12.0, 3.0)
    >>> asinh_scaling(fits.Header({"BUNIT": "nanomaggy"}), "frame-r.fits") is None
    True
    """
    if "BSOFTEN" not in header and "BOFFSET" not in header:
        return None
    soften, offset = _number(header.get("BSOFTEN")), _number(header.get("BOFFSET"))
    if soften is None or offset is None:
        raise StarclassError(
            f"{path}: BSOFTEN = {header.get('BSOFTEN')!r}, BOFFSET = {header.get('BOFFSET')!r}: asinh-scaled pixel "
            "values (as in Pan-STARRS1 stacks) need both as numbers to be made linear")
    return soften, offset


def linear_from_asinh(values: np.ndarray, soften: float, offset: float) -> np.ndarray:
    """Linear flux of Pan-STARRS1 asinh-scaled values: ``BOFFSET + BSOFTEN * 2 sinh(value / 1.0857)``, float32.

    Examples
    --------
    >>> v = ASINH_ALPHA * np.arcsinh((np.array([3.0, 103.0]) - 3.0) / (2 * 12.0))  # as PS1 stores 3 and 103
    >>> linear_from_asinh(v, 12.0, 3.0).round(3).tolist()
    [3.0, 103.0]
    """
    out = offset + soften * 2.0 * np.sinh(np.asarray(values, dtype=np.float64) / ASINH_ALPHA)
    return out.astype(np.float32)


def _check_linear(header: fits.Header, path: Path) -> None:
    """Refuse pixel values stored asinh-scaled (``BSOFTEN``, ``BOFFSET``: Pan-STARRS1 stacks and their cutouts).

    Detection, photometry and the stamps need values proportional to flux; these are not, and
    were read as if they were. Mosaics are memory-mapped and read by tile, so they are refused
    rather than converted here (cutouts, read whole, are made linear: :func:`linear_from_asinh`).

    Examples
    --------
    >>> _check_linear(fits.Header({"BUNIT": "nanomaggy"}), Path("frame-r.fits"))
    >>> try:
    ...     _check_linear(fits.Header({"BSOFTEN": 12.0, "BOFFSET": 3.0}), Path("ps1.fits"))
    ... except StarclassError as exc:
    ...     print(str(exc).split(", not")[0])
    ps1.fits: its pixel values are asinh-scaled (BSOFTEN = 12, BOFFSET = 3, as in Pan-STARRS1 stacks)
    """
    scaling = asinh_scaling(header, path)
    if scaling is None:
        return
    soften, offset = scaling
    raise StarclassError(
        f"{path}: its pixel values are asinh-scaled (BSOFTEN = {soften:g}, BOFFSET = {offset:g}, as in Pan-STARRS1 "
        "stacks), not proportional to flux; write a linear copy first: flux = BOFFSET + BSOFTEN * 2 sinh(value / "
        "1.0857) (1.0857 = 2.5 / ln 10), with the keywords BSOFTEN and BOFFSET removed")


def regrid_hint(ref_path: PathLike, other_path: PathLike) -> str:
    """What to do when two bands lie on different pixel grids (another pixel scale, rotation or size).

    Every stage measures all bands at the same pixels, so starclass does not resample in silence;
    the hint names the reference file and a flux-conserving resampling with :mod:`reproject`.

    Examples
    --------
    >>> regrid_hint("g_f555w_drc.fits", "g_f814w_drc.fits").split(";")[0]
    'starclass measures every band on one pixel grid: resample g_f814w_drc.fits onto the grid of g_f555w_drc.fits first'
    """
    return (f"starclass measures every band on one pixel grid: resample {Path(other_path).name} onto the grid "
            f"of {Path(ref_path).name} first; with reproject (installed with starclass), "
            "reproject_adaptive((data, WCS(header)), reference_header, shape_out=reference_shape, "
            "conserve_flux=True) keeps each source's e-/s (reproject_interp keeps surface brightness: multiply by "
            "the ratio of pixel areas), then write the result with its own FILTER/PHOT*/BUNIT/EXPTIME keywords and "
            "the reference's WCS to a new file (its weight map likewise); or leave that band out")


def _wcs_summary(w: WCS) -> dict[str, object]:
    wcs = w.wcs
    # plain floats: numpy 2 writes a tuple of its scalars as (np.float64(128.5), ...) in the message
    return {
        "CTYPE": tuple(wcs.ctype),
        "CRVAL": tuple(float(v) for v in np.round(wcs.crval, 9)),
        "CRPIX": tuple(float(v) for v in np.round(wcs.crpix, 6)),
        "CD": tuple(float(v) for v in np.round(w.pixel_scale_matrix.ravel(), 12)),
    }


def _check_same_wcs(ref: WCS | None, other: WCS | None, ref_path: Path, other_path: Path,
                    shape: tuple[int, ...], tol_px: float) -> None:
    if ref is None and other is None:
        return
    if (ref is None) != (other is None):
        has, lacks = (ref_path, other_path) if other is None else (other_path, ref_path)
        raise StarclassError(f"WCS differs: {has} has a celestial WCS but {lacks} has none")
    if tuple(ref.wcs.ctype) != tuple(other.wcs.ctype):
        raise StarclassError(
            f"WCS differs between {ref_path} and {other_path}: CTYPE {list(ref.wcs.ctype)} vs "
            f"{list(other.wcs.ctype)}")
    ny, nx = shape[0], shape[1]
    xs = np.array([0.0, nx - 1.0, 0.0, nx - 1.0, (nx - 1) / 2.0])
    ys = np.array([0.0, 0.0, ny - 1.0, ny - 1.0, (ny - 1) / 2.0])
    world = other.pixel_to_world_values(xs, ys)
    back_x, back_y = ref.world_to_pixel_values(*world)
    offset = float(np.nanmax(np.hypot(back_x - xs, back_y - ys)))
    if not np.isfinite(offset) or offset > tol_px:
        a, b = _wcs_summary(ref), _wcs_summary(other)
        diffs = [f"{k} {a[k]} vs {b[k]}" for k in a if a[k] != b[k]]
        raise StarclassError(
            f"WCS differs between {ref_path} and {other_path}: the pixel grids are offset by up to "
            f"{offset:.3g} px (tolerance {tol_px} px); " + ("; ".join(diffs) or "distortion terms differ")
            + "; " + regrid_hint(ref_path, other_path))


# ---------------------------------------------------------------------------------------------
# writing


def write_mosaic(
    path: PathLike,
    data: np.ndarray,
    band: str,
    wcs: WCS | None,
    *,
    photflam: float,
    photplam: float,
    exptime: float = 1.0,
    extra_header: Mapping[str, object] | fits.Header | None = None,
    weight: np.ndarray | None = None,
    overwrite: bool = False,
) -> Path:
    """Write one band as an HST-drizzled-style FITS image, atomically.

    The primary HDU holds the image (float32, ``BUNIT = 'ELECTRONS/S'``) with the keywords a
    drizzled HLSP mosaic carries: FILTER, PHOTFLAM, PHOTPLAM, PHOTZPT, BUNIT, EXPTIME and the WCS.

    Parameters
    ----------
    path
        Destination (``.fits``); the parent directory is created.
    data
        2-D image in electrons/s.
    band
        Filter name (``"f555w"``); written upper-case in FILTER as HST headers do.
    wcs
        Celestial WCS of the image, or None.
    photflam, photplam
        Inverse sensitivity (erg/s/cm^2/A per e-/s) and pivot wavelength (A).
    exptime
        Exposure time (s), informative (the image is a rate).
    extra_header
        More keywords to write (e.g. ``{"TELESCOP": "HST", "TARGNAME": "SIM-1"}``).
    weight
        Optional weight map, written as a ``WHT`` extension (zero = no data).
    overwrite
        Replace an existing file (default False: it is refused, as astropy's ``writeto``
        refuses it; a notebook's second write_mosaic replaced the first without a word).

    Returns
    -------
    Path
        The path written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "m_f555w.fits"
    >>> _ = write_mosaic(path, np.ones((16, 16)), "f555w", None, photflam=1.9e-19, photplam=5361.0)
    >>> fits.getheader(path)["FILTER"], fits.getdata(path).shape
    ('F555W', (16, 16))
    >>> write_mosaic(path, np.ones((16, 16)), "f555w", None, photflam=1.9e-19, photplam=5361.0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.OutputExistsError: ...m_f555w.fits exists (overwrite=False); give overwrite=True to replace it
    """
    if Path(path).exists() and not overwrite:
        raise OutputExistsError(exists_refusal(path), path)
    arr = np.asarray(data, dtype=np.float32)
    if arr.ndim != 2:
        raise StarclassError(f"write_mosaic({path}): data must be 2-D, got shape {arr.shape}")
    if not (photflam > 0 and photplam > 0):
        raise StarclassError(f"write_mosaic({path}): photflam and photplam must be positive")
    header = fits.Header()
    if wcs is not None:
        header.update(wcs.to_header(relax=True))
    header["FILTER"] = (band.upper(), "filter name")
    header["PHOTFLAM"] = (float(photflam), "inverse sensitivity, ergs/cm2/A/e-")
    header["PHOTPLAM"] = (float(photplam), "pivot wavelength (Angstroms)")
    header["PHOTZPT"] = (STMAG_ZEROPOINT, "ST magnitude zero point")
    header["BUNIT"] = ("ELECTRONS/S", "units of the data")
    header["EXPTIME"] = (float(exptime), "exposure duration (seconds)")
    if extra_header is not None:
        items = extra_header.cards if isinstance(extra_header, fits.Header) else extra_header.items()
        for item in items:
            if isinstance(item, fits.Card):
                header[item.keyword] = (item.value, item.comment)
            else:
                key, value = item
                header[key] = value
    hdus = [fits.PrimaryHDU(data=arr, header=header)]
    if weight is not None:
        w = np.asarray(weight, dtype=np.float32)
        if w.shape != arr.shape:
            raise StarclassError(
                f"write_mosaic({path}): weight shape {w.shape} differs from data shape {arr.shape}")
        wh = fits.Header()
        if wcs is not None:
            wh.update(wcs.to_header(relax=True))
        hdus.append(fits.ImageHDU(data=w, header=wh, name="WHT"))
    target = Path(path)
    with atomic_path(target) as tmp:
        fits.HDUList(hdus).writeto(tmp, overwrite=True)
    return target
