"""Cost of hashing the starting model of a cross-validated fine-tune (``train --cv K --resume-from M``).

    PYTHONPATH=src .venv/bin/python benchmarks/finetune_cv_digest.py [--folds 3] [--ensemble 2]
        [--repeats 2] [--baseline OLD_SRC] [--json out.json]

Every fold's ``fit`` recorded the SHA-256 of the starting model's member files (``init_digest``, what a
resumed run checks it starts from the same weights) by reading every member file again: ``--folds``
times for one starting model. This makes a small labelled cutout folder (``--rows`` 32 px noise cutouts,
clusters brighter in the centre) and a ``--ensemble``-member ResNet18 starting model (``m31-real-resnet18``,
about 45 MB a member) trained one epoch on it, once, then runs ``starclass train --stamps LIST
--resume-from M --cv FOLDS --epochs 1`` in a fresh interpreter per run, counting the calls of
``starclass.learn.train.init_digest`` and the seconds spent in them, and the run's wall time.
``--baseline SRC`` (another checkout's ``src``, e.g. ``git archive HEAD~1 src | tar -x -C /tmp/base``)
runs the same with it, interleaved round by round (a load change on a shared machine falls on both),
and prints the ratios now / baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

#: Run in the child interpreter: the training command with init_digest counted and timed.
CHILD = r"""
import json, sys, time
import starclass.learn.train as train
from typer.testing import CliRunner
from starclass.cli import app

real = train.init_digest
calls, spent = [], []

def counted(source):
    t0 = time.perf_counter()
    try:
        return real(source)
    finally:
        calls.append(str(source))
        spent.append(time.perf_counter() - t0)

train.init_digest = counted
t0 = time.perf_counter()
res = CliRunner().invoke(app, sys.argv[1:])
wall = time.perf_counter() - t0
if res.exit_code != 0:
    sys.stderr.write(res.output)
    sys.exit(1)
print(json.dumps({"calls": len(calls), "digest_s": sum(spent), "wall_s": wall}))
"""


def write_cutouts(folder: Path, rows: int, size: int = 32) -> Path:
    """``rows`` noise cutouts in label folders and their ``labels.csv`` (cluster rows brighter in the centre)."""
    import numpy as np

    rng = np.random.default_rng(0)
    lines = ["file,label"]
    for k in range(rows):
        label = ("cluster", "galaxy")[k % 2]
        img = rng.normal(size=(size, size)).astype(np.float32)
        if label == "cluster":
            img[size // 2 - 3:size // 2 + 3, size // 2 - 3:size // 2 + 3] += 2.0
        (folder / label).mkdir(parents=True, exist_ok=True)
        np.save(folder / label / f"obj{k:03d}.npy", img)
        lines.append(f"{label}/obj{k:03d}.npy,{label}")
    (folder / "labels.csv").write_text("\n".join(lines) + "\n")
    return folder / "labels.csv"


def env_for(src: Path) -> dict[str, str]:
    """The environment of a run importing starclass from ``src``, on one thread."""
    env = dict(os.environ, PYTHONPATH=str(src), OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return env


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print one line per run and the medians (and ratios with ``--baseline``)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--ensemble", type=int, default=2)
    ap.add_argument("--rows", type=int, default=48)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--baseline", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    sources = {"now": SRC} | ({"baseline": args.baseline.resolve()} if args.baseline else {})
    with tempfile.TemporaryDirectory(prefix="cv_digest_") as tmp:
        tmp = Path(tmp)
        labels = write_cutouts(tmp / "cutouts", args.rows)
        start = tmp / "m0"
        made = subprocess.run([sys.executable, "-m", "starclass", "train", "--task", "m31-real-resnet18",
                               "--stamps", str(labels), "-o", str(start), "--epochs", "1", "--ensemble",
                               str(args.ensemble), "--no-progress", "--device", "cpu"],
                              env=env_for(SRC), capture_output=True, text=True)
        if made.returncode != 0:
            sys.stderr.write(made.stdout + made.stderr)
            return 1
        size = sum(p.stat().st_size for p in start.glob("member_*.pt"))
        print(f"starting model: {args.ensemble} member(s), {size / 1e6:.1f} MB of member files; "
              f"{args.folds} folds, {args.rows} rows")
        runs: dict[str, list[dict]] = {k: [] for k in sources}
        for r in range(args.repeats):
            for name, src in sources.items():
                out = tmp / f"cv_{name}_{r}"
                cmd = [sys.executable, "-c", CHILD, "train", "--stamps", str(labels), "--resume-from", str(start),
                       "--cv", str(args.folds), "--epochs", "1", "-o", str(out), "--no-progress", "--device", "cpu"]
                done = subprocess.run(cmd, env=env_for(src), capture_output=True, text=True)
                if done.returncode != 0:
                    sys.stderr.write(done.stdout + done.stderr)
                    return 1
                rec = json.loads(done.stdout.strip().splitlines()[-1])
                runs[name].append(rec)
                print(f"round {r + 1} {name:8s}: init_digest calls {rec['calls']}, "
                      f"{rec['digest_s'] * 1e3:.0f} ms in them, run {rec['wall_s']:.2f} s")
    med = {name: {k: statistics.median(rec[k] for rec in recs) for k in ("calls", "digest_s", "wall_s")}
           for name, recs in runs.items()}
    for name, m in med.items():
        print(f"median {name:8s}: calls {m['calls']:g}, {m['digest_s'] * 1e3:.0f} ms hashing, run {m['wall_s']:.2f} s")
    if "baseline" in med:
        b, n = med["baseline"], med["now"]
        print(f"now / baseline: calls {n['calls']:g}/{b['calls']:g}, hashing "
              f"{n['digest_s'] / b['digest_s']:.2f}, run {n['wall_s'] / b['wall_s']:.2f}")
    if args.json:
        args.json.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()}, "runs": runs,
                                         "median": med, "load": os.getloadavg()}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
