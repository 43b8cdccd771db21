"""``python -m starclass ...`` and the ``starclass`` console script: the CLI inside a Ctrl-C guard.

Useful where the script is not on ``PATH`` (a venv not activated, ``PYTHONPATH`` on a
checkout) and to be sure which interpreter runs the commands.

Importing the CLI (typer, astropy, numpy) takes a second or two; a Ctrl-C in that time
arrived before any command's handler and printed a ``KeyboardInterrupt`` traceback. Nothing
has been read or written yet then, so one line and exit status 130 (as a command stopped by
Ctrl-C) say all there is.

Once the command has returned, :func:`starclass.cli.settle_before_exit` spares the interpreter's
teardown its repeated garbage collections (seconds after a torch command); it runs here, in the
process's own entry point, and not in :func:`starclass.cli.main`, which tests and notebooks call
in a process that goes on.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Run the CLI; a Ctrl-C while it is still being imported exits 130 with one line.

    The process is about to end when the command returns: what is left is frozen out of the
    teardown's garbage collections (:func:`starclass.cli.settle_before_exit`).

    Examples
    --------
    >>> from starclass.__main__ import main
    >>> callable(main)
    True
    """
    try:
        from starclass.cli import main as cli_main
    except KeyboardInterrupt:
        print("error: interrupted by Ctrl-C (SIGINT) while starting; nothing was read or written",
              file=sys.stderr)
        raise SystemExit(130) from None
    try:
        cli_main()
    finally:
        from starclass.cli import settle_before_exit

        settle_before_exit()


if __name__ == "__main__":
    main()
