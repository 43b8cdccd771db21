"""The HTML report and the evaluate/report commands."""

import re

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.catalogs import fake_catalogs
from starclass.errors import StarclassError
from starclass.report import build_report, run_evaluation


@pytest.fixture(scope="module")
def cats():
    return fake_catalogs(300, accuracy=0.7, seed=1)


@pytest.fixture(scope="module")
def built_report(cats, tmp_path_factory):
    """One full report of ``cats`` (its folder) and the axis labels of every figure drawn into it.

    Two tests read it: building the page (26 figures) is the costliest step of this file.
    """
    from starclass.report import sections

    labels = []
    drawn = sections.to_png_base64

    def record(fig, *a, **k):
        labels.extend(t for ax in fig.axes for t in (ax.get_xlabel(), ax.get_ylabel()) if t)
        return drawn(fig, *a, **k)

    pred, truth = cats
    out = tmp_path_factory.mktemp("report")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sections, "to_png_base64", record)
        path = build_report(pred, {"truth": truth}, out, title="unit test", distance_mpc=10.0, n_boot=30)
    return path, labels


def test_report_is_self_contained_with_tables(built_report):
    path, _ = built_report
    tmp_path = path.parent
    html = path.read_text()
    assert path.name == "report.html"
    imgs = re.findall(r"src='data:image/png;base64,([A-Za-z0-9+/=]+)'", html)
    assert len(imgs) >= 10
    assert not re.search(r"src='(?!data:)", html)  # nothing loaded from elsewhere
    assert ">nan<" not in html.lower() and ">inf<" not in html.lower()
    for needle in ("four classes", "PHANGS agreement", "Colour-colour", "Mass functions", "threshold"):
        assert needle in html
    tables = sorted((tmp_path / "tables").glob("*.ecsv"))
    assert len(tables) >= 15
    linked = set(re.findall(r"href='tables/([^']+\.ecsv)'", html))
    assert linked == {p.name for p in tables}
    summary = Table.read(tmp_path / "tables" / "summary_truth.ecsv")
    acc = float(summary["accuracy"][summary["merge"] == "4class"][0])
    # fake_catalogs: 70% right by construction
    assert 0.6 < acc < 0.8
    assert summary["accuracy_lo"][0] < acc < summary["accuracy_hi"][0]


def test_self_reference_and_gradcam_section(cats, tmp_path):
    torch = pytest.importorskip("torch")
    pred, truth = cats
    both = pred.copy()
    both["class_ref"] = truth["class_ref"]
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(2, 4, 3, padding=1), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1),
                                torch.nn.Flatten(), torch.nn.Linear(4, 4))
    stamps = np.random.default_rng(0).normal(size=(12, 2, 16, 16)).astype(np.float32)
    classes = np.repeat([1, 2, 3, 4], 3)
    path = build_report(both, None, tmp_path, title="self", n_boot=20, gradcam_inputs=(model, stamps, classes))
    html = path.read_text()
    # the reference keeps its name in the tables (prediction_class_ref); the agreement table's columns
    # name the two columns compared (n_class_pred, n_class_ref: "n_prediction class_ref" before)
    assert "agreement_prediction_class_ref.ecsv" in html and "Grad-CAM" in html
    agreement = Table.read(tmp_path / "tables" / "agreement_prediction_class_ref.ecsv")
    assert agreement.colnames[:3] == ["class", "n_class_pred", "n_class_ref"]
    # the headings name the two columns compared ("prediction vs prediction class_ref" before)
    headings = re.findall(r"<h2>([^<]*)</h2>", html)
    assert "class_pred vs class_ref in prediction: metrics" in headings, headings
    assert not any("prediction vs prediction" in h for h in headings), headings
    prof = Table.read(tmp_path / "tables" / "gradcam_profiles.ecsv")
    assert set(prof["class"]) == {1, 2, 3, 4}


def test_run_evaluation_headline(cats, tmp_path):
    pred, truth = cats
    res = run_evaluation(pred, [truth], tmp_path, n_boot=20, science=False)
    acc = res["headline"]["reference1"]
    assert acc["12v34"] > acc["4class"]
    assert (tmp_path / "summary.json").exists() and res["figures"]


