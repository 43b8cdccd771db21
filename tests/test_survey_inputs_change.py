"""starclass survey when the files a tile reads change under it while the survey runs.

Until 2026-12-07 a tile read its window's pixels through the memory map of its mosaic long after the file was
opened: a file cut short in between (a copy or rsync rewriting it in place) killed the process with SIGBUS, no
file named, and the work in hand lost. A weight map (a file beside its image) replaced during the run was read
without a word. Tiny 200 x 190 px
fields (tests/test_survey.py's), photometry none, so that no field PSF task runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits

pytest.importorskip("distributed")

from test_survey import _make_field, _make_model  # tests/ is on sys.path under pytest


@pytest.fixture(scope="module")
def fields(tmp_path_factory) -> Path:
    """A model, field 'a' (g, i) and field 'w' (g, i with weight maps f_g_wht.fits, f_i_wht.fits beside them)."""
    d = tmp_path_factory.mktemp("inputs")
    _make_model(d / "model")
    xy = [(40.0, 40.0), (100.0, 60.0), (150.0, 150.0), (60.0, 140.0)]
    _make_field(d / "a", xy, seed=1)
    _make_field(d / "w", xy, seed=2)
    for b in ("g", "i"):
        fits.PrimaryHDU(np.ones((190, 200), np.float32)).writeto(d / "w" / f"f_{b}_wht.fits")
    return d


def _plan(d: Path, out_dir: Path, fields: str = "aw") -> Path:
    plan = out_dir / "plan.yaml"
    lines = [f"model: {d / 'model'}", "tile_size: 64", "overlap: 56", "photometry: none", "retries: 0", "fields:"]
    lines += [f"  - {{name: {f}, mosaics: {d / f}}}" for f in fields]
    plan.write_text("\n".join(lines) + "\n")
    return plan


def test_a_mosaic_cut_short_between_its_opening_and_a_tile_s_read_fails_the_tile_naming_it_not_sigbus(
        fields, tmp_path):
    """The worker opens (memory-maps) the field's mosaics, then the file is cut to its header, then the tile reads
    its window: the old code read the pixels through the map, and the process died of SIGBUS (exit -7, nothing
    said). Run in a subprocess so that a crash is an exit status here, not the end of the test session."""
    import shutil

    shutil.copytree(fields / "a", tmp_path / "a")
    shutil.copytree(fields / "model", tmp_path / "model")
    plan = _plan(tmp_path, tmp_path, "a")
    bad = tmp_path / "a" / "f_i.fits"
    script = textwrap.dedent(f"""
        import sys
        from starclass.errors import StarclassError
        from starclass.survey import read_plan, work
        from starclass.survey.run import prepare

        job = prepare(read_plan({str(plan)!r}), {str(tmp_path / 'out')!r}).jobs[0]
        opened = work._mosaics

        def open_then_cut(*args, **kwargs):
            mosaics = opened(*args, **kwargs)  # memory-mapped, as every worker holds them
            with open({str(bad)!r}, "r+b") as fh:
                fh.truncate(2880)  # its header only: every page of its pixels now lies past the end
            return mosaics

        work._mosaics = open_then_cut
        try:
            work.run_tile(job)
        except StarclassError as exc:
            print(f"error: {{exc}}", file=sys.stderr)
            sys.exit(2)
        print("the tile ran")
        """)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).parents[1] / "src"),
                                                       os.environ.get("PYTHONPATH", "")]), OMP_NUM_THREADS="1")
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 2, (r.returncode, r.stdout[-2000:], r.stderr[-3000:])  # -7: SIGBUS
    assert f"error: {bad} is truncated: it holds 2880 bytes" in r.stderr, r.stderr[-3000:]
    assert "Traceback" not in r.stderr


def test_a_weight_map_replaced_while_the_survey_runs_stops_its_field_exit_2_naming_it(
        fields, tmp_path, monkeypatch):
    """A weight map (a file of its own beside its image) replaced after the plan check was read by the tiles still
    to run without a word, and the field's catalogue mixed tiles of the two weight maps; exit 0. The file is
    stamp-checked as the band images are: the field stops, exit 2, naming the field and the file, the other
    field's tiles kept; once the file is final, the same command finishes the survey."""
    import shutil

    from distributed import Client, LocalCluster
    from typer.testing import CliRunner

    import starclass.survey.run as run_mod
    from starclass.cli import app

    shutil.copytree(fields / "w", tmp_path / "w")
    plan = _plan(fields, tmp_path, "a")
    plan.write_text(plan.read_text() + f"  - {{name: w, mosaics: {tmp_path / 'w'}}}\n")
    wht = tmp_path / "w" / "f_i_wht.fits"
    checked = run_mod.prepare

    def prepare_then_replace(*args, **kwargs):
        prepared = checked(*args, **kwargs)
        new = np.ones((190, 200), np.float32)
        new[:, :100] = 0.0  # the left half without data now
        fits.PrimaryHDU(new).writeto(tmp_path / "new_wht.fits")
        os.replace(tmp_path / "new_wht.fits", wht)  # as a copy tool replaces a file
        return prepared

    monkeypatch.setattr(run_mod, "prepare", prepare_then_replace)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None,
                      silence_logs=40) as cluster:
        monkeypatch.setattr(run_mod, "_client", lambda *a, **k: (Client(cluster), None))
        out = tmp_path / "out"
        r = CliRunner().invoke(app, ["survey", str(plan), "-o", str(out), "--no-progress"])
        assert r.exit_code == 2, (r.output, r.exception)
        text = " ".join(r.output.split())
        assert f"field 'w': {os.path.realpath(wht)} changed after the survey checked its plan" in text, r.output
        assert "field 'w': an input named above cannot be read now" in text and "Traceback" not in r.output
        summary = json.loads((out / "summary.json").read_text())
        assert summary["failed_on_input"] == ["w"] and len(summary["failed_tiles"]) == 12, summary
        assert len(list((out / "tiles" / "a").glob("*.parquet"))) == 12  # the other field's tiles are kept
        # the file final, the same command finishes: field a's tiles reused, field w's run on the new weight map
        monkeypatch.setattr(run_mod, "prepare", checked)
        r = CliRunner().invoke(app, ["survey", str(plan), "-o", str(out), "--no-progress"])
        assert r.exit_code == 0, r.output
        summary = json.loads((out / "summary.json").read_text())
        assert summary["complete"] and summary["n_tiles_skipped"] == 12 and summary["n_tiles_run"] == 12, summary



