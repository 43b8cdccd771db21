"""LEGUS's magnitude markers are missing values in every catalogue reader, not only the ``.tab`` reader.

The LEGUS readme: "When 66.666 appears in a photometry column, it means the source was not located within
the field of view of that frame. When 99.999 appears ..., it means the source was not detected" (and 44.444:
the aperture correction was undefined). Before: the ``.tab`` reader made all three NaN, but a LEGUS
catalogue saved as a CSV or text table with named columns (``mag_f555w`` ...) kept 66.666 and 44.444 as
magnitudes (only values >= 90 were missing), and -99, the marker of many other catalogues, as the brightest
source: ``info`` said "f814w -99.000 / ... / 66.666". Now the generic reader uses the same markers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import read_catalog

LEGUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "legus"
NGC628C = LEGUS / "hlsp_legus_hst_acs-wfc3_ngc628-c_multiband_v1_padagb-mwext-avgapcor.tab"


@pytest.mark.parametrize("suffix,sep", [(".csv", ","), (".txt", " ")])
def test_markers_are_missing(tmp_path, suffix, sep):
    rows = [["id", "x", "y", "mag_f555w", "magerr_f555w", "mag_f814w"],
            ["1", "10.5", "20.0", "21.5", "0.05", "66.666"],
            ["2", "30.0", "40.0", "66.666", "66.666", "22.0"],
            ["3", "50.0", "60.0", "44.444", "44.444", "-99"],
            ["4", "51.0", "61.0", "99.999", "99.999", "23.0"],
            ["5", "52.0", "62.0", "23.5", "0.1", "39.5"]]
    p = tmp_path / f"cat{suffix}"
    p.write_text("\n".join(sep.join(r) for r in rows) + "\n")
    t = read_catalog(p)
    v = np.asarray(t["mag_f555w"], dtype=float)
    assert v[0] == 21.5 and np.isnan(v[1:4]).all() and v[4] == 23.5
    assert np.isnan(np.asarray(t["magerr_f555w"], dtype=float)[1:4]).all()
    i = np.asarray(t["mag_f814w"], dtype=float)
    assert np.isnan(i[[0, 2]]).all() and i[[1, 3, 4]].tolist() == [22.0, 23.0, 39.5]
    res = CliRunner().invoke(app, ["info", str(p)])
    assert res.exit_code == 0, res.output
    assert "f555w    21.500 /  22.500 /  23.500   n=2" in res.output, res.output
    assert "f814w    22.000 /  23.000 /  39.500   n=3" in res.output, res.output


@pytest.mark.skipif(not NGC628C.is_file(), reason="the shared LEGUS data are not here")
def test_a_legus_catalogue_saved_with_named_columns_reads_as_the_tab(tmp_path):
    tab = read_catalog(NGC628C)
    raw = np.loadtxt(NGC628C, ndmin=2)
    bands = ["f275w", "f336w", "f435w", "f555w", "f814w"]
    names = ["id", "x", "y", "ra", "dec"] + [f"{k}_{b}" for b in bands for k in ("mag", "magerr")]
    p = tmp_path / "ngc628c_named.csv"
    lines = [",".join(names)] + [",".join(f"{v:.6g}" if j else str(int(v)) for j, v in enumerate(r[:15]))
                                 for r in raw]
    p.write_text("\n".join(lines) + "\n")
    t = read_catalog(p, one_based=True)
    assert (raw[:, 5:15] == 66.666).sum() > 0  # the file holds the marker the readme describes
    for b in bands:
        for k in ("mag", "magerr"):
            a, b_ = np.asarray(tab[f"{k}_{b}"], dtype=float), np.asarray(t[f"{k}_{b}"], dtype=float)
            assert np.array_equal(np.isnan(a), np.isnan(b_)), f"{k}_{b}"
