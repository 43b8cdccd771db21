"""Batch clusters (SLURM, PBS) for ``starclass survey --jobqueue``, through dask-jobqueue.

A :class:`BatchSpec` holds what a user asks for on the command line (jobs, cores, memory and
walltime per job, queue). :func:`batch_cluster` checks it, and when the batch system's submit
command (``sbatch``, ``qsub``) is not on this machine it raises a :class:`StarclassError`
holding the job script it would have submitted, instead of starting a scheduler that waits for
workers that never come.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # dask-jobqueue (the [scale] extra) is imported where a cluster is made
    from dask_jobqueue.core import JobQueueCluster

from starclass.errors import StarclassError, counted

#: Batch systems offered, with their dask-jobqueue cluster class and submit command.
SYSTEMS = {"slurm": ("SLURMCluster", "sbatch"), "pbs": ("PBSCluster", "qsub")}
#: The variable each batch system sets to the job's id: a hand-submitted job's workers are named by it.
JOB_ID_VARS = {"slurm": "SLURM_JOB_ID", "pbs": "PBS_JOBID"}
#: The batch jobs' name (``squeue``, ``qstat``), in the script printed and in the jobs submitted alike.
JOB_NAME = "starclass-survey"
#: [D-]HH:MM[:SS], the walltime forms --walltime takes (days, hours, minutes, seconds).
_WALLTIME = re.compile(r"^(?:(\d+)-)?(\d{1,3}):([0-5]\d)(?::([0-5]\d))?$")


#: Job sizes where neither the command line nor dask-jobqueue's configuration gives one (--cores, --memory, --walltime).
SIZE_DEFAULTS: dict[str, Any] = {"cores": 1, "memory": "4GiB", "walltime": "01:00:00"}


def check_sizes(*, memory: str | None = None, walltime: str | None = None, cores: int | None = None,
                threads_per_worker: int | None = None) -> None:
    """Refuse a job size given on the command line that no batch job can take, naming the option.

    Only what is given is checked (``None``: left to dask-jobqueue's configuration), so
    ``starclass survey`` can say a bad ``--memory`` or ``--walltime`` with its other options,
    before the plan is read and before distributed or dask-jobqueue is imported.
    :meth:`BatchSpec.check` calls it again on the sizes the jobs will have.

    Parameters
    ----------
    memory
        Memory per job as ``--memory`` takes it (``4GiB``, ``3000MB``).
    walltime
        ``[D-]HH:MM[:SS]``.
    cores, threads_per_worker
        Cores per job and threads per worker: the first must be a multiple of the second.

    Raises
    ------
    StarclassError
        Naming the option and the value.

    Examples
    --------
    >>> check_sizes(memory="16GiB", walltime="02:00:00")
    >>> check_sizes(walltime="99:99")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: --walltime '99:99': give HH:MM:SS (or D-HH:MM:SS)
    """
    if cores is not None and threads_per_worker is not None and cores % threads_per_worker:
        raise StarclassError(f"--cores {cores} is not a multiple of --threads-per-worker "
                             f"{threads_per_worker} (each job runs cores / threads workers)")
    if memory is not None:
        # dask's parser, as dask-jobqueue reads the size: a size it would refuse is refused here too
        from dask.utils import parse_bytes

        try:
            ok = parse_bytes(memory) > 0
        except (ValueError, TypeError):
            ok = False
        if not ok:
            raise StarclassError(f"--memory {memory!r}: not a size; give e.g. 4GiB or 3000MB")
    if walltime is not None and not _WALLTIME.match(walltime):
        raise StarclassError(f"--walltime {walltime!r}: give HH:MM:SS (or D-HH:MM:SS)")


class BatchScriptError(StarclassError):
    """No batch system to submit to: the message says so, :attr:`script` is the job script.

    ``str(exc)`` holds both (the Python caller sees the script); the command line prints the
    script alone on standard output, so ``> job.sh`` keeps a file ``sbatch`` / ``qsub`` takes.

    Examples
    --------
    >>> exc = BatchScriptError("sbatch not found", "#!/usr/bin/env bash")
    >>> exc.message, exc.script, str(exc).splitlines()[-1]
    ('sbatch not found', '#!/usr/bin/env bash', '#!/usr/bin/env bash')
    """

    def __init__(self, message: str, script: str) -> None:
        super().__init__(f"{message}:\n{script}")
        self.message = message
        self.script = script


@dataclass(frozen=True)
class BatchSpec:
    """What to ask a batch system for: ``jobs`` jobs of ``cores`` cores, ``memory``, ``walltime``.

    Each job runs ``cores // threads_per_worker`` Dask workers of ``threads_per_worker``
    threads (single-threaded workers by default, as the survey's LocalCluster).

    Examples
    --------
    Two Slurm jobs of 8 cores each run 8 single-threaded workers each:

    >>> spec = BatchSpec("slurm", jobs=2, cores=8, memory="16GiB", walltime="02:00:00")
    >>> spec.check()
    >>> spec.cores // spec.threads_per_worker * spec.jobs
    16
    >>> BatchSpec("slurm", cores=6, threads_per_worker=4).check()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: --cores 6 is not a multiple of --threads-per-worker 4 ...
    """

    system: str
    jobs: int = 1
    cores: int = SIZE_DEFAULTS["cores"]
    memory: str = SIZE_DEFAULTS["memory"]
    walltime: str = SIZE_DEFAULTS["walltime"]
    queue: str | None = None
    threads_per_worker: int = 1

    def check(self) -> None:
        """Refuse bad values, naming the option.

        Examples
        --------
        >>> BatchSpec("slurm", memory="lots").check()
        Traceback (most recent call last):
        ...
        starclass.errors.StarclassError: --memory 'lots': not a size; give e.g. 4GiB or 3000MB
        """
        if self.system not in SYSTEMS:
            raise StarclassError(f"--jobqueue {self.system!r}: unknown; use one of {', '.join(SYSTEMS)}")
        if self.jobs < 1 or self.cores < 1:
            raise StarclassError(f"--jobs and --cores must be >= 1 (got {self.jobs}, {self.cores})")
        check_sizes(memory=self.memory, walltime=self.walltime, cores=self.cores,
                    threads_per_worker=self.threads_per_worker)

    def batch_walltime(self) -> str:
        """``walltime`` as the batch system reads it: hours, minutes and seconds always written.

        Both read two numbers as minutes and seconds (sbatch ``-t``: "minutes:seconds"; PBS
        ``walltime``: ``[[hours:]minutes:]seconds``), so ``--walltime 02:30`` asked SLURM for
        2.5 minutes; PBS takes no days, which become hours.

        Examples
        --------
        >>> BatchSpec("slurm", walltime="02:30").batch_walltime()
        '02:30:00'
        >>> BatchSpec("pbs", walltime="1-02:30").batch_walltime()
        '26:30:00'
        """
        m = _WALLTIME.match(self.walltime)
        if m is None:
            self.check()  # says which option, and what it takes
        days, hours, minutes, seconds = m.groups()
        hms = f"{minutes}:{seconds or '00'}"
        if days is None:
            return f"{int(hours):02d}:{hms}"
        if self.system == "slurm":
            return f"{int(days)}-{int(hours):02d}:{hms}"
        return f"{24 * int(days) + int(hours):02d}:{hms}"

    def options(self) -> dict[str, Any]:
        """Keyword arguments of the dask-jobqueue cluster (and of its job class).

        Only what the command line sets: the account, extra directives, worker Python and the rest
        come from dask-jobqueue's own configuration (``jobqueue.slurm.account`` and so on); the
        command line takes ``cores``, ``memory`` and ``walltime`` it does not give from there too
        (:func:`configured_sizes`).

        Examples
        --------
        >>> BatchSpec("slurm", cores=4, threads_per_worker=2, walltime="1:00", queue="short").options()["walltime"]
        '01:00:00'
        """
        opts: dict[str, Any] = dict(cores=self.cores, processes=self.cores // self.threads_per_worker,
                                    memory=self.memory, walltime=self.batch_walltime(), job_name=JOB_NAME)
        if self.queue:
            opts["queue"] = self.queue
        return opts


def configured_sizes(system: str) -> dict[str, tuple[Any, str | None]]:
    """The job sizes dask-jobqueue's configuration sets for ``system``, else starclass's defaults.

    The command line gave ``cores=1``, ``memory='4GiB'`` and ``walltime='01:00:00'`` to every
    cluster, so a site's ``~/.config/dask/jobqueue.yaml`` (``walltime: '24:00:00'``, ``cores: 32``)
    was overridden without a word: the jobs asked for an hour and were killed mid-survey. A value
    of the configuration counts where it differs from what dask-jobqueue ships (its ``walltime``
    of 30 minutes is not a choice of the user's: dask-jobqueue copies its file into the user's
    configuration folder on import).

    Parameters
    ----------
    system
        ``slurm`` or ``pbs``.

    Returns
    -------
    dict
        ``cores``, ``memory``, ``walltime``: each ``(value, where)``, ``where`` the configuration
        key (``jobqueue.slurm.walltime``) or None for starclass's default.

    Raises
    ------
    StarclassError
        A configured value the batch system cannot take, naming its key.

    Examples
    --------
    >>> import dask
    >>> with dask.config.set({"jobqueue.slurm.walltime": "24:00:00", "jobqueue.slurm.memory": None}):
    ...     sizes = configured_sizes("slurm")
    >>> sizes["walltime"], sizes["memory"]
    (('24:00:00', 'jobqueue.slurm.walltime'), ('4GiB', None))
    """
    if system not in SYSTEMS:
        return {k: (v, None) for k, v in SIZE_DEFAULTS.items()}
    try:
        import dask
        import_dask_jobqueue()  # loads dask-jobqueue's configuration
    except ImportError:
        return {k: (v, None) for k, v in SIZE_DEFAULTS.items()}
    shipped: dict[str, Any] = {}
    for defaults in dask.config.defaults:  # what dask-jobqueue ships, as it registered it
        shipped.update(defaults.get("jobqueue", {}).get(system, {}))
    out: dict[str, tuple[Any, str | None]] = {}
    for key, fallback in SIZE_DEFAULTS.items():
        where = f"jobqueue.{system}.{key}"
        value = dask.config.get(where, None)
        if value is None or value == shipped.get(key):
            out[key] = (fallback, None)
            continue
        try:
            if key == "cores":
                value = int(value)
            BatchSpec(system, **{key: str(value) if key != "cores" else value}).check()
        except (StarclassError, TypeError, ValueError) as exc:
            raise StarclassError(f"dask-jobqueue configuration {where}: {value!r} cannot size a batch job "
                                 f"({exc}); correct it there or give --{key}") from None
        out[key] = (value if key == "cores" else str(value), where)
    return out


def import_dask_jobqueue() -> ModuleType:
    """``import dask_jobqueue``, keeping this process's Ctrl-C handler.

    dask-jobqueue's ``runner`` module (imported with the package) sets SIGINT to ``sys.exit()``
    when imported: a Ctrl-C while ``survey --jobqueue`` waited for its first worker ended the
    survey with exit status 0 and no word (its jobs cancelled), not the command's "interrupted
    by Ctrl-C" and 130.

    Returns
    -------
    types.ModuleType
        The ``dask_jobqueue`` package.

    Raises
    ------
    ImportError
        dask-jobqueue is missing, or fails as it imports (the command line words it with
        :func:`starclass.cli._app.importing_extra`).

    Examples
    --------
    >>> import signal
    >>> before = signal.getsignal(signal.SIGINT)
    >>> import_dask_jobqueue().__name__
    'dask_jobqueue'
    >>> signal.getsignal(signal.SIGINT) is before
    True
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():  # no handler can be set there
        import dask_jobqueue

        return dask_jobqueue
    before = signal.getsignal(signal.SIGINT)
    try:
        import dask_jobqueue
    finally:
        if before is not None:  # None: a handler not set from Python, which cannot be put back
            signal.signal(signal.SIGINT, before)
    return dask_jobqueue


def job_script(spec: BatchSpec, scheduler: str = "tcp://SCHEDULER:8786") -> str:
    """The job script one job of ``spec`` would submit (the scheduler address a placeholder).

    Examples
    --------
    >>> s = job_script(BatchSpec("slurm", cores=2, memory="3GiB", walltime="00:30:00"))
    >>> "--cpus-per-task=2" in s and "-t 00:30:00" in s
    True
    """
    job_cls = getattr(import_dask_jobqueue(), SYSTEMS[spec.system][0]).job_cls
    # submitted by hand, every job runs this same script: a fixed worker name ('starclass-survey')
    # made the workers of a second job clash with the first's at the scheduler, which refuses a
    # name already taken; the job id (set by the batch system, expanded by bash) tells them apart
    name = f"starclass-survey-${{{JOB_ID_VARS[spec.system]}}}"
    return job_cls(scheduler=scheduler, name=name, **spec.options()).job_script()


def check_submit(spec: BatchSpec) -> None:
    """Raise :class:`BatchScriptError` (the job script in it) when the submit command is not on this machine.

    The command line calls it before the plan's mosaics are read, so that nothing else is printed on
    standard output with the script.

    Examples
    --------
    >>> import shutil
    >>> try:
    ...     check_submit(BatchSpec("slurm", cores=2))
    ... except BatchScriptError as exc:
    ...     print(exc.script.splitlines()[0])
    ... else:
    ...     print("#!/usr/bin/env bash" if shutil.which("sbatch") else "?")
    #!/usr/bin/env bash
    """
    try:
        import_dask_jobqueue()  # job_script needs it
    except ImportError:
        raise StarclassError("--jobqueue needs dask-jobqueue: pip install 'starclass[scale]'") from None
    submit = SYSTEMS[spec.system][1]
    if shutil.which(submit) is None:
        # say what would have gone to the queue: the user can check it, or submit it by hand
        raise BatchScriptError(
            f"--jobqueue {spec.system}: {submit} not found on this machine (no {spec.system.upper()} to submit to); "
            f"nothing was submitted. It would submit {counted(spec.jobs, 'job')} of the job script (each "
            f"{counted(spec.cores // spec.threads_per_worker, 'worker')} of "
            f"{counted(spec.threads_per_worker, 'thread')}). "
            f"To run it by hand where {submit} is: start 'dask scheduler' on a node the jobs can reach, put its "
            f"address in place of tcp://SCHEDULER:8786, '{submit} job.sh' {counted(spec.jobs, 'time')}, then run this "
            f"survey with --scheduler tcp://HOST:8786 instead of --jobqueue", job_script(spec).rstrip())


def batch_cluster(spec: BatchSpec) -> JobQueueCluster:
    """A started dask-jobqueue cluster scaled to ``spec.jobs`` jobs.

    Parameters
    ----------
    spec
        The jobs to ask for.

    Returns
    -------
    dask_jobqueue.JobQueueCluster
        The caller closes it.

    Raises
    ------
    StarclassError
        On a bad option, or when dask-jobqueue is missing.
    BatchScriptError
        When the submit command is not on this machine: its ``script`` is the job script that
        would have been submitted, and nothing was started.

    Examples
    --------
    >>> batch_cluster(BatchSpec("slurm", walltime="2h"))
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: --walltime '2h': give HH:MM:SS (or D-HH:MM:SS)
    """
    spec.check()
    try:
        dask_jobqueue = import_dask_jobqueue()
    except ImportError:
        raise StarclassError("--jobqueue needs dask-jobqueue: pip install 'starclass[scale]'") from None
    check_submit(spec)
    cls_name = SYSTEMS[spec.system][0]
    cluster = getattr(dask_jobqueue, cls_name)(name="starclass-survey", scheduler_options=scheduler_options(spec),
                                               **spec.options())
    try:
        _submit(cluster, spec)
    except BaseException:
        _close_quietly(cluster)
        raise
    return cluster


def scheduler_options(spec: BatchSpec) -> dict[str, Any]:
    """The batch cluster's scheduler options: dask-jobqueue's configured ones, its dashboard on a free port.

    dask-jobqueue starts the scheduler's dashboard on port 8787 unless told otherwise: where that
    port was taken (another cluster, a second survey, a notebook's LocalCluster) dask printed a
    three-line warning ("Port 8787 is already in use. Perhaps you already have a cluster
    running? Hosting the HTTP server on port ... instead"), which the survey's LocalCluster does
    not (it asks for ``:0``, any free port). The same ``:0`` is asked for here, unless the user's
    configuration (``jobqueue.<system>.scheduler-options``, ``~/.config/dask/jobqueue.yaml``) names a
    ``dashboard_address`` (or ``dashboard``), which is kept; the other configured options
    (``host``, ``interface``, ``port``, ...) are kept too, as passing any options replaces them
    in dask-jobqueue. The survey prints the dashboard's link.

    Parameters
    ----------
    spec
        The jobs asked for (its ``system`` names the configuration read).

    Returns
    -------
    dict
        The ``scheduler_options`` of the dask-jobqueue cluster.

    Examples
    --------
    >>> import dask
    >>> scheduler_options(BatchSpec("slurm"))["dashboard_address"]
    ':0'
    >>> with dask.config.set({"jobqueue.slurm.scheduler-options": {"dashboard_address": ":9000", "port": 8786}}):
    ...     scheduler_options(BatchSpec("slurm"))
    {'dashboard_address': ':9000', 'port': 8786}
    """
    import dask

    configured = dask.config.get(f"jobqueue.{spec.system}.scheduler-options", default=None) or {}
    options = dict(configured)
    if not {"dashboard_address", "dashboard"} & set(options):
        options["dashboard_address"] = ":0"  # a free port: 8787 taken gave dask's three-line warning
    return options


def _submit(cluster, spec: BatchSpec) -> None:
    """Submit ``spec.jobs`` jobs of ``cluster`` and wait for the submit command's answers (not for the jobs).

    ``cluster.scale(jobs=n)`` submits in the background: a job that ``sbatch`` / ``qsub`` refused
    (a partition, account or walltime the site does not take) printed dask's tracebacks, then
    the survey said it waited for the first worker, for ever, and a Ctrl-C ended on another
    traceback. The jobs are submitted here as the cluster submits them when it starts
    (``SpecCluster.__init__``), and a refusal is raised with the batch system's own words.
    """
    while len(cluster.worker_spec) < spec.jobs:  # what scale(jobs=...) adds: one entry per job
        cluster.worker_spec.update(cluster.new_worker_spec())
    submit = SYSTEMS[spec.system][1]
    try:
        cluster.sync(cluster._correct_state)
        refused = None
    except Exception as exc:  # dask-jobqueue's RuntimeError holds the command's exit code and output
        refused = str(exc)
    unsubmitted = [name for name, job in cluster.workers.items() if getattr(job, "job_id", None) is None]
    if refused is None and not unsubmitted:
        return
    for name in unsubmitted:  # never started: closing them would fail (their status is 'created')
        cluster.workers.pop(name, None)
        cluster.worker_spec.pop(name, None)
    said = (refused or "").split("stderr:", 1)[-1].strip() or (refused or "").strip()
    said = " ".join(said.split()) or "no message"
    code = re.search(r"Exit code: (-?\d+)", refused or "")
    raise StarclassError(
        f"--jobqueue {spec.system}: {submit} refused {len(unsubmitted) or spec.jobs} of {counted(spec.jobs, 'job')}"
        f"{f' (exit code {code.group(1)})' if code else ''}: {said}; nothing is left queued. Check --queue, --cores, "
        f"--memory, --walltime and dask-jobqueue's configuration (account, job-extra-directives: "
        f"~/.config/dask/jobqueue.yaml).")


def _close_quietly(cluster) -> None:
    """Close ``cluster`` (cancelling its submitted jobs) after a failed start, whatever its jobs' states."""
    try:
        cluster.close()
    except Exception:  # the error that stopped the start is the one to say
        pass
