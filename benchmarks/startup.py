"""Start-up time of starclass commands, each in a fresh interpreter, against ``import torch`` alone.

    PYTHONPATH=src .venv/bin/python benchmarks/startup.py [--repeats 5] [--json out.json]

Runs ``python -m starclass --help`` (what the ``starclass`` script runs), ``info --help``,
``train --help`` and ``info CATALOGUE`` (a 3-row ECSV catalogue it writes in a temporary folder:
the start-up of a command that reads a file, astropy's tables included), plus
``python -c "import torch"`` and ``python -c pass`` (the interpreter alone),
each ``--repeats`` times, in turn (one of each per round, so a load change on a shared machine
falls on all of them alike), and prints the median and the fastest wall time of each and the
median's ratio to ``import torch``'s. A ratio under 1 means the command starts faster than torch
imports: before torch was kept out of start-up (2026-12-05) every command imported it.
The starclass imported is this checkout's ``src`` (put first on ``PYTHONPATH``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

#: Stands for the path of the catalogue :func:`write_catalogue` writes, in an argv of :data:`COMMANDS`
CATALOGUE = "{catalogue}"

#: Label and argv (after the interpreter) of each timed command; the ratios are to "import torch".
COMMANDS: dict[str, list[str]] = {
    "starclass --help": ["-m", "starclass", "--help"],
    "starclass info --help": ["-m", "starclass", "info", "--help"],
    "starclass train --help": ["-m", "starclass", "train", "--help"],
    "starclass info CATALOGUE": ["-m", "starclass", "info", CATALOGUE],
    "import torch": ["-c", "import torch"],
    "python (nothing imported)": ["-c", "pass"],
}


def write_catalogue(folder: Path) -> Path:
    """A 3-row candidate catalogue (ECSV, the schema's columns and a class) in ``folder``, for ``info``.

    Written as text: the benchmark itself then needs neither starclass nor astropy.
    """
    path = folder / "cands.ecsv"
    rows = ["1 10.0 5.0 21.0 1", "2 20.0 6.0 22.5 2", "3 30.0 7.0 23.1 4"]
    path.write_text("\n".join([
        "# %ECSV 1.0", "# ---", "# datatype:", "# - {name: id, datatype: int64}", "# - {name: x, datatype: float64}",
        "# - {name: y, datatype: float64}", "# - {name: mag_f555w, datatype: float64}",
        "# - {name: class_ref, datatype: int64}", "# schema: astropy-2.0", "id x y mag_f555w class_ref", *rows, ""]))
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5, help="runs of each command; the median is reported")
    ap.add_argument("--json", type=Path, default=None, help="also write the times to this JSON file")
    args = ap.parse_args()
    if args.repeats < 1:
        ap.error(f"--repeats must be at least 1, got {args.repeats}")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH")) if p)}
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    with tempfile.TemporaryDirectory(prefix="startup_") as tmp:
        catalogue = str(write_catalogue(Path(tmp)))
        for _ in range(args.repeats):
            for name, argv in COMMANDS.items():
                times[name].append(wall_time([catalogue if a == CATALOGUE else a for a in argv], env))
    torch_median = statistics.median(times["import torch"])
    print(f"{'command':<28} {'median s':>9} {'fastest s':>9} {'/ import torch':>15}   ({args.repeats} runs each, "
          f"load average {os.getloadavg()[0]:.1f})")
    for name, ts in times.items():
        median = statistics.median(ts)
        print(f"{name:<28} {median:9.2f} {min(ts):9.2f} {median / torch_median:15.2f}")
    if args.json is not None:
        doc = {"python": sys.executable, "repeats": args.repeats, "load_average": os.getloadavg()[0],
               "seconds": times, "median_s": {k: statistics.median(v) for k, v in times.items()}}
        args.json.write_text(json.dumps(doc, indent=2) + "\n")


if __name__ == "__main__":
    main()
