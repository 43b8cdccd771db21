"""starclass survey: tiling, ownership at tile edges, de-duplication, restart, Dask runs.

The survey here is tiny (two 200 x 190 px fields cut into 64 px tiles) so that the whole
file runs in well under a minute: the two-worker LocalCluster runs use thread workers, and
the process-worker CLI run (each worker imports torch) is marked slow.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table

pytest.importorskip("distributed")

from starclass.errors import StarclassError
from starclass.survey import (
    assign_tiles,
    read_plan,
    reconcile,
    run_survey,
    tile_grid,
)
from starclass.survey.tiles import in_core

SHAPE = (190, 200)  # (ny, nx)
TILE = 64
#: Given positions on tile edges (64, 128, 192), on corners, and a hair either side of them;
#: plus the image's first and last pixel centres and half a pixel beyond them.
EDGE_XY = [(64.0, 64.0), (128.0, 128.0), (64.0, 10.0), (10.0, 64.0), (63.999, 100.0), (128.001, 100.0),
           (192.0, 100.0), (100.0, 128.0), (100.0, 127.9999), (0.0, 0.0), (199.0, 189.0), (-0.5, 50.0),
           (199.4, 50.0), (50.0, 189.4), (192.0, 128.0), (30.0, 30.0), (150.0, 170.0)]


# -- fixtures --------------------------------------------------------------------------------------
def _make_model(d: Path) -> Path:
    """An untrained compact m31-binary model: enough to test the plumbing, deterministic."""
    from starclass.learn.checkpoint import write_untrained_model
    from starclass.learn.config import get_preset

    return write_untrained_model(d, get_preset("m31-binary-compact"))


def _make_field(d: Path, xy, seed: int) -> None:
    """g and i mosaics with a Gaussian source at each of ``xy``, and truth.ecsv (id, x, y, class_ref)."""
    from starclass.bands import BANDS
    from starclass.io.mosaic import write_mosaic
    from starclass.simulate import preset
    from starclass.simulate.field import make_wcs

    rng = np.random.default_rng(seed)
    ny, nx = SHAPE
    yy, xx = np.mgrid[0:ny, 0:nx]
    wcs = make_wcs(preset("m31", shape=SHAPE))
    d.mkdir(parents=True)
    for b in ("g", "i"):
        img = rng.normal(0.0, 0.05, SHAPE).astype("f4")
        for x, y in xy:
            img += (50.0 * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * 1.5 ** 2))).astype("f4")
        write_mosaic(d / f"f_{b}.fits", img, b, wcs, photflam=BANDS[b].photflam, photplam=BANDS[b].photplam)
    t = Table({"id": np.arange(1, len(xy) + 1), "x": [p[0] for p in xy], "y": [p[1] for p in xy]})
    t["class_ref"] = rng.integers(1, 5, len(t))
    t.write(d / "truth.ecsv")


@pytest.fixture(scope="module")
def survey_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("survey")
    _make_model(d / "model")
    _make_field(d / "given", EDGE_XY, seed=1)
    # detection field: isolated sources (>= 12 px apart) on edges and corners of the 64 px grid
    det = [(64.0, 64.0), (128.0, 64.0), (64.0, 128.0), (128.0, 128.0), (64.0, 30.0), (30.0, 64.0),
           (100.0, 64.0), (128.0, 100.0), (160.0, 160.0), (40.0, 160.0), (175.0, 30.0)]
    _make_field(d / "found", det, seed=2)
    (d / "plan.yaml").write_text(
        "model: model\ntile_size: 64\noverlap: 56\nphotometry: ci\nretries: 1\nfields:\n"
        "  - {name: given, mosaics: given, positions: given/truth.ecsv, truth: given/truth.ecsv}\n"
        "  - {name: found, mosaics: found, truth: found/truth.ecsv}\n")
    return d


@pytest.fixture(scope="module")
def cluster():
    """A two-worker LocalCluster of thread workers (fast to start: no torch import per worker)."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None,
                      silence_logs=40) as c:
        yield c


@pytest.fixture(scope="module")
def clean_run(survey_dir, cluster):
    """One uninterrupted run, through a cluster object (the dask-jobqueue code path)."""
    out = survey_dir / "clean"
    result = run_survey(read_plan(survey_dir / "plan.yaml"), out, cluster=cluster, progress=False, echo=lambda s: None)
    assert result.ok, result.summary
    return result


# -- tiles ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("shape", "size", "overlap"), [((190, 200), 64, 56), ((64, 64), 64, 8), ((65, 300), 100, 0)])
def test_cores_cover_every_pixel_once_and_windows_hold_them(shape, size, overlap):
    count = np.zeros(shape, dtype=int)
    for t in tile_grid(shape, size, overlap):
        x0, x1, y0, y1 = t.core
        count[y0:y1, x0:x1] += 1
        wx0, wx1, wy0, wy1 = t.window
        assert wx0 <= x0 and wx1 >= x1 and wy0 <= y0 and wy1 >= y1
        assert wx0 == max(0, x0 - overlap) and wx1 == min(shape[1], x1 + overlap)
    assert (count == 1).all()


def test_each_centre_belongs_to_exactly_one_tile_on_edges_and_corners():
    tiles = tile_grid(SHAPE, TILE, 56)
    rng = np.random.default_rng(0)
    edges = np.array([0.0, 63.999999, 64.0, 64.000001, 127.5, 128.0, 192.0, 199.49, -0.5])
    x = np.concatenate([rng.uniform(-0.5, 199.5, 500), np.repeat(edges, len(edges))])
    y = np.concatenate([rng.uniform(-0.5, 189.5, 500), np.tile(np.minimum(edges, 189.4), len(edges))])
    owners = np.stack([in_core(x, y, t, SHAPE) for t in tiles])
    assert (owners.sum(axis=0) == 1).all()
    assert (np.argmax(owners, axis=0) == assign_tiles(x, y, SHAPE, TILE)).all()
    # the rule itself: an edge belongs to the tile above/right of it, a corner to the one up-right
    names = [t.name for t in tiles]
    assert names[assign_tiles(np.array([64.0]), np.array([64.0]), SHAPE, TILE)[0]] == "r001_c001"
    assert names[assign_tiles(np.array([63.999]), np.array([64.0]), SHAPE, TILE)[0]] == "r001_c000"


def test_reconcile_keeps_one_row_per_source_across_an_edge():
    # the same source seen from two tiles: inside both cores / outside both / consistent
    x = np.array([63.99, 64.01, 64.02, 63.98, 64.3, 20.0, 20.3])
    y = np.array([5.0, 5.0, 40.0, 40.0, 80.0, 80.0, 80.0])
    tile = np.array([0, 1, 0, 1, 1, 0, 0])
    core = np.array([True, True, False, False, True, True, True])
    keep = reconcile(x, y, tile, core, radius=1.0)
    assert keep.tolist() == [True, False, True, False, True, True, True]


# -- plans ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "message"), [
    ("model: m\nfields: []\ncolour: red\n", r"unknown key colour"),
    ("model: m\nfields:\n  - {name: a, mosaics: nowhere}\n", "field 'a': mosaics .*nowhere not found"),
    ("model: m\nfields:\n  - {name: a, mosaic: x}\n", "field 1: unknown key"),
    ("model: m\ntile_size: 10\nfields: []\n", "tile_size must be >= 64"),
    ("model: m\nfields:\n  - {name: 'a b', mosaics: .}\n", "name 'a b' must be"),
    ("fields: {a: 1}\n", "'fields' must be a list"),
])
def test_bad_plans_are_refused_naming_the_file_and_key(tmp_path, text, message):
    p = tmp_path / "plan.yaml"
    p.write_text(text)
    with pytest.raises(StarclassError, match=message) as exc:
        read_plan(p)
    assert str(p) in str(exc.value)


def test_plan_checked_against_model_and_mosaics_before_any_tile(survey_dir, tmp_path):
    from starclass.survey.run import prepare

    plan = read_plan(survey_dir / "plan.yaml")
    with pytest.raises(StarclassError, match="task 'legus4' but model .* task 'm31-binary-compact'"):
        prepare(plan.with_options(task="legus4"), tmp_path / "o")
    with pytest.raises(StarclassError, match="overlap 20 px is smaller than the model's stamp"):
        prepare(plan.with_options(overlap=20), tmp_path / "o")
    with pytest.raises(StarclassError, match="field 'found': photometry 'skip' needs a positions catalogue"):
        prepare(plan.with_options(photometry="skip"), tmp_path / "o")
    assert not (tmp_path / "o").exists()


def test_cli_bad_plan_exits_2_naming_the_row(survey_dir, tmp_path):
    from typer.testing import CliRunner

    from starclass.cli import app

    p = tmp_path / "plan.csv"
    p.write_text(f"name,mosaics\ngiven,{survey_dir / 'given'}\nmissing,{tmp_path / 'nope'}\n")
    r = CliRunner().invoke(app, ["survey", str(p), "-o", str(tmp_path / "out"), "--model",
                                 str(survey_dir / "model"), "--no-progress"])
    assert r.exit_code == 2, r.output
    assert "field 'missing'" in r.output and "row 2 (line 3 of the file)" in r.output
    assert not (tmp_path / "out").exists()


# -- runs ------------------------------------------------------------------------------------------
def test_given_positions_on_edges_and_corners_appear_exactly_once(clean_run):
    import pyarrow.parquet as pq

    table = pq.read_table(clean_run.outdir / "fields" / "given" / "catalogue.parquet")
    ids = table.column("id").to_numpy()
    assert sorted(ids.tolist()) == list(range(1, len(EDGE_XY) + 1))  # no duplicate, no gap
    x, y = table.column("x").to_numpy(), table.column("y").to_numpy()
    tiles = [t.name for t in tile_grid(SHAPE, TILE, 56)]
    expected = [tiles[i] for i in assign_tiles(x, y, SHAPE, TILE)]
    assert table.column("tile").to_pylist() == expected
    assert np.allclose(x, [p[0] for p in EDGE_XY]) and np.allclose(y, [p[1] for p in EDGE_XY])
    assert set(table.column("class_pred").to_numpy()) <= {0, 1, 2}


def test_detected_sources_on_edges_are_catalogued_once(clean_run, survey_dir):
    import pyarrow.parquet as pq

    from starclass.detect.match import match_catalogs

    table = pq.read_table(clean_run.outdir / "fields" / "found" / "catalogue.parquet")
    truth = Table.read(survey_dir / "found" / "truth.ecsv")
    xy = np.column_stack([table.column("x").to_numpy(), table.column("y").to_numpy()])
    it, ic, _ = match_catalogs(truth, xy, radius=1.5)
    assert len(it) == len(truth)  # nothing lost at an edge
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    assert (d[np.triu_indices(len(xy), 1)] > 3.0).all()  # nothing doubled
    assert table.column("id").to_pylist() == list(range(1, table.num_rows + 1))


