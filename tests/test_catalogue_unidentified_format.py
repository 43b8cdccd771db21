"""A table whose format astropy cannot tell is refused in one line naming the file and what starclass reads.

``info junk.dat --format phangs`` (a PHANGS catalogue's container is told by its name, and ``.dat`` names
none) said "cannot read junk.dat as phangs: IORegistryError: Format could not be identified ..." followed
by astropy's 70-line table of every format it knows, most of which starclass does not read. Since 2026-12-06 a
text file of such a name is read as a text table (``tests/test_phangs_text_table.py``): only binary bytes are
left to astropy to tell, and refused so.
"""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog
from starclass.io.fits_names import FITS_NAMES


@pytest.fixture(params=["junk", "nul"])
def unnamed(request, tmp_path):
    p = tmp_path / "cat.dat"
    if request.param == "junk":
        p.write_bytes(np.random.default_rng(1).integers(0, 256, 3000, dtype=np.uint8).tobytes())
    else:  # text but for one NUL byte: not a text table
        p.write_bytes(b"PHANGS_X PHANGS_Y ID\n1.0 2.0 1\x00\n")
    return p


def test_the_cli_says_it_in_one_line(unnamed, tmp_path):
    before = sorted(tmp_path.iterdir())
    res = CliRunner().invoke(app, ["info", str(unnamed), "--format", "phangs"])
    assert res.exit_code == 2, res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1, res.output
    said = lines[0]
    assert f"cannot read {unnamed} as phangs" in said and "cannot tell its format" in said, said
    # what starclass reads, by the names it tells them by, FITS from the one list of FITS names
    assert "CSV (.csv)" in said and "Parquet (.parquet" in said and f"FITS ({FITS_NAMES})" in said, said
    assert "IORegistryError" not in said and "Auto-identify" not in res.output and "Traceback" not in res.output
    assert sorted(tmp_path.iterdir()) == before


def test_the_library_says_it_in_one_line(unnamed):
    with pytest.raises(StarclassError) as exc:
        read_catalog(unnamed, fmt="phangs")
    assert "\n" not in str(exc.value) and str(unnamed) in str(exc.value), str(exc.value)
