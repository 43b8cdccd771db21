"""A small synthetic field for trying the inspection page, its tests and its benchmark.

Stars (Gaussian, FWHM 2.1 px) and clusters (Gaussian, FWHM 3-5 px), pairs and small groups on
a noisy sky in three bands, with a ``candidates.ecsv`` (0-based x, y; V magnitudes) and a
``predictions.ecsv`` of made-up model probabilities. Not a substitute for
:mod:`starclass.simulate`; it only needs to look like something a person can classify.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from astropy.table import Table
from astropy.wcs import WCS

from starclass.bands import vega_zeropoint
from starclass.io.catalog import write_catalog
from starclass.io.mosaic import write_mosaic
from starclass.schema import CLASS_PRED, ID, X, Y, mag_col, magerr_col, prob_col

BANDS = {"f336w": (1.3e-18, 3355.0), "f555w": (1.9e-19, 5308.0), "f814w": (1.5e-19, 8040.0)}


def make_demo_field(outdir: str | Path, n: int = 40, size: int = 400, seed: int = 1,
                    predictions: bool = True) -> Path:
    """Write mosaics, ``candidates.ecsv`` and ``predictions.ecsv`` to ``outdir``; returns it.

    Examples
    --------
    >>> import tempfile
    >>> d = make_demo_field(Path(tempfile.mkdtemp()) / "demo", n=10, size=100)
    >>> sorted(p.name for p in d.iterdir())
    ['candidates.ecsv', 'demo_f336w.fits', 'demo_f555w.fits', 'demo_f814w.fits', 'predictions.ecsv']
    >>> len(Table.read(d / "candidates.ecsv"))
    10
    """
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size]
    margin = 30
    xs = rng.uniform(margin, size - margin, n)
    ys = rng.uniform(margin, size - margin, n)
    kind = rng.choice([1, 2, 3, 4], size=n, p=[0.2, 0.2, 0.2, 0.4])
    flux = 10 ** rng.uniform(1.5, 3.0, n)
    colour = {b: rng.uniform(0.5, 1.5, n) for b in BANDS}
    images = {b: rng.normal(0.0, 0.5, (size, size)).astype(np.float32) for b in BANDS}

    def add(img, x, y, f, fwhm):
        s = fwhm / 2.3548
        r = 5 * s + 2
        x0, x1 = int(max(x - r, 0)), int(min(x + r + 1, size))
        y0, y1 = int(max(y - r, 0)), int(min(y + r + 1, size))
        sub = np.exp(-0.5 * (((xx[y0:y1, x0:x1] - x) ** 2 + (yy[y0:y1, x0:x1] - y) ** 2) / s ** 2))
        img[y0:y1, x0:x1] += (f / (2 * np.pi * s * s)) * sub

    for i in range(n):
        for b, img in images.items():
            f = flux[i] * colour[b][i]
            if kind[i] == 1:
                add(img, xs[i], ys[i], f, rng.uniform(3.0, 5.0))
            elif kind[i] == 2:
                add(img, xs[i], ys[i], 0.7 * f, 3.5)
                add(img, xs[i] + 1.5, ys[i] + 0.8, 0.3 * f, 2.5)
            elif kind[i] == 3:
                for _ in range(4):
                    add(img, xs[i] + rng.normal(0, 2.0), ys[i] + rng.normal(0, 2.0), f / 4, 2.1)
            else:
                add(img, xs[i], ys[i], f, 2.1)
    wcs = WCS(naxis=2)
    wcs.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    wcs.wcs.crval = [64.97, -54.94]
    wcs.wcs.crpix = [size / 2, size / 2]
    wcs.wcs.cdelt = [-0.04 / 3600, 0.04 / 3600]
    for b, (photflam, photplam) in BANDS.items():
        write_mosaic(out / f"demo_{b}.fits", images[b], b, wcs, photflam=photflam, photplam=photplam,
                     overwrite=True)  # the toy field is rewritten whole, as its tables are

    t = Table()
    t[ID] = np.arange(1, n + 1)
    t[X] = xs
    t[Y] = ys
    for b, (photflam, photplam) in BANDS.items():
        zp = vega_zeropoint(b, photflam, photplam)
        t[mag_col(b)] = -2.5 * np.log10(flux * colour[b]) + zp
        t[magerr_col(b)] = 0.02 + 0.1 * rng.random(n)
    t["ci"] = np.where(kind == 4, 1.1, 1.6) + rng.normal(0, 0.1, n)
    t["galaxy"] = "demo"
    # the demo folder is regenerated in place: its own two tables are replaced on each call
    write_catalog(t, out / "candidates.ecsv", overwrite=True)
    if predictions:
        p = rng.dirichlet(np.ones(4) * 0.6, n)
        pt = Table()
        pt[ID] = t[ID]
        for k in range(4):
            pt[prob_col(k + 1)] = p[:, k]
        pt[CLASS_PRED] = np.argmax(p, axis=1) + 1
        write_catalog(pt, out / "predictions.ecsv", overwrite=True)
    return out
