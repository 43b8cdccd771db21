"""Start-up time of starclass commands, each in a fresh interpreter, against ``import torch`` alone.

    PYTHONPATH=src .venv/bin/python benchmarks/startup.py [--repeats 5] [--json out.json]

Runs ``python -m starclass --help`` (what the ``starclass`` script runs), ``info --help``,
``train --help``, ``info CATALOGUE`` and ``info CATALOGUE.csv`` (a 3-row ECSV and CSV catalogue it writes in a
temporary folder: the start-up of a command that reads a file, astropy's tables included; astropy's ECSV reader
loads its coordinates, its CSV reader does not), plus
``python -c "import torch"`` and ``python -c pass`` (the interpreter alone),
each ``--repeats`` times, in turn (one of each per round, so a load change on a shared machine
falls on all of them alike), and prints the median and the fastest wall time of each and the
median's ratio to ``import torch``'s. A ratio under 1 means the command starts faster than torch
imports: before torch was kept out of start-up (2026-12-05) every command imported it. With ``--baseline SRC``
each row is timed with that src as well, in the same rounds (now, then baseline), and the table adds the
baseline's median and the ratio now / baseline.

``--pyc``: the Python bytecode of starclass's modules cached, as an installed package has it (pip compiles it):
``PYTHONDONTWRITEBYTECODE`` is unset and ``PYTHONPYCACHEPREFIX`` is a temporary folder, filled by one untimed run of
each row first. Without it the environment decides; where ``PYTHONDONTWRITEBYTECODE=1`` (as on the shared
machine) every starclass module a command imports is compiled from its source at each start, which is part of the
times then (0.2-0.3 s of ``info CATALOGUE``'s).
The starclass imported is this checkout's ``src`` (put first on ``PYTHONPATH``).

Then the first line of every command (:data:`VERBS`): the time from its start to the first text it
shows (stdout and stderr on a pseudo-terminal, as a person sees them: the bars, and the lines said only
there; ``--pipe``: through a pipe, as a log file gets them) on a small real input, after which the
command is stopped (SIGTERM to its process group; a run that showed nothing in 300 s, or whose first
line is an ``error:``, stops the benchmark). The inputs (a 256-px ``starclass demo`` with its
one-epoch model and classified catalogue, a stamp store of its test field, two 256-px m31 fields with
their survey plan and a one-epoch m31 model; about two minutes on two cores in all) are made in a
temporary folder, or once in ``--inputs DIR`` and reused; each is made only when the first command
that reads it is about to be timed (``--verbs info`` makes the demo alone), and said as it is made. Every
timed run prints its time as it ends (``round 2/5 classify (now): ...``), so a long benchmark is never silent.
``--commands`` chooses rows of the start-up table (``--commands ''`` none, ``--commands 'import torch,starclass
--help'``). Every run writes into a folder of its own, deleted after.
``--baseline SRC`` (another checkout's ``src``, e.g. ``git archive HEAD~1 src | tar -x -C /tmp/base``)
times each command with it as well, in the same rounds, and prints the median's ratio now / baseline.
``--skip-verbs`` times the table above alone; ``--verbs report,info`` a few commands (``--verbs ''`` none).
``--ends all`` (or some of :data:`ENDS`) also times runs to their end, through a pipe: refusals said before torch
loads (classify given a model that is not there, or an output that exists without ``--overwrite``), suggest
ranking a classified catalogue (its model's classes read from the manifest) and evaluate of the demo's mosaic
catalogue without bootstrap (``evaluate-mosaic``).
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import re
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

#: Stand for the paths of the catalogues :func:`write_catalogue` writes (ECSV, CSV), in an argv of :data:`COMMANDS`
CATALOGUE, CSV_CATALOGUE = "{catalogue}", "{catalogue_csv}"

#: Label and argv (after the interpreter) of each timed command; the ratios are to "import torch".
COMMANDS: dict[str, list[str]] = {
    "starclass --help": ["-m", "starclass", "--help"],
    "starclass info --help": ["-m", "starclass", "info", "--help"],
    "starclass train --help": ["-m", "starclass", "train", "--help"],
    "starclass info CATALOGUE": ["-m", "starclass", "info", CATALOGUE],
    "starclass info CATALOGUE.csv": ["-m", "starclass", "info", CSV_CATALOGUE],
    "import torch": ["-c", "import torch"],
    "python (nothing imported)": ["-c", "pass"],
}


def write_catalogue(folder: Path) -> Path:
    """A 3-row candidate catalogue (ECSV, the schema's columns and a class) in ``folder``, for ``info``, and the same
    rows as ``cands.csv`` beside it (:data:`CSV_CATALOGUE`).

    Written as text: the benchmark itself then needs neither starclass nor astropy.
    """
    path = folder / "cands.ecsv"
    rows = ["1 10.0 5.0 21.0 1", "2 20.0 6.0 22.5 2", "3 30.0 7.0 23.1 4"]
    path.write_text("\n".join([
        "# %ECSV 1.0", "# ---", "# datatype:", "# - {name: id, datatype: int64}", "# - {name: x, datatype: float64}",
        "# - {name: y, datatype: float64}", "# - {name: mag_f555w, datatype: float64}",
        "# - {name: class_ref, datatype: int64}", "# schema: astropy-2.0", "id x y mag_f555w class_ref", *rows, ""]))
    csv_rows = [r.replace(" ", ",") for r in rows]
    path.with_suffix(".csv").write_text("\n".join(["id,x,y,mag_f555w,class_ref", *csv_rows, ""]))
    return path


def wall_time(argv: list[str], env: dict[str, str]) -> float:
    """Seconds one fresh interpreter takes to run ``argv``; a failing command stops the benchmark."""
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, *argv], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True)
    dt = time.perf_counter() - t0
    if res.returncode != 0:
        raise SystemExit(f"error: {' '.join(argv)} exited {res.returncode}: {res.stderr[-500:]}")
    return dt


#: Stand for the inputs folder (:func:`make_inputs`), the run's own output folder and a free port in :data:`VERBS`
INPUTS, OUT, PORT = "{inputs}", "{out}", "{port}"

#: Each command and its argv on a small real input (after ``-m starclass``); a first element ``copy:<name>`` copies
#: ``INPUTS/<name>`` into the run's folder first (calibrate rewrites its model's manifest).
VERBS: dict[str, list[str]] = {
    "simulate": ["simulate", f"{OUT}/field", "--size", "128", "--n-candidates", "50"],
    "detect": ["detect", f"{INPUTS}/demo/test_field", "-o", f"{OUT}/cands.ecsv"],
    "info": ["info", f"{INPUTS}/demo/classified.ecsv"],
    "cutouts": ["cutouts", f"{INPUTS}/demo/test_field", "-c", f"{INPUTS}/demo/candidates.ecsv", "--task",
                "legus4-compact", "-o", f"{OUT}/stamps.h5"],
    "train": ["train", "--task", "legus4-compact", "-m", f"{INPUTS}/demo/train_field", "-c",
              f"{INPUTS}/demo/train_field/truth.ecsv", "--epochs", "1", "-o", f"{OUT}/model"],
    "classify": ["classify", f"{INPUTS}/demo/test_field", "-c", f"{INPUTS}/demo/candidates.ecsv", "--model",
                 f"{INPUTS}/demo/model", "-o", f"{OUT}/classified.ecsv"],
    "calibrate": ["copy:demo/model", "calibrate", f"{OUT}/model", f"{INPUTS}/demo/test_field", "-c",
                  f"{INPUTS}/demo/test_field/truth.ecsv", "--overwrite"],
    "evaluate": ["evaluate", f"{INPUTS}/demo/classified.ecsv", "-r", f"{INPUTS}/demo/test_field/truth.ecsv", "-o",
                 f"{OUT}/evaluation"],
    "report": ["report", f"{INPUTS}/demo/classified.ecsv", "-r", f"{INPUTS}/demo/test_field/truth.ecsv", "-o",
               f"{OUT}/report.html"],
    "explain": ["explain", f"{INPUTS}/demo/model", f"{INPUTS}/stamps.h5", "-o", f"{OUT}/explained"],
    "inspect": ["inspect", f"{INPUTS}/demo/test_field", "--catalogue", f"{INPUTS}/demo/candidates.ecsv", "--db",
                f"sqlite:///{OUT}/inspect.sqlite", "--init", "--port", PORT, "--no-prerender"],
    "demo": ["demo", "-o", f"{OUT}/demo", "--size", "128", "--n-candidates", "50", "--epochs", "1"],
    "survey": ["survey", f"{INPUTS}/sims/plan.yaml", "--model", f"{INPUTS}/m31model", "-o", f"{OUT}/run",
               "--workers", "1", "--threads-per-worker", "1"],
    "suggest": ["suggest", f"{INPUTS}/demo/model", f"{INPUTS}/demo/classified.ecsv", "-n", "20", "-o",
                f"{OUT}/suggestions.ecsv"],
}

#: Runs timed to their end (through a pipe, ``--ends``): label, the exit status expected and argv as in :data:`VERBS`.
#: Refusals a user meets at once where nothing needs torch, and suggest ranking a classified catalogue.
ENDS: dict[str, tuple[int, list[str]]] = {
    "classify-no-model": (2, ["classify", f"{INPUTS}/demo/test_field", "-c", f"{INPUTS}/demo/candidates.ecsv",
                                    "--model", f"{OUT}/nomodel", "-o", f"{OUT}/classified.ecsv"]),
    "classify-output-there": (2, ["copy:demo/classified.ecsv", "classify", f"{INPUTS}/demo/test_field", "-c",
                                   f"{INPUTS}/demo/candidates.ecsv", "--model", f"{INPUTS}/demo/model", "-o",
                                   f"{OUT}/classified.ecsv"]),
    "suggest-classified": (0, ["suggest", f"{INPUTS}/demo/model", f"{INPUTS}/demo/classified.ecsv", "-n", "20", "-o",
                               f"{OUT}/suggestions.ecsv"]),
    # the demo's mosaic catalogue (its meta names its model): no cutout files, so no reader of cutouts (numba) to load
    "evaluate-mosaic": (0, ["evaluate", f"{INPUTS}/demo/classified.ecsv", "-r", f"{INPUTS}/demo/test_field/truth.ecsv",
                            "--bootstrap", "0", "-o", f"{OUT}/evaluation"]),
}

#: What :func:`make_inputs` runs (after ``-m starclass``), in order: what each makes, and its argv.
INPUT_STEPS: list[tuple[str, list[str]]] = [
    ("demo", ["demo", "-o", f"{INPUTS}/demo", "--size", "256", "--n-candidates", "150", "--epochs", "1"]),
    ("stamps.h5", ["cutouts", f"{INPUTS}/demo/test_field", "-c", f"{INPUTS}/demo/candidates.ecsv", "--task",
                   "legus4-compact", "-o", f"{INPUTS}/stamps.h5"]),
    ("sims", ["simulate", f"{INPUTS}/sims", "--preset", "m31", "--fields", "2", "--size", "256", "--n-candidates",
              "60"]),
    ("m31model", ["train", "-m", f"{INPUTS}/sims/SIM-M31-001", "-c", f"{INPUTS}/sims/SIM-M31-001/truth.ecsv",
                  "--task", "m31-binary-compact", "--epochs", "1", "-o", f"{INPUTS}/m31model"]),
]


def inputs_of(argv: list[str]) -> set[str]:
    """The names of :data:`INPUT_STEPS` that ``argv`` reads (``{inputs}/<name>...`` or ``copy:<name>...``)."""
    made = {name for name, _ in INPUT_STEPS}
    found = set()
    for arg in argv:
        rest = arg.removeprefix("copy:") if arg.startswith("copy:") else arg.partition(f"{INPUTS}/")[2]
        top = rest.split("/", 1)[0]
        if top in made:
            found.add(top)
    return found


def needed_inputs(argvs: list[list[str]]) -> list[str]:
    """The input steps ``argvs`` need, with the steps those need, in :data:`INPUT_STEPS` order."""
    steps = dict(INPUT_STEPS)
    want: set[str] = set()
    todo = [name for argv in argvs for name in inputs_of(argv)]
    while todo:
        name = todo.pop()
        if name not in want:
            want.add(name)
            todo.extend(inputs_of(steps[name]) - {name})
    return [name for name, _ in INPUT_STEPS if name in want]


def make_inputs(folder: Path, env: dict[str, str], names: list[str] | None = None) -> None:
    """Run the steps of :data:`INPUT_STEPS` named (default all) into ``folder``, each only if what it makes is not
    there yet, saying each before it starts and how long it took (a step takes up to a minute on two loaded cores)."""
    folder.mkdir(parents=True, exist_ok=True)
    todo = [(made, step) for made, step in INPUT_STEPS
            if (names is None or made in names) and not (folder / made).exists()]
    for i, (made, step) in enumerate(todo, 1):
        argv = [a.replace(INPUTS, str(folder)) for a in step]
        print(f"making input {i} of {len(todo)} ({made}): starclass {' '.join(argv)}", flush=True)
        t0 = time.perf_counter()
        res = subprocess.run([sys.executable, "-m", "starclass", *argv], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
        if res.returncode != 0:
            raise SystemExit(f"error: making the inputs: starclass {' '.join(argv)} exited {res.returncode}: "
                             f"{res.stderr[-800:]}")
        print(f"  made {made} in {time.perf_counter() - t0:.0f} s", flush=True)


def free_port() -> int:
    """A TCP port nobody listens on now, for inspect's server."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


#: A terminal's escape sequences (colours, cursor moves): not text a person reads
_ESCAPES = re.compile(rb"\x1b(\[[0-9;?]*[A-Za-z]|\][^\x07]*\x07|[()][0-9A-Za-z])")


def _prepared(argv: list[str], inputs: Path, run_dir: Path) -> list[str]:
    """``argv`` with its inputs, run folder (made) and port filled in, and a ``copy:<name>`` copied into the folder."""
    run_dir.mkdir(parents=True)
    if argv[0].startswith("copy:"):
        src = inputs / argv[0].removeprefix("copy:")
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, run_dir / src.name)
        argv = argv[1:]
    return [a.replace(INPUTS, str(inputs)).replace(OUT, str(run_dir)).replace(PORT, str(free_port())) for a in argv]


