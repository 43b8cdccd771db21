"""Hostile inputs met in real data: scaled-integer FITS, spreadsheet CSVs, units that
contradict the schema, outputs that cannot be written, Ctrl-C."""

from __future__ import annotations

import numpy as np
from astropy.io import fits
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def _toy_field(folder, shape=(64, 64), n=4, seed=3):
    """Two small float32 FITS mosaics in ``folder``; returns their paths and the truth table."""
    from starclass.bands import BANDS
    from starclass.datasets.fields import synthetic_field
    from starclass.io.mosaic import write_mosaic

    mosaics, truth = synthetic_field(shape, n, bands=("f555w", "f814w"), seed=seed)
    paths = []
    for band in mosaics.bands:
        p = folder / f"toy_{band}.fits"
        write_mosaic(p, mosaics.data[band], band, None,
                     photflam=BANDS[band].photflam, photplam=BANDS[band].photplam)
        paths.append(p)
    return paths, truth


def _as_scaled_int16(src, dst):
    """Rewrite ``src`` as int16 with BZERO/BSCALE (how fpack-less archives store plates); returns bscale."""
    with fits.open(src) as hdul:
        data, header = hdul[0].data.astype(np.float64), hdul[0].header.copy()
    lo, hi = float(data.min()), float(data.max())
    bscale, bzero = (hi - lo) / 60000.0, (hi + lo) / 2.0
    raw = np.round((data - bzero) / bscale).astype(">i2")
    hdu = fits.PrimaryHDU(raw, header)
    hdu.header["BSCALE"], hdu.header["BZERO"] = bscale, bzero
    hdu.writeto(dst)
    return bscale


def test_int16_mosaics_with_bzero_are_read_as_scaled_floats(tmp_path):
    from starclass.io.mosaic import read_mosaics

    paths, _ = _toy_field(tmp_path)
    ints = tmp_path / "ints"
    ints.mkdir()
    scales = [_as_scaled_int16(p, ints / p.name) for p in paths]
    with fits.open(ints / paths[0].name) as hdul:  # the file really is scaled int16 on disk
        assert hdul[0].header["BITPIX"] == 16 and "BZERO" in hdul[0].header
    m = read_mosaics(ints)
    ref = read_mosaics(paths)
    for band, bscale in zip(ref.bands, scales):
        assert m.data[band].dtype == np.float32
        # rounding to the int16 grid moves a pixel by at most half a step
        assert np.max(np.abs(m.data[band] - ref.data[band])) <= bscale / 2 + 1e-4


def test_detect_runs_on_int16_mosaics_with_bzero(tmp_path):
    paths, _ = _toy_field(tmp_path)
    ints = tmp_path / "ints"
    ints.mkdir()
    for p in paths:
        _as_scaled_int16(p, ints / p.name)
    out = tmp_path / "c.ecsv"
    r = runner.invoke(app, ["detect", str(ints), "-o", str(out), "--no-progress"])
    assert r.exit_code == 0, r.output
    assert out.exists()
