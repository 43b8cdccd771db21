"""scikit-learn's parameter methods for the calibrators, with scikit-learn imported only when they are used.

The calibrators (:class:`~starclass.learn.calibration.TemperatureScaler`, ``VectorScaler``,
``HistogramBinner``) and :class:`~starclass.learn.conformal.ClassConditionalConformal` derived from
:class:`sklearn.base.BaseEstimator` for ``get_params`` / ``set_params`` and so that
:func:`sklearn.base.clone` works on them. Deriving from it imports scikit-learn (about 130 MiB
resident, measured by ``benchmarks/fit_memory.py``) whenever the calibration module loads, i.e. in
every ``train``, although training itself never asks for a parameter. :class:`SklearnParams` gives the
same methods by calling ``BaseEstimator``'s own on first use: the same behaviour, and the import
is paid by the code that uses scikit-learn, which has imported it already.
"""

from __future__ import annotations

import inspect
from typing import Any

from starclass import quiet_import


def _base() -> type:
    """scikit-learn's ``BaseEstimator`` (imported here, on the first call of a method that needs it)."""
    with quiet_import():
        from sklearn.base import BaseEstimator

    return BaseEstimator


class SklearnParams:
    """``get_params``, ``set_params``, ``repr`` and ``clone`` support of :class:`sklearn.base.BaseEstimator`.

    Each method is ``BaseEstimator``'s, called on first use: parameters are the ``__init__``
    arguments, stored under their own names, as scikit-learn requires. Unlike a subclass of
    ``BaseEstimator``, importing a class built on this does not import scikit-learn, and
    ``isinstance(est, BaseEstimator)`` is False.

    Examples
    --------
    >>> class Scaler(SklearnParams):
    ...     def __init__(self, scale: float = 1.0, shift: float = 0.0) -> None:
    ...         self.scale = scale
    ...         self.shift = shift
    >>> s = Scaler(scale=2.0)
    >>> s.get_params()
    {'scale': 2.0, 'shift': 0.0}
    >>> s.set_params(shift=1.0).shift, s
    (1.0, Scaler(scale=2.0, shift=1.0))
    >>> from sklearn.base import clone
    >>> clone(s).get_params() == s.get_params()
    True
    """

    @classmethod
    def _get_param_names(cls) -> list[str]:
        return _base()._get_param_names.__func__(cls)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The estimator's parameters, by name (scikit-learn's ``BaseEstimator.get_params``).

        Examples
        --------
        >>> from starclass.learn.calibration import HistogramBinner
        >>> HistogramBinner(n_bins=5).get_params()["n_bins"]
        5
        """
        return _base().get_params(self, deep)

    def set_params(self, **params: Any) -> SklearnParams:
        """Set parameters by name and return the estimator (scikit-learn's ``BaseEstimator.set_params``).

        Examples
        --------
        >>> from starclass.learn.calibration import TemperatureScaler
        >>> TemperatureScaler().set_params(bounds=(0.5, 2.0)).bounds
        (0.5, 2.0)
        """
        return _base().set_params(self, **params)

    def __repr__(self) -> str:
        # scikit-learn's own repr cannot serve (its printer treats a non-BaseEstimator as a plain
        # object and calls repr again): its text, on one line (it wraps at 80 characters), without
        # importing it: the parameters that differ from the __init__ defaults, sorted by name
        params = inspect.signature(type(self).__init__).parameters
        changed = [f"{k}={getattr(self, k)!r}" for k in sorted(params) if k != "self"
                   and params[k].kind != params[k].VAR_KEYWORD and repr(getattr(self, k)) != repr(params[k].default)]
        return f"{type(self).__name__}({', '.join(changed)})"

    def __sklearn_clone__(self) -> SklearnParams:
        return _base().__sklearn_clone__(self)

    def __sklearn_tags__(self) -> Any:
        return _base().__sklearn_tags__(self)
