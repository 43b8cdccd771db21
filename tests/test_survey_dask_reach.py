"""survey on Dask: schedulers that do not answer as schedulers, workers that never come, Ctrl-C.

No network: refused ports on 127.0.0.1, sockets in threads that take a connection and never speak
(or speak HTTP), and LocalClusters of thread workers (or of none). Each test takes seconds.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from starclass.errors import StarclassError
from starclass.survey import read_plan, run_survey
from starclass.survey import run as survey_run

SHAPE = (120, 128)  # (ny, nx): four 64 px tiles


@pytest.fixture(scope="module")
def plan_path(tmp_path_factory) -> Path:
    """A one-field plan of four 64 px tiles, an untrained model: the plumbing only."""
    import numpy as np
    from astropy.table import Table

    from starclass.bands import BANDS
    from starclass.io.mosaic import write_mosaic
    from starclass.learn.checkpoint import write_untrained_model
    from starclass.learn.config import get_preset
    from starclass.simulate import preset
    from starclass.simulate.field import make_wcs

    d = tmp_path_factory.mktemp("reach")
    write_untrained_model(d / "model", get_preset("m31-binary-compact"))
    rng = np.random.default_rng(3)
    yy, xx = np.mgrid[0:SHAPE[0], 0:SHAPE[1]]
    xy = [(30.0, 30.0), (100.0, 40.0), (40.0, 100.0), (110.0, 110.0)]
    (d / "f").mkdir()
    for b in ("g", "i"):
        img = rng.normal(0.0, 0.05, SHAPE).astype("f4")
        for x, y in xy:
            img += (50.0 * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * 1.5 ** 2))).astype("f4")
        write_mosaic(d / "f" / f"f_{b}.fits", img, b, make_wcs(preset("m31", shape=SHAPE)),
                     photflam=BANDS[b].photflam, photplam=BANDS[b].photplam)
    Table({"id": [1, 2, 3, 4], "x": [p[0] for p in xy], "y": [p[1] for p in xy]}).write(d / "f" / "pos.ecsv")
    (d / "plan.yaml").write_text("model: model\ntile_size: 64\noverlap: 56\nphotometry: ci\nretries: 0\nfields:\n"
                                 "  - {name: f, mosaics: f, positions: f/pos.ecsv}\n")
    return d / "plan.yaml"


def _closed_port() -> int:
    """A port on 127.0.0.1 that a listening socket held a moment ago, closed now: the connection is refused."""
    with socket.create_server(("127.0.0.1", 0)) as s:
        return s.getsockname()[1]


@contextlib.contextmanager
def _server(reply: bytes | None):
    """A port that takes every connection; it sends ``reply`` once spoken to (None: never speaks)."""
    srv = socket.create_server(("127.0.0.1", 0))
    conns: list[socket.socket] = []

    def serve():
        while True:
            try:
                c, _ = srv.accept()
            except OSError:  # closed: the test is over
                return
            conns.append(c)
            if reply is not None:
                with contextlib.suppress(OSError):
                    if c.recv(4096):
                        c.sendall(reply)

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield srv.getsockname()[1]
    finally:
        srv.close()
        for c in conns:
            c.close()


def _client_within(address: str, seconds: float):
    """survey's ``_client(address)``, given ``seconds`` to return or raise (the old code waited for ever)."""
    out: dict = {}

    def call():
        try:
            out["client"] = survey_run._client(address, None, None, None, False)
        except BaseException as exc:  # handed to the test
            out["error"] = exc

    t0 = time.monotonic()
    th = threading.Thread(target=call, daemon=True)
    th.start()
    th.join(seconds)
    took = time.monotonic() - t0
    assert not th.is_alive(), f"--scheduler {address} still connecting after {seconds} s"
    if "client" in out:
        out["client"].close()
        raise AssertionError(f"--scheduler {address}: a client was made")
    return out["error"], took


def _cli(plan_path: Path, out: Path, *extra: str):
    from typer.testing import CliRunner

    from starclass.cli import app

    t0 = time.monotonic()
    r = CliRunner().invoke(app, ["survey", str(plan_path), "-o", str(out), "--no-progress", *extra])
    return r, time.monotonic() - t0