def test_no_overlap_and_bad_class_are_clear(cats):
    pred, truth = cats
    far = truth.copy()
    far["x"] = far["x"] + 10000
    from starclass.report.build import evaluate_sections

    with pytest.raises(StarclassError, match="no overlap"):
        evaluate_sections(pred, {"far": far}, science=False, n_boot=10)
    bad = pred.copy()
    bad["class_pred"][5] = 7
    with pytest.raises(StarclassError, match=r"class \[7\].*row 6"):
        evaluate_sections(bad, {"truth": truth}, science=False, n_boot=10)


def test_cli_evaluate_and_report(cats, tmp_path):
    pred, truth = cats
    pred.write(tmp_path / "pred.ecsv")
    truth.write(tmp_path / "truth.ecsv")
    runner = CliRunner()
    r = runner.invoke(app, ["evaluate", str(tmp_path / "pred.ecsv"), "--reference", str(tmp_path / "truth.ecsv"),
                            "-o", str(tmp_path / "ev"), "--bootstrap", "20", "--no-science"])
    assert r.exit_code == 0, r.output
    assert "4class: accuracy " in r.output
    assert (tmp_path / "ev" / "tables" / "summary_truth.ecsv").exists()
    r = runner.invoke(app, ["report", str(tmp_path / "pred.ecsv"), "-r", str(tmp_path / "truth.ecsv"),
                            "-o", str(tmp_path / "rep" / "my.html"), "--bootstrap", "20", "--distance", "10"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "rep" / "my.html").exists()
    r = runner.invoke(app, ["evaluate", str(tmp_path / "pred.ecsv"), "-r", str(tmp_path / "missing.ecsv"),
                            "-o", str(tmp_path / "x")])
    assert r.exit_code == 2
    assert "missing.ecsv: no such file" in " ".join(r.output.split())


@pytest.mark.parametrize("target", ["pred.ecsv", "notes.txt"])
def test_report_out_naming_a_file_is_refused_before_the_evaluation(cats, tmp_path, monkeypatch, target):
    """-o pred.ecsv (a name without .html is a folder) failed after the evaluation: 'cannot write pred.ecsv/tables'."""
    import starclass.report.build as build

    pred, truth = cats
    pred.write(tmp_path / "pred.ecsv")
    truth.write(tmp_path / "truth.ecsv")
    (tmp_path / "notes.txt").write_text("mine")

    def no_evaluation(*a, **k):
        raise AssertionError("the evaluation ran before the output was checked")

    monkeypatch.setattr(build, "build_report", no_evaluation)
    r = CliRunner().invoke(app, ["report", str(tmp_path / "pred.ecsv"), "-r", str(tmp_path / "truth.ecsv"),
                                 "-o", str(tmp_path / target), "--bootstrap", "0", "--overwrite"])
    assert r.exit_code == 2 and f"--output {tmp_path / target}" in r.output and "Traceback" not in r.output, r.output
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "pred.ecsv", "truth.ecsv"]


def test_report_mosaics_without_model_are_refused(cats, tmp_path):
    """--mosaics serve only --model's Grad-CAM: alone they were ignored and the page written without it."""
    pred, truth = cats
    pred.write(tmp_path / "pred.ecsv")
    truth.write(tmp_path / "truth.ecsv")
    (tmp_path / "m").mkdir()
    r = CliRunner().invoke(app, ["report", str(tmp_path / "pred.ecsv"), "-r", str(tmp_path / "truth.ecsv"), "-o",
                                 str(tmp_path / "rep.html"), "--mosaics", str(tmp_path / "m"), "--bootstrap", "0"])
    assert r.exit_code == 2 and "--mosaics" in r.output and "--model" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "rep.html").exists()


