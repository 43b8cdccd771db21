"""A command run into a log file says how far its long steps have got, in a few plain, timed lines.

Since 2026-12-05 bars are drawn only where stderr is a terminal (a log file kept every redraw); train
and survey then wrote plain lines, but classify, detect, explain, calibrate, suggest, cutouts and demo
said nothing until they ended: ``nohup starclass classify ... > log 2>&1 &`` showed nothing for minutes.
Now each step that draws a bar on a terminal writes ``HH:MM:SS <step>: <n> of <total> <units> (<p>%),
<time>`` on stderr instead (at the start, at most each 10% and 30 s, whichever is rarer, and at the end),
none with ``--no-progress`` and none on stdout. CliRunner's stderr is no terminal: the log-file case.
"""

from __future__ import annotations

import io
import logging
import re
import sys

import pytest
from typer.testing import CliRunner

from conftest import write_toy_held_out, write_toy_mosaics, write_untrained_model  # tests/ is on sys.path
from starclass.cli import app

runner = CliRunner()
#: starclass.io.progress.LOGGER (imported where used, so that the commands' tests run on code without it)
LOGGER = "starclass.progress"
pytestmark = pytest.mark.usefixtures("single_thread")

#: One progress line as the command line writes it into a log file
LINE = re.compile(r"^\d\d:\d\d:\d\d (?P<desc>[^\r|]+?): (?P<n>\d+) of (?P<total>\d+) [a-z]+ \((?P<pct>\d+)%\), "
                  r"\d+ s(, about .+ left)?$")


def _steps(res) -> dict[str, list[tuple[int, int, int]]]:
    """Each step's lines in ``res.stderr``, as (n, total, percent); checks the log holds no bar's redraws."""
    assert res.exit_code == 0, res.output
    assert "\r" not in res.stderr and "\u2588" not in res.stderr, repr(res.stderr)  # no redraw, no bar block
    assert not any(LINE.match(ln) for ln in res.stdout.splitlines()), res.stdout  # stdout stays the command's
    steps: dict[str, list[tuple[int, int, int]]] = {}
    for ln in res.stderr.splitlines():
        if m := LINE.match(ln):
            steps.setdefault(m["desc"], []).append((int(m["n"]), int(m["total"]), int(m["pct"])))
    return steps


def _said_start_to_end(steps: dict, desc: str, total: int) -> None:
    lines = steps.get(desc)
    assert lines, f"no line of {desc!r}: {steps}"
    assert lines[0] == (0, total, 0) and lines[-1] == (total, total, 100), lines


def _quiet(res) -> None:
    assert res.exit_code == 0, res.output
    assert not any(LINE.match(ln) for ln in res.output.splitlines()), res.output
    assert "\r" not in res.output, repr(res.output)


# -- the helper -----------------------------------------------------------------------------------
class _Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def _said(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER]


@pytest.mark.parametrize("seconds_per_unit, expected", [
    (1.0, [0, 30, 60, 90, 100]),  # 10% in 10 s: a line each 30 s, the rarer
    (10.0, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]),  # 10% in 100 s: a line each 10%, the rarer
])
def test_progress_says_a_line_at_the_rarer_of_each_tenth_and_each_30_s(caplog, seconds_per_unit, expected):
    from starclass.io import progress
    from starclass.io.progress import Progress

    assert progress.LOGGER == LOGGER and progress.LINE_EVERY_S == 30 and progress.LINE_EVERY_SHARE == 0.1
    caplog.set_level(logging.INFO, logger=LOGGER)
    clock = _Clock()
    with Progress(100, desc="classify (m, 1 member)", noun="candidate", show=None, clock=clock) as bar:
        for _ in range(100):
            clock.t += seconds_per_unit
            bar.update(1)
    said = _said(caplog)
    assert [int(s.split(": ")[1].split(" of ")[0]) for s in said] == expected, said
    assert said[0] == "classify (m, 1 member): 0 of 100 candidates (0%), 0 s"
    assert said[-1].startswith("classify (m, 1 member): 100 of 100 candidates (100%), ")