def test_merged_catalogue_is_partitioned_by_field_and_summarised(clean_run):
    import pyarrow.parquet as pq

    out = clean_run.outdir
    assert sorted(p.name for p in (out / "catalogue").iterdir()) == ["field=found", "field=given"]
    merged = pq.read_table(out / "catalogue")
    per_field = sum(pq.read_table(out / "fields" / f / "catalogue.parquet").num_rows for f in ("given", "found"))
    assert merged.num_rows == per_field == clean_run.summary["n_candidates"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["complete"] and summary["n_tiles"] == 2 * 12 and summary["workers"] == 2
    assert summary["fields"]["given"]["evaluation"]["n_matched"] == len(EDGE_XY)
    assert len(summary["tiles_per_worker"]) == 2  # both workers got tiles


def test_failed_tiles_are_reported_then_a_rerun_completes_identically(survey_dir, cluster, clean_run):
    import pyarrow.parquet as pq

    plan = read_plan(survey_dir / "plan.yaml")
    out = survey_dir / "restarted"
    broken = ["found/r001_c001", "given/r000_c002"]
    first = run_survey(plan, out, cluster=cluster, progress=False, fail_tiles=broken, echo=lambda s: None)
    assert first.failed == broken and not first.ok
    assert not (out / "catalogue").exists()
    assert json.loads((out / "summary.json").read_text())["failed_tiles"] == broken
    second = run_survey(plan, out, cluster=cluster, progress=False, echo=lambda s: None)
    assert second.ok
    assert second.summary["n_tiles_run"] == len(broken)
    assert second.summary["n_tiles_skipped"] == second.summary["n_tiles"] - len(broken)
    for f in ("given", "found"):
        a = pq.read_table(clean_run.outdir / "fields" / f / "catalogue.parquet")
        b = pq.read_table(out / "fields" / f / "catalogue.parquet")
        assert a.equals(b), f
    # a finished survey is kept unless overwrite=True (the Python call's argument; the CLI says --overwrite)
    with pytest.raises(StarclassError, match="give overwrite=True"):
        run_survey(plan, out, cluster=cluster, progress=False, echo=lambda s: None)


def test_a_resumed_survey_s_progress_and_rate_count_the_reused_tiles_right(survey_dir, cluster, clean_run, capsys):
    """A resumed survey's bar ended on the candidates of the tiles run now (1101 of 2809 by hand),
    and its candidates/s counted the reused tiles' candidates as if just classified."""
    import re
    import shutil

    from starclass.survey.run import summary_lines

    out = survey_dir / "resumed_bar"
    shutil.copytree(clean_run.outdir / "tiles", out / "tiles")
    gone = ["found/r001_c001", "given/r000_c002"]
    for key in gone:
        (out / "tiles" / f"{key}.parquet").unlink()
    capsys.readouterr()
    result = run_survey(read_plan(survey_dir / "plan.yaml"), out, cluster=cluster, progress=True, echo=lambda s: None)
    assert result.ok and result.summary["n_tiles_run"] == len(gone)
    counts = [int(n) for n in re.findall(r"candidates=(\d+)", capsys.readouterr().err)]
    total = result.summary["n_candidates"]
    assert counts and counts[0] > 0, counts  # the reused tiles' candidates from the start
    assert counts[-1] == total, (counts, total)
    run_now = result.summary["n_candidates_run"]
    assert 0 < run_now < total
    assert result.summary["candidates_per_second"] == pytest.approx(run_now / result.summary["seconds"]["wall"])
    assert f"over the {run_now} candidates of the tiles run" in summary_lines(result.summary)[0]
    # every tile reused (--overwrite redoes the merge only): no rate at all, not total / a few seconds
    again = run_survey(read_plan(survey_dir / "plan.yaml"), out, cluster=cluster, overwrite=True, progress=False,
                       echo=lambda s: None)
    assert again.summary["n_candidates_run"] == 0 and again.summary["candidates_per_second"] is None
    assert "(no tile run)" in summary_lines(again.summary)[0]


def test_tiles_of_a_field_that_failed_alike_are_listed_on_one_line():
    """A mosaic truncated after the plan check failed the field's PSF task: each of its 16 tiles
    was listed with the same 300-character error (by hand), hundreds for a large mosaic."""
    from starclass.survey.run import summary_lines

    err = "the PSF of field 'c': StarclassError('c/g.fits is truncated: the file holds 100000 bytes')"
    tiles = [f"c/r{r:03d}_c{c:03d}" for r in range(4) for c in range(4)]
    summary = {"complete": False, "failed_tiles": ["b/r001_c002", *tiles],
               "errors": {"b/r001_c002": "RuntimeError('injected fault')", **dict.fromkeys(tiles, err)}}
    lines = summary_lines(summary)
    assert lines[0] == "survey INCOMPLETE: 17 tiles failed after retries:"
    assert lines[1] == "  b/r001_c002: RuntimeError('injected fault')"
    assert lines[2] == f"  c: 16 tiles (r000_c000, r000_c001, r000_c002, r000_c003, ... r003_c003): {err}"
    assert len(lines) == 4 and lines[3].startswith("rerun the same command")
    assert len(summary["failed_tiles"]) == 17  # summary.json still names every tile


def test_memory_of_more_worker_processes_than_workers_says_why():
    """kill -9 of one of two LocalCluster workers (its nanny starts another): the closing line read
    'peak memory per worker: 0.90 GiB, 0.97 GiB, 0.97 GiB' for a two-worker survey."""
    from starclass.survey.run import summary_lines

    summary = {"complete": True, "n_candidates": 2, "n_fields": 1, "n_tiles": 3, "n_tiles_skipped": 0,
               "candidates_per_second": 1.0, "seconds": {"wall": 2.0}, "workers": 2,
               "fields": {"f": {"n_candidates": 2, "n_tiles": 3}},
               "peak_rss_per_worker_bytes": [2**30, 2**30, 2**31]}
    assert summary_lines(summary)[-1] == ("peak memory per worker process (3 processes for 2 workers: a worker died "
                                          "and was replaced, or joined later): 1.00 GiB, 1.00 GiB, 2.00 GiB")
    summary["peak_rss_per_worker_bytes"] = [2**30, 2**31]
    assert summary_lines(summary)[-1] == "peak memory per worker: 1.00 GiB, 2.00 GiB"


def test_the_dashboard_and_the_field_psf_phase_are_said_before_the_psf_tasks_run(survey_dir, cluster, monkeypatch,
                                                                                 tmp_path):
    """The fields' PSF tasks (a whole-mosaic detect each, before any tile) ran before the 'dask:' line:
    nothing was printed after the plan line, neither the dashboard nor what was being done (12 s on
    three 512 px fields by hand, minutes for many large mosaics)."""
    from starclass.survey import work

    log, seen_dir = tmp_path / "said.txt", tmp_path / "seen"
    seen_dir.mkdir()
    real = work.field_psf_of

    def spy(job, *a, **k):  # the task is pickled even for thread workers: it reports through files
        (seen_dir / job.field).write_text(log.read_text() if log.exists() else "")
        return real(job, *a, **k)

    def echo(line):
        with log.open("a") as f:
            f.write(line + "\n")

    monkeypatch.setattr(work, "field_psf_of", spy)
    result = run_survey(read_plan(survey_dir / "plan.yaml"), tmp_path / "out", cluster=cluster, progress=False,
                        echo=echo)  # photometry ci: two fields, two PSF tasks
    seen = [p.read_text().splitlines() for p in sorted(seen_dir.iterdir())]
    assert result.ok and len(seen) == 2, seen
    for before in seen:
        assert any(line.startswith("dask: 2 workers; dashboard:") for line in before), before
        assert "measuring the PSF of 2 fields on the whole mosaic (one task per field, for every tile's aperture " \
               "corrections), then the tiles" in before, before


def test_a_second_survey_on_a_folder_being_written_is_refused(survey_dir, cluster, tmp_path):
    """Two surveys started on one output folder (by hand: two terminals) both ran every tile and both
    merged, each replacing the other's files, without a word."""
    import fcntl

    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".survey.lock", "a+") as held:  # the first survey, still running
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write("pid 4242 on head, started 2026-12-05 00:00:00\n")
        held.flush()
        with pytest.raises(StarclassError, match=r"survey output .*out is being written by another survey "
                                                 r"\(pid 4242 on head, started 2026-12-05 00:00:00\); wait for it"):
            run_survey(read_plan(survey_dir / "plan.yaml"), out, cluster=cluster, progress=False, echo=lambda s: None)
    assert not (out / "tiles").exists() and not (out / "summary.json").exists()


#: The second survey's output folder, and the events of the first survey's held tile (module level: the
#: tasks are pickled, by reference, even for thread workers).
_HOLD: dict = {}
_HOLD_REAL_RUN_TILE = run_survey.__globals__["run_tile"]


def _run_tile_holding_the_first(job):
    """run_tile, but the first tile of the first survey waits until a tile of the second survey runs."""
    from starclass.survey.work import run_tile

    if str(_HOLD["second"]) in job.output:
        _HOLD["release"].set()  # the second survey's own tiles run: the first's may end
    else:
        with _HOLD["lock"]:
            hold = not _HOLD["held"].is_set()
            _HOLD["held"].set()
        if hold:  # one tile of the first survey is still running when the second is submitted
            _HOLD["release"].wait(20)
    return run_tile(job)


def test_two_surveys_of_one_plan_into_two_folders_at_once_on_one_cluster_each_write_their_own_tiles(
        survey_dir, cluster, tmp_path, monkeypatch):
    """The tiles' Dask keys were their name and digest, the same for one plan run into two folders: the
    scheduler took the second survey's tiles for the first's, wrote them into the first folder only, and the
    second survey's merge ended on a FileNotFoundError traceback (by hand: two threads of one client, and two
    'survey --scheduler' runs of one plan on one shared cluster)."""
    import threading

    from starclass.survey import run as run_module

    a, b = tmp_path / "a", tmp_path / "b"
    monkeypatch.setattr(run_module, "run_tile", _run_tile_holding_the_first)
    monkeypatch.setitem(_HOLD, "second", b)
    monkeypatch.setitem(_HOLD, "held", threading.Event())
    monkeypatch.setitem(_HOLD, "release", threading.Event())
    monkeypatch.setitem(_HOLD, "lock", threading.Lock())
    plan = read_plan(survey_dir / "plan.yaml")
    first: dict = {}

    def run_first():
        try:
            first["result"] = run_survey(plan, a, cluster=cluster, progress=False, echo=lambda s: None)
        finally:
            _HOLD["held"].set()  # the first survey failed before any tile: said below, not a wait

    thread = threading.Thread(target=run_first)
    thread.start()
    try:
        assert _HOLD["held"].wait(60)
        second = run_survey(plan, b, cluster=cluster, progress=False, echo=lambda s: None)
    finally:
        _HOLD["release"].set()
        thread.join(60)
    assert "result" in first, "the first survey raised (its traceback is above)"
    assert first["result"].ok and second.ok
    for out in (a, b):
        tiles = sorted(p.name for p in (out / "tiles" / "given").glob("*.parquet"))
        assert len(tiles) == len(tile_grid(SHAPE, TILE, 56)), (out, tiles)
        assert Table.read(out / "fields" / "given" / "catalogue.parquet")["id"].tolist() == \
            list(range(1, len(EDGE_XY) + 1))


def test_a_scheduler_lost_mid_survey_is_an_error_saying_the_finished_tiles_are_kept(survey_dir, tmp_path,
                                                                                    monkeypatch):
    """A scheduler killed mid-survey (kill -9 of 'dask scheduler' under --scheduler, by hand) ended the survey
    on distributed's FutureCancelledError traceback ('... cancelled for reason: scheduler-connection-lost'),
    exit 1. It is a StarclassError now (exit 2) saying the finished tiles are kept and the same command
    resumes; and it does."""
    import contextlib
    import threading

    from distributed import LocalCluster

    from starclass.survey import run as run_module

    out = tmp_path / "out"
    monkeypatch.setattr(run_module, "run_tile", _run_tile_holding_the_first)
    monkeypatch.setitem(_HOLD, "second", tmp_path / "no such survey")
    monkeypatch.setitem(_HOLD, "held", threading.Event())
    monkeypatch.setitem(_HOLD, "release", threading.Event())
    monkeypatch.setitem(_HOLD, "lock", threading.Lock())
    plan = read_plan(survey_dir / "plan.yaml")
    lost = LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None, silence_logs=50)
    client_level = logging.getLogger("distributed.client").level

    def kill_the_scheduler():  # once a tile runs: as kill -9 of 'dask scheduler'
        if _HOLD["held"].wait(60):
            lost.sync(lost.scheduler.close)
        _HOLD["release"].set()

    killer = threading.Thread(target=kill_the_scheduler)
    killer.start()
    try:
        with pytest.raises(StarclassError) as err:
            run_survey(plan, out, scheduler=lost.scheduler_address, progress=False, echo=lambda s: None)
    finally:
        _HOLD["held"].set()
        killer.join(60)
        with contextlib.suppress(Exception):  # its workers wait 30 s for a scheduler that is gone: not waited for
            lost.close(timeout=1)
    message = str(err.value)
    assert message.startswith("lost the survey's Dask cluster (") and "scheduler-connection-lost" in message, message
    # the client's log was hidden while the lost client closed, and only then: its level is given back
    assert logging.getLogger("distributed.client").level == client_level
    assert f"kept in {out / 'tiles'}; start the cluster (its scheduler) again and run the same command" in message
    assert not (out / "catalogue").exists() and not (out / "summary.json").exists()
    monkeypatch.setattr(run_module, "run_tile", _HOLD_REAL_RUN_TILE)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None,
                      silence_logs=50) as again:
        resumed = run_survey(plan, out, cluster=again, progress=False, echo=lambda s: None)
    assert resumed.ok


def test_a_lost_cluster_leaves_the_distributed_client_log_as_it_was():
    """cluster_lost set distributed.client's logger to CRITICAL for the rest of the process (every later
    survey or Dask work in a notebook lost the client's messages). Building the error changes no logger now;
    the survey hides the log only while it closes the lost client, and gives the level back after."""
    from concurrent.futures import CancelledError

    from starclass.survey import run as run_module

    logger = logging.getLogger("distributed.client")
    before = logger.level
    try:
        logger.setLevel(logging.INFO)
        err = run_module.cluster_lost(CancelledError("t cancelled for reason: scheduler-connection-lost."),
                                      "run/tiles/a/r000_c000.parquet", 1, 2)
        assert isinstance(err, StarclassError) and "1 of 2 tiles is finished" in str(err), str(err)
        assert logger.level == logging.INFO
        with pytest.raises(StarclassError), run_module._quiet_client_log():
            assert logger.level == logging.CRITICAL
            raise err
        assert logger.level == logging.INFO
    finally:
        logger.setLevel(before)


def test_a_scheduler_without_workers_is_said_to_be_waited_on(survey_dir, tmp_path):
    """'survey --scheduler ADDRESS' on a scheduler with no worker (none started yet, or all gone) said
    'dask: 0 worker(s)' and the PSF line, then waited without a word (by hand: 45 s, then Ctrl-C). It says what
    it waits for, and goes on when a worker joins."""
    import threading

    from distributed import LocalCluster

    lines: list[str] = []
    waiting = threading.Event()

    def echo(line):
        lines.append(line)
        if "has no worker yet" in line:
            waiting.set()

    with LocalCluster(n_workers=0, threads_per_worker=1, processes=False, dashboard_address=None,
                      silence_logs=50) as empty:
        def join():  # a 'dask worker' started once the survey says it waits (the old code said nothing: 10 s)
            waiting.wait(10)
            empty.scale(1)

        joiner = threading.Thread(target=join)
        joiner.start()
        try:
            result = run_survey(read_plan(survey_dir / "plan.yaml"), tmp_path / "out",
                                scheduler=empty.scheduler_address, progress=False, echo=echo)
        finally:
            waiting.set()
            joiner.join(60)
    assert result.ok
    said = [line for line in lines if "has no worker yet" in line]
    assert said == [f"dask: the scheduler has no worker yet; waiting for the first to join (start 'dask worker "
                    f"{empty.scheduler_address}' where the mosaics and model are reachable; Ctrl-C stops, finished "
                    "tiles are kept)"], lines
    assert lines.index(said[0]) < next(i for i, line in enumerate(lines) if line.startswith("dask: 1 worker"))


def test_a_survey_running_on_another_host_by_the_lock_file_is_not_overrun(survey_dir, cluster, tmp_path):
    """flock on NFS mounted with local_lock=flock (dask-jobqueue clusters) is local to one node: a survey on
    another node took the folder the first was writing. Its record in the lock file now refuses it
    (tests/test_survey_lock.py has the lock's own cases)."""
    import socket

    out = tmp_path / "out"
    out.mkdir()
    other = "node-17-" + socket.gethostname()
    record = json.dumps({"pid": 4242, "host": other, "started": "2026-12-05 00:00:00"}) + "\n"
    (out / ".survey.lock").write_text(record)  # no flock here: it is held on node 17
    with pytest.raises(StarclassError, match=rf"another survey \(pid 4242 on {other}, started 2026-12-05 00:00:00\), "
                                             r"on another machine.*remove .*\.survey\.lock and start again"):
        run_survey(read_plan(survey_dir / "plan.yaml"), out, cluster=cluster, progress=False, echo=lambda s: None)
    assert not (out / "tiles").exists() and not (out / "summary.json").exists()
    assert (out / ".survey.lock").read_text() == record


def test_changed_settings_rerun_the_tiles(survey_dir, cluster, clean_run):
    from starclass.survey.run import prepare
    from starclass.survey.work import tile_done

    plan = read_plan(survey_dir / "plan.yaml")
    same = prepare(plan, clean_run.outdir)
    assert all(tile_done(j.output, j.digest) for j in same.jobs)
    other = prepare(plan.with_options(photometry="none"), clean_run.outdir)
    assert not any(tile_done(j.output, j.digest) for j in other.jobs)


