"""Every docstring example in the package runs and prints what it shows.

``testpaths`` is ``tests``, so ``pytest`` alone never collects the examples in ``src``; this
runs them module by module (an example that printed the wrong Brier score went unnoticed).
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import tempfile

import pytest

import starclass

MODULES = sorted(m.name for m in pkgutil.walk_packages(starclass.__path__, "starclass."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name, tmp_path, monkeypatch):
    # examples that write files write them here, never into the checkout; their tempfile.mkdtemp()
    # folders too (read_cutout_folder's and two dozen others' examples left one in /tmp per run):
    # pytest removes tmp_path with its old runs
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    try:
        module = importlib.import_module(name)
    except ImportError as exc:  # an optional dependency (statmorph, captum) that is not installed
        pytest.skip(f"{name}: {exc}")
    # the label database's examples make a dozen accounts: argon2's defaults cost ~0.5 s a hash on a
    # shared machine, cheap ones as tests/conftest.py's cheap_argon2 (the examples show the same)
    from starclass.inspect import auth

    auth.configure_hasher(time_cost=1, memory_cost=8192, parallelism=1)
    try:
        result = doctest.testmod(module, verbose=False, report=True)
    finally:
        auth.configure_hasher()
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_examples_leave_no_folder_in_the_system_temp_dir(tmp_path, monkeypatch):
    # every run of read_cutout_folder's example (tempfile.mkdtemp, never removed) left a folder in /tmp
    system = tmp_path / "system-tmp"
    system.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system))
    run_in = tmp_path / "run"
    run_in.mkdir()
    with pytest.MonkeyPatch.context() as inner:
        test_docstring_examples_run("starclass.io.cutout_folders", run_in, inner)
    assert sorted(p.name for p in system.iterdir()) == []
    assert any(p.is_dir() for p in run_in.iterdir())  # the examples did make their folders, in the run's own