def test_progress_of_a_slow_step_says_a_line_at_least_each_5_minutes(caplog):
    """10% of legus4's 40000 candidates took 9 min: the log said nothing for 9 min; now a line each 5 min."""
    from starclass.io import progress
    from starclass.io.progress import Progress

    assert progress.LINE_AT_MOST_EVERY_S == 300
    caplog.set_level(logging.INFO, logger=LOGGER)
    clock = _Clock()
    times = [0.0]
    with Progress(100, desc="classify (legus4, 1 member)", noun="candidate", show=None, clock=clock) as bar:
        for _ in range(100):
            clock.t += 40.0  # 10% in 400 s
            n_said = len(caplog.records)
            bar.update(1)
            if len(caplog.records) > n_said:
                times.append(clock.t)
    said = _said(caplog)
    # the first unit past 300 s after each line: 8 units of 40 s (320 s), never waiting for the 10%
    assert [int(s.split(": ")[1].split(" of ")[0]) for s in said] == [*range(0, 100, 8), 100], said
    assert said[1] == "classify (legus4, 1 member): 8 of 100 candidates (8%), 5 min 20 s, about 1 h 01 min left"
    assert all(b - a <= 320 for a, b in zip(times, times[1:])), times


def test_progress_of_a_fast_step_keeps_the_30_s_floor_past_the_gap(caplog):
    """The 5-min rule only adds lines to slow steps: a step of many tiny units still says one each 30 s at most."""
    from starclass.io.progress import Progress

    caplog.set_level(logging.INFO, logger=LOGGER)
    clock = _Clock()
    bar = Progress(None, desc="x", noun="row", show=None, clock=clock)
    for _ in range(700):
        clock.t += 1.0
        bar.update(1)
    bar.close()
    said = _said(caplog)
    assert len(said) == 1 + 700 // 30 + 1, said  # the start, one each 30 s, the end


def test_progress_without_a_total_says_the_count_each_30_s(caplog):
    from starclass.io.progress import Progress

    caplog.set_level(logging.INFO, logger=LOGGER)
    clock = _Clock()
    bar = Progress(None, desc="x", noun="row", show=None, clock=clock)
    for _ in range(7):
        clock.t += 10
        bar.update(2)
    bar.close()
    assert _said(caplog) == ["x: 0 rows, 0 s", "x: 6 rows, 30 s", "x: 12 rows, 1 min 0 s", "x: 14 rows, 1 min 10 s"]


#: The "still working" line of a step whose count has not moved
STILL = re.compile(r"^(?P<desc>[^\r|]+?): (?P<n>\d+) of (?P<total>\d+) [a-z]+ \((?P<pct>\d+)%\), [^;]+; still working, "
                   r"no [a-z]+ done for [^;]+$")


def _heartbeats() -> list:
    import threading

    return [t for t in threading.enumerate() if t.name.startswith("progress-") and t.is_alive()]


def _new_heartbeats(before: list) -> list:
    """The live "still working" threads not in ``before``.

    Not ``_heartbeats() == before``: a thread of an earlier test (a step left open on purpose, ended
    by the garbage collector) can be alive when ``before`` is taken and gone a moment later.
    """
    return [t for t in _heartbeats() if t not in before]


def _wait_for(condition, timeout: float = 20.0) -> bool:
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_a_step_whose_count_stays_says_it_is_still_working_until_it_closes(caplog, monkeypatch):
    """One unit that took longer than 5 min (a big model's batch, a science check) left the log silent as long."""
    import time

    from starclass.io import progress
    from starclass.io.progress import Progress

    assert getattr(progress, "STILL_WORKING_S", 300) == 300  # the log's own interval, as LINE_AT_MOST_EVERY_S
    monkeypatch.setattr(progress, "STILL_WORKING_S", 0.2, raising=False)
    caplog.set_level(logging.INFO, logger=LOGGER)
    before = _heartbeats()
    bar = Progress(5, desc="science checks", noun="check", show=None)
    bar.update(1)
    assert _wait_for(lambda: sum("still working" in s for s in _said(caplog)) >= 2, 10.0), _said(caplog)
    said = _said(caplog)
    assert said[0] == "science checks: 0 of 5 checks (0%), 0 s", said
    still = [s for s in said if "still working" in s]
    assert all(STILL.match(s) for s in still), still
    assert still[0].startswith("science checks: 1 of 5 checks (20%), ") and ", no check done for " in still[0]
    assert not any(LINE.match(f"00:00:00 {s}") for s in still)  # not read as a count line by _steps
    bar.close()
    said = _said(caplog)
    # the end is said after a "still working" line, though the count stayed
    assert said[-1].startswith("science checks: 1 of 5 checks (20%), ") and "still" not in said[-1], said
    n_said = len(said)
    time.sleep(0.7)  # three more intervals: nothing once closed, and the thread is gone
    assert len(_said(caplog)) == n_said, _said(caplog)[n_said:]
    assert _wait_for(lambda: not _new_heartbeats(before)), _new_heartbeats(before)


