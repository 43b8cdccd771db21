"""Command-line interface: a thin layer over the importable functions.

Each stage lives in its own module here; importing them registers their commands on the
shared :data:`app`. Heavy libraries (torch, photutils) are imported inside the commands so
that ``starclass --help`` stays fast.
"""

from __future__ import annotations

import importlib

from starclass.cli._app import app

_COMMAND_MODULES = (
    "simulate", "detect", "info", "cutouts", "train", "classify",
    "evaluate", "report", "inspect", "demo",
)

for _name in _COMMAND_MODULES:
    importlib.import_module(f"starclass.cli.{_name}_cmd")


def main() -> None:
    """Entry point of the ``starclass`` console script."""
    app()


__all__ = ["app", "main"]