def end_time(argv: list[str], want: int, env: dict[str, str], inputs: Path, run_dir: Path) -> tuple[float, str]:
    """Seconds ``python -m starclass argv`` takes to its end (output into a pipe), and its last line.

    An exit status other than ``want`` stops the benchmark; ``run_dir`` is removed after.
    """
    argv = _prepared(argv, inputs, run_dir)
    try:
        t0 = time.perf_counter()
        res = subprocess.run([sys.executable, "-m", "starclass", *argv], env=env, stdin=subprocess.DEVNULL,
                             capture_output=True, text=True, timeout=600)
        dt = time.perf_counter() - t0
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    lines = [ln.strip() for ln in (res.stdout + res.stderr).splitlines() if ln.strip()]
    if res.returncode != want:
        raise SystemExit(f"error: starclass {' '.join(argv)} exited {res.returncode}, not {want}: "
                         f"{(res.stdout + res.stderr)[-500:]}")
    return dt, lines[-1] if lines else ""


def time_ends(names: list[str], repeats: int, env: dict[str, str], inputs: Path,
              baseline_env: dict[str, str] | None) -> dict[str, list[float]]:
    """Time each of :data:`ENDS` named to its end, ``repeats`` times (and with the baseline), and print them."""
    runs = {"now": env} if baseline_env is None else {"now": env, "baseline": baseline_env}
    times: dict[tuple[str, str], list[float]] = {(n, k): [] for n in names for k in runs}
    last: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="startup_ends_") as tmp:
        for r in range(repeats):
            for i, name in enumerate(names):
                want, argv = ENDS[name]
                if r == 0:  # its inputs made when first needed, not all before anything is timed
                    make_inputs(inputs, env, needed_inputs([argv]))
                for kind, kind_env in runs.items():
                    dt, said = end_time(argv, want, kind_env, inputs, Path(tmp) / f"end{i}_{kind}_{r}")
                    times[(name, kind)].append(dt)
                    print(f"  round {r + 1}/{repeats} {name} ({kind}): {dt:.2f} s to its end", flush=True)
                    last[name] = said if kind == "now" else last.get(name, said)
    head = f"{'run to its end':<24} {'median s':>9} {'fastest s':>9}"
    if baseline_env is not None:
        head += f" {'baseline s':>10} {'now/base':>8}"
    print(f"{head}   ({repeats} runs each into a pipe, load average {os.getloadavg()[0]:.1f}) last line")
    for name in names:
        now = times[(name, "now")]
        row = f"{name:<24} {statistics.median(now):9.2f} {min(now):9.2f}"
        if baseline_env is not None:
            base = statistics.median(times[(name, "baseline")])
            row += f" {base:10.2f} {statistics.median(now) / base:8.2f}"
        print(f"{row}   {last[name][:70]}")
    return {f"{n} ({k})": v for (n, k), v in times.items()}


