"""survey --jobqueue: the options reach dask-jobqueue's SLURM (and PBS) job scripts as the user meant them.

No batch system here: the job scripts are rendered by dask-jobqueue's job classes (no scheduler),
and one test starts a real ``SLURMCluster`` (its scheduler on this machine, as a LocalCluster's)
that submits to a stand-in ``sbatch`` on the PATH, which keeps each script it is given.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")
pytest.importorskip("dask_jobqueue")

from starclass.survey.batch import BatchSpec, batch_cluster, job_script


def _directives(script: str) -> list[str]:
    return [line for line in script.splitlines() if line.startswith("#SBATCH") or line.startswith("#PBS")]


@pytest.mark.parametrize("system, given, line", [
    # sbatch -t and PBS walltime read two numbers as minutes:seconds: '02:30' asked for 2.5 minutes
    ("slurm", "02:30", "#SBATCH -t 02:30:00"),
    ("slurm", "1-02:30", "#SBATCH -t 1-02:30:00"),
    ("slurm", "00:30:00", "#SBATCH -t 00:30:00"),
    ("pbs", "02:30", "#PBS -l walltime=02:30:00"),
    # PBS takes no days: 'walltime=1-02:30' was written as given
    ("pbs", "1-02:30:15", "#PBS -l walltime=26:30:15"),
])
def test_the_walltime_reaches_the_job_script_in_hours_minutes_seconds(system, given, line):
    assert line in _directives(job_script(BatchSpec(system, walltime=given)))


def test_every_option_reaches_the_slurm_job_script(monkeypatch):
    """--jobs/--cores/--threads-per-worker/--memory/--walltime/--queue as #SBATCH lines and worker
    arguments; the account, extra directives and worker Python from dask-jobqueue's configuration."""
    import dask

    spec = BatchSpec("slurm", jobs=3, cores=4, memory="6GiB", walltime="04:00:00", queue="long",
                     threads_per_worker=2)
    with dask.config.set({"jobqueue.slurm.account": "astro42", "jobqueue.slurm.python": "/opt/sc/bin/python",
                          "jobqueue.slurm.job-extra-directives": ["--gres=gpu:1", "--constraint=haswell"]}):
        script = job_script(spec)
    assert _directives(script) == [
        "#SBATCH -J starclass-survey", "#SBATCH -p long", "#SBATCH -A astro42", "#SBATCH -n 1",
        "#SBATCH --cpus-per-task=4", "#SBATCH --mem=6G", "#SBATCH -t 04:00:00", "#SBATCH --gres=gpu:1",
        "#SBATCH --constraint=haswell"]
    worker = script.strip().splitlines()[-1]
    # cores / threads per worker workers, the job's memory shared between them
    assert worker.startswith("/opt/sc/bin/python -m distributed.cli.dask_worker tcp://SCHEDULER:8786 ")
    for arg in ("--nworkers 2", "--nthreads 2", "--memory-limit 3.00GiB", "--name starclass-survey-${SLURM_JOB_ID}"):
        assert arg in worker, (arg, worker)


