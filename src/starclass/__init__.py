"""starclass: multi-band images to classified star-cluster catalogues.

Pixel positions everywhere in starclass are **0-based** (numpy convention: ``x`` is the
column, ``y`` the row, the centre of the first pixel is ``(0, 0)``). Readers of 1-based
catalogues (LEGUS ``.tab``, DS9, FITS ``X_IMAGE``) convert on the way in and writers of
1-based formats convert on the way out.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import warnings

from starclass.errors import StarclassError

__version__ = "0.1.0"
__all__ = ["StarclassError", "__version__"]

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
