"""Read time of a compressed text catalogue (a 50,000-row ``.csv.gz``), now against a baseline checkout.

Until 2026-12-07 one ``read_catalog`` of a ``.csv.gz`` decompressed the file some four times over: the reader's
looks at its lines (damage check, head, separator, encoding, each through ``io.compressed_text.open_table_file``)
and astropy's own read of the path. Now the text is decompressed once
(:func:`starclass.io.compressed_text.decompressed_bytes`) and handed to astropy as bytes.

Each code is timed in a subprocess of its own (``PYTHONPATH`` its ``src``), alternating rounds, the median of
``--repeats`` reads after one warm read; each also counts the bytes its gzip readers gave (the decompressions).
``--baseline SRC`` is another checkout's ``src``; without it, ``git archive main src`` is unpacked into a
temporary folder and used. Prints both medians, the plain ``.csv``'s read for scale, and the ratio.

Usage::

    PYTHONPATH=$PWD/src python benchmarks/bench_compressed_read.py [--rows 50000] [--repeats 7] [--baseline SRC]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

_CHILD = r"""
import gzip, json, sys, time, warnings
warnings.simplefilter("ignore")
counted = {"bytes": 0}
_read = gzip.GzipFile.read
def read(self, *a):
    out = _read(self, *a)
    counted["bytes"] += len(out)
    return out
gzip.GzipFile.read = read
from starclass.io.catalog import read_catalog
try:  # the text kept from the read before: cleared, so that every timed read decompresses as a first one does
    from starclass.io.compressed_text import _LAST as kept
except ImportError:
    kept = {}
path, repeats = sys.argv[1], int(sys.argv[2])
read_catalog(path)  # warm: imports, astropy's registry
times = []
for _ in range(repeats):
    counted["bytes"] = 0
    kept.clear()
    t0 = time.perf_counter()
    n = len(read_catalog(path))
    times.append(time.perf_counter() - t0)
print(json.dumps({"times": times, "rows": n, "bytes": counted["bytes"]}))
"""


def _write_catalogue(folder: Path, rows: int) -> tuple[Path, Path]:
    rng = np.random.default_rng(0)
    cols = [np.arange(1, rows + 1), rng.uniform(0, 4000, rows), rng.uniform(0, 4000, rows),
            rng.uniform(10, 11, rows), rng.uniform(-30, -29, rows), rng.uniform(18, 26, rows),
            rng.integers(1, 5, rows)]
    lines = ["id,x,y,ra,dec,mag_f555w,class_ref"]
    lines += [f"{i},{x:.3f},{y:.3f},{ra:.6f},{dec:.6f},{m:.3f},{c}" for i, x, y, ra, dec, m, c in zip(*cols)]
    plain = folder / "cat.csv"
    plain.write_text("\n".join(lines) + "\n")
    packed = folder / "cat.csv.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    return plain, packed


def _run(src: Path, path: Path, repeats: int) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(path), str(repeats)], check=True, capture_output=True,
                         text=True, env={"PYTHONPATH": str(src), "OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds of (now, baseline)")
    ap.add_argument("--baseline", type=Path, default=None, help="another checkout's src (default: git archive main)")
    args = ap.parse_args()
    here = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory(prefix="bench_compressed_read_") as tmp:
        tmp = Path(tmp)
        base = args.baseline
        if base is None:
            archive = subprocess.run(["git", "-C", str(here), "archive", "main", "src"], check=True,
                                     capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
            base = tmp / "src"
        plain, packed = _write_catalogue(tmp, args.rows)
        now: dict[str, list] = {"times": [], "bytes": []}
        old: dict[str, list] = {"times": [], "bytes": []}
        for _ in range(args.rounds):
            for into, src in ((now, here / "src"), (old, base)):
                r = _run(src, packed, args.repeats)
                into["times"] += r["times"]
                into["bytes"].append(r["bytes"])
        flat = _run(here / "src", plain, args.repeats)
        size = plain.stat().st_size
        t_now, t_old = statistics.median(now["times"]), statistics.median(old["times"])
        print(f"{args.rows} rows, {size / 1e6:.2f} MB of text, {packed.stat().st_size / 1e6:.2f} MB gzipped; "
              f"median of {len(now['times'])} reads each")
        print(f"  plain .csv (now):       {statistics.median(flat['times']):.3f} s")
        print(f"  .csv.gz now:            {t_now:.3f} s, decompressed {now['bytes'][-1] / size:.1f} x the text")
        shown = args.baseline or "git archive main"
        print(f"  .csv.gz baseline ({shown}): {t_old:.3f} s, decompressed {old['bytes'][-1] / size:.1f} x the text")
        print(f"  ratio now / baseline:   {t_now / t_old:.2f}")


if __name__ == "__main__":
    main()
