"""Command-line interface: a thin layer over the importable functions.

Each stage lives in its own module here; importing them registers their commands on the
shared :data:`app`. Heavy libraries (torch, photutils) are imported inside the commands so
that ``starclass --help`` stays fast.
"""

from __future__ import annotations

import importlib
import signal
import sys

from starclass.cli._app import PHASE, Terminated, app

_COMMAND_MODULES = (
    "simulate", "detect", "info", "cutouts", "train", "classify", "calibrate",
    "evaluate", "report", "explain", "inspect", "demo", "survey", "suggest",
)

for _name in _COMMAND_MODULES:
    importlib.import_module(f"starclass.cli.{_name}_cmd")


def _exit_on_sigterm(signum: int, frame) -> None:
    """Turn SIGTERM into ``SystemExit`` (:class:`Terminated`) so ``finally`` blocks (atomic writes' clean-up) run.

    ``timeout``, Slurm and systemd stop a job with SIGTERM, whose default action ends the process
    at once and leaves hidden temporary files behind; 128 + 15 is the status a shell reports.
    """
    raise Terminated(128 + signum)


def main() -> None:
    """Entry point of the ``starclass`` console script.

    Installs the SIGTERM handler here, not at import, so that notebooks and servers importing
    starclass keep their own signal handling.
    """
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    PHASE["now"] = "parsing"
    try:
        app()
    except SystemExit as exc:
        # a command's own Ctrl-C handler has spoken ("running"); typer is silent about one
        # that arrives while the arguments are parsed or after the command returned
        if exc.code == 130 and PHASE["now"] == "parsing":
            print("error: interrupted by Ctrl-C (SIGINT) while starting; nothing was read or written",
                  file=sys.stderr)
        elif exc.code == 130 and PHASE["now"] == "finished":
            print("error: interrupted by Ctrl-C (SIGINT) after the command had finished; "
                  "its outputs are complete", file=sys.stderr)
        if exc.code is None or isinstance(exc.code, int):
            end_without_teardown(exc.code or 0)
        raise


def end_without_teardown(code: int) -> None:
    """End the process now, once a command that loaded torch has said its last line, without the interpreter's teardown.

    ``classify --tta`` of the 869 PAndAS cutouts said its ``next:`` line and then held the shell for 5-22 s
    (loaded machine) with nothing more to say: the interpreter's teardown after a command that imported torch
    (freeing its modules and the command's arrays; ``import torch`` alone took 2-3 s to end). The command's
    outputs are complete and closed by then (atomic writes). The ``atexit`` functions are run first (logging's
    flush, temporary folders' clean-up, multiprocessing's), the streams flushed, then :func:`os._exit`. Nothing
    is skipped where torch was not imported (those commands end at once), under a profiler or tracer
    (``python -m cProfile``, coverage: they write their results at teardown), or while a thread that is not a
    daemon still runs (the normal exit waits for it).

    Examples
    --------
    >>> import sys
    >>> "torch" in sys.modules or end_without_teardown(0) is None  # without torch: returns, the exit goes on
    True
    """
    import threading

    if "torch" not in sys.modules or sys.getprofile() is not None or sys.gettrace() is not None:
        return
    if any(t.is_alive() and not t.daemon and t is not threading.main_thread() for t in threading.enumerate()):
        return
    import atexit
    import os

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`): nothing more can be said there
            pass
    os._exit(code)


__all__ = ["app", "main"]
