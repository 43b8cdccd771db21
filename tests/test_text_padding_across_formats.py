"""The same labelled table read from CSV, ECSV, Parquet and FITS has the same text values: padding is stripped where
tables are read (io.catalog.strip_text_columns).

A fixed-width FITS string column keeps its padding (``' cluster  '``: astropy strips the trailing blanks of a FITS
cell but not a leading one), and a Parquet column whatever blanks were written, where astropy's CSV and ECSV readers
strip them. Until 2026-12-07 ``read_catalog`` and ``read_table`` of the Parquet and FITS copies gave ``'cluster   '``
and ``' cluster'`` where the CSV gave ``'cluster'``: scoring was the same (the label map strips), but the printed
class names, counts and label values differed by format.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import read_catalog, read_table
from starclass.io.cutout_output import read_table_as

runner = CliRunner()

_LABELS = ["cluster", "star", "cluster", "galaxy"]
_SOURCES = ["m31a", "m31b", "m31a", "m31b"]


def _write_all(folder, padded_labels, padded_sources):
    """The one table as CSV and ECSV (astropy strips on writing) and as Parquet and fixed-width FITS (padded)."""
    base = {"id": [1, 2, 3, 4], "x": [10.0, 20.0, 30.0, 40.0], "y": [5.0, 6.0, 7.0, 8.0], "class_ref": [1, 2, 1, 3]}
    paths = {}
    for ext in ("csv", "ecsv"):
        paths[ext] = folder / f"cat.{ext}"
        Table({**base, "label": _LABELS, "source": _SOURCES}).write(paths[ext])
    paths["parquet"] = folder / "cat.parquet"
    Table({**base, "label": padded_labels, "source": padded_sources}).write(paths["parquet"])
    paths["fits"] = folder / "cat.fits"
    cols = [fits.Column(name="id", format="K", array=np.array(base["id"])),
            fits.Column(name="x", format="D", array=np.array(base["x"])),
            fits.Column(name="y", format="D", array=np.array(base["y"])),
            fits.Column(name="class_ref", format="K", array=np.array(base["class_ref"])),
            fits.Column(name="label", format="12A", array=np.array(padded_labels)),
            fits.Column(name="source", format="8A", array=np.array(padded_sources))]
    fits.BinTableHDU.from_columns(cols).writeto(paths["fits"])
    return paths


@pytest.mark.parametrize("pad", ["after", "before"])
def test_the_same_table_has_the_same_labels_in_every_format(tmp_path, pad):
    labels = [f"{v:<10}" if pad == "after" else f" {v}" for v in _LABELS]
    sources = [f"{v}  " if pad == "after" else f"  {v}" for v in _SOURCES]
    paths = _write_all(tmp_path, labels, sources)
    for ext, path in paths.items():
        t = read_catalog(path)
        assert t["label"].tolist() == _LABELS and t["source"].tolist() == _SOURCES, (ext, t["label"].tolist())
        t = read_table(path)
        assert t["label"].tolist() == _LABELS and t["source"].tolist() == _SOURCES, (ext, t["label"].tolist())
    said = {}
    for ext, path in paths.items():
        res = runner.invoke(app, ["info", str(path)])
        assert res.exit_code == 0, res.output
        said[ext] = res.output.splitlines()[1:]  # the first line names the file and its format
    assert all(lines == said["csv"] for lines in said.values()), said


@pytest.mark.parametrize("fmt", ["parquet", "fits"])
def test_a_classified_list_has_its_labels_stripped_too(tmp_path, fmt):
    path = tmp_path / f"out.{fmt}"
    Table({"file": ["a.npy", "b.npy"], "class_pred": [1, 2], "label": ["cluster   ", " star"]}).write(path)
    assert read_table_as(path, fmt)["label"].tolist() == ["cluster", "star"]