def test_a_complete_survey_rerun_with_other_settings_says_its_tiles_would_run_again(survey_dir, cluster, clean_run):
    """The refusal said 'give --overwrite to redo the merge and summary (finished tiles are reused)'
    to a rerun with another tile size: with --overwrite every tile ran again (by hand, 48 of 48)."""
    summary = (clean_run.outdir / "summary.json").read_text()
    n = clean_run.summary["n_tiles"]
    with pytest.raises(StarclassError) as err:
        run_survey(read_plan(survey_dir / "plan.yaml").with_options(photometry="none"), clean_run.outdir,
                   cluster=cluster, progress=False, echo=lambda s: None)
    assert f"for {n} of its {n} tiles the plan's inputs, model or settings have changed" in str(err.value)
    assert "give overwrite=True to run those tiles again" in str(err.value)  # run_survey's argument
    assert "finished tiles are reused" not in str(err.value)
    # the same settings: nothing to run, the merge alone is redone
    with pytest.raises(StarclassError, match=r"give overwrite=True to redo the merge and summary \(finished tiles"):
        run_survey(read_plan(survey_dir / "plan.yaml"), clean_run.outdir, cluster=cluster, progress=False,
                   echo=lambda s: None)
    assert (clean_run.outdir / "summary.json").read_text() == summary


def test_overwrite_with_a_field_left_out_of_the_plan_removes_its_old_field_folder(survey_dir, cluster, clean_run):
    """A complete survey rerun with --overwrite after a field was deleted from the plan: the merged
    catalogue and summary lost the field, but OUT/fields/<field>/ kept the old run's catalogue and
    evaluation, read as a field of the survey by whoever lists OUT/fields (by hand, SIM-M31-003)."""
    import shutil

    import pyarrow.parquet as pq

    out = survey_dir / "one_field_less"
    shutil.copytree(clean_run.outdir, out)
    plan = survey_dir / "plan_given_only.yaml"
    text = (survey_dir / "plan.yaml").read_text()
    plan.write_text("".join(line for line in text.splitlines(keepends=True) if "name: found" not in line))
    said = []
    result = run_survey(read_plan(plan), out, cluster=cluster, overwrite=True, progress=False, echo=said.append)
    assert result.ok and result.summary["n_tiles_run"] == 0 and list(result.summary["fields"]) == ["given"]
    assert sorted(p.name for p in (out / "fields").iterdir()) == ["given"]
    assert sorted(p.name for p in (out / "catalogue").iterdir()) == ["field=given"]
    assert pq.read_table(out / "fields" / "given" / "catalogue.parquet").equals(
        pq.read_table(clean_run.outdir / "fields" / "given" / "catalogue.parquet"))
    assert (out / "tiles" / "found").is_dir()  # the restart state stays: the field can come back
    assert any("removed" in s and "field 'found' is not in the plan any more" in s for s in said), said


def test_fields_that_overlap_on_the_sky_are_named_as_catalogued_once_each(survey_dir, cluster, clean_run):
    """The merged catalogue is 'de-duplicated' across tile edges only: two fields on the same sky (here the
    fixture's, one WCS for both) gave every source there a row in each field without a word."""
    import shutil

    from starclass.survey.run import prepare, sky_overlaps

    plan = read_plan(survey_dir / "plan.yaml")
    assert [(a, b, round(f, 2)) for a, b, f in sky_overlaps(prepare(plan, survey_dir / "o").fields)] == [
        ("given", "found", 1.0)]
    out = survey_dir / "overlap"
    shutil.copytree(clean_run.outdir, out)
    said: list[str] = []
    result = run_survey(plan, out, cluster=cluster, overwrite=True, progress=False, echo=said.append)
    assert result.ok and result.summary["n_tiles_run"] == 0
    assert ("warning: fields 'given' and 'found' overlap on the sky (~100% of 'found' lies on 'given'): a source "
            "there is catalogued once in each field") in "\n".join(said)
    assert result.summary["fields_overlapping_on_the_sky"] == [{"fields": ["given", "found"], "share_of_second": 1.0}]
    # mosaics in other frames (FK5 beside ICRS, galactic) are compared too, not a crash of the plan check
    from types import SimpleNamespace

    from astropy.coordinates import SkyCoord
    from astropy.wcs import WCS

    from starclass.survey.run import FieldInfo

    def field(name, lon, lat, ctype, radesys=""):
        w = WCS(naxis=2)
        w.wcs.ctype = ctype
        w.wcs.crval = [lon, lat]
        w.wcs.crpix = [50.5, 50.5]
        w.wcs.cdelt = [-1e-4, 1e-4]
        if radesys:
            w.wcs.radesys, w.wcs.equinox = radesys, 2000.0
        return FieldInfo(SimpleNamespace(name=name), (100, 100), {}, wcs=w)

    g = SkyCoord(10.0066, 41.0, unit="deg").galactic
    fields = [field("a", 10.0, 41.0, ["RA---TAN", "DEC--TAN"], "ICRS"),
              field("b", 10.0066, 41.0, ["RA---TAN", "DEC--TAN"], "FK5"),
              field("c", g.l.deg, g.b.deg, ["GLON-TAN", "GLAT-TAN"])]
    assert [(a, b) for a, b, _ in sky_overlaps(fields)] == [("a", "b"), ("a", "c"), ("b", "c")]


def test_overwrite_with_another_tile_size_removes_the_tiles_of_the_old_grid(survey_dir, cluster, clean_run):
    """A complete survey of 64 px tiles rerun with --tile-size 128 --overwrite: the merge read the 4 new
    tiles of each field, but the 8 files of the old grid whose names the new grid lacks stayed in
    OUT/tiles/<field>/ (never read again, only disk; by hand: 12 files after a 4-tile run)."""
    import dataclasses
    import shutil

    out = survey_dir / "regridded"
    shutil.copytree(clean_run.outdir, out)
    (out / "tiles" / "given" / "mine.txt").write_text("a file the survey does not write")
    plan = dataclasses.replace(read_plan(survey_dir / "plan.yaml"), tile_size=128)
    said = []
    result = run_survey(plan, out, cluster=cluster, overwrite=True, progress=False, echo=said.append)
    assert result.ok and result.summary["n_tiles"] == 8
    for field in ("given", "found"):
        assert sorted(p.name for p in (out / "tiles" / field).iterdir() if p.suffix == ".parquet") == [
            f"r00{r}_c00{c}.parquet" for r in range(2) for c in range(2)]
    assert (out / "tiles" / "given" / "mine.txt").is_file()  # not a tile: left alone
    notes = [s for s in said if "earlier grid" in s]
    assert len(notes) == 1 and "16 tile files" in notes[0] and "found: 8, given: 8" in notes[0], said


def test_scheduler_address_and_overwrite_redo_only_the_merge(survey_dir, cluster, clean_run):
    import pyarrow.parquet as pq

    before = pq.read_table(clean_run.outdir / "catalogue")
    again = run_survey(read_plan(survey_dir / "plan.yaml"), clean_run.outdir, scheduler=cluster.scheduler_address,
                       overwrite=True, progress=False, echo=lambda s: None)
    assert again.ok and again.summary["n_tiles_run"] == 0
    assert again.summary["n_tiles_skipped"] == again.summary["n_tiles"]
    assert pq.read_table(clean_run.outdir / "catalogue").equals(before)


def test_a_scheduler_file_reaches_the_running_cluster(survey_dir, cluster, clean_run, tmp_path):
    """'--scheduler sched.json', the file of 'dask scheduler --scheduler-file' (how batch clusters and dask-mpi
    give the address to their workers), was refused: "not a scheduler address (missing port number in address
    'sched.json')". It is read for its address now; a file that is no scheduler file is named, exit 2."""
    import pyarrow.parquet as pq
    from typer.testing import CliRunner

    from starclass.cli import app

    sched = tmp_path / "sched.json"  # as dask scheduler writes it
    sched.write_text(json.dumps({"type": "Scheduler", "id": "Scheduler-1", "address": cluster.scheduler_address,
                                 "services": {}, "started": 0.0, "workers": {}}))
    before = pq.read_table(clean_run.outdir / "catalogue")
    again = run_survey(read_plan(survey_dir / "plan.yaml"), clean_run.outdir, scheduler=str(sched), overwrite=True,
                       progress=False, echo=lambda s: None)
    assert again.ok and again.summary["n_tiles_run"] == 0
    assert pq.read_table(clean_run.outdir / "catalogue").equals(before)
    out = tmp_path / "out"
    for text, why in (("{}", "no 'address' in it"), ("not json", "not a scheduler file that can be read"),
                      ('{"address": "head"}', "its address 'head'): not a scheduler address (missing port")):
        sched.write_text(text)
        r = CliRunner().invoke(app, ["survey", str(survey_dir / "plan.yaml"), "-o", str(out), "--no-progress",
                                     "--scheduler", str(sched)])
        assert r.exit_code == 2, (r.output, r.exception)
        assert f"--scheduler {str(sched)!r}" in r.output and why in r.output, r.output
        assert "survey:" not in r.output and not out.exists()  # before the plan is read


def test_a_scheduler_file_that_is_not_there_is_said_to_be_missing_not_an_address_without_a_port(tmp_path):
    """'--scheduler sched.json' before 'dask scheduler --scheduler-file sched.json' had written it (a job script
    that starts both at once), or with a typo, was refused as "not a scheduler address (missing port number in
    address 'sched.json')"; a folder likewise."""
    from starclass.survey.run import check_scheduler_address

    for given, what in ((str(tmp_path / "sched.json"), "no such file"), ("sched.json", "no such file"),
                        (str(tmp_path), "a folder, not a scheduler file")):
        with pytest.raises(StarclassError) as refused:
            check_scheduler_address(given)
        msg = str(refused.value)
        assert msg.startswith(f"--scheduler {given!r}: {what}; a scheduler file is written by 'dask scheduler "
                              "--scheduler-file FILE' once its scheduler is up"), msg
        assert "port" not in msg.split(";")[0], msg
    assert check_scheduler_address("tcp://127.0.0.1:8786") == "tcp://127.0.0.1:8786"


def test_a_folder_named_without_a_slash_is_said_to_be_a_folder_not_an_address_without_a_port(tmp_path, monkeypatch):
    """'--scheduler sched' (a folder in the working directory, no slash in its name) or '--scheduler .' was refused
    as "not a scheduler address (missing port number in address 'sched')"; a folder given with a slash was named
    a folder already."""
    from starclass.survey.run import check_scheduler_address

    (tmp_path / "sched").mkdir()
    monkeypatch.chdir(tmp_path)
    for given in ("sched", "."):
        with pytest.raises(StarclassError) as refused:
            check_scheduler_address(given)
        msg = str(refused.value)
        assert msg.startswith(f"--scheduler {given!r}: a folder, not a scheduler file;"), msg
        assert "port number" not in msg, msg
    # a bare host is still an address without its port
    with pytest.raises(StarclassError, match="'head': not a scheduler address \\(missing port number"):
        check_scheduler_address("head")


def test_a_scheduler_file_whose_address_is_not_a_string_says_so_not_that_it_has_none(survey_dir, tmp_path):
    """A scheduler file with {"address": 5} was refused as having "no 'address' in it"; the address that is
    there is not a string (or is empty) and the message says so."""
    from typer.testing import CliRunner

    from starclass.cli import app
    from starclass.survey.run import check_scheduler_address

    sched = tmp_path / "sched.json"
    for text, why in (('{"address": 5}', "its 'address' is not a string (5)"),
                      ('{"address": null}', "its 'address' is not a string (null)"),
                      ('{"address": ""}', "its 'address' is empty"),
                      ('{"type": "Scheduler"}', "no 'address' in it"), ("[1, 2]", "no 'address' in it")):
        sched.write_text(text)
        with pytest.raises(StarclassError) as refused:
            check_scheduler_address(str(sched))
        msg = str(refused.value)
        assert msg.startswith(f"--scheduler {str(sched)!r}: not a scheduler file ({why});"), msg
    sched.write_text('{"address": 5}')
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["survey", str(survey_dir / "plan.yaml"), "-o", str(out), "--no-progress",
                                 "--scheduler", str(sched)])
    assert r.exit_code == 2, (r.output, r.exception)
    assert "its 'address' is not a string (5)" in r.output and "Traceback" not in r.output, r.output
    assert "survey:" not in r.output and not out.exists()  # before the plan is run


@pytest.mark.slow
def test_cli_two_process_workers_load_the_model_once_each(survey_dir, tmp_path):
    from typer.testing import CliRunner

    from starclass.cli import app

    out = tmp_path / "cli"
    r = CliRunner().invoke(app, ["survey", str(survey_dir / "plan.yaml"), "-o", str(out), "--workers", "2",
                                 "--no-progress"])
    assert r.exit_code == 0, r.output
    assert "dashboard" in r.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["model_loads_per_process"] == [1, 1]


def test_simulate_fields_writes_n_fields_with_truth_and_a_plan(tmp_path):
    from typer.testing import CliRunner

    from starclass.cli import app

    out = tmp_path / "sim"
    r = CliRunner().invoke(app, ["simulate", str(out), "--preset", "m31", "--fields", "2", "--size", "64",
                                 "--n-candidates", "6", "--seed", "3", "--quiet"])
    assert r.exit_code == 0, r.output
    plan = read_plan(out / "plan.yaml")
    # seed 3: the preset's name with -s3 (a survey of seed 0 and one of seed 3 were both SIM-M31-001, ...)
    assert plan.field_names == ["SIM-M31-s3-001", "SIM-M31-s3-002"]
    truths = [Table.read(f.truth) for f in plan.fields]
    assert all(len(t) == 6 for t in truths)
    assert not np.array_equal(truths[0]["x"], truths[1]["x"])  # consecutive seeds, not one field twice
    # side by side on the sky, not on top of each other (both sat at one centre: field 2's catalogue then
    # matched field 1's truth on the sky by chance)
    assert float(np.min(truths[1]["dec"])) > float(np.max(truths[0]["dec"]))
    assert [sorted(p.name for p in (out / n).glob("*.fits")) for n in plan.field_names] == [
        ["SIM-M31-s3-001_g.fits", "SIM-M31-s3-001_i.fits"], ["SIM-M31-s3-002_g.fits", "SIM-M31-s3-002_i.fits"]]
    again = CliRunner().invoke(app, ["simulate", str(out), "--preset", "m31", "--fields", "2", "--quiet"])
    assert again.exit_code == 2 and "--overwrite" in again.output  # an existing survey is kept


