"""``starclass demo``: the whole pipeline on built-in synthetic galaxy fields."""

from __future__ import annotations

from pathlib import Path

import typer

from starclass.cli._app import bars_or_lines, command, echo, progress_lines, progress_option, task_option
from starclass.errors import StarclassError


@command("demo")
def demo(
    outdir: Path = typer.Option(Path("demo_output"), "--output", "-o", "--outdir",
                                 help="Folder for everything the demo writes."),
    size: int = typer.Option(2048, help="Side of each simulated field in pixels (0.04\"/px HST-like)."),
    n_candidates: int = typer.Option(3000, min=1, help="Objects per simulated field (truth catalogue), at least 1."),
    # min=0: -1 simulated both fields, then stopped training with numpy's traceback
    seed: int = typer.Option(1, "--seed", min=0,
                             help="Seed of the training field; the test field uses seed + 1000."),
    task: str = typer.Option("legus4-compact", help="Task preset or task file (YAML/JSON) of the classifier to train."),
    epochs: int = typer.Option(40, min=1, help="Most training epochs, at least 1 (early stopping may end sooner)."),
    labels: str = typer.Option("truth", "--labels",
                               help="Train on 'truth' or on the simulated 'humans' consensus (a word, not a "
                                    "votes table as train --labels)."),
    distance: float = typer.Option(10.0, help="Distance of the simulated galaxy (Mpc, 0.01-1000)."),
    progress: bool | None = progress_option("Show progress bars."),
    overwrite: bool = typer.Option(False, "--overwrite",
                                   help="Replace an existing output folder that holds a previous demo's "
                                        "outputs. Without it a non-empty folder is refused before any work."),
) -> None:
    """Run the whole job on synthetic galaxies: simulate, detect, train, classify, evaluate, report.

    Simulates a training field and a test field (different seeds) of a five-band HST-like galaxy,
    detects and measures candidates on the test field, trains the compact CNN on the training field,
    classifies the test candidates, prints the accuracy against the known truth and the simulated
    human classifiers, and writes an HTML report. About a minute on two quiet CPU cores with the
    defaults (55 s measured 2026-12-05; a run that took 103 s on quiet cores took 25 min on a 2-core
    machine shared with four other jobs). The folder is filled only when the run has finished: an
    interrupted run leaves it as it was.

    Example: starclass demo -o demo_output/ --epochs 5
    """
    # bars only where a person watches them (a batch job's log keeps every redraw); plain lines there instead
    asked, progress = progress, bars_or_lines(progress)
    if labels not in ("truth", "humans"):
        # run_demo's own check named its parameter ("labels must be ..."), not the option
        # a votes table is train's and suggest's --labels (docs/cli.md): said, as the other two-meaning names say it
        raise StarclassError(f"--labels must be truth or humans, got {labels!r} (a word here: the demo's simulated "
                             "labels; a table of people's votes is train's and suggest's --labels)")
    # here, not at the top: starclass.pipeline imports torch (+5 s measured); `starclass --help` takes 0.4 s
    from starclass.pipeline import run_demo
    from starclass.simulate.config import check_distance

    check_distance(distance, "--distance")  # the option, not the simulator's distance_mpc

    # run_demo loads it again; here an unknown or unreadable task is named as the option it came from
    task_option(task)

    # a log file also gets train's line an epoch, as 'starclass train' writes it there
    with progress_lines(asked, "starclass.learn.train"):
        res = run_demo(outdir, size=size, n_candidates=n_candidates, seed=seed, task=task, epochs=epochs,
                       labels=labels, distance_mpc=distance, progress=progress, overwrite=overwrite,
                       echo=echo)
    echo(done_line(res.seconds))


def done_line(seconds: dict[str, float]) -> str:
    """The demo's last line: its total time once, then each step's.

    The total was said twice ("done in 250 s (simulate 18s, ..., total 250s)"), once more among the steps.

    Parameters
    ----------
    seconds
        Seconds per step as :func:`starclass.pipeline.run_demo` times them, with their ``total``.

    Returns
    -------
    str

    Examples
    --------
    >>> done_line({"simulate": 18.2, "train": 84.0, "total": 103.1})
    'done in 103 s (simulate 18 s, train 84 s)'
    """
    steps = ", ".join(f"{k} {v:.0f} s" for k, v in seconds.items() if k != "total")
    return f"done in {seconds['total']:.0f} s ({steps})"