# -- scheduler addresses ---------------------------------------------------------------------------
def test_a_tls_address_without_tls_configured_is_refused_naming_the_configuration(plan_path, tmp_path):
    """'--scheduler tls://HOST:PORT' (or a scheduler file naming one) with no TLS certificates in dask's
    configuration ended on distributed's TypeError traceback ('TLS expects a `ssl_context` argument'), exit 1."""
    import dask

    sched = tmp_path / "sched.json"
    address = f"tls://127.0.0.1:{_closed_port()}"
    sched.write_text(f'{{"address": "{address}"}}')
    no_tls = {f"distributed.comm.tls.{k}": None for k in ("ca-file", "client.cert", "client.key")}
    for given in (address, str(sched)):
        out = tmp_path / "out"
        with dask.config.set(no_tls):  # none here, whatever this machine's dask configuration holds
            r, took = _cli(plan_path, out, "--scheduler", given)
        assert r.exit_code == 2, (r.output, r.exception)
        assert f"--scheduler {given}" in r.output and "cannot connect: a tls:// scheduler needs this machine's TLS " \
            "certificates in dask's configuration" in r.output, r.output
        assert "distributed.comm.tls.client.cert" in r.output and "Traceback" not in r.output
        assert "survey:" not in r.output  # before the plan is read
        assert not out.exists()


def test_a_refused_wss_address_fails_at_once(plan_path, tmp_path):
    """'--scheduler wss://...' where nothing listens waited distributed's whole 20 s connect timeout."""
    address = f"wss://127.0.0.1:{_closed_port()}"
    r, took = _cli(plan_path, tmp_path / "out", "--scheduler", address)
    assert r.exit_code == 2, (r.output, r.exception)
    assert f"--scheduler {address}: cannot connect: connection refused at 127.0.0.1:" in r.output, r.output
    assert took < 10, f"{took:.1f} s"
    assert not (tmp_path / "out").exists()


def test_a_refused_tls_address_fails_at_once_where_tls_is_configured(monkeypatch):
    """With TLS configured, a tls:// address where nothing listens waited the 20 s connect timeout."""
    from distributed.security import Security

    context = ssl.create_default_context()
    monkeypatch.setattr(Security, "get_connection_args", lambda self, role: {"ssl_context": context,
                                                                             "require_encryption": False})
    address = f"tls://127.0.0.1:{_closed_port()}"
    err, took = _client_within(address, 30)
    assert isinstance(err, StarclassError), repr(err)
    assert f"--scheduler {address}: cannot connect: connection refused at 127.0.0.1:" in str(err), err
    assert took < 10, f"{took:.1f} s: the refusal waited for the connect timeout"


def test_a_port_that_takes_the_connection_but_never_speaks_fails_within_seconds(monkeypatch):
    """A port that accepts and never answers (another service, a half-dead scheduler, a port forward) made
    'survey --scheduler' wait for ever: distributed reads the peer's handshake without a timeout (by hand:
    still waiting after 60 s). It is told within ANSWER_WITHIN_S now."""
    monkeypatch.setattr(survey_run, "ANSWER_WITHIN_S", 1.0)
    with _server(None) as port:
        address = f"tcp://127.0.0.1:{port}"
        err, took = _client_within(address, 25)
    assert isinstance(err, StarclassError), repr(err)
    assert str(err).startswith(f"--scheduler {address}: cannot connect: 127.0.0.1:{port} took the connection but "
                               "did not answer Dask's handshake within 1 s"), err
    assert "port 8786 by default" in str(err)
    assert took < 10, f"{took:.1f} s"


