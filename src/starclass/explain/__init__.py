"""``starclass explain``: where in a stamp a trained network finds its evidence.

Grad-CAM at a layer whose map is fine enough to mean something, guided backpropagation,
guided Grad-CAM and CAM (:mod:`starclass.explain.maps`); per-class mean maps, radial profiles,
figures and tables written by :func:`starclass.explain.run.explain`.

The functions are loaded on first use: ``starclass explain`` checks its ``--method`` and its output
folder against :data:`METHODS` and :data:`OWN_NAMES` and says its first line before torch is imported.
"""

from __future__ import annotations

import importlib

from starclass.errors import StarclassError

#: The saliency methods ``explain`` computes, as ``--method`` names them, in the order they are computed (guided
#: Grad-CAM reuses Grad-CAM and guided backprop); here, not in the torch code, so the command checks them at once
METHODS = ("gradcam", "guided-gradcam", "guided-backprop", "cam")

#: The methods ``starclass explain``, :func:`starclass.explain.run.explain` and ``explain_inputs`` compute when none
#: are named: the command had these and the Python functions all of :data:`METHODS` (a guided-backprop map more),
#: with no word
DEFAULT_METHODS = ("gradcam", "guided-gradcam", "cam")

#: Names ``explain`` writes into its output folder (``--overwrite`` replaces only such a folder).
OWN_NAMES = ("maps.npz", "tables", "figures", "explain.json")

def check_explain_arguments(methods: tuple[str, ...], *, per_class: int, max_stamps: int | None, min_size: int,
                            seed: int) -> None:
    """Refuse what :func:`starclass.explain.run.explain` cannot use, naming the option and the argument.

    Here, without torch, so that ``starclass explain`` refuses them before the model code loads.

    Parameters
    ----------
    methods : tuple of str
        Any of :data:`METHODS`.
    per_class : int
        Example overlays per class (at least 1).
    max_stamps : int or None
        Stamps explained at most (at least 1; None: all).
    min_size : int
        The Grad-CAM layer's smallest map side (at least 1).
    seed : int
        Seed of the draw of stamps (at least 0).

    Raises
    ------
    StarclassError
        The first argument out of its range.

    Examples
    --------
    >>> check_explain_arguments(METHODS, per_class=6, max_stamps=512, min_size=7, seed=0)
    >>> try:
    ...     check_explain_arguments(("cam",), per_class=0, max_stamps=None, min_size=7, seed=0)
    ... except StarclassError as exc:
    ...     print(exc)
    --per-class (per_class= in Python) must be >= 1, got 0
    """
    bad = [m for m in methods if m not in METHODS]
    if bad:
        raise StarclassError(f"--method (methods= in Python) {', '.join(bad)}: use any of {', '.join(METHODS)}")
    if per_class < 1:
        raise StarclassError(f"--per-class (per_class= in Python) must be >= 1, got {per_class}")
    if max_stamps is not None and max_stamps < 1:
        raise StarclassError(f"--max-stamps (max_stamps= in Python) must be >= 1, got {max_stamps}")
    if int(min_size) < 1:
        raise StarclassError(f"--min-map (min_size= in Python) must be >= 1, got {min_size}")
    if int(seed) < 0:
        # as explain --seed (min=0): numpy's generator stopped the draw of stamps with a traceback
        raise StarclassError(f"--seed (seed= in Python) must be >= 0, got {seed}")


#: Where each function lives (imported, with torch, when it is first asked for)
_LAZY = {
    "cam": "starclass.explain.maps",
    "choose_layer": "starclass.explain.maps",
    "guided_backprop": "starclass.explain.maps",
    "guided_gradcam": "starclass.explain.maps",
    "explain": "starclass.explain.run",
    "explain_inputs": "starclass.explain.run",
}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'starclass.explain' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = ["DEFAULT_METHODS", "METHODS", "cam", "check_explain_arguments", "choose_layer", "explain", "explain_inputs",
           "guided_backprop", "guided_gradcam"]
