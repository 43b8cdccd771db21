"""Memory and time of a survey tile's window read with plain file reads against through the memory map.

Since 2026-12-07 a tile (:class:`starclass.survey.tiles.MosaicWindow`) reads its window's pixels and weight
maps with plain file reads into memory (:func:`starclass.io.mosaic.read_window`), where it handed detection
slices of the mosaics' memory maps: a page of a map past the end of a file cut short while the survey ran killed
the process with SIGBUS. This measures what that costs on a mosaic of ``--side`` px square, two bands, each with
a weight map file beside it (float32), and a window of ``--window`` px (a 2048 px tile with its 64 px overlap on
each side: 2176), in the middle of the mosaic. Each way runs in a process of its own (its peak RSS its own):

* ``mapped``: the window as slices of the maps, every pixel and weight touched (np.nansum), as detection does;
* ``read``: ``MosaicWindow(mosaics, window)``, its data and weights (copies) summed the same way.

With ``--plan-check`` it measures instead the plan check's whole-mosaic reads of each band (counts or not,
the padding's side, the sampled padding share: :func:`starclass.io.counts.photon_counts`,
:func:`starclass.io.mosaic.padding_side`, :func:`starclass.io.mosaic.sampled_padding`), ``mapped`` through the
maps as before 2026-12-07 and ``read`` through :class:`starclass.io.mosaic.PlainReads` (plain reads, block by
block), as the survey's plan check reads them now. ``--counts`` writes images of photon counts (Poisson, 0.05
counts/px), which those checks read whole (a float image stops at its first strip)::

    nice -n 10 .venv/bin/python benchmarks/survey_window_memory.py --side 4096 --plan-check --counts

The peak RSS of both is mostly the imports and the opening of the mosaics; what the window adds is measured
from ``/proc/self/status`` before and after it is read.

::

    nice -n 10 .venv/bin/python benchmarks/survey_window_memory.py --side 8192

It prints, per way, the peak RSS (MiB; ``ru_maxrss``), its anonymous and file-backed parts at the end
(``RssAnon``, ``RssFile`` of ``/proc/self/status``, Linux) and the seconds of the window's read; then the ratios
read / mapped and the window's bytes / the whole mosaic's (images and weight maps), and a JSON line. The mosaic
is written under ``--tmp`` (default: the system's temporary folder) and deleted.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BANDS = ("g", "i")


def write_mosaic(folder: Path, side: int, counts: bool = False) -> int:
    """Two bands of ``side`` px square with a weight map file each; returns the bytes written."""
    import numpy as np
    from astropy.io import fits

    from starclass.bands import BANDS as KNOWN
    from starclass.io.mosaic import write_mosaic as write_band

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    for b in BANDS:
        img = (rng.poisson(0.05, (side, side)) if counts else rng.normal(0.0, 0.05, (side, side))).astype("f4")
        write_band(folder / f"f_{b}.fits", img, b, None, photflam=KNOWN[b].photflam, photplam=KNOWN[b].photplam)
        fits.PrimaryHDU(np.ones((side, side), np.float32)).writeto(folder / f"f_{b}_wht.fits")
        del img
    return sum(p.stat().st_size for p in folder.iterdir())


def _status() -> dict[str, int]:
    """RssAnon and RssFile of this process (KiB), where /proc says them."""
    out = {}
    try:
        text = Path("/proc/self/status").read_text()
    except OSError as exc:
        # not Linux: said, and the memory columns come out NaN rather than a silent 0 MiB added
        print(f"survey_window_memory: cannot read /proc/self/status ({exc}); memory figures are NaN", file=sys.stderr)
        return out
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key in ("RssAnon", "RssFile"):
            out[key] = int(value.split()[0])
    return out


def plan_check(mos, plain: bool) -> float:
    """The plan check's whole-mosaic reads of each band, through the maps or with plain reads; a checksum."""
    import numpy as np

    from starclass.io.counts import photon_counts
    from starclass.io.mosaic import PlainReads, padding_side, sampled_padding

    total = 0.0
    for b in BANDS:
        arr = PlainReads(mos.data[b], mos.paths[b]) if plain else mos.data[b]

        def unusable(rows, arr=arr):
            return ~np.isfinite(np.asarray(arr[rows]))

        side = padding_side(arr, unusable)
        total += float(photon_counts(arr, unusable)) + side + sampled_padding(arr, side=side)
    return total