def test_a_web_server_s_port_is_said_to_be_no_scheduler_not_a_memory_error():
    """A port whose server replies in HTTP (the dashboard's 8787 given for the scheduler's 8786) ended the survey
    on numpy's 'Unable to allocate 3.07 EiB' MemoryError traceback: the reply was read as a Dask frame length."""
    with _server(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n") as port:
        address = f"tcp://127.0.0.1:{port}"
        err, took = _client_within(address, 25)
    assert isinstance(err, StarclassError), repr(err)
    assert f"--scheduler {address}: cannot connect: 127.0.0.1:{port} answered, but not in Dask's protocol" in str(err)
    assert "the dashboard, port 8787 by default, is a web server" in str(err), err


def test_a_host_name_that_does_not_resolve_fails_at_once(monkeypatch):
    """An unknown host name was left to distributed, which tried it for 20 s ('Timed out trying to connect')."""
    import distributed

    def unknown(*args, **kwargs):  # as the resolver says of a misspelt name
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    asked = []
    monkeypatch.setattr(socket, "create_connection", unknown)
    monkeypatch.setattr(distributed, "Client", lambda *a, **k: asked.append(a) or pytest.fail("Client was asked"))
    with pytest.raises(StarclassError) as err:
        survey_run._client("tcp://haed:8786", None, None, None, False)
    assert str(err.value) == ("--scheduler tcp://haed:8786: cannot connect: the host name 'haed' is not known here "
                              "(Name or service not known); check its spelling, or give the address 'dask scheduler' "
                              "prints (its IP address)")
    assert asked == []


def test_a_worker_s_address_names_its_scheduler():
    """A worker's address (from a worker's log) is no scheduler: the message gives the scheduler's."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp", dashboard_address=None,
                      silence_logs=50) as c:
        worker = next(iter(c.scheduler.workers))
        assert survey_run.scheduler_problem(c.scheduler_address) is None
        problem = survey_run.scheduler_problem(worker)
    assert problem == f"{worker} is a Dask Worker, not the scheduler; its scheduler is {c.scheduler_address}: give that"


@pytest.mark.parametrize(("address", "why"), [
    ("http://head:8787/status", "http:// is a web page's address (the dashboard's, port 8787 by default)"),
    ("inproc://10.0.0.1/999999/1", "inproc:// reaches a scheduler inside this same Python process only"),
])
def test_cli_addresses_no_command_can_reach_are_refused_before_the_plan(plan_path, tmp_path, address, why):
    """An inproc:// address ended the survey after the plan with distributed's ValueError traceback ('does not
    match host or pid'); the dashboard's http:// link was 'unknown scheme' without a word of what it is."""
    out = tmp_path / "out"
    r, _ = _cli(plan_path, out, "--scheduler", address)
    assert r.exit_code == 2, (r.output, r.exception)
    assert f"--scheduler {address!r}: not a scheduler address ({why}" in r.output, r.output
    assert "survey:" not in r.output and not out.exists()


# -- workers that never come -----------------------------------------------------------------------
def test_a_scheduler_no_worker_joins_is_waited_on_for_worker_wait_seconds(plan_path, tmp_path):
    """'survey --scheduler ADDRESS' on a scheduler no worker joined waited for ever. --worker-wait bounds it:
    exit 2, what it waited for, how long and what to check, nothing written."""
    from distributed import LocalCluster

    out = tmp_path / "out"
    with LocalCluster(n_workers=0, processes=False, protocol="tcp", dashboard_address=None, silence_logs=50) as empty:
        r, took = _cli(plan_path, out, "--scheduler", empty.scheduler_address, "--worker-wait", "1")
    assert r.exit_code == 2, (r.output, r.exception)
    assert (f"error: no worker joined the scheduler {empty.scheduler_address} in 1 s (--worker-wait 1): start 'dask "
            f"worker {empty.scheduler_address}'") in r.output, r.output
    assert "or wait longer (--worker-wait SECONDS, 0: for ever). No tile was run" in r.output, r.output
    assert not out.exists()
    assert took < 30, f"{took:.1f} s"


@pytest.mark.parametrize("given", ["cluster", "client"])
def test_a_cluster_object_without_workers_is_told_to_scale_not_to_start_dask_worker(plan_path, tmp_path, given):
    """run_survey(plan, out, cluster=c) on a cluster no worker was asked of (LocalCluster(n_workers=0), a
    SLURMCluster never scaled) said "start 'dask worker inproc://...'": what a running scheduler needs, not a
    cluster object, which is scaled from Python (and whose inproc:// address no 'dask worker' can reach)."""
    from distributed import Client, LocalCluster

    out = tmp_path / "out"
    lines: list[str] = []
    with LocalCluster(n_workers=0, processes=False, dashboard_address=None, silence_logs=50) as empty:
        with Client(empty) as client, pytest.raises(StarclassError) as err:
            where = {"cluster": empty} if given == "cluster" else {"client": client}
            run_survey(read_plan(plan_path), out, worker_wait=1, progress=False, echo=lines.append, **where)
        address = empty.scheduler_address
    message = str(err.value)
    assert message.startswith(f"no worker joined the LocalCluster given (scheduler {address}) in 1 s (worker_wait=1): "
                              "it has no worker to start: scale it, cluster.scale(n) for n workers or "
                              "cluster.adapt(minimum=1, maximum=n), before or while the survey waits; or wait longer "
                              "(worker_wait=SECONDS, 0: for ever). No tile was run"), message
    assert "dask worker" not in message
    waiting = [line for line in lines if line.startswith("dask: the ")]
    assert waiting and waiting[0].startswith("dask: the LocalCluster given has no worker yet; waiting for the first "
                                             "to join (it has no worker to start: scale it, cluster.scale(n)"), lines
    assert not any("dask worker" in line for line in lines), lines
    assert not out.exists()


def test_queued_batch_jobs_are_waited_on_with_progress_lines_then_cancelled(plan_path, tmp_path, monkeypatch):
    """'survey --jobqueue slurm' whose jobs stayed in the queue waited for ever after its first line. Now a line
    says every WAIT_LINE_EVERY_S that it still waits, and after worker_wait seconds the survey stops naming the
    queue, the jobs' output and the dashboard; the cluster (and with it the jobs) is closed, nothing written."""
    from distributed import LocalCluster

    from starclass.survey.batch import BatchSpec

    made = []

    def queued_for_ever(spec):  # stands in for a SLURMCluster whose jobs sit in the queue
        made.append(LocalCluster(n_workers=0, processes=False, dashboard_address=None, silence_logs=50))
        return made[-1]

    monkeypatch.setattr(survey_run, "batch_cluster", queued_for_ever)
    monkeypatch.setattr(survey_run, "WAIT_LINE_EVERY_S", 0.5)
    out = tmp_path / "out"
    lines: list[str] = []
    with pytest.raises(StarclassError) as err:
        run_survey(read_plan(plan_path), out, batch=BatchSpec("slurm", jobs=2), worker_wait=1.6, progress=False,
                   echo=lines.append)
    message = str(err.value)
    assert message.startswith(f"none of the 2 SLURM jobs started a worker that joined the scheduler "
                              f"{made[0].scheduler_address} in 1.6 s (worker_wait=1.6); the jobs are cancelled. "
                              "Check the queue ('squeue -u $USER': still pending, and why), the jobs' output "
                              "(slurm-JOBID.out"), message
    still = [line for line in lines if line.startswith("dask: still no worker after ")]
    assert len(still) >= 2 and all(line.endswith("s (waiting up to 1.6 s; Ctrl-C stops)") for line in still), lines
    assert made[0].status.name == "closed"
    assert not out.exists()


def test_a_local_cluster_whose_workers_do_not_start_says_how_many_did():
    """The LocalCluster's own workers are waited on too, and the message counts them."""
    class Slow:
        scheduler = type("S", (), {"address": "inproc://x/1/1"})()

        def wait_for_workers(self, n, timeout):
            time.sleep(timeout)
            raise TimeoutError("not yet")

        def scheduler_info(self):
            return {"workers": {"a": {}}}

    lines: list[str] = []
    with pytest.raises(StarclassError) as err:
        survey_run.wait_for_workers(Slow(), 4, source="local", within=0.3, every=0.1, echo=lines.append)
    assert str(err.value).startswith("only 1 of the LocalCluster's 4 workers started in 0.3 s (worker_wait=0.3)")
    assert lines and lines[0].startswith("dask: still 1 of 4 workers after 0 s"), lines


def test_a_local_cluster_worker_that_cannot_start_is_an_error_naming_it_not_a_traceback(plan_path, tmp_path,
                                                                                        monkeypatch):
    """A worker of the survey's own LocalCluster that could not start (a module of distributed.worker.preload
    missing, no disk left) ended the survey on distributed's 'RuntimeError: Worker failed to start.' (or 'Nanny
    failed to start.') traceback, the cause above it. Now a StarclassError names the part and the cause."""
    import distributed

    async def no_space(self):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(distributed.Worker, "start_unsafe", no_space)
    out = tmp_path / "out"
    with pytest.raises(StarclassError) as err:
        run_survey(read_plan(plan_path), out, n_workers=2, threads_per_worker=1, processes=False, progress=False,
                   echo=lambda line: None)
    assert str(err.value).startswith("could not start the survey's LocalCluster (2 workers of 1 thread): a worker "
                                     "failed to start (OSError: [Errno 28] No space left on device); check dask's "
                                     "configuration"), err.value
    assert str(err.value).endswith("No tile was run and nothing was written")
    assert err.value.__cause__ is None and err.value.__suppress_context__
    assert not out.exists()


def test_cli_a_local_cluster_that_cannot_start_exits_2_naming_the_cause(plan_path, tmp_path):
    """'survey' where dask's temporary-directory cannot be made (DASK_TEMPORARY_DIRECTORY=/proc/nope) ended on
    'RuntimeError: Cluster failed to start: [Errno 2] No such file or directory' and its traceback, exit 1."""
    import dask

    out = tmp_path / "out"
    nowhere = tmp_path / "not-a-folder"
    nowhere.write_text("")  # a file: no folder can be made under it
    with dask.config.set({"temporary-directory": str(nowhere / "dask")}):
        r, _ = _cli(plan_path, out, "--workers", "1")
    assert r.exit_code == 2, (r.output, r.exception)
    assert "error: could not start the survey's LocalCluster (1 worker of 1 thread): its scheduler failed to " \
           f"start (NotADirectoryError: [Errno 20] Not a directory: '{nowhere / 'dask'}')" in r.output, r.output
    assert "Traceback" not in r.output and "--workers" in r.output and "nothing was written" in r.output
    assert not out.exists()


@pytest.mark.parametrize("seconds", [-1, float("nan")])
def test_worker_wait_must_be_seconds(seconds, tmp_path):
    from starclass.survey.plan import SurveyPlan

    with pytest.raises(StarclassError, match=r"worker_wait=(-1|nan): give seconds, 0 or more"):
        run_survey(SurveyPlan(fields=()), tmp_path / "out", worker_wait=seconds)
    assert not (tmp_path / "out").exists()


# -- Ctrl-C ----------------------------------------------------------------------------------------
def test_ctrl_c_while_waiting_for_the_first_worker_leaves_no_folder_and_closes_the_cluster(plan_path, tmp_path,
                                                                                          monkeypatch):
    """A Ctrl-C while 'survey --jobqueue' waited for its first worker closed the cluster but left OUT/ with
    its lock file (.survey.lock), a folder the survey had written nothing else into."""
    from distributed import LocalCluster

    from starclass.survey.batch import BatchSpec

    made = []

    def queued(spec):
        made.append(LocalCluster(n_workers=0, processes=False, dashboard_address=None, silence_logs=50))
        return made[-1]

    def echo(line):
        lines.append(line)
        if "waiting for the first worker" in line:
            raise KeyboardInterrupt  # as Ctrl-C while it waits

    lines: list[str] = []
    monkeypatch.setattr(survey_run, "batch_cluster", queued)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt) as stop:
        run_survey(read_plan(plan_path), out, batch=BatchSpec("slurm"), progress=False, echo=echo)
    assert made[0].status.name == "closed"
    assert not out.exists(), sorted(p.name for p in out.iterdir())
    said = (f"0 of 4 tiles finished; nothing is left (no output folder {out}): the same command starts the survey")
    # said once: by the command's 'interrupted' line, in Python by the traceback's note; no line of its own
    assert stop.value.left_behind == said and stop.value.__notes__ == [f"survey: {said}"]
    assert "waiting for the first worker" in lines[-1], lines


