"""Time `build_report` on synthetic catalogues of growing size (shared 2-core machine: noisy).

    .venv/bin/python benchmarks/report_timing.py

Prints seconds per report and the ratio to the smallest size measured in the same process.
"""

from __future__ import annotations

import tempfile
import time

from starclass.datasets.catalogs import fake_catalogs
from starclass.report import build_report


def main() -> None:
    base = None
    pred, truth = fake_catalogs(100, seed=0)  # warm-up: imports, font cache
    with tempfile.TemporaryDirectory() as d:
        build_report(pred, {"truth": truth}, d, title="warm-up", n_boot=10)
    for n in (300, 600, 2400):
        pred, truth = fake_catalogs(n, seed=1)
        with tempfile.TemporaryDirectory() as d:
            t0 = time.perf_counter()
            build_report(pred, {"truth": truth}, d, title="timing", distance_mpc=10.0, n_boot=200)
            dt = time.perf_counter() - t0
        base = base or dt
        print(f"n={n:5d}: {dt:6.2f} s  (x{dt / base:.2f} of n=300)")


if __name__ == "__main__":
    main()
