"""docs/safety.md's refusals are what the commands print.

The page shows commands (``$ starclass ...``) and the ``error:`` line each gives. ``evaluate pred.ecsv -o .``
was shown answering ``--out . contains ...``, where the command names the option by its long name,
``--output``: a user who searched the page for the line they got did not find it. Each pair is run here, in
a folder holding the files the example names, and the line printed must be the page's.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.bands import BANDS
from starclass.cli import app
from starclass.io.mosaic import write_mosaic

PAGE = Path(__file__).resolve().parents[1] / "docs" / "safety.md"


def _examples() -> list[tuple[str, str]]:
    """``(command, error line)`` of each ``$ starclass ...`` line followed by an ``error:`` line."""
    lines = PAGE.read_text(encoding="utf-8").splitlines()
    return [(a[2:], b) for a, b in zip(lines, lines[1:]) if a.startswith("$ starclass ") and b.startswith("error:")]


def test_the_pages_refusals_are_printed_as_shown(tmp_path, monkeypatch):
    examples = _examples()
    assert len(examples) >= 2, examples
    monkeypatch.chdir(tmp_path)
    (tmp_path / "field").mkdir()
    for band in ("f555w", "f814w"):
        write_mosaic(tmp_path / "field" / f"ngc_{band}.fits", np.zeros((32, 32), np.float32), band, None,
                     photflam=BANDS[band].photflam, photplam=BANDS[band].photplam)
    Table({"id": [1, 2], "x": [3.0, 4.0], "y": [5.0, 6.0], "class_ref": [1, 2], "class_pred": [1, 1]}).write(
        tmp_path / "pred.ecsv")
    for command, shown in examples:
        words = shlex.split(command)[1:]
        res = CliRunner().invoke(app, words)
        assert res.exit_code == 2, (command, res.output)
        said = [line for line in res.output.splitlines() if line.startswith("error:")]
        assert said == [shown], (command, said, shown)
        assert not re.search(r"Traceback", res.output), res.output