@pytest.mark.slow
def test_a_killed_run_resumes_to_the_same_catalogue(survey_dir, cluster, clean_run, tmp_path):
    """SIGKILL (no clean-up at all) part-way through, rerun: the catalogues equal an uninterrupted run's."""
    import os
    import signal
    import subprocess
    import sys
    import time

    import pyarrow.parquet as pq

    import starclass

    script = tmp_path / "run.py"
    script.write_text(
        "import sys\nfrom distributed import LocalCluster\nfrom starclass.survey import read_plan, run_survey\n"
        "with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as c:\n"
        "    run_survey(read_plan(sys.argv[1]), sys.argv[2], cluster=c, progress=False)\n")
    out = tmp_path / "killed"

    def finished() -> int:
        # not the hidden temporary file of a tile killed while being written (pathlib's glob matches it)
        return sum(not p.name.startswith(".") for p in out.glob("tiles/*/*.parquet"))

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(Path(starclass.__file__).parents[1]), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.Popen([sys.executable, str(script), str(survey_dir / "plan.yaml"), str(out)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300  # a bound on waiting, not a speed check
        while finished() < 5 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    done = finished()
    assert 5 <= done < 24, "the run must be killed part-way"
    assert not (out / "catalogue").exists()
    resumed = run_survey(read_plan(survey_dir / "plan.yaml"), out, cluster=cluster, progress=False,
                         echo=lambda s: None)
    assert resumed.ok and resumed.summary["n_tiles_skipped"] >= done
    for f in ("given", "found"):
        a = pq.read_table(clean_run.outdir / "fields" / f / "catalogue.parquet")
        b = pq.read_table(out / "fields" / f / "catalogue.parquet")
        assert a.equals(b), f


def test_tiles_run_single_threaded_numba_kernels_on_single_threaded_workers(survey_dir, cluster, monkeypatch):
    # the stamp cutter's numba kernels use every core by default: on one-thread workers each tile
    # would take the whole machine and two workers would fight for it (1.28 CPU s per wall s
    # measured for one worker before this)
    import numba

    asked = []
    real = numba.set_num_threads
    monkeypatch.setattr(numba, "set_num_threads", lambda n: (asked.append(n), real(n))[1])
    plan = read_plan(survey_dir / "plan.yaml")
    out = survey_dir / "threads"
    result = run_survey(plan, out, cluster=cluster, progress=False, echo=lambda s: None)
    assert result.ok
    assert asked and set(asked) == {1}, asked


def test_process_workers_print_each_warning_once_as_warning_lines(tmp_path):
    """Every tile printed "/.../classify.py:294: UserWarning: conformal sets ..." and its source line."""
    import subprocess
    import sys

    import starclass

    # one interpreter for both cases (each start imports torch: two took 16 s of this file's 60):
    # first as a thread worker in the client's own process, where nothing changes, then as a
    # worker process of its own
    code = ("import os, warnings\nfrom starclass.survey.work import warm_up\n"
            "warm_up(os.getpid())  # a thread worker in the client's process\n"
            "warnings.warn('x')\n"
            "warm_up(os.getpid() + 1)  # as in a worker process of its own\n"
            "for tile in range(3):\n    with warnings.catch_warnings():  # what libraries do between tiles\n"
            "        warnings.simplefilter('ignore', DeprecationWarning)\n"
            "    warnings.warn('conformal sets: too few calibration rows')\n"
            "warnings.warn('2 of 9 candidates have no usable stamp')\n"
            "from starclass.survey.work import _held_notes\nprint(_held_notes())  # what the next task hands over\n")
    env = {"PYTHONPATH": str(Path(starclass.__file__).resolve().parents[1]), "PATH": "/usr/bin:/bin"}
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    lines = res.stderr.splitlines()
    # the client's own process: Python's own format, untouched by warm_up
    assert len(lines) == 1 and "UserWarning: x" in lines[0], res.stderr
    # a worker process of its own: each text once, as a line, held for the client to print (not printed here)
    assert res.stdout.splitlines() == [str(["warning: conformal sets: too few calibration rows",
                                            "warning: 2 of 9 candidates have no usable stamp"])]


def test_a_worker_that_joins_later_prints_warnings_as_warning_lines_too(survey_dir, tmp_path, monkeypatch, capsys):
    """Only the workers there at the start got warm_up's warning format: a LocalCluster worker killed
    and restarted by its nanny printed '/.../classify.py:344: UserWarning: conformal sets ...' and the
    source line under the bar (seen by hand, kill -9 of one of two workers), as would a batch job
    that starts after the first."""
    import dataclasses
    import os
    import warnings

    from starclass.survey import work
    from starclass.survey.run import prepare
    from starclass.survey.work import run_tile

    # a fresh worker process: Python's own warning format, no warm_up
    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)
    monkeypatch.setattr(work, "_FOR_CLIENT", [])
    job = next(j for j in prepare(read_plan(survey_dir / "plan.yaml"), tmp_path / "o").jobs if j.field == "given")
    assert job.client_pid == os.getpid()  # the survey's client is the process that prepared the jobs
    # as run in a worker process of its own, the client being another process
    job = dataclasses.replace(job, client_pid=os.getpid() + 1, output=str(tmp_path / "t.parquet"))
    run_tile(job)
    capsys.readouterr()
    text = "conformal sets at coverage 0.9: too few calibration rows (late worker)"
    warnings.warn(text, stacklevel=1)
    # as a 'warning: ...' line, held for the client (the next task hands it over), not Python's format
    assert capsys.readouterr().err == "" and work._held_notes() == [f"warning: {text}"]


def test_a_field_s_positions_warning_is_handed_to_the_client_not_printed_by_each_worker(survey_dir, tmp_path,
                                                                                       monkeypatch, capsys):
    """Each worker process printed 'the positions of field ...: ... kept renamed: 'crowding' ->
    'crowding_input'' once: twice per field with two workers (by hand, simulate's own plan), 64 times
    with 64. The worker hands it to the client (the tile's 'notes'), which prints each text once."""
    import dataclasses
    import os
    import warnings

    from starclass.survey import work
    from starclass.survey.run import prepare

    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)
    monkeypatch.setattr(work, "_SHOWN", set())
    monkeypatch.setattr(work, "_FOR_CLIENT", [])
    jobs = [j for j in prepare(read_plan(survey_dir / "plan.yaml"), tmp_path / "o").jobs
            if j.field == "given" and len(j.positions)][:2]
    results = []
    for k, job in enumerate(jobs):
        pos = job.positions.copy()
        pos["crowding"] = 0.5  # a simulated truth's own column of that name
        job = dataclasses.replace(job, positions=pos, client_pid=os.getpid() + 1,  # a worker process of its own
                                  output=str(tmp_path / f"t{k}.parquet"))
        results.append(work.run_tile(job))
    note = ("warning: the positions of field 'given': a column of the input carries the names of the photometry "
            "measured here and is kept renamed: 'crowding' -> 'crowding_input'")
    assert results[0]["notes"] == [note] and results[1]["notes"] == []
    assert "crowding" not in capsys.readouterr().err  # the worker itself prints nothing of it


def test_a_worker_that_ran_an_earlier_survey_hands_its_warnings_to_the_next_survey_too(survey_dir, tmp_path,
                                                                                      monkeypatch, capsys):
    """A worker process took each warning text once for its whole life: on a cluster that outlives a survey
    (dask worker under --scheduler), a second survey of simulate's plan said 'the positions of field
    'SIM-M31-002': ... kept renamed' but not field 'SIM-M31-001''s, whose tiles ran on the worker that had said
    it in the first survey (by hand, two surveys on one 'dask scheduler' with two 'dask worker's)."""
    import dataclasses
    import os
    import warnings

    from starclass.survey import work
    from starclass.survey.run import prepare

    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)
    monkeypatch.setattr(work, "_SHOWN", set())
    monkeypatch.setattr(work, "_FOR_CLIENT", [])
    note = ("warning: the positions of field 'given': a column of the input carries the names of the photometry "
            "measured here and is kept renamed: 'crowding' -> 'crowding_input'")
    notes = []
    for run in ("first", "second"):  # two surveys, one after the other, on the same worker process
        job = next(j for j in prepare(read_plan(survey_dir / "plan.yaml"), tmp_path / run).jobs
                   if j.field == "given" and len(j.positions))
        pos = job.positions.copy()
        pos["crowding"] = 0.5  # a simulated truth's own column of that name
        job = dataclasses.replace(job, positions=pos, client_pid=os.getpid() + 1,  # a worker process of its own
                                  output=str(tmp_path / f"{run}.parquet"))
        notes.append(work.run_tile(job)["notes"])
        notes.append(work.run_tile(job)["notes"])  # the survey's next tile: said once per survey
    assert notes == [[note], [], [note], []]
    assert "crowding" not in capsys.readouterr().err  # the worker itself prints nothing of it


def test_every_warning_of_a_tile_is_handed_to_the_client_not_printed_by_each_worker(survey_dir, tmp_path,
                                                                                   monkeypatch, capsys):
    """Warnings other than a field's positions note (classify's 'mosaic pixel scale 0.3"/px differs from the
    model's 0.187"/px', by hand on mosaics of 0.3"/px) were printed by each worker process: two lines with
    two workers. Each is handed to the client now; a tile that fails prints them on its worker."""
    import dataclasses
    import os
    import warnings

    import starclass.learn.classify as classify_module
    from starclass.survey import work
    from starclass.survey.run import prepare

    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)
    monkeypatch.setattr(work, "_SHOWN", set())
    monkeypatch.setattr(work, "_FOR_CLIENT", [])
    real = classify_module.classify
    text = "mosaic pixel scale 0.3\"/px differs from the model's 0.187\"/px: stamps cover another physical size"

    def classify(*a, **k):  # the warning of every tile of such mosaics
        warnings.warn(text, stacklevel=1)
        return real(*a, **k)

    monkeypatch.setattr(classify_module, "classify", classify)
    jobs = [dataclasses.replace(j, client_pid=os.getpid() + 1, output=str(tmp_path / f"t{k}.parquet"))
            for k, j in enumerate(j for j in prepare(read_plan(survey_dir / "plan.yaml"), tmp_path / "o").jobs
                                  if j.field == "given" and len(j.positions))][:2]
    results = [work.run_tile(job) for job in jobs]
    assert results[0]["notes"] == [f"warning: {text}"] and results[1]["notes"] == []
    assert capsys.readouterr().err == ""  # the worker itself prints nothing of it
    # a tile that fails hands nothing over: it prints what it held, which may say why
    monkeypatch.setattr(work, "_SHOWN", set())
    monkeypatch.setattr(work, "cached_model", lambda *a, **k: warnings.warn("about to fail", stacklevel=1) or 1 / 0)
    with pytest.raises(ZeroDivisionError):
        work.run_tile(jobs[0])
    assert capsys.readouterr().err == "warning: about to fail\n"
    # the field's PSF task hands its warnings over too
    monkeypatch.setattr(work, "field_psf", lambda *a, **k: warnings.warn("the PSF", stacklevel=1) or {"fwhm": 2.0})
    assert work.field_psf_of(jobs[0]) == {"psf": {"fwhm": 2.0}, "notes": ["warning: the PSF"], "shown": False}
    assert capsys.readouterr().err == ""


def test_merged_catalogues_carry_the_task_so_evaluate_does_not_guess(clean_run, survey_dir):
    """The survey's Parquet catalogues keep classify's meta (the model's task, its reference merge):
    evaluate took the task from the prob_<k> columns and refused the four-class truth."""
    from starclass.evaluate.task import resolve_task
    from starclass.io.catalog import read_catalog

    out = clean_run.outdir
    for path in (out / "fields" / "given" / "catalogue.parquet", out / "catalogue" / "field=given" / "part-0.parquet"):
        table = read_catalog(path)
        task, note = resolve_task(table)
        assert note is None and task.source == "meta", (path, note)
        assert task.name == "m31-binary-compact" and task.reference_map == {1: 1, 2: 1, 3: 2, 4: 2}
        assert Path(table.meta["model"]).resolve() == (survey_dir / "model").resolve()
        # counted on the merged rows, not summed over tiles (whose guard bands overlap)
        assert table.meta["n_unclassified"] == int(np.sum(np.asarray(table["class_pred"]) == 0))


def test_survey_parquet_catalogues_are_read_by_astropy_with_units_and_meta(clean_run):
    """astropy's Table.read of the merged catalogue failed with KeyError 'id' (the stored YAML had the
    meta but no column list) and warned for each string column ('No table::len::field found')."""
    import warnings

    import pyarrow.parquet as pq

    out = clean_run.outdir
    paths = [out / "fields" / f / "catalogue.parquet" for f in ("given", "found")]
    paths += sorted((out / "catalogue").glob("field=*/part-0.parquet"))
    paths += sorted((out / "tiles").glob("*/*.parquet"))[:2]
    for path in paths:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a guessed string length is a warning: none allowed
            t = Table.read(path)
        raw = pq.read_table(path)
        assert t.colnames == raw.column_names and len(t) == raw.num_rows, path
        units = json.loads(raw.schema.metadata[b"starclass_units"])
        assert units.get("ra") == "deg" and str(t["ra"].unit) == "deg", path
        assert {n: str(t[n].unit) for n in t.colnames if t[n].unit is not None} == units, path
        assert t.meta["task"] == "m31-binary-compact", path
        for name in t.colnames:  # the values are the file's, strings at their full length
            np.testing.assert_array_equal(np.asarray(t[name]), raw.column(name).to_numpy(zero_copy_only=False))


def test_given_positions_with_only_ra_dec_are_placed_through_the_wcs(survey_dir, cluster, clean_run, tmp_path):
    """A positions catalogue of ra, dec (no x, y) was refused ("required column 'x' missing")."""
    import pyarrow.parquet as pq
    from astropy.io import fits
    from astropy.wcs import WCS

    w = WCS(fits.getheader(survey_dir / "given" / "f_g.fits")).celestial
    truth = Table.read(survey_dir / "given" / "truth.ecsv")
    sky = w.pixel_to_world(np.asarray(truth["x"], float), np.asarray(truth["y"], float))
    Table({"id": truth["id"], "ra": sky.ra.deg, "dec": sky.dec.deg}).write(tmp_path / "radec.csv")
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"model: {survey_dir / 'model'}\ntile_size: 64\noverlap: 56\nphotometry: ci\nfields:\n"
                    f"  - {{name: given, mosaics: {survey_dir / 'given'}, positions: {tmp_path / 'radec.csv'}}}\n")
    result = run_survey(read_plan(plan), tmp_path / "out", cluster=cluster, progress=False, echo=lambda s: None)
    assert result.ok, result.summary
    got = pq.read_table(tmp_path / "out" / "fields" / "given" / "catalogue.parquet")
    want = pq.read_table(clean_run.outdir / "fields" / "given" / "catalogue.parquet")
    np.testing.assert_allclose(got.column("x").to_numpy(), want.column("x").to_numpy(), atol=1e-6)
    np.testing.assert_array_equal(got.column("class_pred").to_numpy(), want.column("class_pred").to_numpy())


