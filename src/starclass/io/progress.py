"""Progress of a long step: a tqdm bar for a person at a terminal, a few plain lines for a log file.

A bar redraws itself with carriage returns, which a log file (``> run.log 2>&1``, Slurm, nohup)
keeps as junk, so the command line draws bars only where stderr is a terminal. Without a bar a
long step said nothing until it ended; :class:`Progress` says it in a few timed lines instead,
on the :data:`LOGGER` logger, which the command line shows on stderr in that case only
(``starclass.cli._app.progress_lines``) and which the Python API leaves quiet (no handler).

Every step that shows progress takes ``progress``: True draws the bar, None writes the lines,
False shows nothing.

The lines came only when the count moved, so one unit that took longer than the log's patience (a
batch of a large model, a science check of ``report``) left it silent for as long: a daemon thread
of each step that writes lines says it is still working once :data:`STILL_WORKING_S` pass without a
line, until the step closes.
"""

from __future__ import annotations

import logging
import math
import os
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO, TypeVar

from starclass.errors import counted

#: The logger of the plain progress lines
LOGGER = "starclass.progress"
#: A line comes at most this often (seconds) ...
LINE_EVERY_S = 30.0
#: ... and only after this share of the work since the last one: whichever is rarer, so that a log
#: gets a dozen lines on a long step, never one a batch
LINE_EVERY_SHARE = 0.1
#: ... unless this many seconds have passed since the last line: a slow step (legus4's model took 9 min
#: for 10% of 40000 candidates) still says it is alive in a log someone is watching
LINE_AT_MOST_EVERY_S = 300.0
#: ... and while the count does not move, a "still working" line each this many seconds without a line
STILL_WORKING_S = 300.0

#: The attribute an interruption (``KeyboardInterrupt``, the CLI's SIGTERM ``SystemExit``) gets from the innermost
#: step it stopped: :meth:`Progress.where`, which the command's "error: stopped by SIGTERM ..." line names
STOPPED_DURING = "stopped_during"

#: The size of a bar (columns, rows) on a terminal that says it has none (0 x 0: ``script`` run without a terminal
#: around it, some CI runners' pseudo-terminals): tqdm took 0 - 1 columns and rows there and drew nothing at all
FALLBACK_SIZE = (80, 20)

T = TypeVar("T")


def on_terminal(stream: TextIO | None = None) -> bool:
    """Whether ``stream`` (default: stderr, where bars go) is a terminal, where a person watches a bar.

    Examples
    --------
    >>> import io
    >>> on_terminal(io.StringIO()), on_terminal(object())  # a file; something with no isatty
    (False, False)
    """
    stream = sys.stderr if stream is None else stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream: not a terminal
        return False


def bar_options_sized(options: dict[str, Any], stream: TextIO | None = None) -> dict[str, Any]:
    """``options`` of a tqdm bar on ``stream``, given a fixed size where its terminal says it is 0 wide or high.

    tqdm asks the terminal its size and takes one column and row less; a terminal of 0 x 0 (a bare
    ``script``, some CI runners) gave -1 rows, and tqdm then drew no bar at all, only blank lines. There the bar is
    drawn :data:`FALLBACK_SIZE` (80 columns) wide, and not resized as it goes (``dynamic_ncols`` would ask again).
    A stream that is no terminal, or one whose size is known, keeps ``options`` as given, as does a bar given its
    own ``ncols`` and ``nrows``.

    Parameters
    ----------
    options : dict
        The bar's tqdm options (``ncols``, ``nrows``, ``dynamic_ncols``, ``file`` ...).
    stream : file-like, optional
        Where the bar goes: ``options["file"]``, else stderr (tqdm's).

    Returns
    -------
    dict
        ``options``, with ``ncols``, ``nrows`` and ``dynamic_ncols=False`` where the terminal has no size.

    Examples
    --------
    >>> import io
    >>> bar_options_sized({"unit": "tile"}, io.StringIO())  # no terminal: as given
    {'unit': 'tile'}
    """
    if options.get("ncols") is not None and options.get("nrows") is not None:
        return options
    stream = options.get("file") or (sys.stderr if stream is None else stream)
    try:
        columns, rows = os.get_terminal_size(stream.fileno())
    except (AttributeError, ValueError, OSError):  # no file descriptor, or not a terminal: tqdm's own choice
        return options
    if columns > 1 and rows > 1:
        return options
    sized = dict(options, dynamic_ncols=False)
    for key, size in zip(("ncols", "nrows"), FALLBACK_SIZE):
        if sized.get(key) is None:
            sized[key] = size
    return sized


