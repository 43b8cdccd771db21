"""``starclass survey``: many fields and tiles on dask.distributed, one merged catalogue.

:func:`run_survey` checks the plan (:func:`prepare`), cuts every field into tiles, skips the
tiles whose file already holds their digest, runs the others as Dask tasks (retried on
failure), merges each field's tiles (:mod:`starclass.survey.merge`), scores fields that have a
truth catalogue, and writes::

    OUT/tiles/<field>/<tile>.parquet       one per tile: the restart state
    OUT/fields/<field>/catalogue.parquet   each field's classified catalogue
    OUT/fields/<field>/evaluation.json     (fields with truth) accuracy and completeness
    OUT/catalogue/field=<field>/part-0.parquet   the merged catalogue, partitioned by field
    OUT/summary.json                       counts, times, throughput, memory, failures

The cluster is a :class:`distributed.LocalCluster` sized to the machine unless a scheduler
address, a cluster object (a ``dask_jobqueue.SLURMCluster``, say) or a client is given.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import signal
import sys
import threading
import time
import uuid
import warnings
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import CancelledError
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from starclass.errors import OutputExistsError, StarclassError, agreeing, counted, model_word
from starclass.io.atomic import atomic_dir, atomic_path
from starclass.io.mosaic import SKY_POSITIONS, ZERO_PADDING_PX
from starclass.io.paths import input_clash
from starclass.learn.config import TaskConfig
from starclass.schema import (
    CLASS_PRED,
    CLASS_REF,
    DEC,
    ID,
    RA,
    TRAINED_FIELD,
    X_LIGHT,
    Y_LIGHT,
    X,
    Y,
    check_connect_timeout,
    rows_named,
)
from starclass.survey.batch import BatchSpec, batch_cluster
from starclass.survey.merge import fill_flag_columns, merge_tiles
from starclass.survey.plan import (
    DEFAULT_OVERLAP,
    FieldSpec,
    SurveyPlan,
    check_settings,
    file_digest,
    model_digest,
    without_field,
)
from starclass.survey.tiles import assign_tiles, tile_grid
from starclass.survey.work import (
    ORDER,
    TileJob,
    input_files,
    owned_rows,
    run_tile,
    tile_done,
    tile_notes,
    tile_state,
    warm_up,
    with_astropy_metadata,
)

if TYPE_CHECKING:  # pyarrow is imported where it is used: the plan checks stay light
    import pyarrow as pa
    from distributed import Client, LocalCluster  # the [scale] extra, imported where a client is made

#: Bumped when a change of this code changes tile results, so old tile files are redone.
TILE_FORMAT = 3  # 3: tiles cut stamps with the weight maps and zero padding (given positions on no data)
#: The EXTNAMEs read as a weight map when the TILE_FORMAT 3 tiles were made: a band whose weight map is a plane of
#: another name (a DES coadd's WGT, read as its weight since dba8651) was read without it then (:func:`_reading`).
FORMAT_WEIGHT_EXTNAMES = ("WHT", "WEIGHT", "WEIGHTS", "EXP", "EXPOSURE", "NEXP", "COVERAGE", "IVAR", "INVVAR")
#: Log level of the LocalCluster's processes. Above ERROR: a tile's error reaches the survey
#: through its future (retried, then reported by name), and what else the workers log at ERROR
#: is the noise of a stop (on Ctrl-C, a worker whose heartbeat meets the closing scheduler
#: printed a 30-line traceback under the "interrupted" message).
WORKER_LOG_LEVEL = logging.CRITICAL
#: Photometry modes whose aperture corrections use a PSF, decided once per field (:func:`_field_psfs`).
FIELD_PSF_MODES = ("growth", "ci")
#: Names the survey writes in its output folder (anything else there is refused).
OWN_ENTRIES = ("tiles", "fields", "catalogue", "summary.json", ".*")

log = logging.getLogger(__name__)

#: Seconds between two of a survey's progress lines in a log file (where no bar is drawn)
LOG_EVERY_S = 30.0


@dataclass
class FieldInfo:
    """A checked field: its mosaics' shape and files, its given positions (if any).

    Examples
    --------
    Made by :func:`prepare` for each field of the plan:

    >>> from starclass.survey.plan import FieldSpec   # the plan's field, not io.fields' FieldSpec
    >>> info = FieldInfo(FieldSpec("north", (Path("north"),)), (4096, 4096),
    ...                  {"f555w": "north/f555w.fits"})
    >>> info.spec.name, info.shape, info.positions is None
    ('north', (4096, 4096), True)
    """

    spec: FieldSpec
    shape: tuple[int, int]
    band_paths: dict[str, str]
    positions: Any = None  # astropy Table with whole-image x, y and ORDER, or None
    truth: Any = None  # astropy Table with x, y (placed through the WCS where only ra, dec were given)
    pixel_scale: float | None = None  # arcsec per pixel of the mosaics' WCS, for matching on the sky
    no_wcs: str | None = None  # the mosaics' files when they carry no celestial WCS (no ra, dec in the catalogue)
    flags_note: str | None = None  # with mask_extension / dq_good_bits: the pixels flagged per band
    blank: str | None = None  # bands (files) zero everywhere: named once here, not in every tile
    padding: str | None = None  # weight-less bands whose zero padding the tiles mask: named once here
    photon_counts: dict[str, bool] | None = None  # band -> read as photon counts, decided on the whole mosaic
    reading: dict[str, dict[str, Any]] | None = None  # band -> how its values are read, where not as before (_reading)
    padding_sides: dict[str, int] | None = None  # weight-less band -> side of its padding's squares (whole mosaic)
    wcs: Any = None  # the mosaics' celestial WCS, for the fields' overlaps on the sky (sky_overlaps)
    placed: tuple[str, ...] = ()  # placed_note's lines: catalogue rows placed from ra, dec through the WCS
    #: the unit the field's ``bkg`` column will have and where it comes from (the V band's header, or the given
    #: positions' column with ``photometry: skip``); None where the field will have no ``bkg`` column
    bkg_unit: tuple[Any, str] | None = None
    #: real path -> (size, mtime_ns) of every file the field's tiles read (images, weight maps, mask files) when
    #: the plan was checked: a tile refuses one that differs (survey.work.check_inputs)
    stamps: dict[str, tuple[int, int]] | None = None

    @property
    def detected(self) -> bool:
        """True when the field has no given positions, so its tiles detect their candidates.

        Examples
        --------
        >>> from astropy.table import Table
        >>> spec = FieldSpec("north", (Path("north"),))       # the plan's field
        >>> given = Table({"x": [3.0], "y": [4.0]})
        >>> FieldInfo(spec, (64, 64), {}).detected, FieldInfo(spec, (64, 64), {}, positions=given).detected
        (True, False)
        """
        return self.positions is None


def tiles_words(shapes: Sequence[tuple[int, int]], n_tiles: int, tile_size: int) -> str:
    """The survey's first line's count of fields and tiles: "2 fields, 4 tiles of up to 2048 px".

    It read "2 field(s), 2 tile(s) of 2048 px" for two fields of 1000 x 1000 px, whose tiles are
    1000 px: the tiles are "up to" the size where a field's side is not a whole number of them
    (a small field is one smaller tile, a large one has narrower tiles at its right and top edges).

    Parameters
    ----------
    shapes : sequence of (int, int)
        Each field's ``(ny, nx)``.
    n_tiles : int
        Tiles in all.
    tile_size : int
        ``--tile-size``, the side of a full tile's core (px).

    Returns
    -------
    str

    Examples
    --------
    >>> tiles_words([(1000, 1000), (900, 800)], 2, 2048)
    '2 fields, 2 tiles of up to 2048 px'
    >>> tiles_words([(4096, 2048)], 2, 2048)
    '1 field, 2 tiles of 2048 px'
    """
    exact = all(side % tile_size == 0 for shape in shapes for side in shape)
    return f"{counted(len(shapes), 'field')}, {counted(n_tiles, 'tile')} of {'' if exact else 'up to '}{tile_size} px"


@dataclass
class PreparedSurvey:
    """A plan checked against its model and mosaics, cut into tile jobs."""

    plan: SurveyPlan
    fields: list[FieldInfo]
    config: Any
    model_digest: str
    overlap: int
    jobs: list[TileJob]
    tile_order: dict[str, list[str]]
    #: the plan file, model and every field's mosaics and catalogues (:func:`input_stamps` records them)
    inputs: list = field(default_factory=list)


@dataclass
class SurveyResult:
    """What :func:`run_survey` did.

    Attributes
    ----------
    outdir : Path
        The survey's output folder.
    summary : dict
        What ``summary.json`` there holds (fields, tiles, candidates, timings, evaluation).
    failed : list of str
        The ``<field>/<tile>`` keys that failed after their retries (empty: all done).
    catalogue : Path or None
        The merged Parquet catalogue (None when a tile failed: nothing is merged then).

    Examples
    --------
    >>> r = SurveyResult(Path("survey_out"), {}, failed=["ngc628c/t0_1"])
    >>> r.ok, r.catalogue
    (False, None)
    """

    outdir: Path
    summary: dict[str, Any]
    failed: list[str] = field(default_factory=list)
    catalogue: Path | None = None

    @property
    def ok(self) -> bool:
        """True when every tile was done (no failed tile: the catalogue was merged).

        Examples
        --------
        >>> SurveyResult(Path("survey_out"), {}).ok, SurveyResult(Path("survey_out"), {}, failed=["north/r000_c001"]).ok
        (True, False)
        """
        return not self.failed


def _check_positions(table, shape, path, name, photometry: str) -> None:
    from starclass.stamps.extract import refuse_off_image

    for col in (X, Y):
        if col not in table.colnames:
            raise StarclassError(f"field {name!r}: positions {path} have no column {col!r}")
    x = np.asarray(table[X], dtype=float)
    y = np.asarray(table[Y], dtype=float)
    bad = np.flatnonzero(~(np.isfinite(x) & np.isfinite(y)))
    if bad.size:
        raise StarclassError(f"field {name!r}: positions {path}, {rows_named(bad)}: x or y not finite")
    # a list partly off the mosaics was refused whole, where detect --positions, classify and cutouts keep
    # those rows and flag them: here too they are kept, each in the tile nearest it, unmeasured and unclassified
    unmeasured = "" if photometry == "skip" else "unmeasured (NaN photometry, masked_frac 1) and "
    refuse_off_image(table, tuple(shape), f"field {name!r}: positions {path}", action="survey",
                     consequence=f"they are kept {unmeasured}unclassified (class_pred 0, NaN probabilities)",
                     warn=lambda text: warnings.warn(text, stacklevel=4))


#: Task entries that must be the model's for a ``--task`` file to be the task the model was
#: trained for: what its inputs and outputs mean (:data:`starclass.learn.finetune.CHECKED_KEYS`),
#: and how its probabilities become classes and meet the truth's classes.
TASK_KEYS = ("input_size", "merge", "threshold", "positive_class")


def check_task(plan: SurveyPlan, cfg: TaskConfig, where: str = "plan") -> None:
    """Refuse a plan whose ``task`` (or ``--task``) is not the task the model was trained for.

    A task is a preset name, the name of the model's own task, or a task file (YAML or JSON, as
    ``starclass train --task`` takes it): a file is loaded and must give the model's task name,
    bands, classes, stamp geometry, normalisation, merge and threshold. Comparing the string
    given with the model's task name refused every file ("--task 'mytask.yaml' but model M was
    trained for task 'mytask'"): the path is not the name.

    Parameters
    ----------
    plan
        The plan; ``plan.task`` None checks nothing.
    cfg
        The model's stored :class:`~starclass.learn.config.TaskConfig`.
    where
        How messages name the plan (``"plan FILE"``).

    Raises
    ------
    StarclassError
        Naming ``--task`` (given on the command line) or the plan's ``task`` key, and what differs.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> check_task(SurveyPlan(fields=(), task="m31-binary"), get_preset("m31-binary"))
    >>> check_task(SurveyPlan(fields=(), task="legus4"), get_preset("m31-binary"))
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: plan: task 'legus4' but model None was trained for task 'm31-binary'
    """
    if plan.task is None:
        return
    # a --task of the command line is named as the option: "plan FILE: task ..." blamed a plan
    # that has no task key
    said = "--task" if "task" in plan.from_command_line else f"{where}: task"
    given = str(plan.task)
    if not Path(given).is_file():
        if given != cfg.name:
            raise StarclassError(f"{said} {given!r} but model {model_word(plan.model)} was trained for task "
                                 f"{cfg.name!r}")
        return
    from starclass.learn.config import load_config
    from starclass.learn.finetune import CHECKED_KEYS

    try:
        task = load_config(given)
    except StarclassError as exc:
        msg = str(exc)
        raise StarclassError(f"{said} {msg.removeprefix('task config ')}") from None
    mine, theirs = task.to_dict(), cfg.to_dict()
    # through JSON, so the tuple of a file and the list a model stores compare equal
    differ = [f"{k} {getattr(task, k)!r} in the file, {getattr(cfg, k)!r} in the model"
              for k in ("name", *CHECKED_KEYS, *TASK_KEYS)
              if json.dumps(mine.get(k), sort_keys=True) != json.dumps(theirs.get(k), sort_keys=True)]
    if differ:
        raise StarclassError(f"{said} {given}: not the task model {model_word(plan.model)} was trained for (task "
                             f"{cfg.name!r}): {'; '.join(differ)}")


def prepare(plan: SurveyPlan, outdir: str | os.PathLike, *, fail_tiles: Collection[str] = (),
            device: str | None = None, threads: int = 1) -> PreparedSurvey:
    """Check the whole plan, then cut every field into tile jobs with their digests.

    Parameters
    ----------
    plan
        The plan (with any command-line settings applied).
    outdir
        The survey's output folder (tile files go under ``tiles/``).
    fail_tiles
        ``<field>/<tile>`` keys whose task raises (fault injection for restart tests).
    device
        Torch device for the workers (None: CUDA when present).
    threads
        Torch threads per task.

    Returns
    -------
    PreparedSurvey

    Raises
    ------
    StarclassError
        Naming the plan file and the key or field at fault; nothing has been run.

    Examples
    --------
    >>> from starclass.survey.plan import SurveyPlan
    >>> prepare(SurveyPlan(fields=()), "out")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: plan: no fields
    """
    from starclass.learn.checkpoint import load_model
    from starclass.stamps import base_size

    where = check_settings(plan)  # the settings alone, as the command checked them before distributed loaded
    loaded = load_model(plan.model, device="cpu")
    cfg = loaded.config
    check_task(plan, cfg, where)
    stamp = base_size(cfg.stamp_size, cfg.scales)
    overlap = plan.overlap if plan.overlap is not None else max(DEFAULT_OVERLAP, stamp)
    if overlap < stamp:
        raise StarclassError(f"{where}: overlap {overlap} px is smaller than the model's stamp ({stamp} px); "
                             f"a candidate near a tile edge would lose part of its stamp")
    digest = model_digest(plan.model)
    outdir = Path(outdir)
    inputs = [plan.source, plan.model]
    infos: list[FieldInfo] = []
    flags = plan.pixel_flags()
    for spec in plan.fields:
        try:
            info, files = _check_field(spec, plan, cfg, where, flags)
        except StarclassError as exc:
            # the whole survey stops here (nothing half done), whatever is wrong with the field:
            # say how to go on without it
            raise StarclassError(f"{exc}. {without_field(spec.name)}") from None
        infos.append(info)
        inputs += files
    check_bkg_units([(info.spec.name, info.bkg_unit) for info in infos], where)
    check_given_units([(info.spec.name, info.positions, info.spec.positions) for info in infos], where)
    clash = input_clash(outdir, inputs)
    if clash is not None:
        raise StarclassError(f"output {outdir} is or contains one of the survey's inputs ({clash}); choose another")

    settings = dict(plan.settings(), overlap=overlap, format=TILE_FORMAT, model=digest)
    fail = set(fail_tiles)
    # one token for this run's jobs: a worker that outlives it hands its warnings to the next survey again
    run_token = uuid.uuid4().hex
    jobs: list[TileJob] = []
    order: dict[str, list[str]] = {}
    for info in infos:
        tiles = tile_grid(info.shape, plan.tile_size, overlap)
        order[info.spec.name] = [t.name for t in tiles]
        mosaic_ids = {b: file_digest(p, content=False) for b, p in sorted(info.band_paths.items())}
        if flags is not None and flags.mask_file is not None:
            # a mask file edited since a tile was made makes that tile stale, as an edited mosaic does
            mosaic_ids.update({f"{b} mask": file_digest(flags.mask_path(p), content=False)
                               for b, p in sorted(info.band_paths.items())})
        # the weight maps in files of their own: not in the digest (a tile made before kept its digest), so their
        # stamps go in each tile's file, and a rerun redoes the tiles read with another version (tile_state)
        held = {os.path.realpath(p) for p in info.band_paths.values()}
        if flags is not None and flags.mask_file is not None:
            held |= {os.path.realpath(flags.mask_path(p)) for p in info.band_paths.values()}
        recorded = {p: list(v) for p, v in (info.stamps or {}).items() if p not in held}
        owner = None
        if info.positions is not None:
            x = np.asarray(info.positions[X], dtype=float)
            y = np.asarray(info.positions[Y], dtype=float)
            owner = assign_tiles(x, y, info.shape, plan.tile_size)
            px, py = np.floor(x + 0.5), np.floor(y + 0.5)
        for k, tile in enumerate(tiles):
            sub = None
            if info.positions is not None:
                wx0, wx1, wy0, wy1 = tile.window
                inside = (px >= wx0) & (px < wx1) & (py >= wy0) & (py < wy1)
                if not (owner == k).any():
                    sub = info.positions[:0]
                else:
                    # with the rows off the mosaics this tile owns (the nearest edge tile): kept, unmeasured
                    sub = info.positions[inside | (owner == k)]
            h = hashlib.sha256(json.dumps({"settings": settings, "mosaics": mosaic_ids, "core": tile.core,
                                           "window": tile.window, "shape": info.shape}, sort_keys=True).encode())
            if sub is not None:
                h.update(_table_digest(sub).encode())
            if info.photon_counts and any(info.photon_counts.values()):
                # tiles of a counts field made when each decided on its window are stale; others keep their digest
                h.update(json.dumps({"photon_counts": info.photon_counts}, sort_keys=True).encode())
            if info.reading:
                # tiles of a field whose values or weight plane are read otherwise than when they were made are
                # stale; the others (most fields) keep their digest, where a new TILE_FORMAT would redo them all
                h.update(json.dumps({"reading": info.reading}, sort_keys=True).encode())
            if info.padding_sides and any(v != ZERO_PADDING_PX for v in info.padding_sides.values()):
                # tiles of a sparse counts field made when its sky's zeros were read as padding are stale; others
                # keep their digest
                h.update(json.dumps({"padding_sides": info.padding_sides}, sort_keys=True).encode())
            if plan.photometry in FIELD_PSF_MODES:
                # growth and ci tiles made when each estimated its PSF on its window are stale; those of the other
                # modes keep their digest. The PSF itself is a function of what the digest holds already (mosaics,
                # flags, settings): it is estimated only for fields with tiles to run (_field_psfs)
                h.update(json.dumps({"apcorr_psf": "whole mosaic"}).encode())
            if plan.photometry == "growth":
                # growth tiles made when a saturated star's bleed was summed within the window only (lost beyond
                # the overlap) may hold it too faint: stale. ci, none and skip tiles keep their digest
                h.update(json.dumps({"saturated_bleed": "beyond the window"}).encode())
            key = f"{info.spec.name}/{tile.name}"
            jobs.append(TileJob(
                field=info.spec.name, tile=tile, shape=info.shape, mosaics=info.band_paths, model=str(plan.model),
                model_digest=digest, photometry=plan.photometry, batch_size=plan.batch_size, positions=sub,
                guard=1.0, output=str(outdir / "tiles" / info.spec.name / f"{tile.name}.parquet"),
                digest=h.hexdigest(), device=device, threads=threads, fail=key in fail, pixel_flags=flags,
                magsys=plan.magsys, photon_counts=info.photon_counts, padding_sides=info.padding_sides,
                client_pid=os.getpid(), survey=run_token, inputs=info.stamps, recorded=recorded))
    unknown = fail - {j.key for j in jobs}
    if unknown:
        raise StarclassError(f"fault injection: no {agreeing(len(unknown), 'tile')} {', '.join(sorted(unknown))}")
    return PreparedSurvey(plan, infos, cfg, digest, overlap, jobs, order, inputs)


def _check_field(spec: FieldSpec, plan: SurveyPlan, cfg, where: str, flags=None) -> tuple[FieldInfo, list]:
    """One field of the plan checked: its mosaics read, its catalogues read and placed; and its input files.

    With ``flags`` (the plan's ``mask_extension`` / ``dq_good_bits`` / ``mask_file``) every band's flags are
    read and counted here, before any tile: the tiles apply them over their windows only.
    """
    from starclass.bands import v_band_note
    from starclass.io.catalog import place_on_mosaics, read_catalog
    from starclass.io.mosaic import PlainReads, flagged_pixels, flags_note, read_mosaics

    name = spec.name
    try:
        # flags counted below, applied by the tiles over their windows: the mosaics stay memory-mapped
        mos = read_mosaics(list(spec.mosaics) if len(spec.mosaics) > 1 else spec.mosaics[0],
                           require_zeropoint=plan.photometry != "skip" or cfg.normalisation in ("rgb", "flux"),
                           magsys=plan.magsys,
                           pixel_flags=flags, apply_flags=False, warn_v_band=False)
    except StarclassError as exc:
        raise StarclassError(f"{where}, field {name!r}: {exc}") from None
    # the checks below read the whole mosaic (counts or not, the padding's side and share) block by block with
    # plain reads: a file cut short during the plan check is refused naming it, where a page of its memory map
    # past the new end killed the survey (SIGBUS)
    mos.data = {b: PlainReads(a, mos.paths[b]) for b, a in mos.data.items()}
    mos.weights = {b: None if w is None else PlainReads(w, mos.weight_paths.get(b, mos.paths[b]))
                   for b, w in mos.weights.items()}
    from starclass.learn.classify import check_bands

    try:
        # classify's words (2f86fe7): which folder lacks the band, how to add it, or the task file that trains
        # on the bands there are; the plan's refusal named the bands only
        check_bands(list(cfg.bands), list(mos.bands), f"model {model_word(plan.model)}", mos, task=cfg.name,
                    listed=f"the mosaics of field {name!r} in {where}")
    except StarclassError as exc:
        raise StarclassError(f"{where}, field {name!r}: {exc}") from None
    if plan.photometry != "skip" and (v_note := v_band_note(list(mos.bands), "survey")) is not None:
        # once per field, here: read_mosaics said it again in every worker, pointing to detect's --bands;
        # with photometry 'skip' no V band is used
        warnings.warn(f"field {name!r}: {v_note}", stacklevel=2)
    note = None
    if flags:
        try:
            counts = {b: int(flagged_pixels(p, flags).sum()) for b, p in mos.paths.items()}
        except StarclassError as exc:
            # named as the user gave them: a plan key, or the command-line option that overrode it
            raise StarclassError(f"{where}, field {name!r}: {plan.flag_names(str(exc))}") from None
        note = flags_note(flags, counts, mos.shape)
    positions = None
    placed: list[str] = []  # said once per field by the client, in the line the other commands say (silent before)
    if spec.positions is not None:
        # ra, dec without x, y: placed through the field's mosaics' WCS (as cutouts and classify do)
        positions = _read(read_catalog, spec.positions, where, name, require_xy=False)
        try:
            positions = place_on_mosaics(positions, mos, spec.positions, say=placed.append)
        except StarclassError as exc:
            raise StarclassError(f"{where}, field {name!r}: {exc}") from None
        if ID not in positions.colnames:  # before the check, whose warning names the rows off the mosaics by id
            positions[ID] = np.arange(1, len(positions) + 1, dtype=np.int64)
        _check_positions(positions, mos.shape, spec.positions, name, plan.photometry)
        positions[ORDER] = np.arange(len(positions), dtype=np.int64)
    elif plan.photometry == "skip":
        raise StarclassError(f"{where}, field {name!r}: photometry 'skip' needs a positions catalogue "
                             "(detection measures what it finds)")
    truth = None
    if spec.truth is not None:
        # ra, dec without x, y are placed through the WCS too; the match itself is on the sky
        # whenever both sides have ra, dec (evaluate.matching's one rule)
        truth = _read(read_catalog, spec.truth, where, name, require_xy=False)
        if CLASS_REF not in truth.colnames:
            raise StarclassError(f"{where}, field {name!r}: truth {spec.truth} has no column {CLASS_REF!r}")
        try:
            truth = place_on_mosaics(truth, mos, spec.truth, say=placed.append)
        except StarclassError as exc:
            raise StarclassError(f"{where}, field {name!r}: {exc}") from None
    no_wcs = None if mos.wcs is not None else ", ".join(str(p) for p in mos.paths.values())
    try:  # a file cut short or rewritten during these whole-mosaic reads: named, with its field
        blanks = [f"{b} ({p})" for b, p in mos.paths.items() if mos.blank(b)]
        # the noun with the names, agreeing with how many: "band(s) g (...)" was said of one band
        blank = f"{agreeing(len(blanks), 'band')} {', '.join(blanks)}" if blanks else None
        counts = None
        if plan.photometry != "skip":
            from starclass.io.counts import photon_counts

            # once per band on the whole mosaic, as detect decides on the whole image, with the mask it would use
            # (read strip by strip; a float image stops at its first strip): each tile deciding on its window gave
            # the tiles of one image near 3 counts/px different background and noise models
            counts = {b: photon_counts(mos.data[b], lambda rows, b=b: mos.mask(b, (rows, slice(None))))
                      for b in mos.bands}
        # decided once on the whole mosaic, as detect decides it, and handed to every tile (larger on a sparse counts
        # image)
        sides = {b: mos.padding_side(b) for b in mos.bands if mos.weights.get(b) is None and not mos.blank(b)}
        padding_note = _padding_note(mos)
    except StarclassError as exc:
        raise StarclassError(f"{where}, field {name!r}: {exc}") from None
    info = FieldInfo(spec, tuple(mos.shape), {b: str(p) for b, p in mos.paths.items()}, positions,
                     truth, _pixel_scale(mos.wcs), no_wcs, note, blank, padding_note, counts,
                     reading=_reading(mos, photometry=plan.photometry != "skip"), padding_sides=sides or None,
                     wcs=None if mos.wcs is None else mos.wcs.celestial,
                     placed=tuple(dict.fromkeys(placed)),  # positions and truth of one file: said once
                     bkg_unit=_bkg_unit(mos, counts, positions, spec),
                     stamps=_stamps(input_files(mos, flags)))
    # the weight maps' and mask files are inputs too: an output folder that holds one is refused as one holding a
    # mosaic, and summary.json records them
    return info, [*input_files(mos, flags), spec.positions, spec.truth]


def _stamps(files: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """Real path -> ``(size, mtime_ns)`` of each file: what a tile compares (:func:`.work.check_inputs`).

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "g.fits"; _ = f.write_bytes(b"x" * 2880)
    >>> list(_stamps([f]).values())[0][0]
    2880
    """
    out = {}
    for f in files:
        st = os.stat(f)
        out[os.path.realpath(f)] = (st.st_size, st.st_mtime_ns)
    return out


def _bkg_unit(mos, counts: dict[str, bool] | None, positions, spec: FieldSpec) -> tuple[Any, str] | None:
    """The unit a field's ``bkg`` will have, as the tiles' photometry gives it, and where it comes from.

    Measured (every ``photometry`` but ``skip``): the V band's pixel unit per pixel
    (:func:`starclass.io.mosaic.pixel_unit` of its header, read as photon counts where the whole mosaic
    was found to be); with ``skip``: the given positions' ``bkg`` column as it is, or None without one.
    """
    from starclass.io.mosaic import pixel_unit
    from starclass.schema import per_pixel

    if counts is None:  # photometry: skip, the positions' own columns go through
        if positions is None or "bkg" not in positions.colnames:
            return None
        return positions["bkg"].unit, f"the column bkg of {spec.positions}"
    band = mos.v_band
    header = mos.headers[band]
    bunit = str(header.get("BUNIT", "") or "").strip()
    said = f"BUNIT {bunit!r}" if bunit else "no BUNIT"
    return (per_pixel(pixel_unit(header, photon_counts=bool(counts.get(band)))),
            f"{mos.paths[band]}, band {band}: {said}")


def check_bkg_units(units: list[tuple[str, tuple[Any, str] | None]], where: str = "plan") -> None:
    """Refuse fields whose ``bkg`` would be in units that do not convert into one another.

    ``bkg`` (the V-band background per pixel) is in the mosaics' own unit: HST drizzled images in
    ``electron / (pix s)``, images in counts ``ct / pix``, SDSS frames ``nmgy / pix``. The merged
    catalogue holds one unit per column: units that convert (``MJy / sr`` and ``Jy / sr``) are converted
    there with :mod:`astropy.units` (:func:`common_units`); others (a field in e-/s beside one in counts,
    a field whose mosaics state no unit) cannot be, and a survey of such fields wrote every field's
    ``bkg`` under the first field's unit without a word.

    Parameters
    ----------
    units
        ``(field, (unit, where it comes from))`` for each field; None for a field without ``bkg``.
    where
        The plan, for the message.

    Raises
    ------
    StarclassError
        Naming each field, its unit and where that comes from.

    Examples
    --------
    >>> import astropy.units as u
    >>> check_bkg_units([("a", (u.MJy / u.sr, "a.fits")), ("b", (u.Jy / u.sr, "b.fits")), ("c", None)])
    >>> check_bkg_units([("a", (u.electron / u.s / u.pix, "a.fits: BUNIT 'ELECTRONS/S'")),
    ...                  ("b", (u.ct / u.pix, "b.fits: BUNIT 'COUNTS'"))])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: plan: the fields' bkg would be in units that do not convert into one another: ...
    """
    given = [(name, unit, src) for name, u_ in units if u_ is not None for unit, src in [u_]]
    if len(given) < 2:
        return
    first = given[0][1]

    def same(unit) -> bool:
        if first is None or unit is None:
            return first is None and unit is None
        return unit == first or unit.is_equivalent(first)

    if all(same(unit) for _, unit, _ in given):
        return
    listed = "; ".join(f"field {name!r}: {unit if unit is not None else 'no unit'} ({src})"
                       for name, unit, src in given)
    raise StarclassError(
        f"{where}: the fields' bkg would be in units that do not convert into one another: {listed}. The merged "
        "catalogue holds one unit per column (bkg is the V-band background per pixel, in the mosaics' unit); "
        "survey these fields in separate runs (another -o each), or give their mosaics one unit. Nothing was run.")


def check_given_units(given: list[tuple[str, Any, Any]], where: str = "plan") -> None:
    """Refuse positions catalogues whose columns of one name state units that do not convert.

    The given positions' columns go into the merged catalogue (their photometry as ``<name>_input``), one
    unit per column: a ``bkg`` in ``ct / pix`` in one field's catalogue and in ``electron / (pix s)`` in
    another's came out as the first field's unit for both. A column that states a unit in one field's
    catalogue and none in another's (a CSV states none) is refused too: the merged catalogue gave the
    CSV's values the other field's unit (a ``bkg`` of 0.002 read as ``ct / pix``; until 2026-12-05 let
    through). Unless the unit stated is the schema's own for that column (``x``, ``y`` in ``pix``, ``ra``,
    ``dec`` in ``deg``, ``ci`` in ``mag``: :data:`starclass.schema.COLUMNS`), which a column without one is
    read in anyway.

    Parameters
    ----------
    given
        ``(field, positions table or None, its file)`` for each field.
    where
        The plan, for the message.

    Examples
    --------
    >>> import astropy.units as u
    >>> from astropy.table import Table
    >>> a = Table({"x": [1.0], "bkg": [1.0] * u.ct / u.pix})
    >>> b = Table({"x": [1.0], "bkg": [1.0] * u.electron / u.s / u.pix})
    >>> check_given_units([("a", a, "a.ecsv"), ("b", Table({"x": [2.0]}), "b.csv"), ("c", None, None)])
    >>> check_given_units([("a", a, "a.ecsv"), ("b", Table({"bkg": [2.0]}), "b.csv")])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: plan: the positions catalogues' column bkg states a unit in some fields and ...
    >>> check_given_units([("a", a, "a.ecsv"), ("b", b, "b.ecsv")])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: plan: the positions catalogues' column bkg is in units that do not convert ...
    """
    from starclass.schema import COLUMNS

    seen: dict[str, list[tuple[str, Any, Any]]] = {}
    unstated: dict[str, list[tuple[str, Any]]] = {}
    for name, table, path in given:
        if table is None:
            continue
        for col in table.colnames:
            unit = getattr(table[col], "unit", None)
            if unit is not None:
                seen.setdefault(col, []).append((name, unit, path))
            else:
                unstated.setdefault(col, []).append((name, path))
    for col, units in seen.items():
        first = units[0][1]
        if all(unit == first or unit.is_equivalent(first) for _, unit, _ in units):
            schema = COLUMNS.get(col)
            own = schema is not None and schema.unit is not None and all(unit == schema.unit for _, unit, _ in units)
            if col not in unstated or own:
                continue
            # one field's CSV beside another's ECSV: the merged catalogue, read whole, gave the CSV's values
            # the ECSV's unit without a word
            listed = "; ".join([f"field {name!r}: {unit} ({path})" for name, unit, path in units]
                               + [f"field {name!r}: no unit ({path})" for name, path in unstated[col]])
            nameless = ", ".join(repr(name) for name, _ in unstated[col])
            raise StarclassError(
                f"{where}: the positions catalogues' column {col} states a unit in some fields and none in others: "
                f"{listed}. The merged catalogue holds one unit per column, so the values of "
                f"{agreeing(len(unstated[col]), 'field')} {nameless} "
                f"would be read as {first}; give every field's {col} its unit (an ECSV or FITS catalogue states "
                "it, a CSV cannot), or survey these fields in separate runs (another -o each). Nothing was run.")
        listed = "; ".join(f"field {name!r}: {unit} ({path})" for name, unit, path in units)
        raise StarclassError(
            f"{where}: the positions catalogues' column {col} is in units that do not convert into one another: "
            f"{listed}. The merged catalogue holds one unit per column; survey these fields in separate runs "
            "(another -o each), or give the column one unit. Nothing was run.")


def common_units(tables: dict[str, pa.Table]) -> tuple[dict[str, pa.Table], list[str]]:
    """The fields' tables with each column in one unit, the first field's, converted with astropy; and what was.

    A column whose unit differs between fields but converts (``Jy / sr`` into ``MJy / sr``) is
    converted in the later fields' tables; a reader of the merged catalogue takes the unit of the
    first file it finds for every field. Units that do not convert are left as they are
    (:func:`check_bkg_units` refuses them for ``bkg`` before any tile runs).

    Examples
    --------
    >>> import astropy.units as u
    >>> from astropy.table import Table
    >>> from starclass.survey.work import table_to_arrow
    >>> a = table_to_arrow(Table({"bkg": [1.0] * u.MJy / u.sr}))
    >>> b = table_to_arrow(Table({"bkg": [2.0e6] * u.Jy / u.sr}))
    >>> out, notes = common_units({"a": a, "b": b})
    >>> out["b"].column("bkg").to_pylist(), json.loads(out["b"].schema.metadata[b"starclass_units"])
    ([2.0], {'bkg': 'MJy / sr'})
    >>> print(notes[0])  # doctest: +ELLIPSIS
    bkg of field 'b' converted from Jy / sr to MJy / sr in the merged catalogue (fields/b/catalogue.parquet ...)
    """
    import astropy.units as u
    import pyarrow as pa
    import pyarrow.compute as pc

    def units_of(t) -> dict[str, str]:
        return json.loads((t.schema.metadata or {}).get(b"starclass_units", b"{}").decode() or "{}")

    target: dict[str, str] = {}
    for t in tables.values():
        for col, unit in units_of(t).items():
            target.setdefault(col, unit)
    out, notes = {}, []
    for name, t in tables.items():
        units = units_of(t)
        for col, unit in list(units.items()):
            want = target.get(col)
            if want is None or unit == want or col not in t.column_names:
                continue
            src, dst = u.Unit(unit, parse_strict="silent"), u.Unit(want, parse_strict="silent")
            if not src.is_equivalent(dst) or not pa.types.is_floating(t.schema.field(col).type):
                continue
            factor = float(src.to(dst))
            t = t.set_column(t.column_names.index(col), col, pc.multiply(t.column(col), pa.scalar(factor)))
            units[col] = want
            notes.append(f"{col} of field {name!r} converted from {unit} to {want} in the merged catalogue "
                         f"(fields/{name}/catalogue.parquet keeps {unit})")
        meta = dict(t.schema.metadata or {})
        meta[b"starclass_units"] = json.dumps(units).encode()
        out[name] = t.replace_schema_metadata(meta)
    return out, notes


def _field_psfs(client, prepared: PreparedSurvey, todo: list[TileJob],
                on_input: set[str] | None = None) -> tuple[list[TileJob], dict[str, str], list[str]]:
    """``todo`` with each job given its field's PSF; the jobs of a field whose PSF could not be had, as errors;
    the warnings the tasks' worker processes handed over (``notes``, for the survey to print once).

    The PSF of the growth and ci corrections is decided once per field on its whole mosaic, as ``detect`` on
    the whole image decides it (:func:`starclass.survey.work.field_psf`): each tile estimating it from the stars
    of its window gave tiles with fewer than 10 stars another PSF than their neighbours, and magnitudes that
    jumped at the tile edges. One task per field with tiles to run, on the cluster (a field whose tiles are all
    done costs nothing on a rerun), retried as tiles are. A field whose task failed on its input (a
    :class:`StarclassError`: a mosaic damaged after the plan check) is added to ``on_input``.
    """
    on_input = set() if on_input is None else on_input
    if prepared.plan.photometry not in FIELD_PSF_MODES or not todo:
        return todo, {}, []
    from dataclasses import replace

    from starclass.survey.work import field_psf_of

    positions = {info.spec.name: info.positions for info in prepared.fields}
    first = {j.field: j for j in reversed(todo)}
    futures = {name: client.submit(field_psf_of, job, positions[name], key=f"psf-{name}-{job.digest[:12]}",
                                   retries=prepared.plan.retries, pure=False) for name, job in first.items()}
    psf: dict[str, Any] = {}
    of_field: dict[str, tuple[str, ...]] = {}
    errors: dict[str, str] = {}
    notes: list[str] = []
    for name, fut in futures.items():
        try:
            r = fut.result()
            psf[name] = r["psf"]
            if not r.get("shown"):  # a thread worker's were shown in this process as they were raised
                notes += r["notes"]
            of_field[name] = tuple(r["notes"])
        except CancelledError as exc:  # the scheduler is gone: no tile can run either
            raise cluster_lost(exc, prepared.jobs[0].output) from None
        except Exception as exc:  # a worker's error reaches the survey as its tiles' failure, by name
            errors.update({j.key: f"the PSF of field {name!r} on its whole mosaic: {exc!r}" for j in todo
                           if j.field == name})
            if isinstance(exc, StarclassError):
                on_input.add(name)
    return ([replace(j, apcorr_psf=psf[j.field], field_notes=of_field[j.field]) for j in todo if j.field in psf],
            errors, notes)


def _reading(mos, *, photometry: bool) -> dict[str, dict[str, Any]]:
    """Per band, how its pixel values are read where that differs from when the TILE_FORMAT 3 tiles were made.

    Two readings changed after those tiles without a new TILE_FORMAT (which redoes every tile of every survey):
    values in a calibrated unit (:func:`starclass.io.mosaic.calibrated_counts`: SDSS nanomaggies, a DES coadd's
    MAGZERO scale, Pan-STARRS1 stacks, MJy/sr...) give the magnitude errors their electrons per unit (or the sky
    noise only) where EXPTIME was read as of count rates; and a weight plane not in :data:`FORMAT_WEIGHT_EXTNAMES`
    (a DES coadd's WGT) is the band's weight map where it was passed over. Since 2026-12-05 also: a ``BUNIT`` of
    counts spelt ``e-`` or ``ct`` (read as a rate before) and a rate spelt ``electron.s**-1`` (read as counts);
    and a dithered tile-compressed or scaled-integer image, whose zero padding is read back as zeros
    (:func:`starclass.io.mosaic.quantised_zeros`). Those bands' entries enter their tiles'
    digests; a field with none (HST, counts and rate images) gives ``{}`` and keeps its tiles. The units count only
    with ``photometry`` (no magnitudes with ``skip``). A PS1 stack's band ('i.00000', now i) needs no entry: the
    band names are keys of the digest's mosaics already.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> import tempfile
    >>> from astropy.io import fits
    >>> p = Path(tempfile.mkdtemp()) / "frame-r.fits"
    >>> fits.PrimaryHDU(np.zeros((4, 4), np.float32)).writeto(p)
    >>> sdss = {"BUNIT": "nanomaggy", "NMGY": 0.005, "GAIN": 4.7}
    >>> _reading(SimpleNamespace(paths={"r": p}, headers={"r": sdss}), photometry=True)
    {'r': {'electrons_per_unit': 940.0, 'unit': 'nanomaggy'}}
    >>> _reading(SimpleNamespace(paths={"r": p}, headers={"r": {"BUNIT": "ELECTRONS/S"}}), photometry=True)
    {}
    """
    from starclass.io.mosaic import calibrated_counts, counts_reading_changed, quantised_zeros, weight_extension

    out: dict[str, dict[str, Any]] = {}
    for band, path in mos.paths.items():
        entry: dict[str, Any] = {}
        converted = calibrated_counts(mos.headers[band]) if photometry else None
        if converted is not None:
            entry["electrons_per_unit"], entry["unit"] = converted
        if photometry and counts_reading_changed(mos.headers[band]):
            entry["bunit"] = str(mos.headers[band].get("BUNIT", "")).strip()  # 'e-', 'ct': counts since 2026-12-05
        zeros = quantised_zeros(path)
        if zeros is not None:
            entry["zeros"] = zeros  # padding read back as zeros since 2026-12-05
        plane = weight_extension(path)
        if plane is not None and plane not in FORMAT_WEIGHT_EXTNAMES:
            entry["weight_plane"] = plane
        if entry:
            out[band] = entry
    return out


def _padding_note(mos) -> str | None:
    """The weight-less bands whose zero padding the tiles will mask, with an estimate of how much; or None.

    detect warns of it (MosaicSet.padding, the whole image); the tiles mask it window by window and said
    nothing, so a survey of a photon-counting field (zeros that are data) lost them without a word. Estimated
    on sampled rows (io.mosaic.sampled_padding): a survey's mosaics are not read whole before the tiles.
    """
    from starclass.io.mosaic import sampled_padding

    found = []
    for b, p in mos.paths.items():
        if mos.weights.get(b) is not None or mos.blank(b):
            continue
        side = mos.padding_side(b)
        frac = sampled_padding(mos.data[b], side=side)
        if frac > 0:
            found.append(f"{b} ({p}, ~{100 * frac:.2g}%" + (f", blocks of {side} x {side} px" if side > ZERO_PADDING_PX
                                                         else "") + ")")
    # the noun with the names, agreeing with how many (the warning said "band(s) g (...) ... hold")
    return f"{agreeing(len(found), 'band')} {', '.join(found)}" if found else None


def sky_overlaps(fields: list[FieldInfo], grid: int = 16) -> list[tuple[str, str, float]]:
    """Pairs of fields whose mosaics overlap on the sky, with the share of the second that lies on the first.

    The survey de-duplicates the candidates of one field across its tile edges; two fields are two
    catalogues, so a source where their mosaics overlap (adjacent pointings of a survey usually do) is a row
    of each. The share is that of the centres of ``grid`` x ``grid`` cells of the second field's mosaic that fall on the
    first's mosaic; fields without a WCS are left out.

    Parameters
    ----------
    fields
        The checked fields (:class:`FieldInfo`, with their ``wcs`` and ``shape``).
    grid
        Samples per side of each field.

    Returns
    -------
    list of (str, str, float)
        ``(first, second, share)`` for each overlapping pair, in plan order.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from astropy.wcs import WCS
    >>> def field(name, ra):  # 100 x 100 px of 0.36": 0.01 deg a side
    ...     w = WCS(naxis=2); w.wcs.ctype = ["RA---TAN", "DEC--TAN"]; w.wcs.crval = [ra, 41.0]
    ...     w.wcs.crpix = [50.5, 50.5]; w.wcs.cdelt = [-1e-4, 1e-4]
    ...     return FieldInfo(SimpleNamespace(name=name), (100, 100), {}, wcs=w)
    >>> [(a, b, round(f, 1)) for a, b, f in sky_overlaps([field("a", 10.0), field("b", 10.0066), field("c", 11.0)])]
    [('a', 'b', 0.5)]
    """
    from astropy.coordinates import SkyCoord

    done = [i for i in fields if i.wcs is not None]
    out: list[tuple[str, str, float]] = []
    if len(done) < 2:
        return out
    centres, radii, samples = [], [], []
    for info in done:
        ny, nx = info.shape
        c = info.wcs.pixel_to_world((nx - 1) / 2.0, (ny - 1) / 2.0)
        corners = info.wcs.pixel_to_world(np.array([-0.5, nx - 0.5, -0.5, nx - 0.5]),
                                          np.array([-0.5, -0.5, ny - 0.5, ny - 0.5]))
        centres.append(c.icrs)  # one frame for all: the mosaics may say FK5, ICRS or galactic
        radii.append(float(c.separation(corners).deg.max()))
        # the centres of grid x grid cells: inside the mosaic, so a field on the same sky shares all of them
        gx, gy = np.meshgrid((np.arange(grid) + 0.5) * nx / grid - 0.5, (np.arange(grid) + 0.5) * ny / grid - 0.5)
        samples.append(info.wcs.pixel_to_world(gx.ravel(), gy.ravel()))
    # from plain numbers: SkyCoords of mosaics in FK5 and in ICRS do not make one array, even once in ICRS
    centre = SkyCoord([float(c.ra.deg) for c in centres], [float(c.dec.deg) for c in centres], unit="deg",
                      frame="icrs")
    for i, a in enumerate(done):
        near = np.flatnonzero(centre.separation(centre[i]).deg < np.asarray(radii) + radii[i])
        for j in near[near > i]:
            b = done[j]
            # only fields near each other are projected: a tangent plane far from its centre folds back
            try:
                x, y = a.wcs.world_to_pixel(samples[j])
            except Exception:  # a distortion that does not converge there: a warning is not worth a stop
                continue
            ny, nx = a.shape
            on = np.isfinite(x) & np.isfinite(y) & (x >= -0.5) & (x <= nx - 0.5) & (y >= -0.5) & (y <= ny - 0.5)
            if on.any():
                out.append((a.spec.name, b.spec.name, float(on.mean())))
    return out


def _pixel_scale(wcs) -> float | None:
    """Arcsec per pixel of a celestial WCS (the geometric mean of its two axes), or None."""
    if wcs is None:
        return None
    from astropy.wcs.utils import proj_plane_pixel_scales

    scale = float(np.sqrt(np.prod(proj_plane_pixel_scales(wcs.celestial))) * 3600.0)
    return scale if np.isfinite(scale) and scale > 0 else None


def _read(reader, path, where: str, name: str, **kwargs):
    """A catalogue of a field, its errors prefixed with the plan and field."""
    try:
        return reader(path, allow_empty=True, **kwargs)
    except StarclassError as exc:
        raise StarclassError(f"{where}, field {name!r}: {exc}") from None


def _table_digest(table) -> str:
    """Digest of a table's columns (names, values), for the tile digest of given positions."""
    h = hashlib.sha256()
    for name in table.colnames:
        h.update(name.encode())
        arr = np.asarray(table[name])
        h.update(arr.astype(str).tobytes() if arr.dtype.kind in "OU" else np.ascontiguousarray(arr).tobytes())
    return h.hexdigest()


def default_workers() -> tuple[int, int]:
    """(workers, threads per worker) sized to this machine: one per GPU, else one per core.

    Examples
    --------
    >>> w, t = default_workers(); w >= 1 and t == 1
    True
    """
    try:
        import torch

        n_gpu = torch.cuda.device_count()
    except ImportError:
        n_gpu = 0
    if n_gpu:
        return n_gpu, 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, cores), 1


