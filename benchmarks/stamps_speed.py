"""Stamp extraction speed: 100,000 candidates x 5 bands x 32 x 32 from 4096 x 4096 mosaics.

The mosaics are written as FITS files (big-endian float32, like HST drizzled products) and
opened memory-mapped with astropy, so the benchmark reads exactly what ``starclass cutouts``
reads. It prints

* the baseline: a plain Python loop over candidates and bands with numpy slicing (on a
  subset of the candidates, all well inside the image so the baseline needs no edge
  handling), in stamps per second;
* ``extract_stamps`` (numba, parallel over candidates), in stamps per second, and the ratio;
* for information, ``make_inputs`` with the legus4 geometry and normalisation (1x/1.6x/3.2x), and
  the time to build the inputs of 3000 candidates (the classify benchmark's size).

Numba compile time is excluded (one small warm-up call first; kernels are cached on disk).
The mosaic pages are warmed up by one pass too, so the figures are for data in the page
cache. Stamps are written in batches of ``--batch`` candidates into a reused buffer (the full
100,000 x 5 x 32 x 32 float32 array would be 2 GB). The machine is shared with other jobs:
figures vary by a factor of ~2 between runs; the ratio is measured in the same process.

Usage::

    .venv/bin/python benchmarks/stamps_speed.py [--n 100000] [--size 4096] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np


def write_mosaics(directory: Path, size: int, bands: list[str], seed: int = 0) -> dict[str, Path]:
    from astropy.io import fits

    rng = np.random.default_rng(seed)
    paths = {}
    for b in bands:
        p = directory / f"bench_{b}.fits"
        data = rng.normal(0.0, 1.0, (size, size)).astype(np.float32)
        data[rng.integers(0, size, 1000), rng.integers(0, size, 1000)] = np.nan
        fits.PrimaryHDU(data).writeto(p)
        paths[b] = p
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="candidates")
    ap.add_argument("--size", type=int, default=4096, help="mosaic side (px)")
    ap.add_argument("--stamp", type=int, default=32, help="stamp side (px)")
    ap.add_argument("--batch", type=int, default=25_000, help="candidates per extract call")
    ap.add_argument("--baseline-n", type=int, default=10_000, help="candidates for the numpy loop")
    ap.add_argument("--repeat", type=int, default=3, help="timed repetitions (best is reported)")
    ap.add_argument("--workdir", type=Path, default=None, help="where to write the FITS mosaics")
    args = ap.parse_args()

    import numba
    from astropy.io import fits

    from starclass.stamps import extract_stamps, make_inputs

    bands = ["f275w", "f336w", "f438w", "f555w", "f814w"]
    tmp = tempfile.TemporaryDirectory(dir=args.workdir)
    print(f"machine: {os.cpu_count()} CPUs, numba threads {numba.get_num_threads()} (shared machine: noisy)")
    t0 = time.perf_counter()
    paths = write_mosaics(Path(tmp.name), args.size, bands)
    print(f"wrote {len(bands)} FITS mosaics of {args.size} x {args.size} in {time.perf_counter() - t0:.1f} s")
    hduls = [fits.open(paths[b], memmap=True) for b in bands]
    images = {b: h[0].data for b, h in zip(bands, hduls)}
    print(f"data: {type(images['f555w']).__name__}, dtype {images['f555w'].dtype} (big-endian, memory-mapped)")

    rng = np.random.default_rng(1)
    s = args.stamp
    x = rng.uniform(0, args.size - 1, args.n)
    y = rng.uniform(0, args.size - 1, args.n)

    # warm-up: compile (excluded) and page in the mosaics
    extract_stamps(images, x[:10], y[:10], s)
    for b in bands:
        np.add.reduce(np.asarray(images[b][:: 64]), axis=None)
    buf = np.empty((min(args.batch, args.n), len(bands), s, s), np.float32)
    vbuf = np.empty((min(args.batch, args.n), s, s), bool)

    def run_fast() -> tuple[float, float]:
        t, c = time.perf_counter(), time.process_time()
        for a in range(0, args.n, args.batch):
            e = min(args.n, a + args.batch)
            extract_stamps(images, x[a:e], y[a:e], s, out=buf[: e - a], valid_out=vbuf[: e - a])
        return time.perf_counter() - t, time.process_time() - c

    run_fast()  # pages + first-touch of the buffer

    # baseline: Python loop over candidates and bands with numpy slicing (interior only)
    nb = min(args.baseline_n, args.n)
    half = s // 2
    bx = np.clip(np.floor(x[:nb] + 0.5).astype(int), half, args.size - s + half)
    by = np.clip(np.floor(y[:nb] + 0.5).astype(int), half, args.size - s + half)
    arrs = [images[b] for b in bands]

    def run_numpy() -> tuple[float, float]:
        out = np.empty((nb, len(bands), s, s), np.float32)
        t, c = time.perf_counter(), time.process_time()
        for n in range(nb):
            x0, y0 = bx[n] - half, by[n] - half
            for k, a in enumerate(arrs):
                out[n, k] = a[y0:y0 + s, x0:x0 + s]
        return time.perf_counter() - t, time.process_time() - c

    np_runs = [run_numpy() for _ in range(args.repeat)]
    fast_runs = [run_fast() for _ in range(args.repeat)]
    t_np, c_np = min(r[0] for r in np_runs), min(r[1] for r in np_runs)
    t_fast, c_fast = min(r[0] for r in fast_runs), min(r[1] for r in fast_runs)
    rate_np = nb / t_np
    rate_fast = args.n / t_fast
    threads = numba.get_num_threads()
    print(f"numpy slicing loop : {rate_np:10,.0f} stamps/s wall  ({nb} candidates, one core, best of {args.repeat}); "
          f"{nb / c_np:,.0f} per CPU-second")
    print(f"extract_stamps     : {rate_fast:10,.0f} stamps/s wall  ({args.n} candidates x {len(bands)} bands x "
          f"{s} x {s}, best of {args.repeat}, compile time excluded); {args.n / c_fast:,.0f} per CPU-second "
          f"-> {threads * args.n / c_fast:,.0f}/s on {threads} free cores")
    print(f"ratio (wall)       : {rate_fast / rate_np:10.1f} x   (target: >= 100,000 stamps/s)")
    load = os.getloadavg()[0]
    print(f"load average       : {load:10.1f}     (above {os.cpu_count()} the wall figures are shared-machine bound;"
          " the per-CPU-second figures are not)")

    from starclass.learn.config import get_preset
    from starclass.stamps import InputSpec

    norm = get_preset("legus4").normalisation
    spec = InputSpec(bands=tuple(bands), stamp_size=32, scales=(1.0, 1.6, 3.2), normalisation=norm)
    m = min(20_000, args.n)
    make_inputs(images, x[:10], y[:10], spec)
    make_inputs(images, x[:m], y[:m], spec)  # first touch of the output memory
    t, c = time.perf_counter(), time.process_time()
    inp, _ = make_inputs(images, x[:m], y[:m], spec)
    dt, dc = time.perf_counter() - t, time.process_time() - c
    print(f"make_inputs legus4 : {m / dt:10,.0f} candidates/s wall -> {tuple(inp.shape[1:])} ({norm}, 3 scales); "
          f"{m / dc:,.0f} per CPU-second")
    t, c = time.perf_counter(), time.process_time()
    make_inputs(images, x[:3000], y[:3000], spec)
    print(f"3000 candidates    : {time.perf_counter() - t:10.3f} s wall, {time.process_time() - c:.3f} CPU-s "
          "for the legus4 inputs")
    for h in hduls:
        h.close()
    tmp.cleanup()


if __name__ == "__main__":
    main()