def say_step(text: str, show: bool | None, stream: TextIO | None = None) -> None:
    """One short line on stderr for a long step that has no count to draw a bar of, where bars are drawn.

    Only with ``show`` True (a person at a terminal): a log file gets the steps' timed lines
    (:class:`Progress`'s) instead, and ``False`` (``--no-progress``) nothing.

    Parameters
    ----------
    text : str
        What the step is doing, e.g. ``"evaluate: reading and pairing the catalogues ..."``.
    show : bool or None
        True: say it; None or False: say nothing.
    stream : file-like, optional
        Where to say it (default: stderr, where the bars go).

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> say_step("evaluate: reading ...", True, out); say_step("not said", None, out)
    >>> out.getvalue()
    'evaluate: reading ...\\n'
    """
    if show:
        stream = sys.stderr if stream is None else stream
        print(text, file=stream, flush=True)


def say_start(text: str, show: bool | None, stream: TextIO | None = None) -> None:
    """The first line of a command whose first counted line comes late: at a terminal and in a log file.

    :func:`say_step` says its line at a terminal only: a log file waited for the step's timed lines
    (:class:`Progress`), and a command that builds or loads for long before its first count said nothing
    there (``simulate ... > log 2>&1``: 30-40 s building the galaxy before ``render: 0 of 5 bands``,
    ``explain``: 76 s loading the model and classifying the stamps before its maps' first line, on a loaded
    machine). Here the line is said at a terminal as :func:`say_step` says it, and with ``show`` None as a
    timed INFO line on :data:`LOGGER`, which the command line shows in a log file and the Python API leaves
    quiet; ``False`` (``--no-progress``, ``--quiet``) says nothing.

    Parameters
    ----------
    text : str
        What the command is doing and for how many, e.g. ``"simulate: SIM-1, ...: building the galaxy ..."``.
    show : bool or None
        True: at a terminal (:func:`say_step`); None: a line on :data:`LOGGER`; False: nothing.
    stream : file-like, optional
        Where the terminal's line goes (default: stderr).

    Examples
    --------
    >>> import io, logging
    >>> out, log = io.StringIO(), logging.getLogger(LOGGER)
    >>> shown = logging.StreamHandler(out)
    >>> log.addHandler(shown); log.setLevel(logging.INFO)  # as the command line does for a log file
    >>> say_start("explain: loading ...", None); say_start("not said", False)
    >>> log.removeHandler(shown); log.setLevel(logging.NOTSET)
    >>> out.getvalue()
    'explain: loading ...\\n'
    """
    if show:
        say_step(text, show, stream)
    elif show is None:
        logging.getLogger(LOGGER).info("%s", text)


def stopped_during(exc: BaseException) -> str:
    """`` during <step> at <n> of <total> <units>`` for an interruption that stopped a step, else empty.

    Ctrl-C and SIGTERM were said as "error: stopped by SIGTERM; ..." whatever they stopped: the line now says
    which step and how far it had got, as its bar or last timed line showed it.

    Examples
    --------
    >>> try:
    ...     with Progress(40, desc="classify (legus4-compact, 1 member)", noun="candidate", show=False) as p:
    ...         p.update(8)
    ...         raise KeyboardInterrupt
    ... except KeyboardInterrupt as exc:
    ...     stopped_during(exc)
    ' during classify (legus4-compact, 1 member) at 8 of 40 candidates'
    >>> stopped_during(KeyboardInterrupt())  # stopped between steps
    ''
    """
    where = getattr(exc, STOPPED_DURING, None)
    return f" during {where}" if where else ""


def duration(seconds: float) -> str:
    """A duration as a log line says it: ``35 s``, ``4 min 10 s``, ``2 h 05 min``.

    Examples
    --------
    >>> duration(35.4), duration(250), duration(7500)
    ('35 s', '4 min 10 s', '2 h 05 min')
    """
    s = int(round(max(seconds, 0.0)))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


