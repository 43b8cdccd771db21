"""People's agreement on classes 1-3 against class 4, the LEGUS papers' cluster-or-not split, beside four classes
and 1+2 against 3+4.

Before: ``evaluate.disagreement`` and ``info`` of a standard LEGUS file gave two people's agreement over four classes
and on 1+2 vs 3+4 alone ("two people agree 56.0% (4 classes), 76.0% (1+2 vs 3+4)"), where ``evaluate`` of two
class columns gives all three (4class, 123v4, 12v34): the people's 1-3 vs 4 figure could not be set beside it.
"""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import SHARED_DATA
from starclass.cli import app
from starclass.evaluate.disagreement import disagreement, disagreement_table, pooled
from test_io_legus import _line, _standard_row

runner = CliRunner()


def test_three_votes_by_hand():
    # (2, 2.33) -> 2, 2, 3; (4, 3.67) -> 3, 4, 4; (1, 1.0) -> 1, 1, 1; (4, 3.0) -> 1, 4, 4 (a strict majority)
    d = disagreement([2, 4, 1, 4], [2.33, 3.67, 1.0, 3.0])
    assert d["n_used"] == 4
    # pairs on one side of 1-3 | 4: 3/3, 1/3, 3/3, 1/3; people on the final class's side: 3/3, 2/3, 3/3, 2/3
    assert d["pair_123v4"] == pytest.approx((1 + 1 / 3 + 1 + 1 / 3) / 4)
    assert d["mode_123v4"] == pytest.approx((1 + 2 / 3 + 1 + 2 / 3) / 4)
    t = disagreement_table({"a": d, "all": pooled({"a": d})})
    assert list(t.colnames[5:11]) == ["pair_4class", "pair_binary", "mode_4class", "mode_binary", "pair_123v4",
                                      "mode_123v4"]
    assert float(t["pair_123v4"][1]) == pytest.approx(2 / 3)


def test_info_line_gives_the_three_splits(tmp_path):
    p = tmp_path / "hlsp_legus_hst_wfc3_ngcz_multiband_v1_padagb-mwext-avgapcor.tab"
    rows = [_standard_row(1, 2, 2.33), _standard_row(2, 4, 3.67), _standard_row(3, 0, 0.0)]
    p.write_text("\n".join(_line(r) for r in rows) + "\n")
    res = runner.invoke(app, ["info", str(p)])
    assert res.exit_code == 0, res.output
    # 2, 2, 3 and 3, 4, 4: pairs agree 1/3 and 1/3 (4 classes), 1 and 1/3 (1-3 vs 4), 1/3 and 1 (1+2 vs 3+4)
    assert "two people agree 33.3% (4 classes), 66.7% (1-3 vs 4), 66.7% (1+2 vs 3+4)" in res.output


@pytest.mark.skipif(not (SHARED_DATA / "legus").is_dir(), reason="needs ../shared/data/legus")
def test_ngc628c_three_vote_sources_by_hand():
    """On the real NGC 628-C file: the sources three votes with a strict majority explain (mode, mode, S - 2 mode,
    S = 3 x mean), whose split is then unique, counted by hand against :func:`disagreement` on the same rows."""
    tab = next((SHARED_DATA / "legus").glob("*_ngc628-c_*.tab"))
    raw = np.loadtxt(tab)
    mode, mean = raw[:, 33].astype(int), raw[:, 34]
    s = np.round(3 * mean)
    third = (s - 2 * mode).astype(int)
    ok = (mode > 0) & (np.abs(3 * mean - s) < 0.04) & (third >= 1) & (third <= 4)
    assert ok.sum() > 1000  # most of its 1559 sources
    votes = np.stack([mode, mode, third], axis=1)[ok]
    pairs = [(0, 1), (0, 2), (1, 2)]
    side = votes <= 3
    pair_123v4 = np.mean([np.mean([side[i, a] == side[i, b] for a, b in pairs]) for i in range(len(votes))])
    mode_123v4 = np.mean(side == (mode[ok] <= 3)[:, None])
    d = disagreement(mode[ok], mean[ok])
    assert d["n_used"] == ok.sum() and d["n_ambiguous"] == 0
    assert d["pair_123v4"] == pytest.approx(pair_123v4)
    assert d["mode_123v4"] == pytest.approx(mode_123v4)
    # classes 1-3 against 4 splits the people less often than four classes do
    assert d["pair_4class"] < d["pair_123v4"] < 1


def test_hybrid_check_gives_1_3_vs_4():
    from astropy.table import Table

    from starclass.science.validation import hybrid_check

    # mode vs ML: (1, 2) same side everywhere; (3, 4) apart on 1-3 | 4, together on 1+2 | 3+4; (4, 4) the same class
    t = Table({"class_ref": [1, 3, 4], "class_method": [3, 3, 3], "class_human_mode": [1, 3, 4],
               "class_ml": [2, 4, 4], "class_ml_checked": [0, 0, 0]})
    row = hybrid_check(t)[0]
    assert (int(row["n"]), int(row["n_agree_4class"]), int(row["n_agree_binary"]), int(row["n_agree_123v4"])) == (
        3, 1, 3, 2)


def test_ngc1566_hybrid_pairs_1_3_vs_4_by_hand(legus_tab):
    from starclass.io.catalog import read_catalog
    from starclass.science.validation import hybrid_check

    raw = np.loadtxt(legus_tab).astype(int)
    got = {r["pair"]: (int(r["n"]), int(r["n_agree_123v4"])) for r in hybrid_check(read_catalog(legus_tab))}
    for pair, (a, b) in {"human mode (col 36) vs ML (col 37)": (36, 37),
                         "human mode (col 36) vs 1 human checking ML (col 38)": (36, 38),
                         "ML (col 37) vs 1 human checking ML (col 38)": (37, 38)}.items():
        x, y = raw[:, a - 1], raw[:, b - 1]
        both = (x > 0) & (y > 0)
        assert got[pair] == (int(both.sum()), int(np.sum((x[both] <= 3) == (y[both] <= 3)))), pair
    assert got["human mode (col 36) vs ML (col 37)"] == (1042, 743)  # docs/legus_validation.md, section 1