def test_a_step_whose_caller_says_each_unit_gets_only_the_still_working_lines(caplog, monkeypatch):
    """report's science checks say each check by name: their Progress adds only the "still working" lines."""
    import time

    from starclass.io import progress
    from starclass.io.progress import Progress

    monkeypatch.setattr(progress, "STILL_WORKING_S", 2.0)  # long beside the units' 0.05 s on a busy machine
    caplog.set_level(logging.INFO, logger=LOGGER)
    with Progress(3, desc="report: science checks", noun="check", show=None, still_working_only=True) as bar:
        for _ in range(2):
            time.sleep(0.05)
            bar.update(1)  # a unit done in time: no line
        assert _said(caplog) == []
        assert _wait_for(lambda: _said(caplog) != [], 10.0)
    said = _said(caplog)
    assert len(said) >= 1 and all(STILL.match(s) for s in said), said
    assert said[0].startswith("report: science checks: 2 of 3 checks (66%), "), said


def test_a_moving_count_says_no_still_working_line(caplog, monkeypatch):
    import time

    from starclass.io import progress
    from starclass.io.progress import Progress

    monkeypatch.setattr(progress, "STILL_WORKING_S", 2.0)  # long beside the units' 0.01 s on a busy machine
    caplog.set_level(logging.INFO, logger=LOGGER)
    with Progress(20, desc="x", noun="item", show=None) as bar:
        for _ in range(20):
            time.sleep(0.01)
            bar.update(1)
    assert not [s for s in _said(caplog) if "still working" in s], _said(caplog)


@pytest.mark.parametrize("show, info", [(True, True), (False, True), (None, False)])
def test_no_still_working_thread_with_a_bar_when_off_or_where_no_line_is_shown(caplog, show, info):
    """Only the lines get one, and only where the logger takes INFO (the command line's log; not the quiet API)."""
    from starclass.io.progress import Progress

    if info:
        caplog.set_level(logging.INFO, logger=LOGGER)
    assert logging.getLogger(LOGGER).isEnabledFor(logging.INFO) is info
    before = _heartbeats()
    bar = Progress(3, desc="quiet", noun="band", show=show, **({"disable": True} if show else {}))
    assert not _new_heartbeats(before)
    bar.close()


def test_an_unclosed_step_that_is_collected_ends_its_thread(caplog, monkeypatch):
    """A step left open (its error's traceback kept, then dropped) does not keep a thread saying it works."""
    import gc

    from starclass.io import progress
    from starclass.io.progress import Progress

    monkeypatch.setattr(progress, "STILL_WORKING_S", 0.1)
    caplog.set_level(logging.INFO, logger=LOGGER)
    bar = Progress(3, desc="left open", noun="band", show=None)
    thread = next(t for t in _heartbeats() if t.name == "progress-left open")
    del bar
    gc.collect()
    thread.join(10)
    assert not thread.is_alive()


@pytest.mark.parametrize("fails_at", ["folder", "cutout"])
def test_a_failed_cutout_simulation_leaves_no_still_working_thread(tmp_path, caplog, fails_at):
    """The cutout presets kept their step's iterator in a variable, made before the output folder was checked.

    A refused folder never started it, and a cutout that failed left it open while the error's traceback was
    kept (a notebook keeps the last one): either way its "still working" thread would have gone on.
    """
    import numpy as np

    from starclass.errors import StarclassError
    from starclass.simulate.labelled import write_labelled_folder

    caplog.set_level(logging.INFO, logger=LOGGER)
    out = tmp_path / "out"
    if fails_at == "folder":
        out.mkdir()
        (out / "mine.txt").write_text("keep")

    def make(i: int):
        if i == 1:
            raise ValueError("no cutout 1")
        return {"x": np.zeros((4, 4))}, {"label": 1}

    before = _heartbeats()
    with pytest.raises(StarclassError if fails_at == "folder" else ValueError) as err:
        write_labelled_folder(out, 3, make, bands=None, progress=None)
    assert err.value.__traceback__ is not None  # kept, with the function's frame
    assert not _new_heartbeats(before), _new_heartbeats(before)


