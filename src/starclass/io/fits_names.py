"""Which file names are FITS: the one list the readers, the --help texts and the messages share.

A light module (no astropy): every command's --help names the FITS suffixes from here, so a suffix
the readers take is a suffix the help names. Until 2026-12-06 four helps said "a directory of *.fits,
*.fits.gz, *.fits.fz" while the readers took .fit, .fts, .bz2 and .xz as well.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

#: The names of a FITS file itself, before any compression.
FITS_BASES = (".fits", ".fit", ".fts")

#: Whole-file compressions astropy.io.fits opens by itself: gzip, bzip2, xz (Python's own modules), a zip archive
#: of one member (extracted to a temporary file), Unix ``compress`` (only with the optional package uncompresspy:
#: without it the readers say to uncompress the file, :func:`starclass.io.mosaic.unopenable_compression`).
#: ``x.fits.bz2`` is read as ``x.fits``. fpack's ``.fz`` is not one: that file is FITS already, its HDUs
#: tile-compressed.
FITS_COMPRESSIONS = (".gz", ".bz2", ".xz", ".zip", ".Z")

#: Every FITS suffix :func:`is_fits_name` takes, for tables of suffixes (catalogue formats,
#: image types); ``.Z`` keeps compress's own case (lower-case them where names are lower-cased to be looked up).
FITS_SUFFIXES = tuple(f"{base}{comp}" for base in FITS_BASES for comp in ("", ".fz", *FITS_COMPRESSIONS)) + (".fz",)

#: The FITS names in a few words, for --help texts and messages:
#: ``".fits, .fit, .fts, compressed .gz/.bz2/.xz/.zip/.Z/.fz"``.
FITS_NAMES = f"{', '.join(FITS_BASES)}, compressed {'/'.join((*FITS_COMPRESSIONS, '.fz'))}"


#: File names read as FITS: .fits/.fit/.fts, whole-file compressed (FITS_COMPRESSIONS) or fpack's (.fz, .fits.fz).
_FITS_NAME = re.compile(r"((" + "|".join(re.escape(b) for b in FITS_BASES) + r")(\.fz|"
                        + "|".join(re.escape(c) for c in FITS_COMPRESSIONS) + r")?|\.fz)$", re.IGNORECASE)


def fits_suffix(path: str | os.PathLike) -> str | None:
    """The FITS part of a file's name as written (``.fits.bz2``, ``.fz``), or None when it is no FITS name.

    The one rule for which names are FITS (a mosaic in a folder, a FITS table, a FITS stamp): until
    2026-12-06 some places knew ``.fits.gz`` but not ``.fits.bz2``, and a folder of bzip2-compressed
    mosaics was "no FITS images found".

    Examples
    --------
    >>> [fits_suffix(n) for n in ("g_f555w.FITS.bz2", "a.fits.fz", "a.fz", "a.fits.zip", "a.fits.Z", "cat.ecsv")]
    ['.FITS.bz2', '.fits.fz', '.fz', '.fits.zip', '.fits.Z', None]
    """
    m = _FITS_NAME.search(Path(path).name)
    return m.group(0) if m else None


def is_fits_name(path: str | os.PathLike) -> bool:
    """True if the file name is a FITS file's (``.fits``, ``.fit``, ``.fts``; ``.gz``, ``.bz2``, ``.xz``, ``.zip``,
    ``.Z``, ``.fz``).

    The one rule for which files of a folder are mosaics: fpack's tile-compressed ``.fits.fz``
    are read like any other (astropy decompresses them), so a folder of them is a field too, and so
    are whole files compressed with gzip, bzip2, xz, zip or Unix compress (:data:`FITS_COMPRESSIONS`).

    Examples
    --------
    >>> [is_fits_name(n) for n in ("a_f555w.fits", "a.fits.fz", "a.fz", "a.FITS.GZ", "a.fits.bz2", "cat.ecsv")]
    [True, True, True, True, True, False]
    """
    return fits_suffix(path) is not None
