"""An empty (0-byte) catalogue, votes or prediction table is said to be empty, whatever reads it.

Before, astropy's words for it reached the user: 'cannot read x.ecsv as ecsv: InconsistentTableError:
ECSV header line like "# %ECSV <version>" not found as first line' (info, cutouts, train, classify,
calibrate; evaluate, report and suggest through the cutout-output reader), "required column 'id'
missing in x.csv ... (columns: none)" for a CSV, "none of astropy's text formats ... reads it" for
other names. Both readers now say 'x.ecsv is empty (0 bytes), not a table'.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog, read_table
from starclass.io.cutout_output import read_cutout_output


@pytest.mark.parametrize("name", ["candidates.ecsv", "candidates.csv", "candidates.parquet", "stamps.h5"])
def test_read_catalog_and_read_table_say_the_file_is_empty(tmp_path, name):
    p = tmp_path / name
    p.write_bytes(b"")
    for read in (read_catalog, read_table):
        with pytest.raises(StarclassError) as info:
            read(p)
        assert str(info.value) == f"{p} is empty (0 bytes), not a table"


def test_read_cutout_output_says_the_file_is_empty(tmp_path):
    p = tmp_path / "classified.ecsv"
    p.write_bytes(b"")
    with pytest.raises(StarclassError) as info:
        read_cutout_output(p, "prediction")
    assert str(info.value) == f"prediction: {p} is empty (0 bytes), not a table"


def test_info_and_evaluate_say_the_file_is_empty(tmp_path):
    empty = tmp_path / "pred é.ecsv"
    empty.write_bytes(b"")
    runner = CliRunner()
    res = runner.invoke(app, ["info", str(empty)])
    assert res.exit_code == 2, res.output
    assert f"{empty} is empty (0 bytes), not a table" in " ".join(res.output.split()), res.output
    out = tmp_path / "ev"
    res = runner.invoke(app, ["evaluate", str(empty), "-r", str(empty), "-o", str(out)])
    assert res.exit_code == 2, res.output
    assert f"prediction: {empty} is empty (0 bytes), not a table" in " ".join(res.output.split()), res.output
    assert not out.exists()
