"""Every docstring example in the package runs and prints what it shows.

``testpaths`` is ``tests``, so ``pytest`` alone never collects the examples in ``src``; this
runs them module by module (an example that printed the wrong Brier score went unnoticed).
"""

from __future__ import annotations

import doctest
import functools
import importlib
import inspect
import pkgutil
import sys
import tempfile

import pytest

import starclass

MODULES = sorted(m.name for m in pkgutil.walk_packages(starclass.__path__, "starclass."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name, tmp_path, monkeypatch):
    # run from an empty folder of their own, which they must leave empty: run from the repository root
    # (pytest --doctest-modules src/starclass), eight modules' examples wrote relative paths there
    # (cc_cut/, cc_model/, cut/ were committed unseen). Their tempfile.mkdtemp() folders go to tmp_path
    # too, beside it (read_cutout_folder's and two dozen others' examples left one in /tmp per run):
    # pytest removes tmp_path with its old runs
    run_from, scratch = tmp_path / "run_from", tmp_path / "tmp"
    run_from.mkdir()
    scratch.mkdir()
    monkeypatch.chdir(run_from)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
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
        cached = _run(_cached_property_tests(module))
    finally:
        auth.configure_hasher()
    failed, attempted = result.failed + cached.failed, result.attempted + cached.attempted
    assert failed == 0, f"{failed} of {attempted} examples failed in {name}"
    left = sorted(p.name for p in run_from.iterdir())
    assert left == [], f"the examples of {name} left {left} in the folder they were run from"


def _cached_property_tests(module) -> list[doctest.DocTest]:
    """The examples of the module's classes' cached properties, which testmod never runs.

    doctest's finder looks into a class's functions, classes and properties, not a
    functools.cached_property: tests/test_public_examples.py asks one for an example, and an
    example never run could print anything.
    """
    finder = doctest.DocTestFinder()
    tests = []
    for cname, cls in vars(module).items():
        if not (inspect.isclass(cls) and cls.__module__ == module.__name__):
            continue
        for attr, value in vars(cls).items():
            if isinstance(value, functools.cached_property):
                tests += finder.find(value.func, f"{module.__name__}.{cname}.{attr}", module=module,
                                     globs=vars(module))
    return [test for test in tests if test.examples]


def _run(tests: list[doctest.DocTest]) -> doctest.TestResults:
    runner = doctest.DocTestRunner(verbose=False)
    for test in tests:
        runner.run(test)
    return runner.summarize(verbose=False)


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


def test_examples_of_cached_properties_are_run(tmp_path, monkeypatch):
    # testmod alone would pass a cached property whose example prints the wrong number
    (tmp_path / "cached_example_mod.py").write_text(
        "import functools\n"
        "class Field:\n"
        "    @functools.cached_property\n"
        "    def size(self):\n"
        "        \"\"\"Side.\n\n        >>> Field().size\n        3\n        \"\"\"\n"
        "        return 2\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("cached_example_mod")
    monkeypatch.delitem(sys.modules, "cached_example_mod")
    assert doctest.testmod(module, report=False).attempted == 0  # what testmod alone sees
    tests = _cached_property_tests(module)
    assert [t.name for t in tests] == ["cached_example_mod.Field.size"]
    assert _run(tests) == doctest.TestResults(failed=1, attempted=1)
