"""The calibration maps a model can carry, and their check: what a task's recipe reads without the model code.

Here, not in :mod:`starclass.learn.calibration` (which gives the same names): every task config checks its
``recipe.calibration`` when it is built, and importing that module loads torch and scikit-learn, 2-4 s of the start
of ``demo``, ``cutouts``, ``report --task`` and every other command that reads a task before its first line.
"""

from __future__ import annotations

from starclass.errors import StarclassError

__all__ = ["CALIBRATION_METHODS", "check_method"]

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