def test_truth_with_only_ra_dec_is_matched_on_the_sky(survey_dir, cluster, clean_run, tmp_path):
    """A truth catalogue of ra, dec, class_ref (no x, y) was refused ("required column 'x' missing");
    it is now matched on the sky (evaluate.matching's rule) and scores as the x, y truth does."""
    from astropy.io import fits
    from astropy.wcs import WCS

    w = WCS(fits.getheader(survey_dir / "found" / "f_g.fits")).celestial
    truth = Table.read(survey_dir / "found" / "truth.ecsv")
    sky = w.pixel_to_world(np.asarray(truth["x"], float), np.asarray(truth["y"], float))
    Table({"id": truth["id"], "ra": sky.ra.deg, "dec": sky.dec.deg,
           "class_ref": truth["class_ref"]}).write(tmp_path / "truth_radec.ecsv")
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"model: {survey_dir / 'model'}\ntile_size: 64\noverlap: 56\nphotometry: ci\nfields:\n"
                    f"  - {{name: found, mosaics: {survey_dir / 'found'}, truth: {tmp_path / 'truth_radec.ecsv'}}}\n")
    result = run_survey(read_plan(plan), tmp_path / "out", cluster=cluster, progress=False, echo=lambda s: None)
    assert result.ok, result.summary
    got = json.loads((tmp_path / "out" / "fields" / "found" / "evaluation.json").read_text())
    want = json.loads((clean_run.outdir / "fields" / "found" / "evaluation.json").read_text())
    assert got["matched_on"] == "sky (ra, dec)"
    assert got["n_truth"] == len(truth) and got["n_matched"] == want["n_matched"] > 0
    assert got["completeness"] == pytest.approx(want["completeness"])
    for merge, scores in want["accuracy"].items():
        assert got["accuracy"][merge] == pytest.approx(scores), merge


def test_cli_jobqueue_without_a_batch_system_prints_the_job_script_and_exits_2(survey_dir, tmp_path, monkeypatch):
    """--jobqueue slurm/pbs where sbatch/qsub is missing: the job script for the options, exit 2."""
    from typer.testing import CliRunner

    from starclass.cli import app

    pytest.importorskip("dask_jobqueue")
    monkeypatch.setenv("PATH", str(tmp_path))  # no sbatch, no qsub, whatever this machine has
    out = tmp_path / "out"
    base = ["survey", str(survey_dir / "plan.yaml"), "-o", str(out), "--no-progress"]
    r = CliRunner().invoke(app, [*base, "--jobqueue", "slurm", "--jobs", "3", "--cores", "2", "--memory", "3GiB",
                                 "--walltime", "00:30:00", "--queue", "short"])
    assert r.exit_code == 2, r.output
    assert "sbatch not found" in r.output and "nothing was submitted" in r.output and "3 jobs" in r.output
    for line in ("#SBATCH --cpus-per-task=2", "#SBATCH --mem=3G", "#SBATCH -t 00:30:00", "#SBATCH -p short",
                 "--nworkers 2", "--nthreads 1"):
        assert line in r.output, line
    r = CliRunner().invoke(app, [*base, "--jobqueue", "pbs", "--cores", "4", "--threads-per-worker", "2",
                                 "--memory", "8GiB", "--walltime", "02:00:00"])
    assert r.exit_code == 2, r.output
    assert "qsub not found" in r.output and "ncpus=4" in r.output and "walltime=02:00:00" in r.output
    assert "--nworkers 2" in r.output and "--nthreads 2" in r.output
    r = CliRunner().invoke(app, [*base, "--jobqueue", "slurm", "--walltime", "2h"])
    assert r.exit_code == 2 and "--walltime '2h'" in r.output, r.output
    assert not out.exists()


def test_cli_jobqueue_script_alone_on_stdout_is_one_each_job_can_run(survey_dir, tmp_path, monkeypatch):
    """'> job.sh' keeps a script sbatch takes, and two jobs of it do not clash at the scheduler."""
    from typer.testing import CliRunner

    from starclass.cli import app

    pytest.importorskip("dask_jobqueue")
    monkeypatch.setenv("PATH", str(tmp_path))
    r = CliRunner().invoke(app, ["survey", str(survey_dir / "plan.yaml"), "-o", str(tmp_path / "out"),
                                 "--jobqueue", "slurm", "--jobs", "2", "--cores", "2"])
    assert r.exit_code == 2, r.output
    # it was inside the error message on stderr ('error: ... SCHEDULER:' then the script), after the
    # survey's own lines on stdout: neither stream was a file a batch system could take
    assert r.stdout.startswith("#!/usr/bin/env bash\n"), r.stdout
    assert "#SBATCH --cpus-per-task=2" in r.stdout and "survey:" not in r.stdout
    assert "sbatch not found" in r.stderr and "--scheduler" in r.stderr and "#SBATCH" not in r.stderr
    # every job runs the same script: the workers' names carry the job id (the scheduler refuses a name
    # already taken, so the second job's workers of a fixed 'starclass-survey' never joined)
    assert "--name starclass-survey-${SLURM_JOB_ID}" in r.stdout


def test_jobqueue_says_its_dashboard_link_when_it_submits(survey_dir, tmp_path, monkeypatch):
    """'--jobqueue slurm' said the dashboard only once the first worker joined (a queue may hold the jobs for
    hours), and its scheduler's dashboard, on port 8787 by default, was on another port when that was taken
    without the survey naming it. The line saying the jobs are submitted gives the link now."""
    import os
    import stat

    pytest.importorskip("dask_jobqueue")
    from starclass.survey.batch import BatchSpec

    bin_dir = tmp_path / "bin"  # a stand-in sbatch / scancel: the job is queued, never run
    bin_dir.mkdir()
    (bin_dir / "sbatch").write_text('#!/bin/sh\necho "Submitted batch job 4242"\n')
    (bin_dir / "scancel").write_text('#!/bin/sh\necho "$@" >> "$(dirname "$0")/cancelled"\n')
    for f in bin_dir.iterdir():
        f.chmod(f.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")

    class Stop(Exception):
        pass

    lines: list[str] = []

    def echo(line):  # stops the survey once it says it waits for the first worker, as a Ctrl-C would
        lines.append(line)
        if line.startswith("submitted "):
            raise Stop

    with pytest.raises(Stop):
        run_survey(read_plan(survey_dir / "plan.yaml"), tmp_path / "out", progress=False, echo=echo,
                   batch=BatchSpec("slurm", jobs=1, cores=1, walltime="00:10:00"))
    said = lines[-1]
    assert said.startswith("submitted 1 SLURM job; waiting for the first worker"), lines
    assert "; dashboard: http://" in said and said.endswith("/status"), said
    assert (bin_dir / "cancelled").read_text().split() == ["4242"]  # the queued job: cancelled


@pytest.mark.parametrize("extra, message", [
    (["--cores", "4", "--memory", "8GiB"], "--cores, --memory size batch jobs"),
    (["--workers", "3", "--scheduler", "tcp://127.0.0.1:1"], "--workers sizes a LocalCluster"),
])
def test_cli_options_that_would_be_ignored_are_refused(survey_dir, tmp_path, extra, message):
    """--cores/--memory without --jobqueue, --workers with --scheduler: named, exit 2, nothing run."""
    from typer.testing import CliRunner

    from starclass.cli import app

    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["survey", str(survey_dir / "plan.yaml"), "-o", str(out), "--no-progress", *extra])
    assert r.exit_code == 2, r.output
    assert message in r.output
    assert not out.exists()


@pytest.mark.parametrize(("address", "why"), [
    ("localhost", "missing port number"), ("127.0.0.1:notaport", "notaport"),
    ("foo://head:8786", "unknown scheme 'foo'"), ("tcp://head:99999", "port 99999 is not a TCP port"),
])
def test_cli_a_scheduler_that_is_no_address_is_refused_before_the_plan(survey_dir, tmp_path, address, why):
    """'--scheduler localhost' (no port) ended the survey after the plan check with distributed's
    ValueError traceback; a port beyond 65535 waited 20 s to time out."""
    from typer.testing import CliRunner

    from starclass.cli import app

    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["survey", str(survey_dir / "plan.yaml"), "-o", str(out), "--no-progress",
                                 "--scheduler", address])
    assert r.exit_code == 2, (r.output, r.exception)
    assert f"--scheduler {address!r}: not a scheduler address" in r.output and why in r.output, r.output
    assert "e.g. tcp://head:8786" in r.output
    assert "survey:" not in r.output  # before the plan is read
    assert not out.exists()


def _closed_port() -> int:
    """A TCP port on 127.0.0.1 that no one listens on (bound a moment ago, then closed)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_a_scheduler_address_that_refuses_the_connection_fails_at_once(survey_dir, tmp_path):
    """'--scheduler tcp://127.0.0.1:1' (no scheduler there: the connection is refused) took the whole 20 s
    connect timeout to fail, as distributed retried the refusal. A refusal is told at once now: the same
    'cannot connect' error, exit 2, nothing written."""
    import time

    from typer.testing import CliRunner

    from starclass.cli import app

    out = tmp_path / "out"
    address = f"tcp://127.0.0.1:{_closed_port()}"
    t0 = time.monotonic()
    r = CliRunner().invoke(app, ["survey", str(survey_dir / "plan.yaml"), "-o", str(out), "--no-progress",
                                 "--scheduler", address])
    took = time.monotonic() - t0
    assert r.exit_code == 2, (r.output, r.exception)
    assert took < 10, f"{took:.1f} s: the refusal waited for the connect timeout ({r.output})"
    assert f"--scheduler {address}: cannot connect: connection refused at 127.0.0.1:" in r.output, r.output
    assert "Traceback" not in r.output
    assert not out.exists()


def test_a_scheduler_that_does_not_answer_fails_within_seconds(monkeypatch, tmp_path):
    """An address where nothing answers (an unroutable host, a firewall that drops the connection) went to
    distributed's Client and waited its 20 s connect timeout. The probe's own timeout (ANSWER_WITHIN_S, 5 s)
    tells it now, naming the host and port and what to check; distributed's Client is not asked."""
    import socket

    import distributed

    from starclass.survey import run as survey_run

    def silent(*args, **kwargs):  # as an unroutable address: no reply within the probe's timeout
        raise TimeoutError("timed out")

    asked = []
    monkeypatch.setattr(socket, "create_connection", silent)
    monkeypatch.setattr(distributed, "Client", lambda *a, **k: asked.append(a) or pytest.fail("Client was asked"))
    with pytest.raises(StarclassError) as err:
        survey_run._client("tcp://192.0.2.77:8786", None, None, None, False)
    assert str(err.value).startswith("--scheduler tcp://192.0.2.77:8786: cannot connect: no answer from "
                                     "192.0.2.77:8786 within 5 s (the host is down, a firewall drops the connection"), \
        err.value
    assert asked == []


def test_tile_counts_behind_the_progress_bar_add_up_to_the_merged_catalogue(survey_dir, tmp_path):
    """The bar's running candidate count (each tile's "n") ends on the merged count, guard rows left out."""
    import dataclasses

    import pyarrow.parquet as pq

    from starclass.survey.merge import merge_tiles
    from starclass.survey.run import prepare
    from starclass.survey.work import run_tile

    jobs = [dataclasses.replace(j, output=str(tmp_path / f"{j.tile.name}.parquet"))
            for j in prepare(read_plan(survey_dir / "plan.yaml"), tmp_path / "o").jobs if j.field == "found"]
    results = [run_tile(j) for j in jobs]
    merged = merge_tiles([j.output for j in jobs], detected=True, tile_order=[j.tile.name for j in jobs]).num_rows
    # the field has sources on tile edges: the tile files hold guard-band rows the merge drops
    assert sum(pq.read_table(j.output).num_rows for j in jobs) > merged
    assert sum(r["n"] for r in results) == merged


def test_survey_cluster_does_not_print_worker_error_logs(capfd):
    """A Ctrl-C closed the cluster while a worker's heartbeat was in flight: its ERROR log (a
    30-line traceback) was printed under 'interrupted'; tile errors reach the survey by their futures."""
    import logging

    from starclass.survey.run import make_client

    def log_error():
        logging.getLogger("distributed.worker").error("Failed to communicate with scheduler during heartbeat.")

    # a process worker, as the CLI's: its stderr is this process's fd 2, which capfd reads
    client, own = make_client(n_workers=1, threads_per_worker=1, processes=True)
    try:
        capfd.readouterr()
        client.run(log_error)
        client.run(lambda: [h.flush() for h in logging.getLogger("distributed").handlers])
        assert "heartbeat" not in capfd.readouterr().err
    finally:
        client.close()
        own.close()


def test_jobqueue_survey_says_it_waits_for_the_queue(survey_dir, tmp_path, monkeypatch):
    """With --jobqueue the survey waited for the first worker without a word (a queue may take hours)."""
    from distributed import LocalCluster

    import starclass.survey.run as run_mod
    from starclass.survey.batch import BatchSpec

    made = []

    def fake_batch_cluster(spec):  # stands in for a SLURMCluster whose jobs sit in the queue
        made.append(LocalCluster(n_workers=0, processes=False, dashboard_address=None, silence_logs=50))
        return made[-1]

    class Stop(Exception):
        pass

    def echo(line):
        if "waiting for the first worker" in line:
            raise Stop(line)

    monkeypatch.setattr(run_mod, "batch_cluster", fake_batch_cluster)
    with pytest.raises(Stop, match="submitted 2 SLURM job"):
        run_survey(read_plan(survey_dir / "plan.yaml"), tmp_path / "out", batch=BatchSpec("slurm", jobs=2),
                   progress=False, echo=echo)
    assert made and made[0].status.name == "closed"  # the cluster was closed on the way out


