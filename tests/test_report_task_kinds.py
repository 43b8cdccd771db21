"""The report of a task of its own kind says and draws what fits it (2026-12-05).

Found walking the non-HST tasks as a user (simulate --preset galaxy-cluster / cool-core, train, classify
--stamps, report --model --stamps):

* every non-PHANGS page said "science checks ... use the PHANGS classes 1-4; task galaxy-cluster has
  classes [1, 2]: left out", as if something of the user's own task were missing: it now says which
  science checks exist and for which kind of task;
* a five-class task's ``binary`` merge drew "cluster vs rest" and "non-cluster vs rest", the second the
  first's mirror with the same AUC, and drew ``cluster`` in the orange of class 5: one curve now, in a
  colour that is no class's;
* the report's Grad-CAM radial profiles were in px where ``starclass explain``'s, of the same model and
  folder, were in arcsec: both in arcsec where the scale is known, the axis saying which.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table

from starclass.report import build_report

pytestmark = pytest.mark.usefixtures("single_thread")


def _output(k: int, n: int = 60, seed: int = 0) -> Table:
    rng = np.random.default_rng(seed)
    ref = np.resize(np.arange(1, k + 1), n)
    p = rng.dirichlet(np.ones(k), n) * 0.5
    p[np.arange(n), ref - 1] += 0.5
    p /= p.sum(axis=1, keepdims=True)
    return Table({"file": [f"images/sim_{i:06d}_xray.fits" for i in range(n)], "class_ref": ref,
                  "class_pred": p.argmax(axis=1) + 1, **{f"prob_{j + 1}": p[:, j] for j in range(k)}})


def test_a_galaxy_cluster_page_says_which_science_checks_exist(tmp_path):
    html = " ".join(build_report(_output(2), None, tmp_path, n_boot=0, task="galaxy-cluster").read_text().split())
    assert "use the PHANGS classes" not in html and "left out" not in html.split("science checks")[1][:200]
    assert ("science checks: the star-cluster ones (colour boxes, luminosity, mass and age functions) need a "
            "star-cluster task with PHANGS-like classes 1-4 and magnitudes (as legus4, phangs4); none exist for "
            "task galaxy-cluster, so none are made") in html


def _five_class_task(tmp_path):
    path = tmp_path / "galaxy-cluster-experts.yaml"
    path.write_text("extends: galaxy-cluster\nclasses: [1, 2, 3, 4, 5]\n"
                    "class_names: [low-z cluster, high-z cluster, nearby galaxy, point source, other]\n"
                    "eval_merges: {binary: {cluster: [1, 2], non-cluster: [3, 4, 5]}}\n"
                    "threshold: null\npositive_class: null\n")
    return str(path)


def test_a_two_group_merge_draws_one_curve(tmp_path):
    from starclass.report.build import evaluate_sections

    sections = evaluate_sections(_output(5), None, task=_five_class_task(tmp_path), n_boot=0)
    items = {it.name: it for s in sections for it in s.items}
    auc = next(it.content for name, it in items.items() if name.startswith("auc_binary"))
    # the merge's second group is the first's mirror: one row (cluster), not two with one AUC
    assert list(auc["class"]) == ["cluster"], auc
    five = next(it.content for name, it in items.items() if name.startswith("auc_") and "binary" not in name)
    assert len(five) == 5  # the task's own classes keep a curve each


def test_a_merged_group_is_drawn_in_no_class_colour():
    from starclass.report.figures import colours_of

    classes = set(colours_of(["1", "2", "3", "4", "5"]))
    groups = colours_of(["cluster", "non-cluster"])
    assert len(set(groups)) == 2 and not set(groups) & classes


def test_report_gradcam_profiles_are_in_arcsec_where_the_scale_is_known():
    torch = pytest.importorskip("torch")
    from starclass.report.build import _gradcam_section
    from starclass.science.gradcam import GradcamInputs

    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1),
                              torch.nn.Flatten(), torch.nn.Linear(4, 2)).eval()
    stamps = np.random.default_rng(0).normal(size=(4, 1, 16, 16)).astype(np.float32)
    classes = np.array([1, 1, 2, 2])
    sec = _gradcam_section(GradcamInputs(net, stamps, classes, (1, 2), pixel_scale=6.5), (1, 2))
    fig = next(it.content for it in sec.items if it.kind == "figure")
    tab = next(it.content for it in sec.items if it.name == "gradcam_profiles")
    assert np.allclose(tab["radius_arcsec"], 6.5 * tab["radius_px"]) and str(tab["radius_arcsec"].unit) == "arcsec"
    assert fig  # drawn
    # without a scale: pixels, as before
    sec = _gradcam_section(GradcamInputs(net, stamps, classes, (1, 2)), (1, 2))
    assert "radius_arcsec" not in next(it.content for it in sec.items if it.name == "gradcam_profiles").colnames


def test_the_profile_axis_says_its_unit():
    from starclass.report.figures import fig_gradcam

    maps = np.random.default_rng(0).random((2, 8, 8))
    prof = {1: (np.arange(4.0) + 0.5, np.ones(4))}
    fig = fig_gradcam(maps, maps, ["a", "a"], {1: maps[0]}, prof, "t", pixel_scale=2.0)
    ax = next(a for a in fig.axes if a.get_ylabel() == "mean Grad-CAM")
    assert ax.get_xlabel() == "radius [arcsec]"
    assert np.allclose(ax.get_lines()[0].get_xdata(), 2.0 * (np.arange(4.0) + 0.5))
