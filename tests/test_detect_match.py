"""Cross-matching, crowding, redundancy and selection."""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from hypothesis import given, settings
from hypothesis import strategies as st

from starclass.detect import match_catalogs
from starclass.detect.crowding import crowding_counts, redundant_flags
from starclass.detect.match import one_to_one
from starclass.detect.select import mci_inner_outer, points_in_polygon, select_candidates
from starclass.errors import StarclassError


def test_match_is_one_to_one_and_nearest_first():
    a = Table({"x": [0.0, 1.0, 50.0], "y": [0.0, 0.0, 50.0]})
    b = Table({"x": [0.9, 49.0, 80.0], "y": [0.0, 50.0, 80.0]})
    ia, ib, sep = match_catalogs(a, b, radius=2.0)
    # b[0] is within 2 px of both a[0] and a[1]: only the nearer (a[1]) gets it
    assert ia.tolist() == [1, 2]
    assert ib.tolist() == [0, 1]
    assert sep == pytest.approx([0.1, 1.0])


def test_one_to_one_does_not_depend_on_the_order_of_the_pairs():
    ia, ib, d = np.array([0, 0, 1, 2]), np.array([0, 1, 0, 1]), np.array([0.5, 0.6, 0.4, 0.6])
    ref = one_to_one(ia, ib, d)
    assert ref[0].tolist() == [0, 1] and ref[1].tolist() == [1, 0]
    rev = one_to_one(ia[::-1], ib[::-1], d[::-1])
    for r, s in zip(ref, rev):
        np.testing.assert_array_equal(r, s)
    with pytest.raises(StarclassError, match="one length"):
        one_to_one(ia, ib[:2], d)


def test_match_radius_and_nan_positions():
    a = np.array([[0.0, 0.0], [np.nan, 1.0], [10.0, 10.0]])
    b = np.array([[0.0, 2.5], [np.nan, 1.0], [10.0, 11.9]])
    ia, ib, _ = match_catalogs(a, b, radius=2.0)
    assert ia.tolist() == [2] and ib.tolist() == [2]
    with pytest.raises(StarclassError):
        match_catalogs(a, b, radius=0)
    with pytest.raises(StarclassError, match="'x'"):
        match_catalogs(Table({"y": [1.0]}), b)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0, 30), st.floats(0, 30)), min_size=0, max_size=25),
    st.lists(st.tuples(st.floats(0, 30), st.floats(0, 30)), min_size=0, max_size=25),
    st.floats(0.5, 5.0),
)
def test_match_properties(pa, pb, radius):
    a = np.array(pa, dtype=float).reshape(-1, 2)
    b = np.array(pb, dtype=float).reshape(-1, 2)
    ia, ib, sep = match_catalogs(a, b, radius=radius)
    assert len(set(ia.tolist())) == len(ia) and len(set(ib.tolist())) == len(ib)
    assert np.all(sep <= radius + 1e-12)
    assert np.allclose(sep, np.hypot(*(a[ia] - b[ib]).T))
    # maximality: no unmatched pair is left within the radius
    ua = np.setdiff1d(np.arange(len(a)), ia)
    ub = np.setdiff1d(np.arange(len(b)), ib)
    if len(ua) and len(ub):
        d = np.hypot(a[ua, None, 0] - b[None, ub, 0], a[ua, None, 1] - b[None, ub, 1])
        assert d.min() > radius


def test_crowding_and_redundancy_on_hand_made_layout():
    xy = np.array([
        [10.0, 10.0],  # 0 bright
        [13.0, 10.0],  # 1 faint, 3 px from 0 -> redundant
        [30.0, 30.0],  # 2
        [36.0, 30.0],  # 3, 6 px from 2 -> not redundant
        [80.0, 80.0],  # 4 isolated
        [80.0, 84.0],  # 5, same flux as 6 ... 4 px from 4 and brighter than 4
    ])
    flux = np.array([100.0, 10.0, 5.0, 50.0, 1.0, 20.0])
    red = redundant_flags(xy, flux, radius=5.0)
    assert red.tolist() == [False, True, False, False, True, False]
    crowd = crowding_counts(xy, radius=7.0)
    assert crowd.tolist() == [1, 1, 1, 1, 1, 1]
    assert crowding_counts(xy, radius=2.0).tolist() == [0] * 6
    assert crowding_counts(xy, radius=200.0).tolist() == [5] * 6


def test_redundancy_ties_and_nan_flux():
    xy = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]])
    # equal fluxes: the earlier row is kept; NaN counts as faintest
    assert redundant_flags(xy, np.array([5.0, 5.0, np.nan])).tolist() == [False, True, True]
    assert redundant_flags(xy[:1], np.array([1.0])).tolist() == [False]


def _table():
    return Table({
        "x": [1.0, 2.0, 3.0, 4.0], "y": [1.0, 2.0, 3.0, 4.0],
        "mag_f555w": [21.0, 23.0, np.nan, 22.0], "ci": [1.5, 1.2, 1.6, np.nan],
        "mci_1": [1.0, 0.6, 1.2, 1.0], "mci_2": [1.0, 0.6, 1.2, 1.0],
        "mci_3": [1.0, 0.1, 1.0, 1.0], "mci_4": [1.0, 0.1, 1.0, 1.0], "mci_5": [1.0, 0.1, 1.0, 1.0],
    })


def test_selection_by_magnitude_ci_and_polygon():
    t = _table()
    assert len(select_candidates(t)) == 4
    assert select_candidates(t, mag_limit=22.5)["x"].tolist() == [1.0, 4.0]
    assert select_candidates(t, ci_min=1.35)["x"].tolist() == [1.0, 3.0]
    poly = [(0.8, 0.5), (1.5, 0.5), (1.5, 1.5), (0.8, 1.5)]
    assert select_candidates(t, mci_polygon=poly)["x"].tolist() == [1.0, 3.0, 4.0]
    both = select_candidates(t, mag_limit=22.5, ci_min=1.35, mci_polygon=poly)
    assert both["x"].tolist() == [1.0]
    inner, outer = mci_inner_outer(t)
    assert inner.tolist() == [1.0, 0.6, 1.2, 1.0]
    assert outer[1] == pytest.approx(0.1)


def test_selection_errors():
    t = _table()
    with pytest.raises(StarclassError, match="vertices"):
        points_in_polygon(np.zeros(2), np.zeros(2), [(0, 0), (1, 1)])
    del t["ci"]
    with pytest.raises(StarclassError, match="ci"):
        select_candidates(t, ci_min=1.0)
