"""Command-line interface: a thin layer over the importable functions.

Each stage lives in its own module here (``<name>_cmd``); importing one registers its command on the
shared :data:`app`. They are imported on demand, only the command that runs
(:class:`starclass.cli._app.LazyCommands`; ``starclass --help`` lists them from
:data:`starclass.cli._app.COMMANDS` and imports none), and heavy libraries (torch, photutils) are
imported inside the commands, so that ``starclass --help`` and ``starclass X --help`` stay fast.
"""

from __future__ import annotations

import gc
import signal
import sys

from starclass.cli._app import PHASE, Terminated, app


def _exit_on_sigterm(signum: int, frame) -> None:
    """Turn SIGTERM into ``SystemExit`` (:class:`Terminated`) so ``finally`` blocks (atomic writes' clean-up) run.

    ``timeout``, Slurm and systemd stop a job with SIGTERM, whose default action ends the process
    at once and leaves hidden temporary files behind; 128 + 15 is the status a shell reports.
    """
    raise Terminated(128 + signum)


def settle_before_exit() -> int:
    """Collect the garbage now, then freeze the objects left, so the interpreter's teardown skips them.

    After a torch command the process holds some 400 000 objects in 3 000 modules; the teardown
    after the last line walks them in several full garbage collections (2.5-3 s on a loaded
    machine, ``benchmarks/exit_time.py``). One collection here still runs every finaliser of the
    garbage there is (files closed, workers joined); what is frozen is still alive, is freed by its
    reference count as the modules are cleared, and every ``atexit`` handler, the HDF5 library's
    included, still runs. Unlike ``os._exit`` nothing is skipped but the repeated walks.

    Returns
    -------
    int
        How many objects were frozen.

    Examples
    --------
    >>> import gc
    >>> from starclass.cli import settle_before_exit
    >>> settle_before_exit() > 0
    True
    >>> gc.unfreeze()  # a doctest's process goes on: give the objects back to the collector
    """
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


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
        raise


__all__ = ["app", "main", "settle_before_exit"]
