"""The agreement bars say the page's words: its legend the comparisons as the page names them, its ticks wrapped alike.

The legend named the bars by the agreement table's keys ("gc_cls vs. gc_cls class_ref"), file stems the page says
nowhere; and "2 non-cluster" wrapped to two lines under a one-line "1 cluster" (2026-12-07).
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table

from starclass.evaluate import evaluate_catalogs
from starclass.report import build as report_build
from starclass.report import figures as F

pytestmark = pytest.mark.usefixtures("single_thread")


def _cutout_list(tmp_path, n=40):
    rng = np.random.default_rng(2)
    files = [f"images/sim_{i:06d}_xray.fits" for i in range(n)]
    experts = rng.integers(1, 3, n)
    model = np.where(rng.random(n) < 0.25, 3 - experts, experts)
    volunteers = np.where(rng.random(n) < 0.35, 3 - experts, experts)
    Table({"file": files, "class_ref": experts, "class_pred": model,
           "prob_1": np.where(model == 1, 0.8, 0.2), "prob_2": np.where(model == 1, 0.2, 0.8)}).write(
        tmp_path / "gc_cls.ecsv")
    Table({"file": files, "class_ref": volunteers}).write(tmp_path / "volunteers.ecsv")
    return evaluate_catalogs(tmp_path / "gc_cls.ecsv", ["self", tmp_path / "volunteers.ecsv"],
                             task="galaxy-cluster", n_boot=0)


def test_the_legend_names_the_comparisons_as_the_page_does(tmp_path, monkeypatch):
    ev = _cutout_list(tmp_path)
    drawn = []
    real = F.fig_agreement_bars
    monkeypatch.setattr(F, "fig_agreement_bars", lambda *a, **k: drawn.append(real(*a, **k)) or drawn[-1])
    report_build._table1_section(ev, 2.0)
    legend = [t.get_text() for t in drawn[0].axes[0].get_legend().get_texts()]
    assert legend == ["class_pred vs class_ref in gc_cls", "gc_cls vs volunteers",
                      "class_ref in gc_cls vs volunteers"], legend
    # the page's heading of the first comparison says the same words
    assert ev.comparisons[0].heading() == legend[0]


@pytest.mark.parametrize("names", [{"1": "cluster", "2": "non-cluster"},
                                   {"1": "compact cluster", "2": "non-cluster", "3": "star"}])
def test_the_ticks_of_the_bars_wrap_alike(names):
    t = Table({"comparison": ["A vs. B"], **{f"class_{k}": [0.5] for k in names}, "mean": [0.5]})
    fig = F.fig_agreement_bars(t, "agreement", {k: f"{k} {v}" for k, v in names.items()})
    lines = [t.get_text().count("\n") + 1 for t in fig.axes[0].get_xticklabels()][:-1]  # mean has no space
    assert len(set(lines)) == 1, [t.get_text() for t in fig.axes[0].get_xticklabels()]
