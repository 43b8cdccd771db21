"""The report of a non-PHANGS cutout task (galaxy-cluster, cool-core) says what was done (2026-12-05).

Found walking the galaxy-cluster task as a user (simulate --preset galaxy-cluster, train, classify --stamps,
report --model --stamps):

* The Catalogues section said "Pairs of catalogues are compared on their one-to-one matched intersection
  (PHANGS-HST convention)" while the cutouts were paired row by row (or by file) and no position was
  matched. It now gives each comparison's own rule, naming the PHANGS-HST convention only for positional
  matches (a PHANGS catalogue's page keeps its sentence).
* The report's Grad-CAM took the last feature map whatever its size: 2 x 2 for the galaxy-cluster preset's
  small CNN on its 64 px stamps, a tilted plane once upsampled, whose radial profile was flat to 1e-8 and
  drawn on an axis labelled "5 .. 8" under a "1e-8+4.833728e-1" offset, while ``starclass explain`` on the
  same model drew its 8 x 8 layer. The report now picks the layer as explain does, names it in the title
  and the caption, and draws the profiles from 0 without an offset; so does ``explain``'s profiles figure
  (a cool-core ResNet-18's flat CAM profiles of its 2 x 2 map were drawn from 0.60 to 0.80).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table

from starclass.datasets.catalogs import fake_catalogs
from starclass.report import build_report

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("single_thread", "unrendered_figures")


def _cutout_output(n=40, seed=0):
    rng = np.random.default_rng(seed)
    ref = rng.integers(1, 3, n)
    p1 = np.clip(np.where(ref == 1, 0.7, 0.3) + rng.normal(0, 0.15, n), 0.01, 0.99)
    return Table({"file": [f"images/sim_{i:06d}_xray.fits" for i in range(n)], "class_ref": ref,
                  "class_pred": np.where(p1 >= 0.5, 1, 2), "prob_1": p1, "prob_2": 1 - p1})


def test_cutouts_scored_row_by_row_are_not_said_to_be_matched_by_position(tmp_path):
    path = build_report(_cutout_output(), None, tmp_path, title="gc", n_boot=0, task="galaxy-cluster")
    html = path.read_text()
    assert "PHANGS-HST convention" not in html and "one-to-one matched" not in html
    assert "compared on the objects paired: class_pred vs class_ref in prediction row by row." in html


def test_a_positional_match_keeps_the_phangs_sentence(tmp_path):
    pred, truth = fake_catalogs(120, accuracy=0.7, seed=1)
    html = build_report(pred, {"truth": truth}, tmp_path, n_boot=0, science=False).read_text()
    assert "one-to-one matched intersection (PHANGS-HST convention)" in html


def test_report_gradcam_of_the_galaxy_cluster_network_uses_explains_layer():
    torch = pytest.importorskip("torch")
    from starclass.learn.config import get_preset
    from starclass.models.registry import build_model
    from starclass.report.build import _gradcam_section

    cfg = get_preset("galaxy-cluster")
    torch.manual_seed(0)
    net = build_model(cfg).eval()
    stamps = np.random.default_rng(0).normal(size=(6, 2, 64, 64)).astype(np.float32)
    classes = np.array([1, 1, 1, 2, 2, 2])
    sec = _gradcam_section((net, stamps, classes), (1, 2), {1: "cluster", 2: "non-cluster"})
    fig = next(i for i in sec.items if i.kind == "figure")
    # the small CNN's last feature map is 2 x 2 at 64 px: explain's choice is its 8 x 8 layer
    assert "Layer features.10, as starclass explain chooses it" in fig.caption, fig.caption
    assert "(8x8)" in fig.caption


def test_the_gradcam_figure_names_the_classes_as_the_other_figures_do(monkeypatch):
    # the profiles' legend and the mean maps said "cluster" where every other figure of the page says "1 cluster"
    torch = pytest.importorskip("torch")
    import starclass.report.sections as sections
    from starclass.learn.config import get_preset
    from starclass.models.registry import build_model
    from starclass.report.build import _gradcam_section

    drawn = []

    def record(fig):
        drawn.append(fig)
        return ""

    monkeypatch.setattr(sections, "to_png_base64", record)
    torch.manual_seed(0)
    net = build_model(get_preset("galaxy-cluster")).eval()
    stamps = np.random.default_rng(0).normal(size=(4, 2, 64, 64)).astype(np.float32)
    _gradcam_section((net, stamps, np.array([1, 1, 2, 2])), (1, 2), {1: "cluster", 2: "non-cluster"})
    (fig,) = drawn
    profiles = next(a for a in fig.axes if a.get_ylabel() == "mean Grad-CAM")
    assert [t.get_text() for t in profiles.get_legend().get_texts()] == ["1 cluster", "2 non-cluster"]
    titles = " ".join(a.get_title().replace("\n", " ") for a in fig.axes)
    assert "mean, 1 cluster" in titles and "mean, 2 non-cluster" in titles, titles
    assert "pred 1 cluster" in titles and "pred 2 non-cluster" in titles, titles


def test_a_flat_gradcam_profile_is_drawn_from_zero_without_an_offset():
    from starclass.report.figures import fig_gradcam

    maps = np.full((2, 8, 8), 0.4833728)
    avg = {1: maps[0]}
    prof = {1: (np.arange(4.0) + 0.5, 0.4833728 + 1e-8 * np.array([3.0, 8.0, 5.0, 5.0]))}
    fig = fig_gradcam(maps, maps, ["pred a", "pred a"], avg, prof, "t", names={1: "a"})
    ax = next(a for a in fig.axes if a.get_ylabel() == "mean Grad-CAM" and a.get_xlabel() == "radius [px]")
    fig.canvas.draw()
    assert ax.get_ylim()[0] == 0.0
    assert ax.yaxis.get_offset_text().get_text() == ""


def test_explain_profiles_are_drawn_from_zero_without_an_offset():
    from starclass.explain.figures import fig_profiles

    r = np.arange(4.0) + 0.5
    flat = 0.4833728 + 1e-8 * np.array([3.0, 8.0, 5.0, 5.0])
    t = Table({"method": ["cam"] * 4, "class": [1] * 4, "radius_px": r, "radius_arcsec": r, "mean": flat,
               "n_stamps": [3] * 4})
    fig = fig_profiles(t, {1: "cool core"}, "t")
    fig.canvas.draw()
    ax = fig.axes[0]
    assert ax.get_ylim()[0] == 0.0
    assert ax.yaxis.get_offset_text().get_text() == ""


def _three_class_output(n=60, seed=0):
    rng = np.random.default_rng(seed)
    ref = np.repeat([1, 2, 3], n // 3)
    p = rng.dirichlet([1, 1, 1], n) * 0.4
    p[np.arange(n), ref - 1] += 0.6  # a good model: every class reaches 80% purity
    p /= p.sum(axis=1, keepdims=True)
    return Table({"file": [f"images/sim_{i:06d}.fits" for i in range(n)], "class_ref": ref,
                  "class_pred": p.argmax(axis=1) + 1, "prob_1": p[:, 0], "prob_2": p[:, 1], "prob_3": p[:, 2]})


def test_the_chosen_threshold_sentence_names_the_class(tmp_path):
    html = build_report(_three_class_output(), None, tmp_path, n_boot=0, task="cool-core").read_text()
    # the figures and the notes named it ("class 2 (weak cool core) vs rest"); the sentence said "Class 2"
    assert "Class 2 (weak cool core) score threshold for 80% purity" in html
    assert "Class 2 score threshold" not in html


def test_a_binary_task_without_a_positive_class_says_the_first_is_taken(tmp_path):
    from typer.testing import CliRunner

    from starclass.cli import app

    t = _cutout_output()
    path = tmp_path / "pred.csv"
    t.write(path, format="ascii.csv")
    # open-globular named no positive class until 2026-12-07 (now globular, the paper's); a task file of one's
    # own that names none is the case now
    none = tmp_path / "og_none.yaml"
    none.write_text("extends: open-globular\npositive_class: null\n")
    said = {}
    for task in (str(none), "galaxy-cluster", "open-globular"):
        res = CliRunner().invoke(app, ["evaluate", str(path), "--task", task, "-o", str(tmp_path / Path(task).stem),
                                       "--bootstrap", "0"])
        assert res.exit_code == 0, res.output
        said[task] = next(line for line in res.output.splitlines() if line.startswith("task "))
    # a task naming no positive class: its first is taken, and the line said "(from --task)" only
    assert "positive class 1 (open) (the first class: the task names no positive class)" in said[str(none)]
    assert "positive class 1 (cluster) (from" in said["galaxy-cluster"]
    assert "positive class 2 (globular) (from" in said["open-globular"]
    html = build_report(t, None, tmp_path / "rep", n_boot=0, task=str(none)).read_text()
    assert "positive class 1 (the first class: the task names no positive class)" in html


def test_a_note_shared_by_every_class_is_said_once(tmp_path):
    html = build_report(_three_class_output(), None, tmp_path, n_boot=0, task="cool-core").read_text()
    # said under each of the three classes' thresholds (five times on a five-class page)
    assert html.count("the prediction has no magnitude column") == 1