@pytest.mark.parametrize("n_classes", [2, 5])
def test_gradcam_figure_profile_label_clears_the_mean_maps(n_classes):
    # the radial-profile panel sat in the column next to the last mean map: its y label
    # ("mean Grad-CAM") was drawn over that map in the two- and five-class reports
    from starclass.report.figures import fig_gradcam

    avg = {k: np.random.default_rng(k).random((16, 16)) for k in range(1, n_classes + 1)}
    prof = {k: (np.arange(8.0), np.linspace(0.2, 0.4, 8)) for k in avg}
    fig = fig_gradcam(np.zeros((2 * n_classes, 16, 16)), np.zeros((2 * n_classes, 16, 16)),
                      ["x"] * (2 * n_classes), avg, prof, "t")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    profile = next(ax for ax in fig.axes if ax.get_ylabel())
    label_box = profile.yaxis.label.get_window_extent(renderer)
    means = [ax for ax in fig.axes if ax.get_title().startswith("mean, class")]
    assert len(means) == n_classes
    for ax in means:
        assert not label_box.overlaps(ax.get_window_extent(renderer)), ax.get_title()


def test_report_help_says_out_may_be_a_folder(tmp_path):
    """`report -o run/report` wrote run/report/report.html, while --help said only "HTML file to write"."""
    import os

    r = CliRunner().invoke(app, ["report", "--help"], env={**os.environ, "COLUMNS": "200"})
    assert r.exit_code == 0
    text = " ".join(r.output.replace("│", " ").split())
    assert "or a folder to write report.html into" in text, text


def test_human_section_says_vs_mode_is_on_objects_with_three_labels():
    """With two people no object has 3 labels: vs_mode is NaN, and the table's caption said only
    'each classifier against the final label', as if every object had been compared."""
    import types

    from starclass.evaluate.agreement import human_baselines
    from starclass.report.build import _human_section

    t = Table({"class_ref": [1, 2, 3, 4, 1, 2], "class_h1": [1, 2, 3, 4, 1, 2], "class_h2": [1, 3, 3, 4, 2, 2]})
    s = _human_section(types.SimpleNamespace(humans=[("h", human_baselines(t, min_overlap=1), None)]))
    text = " ".join(str(i.content) for i in s.items if i.kind == "text")
    assert "individual vs final (mode): not computed, no object has 3 or more labels" in text
    caption = next(i.caption for i in s.items if i.kind == "table" and "vs_mode" in i.name)
    assert "on the objects with 3 or more labels and an untied mode" in caption


def _figure_texts(monkeypatch):
    """Capture every text a report figure draws (title, ticks, legend) instead of its PNG."""
    import matplotlib.pyplot as plt

    import starclass.report.sections as sections

    drawn: dict[int, list[str]] = {}

    def record(fig):
        drawn[len(drawn)] = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
        plt.close(fig)
        return ""

    monkeypatch.setattr(sections, "to_png_base64", record)
    return drawn


def test_binary_report_figures_name_the_task_classes(monkeypatch):
    """The confusion matrix, ROC/PR and score CDF of m31-real named its classes '1', 'class 2'."""
    from starclass.report.build import evaluate_sections

    rng = np.random.default_rng(3)
    ref = rng.integers(1, 3, 200)
    pred = np.where(rng.random(200) < 0.8, ref, 3 - ref)
    p1 = np.clip(np.where(pred == 1, 0.75, 0.25) + rng.normal(0, 0.1, 200), 0.01, 0.99)
    t = Table({"class_pred": pred, "class_ref": ref, "prob_1": p1, "prob_2": 1 - p1})
    drawn = _figure_texts(monkeypatch)
    evaluate_sections(t, ["self"], task="m31-real", n_boot=0, science=False)
    texts = [x for v in drawn.values() for x in v]
    joined = "\n".join(texts)
    assert "1 cluster" in texts and "2 non-cluster" in texts          # confusion ticks
    assert "1 cluster (AUC" in joined and "1 cluster (AP" in joined   # ROC and PR legends
    assert re.search(r"^2 non-cluster \(n=\d+\)$", joined, re.M)      # score CDF legend
    assert "class 1 (cluster) vs rest" in texts
    # a binary task shows none of the PHANGS names
    assert not re.search(r"symmetric|association", joined)