@pytest.fixture()
def stand_in_sbatch(tmp_path, monkeypatch) -> Path:
    """``sbatch`` and ``scancel`` on the PATH that keep what they are given and submit nothing."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "sbatch").write_text(
        '#!/bin/sh\nf=$(mktemp "$(dirname "$0")/submitted.XXXXXX")\ncat "$1" > "$f"\n'
        'echo "Submitted batch job $(ls "$(dirname "$0")" | grep -c submitted)0$$"\n')
    (bin_dir / "scancel").write_text('#!/bin/sh\necho "$@" >> "$(dirname "$0")/cancelled"\n')
    for f in bin_dir.iterdir():
        f.chmod(f.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return bin_dir


def test_the_cluster_submits_the_job_script_the_options_ask_for(stand_in_sbatch):
    """batch_cluster's SLURMCluster submits --jobs scripts with the options' lines, and cancels them on close.

    The jobs were named 'dask-worker' in the queue, where the script printed without a batch system
    said 'starclass-survey'."""
    spec = BatchSpec("slurm", jobs=2, cores=2, memory="3GiB", walltime="01:30", queue="short")
    cluster = batch_cluster(spec)
    try:
        want = _directives(cluster.job_script())
        assert want == ["#SBATCH -J starclass-survey", "#SBATCH -p short", "#SBATCH -n 1",
                        "#SBATCH --cpus-per-task=2", "#SBATCH --mem=3G", "#SBATCH -t 01:30:00"]
        deadline = time.monotonic() + 30
        while len(list(stand_in_sbatch.glob("submitted.*"))) < spec.jobs and time.monotonic() < deadline:
            time.sleep(0.1)
        submitted = sorted(stand_in_sbatch.glob("submitted.*"))
        assert len(submitted) == spec.jobs
        for f in submitted:
            text = f.read_text()
            assert _directives(text) == want
            assert f"dask_worker {cluster.scheduler_address} " in text
            assert "--nworkers 2" in text and "--nthreads 1" in text and "--memory-limit 1.50GiB" in text
    finally:
        cluster.close()
    # both jobs cancelled when the survey closes its cluster (Ctrl-C, or the end of the run)
    cancelled = (stand_in_sbatch / "cancelled").read_text().split()
    assert len(cancelled) == spec.jobs, cancelled


def test_a_job_the_batch_system_refuses_is_an_error_naming_it_not_a_wait_for_ever(stand_in_sbatch):
    """An sbatch that refused the jobs (a partition, account or limit the site does not take) printed dask's
    tracebacks, then the survey said 'waiting for the first worker' for ever, and Ctrl-C ended on
    'AssertionError: Status.created' (by hand, --queue nosuch with a stand-in sbatch that refuses it). The
    refusal is an error now, in sbatch's words, and the job that was queued is cancelled."""
    from starclass.errors import StarclassError

    # the first job is queued, the next refused (mkdir is atomic: the jobs are submitted at once)
    (stand_in_sbatch / "sbatch").write_text(
        '#!/bin/sh\nd=$(dirname "$0")\nif ! mkdir "$d/first" 2>/dev/null; then\n'
        '  echo "sbatch: error: QOSMaxSubmitJobPerUserLimit" >&2; exit 1\nfi\n'
        'cat "$1" > "$d/submitted.1"\necho "Submitted batch job 4242"\n')
    t0 = time.monotonic()
    with pytest.raises(StarclassError) as err:
        batch_cluster(BatchSpec("slurm", jobs=2, cores=1, walltime="00:10:00"))
    assert time.monotonic() - t0 < 60
    assert str(err.value).startswith("--jobqueue slurm: sbatch refused 1 of 2 jobs (exit code 1): sbatch: error: "
                                     "QOSMaxSubmitJobPerUserLimit; nothing is left queued"), str(err.value)
    assert (stand_in_sbatch / "cancelled").read_text().split() == ["4242"]  # the queued one: cancelled


def test_cli_job_sizes_it_is_not_given_come_from_dask_jobqueue_s_configuration(tmp_path, monkeypatch):
    """--cores, --memory and --walltime left out gave 1 core, 4GiB and an hour, over a site's jobqueue.yaml
    ('walltime: 24:00:00', 'cores: 8', 'memory: 16GiB'): the jobs asked for an hour and were killed mid-survey.
    The configuration's sizes are used now; an option given still wins, and a bad configured value is named."""
    import dask
    from typer.testing import CliRunner

    from starclass.cli import app

    monkeypatch.setenv("PATH", str(tmp_path))  # no sbatch: the job script is printed, exit 2, nothing submitted
    from starclass.learn.checkpoint import write_manifest
    from starclass.learn.config import get_preset

    # a plan that reads (checked before the job script: 'fields: []' is refused first): the files are never opened
    (tmp_path / "field").mkdir()
    (tmp_path / "field" / "f555w.fits").write_bytes(b"not read")
    write_manifest(tmp_path / "model", get_preset("galaxy-cluster-compact", stamp_size=16),
                   [{"file": "member_01.pt", "architecture": "compact", "seed": 0}])
    (tmp_path / "model" / "member_01.pt").write_bytes(b"not read")
    (tmp_path / "plan.yaml").write_text("model: model\nfields:\n  - name: f1\n    mosaics: field\n")
    base = ["survey", str(tmp_path / "plan.yaml"), "-o", str(tmp_path / "out"), "--jobqueue", "slurm"]
    site = {"jobqueue.slurm.cores": 8, "jobqueue.slurm.memory": "16GiB", "jobqueue.slurm.walltime": "24:00:00"}
    with dask.config.set(site):
        r = CliRunner().invoke(app, base)
        assert r.exit_code == 2, r.output
        for line in ("#SBATCH --cpus-per-task=8", "#SBATCH --mem=16G", "#SBATCH -t 24:00:00", "--nworkers 8"):
            assert line in r.output, (line, r.output)
        assert "each 8 workers of 1 thread" in r.output
        r = CliRunner().invoke(app, [*base, "--cores", "2", "--walltime", "00:20:00"])  # the options win
        assert "#SBATCH --cpus-per-task=2" in r.output and "#SBATCH -t 00:20:00" in r.output, r.output
        assert "#SBATCH --mem=16G" in r.output
    # dask-jobqueue's own shipped walltime (30 minutes, copied into every user's configuration folder) is no choice
    with dask.config.set({"jobqueue.slurm.cores": None, "jobqueue.slurm.walltime": "00:30:00"}):
        r = CliRunner().invoke(app, base)
    assert "#SBATCH -t 01:00:00" in r.output and "#SBATCH --cpus-per-task=1" in r.output, r.output
    with dask.config.set({"jobqueue.slurm.walltime": "2h"}):
        r = CliRunner().invoke(app, base)
    assert r.exit_code == 2 and "dask-jobqueue configuration jobqueue.slurm.walltime: '2h' cannot size" in r.output
    assert "Traceback" not in r.output and not (tmp_path / "out").exists()


