"""Warnings at a terminal are wrapped to its width; in a log each line stays whole.

Before: the SED check's warning (``sed_offset_warnings``) had detail lines of 150-300 characters,
printed as they were, off the terminal's edge.
"""

from __future__ import annotations

import io

from astropy.table import Table

from starclass.cli._app import show_warning
from starclass.science.sedcheck import sed_offset_warnings


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _sed_warning() -> str:
    off = Table({"band": ["f438w", "f814w"], "n": [1190, 1190], "offset": [-0.19, 0.42], "scatter": [0.1, 0.1],
                 "ab_minus_vega": [-0.12, 0.448], "exceeds": [False, True], "ab_like": [True, True]},
                meta={"v_band": "f555w", "tolerance": 0.3, "match": 0.1, "min_log_age": 7.0})
    return sed_offset_warnings(off, "ngc1566", "ev/tables/sed_offsets_ngc1566.ecsv")[0]


def test_the_sed_warning_is_wrapped_to_the_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    text = _sed_warning()
    assert max(len(line) for line in text.splitlines()) > 100  # the case: lines wider than the terminal
    out = _Terminal()
    show_warning(text, UserWarning, "x.py", 1, file=out)
    lines = out.getvalue().splitlines()
    assert lines and max(len(line) for line in lines) <= 100, lines
    assert " ".join(out.getvalue().split()) == " ".join(f"warning: {text}".split())  # every word, in order
    assert all(line.startswith("  ") for line in lines[1:])  # the folds and the details indented under the head


def test_a_log_keeps_each_line_whole(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    text = _sed_warning()
    out = io.StringIO()  # no terminal: a file, a pipe
    show_warning(text, UserWarning, "x.py", 1, file=out)
    assert out.getvalue() == f"warning: {text}\n"