def make_client(*, scheduler: str | None = None, cluster: Any = None, n_workers: int | None = None,
                threads_per_worker: int | None = None, processes: bool = True,
                connect_timeout: float | None = None) -> tuple[Client, LocalCluster | None]:
    """A Dask client: to ``scheduler``, to ``cluster``, or to a new LocalCluster.

    Parameters
    ----------
    scheduler
        Address of a running scheduler (``tcp://host:8786``).
    cluster
        A cluster object (``LocalCluster``, ``dask_jobqueue.SLURMCluster``, ...); the caller
        owns it (scales it, closes it).
    n_workers, threads_per_worker
        Size of the LocalCluster made when neither is given (default :func:`default_workers`).
    processes
        LocalCluster workers as processes (True) or threads of this process.
    connect_timeout
        Seconds ``scheduler`` has to answer (None: :func:`answer_within`'s, from dask's
        ``distributed.comm.timeouts.connect`` where set, else :data:`ANSWER_WITHIN_S`).

    Returns
    -------
    (distributed.Client, LocalCluster or None)
        The client and the cluster this call made (to close), if any.

    Examples
    --------
    >>> client, cluster = make_client(n_workers=1, threads_per_worker=1, processes=False)
    >>> client.submit(sum, [1, 2, 3]).result()
    6
    >>> client.close(); cluster.close()
    """
    if connect_timeout is not None and scheduler is None:
        raise StarclassError("connect_timeout bounds the answer of a scheduler address: give it with scheduler")
    return _client(scheduler, cluster, n_workers, threads_per_worker, processes, connect_timeout, "connect_timeout")


