"""Memory-mapped mosaics: what opening a five-band set costs, against reading it into memory.

Writes five SIZE x SIZE float32 bands (default 4096) with write_mosaic into a temporary folder,
then in this same process measures
  * read_mosaics (memory-mapped, checks shape/WCS/NaN): wall time and resident-memory growth;
  * the masks of all bands (NaN or zero weight);
  * read_mosaics with --dq-good-bits '~4096' (each file has a DQ extension with bit 4096 on 1% of
    its pixels): the flagged bands are copied into memory with those pixels NaN;
  * a plain astropy read of the same files into native float32 arrays (the baseline).
Timings vary on a shared machine; compare the ratios, not the seconds.

    .venv/bin/python benchmarks/io_mosaic.py [SIZE]
"""

from __future__ import annotations

import gc
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
from astropy.io import fits
from astropy.wcs import WCS

from starclass.bands import BANDS, HST_BANDS
from starclass.io.mosaic import PixelFlags, read_mosaics, write_mosaic


def rss_mib(kind: str = "RssAnon") -> float:
    """Resident memory (MiB) of this process: ``RssAnon`` (private memory, what can run out)
    or ``RssFile`` (file pages mapped in; the kernel drops them under pressure)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(kind + ":"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def main(size: int = 4096) -> None:
    wcs = WCS(naxis=2)
    wcs.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    wcs.wcs.crval = [65.0, -54.9]
    wcs.wcs.crpix = [size / 2, size / 2]
    wcs.wcs.cd = np.array([[-0.04, 0.0], [0.0, 0.04]]) / 3600
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory(prefix="starclass-bench-") as tmp:
        t0 = time.perf_counter()
        for b in HST_BANDS:
            img = rng.normal(0.01, 0.005, (size, size)).astype(np.float32)
            img[:, : size // 50] = np.nan  # an edge without data
            write_mosaic(Path(tmp) / f"bench_{b}.fits", img, b, wcs,
                         photflam=BANDS[b].photflam, photplam=BANDS[b].photplam)
            dq = np.where(rng.uniform(size=(size, size)) < 0.01, 4096, 0).astype(np.uint16)
            fits.append(Path(tmp) / f"bench_{b}.fits", dq, fits.Header({"EXTNAME": "DQ"}))
            del img, dq
        t_write = time.perf_counter() - t0
        gc.collect()

        warnings.simplefilter("ignore")  # "DQ not applied": said once per read, not what is measured
        r0, f0 = rss_mib(), rss_mib("RssFile")
        t0 = time.perf_counter()
        ms = read_mosaics(tmp)
        t_open = time.perf_counter() - t0
        r_open, f_open = rss_mib() - r0, rss_mib("RssFile") - f0

        t0 = time.perf_counter()
        masked = [int(ms.mask(b).sum()) for b in ms.bands]
        t_mask = time.perf_counter() - t0
        r_mask, f_mask = rss_mib() - r0, rss_mib("RssFile") - f0
        del ms
        gc.collect()

        r2 = rss_mib()
        t0 = time.perf_counter()
        ms = read_mosaics(tmp, pixel_flags=PixelFlags(dq_good_bits="~4096"))
        t_dq = time.perf_counter() - t0
        r_dq = rss_mib() - r2
        n_dq = ms.flagged[ms.bands[0]]
        del ms
        gc.collect()

        r1 = rss_mib()
        t0 = time.perf_counter()
        full = {b: np.asarray(fits.getdata(Path(tmp) / f"bench_{b}.fits"), dtype=np.float32) for b in HST_BANDS}
        t_full = time.perf_counter() - t0
        r_full = rss_mib() - r1
        del full

    gb = 5 * size * size * 4 / 2**30
    print(f"five bands of {size} x {size} float32 ({gb:.2f} GiB on disk); machine shared, timings noisy")
    print(f"  write_mosaic x5                 {t_write:7.2f} s")
    print("  (private = anonymous resident memory; file = page-cache pages mapped in, reclaimable)")
    print(f"  read_mosaics (memory-mapped)    {t_open:7.3f} s   private +{r_open:7.1f} MiB, file +{f_open:7.1f} MiB")
    print(f"  masks of all bands              {t_mask:7.3f} s   private +{r_mask:7.1f} MiB, file +{f_mask:7.1f} MiB "
          f"(bool masks; {masked[0]} bad px per band)")
    print(f"  read_mosaics --dq-good-bits     {t_dq:7.3f} s   private +{r_dq:7.1f} MiB "
          f"('~4096'; {n_dq} px per band set to NaN, bands copied)")
    print(f"  baseline: full read to memory   {t_full:7.3f} s   private +{r_full:7.1f} MiB")
    print(f"  ratio open/full-read: time {t_open / t_full:.3f}, private memory {max(r_open, 0.1) / r_full:.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 4096)
