"""Checks that need a fresh interpreter each, run in one: the probe loads the heavy libraries once, then forks.

A first import (rich's draw from python's ``random``, numba's threads, crepes' warning filter) shows only in a
process that has not made it yet, so each such check had an interpreter of its own, and each paid for starting
python and importing numpy and torch (about 6-9 s apiece on the shared 2-core machine, most of these tests'
cost). :func:`run_steps` starts one interpreter, imports the ``preload`` libraries there, and runs each step in
a child forked from it: the child has those libraries and no other module of the step's (no starclass, no
scikit-learn, no rich), as a fresh session that imported numpy and torch first has, and what one step imports
never reaches the next. A step is python code that sets ``result`` (JSON); what it raises is its result too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

#: fork (POSIX) is what shares the loaded libraries: elsewhere these checks are skipped, by name
needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="the probe forks a child per step (POSIX only)")

_PROBE = r"""
import importlib, json, os, sys, traceback

for name in json.loads(sys.argv[2]):  # shared by every step: loaded before any fork
    importlib.import_module(name)
loaded = [m for m in json.loads(sys.argv[3]) if m in sys.modules]
assert not loaded, f"the preloaded modules loaded {loaded}, which the steps are to load first"
sys.stdout.flush()
out = {}
for name, code in json.loads(sys.argv[1]):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the step, in a process of its own
        os.close(r)
        try:
            scope = {"__name__": "__step__"}
            exec(compile(code, f"<step {name}>", "exec"), scope)
            got = {"result": scope.get("result")}
        except BaseException:
            got = {"error": traceback.format_exc()[-3000:]}
        with os.fdopen(w, "w") as f:
            f.write(json.dumps(got))
        os._exit(0)  # no atexit handler, no flush of the parent's buffers a second time
    os.close(w)
    with os.fdopen(r) as f:
        data = f.read()
    _, status = os.waitpid(pid, 0)
    out[name] = json.loads(data) if data else {"error": f"the step's process ended without a result ({status})"}
print(json.dumps(out))
"""


def run_steps(steps: dict[str, str], preload: tuple[str, ...] = ("numpy", "torch"), *,
              fresh: tuple[str, ...] = (), path: Path | None = None, timeout: int = 900) -> dict[str, Any]:
    """Each step's ``result``, or ``{"error": traceback}``, keyed by its name; one interpreter for all.

    ``fresh``: modules the steps are to load first (rich, scikit-learn): the probe fails where ``preload`` loaded
    one of them. ``path`` goes on the interpreter's PYTHONPATH after starclass's ``src`` (a test's own modules).
    """
    env = dict(os.environ, OMP_NUM_THREADS="1",
               PYTHONPATH=os.pathsep.join([str(SRC), *([str(path)] if path else []),
                                           os.environ.get("PYTHONPATH", "")]))
    res = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(list(steps.items())), json.dumps(list(preload)),
                          json.dumps(list(fresh))],
                         env=env, capture_output=True, text=True, timeout=timeout)
    assert res.returncode == 0, res.stderr[-3000:]
    return json.loads(res.stdout.splitlines()[-1])


def result_of(results: dict[str, Any], name: str) -> Any:
    """The ``result`` of step ``name``; the test fails with the step's traceback where it raised."""
    got = results[name]
    if "error" in got:
        pytest.fail(f"step {name} raised:\n{got['error']}")
    return got["result"]
