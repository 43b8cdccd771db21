"""Each purity/recall trend panel names its selection and its quantity, in its title and alt text.

Until 2026-12-07 the trend panels of a class (against magnitude, size, colour, galactocentric radius, x, y) were all
titled "threshold 0.500": seven figures per reference with one title, and the page's alt texts one sentence
repeated. The report now titles each "class 1 (...) vs rest against x [pix], threshold 0.500". Read from the
figures' title artists and the page.
"""

from __future__ import annotations

import html
import re

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import write_catalog

QUANTITIES = ("magnitude (f555w)", "size (ci)", "x [pix]", "y [pix]")


def _classified(n: int = 80, seed: int = 3) -> Table:
    rng = np.random.default_rng(seed)
    ref = rng.integers(1, 3, n)
    pred = np.where(rng.random(n) < 0.8, ref, 3 - ref)
    p1 = np.where(pred == 1, rng.uniform(0.5, 1.0, n), rng.uniform(0.0, 0.5, n))
    return Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 500, n), "y": rng.uniform(0, 500, n),
                  "ci": rng.uniform(1.0, 2.0, n), "class_ref": ref, "class_pred": pred, "prob_1": p1,
                  "prob_2": 1 - p1, "mag_f555w": rng.uniform(18.0, 24.0, n)})


def test_each_trend_panel_names_its_quantity(tmp_path, unrendered_figures):
    path = tmp_path / "cat.ecsv"
    write_catalog(_classified(), path)
    page = tmp_path / "rep" / "p.html"
    res = CliRunner().invoke(app, ["report", str(path), "--bootstrap", "0", "-o", str(page)])
    assert res.exit_code == 0, res.output
    n_trends = len(list((tmp_path / "rep" / "tables").glob("vs_*.ecsv")))
    assert n_trends >= len(QUANTITIES)
    shown = [" ".join(t.split()) for t in unrendered_figures]  # a title wrapped to its panel, in one line
    titles = [t for t in shown if re.search(r"threshold \d\.\d{3}", t)]
    assert len(titles) == n_trends, titles
    assert len(set(titles)) == len(titles), titles  # no two trend panels of a page share a title
    for q in QUANTITIES:
        assert sum(q in t for t in titles) == 1, (q, titles)
    assert all(re.match(r"class \d+( \(.+\))? vs rest against ", t) for t in titles), titles
    alts = [html.unescape(a) for a in re.findall(r"<img alt='([^']*)'", page.read_text())
            if re.search(r"threshold \d\.\d{3}", a)]
    assert len(set(alts)) == len(alts) == n_trends, alts
    assert all(a.startswith(t) for a, t in zip(alts, titles)), (alts, titles)  # the alt text in step, one line
