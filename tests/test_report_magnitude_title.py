"""The vs-magnitude panel's title says in words what each point counts, wrapped to its panel.

Until 2026-12-07 it read "threshold 0.500, objects brighter than m", which read as cut off. The report now
titles it "class 1 vs rest against magnitude (f555w), threshold 0.500; each point counts the objects brighter
than the magnitude on the x axis", wrapped
to the panel's width (``fit_titles``), and the page's alt text says the same in one line. Read from the
figures' title artists and the page.
"""

from __future__ import annotations

import re

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.evaluate.threshold import metrics_vs_magnitude
from starclass.io.catalog import write_catalog
from starclass.report import figures as F

SAID = "each point counts the objects brighter than the magnitude on the x axis"


def _classified(n: int = 80, seed: int = 3) -> Table:
    rng = np.random.default_rng(seed)
    ref = rng.integers(1, 3, n)
    pred = np.where(rng.random(n) < 0.8, ref, 3 - ref)
    p1 = np.where(pred == 1, rng.uniform(0.5, 1.0, n), rng.uniform(0.0, 0.5, n))
    return Table({"id": np.arange(1, n + 1), "class_ref": ref, "class_pred": pred, "prob_1": p1, "prob_2": 1 - p1,
                  "mag_f555w": rng.uniform(18.0, 24.0, n)})


def test_the_report_titles_the_magnitude_panel_in_words(tmp_path, unrendered_figures):
    path = tmp_path / "cat.ecsv"
    write_catalog(_classified(), path)
    page = tmp_path / "rep" / "p.html"
    res = CliRunner().invoke(app, ["report", str(path), "--bootstrap", "0", "-o", str(page)])
    assert res.exit_code == 0, res.output
    titles = [" ".join(t.split()) for t in unrendered_figures if "brighter" in t]
    said = rf"class 1 vs rest against magnitude \(f555w\), threshold \d\.\d{{3}}; {SAID}"
    assert titles and all(re.fullmatch(said, t) for t in titles), titles
    alts = [a for a in re.findall(r"<img alt='([^']*)'", page.read_text()) if "brighter" in a]
    assert alts == titles  # the alt text in step, in one line


def test_a_long_magnitude_title_is_wrapped_within_the_figure():
    rng = np.random.default_rng(0)
    y = rng.random(40) < 0.5
    tab = metrics_vs_magnitude(y, np.where(y, 0.8, 0.2), rng.uniform(18.0, 24.0, 40), threshold=0.5)
    fig = F.fig_vs_magnitude(tab, f"threshold 0.500; {SAID}", "f555w")
    fig.canvas.draw()
    title = fig.axes[0].title
    assert " ".join(title.get_text().split()) == f"threshold 0.500; {SAID}"
    box = title.get_window_extent()
    assert 0 <= box.x0 and box.x1 <= fig.bbox.width  # on the figure: one line ran off both sides