def first_line_time(argv: list[str], env: dict[str, str], inputs: Path, run_dir: Path, *, terminal: bool = True,
                    timeout: float = 300.0) -> tuple[float, str]:
    """Seconds from the start of ``python -m starclass argv`` to the first text it shows, and that line.

    ``terminal``: stdout and stderr are a pseudo-terminal, as for a person at one (bars drawn, the steps' lines a
    command says only there); else a pipe, as a log file gets them (its timed lines instead of bars). The command
    is stopped once it has shown its line; ``run_dir`` (its output folder) is removed after.
    """
    argv = _prepared(argv, inputs, run_dir)
    if terminal:
        reader, writer = pty.openpty()
    else:
        reader, writer = os.pipe()
    t0 = time.perf_counter()
    # a session of its own: SIGTERM reaches the command's workers too (survey's dask cluster)
    proc = subprocess.Popen([sys.executable, "-m", "starclass", *argv], env={**env, "PYTHONUNBUFFERED": "1"},
                            stdin=subprocess.DEVNULL, stdout=writer, stderr=writer, start_new_session=True)
    os.close(writer)
    got, dt = b"", None
    try:
        while True:
            text = _ESCAPES.sub(b"", got)
            if dt is None and text.strip():
                dt = time.perf_counter() - t0
            # the line it is on: up to its end, or what came within a tenth of a second (a bar ends in \r)
            if dt is not None and (re.search(rb"\S[^\r\n]*[\r\n]", text) or time.perf_counter() - t0 > dt + 0.1):
                break
            left = (timeout if dt is None else dt + 0.1) - (time.perf_counter() - t0)
            ready, _, _ = select.select([reader], [], [], max(left, 0))
            if not ready:
                if dt is None:
                    raise SystemExit(f"error: starclass {' '.join(argv)} printed no line in {timeout:.0f} s")
                continue
            try:
                chunk = os.read(reader, 65536)
            except OSError:  # a pseudo-terminal whose command has ended
                chunk = b""
            if not chunk:
                break
            got += chunk
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(reader)
        shutil.rmtree(run_dir, ignore_errors=True)
    lines = [ln.strip() for ln in re.split(r"[\r\n]", _ESCAPES.sub(b"", got).decode(errors="replace")) if ln.strip()]
    line = lines[0] if lines else ""
    if dt is None or line.startswith("error:"):
        raise SystemExit(f"error: starclass {' '.join(argv)}: first line {line!r}")
    return dt, line


