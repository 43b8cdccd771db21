"""``starclass detect`` with a cut records in its catalogue's meta how many candidates the cut kept.

A walk through the docs (2026-12-07): ``detect obs/ -o legus.ecsv --mag-limit 24 --ci-min 1.35`` printed
"selection (m_f555w <= 24.0, CI >= 1.35): 92 of 392 passed" and wrote 92 rows, but the file's meta said
``n_detected: 392`` and ``n_selected: 392``: the command ran the detection without the cut and applied it
itself, leaving the detection's own count of the rows kept (all of them) in the meta.
"""

from __future__ import annotations

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


def test_the_meta_counts_the_rows_the_cut_kept(sim_field, tmp_path):
    out = tmp_path / "cut.ecsv"
    res = runner.invoke(app, ["detect", str(sim_field), "-o", str(out), "--mag-limit", "24",
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    cat = Table.read(out)
    assert cat.meta["n_selected"] == len(cat)
    assert len(cat) < cat.meta["n_detected"], "the cut should leave some candidates out on this field"
    assert f"{len(cat)} of {cat.meta['n_detected']} passed" in res.output


def test_without_a_cut_both_counts_are_the_rows(sim_field, tmp_path):
    out = tmp_path / "all.ecsv"
    res = runner.invoke(app, ["detect", str(sim_field), "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    cat = Table.read(out)
    assert cat.meta["n_selected"] == cat.meta["n_detected"] == len(cat)
