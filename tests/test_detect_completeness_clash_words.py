"""``detect --truth T`` whose completeness table would be ``T`` names the options the user gave.

``detect field/ --truth c4_completeness.ecsv -o c4.ecsv`` said "--completeness-png (table) c4_completeness.ecsv is
one of the command's inputs": no --completeness-png was given (the table is named after --output), and the input
it would replace was not said to be the --truth.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.bands import BANDS
from starclass.cli import app
from starclass.io.mosaic import write_mosaic


@pytest.fixture
def field(tmp_path, monkeypatch):
    (tmp_path / "field").mkdir()
    b = BANDS["f555w"]
    write_mosaic(tmp_path / "field" / "a_f555w.fits", np.full((32, 32), 0.5, np.float32), "f555w", None,
                 photflam=b.photflam, photplam=b.photplam)
    Table({"id": [1], "x": [10.0], "y": [10.0]}).write(tmp_path / "c4_completeness.ecsv")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_truth_named_as_the_completeness_table_of_the_output(field):
    before = (field / "c4_completeness.ecsv").read_bytes()
    r = CliRunner().invoke(app, ["detect", "field/", "--truth", "c4_completeness.ecsv", "-o", "c4.ecsv",
                                 "--no-progress"])
    assert r.exit_code == 2, r.output
    said = " ".join(r.output.split())
    assert said.startswith("error: --truth c4_completeness.ecsv is the completeness table this run writes (named "
                           "after --output"), said
    assert "(table)" not in said and "--completeness-png PATH.png" in said, said
    assert (field / "c4_completeness.ecsv").read_bytes() == before and not (field / "c4.ecsv").exists()


def test_a_truth_named_as_the_table_beside_the_completeness_png(field):
    r = CliRunner().invoke(app, ["detect", "field/", "--truth", "c4_completeness.ecsv", "-o", "c.ecsv",
                                 "--completeness-png", "c4_completeness.png", "--no-progress"])
    assert r.exit_code == 2, r.output
    said = " ".join(r.output.split())
    assert said.startswith("error: --truth c4_completeness.ecsv is the completeness table this run writes (beside "
                           "--completeness-png)"), said
    assert not (field / "c.ecsv").exists()
