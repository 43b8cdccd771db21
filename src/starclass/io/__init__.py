"""Reading and writing what astronomers have: FITS mosaics, catalogues, DS9 regions.

:class:`Mosaics` is the interface every image-using stage takes; :class:`MosaicSet` (FITS
files) and :class:`ArrayMosaics` (arrays in memory) implement it.
"""

import importlib

#: Names re-exported from :mod:`starclass.io.mosaic`, loaded on first use: that module loads astropy's
#: FITS, WCS, coordinates and tables, which the light modules here (``io.atomic``, ``io.paths``, which
#: the task configs and every command's --help import) do not need.
__all__ = ["ArrayMosaics", "Mosaics", "MosaicSet", "MosaicsLike", "read_mosaics"]
_LAZY = dict.fromkeys(__all__, "starclass.io.mosaic")


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'starclass.io' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