class Progress:
    """How far a step has got: a tqdm bar (``show`` True), timed INFO lines on :data:`LOGGER` (None), or nothing.

    The lines say ``<desc>: <n> of <total> <nouns> (<percent>%), <time>`` (between the first and the last,
    ``, about <time> left`` at the rate so far, as a bar shows it): one when the step starts,
    then at most one each :data:`LINE_EVERY_S` seconds and :data:`LINE_EVERY_SHARE` of the work
    (whichever is rarer), but at least one each :data:`LINE_AT_MOST_EVERY_S` seconds while the count
    moves, and one at the end. While it does not move, a daemon thread adds ``...; still working, no
    <noun> done for <time>`` each :data:`STILL_WORKING_S` seconds without a line (only where the
    lines are shown: the logger takes INFO); :meth:`close` stops it.

    Parameters
    ----------
    total : int or None
        How many units the step has (None: not known; the lines then say only the count).
    desc : str
        What the step is: the bar's label and the start of each line (``"detect"``).
    noun : str
        The unit, singular, for the lines (``"strip"``; plural with an s, unless ``plural`` says otherwise).
    show : bool or None
        True: the bar; None: the lines; False: neither.
    clock : callable, optional
        Seconds since some start (:func:`time.monotonic`); a test gives its own.
    logger : str
        The logger of the lines (default :data:`LOGGER`; the ``inspect`` server's pre-render says
        them on the server's own).
    still_working_only : bool
        Say none of the count's lines, only the "still working" ones: for a step of a few long units
        whose caller says each one itself (``report``'s science checks, by name).
    plural : str, optional
        The unit's plural where it is not ``noun`` + s (``"batches"``: train's lines said "batchs").
    **bar_options
        More tqdm options for the bar (``unit``, ``dynamic_ncols``).

    Examples
    --------
    >>> import logging, sys
    >>> log, shown = logging.getLogger(LOGGER), logging.StreamHandler(sys.stdout)
    >>> log.addHandler(shown); log.setLevel(logging.INFO)  # as the command line does for a log file
    >>> with Progress(3, desc="render", noun="band", show=None) as p:
    ...     p.update(3)
    render: 0 of 3 bands (0%), 0 s
    render: 3 of 3 bands (100%), 0 s
    >>> log.removeHandler(shown); log.setLevel(logging.NOTSET)
    """

    def __init__(self, total: int | None, *, desc: str, noun: str, show: bool | None,
                 clock: Callable[[], float] = time.monotonic, logger: str = LOGGER, still_working_only: bool = False,
                 plural: str | None = None, **bar_options: Any) -> None:
        self.total = None if total is None else int(total)
        self.desc = desc
        self.noun = noun
        self.plural = plural
        self.n = 0
        self._clock = clock
        self._logger = logger
        self._lines = show is None
        self._count_lines = self._lines and not still_working_only
        self._bar = None
        if show:
            from tqdm.auto import tqdm

            self._bar = tqdm(total=total, desc=desc, **bar_options_sized(bar_options))
        self._start = self._said_at = self._moved_at = clock()
        self._said_n: int | None = None
        self._still_said = False
        self._closed = False
        # the heartbeat and the step say lines from two threads: one at a time, none after close
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._heartbeat: threading.Thread | None = None
        if self._lines:
            if self._count_lines:
                self._say()
            if logging.getLogger(logger).isEnabledFor(logging.INFO):
                # a weak reference: a step never closed (its error kept in a traceback) ends the thread when
                # it is collected, and the thread never keeps it alive
                self._heartbeat = threading.Thread(
                    target=_still_working, args=(weakref.ref(self), self._stop, float(STILL_WORKING_S),
                                                 threading.current_thread()),
                    name=f"progress-{desc}", daemon=True)
                self._heartbeat.start()

    def _say(self, still: bool = False) -> None:
        now = self._clock()
        if self.total is None:
            done = counted(self.n, self.noun, self.plural)
        else:
            share = 100 if self.total == 0 else math.floor(100 * self.n / self.total)
            done = f"{self.n} of {counted(self.total, self.noun, self.plural)} ({share}%)"
        log = logging.getLogger(self._logger)
        if still:
            log.info("%s: %s, %s; still working, no %s done for %s", self.desc, done, duration(now - self._start),
                     self.noun, duration(now - self._moved_at))
            self._said_at, self._still_said = now, True
            return
        log.info("%s: %s, %s%s", self.desc, done, duration(now - self._start), self._left(now))
        self._said_at, self._said_n, self._still_said = now, self.n, False

    def _left(self, now: float) -> str:
        """``", about 1 h 05 min left"``: the time the rest takes at the rate so far; nothing at the start or end.

        A bar says it (tqdm's remaining time), a log line did not: ``train --task legus4`` on a CPU said ``1 of 330
        batches (0%), 1 min 57 s`` and left the 10 hours to come to the reader's arithmetic.
        """
        if not self.total or not 0 < self.n < self.total:
            return ""
        return f", about {duration((now - self._start) * (self.total - self.n) / self.n)} left"

    def _say_still_working(self, every: float) -> float:
        """The "still working" line, said if ``every`` seconds passed without a line or a unit done; seconds to wait."""
        with self._lock:
            if self._closed:
                return every
            # since the last line or the last unit done, whichever is later: a count that moves says its own lines
            waited = self._clock() - max(self._said_at, self._moved_at)
            if waited < every:
                return every - waited
            self._say(still=True)
            return every

    def update(self, n: int = 1) -> None:
        """Count ``n`` more units done (the bar moves; a line is said when one is due).

        Examples
        --------
        >>> p = Progress(10, desc="x", noun="item", show=False)
        >>> p.update(4); p.n
        4
        """
        self.n += int(n)
        if self._bar is not None:
            self._bar.update(n)
        if not self._lines:
            return
        now = self._clock()
        if n:
            self._moved_at = now
        if not self._count_lines:
            return  # the caller says each unit itself
        waited = now - self._said_at
        if waited >= LINE_AT_MOST_EVERY_S or waited >= LINE_EVERY_S and (
                self.total is None or self.n - (self._said_n or 0) >= LINE_EVERY_SHARE * self.total):
            with self._lock:
                if not self._closed:
                    self._say()

    def set_postfix(self, **values: Any) -> None:
        """Show ``values`` after the bar (the lines leave them out).

        Examples
        --------
        >>> Progress(2, desc="x", noun="item", show=False).set_postfix(loss="0.5")
        """
        if self._bar is not None:
            self._bar.set_postfix(**values)

    def where(self) -> str:
        """The step and how far it got, as an interruption names it: ``"render at 2 of 5 bands"``.

        Examples
        --------
        >>> p = Progress(5, desc="render", noun="band", show=False)
        >>> p.update(2); p.where()
        'render at 2 of 5 bands'
        >>> Progress(None, desc="detect", noun="strip", show=False).where()
        'detect at 0 strips'
        """
        if self.total is None:
            return f"{self.desc} at {counted(self.n, self.noun, self.plural)}"
        return f"{self.desc} at {self.n} of {counted(self.total, self.noun, self.plural)}"

    def close(self) -> None:
        """End the bar, or say the last line (how far the step got) if the count moved since the last one.

        The "still working" thread stops: it has ended, and said nothing more, once this returns. Closed by
        an interruption going by (Ctrl-C, SIGTERM), the step tells it where it was (:func:`stopped_during`).

        Examples
        --------
        >>> p = Progress(2, desc="x", noun="item", show=False)
        >>> p.close(); p.close()  # a second close does nothing
        """
        with self._lock:
            if self._closed:
                return
            stopped = sys.exc_info()[1]  # in the finally or __exit__ an interruption passes through
            if isinstance(stopped, (KeyboardInterrupt, SystemExit)) and not hasattr(stopped, STOPPED_DURING):
                # the innermost step closes first and is the one named; the command's line says it
                setattr(stopped, STOPPED_DURING, self.where())
            self._closed = True
            self._stop.set()
            if self._count_lines and (self.n != self._said_n or self._still_said):
                self._say()  # after a "still working" line, the end is said even where the count stayed
        beat = self._heartbeat
        if beat is not None and beat is not threading.current_thread():
            # it wakes on the stop event at once; joined, no thread of a closed step is left when this returns
            beat.join(5.0)
        if self._bar is not None:
            self._bar.close()

    def iterate(self, items: Iterable[T]) -> Iterator[T]:
        """Yield ``items``, counting each one done once the next is asked for; closes at the end.

        Examples
        --------
        >>> [b for b in Progress(2, desc="render", noun="band", show=False).iterate(["g", "r"])]
        ['g', 'r']
        """
        try:
            for item in items:
                yield item
                self.update(1)
        finally:
            self.close()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _still_working(ref: weakref.ref, stop: threading.Event, every: float, owner: threading.Thread) -> None:
    """The heartbeat thread of one :class:`Progress`: its "still working" lines, until it closes or is gone."""
    wait = every
    while not stop.wait(wait):
        progress = ref()
        if progress is None or not owner.is_alive():
            return  # collected unclosed, or its thread ended (an inspect server's pre-render): nobody works
        wait = max(progress._say_still_working(every), 0.01)
        del progress  # no strong reference while waiting
