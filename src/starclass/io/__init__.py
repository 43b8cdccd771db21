"""Reading and writing what astronomers have: FITS mosaics, catalogues, DS9 regions.

:class:`Mosaics` is the interface every image-using stage takes; :class:`MosaicSet` (FITS
files) and :class:`ArrayMosaics` (arrays in memory) implement it.
"""

from starclass.io.mosaic import ArrayMosaics, Mosaics, MosaicSet, MosaicsLike, read_mosaics

__all__ = ["ArrayMosaics", "Mosaics", "MosaicSet", "MosaicsLike", "read_mosaics"]
