"""Importing starclass's modules leaves a notebook's global state as it was (2026-12-07).

tests/test_library_global_state.py runs the public functions; this imports the modules themselves, in a fresh
process (a child forked from one interpreter per file: tests/fork_probe.py) that has torch and matplotlib loaded
and set as a notebook has them (torch on one thread, numpy's print precision 3 and errors raised), and compares
after each import: warning filters and ``showwarning``, numpy's print options and error handling, torch's
threads, default dtype and grad mode, matplotlib's rcParams, logging's root.

The libraries the modules import at their tops are loaded first, so that what is checked is starclass's own
code. Their own first imports do change the state, whoever imports them (checked 2026-12-07, scipy 1.17,
astropy 7): ``scipy.special`` puts ``("always", SpecialFunctionWarning)`` ahead of the filters (raised only where
``scipy.special.seterr`` asks for it; by default never), ``scipy.sparse`` ignores numpy's "the matrix subclass is
not the recommended way", astropy adds its own filters (``StringTruncateWarning``, numpy's binary-size messages)
and hands ``warnings.showwarning`` to its logger (astropy's ``log_warnings`` setting). starclass does not undo
them: a notebook that reads a table has imported astropy itself. No starclass module changes anything.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from fork_probe import SRC, needs_fork, result_of, run_steps  # tests/ is on sys.path under pytest

_STATE_STEP = r"""
import importlib, logging, sys, warnings
import numpy as np
import matplotlib
import torch

if PATH:
    sys.path.insert(0, PATH)
torch.set_num_threads(1)
np.set_printoptions(precision=3)
np.seterr(all="raise")


def state():
    return {"warning filters": repr(warnings.filters), "showwarning": repr(warnings.showwarning),
            "numpy print options": repr(np.get_printoptions()), "numpy errors": repr(np.geterr()),
            "torch threads": torch.get_num_threads(), "torch dtype": str(torch.get_default_dtype()),
            "torch grad": torch.is_grad_enabled(),
            "rcParams": repr(sorted((k, str(v)) for k, v in matplotlib.rcParams.items())),
            "root logger": repr((logging.root.level, logging.root.handlers, logging.root.manager.disable))}


for name in LIBRARIES:  # the libraries' own import-time changes are not starclass's
    try:
        importlib.import_module(name)
    except Exception:  # 'from scipy import fft': a name that may be no module
        pass
changed = []
before = state()
for name in NAMES:
    importlib.import_module(name)
    after = state()
    changed += [[name, k] for k in after if after[k] != before[k]]
    before = after
result = changed
"""

#: what every probe's interpreter loads once, before it forks a step (the state step's notebook has all three)
PRELOAD = ("numpy", "torch", "matplotlib")


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_imports(name: str) -> list[str]:
    """The modules ``name`` imports at its top (``from a import b``: ``a`` and ``a.b``); [] for no module of ours."""
    base = SRC.joinpath(*name.split("."))
    path = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
    if not path.is_file():
        return []
    out = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Try):  # an optional import
            nodes = [n for n in node.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        else:
            nodes = [node]
        for n in nodes:
            if isinstance(n, ast.Import):
                out += [a.name for a in n.names]
            elif isinstance(n, ast.ImportFrom) and n.module and not n.level:
                out += [n.module, *(f"{n.module}.{a.name}" for a in n.names)]
    return out


def _modules(only_scipy: bool) -> tuple[list[str], list[str]]:
    """Every module of the package, or those that import scipy at their top; and the other libraries' modules they
    import at their tops, those of the starclass modules they import included (loaded first by the probe)."""
    names = [_module_name(p) for p in sorted((SRC / "starclass").rglob("*.py"))
             if not only_scipy or re.search(r"^(from|import) scipy", p.read_text(encoding="utf-8"), re.MULTILINE)]
    seen, todo, libraries = set(), list(names), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        parts = name.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]  # a module's packages run first
        for imported in _top_imports(name):
            if imported.split(".")[0] == "starclass":
                todo.append(imported)
            elif imported != "__future__":
                libraries.add(imported)
    return names, sorted(libraries)


def _state_step(names: list[str], libraries: list[str], path: Path | None = None) -> str:
    """A step (tests/fork_probe.py) whose result is ``[module, what]`` of each change an import of ``names`` made."""
    return f"NAMES = {names!r}\nLIBRARIES = {libraries!r}\nPATH = {str(path) if path else ''!r}\n" + _STATE_STEP


# The global random states (python's, numpy's, torch's) after importing starclass, its public packages, and the
# modules that import scikit-learn at their tops: scikit-learn imports rich, and rich.style draws 24 bits from
# python's generator as it is first imported, whoever imports it (starclass.quiet_import). Each module
# that imports scikit-learn is imported in a step of its own: once rich is loaded, no later import shows it.
_RANDOM_STEP = r"""
import importlib, random, sys
import numpy as np
import torch

