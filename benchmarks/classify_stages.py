"""Where ``classify --tta`` spends its time, stage by stage, and which stages its bar counts.

    PYTHONPATH=src OMP_NUM_THREADS=1 .venv/bin/python benchmarks/classify_stages.py DEMO [--batch-size 64] [--no-tta]

``DEMO`` is a ``starclass demo -o DEMO`` folder (its ``test_field``, ``candidates.ecsv`` and ``model``). Runs
``python -m starclass classify ... --tta`` in a fresh interpreter with each stage of
:func:`starclass.learn.classify.classify` timed (the stamps and model inputs of each batch, the input digests,
the views through the network, the calibration and conformal sets after the bar) and prints, per stage, its
calls and seconds, and which the bar counts (the views: it moves after each pass of a member over a view),
plus every line the command says with the time it came (stdout and stderr through one pipe, the log's view).
Found 2026-12-07 (two loaded cores, 195 candidates, batches of 64): the first batch's stamps 1.3 s (the bar
shows 0 views and its clock runs), later batches 0.1 s each, the views 10 s, and the conformal sets 2.3 s
after the bar's last view, their library (crepes, with scipy.stats and pandas) loading: said now by a line.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

#: The child: the CLI with the stages of classify() wrapped in timers that print ``[stage T] NAME S``
CHILD = textwrap.dedent("""
    import functools, runpy, sys, time
    import starclass.learn.classify as C
    import starclass.stamps as S
    T0 = time.perf_counter()

    def timed(name, f):
        @functools.wraps(f)
        def g(*a, **k):
            t = time.perf_counter(); r = f(*a, **k)
            print(f"[stage {time.perf_counter() - T0:.3f}] {name} {time.perf_counter() - t:.3f}", file=sys.stderr,
                  flush=True)
            return r
        return g

    for name in ("row_digests", "member_probabilities", "trust_columns"):
        setattr(C, name, timed(name, getattr(C, name)))
    batches = S.iter_inputs

    def iter_inputs(*a, **k):
        gen = batches(*a, **k)
        while True:
            t = time.perf_counter()
            try:
                b = next(gen)
            except StopIteration:
                return
            print(f"[stage {time.perf_counter() - T0:.3f}] stamps_and_inputs {time.perf_counter() - t:.3f}",
                  file=sys.stderr, flush=True)
            yield b

    S.__dict__["iter_inputs"] = iter_inputs  # classify() imports it from the package on each call
    sys.argv = ["starclass", *sys.argv[1:]]
    runpy.run_module("starclass", run_name="__main__", alter_sys=True)
""")

#: What each stage is, and whether the bar counts it
STAGES = {
    "stamps_and_inputs": "a batch's stamps and model inputs (the bar's clock runs, its count does not)",
    "row_digests": "the inputs' digests for the conformal draws (not counted)",
    "member_probabilities": "the views through the network (counted: the bar moves per pass)",
    "trust_columns": "calibration and conformal sets, after the bar (said: 'making the conformal sets')",
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("demo", type=Path, help="a 'starclass demo -o DEMO' folder")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--no-tta", action="store_true")
    args = ap.parse_args()
    d = args.demo.resolve()
    for need in ("test_field", "candidates.ecsv", "model"):
        if not (d / need).exists():
            raise SystemExit(f"error: {d}: no {need}; make it with 'starclass demo -o {d}'")
    with tempfile.TemporaryDirectory(prefix="classify_stages_") as tmp:
        argv = ["classify", str(d / "test_field"), "-c", str(d / "candidates.ecsv"), "--model", str(d / "model"),
                "-o", f"{tmp}/out.ecsv", "--batch-size", str(args.batch_size), *([] if args.no_tta else ["--tta"])]
        print(f"running starclass {' '.join(argv)}", flush=True)
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", CHILD, *argv], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin",
                                                "OMP_NUM_THREADS": "1"})
        seconds: dict[str, list[float]] = {}
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("[stage "):
                _, name, dt = line.rsplit(" ", 2)
                seconds.setdefault(name, []).append(float(dt))
            else:
                print(f"{time.perf_counter() - t0:7.2f} s | {line.rstrip()[:110]}", flush=True)
        if proc.wait() != 0:
            raise SystemExit(f"error: classify exited {proc.returncode}")
    print(f"\n{'stage':<22} {'calls':>5} {'seconds':>8} {'first':>6} {'max':>6}  what")
    for name, what in STAGES.items():
        ts = seconds.get(name, [])
        if ts:
            print(f"{name:<22} {len(ts):5d} {sum(ts):8.2f} {ts[0]:6.2f} {max(ts):6.2f}  {what}")


if __name__ == "__main__":
    main()
