"""``python -m starclass ...`` and the ``starclass`` console script: the CLI inside a Ctrl-C guard.

Useful where the script is not on ``PATH`` (a venv not activated, ``PYTHONPATH`` on a
checkout) and to be sure which interpreter runs the commands.

Importing the CLI (typer, astropy, numpy) takes a second or two; a Ctrl-C in that time
arrived before any command's handler and printed a ``KeyboardInterrupt`` traceback. Nothing
has been read or written yet then, so one line and exit status 130 (as a command stopped by
Ctrl-C) say all there is.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Run the CLI; a Ctrl-C while it is still being imported exits 130 with one line.

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
    cli_main()


if __name__ == "__main__":
    main()