def test_roc_curves_of_named_groups_are_told_apart():
    """A task's own binary merge (groups cluster, galaxy) drew both ROC/PR curves in one grey,
    its legend reading 'class cluster' and 'class galaxy'."""
    from starclass.evaluate.curves import one_vs_rest
    from starclass.report.figures import fig_curves

    rng = np.random.default_rng(0)
    ref = rng.integers(1, 4, 300)
    probs = rng.dirichlet(np.ones(3), 300)
    roc, pr, _ = one_vs_rest(ref, probs, "binary", [1, 2, 3], {"cluster": (1, 2), "galaxy": (3,)})
    fig = fig_curves(roc, pr, "t")
    for ax in fig.axes:
        lines = [ln for ln in ax.get_lines() if ln.get_label() and not ln.get_label().startswith("_")]
        assert len(lines) == 2
        assert len({ln.get_color() for ln in lines}) == 2
        assert [ln.get_label().split(" (")[0] for ln in lines] == ["cluster", "galaxy"]


def test_trend_figures_give_the_units_of_their_quantities(monkeypatch):
    """purity/recall/F1 against size, galactocentric radius and x had no unit on the x axis
    ('size (fwhm)', 'galactocentric radius', 'x'): pixels, parsecs and kpc looked alike."""
    from starclass.report.build import evaluate_sections

    rng = np.random.default_rng(5)
    n = 300
    ref = rng.integers(1, 3, n)
    pred = np.where(rng.random(n) < 0.8, ref, 3 - ref)
    p1 = np.clip(np.where(pred == 1, 0.75, 0.25) + rng.normal(0, 0.1, n), 0.01, 0.99)
    t = Table({"class_pred": pred, "class_ref": ref, "prob_1": p1, "prob_2": 1 - p1, "fwhm": rng.uniform(1, 5, n),
               "r_gal": rng.uniform(0, 20, n), "x": rng.uniform(0, 500, n), "y": rng.uniform(0, 500, n)})
    drawn = _figure_texts(monkeypatch)
    evaluate_sections(t, ["self"], task="m31-real", n_boot=0, science=False)
    texts = {x for v in drawn.values() for x in v}
    assert {"size (fwhm) [pix]", "galactocentric radius [kpc]", "x [pix]", "y [pix]"} <= texts


def test_legus_class_mix_legend_leaves_the_bars_visible():
    """report --catalogs: the class-mix panel's legend sat on the tops of the stacked bars (which
    fill 0..1), hiding the class 4 share of the first fields; the mass-slope panel had no y label."""
    from starclass.report.many import summary_figure

    n = 6
    fig = summary_figure(_many_tables(n, with_quantities=False))
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent(r)
    bars = [p.get_window_extent(r) for p in ax.patches]
    assert len(bars) == 4 * n
    assert not any(legend.overlaps(b) for b in bars)
    assert "slope" in fig.axes[7].get_ylabel()


def _many_tables(n: int = 6, *, with_quantities: bool = True) -> dict:
    """The tables summary_figure draws, for ``n`` fields (distributions empty unless asked)."""
    rng = np.random.default_rng(2)
    counts = rng.integers(5, 50, (n, 4))
    fields = Table({"field": [f"ngc{i}" for i in range(n)], "distance_mpc": np.linspace(3, 18, n),
                    "n_inspected": counts.sum(axis=1)})
    for k in range(4):
        fields[f"n_{k + 1}"] = counts[:, k]
    dist = Table(names=("field", "class", "quantity", "n", "median", "q25", "q75"),
                 dtype=(str, int, str, int, float, float, float))
    if with_quantities:
        for f in fields["field"]:
            for k in (1, 2, 3, 4):
                for q, med in (("ci", 1.5), ("abs_mag_v", -7.0), ("u_b", -1.0), ("v_i", 0.5)):
                    dist.add_row((f, k, q, 20, med, med - 0.1, med + 0.1))
    slopes = Table({"field": list(fields["field"]), "beta": np.ma.masked_array(np.full(n, -2.0), [False] * n),
                    "beta_err": np.full(n, 0.1)})
    return {"fields": fields, "distributions": dist, "mass_slopes": slopes}


