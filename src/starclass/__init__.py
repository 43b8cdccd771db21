"""starclass: multi-band images to classified star-cluster catalogues.

Pixel positions everywhere in starclass are **0-based** (numpy convention: ``x`` is the
column, ``y`` the row, the centre of the first pixel is ``(0, 0)``). Readers of 1-based
catalogues (LEGUS ``.tab``, DS9, FITS ``X_IMAGE``) convert on the way in and writers of
1-based formats convert on the way out.
"""

__version__ = "0.1.0"

from starclass.errors import StarclassError  # noqa: F401