if PATH:
    sys.path.insert(0, PATH)


def states():
    kind, keys, pos, has_gauss, gauss = np.random.get_state()
    return {"python random": repr(random.getstate()), "numpy random": repr((keys.tolist(), pos, has_gauss, gauss)),
            "torch random": torch.random.get_rng_state().tolist()}


random.seed(5); np.random.seed(5); torch.manual_seed(5)  # a notebook's seeds
changed, before = [], states()
for name in NAMES:
    importlib.import_module(name)
    after = states()
    changed += [[name, k] for k in after if after[k] != before[k]]
    before = after
result = {"changed": changed, "rich loaded": "rich" in sys.modules}
"""


def _random_step(names: list[str], path: Path | None = None) -> str:
    """A step whose result is ``[module, which state]`` of each move an import of ``names`` made, and whether rich
    was loaded by the end."""
    return f"NAMES = {names!r}\nPATH = {str(path) if path else ''!r}\n" + _RANDOM_STEP


def _public_packages() -> list[str]:
    return ["starclass", *sorted(f"starclass.{p.parent.name}" for p in (SRC / "starclass").glob("*/__init__.py")
                                 if not p.parent.name.startswith("_"))]


#: the modules that import scikit-learn at their tops; each moved python's random on the old code (rich.style's
#: getrandbits at its first import)
_SKLEARN_MODULES = ["starclass.learn.crossval", "starclass.learn.cutouts", "starclass.models.baselines",
                    "starclass.evaluate.groups"]


@pytest.fixture(scope="module")
def probed(tmp_path_factory) -> dict:
    """Every check of this file but the slow one, each a step of one interpreter (tests/fork_probe.py): nine
    interpreters, each importing numpy and torch, until 2026-12-07."""
    here = tmp_path_factory.mktemp("probe")
    # modules of the probe's own checks: each changes what its step watches, so that the probe is seen to fail
    (here / "sets_errors.py").write_text("import numpy as np\nnp.seterr(all='ignore')\n")
    (here / "adds_a_filter.py").write_text("import warnings\nwarnings.simplefilter('always', UserWarning)\n")
    (here / "draws.py").write_text("import random\nrandom.random()\n")
    steps = {"scipy modules": _state_step(*_modules(only_scipy=True)),
             "state probe": _state_step(["sets_errors", "adds_a_filter"], [], here),
             "packages": _random_step(_public_packages()),
             **{name: _random_step([name]) for name in _SKLEARN_MODULES},
             "drawing-free": _random_step(list(_DRAWING_FREE)),
             "random probe": _random_step(["draws"], here)}
    # the libraries the scipy modules import, loaded once (the state step loads them before its first look anyway);
    # none of them loads rich or scikit-learn, which the random steps are to load first
    return run_steps(steps, (*PRELOAD, *_loadable(_modules(only_scipy=True)[1])), fresh=_DRAWING_LIBRARIES)


def _loadable(names: list[str]) -> list[str]:
    """The names of ``names`` that are modules ('from scipy import fft' lists ``scipy.fft`` and also names that
    are not)."""
    import importlib.util

    out = []
    for name in names:
        try:
            if importlib.util.find_spec(name) is not None:
                out.append(name)
        except (ImportError, ValueError):
            pass
    return out


@needs_fork
def test_the_modules_that_import_scipy_leave_the_state_alone(probed):
    names, libraries = _modules(only_scipy=True)
    assert "starclass.detect.find" in names and len(names) >= 5, names  # the probe found them
    assert "scipy.ndimage" in libraries and "astropy.table" in libraries, libraries
    assert result_of(probed, "scipy modules") == []


@pytest.mark.slow  # every module: about a minute on the shared machine
def test_no_module_changes_the_state_on_import():
    assert result_of(run_steps({"every module": _state_step(*_modules(only_scipy=False))}, PRELOAD),
                     "every module") == []


@needs_fork
def test_the_probe_sees_a_change(probed):
    """A module that sets numpy's error handling or adds a warning filter at its import is named: the probe can fail."""
    assert result_of(probed, "state probe") == [["sets_errors", "numpy errors"], ["adds_a_filter", "warning filters"]]


