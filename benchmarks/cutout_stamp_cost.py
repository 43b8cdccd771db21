"""Cost of stamping a ``calibrate --stamps`` calibration's images (``learn.calibration.stamps_rows_from``).

Since 2026-12-06 ``calibrate --stamps`` records, beside its list, every image's size, modification
time and SHA-256 (``stamps_of_images``), and a fine-tune that re-scores those rows checks them
(``stale_cutout_list``): an image with its recorded time and size is not read again, one with a new
time (a copy, an edit) is hashed. This script times, on a labelled cutout folder (default: the 869
PAndAS cutouts of ``../shared/data/pandas-m31``)::

    nice -n 10 .venv/bin/python benchmarks/cutout_stamp_cost.py

* ``record``: the stamp ``calibrate`` writes (every image hashed);
* ``check, unchanged``: the fine-tune's check of the folder as recorded (times compared only);
* ``check, copied``: the same check on a copy of the folder (new times: every image hashed);
* ``manifest bytes per 1000 cutouts``: what the stamps add to the model's ``manifest.json``, in the form
  written until 2026-12-06 (one ``[name, size, time, SHA-256]`` a cutout inside the manifest, computed here
  from the same record) and now (the side file's name, count and digest; the rows in the side file, whose
  bytes are printed too).

Each ``--repeats`` times (best and median seconds) and one JSON line. The copy is made under
``--tmp`` (default: the system's temporary folder) and deleted.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path


def timed(fn, repeats: int) -> tuple[float, float]:
    """Best and median seconds of ``repeats`` calls of ``fn``."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def manifest_bytes(rec: dict, scratch: Path) -> dict:
    """Bytes the image stamps of ``rec`` add to a manifest inline (the old form) and as a side-file record (now).

    Each is the difference between a manifest holding the calibration's ``rows_from`` with and without them,
    written as ``save_calibration`` writes a manifest (indent 2, at the same depth); the side file is written
    into ``scratch``.
    """
    from starclass.learn.checkpoint import IMAGES_RECORD, _write_image_stamps

    def dumped(rows_from: dict) -> int:
        return len(json.dumps({"calibration": {"rows_from": rows_from}}, indent=2).encode())

    bare = {k: v for k, v in rec.items() if k != "stamps_of_images"}
    record = _write_image_stamps(scratch, rec["stamps_of_images"])
    return {"manifest_bytes_inline": dumped(rec) - dumped(bare),
            "manifest_bytes_record": dumped({**bare, IMAGES_RECORD: record}) - dumped(bare),
            "side_file_bytes": (scratch / record["file"]).stat().st_size}


def main(argv: list[str] | None = None) -> dict:
    """Time the record and the two checks; print them and return them."""
    from starclass.learn.calibration import stale_cutout_list, stamps_rows_from

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = Path(__file__).resolve().parents[1]
    ap.add_argument("--stamps", type=Path, default=here.parent / "shared" / "data" / "pandas-m31")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--tmp", type=Path, default=None)
    args = ap.parse_args(argv)
    if not args.stamps.exists():
        raise SystemExit(f"no cutout folder {args.stamps}")
    rec = stamps_rows_from(args.stamps, args.stamps, "label")
    n = len(rec["stamps_of_images"])
    size = sum(int(s[1]) for s in rec["stamps_of_images"])
    out = {"images": n, "bytes": size}
    out["record"] = timed(lambda: stamps_rows_from(args.stamps, args.stamps, "label"), args.repeats)
    out["check_unchanged"] = timed(lambda: stale_cutout_list(args.stamps, rec), args.repeats)
    with tempfile.TemporaryDirectory(dir=args.tmp) as d:
        copy = Path(d) / args.stamps.name
        shutil.copytree(args.stamps, copy, copy_function=shutil.copy)  # new modification times, the same bytes
        rec_copy = dict(rec, stamps_of_list=None if rec["stamps_of_list"] is None else
                        {**rec["stamps_of_list"], "mtime_ns": 0})
        assert stale_cutout_list(copy, rec_copy) is None
        out["check_copied"] = timed(lambda: stale_cutout_list(copy, rec_copy), args.repeats)
        out.update(manifest_bytes(rec, Path(d)))
    print(f"{n} images, {size / 1e6:.1f} MB in {args.stamps}")
    for key in ("record", "check_unchanged", "check_copied"):
        best, med = out[key]
        print(f"{key:16s} best {best:.3f} s, median {med:.3f} s")
    per = 1000 / max(n, 1)
    print(f"manifest bytes per 1000 cutouts: before {out['manifest_bytes_inline'] * per:,.0f}, after "
          f"{out['manifest_bytes_record'] * per:,.0f} (the record is {out['manifest_bytes_record']} bytes for any "
          f"number of cutouts; its side file {out['side_file_bytes'] * per:,.0f} per 1000)")
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