def test_legus_summary_quantity_panels_have_y_labels_with_units():
    """report --catalogs DIR: the CI, M_V, U-B and V-I panels of the summary figure had no y-axis
    label (only a title; M_V, U-B, V-I without a unit), unlike the other panels."""
    from starclass.report.many import summary_figure

    fig = summary_figure(_many_tables())
    labels = {ax.get_title().split(":")[0].split(" (")[0]: (ax.get_xlabel(), ax.get_ylabel()) for ax in fig.axes}
    assert labels["CI"] == ("distance [Mpc]", "CI [mag]")
    assert labels["M_V"] == ("distance [Mpc]", "M_V [mag]")
    assert labels["U-B"] == ("distance [Mpc]", "U-B [mag]")
    assert labels["V-I"] == ("distance [Mpc]", "V-I [mag]")


def test_threshold_figure_says_when_it_is_on_the_raw_probabilities(monkeypatch):
    """A binary catalogue with prob_1_raw has its purity threshold scanned on prob_1_raw (the text
    says so); the figure's x axis read 'threshold on the cluster score', as if on prob_1."""
    from starclass.report.build import evaluate_sections

    rng = np.random.default_rng(4)
    ref = rng.integers(1, 3, 200)
    pred = np.where(rng.random(200) < 0.8, ref, 3 - ref)
    raw = np.clip(np.where(pred == 1, 0.8, 0.2) + rng.normal(0, 0.1, 200), 0.01, 0.99)
    cal = 0.5 + 0.6 * (raw - 0.5)
    t = Table({"class_pred": pred, "class_ref": ref, "prob_1": cal, "prob_2": 1 - cal, "prob_1_raw": raw,
               "prob_2_raw": 1 - raw})
    drawn = _figure_texts(monkeypatch)
    evaluate_sections(t, ["self"], task="m31-real", n_boot=0, science=False)
    labels = [x for v in drawn.values() for x in v if x.startswith("threshold on")]
    assert labels and all("prob_1_raw" in x for x in labels)


def test_the_reliability_legend_says_what_its_line_is_without_raw_probabilities(monkeypatch):
    """A catalogue with prob_<k> and no prob_<k>_raw: the reliability diagram's one line was named "prob_<k> (ECE
    ...)" in its legend, a pattern of column names; it is the probabilities as written, as the calibration table's
    row says."""
    from starclass.report.build import evaluate_sections

    rng = np.random.default_rng(7)
    ref = rng.integers(1, 3, 200)
    pred = np.where(rng.random(200) < 0.8, ref, 3 - ref)
    p1 = np.clip(np.where(pred == 1, 0.75, 0.25) + rng.normal(0, 0.1, 200), 0.01, 0.99)
    t = Table({"class_pred": pred, "class_ref": ref, "prob_1": p1, "prob_2": 1 - p1})
    drawn = _figure_texts(monkeypatch)
    evaluate_sections(t, ["self"], task="m31-real", n_boot=0, science=False)
    legends = {x for v in drawn.values() if "perfect" in v for x in v if "(ECE " in x}
    assert len(legends) == 1, legends
    assert legends.pop().startswith("probabilities as written (ECE ")


def test_threshold_figure_without_a_threshold_says_why(monkeypatch):
    """A class the model never scores high (extended_cluster of a three-class PAndAS task) drew
    purity, recall and F1 flat at 0 with nothing in the figure saying that no threshold reaches
    the target purity (only the HTML note did; evaluate's PNG had nothing)."""
    from starclass.report.build import evaluate_sections

    rng = np.random.default_rng(6)
    ref = rng.integers(1, 3, 200)
    pred = ref.copy()
    p1 = np.full(200, 0.5)  # no score separates the classes: purity stays at the class share
    t = Table({"class_pred": pred, "class_ref": ref, "prob_1": p1, "prob_2": 1 - p1})
    drawn = _figure_texts(monkeypatch)
    evaluate_sections(t, ["self"], task="m31-real", n_boot=0, science=False)
    threshold_figs = [v for v in drawn.values() if any(x.startswith("threshold on") for x in v)]
    assert len(threshold_figs) == 1
    said = " ".join(threshold_figs[0]).replace("\n", " ")
    assert "no threshold reaches purity 0.80" in said