def test_a_field_without_wcs_is_named_and_the_merged_catalogue_keeps_ra_dec(survey_dir, cluster, tmp_path):
    """A first field whose mosaics had no WCS made the partitioned catalogue lose ra, dec for every
    field (pyarrow and pandas take the first file's schema), and the survey said nothing."""
    import pyarrow.parquet as pq
    from astropy.io import fits

    from starclass.bands import BANDS
    from starclass.io.mosaic import write_mosaic

    (tmp_path / "bare").mkdir()
    for b in ("g", "i"):
        write_mosaic(tmp_path / "bare" / f"f_{b}.fits", fits.getdata(survey_dir / "found" / f"f_{b}.fits"), b, None,
                     photflam=BANDS[b].photflam, photplam=BANDS[b].photplam)
    plan = tmp_path / "plan.yaml"
    # one 256 px tile per field (the image is 200 x 190): what is checked is between fields
    plan.write_text(f"model: {survey_dir / 'model'}\ntile_size: 256\noverlap: 56\nphotometry: ci\nfields:\n"
                    f"  - {{name: a-bare, mosaics: {tmp_path / 'bare'}}}\n"
                    f"  - {{name: found, mosaics: {survey_dir / 'found'}}}\n")
    said: list[str] = []
    result = run_survey(read_plan(plan), tmp_path / "out", cluster=cluster, progress=False, echo=said.append)
    assert result.ok, result.summary
    notes = [s for s in said if "no celestial WCS" in s]
    assert len(notes) == 1 and "'a-bare'" in notes[0] and "f_g.fits" in notes[0]
    merged = pq.read_table(tmp_path / "out" / "catalogue").to_pandas()
    assert {"ra", "dec"} <= set(merged.columns)
    assert merged.loc[merged["field"] == "found", "ra"].notna().all()
    assert merged.loc[merged["field"] == "a-bare", "ra"].isna().all()
    assert (merged["field"] == "a-bare").sum() > 0
    assert result.summary["fields"]["a-bare"]["sky_positions"].startswith("none: ")


def test_cli_truncated_mosaic_stops_the_plan_naming_the_file_and_how_to_leave_it_out(survey_dir, tmp_path):
    """A truncated mosaic stopped the survey with astropy's "buffer is too small for requested array";
    the message now names the file, says it is truncated and how to go on without the field."""
    import shutil

    from typer.testing import CliRunner

    from starclass.cli import app

    shutil.copytree(survey_dir / "found", tmp_path / "cut")
    bad = tmp_path / "cut" / "f_i.fits"
    with open(bad, "r+b") as fh:
        fh.truncate(bad.stat().st_size // 2)
    p = tmp_path / "plan.csv"
    p.write_text(f"name,mosaics\ngiven,{survey_dir / 'given'}\ncut,{tmp_path / 'cut'}\n")
    r = CliRunner().invoke(app, ["survey", str(p), "-o", str(tmp_path / "out"), "--model",
                                 str(survey_dir / "model"), "--no-progress"])
    assert r.exit_code == 2, r.output
    assert "f_i.fits is truncated" in r.output and "delete field 'cut' from the plan" in r.output
    assert "buffer is too small" not in r.output and "Traceback" not in r.output
    assert not (tmp_path / "out").exists()
    helped = " ".join(CliRunner().invoke(app, ["survey", "--help"]).output.split())
    assert "truncated" in helped and "leave the field out by deleting its entry" in helped


@pytest.mark.parametrize("photometry", ["ci", "none"])
def test_a_mosaic_damaged_after_the_plan_check_fails_its_field_exit_2_naming_it_and_a_rerun_resumes(
        survey_dir, cluster, tmp_path, monkeypatch, photometry):
    """A band file truncated after the plan check (an rsync rewriting it while the survey runs) failed its field's
    tiles (ci: its PSF task; none: each tile), naming field and file, with finished tiles kept, but said "rerun the
    same command to retry them" (which fails alike) and exited 1, as a worker's fault. It says to repair the file
    (or leave the field out) and exits 2, as the plan check's refusal; the rerun after the repair resumes."""
    import shutil

    from distributed import Client
    from typer.testing import CliRunner

    import starclass.survey.run as run_mod
    from starclass.cli import app

    shutil.copytree(survey_dir / "found", tmp_path / "cut")
    bad = tmp_path / "cut" / "f_i.fits"
    good = bad.read_bytes()
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"model: {survey_dir / 'model'}\ntile_size: 64\noverlap: 56\nphotometry: {photometry}\n"
                    f"retries: 0\nfields:\n  - {{name: given, mosaics: {survey_dir / 'given'}, "
                    f"positions: {survey_dir / 'given' / 'truth.ecsv'}}}\n"
                    f"  - {{name: cut, mosaics: {tmp_path / 'cut'}}}\n")
    checked = run_mod.prepare

    def prepare_then_truncate(*args, **kwargs):
        prepared = checked(*args, **kwargs)
        with open(bad, "r+b") as fh:
            fh.truncate(len(good) // 2)
        return prepared

    monkeypatch.setattr(run_mod, "prepare", prepare_then_truncate)
    # the module's thread-worker cluster, not a LocalCluster of process workers (each imports torch)
    monkeypatch.setattr(run_mod, "_client", lambda *a, **k: (Client(cluster), None))
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["survey", str(plan), "-o", str(out), "--no-progress"])
    assert r.exit_code == 2, (r.output, r.exception)
    text = " ".join(r.output.split())
    assert "survey INCOMPLETE: 12 tiles failed" in text and "f_i.fits is truncated" in text, r.output
    assert "field 'cut': an input named above cannot be read now" in text and "repair it" in text, r.output
    assert "rerun the same command to retry them" not in text and "Traceback" not in r.output, r.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["failed_on_input"] == ["cut"] and len(summary["failed_tiles"]) == 12
    assert all(k.startswith("cut/") for k in summary["failed_tiles"])
    assert len(list((out / "tiles" / "given").glob("*.parquet"))) == 12  # the other field's tiles are kept
    # the file repaired, the same command resumes: the kept tiles reused, the field's run
    monkeypatch.setattr(run_mod, "prepare", checked)
    bad.write_bytes(good)
    r = CliRunner().invoke(app, ["survey", str(plan), "-o", str(out), "--no-progress"])
    assert r.exit_code == 0, r.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["complete"] and summary["n_tiles_skipped"] == 12 and summary["n_tiles_run"] == 12, summary


def test_a_mosaic_truncated_while_its_tiles_run_is_refused_naming_it_not_read_through_its_old_mapping(
        survey_dir, tmp_path):
    """A worker keeps each field's mosaics memory-mapped between tiles (survey.work._mosaics): a band file truncated
    in place after its first tiles ran (cp over it while the survey runs) was read through the old mapping, and
    the pixels past the new end killed the worker with SIGBUS (a survey of thread workers, exit 135, no file
    named; by hand). The file's stamp is checked at each tile: a changed file is read again, a truncated one
    refused naming it, as at the plan check; repaired, it is read afresh."""
    import shutil

    from starclass.survey import work

    shutil.copytree(survey_dir / "found", tmp_path / "cut")
    paths = {b: str(tmp_path / "cut" / f"f_{b}.fits") for b in ("g", "i")}
    bad = Path(paths["i"])
    good = bad.read_bytes()
    first = work._mosaics(paths, True)
    assert work._mosaics(paths, True) is first  # unchanged: the worker's cache
    with open(bad, "r+b") as fh:
        fh.truncate(len(good) // 2)
    with pytest.raises(StarclassError, match=r"f_i\.fits is truncated"):
        work._mosaics(paths, True)  # the old code returned the cached mapping: reading its pixels is SIGBUS
    bad.write_bytes(good)
    again = work._mosaics(paths, True)
    assert again is not first and again is work._mosaics(paths, True)


def test_survey_and_detect_say_in_their_meta_how_their_ids_are_numbered(survey_dir, clean_run):
    """A survey numbers a field's detected candidates in (y, x) order, detect by V magnitude: the same candidates
    have other ids in the two, and neither catalogue said which rule it used (docs/survey.md only). Each says it
    in its meta (id_order), and the ids follow the rule said."""
    from starclass.detect import detect
    from starclass.io.mosaic import read_mosaics
    from starclass.schema import ID, ID_ORDER

    found = Table.read(clean_run.outdir / "fields" / "found" / "catalogue.parquet")
    assert found.meta[ID_ORDER].startswith("(y, x): per field by y, then x"), found.meta.get(ID_ORDER)
    assert list(found[ID]) == list(range(1, len(found) + 1)) and len(found) > 3
    assert np.array_equal(np.lexsort((found["x"], found["y"])), np.arange(len(found)))
    given = Table.read(clean_run.outdir / "fields" / "given" / "catalogue.parquet")
    assert given.meta[ID_ORDER].startswith("as given"), given.meta.get(ID_ORDER)
    mosaics = read_mosaics({b: str(survey_dir / "found" / f"f_{b}.fits") for b in ("g", "i")})
    det = detect(mosaics, progress=False)
    col = det.meta[ID_ORDER].split()[0]
    assert det.meta[ID_ORDER] == f"{col} increasing (brightest first, none last), before the selection"
    mags = np.where(np.isfinite(det[col]), det[col], np.inf)
    assert len(det) > 3 and np.all(np.diff(mags) >= 0) and np.all(np.diff(det[ID]) > 0)


def test_info_of_a_survey_catalogue_and_of_detect_s_says_how_their_ids_are_numbered(survey_dir, clean_run, tmp_path):
    """The id rule was in the meta only: 'starclass info' of a survey's field catalogue and of detect's catalogue
    listed the same id column without a word that the same id is another object in the two."""
    from typer.testing import CliRunner

    from starclass.cli import app

    found = clean_run.outdir / "fields" / "found" / "catalogue.parquet"
    r = CliRunner().invoke(app, ["info", str(found)])
    assert r.exit_code == 0, r.output
    assert ("ids numbered: (y, x): per field by y, then x (detect numbers by V magnitude: match the two on x, y)"
            in r.output), r.output
    given = CliRunner().invoke(app, ["info", str(clean_run.outdir / "fields" / "given" / "catalogue.parquet")])
    assert "ids numbered: as given (the positions' ids, in their order)" in given.output, given.output
    out = tmp_path / "det.ecsv"
    r = CliRunner().invoke(app, ["detect", str(survey_dir / "found"), "-o", str(out), "--no-progress"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(app, ["info", str(out)])
    assert "ids numbered: mag_" in r.output and "increasing (brightest first, none last)" in r.output, r.output


def test_every_field_error_of_the_plan_check_says_how_to_leave_the_field_out(survey_dir, tmp_path):
    """Only unreadable mosaics said how to go on; a missing band or duplicate ids said what was wrong only."""
    from starclass.survey.run import prepare

    truth = Table.read(survey_dir / "given" / "truth.ecsv")
    truth["id"][1] = truth["id"][0]
    truth.write(tmp_path / "dup.ecsv")
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"model: {survey_dir / 'model'}\ntile_size: 64\noverlap: 56\nfields:\n"
                    f"  - {{name: found, mosaics: {survey_dir / 'found'}}}\n"
                    f"  - {{name: dup, mosaics: {survey_dir / 'given'}, positions: {tmp_path / 'dup.ecsv'}}}\n"
                    f"  - {{name: one-band, mosaics: {survey_dir / 'given' / 'f_g.fits'}}}\n")
    with pytest.raises(StarclassError, match=r"field 'dup': duplicate id .*Nothing was run; to survey the other "
                                             r"fields without it, delete field 'dup' from the plan"):
        prepare(read_plan(plan), tmp_path / "o")
    plan.write_text(plan.read_text().replace(f"  - {{name: dup, mosaics: {survey_dir / 'given'}, positions: "
                                             f"{tmp_path / 'dup.ecsv'}}}\n", ""))
    with pytest.raises(StarclassError, match=r"field 'one-band': model .* band i missing from the mosaics "
                                             r".*delete field 'one-band'"):
        prepare(read_plan(plan), tmp_path / "o")
    assert not (tmp_path / "o").exists()


def test_an_empty_field_keeps_the_class_columns_of_the_merged_catalogue_and_scores_zero(survey_dir, cluster, tmp_path):
    """A field without a candidate has no class_pred, prob_k columns: sorted first, it made pyarrow and pandas
    drop them from the merged catalogue of every field; its truth was not scored (no completeness)."""
    import pyarrow.parquet as pq

    from starclass.bands import BANDS
    from starclass.io.mosaic import write_mosaic
    from starclass.survey.run import summary_lines

    (tmp_path / "sky").mkdir()
    rng = np.random.default_rng(0)
    for b in ("g", "i"):  # sky noise only
        write_mosaic(tmp_path / "sky" / f"f_{b}.fits", rng.normal(0.0, 0.05, SHAPE).astype("f4"), b, None,
                     photflam=BANDS[b].photflam, photplam=BANDS[b].photplam)
    plan = tmp_path / "plan.yaml"
    # one 256 px tile per field (the image is 200 x 190): what is checked is between fields
    plan.write_text(f"model: {survey_dir / 'model'}\ntile_size: 256\noverlap: 56\nphotometry: ci\nfields:\n"
                    f"  - {{name: a-sky, mosaics: {tmp_path / 'sky'}, truth: {survey_dir / 'found' / 'truth.ecsv'}}}\n"
                    f"  - {{name: found, mosaics: {survey_dir / 'found'}}}\n")
    result = run_survey(read_plan(plan), tmp_path / "out", cluster=cluster, progress=False, echo=lambda s: None)
    assert result.ok, result.summary
    assert result.summary["fields"]["a-sky"]["n_candidates"] == 0
    merged = pq.read_table(tmp_path / "out" / "catalogue").to_pandas()
    assert {"class_pred", "prob_1", "prob_2"} <= set(merged.columns)
    assert merged.loc[merged["field"] == "found", "class_pred"].notna().all() and len(merged) > 0
    ev = result.summary["fields"]["a-sky"]["evaluation"]
    assert ev["completeness"] == 0.0 and ev["n_matched"] == 0
    assert any("a-sky: 0 candidates" in line and "truth: 0/" in line for line in summary_lines(result.summary))


def test_fields_whose_given_ids_differ_in_type_are_merged_not_a_crash(survey_dir, cluster, tmp_path):
    """One field's positions numbered 1..N, another's named 'S-1'...: the merged catalogue's partitions
    were cast to the first field's schema and the survey ended, after every tile had run, with pyarrow's
    "Failed to parse string: 'S-1' as a scalar of type int64" (a traceback)."""
    import pyarrow.parquet as pq

    truth = Table.read(survey_dir / "given" / "truth.ecsv")
    named = truth.copy()
    named["id"] = [f"S-{i}" for i in truth["id"]]
    named.write(tmp_path / "named.ecsv")
    plan, given = tmp_path / "plan.yaml", survey_dir / "given"
    # one 256 px tile per field (the image is 200 x 190): what is checked is between fields
    plan.write_text(f"model: {survey_dir / 'model'}\ntile_size: 256\noverlap: 56\nphotometry: ci\nfields:\n"
                    f"  - {{name: a, mosaics: {given}, positions: {given / 'truth.ecsv'}}}\n"
                    f"  - {{name: b, mosaics: {given}, positions: {tmp_path / 'named.ecsv'}}}\n")
    result = run_survey(read_plan(plan), tmp_path / "out", cluster=cluster, progress=False, echo=lambda s: None)
    assert result.ok, result.summary
    merged = pq.read_table(tmp_path / "out" / "catalogue").to_pandas()
    ids = {f: sorted(map(str, merged.loc[merged["field"] == f, "id"])) for f in ("a", "b")}
    assert ids["a"] == sorted(str(i) for i in truth["id"])  # each field's ids as given, as text for both
    assert ids["b"] == sorted(named["id"])


def test_tiles_wholly_on_a_nan_border_are_empty_not_failed(survey_dir, cluster, tmp_path):
    """A drizzled mosaic with a NaN border wider than a tile: those tiles failed on every retry ("the image
    has no usable pixel"), so the survey never completed."""
    from astropy.io import fits

    from starclass.bands import BANDS
    from starclass.io.mosaic import write_mosaic

    pad = 190  # beyond a corner tile's window (128 px core + 56 px overlap)
    (tmp_path / "bordered").mkdir()
    for b in ("g", "i"):
        img = fits.getdata(survey_dir / "found" / f"f_{b}.fits")
        big = np.full((img.shape[0], img.shape[1] + pad), np.nan, np.float32)  # a border on the left
        big[:, pad:] = img
        write_mosaic(tmp_path / "bordered" / f"f_{b}.fits", big, b, None,
                     photflam=BANDS[b].photflam, photplam=BANDS[b].photplam)
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"model: {survey_dir / 'model'}\ntile_size: 128\noverlap: 56\nphotometry: ci\nretries: 0\n"
                    f"fields:\n  - {{name: bordered, mosaics: {tmp_path / 'bordered'}}}\n")
    result = run_survey(read_plan(plan), tmp_path / "out", cluster=cluster, progress=False, echo=lambda s: None)
    assert result.ok, result.summary["errors"]
    assert result.summary["n_tiles"] == 8 and result.summary["n_candidates"] >= 8


def test_mask_and_dq_extensions_of_the_plan_reach_every_tile(survey_dir, cluster, clean_run, tmp_path):
    """The survey read its mosaics without the mask and DQ extensions (detect, cutouts and classify take
    --mask-extension / --dq-good-bits): a source under flagged pixels was found in its tile. Now the plan's
    mask_extension and dq_good_bits are applied over each tile's window, counted per field before any tile."""
    import pyarrow.parquet as pq
    from astropy.io import fits

    bpm = np.zeros(SHAPE, np.int16)
    bpm[155:166, 155:166] = 1  # the source at (160, 160), wholly
    dq = np.zeros(SHAPE, np.uint16)
    dq[25:36, 170:181] = 4096  # the source at (175, 30), wholly
    dq[100:103, 10:13] = 4  # harmless: bit 4 is listed as good
    (tmp_path / "flagged").mkdir()
    for b in ("g", "i"):
        with fits.open(survey_dir / "found" / f"f_{b}.fits") as hdul:
            fits.HDUList([hdul[0].copy(), fits.ImageHDU(bpm, name="BPM"),
                          fits.ImageHDU(dq, name="DQ")]).writeto(tmp_path / "flagged" / f"f_{b}.fits")
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"model: {survey_dir / 'model'}\ntile_size: 64\noverlap: 56\nphotometry: ci\nretries: 0\n"
                    f"mask_extension: BPM\ndq_good_bits: '4'\n"
                    f"fields:\n  - {{name: flagged, mosaics: {tmp_path / 'flagged'}}}\n")
    said = []
    import warnings

    with warnings.catch_warnings():
        # the extensions applied are not named as "not applied", in the plan check or in a worker
        warnings.filterwarnings("error", message="mask or data-quality extension")
        result = run_survey(read_plan(plan), tmp_path / "out", cluster=cluster, progress=False, echo=said.append)
    assert result.ok, result.summary["errors"]
    assert any("field 'flagged': pixels flagged by mask extension BPM" in s and "g 242 (" in s for s in said), said
    # summary.json says so too (it did not): what was applied, the pixels flagged per field and band
    recorded = json.loads((tmp_path / "out" / "summary.json").read_text())["pixel_flags"]
    assert recorded["applied"] == "mask extension BPM (nonzero = bad), DQ with good bits '4' (astropy syntax)"
    assert "g 242 (" in recorded["fields"]["flagged"]
    assert "pixel_flags" not in clean_run.summary  # without the settings: as before
    table = pq.read_table(tmp_path / "out" / "fields" / "flagged" / "catalogue.parquet")
    x, y = table.column("x").to_numpy(), table.column("y").to_numpy()
    for fx, fy in ((160.0, 160.0), (175.0, 30.0)):
        assert np.min(np.hypot(x - fx, y - fy)) > 5  # found in the plain field, not under the flags
    truth = Table.read(survey_dir / "found" / "truth.ecsv")
    assert table.num_rows >= len(truth) - 2 > 0
    # the same images without the settings (the clean run's field 'found'): both sources are found
    table = pq.read_table(clean_run.outdir / "fields" / "found" / "catalogue.parquet")
    x, y = table.column("x").to_numpy(), table.column("y").to_numpy()
    for fx, fy in ((160.0, 160.0), (175.0, 30.0)):
        assert np.min(np.hypot(x - fx, y - fy)) < 1.5


