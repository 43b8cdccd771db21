"""benchmarks/realism_modes34.py: the helpers that read how people voted on modes 3 and 4."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import load_benchmark


@pytest.fixture(scope="module")
def bench():
    return load_benchmark("realism_modes34")


def test_vote_group_reads_the_votes_from_mode_and_mean(bench):
    # three people: mean 4.00 all said 4; 3.67 = (3, 4, 4); 3.33 = (2, 4, 4); 3.00 with mode 4 = (1, 4, 4)
    assert [bench.vote_group(4, m) for m in (4.0, 3.67, 3.33, 3.0)] == ["all", "other34", "low", "low"]
    # mode 3: 3.33 = (3, 3, 4); 2.67 = (2, 3, 3); 3.25 = four people (3, 3, 3, 4)
    assert [bench.vote_group(3, m) for m in (3.0, 3.33, 2.67, 3.25)] == ["all", "other34", "low", "other34"]
    # no split of 2-9 votes has mode 4 and mean 1.5
    assert bench.vote_group(4, 1.5) == "unknown"


def test_split_auc_counts_pairs_by_hand(bench):
    values = np.array([0.2, 0.9, 0.5, 1.4, np.nan, 0.7])
    positive = np.array([False, True, False, True, True, False])
    # positives 0.9, 1.4 against negatives 0.2, 0.5, 0.7: every one of the 6 pairs ordered -> 1;
    # with 0.9 made 0.6 one pair (0.6 < 0.7) is reversed -> 5 / 6
    assert bench.split_auc(values, positive) == pytest.approx(1.0)
    values[1] = 0.6
    assert bench.split_auc(values, positive) == pytest.approx(5 / 6)
    assert np.isnan(bench.split_auc(values, np.zeros(6, bool)))
