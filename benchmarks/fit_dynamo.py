"""What ``torch._dynamo`` cost a fit: torch's optimizers against :func:`starclass.learn.train.eager_optimizer`.

    PYTHONPATH=src .venv/bin/python benchmarks/fit_dynamo.py [--repeats 5] [--epochs 1] [--json out.json]

Each run is a fresh interpreter (one torch thread) that imports torch and ``starclass.learn.train`` and
fits the 4-class compact network on 24 random 32-px stamps for ``--epochs`` epochs (``fit`` on arrays,
as the tests and notebooks do; ``train`` adds the reading of the field). ``now`` makes its optimizer
as ``fit`` does, torch's class without its guards for ``torch.compile``; ``torch`` makes torch's own
class (``eager_optimizer`` replaced by the identity in that interpreter), whose constructor and
``step`` import ``torch._dynamo``. The two alternate within each round, so a load change on a shared
machine falls on both alike. Printed per kind: the median and fastest seconds of the fit call, of the
whole interpreter (start to exit), its peak resident memory (``ru_maxrss``), the number of modules
loaded and whether ``torch._dynamo`` was, and the medians' ratios now / torch.

Found (torch 2.14, 2026-12-07, 5 runs each of 1 epoch, two cores shared with four other engineers' work,
load average 12.4, so the seconds are inflated and noisy; the ratios are of medians in the same rounds):
fit 8.95 s now against 21.95 s with torch's classes (0.41), the interpreter start to exit 31.4 s against
46.6 s (0.67), peak resident 621 against 766 MiB (-145 MiB), 2002 modules against 2871.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

CHILD = r"""
import json, resource, sys, tempfile, time, warnings
import numpy as np
import torch
torch.set_num_threads(1)
import starclass.learn.train as train
if sys.argv[1] == "torch":
    train.eager_optimizer = lambda cls: cls  # torch's own optimizer classes, guards and all
from starclass.learn.config import get_preset
cfg = get_preset("legus4-compact", stamp_size=32)
x = np.random.default_rng(0).normal(size=(24, cfg.n_channels, 32, 32)).astype(np.float32)
y = np.tile([1, 2, 3, 4], 6)
t = time.perf_counter()
with tempfile.TemporaryDirectory() as d, warnings.catch_warnings():
    warnings.simplefilter("ignore")
    train.fit(cfg, x, y, outdir=d, progress=False, device="cpu", epochs=int(sys.argv[2]), seed=0)
print(json.dumps({"fit_s": time.perf_counter() - t, "dynamo": "torch._dynamo" in sys.modules,
                  "modules": len(sys.modules),
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

KINDS = ("now", "torch")


def one_run(kind: str, epochs: int) -> dict:
    """One fresh interpreter's fit: its figures, and the interpreter's wall time start to exit."""
    env = {**os.environ, "OMP_NUM_THREADS": "1",
           "PYTHONPATH": os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH")) if p)}
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, "-c", CHILD, kind, str(epochs)], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if res.returncode != 0:
        raise SystemExit(f"error: the {kind} fit exited {res.returncode}: {res.stderr[-1500:]}")
    return {**json.loads(res.stdout.strip().splitlines()[-1]), "wall_s": wall}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5, help="fits of each kind; medians are reported")
    ap.add_argument("--epochs", type=int, default=1, help="epochs of each fit")
    ap.add_argument("--json", type=Path, default=None, help="also write every run's figures to this JSON file")
    args = ap.parse_args()
    if args.repeats < 1 or args.epochs < 1:
        ap.error(f"--repeats and --epochs must be at least 1, got {args.repeats} and {args.epochs}")
    runs: dict[str, list[dict]] = {k: [] for k in KINDS}
    for r in range(args.repeats):
        for kind in KINDS:
            run = one_run(kind, args.epochs)
            runs[kind].append(run)
            print(f"  round {r + 1}/{args.repeats} {kind}: fit {run['fit_s']:.2f} s, "
                  f"interpreter {run['wall_s']:.2f} s, peak {run['peak_mib']:.0f} MiB, "
                  f"torch._dynamo {'loaded' if run['dynamo'] else 'not loaded'}",
                  flush=True)
    med = {k: {f: statistics.median(r[f] for r in runs[k]) for f in ("fit_s", "wall_s", "peak_mib", "modules")}
           for k in KINDS}
    print(f"{'kind':<6} {'fit s':>7} {'fastest':>8} {'process s':>10} {'fastest':>8} {'peak MiB':>9} {'modules':>8} "
          f" torch._dynamo   ({args.repeats} runs each, {args.epochs} epoch(s), load average {os.getloadavg()[0]:.1f})")
    for kind in KINDS:
        m, rs = med[kind], runs[kind]
        print(f"{kind:<6} {m['fit_s']:7.2f} {min(r['fit_s'] for r in rs):8.2f} {m['wall_s']:10.2f} "
              f"{min(r['wall_s'] for r in rs):8.2f} {m['peak_mib']:9.0f} {m['modules']:8.0f}  "
              f"{'loaded' if any(r['dynamo'] for r in rs) else 'not loaded'}")
    now, base = med["now"], med["torch"]
    print(f"now / torch: fit {now['fit_s'] / base['fit_s']:.2f}, process {now['wall_s'] / base['wall_s']:.2f}, "
          f"peak memory {now['peak_mib'] / base['peak_mib']:.2f} ({now['peak_mib'] - base['peak_mib']:+.0f} MiB)")
    if args.json is not None:
        args.json.write_text(json.dumps({"epochs": args.epochs, "load_average": os.getloadavg()[0], "runs": runs,
                                         "median": med}, indent=1) + "\n")


if __name__ == "__main__":
    main()
