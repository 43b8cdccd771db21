"""``--catalog`` help of train, classify, calibrate and cutouts: a LEGUS .tab is given as it is.

Before: each said the catalogue has "0-based x, y" while naming a LEGUS .tab (or taking one), whose
positions are 1-based and converted on reading; a user who believed it and made a copy's x, y
0-based shifted every stamp by a pixel. Now each says the .tab's 1-based x, y are converted.
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from starclass.cli import app


@pytest.mark.parametrize("command", ["train", "classify", "calibrate", "cutouts"])
def test_catalog_help_says_a_legus_tab_is_converted(command):
    res = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert res.exit_code == 0
    text = " ".join(re.sub(r"[│╭╮╰╯─]", " ", res.output).split())
    at = text.index("--catalog ")
    said = text[at:at + 400]
    assert "0-based x, y" in said and "LEGUS .tab" in said and "1-based" in said and "converted" in said, said