def test_every_report_panel_labels_both_axes(monkeypatch):
    """report on a PHANGS-style catalogue: the threshold and trend figures had no left y label
    (purity, recall and F1 share it; the twin axis said 'objects per bin'), and the symmetric
    confusion and person-vs-person matrices had neither axis labelled."""
    import matplotlib.pyplot as plt

    import starclass.report.sections as sections
    from starclass.report.build import evaluate_sections

    unlabelled, titles = [], set()

    def check(fig):
        for ax in fig.axes:
            if ax.get_label() == "<colorbar>":
                # a colour bar (the confusion matrices') is labelled along its length only
                assert ax.get_ylabel() or ax.get_xlabel(), fig.axes[0].get_title()
                continue
            titles.add(ax.get_title())
            # a panel stacked on another that shares its x axis (reliability over its histogram)
            # is labelled by the one below; a twin (counts on the right) shares its host's x label
            shared_x = ax.get_shared_x_axes().get_siblings(ax)
            twin = len(shared_x) > 1 and ax.yaxis.get_label_position() == "right"
            if not twin and not any(a.get_xlabel() for a in shared_x):
                unlabelled.append((fig.axes[0].get_title(), "x"))
            if not ax.get_ylabel():
                unlabelled.append((fig.axes[0].get_title(), "y"))
        plt.close(fig)
        return ""

    monkeypatch.setattr(sections, "to_png_base64", check)
    rng = np.random.default_rng(5)
    n = 400
    ref = rng.integers(1, 5, n)
    pred = np.where(rng.random(n) < 0.7, ref, rng.integers(1, 5, n))
    p = rng.dirichlet(np.ones(4), n) * 0.5
    p[np.arange(n), pred - 1] += 0.5
    people = {f"class_h{i}": np.where(rng.random(n) < 0.7, ref, rng.integers(1, 5, n)) for i in (1, 2, 3)}
    t = Table({"class_pred": pred, "class_ref": ref, **{f"prob_{k}": p[:, k - 1] for k in range(1, 5)}, **people,
               "mag_f555w": rng.uniform(20, 25, n), "fwhm": rng.uniform(1, 5, n), "x": rng.uniform(0, 500, n),
               "y": rng.uniform(0, 500, n)})
    evaluate_sections(t, ["self"], task="phangs4", n_boot=0, science=False)
    assert {"symmetric confusion (PHANGS)", "person vs person", "cluster (1+2) vs rest"} <= titles
    assert unlabelled == []


def test_legus_summary_with_small_fields_draws_no_empty_legend():
    """report --catalogs on fields with fewer than 5 sources of every class printed matplotlib's
    'No artists with labels found to put in legend' warning and drew an empty legend box in a
    blank CI panel; now no legend, and each empty panel says why it is empty."""
    import warnings

    from starclass.report.many import summary_figure

    tables = _many_tables(with_quantities=False)
    tables["mass_slopes"]["beta"].mask = True
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = summary_figure(tables)
    quantity_panels = [ax for ax in fig.axes if "median and IQR" in ax.get_title()]
    assert len(quantity_panels) == 4
    for ax in quantity_panels:
        assert ax.get_legend() is None
        assert any("no field has 5 or more sources of one class" in t.get_text() for t in ax.texts)
    assert any("no field has enough class 1+2 clusters" in t.get_text() for t in fig.axes[7].texts)


def test_legus_summary_class_key_on_the_first_panel_with_points():
    """With CI missing everywhere but M_V, U-B and V-I drawn, the class key sat as an empty box on
    the blank CI panel; it now goes on the first panel with points."""
    from starclass.report.many import summary_figure

    tables = _many_tables()
    dist = tables["distributions"]
    tables["distributions"] = dist[dist["quantity"] != "ci"]
    fig = summary_figure(tables)
    legends = {ax.get_title().split(":")[0]: ax.get_legend() is not None for ax in fig.axes[1:5]}
    assert legends == {"CI": False, "M_V": True, "U-B": False, "V-I": False}


