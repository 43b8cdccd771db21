"""``detect``'s summary says the redundancy flag in words, and names the band of its magnitude cut (2026-12-07).

``starclass detect field/ -o candidates.ecsv`` printed "redundant (within 5 px of a brighter candidate,
subclass 4.9): 725": "subclass 4.9" is the PHANGS class number, which tells a user nothing, and the count did
not say of how many. The selection line said "m_V <= 24" of a field whose V band is f555w (a ground-based
field's is g), where the truth lines below it already said m_f555w.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


@pytest.mark.parametrize("cut", [[], ["--mag-limit", "24"]])
def test_the_redundant_line_says_what_it_counts_in_words(sim_field, tmp_path, cut):
    out = tmp_path / f"c{len(cut)}.ecsv"
    res = runner.invoke(app, ["detect", str(sim_field), "-o", str(out), "--no-progress", *cut])
    assert res.exit_code == 0, res.output
    cat = Table.read(out)
    assert "subclass" not in res.output, res.output
    said = re.search(r"redundant: (\d+) of the (\d+) kept lie within 5 px of a brighter candidate, likely the same "
                     r"object found twice or a knot of a larger one \(column redundant\)", res.output)
    assert said, res.output
    assert (int(said.group(1)), int(said.group(2))) == (int(np.asarray(cat["redundant"]).sum()), len(cat))
    if cut:
        assert "selection (m_f555w <= 24.0): " in res.output and "m_V" not in res.output, res.output
