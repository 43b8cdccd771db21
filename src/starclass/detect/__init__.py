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

from starclass.detect.completeness import completeness
from starclass.detect.find import detect
from starclass.detect.match import match_catalogs
from starclass.detect.photometry import CandidatePhotometry, measure
from starclass.detect.select import select_candidates
from starclass.io.mosaic import ArrayMosaics

__all__ = ["ArrayMosaics", "CandidatePhotometry", "measure", "match_catalogs", "detect", "select_candidates",
           "completeness"]

