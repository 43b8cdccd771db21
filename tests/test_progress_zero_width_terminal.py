"""A bar on a terminal that says it is 0 x 0 (a bare ``script``, some CI runners' pseudo-terminals) is drawn.

tqdm asks the terminal its size and takes a column and a row less: -1 rows there, and it drew no bar at all,
only blank lines (``script -qc "starclass evaluate ..." log`` without a terminal around it: three empty lines
where the bootstrap's and the sections' bars were). Until 2026-12-06 every bar of
:class:`starclass.io.progress.Progress` was blank there; now it is drawn 80 columns wide. A terminal of a known
size keeps tqdm's own width.
"""

from __future__ import annotations

import os
import re
import sys

import pytest

from starclass.io.progress import FALLBACK_SIZE, Progress, bar_options_sized

pytestmark = pytest.mark.skipif(not sys.platform.startswith(("linux", "darwin")), reason="needs a POSIX pty")


def _drawn_on(columns: int, rows: int, monkeypatch) -> str:
    """What a 3-unit bar draws on stderr made a pty of ``columns`` x ``rows`` (tqdm asks the size of stderr only)."""
    import fcntl
    import select
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    with os.fdopen(slave, "w", encoding="utf-8") as terminal:
        with monkeypatch.context() as m:
            m.setattr(sys, "stderr", terminal)
            with Progress(3, desc="zero-width", noun="unit", show=True, mininterval=0) as bar:
                for _ in range(3):
                    bar.update(1)
    got = b""
    while select.select([master], [], [], 0.5)[0]:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # Linux: the slave side is closed and all was read
            break
        if not chunk:
            break
        got += chunk
    os.close(master)
    return got.decode("utf-8", errors="replace")


def test_a_bar_on_a_terminal_0_wide_is_drawn_80_columns_wide(monkeypatch):
    drawn = _drawn_on(0, 0, monkeypatch)
    redraws = [r for r in re.split(r"[\r\n]+", drawn) if r.strip()]
    assert any(r.startswith("zero-width: 100%|") and r.endswith("]") for r in redraws), repr(drawn)
    assert max(len(r) for r in redraws) <= FALLBACK_SIZE[0], repr(drawn)


def test_a_terminal_of_known_size_keeps_the_bar_width_tqdm_gives_it(monkeypatch):
    drawn = _drawn_on(120, 30, monkeypatch)
    final = [r for r in re.split(r"[\r\n]+", drawn) if r.startswith("zero-width: 100%|")]
    assert final and len(final[-1]) == 119, repr(drawn)  # tqdm: one column less than the terminal


def test_options_are_changed_only_for_a_terminal_without_a_size():
    import io
    import pty

    assert bar_options_sized({"dynamic_ncols": True}, io.StringIO()) == {"dynamic_ncols": True}
    master, slave = pty.openpty()
    try:
        import fcntl
        import struct
        import termios

        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 0, 0, 0, 0))
        with os.fdopen(os.dup(slave), "w") as terminal:
            sized = bar_options_sized({"dynamic_ncols": True, "nrows": 5}, terminal)
        # the width and no resizing (tqdm would ask the size again at each redraw); the caller's rows kept
        assert sized == {"dynamic_ncols": False, "ncols": FALLBACK_SIZE[0], "nrows": 5}
    finally:
        os.close(master)
        os.close(slave)
