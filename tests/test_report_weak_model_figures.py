"""A weak model's threshold and trend panels say why they have no curve (every score near one value).

Until 2026-12-07 a model whose scores all lie below the threshold (the demo's one-epoch model: every cluster score
0.25-0.50) drew the purity/recall-vs-threshold panel flat at 0 from 0.5 up and each vs_* trend panel as three flat
lines at 0, with nothing saying why. The threshold panel now shades the thresholds no object reaches and says so;
a trend panel that selects nothing, or only wrong objects, draws no curves and says which in the panel (a text of
gid "note", which the page's alt text carries too). Read from the figures' artists.
"""

from __future__ import annotations

import re

import numpy as np

from starclass.evaluate.threshold import metrics_vs_magnitude, metrics_vs_quantity, threshold_scan
from starclass.report import figures as F
from starclass.report.sections import Section, render_html


def _weak(n: int = 60, seed: int = 0):
    """Labels, scores all 0.25-0.45 (a weak model) and magnitudes."""
    rng = np.random.default_rng(seed)
    y = rng.random(n) < 0.35
    return y, rng.uniform(0.25, 0.45, n), rng.uniform(18.0, 26.0, n)


def _notes(fig) -> list[str]:
    return [" ".join(t.get_text().split()) for ax in fig.axes for t in ax.texts if t.get_gid() == "note"]


def test_threshold_panel_shades_and_names_the_thresholds_no_object_reaches():
    y, s, _ = _weak()
    scan = threshold_scan(y, s)
    fig = F.fig_threshold(scan, None, "cluster (1+2) vs rest")
    ax = fig.axes[0]
    first_empty = float(np.asarray(scan["threshold"])[np.asarray(scan["n_selected"]) == 0].min())
    assert s.max() < first_empty
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"no score >= {first_empty:.2f}:\nnothing selected" in legend
    spans = [p for p in ax.patches if abs(p.get_x() - first_empty) < 1e-9]
    assert len(spans) == 1  # the shaded thresholds start where nothing is selected
    assert any(f"{first_empty:.2f} or more" in n and "nothing selected" in n for n in _notes(fig))


def test_threshold_panel_of_a_model_reaching_every_threshold_has_no_shade():
    y = np.array([1, 0] * 20, bool)
    s = np.where(y, 0.99, 0.01)
    fig = F.fig_threshold(threshold_scan(y, s), None, "class 1 vs rest")
    assert _notes(fig) == []
    assert not any("nothing selected" in t.get_text() for t in fig.axes[0].get_legend().get_texts())


def test_magnitude_panel_of_a_model_selecting_nothing_says_so_instead_of_flat_lines():
    y, s, mag = _weak()
    tab = metrics_vs_magnitude(y, s, mag, threshold=0.5)
    fig = F.fig_vs_magnitude(tab, "threshold 0.500, objects brighter than m", "f555w")
    assert len(fig.axes[0].lines) == 0  # no flat lines at 0
    notes = _notes(fig)
    assert len(notes) == 1
    assert notes[0].startswith("no object scores above the threshold 0.500")
    assert f"none of the {int(y.sum())} true ones" in notes[0]


def test_quantity_panel_of_a_model_selecting_only_wrong_objects_says_so():
    y, s, _ = _weak()
    s = s.copy()
    wrong = np.flatnonzero(~y)[:3]
    s[wrong] = 0.9  # three non-members above the threshold, no member
    tab = metrics_vs_quantity(y, s, np.linspace(0.0, 1.0, len(y)), 0.5, nbins=4)
    fig = F.fig_vs_quantity(tab, "threshold 0.500", "crowding")
    assert len(fig.axes[0].lines) == 0
    assert _notes(fig) == [f"the 3 objects selected above the threshold 0.500 are all wrong (none of the "
                           f"{int(y.sum())} true ones): purity, recall and F1 are 0"]


def test_a_quantity_panel_with_a_selection_draws_its_curves_and_names_the_bins_without_purity():
    y = np.array([1, 0, 1, 1, 0, 0, 1, 0], bool)
    s = np.array([0.9, 0.8, 0.7, 0.6, 0.1, 0.2, 0.3, 0.1])  # nothing selected in the last two of four bins
    tab = metrics_vs_quantity(y, s, np.arange(8.0), 0.5, nbins=4)
    fig = F.fig_vs_quantity(tab, "threshold 0.500", "fwhm")
    assert [ln.get_label() for ln in fig.axes[0].lines] == ["purity", "recall", "f1"]
    assert _notes(fig) == ["no purity in 2 of 4 bins: nothing selected there"]


def test_the_page_alt_text_carries_the_panel_note():
    y, s, mag = _weak()
    tab = metrics_vs_magnitude(y, s, mag, threshold=0.5)
    sec = Section("Curves")
    sec.figure("vs_magnitude_truth", F.fig_vs_magnitude(tab, "threshold 0.500, objects brighter than m", "f555w"))
    alt = re.findall(r"<img alt='([^']*)'", render_html([sec], title="r"))
    assert alt == ["threshold 0.500, objects brighter than m. no object scores above the threshold 0.500: none of "
                   f"the {int(y.sum())} true ones is selected, so purity is undefined and recall and F1 are 0"]
