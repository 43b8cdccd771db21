"""Which file names are FITS: the one list the readers, the --help texts and the messages share.

A light module (no astropy): every command's --help names the FITS suffixes from here, so a suffix
the readers take is a suffix the help names. Until 2026-12-06 four helps said "a directory of *.fits,
*.fits.gz, *.fits.fz" while the readers took .fit, .fts, .bz2 and .xz as well.
"""

from __future__ import annotations

#: The names of a FITS file itself, before any compression.
FITS_BASES = (".fits", ".fit", ".fts")

#: Whole-file compressions astropy.io.fits opens by itself: gzip, bzip2, xz (Python's own modules), a zip archive
#: of one member (extracted to a temporary file), Unix ``compress`` (only with the optional package uncompresspy:
#: without it the readers say to uncompress the file, :func:`starclass.io.mosaic.unopenable_compression`).
#: ``x.fits.bz2`` is read as ``x.fits``. fpack's ``.fz`` is not one: that file is FITS already, its HDUs
#: tile-compressed.
FITS_COMPRESSIONS = (".gz", ".bz2", ".xz", ".zip", ".Z")

#: Every FITS suffix :func:`starclass.io.mosaic.is_fits_name` takes, for tables of suffixes (catalogue formats,
#: image types); ``.Z`` keeps compress's own case (lower-case them where names are lower-cased to be looked up).
FITS_SUFFIXES = tuple(f"{base}{comp}" for base in FITS_BASES for comp in ("", ".fz", *FITS_COMPRESSIONS)) + (".fz",)

#: The FITS names in a few words, for --help texts and messages:
#: ``".fits, .fit, .fts, compressed .gz/.bz2/.xz/.zip/.Z/.fz"``.
FITS_NAMES = f"{', '.join(FITS_BASES)}, compressed {'/'.join((*FITS_COMPRESSIONS, '.fz'))}"
