"""What ``evaluate``'s check of a model's own training rows costs, against the evaluation it is part of.

``evaluate`` and ``report`` of a classified cutout table read every cutout again as the model reads it and
digest it (:func:`starclass.evaluate.compare.in_sample_rows`), to count the rows the model was trained on.
This prints the time of that check alone and of the whole evaluation (``evaluate_catalogs``, which runs it),
both in this process, and their ratio.

Run (a classified table written by ``classify --stamps``, whose model records its training rows)::

    PYTHONPATH=src OMP_NUM_THREADS=1 nice python benchmarks/evaluate_in_sample_cost.py classified.ecsv --repeats 3

``--baseline`` also times, in the same process, the check as it was before models recorded the bytes of their
training files (every cutout decoded: the record is ignored) and prints the ratio of the two. The model must
have been trained since 2026-12-07 for the record to be there (``training_files`` in its manifest).
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    """Time the in-sample check and the whole evaluation of one classified table; print both and their ratio."""
    from starclass.evaluate.compare import evaluate_catalogs, in_sample_rows, load_catalog

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("classified", type=Path, help="a classify --stamps output naming its model")
    ap.add_argument("--repeats", type=int, default=3, help="runs of each (the median is printed)")
    ap.add_argument("--baseline", action="store_true",
                    help="also time the check decoding every cutout (the files' record ignored), in this process")
    args = ap.parse_args(argv)
    table = load_catalog(args.classified, "prediction")
    if args.baseline:
        import starclass.learn.provenance as provenance

        real = provenance.recorded_files
        old = []
        try:
            provenance.recorded_files = lambda manifest: None  # type: ignore[assignment]
            for _ in range(args.repeats):
                t0 = time.perf_counter()
                base_mask, _ = in_sample_rows(table, args.classified)
                old.append(time.perf_counter() - t0)
        finally:
            provenance.recorded_files = real  # type: ignore[assignment]
    check, whole = [], []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        mask, models = in_sample_rows(table, args.classified)
        check.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            evaluate_catalogs(args.classified, None, n_boot=0)
        whole.append(time.perf_counter() - t0)
    med = sorted(check)[len(check) // 2], sorted(whole)[len(whole) // 2]
    print(f"{len(table)} rows, {int(mask.sum())} of them training rows of {', '.join(models) or 'no model'}")
    print(f"in-sample check {med[0]:.2f} s, whole evaluation (n_boot 0, the check included) {med[1]:.2f} s: "
          f"the check is {med[0] / med[1]:.0%} of it (median of {args.repeats})")
    if args.baseline:
        base = sorted(old)[len(old) // 2]
        same = "the same rows" if (base_mask == mask).all() else "OTHER ROWS (a bug)"
        print(f"baseline check (every cutout decoded) {base:.2f} s: the check now takes {med[0] / base:.0%} of "
              f"that ({base / med[0]:.1f}x faster), {same} found (median of {args.repeats})")


if __name__ == "__main__":
    main()