def test_magnitude_and_colour_axes_give_their_unit():
    """report: the colour-colour panels read 'V - I' / 'U - B', the luminosity function 'm (V)', the
    trend against magnitude 'limiting magnitude (f555w)' and the agreement trend 'mag_f555w (bin
    median ...)', with no unit where the other figures give theirs ('log M [Msun]', 'x [pix]')."""
    from starclass.report import figures as F

    fig = F.fig_colour_colour([("class 1", np.array([-1.0, 0.0]), np.array([0.5, 1.0]))])
    assert (fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()) == ("V - I [mag]", "U - B [mag]")
    hist = Table({"mag_lo": [20.0, 21.0], "mag_hi": [21.0, 22.0], "n": [3, 5]})
    assert F.fig_luminosity([("prediction", hist)], "V", "lf").axes[0].get_xlabel() == "m (V) [mag]"
    scan = Table({"mag_hi": [21.0, 22.0], "purity": [0.9, 0.8], "recall": [0.5, 0.6], "f1": [0.6, 0.7], "n": [4, 9]})
    assert F.fig_vs_magnitude(scan, "t", "f555w").axes[0].get_xlabel() == "limiting magnitude (f555w) [mag]"
    bins = Table({"mag_f555w_median": [21.0, 22.0], "crowding_median": [0.1, 0.2],
                  **{f"class_{k}": [0.5, 0.6] for k in (1, 2, 3, 4)}})
    trends = [{"class": 1, "slope": 0.1, "intercept": 0.0}]
    assert F.fig_agreement_vs(bins, trends, "mag_f555w", "a").axes[0].get_xlabel().startswith("mag_f555w [mag] (")
    # a column without a unit gets none
    assert F.fig_agreement_vs(bins, trends, "crowding", "a").axes[0].get_xlabel().startswith("crowding (")


def _titles_under_suptitle(fig) -> list[str]:
    """Titles of the visible axes whose drawn box overlaps the figure's suptitle."""
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    sup = fig._suptitle.get_window_extent(r)
    return [ax.get_title() for ax in fig.axes
            if ax.get_visible() and ax.get_title() and ax.title.get_window_extent(r).overlaps(sup)]


@pytest.mark.parametrize("n", [1, 2, 3])
def test_mass_age_suptitle_clears_the_panel_titles(n):
    """report on a LEGUS catalogue: "class 1+2: mass vs age" was drawn over "prediction (n=425)"."""
    from starclass.report import figures as F

    rng = np.random.default_rng(n)
    mass, age = 10 ** rng.uniform(3, 6, 40), 10 ** rng.uniform(6, 10, 40)
    fig = F.fig_mass_age([(f"panel {i}", mass, age) for i in range(n)], "class 1+2: mass vs age")
    assert _titles_under_suptitle(fig) == []


@pytest.mark.parametrize("n", [1, 4])
def test_colour_colour_suptitle_clears_the_panel_titles(n):
    """report: "prediction: U-B vs V-I" touched the first row's "class k (n=...)" titles."""
    from starclass.report import figures as F

    rng = np.random.default_rng(n)
    panels = [(f"class {k}", rng.normal(0, 1, 30), rng.normal(0, 1, 30)) for k in range(1, n + 1)]
    assert _titles_under_suptitle(F.fig_colour_colour(panels, None, "prediction: U-B vs V-I")) == []


def test_report_figures_write_units_in_square_brackets(built_report):
    """report --catalogs DIR: the LEGUS summary figure wrote "CI (mag)", "distance (Mpc)" and
    "accuracy (%)" where every other report figure writes "V - I [mag]", "log M [Msun]"."""
    from starclass.report import sections
    from starclass.report.many import summary_figure

    labels = list(built_report[1])  # the report's figures' labels

    def record(fig):
        labels.extend(t for ax in fig.axes for t in (ax.get_xlabel(), ax.get_ylabel()) if t)
        return sections.to_png_base64(fig)

    tables = _many_tables()
    per = Table({"field": tables["fields"]["field"]})
    for task in ("4class", "binary"):
        for rule in ("majority", "ci_tree", "tree3", "gbm"):
            per[f"{task}_{rule}"] = np.full(len(per), 0.5)
    tables["ladder_per_field"] = per
    record(summary_figure(tables))
    units = r"(mag|Mpc|%|yr|Msun|px|pix)"
    assert any(re.search(rf"\[{units}\]", t) for t in labels), labels  # the check below has labels to read
    assert [t for t in labels if re.search(rf"\({units}\)", t)] == []


