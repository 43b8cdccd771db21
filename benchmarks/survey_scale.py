"""Survey throughput, memory per worker and the 1 -> 2 worker speed-up (docs/survey.md).

Builds synthetic surveys of N catalogued candidates (g and i mosaics of Gaussian sources,
m31-binary-compact geometry, one source per ~100 px^2 so that N = 10^6 fits in 0.8 GB of
FITS), runs ``starclass survey`` on them with given positions (the M31 search: no detection,
``photometry: skip``) on a LocalCluster of 1 and then 2 single-threaded process workers, and
prints candidates per second (FITS to merged catalogue), the tile phase alone, peak memory per
worker, and the ratio. ``--detect-mpx`` times detection plus photometry per megapixel on a
field of that many megapixels (one worker). Every figure is measured in this process; on a
machine shared with others compare the ratios, not the absolute times.

The model is an untrained compact network: its cost does not depend on its weights.

Usage::

    nice -n 10 .venv/bin/python benchmarks/survey_scale.py --sizes 10000,100000 --workers 1,2
    nice -n 10 .venv/bin/python benchmarks/survey_scale.py --sizes 1000000 --workers 2
    nice -n 10 .venv/bin/python benchmarks/survey_scale.py --sizes 0 --detect-mpx 16
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np


def make_model(d: Path) -> Path:
    from starclass.learn.checkpoint import write_untrained_model
    from starclass.learn.config import get_preset

    # overwrite: a rerun of the benchmark replaces the model it wrote before
    return write_untrained_model(d, get_preset("m31-binary-compact"), overwrite=True)


def make_field(d: Path, side: int, n: int, seed: int) -> None:
    """A side x side g, i field with n Gaussian sources (sigma 1.5 px) and their catalogue."""
    from astropy.table import Table

    from starclass.bands import BANDS
    from starclass.io.mosaic import write_mosaic
    from starclass.simulate import preset
    from starclass.simulate.field import make_wcs

    rng = np.random.default_rng(seed)
    x = rng.uniform(2, side - 3, n)
    y = rng.uniform(2, side - 3, n)
    wcs = make_wcs(preset("m31", shape=(side, side)))
    d.mkdir(parents=True, exist_ok=True)
    k = np.arange(-4, 5)
    for b in ("g", "i"):
        img = rng.normal(0.0, 0.05, (side, side)).astype("f4")
        for s in range(0, n, 200_000):  # bounded memory for the stamps being added
            xs, ys = x[s:s + 200_000], y[s:s + 200_000]
            ix, iy = np.floor(xs).astype(int), np.floor(ys).astype(int)
            px = np.clip(ix[:, None, None] + k[None, None, :], 0, side - 1)
            py = np.clip(iy[:, None, None] + k[None, :, None], 0, side - 1)
            px, py = np.broadcast_arrays(px, py)
            val = 50 * np.exp(-((px - xs[:, None, None]) ** 2 + (py - ys[:, None, None]) ** 2) / 4.5)
            np.add.at(img, (py.ravel(), px.ravel()), val.ravel().astype("f4"))
        write_mosaic(d / f"f_{b}.fits", img, b, wcs, photflam=BANDS[b].photflam, photplam=BANDS[b].photplam,
                     overwrite=True)
        del img
    Table({"id": np.arange(1, n + 1), "x": x, "y": y}).write(d / "cat.parquet", overwrite=True)


def make_survey(root: Path, n_total: int) -> Path:
    """Fields of at most 2.5 x 10^5 candidates (5000 px side, one per 100 px^2) summing to n_total."""
    per = min(n_total, 250_000)
    n_fields = math.ceil(n_total / per)
    lines = ["fields:"]
    for f in range(n_fields):
        n = min(per, n_total - f * per)
        side = int(math.ceil(math.sqrt(n * 100)))
        make_field(root / f"f{f}", max(side, 256), n, seed=f)
        lines.append(f"  - {{name: f{f}, mosaics: f{f}, positions: f{f}/cat.parquet}}")
    (root / "plan.yaml").write_text("\n".join(lines) + "\n")
    return root / "plan.yaml"


def run(plan_path: Path, model: Path, out: Path, workers: int, *, photometry: str, tile: int) -> dict:
    from starclass.survey import read_plan, run_survey

    shutil.rmtree(out, ignore_errors=True)
    plan = read_plan(plan_path).with_options(model=model, photometry=photometry, tile_size=tile)
    t0 = time.perf_counter()
    r = run_survey(plan, out, n_workers=workers, threads_per_worker=1, progress=False, echo=lambda s: None)
    wall = time.perf_counter() - t0
    s = r.summary
    # duplicates and gaps: every input id once in the merged catalogue (given positions keep their ids)
    import pyarrow.parquet as pq

    dups = missing = None
    if all(f.positions is not None for f in plan.fields):
        merged = pq.read_table(out / "catalogue", columns=["field", "id"]).to_pandas()
        n_input = sum(pq.read_metadata(f.positions).num_rows for f in plan.fields)
        dups = int(merged.duplicated(["field", "id"]).sum())
        missing = n_input - (len(merged) - dups)
    return {"workers": workers, "duplicates": dups, "missing": missing, "n": s["n_candidates"], "wall_s": wall,
            "tiles_s": s["seconds"]["tiles"],
            "merge_s": s["seconds"]["merge"], "cand_per_s": s["n_candidates"] / wall,
            "task_sums_s": s["seconds"]["task_sums"],
            "find_s_per_mpx": s.get("find_seconds_per_megapixel"),
            "find_cpu_s_per_mpx": s.get("find_cpu_seconds_per_megapixel"), "start_s": s["seconds"]["start"],
            "cpu_s": s["cpu_seconds"], "cand_per_cpu_s": s["candidates_per_cpu_second"],
            "peak_rss_gib": [b / 2**30 for b in s["peak_rss_per_worker_bytes"]], "n_tiles": s["n_tiles"]}


def cost_model(figures: dict, gpu_rate: float | None = None) -> list[str]:
    """Lines of the cost table for 2e5 / 1e6 / 14e6 candidates on 1, 8, 64 workers and one GPU.

    Per-candidate cost: the largest run's CPU seconds per candidate of one single-threaded
    worker (CPU time, so the other jobs on a shared machine do not inflate it); start: the
    measured cluster start; merge: the measured merge time scaled linearly; parallel
    efficiency 0.9 assumed beyond the measured workers (shared file system and scheduler not
    modelled). The GPU line is an estimate unless ``gpu_rate`` (candidates/s) was measured.
    """
    runs = [r for run in figures["runs"] for r in run["results"]]
    big = max(runs, key=lambda r: (r["n"], -r["workers"]))
    per_cand = big["cpu_s"]["total"] / big["n"]
    start = min(r["start_s"] for r in runs)
    merge_per = big["merge_s"] / big["n"]
    lines = [f"per candidate {per_cand * 1e3:.2f} CPU ms (N = {big['n']}), start {start:.0f} s, "
             f"merge {merge_per * 1e6:.1f} s per 10^6", "| candidates | 1 worker | 8 workers | 64 workers | one GPU |",
             "|---|---|---|---|---|"]
    for n in (200_000, 1_000_000, 14_000_000):
        cells = []
        for w in (1, 8, 64):
            eff = 1.0 if w == 1 else 0.9
            cells.append(start + n * per_cand / (w * eff) + n * merge_per)
        g = start + n / gpu_rate + n * merge_per if gpu_rate else None
        fmt = [f"{c / 60:.1f} min" if c < 7200 else f"{c / 3600:.1f} h" for c in cells]
        lines.append(f"| {n:,} | " + " | ".join(fmt) + f" | {'%.1f min' % (g / 60) if g else 'n/a'} |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000", help="total candidates per survey (0: none)")
    ap.add_argument("--workers", default="1,2", help="LocalCluster sizes (single-threaded workers)")
    ap.add_argument("--tile", type=int, default=1024)
    ap.add_argument("--photometry", default="skip", help="skip (M31-style catalogue) or growth/ci/none")
    ap.add_argument("--detect-mpx", type=float, default=0.0, help="also time detection + photometry on this many Mpx")
    ap.add_argument("--json", default=None, help="write the figures here")
    ap.add_argument("--workdir", default=None, help="folder for the synthetic surveys (default: a temp dir)")
    ap.add_argument("--cost-from", default=None, help="print the cost model from a --json file and stop")
    ap.add_argument("--gpu-rate", type=float, default=None, help="candidates/s of one GPU worker, for the cost model")
    args = ap.parse_args()
    if args.cost_from:
        print("\n".join(cost_model(json.loads(Path(args.cost_from).read_text()), args.gpu_rate)))
        return
    root = Path(args.workdir or tempfile.mkdtemp(prefix="survey_scale_"))
    model = make_model(root / "model")
    out: dict = {"load_average_start": os.getloadavg(), "runs": [], "detect": None}
    for n in [int(float(s)) for s in args.sizes.split(",") if float(s) > 0]:
        t = time.perf_counter()
        plan = make_survey(root / f"n{n}", n)
        print(f"N = {n}: survey written in {time.perf_counter() - t:.0f} s", flush=True)
        rows = []
        for w in [int(v) for v in args.workers.split(",")]:
            r = run(plan, model, root / f"out{n}_{w}", w, photometry=args.photometry, tile=args.tile)
            rows.append(r)
            print(f"  {w} worker(s): {r['wall_s']:.1f} s FITS -> merged catalogue ({r['cand_per_s']:.0f} cand/s), "
                  f"start {r['start_s']:.1f} s, tiles {r['tiles_s']:.1f} s ({r['n'] / r['tiles_s']:.0f} cand/s), "
                  f"merge {r['merge_s']:.1f} s, {r['cand_per_cpu_s']:.0f} cand per CPU s, peak RSS per worker "
                  f"{', '.join(f'{g:.2f}' for g in r['peak_rss_gib'])} GiB, {r['n_tiles']} tiles, "
                  f"{r['duplicates']} duplicated and {r['missing']} missing candidates", flush=True)
        if len(rows) > 1:
            print(f"  speed-up {rows[-1]['workers']} vs {rows[0]['workers']} workers: "
                  f"{rows[0]['wall_s'] / rows[-1]['wall_s']:.2f}x (wall), "
                  f"{rows[0]['tiles_s'] / rows[-1]['tiles_s']:.2f}x (tile phase); CPU time used per wall second "
                  f"{rows[0]['cpu_s']['total'] / rows[0]['tiles_s']:.2f} vs "
                  f"{rows[-1]['cpu_s']['total'] / rows[-1]['tiles_s']:.2f}",
                  flush=True)
        out["runs"].append({"n": n, "results": rows})
        shutil.rmtree(root / f"n{n}", ignore_errors=True)
    if args.detect_mpx > 0:
        side = int(math.sqrt(args.detect_mpx * 1e6))
        d = root / "detect"
        make_field(d / "f0", side, side * side // 400, seed=99)
        (d / "plan.yaml").write_text("fields:\n  - {name: f0, mosaics: f0}\n")
        r = run(d / "plan.yaml", model, root / "out_detect", 1, photometry="growth", tile=args.tile)
        out["detect"] = r
        print(f"detection + growth photometry: {r['find_s_per_mpx']:.2f} s per Mpx (task wall time; "
              f"{r['find_cpu_s_per_mpx']:.2f} CPU s per Mpx; 1 worker, "
              f"{side} x {side} px, {r['n']} candidates); classify {r['task_sums_s']['classify']:.1f} s", flush=True)
    out["load_average_end"] = os.getloadavg()
    print(f"load average {out['load_average_start'][0]:.1f} -> {out['load_average_end'][0]:.1f} "
          f"(2-core machine shared with others: compare ratios)")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2, default=float) + "\n")
    if not args.workdir:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
