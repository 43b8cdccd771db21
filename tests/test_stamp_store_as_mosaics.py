"""A stamp store given where mosaics are read (``classify stamps.h5 --catalog cat.ecsv``, ``detect stamps.h5``).

It said "cannot read FITS file stamps.h5: No SIMPLE card found, this file does not appear to be a
valid FITS file", where the catalogue and cutout-folder readers name the store (f13eab1, 57eafd0).
"""

from __future__ import annotations

import numpy as np
from typer.testing import CliRunner

from starclass.cli import app
from starclass.stamps.store import write_stamp_store


def test_detect_names_a_stamp_store_given_as_mosaics(tmp_path):
    store = write_stamp_store(tmp_path / "stamps.h5", np.zeros((2, 1, 8, 8), np.float32), np.ones((2, 8, 8), bool),
                              {"id": np.arange(1, 3)}, channels=["g"], normalisation="zscore", bands=["g"])
    out = tmp_path / "cands.ecsv"
    res = CliRunner().invoke(app, ["detect", str(store), "-o", str(out)])
    assert res.exit_code == 2, res.output
    assert "stamps.h5 is an HDF5 stamp store" in res.output and "not a FITS mosaic" in res.output, res.output
    assert "SIMPLE card" not in res.output and not out.exists()