@pytest.mark.parametrize("show", [True, False])
def test_progress_says_no_line_with_a_bar_or_when_off(caplog, capsys, show):
    from starclass.io.progress import Progress

    caplog.set_level(logging.INFO, logger=LOGGER)
    assert list(Progress(3, desc="render", noun="band", show=show).iterate("abc")) == ["a", "b", "c"]
    assert _said(caplog) == []
    assert ("render: 100%" in capsys.readouterr().err) is show  # the bar where asked


# -- the commands ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def field(tmp_path_factory):
    """A 40-row labelled toy field (mosaics ``mos/``, ``held.ecsv``, ``cand.ecsv``) and an untrained 16 px model."""
    from astropy.table import Table

    from starclass.learn.config import get_preset

    root = tmp_path_factory.mktemp("progress_lines")
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0])
    write_toy_held_out(cfg, root, 40, seed=21)
    Table.read(root / "held.ecsv")["id", "x", "y"].write(root / "cand.ecsv")
    write_untrained_model(root / "model", cfg, seed=0)
    return root


def _both(args: list[str], out_option: str, tmp_path, suffix: str = ".ecsv"):
    """The command into a log (neither switch), then with --no-progress."""
    logged = runner.invoke(app, [*args, out_option, str(tmp_path / f"a{suffix}")])
    quiet = runner.invoke(app, [*args, out_option, str(tmp_path / f"b{suffix}"), "--no-progress"])
    return logged, quiet


def test_classify_into_a_log_says_its_candidates(field, tmp_path):
    logged, quiet = _both(["classify", str(field / "mos"), "-c", str(field / "cand.ecsv"), "--model",
                           str(field / "model"), "--device", "cpu"], "-o", tmp_path)
    _said_start_to_end(_steps(logged), "classify (legus4-compact, 1 member)", 40)
    _quiet(quiet)


def test_classify_stamps_into_a_log_says_its_cutouts(tmp_path):
    import numpy as np

    from starclass.learn.config import get_preset

    rng = np.random.default_rng(0)
    lines = ["file,label"]
    for i, lab in enumerate(["cluster", "galaxy"] * 3):
        (tmp_path / lab).mkdir(exist_ok=True)
        np.save(tmp_path / lab / f"obj{i}.npy", rng.normal(size=(16, 16)).astype(np.float32))
        lines.append(f"{lab}/obj{i}.npy,{lab}")
    (tmp_path / "cutouts.csv").write_text("\n".join(lines) + "\n")
    model = write_untrained_model(tmp_path / "model", get_preset("m31-real").copy(name="mine", stamp_size=16))
    logged, quiet = _both(["classify", "--stamps", str(tmp_path / "cutouts.csv"), "--model", str(model),
                           "--device", "cpu"], "-o", tmp_path, ".csv")
    _said_start_to_end(_steps(logged), "classify (mine, 1 member)", 6)
    _quiet(quiet)


def test_calibrate_into_a_log_says_its_held_out_rows(field, tmp_path):
    import shutil

    model = shutil.copytree(field / "model", tmp_path / "model")  # calibrate writes into the model
    args = ["calibrate", str(model), str(field / "mos"), "--catalog", str(field / "held.ecsv"), "--device", "cpu",
            "--overwrite"]
    logged = runner.invoke(app, args)
    _said_start_to_end(_steps(logged), "classify (legus4-compact, 1 member)", 40)
    _quiet(runner.invoke(app, [*args, "--no-progress"]))


def test_suggest_into_a_log_says_the_classification(field, tmp_path):
    logged, quiet = _both(["suggest", str(field / "model"), str(field / "cand.ecsv"), "--mosaics",
                           str(field / "mos"), "-n", "3", "--mag-bins", "1", "--device", "cpu"], "-o", tmp_path)
    _said_start_to_end(_steps(logged), "classify (legus4-compact, 1 member)", 40)
    _quiet(quiet)


