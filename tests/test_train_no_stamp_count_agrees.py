"""train's count of labelled candidates without a usable stamp agrees with its number.

On the simulated field of docs/training.md's first commands ('simulate field/ --seed 1 --size 512', then
'train --task legus4-compact --mosaics field/ --catalog field/truth.ecsv -o model/ --epochs 1') train said
"1 labelled candidates have no usable stamp (off the image or NaN) and are left out".
"""

from __future__ import annotations

import numpy as np
from astropy.io import fits
from typer.testing import CliRunner

from starclass.cli import app


def test_one_candidate_without_a_stamp_is_said_in_the_singular(tmp_path):
    from conftest import write_toy_held_out  # tests/ is on sys.path under pytest
    from starclass.io.catalog import read_catalog
    from starclass.learn.config import get_preset

    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0])
    write_toy_held_out(cfg, tmp_path, 30, seed=21)
    table = read_catalog(tmp_path / "held.ecsv")
    labelled = np.flatnonzero(np.asarray(table["class_ref"]) > 0)
    x, y = (int(round(float(table[c][labelled[0]]))) for c in ("x", "y"))
    for path in sorted((tmp_path / "mos").glob("*.fits")):
        with fits.open(path, mode="update") as hdul:
            hdu = next(h for h in hdul if h.data is not None)
            hdu.data[max(y - 2, 0): y + 3, max(x - 2, 0): x + 3] = np.nan  # no data at that candidate's centre
    (tmp_path / "task.yaml").write_text("extends: legus4-compact\nstamp_size: 16\nscales: [1.0]\n")
    res = CliRunner().invoke(app, ["train", "--task", str(tmp_path / "task.yaml"), "--mosaics", str(tmp_path / "mos"),
                                   "--catalog", str(tmp_path / "held.ecsv"), "-o", str(tmp_path / "m"), "--epochs",
                                   "1", "--ensemble", "1", "--device", "cpu", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "1 labelled candidate has no usable stamp (off the image or NaN) and is left out" in res.output, res.output
