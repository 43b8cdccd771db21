"""Time from a torch command's last output line to its process's end, with and without the settle before exit.

    PYTHONPATH=src OMP_NUM_THREADS=1 .venv/bin/python benchmarks/exit_time.py [--repeats 3] [--cases classify,train]
        [--inputs DIR]

After ``classify`` (or ``train``, ``calibrate``) the interpreter's teardown walked the 400 000 objects of
torch, astropy and the rest in several full garbage collections: seconds on a loaded machine between
the last line and the shell's prompt. :func:`starclass.cli.settle_before_exit` (called by the console
script's entry, :func:`starclass.__main__.main`) collects once and freezes what is left.

Each case runs ``--repeats`` times in turn two ways, in the same rounds (so a load change on a shared
machine falls on both): ``python -m starclass ...`` (the console script's entry, which settles) and
``python -c "...starclass.cli.main()"`` (the CLI without the settle, as every command ended before).
It prints, per case and way, the median and fastest of the total wall time and of the time from the
last output line (stdout and stderr through one pipe) to the process's end, and the ratio of the
medians, settled / not settled. The input (a 128-px ``starclass demo`` with its one-epoch model, about
a minute on two cores) is made in a temporary folder, or once in ``--inputs DIR`` and reused; progress
is printed as it goes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

#: Stand for the inputs folder and the run's own output folder in :data:`CASES`
INPUTS, OUT = "{inputs}", "{out}"

#: Each case's argv after ``starclass`` on the demo's field and model; calibrate rewrites a copy of the model.
CASES: dict[str, list[str]] = {
    "classify": ["classify", f"{INPUTS}/demo/test_field", "-c", f"{INPUTS}/demo/candidates.ecsv", "--model",
                 f"{INPUTS}/demo/model", "-o", f"{OUT}/classified.ecsv"],
    "train": ["train", "--task", "legus4-compact", "-m", f"{INPUTS}/demo/train_field", "-c",
              f"{INPUTS}/demo/train_field/truth.ecsv", "--epochs", "1", "-o", f"{OUT}/model"],
    "calibrate": ["calibrate", f"{OUT}/model", f"{INPUTS}/demo/test_field", "-c",
                  f"{INPUTS}/demo/test_field/truth.ecsv", "--overwrite"],
}

#: The two ways each case runs: the console script's entry (settles), and the CLI's main alone (does not)
WAYS: dict[str, list[str]] = {
    "settled (python -m starclass)": ["-m", "starclass"],
    "not settled (starclass.cli.main)": ["-c", "import sys; sys.argv[0] = 'starclass'; "
                                         "from starclass.cli import main; main()"],
}


def make_inputs(folder: Path, env: dict[str, str]) -> None:
    """A 128-px demo (fields, candidates, one-epoch model) in ``folder/demo``, unless it is there already."""
    if (folder / "demo" / "model").exists():
        return
    argv = ["demo", "-o", str(folder / "demo"), "--size", "128", "--n-candidates", "60", "--epochs", "1"]
    print(f"making the input: starclass {' '.join(argv)} (about a minute)", flush=True)
    res = subprocess.run([sys.executable, "-m", "starclass", *argv], env=env, capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit(f"error: making the input exited {res.returncode}: {res.stderr[-800:]}")


def timed_run(way: list[str], argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Total wall seconds of one run and seconds from its last output line to its end; a failure stops it."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *way, *argv], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    last, tail = t0, []
    assert proc.stdout is not None
    for line in proc.stdout:
        last = time.perf_counter()
        tail = (tail + [line])[-5:]
    proc.wait()
    end = time.perf_counter()
    if proc.returncode != 0:
        raise SystemExit(f"error: starclass {' '.join(argv)} exited {proc.returncode}: {''.join(tail)}")
    return end - t0, end - last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cases", default="classify,train",
                        help=f"comma-separated, of {', '.join(CASES)} (calibrate needs train before it)")
    parser.add_argument("--inputs", type=Path, help="folder for the demo input, made once and reused")
    args = parser.parse_args()
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = [c for c in cases if c not in CASES]
    if unknown:
        raise SystemExit(f"error: --cases: unknown {', '.join(unknown)}; known: {', '.join(CASES)}")
    if "calibrate" in cases and "train" not in cases:
        raise SystemExit("error: --cases: calibrate rewrites the model train writes; name train before it")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    load = os.getloadavg()[0]
    print(f"load average (1 min) at start: {load:.1f} on {os.cpu_count()} cores", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="exit_time_"))
    inputs = args.inputs or tmp
    try:
        make_inputs(inputs, env)
        results: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for rnd in range(args.repeats):
            for way_name, way in WAYS.items():
                out = tmp / f"run_{rnd}_{len(results)}"
                out.mkdir(parents=True)
                for case in cases:
                    argv = [a.replace(INPUTS, str(inputs)).replace(OUT, str(out)) for a in CASES[case]]
                    total, after = timed_run(way, argv, env)
                    results.setdefault((case, way_name), []).append((total, after))
                    print(f"round {rnd + 1}/{args.repeats} {case:9s} {way_name}: {total:6.2f} s in all, "
                          f"{after:5.2f} s from the last line to the end", flush=True)
                shutil.rmtree(out, ignore_errors=True)
        print("\ncase       way                               total median (min)   last line -> end median (min)")
        for case in cases:
            medians = {}
            for way_name in WAYS:
                totals, afters = zip(*results[(case, way_name)])
                medians[way_name] = statistics.median(afters)
                print(f"{case:10s} {way_name:33s} {statistics.median(totals):6.2f} s ({min(totals):6.2f})"
                      f"   {statistics.median(afters):6.2f} s ({min(afters):5.2f})")
            settled, plain = medians.values()
            print(f"{case:10s} ratio of the last-line-to-end medians, settled / not settled: "
                  f"{settled / plain:.2f}" if plain > 0 else f"{case:10s} (no time after the last line)")
        print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