def test_detect_into_a_log_says_its_strips_and_photometry(tmp_path):
    write_toy_mosaics(tmp_path)
    logged, quiet = _both(["detect", str(tmp_path)], "-o", tmp_path)
    steps = _steps(logged)
    _said_start_to_end(steps, "detect", 1)
    assert steps["photometry"][-1][2] == 100, steps
    _quiet(quiet)
    # --quiet: no bar and no notes, nor these lines
    _quiet(runner.invoke(app, ["detect", str(tmp_path), "-o", str(tmp_path / "c.ecsv"), "--quiet"]))


def test_cutouts_into_a_log_says_its_stamps_and_fits_files(field, tmp_path):
    args = ["cutouts", str(field / "mos"), "--catalog", str(field / "cand.ecsv"), "--task", "legus4-compact",
            "--size", "16", "--scales", "1"]
    logged = runner.invoke(app, [*args, "-o", str(tmp_path / "a.h5"), "--phangs-fits-dir", str(tmp_path / "fits"),
                                 "--phangs-size", "8"])
    steps = _steps(logged)
    _said_start_to_end(steps, "stamps", 40)
    _said_start_to_end(steps, "PHANGS FITS", 40)
    _quiet(runner.invoke(app, [*args, "-o", str(tmp_path / "b.h5"), "--no-progress"]))


def test_explain_into_a_log_says_its_stamps(tmp_path):
    import numpy as np

    from starclass.learn.config import get_preset

    write_untrained_model(tmp_path / "model", get_preset("cool-core-compact", stamp_size=24), seed=0)
    rng = np.random.default_rng(2)
    lines = ["file,label"]
    for i in range(4):
        np.save(tmp_path / f"c{i}.npy", rng.normal(size=(24, 24)).astype(np.float32))
        lines.append(f"c{i}.npy,{1 + i % 2}")
    (tmp_path / "labels.csv").write_text("\n".join(lines) + "\n")
    logged, quiet = _both(["explain", str(tmp_path / "model"), str(tmp_path / "labels.csv"), "--method", "gradcam"],
                          "-o", tmp_path, "")
    _said_start_to_end(_steps(logged), "explain (gradcam)", 4)
    _quiet(quiet)


@pytest.mark.parametrize("preset, n", [("cool-core", 4), ("pandas-cutouts", 5)])
def test_simulate_cutouts_into_a_log_says_its_cutouts(tmp_path, preset, n):
    """The cutout presets drew tqdm bars of their own: `simulate out --preset cool-core > log 2>&1` said nothing."""
    args = ["simulate", "--preset", preset, "--n", str(n), "--size", "32"] if preset == "cool-core" else \
        ["simulate", "--preset", preset, "--n", str(n)]
    logged = runner.invoke(app, [*args[:1], str(tmp_path / "a"), *args[1:]])
    _said_start_to_end(_steps(logged), "cutouts", n)
    _quiet(runner.invoke(app, [*args[:1], str(tmp_path / "b"), *args[1:], "--no-progress"]))
    _quiet(runner.invoke(app, [*args[:1], str(tmp_path / "c"), *args[1:], "--quiet"]))


def test_simulate_a_field_into_a_log_says_its_bands(tmp_path):
    """A field's render said nothing into a log file either (simulate took show_progress, not bars_or_lines)."""
    logged = runner.invoke(app, ["simulate", str(tmp_path / "f"), "--size", "64", "--n-candidates", "5"])
    steps = _steps(logged)
    assert steps.get("render") and steps["render"][-1][2] == 100, steps


def test_simulate_pictures_are_counted_into_a_log(tmp_path):
    """--png --gallery said nothing after the render's last line (80 s for a 2048 px field on shared cores)."""
    logged = runner.invoke(app, ["simulate", str(tmp_path / "f"), "--size", "64", "--n-candidates", "5", "--png",
                                 "--gallery"])
    _said_start_to_end(_steps(logged), "pictures", 2)
    assert (tmp_path / "f" / "composite.png").is_file() and (tmp_path / "f" / "gallery.png").is_file()
    one = runner.invoke(app, ["simulate", str(tmp_path / "g"), "--size", "64", "--n-candidates", "5", "--png"])
    _said_start_to_end(_steps(one), "pictures", 1)
    assert "pictures" not in _steps(runner.invoke(app, ["simulate", str(tmp_path / "h"), "--size", "64",
                                                       "--n-candidates", "5"]))