def cluster_lost(exc: BaseException, tile_file: str, n_done: int | None = None,
                 n_tiles: int | None = None) -> StarclassError:
    """The error of a survey whose cluster went away (a task cancelled: the scheduler's connection was lost).

    A scheduler killed mid-survey, or its node lost, ended the survey on distributed's
    ``FutureCancelledError`` traceback. The finished tiles are kept, and the same command resumes.

    Parameters
    ----------
    exc
        The task's cancellation.
    tile_file
        A tile file of the survey (its folder's parent holds every field's tiles).
    n_done, n_tiles
        Tiles finished (reused or run now) and in all, when known.

    Examples
    --------
    >>> from concurrent.futures import CancelledError
    >>> print(cluster_lost(CancelledError("tile-a/r000_c000-1f cancelled for reason: scheduler-connection-lost."),
    ...                    "run/tiles/a/r000_c000.parquet", 3, 8))  # doctest: +NORMALIZE_WHITESPACE
    lost the survey's Dask cluster (tile-a/r000_c000-1f cancelled for reason: scheduler-connection-lost.): 3 of 8
    tiles are finished and kept in run/tiles; start the cluster (its scheduler) again and run the same command:
    it resumes from them
    """
    why = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    # the client's reconnection, cancelled as the survey closes it, logs a traceback: run_survey closes it
    # under _quiet_client_log, told by the error's type (the level of distributed's logger is left as it was)
    done = (f"{n_done} of {counted(n_tiles, 'tile')} {'is' if n_done == 1 else 'are'} finished and kept"
            if n_tiles is not None else "finished tiles are kept")
    return _ClusterLost(f"lost the survey's Dask cluster ({why}): {done} in {Path(tile_file).parent.parent}; start "
                        "the cluster (its scheduler) again and run the same command: it resumes from them")


class _ClusterLost(StarclassError):
    """:func:`cluster_lost`'s error: run_survey closes its client quietly after it (:func:`_quiet_client_log`)."""


def _starclass_error_names() -> set[str]:
    """Class names of :class:`StarclassError` and its subclasses (as a worker's failure text starts)."""
    names, todo = set(), [StarclassError]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo += cls.__subclasses__()
    return names


class ReportedFailures(logging.Filter):
    """Drop ``distributed.worker``'s "Compute Failed" record of a survey task failing on a :class:`StarclassError`.

    A thread worker runs in the survey's own process: for each tile failing on its input (a file changed or cut
    short) dask logged ``distributed.worker - ERROR - Compute Failed`` and the task's traceback on stderr, above
    the survey's own lines that say the same in words (which field, which file, what to do). Only those are
    dropped: a task failing on anything else (a real crash) keeps dask's record and its traceback.

    Parameters
    ----------
    keys
        The survey's task keys (its tiles'); a key starting ``psf-`` (a field's PSF task) is the survey's too.

    Examples
    --------
    >>> import logging
    >>> f = ReportedFailures(["tile-a/r000_c000-1f"])
    >>> def rec(key, exc):
    ...     return logging.LogRecord("distributed.worker", logging.ERROR, "w.py", 1, "Compute Failed Key: %s "
    ...                              "State: %s Task: %s Exception: %r Traceback: %r",
    ...                              (key, "executing", "run_tile(...)", exc, "..."), None)
    >>> f.filter(rec("tile-a/r000_c000-1f", "StarclassError('field a: ... changed')"))
    False
    >>> f.filter(rec("tile-a/r000_c000-1f", "ZeroDivisionError('division by zero')"))
    True
    >>> f.filter(rec("someone-else-1", "StarclassError('x')"))
    True
    """

    def __init__(self, keys: Iterable[str] = ()) -> None:
        super().__init__()
        self.keys = set(keys)
        self.names = _starclass_error_names()

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        if not str(record.msg).startswith("Compute Failed") or len(args) < 4:
            return True
        key = str(args[0])
        ours = key in self.keys or key.startswith("psf-")
        return not (ours and str(args[3]).split("(", 1)[0].strip() in self.names)


@contextlib.contextmanager
def _reported_failures_quiet(keys: Iterable[str]) -> Iterator[None]:
    """:class:`ReportedFailures` on ``distributed.worker`` for the block (thread workers log in this process)."""
    logger = logging.getLogger("distributed.worker")
    quiet = ReportedFailures(keys)
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