@pytest.fixture()
def port_8787_taken():
    """Port 8787 (dask's dashboard default) held by someone else, as by another cluster's dashboard."""
    import socket

    holder = socket.socket()
    try:
        holder.bind(("", 8787))
        holder.listen()
    except OSError:  # already taken by another process on this machine: taken all the same
        pass
    yield
    holder.close()


def test_the_batch_cluster_s_dashboard_takes_a_free_port_without_dask_s_warning(stand_in_sbatch, port_8787_taken):
    """With port 8787 taken, '--jobqueue slurm' printed dask's three lines ('Port 8787 is already in use. /
    Perhaps you already have a cluster running? / Hosting the HTTP server on port ... instead'), where the
    survey's LocalCluster asks for a free port (':0'). The batch cluster's scheduler asks for one too now."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cluster = batch_cluster(BatchSpec("slurm", jobs=1, cores=1, walltime="00:10:00"))
    try:
        said = [str(w.message) for w in caught if "already in use" in str(w.message)]
        assert said == [], said
        assert cluster.dashboard_link and ":8787/" not in cluster.dashboard_link, cluster.dashboard_link
    finally:
        cluster.close()


def test_a_dashboard_address_in_dask_jobqueue_s_configuration_is_kept(stand_in_sbatch):
    """A site's jobqueue.yaml 'scheduler-options: {dashboard_address: ...}' (a port its firewall opens) wins
    over the free port, and its other scheduler options still reach the scheduler."""
    import socket

    import dask

    with socket.socket() as s:  # a port free a moment ago
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with dask.config.set({"jobqueue.slurm.scheduler-options": {"dashboard_address": f":{port}",
                                                                "host": "127.0.0.1"}}):
        cluster = batch_cluster(BatchSpec("slurm", jobs=1, cores=1, walltime="00:10:00"))
    try:
        assert cluster.dashboard_link.endswith(f":{port}/status"), cluster.dashboard_link
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:"), cluster.scheduler_address
    finally:
        cluster.close()


def test_ctrl_c_is_still_the_survey_s_after_dask_jobqueue_is_imported():
    """dask-jobqueue's runner module sets SIGINT to sys.exit() when imported: a Ctrl-C while
    'survey --jobqueue slurm' waited for its first worker ended with exit status 0 and no word (by hand,
    kill -INT of the survey: rc=0, its job cancelled). Importing it through starclass keeps the handler,
    so the command says 'interrupted by Ctrl-C' and exits 130. In a fresh process: this one has imported it."""
    import subprocess
    import sys

    code = ("import signal\nfrom starclass.survey.batch import BatchSpec, job_script\n"
            "job_script(BatchSpec('slurm'))\n"
            "print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)\n")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "True", (r.stdout, r.stderr)


@pytest.mark.parametrize(("sizes", "said"), [
    (["--memory", "4XB"], "--memory '4XB': not a size"),
    (["--walltime", "99:99"], "--walltime '99:99': give HH:MM:SS"),
    (["--cores", "6", "--threads-per-worker", "4"], "--cores 6 is not a multiple of --threads-per-worker 4"),
])
def test_cli_a_bad_job_size_is_said_with_the_options_before_the_plan_is_read(tmp_path, sizes, said):
    """A bad --memory or --walltime was refused only after the plan had been read and checked and distributed
    imported: with a plan that is not there the user was told of the plan first, and fixing it got the size refused
    after a second wait. Now it is said with the other options; the plan named here does not exist."""
    from typer.testing import CliRunner

    from starclass.cli import app

    pytest.importorskip("dask")
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["survey", str(tmp_path / "no_plan.yaml"), "-o", str(out), "--no-progress",
                                 "--jobqueue", "slurm", *sizes])
    assert r.exit_code == 2, r.output
    assert said in r.output, r.output
    assert "no_plan.yaml" not in r.output and "Traceback" not in r.output
    assert not out.exists()