def test_colour_colour_skips_empty_classes_and_says_which():
    """report: a catalogue without class 2 and 4 objects drew empty panels titled "class 2 (n=0)"; they are
    skipped now, and the figure's caption names the classes left out."""
    pred, _ = fake_catalogs(60, accuracy=0.7, seed=3)
    pred = pred[np.isin(pred["class_pred"], [1, 3])]
    secs, fig = _drawn_colour_colour(pred)
    fig_item = next(i for i in secs[0].items if i.kind == "figure" and i.name == "colour_colour_prediction")
    assert "Classes 2, 4: no object with both colours, not drawn." in fig_item.caption
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert [t.split(" (")[0] for t in titles] == ["class 1", "class 3"], titles
    assert not any("(n=0)" in t for t in titles), titles


def _drawn_colour_colour(pred):
    """_science_sections of ``pred`` and the colour-colour figure it draws (F.fig_colour_colour's, recorded)."""
    from starclass.report import build

    drawn = []
    draw = build.F.fig_colour_colour
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build.F, "fig_colour_colour", lambda *a, **k: drawn.append(draw(*a, **k)) or drawn[-1])
        secs = build._science_sections({"prediction": pred}, {"prediction": "class_pred"}, None, 2.0, "prediction")
    return secs, drawn[0]


@pytest.mark.parametrize("v", ["f555w", "f606w"])
def test_colour_colour_box_labels_clear_the_track_labels(v):
    """report: the 'box k' labels (7 pt, at each box's top left) ran into the SSP track's age labels (6 pt):
    box 4's over '1 Myr' on an F606W track. No box label overlaps an age label now."""
    from starclass.report import figures as F
    from starclass.science.ssp import ssp_track

    track = ssp_track(["f336w", "f438w", v, "f814w"])
    fig = F.fig_colour_colour([("class 1", np.array([-1.0]), np.array([0.2]))], track, "t")
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    ax = fig.axes[0]
    boxes = [t for t in ax.texts if t.get_text().startswith("box ")]
    ages = [t for t in ax.texts if t.get_text().endswith(("Myr", "Gyr"))]
    assert len(boxes) == 4 and len(ages) == 5
    hits = [(b.get_text(), a.get_text()) for b in boxes for a in ages
            if b.get_window_extent(r).overlaps(a.get_window_extent(r))]
    assert hits == []


def test_colour_colour_panels_name_the_task_s_classes_in_their_colours():
    """report --task phangs4: the colour-colour panels were titled "class 3 (n=1082)" where the page's confusion
    matrices say "3 compact association"; each panel keeps its class's colour."""
    import matplotlib.colors

    from starclass.evaluate.task import EvalTask
    from starclass.report import build
    from starclass.report.figures import colour_of

    pred, _ = fake_catalogs(80, accuracy=0.7, seed=4)
    task = EvalTask.from_classes((1, 2, 3, 4), name="phangs4", class_names=[
        "symmetric cluster", "asymmetric cluster", "compact association", "non-cluster"])
    drawn = []
    draw = build.F.fig_colour_colour
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build.F, "fig_colour_colour", lambda *a, **k: drawn.append(draw(*a, **k)) or drawn[-1])
        build._science_sections({"prediction": pred}, {"prediction": "class_pred"}, None, 2.0, "prediction",
                                task=task)
    panels = [ax for ax in drawn[0].axes if ax.get_visible()]
    titles = [ax.get_title().split(" (n=")[0] for ax in panels]
    assert titles == build.phangs_ticks(task), titles
    assert not titles[0].startswith("class")
    assert [ax.collections[0].get_facecolor()[0][:3].round(3).tolist() for ax in panels] == [
        np.round(matplotlib.colors.to_rgb(colour_of(k)), 3).tolist() for k in (1, 2, 3, 4)]
    assert titles[2] == "3 compact association"
