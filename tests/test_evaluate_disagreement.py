"""Bounding human votes from the class mode and mean (issue 14, point 3), on known answers, on
simulated people whose votes are known, on the real LEGUS files, and the re-tuned simulator."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from astropy.table import Table

from conftest import SHARED_DATA  # tests/ is on sys.path under pytest
from starclass.errors import StarclassError
from starclass.evaluate.disagreement import (
    by_mode_table,
    catalog_disagreement,
    disagreement,
    vote_disagreement,
    vote_splits,
)
from starclass.simulate.humans import PARTNERS, PARTNERS_PUBLISHED, consensus


def test_vote_splits_known_answers():
    assert vote_splits(3, 3.0) == [(3, 3, 3)]
    assert vote_splits(1, 1.33) == [(1, 1, 2)]
    assert vote_splits(3, 3.33) == [(3, 3, 4)]
    assert vote_splits(4, 3.0) == [(1, 4, 4)]            # 4, 4 and a 1
    assert vote_splits(2, 2.25) == [(1, 2, 2, 4), (2, 2, 2, 3)]  # quarters: four people, two ways
    assert vote_splits(1, 3.33) == []                     # impossible: mode 1, mean 3.33
    assert vote_splits(1, 2.0) == [(1, 1, 4)]             # a strict majority before a broken tie
    assert vote_splits(2, 2.0, n_votes=(3,)) == [(2, 2, 2)]
    # only a three-way tie the team broke explains mode 1 with mean 2.67 among three people
    assert vote_splits(1, 2.67, n_votes=(3,)) == [(1, 3, 4)]


def test_inference_recovers_known_votes():
    """Where no three people all differ, mode + mean determine the votes: the figures equal those
    computed from the votes themselves."""
    rng = np.random.default_rng(3)
    votes = rng.integers(1, 5, size=(3000, 3))
    two_or_less = np.array([len(set(r)) < 3 for r in votes])
    votes = votes[two_or_less]
    direct = vote_disagreement(votes)
    inferred = disagreement(consensus(votes), np.round(votes.mean(axis=1), 2))
    assert inferred["n_used"] == len(votes) and inferred["n_ambiguous"] == 0
    for k in ("disagree", "pair_4class", "pair_binary", "mode_4class", "mode_binary"):
        assert inferred[k] == pytest.approx(direct[k]), k
    assert inferred["pairs"] == pytest.approx(direct["pairs"])


def test_catalogue_without_mean_is_named():
    with pytest.raises(StarclassError, match="ngcx.tab has no column 'class_human_mean'"):
        catalog_disagreement(Table({"class_ref": [1, 2]}), "ngcx.tab")


def test_real_files_unanimous_count_from_the_raw_columns():
    folder = SHARED_DATA / "legus"
    if not folder.exists():
        pytest.skip("../shared/data/legus not available")
    from starclass.io.catalog import read_catalog

    checked = 0
    for p in sorted(folder.glob("*.tab")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t = read_catalog(p, require_xy=False)
        if "class_human_mean" not in t.colnames:
            continue
        raw = np.loadtxt(p)
        inspected = np.isin(raw[:, 33], (1, 2, 3, 4))
        unanimous = int(np.sum(inspected & (np.abs(raw[:, 34] - raw[:, 33]) < 0.005)))
        d = catalog_disagreement(t, p.name)
        assert d["n"] == int(inspected.sum())
        assert round(d["n_used"] * (1 - d["disagree"])) == unanimous, p.name
        checked += 1
    assert checked >= 20


def test_retuned_partners_send_class3_minority_votes_to_2_as_to_4():
    """Real LEGUS: minority votes against a final class 3 go to 2 (38%) about as often as to 4
    (47%); the partners set from published averages sent two thirds to 4."""
    from starclass.simulate import SimConfig, simulate_labels
    from starclass.simulate.field import stage_rng
    from starclass.simulate.humans import simulate_humans

    cfg = SimConfig(seed=7, shape=(640, 640), n_candidates=3000, bands=("f555w", "f814w"))
    truth, _ = simulate_labels(cfg)

    def to(partners):
        h = simulate_humans(truth, 3, stage_rng(cfg.seed, "humans"), partners=partners, v_band="f555w")
        v = np.column_stack([h["class_h1"], h["class_h2"], h["class_h3"]])
        row = by_mode_table(disagreement(consensus(v), np.round(v.mean(axis=1), 2)))[2]
        return float(row["to_2"]), float(row["to_4"])

    old2, old4 = to(PARTNERS_PUBLISHED)
    new2, new4 = to(PARTNERS)
    assert old4 > 0.55 and old2 < 0.32
    assert new4 < 0.55 and new2 > 0.32
