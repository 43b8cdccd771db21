"""Every docstring example in the package runs and prints what it shows.

``testpaths`` is ``tests``, so ``pytest`` alone never collects the examples in ``src``; this
runs them module by module (an example that printed the wrong Brier score went unnoticed).
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import starclass

MODULES = sorted(m.name for m in pkgutil.walk_packages(starclass.__path__, "starclass."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name, tmp_path, monkeypatch):
    # examples that write files write them here, never into the checkout
    monkeypatch.chdir(tmp_path)
    try:
        module = importlib.import_module(name)
    except ImportError as exc:  # an optional dependency (statmorph, captum) that is not installed
        pytest.skip(f"{name}: {exc}")
    result = doctest.testmod(module, verbose=False, report=True)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
