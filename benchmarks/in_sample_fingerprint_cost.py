"""What the format-blind fingerprints of the training rows cost: manifest bytes and time, on the PAndAS cutouts.

Prints, for the 869 PAndAS cutouts read as the ``m31-real`` task reads them, the size of the ``training_rows``
record with and without its ``robust`` fingerprints (as train writes it into manifest.json) and the time of
:func:`starclass.learn.provenance.row_fingerprints` against :func:`row_digests` (the exact digest, the baseline)
in the same process, best of three. Run::

    PYTHONPATH=src python benchmarks/in_sample_fingerprint_cost.py [/path/to/pandas-m31]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np


def _best(f, *args) -> float:
    times = []
    for _ in range(3):
        t = time.perf_counter()
        f(*args)
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    from starclass.io.cutout_folders import read_cutout_folder
    from starclass.learn.config import get_preset
    from starclass.learn.provenance import row_digests, row_fingerprints, training_record
    from starclass.stamps.images import cutout_inputs, cutout_resampler

    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared/data/pandas-m31"
    if not (root / "labels.csv").exists():
        sys.exit(f"no PAndAS labels.csv under {root}")
    cfg = get_preset("m31-real")
    cut = read_cutout_folder(root / "labels.csv", require_group=False, bands=list(cfg.bands),
                             resample=cutout_resampler(cfg), progress=False)
    x = cutout_inputs(cut.images, cfg)
    record = training_record(x, np.arange(len(x)))
    with_prints = len(json.dumps(record))
    record.pop("robust")
    without = len(json.dumps(record))
    print(f"{len(x)} rows: training_rows record {without} bytes exact digests only, {with_prints} with fingerprints "
          f"({(with_prints - without) / len(x):.1f} bytes a row more)")
    exact, prints = _best(row_digests, x), _best(row_fingerprints, x)
    print(f"row_digests {exact:.3f} s, row_fingerprints {prints:.3f} s ({prints / exact:.1f}x the exact digest)")


if __name__ == "__main__":
    main()
