"""starclass: multi-band images to classified star-cluster catalogues.

Pixel positions everywhere in starclass are **0-based** (numpy convention: ``x`` is the
column, ``y`` the row, the centre of the first pixel is ``(0, 0)``). Readers of 1-based
catalogues (LEGUS ``.tab``, DS9, FITS ``X_IMAGE``) convert on the way in and writers of
1-based formats convert on the way out.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import importlib.machinery
import random
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from starclass.errors import StarclassError

__version__ = "0.1.0"
__all__ = ["StarclassError", "__version__", "lazy_exports", "quiet_import"]

#: Import paths that moved in 0.2 (old -> new). They keep working for one release, with a
#: DeprecationWarning, so notebooks written against 0.1 still run.
MOVED_MODULES: dict[str, str] = {
    "starclass.config": "starclass.learn.config",
    "starclass.train": "starclass.learn.train",
    "starclass.training": "starclass.learn",
    "starclass.training.augment": "starclass.learn.augment",
    "starclass.training.splits": "starclass.learn.splits",
    "starclass.checkpoint": "starclass.learn.checkpoint",
    "starclass.predict": "starclass.learn.classify",
    "starclass.ensemble": "starclass.learn.ensemble",
    "starclass.precision": "starclass.learn.precision",
    "starclass.synthetic": "starclass.datasets.stamps",
    "starclass.detect.synthetic": "starclass.datasets.fields",
    "starclass.evaluate.synthetic": "starclass.datasets.catalogs",
    "starclass.inspect.demo": "starclass.datasets.labelling",
}


class _MovedModuleLoader(importlib.abc.Loader):
    def __init__(self, new_name: str) -> None:
        self.new_name = new_name

    def create_module(self, spec):
        warnings.warn(f"{spec.name} moved to {self.new_name}; the old path goes in the next release",
                      DeprecationWarning, stacklevel=3)
        return importlib.import_module(self.new_name)

    def exec_module(self, module) -> None:
        # the module was executed when it was imported under its new name
        return None


class _MovedModuleFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        new_name = MOVED_MODULES.get(fullname)
        if new_name is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _MovedModuleLoader(new_name))


if not any(isinstance(f, _MovedModuleFinder) for f in sys.meta_path):
    sys.meta_path.insert(0, _MovedModuleFinder())


def lazy_exports(package: str, exports: Mapping[str, str],
                 namespace: dict[str, Any]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A package's ``__getattr__`` and ``__dir__`` (PEP 562) that load each exported name's module on first use.

    A stage package that imported all its modules made ``from starclass.simulate import preset``
    pay for the whole simulator; with these, each name's module is imported when the name is
    first asked for, then kept in the package's namespace (later look-ups are plain).

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    exports : Mapping[str, str]
        Each name and the module that defines it: relative to the package (``".field"``) or absolute.
    namespace : dict
        The package's ``globals()``, where a loaded name is kept.

    Returns
    -------
    tuple of callable
        ``(__getattr__, __dir__)``, to be bound to those names in the package.

    Examples
    --------
    >>> ns = {}
    >>> getattr_, dir_ = lazy_exports("starclass", {"sqrt": "math"}, ns)
    >>> getattr_("sqrt")(9.0), "sqrt" in ns, dir_()
    (3.0, True, ['sqrt'])
    >>> getattr_("cube")
    Traceback (most recent call last):
    ...
    AttributeError: module 'starclass' has no attribute 'cube'
    """

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        namespace[name] = value  # later look-ups skip this function
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(exports))

    return __getattr__, __dir__


@contextlib.contextmanager
def quiet_import() -> Iterator[None]:
    """Python's, numpy's and torch's global random states, as they were before the block, when it ends.

    Around the import of a library that draws from a global generator as it is first imported:
    ``rich.style`` draws 24 bits from python's (``count(getrandbits(24))``, rich 15), and scikit-learn's
    estimators, metrics and model selection import rich (through ``sklearn.callback``, scikit-learn 1.9),
    as crepes imports scikit-learn. A notebook that seeded ``random`` and then called ``evaluate_catalogs``,
    or imported ``starclass.learn.crossval`` or ``starclass.models.baselines``, drew other numbers than
    without them; every import of scikit-learn, crepes or rich in the library runs inside this block
    (tests/test_import_global_state.py). numpy's and torch's states are kept where those are loaded already
    (one the block loads had no state of the caller's), so the block imports neither: it is here, beside
    :func:`lazy_exports`, and not in :mod:`starclass.learn.rng`, for the stage packages below ``learn``
    (``models``) and the light ones (``evaluate``'s metrics) to use.

    Examples
    --------
    >>> random.seed(2); expected = random.random()
    >>> random.seed(2)
    >>> with quiet_import():
    ...     _ = random.random()  # as rich.style does at its first import
    >>> random.random() == expected
    True
    """
    python_state = random.getstate()
    numpy, torch = sys.modules.get("numpy"), sys.modules.get("torch")
    numpy_state = numpy.random.get_state() if numpy is not None else None
    torch_state = torch.random.get_rng_state() if torch is not None else None
    try:
        yield
    finally:
        random.setstate(python_state)
        if numpy_state is not None:
            numpy.random.set_state(numpy_state)
        if torch_state is not None:
            torch.random.set_rng_state(torch_state)