def test_a_weight_map_replaced_between_two_runs_redoes_its_field_s_tiles_saying_so(fields, tmp_path, monkeypatch):
    """A weight map (a file of its own) is not in the tile digests (tiles made before kept theirs): replaced
    between two runs, a rerun reused every tile read with the old one, without a word. Each tile's file now
    records the weight maps' stamps: the rerun redoes field w's tiles, says so in one line naming the file, and
    keeps field a's (no weight map) and, run once more untouched, every tile."""
    import shutil

    from distributed import Client, LocalCluster
    from typer.testing import CliRunner

    import starclass.survey.run as run_mod
    from starclass.cli import app

    shutil.copytree(fields / "w", tmp_path / "w")
    plan = _plan(fields, tmp_path, "a")
    plan.write_text(plan.read_text() + f"  - {{name: w, mosaics: {tmp_path / 'w'}}}\n")
    wht = tmp_path / "w" / "f_i_wht.fits"
    out = tmp_path / "out"

    def summary() -> dict:
        return json.loads((out / "summary.json").read_text())

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None,
                      silence_logs=40) as cluster:
        monkeypatch.setattr(run_mod, "_client", lambda *a, **k: (Client(cluster), None))
        r = CliRunner().invoke(app, ["survey", str(plan), "-o", str(out), "--no-progress"])
        assert r.exit_code == 0 and summary()["n_tiles_run"] == 24, r.output
        new = np.ones((190, 200), np.float32)
        new[:, :100] = 0.0
        fits.PrimaryHDU(new).writeto(tmp_path / "new_wht.fits")
        os.replace(tmp_path / "new_wht.fits", wht)
        # without --overwrite the complete folder is refused: it said only "the plan's inputs, model or settings
        # have changed since", the file left for the --overwrite rerun's note to name
        r = CliRunner().invoke(app, ["survey", str(plan), "-o", str(out), "--no-progress"])
        text = " ".join(r.output.split())
        assert r.exit_code == 2, r.output
        assert "for 12 of its 24 tiles the plan's inputs, model or settings have changed" in text, r.output
        assert f"(field 'w': {os.path.realpath(wht)} changed since 12 of its tiles were made)" in text, r.output
        r = CliRunner().invoke(app, ["survey", str(plan), "-o", str(out), "--no-progress", "--overwrite"])
        assert r.exit_code == 0, r.output
        s = summary()
        assert s["n_tiles_run"] == 12 and s["n_tiles_skipped"] == 12, (s, r.output)  # w's run again, a's kept
        text = " ".join(r.output.split())
        assert (f"note: field 'w': {os.path.realpath(wht)} changed since 12 of its tiles were made: they are run "
                "again on the file as it is now") in text, r.output
        assert text.count("changed since") == 1, r.output
        r = CliRunner().invoke(app, ["survey", str(plan), "-o", str(out), "--no-progress", "--overwrite"])
        assert r.exit_code == 0 and "changed since" not in r.output, r.output
        assert summary()["n_tiles_run"] == 0 and summary()["n_tiles_skipped"] == 24, r.output


