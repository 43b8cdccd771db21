"""Cost of the file stamp a calibration records of its mosaics and catalogue (``learn.calibration.file_stamp``).

``calibrate`` records a stamp of every file its rows were read from, and a fine-tune that re-scores
those rows compares it with the files as they are now (``stale_file``). Until 2026-12-06 the stamp
held a sampled digest (8 blocks of 64 KiB): an in-place edit of a large mosaic between sampled
blocks, same size and a new modification time, read as the same file. It now holds the SHA-256 of
the whole file. This script writes a file of ``--size-gb`` GB of random bytes and times both
digests, each once cold-ish (just written, so mostly in the page cache) and ``--repeats`` times::

    nice -n 10 .venv/bin/python benchmarks/file_stamp_cost.py --size-gb 1

It prints one line per digest (best and median seconds, GB/s) and a JSON line. The file is
written under ``--tmp`` (default: the system's temporary folder) and deleted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path


def write_file(path: Path, size_gb: float) -> int:
    """``size_gb`` GB of random bytes in 16 MiB blocks; returns the size in bytes."""
    block = 16 << 20
    n = int(size_gb * 1e9)
    chunk = os.urandom(block)
    with open(path, "wb") as fh:
        left = n
        while left > 0:
            fh.write(chunk[: min(block, left)])
            left -= block
    return n


def timed(fn, repeats: int) -> list[float]:
    """Wall-clock seconds of ``repeats`` calls of ``fn``."""
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    from starclass.learn.calibration import _file_digest, _file_sample

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-gb", type=float, default=1.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--tmp", default=None, help="folder to write the test file in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        path = Path(tmp) / "mosaic.bin"
        size = write_file(path, args.size_gb)
        result = {"size_bytes": size}
        for name, fn in (("sampled (8 x 64 KiB, before)", lambda: _file_sample(path, size)),
                         ("sha256 of the whole file (now)", lambda: _file_digest(path))):
            secs = timed(fn, args.repeats)
            best, med = min(secs), statistics.median(secs)
            print(f"{name}: best {best:.3f} s, median {med:.3f} s, {size / 1e9 / best:.2f} GB/s "
                  f"({args.size_gb:g} GB, {args.repeats} runs)")
            result[name] = {"best_s": round(best, 4), "median_s": round(med, 4)}
        print(json.dumps(result))


if __name__ == "__main__":
    main()