@contextlib.contextmanager
def _quiet_client_log(quiet: bool = True) -> Iterator[None]:
    """Hide ``distributed.client``'s log while the block runs, and give its level back after.

    Closing the client of a lost scheduler logs a 30-line traceback of its cancelled reconnection above
    the survey's one-line error (:func:`cluster_lost`). The level was set to CRITICAL for the rest of
    the process, hiding the client's messages from every later survey, or any Dask work, in a notebook.

    Parameters
    ----------
    quiet
        False leaves the log as it is (the client of a survey that was not lost).

    Examples
    --------
    >>> import logging
    >>> logging.getLogger("distributed.client").setLevel(logging.WARNING)
    >>> with _quiet_client_log():
    ...     logging.getLogger("distributed.client").level == logging.CRITICAL
    True
    >>> logging.getLogger("distributed.client").level == logging.WARNING
    True
    """
    logger = logging.getLogger("distributed.client")
    level = logger.level
    if quiet:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def check_scheduler_address(address: str) -> str:
    """Refuse a ``--scheduler`` that is not a Dask scheduler address, before anything starts.

    ``--scheduler head`` or ``--scheduler 127.0.0.1:notaport`` ended the survey, after the plan
    check, with distributed's traceback (``ValueError: missing port number in address 'head'``);
    a port beyond 65535 waited 20 s for a connection that cannot be made.

    A scheduler file (``dask scheduler --scheduler-file sched.json``, the way batch clusters and
    ``dask-mpi`` hand the address to their workers) is read for its address: it was refused as
    ``not a scheduler address (missing port number in address 'sched.json')``.

    Parameters
    ----------
    address
        ``tcp://HOST:PORT`` (or ``HOST:PORT``, ``tls://...``), as ``dask scheduler`` prints it, or
        the path of a scheduler file.

    Returns
    -------
    str
        The scheduler's address: ``address`` unchanged, or the one its scheduler file holds.

    Raises
    ------
    StarclassError
        Naming ``--scheduler``, what is wrong, and the form it takes.

    Examples
    --------
    >>> check_scheduler_address("tcp://127.0.0.1:8786")
    'tcp://127.0.0.1:8786'
    >>> try:
    ...     check_scheduler_address("head")
    ... except StarclassError as exc:
    ...     print(str(exc).split(";")[0])
    --scheduler 'head': not a scheduler address (missing port number in address 'head')
    >>> try:
    ...     check_scheduler_address("/nonexistent/sched.json")
    ... except StarclassError as exc:
    ...     print(str(exc).split(";")[0])
    --scheduler '/nonexistent/sched.json': no such file
    """
    from distributed.comm.addressing import parse_address, parse_host_port
    from distributed.comm.registry import backends

    given = address
    if "://" not in address and Path(address).is_file():
        address = _scheduler_file_address(Path(address))
    elif "://" not in address and (address.lower().endswith((".json", ".yaml", ".yml")) or "/" in address
                                   or os.sep in address or Path(address).is_dir()):
        # a folder named without a slash ('--scheduler sched', '.') was called an address 'missing port number'
        # a scheduler file not there (yet: a job script that starts 'dask scheduler --scheduler-file F &' and then
        # the survey, or a typo) was called an address 'missing port number'
        what = "a folder, not a scheduler file" if Path(address).is_dir() else "no such file"
        raise StarclassError(f"--scheduler {given!r}: {what}; a scheduler file is written by 'dask scheduler "
                             "--scheduler-file FILE' once its "
                             "scheduler is up: start the scheduler first (and wait for the file), check the path, "
                             "or give its address, tcp://HOST:PORT")
    try:
        scheme, loc = parse_address(address)
        if scheme in ("http", "https"):
            # the dashboard's link (http://head:8787/status) is the address a user has at hand
            raise ValueError(f"{scheme}:// is a web page's address (the dashboard's, port 8787 by default), "
                             "not the scheduler's")
        if scheme not in backends:
            raise ValueError(f"unknown scheme {scheme!r}; known: {', '.join(sorted(backends))}")
        if scheme in ("tcp", "tls", "ws", "wss"):
            host, port = parse_host_port(loc)
            if not host:
                raise ValueError("no host")
            if not 0 < int(port) < 65536:
                raise ValueError(f"port {port} is not a TCP port (1-65535)")
        elif scheme == "inproc" and loc.split("/")[1:2] != [str(os.getpid())]:
            # distributed's ValueError traceback ('does not match host or pid'), after the plan was read
            raise ValueError("inproc:// reaches a scheduler inside this same Python process only")
        try:
            backends[scheme].get_connector()
        except Exception as exc:  # ucx:// without its package: distributed's TypeError traceback, after the plan
            raise ValueError(f"the {scheme}:// transport cannot be used here ({type(exc).__name__}: {exc})") from None
    except ValueError as exc:
        where = f"--scheduler {given!r}" + (f" (its address {address!r})" if given != address else "")
        raise StarclassError(f"{where}: not a scheduler address ({exc}); give tcp://HOST:PORT as "
                             "'dask scheduler' prints it (port 8786 by default), e.g. tcp://head:8786, or the "
                             "file of 'dask scheduler --scheduler-file'") from None
    return address


#: Seconds distributed's Client has to connect, once :func:`scheduler_problem` found a scheduler answering there.
CONNECT_TIMEOUT_S = 20
#: Seconds a refused ``--scheduler`` is tried again before the survey gives up: a scheduler started
#: just before the survey (``dask scheduler &`` in a job script) may open its port a moment late.
REFUSED_FOR_S = 1.0
#: Seconds a ``--scheduler`` has to answer: its host the TCP connection, then the scheduler its Dask handshake
#: (each in milliseconds on a cluster's network; a scheduler's handshake is answered by its event loop).
#: The default of :func:`answer_within`: ``--connect-timeout`` or dask's ``distributed.comm.timeouts.connect``
#: (when set) give a scheduler across a slow network longer.
ANSWER_WITHIN_S = 5.0
#: dask's configuration key of the time a connection has to be made, honoured by :func:`answer_within`.
CONNECT_TIMEOUT_KEY = "distributed.comm.timeouts.connect"


def answer_within(connect_timeout: float | None = None, name: str = "--connect-timeout") -> tuple[float, str]:
    """Seconds a ``--scheduler`` has to answer survey's probe, and where that limit comes from.

    The probe gave every scheduler :data:`ANSWER_WITHIN_S` (5 s), with no way to raise it for a
    scheduler across a slow network or on a loaded login node. Now, in this order:
    ``connect_timeout`` (``survey --connect-timeout``), dask's own ``distributed.comm.timeouts.connect``
    where the user set it (``~/.config/dask/distributed.yaml``, ``DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT``,
    ``dask.config.set``: any value other than distributed's shipped default), else
    :data:`ANSWER_WITHIN_S`. Each is bounded by :func:`starclass.schema.check_connect_timeout`.

    Parameters
    ----------
    connect_timeout
        Seconds given by the user (None: dask's configuration, else the default).
    name
        How the user gave ``connect_timeout`` (``--connect-timeout``, or ``connect_timeout`` from Python).

    Returns
    -------
    (float, str)
        The seconds, and where they come from (``--connect-timeout 30``, ``dask's
        distributed.comm.timeouts.connect: 30s``, ``the default``), for the messages.

    Raises
    ------
    StarclassError
        A value out of bounds, or a dask configuration that is not a time, naming it.

    Examples
    --------
    >>> import dask
    >>> import distributed  # before dask.config.set: leaving the block drops a section it did not hold before
    >>> answer_within(30)
    (30.0, '--connect-timeout 30')
    >>> with dask.config.set({"distributed.comm.timeouts.connect": "1 minute"}):
    ...     answer_within()
    (60.0, "dask's distributed.comm.timeouts.connect: 1 minute")
    """
    if connect_timeout is not None:
        seconds = check_connect_timeout(connect_timeout, name)
        return seconds, (f"{name} {seconds:g}" if name.startswith("-") else f"{name}={seconds:g}")
    import dask
    import distributed  # noqa: F401  # registers distributed's defaults (its shipped connect timeout)
    from dask.utils import parse_timedelta

    value = dask.config.get(CONNECT_TIMEOUT_KEY, None)
    shipped = dask.config.get(CONNECT_TIMEOUT_KEY, None, config=dask.config.merge(*dask.config.defaults))
    if value is None or value == shipped:  # distributed's own 30 s is for its Client, not this probe
        return ANSWER_WITHIN_S, "the default"
    where = f"dask's {CONNECT_TIMEOUT_KEY} ({value!r})"
    try:
        seconds = parse_timedelta(value, default="seconds")
    except (TypeError, ValueError, KeyError):  # its message lists dask's 50 units
        raise StarclassError(f"{where} is not a time; give seconds (30) or a time such as 30s, 2 minutes") from None
    return check_connect_timeout(seconds, where), f"dask's {CONNECT_TIMEOUT_KEY}: {value}"


def _longer(within: float, source: str) -> str:
    """How to give a scheduler longer than ``within`` seconds, for the messages of a probe that timed out."""
    return (f"; a scheduler across a slow network may need longer than {within:g} s ({source}): give it "
            f"--connect-timeout SECONDS (connect_timeout in Python), or set dask's {CONNECT_TIMEOUT_KEY}")


def scheduler_problem(address: str, *, refused_for: float | None = None, within: float | None = None,
                      connection_args: dict[str, Any] | None = None) -> str | None:
    """Say why no Dask scheduler answers at ``address``, or None when one does.

    distributed's Client retried a refused connection until its 20 s timeout, waited 20 s for a
    host that does not answer or a name that does not resolve, and waited for ever on a port
    that takes the connection but never speaks (distributed reads the peer's handshake without
    a timeout); a web server there (the dashboard's port, 8787) ended the survey on a
    ``MemoryError`` traceback (its HTTP reply read as a Dask frame length), a ``tls://`` address
    without TLS configured on a ``TypeError`` traceback. Each is told within ``within`` seconds
    now: a plain TCP connection is tried first (a refusal is tried again for ``refused_for``
    seconds), then for ``tls://`` its TLS handshake, then Dask's own handshake and the peer's
    ``identity``, which must be a scheduler's (a worker's address names its scheduler).

    Parameters
    ----------
    address
        A scheduler address, as :func:`check_scheduler_address` returns it.
    refused_for
        Seconds to keep trying while the connection is refused (None: :data:`REFUSED_FOR_S`).
    within
        Seconds the host has to take the connection, and the scheduler to answer Dask's handshake
        (None: :func:`answer_within`: dask's ``distributed.comm.timeouts.connect`` where set, else
        :data:`ANSWER_WITHIN_S`); at most :data:`starclass.schema.MAX_CONNECT_TIMEOUT_S`.
    connection_args
        distributed's connection arguments (its ``ssl_context``); default: from dask's
        configuration, as distributed's Client takes them (``Security()``).

    Returns
    -------
    str or None
        What to tell the user (the host and port, what happened and what to check), or None.

    Examples
    --------
    >>> import socket
    >>> with socket.socket() as s:  # a port that was free a moment ago: no one listens on it
    ...     _ = s.bind(("127.0.0.1", 0))
    ...     port = s.getsockname()[1]
    >>> print(scheduler_problem(f"tcp://127.0.0.1:{port}", refused_for=0).split(";")[0])  # doctest: +ELLIPSIS
    connection refused at 127.0.0.1:... (no scheduler listens on that port)
    >>> with socket.create_server(("127.0.0.1", 0)) as server:  # takes the connection, never speaks
    ...     print(scheduler_problem(f"tcp://127.0.0.1:{server.getsockname()[1]}", within=0.5))  # doctest: +ELLIPSIS
    127.0.0.1:... took the connection but did not answer Dask's handshake within 0.5 s: ...
    """
    if within is None:
        within, source = answer_within()
    else:
        within, source = check_connect_timeout(within, "within"), f"within={within:g}"
    return _scheduler_problem(address, refused_for, within, source, connection_args)


def _scheduler_problem(address: str, refused_for: float | None, within: float, source: str,
                       connection_args: dict[str, Any] | None) -> str | None:
    """:func:`scheduler_problem`, the limit ``within`` given with where it comes from (``source``)."""
    from distributed.comm.addressing import parse_address, parse_host_port

    refused_for = REFUSED_FOR_S if refused_for is None else refused_for
    scheme, loc = parse_address(address)
    if scheme not in ("tcp", "tls", "ws", "wss"):
        return None  # inproc:// of this process (check_scheduler_address refuses any other): nothing to reach
    if connection_args is None:
        from distributed.security import Security

        connection_args = Security().get_connection_args("client")
    ssl_context = connection_args.get("ssl_context")
    if scheme == "tls" and ssl_context is None:
        return ("a tls:// scheduler needs this machine's TLS certificates in dask's configuration, and none is set "
                "(distributed.comm.tls.ca-file, distributed.comm.tls.client.cert and distributed.comm.tls.client.key: "
                "in ~/.config/dask/distributed.yaml, or DASK_DISTRIBUTED__COMM__TLS__CA_FILE and so on); or give the "
                "scheduler's tcp:// address if it listens without TLS")
    host, port = parse_host_port(loc)
    sock = _tcp_connection(host, int(port), refused_for, within, source)
    if isinstance(sock, str):
        return sock
    with sock:
        if scheme == "tls":
            problem = _tls_handshake(sock, ssl_context, host, int(port), within, source)
            if problem is not None:
                return problem
    return _dask_handshake(address, f"{host}:{port}", connection_args, within, source)


def reach_scheduler(scheduler: str, connect_timeout: float | None = None, name: str = "--connect-timeout") -> str:
    """The address of the Dask scheduler ``scheduler`` names, refused unless one answers there now.

    :func:`check_scheduler_address`, then :func:`scheduler_problem`: the command line calls it
    before the plan's mosaics are read, so an address where no scheduler answers is told within seconds,
    not after the plan's checks (and, until 2026-12-05, after 20 s or never).

    Parameters
    ----------
    scheduler
        ``--scheduler``: an address or the file of ``dask scheduler --scheduler-file``.
    connect_timeout, name
        Seconds the scheduler has to answer, and the option (or parameter) that gave them
        (None: :func:`answer_within`'s, from dask's configuration or the default).

    Returns
    -------
    str
        The scheduler's address.

    Raises
    ------
    StarclassError
        ``--scheduler ...: cannot connect: ...`` naming the address, what happened and what to check.

    Examples
    --------
    >>> import socket
    >>> with socket.socket() as s:  # a port that was free a moment ago: no one listens on it
    ...     _ = s.bind(("127.0.0.1", 0))
    ...     port = s.getsockname()[1]
    >>> try:
    ...     reach_scheduler(f"tcp://127.0.0.1:{port}")
    ... except StarclassError as exc:
    ...     print(str(exc).split(" (")[0])  # doctest: +ELLIPSIS
    --scheduler tcp://127.0.0.1:...: cannot connect: connection refused at 127.0.0.1:...
    """
    within, source = answer_within(connect_timeout, name)  # a bad limit is told before the address is tried
    address = check_scheduler_address(scheduler)
    # a scheduler file left by a scheduler that has ended names an address where none answers
    what = scheduler if address == scheduler else f"{scheduler} (scheduler file: {address})"
    problem = _scheduler_problem(address, None, within, source, None)
    if problem is not None:
        raise StarclassError(f"--scheduler {what}: cannot connect: {problem}")
    return address


def _tcp_connection(host: str, port: int, refused_for: float, within: float, source: str):
    """A TCP connection to ``host:port`` (a socket), or what to tell the user where none is made."""
    import socket

    deadline = time.monotonic() + refused_for
    while True:
        try:
            return socket.create_connection((host, port), timeout=within)
        except ConnectionRefusedError:
            if time.monotonic() >= deadline:
                return (f"connection refused at {host}:{port} (no scheduler listens on that port); is 'dask "
                        "scheduler' running there, and is this its address ('dask scheduler' prints it, port 8786 "
                        "by default)?")
            time.sleep(0.2)
        except socket.gaierror as exc:  # a name that does not resolve: distributed tried it for 20 s
            return (f"the host name {host!r} is not known here ({exc.strerror}); check its spelling, or give the "
                    "address 'dask scheduler' prints (its IP address)")
        except TimeoutError:
            return (f"no answer from {host}:{port} within {within:g} s (the host is down, a firewall drops the "
                    "connection, or this machine reaches it under another name); check that 'dask scheduler' runs "
                    "there and that its port is open to this machine" + _longer(within, source))
        except OSError as exc:  # no route to the host or its network
            return (f"{host}:{port} cannot be reached from this machine ({exc.strerror or exc}); check the address "
                    "and this machine's network")


def _tls_handshake(sock, ssl_context, host: str, port: int, within: float, source: str) -> str | None:
    """Complete a TLS handshake on ``sock`` (a scheduler logs a connection closed before it as a warning)."""
    import ssl

    try:
        sock.settimeout(within)
        with ssl_context.wrap_socket(sock, server_hostname=host):
            return None
    except TimeoutError:
        return (f"{host}:{port} took the connection but did not complete a TLS handshake within {within:g} s: not a "
                "tls:// scheduler (another service on that port?); check the address and port"
                + _longer(within, source))
    except (ssl.SSLError, OSError) as exc:
        return (f"the TLS handshake with {host}:{port} failed ({exc}): a scheduler without TLS (give tcp://), or "
                "certificates that do not match (dask's distributed.comm.tls configuration)")


def _dask_handshake(address: str, where: str, connection_args: dict[str, Any], within: float,
                    source: str) -> str | None:
    """Dask's handshake and the peer's ``identity``, bounded by ``within`` seconds; what is wrong, or None."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from distributed.comm import connect

    async def identity():
        comm = await connect(address, timeout=within, **connection_args)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    async def bounded():
        return await asyncio.wait_for(identity(), within)

    # a loop of its own, in a thread: a notebook's event loop runs in this one
    with ThreadPoolExecutor(1) as pool, _quiet("distributed.comm", "distributed.protocol", "distributed.core"):
        try:
            reply = pool.submit(asyncio.run, bounded()).result()
        except TimeoutError:
            return (f"{where} took the connection but did not answer Dask's handshake within {within:g} s: another "
                    "service on that port (a scheduler answers within milliseconds on a cluster's network); check the "
                    "port ('dask scheduler' prints its address, port 8786 by default)" + _longer(within, source))
        except OSError as exc:  # closed during the handshake: a TLS scheduler given as tcp://, or another service
            return (f"{where} closed the connection during Dask's handshake ({exc}): a scheduler with TLS (give "
                    "tls:// and dask's TLS configuration), or another service on that port; check the address "
                    "'dask scheduler' prints")
        except Exception as exc:  # an HTTP server's reply read as Dask frames: a MemoryError of exabytes
            return (f"{where} answered, but not in Dask's protocol ({type(exc).__name__}): another service on that "
                    "port (the dashboard, port 8787 by default, is a web server); give the scheduler's address, as "
                    "'dask scheduler' prints it (port 8786 by default)")
    kind = reply.get("type") if isinstance(reply, dict) else None
    if kind == "Scheduler":
        return None
    if kind is None:
        return (f"{where} answered in Dask's protocol but is no scheduler (no identity); give the scheduler's address, "
                "as 'dask scheduler' prints it")
    its = reply.get("scheduler")
    return (f"{address} is a Dask {kind}, not the scheduler" + (f"; its scheduler is {its}: give that" if its else
                                                               "; give the scheduler's address, as 'dask scheduler' "
                                                               "prints it"))


@contextlib.contextmanager
def _quiet(*names: str):
    """Raise the level of loggers ``names`` above CRITICAL for the block: a probe's failure is told in one line."""
    loggers = [logging.getLogger(n) for n in names]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