def test_cli_ctrl_c_before_any_tile_does_not_end_on_finished_tiles_are_kept(plan_path, tmp_path, monkeypatch):
    """A Ctrl-C while 'survey --jobqueue' waited for its first worker said 'none to keep', removed the folder,
    then ended on the command's general line 'finished tiles are kept in the output folder: the same command
    resumes the survey'. The last line says what is left now: nothing, no folder."""
    from distributed import LocalCluster

    from starclass.survey import batch as survey_batch

    made = []

    def queued(spec):
        made.append(LocalCluster(n_workers=0, processes=False, dashboard_address=None, silence_logs=50))
        return made[-1]

    def ctrl_c(*args, **kwargs):  # as Ctrl-C while it waits for the first worker
        raise KeyboardInterrupt

    monkeypatch.setattr(survey_batch, "check_submit", lambda spec: None)  # as where sbatch is on the PATH
    monkeypatch.setattr(survey_run, "batch_cluster", queued)
    monkeypatch.setattr(survey_run, "wait_for_workers", ctrl_c)
    out = tmp_path / "out"
    r, _ = _cli(plan_path, out, "--jobqueue", "slurm")
    assert r.exit_code == 130, (r.output, r.exception)
    lines = r.output.strip().splitlines()
    assert lines[-1] == (f"error: interrupted by Ctrl-C (SIGINT); 0 of 4 tiles finished; nothing is left (no "
                         f"output folder {out}): the same command starts the survey"), lines
    # one message: the survey's own 'survey: stopped with 0 of 4 tiles finished, none to keep; ...' said it
    # before in other words (until 2026-12-06)
    assert [s for s in lines if "finished" in s] == lines[-1:], lines
    assert "kept in the output folder" not in r.output
    assert not out.exists() and made[0].status.name == "closed"


