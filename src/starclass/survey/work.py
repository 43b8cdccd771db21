"""What a Dask worker does with one tile: detect (or take given positions), classify, write.

:func:`run_tile` is the task. It opens the field's mosaics memory-mapped, cuts its window
(:class:`starclass.survey.tiles.MosaicWindow`), finds or measures candidates there, keeps those
whose centre lies in its core, classifies them with the model (loaded once per worker process
and kept, keyed by the model's digest: :func:`cached_model`) and writes its rows to one Parquet
file atomically, with the tile's digest in the file's metadata. A tile whose file exists with
the same digest is done (:func:`tile_done`): a rerun skips it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import resource
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from astropy.table import Table

from starclass.errors import StarclassError, counted
from starclass.io.atomic import atomic_path
from starclass.io.mosaic import Mosaics, PixelFlags
from starclass.schema import FIELD, ID, TILE, X, Y, mag_col, magerr_col, masked_frac_col, prob_col
from starclass.survey.tiles import MosaicWindow, Tile, in_core

if TYPE_CHECKING:
    import pyarrow as pa
    import torch

    from starclass.learn.checkpoint import LoadedModel

#: Key of the tile digest in the Parquet file's metadata.
DIGEST_KEY = b"starclass_tile_digest"
#: Key of the warnings handed over with the tile (JSON list of ``warning: ...`` lines) in its file's metadata:
#: a resumed survey reuses the file and says them again (:func:`tile_notes`).
NOTES_KEY = b"starclass_tile_notes"
#: Key of the stamps of the files a tile read that its digest does not hold (weight maps in files of their own)
#: in its file's metadata (JSON: real path -> ``[size, mtime_ns]``): a rerun redoes a tile whose recorded file
#: differs from today's (:func:`tile_state`); a tile made before it was recorded (none) is kept as it is.
INPUTS_KEY = b"starclass_tile_inputs"
#: Column flagging rows whose centre is in the tile's own core (detection keeps a guard band
#: beyond it for the merge to reconcile; see :func:`starclass.survey.merge.reconcile`).
IN_CORE = "_in_core"
#: Column carrying the input row of a given position, so the merged catalogue keeps its order.
ORDER = "_order"

_MODELS: dict[tuple[str, str], Any] = {}
_MOSAICS: dict[tuple[str, ...], Any] = {}
#: Each entry of ``_MOSAICS``: its files (images, weight maps, mask files) -> their stamps (size, mtime, inode)
#: when it was read (see :func:`_mosaics`).
_STAMPS: dict[tuple[str, ...], dict[str, tuple[int, ...]]] = {}
_LOCK = threading.Lock()
#: How many times this process loaded a model (the survey test checks it is once per worker).
MODEL_LOADS = {"n": 0}


@dataclass(frozen=True)
class TileJob:
    """Everything a worker needs for one tile (picklable; sent to the worker).

    Attributes
    ----------
    field
        Field name.
    tile
        The tile (core and window).
    shape
        ``(ny, nx)`` of the whole mosaic.
    mosaics
        The field's mosaic paths (band -> file).
    model, model_digest
        Model directory and its digest (the worker cache key).
    photometry
        ``growth``, ``ci``, ``none`` or ``skip``.
    batch_size
        Classification batch.
    positions
        Given positions in the tile's window (whole-image ``x``, ``y``; every column of the
        catalogue plus :data:`ORDER`), or None to detect.
    guard
        Detection: rows up to this far (px) outside the core are kept, flagged not in core.
    output
        The tile's Parquet file.
    digest
        Digest of its inputs, model and settings.
    device
        Torch device (None: CUDA if present).
    threads
        Torch threads of the task.
    fail
        Raise instead of working (fault injection for the restart tests).
    pixel_flags
        The plan's mask and DQ extensions to apply (:class:`starclass.io.mosaic.PixelFlags`), or None.
    magsys
        ``vega`` or ``ab``: the system of the zeropoints, and of the magnitudes.
    photon_counts
        Band -> whether the field's whole mosaic is read as photon counts (the same for every tile),
        or None to let the tile decide on its window.
    padding_sides
        Band -> side (px) of the squares of zeros read as padding in the field's weight-less bands
        (:meth:`starclass.io.MosaicSet.padding_side`, decided on the whole mosaic), or None to let
        each worker decide it.
    apcorr_psf
        The PSF of the aperture corrections decided on the field's whole mosaic (:func:`field_psf`),
        or None to let the tile estimate it on its window.
    client_pid
        Process id of the survey's client: a task run in another process prints its warnings as
        ``warning: ...`` (:func:`print_warnings_as_lines`), or None to leave them as they are.
    survey
        A token of this run of the survey (every job of one run has the same): a worker hands each
        warning text to each survey once, not once for its whole life (:func:`print_warnings_as_lines`).
    field_notes
        The warnings the field's PSF task handed over (the survey printed them): kept in the tile's file
        with its own, so that a resumed survey whose field has no tile left to run says them again.
    inputs
        Real path -> ``(size, mtime_ns)`` of every file the field's tiles read (band images, their weight
        maps and mask files: :func:`input_files`) as the survey's plan check found them, or None: a tile
        refuses a file that differs (:func:`check_inputs`, and as its window is read), where it read a
        weight map replaced during the run without a word.
    recorded
        Real path -> ``(size, mtime_ns)`` of the files the tile reads that its digest does not hold (weight
        maps in files of their own), or None: kept in the tile's file (:data:`INPUTS_KEY`), so that a rerun
        redoes a tile whose weight map was replaced between two runs (:func:`tile_state`).

    Examples
    --------
    Made by :func:`starclass.survey.run.prepare`, one per tile:

    >>> job = TileJob("north", Tile(0, 1, core=(100, 200, 0, 100), window=(68, 232, 0, 132)), (4096, 4096),
    ...               {"f555w": "north/f555w.fits"}, "model", "abc123", "growth", 256, None, 4.0,
    ...               "tiles/north_r000_c001.parquet", "d1g35t")
    >>> job.tile.name, job.magsys, job.positions is None  # None: the worker detects
    ('r000_c001', 'vega', True)
    """

    field: str
    tile: Tile
    shape: tuple[int, int]
    mosaics: dict[str, str]
    model: str
    model_digest: str
    photometry: str
    batch_size: int
    positions: Any
    guard: float
    output: str
    digest: str
    device: str | None = None
    threads: int = 1
    fail: bool = False
    pixel_flags: Any = None
    magsys: str = "vega"
    photon_counts: Any = None
    apcorr_psf: Any = None
    padding_sides: Any = None
    client_pid: int | None = None
    survey: str | None = None
    field_notes: tuple[str, ...] = ()
    inputs: Any = None
    recorded: Any = None

    @property
    def key(self) -> str:
        """``<field>/<tile>``: how failures are reported.

        Examples
        --------
        >>> job = TileJob("north", Tile(0, 1, core=(100, 200, 0, 100), window=(68, 232, 0, 132)), (4096, 4096),
        ...               {"f555w": "north/f555w.fits"}, "model", "abc123", "growth", 256, None, 4.0,
        ...               "tiles/north_r000_c001.parquet", "d1g35t")
        >>> job.key
        'north/r000_c001'
        """
        return f"{self.field}/{self.tile.name}"

    @property
    def task_key(self) -> str:
        """The tile's Dask task key: its name, its digest and the file it writes.

        The scheduler takes a task whose key it already holds as that task: two surveys of one plan
        into two folders, at once on one cluster (two clients of a shared scheduler, or two threads
        of one), had the same keys, so one survey's tiles were written into the other's folder only
        and its merge ended on ``FileNotFoundError``. The output file (made absolute here, on the
        client: two working folders give two files) tells them apart; one survey's keys stay the
        same from run to run.

        Examples
        --------
        >>> job = TileJob("north", Tile(0, 1, core=(100, 200, 0, 100), window=(68, 232, 0, 132)), (4096, 4096),
        ...               {"f555w": "north/f555w.fits"}, "model", "abc123", "growth", 256, None, 4.0,
        ...               "/runs/a/tiles/north/r000_c001.parquet", "d1g35t")
        >>> from dataclasses import replace
        >>> other = replace(job, output="/runs/b/tiles/north/r000_c001.parquet")
        >>> job.task_key.startswith("tile-north/r000_c001-"), job.task_key == other.task_key
        (True, False)
        """
        where = hashlib.sha256(f"{self.digest}\0{os.path.abspath(self.output)}".encode()).hexdigest()[:16]
        return f"tile-{self.key}-{where}"


def cached_model(path: str, digest: str, device: str | torch.device) -> LoadedModel:
    """The loaded model for ``digest`` on ``device``, loaded at most once per process.

    Parameters
    ----------
    path
        Model directory.
    digest
        :func:`starclass.survey.plan.model_digest` of it (the cache key: a retrained model in
        the same folder is a new entry).
    device
        Torch device.

    Returns
    -------
    starclass.learn.checkpoint.LoadedModel

    Examples
    --------
    >>> cached_model.__name__
    'cached_model'
    """
    from starclass.learn.checkpoint import load_model

    key = (digest, str(device))
    with _LOCK:  # threads of one worker share the cache; load under the lock so it happens once
        if key not in _MODELS:
            _MODELS[key] = load_model(path, device=device)
            MODEL_LOADS["n"] += 1
        return _MODELS[key]


def _mosaics(paths: dict[str, str], need_zeropoint: bool, flags=None, magsys: str = "vega",
             padding_sides: dict[str, int] | None = None):
    from starclass.io.mosaic import read_mosaics

    key = tuple(sorted(paths.items())) + (str(need_zeropoint), repr(flags), magsys)
    with _LOCK:
        if key in _MOSAICS and _file_stamps(dict(enumerate(_STAMPS.get(key, {})))) != tuple(
                _STAMPS.get(key, {}).values()):
            # a mosaic, weight map or mask file truncated (or rewritten) in place while the survey ran: reading its
            # mapped pixels past the new end killed the worker with SIGBUS (the whole survey, thread workers), no
            # file named; read again, a truncated file is then refused naming it, as at the plan check
            del _MOSAICS[key]
        if key not in _MOSAICS:
            # memory-mapped: keeping a handful open per worker costs address space, not memory
            if len(_MOSAICS) > 8:
                _STAMPS.pop(next(iter(_MOSAICS)), None)
                _MOSAICS.pop(next(iter(_MOSAICS)))
            # the flags are applied by each tile's MosaicWindow, over its window only
            # the plan check said a missing V band once per field (survey.run._check_field), not each worker
            mos = read_mosaics(paths, require_zeropoint=need_zeropoint, pixel_flags=flags, apply_flags=False,
                               magsys=magsys, warn_v_band=False)
            files = [str(f) for f in input_files(mos, flags)]
            _MOSAICS[key] = mos
            _STAMPS[key] = dict(zip(files, _file_stamps(dict(enumerate(files))), strict=True))
        if padding_sides:
            # the survey's decision on the whole mosaic: each worker deciding it read a counts mosaic whole again
            _MOSAICS[key].padding_sides.update(padding_sides)
        return _MOSAICS[key]


def _device(job: TileJob):
    from starclass.learn.precision import pick_device

    if job.device is not None:
        return pick_device(job.device)
    import torch

    n_gpu = torch.cuda.device_count()
    if n_gpu == 0:
        return torch.device("cpu")
    # one worker per GPU: worker i drives GPU i (LocalCluster names its workers 0..n-1)
    try:
        from distributed import get_worker

        name = get_worker().name
        index = int(name) if str(name).isdigit() else abs(hash(name))
    except (ImportError, ValueError):
        index = 0
    return torch.device(f"cuda:{index % n_gpu}")


#: (survey, warning text) this worker process has taken for that survey (each text once per survey: a worker of a
#: long-lived cluster, ``dask worker`` under ``--scheduler``, runs survey after survey).
_SHOWN: set[tuple[str | None, str]] = set()
#: The warnings of this worker process's tasks, (survey, thread, text), held for the client (each task's result
#: hands over those its own thread raised): each worker printed them once, so a warning of every tile (a field's
#: positions, the mosaics' pixel scale) was printed twice with two workers and 64 times with 64. By thread: with
#: two threads a tile took the warning of the tile beside it after its own file was written, and neither file kept it.
_FOR_CLIENT: list[tuple[str | None, int, str]] = []
_FOR_CLIENT_LOCK = threading.Lock()  # a worker of several threads runs several tiles at once
#: The survey of the task this thread runs (:attr:`TileJob.survey`), set by :func:`print_warnings_as_lines`.
_TASK = threading.local()


#: What a library warning's remedy says of conformal sets' coverage on the command line (errors.cli_words), and
#: what the survey says instead: its sets are classify's at the default 0.9, with no setting of its own
_COVERAGE_CLI = "(classify --coverage)"
_COVERAGE_SURVEY = "(classify --coverage, on a field: the survey's sets are at 0.9, with no setting of their own)"


def warning_line(message: Warning | str, category: type[Warning]) -> str:
    """A tile's warning as the survey prints it: the words and form of every command's ``warning:`` lines.

    A warning of starclass's own category (:class:`starclass.errors.StarclassWarning`) reads as the other
    commands print it (``cli._app.show_warning``): no category name, and the command line's words for a
    notebook's remedy (:func:`starclass.errors.cli_words`). A process worker's warnings said
    ``warning: (ConformalSetsWarning) ... (starclass.learn.calibration.calibrate_model(...)), or ask for a
    coverage of at most 0.79 (the coverage argument of CNNClassifier.predict_set or
    learn.classify.trust_columns)`` until 2026-12-07: a Python call in a command's output.

    Examples
    --------
    >>> from starclass.errors import CALIBRATE_MORE_PYTHON, ConformalSetsWarning
    >>> warning_line(f"too few rows; calibrate it ({CALIBRATE_MORE_PYTHON})", ConformalSetsWarning)
    "warning: too few rows; calibrate it ('starclass calibrate')"
    >>> warning_line("old option", DeprecationWarning)
    'warning: (DeprecationWarning) old option'
    """
    from starclass.errors import StarclassWarning

    kind = "" if category is UserWarning or issubclass(category, StarclassWarning) else f"({category.__name__}) "
    return f"warning: {kind}{survey_words(message)}"


def survey_words(message: Warning | str) -> str:
    """A tile's warning text in the survey's words: the command line's remedies, the survey's coverage note.

    The one wording of both kinds of worker: a process worker's lines (:func:`warning_line`) and the
    warnings a thread worker in the client's own process shows as they are raised (:func:`_keep_in_tasks`),
    which said ``(classify --coverage)`` without the survey's note until 2026-12-07.

    Examples
    --------
    >>> survey_words("ask for a coverage of at most 0.8 (classify --coverage)").split(" (")[1]
    "classify --coverage, on a field: the survey's sets are at 0.9, with no setting of their own)"
    """
    from starclass.errors import cli_words

    return cli_words(str(message)).replace(_COVERAGE_CLI, _COVERAGE_SURVEY)


def _print_warning(message, category, filename, lineno, file=None, line=None) -> bool:
    """``warning: message`` on stderr, once per text, as the command line prints warnings.

    Deduplicated here, not with a ``"once"`` filter: the filters change (``catch_warnings``
    in the libraries a tile calls) between tiles, which empties Python's once-registry.
    Each is handed to the client instead (:func:`run_tile`'s ``notes``), which prints each text once for
    the whole survey; a task that fails prints those still held (:func:`_held_or_print`). Returns whether
    the text is new to this process's share of the survey.
    """
    # keyed by the survey: a worker that outlives a survey (dask worker under --scheduler) took each text once for
    # its whole life, and the next survey of the same fields or mosaics never said it
    entry = (getattr(_TASK, "survey", None), warning_line(message, category))
    with _FOR_CLIENT_LOCK:
        if entry in _SHOWN:
            return False
        _SHOWN.add(entry)
        _FOR_CLIENT.append((entry[0], threading.get_ident(), entry[1]))
        return True


def _keep_in_tasks(shown: Callable[..., None]) -> Callable[..., None]:
    """``shown`` (the caller's ``warnings.showwarning``), which also keeps what a thread worker's task raises.

    Thread workers run the tiles in the caller's own process, whose warnings stay the caller's (shown by
    ``shown``, seen by its filters and ``catch_warnings``); a task's are kept as well, as a process worker
    keeps them (:func:`_print_warning`), for the tile's file, and shown once per text for the survey, as
    the survey prints a process worker's. Until 2026-12-06 they were shown only, once per tile (16 times the
    same positions warning for a field of 16 tiles: the tiles' ``catch_warnings`` empty Python's registry),
    and a resumed survey could not say again the warnings of the tiles it reused.
    """
    def show(message, category, filename, lineno, file=None, line=None) -> None:
        # a tile's task runs in this thread, not the caller's own code: kept, and said once for the survey
        if getattr(_TASK, "keeping", False):
            if not _print_warning(message, category, filename, lineno, file, line):
                return
            # shown in the words the file keeps and a process worker prints (survey_words): the caller's hook
            # (the command line's) said "(classify --coverage)" of a survey, which has no coverage setting
            message = survey_words(message)
        shown(message, category, filename, lineno, file, line)

    show.starclass_keeps = True  # type: ignore[attr-defined]
    return show


def _held_notes() -> list[str]:
    """The warnings this thread raised for the client of its survey, taken: each is handed over once."""
    key = (getattr(_TASK, "survey", None), threading.get_ident())
    with _FOR_CLIENT_LOCK:  # a worker of several threads runs several tiles at once, maybe of two surveys
        notes = [text for s, t, text in _FOR_CLIENT if (s, t) == key]
        _FOR_CLIENT[:] = [e for e in _FOR_CLIENT if e[:2] != key]
    return notes


def _held_or_print(lines: bool) -> None:
    """Take the warnings held for the client, printing them where they are lines (a process worker).

    A failed task hands nothing over, and they may say why it failed; a thread worker's were shown as raised.
    """
    for text in _held_notes():
        if lines:
            print(text, file=sys.stderr, flush=True)


def warm_up(client_pid: int | None = None) -> int:
    """Import what a tile needs (torch, detection, classification) in this worker process.

    Run on every worker before the tiles (``client.run``), so the first tile of each worker
    does not pay seconds of imports and the tile phase measures the work alone.

    In a worker process of its own (its pid is not ``client_pid``) the tiles' warnings are
    printed as ``warning: message``, each text once per process: every tile of a survey
    printed the same calibration note with the library's file, line and source line (eight
    times for eight tiles). Thread workers in the client's process are left alone.

    Examples
    --------
    >>> warm_up() > 0
    True
    """
    import starclass.detect.find
    import starclass.detect.photometry
    import starclass.learn.classify  # noqa: F401

    print_warnings_as_lines(client_pid)
    return os.getpid()


def print_warnings_as_lines(client_pid: int | None, survey: str | None = None) -> bool:
    """In a worker process of its own (not ``client_pid``), print warnings as ``warning: ...`` lines.

    Called by every task, not only by :func:`warm_up` on the workers there at the start: a worker
    that joins later (the nanny's replacement of a worker that died, a batch job that starts after
    the first) printed the tiles' warnings in Python's format, with the library's file, line and
    source line. Returns whether this process prints them so.

    ``survey`` (:attr:`TileJob.survey`) is the run whose task this thread runs: each warning text is
    handed to each survey once. A worker of a cluster that outlives a survey (``dask worker`` under
    ``--scheduler``) handed a text over once for its whole life, and a second survey of the same
    fields said nothing of it.

    Examples
    --------
    >>> print_warnings_as_lines(None), print_warnings_as_lines(os.getpid())
    (False, False)
    """
    if client_pid is None:
        return False
    _TASK.survey = survey
    if os.getpid() == client_pid:
        # a thread worker in the client's own process: its warnings are the client's, shown as they are raised,
        # and kept for the tile's file too (keep_thread_warnings)
        with _FOR_CLIENT_LOCK:
            if not getattr(warnings.showwarning, "starclass_keeps", False):
                warnings.showwarning = _keep_in_tasks(warnings.showwarning)
        return False
    warnings.showwarning = _print_warning
    return True


@contextlib.contextmanager
def keep_thread_warnings(job: TileJob) -> Iterator[bool]:
    """Run a task of ``job``; yields whether its warnings are printed as lines by the client (a process worker).

    A thread worker (in the client's own process, ``job.client_pid``) shows them as they are raised and keeps
    their texts while the task runs (:func:`_keep_in_tasks`), so that its tile's file holds them as a process
    worker's does; the client does not print them again.

    Examples
    --------
    >>> job = TileJob("north", Tile(0, 0, core=(0, 64, 0, 64), window=(0, 64, 0, 64)), (64, 64), {}, "model",
    ...               "abc", "none", 64, None, 4.0, "t.parquet", "d1", client_pid=os.getpid(), survey="s1")
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     with keep_thread_warnings(job) as lines:
    ...         warnings.warn("edge")
    ...     _held_notes(), lines, [str(w.message) for w in caught]
    (['warning: edge'], False, ['edge'])
    """
    lines = print_warnings_as_lines(job.client_pid, job.survey)
    keeping = not lines and job.client_pid is not None
    _TASK.keeping = keeping
    try:
        yield lines
    finally:
        _TASK.keeping = False


def tile_done(path: str | os.PathLike, digest: str, recorded: dict[str, Any] | None = None) -> bool:
    """Whether ``path`` holds a finished tile with this ``digest``.

    Examples
    --------
    >>> tile_done("/nonexistent/tile.parquet", "abc")
    False
    """
    return tile_state(path, digest, recorded) == "done"


def tile_state(path: str | os.PathLike, digest: str, recorded: dict[str, Any] | None = None) -> str:
    """What ``path`` holds of a tile with this ``digest``: ``done``, ``missing``, ``damaged``, ``changed``, ``inputs``.

    ``damaged``: not a Parquet file that can be read (truncated, overwritten, a folder); ``changed``: a tile of
    another digest (the plan's inputs, model or settings have changed since it was made); ``inputs``: a tile of
    this digest whose file records other stamps of the files its digest does not hold (``recorded``, today's:
    :attr:`TileJob.recorded`; a weight map replaced between two runs). A tile whose file records none (made
    before they were recorded) is done. All but ``done`` are run again; the survey says which (a damaged file
    was said to be a tile whose settings had changed).

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "cut.parquet").write_bytes(b"PAR1 and then nothing")
    >>> tile_state(d / "none.parquet", "abc"), tile_state(d / "cut.parquet", "abc"), tile_state(d, "abc")
    ('missing', 'damaged', 'damaged')
    """
    import pyarrow.parquet as pq

    p = Path(path)
    if not p.exists():
        return "missing"
    try:
        meta = pq.read_schema(p).metadata or {}
    except Exception:  # a folder, unreadable, not Parquet, or Parquet pyarrow cannot read: rewritten, as before
        return "damaged"
    if meta.get(DIGEST_KEY, b"").decode() != digest:
        return "changed"
    return "inputs" if recorded is not None and changed_recorded(meta, recorded) else "done"


def changed_recorded(meta: dict[bytes, bytes], recorded: dict[str, Any]) -> list[str]:
    """The files whose stamps in a tile file's metadata ``meta`` differ from ``recorded`` (today's), in order.

    A tile file that records none (made before they were recorded, or unreadable JSON) differs in none: it is
    kept as it is, as it was before.

    Examples
    --------
    >>> meta = {INPUTS_KEY: json.dumps({"/f/g_wht.fits": [2880, 1], "/f/i_wht.fits": [2880, 1]}).encode()}
    >>> changed_recorded(meta, {"/f/g_wht.fits": (2880, 1), "/f/i_wht.fits": (5760, 2)})
    ['/f/i_wht.fits']
    >>> changed_recorded({}, {"/f/g_wht.fits": (2880, 1)})
    []
    """
    raw = meta.get(INPUTS_KEY)
    if raw is None:
        return []
    try:
        then = {str(k): tuple(v) for k, v in json.loads(raw.decode()).items()}
    except (ValueError, TypeError, AttributeError, UnicodeDecodeError):
        return []
    now = {str(k): tuple(v) for k, v in recorded.items()}
    return sorted(k for k in {*then, *now} if then.get(k) != now.get(k))


def tile_notes(path: str | os.PathLike) -> list[str]:
    """The warnings a finished tile handed over when it ran (``warning: ...`` lines), kept in its file.

    Examples
    --------
    >>> import tempfile
    >>> import pyarrow as pa
    >>> import pyarrow.parquet as pq
    >>> p = Path(tempfile.mkdtemp()) / "t.parquet"
    >>> pq.write_table(pa.table({"id": [1]}).replace_schema_metadata({NOTES_KEY: b'["warning: edge"]'}), p)
    >>> tile_notes(p), tile_notes("/nonexistent/tile.parquet")
    (['warning: edge'], [])
    """
    import pyarrow.parquet as pq

    try:
        raw = (pq.read_schema(path).metadata or {}).get(NOTES_KEY)
        notes = json.loads(raw) if raw else []
    except (OSError, ValueError):  # missing or damaged (ArrowInvalid and bad JSON are ValueErrors): nothing to say
        return []
    return [str(n) for n in notes] if isinstance(notes, list) else []


def owned_rows(path: str | os.PathLike) -> int:
    """The rows a finished tile file owns (its core's; the guard-band rows the merge may drop left out).

    What a tile run now adds to the progress bar's running count (``run_tile``'s ``n``), read
    back from a tile finished by an earlier run, so that a resumed survey's bar ends on the
    merged count too.

    Examples
    --------
    >>> import pyarrow as pa, pyarrow.parquet as pq, tempfile
    >>> p = Path(tempfile.mkdtemp()) / "r000_c000.parquet"
    >>> pq.write_table(pa.table({"id": [1, 2, 3], IN_CORE: [True, False, True]}), p)
    >>> owned_rows(p)
    2
    """
    import pyarrow.parquet as pq

    schema = pq.read_schema(path)
    if IN_CORE not in schema.names:
        return int(pq.read_metadata(path).num_rows)
    return int(np.count_nonzero(pq.read_table(path, columns=[IN_CORE]).column(IN_CORE).to_numpy(zero_copy_only=False)))


def table_to_arrow(table: Table, metadata: dict[bytes, bytes] | None = None) -> pa.Table:
    """An astropy table as a pyarrow table: plain columns, units kept in the metadata.

    Examples
    --------
    >>> from astropy.table import Table
    >>> t = table_to_arrow(Table({"x": [1.0], "galaxy": ["a"]}))
    >>> t.column_names, t.num_rows
    (['x', 'galaxy'], 1)
    """
    import pyarrow as pa

    arrays, units = {}, {}
    for name in table.colnames:
        col = table[name]
        unit = getattr(col, "unit", None)
        if unit is not None:
            units[name] = str(unit)
        values = np.ma.filled(col, np.nan) if np.ma.isMaskedArray(col) and col.dtype.kind == "f" else col
        arr = np.asarray(values)
        if arr.dtype.kind == "U":
            arr = arr.astype(object)
        # a masked count or flag (crowding of a row kept unmeasured off the mosaics) is null, not the
        # value under its mask: np.asarray gave 0 and False, a real count and a real flag
        mask = np.ma.getmaskarray(col) if np.ma.isMaskedArray(col) and arr.dtype.kind != "f" else None
        arrays[name] = pa.array(arr, mask=mask) if mask is not None and mask.any() else pa.array(arr)
    meta = {b"starclass_units": json.dumps(units).encode()}
    meta.update(metadata or {})
    return with_astropy_metadata(pa.table(arrays).replace_schema_metadata(meta), dict(table.meta or {}))


#: The Parquet key under which astropy's writer keeps a table's meta (read back by read_catalog).
META_YAML = b"table_meta_yaml"


def with_astropy_metadata(table: pa.Table, meta: dict[str, Any] | None = None) -> pa.Table:
    """``table`` (pyarrow) with the metadata astropy's Parquet reader needs, so ``Table.read`` reads it.

    astropy's reader looks every column up in the ``datatype`` list of ``table_meta_yaml``
    (the survey wrote the meta alone and ``Table.read`` failed with ``KeyError: 'id'``) and
    takes the length of each string column from ``table::len::<name>`` (it warned and
    guessed without). Both are written from the table itself; the units come from the
    ``starclass_units`` key, the meta from ``meta`` (default: the one already stored).

    Parameters
    ----------
    table : pyarrow.Table
        The table to be written (after any column was dropped).
    meta : dict, optional
        The astropy meta to store (classify's task, classes, model, ...).

    Returns
    -------
    pyarrow.Table
        The same columns, the schema metadata completed (other keys kept).

    Examples
    --------
    >>> import pyarrow as pa
    >>> t = with_astropy_metadata(pa.table({"id": [1], "galaxy": ["ngc628"]}), {"task": "t"})
    >>> t.schema.metadata[b"table::len::galaxy"]
    b'6'
    """
    import astropy.units as u
    import pyarrow as pa
    from astropy.table import Column, Table
    from astropy.table.meta import get_header_from_yaml, get_yaml_from_table

    old = dict(table.schema.metadata or {})
    if meta is None:
        raw = old.get(META_YAML)
        meta = dict(get_header_from_yaml(raw.decode().splitlines()).get("meta", {}) or {}) if raw else {}
    units = json.loads(old.get(b"starclass_units", b"{}").decode() or "{}")
    cols, lengths = [], {}
    for name in table.column_names:
        typ = table.schema.field(name).type
        if pa.types.is_string(typ) or pa.types.is_large_string(typ):
            values = [v for v in table.column(name).to_pylist() if v is not None]
            lengths[name] = max([len(v) for v in values] or [1]) or 1
            dtype = f"U{lengths[name]}"
        elif pa.types.is_boolean(typ) or pa.types.is_integer(typ) or pa.types.is_floating(typ):
            dtype = typ.to_pandas_dtype()
        else:
            dtype = object
        unit = units.get(name)
        cols.append(Column(name=name, dtype=dtype, length=0,
                           unit=None if not unit else u.Unit(unit, parse_strict="silent")))
    out = {k: v for k, v in old.items() if not k.startswith(b"table::len::")}
    out[META_YAML] = "\n".join(get_yaml_from_table(Table(cols, meta=dict(meta)))).encode()
    out.update({f"table::len::{k}".encode(): str(v).encode() for k, v in lengths.items()})
    return table.replace_schema_metadata(out)


def _quiet_blank_bands(window: MosaicWindow) -> None:
    """Ignore detect's warning of a blank band (zero everywhere): named once for the field before the tiles."""
    for b in window.bands:
        if window.blank(b):
            warnings.filterwarnings("ignore", message=rf".*\bband {re.escape(b)}\b.*the image is constant")


#: Largest side (px) of the part of a mosaic :func:`field_psf` measures: larger mosaics give their central
#: square of this side (16.8 Mpx), so that the task stays within a worker's memory and a few CPU minutes.
FIELD_PSF_MAX_SIDE = 4096


def field_psf(mosaics: Mosaics, photometry: str, positions: Table | None = None, flags: PixelFlags | None = None,
              photon_counts: dict[str, bool] | None = None,
              max_side: int | None = None,
              expect: dict[str, tuple[int, int]] | None = None) -> dict[str, Any] | None:
    """The PSF of a field's aperture corrections, decided once on its whole mosaic for every tile.

    ``detect`` on the whole image (or ``measure`` at the given ``positions``) estimates the PSF from
    all the image's stars; each tile estimating it on its window gave the tiles with fewer than 10
    stars of S/N >= 30 another PSF (the band's tabulated one) than their neighbours, and their
    magnitudes jumped at the tile edges. Run as a tile covering the whole mosaic would run (its flags
    and photon-counts decision): its PSF is the one ``detect`` on the whole image uses. A PSF warning
    (no PSF at all) is printed here, once for the field. A mosaic wider or taller than ``max_side``
    (default :data:`FIELD_PSF_MAX_SIDE`) is measured on its central square of that side only: a detect of
    the whole of a 16k x 16k mosaic would hold gigabytes in one worker, and the PSF of a drizzled mosaic
    varies little across it; thousands of stars there are as good as all of them.

    Parameters
    ----------
    mosaics
        The field's whole mosaics (memory-mapped).
    photometry
        The plan's photometry: only ``growth`` and ``ci`` use a PSF.
    positions
        The field's given positions (whole-image ``x``, ``y``), or None to detect.
    flags, photon_counts
        As the tiles get them (:class:`TileJob`).
    max_side
        Largest side (px) measured (None: :data:`FIELD_PSF_MAX_SIDE`).
    expect
        The files' stamps as the survey checked them (:attr:`TileJob.inputs`), or None.

    Returns
    -------
    dict or None
        :func:`starclass.detect.photometry.psf_decision` of the whole-image run; None for the other
        photometry modes, or where the whole image cannot be measured (no usable pixel in the V band,
        nothing but zero padding): the tiles then estimate it on their windows, and say what is wrong with
        theirs. Another band without a usable pixel there gets its tabulated PSF, the others their own.

    Examples
    --------
    >>> field_psf(None, "none") is None
    True
    """
    if photometry not in ("growth", "ci"):
        return None
    from starclass.detect import detect, measure
    from starclass.detect.photometry import psf_decision

    ny, nx = mosaics.shape
    side = int(FIELD_PSF_MAX_SIDE if max_side is None else max_side)
    x0, y0 = max(0, (nx - side) // 2), max(0, (ny - side) // 2)
    x1, y1 = min(nx, x0 + side), min(ny, y0 + side)
    whole = MosaicWindow(mosaics, (x0, x1, y0, y1), flags=flags, photon_counts=photon_counts, expect=expect)
    if whole.mask(whole.v_band).all():
        return None  # every tile is empty (_find): nothing to correct
    try:
        with warnings.catch_warnings():
            _quiet_blank_bands(whole)
            # a band off the measured square (bands of HST mosaics cover different areas) made the whole
            # image refused, and every tile estimate the PSF on its own window: its PSF is the tabulated one
            if positions is None:
                cat = detect(whole, aperture_correction=photometry, progress=False, keep_empty_bands=True)
            else:
                from astropy.table import Table

                x = np.asarray(positions[X], dtype=float) - x0
                y = np.asarray(positions[Y], dtype=float) - y0
                inside = (x >= -0.5) & (x < x1 - x0 - 0.5) & (y >= -0.5) & (y < y1 - y0 - 0.5)
                cat = measure(whole, Table({X: x[inside], Y: y[inside]}), aperture_correction=photometry,
                              keep_empty_bands=True)
    except StarclassError:
        # what the whole image cannot be measured for, each tile says for its own window (its error, by name)
        return None
    return psf_decision(cat)


def input_files(mosaics: Mosaics, flags: PixelFlags | None = None) -> list[Path]:
    """Every file a tile of ``mosaics`` reads: each band's image, its weight map's file, its mask file.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> mos = SimpleNamespace(paths={"g": Path("f/g.fits"), "i": Path("f/i.fits")},
    ...                       weight_paths={"g": Path("f/g_wht.fits")})
    >>> [str(p) for p in input_files(mos, PixelFlags(mask_file="{stem}_bpm.fits"))]
    ['f/g.fits', 'f/i.fits', 'f/g_wht.fits', 'f/g_bpm.fits', 'f/i_bpm.fits']
    """
    paths = [Path(p) for p in (getattr(mosaics, "paths", None) or {}).values()]
    out = [*paths, *(Path(p) for p in (getattr(mosaics, "weight_paths", None) or {}).values())]
    if flags is not None and flags.mask_file is not None:
        out += [flags.mask_path(p) for p in paths]
    return list(dict.fromkeys(out))


def check_inputs(job: TileJob) -> None:
    """Refuse the tile if a file of its field differs from what the survey's plan check found (``job.inputs``).

    A band image, weight map or mask file replaced or rewritten while the survey ran was read as it was then
    (a weight map without a word; a mosaic cut short killed the worker, SIGBUS): the field's catalogue mixed
    tiles of two versions of a file. The tiles made before are kept (their digests, or for a weight map in a
    file of its own their files' metadata, hold the old file's stamp: a rerun redoes them once the file is
    final).

    Raises
    ------
    StarclassError
        Naming the field and the file, and what changed (cut short: the bytes present and described).

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "g_wht.fits"; _ = f.write_bytes(b"x" * 2880)
    >>> job = TileJob("north", Tile(0, 0, core=(0, 100, 0, 100), window=(0, 132, 0, 132)), (4096, 4096),
    ...               {"g": "north/g.fits"}, "model", "abc123", "none", 256, None, 4.0, "t.parquet", "d1g35t",
    ...               inputs={os.path.realpath(f): (2880, f.stat().st_mtime_ns)})
    >>> check_inputs(job)
    >>> _ = f.write_bytes(b"y" * 5760)
    >>> check_inputs(job)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: field 'north': .../g_wht.fits changed after the survey checked its plan (...
    """
    from starclass.io.mosaic import changed_message, fits_truncated

    for path, was in (job.inputs or {}).items():
        try:
            st = os.stat(path)
            now: tuple[int, int] | None = (st.st_size, st.st_mtime_ns)
        except OSError:
            now = None
        if now == tuple(was):
            continue
        why = changed_message(path, tuple(was), now).replace("after it was checked",
                                                             "after the survey checked its plan")
        cut = fits_truncated(path) if now is not None and now[0] < was[0] else None
        raise StarclassError(f"field {job.field!r}: {cut + ' (' + why + ')' if cut else why}: the field stops here, "
                             "so that its catalogue does not mix two versions of the file")


def _file_stamps(paths: dict[str, str]) -> tuple[tuple[int, ...], ...]:
    """Each band file's ``(size, mtime_ns, inode)`` (``()`` where it cannot be stat'ed): what tells a changed file."""
    out = []
    for _, path in sorted(paths.items()):
        try:
            st = os.stat(path)
            out.append((st.st_size, st.st_mtime_ns, st.st_ino))
        except OSError:  # gone: read_mosaics names it
            out.append(())
    return tuple(out)


def field_psf_of(job: TileJob, positions: Table | None = None) -> dict[str, Any]:
    """:func:`field_psf` of the field of ``job`` (any of its tiles), on its whole mosaic (the Dask task).

    ``positions``: the field's given positions (whole-image ``x``, ``y``), or None to detect. Returns
    ``psf`` (:func:`field_psf`'s) and ``notes``: the warnings this worker process held for the client (its
    PSF warning among them), which prints each text once for the survey, as :func:`run_tile`'s.
    """
    with keep_thread_warnings(job) as lines:
        try:
            check_inputs(job)
            mosaics = _mosaics(job.mosaics, True, job.pixel_flags, job.magsys, job.padding_sides)
            psf = field_psf(mosaics, job.photometry, positions, job.pixel_flags, job.photon_counts,
                            expect=job.inputs)
        except BaseException:
            _held_or_print(lines)
            raise
    return {"psf": psf, "notes": _held_notes(), "shown": not lines}


def empty_bands(window: MosaicWindow) -> list[str]:
    """The bands of ``window`` with no usable pixel (all NaN or masked: the tile lies off their footprint).

    Examples
    --------
    >>> from starclass.io import ArrayMosaics
    >>> m = ArrayMosaics({"f555w": np.ones((4, 6)), "f814w": np.ones((4, 6))}, {"f555w": 25.0, "f814w": 24.2})
    >>> m.data["f814w"][:, :3] = np.nan  # F814W covers the right half only
    >>> empty_bands(MosaicWindow(m, (0, 3, 0, 4))), empty_bands(MosaicWindow(m, (2, 6, 0, 4)))
    (['f814w'], [])
    """
    return [b for b in window.bands if window.mask(b).all()]


def _needed(bands: list[str], model_bands: list[str] | None) -> str:
    """What a tile's rows lose to ``bands`` without data: their class, where the model needs one of them."""
    need = [b for b in bands if model_bands is None or b in model_bands]
    if not need:
        return ""
    return (f" and left unclassified (class_pred 0, NaN probabilities): the model needs band{'s' * (len(need) > 1)} "
            f"{', '.join(need)}")


def _find(job: TileJob, window: MosaicWindow, model_bands: list[str] | None = None):
    """Detected candidates of the window, in whole-image pixels, with the core flag."""
    from starclass.detect import detect

    ox, oy = job.tile.offset
    empty = empty_bands(window)
    vband = window.v_band
    if vband in empty:
        # a tile wholly on the NaN (or zero-weight) border of a drizzled mosaic holds nothing to
        # detect: detect() refuses such an image, and the tile failed on every retry, so the survey
        # of a mosaic with a border wider than a tile could never complete. detect on the whole mosaic
        # finds nothing on the detection band's NaN area either
        from astropy.table import Table

        # said per field, not per tile: a rotated drizzled mosaic has tens of such tiles in its corners
        warnings.warn(f"field {job.field!r}: its tiles with no usable pixel in band {vband}, the detection band "
                      "(all NaN or masked), yield no detection", stacklevel=2)
        return Table({X: np.zeros(0), Y: np.zeros(0), IN_CORE: np.zeros(0, dtype=bool)})
    for b in empty:
        # a tile off one band's footprint (HST bands cover different areas) lost every band's candidates:
        # now they are detected and measured as detect on the whole mosaic measures them there, this band NaN.
        # Said per field and band, not per tile (the same text from every tile is printed once)
        lost = _needed([b], model_bands) or " as detect on the whole mosaic leaves them"
        warnings.warn(f"field {job.field!r}: band {b} has no usable pixel (all NaN or masked) in some of its "
                      f"tiles: the candidates detected there in {vband} are kept, with {mag_col(b)}, "
                      f"{magerr_col(b)} NaN,{lost}", stacklevel=2)
    with warnings.catch_warnings():
        _quiet_blank_bands(window)
        cat = detect(window, aperture_correction=None if job.photometry == "none" else job.photometry,
                     progress=False, keep_empty_bands=True)
    if len(cat) == 0:
        cat[IN_CORE] = np.zeros(0, dtype=bool)
        return cat
    x = np.asarray(cat[X], dtype=float) + ox
    y = np.asarray(cat[Y], dtype=float) + oy
    x0, x1, y0, y1 = job.tile.core
    ny, nx = job.shape
    g = job.guard
    # a guard band around the core: a source on the core edge may be found a hair inside in one
    # tile and a hair outside in the next; the merge keeps exactly one of them
    near = ((x >= (x0 - g if x0 else -np.inf)) & (x < (x1 + g if x1 < nx else np.inf))
            & (y >= (y0 - g if y0 else -np.inf)) & (y < (y1 + g if y1 < ny else np.inf)))
    cat[X] = x
    cat[Y] = y
    cat = cat[near]
    cat[IN_CORE] = in_core(x[near], y[near], job.tile, job.shape)
    return cat


def _warn_no_usable_pixel(job: TileJob, window: MosaicWindow, bands: list[str], ids: np.ndarray,
                          model_bands: list[str] | None = None) -> None:
    """Say once which given rows of a tile lack a band (no usable pixel), and what they keep and lose."""
    named = ", ".join(str(v) for v in ids[:10].tolist()) + (", ..." if len(ids) > 10 else "")
    rows = f"its {len(ids)} given position{'s' if len(ids) != 1 else ''} (ids {named})"
    verb = "are" if len(ids) != 1 else "is"
    head = f"field {job.field!r}, tile {job.tile.name}: no usable pixel in band {', '.join(bands)} (all NaN or masked)"
    rest = [b for b in window.bands if b not in bands]
    if not rest:
        warnings.warn(f"{head}: {rows} {verb} kept unmeasured (NaN photometry, masked_frac 1) and unclassified "
                      "(class_pred 0, NaN probabilities)", stacklevel=2)
        return
    # the per-band share of the aperture off the footprint is all of it: said so, as masked_frac is for V
    lost = (", ".join(f"{mag_col(b)}, {magerr_col(b)}" for b in bands) + " NaN; "
            + ", ".join(masked_frac_col(b) for b in bands) + " 1")
    if window.v_band in bands:
        # the morphology is the V band's: without it there is no CI, and the V aperture is all on NaN
        lost += f"; ci, mci_*, bkg, fwhm NaN too, measured in {window.v_band}, the V band; masked_frac 1"
    warnings.warn(f"{head}: {rows} {verb} measured in band {', '.join(rest)} only ({lost})"
                  f"{_needed(bands, model_bands)}", stacklevel=2)


def _warn_unusable_stamps(job: TileJob, cat: Table, named: np.ndarray, prob: str) -> None:
    """Say which of the tile's own rows classify left unclassified for want of a usable stamp, not yet named.

    Given positions by their ids, per tile; detected candidates once per field (the same text from every
    tile is printed once): a tile's ids are renumbered by the merge, and the field's count is the summary's.
    """
    bad = ~np.isfinite(np.asarray(cat[prob], dtype=float)) & ~named
    if IN_CORE in cat.colnames:
        bad &= np.asarray(cat[IN_CORE], dtype=bool)
    if not bad.any():
        return
    if job.positions is None:
        # detected in the V band: off the image they are not; another band is NaN at them, or blank
        warnings.warn(f"field {job.field!r}: some of its candidates have no usable stamp (centre NaN in some band, "
                      "or a blank band: the edge of a band's footprint, or a NaN patch): class_pred 0, NaN "
                      "probabilities; counted as unclassified in the summary", stacklevel=2)
        return
    why = "centre off the image or NaN in some band, or a blank band"
    ids = np.asarray(cat[ID])[bad]
    named_ids = ", ".join(str(v) for v in ids[:10].tolist()) + (", ..." if len(ids) > 10 else "")
    own = int(np.count_nonzero(np.asarray(cat[IN_CORE], dtype=bool))) if IN_CORE in cat.colnames else len(cat)
    warnings.warn(f"field {job.field!r}, tile {job.tile.name}: {len(ids)} of its {counted(own, 'given position')} "
                  f"{'has' if len(ids) == 1 else 'have'} no usable stamp ({why}): class_pred 0, NaN probabilities "
                  f"(ids {named_ids})", stacklevel=2)


def _given(job: TileJob, window: MosaicWindow, model_bands: list[str] | None = None) -> tuple[Table, np.ndarray]:
    """Given positions of the tile's core (measured unless photometry is ``skip``), core flag added.

    Also bool ``[N]``: the rows the survey has already warned of as kept unclassified (off the mosaics,
    said once per field before the tiles, or in a tile without a band the model needs, said here).
    """
    from starclass.stamps.extract import off_image

    ox, oy = job.tile.offset
    cat = Table(job.positions, copy=True)
    own = in_core(np.asarray(cat[X]), np.asarray(cat[Y]), job.tile, job.shape)
    said = off_image(np.asarray(cat[X], dtype=float), np.asarray(cat[Y], dtype=float), tuple(job.shape))
    cat[X] = np.asarray(cat[X], dtype=float) - ox
    cat[Y] = np.asarray(cat[Y], dtype=float) - oy
    if job.photometry != "skip" and len(cat):
        from starclass.detect.photometry import keep_given_photometry, measure_on_image

        # a published catalogue's own mag_<band>, ci, ... were replaced by the measured ones without a word
        keep_given_photometry(cat, f"the positions of field {job.field!r}")
        # neighbours in the overlap are measured too, so crowding and redundancy near the core
        # edge count them; only the tile's own rows are kept. Rows off the mosaics (the client warned of them)
        # are kept unmeasured, as detect --positions keeps them
        # a tile wholly on a mosaic's NaN corner failed the survey on every retry ("the image has no usable
        # pixel"), and one off a single band's footprint lost every band's magnitudes; a band without data reads
        # NaN there, the others are measured, as detect --positions measures rows on one band's NaN area
        cat, _ = measure_on_image(window, cat, keep_empty_bands=True,
                                  aperture_correction=None if job.photometry == "none" else job.photometry)
        empty = cat.meta.get("no_usable_pixel")
        if empty and own.any():
            _warn_no_usable_pixel(job, window, empty, np.asarray(cat[ID])[own], model_bands)
            if _needed(empty, model_bands):
                said[:] = True
    cat = cat[own]
    cat[X] = np.asarray(cat[X], dtype=float) + ox
    cat[Y] = np.asarray(cat[Y], dtype=float) + oy
    cat[IN_CORE] = np.ones(len(cat), dtype=bool)
    return cat, said[own]


def run_tile(job: TileJob) -> dict[str, Any]:
    """Process one tile and write its Parquet file atomically (the Dask task).

    In a worker process of its own, the tile's warnings are handed to the client (``notes``), which prints
    each text once for the whole survey; a tile that fails prints them on the worker (the error may follow
    from them).

    Parameters
    ----------
    job
        The tile's :class:`TileJob`.

    Returns
    -------
    dict
        ``key``, ``n`` (rows written), ``seconds`` (``find``, ``classify``, ``total``; wall),
        ``cpu_seconds`` (``find``, ``total``: CPU time of the worker process),
        ``pixels`` (core), ``peak_rss`` (bytes, this worker process so far), ``pid``, ``worker``
        (address), ``model_loads`` (models this process has loaded) and ``notes`` (the warnings this
        process had not yet handed over, ``warning: ...`` lines, for the client to print once).

    Raises
    ------
    RuntimeError
        When ``job.fail`` (fault injection).
    """
    with keep_thread_warnings(job) as lines:
        try:
            out = _run_tile(job)
        except BaseException:
            _held_or_print(lines)
            raise
    # this thread's warnings not yet handed over: those held when the file was written are in it too; any said
    # after that are handed over here
    out["notes"] = out.get("notes", []) + _held_notes()
    out["shown"] = not lines  # a thread worker's were shown in the client's process as they were raised
    return out


def _run_tile(job: TileJob) -> dict[str, Any]:
    """:func:`run_tile` but for the warnings handed to the client."""
    import torch

    from starclass.learn.precision import settled_clock

    t0 = time.perf_counter()
    c0 = time.process_time()  # CPU time: what the tile costs whatever else loads the machine
    if job.fail:
        raise RuntimeError(f"injected fault in tile {job.key}")
    threads = max(1, int(job.threads))
    torch.set_num_threads(threads)
    # the stamp cutter's numba kernels run over every core by default (prange): a worker told to
    # use one thread would otherwise take the whole machine and the workers would fight for it
    import numba

    numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
    dev = _device(job)
    loaded = cached_model(job.model, job.model_digest, dev)
    cfg = loaded.config
    need_zp = job.photometry != "skip" or cfg.normalisation in ("rgb", "flux")
    check_inputs(job)
    mosaics = _mosaics(job.mosaics, need_zp, job.pixel_flags, job.magsys, job.padding_sides)
    window = MosaicWindow(mosaics, job.tile.window, flags=job.pixel_flags, photon_counts=job.photon_counts,
                          apcorr_psf=job.apcorr_psf, expect=job.inputs)
    model_bands = list(cfg.bands)
    if job.positions is None:
        cat = _find(job, window, model_bands)
        # the rows of a tile without a band the model needs: said once for the field by _find, not by classify
        said = np.ones(len(cat), dtype=bool) if _needed(empty_bands(window), model_bands) else None
    else:
        cat, said = _given(job, window, model_bands)
    t_find = time.perf_counter() - t0
    c_find = time.process_time() - c0
    t1 = time.perf_counter()
    ox, oy = job.tile.offset
    if len(cat):
        from starclass.learn.classify import classify

        cat[X] = np.asarray(cat[X]) - ox
        cat[Y] = np.asarray(cat[Y]) - oy
        named = np.zeros(len(cat), dtype=bool) if said is None else np.asarray(said, dtype=bool)
        # classify's own line on rows without a usable stamp ("8 of 11 candidates ... (ids 2, 5, 10)") named
        # neither the field nor the tile, counted the guard band's rows, and gave a detecting tile's own ids,
        # which the merge renumbers: the tile says it below, in the survey's words
        cat = classify(window, cat, loaded, batch_size=job.batch_size, device=dev, progress=False,
                       source=f"the positions of field {job.field!r}",  # only given positions carry earlier outputs
                       said=np.ones(len(cat), dtype=bool))
        _warn_unusable_stamps(job, cat, named, prob_col(cfg.classes[0]))
        # classify was handed the loaded model: the catalogue names its file (suggest checks it)
        cat.meta["model"] = str(job.model)
        cat[X] = np.asarray(cat[X]) + ox
        cat[Y] = np.asarray(cat[Y]) + oy
    t_cls = settled_clock(dev) - t1  # the tile's classify seconds: after its GPU work has run, not as it is queued
    cat[FIELD] = np.full(len(cat), job.field, dtype=object).astype(str) if len(cat) else np.zeros(0, dtype="U1")
    cat[TILE] = np.full(len(cat), job.tile.name).astype(str) if len(cat) else np.zeros(0, dtype="U1")
    notes = _held_notes()
    # kept with the tile: a resumed survey reuses the file and said nothing of what the tile (or its field's PSF
    # task, which a field without a tile to run does not run) had warned of
    kept = list(dict.fromkeys([*job.field_notes, *notes]))
    keys = {DIGEST_KEY: job.digest.encode(), **({NOTES_KEY: json.dumps(kept).encode()} if kept else {}),
            # the weight maps' stamps as checked before the read (check_inputs): their digest does not hold them
            **({INPUTS_KEY: json.dumps(job.recorded, sort_keys=True).encode()} if job.recorded is not None else {})}
    table = table_to_arrow(cat, keys)
    import pyarrow.parquet as pq

    with atomic_path(job.output) as tmp:
        pq.write_table(table, tmp)
    # ru_maxrss is KiB on Linux, bytes on macOS
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    try:  # which worker ran it: the summary counts tiles per worker
        from distributed import get_worker

        worker = get_worker().address
    except (ImportError, ValueError):
        worker = f"pid-{os.getpid()}"
    # "n" feeds the progress bar's running count: the rows this tile owns (its core), so that the
    # bar ends on the merged catalogue's count, not on it plus the guard-band rows the merge drops
    n_own = int(np.count_nonzero(cat[IN_CORE])) if IN_CORE in cat.colnames else len(cat)
    return {"key": job.key, "n": n_own, "n_rows": len(cat), "worker": worker, "pixels": job.tile.n_pixels,
            "peak_rss": int(rss), "pid": os.getpid(),
            "seconds": {"find": t_find, "classify": t_cls, "total": time.perf_counter() - t0},
            "cpu_seconds": {"find": c_find, "total": time.process_time() - c0},
            "model_loads": MODEL_LOADS["n"], "notes": notes}


def check_job(job: TileJob) -> None:
    """Refuse a job whose photometry cannot run (detection needs photometry).

    Examples
    --------
    >>> job = TileJob("north", Tile(0, 0, core=(0, 100, 0, 100), window=(0, 132, 0, 132)), (4096, 4096),
    ...               {"f555w": "north/f555w.fits"}, "model", "abc123", "skip", 256, None, 4.0,
    ...               "tiles/north_r000_c000.parquet", "d1g35t")
    >>> check_job(job)
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: field 'north': photometry 'skip' needs given positions (detection measures)
    """
    if job.positions is None and job.photometry == "skip":
        raise StarclassError(f"field {job.field!r}: photometry 'skip' needs given positions (detection measures)")
