"""A small synthetic field for trying the inspection page, its tests and its benchmark.

Stars (Gaussian, FWHM 2.1 px) and clusters (Gaussian, FWHM 3-5 px), pairs and small groups on
a noisy sky in three bands, with a ``candidates.ecsv`` (0-based x, y; V magnitudes) and a
``predictions.ecsv`` of made-up model probabilities. Not a substitute for
:mod:`starclass.simulate`; it only needs to look like something a person can classify.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from astropy.table import Table
from astropy.wcs import WCS

from starclass.bands import vega_zeropoint
from starclass.errors import counted, shell_word
from starclass.io.catalog import write_catalog
from starclass.io.mosaic import write_mosaic
from starclass.schema import CLASS_PRED, ID, X, Y, mag_col, magerr_col, prob_col

BANDS = {"f336w": (1.3e-18, 3355.0), "f555w": (1.9e-19, 5308.0), "f814w": (1.5e-19, 8040.0)}


@dataclass(frozen=True, eq=False)
class DemoField:
    """What :func:`make_demo_field` wrote: the folder and each of its files.

    It stands for the folder where a path is taken (``os.fspath``, ``Path(demo)``, ``demo / "name"``,
    ``str(demo)``, ``demo.name``), as the function's value was the folder alone before it said what it made;
    it equals, hashes and sorts as that folder's ``Path`` (``demo == Path(folder)``, ``{demo: ...}[folder]``),
    and, as a ``Path``, never equals a string.

    Parameters
    ----------
    folder : Path
        The field's folder (``starclass inspect DATA_DIR``).
    mosaics : dict of str to Path
        One FITS mosaic per band, by band.
    candidates : Path
        The candidate catalogue (``candidates.ecsv``; 0-based x, y, V magnitudes).
    predictions : Path or None
        Made-up model probabilities (``predictions.ecsv``); None when not asked for.
    n : int
        How many candidates.
    size : int
        The mosaics' side in pixels.

    Examples
    --------
    >>> import tempfile
    >>> demo = make_demo_field(Path(tempfile.mkdtemp()) / "demo", n=3, size=60, predictions=False)
    >>> demo.candidates.name, sorted(demo.mosaics), demo.predictions
    ('candidates.ecsv', ['f336w', 'f555w', 'f814w'], None)
    >>> demo == demo.folder, demo / "candidates.ecsv" == demo.candidates
    (True, True)
    """

    folder: Path
    mosaics: dict[str, Path]
    candidates: Path
    predictions: Path | None
    n: int
    size: int

    def __fspath__(self) -> str:
        return os.fspath(self.folder)

    def __str__(self) -> str:
        return str(self.folder)

    def __truediv__(self, name: str | os.PathLike) -> Path:
        return self.folder / name

    # Compared as its folder: the value was a Path before it named its files, and a user holding one compares
    # it with the path they gave (a dataclass's own == saw only DemoFields, and its hash failed on the dict).
    @staticmethod
    def _path_of(other: object) -> Path | None:
        if isinstance(other, DemoField):
            return other.folder
        if isinstance(other, os.PathLike) and not isinstance(other, (str, bytes)):
            return Path(os.fspath(other))
        return None  # a string is not a path: Path("a") == "a" is False too

    def __eq__(self, other: object) -> bool:
        path = self._path_of(other)
        return NotImplemented if path is None else self.folder == path

    def __hash__(self) -> int:
        return hash(self.folder)

    def __lt__(self, other: object) -> bool:
        path = self._path_of(other)
        return NotImplemented if path is None else self.folder < path

    def __gt__(self, other: object) -> bool:
        path = self._path_of(other)
        return NotImplemented if path is None else self.folder > path

    def __getattr__(self, name: str):
        # the folder's own (Path) attributes, .name, .iterdir() ..., for code that took the value as the folder;
        # never dunders or the fields themselves (copy and pickle look those up before the fields are set)
        if name.startswith("__") or name in {"folder", "mosaics", "candidates", "predictions", "n", "size"}:
            raise AttributeError(name)
        return getattr(self.folder, name)

    def describe(self) -> str:
        """What was written, in one line for people.

        Examples
        --------
        >>> import tempfile
        >>> demo = make_demo_field(Path(tempfile.mkdtemp()) / "demo", n=3, size=60)
        >>> print(demo.describe().replace(str(demo.folder), "demo"))  # doctest: +NORMALIZE_WHITESPACE
        wrote a demo field to demo: 3 mosaics of 60 x 60 px (demo_f336w.fits, demo_f555w.fits, demo_f814w.fits),
        3 candidates (candidates.ecsv), model probabilities (predictions.ecsv); label them with: starclass
        inspect demo --init --add-user NAME --admin
        """
        files = ", ".join(p.name for p in self.mosaics.values())
        preds = f", model probabilities ({self.predictions.name})" if self.predictions is not None else ""
        return (f"wrote a demo field to {self.folder}: {len(self.mosaics)} mosaics of {self.size} x {self.size} px "
                f"({files}), {counted(self.n, 'candidate')} ({self.candidates.name}){preds}; label them with: "
                f"starclass "
                f"inspect {shell_word(self.folder)} --init --add-user NAME --admin")


def make_demo_field(outdir: str | Path, n: int = 40, size: int = 400, seed: int = 1,
                    predictions: bool = True) -> DemoField:
    """Write mosaics, ``candidates.ecsv`` and ``predictions.ecsv`` to ``outdir``; say what was written.

    Parameters
    ----------
    outdir : str or Path
        The folder (made if missing); its demo files are rewritten on each call.
    n : int
        How many candidates.
    size : int
        The mosaics' side in pixels.
    seed : int
        The random seed (another seed, another field).
    predictions : bool
        Whether to write ``predictions.ecsv`` (made-up probabilities of PHANGS classes 1-4).

    Returns
    -------
    DemoField
        The folder and its files (``.folder``, ``.mosaics``, ``.candidates``, ``.predictions``);
        ``.describe()`` says it in a line. It stands for the folder where a path is taken.

    Examples
    --------
    >>> import tempfile
    >>> d = make_demo_field(Path(tempfile.mkdtemp()) / "demo", n=10, size=100)
    >>> sorted(p.name for p in d.folder.iterdir())
    ['candidates.ecsv', 'demo_f336w.fits', 'demo_f555w.fits', 'demo_f814w.fits', 'predictions.ecsv']
    >>> d.candidates == d.folder / "candidates.ecsv", d.mosaics["f555w"].name, d.predictions.name
    (True, 'demo_f555w.fits', 'predictions.ecsv')
    >>> len(Table.read(d.candidates))
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
    return DemoField(out, {b: out / f"demo_{b}.fits" for b in BANDS}, out / "candidates.ecsv",
                     out / "predictions.ecsv" if predictions else None, n, size)