def test_thread_workers_leave_dask_s_compute_failed_traceback_out_of_a_failure_the_survey_says_itself(
        fields, tmp_path):
    """A weight map replaced after the plan check fails field w's tiles on their input (StarclassError), which
    the survey says in its own words. With thread workers (a LocalCluster of processes=False handed to
    run_survey, as in a notebook) dask also logged ``distributed.worker - ERROR - Compute Failed`` and the task's
    traceback on stderr for each such tile. A tile that crashes otherwise (the injected RuntimeError) still
    shows dask's record and traceback there. In a subprocess: dask's log handler writes to the real stderr."""
    import shutil

    shutil.copytree(fields / "w", tmp_path / "w")
    plan = _plan(fields, tmp_path, "a")
    plan.write_text(plan.read_text() + f"  - {{name: w, mosaics: {tmp_path / 'w'}}}\n")
    script = textwrap.dedent(f"""
        import os, sys
        import numpy as np
        from astropy.io import fits
        from distributed import LocalCluster
        import starclass.survey.run as run_mod
        from starclass.survey import read_plan, run_survey

        checked = run_mod.prepare

        def prepare_then_replace(*args, **kwargs):
            prepared = checked(*args, **kwargs)
            fits.PrimaryHDU(np.zeros((190, 200), np.float32)).writeto({str(tmp_path / 'new.fits')!r})
            os.replace({str(tmp_path / 'new.fits')!r}, {str(tmp_path / 'w' / 'f_i_wht.fits')!r})
            return prepared

        with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cl:
            run_mod.prepare = prepare_then_replace
            r = run_survey(read_plan({str(plan)!r}), {str(tmp_path / 'out1')!r}, cluster=cl, progress=False)
            print("FAILED", len(r.failed), sorted(r.summary["failed_on_input"]), flush=True)
            print("MARK", file=sys.stderr, flush=True)
            run_mod.prepare = checked
            r = run_survey(read_plan({str(plan)!r}), {str(tmp_path / 'out2')!r}, cluster=cl, progress=False,
                           fail_tiles=["a/r000_c000"])
            print("FAILED", len(r.failed), r.failed, flush=True)
        """)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).parents[1] / "src"),
                                                       os.environ.get("PYTHONPATH", "")]), OMP_NUM_THREADS="1")
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, (r.stdout[-2000:], r.stderr[-3000:])
    assert "FAILED 12 ['w']" in r.stdout and "FAILED 1 ['a/r000_c000']" in r.stdout, r.stdout
    on_input, crash = r.stderr.split("MARK")
    assert "Compute Failed" not in on_input and "Traceback" not in on_input, on_input[-3000:]
    assert "Compute Failed" in crash and "injected fault in tile a/r000_c000" in crash, crash[-3000:]
    assert "Traceback" in crash


@pytest.mark.parametrize("photometry, module, check", [("none", "starclass.io.counts", "photon_counts"),
                                                       ("skip", "starclass.io.mosaic", "padding_side")])
def test_a_mosaic_cut_short_during_the_plan_check_is_refused_naming_field_and_file_not_sigbus(
        fields, tmp_path, photometry, module, check):
    """The plan check reads each field's whole mosaic after opening it (counts or not, the padding's side and
    share; with photometry skip the padding alone): a file cut short as those checks start (after the blank-band
    check, which read with plain reads already) was read through astropy's memory map, and the process died of
    SIGBUS (exit -7, nothing said). In a subprocess, so that a crash is an exit status here."""
    import shutil

    shutil.copytree(fields / "a", tmp_path / "a")
    shutil.copytree(fields / "model", tmp_path / "model")
    plan = _plan(tmp_path, tmp_path, "a")
    if photometry == "skip":  # skip needs positions
        (tmp_path / "pos.csv").write_text("id,x,y\n1,40,40\n2,100,60\n")
        plan.write_text(plan.read_text().replace("photometry: none", "photometry: skip").replace(
            "mosaics: ", f"positions: {tmp_path / 'pos.csv'}, mosaics: "))
    bad = tmp_path / "a" / "f_i.fits"
    script = textwrap.dedent(f"""
        import sys
        import {module} as where
        from starclass.errors import StarclassError
        from starclass.survey import read_plan
        from starclass.survey.run import prepare

        checked = where.{check}

        def cut_then_check(*args, **kwargs):
            with open({str(bad)!r}, "r+b") as fh:
                fh.truncate(2880)  # its header only: every page of its pixels now lies past the end
            return checked(*args, **kwargs)

        where.{check} = cut_then_check
        try:
            prepare(read_plan({str(plan)!r}), {str(tmp_path / 'out')!r})
        except StarclassError as exc:
            print(f"error: {{exc}}", file=sys.stderr)
            sys.exit(2)
        print("the plan check passed")
        """)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).parents[1] / "src"),
                                                       os.environ.get("PYTHONPATH", "")]), OMP_NUM_THREADS="1")
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 2, (r.returncode, r.stdout[-2000:], r.stderr[-3000:])  # -7: SIGBUS
    text = " ".join(r.stderr.split())
    assert "field 'a': " in text and f"{bad} is truncated: it holds 2880 bytes" in text, r.stderr[-3000:]
    assert "Traceback" not in r.stderr