def _scheduler_file_address(path: Path) -> str:
    """The ``address`` of a scheduler file (JSON, as ``dask scheduler --scheduler-file`` writes it)."""
    try:
        info = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise StarclassError(f"--scheduler {str(path)!r}: a file, but not a scheduler file that can be read "
                             f"({exc}); give the file 'dask scheduler --scheduler-file' writes, or "
                             "tcp://HOST:PORT") from None
    if not isinstance(info, dict) or "address" not in info:
        raise StarclassError(f"--scheduler {str(path)!r}: not a scheduler file (no 'address' in it); give the file "
                             "'dask scheduler --scheduler-file' writes, or tcp://HOST:PORT")
    address = info["address"]
    if not isinstance(address, str) or not address.strip():
        # {"address": 5} was said to have no 'address' in it
        what = "is empty" if isinstance(address, str) else f"is not a string ({json.dumps(address)})"
        raise StarclassError(f"--scheduler {str(path)!r}: not a scheduler file (its 'address' {what}); give the file "
                             "'dask scheduler --scheduler-file' writes, or tcp://HOST:PORT")
    return address


def _client(scheduler, cluster, n_workers, threads_per_worker, processes, connect_timeout: float | None = None,
            name: str = "--connect-timeout"):
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise StarclassError("starclass survey needs dask.distributed: pip install 'starclass[scale]'") from None
    if scheduler is not None and cluster is not None:
        raise StarclassError("give a scheduler address or a cluster, not both")
    if scheduler is not None:
        address = reach_scheduler(scheduler, connect_timeout, name)
        what = scheduler if address == scheduler else f"{scheduler} (scheduler file: {address})"
        # a scheduler given longer to answer the probe is given as long to take the Client
        timeout = max(CONNECT_TIMEOUT_S, answer_within(connect_timeout, name)[0])
        try:
            return Client(address, timeout=f"{timeout:g}s"), None
        except (OSError, TimeoutError) as exc:
            raise StarclassError(f"--scheduler {what}: cannot connect: {exc}") from None
    if cluster is not None:
        return Client(cluster), None
    w, t = default_workers()
    n, t = n_workers or w, threads_per_worker or t
    with _sigint_ignored():
        try:
            own = LocalCluster(n_workers=n, threads_per_worker=t, processes=processes, dashboard_address=":0",
                               silence_logs=WORKER_LOG_LEVEL)
        except Exception as exc:  # distributed's RuntimeError over the cause: a traceback ended the survey
            raise StarclassError(local_cluster_failed(exc, n, t)) from None
    return Client(own), own


def local_cluster_failed(exc: BaseException, n_workers: int, threads: int) -> str:
    """The error of a survey whose own LocalCluster did not start: which part, why, what to check.

    distributed raises ``RuntimeError('Cluster failed to start: ...')`` when the scheduler fails
    and ``RuntimeError('Nanny failed to start.')`` (``Worker`` without processes) when a worker
    does, over the cause (a module of ``distributed.worker.preload`` missing, dask's
    ``temporary-directory`` not writable, no memory or disk left). The cluster has closed itself.

    Parameters
    ----------
    exc
        What ``LocalCluster(...)`` raised.
    n_workers, threads
        The cluster's size.

    Examples
    --------
    >>> try:
    ...     raise RuntimeError("Nanny failed to start.") from ModuleNotFoundError("No module named 'sitehook'")
    ... except RuntimeError as exc:
    ...     print(local_cluster_failed(exc, 4, 1))  # doctest: +NORMALIZE_WHITESPACE
    could not start the survey's LocalCluster (4 workers of 1 thread): a worker failed to start
    (ModuleNotFoundError: No module named 'sitehook'); check dask's configuration (DASK_* variables,
    ~/.config/dask/*.yaml: temporary-directory, distributed.worker.preload, ...) and this machine's free
    memory and disk, give fewer workers (--workers), or run the survey on a cluster of your own (--scheduler).
    No tile was run and nothing was written
    """
    top = str(exc)
    part = ("its scheduler failed to start" if top.startswith("Cluster failed to start")
            else "a worker failed to start" if top.endswith("failed to start.") else "it failed")
    cause = exc
    while cause.__cause__ is not None:  # the cause itself, under distributed's wrappers
        cause = cause.__cause__
    why = (str(cause).strip().splitlines() or [""])[0]
    why = f"{type(cause).__name__}: {why}" if why else type(cause).__name__
    return (f"could not start the survey's LocalCluster ({counted(n_workers, 'worker')} of "
            f"{counted(threads, 'thread')}): {part} "
            f"({why}); check dask's configuration (DASK_* variables, ~/.config/dask/*.yaml: temporary-directory, "
            "distributed.worker.preload, ...) and this machine's free memory and disk, give fewer workers "
            "(--workers), or run the survey on a cluster of your own (--scheduler). No tile was run and nothing "
            "was written")


@contextlib.contextmanager
def _sigint_ignored():
    """Ignore SIGINT while the LocalCluster's worker processes are started, so they inherit that.

    Ctrl-C (and ``timeout -s INT``) signal the whole foreground process group: each worker
    process then died printing a KeyboardInterrupt traceback, and the nanny logged its loss as
    an error. A process started with SIGINT ignored keeps ignoring it (Python installs its
    handler only over the default), so only this process sees the interrupt, stops the
    survey and closes the cluster. Off the main thread (where signals cannot be set) it does
    nothing.

    Examples
    --------
    >>> import signal
    >>> before = signal.getsignal(signal.SIGINT)
    >>> with _sigint_ignored():
    ...     signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    True
    >>> signal.getsignal(signal.SIGINT) is before
    True
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def dashboard(client: Client) -> str | None:
    """The dashboard address of ``client``'s scheduler, or None when it runs none (no bokeh).

    Examples
    --------
    A client whose scheduler cannot say what it runs has no dashboard to name:

    >>> class Unreachable:
    ...     def scheduler_info(self):
    ...         raise OSError("scheduler gone")
    >>> dashboard(Unreachable()) is None
    True
    """
    try:
        services = client.scheduler_info().get("services", {})
    except Exception:  # a scheduler that cannot say has no dashboard we can name
        return None
    return client.dashboard_link if "dashboard" in services else None


def trained_on(info: FieldInfo, recorded: list[dict[str, Any]] | None) -> bool | None:
    """Whether the model was trained on ``info``'s field: its truth or one of its mosaics is among ``recorded``.

    ``recorded`` is the model's record of its training fields
    (:func:`starclass.learn.checkpoint.trained_fields`); None (a model trained before the record, or
    on stamps) gives None: it cannot be told. The survey scored such a field as any other, and its
    accuracy, on the objects the weights were fitted on, read as held-out.

    Examples
    --------
    >>> from starclass.survey.plan import FieldSpec
    >>> info = FieldInfo(FieldSpec("a", (Path("a"),), truth=Path("a/truth.ecsv")), (64, 64), {"g": "a/g.fits"})
    >>> trained_on(info, None) is None
    True
    >>> trained_on(info, [{"mosaics": [str(Path("a/g.fits").absolute())], "catalog": "elsewhere.ecsv"}])
    True
    >>> trained_on(info, [{"mosaics": ["/b/g.fits"], "catalog": "/b/truth.ecsv"}])
    False
    """
    from starclass.io.paths import resolved

    if recorded is None:
        return None
    truth = str(resolved(info.spec.truth)) if info.spec.truth is not None else None
    files = {str(resolved(p)) for p in info.band_paths.values()}
    return any((truth is not None and f.get("catalog") == truth) or bool(files & set(f.get("mosaics") or []))
               for f in recorded)


def _recorded_fields(model: Any) -> list[dict[str, Any]] | None:
    """The model's record of the fields it was trained on; None where it has none or cannot be read."""
    from starclass.learn.checkpoint import read_manifest, trained_fields

    path = Path(model)
    try:
        # a member file given as the model: its folder's manifest records what the ensemble was trained on
        return trained_fields(read_manifest(path.parent if path.suffix == ".pt" and path.is_file() else path))
    except (StarclassError, OSError, ValueError):
        return None


def _evaluate(table, info: FieldInfo, cfg, radius: float) -> dict[str, Any]:
    """Completeness and accuracy of one field's catalogue against its truth.

    Matched one-to-one within ``radius`` pixels by :func:`starclass.detect.match.match_truth`, as
    ``detect --truth`` matches: at each true object's position or, where the truth has ``x_light``,
    ``y_light`` (a simulated truth), its centre of light; on the sky when both the catalogue and the
    truth have ``ra``, ``dec`` (the truth may give only those; the centre of light is put on the sky
    through the field's WCS), else on the pixels. Until 2026-12-06 the survey matched at the position
    only (:func:`starclass.evaluate.matching.match_catalogs`), and a blend detected at its centre of
    light counted as missed.
    """
    from astropy.table import Table

    from starclass.detect.match import match_truth
    from starclass.evaluate.matching import matched_on_sky
    from starclass.evaluate.metrics import accuracy_scores
    from starclass.evaluate.task import EvalTask

    truth = info.truth
    truth_path = info.spec.truth
    cols = [c for c in (X, Y, RA, DEC) if c in table.column_names]
    cat = Table({c: table.column(c).to_numpy(zero_copy_only=False) for c in cols})
    out: dict[str, Any] = {"truth": str(truth_path), "n_truth": len(truth), "n_catalogue": int(len(cat))}
    if not len(truth) or not len(cat):
        # an empty field against a non-empty truth found none of it: completeness 0, said in the summary
        # (it was left out, and the summary line said nothing of the truth)
        return out | {"n_matched": 0, "completeness": 0.0 if len(truth) else None}
    it, ic, _ = match_truth(truth, cat, radius=radius, wcs=info.wcs)
    out["matched_on"] = "sky (ra, dec)" if info.wcs is not None and matched_on_sky(truth, cat) else "pixels (x, y)"
    lit = X_LIGHT in truth.colnames and Y_LIGHT in truth.colnames
    out["matched_at"] = "x, y or x_light, y_light (the centre of light)" if lit else "x, y"
    out["n_matched"] = int(len(it))
    out["completeness"] = len(it) / len(truth)
    task = EvalTask.from_config(cfg)
    pred = table.column(CLASS_PRED).to_numpy()[ic]
    ref = task.reference_labels(np.asarray(truth[CLASS_REF])[it],
                                what=f"field {info.spec.name!r}: truth {truth_path} column {CLASS_REF!r}")
    for merge, groups in task.merges.items():
        try:
            acc, bal = accuracy_scores(ref, pred, merge, groups)
        except StarclassError:
            continue
        out.setdefault("accuracy", {})[merge] = {"accuracy": acc, "balanced_accuracy": bal}
    return out


def _tile_names(paths: list[Path], outdir: Path, most: int = 5) -> str:
    """Tile files named under ``outdir/tiles`` (``A/r000_c001.parquet``), the first ``most`` of them.

    Examples
    --------
    >>> _tile_names([Path("run/tiles/A/r000_c001.parquet"), Path("run/tiles/B/r001_c000.parquet")], Path("run"), 1)
    'A/r000_c001.parquet and 1 more'
    """
    def name(p: Path) -> str:
        try:
            return p.relative_to(outdir / "tiles").as_posix()
        except ValueError:
            return str(p)

    shown = ", ".join(name(p) for p in paths[:most])
    return shown + (f" and {len(paths) - most} more" if len(paths) > most else "")


def _replaced_inputs(jobs: list[TileJob], states: list[str]) -> list[tuple[str, str, int]]:
    """Per field with tiles read with another version of a weight map than today's (state ``inputs``): its name,
    the changed file(s) (``"a weight map"`` where no tile file says which) and how many of its tiles.

    A weight map in a file of its own replaced between two runs: its tiles kept their digest (it does not hold
    the file), so the rerun reused them without a word before their files recorded the stamps.
    """
    import pyarrow.parquet as pq

    from starclass.survey.work import changed_recorded

    by_field: dict[str, list[TileJob]] = {}
    for j, st in zip(jobs, states):
        if st == "inputs":
            by_field.setdefault(j.field, []).append(j)
    out = []
    for name, js in by_field.items():
        files: list[str] = []
        for j in js:
            try:
                files += changed_recorded(pq.read_schema(j.output).metadata or {}, j.recorded)
            except (OSError, ValueError):
                continue
        out.append((name, ", ".join(dict.fromkeys(files)) or "a weight map", len(js)))
    return out


def _replaced_lines(replaced: list[tuple[str, str, int]]) -> list[str]:
    """One note per field of :func:`_replaced_inputs`, for a run that redoes its tiles.

    Examples
    --------
    >>> _replaced_lines([("w", "/d/f_i_wht.fits", 1)])[0].split(": ", 2)[2]
    '/d/f_i_wht.fits changed since 1 of its tiles was made: it is run again on the file as it is now'
    """
    return [f"note: field {name!r}: {files} changed since {n} of its tiles {'was' if n == 1 else 'were'} made: "
            f"{'it is' if n == 1 else 'they are'} run again on the file as it is now" for name, files, n in replaced]


def _check_outdir(outdir: Path, overwrite: bool, n_todo: int = 0, n_tiles: int = 0, *,
                  damaged: Collection[Path] = (), missing: Collection[Path] = (),
                  replaced: Collection[tuple[str, str, int]] = ()) -> None:
    from starclass.io.atomic import foreign_entries
    from starclass.io.paths import check_folder_writable

    if outdir.exists() and not outdir.is_dir():
        raise StarclassError(f"output {outdir} exists and is not a folder")
    # now, not after the cluster has started and every tile has failed (and been retried) on it
    check_folder_writable(outdir, option="--output")
    foreign = foreign_entries(outdir, OWN_ENTRIES)
    if foreign:
        raise StarclassError(f"output folder {outdir} holds files a survey does not write ({', '.join(foreign[:5])}); "
                             "choose another folder")
    if not overwrite:
        complete = _complete_run(outdir)
        if complete and n_todo:
            # "finished tiles are reused" alone promised a merge of the old results under the new
            # settings, where --overwrite reruns every tile whose inputs or settings changed; a damaged or
            # deleted tile file was said to be one of those too
            n_changed = n_todo - len(damaged) - len(missing)
            # the files a rerun's note names (a replaced weight map): the refusal said only "inputs, model or
            # settings", and the user had to pass --overwrite to learn which file had changed
            named = "; ".join(f"field {name!r}: {files} changed since {n} of its tiles {'was' if n == 1 else 'were'} "
                              "made" for name, files, n in replaced)
            parts = ([f"for {n_changed} of its {counted(n_tiles, 'tile')} the plan's inputs, model or settings have "
                      f"changed since{f' ({named})' if named else ''}"] if n_changed else [])
            if damaged:
                parts.append(f"{counted(len(damaged), 'tile file')} of its {n_tiles} cannot be read (damaged or "
                             f"truncated: {_tile_names(list(damaged), outdir)})")
            if missing:
                parts.append(f"{counted(len(missing), 'tile file')} of its {n_tiles} "
                             f"{'is' if len(missing) == 1 else 'are'} missing ({_tile_names(list(missing), outdir)})")
            raise OutputExistsError(
                f"survey output {outdir} is complete (summary.json), but {'; '.join(parts)}; give overwrite=True to "
                "run those tiles again (their files are replaced) and redo the merge and summary, or choose another "
                "folder", outdir)
        if complete:
            # a FileExistsError as every other overwrite refusal (a notebook's 'except FileExistsError'
            # missed the plain StarclassError); the command line still says --overwrite, exit 2
            raise OutputExistsError(f"survey output {outdir} is complete (summary.json); give overwrite=True to "
                                    "redo the merge and summary (finished tiles are reused)", outdir)


def _complete_run(outdir: Path) -> bool:
    """Whether ``outdir`` holds a finished survey: its summary.json says complete and no later run is unfinished."""
    summary = outdir / "summary.json"
    if not summary.is_file():
        return False
    try:
        complete = json.loads(summary.read_text()).get("complete", False)
    except (OSError, ValueError, AttributeError):  # AttributeError: a summary.json that is no JSON object
        return False
    # a later run over it did not finish: resumed, as a folder without a summary
    return bool(complete) and unfinished_run(outdir) is None


def input_stamps(paths: Iterable[Any]) -> dict[str, str]:
    """``{file: digest of its name, size and mtime}`` of a survey's inputs (a model folder: its manifest and members).

    Stat only, no byte read (:func:`starclass.survey.plan.file_digest` with ``content=False``): what
    :func:`refuse_complete_output` compares cheaply to tell a finished folder whose inputs are as they were.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "plan.yaml"; _ = f.write_text("fields: []")
    >>> list(input_stamps([f, None])) == [str(f.resolve())]
    True
    """
    from starclass.survey.plan import file_digest

    out: dict[str, str] = {}
    for p in paths:
        if p is None:
            continue
        p = Path(p)
        files = ([f for f in sorted(p.iterdir()) if f.is_file() and (f.name == "manifest.json" or
                                                                     re.fullmatch(r"member_\d+\.pt", f.name))]
                 if p.is_dir() else [p])
        for f in files:
            try:
                out[str(f.resolve())] = file_digest(f, content=False)
            except OSError:
                out[str(f.resolve())] = "unreadable"
    return out


def given_options(plan: SurveyPlan) -> dict[str, str]:
    """The settings given on the command line (:meth:`SurveyPlan.with_options`), as text, for summary.json.

    Examples
    --------
    >>> from starclass.survey.plan import SurveyPlan
    >>> given_options(SurveyPlan(fields=()).with_options(tile_size=512, overlap=None))
    {'tile_size': '512'}
    """
    return {k: str(getattr(plan, k)) for k in sorted(plan.from_command_line)}


