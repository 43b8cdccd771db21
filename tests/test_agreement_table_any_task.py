"""The agreement table between catalogues is built for any task, not the PHANGS scheme alone (2026-12-07).

``evaluate`` built it (and ``report`` drew its bars) only for PHANGS-like tasks: a binary field's prediction, truth
and people's labels, three catalogues with positions, got no word of how far the people agree, the heart of
comparing classifications (issue 17). It is now built on the task's own classes, with PHANGS's merged 1+2 only for
the PHANGS scheme, and the report names it without the paper and its bars by the task's class names.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table

from starclass.evaluate import evaluate_catalogs
from starclass.report import build as report_build
from starclass.report import build_report

pytestmark = pytest.mark.usefixtures("single_thread", "unrendered_figures")


def _three(n=80, seed=0):
    rng = np.random.default_rng(seed)
    xy = {"x": rng.uniform(0, 500, n), "y": rng.uniform(0, 500, n)}
    truth = rng.integers(1, 3, n)

    def noisy(p):
        return np.where(rng.random(n) < p, 3 - truth, truth)

    c1 = noisy(0.2)
    pred = Table({**xy, "class_pred": c1, "prob_1": np.where(c1 == 1, 0.8, 0.2), "prob_2": np.where(c1 == 1, 0.2, 0.8)})
    return pred, {"truth": Table({**xy, "class_ref": truth}), "people": Table({**xy, "class_ref": noisy(0.3)})}


def test_a_binary_task_gets_the_agreement_table_of_its_classes():
    pred, refs = _three()
    ev = evaluate_catalogs(pred, refs, task="galaxy-cluster", n_boot=0)
    t = ev.agreement_table
    assert t is not None, ev.agreement_table_note
    assert t["comparison"].tolist() == ["prediction vs. truth", "prediction vs. people", "truth vs. people",
                                        "mean for above values"]
    fractions = [c for c in t.colnames[2:] if not c.endswith("_err")]
    # no 1+2: a binary task's 1+2 is every object
    assert fractions == ["class_1", "class_2", "mean"], t.colnames
    # truth vs people by hand: the mean of n_both/n_truth and n_both/n_people for class 1
    a, b = np.asarray(refs["truth"]["class_ref"]), np.asarray(refs["people"]["class_ref"])
    both = np.sum((a == 1) & (b == 1))
    assert t["class_1"][2] == pytest.approx((both / np.sum(a == 1) + both / np.sum(b == 1)) / 2)


def test_the_report_draws_a_binary_tasks_bars_with_its_class_names(tmp_path, monkeypatch):
    pred, refs = _three()
    drawn = []
    bars = report_build.F.fig_agreement_bars

    def recorded(table, title, names=None, comparisons=None):
        drawn.append((table.colnames, names))
        return bars(table, title, names, comparisons)

    monkeypatch.setattr(report_build.F, "fig_agreement_bars", recorded)
    page = build_report(pred, refs, tmp_path / "rep", task="galaxy-cluster", n_boot=0, science=False).read_text()
    assert "Agreement fractions between the catalogues" in page and "PHANGS Table 1" not in page
    assert (tmp_path / "rep" / "tables" / "agreement_table.ecsv").exists()
    assert len(drawn) == 1 and drawn[0][1] == {"1": "1 cluster", "2": "2 non-cluster"}, drawn


def test_a_phangs_task_keeps_its_merge_and_its_title(tmp_path):
    rng = np.random.default_rng(1)
    n = 80
    xy = {"x": rng.uniform(0, 500, n), "y": rng.uniform(0, 500, n)}
    pred = Table({**xy, "class_pred": rng.integers(1, 5, n)})
    refs = {"truth": Table({**xy, "class_ref": rng.integers(1, 5, n)}),
            "people": Table({**xy, "class_ref": rng.integers(1, 5, n)})}
    ev = evaluate_catalogs(pred, refs, n_boot=0)
    assert "class_1_2" in ev.agreement_table.colnames
    page = build_report(pred, refs, tmp_path / "rep", n_boot=0, science=False).read_text()
    assert "Agreement fractions (PHANGS Table 1)" in page


def test_a_cutout_list_and_two_references_of_its_cutouts_get_a_table_paired_as_scored(tmp_path):
    # galaxy-cluster with volunteers: the model, the experts' labels (class_ref) and the volunteers' consensus of the
    # same cutouts, a list paired by file; no positions to match
    rng = np.random.default_rng(2)
    n = 60
    files = [f"images/sim_{i:06d}_xray.fits" for i in range(n)]
    experts = rng.integers(1, 3, n)
    model = np.where(rng.random(n) < 0.25, 3 - experts, experts)
    volunteers = np.where(rng.random(n) < 0.35, 3 - experts, experts)
    pred = Table({"file": files, "class_ref": experts, "class_pred": model,
                  "prob_1": np.where(model == 1, 0.8, 0.2), "prob_2": np.where(model == 1, 0.2, 0.8)})
    # the volunteers' list in another order: paired by file, not by row
    order = rng.permutation(n)
    consensus = Table({"file": np.array(files)[order], "class_ref": volunteers[order]})
    pred.write(tmp_path / "classified.ecsv")
    consensus.write(tmp_path / "volunteers.ecsv")
    ev = evaluate_catalogs(tmp_path / "classified.ecsv", ["self", tmp_path / "volunteers.ecsv"],
                           task="galaxy-cluster", n_boot=0)
    t = ev.agreement_table
    assert t is not None, ev.agreement_table_note
    assert len(t) == 4 and [c for c in t.colnames[2:] if not c.endswith("_err")] == ["class_1", "class_2", "mean"]
    # the experts vs the volunteers, by hand on the cutouts: their row is the one not naming the model's column
    both = np.sum((experts == 2) & (volunteers == 2))
    by_hand = (both / np.sum(experts == 2) + both / np.sum(volunteers == 2)) / 2
    assert t["class_2"][2] == pytest.approx(by_hand), t
    assert list(t["n_matched"][:3]) == [n, n, n]
    page = build_report(tmp_path / "classified.ecsv", ["self", tmp_path / "volunteers.ecsv"], tmp_path / "rep",
                        task="galaxy-cluster", n_boot=0, science=False).read_text()
    assert "Objects paired as scored (row by row or by file); agreement" in page
    assert "One-to-one matches within" not in page
