"""The ``starclass`` console script: the CLI imported inside a Ctrl-C guard.

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
    >>> import starclass._entry as e
    >>> callable(e.main)
    True
    """
    try:
        from starclass.cli import main as cli_main
    except KeyboardInterrupt:
        print("error: interrupted by Ctrl-C (SIGINT) while starting; nothing was read or written",
              file=sys.stderr)
        raise SystemExit(130) from None
    cli_main()
