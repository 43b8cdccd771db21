"""``detect --truth`` leaves truth objects beyond the V band's data out of the completeness, and says so.

A truth catalogue wider than a drizzled mosaic's footprint (objects on its NaN border, or off the
image) counted those objects as missed: on a 512 px HST-like field with a rotated footprint, 112
of 300 truth objects lay on NaN and `detect --truth` printed a completeness of 0.59 for classes 1-3
brighter than 23.5 where 0.97 of those on the data were found. Now they are counted in one line and
left out (`starclass.detect.completeness.on_data`).
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from astropy.wcs import WCS
from typer.testing import CliRunner

from starclass.bands import BANDS
from starclass.cli import app
from starclass.io.mosaic import write_mosaic

runner = CliRunner()


def test_truth_on_the_nan_border_is_left_out_of_the_completeness(tmp_path):
    n = 128
    yy, xx = np.mgrid[:n, :n]
    img = 0.3 + np.random.default_rng(0).normal(0.0, 0.02, (n, n))
    on = [(70.0, 30.0), (100.0, 90.0)]
    for x0, y0 in on:
        img += 8.0 * np.exp(-((xx - x0) ** 2 + (yy - y0) ** 2) / 3.0)
    img[:, :48] = np.nan  # the footprint's border
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval, w.wcs.crpix = [65.0, -54.9], [64.5, 64.5]
    w.wcs.cd = np.array([[-0.04, 0.0], [0.0, 0.04]]) / 3600
    (tmp_path / "f").mkdir()
    write_mosaic(tmp_path / "f" / "m_f555w.fits", img.astype(np.float32), "f555w", w,
                 photflam=BANDS["f555w"].photflam, photplam=BANDS["f555w"].photplam)
    # two on the data, one on the NaN border, one off the image
    Table({"id": [1, 2, 3, 4], "x": [70.0, 100.0, 20.0, 300.0], "y": [30.0, 90.0, 60.0, 60.0],
           "mag_true_f555w": [20.0, 20.0, 20.0, 20.0]}).write(tmp_path / "truth.ecsv")
    r = runner.invoke(app, ["detect", str(tmp_path / "f"), "-o", str(tmp_path / "c.ecsv"),
                            "--truth", str(tmp_path / "truth.ecsv"), "--quiet"])
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    assert "truth: 2 of 4 objects lie off the f555w data" in text, r.output  # not said before
    assert "truth: 2 objects; matched within 2 px: 2 before selection" in text, r.output
    comp = Table.read(tmp_path / "c_completeness.ecsv")
    assert int(np.sum(comp["n_true"])) == 2 and int(np.sum(comp["n_found"])) == 2  # 4 and 2 before
    assert np.nanmin(comp["completeness"]) == 1.0  # 0.5 before


def test_the_printed_table_tells_counts_from_fractions(tmp_path):
    # the table printed "n_true found complete selected": "found" a count and "selected" a
    # fraction under headers alike; they are now the written table's column names. Until 2026-12-07 the
    # printed table said "mag range" (the file: mag_lo, mag_hi) of a band it did not name, and put
    # n_selected before completeness where the file put it after: one set of names, in one order
    test_truth_on_the_nan_border_is_left_out_of_the_completeness(tmp_path)
    r = runner.invoke(app, ["detect", str(tmp_path / "f"), "-o", str(tmp_path / "c2.ecsv"),
                            "--truth", str(tmp_path / "truth.ecsv"), "--quiet"])
    assert r.exit_code == 0, r.output
    comp = Table.read(tmp_path / "c2_completeness.ecsv")
    lines = r.output.splitlines()
    head = next(i for i, line in enumerate(lines) if line.split()[:1] == ["mag_lo"])
    names = lines[head].split()
    assert names == ["mag_lo", "mag_hi", "n_true", "n_found", "n_selected", "completeness",
                     "completeness_selected"], lines[head]
    assert comp.colnames == names  # the file's columns, in the printed order
    # the band is named above the printed table and in the file (meta and the bin edges' descriptions)
    assert "f555w" in lines[head - 1], lines[head - 1]
    assert comp.meta["band"] == "f555w" and "f555w" in comp["mag_lo"].description
    shown = [line.split() for line in lines[head + 1:head + 1 + int(np.sum(comp["n_true"] > 0))]]
    for values, row in zip(shown, comp[comp["n_true"] > 0]):
        assert [float(v) for v in values[:2]] == [round(float(row[name]), 2) for name in names[:2]]
        assert [int(v) for v in values[2:5]] == [row[name] for name in names[2:5]]
        assert [float(v) for v in values[5:]] == [round(float(row[name]), 3) for name in names[5:]]
