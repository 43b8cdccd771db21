"""Candidate detection and photometry (``starclass detect``).

* :func:`detect`: find candidates in the V band and measure them (:mod:`.find`).
* :func:`measure`: aperture photometry in every band, CI, MCI, local background, FWHM,
  crowding and redundancy at given positions (:mod:`.photometry`);
  :class:`CandidatePhotometry` is the same with its settings kept in an object.
* :func:`select_candidates`: magnitude limit, CI cut or MCI polygon (:mod:`.select`).
* :func:`match_catalogs`: one-to-one cross-match within 2 px (:mod:`.match`).
* :func:`completeness`: recovered fraction of a truth catalogue against magnitude
  (:mod:`.completeness`).

Positions are 0-based pixels (x = column, y = row) throughout.
"""

from starclass import lazy_exports

# eager: the function shares the name of its module (``starclass.detect.completeness`` is the function, as it was),
# which a later import of the module would otherwise rebind on the package
from starclass.detect.completeness import completeness

#: Each name this package exports and the module that defines it, loaded on first use (PEP 562): the package
#: imported them all, so a command needing one small part (the simulator's ArrayMosaics, detect's MCI polygon
#: for its option check) paid for the finder and photometry (numba, scipy.spatial, the stamp code) before its
#: first line.
_EXPORTS = {
    "detect": "starclass.detect.find",
    "match_catalogs": "starclass.detect.match",
    "CandidatePhotometry": "starclass.detect.photometry",
    "measure": "starclass.detect.photometry",
    "select_candidates": "starclass.detect.select",
    "ArrayMosaics": "starclass.io.mosaic",
}

__all__ = ["ArrayMosaics", "CandidatePhotometry", "measure", "match_catalogs", "detect", "select_candidates",
           "completeness"]


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
