"""``starclass survey``: detect -> classify (-> evaluate) over many fields and tiles on Dask."""

from __future__ import annotations

from pathlib import Path

import typer

from starclass.cli._app import (
    DQ_GOOD_BITS_OPTION,
    MASK_FILE_OPTION,
    command,
    echo,
    importing_extra,
    mask_extension_option,
    pixel_flags,
    plan_default,
    progress_lines,
    progress_option,
    require_extra,
    show_progress,
    warn_flags_differ,
)

#: What a survey stopped before run_survey leaves (checking the plan reads every mosaic: minutes for a large
#: survey); run_survey says itself what it leaves (the interruption's left_behind). This said 'finished tiles are
#: kept in the output folder' where there was none.
STOPPED_BEFORE = ("stopped before the survey started, nothing was written (the output folder is as it was: the tiles "
                  "an earlier run finished, if any, are kept)")


@command("survey", interrupted=STOPPED_BEFORE)
def survey_command(
    plan: Path = typer.Argument(..., help="Survey plan: YAML (settings and fields) or CSV (name,mosaics[,positions,"
                                          "truth] per field); a field's mosaics are a folder, FITS files (in a CSV "
                                          "cell separated by ;) or a pattern (fields/a_*.fits, relative to the "
                                          "plan). See docs/survey.md."),
    output: Path = typer.Option(..., "--output", "-o",
                                help="Output folder; an unfinished survey there is resumed, finished tiles reused."),
    model: Path | None = typer.Option(None, "--model", help="Model directory (overrides the plan's)."),
    task: str | None = typer.Option(None, "--task",
                                    help="Expected task of the model: its name or a task file (YAML/JSON), checked "
                                         "before any tile runs (default: the plan's task, else not checked)."),
    tile_size: int | None = typer.Option(None, "--tile-size", min=64,
                                         help="Core side of a tile in px (default: the plan's, else 2048)."),
    overlap: int | None = typer.Option(None, "--overlap", min=0,
                                       help="Margin read around each core (px, >= one stamp; default: the plan's, "
                                            "else max(64, stamp))."),
    photometry: str | None = typer.Option(None, "--photometry",
                                          help="growth, ci, none, or skip (given positions only; no photometry). "
                                               "Default: the plan's, else growth."),
    magsys: str | None = typer.Option(None, "--magsys",
                                      help="Magnitude system: vega or ab (default: the plan's, else vega)."),
    retries: int | None = typer.Option(None, "--retries", min=0,
                                       help="Retries of a failed tile (default: the plan's, else 2)."),
    workers: int | None = typer.Option(None, "--workers", min=1,
                                       help="LocalCluster workers (default: one per GPU, else one per core)."),
    threads_per_worker: int | None = typer.Option(None, "--threads-per-worker", min=1,
                                                  help="Threads per worker (default 1)."),
    scheduler: str | None = typer.Option(None, "--scheduler",
                                         help="Address of a running Dask scheduler (tcp://host:8786), or the file "
                                              "of 'dask scheduler --scheduler-file', instead of a LocalCluster."),
    connect_timeout: float | None = typer.Option(None, "--connect-timeout", metavar="<seconds>",
                                                 help="With --scheduler: seconds the scheduler has to answer before "
                                                      "the survey stops (more than 0, at most 600). Default: dask's "
                                                      "distributed.comm.timeouts.connect where set, else 5."),
    jobqueue: str | None = typer.Option(None, "--jobqueue",
                                        help="slurm or pbs: submit the workers as batch jobs (dask-jobqueue) instead "
                                             "of a LocalCluster. Where sbatch/qsub is missing, prints the job script "
                                             "it would submit on stdout (alone: > job.sh) and exits 2."),
    jobs: int | None = typer.Option(None, "--jobs", min=1, help="With --jobqueue: number of batch jobs (default 1)."),
    cores: int | None = typer.Option(None, "--cores", min=1,
                              help="With --jobqueue: cores per job (one single-threaded worker per core, or "
                                   "cores / --threads-per-worker workers; default: dask-jobqueue's configuration, "
                                   "else 1)."),
    memory: str | None = typer.Option(None, "--memory",
                                      help="With --jobqueue: memory per job (4GiB, 3000MB, ...; default: "
                                           "dask-jobqueue's configuration, else 4GiB)."),
    walltime: str | None = typer.Option(None, "--walltime",
                                        help="With --jobqueue: walltime per job (HH:MM:SS; default: dask-jobqueue's "
                                             "configuration, else 01:00:00)."),
    queue: str | None = typer.Option(None, "--queue", help="With --jobqueue: the queue (SLURM partition)."),
    worker_wait: float | None = typer.Option(None, "--worker-wait", min=0,
                                             help="Seconds to wait for the first worker, then stop (exit 2, the "
                                                  "cluster closed, no tile run; 0: for ever). Default 120 with a "
                                                  "LocalCluster, 600 with --scheduler, 3600 with --jobqueue."),
    device: str | None = typer.Option(None, "--device", help="cpu, cuda, ... (default: one GPU per worker if any)."),
    mask_extension: str | None = plan_default(
        mask_extension_option("and left out of detection, photometry and the stamps classified")),
    dq_good_bits: str | None = plan_default(DQ_GOOD_BITS_OPTION),
    mask_file: str | None = plan_default(MASK_FILE_OPTION),
    progress: bool | None = progress_option("Show the progress bar."),
    overwrite: bool = typer.Option(False, "--overwrite",
                                   help="Redo the merge and summary of a finished survey (finished tiles reused)."),
) -> None:
    """Run a whole survey: every field, tiled, on dask.distributed; one merged Parquet catalogue.

    Writes OUT/catalogue/field=<name>/ (merged, partitioned by field), OUT/fields/<name>/ and
    OUT/summary.json. Failed tiles are retried, then listed, and the exit status is 1; 2 where a
    tile failed on its input (a mosaic, weight map or mask file cut short or replaced after the plan
    check; its field stops, the other fields' tiles are kept): repair it, rerun.
    Detected candidates are numbered per field in (y, x) order, where detect numbers them by V
    magnitude: match the two catalogues on x, y, not on id.

    The whole plan is checked before any tile runs: a field whose mosaics or catalogues cannot be
    read (missing, truncated, no band of the model) stops the survey with exit status 2, naming the
    plan, the field and the file. Nothing is half done: repair the file, or leave the field out by
    deleting its entry (its row of a CSV plan) and run again.

    Example: starclass survey plan.yaml --model model/ -o run/
    """
    # bars only where a person watches them: a batch job's log keeps every redraw
    asked, progress = progress, show_progress(progress)
    from starclass.errors import StarclassError

    batch_opts = {"--jobs": jobs, "--cores": cores, "--memory": memory, "--walltime": walltime, "--queue": queue}
    given = [k for k, v in batch_opts.items() if v is not None]
    # an option that would be ignored is refused: the user believes it took effect. These need nothing imported:
    # refused at once, not after distributed (1 s) loaded
    if jobqueue is None and given:
        raise StarclassError(f"{', '.join(given)} size batch jobs: give them with --jobqueue slurm|pbs "
                             "(a LocalCluster is sized by --workers, --threads-per-worker)")
    if scheduler is not None and workers is not None:
        raise StarclassError("--workers sizes a LocalCluster; with --scheduler the running cluster's workers are used: "
                             "give one of them")
    if connect_timeout is not None and scheduler is None:
        raise StarclassError("--connect-timeout bounds the answer of a running scheduler: give it with --scheduler "
                             "(a LocalCluster or --jobqueue cluster is started by the survey itself)")
    if jobqueue is not None and (scheduler is not None or workers is not None):
        raise StarclassError("--jobqueue submits its own workers: give it without --scheduler and --workers")
    if jobqueue is not None:
        from starclass.survey.batch import SYSTEMS

        if jobqueue.lower() not in SYSTEMS:  # a typo in an option is the first thing to say, before the plan
            raise StarclassError(f"--jobqueue {jobqueue!r}: unknown; use one of {', '.join(SYSTEMS)}")
    from starclass.learn.precision import check_device_name

    check_device_name(device)  # 'tpu': at once, without torch; whether this machine has a cuda: with the plan below
    require_extra("scale", ["distributed"], "survey")
    if jobqueue is not None:
        from starclass.survey.batch import check_sizes

        # with the other options, before the plan is read: '--memory 4XB' was said only after the plan's checks
        # and distributed's import (dask's own parser is imported here, 0.15 s, the extra found just above)
        with importing_extra("scale", ["dask"], "survey"):
            check_sizes(memory=memory, walltime=walltime, cores=cores, threads_per_worker=threads_per_worker)
    pixel_flags(mask_extension, dq_good_bits, mask_file)  # an expression astropy refuses: said before the plan is read
    from starclass.survey.run import refuse_complete_output

    options = dict(model=model, task=task, tile_size=tile_size, overlap=overlap,
                   photometry=photometry.lower() if photometry else None, retries=retries,
                   magsys=magsys.lower() if magsys else None, mask_extension=mask_extension,
                   dq_good_bits=dq_good_bits, mask_file=mask_file)
    # a finished run2/ without --overwrite: refused now, from its summary.json alone, where it was refused after
    # distributed, the model and every mosaic had loaded (11 s on shared cores), while its inputs and these options
    # are as that run recorded them; once one changed, run_survey's own check says for how many tiles (this refusal
    # had dropped the count)
    refuse_complete_output(output, overwrite, options)
    from starclass.io.progress import say_step

    # at a terminal a line before distributed, the plan's checks (every mosaic read) and the model load: nothing was
    # said for 3-6 s on shared cores (minutes for a large plan) until the survey's own first line
    say_step(f"survey: checking the plan {plan} ...", progress)
    from starclass.survey.plan import check_settings, read_plan

    # the plan file, its keys and rows, and that every field's mosaics and catalogues are there: read before
    # distributed (1 s), a scheduler (up to --connect-timeout) or dask-jobqueue, which a plan with a misspelt
    # mosaic folder waited for. Reading the mosaics themselves (run_survey's check) still comes after them.
    the_plan = read_plan(plan).with_options(**options)
    check_settings(the_plan)  # no fields, no model or one without its manifest, a bad setting: said now too
    # require_extra only finds distributed: installed but failing as it imports (a broken build, a dask of
    # another version), it was a traceback where the scheduler was reached or the cluster started
    with importing_extra("scale", ["distributed", "dask"], "survey"):
        import distributed  # noqa: F401
    from starclass.survey.batch import BatchSpec
    from starclass.survey.run import run_survey, summary_lines

    if scheduler is not None:
        from starclass.survey.run import reach_scheduler

        # before the plan's mosaics are read: 'head' without its port was a traceback, and an address where no
        # scheduler answers was told after the plan's checks (and 20 s, or never for a port that takes it but never
        # speaks)
        reach_scheduler(scheduler, connect_timeout, "--connect-timeout")
    batch = None
    if jobqueue is not None:
        from starclass.survey.batch import SYSTEMS, configured_sizes, import_dask_jobqueue

        if jobqueue.lower() in SYSTEMS:  # an unknown system is said by batch.check() below
            # installed but failing as it imports (a broken build, a dask of another version), dask-jobqueue was
            # taken for missing ('--jobqueue needs dask-jobqueue: pip install ...', where it is installed)
            require_extra("scale", ["dask_jobqueue"], "survey")
            with importing_extra("scale", ["dask_jobqueue"], "survey"):
                import_dask_jobqueue()

        # what the options leave out comes from dask-jobqueue's configuration (a site's jobqueue.yaml), as the
        # account does: 1 core, 4GiB and an hour replaced it, and the jobs were killed after an hour
        sizes = configured_sizes(jobqueue.lower())
        batch = BatchSpec(jobqueue.lower(), jobs=jobs or 1, cores=cores or sizes["cores"][0],
                          memory=memory or sizes["memory"][0], walltime=walltime or sizes["walltime"][0],
                          queue=queue, threads_per_worker=threads_per_worker or 1)
        batch.check()  # before the plan's mosaics are read and any job is submitted
        from starclass.survey.batch import BatchScriptError, check_submit

        try:
            check_submit(batch)
        except BatchScriptError as exc:
            # the script alone on stdout, so '> job.sh' keeps a file sbatch/qsub takes; it was inside the
            # error message on stderr after the survey's own lines, where no batch system could read it
            typer.echo(exc.script)
            raise StarclassError(f"{exc.message} (the job script is on standard output)") from None
    if device is not None:
        from starclass.learn.precision import device_name, pick_device

        # 'tpu' failed every tile (each retried) with this message, exit 1; the name is checked here, and
        # the device itself where the workers are this machine's (a LocalCluster), as classify checks it
        if scheduler is None and batch is None:
            pick_device(device)
        else:
            device_name(device)
    if the_plan.model is not None:
        # every tile is classified on stamps cut with the plan's flags: said once, before any tile runs
        warn_flags_differ(the_plan.model, the_plan.pixel_flags())
    with progress_lines(asked, "starclass.survey.run"):  # a log file gets a line each 30 s where no bar is
        result = run_survey(the_plan, output, scheduler=scheduler, n_workers=workers,
                            threads_per_worker=threads_per_worker, overwrite=overwrite, progress=progress,
                            device=device, echo=echo, batch=batch, worker_wait=worker_wait,
                            connect_timeout=connect_timeout)
    for line in summary_lines(result.summary):
        echo(line)
    if not result.ok:
        # a tile that failed on its input (a mosaic damaged after the plan check) needs the user's repair: 2, as the
        # plan check's refusal; other failures (a worker's fault) may pass on a rerun: 1
        raise typer.Exit(code=2 if result.summary.get("failed_on_input") else 1)
    echo(f"merged catalogue: {result.catalogue} (Parquet, partitioned by field); summary: {output / 'summary.json'}")