def _masked_field(survey_dir, tmp_path) -> tuple[Path, str, str]:
    """Field 'found' with a mask file beside each mosaic (the source at 160, 160 wholly masked); plan parts."""
    import shutil

    from astropy.io import fits

    shutil.copytree(survey_dir / "found", tmp_path / "masked")
    mask = np.zeros(SHAPE, np.uint8)
    mask[155:166, 155:166] = 1
    for b in ("g", "i"):
        fits.PrimaryHDU(mask).writeto(tmp_path / "masked" / f"f_{b}_bpm.fits")
    head = f"model: {survey_dir / 'model'}\ntile_size: 64\noverlap: 56\nphotometry: ci\nretries: 0\n"
    fields = f"fields:\n  - {{name: masked, mosaics: {tmp_path / 'masked'}}}\n"
    return tmp_path / "plan.yaml", head, fields


def test_a_plan_s_mask_files_are_counted_and_enter_the_tile_digests(survey_dir, tmp_path):
    """survey had no mask_file (detect, cutouts and classify take --mask-file): mosaics with a mask file
    beside each could not be surveyed as they were detected and cut. The plan's mask_file (or --mask-file)
    is counted per field before any tile, and a rewritten mask file makes its tiles stale."""
    import os

    from typer.testing import CliRunner

    from starclass.cli import app
    from starclass.survey.run import prepare

    plan, head, fields = _masked_field(survey_dir, tmp_path)
    plan.write_text(head + "mask_file: '{stem}_bpm.fits'\n" + fields)
    prepared = prepare(read_plan(plan), tmp_path / "out")
    note = prepared.fields[0].flags_note
    assert "pixels flagged by mask files {stem}_bpm.fits" in note and "g 121 (" in note, note
    assert all(j.pixel_flags.mask_file == "{stem}_bpm.fits" for j in prepared.jobs)
    # a mask file rewritten since: every tile of its field is redone, as for a rewritten mosaic
    before = {j.key: j.digest for j in prepared.jobs}
    st = os.stat(tmp_path / "masked" / "f_i_bpm.fits")
    os.utime(tmp_path / "masked" / "f_i_bpm.fits", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    after = {j.key: j.digest for j in prepare(read_plan(plan), tmp_path / "out").jobs}
    assert before.keys() == after.keys() and all(before[k] != after[k] for k in before)
    # given on the command line, and named as the option when a mask file is missing
    plan.write_text(head + fields)
    r = CliRunner().invoke(app, ["survey", str(plan), "-o", str(tmp_path / "out2"), "--no-progress",
                                 "--mask-file", "masks/{stem}.fits"])
    assert r.exit_code == 2 and "field 'masked': --mask-file masks/{stem}.fits: no mask file" in r.output, r.output
    assert not (tmp_path / "out2").exists()


@pytest.mark.slow
def test_a_plan_s_mask_files_reach_every_tile(survey_dir, cluster, tmp_path):
    """The survey run itself (4-14 s on the loaded machine): the masked source is not found, the others are."""
    import pyarrow.parquet as pq

    plan, head, fields = _masked_field(survey_dir, tmp_path)
    plan.write_text(head + "mask_file: '{stem}_bpm.fits'\n" + fields)
    result = run_survey(read_plan(plan), tmp_path / "out", cluster=cluster, progress=False, echo=lambda s: None)
    assert result.ok, result.summary["errors"]
    recorded = json.loads((tmp_path / "out" / "summary.json").read_text())["pixel_flags"]
    assert recorded["applied"] == "mask files {stem}_bpm.fits (nonzero = bad)"
    table = pq.read_table(tmp_path / "out" / "fields" / "masked" / "catalogue.parquet")
    x, y = table.column("x").to_numpy(), table.column("y").to_numpy()
    assert np.min(np.hypot(x - 160.0, y - 160.0)) > 5  # under the mask: not found
    assert np.min(np.hypot(x - 175.0, y - 30.0)) < 1.5  # elsewhere: found as without it


def test_a_plan_s_bad_dq_expression_or_missing_extension_stops_it_naming_the_plan(survey_dir, tmp_path):
    from typer.testing import CliRunner

    from starclass.cli import app

    plan = tmp_path / "plan.yaml"
    plan.write_text(f"model: {survey_dir / 'model'}\ndq_good_bits: '4++2'\n"
                    f"fields:\n  - {{name: found, mosaics: {survey_dir / 'found'}}}\n")
    with pytest.raises(StarclassError, match=r"plan .*plan.yaml: dq_good_bits '4\+\+2': not a bit-flag expression"):
        read_plan(plan)
    plan.write_text(f"model: {survey_dir / 'model'}\nfields:\n  - {{name: found, mosaics: {survey_dir / 'found'}}}\n")
    r = CliRunner().invoke(app, ["survey", str(plan), "-o", str(tmp_path / "out"), "--mask-extension", "BPM",
                                 "--no-progress"])
    assert r.exit_code == 2, r.output
    # named as the user typed it: the option given on the command line (it said the plan key mask_extension,
    # which the plan did not hold), the plan key when the plan gives it
    assert "field 'found': --mask-extension: " in r.output
    assert "f_g.fits has no BPM extension; its HDUs: HDU 0" in r.output
    assert not (tmp_path / "out").exists()
    plan.write_text(f"model: {survey_dir / 'model'}\nmask_extension: BPM\n"
                    f"fields:\n  - {{name: found, mosaics: {survey_dir / 'found'}}}\n")
    r = CliRunner().invoke(app, ["survey", str(plan), "-o", str(tmp_path / "out"), "--no-progress"])
    assert r.exit_code == 2 and "field 'found': mask_extension: " in r.output, r.output
    r = CliRunner().invoke(app, ["survey", str(plan), "-o", str(tmp_path / "out"), "--no-progress",
                                 "--dq-good-bits", "4++2"])
    assert r.exit_code == 2 and "--dq-good-bits '4++2': not a bit-flag expression" in r.output, r.output
    assert not (tmp_path / "out").exists()


def test_given_positions_keep_their_own_photometry_and_classification_renamed(survey_dir, cluster, tmp_path):
    """A catalogue given as a field's positions (a published one, or classified before): its mag_<band> and ci
    were replaced by the measured ones without a word, and its 'model' path (and class_joint) stayed beside the
    new classes under their names; each is now kept as <name>_input, as detect --positions and classify keep them."""
    import pyarrow.parquet as pq

    truth = Table.read(survey_dir / "given" / "truth.ecsv")
    n = len(truth)
    pos = Table({"id": truth["id"], "x": truth["x"], "y": truth["y"], "mag_g": np.full(n, 30.5),
                 "ci": np.full(n, 9.5), "class_pred": np.full(n, 3), "model": ["/old/model"] * n})
    pos.write(tmp_path / "published.csv")
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"model: {survey_dir / 'model'}\ntile_size: 64\noverlap: 56\nphotometry: ci\nfields:\n"
                    f"  - {{name: given, mosaics: {survey_dir / 'given'}, positions: {tmp_path / 'published.csv'}}}\n")
    with pytest.warns(UserWarning, match=r"the positions of field 'given': .*'mag_g' -> 'mag_g_input'"):
        result = run_survey(read_plan(plan), tmp_path / "out", cluster=cluster, progress=False, echo=lambda s: None)
    assert result.ok, result.summary
    got = pq.read_table(tmp_path / "out" / "fields" / "given" / "catalogue.parquet")
    assert got.column("mag_g_input").to_pylist() == [30.5] * n and got.column("ci_input").to_pylist() == [9.5] * n
    assert np.all(np.asarray(got.column("mag_g").to_numpy()) != 30.5)  # measured here
    assert got.column("model_input").to_pylist() == ["/old/model"] * n and "model" not in got.column_names
    assert got.column("class_pred_input").to_pylist() == [3] * n


def test_a_device_that_is_no_device_is_refused_before_any_tile(survey_dir, tmp_path):
    """--device tpu: named in train's and classify's words, exit 2, nothing run."""
    from typer.testing import CliRunner

    from starclass.cli import app

    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["survey", str(survey_dir / "plan.yaml"), "-o", str(out), "--no-progress",
                                 "--workers", "1", "--device", "tpu"])
    assert r.exit_code == 2, r.output
    assert "error: --device (device= in Python) 'tpu' is not a device; use cpu, cuda or cuda:N" in r.output, r.output
    assert not out.exists()


def test_a_wrong_task_names_the_option_or_the_plan_that_gave_it(survey_dir, tmp_path):
    """survey --task NONSENSE said "plan PLAN: task 'NONSENSE' but model ...", blaming a plan that
    has no task key; the command-line value is named as --task, a plan's own key as before."""
    from typer.testing import CliRunner

    from starclass.cli import app

    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["survey", str(survey_dir / "plan.yaml"), "-o", str(out), "--no-progress",
                                 "--workers", "1", "--task", "NONSENSE"])
    assert r.exit_code == 2, r.output
    assert "error: --task 'NONSENSE' but model " in r.output, r.output
    assert "was trained for task 'm31-binary-compact'" in r.output and "plan " not in r.output, r.output
    assert "Traceback" not in r.output and not out.exists()
    # the plan's own key is still named as the plan's
    plan = tmp_path / "plan.yaml"
    d = survey_dir
    plan.write_text(f"model: {d / 'model'}\ntask: legus4\ntile_size: 64\noverlap: 56\nphotometry: ci\nfields:\n"
                    f"  - {{name: given, mosaics: {d / 'given'}, positions: {d / 'given' / 'truth.ecsv'}}}\n")
    r = CliRunner().invoke(app, ["survey", str(plan), "-o", str(out), "--no-progress", "--workers", "1"])
    assert r.exit_code == 2, r.output
    assert f"error: plan {plan}: task 'legus4' but model " in r.output, r.output
    assert not out.exists()


