"""One file's SED fits are checked and tabled once, not once per class column.

Before 2026-12-07 ``evaluate NGC1566.tab --pred-column class_ml --reference-column class_human_mode``
wrote ``sed_offsets_ngc1566.ecsv`` and ``sed_offsets_ngc1566_class_human_mode.ecsv``: the same file's
fits (the class columns do not enter the check) checked twice, under two names, while the warning
named only the first.
"""
from __future__ import annotations

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from test_sed_offset_check import _ab_against_vega, _fitted


def test_two_class_columns_of_one_file_write_one_sed_offsets_table(tmp_path, unrendered_figures):
    t = _fitted(shift=_ab_against_vega())
    rng = np.random.default_rng(3)
    t["class_pred"] = np.where(rng.random(len(t)) < 0.7, t["class_ref"], rng.integers(1, 5, len(t)))
    p = tmp_path / "field.ecsv"
    t.write(p)
    out = tmp_path / "ev"
    res = CliRunner().invoke(app, ["evaluate", str(p), "--pred-column", "class_pred", "--reference-column",
                                   "class_ref", "--distance", "10", "--bootstrap", "0", "-o", str(out)])
    assert res.exit_code == 0, res.output
    written = sorted(f.name for f in (out / "tables").glob("sed_offsets_*.ecsv"))
    # the name the warning gives (and the prediction's tables use), once
    assert written == ["sed_offsets_field.ecsv"], written
    assert "each band's offsets: tables/sed_offsets_field.ecsv" in res.output
    tab = Table.read(out / "tables" / "sed_offsets_field.ecsv")
    assert bool(tab["exceeds"][tab["band"] == "f814w"][0])
    assert unrendered_figures  # the evaluation's figures were built (not rendered: only the tables are read)
