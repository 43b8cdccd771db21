"""``starclass info`` of a standard LEGUS file says how many sources its disagreement line leaves out.

NGC 3738: "class_ref: ... (442 classified ...)" then "human disagreement (votes bounded by class mode
+ mean, 434 sources)", with no word of the other 8, whose mode and mean fit no split of votes (as mode 1,
mean 3: checked by brute force over 1-6 votes). The line now says "8 of the 442 left out".
"""

from __future__ import annotations

from typer.testing import CliRunner

from starclass.cli import app
from test_io_legus import _line, _standard_row  # tests/ is on sys.path under pytest

runner = CliRunner()


def test_the_inconsistent_sources_are_counted_on_the_line(tmp_path):
    p = tmp_path / "hlsp_legus_hst_wfc3_ngcz_multiband_v1_padagb-mwext-avgapcor.tab"
    # mode 2 mean 2.333 (2, 2, 3), mode 4 mean 4, mode 1 mean 3 (no split of votes gives it), not inspected
    rows = [_standard_row(i, c, m) for i, (c, m) in enumerate(((2, 2.333), (4, 4.0), (1, 3.0), (0, 0.0)), 1)]
    p.write_text("\n".join(_line(r) for r in rows) + "\n")
    res = runner.invoke(app, ["info", str(p)])
    assert res.exit_code == 0, res.output
    assert ("human disagreement (votes bounded by class mode + mean, 2 sources; 1 of the 3 left out: their mode "
            "and mean fit no split of votes): not unanimous 50.0%") in res.output


def test_a_file_with_none_left_out_keeps_the_short_line(tmp_path):
    p = tmp_path / "hlsp_legus_hst_wfc3_ngcz_multiband_v1_padagb-mwext-avgapcor.tab"
    rows = [_standard_row(i, c, m) for i, (c, m) in enumerate(((2, 2.333), (4, 4.0)), 1)]
    p.write_text("\n".join(_line(r) for r in rows) + "\n")
    res = runner.invoke(app, ["info", str(p)])
    assert "human disagreement (votes bounded by class mode + mean, 2 sources): not unanimous" in res.output


def test_a_missing_mean_is_said_as_missing_not_as_no_split(tmp_path):
    """An inspected row whose mean is NaN (a typed 'nan', a hand edit) has no mean to bound its votes: it was
    counted among the sources "whose mode and mean fit no split of votes", which it is not."""
    from starclass.evaluate.disagreement import disagreement

    p = tmp_path / "hlsp_legus_hst_wfc3_ngcz_multiband_v1_padagb-mwext-avgapcor.tab"
    rows = [_standard_row(i, c, m) for i, (c, m) in
            enumerate(((2, 2.333), (4, 4.0), (1, 3.0), (3, float("nan")), (0, 0.0)), 1)]
    p.write_text("\n".join(_line(r) for r in rows) + "\n")
    res = runner.invoke(app, ["info", str(p)])
    assert res.exit_code == 0, res.output
    assert ("2 sources; 2 of the 4 left out: 1 with no class mean, 1 whose mode and mean fit no split of "
            "votes)") in res.output
    d = disagreement([2, 3, 1], [2.333, float("nan"), 3.0])
    assert (d["n_used"], d["n_no_mean"], d["n_inconsistent"]) == (1, 1, 1)
    only = disagreement([2, 3], [2.333, float("nan")])
    assert (only["n_no_mean"], only["n_inconsistent"]) == (1, 0)
