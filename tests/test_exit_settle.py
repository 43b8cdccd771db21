"""The console script settles before the interpreter's teardown (:func:`starclass.cli.settle_before_exit`).

After a torch command the teardown walked ~400 000 objects in several full garbage collections, seconds between
the last line and the prompt (``benchmarks/exit_time.py``). The entry now collects once and freezes what is left;
what is garbage then is still finalised (files closed), and the command's output and exit status are unchanged.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

#: Runs ``python -m starclass ARGV`` as the console script does (runpy), with a finaliser-bearing cycle made
#: before it (automatic collections off, so only an explicit or the teardown's collection finalises it), and an
#: atexit handler (registered first: it runs last) that says whether the objects were frozen
CHILD = textwrap.dedent("""
    import atexit, gc, runpy, sys
    gc.disable()
    atexit.register(lambda: print("frozen:", gc.get_freeze_count() > 0, flush=True))

    class Cycle:
        def __del__(self):
            print("finalised", flush=True)

    c = Cycle(); c.me = c; del c
    sys.argv = ["starclass", *sys.argv[1:]]
    runpy.run_module("starclass", run_name="__main__", alter_sys=True)
""")


def _run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CHILD, *argv], capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1"})


def test_the_console_script_freezes_what_is_left_before_the_teardown() -> None:
    res = _run("info", "--help")
    assert res.returncode == 0, res.stderr[-2000:]
    assert "Usage" in res.stdout  # the command's output is all there
    assert res.stdout.strip().splitlines()[-1] == "frozen: True"


def test_garbage_is_still_finalised_and_a_refusal_keeps_its_status(tmp_path: Path) -> None:
    res = _run("info", str(tmp_path / "missing.ecsv"))
    assert res.returncode == 2
    assert "error" in res.stderr
    lines = res.stdout.strip().splitlines()
    assert "finalised" in lines  # the settle's collection ran the cycle's finaliser
    assert lines[-1] == "frozen: True"