def _inputs_as_recorded(outdir: Path, given: dict[str, Any]) -> bool:
    """Whether the finished run in ``outdir`` recorded its inputs and options, and both are as they were.

    False where the summary predates the record, a file changed (size or mtime), an option differs or
    the tile format is another: :func:`run_survey`'s check, with the tile digests, then says what changed.
    """
    try:
        summary = json.loads((outdir / "summary.json").read_text())
        inputs, then = summary["inputs"], summary["given"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if not isinstance(inputs, dict) or not inputs or summary.get("tile_format") != TILE_FORMAT:
        return False
    now = {k: str(Path(v) if k == "model" else v) for k, v in given.items() if v is not None}
    if now != then:
        return False
    return input_stamps(inputs) == inputs


def _summary_keys(outdir: Path) -> set[str]:
    """The keys of ``outdir/summary.json`` (none where it is unreadable)."""
    try:
        doc = json.loads((outdir / "summary.json").read_text())
    except (OSError, ValueError):
        return set()
    return set(doc) if isinstance(doc, dict) else set()


def refuse_complete_output(outdir: str | os.PathLike, overwrite: bool, given: dict[str, Any] | None = None) -> None:
    """Refuse a finished survey's folder without ``overwrite``, before the plan's work.

    ``survey PLAN -o run2/`` on a finished ``run2`` was refused only once distributed had loaded, the
    model and every mosaic had been read and the tile digests computed (11 s on shared cores), by
    :func:`run_survey`'s own check; this one needs only the folder's summary.json and run record. With
    ``given`` (the command's options), a folder whose summary records its inputs (since 2026-12-07) is
    refused here only while those inputs (their size and mtime) and options are as they were: otherwise
    :func:`run_survey`'s check says for how many tiles the inputs, model or settings changed, which this
    refusal had left unsaid.

    Parameters
    ----------
    outdir
        The survey's output folder.
    overwrite
        Whether the user asked to replace it (no refusal then).
    given
        The settings the command line gives (``{"tile_size": 512, "model": None, ...}``; None: not
        compared, the folder is refused as it is).

    Raises
    ------
    OutputExistsError
        When ``outdir`` holds a complete survey and ``overwrite`` is false.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> refuse_complete_output(out, False)  # no summary.json: nothing to refuse
    >>> _ = (out / "summary.json").write_text('{"complete": true}')
    >>> refuse_complete_output(out, True)  # overwrite given
    >>> try:
    ...     refuse_complete_output(out, False)
    ... except FileExistsError as exc:
    ...     print(str(exc).split("; ")[0].endswith("is complete (summary.json)"))
    True
    """
    outdir = Path(outdir)
    if overwrite or not outdir.is_dir() or not _complete_run(outdir):
        return
    if given is not None and "inputs" in _summary_keys(outdir) and not _inputs_as_recorded(outdir, given):
        return  # something changed since: run_survey's check counts the tiles it changes
    raise OutputExistsError(f"survey output {outdir} is complete (summary.json); give overwrite=True to redo the "
                            "merge and summary (finished tiles are reused; tiles whose plan inputs, model or settings "
                            "changed, or whose files are damaged or missing, run again), or choose another folder",
                            outdir)


def run_survey(
    plan: SurveyPlan,
    outdir: str | os.PathLike,
    *,
    scheduler: str | None = None,
    cluster: Any = None,
    client: Any = None,
    n_workers: int | None = None,
    threads_per_worker: int | None = None,
    processes: bool = True,
    overwrite: bool = False,
    progress: bool = False,
    device: str | None = None,
    fail_tiles: Collection[str] = (),
    echo: Callable[[str], None] = print,
    batch: BatchSpec | None = None,
    worker_wait: float | None = None,
    connect_timeout: float | None = None,
) -> SurveyResult:
    """Run a survey plan: every field's tiles on Dask, then the merged catalogue and summary.

    Parameters
    ----------
    plan
        A plan from :func:`starclass.survey.plan.read_plan` (settings applied).
    outdir
        Output folder. An unfinished survey there is resumed (tiles with the same digest are
        skipped); a finished one is kept unless ``overwrite``.
    scheduler, cluster, client
        Where to run (at most one): a scheduler address, a cluster object (e.g. a
        ``dask_jobqueue.SLURMCluster``), or a connected client. Default: a LocalCluster.
    n_workers, threads_per_worker, processes
        Size and kind of the default LocalCluster.
    overwrite
        Redo the merge and summary of a finished survey.
    progress
        One progress bar over tiles (candidates in its postfix). Default False: quiet, as every library
        function.
    device
        Torch device of the workers (None: one GPU per worker when there are GPUs, else CPU).
    fail_tiles
        ``<field>/<tile>`` keys whose task raises: fault injection for the restart tests.
    echo
        Where messages go.
    batch
        Submit workers to a batch system (SLURM, PBS) through dask-jobqueue instead of a
        LocalCluster; without its submit command here, a StarclassError shows the job script.
    worker_wait
        Seconds to wait for the first worker (all of them for the LocalCluster made here) before
        the survey stops, closing the cluster it made (0: for ever; default :data:`WORKER_WAIT_S`,
        by where the workers come from). Said every :data:`WAIT_LINE_EVERY_S` seconds while waiting.
    connect_timeout
        Seconds ``scheduler`` has to answer its probe (``survey --connect-timeout``; None: dask's
        ``distributed.comm.timeouts.connect`` where set, else :data:`ANSWER_WITHIN_S`; see
        :func:`answer_within`).

    Returns
    -------
    SurveyResult
        ``failed`` lists the tiles that failed after their retries; then no merged catalogue
        is written and ``summary["complete"]`` is False.

    Examples
    --------
    >>> from starclass.survey.plan import SurveyPlan
    >>> run_survey(SurveyPlan(fields=()), "out")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: plan: no fields
    """
    if worker_wait is not None and not worker_wait >= 0:
        raise StarclassError(f"worker_wait={worker_wait}: give seconds, 0 or more (0: wait for ever)")
    if connect_timeout is not None:
        if scheduler is None:  # an option that would be ignored is refused: the user believes it took effect
            raise StarclassError("connect_timeout bounds the answer of a scheduler address: give it with scheduler")
        check_connect_timeout(connect_timeout, "connect_timeout")  # before the plan is read
    new_folder = not Path(outdir).exists()
    state: dict[str, Any] = {}
    try:
        # the output folder's lock (taken once the cluster is there) is held until the merge and summary are written
        with contextlib.ExitStack() as locks:
            return _run_survey(plan, outdir, scheduler=scheduler, cluster=cluster, client=client, n_workers=n_workers,
                               threads_per_worker=threads_per_worker, processes=processes, overwrite=overwrite,
                               progress=progress, device=device, fail_tiles=fail_tiles, echo=echo, batch=batch,
                               worker_wait=worker_wait, connect_timeout=connect_timeout, locks=locks, state=state)
    except (KeyboardInterrupt, SystemExit) as exc:  # Ctrl-C, SIGTERM: the cluster is closed; say what it leaves
        done = total = None
        if "jobs" in state:
            jobs = state["jobs"]
            total = len(jobs)
            # read on the disk: a tile finished while the survey waited on another is kept as well
            done = sum(tile_done(j.output, j.digest, j.recorded) for j in jobs)
        if new_folder:
            _remove_if_unused(Path(outdir))
        # said once: the command's last line ('error: interrupted by Ctrl-C (SIGINT); ...'), or in Python the
        # interruption's traceback (its note). A line of the survey's own before it said the same in other words
        exc.left_behind = interrupted_left(Path(outdir), done, new_folder, total)
        exc.add_note(f"survey: {exc.left_behind}")
        raise
    except BaseException:
        if new_folder:
            # stopped before its first tile (no worker came, Ctrl-C while waiting): the lock's folder was all it
            # had written, and it was left behind
            _remove_if_unused(Path(outdir))
        raise


def _reused_notes(jobs: list[TileJob], todo: list[TileJob]) -> list[str]:
    """Say again, once each, the warnings the tiles reused from an earlier run handed over when they ran.

    A resumed survey printed none of them: the tiles of a field beyond a band's footprint, say, were
    warned of by the run that made them, and the run that merged them was silent. Returns the texts said.
    """
    running = {id(j) for j in todo}
    reused = [j for j in jobs if id(j) not in running]
    per_tile = [tile_notes(j.output) for j in reused]
    notes = list(dict.fromkeys(n for tile in per_tile for n in tile))
    if notes:
        n_with = sum(1 for tile in per_tile if tile)
        print(f"note: {n_with} of the {counted(len(reused), 'reused tile')} had warnings when an earlier run made "
              f"{'it' if n_with == 1 else 'them'}, said again here:", file=sys.stderr, flush=True)
        for note in notes:
            print(note, file=sys.stderr, flush=True)
    return notes


def interrupted_left(outdir: Path, done: int | None, new_folder: bool, total: int | None = None) -> str:
    """What an interrupted survey leaves in ``outdir``, for the command's ``interrupted`` line.

    Parameters
    ----------
    outdir
        The survey's output folder.
    done
        Tiles finished (on the disk) when it stopped; None when it stopped before its tiles were known.
    new_folder
        Whether the folder was made by this survey (and so removed when it holds nothing).
    total
        The survey's tiles in all, when known.

    Examples
    --------
    >>> interrupted_left(Path("run"), 3, False, 12)  # doctest: +NORMALIZE_WHITESPACE
    '3 of 12 tiles finished, kept in run/tiles: the same command resumes the survey; the merged catalogue and
    summary.json are written once every tile is'
    >>> interrupted_left(Path("run"), 12, False, 12)  # doctest: +NORMALIZE_WHITESPACE
    '12 of 12 tiles finished (all), kept in run/tiles; stopped before the merged catalogue and summary.json were
    written: the same command writes them from these tiles, running none again'
    >>> interrupted_left(Path("nowhere-at-all"), 0, True, 4)
    '0 of 4 tiles finished; nothing is left (no output folder nowhere-at-all): the same command starts the survey'
    """
    of = "" if total is None else f" of {counted(total, 'tile')}"
    if done and done == total:
        # stopped in the merge (or while the cluster closed): "written once every tile is" read as if tiles were left
        return (f"{done}{of} finished (all), kept in {outdir / 'tiles'}; stopped before the merged catalogue and "
                "summary.json were written: the same command writes them from these tiles, running none again")
    if done:
        return (f"{done}{of or ' ' + agreeing(done, 'tile')} finished, kept in {outdir / 'tiles'}: the same command "
                "resumes the survey; "
                "the merged catalogue and summary.json are written once every tile is")
    if new_folder and not outdir.exists():
        return (f"{done or 0}{of or ' tiles'} finished; nothing is left (no output folder {outdir}): the same command "
                "starts the survey")
    if done == 0:
        return f"0{of or ' tiles'} finished, none is kept in {outdir}: the same command starts the survey again"
    return "finished tiles of an earlier run are kept in the output folder: the same command resumes the survey"


def _remove_if_unused(outdir: Path) -> None:
    """Remove ``outdir`` where it holds nothing but a cleared lock file (a survey stopped before any tile)."""
    lock = outdir / LOCK_NAME
    try:
        names = {p.name for p in outdir.iterdir()}
        if LOCK_NAME in names and names <= {LOCK_NAME, RUN_MARKER} and lock.stat().st_size == 0:
            end_run_marker(outdir)
            lock.unlink()
            outdir.rmdir()
    except OSError:  # gone already, or another survey's now: left as it is
        pass


#: Seconds the survey waits for its first worker before it stops (0: for ever), by where the workers come
#: from: a LocalCluster's start in seconds; 'dask worker's are started by hand under --scheduler; a batch
#: queue may hold the jobs for a long time.
WORKER_WAIT_S = {"local": 120.0, "cluster": 600.0, "scheduler": 600.0, "jobqueue": 3600.0}
#: Seconds between the lines that say the survey still waits for its first worker.
WAIT_LINE_EVERY_S = 30.0


def wait_for_workers(client: Client, n: int, *, source: str, within: float | None = None, echo: Callable[[str],
                     None] = print,
                     batch: BatchSpec | None = None, link: str | None = None,
                     every: float | None = None) -> None:
    """Wait for ``n`` workers, at most ``within`` seconds, saying every ``every`` seconds that it still waits.

    ``survey --jobqueue`` whose jobs stayed in the queue, a LocalCluster whose workers did not start, or
    a scheduler no worker joined waited for ever, without a word after its first line; Ctrl-C was the
    only way out. Now it stops with what it waited for, how long, and what to check.

    Parameters
    ----------
    client
        A connected ``distributed.Client``.
    n
        Workers to wait for.
    source
        Where the workers come from: ``local`` (a LocalCluster made by the survey), ``scheduler``
        (``--scheduler``), ``jobqueue`` (``--jobqueue``) or ``cluster`` (a cluster object or client).
    within
        Seconds to wait (None: :data:`WORKER_WAIT_S` for ``source``; 0: for ever).
    echo
        Where the lines go.
    batch
        The batch jobs (``jobqueue``), for the advice.
    link
        The scheduler's dashboard, for the advice.
    every
        Seconds between the lines that say it still waits (None: :data:`WAIT_LINE_EVERY_S`).

    Raises
    ------
    StarclassError
        When fewer than ``n`` workers are there after ``within`` seconds.

    Examples
    --------
    >>> class NoWorker:  # a client whose scheduler no worker joins
    ...     scheduler = type("S", (), {"address": "tcp://head:8786"})()
    ...     def wait_for_workers(self, n, timeout):
    ...         time.sleep(timeout)
    ...         raise TimeoutError(f"only 0 of {n} workers")
    ...     def scheduler_info(self):
    ...         return {"workers": {}}
    >>> try:
    ...     wait_for_workers(NoWorker(), 1, source="scheduler", within=0.2, every=0.1)
    ... except StarclassError as exc:
    ...     print(str(exc).split(" (")[0])
    dask: still no worker after 0 s (waiting up to 0.2 s; Ctrl-C stops)
    no worker joined the scheduler tcp://head:8786 in 0.2 s
    """
    within = WORKER_WAIT_S[source] if within is None else float(within)
    every = WAIT_LINE_EVERY_S if every is None else every
    t0 = time.monotonic()
    while True:
        waited = time.monotonic() - t0
        step = every if not within else max(min(every, within - waited), 0.05)
        try:
            client.wait_for_workers(n, timeout=step)
            return
        except TimeoutError:
            waited = time.monotonic() - t0
            have = len(client.scheduler_info().get("workers", {}))
            if within and waited >= within:
                raise StarclassError(_no_workers(client, n, have, within, source, batch, link)) from None
            what = "no worker" if not have else f"{have} of {n} workers"
            echo(f"dask: still {what} after {waited:.0f} s (waiting "
                 + (f"up to {within:g} s; Ctrl-C stops)" if within else "for ever; Ctrl-C stops)"))


def _no_workers(client, n: int, have: int, within: float, source: str, batch: BatchSpec | None,
                link: str | None) -> str:
    """The error of a survey that waited ``within`` seconds for its workers in vain: what for, what to check."""
    address = getattr(client.scheduler, "address", None) or "its scheduler"
    board = f"; the dashboard {link} lists the workers that joined" if link else ""
    longer = f"; or wait longer (worker_wait=SECONDS, 0: for ever). No tile was run{board}"
    if source == "jobqueue" and batch is not None:
        system = batch.system.upper()
        queue_cmd = "squeue -u $USER" if batch.system == "slurm" else "qstat -u $USER"
        output = "slurm-JOBID.out" if batch.system == "slurm" else "starclass-survey.oJOBID"
        return (f"none of the {batch.jobs} {system} {agreeing(batch.jobs, 'job')} started a worker that joined the "
                f"scheduler {address} in "
                f"{within:g} s (worker_wait={within:g}); the jobs are cancelled. Check the queue ('{queue_cmd}': still "
                f"pending, and why), the jobs' output ({output}: did 'dask worker' start, and reach {address} from "
                f"the compute node?), the job script's account, partition and sizes ({system} may never run a job "
                f"larger than its nodes)" + longer)
    if source == "local":
        return (f"only {have} of the LocalCluster's {counted(n, 'worker')} started in {within:g} s "
                f"(worker_wait={within:g}): "
                "this machine may lack the memory or be too loaded to start them; give fewer workers (--workers)"
                + longer)
    given = getattr(client, "cluster", None) if source == "cluster" else None
    if given is not None:
        # a cluster object (or a client made from one) is scaled in Python: 'dask worker ADDRESS' was the advice,
        # for an inproc:// scheduler no process outside this one can reach
        return (f"no worker joined the {type(given).__name__} given (scheduler {address}) in {within:g} s "
                f"(worker_wait={within:g}): {scale_advice(given)}" + longer)
    return (f"no worker joined the scheduler {address} in {within:g} s (worker_wait={within:g}): start 'dask worker "
            f"{address}' where the mosaics and model are reachable, and check the workers' logs (they reach this "
            "address from their machine, and say 'Registered to:' once they have joined)" + longer)


def scale_advice(cluster: Any) -> str:
    """What to do about a cluster object given to the survey without a worker: scale it, or see why its workers fail.

    Examples
    --------
    >>> class Unscaled:  # as a LocalCluster(n_workers=0) or a SLURMCluster never scaled
    ...     requested = set()
    >>> print(scale_advice(Unscaled()))  # doctest: +NORMALIZE_WHITESPACE
    it has no worker to start: scale it, cluster.scale(n) for n workers or cluster.adapt(minimum=1,
    maximum=n), before or while the survey waits
    >>> class Scaled:
    ...     requested = {"w0", "w1"}
    >>> print(scale_advice(Scaled()))  # doctest: +NORMALIZE_WHITESPACE
    its 2 requested workers did not join: see why they do not start (cluster.get_logs(); a batch cluster's
    jobs: the queue, the jobs' output), or scale it again (cluster.scale(n))
    """
    asked = len(getattr(cluster, "requested", None) or ())
    if asked:
        return (f"its {counted(asked, 'requested worker')} did not join: see why "
                f"{'it does' if asked == 1 else 'they do'} not start (cluster.get_logs(); a "
                "batch cluster's jobs: the queue, the jobs' output), or scale it again (cluster.scale(n))")
    return ("it has no worker to start: scale it, cluster.scale(n) for n workers or cluster.adapt(minimum=1, "
            "maximum=n), before or while the survey waits")


#: The hidden file of an output folder that a running survey holds locked (``flock``) and names itself in.
LOCK_NAME = ".survey.lock"
#: Written before a run's first tile, removed once its summary.json is written (``OUT/.survey-run.json``): while it is
#: there, the folder's summary.json and catalogues, if any, are of an earlier run (:func:`unfinished_run`).
RUN_MARKER = ".survey-run.json"


def start_run_marker(outdir: Path, *, overwrite: bool) -> None:
    """Record in ``outdir`` that a survey run has started (:data:`RUN_MARKER`), before it writes any tile.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> start_run_marker(out, overwrite=True)
    >>> unfinished_run(out)["overwrite"], end_run_marker(out), unfinished_run(out)
    (True, None, None)
    """
    import socket

    rec = {"started": time.strftime("%Y-%m-%d %H:%M:%S"), "pid": os.getpid(), "host": socket.gethostname(),
           "overwrite": bool(overwrite)}
    with atomic_path(outdir / RUN_MARKER) as tmp:
        tmp.write_text(json.dumps(rec) + "\n")


def end_run_marker(outdir: Path) -> None:
    """Remove :data:`RUN_MARKER` once the run's summary.json is written (see :func:`start_run_marker`).

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> end_run_marker(out)  # none there: nothing to do
    >>> print(unfinished_run(out))
    None
    """
    with contextlib.suppress(FileNotFoundError):
        (outdir / RUN_MARKER).unlink()


def unfinished_run(outdir: Path) -> dict[str, Any] | None:
    """The record of a survey run over ``outdir`` that has not finished (running, stopped, killed), else None.

    While a run is unfinished, a summary.json in the folder is an earlier run's, not this folder's
    state: ``info`` said "survey complete" of a folder an interrupted ``survey --overwrite`` rerun had
    left with the earlier run's summary beside a mix of new and old tiles. Not a file-time check (a
    copied folder has new times). A record that cannot be read counts, as ``{}``.

    Examples
    --------
    >>> import tempfile
    >>> print(unfinished_run(Path(tempfile.mkdtemp())))
    None
    """
    path = outdir / RUN_MARKER
    if not path.is_file():
        return None
    try:
        rec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return rec if isinstance(rec, dict) else {}


def _lock_record(text: str) -> dict[str, Any] | None:
    """The running survey a lock file names (``pid``, ``host``, ``started``), or None.

    None for an empty file (no survey holds it: each clears it when it ends) and for the plain
    line versions before 2026-12-05 wrote and never cleared ("pid 4242 on head, started ...").
    """
    try:
        rec = json.loads(text)
    except ValueError:
        return None
    if not isinstance(rec, dict) or not isinstance(rec.get("host"), str) or not isinstance(rec.get("pid"), int):
        return None
    return rec


def _holder_words(text: str) -> str:
    """The survey a lock file names, in words: ``pid 4242 on node-17, started 2026-12-05 00:00:00``."""
    rec = _lock_record(text)
    if rec is None:
        return text.strip() or "a survey"
    return f"pid {rec['pid']} on {rec['host']}, started {rec.get('started', '?')}"


@contextlib.contextmanager
def survey_lock(outdir: Path) -> Iterator[None]:
    """Hold ``outdir``'s lock for one survey; refuse a second survey writing the same folder.

    Two surveys started on one folder (a batch job submitted twice, a second terminal) both ran
    every tile and both merged, each replacing the other's files. The lock is ``flock`` on
    ``OUT/.survey.lock``, released by the system when its process ends however it ends (kill -9
    too); where ``fcntl`` is missing (Windows) no lock is taken.

    ``flock`` on some NFS mounts (``local_lock=flock``, ``nolock``: common under dask-jobqueue
    clusters) locks the file on one machine only, so the holder also writes its pid, host and
    start into the file, synced to the server, and clears it when it ends. A survey that finds
    the file naming another host refuses to start: it cannot tell whether that survey still runs.
    One killed there (kill -9, a lost node) leaves its record; the message says to remove the file
    then. A record of this host whose ``flock`` is free is such a leftover: it is taken over.

    Raises
    ------
    StarclassError
        Naming the folder and the survey holding it (pid, host, start).

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> with survey_lock(out):
    ...     try:
    ...         with survey_lock(out):
    ...             pass
    ...     except StarclassError as exc:
    ...         print(str(exc).split(" (")[0].replace(str(out), "OUT"))
    survey output OUT is being written by another survey
    >>> with survey_lock(out):  # released: the next survey takes it
    ...     pass
    >>> (out / LOCK_NAME).read_text()  # and cleared
    ''
    """
    try:
        import fcntl
    except ImportError:  # no flock here: the folder is not locked
        yield
        return
    import socket

    outdir.mkdir(parents=True, exist_ok=True)
    path = outdir / LOCK_NAME
    f = open(path, "a+", encoding="utf-8")  # held open (and locked) for the survey's duration
    try:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            f.seek(0)
            raise StarclassError(f"survey output {outdir} is being written by another survey ({_holder_words(f.read())}"
                                 "); wait for it to end (its finished tiles are then reused), or choose another "
                                 "folder") from None
        f.seek(0)
        text = f.read()
        rec = _lock_record(text)
        host = socket.gethostname()
        if rec is not None and rec["host"] != host:
            # this host's flock cannot see that host's (NFS): the record is all there is to go by
            raise StarclassError(
                f"survey output {outdir} is being written by another survey ({_holder_words(text)}), on another "
                f"machine, according to {path}; wait for it to end (its finished tiles are then reused), or choose "
                f"another folder. If no survey runs on {rec['host']} any more (killed there, or its node lost: a "
                f"survey clears the file when it ends), remove {path} and start again.")
        f.seek(0)
        f.truncate()
        f.write(json.dumps({"pid": os.getpid(), "host": host, "started": time.strftime("%Y-%m-%d %H:%M:%S")}) + "\n")
        f.flush()
        os.fsync(f.fileno())  # on the server now, not in this host's cache: another host reads it
        try:
            yield
        finally:
            # cleared, not removed (removing it would race a survey opening it): an empty file holds no survey
            f.seek(0)
            f.truncate()
            f.flush()
            os.fsync(f.fileno())
    finally:
        f.close()  # closing releases the flock


def _run_survey(plan, outdir, *, scheduler, cluster, client, n_workers, threads_per_worker, processes, overwrite,
                progress, device, fail_tiles, echo, batch, worker_wait, connect_timeout, locks: contextlib.ExitStack,
                state: dict[str, Any]) -> SurveyResult:
    """:func:`run_survey`, holding the output folder's lock in ``locks`` once the cluster is there."""
    from tqdm.auto import tqdm

    from starclass.io.progress import bar_options_sized

    t0 = time.perf_counter()
    outdir = Path(outdir)
    threads = int(threads_per_worker or 1)
    prepared = prepare(plan, outdir, fail_tiles=fail_tiles, device=device, threads=threads)
    state["jobs"] = prepared.jobs  # for run_survey to count the finished tiles if the survey is stopped
    states = [tile_state(j.output, j.digest, j.recorded) for j in prepared.jobs]
    # the rows each reused tile owns (the bar's running count): read now, so that a file whose digest reads but
    # whose data do not (damaged past its footer) is run again, where it stopped the survey with a traceback
    owned: dict[int, int] = {}
    for k, j in enumerate(prepared.jobs):
        if states[k] == "done":
            try:
                owned[id(j)] = owned_rows(j.output)
            except (OSError, ValueError):  # ArrowInvalid is a ValueError, ArrowIOError an OSError
                states[k] = "damaged"
    todo = [j for j, st in zip(prepared.jobs, states) if st != "done"]
    why = {st: [Path(j.output) for j, s2 in zip(prepared.jobs, states) if s2 == st] for st in ("damaged", "missing")}
    replaced = _replaced_inputs(prepared.jobs, states)
    _check_outdir(outdir, overwrite, len(todo), len(prepared.jobs), damaged=why["damaged"], missing=why["missing"],
                  replaced=replaced)
    skipped = len(prepared.jobs) - len(todo)
    echo(f"survey: {tiles_words([i.shape for i in prepared.fields], len(prepared.jobs), plan.tile_size)} "
         f"(overlap {prepared.overlap} px); {skipped} already done, {len(todo)} to run")
    if why["damaged"]:
        # run again without a word before: a truncated or overwritten tile file looked like a tile not yet run
        echo(f"note: {counted(len(why['damaged']), 'tile file')} in {outdir / 'tiles'} cannot be read (damaged or "
             f"truncated: {_tile_names(why['damaged'], outdir)}): {'it is' if len(why['damaged']) == 1 else 'they are'}"
             " run again and replaced")
    for line in _replaced_lines(replaced):
        echo(line)
    for info in prepared.fields:
        for line in info.placed:
            echo(f"note: field {info.spec.name!r}: {line}")
        if info.flags_note is not None:
            echo(f"note: field {info.spec.name!r}: {info.flags_note}")
        if info.blank is not None:
            # once per field, as detect names a constant band; the tiles masked it window by window, as padding
            echo(f"warning: field {info.spec.name!r}: {info.blank} zero everywhere: a blank band, "
                 "constant; its magnitudes are NaN and detection goes on in the other bands")
        if info.padding is not None:
            hold = "holds" if info.padding.startswith("band ") else "hold"
            echo(f"warning: field {info.spec.name!r}: {info.padding} without a weight map {hold} exact zeros "
                 f"in blocks of at least {ZERO_PADDING_PX} x {ZERO_PADDING_PX} px, larger where a photon-counting "
                 "image's sky has zeros (share of sampled rows): the tiles read them as padding outside the "
                 "footprint (no data), not as sky, as detect does; put the weight map beside each (..._wht.fits) "
                 "to say where the data are (a weight map decides alone)")
        if info.no_wcs is not None:
            # said once per field, before the tiles run: its catalogue used to lack ra, dec without a word
            echo(f"warning: field {info.spec.name!r}: its mosaics ({info.no_wcs}) carry no celestial WCS: its rows "
                 "have x, y but no ra, dec (null in the merged catalogue); detection, classification and matching "
                 "its truth on x, y still work")
    overlaps = sky_overlaps(prepared.fields)
    for a, b, share in overlaps[:10]:
        # the merged catalogue is de-duplicated across tile edges within a field: overlapping pointings of a
        # survey gave a source in the overlap a row in each field without a word
        echo(f"warning: fields {a!r} and {b!r} overlap on the sky (~{share:.0%} of {b!r} lies on {a!r}): a source "
             "there is catalogued once in each field; the merged catalogue is de-duplicated across tile edges, not "
             "across fields (match the fields' rows on ra, dec to combine them)")
    if len(overlaps) > 10:
        more = len(overlaps) - 10
        echo(f"warning: {counted(more, 'more pair')} of fields {'overlaps' if more == 1 else 'overlap'} on the sky "
             "(summary.json lists them)")
    reused_notes = _reused_notes(prepared.jobs, todo)

    own_client = client is None
    made_cluster = None
    if client is None:
        if sum(v is not None for v in (scheduler, cluster, batch)) > 1:
            raise StarclassError("give one of a scheduler address, a cluster or a batch system (--jobqueue)")
        if batch is not None:
            # raises with the job script, before anything starts, where the queue is not here
            cluster = batch_cluster(batch)
            try:
                client, made_cluster = _client(None, cluster, None, None, processes)[0], cluster
            except BaseException:
                cluster.close()
                raise
        else:
            client, made_cluster = _client(scheduler, cluster, n_workers, threads_per_worker, processes,
                                           connect_timeout, "connect_timeout")
    results: list[dict[str, Any]] = []
    failed: list[str] = []
    errors: dict[str, str] = {}
    # the fields a tile (or PSF task) of which failed on its input, a StarclassError (a mosaic truncated or replaced
    # after the plan check): a rerun alone fails the same way, exit status 2 as the plan check's refusal
    on_input: set[str] = set()
    # the bar counts the finished tiles at the start, and their candidates with them: a resumed
    # survey's bar ended on the candidates of the tiles run now, not on the merged count
    n_cand = sum(owned.values())
    lost = False
    try:
        # once the cluster is there (a scheduler that cannot be reached wrote nothing), before any tile
        locks.enter_context(survey_lock(outdir))
        # before any tile file is written (an --overwrite rerun replaces them one by one), removed once the new
        # summary.json is: until then, the earlier run's summary.json does not speak for the folder
        start_run_marker(outdir, overwrite=overwrite)
        # inside the try: a Ctrl-C while the workers start still closes the cluster below
        if batch is not None:
            # the queue may hold the jobs for a long time: say what is being waited for
            # the dashboard is on a free port (batch.scheduler_options): its link, to watch the jobs' workers come
            link = dashboard(client)
            echo(f"submitted {batch.jobs} {batch.system.upper()} {agreeing(batch.jobs, 'job')}; waiting for the first "
                 "worker "
                 "(queued jobs start when the batch system runs them; Ctrl-C stops and cancels them)"
                 + (f"; dashboard: {link}" if link else ""))
        address = getattr(client.scheduler, "address", None) or "the scheduler's address"
        source = "jobqueue" if batch is not None else "local" if made_cluster is not None else \
            "scheduler" if scheduler is not None else "cluster"
        if made_cluster is not None:
            # a batch queue may start its jobs one by one, hours apart: begin with the first worker
            wait_for_workers(client, 1 if batch is not None else len(made_cluster.workers), source=source,
                             within=worker_wait, echo=echo, batch=batch, link=dashboard(client))
        elif todo and not client.scheduler_info().get("workers"):
            # a running scheduler without workers (none started yet, or all gone): the survey said 'dask: 0
            # worker(s)' and the PSF line, then waited without a word for as long as none came
            given = getattr(client, "cluster", None) if source == "cluster" else None
            if given is not None:
                # a cluster object is scaled from Python, not by starting 'dask worker' by hand
                echo(f"dask: the {type(given).__name__} given has no worker yet; waiting for the first to join "
                     f"({scale_advice(given)}; Ctrl-C stops, finished tiles are kept)")
            else:
                echo(f"dask: the scheduler has no worker yet; waiting for the first to join (start 'dask worker "
                     f"{address}' where the mosaics and model are reachable; Ctrl-C stops, finished tiles are kept)")
            wait_for_workers(client, 1, source=source, within=worker_wait, echo=echo, link=dashboard(client))
        if todo:
            client.run(warm_up, os.getpid())
        # said before the fields' PSF tasks, not after: those take a whole-mosaic detect per field, and the
        # survey was silent (no dashboard link, no bar) for as long as they ran
        link = dashboard(client)
        n_w = len(client.scheduler_info().get("workers", {}))
        echo(f"dask: {counted(n_w, 'worker')}; dashboard: {link or 'not running (install bokeh for it)'}")
        n_psf = len({j.field for j in todo}) if plan.photometry in FIELD_PSF_MODES else 0
        if n_psf:
            echo(f"measuring the PSF of {counted(n_psf, 'field')} on the whole mosaic (one task per field, "
                 "for every tile's aperture corrections), then the tiles")
        # a thread worker's failure on its input is said by the survey below: not by dask's traceback too
        locks.enter_context(_reported_failures_quiet(j.task_key for j in todo))
        todo, psf_errors, psf_notes = _field_psfs(client, prepared, todo, on_input)
        # each warning text once for the survey, not once per worker process (a worker prints none of its own)
        notes_said: set[str] = set(psf_notes) | set(reused_notes)
        for note in dict.fromkeys(psf_notes):
            print(note, file=sys.stderr, flush=True)
        failed += list(psf_errors)
        errors.update(psf_errors)
        t_start = time.perf_counter() - t0  # plan checks and cluster start, apart from the work itself
        from distributed import as_completed

        futures = client.map(run_tile, todo, key=[j.task_key for j in todo],
                             retries=plan.retries, pure=False) if todo else []
        key_of = {f.key: j.key for f, j in zip(futures, todo)}
        bar = tqdm(total=len(prepared.jobs), initial=skipped + len(psf_errors), unit="tile", desc="survey",
                   disable=not progress,
                   **bar_options_sized({"dynamic_ncols": True}))  # a 0 x 0 terminal drew no bar
        bar.set_postfix(candidates=n_cand, failed=len(failed))
        # a log file's lines where there is no bar (the command line shows them, cli._app.progress_lines):
        # the start, then at most one each LOG_EVERY_S seconds, and the end
        n_done, said_at = skipped + len(psf_errors), time.perf_counter()
        log.info("survey: %d/%d tiles done, %d to run", n_done, len(prepared.jobs), len(todo))
        try:
            for fut in as_completed(futures):
                if fut.status == "error":
                    name = key_of[fut.key]
                    failed.append(name)
                    exc = fut.exception()
                    errors[name] = repr(exc)
                    if isinstance(exc, StarclassError):
                        on_input.add(name.rpartition("/")[0])
                else:
                    try:
                        r = fut.result()
                    except CancelledError as exc:
                        # the scheduler was lost (killed, its node gone): distributed's traceback ended the survey
                        raise cluster_lost(exc, todo[0].output, skipped + len(results), len(prepared.jobs)) from None
                    results.append(r)
                    n_cand += r["n"]
                    # a thread worker's were shown in this process as they were raised: kept in the file only
                    for note in () if r.get("shown") else r.get("notes", ()):
                        if note not in notes_said:  # once for the survey, not once per worker process
                            notes_said.add(note)
                            bar.write(note, file=sys.stderr)  # on stderr above the bar, as the workers' own
                bar.update(1)
                bar.set_postfix(candidates=n_cand, failed=len(failed))
                fut.release()
                n_done += 1
                if n_done == len(prepared.jobs) or time.perf_counter() - said_at >= LOG_EVERY_S:
                    log.info("survey: %d/%d tiles, %d candidates, %d failed", n_done, len(prepared.jobs), n_cand,
                             len(failed))
                    said_at = time.perf_counter()
        finally:
            bar.close()
    except _ClusterLost:
        lost = True  # its client's close logs the cancelled reconnection's traceback: hidden below
        raise
    finally:
        with _quiet_client_log(lost):
            if own_client:
                client.close()
            if made_cluster is not None:
                made_cluster.close()
    failed.sort()
    t_tiles = time.perf_counter() - t0
    summary: dict[str, Any] = {
        "complete": not failed,
        "plan": str(plan.source) if plan.source else None,
        "model": str(plan.model), "task": prepared.config.name,
        "tile_size": plan.tile_size, "overlap": prepared.overlap, "photometry": plan.photometry,
        "n_fields": len(prepared.fields), "n_tiles": len(prepared.jobs),
        "n_tiles_skipped": skipped, "n_tiles_run": len(results), "failed_tiles": failed,
        "errors": errors, "workers": n_w, "dashboard": link,
        # what the command's early refusal of a finished folder compares (refuse_complete_output): a changed
        # input or option lets run_survey's check say for how many tiles
        "inputs": input_stamps(prepared.inputs), "given": given_options(plan), "tile_format": TILE_FORMAT,
    }
    if overlaps:
        summary["fields_overlapping_on_the_sky"] = [{"fields": [a, b], "share_of_second": round(share, 3)}
                                                    for a, b, share in overlaps]
    flags = plan.pixel_flags()
    if flags:
        # as detect's catalogue meta: the summary says which pixels were left out (it did not)
        summary["pixel_flags"] = {"applied": flags.describe(),
                                  "fields": {i.spec.name: i.flags_note for i in prepared.fields}}
    if failed:
        summary["seconds"] = {"tiles": t_tiles}
        summary["failed_on_input"] = sorted(on_input)
        _write_json(outdir / "summary.json", summary)
        end_run_marker(outdir)  # the summary says incomplete itself
        return SurveyResult(outdir, summary, failed)

    t1 = time.perf_counter()
    per_field: dict[str, Any] = {}
    by_field: dict[str, list[TileJob]] = {}
    for j in prepared.jobs:
        by_field.setdefault(j.field, []).append(j)
    total = 0
    import pyarrow.parquet as pq

    merged: dict[str, Any] = {}
    for info in prepared.fields:
        name = info.spec.name
        merged[name] = merge_tiles([j.output for j in by_field[name]], detected=info.detected,
                                   tile_order=prepared.tile_order[name])
    # the fields the model was trained on (its manifest's record; None: not recorded, cannot be told), marked in a
    # column of every field's catalogue where it is known, in summary.json and on the field's line
    recorded = _recorded_fields(plan.model)
    trained = {info.spec.name: trained_on(info, recorded) for info in prepared.fields}
    if recorded is not None:
        import pyarrow as pa

        for name, flag in trained.items():
            merged[name] = merged[name].append_column(
                TRAINED_FIELD, pa.array(np.full(merged[name].num_rows, bool(flag)), pa.bool_()))
    # every partition gets the same columns: a reader of the partitioned folder takes the schema of
    # the first file it finds, so a first field without a WCS (no ra, dec) or without a band dropped
    # those columns from every field without a word (pandas and pyarrow alike)
    union = _union_schema([t.schema for t in merged.values()])
    # one unit per column in the merged catalogue (its reader takes the first file's): units that convert are
    # converted there; each field's own catalogue keeps its own
    in_one_unit, converted = common_units(merged)
    for line in converted:
        echo(f"note: {line}")
    if converted:
        summary["units_converted"] = converted
    with atomic_dir(outdir / "catalogue", overwrite=True, own=("field=*",)) as tmp_cat:
        for info in prepared.fields:
            name = info.spec.name
            table = merged[name]
            fdir = outdir / "fields" / name
            with atomic_path(fdir / "catalogue.parquet") as tmp:
                # the column list astropy's reader checks is redone: merge_tiles wrote it before trained_field was
                # appended, and Table.read of every field's catalogue failed with KeyError 'trained_field'
                pq.write_table(with_astropy_metadata(table), tmp)
            part = tmp_cat / f"field={name}"
            part.mkdir()
            # the partition folder names the field: the column itself is left out of the files
            # astropy's reader needs the column list to match the file's columns
            # a field none of whose candidates needed classify's flag columns gets them filled as classify fills
            # them, not null (NaN: "unclassified")
            pq.write_table(with_astropy_metadata(fill_flag_columns(_conform(in_one_unit[name], union)).drop_columns(
                [c for c in ("field",) if c in union.names])), part / "part-0.parquet")
            entry: dict[str, Any] = {"n_candidates": table.num_rows, "shape": list(info.shape),
                                     "n_tiles": len(by_field[name]), "detected": info.detected,
                                     "trained_on": trained[name]}
            if info.no_wcs is not None:
                entry[SKY_POSITIONS] = f"none: {info.no_wcs} carry no celestial WCS"
            if table.num_rows and CLASS_PRED in table.column_names:
                classes, counts = np.unique(table.column(CLASS_PRED).to_numpy(), return_counts=True)
                entry["class_pred_counts"] = {str(int(c)): int(n) for c, n in zip(classes, counts)}
            if info.spec.truth is not None:
                ev = _evaluate(table, info, prepared.config, plan.match_radius)
                # the field the model learnt from is scored too, but is no test of it: marked (None: not known)
                ev["trained_on"] = trained[name]
                _write_json(fdir / "evaluation.json", ev)
                entry["evaluation"] = ev
            per_field[name] = entry
            total += table.num_rows
    # a field left out of the plan since an earlier complete run (then --overwrite): its partition went
    # with the old catalogue folder above; its own folder stayed, a catalogue of the old run beside the
    # new ones that the summary and the merged catalogue no longer had
    for stale in _stale_fields(outdir, {info.spec.name for info in prepared.fields}):
        shutil.rmtree(stale)
        echo(f"note: removed {stale}: field {stale.name!r} is not in the plan any more (its tiles are kept in "
             f"{outdir / 'tiles' / stale.name})")
    # the tile files of an earlier grid (another tile_size, then --overwrite) whose names this grid lacks: never
    # read again, they stayed on disk (8 of 12 files of a 64 px run rerun with 128 px tiles)
    stale_tiles = _stale_tiles(outdir, prepared.jobs)
    if stale_tiles:
        for f in stale_tiles:
            f.unlink()
        per = ", ".join(f"{name}: {n}" for name, n in sorted(Counter(f.parent.name for f in stale_tiles).items()))
        echo(f"note: removed {counted(len(stale_tiles), 'tile file')} of an earlier grid from {outdir / 'tiles'} "
             f"({per}): not tiles of this plan's {plan.tile_size} px grid")
    t_merge = time.perf_counter() - t1
    wall = time.perf_counter() - t0
    rss_by_pid: dict[int, int] = {}
    for r in results:
        rss_by_pid[r["pid"]] = max(rss_by_pid.get(r["pid"], 0), r["peak_rss"])
    secs = {k: float(sum(r["seconds"][k] for r in results)) for k in ("find", "classify", "total")}
    cpu = {k: float(sum(r["cpu_seconds"][k] for r in results)) for k in ("find", "total")}
    pixels = sum(r["pixels"] for r in results)
    n_run = sum(r["n"] for r in results)  # the rows the tiles run now own (the bar's count less the reused)
    summary.update({
        "n_candidates": total, "fields": per_field,
        "seconds": {"wall": wall, "start": t_start, "tiles": t_tiles - t_start, "merge": t_merge, "task_sums": secs},
        "cpu_seconds": cpu,
        # the candidates of the tiles run now: a resumed run counted its reused tiles' too, so a rerun
        # with --overwrite (every tile reused) claimed thousands of candidates per second
        "n_candidates_run": n_run,
        "candidates_per_second": n_run / wall if wall > 0 and results else None,
        # a single-threaded worker's rate on an idle core: CPU time does not grow with the load
        "candidates_per_cpu_second": (n_run / cpu["total"]) if cpu["total"] > 0 else None,
        "find_cpu_seconds_per_megapixel": cpu["find"] / (pixels / 1e6) if pixels else None,
        "find_seconds_per_megapixel": secs["find"] / (pixels / 1e6) if pixels else None,
        "peak_rss_per_worker_bytes": sorted(rss_by_pid.values()),
        "model_loads_per_process": sorted({r["pid"]: r["model_loads"] for r in results}.values()),
        "tiles_per_worker": {w: sum(r["worker"] == w for r in results) for w in sorted({r["worker"] for r in results})},
        "cpu_seconds_per_worker": {w: float(sum(r["cpu_seconds"]["total"] for r in results if r["worker"] == w))
                                   for w in sorted({r["worker"] for r in results})},
    })
    _write_json(outdir / "summary.json", summary)
    end_run_marker(outdir)
    return SurveyResult(outdir, summary, [], outdir / "catalogue")


#: What the survey writes in ``OUT/fields/<name>/`` (a folder holding anything else is not removed).
FIELD_ENTRIES = ("catalogue.parquet", "evaluation.json")


def _stale_fields(outdir: Path, names: Collection[str]) -> list[Path]:
    """The folders of ``OUT/fields`` of fields not in ``names`` that hold only what the survey writes there.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> for f in ("a", "b", "c"):
    ...     (out / "fields" / f).mkdir(parents=True)
    ...     _ = (out / "fields" / f / "catalogue.parquet").write_bytes(b"")
    >>> _ = (out / "fields" / "c" / "notes.txt").write_text("mine")
    >>> [p.name for p in _stale_fields(out, {"a"})]
    ['b']
    """
    root = outdir / "fields"
    if not root.is_dir():
        return []
    return [d for d in sorted(root.iterdir()) if d.is_dir() and d.name not in names
            and all(e.name in FIELD_ENTRIES for e in d.iterdir())]


#: The name of a tile's file in ``OUT/tiles/<field>/`` (:attr:`starclass.survey.tiles.Tile.name`).
TILE_FILE = re.compile(r"r\d{3,}_c\d{3,}\.parquet")


def _stale_tiles(outdir: Path, jobs: Collection[TileJob]) -> list[Path]:
    """The tile files in ``OUT/tiles/<field>/`` of the plan's fields that none of ``jobs`` writes.

    Only files named as tiles are (another file there is left alone), and only in the folders of the
    fields of ``jobs``: a field left out of the plan keeps its tiles, to come back to.

    Examples
    --------
    >>> import tempfile
    >>> from types import SimpleNamespace
    >>> out = Path(tempfile.mkdtemp())
    >>> (out / "tiles" / "a").mkdir(parents=True)
    >>> for name in ("r000_c000.parquet", "r000_c001.parquet", "notes.txt"):
    ...     _ = (out / "tiles" / "a" / name).write_bytes(b"")
    >>> job = SimpleNamespace(field="a", output=str(out / "tiles" / "a" / "r000_c000.parquet"))
    >>> [p.name for p in _stale_tiles(out, [job])]
    ['r000_c001.parquet']
    """
    keep = {Path(j.output) for j in jobs}
    out = []
    for name in sorted({j.field for j in jobs}):
        folder = outdir / "tiles" / name
        if folder.is_dir():
            out += [f for f in sorted(folder.iterdir())
                    if f.is_file() and TILE_FILE.fullmatch(f.name) and f not in keep]
    return out


def _union_schema(schemas: list[pa.Schema]) -> pa.Schema:
    """One schema with every column of ``schemas``, in order of first appearance.

    A column whose type differs between fields takes the type that holds both (int64 and
    float64: float64), else text: casting every field to the first field's type ended the
    survey, after all its tiles, with pyarrow's "Failed to parse string: 'S-1' as a scalar of
    type int64" where one field's given ids were numbers and another's names.

    Examples
    --------
    >>> import pyarrow as pa
    >>> _union_schema([pa.schema([("x", pa.float64())]), pa.schema([("x", pa.float64()), ("ra", pa.float64())])]).names
    ['x', 'ra']
    >>> _union_schema([pa.schema([("id", pa.int64())]), pa.schema([("id", pa.string())])]).field("id").type
    DataType(string)
    """
    import pyarrow as pa

    fields: dict[str, Any] = {}
    for schema in schemas:
        for f in schema:
            old = fields.setdefault(f.name, f)
            if old.type == f.type:
                continue
            try:
                fields[f.name] = pa.unify_schemas([pa.schema([old]), pa.schema([f])],
                                                  promote_options="permissive").field(f.name)
            except (pa.ArrowTypeError, pa.ArrowInvalid, pa.ArrowNotImplementedError):
                fields[f.name] = pa.field(f.name, pa.string())
    return pa.schema(list(fields.values()))


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` with every column of ``schema``: the missing ones null, the columns in the schema's order.

    Examples
    --------
    >>> import pyarrow as pa
    >>> t = _conform(pa.table({"x": [1.0]}), pa.schema([("x", pa.float64()), ("ra", pa.float64())]))
    >>> t.column_names, t.column("ra").to_pylist()
    (['x', 'ra'], [None])
    """
    import pyarrow as pa

    cols = [(table.column(f.name) if table.schema.field(f.name).type == f.type else table.column(f.name).cast(f.type))
            if f.name in table.column_names else pa.nulls(table.num_rows, f.type) for f in schema]
    return pa.Table.from_arrays(cols, schema=pa.schema(list(schema), metadata=table.schema.metadata))


def _write_json(path: Path, doc: dict[str, Any]) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(doc, indent=2, default=float) + "\n")


def truth_words(evaluation: dict[str, Any]) -> str | None:
    """A field's evaluation against its truth (its ``evaluation.json``) in words; None where it holds none.

    The survey's summary line of the field and ``info`` of the field's folder say it alike.

    Examples
    --------
    >>> ev = {"n_truth": 60, "n_catalogue": 60, "n_matched": 58, "completeness": 0.97, "matched_on": "sky (ra, dec)"}
    >>> truth_words({**ev, "accuracy": {"2class": {"accuracy": 0.9, "balanced_accuracy": 0.6}}})
    'truth: 58/60 matched on the sky (ra, dec), accuracy (2class) 0.900 (balanced 0.600)'
    >>> truth_words({"n_truth": 5, "n_catalogue": 0})
    'truth: 0/5 matched (no candidate in the field)'
    """
    if not evaluation.get("n_catalogue") and evaluation.get("n_truth"):
        return f"truth: 0/{evaluation['n_truth']} matched (no candidate in the field)"
    if evaluation.get("completeness") is None:
        return None
    said = (f"truth: {evaluation['n_matched']}/{evaluation['n_truth']} matched on the "
            f"{evaluation.get('matched_on', 'pixels')}")
    for merge, a in (evaluation.get("accuracy") or {}).items():
        # with the balanced accuracy beside it: a model calling every candidate of a field of 9 % clusters
        # "non-cluster" scored "accuracy (2class) 0.912" alone, which reads as a working classifier
        bal = a.get("balanced_accuracy")
        said += f", accuracy ({merge}) {a['accuracy']:.3f}" + (
            f" (balanced {bal:.3f})" if bal is not None and np.isfinite(bal) else "")
    return said


def summary_lines(summary: dict[str, Any]) -> list[str]:
    """The summary as a few lines for humans.

    Examples
    --------
    >>> summary_lines({"complete": False, "failed_tiles": ["a/r000_c000"], "errors": {}})[0]
    'survey INCOMPLETE: 1 tile failed after retries:'
    >>> summary_lines({"complete": False, "failed_tiles": [f"a/r000_c00{i}" for i in range(4)],
    ...                "errors": {f"a/r000_c00{i}": "OSError('gone')" for i in range(4)}})[1]
    "  a: 4 tiles (r000_c000, r000_c001, r000_c002, r000_c003): OSError('gone')"
    """
    if not summary.get("complete"):
        lines = [f"survey INCOMPLETE: {counted(len(summary['failed_tiles']), 'tile')} failed after retries:"]
        # the tiles of one field that failed alike are one line: a field whose PSF could not be measured
        # (a mosaic damaged after the plan check) printed its error once per tile, 16 identical lines
        # for a 512 px field in 128 px tiles and hundreds for a large mosaic
        groups: dict[tuple[str, str], list[str]] = {}
        for k in summary["failed_tiles"]:
            fname, _, tile = k.rpartition("/")
            groups.setdefault((fname, summary["errors"].get(k, "")), []).append(tile)
        for (fname, err), tiles in groups.items():
            if len(tiles) == 1:
                lines.append(f"  {fname}/{tiles[0]}: {err}")
            else:
                shown = ", ".join(tiles[:4]) + (f", ... {tiles[-1]}" if len(tiles) > 4 else "")
                lines.append(f"  {fname}: {len(tiles)} tiles ({shown}): {err}")
        on_input = summary.get("failed_on_input") or []
        if on_input:
            # a mosaic truncated after the plan check: 'rerun the same command' failed the same way
            fields = ", ".join(repr(f) for f in on_input)
            lines.append(f"{agreeing(len(on_input), 'field')} {fields}: an input named above cannot be read now "
                         "(damaged or replaced after the plan check): repair it, or let its copy finish (or delete "
                         "the field from the plan), then rerun the same command (finished tiles are kept and reused; "
                         "summary.json lists each)")
        else:
            lines.append("rerun the same command to retry them (finished tiles are kept; summary.json lists each)")
        return lines
    s = summary["seconds"]
    rate = summary.get("candidates_per_second")
    if not summary["n_tiles_skipped"]:
        speed = f"{rate or 0:.0f} candidates/s"
    elif rate is None:
        speed = "no tile run"
    else:  # the rate of the work done now, not of the reused tiles' candidates
        speed = f"{rate:.0f} candidates/s over the {counted(summary['n_candidates_run'], 'candidate')} of the tiles run"
    lines = [f"survey complete: {counted(summary['n_candidates'], 'candidate')} in "
             f"{counted(summary['n_fields'], 'field')}, {counted(summary['n_tiles'], 'tile')} "
             f"({summary['n_tiles_skipped']} reused) in {s['wall']:.1f} s ({speed})"]
    for name, f in summary["fields"].items():
        line = f"  {name}: {counted(f['n_candidates'], 'candidate')}, {counted(f['n_tiles'], 'tile')}"
        n_none = (f.get("class_pred_counts") or {}).get("0")
        if n_none:
            # the tiles name them once per field (detecting) or by id (given): the count was in summary.json only
            line += f", {n_none} unclassified (class_pred 0: no usable stamp or off the mosaics)"
        ev = f.get("evaluation")
        if ev and (said := truth_words(ev)) is not None:
            line += f"; {said}"
        if ev and ev.get("completeness") is not None and (ev.get("n_catalogue") or not ev.get("n_truth")):
            # evaluate warns of a catalogue with all its paired objects in one class; the survey's line gave the
            # accuracy of such a field (0.900, balanced 0.500) without a word of it (user walk, 2026-12-07)
            counts = {k: v for k, v in (f.get("class_pred_counts") or {}).items() if k != "0" and v}
            if ev.get("accuracy") and len(counts) == 1 and f["n_candidates"] > 1:
                line += f"; every classified candidate is class {next(iter(counts))}"
        if f.get("trained_on") or (ev or {}).get("trained_on"):
            # its truth (or mosaics) were the model's training data: the accuracy read as held-out
            line += (" (the model was trained on this field: not a held-out score)" if (ev or {}).get("accuracy")
                     else " (the model was trained on this field)")
        lines.append(line)
    unknown = [n for n, f in summary["fields"].items() if (f.get("evaluation") or {}).get("completeness") is not None
               and "trained_on" in f["evaluation"] and f["evaluation"]["trained_on"] is None]
    if unknown:
        lines.append(f"note: whether the model was trained on {', '.join(unknown)} cannot be told: its manifest "
                     "records no training fields (trained on stamps, or before 2026-12-07)")
    rss = summary.get("peak_rss_per_worker_bytes")
    if rss:
        label = "peak memory per worker"
        if len(rss) > (summary.get("workers") or len(rss)):
            # one figure per worker process that ran tiles: three for a two-worker survey read as a miscount
            procs, workers = counted(len(rss), "process", "processes"), counted(summary["workers"], "worker")
            label += f" process ({procs} for {workers}: a worker died and was replaced, or joined later)"
        lines.append(f"{label}: " + ", ".join(f"{b / 2**30:.2f} GiB" for b in rss))
    return lines
