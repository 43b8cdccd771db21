"""Peak and held resident memory of :func:`starclass.learn.train.fit`, and how much of the held part is imports.

    PYTHONPATH=src .venv/bin/python benchmarks/fit_memory.py [--n 3000] [--epochs 1] [--baseline OLD_SRC]
        [--json out.json]

Each run is a fresh interpreter (one torch thread): numpy, torch and ``starclass.learn.train`` imported, random
inputs ``[n, 15, 32, 32]`` float32 of the demo's task (legus4-compact) made, then ``fit`` on them, with a thread
sampling the resident memory every 20 ms. It prints, above the memory before ``fit``: the peak, what is held
after ``fit`` returned (result dropped, ``gc.collect``, ``malloc_trim``), and what importing only the modules
``fit`` imported (listed from ``sys.modules`` in the first run) costs in a second fresh interpreter: held minus
that is what ``fit`` keeps of its data. ``--baseline SRC`` runs the same with another checkout's ``src`` at the
same time and prints the ratios.

``--phases`` also gives, for each run, the peak above the memory before ``fit`` within each of its steps
(:func:`~starclass.learn.train.prepare_data`, :func:`~starclass.learn.train.data_digest`, the member's setup with
its optimizer, each epoch's training and validation, the batch-norm pass, the calibration's loading, its passes
over the validation rows (``member_probabilities``, plain and TTA) and its fit), where the sampler found it: what
the peak is made of. Found so (2026-12-06): the peak was the calibration's TTA pass, the eight views of a batch as
one batch of 8 x 128 stamps (+175 MiB for one pass against +14 MiB plain); the views now go one at a time.
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

CHILD = r"""
import ctypes, gc, json, os, sys, tempfile, threading, time, warnings
page = os.sysconf("SC_PAGE_SIZE")
def rss():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * page
def trim():
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
import numpy as np, torch
torch.set_num_threads(1)
from starclass.learn.config import get_preset
from starclass.learn.train import fit
mode, n, epochs, mods, phases = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5] == "1"
if mode == "imports":
    import importlib
    trim(); base = rss()
    for m in json.load(open(mods)):
        try:
            importlib.import_module(m)
        except Exception:
            pass
    trim()
    print(json.dumps({"imports": rss() - base}))
    sys.exit()
cfg = get_preset("legus4-compact", stamp_size=32)
x = np.random.default_rng(0).normal(size=(n, cfg.n_channels, 32, 32)).astype(np.float32)
y = np.random.default_rng(1).integers(1, 5, n)
# the step of fit running now (innermost last) and the peak seen in each: where the peak is made
stack, step_peaks = [], {}
if phases:
    import functools
    import starclass.learn.calibration as cal_mod
    import starclass.learn.checkpoint as ck_mod
    import starclass.learn.classify as cl_mod
    import starclass.learn.train as train_mod
    def watch(owner, name):
        f = getattr(owner, name)
        @functools.wraps(f)
        def step(*a, **k):
            label = name + ("(tta)" if k.get("tta") else "")
            stack.append(label)
            try:
                return f(*a, **k)
            finally:
                stack.pop()
        setattr(owner, name, step)
    for owner, names in ((train_mod, ("prepare_data", "data_digest", "recalibrate_batchnorm",
                                      "_calibrate_on_validation")),
                         (train_mod.MemberTrainer, ("setup", "train_epoch", "validate", "end_epoch", "finish")),
                         (ck_mod, ("load_model",)), (cl_mod, ("member_probabilities",)),
                         (cal_mod, ("fit_with_and_without_tta",))):
        for name in names:
            watch(owner, name)
trim(); base = rss(); before = set(sys.modules); peak = [base]
def sample():
    while True:
        r = rss()
        peak[0] = max(peak[0], r)
        where = "/".join(stack) or "(between steps)"
        step_peaks[where] = max(step_peaks.get(where, 0), r - base)
        time.sleep(0.005 if phases else 0.02)
threading.Thread(target=sample, daemon=True).start()
t = time.perf_counter()
with tempfile.TemporaryDirectory() as d, warnings.catch_warnings():
    warnings.simplefilter("ignore")
    r = fit(cfg, x, y, outdir=d, progress=False, device="cpu", epochs=epochs, seed=0)
    seconds = time.perf_counter() - t
    held_result = rss() - base
    del r
trim()
json.dump(sorted(set(sys.modules) - before), open(mods, "w"))
print(json.dumps({"inputs": x.nbytes, "peak": peak[0] - base, "held_with_result": held_result,
                  "held": rss() - base, "seconds": seconds, "steps": step_peaks}))
"""


def _run(src: str, mode: str, n: int, epochs: int, mods: str, phases: bool = False) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=src, OMP_NUM_THREADS="1")
    return subprocess.Popen([sys.executable, "-c", CHILD, mode, str(n), str(epochs), mods, str(int(phases))],
                            env=env, stdout=subprocess.PIPE, text=True)


def _collect(procs: dict[str, subprocess.Popen]) -> dict[str, dict]:
    out = {}
    for name, p in procs.items():
        text, _ = p.communicate()
        if p.returncode:
            sys.exit(f"{name} run failed (exit {p.returncode})")
        out[name] = json.loads(text.strip().splitlines()[-1])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--baseline", help="another checkout's src, run at the same time")
    ap.add_argument("--json", help="write the figures here")
    ap.add_argument("--phases", action="store_true", help="also the peak within each step of fit")
    a = ap.parse_args()
    srcs = {"now": str(SRC)} | ({"baseline": a.baseline} if a.baseline else {})
    with tempfile.TemporaryDirectory() as tmp:
        mods = {k: str(Path(tmp) / f"{k}.json") for k in srcs}
        res = _collect({k: _run(s, "fit", a.n, a.epochs, mods[k], a.phases) for k, s in srcs.items()})
        imp = _collect({k: _run(s, "imports", a.n, a.epochs, mods[k]) for k, s in srcs.items()})
    mib = 2 ** 20
    for k in srcs:
        r = res[k] | imp[k]
        r["held_minus_imports"] = r["held"] - r["imports"]
        res[k] = r
        print(f"{k:9s} inputs {r['inputs'] / mib:6.0f} MiB  peak +{r['peak'] / mib:5.0f}  held with result "
              f"+{r['held_with_result'] / mib:5.0f}  held +{r['held'] / mib:5.0f}  of which imports "
              f"{r['imports'] / mib:5.0f}  rest {r['held_minus_imports'] / mib:5.0f} MiB  fit {r['seconds']:.1f} s")
        for where, value in sorted(r["steps"].items(), key=lambda kv: -kv[1]) if a.phases else ():
            print(f"{'':9s} peak +{value / mib:5.0f} MiB in {where}")
    if a.baseline:
        for key in ("peak", "held", "imports"):
            print(f"ratio {key}: {res['now'][key] / max(res['baseline'][key], 1):.2f}")
    if a.json:
        Path(a.json).write_text(json.dumps({"n": a.n, "epochs": a.epochs, "runs": res}, indent=1) + "\n")


if __name__ == "__main__":
    main()
