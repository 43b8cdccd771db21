"""Peak memory of simulating and detecting an 8192 x 8192 five-band field.

Each phase runs in a fresh subprocess whose peak resident memory (``ru_maxrss``) is read
when it ends, so the figures are those of the phase alone:

1. ``simulate``: ``starclass.simulate.simulate_to_disk`` writes the five FITS mosaics
   (the simulator renders band by band); falls back to the quick synthetic field of
   ``starclass.datasets.fields`` written band by band when the simulator is absent
   (or with --synthetic);
2. ``detect``: ``read_mosaics`` (memory-mapped) + ``detect`` (strip-wise detection,
   block-wise photometry in five bands) + ``write_catalog``;
3. ``both``: the two in one process, one after the other (the figure the issue asks for).

    .venv/bin/python benchmarks/detect_memory.py [--size 8192] [--n 12000] [--synthetic] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r'''
import json, resource, sys, time
from pathlib import Path
phase, size, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
outdir, synthetic = Path(sys.argv[4]), sys.argv[5] == "1"
t0 = time.perf_counter()
out = {}

def simulate():
    if not synthetic:
        try:
            from starclass.simulate import SimConfig, simulate_to_disk
            simulate_to_disk(SimConfig(seed=2, shape=(size, size), n_candidates=n), outdir)
            return "starclass.simulate"
        except ImportError as err:
            # an install without the simulator's extras: say which field the figures are of
            print(f"starclass.simulate not importable ({err}); measuring on synthetic_field instead", flush=True)
    import numpy as np
    from starclass.bands import BANDS
    from starclass.datasets.fields import synthetic_field
    from starclass.io.mosaic import write_mosaic
    for b in ("f275w", "f336w", "f438w", "f555w", "f814w"):
        m, _ = synthetic_field((size, size), n, bands=(b,), seed=2, min_separation=6.0)
        write_mosaic(outdir / f"syn_{b}.fits", m.data[b], b, None, photflam=BANDS[b].photflam,
                     photplam=BANDS[b].photplam, exptime=2000.0, overwrite=True)
        del m
    return "synthetic"

def detect():
    from starclass.detect import detect as run
    from starclass.io.catalog import write_catalog
    from starclass.io.mosaic import read_mosaics
    ms = read_mosaics(outdir, pixel_scale=0.04)
    cat = run(ms, progress=False, aperture_correction="ci")
    write_catalog(cat, outdir / "candidates.ecsv", overwrite=True)  # the benchmark's scratch folder
    return len(cat)

if phase in ("simulate", "both"):
    out["field"] = simulate()
    out["t_simulate"] = time.perf_counter() - t0
if phase in ("detect", "both"):
    t1 = time.perf_counter()
    out["n_candidates"] = detect()
    out["t_detect"] = time.perf_counter() - t1
out["peak_rss_gib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
print(json.dumps(out))
'''


def run(phase: str, size: int, n: int, outdir: Path, synthetic: bool) -> dict:
    res = subprocess.run(
        [sys.executable, "-c", CHILD, phase, str(size), str(n), str(outdir), "1" if synthetic else "0"],
        capture_output=True, text=True,
    )
    if res.returncode != 0:
        raise SystemExit(f"phase {phase} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=8192)
    ap.add_argument("--n", type=int, default=12000, help="candidates in the field")
    ap.add_argument("--synthetic", action="store_true")
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--limit-gib", type=float, default=4.0)
    args = ap.parse_args()
    print("machine shared with other engineers: times are noisy; memory figures are per process")
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        sim = run("simulate", args.size, args.n, tmp / "a", args.synthetic)
        det = run("detect", args.size, args.n, tmp / "a", args.synthetic)
        both = run("both", args.size, args.n, tmp / "b", args.synthetic)
        print(f"field: {sim['field']} {args.size} x {args.size}, five bands, {args.n} candidates simulated")
        print(f"simulate alone: peak RSS {sim['peak_rss_gib']:.2f} GiB, {sim['t_simulate']:.0f} s")
        print(f"detect alone  : peak RSS {det['peak_rss_gib']:.2f} GiB, {det['t_detect']:.0f} s, "
              f"{det['n_candidates']} candidates")
        print(f"simulate + detect in one process: peak RSS {both['peak_rss_gib']:.2f} GiB "
              f"-> {'PASS' if both['peak_rss_gib'] < args.limit_gib else 'FAIL'} (limit {args.limit_gib} GiB)")
        print(f"total wall time {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
