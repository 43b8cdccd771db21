"""The U-B vs V-I figures draw the reddening vector (PHANGS Fig. 9) and the report gives its size.

Before: the figures had the boxes and the SSP track but no reddening arrow, so a reader could not
see which way dust moves a young cluster (towards the older boxes), nor by how much.
"""
from __future__ import annotations

import html
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest

from starclass.datasets.catalogs import fake_catalogs
from starclass.report import build_report
from starclass.report.figures import fig_colour_colour
from starclass.science.colour import reddening_vector
from starclass.science.ssp import ssp_track
from starclass.simulate.ssp import cluster_mags

ROLES = {"u": "f336w", "b": "f438w", "v": "f555w", "i": "f814w"}


@pytest.mark.parametrize("v", ["f555w", "f606w"])
def test_the_vector_is_what_the_simulator_s_dust_does(v):
    roles = dict(ROLES, v=v)
    bands = list(roles.values())
    # the simulator reddens a cluster by A_b = a_over_ebv * E(B-V); E(B-V) for A_V = 1
    m0 = cluster_mags(bands, 1e7, 1e5, 0.0, 10.0)
    a_v = cluster_mags([v], 1e7, 1e5, 1.0, 10.0)[v] - m0[v]
    m1 = cluster_mags(bands, 1e7, 1e5, 1.0 / a_v, 10.0)
    d_vi = (m1[v] - m1["f814w"]) - (m0[v] - m0["f814w"])
    d_ub = (m1["f336w"] - m1["f438w"]) - (m0["f336w"] - m0["f438w"])
    got = reddening_vector(roles, 1.0)
    assert got == pytest.approx((float(d_vi), float(d_ub)), abs=1e-9)
    assert got[0] > 0 and got[1] > 0  # redder in both colours


def test_the_figure_draws_the_arrow():
    track = ssp_track(list(ROLES.values()))
    panel = ("class 1", np.array([-1.0]), np.array([0.2]))
    d_vi, d_ub = reddening_vector(ROLES)
    fig = fig_colour_colour([panel], track, "t", reddening=(d_vi, d_ub, "A_V = 1"))
    ax = fig.axes[0]
    arrows = [c for c in ax.texts if getattr(c, "arrow_patch", None) is not None]
    assert len(arrows) == 1
    (x0, y0), (x1, y1) = arrows[0].xyann, arrows[0].xy
    assert (x1 - x0, y1 - y0) == pytest.approx((d_vi, d_ub))
    assert "A_V = 1" in [t.get_text() for t in ax.texts]
    plt.close(fig)


def test_the_report_gives_the_vector(tmp_path):
    pred, truth = fake_catalogs(120, accuracy=0.7, seed=2)
    page = build_report(pred, {"truth": truth}, tmp_path, distance_mpc=10.0, n_boot=0, science=True)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page.read_text()))
    d_vi, d_ub = reddening_vector(ROLES)
    assert f"Red arrow: reddening by A_V = 1 mag (Cardelli, Clayton & Mathis 1989, R_V = 3.1), " \
           f"Δ(V-I) = {d_vi:+.2f}, Δ(U-B) = {d_ub:+.2f}" in text
