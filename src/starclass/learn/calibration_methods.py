"""The calibration maps a model can carry, and their check: what a task's recipe reads without the model code.

Here, not in :mod:`starclass.learn.calibration` (which gives the same names): every task config checks its
``recipe.calibration`` when it is built, and importing that module loads torch and scikit-learn, 2-4 s of the start
of ``demo``, ``cutouts``, ``report --task`` and every other command that reads a task before its first line.
The histogram's rows-per-bin check and the conformal sets' coverage check are here too: ``calibrate --bins 0``
and ``classify --coverage 1`` are refused before torch and scikit-learn load.
"""

from __future__ import annotations

import math

import numpy as np

from starclass.errors import StarclassError

__all__ = ["CALIBRATION_METHODS", "HISTOGRAM_MIN_ROWS_PER_BIN", "check_coverage", "check_histogram_rows",
           "check_method"]

#: Calibration maps a model can carry: one temperature, a scale and a bias per class, or
#: one-vs-rest histogram binning.
CALIBRATION_METHODS = ("temperature", "vector", "histogram")


def check_method(method: str, what: str = "calibration method") -> str:
    """``method`` if it is one of :data:`CALIBRATION_METHODS`, else a clear error naming ``what``.

    Parameters
    ----------
    method : str
        The calibration map asked for.
    what : str
        How the message names where it came from (an option, a recipe key).

    Returns
    -------
    str
        ``method``.

    Raises
    ------
    StarclassError
        ``method`` is none of them.

    Examples
    --------
    >>> check_method("vector")
    'vector'
    >>> check_method("platt", "--method")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: --method 'platt': use one of temperature, vector, histogram
    """
    if method not in CALIBRATION_METHODS:
        raise StarclassError(f"{what} {method!r}: use one of {', '.join(CALIBRATION_METHODS)}")
    return method


#: Fewest held-out rows per bin histogram binning accepts (docs/uncertainty.md, section 1c). On
#: the real PAndAS cutouts (139 calibration rows per fold) it overfitted with 9 rows per bin (15
#: bins; ECE 0.056 against 0.036 with the temperature) and still with 23 (6 bins; ECE 0.056). On
#: simulated fields, rows drawn at random: with 40 per bin (600 rows) its test NLL was worse than
#: the temperature's (1.032 against 1.008); from 100 per bin (1,500 rows) on it was no worse than
#: the temperature's (1.006 against 1.008) with a lower ECE (0.018 against 0.030). Below 100 it
#: is refused.
HISTOGRAM_MIN_ROWS_PER_BIN = 100


def _check_n_bins(n_bins, what: str = "n_bins") -> int:
    if isinstance(n_bins, bool) or not isinstance(n_bins, (int, np.integer)) or int(n_bins) < 1:
        raise StarclassError(f"{what} must be a whole number >= 1, got {n_bins!r}")
    return int(n_bins)


def check_histogram_rows(n_rows: int, n_bins: int, what: str = "n_bins",
                         min_rows_per_bin: int = HISTOGRAM_MIN_ROWS_PER_BIN, *, n_blank: int = 0,
                         n_no_data: int = 0) -> int:
    """``n_bins`` if ``n_rows`` calibration rows fill each bin with ``min_rows_per_bin``, else a clear error.

    ``what`` names the option in the message (``--bins`` on the command line). ``n_rows`` are
    the rows the bins are fitted on (:func:`starclass.learn.calibration.calibration_rows`); ``n_blank``
    labelled rows left out as blank images are named beside them, so a user who gave more rows sees
    where they went;
    ``n_no_data`` of them are images with no data (all NaN), said so
    (:func:`starclass.learn.classify.blank_words`).

    Examples
    --------
    >>> check_histogram_rows(3000, 15)
    15
    >>> try:
    ...     check_histogram_rows(139, 15)
    ... except StarclassError as exc:
    ...     print(str(exc)[:70])
    histogram binning (n_bins 15): 139 calibration rows are 9.3 per bin; i
    """
    n_bins = _check_n_bins(n_bins, what)
    least = n_bins * int(min_rows_per_bin)
    if n_rows < least:
        from starclass.learn.classify import blank_words

        blank = ""
        if n_blank:
            # an all-NaN cutout was counted among the "blank (constant) images": it holds no data
            kinds = [f"{k} {blank_words(nd, k, image=True)}" for k, nd in ((n_blank - n_no_data, False),
                                                                          (n_no_data, True)) if k]
            blank = f" (of {n_rows + n_blank} labelled: {' and '.join(kinds)}, left out)"
        raise StarclassError(
            f"histogram binning ({what} {n_bins}): {n_rows} calibration rows{blank} are {n_rows / n_bins:.1f} per "
            f"bin; it needs at least {int(min_rows_per_bin)} rows per bin ({least} rows). Give more labelled rows, "
            "fewer bins, or use the temperature (small sets: docs/uncertainty.md, section 1c).")
    return n_bins


def check_coverage(coverage: float, option: str = "coverage") -> float:
    """``coverage`` as a float strictly between 0 and 1, else a clear error naming ``option``.

    Examples
    --------
    >>> check_coverage(0.9)
    0.9
    """
    try:
        c = float(coverage)
    except (TypeError, ValueError):
        raise StarclassError(f"{option} {coverage!r} is not a number") from None
    if not (math.isfinite(c) and 0.0 < c < 1.0):
        # "--coverage 1.0 must be between 0 and 1" read as a contradiction: the ends are what is refused
        raise StarclassError(f"{option} {coverage!r} must be above 0 and below 1 (e.g. 0.9 for 90%): at 1 every "
                             "set would hold every class, at 0 no set any")
    return c
