"""Wall time and peak resident memory of each step of ``starclass demo`` (the README's main job).

    PYTHONPATH=src .venv/bin/python benchmarks/demo_steps.py [--size 2048] [--n-candidates 3000]
        [--epochs 40] [--baseline OLD_SRC] [--json out.json]

Runs :func:`starclass.pipeline.run_demo` in a fresh interpreter (one torch thread, as the README's figures),
with a thread sampling the process's resident memory every 50 ms, and prints for each of the six steps its
seconds (the demo's own ``seconds``) and the highest resident memory seen while it ran, the whole run's
peak (``ru_maxrss``), and the accuracy lines: a change that only saves time or memory leaves those lines
identical. ``--baseline SRC`` (another checkout's ``src``, e.g. ``git archive HEAD~1 src | tar -x -C
/tmp/base``) runs the same with it at the same time (both runs share the machine's load alike; on two
cores each then has about one) and prints the ratios now / baseline and whether the accuracy lines agree.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

#: The child: the demo with the memory sampler; prints one JSON line at its end.
CHILD = r"""
import json, os, resource, sys, threading, time
page = os.sysconf("SC_PAGE_SIZE")
state = {"step": "import", "peak": {}}

def rss():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * page

def sample():
    while True:
        r = rss()
        state["peak"][state["step"]] = max(state["peak"].get(state["step"], 0), r)
        time.sleep(0.05)

threading.Thread(target=sample, daemon=True).start()
from starclass.pipeline import run_demo
names = {"1": "simulate", "2": "detect", "3": "train", "4": "classify", "5": "evaluate", "6": "report"}
lines = []

def echo(text):
    lines.append(text)
    if text.startswith("[") and text[1] in names:
        state["step"] = names[text[1]]

out, size, n, epochs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
res = run_demo(out, size=size, n_candidates=n, epochs=epochs, progress=False, echo=echo)
state["peak"][state["step"]] = max(state["peak"].get(state["step"], 0), rss())
print(json.dumps({"seconds": res.seconds, "peak_rss": state["peak"],
                  "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                  "accuracy": [t.strip().replace(out, "OUT") for t in lines
                               if "accuracy" in t or "recovered" in t or "matched" in t]}))
"""


def main(argv: list[str] | None = None) -> int:
    """Run the demo (and the baseline's); print each step's seconds and peak memory, and the ratios."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=2048)
    ap.add_argument("--n-candidates", type=int, default=3000)
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--baseline", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    sources = {"now": SRC} | ({"baseline": args.baseline.resolve()} if args.baseline else {})
    with tempfile.TemporaryDirectory(prefix="demo_steps_") as tmp:
        procs = {}
        for name, src in sources.items():
            env = dict(os.environ, PYTHONPATH=str(src), OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
            procs[name] = subprocess.Popen(
                [sys.executable, "-c", CHILD, str(Path(tmp) / name), str(args.size), str(args.n_candidates),
                 str(args.epochs)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        res = {}
        for name, proc in procs.items():
            out, err = proc.communicate()
            if proc.returncode != 0:
                sys.stderr.write(err[-3000:])
                return 1
            res[name] = json.loads(out.strip().splitlines()[-1])
    load = os.getloadavg()[0]
    print(f"demo --size {args.size} --n-candidates {args.n_candidates} --epochs {args.epochs} "
          f"(load average {load:.1f} at the end)")
    steps = ["simulate", "detect", "train", "classify", "report", "total"]
    for name, r in res.items():
        print(f"{name:8s} " + "  ".join(f"{s} {r['seconds'].get(s, float('nan')):.1f} s" for s in steps))
        print(f"{'':8s} peak RSS " + "  ".join(f"{s} {v / 2**20:.0f} MiB" for s, v in r["peak_rss"].items())
              + f"; ru_maxrss {r['maxrss'] / 2**20:.0f} MiB")
    for line in res["now"]["accuracy"]:
        print(f"  {line}")
    if "baseline" in res:
        b, n = res["baseline"], res["now"]
        print("now / baseline: " + "  ".join(f"{s} {n['seconds'][s] / b['seconds'][s]:.2f}" for s in steps
                                             if b["seconds"].get(s)) + f"  ru_maxrss {n['maxrss'] / b['maxrss']:.2f}")
        print("accuracy lines identical" if n["accuracy"] == b["accuracy"] else
              "ACCURACY LINES DIFFER:\n  " + "\n  ".join(b["accuracy"]))
    if args.json:
        args.json.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()}, "load": load,
                                         "runs": res}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
