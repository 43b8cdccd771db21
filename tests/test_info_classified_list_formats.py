"""``info`` says the same of one classified cutout list whatever its format (CSV, ECSV, Parquet, FITS).

Until 2026-12-07 ``info o.csv`` described ``classify --stamps``' list as a list of cutouts (its images, then
"classified (classify --stamps): class_pred ..."), while ``info o.parquet`` of the same table called it a
"catalogue: ... (format Parquet, a classified cutout folder)" with "bands: none" and no word of its images; and
with the images gone, the CSV was refused ("row 1 ...: no such file", exit 2) where the Parquet was described.
Now every format is described as the list it is: its cutouts and its class counts (named from the task it
records, or its model column), or, its images not there, its rows and classes and why its images were not read.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()

_FORMATS = ("o.csv", "o.ecsv", "o.parquet", "o.fits")


def _lists(folder, images=True):
    folder.mkdir()
    if images:
        rng = np.random.default_rng(0)
        for n in ("a", "b", "c"):
            np.save(folder / f"{n}.npy", rng.normal(size=(16, 16)).astype(np.float32))
    t = Table({"file": ["a.npy", "b.npy", "c.npy"], "class_pred": [1, 2, 2], "prob_1": [0.9, 0.2, 0.4],
               "prob_2": [0.1, 0.8, 0.6]})
    for name in _FORMATS:
        t.write(folder / name)
    return folder


def _said(path):
    res = runner.invoke(app, ["info", str(path)])
    assert res.exit_code == 0, res.output
    # the file's own name and kind of table are the only differences
    return res.output.replace(str(path), "LIST").replace("a CSV of cutouts", "a TABLE of cutouts").replace(
        "an ECSV table of cutouts", "a TABLE of cutouts").replace("a Parquet table of cutouts", "a TABLE of cutouts") \
        .replace("a FITS table of cutouts", "a TABLE of cutouts").replace("line 2 of the file", "").replace(
        "format CSV", "format X").replace("format ECSV", "format X").replace("format Parquet", "format X") \
        .replace("format FITS", "format X").replace("row 1 (), ", "row 1, ")


@pytest.mark.parametrize("images", [True, False])
def test_every_format_of_a_classified_list_is_described_alike(tmp_path, images):
    d = _lists(tmp_path / "d", images=images)
    said = {name: _said(d / name) for name in _FORMATS}
    assert len(set(said.values())) == 1, said
    text = said["o.csv"]
    assert "class_pred: 1: 1  2: 2  (3 classified, 0 without class)" in text, text
    if images:
        assert "cutout folder: LIST (a TABLE of cutouts)" in text and "cutouts: 3, images 1 x 16 x 16" in text, text
        assert "classified (classify --stamps):" in text and "bands: none" not in text, text
    else:
        assert "images: not read (LIST: row 1, file 'a.npy': no such file" in text, text