def one_way(folder: Path, way: str, window: int) -> dict[str, float]:
    """The window read one way, in this process: peak RSS, its parts and seconds."""
    import numpy as np

    from starclass.io.mosaic import read_mosaics
    from starclass.survey.tiles import MosaicWindow

    mos = read_mosaics(folder, pixel_scale=0.04)
    ny, nx = mos.shape
    x0, y0 = max(0, (nx - window) // 2), max(0, (ny - window) // 2)
    box = (x0, min(nx, x0 + window), y0, min(ny, y0 + window))
    rows, cols = slice(box[2], box[3]), slice(box[0], box[1])
    start = _status()
    t0 = time.perf_counter()
    if way.startswith("plan-"):
        held = [np.array([plan_check(mos, way == "plan-read")])]
    elif way == "mapped":
        held = [mos.data[b][rows, cols] for b in BANDS] + [mos.weights[b][rows, cols] for b in BANDS]
    else:
        w = MosaicWindow(mos, box)
        held = [w.data[b] for b in BANDS] + [w.weights[b] for b in BANDS]
    total = float(sum(np.nansum(a, dtype=np.float64) for a in held))
    seconds = time.perf_counter() - t0
    parts = _status()
    nan = float("nan")
    grew = {k: (parts[k] - start[k]) / 1024 if k in parts and k in start else nan for k in ("RssAnon", "RssFile")}
    return {"peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "window_anon_mib": grew["RssAnon"], "window_file_mib": grew["RssFile"],
            "rss_anon_mib": parts.get("RssAnon", nan) / 1024, "rss_file_mib": parts.get("RssFile", nan) / 1024,
            "seconds": seconds, "sum": total}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--side", type=int, default=8192, help="side of the mosaic (px)")
    ap.add_argument("--window", type=int, default=2176, help="side of the window read (px): a 2048 px tile + 2 x 64")
    ap.add_argument("--tmp", type=Path, default=None, help="folder for the mosaic (deleted after)")
    ap.add_argument("--plan-check", action="store_true", help="measure the plan check's whole-mosaic reads instead")
    ap.add_argument("--counts", action="store_true", help="photon-count images (read whole by the plan check)")
    ap.add_argument("--one", nargs=2, metavar=("FOLDER", "WAY"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one_way(Path(args.one[0]), args.one[1], args.window)))
        return
    work = Path(tempfile.mkdtemp(dir=args.tmp))
    try:
        size = write_mosaic(work / "field", args.side, args.counts)
        result: dict[str, object] = {"side": args.side, "window": args.window, "mosaic_mib": size / 2**20,
                                     "plan_check": args.plan_check, "counts": args.counts,
                                     "window_mib": 4 * len(BANDS) * 2 * args.window**2 / 2**20}
        for way in ("mapped", "read"):
            r = subprocess.run([sys.executable, __file__, "--one", str(work / "field"),
                                f"plan-{way}" if args.plan_check else way,
                                "--window", str(args.window)], capture_output=True, text=True, check=True)
            result[way] = json.loads(r.stdout.strip().splitlines()[-1])
            m = result[way]
            what = "plan check" if args.plan_check else "window"
            print(f"{way:6s}: peak RSS {m['peak_rss_mib']:7.1f} MiB; the {what} added {m['window_anon_mib']:.1f} MiB "
                  f"anonymous, {m['window_file_mib']:.1f} MiB file-backed (page cache); read and summed in "
                  f"{m['seconds']:.3f} s")
        mapped, read = result["mapped"], result["read"]
        assert abs(mapped["sum"] - read["sum"]) <= 1e-6 * max(1.0, abs(mapped["sum"])), (mapped["sum"], read["sum"])
        result["ratio_peak_rss_read_over_mapped"] = read["peak_rss_mib"] / mapped["peak_rss_mib"]
        result["ratio_seconds_read_over_mapped"] = read["seconds"] / mapped["seconds"]
        result["ratio_window_over_mosaic"] = result["window_mib"] / result["mosaic_mib"]
        head = (f"read / mapped: peak RSS x{result['ratio_peak_rss_read_over_mapped']:.2f}, seconds "
                f"x{result['ratio_seconds_read_over_mapped']:.2f}; ")
        if args.plan_check:  # what the reads added (anonymous + page cache) against the whole mosaic
            added = read["window_anon_mib"] + read["window_file_mib"]
            result["ratio_read_added_over_mosaic"] = added / result["mosaic_mib"]
            print(head + f"the plain reads added {added:.0f} MiB, {result['ratio_read_added_over_mosaic']:.3f} of the "
                  f"mosaic ({result['mosaic_mib']:.0f} MiB of images and weights)")
        else:
            print(head + f"the window ({result['window_mib']:.0f} MiB of images and weights) is "
                  f"{result['ratio_window_over_mosaic']:.3f} of the mosaic ({result['mosaic_mib']:.0f} MiB)")
        print(json.dumps(result))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