def test_cli_ctrl_c_while_the_plan_is_read_says_nothing_was_written(plan_path, tmp_path, monkeypatch):
    """A Ctrl-C while the plan was checked (every mosaic read: minutes for a large survey), before any output
    folder, said 'finished tiles are kept in the output folder: the same command resumes the survey'."""
    from starclass.survey import plan as survey_plan

    def ctrl_c(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(survey_plan, "read_plan", ctrl_c)
    out = tmp_path / "out"
    r, _ = _cli(plan_path, out)
    assert r.exit_code == 130, (r.output, r.exception)
    assert r.output.strip().splitlines()[-1] == (
        "error: interrupted by Ctrl-C (SIGINT); stopped before the survey started, nothing was written (the output "
        "folder is as it was: the tiles an earlier run finished, if any, are kept)"), r.output
    assert not out.exists()


def test_ctrl_c_mid_survey_says_how_many_tiles_are_kept_and_writes_nothing_partial(plan_path, tmp_path,
                                                                                  monkeypatch):
    """Ctrl-C during the tiles printed only the command's general line ('finished tiles are kept in the output
    folder'), the same for none kept. The survey says how many it keeps and where; the cluster it made is
    closed, no merged catalogue or summary is written, no temporary is left; the same call resumes."""
    import distributed

    real = distributed.as_completed
    made = []
    real_client = survey_run._client

    def recording_client(*args):
        client, own = real_client(*args)
        made.append(own)
        return client, own

    def stopped_after_two(futures):  # Ctrl-C once two tiles are in
        for i, fut in enumerate(real(futures)):
            if i == 2:
                raise KeyboardInterrupt
            yield fut

    monkeypatch.setattr(distributed, "as_completed", stopped_after_two)
    monkeypatch.setattr(survey_run, "_client", recording_client)
    out = tmp_path / "out"
    lines: list[str] = []
    with pytest.raises(KeyboardInterrupt) as stop:
        run_survey(read_plan(plan_path), out, n_workers=1, processes=False, progress=False, echo=lines.append)
    kept = sorted(p.name for p in (out / "tiles" / "f").iterdir())
    # the command's 'error: interrupted by Ctrl-C (SIGINT); ...' line
    said = (f"{len(kept)} of 4 tiles finished, kept in {out / 'tiles'}: the same command resumes the survey; the "
            "merged catalogue and summary.json are written once every tile is") if len(kept) < 4 else (
            f"4 of 4 tiles finished (all), kept in {out / 'tiles'}; stopped before the merged catalogue and "
            "summary.json were written: the same command writes them from these tiles, running none again")
    assert stop.value.left_behind == said and stop.value.__notes__ == [f"survey: {said}"]
    assert all(name.endswith(".parquet") and not name.startswith(".") for name in kept), kept
    assert 2 <= len(kept) <= 4
    assert not [s for s in lines if "stopped with" in s], lines
    assert made and made[0].status.name == "closed"
    assert not (out / "catalogue").exists() and not (out / "summary.json").exists()
    monkeypatch.setattr(distributed, "as_completed", real)
    again = run_survey(read_plan(plan_path), out, n_workers=1, processes=False, progress=False, echo=lines.append)
    assert again.ok and again.summary["n_tiles_skipped"] == len(kept)


def test_ctrl_c_in_the_merge_says_every_tile_is_finished_and_the_merge_is_left(plan_path, tmp_path, monkeypatch):
    """A Ctrl-C once every tile was in (in the merge, or while the cluster closed) said '4 of 4 tiles finished, ...:
    the same command resumes the survey; the merged catalogue and summary.json are written once every tile is', as
    if tiles were left (seen by hand with timeout -s INT 27). It says that only the merge is left."""
    def ctrl_c(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(survey_run, "merge_tiles", ctrl_c)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt) as stop:
        run_survey(read_plan(plan_path), out, n_workers=1, processes=False, progress=False, echo=lambda _: None)
    assert stop.value.left_behind == (
        f"4 of 4 tiles finished (all), kept in {out / 'tiles'}; stopped before the merged catalogue and summary.json "
        "were written: the same command writes them from these tiles, running none again")
    assert not (out / "catalogue").exists() and not (out / "summary.json").exists()
    monkeypatch.undo()
    again = run_survey(read_plan(plan_path), out, n_workers=1, processes=False, progress=False, echo=lambda _: None)
    assert again.ok and again.summary["n_tiles_run"] == 0 and (out / "summary.json").is_file()



def test_info_on_the_folder_a_ctrl_c_left_says_its_finished_tiles_and_how_to_resume(plan_path, tmp_path,
                                                                                   monkeypatch):
    """``info`` of the folder a survey stopped by Ctrl-C leaves (its tiles and lock file, no summary.json) said
    "no catalogue could be read in out (looked for .tab, ...)", exit 2, of a folder the survey had just called
    resumable (found by s64audit). It says now what the folder is: the tiles finished per field, that nothing
    is merged yet, and that the same command resumes; ``info out/tiles`` too."""
    import json as _json

    import distributed
    from typer.testing import CliRunner

    from starclass.cli import app

    real = distributed.as_completed

    def stopped_after_two(futures):  # Ctrl-C once two tiles are in
        for i, fut in enumerate(real(futures)):
            if i == 2:
                raise KeyboardInterrupt
            yield fut

    monkeypatch.setattr(distributed, "as_completed", stopped_after_two)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        run_survey(read_plan(plan_path), out, n_workers=1, processes=False, progress=False, echo=lambda _: None)
    kept = sorted((out / "tiles" / "f").glob("r*_c*.parquet"))
    assert 2 <= len(kept) <= 4 and not (out / "summary.json").exists()
    runner = CliRunner()
    for given in (out, out / "tiles"):
        res = runner.invoke(app, ["info", str(given)])
        assert res.exit_code == 0, res.output
        assert "no catalogue could be read" not in res.output
        assert (f"survey folder {out} (starclass survey), not finished: {len(kept)} tiles finished in 1 field "
                f"(f {len(kept)}), kept in {out / 'tiles'}") in res.output, res.output
        assert "the same starclass survey command resumes from these tiles" in res.output
    assert "lock file names a survey" not in res.output  # a stopped survey clears its record
    # a survey writing the folder now names itself in the lock file: said, as the survey's refusal says it
    (out / ".survey.lock").write_text(_json.dumps({"pid": 4242, "host": "node-17", "started": "2026-12-06 00:00:00"}))
    res = runner.invoke(app, ["info", str(out)])
    assert res.exit_code == 0, res.output
    assert "its lock file names a survey (pid 4242 on node-17, started 2026-12-06 00:00:00)" in res.output
    # once resumed to the end, the folder is the finished survey's
    monkeypatch.setattr(distributed, "as_completed", real)
    (out / ".survey.lock").write_text("")
    assert run_survey(read_plan(plan_path), out, n_workers=1, processes=False, progress=False,
                      echo=lambda _: None).ok
    res = runner.invoke(app, ["info", str(out)])
    assert res.exit_code == 0 and "not finished" not in res.output and "survey complete" in res.output, res.output

# -- the time a scheduler has to answer ------------------------------------------------------------
@contextlib.contextmanager
def _slow_forward(target: str, delay: float):
    """A port that forwards every connection to ``target`` (tcp://HOST:PORT) after ``delay`` seconds: a
    scheduler across a slow network (an SSH tunnel, a loaded login node) that answers, but late."""
    host, port = target.split("://")[1].rsplit(":", 1)
    srv = socket.create_server(("127.0.0.1", 0))
    socks: list[socket.socket] = []

    def pipe(a: socket.socket, b: socket.socket):
        with contextlib.suppress(OSError):
            while data := a.recv(65536):
                b.sendall(data)
        with contextlib.suppress(OSError):
            b.shutdown(socket.SHUT_WR)

    def serve():
        while True:
            try:
                c, _ = srv.accept()
            except OSError:  # closed: the test is over
                return
            time.sleep(delay)
            try:
                up = socket.create_connection((host, int(port)))
            except OSError:
                c.close()
                continue
            socks.extend((c, up))
            threading.Thread(target=pipe, args=(c, up), daemon=True).start()
            threading.Thread(target=pipe, args=(up, c), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"tcp://127.0.0.1:{srv.getsockname()[1]}"
    finally:
        srv.close()
        for s in socks:
            s.close()


def test_connect_timeout_gives_a_slow_scheduler_longer(monkeypatch):
    """A scheduler that answers later than the probe's limit (a slow network) could not be reached: the 5 s
    (ANSWER_WITHIN_S) had no option. reach_scheduler(..., connect_timeout) raises it, and only for that call."""
    from distributed import LocalCluster

    monkeypatch.setattr(survey_run, "ANSWER_WITHIN_S", 0.5)  # the default, shortened: the test takes seconds
    with LocalCluster(n_workers=0, processes=False, protocol="tcp", dashboard_address=None, silence_logs=50) as c, \
            _slow_forward(c.scheduler_address, 1.5) as slow:
        with pytest.raises(StarclassError, match=r"within 0.5 s: .*longer than 0.5 s \(the default\): give it "
                                                 r"--connect-timeout SECONDS"):
            survey_run.reach_scheduler(slow)
        assert survey_run.reach_scheduler(slow, connect_timeout=10) == slow


def test_a_port_that_never_answers_is_told_within_connect_timeout_naming_it(plan_path, tmp_path):
    """'survey --connect-timeout' was 'No such option' (exit 2): the limit could not be raised or lowered. Now
    the message names the limit, where it comes from and how to raise it; nothing is written."""
    out = tmp_path / "out"
    with _server(None) as port:
        r, took = _cli(plan_path, out, "--scheduler", f"tcp://127.0.0.1:{port}", "--connect-timeout", "1.5")
    assert r.exit_code == 2, (r.output, r.exception)
    assert (f"--scheduler tcp://127.0.0.1:{port}: cannot connect: 127.0.0.1:{port} took the connection but did not "
            "answer Dask's handshake within 1.5 s") in r.output, r.output
    assert ("a scheduler across a slow network may need longer than 1.5 s (--connect-timeout 1.5): give it "
            "--connect-timeout SECONDS (connect_timeout in Python), or set dask's "
            "distributed.comm.timeouts.connect") in " ".join(r.output.split()), r.output
    assert "survey:" not in r.output and not out.exists()
    assert took < 10, f"{took:.1f} s"


def test_dask_s_connect_timeout_is_honoured_where_the_user_set_it():
    """dask's own distributed.comm.timeouts.connect (a user's distributed.yaml, DASK_DISTRIBUTED__COMM__TIMEOUTS__
    CONNECT) was ignored: the probe gave every scheduler 5 s. Set, it is the limit, named in the message; an
    explicit --connect-timeout wins over it; distributed's shipped default (30s) leaves survey's own 5 s."""
    import dask

    key = "distributed.comm.timeouts.connect"
    with dask.config.set({key: "1500ms"}):
        assert survey_run.answer_within() == (1.5, f"dask's {key}: 1500ms")
        assert survey_run.answer_within(3, "--connect-timeout") == (3.0, "--connect-timeout 3")
        with _server(None) as port:
            err, took = _client_within(f"tcp://127.0.0.1:{port}", 20)
    assert isinstance(err, StarclassError), repr(err)
    assert "did not answer Dask's handshake within 1.5 s" in str(err), err
    assert f"longer than 1.5 s (dask's {key}: 1500ms)" in str(err), err
    assert took < 10, f"{took:.1f} s"
    with dask.config.set({key: "30s"}):  # distributed's shipped default: not set by the user
        assert survey_run.answer_within() == (survey_run.ANSWER_WITHIN_S, "the default")


@pytest.mark.parametrize(("given", "why"), [
    ("0", "got 0"), ("-1", "got -1"), ("nan", "got nan"),
    ("601", "got 601 (a scheduler answers within seconds even across a slow network"),
])
def test_connect_timeout_out_of_bounds_is_refused_naming_it(plan_path, tmp_path, given, why):
    out = tmp_path / "out"
    r, _ = _cli(plan_path, out, "--scheduler", f"tcp://127.0.0.1:{_closed_port()}", "--connect-timeout", given)
    assert r.exit_code == 2, (r.output, r.exception)
    text = " ".join(r.output.split())
    assert f"--connect-timeout must be a positive number of seconds, at most 600, {why}" in text, r.output
    assert "Traceback" not in r.output and not out.exists()


def test_connect_timeout_without_a_scheduler_is_refused(plan_path, tmp_path):
    """An option that would be ignored is refused: a LocalCluster is started by the survey itself."""
    out = tmp_path / "out"
    r, _ = _cli(plan_path, out, "--connect-timeout", "30")
    assert r.exit_code == 2, (r.output, r.exception)
    assert "--connect-timeout bounds the answer of a running scheduler: give it with --scheduler" in r.output
    assert not out.exists()


def test_a_dask_connect_timeout_that_is_no_time_or_out_of_bounds_is_named():
    import dask

    key = "distributed.comm.timeouts.connect"
    for value, said in (("abc", f"dask's {key} ('abc') is not a time; give seconds (30)"),
                        ("2h", f"dask's {key} ('2h') must be a positive number of seconds, at most 600, got 7200")):
        with dask.config.set({key: value}), pytest.raises(StarclassError) as err:
            survey_run.reach_scheduler(f"tcp://127.0.0.1:{_closed_port()}")
        assert str(err.value).startswith(said), err.value
