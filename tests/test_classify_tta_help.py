"""``classify --help``'s ``--tta`` names the columns it adds and the calibration it applies.

Walking docs/uncertainty.md (2026-12-07), the help said only "Average over the 8 rotations/flips (8x slower ...)":
nothing of the tta_std and mutual_info columns a TTA classification adds (docs/uncertainty.md reads them beside
the calibrated probability), nor that the calibration fitted under TTA is the one applied.
"""

from __future__ import annotations

import typer

from starclass.cli import app
from starclass.schema import MUTUAL_INFO, TTA_STD


def test_tta_help_names_its_columns_and_calibration():
    cmd = typer.main.get_command(app).commands["classify"]
    said = next(p.help for p in cmd.params if "--tta" in p.opts)
    assert TTA_STD in said and MUTUAL_INFO in said, said  # old code: neither
    assert "calibration fitted under TTA" in said, said
