"""The typer application and the error handling every command shares."""

from __future__ import annotations

import functools
import sys

import typer

from starclass.errors import StarclassError

app = typer.Typer(
    name="starclass",
    help=(
        "starclass: multi-band images -> classified star-cluster catalogues.\n\n"
        "Stages: simulate -> detect -> cutouts -> train -> classify -> evaluate -> report; "
        "inspect serves a web page for human classification; demo runs it all on a "
        "synthetic galaxy. Pixel positions are 0-based throughout."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """starclass: multi-band images -> classified star-cluster catalogues."""


def command(name: str | None = None, **kwargs):
    """Register a command whose :class:`StarclassError` becomes a message and exit code 2."""

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kw):
            try:
                return func(*args, **kw)
            except StarclassError as exc:
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(code=2) from None

        return app.command(name, **kwargs)(wrapper)

    return decorator


def echo(message: str) -> None:
    """Print a line to stdout (kept in one place so commands can be quietened later)."""
    typer.echo(message)
    sys.stdout.flush()
