"""Import paths of 0.1 keep working for one release, with a DeprecationWarning naming the new path."""

from __future__ import annotations

import importlib
import sys

import pytest

import starclass


@pytest.mark.parametrize("old, new", sorted(starclass.MOVED_MODULES.items()))
def test_old_path_warns_and_is_the_new_module(old, new):
    # only the old name is forgotten: re-executing the new module would leave two copies of its classes
    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=new.replace(".", r"\.")):
        mod = importlib.import_module(old)
    assert mod is importlib.import_module(new)


def test_old_names_still_import():
    for old in ("starclass.train", "starclass.training", "starclass.synthetic"):
        sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning):
        from starclass.train import fit  # noqa: F401
    with pytest.warns(DeprecationWarning):
        from starclass.training import dihedral  # noqa: F401
    with pytest.warns(DeprecationWarning):
        from starclass.synthetic import make_synthetic  # noqa: F401


def test_unknown_module_is_still_an_import_error():
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("starclass.no_such_module")


def test_learn_entry_points_import_from_the_package():
    from starclass.learn import CNNClassifier, TaskConfig, fit, get_preset, list_presets, load_config
    from starclass.learn.estimator import CNNClassifier as direct

    assert CNNClassifier is direct
    assert isinstance(get_preset("legus4"), TaskConfig) and "m31-real" in list_presets()
    assert callable(fit) and callable(load_config)