def time_verbs(names: list[str], repeats: int, env: dict[str, str], inputs: Path,
               baseline_env: dict[str, str] | None, terminal: bool = True) -> dict[str, list[float]]:
    """Time the first line of each of :data:`VERBS` named, ``repeats`` times (and with the baseline), and print them."""
    runs = {"now": env} if baseline_env is None else {"now": env, "baseline": baseline_env}
    times: dict[tuple[str, str], list[float]] = {(n, k): [] for n in names for k in runs}
    lines: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="startup_runs_") as tmp:
        for r in range(repeats):
            for name in names:
                if r == 0:  # its inputs made when first needed, not all before anything is timed
                    make_inputs(inputs, env, needed_inputs([VERBS[name]]))
                for kind, kind_env in runs.items():
                    dt, line = first_line_time(VERBS[name], kind_env, inputs, Path(tmp) / f"{name}_{kind}_{r}",
                                               terminal=terminal)
                    times[(name, kind)].append(dt)
                    print(f"  round {r + 1}/{repeats} {name} ({kind}): first line after {dt:.2f} s", flush=True)
                    # the table shows this checkout's line: the baseline's, run last, was shown in its place
                    lines[name] = line if kind == "now" else lines.get(name, line)
    head = f"{'first line of':<14} {'median s':>9} {'fastest s':>9}"
    if baseline_env is not None:
        head += f" {'baseline s':>10} {'now/base':>8}"
    where = "a terminal" if terminal else "a pipe"
    print(f"{head}   ({repeats} runs each into {where}, load average {os.getloadavg()[0]:.1f}) first line")
    for name in names:
        now = times[(name, "now")]
        row = f"{name:<14} {statistics.median(now):9.2f} {min(now):9.2f}"
        if baseline_env is not None:
            base = statistics.median(times[(name, "baseline")])
            row += f" {base:10.2f} {statistics.median(now) / base:8.2f}"
        print(f"{row}   {lines[name][:70]}")
    return {f"{n} ({k})": v for (n, k), v in times.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5, help="runs of each command; the median is reported")
    ap.add_argument("--json", type=Path, default=None, help="also write the times to this JSON file")
    ap.add_argument("--skip-verbs", action="store_true", help="time --help and info CATALOGUE alone")
    ap.add_argument("--commands", default=",".join(COMMANDS),
                    help="rows of the start-up table to time (comma-separated labels; '' none): "
                         + "; ".join(COMMANDS))
    ap.add_argument("--verbs", default=",".join(VERBS), help="commands whose first line to time (comma-separated)")
    ap.add_argument("--ends", default="",
                    help=f"runs to time to their end (comma-separated, or all): {', '.join(ENDS)}")
    ap.add_argument("--inputs", type=Path, default=None,
                    help="folder for the commands' inputs, made if missing and kept (default: a temporary one)")
    ap.add_argument("--pipe", action="store_true",
                    help="the commands write into a pipe (a log file's view), not a pseudo-terminal")
    ap.add_argument("--baseline", type=Path, default=None,
                    help="another checkout's src folder whose commands are timed too, for the ratio")
    ap.add_argument("--pyc", action="store_true",
                    help="starclass's bytecode cached (in a temporary PYTHONPYCACHEPREFIX), as an installed package "
                         "has it; default: as the environment says (PYTHONDONTWRITEBYTECODE=1 compiles at each start)")
    args = ap.parse_args()
    if args.repeats < 1:
        ap.error(f"--repeats must be at least 1, got {args.repeats}")
    names = [v for v in args.verbs.split(",") if v]
    unknown = [v for v in names if v not in VERBS]
    if unknown:
        ap.error(f"--verbs: unknown command(s) {', '.join(unknown)}; known: {', '.join(VERBS)}")
    rows = [c.strip() for c in args.commands.split(",") if c.strip()]
    unknown = [c for c in rows if c not in COMMANDS]
    if unknown:
        ap.error(f"--commands: unknown row(s) {', '.join(unknown)}; known: {'; '.join(COMMANDS)}")
    ends = list(ENDS) if args.ends == "all" else [v for v in args.ends.split(",") if v]
    unknown = [v for v in ends if v not in ENDS]
    if unknown:
        ap.error(f"--ends: unknown run(s) {', '.join(unknown)}; known: {', '.join(ENDS)}, or all")
    if args.baseline is not None and not (args.baseline / "starclass" / "__init__.py").is_file():
        ap.error(f"--baseline {args.baseline}: not a src folder (no starclass/__init__.py in it)")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH")) if p)}
    base_env = None if args.baseline is None else {
        **env, "PYTHONPATH": os.pathsep.join(p for p in (str(args.baseline.resolve()),
                                                        os.environ.get("PYTHONPATH")) if p)}
    pyc_dir = tempfile.TemporaryDirectory(prefix="startup_pyc_") if args.pyc else None
    if pyc_dir is not None:
        for e in (env, base_env):
            if e is not None:
                e.pop("PYTHONDONTWRITEBYTECODE", None)
                e["PYTHONPYCACHEPREFIX"] = pyc_dir.name
    # each row with this checkout's src ("now") and, given --baseline, the other's, alternated in every round
    runs = {"now": env} if base_env is None else {"now": env, "baseline": base_env}
    times: dict[str, list[float]] = {name if kind == "now" else f"{name} (baseline)": []
                                     for name in rows for kind in runs}
    if rows:
        with tempfile.TemporaryDirectory(prefix="startup_") as tmp:
            catalogue = str(write_catalogue(Path(tmp)))

            def argv_of(name: str) -> list[str]:
                return [{CATALOGUE: catalogue, CSV_CATALOGUE: catalogue[:-len(".ecsv")] + ".csv"}.get(a, a)
                        for a in COMMANDS[name]]

            if pyc_dir is not None:  # the bytecode written, untimed
                for name in rows:
                    for kind_env in runs.values():
                        wall_time(argv_of(name), kind_env)
            for r in range(args.repeats):
                for name in rows:
                    for kind, kind_env in runs.items():
                        label = name if kind == "now" else f"{name} (baseline)"
                        times[label].append(wall_time(argv_of(name), kind_env))
                        print(f"  round {r + 1}/{args.repeats} {label}: {times[label][-1]:.2f} s", flush=True)
        torch_median = statistics.median(times["import torch"]) if "import torch" in rows else None
        head = f"{'command':<30} {'median s':>9} {'fastest s':>9} {'/ import torch':>15}"
        if base_env is not None:
            head += f" {'baseline s':>10} {'now/base':>8}"
        print(f"{head}   ({args.repeats} runs each, load average {os.getloadavg()[0]:.1f}"
              f"{', bytecode cached' if args.pyc else ''})")
        for name in rows:
            ts = times[name]
            median = statistics.median(ts)
            ratio = f"{median / torch_median:15.2f}" if torch_median else f"{'(not timed)':>15}"
            row = f"{name:<30} {median:9.2f} {min(ts):9.2f} {ratio}"
            if base_env is not None:
                base = statistics.median(times[f"{name} (baseline)"])
                row += f" {base:10.2f} {median / base:8.2f}"
            print(row)
    if not args.skip_verbs:
        print()
        with tempfile.TemporaryDirectory(prefix="startup_inputs_") as tmp:
            inputs = Path(tmp) if args.inputs is None else args.inputs.resolve()
            if names:
                times.update(time_verbs(names, args.repeats, env, inputs, base_env, terminal=not args.pipe))
            if ends:
                print()
                times.update(time_ends(ends, args.repeats, env, inputs, base_env))
    if pyc_dir is not None:
        pyc_dir.cleanup()
    if args.json is not None:
        doc = {"python": sys.executable, "repeats": args.repeats, "load_average": os.getloadavg()[0],
               "bytecode_cached": args.pyc, "baseline": None if args.baseline is None else str(args.baseline),
               "seconds": times, "median_s": {k: statistics.median(v) for k, v in times.items()}}
        args.json.write_text(json.dumps(doc, indent=2) + "\n")


if __name__ == "__main__":
    main()