@needs_fork
def test_importing_starclass_and_its_packages_leaves_the_random_states(probed):
    names = _public_packages()
    assert "starclass.learn" in names and "starclass.evaluate" in names and len(names) >= 15, names
    assert result_of(probed, "packages")["changed"] == []


@needs_fork
@pytest.mark.parametrize("name", _SKLEARN_MODULES)
def test_a_module_that_imports_scikit_learn_leaves_the_random_states(probed, name):
    # on the old code each moved python's random on (rich.style's getrandbits at its first import)
    got = result_of(probed, name)
    assert got["rich loaded"], f"{name} no longer loads rich: the check shows nothing (pick another module)"
    assert got["changed"] == []


@needs_fork
def test_sklearn_exceptions_loads_no_rich(probed):
    assert result_of(probed, "drawing-free") == {"changed": [], "rich loaded": False}


@needs_fork
def test_the_random_probe_sees_a_change(probed):
    assert result_of(probed, "random probe")["changed"] == [["draws", "python random"]]


#: Libraries that draw from a global generator as they are first imported (rich), or import one that does
_DRAWING_LIBRARIES = ("sklearn", "crepes", "rich")
#: Their modules that load none of it, imported bare: starclass.errors (a core module, which imports no
#: starclass.learn) takes scikit-learn's NotFittedError from them (test_sklearn_exceptions_loads_no_rich)
_DRAWING_FREE = ("sklearn.exceptions",)


def _in_quiet_import(node: ast.AST, parents: dict) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.With) and any(isinstance(item.context_expr, ast.Call)
                                              and getattr(item.context_expr.func, "id", None) == "quiet_import"
                                              for item in node.items):
            return True
    return False


def test_every_import_of_a_library_that_draws_is_inside_quiet_import():
    """Each import of scikit-learn, crepes or rich in the library (not the command line's process) keeps the states.

    On the old code 21 imports (learn.crossval, .cutouts, .estimator, models.baselines, evaluate's metrics, curves,
    groups and reliability, suggest.typical, simulate.calibration, science ...) were bare."""
    bare, seen = [], 0
    for path in sorted((SRC / "starclass").rglob("*.py")):
        if path.relative_to(SRC / "starclass").parts[0] == "cli":
            continue  # a command's own process: no notebook's seeds to keep, and the CLI's start loads no numpy
        text = path.read_text(encoding="utf-8")
        if not re.search(rf"\b({'|'.join(_DRAWING_LIBRARIES)})\b", text):
            continue  # not a word of them (most of the package): walking every file took 8 s on the shared machine
        tree = ast.parse(text)
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            if any(n.split(".")[0] in _DRAWING_LIBRARIES and n not in _DRAWING_FREE for n in names):
                seen += 1
                if not _in_quiet_import(node, parents):
                    bare.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert seen >= 15, seen  # the walk found the library's imports
    assert bare == []