def test_cli_task_mismatch_names_the_option(survey_dir, tmp_path):
    # 'survey PLAN --task legus4' blamed the plan file ("plan PLAN: task 'legus4' but model ..."), whose
    # 'task:' was never set: the other commands name --task (e86086b)
    from typer.testing import CliRunner

    from starclass.cli import app

    r = CliRunner().invoke(app, ["survey", str(survey_dir / "plan.yaml"), "-o", str(tmp_path / "out"), "--task",
                                 "legus4", "--no-progress"])
    flat = " ".join(r.output.split())
    assert r.exit_code == 2, r.output
    assert "--task 'legus4'" in flat and "task 'm31-binary-compact'" in flat, r.output
    assert not (tmp_path / "out").exists()


def test_a_counts_field_is_read_as_counts_in_every_tile_as_detect_reads_it(survey_dir, cluster, tmp_path):
    """Each tile decided photon_counts on its own window: on a sky of 0.3 counts/px with a bright patch of
    10 counts/px (extended emission) in one corner, the corner tiles, a third of whose pixels are the patch,
    did not look Poisson (too few ones for their zeros) and were read as Gaussian, their neighbours as counts:
    one image, two background and noise models. The survey decides once per band on the whole mosaic, as
    `detect` on the whole image does."""
    from starclass.bands import BANDS
    from starclass.detect import detect
    from starclass.io import read_mosaics
    from starclass.io.mosaic import write_mosaic
    from starclass.simulate import preset
    from starclass.simulate.field import make_wcs
    from starclass.survey.run import prepare

    shape = (128, 256)
    rng = np.random.default_rng(21)
    yy, xx = np.mgrid[0:shape[0], 0:shape[1]]
    lam = np.full(shape, 0.3)
    lam[:72, :72] = 10.0
    for x, y in [(30, 100), (100, 30), (160, 90), (220, 40)]:
        lam = lam + 300.0 / (2 * np.pi * 1.2 ** 2) * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * 1.2 ** 2))
    field = tmp_path / "xray"
    field.mkdir()
    wcs = make_wcs(preset("m31", shape=shape))
    for b in ("g", "i"):
        write_mosaic(field / f"x_{b}.fits", rng.poisson(lam).astype("f4"), b, wcs, photflam=BANDS[b].photflam,
                     photplam=BANDS[b].photplam)
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"model: {survey_dir / 'model'}\ntile_size: 64\noverlap: 56\nphotometry: ci\nretries: 0\n"
                    f"fields:\n  - {{name: xray, mosaics: {field}}}\n")
    whole = detect(read_mosaics(field), aperture_correction="ci", progress=False).meta["detect_noise"]
    assert whole == "poisson"
    result = run_survey(read_plan(plan), tmp_path / "out", cluster=cluster, progress=False, echo=lambda s: None)
    assert result.ok, result.summary["errors"]
    tiles = sorted((tmp_path / "out" / "tiles").glob("*/*.parquet"))
    noise = {p.stem: Table.read(p).meta.get("detect_noise") for p in tiles}
    assert len(noise) == 8 and set(noise.values()) == {whole}, noise  # r000_c000, r001_c000 'gaussian' before
    assert all(j.photon_counts == {"g": True, "i": True} for j in prepare(read_plan(plan), tmp_path / "o").jobs)


def _moffat_field(d: Path, shape, stars, fwhm: float = 2.4, beta: float = 2.5, seed: int = 0) -> None:
    """g and i mosaics of Moffat stars ``(x, y, flux)`` (5 x 5 sub-pixels each) on a noise of 0.05."""
    from starclass.bands import BANDS
    from starclass.io.mosaic import write_mosaic
    from starclass.simulate import preset
    from starclass.simulate.field import make_wcs

    rng = np.random.default_rng(seed)
    alpha = fwhm / (2 * np.sqrt(2 ** (1 / beta) - 1))
    half, sup = 20, 5
    n = 2 * half + 1
    c = (np.arange(n * sup) - (n * sup - 1) / 2) / sup
    d.mkdir(parents=True)
    for b in ("g", "i"):
        img = np.pad(rng.normal(0.0, 0.05, shape), half)
        for x, y, f in stars:
            ix, iy = int(round(x)), int(round(y))
            yy, xx = np.meshgrid(c - (y - iy), c - (x - ix), indexing="ij")
            st = ((1 + (xx ** 2 + yy ** 2) / alpha ** 2) ** (-beta)).reshape(n, sup, n, sup).sum(axis=(1, 3))
            img[iy:iy + n, ix:ix + n] += f * st / st.sum()
        write_mosaic(d / f"f_{b}.fits", img[half:-half, half:-half].astype("f4"), b,
                     make_wcs(preset("m31", shape=shape)), photflam=BANDS[b].photflam, photplam=BANDS[b].photplam)


def test_every_tile_takes_the_growth_psf_of_the_whole_mosaic_as_detect_does(survey_dir, cluster, tmp_path,
                                                                              monkeypatch):
    """Each tile estimated the growth-curve PSF from its own stars: on a 256 x 128 px field whose 24 bright
    stars all lie at x < 100, the tiles further right (fewer than 10 stars of S/N >= 30 in their windows) fell
    back on the g band's tabulated 4 px PSF (its own CI locus too: fewer than 15 bright sources), so their
    faint stars got other corrections than the left tiles' and than `detect` on the whole image (0.43 mag on
    the 512 px field of docs/survey.md). The PSF is now decided once per field on the whole mosaic: every tile
    has detect's PSF and the survey's magnitudes are detect's."""
    from scipy.spatial import cKDTree

    from starclass.detect import detect
    from starclass.io import read_mosaics

    rng = np.random.default_rng(3)
    shape = (128, 256)
    stars: list[tuple[float, float, float]] = []
    for n, xmax, flux in ((24, 100.0, (2000.0, 8000.0)), (16, 244.0, (30.0, 80.0))):
        while n:
            x, y = rng.uniform(12.0, xmax), rng.uniform(12.0, shape[0] - 12.0)
            if all((x - p[0]) ** 2 + (y - p[1]) ** 2 > 14.0 ** 2 for p in stars):
                stars.append((x, y, rng.uniform(*flux)))
                n -= 1
    _moffat_field(tmp_path / "f", shape, stars)
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"model: {survey_dir / 'model'}\ntile_size: 64\noverlap: 56\nphotometry: growth\nretries: 0\n"
                    f"fields:\n  - {{name: f, mosaics: {tmp_path / 'f'}}}\n")
    whole = detect(read_mosaics(tmp_path / "f"), aperture_correction="growth", progress=False)
    psf = (whole.meta["apcorr_psf_source"], whole.meta["apcorr_psf_fwhm_px"], whole.meta["apcorr_psf_beta"])
    assert psf[0] == "stars" and abs(psf[1]["g"] - 2.4) <= 0.1, psf
    result = run_survey(read_plan(plan), tmp_path / "out", cluster=cluster, progress=False, echo=lambda s: None)
    assert result.ok, result.summary["errors"]
    tiles = {p.stem: Table.read(p).meta for p in sorted((tmp_path / "out" / "tiles" / "f").glob("*.parquet"))}
    used = {k: (m.get("apcorr_psf_source"), m.get("apcorr_psf_fwhm_px"), m.get("apcorr_psf_beta"))
            for k, m in tiles.items()}
    assert len(used) == 8 and all(u == psf for u in used.values()), used  # r000_c002: ci-locus, g 4.0 px before
    cat = Table.read(tmp_path / "out" / "fields" / "f" / "catalogue.parquet")
    dist, i = cKDTree(np.c_[whole["x"], whole["y"]]).query(np.c_[cat["x"], cat["y"]])
    assert len(cat) == len(whole) and np.all(dist < 0.5)
    diff = np.asarray(cat["mag_g"]) - np.asarray(whole["mag_g"])[i]
    # the tiles' own background meshes still differ a little from the whole image's (one faint star: 0.004)
    assert abs(np.median(diff)) < 1e-4 and np.max(np.abs(diff)) < 0.02, np.round(diff, 3)
    # the whole-mosaic PSF is estimated for fields with tiles to run only: a finished field costs nothing again
    monkeypatch.setattr("starclass.survey.work.field_psf", lambda *a, **k: pytest.fail("PSF estimated again"))
    again = run_survey(read_plan(plan), tmp_path / "out", cluster=cluster, progress=False, echo=lambda s: None,
                       overwrite=True)
    assert again.ok and again.summary["n_tiles_skipped"] == 8, again.summary


def test_a_field_without_a_psf_is_warned_of_once_not_once_per_tile(survey_dir, cluster, tmp_path):
    """A counts image with neither 10 stars nor 20 sources to stack has no PSF: its magnitudes stay aperture
    magnitudes, with a warning. Each tile decided (and warned) on its own: 8 tiles, 8 warnings. The field's
    decision, on the whole mosaic, warns once, and the tiles take it without a word."""
    import warnings

    from starclass.bands import BANDS
    from starclass.io.mosaic import write_mosaic
    from starclass.simulate import preset
    from starclass.simulate.field import make_wcs

    shape = (128, 256)
    rng = np.random.default_rng(4)
    yy, xx = np.mgrid[0:shape[0], 0:shape[1]]
    lam = np.full(shape, 0.3)
    for x, y in [(30, 100), (100, 30), (160, 90), (220, 40)]:
        lam = lam + 200.0 / (2 * np.pi * 1.2 ** 2) * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * 1.2 ** 2))
    field = tmp_path / "xray"
    field.mkdir()
    for b in ("g", "i"):
        write_mosaic(field / f"x_{b}.fits", rng.poisson(lam).astype("f4"), b, make_wcs(preset("m31", shape=shape)),
                     photflam=BANDS[b].photflam, photplam=BANDS[b].photplam)
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"model: {survey_dir / 'model'}\ntile_size: 64\noverlap: 56\nphotometry: growth\nretries: 0\n"
                    f"fields:\n  - {{name: xray, mosaics: {field}}}\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run_survey(read_plan(plan), tmp_path / "out", cluster=cluster, progress=False, echo=lambda s: None)
    assert result.ok, result.summary["errors"]
    said = [str(w.message) for w in caught if "to measure its PSF" in str(w.message)]
    assert len(said) == 1, said  # 8 before, one per tile
    tiles = {p.stem: Table.read(p).meta.get("apcorr_psf_source") for p in (tmp_path / "out" / "tiles").glob("*/*")}
    assert len(tiles) == 8 and set(tiles.values()) == {"none"}, tiles


def test_the_field_psf_is_detect_s_on_the_whole_mosaic_or_on_the_central_square_of_a_large_one():
    """The field's PSF is that of `detect` on the whole mosaic; a mosaic wider than ``max_side`` (4096 px by
    default: a whole-image detect of a 16k mosaic would not fit a worker) is measured on its central square."""
    from starclass.datasets.fields import synthetic_field
    from starclass.detect import ArrayMosaics, detect
    from starclass.detect.photometry import psf_decision
    from starclass.survey.work import field_psf

    mos, _ = synthetic_field((160, 200), n_sources=60, seed=3)
    whole = psf_decision(detect(mos, aperture_correction="growth", progress=False))
    assert field_psf(mos, "growth") == whole and whole["mode"] == "growth"
    crop = ArrayMosaics({b: mos.data[b][16:144, 36:164] for b in mos.bands}, mos.zeropoint, exptime=mos.exptime)
    assert field_psf(mos, "growth", max_side=128) == psf_decision(detect(crop, aperture_correction="growth",
                                                                         progress=False))
    assert field_psf(mos, "none") is None


def test_a_survey_into_a_log_says_its_tiles_in_plain_lines(survey_dir, cluster, clean_run, caplog, monkeypatch):
    """Where the bar is off (a log file), a survey said nothing from its start to its summary, hours on a
    real plan: a line at the start, at most one each LOG_EVERY_S seconds, and one at the end now."""
    import logging
    import shutil

    import starclass.survey.run as survey_run

    out = survey_dir / "logged"
    shutil.copytree(clean_run.outdir / "tiles", out / "tiles")
    gone = ["found/r001_c001", "given/r000_c002"]
    for key in gone:
        (out / "tiles" / f"{key}.parquet").unlink()
    monkeypatch.setattr(survey_run, "LOG_EVERY_S", 0.0, raising=False)  # every tile's line, not one each 30 s
    with caplog.at_level(logging.INFO, logger="starclass.survey.run"):
        result = run_survey(read_plan(survey_dir / "plan.yaml"), out, cluster=cluster, progress=False,
                            echo=lambda s: None)
    assert result.ok
    n = result.summary["n_tiles"]
    said = [r.getMessage() for r in caplog.records if r.name == "starclass.survey.run"]
    assert said and said[0] == f"survey: {n - 2}/{n} tiles done, 2 to run", said
    assert said[-1] == f"survey: {n}/{n} tiles, {result.summary['n_candidates']} candidates, 0 failed", said
    assert len(said) == 3, said


def test_the_first_line_counts_fields_and_tiles_in_words(survey_dir, cluster, clean_run):
    """The first line read "survey: 2 field(s), 6 tile(s) of 64 px" though the fields' sides are not whole
    tiles (their edge tiles are narrower): now "2 fields, 6 tiles of up to 64 px"."""
    import shutil

    out = survey_dir / "worded"
    shutil.copytree(clean_run.outdir / "tiles", out / "tiles")
    said: list[str] = []
    result = run_survey(read_plan(survey_dir / "plan.yaml"), out, cluster=cluster, progress=False, echo=said.append)
    assert result.ok
    s = result.summary
    first = [line for line in said if line.startswith("survey: ")][0]
    assert first.startswith(f"survey: {s['n_fields']} fields, {s['n_tiles']} tiles of up to 64 px (overlap"), said
    assert "(s)" not in first
    from starclass.survey.run import tiles_words

    assert tiles_words([(128, 64)], 2, 64) == "1 field, 2 tiles of 64 px"
    assert tiles_words([(100, 64)], 1, 128) == "1 field, 1 tile of up to 128 px"
