"""Under two references each curve, threshold and trend panel names its reference, in its title and alt text.

Until 2026-12-07 a page scored against ``truth`` and against ``humans`` drew "class 1 vs rest against x [pix],
threshold 0.500" (and the ROC figure, "how sure the predictions are") once under each reference: two figures
with one title and one alt text, which a reader of the titles (or of the page with a screen reader) could not
tell apart. With more than one reference each title now says "(reference truth)" or "(reference humans)"; with
one it does not. Read from the figures' title artists and the page.
"""

from __future__ import annotations

import html
import re

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import write_catalog


def _tables(n: int = 80, seed: int = 5) -> tuple[Table, Table, Table]:
    rng = np.random.default_rng(seed)
    ref = rng.integers(1, 3, n)
    pred = np.where(rng.random(n) < 0.8, ref, 3 - ref)
    people = np.where(rng.random(n) < 0.7, ref, 3 - ref)  # a second reference that differs from the first
    p1 = np.where(pred == 1, rng.uniform(0.5, 1.0, n), rng.uniform(0.0, 0.5, n))
    x, y = rng.uniform(0, 500, n), rng.uniform(0, 500, n)
    classified = Table({"id": np.arange(1, n + 1), "x": x, "y": y, "ci": rng.uniform(1.0, 2.0, n),
                        "class_pred": pred, "prob_1": p1, "prob_2": 1 - p1})
    truth = Table({"id": np.arange(1, n + 1), "x": x, "y": y, "class_ref": ref})
    humans = Table({"id": np.arange(1, n + 1), "x": x, "y": y, "class_ref": people})
    return classified, truth, humans


def _report(tmp_path, refs: tuple[str, ...]) -> list[str]:
    for name, tab in zip(("classified", "truth", "humans"), _tables()):
        write_catalog(tab, tmp_path / f"{name}.ecsv")
    page = tmp_path / "rep" / "p.html"
    args = ["report", str(tmp_path / "classified.ecsv"), "--bootstrap", "0", "-o", str(page)]
    for r in refs:
        args += ["-r", str(tmp_path / f"{r}.ecsv")]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    return [html.unescape(a) for a in re.findall(r"<img alt='([^']*)'", page.read_text())]


def test_two_references_name_theirs_in_each_trend_title(tmp_path, unrendered_figures):
    alts = _report(tmp_path, ("truth", "humans"))
    shown = [" ".join(t.split()) for t in unrendered_figures]  # a title wrapped to its panel, in one line
    # the curves section's panels (the ROC figure's first panel is "ROC, one vs rest": its suptitle names the
    # reference, read in the alt texts below)
    titles = [t for t in shown if re.search(r"vs rest|how sure", t) and not t.startswith("ROC")]
    trends = [t for t in titles if "threshold" in t]
    assert len(trends) >= 4, shown  # x and y (and the size) under each of the two references
    assert len(set(titles)) == len(titles), titles  # no two panels of the curves sections share a title
    for ref in ("truth", "humans"):
        assert sum(f"(reference {ref})" in t for t in trends) == len(trends) // 2, (ref, trends)
    assert all(re.search(r"\(reference (truth|humans)\)", t) for t in titles), titles
    said = [a for a in alts if re.search(r"vs rest.*threshold \d\.\d{3}", a)]
    curves = [a for a in alts if a.startswith("2class") and "accuracy" not in a]  # the ROC figures' suptitles
    assert len(curves) == len(set(curves)) == 2 and all("(reference" in a for a in curves), curves
    assert len(said) == len(set(said)) == len(trends), said  # the alt texts in step: one each, none repeated
    assert all(re.search(r"\(reference (truth|humans)\)", a) for a in said), said


def test_one_reference_names_none(tmp_path, unrendered_figures):
    alts = _report(tmp_path / "one", ("truth",)) if (tmp_path / "one").mkdir() is None else []
    trends = [t for t in unrendered_figures if re.search(r"threshold \d\.\d{3}", t)]
    assert trends, unrendered_figures
    assert not any("(reference" in " ".join(t.split()) for t in trends), trends
    assert not any("(reference" in a for a in alts), alts
