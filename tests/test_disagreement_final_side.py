"""A person agrees with the final class on the binary task when they are on its side (clusters 1+2
against 3+4), also where the team broke a tie: ``mode_binary`` counted the larger side of the votes
until 2026-12-06, so three people saying 1, 3, 4 with a final class 1 agreed with it "2 of 3"."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from starclass.datasets.catalogs import write_fake_legus_folder
from starclass.evaluate.disagreement import catalog_disagreement, disagreement, split_figures
from starclass.io.catalog import read_catalog
from starclass.simulate.humans import agreement_stats


def _standard_with_means(tmp_path, modes_means):
    """A generated standard-layout .tab (35 columns) whose first rows hold these class modes and means."""
    folder = write_fake_legus_folder(tmp_path / "legus", n=40)
    src = next(folder.glob("*ngc628-c*.tab"))
    rows = [line.split() for line in src.read_text().splitlines()]
    for row in rows:
        row[33], mean = "0", "0.0"
        row.append(mean)
    for row, (mode, mean) in zip(rows, modes_means, strict=False):
        row[33], row[34] = str(mode), f"{mean:.2f}"
    out = tmp_path / src.name
    out.write_text("\n".join(" ".join(r) for r in rows) + "\n")
    return out


def test_a_broken_tie_on_the_minority_side_counts_the_people_on_the_final_side(tmp_path):
    # (mode, mean) -> the only split: 1 with 2.67 -> 1, 3, 4 (a three-way tie broken for 1);
    # 4 with 2.33 -> 1, 2, 4 (broken for 4); 2 with 2.33 -> 2, 2, 3; 3 with 3.0 -> 3, 3, 3
    pairs = [(1, 2.67), (4, 2.33), (2, 2.33), (3, 3.0)]
    votes = np.array([[1, 3, 4], [1, 2, 4], [2, 2, 3], [3, 3, 3]])
    path = _standard_with_means(tmp_path, pairs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = read_catalog(path, require_xy=False)
    assert t.meta["legus_layout"] == "standard" and "class_human_mean" in t.colnames
    d = catalog_disagreement(t, path.name)
    assert d["n_used"] == 4 and d["n_ambiguous"] == 0
    # by hand: people on the final class's side 1/3, 1/3, 2/3, 3/3; with it over four classes 1/3, 1/3, 2/3, 1
    assert d["mode_binary"] == pytest.approx((1 / 3 + 1 / 3 + 2 / 3 + 1) / 4)
    assert d["mode_4class"] == pytest.approx((1 / 3 + 1 / 3 + 2 / 3 + 1) / 4)
    # the simulator's people, whose votes are known, count it the same way (the StarcNet definition)
    known = agreement_stats(votes, mode=np.array([m for m, _ in pairs]))
    assert d["mode_binary"] == pytest.approx(known["mode_binary"])
    assert d["mode_4class"] == pytest.approx(known["mode_4class"])


def test_split_figures_final_class_side():
    assert split_figures((1, 3, 4), final=1)["mode_binary"] == pytest.approx(1 / 3)
    assert split_figures((1, 2, 4), final=4)["mode_binary"] == pytest.approx(1 / 3)
    assert split_figures((2, 2, 3))["mode_binary"] == pytest.approx(2 / 3)
    # a strict majority: the final side is the larger side, as before
    assert disagreement([2], [2.33])["mode_binary"] == pytest.approx(2 / 3)
