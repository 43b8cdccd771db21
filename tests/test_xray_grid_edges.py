"""The galaxy-cluster simulator's X-ray cutouts have no frame of empty pixels (2026-12-07).

Found looking at the mistakes gallery of a galaxy-cluster report: every cutout had a black frame. Simulated at a
--size other than 168 (the detector's 2.5"/px over 7'), the X-ray counts are put on the cutout's grid with
reproject_adaptive, whose default 'strict' boundary made every output pixel whose kernel reached past the
detector's edge NaN, then 0: two rows and columns of zero counts round every X-ray image, which the network saw
as well (the same frame in every cutout, whatever its class). The samples beyond the edge are now left out of the
pixel's weights ('ignore').
"""

from __future__ import annotations

import numpy as np
import pytest

from starclass.simulate.labelled import celestial_wcs
from starclass.simulate.xray_candidates import CandidateSimConfig, simulate_candidate, to_common_grid

pytest.importorskip("reproject")


@pytest.mark.parametrize("size", [64, 200])
def test_counts_put_on_another_grid_fill_it_to_the_edge(size):
    rng = np.random.default_rng(0)
    w_det = celestial_wcs((168, 168), 2.5)
    w_out = celestial_wcs((size, size), 420 / size)
    out = np.array([to_common_grid(rng.poisson(0.2, (168, 168)).astype(float), w_det, w_out, (size, size),
                                   counts=True) for _ in range(10)]).mean(axis=0)
    inner = out[5:-5, 5:-5].mean()
    edges = {"first row": out[0], "last row": out[-1], "first column": out[:, 0], "last column": out[:, -1],
             "second row": out[1], "second column": out[:, 1]}
    for name, line in edges.items():
        # the mean of 10 images: a row of 64 pixels holds ~9000 counts, 1% noise
        assert 0.9 < line.mean() / inner < 1.1, (name, line.mean(), inner)
    assert np.isfinite(out).all()


def test_a_simulated_candidate_has_counts_on_its_border():
    cfg = CandidateSimConfig(size=64)
    border = []
    for i in range(3):
        imgs, _ = simulate_candidate(cfg, i, 5)
        x = imgs["xray"]
        border.append(np.concatenate([x[:2].ravel(), x[-2:].ravel(), x[:, :2].ravel(), x[:, -2:].ravel()]))
    # the sky and particle background, 0.05-0.3 counts per detector pixel (~0.35-2 per 6.6" pixel)
    assert np.mean(np.concatenate(border)) > 0.1