@pytest.mark.slow
def test_demo_into_a_log_says_each_step(tmp_path):
    """The demo's render, detect, photometry and classify steps, and its training's epoch line (as train's)."""
    res = runner.invoke(app, ["demo", "-o", str(tmp_path / "demo"), "--size", "256", "--n-candidates", "60",
                              "--epochs", "1"])
    steps = _steps(res)
    assert {"render", "detect", "photometry"} <= set(steps), steps
    assert [lines[-1][2] for lines in steps.values()] == [100] * len(steps), steps
    assert any(d.startswith("classify (") for d in steps), steps
    assert re.search(r"^\d\d:\d\d:\d\d .* member 1/1: epoch 1/1, loss ", res.stderr, re.M), res.stderr
    # with --no-progress it says none: test_demo.py::test_demo_end_to_end_small


# -- inspect's pre-render -------------------------------------------------------------------------
class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_prerender_draws_its_bar_only_on_a_terminal(tmp_path, monkeypatch, caplog):
    """prerender(progress=True) drew a tqdm bar wherever stderr went: a log file kept every redraw."""
    from starclass.datasets.labelling import make_demo_field
    from starclass.inspect.field import load_field, prerender

    field = load_field(make_demo_field(tmp_path / "demo", n=6, size=100))
    caplog.set_level(logging.INFO, logger=LOGGER)
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # a log file
    assert prerender(field, [0, 1, 2], progress=True) == 3
    assert "\r" not in sys.stderr.getvalue() and "rendering:" not in sys.stderr.getvalue(), sys.stderr.getvalue()
    assert _said(caplog)[-1].startswith("rendering: 3 of 3 candidates (100%)"), _said(caplog)
    caplog.clear()
    monkeypatch.setattr(sys, "stderr", _Terminal())
    assert prerender(field, [3, 4], progress=True) == 2
    assert "rendering: 100%" in sys.stderr.getvalue() and _said(caplog) == [], sys.stderr.getvalue()


def test_inspect_server_logs_its_background_prerender(tmp_path, caplog):
    """The server's pre-render ran with progress=False: its log said nothing of it, start to end."""
    import threading
    import warnings

    with warnings.catch_warnings():  # the installed starlette warns about httpx at import
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from starclass.datasets.labelling import make_demo_field
    from starclass.inspect import db
    from starclass.inspect.app import create_app
    from starclass.inspect.field import load_field

    field = load_field(make_demo_field(tmp_path / "demo", n=5, size=100), cache_dir=tmp_path / "cache")
    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    caplog.set_level(logging.INFO, logger="starclass.inspect")
    try:
        with TestClient(create_app(field, engine, prerender_all=True)):
            for t in threading.enumerate():
                if t.name == "inspect-prerender":
                    t.join(60)
    finally:
        engine.dispose()
    said = [r.getMessage() for r in caplog.records if r.name == "starclass.inspect"]
    assert said and said[0] == "rendering: 0 of 5 candidates (0%), 0 s", said
    assert said[-1].startswith("rendering: 5 of 5 candidates (100%), "), said
    assert all(field.cache.is_cached(r) for r in range(5))


def test_the_server_shows_its_info_lines_on_stderr(capsys):
    """Python shows a logger's warnings only when nothing configured it: serve adds a handler for the INFO lines."""
    from starclass.inspect.app import _info_lines_shown

    log = logging.getLogger("starclass.inspect.test-lines")
    with _info_lines_shown(log):
        log.info("rendering: %d of 5 candidates (0%%), 0 s", 0)
    log.info("not shown once serving ended")
    err = capsys.readouterr().err
    assert re.fullmatch(r"\d\d:\d\d:\d\d rendering: 0 of 5 candidates \(0%\), 0 s\n", err), repr(err)
    assert log.handlers == [] and log.level == logging.NOTSET


def test_close_returns_once_the_still_working_thread_has_ended(caplog):
    """close() set the stop event and returned: the thread ended a moment later, so a caller (a test, a
    notebook counting threads) could still see it alive; tests/test_progress_lines.py's leak checks failed so
    under load (test_a_failed_cutout_simulation_leaves_no_still_working_thread[cutout], 2026-12-05)."""
    from starclass.io.progress import Progress

    caplog.set_level(logging.INFO, logger=LOGGER)
    for _ in range(20):
        bar = Progress(3, desc="joined", noun="band", show=None)
        thread = bar._heartbeat
        assert thread is not None and thread.is_alive()
        bar.close()
        assert not thread.is_alive()
